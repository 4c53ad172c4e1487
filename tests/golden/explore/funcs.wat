;; Functions whose JIT output `tests/explore_golden.rs` pins for each ISA:
;; integer arithmetic with a trap, a loop over memory, a call through a
;; table, floats, an atomic, a try_table catch, and floats live across a
;; call in a loop (on x86-64, saved before the call and reloaded after).
(module
  (type $bin (func (param i32 i32) (result i32)))
  (type $unary (func (param f64) (result f64)))
  (memory 1 1 shared)
  (table 2 funcref)
  (tag $e (param i32))
  (func $divmod (export "divmod") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.div_s (local.get $a) (local.get $b))
             (i32.rem_u (local.get $a) (local.get $b))))
  (func $sum (export "sum") (param $p i32) (param $n i32) (result i64)
    (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.load32_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func $indirect (export "indirect") (param $i i32) (result i32)
    (call_indirect (type $bin) (local.get $i) (i32.const 7) (local.get $i)))
  (func $hypot (export "hypot") (param $x f64) (param $y f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get $x) (local.get $x))
                       (f64.mul (local.get $y) (local.get $y)))))
  (func $trunc (export "trunc") (param $x f32) (result i32)
    (i32.trunc_f32_s (f32.nearest (local.get $x))))
  (func $bump (export "bump") (param $p i32) (result i32)
    (i32.atomic.rmw.add (local.get $p) (i32.const 1)))
  (func $orbit (export "orbit") (param $x f64) (param $n i32) (result f64)
    (local $acc f64)
    (loop $l
      (local.set $acc
        (f64.add (f64.mul (call_indirect (type $unary) (local.get $acc) (local.get $n))
                          (local.get $x))
                 (local.get $x)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (f64.mul (local.get $acc) (local.get $x)))
  (func $catch (export "catch") (param $x i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (throw $e (local.get $x)))
      (i32.const 0))))
