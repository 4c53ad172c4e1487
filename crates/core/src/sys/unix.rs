//! Address-space reservations on Unix with mmap/mprotect, and (Linux) the
//! memfd-backed shared mappings the code arena is made of.

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

/// The OS page size.
pub(crate) fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 {
        n as usize
    } else {
        4096
    }
}

/// Map `len` bytes of fresh read-write memory.
pub(crate) fn map_rw(len: usize) -> io::Result<NonNull<u8>> {
    // SAFETY: an anonymous private mapping at a kernel-chosen address.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(NonNull::new(p.cast()).expect("mmap returned null on success"))
}

/// Make a mapping read+execute (never writable again) and make the new
/// instructions visible to instruction fetch.
///
/// # Safety
/// `base`/`len` must be a whole mapping from [`map_rw`].
pub(crate) unsafe fn make_executable(base: NonNull<u8>, len: usize) -> io::Result<()> {
    flush_icache(base.as_ptr(), len);
    // SAFETY: guaranteed by the caller.
    let r = unsafe { libc::mprotect(base.as_ptr().cast(), len, libc::PROT_READ | libc::PROT_EXEC) };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// x86-64 keeps instruction and data caches coherent.
#[cfg(not(target_arch = "aarch64"))]
pub(crate) fn flush_icache(_start: *const u8, _len: usize) {}

/// AArch64: clean the data cache to the point of unification, invalidate
/// the instruction cache, then synchronise (Arm ARM B2.4.4).
#[cfg(target_arch = "aarch64")]
pub(crate) fn flush_icache(start: *const u8, len: usize) {
    const LINE: usize = 64;
    let (begin, end) = (start as usize & !(LINE - 1), start as usize + len);
    let mut p = begin;
    while p < end {
        // SAFETY: cache maintenance on addresses of our own mapping.
        unsafe { std::arch::asm!("dc cvau, {0}", in(reg) p, options(nostack, preserves_flags)) };
        p += LINE;
    }
    // SAFETY: barriers only.
    unsafe { std::arch::asm!("dsb ish", options(nostack, preserves_flags)) };
    let mut p = begin;
    while p < end {
        // SAFETY: as above.
        unsafe { std::arch::asm!("ic ivau, {0}", in(reg) p, options(nostack, preserves_flags)) };
        p += LINE;
    }
    // SAFETY: barriers only.
    unsafe { std::arch::asm!("dsb ish", "isb", options(nostack, preserves_flags)) };
}

/// A new anonymous memory file (close-on-exec), empty until [`set_file_len`].
#[cfg(target_os = "linux")]
pub(crate) fn memfd(name: &str) -> io::Result<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    let name = std::ffi::CString::new(name).map_err(|_| io::ErrorKind::InvalidInput)?;
    // SAFETY: `name` is a NUL-terminated string that outlives the call.
    let fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a fresh descriptor that nothing else owns.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
}

/// Resize the file behind `fd` to `len` bytes (new bytes read as zero;
/// a memory file's pages materialise only when written).
#[cfg(target_os = "linux")]
pub(crate) fn set_file_len(fd: std::os::fd::BorrowedFd<'_>, len: usize) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let len = libc::off_t::try_from(len).map_err(|_| io::ErrorKind::InvalidInput)?;
    // SAFETY: ftruncate on a descriptor we own; no memory is touched.
    if unsafe { libc::ftruncate(fd.as_raw_fd(), len) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Map `len` bytes of the file behind `fd` from `offset` (page-aligned),
/// shared, at a kernel-chosen address: read+write if `writable`, else
/// read+execute. Never both.
#[cfg(target_os = "linux")]
pub(crate) fn map_shared(
    fd: std::os::fd::BorrowedFd<'_>,
    offset: usize,
    len: usize,
    writable: bool,
) -> io::Result<NonNull<u8>> {
    use std::os::fd::AsRawFd;
    let offset = libc::off_t::try_from(offset).map_err(|_| io::ErrorKind::InvalidInput)?;
    let prot = if writable {
        libc::PROT_READ | libc::PROT_WRITE
    } else {
        libc::PROT_READ | libc::PROT_EXEC
    };
    // SAFETY: a new shared mapping of our own file at a kernel-chosen
    // address touches no existing memory.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            prot,
            libc::MAP_SHARED,
            fd.as_raw_fd(),
            offset,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(NonNull::new(p.cast()).expect("mmap returned null on success"))
}
