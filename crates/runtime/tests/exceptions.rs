//! Exceptions through the embedding API, on every tier: a host function
//! throwing into wasm, an uncaught exception reaching the embedder with
//! its tag, payload and backtrace, the same exception passed on through a
//! host function, and exception references handed to the host and back.

use wx_runtime::{
    Caller, Config, Engine, Error, Exception, Extern, FuncType, Linker, Module, Store, Tag, Val,
    ValType,
};

mod support;

const WAT: &str = r#"
(module $m
  (import "host" "tag" (tag $host (param i32 i64)))
  (import "host" "throw" (func $host_throw (param i32)))
  (import "host" "call_back" (func $call_back (param i32) (result i32)))
  (tag $e (export "e") (param i32))
  (func $thrower (export "thrower") (param i32)
    (throw $e (local.get 0)))
  ;; No handler of its own: compiled under the JIT tiers.
  (func $middle (export "middle") (param i32) (result i32)
    (call $thrower (i32.mul (local.get 0) (i32.const 2)))
    (i32.const -1))
  (func (export "catch_host") (param i32) (result i64)
    (local $y i64)
    (block $h (result i32 i64)
      (try_table (catch $host $h)
        (call $host_throw (local.get 0)))
      (return (i64.const -1)))
    (local.set $y)
    (i64.extend_i32_u)
    (local.get $y)
    (i64.add))
  (func (export "through_host") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $call_back (local.get 0)))))
  (func (export "get_ref") (param i32) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (call $thrower (local.get 0)))
      (unreachable)))
  (func (export "rethrow") (param exnref)
    (throw_ref (local.get 0)))
)
"#;

struct Setup {
    store: Store<()>,
    instance: wx_runtime::Instance,
    host_tag: Tag,
}

fn setup(config: &Config) -> Setup {
    let engine = Engine::new(config).unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let host_tag = Tag::new(&mut store, FuncType::new([ValType::I32, ValType::I64], [])).unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("host", "tag", host_tag).unwrap();
    linker
        .func_wrap(
            "host",
            "throw",
            move |mut caller: Caller<'_, ()>, x: i32| -> wx_runtime::Result<()> {
                let payload = [Val::I32(x), Val::I64(x as i64 * 1000)];
                Err(Exception::throw_new(&mut caller, host_tag, &payload))
            },
        )
        .unwrap();
    linker
        .func_wrap(
            "host",
            "call_back",
            |mut caller: Caller<'_, ()>, x: i32| -> wx_runtime::Result<i32> {
                let Some(Extern::Func(middle)) = caller.get_export("middle") else {
                    panic!("middle is exported");
                };
                let mut out = [Val::I32(0)];
                // The exception comes back as an error; returning it throws
                // it on into the calling wasm code.
                middle.call(&mut caller, &[Val::I32(x)], &mut out)?;
                Ok(out[0].i32().unwrap())
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    Setup {
        store,
        instance,
        host_tag,
    }
}

fn call(s: &mut Setup, name: &str, args: &[Val]) -> Result<Vec<Val>, Error> {
    support::call(&mut s.store, &s.instance, name, args)
}

#[test]
fn a_host_function_throws_into_wasm() {
    for (tier, config) in support::tiers() {
        let mut s = setup(&config);
        for round in 0..3 {
            let r = call(&mut s, "catch_host", &[Val::I32(7)]).unwrap();
            assert_eq!(r, [Val::I64(7007)], "{tier} round {round}");
        }
        let _ = s.host_tag;
    }
}

#[test]
fn an_uncaught_exception_reaches_the_embedder_with_tag_payload_and_backtrace() {
    for (tier, config) in support::tiers() {
        let mut s = setup(&config);
        let e_tag = s
            .instance
            .get_export(&mut s.store, "e")
            .unwrap()
            .into_tag()
            .unwrap();
        for round in 0..3 {
            let err = call(&mut s, "middle", &[Val::I32(21)]).unwrap_err();
            let Error::Exception(x) = err else {
                panic!("{tier}: expected an exception, got {err}");
            };
            assert_eq!(x.tag, e_tag, "{tier} round {round}");
            assert_eq!(x.payload, [Val::I32(42)], "{tier} round {round}");
            assert_eq!(x.tag_name.as_deref(), Some("m!e"), "{tier}");
            let names: Vec<_> = x
                .backtrace
                .frames
                .iter()
                .map(|f| f.func_name.clone().unwrap_or_default())
                .collect();
            assert_eq!(names, ["thrower", "middle"], "{tier} round {round}");
        }
        assert_eq!(
            e_tag.ty(&s.store),
            FuncType::new([ValType::I32], []),
            "{tier}"
        );
    }
}

#[test]
fn an_exception_passes_through_a_host_function_unchanged() {
    for (tier, config) in support::tiers() {
        let mut s = setup(&config);
        for round in 0..3 {
            let r = call(&mut s, "through_host", &[Val::I32(5)]).unwrap();
            assert_eq!(r, [Val::I32(10)], "{tier} round {round}");
        }
    }
}

#[test]
fn exception_references_go_to_the_host_and_back() {
    for (tier, config) in support::tiers() {
        let mut s = setup(&config);
        let r = call(&mut s, "get_ref", &[Val::I32(3)]).unwrap();
        let [Val::ExnRef(Some(exn))] = r[..] else {
            panic!("{tier}: expected an exnref, got {r:?}");
        };
        let err = call(&mut s, "rethrow", &[Val::ExnRef(Some(exn))]).unwrap_err();
        let Error::Exception(x) = err else {
            panic!("{tier}: expected an exception, got {err}");
        };
        assert_eq!(x.exn, exn, "{tier}: the same exception object");
        assert_eq!(x.payload, [Val::I32(3)], "{tier}");
        let err = call(&mut s, "rethrow", &[Val::ExnRef(None)]).unwrap_err();
        assert_eq!(
            err.trap_code(),
            Some(wx_runtime::TrapCode::NullExnRef),
            "{tier}"
        );
    }
}

#[test]
fn tag_imports_are_checked() {
    let engine = Engine::new(&Config::new()).unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let wrong = Tag::new(&mut store, FuncType::new([ValType::I32], [])).unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("host", "tag", wrong).unwrap();
    linker
        .func_wrap("host", "throw", |_: Caller<'_, ()>, _: i32| {})
        .unwrap();
    linker
        .func_wrap("host", "call_back", |_: Caller<'_, ()>, x: i32| x)
        .unwrap();
    let err = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(matches!(err, Error::Link(_)), "{err}");
    assert!(Tag::new(&mut store, FuncType::new([], [ValType::I32])).is_err());
}
