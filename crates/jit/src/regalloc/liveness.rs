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
//! so the analysis allocates per function, not per block or per vreg. The
//! backward walk keeps the set of open globals as bits too: at a block
//! boundary a value live on both sides stays open (word operations find
//! the values whose ranges start or end there), so a value live through
//! many blocks costs nothing in the blocks that do not touch it. A single
//! block (most small functions) skips the dataflow and the bits.

use super::sparse_live::LiveSets;
use crate::error::JitError;
use crate::ir::{BlockId, Func, Inst, VReg};
use std::ops::Index;

/// No block, position or index.
const NONE: u32 = u32::MAX;

/// The largest bit matrix (blocks x global vregs, in 64-bit words) the
/// dense analysis builds: 16 MiB a set, four sets. Larger functions get
/// their sets as lists ([`LiveSets`]), which cost 12 bytes per (block,
/// live value) pair instead of 4 bits per (block, global value).
const DENSE_MAX_WORDS: usize = 1 << 21;

/// The budget of (block, live value) pairs for the list form: a base
/// (about as much memory as the largest dense matrices) plus a multiple
/// of the instruction count. Beyond it the function stays interpreted.
const SPARSE_BASE_PAIRS: usize = 1 << 22;
const SPARSE_PAIRS_PER_INST: usize = 16;

/// The registers one instruction reads and writes (see [`operands`]): up
/// to four fixed uses and one fixed definition, plus lists from the
/// function's pool for calls and returns. Building one allocates nothing.
#[derive(Clone, Copy, Debug)]
pub struct Operands<'a> {
    fixed_uses: [VReg; 4],
    n_uses: u8,
    use_list: &'a [u32],
    def: Option<VReg>,
    def_list: &'a [u32],
}

impl<'a> Operands<'a> {
    const NONE: Operands<'static> = Operands {
        fixed_uses: [VReg(0); 4],
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

    /// Call `f` on each register read, in operand order (cheaper than
    /// iterating [`Operands::uses`] in a loop).
    pub fn for_each_use(&self, mut f: impl FnMut(VReg)) {
        for &v in &self.fixed_uses[..self.n_uses as usize] {
            f(v);
        }
        for &v in self.use_list {
            f(VReg(v));
        }
    }

    /// Call `f` on each register written.
    pub fn for_each_def(&self, mut f: impl FnMut(VReg)) {
        if let Some(d) = self.def {
            f(d);
        }
        for &v in self.def_list {
            f(VReg(v));
        }
    }

    /// The registers written.
    pub fn defs(&self) -> impl Iterator<Item = VReg> + 'a {
        self.def
            .into_iter()
            .chain(self.def_list.iter().map(|&v| VReg(v)))
    }
}

