//! x86-64 back end.
//!
//! - [`regs`]: general-purpose and SSE registers with their hardware encodings.
//! - [`abi`]: which registers JIT code reserves, allocates and clobbers.
//! - [`emit`]: code generation from allocated IR (integer subset so far).
//! - [`asm`]: the machine-code encoder ([`asm::Assembler`]), labels and
//!   fixups. It encodes the integer, SSE, SSE2 and SSE4.1 instructions needed
//!   to compile every scalar WebAssembly 2.0 instruction.

pub mod abi;
pub mod asm;
pub mod emit;
pub mod regs;

pub use asm::{
    AluOp, AsmError, Assembler, Cond, ExtMode, FloatBitOp, FloatOp, FloatSize, Label, Mem,
    RoundMode, Scale, ShiftOp, Size,
};
pub use regs::{Gpr, Xmm};
