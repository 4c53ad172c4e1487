//! Parallel moves: several values change places at once (parameters into
//! their allocated homes, arguments into the calling convention's
//! registers), where a destination may be another move's source. This
//! orders them for any ISA; the back end performs each step.
//!
//! Moves into memory go first: they only read, and no memory destination
//! is another move's source (frames, outgoing areas and spill slots are
//! disjoint). Register-to-register moves follow, each performed once no
//! pending move still reads its destination; a cycle is broken by *parking*
//! one destination's value in the class's scratch register and reading it
//! from there. Loads from memory come last, when no register source is
//! left to overwrite.

use crate::ir::Ty;

/// A value's location as a back end names it: a register or memory.
pub(crate) trait Location: Copy {
    /// Whether this is memory (a spill slot, a stack argument).
    fn is_memory(&self) -> bool;
    /// Whether `self` and `other` are the same register.
    fn same_register(&self, other: &Self) -> bool;
}

/// One move of a parallel set: the bits of a `ty` value from `src` to
/// `dst`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Move<L> {
    pub dst: L,
    pub src: L,
    pub ty: Ty,
}

/// What the back end does for each step of a parallel move.
pub(crate) trait MoveSink<L: Location> {
    /// Perform one move.
    fn move_one(&mut self, m: &Move<L>);
    /// Copy register `r` to the scratch register of its class and return
    /// that register, which stands in for `r` as a source from then on.
    fn park(&mut self, r: L) -> L;
}

/// Whether `m` moves one register to another.
fn is_register_move<L: Location>(m: &Move<L>) -> bool {
    !m.dst.is_memory() && !m.src.is_memory() && !m.dst.same_register(&m.src)
}

/// Perform `moves` as if all at once through `sink` (see the module
/// docs); `pending` is scratch.
pub(crate) fn parallel_moves<L: Location>(
    moves: &[Move<L>],
    pending: &mut Vec<Move<L>>,
    sink: &mut impl MoveSink<L>,
) {
    if let [a, b] = *moves {
        if is_register_move(&a) && is_register_move(&b) {
            two_register_moves(a, b, sink);
            return;
        }
    }
    // One pass: stores now, register moves to order, loads last (a
    // register to itself is no move at all).
    pending.clear();
    let mut loads = false;
    for m in moves {
        if m.dst.same_register(&m.src) {
            continue;
        }
        if m.dst.is_memory() {
            sink.move_one(m);
        } else if m.src.is_memory() {
            loads = true;
        } else {
            pending.push(*m);
        }
    }
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|m| !pending.iter().any(|o| o.src.same_register(&m.dst)));
        match ready {
            Some(i) => {
                let m = pending.swap_remove(i);
                sink.move_one(&m);
            }
            None => {
                // Every destination is still read: a cycle. Park the first
                // destination's value in scratch.
                let parked = pending[0].dst;
                let saved = sink.park(parked);
                for m in pending.iter_mut() {
                    if m.src.same_register(&parked) {
                        m.src = saved;
                    }
                }
            }
        }
    }
    if loads {
        for m in moves {
            if !m.dst.is_memory() && m.src.is_memory() {
                sink.move_one(m);
            }
        }
    }
}

/// Two moves between registers, neither of a register to itself (the
/// commonest parallel move of several: two arguments or parameters), in
/// the order [`parallel_moves`] gives them: the first unless the second
/// reads its destination, and a swap through scratch if each reads the
/// other's.
fn two_register_moves<L: Location>(a: Move<L>, b: Move<L>, sink: &mut impl MoveSink<L>) {
    if !b.src.same_register(&a.dst) {
        sink.move_one(&a);
        sink.move_one(&b);
    } else if !a.src.same_register(&b.dst) {
        sink.move_one(&b);
        sink.move_one(&a);
    } else {
        let saved = sink.park(a.dst);
        sink.move_one(&a);
        sink.move_one(&Move { src: saved, ..b });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Registers 0.. and memory cells, for checking the order by
    /// simulation: scratch is register 99.
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Loc {
        R(u8),
        M(u8),
    }

    impl Location for Loc {
        fn is_memory(&self) -> bool {
            matches!(self, Loc::M(_))
        }
        fn same_register(&self, other: &Self) -> bool {
            matches!((self, other), (Loc::R(a), Loc::R(b)) if a == b)
        }
    }

    struct Machine {
        regs: [u32; 100],
        mem: [u32; 8],
    }

    impl Machine {
        fn get(&self, l: Loc) -> u32 {
            match l {
                Loc::R(r) => self.regs[r as usize],
                Loc::M(m) => self.mem[m as usize],
            }
        }
        fn set(&mut self, l: Loc, v: u32) {
            match l {
                Loc::R(r) => self.regs[r as usize] = v,
                Loc::M(m) => self.mem[m as usize] = v,
            }
        }
    }

    impl MoveSink<Loc> for Machine {
        fn move_one(&mut self, m: &Move<Loc>) {
            let v = self.get(m.src);
            self.set(m.dst, v);
        }
        fn park(&mut self, r: Loc) -> Loc {
            self.regs[99] = self.get(r);
            Loc::R(99)
        }
    }

    /// Every destination ends up with its source's value from before.
    fn check(moves: &[(Loc, Loc)]) {
        let mut m = Machine {
            regs: [0; 100],
            mem: [0; 8],
        };
        for r in 0..8 {
            m.regs[r] = 100 + r as u32;
            m.mem[r] = 200 + r as u32;
        }
        let before = (m.regs, m.mem);
        let moves: Vec<_> = moves
            .iter()
            .map(|&(dst, src)| Move {
                dst,
                src,
                ty: Ty::I64,
            })
            .collect();
        parallel_moves(&moves, &mut Vec::new(), &mut m);
        let old = |l: Loc| match l {
            Loc::R(r) => before.0[r as usize],
            Loc::M(x) => before.1[x as usize],
        };
        for mv in &moves {
            assert_eq!(m.get(mv.dst), old(mv.src), "{moves:?}");
        }
    }

    #[test]
    fn cycles_chains_stores_and_loads_all_see_the_old_values() {
        use Loc::{M, R};
        check(&[(R(0), R(1)), (R(1), R(0))]);
        check(&[(R(0), R(1)), (R(1), R(2)), (R(2), R(0))]);
        check(&[(R(1), R(0)), (R(2), R(1)), (R(3), R(2))]);
        check(&[(M(0), R(0)), (R(0), M(1)), (R(1), R(0))]);
        check(&[(R(0), R(0)), (R(1), R(2)), (R(2), R(1)), (M(3), R(1))]);
        check(&[(R(4), R(5)), (R(5), R(4)), (R(6), R(7)), (R(7), R(6))]);
    }
}
