//! Linear memory: one reserved region whose base never moves.
//!
//! A memory reserves [`RESERVATION`] bytes up front (4 GiB addressable plus a
//! 4 GiB guard), so that any 32-bit address plus any 32-bit offset lands inside
//! the reservation and JIT code needs no bounds checks. Growing commits more
//! pages in place. When the full reservation is refused (small address
//! spaces), the memory reserves only its maximum size and
//! [`LinearMemory::has_guard`] is false: code must then check bounds.
//!
//! The interpreter always checks bounds explicitly against `vm.len`.

use crate::atomics::SharedState;
use crate::sys;
use crate::types::MemoryType;
use crate::vm::VMMemory;
use std::ptr::NonNull;

pub const PAGE_SIZE: usize = 65536;
/// Largest number of pages of a 32-bit memory.
pub const MAX_PAGES: u32 = 65536;
/// Bytes reserved per memory when possible: 4 GiB + 4 GiB guard.
pub const RESERVATION: usize = 8 << 30;

/// Full-size reservations of dropped memories, zero, kept for the next
/// memories: creating one then maps nothing, and dropping one unmaps
/// nothing (8 GiB mappings cost page-table work, and qemu-user keeps
/// ~50 MB of bookkeeping per such mapping for the process's life). Each
/// keeps the accessible prefix it had, so a memory of the same size (the
/// same module instantiated again) changes no protection either: every
/// `mprotect` takes the process's address-space lock and, for pages in
/// use, interrupts the other CPUs to flush their TLBs, which is what
/// limits many threads instantiating at once. Bounded: past [`POOL_MAX`]
/// free reservations, dropped ones are unmapped.
static POOL: parking_lot::Mutex<Vec<Pooled>> = parking_lot::Mutex::new(Vec::new());
const POOL_MAX: usize = 16;

/// A free reservation and how many of its first bytes are accessible.
struct Pooled {
    base: usize,
    accessible: usize,
}

/// Up to this many accessible bytes are zeroed in place when a memory is
/// dropped (one page: a few microseconds, and the pool holds at most
/// 1 MiB so); larger prefixes go back to the OS with `madvise`.
const ZERO_IN_PLACE: usize = PAGE_SIZE;

/// A full-size reservation with its first `len` bytes accessible and zero:
/// one from the pool, or a fresh one.
fn reserve_full(len: usize) -> std::io::Result<NonNull<u8>> {
    let pooled = POOL.lock().pop();
    let Some(Pooled { base, accessible }) = pooled else {
        return reserve_committed(RESERVATION, len);
    };
    let base = NonNull::new(base as *mut u8).expect("pooled bases are not null");
    // SAFETY: both ranges lie inside the pooled reservation, which is ours
    // alone now; its accessible prefix is zero, so what stays accessible
    // reads as zero and what becomes inaccessible loses nothing.
    let adjusted = unsafe {
        if len > accessible {
            sys::commit(base, accessible, len - accessible)
        } else {
            sys::protect_none(base, len, accessible - len)
        }
    };
    if let Err(e) = adjusted {
        // SAFETY: as above; the reservation goes back to the OS.
        unsafe { sys::release(base, RESERVATION) };
        return Err(e);
    }
    Ok(base)
}

/// A fresh reservation of `reserved` bytes with its first `len` accessible
/// (`len <= reserved`).
fn reserve_committed(reserved: usize, len: usize) -> std::io::Result<NonNull<u8>> {
    let base = sys::reserve(reserved)?;
    // SAFETY: [0, len) is inside the fresh reservation.
    if let Err(e) = unsafe { sys::commit(base, 0, len) } {
        // SAFETY: the reservation just made, not used again.
        unsafe { sys::release(base, reserved) };
        return Err(e);
    }
    Ok(base)
}

