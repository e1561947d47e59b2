#!/usr/bin/env bash
# Load on `weft serve` running hello (docs/benchmarks.md §5): wrk for throughput and latency at
# several concurrencies, then 20,000 requests from 64 concurrent clients with zero errors allowed,
# and the server's resident memory before and after. Client and server share the 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out=weft-bench/target/results
mkdir -p "$out"
mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli,weft-bench -am
command -v wrk >/dev/null || { echo "serve-load: needs wrk (apt-get install wrk)" >&2; exit 1; }

port=3917
work=$(mktemp -d)
printf 'load-test-token' > "$work/token"
java -Xms512m -Xmx512m -jar weft-cli/target/weft.jar serve --port $port --token-file "$work/token" \
  --module-dir examples/modules --no-cache > "$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

cat > "$work/hello.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer load-test-token"
counter = 0
request = function()
  counter = counter + 1
  local body = '{"workflow":{"metadata":{"name":"load","namespace":"argo","uid":"wrk-' .. counter .. '-' .. math.random(1e9) .. '"}},'
    .. '"template":{"name":"hello","inputs":{"parameters":[{"name":"name","value":"load"}]},'
    .. '"outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},'
    .. '"plugin":{"wasm":{"module":{"file":"hello/hello.wasm"}}}}}'
  return wrk.format(nil, nil, nil, body)
end
LUA
url="http://127.0.0.1:$port/api/v1/template.execute"
rss() { awk '/VmRSS|VmHWM/{printf "%s %d MiB  ", $1, $2/1024}' /proc/$pid/status; echo; }

echo "== warm-up" | tee "$out/serve.txt"
wrk -t2 -c8 -d10s -s "$work/hello.lua" "$url" > /dev/null
echo "server memory after warm-up: $(rss)" | tee -a "$out/serve.txt"
for c in 1 4 16 64; do
  echo "== wrk, $c connections, 15 s" | tee -a "$out/serve.txt"
  t=$(( c < 2 ? 1 : 2 ))
  wrk -t$t -c$c -d15s --latency -s "$work/hello.lua" "$url" | tee -a "$out/serve.txt"
done
echo "== 20,000 requests from 64 clients" | tee -a "$out/serve.txt"
java -cp weft-bench/target/weft-bench.jar dev.weft.bench.ServeLoad "$url" "$work/token" 20000 64 | tee -a "$out/serve.txt"
echo "server memory after the run: $(rss)" | tee -a "$out/serve.txt"
grep -c '"phase"' "$work/server.log" >/dev/null || true
