#!/usr/bin/env bash
# Where `weft serve`'s resident memory goes (docs/benchmarks.md §5.2): starts the server with
# Native Memory Tracking, loads it with the hello step for 15 s (wrk, 4 connections), then prints
# its RSS and the JVM's committed memory by area (heap, GC structures, threads, code, metaspace).
#   weft-bench/serve-memory.sh NAME JAVA_BINARY [JVM flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1; java=$2; shift 2
[ -f weft-cli/target/weft.jar ] || mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli -am
port=3931
work=$(mktemp -d)
printf 'tok' > "$work/token"
"$java" -XX:NativeMemoryTracking=summary "$@" -jar weft-cli/target/weft.jar serve --port $port --token-file "$work/token" \
  --module-dir examples/modules --no-cache > "$work/$name.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
cat > "$work/h.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer tok"
counter = 0
request = function()
  counter = counter + 1
  local body = '{"workflow":{"metadata":{"name":"mem","namespace":"argo","uid":"mem-' .. counter .. '-' .. math.random(1e9) .. '"}},'
    .. '"template":{"name":"hello","inputs":{"parameters":[{"name":"name","value":"load"}]},'
    .. '"outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},'
    .. '"plugin":{"wasm":{"module":{"file":"hello/hello.wasm"}}}}}'
  return wrk.format(nil, nil, nil, body)
end
LUA
wrk -t2 -c4 -d15s -s "$work/h.lua" http://127.0.0.1:$port/api/v1/template.execute | grep -E "Requests/sec|Non-2xx" || true
rss=$(awk '/VmRSS/{print int($2/1024)}' /proc/$pid/status)
echo "$name RSS ${rss} MiB"
"$(dirname "$java")/jcmd" $pid VM.native_memory summary scale=MB | grep -E "^-|Total|committed" | grep -E "Total|Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Metaspace|Arena" | head -20 | sed 's/(reserved=[0-9]*MB, //'
