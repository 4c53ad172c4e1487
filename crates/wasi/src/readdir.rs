//! `fd_readdir`: directory entries, as wasmtime lists them.

use crate::abi::{filetype, size};
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::filestat::{filetype_of, inode_hash};
use crate::mem::Mem;
use cap_fs_ext::MetadataExt;

/// One entry: its name, inode number (hashed, see
/// [`crate::filestat::Filestat::of`]) and type.
struct Entry {
    name: String,
    ino: u64,
    ty: u8,
}

/// The entries of `dir` as the guest sees them: `.` and `..` first (both
/// with the directory's own inode number), then the host's entries in the
/// host's order. A name that is not UTF-8, or an entry that vanished while
/// being listed, fails the whole listing.
fn entries(dir: &cap_std::fs::Dir) -> WasiResult<Vec<Entry>> {
    let me = dir.dir_metadata()?;
    let own = inode_hash(me.dev(), me.ino());
    let mut out = vec![
        Entry {
            name: ".".into(),
            ino: own,
            ty: filetype::DIRECTORY,
        },
        Entry {
            name: "..".into(),
            ino: own,
            ty: filetype::DIRECTORY,
        },
    ];
    for e in dir.entries()? {
        let e = e?;
        let name = e.file_name().into_string().map_err(|_| Errno::EILSEQ)?;
        let meta = e.metadata()?;
        out.push(Entry {
            name,
            ino: inode_hash(meta.dev(), meta.ino()),
            ty: filetype_of(meta.file_type()),
        });
    }
    Ok(out)
}

/// The encoded entries from index `cookie` on, at most `cap` bytes: each a
/// 24-byte `dirent` (`d_next`, `d_ino`, `d_namlen`, `d_type`) and its name
/// without a NUL. The last entry may be cut anywhere; a full buffer tells
/// the guest to ask again from the last whole entry's `d_next`.
fn encode(entries: &[Entry], cookie: u64, cap: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let skip = usize::try_from(cookie).unwrap_or(usize::MAX);
    for (i, e) in entries.iter().enumerate().skip(skip) {
        let mut header = [0u8; size::DIRENT as usize];
        header[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
        header[8..16].copy_from_slice(&e.ino.to_le_bytes());
        header[16..20].copy_from_slice(&(e.name.len() as u32).to_le_bytes());
        header[20] = e.ty;
        for part in [&header[..], e.name.as_bytes()] {
            let room = cap - out.len();
            out.extend_from_slice(&part[..part.len().min(room)]);
            if out.len() == cap {
                return out;
            }
        }
    }
    out
}

/// `fd_readdir(fd, buf, buf_len, cookie, bufused*)`
pub(crate) fn fd_readdir(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    out: u32,
) -> WasiResult {
    let dir = &cx.table.dir(fd)?.dir;
    let bytes = encode(&entries(dir)?, cookie, buf_len as usize);
    mem.write_bytes(buf, &bytes)?;
    mem.write_u32(out, bytes.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(name: &str) -> Entry {
        Entry {
            name: name.into(),
            ino: 7,
            ty: filetype::REGULAR_FILE,
        }
    }

    #[test]
    fn entries_encode_and_cut() {
        let list = [e("a"), e("bcd")];
        let all = encode(&list, 0, 1000);
        assert_eq!(all.len(), 24 + 1 + 24 + 3);
        assert_eq!(u64::from_le_bytes(all[0..8].try_into().unwrap()), 1);
        assert_eq!(u32::from_le_bytes(all[16..20].try_into().unwrap()), 1);
        assert_eq!(all[20], filetype::REGULAR_FILE);
        assert_eq!(&all[24..25], b"a");
        assert_eq!(&all[49..], b"bcd");
        // Resuming from the first entry's d_next.
        assert_eq!(encode(&list, 1, 1000), all[25..]);
        assert!(encode(&list, 2, 1000).is_empty());
        assert!(encode(&list, u64::MAX, 1000).is_empty());
        // A buffer smaller than one header gets the bytes that fit.
        assert_eq!(encode(&list, 0, 10), all[..10]);
        assert_eq!(encode(&list, 0, 26), all[..26]);
    }
}
