//! Stopping runaway code: with `Config::epoch_interruption`, code checks
//! the engine's epoch against its store's deadline at function entries
//! and loop headers, on every tier (interpreter, JIT, tiered with OSR'd
//! loops, mixed), in loops with calls, exception handlers and atomics;
//! the store survives the trap, and a callback may move the deadline.
//! With `Config::consume_fuel`, the same points take a unit of fuel each:
//! the same program takes exactly the same fuel on every tier.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wx_runtime::*;

mod support;

const WAT: &str = r#"(module
  (memory 1 1 shared)
  (tag $e)
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "spin_calls") (local i32)
    (loop $l (local.set 0 (call $leaf (local.get 0))) (br $l)))
  (func (export "spin_eh_atomic") (local i32)
    (loop $l
      (block $caught
        (try_table (catch $e $caught)
          (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
          (if (i32.eqz (i32.and (local.get 0) (i32.const 7))) (then (throw $e)))))
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (br $l)))
  (func (export "eh_atomic") (param $n i32) (result i32)
    (loop $l
      (block $caught
        (try_table (catch $e $caught)
          (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
          (if (i32.and (local.get $n) (i32.const 1)) (then (throw $e)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.atomic.load (i32.const 0)))
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; No loop anywhere: only the checks at the entries of functions that
  ;; call can stop it.
  (func (export "spin_recursion") (drop (call $fib (i32.const 60))))
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (call $leaf (local.get $i)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))"#;

/// Every tier this build runs, with `tiered` compiling at once and
/// replacing running loops after 100 iterations (OSR).
fn configs() -> Vec<(&'static str, Config)> {
    support::tier_configs(100, |c| {
        c.epoch_interruption(true);
    })
}

/// [`configs`] metering fuel instead.
fn fuel_configs() -> Vec<(&'static str, Config)> {
    support::tier_configs(100, |c| {
        c.consume_fuel(true);
    })
}

fn instantiate(config: &Config) -> (Store<()>, Instance) {
    let engine = Engine::new(config).unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    (store, instance)
}

fn count(store: &mut Store<()>, instance: &Instance, n: i32) -> Result<Vec<Val>> {
    support::call(store, instance, "count", &[Val::I32(n)])
}

#[test]
fn a_store_traps_at_its_first_check_until_it_has_a_deadline() {
    for (tier, config) in configs() {
        let (mut store, instance) = instantiate(&config);
        let err = count(&mut store, &instance, 10).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::Interrupt), "{tier}: {err}");
        assert!(err.to_string().contains("interrupt"), "{tier}: {err}");
        store.set_epoch_deadline(1);
        let r = count(&mut store, &instance, 1000).unwrap();
        assert_eq!(r, [Val::I32(1000)], "{tier}");
    }
}

#[test]
fn a_timer_thread_stops_endless_loops_on_every_tier() {
    for (tier, config) in configs() {
        for func in ["spin", "spin_calls", "spin_eh_atomic", "spin_recursion"] {
            let (mut store, instance) = instantiate(&config);
            store.set_epoch_deadline(1);
            let engine = store.engine().clone();
            let timer = std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(30));
                engine.increment_epoch();
            });
            let err = support::call(&mut store, &instance, func, &[]).unwrap_err();
            timer.join().unwrap();
            assert_eq!(
                err.trap_code(),
                Some(TrapCode::Interrupt),
                "{tier} {func}: {err}"
            );
            // The trap has a backtrace naming the code it stopped.
            let Error::Trap(trap) = &err else {
                unreachable!()
            };
            assert!(!trap.backtrace.frames.is_empty(), "{tier} {func}");
            // The store survives: with a new deadline, code runs again.
            store.set_epoch_deadline(1);
            let r = count(&mut store, &instance, 500).unwrap();
            assert_eq!(r, [Val::I32(500)], "{tier} {func}");
        }
    }
}

