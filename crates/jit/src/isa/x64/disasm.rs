//! x86-64 disassembly for `wx explore`, by iced-x86: the entry stub, the
//! `wasm_call` entry and the trap exit marked, trap sites and explicit
//! traps named, and `br_table` jump tables shown as data (case -> target)
//! rather than decoded.

use crate::isa::{CompiledCode, SiteKind};
use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind};
use std::fmt::Write as _;

/// Bytes shown per line; longer instructions continue on the next line.
const BYTES_PER_LINE: usize = 8;

/// `code` as text: a summary line, then one line per instruction,
/// `offset: bytes  instruction`, offsets in hex from the function's start
/// (branch targets print the same way). The entry stub, the `wasm_call`
/// entry and the trap exit get label lines, each recorded trap site a
/// `; trap: ...` comment, each call into wasm code and each cold path its
/// wasm offset, and each branch to a cold path a `; to trap exit`
/// comment naming how the trap arrives (its code, for an explicit trap).
/// Jump tables get a
/// header line and one line per entry, `offset: bytes  case i -> target`.
pub(super) fn disassemble(code: &CompiledCode) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; {} bytes, {} trap sites, wasm_call entry at {:#x}, trap exit at {:#x}",
        code.code.len(),
        code.faults().count(),
        code.wasm_entry,
        code.trap_exit
    );
    let mut formatter = IntelFormatter::new();
    let opts = formatter.options_mut();
    opts.set_hex_prefix("0x");
    opts.set_hex_suffix("");
    opts.set_uppercase_hex(false);
    opts.set_branch_leading_zeros(false);
    opts.set_space_after_operand_separator(true);
    let mut text = String::new();
    let mut pos = 0;
    for table in code
        .jump_tables
        .iter()
        .map(|t| t.start as usize..t.end as usize)
    {
        disassemble_range(code, pos..table.start, &mut formatter, &mut out);
        let _ = writeln!(
            out,
            "      jump table at {:#x}, {} cases:",
            table.start,
            table.len() / 4
        );
        for (case, word) in code.code[table.clone()].chunks(4).enumerate() {
            let rel = i32::from_le_bytes(word.try_into().expect("4-byte entries"));
            let target = table.start as i64 + i64::from(rel);
            text.clear();
            let _ = write!(text, "case {case} -> {target:#x}");
            write_line(&mut out, table.start + 4 * case, word, &text);
        }
        pos = table.end;
    }
    disassemble_range(code, pos..code.code.len(), &mut formatter, &mut out);
    out
}

/// Appends the instructions in `range` of `code` to `out`.
fn disassemble_range(
    code: &CompiledCode,
    range: std::ops::Range<usize>,
    formatter: &mut IntelFormatter,
    out: &mut String,
) {
    let insts: Vec<Instruction> = Decoder::with_ip(
        64,
        &code.code[range.clone()],
        range.start as u64,
        DecoderOptions::NONE,
    )
    .into_iter()
    .collect();
    let trap_exit = u64::from(code.trap_exit);
    // Cold paths: a call of the trap exit per site, whose return address
    // is the site's pc. Branches to them are trap checks.
    let stubs = cold_paths(code);
    let mut text = String::new();
    for inst in insts.iter() {
        let at = inst.ip() as usize;
        let bytes = &code.code[at..at + inst.len()];
        if at == 0 {
            out.push_str("      entry stub (array call):\n");
        } else if at == code.wasm_entry as usize {
            out.push_str("      wasm_call entry:\n");
        } else if inst.ip() == trap_exit {
            out.push_str("      trap exit:\n");
        }
        text.clear();
        if inst.is_invalid() {
            text.push_str("(bad)");
        } else {
            formatter.format(inst, &mut text);
        }
        for (_, trap) in code.faults().filter(|&(site, _)| site as usize == at) {
            let _ = write!(text, "  ; trap: {trap}");
        }
        if let Some(site) = code.sites.iter().find(|s| s.pc as usize == at + inst.len()) {
            if inst.mnemonic() == Mnemonic::Call {
                let _ = write!(text, "  ; wasm {:#x}", site.wasm_offset);
            }
        }
        if inst.mnemonic() == Mnemonic::Call {
            if let Some(call) = code
                .calls
                .iter()
                .find(|c| c.ret as usize == at + inst.len())
            {
                let _ = write!(text, "  ; wasm {:#x}", call.wasm_offset);
            }
        }
        let is_branch =
            inst.op0_kind() == OpKind::NearBranch64 && inst.mnemonic() != Mnemonic::Call;
        let stub = stubs
            .iter()
            .find(|(ip, _)| is_branch && *ip == inst.near_branch_target());
        if let Some((_, kind)) = stub {
            let _ = match kind {
                SiteKind::Trap(trap) | SiteKind::Fault(trap) => {
                    write!(text, "  ; to trap exit (trap: {trap})")
                }
                SiteKind::Status => write!(text, "  ; to trap exit (the call's trap)"),
                SiteKind::Adapter => write!(text, "  ; to trap exit (the callee's trap)"),
            };
        } else if is_branch && inst.near_branch_target() == trap_exit {
            text.push_str("  ; to trap exit");
        }
        write_line(out, at, bytes, &text);
    }
}

/// The cold paths of `code` (their start, 5 bytes before the site's pc
/// they call the trap exit with) and how their traps arrive.
pub(crate) fn cold_paths(code: &CompiledCode) -> Vec<(u64, SiteKind)> {
    code.sites
        .iter()
        .filter(|s| !matches!(s.kind, SiteKind::Fault(_)))
        .map(|s| (u64::from(s.pc) - 5, s.kind))
        .collect()
}

/// `offset: bytes  text`, the bytes continuing on further lines if long.
fn write_line(out: &mut String, at: usize, bytes: &[u8], text: &str) {
    for (k, chunk) in bytes.chunks(BYTES_PER_LINE).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let hex = hex.join(" ");
        if k == 0 {
            let _ = writeln!(
                out,
                "{at:6x}: {hex:<w$}  {text}",
                w = BYTES_PER_LINE * 3 - 1
            );
        } else {
            let _ = writeln!(out, "{:6}  {hex}", "");
        }
    }
}
