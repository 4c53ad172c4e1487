#!/usr/bin/env python3
"""Assemble WebAssembly text modules to binary with the `wat` crate (through the
PyPI `wasmtime` package's `wasmtime.wat2wasm`), for node_wast_check.mjs.

    python3 wat2wasm_batch.py < modules.json > binaries.json

stdin is a JSON list of module texts (each a whole `(module ...)` form);
stdout is a JSON list, one entry per text, of {"ok": true, "wasm": BASE64}
or {"ok": false, "error": MESSAGE}. `wat` only parses and encodes, it does
not validate, so an `assert_invalid` module assembles here and is then
rejected (or not) by V8.

The `wat` crate is the parser family wx's wast runner uses (`wast` 263), so a
text that assembles here is also accepted by wx's parser. Note that the
`wat`/`wast` crates only accept the legacy `try` in its flat form
(`try ... catch $e ... catch_all ... end`, `try ... delegate L`), not the
folded `(try (do ...) (catch $e ...))` form used by the upstream proposal's
tests.
"""
import base64
import json
import sys

import wasmtime


def main():
    texts = json.load(sys.stdin)
    out = []
    for text in texts:
        try:
            wasm = wasmtime.wat2wasm(text)
            out.append({"ok": True, "wasm": base64.b64encode(bytes(wasm)).decode("ascii")})
        except Exception as e:  # wasmtime.WasmtimeError: a parse error
            out.append({"ok": False, "error": str(e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