/// Registers an instruction reads and writes.
#[inline(always)]
pub fn operands<'a>(f: &'a Func, inst: &Inst) -> Operands<'a> {
    let list = |l: crate::ir::List| f.list_items(l);
    match *inst {
        Inst::Const { dst, .. }
        | Inst::GlobalGet { dst, .. }
        | Inst::FuncRef { dst, .. }
        | Inst::TableSize { dst, .. } => Operands::fixed(&[], Some(dst)),
        Inst::Move { dst, src, .. }
        | Inst::IBinImm { dst, a: src, .. }
        | Inst::IDivImm { dst, a: src, .. }
        | Inst::IUn { dst, src, .. }
        | Inst::Eqz { dst, src, .. }
        | Inst::ICmpImm { dst, a: src, .. }
        | Inst::FUn { dst, src, .. }
        | Inst::Convert { dst, src, .. }
        | Inst::Load { dst, addr: src, .. }
        | Inst::AtomicLoad { dst, addr: src, .. }
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
        Inst::SelectCmp {
            dst, x, y, a, b, ..
        } => match y {
            crate::ir::CmpRhs::Reg(y) => Operands::fixed(&[x, y, a, b], Some(dst)),
            crate::ir::CmpRhs::Imm(_) => Operands::fixed(&[x, a, b], Some(dst)),
        },
        Inst::AtomicRmw {
            dst, addr, value, ..
        } => Operands::fixed(&[addr, value], Some(dst)),
        Inst::AtomicCmpxchg {
            dst,
            addr,
            expected,
            replacement,
            ..
        } => Operands::fixed(&[addr, expected, replacement], Some(dst)),
        Inst::Store { addr, value, .. }
        | Inst::AtomicStore { addr, value, .. }
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
        Inst::BranchFCmp { a, b, .. } => Operands::fixed(&[a, b], None),
        Inst::BrTable { index, .. } => Operands::fixed(&[index], None),
        Inst::Return { values } => Operands {
            use_list: list(values),
            ..Operands::NONE
        },
        Inst::Landing { rets, .. } => Operands {
            def_list: list(rets),
            ..Operands::NONE
        },
        Inst::Jump { .. }
        | Inst::Throwing { .. }
        | Inst::Trap { .. }
        | Inst::AtomicFence
        | Inst::EpochCheck
        | Inst::ConsumeFuel => Operands::NONE,
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

    /// A table of the given ranges, per vreg (for tests).
    #[cfg(test)]
    pub(crate) fn from_lists(lists: &[&[(u32, u32)]]) -> RangeTable {
        let mut t = RangeTable::default();
        t.starts.push(0);
        for l in lists {
            t.ranges.extend_from_slice(l);
            t.starts.push(t.ranges.len() as u32);
        }
        t
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
#[derive(Debug, Default)]
pub struct Liveness {
    /// In vreg order.
    pub intervals: Vec<Interval>,
    pub ranges: RangeTable,
    /// Indexed by instruction: pure instructions whose result is never
    /// read (dead code; they get no ranges and are not emitted).
    pub dead: Vec<bool>,
}

/// Buffers the analysis reuses from one function to the next, so that it
/// allocates only what it returns. They keep the size of the largest
/// function seen (see [`Scratch::trim`]).
#[derive(Debug, Default)]
pub struct Scratch {
    /// Per vreg: five arrays of `n` (see `analyze_into`).
    per_vreg: Vec<u32>,
    /// Ranges as built: (vreg, start, end).
    built: Vec<(u32, u32, u32)>,
    /// Per block, upward-exposed uses and definitions, in runs.
    gens: Vec<u32>,
    kills: Vec<u32>,
    runs: Vec<u32>,
    /// The global vregs, by dense index.
    globals: Vec<u32>,
    /// gen, kill and live-in rows; live-out rows.
    sets: Vec<u64>,
    out: Vec<u64>,
    /// The globals open during the walk, as bits.
    open_bits: Vec<u64>,
    /// Live sets as lists, for large functions.
    sparse: LiveSets,
}

impl Scratch {
    /// Release buffers grown past what a typical function needs, so one
    /// huge function does not pin its memory for the thread's life.
    pub fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        let grown = [
            self.per_vreg.capacity() / 5,
            self.built.capacity(),
            self.gens.capacity(),
            self.kills.capacity(),
            self.runs.capacity() / 2,
            self.globals.capacity(),
            self.sets.capacity() / 3,
            self.out.capacity(),
        ];
        if grown.iter().any(|&c| c > KEEP) || self.sparse.grown_past(KEEP) {
            *self = Scratch::default();
        }
    }
}

/// Per block, its upward-exposed uses (gen) and the vregs it defines
/// (kill): block b's are `gens[runs[2b]..runs[2b + 2]]` and
/// `kills[runs[2b + 1]..runs[2b + 3]]`. A vreg with an upward-exposed use
/// somewhere is global and gets a dense index in `global` (its position
/// in `globals`). `def_block`, `gen_block` and `global` are per-vreg
/// scratch filled with `NONE`.
fn exposed_uses(
    f: &Func,
    s: &mut Scratch,
    def_block: &mut [u32],
    gen_block: &mut [u32],
    global: &mut [u32],
) {
    // 1. Per block (by id), its upward-exposed uses (gen) and the vregs it
    //    defines (kill): block b's are `gens[runs[2b]..runs[2b + 2]]` and
    //    `kills[runs[2b + 1]..runs[2b + 3]]`. A vreg with an
    //    upward-exposed use somewhere is global and gets a dense index.
    let (gens, kills, runs, globals) = (&mut s.gens, &mut s.kills, &mut s.runs, &mut s.globals);
    gens.clear();
    kills.clear();
    runs.clear();
    globals.clear();
    for (b, block) in f.blocks.iter().enumerate() {
        let b32 = b as u32;
        runs.push(gens.len() as u32);
        runs.push(kills.len() as u32);
        for inst in &f.insts[block.insts.start as usize..block.insts.end as usize] {
            let ops = operands(f, inst);
            ops.for_each_use(|u| {
                let u = u.0 as usize;
                if def_block[u] != b32 && gen_block[u] != b32 {
                    gen_block[u] = b32;
                    gens.push(u as u32);
                    if global[u] == NONE {
                        global[u] = globals.len() as u32;
                        globals.push(u as u32);
                    }
                }
            });
            ops.for_each_def(|d| {
                if def_block[d.0 as usize] != b32 {
                    def_block[d.0 as usize] = b32;
                    kills.push(d.0);
                }
            });
        }
    }
    runs.push(gens.len() as u32);
    runs.push(kills.len() as u32);
}

/// Live-out sets of every block (by id), over the global vregs only (see
/// [`exposed_uses`], which must have run): row `b` of `out` holds `words`
/// words, bit `g` standing for vreg `globals[g]`. Returns `words`.
fn dense_live_out(f: &Func, s: &mut Scratch, global: &[u32]) -> usize {
    let nb = f.blocks.len();
    let (gens, kills, runs) = (&s.gens, &s.kills, &s.runs);
    let words = s.globals.len().div_ceil(64);
    s.out.clear();
    s.out.resize(nb * words, 0);
    if words == 0 {
        return 0;
    }

    // 2. in = gen | (out - kill); out = the union of the successors' ins.
    let row = |r: usize| r * words..(r + 1) * words;
    s.sets.clear();
    s.sets.resize(3 * nb * words, 0);
    let (gen, rest) = s.sets.split_at_mut(nb * words);
    let (kill, live_in) = rest.split_at_mut(nb * words);
    for b in 0..nb {
        for &v in &gens[runs[2 * b] as usize..runs[2 * b + 2] as usize] {
            let i = global[v as usize] as usize;
            gen[b * words + i / 64] |= 1 << (i % 64);
        }
        for &v in &kills[runs[2 * b + 1] as usize..runs[2 * b + 3] as usize] {
            let i = global[v as usize];
            if i != NONE {
                let i = i as usize;
                kill[b * words + i / 64] |= 1 << (i % 64);
            }
        }
    }
    let mut changed = true;
    while changed {
        changed = false;
        // Reverse layout order converges fast for mostly-forward code.
        for &BlockId(b) in f.layout.iter().rev() {
            let b = b as usize;
            let o = &mut s.out[row(b)];
            for succ in f.successors(BlockId(b as u32)) {
                for (o, i) in o.iter_mut().zip(&live_in[row(succ.0 as usize)]) {
                    *o |= i;
                }
            }
            let (g, k) = (&gen[row(b)], &kill[row(b)]);
            for (w, i) in live_in[row(b)].iter_mut().enumerate() {
                let new = g[w] | (o[w] & !k[w]);
                if new != *i {
                    *i = new;
                    changed = true;
                }
            }
        }
    }
    words
}

/// The vregs (of `globals`) whose bits are set in `row`.
fn members<'a>(row: &'a [u64], globals: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    row.iter().enumerate().flat_map(move |(w, &word)| {
        let mut bits = word;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                globals[w * 64 + b as usize]
            })
        })
    })
}

