#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the example scenarios and the bad-input corpus, so the
# fuzzer starts from real files. Then, from the crate root:
#
#   cargo +nightly fuzz run scenario_toml -- -max_total_time=600
#
# (targets: scenario_toml, cases_csv, workbook, overlay, saved_proposal, solve_small). A crash is saved
# under fuzz/artifacts/TARGET/; turn it into a file in tests/bad/ with its expected message.
set -euo pipefail
cd "$(dirname "$0")/.."
for target in scenario_toml overlay solve_small; do
  mkdir -p "fuzz/corpus/$target"
  cp scenarios/*.toml scenarios/*/*.toml tests/bad/*.toml "fuzz/corpus/$target/" 2>/dev/null || true
done
mkdir -p fuzz/corpus/cases_csv fuzz/corpus/workbook fuzz/corpus/saved_proposal
cp scenarios/*.csv tests/bad/*.csv fuzz/corpus/cases_csv/ 2>/dev/null || true
cp scenarios/*.xlsx scenarios/*.ods fuzz/corpus/workbook/ 2>/dev/null || true
cargo build --release --quiet --bin caseload
for s in riverside mercy-health; do
  target/release/caseload rebalance "scenarios/$s.toml" --format json > "fuzz/corpus/saved_proposal/$s.json" 2>/dev/null || true
done
