"""Writes wast/many_args.wast (run from the repository root:
`python3 wast/gen/many_args.py > wast/many_args.wast`).

The functions are built in the small wasm model of wasm_model.py, which
renders each one as WAT and also evaluates it, so the expected results come
from this model's own wasm semantics, never from wx."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wasm_model import *
sys.setrecursionlimit(100000)

I32, I64, F32, F64 = 'i32', 'i64', 'f32', 'f64'
def g(n, t): return Get(n, t)
def c(t, v): return Const(t, v)

def bits64(e):
    """The raw bits of any value as an i64."""
    return {I32: lambda: Un('i64.extend_i32_u', e), I64: lambda: e,
            F32: lambda: Un('i64.extend_i32_u', Un('i32.reinterpret_f32', e)),
            F64: lambda: Un('i64.reinterpret_f64', e)}[e.ty]()

P = 0x100000001b3
def hash_of(exprs):
    """h = bits(e0); h = h * P ^ bits(e_k): sensitive to every bit and the order."""
    h = bits64(exprs[0])
    for e in exprs[1:]:
        h = Bin('xor', Bin('mul', h, c(I64, P)), bits64(e))
    return h

T16 = [I32, I64, F32, F64] * 4
p16 = [(f'p{k}', t) for k, t in enumerate(T16)]
def args16(order): return [g(f'p{k}', T16[k]) for k in order]
funcs = []

hash16 = Func('hash16', p16, [I64], [], [], [hash_of(args16(range(16)))], export='hash16', type_name='t16')
# Rotated and group-reversed argument lists: the caller must shuffle its
# incoming arguments into outgoing ones (cycles of moves, stack to stack).
rot = [(k + 4) % 16 for k in range(16)]
grp = [4 * (3 - k // 4) + k % 4 for k in range(16)]
shuffle16 = Func('shuffle16', p16, [I64], [], [],
    [Bin('add', Bin('mul', Call(hash16, args16(rot)), c(I64, 3)), Call(hash16, args16(grp)))],
    export='shuffle16', type_name='t16')
# Same type, different body, for the table.
scaled16 = Func('scaled16', p16, [I64], [], [],
    [hash_of([Bin('mul', a, c(a.ty, 3 if a.ty in (I32, I64) else 1.5)) for a in args16(range(16))])],
    type_name='t16')
TABLE = []  # filled below, in the module's table order
indirect16 = Func('indirect16', [('sel', I32)] + p16, [I64], [], [],
    [CallIndirect('t16', T16, [I64], TABLE, g('sel', I32), args16(range(16)))], export='indirect16')

# Recursion passing 16 arguments on: depth n, arguments rotated each level.
walk_args = [Bin('sub', g('p0', I32), c(I32, 1))] + \
    [Bin('add', g('p8', I32), g('p0', I32)) if k == 4 else g(f'p{(k + 4) % 16}', T16[k]) for k in range(1, 16)]
walk16 = Func('walk16', p16, [I64], [], [], [])
walk16.body = [Return(Un('i32.eqz', g('p0', I32)), [hash16_call := Call(hash16, args16(range(16)))])]
walk16.result_exprs = [Bin('add', Call(walk16, walk_args), Un('i64.extend_i32_u', g('p0', I32)))]
walk16.export = 'walk16'

# 20 interleaved arguments, 6 results.
T20 = [I32, F64, I64, F32, I32] * 4
p20 = [(f'q{k}', t) for k, t in enumerate(T20)]
def q(k): return g(f'q{k}', T20[k])
ints32 = [k for k in range(20) if T20[k] == I32]
ints64 = [k for k in range(20) if T20[k] == I64]
fl64 = [k for k in range(20) if T20[k] == F64]
fl32 = [k for k in range(20) if T20[k] == F32]
def fold(op, es):
    e = es[0]
    for x in es[1:]: e = Bin(op, e, x)
    return e
R6 = [I64, F64, I32, F32, I64, F64]
spread20 = Func('spread20', p20, R6, [], [], [
    fold('add', [Bin('mul', g(f'q{k}', I64), c(I64, k + 1)) for k in ints64]),
    fold('add', [Bin('mul', g(f'q{k}', F64), c(F64, k + 0.5)) for k in fl64]),
    fold('xor', [Bin('rotl', g(f'q{k}', I32), c(I32, k)) for k in ints32]),
    fold('sub', [g(f'q{k}', F32) for k in fl32]),
    hash_of([q(k) for k in range(20)]),
    Bin('sub', q(1), q(16)),
], export='spread20', type_name='t20')
# Same signature, results permuted in value (not in type).
spread20b = Func('spread20b', p20, R6, [], [], [
    hash_of([q(k) for k in reversed(range(20))]), Bin('add', q(6), q(11)),
    Bin('add', q(0), q(19)), Bin('mul', q(3), q(8)), Bin('sub', q(2), q(17)), q(16)],
    type_name='t20')
r = [(f'r{k}', t) for k, t in enumerate(R6)]
def combine6():
    return hash_of([g(n, t) for n, t in r])
# The 20 arguments are computed from 2, and the 6 results folded into one.
def make20(x, y):
    out = []
    for k, t in enumerate(T20):
        if t == I32: out.append(Bin('add', x, c(I32, k * 0x1001)))
        elif t == I64: out.append(Bin('mul', Un('i64.extend_i32_s', x), c(I64, 0x10001 * (k + 1))))
        elif t == F64: out.append(Bin('add', y, c(F64, k * 0.25)))
        else: out.append(Bin('sub', Un('f32.demote_f64', y), c(F32, k)))
    return out
call20 = Func('call20', [('x', I32), ('y', F64)], [I64], r, [
    SetMulti([n for n, _ in r], Call(spread20, make20(g('x', I32), g('y', F64))))],
    [combine6()], export='call20')
call20_indirect = Func('call20_indirect', [('sel', I32), ('x', I32), ('y', F64)], [I64], r, [
    SetMulti([n for n, _ in r], CallIndirect('t20', T20, R6, TABLE, g('sel', I32), make20(g('x', I32), g('y', F64))))],
    [combine6()], export='call20_indirect')

# 12 results from 1 argument, through a direct and an indirect call.
T12 = [I32, I64, F32, F64] * 3
fan12 = Func('fan12', [('x', I32)], T12, [], [], [
    {I32: lambda k: Bin('mul', g('x', I32), c(I32, k + 2)),
     I64: lambda k: Bin('shl', Un('i64.extend_i32_u', g('x', I32)), c(I64, k)),
     F32: lambda k: Bin('add', Un('f32.convert_i32_s', g('x', I32)), c(F32, k / 4)),
     F64: lambda k: Bin('div', Un('f64.convert_i32_s', g('x', I32)), c(F64, k + 1))}[t](k)
    for k, t in enumerate(T12)], export='fan12', type_name='t12')
s12 = [(f's{k}', t) for k, t in enumerate(T12)]
fan12_sum = Func('fan12_sum', [('x', I32), ('via_table', I32)], [I64], s12, [
    If(g('via_table', I32),
       [SetMulti([n for n, _ in s12], CallIndirect('t12', [I32], T12, TABLE, c(I32, 5), [g('x', I32)]))],
       [SetMulti([n for n, _ in s12], Call(fan12, [g('x', I32)]))])],
    [hash_of([g(n, t) for n, t in s12])], export='fan12_sum')

TABLE += [hash16, shuffle16, scaled16, spread20, spread20b, fan12]
funcs = [hash16, shuffle16, scaled16, indirect16, walk16, spread20, spread20b, call20, call20_indirect, fan12, fan12_sum]

def types():
    def sig(ps, rs): return '(func (param ' + ' '.join(ps) + ') (result ' + ' '.join(rs) + '))'
    return [f'  (type $t16 {sig(T16, [I64])})', f'  (type $t20 {sig(T20, R6)})',
            f'  (type $t12 {sig([I32], T12)})']

# Argument values for the exported entry points.
def a16(seed):
    vals = []
    for k, t in enumerate(T16):
        v = seed * (k + 1)
        vals.append({I32: lambda: (v * 0x9e3779b1) & M32, I64: lambda: (v * 0x9e3779b97f4a7c15) & M64,
                     F32: lambda: f32(v / 8 - 3.25), F64: lambda: v / 3.0 - 100}[t]())
    return vals
def a20(seed):
    vals = []
    for k, t in enumerate(T20):
        v = seed + k
        vals.append({I32: lambda: (v * 0x01000193) & M32, I64: lambda: (v * 0xcbf29ce484222325) & M64,
                     F32: lambda: f32(v * 0.375), F64: lambda: v * 1.0625 - 7}[t]())
    return vals
def lit(t, v): return fmt_const(t, v)
def invoke(name, args, results):
    a = ' '.join(lit(t, v) for t, v in args)
    rs = ' '.join(lit(t, v) for t, v in results)
    return f'(assert_return (invoke "{name}" {a})\n  {rs})'

out = [';; Calls with more arguments than argument registers (16 and 20, integers',
       ';; and floats interleaved) and more results than return registers (6 and',
       ';; 12): direct, through call_indirect, passed on with the arguments',
       ';; permuted, and through 1000 levels of recursion. Every argument and',
       ';; result goes through an order-sensitive hash of its bits.',
       ';;',
       ';; Generated by wast/gen/many_args.py, which also computes the expected',
       ';; results with its own model of the wasm arithmetic (not with wx).',
       '(module'] + types() + [
       '  (table $t funcref (elem $hash16 $shuffle16 $scaled16 $spread20 $spread20b $fan12))']
out += [f.text() for f in funcs]
out[-1] += ')'
out.append('')
# Table layout: t16 entries at 0..2, t20 at 3..4, fan12 at 5.
for seed in [1, 7]:
    args = a16(seed)
    out.append(invoke('hash16', list(zip(T16, args)), [(I64, hash16.run(args)[0])]))
    out.append(invoke('shuffle16', list(zip(T16, args)), [(I64, shuffle16.run(args)[0])]))
    for sel in range(3):
        # The wasm table index is sel; the model's table16 is indexed the same.
        out.append(invoke('indirect16', [(I32, sel)] + list(zip(T16, args)), [(I64, indirect16.run([sel] + args)[0])]))
for seed, depth in [(3, 0), (5, 1), (9, 1000)]:
    args = a16(seed)
    args[0] = depth
    out.append(invoke('walk16', list(zip(T16, args)), [(I64, walk16.run(args)[0])]))
for seed in [0, 11]:
    args = a20(seed)
    out.append(invoke('spread20', list(zip(T20, args)), list(zip(R6, spread20.run(args)))))
for x, y in [(5, 0.5), (-123456, 1e10)]:
    out.append(invoke('call20', [(I32, x & M32), (F64, y)], [(I64, call20.run([x & M32, y])[0])]))
    for sel in range(2):
        out.append(invoke('call20_indirect', [(I32, sel + 3), (I32, x & M32), (F64, y)],
                          [(I64, call20_indirect.run([sel + 3, x & M32, y])[0])]))
for x in [1, 0x7ffffff]:
    out.append(invoke('fan12', [(I32, x)], list(zip(T12, fan12.run([x])))))
    for via in [0, 1]:
        out.append(invoke('fan12_sum', [(I32, x), (I32, via)], [(I64, fan12_sum.run([x, via])[0])]))
out.append(';; A wrong table entry type is still caught with 16 arguments.')
out.append('(assert_trap (invoke "indirect16" ' + lit(I32, 3) + ' ' + ' '.join(lit(t, v) for t, v in zip(T16, a16(1))) + ')\n  "indirect call type mismatch")')
out.append('(assert_trap (invoke "indirect16" ' + lit(I32, 6) + ' ' + ' '.join(lit(t, v) for t, v in zip(T16, a16(1))) + ')\n  "undefined element")')
out.append('')
print('\n'.join(out))
