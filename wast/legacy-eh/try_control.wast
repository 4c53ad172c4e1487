;; Exception handling, legacy form: try blocks as control flow. Block types
;; with parameters and several results, branches out of try bodies and catch
;; bodies (br, br_if, br_table, return), loops around and inside tries, tries in
;; if arms. Not in the upstream tests beyond break-try-catch; written for wx.
;; Legacy try is in its flat form (the `wast` crate 263 parses no folded try).
;; Expected results checked with tests/oracle/node_wast_check.mjs.

(module
  (tag $e0)
  (tag $e-i32 (param i32))
  (tag $e-pair (param i32 i64))
  (type $i-i (func (param i32) (result i32)))
  (type $ii-ii (func (param i32 i32) (result i32 i32)))
  (type $i-il (func (param i32) (result i32 i64)))

  (func $throw-if (param i32)
    (if (local.get 0) (then (throw $e-i32 (local.get 0)))))

  ;; A try with a parameter: the body gets it; a catch does not (the
  ;; parameters were popped when the try was entered).
  (func (export "param") (param i32 i32) (result i32)
    (local.get 0)
    try (param i32) (result i32)
      (call $throw-if (local.get 1))
      (i32.const 100)
      (i32.add)
    catch $e-i32
      (i32.const 1000)
      (i32.add)
    catch_all
      (i32.const -1)
    end)
  ;; Two parameters and two results, swapped by the body.
  (func (export "swap") (param i32 i32 i32) (result i32 i32)
    (local.get 0) (local.get 1)
    try (type $ii-ii)
      (call $throw-if (local.get 2))
      (local.set 0) (local.set 1)
      (local.get 0) (local.get 1)
    catch $e-i32
      (i32.const -1)
    end)
  ;; Results of two types from body, tagged catch and catch_all.
  (func (export "two-results") (param i32) (result i32 i64)
    (local.get 0)
    try (type $i-il)
      (if (i32.eqz (local.get 0)) (then (throw $e-pair (i32.const 3) (i64.const 30))))
      (i64.const 50)
    catch $e-pair
    catch_all
      (i32.const 7) (i64.const 70)
    end)
  (func (export "dispatch-pair") (param i32) (result i32 i64)
    try (result i32 i64)
      (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e-pair (i32.const 11) (i64.const 110))))
      (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $e0)))
      (i32.const 1) (i64.const 10)
    catch $e-pair
    catch_all
      (i32.const 7) (i64.const 70)
    end)
  ;; A try whose parameter type is given by a type use in a nested block.
  (func (export "param-typeuse") (param i32) (result i32)
    (local.get 0)
    try (type $i-i)
      (i32.const 1)
      (i32.shl)
      (call $throw-if (i32.eq (local.get 0) (i32.const 3)))
    catch_all
      (i32.const -3)
    end)

  ;; Branches out of a try body: the try's handlers are gone afterwards.
  (func (export "br-out-of-body") (param i32) (result i32)
    (block $out (result i32)
      try (result i32)
        (drop (br_if $out (i32.const 1) (i32.eqz (local.get 0))))
        (i32.const 2)
      catch_all
        (i32.const 3)
      end
      (drop)
      (call $throw-if (local.get 0))  ;; not in the try any more
      (i32.const 4)))
  (func (export "br-to-try-label") (param i32) (result i32)
    try $t (result i32)
      (br $t (i32.const 10))
    catch_all
      (i32.const 11)
    end)
  (func (export "br-table-out-of-body") (param i32) (result i32)
    (block $b2 (result i32)
      (block $b1 (result i32)
        (block $b0 (result i32)
          try (result i32)
            (i32.const 100)
            (br_table $b0 $b1 $b2 (local.get 0))
          catch_all
            (i32.const 200)
          end
          (return))
        (i32.add (i32.const 1))
        (return))
      (i32.add (i32.const 2))
      (return))
    (i32.add (i32.const 3)))
  ;; Branches out of catch bodies.
  (func (export "br-out-of-catch") (param i32) (result i32)
    (block $out (result i32)
      try (result i32)
        (call $throw-if (local.get 0))
        (i32.const 1)
      catch $e-i32
        (local.set 0)
        (drop (br_if $out (i32.const 20) (i32.eq (local.get 0) (i32.const 2))))
        (i32.const 30)
      end
      (i32.const 1000)
      (i32.add)))
  (func (export "br-out-of-catch-all") (result i32)
    (block $out (result i32)
      try
        (throw $e0)
      catch_all
        (br $out (i32.const 5))
      end
      (i32.const 6)))
  (func (export "br-table-out-of-catch") (param i32) (result i32)
    (block $b1 (result i32)
      (block $b0 (result i32)
        try (result i32)
          (throw $e-i32 (local.get 0))
        catch $e-i32
          (local.set 0)
          (i32.const 40)
          (br_table $b0 $b1 (local.get 0))
        end
        (return))
      (i32.const 1)
      (i32.add)
      (return))
    (i32.const 2)
    (i32.add))
  ;; return from inside nested try bodies and catch bodies.
  (func (export "return-from-body") (param i32) (result i32)
    try
      try
        (if (local.get 0) (then (return (i32.const 8))))
        (throw $e0)
      catch_all
        (return (i32.const 9))
      end
    catch_all
    end
    (i32.const -1))
  (func (export "return-from-nested-catch") (result i64)
    (local $x i64)
    try
      (throw $e-pair (i32.const 1) (i64.const 2))
    catch $e-pair
      (local.set $x)
      (drop)
      try
        (throw $e0)
      catch $e0
        (return (i64.add (local.get $x) (i64.const 40)))
      end
    end
    (i64.const -1))
  ;; Leaving a try by a branch and then throwing: an outer try catches, the
  ;; inner one does not.
  (func (export "branch-then-throw") (result i32)
    try (result i32)
      (block $b
        try
          (br $b)
        catch_all
          (return (i32.const -1))
        end)
      (throw $e0)
    catch $e0
      (i32.const 77)
    end)

  ;; Loops around a try: each iteration throws or not; the catch counts.
  (func (export "loop-around-try") (param $n i32) (result i32)
    (local $i i32) (local $caught i32) (local $normal i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        try
          (call $throw-if (i32.and (local.get $i) (i32.const 1)))
          (local.set $normal (i32.add (local.get $normal) (i32.const 1)))
        catch $e-i32
          (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
          (drop)
        end
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.add (i32.mul (local.get $caught) (i32.const 1000)) (local.get $normal)))
  ;; `continue` (br to the loop) from inside a catch body and a try body.
  (func (export "continue-from-catch") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      try
        (br_if $next (i32.eq (local.get $i) (i32.const 2)))  ;; skip 2 in the body
        (throw $e-i32 (local.get $i))
      catch $e-i32
        (local.set $sum (i32.add (local.get $sum)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $n)))
      end)
    (local.get $sum))
  ;; A loop inside a try body, left by an exception on iteration k.
  (func (export "throw-out-of-loop") (param $k i32) (result i32)
    (local $i i32)
    try (result i32)
      (loop $l
        (call $throw-if (i32.mul (i32.eq (local.get $i) (local.get $k)) (i32.add (local.get $i) (i32.const 100))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
      (local.get $i)
    catch $e-i32
    end)
  ;; A loop whose body is a try with a result, the loop carrying a value.
  (func (export "loop-carried") (param $n i32) (result i32)
    (local $acc i32)
    (loop $l (result i32)
      try (result i32)
        (throw $e-i32 (i32.add (local.get $acc) (local.get $n)))
      catch $e-i32
      end
      (local.tee $acc)
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n))))
  ;; Nested loops and tries, catching at different levels.
  (func (export "nested-loops") (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    (loop $outer
      try
        (local.set $j (i32.const 0))
        (loop $inner
          try
            (if (i32.eq (local.get $j) (local.get $i)) (then (throw $e0)))
            (if (i32.eq (local.get $j) (i32.const 3)) (then (throw $e-i32 (local.get $i))))
          catch $e0
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
          end
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (i32.const 5))))
      catch $e-i32
        (local.set $count (i32.add (local.get $count) (i32.const 100)))
        (drop)
      end
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (i32.const 5))))
    (local.get $count))

  ;; Tries in both arms of an if.
  (func (export "try-in-if") (param i32 i32) (result i32)
    (if (result i32) (local.get 0)
      (then
        try (result i32)
          (call $throw-if (local.get 1))
          (i32.const 1)
        catch $e-i32
          (i32.const 10)
          (i32.add)
        end)
      (else
        try (result i32)
          (call $throw-if (local.get 1))
          (i32.const 2)
        catch_all
          (i32.const 20)
        end)))
  ;; A try inside a block with parameters, the block's value flowing through.
  (func (export "block-param-through-try") (param i32) (result i32)
    (i32.const 3)
    (block (param i32) (result i32)
      try (param i32) (result i32)
        (call $throw-if (local.get 0))
      catch $e-i32
        (i32.const 3)
        (i32.mul)
      end))
)

