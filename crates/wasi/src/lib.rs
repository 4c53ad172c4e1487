//! WASI preview1 (`wasi_snapshot_preview1`) host functions for wx.
//!
//! ```
//! use wx_runtime::{Engine, Linker, Module, Store};
//! use wx_wasi::{Output, WasiCtx};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"(module
//!     (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
//!     (memory (export "memory") 1)
//!     (data (i32.const 16) "hi\n")
//!     (func (export "_start")
//!         (i32.store (i32.const 0) (i32.const 16))   ;; iov.buf
//!         (i32.store (i32.const 4) (i32.const 3))    ;; iov.len
//!         (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
//! "#).unwrap();
//! let (stdout, captured) = Output::buffer();
//! let ctx = WasiCtx::builder().arg("demo").stdout(stdout).build().unwrap();
//! let mut store = Store::new(&engine, ctx);
//! let mut linker = Linker::new(&engine);
//! wx_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).unwrap();
//! let instance = linker.instantiate(&mut store, &module).unwrap();
//! let start = instance.get_typed_func::<(), ()>(&mut store, "_start").unwrap();
//! start.call(&mut store, ()).unwrap();
//! assert_eq!(*captured.lock().unwrap(), b"hi\n");
//! ```
//!
//! Implemented: arguments and environment, reading stdin and writing
//! stdout/stderr, `fd_close`, `fd_fdstat_get`, `fd_seek` (streams are not
//! seekable), preopened directories as far as `fd_prestat_*` (the names a
//! guest's libc uses to resolve paths), clocks, `random_get`, `proc_exit`
//! and `sched_yield`. Every other preview1 function exists with its correct
//! signature and returns `ENOSYS` (see [`unimplemented_functions`]).
//!
//! Guest pointers are checked against the caller's exported `memory`: an
//! out-of-range pointer gets `EFAULT`, an unknown descriptor `EBADF`. The
//! only calls that stop the guest are `proc_exit` ([`wx_runtime::Error::Exit`])
//! and any call from a module exporting no memory ([`wx_runtime::Error::Host`]).

mod args;
mod clock;
mod ctx;
mod errno;
mod fd;
mod mem;
mod proc;
mod unimplemented;

pub use ctx::{Input, Output, Preopen, WasiCtx, WasiCtxBuilder};
pub use errno::Errno;

use args::List;
use errno::{Fault, WasiResult};
use wx_runtime::{Caller, Linker, Result};

/// The import module name of WASI preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// The names of the preview1 functions that are defined but return `ENOSYS`.
pub fn unimplemented_functions() -> impl Iterator<Item = &'static str> {
    unimplemented::UNIMPLEMENTED.iter().map(|(name, _)| *name)
}

/// Turn the outcome of a WASI function into its `errno` result.
fn ret(name: &str, result: WasiResult) -> Result<i32> {
    match result {
        Ok(()) => {
            tracing::trace!(target: "wx::wasi", "{name} -> SUCCESS");
            Ok(0)
        }
        Err(Fault::Errno(e)) => {
            tracing::trace!(target: "wx::wasi", "{name} -> {e}");
            Ok(e.0 as i32)
        }
        Err(Fault::Fatal(e)) => {
            tracing::trace!(target: "wx::wasi", "{name} -> {e}");
            Err(e)
        }
    }
}

/// Define every `wasi_snapshot_preview1` function in `linker`. `get` finds
/// the [`WasiCtx`] inside the store's data.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: impl Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
) -> Result<()> {
    // Pointers and sizes are wasm `i32`s holding `u32` values.
    linker.func_wrap(
        MODULE,
        "args_get",
        move |mut c: Caller<'_, T>, argv: i32, buf: i32| {
            ret(
                "args_get",
                args::list_get(&mut c, get, List::Args, argv as u32, buf as u32),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "args_sizes_get",
        move |mut c: Caller<'_, T>, argc: i32, size: i32| {
            ret(
                "args_sizes_get",
                args::sizes_get(&mut c, get, List::Args, argc as u32, size as u32),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "environ_get",
        move |mut c: Caller<'_, T>, environ: i32, buf: i32| {
            ret(
                "environ_get",
                args::list_get(&mut c, get, List::Environ, environ as u32, buf as u32),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "environ_sizes_get",
        move |mut c: Caller<'_, T>, count: i32, size: i32| {
            ret(
                "environ_sizes_get",
                args::sizes_get(&mut c, get, List::Environ, count as u32, size as u32),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "clock_res_get",
        move |mut c: Caller<'_, T>, id: i32, out: i32| {
            ret(
                "clock_res_get",
                clock::clock_res_get(&mut c, id as u32, out as u32),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "clock_time_get",
        move |mut c: Caller<'_, T>, id: i32, _precision: i64, out: i32| {
            ret(
                "clock_time_get",
                clock::clock_time_get(&mut c, id as u32, out as u32),
            )
        },
    )?;
    linker.func_wrap(MODULE, "fd_close", move |mut c: Caller<'_, T>, fd: i32| {
        ret("fd_close", fd::fd_close(get(c.data_mut()), fd as u32))
    })?;
    linker.func_wrap(
        MODULE,
        "fd_fdstat_get",
        move |mut c: Caller<'_, T>, fd: i32, buf: i32| {
            ret(
                "fd_fdstat_get",
                fd::fd_fdstat_get(&mut c, get, fd as u32, buf as u32),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_prestat_get",
        move |mut c: Caller<'_, T>, fd: i32, buf: i32| {
            ret(
                "fd_prestat_get",
                fd::fd_prestat_get(&mut c, get, fd as u32, buf as u32),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_prestat_dir_name",
        move |mut c: Caller<'_, T>, fd: i32, path: i32, len: i32| {
            ret(
                "fd_prestat_dir_name",
                fd::fd_prestat_dir_name(&mut c, get, fd as u32, path as u32, len as u32),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_read",
        move |mut c: Caller<'_, T>, fd: i32, iovs: i32, len: i32, nread: i32| {
            ret(
                "fd_read",
                fd::fd_read(
                    &mut c,
                    get,
                    fd as u32,
                    iovs as u32,
                    len as u32,
                    nread as u32,
                ),
            )
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_seek",
        move |mut c: Caller<'_, T>, fd: i32, _offset: i64, _whence: i32, _newoffset: i32| {
            ret("fd_seek", fd::fd_seek(get(c.data_mut()), fd as u32))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_write",
        move |mut c: Caller<'_, T>, fd: i32, iovs: i32, len: i32, nwritten: i32| {
            ret(
                "fd_write",
                fd::fd_write(
                    &mut c,
                    get,
                    fd as u32,
                    iovs as u32,
                    len as u32,
                    nwritten as u32,
                ),
            )
        },
    )?;
    linker.func_wrap(MODULE, "proc_exit", move |code: i32| -> Result<()> {
        tracing::debug!(target: "wx::wasi", "proc_exit({code})");
        Err(proc::proc_exit(code))
    })?;
    linker.func_wrap(
        MODULE,
        "random_get",
        move |mut c: Caller<'_, T>, buf: i32, len: i32| {
            ret(
                "random_get",
                proc::random_get(&mut c, buf as u32, len as u32),
            )
        },
    )?;
    linker.func_wrap(MODULE, "sched_yield", move || {
        ret("sched_yield", proc::sched_yield())
    })?;
    unimplemented::add(linker)?;
    Ok(())
}
