#!/usr/bin/env bash
# A/B of `weft serve` configurations on the hello step (docs/benchmarks.md §5.1): each
# configuration gets its own server, started in turn, in reverse order on every other pass, so that
# noise and drift on the shared machine hit them alike; wrk reports p50/p99/p99.9 and throughput at 1 and 4
# connections. Client and server share the cores.
#   weft-bench/serve-ab.sh [passes] [seconds]
#   CONFIGS is a '|'-separated list of "name=[jar=PATH] java-binary jvm-flags..." (default: JDK 17
#   and, if installed, JDK 25), e.g. CONFIGS="a=java -Dx=1|b=java -Dx=2", or an old jar against
#   this build: CONFIGS="old=jar=old.jar $J|new=$J". Without jar=, weft-cli/target/weft.jar.
#
# The server runs with the launcher's lean server defaults for `weft serve` on this machine (its
# heap for nproc workers of 256 MiB, -Xms64m, bounded code cache, native heap trimming,
# MALLOC_ARENA_MAX=2; see the `weft` launcher), so the figures are what users run; SERVE_HEAP
# replaces the heap flags (SERVE_HEAP="-Xms512m -Xmx512m" for the fixed heap of earlier runs) and
# SERVE_OPTS adds flags to every configuration.
#
# The floor: right after each hello cell, the same wrk settings against
#   readyz  the same server's /readyz (same Jetty, same connections and Authorization header,
#           no task): what the HTTP server, wrk and the machine cost;
#   static  lighttpd serving a 3-byte file, when lighttpd is installed (apt-get install
#           lighttpd): what wrk and the machine cost without a JVM.
# FLOORS="readyz static" (the default) chooses them; every hello figure is also printed as a ratio
# to the floor measured next to it. WARMUP (seconds, default 5) of hello at 8 connections before the
# cells: on a busy machine the JIT is still compiling after 5 s. GCLOG=1 writes each server's -Xlog:gc*,safepoint to
# weft-bench/target/results/gc-<pass>-<name>.log and prints its safepoints (pauses) per second.
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
floors="${FLOORS:-readyz static}"
if [[ " $floors " == *" static "* ]] && ! command -v lighttpd >/dev/null; then
  echo "serve-ab: no lighttpd, so no static floor (apt-get install lighttpd)" >&2
  floors="${floors//static/}"
fi

# the launcher's lean server defaults for `weft serve` with its default --workers and --memory
workers=$(nproc 2>/dev/null || echo 2)
heap_mib=$((3 * workers * 256 * 5 / 3))
machine_mib=$(awk '/^MemTotal:/{print int($2/1024)}' /proc/meminfo)
(( heap_mib > machine_mib * 3 / 4 )) && heap_mib=$((machine_mib * 3 / 4))
heap="${SERVE_HEAP:--Xms64m -Xmx${heap_mib}m -XX:ReservedCodeCacheSize=128m -XX:TrimNativeHeapInterval=5000}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

port=3918
static_port=3919
work=$(mktemp -d)
printf 'load-test-token' > "$work/token"
pid=""
static_pid=""
trap 'kill $pid $static_pid 2>/dev/null || true; rm -rf "$work"' EXIT
report='done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s %.0f p50 %.2f p99 %.2f p99.9 %.2f ms errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end'
cat > "$work/hello.lua" <<LUA
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
$report
LUA
cat > "$work/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer load-test-token"
$report
LUA
if [[ " $floors " == *" static "* ]]; then
  mkdir -p "$work/www"
  printf 'ok\n' > "$work/www/ok.txt"
  cat > "$work/lighttpd.conf" <<CONF
server.document-root = "$work/www"
server.port = $static_port
server.bind = "127.0.0.1"
server.max-keep-alive-requests = 100000000
server.max-keep-alive-idle = 60
server.errorlog = "$work/lighttpd.err"
CONF
  lighttpd -D -f "$work/lighttpd.conf" &
  static_pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$static_port/ok.txt" >/dev/null && break; sleep 0.1; done
fi

