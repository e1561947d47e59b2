#!/usr/bin/env bash
# How long `weft serve` takes from launch to ready: to its "listening" line, to its "ready" line,
# and to the first 200 from /readyz, through the ./weft launcher (jar already built).
# RUNS=N (default 3); CACHE=warm reuses one cache directory across runs (the first run fills it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
now() { date +%s%N; }
for i in $(seq 1 "$runs"); do
  port=$((20000 + RANDOM % 20000))
  cache="$work/cache"; [ "${CACHE:-cold}" = warm ] || cache="$work/cache-$i"
  t0=$(now)
  "$root/weft" serve --insecure-no-auth --module-dir "$root/examples/modules" --port "$port" --cache-dir "$cache" > "$work/out" 2>&1 &
  pid=$!
  until curl -sf "127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
  t1=$(now)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ready_line="$(grep -o 'ready on .*' "$work/out" || echo 'no ready line')"
  printf 'run %d: /readyz 200 after %d ms (%s)\n' "$i" $(((t1 - t0) / 1000000)) "$ready_line"
done
