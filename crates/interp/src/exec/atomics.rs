//! Atomic memory instructions (threads proposal), through
//! `wx_core::atomics` on memory 0. Each is followed by an `Extra` naming
//! its width (and, for read-modify-write, its offset and operation).

use super::dispatch::{handlers, next, r32, slot, tri, w32};
use super::mem_view;
use wx_core::atomics::{self, RmwOp, Width};
use wx_core::memory::LinearMemory;

handlers! {
    fn AtomicLoad(ip, sp, mem, len, cx) {
        let (i, e) = (&*ip, &*ip.add(1));
        let w = Width::from_u32(e.a);
        let p = tri!(cx, ip, atomics::address(mem, len, r32!(sp, i.b), i.c, w));
        *sp.add(i.a as usize) = atomics::load(p, w);
        next!(ip.add(2), sp, mem, len, cx)
    }

    fn AtomicStore(ip, sp, mem, len, cx) {
        let (i, e) = (&*ip, &*ip.add(1));
        let w = Width::from_u32(e.a);
        let p = tri!(cx, ip, atomics::address(mem, len, r32!(sp, i.a), i.c, w));
        atomics::store(p, w, slot!(sp, i.b));
        next!(ip.add(2), sp, mem, len, cx)
    }

    fn AtomicRmw(ip, sp, mem, len, cx) {
        let (i, e) = (&*ip, &*ip.add(1));
        let w = Width::from_u32(e.b);
        let p = tri!(cx, ip, atomics::address(mem, len, r32!(sp, i.b), e.a, w));
        *sp.add(i.a as usize) = atomics::rmw(p, w, RmwOp::from_u32(e.c), slot!(sp, i.c));
        next!(ip.add(2), sp, mem, len, cx)
    }

    fn AtomicCmpxchg(ip, sp, mem, len, cx) {
        let (i, e) = (&*ip, &*ip.add(1));
        let w = Width::from_u32(e.a);
        let p = tri!(cx, ip, atomics::address(mem, len, r32!(sp, i.b), i.c, w));
        let old = atomics::cmpxchg(p, w, slot!(sp, i.b + 1), slot!(sp, i.b + 2));
        *sp.add(i.a as usize) = old;
        next!(ip.add(2), sp, mem, len, cx)
    }

    fn AtomicWait(ip, sp, mem, len, cx) {
        let (i, e) = (&*ip, &*ip.add(1));
        let w = Width::from_u32(e.a);
        // Validation guarantees memory 0 exists; it is a LinearMemory
        // (`vm` is its first field).
        let m = &*(cx.vm_mem as *const LinearMemory);
        let (addr, expected, timeout) = (r32!(sp, i.b), slot!(sp, i.b + 1), slot!(sp, i.b + 2));
        let r = tri!(cx, ip, atomics::wait(m, addr, i.c, w, expected, timeout as i64));
        w32!(sp, i.a, r);
        // Other threads may have grown the memory meanwhile.
        let (mem, len) = mem_view(cx.vm_mem);
        next!(ip.add(2), sp, mem, len, cx)
    }

    fn AtomicNotify(ip, sp, mem, len, cx) {
        let (i, e) = (&*ip, &*ip.add(1));
        let m = &*(cx.vm_mem as *const LinearMemory);
        let n = tri!(cx, ip, atomics::notify(m, r32!(sp, i.b), e.a, r32!(sp, i.c)));
        w32!(sp, i.a, n);
        next!(ip.add(2), sp, mem, len, cx)
    }

    fn AtomicFence(ip, sp, mem, len, cx) {
        std::sync::atomic::fence(std::sync::atomic::Ordering::SeqCst);
        next!(ip.add(1), sp, mem, len, cx)
    }
}
