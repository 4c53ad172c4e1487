//! Engines behind one interface: an [`Oracle`] instantiates a module and
//! hands back an [`Instance`] that calls exports and reads exported state,
//! all in engine-neutral terms ([`Outcome`], canonical value bits). A new
//! tier or engine is one more implementation.

use crate::generate::{Arg, MAX_DEPTH, MAX_PAGES, MAX_TABLE};

/// A trap, in terms both engines can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trap {
    Unreachable,
    DivideByZero,
    IntegerOverflow,
    BadConversion,
    MemoryOutOfBounds,
    /// A table access, or `call_indirect`, past the end of the table.
    TableOutOfBounds,
    /// `call_indirect` through a null entry.
    IndirectNull,
    IndirectTypeMismatch,
    NullReference,
    UnalignedAtomic,
    /// Call depth or native stack exhausted: engines count differently, so
    /// a run that meets it is inconclusive.
    StackOverflow,
    /// Anything else (named for the report).
    Other(&'static str),
}

/// What running something produced, with NaNs canonicalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Values(Vec<u64>),
    Trap(Trap),
    /// A wasm exception no frame caught.
    Exception,
    /// An error that is neither (a bug, unless every engine agrees).
    Error(String),
    /// The oracle itself broke (wasmi panicked): nothing to compare.
    OracleBroke(String),
}

/// Run `f`, part of the wasmi oracle; a panic inside wasmi is wasmi's bug,
/// not a divergence of wx's (wasmi 2.0.0 hits `unreachable!` translating
/// some stores), so it makes the run inconclusive. Meanwhile a panic is
/// reported in one line: libFuzzer's hook would abort the process before
/// the panic reached `catch_unwind`, and the default one prints a
/// backtrace for what is no failure. (The hook is process-wide: the fuzz
/// drivers run the oracles from one thread.)
fn in_wasmi<T>(f: impl FnOnce() -> T) -> Result<T, Outcome> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        eprintln!("inside the wasmi oracle (the run is inconclusive): {info}")
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Outcome::OracleBroke(format!("wasmi panicked: {why}"))
    })
}

pub trait Oracle {
    fn name(&self) -> &str;
    /// A fresh instance of `wasm` (which validates), or what instantiating
    /// it produced instead (a trap in a segment or the start function).
    fn instantiate(&self, wasm: &[u8]) -> Result<Box<dyn Instance>, Outcome>;
}

pub trait Instance {
    fn call(&mut self, func: &str, args: &[Arg]) -> Outcome;
    /// The contents of exported memory `name`.
    fn memory(&mut self, name: &str) -> Option<Vec<u8>>;
    /// The value of exported global `name`, canonicalised like results.
    fn global(&mut self, name: &str) -> Option<u64>;
    /// The size of exported table `name`.
    fn table_size(&mut self, name: &str) -> Option<u64>;
}

pub fn canon_f32(bits: u32) -> u64 {
    if f32::from_bits(bits).is_nan() {
        0x7fc0_0000
    } else {
        u64::from(bits)
    }
}

pub fn canon_f64(bits: u64) -> u64 {
    if f64::from_bits(bits).is_nan() {
        0x7ff8_0000_0000_0000
    } else {
        bits
    }
}

/// A wx configuration.
pub struct Wx {
    name: &'static str,
    config: wx_runtime::Config,
}

impl Wx {
    /// Every tier this build runs, as the `tiers` target compares them:
    /// `interp`; `jit`; `tiered` compiling a function at its second call
    /// and a loop at its second iteration (so calls and running loops
    /// change tiers, on the calling thread so runs repeat); and `mixed`,
    /// which compiles every other function.
    pub fn tiers() -> Vec<Wx> {
        use wx_runtime::{Config, Engine, Strategy};
        let with = |name, strategy| {
            let mut config = Config::new();
            config
                .strategy(strategy)
                .max_call_depth(MAX_DEPTH)
                .max_memory_pages(MAX_PAGES)
                .max_table_elements(MAX_TABLE);
            Wx { name, config }
        };
        let mut out = vec![with("interp", Strategy::Interp)];
        if Engine::jit_available() {
            out.push(with("jit", Strategy::Jit));
            let mut tiered = with("tiered", Strategy::Tiered);
            tiered
                .config
                .jit_threshold(2)
                .jit_loop_threshold(2)
                .background_compilation(false);
            out.push(tiered);
            out.push(with("mixed", Strategy::Mixed));
        }
        out
    }
}

