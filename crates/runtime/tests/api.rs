//! The embedding API end to end.

use wx_runtime::*;

fn instantiate(wat: &str) -> (Store<Vec<i32>>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, Vec::new());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "log", |mut caller: Caller<'_, Vec<i32>>, v: i32| {
            caller.data_mut().push(v)
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

#[test]
fn typed_calls_and_host_functions() {
    let (mut store, instance) = instantiate(
        r#"(module
            (import "host" "log" (func $log (param i32)))
            (func (export "run") (param i32) (result i32)
              (call $log (local.get 0))
              (call $log (i32.mul (local.get 0) (i32.const 2)))
              (i32.add (local.get 0) (i32.const 1))))"#,
    );
    let run = instance
        .get_typed_func::<i32, i32>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, 20).unwrap(), 21);
    assert_eq!(store.data(), &vec![20, 40]);
    assert!(instance
        .get_typed_func::<i64, i32>(&mut store, "run")
        .is_err());
}

#[test]
fn dynamic_calls_check_arguments() {
    let (mut store, instance) = instantiate(
        r#"(module (import "host" "log" (func (param i32))) (func (export "id") (param i64) (result i64) local.get 0))"#,
    );
    let f = instance.get_func(&mut store, "id").unwrap();
    let mut out = [Val::I64(0)];
    f.call(&mut store, &[Val::I64(-5)], &mut out).unwrap();
    assert_eq!(out[0], Val::I64(-5));
    assert!(matches!(
        f.call(&mut store, &[Val::I32(1)], &mut out),
        Err(Error::Usage(_))
    ));
    assert!(matches!(
        f.call(&mut store, &[], &mut out),
        Err(Error::Usage(_))
    ));
}

#[test]
fn host_can_call_back_into_wasm() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "host" "twice" (func $twice (param i32) (result i32)))
            (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
            (func (export "run") (param i32) (result i32) (call $twice (local.get 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "twice",
            |mut caller: Caller<'_, ()>, v: i32| -> Result<i32> {
                let inc = caller
                    .get_export("inc")
                    .and_then(Extern::into_func)
                    .expect("inc exported");
                let inc = inc.typed::<i32, i32>(&caller)?;
                let once = inc.call(&mut caller, v)?;
                inc.call(&mut caller, once)
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance
        .get_typed_func::<i32, i32>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, 5).unwrap(), 7);
}

#[test]
fn host_errors_and_traps_propagate() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (import "host" "fail" (func $fail))
            (func (export "run") (call $fail))
            (func (export "trap") (unreachable)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "fail", || -> Result<()> { Err(Error::msg("boom")) })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance
        .get_typed_func::<(), ()>(&mut store, "run")
        .unwrap();
    match run.call(&mut store, ()) {
        Err(Error::Host(m)) => assert_eq!(m, "boom"),
        other => panic!("expected host error, got {other:?}"),
    }
    let trap = instance
        .get_typed_func::<(), ()>(&mut store, "trap")
        .unwrap();
    let err = trap.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::Unreachable));
    assert_eq!(err.to_string(), "wasm trap: unreachable");
    // The store still works.
    assert!(matches!(run.call(&mut store, ()), Err(Error::Host(_))));
}

#[test]
fn call_depth_is_configurable() {
    // The frame limit is the interpreter's; compiled code is bounded by the
    // native stack.
    let mut config = Config::new();
    config.strategy(Strategy::Interp).max_call_depth(1000);
    let engine = Engine::new(&config).unwrap();
    let (mut store, instance) = setup(
        &engine,
        r#"(module (func $d (export "d") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $d (i32.sub (local.get 0) (i32.const 1))))))))"#,
    );
    let d = instance
        .get_typed_func::<i32, i32>(&mut store, "d")
        .unwrap();
    assert_eq!(d.call(&mut store, 900).unwrap(), 900);
    let err = d.call(&mut store, 2000).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::StackOverflow));
    assert_eq!(err.to_string(), "wasm trap: call stack exhausted");
}

