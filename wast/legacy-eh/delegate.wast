;; Exception handling, legacy form: try ... delegate.
;; After the upstream proposal's test/legacy/exceptions/core/try_delegate.wast, restructured
;; and extended. `delegate L` hands an exception from its try body to the
;; handlers of the construct labelled L, as if thrown right inside that
;; construct: to a try's catches; past a block/loop/if to the next enclosing
;; handler; to the caller when L is the function's own label. Covered: delegate
;; to an outer try, skipping intermediate catches, to block/loop/if labels, to
;; the function level, chains of delegates, a delegate to a try from inside that
;; try's catch (its handlers are no longer active there), rethrow delegated,
;; delegates across calls and in loops, block types, and validation.
;; Legacy try is in its flat form (the `wast` crate 263 parses no folded try).
;; Expected results checked with tests/oracle/node_wast_check.mjs.

(module
  (tag $e0)
  (tag $e1)
  (tag $e-i32 (param i32))
  (global $count (mut i32) (i32.const 0))

  (func $throw-if (param i32)
    (if (local.get 0) (then (throw $e0))))
  (func $throw-i32 (param i32) (throw $e-i32 (local.get 0)))

  (func (export "no-throw") (result i32)
    try $t (result i32)
      try (result i32)
        (i32.const 1)
      delegate $t
    catch $e0
      (i32.const 2)
    end)
  (func (export "to-outer-try") (param i32) (result i32)
    try $t (result i32)
      try (result i32)
        (call $throw-if (local.get 0))
        (i32.const 1)
      delegate $t
    catch $e0
      (i32.const 2)
    end)
  ;; The delegate skips the catches of the tries between it and its target.
  (func (export "skip-middle") (result i32)
    try $t (result i32)
      try (result i32)
        try (result i32)
          (throw $e0)
        delegate $t
      catch $e0
        (i32.const 2)
      catch_all
        (i32.const 4)
      end
    catch $e0
      (i32.const 3)
    end)
  ;; delegate 0 names the nearest enclosing try; depth 1 the next one out.
  (func (export "by-depth") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (block (result i32)
          (if (i32.eqz (local.get 0))
            (then
              try
                (throw $e0)
              delegate 1))  ;; labels here: 0 = if, 1 = block, 2 = middle try
          try (result i32)
            (throw $e0)
          delegate 2)       ;; 0 = block, 1 = middle try, 2 = outer try
      catch $e0
        (i32.const 10)
      end
    catch $e0
      (i32.const 20)
    end)

  ;; delegate to a block label: the exception goes to the handlers around the
  ;; block, i.e. to the innermost try enclosing the block.
  (func (export "to-block") (result i32)
    try (result i32)
      (block
        try
          (throw $e0)
        delegate 0)
      (i32.const 0)
    catch_all
      (i32.const 1)
    end)
  (func (export "to-block-inside-try") (result i32)
    try (result i32)
      try (result i32)
        (block $b
          try
            (throw $e0)
          delegate $b)
        (i32.const 0)
      catch $e0
        (i32.const 2)
      end
    catch_all
      (i32.const 1)
    end)
  (func (export "to-block-outside-try") (result i32)
    try (result i32)
      (block $b (result i32)
        try (result i32)
          try (result i32)
            (throw $e0)
          delegate $b
        catch $e0
          (i32.const 2)  ;; skipped: the block is outside this try
        end)
    catch_all
      (i32.const 1)
    end)
  (func (export "to-loop") (param i32) (result i32)
    (local $i i32)
    try (result i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        try
          (call $throw-if (i32.eq (local.get $i) (local.get 0)))
        delegate $l
        (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
      (i32.const -1)
    catch $e0
      (local.get $i)
    end)
  (func (export "to-if") (param i32) (result i32)
    try (result i32)
      (if (result i32) (local.get 0)
        (then
          try (result i32)
            (call $throw-i32 (local.get 0))
            (i32.const 0)
          delegate 0)
        (else (i32.const 3)))
    catch $e-i32
      (i32.const 100)
      (i32.add)
    end)

  ;; delegate to the function's label: to the caller, past every try here.
  (func $to-caller
    try
      try
        (throw $e0)
      delegate 1
    catch_all
      (global.set $count (i32.const -1))
    end)
  (func (export "to-caller") (call $to-caller))
  (func (export "to-caller-deep") (result i32)
    try (result i32)
      (block (result i32)
        try (result i32)
          (loop (result i32)
            try (result i32)
              (throw $e0)
            delegate 4)  ;; 0 = loop, 1 = try, 2 = block, 3 = try, 4 = function
        catch_all
          (i32.const 1)
        end)
    catch_all
      (i32.const 2)
    end)
  (func (export "caller-catches") (result i32)
    (global.set $count (i32.const 0))
    try (result i32)
      (call $to-caller)
      (i32.const -1)
    catch $e0
      (global.get $count)  ;; the catch_all in $to-caller did not run
    end)

  ;; Only the target's catches are tried: a non-matching one lets it through.
  (func (export "target-no-match") (result i32)
    try (result i32)
      try (result i32)
        (throw $e0)
        (i32.const 1)
      delegate 0
    catch $e1
      (i32.const 2)
    end)
  (func $select-tag (param i32)
    (block (block (block (br_table 0 1 2 (local.get 0))) (return)) (throw $e0))
    (throw $e1))
  (func (export "merge") (param i32 i32) (result i32)
    try $t (result i32)
      (call $select-tag (local.get 0))
      try (result i32)
        (call $select-tag (local.get 1))
        (i32.const 1)
      delegate $t
    catch $e0
      (i32.const 2)
    end)

  ;; Chains: a delegate to a try that itself delegates, and through a try
  ;; without catches.
  (func (export "chain") (result i32)
    try $a (result i32)
      try $b (result i32)
        try $c (result i32)
          try (result i32)
            (throw $e-i32 (i32.const 7))
          delegate $c
        delegate $b
      end
    catch $e-i32
      (i32.const 10)
      (i32.add)
    end)
  (func (export "chain-past-catches") (param i32) (result i32)
    try $a (result i32)
      try (result i32)
        try $b (result i32)
          try (result i32)
            (call $select-tag (local.get 0))
            (i32.const 0)
          delegate $b
        catch $e1
          (i32.const 1)
        end
      delegate $a
    catch $e0
      (i32.const 2)
    end)

  ;; A delegate to a try from inside that try's catch: the try's catches are
  ;; not active there, so the exception goes further out.
  (func (export "from-own-catch") (result i32)
    try $outer (result i32)
      try $t (result i32)
        (throw $e0)
      catch $e0
        try (result i32)
          (throw $e1)
        delegate $t
      catch $e1
        (i32.const -1)
      end
    catch $e1
      (i32.const 5)
    end)
  ;; The same with a rethrow of the caught exception as the delegated one.
  (func (export "rethrow-from-own-catch") (result i32)
    try $outer (result i32)
      try $t (result i32)
        (throw $e-i32 (i32.const 4))
      catch $e-i32
        (drop)
        try (result i32)
          rethrow 1
        delegate $t
      catch_all
        (i32.const -1)
      end
    catch $e-i32
      (i32.const 60)
      (i32.add)
    end)
  ;; Delegates hop outward level by level; every catch_all they pass over
  ;; would trap if it ran.
  (func (export "hops") (result i32)
    try (result i32)
      try
        try
          try
            try
              try
                (throw $e0)
              delegate 1
            catch_all
              (unreachable)
            end
          delegate 1
        catch_all
          (unreachable)
        end
      catch_all
        try
          (throw $e0)
        delegate 0
      end
      (unreachable)
    catch_all
      (i32.const 1)
    end)
  ;; Leaving a try-delegate by a branch: a later throw is not delegated.
  (func (export "branch-out-then-throw") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (block $b
          try
            (br $b)
          delegate 2)
        (call $throw-if (local.get 0))
        (i32.const 0)
      catch $e0
        (i32.const 1)
      end
    catch $e0
      (i32.const 2)
    end)
  (func (export "branch-to-own-label") (result i32)
    try $t (result i32)
      (br $t (i32.const 3))
    delegate 0)
  ;; A delegating try around a rethrow: the rethrown exception is delegated.
  (func (export "delegated-rethrow") (result i32)
    try $o (result i32)
      try $x (result i32)
        try
          (throw $e-i32 (i32.const 7))
        catch $e-i32
          (drop)
          try
            rethrow 1
          delegate $o
        end
        (i32.const -1)
      catch_all
        (i32.const -2)
      end
    catch $e-i32
    end)

  ;; Block types on a delegating try.
  (func (export "param-result") (param i32) (result i32 i32)
    try $t (result i32 i32)
      (local.get 0)
      try (param i32) (result i32 i32)
        (i32.const 2)
        (call $throw-if (i32.eq (local.get 0) (i32.const 0)))
      delegate $t
    catch $e0
      (i32.const 8) (i32.const 9)
    end)

  ;; Delegates in a loop, caught by a try inside the loop each time.
  (func (export "loop-delegates") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        try $t
          try
            (call $throw-i32 (local.get $i))
          delegate $t
        catch $e-i32
          (local.set $sum (i32.add (local.get $sum)))
        end
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $sum))

  ;; Delegating to the caller through a chain of calls, each one delegating.
  (func $delegating (param i32)
    (if (i32.eqz (local.get 0))
      (then (throw $e-i32 (global.get $count)))
      (else
        (global.set $count (i32.add (global.get $count) (i32.const 1)))
        try
          try
            (call $delegating (i32.sub (local.get 0) (i32.const 1)))
          delegate 1
        catch_all
          (global.set $count (i32.const -1000))
        end)))
  (func (export "call-chain") (param i32) (result i32)
    (global.set $count (i32.const 0))
    try (result i32)
      (call $delegating (local.get 0))
      (i32.const -1)
    catch $e-i32
    end)
)

(assert_return (invoke "no-throw") (i32.const 1))
(assert_return (invoke "to-outer-try" (i32.const 0)) (i32.const 1))
(assert_return (invoke "to-outer-try" (i32.const 1)) (i32.const 2))
(assert_return (invoke "skip-middle") (i32.const 3))
(assert_return (invoke "by-depth" (i32.const 0)) (i32.const 10))
(assert_return (invoke "by-depth" (i32.const 1)) (i32.const 20))

(assert_return (invoke "to-block") (i32.const 1))
(assert_return (invoke "to-block-inside-try") (i32.const 2))
(assert_return (invoke "to-block-outside-try") (i32.const 1))
(assert_return (invoke "to-loop" (i32.const 4)) (i32.const 4))
(assert_return (invoke "to-loop" (i32.const 11)) (i32.const -1))
(assert_return (invoke "to-if" (i32.const 0)) (i32.const 3))
(assert_return (invoke "to-if" (i32.const 6)) (i32.const 106))

(assert_exception (invoke "to-caller"))
(assert_exception (invoke "to-caller-deep"))
(assert_return (invoke "caller-catches") (i32.const 0))

(assert_exception (invoke "target-no-match"))
(assert_return (invoke "merge" (i32.const 1) (i32.const 0)) (i32.const 2))
(assert_exception (invoke "merge" (i32.const 2) (i32.const 0)))
(assert_return (invoke "merge" (i32.const 0) (i32.const 1)) (i32.const 2))
(assert_exception (invoke "merge" (i32.const 0) (i32.const 2)))
(assert_return (invoke "merge" (i32.const 0) (i32.const 0)) (i32.const 1))

(assert_return (invoke "chain") (i32.const 17))
(assert_return (invoke "chain-past-catches" (i32.const 0)) (i32.const 0))
(assert_return (invoke "chain-past-catches" (i32.const 1)) (i32.const 2))
(assert_return (invoke "chain-past-catches" (i32.const 2)) (i32.const 1))

(assert_return (invoke "from-own-catch") (i32.const 5))
(assert_return (invoke "rethrow-from-own-catch") (i32.const 64))
(assert_return (invoke "hops") (i32.const 1))
(assert_return (invoke "branch-out-then-throw" (i32.const 0)) (i32.const 0))
(assert_return (invoke "branch-out-then-throw" (i32.const 1)) (i32.const 1))
(assert_return (invoke "branch-to-own-label") (i32.const 3))
(assert_return (invoke "delegated-rethrow") (i32.const 7))
(assert_return (invoke "param-result" (i32.const 5)) (i32.const 5) (i32.const 2))
(assert_return (invoke "param-result" (i32.const 0)) (i32.const 8) (i32.const 9))
(assert_return (invoke "loop-delegates" (i32.const 100)) (i32.const 4950))
(assert_return (invoke "call-chain" (i32.const 0)) (i32.const 0))
(assert_return (invoke "call-chain" (i32.const 50)) (i32.const 50))

;; Validation of delegate.
(assert_invalid (module (func try delegate 1)) "unknown label")
(assert_invalid (module (func (block try delegate 2))) "unknown label")
(assert_invalid (module (func delegate 0)) "delegate without try")
(assert_invalid (module (func (block delegate 0))) "delegate in a block")
(assert_invalid (module (func try catch_all delegate 0)) "delegate after catch_all")
(assert_invalid (module (tag) (func try catch 0 delegate 0)) "delegate after catch")
(assert_invalid (module (func (result i32) try (result i32) delegate 0))
  "type mismatch: instruction requires [i32] but stack has []")
(assert_invalid (module (func try (i32.const 1) delegate 0))
  "type mismatch: block requires [] but stack has [i32]")

;; Text format: a delegate's label is looked up outside its own try, so it
;; cannot name that try.
(assert_malformed (module quote "(func try $a delegate $a)") "unknown label")
(assert_malformed (module quote "(func (block $b try $a delegate $c))") "unknown label")
