"""Writes wast/dispatch_loop.wast (run from the repository root:
`python3 wast/gen/dispatch_loop.py > wast/dispatch_loop.wast`).

A bytecode interpreter loop dispatching through a jump-table br_table; the
expected results come from `run`, a model of the same VM.
"""

M=1<<32
def run(mem, pc):
    acc=x=0
    while True:
        if pc+1 >= 65536: return 'oob'
        op, arg = mem[pc], mem[pc+1]; pc += 2
        if op==0: return acc
        elif op==1: acc=arg
        elif op==2: acc=(acc+arg)%M
        elif op==3: acc=(acc*arg)%M
        elif op==4: acc^=arg
        elif op==5:
            x=(x-1)%M
            if x: pc=arg
        elif op==6: x=arg
        elif op==7: acc=(acc<<(arg&31))%M
        elif op==8: acc=(acc+mem[256+arg])%M
        elif op==9: return 'unreachable'
        elif op==10: pc=65534
        else: return -1
mem=bytearray(65536)
progs={0:[1,5,2,7,3,3,0,0],
 16:[6,10,1,1,3,3,4,1,5,20,0,0],
 40:[6,200,1,0,8,0,2,1,7,1,5,44,0,0],
 64:[1,1,9,0],
 70:[1,1,0xee,0],
 80:[1,9,10,0],
 90:[6,100,1,1,8,3,7,3,4,0x5a,3,7,2,99,5,94,0,0]}
for a,p in progs.items(): mem[a:a+len(p)]=bytes(p)
for i in range(256): mem[256+i]=(i*37+11)&255
mem[65534]=2; mem[65535]=1
def esc(bs): return ''.join('\\%02x'%b for b in bs)
out=[]
out.append(''';; A bytecode interpreter loop: its header loads an opcode and dispatches
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
  (memory 1)''')
for a,p in progs.items():
    out.append('  (data (i32.const %d) "%s")'%(a,esc(p)))
out.append('  (data (i32.const 256) "%s")'%esc([(i*37+11)&255 for i in range(256)]))
out.append('  ;; ADDI 1 in the last two bytes: the dispatch after it reads past the end.')
out.append('  (data (i32.const 65534) "\\02\\01")')
out.append('''  (func (export "run") (param $pc i32) (result i32)
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
''')
for a in progs:
    r=run(mem,a)
    if r=='unreachable': out.append('(assert_trap (invoke "run" (i32.const %d)) "unreachable")'%a)
    elif r=='oob': out.append('(assert_trap (invoke "run" (i32.const %d)) "out of bounds memory access")'%a)
    else: out.append('(assert_return (invoke "run" (i32.const %d)) (i32.const %d))'%(a, r if r<2**31 else r-M))
out.append(';; The store stays usable after the traps.')
out.append('(assert_return (invoke "run" (i32.const 0)) (i32.const 36))')
print('\n'.join(out))
