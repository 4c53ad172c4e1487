//! Descriptor functions: reading and writing, positions, flags, closing
//! and renumbering, and the preopen queries.

use crate::abi::{fdflags, filetype, rights, size};
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::filestat::file_filetype;
use crate::mem::{fatal, IoVec, Mem};
use crate::table::{Desc, FileDesc, Stdin};
use std::io::{self, IoSlice, Read, Write};
use std::num::NonZeroU64;

/// `fd_close(fd)`: any descriptor, preopens included.
pub(crate) fn fd_close(cx: &mut WasiCtx, _mem: &mut Mem, fd: u32) -> WasiResult {
    cx.table.remove(fd)?;
    Ok(())
}

/// `fd_renumber(from, to)`: `to` must be open (programs rely on `EBADF`
/// when it is not, as wasmtime does).
pub(crate) fn fd_renumber(cx: &mut WasiCtx, _mem: &mut Mem, from: u32, to: u32) -> WasiResult {
    cx.table.renumber(from, to)?;
    Ok(())
}

/// A 16-bit flags argument: bits outside `all` (or beyond 16 bits) are
/// not flags of the type, which stops the program as in wasmtime.
pub(crate) fn flags16(v: u32, all: u16, what: &str) -> WasiResult<u16> {
    if v > 0xffff || v as u16 & !all != 0 {
        return Err(fatal(format!("invalid {what} value {v:#x}")));
    }
    Ok(v as u16)
}

/// `fd_fdstat_get(fd, fdstat*)`
pub(crate) fn fd_fdstat_get(cx: &mut WasiCtx, mem: &mut Mem, fd: u32, out: u32) -> WasiResult {
    let (ty, flags, base, inheriting) = match cx.table.get(fd)? {
        Desc::Stdin(s) => (
            tty_type(s.input.is_terminal()),
            0,
            rights::FD_READ,
            rights::FD_READ,
        ),
        Desc::Output(stream, o) => (
            tty_type(o.is_terminal(*stream)),
            0,
            rights::FD_WRITE,
            rights::FD_WRITE,
        ),
        Desc::Dir(d) if d.preopen.is_some() => (
            filetype::DIRECTORY,
            0,
            rights::PREOPEN_BASE,
            rights::PREOPEN_INHERITING,
        ),
        Desc::Dir(_) => (filetype::DIRECTORY, 0, rights::DIRECTORY, rights::DIRECTORY),
        Desc::File(f) => {
            let mut r = rights::ALL;
            if !f.readable {
                r &= !(rights::FD_READ | rights::FD_READDIR);
            }
            if !f.writable {
                r &= !rights::FD_WRITE;
            }
            let flags = if f.append { fdflags::APPEND } else { 0 }
                | if f.nonblock { fdflags::NONBLOCK } else { 0 };
            (file_filetype(&f.file)?, flags, r, r)
        }
        Desc::Listener(_) => (
            filetype::SOCKET_STREAM,
            fdflags::NONBLOCK,
            rights::FD_READ | rights::FD_WRITE,
            0,
        ),
        Desc::Stream(s) => (
            filetype::SOCKET_STREAM,
            if s.nonblock { fdflags::NONBLOCK } else { 0 },
            rights::FD_READ | rights::FD_WRITE,
            0,
        ),
    };
    mem.check(out, size::FDSTAT, 8)?;
    mem.write_u8(out, ty)?;
    mem.write_u16(out + 2, flags)?;
    mem.write_u64(out + 8, base)?;
    mem.write_u64(out + 16, inheriting)
}

/// Standard streams are character devices when they are terminals; wasmtime
/// says nothing about what else they might be.
pub(crate) fn tty_type(tty: bool) -> u8 {
    if tty {
        filetype::CHARACTER_DEVICE
    } else {
        filetype::UNKNOWN
    }
}

