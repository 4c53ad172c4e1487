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

use super::Emitter;
use crate::error::JitError;
use crate::ir::BlockId;

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
