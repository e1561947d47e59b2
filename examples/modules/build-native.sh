#!/usr/bin/env bash
# Builds the native benchmark baselines (compute; image and its input generator genppm) into
# OUT_DIR (never into the source tree).
#   examples/modules/build-native.sh OUT_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$1"
for src in compute/compute image/image image/genppm; do
  name=$(basename "$src")
  gcc -O2 -Wall -Wextra -o "$1/$name" "$here/$src.c"
  echo "built $1/$name"
done
