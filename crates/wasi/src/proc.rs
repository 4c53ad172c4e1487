//! `proc_exit`, `sched_yield` and `random_get`.

use crate::errno::{Errno, WasiResult};
use crate::mem::{memory, slice_mut};
use std::io;
use wx_runtime::{Caller, Error};

/// `proc_exit(rval)`: unwinds the guest with [`Error::Exit`].
pub(crate) fn proc_exit(code: i32) -> Error {
    Error::Exit(code)
}

/// `sched_yield() -> errno`
pub(crate) fn sched_yield() -> WasiResult {
    std::thread::yield_now();
    Ok(())
}

/// `random_get(buf, buf_len) -> errno`: fills the guest buffer from the
/// host's cryptographic random source.
pub(crate) fn random_get<T>(caller: &mut Caller<'_, T>, buf: u32, len: u32) -> WasiResult {
    let memory = memory(caller)?;
    let dst = slice_mut(memory.data_mut(caller), buf, len)?;
    fill_random(dst).map_err(Errno::from)?;
    Ok(())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn fill_random(mut buf: &mut [u8]) -> io::Result<()> {
    while !buf.is_empty() {
        // SAFETY: `buf` is valid for writes of `buf.len()` bytes; getrandom
        // writes at most that many.
        let n = unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n < 0 {
            let e = io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::ENOSYS) => return fill_from_urandom(buf),
                _ => return Err(e),
            }
        }
        buf = &mut buf[n as usize..];
    }
    Ok(())
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn fill_random(buf: &mut [u8]) -> io::Result<()> {
    fill_from_urandom(buf)
}

fn fill_from_urandom(buf: &mut [u8]) -> io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_fills_buffers() {
        let mut a = [0u8; 64];
        let mut b = [0u8; 64];
        fill_random(&mut a).unwrap();
        fill_random(&mut b).unwrap();
        assert_ne!(a, b);
        fill_random(&mut []).unwrap();
        let mut c = [0u8; 64];
        fill_from_urandom(&mut c).unwrap();
        assert_ne!(c, [0u8; 64]);
    }
}
