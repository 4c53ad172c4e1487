;; The JIT keeps every i32 zero-extended in 64-bit registers and spill
;; slots and uses address registers as they are. These values come from
;; places that could leave garbage above bit 31: an f32's bits (whose
;; xmm register or slot carries the rest of an f64 after a demotion), a
;; C helper's u32 result (memory.grow), and a wrapped i64.

(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11")

  ;; f32 bits 1..n used as addresses, straight from a demotion.
  (func (export "demoted") (param f64) (result i32)
    (i32.load8_u (i32.reinterpret_f32 (f32.demote_f64 (local.get 0)))))

  ;; Seventeen demoted f32s live at once: more than the float registers,
  ;; so some are spilled with their upper halves, then read as addresses.
  (func (export "spilled") (param f64) (result i32)
    (local f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32)
    (local.set 1 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 1))))
    (local.set 2 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 2))))
    (local.set 3 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 3))))
    (local.set 4 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 4))))
    (local.set 5 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 5))))
    (local.set 6 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 6))))
    (local.set 7 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 7))))
    (local.set 8 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 8))))
    (local.set 9 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 9))))
    (local.set 10 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 10))))
    (local.set 11 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 11))))
    (local.set 12 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 12))))
    (local.set 13 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 13))))
    (local.set 14 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 14))))
    (local.set 15 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 15))))
    (local.set 16 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 16))))
    (local.set 17 (f32.demote_f64 (f64.mul (local.get 0) (f64.const 17))))
    (i32.add
      (i32.add
        (i32.add
          (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 1)))
                   (i32.load8_u (i32.reinterpret_f32 (local.get 2))))
          (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 3)))
                   (i32.load8_u (i32.reinterpret_f32 (local.get 4)))))
        (i32.add
          (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 5)))
                   (i32.load8_u (i32.reinterpret_f32 (local.get 6))))
          (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 7)))
                   (i32.load8_u (i32.reinterpret_f32 (local.get 8))))))
      (i32.add
        (i32.add
          (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 9)))
                   (i32.load8_u (i32.reinterpret_f32 (local.get 10))))
          (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 11)))
                   (i32.load8_u (i32.reinterpret_f32 (local.get 12)))))
        (i32.add
          (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 13)))
                   (i32.load8_u (i32.reinterpret_f32 (local.get 14))))
          (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 15)))
                   (i32.add (i32.load8_u (i32.reinterpret_f32 (local.get 16)))
                            (i32.load8_u (i32.reinterpret_f32 (local.get 17)))))))))

  ;; memory.grow's result (a C function's u32) as an address.
  (func (export "grown") (result i32)
    (i32.load8_u (i32.add (memory.grow (i32.const 0)) (i32.const 4))))

  ;; A wrapped i64 with high bits set, as an address.
  (func (export "wrapped") (param i64) (result i32)
    (i32.load8_u (i32.wrap_i64 (local.get 0))))

  ;; An i32 parameter from the host and from another function, as an address.
  (func $at (export "at") (param i32) (result i32)
    (i32.load8_u offset=1 (local.get 0)))
  (func (export "via_call") (param i64) (result i32)
    (call $at (i32.wrap_i64 (local.get 0))))
)

;; 0x1p-149 is the smallest f32 subnormal: bits 1. An f64 with bits in its
;; low half demotes to it only approximately, so pick exact multiples.
(assert_return (invoke "demoted" (f64.const 0x1p-149)) (i32.const 1))
(assert_return (invoke "demoted" (f64.const 0x1p-146)) (i32.const 8))
(assert_return (invoke "spilled" (f64.const 0x1p-149)) (i32.const 153))
(assert_return (invoke "grown") (i32.const 5))
(assert_return (invoke "wrapped" (i64.const 0xffffffff00000003)) (i32.const 3))
(assert_return (invoke "wrapped" (i64.const 0x1234567800000011)) (i32.const 17))
(assert_return (invoke "at" (i32.const 2)) (i32.const 3))
(assert_return (invoke "via_call" (i64.const 0xabcdef0000000005)) (i32.const 6))
