//! Path functions: `path_open` and the directory operations. Every path
//! resolves beneath its directory descriptor through cap-std (openat2 with
//! RESOLVE_BENEATH where the kernel has it, a component-by-component walk
//! otherwise): `..` above it, absolute paths and symbolic links leading
//! out fail with `EPERM`, as in wasmtime, and never reach the host.

use crate::abi::{fdflags, oflags, rights};
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::fd::flags16;
use crate::filestat::follow;
use crate::mem::{fatal, Mem};
use crate::table::{Desc, DirDesc, FileDesc};
use cap_fs_ext::{FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt};
use std::os::unix::ffi::OsStrExt;

/// `path_open(fd, dirflags, path, path_len, oflags, rights_base,
/// rights_inheriting, fdflags, fd*)`.
///
/// As in wasmtime, rights are not enforced: they only choose the access
/// mode (read unless only writing was asked for; write if asked, or to
/// create or truncate). A directory opened for writing is `EISDIR`, a
/// final symbolic link without `SYMLINK_FOLLOW` is `ELOOP`, and the
/// synchronous-write flags are not supported.
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_open(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags: u32,
    base: u64,
    inheriting: u64,
    fdflags: u32,
    out: u32,
) -> WasiResult {
    let follow = follow(dirflags)?;
    let oflags = flags16(oflags, oflags::ALL, "oflags")?;
    for r in [base, inheriting] {
        if r & !rights::ALL != 0 {
            return Err(fatal(format!("invalid rights value {r:#x}")));
        }
    }
    let fdflags = flags16(fdflags, fdflags::ALL, "fdflags")?;
    let path = mem.string(path, path_len)?;
    let d = match cx.table.get(fd)? {
        Desc::Dir(d) => d,
        Desc::File(_) => return Err(Errno::ENOTDIR.into()),
        _ => return Err(Errno::EBADF.into()),
    };
    let (create, trunc) = (oflags & oflags::CREAT != 0, oflags & oflags::TRUNC != 0);
    let write = base & rights::FD_WRITE != 0 || create || trunc;
    let read = base & rights::FD_READ != 0 || base & rights::FD_WRITE == 0;
    if write && !d.mutable {
        return Err(Errno::EPERM.into());
    }
    if fdflags & (fdflags::SYNC | fdflags::DSYNC | fdflags::RSYNC) != 0 {
        return Err(Errno::ENOTSUP.into());
    }
    let directory = oflags & oflags::DIRECTORY != 0;
    if directory && oflags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0 {
        return Err(Errno::EINVAL.into());
    }
    let mut opts = cap_std::fs::OpenOptions::new();
    opts.read(read).write(write).truncate(trunc);
    if create && oflags & oflags::EXCL != 0 {
        opts.create_new(true);
    } else {
        opts.create(create);
    }
    opts.follow(if follow {
        FollowSymlinks::Yes
    } else {
        FollowSymlinks::No
    });
    opts.maybe_dir(true);
    let file = d.dir.open_with(path, &opts)?;
    let desc = if file.metadata()?.is_dir() {
        Desc::Dir(DirDesc {
            dir: cap_std::fs::Dir::from_std_file(file.into_std()),
            preopen: None,
            mutable: d.mutable,
        })
    } else if directory {
        return Err(Errno::ENOTDIR.into());
    } else {
        Desc::File(FileDesc {
            file,
            readable: read,
            writable: write,
            pos: 0,
            append: fdflags & fdflags::APPEND != 0,
            nonblock: fdflags & fdflags::NONBLOCK != 0,
        })
    };
    let new_fd = cx.table.insert(desc);
    mem.write_u32(out, new_fd)
}

/// The directory of `fd` and the path at (`ptr`, `len`), in that order
/// (a bad descriptor is reported before a bad path); `EPERM` afterwards
/// if the directory is read-only.
fn mutable_target<'a>(
    cx: &'a WasiCtx,
    mem: &'a mut Mem,
    fd: u32,
    ptr: u32,
    len: u32,
) -> WasiResult<(&'a cap_std::fs::Dir, &'a str)> {
    let d = cx.table.dir(fd)?;
    let path = mem.string(ptr, len)?;
    if !d.mutable {
        return Err(Errno::EPERM.into());
    }
    Ok((&d.dir, path))
}

