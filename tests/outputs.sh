#!/usr/bin/env bash
# Writes what a `caseload` binary prints (standard output, standard error without timings, exit
# code) for every example scenario, the teams of tests/outputs/ (rules that bar, conflict or leave
# cases unplaced), bad-input fixtures and a few generated teams, one file per run,
# into OUTDIR. Two builds are the same to a user when `diff -r` of their OUTDIRs is empty:
#
#   tests/outputs.sh target/release/caseload /tmp/after
#   tests/outputs.sh /tmp/caseload-before /tmp/before && diff -r /tmp/before /tmp/after
#
# Environment: TEAMS (generated teams, default "8x120:1 8x120:2 20x400:1 30x600:3 50x1500:1").
set -uo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "$1")
out=$(realpath -m "$2")
teams=${TEAMS:-8x120:1 8x120:2 20x400:1 30x600:3 50x1500:1}
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME ARGS...: one run, its outputs in OUTDIR/NAME.{out,err,code}.
run() {
  local name=$1
  shift
  "$bin" "$@" >"$out/$name.out" 2>"$work/err"
  echo $? >"$out/$name.code"
  # Progress lines and paths of the temporary folder are not output.
  sed -e "s#$work#WORK#g" "$work/err" | grep -v -e '^\s*$' >"$out/$name.err" || true
  sed -i "s#$work#WORK#g" "$out/$name.out"
}

for s in scenarios/*.toml tests/outputs/*.toml; do
  n=$(basename "$s" .toml)
  run "$n.check" check "$s"
  run "$n.check.json" check "$s" --format json
  for c in rebalance assign; do
    run "$n.$c" "$c" "$s"
    run "$n.$c.json" "$c" "$s" --format json
  done
  run "$n.tight" rebalance "$s" --max-moves 2
  run "$n.tight.json" rebalance "$s" --max-moves 2 --format json
  run "$n.curve" rebalance "$s" --budget-curve
  run "$n.curve.json" rebalance "$s" --budget-curve --format json
  run "$n.staffing" staffing "$s" --target 0.85 -q
  run "$n.tradeoff" tradeoff "$s" --max-moves 6 -q
  # Explain every fifth case and every worker.
  "$bin" rebalance "$s" --format json --output "$work/$n.json" 2>/dev/null
  python3 - "$work/$n.json" >"$work/ids" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
cases = sorted(d.get("assignments", {}))
staff = sorted(w["id"] for w in d.get("staff", []))
for c in cases[::5]:
    print("case", c)
for w in staff:
    print("staff", w)
PY
  while read -r kind id; do
    run "$n.explain-$kind-$id" explain "$s" "--$kind" "$id"
    run "$n.explain-$kind-$id.json" explain "$s" "--$kind" "$id" --format json
  done <"$work/ids"
  if [ -f "$work/$n.json" ]; then
    run "$n.handout" handout "$s" --proposal "$work/$n.json"
    run "$n.handout.json" handout "$s" --proposal "$work/$n.json" --format json
    run "$n.apply" apply "$s" "$work/$n.json" --output "$work/$n-next.toml"
    [ -f "$work/$n-next.toml" ] && cp "$work/$n-next.toml" "$out/$n.apply.toml"
  fi
done
run riverside.no-time rebalance scenarios/riverside.toml --time-limit 0.000001
run riverside.no-time.json rebalance scenarios/riverside.toml --time-limit 0.000001 --format json
run riverside.whatif whatif scenarios/riverside.toml --leave derek --fte tom=0.5 --hire "spanish@0.8" --surge 15%
run riverside.whatif.json whatif scenarios/riverside.toml --leave derek --format json
run compare compare scenarios/riverside.toml scenarios/riverside-leave.toml scenarios/riverside-new-hire.toml scenarios/riverside-surge.toml -q
run compare.json compare scenarios/riverside.toml scenarios/riverside-leave.toml --format json -q
run compare.csv compare scenarios/riverside.toml scenarios/riverside-surge.toml --format csv --assign -q
run staffing.profiles staffing scenarios/riverside.toml --target 0.8 --profiles scenarios/profiles/hires.toml -q
run batch batch scenarios --output "$work/batch" -q
for f in "$work"/batch/*; do sed "s#$work#WORK#g" "$f" >"$out/batch.$(basename "$f")"; done

for k in scenario model profiles proposal; do run "schema.$k" schema "$k"; done

for t in tests/bad/*.toml; do
  n=$(basename "$t" .toml)
  run "bad.$n" check "$t"
  run "bad.$n.rebalance" rebalance "$t"
done

for team in $teams; do
  size=${team%:*}
  seed=${team#*:}
  dir="$work/$size-$seed"
  "$bin" generate --staff "${size%x*}" --cases "${size#*x}" --seed "$seed" --out "$dir" >/dev/null
  for c in rebalance assign; do
    run "gen-$size-$seed.$c" "$c" "$dir/scenario.toml"
    run "gen-$size-$seed.$c.json" "$c" "$dir/scenario.toml" --format json
  done
  run "gen-$size-$seed.tight.json" rebalance "$dir/scenario.toml" --max-moves 5 --format json
  cp "$dir/scenario.toml" "$out/gen-$size-$seed.scenario.toml"
done
echo "$(ls "$out" | wc -l) files in $out"
