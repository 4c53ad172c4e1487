//! The pipeline: translate -> allocate -> check -> emit.

use crate::error::JitError;
use crate::ir::Func;
use crate::isa::x64::{abi, emit};
use crate::regalloc::{allocate, check};
use crate::translate::{translate, translate_osr};
use wx_core::ModuleInfo;

pub use emit::CompiledCode;

/// Compile defined function `def_index` of `module` to x86-64 code.
pub fn compile(module: &ModuleInfo, def_index: u32) -> Result<CompiledCode, JitError> {
    lower(&translate(module, def_index)?)
}

/// Compile an on-stack-replacement entry of defined function `def_index`
/// at the loop whose `loop` operator is at byte offset `loop_offset`: code
/// with the array calling convention whose value array holds all the
/// function's locals on entry and its results on return (see
/// [`translate_osr`]).
pub fn compile_osr(
    module: &ModuleInfo,
    def_index: u32,
    loop_offset: usize,
) -> Result<CompiledCode, JitError> {
    lower(&translate_osr(module, def_index, loop_offset)?)
}

fn lower(f: &Func) -> Result<CompiledCode, JitError> {
    let alloc = allocate(f, &abi::machine_env(), abi::clobbers);
    check(f, &alloc, abi::clobbers).map_err(JitError::Internal)?;
    emit::emit(f, &alloc)
}
