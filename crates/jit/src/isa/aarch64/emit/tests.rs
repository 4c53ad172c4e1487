//! AArch64 emission checked by disassembly (yaxpeax-arm): every compiled
//! benchmark function decodes cleanly, with its trap sites on memory
//! accesses and its jump-table entries on instructions; and small
//! functions show the expected sequences.

use crate::compile::compile_for;
use crate::isa::aarch64::Aarch64;
use crate::isa::{CompiledCode, Isa, SiteKind};
use crate::JitError;
use wx_core::ModuleInfo;
use yaxpeax_arch::{Decoder, U8Reader};
use yaxpeax_arm::armv8::a64::{InstDecoder, Instruction, Opcode};

/// The instructions of `code` by offset, jump tables skipped.
fn decode(code: &CompiledCode) -> Vec<(usize, Instruction)> {
    let decoder = InstDecoder::default();
    let mut out = Vec::new();
    let mut at = 0;
    while at + 4 <= code.code.len() {
        if let Some(t) = code.jump_tables.iter().find(|t| t.start as usize == at) {
            at = t.end as usize;
            continue;
        }
        let mut reader = U8Reader::new(&code.code[at..at + 4]);
        let inst = decoder
            .decode(&mut reader)
            .unwrap_or_else(|e| panic!("undecodable word at {at:#x}: {e:?}"));
        out.push((at, inst));
        at += 4;
    }
    out
}

/// An AArch64 CPU with LSE atomics, and one without.
const LSE: Aarch64 = Aarch64 { lse: true };
const NO_LSE: Aarch64 = Aarch64 { lse: false };

fn compile_wat(wat: &str) -> Result<CompiledCode, JitError> {
    let wasm = wat::parse_str(wat).expect("test module parses");
    let info = ModuleInfo::new(&wasm).expect("test module validates");
    compile_for(&LSE, &info, 0)
}

fn mnemonics(code: &CompiledCode) -> Vec<String> {
    let body = code.wasm_entry as usize..code.trap_exit as usize;
    decode(code)
        .into_iter()
        .filter(|(at, _)| body.contains(at))
        .map(|(_, i)| i.to_string())
        .collect()
}

#[test]
fn an_add_is_one_instruction_between_frame_and_return() {
    let code = compile_wat(
        r#"(module (func (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.add))"#,
    )
    .unwrap();
    let text = mnemonics(&code);
    assert!(
        text.iter().any(|t| t.starts_with("add w0, w0, w1")),
        "{text:#?}"
    );
    assert!(text.iter().any(|t| t == "ret"), "{text:#?}");
}

#[test]
fn loads_fault_at_their_trap_sites() {
    let code = compile_wat(
        r#"(module (memory 1) (func (param i32) (result i64)
            local.get 0 i64.load offset=8))"#,
    )
    .unwrap();
    let faults: Vec<(u32, wx_core::TrapCode)> = code.faults().collect();
    assert_eq!(faults.len(), 1, "{faults:?}");
    let insts = decode(&code);
    let (_, at) = insts
        .iter()
        .find(|(at, _)| *at == faults[0].0 as usize)
        .expect("the site is an instruction");
    assert_eq!(at.opcode, Opcode::LDR, "{at}");
}

#[test]
fn division_checks_its_divisor() {
    let code = compile_wat(
        r#"(module (func (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.div_s))"#,
    )
    .unwrap();
    let traps: Vec<SiteKind> = code.sites.iter().map(|s| s.kind).collect();
    assert!(traps.contains(&SiteKind::Trap(wx_core::TrapCode::IntegerDivideByZero)));
    assert!(traps.contains(&SiteKind::Trap(wx_core::TrapCode::IntegerOverflow)));
    let text = mnemonics(&code).join("\n");
    assert!(text.contains("sdiv"), "{text}");
}

