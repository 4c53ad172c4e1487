//! Register allocation: liveness -> live intervals -> linear scan.
//!
//! The allocator reads the IR and returns a location for every virtual
//! register; it never rewrites the IR (the emitter applies the result).
//!
//! Linear scan (after Poletto & Sarkar, with Wimmer's lifetime holes) walks
//! intervals by start position. Each vreg's live ranges come from liveness
//! with their holes, so wasm locals that are dead between uses share
//! registers. When no register of the right class is free, spill weights
//! (uses weighted by loop depth) decide who goes to the stack: the new
//! interval or the occupants of the cheapest register. Moves hint their two
//! sides into one register, and the ISA hints values into the registers its
//! conventions put them in (see [`MachineEnv::abi_hints`]).
//!
//! Machine constraints come in as *clobbers*: registers an instruction
//! destroys (a call: the caller-saved set; a division: rax/rdx). A vreg
//! live across a clobbering instruction can only use registers it does not
//! clobber, so values live across calls land in callee-saved registers or on
//! the stack; this is where a later interval-splitting pass will pay off.
//!
//! [`check`] verifies an allocation independently, from a fresh liveness
//! analysis: no two vregs live at the same position share a register, and
//! no vreg keeps a register across an instruction that clobbers it.

pub mod edits;
pub mod liveness;
pub mod loop_split;
mod sparse_live;
pub mod symbolic;

use crate::error::JitError;
use crate::ir::{Func, Inst, Ty, VReg};
pub use edits::{Edit, Place, When};
use liveness::{analyze, Interval};
pub use loop_split::LoopSplit;

/// Register classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Int,
    Float,
}

impl Class {
    pub fn of(ty: Ty) -> Class {
        if ty.is_float() {
            Class::Float
        } else {
            Class::Int
        }
    }
}

/// A physical register, numbered by the ISA (at most 64).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PReg(pub u8);

/// A set of physical registers.
pub type RegSet = u64;

/// Where a virtual register lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loc {
    Reg(PReg),
    /// Spill slot index (8 bytes each).
    Stack(u32),
    /// Never live (defined but unused, or unreachable).
    None,
}

/// What the allocator may use, per ISA.
#[derive(Clone, Debug)]
pub struct MachineEnv {
    /// Allocatable registers per class, in order of preference.
    pub int_regs: Vec<PReg>,
    pub float_regs: Vec<PReg>,
    /// Classes whose values may be split around calls: those with no
    /// register a call leaves alone (x86-64 floats). Where callee-saved
    /// registers exist, splitting measured slower on loops with calls.
    pub split_around_calls: Vec<Class>,
    /// Reports the registers the calling convention and the instructions
    /// put values in (parameters, call arguments and results, returned
    /// values, operands with a fixed register), as `(vreg, register)`:
    /// a vreg allocated there needs no move into or out of place.
    pub abi_hints: fn(&Func, &mut dyn FnMut(VReg, PReg)),
}

impl MachineEnv {
    fn split_class(&self, class: Class) -> bool {
        self.split_around_calls.contains(&class)
    }
}

/// The allocator's result.
#[derive(Clone, Debug, Default)]
pub struct Allocation {
    /// Indexed by vreg.
    pub locs: Vec<Loc>,
    pub spill_slots: u32,
    pub intervals: Vec<Interval>,
    /// Live ranges per vreg (see [`liveness::RangeTable`]).
    pub ranges: liveness::RangeTable,
    /// Dead instructions, which the emitter skips (see [`liveness::Liveness::dead`]).
    pub dead: Vec<bool>,
    /// Spilled values kept in a register inside loops that use them (see
    /// [`loop_split`]), sorted by the start of their loop: inside its
    /// loop, such a value lives in its loop register.
    pub loop_splits: Vec<LoopSplit>,
    /// The moves the allocation needs besides the instructions' own,
    /// sorted by instruction (see [`edits`]).
    pub edits: Vec<Edit>,
}

impl Allocation {
    pub fn loc(&self, v: VReg) -> Loc {
        self.locs[v.0 as usize]
    }

