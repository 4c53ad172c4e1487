//! `throw` and `throw_ref` in compiled code: a call to the runtime that
//! puts the exception in flight and returns the exception status, which
//! leaves the function like a trap. (Functions with handlers stay in the
//! interpreter, which catches.)

use super::Translator;
use crate::ir::{Inst, Libcall};
use wasmparser::Operator as W;
use wx_core::TrapCode;

impl Translator<'_> {
    /// Translate `op` if it throws.
    pub(super) fn throw(&mut self, op: &W<'_>) -> bool {
        let (call, n) = match *op {
            W::Throw { tag_index } => (
                Libcall::Throw { tag: tag_index },
                self.module.tag_type(tag_index).params().len(),
            ),
            W::ThrowRef => (Libcall::ThrowRef, 1),
            _ => return false,
        };
        self.libcall(call, n, None);
        // The call never returns here: what follows is unreachable.
        self.terminate(Inst::Trap {
            code: TrapCode::Internal,
        });
        true
    }
}
