#!/usr/bin/env bash
# Rebuild the wasm exception-handling fixtures tests/eh/programs/*.wasm from
# programs/cxx_throw.cpp and programs/sjlj.c, each in two encodings:
#
#   NAME.wasm          the standard EH instructions (try_table, throw,
#                      throw_ref, exnref): -mllvm -wasm-use-legacy-eh=false
#   NAME_legacy.wasm   the legacy (phase 3) ones (try, catch, catch_all,
#                      delegate, rethrow, throw): -mllvm -wasm-use-legacy-eh=true
#
# The .wasm files are committed; only this script needs the toolchain:
#
#   * compiler and linker: clang 22.1.8 and wasm-ld 22.1.8 as shipped in
#     Zig 0.17.1 (`zig clang`, `zig wasm-ld`, `zig ar`), from the PyPI wheel
#     ziglang==0.17.1 (x86_64 Linux), sha256-checked, kept in
#     $WX_EH_CACHE (default ~/.cache/wx-eh);
#   * sysroot: the one of @yowasp/clang 22.0.0-git20542-10 (wasi-libc,
#     libsetjmp, crt1, libc++ headers and libc++.a, compiler-rt builtins),
#     laid out by tests/real/fetch.sh (npm), used as --sysroot and
#     -resource-dir like YoWASP's own clang does;
#   * libunwind (Unwind-wasm.c) and libc++abi with exceptions: compiled here,
#     once per encoding, from the LLVM 22.1.8 sources that the Zig wheel
#     ships (lib/libunwind, lib/libcxxabi), plus toolchain/cpp_exception.S
#     (the __cpp_exception tag). The sysroot's libc++abi.a and libc++.a
#     are built with -fno-exceptions (no __cxa_throw); libc++.a is still
#     linked (see README.md for what that means).
#
# Usage: tests/eh/build.sh            (needs python3 with pip, npm, node, tar)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${WX_EH_CACHE:-$HOME/.cache/wx-eh}"

ZIG_VERSION=0.17.1
ZIG_WHEEL=ziglang-0.17.1-py3-none-manylinux_2_12_x86_64.manylinux2010_x86_64.musllinux_1_1_x86_64.whl
ZIG_WHEEL_SHA256=ea6cc5d87b033cf0aedfbc8f9549a908cae6c50ac31f1698188fa48a74524b54
CLANG_DIR=clang-22.0.0-git20542-10   # tests/real/fetch.sh's directory

case "$(uname -sm)" in
  "Linux x86_64") ;;
  *) echo "build.sh: the pinned Zig wheel is for x86_64 Linux" >&2; exit 1 ;;
esac

# --- toolchain ---------------------------------------------------------------

bash "$root/tests/real/fetch.sh"
sysroot="$(bash "$root/tests/real/fetch.sh" --print-dir)/$CLANG_DIR/usr"
[ -f "$sysroot/lib/wasm32-wasip1/libsetjmp.a" ] || { echo "build.sh: no sysroot at $sysroot" >&2; exit 1; }

zigdir="$cache/zig-$ZIG_VERSION"
if [ "$(cat "$zigdir/.complete" 2>/dev/null)" != "$ZIG_WHEEL_SHA256" ]; then
  echo "build.sh: fetching ziglang==$ZIG_VERSION into $zigdir" >&2
  mkdir -p "$cache"
  rm -rf "$zigdir" "$cache/.stage-zig."*
  stage="$(mktemp -d "$cache/.stage-zig.XXXXXX")"
  python3 -m pip download --quiet --no-deps --only-binary :all: --no-cache-dir \
    --platform manylinux_2_12_x86_64 -d "$stage/whl" "ziglang==$ZIG_VERSION" >&2
  got="$(sha256sum "$stage/whl/$ZIG_WHEEL" | cut -d' ' -f1)"
  if [ "$got" != "$ZIG_WHEEL_SHA256" ]; then
    echo "build.sh: $ZIG_WHEEL: sha256 $got, expected $ZIG_WHEEL_SHA256" >&2
    exit 1
  fi
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$stage/whl/$ZIG_WHEEL" "$stage/x"
  mv "$stage/x/ziglang" "$stage/ziglang"
  chmod +x "$stage/ziglang/zig"
  rm -rf "$stage/whl" "$stage/x"
  echo "$ZIG_WHEEL_SHA256" > "$stage/.complete"
  mv "$stage" "$zigdir"
