//! `args_*` and `environ_*`: NUL-terminated string lists.

use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::mem::{check, memory, write_bytes, write_u32};
use wx_runtime::Caller;

/// Which list a call reads.
#[derive(Clone, Copy, Debug)]
pub(crate) enum List {
    Args,
    Environ,
}

fn strings(ctx: &WasiCtx, list: List) -> &[String] {
    match list {
        List::Args => ctx.args(),
        List::Environ => ctx.env(),
    }
}

/// The number of strings and the bytes they need with their NULs.
fn sizes(strings: &[String]) -> Result<(u32, u32), Errno> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::EOVERFLOW)?;
    let bytes: usize = strings.iter().map(|s| s.len() + 1).sum();
    let bytes = u32::try_from(bytes).map_err(|_| Errno::EOVERFLOW)?;
    Ok((count, bytes))
}

/// `args_sizes_get(argc, argv_buf_size) -> errno` and
/// `environ_sizes_get(count, buf_size) -> errno`.
pub(crate) fn sizes_get<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    list: List,
    count_ptr: u32,
    size_ptr: u32,
) -> WasiResult {
    let memory = memory(caller)?;
    let (count, bytes) = sizes(strings(get(caller.data_mut()), list))?;
    let data = memory.data_mut(caller);
    check(data, count_ptr, 4)?;
    check(data, size_ptr, 4)?;
    write_u32(data, count_ptr, count)?;
    write_u32(data, size_ptr, bytes)?;
    Ok(())
}

/// `args_get(argv, argv_buf) -> errno` and `environ_get(environ, buf) -> errno`:
/// one pointer per string at `ptrs`, the NUL-terminated strings packed at `buf`.
pub(crate) fn list_get<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    list: List,
    ptrs: u32,
    buf: u32,
) -> WasiResult {
    let memory = memory(caller)?;
    let strings = strings(get(caller.data_mut()), list).to_vec();
    let (count, bytes) = sizes(&strings)?;
    let data = memory.data_mut(caller);
    check(data, ptrs, count.checked_mul(4).ok_or(Errno::EFAULT)?)?;
    check(data, buf, bytes)?;
    // In range, so `buf + offset` cannot overflow.
    let mut offset = buf;
    for (i, s) in strings.iter().enumerate() {
        write_u32(data, ptrs + 4 * i as u32, offset)?;
        write_bytes(data, offset, s.as_bytes())?;
        offset += s.len() as u32;
        write_bytes(data, offset, &[0])?;
        offset += 1;
    }
    Ok(())
}
