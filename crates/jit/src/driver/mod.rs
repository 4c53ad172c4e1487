//! The ISA-neutral part of emission: decisions about the allocated
//! function that every back end makes the same way, before and while it
//! lowers instructions.
//!
//! - [`emit`]: the walk over the blocks that every back end shares, and
//!   the [`emit::Lowering`] trait through which it talks to the ISA:
//!   where values live as emission goes, the allocation's edits (moves
//!   besides the instructions' own) at their instructions, and the
//!   function's table of trap, call and handler sites.
//! - [`forward`]: blocks that only jump, which branches skip.
//! - [`dispatch`]: dispatch blocks that jumps copy instead.
//! - [`layout`]: the order blocks are emitted in and the loop headers.
//! - [`moves`]: the order of a parallel move's steps.
//! - [`frame`]: what a function's prologue must provide.

pub(crate) mod dispatch;
pub(crate) mod emit;
pub(crate) mod forward;
pub(crate) mod frame;
pub(crate) mod layout;
pub(crate) mod moves;
