//! Emission checked by disassembly: golden text for a small function, and a
//! sweep in which every compiled benchmark function must decode cleanly with
//! every trap site on a memory access and every jump-table entry on an
//! instruction.

use super::{CompiledCode, BR_TABLE_CHAIN_MAX};
use crate::compile::compile_for;
use crate::isa::x64::X64;

/// Compile for x86-64 whatever the host.
fn compile(info: &ModuleInfo, def: u32) -> Result<CompiledCode, JitError> {
    compile_for(&X64, info, def)
}
use crate::error::JitError;
use crate::isa::SiteKind;
use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind};
use wx_core::ModuleInfo;
use wx_core::TrapCode;

fn disasm(code: &[u8]) -> Vec<(u64, Instruction)> {
    let mut d = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut out = Vec::new();
    while d.can_decode() {
        let ip = d.ip();
        out.push((ip, d.decode()));
    }
    out
}

fn text(code: &[u8]) -> String {
    let mut f = IntelFormatter::new();
    let mut s = String::new();
    for (_, i) in disasm(code) {
        let mut line = String::new();
        f.format(&i, &mut line);
        s.push_str(&line);
        s.push('\n');
    }
    s
}

/// The instructions of `code`, jump tables skipped, and the targets of
/// every jump-table entry.
fn disasm_code(code: &CompiledCode) -> (Vec<(u64, Instruction)>, Vec<u64>) {
    let mut insts = Vec::new();
    let mut targets = Vec::new();
    let mut pos = 0;
    let decode = |range: std::ops::Range<usize>, insts: &mut Vec<(u64, Instruction)>| {
        let mut d = Decoder::with_ip(
            64,
            &code.code[range.clone()],
            range.start as u64,
            DecoderOptions::NONE,
        );
        while d.can_decode() {
            let ip = d.ip();
            insts.push((ip, d.decode()));
        }
    };
    for t in &code.jump_tables {
        let (start, end) = (t.start as usize, t.end as usize);
        assert!(start >= code.trap_exit as usize && start & 3 == 0 && start >= pos);
        decode(pos..start, &mut insts);
        for word in code.code[start..end].chunks(4) {
            let rel = i32::from_le_bytes(word.try_into().unwrap());
            targets.push((start as i64 + i64::from(rel)) as u64);
        }
        pos = end;
    }
    decode(pos..code.code.len(), &mut insts);
    (insts, targets)
}

fn module(wat: &str) -> ModuleInfo {
    ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap()
}

#[test]
fn add_compiles_to_the_expected_code() {
    let info = module(
        "(module (func (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))",
    );
    let code = compile(&info, 0).unwrap();
    let body = text(&code.code);
    // The entry stub loads the parameters from the values array into the
    // wasm convention's registers (i32 cells are read as 32 bits: their
    // upper half is undefined), calls the function and stores its result.
    assert!(
        body.contains("mov edi,[r11]\nmov esi,[r11+8]\ncall "),
        "{body}"
    );
    assert!(body.contains("mov [r11],rax\nxor eax,eax\n"), "{body}");
    assert!(body.contains("add eax,"), "{body}");
    // The code ends with the trap exit: unwind to the entry stub, or
    // resume at a landing pad.
    assert!(
        body.contains("mov rsp,[r11+8]\nret\n") && body.ends_with("jmp qword ptr [r11+18h]\n"),
        "{body}"
    );
}

