//! The WASI context: arguments, environment, standard streams and the
//! descriptor table (stdio plus preopened directories).

use std::fs::File;
use std::io::{self, Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use wx_runtime::Error;

/// Where a guest's standard input comes from.
#[derive(Clone, Debug, Default)]
pub enum Input {
    /// The host process's stdin.
    #[default]
    Inherit,
    /// These bytes, then end of file.
    Bytes(Arc<Mutex<Cursor<Vec<u8>>>>),
    /// End of file at once.
    Null,
}

impl Input {
    /// Input that yields `bytes`, then end of file.
    pub fn bytes(bytes: impl Into<Vec<u8>>) -> Input {
        Input::Bytes(Arc::new(Mutex::new(Cursor::new(bytes.into()))))
    }

    /// One read of at most `buf.len()` bytes; 0 at end of file.
    pub(crate) fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Null => Ok(0),
            Input::Bytes(cursor) => lock(cursor).read(buf),
            Input::Inherit => io::stdin().lock().read(buf),
        }
    }
}

/// Where a guest's standard output or standard error goes.
#[derive(Clone, Debug, Default)]
pub enum Output {
    /// The host process's corresponding stream (stdout for fd 1, stderr for fd 2).
    #[default]
    Inherit,
    /// Appended to this buffer (for tests and embedders capturing output).
    Buffer(Arc<Mutex<Vec<u8>>>),
    /// Discarded.
    Null,
}

impl Output {
    /// A fresh capture buffer, and the output that appends to it.
    pub fn buffer() -> (Output, Arc<Mutex<Vec<u8>>>) {
        let buf = Arc::new(Mutex::new(Vec::new()));
        (Output::Buffer(buf.clone()), buf)
    }

    /// Write all of `bufs`; the number of bytes written.
    pub(crate) fn write_vectored(&self, stream: StdStream, bufs: &[&[u8]]) -> io::Result<usize> {
        let total = bufs.iter().map(|b| b.len()).sum();
        match self {
            Output::Null => {}
            Output::Buffer(buf) => {
                let mut buf = lock(buf);
                for b in bufs {
                    buf.extend_from_slice(b);
                }
            }
            Output::Inherit => match stream {
                StdStream::Stdout => write_all_flush(&mut io::stdout().lock(), bufs)?,
                StdStream::Stderr => write_all_flush(&mut io::stderr().lock(), bufs)?,
            },
        }
        Ok(total)
    }
}

fn write_all_flush(w: &mut impl Write, bufs: &[&[u8]]) -> io::Result<()> {
    for b in bufs {
        w.write_all(b)?;
    }
    // The guest buffers on its side; hand every write to the host at once so
    // that output interleaves correctly with the host's own messages.
    w.flush()
}

/// A poisoned lock only means another thread panicked mid-write; the bytes
/// are still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Which host stream an inherited output descriptor writes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StdStream {
    Stdout,
    Stderr,
}

/// A directory the guest may use, visible under `guest` name.
#[derive(Debug)]
pub struct Preopen {
    /// The name the guest sees (`fd_prestat_dir_name`).
    pub guest: String,
    /// The host directory.
    pub host: PathBuf,
    /// The open directory; kept so the capability cannot be swapped under us.
    pub(crate) _dir: File,
}

/// An open WASI descriptor.
#[derive(Debug)]
pub(crate) enum Descriptor {
    Stdin(Input),
    Output(StdStream, Output),
    Dir(Preopen),
}

