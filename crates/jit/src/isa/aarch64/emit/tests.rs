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
