//! Register allocation: liveness -> live intervals -> linear scan.
//!
//! The allocator reads the IR and returns a location for every virtual
//! register; it never rewrites the IR (the emitter applies the result).
//!
//! Linear scan (Poletto & Sarkar) walks intervals by start position, keeping
//! the active ones sorted by end. When no register of the right class is free,
//! it spills whichever interval ends last: the current one or an active one.
//! Machine constraints come in as *clobbers*: registers an instruction
//! destroys (a call: the caller-saved set; a division: rax/rdx). An interval
//! that spans a clobbering instruction can only use registers it does not
//! clobber, so values live across calls land in callee-saved registers or on
//! the stack; this is where a later interval-splitting pass will pay off.
//!
//! [`check`] verifies an allocation independently: no two overlapping
//! intervals share a register, and no interval keeps a register across an
//! instruction that clobbers it.

pub mod liveness;

use crate::ir::{Func, Inst, Ty, VReg};
use liveness::{analyze, Interval};

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
}

/// The allocator's result.
#[derive(Clone, Debug)]
pub struct Allocation {
    /// Indexed by vreg.
    pub locs: Vec<Loc>,
    pub spill_slots: u32,
    pub intervals: Vec<Interval>,
}

impl Allocation {
    pub fn loc(&self, v: VReg) -> Loc {
        self.locs[v.0 as usize]
    }
}

/// Positions (`2i + 1`: between reading and writing) of instructions that
/// clobber registers, with the sets they clobber.
fn clobber_points(f: &Func, clobbers: &impl Fn(&Inst) -> RegSet) -> Vec<(u32, RegSet)> {
    f.insts
        .iter()
        .enumerate()
        .filter_map(|(i, inst)| {
            let set = clobbers(inst);
            (set != 0).then_some((i as u32 * 2 + 1, set))
        })
        .collect()
}

/// The registers clobbered strictly inside `iv` (a value defined by the
/// clobbering instruction itself, or last used by it, is not affected).
fn clobbered_within(points: &[(u32, RegSet)], iv: &Interval) -> RegSet {
    let from = points.partition_point(|&(p, _)| p <= iv.start);
    points[from..]
        .iter()
        .take_while(|&&(p, _)| p < iv.end)
        .fold(0, |acc, &(_, s)| acc | s)
}

/// Allocate registers for `f`.
pub fn allocate(f: &Func, env: &MachineEnv, clobbers: impl Fn(&Inst) -> RegSet) -> Allocation {
    let live = analyze(f);
    let points = clobber_points(f, &clobbers);
    let mut intervals = live.intervals;
    intervals.sort_by_key(|iv| (iv.start, iv.end));
    let mut locs = vec![Loc::None; f.vregs.len()];
    let mut spill_slots = 0u32;
    // Active intervals with their register, sorted by end.
    let mut active: Vec<(Interval, PReg)> = Vec::new();
    for iv in &intervals {
        active.retain(|(a, _)| a.end >= iv.start);
        let class = Class::of(f.ty(iv.vreg));
        let regs = match class {
            Class::Int => &env.int_regs,
            Class::Float => &env.float_regs,
        };
        let forbidden = clobbered_within(&points, iv);
        let busy: RegSet = active.iter().fold(0, |acc, (_, r)| acc | 1 << r.0);
        let free = regs.iter().find(|r| (busy | forbidden) & (1 << r.0) == 0);
        let reg = match free {
            Some(&r) => Some(r),
            None => {
                // Steal from the active interval (of this class, whose register
                // this interval may use) that ends last, if it ends after us.
                let victim = active
                    .iter()
                    .enumerate()
                    .filter(|(_, (a, r))| {
                        Class::of(f.ty(a.vreg)) == class
                            && forbidden & (1 << r.0) == 0
                            && a.end > iv.end
                    })
                    .max_by_key(|(_, (a, _))| a.end)
                    .map(|(i, _)| i);
                victim.map(|i| {
                    let (a, r) = active.remove(i);
                    locs[a.vreg.0 as usize] = Loc::Stack(spill_slots);
                    spill_slots += 1;
                    r
                })
            }
        };
        match reg {
            Some(r) => {
                locs[iv.vreg.0 as usize] = Loc::Reg(r);
                let at = active.partition_point(|(a, _)| a.end <= iv.end);
                active.insert(at, (*iv, r));
            }
            None => {
                locs[iv.vreg.0 as usize] = Loc::Stack(spill_slots);
                spill_slots += 1;
            }
        }
    }
    Allocation {
        locs,
        spill_slots,
        intervals,
    }
}

/// Verify `alloc` for `f` (see the module documentation).
pub fn check(
    f: &Func,
    alloc: &Allocation,
    clobbers: impl Fn(&Inst) -> RegSet,
) -> Result<(), String> {
    let points = clobber_points(f, &clobbers);
    let in_reg: Vec<(Interval, PReg)> = alloc
        .intervals
        .iter()
        .filter_map(|iv| match alloc.loc(iv.vreg) {
            Loc::Reg(r) => Some((*iv, r)),
            Loc::Stack(_) => None,
            Loc::None => Some((*iv, PReg(u8::MAX))),
        })
        .collect();
    for (iv, r) in &in_reg {
        if r.0 == u8::MAX {
            return Err(format!("{} is live but has no location", iv.vreg));
        }
        if clobbered_within(&points, iv) & (1 << r.0) != 0 {
            return Err(format!(
                "{} keeps r{} across an instruction that clobbers it",
                iv.vreg, r.0
            ));
        }
    }
    let mut sorted = in_reg;
    sorted.sort_by_key(|(iv, _)| iv.start);
    for (i, (a, ra)) in sorted.iter().enumerate() {
        for (b, rb) in &sorted[i + 1..] {
            if b.start > a.end {
                break;
            }
            if ra == rb {
                return Err(format!("{} and {} overlap in r{}", a.vreg, b.vreg, ra.0));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
