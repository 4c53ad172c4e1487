//! Per-store resource limits: a limiter decides every memory and table
//! growth (by wasm code on every tier, or by the host) and instance
//! creation. Denied, `memory.grow` and `table.grow` return -1 and the code
//! goes on; a limiter's error traps with that error; the store survives.

use std::sync::{Arc, Mutex};
use wx_runtime::*;

mod support;

const WAT: &str = r#"(module
  (memory (export "mem") 1 100)
  (table (export "tab") 1 100 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow_table") (param i32) (result i32)
    (table.grow (ref.null func) (local.get 0)))
  (func (export "grow_in_loop") (param $n i32) (result i32) (local $ok i32)
    (loop $l
      (if (i32.ge_s (memory.grow (i32.const 1)) (i32.const 0))
        (then (local.set $ok (i32.add (local.get $ok) (i32.const 1)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $ok)))"#;

/// A limiter that allows memories up to `max_bytes`, tables up to 10
/// elements, or fails with an error past `fail_above` bytes; it records
/// every memory request.
struct Recorder {
    max_bytes: usize,
    fail_above: usize,
    seen: Requests,
}

/// The memory requests a limiter saw: (current, desired) bytes.
type Requests = Arc<Mutex<Vec<(usize, usize)>>>;

impl ResourceLimiter for Recorder {
    fn memory_growing(&mut self, current: usize, desired: usize, _: Option<usize>) -> Result<bool> {
        self.seen.lock().unwrap().push((current, desired));
        if desired > self.fail_above {
            return Err(Error::Host(format!("{desired} bytes is too much")));
        }
        Ok(desired <= self.max_bytes)
    }

    fn table_growing(&mut self, _: usize, desired: usize, _: Option<usize>) -> Result<bool> {
        Ok(desired <= 10)
    }
}

fn tiers() -> Vec<(&'static str, Config)> {
    support::tier_configs(10, |_| {})
}

struct Data {
    limiter: Recorder,
}

fn instantiate(config: &Config, max_pages: usize) -> (Store<Data>, Instance, Requests) {
    let engine = Engine::new(config).unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let page = 65536;
    let data = Data {
        limiter: Recorder {
            max_bytes: max_pages * page,
            fail_above: 50 * page,
            seen: seen.clone(),
        },
    };
    let mut store = Store::new(&engine, data);
    store.limiter(|d| &mut d.limiter);
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    (store, instance, seen)
}

fn call(
    store: &mut Store<Data>,
    instance: &Instance,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>> {
    support::call(store, instance, name, args)
}

#[test]
fn denied_growth_returns_minus_one_on_every_tier() {
    for (tier, config) in tiers() {
        let (mut store, instance, seen) = instantiate(&config, 3);
        // The limiter was asked for the memory's initial page.
        assert_eq!(seen.lock().unwrap()[..], [(0, 65536)], "{tier}");
        let grow = |store: &mut Store<Data>, n: i32| {
            call(store, &instance, "grow", &[Val::I32(n)]).unwrap()
        };
        assert_eq!(grow(&mut store, 2), [Val::I32(1)], "{tier}");
        assert_eq!(grow(&mut store, 1), [Val::I32(-1)], "{tier}: past 3 pages");
        assert_eq!(
            call(&mut store, &instance, "size", &[]).unwrap(),
            [Val::I32(3)],
            "{tier}"
        );
        // The limiter saw exactly the requests, in bytes.
        let page = 65536;
        assert_eq!(
            seen.lock().unwrap()[1..],
            [(page, 3 * page), (3 * page, 4 * page)],
            "{tier}"
        );
        // In a (possibly OSR'd) loop, each growth is asked about.
        let r = call(&mut store, &instance, "grow_in_loop", &[Val::I32(20)]).unwrap();
        assert_eq!(r, [Val::I32(0)], "{tier}");
        // Tables too.
        let r = call(&mut store, &instance, "grow_table", &[Val::I32(9)]).unwrap();
        assert_eq!(r, [Val::I32(1)], "{tier}");
        let r = call(&mut store, &instance, "grow_table", &[Val::I32(1)]).unwrap();
        assert_eq!(r, [Val::I32(-1)], "{tier}");
    }
}

#[test]
fn a_limiter_error_traps_and_the_store_survives() {
    for (tier, config) in tiers() {
        let (mut store, instance, _) = instantiate(&config, 100);
        let err = call(&mut store, &instance, "grow", &[Val::I32(60)]).unwrap_err();
        assert!(err.to_string().contains("too much"), "{tier}: {err}");
        let r = call(&mut store, &instance, "grow", &[Val::I32(1)]).unwrap();
        assert_eq!(r, [Val::I32(1)], "{tier}");
    }
}

#[test]
fn host_growth_asks_the_limiter_too() {
    let (mut store, instance, _) = instantiate(&Config::new(), 2);
    let mem = instance.get_memory(&mut store, "mem").unwrap();
    assert_eq!(mem.grow(&mut store, 1).unwrap(), 1);
    let err = mem.grow(&mut store, 1).unwrap_err();
    assert!(err.to_string().contains("limiter refused"), "{err}");
    let tab = instance.get_table(&mut store, "tab").unwrap();
    assert!(tab.grow(&mut store, 20, Val::FuncRef(None)).is_err());
}

#[test]
fn store_limits_bound_sizes_and_counts() {
    let engine = Engine::default();
    let module = Module::new(&engine, WAT).unwrap();
    let linker = Linker::new(&engine);
    // Counts: one instance, then no more.
    let mut store = Store::new(&engine, ());
    store.set_limits(StoreLimitsBuilder::new().instances(1).build());
    linker.instantiate(&mut store, &module).unwrap();
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(err.to_string().contains("instance count too high"), "{err}");
    // No memories at all.
    let mut store = Store::new(&engine, ());
    store.set_limits(StoreLimitsBuilder::new().memories(0).build());
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(err.to_string().contains("memory count too high"), "{err}");
    // An initial size over the limit.
    let mut store = Store::new(&engine, ());
    store.set_limits(StoreLimitsBuilder::new().memory_size(1000).build());
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(err.to_string().contains("minimum size"), "{err}");
    // Sizes: denied growth is -1, or a trap when asked to.
    let mut store = Store::new(&engine, ());
    store.set_limits(StoreLimitsBuilder::new().memory_size(2 << 16).build());
    let i = linker.instantiate(&mut store, &module).unwrap();
    let grow = |store: &mut Store<()>, n: i32| support::call(store, &i, "grow", &[Val::I32(n)]);
    assert_eq!(grow(&mut store, 1).unwrap(), [Val::I32(1)]);
    assert_eq!(grow(&mut store, 1).unwrap(), [Val::I32(-1)]);
    let mut store = Store::new(&engine, ());
    let limits = StoreLimitsBuilder::new()
        .memory_size(2 << 16)
        .trap_on_grow_failure(true)
        .build();
    store.set_limits(limits);
    let i = linker.instantiate(&mut store, &module).unwrap();
    let grow = |store: &mut Store<()>, n: i32| support::call(store, &i, "grow", &[Val::I32(n)]);
    let err = grow(&mut store, 5).unwrap_err();
    assert!(err.to_string().contains("forcing trap"), "{err}");
}
