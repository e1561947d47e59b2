#!/usr/bin/env bash
# Builds the native benchmark baseline of compute into OUT_DIR (never into the source tree).
#   examples/modules/build-native.sh OUT_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
src="$(cd "$(dirname "$0")" && pwd)/compute/compute.c"
mkdir -p "$1"
gcc -O2 -o "$1/compute" "$src"
echo "built $1/compute"
