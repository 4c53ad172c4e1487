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
/// The engine, module and shared memory of one test on one tier; each
/// thread makes its own store and instance from a clone.
#[derive(Clone)]
struct Shared {
    engine: Engine,
    module: Module,
    memory: SharedMemory,
}

impl Shared {
    fn new(config: &wx_runtime::Config) -> Shared {
        let engine = Engine::new(config).unwrap();
        let module = Module::new(&engine, WAT).unwrap();
        let ty = MemoryType {
            min: 1,
            max: Some(1),
            shared: true,
        };
        let memory = SharedMemory::new(&engine, ty).unwrap();
        Shared {
            engine,
            module,
            memory,
        }
    }

    /// Call `name` in a fresh store whose instance imports the memory.
    fn call(&self, name: &str, args: &[Val]) -> Vec<Val> {
        let mut store = Store::new(&self.engine, ());
        let mut linker = Linker::new(&self.engine);
        linker.define("env", "memory", self.memory.clone()).unwrap();
        let instance = linker.instantiate(&mut store, &self.module).unwrap();
        support::call(&mut store, &instance, name, args).unwrap()
    }
}

#[test]
fn threads_with_their_own_stores_share_one_memory() {
    const THREADS: usize = 4;
    const ROUNDS: i32 = 5000;
    for (tier, config) in support::tiers() {
        let shared = Shared::new(&config);
        let start = Arc::new(Barrier::new(THREADS));
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                let (shared, start) = (shared.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    shared.call("add", &[Val::I32(ROUNDS)]);
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        let total = shared.call("total", &[]);
        let n = THREADS as i64 * ROUNDS as i64;
        assert_eq!(total, [Val::I32(n as i32), Val::I64(2 * n)], "{tier}");
    }
}

#[test]
fn wait_blocks_until_another_thread_notifies() {
    for (tier, config) in support::tiers() {
        let shared = Shared::new(&config);
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let shared = shared.clone();
                std::thread::spawn(move || shared.call("wait_flag", &[])[0])
            })
            .collect();
        // Give the waiters time to block; the flag check makes early
        // notifies harmless either way.
        std::thread::sleep(std::time::Duration::from_millis(50));
        shared.call("set_flag", &[]);
        // Each waiter returns (a lost wake-up would block it for good):
        // woken by the notify, or never blocked if the flag came first.
        for w in waiters {
            let woken = w.join().unwrap();
            assert!(
                woken == Val::I32(0) || woken == Val::I32(1),
                "{tier}: {woken:?}"
            );
        }
        assert_eq!(shared.memory.size(), 1, "{tier}");
    }
}
