;; Exception handling, legacy form: rethrow.
;; After the upstream proposal's test/legacy/exceptions/core/rethrow.wast, restructured,
;; with payloads telling which exception was rethrown: depth 0 and outer
;; depths, through blocks/loops/ifs inside a catch, rethrow of an outer
;; exception from inside a nested catch and from a nested try body, the same
;; exception rethrown twice, rethrow across calls, and validation.
;; Legacy try is in its flat form (the `wast` crate 263 parses no folded try).
;; Expected results checked with tests/oracle/node_wast_check.mjs.

(module
  (tag $e0)
  (tag $e1)
  (tag $e-i32 (param i32))
  (tag $e-f64 (param f64))
  (global $count (mut i32) (i32.const 0))

  (func (export "catch-rethrow-0")
    try
      (throw $e0)
    catch $e0
      rethrow 0
    end)
  (func (export "catch-all-rethrow-0")
    try
      (throw $e0)
    catch_all
      rethrow 0
    end)
  ;; rethrow from inside an if in the catch: depth 1 names the try.
  (func (export "rethrow-in-if") (param i32) (result i32)
    try (result i32)
      (throw $e0)
    catch $e0
      (if (i32.eqz (local.get 0)) (then rethrow 1))
      (i32.const 23)
    end)
  (func (export "rethrow-in-if-catch-all") (param i32) (result i32)
    try (result i32)
      (throw $e0)
    catch_all
      (if (i32.eqz (local.get 0)) (then rethrow 1))
      (i32.const 23)
    end)
  ;; rethrow with a label name, through a block and a loop.
  (func (export "rethrow-by-name") (result i32)
    try $t (result i32)
      (throw $e-i32 (i32.const 6))
    catch $e-i32
      (drop)
      (block $b
        (loop $l
          rethrow $t))
      (i32.const -1)
    end)

  ;; The rethrown exception keeps its tag and payload: an outer catch for the
  ;; tag gets the original value, also after passing a catch_all.
  (func (export "rethrow-payload") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e-i32 (local.get 0))
      catch $e-i32
        (drop)
        rethrow 0
      end
    catch $e-i32
      (i32.const 1)
      (i32.add)
    end)
  (func (export "rethrow-from-catch-all-keeps-tag") (param f64) (result f64)
    try (result f64)
      try (result f64)
        (throw $e-f64 (local.get 0))
      catch $e0
        (f64.const -1)
      catch_all
        rethrow 0
      end
    catch $e0
      (f64.const -2)
    catch $e-f64
      (f64.neg)
    end)
  ;; A rethrow passes through outer tries that do not match it.
  (func (export "rethrow-skips-non-matching") (result i32)
    try (result i32)
      try (result i32)
        try (result i32)
          (throw $e1)
        catch $e1
          rethrow 0
        end
      catch $e0
        (i32.const 1)
      end
    catch $e1
      (i32.const 2)
    end)

  ;; Nested catches: rethrow 0 rethrows the inner exception, rethrow 1 the
  ;; outer one (the if adds a label, so the depths are 1 and 2 inside it).
  (func (export "rethrow-nested") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e-i32 (i32.const 100))
      catch $e-i32
        (drop)
        try (result i32)
          (throw $e-i32 (i32.const 200))
        catch $e-i32
          (drop)
          (if (i32.eq (local.get 0) (i32.const 0)) (then rethrow 1))
          (if (i32.eq (local.get 0) (i32.const 1)) (then rethrow 2))
          (i32.const 23)
        end
      end
    catch $e-i32
    end)
  ;; The same with the inner catch being a catch_all of a different tag.
  (func (export "rethrow-outer-from-catch-all") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e-i32 (i32.const 7))
      catch $e-i32
        (drop)
        try (result i32)
          (throw $e0)
        catch_all
          (br_if 0 (i32.const 5) (i32.eqz (local.get 0)))
          (drop)
          rethrow 1
        end
      end
    catch $e-i32
    catch $e0
      (i32.const 8)
    end)
  ;; rethrow of the outer exception from the body of a nested try (inside the
  ;; catch), caught again by that nested try.
  (func (export "rethrow-recatch") (param i32) (result i32)
    try (result i32)
      (throw $e-i32 (i32.const 40))
    catch $e-i32
      (drop)
      try (result i32)
        (if (i32.eqz (local.get 0)) (then rethrow 2))
        (i32.const 42)
      catch $e-i32
        (i32.const 5)
        (i32.add)
      end
    end)
  ;; The same exception rethrown twice: once into a nested try, once out.
  (func (export "rethrow-twice") (result i32)
    try (result i32)
      try
        (throw $e-i32 (i32.const 3))
      catch $e-i32
        (global.set $count)
        try
          rethrow 1
        catch $e-i32
          (global.set $count (i32.add (global.get $count)))
        end
        rethrow 0
      end
      (i32.const -1)
    catch $e-i32
      (global.get $count)
      (i32.mul (i32.const 10))
      (i32.add)
    end)
  ;; rethrow inside a loop in the catch, after a few iterations.
  (func (export "rethrow-in-loop") (param i32) (result i32)
    (local $i i32)
    try (result i32)
      try
        (throw $e-i32 (local.get 0))
      catch $e-i32
        (drop)
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.eq (local.get $i) (i32.const 5)) (then rethrow 2))
          (br $l))
      end
      (i32.const -1)
    catch $e-i32
      (i32.add (local.get $i))
    end)

  ;; rethrow across calls: a callee catches and rethrows, the caller catches.
  (func $thrower (param i32) (throw $e-i32 (local.get 0)))
  (func $catch-and-rethrow (param i32)
    try
      (call $thrower (local.get 0))
    catch_all
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      rethrow 0
    end)
  (func (export "rethrow-across-calls") (param i32) (result i32)
    (global.set $count (i32.const 0))
    try (result i32)
      (call $catch-and-rethrow (local.get 0))
      (i32.const -1)
    catch $e-i32
      (i32.add (global.get $count))
    end)
  (func $rethrow-chain (param i32) (param i32)
    (if (i32.eqz (local.get 1))
      (then (call $thrower (local.get 0)))
      (else
        try
          (call $rethrow-chain (local.get 0) (i32.sub (local.get 1) (i32.const 1)))
        catch $e-i32
          (global.set $count (i32.add (global.get $count)))
          rethrow 0
        end)))
  (func (export "rethrow-chain") (param i32 i32) (result i32)
    (global.set $count (i32.const 0))
    try (result i32)
      (call $rethrow-chain (local.get 0) (local.get 1))
      (i32.const -1)
    catch $e-i32
      (drop)
      (global.get $count)
    end)

  ;; rethrow is stack-polymorphic.
  (func (export "rethrow-polymorphic") (result i32)
    try (result i32)
      (throw $e0)
    catch $e0
      (i64.const 1)
      rethrow 0
    end)
)