#[test]
fn memories_globals_and_tables() {
    let (mut store, instance) = instantiate(
        r#"(module (import "host" "log" (func (param i32)))
            (memory (export "mem") 1 3)
            (global (export "g") (mut i64) (i64.const 7))
            (table (export "t") 2 funcref)
            (func $f (export "f") (result i32) (i32.load (i32.const 8)))
            (elem (i32.const 1) $f))"#,
    );
    let mem = instance.get_memory(&mut store, "mem").unwrap();
    mem.write(&mut store, 8, &42u32.to_le_bytes()).unwrap();
    let f = instance.get_typed_func::<(), i32>(&mut store, "f").unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 42);
    assert_eq!(mem.grow(&mut store, 2).unwrap(), 1);
    assert_eq!(mem.size(&store), 3);
    assert!(mem.grow(&mut store, 1).is_err());
    assert!(mem.write(&mut store, 3 * 65536 - 2, &[1, 2, 3]).is_err());

    let g = instance.get_global(&mut store, "g").unwrap();
    assert_eq!(g.get(&mut store), Val::I64(7));
    g.set(&mut store, Val::I64(-1)).unwrap();
    assert_eq!(g.get(&mut store), Val::I64(-1));
    assert!(g.set(&mut store, Val::I32(1)).is_err());

    let t = instance.get_table(&mut store, "t").unwrap();
    assert_eq!(t.get(&mut store, 0), Some(Val::FuncRef(None)));
    let Some(Val::FuncRef(Some(func))) = t.get(&mut store, 1) else {
        panic!("element 1 is $f")
    };
    assert_eq!(func, instance.get_func(&mut store, "f").unwrap());
    assert_eq!(t.grow(&mut store, 3, Val::FuncRef(Some(func))).unwrap(), 2);
    assert_eq!(t.size(&store), 5);
}

#[test]
fn externrefs_round_trip() {
    let engine = Engine::default();
    let (mut store, instance) = setup(
        &engine,
        r#"(module (func (export "id") (param externref) (result externref) local.get 0))"#,
    );
    let r = ExternRef::new(&mut store, String::from("hello"));
    let f = instance.get_func(&mut store, "id").unwrap();
    let mut out = [Val::ExternRef(None)];
    f.call(&mut store, &[Val::ExternRef(Some(r))], &mut out)
        .unwrap();
    let Val::ExternRef(Some(back)) = out[0] else {
        panic!("non-null result")
    };
    assert_eq!(
        back.data(&store).unwrap().downcast_ref::<String>().unwrap(),
        "hello"
    );
}

#[test]
fn bad_modules_give_typed_errors() {
    let engine = Engine::default();
    let err = Module::new(&engine, b"\0asm\x01\0\0\0\x01").unwrap_err();
    assert!(
        matches!(err, Error::Compile(CompileError::Invalid { .. })),
        "{err}"
    );
    let err = Module::new(&engine, "(module (func (result i32)))").unwrap_err();
    assert!(
        matches!(err, Error::Compile(CompileError::Invalid { .. })),
        "{err}"
    );
    let simd = "(module (func (result v128) (v128.const i32x4 0 0 0 0)))";
    let err = Module::new(&engine, simd).unwrap_err();
    assert!(
        err.to_string().starts_with("unsupported feature: SIMD"),
        "{err}"
    );
    let memory64 = "(module (memory i64 1))";
    let err = Module::new(&engine, memory64).unwrap_err();
    assert!(err.to_string().starts_with("unsupported feature:"), "{err}");
    let gc = "(module (type (struct)))";
    let err = Module::new(&engine, gc).unwrap_err();
    assert!(err.to_string().starts_with("unsupported feature:"), "{err}");
}

#[test]
fn link_errors_name_the_import() {
    let engine = Engine::default();
    let module = Module::new(&engine, r#"(module (import "env" "f" (func (param i32))))"#).unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(
        err.to_string().contains("unknown import: `env::f`"),
        "{err}"
    );
    linker.func_wrap("env", "f", |_: i64| {}).unwrap();
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(
        err.to_string()
            .contains("incompatible import type for `env::f`"),
        "{err}"
    );
}

#[test]
fn strategies_need_the_jit_where_it_exists() {
    let jit_here = cfg!(all(target_arch = "x86_64", target_os = "linux"));
    let mut config = Config::new();
    let default = if jit_here {
        Strategy::Tiered
    } else {
        Strategy::Interp
    };
    assert_eq!(config.get_strategy(), default);
    for s in [Strategy::Jit, Strategy::Tiered, Strategy::Mixed] {
        config.strategy(s);
        match Engine::new(&config) {
            Ok(_) => assert!(jit_here),
            Err(e) => {
                assert!(!jit_here);
                assert!(e.to_string().contains(&s.to_string()), "{e}");
            }
        }
    }
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn tiered_engine(calls: u64, loop_iterations: u64) -> Engine {
    let mut config = Config::new();
    config
        .strategy(Strategy::Tiered)
        .jit_threshold(calls)
        .jit_loop_threshold(loop_iterations)
        .background_compilation(false);
    Engine::new(&config).unwrap()
}

/// What the store knows about the function called `name`.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn stats_of(store: &Store<()>, name: &str) -> Option<FuncStats> {
    store.func_stats().into_iter().find(|s| s.name == name)
}

