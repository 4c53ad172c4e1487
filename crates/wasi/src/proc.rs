//! `proc_exit`, `proc_raise`, `sched_yield` and `random_get`.

use crate::ctx::WasiCtx;
use crate::errno::{Errno, Fault, WasiResult};
use crate::mem::{fatal, Mem};
use wx_runtime::Error;

/// `proc_exit(rval)`: stops the program with [`Error::Exit`]. As in
/// wasmtime, a status of 126 or more (or a negative one) is not an exit
/// status: the program stops with an error instead (exit status 1).
pub(crate) fn proc_exit(code: i32) -> Error {
    if (0..126).contains(&code) {
        Error::Exit(code)
    } else {
        Error::Host("exit with invalid exit status outside of [0..126)".into())
    }
}

/// `proc_raise(sig)`: wasmtime sends no signals (`ENOTSUP`); a value that
/// is no signal stops the program.
pub(crate) fn proc_raise(_cx: &mut WasiCtx, _mem: &mut Mem, sig: u32) -> WasiResult {
    if sig > 30 {
        return Err(fatal(format!("proc_raise: invalid signal {sig}")));
    }
    Err(Errno::ENOTSUP.into())
}

/// `sched_yield()`
pub(crate) fn sched_yield(_cx: &mut WasiCtx, _mem: &mut Mem) -> WasiResult {
    std::thread::yield_now();
    Ok(())
}

/// `random_get(buf, buf_len)`: the host's cryptographic random source.
pub(crate) fn random_get(_cx: &mut WasiCtx, mem: &mut Mem, buf: u32, len: u32) -> WasiResult {
    let dst = mem.slice_mut(buf, len)?;
    fill_random(dst).map_err(|e| Fault::Fatal(Error::Io(e)))
}

pub(crate) fn fill_random(mut buf: &mut [u8]) -> std::io::Result<()> {
    use rustix::rand::{getrandom, GetRandomFlags};
    while !buf.is_empty() {
        match getrandom(&mut *buf, GetRandomFlags::empty()) {
            Ok(n) => buf = &mut buf[n..],
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
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
    }

    #[test]
    fn exit_statuses_follow_wasmtime() {
        assert!(matches!(proc_exit(0), Error::Exit(0)));
        assert!(matches!(proc_exit(125), Error::Exit(125)));
        assert!(matches!(proc_exit(126), Error::Host(_)));
        assert!(matches!(proc_exit(-1), Error::Host(_)));
    }
}
