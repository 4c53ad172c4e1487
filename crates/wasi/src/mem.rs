//! Checked access to guest memory.
//!
//! Guest pointers are `u32` offsets into the calling instance's exported
//! `memory`. As in wasmtime, a pointer the host must follow that lies out
//! of bounds, or is misaligned for the value it points to, stops the
//! program with an error (it is a bug in the guest, not a condition it can
//! handle), whereas a pointer the call never touches is never checked.
//! Each call may also copy at most [`FUEL`] bytes out of the guest; asking
//! for more (a huge iovec array or path) is `ENOMEM`.

use crate::errno::{Errno, Fault, WasiResult};
use std::ops::Range;
use wx_runtime::{Caller, Error, Extern, Memory};

/// Bytes one call may read out of guest memory into host buffers.
pub(crate) const FUEL: u64 = 128 << 20;

/// The `memory` export of the instance calling a WASI function. A module
/// that exports no memory cannot pass pointers; calling any WASI function
/// from it stops the program.
pub(crate) fn memory<T>(caller: &mut Caller<'_, T>) -> WasiResult<Memory> {
    match caller.get_export("memory") {
        Some(Extern::Memory(m)) => Ok(m),
        _ => Err(fatal("missing required memory export".into())),
    }
}

/// An error that stops the program.
pub(crate) fn fatal(msg: String) -> Fault {
    Fault::Fatal(Error::Host(msg))
}

/// The guest's memory during one WASI call.
pub(crate) struct Mem<'a> {
    bytes: &'a mut [u8],
    fuel: u64,
}

/// One `iovec`/`ciovec`: a guest buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IoVec {
    pub ptr: u32,
    pub len: u32,
}

