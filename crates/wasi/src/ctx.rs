//! The WASI context (arguments, environment, descriptors) and its builder.

use crate::stdio::{Input, Output, StdStream};
use crate::table::{Desc, DirDesc, Stdin, Table};
use cap_std::ambient_authority;
use std::collections::VecDeque;
use std::net::TcpListener;
use std::path::Path;
use std::time::Instant;
use wx_runtime::Error;

/// The state of one WASI program; put it in the store's data and pass an
/// accessor to [`crate::add_to_linker`].
#[derive(Debug)]
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<String>,
    pub(crate) table: Table,
    /// The origin of the monotonic clock the guest sees (as in wasmtime,
    /// `clock_time_get(MONOTONIC)` counts from the context's creation).
    pub(crate) created: Instant,
}

impl WasiCtx {
    /// A builder; with no settings, a context with no arguments, an empty
    /// environment, inherited stdio and no preopened directories.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::new()
    }

    /// The program's arguments (`argv[0]` first).
    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// The environment as `KEY=VALUE` strings.
    pub fn env(&self) -> &[String] {
        &self.env
    }

    /// The preopened directories still open: descriptor and guest name.
    pub fn preopens(&self) -> impl Iterator<Item = (u32, &str)> {
        self.table.iter().filter_map(|(fd, d)| match d {
            Desc::Dir(DirDesc {
                preopen: Some(name),
                ..
            }) => Some((fd, name.as_str())),
            _ => None,
        })
    }
}

/// A directory to preopen.
#[derive(Debug)]
struct PreopenSpec {
    dir: cap_std::fs::Dir,
    guest: String,
    mutable: bool,
}

/// Builds a [`WasiCtx`].
#[derive(Debug, Default)]
pub struct WasiCtxBuilder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Input,
    stdout: Output,
    stderr: Output,
    listeners: Vec<TcpListener>,
    preopens: Vec<PreopenSpec>,
}

impl WasiCtxBuilder {
    pub fn new() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    /// Append one argument (the first is the program name, `argv[0]`).
    pub fn arg(&mut self, arg: impl Into<String>) -> &mut Self {
        self.args.push(arg.into());
        self
    }

