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
    /// A reference to it reached wasm code or the embedder, which may
    /// use it again: it lives as long as the store.
    pub escaped: bool,
}

/// The exceptions of one store, and the one in flight.
///
/// Objects whose reference never reached wasm code (caught by a `catch`
/// that keeps only the payload) are freed at once and their slots reused.
/// Objects a legacy `catch` holds (for `rethrow`, in a slot no wasm value
/// names) are freed once no wasm frame runs in the store any more
/// ([`ExnHeap::release_legacy`]). The rest live as long as the store, like
/// every other store object.
#[derive(Debug, Default)]
pub struct ExnHeap {
    objects: Vec<Option<ExnObject>>,
    free: Vec<u32>,
    /// Per slot: a legacy catch holds its object.
    held: Vec<bool>,
    /// The references legacy catches took (some perhaps freed since).
    legacy: Vec<u64>,
    /// The exception being thrown (0 when none).
    pub pending: u64,
}

/// How a handler takes the exception in flight (see
/// [`ExnHeap::catch_pending`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Catch {
    /// Only its payload (`catch`, `catch_all`).
    Payload,
    /// Its reference as a wasm value (`catch_ref`, `catch_all_ref`).
    Ref,
    /// A legacy `catch`/`catch_all`, which keeps it for `rethrow`.
    Legacy,
}

impl Catch {
    /// The way a clause takes the exception: a legacy one's, or one that
    /// `keeps_ref` (gives the handler the reference), or neither.
    pub fn of(legacy: bool, keeps_ref: bool) -> Catch {
        if legacy {
            Catch::Legacy
        } else if keeps_ref {
            Catch::Ref
        } else {
            Catch::Payload
        }
    }
}

impl ExnHeap {
    /// Store a new exception and return its reference (never 0).
    pub fn alloc(&mut self, exn: ExnObject) -> u64 {
        match self.free.pop() {
            Some(i) => {
                self.objects[i as usize] = Some(exn);
                self.held[i as usize] = false;
                i as u64 + 1
            }
            None => {
                self.objects.push(Some(exn));
                self.held.push(false);
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

    /// Exception `r` may be used again through a reference held elsewhere.
    pub fn escape(&mut self, r: u64) {
        if let Some(Some(obj)) = self.slot_of(r).map(|i| &mut self.objects[i]) {
            obj.escaped = true;
        }
    }

    /// A handler catches the exception in flight, which is then in flight
    /// no more: with its reference (the handler's code holds it from now
    /// on), held by a legacy catch, or with its payload only, when it is
    /// freed unless something else may name it. Returns the reference.
    pub fn catch_pending(&mut self, how: Catch) -> u64 {
        let r = self.take_pending();
        let Some(i) = self.slot_of(r) else {
            return r;
        };
        match how {
            Catch::Ref => self.escape(r),
            Catch::Legacy => {
                if !self.held[i] {
                    self.held[i] = true;
                    self.legacy.push(r);
                }
            }
            Catch::Payload => {
                let escaped = self.objects[i].as_ref().is_some_and(|o| o.escaped);
                if !escaped && !self.held[i] {
                    self.free(r);
                }
            }
        }
        r
    }

    /// No wasm frame runs in the store: no legacy catch can `rethrow`
    /// what it holds, so free what only legacy catches held.
    pub fn release_legacy(&mut self) {
        for r in std::mem::take(&mut self.legacy) {
            let Some(i) = self.slot_of(r) else { continue };
            let escaped = self.objects[i].as_ref().is_some_and(|o| o.escaped);
            if self.held[i] && !escaped && r != self.pending {
                self.free(r);
            }
        }
    }

    /// The slot of live exception `r`.
    fn slot_of(&self, r: u64) -> Option<usize> {
        let i = usize::try_from(r.checked_sub(1)?).ok()?;
        self.objects.get(i)?.as_ref().map(|_| i)
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
            escaped: false,
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
            escaped: false,
        });
        let b = heap.alloc(ExnObject {
            tag,
            values: Box::new([2, 3]),
            escaped: false,
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
            escaped: false,
        });
        assert_eq!(c, a);
        assert_eq!(heap.live(), 2);
    }

    #[test]
    fn a_catch_frees_only_what_no_reference_names() {
        let mut heap = ExnHeap::default();
        let new = |heap: &mut ExnHeap| {
            heap.alloc(ExnObject {
                tag: std::ptr::null(),
                values: Box::new([]),
                escaped: false,
            })
        };
        // Caught without its reference: nothing can name it again.
        let a = new(&mut heap);
        heap.throw(a);
        assert_eq!(heap.catch_pending(Catch::Payload), a);
        assert!(heap.get(a).is_none() && heap.pending == 0);
        // Caught with it (`catch_ref`), thrown again by `throw_ref` and
        // caught without it: the code holding the reference may use it.
        let b = new(&mut heap);
        heap.throw(b);
        heap.catch_pending(Catch::Ref);
        heap.throw(b);
        heap.catch_pending(Catch::Payload);
        assert!(heap.get(b).is_some());
        // Held by a legacy catch, rethrown and caught by a plain catch in
        // its body: the legacy catch may rethrow it again, so it stays
        // until no wasm frame runs.
        let c = new(&mut heap);
        heap.throw(c);
        heap.catch_pending(Catch::Legacy);
        heap.throw(c);
        heap.catch_pending(Catch::Payload);
        assert!(heap.get(c).is_some());
        heap.release_legacy();
        assert!(heap.get(c).is_none());
        assert!(heap.get(b).is_some(), "escaped objects stay");
        // A legacy-held object that escaped stays too.
        let d = new(&mut heap);
        heap.throw(d);
        heap.catch_pending(Catch::Legacy);
        heap.escape(d);
        heap.release_legacy();
        assert!(heap.get(d).is_some());
    }
}