/// The values open (live, walking backwards): where each one's range
/// ends, and, as bits by dense index (see [`live_out`]), which global
/// vregs are open. Only globals can be open at a block's start (a value
/// live into a block is read before it is written there).
///
/// `G`: whether there are globals (more than one block); a single block
/// needs no bits.
struct Open<'a, const G: bool> {
    end: &'a mut [u32],
    /// Per vreg: its dense index if it is global, else `NONE`.
    global: &'a [u32],
    bits: &'a mut [u64],
}

impl<const G: bool> Open<'_, G> {
    fn is_open(&self, v: u32) -> bool {
        self.end[v as usize] != NONE
    }

    /// Open `v`'s range at `end`, unless it is open.
    fn open(&mut self, v: u32, end: u32) {
        let v = v as usize;
        if self.end[v] == NONE {
            self.end[v] = end;
            if G {
                let g = self.global[v];
                if g != NONE {
                    self.bits[g as usize / 64] |= 1 << (g % 64);
                }
            }
        }
    }

    /// Close `v`'s range, returning its end if it was open.
    fn close(&mut self, v: u32) -> Option<u32> {
        let end = std::mem::replace(&mut self.end[v as usize], NONE);
        if end == NONE {
            return None;
        }
        if G {
            let g = self.global[v as usize];
            if g != NONE {
                self.bits[g as usize / 64] &= !(1 << (g % 64));
            }
        }
        Some(end)
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Run `f` with this thread's scratch buffers (or fresh ones if they are
/// in use further up the stack).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            let r = f(&mut s);
            s.trim();
            r
        }
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Compute liveness of `f` (which must verify); fails only for a function
/// whose liveness is too large for the JIT's budget.
pub fn analyze(f: &Func) -> Result<Liveness, JitError> {
    with_scratch(|s| {
        let mut out = Liveness::default();
        analyze_into(f, s, &mut out)?;
        Ok(out)
    })
}

