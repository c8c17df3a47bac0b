#!/usr/bin/env bash
# Measures the solver against the balance guarantee: generates teams, solves each with the
# release binary (`rebalance` and `assign`, default policy), and counts with
# examples/balance_check.rs the units a colleague who may take them would take and still end
# more than BAND below their holder. One row per proposal, then how many proposals leave any.
#
#   benches/balance.sh [SIZES...]      e.g. benches/balance.sh 8x120 30x600
#
# Environment: SEEDS (default "1 2 3 4 5 6"), BAND (utilization, default 0.05).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-8x120 12x240 20x400 30x600}")
seeds=${SEEDS:-1 2 3 4 5 6}
band=${BAND:-0.05}
cargo build --release --quiet --bin caseload --example balance_check
bin=target/release/caseload
check=target/release/examples/balance_check
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A runs=() unbalanced=()
printf '%-8s %-4s %-9s %-9s %10s %9s\n' team seed command status violations worst_gap
for size in ${sizes[@]}; do
  for seed in $seeds; do
    dir="$work/$size-$seed"
    "$bin" generate --staff "${size%x*}" --cases "${size#*x}" --seed "$seed" --output "$dir" >/dev/null
    for command in rebalance assign; do
      # Exit code 1 is a proposal that is not proven optimal; it is measured all the same.
      "$bin" "$command" "$dir/scenario.toml" --format json >"$dir/$command.json" 2>/dev/null || true
      status=$(sed -n 's/^  "status": "\(.*\)",$/\1/p' "$dir/$command.json")
      "$check" "$dir/scenario.toml" "$dir/$command.json" "$band" >"$dir/$command.check"
      violations=$(sed -n 's/^violations //p' "$dir/$command.check")
      gap=$(sed -n 's/^worst_gap //p' "$dir/$command.check")
      printf '%-8s %-4s %-9s %-9s %10s %9s\n' "$size" "$seed" "$command" "$status" "$violations" "$gap"
      runs[$command]=$(( ${runs[$command]:-0} + 1 ))
      if [ "$violations" -gt 0 ]; then
        unbalanced[$command]=$(( ${unbalanced[$command]:-0} + 1 ))
      fi
    done
  done
done
echo
for command in rebalance assign; do
  echo "$command: ${unbalanced[$command]:-0} of ${runs[$command]:-0} proposals leave a transfer more than $band below the giver"
done
