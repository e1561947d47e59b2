#!/usr/bin/env bash
# Rebuilds every example and adversarial .wasm module from source.
#   examples/modules/build.sh
# Needs Debian/Ubuntu packages: clang lld wasi-libc libclang-rt-<N>-dev-wasm32 rustc libstd-rust-dev-wasm32
set -euo pipefail
cd "$(dirname "$0")"

RUSTC=/usr/bin/rustc          # Debian's rustc: its wasm32-wasi std comes from libstd-rust-dev-wasm32
SYSROOT=/usr

# ---- toolchain check: collect the apt packages that are missing ----
missing=()
need() { case " ${missing[*]} " in *" $1 "*) ;; *) missing+=("$1") ;; esac; }

if ! command -v clang >/dev/null; then
  need clang
  # the wasm32 runtime package carries clang's major version: Debian's default clang (14 on Debian 12)
  major=$(apt-cache depends clang 2>/dev/null | grep -o 'clang-[0-9]*' | head -1 | cut -d- -f2 || true)
  need "libclang-rt-${major:-14}-dev-wasm32"
else
  major=$(clang -dumpversion | cut -d. -f1)
  [ -f "$(clang -print-resource-dir)/lib/wasi/libclang_rt.builtins-wasm32.a" ] || need "libclang-rt-$major-dev-wasm32"
fi
command -v wasm-ld >/dev/null || need lld
{ [ -f $SYSROOT/lib/wasm32-wasi/libc.a ] && [ -f $SYSROOT/include/wasm32-wasi/stdio.h ]; } || need wasi-libc
[ -x $RUSTC ] || need rustc
compgen -G "/usr/lib/rustlib/wasm32-wasi/lib/libstd-*.rlib" >/dev/null || need libstd-rust-dev-wasm32

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo "
  echo "build.sh: missing toolchain pieces; install them with:" >&2
  echo "  ${sudo}apt-get install ${missing[*]}" >&2
  exit 1
fi

# ---- build ----
# --strip-debug drops DWARF pulled in from wasi-libc but keeps the "name" section, so traps can
# name functions.
CFLAGS=(--target=wasm32-wasi --sysroot=$SYSROOT -O2 -Wall -Wextra -Wl,--strip-debug)

report() { printf '%-32s %8d bytes\n' "$1" "$(stat -c %s "$1")"; }

c() {  # c <dir/name> [extra flags...]: builds dir/name.c into dir/name.wasm
  local base=$1; shift
  clang "${CFLAGS[@]}" "$@" -o "$base.wasm" "$base.c"
  report "$base.wasm"
}

c hello/hello
c wc/wc
c compute/compute
c argosay/argosay
c head/head
c image/image
c image/genppm
c http-request/http-request
c warmup/opmix -lm

$RUSTC --edition 2021 --target wasm32-wasi -C opt-level=2 -C strip=debuginfo \
  -o reverse/reverse.wasm reverse/reverse.rs
report reverse/reverse.wasm
$RUSTC --edition 2021 --target wasm32-wasi -C opt-level=2 -C strip=debuginfo \
  -o warmup/workload.wasm warmup/workload.rs
report warmup/workload.wasm

# WASI preview 1 conformance suite: one module per function family; expected stdout beside each
for src in wasi-conformance/*.c; do
  c "${src%.c}"
done
$RUSTC --edition 2021 --target wasm32-wasi -C opt-level=2 -C strip=debuginfo \
  -o wasi-conformance/rustfs.wasm wasi-conformance/rustfs.rs
report wasi-conformance/rustfs.wasm

for name in loop grow trap flood badjson escape fail unknown_import bigresult bigparam probe fill entries; do
  c "adversarial/$name"
done
# recurse: put the shadow stack first and make it 8 MiB, so the engine's call stack is exhausted
# long before the shadow stack (and if not, running off the shadow stack traps instead of
# silently overwriting static data).
c adversarial/recurse -Wl,--stack-first -Wl,-z,stack-size=8388608
