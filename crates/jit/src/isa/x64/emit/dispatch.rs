//! Tail copies of dispatch blocks.
//!
//! A small block that ends in a jump-table `br_table` — the dispatch of an
//! interpreter loop, a state machine's switch — is reached by unconditional
//! jumps from many blocks. With one indirect jump for all of them, the
//! branch predictor sees a single site whose target depends on which block
//! came before, and how well it copes turns on the accidents of code layout
//! (on the AMD Zen 3 this was measured on, the same loop ran 1.5 s or
//! 4.9 s depending on where it was placed). Emitting the dispatch block
//! again in place of each jump to it gives every predecessor its own
//! indirect jump, predicted from its own history: threaded dispatch, as
//! native compilers make by tail duplication.
//!
//! The copy is exact: the allocation gives every vreg one location (values
//! split around calls are reloaded after the call, and dispatch blocks hold
//! no calls), so the block's code is correct wherever control reaches it
//! with its live-in values in place — which is the state at the end of
//! every predecessor that jumps to it. Copies share the block's jump table.

use super::{Emitter, BR_TABLE_CHAIN_MAX};
use crate::error::JitError;
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
/// long and ending in a `br_table` that lowers to a jump table.
pub(super) fn dispatch_blocks(
    f: &Func,
    alloc: &Allocation,
    forward: &[Option<BlockId>],
    copy: &mut Vec<u32>,
) {
    let entry = f.layout.first().copied();
    copy.clear();
    copy.reserve(f.blocks.len());
    for (b, data) in f.blocks.iter().enumerate() {
        let is_dispatch = forward[b].is_none()
            && Some(BlockId(b as u32)) != entry
            && ends_in_jump_table(f, alloc, data.insts.clone())
            && short_and_call_free(f, alloc, data.insts.clone());
        copy.push(if is_dispatch { MAX_COPIES } else { 0 });
    }
}

/// Whether the block of instructions `insts` ends in a live `br_table`
/// that lowers to a jump table. (Checked first, for one instruction: a
/// terminator only ever ends a block, so it is the last live instruction
/// if it is live.)
fn ends_in_jump_table(f: &Func, alloc: &Allocation, insts: Range<u32>) -> bool {
    if insts.is_empty() {
        return false;
    }
    let last = insts.end - 1;
    !alloc.dead[last as usize]
        && matches!(
            f.insts[last as usize],
            Inst::BrTable { targets, .. } if targets.len as usize > BR_TABLE_CHAIN_MAX + 1
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

impl Emitter<'_> {
    /// In place of a jump to `target`, emit a copy of the dispatch block it
    /// leads to, if it is one with copies left and does not come next.
    /// Returns whether it did.
    pub(super) fn copy_dispatch(
        &mut self,
        target: BlockId,
        next: Option<BlockId>,
    ) -> Result<bool, JitError> {
        if self.is_next(target, next) {
            return Ok(false);
        }
        let b = self.resolve(target);
        let left = &mut self.dispatch_copies[b.0 as usize];
        if *left == 0 {
            return Ok(false);
        }
        *left -= 1;
        self.block_body(b, next)?;
        Ok(true)
    }

    /// The block a branch to `b` reaches once forwarding blocks are skipped.
    fn resolve(&self, b: BlockId) -> BlockId {
        self.forward[b.0 as usize].unwrap_or(b)
    }
}
