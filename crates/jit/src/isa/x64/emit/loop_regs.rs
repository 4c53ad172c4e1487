//! Spilled values kept in registers inside loops (see
//! [`crate::regalloc::loop_split`]): where a value lives changes with the
//! block being emitted, each edge entering its loop loads it, and each
//! write to it inside the loop is stored through to its slot.

use super::{reg_loc, Emitter, L};
use crate::ir::{BlockId, Inst};
use crate::regalloc::{liveness, Loc, LoopSplit};

/// Where the emitter stands among the loop splits: blocks are emitted in
/// layout (that is, position) order, so the split locations only change
/// where a split loop starts or ends.
#[derive(Clone, Copy, Debug)]
pub(super) struct SplitCursor {
    /// The block position the locations were last computed for.
    at: u32,
    /// The first split (by span start) not yet entered.
    next: usize,
    /// The last position at which every split covering `at` still covers;
    /// `u32::MAX` when none covers it.
    until: u32,
}

impl Default for SplitCursor {
    fn default() -> Self {
        SplitCursor {
            at: u32::MAX,
            next: 0,
            until: u32::MAX,
        }
    }
}

impl SplitCursor {
    /// Whether the block being emitted is in a loop with split values.
    fn in_split_loop(&self) -> bool {
        self.until != u32::MAX
    }
}

impl Emitter<'_> {
    /// Point the split values at their loop registers if block `b` is
    /// inside their loop, else at their spill slots.
    pub(super) fn enter_block(&mut self, b: BlockId) {
        let splits = &self.alloc.loop_splits;
        if splits.is_empty() {
            return;
        }
        let p = 2 * self.f.blocks[b.0 as usize].insts.start;
        let c = self.split_cursor;
        let entering = splits.get(c.next).is_some_and(|s| s.span.0 <= p);
        if c.at <= p && p <= c.until && !entering {
            self.split_cursor.at = p;
            return;
        }
        for s in splits {
            if let Loc::Stack(k) = self.alloc.loc(s.vreg) {
                self.locs[s.vreg.0 as usize] = L::M(self.slot(k));
            }
        }
        let mut until = u32::MAX;
        for s in splits {
            if s.covers(p) {
                self.locs[s.vreg.0 as usize] = reg_loc(s.reg);
                until = until.min(s.span.1);
            }
        }
        self.split_cursor = SplitCursor {
            at: p,
            next: splits.partition_point(|s| s.span.0 <= p),
            until,
        };
    }

    /// Before the terminator of block `b`: load the values split at the
    /// loops it enters (their header is a successor; `b` is outside).
    pub(super) fn load_entering(&mut self, b: BlockId) {
        let (f, alloc) = (self.f, self.alloc);
        let splits = &alloc.loop_splits;
        if splits.is_empty() {
            return;
        }
        let p = 2 * f.blocks[b.0 as usize].insts.start;
        for (i, h) in f.successors(b).enumerate() {
            // A loop's splits are the ones starting at its header.
            let first =
                splits.partition_point(|s| s.span.0 < 2 * f.blocks[h.0 as usize].insts.start);
            let heads = matches!(splits.get(first), Some(s) if s.header == h);
            if !heads || f.successors(b).take(i).any(|x| x == h) {
                continue;
            }
            for s in splits[first..].iter().take_while(|s| s.header == h) {
                // From inside the loop, this edge is a back edge.
                if !s.covers(p) {
                    self.load_split(s);
                }
            }
        }
    }

    /// Load split value `s` from its spill slot into its loop register.
    pub(super) fn load_split(&mut self, s: &LoopSplit) {
        if let Loc::Stack(k) = self.alloc.loc(s.vreg) {
            self.move_one(&super::moves::Move {
                dst: reg_loc(s.reg),
                src: L::M(self.slot(k)),
                ty: self.f.ty(s.vreg),
            });
        }
    }

    /// After `inst` inside a loop with split values: store the ones it
    /// wrote to their slots, which stay current for the code after the loop.
    pub(super) fn write_through(&mut self, inst: &Inst) {
        if !self.split_cursor.in_split_loop() {
            return;
        }
        let (f, alloc) = (self.f, self.alloc);
        liveness::operands(f, inst).for_each_def(|v| {
            let src = self.locs[v.0 as usize];
            if let (L::R(_) | L::X(_), Loc::Stack(k)) = (src, alloc.loc(v)) {
                let dst = L::M(self.slot(k));
                self.move_one(&super::moves::Move {
                    dst,
                    src,
                    ty: f.ty(v),
                });
            }
        });
    }
}
