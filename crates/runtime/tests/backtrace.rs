//! Traps carry wasm backtraces on every tier: the frames (function names
//! and module offsets) match wasmtime's for the same module, whether the
//! trap happens in interpreted or compiled code, through `call_indirect`,
//! a fault in a load, a host function or mixed tiers.
//!
//! Expected frames were printed by wasmtime-py 51 for `backtrace.wat`:
//! `Trap.frames` as `(module_offset, func_name)` after calling each export.

use wx_runtime::{Caller, Config, Engine, Error, FrameInfo, Linker, Module, Store, TrapCode};

mod support;

const WAT: &str = include_str!("backtrace.wat");

/// Frames as (module offset, function name).
type Frames = &'static [(u32, Option<&'static str>)];

/// (export, argument, expected frames).
const CASES: &[(&str, i32, Frames)] = &[
    (
        "oob",
        65533,
        &[
            (155, Some("load")),
            (184, Some("via_table")),
            (197, Some("twice")),
            (223, None),
        ],
    ),
    (
        "divzero",
        0,
        &[
            (166, Some("div")),
            (184, Some("via_table")),
            (197, Some("twice")),
            (232, None),
        ],
    ),
    (
        "badindex",
        5,
        &[(184, Some("via_table")), (197, Some("twice")), (250, None)],
    ),
    ("unreachable_in_loop", 3, &[(274, None)]),
];

fn instantiate(config: &Config) -> (Store<()>, wx_runtime::Instance) {
    let engine = Engine::new(config).unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "host",
            "fail",
            |_: Caller<'_, ()>, _x: i32| -> wx_runtime::Result<i32> {
                Err(Error::from(TrapCode::Unreachable))
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn frames_of(e: &Error) -> Vec<(u32, Option<&str>)> {
    match e {
        Error::Trap(t) => t
            .backtrace
            .frames
            .iter()
            .map(|f: &FrameInfo| (f.module_offset, f.func_name.as_deref()))
            .collect(),
        other => panic!("expected a trap, got {other}"),
    }
}

#[test]
fn backtraces_match_wasmtime_on_every_tier() {
    for (tier, config) in support::tiers() {
        let (mut store, instance) = instantiate(&config);
        for &(name, arg, want) in CASES {
            let f = instance
                .get_typed_func::<i32, i32>(&mut store, name)
                .unwrap();
            // Twice: the second call may run code compiled meanwhile.
            for round in 0..2 {
                let e = f.call(&mut store, arg).unwrap_err();
                assert_eq!(frames_of(&e), want, "{tier}: {name} (round {round})");
            }
        }
    }
}

#[test]
fn a_failing_host_function_is_the_start_of_the_backtrace() {
    for (tier, config) in support::tiers() {
        let (mut store, instance) = instantiate(&config);
        let f = instance
            .get_typed_func::<i32, i32>(&mut store, "hosttrap")
            .unwrap();
        for round in 0..2 {
            let e = f.call(&mut store, 5).unwrap_err();
            let names: Vec<Option<&str>> = frames_of(&e).into_iter().map(|(_, n)| n).collect();
            assert_eq!(
                names,
                [Some("host"), Some("via_table"), Some("twice"), None],
                "{tier} (round {round})"
            );
        }
    }
}

#[test]
fn deep_recursion_keeps_its_innermost_frames() {
    for (tier, config) in support::tiers() {
        let (mut store, instance) = instantiate(&config);
        let f = instance
            .get_typed_func::<i32, i32>(&mut store, "overflow")
            .unwrap();
        let e = f.call(&mut store, 0).unwrap_err();
        assert_eq!(e.trap_code(), Some(TrapCode::StackOverflow), "{tier}");
        let frames = frames_of(&e);
        assert!(frames.len() >= 100, "{tier}: {} frames", frames.len());
        assert!(
            frames[..100].iter().all(|(_, n)| *n == Some("recurse")),
            "{tier}: {:?}",
            &frames[..5]
        );
        // The store is usable afterwards, and the next trap's backtrace
        // is its own.
        let oob = instance
            .get_typed_func::<i32, i32>(&mut store, "oob")
            .unwrap();
        let e = oob.call(&mut store, 65533).unwrap_err();
        assert_eq!(frames_of(&e).len(), 4, "{tier}");
    }
}
