//! Exception handlers in the IR.
//!
//! A call or throw inside a `try_table` (or a legacy `try` body) ends its
//! block with [`Inst::Throwing`], naming the innermost *handler scope*
//! around it. A scope lists its catch clauses, tried in order, then those
//! of its parent scope, and so on out to the function's caller. Each
//! clause has a *landing pad*: a block starting with [`Inst::Landing`],
//! where the unwinder resumes the frame with the exception's payload.
//!
//! To liveness and allocation a landing pad is one more successor of
//! every block that throws into it. Resuming restores no register, so
//! everything live into a pad must live in memory at the throw:
//! [`Inst::Landing`] counts as clobbering every register, which keeps the
//! values live across it out of registers altogether (those live only
//! on the normal path keep theirs). Nothing runs on the path that does
//! not throw: the unwinder finds the scope of a call from tables (see
//! `isa::Handlers`).

use super::{BlockId, Func, Inst, List};

/// No handler scope: exceptions leave the function.
pub const NO_SCOPE: u32 = u32::MAX;

/// The tag of a clause that catches every exception.
pub const CATCH_ALL: u32 = u32::MAX;

/// A handler scope: its clauses (indices into [`Func::catches`], in the
/// order they are tried), the scope tried after them, and for
/// [`Func::successors`] the pads of this scope and every scope around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandlerScope {
    pub clauses: List,
    pub parent: u32,
    pub pads: List,
}

/// A catch clause: the tag it catches (an index in the module's tags, or
/// [`CATCH_ALL`]), its landing pad, whether the pad receives the
/// exception's reference (`catch_ref`, `catch_all_ref`, and the legacy
/// catches, whose reference `rethrow` uses), and whether it is a legacy
/// catch (which holds the exception without naming it in a wasm value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatchClause {
    pub tag: u32,
    pub pad: BlockId,
    pub keeps_ref: bool,
    pub legacy: bool,
}

impl Func {
    /// Check that every clause's pad starts with its landing.
    pub(super) fn verify_handlers(&self) -> Result<(), String> {
        for (k, c) in self.catches.iter().enumerate() {
            let Some(block) = self.blocks.get(c.pad.0 as usize) else {
                return Err(format!("clause {k}: missing pad block {}", c.pad.0));
            };
            match self.insts.get(block.insts.start as usize) {
                Some(&Inst::Landing { clause, .. }) if clause as usize == k => {}
                _ => return Err(format!("clause {k}: block {} is not its pad", c.pad.0)),
            }
        }
        for (i, s) in self.scopes.iter().enumerate() {
            if s.parent != NO_SCOPE && s.parent as usize >= self.scopes.len() {
                return Err(format!("scope {i}: missing parent {}", s.parent));
            }
        }
        Ok(())
    }

    /// Whether the function has landing pads (then its frame keeps what
    /// resuming in it needs).
    pub fn has_handlers(&self) -> bool {
        !self.catches.is_empty()
    }
}
