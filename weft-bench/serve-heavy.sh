#!/usr/bin/env bash
# Memory-heavy steps against `./weft serve` with the launcher's lean defaults (docs/benchmarks.md
# §5.2): two steps that grow their linear memory to the 64MiB limit at once, then 20 more two at a
# time (timed), a step that uses ~36MiB, a step asking for more than --memory, and hello. Prints
# each reply, the server's command line, and its RSS at the end.
#   weft-bench/serve-heavy.sh                       # the launcher's defaults
#   WEFT_JAVA_OPTS=-XX:+UseSerialGC weft-bench/serve-heavy.sh   # another collector, same heap sizing
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-3940}
log=$(mktemp)
./weft serve --port "$port" --insecure-no-auth --no-cache --module-dir examples/modules --workers 2 --memory 64MiB > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
echo "server: $(tr '\0' ' ' < /proc/$pid/cmdline)"
step() { # uid module limits-json args-json
  curl -s "http://127.0.0.1:$port/api/v1/template.execute" -H 'Content-Type: application/json' -d '{
   "workflow":{"metadata":{"name":"heavy","namespace":"argo","uid":"'"$1"'"}},
   "template":{"name":"t","plugin":{"wasm":{"module":{"file":"'"$2"'"},"limits":'"$3"',"args":'"$4"'}}}}'
  echo
}
echo "== two grow steps at once, each to its 64MiB limit"
step g1 adversarial/grow.wasm '{"memory":"64Mi"}' '[]' & a=$!
step g2 adversarial/grow.wasm '{"memory":"64Mi"}' '[]' & b=$!
wait $a $b
echo "== 20 grow steps, two at a time"
t0=$(date +%s%N)
for i in $(seq 10); do
  step "s$i-a" adversarial/grow.wasm '{"memory":"64Mi"}' '[]' > /dev/null & a=$!
  step "s$i-b" adversarial/grow.wasm '{"memory":"64Mi"}' '[]' > /dev/null & b=$!
  wait $a $b
done
echo "20 grow steps: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
echo "== a step that uses ~36MiB (desaturate 3072x3072) under a 64Mi limit"
# a step still running after --requeue-after is answered Running; the same request again attaches
# to it, as Argo's agent does when it requeues
for _ in 1 2 3 4 5 6; do
  r=$(step d1 compute/compute.wasm '{"memory":"64Mi"}' '["desaturate","3072","1"]')
  case "$r" in *'"Running"'*) ;; *) break ;; esac
done
echo "$r"
echo "== a step asking for more than the server gives"
step m1 hello/hello.wasm '{"memory":"128Mi"}' '[]'
echo "== hello after"
step h1 hello/hello.wasm '{}' '[]'
echo "alive: $(kill -0 $pid && echo yes); RSS $(awk '/VmRSS/{print int($2/1024)}' /proc/$pid/status) MiB, peak $(awk '/VmHWM/{print int($2/1024)}' /proc/$pid/status) MiB (load average $(cut -d' ' -f1 /proc/loadavg))"
