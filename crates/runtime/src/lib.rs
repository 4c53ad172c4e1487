//! wx-runtime: the embedding API of wx, in the style of wasmtime.
//!
//! ```
//! use wx_runtime::{Engine, Linker, Module, Store};
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"(module (func (export "add") (param i32 i32) (result i32)
//!     local.get 0 local.get 1 i32.add))"#).unwrap();
//! let mut store = Store::new(&engine, ());
//! let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
//! let add = instance.get_typed_func::<(i32, i32), i32>(&mut store, "add").unwrap();
//! assert_eq!(add.call(&mut store, (2, 3)).unwrap(), 5);
//! ```

mod backtrace;
mod config;
mod engine;
mod error;
mod exception;
mod explore;
mod externals;
mod frames;
mod func;
mod instance;
mod limits;
mod linker;
mod module;
mod shared_memory;
mod stats;
mod store;
mod sys;
mod tier;
mod trampoline;
mod traps;
mod typed;
mod values;

pub use backtrace::{FrameInfo, WasmBacktrace};
pub use config::{Config, Strategy, DEFAULT_JIT_LOOP_THRESHOLD, DEFAULT_JIT_THRESHOLD};
pub use engine::Engine;
pub use error::{Error, Result, Trap};
pub use exception::{Exception, ExnRef, Tag};
pub use explore::FunctionReport;
pub use externals::{Extern, Global, Memory, Table};
pub use func::{Caller, Func};
pub use instance::Instance;
pub use limits::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
pub use linker::Linker;
pub use module::{ExportType, ImportType, Module};
pub use shared_memory::SharedMemory;
pub use stats::{FuncStats, FuncTier};
pub use store::{AsContext, AsContextMut, Store, StoreContext, StoreContextMut, UpdateDeadline};
pub use typed::{IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};
pub use values::{ExternRef, Val};
pub use wx_core::types::{
    ExternType, FuncType, GlobalType, MemoryType, RefType, TableType, ValType,
};
pub use wx_core::{CompileError, TrapCode};
/// An instruction set the JIT compiles for (`wx explore --target`).
pub use wx_jit::Target;
