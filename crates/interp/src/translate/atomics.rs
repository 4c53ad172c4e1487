//! The threads proposal's atomic operators. They go to a few generic
//! instructions whose trailing `Extra` names the width and operation:
//! atomics are rare in hot interpreted code, and each already pays for a
//! locked memory access.

use super::Translator;
use crate::bytecode::Op;
use wasmparser::{MemArg, Operator as W};
use wx_core::atomics::{RmwOp, Width};

/// What an atomic operator does.
enum Kind {
    Load,
    Store,
    Rmw(RmwOp),
    Cmpxchg,
}

/// The kind, width and memory argument of an atomic access operator.
fn classify(op: &W<'_>) -> Option<(Kind, Width, MemArg)> {
    use Kind::*;
    use Width::*;
    macro_rules! rmw {
        ($memarg:expr, $op:ident, $w:ident) => {
            (Rmw(RmwOp::$op), $w, $memarg)
        };
    }
    Some(match *op {
        W::I32AtomicLoad { memarg } => (Load, W32, memarg),
        W::I64AtomicLoad { memarg } => (Load, W64, memarg),
        W::I32AtomicLoad8U { memarg } | W::I64AtomicLoad8U { memarg } => (Load, W8, memarg),
        W::I32AtomicLoad16U { memarg } | W::I64AtomicLoad16U { memarg } => (Load, W16, memarg),
        W::I64AtomicLoad32U { memarg } => (Load, W32, memarg),
        W::I32AtomicStore { memarg } | W::I64AtomicStore32 { memarg } => (Store, W32, memarg),
        W::I64AtomicStore { memarg } => (Store, W64, memarg),
        W::I32AtomicStore8 { memarg } | W::I64AtomicStore8 { memarg } => (Store, W8, memarg),
        W::I32AtomicStore16 { memarg } | W::I64AtomicStore16 { memarg } => (Store, W16, memarg),

        W::I32AtomicRmwAdd { memarg } | W::I64AtomicRmw32AddU { memarg } => rmw!(memarg, Add, W32),
        W::I64AtomicRmwAdd { memarg } => rmw!(memarg, Add, W64),
        W::I32AtomicRmw8AddU { memarg } | W::I64AtomicRmw8AddU { memarg } => rmw!(memarg, Add, W8),
        W::I32AtomicRmw16AddU { memarg } | W::I64AtomicRmw16AddU { memarg } => {
            rmw!(memarg, Add, W16)
        }
        W::I32AtomicRmwSub { memarg } | W::I64AtomicRmw32SubU { memarg } => rmw!(memarg, Sub, W32),
        W::I64AtomicRmwSub { memarg } => rmw!(memarg, Sub, W64),
        W::I32AtomicRmw8SubU { memarg } | W::I64AtomicRmw8SubU { memarg } => rmw!(memarg, Sub, W8),
        W::I32AtomicRmw16SubU { memarg } | W::I64AtomicRmw16SubU { memarg } => {
            rmw!(memarg, Sub, W16)
        }
        W::I32AtomicRmwAnd { memarg } | W::I64AtomicRmw32AndU { memarg } => rmw!(memarg, And, W32),
        W::I64AtomicRmwAnd { memarg } => rmw!(memarg, And, W64),
        W::I32AtomicRmw8AndU { memarg } | W::I64AtomicRmw8AndU { memarg } => rmw!(memarg, And, W8),
        W::I32AtomicRmw16AndU { memarg } | W::I64AtomicRmw16AndU { memarg } => {
            rmw!(memarg, And, W16)
        }
        W::I32AtomicRmwOr { memarg } | W::I64AtomicRmw32OrU { memarg } => rmw!(memarg, Or, W32),
        W::I64AtomicRmwOr { memarg } => rmw!(memarg, Or, W64),
        W::I32AtomicRmw8OrU { memarg } | W::I64AtomicRmw8OrU { memarg } => rmw!(memarg, Or, W8),
        W::I32AtomicRmw16OrU { memarg } | W::I64AtomicRmw16OrU { memarg } => rmw!(memarg, Or, W16),
        W::I32AtomicRmwXor { memarg } | W::I64AtomicRmw32XorU { memarg } => rmw!(memarg, Xor, W32),
        W::I64AtomicRmwXor { memarg } => rmw!(memarg, Xor, W64),
        W::I32AtomicRmw8XorU { memarg } | W::I64AtomicRmw8XorU { memarg } => rmw!(memarg, Xor, W8),
        W::I32AtomicRmw16XorU { memarg } | W::I64AtomicRmw16XorU { memarg } => {
            rmw!(memarg, Xor, W16)
        }
        W::I32AtomicRmwXchg { memarg } | W::I64AtomicRmw32XchgU { memarg } => {
            rmw!(memarg, Xchg, W32)
        }
        W::I64AtomicRmwXchg { memarg } => rmw!(memarg, Xchg, W64),
        W::I32AtomicRmw8XchgU { memarg } | W::I64AtomicRmw8XchgU { memarg } => {
            rmw!(memarg, Xchg, W8)
        }
        W::I32AtomicRmw16XchgU { memarg } | W::I64AtomicRmw16XchgU { memarg } => {
            rmw!(memarg, Xchg, W16)
        }
        W::I32AtomicRmwCmpxchg { memarg } | W::I64AtomicRmw32CmpxchgU { memarg } => {
            (Cmpxchg, W32, memarg)
        }
        W::I64AtomicRmwCmpxchg { memarg } => (Cmpxchg, W64, memarg),
        W::I32AtomicRmw8CmpxchgU { memarg } | W::I64AtomicRmw8CmpxchgU { memarg } => {
            (Cmpxchg, W8, memarg)
        }
        W::I32AtomicRmw16CmpxchgU { memarg } | W::I64AtomicRmw16CmpxchgU { memarg } => {
            (Cmpxchg, W16, memarg)
        }
        _ => return None,
    })
}

impl Translator<'_> {
    /// Translate `op` if it is one of the threads proposal's operators.
    pub(super) fn atomic(&mut self, op: &W<'_>) -> bool {
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
            W::MemoryAtomicWait32 { memarg } | W::MemoryAtomicWait64 { memarg } => {
                let width = if matches!(op, W::MemoryAtomicWait32 { .. }) {
                    Width::W32
                } else {
                    Width::W64
                };
                let base = self.take_operands(3);
                let dst = self.push_temp();
                let extra = Op::Extra {
                    a: width as u32,
                    b: 0,
                    c: 0,
                };
                self.emit_result_with(
                    Op::AtomicWait {
                        dst,
                        base,
                        offset: offset(memarg),
                    },
                    extra,
                );
                return true;
            }
            _ => {}
        }
        let Some((kind, width, memarg)) = classify(op) else {
            return false;
        };
        let offset = offset(memarg);
        match kind {
            Kind::Load => {
                let addr = self.pop_slot();
                let dst = self.push_temp();
                let extra = Op::Extra {
                    a: width as u32,
                    b: 0,
                    c: 0,
                };
                self.emit_result_with(Op::AtomicLoad { dst, addr, offset }, extra);
            }
            Kind::Store => {
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
            Kind::Rmw(rmw) => {
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
            Kind::Cmpxchg => {
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
