//! Functions: wasm or host, called dynamically with [`Val`]s.

use crate::error::{Error, Result};
use crate::externals::Extern;
use crate::instance::Instance;
use crate::store::{
    AsContext, AsContextMut, StoreContext, StoreContextMut, StoreInner, StoreOpaque,
};
use crate::typed::{IntoFunc, TypedFunc, WasmParams, WasmResults};
use crate::values::Val;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicPtr;
use std::sync::Arc;
use wx_core::sig;
use wx_core::types::FuncType;
use wx_core::vm::{FuncKind, VMContext, VMFuncRef};
use wx_core::TrapCode;

/// A function in a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store_id: u64,
    pub(crate) index: usize,
}

/// The signature of a dynamically typed host function.
pub(crate) type HostFn<T> =
    dyn Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static;

/// A host function record. `funcref` is first: its address is the function's
/// entry slot, and `funcref.vmctx` points back to the record.
#[repr(C)]
pub(crate) struct HostFunc<T> {
    funcref: VMFuncRef,
    ty: FuncType,
    func: Arc<HostFn<T>>,
    store: *mut StoreInner<T>,
}

/// The context a host function runs in: the store, and the calling instance.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut StoreInner<T>,
    pub(crate) instance: Option<Instance>,
}

impl<T> Caller<'_, T> {
    pub fn data(&self) -> &T {
        &self.store.data
    }

    pub fn data_mut(&mut self) -> &mut T {
        &mut self.store.data
    }

    /// An export of the calling instance (WASI uses it to find `memory`).
    pub fn get_export(&mut self, name: &str) -> Option<Extern> {
        let instance = self.instance?;
        instance.get_export(StoreContextMut(self.store), name)
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.store)
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self.store)
    }
}

impl Func {
    /// A host function with a dynamic signature.
    pub fn new<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Func {
        Func::from_host(store.as_context_mut().0, ty, Arc::new(f))
    }

    /// A host function from a Rust closure whose types give the signature.
    pub fn wrap<T: 'static, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, f) = f.into_func();
        Func::from_host(store.as_context_mut().0, ty, f)
    }

    pub(crate) fn from_host<T: 'static>(
        store: &mut StoreInner<T>,
        ty: FuncType,
        func: Arc<HostFn<T>>,
    ) -> Func {
        let store_ptr: *mut StoreInner<T> = store;
        let mut rec = Box::new(HostFunc {
            funcref: VMFuncRef {
                wasm_call: AtomicPtr::new(std::ptr::null_mut()),
                array_call: host_array_call::<T>,
                vmctx: std::ptr::null_mut(),
                sig: sig::intern(&ty),
                func_index: 0,
                kind: FuncKind::Host,
            },
            ty,
            func,
            store: store_ptr,
        });
        rec.funcref.vmctx = (&mut *rec as *mut HostFunc<T>).cast::<VMContext>();
        let funcref: *const VMFuncRef = &rec.funcref;
        store.opaque.host_funcs.push(rec);
        store.opaque.func_handle(funcref)
    }

    pub(crate) fn funcref(&self, store: &StoreOpaque) -> *const VMFuncRef {
        store.check(self.store_id);
        store.funcs[self.index]
    }

    /// The function's signature.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let s = &store.as_context().0.opaque;
        // SAFETY: entry slots in a store's list stay valid while the store lives.
        sig::lookup(unsafe { (*self.funcref(s)).sig })
    }

    /// Call with dynamically typed arguments; `results` must have the right length.
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let ctx = store.as_context_mut();
        let ty = self.ty(StoreContext(&*ctx.0));
        let s = &mut ctx.0.opaque;
        if params.len() != ty.params().len() {
            return Err(Error::Usage(format!(
                "expected {} arguments, got {}",
                ty.params().len(),
                params.len()
            )));
        }
        for (i, (p, t)) in params.iter().zip(ty.params()).enumerate() {
            if p.ty() != *t {
                return Err(Error::Usage(format!(
                    "argument {i} has type {}, expected {t}",
                    p.ty()
                )));
            }
        }
        if results.len() != ty.results().len() {
            return Err(Error::Usage(format!(
                "expected room for {} results, got {}",
                ty.results().len(),
                results.len()
            )));
        }
        let mut raw = vec![0u64; params.len().max(results.len())];
        for (r, p) in raw.iter_mut().zip(params) {
            *r = p.to_raw(s);
        }
        let f = self.funcref(s);
        let s: *mut StoreOpaque = s;
        // SAFETY: `s` is this store; no Rust reference to it is used until the call returns.
        unsafe { call_raw(s, f, &mut raw)? };
        // SAFETY: the call has returned; we are again the only user of the store.
        let s = unsafe { &mut *s };
        for ((r, t), v) in results.iter_mut().zip(ty.results()).zip(&raw) {
            *r = Val::from_raw(s, *v, *t);
        }
        Ok(())
    }

    /// A statically typed view of this function.
    pub fn typed<P: WasmParams, R: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<P, R>> {
        let ty = self.ty(store);
        if ty.params() != P::types().as_slice() || ty.results() != R::types().as_slice() {
            return Err(Error::Usage(format!(
                "function has type {ty}, not {}",
                FuncType::new(P::types(), R::types())
            )));
        }
        Ok(TypedFunc::new(*self))
    }
}

