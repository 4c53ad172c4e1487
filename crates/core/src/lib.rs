//! wx-core: what every tier of wx agrees on.
//!
//! - [`module`]: a module decoded and validated with wasmparser ([`ModuleInfo`]).
//! - [`types`]: value, function, table, memory and global types.
//! - [`trap`]: trap codes with the spec suite's texts.
//! - [`vm`]: the `#[repr(C)]` data layout both tiers read (VMContext, entry slots).
//! - [`memory`], [`table`], [`global`]: runtime storage behind that layout.
//! - [`instance`]: an instantiated module's resolved storage and its VMContext.
//! - [`code`]: W^X executable memory for JIT code.
//! - [`exception`]: tags, thrown exceptions and the store's exception heap.
//! - [`backtrace`]: wasm backtraces of traps, assembled across tiers.

pub mod atomics;
pub mod backtrace;
pub mod code;
pub mod const_expr;
pub mod error;
pub mod exception;
pub mod global;
pub mod instance;
pub mod libcalls;
pub mod memory;
pub mod module;
pub mod proposal;
pub mod sig;
mod sys;
pub mod table;
pub mod trap;
pub mod types;
pub mod vm;

pub use error::CompileError;
pub use module::ModuleInfo;
pub use trap::{Trap, TrapCode};
pub use types::{FuncType, GlobalType, MemoryType, RefType, TableType, ValType};
