//! Values crossing the host/wasm boundary.

use crate::func::Func;
use crate::store::{AsContext, AsContextMut, StoreOpaque};
use std::any::Any;
use wx_core::types::{RefType, ValType};

/// A reference to a host value, passed through wasm as `externref`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExternRef {
    /// Index + 1 into the store's externref table (never 0, which is null).
    pub(crate) id: u64,
}

impl ExternRef {
    /// Wrap `value` in a new externref owned by the store.
    pub fn new<T: Any + Send + Sync>(mut store: impl AsContextMut, value: T) -> ExternRef {
        let s = &mut store.as_context_mut().0.opaque;
        s.externrefs.push(Box::new(value));
        ExternRef {
            id: s.externrefs.len() as u64,
        }
    }

    /// The host value behind this reference.
    pub fn data<'a, C: AsContext + 'a>(&self, store: &'a C) -> Option<&'a (dyn Any + Send + Sync)> {
        let s = &store.as_context().0.opaque;
        s.externrefs.get(self.id as usize - 1).map(|b| &**b)
    }
}

/// A WebAssembly value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    /// Raw IEEE bits (NaN payloads survive).
    F32(u32),
    /// Raw IEEE bits.
    F64(u64),
    FuncRef(Option<Func>),
    ExternRef(Option<ExternRef>),
    ExnRef(Option<crate::exception::ExnRef>),
}

impl Val {
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
            Val::ExnRef(_) => ValType::EXNREF,
        }
    }

    /// Zero, or null for references.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::Ref(RefType::FuncRef) => Val::FuncRef(None),
            ValType::Ref(RefType::ExternRef) => Val::ExternRef(None),
            ValType::Ref(RefType::ExnRef) => Val::ExnRef(None),
        }
    }

    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self {
            Some(*v)
        } else {
            None
        }
    }
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = self {
            Some(f32::from_bits(*v))
        } else {
            None
        }
    }
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = self {
            Some(f64::from_bits(*v))
        } else {
            None
        }
    }

    /// Raw bits as stored in VM slots (i32/f32 zero-extended).
    pub(crate) fn to_raw(self, store: &StoreOpaque) -> u64 {
        match self {
            Val::I32(v) => v as u32 as u64,
            Val::I64(v) => v as u64,
            Val::F32(v) => v as u64,
            Val::F64(v) => v,
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => 0,
            Val::ExnRef(Some(r)) => r.raw,
            Val::FuncRef(Some(f)) => {
                store.check(f.store_id);
                store.funcs[f.index] as u64
            }
            Val::ExternRef(Some(r)) => r.id,
        }
    }

    pub(crate) fn from_raw(store: &mut StoreOpaque, raw: u64, ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(raw as u32 as i32),
            ValType::I64 => Val::I64(raw as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw),
            ValType::Ref(RefType::FuncRef) => {
                Val::FuncRef((raw != 0).then(|| store.func_handle(raw as *const _)))
            }
            ValType::Ref(RefType::ExternRef) => {
                Val::ExternRef((raw != 0).then_some(ExternRef { id: raw }))
            }
            ValType::Ref(RefType::ExnRef) => {
                Val::ExnRef((raw != 0).then_some(crate::exception::ExnRef { raw }))
            }
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}
