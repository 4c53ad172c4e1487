//! Standard input and output: where a guest's fds 0, 1 and 2 lead.

use std::fs::File;
use std::io::{self, Cursor, Read, Write};
use std::sync::{Arc, Mutex, MutexGuard};

/// Where a guest's standard input comes from.
#[derive(Clone, Default)]
pub enum Input {
    /// The host process's stdin.
    #[default]
    Inherit,
    /// These bytes, then end of file.
    Bytes(Arc<Mutex<Cursor<Vec<u8>>>>),
    /// An open file or pipe (its read end).
    File(Arc<File>),
    /// Any reader (it cannot be polled: it counts as always ready).
    Reader(Arc<Mutex<Box<dyn Read + Send>>>),
    /// End of file at once.
    Null,
}

impl Input {
    /// Input that yields `bytes`, then end of file.
    pub fn bytes(bytes: impl Into<Vec<u8>>) -> Input {
        Input::Bytes(Arc::new(Mutex::new(Cursor::new(bytes.into()))))
    }

    /// Input read from `file` (a regular file, a pipe, a terminal...).
    pub fn file(file: impl Into<File>) -> Input {
        Input::File(Arc::new(file.into()))
    }

    /// Input read from `reader`.
    pub fn reader(reader: impl Read + Send + 'static) -> Input {
        Input::Reader(Arc::new(Mutex::new(Box::new(reader))))
    }

    /// A pipe: the guest reads what the host writes to the returned end,
    /// until that end is dropped.
    pub fn pipe() -> io::Result<(Input, io::PipeWriter)> {
        let (reader, writer) = io::pipe()?;
        Ok((Input::file(std::os::fd::OwnedFd::from(reader)), writer))
    }

    /// One read of at most `buf.len()` bytes; 0 at end of file.
    pub(crate) fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Null => Ok(0),
            Input::Bytes(cursor) => lock(cursor).read(buf),
            Input::File(file) => (&**file).read(buf),
            Input::Reader(r) => lock(r).read(buf),
            Input::Inherit => io::stdin().lock().read(buf),
        }
    }

    /// Whether the input is a terminal.
    pub(crate) fn is_terminal(&self) -> bool {
        match self {
            Input::Inherit => rustix::termios::isatty(io::stdin()),
            Input::File(file) => rustix::termios::isatty(&**file),
            _ => false,
        }
    }
}

/// Where a guest's standard output or standard error goes.
#[derive(Clone, Default)]
pub enum Output {
    /// The host process's corresponding stream (stdout for fd 1, stderr for fd 2).
    #[default]
    Inherit,
    /// Appended to this buffer (for tests and embedders capturing output).
    Buffer(Arc<Mutex<Vec<u8>>>),
    /// An open file or pipe (its write end).
    File(Arc<File>),
    /// Any writer.
    Writer(Arc<Mutex<Box<dyn Write + Send>>>),
    /// Discarded.
    Null,
}

impl Output {
    /// A fresh capture buffer, and the output that appends to it.
    pub fn buffer() -> (Output, Arc<Mutex<Vec<u8>>>) {
        let buf = Arc::new(Mutex::new(Vec::new()));
        (Output::Buffer(buf.clone()), buf)
    }

    /// Output written to `file`.
    pub fn file(file: impl Into<File>) -> Output {
        Output::File(Arc::new(file.into()))
    }

    /// Output written to `writer`.
    pub fn writer(writer: impl Write + Send + 'static) -> Output {
        Output::Writer(Arc::new(Mutex::new(Box::new(writer))))
    }

    /// A pipe: the host reads what the guest writes from the returned end
    /// (end of file once the guest's context is dropped).
    pub fn pipe() -> io::Result<(Output, io::PipeReader)> {
        let (reader, writer) = io::pipe()?;
        Ok((Output::file(std::os::fd::OwnedFd::from(writer)), reader))
    }

    /// Write all of `buf`, for descriptor `fd` (1 or 2, for `Inherit`).
    pub(crate) fn write_all(&self, fd: StdStream, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Null => Ok(()),
            Output::Buffer(b) => {
                lock(b).extend_from_slice(buf);
                Ok(())
            }
            Output::File(file) => (&**file).write_all(buf),
            Output::Writer(w) => {
                let mut w = lock(w);
                w.write_all(buf)?;
                w.flush()
            }
            // The guest buffers on its side: each write goes out at once,
            // so output interleaves correctly with the host's own.
            Output::Inherit => match fd {
                StdStream::Stdout => write_flush(&mut io::stdout().lock(), buf),
                StdStream::Stderr => write_flush(&mut io::stderr().lock(), buf),
            },
        }
    }

    /// Whether the output is a terminal.
    pub(crate) fn is_terminal(&self, fd: StdStream) -> bool {
        match (self, fd) {
            (Output::Inherit, StdStream::Stdout) => rustix::termios::isatty(io::stdout()),
            (Output::Inherit, StdStream::Stderr) => rustix::termios::isatty(io::stderr()),
            (Output::File(file), _) => rustix::termios::isatty(&**file),
            _ => false,
        }
    }
}

fn write_flush(w: &mut impl Write, buf: &[u8]) -> io::Result<()> {
    w.write_all(buf)?;
    w.flush()
}

/// Which standard stream an output descriptor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StdStream {
    Stdout,
    Stderr,
}

/// A poisoned lock only means another thread panicked mid-write; the bytes
/// are still usable.
pub(crate) fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Input::Inherit => "Inherit",
            Input::Bytes(_) => "Bytes",
            Input::File(_) => "File",
            Input::Reader(_) => "Reader",
            Input::Null => "Null",
        })
    }
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Output::Inherit => "Inherit",
            Output::Buffer(_) => "Buffer",
            Output::File(_) => "File",
            Output::Writer(_) => "Writer",
            Output::Null => "Null",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn pipes_carry_bytes_both_ways() {
        let (input, mut writer) = Input::pipe().unwrap();
        writer.write_all(b"ping").unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(input.read(&mut buf).unwrap(), 4);
        drop(writer);
        assert_eq!(input.read(&mut buf).unwrap(), 0);

        let (output, mut reader) = Output::pipe().unwrap();
        output.write_all(StdStream::Stdout, b"pong").unwrap();
        drop(output);
        let mut got = String::new();
        reader.read_to_string(&mut got).unwrap();
        assert_eq!(got, "pong");
    }

    #[test]
    fn outputs_capture_or_discard() {
        let (out, buf) = Output::buffer();
        out.write_all(StdStream::Stdout, b"ab").unwrap();
        out.write_all(StdStream::Stdout, b"c").unwrap();
        assert_eq!(*buf.lock().unwrap(), b"abc");
        Output::Null.write_all(StdStream::Stderr, b"xy").unwrap();
        let (w, shared) = Output::buffer();
        let Output::Buffer(inner) = w else {
            unreachable!()
        };
        let out = Output::writer(SharedVec(inner));
        out.write_all(StdStream::Stderr, b"z").unwrap();
        assert_eq!(*shared.lock().unwrap(), b"z");
    }

    struct SharedVec(Arc<Mutex<Vec<u8>>>);

    impl Write for SharedVec {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            lock(&self.0).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
