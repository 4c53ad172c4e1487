;; Traps of every kind raised at the bottom of a long chain of calls
;; (descend -> step_a -> call_indirect step_b -> descend ..., three frames
;; per level, values live across each call), each followed by successful
;; calls on the same instance: the store stays usable, and what the
;; trapped call wrote (globals, memory) before the trap stays written.
;; Under the `mixed` strategy the chain alternates tiers.
;; Expected values come from an independent Python model of the module
;; (wast/gen/trap_deep_chain.py prints the assertions after the module).
(module
  (type $i2i (func (param i32) (result i32)))
  (type $step (func (param i32 i32 i32) (result i32)))
  (memory 1)
  (table $t 4 funcref)
  ;; 0: the right type, 1: a different type, 2: null, 3: the chain's step.
  (elem (table $t) (i32.const 0) func $leaf_ok $other_sig)
  (elem (table $t) (i32.const 3) func $step_b)
  (global $entered (mut i32) (i32.const 0))
  (global $finished (mut i32) (i32.const 0))

  (func $leaf_ok (type $i2i) (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 7)) (i32.const 3)))
  (func $other_sig (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
  (func $runaway (param $n i32) (result i32)
    (i32.add (call $runaway (i32.add (local.get $n) (i32.const 1))) (local.get $n)))

  ;; Where the chain ends: kind 0 returns through call_indirect, kinds 1-13
  ;; trap (each differently), any other kind returns x.
  (func $bottom (param $kind i32) (param $x i32) (result i32)
    (block $other (block $k13 (block $k12 (block $k11 (block $k10 (block $k9 (block $k8 (block $k7
    (block $k6 (block $k5 (block $k4 (block $k3 (block $k2 (block $k1 (block $k0
      (br_table $k0 $k1 $k2 $k3 $k4 $k5 $k6 $k7 $k8 $k9 $k10 $k11 $k12 $k13 $other
        (local.get $kind)))
      (return (call_indirect $t (type $i2i) (local.get $x) (i32.const 0))))
      ;; 1
      (unreachable))
      ;; 2: x / (kind - 2) = x / 0
      (return (i32.div_u (local.get $x) (i32.sub (local.get $kind) (i32.const 2)))))
      ;; 3: INT_MIN / (kind - 4) = INT_MIN / -1
      (return (i32.div_s (i32.const 0x80000000) (i32.sub (local.get $kind) (i32.const 4)))))
      ;; 4: a load at 2 GiB or more
      (return (i32.load (i32.or (local.get $x) (i32.const 0x80000000)))))
      ;; 5: an 8-byte store straddling the end of memory
      (i64.store (i32.const 65532) (i64.extend_i32_u (local.get $x)))
      (return (local.get $x)))
      ;; 6: entry 1 has another type
      (return (call_indirect $t (type $i2i) (local.get $x) (i32.sub (local.get $kind) (i32.const 5)))))
      ;; 7: entry 2 is null
      (return (call_indirect $t (type $i2i) (local.get $x) (i32.sub (local.get $kind) (i32.const 5)))))
      ;; 8: entry 4 is past the end
      (return (call_indirect $t (type $i2i) (local.get $x) (i32.sub (local.get $kind) (i32.const 4)))))
      ;; 9: NaN to integer (0 / 0)
      (return (i32.trunc_f64_s
        (f64.div (f64.const 0) (f64.convert_i32_u (i32.sub (local.get $kind) (i32.const 9)))))))
      ;; 10: -1.0 to unsigned
      (return (i32.trunc_f64_u (f64.convert_i32_s (i32.sub (i32.const 9) (local.get $kind))))))
      ;; 11: runaway recursion
      (return (call $runaway (local.get $x))))
      ;; 12: memory.fill past the end
      (memory.fill (i32.const 65000) (local.get $x) (i32.const 1000))
      (return (local.get $x)))
      ;; 13: table.get past the end
      (drop (table.get $t (i32.add (local.get $kind) (i32.const 100))))
      (return (local.get $x)))
    (local.get $x))

  ;; The chain: descend -> step_a -> (call_indirect) step_b -> descend ...,
  ;; three frames per level, with values live across every call.
  (func $descend (export "descend") (param $kind i32) (param $depth i32) (param $x i32) (result i32)
    (local $r i32)
    (global.set $entered (i32.add (global.get $entered) (i32.const 1)))
    (i32.store (i32.shl (i32.and (local.get $depth) (i32.const 1023)) (i32.const 2)) (local.get $x))
    (local.set $r
      (if (result i32) (i32.eqz (local.get $depth))
        (then (call $bottom (local.get $kind) (local.get $x)))
        (else (call $step_a (local.get $kind) (local.get $depth) (local.get $x)))))
    (global.set $finished (i32.add (global.get $finished) (i32.const 1)))
    (local.get $r))
  (func $step_a (type $step) (param $kind i32) (param $depth i32) (param $x i32) (result i32)
    (local $l i64) (local $d f64)
    (local.set $l (i64.mul (i64.extend_i32_u (local.get $x)) (i64.const 0x9e3779b97f4a7c15)))
    (local.set $d (f64.convert_i32_u (local.get $depth)))
    (i32.add
      (call_indirect $t (type $step)
        (local.get $kind) (local.get $depth)
        (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 1))
        (i32.const 3))
      (i32.xor
        (i32.wrap_i64 (i64.shr_u (local.get $l) (i64.const 32)))
        (i32.trunc_f64_u (f64.mul (local.get $d) (f64.const 0.5))))))
  (func $step_b (type $step) (param $kind i32) (param $depth i32) (param $x i32) (result i32)
    (i32.sub
      (call $descend (local.get $kind) (i32.sub (local.get $depth) (i32.const 1))
        (i32.rotl (local.get $x) (i32.const 5)))
      (local.get $depth)))

  (func (export "entered") (result i32) (global.get $entered))
  (func (export "finished") (result i32) (global.get $finished))
  (func (export "peek") (param $depth i32) (result i32)
    (i32.load (i32.shl (local.get $depth) (i32.const 2))))
  (func (export "last_word") (result i32) (i32.load (i32.const 65532))))

