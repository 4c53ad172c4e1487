//! Name-based import resolution.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::externals::Extern;
use crate::func::{Caller, Func, HostFn};
use crate::instance::{instantiate, Instance};
use crate::module::Module;
use crate::store::AsContextMut;
use crate::typed::IntoFunc;
use crate::values::Val;
use std::collections::HashMap;
use std::sync::Arc;
use wx_core::types::FuncType;

enum Definition<T> {
    Extern(Extern),
    /// A host function not yet placed in any store.
    Host(FuncType, Arc<HostFn<T>>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(e.clone()),
            Definition::Host(t, f) => Definition::Host(t.clone(), f.clone()),
        }
    }
}

/// Resolves imports by `(module, name)`.
pub struct Linker<T> {
    engine: Engine,
    defs: HashMap<(String, String), Definition<T>>,
    allow_shadowing: bool,
}

impl<T: 'static> Linker<T> {
    pub fn new(engine: &Engine) -> Linker<T> {
        Linker {
            engine: engine.clone(),
            defs: HashMap::new(),
            allow_shadowing: false,
        }
    }

    /// Let later definitions replace earlier ones of the same name.
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<()> {
        let key = (module.to_string(), name.to_string());
        if !self.allow_shadowing && self.defs.contains_key(&key) {
            return Err(Error::Link(format!(
                "`{module}::{name}` is already defined"
            )));
        }
        self.defs.insert(key, def);
        Ok(())
    }

    /// Define `module::name` as an existing item of a store.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::Extern(item.into()))?;
        Ok(self)
    }

    /// Define a host function with a dynamic signature.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::Host(ty, Arc::new(f)))?;
        Ok(self)
    }

    /// Define a host function from a typed Rust closure.
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self> {
        let (ty, f) = f.into_func();
        self.insert(module, name, Definition::Host(ty, f))?;
        Ok(self)
    }

    /// Define every export of `instance` under module name `module`.
    pub fn instance(
        &mut self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self> {
        for (name, ext) in instance.exports(&mut store) {
            self.insert(module, &name, Definition::Extern(ext))?;
        }
        Ok(self)
    }

    /// The item defined as `module::name`, placing host functions in `store`.
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        match self
            .defs
            .get(&(module.to_string(), name.to_string()))?
            .clone()
        {
            Definition::Extern(e) => Some(e),
            Definition::Host(ty, f) => Some(Extern::Func(Func::from_host(
                store.as_context_mut().0,
                ty,
                f,
            ))),
        }
    }

    /// Instantiate `module`, resolving its imports by name.
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance> {
        if !self.engine.same(module.engine()) {
            return Err(Error::Usage(
                "linker and module come from different engines".into(),
            ));
        }
        let mut imports = Vec::new();
        for import in module.imports() {
            let ext = self
                .get(&mut store, &import.module, &import.name)
                .ok_or_else(|| {
                    Error::Link(format!(
                        "unknown import: `{}::{}` has not been defined (expected {})",
                        import.module,
                        import.name,
                        import.ty.kind_name()
                    ))
                })?;
            imports.push(ext);
        }
        let ctx = store.as_context_mut();
        instantiate(&mut ctx.0.opaque, module, &imports)
    }
}
