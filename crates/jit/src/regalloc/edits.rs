//! The moves an allocation needs besides the instructions' own, as one
//! list sorted by instruction: the emission driver performs exactly these
//! and the symbolic checker ([`super::symbolic`]) verifies the allocation
//! through exactly these, so the two cannot disagree about a move.
//!
//! Two parts of the allocation produce them:
//! - a value split around calls (kept in a caller-saved register) is
//!   stored to its spill slot before each call it lives across and
//!   reloaded after it;
//! - a value split at a loop ([`super::loop_split`]) is loaded from its
//!   slot into its loop register before the terminator of each block that
//!   enters the loop, written through to its slot after each instruction
//!   inside the loop that defines it (so the slot is current wherever
//!   control leaves), and reloaded by each landing pad inside the loop
//!   (a pad finds every register destroyed).

use super::liveness;
use super::{Loc, LoopSplit, PReg};
use crate::ir::{Func, Inst, VReg};

/// Where an edit reads or writes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Reg(PReg),
    /// Spill slot index.
    Slot(u32),
}

/// When an edit happens relative to its instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    /// Before the instruction reads its operands; at a landing pad, once
    /// the pad has restored its frame.
    Before,
    /// After the instruction has written its results.
    After,
}

/// One move: `vreg`'s value copied from `from` to `to`, at `inst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit {
    pub inst: u32,
    pub when: When,
    pub vreg: VReg,
    pub from: Place,
    pub to: Place,
}

impl Edit {
    fn new(inst: u32, when: When, vreg: VReg, from: Place, to: Place) -> Edit {
        Edit {
            inst,
            when,
            vreg,
            from,
            to,
        }
    }
}

/// The edits of an allocation (see the module docs) into `out`, sorted by
/// `(inst, when)`. `call_saves` are the values split around calls as
/// `(call instruction, vreg, slot)`, sorted by instruction and vreg; the
/// others come from `locs` (each vreg's location), `dead` (instructions
/// the emitter skips) and `splits` (sorted by span start).
pub(super) fn build(
    f: &Func,
    locs: &[Loc],
    dead: &[bool],
    call_saves: &[(u32, VReg, u32)],
    splits: &[LoopSplit],
    out: &mut Vec<Edit>,
) {
    out.clear();
    let mut saves = call_saves;
    if splits.is_empty() {
        while let Some(&(at, _, _)) = saves.first() {
            saves = around_call(locs, dead, saves, at, out);
        }
        return;
    }
    let slot = |v: VReg| match locs[v.0 as usize] {
        Loc::Stack(k) => Some(Place::Slot(k)),
        _ => None,
    };
    // Per block, the first split at the loop it heads (a loop's splits
    // are adjacent: they share a span start).
    let mut heads = vec![u32::MAX; f.blocks.len()];
    for (i, s) in splits.iter().enumerate().rev() {
        heads[s.header.0 as usize] = i as u32;
    }
    // The splits covering the block being walked (blocks are laid out in
    // position order, splits sorted by where their loop starts).
    let mut active: Vec<LoopSplit> = Vec::new();
    let mut next = 0;
    for &b in &f.layout {
        let insts = f.blocks[b.0 as usize].insts.clone();
        if insts.is_empty() {
            continue;
        }
        let terminator = insts.end - 1;
        let here = 2 * insts.start;
        active.retain(|s| s.covers(here));
        while let Some(s) = splits.get(next).filter(|s| s.span.0 <= here) {
            if s.covers(here) {
                active.push(*s);
            }
            next += 1;
        }
        // Calls before this block (unreachable code) have no edits.
        while saves.first().is_some_and(|s| s.0 < insts.start) {
            saves = &saves[1..];
        }
        if active.is_empty() {
            // Outside split loops only calls have edits, and the
            // terminator if it enters a loop.
            while let Some(&(at, _, _)) = saves.first().filter(|s| s.0 < terminator) {
                saves = around_call(locs, dead, saves, at, out);
            }
        } else {
            for at in insts.start..terminator {
                in_loop(f, locs, dead, &active, &slot, at, &mut saves, out);
            }
        }
        enter_loops(f, b, here, terminator, splits, &heads, &slot, out);
        if !active.is_empty() {
            in_loop(f, locs, dead, &active, &slot, terminator, &mut saves, out);
        }
    }
    debug_assert!(out.is_sorted_by_key(|e| (e.inst, e.when)));
}