(assert_return (invoke "descend" (i32.const 0) (i32.const 0) (i32.const 1)) (i32.const 0xa))
(assert_return (invoke "descend" (i32.const 0) (i32.const 10) (i32.const 1)) (i32.const 0xb3848769))
(assert_return (invoke "descend" (i32.const 99) (i32.const 10) (i32.const 2)) (i32.const 0x6d04aa0f))
(assert_return (invoke "entered") (i32.const 23))
(assert_return (invoke "finished") (i32.const 23))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x2a60c20d))
;; kind 1: unreachable, 1 level down
(assert_trap (invoke "descend" (i32.const 1) (i32.const 1) (i32.const 1001)) "unreachable")
(assert_return (invoke "entered") (i32.const 25))
(assert_return (invoke "finished") (i32.const 23))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x17780))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 1)) (i32.const 0xe834aa60))
;; kind 2: integer divide by zero, 50 levels down
(assert_trap (invoke "descend" (i32.const 2) (i32.const 50) (i32.const 1002)) "integer divide by zero")
(assert_return (invoke "entered") (i32.const 80))
(assert_return (invoke "finished") (i32.const 27))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x3345f573))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 2)) (i32.const 0xa8b65f92))
;; kind 3: integer overflow, 1000 levels down
(assert_trap (invoke "descend" (i32.const 3) (i32.const 1000) (i32.const 1003)) "integer overflow")
(assert_return (invoke "entered") (i32.const 1085))
(assert_return (invoke "finished") (i32.const 31))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0xe8ad14da))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 3)) (i32.const 0x693814c2))
;; kind 4: out of bounds memory access, 0 levels down
(assert_trap (invoke "descend" (i32.const 4) (i32.const 0) (i32.const 1004)) "out of bounds memory access")
(assert_return (invoke "entered") (i32.const 1090))
(assert_return (invoke "finished") (i32.const 35))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x3ec))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 4)) (i32.const 0x29b9c9f1))
;; kind 5: out of bounds memory access, 1 level down
(assert_trap (invoke "descend" (i32.const 5) (i32.const 1) (i32.const 1005)) "out of bounds memory access")
(assert_return (invoke "entered") (i32.const 1096))
(assert_return (invoke "finished") (i32.const 39))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x17900))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 5)) (i32.const 0xea3b7f21))
;; kind 6: indirect call type mismatch, 50 levels down
(assert_trap (invoke "descend" (i32.const 6) (i32.const 50) (i32.const 1006)) "indirect call type mismatch")
(assert_return (invoke "entered") (i32.const 1151))
(assert_return (invoke "finished") (i32.const 43))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0xdad97f3b))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 6)) (i32.const 0xaabd3453))
;; kind 7: uninitialized element, 1000 levels down
(assert_trap (invoke "descend" (i32.const 7) (i32.const 1000) (i32.const 1007)) "uninitialized element")
(assert_return (invoke "entered") (i32.const 2156))
(assert_return (invoke "finished") (i32.const 47))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x7a12cf73))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 7)) (i32.const 0x6b3ee983))
;; kind 8: undefined element, 0 levels down
(assert_trap (invoke "descend" (i32.const 8) (i32.const 0) (i32.const 1008)) "undefined element")
(assert_return (invoke "entered") (i32.const 2161))
(assert_return (invoke "finished") (i32.const 51))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x3f0))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 8)) (i32.const 0x2bc09eae))
;; kind 9: invalid conversion to integer, 1 level down
(assert_trap (invoke "descend" (i32.const 9) (i32.const 1) (i32.const 1009)) "invalid conversion to integer")
(assert_return (invoke "entered") (i32.const 2167))
(assert_return (invoke "finished") (i32.const 55))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x17a80))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 9)) (i32.const 0xec4253de))
;; kind 10: integer overflow, 50 levels down
(assert_trap (invoke "descend" (i32.const 10) (i32.const 50) (i32.const 1010)) "integer overflow")
(assert_return (invoke "entered") (i32.const 2222))
(assert_return (invoke "finished") (i32.const 59))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x4df99a0f))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 10)) (i32.const 0xacc40910))
;; kind 11: call stack exhausted, 1000 levels down
(assert_exhaustion (invoke "descend" (i32.const 11) (i32.const 1000) (i32.const 1011)) "call stack exhausted")
(assert_return (invoke "entered") (i32.const 3227))
(assert_return (invoke "finished") (i32.const 63))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0xc2b7eb15))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 11)) (i32.const 0x6d45be41))
;; kind 12: out of bounds memory access, 0 levels down
(assert_trap (invoke "descend" (i32.const 12) (i32.const 0) (i32.const 1012)) "out of bounds memory access")
(assert_return (invoke "entered") (i32.const 3232))
(assert_return (invoke "finished") (i32.const 67))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x3f4))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 12)) (i32.const 0x2dc7736f))
;; kind 13: out of bounds table access, 1 level down
(assert_trap (invoke "descend" (i32.const 13) (i32.const 1) (i32.const 1013)) "out of bounds table access")
(assert_return (invoke "entered") (i32.const 3238))
(assert_return (invoke "finished") (i32.const 71))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0x17c00))
(assert_return (invoke "descend" (i32.const 0) (i32.const 3) (i32.const 13)) (i32.const 0xee49289f))
;; The trapping store wrote nothing (the check comes before the write).
(assert_return (invoke "last_word") (i32.const 0))
;; Exhaustion again, at once and from deep down, then a deep successful chain.
(assert_exhaustion (invoke "descend" (i32.const 11) (i32.const 0) (i32.const 5)) "call stack exhausted")
(assert_exhaustion (invoke "descend" (i32.const 11) (i32.const 2000) (i32.const 6)) "call stack exhausted")
(assert_return (invoke "descend" (i32.const 0) (i32.const 2000) (i32.const 7)) (i32.const 0xcf55edd2))
(assert_trap (invoke "descend" (i32.const 2) (i32.const 2000) (i32.const 8)) "integer divide by zero")
(assert_return (invoke "descend" (i32.const 0) (i32.const 2000) (i32.const 9)) (i32.const 0x8495850f))
(assert_return (invoke "entered") (i32.const 11247))
(assert_return (invoke "finished") (i32.const 4077))
(assert_return (invoke "peek" (i32.const 0)) (i32.const 0xbb6629ab))

