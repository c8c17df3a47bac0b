#!/usr/bin/env bash
# Whole-process benchmark of `compare`: 50 what-if overlays of one generated team, solved in
# parallel, timed at 1 and 2 threads (RAYON_NUM_THREADS), with peak memory. Also checks that
# both runs print the same bytes.
#
#   benches/compare.sh [STAFFxCASES] [VARIANTS]      default: 30x600 50
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-30x600}
variants=${2:-50}
staff=${size%x*}
cases=${size#*x}
cargo build --release --quiet
bin=$PWD/target/release/caseload
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" generate --staff "$staff" --cases "$cases" --seed 1 --output "$work/team" >/dev/null
ids=($(awk '/^\[\[staff\]\]/ {getline; if ($1 == "id") {gsub(/"/, "", $3); print $3}}' "$work/team/scenario.toml"))
# Variants, in turn: a new hire, one worker at half time, a tighter or looser move budget.
for i in $(seq 1 "$variants"); do
  w=${ids[$(( (i - 1) % ${#ids[@]} ))]}
  file="$work/v$(printf '%03d' "$i").toml"
  case $(( i % 3 )) in
    0) printf 'extends = "team/scenario.toml"\nname = "hire %d"\n[[staff]]\nid = "new-%d"\nfte = 1.0\n' "$i" "$i" >"$file" ;;
    1) printf 'extends = "team/scenario.toml"\nname = "%s at half time"\n[[staff]]\nid = "%s"\nfte = 0.5\n' "$w" "$w" >"$file" ;;
    2) printf 'extends = "team/scenario.toml"\nname = "budget %d"\n[policy]\nmax_moves = %d\n' "$(( i % 40 ))" "$(( i % 40 ))" >"$file" ;;
  esac
done

printf '%-8s %-8s %8s %10s\n' threads variants seconds peak_MiB
for threads in 1 2; do
  set +e
  RAYON_NUM_THREADS=$threads /usr/bin/time -f '%e %M' -o "$work/time-$threads" \
    "$bin" compare "$work"/v*.toml --format json --quiet >"$work/out-$threads.json" 2>"$work/err-$threads"
  status=$?
  set -e
  read -r seconds kib < <(tail -n 1 "$work/time-$threads")
  printf '%-8s %-8s %8s %10.1f   exit %s\n' "$threads" "$variants" "$seconds" "$(echo "$kib / 1024" | bc -l)" "$status"
done
if cmp -s "$work/out-1.json" "$work/out-2.json"; then
  echo "identical output at 1 and 2 threads"
else
  echo "OUTPUT DIFFERS between 1 and 2 threads"
  exit 1
fi
