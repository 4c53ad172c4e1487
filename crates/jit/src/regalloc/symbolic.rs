//! A symbolic checker of an allocation, in the style of regalloc2's: it
//! runs the function abstractly over the machine's locations (registers
//! and spill slots), each holding the set of vregs whose current value it
//! has, and checks that every use finds its vreg where the emitter will
//! read it.
//!
//! The locations follow what the emitter does with an allocation, move
//! by move: a def writes the vreg's location (a copy adds its vreg to the
//! set its source's location holds); the registers an instruction
//! clobbers, and every register at a landing pad, lose their contents;
//! values split around a call are stored to their slots before it and
//! reloaded after it; a value split at a loop is loaded into its loop
//! register on each edge entering the loop, written through to its slot
//! inside it, and reloaded by a landing pad inside it. At a join, a
//! location keeps only the vregs every predecessor agrees on. Unlike the
//! interval checks of [`super::check`], this follows values through those
//! moves: a reload from the wrong slot, a load on an edge that destroys a
//! live register, or a missing save are all a use that finds another
//! value.

use super::{liveness, Allocation, Loc, RegSet};
use crate::ir::{BlockId, Func, Inst, VReg};

/// Locations: register `r` is index `r`, spill slot `k` is `REGS + k`.
const REGS: usize = 64;

/// What each location holds: sorted vreg numbers.
type State = Vec<Vec<u32>>;

/// Check `alloc` for `f` as described in the module documentation.
pub fn check(
    f: &Func,
    alloc: &Allocation,
    clobbers: &impl Fn(&Inst) -> RegSet,
) -> Result<(), String> {
    let n = REGS + alloc.spill_slots as usize;
    let mut entry: Vec<Option<State>> = vec![None; f.blocks.len()];
    let Some(&first) = f.layout.first() else {
        return Ok(());
    };
    let mut start = vec![Vec::new(); n];
    for &p in &f.params {
        if alloc.live_at_entry(p) {
            if let Some(l) = location(alloc, p, 0) {
                start[l].push(p.0);
            }
        }
    }
    entry[first.0 as usize] = Some(start);
    let mut work = vec![first];
    let mut queued = vec![false; f.blocks.len()];
    queued[first.0 as usize] = true;
    // Each block's entry state only shrinks: the walk ends.
    while let Some(b) = work.pop() {
        queued[b.0 as usize] = false;
        let mut s = entry[b.0 as usize]
            .clone()
            .expect("queued blocks have a state");
        run_block(f, alloc, clobbers, b, &mut s)?;
        for succ in f.successors(b) {
            let changed = match &mut entry[succ.0 as usize] {
                slot @ None => {
                    *slot = Some(s.clone());
                    true
                }
                Some(old) => meet(old, &s),
            };
            if changed && !queued[succ.0 as usize] {
                queued[succ.0 as usize] = true;
                work.push(succ);
            }
        }
    }
    Ok(())
}

/// `old` keeps, per location, only what `new` also holds; whether it changed.
fn meet(old: &mut State, new: &State) -> bool {
    let mut changed = false;
    for (o, n) in old.iter_mut().zip(new) {
        let before = o.len();
        o.retain(|v| n.binary_search(v).is_ok());
        changed |= o.len() != before;
    }
    changed
}

/// Where the emitter keeps `v` in a block starting at position `p`: its
/// loop register inside a loop that splits it, else its location.
fn location(alloc: &Allocation, v: VReg, p: u32) -> Option<usize> {
    if let Some(s) = alloc
        .loop_splits
        .iter()
        .find(|s| s.vreg == v && s.covers(p))
    {
        return Some(s.reg.0 as usize);
    }
    match alloc.loc(v) {
        Loc::Reg(r) => Some(r.0 as usize),
        Loc::Stack(k) => Some(REGS + k as usize),
        Loc::None => None,
    }
}

/// The spill slot of a vreg split around calls or at loops.
fn slot_of(alloc: &Allocation, v: VReg) -> Option<usize> {
    match alloc.loc(v) {
        Loc::Stack(k) => Some(REGS + k as usize),
        _ => None,
    }
}

/// Location `l` now holds exactly `v`.
fn write(s: &mut State, l: usize, v: VReg) {
    s[l].clear();
    s[l].push(v.0);
}

