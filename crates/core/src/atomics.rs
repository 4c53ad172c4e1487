//! Atomic memory accesses and `memory.atomic.wait` / `notify`.
//!
//! Every tier performs atomics through these functions on raw memory:
//! the access is sequentially consistent (the threads proposal's only
//! ordering) and must be naturally aligned. A shared memory (see
//! [`SharedState`]) also keeps its waiters: `wait` parks the calling
//! thread on a queue keyed by address until a `notify` of that address
//! wakes it or its timeout passes. The value check and the enqueueing
//! happen under the queue lock that `notify` takes too, so no wake-up is
//! lost between them.

use crate::memory::LinearMemory;
use crate::trap::TrapCode;
use parking_lot::{Condvar, Mutex};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmparser::{MemArg, Operator as W};

/// Width of an atomic access, as log2 of its size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Width {
    W8 = 0,
    W16 = 1,
    W32 = 2,
    W64 = 3,
}

impl Width {
    pub fn from_u32(v: u32) -> Width {
        match v & 3 {
            0 => Width::W8,
            1 => Width::W16,
            2 => Width::W32,
            _ => Width::W64,
        }
    }

    pub fn bytes(self) -> u64 {
        1 << self as u32
    }

    /// `v` truncated to this width.
    pub fn wrap(self, v: u64) -> u64 {
        match self {
            Width::W64 => v,
            w => v & ((1u64 << (8 * w.bytes())) - 1),
        }
    }
}

/// A read-modify-write operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum RmwOp {
    Add = 0,
    Sub = 1,
    And = 2,
    Or = 3,
    Xor = 4,
    Xchg = 5,
}

impl RmwOp {
    pub fn from_u32(v: u32) -> RmwOp {
        match v {
            0 => RmwOp::Add,
            1 => RmwOp::Sub,
            2 => RmwOp::And,
            3 => RmwOp::Or,
            4 => RmwOp::Xor,
            _ => RmwOp::Xchg,
        }
    }
}

/// What an atomic access operator does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessKind {
    Load,
    Store,
    Rmw(RmwOp),
    Cmpxchg,
}

/// An atomic access operator: what it does, its width, whether its value
/// is an i64, and its memory argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub kind: AccessKind,
    pub width: Width,
    pub wide: bool,
    pub memarg: MemArg,
}

/// The access `op` makes, if it is one of the threads proposal's
/// loads, stores, read-modify-writes or compare-exchanges.
pub fn access(op: &W<'_>) -> Option<Access> {
    let (kind, width, memarg) = access_kind(op)?;
    let wide = crate::proposal::name(op).starts_with("I64");
    Some(Access {
        kind,
        width,
        wide,
        memarg,
    })
}

/// `memory.atomic.wait32/64`: the width of the value waited for, and the
/// memory argument.
pub fn wait_operator(op: &W<'_>) -> Option<(Width, MemArg)> {
    match *op {
        W::MemoryAtomicWait32 { memarg } => Some((Width::W32, memarg)),
        W::MemoryAtomicWait64 { memarg } => Some((Width::W64, memarg)),
        _ => None,
    }
}

