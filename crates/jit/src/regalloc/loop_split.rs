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
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Loop {
    pub header: BlockId,
    pub span: (u32, u32),
    pub entries: Vec<u32>,
}

/// The single-entry loops of `f`, innermost (shortest) first.
///
/// Blocks are laid out in instruction order (an IR invariant), so a loop
/// is the layout range from its header to its last latch, and a block's
/// layout index says whether it is inside. The work is linear in the
/// edges, plus the edges into each loop's body for the side-entry check.
pub(super) fn loops(f: &Func) -> Vec<Loop> {
    let n = f.layout.len();
    let order = f.layout_index();
    // Per block (layout index): the last latch if it heads a loop, and
    // the lowest and highest block branching to it.
    let mut last_latch: Vec<Option<u32>> = vec![None; n];
    let mut from_range = vec![(u32::MAX, 0u32); n];
    for (i, &b) in f.layout.iter().enumerate() {
        let i = i as u32;
        for s in f.successors(b) {
            let t = order[s.0 as usize] as usize;
            if t as u32 <= i {
                last_latch[t] = Some(last_latch[t].map_or(i, |l| l.max(i)));
            }
            let r = &mut from_range[t];
            *r = (r.0.min(i), r.1.max(i));
        }
    }
    // Edges entering headers from before them, by header.
    let mut entering: Vec<(u32, u32)> = Vec::new();
    for (i, &b) in f.layout.iter().enumerate() {
        for s in f.successors(b) {
            let t = order[s.0 as usize];
            if (i as u32) < t && last_latch[t as usize].is_some() {
                entering.push((t, f.blocks[b.0 as usize].insts.end - 1));
            }
        }
    }
    entering.sort_unstable();
    entering.dedup();
    let mut out: Vec<Loop> = Vec::new();
    // Control enters the function's first block from the prologue: it
    // heads no loop this pass can split.
    for (h, latch) in last_latch.iter().enumerate().skip(1) {
        let Some(latch) = *latch else { continue };
        let body = h + 1..=latch as usize;
        let (lo, hi) = (h as u32, latch);
        if from_range[body]
            .iter()
            .any(|&(min, max)| min < lo || max > hi)
        {
            continue; // a side entry
        }
        let header = f.layout[h];
        let first = entering.partition_point(|&(t, _)| t < lo);
        let entries = entering[first..]
            .iter()
            .take_while(|&&(t, _)| t == lo)
            .map(|&(_, at)| at)
            .collect();
        out.push(Loop::new(f, header, f.layout[latch as usize], entries));
    }
    out.sort_by_key(|l| l.span.1 - l.span.0);
    out
}

/// The positions each register holds some vreg at: per register, the
/// live ranges of the vregs allocated to it, sorted and merged.
pub(super) struct Busy {
    /// `ranges[at[r]..at[r + 1]]` are register `r`'s.
    at: Vec<u32>,
    ranges: Vec<(u32, u32)>,
}