    /// Whether `v` (a parameter) is read before it is written: live at
    /// the function's entry, so the entry must put its value in place.
    pub fn live_at_entry(&self, v: VReg) -> bool {
        self.ranges[v.0 as usize]
            .first()
            .is_some_and(|&(start, _)| start == 0)
    }

    /// The edits from instruction `inst` on.
    pub fn edits_at_or_after(&self, inst: u32) -> &[Edit] {
        &self.edits[self.edits.partition_point(|e| e.inst < inst)..]
    }

    /// The edits at instruction `inst`, those before it first.
    pub fn edits_at(&self, inst: u32) -> &[Edit] {
        let from = self.edits.partition_point(|e| e.inst < inst);
        let to = self.edits.partition_point(|e| e.inst <= inst);
        &self.edits[from..to]
    }
}

/// Positions (`2i + 1`: between reading and writing) of instructions that
/// clobber registers, with the sets they clobber: the calls, the other
/// instructions, and the landing pads (every register: see
/// [`crate::ir::HandlerScope`]). A pad reloads the values its loop keeps
/// in registers (see [`loop_split`]), so loop splitting ignores pads.
#[derive(Debug, Default)]
struct ClobberPoints {
    calls: Vec<(u32, RegSet)>,
    others: Vec<(u32, RegSet)>,
    landings: Vec<(u32, RegSet)>,
}

impl ClobberPoints {
    fn of(f: &Func, clobbers: &impl Fn(&Inst) -> RegSet) -> ClobberPoints {
        let mut points = ClobberPoints::default();
        scan_instructions(f, clobbers, &mut points, &mut Vec::new());
        points
    }
}

/// One pass over the instructions: the clobber points into `points`, and
/// for `dst = src` moves each side's partner into `move_hints` (a vreg
/// number, or `NONE`): sharing a register makes the move free.
fn scan_instructions(
    f: &Func,
    clobbers: &impl Fn(&Inst) -> RegSet,
    points: &mut ClobberPoints,
    move_hints: &mut Vec<u32>,
) {
    points.calls.clear();
    points.others.clear();
    points.landings.clear();
    move_hints.clear();
    move_hints.resize(f.vregs.len(), NONE);
    for (i, inst) in f.insts.iter().enumerate() {
        if let Inst::Move { dst, src, .. } = *inst {
            for (a, b) in [(dst, src), (src, dst)] {
                let h = &mut move_hints[a.0 as usize];
                if *h == NONE {
                    *h = b.0;
                }
            }
        }
        if let Inst::Landing { .. } = inst {
            points.landings.push((i as u32 * 2 + 1, RegSet::MAX));
            continue;
        }
        let set = clobbers(inst);
        if set != 0 {
            let to = if inst.is_call() {
                &mut points.calls
            } else {
                &mut points.others
            };
            to.push((i as u32 * 2 + 1, set));
        }
    }
}

/// The registers clobbered at positions `a..=b`, by calls or others.
fn clobbered_between(calls: &[(u32, RegSet)], others: &[(u32, RegSet)], a: u32, b: u32) -> RegSet {
    [calls, others].iter().fold(0, |m, points| {
        let from = points.partition_point(|&(p, _)| p < a);
        points[from..]
            .iter()
            .take_while(|&&(p, _)| p <= b)
            .fold(m, |m, &(_, set)| m | set)
    })
}

/// The points strictly inside one of `ranges` (a value defined by the
/// clobbering instruction itself, or last used by it, is not affected).
fn points_within<'a>(
    points: &'a [(u32, RegSet)],
    ranges: &'a [(u32, u32)],
) -> impl Iterator<Item = (u32, RegSet)> + 'a {
    ranges.iter().flat_map(move |&(start, end)| {
        let from = points.partition_point(|&(p, _)| p <= start);
        points[from..]
            .iter()
            .take_while(move |&&(p, _)| p < end)
            .copied()
    })
}

/// Cost of splitting a value around the calls it lives across: a store
/// and a load per call, each weighted like a use (8^loop depth).
fn call_crossing_weight(calls: &[(u32, RegSet)], depths: &[u32], ranges: &[(u32, u32)]) -> u64 {
    points_within(calls, ranges)
        .map(|(p, _)| 2u64 << (3 * depths[(p / 2) as usize].min(6)))
        .sum()
}

