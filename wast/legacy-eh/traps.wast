;; Exception handling, legacy form: traps are not exceptions. No catch, no
;; catch_all, no delegate and no rethrow sees a trap: it unwinds every frame
;; to the host, and none of the handlers on the way runs (checked through a
;; global that each handler would set). The instance stays usable afterwards.
;; After upstream's unreachable-not-caught and trap-in-callee, extended to
;; more trap kinds and to traps raised inside catch bodies.
;; Legacy try is in its flat form (the `wast` crate 263 parses no folded try).
;; Expected results checked with tests/oracle/node_wast_check.mjs.

(module
  (tag $e0)
  (tag $e-i32 (param i32))
  (global $handled (mut i32) (i32.const 0))
  (memory 1)
  (type $v-i (func (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $ret-1 $trap-unreachable)

  (func $ret-1 (result i32) (i32.const 1))
  (func $trap-unreachable (result i32) (unreachable))
  (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))

  (func (export "handled") (result i32) (global.get $handled))
  (func (export "reset") (global.set $handled (i32.const 0)))

  (func (export "unreachable-in-try")
    try
      (unreachable)
    catch_all
      (global.set $handled (i32.const 1))
    end)
  (func (export "unreachable-in-try-tagged")
    try
      (unreachable)
    catch $e0
      (global.set $handled (i32.const 2))
    end)
  (func (export "div-in-callee") (param i32 i32) (result i32)
    try (result i32)
      (call $div (local.get 0) (local.get 1))
    catch_all
      (global.set $handled (i32.const 3))
      (i32.const 11)
    end)
  (func (export "oob-load") (param i32) (result i32)
    try (result i32)
      (i32.load (local.get 0))
    catch_all
      (global.set $handled (i32.const 4))
      (i32.const -1)
    end)
  (func (export "call-indirect") (param i32) (result i32)
    try (result i32)
      (call_indirect (type $v-i) (local.get 0))
    catch_all
      (global.set $handled (i32.const 5))
      (i32.const -1)
    end)
  (func (export "trunc-overflow") (param f32) (result i32)
    try (result i32)
      (i32.trunc_f32_s (local.get 0))
    catch_all
      (global.set $handled (i32.const 6))
      (i32.const -1)
    end)
  ;; A trap inside nested tries and a delegate: nothing on the way runs.
  (func (export "trap-through-nested") (param i32) (result i32)
    try (result i32)
      try $t (result i32)
        try (result i32)
          try (result i32)
            (call $div (i32.const 1) (local.get 0))
          delegate $t
        catch_all
          (global.set $handled (i32.const 7))
          (i32.const -1)
        end
      catch_all
        (global.set $handled (i32.const 8))
        (i32.const -2)
      end
    catch_all
      (global.set $handled (i32.const 9))
      (i32.const -3)
    end)
  ;; A trap in a catch body (after an exception was caught) is a trap too.
  (func (export "trap-in-catch") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e-i32 (local.get 0))
      catch $e-i32
        (local.set 0)
        (global.set $handled (i32.const 10))
        (i32.div_u (i32.const 100) (local.get 0))
      end
    catch_all
      (global.set $handled (i32.const 11))
      (i32.const -1)
    end)
  ;; A trap in a callee's catch_all, on the way of an exception.
  (func $cleanup-traps
    try
      (throw $e0)
    catch_all
      (global.set $handled (i32.const 12))
      (unreachable)
    end)
  (func (export "trap-in-cleanup") (result i32)
    try (result i32)
      (call $cleanup-traps)
      (i32.const 0)
    catch_all
      (global.set $handled (i32.const 13))
      (i32.const -1)
    end)
  ;; Between a rethrow and its catcher, a trap wins.
  (func (export "trap-after-rethrow-caught") (result i32)
    try (result i32)
      try
        (throw $e0)
      catch_all
        try
          rethrow 1
        catch_all
          (global.set $handled (i32.const 14))
          (unreachable)
        end
      end
      (i32.const 0)
    catch_all
      (global.set $handled (i32.const 15))
      (i32.const -1)
    end)
  ;; Deep: a trap 500 frames down, each frame inside a try/catch_all.
  (func $deep (param i32) (result i32)
    try (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (unreachable))
        (else (call $deep (i32.sub (local.get 0) (i32.const 1)))))
    catch_all
      (global.set $handled (i32.add (global.get $handled) (i32.const 1)))
      (i32.const -1)
    end)
  (func (export "deep-trap") (param i32) (result i32) (call $deep (local.get 0)))
)

(assert_trap (invoke "unreachable-in-try") "unreachable")
(assert_return (invoke "handled") (i32.const 0))
(assert_trap (invoke "unreachable-in-try-tagged") "unreachable")
(assert_return (invoke "handled") (i32.const 0))
(assert_return (invoke "div-in-callee" (i32.const 7) (i32.const 2)) (i32.const 3))
(assert_trap (invoke "div-in-callee" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div-in-callee" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_return (invoke "handled") (i32.const 0))
(assert_return (invoke "oob-load" (i32.const 0)) (i32.const 0))
(assert_trap (invoke "oob-load" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "handled") (i32.const 0))
(assert_return (invoke "call-indirect" (i32.const 0)) (i32.const 1))
(assert_trap (invoke "call-indirect" (i32.const 1)) "unreachable")
(assert_trap (invoke "call-indirect" (i32.const 2)) "uninitialized element")
(assert_trap (invoke "call-indirect" (i32.const 3)) "undefined element")
(assert_return (invoke "handled") (i32.const 0))
(assert_return (invoke "trunc-overflow" (f32.const -7.5)) (i32.const -7))
(assert_trap (invoke "trunc-overflow" (f32.const 3e9)) "integer overflow")
(assert_trap (invoke "trunc-overflow" (f32.const nan)) "invalid conversion to integer")
(assert_return (invoke "handled") (i32.const 0))
(assert_return (invoke "trap-through-nested" (i32.const 1)) (i32.const 1))
(assert_trap (invoke "trap-through-nested" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "handled") (i32.const 0))

(assert_return (invoke "trap-in-catch" (i32.const 5)) (i32.const 20))
(assert_return (invoke "handled") (i32.const 10))
(invoke "reset")
(assert_trap (invoke "trap-in-catch" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "handled") (i32.const 10))
(assert_trap (invoke "trap-in-cleanup") "unreachable")
(assert_return (invoke "handled") (i32.const 12))
(assert_trap (invoke "trap-after-rethrow-caught") "unreachable")
(assert_return (invoke "handled") (i32.const 14))
(invoke "reset")
(assert_trap (invoke "deep-trap" (i32.const 500)) "unreachable")
(assert_return (invoke "handled") (i32.const 0))

;; Exceptions still work normally after all those traps.
(assert_return (invoke "trap-in-catch" (i32.const 4)) (i32.const 25))
(assert_return (invoke "div-in-callee" (i32.const 9) (i32.const 3)) (i32.const 3))
