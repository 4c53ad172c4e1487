//! The pipeline: translate -> allocate -> check -> emit.

use crate::error::JitError;
use crate::isa::x64::{abi, emit};
use crate::regalloc::{allocate, check};
use crate::translate::translate;
use wx_core::ModuleInfo;

pub use emit::CompiledCode;

/// Compile defined function `def_index` of `module` to x86-64 code.
pub fn compile(module: &ModuleInfo, def_index: u32) -> Result<CompiledCode, JitError> {
    let f = translate(module, def_index)?;
    let alloc = allocate(&f, &abi::machine_env(), abi::clobbers);
    check(&f, &alloc, abi::clobbers).map_err(JitError::Internal)?;
    emit::emit(&f, &alloc)
}
