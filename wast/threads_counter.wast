;; Four script threads update one shared memory at once: an atomic counter
;; (i32.atomic.rmw.add), a 64-bit counter (i64.atomic.rmw.add), and a plain
;; counter protected by a spin lock made of cmpxchg + atomic store. Lost
;; updates would show in the totals.
(module $Mem
  (memory (export "shared") 1 1 shared))
(register "mem" $Mem)

(module $Worker
  (memory (import "mem" "shared") 1 1 shared)
  (func $lock
    (loop $spin
      (br_if $spin (i32.atomic.rmw.cmpxchg (i32.const 64) (i32.const 0) (i32.const 1)))))
  (func $unlock
    (i32.atomic.store (i32.const 64) (i32.const 0)))
  (func (export "run") (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 3)))
      (call $lock)
      (i32.store (i32.const 128) (i32.add (i32.load (i32.const 128)) (i32.const 1)))
      (call $unlock)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "totals") (result i32 i64 i32)
    (i32.atomic.load (i32.const 0))
    (i64.atomic.load (i32.const 8))
    (i32.load (i32.const 128))))

(thread $A (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func $lock (loop $spin (br_if $spin (i32.atomic.rmw.cmpxchg (i32.const 64) (i32.const 0) (i32.const 1)))))
    (func (export "run") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 3)))
        (call $lock)
        (i32.store (i32.const 128) (i32.add (i32.load (i32.const 128)) (i32.const 1)))
        (i32.atomic.store (i32.const 64) (i32.const 0))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (invoke "run" (i32.const 20000)))
(thread $B (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func $lock (loop $spin (br_if $spin (i32.atomic.rmw.cmpxchg (i32.const 64) (i32.const 0) (i32.const 1)))))
    (func (export "run") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 3)))
        (call $lock)
        (i32.store (i32.const 128) (i32.add (i32.load (i32.const 128)) (i32.const 1)))
        (i32.atomic.store (i32.const 64) (i32.const 0))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (invoke "run" (i32.const 20000)))
(thread $C (shared (module $Mem))
  (register "mem" $Mem)
  (module (memory (import "mem" "shared") 1 1 shared)
    (func (export "run") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.sub (i32.const 0) (i32.const -1)))
        (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 3)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (invoke "run" (i32.const 20000)))

;; The main thread works too, while the others run.
(invoke $Worker "run" (i32.const 20000))
(wait $A)
(wait $B)
(wait $C)
(assert_return (invoke $Worker "totals") (i32.const 80000) (i64.const 240000) (i32.const 60000))

;; A wait that nobody notifies times out; one whose value differs returns at once.
(module
  (memory (import "mem" "shared") 1 1 shared)
  (func (export "wait") (param i32 i64) (result i32)
    (memory.atomic.wait32 (i32.const 256) (local.get 0) (local.get 1))))
(assert_return (invoke "wait" (i32.const 0) (i64.const 1000000)) (i32.const 2))
(assert_return (invoke "wait" (i32.const 7) (i64.const -1)) (i32.const 1))