/// [`analyze`] with the given scratch buffers, into `out` (whose buffers
/// are reused; whatever it held is replaced).
pub fn analyze_into(f: &Func, s: &mut Scratch, out: &mut Liveness) -> Result<(), JitError> {
    analyze_with(f, s, out, DENSE_MAX_WORDS)
}

/// [`analyze_into`], with live sets as bits when the matrix has at most
/// `dense_max_words` words and as lists otherwise.
pub(crate) fn analyze_with(
    f: &Func,
    s: &mut Scratch,
    out: &mut Liveness,
    dense_max_words: usize,
) -> Result<(), JitError> {
    let n = f.vregs.len();
    // Per-vreg scratch: five arrays (two only for `live_out`); a single
    // block (nothing live out) needs two.
    let multi = f.blocks.len() > 1;
    let mut per_vreg = std::mem::take(&mut s.per_vreg);
    per_vreg.clear();
    per_vreg.resize(if multi { 5 * n } else { 2 * n }, NONE);
    let (open, rest) = per_vreg.split_at_mut(n);
    let (latest, rest) = rest.split_at_mut(n);

    // Ranges, built backwards into one list: a range opens (at its end)
    // where a value is live out or used, and closes at its definition or
    // the block's start (where whatever is still open is live in). A
    // definition nobody reads still occupies its own position, unless
    // the instruction is pure: then it is dead, and so are its uses.
    let dead = &mut out.dead;
    dead.clear();
    dead.resize(f.insts.len(), false);
    // (vreg, start, end), each vreg's in descending order; `latest[v]`
    // indexes v's last one.
    s.built.clear();
    if !multi {
        let mut open = Open::<false> {
            end: open,
            global: &[],
            bits: &mut [],
        };
        let built = &mut s.built;
        walk_block(f, f.blocks[0].insts.clone(), &mut open, built, latest, dead);
        // What is still open is live into the function.
        for v in 0..n as u32 {
            if let Some(end) = open.close(v) {
                push_range(built, latest, v, 0, end);
            }
        }
    } else {
        let (def_block, rest) = rest.split_at_mut(n);
        let (gen_block, global) = rest.split_at_mut(n);
        exposed_uses(f, s, def_block, gen_block, global);
        let words = s.globals.len().div_ceil(64);
        if f.blocks.len() * words <= dense_max_words {
            dense_ranges(f, s, open, global, latest, dead);
        } else {
            // `gen_block` is free again: it marks the live-outs of the
            // block before the one being walked.
            gen_block.fill(NONE);
            sparse_ranges(f, s, open, global, gen_block, latest, dead)?;
        }
    }
    let built = &s.built;

    // Group the ranges by vreg (a counting sort), ascending.
    let RangeTable { starts, ranges } = &mut out.ranges;
    starts.clear();
    starts.resize(n + 1, 0);
    for &(v, ..) in built.iter() {
        starts[v as usize + 1] += 1;
    }
    // (A running sum: adding each entry to the one before waits on that
    // store.)
    let mut sum = 0;
    for c in starts.iter_mut() {
        sum += *c;
        *c = sum;
    }
    // `latest` becomes each vreg's fill cursor, filling from the end.
    latest.copy_from_slice(&starts[1..]);
    ranges.clear();
    ranges.resize(built.len(), (0, 0));
    for &(v, start, end) in built.iter() {
        let c = &mut latest[v as usize];
        *c -= 1;
        ranges[*c as usize] = (start, end);
    }
    let intervals = &mut out.intervals;
    intervals.clear();
    intervals.reserve(n);
    for (v, w) in starts.windows(2).enumerate() {
        let (s, e) = (w[0] as usize, w[1] as usize);
        if s < e {
            intervals.push(Interval {
                vreg: VReg(v as u32),
                start: ranges[s].0,
                end: ranges[e - 1].1,
            });
        }
    }
    s.per_vreg = per_vreg;
    Ok(())
}

