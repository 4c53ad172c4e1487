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
//! All 46 preview1 functions, with wasmtime's observable behaviour: the
//! same errno in the same situation, the same descriptor numbering, rights
//! and flags, the same directory listings. Files and directories are
//! reached only through preopened directories ([`WasiCtxBuilder::preopened_dir`]),
//! and every path resolves beneath one (cap-std): `..`, absolute paths and
//! symbolic links that lead out fail with `EPERM`. Sockets are the
//! listeners the host hands in ([`WasiCtxBuilder::tcp_listener`]) and the
//! connections accepted from them.
//!
//! What stops the program instead of returning an errno, as in wasmtime:
//! `proc_exit` ([`wx_runtime::Error::Exit`]), a guest pointer out of bounds
//! or misaligned, a flag or enumeration argument outside its type, a
//! module exporting no `memory`, and an exit status of 126 or more
//! ([`wx_runtime::Error::Host`]).

mod abi;
mod args;
mod clock;
mod ctx;
mod errno;
mod fd;
mod filestat;
mod mem;
mod path;
mod poll;
mod proc;
mod readdir;
mod sock;
mod stdio;
mod table;

pub use ctx::{WasiCtx, WasiCtxBuilder};
pub use errno::Errno;
pub use stdio::{Input, Output};

use errno::{Fault, WasiResult};
use mem::Mem;
use wx_runtime::{Caller, Error, Linker, Result};

/// The import module name of WASI preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Run WASI function `name` with the caller's memory and context, and turn
/// its outcome into the errno it returns (or the error that stops the
/// program).
fn call<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    name: &str,
    f: impl FnOnce(&mut WasiCtx, &mut Mem) -> WasiResult,
) -> Result<i32> {
    let outcome = match mem::memory(caller) {
        Ok(memory) => {
            let (bytes, data) = memory.data_and_store_mut(&mut *caller);
            f(get(data), &mut Mem::new(bytes))
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => {
            tracing::trace!(target: "wx::wasi", "{name} -> SUCCESS");
            Ok(0)
        }
        Err(Fault::Errno(e)) => {
            tracing::trace!(target: "wx::wasi", "{name} -> {e}");
            Ok(e.0 as i32)
        }
        Err(Fault::Fatal(Error::Host(msg))) => {
            tracing::debug!(target: "wx::wasi", "{name}: {msg}");
            Err(Error::Host(format!("{MODULE}::{name}: {msg}")))
        }
        Err(Fault::Fatal(e)) => Err(e),
    }
}

/// Define the functions listed, each as `name(params) => implementation`:
/// parameters are wasm `i32`/`i64`, passed on as the implementation's
/// (unsigned where they are pointers, sizes or flags).
macro_rules! define {
    ($linker:ident, $get:ident; $($name:ident($($arg:ident: $ty:ty),*) => $func:path;)*) => {
        $(
            $linker.func_wrap(
                MODULE,
                stringify!($name),
                move |mut c: Caller<'_, T>, $($arg: $ty),*| -> Result<i32> {
                    call(&mut c, $get, stringify!($name), |cx, mem| $func(cx, mem, $($arg as _),*))
                },
            )?;
        )*
    };
}