impl Oracle for Wx {
    fn name(&self) -> &str {
        self.name
    }

    fn instantiate(&self, wasm: &[u8]) -> Result<Box<dyn Instance>, Outcome> {
        use wx_runtime::*;
        let engine = Engine::new(&self.config).map_err(|e| Outcome::Error(e.to_string()))?;
        let module = Module::new(&engine, wasm).map_err(|e| Outcome::Error(e.to_string()))?;
        let mut store = Store::new(&engine, ());
        match Linker::new(&engine).instantiate(&mut store, &module) {
            Ok(instance) => Ok(Box::new(WxInstance { store, instance })),
            Err(e) => Err(wx_outcome(e)),
        }
    }
}

struct WxInstance {
    store: wx_runtime::Store<()>,
    instance: wx_runtime::Instance,
}

fn wx_outcome(e: wx_runtime::Error) -> Outcome {
    use wx_runtime::{Error, TrapCode as C};
    let trap = match &e {
        Error::Trap(t) => t.code,
        Error::Exception(_) => return Outcome::Exception,
        _ => return Outcome::Error(e.to_string()),
    };
    Outcome::Trap(match trap {
        C::Unreachable => Trap::Unreachable,
        C::IntegerDivideByZero => Trap::DivideByZero,
        C::IntegerOverflow => Trap::IntegerOverflow,
        C::BadConversionToInteger => Trap::BadConversion,
        C::MemoryOutOfBounds => Trap::MemoryOutOfBounds,
        C::TableOutOfBounds | C::UndefinedElement => Trap::TableOutOfBounds,
        C::UninitializedElement => Trap::IndirectNull,
        C::IndirectCallTypeMismatch => Trap::IndirectTypeMismatch,
        C::NullReference | C::NullFuncRef | C::NullExnRef => Trap::NullReference,
        C::StackOverflow => Trap::StackOverflow,
        C::UnalignedAtomic => Trap::UnalignedAtomic,
        C::HostError => Trap::Other("host error"),
        C::Internal => Trap::Other("internal"),
        C::Exception => return Outcome::Exception,
        C::ExpectedSharedMemory => Trap::Other("expected shared memory"),
        C::Interrupt => Trap::Other("interrupt"),
        C::OutOfFuel => Trap::Other("out of fuel"),
    })
}

impl Instance for WxInstance {
    fn call(&mut self, func: &str, args: &[Arg]) -> Outcome {
        use wx_runtime::Val;
        let Some(f) = self.instance.get_func(&mut self.store, func) else {
            return Outcome::Error(format!("no function export {func:?}"));
        };
        let ty = f.ty(&self.store);
        let args: Vec<Val> = args
            .iter()
            .zip(ty.params())
            .map(|(a, t)| match *a {
                Arg::I32(v) => Val::I32(v),
                Arg::I64(v) => Val::I64(v),
                Arg::F32(b) => Val::F32(b),
                Arg::F64(b) => Val::F64(b),
                Arg::NullRef => Val::default_for(*t),
            })
            .collect();
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        match f.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Values(results.iter().map(wx_bits).collect()),
            Err(e) => wx_outcome(e),
        }
    }

    fn memory(&mut self, name: &str) -> Option<Vec<u8>> {
        let m = self.instance.get_memory(&mut self.store, name)?;
        Some(m.data(&self.store).to_vec())
    }

    fn global(&mut self, name: &str) -> Option<u64> {
        let g = self.instance.get_global(&mut self.store, name)?;
        Some(wx_bits(&g.get(&mut self.store)))
    }

    fn table_size(&mut self, name: &str) -> Option<u64> {
        let t = self.instance.get_table(&mut self.store, name)?;
        Some(u64::from(t.size(&self.store)))
    }
}

/// A value's canonical bits (references: whether non-null).
fn wx_bits(v: &wx_runtime::Val) -> u64 {
    use wx_runtime::Val;
    match v {
        Val::I32(x) => u64::from(*x as u32),
        Val::I64(x) => *x as u64,
        Val::F32(b) => canon_f32(*b),
        Val::F64(b) => canon_f64(*b),
        Val::FuncRef(f) => f.is_some() as u64,
        Val::ExternRef(r) => r.is_some() as u64,
        Val::ExnRef(r) => r.is_some() as u64,
    }
}

/// wasmi, with the same depth and growth limits as wx.
pub struct Wasmi;

