#!/usr/bin/env bash
# Where `weft serve`'s resident memory goes (docs/benchmarks.md §5.2): starts the server with
# Native Memory Tracking, loads it with the hello step for 15 s (wrk, 4 connections), then prints
# one line: requests/s, RSS (now and peak) and the JVM's committed memory by area in MiB (heap,
# GC structures, metaspace + class space, code cache, thread stacks, compiler and arena chunks,
# symbols, the rest).
#   weft-bench/serve-memory.sh NAME JAVA_BINARY [JVM flags...]
#   SERVE_ARGS="--workers 2 --memory 64MiB" weft-bench/serve-memory.sh ...   # extra serve flags
#   SECONDS_LOAD=15 CONNECTIONS=4                                            # the load
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1; java=$2; shift 2
[ -f weft-cli/target/weft.jar ] || mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli -am
port=${PORT:-3931}
work=$(mktemp -d)
printf 'tok' > "$work/token"
# shellcheck disable=SC2086
"$java" -XX:NativeMemoryTracking=summary "$@" -jar weft-cli/target/weft.jar serve --port "$port" --token-file "$work/token" \
  --module-dir examples/modules --no-cache ${SERVE_ARGS:-} > "$work/$name.log" 2>&1 &
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
rps=$(wrk -t2 -c"${CONNECTIONS:-4}" -d"${SECONDS_LOAD:-15}s" -s "$work/h.lua" "http://127.0.0.1:$port/api/v1/template.execute" \
  | awk '/Requests\/sec/{printf "%d", $2} /Non-2xx/{printf " NON-2XX:%s", $NF}')
rss=$(awk '/VmRSS/{print int($2/1024)}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$pid/status")
"$(dirname "$java")/jcmd" $pid VM.native_memory summary scale=KB > "$work/nmt.txt"
awk -v name="$name" -v rps="$rps" -v rss="$rss" -v hwm="$hwm" '
  /^Total:/ { match($0, /committed=[0-9]+/); total = substr($0, RSTART + 10, RLENGTH - 10) / 1024 }
  /^-/ && /committed=/ {
    line = $0; sub(/^- */, "", line); area = line; sub(/ *\(.*/, "", area)
    match(line, /committed=[0-9]+/); v = substr(line, RSTART + 10, RLENGTH - 10) / 1024
    a[area] += v; listed += v
  }
  END {
    other = total - listed
    for (k in a) if (k != "Java Heap" && k != "GC" && k != "Class" && k != "Metaspace" && k != "Code" \
      && k != "Thread" && k != "Compiler" && k != "Arena Chunk" && k != "Symbol") other += a[k]
    printf "%-22s req/s %6s  RSS %4d MiB (peak %4d)  committed %4.0f  heap %4.0f  GC %3.0f  meta+class %3.0f  code %3.0f  threads %3.0f  compiler+arena %3.0f  symbols %3.0f  other %3.0f\n", \
      name, rps, rss, hwm, total, a["Java Heap"], a["GC"], a["Class"] + a["Metaspace"], a["Code"], a["Thread"], \
      a["Compiler"] + a["Arena Chunk"], a["Symbol"], other
  }' "$work/nmt.txt"
# resident (not committed) memory by area, from the JVM's own map of its mappings (JDK 21+)
if "$(dirname "$java")/jcmd" $pid System.map > "$work/map.txt" 2>/dev/null && grep -q '^0x' "$work/map.txt"; then
  awk -v name="$name" '
    /^0x/ {
      rss = $4 / 1048576; info = $(NF - 1); file = $NF
      if (info == "-") area = (file == "-" || file == "[heap]") ? "malloc" : "files"
      else if (info == "CARDTBL") area = "GC"
      else if (info == "CLASS" || info == "META") area = "meta"
      else if (info ~ /^STACK/) area = "STACK"
      else if (info ~ /^CODE/) area = "CODE"
      else area = info
      r[area] += rss; total += rss
    }
    END {
      printf "%-22s resident %4.0f MiB: heap %4.0f  GC %3.0f  meta+class %3.0f  code %3.0f  stacks %3.0f  CDS/AOT %3.0f  malloc %3.0f  files %3.0f\n", \
        name, total, r["JAVAHEAP"], r["GC"], r["meta"], r["CODE"], r["STACK"], r["CDS"], r["malloc"], r["files"]
    }' "$work/map.txt"
fi
# what the server itself keeps on the heap: used after a full collection (taken last: it changes RSS)
"$(dirname "$java")/jcmd" $pid GC.run >/dev/null 2>&1 || true
"$(dirname "$java")/jcmd" $pid GC.heap_info 2>/dev/null | awk -v name="$name" '
  /(heap|generation) +total/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); used += v } }
  END { if (used > 0) printf "%-22s live heap after a full GC %d MiB\n", name, used / 1024 }'
[ -n "${NMT_OUT:-}" ] && cp "$work/nmt.txt" "$NMT_OUT" || true