/// The tier a function ended in, by name.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn tier_of(store: &Store<()>, name: &str) -> Option<FuncTier> {
    stats_of(store, name).map(|s| s.tier)
}

/// A function is compiled when its call count reaches the threshold, and
/// from then on its calls (from the host and from wasm) run compiled code.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn tiered_compiles_at_the_call_threshold() {
    let engine = tiered_engine(3, 1_000_000);
    let module = Module::new(
        &engine,
        r#"(module
            (func $sq (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
            (func (export "sum_sq") (param i32) (result i32) (local $s i32)
              (block (loop
                (br_if 1 (i32.eqz (local.get 0)))
                (local.set $s (i32.add (local.get $s) (call $sq (local.get 0))))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br 0)))
              (local.get $s)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let sq = instance
        .get_typed_func::<i32, i32>(&mut store, "sq")
        .unwrap();
    let sum_sq = instance
        .get_typed_func::<i32, i32>(&mut store, "sum_sq")
        .unwrap();
    assert_eq!(sq.call(&mut store, 7).unwrap(), 49);
    assert_eq!(sq.call(&mut store, 8).unwrap(), 64);
    assert_eq!(module.compiled_functions(), 0);
    assert_eq!(tier_of(&store, "sq"), Some(FuncTier::Interpreted));
    // The third call crosses the threshold: it finishes in the interpreter,
    // later calls enter the compiled code.
    assert_eq!(sq.call(&mut store, 9).unwrap(), 81);
    assert_eq!(module.compiled_functions(), 1);
    assert!(
        matches!(tier_of(&store, "sq"), Some(FuncTier::Compiled { code_bytes, .. }) if code_bytes > 0)
    );
    assert_eq!(sq.call(&mut store, -3).unwrap(), 9);
    // Interpreted code calls the compiled `sq`, and `sum_sq` itself tiers
    // up on its third call, while its callee is already compiled.
    for _ in 0..4 {
        assert_eq!(sum_sq.call(&mut store, 10).unwrap(), 385);
    }
    assert_eq!(module.compiled_functions(), 2);
    // The interpreter stopped counting `sq` once it was compiled.
    let calls = stats_of(&store, "sq").unwrap().calls;
    assert_eq!(calls, 3);
}

/// With background compilation (the default), a hot function keeps running
/// in the interpreter, with correct results, until the compiler thread has
/// its code; then a later call swaps it in, and its callers reach it.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn background_compilation_swaps_code_in_on_a_later_call() {
    let mut config = Config::new();
    config.strategy(Strategy::Tiered).jit_threshold(5);
    let engine = Engine::new(&config).unwrap();
    let (mut store, instance) = setup(
        &engine,
        r#"(module
            (func $mix (export "mix") (param i32) (result i32)
              (i32.xor (i32.mul (local.get 0) (i32.const 0x9E3779B1)) (i32.const 7)))
            (func (export "twice") (param i32) (result i32)
              (call $mix (call $mix (local.get 0)))))"#,
    );
    let mix = instance
        .get_typed_func::<i32, i32>(&mut store, "mix")
        .unwrap();
    let twice = instance
        .get_typed_func::<i32, i32>(&mut store, "twice")
        .unwrap();
    let expect = |x: i32| (x.wrapping_mul(0x9E3779B1u32 as i32)) ^ 7;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut calls = 0u64;
    while tier_of(&store, "mix") == Some(FuncTier::Interpreted) || tier_of(&store, "mix").is_none()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "not compiled after {calls} calls"
        );
        assert_eq!(
            mix.call(&mut store, calls as i32).unwrap(),
            expect(calls as i32)
        );
        calls += 1;
        if calls > 5 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    assert!(calls >= 5, "compiled before the threshold: {calls}");
    // The store swaps the code in when the interpreter next asks, a few
    // calls later.
    for x in 0..16 {
        assert_eq!(mix.call(&mut store, x).unwrap(), expect(x));
    }
    let interpreted = stats_of(&store, "mix").unwrap().calls;
    // From now on the interpreter no longer sees calls of `mix`, from the
    // host or from `twice` (interpreted or compiled).
    for x in 0..50 {
        assert_eq!(twice.call(&mut store, x).unwrap(), expect(expect(x)));
        assert_eq!(mix.call(&mut store, x).unwrap(), expect(x));
    }
    assert_eq!(stats_of(&store, "mix").unwrap().calls, interpreted);
}

