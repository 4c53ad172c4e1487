//! Descriptor functions: reading and writing stdio, `fd_close`,
//! `fd_fdstat_get`, `fd_seek` and the preopen queries.

use crate::ctx::{Descriptor, WasiCtx};
use crate::errno::{Errno, WasiResult};
use crate::mem::{self, check, iovecs, memory, slice, total_len, write_bytes, write_u32};
use wx_runtime::Caller;

/// `filetype` values.
mod filetype {
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
}

/// `rights` bits.
mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;

    /// What a readable stream allows (no seek/tell: wasi-libc's `isatty`
    /// looks for exactly that on a character device).
    pub const STDIN: u64 = FD_READ | POLL_FD_READWRITE;
    pub const STDOUT: u64 = FD_WRITE | POLL_FD_READWRITE;

    /// What a directory allows on itself.
    pub const DIRECTORY: u64 = FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_ADVISE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;

    /// What files and directories opened beneath a directory may get.
    pub const INHERITING: u64 = DIRECTORY
        | FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_TELL
        | FD_WRITE
        | FD_ALLOCATE
        | FD_FILESTAT_SET_SIZE
        | POLL_FD_READWRITE;
}

/// Largest single read handed to the host; a guest asking for more gets a
/// short read, which the API allows.
const MAX_READ: usize = 1 << 20;

/// `fd_write(fd, iovs, iovs_len, nwritten) -> errno`
pub(crate) fn fd_write<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> WasiResult {
    let memory = memory(caller)?;
    let (stream, output) = match get(caller.data_mut()).get(fd) {
        Some(Descriptor::Output(stream, output)) => (*stream, output.clone()),
        Some(_) | None => return Err(Errno::EBADF.into()),
    };
    let data = memory.data(&*caller);
    check(data, nwritten, 4)?;
    let vecs = iovecs(data, iovs, iovs_len)?;
    total_len(&vecs)?;
    let bufs = vecs
        .iter()
        .map(|v| slice(data, v.ptr, v.len))
        .collect::<Result<Vec<_>, _>>()?;
    let n = output.write_vectored(stream, &bufs)?;
    write_u32(memory.data_mut(caller), nwritten, n as u32)?;
    Ok(())
}

/// `fd_read(fd, iovs, iovs_len, nread) -> errno`
pub(crate) fn fd_read<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> WasiResult {
    let memory = memory(caller)?;
    let input = match get(caller.data_mut()).get(fd) {
        Some(Descriptor::Stdin(input)) => input.clone(),
        Some(_) | None => return Err(Errno::EBADF.into()),
    };
    let data = memory.data_mut(caller);
    check(data, nread, 4)?;
    let vecs = iovecs(data, iovs, iovs_len)?;
    let want = (total_len(&vecs)? as usize).min(MAX_READ);
    // Read into a host buffer, then scatter: the guest's buffers may overlap.
    let mut buf = vec![0u8; want];
    let n = if want == 0 { 0 } else { input.read(&mut buf)? };
    let mut rest = &buf[..n];
    for v in &vecs {
        if rest.is_empty() {
            break;
        }
        let k = rest.len().min(v.len as usize);
        write_bytes(data, v.ptr, &rest[..k])?;
        rest = &rest[k..];
    }
    write_u32(data, nread, n as u32)?;
    Ok(())
}

/// `fd_close(fd) -> errno`
pub(crate) fn fd_close(ctx: &mut WasiCtx, fd: u32) -> WasiResult {
    if ctx.close(fd) {
        Ok(())
    } else {
        Err(Errno::EBADF.into())
    }
}

/// `fd_fdstat_get(fd, buf) -> errno`; `buf` is a 24-byte `fdstat`.
pub(crate) fn fd_fdstat_get<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    fd: u32,
    buf: u32,
) -> WasiResult {
    let memory = memory(caller)?;
    let (filetype, base, inheriting) = match get(caller.data_mut()).get(fd) {
        Some(Descriptor::Stdin(_)) => (filetype::CHARACTER_DEVICE, rights::STDIN, 0),
        Some(Descriptor::Output(..)) => (filetype::CHARACTER_DEVICE, rights::STDOUT, 0),
        Some(Descriptor::Dir(_)) => (filetype::DIRECTORY, rights::DIRECTORY, rights::INHERITING),
        None => return Err(Errno::EBADF.into()),
    };
    // struct fdstat { u8 filetype; u16 flags @2; u64 rights_base @8; u64 rights_inheriting @16 }
    let mut stat = [0u8; 24];
    stat[0] = filetype;
    stat[8..16].copy_from_slice(&base.to_le_bytes());
    stat[16..24].copy_from_slice(&inheriting.to_le_bytes());
    write_bytes(memory.data_mut(caller), buf, &stat)?;
    Ok(())
}

/// `fd_seek(fd, offset, whence, newoffset) -> errno`. Nothing wx opens is
/// seekable yet: streams fail with `ESPIPE`, directories (not files) with `EBADF`.
pub(crate) fn fd_seek(ctx: &mut WasiCtx, fd: u32) -> WasiResult {
    match ctx.get(fd) {
        Some(Descriptor::Stdin(_) | Descriptor::Output(..)) => Err(Errno::ESPIPE.into()),
        Some(Descriptor::Dir(_)) | None => Err(Errno::EBADF.into()),
    }
}

/// The guest name of preopen `fd`.
fn preopen_name(ctx: &WasiCtx, fd: u32) -> Result<Vec<u8>, Errno> {
    match ctx.get(fd) {
        Some(Descriptor::Dir(p)) => Ok(p.guest.as_bytes().to_vec()),
        Some(_) | None => Err(Errno::EBADF),
    }
}

/// `fd_prestat_get(fd, buf) -> errno`; `buf` is an 8-byte `prestat`
/// (tag 0 = directory, then the name length at offset 4).
pub(crate) fn fd_prestat_get<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    fd: u32,
    buf: u32,
) -> WasiResult {
    let memory = memory(caller)?;
    let name = preopen_name(get(caller.data_mut()), fd)?;
    let mut prestat = [0u8; 8];
    prestat[4..].copy_from_slice(&(name.len() as u32).to_le_bytes());
    write_bytes(memory.data_mut(caller), buf, &prestat)?;
    Ok(())
}

/// `fd_prestat_dir_name(fd, path, path_len) -> errno`: the name, not
/// NUL-terminated; `ENAMETOOLONG` if `path_len` is too small.
pub(crate) fn fd_prestat_dir_name<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    let memory = memory(caller)?;
    let name = preopen_name(get(caller.data_mut()), fd)?;
    if (path_len as usize) < name.len() {
        return Err(Errno::ENAMETOOLONG.into());
    }
    let data = memory.data_mut(caller);
    mem::check(data, path, path_len)?;
    write_bytes(data, path, &name)?;
    Ok(())
}
