//! AArch64 disassembly for `wx explore`, by yaxpeax-arm, in the layout of
//! the x86-64 one: the entry stub, the `wasm_call` entry and the trap exit
//! marked, trap sites and explicit traps named, and `br_table` jump tables
//! shown as data (case -> target) rather than decoded.
//!
//! Branch targets (and `adr`/literal addresses) print as offsets from the
//! function's start, like every offset in the listing, where yaxpeax-arm
//! would print them relative to the instruction (`$+0x10`).
//!
//! A cold path is taken to be a `bl` to the trap exit whose return
//! address is the site's `pc` (so it starts 4 bytes before it).

use crate::isa::{CompiledCode, SiteKind};
use std::fmt::Write as _;
use yaxpeax_arch::{Decoder, U8Reader};
use yaxpeax_arm::armv8::a64::{InstDecoder, Instruction, Opcode, Operand, ShiftStyle};

/// The length of every instruction.
const INST_BYTES: usize = 4;

/// `code` as text: a summary line, then one line per instruction,
/// `offset: bytes  instruction`, offsets in hex from the function's start
/// (branch targets print the same way). The entry stub, the `wasm_call`
/// entry and the trap exit get label lines, each recorded trap site a
/// `; trap: ...` comment, each call into wasm code and each cold path its
/// wasm offset, and each branch to a cold path a `; to trap exit` comment
/// naming how the trap arrives (its code, for an explicit trap). Jump
/// tables get a header line and one line per entry,
/// `offset: bytes  case i -> target`.
#[cfg_attr(
    not(test),
    allow(
        dead_code,
        reason = "the AArch64 `Isa` impl that calls it comes with the emitter"
    )
)]
pub(crate) fn disassemble(code: &CompiledCode) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; {} bytes, {} trap sites, wasm_call entry at {:#x}, trap exit at {:#x}",
        code.code.len(),
        code.faults().count(),
        code.wasm_entry,
        code.trap_exit
    );
    let mut pos = 0;
    for table in code
        .jump_tables
        .iter()
        .map(|t| t.start as usize..(t.end as usize).min(code.code.len()))
    {
        disassemble_range(code, pos..table.start, &mut out);
        let _ = writeln!(
            out,
            "      jump table at {:#x}, {} cases:",
            table.start,
            table.len() / 4
        );
        for (case, word) in code.code[table.clone()].chunks_exact(4).enumerate() {
            let rel = i32::from_le_bytes(word.try_into().expect("4-byte entries"));
            let target = table.start as i64 + i64::from(rel);
            let text = format!("case {case} -> {target:#x}");
            write_line(&mut out, table.start + 4 * case, word, &text);
        }
        pos = table.end;
    }
    disassemble_range(code, pos..code.code.len(), &mut out);
    out
}

/// Decodes the instruction word `word`, or `None` if it is no instruction.
pub(crate) fn decode_word(word: u32) -> Option<Instruction> {
    let bytes = word.to_le_bytes();
    let mut inst = InstDecoder::default()
        .decode(&mut U8Reader::new(&bytes))
        .ok()?;
    fix_extended_register(word, &mut inst);
    Some(inst)
}

/// The text of `inst` at offset `at`, its PC-relative operand shown as an
/// offset from the function's start.
pub(crate) fn format_inst(inst: &Instruction, at: usize) -> String {
    let mut text = inst.to_string();
    if let Some(rel) = pc_offset(inst) {
        let relative = Operand::PCOffset(rel).to_string();
        text = text.replace(&relative, &format!("{:#x}", at as i64 + rel));
    }
    text
}

/// The instruction's PC-relative operand, if it has one.
fn pc_offset(inst: &Instruction) -> Option<i64> {
    inst.operands.iter().find_map(|op| match op {
        Operand::PCOffset(rel) => Some(*rel),
        _ => None,
    })
}

