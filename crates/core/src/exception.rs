//! Exception handling: tags and exception objects.
//!
//! A *tag* is an instance entity like a global: defined tags are created
//! per instantiation, imported ones are shared, and two tags are the same
//! tag exactly when they are the same [`TagInstance`] (compared by
//! address), whatever their types say.
//!
//! An *exception* is a tag plus its payload values. Thrown exceptions live
//! in the store's [`ExnHeap`]; an `exnref` value is a heap reference
//! (index + 1, so 0 stays null). While an exception travels out of frames
//! that do not catch it, code returns the status
//! [`crate::TrapCode::Exception`] (the same channel traps use) and the heap's
//! `pending` cell names the exception in flight; the frame that catches it
//! takes it from there.

use crate::sig::SigId;
use crate::trap::TrapCode;
use crate::types::FuncType;
use crate::vm::VMContext;

/// A tag: the type of the payload its exceptions carry.
#[derive(Debug)]
pub struct TagInstance {
    /// Parameters are the payload; results are always empty.
    pub ty: FuncType,
    pub sig: SigId,
}

/// A thrown exception.
#[derive(Debug)]
pub struct ExnObject {
    /// The tag it was thrown with (owned by the store, live as long as it).
    pub tag: *const TagInstance,
    /// The payload as raw 64-bit cells, in the tag's parameter order.
    pub values: Box<[u64]>,
}

/// The exceptions of one store, and the one in flight.
///
/// Objects whose reference never reached wasm code (caught by a `catch`
/// that keeps only the payload) are freed at once and their slots reused;
/// the rest live as long as the store, like every other store object.
#[derive(Debug, Default)]
pub struct ExnHeap {
    objects: Vec<Option<ExnObject>>,
    free: Vec<u32>,
    /// The exception being thrown (0 when none).
    pub pending: u64,
}

impl ExnHeap {
    /// Store a new exception and return its reference (never 0).
    pub fn alloc(&mut self, exn: ExnObject) -> u64 {
        match self.free.pop() {
            Some(i) => {
                self.objects[i as usize] = Some(exn);
                i as u64 + 1
            }
            None => {
                self.objects.push(Some(exn));
                self.objects.len() as u64
            }
        }
    }

    /// The exception `r` refers to, if it is live.
    pub fn get(&self, r: u64) -> Option<&ExnObject> {
        let i = usize::try_from(r.checked_sub(1)?).ok()?;
        self.objects.get(i)?.as_ref()
    }

    /// Forget exception `r`: nothing refers to it any more.
    pub fn free(&mut self, r: u64) {
        let Some(i) = r.checked_sub(1) else { return };
        if let Some(slot) = self.objects.get_mut(i as usize) {
            if slot.take().is_some() {
                self.free.push(i as u32);
            }
        }
    }

    /// Throw `r`: make it the exception in flight.
    pub fn throw(&mut self, r: u64) {
        self.pending = r;
    }

    /// The exception in flight, leaving none.
    pub fn take_pending(&mut self) -> u64 {
        std::mem::take(&mut self.pending)
    }

    /// Live exceptions (for tests and statistics).
    pub fn live(&self) -> usize {
        self.objects.len() - self.free.len()
    }
}

/// The exception heap of the store `vmctx`'s instance belongs to.
///
/// # Safety
/// `vmctx` is a live instance's context, used on its store's thread.
pub unsafe fn heap<'a>(vmctx: *mut VMContext) -> &'a mut ExnHeap {
    // SAFETY: a store's instances point at its limits cells, which point
    // at its heap (guaranteed by the caller).
    unsafe { &mut *(*(*vmctx).limits).exns }
}

/// `throw`: a new exception of tag `tag` (an index in `vmctx`'s instance)
/// with `payload` becomes the one in flight. Returns the status to
/// leave with, [`TrapCode::Exception`].
///
/// # Safety
/// As for [`heap`]; `tag` is a tag index of the instance.
pub unsafe fn throw_new(vmctx: *mut VMContext, tag: u32, payload: &[u64]) -> TrapCode {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let tag = (&*(*vmctx).instance).tags[tag as usize];
        let heap = heap(vmctx);
        let exn = heap.alloc(ExnObject {
            tag,
            values: payload.into(),
        });
        heap.throw(exn);
    }
    TrapCode::Exception
}

/// `throw_ref`: exception `exn` becomes the one in flight
/// ([`TrapCode::Exception`]), or a null reference traps.
///
/// # Safety
/// As for [`heap`]; `exn` is null or a live exception of the store.
pub unsafe fn throw_ref(vmctx: *mut VMContext, exn: u64) -> TrapCode {
    if exn == 0 {
        return TrapCode::NullExnRef;
    }
    // SAFETY: guaranteed by the caller.
    unsafe { heap(vmctx) }.throw(exn);
    TrapCode::Exception
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_never_null_and_slots_are_reused() {
        let mut heap = ExnHeap::default();
        let tag = std::ptr::null();
        let a = heap.alloc(ExnObject {
            tag,
            values: Box::new([1]),
        });
        let b = heap.alloc(ExnObject {
            tag,
            values: Box::new([2, 3]),
        });
        assert!(a != 0 && b != 0 && a != b);
        assert_eq!(heap.get(b).unwrap().values[..], [2, 3]);
        heap.free(a);
        heap.free(a);
        assert!(heap.get(a).is_none());
        assert!(heap.get(0).is_none());
        let c = heap.alloc(ExnObject {
            tag,
            values: Box::new([]),
        });
        assert_eq!(c, a);
        assert_eq!(heap.live(), 2);
    }
}
