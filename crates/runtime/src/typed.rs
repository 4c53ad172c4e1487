//! Statically typed calls and host functions from Rust closures.

use crate::error::{Error, Result};
use crate::func::{call_raw, Caller, Func, HostFn};
use crate::store::{AsContextMut, StoreOpaque};
use crate::values::Val;
use std::marker::PhantomData;
use std::sync::Arc;
use wx_core::types::{FuncType, ValType};

/// A Rust type that is a wasm value type.
pub trait WasmTy: Sized + Send + 'static {
    const TY: ValType;
    fn into_val(self) -> Val;
    fn from_val(v: &Val) -> Option<Self>;
}

macro_rules! wasm_ty {
    ($t:ty, $vt:expr, $into:expr, $from:pat => $out:expr) => {
        impl WasmTy for $t {
            const TY: ValType = $vt;
            fn into_val(self) -> Val {
                #[allow(clippy::redundant_closure_call)]
                ($into)(self)
            }
            fn from_val(v: &Val) -> Option<Self> {
                match *v {
                    $from => Some($out),
                    _ => None,
                }
            }
        }
    };
}
wasm_ty!(i32, ValType::I32, Val::I32, Val::I32(x) => x);
wasm_ty!(u32, ValType::I32, |x: u32| Val::I32(x as i32), Val::I32(x) => x as u32);
wasm_ty!(i64, ValType::I64, Val::I64, Val::I64(x) => x);
wasm_ty!(u64, ValType::I64, |x: u64| Val::I64(x as i64), Val::I64(x) => x as u64);
wasm_ty!(f32, ValType::F32, |x: f32| Val::F32(x.to_bits()), Val::F32(x) => f32::from_bits(x));
wasm_ty!(f64, ValType::F64, |x: f64| Val::F64(x.to_bits()), Val::F64(x) => f64::from_bits(x));

/// Argument lists of typed calls: `()`, a single [`WasmTy`], or tuples.
pub trait WasmParams: Send {
    fn types() -> Vec<ValType>;
    fn into_vals(self) -> Vec<Val>;
}

/// Result lists of typed calls: `()`, a single [`WasmTy`], or tuples.
pub trait WasmResults: Sized {
    fn types() -> Vec<ValType>;
    fn from_vals(vals: &[Val]) -> Option<Self>;
}

impl<T: WasmTy> WasmParams for T {
    fn types() -> Vec<ValType> {
        vec![T::TY]
    }
    fn into_vals(self) -> Vec<Val> {
        vec![self.into_val()]
    }
}

impl<T: WasmTy> WasmResults for T {
    fn types() -> Vec<ValType> {
        vec![T::TY]
    }
    fn from_vals(vals: &[Val]) -> Option<Self> {
        T::from_val(vals.first()?)
    }
}

macro_rules! tuples {
    ($( ($($t:ident),*) )*) => {$(
        #[allow(non_snake_case, unused_variables, unused_mut, clippy::unused_unit)]
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            fn types() -> Vec<ValType> {
                vec![$($t::TY),*]
            }
            fn into_vals(self) -> Vec<Val> {
                let ($($t,)*) = self;
                vec![$($t.into_val()),*]
            }
        }
        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($t: WasmTy),*> WasmResults for ($($t,)*) {
            fn types() -> Vec<ValType> {
                vec![$($t::TY),*]
            }
            fn from_vals(vals: &[Val]) -> Option<Self> {
                let mut it = vals.iter();
                Some(($($t::from_val(it.next()?)?,)*))
            }
        }
    )*};
}
tuples! { () (A) (A, B) (A, B, C) (A, B, C, D) (A, B, C, D, E) (A, B, C, D, E, F) (A, B, C, D, E, F, G) (A, B, C, D, E, F, G, H) }

/// A function with a statically known signature.
pub struct TypedFunc<P, R> {
    func: Func,
    _ty: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    pub(crate) fn new(func: Func) -> Self {
        TypedFunc {
            func,
            _ty: PhantomData,
        }
    }

    pub fn func(&self) -> Func {
        self.func
    }

