;; Exception handling, legacy form: `throw` on its own. Every exception here
;; escapes to the host (`assert_exception`); catching is in try_catch.wast.
;; After the upstream proposal's test/legacy/exceptions/core/throw.wast, restructured, with
;; more payload shapes and the instance staying usable after an exception.
;; The legacy `try` is written in its flat form (try ... catch ... end): the
;; `wast`/`wat` crates (263) do not parse the folded (try (do ...)) form.
;; Expected results checked with tests/oracle/node_wast_check.mjs.

(module
  (tag $e0)
  (tag $e-i32 (param i32))
  (tag $e-i64 (param i64))
  (tag $e-f32 (param f32))
  (tag $e-f64 (param f64))
  (tag $e-mix (param i32 i64 f32 f64))
  (type $sig-i32 (func (param i32)))
  (tag $e-typed (type $sig-i32))
  (global $g (mut i32) (i32.const 0))

  (func (export "throw-if") (param i32) (result i32)
    (if (local.get 0) (then (throw $e0)))
    (i32.const 0))
  (func (export "throw-i32") (param i32) (throw $e-i32 (local.get 0)))
  (func (export "throw-i64") (param i64) (throw $e-i64 (local.get 0)))
  (func (export "throw-f32") (param f32) (throw $e-f32 (local.get 0)))
  (func (export "throw-f64") (param f64) (throw $e-f64 (local.get 0)))
  (func (export "throw-mix")
    (throw $e-mix (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4)))
  (func (export "throw-typed") (throw $e-typed (i32.const 5)))

  ;; throw is stack-polymorphic: it ends a block of any result type.
  (func (export "throw-polymorphic") (result i32 i64) (throw $e0))
  (func (export "throw-discards-stack") (result f64)
    (f64.const 1) (i32.const 2) (i64.const 3) (throw $e0))

  ;; throw from inside nested blocks, loops and if arms.
  (func (export "throw-nested") (param i32) (result i32)
    (block (result i32)
      (loop (result i32)
        (if (result i32) (local.get 0)
          (then (throw $e-i32 (local.get 0)))
          (else (i32.const 9))))))

  ;; A try that has already ended does not catch a later throw.
  (func (export "throw-after-try") (result i32)
    try
      nop
    catch_all
      (return (i32.const -1))
    end
    (throw $e0))

  ;; A try with catches that do not match lets the exception through.
  (func (export "throw-past-other-tags") (param i32) (result i32)
    try (result i32)
      (throw $e-i32 (local.get 0))
    catch $e0
      (i32.const -1)
    catch $e-i64
      (drop) (i32.const -2)
    end)

  ;; Side effects before the throw stay; those after it never happen.
  (func (export "set-then-throw") (param i32)
    (global.set $g (local.get 0))
    (throw $e0)
    (global.set $g (i32.const -1)))
  (func (export "get-g") (result i32) (global.get $g))

  (func $thrower (param i32) (result i32)
    (if (local.get 0) (then (throw $e-i32 (local.get 0))))
    (i32.const 100))
  (func (export "throw-from-callee") (param i32) (result i32)
    (i32.add (call $thrower (local.get 0)) (i32.const 1)))
)

(assert_return (invoke "throw-if" (i32.const 0)) (i32.const 0))
(assert_exception (invoke "throw-if" (i32.const 1)))
(assert_exception (invoke "throw-if" (i32.const -1)))
(assert_exception (invoke "throw-i32" (i32.const 7)))
(assert_exception (invoke "throw-i64" (i64.const -7)))
(assert_exception (invoke "throw-f32" (f32.const 1.5)))
(assert_exception (invoke "throw-f64" (f64.const -0.25)))
(assert_exception (invoke "throw-mix"))
(assert_exception (invoke "throw-typed"))
(assert_exception (invoke "throw-polymorphic"))
(assert_exception (invoke "throw-discards-stack"))
(assert_return (invoke "throw-nested" (i32.const 0)) (i32.const 9))
(assert_exception (invoke "throw-nested" (i32.const 3)))
(assert_exception (invoke "throw-after-try"))
(assert_exception (invoke "throw-past-other-tags" (i32.const 4)))
(assert_return (invoke "get-g") (i32.const 0))
(assert_exception (invoke "set-then-throw" (i32.const 55)))
(assert_return (invoke "get-g") (i32.const 55))
(assert_return (invoke "throw-from-callee" (i32.const 0)) (i32.const 101))
(assert_exception (invoke "throw-from-callee" (i32.const 1)))
;; The instance is still usable after exceptions escaped it.
(assert_return (invoke "throw-from-callee" (i32.const 0)) (i32.const 101))
(assert_return (invoke "throw-if" (i32.const 0)) (i32.const 0))

;; Validation of throw.
(assert_invalid (module (func (throw 0))) "unknown tag 0")
(assert_invalid (module (tag) (func (throw 1))) "unknown tag 1")
(assert_invalid (module (tag (param i32)) (func (throw 0)))
  "type mismatch: instruction requires [i32] but stack has []")
(assert_invalid (module (tag (param i32)) (func (i64.const 5) (throw 0)))
  "type mismatch: instruction requires [i32] but stack has [i64]")
(assert_invalid (module (tag (param i32 f64)) (func (f64.const 1) (i32.const 2) (throw 0)))
  "type mismatch")
(assert_invalid (module (tag (result i32))) "non-empty tag result type")
(assert_invalid (module (type (func (param i32) (result i32))) (tag (type 0)))
  "non-empty tag result type")
(assert_invalid (module (import "m" "t" (tag (result i64)))) "non-empty tag result type")
