//! Live-in and live-out sets as lists, for functions whose dense bit
//! matrix (blocks x global vregs) would be too large.
//!
//! The dense analysis in [`super::liveness`] costs blocks x globals bits
//! four times over, whatever the values' real extent: 60,000 nested `if`
//! blocks with results make 180,000 blocks and 60,000 globals, 5 GB of
//! bits for values that each live across two blocks. Here each global is
//! followed backwards from the blocks that read it before writing it, to
//! the blocks that define it (path exploration, as in Brandner et al.,
//! "Computing Liveness Sets for SSA-Form Programs"): the cost is the size
//! of the answer, the (block, vreg) pairs where a value is live, plus the
//! edges. That size has its own budget: a function where it explodes
//! (thousands of values live across thousands of blocks) is refused and
//! stays in the interpreter.

use crate::ir::{BlockId, Func};

/// No block or index.
const NONE: u32 = u32::MAX;

/// The sets, as compressed rows by block id: block `b`'s live-ins are
/// `ins[in_starts[b]..in_starts[b + 1]]`, its live-outs likewise; both
/// hold vreg numbers.
#[derive(Debug, Default)]
pub(super) struct LiveSets {
    pub in_starts: Vec<u32>,
    pub ins: Vec<u32>,
    pub out_starts: Vec<u32>,
    pub outs: Vec<u32>,
    /// Scratch: predecessors (compressed rows), per-global rows of the
    /// blocks with upward-exposed uses and of the blocks defining it,
    /// per-block marks, the worklist and the pairs as found.
    pred_starts: Vec<u32>,
    preds: Vec<u32>,
    use_starts: Vec<u32>,
    uses: Vec<u32>,
    def_starts: Vec<u32>,
    defs: Vec<u32>,
    def_mark: Vec<u32>,
    in_mark: Vec<u32>,
    out_mark: Vec<u32>,
    work: Vec<u32>,
    in_pairs: Vec<(u32, u32)>,
    out_pairs: Vec<(u32, u32)>,
}

impl LiveSets {
    /// The live-ins of block `b`.
    pub fn live_in(&self, b: BlockId) -> &[u32] {
        let b = b.0 as usize;
        &self.ins[self.in_starts[b] as usize..self.in_starts[b + 1] as usize]
    }

    /// The live-outs of block `b`.
    pub fn live_out(&self, b: BlockId) -> &[u32] {
        let b = b.0 as usize;
        &self.outs[self.out_starts[b] as usize..self.out_starts[b + 1] as usize]
    }

    /// Whether the buffers grew past `keep` entries.
    pub fn grown_past(&self, keep: usize) -> bool {
        self.ins.capacity() > keep
            || self.outs.capacity() > keep
            || self.preds.capacity() > keep
            || self.in_pairs.capacity() > keep
            || self.out_pairs.capacity() > keep
    }

