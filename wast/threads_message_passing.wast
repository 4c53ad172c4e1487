;; Message passing between script threads through a shared memory: T1
;; writes data, then a flag with an atomic store and a notify; T2 waits on
;; the flag (memory.atomic.wait32 with a timeout, re-checking) and reads
;; the data. Runs on every tier (atomics stay interpreted under the JIT).
(module $Mem
  (memory (export "shared") 1 1 shared))

(thread $T1 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "run")
      (i32.store (i32.const 0) (i32.const 42))
      (i32.atomic.store (i32.const 4) (i32.const 1))
      (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))))
  (invoke "run"))

(thread $T2 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "run") (result i32)
      (block $done
        (loop $l
          (br_if $done (i32.eq (i32.atomic.load (i32.const 4)) (i32.const 1)))
          (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const 10000000)))
          (br $l)))
      (i32.load (i32.const 0))))
  (assert_return (invoke "run") (i32.const 42)))

(register "Mem" $Mem)
(wait $T1)
(wait $T2)

(module $Check
  (memory (import "Mem" "shared") 1 1 shared)
  (func (export "flag") (result i32) (i32.atomic.load (i32.const 4))))
(assert_return (invoke $Check "flag") (i32.const 1))