/// Every function of every benchmark program either compiles to code
/// that decodes cleanly (trap sites on loads and stores, jump tables on
/// instructions) or is refused with an "unsupported" reason; never an
/// internal error.
#[test]
fn benchmark_functions_emit_decodable_code() {
    let (mut compiled, mut refused) = (0, 0);
    for (path, info) in crate::test_util::benchmark_modules(false) {
        for def in 0..info.num_defined_funcs() {
            match compile_for(&LSE, &info, def) {
                Ok(code) => {
                    compiled += 1;
                    let insts = decode(&code);
                    let at = |pc: u32| insts.iter().find(|(a, _)| *a == pc as usize);
                    for (pc, _) in code.faults() {
                        let (_, inst) = at(pc).unwrap_or_else(|| {
                            panic!(
                                "{}: def {def}: trap site {pc:#x} not an instruction",
                                path.display()
                            )
                        });
                        let name = format!("{:?}", inst.opcode);
                        assert!(
                            name.starts_with("LD") || name.starts_with("ST"),
                            "{}: def {def}: trap site {pc:#x} is {inst}",
                            path.display()
                        );
                    }
                    for t in &code.jump_tables {
                        for word in code.code[t.start as usize..t.end as usize].chunks(4) {
                            let rel = i32::from_le_bytes(word.try_into().unwrap());
                            let target = (t.start as i64 + i64::from(rel)) as u32;
                            assert!(at(target).is_some(), "jump table entry {target:#x}");
                        }
                    }
                    assert!(!LSE.disassemble(&code).is_empty());
                }
                Err(JitError::Unsupported { .. }) => refused += 1,
                Err(e) => panic!("{}: def {def}: {e}", path.display()),
            }
        }
    }
    assert!(compiled > 0, "nothing compiled ({refused} refused)");
    eprintln!("aarch64: {compiled} compiled, {refused} not yet");
}

#[test]
fn atomics_use_lse_or_exclusive_loops() {
    let wat = r#"(module (memory 1 1 shared)
        (func (param i32 i32) (result i32)
          local.get 0 local.get 1 i32.atomic.rmw.sub)
        (func (param i32 i64 i64) (result i64)
          local.get 0 local.get 1 local.get 2 i64.atomic.rmw8.cmpxchg_u))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let info = ModuleInfo::new(&wasm).unwrap();
    let text = |isa: &Aarch64, def| {
        let code = compile_for(isa, &info, def).unwrap();
        let kinds: Vec<SiteKind> = code.sites.iter().map(|s| s.kind).collect();
        assert!(
            kinds.contains(&SiteKind::Trap(wx_core::TrapCode::UnalignedAtomic)) || def == 1,
            "{kinds:?}"
        );
        assert_eq!(code.faults().count(), 1);
        mnemonics(&code).join("\n")
    };
    let (sub, cas) = (text(&LSE, 0), text(&LSE, 1));
    assert!(sub.contains("ldaddal"), "{sub}");
    assert!(cas.contains("casalb"), "{cas}");
    let (sub, cas) = (text(&NO_LSE, 0), text(&NO_LSE, 1));
    assert!(sub.contains("ldaxr") && sub.contains("stlxr"), "{sub}");
    assert!(cas.contains("ldaxrb") && cas.contains("stlxrb"), "{cas}");
}

/// The body of a one-function module with `sig` (e.g. `(param f32 f32)
/// (result f32)`) and `body`, disassembled.
fn float_fn(sig: &str, body: &str) -> (CompiledCode, String) {
    let code = compile_wat(&format!("(module (func {sig} {body}))"))
        .unwrap_or_else(|e| panic!("{sig} {body}: {e}"));
    let text = mnemonics(&code).join("\n");
    (code, text)
}

/// Asserts that `text` has a line starting with each of `want`.
fn assert_lines(text: &str, want: &[&str]) {
    for w in want {
        assert!(
            text.lines().any(|l| l.starts_with(w)),
            "no `{w}` in\n{text}"
        );
    }
}

#[test]
fn float_arithmetic_is_one_instruction() {
    for (ty, r) in [("f32", "s"), ("f64", "d")] {
        let sig = format!("(param {ty} {ty}) (result {ty})");
        for (op, inst) in [
            ("add", "fadd"),
            ("sub", "fsub"),
            ("mul", "fmul"),
            ("div", "fdiv"),
            // NaN-propagating, -0 < +0: not fminnm/fmaxnm.
            ("min", "fmin"),
            ("max", "fmax"),
        ] {
            let (_, text) = float_fn(&sig, &format!("local.get 0 local.get 1 {ty}.{op}"));
            assert_lines(&text, &[&format!("{inst} {r}0, {r}0, {r}1")]);
            assert!(!text.contains("nm "), "{text}");
        }
        let sig = format!("(param {ty}) (result {ty})");
        for (op, inst) in [
            ("abs", "fabs"),
            ("neg", "fneg"),
            ("sqrt", "fsqrt"),
            ("ceil", "frintp"),
            ("floor", "frintm"),
            ("trunc", "frintz"),
            ("nearest", "frintn"),
        ] {
            let (_, text) = float_fn(&sig, &format!("local.get 0 {ty}.{op}"));
            assert_lines(&text, &[&format!("{inst} {r}0, {r}0")]);
        }
    }
}