impl Busy {
    pub(super) fn new(locs: &[Loc], ranges: &RangeTable) -> Busy {
        // Bucketed by register (a counting sort), then sorted per register.
        let mut at = vec![0u32; 65];
        for (v, l) in locs.iter().enumerate() {
            if let Loc::Reg(r) = l {
                at[r.0 as usize + 1] += ranges[v].len() as u32;
            }
        }
        for r in 0..64 {
            at[r + 1] += at[r];
        }
        let mut fill = at.clone();
        let mut bucketed = vec![(0u32, 0u32); at[64] as usize];
        for (v, l) in locs.iter().enumerate() {
            if let Loc::Reg(r) = l {
                for &range in &ranges[v] {
                    bucketed[fill[r.0 as usize] as usize] = range;
                    fill[r.0 as usize] += 1;
                }
            }
        }
        // Merged where they touch, so the ends are sorted as well.
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(bucketed.len());
        for r in 0..64 {
            let mine = &mut bucketed[at[r] as usize..at[r + 1] as usize];
            mine.sort_unstable();
            let first = merged.len();
            for &(s, e) in mine.iter() {
                match merged[first..].last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            at[r] = first as u32;
        }
        at[64] = merged.len() as u32;
        Busy { at, ranges: merged }
    }

    /// Whether register `r` holds a vreg at some position of `spans`.
    fn overlaps(&self, r: PReg, spans: &[(u32, u32)]) -> bool {
        let mine = &self.ranges[self.at[r.0 as usize] as usize..self.at[r.0 as usize + 1] as usize];
        spans.iter().any(|&(a, b)| {
            // The first range ending at or after `a` (ends are sorted too).
            let i = mine.partition_point(|&(_, e)| e < a);
            mine.get(i).is_some_and(|&(s, _)| s <= b)
        })
    }
}

/// Whether `r` can hold a value through loop `l`: no instruction of the
/// loop clobbers it, and no vreg allocated to it and no split already made
/// uses it at the loop's positions or at its entering terminators (which
/// load it): `mine`, sorted.
pub(super) fn reg_free_in(
    r: PReg,
    clobbered: RegSet,
    busy: &Busy,
    reserved: &[(PReg, (u32, u32))],
    mine: &[(u32, u32)],
) -> bool {
    clobbered & (1 << r.0) == 0
        && !busy.overlaps(r, mine)
        && !reserved
            .iter()
            .any(|&(q, span)| q == r && liveness::intersects(&[span], mine))
}

impl Loop {
    /// The loop from `header` to the end of block `latch`.
    fn new(f: &Func, header: BlockId, latch: BlockId, entries: Vec<u32>) -> Loop {
        let start = f.blocks[header.0 as usize].insts.start;
        let end = f.blocks[latch.0 as usize].insts.end;
        Loop {
            header,
            span: (2 * start, 2 * end - 1),
            entries,
        }
    }

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
    let loops = loops(f);
    if loops.is_empty() {
        return;
    }
    // The uses of spilled values in loops, by instruction: one pass over
    // the loops' instructions, after which each loop's are a slice.
    let mut spans: Vec<(u32, u32)> = loops.iter().map(|l| (l.span.0 / 2, l.span.1 / 2)).collect();
    spans.sort_unstable();
    let mut spilled_uses: Vec<(u32, VReg)> = Vec::new();
    let mut next = 0;
    for (first, last) in spans {
        for at in first.max(next)..=last {
            liveness::operands(f, &f.insts[at as usize]).for_each_use(|v| {
                if matches!(locs[v.0 as usize], Loc::Stack(_)) {
                    spilled_uses.push((at, v));
                }
            });
        }
        next = next.max(last + 1);
    }
    if spilled_uses.is_empty() {
        return;
    }
    let busy = Busy::new(locs, ranges);
    let mut uses = vec![0u32; f.vregs.len()];
    let mut reserved: Vec<(PReg, (u32, u32))> = Vec::new();
    let mut candidates: Vec<VReg> = Vec::new();
    for l in loops {
        let (first, last) = (l.span.0 / 2, l.span.1 / 2);
        let from = spilled_uses.partition_point(|&(at, _)| at < first);
        let to = spilled_uses.partition_point(|&(at, _)| at <= last);
        candidates.clear();
        for &(_, v) in &spilled_uses[from..to] {
            let n = &mut uses[v.0 as usize];
            if *n == 0 {
                candidates.push(v);
            }
            *n += 1;
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
                .find(|&r| reg_free_in(r, clobbered, &busy, &reserved, &mine));
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
/// a spilled value, for a single-entry loop with that header and span, in
/// a register free throughout (see [`reg_free_in`]) and not shared with an
/// overlapping split.
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
    let busy = Busy::new(locs, ranges);
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
        if !reg_free_in(s.reg, clobbered, &busy, &others, &l.reserved()) {
            return Err(format!(
                "{v} is split into r{} which is busy in its loop",
                s.reg.0
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loops of `f` straight from the definition, block by block.
    fn loops_by_definition(f: &Func) -> Vec<Loop> {
        let at = |b: BlockId| f.layout.iter().position(|&x| x == b).unwrap();
        let mut out = Vec::new();
        for (h, &header) in f.layout.iter().enumerate().skip(1) {
            let latches = f
                .layout
                .iter()
                .enumerate()
                .filter(|&(i, &b)| i >= h && f.successors(b).any(|s| s == header));
            let Some(latch) = latches.map(|(i, _)| i).max() else {
                continue;
            };
            let inside = |b: BlockId| (h..=latch).contains(&at(b));
            let outside: Vec<BlockId> = f.layout.iter().copied().filter(|&b| !inside(b)).collect();
            if outside
                .iter()
                .any(|&b| f.successors(b).any(|s| s != header && inside(s)))
            {
                continue;
            }
            let entries = outside
                .iter()
                .filter(|&&b| f.successors(b).any(|s| s == header))
                .map(|&b| f.blocks[b.0 as usize].insts.end - 1)
                .collect();
            out.push(Loop::new(f, header, f.layout[latch], entries));
        }
        out.sort_by_key(|l| l.span.1 - l.span.0);
        out
    }

    /// A register is busy where any vreg allocated to it is live, holes
    /// and touching ranges included, and nowhere else.
    #[test]
    fn busy_registers_are_the_union_of_their_vregs_ranges() {
        let ranges = RangeTable::from_lists(&[
            &[(0, 3), (20, 25)],
            &[(5, 9), (10, 12)],
            &[(4, 30)],
            &[(0, 100)],
        ]);
        let (r0, r1) = (PReg(0), PReg(1));
        let locs = [Loc::Reg(r0), Loc::Reg(r0), Loc::Reg(r1), Loc::Stack(0)];
        let busy = Busy::new(&locs, &ranges);
        for (spans, expected) in [
            (&[(4, 4)][..], false),
            (&[(4, 5)], true),
            (&[(13, 19)], false),
            (&[(13, 19), (26, 40)], false),
            (&[(13, 19), (25, 40)], true),
            (&[(9, 10)], true),
            (&[(26, 99)], false),
        ] {
            assert_eq!(busy.overlaps(r0, spans), expected, "{spans:?}");
        }
        assert!(busy.overlaps(r1, &[(30, 31)]));
        assert!(!busy.overlaps(r1, &[(0, 3), (31, 50)]));
        assert!(!busy.overlaps(PReg(2), &[(0, 100)]));
    }

    /// The fast search finds exactly the loops the definition gives, in
    /// every benchmark function (multi-level breaks, `br_table`s into
    /// loops and loops entered from several blocks included).
    #[test]
    fn loops_match_their_definition() {
        let mut found = 0;
        for (path, info) in crate::test_util::benchmark_modules(true) {
            for def in 0..info.num_defined_funcs() {
                let Ok(f) = crate::translate::translate(&info, def) else {
                    continue;
                };
                let expected = loops_by_definition(&f);
                assert_eq!(loops(&f), expected, "{}: {def}", path.display());
                found += expected.len();
            }
        }
        assert!(found > 500, "only {found} loops");
    }
}
