;; Exception handling, legacy form: exceptions crossing module instances.
;; A tag is created per instance; importing it (also through a re-export)
;; keeps its identity, so a catch in one instance matches a throw in another.
;; Two tags of the same type are still different tags, and two instances of
;; one module have different tags. Exceptions cross instances through direct
;; imported calls and through a shared table, and are rethrown and delegated
;; across instances. Not in the upstream legacy tests beyond catch-imported /
;; imported-mismatch; written for wx.
;; Legacy try is in its flat form (the `wast` crate 263 parses no folded try).
;; Expected results checked with tests/oracle/node_wast_check.mjs.

(module $A
  (tag $e (export "e") (param i32))
  (tag $same (export "same") (param i32))  ;; same type as $e, another tag
  (tag $e0 (export "e0"))
  (type $i-v (func (param i32)))
  (table $tab (export "tab") 4 funcref)
  (elem (table $tab) (i32.const 0) func $throw-e)

  (func $throw-e (export "throw-e") (param i32) (throw $e (local.get 0)))
  (func (export "throw-same") (param i32) (throw $same (local.get 0)))
  (func (export "throw-e0") (throw $e0))
  ;; Calls table[i](x), catching A's own $e.
  (func (export "call-tab") (param $i i32) (param $x i32) (result i32)
    try (result i32)
      (call_indirect $tab (type $i-v) (local.get $x) (local.get $i))
      (i32.const -1)
    catch $e
      (i32.const 1000)
      (i32.add)
    catch_all
      (i32.const -2)
    end)
)
(register "A" $A)

(module $B
  (import "A" "e" (tag $e (param i32)))
  (import "A" "same" (tag $a-same (param i32)))
  (import "A" "throw-e" (func $a-throw-e (param i32)))
  (import "A" "throw-same" (func $a-throw-same (param i32)))
  (import "A" "throw-e0" (func $a-throw-e0))
  (import "A" "tab" (table $tab 4 funcref))
  (tag $local (export "local") (param i32))  ;; B's own tag, same type again
  (export "e-again" (tag $e))                ;; re-export of A's tag
  (elem (table $tab) (i32.const 1) func $throw-imported $throw-local)

  (func $throw-imported (export "throw-imported") (param i32) (throw $e (local.get 0)))
  (func $throw-local (export "throw-local") (param i32) (throw $local (local.get 0)))

  (func (export "catch-imported") (param i32) (result i32)
    try (result i32)
      (call $a-throw-e (local.get 0))
      (i32.const -1)
    catch $e
      (i32.const 100)
      (i32.add)
    end)
  ;; A's other tag of the same type does not match $e.
  (func (export "same-type-other-tag") (param i32) (result i32)
    try (result i32)
      (call $a-throw-same (local.get 0))
      (i32.const -1)
    catch $e
      (i32.const 100)
      (i32.add)
    catch_all
      (i32.const -2)
    end)
  ;; ... but its imported name does.
  (func (export "same-type-right-tag") (param i32) (result i32)
    try (result i32)
      (call $a-throw-same (local.get 0))
      (i32.const -1)
    catch $e
      (i32.const 100)
      (i32.add)
    catch $a-same
      (i32.const 200)
      (i32.add)
    end)
  ;; B's own tag of the same type does not match A's exception.
  (func (export "local-tag-no-match") (param i32) (result i32)
    try (result i32)
      (call $a-throw-e (local.get 0))
      (i32.const -1)
    catch $local
      (drop)
      (i32.const -3)
    catch_all
      (i32.const -4)
    end)
  ;; No handler here: A's exception passes through B.
  (func (export "pass-through") (param i32) (result i32)
    (call $a-throw-e (local.get 0))
    (i32.const -1))
  (func (export "pass-e0") (call $a-throw-e0))
  ;; Caught with catch_all and rethrown: still A's $e with its payload.
  (func (export "catch-all-rethrow") (param i32)
    try
      (call $a-throw-e (local.get 0))
    catch_all
      rethrow 0
    end)
  ;; Delegated to the caller, past B's own catch_all.
  (func (export "delegate-to-caller") (param i32)
    try
      try
        (call $a-throw-e (local.get 0))
      delegate 1
    catch_all
    end)
)
(register "B" $B)