/// Under background compilation too, a function whose loop gets hot is
/// compiled by that call: its next calls (too few to reach the call
/// threshold) run compiled code, not the interpreter.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn background_compilation_compiles_hot_loops_at_once() {
    let mut config = Config::new();
    config
        .strategy(Strategy::Tiered)
        .jit_threshold(100)
        .jit_loop_threshold(1000);
    let engine = Engine::new(&config).unwrap();
    let (mut store, instance) = setup(
        &engine,
        r#"(module
            (func (export "count") (param i32) (result i64) (local $acc i64)
              (loop $l
                (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get 0))))
                (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
                (br_if $l))
              (local.get $acc)))"#,
    );
    let count = instance
        .get_typed_func::<i32, i64>(&mut store, "count")
        .unwrap();
    assert_eq!(count.call(&mut store, 5000).unwrap(), 12_502_500);
    assert!(matches!(
        tier_of(&store, "count"),
        Some(FuncTier::Compiled { .. })
    ));
    for _ in 0..3 {
        assert_eq!(count.call(&mut store, 5000).unwrap(), 12_502_500);
    }
    assert_eq!(stats_of(&store, "count").unwrap().calls, 1);
}

/// A function whose loop gets hot is compiled, so its next call runs
/// compiled code; recursion that crosses the threshold mid-way finishes
/// correctly with frames of both tiers on the stack.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn tiered_compiles_hot_loops_and_mid_recursion() {
    let engine = tiered_engine(10, 1000);
    let (mut store, instance) = setup(
        &engine,
        r#"(module
            (func (export "count") (param i32) (result i64) (local $acc i64)
              (loop $l
                (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get 0))))
                (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
                (br_if $l))
              (local.get $acc))
            (func $fib (export "fib") (param i32) (result i32)
              (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
                (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                               (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"#,
    );
    let count = instance
        .get_typed_func::<i32, i64>(&mut store, "count")
        .unwrap();
    assert_eq!(count.call(&mut store, 100).unwrap(), 5050);
    assert_eq!(tier_of(&store, "count"), Some(FuncTier::Interpreted));
    assert_eq!(count.call(&mut store, 5000).unwrap(), 12_502_500);
    assert!(matches!(
        tier_of(&store, "count"),
        Some(FuncTier::Compiled { .. })
    ));
    assert_eq!(count.call(&mut store, 5000).unwrap(), 12_502_500);
    let fib = instance
        .get_typed_func::<i32, i32>(&mut store, "fib")
        .unwrap();
    assert_eq!(fib.call(&mut store, 20).unwrap(), 6765);
    assert!(matches!(
        tier_of(&store, "fib"),
        Some(FuncTier::Compiled { .. })
    ));
    assert_eq!(fib.call(&mut store, 21).unwrap(), 10946);
}

/// Every instance of a module in the store switches to the compiled code,
/// and instances made later start with it.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn tier_up_reaches_every_instance() {
    let engine = tiered_engine(2, 1_000_000);
    let module = Module::new(
        &engine,
        r#"(module (memory 1)
            (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
            (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    let a = linker.instantiate(&mut store, &module).unwrap();
    let b = linker.instantiate(&mut store, &module).unwrap();
    let poke_a = a
        .get_typed_func::<(i32, i32), ()>(&mut store, "poke")
        .unwrap();
    let poke_b = b
        .get_typed_func::<(i32, i32), ()>(&mut store, "poke")
        .unwrap();
    let peek_b = b.get_typed_func::<i32, i32>(&mut store, "peek").unwrap();
    poke_a.call(&mut store, (0, 1)).unwrap();
    poke_a.call(&mut store, (0, 2)).unwrap();
    assert_eq!(module.compiled_functions(), 1);
    // b's `poke` runs compiled code, on b's own memory.
    poke_b.call(&mut store, (4, 99)).unwrap();
    assert_eq!(peek_b.call(&mut store, 4).unwrap(), 99);
    assert_eq!(peek_b.call(&mut store, 0).unwrap(), 0);
    let c = linker.instantiate(&mut store, &module).unwrap();
    let poke_c = c
        .get_typed_func::<(i32, i32), ()>(&mut store, "poke")
        .unwrap();
    let err = poke_c.call(&mut store, (65535, 1)).unwrap_err();
    assert!(
        err.to_string().contains("out of bounds memory access"),
        "{err}"
    );
    let calls = stats_of(&store, "poke").unwrap().calls;
    assert_eq!(calls, 2, "only a's first two calls were interpreted");
}

/// Under the `jit` strategy a function the JIT refuses (here: over the
/// size limit) stays in the interpreter for good, with its reason; compiled
/// and interpreted functions call each other, and traps (explicit,
/// division, out of bounds, stack overflow) come back as traps.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn jit_and_interpreter_functions_mix() {
    let mut config = Config::new();
    config.strategy(Strategy::Jit).jit_max_function_size(40);
    let engine = Engine::new(&config).unwrap();
    let nops = "nop ".repeat(50);
    let module = Module::new(
        &engine,
        format!(
            r#"(module
            (memory 1)
            (func $fib (export "fib") (param i32) (result i32)
              (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
                (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                               (call $half (i32.sub (local.get 0) (i32.const 2)))))))
            ;; too big for the JIT: interpreted; it calls back into fib.
            (func $half (param i32) (result i32)
              {nops}
              (call $fib (i32.trunc_f64_s (f64.convert_i32_s (local.get 0)))))
            (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
            (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
            (func (export "deep") (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                (else (i32.add (i32.const 1) (call 4 (i32.sub (local.get 0) (i32.const 1))))))))"#
        ),
    )
    .unwrap();
    assert_eq!(module.compiled_functions(), 4);
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let fib = instance
        .get_typed_func::<i32, i32>(&mut store, "fib")
        .unwrap();
    assert_eq!(fib.call(&mut store, 20).unwrap(), 6765);
    let div = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "div")
        .unwrap();
    assert_eq!(div.call(&mut store, (7, 2)).unwrap(), 3);
    assert_eq!(
        div.call(&mut store, (1, 0)).unwrap_err().trap_code(),
        Some(TrapCode::IntegerDivideByZero)
    );
    assert_eq!(
        div.call(&mut store, (i32::MIN, -1))
            .unwrap_err()
            .trap_code(),
        Some(TrapCode::IntegerOverflow)
    );
    let load = instance
        .get_typed_func::<i32, i32>(&mut store, "load")
        .unwrap();
    assert_eq!(load.call(&mut store, 65532).unwrap(), 0);
    assert_eq!(
        load.call(&mut store, 65533).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        load.call(&mut store, -1).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    let deep = instance
        .get_typed_func::<i32, i32>(&mut store, "deep")
        .unwrap();
    assert_eq!(deep.call(&mut store, 10_000).unwrap(), 10_000);
    assert_eq!(
        deep.call(&mut store, 100_000_000).unwrap_err().trap_code(),
        Some(TrapCode::StackOverflow)
    );
    // Still usable after all those traps.
    assert_eq!(fib.call(&mut store, 10).unwrap(), 55);
    match tier_of(&store, "half") {
        Some(FuncTier::Rejected { reason }) => assert!(reason.contains("limit"), "{reason}"),
        other => panic!("half: {other:?}"),
    }
    assert!(matches!(
        tier_of(&store, "fib"),
        Some(FuncTier::Compiled { .. })
    ));
}

#[test]
fn counters_record_calls_and_loops() {
    // The interpreter counts what it runs: keep everything there.
    let engine = Engine::new(Config::new().strategy(Strategy::Interp)).unwrap();
    let (mut store, instance) = setup(
        &engine,
        r#"(module
            (func $leaf (result i32) (i32.const 1))
            (func (export "run") (param $n i32) (result i32) (local $acc i32)
              (loop $l
                (local.set $acc (i32.add (local.get $acc) (call $leaf)))
                (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
              (local.get $acc)))"#,
    );
    let run = instance
        .get_typed_func::<i32, i32>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, 50).unwrap(), 50);
    let stats = store.func_stats();
    let leaf = stats.iter().find(|s| s.index == 0).unwrap();
    let run = stats.iter().find(|s| s.name == "run").unwrap();
    assert_eq!(leaf.calls, 50);
    assert_eq!(run.calls, 1);
    assert_eq!(run.loop_iterations, 50);
}

/// `call_indirect` in compiled code: calls through the table, and the three
/// ways it can trap.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn jit_call_indirect_checks_and_traps() {
    let engine = jit_engine();
    let module = Module::new(
        &engine,
        r#"(module
            (type $ii (func (param i32) (result i32)))
            (type $v (func))
            (table 4 funcref)
            (elem (i32.const 0) $double $nop)
            (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
            (func $nop (type $v))
            (func (export "call") (param i32 i32) (result i32)
              (call_indirect (type $ii) (local.get 1) (local.get 0))))"#,
    )
    .unwrap();
    assert_eq!(module.compiled_functions(), 3);
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let call = instance
        .get_typed_func::<(i32, i32), i32>(&mut store, "call")
        .unwrap();
    assert_eq!(call.call(&mut store, (0, 21)).unwrap(), 42);
    let trap = |r: Result<i32>| r.unwrap_err().trap_code();
    assert_eq!(
        trap(call.call(&mut store, (1, 0))),
        Some(TrapCode::IndirectCallTypeMismatch)
    );
    assert_eq!(
        trap(call.call(&mut store, (2, 0))),
        Some(TrapCode::UninitializedElement)
    );
    assert_eq!(
        trap(call.call(&mut store, (4, 0))),
        Some(TrapCode::UndefinedElement)
    );
    assert_eq!(
        trap(call.call(&mut store, (-1, 0))),
        Some(TrapCode::UndefinedElement)
    );
}

/// memory.size and memory.grow in compiled code, and loads after growth.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn jit_memory_grows() {
    let engine = jit_engine();
    let module = Module::new(
        &engine,
        r#"(module (memory 1 3)
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
            (func (export "size") (result i32) (memory.size))
            (func (export "poke") (param i32) (result i32)
              (i32.store (local.get 0) (i32.const 7)) (i32.load (local.get 0))))"#,
    )
    .unwrap();
    assert_eq!(module.compiled_functions(), 3);
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let grow = instance
        .get_typed_func::<i32, i32>(&mut store, "grow")
        .unwrap();
    let size = instance
        .get_typed_func::<(), i32>(&mut store, "size")
        .unwrap();
    let poke = instance
        .get_typed_func::<i32, i32>(&mut store, "poke")
        .unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 1);
    assert_eq!(
        poke.call(&mut store, 70_000).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(grow.call(&mut store, 1).unwrap(), 1);
    assert_eq!(size.call(&mut store, ()).unwrap(), 2);
    assert_eq!(poke.call(&mut store, 70_000).unwrap(), 7);
    assert_eq!(grow.call(&mut store, 5).unwrap(), -1);
}

