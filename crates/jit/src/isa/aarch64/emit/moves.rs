//! Moves on AArch64: the steps [`crate::driver::moves`] orders, performed
//! with the general-purpose and vector registers (x16 and v31 are the
//! scratch registers a cycle parks a value in).

use super::{Emitter, L};
use crate::driver::moves::{self as driver_moves, Location, MoveSink};
use crate::ir::Ty;
use crate::isa::aarch64::abi::FSCRATCH0;
use crate::isa::aarch64::asm::{FloatSize, Size};
use crate::isa::aarch64::regs::Gpr::X16;

/// One move of a parallel set: the bits of a `ty` value from `src` to
/// `dst`. A 32-bit value is zero-extended on the way into a
/// general-purpose register or into memory, where the interpreter may
/// read the whole cell.
pub(super) type Move = driver_moves::Move<L>;

/// Whether `a` and `b` are the same register.
pub(super) fn same(a: &L, b: &L) -> bool {
    match (a, b) {
        (L::R(x), L::R(y)) => x == y,
        (L::V(x), L::V(y)) => x == y,
        _ => false,
    }
}

impl Location for L {
    fn is_memory(&self) -> bool {
        matches!(self, L::M(_))
    }

    fn same_register(&self, other: &Self) -> bool {
        same(self, other)
    }
}

impl MoveSink<L> for Emitter<'_> {
    fn move_one(&mut self, m: &Move) {
        Emitter::move_one(self, m);
    }

    fn park(&mut self, r: L) -> L {
        match r {
            L::R(r) => {
                self.asm.mov_rr(Size::S64, X16, r);
                L::R(X16)
            }
            L::V(x) => {
                self.asm.fmov(FloatSize::F64, FSCRATCH0, x);
                L::V(FSCRATCH0)
            }
            L::M(_) => unreachable!("memory destinations went first"),
        }
    }
}

impl Emitter<'_> {
    /// One move between any two locations (memory to memory through x16).
    pub(super) fn move_one(&mut self, m: &Move) {
        let a = &mut *self.asm;
        let narrow = matches!(m.ty, Ty::I32 | Ty::F32);
        let (size, fsize) = if narrow {
            (Size::S32, FloatSize::F32)
        } else {
            (Size::S64, FloatSize::F64)
        };
        match (m.dst, m.src) {
            (L::R(d), L::R(s)) => a.mov_rr(Size::S64, d, s),
            (L::R(d), L::V(s)) => a.fmov_to_gpr(size, d, s),
            (L::R(d), L::M(s)) => a.ldr(size, d, s),
            (L::V(d), L::V(s)) => a.fmov(FloatSize::F64, d, s),
            (L::V(d), L::R(s)) => a.fmov_to_fpr(size, d, s),
            (L::V(d), L::M(s)) => a.ldr_f(fsize, d, s),
            (L::M(d), L::R(s)) => a.str(Size::S64, s, d),
            (L::M(d), L::V(s)) if narrow => {
                a.fmov_to_gpr(Size::S32, X16, s);
                a.str(Size::S64, X16, d);
            }
            (L::M(d), L::V(s)) => a.str_f(FloatSize::F64, s, d),
            (L::M(d), L::M(s)) => {
                a.ldr(size, X16, s);
                a.str(Size::S64, X16, d);
            }
        }
    }
}
