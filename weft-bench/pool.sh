#!/usr/bin/env bash
# weft agent through the API stand-in, against the sidecar path in the same run (docs/benchmarks.md §10):
#   PoolBench: 10,000 hello tasks over 100 TaskSets (burst), then 1,000 tasks added one by one at a
#   steady rate (paced), with 1 and 3 replicas; then 10,000 hello steps posted to weft serve by an
#   agent-like client (16 concurrent calls). SidecarStart: a fresh weft serve process, from start
#   to listening and to its first answered step, and its resident memory.
# Everything runs on this machine: the API stand-in, the replicas, the writer and the clients
# share its cores. Usage: weft-bench/pool.sh [PACED_RATE] [SIDECAR_RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-25}
runs=${2:-5}
out=weft-bench/target/results
mkdir -p "$out"
mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli,weft-bench -am
jvm=(-XX:-DontCompileHugeMethods -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
for replicas in 1 3; do
  echo "== pool, $replicas replica(s), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/pool.txt"
  java "${jvm[@]}" -cp weft-bench/target/weft-bench.jar dev.weft.bench.agent.PoolBench examples/modules "$replicas" 100 100 1000 "$rate" 2>&1 \
    | grep -E '^(pool|burst|paced|replica|sidecar)' | tee -a "$out/pool.txt"
done
for opts in "-XX:-DontCompileHugeMethods" "-XX:-DontCompileHugeMethods -XX:+UseSerialGC"; do
  echo "== sidecar start, JVM options: $opts, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/pool.txt"
  # shellcheck disable=SC2086
  java -cp weft-bench/target/weft-bench.jar dev.weft.bench.agent.SidecarStart weft-cli/target/weft.jar examples/modules "$runs" $opts | tee -a "$out/pool.txt"
done
