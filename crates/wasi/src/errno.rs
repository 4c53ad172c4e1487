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
    fn from(e: io::Error) -> Errno {
        if let Some(code) = e.raw_os_error() {
            if let Some(errno) = from_host_errno(code) {
                return errno;
            }
        }
        use io::ErrorKind as K;
        match e.kind() {
            K::NotFound => Errno::ENOENT,
            K::PermissionDenied => Errno::EACCES,
            K::ConnectionRefused => Errno::ECONNREFUSED,
            K::ConnectionReset => Errno::ECONNRESET,
            K::ConnectionAborted => Errno::ECONNABORTED,
            K::NotConnected => Errno::ENOTCONN,
            K::AddrInUse => Errno::EADDRINUSE,
            K::AddrNotAvailable => Errno::EADDRNOTAVAIL,
            K::BrokenPipe => Errno::EPIPE,
            K::AlreadyExists => Errno::EEXIST,
            K::WouldBlock => Errno::EAGAIN,
            K::InvalidInput => Errno::EINVAL,
            K::TimedOut => Errno::ETIMEDOUT,
            K::Interrupted => Errno::EINTR,
            K::Unsupported => Errno::ENOTSUP,
            K::OutOfMemory => Errno::ENOMEM,
            _ => Errno::EIO,
        }
    }
}

/// The WASI errno for a host `errno` value, for the common ones.
fn from_host_errno(code: i32) -> Option<Errno> {
    Some(match code {
        libc::EPERM => Errno::EPERM,
        libc::ENOENT => Errno::ENOENT,
        libc::EINTR => Errno::EINTR,
        libc::EIO => Errno::EIO,
        libc::ENXIO => Errno::ENXIO,
        libc::E2BIG => Errno::E2BIG,
        libc::EBADF => Errno::EBADF,
        libc::EAGAIN => Errno::EAGAIN,
        libc::ENOMEM => Errno::ENOMEM,
        libc::EACCES => Errno::EACCES,
        libc::EFAULT => Errno::EFAULT,
        libc::EBUSY => Errno::EBUSY,
        libc::EEXIST => Errno::EEXIST,
        libc::EXDEV => Errno::EXDEV,
        libc::ENODEV => Errno::ENODEV,
        libc::ENOTDIR => Errno::ENOTDIR,
        libc::EISDIR => Errno::EISDIR,
        libc::EINVAL => Errno::EINVAL,
        libc::ENFILE => Errno::ENFILE,
        libc::EMFILE => Errno::EMFILE,
        libc::ENOTTY => Errno::ENOTTY,
        libc::EFBIG => Errno::EFBIG,
        libc::ENOSPC => Errno::ENOSPC,
        libc::ESPIPE => Errno::ESPIPE,
        libc::EROFS => Errno::EROFS,
        libc::EPIPE => Errno::EPIPE,
        libc::ERANGE => Errno::ERANGE,
        libc::ENAMETOOLONG => Errno::ENAMETOOLONG,
        libc::ENOSYS => Errno::ENOSYS,
        libc::ENOTEMPTY => Errno::ENOTEMPTY,
        libc::ELOOP => Errno::ELOOP,
        libc::EOVERFLOW => Errno::EOVERFLOW,
        libc::ECONNRESET => Errno::ECONNRESET,
        libc::ETIMEDOUT => Errno::ETIMEDOUT,
        _ => return None,
    })
}

/// Why a WASI call did not succeed: an errno for the guest, or an error
/// that stops execution (`proc_exit`, a module without memory).
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
    }
}
