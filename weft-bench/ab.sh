#!/usr/bin/env bash
# A/B of two builds of weft on the same machine in the same run (docs/benchmarks.md §10): the
# in-process hello task (JMH, §1) and weft serve under wrk (§5), alternating A and B ROUNDS times
# so that load from other processes falls on both alike. Prints one line per measurement; the
# verdict is B/A per round.
#
#   weft-bench/ab.sh A_DIR B_DIR [ROUNDS]   # each DIR a checkout with weft-cli and weft-bench packaged
set -euo pipefail
a=$1; b=$2; rounds=${3:-2}
command -v wrk >/dev/null || { echo "ab: needs wrk (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'ab-token' > "$work/token"
cat > "$work/hello.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer ab-token"
counter = 0
request = function()
  counter = counter + 1
  local body = '{"workflow":{"metadata":{"name":"ab","namespace":"argo","uid":"ab-' .. counter .. '-' .. math.random(1e9) .. '"}},'
    .. '"template":{"name":"hello","inputs":{"parameters":[{"name":"name","value":"ab"}]},'
    .. '"outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},'
    .. '"plugin":{"wasm":{"module":{"file":"hello/hello.wasm"}}}}}'
  return wrk.format(nil, nil, nil, body)
end
LUA

hello() { # in-process hello, MEMORY sandbox: p50/p99 (µs) and 2-thread throughput
  java -jar "$1/weft-bench/target/weft-bench.jar" HelloTaskBenchmark -p storage=MEMORY -wi 2 -w 2s -i 3 -r 2s -f 1 2>/dev/null \
    | awk -v who="$2" '/latency:p0.50 /{p50=$(NF-1)} /latency:p0.99 /{p99=$(NF-1)} /throughputTwoThreads /{tp=$(NF-3)} END{printf "%s hello p50 %s us p99 %s us throughput %s tasks/s\n", who, p50, p99, tp}'
}

serve() { # weft serve hello under wrk at 1 and 4 connections: tasks/s and p50/p99
  local dir=$1 who=$2 port=3919
  (cd "$dir" && exec java -Xms512m -Xmx512m -XX:-DontCompileHugeMethods -jar weft-cli/target/weft.jar serve --port $port \
    --token-file "$work/token" --module-dir examples/modules --no-cache) > "$work/server.log" 2>&1 &
  local pid=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  wrk -t2 -c8 -d8s -s "$work/hello.lua" "http://127.0.0.1:$port/api/v1/template.execute" >/dev/null
  for c in 1 4; do
    wrk -t1 -c$c -d10s --latency -s "$work/hello.lua" "http://127.0.0.1:$port/api/v1/template.execute" \
      | awk -v who="$who" -v c=$c '/ 50%/{p50=$2} / 99%/{p99=$2} /Requests\/sec/{rps=$2} END{printf "%s serve c=%s %s tasks/s p50 %s p99 %s\n", who, c, rps, p50, p99}'
  done
  kill $pid; wait $pid 2>/dev/null || true
}

for r in $(seq "$rounds"); do
  hello "$a" "A$r"; hello "$b" "B$r"
  serve "$a" "A$r"; serve "$b" "B$r"
done
