//! The preview1 functions wx does not implement yet. Each is defined with
//! its real signature, so modules importing them link, and returns `ENOSYS`.

use crate::errno::Errno;
use crate::MODULE;
use wx_runtime::{FuncType, Linker, Result, Val, ValType};

const I32: ValType = ValType::I32;
const I64: ValType = ValType::I64;

/// Name and parameter types (every one returns an `errno` as `i32`).
pub(crate) const UNIMPLEMENTED: &[(&str, &[ValType])] = &[
    // fd, offset, len, advice
    ("fd_advise", &[I32, I64, I64, I32]),
    // fd, offset, len
    ("fd_allocate", &[I32, I64, I64]),
    ("fd_datasync", &[I32]),
    // fd, flags
    ("fd_fdstat_set_flags", &[I32, I32]),
    // fd, rights_base, rights_inheriting
    ("fd_fdstat_set_rights", &[I32, I64, I64]),
    // fd, filestat*
    ("fd_filestat_get", &[I32, I32]),
    // fd, size
    ("fd_filestat_set_size", &[I32, I64]),
    // fd, atim, mtim, fst_flags
    ("fd_filestat_set_times", &[I32, I64, I64, I32]),
    // fd, iovs, iovs_len, offset, nread*
    ("fd_pread", &[I32, I32, I32, I64, I32]),
    // fd, iovs, iovs_len, offset, nwritten*
    ("fd_pwrite", &[I32, I32, I32, I64, I32]),
    // fd, buf, buf_len, cookie, bufused*
    ("fd_readdir", &[I32, I32, I32, I64, I32]),
    // fd, to
    ("fd_renumber", &[I32, I32]),
    ("fd_sync", &[I32]),
    // fd, offset*
    ("fd_tell", &[I32, I32]),
    // fd, path, path_len
    ("path_create_directory", &[I32, I32, I32]),
    // fd, lookupflags, path, path_len, filestat*
    ("path_filestat_get", &[I32, I32, I32, I32, I32]),
    // fd, lookupflags, path, path_len, atim, mtim, fst_flags
    (
        "path_filestat_set_times",
        &[I32, I32, I32, I32, I64, I64, I32],
    ),
    // old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len
    ("path_link", &[I32, I32, I32, I32, I32, I32, I32]),
    // fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, fd*
    ("path_open", &[I32, I32, I32, I32, I32, I64, I64, I32, I32]),
    // fd, path, path_len, buf, buf_len, bufused*
    ("path_readlink", &[I32, I32, I32, I32, I32, I32]),
    // fd, path, path_len
    ("path_remove_directory", &[I32, I32, I32]),
    // fd, old_path, old_path_len, new_fd, new_path, new_path_len
    ("path_rename", &[I32, I32, I32, I32, I32, I32]),
    // old_path, old_path_len, fd, new_path, new_path_len
    ("path_symlink", &[I32, I32, I32, I32, I32]),
    // fd, path, path_len
    ("path_unlink_file", &[I32, I32, I32]),
    // in*, out*, nsubscriptions, nevents*
    ("poll_oneoff", &[I32, I32, I32, I32]),
    // sig
    ("proc_raise", &[I32]),
    // fd, flags, fd*
    ("sock_accept", &[I32, I32, I32]),
    // fd, ri_data, ri_data_len, ri_flags, ro_datalen*, ro_flags*
    ("sock_recv", &[I32, I32, I32, I32, I32, I32]),
    // fd, si_data, si_data_len, si_flags, so_datalen*
    ("sock_send", &[I32, I32, I32, I32, I32]),
    // fd, how
    ("sock_shutdown", &[I32, I32]),
];

/// Define every function of [`UNIMPLEMENTED`] as returning `ENOSYS`.
pub(crate) fn add<T: 'static>(linker: &mut Linker<T>) -> Result<()> {
    for &(name, params) in UNIMPLEMENTED {
        let ty = FuncType::new(params.to_vec(), vec![I32]);
        linker.func_new(MODULE, name, ty, move |_caller, _args, results| {
            tracing::debug!(target: "wx::wasi", "{name}: not implemented, returning ENOSYS");
            results[0] = Val::I32(Errno::ENOSYS.0 as i32);
            Ok(())
        })?;
    }
    Ok(())
}
