//! The threads proposal's atomic operators. They go to a few generic
//! instructions whose trailing `Extra` names the width and operation:
//! atomics are rare in hot interpreted code, and each already pays for a
//! locked memory access.

use super::Translator;
use crate::bytecode::Op;
use wasmparser::{MemArg, Operator as W};
use wx_core::atomics::{access, wait_operator, AccessKind};

impl Translator<'_> {
    /// Translate `op` if it is one of the threads proposal's operators.
    pub(super) fn atomic(&mut self, op: &W<'_>) -> bool {
        if let Some((width, memarg)) = wait_operator(op) {
            let base = self.take_operands(3);
            let dst = self.push_temp();
            let extra = Op::Extra {
                a: width as u32,
                b: 0,
                c: 0,
            };
            let offset = offset(memarg);
            self.emit_result_with(Op::AtomicWait { dst, base, offset }, extra);
            return true;
        }
        match *op {
            W::AtomicFence { .. } => {
                self.emit(Op::AtomicFence);
                return true;
            }
            W::MemoryAtomicNotify { memarg } => {
                let count = self.pop_slot();
                let addr = self.pop_slot();
                let dst = self.push_temp();
                let extra = Op::Extra {
                    a: offset(memarg),
                    b: 0,
                    c: 0,
                };
                self.emit_result_with(Op::AtomicNotify { dst, addr, count }, extra);
                return true;
            }
            _ => {}
        }
        let Some(a) = access(op) else {
            return false;
        };
        let (width, offset) = (a.width, offset(a.memarg));
        match a.kind {
            AccessKind::Load => {
                let addr = self.pop_slot();
                let dst = self.push_temp();
                let extra = Op::Extra {
                    a: width as u32,
                    b: 0,
                    c: 0,
                };
                self.emit_result_with(Op::AtomicLoad { dst, addr, offset }, extra);
            }
            AccessKind::Store => {
                let value = self.pop_slot();
                let addr = self.pop_slot();
                self.emit(Op::AtomicStore {
                    addr,
                    value,
                    offset,
                });
                self.emit(Op::Extra {
                    a: width as u32,
                    b: 0,
                    c: 0,
                });
            }
            AccessKind::Rmw(rmw) => {
                let value = self.pop_slot();
                let addr = self.pop_slot();
                let dst = self.push_temp();
                let extra = Op::Extra {
                    a: offset,
                    b: width as u32,
                    c: rmw as u32,
                };
                self.emit_result_with(Op::AtomicRmw { dst, addr, value }, extra);
            }
            AccessKind::Cmpxchg => {
                // (address, expected, replacement) in consecutive slots.
                let base = self.take_operands(3);
                let dst = self.push_temp();
                let extra = Op::Extra {
                    a: width as u32,
                    b: 0,
                    c: 0,
                };
                self.emit_result_with(Op::AtomicCmpxchg { dst, base, offset }, extra);
            }
        }
        true
    }
}

/// The static offset of an atomic access (32-bit memories only).
fn offset(memarg: MemArg) -> u32 {
    memarg.offset as u32
}
