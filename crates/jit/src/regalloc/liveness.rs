//! Liveness by backward dataflow, and one live interval per virtual register.
//!
//! Instructions are numbered in layout order; instruction `i` reads its
//! operands at position `2i` and writes its results at `2i + 1`. A value
//! live into a block is live from the block's first position; a value live
//! out of it is live to the block's last position. Each vreg gets its exact
//! live ranges (with lifetime holes: wasm locals are vregs written many
//! times, often dead between uses) and their hull, its interval.

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
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros();
                    bits &= bits - 1;
                    w as u32 * 64 + b
                })
            })
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

/// A live interval in instruction positions (inclusive): the hull of the
/// vreg's live ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub vreg: VReg,
    pub start: u32,
    pub end: u32,
}

/// Where a vreg is live: sorted, disjoint, non-adjacent inclusive position
/// ranges. The gaps between them are lifetime holes, where its register
/// may hold other values.
pub type Ranges = Vec<(u32, u32)>;

/// Whether two range lists share a position.
pub fn intersects(a: &[(u32, u32)], b: &[(u32, u32)]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.1 < y.0 {
            i += 1;
        } else if y.1 < x.0 {
            j += 1;
        } else {
            return true;
        }
    }
    false
}

/// Live-out sets per block (indexed by block id), the intervals of all
/// vregs that are ever live, and each vreg's live ranges.
#[derive(Debug)]
pub struct Liveness {
    pub live_out: Vec<BitSet>,
    pub intervals: Vec<Interval>,
    /// Indexed by vreg; empty for vregs never live.
    pub ranges: Vec<Ranges>,
    /// Indexed by instruction: pure instructions whose result is never
    /// read (dead code; they get no ranges and are not emitted).
    pub dead: Vec<bool>,
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

    // Ranges, built backwards: a range opens (at its end) where a value is
    // live out or used, and closes at its definition or the block's start.
    // A definition nobody reads still occupies its own position, unless
    // the instruction is pure: then it is dead, and so are its uses.
    let mut ranges: Vec<Ranges> = vec![Vec::new(); n];
    let mut dead = vec![false; f.insts.len()];
    let mut open: Vec<Option<u32>> = vec![None; n];
    for &BlockId(b) in f.layout.iter().rev() {
        let insts = f.blocks[b as usize].insts.clone();
        let (first, last) = (insts.start * 2, insts.end * 2 - 1);
        for v in live_out[b as usize].iter() {
            open[v as usize] = Some(last);
        }
        for at in insts.rev() {
            let inst = &f.insts[at as usize];
            operands(f, inst, &mut uses, &mut defs);
            if inst.is_pure() && defs.iter().all(|d| open[d.0 as usize].is_none()) {
                dead[at as usize] = true;
                continue;
            }
            for d in &defs {
                let end = open[d.0 as usize].take().unwrap_or(at * 2 + 1);
                push_range(&mut ranges[d.0 as usize], at * 2 + 1, end);
            }
            for u in &uses {
                open[u.0 as usize].get_or_insert(at * 2);
            }
        }
        // Whatever is still open is live in (live-in = upward-exposed uses
        // plus live-out values the block does not define).
        for v in live_in[b as usize].iter() {
            if let Some(end) = open[v as usize].take() {
                push_range(&mut ranges[v as usize], first, end);
            }
        }
        debug_assert!(open.iter().all(Option::is_none));
    }
    let mut intervals = Vec::new();
    for (v, r) in ranges.iter_mut().enumerate() {
        r.reverse();
        if let (Some(&(start, _)), Some(&(_, end))) = (r.first(), r.last()) {
            intervals.push(Interval {
                vreg: VReg(v as u32),
                start,
                end,
            });
        }
    }
    Liveness {
        live_out,
        intervals,
        ranges,
        dead,
    }
}

/// Add `[start, end]` to ranges being built from the end backwards (so in
/// descending order), merging it with the previous one if they touch.
fn push_range(r: &mut Ranges, start: u32, end: u32) {
    if let Some(last) = r.last_mut() {
        if end + 1 >= last.0 {
            last.0 = last.0.min(start);
            last.1 = last.1.max(end);
            return;
        }
    }
    r.push((start, end));
}