fn access_kind(op: &W<'_>) -> Option<(AccessKind, Width, MemArg)> {
    use AccessKind::*;
    use Width::*;
    macro_rules! rmw {
        ($memarg:expr, $op:ident, $w:ident) => {
            (Rmw(RmwOp::$op), $w, $memarg)
        };
    }
    Some(match *op {
        W::I32AtomicLoad { memarg } => (Load, W32, memarg),
        W::I64AtomicLoad { memarg } => (Load, W64, memarg),
        W::I32AtomicLoad8U { memarg } | W::I64AtomicLoad8U { memarg } => (Load, W8, memarg),
        W::I32AtomicLoad16U { memarg } | W::I64AtomicLoad16U { memarg } => (Load, W16, memarg),
        W::I64AtomicLoad32U { memarg } => (Load, W32, memarg),
        W::I32AtomicStore { memarg } | W::I64AtomicStore32 { memarg } => (Store, W32, memarg),
        W::I64AtomicStore { memarg } => (Store, W64, memarg),
        W::I32AtomicStore8 { memarg } | W::I64AtomicStore8 { memarg } => (Store, W8, memarg),
        W::I32AtomicStore16 { memarg } | W::I64AtomicStore16 { memarg } => (Store, W16, memarg),

        W::I32AtomicRmwAdd { memarg } | W::I64AtomicRmw32AddU { memarg } => rmw!(memarg, Add, W32),
        W::I64AtomicRmwAdd { memarg } => rmw!(memarg, Add, W64),
        W::I32AtomicRmw8AddU { memarg } | W::I64AtomicRmw8AddU { memarg } => rmw!(memarg, Add, W8),
        W::I32AtomicRmw16AddU { memarg } | W::I64AtomicRmw16AddU { memarg } => {
            rmw!(memarg, Add, W16)
        }
        W::I32AtomicRmwSub { memarg } | W::I64AtomicRmw32SubU { memarg } => rmw!(memarg, Sub, W32),
        W::I64AtomicRmwSub { memarg } => rmw!(memarg, Sub, W64),
        W::I32AtomicRmw8SubU { memarg } | W::I64AtomicRmw8SubU { memarg } => rmw!(memarg, Sub, W8),
        W::I32AtomicRmw16SubU { memarg } | W::I64AtomicRmw16SubU { memarg } => {
            rmw!(memarg, Sub, W16)
        }
        W::I32AtomicRmwAnd { memarg } | W::I64AtomicRmw32AndU { memarg } => rmw!(memarg, And, W32),
        W::I64AtomicRmwAnd { memarg } => rmw!(memarg, And, W64),
        W::I32AtomicRmw8AndU { memarg } | W::I64AtomicRmw8AndU { memarg } => rmw!(memarg, And, W8),
        W::I32AtomicRmw16AndU { memarg } | W::I64AtomicRmw16AndU { memarg } => {
            rmw!(memarg, And, W16)
        }
        W::I32AtomicRmwOr { memarg } | W::I64AtomicRmw32OrU { memarg } => rmw!(memarg, Or, W32),
        W::I64AtomicRmwOr { memarg } => rmw!(memarg, Or, W64),
        W::I32AtomicRmw8OrU { memarg } | W::I64AtomicRmw8OrU { memarg } => rmw!(memarg, Or, W8),
        W::I32AtomicRmw16OrU { memarg } | W::I64AtomicRmw16OrU { memarg } => rmw!(memarg, Or, W16),
        W::I32AtomicRmwXor { memarg } | W::I64AtomicRmw32XorU { memarg } => rmw!(memarg, Xor, W32),
        W::I64AtomicRmwXor { memarg } => rmw!(memarg, Xor, W64),
        W::I32AtomicRmw8XorU { memarg } | W::I64AtomicRmw8XorU { memarg } => rmw!(memarg, Xor, W8),
        W::I32AtomicRmw16XorU { memarg } | W::I64AtomicRmw16XorU { memarg } => {
            rmw!(memarg, Xor, W16)
        }
        W::I32AtomicRmwXchg { memarg } | W::I64AtomicRmw32XchgU { memarg } => {
            rmw!(memarg, Xchg, W32)
        }
        W::I64AtomicRmwXchg { memarg } => rmw!(memarg, Xchg, W64),
        W::I32AtomicRmw8XchgU { memarg } | W::I64AtomicRmw8XchgU { memarg } => {
            rmw!(memarg, Xchg, W8)
        }
        W::I32AtomicRmw16XchgU { memarg } | W::I64AtomicRmw16XchgU { memarg } => {
            rmw!(memarg, Xchg, W16)
        }
        W::I32AtomicRmwCmpxchg { memarg } | W::I64AtomicRmw32CmpxchgU { memarg } => {
            (Cmpxchg, W32, memarg)
        }
        W::I64AtomicRmwCmpxchg { memarg } => (Cmpxchg, W64, memarg),
        W::I32AtomicRmw8CmpxchgU { memarg } | W::I64AtomicRmw8CmpxchgU { memarg } => {
            (Cmpxchg, W8, memarg)
        }
        W::I32AtomicRmw16CmpxchgU { memarg } | W::I64AtomicRmw16CmpxchgU { memarg } => {
            (Cmpxchg, W16, memarg)
        }
        _ => return None,
    })
}

