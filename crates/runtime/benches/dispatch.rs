//! Interpreter dispatch on tight loops, as loop iterations per second
//! (Throughput::Elements = iterations):
//! - `count`: `i += 1; br_if i < n` (7 wasm instructions per iteration);
//! - `arith`: an integer mixing step on three locals plus the loop test
//!   (19 wasm instructions per iteration);
//! - `memory`: a load, add and store per iteration over a 64 KiB buffer.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;
use wx_runtime::{Engine, Linker, Module, Store};

const WAT: &str = r#"(module
  (memory 1)
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $i))
  (func (export "arith") (param $n i32) (result i32)
    (local $i i32) (local $a i32) (local $b i32)
    (local.set $b (i32.const 1))
    (loop $l
      (local.set $a (i32.add (local.get $a) (i32.xor (local.get $b) (local.get $i))))
      (local.set $b (i32.rotl (i32.mul (local.get $b) (i32.const 0x9e3779b1)) (i32.const 5)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.xor (local.get $a) (local.get $b)))
  (func (export "memory") (param $n i32) (result i32)
    (local $i i32) (local $p i32)
    (loop $l
      (local.set $p (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 0xfffc)))
      (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.load (i32.const 0))))"#;

const N: i32 = 1_000_000;

fn dispatch(c: &mut Criterion) {
    let engine = Engine::default();
    let module = Module::new(&engine, WAT).expect("benchmark module compiles");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let mut g = c.benchmark_group("dispatch");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    g.throughput(Throughput::Elements(N as u64));
    for name in ["count", "arith", "memory"] {
        let f = instance
            .get_typed_func::<i32, i32>(&mut store, name)
            .expect("export exists");
        g.bench_function(BenchmarkId::new(name, "1M iterations"), |b| {
            b.iter(|| f.call(&mut store, N).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, dispatch);
criterion_main!(benches);