#[test]
fn copysign_inserts_the_sign_bit() {
    let (_, text) = float_fn(
        "(param f64 f64) (result f64)",
        "local.get 0 local.get 1 f64.copysign",
    );
    // v30 = -0.0, the sign mask; then b's sign into a.
    assert_lines(
        &text,
        &["movi d30", "fneg d30, d30", "bit v0.8b, v1.8b, v30.8b"],
    );
    let (_, text) = float_fn(
        "(param f32 f32) (result f32)",
        "local.get 1 local.get 0 f32.copysign",
    );
    // The result's register holds b: a's other bits into it.
    assert_lines(&text, &["fneg s30, s30", "bif v0.8b, v1.8b, v30.8b"]);
}

/// Twelve f64 values live across a call: some are spilled, and float
/// operations read and write them through the scratch registers.
#[test]
fn spilled_floats_go_through_scratch_registers() {
    let sets: String = (0..12)
        .map(|i| {
            format!(
                "(local.set {} (f64.add (local.get 0) (f64.const {i}.5)))",
                i + 2
            )
        })
        .collect();
    let uses: String = (0..12)
        .map(|i| {
            format!(
                "(f64.copysign (local.get {}) (local.get {}))",
                i + 2,
                (i + 5) % 12 + 2
            )
        })
        .chain((0..11).map(|_| " f64.add".to_string()))
        .collect();
    let code = compile_wat(&format!(
        r#"(module (import "m" "g" (func)) (func (param f64 f64) (result f64)
            (local f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
            {sets} call 0 {uses}))"#
    ))
    .unwrap();
    let text = mnemonics(&code).join("\n");
    // A sum into v31 stored to its slot; copysign on raw bits in x16/x17.
    assert_lines(
        &text,
        &["fadd d31", "str d31, [sp", "bfxil x17, x16, #0x0, #0x3f"],
    );
}

#[test]
fn float_compares_use_conditions_false_when_unordered() {
    for (ty, r) in [("f32", "s"), ("f64", "d")] {
        let sig = format!("(param {ty} {ty}) (result i32)");
        for (op, cond) in [
            ("eq", "eq"),
            ("ne", "ne"),
            ("lt", "mi"),
            ("gt", "gt"),
            ("le", "ls"),
            ("ge", "ge"),
        ] {
            let (_, text) = float_fn(&sig, &format!("local.get 0 local.get 1 {ty}.{op}"));
            assert_lines(
                &text,
                &[&format!("fcmp {r}0, {r}1"), &format!("cset w0, {cond}")],
            );
        }
    }
    // A branch to the else arm on the inverse: `hi` (greater or unordered).
    let (_, text) = float_fn(
        "(param f64 f64) (result i32)",
        "(if (result i32) (f64.le (local.get 0) (local.get 1))
            (then (i32.const 7)) (else (i32.const 9)))",
    );
    assert_lines(&text, &["fcmp d0, d1", "b.hi"]);
}

#[test]
fn float_conversions_are_single_instructions() {
    for (sig, body, want) in [
        ("(param f64) (result f32)", "f32.demote_f64", "fcvt s0, d0"),
        ("(param f32) (result f64)", "f64.promote_f32", "fcvt d0, s0"),
        (
            "(param i32) (result f32)",
            "f32.convert_i32_s",
            "scvtf s0, w0",
        ),
        (
            "(param i32) (result f64)",
            "f64.convert_i32_u",
            "ucvtf d0, w0",
        ),
        (
            "(param i64) (result f32)",
            "f32.convert_i64_u",
            "ucvtf s0, x0",
        ),
        (
            "(param i64) (result f64)",
            "f64.convert_i64_s",
            "scvtf d0, x0",
        ),
        (
            "(param f32) (result i32)",
            "i32.trunc_sat_f32_s",
            "fcvtzs w0, s0",
        ),
        (
            "(param f64) (result i32)",
            "i32.trunc_sat_f64_u",
            "fcvtzu w0, d0",
        ),
        (
            "(param f32) (result i64)",
            "i64.trunc_sat_f32_u",
            "fcvtzu x0, s0",
        ),
        (
            "(param f64) (result i64)",
            "i64.trunc_sat_f64_s",
            "fcvtzs x0, d0",
        ),
    ] {
        let (code, text) = float_fn(sig, &format!("local.get 0 {body}"));
        assert_lines(&text, &[want]);
        assert!(code.sites.is_empty(), "{body} traps: {:?}", code.sites);
    }
}