/// Values the calling convention puts in registers are allocated there:
/// a parameter passed straight on as an argument, a call's result shifted
/// in place and returned, and a shift count need no register-to-register
/// move, except the count's: it lives across the call, in a callee-saved
/// register, and moves to cl for the shift.
#[test]
fn convention_registers_are_hints_that_save_moves() {
    let info = module(
        "(module
          ;; $f calls itself, so it is not inlined.
          (func $f (param i32 i64) (result i64)
            (if (i32.eqz (local.get 0)) (then (return (call $f (i32.const 1) (local.get 1)))))
            (i64.extend_i32_u (local.get 0)))
          (func (param i32 i64 i64) (result i64)
            (i64.shl (call $f (local.get 0) (local.get 1)) (local.get 2))))",
    );
    let code = compile(&info, 1).unwrap();
    let insts = disasm(&code.code[code.wasm_entry as usize..code.trap_exit as usize]);
    let mut f = IntelFormatter::new();
    let mut moves = Vec::new();
    for (_, i) in &insts {
        let reg_to_reg = i.mnemonic() == Mnemonic::Mov
            && i.op_count() == 2
            && i.op0_kind() == iced_x86::OpKind::Register
            && i.op1_kind() == iced_x86::OpKind::Register;
        let frame = [iced_x86::Register::RSP, iced_x86::Register::RBP];
        if reg_to_reg && !frame.contains(&i.op0_register()) && !frame.contains(&i.op1_register()) {
            let mut line = String::new();
            f.format(i, &mut line);
            moves.push(line);
        }
    }
    assert_eq!(moves, ["mov rbx,rdx", "mov ecx,ebx"]);
}

/// A leaf that keeps its values in caller-saved registers has no frame:
/// its wasm entry is the body and a `ret`. A function that calls keeps one.
#[test]
fn small_leaves_are_frameless() {
    let info = module(
        "(module
          (func $leaf (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          ;; $leaf is inlined here; the call of itself stays.
          (func $caller (param i32) (result i32)
            (if (result i32) (local.get 0)
              (then (call $caller (i32.sub (local.get 0) (i32.const 1))))
              (else (call $leaf (local.get 0) (i32.const 1))))))",
    );
    let wasm_entry = |def| {
        let code = compile(&info, def).unwrap();
        text(&code.code[code.wasm_entry as usize..code.trap_exit as usize])
    };
    let leaf = wasm_entry(0);
    assert!(!leaf.contains("rbp") && !leaf.contains("rsp"), "{leaf}");
    assert!(leaf.ends_with("ret\n"), "{leaf}");
    let caller = wasm_entry(1);
    assert!(caller.starts_with("push rbp\nmov rbp,rsp\n"), "{caller}");
}

#[test]
fn memory_accesses_are_trap_sites() {
    let info = module(
        "(module (memory 1) (func (param i32) (result i32)
           (i32.store offset=8 (local.get 0) (i32.const 1))
           (i32.load16_s offset=2 (local.get 0))))",
    );
    let code = compile(&info, 0).unwrap();
    assert_eq!(code.faults().count(), 2);
    let insts = disasm(&code.code);
    for (site, _) in code.faults() {
        let (_, i) = insts
            .iter()
            .find(|(ip, _)| *ip == site as u64)
            .expect("trap site on an instruction boundary");
        assert!(
            i.op_count() == 2
                && (i.op0_kind() == iced_x86::OpKind::Memory
                    || i.op1_kind() == iced_x86::OpKind::Memory)
        );
        assert_eq!(i.memory_base(), iced_x86::Register::R15);
    }
}

