//! Handlers for slot moves, constants, selects, globals, references and tables.

use super::dispatch::{handlers, next, r32, slot, trap_at, tri, w32};
use wx_core::TrapCode;

handlers! {
    fn Copy(ip, sp, mem, len, cx) {
        let i = &*ip;
        slot!(sp, i.a) = slot!(sp, i.b);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn Const32(ip, sp, mem, len, cx) {
        let i = &*ip;
        slot!(sp, i.a) = i.b as u64;
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn Const64(ip, sp, mem, len, cx) {
        let i = &*ip;
        slot!(sp, i.a) = (i.c as u64) << 32 | i.b as u64;
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn Select(ip, sp, mem, len, cx) {
        let i = &*ip;
        let b = (*ip.add(1)).a;
        let pick = if r32!(sp, i.b) != 0 { i.c } else { b };
        slot!(sp, i.a) = slot!(sp, pick);
        next!(ip.add(2), sp, mem, len, cx)
    }

    fn SelectElse(ip, sp, mem, len, cx) {
        trap_at!(cx, ip, TrapCode::Internal)
    }

    fn GlobalGet(ip, sp, mem, len, cx) {
        let i = &*ip;
        slot!(sp, i.a) = (**(&*cx.instance).globals.get_unchecked(i.b as usize)).vm.bits;
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn GlobalSet(ip, sp, mem, len, cx) {
        let i = &*ip;
        (**(&*cx.instance).globals.get_unchecked(i.b as usize)).vm.bits = slot!(sp, i.a);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn RefFunc(ip, sp, mem, len, cx) {
        let i = &*ip;
        slot!(sp, i.a) = *(&*cx.instance).funcs.get_unchecked(i.b as usize) as u64;
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn TableGet(ip, sp, mem, len, cx) {
        let i = &*ip;
        match (&mut *cx.instance).table(i.c).get(r32!(sp, i.b)) {
            Some(v) => slot!(sp, i.a) = v,
            None => trap_at!(cx, ip, TrapCode::TableOutOfBounds),
        }
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn TableSet(ip, sp, mem, len, cx) {
        let i = &*ip;
        tri!(cx, ip, (&mut *cx.instance).table(i.c).set(r32!(sp, i.a), slot!(sp, i.b)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn TableSize(ip, sp, mem, len, cx) {
        let i = &*ip;
        w32!(sp, i.a, (&mut *cx.instance).table(i.b).size());
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn TableGrow(ip, sp, mem, len, cx) {
        let i = &*ip;
        let init = slot!(sp, i.a);
        let delta = r32!(sp, i.a + 1);
        let r = tri!(cx, ip, (&mut *cx.instance).table_grow_limited(i.b, delta, init));
        w32!(sp, i.a, r);
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn TableFill(ip, sp, mem, len, cx) {
        let i = &*ip;
        tri!(cx, ip, (&mut *cx.instance).table(i.b).fill(r32!(sp, i.a), slot!(sp, i.a + 1), r32!(sp, i.a + 2)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn TableCopy(ip, sp, mem, len, cx) {
        let i = &*ip;
        tri!(cx, ip, (&mut *cx.instance).table_copy(i.b, i.c, r32!(sp, i.a), r32!(sp, i.a + 1), r32!(sp, i.a + 2)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn TableInit(ip, sp, mem, len, cx) {
        let i = &*ip;
        tri!(cx, ip, (&mut *cx.instance).table_init(i.b, i.c, r32!(sp, i.a), r32!(sp, i.a + 1), r32!(sp, i.a + 2)));
        next!(ip.add(1), sp, mem, len, cx)
    }

    fn ElemDrop(ip, sp, mem, len, cx) {
        (&mut *cx.instance).elem_drop((*ip).a);
        next!(ip.add(1), sp, mem, len, cx)
    }
}
