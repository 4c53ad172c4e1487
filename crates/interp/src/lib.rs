//! wx-interp: the interpreter tier.
//!
//! Function bodies are translated lazily, on first call, into a slot-based
//! bytecode ([`bytecode`]) by a one-pass translator ([`translate`]) and run by
//! a `loop { match }` dispatcher ([`exec`]). Each function counts its calls and
//! each loop its iterations ([`code`]); the runtime reads the counters to
//! decide what to compile.

pub mod bytecode;
pub mod code;
pub mod exec;
pub mod tier;
pub mod translate;

pub use code::{FuncCode, ModuleCode};
pub use exec::{invoke, Stack, StackLimits};
pub use tier::{Hot, HotReply, TierUp, Tiering};

/// How this build dispatches instructions: `"tail"` (threaded tail calls)
/// or `"loop"` (a driver loop); see `exec/dispatch.rs`.
pub const DISPATCH_MODE: &str = if cfg!(wx_tail_dispatch) {
    "tail"
} else {
    "loop"
};