/// The registers clobbered strictly inside one of `ranges`.
fn clobbered_within(points: &[(u32, RegSet)], ranges: &[(u32, u32)]) -> RegSet {
    points_within(points, ranges).fold(0, |acc, (_, s)| acc | s)
}

/// Take interval `o` out of register `ri`'s occupant list (`prev` is the
/// occupant before it, or `NONE`).
fn unlink(
    ri: usize,
    prev: u32,
    o: u32,
    head: &mut [u32; 64],
    tail: &mut [u32; 64],
    next: &mut [u32],
) {
    let after = next[o as usize];
    if prev == NONE {
        head[ri] = after;
    } else {
        next[prev as usize] = after;
    }
    if tail[ri] == o {
        tail[ri] = prev;
    }
}

/// Whether register `r` is free for interval `iv`: none of the intervals
/// assigned to it (the list from `head`, linked through `next`) intersects
/// it. Occupants that ended before `iv` starts are dropped on the way
/// (all at once if `iv` starts after `busy`, the latest end among them).
/// Intervals come in order of start, so an occupant whose first range
/// reaches `iv`'s start (before `blocked`) is in the way without a look
/// at the ranges.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn free_for(
    r: PReg,
    iv: &Interval,
    intervals: &[Interval],
    ranges: &liveness::RangeTable,
    head: &mut [u32; 64],
    tail: &mut [u32; 64],
    (busy, blocked): (&[u32; 64], &[u32; 64]),
    next: &mut [u32],
) -> bool {
    let ri = r.0 as usize;
    if busy[ri] < iv.start {
        head[ri] = NONE;
        tail[ri] = NONE;
        return true;
    }
    if iv.start < blocked[ri] {
        return false;
    }
    let v = iv.vreg.0 as usize;
    let (mut prev, mut o) = (NONE, head[ri]);
    while o != NONE {
        let occ = &intervals[o as usize];
        let after = next[o as usize];
        if occ.end < iv.start {
            unlink(ri, prev, o, head, tail, next);
        } else if liveness::intersects(&ranges[occ.vreg.0 as usize], &ranges[v]) {
            return false;
        } else {
            prev = o;
        }
        o = after;
    }
    true
}

/// Loop nesting depth of every instruction. Wasm control flow is
/// structured, so a loop is the layout range from a branch target to the
/// last block that branches back to it.
fn loop_depths(f: &Func) -> Vec<u32> {
    let order = f.layout_index();
    let mut delta = vec![0i32; f.insts.len() + 1];
    for &b in &f.layout {
        for s in f.successors(b) {
            if order[s.0 as usize] <= order[b.0 as usize] {
                delta[f.blocks[s.0 as usize].insts.start as usize] += 1;
                delta[f.blocks[b.0 as usize].insts.end as usize] -= 1;
            }
        }
    }
    let mut depth = 0i32;
    delta[..f.insts.len()]
        .iter()
        .map(|d| {
            depth += d;
            depth.max(0) as u32
        })
        .collect()
}

/// Spill cost of every vreg: its uses and definitions, each weighted by
/// 8^(loop depth), so values of inner loops keep their registers.
fn spill_weights(f: &Func, depths: &[u32]) -> Vec<u64> {
    let mut weights = vec![0u64; f.vregs.len()];
    for (i, inst) in f.insts.iter().enumerate() {
        let ops = liveness::operands(f, inst);
        let w = 1u64 << (3 * depths[i].min(6));
        ops.for_each_use(|v| weights[v.0 as usize] += w);
        ops.for_each_def(|v| weights[v.0 as usize] += w);
    }
    weights
}

/// What spilling each vreg costs per position it keeps a register busy:
/// its spill weight over the length of its live ranges. Evicting a long
/// loop-carried value with few uses frees a register for many short
/// temporaries; spilling a temporary frees almost nothing (its uses need
/// a scratch register anyway) and adds a store and a load.
fn spill_densities(weights: &[u64], ranges: &liveness::RangeTable) -> Vec<u64> {
    weights
        .iter()
        .enumerate()
        .map(|(v, &w)| {
            let span: u64 = ranges[v].iter().map(|&(s, e)| u64::from(e - s) + 1).sum();
            ((w << 16) / (span + 1)).max(1)
        })
        .collect()
}

