#!/usr/bin/env bash
# Medians of weft exec's start-up trace (WEFT_TRACE_STARTUP=1: time since the process started and
# the main thread's CPU at each stage, the process's CPU, the runtime's phases) for one or more ways
# of starting weft, interleaved run by run (docs/benchmarks.md §4.2). Each argument is LABEL=COMMAND,
# COMMAND being what comes before `exec` (a java command line, or ./weft).
#   weft-bench/exec-trace.sh ROUNDS 'before=java -XX:AOTCache=old.aot -jar old.jar' 'after=./weft'
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1; shift
H=examples/modules/hello/hello.wasm
empty=$(mktemp -d); out=$(mktemp); trap 'rm -rf "$empty" "$out"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  for spec in "$@"; do
    label=${spec%%=*}; cmd=${spec#*=}
    line=$(WEFT_TRACE_STARTUP=1 bash -c "$cmd exec $H --cache-dir $empty --engine interpreter" 2>&1 >/dev/null | grep 'start-up' || true)
    echo "$label $line" >>"$out"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$@" <<'PY'
import re, statistics as st, sys
rows = {}
for line in open(sys.argv[1]):
    label, _, rest = line.partition(" ")
    if "start-up" not in rest:
        continue
    parts = rest.split(";")
    rows.setdefault(label, []).append((
        dict(re.findall(r"(\w+)=(\d+)", parts[0])),
        dict(re.findall(r"(\w+)=(\d+)", parts[1])),
        int(re.search(r"process's CPU \(ms\): (\d+)", rest).group(1)),
        dict(re.findall(r"(\w+)=([\d.]+)", rest.split("phases (ms):")[1]))))
for spec in sys.argv[2:]:
    label = spec.split("=", 1)[0]
    runs = rows.get(label, [])
    if not runs:
        print(label, "no trace (did the command fail?)"); continue
    stages = list(runs[0][0])
    med = lambda f: st.median(f(r) for r in runs)
    print(f"{label} ({len(runs)} runs) wall ms:", " ".join(f"{s}={med(lambda r: int(r[0][s])):.0f}" for s in stages))
    print(f"{label} main thread CPU ms:", " ".join(f"{s}={med(lambda r: int(r[1][s])):.0f}" for s in stages),
          f"| process CPU ms: {med(lambda r: r[2]):.0f}")
    print(f"{label} runtime phases ms:", " ".join(f"{k}={med(lambda r: float(r[3][k])):.1f}" for k in runs[0][3]))
PY
