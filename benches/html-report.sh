#!/usr/bin/env bash
# The HTML report of a large team: its size in bytes, and how long headless Chromium takes to
# show it (the browser test `time_a_report`, which prints the page's own timings).
#
#   benches/html-report.sh [STAFFxCASES] [SEED]     default: 400x12000, seed 1
#
# Needs Debian's chromium and chromium-driver. COMMAND (default rebalance) picks the report.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-400x12000}
seed=${2:-1}
command=${COMMAND:-rebalance}
staff=${size%x*}
cases=${size#*x}
cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/debug/caseload generate --staff "$staff" --cases "$cases" --seed "$seed" --output "$work" >/dev/null
report="$work/$command.html"
start=$(date +%s%N)
target/debug/caseload "$command" "$work/scenario.toml" --quiet --time-limit 120 \
  --format html --output "$report" || [ $? -eq 1 ]
end=$(date +%s%N)
echo "$command $size seed $seed: written in $(((end - start) / 1000000)) ms (debug build, solve included)"
ls -l "$report"
CASELOAD_HTML_REPORT="$report" cargo test --quiet --test browser -- --ignored --nocapture time_a_report