    /// Append arguments.
    pub fn args<S: Into<String>>(&mut self, args: impl IntoIterator<Item = S>) -> &mut Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Set environment variable `key` (a later setting of the same key wins).
    pub fn env(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        let key = key.into();
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, value.into()));
        self
    }

    /// Copy every (UTF-8) variable of the host's environment.
    pub fn inherit_env(&mut self) -> &mut Self {
        for (k, v) in std::env::vars_os() {
            if let (Ok(k), Ok(v)) = (k.into_string(), v.into_string()) {
                self.env(k, v);
            }
        }
        self
    }

    pub fn stdin(&mut self, input: Input) -> &mut Self {
        self.stdin = input;
        self
    }

    pub fn stdout(&mut self, output: Output) -> &mut Self {
        self.stdout = output;
        self
    }

    pub fn stderr(&mut self, output: Output) -> &mut Self {
        self.stderr = output;
        self
    }

    /// Give the guest host directory `host` under the name `guest`, to read
    /// and change. Every path the guest names through it resolves beneath
    /// it, whatever `..`, absolute paths or symbolic links say.
    pub fn preopened_dir(
        &mut self,
        host: impl AsRef<Path>,
        guest: impl Into<String>,
    ) -> Result<&mut Self, Error> {
        self.preopen(host.as_ref(), guest.into(), true)
    }

    /// Give the guest host directory `host` under the name `guest`, read
    /// only: creating, changing or removing anything beneath it fails with
    /// `EPERM`, and files open for reading only.
    pub fn preopened_dir_readonly(
        &mut self,
        host: impl AsRef<Path>,
        guest: impl Into<String>,
    ) -> Result<&mut Self, Error> {
        self.preopen(host.as_ref(), guest.into(), false)
    }

    fn preopen(&mut self, host: &Path, guest: String, mutable: bool) -> Result<&mut Self, Error> {
        let context = |e: std::io::Error| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("{}: {e}", host.display()),
            ))
        };
        let meta = std::fs::metadata(host).map_err(context)?;
        if !meta.is_dir() {
            return Err(Error::Usage(format!("{}: not a directory", host.display())));
        }
        let dir = cap_std::fs::Dir::open_ambient_dir(host, ambient_authority()).map_err(context)?;
        self.preopens.push(PreopenSpec {
            dir,
            guest,
            mutable,
        });
        Ok(self)
    }

    /// Hand the guest a listening TCP socket (as wasmtime's `--tcplisten`):
    /// listeners get descriptors 3, 4, ... in the order they are added,
    /// before the preopened directories, and are non-blocking.
    pub fn tcp_listener(&mut self, listener: TcpListener) -> Result<&mut Self, Error> {
        listener.set_nonblocking(true)?;
        self.listeners.push(listener);
        Ok(self)
    }

    /// The context. Fails if an argument or variable holds a NUL byte (the
    /// guest could not see it) or a variable name holds `=` or is empty.
    pub fn build(&mut self) -> Result<WasiCtx, Error> {
        let this = std::mem::take(self);
        for a in &this.args {
            if a.contains('\0') {
                return Err(Error::Usage(format!("argument {a:?} contains a NUL byte")));
            }
        }
        for (k, v) in &this.env {
            if k.is_empty() || k.contains('=') || k.contains('\0') || v.contains('\0') {
                return Err(Error::Usage(format!(
                    "invalid environment variable {k:?}={v:?}"
                )));
            }
        }
        let mut table = Table::default();
        table.insert(Desc::Stdin(Stdin {
            input: this.stdin,
            ahead: VecDeque::new(),
            eof: false,
        }));
        table.insert(Desc::Output(StdStream::Stdout, this.stdout));
        table.insert(Desc::Output(StdStream::Stderr, this.stderr));
        for l in this.listeners {
            table.insert(Desc::Listener(l));
        }
        for p in this.preopens {
            table.insert(Desc::Dir(DirDesc {
                dir: p.dir,
                preopen: Some(p.guest),
                mutable: p.mutable,
            }));
        }
        Ok(WasiCtx {
            args: this.args,
            env: this
                .env
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect(),
            table,
            created: Instant::now(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_lays_out_descriptors() {
        let dir = std::env::temp_dir();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let ctx = WasiCtx::builder()
            .arg("prog")
            .env("A", "1")
            .env("A", "2")
            .preopened_dir(&dir, "/tmp")
            .unwrap()
            .preopened_dir_readonly(&dir, "/ro")
            .unwrap()
            .tcp_listener(listener)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(ctx.args(), ["prog"]);
        assert_eq!(ctx.env(), ["A=2"]);
        assert!(matches!(ctx.table.get(0), Ok(Desc::Stdin(_))));
        assert!(matches!(
            ctx.table.get(2),
            Ok(Desc::Output(StdStream::Stderr, _))
        ));
        assert!(matches!(ctx.table.get(3), Ok(Desc::Listener(_))));
        assert!(matches!(ctx.table.get(5), Ok(Desc::Dir(d)) if !d.mutable));
        assert!(ctx.table.get(6).is_err());
        let preopens: Vec<_> = ctx.preopens().collect();
        assert_eq!(preopens, [(4, "/tmp"), (5, "/ro")]);
    }

    #[test]
    fn contexts_can_move_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<WasiCtx>();
    }

    #[test]
    fn builder_rejects_bad_input() {
        assert!(WasiCtx::builder().env("A=B", "1").build().is_err());
        assert!(WasiCtx::builder().arg("a\0b").build().is_err());
        assert!(WasiCtx::builder()
            .preopened_dir("/definitely/not/here", "x")
            .is_err());
        let file = std::env::current_exe().unwrap();
        assert!(WasiCtx::builder().preopened_dir(file, "x").is_err());
    }
}
