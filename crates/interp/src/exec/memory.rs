//! Linear-memory handlers: explicitly bounds-checked loads and stores, size,
//! grow and the bulk operations.

use super::dispatch::{handlers, next, r32, slot, trap_at, tri, w32};
use super::mem_view;
use std::ptr;
use wx_core::TrapCode;

/// The address of `size` bytes at `addr + offset`, or a trap.
macro_rules! effective {
    ($cx:ident, $ip:ident, $sp:ident, $i:ident, $mem:ident, $len:ident, $addr:expr, $size:expr) => {{
        let ea = r32!($sp, $addr) as u64 + $i.c as u64;
        if ea + $size as u64 > $len as u64 {
            trap_at!($cx, $ip, TrapCode::MemoryOutOfBounds);
        }
        $mem.add(ea as usize)
    }};
}

/// The address of `size` bytes at `base + imm` (wrapping at 2^32), or a trap.
macro_rules! effective_plus {
    ($cx:ident, $ip:ident, $sp:ident, $i:ident, $mem:ident, $len:ident, $size:expr) => {{
        let ea = r32!($sp, $i.b).wrapping_add($i.c) as u64;
        if ea + $size as u64 > $len as u64 {
            trap_at!($cx, $ip, TrapCode::MemoryOutOfBounds);
        }
        $mem.add(ea as usize)
    }};
}

macro_rules! loads {
    ($($name:ident, $plus:ident: $t:ty => $conv:expr;)*) => {
        handlers! {$(
            fn $name(ip, sp, mem, len, cx) {
                let i = &*ip;
                let p = effective!(cx, ip, sp, i, mem, len, i.b, std::mem::size_of::<$t>());
                let v = <$t>::from_le(ptr::read_unaligned(p as *const $t));
                #[allow(clippy::redundant_closure_call)]
                { slot!(sp, i.a) = ($conv)(v); }
                next!(ip.add(1), sp, mem, len, cx)
            }

            fn $plus(ip, sp, mem, len, cx) {
                let i = &*ip;
                let p = effective_plus!(cx, ip, sp, i, mem, len, std::mem::size_of::<$t>());
                let v = <$t>::from_le(ptr::read_unaligned(p as *const $t));
                #[allow(clippy::redundant_closure_call)]
                { slot!(sp, i.a) = ($conv)(v); }
                next!(ip.add(1), sp, mem, len, cx)
            }
        )*}
    };
}

loads! {
    I32Load, I32LoadPlus: u32 => |v: u32| v as u64;
    I64Load, I64LoadPlus: u64 => |v: u64| v;
    F32Load, F32LoadPlus: u32 => |v: u32| v as u64;
    F64Load, F64LoadPlus: u64 => |v: u64| v;
    I32Load8S, I32Load8SPlus: i8 => |v: i8| v as i32 as u32 as u64;
    I32Load8U, I32Load8UPlus: u8 => |v: u8| v as u64;
    I32Load16S, I32Load16SPlus: i16 => |v: i16| v as i32 as u32 as u64;
    I32Load16U, I32Load16UPlus: u16 => |v: u16| v as u64;
    I64Load8S, I64Load8SPlus: i8 => |v: i8| v as i64 as u64;
    I64Load8U, I64Load8UPlus: u8 => |v: u8| v as u64;
    I64Load16S, I64Load16SPlus: i16 => |v: i16| v as i64 as u64;
    I64Load16U, I64Load16UPlus: u16 => |v: u16| v as u64;
    I64Load32S, I64Load32SPlus: i32 => |v: i32| v as i64 as u64;
    I64Load32U, I64Load32UPlus: u32 => |v: u32| v as u64;
}

macro_rules! stores {
    ($($name:ident, $plus:ident: $t:ty;)*) => {
        handlers! {$(
            fn $name(ip, sp, mem, len, cx) {
                let i = &*ip;
                let p = effective!(cx, ip, sp, i, mem, len, i.a, std::mem::size_of::<$t>());
                ptr::write_unaligned(p as *mut $t, (slot!(sp, i.b) as $t).to_le());
                next!(ip.add(1), sp, mem, len, cx)
            }

            fn $plus(ip, sp, mem, len, cx) {
                let i = &*ip;
                let ea = r32!(sp, i.a).wrapping_add(i.c) as u64;
                if ea + std::mem::size_of::<$t>() as u64 > len as u64 {
                    trap_at!(cx, ip, TrapCode::MemoryOutOfBounds)
                }
                ptr::write_unaligned(mem.add(ea as usize) as *mut $t, (slot!(sp, i.b) as $t).to_le());
                next!(ip.add(1), sp, mem, len, cx)
            }
        )*}
    };
}

stores! {
    I32Store, I32StorePlus: u32;
    I64Store, I64StorePlus: u64;
    I32Store8, I32Store8Plus: u8;
    I32Store16, I32Store16Plus: u16;
    I64Store8, I64Store8Plus: u8;
    I64Store16, I64Store16Plus: u16;
    I64Store32, I64Store32Plus: u32;
}

handlers! {
    fn MemorySize(ip, sp, mem, len, cx) {
        w32!(sp, (*ip).a, len / wx_core::memory::PAGE_SIZE);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn MemoryGrow(ip, sp, mem, len, cx) {
        let i = &*ip;
        let r = tri!(cx, ip, (&mut *cx.instance).memory_grow_limited(0, r32!(sp, i.b)));
        w32!(sp, i.a, r);
        let (mem, len) = mem_view(cx.vm_mem);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn MemoryInit(ip, sp, mem, len, cx) {
        let i = &*ip;
        let at = i.b;
        tri!(cx, ip, (&mut *cx.instance).memory_init(0, i.a, r32!(sp, at), r32!(sp, at + 1), r32!(sp, at + 2)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn MemoryCopy(ip, sp, mem, len, cx) {
        let at = (*ip).a;
        tri!(cx, ip, (&mut *cx.instance).memory_copy(0, 0, r32!(sp, at), r32!(sp, at + 1), r32!(sp, at + 2)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn MemoryFill(ip, sp, mem, len, cx) {
        let at = (*ip).a;
        tri!(cx, ip, (&mut *cx.instance).memory_fill(0, r32!(sp, at), r32!(sp, at + 1) as u8, r32!(sp, at + 2)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn DataDrop(ip, sp, mem, len, cx) {
        (&mut *cx.instance).data_drop((*ip).a);
        next!(ip.add(1), sp, mem, len, cx)
    }
}