/// The state of one WASI program; put it in the store's data and pass an
/// accessor to [`crate::add_to_linker`].
#[derive(Debug)]
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<String>,
    fds: Vec<Option<Descriptor>>,
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

    /// The open preopened directories and their descriptors.
    pub fn preopens(&self) -> impl Iterator<Item = (u32, &Preopen)> {
        self.fds.iter().enumerate().filter_map(|(fd, d)| match d {
            Some(Descriptor::Dir(p)) => Some((fd as u32, p)),
            _ => None,
        })
    }

    pub(crate) fn get(&self, fd: u32) -> Option<&Descriptor> {
        self.fds.get(fd as usize)?.as_ref()
    }

    /// Close `fd`; false if it was not open.
    pub(crate) fn close(&mut self, fd: u32) -> bool {
        match self.fds.get_mut(fd as usize) {
            Some(slot) => slot.take().is_some(),
            None => false,
        }
    }
}

/// Builds a [`WasiCtx`].
#[derive(Debug, Default)]
pub struct WasiCtxBuilder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Input,
    stdout: Output,
    stderr: Output,
    preopens: Vec<Preopen>,
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

    /// Give the guest host directory `host` under the name `guest`. Preopens
    /// get descriptors 3, 4, ... in the order they are added.
    pub fn preopened_dir(
        &mut self,
        host: impl AsRef<Path>,
        guest: impl Into<String>,
    ) -> Result<&mut Self, Error> {
        let host = host.as_ref();
        let context =
            |e: io::Error| Error::Io(io::Error::new(e.kind(), format!("{}: {e}", host.display())));
        let dir = File::open(host).map_err(context)?;
        if !dir.metadata().map_err(context)?.is_dir() {
            return Err(Error::Usage(format!("{}: not a directory", host.display())));
        }
        self.preopens.push(Preopen {
            guest: guest.into(),
            host: host.to_path_buf(),
            _dir: dir,
        });
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
        let mut fds = vec![
            Some(Descriptor::Stdin(this.stdin)),
            Some(Descriptor::Output(StdStream::Stdout, this.stdout)),
            Some(Descriptor::Output(StdStream::Stderr, this.stderr)),
        ];
        fds.extend(this.preopens.into_iter().map(|p| Some(Descriptor::Dir(p))));
        Ok(WasiCtx {
            args: this.args,
            env: this
                .env
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect(),
            fds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_lays_out_descriptors() {
        let dir = std::env::temp_dir();
        let ctx = WasiCtx::builder()
            .arg("prog")
            .env("A", "1")
            .env("A", "2")
            .preopened_dir(&dir, "/tmp")
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(ctx.args(), ["prog"]);
        assert_eq!(ctx.env(), ["A=2"]);
        assert!(matches!(ctx.get(0), Some(Descriptor::Stdin(_))));
        assert!(matches!(
            ctx.get(2),
            Some(Descriptor::Output(StdStream::Stderr, _))
        ));
        assert!(matches!(ctx.get(3), Some(Descriptor::Dir(p)) if p.guest == "/tmp"));
        assert!(ctx.get(4).is_none());
        let preopens: Vec<_> = ctx
            .preopens()
            .map(|(fd, p)| (fd, p.guest.clone()))
            .collect();
        assert_eq!(preopens, [(3, "/tmp".to_string())]);
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

    #[test]
    fn inputs_read_then_end() {
        let input = Input::bytes(b"hello world".to_vec());
        let mut a = [0u8; 4];
        assert_eq!(input.read(&mut a).unwrap(), 4);
        assert_eq!(&a, b"hell");
        let mut b = [0u8; 16];
        assert_eq!(input.read(&mut b).unwrap(), 7);
        assert_eq!(&b[..7], b"o world");
        assert_eq!(input.read(&mut b).unwrap(), 0);
        assert_eq!(Input::Null.read(&mut b).unwrap(), 0);
    }

    #[test]
    fn outputs_capture_or_discard() {
        let (out, buf) = Output::buffer();
        assert_eq!(
            out.write_vectored(StdStream::Stdout, &[b"ab", b"", b"c"])
                .unwrap(),
            3
        );
        assert_eq!(*buf.lock().unwrap(), b"abc");
        assert_eq!(
            Output::Null
                .write_vectored(StdStream::Stderr, &[b"xy"])
                .unwrap(),
            2
        );
    }
}
