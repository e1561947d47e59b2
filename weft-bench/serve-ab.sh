#!/usr/bin/env bash
# A/B of `weft serve` configurations on the hello step (docs/benchmarks.md §5.1): each
# configuration gets its own server, started in turn, in reverse order on every other pass, so that
# noise and drift on the shared machine hit them alike; wrk reports p50/p99/p99.9 and throughput at 1 and 4
# connections. Client and server share the cores.
#   weft-bench/serve-ab.sh [passes] [seconds]
#   CONFIGS is a '|'-separated list of "name=java-binary jvm-flags..." (default: JDK 17 and, if
#   installed, JDK 25), e.g. CONFIGS="a=java -Dx=1|b=java -Dx=2".
set -euo pipefail
cd "$(dirname "$0")/.."
passes="${1:-2}"
secs="${2:-10}"
out=weft-bench/target/results
mkdir -p "$out"
[ -f weft-cli/target/weft.jar ] || mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli -am
command -v wrk >/dev/null || { echo "serve-ab: needs wrk (apt-get install wrk)" >&2; exit 1; }
jdk25=""
for d in /usr/lib/jvm/*25*; do [ -x "$d/bin/java" ] && { jdk25="$d/bin/java"; break; }; done
default="jdk17=java"
[ -n "$jdk25" ] && default="$default|jdk25=$jdk25"
IFS='|' read -r -a configs <<< "${CONFIGS:-$default}"

port=3918
work=$(mktemp -d)
printf 'load-test-token' > "$work/token"
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
cat > "$work/hello.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer load-test-token"
counter = 0
request = function()
  counter = counter + 1
  local body = '{"workflow":{"metadata":{"name":"load","namespace":"argo","uid":"ab-' .. counter .. '-' .. math.random(1e9) .. '"}},'
    .. '"template":{"name":"hello","inputs":{"parameters":[{"name":"name","value":"load"}]},'
    .. '"outputs":{"parameters":[{"name":"greeting","valueFrom":{"supplied":{}}}]},'
    .. '"plugin":{"wasm":{"module":{"file":"hello/hello.wasm"}}}}}'
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s %.0f p50 %.2f p99 %.2f p99.9 %.2f ms errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
url="http://127.0.0.1:$port/api/v1/template.execute"
csv="$out/serve-ab.csv"
echo "pass,config,connections,req_s,p50_ms,p99_ms,p999_ms,errors,rss_mib" > "$csv"
for pass in $(seq "$passes"); do
  order=("${configs[@]}")
  if (( pass % 2 == 0 )); then # reversed on even passes, so a drift in the machine's load favours no one
    order=(); for (( i=${#configs[@]}-1; i>=0; i-- )); do order+=("${configs[$i]}"); done
  fi
  for cfg in "${order[@]}"; do
    name="${cfg%%=*}"; read -r -a cmd <<< "${cfg#*=}"
    "${cmd[@]}" -Xms512m -Xmx512m -XX:-DontCompileHugeMethods ${SERVE_OPTS:-} -jar weft-cli/target/weft.jar serve --port $port \
      --token-file "$work/token" --module-dir examples/modules --no-cache > "$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
    wrk -t2 -c8 -d5s -s "$work/hello.lua" "$url" > /dev/null
    for c in 1 4; do
      t=$(( c < 2 ? 1 : 2 ))
      r=$(wrk -t$t -c$c -d"${secs}s" -s "$work/hello.lua" "$url" | grep '^RESULT')
      rss=$(awk '/VmRSS/{print int($2/1024)}' /proc/$pid/status)
      echo "pass $pass $name c=$c: $r (RSS $rss MiB, load average $(cut -d' ' -f1 /proc/loadavg))"
      echo "$r" | awk -v p="$pass" -v n="$name" -v c="$c" -v m="$rss" '{print p","n","c","$3","$5","$7","$9","$12","m}' >> "$csv"
    done
    kill $pid; wait $pid 2>/dev/null || true; pid=""
  done
done
echo "== medians over passes"
awk -F, 'NR>1{k=$2" c="$3; print k, $4, $5, $6, $7}' "$csv" | sort | awk '{k=$1" "$2; n[k]++; r[k]=r[k]" "$3; a[k]=a[k]" "$5; b[k]=b[k]" "$6} END{for (k in n) print k": req/s" r[k]" | p99" a[k]" | p99.9" b[k]}' | sort