/// Define every `wasi_snapshot_preview1` function in `linker`. `get` finds
/// the [`WasiCtx`] inside the store's data.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: impl Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
) -> Result<()> {
    define! { linker, get;
        args_get(argv: i32, buf: i32) => args::args_get;
        args_sizes_get(argc: i32, size: i32) => args::args_sizes_get;
        environ_get(environ: i32, buf: i32) => args::environ_get;
        environ_sizes_get(count: i32, size: i32) => args::environ_sizes_get;
        clock_res_get(id: i32, out: i32) => clock::clock_res_get;
        clock_time_get(id: i32, precision: i64, out: i32) => clock::clock_time_get;
        fd_advise(fd: i32, offset: i64, len: i64, advice: i32) => fd::fd_advise;
        fd_allocate(fd: i32, offset: i64, len: i64) => fd::fd_allocate;
        fd_close(fd: i32) => fd::fd_close;
        fd_datasync(fd: i32) => fd::fd_datasync;
        fd_fdstat_get(fd: i32, out: i32) => fd::fd_fdstat_get;
        fd_fdstat_set_flags(fd: i32, flags: i32) => fd::fd_fdstat_set_flags;
        fd_fdstat_set_rights(fd: i32, base: i64, inheriting: i64) => fd::fd_fdstat_set_rights;
        fd_filestat_get(fd: i32, out: i32) => filestat::fd_filestat_get;
        fd_filestat_set_size(fd: i32, size: i64) => filestat::fd_filestat_set_size;
        fd_filestat_set_times(fd: i32, atim: i64, mtim: i64, fst: i32) => filestat::fd_filestat_set_times;
        fd_pread(fd: i32, iovs: i32, len: i32, offset: i64, out: i32) => fd::fd_pread;
        fd_prestat_get(fd: i32, out: i32) => fd::fd_prestat_get;
        fd_prestat_dir_name(fd: i32, path: i32, len: i32) => fd::fd_prestat_dir_name;
        fd_pwrite(fd: i32, iovs: i32, len: i32, offset: i64, out: i32) => fd::fd_pwrite;
        fd_read(fd: i32, iovs: i32, len: i32, out: i32) => fd::fd_read;
        fd_readdir(fd: i32, buf: i32, len: i32, cookie: i64, out: i32) => readdir::fd_readdir;
        fd_renumber(from: i32, to: i32) => fd::fd_renumber;
        fd_seek(fd: i32, offset: i64, whence: i32, out: i32) => fd::fd_seek;
        fd_sync(fd: i32) => fd::fd_sync;
        fd_tell(fd: i32, out: i32) => fd::fd_tell;
        fd_write(fd: i32, iovs: i32, len: i32, out: i32) => fd::fd_write;
        path_create_directory(fd: i32, path: i32, len: i32) => path::path_create_directory;
        path_filestat_get(fd: i32, flags: i32, path: i32, len: i32, out: i32) => filestat::path_filestat_get;
        path_filestat_set_times(fd: i32, flags: i32, path: i32, len: i32, atim: i64, mtim: i64, fst: i32)
            => filestat::path_filestat_set_times;
        path_link(old_fd: i32, old_flags: i32, old: i32, old_len: i32, new_fd: i32, new: i32, new_len: i32)
            => path::path_link;
        path_open(fd: i32, dirflags: i32, path: i32, len: i32, oflags: i32, base: i64, inheriting: i64,
            fdflags: i32, out: i32) => path::path_open;
        path_readlink(fd: i32, path: i32, len: i32, buf: i32, buf_len: i32, out: i32) => path::path_readlink;
        path_remove_directory(fd: i32, path: i32, len: i32) => path::path_remove_directory;
        path_rename(old_fd: i32, old: i32, old_len: i32, new_fd: i32, new: i32, new_len: i32)
            => path::path_rename;
        path_symlink(old: i32, old_len: i32, fd: i32, new: i32, new_len: i32) => path::path_symlink;
        path_unlink_file(fd: i32, path: i32, len: i32) => path::path_unlink_file;
        poll_oneoff(input: i32, output: i32, n: i32, nevents: i32) => poll::poll_oneoff;
        proc_raise(sig: i32) => proc::proc_raise;
        sched_yield() => proc::sched_yield;
        random_get(buf: i32, len: i32) => proc::random_get;
        sock_accept(fd: i32, flags: i32, out: i32) => sock::sock_accept;
        sock_recv(fd: i32, iovs: i32, len: i32, flags: i32, out_len: i32, out_flags: i32) => sock::sock_recv;
        sock_send(fd: i32, iovs: i32, len: i32, flags: i32, out_len: i32) => sock::sock_send;
        sock_shutdown(fd: i32, how: i32) => sock::sock_shutdown;
    }
    linker.func_wrap(
        MODULE,
        "proc_exit",
        move |mut c: Caller<'_, T>, code: i32| -> Result<()> {
            // Like every WASI call, it needs the caller's memory.
            call(&mut c, get, "proc_exit", |_, _| Ok(()))?;
            tracing::debug!(target: "wx::wasi", "proc_exit({code})");
            Err(proc::proc_exit(code))
        },
    )?;
    Ok(())
}

/// The names of the 46 preview1 functions [`add_to_linker`] defines.
pub fn functions() -> &'static [&'static str] {
    &[
        "args_get",
        "args_sizes_get",
        "environ_get",
        "environ_sizes_get",
        "clock_res_get",
        "clock_time_get",
        "fd_advise",
        "fd_allocate",
        "fd_close",
        "fd_datasync",
        "fd_fdstat_get",
        "fd_fdstat_set_flags",
        "fd_fdstat_set_rights",
        "fd_filestat_get",
        "fd_filestat_set_size",
        "fd_filestat_set_times",
        "fd_pread",
        "fd_prestat_get",
        "fd_prestat_dir_name",
        "fd_pwrite",
        "fd_read",
        "fd_readdir",
        "fd_renumber",
        "fd_seek",
        "fd_sync",
        "fd_tell",
        "fd_write",
        "path_create_directory",
        "path_filestat_get",
        "path_filestat_set_times",
        "path_link",
        "path_open",
        "path_readlink",
        "path_remove_directory",
        "path_rename",
        "path_symlink",
        "path_unlink_file",
        "poll_oneoff",
        "proc_exit",
        "proc_raise",
        "sched_yield",
        "random_get",
        "sock_accept",
        "sock_recv",
        "sock_send",
        "sock_shutdown",
    ]
}
