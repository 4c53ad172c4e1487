//! Throughput of many host threads sharing one engine and module: each
//! thread instantiates the module in stores of its own, over and over, and
//! calls a recursive function and a memory loop in every instance (the
//! workload of wx's many-threads stress test). Prints instantiations and
//! calls per second for wx's tiers and for wasmtime with Cranelift, best
//! of several runs, and each as a ratio to wasmtime.

use std::sync::{Arc, Barrier};
use std::time::Instant;

const WAT: &str = include_str!("../../../../crates/runtime/tests/many_threads.wat");

struct Args {
    threads: usize,
    instances: usize,
    runs: usize,
    /// Only the engines whose name contains this (`--only wx`).
    only: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        threads: 8,
        instances: 300,
        runs: 3,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--only" {
            args.only = Some(it.next().unwrap_or_else(|| usage(&flag)));
            continue;
        }
        let value = it.next().and_then(|v| v.parse().ok());
        let slot = match flag.as_str() {
            "--threads" => &mut args.threads,
            "--instances" => &mut args.instances,
            "--runs" => &mut args.runs,
            _ => usage(&flag),
        };
        *slot = value.unwrap_or_else(|| usage(&flag));
    }
    args
}

fn usage(flag: &str) -> ! {
    eprintln!("bad argument {flag}; usage: threads [--threads N] [--instances PER_THREAD] [--runs N] [--only NAME]");
    std::process::exit(2)
}

fn fib(n: i32) -> i32 {
    if n < 2 {
        n
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

/// The arguments instance `k` of thread `t` calls `fib` and `sum` with,
/// and what they must return.
fn work(t: usize, k: usize) -> ((i32, i32), (i32, i64)) {
    let n = ((t + k) % 15) as i32;
    let m = 100 + 37 * (k as i32 % 50);
    ((n, fib(n)), (m, (0..m as i64).sum()))
}

/// Run `body(thread)` on `threads` threads released together; the seconds
/// until the last finished.
fn timed(threads: usize, body: impl Fn(usize) + Sync) -> f64 {
    let start = Barrier::new(threads + 1);
    // The scope joins every thread before it returns.
    let began = std::thread::scope(|s| {
        for t in 0..threads {
            let (start, body) = (&start, &body);
            s.spawn(move || {
                start.wait();
                body(t)
            });
        }
        start.wait();
        Instant::now()
    });
    began.elapsed().as_secs_f64()
}

fn wx_run(config: &wx_runtime::Config, args: &Args) -> f64 {
    use wx_runtime::{Engine, Linker, Module, Store};
    let engine = Engine::new(config).unwrap();
    let module = Arc::new(Module::new(&engine, WAT).unwrap());
    timed(args.threads, |t| {
        let linker = Linker::new(&engine);
        for k in 0..args.instances {
            let mut store = Store::new(&engine, ());
            let instance = linker.instantiate(&mut store, &module).unwrap();
            let fib = instance
                .get_typed_func::<i32, i32>(&mut store, "fib")
                .unwrap();
            let sum = instance
                .get_typed_func::<i32, i64>(&mut store, "sum")
                .unwrap();
            let ((n, f), (m, s)) = work(t, k);
            assert_eq!(fib.call(&mut store, n).unwrap(), f);
            assert_eq!(sum.call(&mut store, m).unwrap(), s);
        }
    })
}

/// wasmtime with its default (on-demand) instance allocator, or with its
/// pooling allocator, which keeps memories mapped between instances as wx
/// keeps its reservations.
fn wasmtime_run(args: &Args, pooling: bool) -> f64 {
    use wasmtime::{Config, Engine, Instance, InstanceAllocationStrategy, Module, Store};
    let mut config = Config::new();
    if pooling {
        config.allocation_strategy(InstanceAllocationStrategy::pooling());
    }
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    timed(args.threads, |t| {
        for k in 0..args.instances {
            let mut store = Store::new(&engine, ());
            let instance = Instance::new(&mut store, &module, &[]).unwrap();
            let fib = instance
                .get_typed_func::<i32, i32>(&mut store, "fib")
                .unwrap();
            let sum = instance
                .get_typed_func::<i32, i64>(&mut store, "sum")
                .unwrap();
            let ((n, f), (m, s)) = work(t, k);
            assert_eq!(fib.call(&mut store, n).unwrap(), f);
            assert_eq!(sum.call(&mut store, m).unwrap(), s);
        }
    })
}

fn main() {
    let args = parse_args();
    let instances = (args.threads * args.instances) as f64;
    let best = |run: &dyn Fn() -> f64| (0..args.runs).map(|_| run()).fold(f64::INFINITY, f64::min);
    let wanted = |name: &str| args.only.as_ref().is_none_or(|o| name.contains(o.as_str()));
    let mut rows: Vec<(String, f64)> = Vec::new();
    for (name, pooling) in [
        ("wasmtime (cranelift)", false),
        ("wasmtime (cranelift, pooling)", true),
    ] {
        if wanted(name) {
            rows.push((name.into(), best(&|| wasmtime_run(&args, pooling))));
        }
    }
    for strategy in [
        wx_runtime::Strategy::Interp,
        wx_runtime::Strategy::Tiered,
        wx_runtime::Strategy::Jit,
    ] {
        let name = format!("wx {strategy}");
        if wanted(&name) {
            let mut config = wx_runtime::Config::new();
            config.strategy(strategy);
            rows.push((name, best(&|| wx_run(&config, &args))));
        }
    }
    println!(
        "{} threads x {} instances, 2 calls each, best of {}",
        args.threads, args.instances, args.runs
    );
    println!("| engine | seconds | instantiations/s | calls/s | vs first row |");
    println!("|---|---:|---:|---:|---:|");
    // Ratios to the first row (wasmtime, unless left out).
    let reference = rows.first().map_or(1.0, |r| r.1);
    for (name, secs) in &rows {
        println!(
            "| {name} | {secs:.3} | {:.0} | {:.0} | {:.2} |",
            instances / secs,
            2.0 * instances / secs,
            reference / secs
        );
    }
}