(module $C
  (import "B" "e-again" (tag $e-via-b (param i32)))
  (import "A" "e" (tag $e-direct (param i32)))
  (import "B" "local" (tag $b-local (param i32)))
  (import "A" "throw-e" (func $a-throw-e (param i32)))
  (import "B" "throw-imported" (func $b-throw-imported (param i32)))
  (import "B" "throw-local" (func $b-throw-local (param i32)))
  (import "B" "pass-through" (func $b-pass-through (param i32) (result i32)))
  (import "B" "catch-all-rethrow" (func $b-catch-all-rethrow (param i32)))
  (import "B" "delegate-to-caller" (func $b-delegate (param i32)))
  (import "A" "tab" (table $tab 4 funcref))
  (type $i-v (func (param i32)))

  ;; The tag imported through B's re-export is A's tag.
  (func (export "catch-via-reexport") (param i32) (result i32)
    try (result i32)
      (call $a-throw-e (local.get 0))
      (i32.const -1)
    catch $e-via-b
      (i32.const 10)
      (i32.add)
    end)
  ;; Both names are the same tag: the first clause wins.
  (func (export "first-of-two-names") (param i32) (result i32)
    try (result i32)
      (call $b-throw-imported (local.get 0))
      (i32.const -1)
    catch $e-via-b
      (i32.const 20)
      (i32.add)
    catch $e-direct
      (i32.const 30)
      (i32.add)
    end)
  (func (export "b-local") (param i32) (result i32)
    try (result i32)
      (call $b-throw-local (local.get 0))
      (i32.const -1)
    catch $e-direct
      (drop)
      (i32.const -2)
    catch $b-local
      (i32.const 40)
      (i32.add)
    end)
  ;; Through B, which has no handler, from A.
  (func (export "through-b") (param i32) (result i32)
    try (result i32)
      (call $b-pass-through (local.get 0))
    catch $e-direct
      (i32.const 50)
      (i32.add)
    end)
  (func (export "rethrown-by-b") (param i32) (result i32)
    try (result i32)
      (call $b-catch-all-rethrow (local.get 0))
      (i32.const -1)
    catch $e-via-b
      (i32.const 60)
      (i32.add)
    end)
  (func (export "delegated-by-b") (param i32) (result i32)
    try (result i32)
      (call $b-delegate (local.get 0))
      (i32.const -1)
    catch $e-direct
      (i32.const 70)
      (i32.add)
    end)
  ;; Through the table A exports, holding functions of A and B.
  (func (export "via-table") (param i32 i32) (result i32)
    try (result i32)
      (call_indirect $tab (type $i-v) (local.get 1) (local.get 0))
      (i32.const -1)
    catch $e-direct
      (i32.const 80)
      (i32.add)
    catch $b-local
      (i32.const 90)
      (i32.add)
    end)
)

(assert_exception (invoke $A "throw-e" (i32.const 1)))
(assert_exception (invoke $B "throw-imported" (i32.const 1)))
(assert_return (invoke $B "catch-imported" (i32.const 1)) (i32.const 101))
(assert_return (invoke $B "same-type-other-tag" (i32.const 1)) (i32.const -2))
(assert_return (invoke $B "same-type-right-tag" (i32.const 1)) (i32.const 201))
(assert_return (invoke $B "local-tag-no-match" (i32.const 1)) (i32.const -4))
(assert_exception (invoke $B "pass-through" (i32.const 1)))
(assert_exception (invoke $B "pass-e0"))
(assert_exception (invoke $B "catch-all-rethrow" (i32.const 1)))
(assert_exception (invoke $B "delegate-to-caller" (i32.const 1)))

(assert_return (invoke $C "catch-via-reexport" (i32.const 2)) (i32.const 12))
(assert_return (invoke $C "first-of-two-names" (i32.const 2)) (i32.const 22))
(assert_return (invoke $C "b-local" (i32.const 2)) (i32.const 42))
(assert_return (invoke $C "through-b" (i32.const 2)) (i32.const 52))
(assert_return (invoke $C "rethrown-by-b" (i32.const 2)) (i32.const 62))
(assert_return (invoke $C "delegated-by-b" (i32.const 2)) (i32.const 72))
(assert_return (invoke $C "via-table" (i32.const 0) (i32.const 3)) (i32.const 83))
(assert_return (invoke $C "via-table" (i32.const 1) (i32.const 3)) (i32.const 83))
(assert_return (invoke $C "via-table" (i32.const 2) (i32.const 3)) (i32.const 93))
(assert_trap (invoke $C "via-table" (i32.const 3) (i32.const 3)) "uninitialized element")

;; A catches, with its own tag, what B throws with the imported one; B's own
;; tag falls to A's catch_all.
(assert_return (invoke $A "call-tab" (i32.const 0) (i32.const 4)) (i32.const 1004))
(assert_return (invoke $A "call-tab" (i32.const 1) (i32.const 4)) (i32.const 1004))
(assert_return (invoke $A "call-tab" (i32.const 2) (i32.const 4)) (i32.const -2))

;; Two instances of one module have two different tags.
(module $M1
  (tag $t (export "t") (param i32))
  (func (export "throw") (param i32) (throw $t (local.get 0))))
(register "M1" $M1)
(module $M2
  (tag $t (export "t") (param i32))
  (func (export "throw") (param i32) (throw $t (local.get 0))))
(register "M2" $M2)
(module $N
  (import "M1" "t" (tag $t1 (param i32)))
  (import "M2" "t" (tag $t2 (param i32)))
  (import "M1" "throw" (func $throw1 (param i32)))
  (import "M2" "throw" (func $throw2 (param i32)))
  (func (export "which") (param i32) (result i32)
    try (result i32)
      (if (local.get 0)
        (then (call $throw2 (i32.const 2)))
        (else (call $throw1 (i32.const 1))))
      (i32.const 0)
    catch $t1
      (i32.const 10)
      (i32.add)
    catch $t2
      (i32.const 20)
      (i32.add)
    end)
  (func (export "only-m1") (result i32)
    try (result i32)
      (call $throw2 (i32.const 2))
      (i32.const 0)
    catch $t1
      (drop)
      (i32.const -1)
    end))
(assert_return (invoke $N "which" (i32.const 0)) (i32.const 11))
(assert_return (invoke $N "which" (i32.const 1)) (i32.const 22))
(assert_exception (invoke $N "only-m1"))

;; Linking tags: the type must match exactly, and a tag is not a function.
(assert_unlinkable
  (module (import "A" "e" (tag (param i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "A" "e" (tag)))
  "incompatible import type")
(assert_unlinkable
  (module (import "A" "e0" (tag (param i32))))
  "incompatible import type")
(assert_unlinkable
  (module (import "A" "throw-e" (tag (param i32))))
  "incompatible import type")
(assert_unlinkable
  (module (import "A" "e" (func (param i32))))
  "incompatible import type")
(assert_unlinkable
  (module (import "A" "no-such-tag" (tag)))
  "unknown import")