#[test]
fn float_arithmetic_and_every_conversion_compile() {
    let info = module(
        "(module (func (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
                 (func (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
                 (func (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
                 (func (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
                 (func (param i64) (result f32) (f32.convert_i64_u (local.get 0))))",
    );
    let body = text(&compile(&info, 0).unwrap().code);
    assert!(body.contains("addsd"), "{body}");
    // Saturating: convert, and only a MIN result (`cmp 1` overflows) is
    // looked at again; nothing traps.
    let sat = text(&compile(&info, 1).unwrap().code);
    assert!(sat.contains("cvttsd2si eax,xmm0\ncmp eax,1\njno"), "{sat}");
    assert!(sat.contains("mov eax,7FFFFFFFh"), "{sat}");
    let u64_sat = text(&compile(&info, 2).unwrap().code);
    assert!(u64_sat.contains("subss xmm15,xmm14"), "{u64_sat}");
    assert!(u64_sat.contains("mov rax,0FFFFFFFFFFFFFFFFh"), "{u64_sat}");
    // Trapping u64: the range check traps as an overflow.
    let u64_trap = compile(&info, 3).unwrap();
    assert!(
        u64_trap
            .sites
            .iter()
            .any(|s| s.kind == SiteKind::Trap(TrapCode::IntegerOverflow)),
        "{:?}",
        u64_trap.sites
    );
    // u64 -> float halves values with the top bit set and doubles the result.
    let from_u64 = text(&compile(&info, 4).unwrap().code);
    assert!(from_u64.contains("shr r11,1"), "{from_u64}");
    assert!(from_u64.contains("addss xmm0,xmm0"), "{from_u64}");
}

#[test]
fn table_access_is_inline_and_bulk_operations_call_the_runtime() {
    let info = module(
        "(module (memory 1) (table 2 funcref)
           (func (param i32) (result funcref) (table.get 0 (local.get 0)))
           (func (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2))))",
    );
    let get_code = compile(&info, 0).unwrap();
    let get = text(&get_code.code);
    // Bounds check of the index (the parameter, in place) against the
    // VMTable's length, to a cold path that traps out of bounds.
    assert!(get.contains("cmp edi,[r11+8]\njae"), "{get}");
    assert!(
        get_code
            .sites
            .iter()
            .any(|s| s.kind == SiteKind::Trap(TrapCode::TableOutOfBounds)),
        "{:?}",
        get_code.sites
    );
    assert!(get.contains("mov rax,[r11+rdi*8]\n"), "{get}");
    let copy = text(&compile(&info, 1).unwrap().code);
    // VMContext, the memory indices, then the operands through the outgoing
    // area; a non-zero status goes to the trap exit as the trap code.
    assert!(
        copy.contains(
            "mov rdi,r14\nmov esi,0\nmov edx,0\nmov rcx,[rsp]\nmov r8,[rsp+8]\nmov r9,[rsp+10h]\n"
        ),
        "{copy}"
    );
    assert!(copy.contains("call r11\ntest eax,eax\njne"), "{copy}");
}

/// Every benchmark function compiles (or is reported unsupported), decodes
/// as valid x86-64 and puts its trap sites on memory operands based on r15.
#[test]
fn benchmark_functions_compile_to_valid_code() {
    let mut compiled = 0;
    for (path, info) in crate::test_util::benchmark_modules(false) {
        for def in 0..info.num_defined_funcs() {
            let code = match compile(&info, def) {
                Ok(c) => c,
                Err(JitError::Unsupported { .. }) => continue,
                Err(e) => panic!("{}: {def}: {e}", path.display()),
            };
            let (insts, table_targets) = disasm_code(&code);
            for t in table_targets {
                assert!(
                    insts.iter().any(|(ip, _)| *ip == t),
                    "{}: {def}: jump-table target {t:#x} is not an instruction",
                    path.display()
                );
            }
            for (ip, i) in &insts {
                assert_ne!(
                    i.mnemonic(),
                    Mnemonic::INVALID,
                    "{}: {def}: invalid instruction at {ip}",
                    path.display()
                );
            }
            // Block layout: no jump to the next instruction, and no
            // conditional jump over an unconditional one.
            let cold: Vec<u64> = crate::isa::x64::disasm::cold_paths(&code)
                .into_iter()
                .map(|(ip, _)| ip)
                .collect();
            for w in insts.windows(3) {
                let [(_, a), (_, b), (c_ip, _)] = w else {
                    unreachable!()
                };
                // A trap check's cold path may follow the last jump.
                if cold.contains(c_ip) {
                    continue;
                }
                assert!(
                    !(a.mnemonic() == Mnemonic::Jmp && a.near_branch_target() == b.ip()),
                    "{}: {def}: jmp to the next instruction at {:#x}",
                    path.display(),
                    a.ip()
                );
                assert!(
                    !(!matches!(a.mnemonic(), Mnemonic::Jmp | Mnemonic::Call)
                        && a.near_branch_target() != 0
                        && b.mnemonic() == Mnemonic::Jmp
                        && a.near_branch_target() == *c_ip),
                    "{}: {def}: conditional jump over a jmp at {:#x}",
                    path.display(),
                    a.ip()
                );
            }
            for (site, _) in code.faults() {
                let (_, i) = insts
                    .iter()
                    .find(|(ip, _)| *ip == site as u64)
                    .expect("trap site on a boundary");
                assert_eq!(i.memory_base(), iced_x86::Register::R15);
            }
            compiled += 1;
        }
    }
    assert!(compiled > 200, "only {compiled} functions compiled");
}

/// A `br_table` of `cases` cases (plus the default) returning the case
/// number, or `cases` for the default.
fn br_table_module(cases: u32) -> ModuleInfo {
    let mut blocks = String::new();
    for _ in 0..=cases {
        blocks.push_str("(block ");
    }
    let labels: Vec<String> = (0..=cases).map(|i| i.to_string()).collect();
    let mut body = format!("(br_table {} (local.get 0))", labels.join(" "));
    for i in 0..=cases {
        body.push_str(&format!(") (return (i32.const {i}))"));
    }
    module(&format!(
        "(module (func (param i32) (result i32) {blocks}{body} (unreachable)))"
    ))
}

/// A loop whose header reads an opcode and dispatches on it with a
/// `br_table` of `cases` cases (case `i` adds `i` and loops; the default
/// returns the sum).
fn dispatch_loop_module(cases: u32) -> ModuleInfo {
    let mut blocks = String::from("(block $exit ");
    for _ in 0..cases {
        blocks.push_str("(block ");
    }
    let labels: Vec<String> = (0..cases).map(|i| i.to_string()).collect();
    let mut body = format!(
        "(br_table {} $exit (i32.load8_u (local.get 0)))",
        labels.join(" ")
    );
    for i in 0..cases {
        body.push_str(&format!(
            ") (local.set 1 (i32.add (local.get 1) (i32.const {i}))) (br $next)"
        ));
    }
    module(&format!(
        "(module (memory 1) (func (param i32) (result i32) (local i32)
           (loop $next
             (local.set 0 (i32.add (local.get 0) (i32.const 1)))
             {blocks}{body}))
           (local.get 1)))"
    ))
}