/// The target of the branch `inst` at `at` (`b.cc $+0x..`), if it is one.
fn branch_target(at: usize, inst: &str, mnemonic: &str) -> Option<usize> {
    let rel = inst.strip_prefix(mnemonic)?.trim().strip_prefix("$+0x")?;
    Some(at + usize::from_str_radix(rel, 16).ok()?)
}

/// The kind of the cold path at `target` (a `bl` whose return address
/// is the site).
fn site_at(code: &CompiledCode, target: usize) -> SiteKind {
    code.sites
        .iter()
        .find(|s| s.pc as usize == target + 4)
        .unwrap_or_else(|| panic!("no site after {target:#x}: {:?}", code.sites))
        .kind
}

#[test]
fn trapping_truncations_check_nan_then_the_bounds() {
    use wx_core::TrapCode::{BadConversionToInteger, IntegerOverflow};
    for (from, to) in [
        ("f32", "i32"),
        ("f64", "i32"),
        ("f32", "i64"),
        ("f64", "i64"),
    ] {
        for sign in ["s", "u"] {
            let sig = format!("(param {from}) (result {to})");
            let body = format!("local.get 0 {to}.trunc_{from}_{sign}");
            let (code, text) = float_fn(&sig, &body);
            let insts: Vec<(usize, String)> = decode(&code)
                .into_iter()
                .map(|(at, i)| (at, i.to_string()))
                .collect();
            let target = |m: &str| {
                insts
                    .iter()
                    .find_map(|(at, i)| branch_target(*at, i, m))
                    .unwrap_or_else(|| panic!("{body}: no {m} in\n{text}"))
            };
            assert_eq!(
                site_at(&code, target("b.vs")),
                SiteKind::Trap(BadConversionToInteger)
            );
            // Both bounds branch to one overflow path.
            let (low, high) = (target("b.ls"), target("b.ge"));
            assert_eq!(low, high, "{body}\n{text}");
            assert_eq!(site_at(&code, low), SiteKind::Trap(IntegerOverflow));
            let r = if to == "i32" { "w0" } else { "x0" };
            let v = if from == "f32" { "s0" } else { "d0" };
            assert_lines(&text, &[&format!("fcvtz{sign} {r}, {v}")]);
        }
    }
}

/// Each bound is exact in its float type, truncates outside the target
/// range, and the next float inward truncates inside it.
#[test]
fn truncation_bounds_are_the_last_floats_outside() {
    use super::float::trunc_bounds;
    use crate::ir::Ty;
    for signed in [true, false] {
        for to in [Ty::I32, Ty::I64] {
            let bits = if to == Ty::I32 { 32 } else { 64 };
            let (min, max): (i128, i128) = if signed {
                (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
            } else {
                (0, (1 << bits) - 1)
            };
            for from in [Ty::F32, Ty::F64] {
                let (lo, hi) = trunc_bounds(signed, from, to);
                // The neighbour of `x` toward zero (x negative for `lo`).
                let inward = |x: f64| {
                    if from == Ty::F32 {
                        assert_eq!(f64::from(x as f32), x, "{x} not an f32");
                        f64::from(f32::from_bits((x as f32).to_bits() - 1))
                    } else {
                        f64::from_bits(x.to_bits() - 1)
                    }
                };
                let t = |x: f64| x.trunc() as i128;
                let case = format!("{signed} {from:?} -> {to:?}: ({lo}, {hi})");
                assert!(t(lo) < min && t(inward(lo)) >= min, "{case}");
                assert!(t(hi) > max && t(inward(hi)) <= max, "{case}");
            }
        }
    }
}
