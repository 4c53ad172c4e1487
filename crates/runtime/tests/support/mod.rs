//! Shared by the JIT-vs-interpreter tests: one instance per tier, and
//! calls compared outcome by outcome.

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
        let f = self
            .instance
            .get_func(&mut self.store, name)
            .unwrap_or_else(|| panic!("no export {name}"));
        let n = f.ty(&self.store).results().len();
        let mut out = vec![Val::I32(0); n];
        match f.call(&mut self.store, args, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => Err(e
                .trap_code()
                .unwrap_or_else(|| panic!("{name}{args:?}: not a trap: {e}"))),
        }
    }
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
