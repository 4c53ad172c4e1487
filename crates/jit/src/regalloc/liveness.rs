//! Liveness by backward dataflow, and one live interval per virtual register.
//!
//! Instructions are numbered in layout order; instruction `i` reads its
//! operands at position `2i` and writes its results at `2i + 1`. A value
//! live into a block is live from the block's first position; a value live
//! out of it is live to the block's last position. Each vreg gets its exact
//! live ranges (with lifetime holes: wasm locals are vregs written many
//! times, often dead between uses) and their hull, its interval.
//!
//! Cost: three linear walks over the instructions and a dataflow fixpoint
//! over *global* vregs only. A vreg can be live into a block only if some
//! block reads it before writing it (an upward-exposed use), so only those
//! get a bit in the per-block sets; most vregs are temporaries local to one
//! block and never enter the dataflow. The sets are rows of one flat bit
//! matrix, and the live ranges of all vregs are one arena ([`RangeTable`]),
//! so the analysis allocates per function, not per block or per vreg.

use crate::ir::{Func, Inst, VReg};
use std::ops::Index;

/// No block, position or index.
const NONE: u32 = u32::MAX;

/// The registers one instruction reads and writes (see [`operands`]): up
/// to three fixed uses and one fixed definition, plus lists from the
/// function's pool for calls and returns. Building one allocates nothing.
#[derive(Clone, Copy, Debug)]
pub struct Operands<'a> {
    fixed_uses: [VReg; 3],
    n_uses: u8,
    use_list: &'a [u32],
    def: Option<VReg>,
    def_list: &'a [u32],
}

impl<'a> Operands<'a> {
    const NONE: Operands<'static> = Operands {
        fixed_uses: [VReg(0); 3],
        n_uses: 0,
        use_list: &[],
        def: None,
        def_list: &[],
    };

    fn fixed(uses: &[VReg], def: Option<VReg>) -> Operands<'a> {
        let mut o = Operands::NONE;
        o.fixed_uses[..uses.len()].copy_from_slice(uses);
        o.n_uses = uses.len() as u8;
        o.def = def;
        o
    }

    /// The registers read, in operand order.
    pub fn uses(&self) -> impl Iterator<Item = VReg> + 'a {
        let fixed = self.fixed_uses;
        fixed
            .into_iter()
            .take(self.n_uses as usize)
            .chain(self.use_list.iter().map(|&v| VReg(v)))
    }

    /// The registers written.
    pub fn defs(&self) -> impl Iterator<Item = VReg> + 'a {
        self.def
            .into_iter()
            .chain(self.def_list.iter().map(|&v| VReg(v)))
    }
}

/// Registers an instruction reads and writes.
pub fn operands<'a>(f: &'a Func, inst: &Inst) -> Operands<'a> {
    let list = |l: crate::ir::List| f.list_items(l);
    match *inst {
        Inst::Const { dst, .. }
        | Inst::GlobalGet { dst, .. }
        | Inst::FuncRef { dst, .. }
        | Inst::TableSize { dst, .. } => Operands::fixed(&[], Some(dst)),
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
        } => Operands::fixed(&[src], Some(dst)),
        Inst::IBin { dst, a, b, .. }
        | Inst::IDiv { dst, a, b, .. }
        | Inst::ICmp { dst, a, b, .. }
        | Inst::FBin { dst, a, b, .. }
        | Inst::FCmp { dst, a, b, .. } => Operands::fixed(&[a, b], Some(dst)),
        Inst::Select {
            dst, cond, a, b, ..
        } => Operands::fixed(&[cond, a, b], Some(dst)),
        Inst::Store { addr, value, .. }
        | Inst::TableSet {
            index: addr, value, ..
        } => Operands::fixed(&[addr, value], None),
        Inst::GlobalSet { src, .. } => Operands::fixed(&[src], None),
        Inst::Call { args, rets, .. } | Inst::Libcall { args, rets, .. } => Operands {
            use_list: list(args),
            def_list: list(rets),
            ..Operands::NONE
        },
        Inst::CallIndirect {
            index, args, rets, ..
        } => Operands {
            use_list: list(args),
            def_list: list(rets),
            ..Operands::fixed(&[index], None)
        },
        Inst::Branch { cond, .. } => Operands::fixed(&[cond], None),
        Inst::BranchCmp { a, b, .. } => Operands::fixed(&[a, b], None),
        Inst::BranchCmpImm { a, .. } => Operands::fixed(&[a], None),
        Inst::BrTable { index, .. } => Operands::fixed(&[index], None),
        Inst::Return { values } => Operands {
            use_list: list(values),
            ..Operands::NONE
        },
        Inst::Jump { .. } | Inst::Trap { .. } => Operands::NONE,
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

