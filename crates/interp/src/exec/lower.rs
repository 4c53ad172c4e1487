//! Lowering: `Op` bytecode to threaded `Instr`s.
//!
//! Each instruction gets the handler named after its variant and its fields,
//! in order, as operands. Branches whose offset is not positive are
//! back-edges and get the counting, stack-checking back-edge handler.

use super::control;
use super::dispatch::{Handler, Instr};
use crate::bytecode::{for_each_op, Op};

/// The operands of an instruction, in field order, as three u32s.
macro_rules! pack {
    () => {
        [0u32; 3]
    };
    ($a:ident) => {
        [$a as u32, 0, 0]
    };
    ($a:ident, $b:ident) => {
        [$a as u32, $b as u32, 0]
    };
    ($a:ident, $b:ident, $c:ident) => {
        [$a as u32, $b as u32, $c as u32]
    };
}

macro_rules! define_lower {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $({ $($field:ident : $ty:ty),* $(,)? })?
    ),* $(,)?) => {
        /// The handler and operands of `op` (forward form for branches).
        fn forward(op: &Op) -> (Handler, [u32; 3]) {
            #[allow(clippy::unnecessary_cast, reason = "fields are u32 or i32")]
            match *op {
                $(Op::$name $({ $($field),* })? => (super::handler_for::$name as Handler, pack!($($($field),*)?)),)*
            }
        }
    };
}

for_each_op!(define_lower);

/// The back-edge handler for branch `op`, if it is a branch.
fn back(op: &Op) -> Option<(Handler, i32)> {
    use control::{back as b, back_cmp as c};
    Some(match *op {
        Op::Br { offset } => (control::BrBack as Handler, offset),
        Op::BrIfNez { offset, .. } => (b::BrIfNez, offset),
        Op::BrIfEqz { offset, .. } => (b::BrIfEqz, offset),
        Op::BrIfI64Nez { offset, .. } => (b::BrIfI64Nez, offset),
        Op::BrIfI64Eqz { offset, .. } => (b::BrIfI64Eqz, offset),
        Op::BrI32EqImm { offset, .. } => (b::BrI32EqImm, offset),
        Op::BrI32NeImm { offset, .. } => (b::BrI32NeImm, offset),
        Op::BrI32LtSImm { offset, .. } => (b::BrI32LtSImm, offset),
        Op::BrI32LtUImm { offset, .. } => (b::BrI32LtUImm, offset),
        Op::BrI32GtSImm { offset, .. } => (b::BrI32GtSImm, offset),
        Op::BrI32GtUImm { offset, .. } => (b::BrI32GtUImm, offset),
        Op::BrI32LeSImm { offset, .. } => (b::BrI32LeSImm, offset),
        Op::BrI32LeUImm { offset, .. } => (b::BrI32LeUImm, offset),
        Op::BrI32GeSImm { offset, .. } => (b::BrI32GeSImm, offset),
        Op::BrI32GeUImm { offset, .. } => (b::BrI32GeUImm, offset),
        Op::BrI32AndImmNz { offset, .. } => (b::BrI32AndImmNz, offset),
        Op::BrI32AndImmZ { offset, .. } => (b::BrI32AndImmZ, offset),
        Op::BrI64EqImm { offset, .. } => (b::BrI64EqImm, offset),
        Op::BrI64NeImm { offset, .. } => (b::BrI64NeImm, offset),
        Op::BrI32Eq { offset, .. } => (c::BrI32Eq, offset),
        Op::BrI32Ne { offset, .. } => (c::BrI32Ne, offset),
        Op::BrI32LtS { offset, .. } => (c::BrI32LtS, offset),
        Op::BrI32LtU { offset, .. } => (c::BrI32LtU, offset),
        Op::BrI32GtS { offset, .. } => (c::BrI32GtS, offset),
        Op::BrI32GtU { offset, .. } => (c::BrI32GtU, offset),
        Op::BrI32LeS { offset, .. } => (c::BrI32LeS, offset),
        Op::BrI32LeU { offset, .. } => (c::BrI32LeU, offset),
        Op::BrI32GeS { offset, .. } => (c::BrI32GeS, offset),
        Op::BrI32GeU { offset, .. } => (c::BrI32GeU, offset),
        _ => return None,
    })
}

/// Lower a function's bytecode to threaded code.
pub fn lower(ops: &[Op]) -> Box<[Instr]> {
    ops.iter()
        .enumerate()
        .map(|(at, op)| {
            let (mut handler, [a, b, c]) = forward(op);
            if let Some((back_handler, offset)) = back(op) {
                // A back-edge lands right after its loop's header (see the translator).
                let target = at as i64 + offset as i64;
                let after_header =
                    target >= 1 && matches!(ops[target as usize - 1], Op::LoopHeader { .. });
                if offset <= 0 && after_header {
                    handler = back_handler;
                }
            }
            Instr { handler, a, b, c }
        })
        .collect()
}
