//! wx-jit: the optimising tier.
//!
//! The JIT turns a validated WebAssembly function body into native code. The
//! pipeline, one module per stage, reads:
//!
//! ```text
//! wasm operators ─► IR (virtual registers, basic blocks)
//!                ─► cheap optimisations (constant folding, copy propagation,
//!                   dead code, compare+branch fusion, address-mode folding)
//!                ─► liveness and live intervals
//!                ─► linear-scan register allocation (spilling; splitting
//!                   around calls)
//!                ─► emission through one narrow per-ISA trait
//! ```
//!
//! Everything above emission is shared between ISAs: an ISA under [`isa`]
//! implements the [`Isa`] trait (allocatable registers, clobbers, emission,
//! disassembly) with the same file set (`regs`, `asm`, `abi`, `emit`).
//!
//! The crate provides the IR ([`ir`]: types, instructions, blocks, a
//! printer and a structural verifier), translation from wasm
//! ([`translate`], which also does the cheap optimisations), liveness and
//! linear-scan register allocation with a checker ([`regalloc`]), and the
//! x86-64 back end ([`isa::x64`]: encoder, ABI, emitter). [`compile`] runs
//! the pipeline for the host ISA ([`compile_for`] for any), [`compile_osr`]
//! makes on-stack-replacement entries.
//! Functions the JIT cannot compile are reported as unsupported so the
//! runtime keeps them in the interpreter.

#![forbid(unsafe_code)]

mod compile;
mod driver;
mod error;
mod explore;
pub mod ir;
pub mod isa;
pub mod magic;
pub mod regalloc;
pub mod translate;

#[cfg(test)]
mod test_util;

pub use compile::{check_allocation, compile, compile_for, compile_osr, compile_target};
pub use error::JitError;
pub use explore::{explore, explore_target, Explored};
pub use isa::{CallSite, CompiledCode, Handlers, Isa, PadClause, SiteKind, Target, TrapSite};