/// Where each vreg is live: sorted, disjoint, non-adjacent inclusive
/// position ranges. The gaps between them are lifetime holes, where its
/// register may hold other values. Indexed by vreg number (a vreg never
/// live has none); all vregs' ranges share one arena.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeTable {
    /// `ranges[starts[v]..starts[v + 1]]` are vreg `v`'s.
    starts: Vec<u32>,
    ranges: Vec<(u32, u32)>,
}

impl RangeTable {
    /// The ranges of `v`.
    pub fn get(&self, v: VReg) -> &[(u32, u32)] {
        &self[v.0 as usize]
    }

    /// The number of vregs.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Index<usize> for RangeTable {
    type Output = [(u32, u32)];

    fn index(&self, v: usize) -> &[(u32, u32)] {
        &self.ranges[self.starts[v] as usize..self.starts[v + 1] as usize]
    }
}

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

/// The intervals of all vregs that are ever live, and each vreg's live
/// ranges.
#[derive(Debug)]
pub struct Liveness {
    /// In vreg order.
    pub intervals: Vec<Interval>,
    pub ranges: RangeTable,
    /// Indexed by instruction: pure instructions whose result is never
    /// read (dead code; they get no ranges and are not emitted).
    pub dead: Vec<bool>,
}

/// Rows of bits, one row of `words` words per block.
struct BitMatrix {
    words: usize,
    bits: Vec<u64>,
}

impl BitMatrix {
    fn new(rows: usize, words: usize) -> BitMatrix {
        BitMatrix {
            words,
            bits: vec![0; rows * words],
        }
    }
    fn row(&self, r: usize) -> &[u64] {
        &self.bits[r * self.words..(r + 1) * self.words]
    }
    fn row_mut(&mut self, r: usize) -> &mut [u64] {
        &mut self.bits[r * self.words..(r + 1) * self.words]
    }
    fn insert(&mut self, r: usize, i: u32) {
        self.bits[r * self.words + i as usize / 64] |= 1 << (i % 64);
    }
}

