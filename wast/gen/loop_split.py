"""Writes wast/loop_split.wast (run from the repository root:
`python3 wast/gen/loop_split.py > wast/loop_split.wast`).

Values spilled because they live across a busy outer loop, used (and some
written) in small inner loops where registers are free: the JIT keeps them
in a register inside those loops, loading it on entry and storing each write
through to the stack. Inner loops are entered conditionally, nested, and
hold calls. Expected results come from the model in wasm_model.py."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wasm_model import *

I32, I64, F64 = 'i32', 'i64', 'f64'
def g(n, t): return Get(n, t)
def c(t, v): return Const(t, v)

mix32 = Func('mix32', [('a', I32), ('b', I32)], [I32], [], [],
    [Bin('mul', Bin('xor', g('a', I32), Bin('rotl', g('b', I32), c(I32, 5))), c(I32, 0x9e3779b1))])
funcs = [mix32]
tests = []

def pressure(name, ty, grow, mix, call):
    """Six values of `ty` live through an outer loop whose tail keeps 14
    temporaries live at once (so some of the six are spilled), and inner loops,
    where no temporary is live, that read some of the six and write others."""
    N, T = 6, 14
    a = [f'a{k}' for k in range(N)]
    t = [f't{k}' for k in range(T)]
    body = [Set(a[k], grow(k)) for k in range(N)]
    inner1 = [Set('acc', mix(g('acc', ty), g(a[3], ty))),
              Set(a[5], mix(g(a[5], ty), g(a[1], ty)))]
    if call:
        inner1.append(Set('m', Call(mix32, [g('m', I32), g('j', I32)])))
    inner2 = [Set(a[4], mix(g(a[4], ty), g(a[2], ty))),
              CountedLoop('q', 'three', [Set(a[0], mix(g(a[0], ty), g(a[4], ty)))], label='q')]
    outer = [If(Bin('and', g('i', I32), c(I32, 1)), [CountedLoop('j', 'm8', inner1, label='j')], []),
             CountedLoop('k', 'm8', inner2, label='k')]
    outer += [Set(t[k], mix(g(a[k % N], ty), g(a[(k + 1) % N], ty))) for k in range(T)]
    fold = g(t[0], ty)
    for k in range(1, T):
        fold = mix(fold, g(t[k], ty))
    outer += [Set(a[k], mix(g(a[k], ty), g(t[(3 * k) % T], ty))) for k in range(N)]
    outer.append(Set('acc', mix(g('acc', ty), fold)))
    body += [Set('three', c(I32, 3)), Set('m8', Bin('and', g('n', I32), c(I32, 7))),
             CountedLoop('i', 'n', outer, label='i')]
    res = g('acc', ty)
    for k in range(N):
        res = mix(res, g(a[k], ty))
    locs = [(x, ty) for x in a + t] + [('acc', ty)] + [(x, I32) for x in ['i', 'j', 'k', 'q', 'm', 'm8', 'three']]
    if ty == I32:
        res = Bin('xor', res, g('m', I32))
    f = Func(name, [('n', I32)], [ty], locs, body, [res], export=name)
    funcs.append(f)
    tests.append(f)

pressure('i32_split', I32, lambda k: Bin('add', Bin('mul', g('n', I32), c(I32, 2 * k + 1)), c(I32, k * 0x01010101)),
         lambda x, y: Bin('add', Bin('rotl', x, c(I32, 3)), y), call=False)
pressure('i32_split_calls', I32, lambda k: Bin('xor', g('n', I32), c(I32, k * 0x0badf00d)),
         lambda x, y: Bin('xor', Bin('mul', x, c(I32, 0x01000193)), y), call=True)
pressure('i64_split', I64, lambda k: Bin('mul', Un('i64.extend_i32_u', g('n', I32)), c(I64, 0x9e3779b97f4a7c15 + k)),
         lambda x, y: Bin('add', Bin('rotl', x, c(I64, 7)), y), call=False)
pressure('f64_split', F64, lambda k: Bin('add', Un('f64.convert_i32_s', g('n', I32)), c(F64, k * 0.5 + 0.25)),
         lambda x, y: Bin('add', Bin('mul', x, c(F64, 0.5)), Bin('mul', y, c(F64, 0.25))), call=False)

out = [';; ' + l for l in __doc__.splitlines()[3:]]
out.append('(module')
out += [f.text() for f in funcs]
out[-1] += ')'
out.append('')
for f in tests:
    for n in [0, 1, 2, 5, 9, 40]:
        r = f.run([n])
        out.append(f'(assert_return (invoke "{f.export}" (i32.const {n})) {result_text(f.results[0], r[0])})')
print('\n'.join(out))
