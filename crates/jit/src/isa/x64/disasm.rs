//! x86-64 disassembly for `wx explore`, by iced-x86: the entry stub, the
//! `wasm_call` entry and the trap exit marked, trap sites and explicit
//! traps named, and `br_table` jump tables shown as data (case -> target)
//! rather than decoded.

use crate::isa::CompiledCode;
use iced_x86::{
    Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind, Register,
};
use std::fmt::Write as _;
use wx_core::TrapCode;

/// Bytes shown per line; longer instructions continue on the next line.
const BYTES_PER_LINE: usize = 8;

/// `code` as text: a summary line, then one line per instruction,
/// `offset: bytes  instruction`, offsets in hex from the function's start
/// (branch targets print the same way). The entry stub, the `wasm_call`
/// entry and the trap exit get label lines, each recorded trap site a
/// `; trap: ...` comment, and each branch to the trap exit a `; to trap
/// exit` comment, naming the trap when the status put in eax just before
/// is a trap code (an explicit trap). Jump tables get a
/// header line and one line per entry, `offset: bytes  case i -> target`.
pub(super) fn disassemble(code: &CompiledCode) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; {} bytes, {} trap sites, wasm_call entry at {:#x}, trap exit at {:#x}",
        code.code.len(),
        code.trap_sites.len(),
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
    // Cold trap stubs: `mov eax, code` then a jump (or a fall) to the trap
    // exit. Branches to them are trap checks.
    let is_exit_jump = |i: &Instruction| {
        i.mnemonic() == Mnemonic::Jmp
            && i.op0_kind() == OpKind::NearBranch64
            && i.near_branch_target() == trap_exit
    };
    let stubs: Vec<(u64, TrapCode)> = insts
        .iter()
        .enumerate()
        .filter_map(|(k, i)| {
            let sets_status = i.mnemonic() == Mnemonic::Mov
                && i.op0_kind() == OpKind::Register
                && i.op0_register() == Register::EAX
                && i.op1_kind() == OpKind::Immediate32;
            let then_exit = i.next_ip() == trap_exit || insts.get(k + 1).is_some_and(is_exit_jump);
            let code = TrapCode::from_u32(i.immediate32()).filter(|_| sets_status && then_exit)?;
            Some((i.ip(), code))
        })
        .collect();
    let mut text = String::new();
    for (k, inst) in insts.iter().enumerate() {
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
        for (_, trap) in code
            .trap_sites
            .iter()
            .filter(|(site, _)| *site as usize == at)
        {
            let _ = write!(text, "  ; trap: {trap}");
        }
        let is_branch =
            inst.op0_kind() == OpKind::NearBranch64 && inst.mnemonic() != Mnemonic::Call;
        let stub = stubs
            .iter()
            .find(|(ip, _)| is_branch && *ip == inst.near_branch_target());
        if let Some((_, trap)) = stub {
            let _ = write!(text, "  ; to trap exit (trap: {trap})");
        } else if is_branch && inst.near_branch_target() == trap_exit {
            text.push_str("  ; to trap exit");
            let status = k.checked_sub(1).map(|p| &insts[p]).filter(|p| {
                p.mnemonic() == Mnemonic::Mov
                    && p.op0_kind() == OpKind::Register
                    && p.op0_register() == Register::EAX
                    && p.op1_kind() == OpKind::Immediate32
            });
            if let Some(trap) = status.and_then(|p| TrapCode::from_u32(p.immediate32())) {
                let _ = write!(text, " (trap: {trap})");
            }
        }
        write_line(out, at, bytes, &text);
    }
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