/// The address of an atomic access of `width` at `addr + offset` in a
/// memory of `len` bytes at `base`: alignment is checked first, as the
/// spec's interpreter does, then bounds.
#[inline]
pub fn address(
    base: *mut u8,
    len: usize,
    addr: u32,
    offset: u32,
    width: Width,
) -> Result<*mut u8, TrapCode> {
    let ea = addr as u64 + offset as u64;
    if !ea.is_multiple_of(width.bytes()) {
        return Err(TrapCode::UnalignedAtomic);
    }
    if ea + width.bytes() > len as u64 {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    Ok(base.wrapping_add(ea as usize))
}

/// Atomically load `width` bytes at `p`, zero-extended.
///
/// # Safety
/// `p` is an aligned address of `width` bytes inside a live memory.
pub unsafe fn load(p: *mut u8, width: Width) -> u64 {
    // SAFETY: guaranteed by the caller; wasm memory is only ever accessed
    // through raw pointers or these atomics.
    unsafe {
        match width {
            Width::W8 => AtomicU8::from_ptr(p).load(SeqCst) as u64,
            Width::W16 => AtomicU16::from_ptr(p.cast()).load(SeqCst) as u64,
            Width::W32 => AtomicU32::from_ptr(p.cast()).load(SeqCst) as u64,
            Width::W64 => AtomicU64::from_ptr(p.cast()).load(SeqCst),
        }
    }
}

/// Atomically store the low `width` bytes of `v` at `p`.
///
/// # Safety
/// As for [`load`].
pub unsafe fn store(p: *mut u8, width: Width, v: u64) {
    // SAFETY: as for `load`.
    unsafe {
        match width {
            Width::W8 => AtomicU8::from_ptr(p).store(v as u8, SeqCst),
            Width::W16 => AtomicU16::from_ptr(p.cast()).store(v as u16, SeqCst),
            Width::W32 => AtomicU32::from_ptr(p.cast()).store(v as u32, SeqCst),
            Width::W64 => AtomicU64::from_ptr(p.cast()).store(v, SeqCst),
        }
    }
}

macro_rules! rmw_on {
    ($atomic:ty, $p:expr, $op:expr, $v:expr) => {{
        let a = <$atomic>::from_ptr($p.cast());
        let v = $v;
        (match $op {
            RmwOp::Add => a.fetch_add(v, SeqCst),
            RmwOp::Sub => a.fetch_sub(v, SeqCst),
            RmwOp::And => a.fetch_and(v, SeqCst),
            RmwOp::Or => a.fetch_or(v, SeqCst),
            RmwOp::Xor => a.fetch_xor(v, SeqCst),
            RmwOp::Xchg => a.swap(v, SeqCst),
        }) as u64
    }};
}

/// Atomically apply `op` with operand `v` (truncated to `width`) at `p`;
/// the old value, zero-extended.
///
/// # Safety
/// As for [`load`].
pub unsafe fn rmw(p: *mut u8, width: Width, op: RmwOp, v: u64) -> u64 {
    // SAFETY: as for `load`.
    unsafe {
        match width {
            Width::W8 => rmw_on!(AtomicU8, p, op, v as u8),
            Width::W16 => rmw_on!(AtomicU16, p, op, v as u16),
            Width::W32 => rmw_on!(AtomicU32, p, op, v as u32),
            Width::W64 => rmw_on!(AtomicU64, p, op, v),
        }
    }
}

/// Atomically replace the value at `p` with `replacement` if it equals
/// `expected` (both truncated to `width`); the old value, zero-extended.
///
/// # Safety
/// As for [`load`].
pub unsafe fn cmpxchg(p: *mut u8, width: Width, expected: u64, replacement: u64) -> u64 {
    macro_rules! cas {
        ($atomic:ty, $t:ty) => {{
            let a = <$atomic>::from_ptr(p.cast());
            match a.compare_exchange(expected as $t, replacement as $t, SeqCst, SeqCst) {
                Ok(v) | Err(v) => v as u64,
            }
        }};
    }
    // SAFETY: as for `load`.
    unsafe {
        match width {
            Width::W8 => cas!(AtomicU8, u8),
            Width::W16 => cas!(AtomicU16, u16),
            Width::W32 => cas!(AtomicU32, u32),
            Width::W64 => cas!(AtomicU64, u64),
        }
    }
}

/// One parked thread.
#[derive(Default)]
struct Waiter {
    woken: Mutex<bool>,
    cv: Condvar,
}

/// What a shared memory has beyond its bytes: the lock serialising its
/// growth and the threads waiting on its addresses.
#[derive(Default)]
pub struct SharedState {
    pub(crate) grow_lock: Mutex<()>,
    waiters: Mutex<HashMap<u64, VecDeque<Arc<Waiter>>>>,
}

impl std::fmt::Debug for SharedState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedState").finish_non_exhaustive()
    }
}