/// Location `to` now holds what `from` holds.
fn copy(s: &mut State, to: usize, from: usize) {
    if to != from {
        s[to] = s[from].clone();
    }
}

/// Run block `b` over `s`, checking every use.
fn run_block(
    f: &Func,
    alloc: &Allocation,
    clobbers: &impl Fn(&Inst) -> RegSet,
    b: BlockId,
    s: &mut State,
) -> Result<(), String> {
    let insts = f.blocks[b.0 as usize].insts.clone();
    let here = 2 * insts.start;
    let terminator = insts.end - 1;
    for at in insts {
        if at == terminator {
            enter_loops(f, alloc, b, here, s);
        }
        if alloc.dead[at as usize] {
            continue;
        }
        let inst = &f.insts[at as usize];
        let ops = liveness::operands(f, inst);
        if inst.is_call() {
            for &(_, v, k) in alloc.saves_at(at) {
                if let Some(r) = location(alloc, v, here) {
                    copy(s, REGS + k as usize, r);
                }
            }
        }
        let mut missing = None;
        ops.for_each_use(|v| {
            let found = location(alloc, v, here).is_some_and(|l| s[l].binary_search(&v.0).is_ok());
            if !found && missing.is_none() {
                missing = Some(v);
            }
        });
        if let Some(v) = missing {
            let l = location(alloc, v, here);
            return Err(format!(
                "instruction {at} ({inst:?}) reads {v} from {}, which holds {:?}",
                describe(l),
                l.map(|l| &s[l])
            ));
        }
        if let Inst::Landing { .. } = inst {
            for r in s.iter_mut().take(REGS) {
                r.clear();
            }
            for split in alloc.loop_splits.iter().filter(|x| x.covers(2 * at)) {
                if let Some(k) = slot_of(alloc, split.vreg) {
                    copy(s, split.reg.0 as usize, k);
                }
            }
        } else {
            let set = clobbers(inst);
            for (r, held) in s.iter_mut().enumerate().take(REGS) {
                if set & (1 << r) != 0 {
                    held.clear();
                }
            }
        }
        if let Inst::Move { dst, src, .. } = *inst {
            if let (Some(d), Some(from)) = (location(alloc, dst, here), location(alloc, src, here))
            {
                copy(s, d, from);
                if let Err(i) = s[d].binary_search(&dst.0) {
                    s[d].insert(i, dst.0);
                }
                write_through(alloc, dst, here, s);
            }
        } else {
            ops.for_each_def(|v| {
                if let Some(l) = location(alloc, v, here) {
                    write(s, l, v);
                    write_through(alloc, v, here, s);
                }
            });
        }
        if inst.is_call() {
            for &(_, v, k) in alloc.saves_at(at) {
                if let Some(r) = location(alloc, v, here) {
                    copy(s, r, REGS + k as usize);
                }
            }
        }
    }
    Ok(())
}

/// A write inside a loop that splits `v` also goes to its slot.
fn write_through(alloc: &Allocation, v: VReg, here: u32, s: &mut State) {
    if alloc
        .loop_splits
        .iter()
        .any(|x| x.vreg == v && x.covers(here))
    {
        if let (Some(r), Some(k)) = (location(alloc, v, here), slot_of(alloc, v)) {
            copy(s, k, r);
        }
    }
}

/// Before block `b`'s terminator: the loads of split values into their
/// loop registers on each edge entering a loop from outside it.
fn enter_loops(f: &Func, alloc: &Allocation, b: BlockId, here: u32, s: &mut State) {
    if alloc.loop_splits.is_empty() {
        return;
    }
    for h in f.successors(b) {
        let header_at = 2 * f.blocks[h.0 as usize].insts.start;
        for split in alloc
            .loop_splits
            .iter()
            .filter(|x| x.header == h && !x.covers(here))
        {
            debug_assert!(split.covers(header_at));
            if let Some(k) = slot_of(alloc, split.vreg) {
                copy(s, split.reg.0 as usize, k);
            }
        }
    }
}

fn describe(l: Option<usize>) -> String {
    match l {
        Some(l) if l < REGS => format!("r{l}"),
        Some(l) => format!("stack[{}]", l - REGS),
        None => "nowhere".into(),
    }
}
