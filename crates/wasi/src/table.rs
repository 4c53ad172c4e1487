//! The descriptor table: what each guest fd refers to.
//!
//! Numbering follows wasmtime: 0-2 are stdio, then listening sockets, then
//! preopened directories; a new descriptor takes the largest number freed
//! by `fd_close` or `fd_renumber`, or else the next one after the table.

use crate::errno::Errno;
use crate::stdio::{Input, Output, StdStream};
use std::collections::{BTreeSet, VecDeque};
use std::net::{TcpListener, TcpStream};

/// What a descriptor refers to.
#[derive(Debug)]
pub(crate) enum Desc {
    Stdin(Stdin),
    Output(StdStream, Output),
    File(FileDesc),
    Dir(DirDesc),
    Listener(TcpListener),
    Stream(SocketDesc),
}

/// Standard input, with what a readiness check read ahead.
#[derive(Debug)]
pub(crate) struct Stdin {
    pub input: Input,
    pub ahead: VecDeque<u8>,
    /// Whether the input reached end of file.
    pub eof: bool,
}

/// An open file. As in wasmtime, the position and the append and
/// non-blocking flags belong to the descriptor, not to the host file:
/// every read and write is positional.
#[derive(Debug)]
pub(crate) struct FileDesc {
    pub file: cap_std::fs::File,
    pub readable: bool,
    pub writable: bool,
    pub pos: u64,
    pub append: bool,
    pub nonblock: bool,
}

/// An open directory: a preopen (with the name the guest sees) or one
/// opened beneath it.
#[derive(Debug)]
pub(crate) struct DirDesc {
    pub dir: cap_std::fs::Dir,
    pub preopen: Option<String>,
    /// Whether the guest may change what is beneath it (false for
    /// read-only preopens and everything opened through them).
    pub mutable: bool,
}

/// A connected stream socket (accepted from a listener).
#[derive(Debug)]
pub(crate) struct SocketDesc {
    pub stream: TcpStream,
    pub nonblock: bool,
}

/// The descriptors of one WASI context.
#[derive(Debug, Default)]
pub(crate) struct Table {
    fds: Vec<Option<Desc>>,
    free: BTreeSet<u32>,
}

impl Table {
    /// Add `desc` under the number wasmtime would give it.
    pub fn insert(&mut self, desc: Desc) -> u32 {
        match self.free.pop_last() {
            Some(fd) => {
                self.fds[fd as usize] = Some(desc);
                fd
            }
            None => {
                self.fds.push(Some(desc));
                (self.fds.len() - 1) as u32
            }
        }
    }

    pub fn get(&self, fd: u32) -> Result<&Desc, Errno> {
        self.fds
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::EBADF)
    }

    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Desc, Errno> {
        self.fds
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::EBADF)
    }

    /// Close `fd`.
    pub fn remove(&mut self, fd: u32) -> Result<Desc, Errno> {
        let desc = self
            .fds
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::EBADF)?;
        self.free.insert(fd);
        Ok(desc)
    }

    /// Move `from` to `to`, which must both be open (`to` is checked first,
    /// as in wasmtime); what `to` held is closed.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(to)?;
        self.get(from)?;
        if from != to {
            let desc = self.remove(from)?;
            self.fds[to as usize] = Some(desc);
        }
        Ok(())
    }

    /// The open descriptors, in order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Desc)> {
        self.fds
            .iter()
            .enumerate()
            .filter_map(|(fd, d)| Some((fd as u32, d.as_ref()?)))
    }

    /// A file descriptor (`EBADF` for anything else).
    pub fn file(&mut self, fd: u32) -> Result<&mut FileDesc, Errno> {
        match self.get_mut(fd)? {
            Desc::File(f) => Ok(f),
            _ => Err(Errno::EBADF),
        }
    }

    /// A directory descriptor (`EBADF` for anything else).
    pub fn dir(&self, fd: u32) -> Result<&DirDesc, Errno> {
        match self.get(fd)? {
            Desc::Dir(d) => Ok(d),
            _ => Err(Errno::EBADF),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out() -> Desc {
        Desc::Output(StdStream::Stdout, Output::Null)
    }

    #[test]
    fn numbers_reuse_the_largest_freed_first() {
        let mut t = Table::default();
        for want in 0..6 {
            assert_eq!(t.insert(out()), want);
        }
        t.remove(4).unwrap();
        t.remove(5).unwrap();
        assert_eq!(t.remove(5).unwrap_err(), Errno::EBADF);
        assert_eq!(t.insert(out()), 5);
        assert_eq!(t.insert(out()), 4);
        assert_eq!(t.insert(out()), 6);
    }

    #[test]
    fn renumber_needs_both_open() {
        let mut t = Table::default();
        for _ in 0..4 {
            t.insert(out());
        }
        assert_eq!(t.renumber(1, 9), Err(Errno::EBADF));
        assert_eq!(t.renumber(9, 1), Err(Errno::EBADF));
        t.renumber(3, 3).unwrap();
        t.renumber(3, 1).unwrap();
        assert!(t.get(1).is_ok());
        assert_eq!(t.get(3).unwrap_err(), Errno::EBADF);
        // 3 is free again: the next descriptor gets it.
        assert_eq!(t.insert(out()), 3);
    }
}
