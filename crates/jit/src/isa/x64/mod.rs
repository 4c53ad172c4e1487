//! x86-64 back end.
//!
//! - [`regs`]: general-purpose and SSE registers with their hardware encodings.
//! - [`abi`]: which registers JIT code reserves, allocates and clobbers.
//! - [`emit`]: code generation from allocated IR.
//! - [`disasm`]: the disassembly `wx explore` shows (iced-x86).
//! - [`asm`]: the machine-code encoder ([`asm::Assembler`]), labels and
//!   fixups. It encodes the integer, SSE, SSE2 and SSE4.1 instructions needed
//!   to compile every scalar WebAssembly 2.0 instruction.

pub mod abi;
pub mod asm;
mod disasm;
pub mod emit;
pub mod regs;

pub use asm::{
    AluOp, AsmError, Assembler, Cond, ExtMode, FloatBitOp, FloatOp, FloatSize, Label, Mem,
    RoundMode, Scale, ShiftOp, Size,
};
pub use regs::{Gpr, Xmm};

use super::{CompiledCode, Isa};
use crate::error::JitError;
use crate::ir::{Func, Inst};
use crate::regalloc::{Allocation, MachineEnv, PReg, RegSet};

/// The x86-64 back end.
#[derive(Clone, Copy, Debug, Default)]
pub struct X64;

impl Isa for X64 {
    fn name(&self) -> &'static str {
        "x86-64"
    }

    fn machine_env(&self) -> &MachineEnv {
        abi::machine_env()
    }

    fn clobbers(&self, inst: &Inst) -> RegSet {
        abi::clobbers(inst)
    }

    fn reg_name(&self, r: PReg) -> String {
        abi::reg_name(r)
    }

    fn emit(
        &self,
        f: &Func,
        alloc: &Allocation,
        imported_funcs: u32,
    ) -> Result<CompiledCode, JitError> {
        emit::emit(f, alloc, imported_funcs)
    }

    fn disassemble(&self, code: &CompiledCode) -> String {
        disasm::disassemble(code)
    }
}