#[test]
fn jumps_to_a_dispatch_block_copy_its_indirect_jump() {
    let code = compile(&dispatch_loop_module(8), 0).unwrap();
    assert_eq!(code.jump_tables.len(), 1, "the copies share one table");
    let (insts, _) = disasm_code(&code);
    let indirect = insts
        .iter()
        .filter(|(_, i)| i.mnemonic() == Mnemonic::Jmp && i.op0_kind() == OpKind::Register)
        .count();
    assert_eq!(indirect, 1 + 8, "the header's own and one per case");
}

#[test]
fn a_br_table_chain_is_not_copied() {
    let code = compile(&dispatch_loop_module(BR_TABLE_CHAIN_MAX as u32), 0).unwrap();
    assert!(code.jump_tables.is_empty());
    let (insts, _) = disasm_code(&code);
    let loads = insts
        .iter()
        .filter(|(_, i)| i.mnemonic() == Mnemonic::Movzx)
        .count();
    assert_eq!(loads, 1, "the header is emitted once");
}

#[test]
fn a_large_br_table_dispatches_through_a_jump_table() {
    let code = compile(&br_table_module(100), 0).unwrap();
    assert_eq!(code.jump_tables.len(), 1);
    let table = code.jump_tables[0].clone();
    assert_eq!(table.len(), 400, "one 32-bit entry per case");
    // After all code, on whole cache lines.
    assert_eq!(table.start % 64, 0);
    assert_eq!(code.code.len() % 64, 0);
    assert!(code.code.len() - (table.end as usize) < 64);
    let (insts, targets) = disasm_code(&code);
    let mut f = IntelFormatter::new();
    let mut body = String::new();
    for (_, i) in &insts {
        f.format(i, &mut body);
        body.push('\n');
    }
    // Unsigned bounds check on the 32-bit index (the parameter, left in
    // its argument register), then the dispatch.
    assert!(body.contains("cmp edi,64h\njae "), "{body}");
    let dispatch = format!(
        "lea r11,[{:X}h]\nmovsxd r10,[r11+rdi*4]\nadd r10,r11\njmp r10\n",
        table.start
    );
    assert!(body.contains(&dispatch), "{body}");
    assert!(!body.contains("cmp edi,5\n"), "no compare chain: {body}");
    // Each case returns its number: the entry's target puts it in eax.
    assert_eq!(targets.len(), 100);
    for (case, t) in targets.iter().enumerate() {
        let (_, i) = insts
            .iter()
            .find(|(ip, _)| ip == t)
            .expect("on an instruction");
        assert_eq!(
            (i.mnemonic(), i.op0_register(), i.immediate32()),
            (Mnemonic::Mov, iced_x86::Register::EAX, case as u32),
            "case {case} at {t:#x}"
        );
    }
    // The table bytes are not decoded as code; only int3 padding follows.
    assert!(insts.iter().all(|(ip, i)| (*ip as u32) < table.start
        || (*ip as u32 >= table.end && i.mnemonic() == Mnemonic::Int3)));
}