/// Give back a full-size reservation whose first `used` bytes were
/// accessible: to the pool once zeroed, else to the OS.
///
/// # Safety
/// `base` is a reservation of [`RESERVATION`] bytes from [`reserve_full`],
/// not used afterwards.
unsafe fn release_full(base: NonNull<u8>, used: usize) {
    if POOL.lock().len() < POOL_MAX {
        let zeroed = if used <= ZERO_IN_PLACE {
            // SAFETY: the caller gives up the reservation; its first `used`
            // bytes are accessible and nothing else reads them.
            unsafe { std::ptr::write_bytes(base.as_ptr(), 0, used) };
            true
        } else {
            // SAFETY: as above: the accessible prefix is ours to drop.
            unsafe { sys::zero(base, used) }.is_ok()
        };
        let mut pool = POOL.lock();
        if zeroed && pool.len() < POOL_MAX {
            pool.push(Pooled {
                base: base.as_ptr() as usize,
                accessible: used,
            });
            return;
        }
    }
    // SAFETY: as above; the whole reservation goes back to the OS.
    unsafe { sys::release(base, RESERVATION) };
}

/// A linear memory instance.
#[repr(C)]
pub struct LinearMemory {
    /// Read by both tiers; `vm.base` is fixed for the memory's life.
    pub vm: VMMemory,
    ty: MemoryType,
    pages: u32,
    /// Largest page count this memory may reach (type max, capped by the limit).
    max_pages: u32,
    reserved: usize,
    guard: bool,
    /// Present for a shared memory: its growth lock and waiters.
    shared: Option<Box<SharedState>>,
}

// SAFETY: the raw pointers in `vm` point into a reservation owned by this
// value; access is synchronised by the owning store (one thread at a time).
unsafe impl Send for LinearMemory {}

/// Why a memory could not be created.
#[derive(Debug)]
pub struct MemoryError(pub String);

impl LinearMemory {
    /// Create a memory of type `ty`, allowed to grow to at most `limit_pages`.
    pub fn new(ty: MemoryType, limit_pages: u32) -> Result<LinearMemory, MemoryError> {
        let max_pages = ty.max.unwrap_or(MAX_PAGES).min(MAX_PAGES).min(limit_pages);
        if ty.min > max_pages {
            return Err(MemoryError(format!(
                "memory minimum of {} pages exceeds the limit of {} pages",
                ty.min, max_pages
            )));
        }
        let len = ty.min as usize * PAGE_SIZE;
        let (base, reserved, guard) = match reserve_full(len) {
            Ok(p) => (p, RESERVATION, true),
            Err(_) => {
                // len <= max_pages * PAGE_SIZE <= reserved.
                let reserved = (max_pages as usize * PAGE_SIZE).max(PAGE_SIZE);
                let p = reserve_committed(reserved, len).map_err(|e| {
                    MemoryError(format!("cannot reserve and commit linear memory: {e}"))
                })?;
                (p, reserved, false)
            }
        };
        Ok(LinearMemory {
            vm: VMMemory {
                base: base.as_ptr(),
                len,
            },
            ty,
            pages: ty.min,
            max_pages,
            reserved,
            guard,
            shared: ty.shared.then(Box::default),
        })
    }

    /// A shared memory's waiters and growth lock (`None`: not shared).
    pub fn shared_state(&self) -> Option<&SharedState> {
        self.shared.as_deref()
    }

    pub fn ty(&self) -> MemoryType {
        self.ty
    }

    /// The most pages it may grow to.
    pub fn max_pages(&self) -> u32 {
        self.max_pages
    }

    /// Growing by `delta` pages, in bytes, as a store's limiter is asked.
    pub fn growth(&self, delta: u32) -> crate::vm::Growth {
        let current = self.pages as usize * PAGE_SIZE;
        crate::vm::Growth {
            table: false,
            current,
            desired: current.saturating_add(delta as usize * PAGE_SIZE),
            maximum: Some(self.max_pages as usize * PAGE_SIZE),
        }
    }

