//! `args_*` and `environ_*`: NUL-terminated string lists.

use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::mem::Mem;

/// The number of strings and the bytes they need with their NULs.
fn sizes(strings: &[String]) -> Result<(u32, u32), Errno> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::EOVERFLOW)?;
    let bytes: usize = strings.iter().map(|s| s.len() + 1).sum();
    let bytes = u32::try_from(bytes).map_err(|_| Errno::EOVERFLOW)?;
    Ok((count, bytes))
}

/// `args_sizes_get(argc*, argv_buf_size*)`
pub(crate) fn args_sizes_get(cx: &mut WasiCtx, mem: &mut Mem, count: u32, size: u32) -> WasiResult {
    sizes_get(&cx.args, mem, count, size)
}

/// `environ_sizes_get(count*, buf_size*)`
pub(crate) fn environ_sizes_get(
    cx: &mut WasiCtx,
    mem: &mut Mem,
    count: u32,
    size: u32,
) -> WasiResult {
    sizes_get(&cx.env, mem, count, size)
}

/// `args_get(argv*, argv_buf*)`
pub(crate) fn args_get(cx: &mut WasiCtx, mem: &mut Mem, ptrs: u32, buf: u32) -> WasiResult {
    list_get(&cx.args, mem, ptrs, buf)
}

/// `environ_get(environ*, environ_buf*)`
pub(crate) fn environ_get(cx: &mut WasiCtx, mem: &mut Mem, ptrs: u32, buf: u32) -> WasiResult {
    list_get(&cx.env, mem, ptrs, buf)
}

fn sizes_get(strings: &[String], mem: &mut Mem, count_ptr: u32, size_ptr: u32) -> WasiResult {
    let (count, bytes) = sizes(strings)?;
    mem.write_u32(count_ptr, count)?;
    mem.write_u32(size_ptr, bytes)?;
    Ok(())
}

/// One pointer per string at `ptrs`, the NUL-terminated strings packed at
/// `buf`, written one after the other (a bad pointer stops the program
/// part way, as in wasmtime).
fn list_get(strings: &[String], mem: &mut Mem, ptrs: u32, buf: u32) -> WasiResult {
    let mut offset = buf;
    for (i, s) in strings.iter().enumerate() {
        let at = ptrs.wrapping_add(4 * i as u32);
        mem.write_u32(at, offset)?;
        mem.write_bytes(offset, s.as_bytes())?;
        let end = offset.wrapping_add(s.len() as u32);
        mem.write_bytes(end, &[0])?;
        offset = end.wrapping_add(1);
    }
    Ok(())
}
