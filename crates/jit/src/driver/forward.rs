//! Blocks that only jump: branches to them go straight to where they lead
//! (the block itself is not emitted), unless it enters a loop with split
//! values, whose loads it holds.

use crate::ir::{BlockId, Func, Inst};
use crate::regalloc::Allocation;

/// For each block that does nothing but jump (all its other instructions
/// dead), the block it leads to in the end, into `forward`; `None` for the
/// others, for the entry block, and around cycles of such blocks. `direct`
/// is scratch.
pub(crate) fn forwarding_targets(
    f: &Func,
    alloc: &Allocation,
    direct: &mut Vec<Option<BlockId>>,
    forward: &mut Vec<Option<BlockId>>,
    chain: &mut ChainScratch,
) {
    let jump_of = |b: BlockId| -> Option<BlockId> {
        let mut live = f.blocks[b.0 as usize]
            .insts
            .clone()
            .filter(|&i| !alloc.dead[i as usize]);
        match (live.next().map(|i| &f.insts[i as usize]), live.next()) {
            (Some(&Inst::Jump { target }), None) => Some(target),
            _ => None,
        }
    };
    let entry = f.layout.first().copied();
    direct.clear();
    direct.extend((0..f.blocks.len()).map(|b| {
        let b = BlockId(b as u32);
        if Some(b) == entry {
            None
        } else {
            jump_of(b)
        }
    }));
    first_on_chain(direct, |x| direct[x].is_none(), chain);
    forward.clear();
    forward.extend(direct.iter().enumerate().map(|(b, first)| {
        first.as_ref()?;
        // None: a cycle of jumps, left as it is.
        match chain.memo[b] {
            NO_BLOCK => None,
            t => Some(BlockId(t)),
        }
    }));
}

/// Blocks that only jump on, but into a loop with split values from
/// outside it, are emitted after all: they load the split values.
pub(crate) fn keep_loop_entries(
    f: &Func,
    alloc: &Allocation,
    direct: &[Option<BlockId>],
    forward: &mut [Option<BlockId>],
    chain: &mut ChainScratch,
) {
    // Per block: the span of its loop if it heads one with splits.
    let mut split_span = vec![None; f.blocks.len()];
    for s in &alloc.loop_splits {
        split_span[s.header.0 as usize] = Some(s);
    }
    // The first loop header with splits on each block's jump chain, so
    // that a block visits only those, not every block of its chain.
    first_on_chain(direct, |x| split_span[x].is_some(), chain);
    let next_split = |x: Option<BlockId>| {
        x.and_then(|x| match chain.memo[x.0 as usize] {
            NO_BLOCK => None,
            h => Some(h as usize),
        })
    };
    for b in 0..forward.len() {
        if forward[b].is_none() {
            continue;
        }
        let at = 2 * f.blocks[b].insts.start;
        let mut h = next_split(direct[b]);
        while let Some(x) = h {
            if split_span[x].is_some_and(|s| !s.covers(at)) {
                forward[b] = None;
                break;
            }
            h = next_split(direct[x]);
        }
    }
}

/// No block (see [`first_on_chain`]).
const NO_BLOCK: u32 = u32::MAX;

/// Scratch for [`first_on_chain`].
#[derive(Debug, Default)]
pub(crate) struct ChainScratch {
    memo: Vec<u32>,
    stack: Vec<u32>,
}

/// For every block `b`, the first block `x` on its jump chain (`b`,
/// `direct[b]`, `direct[direct[b]]`, ...) for which `stop(x)` holds, into
/// `s.memo[b]`; [`NO_BLOCK`] if the chain ends or cycles first. Linear in
/// the number of blocks: each block is walked once and its answer shared
/// by every chain through it (a deep nest of blocks makes chains as long
/// as the function).
fn first_on_chain(direct: &[Option<BlockId>], stop: impl Fn(usize) -> bool, s: &mut ChainScratch) {
    const UNSEEN: u32 = u32::MAX - 1;
    const BUSY: u32 = u32::MAX - 2;
    let ChainScratch { memo, stack } = s;
    memo.clear();
    memo.resize(direct.len(), UNSEEN);
    for b in 0..direct.len() {
        let mut x = b;
        let found = loop {
            match memo[x] {
                UNSEEN => {}
                BUSY => break NO_BLOCK, // a cycle of jumps
                known => break known,
            }
            if stop(x) {
                memo[x] = x as u32;
                break x as u32;
            }
            memo[x] = BUSY;
            stack.push(x as u32);
            match direct[x] {
                Some(next) => x = next.0 as usize,
                None => break NO_BLOCK,
            }
        };
        for y in stack.drain(..) {
            memo[y as usize] = found;
        }
    }
}
