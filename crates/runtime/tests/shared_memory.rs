//! A `SharedMemory` used by several host threads at once, each with its own
//! store and instance: atomic read-modify-writes from every thread add up,
//! and `memory.atomic.wait` blocks a thread until another one's `notify`
//! (on every tier).

use std::sync::{Arc, Barrier};
use wx_runtime::{Engine, Linker, MemoryType, Module, SharedMemory, Store, Val};

mod support;

const WAT: &str = r#"
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "add") (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 2)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "total") (result i32 i64)
    (i32.atomic.load (i32.const 0))
    (i64.atomic.load (i32.const 8)))
  ;; Wait until the flag at 64 is no longer 0; how many waits returned "ok".
  (func (export "wait_flag") (result i32)
    (local $woken i32)
    (block $done
      (loop $l
        (br_if $done (i32.atomic.load (i32.const 64)))
        (if (i32.eqz (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
          (then (local.set $woken (i32.add (local.get $woken) (i32.const 1)))))
        (br $l)))
    (local.get $woken))
  (func (export "set_flag") (result i32)
    (i32.atomic.store (i32.const 64) (i32.const 1))
    (memory.atomic.notify (i32.const 64) (i32.const 100))))
"#;

/// An instance of the test module in a fresh store, importing `memory`.
fn instance(
    engine: &Engine,
    module: &Module,
    memory: &SharedMemory,
) -> (Store<()>, wx_runtime::Instance) {
    let mut store = Store::new(engine, ());
    let mut linker = Linker::new(engine);
    linker.define("env", "memory", memory.clone()).unwrap();
    let instance = linker.instantiate(&mut store, module).unwrap();
    (store, instance)
}

fn call(
    store: &mut Store<()>,
    instance: &wx_runtime::Instance,
    name: &str,
    args: &[Val],
    n: usize,
) -> Vec<Val> {
    let f = instance.get_func(&mut *store, name).unwrap();
    let mut out = vec![Val::I32(0); n];
    if n == 2 {
        out[1] = Val::I64(0);
    }
    f.call(&mut *store, args, &mut out).unwrap();
    out
}

#[test]
fn threads_with_their_own_stores_share_one_memory() {
    const THREADS: usize = 4;
    const ROUNDS: i32 = 5000;
    for (tier, config) in support::tiers() {
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, WAT).unwrap();
        let ty = MemoryType {
            min: 1,
            max: Some(1),
            shared: true,
        };
        let memory = SharedMemory::new(&engine, ty).unwrap();
        let start = Arc::new(Barrier::new(THREADS));
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                let (engine, module, memory, start) = (
                    engine.clone(),
                    module.clone(),
                    memory.clone(),
                    start.clone(),
                );
                std::thread::spawn(move || {
                    let (mut store, instance) = instance(&engine, &module, &memory);
                    start.wait();
                    call(&mut store, &instance, "add", &[Val::I32(ROUNDS)], 0);
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        let (mut store, inst) = instance(&engine, &module, &memory);
        let total = call(&mut store, &inst, "total", &[], 2);
        let n = THREADS as i64 * ROUNDS as i64;
        assert_eq!(total, [Val::I32(n as i32), Val::I64(2 * n)], "{tier}");
    }
}

#[test]
fn wait_blocks_until_another_thread_notifies() {
    for (tier, config) in support::tiers() {
        let engine = Engine::new(&config).unwrap();
        let module = Module::new(&engine, WAT).unwrap();
        let ty = MemoryType {
            min: 1,
            max: Some(1),
            shared: true,
        };
        let memory = SharedMemory::new(&engine, ty).unwrap();
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (engine, module, memory) = (engine.clone(), module.clone(), memory.clone());
                std::thread::spawn(move || {
                    let (mut store, instance) = instance(&engine, &module, &memory);
                    call(&mut store, &instance, "wait_flag", &[], 1)[0]
                })
            })
            .collect();
        // Give the waiters time to block; the flag check makes early
        // notifies harmless either way.
        std::thread::sleep(std::time::Duration::from_millis(50));
        let (mut store, inst) = instance(&engine, &module, &memory);
        call(&mut store, &inst, "set_flag", &[], 1);
        // Each waiter returns (a lost wake-up would block it for good):
        // woken by the notify, or never blocked if the flag came first.
        for w in waiters {
            let woken = w.join().unwrap();
            assert!(
                woken == Val::I32(0) || woken == Val::I32(1),
                "{tier}: {woken:?}"
            );
        }
        assert_eq!(memory.size(), 1, "{tier}");
    }
}