/// The register the ISA hints each vreg into (a register number, or
/// `NO_REG`); the first hint of a vreg wins.
fn fixed_hints(f: &Func, env: &MachineEnv, hints: &mut Vec<u8>) {
    hints.clear();
    hints.resize(f.vregs.len(), NO_REG);
    (env.abi_hints)(f, &mut |v, r| {
        let h = &mut hints[v.0 as usize];
        if *h == NO_REG {
            *h = r.0;
        }
    });
}

/// No fixed hint.
const NO_REG: u8 = u8::MAX;

/// No vreg, interval or position.
const NONE: u32 = u32::MAX;

/// Sort `intervals` (in vreg order, with positions below `positions`) by
/// (start, end, vreg). Nearly sorted ones by insertion; the others by two
/// stable counting sorts, by end and then by start, in O(intervals +
/// positions): a comparison sort of a big function's intervals was a tenth
/// of its allocation time.
fn sort_intervals(
    intervals: &mut [Interval],
    positions: usize,
    counts: &mut Vec<u32>,
    by_end: &mut Vec<Interval>,
) {
    // Stable: equal keys keep their order.
    fn counting_sort(
        from: &[Interval],
        to: &mut [Interval],
        key: impl Fn(&Interval) -> u32,
        counts: &mut Vec<u32>,
        positions: usize,
    ) {
        counts.clear();
        counts.resize(positions + 1, 0);
        for iv in from {
            counts[key(iv) as usize] += 1;
        }
        let mut at = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = at;
            at += n;
        }
        for iv in from {
            let c = &mut counts[key(iv) as usize];
            to[*c as usize] = *iv;
            *c += 1;
        }
    }
    // Vreg order is mostly definition order, so few intervals are out of
    // place: an insertion sort, given a budget of moves, usually finishes
    // in one pass (cheaper than clearing the counts). It never moves an
    // interval past an equal one, so when the budget runs out, the
    // counting sorts still see ties in vreg order.
    if insertion_sort(intervals, 4 * intervals.len().max(32)) {
        return;
    }
    by_end.clear();
    by_end.extend_from_slice(intervals);
    counting_sort(intervals, by_end, |iv| iv.end, counts, positions);
    counting_sort(by_end, intervals, |iv| iv.start, counts, positions);
}

/// Sort `intervals` by (start, end), stably, moving intervals at most
/// `budget` times; false if the budget ran out (then they are partly
/// sorted, equal keys still in their first order).
fn insertion_sort(intervals: &mut [Interval], mut budget: usize) -> bool {
    let key = |iv: &Interval| (u64::from(iv.start) << 32) | u64::from(iv.end);
    // The greatest key so far: an interval not below it stays put.
    let mut max = intervals.first().map_or(0, key);
    for i in 1..intervals.len() {
        let iv = intervals[i];
        let k = key(&iv);
        if k >= max {
            max = k;
            continue;
        }
        let mut j = i;
        while j > 0 && key(&intervals[j - 1]) > k {
            if budget == 0 {
                intervals[j] = iv;
                return false;
            }
            budget -= 1;
            intervals[j] = intervals[j - 1];
            j -= 1;
        }
        intervals[j] = iv;
    }
    true
}

/// Buffers the allocator reuses from one function to the next, so that it
/// allocates only what it returns.
#[derive(Debug, Default)]
pub struct Scratch {
    live: liveness::Scratch,
    points: ClobberPoints,
    /// Move partners (see [`scan_instructions`]).
    hints: Vec<u32>,
    fixed: Vec<u8>,
    next: Vec<u32>,
    /// Counting sort of the intervals: counts per position, and the
    /// intervals sorted by end.
    counts: Vec<u32>,
    by_end: Vec<Interval>,
    /// Values split around calls: `(call instruction, vreg, slot)`.
    call_saves: Vec<(u32, VReg, u32)>,
}