impl<'a> Mem<'a> {
    pub fn new(bytes: &'a mut [u8]) -> Mem<'a> {
        Mem { bytes, fuel: FUEL }
    }

    /// Account for `bytes` copied out of the guest.
    pub fn charge(&mut self, bytes: u64) -> WasiResult {
        match self.fuel.checked_sub(bytes) {
            Some(left) => {
                self.fuel = left;
                Ok(())
            }
            None => Err(Errno::ENOMEM.into()),
        }
    }

    fn range(&self, ptr: u32, len: u32) -> WasiResult<Range<usize>> {
        // Nothing to touch: any address will do.
        if len == 0 {
            return Ok(0..0);
        }
        let end = ptr as u64 + len as u64;
        if end > self.bytes.len() as u64 {
            return Err(fatal(format!(
                "pointer {ptr:#x} + {len} bytes out of bounds of a memory of {:#x} bytes",
                self.bytes.len()
            )));
        }
        Ok(ptr as usize..end as usize)
    }

    fn aligned(ptr: u32, align: u32) -> WasiResult {
        if !ptr.is_multiple_of(align) {
            return Err(fatal(format!(
                "pointer {ptr:#x} not aligned to {align} bytes"
            )));
        }
        Ok(())
    }

    /// `len` bytes at `ptr` (bytes need no alignment).
    pub fn slice(&self, ptr: u32, len: u32) -> WasiResult<&[u8]> {
        let r = self.range(ptr, len)?;
        Ok(&self.bytes[r])
    }

    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> WasiResult<&mut [u8]> {
        let r = self.range(ptr, len)?;
        Ok(&mut self.bytes[r])
    }

    /// Check that a value of `size` bytes aligned to `align` fits at `ptr`.
    pub fn check(&self, ptr: u32, size: u32, align: u32) -> WasiResult {
        Self::aligned(ptr, align)?;
        self.range(ptr, size).map(drop)
    }

    fn array<const N: usize>(&self, ptr: u32) -> WasiResult<[u8; N]> {
        Self::aligned(ptr, N as u32)?;
        let mut out = [0; N];
        out.copy_from_slice(self.slice(ptr, N as u32)?);
        Ok(out)
    }

    pub fn read_u8(&self, ptr: u32) -> WasiResult<u8> {
        Ok(self.array::<1>(ptr)?[0])
    }

    pub fn read_u16(&self, ptr: u32) -> WasiResult<u16> {
        self.array(ptr).map(u16::from_le_bytes)
    }

    pub fn read_u32(&self, ptr: u32) -> WasiResult<u32> {
        self.array(ptr).map(u32::from_le_bytes)
    }

    pub fn read_u64(&self, ptr: u32) -> WasiResult<u64> {
        self.array(ptr).map(u64::from_le_bytes)
    }

    fn write_array<const N: usize>(&mut self, ptr: u32, v: [u8; N]) -> WasiResult {
        Self::aligned(ptr, N as u32)?;
        self.slice_mut(ptr, N as u32)?.copy_from_slice(&v);
        Ok(())
    }

    pub fn write_u8(&mut self, ptr: u32, v: u8) -> WasiResult {
        self.write_array(ptr, [v])
    }

    pub fn write_u16(&mut self, ptr: u32, v: u16) -> WasiResult {
        self.write_array(ptr, v.to_le_bytes())
    }

    pub fn write_u32(&mut self, ptr: u32, v: u32) -> WasiResult {
        self.write_array(ptr, v.to_le_bytes())
    }

    pub fn write_u64(&mut self, ptr: u32, v: u64) -> WasiResult {
        self.write_array(ptr, v.to_le_bytes())
    }

    /// Copy `bytes` to `ptr` (no alignment).
    pub fn write_bytes(&mut self, ptr: u32, bytes: &[u8]) -> WasiResult {
        let len = u32::try_from(bytes.len()).map_err(|_| fatal("buffer too large".into()))?;
        self.slice_mut(ptr, len)?.copy_from_slice(bytes);
        Ok(())
    }

    /// The `count` iovecs at `ptr` (the array is charged and checked, the
    /// buffers they name are not).
    pub fn iovecs(&mut self, ptr: u32, count: u32) -> WasiResult<Vec<IoVec>> {
        let bytes = count as u64 * crate::abi::size::IOVEC as u64;
        self.charge(bytes)?;
        if count == 0 {
            return Ok(Vec::new());
        }
        Self::aligned(ptr, 4)?;
        let array = self.slice(ptr, bytes as u32)?;
        Ok(array
            .chunks_exact(8)
            .map(|c| IoVec {
                ptr: u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                len: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
            })
            .collect())
    }

    /// The first iovec at `ptr` with a non-empty buffer (reads and writes
    /// use only that one, as wasmtime does; callers loop on short counts),
    /// charged; `None` if all are empty. The whole array is charged, but
    /// only the entries up to that one are read (and must be in bounds).
    pub fn first_buffer(&mut self, ptr: u32, count: u32) -> WasiResult<Option<IoVec>> {
        self.charge(count as u64 * crate::abi::size::IOVEC as u64)?;
        for i in 0..count {
            let at = ptr.wrapping_add(i.wrapping_mul(crate::abi::size::IOVEC));
            Self::aligned(at, 4)?;
            let v = IoVec {
                ptr: self.read_u32(at)?,
                len: self.read_u32(at.wrapping_add(4))?,
            };
            if v.len > 0 {
                self.charge(v.len as u64)?;
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    /// The UTF-8 string of `len` bytes at `ptr`, charged: `EILSEQ` if it is
    /// not UTF-8.
    pub fn string(&mut self, ptr: u32, len: u32) -> WasiResult<&str> {
        self.charge(len as u64)?;
        let bytes = self.slice(ptr, len)?;
        std::str::from_utf8(bytes).map_err(|_| Errno::EILSEQ.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_fatal<T: std::fmt::Debug>(r: WasiResult<T>) -> bool {
        matches!(r, Err(Fault::Fatal(_)))
    }

    #[test]
    fn bounds_and_alignment_are_fatal() {
        let mut bytes = vec![0u8; 16];
        let mut mem = Mem::new(&mut bytes);
        mem.write_u32(12, 0x0403_0201).unwrap();
        assert_eq!(mem.slice(12, 4).unwrap(), &[1, 2, 3, 4]);
        assert_eq!(mem.read_u32(12).unwrap(), 0x0403_0201);
        assert!(mem.slice(16, 0).unwrap().is_empty());
        assert!(mem.slice(u32::MAX, 0).unwrap().is_empty());
        assert!(is_fatal(mem.slice(17, 1)));
        assert!(is_fatal(mem.slice(8, 9)));
        assert!(is_fatal(mem.slice(u32::MAX, u32::MAX)));
        assert!(is_fatal(mem.write_u32(13, 1)));
        assert!(is_fatal(mem.write_u32(14, 1)));
        assert!(is_fatal(mem.read_u64(4)));
        mem.write_u64(8, u64::MAX).unwrap();
        assert_eq!(mem.read_u64(8).unwrap(), u64::MAX);
    }

    #[test]
    fn iovecs_are_decoded_and_charged() {
        let mut bytes = vec![0u8; 64];
        let mut mem = Mem::new(&mut bytes);
        mem.write_u32(0, 32).unwrap();
        mem.write_u32(4, 0).unwrap();
        mem.write_u32(8, 60).unwrap();
        mem.write_u32(12, 4).unwrap();
        let v = mem.iovecs(0, 2).unwrap();
        assert_eq!(v, [IoVec { ptr: 32, len: 0 }, IoVec { ptr: 60, len: 4 }]);
        assert_eq!(
            mem.first_buffer(0, 2).unwrap(),
            Some(IoVec { ptr: 60, len: 4 })
        );
        assert!(is_fatal(mem.iovecs(2, 1)));
        assert!(is_fatal(mem.iovecs(60, 1)));
        // 2^28 iovecs are 2 GiB: over the call's fuel.
        assert!(matches!(
            mem.iovecs(0, 1 << 28),
            Err(Fault::Errno(Errno::ENOMEM))
        ));
    }

    #[test]
    fn strings_must_be_utf8() {
        let mut bytes = b"ok\xff".to_vec();
        let mut mem = Mem::new(&mut bytes);
        assert_eq!(mem.string(0, 2).unwrap(), "ok");
        assert!(matches!(mem.string(0, 3), Err(Fault::Errno(Errno::EILSEQ))));
        assert!(is_fatal(mem.string(2, 5)));
    }
}