    /// Compute the sets of `f` from its per-block upward-exposed uses
    /// (`gens`) and definitions (`kills`), laid out as in `live_out` of
    /// [`super::liveness`]: block b's are `gens[runs[2b]..runs[2b + 2]]`
    /// and `kills[runs[2b + 1]..runs[2b + 3]]`. `global[v]` is vreg v's
    /// dense index among the `globals` (`NONE` if it is local to a
    /// block). Fails when the pairs found exceed `budget`.
    #[allow(clippy::too_many_arguments)]
    pub fn compute(
        &mut self,
        f: &Func,
        gens: &[u32],
        kills: &[u32],
        runs: &[u32],
        global: &[u32],
        globals: &[u32],
        budget: usize,
    ) -> Result<(), usize> {
        let nb = f.blocks.len();
        let ng = globals.len();
        // Predecessors, as compressed rows (a counting sort of the edges).
        let mut pred_starts = std::mem::take(&mut self.pred_starts);
        let mut preds = std::mem::take(&mut self.preds);
        pred_starts.clear();
        pred_starts.resize(nb + 1, 0);
        for b in 0..nb {
            for s in f.successors(BlockId(b as u32)) {
                pred_starts[s.0 as usize + 1] += 1;
            }
        }
        prefix_sum(&mut pred_starts);
        preds.clear();
        preds.resize(pred_starts[nb] as usize, 0);
        let mut fill = pred_starts.clone();
        for b in 0..nb {
            for s in f.successors(BlockId(b as u32)) {
                let c = &mut fill[s.0 as usize];
                preds[*c as usize] = b as u32;
                *c += 1;
            }
        }
        // Per global: the blocks reading it before writing it, and the
        // blocks writing it.
        let (use_starts, uses) = (&mut self.use_starts, &mut self.uses);
        let (def_starts, defs) = (&mut self.def_starts, &mut self.defs);
        rows_by_global(nb, gens, runs, 0, global, ng, use_starts, uses);
        rows_by_global(nb, kills, runs, 1, global, ng, def_starts, defs);

        // Follow each global backwards from its uses. A block reached is
        // live-in unless it defines the value; its predecessors are
        // live-out. Marks hold the global last seen, so they need no
        // clearing between globals.
        for m in [&mut self.def_mark, &mut self.in_mark, &mut self.out_mark] {
            m.clear();
            m.resize(nb, NONE);
        }
        let (in_pairs, out_pairs) = (&mut self.in_pairs, &mut self.out_pairs);
        in_pairs.clear();
        out_pairs.clear();
        let work = &mut self.work;
        for g in 0..ng as u32 {
            let gi = g as usize;
            let v = globals[gi];
            for &b in &defs[def_starts[gi] as usize..def_starts[gi + 1] as usize] {
                self.def_mark[b as usize] = g;
            }
            work.clear();
            for &b in &uses[use_starts[gi] as usize..use_starts[gi + 1] as usize] {
                if self.in_mark[b as usize] != g {
                    self.in_mark[b as usize] = g;
                    in_pairs.push((b, v));
                    work.push(b);
                }
            }
            while let Some(b) = work.pop() {
                let b = b as usize;
                for &p in &preds[pred_starts[b] as usize..pred_starts[b + 1] as usize] {
                    let pu = p as usize;
                    if self.out_mark[pu] != g {
                        self.out_mark[pu] = g;
                        out_pairs.push((p, v));
                    }
                    if self.def_mark[pu] != g && self.in_mark[pu] != g {
                        self.in_mark[pu] = g;
                        in_pairs.push((p, v));
                        work.push(p);
                    }
                }
            }
            if in_pairs.len() + out_pairs.len() > budget {
                self.pred_starts = pred_starts;
                self.preds = preds;
                return Err(in_pairs.len() + out_pairs.len());
            }
        }
        group_by_block(nb, in_pairs, &mut self.in_starts, &mut self.ins);
        group_by_block(nb, out_pairs, &mut self.out_starts, &mut self.outs);
        self.pred_starts = pred_starts;
        self.preds = preds;
        Ok(())
    }
}

/// Turn counts (shifted by one) into row starts.
fn prefix_sum(starts: &mut [u32]) {
    let mut sum = 0;
    for c in starts.iter_mut() {
        sum += *c;
        *c = sum;
    }
}

/// Regroup the per-block vreg lists `items` (block b's are
/// `items[runs[2b + k]..runs[2b + 2 + k]]`) by global: row g of
/// (`starts`, `rows`) lists the blocks whose list holds `globals[g]`.
/// Vregs that are not global are skipped.
#[allow(clippy::too_many_arguments)]
fn rows_by_global(
    nb: usize,
    items: &[u32],
    runs: &[u32],
    k: usize,
    global: &[u32],
    ng: usize,
    starts: &mut Vec<u32>,
    rows: &mut Vec<u32>,
) {
    let block_items = |b: usize| &items[runs[2 * b + k] as usize..runs[2 * b + 2 + k] as usize];
    starts.clear();
    starts.resize(ng + 1, 0);
    for b in 0..nb {
        for &v in block_items(b) {
            if global[v as usize] != NONE {
                starts[global[v as usize] as usize + 1] += 1;
            }
        }
    }
    prefix_sum(starts);
    rows.clear();
    rows.resize(starts[ng] as usize, 0);
    let mut fill: Vec<u32> = starts[..ng].to_vec();
    for b in 0..nb {
        for &v in block_items(b) {
            let g = global[v as usize];
            if g != NONE {
                rows[fill[g as usize] as usize] = b as u32;
                fill[g as usize] += 1;
            }
        }
    }
}

/// Group (block, vreg) pairs into compressed rows by block.
fn group_by_block(nb: usize, pairs: &[(u32, u32)], starts: &mut Vec<u32>, rows: &mut Vec<u32>) {
    starts.clear();
    starts.resize(nb + 1, 0);
    for &(b, _) in pairs {
        starts[b as usize + 1] += 1;
    }
    prefix_sum(starts);
    rows.clear();
    rows.resize(pairs.len(), 0);
    let mut fill: Vec<u32> = starts[..nb].to_vec();
    for &(b, v) in pairs {
        rows[fill[b as usize] as usize] = v;
        fill[b as usize] += 1;
    }
}
