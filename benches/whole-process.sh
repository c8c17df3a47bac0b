#!/usr/bin/env bash
# Whole-process benchmark: generates teams, runs the release binary under /usr/bin/time, and
# prints one row per run: time, max utilization, lower bound, gap, moves, peak memory.
#
#   benches/whole-process.sh [SIZES...]      e.g. benches/whole-process.sh 8x120 50x1500
#
# Environment: SEEDS (default "1 2 3 4 5"), COMMAND (rebalance|assign, default rebalance),
# EXTRA (more options, e.g. "--max-moves 20 --time-limit 120"), TOLERANCE (sets the policy's
# equity_tolerance in the generated scenarios, e.g. 0 for the quality figures).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-8x120 50x1500}")
seeds=${SEEDS:-1 2 3 4 5}
command=${COMMAND:-rebalance}
extra=${EXTRA:-}
tolerance=${TOLERANCE:-}
cargo build --release --quiet
bin=target/release/caseload
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%-10s %-5s %-9s %8s %8s %8s %8s %9s %6s %6s %6s %9s\n' \
  team seed command seconds max_util bound gap status moves m_bound req peak_MiB
for size in ${sizes[@]}; do
  staff=${size%x*}
  cases=${size#*x}
  for seed in $seeds; do
    dir="$work/$size-$seed"
    "$bin" generate --staff "$staff" --cases "$cases" --seed "$seed" --output "$dir" >/dev/null
    if [ -n "$tolerance" ]; then
      sed -i "s/^\[policy\]\$/[policy]\nequity_tolerance = $tolerance/" "$dir/scenario.toml"
    fi
    set +e
    /usr/bin/time -f '%e %M' -o "$dir/time" "$bin" "$command" "$dir/scenario.toml" --format json $extra \
      >"$dir/out.json" 2>"$dir/err"
    set -e
    # The last line: /usr/bin/time adds a line before it when the exit code is not 0.
    read -r seconds kib < <(tail -n 1 "$dir/time")
    python3 - "$dir/out.json" "$size" "$seed" "$command" "$seconds" "$kib" <<'PY'
import json, sys
path, size, seed, command, seconds, kib = sys.argv[1:]
d = json.load(open(path))
m = d["metrics"]
print(f"{size:<10} {seed:<5} {command:<9} {float(seconds):8.2f} {m['max_utilization_after']:8.4f} "
      f"{m['lower_bound_max_utilization']:8.4f} {m['gap']:8.4f} {d['status']:>9} {m['moves']:6d} "
      f"{m['moves_lower_bound']:6d} {m['required_moves']:6d} {int(kib)/1024:9.1f}" + (f"  unplaced {m['unassigned']}" if m['unassigned'] else ""))
PY
  done
done