/// An engine that compiles every function it can.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn jit_engine() -> Engine {
    let mut config = Config::new();
    config.strategy(Strategy::Jit);
    Engine::new(&config).unwrap()
}

/// A fresh store with `wat` instantiated (no imports).
fn setup(engine: &Engine, wat: &str) -> (Store<()>, Instance) {
    let module = Module::new(engine, wat).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine)
        .instantiate(&mut store, &module)
        .unwrap();
    (store, instance)
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn osr_of(store: &Store<()>, name: &str) -> usize {
    stats_of(store, name).map_or(0, |s| s.osr_entries)
}

/// A call whose loop gets hot moves into compiled code at the loop header
/// (OSR) with all its locals, of every type, and finishes there: results
/// reach an interpreted caller, traps raised after the switch are the
/// interpreter's traps, and the store stays usable.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn hot_loops_move_running_calls_to_compiled_code() {
    let engine = tiered_engine(1_000_000, 100);
    let (mut store, instance) = setup(
        &engine,
        r#"(module
            (memory 1)
            (elem declare func $kernel)
            (func $kernel (param $n i32) (param $trap_at i32) (result i64 f64)
              (local $i i32) (local $a i64) (local $x f64) (local $y f32) (local $r funcref)
              (local.set $a (i64.const 5))
              (local.set $x (f64.const 0.5))
              (local.set $y (f32.const 2))
              (local.set $r (ref.func $kernel))
              (block $done
                (loop $l
                  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                  ;; a trap that can only happen after the call moved to compiled code
                  (if (i32.eq (local.get $i) (local.get $trap_at))
                    (then (i32.store (i32.const 70000) (i32.const 1))))
                  (i32.store (i32.mul (i32.and (local.get $i) (i32.const 255)) (i32.const 4)) (local.get $i))
                  (local.set $a (i64.add (local.get $a) (i64.extend_i32_u (local.get $i))))
                  (local.set $x (f64.add (local.get $x) (f64.promote_f32 (local.get $y))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $l)))
              (if (ref.is_null (local.get $r)) (then unreachable))
              (local.get $a) (local.get $x))
            ;; An interpreted caller: the OSR'd call returns into its frame.
            (func (export "outer") (param i32 i32) (result i64 f64 i32)
              (call $kernel (local.get 0) (local.get 1))
              (i32.load (i32.const 4)))
            (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
              (loop $o
                (local.set $j (i32.const 0))
                (loop $in
                  (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $j))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br_if $in (i32.lt_u (local.get $j) (local.get $n))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $o (i32.lt_u (local.get $i) (local.get $n))))
              (local.get $s)))"#,
    );
    let outer = instance.get_func(&mut store, "outer").unwrap();
    let mut results = [Val::I32(0), Val::I32(0), Val::I32(0)];
    outer
        .call(&mut store, &[Val::I32(1000), Val::I32(-1)], &mut results)
        .unwrap();
    // a = 5 + sum(0..1000), x = 0.5 + 1000 * 2, memory[4] = the last i with i % 256 == 1.
    assert_eq!(results[0].i64(), Some(5 + 999 * 1000 / 2));
    assert_eq!(results[1].f64(), Some(2000.5));
    assert_eq!(results[2].i32(), Some(769));
    assert_eq!(osr_of(&store, "kernel"), 1);
    // The next call of the same loop runs compiled from its start (the
    // function was compiled too), and traps like the interpreter.
    let err = outer
        .call(&mut store, &[Val::I32(1000), Val::I32(500)], &mut results)
        .unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{err}");
    outer
        .call(&mut store, &[Val::I32(3), Val::I32(-1)], &mut results)
        .unwrap();
    assert_eq!(results[0].i64(), Some(8));
    // Nested loops: the inner one gets hot first, mid-way through the outer.
    let nested = instance
        .get_typed_func::<i32, i32>(&mut store, "nested")
        .unwrap();
    let n = 60u64;
    let want = (n * (n - 1) / 2).pow(2) as i32;
    assert_eq!(nested.call(&mut store, 60).unwrap(), want);
    assert!(osr_of(&store, "nested") >= 1);
}

