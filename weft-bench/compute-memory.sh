#!/usr/bin/env bash
# A/B of linear-memory implementations and interruption checks on the compute suite
# (docs/benchmarks.md §3.1, §3.2): runs ComputeComparison (native, weft, Node in one run) once per
# kind and JDK, alternating the kinds in each pass so machine noise hits them alike. Ratios against
# native/Node come from the same JVM run.
#   weft-bench/compute-memory.sh [passes] [kinds] [rounds]
# A kind is MEMORY[:CHECK]: MEMORY is flat, paged or buffer (-Dweft.memory); CHECK is memory
# (weft's poll of the memory's stop flag, the default) or thread (Chicory's own interrupt check,
# -Dweft.interruptCheck=thread). Example: weft-bench/compute-memory.sh 3 "flat flat:thread" 2
#   JDKS="/path/to/jdk17 /path/to/jdk25" overrides the JDKs (default: java on PATH, then any JDK 25
#   found in the standard JVM directory).
set -euo pipefail
cd "$(dirname "$0")/.."
passes="${1:-2}"
kinds="${2:-flat paged buffer}"
rounds="${3:-3}"
out=weft-bench/target/results
mkdir -p "$out"
[ -f weft-bench/target/weft-bench.jar ] || mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-bench -am
examples/modules/build-native.sh weft-bench/target/native >/dev/null
if [ -z "${JDKS:-}" ]; then
  JDKS="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  for d in /usr/lib/jvm/*25*; do [ -x "$d/bin/java" ] && { JDKS="$JDKS $d"; break; }; done
fi
csv="$out/compute-memory.csv"
echo "pass,jdk,memory,kernel,weft_over_native,node_over_native,weft_over_node" > "$csv"
for pass in $(seq "$passes"); do
  for jdk in $JDKS; do
    v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
    for kind in $kinds; do
      echo "== pass $pass, JDK $v, memory $kind (load average $(cut -d' ' -f1 /proc/loadavg))"
      check="${kind#*:}"; [ "$check" = "$kind" ] && check=memory
      "$jdk/bin/java" -Xmx2g -XX:-DontCompileHugeMethods -Dweft.memory="${kind%%:*}" -Dweft.interruptCheck="$check" \
        -Dcsv="$out/cm-$pass-$v-$kind.csv" \
        -cp weft-bench/target/weft-bench.jar dev.weft.bench.ComputeComparison \
        weft-bench/target/native/compute examples/modules/compute/compute.wasm examples/modules/run-node.mjs "$rounds" \
        | grep -v '^$'
      tail -n +2 "$out/cm-$pass-$v-$kind.csv" | awk -F, -v p="$pass" -v j="$v" -v k="$kind" '{print p","j","k","$1","$6","$7","$8}' >> "$csv"
    done
  done
done
echo "== geometric means per JDK and memory over all passes (weft/native, node/native, weft/node)"
awk -F, 'NR>1{key=$2" "$3; n[key]++; a[key]+=log($5); b[key]+=log($6); c[key]+=log($7)}
  END{for (k in n) printf "JDK %s: weft/native %.2f  node/native %.2f  weft/node %.2f  (%d kernel runs)\n", k, exp(a[k]/n[k]), exp(b[k]/n[k]), exp(c[k]/n[k]), n[k]}' "$csv" | sort
echo "== per kernel (median over passes of weft/native)"
awk -F, 'NR>1{print $2" "$3" "$4" "$5}' "$csv" | sort -k1,1 -k2,2 -k3,3 -k4,4n | awk '{key=$1" "$2" "$3; v[key]=v[key]" "$4} END{for (k in v) print "JDK " k ":" v[k]}' | sort