    pub fn call(&self, mut store: impl AsContextMut, params: P) -> Result<R> {
        let ctx = store.as_context_mut();
        let s: &mut StoreOpaque = &mut ctx.0.opaque;
        let params = params.into_vals();
        let nres = R::types().len();
        let mut raw = vec![0u64; params.len().max(nres)];
        for (r, p) in raw.iter_mut().zip(&params) {
            *r = p.to_raw(s);
        }
        let f = self.func.funcref(s);
        let sp: *mut StoreOpaque = s;
        // SAFETY: `sp` is this store, not otherwise used until the call returns.
        unsafe { call_raw(sp, f, &mut raw)? };
        // SAFETY: exclusive access again after the call.
        let s = unsafe { &mut *sp };
        let vals: Vec<Val> = R::types()
            .iter()
            .zip(&raw)
            .map(|(t, v)| Val::from_raw(s, *v, *t))
            .collect();
        R::from_vals(&vals).ok_or_else(|| Error::Usage("result type mismatch".into()))
    }
}

/// What a host closure may return: values, or `Result` of them.
pub trait WasmRet {
    fn types() -> Vec<ValType>;
    fn into_results(self, out: &mut [Val]) -> Result<()>;
}

impl<R: WasmResultsOut> WasmRet for R {
    fn types() -> Vec<ValType> {
        R::out_types()
    }
    fn into_results(self, out: &mut [Val]) -> Result<()> {
        self.write(out);
        Ok(())
    }
}

impl<R: WasmResultsOut> WasmRet for Result<R> {
    fn types() -> Vec<ValType> {
        R::out_types()
    }
    fn into_results(self, out: &mut [Val]) -> Result<()> {
        self?.write(out);
        Ok(())
    }
}

/// Plain result values of a host closure.
pub trait WasmResultsOut {
    fn out_types() -> Vec<ValType>;
    fn write(self, out: &mut [Val]);
}

impl<T: WasmTy> WasmResultsOut for T {
    fn out_types() -> Vec<ValType> {
        vec![T::TY]
    }
    fn write(self, out: &mut [Val]) {
        out[0] = self.into_val();
    }
}

macro_rules! out_tuples {
    ($( ($($t:ident),*) )*) => {$(
        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments)]
        impl<$($t: WasmTy),*> WasmResultsOut for ($($t,)*) {
            fn out_types() -> Vec<ValType> {
                vec![$($t::TY),*]
            }
            fn write(self, out: &mut [Val]) {
                let ($($t,)*) = self;
                let mut i = 0;
                $( out[i] = $t.into_val(); i += 1; )*
            }
        }
    )*};
}
out_tuples! { () (A, B) (A, B, C) (A, B, C, D) }

/// Closures that can become host functions: `Fn(Caller<T>, A...) -> R` or `Fn(A...) -> R`.
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, Arc<HostFn<T>>);
}

macro_rules! into_func {
    ($( ($($a:ident),*) )*) => {$(
        #[allow(non_snake_case, unused_variables, unused_mut)]
        impl<T: 'static, F, R, $($a: WasmTy),*> IntoFunc<T, (Caller<'static, T>, $($a,)*), R> for F
        where
            F: Fn(Caller<'_, T>, $($a),*) -> R + Send + Sync + 'static,
            R: WasmRet,
        {
            fn into_func(self) -> (FuncType, Arc<HostFn<T>>) {
                let ty = FuncType::new(vec![$($a::TY),*], R::types());
                let f = move |caller: Caller<'_, T>, args: &[Val], out: &mut [Val]| -> Result<()> {
                    let mut it = args.iter();
                    $( let $a = $a::from_val(it.next().expect("arity checked")).expect("type checked"); )*
                    self(caller, $($a),*).into_results(out)
                };
                (ty, Arc::new(f))
            }
        }

        #[allow(non_snake_case, unused_variables, unused_mut)]
        impl<T: 'static, F, R, $($a: WasmTy),*> IntoFunc<T, ($($a,)*), R> for F
        where
            F: Fn($($a),*) -> R + Send + Sync + 'static,
            R: WasmRet,
        {
            fn into_func(self) -> (FuncType, Arc<HostFn<T>>) {
                let ty = FuncType::new(vec![$($a::TY),*], R::types());
                let f = move |_caller: Caller<'_, T>, args: &[Val], out: &mut [Val]| -> Result<()> {
                    let mut it = args.iter();
                    $( let $a = $a::from_val(it.next().expect("arity checked")).expect("type checked"); )*
                    self($($a),*).into_results(out)
                };
                (ty, Arc::new(f))
            }
        }
    )*};
}
into_func! { () (A1) (A1, A2) (A1, A2, A3) (A1, A2, A3, A4) (A1, A2, A3, A4, A5) (A1, A2, A3, A4, A5, A6) (A1, A2, A3, A4, A5, A6, A7) (A1, A2, A3, A4, A5, A6, A7, A8) (A1, A2, A3, A4, A5, A6, A7, A8, A9) (A1, A2, A3, A4, A5, A6, A7, A8, A9, A10) }
