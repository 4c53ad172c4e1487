#!/bin/sh
# Rebuild tests/wasi/programs/*.wasm from the C sources.
# Needs Debian's clang-14 and wasi-libc (packages clang-14, lld-14, wasi-libc,
# libclang-rt-14-dev-wasm32).
set -eu
cd "$(dirname "$0")/programs"
for src in *.c; do
  clang --target=wasm32-wasi -O2 -s -Wall -Werror -Wno-unused-result -Wno-unused-function \
    -o "${src%.c}.wasm" "$src"
done
