//! What the JIT makes of a function, as text (for `wx explore`): the IR, the
//! register allocation, and the machine code disassembled by iced-x86 with
//! the entries, the trap sites and the trap exit marked, and `br_table` jump tables shown
//! as data (case -> target) rather than decoded.

use crate::error::JitError;
use crate::isa::x64::{abi, emit};
use crate::regalloc::{allocate, check, Loc};
use crate::translate::translate;
use iced_x86::{
    Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind, Register,
};
use std::fmt::Write as _;
use wx_core::{ModuleInfo, TrapCode};

/// The IR, the register allocation and the machine code of one function.
#[derive(Clone, Debug)]
pub struct Explored {
    pub ir: String,
    /// One line per live interval: vreg, positions, location.
    pub allocation: String,
    /// The x86-64 code, one instruction per line (offset, bytes, Intel
    /// syntax), or why the emitter refused the function.
    pub disassembly: Result<String, JitError>,
}

/// Translate, allocate and emit defined function `def_index` for x86-64.
/// Translation and allocation errors are returned; an emission error is
/// reported in [`Explored::disassembly`] so the IR can still be read.
pub fn explore(module: &ModuleInfo, def_index: u32) -> Result<Explored, JitError> {
    let f = translate(module, def_index)?;
    let alloc = allocate(&f, &abi::machine_env(), abi::clobbers);
    check(&f, &alloc, abi::clobbers).map_err(JitError::Internal)?;
    let mut allocation = String::new();
    let mut intervals = alloc.intervals.clone();
    intervals.sort_by_key(|iv| iv.vreg);
    for iv in intervals {
        let loc = match alloc.loc(iv.vreg) {
            Loc::Reg(r) => abi::reg_name(r),
            Loc::Stack(s) => format!("stack[{s}]"),
            Loc::None => "-".into(),
        };
        let _ = writeln!(
            allocation,
            "{:>5} {:<4} [{}, {}] -> {loc}",
            iv.vreg.to_string(),
            f.ty(iv.vreg).to_string(),
            iv.start,
            iv.end
        );
    }
    let _ = writeln!(allocation, "; {} spill slots", alloc.spill_slots);
    let disassembly =
        emit::emit(&f, &alloc, module.num_imported_funcs).map(|code| disassemble(&code));
    Ok(Explored {
        ir: f.to_string(),
        allocation,
        disassembly,
    })
}

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
pub fn disassemble(code: &emit::CompiledCode) -> String {
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
    code: &emit::CompiledCode,
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
        if is_branch && inst.near_branch_target() == trap_exit {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn explore_wat(wat: &str) -> Explored {
        let info = ModuleInfo::new(&wat::parse_str(wat).unwrap()).unwrap();
        explore(&info, 0).unwrap()
    }

    #[test]
    fn disassembly_marks_the_entries_trap_sites_and_trap_exit() {
        let e = explore_wat(
            "(module (memory 1) (func (param i32) (result i32)
               (i32.load offset=4 (local.get 0))))",
        );
        let text = e.disassembly.unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("; ") && lines[0].contains("1 trap sites"),
            "{text}"
        );
        assert_eq!(lines[1].trim(), "entry stub (array call):", "{text}");
        assert!(
            lines[2].starts_with("     0: 55 ") && lines[2].ends_with("push rbp"),
            "{text}"
        );
        assert!(lines[3].ends_with("mov rbp, rsp"), "{text}");
        let body = lines
            .iter()
            .position(|l| l.trim() == "wasm_call entry:")
            .expect("{text}");
        assert!(lines[body + 1].ends_with("push rbp"), "{text}");
        let trap = lines
            .iter()
            .find(|l| l.contains("; trap:"))
            .expect("{text}");
        assert!(
            trap.contains("[r15+") && trap.contains("out of bounds memory access"),
            "{text}"
        );
        let exit = lines
            .iter()
            .position(|l| l.trim() == "trap exit:")
            .expect("{text}");
        assert!(
            lines[exit + 1..exit + 4].iter().any(|l| l.ends_with("ret")),
            "{text}"
        );
        assert!(
            lines[body..exit].iter().any(|l| l.ends_with("pop rbp")),
            "{text}"
        );
        assert!(!text.contains("(bad)"), "{text}");
        // The prologue's stack-limit check is an explicit trap.
        assert!(
            text.contains("; to trap exit (trap: call stack exhausted)"),
            "{text}"
        );
    }

    #[test]
    fn explicit_traps_are_named() {
        let e = explore_wat(
            "(module (func (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))",
        );
        let text = e.disassembly.unwrap();
        assert!(text.contains("(trap: integer divide by zero)"), "{text}");
        assert!(text.contains("div "), "{text}");
    }

    #[test]
    fn jump_tables_are_shown_as_data() {
        let e = explore_wat(
            "(module (func (param i32) (result i32)
               (block (block (block (block (block (block
                 (br_table 0 1 2 3 4 5 (local.get 0)))
                 (return (i32.const 10))) (return (i32.const 11)))
                 (return (i32.const 12))) (return (i32.const 13)))
                 (return (i32.const 14))) (i32.const 15)))",
        );
        let text = e.disassembly.unwrap();
        assert!(text.contains("jmp r10\n"), "{text}");
        assert!(!text.contains("(bad)"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let header = lines
            .iter()
            .position(|l| l.trim().starts_with("jump table at 0x"))
            .expect("{text}");
        assert!(lines[header].ends_with(", 5 cases:"), "{text}");
        assert!(
            lines[..header].iter().any(|l| l.trim() == "trap exit:"),
            "{text}"
        );
        let cases = &lines[header + 1..];
        assert_eq!(cases.len(), 5, "{text}");
        for (i, line) in cases.iter().enumerate() {
            // `offset: 4 bytes  case i -> target`, the target an instruction above.
            let (_, entry) = line.split_once(&format!("case {i} -> 0x")).expect("{text}");
            let at = format!("{entry:>6}: ");
            let target = lines[..header]
                .iter()
                .find(|l| l.starts_with(&at))
                .unwrap_or_else(|| panic!("case {i}: no instruction at {entry}\n{text}"));
            assert!(
                target.ends_with(&format!("mov eax, 0x{:x}", 10 + i)),
                "{text}"
            );
        }
    }

    #[test]
    fn an_emission_error_keeps_the_ir() {
        // Saturating truncation is translated but not emitted (yet); once it
        // is, this test still passes through the `Ok` arm.
        let e = explore_wat(
            "(module (func (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0))))",
        );
        assert!(!e.ir.is_empty() && !e.allocation.is_empty());
        match e.disassembly {
            Ok(text) => assert!(text.ends_with("ret\n"), "{text}"),
            Err(err) => assert!(matches!(err, JitError::Unsupported { .. }), "{err}"),
        }
    }
}
