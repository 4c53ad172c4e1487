//! WASI preview1 error numbers, and the outcome type of host functions.

use std::fmt;
use std::io;

/// A WASI `errno` value (preview1 numbering, not the host's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Errno(pub u16);

macro_rules! errnos {
    ($($name:ident = $value:expr, $text:expr;)*) => {
        impl Errno {
            $(
                #[doc = $text]
                pub const $name: Errno = Errno($value);
            )*

            /// The symbolic name (`"EBADF"`), or `"E?"` for an unknown number.
            pub fn name(self) -> &'static str {
                match self.0 {
                    $($value => stringify!($name),)*
                    _ => "E?",
                }
            }
        }
    };
}

errnos! {
    SUCCESS = 0, "No error occurred.";
    E2BIG = 1, "Argument list too long.";
    EACCES = 2, "Permission denied.";
    EADDRINUSE = 3, "Address in use.";
    EADDRNOTAVAIL = 4, "Address not available.";
    EAFNOSUPPORT = 5, "Address family not supported.";
    EAGAIN = 6, "Resource unavailable, or operation would block.";
    EALREADY = 7, "Connection already in progress.";
    EBADF = 8, "Bad file descriptor.";
    EBADMSG = 9, "Bad message.";
    EBUSY = 10, "Device or resource busy.";
    ECANCELED = 11, "Operation canceled.";
    ECHILD = 12, "No child processes.";
    ECONNABORTED = 13, "Connection aborted.";
    ECONNREFUSED = 14, "Connection refused.";
    ECONNRESET = 15, "Connection reset.";
    EDEADLK = 16, "Resource deadlock would occur.";
    EDESTADDRREQ = 17, "Destination address required.";
    EDOM = 18, "Mathematics argument out of domain of function.";
    EDQUOT = 19, "Reserved.";
    EEXIST = 20, "File exists.";
    EFAULT = 21, "Bad address.";
    EFBIG = 22, "File too large.";
    EHOSTUNREACH = 23, "Host is unreachable.";
    EIDRM = 24, "Identifier removed.";
    EILSEQ = 25, "Illegal byte sequence.";
    EINPROGRESS = 26, "Operation in progress.";
    EINTR = 27, "Interrupted function.";
    EINVAL = 28, "Invalid argument.";
    EIO = 29, "I/O error.";
    EISCONN = 30, "Socket is connected.";
    EISDIR = 31, "Is a directory.";
    ELOOP = 32, "Too many levels of symbolic links.";
    EMFILE = 33, "File descriptor value too large.";
    EMLINK = 34, "Too many links.";
    EMSGSIZE = 35, "Message too large.";
    EMULTIHOP = 36, "Reserved.";
    ENAMETOOLONG = 37, "Filename too long.";
    ENETDOWN = 38, "Network is down.";
    ENETRESET = 39, "Connection aborted by network.";
    ENETUNREACH = 40, "Network unreachable.";
    ENFILE = 41, "Too many files open in system.";
    ENOBUFS = 42, "No buffer space available.";
    ENODEV = 43, "No such device.";
    ENOENT = 44, "No such file or directory.";
    ENOEXEC = 45, "Executable file format error.";
    ENOLCK = 46, "No locks available.";
    ENOLINK = 47, "Reserved.";
    ENOMEM = 48, "Not enough space.";
    ENOMSG = 49, "No message of the desired type.";
    ENOPROTOOPT = 50, "Protocol not available.";
    ENOSPC = 51, "No space left on device.";
    ENOSYS = 52, "Function not supported.";
    ENOTCONN = 53, "The socket is not connected.";
    ENOTDIR = 54, "Not a directory or a symbolic link to a directory.";
    ENOTEMPTY = 55, "Directory not empty.";
    ENOTRECOVERABLE = 56, "State not recoverable.";
    ENOTSOCK = 57, "Not a socket.";
    ENOTSUP = 58, "Not supported, or operation not supported on socket.";
    ENOTTY = 59, "Inappropriate I/O control operation.";
    ENXIO = 60, "No such device or address.";
    EOVERFLOW = 61, "Value too large to be stored in data type.";
    EOWNERDEAD = 62, "Previous owner died.";
    EPERM = 63, "Operation not permitted.";
    EPIPE = 64, "Broken pipe.";
    EPROTO = 65, "Protocol error.";
    EPROTONOSUPPORT = 66, "Protocol not supported.";
    EPROTOTYPE = 67, "Protocol wrong type for socket.";
    ERANGE = 68, "Result too large.";
    EROFS = 69, "Read-only file system.";
    ESPIPE = 70, "Invalid seek.";
    ESRCH = 71, "No such process.";
    ESTALE = 72, "Reserved.";
    ETIMEDOUT = 73, "Connection timed out.";
    ETXTBSY = 74, "Text file busy.";
    EXDEV = 75, "Cross-device link.";
    ENOTCAPABLE = 76, "Extension: Capabilities insufficient.";
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.0)
    }
}

