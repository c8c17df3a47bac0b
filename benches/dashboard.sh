#!/usr/bin/env bash
# `caseload serve`: the time from asking a what-if (the form's POST) to its re-solved report,
# for ten what-ifs in a row (each worker in turn on leave), and the server's memory with all
# ten open (VmRSS, and its peak VmHWM, from /proc).
#
#   benches/dashboard.sh [SCENARIO | STAFFxCASES] [SEED]     default: scenarios/riverside.toml
#
# A STAFFxCASES argument serves a generated team (`caseload generate`, SEED default 1).
# Release build; polls the what-if's state every 20 ms, so times are to about 20 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-scenarios/riverside.toml}
seed=${2:-1}
cargo build --release --quiet
bin=target/release/caseload
work=$(mktemp -d)
out="$work/serve.out"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
if [[ $what =~ ^([0-9]+)x([0-9]+)$ ]]; then
  "$bin" generate --staff "${BASH_REMATCH[1]}" --cases "${BASH_REMATCH[2]}" --seed "$seed" \
    --output "$work/team" >/dev/null
  scenario=$(ls "$work"/team/*.toml | head -1)
else
  scenario=$what
fi
"$bin" serve "$scenario" --port 0 >"$out" 2>/dev/null &
pid=$!
until grep -q 'token=' "$out"; do sleep 0.05; done
url=$(grep -o 'http://[^ ]*' "$out")
host=${url%%/\?*}
token=${url##*token=}
ask() { curl -s -o /dev/null -w '%{http_code}' -H "X-Caseload-Token: $token" "$@"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
start=$(ms)
until [ "$(ask "$host/today.html")" = 200 ]; do sleep 0.02; done
echo "today's proposal ready after $(( $(ms) - start )) ms"
workers=$(curl -s -H "X-Caseload-Token: $token" "$host/" |
  grep -o '<select name="leave">.*</select>' | grep -o 'option value="[^"]\+"' |
  sed 's/option value="//; s/"$//' | head -10)
n=0
for worker in $workers; do
  n=$((n + 1))
  start=$(ms)
  ask -X POST --data-urlencode "leave=$worker" "$host/whatif" >/dev/null
  while :; do
    state=$(curl -s -H "X-Caseload-Token: $token" "$host/whatif/$n/state")
    [ "$state" = solving ] || break
    sleep 0.02
  done
  echo "what-if $n ($worker on leave): $state after $(( $(ms) - start )) ms"
done
grep -E 'VmRSS|VmHWM' /proc/"$pid"/status | tr -s ' \t' ' '
