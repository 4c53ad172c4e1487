//! The threads proposal's operators: atomic accesses become
//! `Atomic*` instructions, `wait`/`notify` calls to the runtime.

use super::Translator;
use crate::ir::{Inst, Libcall, Ty};
use wasmparser::Operator as W;
use wx_core::atomics::{access, wait_operator, AccessKind};

impl Translator<'_> {
    /// Translate `op` if it is one of the threads proposal's operators.
    pub(super) fn atomic(&mut self, op: &W<'_>) -> bool {
        if let Some((width, memarg)) = wait_operator(op) {
            let call = Libcall::AtomicWait {
                offset: memarg.offset as u32,
                width: width as u32,
            };
            self.libcall(call, 3, Some(Ty::I32));
            return true;
        }
        match *op {
            W::AtomicFence { .. } => {
                self.emit(Inst::AtomicFence);
                return true;
            }
            W::MemoryAtomicNotify { memarg } => {
                let call = Libcall::AtomicNotify {
                    offset: memarg.offset as u32,
                };
                self.libcall(call, 2, Some(Ty::I32));
                return true;
            }
            _ => {}
        }
        let Some(a) = access(op) else {
            return false;
        };
        let ty = if a.wide { Ty::I64 } else { Ty::I32 };
        let (width, offset) = (a.width, a.memarg.offset as u32);
        match a.kind {
            AccessKind::Load => {
                let addr = self.pop_reg();
                let dst = self.push_def(ty);
                self.emit_def(
                    Inst::AtomicLoad {
                        ty,
                        width,
                        dst,
                        addr,
                        offset,
                    },
                    dst,
                );
            }
            AccessKind::Store => {
                let value = self.pop_reg();
                let addr = self.pop_reg();
                self.emit(Inst::AtomicStore {
                    ty,
                    width,
                    addr,
                    value,
                    offset,
                });
            }
            AccessKind::Rmw(op) => {
                let value = self.pop_reg();
                let addr = self.pop_reg();
                let dst = self.push_def(ty);
                self.emit_def(
                    Inst::AtomicRmw {
                        op,
                        ty,
                        width,
                        dst,
                        addr,
                        value,
                        offset,
                    },
                    dst,
                );
            }
            AccessKind::Cmpxchg => {
                let replacement = self.pop_reg();
                let expected = self.pop_reg();
                let addr = self.pop_reg();
                let dst = self.push_def(ty);
                self.emit_def(
                    Inst::AtomicCmpxchg {
                        ty,
                        width,
                        dst,
                        addr,
                        expected,
                        replacement,
                        offset,
                    },
                    dst,
                );
            }
        }
        true
    }
}