impl From<io::Error> for Errno {
    /// The errno wasmtime gives the guest for a host file-system error:
    /// the host errno where preview2 has a matching error code, else by
    /// the error's kind, else `EIO` (so EROFS, EXDEV and EMFILE are EIO,
    /// and cap-std's "path escapes the sandbox" is EPERM).
    fn from(e: io::Error) -> Errno {
        if let Some(errno) = e.raw_os_error().and_then(from_fs_errno) {
            return errno;
        }
        use io::ErrorKind as K;
        match e.kind() {
            K::NotFound => Errno::ENOENT,
            K::PermissionDenied => Errno::EPERM,
            K::AlreadyExists => Errno::EEXIST,
            K::InvalidInput => Errno::EINVAL,
            _ => Errno::EIO,
        }
    }
}

impl From<rustix::io::Errno> for Errno {
    fn from(e: rustix::io::Errno) -> Errno {
        Errno::from(io::Error::from(e))
    }
}

impl Errno {
    /// The errno for a host socket error: every host errno that has a
    /// preview1 number keeps its meaning (sockets report EAGAIN,
    /// ECONNRESET, ENOTCONN... which the file-system mapping folds into
    /// EIO).
    pub(crate) fn from_socket_error(e: &io::Error) -> Errno {
        let code = e.raw_os_error();
        if let Some(errno) = code
            .and_then(from_fs_errno)
            .or_else(|| code.and_then(from_net_errno))
        {
            return errno;
        }
        use io::ErrorKind as K;
        match e.kind() {
            K::WouldBlock => Errno::EAGAIN,
            K::NotFound => Errno::ENOENT,
            K::PermissionDenied => Errno::EPERM,
            K::InvalidInput => Errno::EINVAL,
            _ => Errno::EIO,
        }
    }
}

/// The host errnos with a preview2 file-system error code, and their
/// preview1 numbers.
fn from_fs_errno(code: i32) -> Option<Errno> {
    Some(match code {
        libc::EPIPE => Errno::EPIPE,
        libc::EPERM => Errno::EPERM,
        libc::ENOENT => Errno::ENOENT,
        libc::ENOMEM => Errno::ENOMEM,
        libc::EIO => Errno::EIO,
        libc::EBADF => Errno::EBADF,
        libc::EBUSY => Errno::EBUSY,
        libc::EACCES => Errno::EACCES,
        libc::ENOTDIR => Errno::ENOTDIR,
        libc::EISDIR => Errno::EISDIR,
        libc::EINVAL => Errno::EINVAL,
        libc::EEXIST => Errno::EEXIST,
        libc::EFBIG => Errno::EFBIG,
        libc::ENOSPC => Errno::ENOSPC,
        libc::ESPIPE => Errno::ESPIPE,
        libc::EMLINK => Errno::EMLINK,
        libc::ENAMETOOLONG => Errno::ENAMETOOLONG,
        libc::ENOTEMPTY => Errno::ENOTEMPTY,
        libc::ELOOP => Errno::ELOOP,
        libc::EOVERFLOW => Errno::EOVERFLOW,
        libc::EILSEQ => Errno::EILSEQ,
        libc::EOPNOTSUPP => Errno::ENOTSUP,
        libc::EALREADY => Errno::EALREADY,
        libc::EINPROGRESS => Errno::EINPROGRESS,
        libc::EINTR => Errno::EINTR,
        _ => return None,
    })
}

