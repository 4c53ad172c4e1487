//! Many threads, one engine: services run many instances at once. Eight
//! host threads share one `Engine` and `Module`, each instantiating in
//! stores of its own and calling the same functions while they tier up
//! (entry-slot swaps from background compilation, and OSR of a hot loop)
//! under calls from the other threads; a store also moves to another
//! thread between calls. Every result is checked.

use std::sync::{Arc, Barrier};
use std::time::Instant;
use wx_runtime::*;

mod support;

/// Also the workload of `benches/engines/threads` (wx against wasmtime).
const WAT: &str = include_str!("many_threads.wat");

fn fib(n: i32) -> i32 {
    if n < 2 {
        n
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

const THREADS: usize = 8;
const INSTANCES_PER_THREAD: usize = 300;

fn stress(config: &Config) -> (usize, usize, f64) {
    let engine = Engine::new(config).unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let start = Barrier::new(THREADS);
    let (start, engine, module) = (Arc::new(start), Arc::new(engine), Arc::new(module));
    let began = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (start, engine, module) = (start.clone(), engine.clone(), module.clone());
            std::thread::spawn(move || {
                start.wait();
                let linker = Linker::new(&engine);
                let mut calls = 0;
                for k in 0..INSTANCES_PER_THREAD {
                    let mut store = Store::new(&engine, ());
                    let instance = linker.instantiate(&mut store, &module).unwrap();
                    let n = ((t + k) % 15) as i32;
                    let r = support::call(&mut store, &instance, "fib", &[Val::I32(n)]).unwrap();
                    assert_eq!(r, [Val::I32(fib(n))], "thread {t}, instance {k}");
                    // Long enough for OSR on some calls.
                    let m = 100 + 37 * (k as i32 % 50);
                    let r = support::call(&mut store, &instance, "sum", &[Val::I32(m)]).unwrap();
                    let expected: i64 = (0..m as i64).sum();
                    assert_eq!(r, [Val::I64(expected)], "thread {t}, instance {k}");
                    calls += 2;
                    if k % 50 == 0 {
                        // The store moves to another thread and goes on there.
                        let moved = std::thread::spawn(move || {
                            let r = support::call(&mut store, &instance, "calls", &[]).unwrap();
                            assert_eq!(r, [Val::I32(1)]);
                            store
                        });
                        drop(moved.join().unwrap());
                        calls += 1;
                    }
                }
                calls
            })
        })
        .collect();
    let calls: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    (
        THREADS * INSTANCES_PER_THREAD,
        calls,
        began.elapsed().as_secs_f64(),
    )
}

#[test]
fn eight_threads_share_an_engine_and_module_while_it_tiers_up() {
    let mut tiers = vec![Strategy::Interp];
    if Engine::jit_available() {
        tiers.extend([Strategy::Tiered, Strategy::Jit, Strategy::Mixed]);
    }
    for tier in tiers {
        let mut config = Config::new();
        config
            .strategy(tier)
            .jit_threshold(3)
            .jit_loop_threshold(500)
            .background_compilation(true);
        let (instances, calls, secs) = stress(&config);
        // Throughput, for the record (`--nocapture`); not a pass mark.
        eprintln!(
            "{tier}: {THREADS} threads, {instances} instantiations and {calls} calls in {secs:.2} s \
             ({:.0} instantiations/s, {:.0} calls/s)",
            instances as f64 / secs,
            calls as f64 / secs
        );
    }
}
