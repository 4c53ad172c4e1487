//! Liveness by backward dataflow, and one live interval per virtual register.
//!
//! Instructions are numbered in layout order; instruction `i` reads its
//! operands at position `2i` and writes its results at `2i + 1`. A value
//! live into a block is live from the block's first position; a value live
//! out of it is live to the block's last position. The interval of a vreg
//! is the smallest range covering all positions where it is live (no
//! lifetime holes): conservative, simple, and what classic linear scan uses.

use crate::ir::{BlockId, Func, Inst, VReg};

/// A set of vregs as a bit vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitSet(Vec<u64>);

impl BitSet {
    pub fn new(n: usize) -> BitSet {
        BitSet(vec![0; n.div_ceil(64)])
    }
    pub fn insert(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }
    pub fn remove(&mut self, i: u32) {
        self.0[i as usize / 64] &= !(1 << (i % 64));
    }
    pub fn contains(&self, i: u32) -> bool {
        self.0[i as usize / 64] & (1 << (i % 64)) != 0
    }
    /// `self |= other`; true if anything changed.
    pub fn union_with(&mut self, other: &BitSet) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let n = *a | *b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &bits)| {
            (0..64)
                .filter(move |b| bits & (1 << b) != 0)
                .map(move |b| (w * 64 + b) as u32)
        })
    }
}

/// Registers an instruction reads and writes.
pub fn operands(f: &Func, inst: &Inst, uses: &mut Vec<VReg>, defs: &mut Vec<VReg>) {
    uses.clear();
    defs.clear();
    let list = |l: crate::ir::List| f.list_items(l).iter().map(|&v| VReg(v));
    match *inst {
        Inst::Const { dst, .. }
        | Inst::GlobalGet { dst, .. }
        | Inst::FuncRef { dst, .. }
        | Inst::TableSize { dst, .. } => defs.push(dst),
        Inst::Move { dst, src, .. }
        | Inst::IBinImm { dst, a: src, .. }
        | Inst::IUn { dst, src, .. }
        | Inst::Eqz { dst, src, .. }
        | Inst::ICmpImm { dst, a: src, .. }
        | Inst::FUn { dst, src, .. }
        | Inst::Convert { dst, src, .. }
        | Inst::Load { dst, addr: src, .. }
        | Inst::TableGet {
            dst, index: src, ..
        } => {
            uses.push(src);
            defs.push(dst);
        }
        Inst::IBin { dst, a, b, .. }
        | Inst::IDiv { dst, a, b, .. }
        | Inst::ICmp { dst, a, b, .. }
        | Inst::FBin { dst, a, b, .. }
        | Inst::FCmp { dst, a, b, .. } => {
            uses.extend([a, b]);
            defs.push(dst);
        }
        Inst::Select {
            dst, cond, a, b, ..
        } => {
            uses.extend([cond, a, b]);
            defs.push(dst);
        }
        Inst::Store { addr, value, .. }
        | Inst::TableSet {
            index: addr, value, ..
        } => uses.extend([addr, value]),
        Inst::GlobalSet { src, .. } => uses.push(src),
        Inst::Call { args, rets, .. } | Inst::Libcall { args, rets, .. } => {
            uses.extend(list(args));
            defs.extend(list(rets));
        }
        Inst::CallIndirect {
            index, args, rets, ..
        } => {
            uses.push(index);
            uses.extend(list(args));
            defs.extend(list(rets));
        }
        Inst::Branch { cond, .. } => uses.push(cond),
        Inst::BranchCmp { a, b, .. } => uses.extend([a, b]),
        Inst::BranchCmpImm { a, .. } => uses.push(a),
        Inst::BrTable { index, .. } => uses.push(index),
        Inst::Return { values } => uses.extend(list(values)),
        Inst::Jump { .. } | Inst::Trap { .. } => {}
    }
}

/// A live interval in instruction positions (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub vreg: VReg,
    pub start: u32,
    pub end: u32,
}

/// Live-out sets per block (indexed by block id) and the intervals of all
/// vregs that are ever live.
#[derive(Debug)]
pub struct Liveness {
    pub live_out: Vec<BitSet>,
    pub intervals: Vec<Interval>,
}

/// Compute liveness of `f` (which must verify).
pub fn analyze(f: &Func) -> Liveness {
    let n = f.vregs.len();
    let nb = f.blocks.len();
    let (mut uses, mut defs) = (Vec::new(), Vec::new());
    // Per-block upward-exposed uses and definitions.
    let mut gen = vec![BitSet::new(n); nb];
    let mut kill = vec![BitSet::new(n); nb];
    for b in 0..nb {
        for at in f.blocks[b].insts.clone() {
            operands(f, &f.insts[at as usize], &mut uses, &mut defs);
            for u in &uses {
                if !kill[b].contains(u.0) {
                    gen[b].insert(u.0);
                }
            }
            for d in &defs {
                kill[b].insert(d.0);
            }
        }
    }
    let succs: Vec<Vec<BlockId>> = (0..nb).map(|b| f.succs(BlockId(b as u32))).collect();
    let mut live_in = vec![BitSet::new(n); nb];
    let mut live_out = vec![BitSet::new(n); nb];
    let mut changed = true;
    while changed {
        changed = false;
        // Reverse layout order converges fast for mostly-forward code.
        for &BlockId(b) in f.layout.iter().rev() {
            let b = b as usize;
            for s in &succs[b] {
                let s_in = live_in[s.0 as usize].clone();
                live_out[b].union_with(&s_in);
            }
            // in = gen | (out - kill)
            let mut new_in = live_out[b].clone();
            for (w, k) in new_in.0.iter_mut().zip(&kill[b].0) {
                *w &= !k;
            }
            new_in.union_with(&gen[b]);
            if new_in != live_in[b] {
                live_in[b] = new_in;
                changed = true;
            }
        }
    }

    // Intervals: extend over every position where a vreg is live or used.
    const NONE: (u32, u32) = (u32::MAX, 0);
    let mut range = vec![NONE; n];
    let mut extend = |v: u32, p: u32| {
        let r = &mut range[v as usize];
        r.0 = r.0.min(p);
        r.1 = r.1.max(p);
    };
    for &BlockId(b) in &f.layout {
        let insts = f.blocks[b as usize].insts.clone();
        let (first, last) = (insts.start * 2, insts.end * 2 - 1);
        for v in live_in[b as usize].iter() {
            extend(v, first);
        }
        for v in live_out[b as usize].iter() {
            extend(v, last);
        }
        for at in insts {
            operands(f, &f.insts[at as usize], &mut uses, &mut defs);
            for u in &uses {
                extend(u.0, at * 2);
            }
            for d in &defs {
                extend(d.0, at * 2 + 1);
            }
        }
    }
    let intervals = range
        .iter()
        .enumerate()
        .filter(|(_, r)| r.0 != u32::MAX)
        .map(|(v, r)| Interval {
            vreg: VReg(v as u32),
            start: r.0,
            end: r.1,
        })
        .collect();
    Liveness {
        live_out,
        intervals,
    }
}