(assert_return (invoke "param" (i32.const 5) (i32.const 0)) (i32.const 105))
(assert_return (invoke "param" (i32.const 5) (i32.const 2)) (i32.const 1002))
(assert_return (invoke "swap" (i32.const 1) (i32.const 2) (i32.const 0)) (i32.const 2) (i32.const 1))
(assert_return (invoke "swap" (i32.const 1) (i32.const 2) (i32.const 9)) (i32.const 9) (i32.const -1))
(assert_return (invoke "two-results" (i32.const 4)) (i32.const 4) (i64.const 50))
(assert_return (invoke "two-results" (i32.const 0)) (i32.const 3) (i64.const 30))
(assert_return (invoke "dispatch-pair" (i32.const 0)) (i32.const 1) (i64.const 10))
(assert_return (invoke "dispatch-pair" (i32.const 1)) (i32.const 11) (i64.const 110))
(assert_return (invoke "dispatch-pair" (i32.const 2)) (i32.const 7) (i64.const 70))
(assert_return (invoke "param-typeuse" (i32.const 5)) (i32.const 10))
(assert_return (invoke "param-typeuse" (i32.const 3)) (i32.const -3))

(assert_return (invoke "br-out-of-body" (i32.const 0)) (i32.const 1))
(assert_exception (invoke "br-out-of-body" (i32.const 1)))
(assert_return (invoke "br-to-try-label" (i32.const 0)) (i32.const 10))
(assert_return (invoke "br-table-out-of-body" (i32.const 0)) (i32.const 101))
(assert_return (invoke "br-table-out-of-body" (i32.const 1)) (i32.const 102))
(assert_return (invoke "br-table-out-of-body" (i32.const 2)) (i32.const 103))
(assert_return (invoke "br-table-out-of-body" (i32.const 7)) (i32.const 103))
(assert_return (invoke "br-out-of-catch" (i32.const 0)) (i32.const 1001))
(assert_return (invoke "br-out-of-catch" (i32.const 2)) (i32.const 20))
(assert_return (invoke "br-out-of-catch" (i32.const 3)) (i32.const 1030))
(assert_return (invoke "br-out-of-catch-all") (i32.const 5))
(assert_return (invoke "br-table-out-of-catch" (i32.const 0)) (i32.const 41))
(assert_return (invoke "br-table-out-of-catch" (i32.const 1)) (i32.const 42))
(assert_return (invoke "br-table-out-of-catch" (i32.const 2)) (i32.const 42))
(assert_return (invoke "return-from-body" (i32.const 1)) (i32.const 8))
(assert_return (invoke "return-from-body" (i32.const 0)) (i32.const 9))
(assert_return (invoke "return-from-nested-catch") (i64.const 42))
(assert_return (invoke "branch-then-throw") (i32.const 77))