/// The live ranges of a function with more than one block, from live-out
/// sets as rows of a bit matrix (blocks x global vregs; small functions).
fn dense_ranges(
    f: &Func,
    s: &mut Scratch,
    open: &mut [u32],
    global: &[u32],
    latest: &mut [u32],
    dead: &mut [bool],
) {
    let words = dense_live_out(f, s, global);
    s.open_bits.clear();
    s.open_bits.resize(words, 0);
    let mut open = Open::<true> {
        end: open,
        global,
        bits: &mut s.open_bits,
    };
    let (out_rows, globals, built) = (&s.out, &s.globals, &mut s.built);
    let row = |b: BlockId| &out_rows[b.0 as usize * words..(b.0 as usize + 1) * words];
    // The last block's live-outs (the others' are opened at the
    // boundary with the block after them).
    if let Some(&b) = f.layout.last() {
        let last = f.blocks[b.0 as usize].insts.end * 2 - 1;
        for v in members(row(b), globals) {
            open.open(v, last);
        }
    }
    for (k, &b) in f.layout.iter().enumerate().rev() {
        let insts = f.blocks[b.0 as usize].insts.clone();
        let first = insts.start * 2;
        walk_block(f, insts, &mut open, built, latest, dead);
        // The block's start: the values open here are live in. Those
        // also live out of the block before it in the layout stay open
        // (their range goes on there); the others' ranges start here.
        // That block's other live-outs open at its end.
        let before = k.checked_sub(1).map(|k| row(f.layout[k]));
        for w in 0..words {
            let open_here = open.bits[w];
            let out_before = before.map_or(0, |r| r[w]);
            let mut closing = open_here & !out_before;
            while closing != 0 {
                let v = globals[w * 64 + closing.trailing_zeros() as usize];
                closing &= closing - 1;
                let end = open.close(v).expect("an open value");
                push_range(built, latest, v, first, end);
            }
            let mut opening = out_before & !open_here;
            while opening != 0 {
                let v = globals[w * 64 + opening.trailing_zeros() as usize];
                opening &= opening - 1;
                open.open(v, first - 1);
            }
        }
    }
}

/// The live ranges of a function whose bit matrix would be too large,
/// from live-in and live-out lists ([`LiveSets`]); fails if those exceed
/// their budget. `stamp` is per-vreg scratch filled with `NONE`.
fn sparse_ranges(
    f: &Func,
    s: &mut Scratch,
    open: &mut [u32],
    global: &[u32],
    stamp: &mut [u32],
    latest: &mut [u32],
    dead: &mut [bool],
) -> Result<(), JitError> {
    let budget = SPARSE_BASE_PAIRS + SPARSE_PAIRS_PER_INST * f.insts.len();
    let sets = &mut s.sparse;
    sets.compute(f, &s.gens, &s.kills, &s.runs, global, &s.globals, budget)
        .map_err(|pairs| JitError::TooLarge {
            reason: format!(
                "more than {pairs} (block, live value) pairs in {} blocks and {} instructions (budget {budget})",
                f.blocks.len(),
                f.insts.len()
            ),
        })?;
    let mut open = Open::<false> {
        end: open,
        global: &[],
        bits: &mut [],
    };
    let built = &mut s.built;
    if let Some(&b) = f.layout.last() {
        let last = f.blocks[b.0 as usize].insts.end * 2 - 1;
        for &v in sets.live_out(b) {
            open.open(v, last);
        }
    }
    for (k, &b) in f.layout.iter().enumerate().rev() {
        let insts = f.blocks[b.0 as usize].insts.clone();
        let first = insts.start * 2;
        walk_block(f, insts, &mut open, built, latest, dead);
        // As in `dense_ranges`: what is open here is live in; values also
        // live out of the block before stay open, the others' ranges
        // start here, and that block's other live-outs open at its end.
        let before = k.checked_sub(1).map(|k| f.layout[k]);
        let mark = k as u32;
        if let Some(p) = before {
            for &v in sets.live_out(p) {
                stamp[v as usize] = mark;
            }
        }
        for &v in sets.live_in(b) {
            if stamp[v as usize] != mark {
                if let Some(end) = open.close(v) {
                    push_range(built, latest, v, first, end);
                }
            }
        }
        if let Some(p) = before {
            for &v in sets.live_out(p) {
                open.open(v, first - 1);
            }
        }
    }
    Ok(())
}

/// Walk the instructions `insts` of one block backwards: close the ranges
/// of what they define, open those of what they read; a pure instruction
/// defining nothing open is dead.
#[inline(always)]
fn walk_block<const G: bool>(
    f: &Func,
    insts: std::ops::Range<u32>,
    open: &mut Open<'_, G>,
    built: &mut Vec<(u32, u32, u32)>,
    latest: &mut [u32],
    dead: &mut [bool],
) {
    for at in insts.rev() {
        let inst = &f.insts[at as usize];
        let ops = operands(f, inst);
        // (Most results are read: the cheap test first.)
        if ops.def.is_none_or(|d| !open.is_open(d.0))
            && ops.def_list.iter().all(|&d| !open.is_open(d))
            && inst.is_pure()
        {
            dead[at as usize] = true;
            continue;
        }
        ops.for_each_def(|d| {
            let end = open.close(d.0).unwrap_or(at * 2 + 1);
            push_range(built, latest, d.0, at * 2 + 1, end);
        });
        ops.for_each_use(|u| open.open(u.0, at * 2));
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
