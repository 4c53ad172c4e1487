//! A symbolic checker of an allocation, in the style of regalloc2's: it
//! runs the function abstractly over the machine's locations (registers
//! and spill slots), each holding the set of vregs whose current value it
//! has, and checks that every use finds its vreg where the emitter will
//! read it.
//!
//! The locations follow what the emitter does with an allocation, move
//! by move: a def writes the vreg's location (a copy adds its vreg to the
//! set its source's location holds) and, since the IR is not SSA, takes
//! the vreg out of every other location; the registers an instruction
//! clobbers, and every register at a landing pad, lose their contents;
//! and each of the allocation's edits ([`super::edits`], the very list
//! the emitter performs) copies one location's contents to another. At a
//! join, a location keeps only the vregs every predecessor agrees on.
//! Unlike the interval checks of [`super::check`], this follows values
//! through the moves: a reload from the wrong slot, a load on an edge
//! that destroys a live register, a missing save or a missing
//! write-through are all a use that finds another value.

use super::{liveness, Allocation, Edit, Loc, Place, RegSet, When};
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
    let mut edits = alloc.edits_at_or_after(insts.start);
    for at in insts {
        let live = !alloc.dead[at as usize];
        let inst = &f.insts[at as usize];
        if live && matches!(inst, Inst::Landing { .. }) {
            for r in s.iter_mut().take(REGS) {
                r.clear();
            }
        }
        edits = apply(edits, at, When::Before, s);
        if live {
            run_inst(f, alloc, clobbers, at, inst, here, s)?;
        }
        edits = apply(edits, at, When::After, s);
    }
    Ok(())
}

/// Check live instruction `inst` (number `at`, in a block starting at
/// position `here`): its uses find their vregs, then its clobbers and
/// defs change `s`.
fn run_inst(
    f: &Func,
    alloc: &Allocation,
    clobbers: &impl Fn(&Inst) -> RegSet,
    at: u32,
    inst: &Inst,
    here: u32,
    s: &mut State,
) -> Result<(), String> {
    let ops = liveness::operands(f, inst);
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
    if !matches!(inst, Inst::Landing { .. }) {
        let set = clobbers(inst);
        for (r, held) in s.iter_mut().enumerate().take(REGS) {
            if set & (1 << r) != 0 {
                held.clear();
            }
        }
    }
    if let Inst::Move { dst, src, .. } = *inst {
        if let (Some(d), Some(from)) = (location(alloc, dst, here), location(alloc, src, here)) {
            let mut held = s[from].clone();
            forget(s, dst);
            if let Err(i) = held.binary_search(&dst.0) {
                held.insert(i, dst.0);
            }
            s[d] = held;
        }
    } else {
        ops.for_each_def(|v| {
            if let Some(l) = location(alloc, v, here) {
                forget(s, v);
                s[l].clear();
                s[l].push(v.0);
            }
        });
    }
    Ok(())
}

/// A new value of `v` (the IR is not SSA): copies of its old value,
/// wherever they are, no longer hold it.
fn forget(s: &mut State, v: VReg) {
    for held in s.iter_mut() {
        if let Ok(i) = held.binary_search(&v.0) {
            held.remove(i);
        }
    }
}

/// Perform the edits at the front of `edits` that happen at `at`, `when`;
/// returns the rest.
fn apply<'e>(mut edits: &'e [Edit], at: u32, when: When, s: &mut State) -> &'e [Edit] {
    while let Some(e) = edits.first().filter(|e| e.inst == at && e.when == when) {
        let (to, from) = (index(e.to), index(e.from));
        if to != from {
            s[to] = s[from].clone();
        }
        edits = &edits[1..];
    }
    edits
}

/// The location index of `p`.
fn index(p: Place) -> usize {
    match p {
        Place::Reg(r) => r.0 as usize,
        Place::Slot(k) => REGS + k as usize,
    }
}

fn describe(l: Option<usize>) -> String {
    match l {
        Some(l) if l < REGS => format!("r{l}"),
        Some(l) => format!("stack[{}]", l - REGS),
        None => "nowhere".into(),
    }
}
