//! The listing of a small hand-built function: label lines, a fault site,
//! a branch to a cold path and its trap, a wasm call, a branch to the trap
//! exit, and a jump table shown as data.

use super::*;
use crate::isa::aarch64::{Assembler, Cond, Gpr::*, Mem, Size::*, Width};
use crate::isa::{CallSite, Handlers, TrapSite};
use wx_core::TrapCode;

/// The function: entry stub, body, cold path, trap exit, jump table.
fn sample() -> CompiledCode {
    let mut a = Assembler::new();
    let (wasm, cold, trap_exit, table) =
        (a.new_label(), a.new_label(), a.new_label(), a.new_label());
    let (case_ret, case_div) = (a.new_label(), a.new_label());
    // Entry stub.
    a.stp(S64, X29, X30, Mem::pre(Sp, -16));
    a.mov_rr(S64, X29, Sp);
    a.bl(wasm);
    a.ldp(S64, X29, X30, Mem::post(Sp, 16));
    a.ret();
    // Body.
    a.bind(wasm);
    a.ldr(S32, X0, Mem::uxtw(X1, X2, false));
    a.cbz(S32, X3, cold);
    a.bind(case_div);
    a.udiv(S32, X0, X0, X3);
    a.bl(wasm);
    a.adr(X16, table);
    a.ldrsw(X17, Mem::uxtw(X16, X0, true));
    a.add(S64, X16, X16, X17);
    a.br(X16);
    a.b_cond(Cond::Hs, trap_exit);
    a.bind(case_ret);
    a.ret();
    // Cold path and trap exit.
    a.bind(cold);
    a.bl(trap_exit);
    a.bind(trap_exit);
    a.ldar(Width::X, X0, Sp);
    a.ret();
    // Jump table.
    a.bind(table);
    for case in [case_ret, case_div, wasm] {
        a.label_diff32(case, table);
    }
    let wasm_entry = a.label_offset(wasm).unwrap() as u32;
    let trap_exit = a.label_offset(trap_exit).unwrap() as u32;
    let table = a.label_offset(table).unwrap() as u32;
    let cold = a.label_offset(cold).unwrap() as u32;
    let code = a.finish().unwrap();
    let end = code.len() as u32;
    CompiledCode {
        code,
        wasm_entry,
        trap_exit,
        sites: vec![
            TrapSite {
                pc: wasm_entry,
                kind: SiteKind::Fault(TrapCode::MemoryOutOfBounds),
                wasm_offset: 0x31,
                caller_offset: None,
            },
            TrapSite {
                pc: cold + 4,
                kind: SiteKind::Trap(TrapCode::IntegerDivideByZero),
                wasm_offset: 0x33,
                caller_offset: None,
            },
        ],
        calls: vec![CallSite {
            ret: wasm_entry + 16,
            wasm_offset: 0x35,
            caller_offset: None,
        }],
        frameless: false,
        jump_tables: std::iter::once(table..end).collect(),
        handlers: Handlers::default(),
    }
}

#[test]
fn listing() {
    let code = sample();
    let text = disassemble(&code);
    let oob = TrapCode::MemoryOutOfBounds;
    let div = TrapCode::IntegerDivideByZero;
    let want = format!(
        "\
; 84 bytes, 1 trap sites, wasm_call entry at 0x14, trap exit at 0x40
      entry stub (array call):
     0: fd 7b bf a9  stp x29, x30, [sp, #-0x10]!
     4: fd 03 00 91  mov x29, sp
     8: 03 00 00 94  bl 0x14
     c: fd 7b c1 a8  ldp x29, x30, [sp], #0x10
    10: c0 03 5f d6  ret
      wasm_call entry:
    14: 20 48 62 b8  ldr w0, [x1, w2, uxtw]  ; trap: {oob}
    18: 23 01 00 34  cbz w3, 0x3c  ; to trap exit (trap: {div})
    1c: 00 08 c3 1a  udiv w0, w0, w3
    20: fd ff ff 97  bl 0x14  ; wasm 0x35
    24: 30 01 00 10  adr x16, 0x48
    28: 11 5a a0 b8  ldrsw x17, [x16, w0, uxtw #2]
    2c: 10 02 11 8b  add x16, x16, x17
    30: 00 02 1f d6  br x16
    34: 62 00 00 54  b.hs 0x40  ; to trap exit
    38: c0 03 5f d6  ret
    3c: 01 00 00 94  bl 0x40  ; wasm 0x33
      trap exit:
    40: e0 ff df c8  ldar x0, [sp]
    44: c0 03 5f d6  ret
      jump table at 0x48, 3 cases:
    48: f0 ff ff ff  case 0 -> 0x38
    4c: d4 ff ff ff  case 1 -> 0x1c
    50: cc ff ff ff  case 2 -> 0x14
"
    );
    assert_eq!(text, want, "\n{text}");
}

/// Words that are no instruction, and a trailing partial word, print as
/// `(bad)` without stopping the listing.
#[test]
fn undecodable() {
    let mut code = sample();
    code.jump_tables.clear();
    code.code.truncate(8);
    code.code.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x1f]);
    let text = disassemble(&code);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].contains("entry stub"), "{text}");
    assert!(lines[4].starts_with("     8: ff ff ff ff"), "{text}");
    assert!(lines[lines.len() - 1].ends_with("(bad)"), "{text}");
    assert!(lines[lines.len() - 1].starts_with("     c: 1f "), "{text}");
}