    /// Current size in pages.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    pub fn len(&self) -> usize {
        self.vm.len
    }

    pub fn is_empty(&self) -> bool {
        self.vm.len == 0
    }

    /// Is every u32 address + u32 offset inside the reservation?
    pub fn has_guard(&self) -> bool {
        self.guard
    }

    /// Grow by `delta` pages; the old size in pages, or `None` if refused.
    ///
    /// A shared memory may be grown by instances on several threads: they
    /// take turns under its growth lock.
    pub fn grow(&mut self, delta: u32) -> Option<u32> {
        let lock = self
            .shared
            .as_deref()
            .map(|s| &s.grow_lock as *const parking_lot::Mutex<()>);
        // SAFETY: the shared state is boxed and never replaced, so the lock
        // lives as long as `self`; `grow_locked` does not touch it.
        let guard = lock.map(|l| unsafe { &*l }.lock());
        let r = self.grow_locked(delta);
        drop(guard);
        r
    }

    fn grow_locked(&mut self, delta: u32) -> Option<u32> {
        let old = self.pages;
        let new = old.checked_add(delta)?;
        if new > self.max_pages {
            return None;
        }
        let old_len = old as usize * PAGE_SIZE;
        let new_len = new as usize * PAGE_SIZE;
        debug_assert!(new_len <= self.reserved);
        let base = NonNull::new(self.vm.base).expect("memory base is never null");
        // SAFETY: [old_len, new_len) is inside our reservation (new <= max_pages).
        unsafe { sys::commit(base, old_len, new_len - old_len) }.ok()?;
        self.pages = new;
        self.vm.len = new_len;
        Some(old)
    }

    /// The accessible bytes.
    pub fn data(&self) -> &[u8] {
        // SAFETY: [base, base+len) is committed and owned by self.
        unsafe { std::slice::from_raw_parts(self.vm.base, self.vm.len) }
    }

    /// The accessible bytes, mutably.
    pub fn data_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `data`, and `&mut self` gives exclusive access.
        unsafe { std::slice::from_raw_parts_mut(self.vm.base, self.vm.len) }
    }
}

/// A memory of a `shared` type: one [`LinearMemory`] used by instances
/// in any number of stores on any threads, freed with its last handle.
#[derive(Clone)]
pub struct SharedMemory(std::sync::Arc<SharedCell>);

struct SharedCell(std::cell::UnsafeCell<LinearMemory>);

// SAFETY: the memory's bytes are only touched through raw pointers (plain
// wasm accesses, racy as the threads proposal allows) and atomics; its
// other fields change only in `grow`, which runs under the memory's
// growth lock; the reservation lives as long as the cell.
unsafe impl Send for SharedCell {}
// SAFETY: as for Send.
unsafe impl Sync for SharedCell {}

impl SharedMemory {
    /// A new shared memory of type `ty` (which must be `shared`).
    pub fn new(ty: MemoryType, limit_pages: u32) -> Result<SharedMemory, MemoryError> {
        if !ty.shared || ty.max.is_none() {
            return Err(MemoryError(
                "a shared memory needs a shared type with a maximum".into(),
            ));
        }
        let m = LinearMemory::new(ty, limit_pages)?;
        Ok(SharedMemory(std::sync::Arc::new(SharedCell(
            std::cell::UnsafeCell::new(m),
        ))))
    }

    /// The memory, as the VM layout points to it (stable while any handle lives).
    pub fn as_ptr(&self) -> *mut LinearMemory {
        self.0 .0.get()
    }

    /// The memory's type (its minimum is the initial size).
    pub fn ty(&self) -> MemoryType {
        // SAFETY: `ty` never changes after creation.
        unsafe { (*self.as_ptr()).ty }
    }

    /// Whether two handles name the same memory.
    pub fn same(&self, other: &SharedMemory) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for SharedMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SharedMemory").field(&self.as_ptr()).finish()
    }
}

