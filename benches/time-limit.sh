#!/usr/bin/env bash
# Whether `--time-limit` holds on large teams: generates teams, runs each command under
# /usr/bin/time with each limit, and prints the wall time against the limit (it must stay within
# 10% or one second, whichever is more), the peak memory and what the proposal reached.
#
#   benches/time-limit.sh [SIZES...]      e.g. benches/time-limit.sh 5000x20000 2000x200000
#
# Environment: LIMITS (seconds, default "5 20"), SEED (default 1), COMMANDS (default
# "rebalance"; any of rebalance assign explain whatif tradeoff).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-5000x20000 2000x200000}")
limits=${LIMITS:-5 20}
seed=${SEED:-1}
commands=${COMMANDS:-rebalance}
cargo build --release --quiet --bin caseload
bin=target/release/caseload
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%-12s %-9s %6s %8s %6s %9s %9s %9s %7s\n' \
  team command limit seconds held peak_MiB status max_util moves
for size in ${sizes[@]}; do
  dir="$work/$size"
  "$bin" generate --staff "${size%x*}" --cases "${size#*x}" --seed "$seed" --output "$dir" >/dev/null
  for command in $commands; do
    first=$(sed -n '/^id = "/{s/^id = "\(.*\)"$/\1/p;q;}' "$dir/scenario.toml")
    case $command in
      whatif) args=(--leave "$first") ;;
      explain) args=(--staff "$first") ;;
      *) args=() ;;
    esac
    for limit in $limits; do
      set +e
      /usr/bin/time -f '%e %M' -o "$dir/time" "$bin" "$command" "$dir/scenario.toml" \
        "${args[@]}" --format json --time-limit "$limit" >"$dir/out.json" 2>"$dir/err"
      set -e
      read -r seconds kib < <(tail -n 1 "$dir/time")
      python3 - "$dir/out.json" "$size" "$command" "$limit" "$seconds" "$kib" <<'PY'
import json, sys
path, size, command, limit, seconds, kib = sys.argv[1:]
limit, seconds = float(limit), float(seconds)
held = "yes" if seconds <= max(limit * 1.1, limit + 1.0) else "NO"
try:
    d = json.load(open(path))
except ValueError:
    d = {}
status = d.get("status", "-")
m = d.get("metrics", {})
util = m.get("max_utilization_after")
print(f"{size:<12} {command:<9} {limit:6.0f} {seconds:8.2f} {held:>6} {int(kib)/1024:9.1f} "
      f"{status:>9} {util if util is not None else '-':>9} {m.get('moves', '-'):>7}")
PY
    done
  done
done
