;; Exception handling, legacy form: exceptions through thousands of frames.
;; A throw at the bottom of a deep recursion caught at the top; a try at every
;; level that catches and rethrows (or throws anew, counting the frames), or
;; delegates; catching half way down and going on normally; mutual recursion
;; and recursion through call_indirect; and the same calls repeated, to see
;; that unwinding left the stack as it was. Depths stay within what node's
;; default stack takes (the checker runs V8 with its default stack size).
;; Legacy try is in its flat form (the `wast` crate 263 parses no folded try).
;; Expected results checked with tests/oracle/node_wast_check.mjs.

(module
  (tag $e-i32 (param i32))
  (tag $e-i64 (param i64))
  (global $unwound (mut i32) (i32.const 0))
  (type $i-i (func (param i32) (result i32)))
  (table funcref (elem $via-table))

  ;; No handler on the way: the top catches what the bottom threw.
  (func $plain (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (throw $e-i32 (i32.const 77)))
      (else (i32.add (i32.const 1) (call $plain (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "plain") (param i32) (result i32)
    try (result i32)
      (call $plain (local.get 0))
    catch $e-i32
    end)
  (func (export "plain-escapes") (param i32) (result i32)
    (call $plain (local.get 0)))

  ;; A catch_all + rethrow at every level: every handler runs once.
  (func $cleanup (param i32) (result i32)
    try (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (throw $e-i32 (i32.const 5)))
        (else (call $cleanup (i32.sub (local.get 0) (i32.const 1)))))
    catch_all
      (global.set $unwound (i32.add (global.get $unwound) (i32.const 1)))
      rethrow 0
    end)
  (func (export "cleanup") (param i32) (result i32)
    (global.set $unwound (i32.const 0))
    try (result i32)
      (call $cleanup (local.get 0))
    catch $e-i32
      (drop)
      (global.get $unwound)
    end)

  ;; Every level catches and throws a new exception with the payload + 1.
  (func $count (param i32) (result i64)
    try (result i64)
      (if (result i64) (i32.eqz (local.get 0))
        (then (throw $e-i64 (i64.const 0)))
        (else (call $count (i32.sub (local.get 0) (i32.const 1)))))
    catch $e-i64
      (throw $e-i64 (i64.add (i64.const 1)))
    end)
  (func (export "count") (param i32) (result i64)
    try (result i64)
      (call $count (local.get 0))
    catch $e-i64
    end)

  ;; Every level delegates to its caller.
  (func $delegating (param i32) (result i32)
    try (result i32)
      try (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (throw $e-i32 (i32.const 9)))
          (else (call $delegating (i32.sub (local.get 0) (i32.const 1)))))
      delegate 1
    catch_all
      (i32.const -1)  ;; never: the delegate skips this
    end)
  (func (export "delegating") (param i32) (result i32)
    try (result i32)
      (call $delegating (local.get 0))
    catch $e-i32
    end)

  ;; Caught at level k of n (counting from the bottom); the levels above
  ;; return normally, each adding 1.
  (func $catch-at (param $n i32) (param $k i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (throw $e-i32 (i32.const 1000)))
      (else
        (if (result i32) (i32.eq (local.get $n) (local.get $k))
          (then
            try (result i32)
              (call $catch-at (i32.sub (local.get $n) (i32.const 1)) (local.get $k))
            catch $e-i32
            end)
          (else
            (i32.add (i32.const 1)
              (call $catch-at (i32.sub (local.get $n) (i32.const 1)) (local.get $k))))))))
  (func (export "catch-at") (param i32 i32) (result i32)
    (call $catch-at (local.get 0) (local.get 1)))

  ;; Mutual recursion: one side has a tagged catch that does not match, the
  ;; other a delegate.
  (func $ping (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (throw $e-i32 (i32.const 3)))
      (else
        try (result i32)
          (call $pong (i32.sub (local.get 0) (i32.const 1)))
        catch $e-i64
          (drop)
          (i32.const -1)
        end)))
  (func $pong (param i32) (result i32)
    try (result i32)
      (call $ping (local.get 0))
    delegate 0)
  (func (export "mutual") (param i32) (result i32)
    try (result i32)
      (call $ping (local.get 0))
    catch $e-i32
      (i32.const 100)
      (i32.add)
    end)

  ;; Recursion through call_indirect.
  (func $via-table (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (throw $e-i32 (i32.const 4)))
      (else (call_indirect (type $i-i) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
  (func (export "via-table") (param i32) (result i32)
    try (result i32)
      (call_indirect (type $i-i) (local.get 0) (i32.const 0))
    catch $e-i32
    end)
)

;; (V8 in node 20 and 24 overflows its default stack at about 15600 frames of
;; "plain", 13900 of "count" and 7800 pairs of "mutual".)
(assert_return (invoke "plain" (i32.const 0)) (i32.const 77))
(assert_return (invoke "plain" (i32.const 10000)) (i32.const 77))
(assert_exception (invoke "plain-escapes" (i32.const 10000)))
(assert_return (invoke "plain" (i32.const 10000)) (i32.const 77))
(assert_return (invoke "cleanup" (i32.const 0)) (i32.const 1))
(assert_return (invoke "cleanup" (i32.const 5000)) (i32.const 5001))
(assert_return (invoke "count" (i32.const 5000)) (i64.const 5001))
(assert_return (invoke "count" (i32.const 5000)) (i64.const 5001))
(assert_return (invoke "delegating" (i32.const 5000)) (i32.const 9))
(assert_return (invoke "catch-at" (i32.const 6000) (i32.const 3000)) (i32.const 4000))
(assert_return (invoke "catch-at" (i32.const 6000) (i32.const 6000)) (i32.const 1000))
(assert_return (invoke "catch-at" (i32.const 6000) (i32.const 1)) (i32.const 6999))
(assert_exception (invoke "catch-at" (i32.const 6000) (i32.const 0)))
(assert_return (invoke "mutual" (i32.const 4000)) (i32.const 103))
(assert_return (invoke "via-table" (i32.const 10000)) (i32.const 4))
;; Once more after all that unwinding.
(assert_return (invoke "cleanup" (i32.const 5000)) (i32.const 5001))
(assert_return (invoke "plain" (i32.const 10)) (i32.const 77))
