#!/usr/bin/env bash
# Workflow benchmarks for weft run: wall time of the run (printed by weft run as Duration, so JVM
# start-up is excluded), the whole command's wall time, and the process's peak RSS.
#   weft-bench/run-workflows.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=${1:-3}
"$root/weft" --version >/dev/null  # builds the jar if needed
for wf in fanout-100 sequence-10000; do
  for i in $(seq 1 "$runs"); do
    out=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$out.time" "$root/weft" run "$root/weft-bench/workflows/$wf.yaml" >"$out" 2>/dev/null || true
    status=$(grep '^Status:' "$out" | awk '{print $2}')
    duration=$(grep '^Duration:' "$out" | awk '{print $2}')
    read -r wall rss <"$out.time"
    printf '%-16s run %d: %-10s workflow %-8s process %ss, peak RSS %d MiB\n' "$wf" "$i" "$status" "$duration" "$wall" $((rss / 1024))
    rm -f "$out" "$out.time"
  done
done
