//! Interpreter speed on two workloads: recursive calls (fib) and a
//! loop-heavy kernel (a sieve plus an integer mixing loop).

use criterion::{criterion_group, criterion_main, Criterion};
use wx_runtime::{Engine, Linker, Module, Store, TypedFunc};

const WAT: &str = r#"(module
  (memory 2)
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; Sieve of Eratosthenes over n bytes of memory; returns the prime count.
  (func (export "sieve") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    (memory.fill (i32.const 0) (i32.const 1) (local.get $n))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.load8_u (local.get $i))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $d2
              (loop $inner
                (br_if $d2 (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 0))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $inner)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $i (i32.const 2))
    (block $done
      (loop $count_loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $count (i32.add (local.get $count) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count_loop)))
    (local.get $count))
  ;; A tight arithmetic loop.
  (func (export "mix") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.xor (local.get $i) (i32.mul (local.get $acc) (i32.const 31)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))"#;

fn setup(name: &str) -> (Store<()>, TypedFunc<i32, i32>) {
    let engine = Engine::default();
    let module = Module::new(&engine, WAT).expect("benchmark module compiles");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let f = instance
        .get_typed_func::<i32, i32>(&mut store, name)
        .expect("export exists");
    (store, f)
}

fn interp(c: &mut Criterion) {
    let mut g = c.benchmark_group("interp");
    g.sample_size(10);
    let (mut store, fib) = setup("fib");
    g.bench_function("fib(27)", |b| {
        b.iter(|| assert_eq!(fib.call(&mut store, 27).unwrap(), 196418))
    });
    let (mut store, sieve) = setup("sieve");
    g.bench_function("sieve(100000)", |b| {
        b.iter(|| assert_eq!(sieve.call(&mut store, 100_000).unwrap(), 9592))
    });
    let (mut store, mix) = setup("mix");
    g.bench_function("mix(10M)", |b| {
        b.iter(|| mix.call(&mut store, 10_000_000).unwrap())
    });
    g.finish();
}

criterion_group!(benches, interp);
criterion_main!(benches);
