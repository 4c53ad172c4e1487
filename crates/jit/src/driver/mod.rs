//! The ISA-neutral part of emission: decisions about the allocated
//! function that every back end makes the same way, before and while it
//! lowers instructions.
//!
//! - [`forward`]: blocks that only jump, which branches skip.
//! - [`dispatch`]: dispatch blocks that jumps copy instead.
//! - [`layout`]: the order blocks are emitted in and the loop headers.
//! - [`moves`]: the order of a parallel move's steps.
//!
//! (The rest of the driver — spill and loop-split moves, frame layout —
//! still lives in `isa::x64::emit` until a macro-assembler interface lets
//! a second ISA share it.)

pub(crate) mod dispatch;
pub(crate) mod forward;
pub(crate) mod layout;
pub(crate) mod moves;