/// A trap raised in compiled code entered by OSR unwinds through
/// interpreted frames below it.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn osr_traps_reach_the_host_through_interpreted_frames() {
    let engine = tiered_engine(1_000_000, 50);
    let (mut store, instance) = setup(
        &engine,
        r#"(module
            (func $spin (param $n i32) (result i32) (local $i i32)
              (loop $l
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
              (i32.div_u (i32.const 1) (i32.sub (local.get $i) (i32.const 200))))
            (func (export "run") (param i32) (result i32)
              (i32.add (i32.const 1) (call $spin (local.get 0)))))"#,
    );
    let run = instance
        .get_typed_func::<i32, i32>(&mut store, "run")
        .unwrap();
    let err = run.call(&mut store, 200).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::IntegerDivideByZero));
    assert_eq!(run.call(&mut store, 201).unwrap(), 2);
    assert_eq!(osr_of(&store, "spin"), 1);
}

/// A function whose liveness exceeds the JIT's budget stays interpreted
/// with the reason, under the default tiered strategy; a deep nest of
/// `if`s with results (which once made liveness allocate 4 GB) compiles.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn huge_shapes_compile_or_stay_interpreted() {
    use std::fmt::Write as _;
    let nest = 60_000;
    let mut deep_if = String::from("(func (export \"deep_if\") (param i32) (result i32)\n");
    deep_if.push_str(&"local.get 0 if (result i32)\n".repeat(nest));
    deep_if.push_str("i32.const 1\n");
    deep_if.push_str(&"else i32.const 2 end\n".repeat(nest));
    deep_if.push_str(")\n");
    // 20,000 locals live across 20,000 branches.
    let locals = 20_000;
    let mut live = format!(
        "(func (export \"live\") (param i32) (result i32) (local {})\n",
        "i32 ".repeat(locals)
    );
    for l in 1..=locals {
        let _ = writeln!(live, "i32.const {l} local.set {l}");
    }
    live.push_str(
        &"block local.get 0 br_if 0 local.get 0 i32.const 1 i32.add local.set 0 end\n"
            .repeat(20_000),
    );
    live.push_str("local.get 0\n");
    for l in 1..=locals {
        let _ = writeln!(live, "local.get {l} i32.add");
    }
    live.push_str(")\n");
    let engine = tiered_engine(2, 1_000_000);
    let wat = format!("(module {deep_if} {live})");
    let (mut store, instance) = setup(&engine, &wat);
    let deep_if = instance
        .get_typed_func::<i32, i32>(&mut store, "deep_if")
        .unwrap();
    let live = instance
        .get_typed_func::<i32, i32>(&mut store, "live")
        .unwrap();
    let sum = (locals * (locals + 1) / 2) as i32;
    for _ in 0..3 {
        assert_eq!(deep_if.call(&mut store, 1).unwrap(), 1);
        assert_eq!(deep_if.call(&mut store, 0).unwrap(), 2);
        // The first block counts local 0 up to 1, which skips all the others.
        assert_eq!(live.call(&mut store, 0).unwrap(), sum + 1);
    }
    assert!(matches!(
        tier_of(&store, "deep_if"),
        Some(FuncTier::Compiled { .. })
    ));
    let reason = match tier_of(&store, "live") {
        Some(FuncTier::Rejected { reason }) => reason,
        other => panic!("live: {other:?}"),
    };
    assert!(reason.contains("too large for the JIT"), "{reason}");
    // Explore says the same (the allocator's refusal).
    let module = Module::new(&engine, &wat).unwrap();
    let live = module.explore(Some("live")).unwrap().remove(0);
    assert_eq!(
        live.jit.unwrap_err(),
        format!("kept in the interpreter: {reason}")
    );
}

