//! File attributes: `fd_filestat_*` and `path_filestat_*`.

use crate::abi::filetype;
use crate::abi::{fstflags, lookupflags, size};
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::fd::{flags16, tty_type};
use crate::mem::{fatal, Mem};
use crate::table::Desc;
use cap_fs_ext::{DirExt, FileTypeExt, MetadataExt};
use cap_std::fs::{FileType, Metadata};
use std::hash::{Hash, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A preview1 `filestat`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

impl Filestat {
    /// What wasmtime reports for a host file: device 1, an inode number
    /// hashed from the host's device and inode (so a guest learns nothing
    /// about the host's devices, yet equal files have equal numbers), and
    /// the creation time as `ctim`.
    pub fn of(meta: &Metadata) -> Filestat {
        Filestat {
            dev: 1,
            ino: inode_hash(meta.dev(), meta.ino()),
            filetype: filetype_of(meta.file_type()),
            nlink: meta.nlink(),
            size: meta.len(),
            atim: nanos(meta.accessed().ok().map(|t| t.into_std())),
            mtim: nanos(meta.modified().ok().map(|t| t.into_std())),
            ctim: nanos(meta.created().ok().map(|t| t.into_std())),
        }
    }

    fn write(&self, mem: &mut Mem, out: u32) -> WasiResult {
        mem.check(out, size::FILESTAT, 8)?;
        mem.write_u64(out, self.dev)?;
        mem.write_u64(out + 8, self.ino)?;
        mem.write_u8(out + 16, self.filetype)?;
        mem.write_u64(out + 24, self.nlink)?;
        mem.write_u64(out + 32, self.size)?;
        mem.write_u64(out + 40, self.atim)?;
        mem.write_u64(out + 48, self.mtim)?;
        mem.write_u64(out + 56, self.ctim)
    }
}

/// The guest's inode number for host file (`dev`, `ino`).
pub(crate) fn inode_hash(dev: u64, ino: u64) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (dev, ino).hash(&mut h);
    h.finish()
}

/// Nanoseconds since the epoch; 0 when unknown or before it.
fn nanos(t: Option<SystemTime>) -> u64 {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos().min(u64::MAX as u128) as u64)
}

pub(crate) fn filetype_of(ft: FileType) -> u8 {
    if ft.is_dir() {
        filetype::DIRECTORY
    } else if ft.is_file() {
        filetype::REGULAR_FILE
    } else if ft.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if ft.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if ft.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else {
        filetype::UNKNOWN
    }
}

/// The filetype of an open non-directory.
pub(crate) fn file_filetype(file: &cap_std::fs::File) -> WasiResult<u8> {
    Ok(filetype_of(file.metadata()?.file_type()))
}

/// `fd_filestat_get(fd, filestat*)`: standard streams report only their
/// type (a terminal or nothing known), as in wasmtime.
pub(crate) fn fd_filestat_get(cx: &mut WasiCtx, mem: &mut Mem, fd: u32, out: u32) -> WasiResult {
    let stat = match cx.table.get(fd)? {
        Desc::File(f) => Filestat::of(&f.file.metadata()?),
        Desc::Dir(d) => Filestat::of(&d.dir.dir_metadata()?),
        Desc::Stdin(s) => Filestat {
            filetype: tty_type(s.input.is_terminal()),
            ..Filestat::default()
        },
        Desc::Output(stream, o) => Filestat {
            filetype: tty_type(o.is_terminal(*stream)),
            ..Filestat::default()
        },
        Desc::Listener(_) | Desc::Stream(_) => Filestat {
            filetype: filetype::SOCKET_STREAM,
            ..Filestat::default()
        },
    };
    stat.write(mem, out)
}

/// `fd_filestat_set_size(fd, size)`
pub(crate) fn fd_filestat_set_size(
    cx: &mut WasiCtx,
    _mem: &mut Mem,
    fd: u32,
    size: u64,
) -> WasiResult {
    cx.table.file(fd)?.file.set_len(size)?;
    Ok(())
}

