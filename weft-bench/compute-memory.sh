#!/usr/bin/env bash
# A/B of linear-memory implementations and interruption checks on the compute suite
# (docs/benchmarks.md §3.1, §3.2): runs ComputeComparison (native, weft, Node in one run) once per
# kind and JDK, alternating the kinds in each pass so machine noise hits them alike. Ratios against
# native/Node come from the same JVM run.
#   weft-bench/compute-memory.sh [passes] [kinds] [rounds]
# A kind is MEMORY[:CHECK][@OPTIONS]: MEMORY is flat, paged or buffer (-Dweft.memory); CHECK is
# memory (weft's poll of the memory's stop flag, the default) or thread (Chicory's own interrupt
# check, -Dweft.interruptCheck=thread); OPTIONS are extra JVM options, comma-separated.
# Example: weft-bench/compute-memory.sh 3 "flat flat:thread flat@-XX:LoopUnrollLimit=250" 2
# The kinds run in the given order in odd passes and in reverse order in even ones.
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
    order="$kinds"; [ $((pass % 2)) -eq 0 ] && order="$(echo "$kinds" | tr ' ' '\n' | tac | tr '\n' ' ')"
    for kind in $order; do
      echo "== pass $pass, JDK $v, memory $kind (load average $(cut -d' ' -f1 /proc/loadavg))"
      base="${kind%%@*}"; opts=()
      [ "$base" != "$kind" ] && IFS=, read -r -a opts <<< "${kind#*@}"
      check="${base#*:}"; [ "$check" = "$base" ] && check=memory
      file="$out/cm-$pass-$v-$(echo "$kind" | tr -c 'A-Za-z0-9._\n-' '_').csv"
      "$jdk/bin/java" -Xmx2g -XX:-DontCompileHugeMethods "${opts[@]}" -Dweft.memory="${base%%:*}" -Dweft.interruptCheck="$check" \
        -Dcsv="$file" \
        -cp weft-bench/target/weft-bench.jar dev.weft.bench.ComputeComparison \
        weft-bench/target/native/compute examples/modules/compute/compute.wasm examples/modules/run-node.mjs "$rounds" \
        | grep -v '^$'
      tail -n +2 "$file" | awk -F, -v p="$pass" -v j="$v" -v k="${kind//,/+}" '{print p","j","k","$1","$6","$7","$8}' >> "$csv"
    done
  done
done
echo "== geometric means per JDK and memory over all passes (weft/native, node/native, weft/node)"
awk -F, 'NR>1{key=$2" "$3; n[key]++; a[key]+=log($5); b[key]+=log($6); c[key]+=log($7)}
  END{for (k in n) printf "JDK %s: weft/native %.2f  node/native %.2f  weft/node %.2f  (%d kernel runs)\n", k, exp(a[k]/n[k]), exp(b[k]/n[k]), exp(c[k]/n[k]), n[k]}' "$csv" | sort
echo "== per kernel (median over passes of weft/native)"
awk -F, 'NR>1{print $2" "$3" "$4" "$5}' "$csv" | sort -k1,1 -k2,2 -k3,3 -k4,4n | awk '{key=$1" "$2" "$3; v[key]=v[key]" "$4} END{for (k in v) print "JDK " k ":" v[k]}' | sort