#[test]
fn a_callback_moves_the_deadline_or_stops_the_code() {
    for (tier, config) in configs() {
        // Deadline reached at every check: the callback runs at each one
        // and stops the loop at its fifth.
        let (mut store, instance) = instantiate(&config);
        let calls = Arc::new(AtomicU32::new(0));
        let seen = calls.clone();
        store.epoch_deadline_callback(move |_| {
            if seen.fetch_add(1, Ordering::Relaxed) < 4 {
                Ok(UpdateDeadline::Continue(0))
            } else {
                Err(Error::Host("enough".into()))
            }
        });
        let err = support::call(&mut store, &instance, "spin_calls", &[]).unwrap_err();
        assert!(err.to_string().contains("enough"), "{tier}: {err}");
        assert_eq!(calls.load(Ordering::Relaxed), 5, "{tier}");

        // Moved well ahead at the first check, the code runs to its end.
        let (mut store, instance) = instantiate(&config);
        let calls = Arc::new(AtomicU32::new(0));
        let seen = calls.clone();
        store.epoch_deadline_callback(move |_| {
            seen.fetch_add(1, Ordering::Relaxed);
            Ok(UpdateDeadline::Continue(1000))
        });
        let r = count(&mut store, &instance, 2000).unwrap();
        assert_eq!(r, [Val::I32(2000)], "{tier}");
        assert_eq!(calls.load(Ordering::Relaxed), 1, "{tier}");

        // Back to trapping.
        store.epoch_deadline_trap();
        store.set_epoch_deadline(0);
        let err = count(&mut store, &instance, 10).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::Interrupt), "{tier}");
    }
}

/// Off (the default), code has no checks: the epoch means nothing and the
/// JIT's IR holds no `epoch_check`; on, every function entry and loop
/// header has one.
#[test]
fn without_epoch_interruption_code_has_no_checks() {
    let engine = Engine::default();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    engine.increment_epoch();
    assert_eq!(count(&mut store, &instance, 100).unwrap(), [Val::I32(100)]);
    let checks = |module: &Module| -> usize {
        module
            .explore(None)
            .unwrap()
            .iter()
            .map(|r| {
                r.jit
                    .as_ref()
                    .map_or(0, |j| j.ir.matches("epoch_check").count())
            })
            .sum()
    };
    assert_eq!(checks(&module), 0);
    let mut config = Config::new();
    config.epoch_interruption(true);
    let on = Module::new(&Engine::new(&config).unwrap(), WAT).unwrap();
    // The loops of five, and the entries of the two functions that call
    // (the others run in bounded time between their loop headers' checks;
    // `$leaf` is inlined where it is called).
    assert_eq!(checks(&on), 5 + 2);
}

/// Fuel taken by a run: one unit per function entry and loop-header
/// arrival, identical on every tier (tiered moves the loop into compiled
/// code halfway, by OSR).
#[test]
fn the_same_program_takes_the_same_fuel_on_every_tier() {
    const BUDGET: u64 = 1_000_000;
    for (tier, config) in fuel_configs() {
        let (mut store, instance) = instantiate(&config);
        store.set_fuel(BUDGET).unwrap();
        let r = count(&mut store, &instance, 300).unwrap();
        assert_eq!(r, [Val::I32(300)], "{tier}");
        // `count`, 300 calls of `leaf` and 300 arrivals at the loop header.
        assert_eq!(BUDGET - store.get_fuel().unwrap(), 601, "{tier}");
        store.set_fuel(BUDGET).unwrap();
        let r = support::call(&mut store, &instance, "eh_atomic", &[Val::I32(200)]).unwrap();
        assert_eq!(r, [Val::I32(200)], "{tier}");
        assert_eq!(BUDGET - store.get_fuel().unwrap(), 201, "{tier}");
    }
}

#[test]
fn running_out_of_fuel_traps_and_the_store_survives() {
    for (tier, config) in fuel_configs() {
        let (mut store, instance) = instantiate(&config);
        // A new store has none.
        let err = count(&mut store, &instance, 1).unwrap_err();
        assert_eq!(err.trap_code(), Some(TrapCode::OutOfFuel), "{tier}: {err}");
        for func in ["spin", "spin_calls", "spin_eh_atomic", "spin_recursion"] {
            store.set_fuel(5000).unwrap();
            let err = support::call(&mut store, &instance, func, &[]).unwrap_err();
            assert_eq!(
                err.trap_code(),
                Some(TrapCode::OutOfFuel),
                "{tier} {func}: {err}"
            );
            assert!(
                err.to_string().contains("all fuel consumed"),
                "{tier}: {err}"
            );
            assert_eq!(store.get_fuel().unwrap(), 0, "{tier} {func}");
        }
        store.set_fuel(21).unwrap();
        assert_eq!(
            count(&mut store, &instance, 10).unwrap(),
            [Val::I32(10)],
            "{tier}"
        );
        assert_eq!(store.get_fuel().unwrap(), 0, "{tier}");
    }
    // Without metering, fuel is an error to ask for.
    let mut store = Store::new(&Engine::default(), ());
    assert!(store.set_fuel(1).is_err());
    assert!(store.get_fuel().is_err());
}