#[test]
fn explore_says_which_functions_run_keeps_in_the_interpreter() {
    let mut config = Config::new();
    config.jit_max_function_size(8);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(
        &engine,
        r#"(module
             (func (export "small") (result i32) (i32.const 1))
             (func (export "big") (param i32) (result i32)
               (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1000))))"#,
    )
    .unwrap();
    let reports = module.explore(None).unwrap();
    if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
        assert!(reports[0].jit.is_ok(), "{:?}", reports[0].jit);
    }
    let why = reports[1].jit.as_ref().unwrap_err();
    assert!(
        why.starts_with("kept in the interpreter: the body is"),
        "{why}"
    );
    // The same reason whatever the target asked for.
    for target in [Target::X86_64, Target::Aarch64] {
        let reports = module.explore_for(None, target).unwrap();
        assert!(reports[0].jit.is_ok(), "{:?}", reports[0].jit);
        assert_eq!(reports[1].jit.as_ref().unwrap_err(), why);
    }
}

/// A strategy that never compiles a function keeps it in the interpreter
/// in `explore` too: `interp` (and a build without the JIT) all of them,
/// `mixed` every other one; `explore_for` shows a target's code anyway.
#[test]
fn explore_follows_the_strategy() {
    let wat = r#"(module
         (func (result i32) (i32.const 1))
         (func (result i32) (i32.const 2))
         (func (result i32) (i32.const 3)))"#;
    let explore = |strategy: Strategy| {
        let engine = Engine::new(Config::new().strategy(strategy)).unwrap();
        let module = Module::new(&engine, wat).unwrap();
        let kept: Vec<Option<String>> = module
            .explore(None)
            .unwrap()
            .into_iter()
            .map(|r| r.jit.err())
            .collect();
        let for_target = module.explore_for(None, Target::X86_64).unwrap();
        assert!(for_target.iter().all(|r| r.jit.is_ok()), "{strategy}");
        kept
    };
    let interp = explore(Strategy::Interp);
    for why in &interp {
        let why = why.as_deref().unwrap_or("compiled");
        assert!(
            why.starts_with("kept in the interpreter: ") && why.contains("`interp`"),
            "{why}"
        );
    }
    if !Engine::jit_available() {
        return;
    }
    let mixed = explore(Strategy::Mixed);
    assert!(mixed[0].is_none() && mixed[2].is_none(), "{mixed:?}");
    let why = mixed[1].as_deref().unwrap_or("compiled");
    assert!(
        why.starts_with("kept in the interpreter: ") && why.contains("`mixed`"),
        "{why}"
    );
    for strategy in [Strategy::Jit, Strategy::Tiered] {
        assert!(explore(strategy).iter().all(Option::is_none), "{strategy}");
    }
}