impl Drop for LinearMemory {
    fn drop(&mut self) {
        if let Some(base) = NonNull::new(self.vm.base) {
            // SAFETY: exactly the reservation made in `new`; self is going away.
            unsafe { release(base, self.reserved, self.vm.len) };
        }
    }
}

/// Give back a reservation of `reserved` bytes whose first `used` bytes
/// were accessible.
///
/// # Safety
/// `base` and `reserved` are exactly a reservation made by
/// [`LinearMemory::new`], not used afterwards.
unsafe fn release(base: NonNull<u8>, reserved: usize, used: usize) {
    // SAFETY: forwarded from the caller.
    unsafe {
        if reserved == RESERVATION {
            release_full(base, used);
        } else {
            sys::release(base, reserved);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_in_place_and_zeroes() {
        let mut m = LinearMemory::new(
            MemoryType {
                min: 1,
                max: Some(4),
                shared: false,
            },
            MAX_PAGES,
        )
        .unwrap();
        let base = m.vm.base;
        m.data_mut()[10] = 7;
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.vm.base, base);
        assert_eq!(m.len(), 3 * PAGE_SIZE);
        assert_eq!(m.data()[10], 7);
        assert_eq!(m.data()[2 * PAGE_SIZE + 5], 0);
        assert_eq!(m.grow(2), None);
        assert_eq!(m.grow(1), Some(3));
    }

    #[test]
    fn limit_caps_growth() {
        let ty = |min| MemoryType {
            min,
            max: None,
            shared: false,
        };
        let mut m = LinearMemory::new(ty(0), 2).unwrap();
        assert_eq!(m.grow(3), None);
        assert_eq!(m.grow(2), Some(0));
        assert!(LinearMemory::new(ty(3), 2).is_err());
    }

    #[test]
    fn a_pooled_reservation_comes_back_zeroed() {
        let ty = MemoryType {
            min: 2,
            max: None,
            shared: false,
        };
        let mut m = LinearMemory::new(ty, MAX_PAGES).unwrap();
        m.data_mut().fill(0xab);
        assert!(m.grow(1).is_some());
        m.data_mut().fill(0xcd);
        drop(m);
        // Whatever reservation the next memories get (this one from the
        // pool, or another test's), they start zeroed at their size.
        for _ in 0..4 {
            let m = LinearMemory::new(ty, MAX_PAGES).unwrap();
            assert_eq!(m.len(), 2 * PAGE_SIZE);
            assert!(m.data().iter().all(|&b| b == 0));
        }
    }

    /// A pooled reservation keeps its accessible prefix for a memory of
    /// the same size; one of another size finds exactly its own size
    /// accessible (what the guard region relies on), zeroed whether the
    /// last user's bytes were zeroed in place (one page) or dropped.
    #[test]
    fn pooled_reservations_take_each_new_size() {
        let ty = |min| MemoryType {
            min,
            max: None,
            shared: false,
        };
        for (first, second) in [(1, 1), (1, 3), (3, 1), (4, 0), (0, 2)] {
            let mut m = LinearMemory::new(ty(first), MAX_PAGES).unwrap();
            m.data_mut().fill(0x5a);
            drop(m);
            for _ in 0..3 {
                let mut m = LinearMemory::new(ty(second), MAX_PAGES).unwrap();
                assert_eq!(m.len(), second as usize * PAGE_SIZE);
                assert!(m.data().iter().all(|&b| b == 0), "{first} -> {second}");
                // The first byte past the end is not accessible.
                #[cfg(target_os = "linux")]
                {
                    let past = m.vm.base as usize + m.len();
                    assert!(!crate::sys::is_accessible(past), "{first} -> {second}");
                    if second > 0 {
                        assert!(crate::sys::is_accessible(past - 1));
                    }
                }
                m.data_mut().fill(0x77);
            }
        }
    }
}