(assert_return (invoke "loop-around-try" (i32.const 0)) (i32.const 0))
(assert_return (invoke "loop-around-try" (i32.const 1)) (i32.const 1))
(assert_return (invoke "loop-around-try" (i32.const 10)) (i32.const 5005))
(assert_return (invoke "loop-around-try" (i32.const 1001)) (i32.const 500501))
(assert_return (invoke "continue-from-catch" (i32.const 5)) (i32.const 13))
(assert_return (invoke "continue-from-catch" (i32.const 100)) (i32.const 5048))
(assert_return (invoke "throw-out-of-loop" (i32.const 0)) (i32.const 100))
(assert_return (invoke "throw-out-of-loop" (i32.const 6)) (i32.const 106))
(assert_return (invoke "throw-out-of-loop" (i32.const 10)) (i32.const 10))
(assert_return (invoke "loop-carried" (i32.const 4)) (i32.const 10))
(assert_return (invoke "loop-carried" (i32.const 1000)) (i32.const 500500))
(assert_return (invoke "nested-loops") (i32.const 404))

(assert_return (invoke "try-in-if" (i32.const 1) (i32.const 0)) (i32.const 1))
(assert_return (invoke "try-in-if" (i32.const 1) (i32.const 4)) (i32.const 14))
(assert_return (invoke "try-in-if" (i32.const 0) (i32.const 0)) (i32.const 2))
(assert_return (invoke "try-in-if" (i32.const 0) (i32.const 4)) (i32.const 20))
(assert_return (invoke "block-param-through-try" (i32.const 0)) (i32.const 3))
(assert_return (invoke "block-param-through-try" (i32.const 5)) (i32.const 15))

;; Validation of try block types.
(assert_invalid
  (module (func (result i32) (i32.const 1) try (param i32) (result i32) catch_all end))
  "type mismatch: a catch_all does not get the try's parameters")
(assert_invalid
  (module (func (result i32) try (param i32) (result i32) end))
  "type mismatch: missing try parameter")
(assert_invalid
  (module (tag (param i32)) (func (result i32 i32) try (result i32 i32) (i32.const 1) (i32.const 2) catch 0 end))
  "type mismatch: catch leaves one value for two results")
(assert_invalid
  (module (func (block try (br 3) end)))
  "unknown label")
