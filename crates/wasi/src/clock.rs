//! `clock_res_get` and `clock_time_get`.

use crate::errno::{Errno, WasiResult};
use crate::mem::{memory, write_u64};
use wx_runtime::Caller;

/// A WASI `clockid` as the host clock it reads.
fn host_clock(id: u32) -> Result<libc::clockid_t, Errno> {
    Ok(match id {
        0 => libc::CLOCK_REALTIME,
        1 => libc::CLOCK_MONOTONIC,
        2 => libc::CLOCK_PROCESS_CPUTIME_ID,
        3 => libc::CLOCK_THREAD_CPUTIME_ID,
        _ => return Err(Errno::EINVAL),
    })
}

/// Read clock `id` (`resolution`: its resolution instead of its time), in nanoseconds.
pub(crate) fn read_clock(id: u32, resolution: bool) -> Result<u64, Errno> {
    let clock = host_clock(id)?;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call;
    // both functions only write through the pointer.
    let rc = unsafe {
        if resolution {
            libc::clock_getres(clock, &mut ts)
        } else {
            libc::clock_gettime(clock, &mut ts)
        }
    };
    if rc != 0 {
        return Err(Errno::from(std::io::Error::last_os_error()));
    }
    let secs = u64::try_from(ts.tv_sec).map_err(|_| Errno::EOVERFLOW)?;
    let nanos = u64::try_from(ts.tv_nsec).map_err(|_| Errno::EOVERFLOW)?;
    secs.checked_mul(1_000_000_000)
        .and_then(|ns| ns.checked_add(nanos))
        .ok_or(Errno::EOVERFLOW)
}

/// `clock_res_get(id, resolution) -> errno`
pub(crate) fn clock_res_get<T>(caller: &mut Caller<'_, T>, id: u32, out: u32) -> WasiResult {
    let memory = memory(caller)?;
    let res = read_clock(id, true)?;
    write_u64(memory.data_mut(caller), out, res)?;
    Ok(())
}

/// `clock_time_get(id, precision, time) -> errno`; the precision hint is ignored.
pub(crate) fn clock_time_get<T>(caller: &mut Caller<'_, T>, id: u32, out: u32) -> WasiResult {
    let memory = memory(caller)?;
    let now = read_clock(id, false)?;
    write_u64(memory.data_mut(caller), out, now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read() {
        for id in 0..4 {
            assert!(read_clock(id, true).unwrap() > 0, "clock {id}");
            read_clock(id, false).unwrap();
        }
        let a = read_clock(1, false).unwrap();
        let b = read_clock(1, false).unwrap();
        assert!(b >= a);
        // Realtime is after 2020.
        assert!(read_clock(0, false).unwrap() > 1_577_836_800_000_000_000);
        assert_eq!(read_clock(4, false), Err(Errno::EINVAL));
    }
}
