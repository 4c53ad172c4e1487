//! Executable memory for JIT code, W^X: code is written while the pages are
//! read-write, then they become read-execute and are never writable again.

use crate::sys;
use std::ptr::NonNull;

/// A block of machine code, mapped read+execute.
#[derive(Debug)]
pub struct CodeMemory {
    base: NonNull<u8>,
    mapped: usize,
    len: usize,
}

// SAFETY: the mapping is immutable once published and owned by this value.
unsafe impl Send for CodeMemory {}
// SAFETY: as above; shared references only read or execute it.
unsafe impl Sync for CodeMemory {}

impl CodeMemory {
    /// Map `code` as executable. Errors if the OS refuses the mapping or
    /// the permission change.
    pub fn new(code: &[u8]) -> Result<CodeMemory, String> {
        let page = sys::page_size();
        let mapped = code.len().max(1).div_ceil(page) * page;
        let base = sys::map_rw(mapped).map_err(|e| format!("cannot map code memory: {e}"))?;
        // SAFETY: `base` is a fresh read-write mapping of `mapped >= code.len()` bytes.
        unsafe { std::ptr::copy_nonoverlapping(code.as_ptr(), base.as_ptr(), code.len()) };
        // SAFETY: `[base, base + mapped)` is exactly the mapping made above.
        if let Err(e) = unsafe { sys::make_executable(base, mapped) } {
            // SAFETY: the mapping made above, not used afterwards.
            unsafe { sys::release(base, mapped) };
            return Err(format!("cannot make code memory executable: {e}"));
        }
        Ok(CodeMemory {
            base,
            mapped,
            len: code.len(),
        })
    }

    /// Address of the first instruction.
    pub fn as_ptr(&self) -> *const u8 {
        self.base.as_ptr()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Does `pc` point into this code?
    pub fn contains(&self, pc: usize) -> bool {
        let start = self.base.as_ptr() as usize;
        pc >= start && pc < start + self.len
    }
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: our own mapping; nothing runs this code once its owner is dropped.
        unsafe { sys::release(self.base, self.mapped) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fn(a: i32, b: i32) -> i32 { a + b }` in machine code.
    #[cfg(target_arch = "x86_64")]
    const ADD: &[u8] = &[0x89, 0xf8, 0x01, 0xf0, 0xc3]; // mov eax, edi; add eax, esi; ret
    #[cfg(target_arch = "aarch64")]
    const ADD: &[u8] = &[0x00, 0x00, 0x01, 0x0b, 0xc0, 0x03, 0x5f, 0xd6]; // add w0, w0, w1; ret

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn published_code_runs() {
        let code = CodeMemory::new(ADD).unwrap();
        assert_eq!(code.len(), ADD.len());
        assert!(code.contains(code.as_ptr() as usize));
        assert!(!code.contains(code.as_ptr() as usize + ADD.len()));
        // SAFETY: ADD is a complete function with this C signature.
        let f: extern "C" fn(i32, i32) -> i32 = unsafe { std::mem::transmute(code.as_ptr()) };
        assert_eq!(f(40, 2), 42);
    }

    #[test]
    fn empty_code_maps() {
        assert!(CodeMemory::new(&[]).unwrap().is_empty());
    }
}
