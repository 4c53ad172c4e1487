//! Parallel moves on x86-64: the steps [`crate::driver::moves`] orders, performed
//! with the general-purpose and SSE registers (r10 and xmm15 are the
//! scratch registers a cycle parks a value in).

use super::{Emitter, L};
use crate::driver::moves::{self as driver_moves, Location, MoveSink};
use crate::ir::Ty;
use crate::isa::x64::asm::{FloatSize, Size};
use crate::isa::x64::regs::{Gpr, Xmm};

/// One move of a parallel set: the bits of a `ty` value from `src` to
/// `dst`. A 32-bit value's upper half is undefined in memory and in an xmm
/// register; it is zeroed on the way into a general-purpose register or
/// into memory, where the interpreter may read the whole cell.
pub(super) type Move = driver_moves::Move<L>;

/// Whether `a` and `b` are the same register.
pub(super) fn same(a: &L, b: &L) -> bool {
    match (a, b) {
        (L::R(x), L::R(y)) => x == y,
        (L::X(x), L::X(y)) => x == y,
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
                self.asm.mov_rr(Size::S64, Gpr::R10, r);
                L::R(Gpr::R10)
            }
            L::X(x) => {
                self.asm.movaps(Xmm::Xmm15, x);
                L::X(Xmm::Xmm15)
            }
            L::M(_) => unreachable!("memory destinations went first"),
        }
    }
}

impl Emitter<'_> {
    /// One move between any two locations (memory to memory through r10).
    pub(super) fn move_one(&mut self, m: &Move) {
        let a = &mut self.asm;
        let narrow = matches!(m.ty, Ty::I32 | Ty::F32);
        let load_size = if narrow { Size::S32 } else { Size::S64 };
        match (&m.dst, &m.src) {
            (L::R(d), L::R(s)) => a.mov_rr(Size::S64, *d, *s),
            (L::R(d), L::X(s)) => a.movd_from_xmm(Size::S64, *d, *s),
            (L::R(d), L::M(s)) => a.load(load_size, *d, *s),
            (L::X(d), L::X(s)) => a.movaps(*d, *s),
            (L::X(d), L::R(s)) => a.movd_to_xmm(Size::S64, *d, *s),
            (L::X(d), L::M(s)) => a.fload(FloatSize::F64, *d, *s),
            (L::M(d), L::R(s)) => a.store(Size::S64, *d, *s),
            (L::M(d), L::X(s)) if narrow => {
                a.movd_from_xmm(Size::S32, Gpr::R10, *s);
                a.store(Size::S64, *d, Gpr::R10);
            }
            (L::M(d), L::X(s)) => a.fstore(FloatSize::F64, *d, *s),
            (L::M(d), L::M(s)) => {
                a.load(load_size, Gpr::R10, *s);
                a.store(Size::S64, *d, Gpr::R10);
            }
        }
    }
}
