// Run a WASI preview1 command under Node's V8 and node:wasi, for
// cross-checking the *_legacy.wasm fixtures, which wasmtime 51 rejects
// ("legacy_exceptions feature required"); V8 runs the legacy EH encoding
// without flags (and Node 20's V8 does not know exnref).
//
//   node tests/eh/node_run.mjs PROGRAM.wasm [ARGS...]
//
// argv[0] is the file name, the environment is empty, nothing is
// preopened, stdin is empty. Exit status as tests/oracle/wasmtime_run.py
// reports it: the guest's proc_exit code, 0 when _start returns, 134 for a
// wasm trap or an exception that leaves _start.
import { readFileSync, openSync } from "node:fs";
import { basename } from "node:path";
import { WASI } from "node:wasi";

const [program, ...args] = process.argv.slice(2);
const wasi = new WASI({
  version: "preview1",
  args: [basename(program), ...args],
  env: {},
  preopens: {},
  stdin: openSync("/dev/null", "r"),
  // proc_exit ends the process at once: with returnOnExit: true Node
  // unwinds the wasm stack with a JS exception, which a wasm catch_all
  // catches (cxx_throw terminate-handler: _Exit(3) inside a terminate
  // handler called from a catch_all pad would loop until the JS stack
  // overflows). wasmtime's proc_exit cannot be caught by wasm code.
  returnOnExit: false,
});
const module = await WebAssembly.compile(readFileSync(program));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
let code = 0;
try {
  wasi.start(instance);
} catch (e) {
  const kind = e instanceof WebAssembly.RuntimeError ? "wasm trap"
    : (WebAssembly.Exception && e instanceof WebAssembly.Exception) ? "uncaught wasm exception"
    : "error";
  process.stderr.write(`Error: ${kind}: ${e.message ?? e}\n`);
  code = 134;
}
process.exitCode = code;
