#!/usr/bin/env bash
# What makes `weft serve`'s tail (docs/benchmarks.md §5.1, "The tail's causes and the floor"):
# one server with the launcher's lean serve defaults and -Xlog:gc*,safepoint, then for hello and
# for /readyz (the floor: same Jetty, no task) at 1 and 4 connections
#   - dev.weft.bench.ServeTrace: every request's start and latency, and how many of the slow ones
#     (> 3 ms) overlapped a safepoint (a GC pause or any other stop of all Java threads);
#   - the server's threads' voluntary context switches (each one a sleep and a later wake-up) per
#     request, from /proc: how many thread hand-offs a request costs;
#   - the server's CPU time per request (user + system, from /proc), which the machine's load
#     does not change as much as it changes latency.
#   weft-bench/serve-trace.sh [seconds] [java] [jvm-flags...]     (JAR=... for another weft.jar)
# WARMUP: seconds of hello at 8 connections first (default 15; on a busy machine the JIT is still
# compiling after 5).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
java="${2:-java}"
shift $(( $# < 2 ? $# : 2 ))
jar="${JAR:-weft-cli/target/weft.jar}"
out=weft-bench/target/results
mkdir -p "$out"
[ -f weft-cli/target/weft.jar ] || mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli -am
[ -f weft-bench/target/classes/dev/weft/bench/ServeTrace.class ] \
  || mvn -B -q -Dstyle.color=never -DskipTests compile -pl weft-bench -am
workers=$(nproc 2>/dev/null || echo 2)
heap_mib=$((3 * workers * 256 * 5 / 3))
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
port=3918
work=$(mktemp -d)
printf 'load-test-token' > "$work/token"
log="$out/serve-trace-safepoints.log"
rm -f "$log"
pid=""
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
"$java" -Xlog:disable -Xlog:all=warning:stderr "-Xlog:gc*,safepoint:file=$log:time,uptimenanos" \
  -XX:-DontCompileHugeMethods -XX:+ExitOnOutOfMemoryError -Xms64m "-Xmx${heap_mib}m" \
  -XX:ReservedCodeCacheSize=128m -XX:TrimNativeHeapInterval=5000 "$@" -jar "$jar" serve --port $port \
  --token-file "$work/token" --module-dir examples/modules --no-cache > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
trace=("$java" -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xms3g -Xmx3g -XX:+AlwaysPreTouch
  -cp weft-bench/target/classes dev.weft.bench.ServeTrace)
"${trace[@]}" "http://127.0.0.1:$port/api/v1/template.execute" "$work/token" "${WARMUP:-15}" 8 > /dev/null
# per thread: tid, name, voluntary and involuntary context switches so far
switches() {
  local t
  for t in /proc/$pid/task/*; do
    printf '%s\t%s\t%s\t%s\n' "${t##*/}" "$(cat "$t/comm" 2>/dev/null)" \
      "$(awk '/^voluntary/{print $2}' "$t/status" 2>/dev/null)" "$(awk '/^nonvoluntary/{print $2}' "$t/status" 2>/dev/null)"
  done | sort
}
for c in 1 4; do
  for path in api/v1/template.execute readyz; do
    switches > "$work/before"
    cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
    r=$("${trace[@]}" "http://127.0.0.1:$port/$path" "$work/token" "$secs" $c 3 "$log")
    cpu1=$(awk '{print $14 + $15}' /proc/$pid/stat)
    switches > "$work/after"
    n=$(echo "$r" | awk '/^requests/{print $2}')
    echo "== /$path, $c connection(s), load average $(cut -d' ' -f1 /proc/loadavg)"
    echo "$r"
    awk -v a="$cpu0" -v b="$cpu1" -v n="$n" -v hz="$(getconf CLK_TCK)" \
      'BEGIN{printf "  server CPU %.3f ms per request\n", (b - a) * 1000 / hz / n}'
    # thread names without their numbers, summed: wake-ups per request by kind of thread
    join -t$'\t' "$work/before" "$work/after" | awk -F'\t' -v n="$n" '{k=$2; sub(/[-#0-9]+$/, "", k); v[k]+=$6-$3; i[k]+=$7-$4}
      END{for (k in v) if (v[k] > n / 100) printf "  %5.2f voluntary, %5.2f involuntary switches per request: %s\n", v[k]/n, i[k]/n, k}' | sort -rn
  done
done
