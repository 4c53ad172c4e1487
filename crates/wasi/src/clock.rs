//! `clock_res_get` and `clock_time_get`.

use crate::abi::clockid;
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::mem::{fatal, Mem};
use rustix::time::{clock_getres, clock_gettime, ClockId, Timespec};

/// A clock id argument: the realtime or monotonic clock; the CPU-time
/// clocks are `EBADF` (as in wasmtime), other values stop the program
/// (they are not a `clockid`).
fn clock(id: u32, func: &str) -> WasiResult<ClockId> {
    match id {
        clockid::REALTIME => Ok(ClockId::Realtime),
        clockid::MONOTONIC => Ok(ClockId::Monotonic),
        clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID => Err(Errno::EBADF.into()),
        _ => Err(fatal(format!("{func}: invalid clock id {id}"))),
    }
}

pub(crate) fn nanos(ts: Timespec) -> Result<u64, Errno> {
    let secs = u64::try_from(ts.tv_sec).map_err(|_| Errno::EOVERFLOW)?;
    let nanos = u64::try_from(ts.tv_nsec).map_err(|_| Errno::EOVERFLOW)?;
    secs.checked_mul(1_000_000_000)
        .and_then(|ns| ns.checked_add(nanos))
        .ok_or(Errno::EOVERFLOW)
}

/// Nanoseconds since the Unix epoch.
pub(crate) fn realtime() -> Result<u64, Errno> {
    nanos(clock_gettime(ClockId::Realtime))
}

/// Nanoseconds since the context was created.
pub(crate) fn monotonic(cx: &WasiCtx) -> u64 {
    cx.created.elapsed().as_nanos().min(u64::MAX as u128) as u64
}

/// `clock_res_get(id, resolution*)`
pub(crate) fn clock_res_get(_cx: &mut WasiCtx, mem: &mut Mem, id: u32, out: u32) -> WasiResult {
    let res = nanos(clock_getres(clock(id, "clock_res_get")?))?;
    mem.write_u64(out, res)
}

/// `clock_time_get(id, precision, time*)`; the precision hint is ignored.
pub(crate) fn clock_time_get(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    id: u32,
    _precision: u64,
    out: u32,
) -> WasiResult {
    let now = match clock(id, "clock_time_get")? {
        ClockId::Monotonic => monotonic(cx),
        _ => realtime()?,
    };
    mem.write_u64(out, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read() {
        let cx = WasiCtx::builder().build().unwrap();
        let a = monotonic(&cx);
        let b = monotonic(&cx);
        assert!(b >= a && a < 10_000_000_000);
        // Realtime is after 2020.
        assert!(realtime().unwrap() > 1_577_836_800_000_000_000);
        assert!(matches!(
            clock(2, "t"),
            Err(crate::errno::Fault::Errno(Errno::EBADF))
        ));
        assert!(matches!(clock(4, "t"), Err(crate::errno::Fault::Fatal(_))));
    }
}
