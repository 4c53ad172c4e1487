//! Address-space reservations on Unix with mmap/mprotect, and (Linux) the
//! shared anonymous mappings, viewed twice, the code arena is made of.

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

/// Make `[base + offset, base + offset + len)` inaccessible.
///
/// # Safety
/// The range must lie inside a reservation made by [`reserve`] that is
/// still mapped, and nothing may use its contents.
pub(crate) unsafe fn protect_none(base: NonNull<u8>, offset: usize, len: usize) -> io::Result<()> {
    if len == 0 {
        return Ok(());
    }
    // SAFETY: the caller guarantees the range is inside our own reservation
    // and unused.
    let r = unsafe { libc::mprotect(base.as_ptr().add(offset).cast(), len, libc::PROT_NONE) };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Zero `[base, base + len)` by giving its pages back to the OS (they
/// read as zero when touched again); access stays as it was.
///
/// # Safety
/// The range must lie inside a private anonymous reservation made by
/// [`reserve`] that is still mapped, and nothing may use its contents.
pub(crate) unsafe fn zero(base: NonNull<u8>, len: usize) -> io::Result<()> {
    if len == 0 {
        return Ok(());
    }
    // SAFETY: the caller guarantees the range is our own private anonymous
    // memory, unused: dropping its pages loses nothing.
    if unsafe { libc::madvise(base.as_ptr().cast(), len, libc::MADV_DONTNEED) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Whether the byte at `addr` is mapped readable, as `/proc/self/maps`
/// says (for tests of guard regions).
#[cfg(all(test, target_os = "linux"))]
pub(crate) fn is_accessible(addr: usize) -> bool {
    let page = addr & !(page_size() - 1);
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
    maps.lines().any(|l| {
        let mut parts = l.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else {
            return false;
        };
        let Some((lo, hi)) = range.split_once('-') else {
            return false;
        };
        let (lo, hi) = (
            usize::from_str_radix(lo, 16).unwrap_or(0),
            usize::from_str_radix(hi, 16).unwrap_or(0),
        );
        (lo..hi).contains(&page) && perms.starts_with('r')
    })
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
    // The smallest data and instruction cache lines, from CTR_EL0 (which
    // Linux lets user code read): DminLine in bits 19:16, IminLine in bits
    // 3:0, each the log2 of the line's 4-byte words.
    let ctr: u64;
    // SAFETY: reads a system register Linux exposes to EL0; no memory.
    unsafe {
        std::arch::asm!("mrs {0}, ctr_el0", out(reg) ctr, options(nomem, nostack, preserves_flags))
    };
    let dline = 4usize << ((ctr >> 16) & 0xf);
    let iline = 4usize << (ctr & 0xf);
    let end = start as usize + len;
    let mut p = start as usize & !(dline - 1);
    while p < end {
        // SAFETY: cache maintenance on addresses of our own mapping.
        unsafe { std::arch::asm!("dc cvau, {0}", in(reg) p, options(nostack, preserves_flags)) };
        p += dline;
    }
    // SAFETY: barriers only.
    unsafe { std::arch::asm!("dsb ish", options(nostack, preserves_flags)) };
    let mut p = start as usize & !(iline - 1);
    while p < end {
        // SAFETY: as above.
        unsafe { std::arch::asm!("ic ivau, {0}", in(reg) p, options(nostack, preserves_flags)) };
        p += iline;
    }
    // SAFETY: barriers only.
    unsafe { std::arch::asm!("dsb ish", "isb", options(nostack, preserves_flags)) };
}

/// Map `len` bytes of fresh shared anonymous memory, inaccessible until
/// [`protect`] opens it (the code arena's writing view).
#[cfg(target_os = "linux")]
pub(crate) fn map_shared_anon(len: usize) -> io::Result<NonNull<u8>> {
    // SAFETY: a new shared anonymous mapping at a kernel-chosen address
    // touches no existing memory.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_NONE,
            libc::MAP_SHARED | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(NonNull::new(p.cast()).expect("mmap returned null on success"))
}

/// A second mapping, read+execute, of the same pages as the shared
/// mapping `[base, base + len)` (`mremap` with an old size of 0).
///
/// # Safety
/// `base`/`len` must be a whole mapping from [`map_shared_anon`].
#[cfg(target_os = "linux")]
pub(crate) unsafe fn alias_executable(base: NonNull<u8>, len: usize) -> io::Result<NonNull<u8>> {
    // SAFETY: guaranteed by the caller; the new mapping goes to a
    // kernel-chosen address and touches no existing memory.
    let p = unsafe { libc::mremap(base.as_ptr().cast(), 0, len, libc::MREMAP_MAYMOVE) };
    if p == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    let alias = NonNull::new(p.cast::<u8>()).expect("mremap returned null on success");
    // SAFETY: exactly the mapping just made.
    let r = unsafe { libc::mprotect(p, len, libc::PROT_READ | libc::PROT_EXEC) };
    if r != 0 {
        let e = io::Error::last_os_error();
        // SAFETY: the mapping just made, not used.
        unsafe { release(alias, len) };
        return Err(e);
    }
    Ok(alias)
}

/// Make `[base, base + len)` read+write, or inaccessible again.
///
/// # Safety
/// The range must lie inside a mapping of ours, page-aligned.
#[cfg(target_os = "linux")]
pub(crate) unsafe fn protect(base: *mut u8, len: usize, writable: bool) -> io::Result<()> {
    let prot = if writable {
        libc::PROT_READ | libc::PROT_WRITE
    } else {
        libc::PROT_NONE
    };
    // SAFETY: guaranteed by the caller.
    if unsafe { libc::mprotect(base.cast(), len, prot) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
