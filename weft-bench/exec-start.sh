#!/usr/bin/env bash
# weft exec's start-up against `java -version` on the JDK the launcher picks (docs/benchmarks.md
# §4.2): one process per run, the commands interleaved (their order rotating each round) so that a
# shared machine's changing load falls on all of them alike. Prints, per command, the median wall
# time, user CPU and user+system CPU, each also as a ratio to `java -version` of the same rounds,
# and the load average before and after.
#   weft-bench/exec-start.sh [ROUNDS]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
H=examples/modules/hello/hello.wasm
./weft exec "$H" --no-cache >/dev/null 2>&1  # builds the CLI and its start-up archive first
jdk=$(./weft --version | sed -n 's/^JVM: .*, \(\/.*\))$/\1/p')
empty=$(mktemp -d); warm=$(mktemp -d); out=$(mktemp)
trap 'rm -rf "$empty" "$warm" "$out"' EXIT
./weft exec "$H" --cache-dir "$warm" --engine compiler >/dev/null 2>&1  # hello's compiled code on disk

names=(java-version exec exec-warm exec-no-archive)
declare -A cmd=(
  [java-version]="$jdk/bin/java -Xshare:auto -version"
  [exec]="./weft exec $H --cache-dir $empty"             # auto: the interpreter (nothing compiled on disk)
  [exec-warm]="./weft exec $H --cache-dir $warm"         # auto: the compiler, its code from the disk cache
  [exec-no-archive]="env WEFT_ARCHIVE=off ./weft exec $H --cache-dir $empty"
)
echo "JDK: $jdk; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    n=${names[$(((i + r) % ${#names[@]}))]}
    /usr/bin/time -f "$n %e %U %S" -a -o "$out" ${cmd[$n]} >/dev/null 2>&1
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v order="${names[*]}" '
  function median(s,   a, n, i, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (t = i; t > 1 && a[t-1] + 0 > a[t] + 0; t--) { x = a[t]; a[t] = a[t-1]; a[t-1] = x }; return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
  { w[$1] = w[$1] " " $2; u[$1] = u[$1] " " $3; c[$1] = c[$1] " " ($3 + $4) }
  END {
    split(order, names, " ")
    bw = median(w["java-version"]); bu = median(u["java-version"]); bc = median(c["java-version"])
    printf "%-16s %18s %18s %18s\n", "command", "wall s (x java)", "user s (x java)", "user+sys s (x java)"
    for (i = 1; i in names; i++) { n = names[i]
      printf "%-16s %9.3f (%5.1f) %9.3f (%5.1f) %9.3f (%5.1f)\n", n, median(w[n]), median(w[n]) / bw, median(u[n]), median(u[n]) / bu, median(c[n]), median(c[n]) / bc }
  }' "$out"
