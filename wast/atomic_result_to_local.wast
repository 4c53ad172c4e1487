;; An atomic instruction's result stored straight into a local
;; (`local.set` right after it): the interpreter's translator retargets the
;; producing instruction's destination to the local, so every atomic that
;; produces a value must name its destination (found by the `tiers` fuzz
;; target: "producers have a dst").
(module
  (memory 1 1 shared)
  (func (export "load") (param i32) (result i32) (local i32)
    (local.set 1 (i32.atomic.load (local.get 0)))
    (local.get 1))
  (func (export "rmw") (param i32 i32) (result i32) (local i32)
    (local.set 1 (i32.atomic.rmw.add (local.get 0) (local.get 1)))
    (i32.add (local.get 1) (i32.atomic.load (local.get 0))))
  (func (export "rmw_into_operand") (param i32 i64) (result i64)
    (local.set 1 (i64.atomic.rmw.sub (local.get 0) (local.get 1)))
    (local.get 1))
  (func (export "cmpxchg") (param i32 i32 i32) (result i32) (local i32)
    (local.set 3 (i32.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
    (local.get 3))
  (func (export "wait") (param i32) (result i32) (local i32)
    (local.set 1 (memory.atomic.wait32 (local.get 0) (i32.const 1) (i64.const 0)))
    (local.get 1))
  (func (export "notify") (param i32) (result i32) (local i32)
    (local.set 1 (memory.atomic.notify (local.get 0) (i32.const 1)))
    (local.get 1)))

(assert_return (invoke "load" (i32.const 0)) (i32.const 0))
(assert_return (invoke "rmw" (i32.const 0) (i32.const 5)) (i32.const 5))
(assert_return (invoke "rmw_into_operand" (i32.const 8) (i64.const 3)) (i64.const 0))
(assert_return (invoke "rmw_into_operand" (i32.const 8) (i64.const 1)) (i64.const -3))
(assert_return (invoke "cmpxchg" (i32.const 0) (i32.const 5) (i32.const 7)) (i32.const 5))
(assert_return (invoke "load" (i32.const 0)) (i32.const 7))
;; Unshared memory would trap; a shared one with no waiter times out (2)
;; or, the value differing, returns "not-equal" (1).
(assert_return (invoke "wait" (i32.const 0)) (i32.const 1))
(assert_return (invoke "notify" (i32.const 0)) (i32.const 0))
