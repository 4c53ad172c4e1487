//! Instruction-set back ends.
//!
//! Every ISA has the same file set: `regs` (register names and encodings) and
//! `asm` (the machine-code encoder), later joined by the ABI (frame layout,
//! calling convention) and the lowering trait implementation. Generic code
//! never names an ISA.

pub mod x64;
