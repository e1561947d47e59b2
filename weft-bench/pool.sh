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
    | grep -E '^(pool|burst|paced|replica|in-loop|sidecar)' | tee -a "$out/pool.txt"
done
# The sidecar's start, two ways: the default JDK without a start-up archive (the floor), and as the
# image runs it: the best JDK present (the launcher's choice), the servers' start-up archive from the
# launcher's training run (weft serve --training-run), and the plugin manifest's JVM options with
# the heap of its 1 GiB limit.
manifest=(-XX:-DontCompileHugeMethods -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:-UsePerfData -Xmx768m)
echo "== sidecar start, default java, no archive, manifest options, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/pool.txt"
java -cp weft-bench/target/weft-bench.jar dev.weft.bench.agent.SidecarStart weft-cli/target/weft.jar examples/modules "$runs" "${manifest[@]}" | tee -a "$out/pool.txt"
./weft serve --port 0 --insecure-no-auth --no-cache --module-dir examples/modules --training-run hello/hello.wasm >/dev/null
java_home="$(./weft --version | sed -n 's/^JVM: .*, \(.*\))$/\1/p')"
archive="$(ls -t weft-cli/target/weft-server-*.aot weft-cli/target/weft-server-*.jsa 2>/dev/null | head -1)"
case "$archive" in
  *.aot) use=(-XX:AOTCache="$archive") ;;
  *.jsa) use=(-XX:SharedArchiveFile="$archive" -Xshare:auto) ;;
  *) use=() ;;
esac
echo "== sidecar start as the image runs it: $java_home, archive ${archive##*/}, manifest options, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/pool.txt"
java -Dsidecar.java="$java_home/bin/java" -cp weft-bench/target/weft-bench.jar dev.weft.bench.agent.SidecarStart \
  weft-cli/target/weft.jar examples/modules "$runs" "${manifest[@]}" "${use[@]}" | tee -a "$out/pool.txt"
