#!/usr/bin/env bash
# Regenerates the README's picture of a rebalance report, docs/rebalance-report.png: the report
# of scenarios/riverside.toml as headless Chromium shows it (Debian's chromium and
# chromium-driver), through the browser test `the_readme_screenshot`; and its picture of the
# dashboard, docs/dashboard.png, through the dashboard's browser test.
set -euo pipefail
cd "$(dirname "$0")/.."
CASELOAD_README_SCREENSHOT=1 CASELOAD_BROWSER_TESTS=required \
  cargo test --quiet --test browser -- --exact the_readme_screenshot
CASELOAD_README_SCREENSHOT=1 CASELOAD_BROWSER_TESTS=required \
  cargo test --quiet --test browser -- --exact the_dashboard_solves_a_leave_as_the_command_line_does
ls -l docs/rebalance-report.png docs/dashboard.png
