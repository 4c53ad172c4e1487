//! Throwing and catching exceptions in the interpreter.
//!
//! `throw` puts a new exception in the store's heap and `throw_ref` picks
//! an existing one; both make it the exception in flight and return the
//! [`wx_core::TrapCode::Exception`] status, like a trap. The driver ([`super::run`])
//! then looks for a handler in this entry's frames, innermost first, from
//! the instruction that threw (or the call a callee's exception came
//! through): the first matching catch clause gets the payload, the frames
//! above its frame are dropped, and execution continues at the clause's
//! code. With no match the status leaves the entry like any trap.

use super::dispatch::{handlers, slot, trap_at};
use super::{memory0, Cx, TrapOrigin};
use crate::code::{FuncCode, CATCH_ALL, NO_SCOPE, NO_SLOT};
use wx_core::exception;
use wx_core::instance::Instance;

handlers! {
    fn Throw(ip, sp, mem, len, cx) {
        let i = &*ip;
        let instance = &*cx.instance;
        let n = (*instance.tags[i.a as usize]).ty.params().len();
        let payload = std::slice::from_raw_parts(sp.add(i.b as usize), n);
        trap_at!(cx, ip, exception::throw_new(instance.vmctx(), i.a, payload))
    }

    fn ThrowRef(ip, sp, mem, len, cx) {
        let vmctx = (&*cx.instance).vmctx();
        trap_at!(cx, ip, exception::throw_ref(vmctx, slot!(sp, (*ip).a)))
    }
}

/// Where a handler was found: the clause, and the frame that has it
/// (`None`: the running frame; `Some(d)`: the saved frame `frames[d]`).
struct Found {
    clause: crate::code::CatchClause,
    frame: Option<usize>,
}

/// The first clause of `code` (running in `instance`) that catches an
/// exception of `tag` raised at instruction `at`.
///
/// # Safety
/// `instance` is live.
unsafe fn clause_for(
    code: &FuncCode,
    instance: *const Instance,
    at: usize,
    tag: *const wx_core::exception::TagInstance,
) -> Option<crate::code::CatchClause> {
    let mut scope = code.scope_at(at);
    while scope != NO_SCOPE {
        let s = &code.handlers[scope as usize];
        let clauses =
            &code.catches[s.first_catch as usize..(s.first_catch + s.num_catches) as usize];
        for c in clauses {
            // SAFETY: the instance is live (guaranteed by the caller).
            if c.tag == CATCH_ALL || std::ptr::eq(unsafe { (&*instance).tags[c.tag as usize] }, tag)
            {
                return Some(*c);
            }
        }
        scope = s.parent;
    }
    None
}

/// Catch the exception in flight in this entry's frames, if one of them
/// has a handler for it; then `cx` describes the handler's frame and
/// instruction, and execution goes on there.
///
/// # Safety
/// `cx` describes the live frames of an entry whose last handler returned
/// the exception status.
pub(crate) unsafe fn catch(cx: &mut Cx) -> bool {
    // SAFETY: the entry's instances, codes and frames are live.
    unsafe {
        let heap = exception::heap((&*cx.instance).vmctx());
        let exn = heap.pending;
        let Some(tag) = heap.get(exn).map(|o| o.tag) else {
            return false;
        };
        let stack = &*cx.stack;
        let mut found = None;
        // The running frame, unless it already finished in compiled code (OSR).
        if cx.trap != TrapOrigin::Replaced {
            let code = &*cx.code;
            if let Some(clause) = clause_for(code, cx.instance, code.index_of(cx.trap_ip), tag) {
                found = Some(Found {
                    clause,
                    frame: None,
                });
            }
        }
        if found.is_none() {
            for d in (cx.entry_depth..stack.frames.len()).rev() {
                let f = &stack.frames[d];
                let code = &*f.code;
                // The caller resumes after its call: the call is just before.
                let at = code.index_of(f.ip.wrapping_sub(1));
                if let Some(clause) = clause_for(code, f.instance, at, tag) {
                    found = Some(Found {
                        clause,
                        frame: Some(d),
                    });
                    break;
                }
            }
        }
        let Some(Found { clause, frame }) = found else {
            return false;
        };
        let stack = &mut *cx.stack;
        if let Some(d) = frame {
            let f = stack.frames[d];
            stack.frames.truncate(d);
            cx.code = f.code;
            cx.module_code = f.module_code;
            if cx.instance != f.instance {
                cx.instance = f.instance;
                cx.vm_mem = memory0(f.instance);
            }
            cx.base = f.base;
        }
        let sp = stack.values.as_mut_ptr().add(cx.base);
        if let Some(obj) = heap.get(exn) {
            if clause.with_payload {
                std::ptr::copy_nonoverlapping(
                    obj.values.as_ptr(),
                    sp.add(clause.payload as usize),
                    obj.values.len(),
                );
            }
        }
        heap.catch_pending(exception::Catch::of(clause.legacy, clause.exn != NO_SLOT));
        if clause.exn != NO_SLOT {
            *sp.add(clause.exn as usize) = exn;
        }
        cx.ip = (&*cx.code).instrs.as_ptr().add(clause.target as usize);
        cx.sp = sp;
        true
    }
}
