//! Bounds-checked access to guest memory.
//!
//! Guest pointers are `u32` offsets into the calling instance's exported
//! `memory`. Every access is checked against the memory's current size; an
//! out-of-range pointer yields [`Errno::EFAULT`] and never touches the host.
//! Values are little-endian and need no alignment.

use crate::errno::{Errno, Fault, WasiResult};
use std::ops::Range;
use wx_runtime::{Caller, Error, Extern, Memory};

/// The `memory` export of the instance calling a WASI function.
///
/// A module that imports WASI functions but exports no memory cannot pass
/// pointers at all; that is a fatal error (it traps) rather than an errno.
pub(crate) fn memory<T>(caller: &mut Caller<'_, T>) -> WasiResult<Memory> {
    match caller.get_export("memory") {
        Some(Extern::Memory(m)) => Ok(m),
        _ => Err(Fault::Fatal(Error::Host(
            "WASI function called by a module that does not export its `memory`".into(),
        ))),
    }
}

/// The host range of `len` bytes at guest address `ptr`, if inside `mem_len`.
pub(crate) fn range(mem_len: usize, ptr: u32, len: u32) -> Result<Range<usize>, Errno> {
    let start = ptr as u64;
    let end = start + len as u64;
    if end > mem_len as u64 {
        return Err(Errno::EFAULT);
    }
    Ok(start as usize..end as usize)
}

/// `len` bytes at `ptr`.
pub(crate) fn slice(mem: &[u8], ptr: u32, len: u32) -> Result<&[u8], Errno> {
    let r = range(mem.len(), ptr, len)?;
    Ok(&mem[r])
}

/// `len` writable bytes at `ptr`.
pub(crate) fn slice_mut(mem: &mut [u8], ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
    let r = range(mem.len(), ptr, len)?;
    Ok(&mut mem[r])
}

/// Fail with `EFAULT` unless `[ptr, ptr + len)` is inside memory.
pub(crate) fn check(mem: &[u8], ptr: u32, len: u32) -> Result<(), Errno> {
    range(mem.len(), ptr, len).map(drop)
}

#[cfg(test)]
pub(crate) fn read_u32(mem: &[u8], ptr: u32) -> Result<u32, Errno> {
    let b = slice(mem, ptr, 4)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

pub(crate) fn write_bytes(mem: &mut [u8], ptr: u32, bytes: &[u8]) -> Result<(), Errno> {
    let len = u32::try_from(bytes.len()).map_err(|_| Errno::EFAULT)?;
    slice_mut(mem, ptr, len)?.copy_from_slice(bytes);
    Ok(())
}

pub(crate) fn write_u32(mem: &mut [u8], ptr: u32, v: u32) -> Result<(), Errno> {
    write_bytes(mem, ptr, &v.to_le_bytes())
}

pub(crate) fn write_u64(mem: &mut [u8], ptr: u32, v: u64) -> Result<(), Errno> {
    write_bytes(mem, ptr, &v.to_le_bytes())
}

/// One `iovec`/`ciovec`: a guest buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IoVec {
    pub ptr: u32,
    pub len: u32,
}

/// Size of an `iovec` in guest memory (two `u32`s).
const IOVEC_SIZE: u32 = 8;

/// Decode the `count` iovecs at `ptr`, checking that the array and every
/// buffer it names lie inside memory.
pub(crate) fn iovecs(mem: &[u8], ptr: u32, count: u32) -> Result<Vec<IoVec>, Errno> {
    let bytes = count.checked_mul(IOVEC_SIZE).ok_or(Errno::EFAULT)?;
    let array = slice(mem, ptr, bytes)?;
    let vecs: Vec<IoVec> = array
        .chunks_exact(IOVEC_SIZE as usize)
        .map(|c| IoVec {
            ptr: u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
            len: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
        })
        .collect();
    for v in &vecs {
        check(mem, v.ptr, v.len)?;
    }
    Ok(vecs)
}

/// The total length of `vecs`, which a `size` result must be able to hold.
pub(crate) fn total_len(vecs: &[IoVec]) -> Result<u32, Errno> {
    let total: u64 = vecs.iter().map(|v| v.len as u64).sum();
    u32::try_from(total).map_err(|_| Errno::EINVAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked() {
        let mut mem = vec![0u8; 16];
        assert_eq!(range(16, 0, 16), Ok(0..16));
        assert_eq!(range(16, 16, 0), Ok(16..16));
        assert_eq!(range(16, 17, 0), Err(Errno::EFAULT));
        assert_eq!(range(16, 8, 9), Err(Errno::EFAULT));
        assert_eq!(range(16, u32::MAX, u32::MAX), Err(Errno::EFAULT));
        assert_eq!(write_u32(&mut mem, 13, 1), Err(Errno::EFAULT));
        write_u32(&mut mem, 12, 0x0403_0201).unwrap();
        assert_eq!(&mem[12..], &[1, 2, 3, 4]);
        assert_eq!(read_u32(&mem, 12), Ok(0x0403_0201));
        write_u64(&mut mem, 0, u64::MAX).unwrap();
        assert_eq!(&mem[..8], &[0xff; 8]);
    }

    #[test]
    fn iovecs_are_decoded_and_checked() {
        let mut mem = vec![0u8; 64];
        write_u32(&mut mem, 0, 32).unwrap();
        write_u32(&mut mem, 4, 8).unwrap();
        write_u32(&mut mem, 8, 60).unwrap();
        write_u32(&mut mem, 12, 4).unwrap();
        let v = iovecs(&mem, 0, 2).unwrap();
        assert_eq!(v, [IoVec { ptr: 32, len: 8 }, IoVec { ptr: 60, len: 4 }]);
        assert_eq!(total_len(&v), Ok(12));
        // The second buffer runs past the end.
        write_u32(&mut mem, 12, 5).unwrap();
        assert_eq!(iovecs(&mem, 0, 2), Err(Errno::EFAULT));
        // The array itself runs past the end, or its size overflows.
        assert_eq!(iovecs(&mem, 60, 1), Err(Errno::EFAULT));
        assert_eq!(iovecs(&mem, 0, u32::MAX), Err(Errno::EFAULT));
    }
}
