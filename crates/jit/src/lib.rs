//! wx-jit: the optimising tier.
//!
//! The JIT turns a validated WebAssembly function body into native code. The
//! planned pipeline, one module per stage, reads:
//!
//! ```text
//! wasm operators ─► IR (virtual registers, basic blocks)
//!                ─► cheap optimisations (constant folding, copy propagation,
//!                   dead code, compare+branch fusion, address-mode folding)
//!                ─► liveness and live intervals
//!                ─► linear-scan register allocation (spilling, splitting)
//!                ─► emission through one narrow per-ISA trait
//! ```
//!
//! Everything above emission is shared between ISAs; each ISA under [`isa`]
//! has the same file set (`regs`, `asm`, and later the ABI and the lowering
//! trait implementation).
//!
//! Status: this crate so far provides the IR ([`ir`]: types, instructions,
//! blocks, a printer and a structural verifier), translation from wasm
//! ([`translate`]), liveness and linear-scan register allocation with a
//! checker ([`regalloc`]), and the lowest layer, the
//! x86-64 machine code encoder ([`isa::x64::asm::Assembler`]) and its
//! registers ([`isa::x64::regs`]). The encoder knows instruction encodings, not wasm.
//! Functions the JIT cannot compile will be reported as unsupported so the
//! runtime keeps them in the interpreter.

#![forbid(unsafe_code)]

mod compile;
mod error;
mod explore;
pub mod ir;
pub mod isa;
pub mod regalloc;
pub mod translate;

#[cfg(test)]
mod test_util;

pub use compile::{check_allocation, compile, compile_osr, CompiledCode};
pub use error::JitError;
pub use explore::{explore, Explored};
