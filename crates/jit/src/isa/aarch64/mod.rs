//! AArch64 back end (the encoder and disassembler; the lowering comes later).
//!
//! - [`regs`]: general-purpose registers X0..X30 with the distinct `sp` and
//!   `xzr` (both encoding 31), and the floating-point/SIMD registers
//!   V0..V31 used as `s`/`d` scalars.
//! - [`asm`]: the machine-code encoder ([`asm::Assembler`]), labels and
//!   fixups for every PC-relative form, and the immediate encoders
//!   (bitmask immediates, float immediates, constant sequences). It
//!   encodes the integer, floating-point, atomic (LSE and exclusive) and
//!   the few SIMD instructions needed to compile scalar WebAssembly 2.0
//!   with threads and exceptions.
//! - `disasm`: the disassembly `wx explore` shows (yaxpeax-arm).

pub mod asm;
pub(crate) mod disasm;
pub mod regs;

pub use asm::{
    AddSubOp, AsmError, Assembler, AtomicRmwOp, Barrier, Cond, Extend, FloatOp, FloatSize,
    FloatUnOp, IndexExtend, Label, Lanes, LogicOp, Mem, Shift, Size, VecLogicOp, Width,
};
pub use regs::{Fpr, Gpr};