#[test]
fn a_small_br_table_is_a_compare_chain() {
    let code = compile(&br_table_module(BR_TABLE_CHAIN_MAX as u32), 0).unwrap();
    assert!(code.jump_tables.is_empty());
    let body = text(&code.code);
    assert!(!body.contains("jmp r10"), "{body}");
    for i in 0..BR_TABLE_CHAIN_MAX {
        assert!(body.contains(&format!("cmp edi,{i}\nje ")), "{body}");
    }
    let code = compile(&br_table_module(BR_TABLE_CHAIN_MAX as u32 + 1), 0).unwrap();
    assert_eq!(code.jump_tables.len(), 1);
}

/// Loop headers start on a 32-byte boundary, reached with `nop`s only.
#[test]
fn loop_headers_are_aligned_with_nops() {
    let info = module(
        "(module (func (param i32) (result i32) (local $acc i32)
          (local.set $acc (i32.mul (local.get 0) (i32.const 7)))
          (loop $l
            (local.set $acc (i32.add (local.get $acc) (local.get 0)))
            (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
          (local.get $acc)))",
    );
    let code = compile(&info, 0).unwrap();
    let insts = disasm(&code.code);
    // The back edge: a conditional jump to an earlier address.
    let header = insts
        .iter()
        .find(|(ip, i)| {
            i.op0_kind() == iced_x86::OpKind::NearBranch64
                && !matches!(i.mnemonic(), Mnemonic::Jmp | Mnemonic::Call)
                && i.near_branch64() < *ip
        })
        .map(|(_, i)| i.near_branch64())
        .expect("a back edge");
    let before: Vec<_> = insts.iter().filter(|(ip, _)| *ip < header).collect();
    let (_, last) = before.last().expect("code before the loop");
    assert!(
        header % 32 == 0 || last.mnemonic() != Mnemonic::Nop,
        "header at {header:#x}"
    );
    // Padding, if any, is nops right before the header.
    let pad = before
        .iter()
        .rev()
        .take_while(|(_, i)| i.mnemonic() == Mnemonic::Nop)
        .map(|(_, i)| i.len())
        .sum::<usize>();
    assert!(pad < 16, "{pad} bytes of padding");
    if pad > 0 {
        assert_eq!(header % 32, 0);
    }
}

/// A call inside a `try_table` is a handler site: the tables name its
/// return offset, its clause's pad, and the frame size the pad restores;
/// the function saves every callee-saved register and its VMContext, since
/// resuming at the pad restores no register.
#[test]
fn calls_in_handler_scopes_land_in_pads() {
    let info = module(
        r#"(module
          (tag $e (param i32))
          (func $t (param i32) (throw $e (local.get 0)))
          (func (param i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (call $t (local.get 0))
                (i32.const 0)))))"#,
    );
    let code = compile(&info, 1).unwrap();
    let h = &code.handlers;
    assert_eq!(h.sites.len(), 1, "{h:?}");
    assert_eq!(h.scopes.len(), 1, "{h:?}");
    assert_eq!(h.clauses.len(), 1, "{h:?}");
    let (site, scope) = h.sites[0];
    assert!(code.calls.iter().any(|c| c.ret == site), "{h:?}");
    assert_eq!(h.find(site, |t| t == 0), Some(h.clauses[0]));
    assert_eq!(h.find(site, |_| false), None);
    assert_eq!(h.find(site + 1, |t| t == 0), None);
    assert_eq!(scope, 0);
    let clause = h.clauses[0];
    assert!(!clause.keeps_ref);
    let body = text(&code.code[code.wasm_entry as usize..]);
    assert!(
        body.starts_with("push rbp\nmov rbp,rsp\npush r14\npush rbx\npush r12\npush r13\n"),
        "{body}"
    );
    let pad = text(&code.code[clause.pad as usize..]);
    assert!(
        pad.starts_with(&format!(
            "lea rsp,[rbp-{:X}h]\nmov r14,[rbp-8]\nmov eax,[rsp+8]\n",
            h.frame_size
        )),
        "{pad}"
    );
    // A function without handlers has no tables.
    assert_eq!(compile(&info, 0).unwrap().handlers, Default::default());
}