/// The edits of instruction `at` inside the loops of `active` (besides
/// loop-entry loads): a call's stores and reloads (the saves at the front
/// of `saves` if they are at `at`, which are consumed), a landing pad's
/// reloads, and write-through. A dead instruction has none.
#[allow(clippy::too_many_arguments)]
fn in_loop(
    f: &Func,
    locs: &[Loc],
    dead: &[bool],
    active: &[LoopSplit],
    slot: &impl Fn(VReg) -> Option<Place>,
    at: u32,
    saves: &mut &[(u32, VReg, u32)],
    out: &mut Vec<Edit>,
) {
    let n = saves.iter().take_while(|s| s.0 == at).count();
    let (mine, rest) = saves.split_at(n);
    *saves = rest;
    if dead[at as usize] {
        return;
    }
    push_saves(locs, mine, When::Before, out);
    let inst = &f.insts[at as usize];
    if let Inst::Landing { .. } = inst {
        for s in active {
            if let Some(k) = slot(s.vreg) {
                out.push(Edit::new(at, When::Before, s.vreg, k, Place::Reg(s.reg)));
            }
        }
    }
    push_saves(locs, mine, When::After, out);
    liveness::operands(f, inst).for_each_def(|v| {
        let split = active.iter().find(|s| s.vreg == v);
        if let (Some(s), Some(k)) = (split, slot(v)) {
            out.push(Edit::new(at, When::After, v, Place::Reg(s.reg), k));
        }
    });
}

/// The edits of the call at `at`, whose saves start `saves`: stores before
/// it and reloads after it (none if it is dead). Returns the saves of
/// later calls.
fn around_call<'s>(
    locs: &[Loc],
    dead: &[bool],
    saves: &'s [(u32, VReg, u32)],
    at: u32,
    out: &mut Vec<Edit>,
) -> &'s [(u32, VReg, u32)] {
    let n = saves.iter().take_while(|s| s.0 == at).count();
    if !dead[at as usize] {
        push_saves(locs, &saves[..n], When::Before, out);
        push_saves(locs, &saves[..n], When::After, out);
    }
    &saves[n..]
}

/// The stores of `saves` (all at one call) before it, or their reloads
/// after it.
fn push_saves(locs: &[Loc], saves: &[(u32, VReg, u32)], when: When, out: &mut Vec<Edit>) {
    for &(at, v, k) in saves {
        let Loc::Reg(r) = locs[v.0 as usize] else {
            continue;
        };
        let (reg, slot) = (Place::Reg(r), Place::Slot(k));
        out.push(match when {
            When::Before => Edit::new(at, when, v, reg, slot),
            When::After => Edit::new(at, when, v, slot, reg),
        });
    }
}

/// Before the terminator of block `b` (at position `here`): the loads of
/// the values split at the loops it enters (their header is a successor;
/// `b` is outside).
#[allow(clippy::too_many_arguments)]
fn enter_loops(
    f: &Func,
    b: crate::ir::BlockId,
    here: u32,
    terminator: u32,
    splits: &[LoopSplit],
    heads: &[u32],
    slot: &impl Fn(VReg) -> Option<Place>,
    out: &mut Vec<Edit>,
) {
    for (i, h) in f.successors(b).enumerate() {
        let first = heads[h.0 as usize];
        if first == u32::MAX || f.successors(b).take(i).any(|x| x == h) {
            continue;
        }
        for s in splits[first as usize..]
            .iter()
            .take_while(|s| s.header == h)
        {
            // From inside the loop, this edge is a back edge.
            if let (false, Some(k)) = (s.covers(here), slot(s.vreg)) {
                out.push(Edit::new(
                    terminator,
                    When::Before,
                    s.vreg,
                    k,
                    Place::Reg(s.reg),
                ));
            }
        }
    }
}
