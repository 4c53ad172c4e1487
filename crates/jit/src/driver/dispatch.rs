//! Which blocks jumps copy instead of jumping to: the dispatch blocks of
//! interpreter loops and switches (the copying itself, and why, is the
//! ISA emitter's: see `isa::x64::emit::dispatch`).

use crate::ir::{BlockId, Func, Inst};
use crate::regalloc::Allocation;
use std::ops::Range;

/// The most live instructions a dispatch block may have to be copied.
const MAX_INSTS: usize = 12;

/// The most copies of one block (bounds code growth when a switch has
/// hundreds of predecessors).
const MAX_COPIES: u32 = 64;

/// For each block, whether jumps to it copy it instead (see the module
/// docs), into `copy`: a dispatch block that is emitted (not forwarded),
/// not the entry, free of calls, at most [`MAX_INSTS`] live instructions
/// long and ending in a `br_table` that lowers to a jump table (more than
/// `chain_max` cases: fewer are a chain of compares).
pub(crate) fn dispatch_blocks(
    f: &Func,
    alloc: &Allocation,
    forward: &[Option<BlockId>],
    chain_max: usize,
    copy: &mut Vec<u32>,
) {
    let entry = f.layout.first().copied();
    copy.clear();
    copy.reserve(f.blocks.len());
    for (b, data) in f.blocks.iter().enumerate() {
        let is_dispatch = forward[b].is_none()
            && Some(BlockId(b as u32)) != entry
            && ends_in_jump_table(f, alloc, data.insts.clone(), chain_max)
            && short_and_call_free(f, alloc, data.insts.clone());
        copy.push(if is_dispatch { MAX_COPIES } else { 0 });
    }
}

/// Whether the block of instructions `insts` ends in a live `br_table`
/// that lowers to a jump table. (Checked first, for one instruction: a
/// terminator only ever ends a block, so it is the last live instruction
/// if it is live.)
fn ends_in_jump_table(f: &Func, alloc: &Allocation, insts: Range<u32>, chain_max: usize) -> bool {
    if insts.is_empty() {
        return false;
    }
    let last = insts.end - 1;
    !alloc.dead[last as usize]
        && matches!(
            f.insts[last as usize],
            Inst::BrTable { targets, .. } if targets.len as usize > chain_max + 1
        )
}

/// Whether the instructions `insts` hold at most [`MAX_INSTS`] live ones
/// and no call.
fn short_and_call_free(f: &Func, alloc: &Allocation, insts: Range<u32>) -> bool {
    let mut n = 0;
    for i in insts {
        if alloc.dead[i as usize] {
            continue;
        }
        n += 1;
        if n > MAX_INSTS || f.insts[i as usize].is_call() {
            return false;
        }
    }
    true
}