/// A throw's cold path is a handler site too, and the clauses of a scope
/// are tried before its parent's.
#[test]
fn throws_in_nested_scopes_find_the_innermost_matching_clause() {
    let info = module(
        r#"(module
          (tag $a) (tag $b)
          (func (param i32) (result i32)
            (block $outer
              (block $inner
                (try_table (catch_all $outer)
                  (try_table (catch $a $inner)
                    (if (local.get 0) (then (throw $b)))
                    (throw $a))))
              (return (i32.const 1)))
            (i32.const 2)))"#,
    );
    let code = compile(&info, 0).unwrap();
    let h = &code.handlers;
    assert_eq!(h.sites.len(), 2, "{h:?}");
    let all: Vec<_> = h.sites.iter().map(|&(at, _)| at).collect();
    for at in all {
        assert!(
            code.sites
                .iter()
                .any(|s| s.pc == at && s.kind == SiteKind::Status),
            "{h:?}"
        );
        let a = h.find(at, |t| t == 0).unwrap();
        let b = h.find(at, |t| t == 1).unwrap();
        assert_eq!(a.tag, 0);
        assert_eq!(b.tag, crate::ir::CATCH_ALL);
        assert_ne!(a.pad, b.pad);
    }
}

/// Values live into pads, loop-split registers reloaded by a pad, legacy
/// catches and `delegate`: the allocation checker (intervals, then the
/// symbolic run through every save, reload and pad) accepts them all.
#[test]
fn functions_with_landing_pads_pass_the_allocation_checker() {
    let info = module(
        r#"(module
          (tag $e (param i32))
          (func $throw-if (param i32) (if (local.get 0) (then (throw $e (local.get 0)))))
          (func (param $n i32) (result i64)
            (local $i i32) (local $sum i64) (local $scale i64) (local $f f64) (local $v i32)
            (local.set $scale (i64.const 3))
            (local.set $f (f64.const 0.5))
            (loop $l
              (block $h (result i32)
                (try_table (result i32) (catch $e $h)
                  (call $throw-if (i32.and (local.get $i) (i32.const 1)))
                  (i32.const 100)))
              (local.set $v)
              (local.set $sum (i64.add (local.get $sum)
                (i64.mul (local.get $scale) (i64.extend_i32_u (local.get $v)))))
              (local.set $f (f64.add (local.get $f) (f64.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (i64.add (local.get $sum) (i64.trunc_f64_s (local.get $f))))
          (func (param $x i32) (result i32)
            (local $keep f64)
            (local.set $keep (f64.const 0.25))
            try (result i32)
              try (result i32)
                (call $throw-if (local.get $x))
                (i32.const 0)
              delegate 0
            catch $e
              (i32.add (i32.const 1))
            catch_all
              (i32.const 2)
            end
            (i32.add (i32.trunc_f64_s (f64.mul (local.get $keep) (f64.const 40))))))"#,
    );
    for def in 0..info.num_defined_funcs() {
        crate::compile::check_allocation(&info, def).unwrap_or_else(|e| panic!("{def}: {e}"));
        // (The legacy operators decode outside wasmparser's frame checks.)
        compile(&info, def).unwrap_or_else(|e| panic!("{def}: {e}"));
    }
}
