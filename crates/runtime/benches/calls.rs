//! Call overhead across the host/wasm boundary, and between wasm functions
//! for comparison:
//! - host -> wasm: `TypedFunc::call` / `Func::call` of tiny exported functions;
//! - wasm -> host: a wasm loop calling a host function N times (per-call
//!   time, loop included);
//! - wasm -> wasm: the same loop calling an empty wasm function.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::time::Duration;
use wx_runtime::{Caller, Engine, Linker, Module, Store, Val};

const WAT: &str = r#"(module
  (import "host" "nop" (func $nop))
  (import "host" "inc" (func $inc (param i32) (result i32)))
  (func $empty (export "empty"))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  ;; Call $nop n times.
  (func (export "call_host") (param $n i32)
    (local $i i32)
    (loop $l
      (call $nop)
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
  ;; Thread a value through $inc n times.
  (func (export "call_host_value") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (call $inc (local.get $acc)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  ;; Call the empty wasm function n times.
  (func (export "call_wasm") (param $n i32)
    (local $i i32)
    (loop $l
      (call $empty)
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))))"#;

const N: i32 = 100_000;

fn setup() -> (Store<u64>, wx_runtime::Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, WAT).expect("benchmark module compiles");
    let mut store = Store::new(&engine, 0u64);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "nop", |mut c: Caller<'_, u64>| *c.data_mut() += 1)
        .unwrap();
    linker
        .func_wrap("host", "inc", |_: Caller<'_, u64>, x: i32| {
            x.wrapping_add(1)
        })
        .unwrap();
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("instantiates");
    (store, instance)
}

fn host_to_wasm(c: &mut Criterion) {
    let mut g = c.benchmark_group("host_to_wasm");
    g.measurement_time(Duration::from_secs(3));
    let (mut store, instance) = setup();
    let empty = instance
        .get_typed_func::<(), ()>(&mut store, "empty")
        .unwrap();
    g.bench_function("typed_empty", |b| {
        b.iter(|| empty.call(&mut store, ()).unwrap())
    });
    let add = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "add")
        .unwrap();
    g.bench_function("typed_add_i32", |b| {
        b.iter(|| add.call(&mut store, (std::hint::black_box(2), 3)).unwrap())
    });
    let add_dyn = instance.get_func(&mut store, "add").unwrap();
    let mut results = [Val::I32(0)];
    g.bench_function("dynamic_add_i32", |b| {
        b.iter(|| {
            add_dyn
                .call(&mut store, &[Val::I32(2), Val::I32(3)], &mut results)
                .unwrap()
        })
    });
    g.finish();
}

fn wasm_to_host(c: &mut Criterion) {
    let mut g = c.benchmark_group("wasm_to_host");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(N as u64));
    let (mut store, instance) = setup();
    let call_host = instance
        .get_typed_func::<i32, ()>(&mut store, "call_host")
        .unwrap();
    g.bench_function("nop_x100k", |b| {
        b.iter(|| call_host.call(&mut store, N).unwrap())
    });
    let call_value = instance
        .get_typed_func::<i32, i32>(&mut store, "call_host_value")
        .unwrap();
    g.bench_function("inc_i32_x100k", |b| {
        b.iter(|| assert_eq!(call_value.call(&mut store, N).unwrap(), N))
    });
    g.finish();

    let mut g = c.benchmark_group("wasm_to_wasm");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(N as u64));
    let call_wasm = instance
        .get_typed_func::<i32, ()>(&mut store, "call_wasm")
        .unwrap();
    g.bench_function("empty_x100k", |b| {
        b.iter(|| call_wasm.call(&mut store, N).unwrap())
    });
    g.finish();
}

criterion_group!(benches, host_to_wasm, wasm_to_host);
criterion_main!(benches);
