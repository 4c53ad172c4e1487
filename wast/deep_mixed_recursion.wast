;; Deep recursion through several mutually recursive functions. Some use
;; table, bulk-memory and reference operators (table.size, memory.fill,
;; table.get, ref.is_null), which a JIT may leave to the interpreter; under
;; the `mixed` strategy every other function is compiled, so the chain of
;; four crosses tiers on almost every call, with thousands of interpreter
;; and compiled frames live at once. Every
;; function does work after its callee returns, so a frame restored wrongly
;; shows in the result. Expected values come from an independent Python
;; model of these functions (wast/gen/deep_mixed_recursion.py prints the
;; assertions after the module).
(module
  (type $rec (func (param i32 i64) (result i64)))
  (memory 1)
  (table $t 4 funcref)
  (elem (table $t) (i32.const 0) func $ping $pong $pang $bounce)
  (global $visits (mut i32) (i32.const 0))

  ;; Compilable.
  (func $ping (type $rec) (param $n i32) (param $acc i64) (result i64)
    (if (result i64) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (i64.xor
          (call $pong (i32.sub (local.get $n) (i32.const 1))
            (i64.add (i64.mul (local.get $acc) (i64.const 3)) (i64.extend_i32_u (local.get $n))))
          (i64.shl (i64.extend_i32_u (local.get $n)) (i64.const 1))))))

  ;; table.size; counts its visits in memory and in a global.
  (func $pong (type $rec) (param $n i32) (param $acc i64) (result i64)
    (local $slot i32)
    (local.set $slot (i32.shl (i32.and (local.get $n) (i32.const 1023)) (i32.const 2)))
    (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.const 1)))
    (global.set $visits (i32.add (global.get $visits) (i32.const 1)))
    (if (result i64) (i32.eqz (local.get $n))
      (then (i64.add (local.get $acc) (i64.extend_i32_u (table.size $t))))
      (else
        (i64.sub
          (call $pang (i32.sub (local.get $n) (i32.const 1))
            (i64.add (local.get $acc)
              (i64.extend_i32_u (i32.mul (local.get $n) (table.size $t)))))
          (i64.extend_i32_u (local.get $n))))))

  ;; memory.fill and float arithmetic; calls on through the table, to $ping
  ;; for odd n and to $bounce for even n.
  (func $pang (type $rec) (param $n i32) (param $acc i64) (result i64)
    (local $f f64)
    (memory.fill (i32.const 65520) (local.get $n) (i32.const 16))
    (local.set $f (f64.mul (f64.convert_i32_u (local.get $n)) (f64.const 1.5)))
    (if (result i64) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (i64.add
          (call_indirect $t (type $rec)
            (i32.sub (local.get $n) (i32.const 1))
            (i64.xor (local.get $acc) (i64.trunc_f64_s (local.get $f)))
            (select (i32.const 0) (i32.const 3) (i32.and (local.get $n) (i32.const 1))))
          ;; The byte the deepest $pang wrote: every frame above reads the same.
          (i64.load8_u (i32.const 65535))))))

  ;; Compilable.
  (func $bounce (type $rec) (param $n i32) (param $acc i64) (result i64)
    (if (result i64) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (i64.rotl
          (call $ping (i32.sub (local.get $n) (i32.const 1))
            (i64.rotl (local.get $acc) (i64.const 7)))
          (i64.const 3)))))

  (func (export "chain") (param $n i32) (param $acc i64) (result i64)
    (call $ping (local.get $n) (local.get $acc)))
  (func (export "visits") (result i32) (global.get $visits))
  (func (export "slot") (param $i i32) (result i32) (i32.load (i32.shl (local.get $i) (i32.const 2))))

  ;; A second pair: $even compilable, $odd uses ref.is_null and table.get.
  (func $even (export "even") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (i32.add (call $odd (i32.sub (local.get $n) (i32.const 1))) (i32.const 0)))))
  (func $odd (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else
        (if (result i32) (ref.is_null (table.get $t (i32.and (local.get $n) (i32.const 3))))
          (then (i32.const -1))
          (else (call $even (i32.sub (local.get $n) (i32.const 1))))))))

  ;; Runaway recursion across tiers ends in exhaustion, not a crash.
  (func $run_a (export "runaway") (param $n i32) (result i32)
    (i32.add (call $run_b (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func $run_b (param $n i32) (result i32)
    (drop (table.size $t))
    (i32.add (call $run_a (local.get $n)) (i32.const 1))))

(assert_return (invoke "chain" (i32.const 0) (i64.const 0x5)) (i64.const 0x5))
(assert_return (invoke "chain" (i32.const 1) (i64.const 0x5)) (i64.const 0x16))
(assert_return (invoke "chain" (i32.const 7) (i64.const 0x1234)) (i64.const 0x2911bfd))
(assert_return (invoke "chain" (i32.const 4001) (i64.const 0xdeadbeef)) (i64.const 0xdafbbc78293d663f))
(assert_return (invoke "chain" (i32.const 12000) (i64.const 0x1)) (i64.const 0x340d4c7003bfc9dd))
(assert_return (invoke "visits") (i32.const 4004))
(assert_return (invoke "slot" (i32.const 0)) (i32.const 1))
(assert_return (invoke "slot" (i32.const 1)) (i32.const 4))
(assert_return (invoke "slot" (i32.const 500)) (i32.const 0))
(assert_return (invoke "slot" (i32.const 1023)) (i32.const 11))
(assert_return (invoke "even" (i32.const 0)) (i32.const 1))
(assert_return (invoke "even" (i32.const 1)) (i32.const 0))
(assert_return (invoke "even" (i32.const 5000)) (i32.const 1))
(assert_return (invoke "even" (i32.const 20001)) (i32.const 0))
(assert_exhaustion (invoke "runaway" (i32.const 0)) "call stack exhausted")
;; The instance is still usable after exhaustion.
(assert_return (invoke "chain" (i32.const 7) (i64.const 0x1234)) (i64.const 0x2911bfd))
(assert_return (invoke "even" (i32.const 5000)) (i32.const 1))
