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
    if splits.is_empty() {
        let mut rest = call_saves;
        while let Some(&(at, _, _)) = rest.first() {
            let n = rest.iter().take_while(|s| s.0 == at).count();
            around_call(locs, &rest[..n], When::Before, out);
            around_call(locs, &rest[..n], When::After, out);
            rest = &rest[n..];
        }
        return;
    }
    let saves_at = |at: u32| {
        let from = call_saves.partition_point(|s| s.0 < at);
        let to = call_saves.partition_point(|s| s.0 <= at);
        &call_saves[from..to]
    };
    let slot = |v: VReg| match locs[v.0 as usize] {
        Loc::Stack(k) => Some(Place::Slot(k)),
        _ => None,
    };
    // The splits covering the block being walked (blocks are laid out in
    // position order, splits sorted by where their loop starts).
    let mut active: Vec<LoopSplit> = Vec::new();
    let mut next = 0;
    for &b in &f.layout {
        let insts = f.blocks[b.0 as usize].insts.clone();
        let here = 2 * insts.start;
        active.retain(|s| s.covers(here));
        while let Some(s) = splits.get(next).filter(|s| s.span.0 <= here) {
            if s.covers(here) {
                active.push(*s);
            }
            next += 1;
        }
        let terminator = insts.end.saturating_sub(1);
        for at in insts {
            let live = !dead[at as usize];
            let inst = &f.insts[at as usize];
            let saves = if live && inst.is_call() {
                saves_at(at)
            } else {
                &[]
            };
            around_call(locs, saves, When::Before, out);
            if at == terminator {
                enter_loops(f, b, here, splits, &slot, out);
            }
            if !live {
                continue;
            }
            if let Inst::Landing { .. } = inst {
                for s in &active {
                    if let Some(k) = slot(s.vreg) {
                        out.push(Edit::new(at, When::Before, s.vreg, k, Place::Reg(s.reg)));
                    }
                }
            }
            around_call(locs, saves, When::After, out);
            if !active.is_empty() {
                liveness::operands(f, inst).for_each_def(|v| {
                    let split = active.iter().find(|s| s.vreg == v);
                    if let (Some(s), Some(k)) = (split, slot(v)) {
                        out.push(Edit::new(at, When::After, v, Place::Reg(s.reg), k));
                    }
                });
            }
        }
    }
    debug_assert!(out.is_sorted_by_key(|e| (e.inst, e.when)));
}

/// The stores of `saves` (all at one call) before it, or their reloads
/// after it.
fn around_call(locs: &[Loc], saves: &[(u32, VReg, u32)], when: When, out: &mut Vec<Edit>) {
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
fn enter_loops(
    f: &Func,
    b: crate::ir::BlockId,
    here: u32,
    splits: &[LoopSplit],
    slot: &impl Fn(VReg) -> Option<Place>,
    out: &mut Vec<Edit>,
) {
    let terminator = f.blocks[b.0 as usize].insts.end - 1;
    for (i, h) in f.successors(b).enumerate() {
        // A loop's splits are the ones starting at its header.
        let first = splits.partition_point(|s| s.span.0 < 2 * f.blocks[h.0 as usize].insts.start);
        let heads = matches!(splits.get(first), Some(s) if s.header == h);
        if !heads || f.successors(b).take(i).any(|x| x == h) {
            continue;
        }
        for s in splits[first..].iter().take_while(|s| s.header == h) {
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
