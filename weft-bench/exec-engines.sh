#!/usr/bin/env bash
# weft exec, one cold process per run: interpreter vs compiler vs tiered, with an empty and a
# warm compiled-code cache, against Node's node:wasi on the same modules in the same run.
#   weft-bench/exec-engines.sh [REPS]      (prints one median wall-clock time per row, seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
M=examples/modules
./weft --help >/dev/null  # builds the CLI and its class-data archive first

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t() {  # t CMD...: wall time of one run in seconds
  local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
  echo "$e - $s" | bc
}
row() {  # row LABEL SETUP CMD...: median of $reps runs; SETUP runs before each (untimed)
  local label=$1 setup=$2; shift 2
  for _ in $(seq "$reps"); do eval "$setup"; t "$@"; done | median | xargs printf '%-44s %s\n' "$label"
}

work=$(mktemp -d); cache=$(mktemp -d)
trap 'rm -rf "$work" "$cache"' EXIT
declare -A args=(
  [hello]="-p name=bench"
  [reverse]="-p text=benchmark"
  [compute]="fib 27 1"
)
declare -A nodeargs=([hello]="" [reverse]="" [compute]="fib 27 1")
for m in hello reverse compute; do
  wasm=$M/$m/$m.wasm
  echo "{\"workflow_name\":\"bench\",\"parameters\":[{\"name\":\"name\",\"value\":\"bench\"},{\"name\":\"text\",\"value\":\"benchmark\"}],\"plugin_options\":[]}" > "$work/input.json"
  row "$m node (baseline)" ":" node $M/run-node.mjs "$wasm" "$work" ${nodeargs[$m]}
  row "$m --engine interpreter" ":" ./weft exec --no-cache --engine interpreter "$wasm" ${args[$m]}
  row "$m --engine compiler, empty cache" "rm -rf $cache/*" ./weft exec --cache-dir "$cache" --engine compiler "$wasm" ${args[$m]}
  row "$m --engine tiered, empty cache" "rm -rf $cache/*" ./weft exec --cache-dir "$cache" --engine tiered "$wasm" ${args[$m]}
  row "$m --engine auto, empty cache" "rm -rf $cache/*" ./weft exec --cache-dir "$cache" "$wasm" ${args[$m]}
  ./weft exec --cache-dir "$cache" --engine compiler "$wasm" ${args[$m]} >/dev/null 2>&1 || true
  row "$m --engine compiler, warm cache" ":" ./weft exec --cache-dir "$cache" --engine compiler "$wasm" ${args[$m]}
  row "$m --engine tiered, warm cache" ":" ./weft exec --cache-dir "$cache" --engine tiered "$wasm" ${args[$m]}
  row "$m --engine auto, warm cache" ":" ./weft exec --cache-dir "$cache" "$wasm" ${args[$m]}
done
