;; Deep wasm recursion runs without native recursion, and runaway recursion
;; ends in "call stack exhausted" rather than a host stack overflow.
(module
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1)))))))
  ;; Many live values per frame, to make frames large.
  (func $wide (export "wide") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64)
    (local.set $a (i64.extend_i32_u (local.get $n)))
    (local.set $b (i64.mul (local.get $a) (i64.const 3)))
    (local.set $c (i64.add (local.get $b) (i64.const 7)))
    (local.set $d (i64.xor (local.get $c) (local.get $a)))
    (if (result i64) (i32.eqz (local.get $n))
      (then (i64.const 0))
      (else
        (i64.add
          (i64.sub (local.get $d) (i64.xor (local.get $c) (local.get $a)))
          (i64.add (i64.const 1) (call $wide (i32.sub (local.get $n) (i32.const 1))))))))
  (func $runaway (export "runaway") (call $runaway))
  (func $mutual_a (export "mutual") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 42))
      (else (call $mutual_b (i32.sub (local.get 0) (i32.const 1))))))
  (func $mutual_b (param i32) (result i32)
    (call $mutual_a (local.get 0))))

(assert_return (invoke "depth" (i32.const 25000)) (i32.const 25000))
(assert_return (invoke "wide" (i32.const 20000)) (i64.const 20000))
(assert_return (invoke "mutual" (i32.const 30000)) (i32.const 42))
(assert_exhaustion (invoke "runaway") "call stack exhausted")
;; The store stays usable after exhaustion.
(assert_return (invoke "depth" (i32.const 10)) (i32.const 10))