/// Change the entry at (`path`, `len`) beneath directory `fd` with `op`.
fn change_entry(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    (fd, path, len): (u32, u32, u32),
    op: impl FnOnce(&cap_std::fs::Dir, &str) -> std::io::Result<()>,
) -> WasiResult {
    let (dir, path) = mutable_target(cx, mem, fd, path, len)?;
    op(dir, path)?;
    Ok(())
}

/// `path_create_directory(fd, path, path_len)`
pub(crate) fn path_create_directory(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    path: u32,
    len: u32,
) -> WasiResult {
    change_entry(cx, mem, (fd, path, len), |dir, path| dir.create_dir(path))
}

/// `path_remove_directory(fd, path, path_len)`
pub(crate) fn path_remove_directory(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    path: u32,
    len: u32,
) -> WasiResult {
    change_entry(cx, mem, (fd, path, len), |dir, path| {
        // wasmtime removes `d/` as `d` (but `d/.` is `EINVAL`, like `.`).
        let trimmed = path.trim_end_matches('/');
        dir.remove_dir(if trimmed.is_empty() { path } else { trimmed })
    })
}

/// `path_unlink_file(fd, path, path_len)`: files and symbolic links.
pub(crate) fn path_unlink_file(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    path: u32,
    len: u32,
) -> WasiResult {
    change_entry(cx, mem, (fd, path, len), |dir, path| dir.remove_file(path))
}

/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`:
/// the link's contents are stored as given, but one that is absolute or
/// climbs out of the directory can never be followed.
pub(crate) fn path_symlink(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    old: u32,
    old_len: u32,
    fd: u32,
    new: u32,
    new_len: u32,
) -> WasiResult {
    let d = cx.table.dir(fd)?;
    let target = mem.string(old, old_len)?.to_owned();
    let link = mem.string(new, new_len)?;
    if !d.mutable {
        return Err(Errno::EPERM.into());
    }
    d.dir.symlink(target, link)?;
    Ok(())
}

/// `path_readlink(fd, path, path_len, buf, buf_len, bufused*)`: the
/// contents, cut to the buffer (no NUL).
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_readlink(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    path: u32,
    len: u32,
    buf: u32,
    buf_len: u32,
    out: u32,
) -> WasiResult {
    let dir = &cx.table.dir(fd)?.dir;
    let path = mem.string(path, len)?;
    let target = dir.read_link(path)?;
    let bytes = target.as_os_str().as_bytes();
    std::str::from_utf8(bytes).map_err(|_| Errno::EILSEQ)?;
    let n = bytes.len().min(buf_len as usize);
    mem.write_bytes(buf, &bytes[..n])?;
    mem.write_u32(out, n as u32)
}

/// Two directories and a path in each, for rename and link: descriptors
/// first, then paths, then permissions.
fn two_targets<'a>(
    cx: &'a WasiCtx,
    mem: &'a mut Mem,
    (old_fd, old, old_len): (u32, u32, u32),
    (new_fd, new, new_len): (u32, u32, u32),
) -> WasiResult<(&'a DirDesc, String, &'a DirDesc, String)> {
    let old_dir = cx.table.dir(old_fd)?;
    let new_dir = cx.table.dir(new_fd)?;
    let old = mem.string(old, old_len)?.to_owned();
    let new = mem.string(new, new_len)?.to_owned();
    Ok((old_dir, old, new_dir, new))
}

/// `path_rename(old_fd, old_path, old_path_len, new_fd, new_path, new_path_len)`
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_rename(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    old_fd: u32,
    old: u32,
    old_len: u32,
    new_fd: u32,
    new: u32,
    new_len: u32,
) -> WasiResult {
    let (from, old, to, new) =
        two_targets(cx, mem, (old_fd, old, old_len), (new_fd, new, new_len))?;
    if !from.mutable || !to.mutable {
        return Err(Errno::EPERM.into());
    }
    from.dir.rename(old, &to.dir, new)?;
    Ok(())
}

/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path,
/// new_path_len)`: links never follow a final symbolic link (asking to
/// is `EINVAL`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_link(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    old_fd: u32,
    old_flags: u32,
    old: u32,
    old_len: u32,
    new_fd: u32,
    new: u32,
    new_len: u32,
) -> WasiResult {
    let follow = follow(old_flags)?;
    let (from, old, to, new) =
        two_targets(cx, mem, (old_fd, old, old_len), (new_fd, new, new_len))?;
    if follow {
        return Err(Errno::EINVAL.into());
    }
    if !from.mutable || !to.mutable {
        return Err(Errno::EPERM.into());
    }
    from.dir.hard_link(old, &to.dir, new)?;
    Ok(())
}
