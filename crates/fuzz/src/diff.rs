//! Targets `tiers` and `wasmi`: one wasm-smith module and one sequence of
//! calls, run on several engines, must give the same results, traps and
//! exported state everywhere.
//!
//! The input makes the module, then the arguments of every call. Each
//! engine gets one instance and makes the same calls in the same order:
//! every exported function (the first [`MAX_FUNCS`]) [`ROUNDS`] times
//! round, so state carries from call to call and `tiered` compiles
//! functions and loops between and during calls. Each call's outcome is
//! compared with the first engine's; after the last call, so are every
//! exported memory's bytes, global's value and table's size. A run that
//! exhausts the call stack anywhere is inconclusive (engines count depth
//! differently) and stops there. A divergence panics with what differed.

use crate::generate::{self, Arg, Features};
use crate::oracle::{Instance, Oracle, Outcome, Trap, Wasmi, Wx};
use arbitrary::Unstructured;
use wx_core::module::ExportKind;
use wx_core::ModuleInfo;

/// Exported functions called per module.
pub const MAX_FUNCS: usize = 16;

/// Times each of them is called.
pub const ROUNDS: usize = 3;

/// Target `tiers`: every wx tier against the interpreter, with every
/// feature wx runs.
pub fn tiers(data: &[u8]) {
    let oracles: Vec<Box<dyn Oracle>> = Wx::tiers()
        .into_iter()
        .map(|w| Box::new(w) as Box<dyn Oracle>)
        .collect();
    differential(data, Features::Wx, &oracles);
}

/// Target `wasmi`: every wx tier against wasmi, with the features both run.
pub fn wasmi(data: &[u8]) {
    let mut oracles: Vec<Box<dyn Oracle>> = vec![Box::new(Wasmi)];
    oracles.extend(
        Wx::tiers()
            .into_iter()
            .map(|w| Box::new(w) as Box<dyn Oracle>),
    );
    differential(data, Features::Common, &oracles);
}

/// Run the module and calls `data` makes on every oracle; the first is the
/// reference. Panics on a divergence.
pub fn differential(data: &[u8], features: Features, oracles: &[Box<dyn Oracle>]) {
    let mut u = Unstructured::new(data);
    let Some(wasm) = generate::module(&mut u, features) else {
        return;
    };
    let info = ModuleInfo::new(&wasm)
        .unwrap_or_else(|e| panic!("a wasm-smith module does not load in wx: {e}"));
    let calls = calls(&info, &mut u);

    let mut instances = Vec::with_capacity(oracles.len());
    let mut reference = None;
    for oracle in oracles {
        let got = oracle.instantiate(&wasm);
        let outcome = got.as_ref().err().cloned();
        match &reference {
            None => {
                // The reference cannot run this module at all (a limit of
                // its own, or a bug): nothing to compare against.
                if matches!(outcome, Some(Outcome::Error(_) | Outcome::OracleBroke(_))) {
                    return;
                }
                reference = Some(outcome);
            }
            Some(expected) if *expected != outcome => {
                if is_inconclusive(expected.as_ref()) || is_inconclusive(outcome.as_ref()) {
                    return;
                }
                diverged(
                    oracles,
                    oracle.name(),
                    "instantiation",
                    &format!("{expected:?}"),
                    &format!("{outcome:?}"),
                );
            }
            Some(_) => {}
        }
        match got {
            Ok(instance) => instances.push(instance),
            // Every engine failed alike: nothing more to run.
            Err(_) => return,
        }
    }

    for (func, args) in &calls {
        let mut expected = None;
        for (oracle, instance) in oracles.iter().zip(instances.iter_mut()) {
            let outcome = instance.call(func, args);
            if is_inconclusive(Some(&outcome)) {
                return;
            }
            match &expected {
                None => expected = Some(outcome),
                Some(e) if *e != outcome => {
                    diverged(
                        oracles,
                        oracle.name(),
                        &format!("call {func:?} {args:?}"),
                        &format!("{e:?}"),
                        &format!("{outcome:?}"),
                    );
                }
                Some(_) => {}
            }
        }
        crate::count_check();
    }

    compare_state(&info, oracles, &mut instances);
}

/// The calls to make: every exported function with arguments from `u`.
pub fn calls(info: &ModuleInfo, u: &mut Unstructured<'_>) -> Vec<(String, Vec<Arg>)> {
    let funcs: Vec<_> = info
        .exports
        .iter()
        .filter(|e| e.kind == ExportKind::Func)
        .take(MAX_FUNCS)
        .collect();
    let mut calls = Vec::with_capacity(funcs.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for e in &funcs {
            let args = info
                .func_type(e.index)
                .params()
                .iter()
                .map(|&t| generate::arg(u, t).unwrap_or(Arg::I32(0)))
                .collect();
            calls.push((e.name.clone(), args));
        }
    }
    calls
}

/// A stack overflow (engines count depth differently, so may differ
/// there), or an oracle that broke.
fn is_inconclusive(outcome: Option<&Outcome>) -> bool {
    matches!(
        outcome,
        Some(Outcome::Trap(Trap::StackOverflow) | Outcome::OracleBroke(_))
    )
}

/// Compare every exported memory, global and table across the instances.
fn compare_state(
    info: &ModuleInfo,
    oracles: &[Box<dyn Oracle>],
    instances: &mut [Box<dyn Instance>],
) {
    for e in &info.exports {
        let name = e.name.as_str();
        match e.kind {
            ExportKind::Memory => {
                let expected = instances[0].memory(name);
                for (oracle, instance) in oracles.iter().zip(instances.iter_mut()).skip(1) {
                    let actual = instance.memory(name);
                    if actual != expected {
                        let what = format!("memory {name:?}");
                        let (e, a) = describe_memory(expected.as_deref(), actual.as_deref());
                        diverged(oracles, oracle.name(), &what, &e, &a);
                    }
                }
            }
            ExportKind::Global => {
                let expected = instances[0].global(name);
                for (oracle, instance) in oracles.iter().zip(instances.iter_mut()).skip(1) {
                    let actual = instance.global(name);
                    if actual != expected {
                        let what = format!("global {name:?}");
                        diverged(
                            oracles,
                            oracle.name(),
                            &what,
                            &format!("{expected:x?}"),
                            &format!("{actual:x?}"),
                        );
                    }
                }
            }
            ExportKind::Table => {
                let expected = instances[0].table_size(name);
                for (oracle, instance) in oracles.iter().zip(instances.iter_mut()).skip(1) {
                    let actual = instance.table_size(name);
                    if actual != expected {
                        let what = format!("size of table {name:?}");
                        diverged(
                            oracles,
                            oracle.name(),
                            &what,
                            &format!("{expected:?}"),
                            &format!("{actual:?}"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// Two memories' lengths and their first difference.
fn describe_memory(expected: Option<&[u8]>, actual: Option<&[u8]>) -> (String, String) {
    let (Some(e), Some(a)) = (expected, actual) else {
        return (
            format!("{:?}", expected.map(<[u8]>::len)),
            format!("{:?}", actual.map(<[u8]>::len)),
        );
    };
    let at = e
        .iter()
        .zip(a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let window = |m: &[u8]| {
        format!(
            "{} bytes, at 0x{at:x}: {:02x?}",
            m.len(),
            &m[at.min(m.len())..(at + 16).min(m.len())]
        )
    };
    (window(e), window(a))
}

fn diverged(oracles: &[Box<dyn Oracle>], who: &str, what: &str, expected: &str, actual: &str) -> ! {
    panic!(
        "divergence: {what}: {} gave {expected}, {who} gave {actual}",
        oracles[0].name()
    );
}