impl Oracle for Wasmi {
    fn name(&self) -> &str {
        "wasmi"
    }

    fn instantiate(&self, wasm: &[u8]) -> Result<Box<dyn Instance>, Outcome> {
        use wasmi::*;
        let mut config = Config::default();
        config.set_max_recursion_depth(MAX_DEPTH);
        let engine = Engine::new(&config);
        let module =
            in_wasmi(|| Module::new(&engine, wasm))?.map_err(|e| Outcome::Error(e.to_string()))?;
        let limits = StoreLimitsBuilder::new()
            .memory_size(MAX_PAGES as usize * 65536)
            .table_elements(MAX_TABLE as usize)
            .build();
        let mut store = Store::new(&engine, limits);
        store.limiter(|limits| limits);
        let linker = Linker::<StoreLimits>::new(&engine);
        match in_wasmi(|| linker.instantiate_and_start(&mut store, &module))? {
            Ok(instance) => Ok(Box::new(WasmiInstance { store, instance })),
            Err(e) => Err(wasmi_outcome(&e)),
        }
    }
}

struct WasmiInstance {
    store: wasmi::Store<wasmi::StoreLimits>,
    instance: wasmi::Instance,
}

fn wasmi_outcome(e: &wasmi::Error) -> Outcome {
    use wasmi::TrapCode as C;
    let Some(code) = e.as_trap_code() else {
        return Outcome::Error(e.to_string());
    };
    Outcome::Trap(match code {
        C::UnreachableCodeReached => Trap::Unreachable,
        C::MemoryOutOfBounds => Trap::MemoryOutOfBounds,
        C::TableOutOfBounds => Trap::TableOutOfBounds,
        C::IndirectCallToNull => Trap::IndirectNull,
        C::IntegerDivisionByZero => Trap::DivideByZero,
        C::IntegerOverflow => Trap::IntegerOverflow,
        C::BadConversionToInteger => Trap::BadConversion,
        C::StackOverflow => Trap::StackOverflow,
        C::BadSignature => Trap::IndirectTypeMismatch,
        _ => Trap::Other("wasmi-specific"),
    })
}

impl Instance for WasmiInstance {
    fn call(&mut self, func: &str, args: &[Arg]) -> Outcome {
        use wasmi::Val;
        let Some(f) = self.instance.get_func(&self.store, func) else {
            return Outcome::Error(format!("no function export {func:?}"));
        };
        let ty = f.ty(&self.store);
        let args: Vec<Val> = args
            .iter()
            .zip(ty.params())
            .map(|(a, t)| match *a {
                Arg::I32(v) => Val::I32(v),
                Arg::I64(v) => Val::I64(v),
                Arg::F32(b) => Val::F32(f32::from_bits(b).into()),
                Arg::F64(b) => Val::F64(f64::from_bits(b).into()),
                Arg::NullRef => Val::default_for_ty(*t),
            })
            .collect();
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .map(|t| Val::default_for_ty(*t))
            .collect();
        match in_wasmi(|| f.call(&mut self.store, &args, &mut results)) {
            Ok(Ok(())) => Outcome::Values(results.iter().map(wasmi_bits).collect()),
            Ok(Err(e)) => wasmi_outcome(&e),
            Err(broke) => broke,
        }
    }

    fn memory(&mut self, name: &str) -> Option<Vec<u8>> {
        let m = self.instance.get_memory(&self.store, name)?;
        Some(m.data(&self.store).to_vec())
    }

    fn global(&mut self, name: &str) -> Option<u64> {
        let g = self.instance.get_global(&self.store, name)?;
        Some(wasmi_bits(&g.get(&self.store)))
    }

    fn table_size(&mut self, name: &str) -> Option<u64> {
        let t = self.instance.get_table(&self.store, name)?;
        Some(t.size(&self.store))
    }
}

fn wasmi_bits(v: &wasmi::Val) -> u64 {
    use wasmi::Val;
    match v {
        Val::I32(x) => u64::from(*x as u32),
        Val::I64(x) => *x as u64,
        Val::F32(x) => canon_f32(x.to_bits()),
        Val::F64(x) => canon_f64(x.to_bits()),
        Val::FuncRef(f) => !f.is_null() as u64,
        Val::ExternRef(r) => !r.is_null() as u64,
        // No other reference type reaches wasmi here (no GC, no exceptions).
        _ => u64::MAX,
    }
}
