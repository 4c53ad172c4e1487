;; Throw-and-catch cost: 2,000,000 exceptions, each thrown three calls
;; below its handler with an i32 payload; prints the sum of the payloads.
;; Run: wx bench benches/eh (with --engines wasmtime-py to compare).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $e (param i32))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func $middle (param i32) (call $thrower (i32.and (local.get 0) (i32.const 1023))))
  (func $outer (param i32) (call $middle (local.get 0)))
  (func $once (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (call $outer (local.get 0)))
      (i32.const 0)))
  ;; Print `n` in decimal and a newline.
  (func $print (param $n i64)
    (local $p i32)
    (local.set $p (i32.const 100))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.rem_u (local.get $n) (i64.const 10)) (i64.const 48)))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $n) (i64.const 0))))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 101) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (local $i i32) (local $sum i64)
    (loop $l
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $once (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 2000000))))
    (call $print (local.get $sum))))
