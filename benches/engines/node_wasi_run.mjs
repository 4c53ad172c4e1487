// Run a WASI command module under Node.js (V8: Liftoff, then TurboFan),
// for `wx bench --external`.
//
// Usage: node --no-warnings node_wasi_run.mjs [--dir HOST::GUEST]... [--env K=V]... FILE.wasm [ARGS...]
//
// The guest's stdout and stderr are this process's (a pipe, under
// `wx bench`); the exit status is the guest's `proc_exit` code, 1 on a trap
// or any other error. On success, the last stderr line is
//
//     wx-bench-time: compile=<s> instantiate=<s> run=<s>
//
// the in-process times in seconds (without Node's own start-up), which
// `wx bench` reports instead of the subprocess wall time.
//
// Needs Node.js 20 or later (node:wasi with `version: 'preview1'`).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import process from 'node:process';
import { WASI } from 'node:wasi';

function seconds(from, to) {
  return (Number(to - from) / 1e9).toFixed(6);
}

function main() {
  let rest = process.argv.slice(2);
  const preopens = {};
  const env = {};
  while (rest.length >= 2 && (rest[0] === '--dir' || rest[0] === '--env')) {
    const [flag, value] = rest;
    rest = rest.slice(2);
    if (flag === '--dir') {
      // HOST[::GUEST[::ro]] (node's WASI has no read-only preopens).
      const [host, guest] = value.split('::');
      preopens[guest ?? host] = host;
    } else {
      const eq = value.indexOf('=');
      env[eq < 0 ? value : value.slice(0, eq)] = eq < 0 ? '' : value.slice(eq + 1);
    }
  }
  const [file, ...args] = rest;
  if (!file) {
    process.stderr.write('usage: node node_wasi_run.mjs FILE.wasm [ARGS...]\n');
    return 2;
  }
  const bytes = readFileSync(file);
  const wasi = new WASI({
    version: 'preview1',
    args: [basename(file), ...args],
    env,
    preopens,
    returnOnExit: true,
  });
  const t0 = process.hrtime.bigint();
  const module = new WebAssembly.Module(bytes);
  const t1 = process.hrtime.bigint();
  const instance = new WebAssembly.Instance(module, wasi.getImportObject());
  const t2 = process.hrtime.bigint();
  const code = wasi.start(instance);
  const t3 = process.hrtime.bigint();
  if (code === 0) {
    process.stderr.write(
      `wx-bench-time: compile=${seconds(t0, t1)} instantiate=${seconds(t1, t2)} run=${seconds(t2, t3)}\n`,
    );
  }
  return code;
}

try {
  process.exitCode = main();
} catch (e) {
  const line = String(e && e.message ? e.message : e).split('\n')[0];
  process.stderr.write(`error: ${line}\n`);
  process.exitCode = 1;
}
