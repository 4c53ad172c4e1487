//! Spilled values kept in registers inside loops (see
//! [`crate::regalloc::loop_split`]): where a value lives changes with the
//! block being emitted, each edge entering its loop loads it, and each
//! write to it inside the loop is stored through to its slot.

use super::{reg_loc, Emitter, L};
use crate::ir::{BlockId, Inst};
use crate::regalloc::{liveness, Loc};

impl Emitter<'_> {
    /// Point the split values at their loop registers if block `b` is
    /// inside their loop, else at their spill slots.
    pub(super) fn enter_block(&mut self, b: BlockId) {
        let splits = &self.alloc.loop_splits;
        if splits.is_empty() {
            return;
        }
        let p = 2 * self.f.blocks[b.0 as usize].insts.start;
        for s in splits {
            if let Loc::Stack(k) = self.alloc.loc(s.vreg) {
                self.locs[s.vreg.0 as usize] = L::M(self.slot(k));
            }
        }
        self.in_split_loop = false;
        for s in splits {
            if s.covers(p) {
                self.locs[s.vreg.0 as usize] = reg_loc(s.reg);
                self.in_split_loop = true;
            }
        }
    }

    /// Before the terminator of block `b`: load the values split at the
    /// loops it enters (their header is a successor; `b` is outside).
    pub(super) fn load_entering(&mut self, b: BlockId) {
        let (f, alloc) = (self.f, self.alloc);
        if alloc.loop_splits.is_empty() {
            return;
        }
        let p = 2 * f.blocks[b.0 as usize].insts.start;
        for s in &alloc.loop_splits {
            if !s.covers(p) && f.successors(b).any(|h| h == s.header) {
                let Loc::Stack(k) = alloc.loc(s.vreg) else {
                    continue;
                };
                let (dst, src) = (reg_loc(s.reg), L::M(self.slot(k)));
                self.move_one(&super::moves::Move {
                    dst,
                    src,
                    ty: f.ty(s.vreg),
                });
            }
        }
    }

    /// After `inst` inside a loop with split values: store the ones it
    /// wrote to their slots, which stay current for the code after the loop.
    pub(super) fn write_through(&mut self, inst: &Inst) {
        if !self.in_split_loop {
            return;
        }
        let (f, alloc) = (self.f, self.alloc);
        // At most one result, but for calls.
        let mut stores = Vec::new();
        liveness::operands(f, inst).for_each_def(|v| {
            if let (L::R(_) | L::X(_), Loc::Stack(k)) = (self.locs[v.0 as usize], alloc.loc(v)) {
                stores.push((v, k));
            }
        });
        for (v, k) in stores {
            let (dst, src) = (L::M(self.slot(k)), self.locs[v.0 as usize]);
            self.move_one(&super::moves::Move {
                dst,
                src,
                ty: f.ty(v),
            });
        }
    }
}
