;; Catching in compiled code: landing pads, the values that live into
;; them, nested and chained handler scopes. Under `jit`, `tiered-1`, `osr`
;; and `mixed` the functions with handlers are compiled; every result is
;; the same on all tiers.

(module $pads
  (tag $e (export "e") (param i32))
  (tag $wide (param i32 i64 f32 f64 i32 i64 f32 f64))
  (tag $none)
  (func $throw (param i32) (throw $e (local.get 0)))
  (func $throw-if (param i32) (if (local.get 0) (then (throw $e (local.get 0)))))
  (func $throw-wide (param i32)
    (throw $wide (local.get 0) (i64.const -2) (f32.const 3.5) (f64.const -4.25)
      (i32.const 5) (i64.const 0x7fff_ffff_ffff) (f32.const -0.5) (f64.const 1e300)))

  ;; Values of every type live across the call and into the pad, and on
  ;; past it: they must come back from the frame, not from registers the
  ;; unwound callees destroyed.
  (func (export "live-across") (param $a i32) (param $b i64) (param $c f32) (param $d f64)
    (result i32 i64 f32 f64 i32)
    (local $caught i32)
    (local.set $a (i32.add (local.get $a) (i32.const 1)))
    (local.set $d (f64.mul (local.get $d) (f64.const 2)))
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $throw (i32.const 99))
        (i32.const 0)))
    (local.set $caught)
    (local.get $a) (local.get $b) (local.get $c) (local.get $d) (local.get $caught))

  ;; A payload of eight values of all four types.
  (func (export "wide") (param i32) (result i32 i64 f32 f64 i32 i64 f32 f64)
    (block $h (result i32 i64 f32 f64 i32 i64 f32 f64)
      (try_table (catch $wide $h) (call $throw-wide (local.get 0)))
      (unreachable)))

  ;; Caught in a loop that keeps values in registers (loop splits); the
  ;; values must still be right after each catch.
  (func (export "loop-sum") (param $n i32) (result i64)
    (local $i i32) (local $sum i64) (local $scale i64) (local $f f64) (local $v i32)
    (local.set $scale (i64.const 3))
    (local.set $f (f64.const 0.5))
    (loop $l
      (block $h (result i32)
        (try_table (result i32) (catch $e $h)
          (call $throw-if (i32.and (local.get $i) (i32.const 1)))
          (i32.const 100)))
      (local.set $v)
      (local.set $sum (i64.add (local.get $sum)
        (i64.mul (local.get $scale) (i64.extend_i32_u (local.get $v)))))
      (local.set $f (f64.add (local.get $f) (f64.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (local.get $sum) (i64.trunc_f64_s (local.get $f))))

  ;; A loop inside the handler's scope (entered compiled under `osr`).
  (func (export "loop-in-try") (param $n i32) (result i32)
    (local $i i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.eq (local.get $i) (local.get $n))
            (then (call $throw (i32.mul (local.get $i) (i32.const 3)))))
          (br $l))
        (unreachable)))
    (i32.add (local.get $i)))

  ;; Nested scopes: the inner one does not catch $e, the outer one does;
  ;; the inner catch_all catches $none.
  (func (export "nested") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (result i32) (catch $e $outer)
        (block $inner
          (try_table (catch $none $inner)
            (call $throw (local.get 0))))
        (i32.const -1))))
  (func (export "nested-inner") (result i32)
    (block $outer (result i32)
      (try_table (result i32) (catch $e $outer)
        (block $inner
          (try_table (catch_all $inner)
            (throw $none)))
        (i32.const 7))))

  ;; A throw directly inside the try_table (no call).
  (func (export "direct") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (throw $e (i32.mul (local.get 0) (i32.const 2))))))

  ;; catch_ref then throw_ref out to an outer handler, and a non-ref catch
  ;; of a reference that escaped (the object must stay alive).
  (func $get-ref (param i32) (result exnref)
    (local $r exnref)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (call $throw (local.get 0)))
      (unreachable))
    (local.set $r)
    (drop)
    (local.get $r))
  (func (export "ref-twice") (param i32) (result i32)
    (local $r exnref)
    (local.set $r (call $get-ref (local.get 0)))
    (block $h1 (result i32)
      (try_table (result i32) (catch $e $h1) (throw_ref (local.get $r))))
    (block $h2 (result i32)
      (try_table (result i32) (catch $e $h2) (throw_ref (local.get $r))))
    (i32.add))

  ;; Recursion where every level catches, adds and rethrows.
  (func $levels (param $n i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (throw $e (i32.const 0))))
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $levels (i32.sub (local.get $n) (i32.const 1)))))
    (throw $e (i32.add (local.get $n))))
  (func (export "levels") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (call $levels (local.get 0)))))

  ;; Through call_indirect and a catch_all_ref whose reference is thrown on.
  (type $vi (func (param i32)))
  (table funcref (elem $throw $throw-if))
  (func (export "indirect") (param i32 i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (block $all (result exnref)
          (try_table (catch_all_ref $all)
            (call_indirect (type $vi) (local.get 1) (local.get 0)))
          (return (i32.const -1)))
        (throw_ref))))

  ;; Catching after a trap in an earlier call still works.
  (func $div (param i32) (result i32) (i32.div_u (i32.const 10) (local.get 0)))
  (func (export "trap-then-catch") (param i32) (result i32)
    (block $h
      (try_table (result i32) (catch_all $h)
        (drop (call $div (local.get 0)))
        (call $throw (i32.const 1))
        (i32.const 0))
      (return))
    (i32.const 5))
)