/// The further host errnos sockets report.
fn from_net_errno(code: i32) -> Option<Errno> {
    Some(match code {
        libc::EAGAIN => Errno::EAGAIN,
        libc::ECONNRESET => Errno::ECONNRESET,
        libc::ECONNABORTED => Errno::ECONNABORTED,
        libc::ECONNREFUSED => Errno::ECONNREFUSED,
        libc::ENOTCONN => Errno::ENOTCONN,
        libc::EISCONN => Errno::EISCONN,
        libc::ENOTSOCK => Errno::ENOTSOCK,
        libc::EADDRINUSE => Errno::EADDRINUSE,
        libc::EADDRNOTAVAIL => Errno::EADDRNOTAVAIL,
        libc::ENETDOWN => Errno::ENETDOWN,
        libc::ENETUNREACH => Errno::ENETUNREACH,
        libc::EHOSTUNREACH => Errno::EHOSTUNREACH,
        libc::ETIMEDOUT => Errno::ETIMEDOUT,
        libc::EMSGSIZE => Errno::EMSGSIZE,
        libc::ENOBUFS => Errno::ENOBUFS,
        libc::EMFILE => Errno::EMFILE,
        libc::ENFILE => Errno::ENFILE,
        _ => return None,
    })
}

/// Why a WASI call did not succeed: an errno for the guest, or an error
/// that stops execution (`proc_exit`, a bad pointer, an invalid flag).
#[derive(Debug)]
pub(crate) enum Fault {
    Errno(Errno),
    Fatal(wx_runtime::Error),
}

impl From<Errno> for Fault {
    fn from(e: Errno) -> Fault {
        Fault::Errno(e)
    }
}

impl From<io::Error> for Fault {
    fn from(e: io::Error) -> Fault {
        Fault::Errno(Errno::from(e))
    }
}

/// The outcome of a WASI function as the guest sees it.
pub(crate) type WasiResult<T = ()> = Result<T, Fault>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_matches_preview1() {
        assert_eq!(Errno::EBADF.0, 8);
        assert_eq!(Errno::EFAULT.0, 21);
        assert_eq!(Errno::EINVAL.0, 28);
        assert_eq!(Errno::ENOSYS.0, 52);
        assert_eq!(Errno::ESPIPE.0, 70);
        assert_eq!(Errno::ENOTCAPABLE.0, 76);
        assert_eq!(Errno::ESPIPE.name(), "ESPIPE");
        assert_eq!(Errno(999).name(), "E?");
    }

    #[test]
    fn io_errors_map_to_wasi_numbers() {
        let e = io::Error::from_raw_os_error(libc::EPIPE);
        assert_eq!(Errno::from(e), Errno::EPIPE);
        let e = io::Error::new(io::ErrorKind::NotFound, "x");
        assert_eq!(Errno::from(e), Errno::ENOENT);
        let e = io::Error::other("x");
        assert_eq!(Errno::from(e), Errno::EIO);
        // As in wasmtime: unmapped host errnos are EIO, sandbox escapes EPERM.
        let e = io::Error::from_raw_os_error(libc::EROFS);
        assert_eq!(Errno::from(e), Errno::EIO);
        let e = io::Error::new(io::ErrorKind::PermissionDenied, "escape");
        assert_eq!(Errno::from(e), Errno::EPERM);
        let e = io::Error::from_raw_os_error(libc::EAGAIN);
        assert_eq!(Errno::from_socket_error(&e), Errno::EAGAIN);
    }
}