impl Scratch {
    /// Release buffers grown past what a typical function needs, so one
    /// huge function does not pin its memory for the thread's life.
    pub fn trim(&mut self) {
        self.live.trim();
        if self.points.calls.capacity() > 1 << 16
            || self.points.others.capacity() > 1 << 16
            || self.hints.capacity() > 1 << 16
            || self.fixed.capacity() > 1 << 16
            || self.next.capacity() > 1 << 16
            || self.counts.capacity() > 1 << 17
            || self.by_end.capacity() > 1 << 16
            || self.call_saves.capacity() > 1 << 16
        {
            *self = Scratch::default();
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Allocate registers for `f`.
///
/// Linear scan over intervals with lifetime holes, each vreg getting one
/// location for its whole life: a register is free for an interval when no
/// interval already in it has a range intersecting the new one. When none
/// is free, the register whose occupants have the lowest total spill
/// density (weight per live position) is taken from them if that is below
/// the new interval's; otherwise the new interval goes to the stack.
///
/// Spill weights cost a pass over the code, so they are computed the first
/// time no register is free (most functions never need them).
pub fn allocate(
    f: &Func,
    env: &MachineEnv,
    clobbers: impl Fn(&Inst) -> RegSet,
) -> Result<Allocation, JitError> {
    let mut out = Allocation::default();
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            let r = allocate_into(f, env, clobbers, &mut s, &mut out);
            s.trim();
            r
        }
        Err(_) => allocate_into(f, env, clobbers, &mut Scratch::default(), &mut out),
    })?;
    Ok(out)
}

