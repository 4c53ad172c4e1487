;; A bytecode interpreter loop: its header loads an opcode and dispatches
;; through a jump-table br_table, and every case jumps back to it. The JIT
;; emits a copy of such a dispatch block at the end of each case (threaded
;; dispatch); these check that every copy computes, branches and traps like
;; the original. Expected values come from a Python model of the same VM.
;;
;; Opcodes (opcode byte, argument byte): 0 halt -> acc; 1 acc = a;
;; 2 acc += a; 3 acc *= a; 4 acc ^= a; 5 x -= 1, if x != 0 jump to a;
;; 6 x = a; 7 acc <<= a; 8 acc += data[a]; 9 unreachable; 10 jump to 65534;
;; anything else -> -1.
(module
  (memory 1)
  (data (i32.const 0) "\01\05\02\07\03\03\00\00")
  (data (i32.const 16) "\06\0a\01\01\03\03\04\01\05\14\00\00")
  (data (i32.const 40) "\06\c8\01\00\08\00\02\01\07\01\05\2c\00\00")
  (data (i32.const 64) "\01\01\09\00")
  (data (i32.const 70) "\01\01\ee\00")
  (data (i32.const 80) "\01\09\0a\00")
  (data (i32.const 90) "\06\64\01\01\08\03\07\03\04\5a\03\07\02\63\05\5e\00\00")
  (data (i32.const 256) "\0b\30\55\7a\9f\c4\e9\0e\33\58\7d\a2\c7\ec\11\36\5b\80\a5\ca\ef\14\39\5e\83\a8\cd\f2\17\3c\61\86\ab\d0\f5\1a\3f\64\89\ae\d3\f8\1d\42\67\8c\b1\d6\fb\20\45\6a\8f\b4\d9\fe\23\48\6d\92\b7\dc\01\26\4b\70\95\ba\df\04\29\4e\73\98\bd\e2\07\2c\51\76\9b\c0\e5\0a\2f\54\79\9e\c3\e8\0d\32\57\7c\a1\c6\eb\10\35\5a\7f\a4\c9\ee\13\38\5d\82\a7\cc\f1\16\3b\60\85\aa\cf\f4\19\3e\63\88\ad\d2\f7\1c\41\66\8b\b0\d5\fa\1f\44\69\8e\b3\d8\fd\22\47\6c\91\b6\db\00\25\4a\6f\94\b9\de\03\28\4d\72\97\bc\e1\06\2b\50\75\9a\bf\e4\09\2e\53\78\9d\c2\e7\0c\31\56\7b\a0\c5\ea\0f\34\59\7e\a3\c8\ed\12\37\5c\81\a6\cb\f0\15\3a\5f\84\a9\ce\f3\18\3d\62\87\ac\d1\f6\1b\40\65\8a\af\d4\f9\1e\43\68\8d\b2\d7\fc\21\46\6b\90\b5\da\ff\24\49\6e\93\b8\dd\02\27\4c\71\96\bb\e0\05\2a\4f\74\99\be\e3\08\2d\52\77\9c\c1\e6")
  ;; ADDI 1 in the last two bytes: the dispatch after it reads past the end.
  (data (i32.const 65534) "\02\01")
  (func (export "run") (param $pc i32) (result i32)
    (local $acc i32) (local $x i32) (local $op i32) (local $arg i32)
    (loop $next
      (local.set $op (i32.load8_u (local.get $pc)))
      (local.set $arg (i32.load8_u offset=1 (local.get $pc)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 2)))
      (block $default (block $far (block $trap (block $load (block $shl
      (block $setx (block $djnz (block $xor (block $muli (block $addi
      (block $ldi (block $halt
        (br_table $halt $ldi $addi $muli $xor $djnz $setx $shl $load $trap
                  $far $default (local.get $op)))
        (return (local.get $acc)))
        (local.set $acc (local.get $arg)) (br $next))
        (local.set $acc (i32.add (local.get $acc) (local.get $arg))) (br $next))
        (local.set $acc (i32.mul (local.get $acc) (local.get $arg))) (br $next))
        (local.set $acc (i32.xor (local.get $acc) (local.get $arg))) (br $next))
        (local.set $x (i32.sub (local.get $x) (i32.const 1)))
        (if (local.get $x) (then (local.set $pc (local.get $arg))))
        (br $next))
        (local.set $x (local.get $arg)) (br $next))
        (local.set $acc (i32.shl (local.get $acc) (local.get $arg))) (br $next))
        (local.set $acc (i32.add (local.get $acc)
          (i32.load8_u offset=256 (local.get $arg))))
        (br $next))
        (unreachable))
        (local.set $pc (i32.const 65534)) (br $next))
      (return (i32.const -1)))
    (unreachable))
)

(assert_return (invoke "run" (i32.const 0)) (i32.const 36))
(assert_return (invoke "run" (i32.const 16)) (i32.const 44287))
(assert_return (invoke "run" (i32.const 40)) (i32.const -24))
(assert_trap (invoke "run" (i32.const 64)) "unreachable")
(assert_return (invoke "run" (i32.const 70)) (i32.const -1))
(assert_trap (invoke "run" (i32.const 80)) "out of bounds memory access")
(assert_return (invoke "run" (i32.const 90)) (i32.const -1639896719))
;; The store stays usable after the traps.
(assert_return (invoke "run" (i32.const 0)) (i32.const 36))