(assert_exception (invoke "catch-rethrow-0"))
(assert_exception (invoke "catch-all-rethrow-0"))
(assert_exception (invoke "rethrow-in-if" (i32.const 0)))
(assert_return (invoke "rethrow-in-if" (i32.const 1)) (i32.const 23))
(assert_exception (invoke "rethrow-in-if-catch-all" (i32.const 0)))
(assert_return (invoke "rethrow-in-if-catch-all" (i32.const 1)) (i32.const 23))
(assert_exception (invoke "rethrow-by-name"))

(assert_return (invoke "rethrow-payload" (i32.const 41)) (i32.const 42))
(assert_return (invoke "rethrow-payload" (i32.const -1)) (i32.const 0))
(assert_return (invoke "rethrow-from-catch-all-keeps-tag" (f64.const 2.5)) (f64.const -2.5))
(assert_return (invoke "rethrow-skips-non-matching") (i32.const 2))

(assert_return (invoke "rethrow-nested" (i32.const 0)) (i32.const 200))
(assert_return (invoke "rethrow-nested" (i32.const 1)) (i32.const 100))
(assert_return (invoke "rethrow-nested" (i32.const 2)) (i32.const 23))
(assert_return (invoke "rethrow-outer-from-catch-all" (i32.const 0)) (i32.const 5))
(assert_return (invoke "rethrow-outer-from-catch-all" (i32.const 1)) (i32.const 7))
(assert_return (invoke "rethrow-recatch" (i32.const 0)) (i32.const 45))
(assert_return (invoke "rethrow-recatch" (i32.const 1)) (i32.const 42))
(assert_return (invoke "rethrow-twice") (i32.const 63))
(assert_return (invoke "rethrow-in-loop" (i32.const 10)) (i32.const 15))

(assert_return (invoke "rethrow-across-calls" (i32.const 9)) (i32.const 10))
(assert_return (invoke "rethrow-chain" (i32.const 2) (i32.const 0)) (i32.const 0))
(assert_return (invoke "rethrow-chain" (i32.const 2) (i32.const 10)) (i32.const 20))
(assert_return (invoke "rethrow-chain" (i32.const 1) (i32.const 1000)) (i32.const 1000))
(assert_exception (invoke "rethrow-polymorphic"))

;; Validation of rethrow: its label must be a try and the rethrow must be in
;; one of that try's catch bodies.
(assert_invalid (module (func rethrow 0)) "invalid rethrow label")
(assert_invalid (module (func (block rethrow 0))) "invalid rethrow label")
(assert_invalid (module (func try rethrow 0 catch_all end)) "invalid rethrow label")
(assert_invalid (module (func try rethrow 0 delegate 0)) "invalid rethrow label")
(assert_invalid (module (func try catch_all (block rethrow 0) end)) "invalid rethrow label")
(assert_invalid (module (func try catch_all rethrow 1 end)) "invalid rethrow label")
(assert_invalid (module (func try catch_all try rethrow 0 catch_all end end)) "invalid rethrow label")
(assert_invalid (module (func try catch_all rethrow 2 end)) "invalid rethrow label")

;; Text format: a rethrow label must exist.
(assert_malformed (module quote "(func try $a catch_all rethrow $b end)") "unknown label")
