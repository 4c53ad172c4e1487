;; Calls that cross instances switch the VMContext and the memory base;
;; each function must find its own memory again afterwards, even when the
;; switch happened deeper in the call chain, in a function of its own
;; instance that makes no memory access itself.

(module $other
  (memory (export "mem") 1)
  (data (i32.const 0) "\aa\aa\aa\aa")
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $peek)
  (func $peek (export "peek") (result i32) (i32.load (i32.const 0)))
  (func (export "poke") (param i32) (i32.store (i32.const 4) (local.get 0))))
(register "other" $other)

;; A module without memory between two with one.
(module $bridge
  (import "other" "peek" (func $peek (result i32)))
  (func (export "via_bridge") (result i32) (call $peek)))
(register "bridge" $bridge)

(module
  (import "other" "peek" (func $peek (result i32)))
  (import "other" "poke" (func $poke (param i32)))
  (import "other" "tab" (table $other_tab 2 funcref))
  (import "bridge" "via_bridge" (func $via_bridge (result i32)))
  (memory 1)
  (data (i32.const 0) "\11\11\11\11")
  (type $r (func (result i32)))
  (table $own 2 funcref)
  (elem (table $own) (i32.const 0) func $mine $middle)
  (func $mine (result i32) (i32.load (i32.const 0)))
  ;; No loads or stores of its own: only a call into the other instance.
  (func $middle (result i32) (call $peek))
  (func $middle_indirect (result i32)
    (call_indirect $other_tab (type $r) (i32.const 0)))

  (func (export "after_import_in_callee") (result i32)
    (i32.add (call $middle) (i32.load (i32.const 0))))
  (func (export "after_cross_indirect_in_callee") (result i32)
    (i32.add (call $middle_indirect) (i32.load (i32.const 0))))
  (func (export "after_cross_indirect") (result i32)
    (i32.add (call_indirect $other_tab (type $r) (i32.const 0))
             (i32.load (i32.const 0))))
  (func (export "after_own_indirect") (result i32)
    (i32.add (call_indirect $own (type $r) (i32.const 0))
             (i32.load (i32.const 0))))
  (func (export "after_own_indirect_to_middle") (result i32)
    (i32.add (call_indirect $own (type $r) (i32.const 1))
             (i32.load (i32.const 0))))
  (func (export "after_bridge") (result i32)
    (i32.add (call $via_bridge) (i32.load (i32.const 0))))
  ;; The other instance writes its own memory; this one's is untouched.
  (func (export "store_across") (result i32)
    (call $poke (i32.const 0x22222222))
    (i32.store (i32.const 8) (i32.const 0x33333333))
    (i32.add (i32.load (i32.const 4)) (i32.load (i32.const 8))))
  ;; In a loop: the restore must hold on every iteration.
  (func (export "loop_across") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc)
        (i32.add (call $middle) (i32.load (i32.const 0)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))

(assert_return (invoke "after_import_in_callee") (i32.const 0xbbbbbbbb))
(assert_return (invoke "after_cross_indirect_in_callee") (i32.const 0xbbbbbbbb))
(assert_return (invoke "after_cross_indirect") (i32.const 0xbbbbbbbb))
(assert_return (invoke "after_own_indirect") (i32.const 0x22222222))
(assert_return (invoke "after_own_indirect_to_middle") (i32.const 0xbbbbbbbb))
(assert_return (invoke "after_bridge") (i32.const 0xbbbbbbbb))
(assert_return (invoke "store_across") (i32.const 0x33333333))
(assert_return (invoke "loop_across" (i32.const 3)) (i32.const 0x33333331))
(assert_return (invoke $other "peek") (i32.const 0xaaaaaaaa))