url="http://127.0.0.1:$port/api/v1/template.execute"
csv="$out/serve-ab.csv"
echo "pass,config,arm,connections,req_s,p50_ms,p99_ms,p999_ms,errors,rss_mib,load1" > "$csv"
# cell NAME ARM C URL LUA: one wrk run, printed and added to the csv; its p99 in $p99
cell() {
  local t=$(( $3 < 2 ? 1 : 2 )) r rss load
  r=$(wrk -t$t -c"$3" -d"${secs}s" -s "$5" "$4" | grep '^RESULT')
  rss=$(awk '/VmRSS/{print int($2/1024)}' /proc/$pid/status)
  load=$(cut -d' ' -f1 /proc/loadavg)
  p99=$(echo "$r" | awk '{print $7}')
  echo "$r" | awk -v p="$pass" -v n="$1" -v a="$2" -v c="$3" -v m="$rss" -v l="$load" \
    '{print p","n","a","c","$3","$5","$7","$9","$12","m","l}' >> "$csv"
  echo "pass $pass $1 $2 c=$3: $r (RSS $rss MiB, load average $load)"
}
for pass in $(seq "$passes"); do
  order=("${configs[@]}")
  if (( pass % 2 == 0 )); then # reversed on even passes, so a drift in the machine's load favours no one
    order=(); for (( i=${#configs[@]}-1; i>=0; i-- )); do order+=("${configs[$i]}"); done
  fi
  for cfg in "${order[@]}"; do
    name="${cfg%%=*}"; read -r -a cmd <<< "${cfg#*=}"
    jar=weft-cli/target/weft.jar
    if [[ "${cmd[0]}" == jar=* ]]; then jar="${cmd[0]#jar=}"; cmd=("${cmd[@]:1}"); fi
    gclog=()
    [ "${GCLOG:-0}" = 1 ] && gclog=("-Xlog:gc*,safepoint:file=$out/gc-$pass-$name.log:time,uptimenanos")
    # shellcheck disable=SC2086 # heap and SERVE_OPTS are lists of flags
    "${cmd[0]}" -Xlog:disable -Xlog:all=warning:stderr "${gclog[@]}" -XX:-DontCompileHugeMethods -XX:+ExitOnOutOfMemoryError \
      $heap "${cmd[@]:1}" ${SERVE_OPTS:-} -jar "$jar" serve --port $port \
      --token-file "$work/token" --module-dir examples/modules --no-cache > "$work/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
    wrk -t2 -c8 -d"${WARMUP:-5}s" -s "$work/hello.lua" "$url" > /dev/null
    for c in 1 4; do
      cell "$name" hello $c "$url" "$work/hello.lua"
      hello_p99=$p99
      for f in $floors; do
        case "$f" in
          readyz) cell "$name" readyz $c "http://127.0.0.1:$port/readyz" "$work/get.lua" ;;
          static) cell "$name" static $c "http://127.0.0.1:$static_port/ok.txt" "$work/get.lua" ;;
        esac
        echo "  hello p99 / $f p99 = $(awk -v a="$hello_p99" -v b="$p99" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')"
      done
    done
    kill $pid; wait $pid 2>/dev/null || true; pid=""
    if [ "${GCLOG:-0}" = 1 ]; then
      # every stop of all Java threads (any collector's pauses and the rest), from the safepoint log
      awk -v n="$name" -v p="$pass" '/Safepoint "/{v=$0; sub(/.*Total: /, "", v); v=v/1e6; s+=v; if (v>m) m=v; k++}
        /\]\[[0-9]+ns\]/{match($0, /\]\[[0-9]+ns\]/); t=substr($0, RSTART+2, RLENGTH-5)}
        END{if (t>0) printf "pass %s %s: %d safepoints in %.0f s (%.2f/s), mean %.1f ms, max %.1f ms\n", p, n, k, t/1e9, k/(t/1e9), k ? s/k : 0, m}' \
        "$out/gc-$pass-$name.log"
    fi
  done
done
echo "== medians over passes (hello p99 / floor p99 in the same slot)"
awk -F, 'NR>1{k=$2" "$3" c="$4; n[k]++; r[k]=r[k]" "$5; a[k]=a[k]" "$7; b[k]=b[k]" "$8}
  END{for (k in n) print k": req/s" r[k]" | p99" a[k]" | p99.9" b[k]}' "$csv" | sort
awk -F, 'NR>1{k=$1" "$2" "$4; p[k" "$3]=$7} END{for (x in p) {split(x, f, " "); if (f[4] != "hello" && p[f[1]" "f[2]" "f[3]" hello"] != "")
  printf "pass %s %s c=%s: hello p99 = %.1f x %s p99\n", f[1], f[2], f[3], p[f[1]" "f[2]" "f[3]" hello"] / p[x], f[4]}}' "$csv" | sort
