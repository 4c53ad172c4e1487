//! Splitting spilled values at loop boundaries.
//!
//! Linear scan gives a vreg one location for its whole life, so a value
//! that lost its register because its interval is long (a base address, a
//! bound, a counter of an outer loop) is read from the stack inside every
//! loop that uses it, even a loop where some register is never used. After
//! the scan, each such value used in a loop gets a register that nothing
//! else holds anywhere in the loop and no instruction of the loop clobbers:
//!
//! - on each edge entering the loop (from outside to its header) the value
//!   is loaded from its spill slot into the register;
//! - inside the loop the emitter reads and writes the register;
//! - every write inside the loop is also stored to the slot (write-through),
//!   so the slot is current wherever control leaves the loop and nothing
//!   is needed on exit edges.
//!
//! Wasm loops are single-entry layout ranges (a header and the blocks up to
//! the last branch back to it); loops where some outside block branches
//! into the middle (none come from wasm, but the IR allows it) are left
//! alone. Inner loops are served first: they run most often.

use super::liveness::{self, RangeTable};
use super::{Class, Loc, MachineEnv, PReg, RegSet};
use crate::ir::{BlockId, Func, VReg};

/// A value kept in `reg` while control is inside the loop headed by
/// `header`, whose instructions cover positions `span` (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopSplit {
    pub vreg: VReg,
    pub reg: PReg,
    pub header: BlockId,
    pub span: (u32, u32),
}

impl LoopSplit {
    /// Whether position `p` is inside the loop.
    pub fn covers(&self, p: u32) -> bool {
        self.span.0 <= p && p <= self.span.1
    }
}

/// A single-entry loop: its header, its span of positions, and the
/// terminators (instruction indices) of the blocks that enter it.
pub(super) struct Loop {
    pub header: BlockId,
    pub span: (u32, u32),
    pub entries: Vec<u32>,
}

/// The single-entry loops of `f`, innermost (shortest) first.
pub(super) fn loops(f: &Func) -> Vec<Loop> {
    let mut order = vec![u32::MAX; f.blocks.len()];
    for (i, b) in f.layout.iter().enumerate() {
        order[b.0 as usize] = i as u32;
    }
    // Header -> the end (exclusive instruction index) of its last latch.
    let mut ends: Vec<(BlockId, u32)> = Vec::new();
    for &b in &f.layout {
        for s in f.successors(b) {
            if order[s.0 as usize] <= order[b.0 as usize] {
                let end = f.blocks[b.0 as usize].insts.end;
                match ends.iter_mut().find(|(h, _)| *h == s) {
                    Some((_, e)) => *e = (*e).max(end),
                    None => ends.push((s, end)),
                }
            }
        }
    }
    let mut out: Vec<Loop> = ends
        .into_iter()
        .filter_map(|(header, end)| {
            // Control enters the function's first block from the prologue.
            if f.layout.first() == Some(&header) {
                return None;
            }
            let start = f.blocks[header.0 as usize].insts.start;
            let inside = |b: BlockId| {
                let r = &f.blocks[b.0 as usize].insts;
                start <= r.start && r.end <= end && !r.is_empty()
            };
            let mut entries = Vec::new();
            for &b in &f.layout {
                let r = &f.blocks[b.0 as usize].insts;
                if inside(b) || r.is_empty() {
                    continue;
                }
                for s in f.successors(b) {
                    if s == header {
                        entries.push(r.end - 1);
                    } else if inside(s) {
                        return None; // a side entry
                    }
                }
            }
            entries.sort_unstable();
            entries.dedup();
            Some(Loop {
                header,
                span: (2 * start, 2 * end - 1),
                entries,
            })
        })
        .collect();
    out.sort_by_key(|l| l.span.1 - l.span.0);
    out
}

/// Whether `r` can hold a value through loop `l`: no instruction of the
/// loop clobbers it, and no vreg allocated to it and no split already made
/// uses it at the loop's positions or at its entering terminators (which
/// load it): `mine`, sorted.
pub(super) fn reg_free_in(
    r: PReg,
    clobbered: RegSet,
    occupants: &[Vec<VReg>],
    ranges: &RangeTable,
    reserved: &[(PReg, (u32, u32))],
    mine: &[(u32, u32)],
) -> bool {
    clobbered & (1 << r.0) == 0
        && !occupants[r.0 as usize]
            .iter()
            .any(|v| liveness::intersects(&ranges[v.0 as usize], mine))
        && !reserved
            .iter()
            .any(|&(q, span)| q == r && liveness::intersects(&[span], mine))
}

impl Loop {
    /// The positions a split at this loop keeps its register: the loop's,
    /// and its entering terminators', sorted.
    fn reserved(&self) -> Vec<(u32, u32)> {
        let mut v: Vec<(u32, u32)> = self.entries.iter().map(|&t| (2 * t, 2 * t + 1)).collect();
        v.push(self.span);
        v.sort_unstable();
        v
    }
}

