;; Locals that are dead at a loop header (written before they are read in
;; each iteration) share registers with live ones. An OSR entry receives
;; every local; only those live at the header may be loaded, or a dead one
;; would overwrite a live value sharing its register. (Found on
;; mandelbrot: OSR into an inner loop mid-way computed wrong iterations.)
(module
  (func (export "escape") (param $cr f64) (param $ci f64) (result i32)
    (local $zr f64) (local $zi f64) (local $zr2 f64) (local $zi2 f64)
    (local $t0 f64) (local $t1 f64) (local $t2 f64) (local $t3 f64)
    (local $it i32) (local $k0 i32) (local $k1 i32) (local $k2 i32)
    (block $done
      (loop $l
        (local.set $zr2 (f64.mul (local.get $zr) (local.get $zr)))
        (local.set $zi2 (f64.mul (local.get $zi) (local.get $zi)))
        (local.set $t0 (f64.add (local.get $zr2) (local.get $zi2)))
        (br_if $done (f64.gt (local.get $t0) (f64.const 4)))
        (br_if $done (i32.ge_u (local.get $it) (i32.const 255)))
        (local.set $t1 (f64.mul (f64.const 2) (local.get $zr)))
        (local.set $t2 (f64.mul (local.get $t1) (local.get $zi)))
        (local.set $zi (f64.add (local.get $t2) (local.get $ci)))
        (local.set $t3 (f64.sub (local.get $zr2) (local.get $zi2)))
        (local.set $zr (f64.add (local.get $t3) (local.get $cr)))
        (local.set $k0 (i32.add (local.get $it) (i32.const 1)))
        (local.set $k1 (i32.mul (local.get $k0) (i32.const 1)))
        (local.set $k2 (i32.or (local.get $k1) (i32.const 0)))
        (local.set $it (local.get $k2))
        (br $l)))
    (local.get $it))
  ;; Sum of escape counts over a small grid: many calls, each loop hot.
  (func (export "grid") (param $n i32) (result i32)
    (local $x i32) (local $y i32) (local $sum i32)
    (loop $ly
      (local.set $x (i32.const 0))
      (loop $lx
        (local.set $sum (i32.add (local.get $sum)
          (call 0
            (f64.sub (f64.div (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const 3)) (f64.convert_i32_s (local.get $n))) (f64.const 2.1))
            (f64.sub (f64.div (f64.mul (f64.convert_i32_s (local.get $y)) (f64.const 2.4)) (f64.convert_i32_s (local.get $n))) (f64.const 1.2)))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br_if $lx (i32.lt_s (local.get $x) (local.get $n))))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $ly (i32.lt_s (local.get $y) (local.get $n))))
    (local.get $sum)))

(assert_return (invoke "escape" (f64.const 0) (f64.const 0)) (i32.const 255))
(assert_return (invoke "escape" (f64.const 2) (f64.const 2)) (i32.const 1))
(assert_return (invoke "escape" (f64.const -0.75) (f64.const 0.1)) (i32.const 33))
(assert_return (invoke "grid" (i32.const 24)) (i32.const 34234))
