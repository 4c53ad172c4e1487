;; Exceptions crossing tiers: throws and catches meet compiled frames
;; (under `jit`, `mixed`, `tiered-1`, `osr`) between them, and interpreted
;; ones under `mixed`. Every result is the same on all tiers.

(module $a
  (tag $e (export "e") (param i32))
  (tag $empty (export "empty"))
  (func $thrower (export "thrower") (param i32)
    (throw $e (local.get 0)))
  ;; No handler: compiled under the JIT tiers, the exception passes through.
  (func $pass (export "pass") (param i32) (result i32)
    (call $thrower (i32.add (local.get 0) (i32.const 1)))
    (i32.const -1))
  (func $deep (export "deep") (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (call $thrower (i32.const 77))))
    (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "catch-pass") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $pass (local.get 0)))))
  (func (export "catch-deep") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $deep (local.get 0)))))

  ;; A loop (entered compiled under `osr`) whose callee throws on the
  ;; 500th iteration; the handler is in the caller.
  (func $looping (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (if (i32.eq (local.get $i) (local.get $n)) (then (call $thrower (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))
    (unreachable))
  (func (export "catch-loop") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $looping (local.get 0)))))

  ;; Catching inside a loop, many times: the payload comes back each time.
  (func (export "catch-many") (param $n i32) (result i32)
    (local $sum i32)
    (loop $l
      (block $h (result i32)
        (try_table (result i32) (catch $e $h)
          (call $pass (local.get $n))))
      (local.set $sum (i32.add (local.get $sum)))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l))
    (local.get $sum))

  ;; Through call_indirect, and an exnref caught, passed through compiled
  ;; code and thrown again.
  (type $vi (func (param i32)))
  (table 2 funcref)
  (elem (i32.const 0) $thrower $rethrow)
  (func $rethrow (param i32)
    (throw_ref (call $catch-ref (local.get 0))))
  (func $catch-ref (param i32) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (call_indirect (type $vi) (local.get 0) (i32.const 0)))
      (unreachable)))
  (func $keep (param exnref) (result exnref) (local.get 0))
  (func (export "indirect-rethrow") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call_indirect (type $vi) (local.get 0) (i32.const 1))
        (i32.const 0))))
  (func (export "ref-through-compiled") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (throw_ref (call $keep (call $catch-ref (local.get 0)))))))

  ;; Traps are not exceptions.
  (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "trap-not-caught") (param i32) (result i32)
    (block $h
      (try_table (result i32) (catch_all $h)
        (call $div (local.get 0)))
      (return))
    (i32.const -1))

  ;; catch_all after a non-matching catch; empty tags.
  (func (export "catch-all-order") (result i32)
    (block $all
      (block $h (result i32)
        (try_table (catch $e $h) (catch_all $all)
          (throw $empty))
        (unreachable))
      (return))
    (i32.const 9))
)

(assert_return (invoke "catch-pass" (i32.const 41)) (i32.const 42))
(assert_exception (invoke "pass" (i32.const 1)))
(assert_return (invoke "catch-deep" (i32.const 2000)) (i32.const 77))
(assert_return (invoke "catch-loop" (i32.const 500)) (i32.const 500))
(assert_return (invoke "catch-many" (i32.const 1000)) (i32.const 501500))
(assert_return (invoke "indirect-rethrow" (i32.const 5)) (i32.const 5))
(assert_return (invoke "ref-through-compiled" (i32.const 6)) (i32.const 6))
(assert_trap (invoke "trap-not-caught" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "trap-not-caught" (i32.const 1)) (i32.const 1))
(assert_return (invoke "catch-all-order") (i32.const 9))

(register "a" $a)

;; Another instance imports the tag: same tag, caught with its payload;
;; a tag of the same type defined here is a different tag.
(module $b
  (import "a" "e" (tag $e (param i32)))
  (import "a" "pass" (func $pass (param i32) (result i32)))
  (tag $other (param i32))
  (func (export "cross") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $other $h) (catch $e $h)
        (call $pass (local.get 0)))))
  (func (export "other-not-caught") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (throw $other (local.get 0))))))

(assert_return (invoke "cross" (i32.const 10)) (i32.const 11))
(assert_exception (invoke "other-not-caught" (i32.const 3)))

;; Legacy catch bodies that call functions before `rethrow`: the caught
;; exception's hidden slot must survive the callee's frame (callee frames
;; start at their arguments, above the caller's operand slots).
(module
  (tag $e (param i32))
  (global $log (mut i32) (i32.const 0))
  (func $busy (param i32 i32 i32) (result i32)
    (local i64 i64 i64 i64)
    (local.set 3 (i64.const -1)) (local.set 4 (i64.const -1))
    (local.set 5 (i64.const -1)) (local.set 6 (i64.const -1))
    (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2))))
  (func $recurse (param $n i32) (result i32)
    try (result i32)
      (if (i32.eqz (local.get $n)) (then (throw $e (i32.const 5))))
      (call $recurse (i32.sub (local.get $n) (i32.const 1)))
    catch_all
      (global.set $log
        (call $busy (global.get $log) (i32.const 1) (i32.const 0)))
      rethrow 0
    end)
  (func (export "cleanup-then-rethrow") (param i32) (result i32)
    try (result i32)
      (call $recurse (local.get 0))
    catch $e
      (i32.add (global.get $log) (i32.mul (i32.const 100)))
    end))
(assert_return (invoke "cleanup-then-rethrow" (i32.const 20)) (i32.const 2105))

;; Throws in compiled code (functions without handlers compile): a payload
;; longer than the argument registers, floats included, and `throw_ref` of
;; null, which traps.
(module
  (tag $wide (param i32 i64 f32 f64 i32 i64 f64))
  (func $throw-wide (param i32)
    (throw $wide (local.get 0) (i64.const -2) (f32.const 1.5) (f64.const -0.25)
                 (i32.const 5) (i64.const 0x100000000) (f64.const 1e300)))
  (func $throw-null (throw_ref (ref.null exn)))
  (func (export "catch-wide") (param i32) (result i32 i64 f32 f64 i32 i64 f64)
    (block $h (result i32 i64 f32 f64 i32 i64 f64)
      (try_table (catch $wide $h) (call $throw-wide (local.get 0)))
      (unreachable)))
  (func (export "null-ref") (result i32)
    (block $h
      (try_table (catch_all $h) (call $throw-null)))
    (i32.const 1)))
(assert_return (invoke "catch-wide" (i32.const 9))
  (i32.const 9) (i64.const -2) (f32.const 1.5) (f64.const -0.25)
  (i32.const 5) (i64.const 0x100000000) (f64.const 1e300))
(assert_trap (invoke "null-ref") "null exception reference")
