//! Encoder tests (golden disassembly files come later, with the code generator):
//!
//! - [`table`]: (call, bytes, Intel text) for every method and the tricky operands;
//! - [`sweep`]: every register combination and a seeded sample of memory
//!   operands and immediates, each decoded by iced-x86 and compared operand
//!   by operand with what was asked for;
//! - [`labels`]: forward and backward jumps, shared labels, label errors.

use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};

use super::*;

mod labels;
mod sweep;
mod table;

/// Decodes `code` (at address 0) into instructions.
fn decode_all(code: &[u8]) -> Vec<Instruction> {
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut out = Vec::new();
    while decoder.can_decode() {
        out.push(decoder.decode());
    }
    out
}

/// iced-x86's Intel-syntax text of `code`, instructions separated by "; ".
fn intel(code: &[u8]) -> String {
    let mut formatter = IntelFormatter::new();
    let mut out = String::new();
    for (i, instr) in decode_all(code).iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        if instr.is_invalid() {
            out.push_str("(bad)");
        } else {
            formatter.format(instr, &mut out);
        }
    }
    out
}

/// Lowercase hex bytes separated by spaces.
fn hex(code: &[u8]) -> String {
    let parts: Vec<String> = code.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(" ")
}

/// Runs `f` on a fresh assembler and returns its code.
fn emit(f: impl FnOnce(&mut Assembler)) -> Vec<u8> {
    let mut asm = Assembler::new();
    f(&mut asm);
    asm.finish().expect("no label errors")
}
