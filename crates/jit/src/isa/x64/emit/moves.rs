//! Parallel moves: several values change places at once (parameters into
//! their allocated homes, arguments into the calling convention's
//! registers), where a destination may be another move's source.
//!
//! Moves into memory go first: they only read, and no memory destination
//! is another move's source (frames, outgoing areas and spill slots are
//! disjoint). Register-to-register moves follow, each emitted once no
//! pending move still reads its destination; a cycle is broken by saving
//! one destination in the class's scratch register (r10, xmm15) and
//! reading it from there. Loads from memory come last, when no register
//! source is left to overwrite.

use super::{Emitter, L};
use crate::ir::Ty;
use crate::isa::x64::asm::{FloatSize, Size};
use crate::isa::x64::regs::{Gpr, Xmm};

/// One move of a parallel set: the bits of a `ty` value from `src` to
/// `dst`. A 32-bit value's upper half is undefined in memory and in an xmm
/// register; it is zeroed on the way into a general-purpose register or
/// into memory, where the interpreter may read the whole cell.
#[derive(Clone, Copy)]
pub(super) struct Move {
    pub dst: L,
    pub src: L,
    pub ty: Ty,
}

/// Whether `a` and `b` are the same register.
pub(super) fn same(a: &L, b: &L) -> bool {
    match (a, b) {
        (L::R(x), L::R(y)) => x == y,
        (L::X(x), L::X(y)) => x == y,
        _ => false,
    }
}

/// Whether `m` moves one register to another.
fn is_register_move(m: &Move) -> bool {
    !matches!((m.dst, m.src), (L::M(_), _) | (_, L::M(_))) && !same(&m.dst, &m.src)
}

impl Emitter<'_> {
    /// An empty buffer for the moves of a [`Emitter::parallel_move`], which
    /// hands it back: one allocation serves all the function's moves.
    pub(super) fn take_moves(&mut self) -> Vec<Move> {
        let mut moves = std::mem::take(self.moves);
        moves.clear();
        moves
    }

    /// Perform `moves` as if all at once (see the module docs for the
    /// order), keeping the buffer for the next parallel move.
    /// (Inline for one move or none, most parallel moves: a parameter, an
    /// argument or a result, with nothing to order.)
    #[inline(always)]
    pub(super) fn parallel_move(&mut self, moves: Vec<Move>) {
        if moves.len() > 1 {
            self.parallel_moves(moves);
            return;
        }
        if let Some(m) = moves.first().filter(|m| !same(&m.dst, &m.src)) {
            self.move_one(m);
        }
        *self.moves = moves;
    }

    /// [`Emitter::parallel_move`] of several moves.
    #[inline(never)]
    fn parallel_moves(&mut self, moves: Vec<Move>) {
        if let [a, b] = moves[..] {
            if is_register_move(&a) && is_register_move(&b) {
                self.two_register_moves(a, b);
                *self.moves = moves;
                return;
            }
        }
        // One pass: stores now, register moves to order, loads last (a
        // register to itself is no move at all).
        let mut pending = std::mem::take(self.pending_moves);
        pending.clear();
        let mut loads = false;
        for m in &moves {
            match (m.dst, m.src) {
                _ if same(&m.dst, &m.src) => {}
                (L::M(_), _) => self.move_one(m),
                (_, L::M(_)) => loads = true,
                _ => pending.push(*m),
            }
        }
        while !pending.is_empty() {
            let ready = pending
                .iter()
                .position(|m| !pending.iter().any(|o| same(&o.src, &m.dst)));
            match ready {
                Some(i) => {
                    let m = pending.swap_remove(i);
                    self.move_one(&m);
                }
                None => {
                    // Every destination is still read: a cycle. Park the
                    // first destination's value in scratch.
                    let parked = pending[0].dst;
                    let saved = self.park(parked);
                    for m in pending.iter_mut() {
                        if same(&m.src, &parked) {
                            m.src = saved;
                        }
                    }
                }
            }
        }
        if loads {
            for m in &moves {
                if matches!((m.dst, m.src), (L::R(_) | L::X(_), L::M(_))) {
                    self.move_one(m);
                }
            }
        }
        *self.pending_moves = pending;
        *self.moves = moves;
    }

    /// Two moves between registers, neither of a register to itself (the
    /// commonest parallel move of several: two arguments or parameters),
    /// in the order [`Emitter::parallel_moves`] gives them: the first
    /// unless the second reads its destination, and a swap through
    /// scratch if each reads the other's.
    fn two_register_moves(&mut self, a: Move, b: Move) {
        if !same(&b.src, &a.dst) {
            self.move_one(&a);
            self.move_one(&b);
        } else if !same(&a.src, &b.dst) {
            self.move_one(&b);
            self.move_one(&a);
        } else {
            let saved = self.park(a.dst);
            self.move_one(&a);
            self.move_one(&Move { src: saved, ..b });
        }
    }

    /// Copy register `r` to the scratch register of its class, which
    /// stands in for it as a source from then on.
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