/// `memory.atomic.wait32/64` at `addr + offset` of `mem`: 0 when woken by
/// a notify, 1 when the value differs from `expected`, 2 on timeout
/// (`timeout_ns` < 0: none). Traps on a memory that is not shared.
///
/// # Safety
/// `mem` is live; other threads may use it only through atomics and this
/// module.
pub unsafe fn wait(
    mem: &LinearMemory,
    addr: u32,
    offset: u32,
    width: Width,
    expected: u64,
    timeout_ns: i64,
) -> Result<u32, TrapCode> {
    let p = address(mem.vm.base, mem.vm.len, addr, offset, width)?;
    let Some(shared) = mem.shared_state() else {
        return Err(TrapCode::ExpectedSharedMemory);
    };
    let key = p as u64;
    let waiter = {
        let mut queues = shared.waiters.lock();
        // SAFETY: `p` was checked against the memory's bounds and alignment.
        if unsafe { load(p, width) } != width.wrap(expected) {
            return Ok(1);
        }
        let w = Arc::new(Waiter::default());
        queues.entry(key).or_default().push_back(w.clone());
        w
    };
    let deadline = u64::try_from(timeout_ns)
        .ok()
        .map(|ns| Instant::now() + Duration::from_nanos(ns));
    let mut woken = waiter.woken.lock();
    while !*woken {
        match deadline {
            None => waiter.cv.wait(&mut woken),
            Some(d) => {
                if waiter.cv.wait_until(&mut woken, d).timed_out() {
                    break;
                }
            }
        }
    }
    if *woken {
        return Ok(0);
    }
    drop(woken);
    // Timed out, unless a notify took us off the queue meanwhile (it sets
    // `woken` under the queue lock).
    let mut queues = shared.waiters.lock();
    if *waiter.woken.lock() {
        return Ok(0);
    }
    if let Some(q) = queues.get_mut(&key) {
        q.retain(|w| !Arc::ptr_eq(w, &waiter));
        if q.is_empty() {
            queues.remove(&key);
        }
    }
    Ok(2)
}