/// `fd_fdstat_set_flags(fd, flags)`: APPEND and NONBLOCK of a file (both
/// replaced), NONBLOCK alone of a connected socket (as wasmtime's sockets);
/// the synchronous-write flags are not supported.
pub(crate) fn fd_fdstat_set_flags(
    cx: &mut WasiCtx,
    _mem: &mut Mem,
    fd: u32,
    flags: u32,
) -> WasiResult {
    let flags = flags16(flags, fdflags::ALL, "fdflags")?;
    if let Desc::Stream(s) = cx.table.get_mut(fd)? {
        if flags & !fdflags::NONBLOCK != 0 {
            return Err(Errno::EINVAL.into());
        }
        let nonblock = flags != 0;
        s.stream
            .set_nonblocking(nonblock)
            .map_err(|e| Errno::from_socket_error(&e))?;
        s.nonblock = nonblock;
        return Ok(());
    }
    let f = cx.table.file(fd)?;
    if flags & (fdflags::DSYNC | fdflags::SYNC | fdflags::RSYNC) != 0 {
        return Err(Errno::EINVAL.into());
    }
    f.append = flags & fdflags::APPEND != 0;
    f.nonblock = flags & fdflags::NONBLOCK != 0;
    Ok(())
}

/// `fd_fdstat_set_rights(fd, base, inheriting)`: rights are not enforced,
/// so they cannot be narrowed either (`ENOTSUP`, as in wasmtime).
pub(crate) fn fd_fdstat_set_rights(
    cx: &mut WasiCtx,
    _mem: &mut Mem,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> WasiResult {
    for r in [base, inheriting] {
        if r & !rights::ALL != 0 {
            return Err(fatal(format!("invalid rights value {r:#x}")));
        }
    }
    match cx.table.get(fd)? {
        Desc::File(_) | Desc::Dir(_) => Err(Errno::ENOTSUP.into()),
        _ => Err(Errno::EBADF.into()),
    }
}

/// `fd_prestat_get(fd, prestat*)`: tag 0 (a directory) and the length of
/// its guest name.
pub(crate) fn fd_prestat_get(cx: &mut WasiCtx, mem: &mut Mem, fd: u32, out: u32) -> WasiResult {
    let name_len = match cx.table.get(fd)? {
        Desc::Dir(d) => match &d.preopen {
            Some(name) => name.len() as u32,
            None => return Err(Errno::EBADF.into()),
        },
        _ => return Err(Errno::EBADF.into()),
    };
    mem.check(out, size::PRESTAT, 4)?;
    mem.write_u8(out, 0)?;
    mem.write_u32(out + 4, name_len)
}

/// `fd_prestat_dir_name(fd, path, path_len)`: the guest name, without a NUL.
pub(crate) fn fd_prestat_dir_name(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    path: u32,
    len: u32,
) -> WasiResult {
    let name = match cx.table.get(fd)? {
        Desc::Dir(d) => d.preopen.as_deref().ok_or(Errno::ENOTDIR)?,
        _ => return Err(Errno::ENOTDIR.into()),
    };
    if name.len() > len as usize {
        return Err(Errno::ENAMETOOLONG.into());
    }
    mem.write_bytes(path, name.as_bytes())
}

/// Retry `op` while it is interrupted.
fn retry<T>(mut op: impl FnMut() -> rustix::io::Result<T>) -> io::Result<T> {
    loop {
        match op() {
            Err(rustix::io::Errno::INTR) => continue,
            r => return r.map_err(io::Error::from),
        }
    }
}

/// Read into `dst` from standard input, first from what was read ahead.
pub(crate) fn stdin_read(s: &mut Stdin, dst: &mut [u8]) -> io::Result<usize> {
    if !s.ahead.is_empty() {
        let n = dst.len().min(s.ahead.len());
        for (d, b) in dst.iter_mut().zip(s.ahead.drain(..n)) {
            *d = b;
        }
        return Ok(n);
    }
    if s.eof {
        return Ok(0);
    }
    let n = s.input.read(dst)?;
    s.eof |= n == 0 && !dst.is_empty();
    Ok(n)
}

/// Block until standard input has data or ends, reading some ahead;
/// whether it has data.
pub(crate) fn stdin_fill(s: &mut Stdin) -> io::Result<bool> {
    if s.ahead.is_empty() && !s.eof {
        let mut buf = [0u8; 4096];
        let n = s.input.read(&mut buf)?;
        s.eof = n == 0;
        s.ahead.extend(&buf[..n]);
    }
    Ok(!s.ahead.is_empty())
}

/// `fd_read(fd, iovs, iovs_len, nread*)`
pub(crate) fn fd_read(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> WasiResult {
    let buf = mem.first_buffer(iovs, iovs_len)?;
    let n = match cx.table.get_mut(fd)? {
        Desc::File(f) => {
            let Some(IoVec { ptr, len }) = buf else {
                return mem.write_u32(nread, 0);
            };
            let dst = mem.slice_mut(ptr, len)?;
            let n = retry(|| rustix::io::pread(&f.file, &mut *dst, f.pos))?;
            f.pos += n as u64;
            n
        }
        Desc::Stdin(s) => match buf {
            Some(IoVec { ptr, len }) => {
                let mut data = vec![0u8; len as usize];
                let n = stdin_read(s, &mut data)?;
                mem.write_bytes(ptr, &data[..n])?;
                n
            }
            // Nothing to read into: wasmtime waits for input and reports
            // an interruption, or 0 at end of file.
            None if stdin_fill(s)? => return Err(Errno::EINTR.into()),
            None => 0,
        },
        Desc::Stream(s) => {
            let Some(IoVec { ptr, len }) = buf else {
                return mem.write_u32(nread, 0);
            };
            let dst = mem.slice_mut(ptr, len)?;
            (&s.stream)
                .read(dst)
                .map_err(|e| Errno::from_socket_error(&e))?
        }
        _ => return Err(Errno::EBADF.into()),
    };
    mem.write_u32(nread, n as u32)
}

/// `fd_pread(fd, iovs, iovs_len, offset, nread*)`: the position stays.
pub(crate) fn fd_pread(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread: u32,
) -> WasiResult {
    let buf = mem.first_buffer(iovs, iovs_len)?;
    let n = match cx.table.get_mut(fd)? {
        Desc::File(f) => {
            // wasmtime reports an interruption for a read of nothing.
            let IoVec { ptr, len } = buf.ok_or(Errno::EINTR)?;
            let dst = mem.slice_mut(ptr, len)?;
            retry(|| rustix::io::pread(&f.file, &mut *dst, offset))?
        }
        Desc::Stdin(_) => return Err(Errno::ESPIPE.into()),
        _ => return Err(Errno::EBADF.into()),
    };
    mem.write_u32(nread, n as u32)
}

/// `fd_write(fd, iovs, iovs_len, nwritten*)`
pub(crate) fn fd_write(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> WasiResult {
    let buf = mem.first_buffer(iovs, iovs_len)?;
    let n = match cx.table.get_mut(fd)? {
        Desc::File(f) => match buf {
            None => 0,
            Some(IoVec { ptr, len }) => {
                let at = f.pos;
                let n = write_file(f, mem.slice(ptr, len)?, at)?;
                f.pos = if f.append {
                    f.file.metadata()?.len()
                } else {
                    f.pos.checked_add(n as u64).ok_or(Errno::EOVERFLOW)?
                };
                n
            }
        },
        Desc::Output(stream, out) => match buf {
            None => 0,
            Some(IoVec { ptr, len }) => {
                out.write_all(*stream, mem.slice(ptr, len)?)?;
                len as usize
            }
        },
        Desc::Stream(s) => match buf {
            None => 0,
            Some(IoVec { ptr, len }) => (&s.stream)
                .write(mem.slice(ptr, len)?)
                .map_err(|e| Errno::from_socket_error(&e))?,
        },
        _ => return Err(Errno::EBADF.into()),
    };
    mem.write_u32(nwritten, n as u32)
}

/// Write `src` to the file at `at`, or at its end in append mode.
fn write_file(f: &FileDesc, src: &[u8], at: u64) -> io::Result<usize> {
    if f.append {
        let bufs = [IoSlice::new(src)];
        retry(|| rustix::io::pwritev2(&f.file, &bufs, 0, rustix::io::ReadWriteFlags::APPEND))
    } else {
        retry(|| rustix::io::pwrite(&f.file, src, at))
    }
}

/// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten*)`: the position
/// stays; a file in append mode gets the bytes at its end.
pub(crate) fn fd_pwrite(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten: u32,
) -> WasiResult {
    let buf = mem.first_buffer(iovs, iovs_len)?;
    let n = match cx.table.get_mut(fd)? {
        Desc::File(f) => match buf {
            None => 0,
            Some(IoVec { ptr, len }) => write_file(f, mem.slice(ptr, len)?, offset)?,
        },
        Desc::Output(..) => return Err(Errno::ESPIPE.into()),
        _ => return Err(Errno::EBADF.into()),
    };
    mem.write_u32(nwritten, n as u32)
}

/// A file for a positioning call: standard streams cannot seek.
fn seekable(cx: &mut WasiCtx, fd: u32) -> Result<&mut FileDesc, Errno> {
    match cx.table.get_mut(fd)? {
        Desc::File(f) => Ok(f),
        Desc::Stdin(_) | Desc::Output(..) => Err(Errno::ESPIPE),
        _ => Err(Errno::EBADF),
    }
}

/// `fd_seek(fd, offset, whence, newoffset*)`: moves the descriptor's
/// position (beyond the end is fine, before the start is `EINVAL`).
pub(crate) fn fd_seek(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    offset: i64,
    whence: u32,
    out: u32,
) -> WasiResult {
    if whence > 2 {
        return Err(fatal(format!("invalid whence value {whence}")));
    }
    let f = seekable(cx, fd)?;
    let base = match whence {
        0 => 0,
        1 => f.pos,
        _ => f.file.metadata()?.len(),
    };
    let pos = base.checked_add_signed(offset).ok_or(Errno::EINVAL)?;
    f.pos = pos;
    mem.write_u64(out, pos)
}

/// `fd_tell(fd, offset*)`
pub(crate) fn fd_tell(cx: &mut WasiCtx, mem: &mut Mem, fd: u32, out: u32) -> WasiResult {
    let pos = seekable(cx, fd)?.pos;
    mem.write_u64(out, pos)
}

/// `fd_advise(fd, offset, len, advice)`
pub(crate) fn fd_advise(
    cx: &mut WasiCtx,
    _mem: &mut Mem,
    fd: u32,
    offset: u64,
    len: u64,
    advice: u32,
) -> WasiResult {
    use rustix::fs::Advice;
    let advice = match advice {
        0 => Advice::Normal,
        1 => Advice::Sequential,
        2 => Advice::Random,
        3 => Advice::WillNeed,
        4 => Advice::DontNeed,
        5 => Advice::NoReuse,
        _ => return Err(fatal(format!("invalid advice value {advice}"))),
    };
    let f = cx.table.file(fd)?;
    retry(|| rustix::fs::fadvise(&f.file, offset, NonZeroU64::new(len), advice))?;
    Ok(())
}

/// `fd_allocate(fd, offset, len)`: not supported (as in wasmtime).
pub(crate) fn fd_allocate(
    cx: &mut WasiCtx,
    _mem: &mut Mem,
    fd: u32,
    _offset: u64,
    _len: u64,
) -> WasiResult {
    cx.table.file(fd)?;
    Err(Errno::ENOTSUP.into())
}

/// `fd_sync(fd)`
pub(crate) fn fd_sync(cx: &mut WasiCtx, _mem: &mut Mem, fd: u32) -> WasiResult {
    cx.table.file(fd)?.file.sync_all()?;
    Ok(())
}

/// `fd_datasync(fd)`
pub(crate) fn fd_datasync(cx: &mut WasiCtx, _mem: &mut Mem, fd: u32) -> WasiResult {
    cx.table.file(fd)?.file.sync_data()?;
    Ok(())
}