/// yaxpeax-arm 0.5 shows the `uxtw` of an extended-register add/sub as
/// `lsl` whenever the register is a `w` register (`add x0, x1, w2, uxtw`
/// comes out as `add x0, x1, w2`), but `lsl` only stands for `uxtw`
/// (32-bit) or `uxtx` (64-bit) when `Rd` or `Rn` is `sp`. Restores the
/// extension the word encodes.
fn fix_extended_register(word: u32, inst: &mut Instruction) {
    // sf op S 01011 00 1 Rm option imm3 Rn Rd
    if word & 0x1fe0_0000 != 0x0b20_0000 {
        return;
    }
    let sf = word >> 31;
    let option = (word >> 13) & 7;
    let (rd, rn) = (word & 31, (word >> 5) & 31);
    let lsl_alias = (rd == 31 || rn == 31) && option == 0b010 | sf;
    if let Operand::RegShift(style @ ShiftStyle::LSL, ..) = &mut inst.operands[2] {
        if !lsl_alias {
            *style = if option == 0b010 {
                ShiftStyle::UXTW
            } else {
                ShiftStyle::UXTX
            };
        }
    }
}

/// Appends the instructions in `range` of `code` to `out`.
fn disassemble_range(code: &CompiledCode, range: std::ops::Range<usize>, out: &mut String) {
    let trap_exit = i64::from(code.trap_exit);
    // Cold paths: a `bl` of the trap exit per site, whose return address
    // is the site's pc. Branches to them are trap checks.
    let stubs = cold_paths(code);
    let mut at = range.start;
    while at < range.end {
        let len = INST_BYTES.min(range.end - at);
        let bytes = &code.code[at..at + len];
        if at == 0 {
            out.push_str("      entry stub (array call):\n");
        } else if at == code.wasm_entry as usize {
            out.push_str("      wasm_call entry:\n");
        } else if at == code.trap_exit as usize {
            out.push_str("      trap exit:\n");
        }
        let inst = match bytes.try_into() {
            Ok(word) => decode_word(u32::from_le_bytes(word)),
            Err(_) => None,
        };
        let mut text = match &inst {
            Some(inst) => format_inst(inst, at),
            None => "(bad)".to_string(),
        };
        for (_, trap) in code.faults().filter(|&(site, _)| site as usize == at) {
            let _ = write!(text, "  ; trap: {trap}");
        }
        let is_call = inst
            .as_ref()
            .is_some_and(|i| matches!(i.opcode, Opcode::BL | Opcode::BLR));
        if is_call {
            let ret = (at + INST_BYTES) as u32;
            if let Some(site) = code.sites.iter().find(|s| s.pc == ret) {
                let _ = write!(text, "  ; wasm {:#x}", site.wasm_offset);
            }
            if let Some(call) = code.calls.iter().find(|c| c.ret == ret) {
                let _ = write!(text, "  ; wasm {:#x}", call.wasm_offset);
            }
        }
        let branch_target = inst
            .as_ref()
            .filter(|i| is_branch(i.opcode))
            .and_then(pc_offset)
            .map(|rel| at as i64 + rel);
        if let Some(target) = branch_target {
            if let Some((_, kind)) = stubs.iter().find(|(start, _)| *start == target) {
                let _ = match kind {
                    SiteKind::Trap(trap) | SiteKind::Fault(trap) => {
                        write!(text, "  ; to trap exit (trap: {trap})")
                    }
                    SiteKind::Status => write!(text, "  ; to trap exit (the call's trap)"),
                    SiteKind::Adapter => write!(text, "  ; to trap exit (the callee's trap)"),
                };
            } else if target == trap_exit {
                text.push_str("  ; to trap exit");
            }
        }
        write_line(out, at, bytes, &text);
        at += len;
    }
}

/// Whether `op` is a branch that is not a call (its target may be a cold path).
fn is_branch(op: Opcode) -> bool {
    matches!(
        op,
        Opcode::B | Opcode::Bcc(_) | Opcode::CBZ | Opcode::CBNZ | Opcode::TBZ | Opcode::TBNZ
    )
}

/// The cold paths of `code` (their start, the `bl` 4 bytes before the
/// site's pc) and how their traps arrive.
pub(crate) fn cold_paths(code: &CompiledCode) -> Vec<(i64, SiteKind)> {
    code.sites
        .iter()
        .filter(|s| !matches!(s.kind, SiteKind::Fault(_)))
        .map(|s| (i64::from(s.pc) - INST_BYTES as i64, s.kind))
        .collect()
}

/// `offset: bytes  text`.
fn write_line(out: &mut String, at: usize, bytes: &[u8], text: &str) {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let _ = writeln!(out, "{at:6x}: {:<11}  {text}", hex.join(" "));
}

#[cfg(test)]
mod tests;