fi
zig="$zigdir/ziglang/zig"
zlib="$zigdir/ziglang/lib"
"$zig" clang --version | head -n 1 | grep -q 'clang version 22\.1\.8' ||
  { echo "build.sh: unexpected $("$zig" clang --version | head -n 1)" >&2; exit 1; }

# --- build -------------------------------------------------------------------

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

target=(--target=wasm32-wasip1 --sysroot="$sysroot" -resource-dir "$sysroot")
# 1 MiB of shadow stack (wasm-ld's default is 64 KiB) for the deep runs.
ldflags=(-m wasm32 -z stack-size=1048576 -L"$sysroot/lib/wasm32-wasip1"
         "$sysroot/lib/wasm32-wasip1/crt1-command.o")
builtins="$sysroot/lib/wasm32-unknown-wasip1/libclang_rt.builtins.a"

abi_sources=(abort_message cxa_aux_runtime cxa_default_handlers cxa_demangle
  cxa_exception cxa_exception_storage cxa_guard cxa_handlers cxa_personality
  cxa_thread_atexit cxa_vector cxa_virtual fallback_malloc private_typeinfo
  stdlib_exception stdlib_new_delete stdlib_stdexcept stdlib_typeinfo)

for variant in exnref legacy; do
  case $variant in
    exnref) legacy=false; suffix= ;;
    legacy) legacy=true; suffix=_legacy ;;
  esac
  eh=(-fwasm-exceptions -mllvm -wasm-use-legacy-eh=$legacy)
  d="$work/$variant"
  mkdir -p "$d"

  # libunwind: only Unwind-wasm.c is used on wasm, plus the tag
  "$zig" clang "${target[@]}" -O2 -DNDEBUG "${eh[@]}" -std=c23 -D_LIBUNWIND_HIDE_SYMBOLS \
    -I"$zlib/libunwind/include" -c "$zlib/libunwind/src/Unwind-wasm.c" -o "$d/Unwind-wasm.o"
  "$zig" clang "${target[@]}" -mexception-handling -c "$here/toolchain/cpp_exception.S" \
    -o "$d/cpp_exception.o"
  "$zig" ar rcs "$d/libunwind.a" "$d/Unwind-wasm.o" "$d/cpp_exception.o"

  # libc++abi with exceptions, single-threaded like the programs
  objs=()
  for f in "${abi_sources[@]}"; do
    "$zig" clang --driver-mode=g++ "${target[@]}" -O2 -DNDEBUG "${eh[@]}" -std=c++23 \
      -D_LIBCXXABI_BUILDING_LIBRARY -D_LIBCPP_BUILDING_LIBRARY -D_LIBCXXABI_HAS_NO_THREADS \
      -I"$zlib/libunwind/include" -I"$zlib/libcxxabi/include" -I"$zlib/libcxx/src" \
      -c "$zlib/libcxxabi/src/$f.cpp" -o "$d/$f.o"
    objs+=("$d/$f.o")
  done
  "$zig" ar rcs "$d/libc++abi.a" "${objs[@]}"

  # the programs
  "$zig" clang --driver-mode=g++ "${target[@]}" -O2 -std=c++20 -Wall -Wextra -Werror "${eh[@]}" \
    -c "$here/programs/cxx_throw.cpp" -o "$d/cxx_throw.o"
  "$zig" wasm-ld "${ldflags[@]}" "$d/cxx_throw.o" -lc++ "$d/libc++abi.a" "$d/libunwind.a" \
    -lc "$builtins" -o "$here/programs/cxx_throw$suffix.wasm"

  "$zig" clang "${target[@]}" -O2 -std=c11 -Wall -Wextra -Werror \
    -mllvm -wasm-enable-sjlj -mllvm -wasm-use-legacy-eh=$legacy \
    -c "$here/programs/sjlj.c" -o "$d/sjlj.o"
  "$zig" wasm-ld "${ldflags[@]}" "$d/sjlj.o" -lsetjmp -lc "$builtins" \
    -o "$here/programs/sjlj$suffix.wasm"
done

cd "$here/programs"
ls -l ./*.wasm
sha256sum ./*.wasm