/// [`allocate`] into `out`, reusing its buffers and those of `s`
/// (whatever `out` held is replaced).
pub fn allocate_into(
    f: &Func,
    env: &MachineEnv,
    clobbers: impl Fn(&Inst) -> RegSet,
    s: &mut Scratch,
    out: &mut Allocation,
) -> Result<(), JitError> {
    let mut live = liveness::Liveness {
        intervals: std::mem::take(&mut out.intervals),
        ranges: std::mem::take(&mut out.ranges),
        dead: std::mem::take(&mut out.dead),
    };
    liveness::analyze_into(f, &mut s.live, &mut live)?;
    scan_instructions(f, &clobbers, &mut s.points, &mut s.hints);
    let (call_points, points, hints) = (&s.points.calls, &s.points.others, &s.hints);
    let landings = &s.points.landings;
    let fixed = &mut s.fixed;
    fixed_hints(f, env, fixed);
    let mut depths: Option<Vec<u32>> = None;
    let mut weights: Option<Vec<u64>> = None;
    let mut densities: Option<Vec<u64>> = None;
    let mut split: Vec<VReg> = Vec::new();
    let mut intervals = live.intervals;
    sort_intervals(
        &mut intervals,
        2 * f.insts.len(),
        &mut s.counts,
        &mut s.by_end,
    );
    let ranges = live.ranges;
    let dead = live.dead;
    let mut locs = std::mem::take(&mut out.locs);
    locs.clear();
    locs.resize(f.vregs.len(), Loc::None);
    let mut spill_slots = 0u32;
    let mask = |regs: &[PReg]| regs.iter().fold(0 as RegSet, |m, r| m | 1 << r.0);
    let (int_mask, float_mask) = (mask(&env.int_regs), mask(&env.float_regs));
    // Per physical register: the intervals assigned to it not yet ended,
    // in assignment order, as a list linked through `next` (by index in
    // `intervals`).
    let mut head = [NONE; 64];
    let mut tail = [NONE; 64];
    // Per physical register: no occupant ends after this (an upper bound);
    // an occupant's first range ends just before this (exact, or 0).
    let mut busy = [0u32; 64];
    let mut blocked = [0u32; 64];
    let next = &mut s.next;
    next.clear();
    next.resize(intervals.len(), NONE);
    let no_clobbers = points.is_empty() && call_points.is_empty() && landings.is_empty();
    for (i, iv) in intervals.iter().enumerate() {
        let v = iv.vreg.0 as usize;
        let (regs, allowed) = match Class::of(f.ty(iv.vreg)) {
            Class::Int => (&env.int_regs, int_mask),
            Class::Float => (&env.float_regs, float_mask),
        };
        // Registers calls inside the interval destroy: usable only by
        // splitting the value around those calls.
        let (allowed, splittable) = if no_clobbers {
            (allowed, 0)
        } else {
            let allowed = allowed
                & !clobbered_within(points, &ranges[v])
                & !clobbered_within(landings, &ranges[v]);
            let lost_at_calls = clobbered_within(call_points, &ranges[v]);
            (allowed & !lost_at_calls, allowed & lost_at_calls)
        };
        let hint = match hints[v] {
            NONE => None,
            h => match locs[h as usize] {
                Loc::Reg(r) => Some(r),
                _ => None,
            },
        };
        let fixed_hint = (fixed[v] != NO_REG).then_some(PReg(fixed[v]));
        // A free register (no occupant in the way), the hinted ones first,
        // then in order of preference; else the cheapest to take: (total
        // weight of the occupants to evict, register).
        let mut best: Option<(u64, PReg)> = None;
        let candidates = hint
            .into_iter()
            .chain(fixed_hint)
            .chain(regs.iter().copied());
        for r in candidates.clone() {
            if allowed & (1 << r.0) != 0
                && free_for(
                    r,
                    iv,
                    &intervals,
                    &ranges,
                    &mut head,
                    &mut tail,
                    (&busy, &blocked),
                    next,
                )
            {
                best = Some((0, r));
                break;
            }
        }
        if best.is_none() && splittable != 0 && env.split_class(Class::of(f.ty(iv.vreg))) {
            // No register survives the calls: a free one that does not,
            // if the value's uses outweigh a save and a reload per call.
            let depths = depths.get_or_insert_with(|| loop_depths(f));
            let weights = weights.get_or_insert_with(|| spill_weights(f, depths));
            if weights[v] > call_crossing_weight(call_points, depths, &ranges[v]) {
                for r in candidates.clone() {
                    if splittable & (1 << r.0) != 0
                        && free_for(
                            r,
                            iv,
                            &intervals,
                            &ranges,
                            &mut head,
                            &mut tail,
                            (&busy, &blocked),
                            next,
                        )
                    {
                        best = Some((0, r));
                        split.push(iv.vreg);
                        break;
                    }
                }
            }
        }
        if best.is_none() {
            let depths = depths.get_or_insert_with(|| loop_depths(f));
            let weights = weights.get_or_insert_with(|| spill_weights(f, depths));
            let densities = densities.get_or_insert_with(|| spill_densities(weights, &ranges));
            for r in candidates {
                if allowed & (1 << r.0) == 0 {
                    continue;
                }
                let mut o = head[r.0 as usize];
                let mut cost = 0u64;
                while o != NONE {
                    let ov = intervals[o as usize].vreg.0 as usize;
                    if liveness::intersects(&ranges[ov], &ranges[v]) {
                        cost += densities[ov];
                    }
                    o = next[o as usize];
                }
                if best.is_none_or(|(c, _)| cost < c) {
                    best = Some((cost, r));
                }
            }
        }
        // A positive cost comes from the eviction pass, which has the weights.
        let accept = |cost: u64| cost == 0 || densities.as_ref().is_some_and(|d| cost < d[v]);
        match best {
            Some((cost, r)) if accept(cost) => {
                let ri = r.0 as usize;
                if cost > 0 {
                    // Evict the conflicting occupants, in order.
                    blocked[ri] = 0;
                    let (mut prev, mut o) = (NONE, head[ri]);
                    while o != NONE {
                        let ov = intervals[o as usize].vreg.0 as usize;
                        let after = next[o as usize];
                        if liveness::intersects(&ranges[ov], &ranges[v]) {
                            locs[ov] = Loc::Stack(spill_slots);
                            spill_slots += 1;
                            // An evicted split value lives on the stack:
                            // nothing to save around its calls.
                            split.retain(|&s| s.0 as usize != ov);
                            unlink(ri, prev, o, &mut head, &mut tail, next);
                        } else {
                            prev = o;
                            let first = ranges[ov][0].1 + 1;
                            blocked[ri] = blocked[ri].max(first);
                        }
                        o = after;
                    }
                }
                let i = i as u32;
                if tail[ri] == NONE {
                    head[ri] = i;
                } else {
                    next[tail[ri] as usize] = i;
                }
                tail[ri] = i;
                busy[ri] = busy[ri].max(iv.end);
                blocked[ri] = blocked[ri].max(ranges[v][0].1 + 1);
                locs[v] = Loc::Reg(r);
            }
            _ => {
                locs[v] = Loc::Stack(spill_slots);
                spill_slots += 1;
            }
        }
    }
    let call_saves = &mut s.call_saves;
    call_saves.clear();
    for v in split {
        let slot = spill_slots;
        spill_slots += 1;
        for (p, _) in points_within(call_points, &ranges[v.0 as usize]) {
            call_saves.push((p / 2, v, slot));
        }
    }
    call_saves.sort_unstable_by_key(|&(i, v, _)| (i, v));
    let mut loop_splits = std::mem::take(&mut out.loop_splits);
    loop_split::split_at_loops(
        f,
        env,
        &locs,
        &ranges,
        |a, b| clobbered_between(call_points, points, a, b),
        &mut loop_splits,
    );
    let mut edits = std::mem::take(&mut out.edits);
    edits::build(f, &locs, &dead, call_saves, &loop_splits, &mut edits);
    *out = Allocation {
        locs,
        spill_slots,
        intervals,
        ranges,
        dead,
        loop_splits,
        edits,
    };
    Ok(())
}

