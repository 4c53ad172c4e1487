;; Exception handling, legacy form: try / catch / catch_all.
;; After the upstream proposal's test/legacy/exceptions/core/try_catch.wast, restructured
;; and extended: payloads of every number type and several values, catch order,
;; nested tries, catch bodies that throw, state kept across a catch, operand
;; stack depth restored at the catch, calls and call_indirect.
;; Legacy try is in its flat form (the `wast` crate 263 parses no folded try).
;; Expected results checked with tests/oracle/node_wast_check.mjs.

(module
  (tag $e0)
  (tag $e1)
  (tag $e2)
  (tag $e-i32 (param i32))
  (tag $e-i64 (param i64))
  (tag $e-f32 (param f32))
  (tag $e-f64 (param f64))
  (tag $e-mix (param i32 i64 f32 f64))
  (tag $e-pair (param i32 i32))
  (global $log (mut i32) (i32.const 0))
  (memory 1)

  (func $throw-if (param i32) (result i32)
    (if (local.get 0) (then (throw $e0)))
    (i32.const 0))

  ;; Empty tries of every shape.
  (func (export "empty-try")
    try end
    try catch $e0 end
    try catch_all end
    try catch $e0 catch $e1 catch_all end)

  (func (export "simple") (param i32) (result i32)
    try (result i32)
      (if (i32.eqz (local.get 0)) (then (throw $e0)))
      (i32.const 42)
    catch $e0
      (i32.const 23)
    end)

  ;; Payloads of each number type come back from the catch.
  (func (export "catch-i32") (param i32) (result i32)
    try (result i32)
      (throw $e-i32 (local.get 0))
    catch $e-i32
    end)
  (func (export "catch-i64") (param i64) (result i64)
    try (result i64)
      (throw $e-i64 (local.get 0))
    catch $e-i64
    end)
  (func (export "catch-f32") (param f32) (result f32)
    try (result f32)
      (throw $e-f32 (local.get 0))
    catch $e-f32
    end)
  (func (export "catch-f64") (param f64) (result f64)
    try (result f64)
      (throw $e-f64 (local.get 0))
    catch $e-f64
    end)
  ;; NaN bits survive the trip through an exception.
  (func (export "catch-f32-bits") (param i32) (result i32)
    try (result f32)
      (throw $e-f32 (f32.reinterpret_i32 (local.get 0)))
    catch $e-f32
    end
    (i32.reinterpret_f32))
  (func (export "catch-f64-bits") (param i64) (result i64)
    try (result f64)
      (throw $e-f64 (f64.reinterpret_i64 (local.get 0)))
    catch $e-f64
    end
    (i64.reinterpret_f64))
  ;; Several values, of mixed types, in order.
  (func (export "catch-mix") (param i32 i64 f32 f64) (result i32 i64 f32 f64)
    try (result i32 i64 f32 f64)
      (throw $e-mix (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    catch $e-mix
    end)
  (func (export "catch-pair-order") (result i32)
    try (result i32)
      (throw $e-pair (i32.const 10) (i32.const 3))
    catch $e-pair
      (i32.sub)  ;; 10 - 3: the first value is deeper on the stack
    end)
  ;; A payload thrown by a callee.
  (func $throw-i32 (param i32) (throw $e-i32 (local.get 0)))
  (func (export "catch-from-callee") (param i32) (result i32)
    try (result i32)
      (call $throw-i32 (i32.mul (local.get 0) (i32.const 3)))
      (i32.const -1)
    catch $e-i32
      (i32.add (i32.const 1))
    end)

  ;; Several catches: the one for the thrown tag runs, the others do not.
  (func $throw-nth (param i32)
    (block
      (block
        (block
          (block (br_table 0 1 2 3 (local.get 0)))
          (throw $e0))
        (throw $e1))
      (throw $e2))
    (throw $e-i32 (local.get 0)))
  (func (export "multi-catch") (param i32) (result i32)
    try (result i32)
      (call $throw-nth (local.get 0))
      (i32.const -1)
    catch $e2
      (i32.const 12)
    catch $e0
      (i32.const 10)
    catch $e1
      (i32.const 11)
    catch_all
      (i32.const 99)
    end)
  ;; catch_all catches what no catch matched, and only that.
  (func (export "catch-all-only") (param i32) (result i32)
    try (result i32)
      (call $throw-nth (local.get 0))
      (i32.const -1)
    catch_all
      (i32.const 7)
    end)
  ;; Two catches for the same tag: the first one wins.
  (func (export "duplicate-catch") (result i32)
    try (result i32)
      (throw $e1)
    catch $e1
      (i32.const 1)
    catch $e1
      (i32.const 2)
    catch_all
      (i32.const 3)
    end)
  ;; No clause matches: the exception goes on to the caller.
  (func (export "no-match") (param i32) (result i32)
    try (result i32)
      (call $throw-nth (local.get 0))
      (i32.const -1)
    catch $e0
      (i32.const 10)
    catch $e1
      (i32.const 11)
    end)

  ;; Nested tries: the innermost matching one catches.
  (func (export "nested") (param i32) (result i32)
    try (result i32)
      try (result i32)
        try (result i32)
          (call $throw-nth (local.get 0))
          (i32.const 0)
        catch $e0
          (i32.const 1)
        end
      catch $e1
        (i32.const 2)
      catch $e0
        (i32.const -2)  ;; never: the inner try caught $e0
      end
    catch_all
      (i32.const 3)
    end)
  ;; A catch body is not covered by its own try: a throw there goes outward.
  (func (export "throw-in-catch") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e0)
      catch $e0
        (call $throw-nth (local.get 0))
        (i32.const 5)
      catch_all
        (i32.const -5)  ;; never: a catch's own try does not catch its throws
      end
    catch $e0
      (i32.const 10)
    catch $e1
      (i32.const 11)
    end)
  ;; A try nested in a catch body catches throws made there.
  (func (export "try-in-catch") (result i32)
    try (result i32)
      (throw $e0)
    catch $e0
      try (result i32)
        (throw $e-i32 (i32.const 40))
      catch $e-i32
        (i32.add (i32.const 2))
      end
    end)
  ;; A try without catches lets everything through (and is otherwise a block).
  (func (export "catchless") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (call $throw-if (local.get 0))
      end
      (i32.const 10)
      (i32.add)
    catch $e0
      (i32.const 1)
    end)

  ;; The rest of a try body after the throw does not run.
  (func (export "skip-rest") (result i32)
    (global.set $log (i32.const 0))
    try
      (global.set $log (i32.const 1))
      (call $throw-i32 (i32.const 0))
      (global.set $log (i32.const 2))
    catch $e-i32
      (drop)
      (global.set $log (i32.add (global.get $log) (i32.const 10)))
    end
    (global.get $log))
  ;; Locals, globals and memory written in the try body before the throw are
  ;; seen by the catch.
  (func (export "state-in-catch") (param i32) (result i32)
    (local $x i32) (local $y i64)
    (local.set $x (i32.const 1))
    try
      (local.set $x (i32.add (local.get $x) (local.get 0)))
      (local.set $y (i64.const 1000))
      (i32.store (i32.const 16) (i32.const 7))
      (global.set $log (i32.const 100))
      (drop (call $throw-if (i32.const 1)))
      (local.set $x (i32.const -1))
    catch $e0
      (local.set $x
        (i32.add (local.get $x)
          (i32.add (i32.wrap_i64 (local.get $y))
            (i32.add (i32.load (i32.const 16)) (global.get $log)))))
    end
    (local.get $x))
  ;; Values under the try on the operand stack are still there after a catch,
  ;; and values pushed in the try body before the throw are gone.
  (func (export "stack-height") (param i32) (result i32)
    (i32.const 1000)
    (i32.const 200)
    try (result i32)
      (i32.const 1) (i32.const 2) (i32.const 3)
      (call $throw-if (local.get 0))
      (i32.add) (i32.add) (i32.add)
    catch $e0
      (i32.const 30)
    end
    (i32.add)
    (i32.add))
  (func (export "stack-height-mix") (param i32) (result i64)
    (local $r i64)
    (i64.const 5000)
    (f64.const 0.5)
    try (result i64)
      (f32.const 1) (i64.const 2) (i32.const 3)
      (throw $e-i64 (i64.extend_i32_u (local.get 0)))
    catch $e-i64
      (i64.const 10)
      (i64.mul)
    end
    (local.set $r)
    (i64.trunc_f64_s (f64.mul (f64.const 4)))
    (i64.add (local.get $r))
    (i64.add))

  ;; Calls and indirect calls: the exception crosses frames to the try.
  (func $f-throw (param i32) (result i32) (throw $e-i32 (local.get 0)))
  (func $f-ok (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $f-throw-other (param i32) (result i32) (throw $e1))
  (table funcref (elem $f-throw $f-ok $f-throw-other))
  (type $ii (func (param i32) (result i32)))
  (func (export "call-indirect") (param i32 i32) (result i32)
    try (result i32)
      (call_indirect (type $ii) (local.get 1) (local.get 0))
    catch $e-i32
      (i32.const 1000)
      (i32.add)
    catch_all
      (i32.const -1)
    end)
  (func $middle (param i32) (result i32)
    (i32.add (i32.const 1) (call_indirect (type $ii) (local.get 0) (i32.const 0))))
  (func (export "through-frames") (param i32) (result i32)
    try (result i32)
      (call $middle (local.get 0))
    catch $e-i32
    end)
  ;; A callee that catches its own exception returns normally to the caller.
  (func $catches-itself (param i32) (result i32)
    try (result i32)
      (call $f-throw (local.get 0))
    catch $e-i32
      (i32.const 2)
      (i32.mul)
    end)
  (func (export "callee-catches") (param i32) (result i32)
    try (result i32)
      (call $catches-itself (local.get 0))
      (i32.const 1)
      (i32.add)
    catch_all
      (i32.const -1)
    end)

  ;; The setjmp/longjmp shape emscripten emits.
  (func $longjmp (throw $e0))
  (func (export "setjmp") (param $early i32) (result i32)
    (local $v i32)
    try $t
      (br_if $t (local.get $early))
      (local.set $v (i32.const 1))
      (call $longjmp)
      (local.set $v (i32.const 2))
    catch $e0
      (local.set $v (i32.add (local.get $v) (i32.const 10)))
    end
    (local.get $v))
)

(assert_return (invoke "empty-try"))
(assert_return (invoke "simple" (i32.const 0)) (i32.const 23))
(assert_return (invoke "simple" (i32.const 1)) (i32.const 42))

(assert_return (invoke "catch-i32" (i32.const 0)) (i32.const 0))
(assert_return (invoke "catch-i32" (i32.const -1)) (i32.const -1))
(assert_return (invoke "catch-i32" (i32.const 0x7fffffff)) (i32.const 0x7fffffff))
(assert_return (invoke "catch-i64" (i64.const 0)) (i64.const 0))
(assert_return (invoke "catch-i64" (i64.const -1)) (i64.const -1))
(assert_return (invoke "catch-i64" (i64.const 0x123456789abcdef0)) (i64.const 0x123456789abcdef0))
(assert_return (invoke "catch-i64" (i64.const 0x8000000000000000)) (i64.const 0x8000000000000000))
(assert_return (invoke "catch-f32" (f32.const 10.5)) (f32.const 10.5))
(assert_return (invoke "catch-f32" (f32.const -0)) (f32.const -0))
(assert_return (invoke "catch-f32" (f32.const 0x1p-149)) (f32.const 0x1p-149))
(assert_return (invoke "catch-f32" (f32.const -inf)) (f32.const -inf))
(assert_return (invoke "catch-f32" (f32.const nan)) (f32.const nan:canonical))
(assert_return (invoke "catch-f64" (f64.const 5.25)) (f64.const 5.25))
(assert_return (invoke "catch-f64" (f64.const -0)) (f64.const -0))
(assert_return (invoke "catch-f64" (f64.const 0x1p-1074)) (f64.const 0x1p-1074))
(assert_return (invoke "catch-f64" (f64.const inf)) (f64.const inf))
(assert_return (invoke "catch-f64" (f64.const 0x1.fffffffffffffp+1023)) (f64.const 0x1.fffffffffffffp+1023))
(assert_return (invoke "catch-f32-bits" (i32.const 0x7fa00001)) (i32.const 0x7fa00001))
(assert_return (invoke "catch-f32-bits" (i32.const 0xffc00000)) (i32.const 0xffc00000))
(assert_return (invoke "catch-f32-bits" (i32.const 0x80000000)) (i32.const 0x80000000))
(assert_return (invoke "catch-f64-bits" (i64.const 0x7ff4000000000001)) (i64.const 0x7ff4000000000001))
(assert_return (invoke "catch-f64-bits" (i64.const 0xfff8000000000000)) (i64.const 0xfff8000000000000))
(assert_return (invoke "catch-mix" (i32.const -3) (i64.const 0x100000000) (f32.const 0.75) (f64.const -1e300))
  (i32.const -3) (i64.const 0x100000000) (f32.const 0.75) (f64.const -1e300))
(assert_return (invoke "catch-pair-order") (i32.const 7))
(assert_return (invoke "catch-from-callee" (i32.const 5)) (i32.const 16))

(assert_return (invoke "multi-catch" (i32.const 0)) (i32.const 10))
(assert_return (invoke "multi-catch" (i32.const 1)) (i32.const 11))
(assert_return (invoke "multi-catch" (i32.const 2)) (i32.const 12))
(assert_return (invoke "multi-catch" (i32.const 3)) (i32.const 99))
(assert_return (invoke "catch-all-only" (i32.const 0)) (i32.const 7))
(assert_return (invoke "catch-all-only" (i32.const 3)) (i32.const 7))
(assert_return (invoke "duplicate-catch") (i32.const 1))
(assert_return (invoke "no-match" (i32.const 0)) (i32.const 10))
(assert_return (invoke "no-match" (i32.const 1)) (i32.const 11))
(assert_exception (invoke "no-match" (i32.const 2)))
(assert_exception (invoke "no-match" (i32.const 3)))

(assert_return (invoke "nested" (i32.const 0)) (i32.const 1))
(assert_return (invoke "nested" (i32.const 1)) (i32.const 2))
(assert_return (invoke "nested" (i32.const 2)) (i32.const 3))
(assert_return (invoke "nested" (i32.const 3)) (i32.const 3))
(assert_return (invoke "throw-in-catch" (i32.const 0)) (i32.const 10))
(assert_return (invoke "throw-in-catch" (i32.const 1)) (i32.const 11))
(assert_exception (invoke "throw-in-catch" (i32.const 2)))
(assert_return (invoke "try-in-catch") (i32.const 42))
(assert_return (invoke "catchless" (i32.const 0)) (i32.const 10))
(assert_return (invoke "catchless" (i32.const 1)) (i32.const 1))

(assert_return (invoke "skip-rest") (i32.const 11))
(assert_return (invoke "state-in-catch" (i32.const 5)) (i32.const 1113))
(assert_return (invoke "stack-height" (i32.const 0)) (i32.const 1206))
(assert_return (invoke "stack-height" (i32.const 1)) (i32.const 1230))
(assert_return (invoke "stack-height-mix" (i32.const 7)) (i64.const 5072))

(assert_return (invoke "call-indirect" (i32.const 0) (i32.const 5)) (i32.const 1005))
(assert_return (invoke "call-indirect" (i32.const 1) (i32.const 5)) (i32.const 6))
(assert_return (invoke "call-indirect" (i32.const 2) (i32.const 5)) (i32.const -1))
(assert_return (invoke "through-frames" (i32.const 77)) (i32.const 77))
(assert_return (invoke "callee-catches" (i32.const 4)) (i32.const 9))

(assert_return (invoke "setjmp" (i32.const 1)) (i32.const 0))
(assert_return (invoke "setjmp" (i32.const 0)) (i32.const 11))

;; An exception escaping to the host leaves the instance usable.
(assert_exception (invoke "no-match" (i32.const 2)))
(assert_return (invoke "nested" (i32.const 0)) (i32.const 1))

;; Validation of try/catch.
(assert_invalid (module (func (result i32) try (result i32) end))
  "type mismatch: instruction requires [i32] but stack has []")
(assert_invalid (module (func (result i32) try (result i32) (i64.const 42) end))
  "type mismatch: instruction requires [i32] but stack has [i64]")
(assert_invalid (module (tag) (func try catch 0 (i32.const 42) end))
  "type mismatch: block requires [] but stack has [i32]")
(assert_invalid (module (tag (param i64)) (func (result i32) try (result i32) (i32.const 42) catch 0 end))
  "type mismatch: instruction requires [i32] but stack has [i64]")
(assert_invalid (module (tag (param i32 i32)) (func (result i32) try (result i32) (i32.const 42) catch 0 end))
  "type mismatch")
(assert_invalid (module (func try catch_all (i32.const 42) end))
  "type mismatch: block requires [] but stack has [i32]")
(assert_invalid (module (func (result i32) try (result i32) (i32.const 1) catch_all end))
  "type mismatch: instruction requires [i32] but stack has []")
(assert_invalid (module (tag) (func try catch 1 end)) "unknown tag 1")
;; The try body's values are not visible in a catch.
(assert_invalid (module (tag) (func (result i32) try (result i32) (i32.const 1) catch 0 (i32.add (i32.const 1)) end))
  "type mismatch")
;; Misplaced catching instructions. The text parser encodes the flat form
;; as written, so these are validation errors of the binary.
(assert_invalid (module (tag) (func catch 0)) "catch without try")
(assert_invalid (module (func catch_all)) "catch_all without try")
(assert_invalid (module (func (block catch_all))) "catch_all in a block")
(assert_invalid (module (tag) (func try catch_all catch 0 end)) "catch after catch_all")
(assert_invalid (module (func try catch_all catch_all end)) "catch_all twice")

;; Text format: labels and tag names of the flat form.
(assert_malformed (module quote "(func try $a end $b)") "mismatching labels between end and block")
(assert_malformed (module quote "(tag $e) (func try catch $f end)") "unknown tag")
(assert_malformed (module quote "(func try $a (br $b) end)") "unknown label")
