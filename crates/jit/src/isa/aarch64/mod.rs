//! AArch64 back end.
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
//! - [`abi`]: which registers JIT code reserves, allocates and clobbers,
//!   and the wasm calling convention's registers.
//! - [`emit`]: code generation from allocated IR.

pub mod abi;
pub mod asm;
pub(crate) mod disasm;
pub mod emit;
pub mod regs;

pub use asm::{
    AddSubOp, AsmError, Assembler, AtomicRmwOp, Barrier, Cond, Extend, FloatOp, FloatSize,
    FloatUnOp, IndexExtend, Label, Lanes, LogicOp, Mem, Shift, Size, VecLogicOp, Width,
};
pub use regs::{Fpr, Gpr};

use super::{CompiledCode, Isa};
use crate::error::JitError;
use crate::ir::{Func, Inst};
use crate::regalloc::{Allocation, MachineEnv, PReg, RegSet};

/// The AArch64 back end.
#[derive(Clone, Copy, Debug)]
pub struct Aarch64 {
    /// Use the LSE atomic instructions (ARMv8.1); without them, atomic
    /// read-modify-writes are exclusive-access loops.
    pub lse: bool,
}

impl Default for Aarch64 {
    /// For this machine: LSE if the CPU has it (on another host, with
    /// it, as most AArch64 servers have).
    fn default() -> Self {
        #[cfg(target_arch = "aarch64")]
        let lse = std::arch::is_aarch64_feature_detected!("lse");
        #[cfg(not(target_arch = "aarch64"))]
        let lse = true;
        Aarch64 { lse }
    }
}

impl Isa for Aarch64 {
    fn name(&self) -> &'static str {
        "AArch64"
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
        emit::emit(f, alloc, imported_funcs, self.lse)
    }

    fn disassemble(&self, code: &CompiledCode) -> String {
        disasm::disassemble(code)
    }
}
