//! Address-space reservations on Unix with mmap/mprotect.

use std::io;
use std::ptr::NonNull;

/// Reserve `len` bytes of inaccessible address space (no memory is committed).
pub(crate) fn reserve(len: usize) -> io::Result<NonNull<u8>> {
    // SAFETY: an anonymous private PROT_NONE mapping at a kernel-chosen
    // address touches no existing memory. MAP_NORESERVE: the reservation is
    // address space only; swap is accounted page by page as it is committed.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(NonNull::new(p.cast()).expect("mmap returned null on success"))
}

/// Make `[base + offset, base + offset + len)` readable and writable.
///
/// # Safety
/// The range must lie inside a reservation made by [`reserve`] that is still mapped.
pub(crate) unsafe fn commit(base: NonNull<u8>, offset: usize, len: usize) -> io::Result<()> {
    if len == 0 {
        return Ok(());
    }
    // SAFETY: the caller guarantees the range is inside our own reservation.
    let r = unsafe {
        libc::mprotect(
            base.as_ptr().add(offset).cast(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
        )
    };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Release a whole reservation.
///
/// # Safety
/// `base`/`len` must be exactly a reservation from [`reserve`], not used afterwards.
pub(crate) unsafe fn release(base: NonNull<u8>, len: usize) {
    // SAFETY: guaranteed by the caller; munmap of our own mapping.
    unsafe {
        libc::munmap(base.as_ptr().cast(), len);
    }
}
