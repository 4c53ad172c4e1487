//! Exceptions in the embedding API: tags, exception references, and the
//! error an uncaught exception becomes.
//!
//! An exception that no wasm frame catches comes out of [`crate::Func::call`]
//! as [`Error::Exception`](crate::Error::Exception): its tag, its payload
//! and its backtrace. A host function that returns that error (as is, from
//! a call it made) throws the same exception on into its wasm caller, as a
//! host function returning [`Exception::throw_new`]'s error throws a new one.

use crate::backtrace::WasmBacktrace;
use crate::error::{Error, Result};
use crate::store::{AsContext, AsContextMut, StoreOpaque};
use crate::values::Val;
use std::fmt;
use wx_core::exception::{ExnObject, TagInstance};
use wx_core::types::FuncType;

/// A tag in a store: what identifies a kind of exception.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tag {
    pub(crate) store_id: u64,
    pub(crate) index: usize,
}

impl Tag {
    /// A new tag whose exceptions carry `ty`'s parameters (its results
    /// must be empty).
    pub fn new(mut store: impl AsContextMut, ty: FuncType) -> Result<Tag> {
        if !ty.results().is_empty() {
            return Err(Error::Usage("a tag's type has no results".into()));
        }
        let s = &mut store.as_context_mut().0.opaque;
        let sig = wx_core::sig::intern(&ty);
        let tag = Box::new(TagInstance { ty, sig });
        let ptr: *const TagInstance = &*tag;
        s.host_tags.push(tag);
        Ok(s.tag_handle(ptr))
    }

    pub(crate) fn ptr(&self, s: &StoreOpaque) -> *const TagInstance {
        s.check(self.store_id);
        s.tags[self.index]
    }

    /// The tag's type: the payload is its parameters.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let s = &store.as_context().0.opaque;
        // SAFETY: the store keeps its tags alive.
        unsafe { (*self.ptr(s)).ty.clone() }
    }
}

/// A reference to an exception object (`exnref`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExnRef {
    /// The store's exception heap reference (never 0).
    pub(crate) raw: u64,
}

/// An exception that reached the embedder.
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    pub tag: Tag,
    /// The tag as a backtrace names things: `module!export` for an
    /// exported tag, `module!tag[N]` otherwise (`None` for a host tag).
    pub tag_name: Option<String>,
    pub payload: Vec<Val>,
    /// The exception object, to throw again.
    pub exn: ExnRef,
    /// The wasm frames it left, innermost first.
    pub backtrace: WasmBacktrace,
}

impl Exception {
    /// An error that, returned by a host function, throws a new exception
    /// of `tag` with `payload` into the calling wasm code.
    pub fn throw_new(mut store: impl AsContextMut, tag: Tag, payload: &[Val]) -> Error {
        let s = &mut store.as_context_mut().0.opaque;
        let ptr = tag.ptr(s);
        // SAFETY: the store keeps its tags alive.
        let params = unsafe { (*ptr).ty.params().to_vec() };
        if params.len() != payload.len() || params.iter().zip(payload).any(|(t, v)| v.ty() != *t) {
            return Error::Usage("exception payload does not match the tag's type".into());
        }
        let values = payload.iter().map(|v| v.to_raw(s)).collect();
        let raw = s.exns.alloc(ExnObject {
            tag: ptr,
            values,
            escaped: true,
        });
        Error::Exception(Box::new(Exception {
            tag,
            tag_name: None,
            payload: payload.to_vec(),
            exn: ExnRef { raw },
            backtrace: WasmBacktrace::default(),
        }))
    }

    /// The exception in flight in `s`, as the embedder sees it.
    pub(crate) fn take_pending(s: &mut StoreOpaque, backtrace: WasmBacktrace) -> Error {
        let raw = s.exns.take_pending();
        s.exns.escape(raw);
        let Some(obj) = s.exns.get(raw) else {
            return Error::Trap(crate::Trap {
                code: wx_core::TrapCode::Internal,
                backtrace,
            });
        };
        let (tag_ptr, values) = (obj.tag, obj.values.clone());
        // SAFETY: an exception's tag is owned by the store.
        let params = unsafe { (*tag_ptr).ty.params().to_vec() };
        let tag = s.tag_handle(tag_ptr);
        let tag_name = tag_name(s, tag_ptr);
        let payload = params
            .iter()
            .zip(values.iter())
            .map(|(t, v)| Val::from_raw(s, *v, *t))
            .collect();
        Error::Exception(Box::new(Exception {
            tag,
            tag_name,
            payload,
            exn: ExnRef { raw },
            backtrace,
        }))
    }
}

/// The name of tag `tag` in the first instance of `s` that defines it.
fn tag_name(s: &StoreOpaque, tag: *const TagInstance) -> Option<String> {
    s.instances.iter().find_map(|inst| {
        let m = &inst.module;
        let index = (m.num_imported_tags as usize..inst.tags.len())
            .find(|&i| std::ptr::eq(inst.tags[i], tag))? as u32;
        let export = m
            .exports
            .iter()
            .find(|e| e.kind == wx_core::module::ExportKind::Tag && e.index == index)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| format!("tag[{index}]"));
        Some(format!(
            "{}!{export}",
            m.name.as_deref().unwrap_or("<unknown>")
        ))
    })
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("thrown Wasm exception")?;
        if let Some(name) = &self.tag_name {
            write!(f, " of tag {name}")?;
        }
        if !self.payload.is_empty() {
            let vals: Vec<String> = self.payload.iter().map(|v| format!("{v:?}")).collect();
            write!(f, " with payload [{}]", vals.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, Engine, Instance, Module, Store, Strategy, Val};

    const WAT: &str = r#"(module
      (tag $e (param i32))
      (func $throw (param i32) (throw $e (local.get 0)))
      (func (export "legacy") (param i32) (result i32)
        try (result i32)
          (call $throw (local.get 0))
          (i32.const 0)
        catch $e
        end)
      ;; The legacy catch_all holds the exception while a try_table in its
      ;; body catches a rethrow of it by payload; it rethrows it again.
      (func (export "twice") (param i32) (result i32)
        try (result i32)
          try (result i32)
            (call $throw (local.get 0))
            (i32.const 0)
          catch_all
            (block $h (result i32)
              (try_table (result i32) (catch $e $h) (rethrow 2)))
            (drop)
            (rethrow 0)
          end
        catch $e
          (i32.add (i32.const 1))
        end))"#;

    /// Exceptions legacy catches hold are freed once the call from the
    /// embedder returns, and not before (a held one is rethrown again).
    #[test]
    fn legacy_catches_release_their_exceptions_when_wasm_returns() {
        let mut strategies = vec![Strategy::Interp];
        if Engine::jit_available() {
            strategies.extend([Strategy::Jit, Strategy::Mixed]);
        }
        for strategy in strategies {
            let engine = Engine::new(Config::new().strategy(strategy)).unwrap();
            let module = Module::new(&engine, WAT).unwrap();
            let mut store = Store::new(&engine, ());
            let instance = Instance::new(&mut store, &module, &[]).unwrap();
            for (name, add) in [("legacy", 0), ("twice", 1)] {
                let f = instance.get_func(&mut store, name).unwrap();
                for i in 0..50 {
                    let mut out = [Val::I32(0)];
                    f.call(&mut store, &[Val::I32(i)], &mut out).unwrap();
                    assert_eq!(out[0].i32(), Some(i + add), "{strategy} {name}");
                    let live = store.inner.opaque.exns.live();
                    assert_eq!(live, 0, "{strategy} {name}: {live} left after call {i}");
                }
            }
        }
    }
}
