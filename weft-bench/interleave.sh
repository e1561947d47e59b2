#!/usr/bin/env bash
# Runs whole commands one process per run, interleaved (their order rotating each round) so that a
# shared machine's changing load falls on all of them alike, and prints per command the median wall
# time and user+system CPU, each also as a ratio to the FIRST command (the baseline, e.g.
# `java -version`), plus the load average before and after (docs/benchmarks.md §4.2).
#   weft-bench/interleave.sh ROUNDS 'baseline command' 'command' ...
set -euo pipefail
rounds=$1; shift
cmds=("$@"); n=${#cmds[@]}
out=$(mktemp); trap 'rm -f "$out"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  for i in $(seq 0 $((n - 1))); do
    k=$(((i + r) % n))
    /usr/bin/time -f "$k %e %U %S" -a -o "$out" bash -c "${cmds[$k]}" >/dev/null 2>&1
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v n="$n" '
  function median(s,   a, m, i, t, x) { m = split(s, a, " "); for (i = 1; i <= m; i++) for (t = i; t > 1 && a[t-1] + 0 > a[t] + 0; t--) { x = a[t]; a[t] = a[t-1]; a[t-1] = x }; return m % 2 ? a[(m+1)/2] : (a[m/2] + a[m/2+1]) / 2 }
  NF == 4 && $1 ~ /^[0-9]+$/ { w[$1] = w[$1] " " $2; c[$1] = c[$1] " " ($3 + $4) }
  END {
    bw = median(w[0]); bc = median(c[0])
    printf "%-4s %18s %22s\n", "cmd", "wall s (x first)", "user+sys s (x first)"
    for (k = 0; k < n; k++) printf "%-4d %9.3f (%5.2f) %13.3f (%5.2f)\n", k, median(w[k]), median(w[k]) / bw, median(c[k]), median(c[k]) / bc
  }' "$out"