/// Call entry slot `f` with the array convention.
///
/// # Safety
/// `store` must be the live store owning `f`, not borrowed elsewhere during the call.
pub(crate) unsafe fn call_raw(
    store: *mut StoreOpaque,
    f: *const VMFuncRef,
    values: &mut [u64],
) -> Result<()> {
    // Compiled code checks its stack against the calling thread's limit.
    // SAFETY: `store` is live and not otherwise borrowed here.
    unsafe { (*store).vm_limits.stack_limit = crate::traps::thread_stack_limit() };
    // SAFETY: `store` is live and not otherwise borrowed here.
    unsafe { (*store).host_calls += 1 };
    // SAFETY: `f` is a live entry slot of this store.
    let rc =
        unsafe { ((*f).array_call)(f, std::ptr::null_mut(), values.as_mut_ptr(), values.len()) };
    // SAFETY: the call is over; exclusive access again.
    let s = unsafe { &mut *store };
    // (An exception leaving takes its reference, keeping it, first.)
    let result = s.take_status(rc);
    s.host_calls -= 1;
    if s.host_calls == 0 {
        s.exns.release_legacy();
    }
    result
}

/// The array-call entry of every host function.
unsafe extern "C" fn host_array_call<T: 'static>(
    callee: *const VMFuncRef,
    caller_vmctx: *mut VMContext,
    values: *mut u64,
    len: usize,
) -> u32 {
    // SAFETY: `callee.vmctx` of a host entry slot points to its `HostFunc<T>`
    // record, which the store keeps alive; the store pointer is that store's.
    let (rec, store) = unsafe {
        let rec = &*(*callee).vmctx.cast::<HostFunc<T>>();
        (rec, rec.store)
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller passes `len` valid cells; the store is not
        // otherwise borrowed while a host function runs.
        let (values, store) = unsafe { (std::slice::from_raw_parts_mut(values, len), &mut *store) };
        let ty = &rec.ty;
        let args: Vec<Val> = ty
            .params()
            .iter()
            .zip(values.iter())
            .map(|(t, v)| Val::from_raw(&mut store.opaque, *v, *t))
            .collect();
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        let instance = if caller_vmctx.is_null() {
            None
        } else {
            // SAFETY: a non-null caller context is a live instance's VMContext.
            Some(Instance::from_core(&mut store.opaque, unsafe {
                (*caller_vmctx).instance
            }))
        };
        (rec.func)(
            Caller {
                store: &mut *store,
                instance,
            },
            &args,
            &mut results,
        )?;
        for (i, (r, t)) in results.iter().zip(ty.results()).enumerate() {
            if r.ty() != *t {
                return Err(Error::Usage(format!(
                    "host function result {i} has type {}, expected {t}",
                    r.ty()
                )));
            }
            values[i] = r.to_raw(&store.opaque);
        }
        Ok(())
    }));
    // SAFETY: the host function has returned; exclusive access to the store again.
    let opaque = unsafe { &mut (*store).opaque };
    match result {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            // A failure starts here: the wasm frames it leaves through
            // append to a fresh backtrace.
            wx_core::backtrace::begin();
            let code = match &e {
                Error::Trap(t) => t.code,
                Error::Exception(x) => {
                    // Thrown on into the caller: the same exception object.
                    opaque.exns.throw(x.exn.raw);
                    TrapCode::Exception
                }
                _ => TrapCode::HostError,
            };
            if code == TrapCode::HostError {
                opaque.pending_error = Some(e);
            }
            code as u32
        }
        Err(panic) => {
            opaque.pending_panic = Some(panic);
            TrapCode::HostError as u32
        }
    }
}
