#!/usr/bin/env bash
# `caseload serve DIR`: how long until every team's overview is ready (today's solves, one team
# at a time), and the server's memory then (VmRSS, and its peak VmHWM, from /proc).
#
#   benches/serve-folder.sh [DIR]     default: scenarios/
#
# Debug build. Polls the index every tenth of a second until no team waits or solves.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-scenarios/}
cargo build --quiet
out=$(mktemp)
start=$(date +%s%N)
target/debug/caseload serve "$dir" --port 0 >"$out" 2>/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$out"' EXIT
until grep -q 'token=' "$out"; do sleep 0.05; done
url=$(grep -o 'http://[^ ]*' "$out")
host=${url%%/\?*}
token=${url##*token=}
while :; do
  index=$(curl -s -H "X-Caseload-Token: $token" "$host/")
  if grep -q 'data-state=' <<<"$index" && ! grep -q 'data-state="\(waiting\|solving\)"' <<<"$index"; then
    break
  fi
  sleep 0.1
done
end=$(date +%s%N)
teams=$(grep -o 'data-state=' <<<"$index" | wc -l)
echo "serve $dir: $teams teams, every overview ready after $(((end - start) / 1000000)) ms (debug build)"
grep -E 'VmRSS|VmHWM' "/proc/$pid/status"
