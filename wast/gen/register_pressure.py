"""Writes wast/register_pressure.wast (run from the repository root:
`python3 wast/gen/register_pressure.py > wast/register_pressure.wast`).

The functions are built in the small wasm model of wasm_model.py, which
renders each one as WAT and also evaluates it, so the expected results come
from this model's own wasm semantics, never from wx."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wasm_model import *

I32, I64, F32, F64 = 'i32', 'i64', 'f32', 'f64'
def g(n, t): return Get(n, t)
def c(t, v): return Const(t, v)

funcs = []

# Helpers: small callees, and one that itself needs many registers (so the
# caller's values must survive a callee that uses every register it may).
mix32 = Func('mix32', [('a', I32), ('b', I32)], [I32], [], [],
    [Bin('mul', Bin('xor', g('a', I32), Bin('rotl', g('b', I32), c(I32, 5))), c(I32, 0x9e3779b1))])
mix64 = Func('mix64', [('a', I64), ('b', I64)], [I64], [], [],
    [Bin('add', Bin('mul', g('a', I64), c(I64, 0x100000001b3)), Bin('rotr', g('b', I64), c(I64, 17)))])
mixf64 = Func('mixf64', [('a', F64), ('b', F64)], [F64], [], [],
    [Bin('sub', Bin('mul', g('a', F64), c(F64, 0.75)), Bin('mul', g('b', F64), c(F64, 0.125)))])
mixf32 = Func('mixf32', [('a', F32), ('b', F32)], [F32], [], [],
    [Bin('add', Bin('mul', g('a', F32), c(F32, 0.625)), Bin('mul', g('b', F32), c(F32, 0.25)))])
# churn: 16 live locals of its own, looped, so it uses (and clobbers) as
# many registers as the allocator gives it.
CH = 16
ch_locals = [(f'c{k}', I32) for k in range(CH)] + [('i', I32), ('n', I32)]
ch_body = [Set(f'c{k}', Bin('add', g('x', I32), c(I32, k * 0x01010101))) for k in range(CH)]
ch_body.append(Set('n', Bin('and', g('x', I32), c(I32, 7))))
ch_body.append(CountedLoop('i', 'n', [
    Set(f'c{k}', Bin('xor', Bin('add', g(f'c{k}', I32), g(f'c{(k + 1) % CH}', I32)), g('i', I32)))
    for k in range(CH)]))
res = g('c0', I32)
for k in range(1, CH):
    res = Bin('add', res, Bin('mul', g(f'c{k}', I32), c(I32, 2 * k + 1)))
churn = Func('churn', [('x', I32)], [I32], ch_locals, ch_body, [res])
funcs += [mix32, mix64, mixf64, mixf32, churn]

def deep_sum(ty, names, op, weight):
    """op(w0*a0, op(w1*a1, op(...))): every product is computed and kept on
    the operand stack before the first combination."""
    terms = [Bin('mul', g(n, ty), c(ty, weight(k))) for k, n in enumerate(names)]
    e = terms[-1]
    for t in reversed(terms[:-1]):
        e = Bin(op, t, e)
    return e

# 1. i32: 24 values live across a loop, two calls per iteration and a branch.
N = 24
a = [f'a{k}' for k in range(N)]
body = [Set(a[k], Bin('add', Bin('mul', g('n', I32), c(I32, 2 * k + 1)), c(I32, k * 0x01010101))) for k in range(N)]
loop = [Set(a[k], Bin('add', g(a[k], I32), Bin('xor', g(a[(k + 1) % N], I32), Bin('add', g('i', I32), c(I32, k))))) for k in range(N)]
loop.append(Set(a[0], Call(mix32, [g(a[0], I32), g(a[12], I32)])))
loop.append(If(Bin('and', g('i', I32), c(I32, 1)),
    [Set(a[13], Bin('xor', g(a[13], I32), Call(churn, [g(a[5], I32)])))],
    [Set(a[7], Bin('sub', g(a[7], I32), Call(mix32, [g(a[20], I32), g(a[3], I32)])))]))
body.append(CountedLoop('i', 'n', loop))
f_i32 = Func('i32_pressure', [('n', I32)], [I32], [(x, I32) for x in a] + [('i', I32)], body,
    [deep_sum(I32, a, 'xor', lambda k: 2 * k + 3)], export='i32_pressure')

# 2. i64: 20 values.
N = 20
a = [f'a{k}' for k in range(N)]
body = [Set(a[k], Bin('xor', Bin('mul', Un('i64.extend_i32_u', g('n', I32)), c(I64, 0x9e3779b97f4a7c15 + k)), c(I64, k << 40))) for k in range(N)]
loop = [Set(a[k], Bin('add', Bin('rotl', g(a[k], I64), c(I64, k + 1)), Bin('xor', g(a[(k + 3) % N], I64), Un('i64.extend_i32_u', g('i', I32))))) for k in range(N)]
loop.append(Set(a[1], Call(mix64, [g(a[1], I64), g(a[19], I64)])))
loop.append(Set(a[2], Bin('add', g(a[2], I64), Un('i64.extend_i32_s', Call(churn, [Un('i32.wrap_i64', g(a[9], I64))])))))
body.append(CountedLoop('i', 'n', loop))
f_i64 = Func('i64_pressure', [('n', I32)], [I64], [(x, I64) for x in a] + [('i', I32)], body,
    [deep_sum(I64, a, 'add', lambda k: 0x100 * k + 1)], export='i64_pressure')

# 3. f64: 20 values, contractive updates (stay finite, no NaN).
N = 20
a = [f'a{k}' for k in range(N)]
body = [Set(a[k], Bin('add', Un('f64.convert_i32_s', g('n', I32)), c(F64, k * 0.5 + 0.25))) for k in range(N)]
loop = [Set(a[k], Bin('add', Bin('add', Bin('mul', g(a[k], F64), c(F64, 0.5)), Bin('mul', g(a[(k + 1) % N], F64), c(F64, 0.375))), Un('f64.convert_i32_s', Bin('add', g('i', I32), c(I32, k))))) for k in range(N)]
loop.append(Set(a[4], Call(mixf64, [g(a[4], F64), g(a[17], F64)])))
loop.append(Set(a[11], Bin('add', g(a[11], F64), Un('f64.convert_i32_s', Bin('and', Call(churn, [g('i', I32)]), c(I32, 0xff))))))
body.append(CountedLoop('i', 'n', loop))
f_f64 = Func('f64_pressure', [('n', I32)], [F64], [(x, F64) for x in a] + [('i', I32)], body,
    [deep_sum(F64, a, 'add', lambda k: k + 1.0)], export='f64_pressure')

# 4. f32: 20 values.
a = [f'a{k}' for k in range(N)]
body = [Set(a[k], Bin('sub', Un('f32.convert_i32_s', g('n', I32)), c(F32, k * 0.75))) for k in range(N)]
loop = [Set(a[k], Bin('add', Bin('mul', g(a[k], F32), c(F32, 0.5)), Bin('mul', g(a[(k + 7) % N], F32), c(F32, 0.25)))) for k in range(N)]
loop.append(Set(a[0], Call(mixf32, [g(a[0], F32), Un('f32.convert_i32_s', g('i', I32))])))
loop.append(Set(a[19], Call(mixf32, [g(a[19], F32), Un('f32.demote_f64', Call(mixf64, [Un('f64.promote_f32', g(a[3], F32)), Un('f64.convert_i32_s', g('n', I32))]))])))
body.append(CountedLoop('i', 'n', loop))
f_f32 = Func('f32_pressure', [('n', I32)], [F32], [(x, F32) for x in a] + [('i', I32)], body,
    [deep_sum(F32, a, 'add', lambda k: 0.5 * k + 1.0)], export='f32_pressure')

# 5. All four types at once: 10 of each (40 values) live across a loop with
# calls, conversions between them, and a multi-value call.
pair = Func('pair', [('x', I64), ('y', F64)], [F64, I64], [], [],
    [Bin('add', g('y', F64), c(F64, 1.5)), Bin('xor', g('x', I64), c(I64, 0x5555))])
N = 10
xi = [f'i{k}' for k in range(N)]; xl = [f'l{k}' for k in range(N)]
xf = [f'f{k}' for k in range(N)]; xd = [f'd{k}' for k in range(N)]
body = []
for k in range(N):
    body += [Set(xi[k], Bin('add', g('n', I32), c(I32, 1000 * k))),
             Set(xl[k], Bin('mul', Un('i64.extend_i32_u', g('n', I32)), c(I64, 0x1000000 + k))),
             Set(xf[k], Bin('add', Un('f32.convert_i32_s', g('n', I32)), c(F32, k + 0.5))),
             Set(xd[k], Bin('mul', Un('f64.convert_i32_s', g('n', I32)), c(F64, k - 4.5)))]
loop = []
for k in range(N):
    loop += [Set(xi[k], Bin('add', g(xi[k], I32), Un('i32.wrap_i64', g(xl[(k + 1) % N], I64)))),
             Set(xl[k], Bin('xor', g(xl[k], I64), Bin('shl', Un('i64.extend_i32_u', g(xi[(k + 2) % N], I32)), c(I64, k)))),
             Set(xf[k], Bin('add', Bin('mul', g(xf[k], F32), c(F32, 0.5)), Un('f32.demote_f64', Bin('mul', g(xd[(k + 3) % N], F64), c(F64, 0.25))))),
             Set(xd[k], Bin('add', Bin('mul', g(xd[k], F64), c(F64, 0.5)), Un('f64.convert_i32_s', Bin('and', g(xi[k], I32), c(I32, 0xfff)))))]
loop.append(SetMulti(["d0", "l0"], Call(pair, [g("l5", I64), g("d5", F64)])))
loop.append(Set('i9', Bin('add', g('i9', I32), Call(churn, [g('i3', I32)]))))
loop.append(Set('f9', Call(mixf32, [g('f9', F32), g('f1', F32)])))
body.append(CountedLoop('i', 'n', loop))
res = c(I64, 0)
for k in range(N):
    res = Bin('add', Bin('mul', res, c(I64, 31)), Bin('xor', Bin('xor', Un('i64.extend_i32_u', g(xi[k], I32)), g(xl[k], I64)),
        Bin('xor', Un('i64.extend_i32_u', Un('i32.reinterpret_f32', g(xf[k], F32))), Un('i64.reinterpret_f64', g(xd[k], F64)))))
locs = [(x, I32) for x in xi] + [(x, I64) for x in xl] + [(x, F32) for x in xf] + [(x, F64) for x in xd] + [('i', I32)]
f_mixed = Func('mixed_pressure', [('n', I32)], [I64], locs, body, [res], export='mixed_pressure')
funcs += [pair, f_i32, f_i64, f_f64, f_f32, f_mixed]

out = [';; Register pressure: dozens of i32/i64/f32/f64 values live at once, across',
       ';; loops, branches and calls (including a callee that itself uses many',
       ';; registers), so the JIT\'s allocator must spill and reload, keep values in',
       ';; callee-saved registers, and never let a call clobber a live one.',
       ';;',
       ';; Generated by wast/gen/register_pressure.py, which also computes the expected',
       ';; results with its own model of the wasm arithmetic (not with wx).',
       '(module']
out += [f.text() for f in funcs]
out[-1] += ')'
out.append('')
for f in [f_i32, f_i64, f_f64, f_f32, f_mixed]:
    for n in [0, 1, 2, 7, 64, 300]:
        r = f.run([n])
        out.append(f'(assert_return (invoke "{f.export}" (i32.const {n})) {result_text(f.results[0], r[0])})')
# churn and pair on their own too, for a smaller failing case.
out.append('')
print('\n'.join(out))
