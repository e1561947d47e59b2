#!/usr/bin/env bash
# Reproduces the numbers in docs/benchmarks.md. Run on a quiet machine; takes ~6 minutes.
#   weft-bench/run.sh            # everything
#   weft-bench/run.sh hello      # one part: hello | compile | compute | cli
set -euo pipefail
cd "$(dirname "$0")/.."
out=weft-bench/target/results
mkdir -p "$out"
part="${1:-all}"

mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli,weft-bench -am
jar=weft-bench/target/weft-bench.jar

if [[ $part == all || $part == hello ]]; then
  java -jar "$jar" HelloTaskBenchmark -rf json -rff "$out/hello.json" | tee "$out/hello.txt"
fi
if [[ $part == all || $part == compile ]]; then
  java -jar "$jar" CompileBenchmark -rf json -rff "$out/compile.json" | tee "$out/compile.txt"
fi
if [[ $part == all || $part == compute ]]; then
  examples/modules/build-native.sh weft-bench/target/native
  java -Xmx2g -Dcsv="$out/compute.csv" -cp "$jar" dev.weft.bench.ComputeComparison \
    weft-bench/target/native/compute examples/modules/compute/compute.wasm examples/modules/run-node.mjs \
    | tee "$out/compute.txt"
fi
if [[ $part == all || $part == cli ]]; then
  command -v hyperfine >/dev/null || { echo "cli: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
  ./weft exec examples/modules/hello/hello.wasm >/dev/null   # builds the jar and the CDS archive
  cache=$(mktemp -d)
  ./weft exec examples/modules/hello/hello.wasm --cache-dir "$cache" >/dev/null  # warm the disk cache
  hyperfine -N -w 3 -r 20 --export-markdown "$out/cli.md" \
    "java -Xshare:auto -version" \
    "./weft exec examples/modules/hello/hello.wasm --cache-dir $cache" \
    "./weft exec examples/modules/hello/hello.wasm --no-cache" \
    "./weft exec examples/modules/hello/hello.wasm --interpreter --no-cache"
  rm -rf "$cache"
fi