(assert_return (invoke "live-across" (i32.const 10) (i64.const -7) (f32.const 1.5) (f64.const 2.25))
  (i32.const 11) (i64.const -7) (f32.const 1.5) (f64.const 4.5) (i32.const 99))
(assert_return (invoke "wide" (i32.const 1))
  (i32.const 1) (i64.const -2) (f32.const 3.5) (f64.const -4.25)
  (i32.const 5) (i64.const 0x7fff_ffff_ffff) (f32.const -0.5) (f64.const 1e300))
(assert_return (invoke "loop-sum" (i32.const 2000)) (i64.const 305000))
(assert_return (invoke "loop-in-try" (i32.const 1000)) (i32.const 4000))
(assert_return (invoke "nested" (i32.const 6)) (i32.const 6))
(assert_return (invoke "nested-inner") (i32.const 7))
(assert_return (invoke "direct" (i32.const 21)) (i32.const 42))
(assert_return (invoke "ref-twice" (i32.const 8)) (i32.const 16))
(assert_return (invoke "levels" (i32.const 100)) (i32.const 5050))
(assert_return (invoke "levels" (i32.const 3000)) (i32.const 4501500))
(assert_return (invoke "indirect" (i32.const 0) (i32.const 12)) (i32.const 12))
(assert_return (invoke "indirect" (i32.const 1) (i32.const 13)) (i32.const 13))
(assert_return (invoke "indirect" (i32.const 1) (i32.const 0)) (i32.const -1))
(assert_trap (invoke "trap-then-catch" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "trap-then-catch" (i32.const 2)) (i32.const 5))

(register "pads" $pads)

;; A host function's exception and an imported tag: the exception comes
;; from another instance through an import and is caught here.
(module $user
  (import "pads" "e" (tag $e (param i32)))
  (import "pads" "direct" (func $direct (param i32) (result i32)))
  (import "pads" "levels" (func $levels (param i32) (result i32)))
  (func $throw-e (param i32) (result i32) (throw $e (local.get 0)))
  (func (export "cross") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $throw-e (call $direct (local.get 0))))))
)
(assert_return (invoke "cross" (i32.const 4)) (i32.const 8))

;; Legacy form: try/catch, catch_all, rethrow and delegate in compiled code.
(module
  (tag $e (param i32))
  (tag $f (param i64))
  (func $throw (param i32) (throw $e (local.get 0)))
  (func (export "catch-add") (param $x i32) (result i32)
    (local $keep f64)
    (local.set $keep (f64.const 0.25))
    try (result i32)
      (call $throw (local.get $x))
      (i32.const 0)
    catch $e
      (i32.add (i32.const 1))
    end
    (i32.add (i32.trunc_f64_s (f64.mul (local.get $keep) (f64.const 40)))))
  (func (export "rethrow-out") (param $x i32) (result i32)
    try (result i32)
      try
        (call $throw (local.get $x))
      catch_all
        (call $throw-if-neg (i32.const 1))
        rethrow 0
      end
      (i32.const 0)
    catch $e
    end)
  (func $throw-if-neg (param i32) (if (i32.lt_s (local.get 0) (i32.const 0)) (then (unreachable))))
  (func (export "delegated") (param $x i32) (result i64)
    try (result i64)
      try
        try
          (throw $f (i64.extend_i32_s (local.get $x)))
        delegate 1
      catch $f
        (drop)
      end
      (i64.const -1)
    catch $f
      (i64.add (i64.const 1000))
    end)
)
(assert_return (invoke "catch-add" (i32.const 4)) (i32.const 15))
(assert_return (invoke "rethrow-out" (i32.const 9)) (i32.const 9))
(assert_return (invoke "delegated" (i32.const 7)) (i64.const 1007))