/// Verify `alloc` for `f` (see the module documentation): the intervals
/// and clobbers first, then every value through the allocation's moves
/// ([`symbolic`]).
pub fn check(
    f: &Func,
    alloc: &Allocation,
    clobbers: impl Fn(&Inst) -> RegSet,
) -> Result<(), String> {
    let ClobberPoints {
        calls: call_points,
        others: points,
        landings,
    } = ClobberPoints::of(f, &clobbers);
    let fresh = analyze(f).map_err(|e| e.to_string())?;
    if fresh.dead != alloc.dead {
        return Err("the dead instructions differ from a fresh analysis".into());
    }
    let mut by_reg: Vec<Vec<VReg>> = vec![Vec::new(); 64];
    for iv in &fresh.intervals {
        let ranges = &fresh.ranges[iv.vreg.0 as usize];
        match alloc.loc(iv.vreg) {
            Loc::Reg(r) => {
                if clobbered_within(&points, ranges) & (1 << r.0) != 0 {
                    return Err(format!(
                        "{} keeps r{} across an instruction that clobbers it",
                        iv.vreg, r.0
                    ));
                }
                if clobbered_within(&landings, ranges) != 0 {
                    return Err(format!("{} keeps r{} into a landing pad", iv.vreg, r.0));
                }
                // Across a call that destroys the register, the value must
                // be saved and reloaded around that call.
                for (p, set) in points_within(&call_points, ranges) {
                    let saved = alloc.edits_at(p / 2).iter().any(|e| {
                        (e.vreg, e.when, e.from) == (iv.vreg, When::Before, Place::Reg(r))
                    });
                    if set & (1 << r.0) != 0 && !saved {
                        return Err(format!(
                            "{} keeps r{} across call {} without saving it",
                            iv.vreg,
                            r.0,
                            p / 2
                        ));
                    }
                }
                by_reg[r.0 as usize].push(iv.vreg);
            }
            Loc::Stack(_) => {}
            Loc::None => return Err(format!("{} is live but has no location", iv.vreg)),
        }
    }
    for (r, vregs) in by_reg.iter().enumerate() {
        for (i, &a) in vregs.iter().enumerate() {
            for &b in &vregs[i + 1..] {
                let (ra, rb) = (&fresh.ranges[a.0 as usize], &fresh.ranges[b.0 as usize]);
                if liveness::intersects(ra, rb) {
                    return Err(format!("{a} and {b} are live at once in r{r}"));
                }
            }
        }
    }
    loop_split::check(f, &alloc.locs, &fresh.ranges, &alloc.loop_splits, |a, b| {
        clobbered_between(&call_points, &points, a, b)
    })?;
    symbolic::check(f, alloc, &clobbers)
}

#[cfg(test)]
mod tests;
