#!/usr/bin/env bash
# Whole-process benchmark: runs the release binary under /usr/bin/time on generated teams or on
# scenario files, and prints one row per run.
#
#   benches/whole-process.sh [SIZES...]      e.g. benches/whole-process.sh 8x120 50x1500
#   benches/whole-process.sh SCENARIO.toml...  e.g. COMMAND=tradeoff benches/whole-process.sh scenarios/*.toml
#
# rebalance and assign rows: time, max utilization, lower bound, gap, status, moves, the moves
# bound, required moves, peak memory. tradeoff rows: time, budgets on the curve, the last one,
# its max utilization, whether the time limit cut the curve short, peak memory.
#
# Environment: SEEDS (default "1 2 3 4 5"; generated teams only), COMMAND (rebalance|assign|
# tradeoff, default rebalance), EXTRA (more options, e.g. "--max-moves 20 --time-limit 120"),
# TOLERANCE (sets the policy's equity_tolerance in the generated scenarios, e.g. 0 for the
# quality figures).
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

if [ "$command" = tradeoff ]; then
  printf '%-28s %-5s %-9s %8s %7s %6s %8s %9s %9s\n' \
    team seed command seconds points last max_util cut_short peak_MiB
else
  printf '%-10s %-5s %-9s %8s %8s %8s %8s %9s %6s %6s %6s %9s\n' \
    team seed command seconds max_util bound gap status moves m_bound req peak_MiB
fi

# Runs the command on one scenario and prints its row.
run() {
  local scenario=$1 dir=$2 team=$3 seed=$4
  set +e
  /usr/bin/time -f '%e %M' -o "$dir/time" "$bin" "$command" "$scenario" --format json $extra \
    >"$dir/out.json" 2>"$dir/err"
  set -e
  # The last line: /usr/bin/time adds a line before it when the exit code is not 0.
  read -r seconds kib < <(tail -n 1 "$dir/time")
  python3 - "$dir/out.json" "$team" "$seed" "$command" "$seconds" "$kib" <<'PY'
import json, sys
path, team, seed, command, seconds, kib = sys.argv[1:]
d = json.load(open(path))
if command == "tradeoff":
    curve = d["curve"]
    last = curve[-1] if curve else {}
    util = last.get("max_utilization")
    print(f"{team:<28} {seed:<5} {command:<9} {float(seconds):8.2f} {len(curve):7d} "
          f"{last.get('max_moves', '-'):>6} {util if util is not None else float('nan'):8.4f} "
          f"{str(d['cut_short_by_time_limit']).lower():>9} {int(kib)/1024:9.1f}")
    sys.exit()
m = d["metrics"]
print(f"{team:<10} {seed:<5} {command:<9} {float(seconds):8.2f} {m['max_utilization_after']:8.4f} "
      f"{m['lower_bound_max_utilization']:8.4f} {m['gap']:8.4f} {d['status']:>9} {m['moves']:6d} "
      f"{m['moves_lower_bound']:6d} {m['required_moves']:6d} {int(kib)/1024:9.1f}" + (f"  unplaced {m['unassigned']}" if m['unassigned'] else ""))
PY
}

for size in ${sizes[@]}; do
  if [[ $size == *.toml ]]; then
    dir="$work/$(basename "$size" .toml)"
    mkdir -p "$dir"
    run "$size" "$dir" "$(basename "$size" .toml)" -
    continue
  fi
  staff=${size%x*}
  cases=${size#*x}
  for seed in $seeds; do
    dir="$work/$size-$seed"
    "$bin" generate --staff "$staff" --cases "$cases" --seed "$seed" --output "$dir" >/dev/null
    if [ -n "$tolerance" ]; then
      sed -i "s/^\[policy\]\$/[policy]\nequity_tolerance = $tolerance/" "$dir/scenario.toml"
    fi
    run "$dir/scenario.toml" "$dir" "$size" "$seed"
  done
done