/// The indices of the set bits of `row`.
fn ones(row: &[u64]) -> impl Iterator<Item = u32> + '_ {
    row.iter().enumerate().flat_map(|(w, &word)| {
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

/// Compute liveness of `f` (which must verify).
pub fn analyze(f: &Func) -> Liveness {
    let n = f.vregs.len();
    let nb = f.blocks.len();

    // 1. Per block (by id), its upward-exposed uses (`gen`) and the vregs
    //    it defines (`kill`), as runs of two lists. A vreg with an
    //    upward-exposed use somewhere is global and gets a dense index.
    let mut def_block = vec![NONE; n];
    let mut gen_block = vec![NONE; n];
    let mut global = vec![NONE; n];
    let mut globals: Vec<u32> = Vec::new();
    let mut gen_list: Vec<u32> = Vec::new();
    let mut kill_list: Vec<u32> = Vec::with_capacity(n);
    let mut gen_start: Vec<u32> = Vec::with_capacity(nb + 1);
    let mut kill_start: Vec<u32> = Vec::with_capacity(nb + 1);
    for (b, block) in f.blocks.iter().enumerate() {
        let b32 = b as u32;
        gen_start.push(gen_list.len() as u32);
        kill_start.push(kill_list.len() as u32);
        for inst in &f.insts[block.insts.start as usize..block.insts.end as usize] {
            let ops = operands(f, inst);
            for u in ops.uses() {
                let u = u.0 as usize;
                if def_block[u] != b32 && gen_block[u] != b32 {
                    gen_block[u] = b32;
                    gen_list.push(u as u32);
                    if global[u] == NONE {
                        global[u] = globals.len() as u32;
                        globals.push(u as u32);
                    }
                }
            }
            for d in ops.defs() {
                let d = d.0 as usize;
                if def_block[d] != b32 {
                    def_block[d] = b32;
                    kill_list.push(d as u32);
                }
            }
        }
    }
    gen_start.push(gen_list.len() as u32);
    kill_start.push(kill_list.len() as u32);
    drop((def_block, gen_block));

    // 2. The dataflow over global vregs: in = gen | (out - kill), out =
    //    the union of the successors' ins.
    let words = globals.len().div_ceil(64);
    let mut live_in = BitMatrix::new(nb, words);
    let mut live_out = BitMatrix::new(nb, words);
    if words > 0 {
        let mut gen = BitMatrix::new(nb, words);
        let mut kill = BitMatrix::new(nb, words);
        for b in 0..nb {
            for &v in &gen_list[gen_start[b] as usize..gen_start[b + 1] as usize] {
                gen.insert(b, global[v as usize]);
            }
            for &v in &kill_list[kill_start[b] as usize..kill_start[b + 1] as usize] {
                let g = global[v as usize];
                if g != NONE {
                    kill.insert(b, g);
                }
            }
        }
        // Successors, flattened once.
        let mut succ_start: Vec<u32> = Vec::with_capacity(nb + 1);
        let mut succs: Vec<u32> = Vec::with_capacity(2 * nb);
        for b in 0..nb {
            succ_start.push(succs.len() as u32);
            succs.extend(f.successors(crate::ir::BlockId(b as u32)).map(|s| s.0));
        }
        succ_start.push(succs.len() as u32);
        let mut changed = true;
        while changed {
            changed = false;
            // Reverse layout order converges fast for mostly-forward code.
            for &crate::ir::BlockId(b) in f.layout.iter().rev() {
                let b = b as usize;
                let out = live_out.row_mut(b);
                for &s in &succs[succ_start[b] as usize..succ_start[b + 1] as usize] {
                    for (o, i) in out.iter_mut().zip(live_in.row(s as usize)) {
                        *o |= i;
                    }
                }
                let (g, k) = (gen.row(b), kill.row(b));
                for (w, i) in live_in.row_mut(b).iter_mut().enumerate() {
                    let new = g[w] | (out[w] & !k[w]);
                    if new != *i {
                        *i = new;
                        changed = true;
                    }
                }
            }
        }
    }
    drop((gen_list, kill_list, gen_start, kill_start, global));

    // 3. Ranges, built backwards into one list: a range opens (at its end)
    //    where a value is live out or used, and closes at its definition
    //    or the block's start. A definition nobody reads still occupies
    //    its own position, unless the instruction is pure: then it is
    //    dead, and so are its uses.
    let mut dead = vec![false; f.insts.len()];
    let mut open = vec![NONE; n];
    let mut n_open = 0usize;
    // (vreg, start, end), each vreg's in descending order; `latest[v]`
    // indexes v's last one.
    let mut built: Vec<(u32, u32, u32)> = Vec::with_capacity(f.insts.len());
    let mut latest = vec![NONE; n];
    for &crate::ir::BlockId(b) in f.layout.iter().rev() {
        let insts = f.blocks[b as usize].insts.clone();
        let (first, last) = (insts.start * 2, insts.end * 2 - 1);
        for g in ones(live_out.row(b as usize)) {
            open[globals[g as usize] as usize] = last;
            n_open += 1;
        }
        for at in insts.rev() {
            let inst = &f.insts[at as usize];
            let ops = operands(f, inst);
            if inst.is_pure() && ops.defs().all(|d| open[d.0 as usize] == NONE) {
                dead[at as usize] = true;
                continue;
            }
            for d in ops.defs() {
                let o = &mut open[d.0 as usize];
                let end = if *o == NONE {
                    at * 2 + 1
                } else {
                    n_open -= 1;
                    std::mem::replace(o, NONE)
                };
                push_range(&mut built, &mut latest, d.0, at * 2 + 1, end);
            }
            for u in ops.uses() {
                let o = &mut open[u.0 as usize];
                if *o == NONE {
                    *o = at * 2;
                    n_open += 1;
                }
            }
        }
        // Whatever is still open is live in (live-in = upward-exposed uses
        // plus live-out values the block does not define).
        for g in ones(live_in.row(b as usize)) {
            let v = globals[g as usize];
            let o = &mut open[v as usize];
            if *o != NONE {
                let end = std::mem::replace(o, NONE);
                n_open -= 1;
                push_range(&mut built, &mut latest, v, first, end);
            }
        }
        debug_assert_eq!(n_open, 0, "a value is live into block {b} but not global");
    }

    // 4. Group the ranges by vreg (a counting sort), ascending.
    let mut starts = vec![0u32; n + 1];
    for &(v, ..) in &built {
        starts[v as usize + 1] += 1;
    }
    for v in 0..n {
        starts[v + 1] += starts[v];
    }
    // `latest` becomes each vreg's fill cursor, filling from the end.
    latest.copy_from_slice(&starts[1..]);
    let mut ranges = vec![(0, 0); built.len()];
    for &(v, start, end) in &built {
        let c = &mut latest[v as usize];
        *c -= 1;
        ranges[*c as usize] = (start, end);
    }
    let mut intervals = Vec::with_capacity(n);
    for v in 0..n {
        let (s, e) = (starts[v] as usize, starts[v + 1] as usize);
        if s < e {
            intervals.push(Interval {
                vreg: VReg(v as u32),
                start: ranges[s].0,
                end: ranges[e - 1].1,
            });
        }
    }
    Liveness {
        intervals,
        ranges: RangeTable { starts, ranges },
        dead,
    }
}

/// Add `[start, end]` to vreg `v`'s ranges, which are being built from the
/// end backwards (so in descending order), merging it with the previous
/// one if they touch.
fn push_range(built: &mut Vec<(u32, u32, u32)>, latest: &mut [u32], v: u32, start: u32, end: u32) {
    let l = latest[v as usize];
    if l != NONE {
        let last = &mut built[l as usize];
        if end + 1 >= last.1 {
            last.1 = last.1.min(start);
            last.2 = last.2.max(end);
            return;
        }
    }
    latest[v as usize] = built.len() as u32;
    built.push((v, start, end));
}