/// A timestamp to set: the given time, now, or unchanged (`None`), from
/// the `fstflags`; both forms of one time at once are `EINVAL`.
fn times(atim: u64, mtim: u64, fst: u32) -> WasiResult<[Option<Time>; 2]> {
    let fst = flags16(fst, fstflags::ALL, "fstflags")?;
    let one = |t: u64, set: u16, now: u16| -> WasiResult<Option<Time>> {
        match (fst & set != 0, fst & now != 0) {
            (true, true) => Err(Errno::EINVAL.into()),
            (true, false) => Ok(Some(Time::At(UNIX_EPOCH + Duration::from_nanos(t)))),
            (false, true) => Ok(Some(Time::Now)),
            (false, false) => Ok(None),
        }
    };
    Ok([
        one(atim, fstflags::ATIM, fstflags::ATIM_NOW)?,
        one(mtim, fstflags::MTIM, fstflags::MTIM_NOW)?,
    ])
}

#[derive(Clone, Copy, Debug)]
enum Time {
    Now,
    At(SystemTime),
}

impl Time {
    fn for_fd(self) -> fs_set_times::SystemTimeSpec {
        match self {
            Time::Now => fs_set_times::SystemTimeSpec::SymbolicNow,
            Time::At(t) => fs_set_times::SystemTimeSpec::Absolute(t),
        }
    }

    fn for_path(self) -> cap_fs_ext::SystemTimeSpec {
        match self {
            Time::Now => cap_fs_ext::SystemTimeSpec::SymbolicNow,
            Time::At(t) => {
                cap_fs_ext::SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(t))
            }
        }
    }
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`
pub(crate) fn fd_filestat_set_times(
    cx: &mut WasiCtx,
    _mem: &mut Mem,
    fd: u32,
    atim: u64,
    mtim: u64,
    fst: u32,
) -> WasiResult {
    use fs_set_times::SetTimes;
    let [a, m] = times(atim, mtim, fst)?;
    match cx.table.get(fd)? {
        Desc::File(f) => SetTimes::set_times(&f.file, a.map(Time::for_fd), m.map(Time::for_fd))?,
        Desc::Dir(d) if !d.mutable => return Err(Errno::EPERM.into()),
        // Through the directory's path: a preopen is open for lookups only.
        Desc::Dir(d) => {
            DirExt::set_times(&d.dir, ".", a.map(Time::for_path), m.map(Time::for_path))?
        }
        _ => return Err(Errno::EBADF.into()),
    }
    Ok(())
}

/// Whether `path` names a directory by its form (a trailing `/` or
/// `/.`): the kernel then follows a final symbolic link whatever the
/// flags say, and anything but a directory is `ENOTDIR`.
pub(crate) fn requires_dir(path: &str) -> bool {
    path.ends_with('/') || path.ends_with("/.")
}

/// A `lookupflags` argument: whether to follow a final symbolic link.
pub(crate) fn follow(flags: u32) -> WasiResult<bool> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(fatal(format!("invalid lookupflags value {flags:#x}")));
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

/// `path_filestat_get(fd, flags, path, path_len, filestat*)`
pub(crate) fn path_filestat_get(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    out: u32,
) -> WasiResult {
    let follow = follow(flags)?;
    let dir = &cx.table.dir(fd)?.dir;
    let path = mem.string(path, path_len)?;
    let meta = if follow || requires_dir(path) {
        dir.metadata(path)?
    } else {
        dir.symlink_metadata(path)?
    };
    if requires_dir(path) && !meta.is_dir() {
        return Err(Errno::ENOTDIR.into());
    }
    Filestat::of(&meta).write(mem, out)
}

/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`
#[allow(clippy::too_many_arguments)]
pub(crate) fn path_filestat_set_times(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst: u32,
) -> WasiResult {
    let follow = follow(flags)?;
    let [a, m] = times(atim, mtim, fst)?;
    let (a, m) = (a.map(Time::for_path), m.map(Time::for_path));
    let d = cx.table.dir(fd)?;
    let path = mem.string(path, path_len)?;
    if !d.mutable {
        return Err(Errno::EPERM.into());
    }
    if requires_dir(path) && !d.dir.metadata(path)?.is_dir() {
        return Err(Errno::ENOTDIR.into());
    }
    if follow || requires_dir(path) {
        d.dir.set_times(path, a, m)?;
    } else {
        d.dir.set_symlink_times(path, a, m)?;
    }
    Ok(())
}