/// Loop splits for the spilled values of `f` (see the module docs), into
/// `out`, sorted by span start. `clobbers_in(a, b)` gives the registers
/// instructions at positions `a..=b` clobber.
pub(super) fn split_at_loops(
    f: &Func,
    env: &MachineEnv,
    locs: &[Loc],
    ranges: &RangeTable,
    clobbers_in: impl Fn(u32, u32) -> RegSet,
    out: &mut Vec<LoopSplit>,
) {
    out.clear();
    if !locs.iter().any(|l| matches!(l, Loc::Stack(_))) {
        return;
    }
    let mut occupants: Vec<Vec<VReg>> = vec![Vec::new(); 64];
    for (v, l) in locs.iter().enumerate() {
        if let Loc::Reg(r) = l {
            occupants[r.0 as usize].push(VReg(v as u32));
        }
    }
    let mut uses = vec![0u32; f.vregs.len()];
    let mut reserved: Vec<(PReg, (u32, u32))> = Vec::new();
    let mut candidates: Vec<VReg> = Vec::new();
    for l in loops(f) {
        let (first, last) = (l.span.0 / 2, l.span.1 / 2);
        candidates.clear();
        for inst in &f.insts[first as usize..=last as usize] {
            liveness::operands(f, inst).for_each_use(|v| {
                if matches!(locs[v.0 as usize], Loc::Stack(_)) {
                    let n = &mut uses[v.0 as usize];
                    if *n == 0 {
                        candidates.push(v);
                    }
                    *n += 1;
                }
            });
        }
        // The most used first; a value split in an inner loop stays on
        // the stack between the inner loops of this one.
        candidates.sort_by_key(|v| (std::cmp::Reverse(uses[v.0 as usize]), *v));
        let clobbered = clobbers_in(l.span.0, l.span.1);
        let mine = l.reserved();
        for &v in &candidates {
            let nested = out
                .iter()
                .any(|s| s.vreg == v && liveness::intersects(&[s.span], &[l.span]));
            if nested {
                continue;
            }
            let regs = match Class::of(f.ty(v)) {
                Class::Int => &env.int_regs,
                Class::Float => &env.float_regs,
            };
            let free = regs
                .iter()
                .copied()
                .find(|&r| reg_free_in(r, clobbered, &occupants, ranges, &reserved, &mine));
            if let Some(reg) = free {
                reserved.extend(mine.iter().map(|&span| (reg, span)));
                out.push(LoopSplit {
                    vreg: v,
                    reg,
                    header: l.header,
                    span: l.span,
                });
            }
        }
        for &v in &candidates {
            uses[v.0 as usize] = 0;
        }
    }
    out.sort_by_key(|s| (s.span.0, s.vreg));
}

/// Verify `splits` against a fresh liveness analysis (`ranges`): each is of
/// a spilled value, for a single-entry loop
/// with that header and span, in a register free throughout (see
/// [`reg_free_in`]) and not shared with an overlapping split.
pub(super) fn check(
    f: &Func,
    locs: &[Loc],
    ranges: &RangeTable,
    splits: &[LoopSplit],
    clobbers_in: impl Fn(u32, u32) -> RegSet,
) -> Result<(), String> {
    if splits.is_empty() {
        return Ok(());
    }
    let loops = loops(f);
    let mut occupants: Vec<Vec<VReg>> = vec![Vec::new(); 64];
    for (v, l) in locs.iter().enumerate() {
        if let Loc::Reg(r) = l {
            occupants[r.0 as usize].push(VReg(v as u32));
        }
    }
    for (i, s) in splits.iter().enumerate() {
        let v = s.vreg;
        if !matches!(locs[v.0 as usize], Loc::Stack(_)) {
            return Err(format!("{v} is split at a loop but not spilled"));
        }
        let Some(l) = loops
            .iter()
            .find(|l| l.header == s.header && l.span == s.span)
        else {
            return Err(format!(
                "{v} is split at {} which is no single-entry loop",
                s.header
            ));
        };
        let others: Vec<(PReg, (u32, u32))> = splits
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .filter_map(|(_, o)| {
                let l = loops.iter().find(|l| l.header == o.header)?;
                Some(l.reserved().into_iter().map(move |span| (o.reg, span)))
            })
            .flatten()
            .collect();
        let clobbered = clobbers_in(l.span.0, l.span.1);
        if !reg_free_in(s.reg, clobbered, &occupants, ranges, &others, &l.reserved()) {
            return Err(format!(
                "{v} is split into r{} which is busy in its loop",
                s.reg.0
            ));
        }
    }
    Ok(())
}
