#!/usr/bin/env bash
# weft vs one runc container per task vs one native process per task (docs/benchmarks.md §8).
#   weft-bench/compare.sh [extra Compare options, e.g. --seconds 3 --levels 1,4,16 --arms weft,native]
#   weft-bench/compare.sh --weft-java-opts "-Xmx1g"     # the weft server with other JVM flags
# Builds weft.jar and weft-bench.jar, the three task programs (hello, image, copy) natively
# (gcc -static) and to wasm32-wasi (clang), then runs dev.weft.bench.compare.Compare, which writes
# weft-bench/target/compare/{compare.csv,machine.txt,*.png}. The weft server is started through the
# ./weft launcher, as users start it (its JDK, start-up archive and lean serve defaults). The runc
# arm needs root and runc (apt-get install runc); without them it is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
out=weft-bench/target/compare
bin=$out/bin
wasm=$out/wasm
mkdir -p "$bin" "$wasm"

mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli,weft-bench -am

src=weft-bench/src/main/c
declare -A sources=([hello]=$src/hello.c [image]=examples/modules/image/image.c [copy]=$src/copy.c)
for name in "${!sources[@]}"; do
  # the same source both ways, with stamp.c (start/end timestamps, peak memory) linked in
  gcc -O2 -static -o "$bin/$name" "${sources[$name]}" $src/stamp.c
  clang --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug -o "$wasm/$name.wasm" "${sources[$name]}" $src/stamp.c
done

# the launcher makes the servers' start-up archive on its first serve after a build: do it now, not
# in the middle of the measurement
./weft serve --port 0 --insecure-no-auth --no-cache --module-dir examples/modules \
  --training-run hello/hello.wasm > "$out/training-run.log" 2>&1

exec java -Xmx1g -cp weft-bench/target/weft-bench.jar dev.weft.bench.compare.Compare \
  --bin "$bin" --wasm "$wasm" --weft ./weft --out "$out" "$@"
