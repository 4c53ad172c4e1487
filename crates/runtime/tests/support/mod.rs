//! Shared by the runtime's integration tests: the tiers to run on, one
//! instance per tier, and calls compared outcome by outcome.

// Each test binary uses a part of this.
#![allow(dead_code)]

use wx_runtime::*;

pub fn engine(strategy: Strategy) -> Engine {
    let mut config = Config::new();
    config.strategy(strategy);
    Engine::new(&config).expect("this tier is available on x86-64 Linux")
}

/// A call's results, or the trap it raised.
pub type Outcome = std::result::Result<Vec<Val>, TrapCode>;

/// One instance of `wat` on one tier.
pub struct Run {
    store: Store<()>,
    instance: Instance,
}

impl Run {
    pub fn new(strategy: Strategy, wat: &str) -> Run {
        let engine = engine(strategy);
        let module = Module::new(&engine, wat).expect("the test module is valid");
        if strategy == Strategy::Jit {
            assert_eq!(
                module.compiled_functions(),
                module.info().num_defined_funcs() as usize,
                "every function is compiled"
            );
        }
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .expect("the test module instantiates");
        Run { store, instance }
    }

    pub fn call(&mut self, name: &str, args: &[Val]) -> Outcome {
        call(&mut self.store, &self.instance, name, args).map_err(|e| {
            e.trap_code()
                .unwrap_or_else(|| panic!("{name}{args:?}: not a trap: {e}"))
        })
    }
}

/// Call export `name` of `instance` with `args`; its results.
pub fn call<T>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>> {
    let f = instance
        .get_func(&mut *store, name)
        .unwrap_or_else(|| panic!("no export {name}"));
    let ty = f.ty(&*store);
    let mut out: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    f.call(&mut *store, args, &mut out)?;
    Ok(out)
}

/// Run the same calls, in order, on both tiers and compare every outcome;
/// returns the outcomes.
pub fn differential(wat: &str, calls: &[(&str, Vec<Val>)]) -> Vec<Outcome> {
    let mut interp = Run::new(Strategy::Interp, wat);
    let mut jit = Run::new(Strategy::Jit, wat);
    calls
        .iter()
        .map(|(name, args)| {
            let want = interp.call(name, args);
            let got = jit.call(name, args);
            assert_eq!(got, want, "{name}{args:?}: jit vs interpreter");
            got
        })
        .collect()
}

/// Every tier this build has, with `tiered` compiling at the first call
/// and entering loops at their first iteration (on the calling thread),
/// and `mixed` (every other function compiled).
pub fn tiers() -> Vec<(&'static str, Config)> {
    let mut out = vec![("interp", Config::new().strategy(Strategy::Interp).clone())];
    if wx_runtime::Engine::jit_available() {
        out.push(("jit", Config::new().strategy(Strategy::Jit).clone()));
        out.push(("mixed", Config::new().strategy(Strategy::Mixed).clone()));
        out.push((
            "tiered",
            Config::new()
                .strategy(Strategy::Tiered)
                .jit_threshold(1)
                .jit_loop_threshold(1)
                .background_compilation(false)
                .clone(),
        ));
    }
    out
}

/// A config per tier this build runs (interp, and where the JIT exists
/// jit, tiered and mixed), with `tiered` compiling on the calling thread
/// at its first call and replacing a running loop after
/// `loop_threshold` iterations (OSR); `set` adds the test's settings.
pub fn tier_configs(loop_threshold: u64, set: impl Fn(&mut Config)) -> Vec<(&'static str, Config)> {
    let all: &[(&str, Strategy)] = if Engine::jit_available() {
        &[
            ("interp", Strategy::Interp),
            ("jit", Strategy::Jit),
            ("tiered", Strategy::Tiered),
            ("mixed", Strategy::Mixed),
        ]
    } else {
        &[("interp", Strategy::Interp)]
    };
    all.iter()
        .map(|&(name, s)| {
            let mut c = Config::new();
            c.strategy(s)
                .jit_threshold(1)
                .jit_loop_threshold(loop_threshold)
                .background_compilation(false);
            set(&mut c);
            (name, c)
        })
        .collect()
}