/// `memory.atomic.notify` at `addr + offset` of `mem`: wake up to `count`
/// waiters of that address, oldest first; how many woke.
///
/// # Safety
/// As for [`wait`].
pub unsafe fn notify(
    mem: &LinearMemory,
    addr: u32,
    offset: u32,
    count: u32,
) -> Result<u32, TrapCode> {
    let p = address(mem.vm.base, mem.vm.len, addr, offset, Width::W32)?;
    let Some(shared) = mem.shared_state() else {
        return Ok(0);
    };
    let mut queues = shared.waiters.lock();
    let Some(q) = queues.get_mut(&(p as u64)) else {
        return Ok(0);
    };
    let mut n = 0;
    while n < count {
        let Some(w) = q.pop_front() else { break };
        *w.woken.lock() = true;
        w.cv.notify_one();
        n += 1;
    }
    if q.is_empty() {
        queues.remove(&(p as u64));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MAX_PAGES;
    use crate::types::MemoryType;

    fn shared_memory() -> LinearMemory {
        LinearMemory::new(
            MemoryType {
                min: 1,
                max: Some(1),
                shared: true,
            },
            MAX_PAGES,
        )
        .unwrap()
    }

    #[test]
    fn rmw_and_cmpxchg_work_at_every_width() {
        let mut m = shared_memory();
        let base = m.data_mut().as_mut_ptr();
        // SAFETY: aligned addresses inside the memory's first page.
        unsafe {
            store(base, Width::W64, 0x1111_1111_1111_1111);
            assert_eq!(rmw(base, Width::W8, RmwOp::Add, 0x1ff), 0x11);
            assert_eq!(load(base, Width::W8), 0x10);
            assert_eq!(rmw(base.add(2), Width::W16, RmwOp::Xchg, 0xabcd), 0x1111);
            assert_eq!(
                cmpxchg(base.add(4), Width::W32, 0x1111_1111, 7),
                0x1111_1111
            );
            assert_eq!(cmpxchg(base.add(4), Width::W32, 0x1111_1111, 8), 7);
            assert_eq!(load(base, Width::W64), 0x0000_0007_abcd_1110);
        }
        assert_eq!(
            address(base, 65536, 1, 0, Width::W16).unwrap_err(),
            TrapCode::UnalignedAtomic
        );
        assert_eq!(
            address(base, 65536, 65536, 0, Width::W8).unwrap_err(),
            TrapCode::MemoryOutOfBounds
        );
    }

    #[test]
    fn wait_times_out_checks_the_value_and_is_woken_by_notify() {
        let m = shared_memory();
        // SAFETY: the memory lives until both threads are done.
        unsafe {
            assert_eq!(wait(&m, 0, 0, Width::W32, 1, 0), Ok(1));
            assert_eq!(wait(&m, 0, 0, Width::W32, 0, 1_000_000), Ok(2));
            assert_eq!(notify(&m, 0, 0, 5), Ok(0));
        }
        // The other thread sees the memory as the runtime shares it: by address.
        let at = &m as *const LinearMemory as usize;
        let sleeper = std::thread::spawn(move || {
            // SAFETY: the memory outlives this thread (joined below), and
            // only atomics touch it meanwhile.
            unsafe { wait(&*(at as *const LinearMemory), 8, 0, Width::W64, 0, -1) }
        });
        // Notify until the sleeper was there to be woken.
        loop {
            // SAFETY: as above.
            if unsafe { notify(&m, 8, 0, 1) } == Ok(1) {
                break;
            }
            std::thread::yield_now();
        }
        assert_eq!(sleeper.join().unwrap(), Ok(0));
        let unshared = LinearMemory::new(
            MemoryType {
                min: 1,
                max: None,
                shared: false,
            },
            MAX_PAGES,
        )
        .unwrap();
        // SAFETY: a live memory.
        unsafe {
            assert_eq!(
                wait(&unshared, 0, 0, Width::W32, 0, 0),
                Err(TrapCode::ExpectedSharedMemory)
            );
            assert_eq!(notify(&unshared, 0, 0, 1), Ok(0));
        }
    }
}
