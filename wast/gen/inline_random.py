"""Writes wast/inline_random.wast (run from the repository root:
`python3 wast/gen/inline_random.py > wast/inline_random.wast`; for fuzzing,
`python3 wast/gen/inline_random.py SEED MODULES` draws other modules).

Random small leaf functions (parameters and locals of every type, writes to
parameters, if/else, early returns, counted loops, one to three results) and
random callers that call them with every kind of argument: constants, their
own parameters and locals (the same one twice, too), computed values, the
result of another call, the counter of a loop around the call. The JIT
inlines most of these calls (a few leaves are too big, and the callers with
many calls run out of budget), so the script checks inlined code against
the wasm semantics as modelled in wasm_model.py: the expected results come
from this script, never from wx.

No operation here traps or makes a NaN (a NaN's bits need not agree between
engines): a candidate function whose evaluation makes an infinity, a NaN or
an f32 overflow is drawn again."""
import os, sys, random, math
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wasm_model
from wasm_model import *

I32, I64, F32, F64 = 'i32', 'i64', 'f32', 'f64'
TYS = [I32, I64, F32, F64]
R = random.Random(20251121)

class NotFinite(Exception):
    pass

_fbin = wasm_model.fbin
def finite_fbin(op, ty, a, b):
    r = _fbin(op, ty, a, b)
    if math.isinf(r) or math.isnan(r):
        raise NotFinite()
    return r
wasm_model.fbin = finite_fbin

def g(n, t): return Get(n, t)
def c(t, v): return Const(t, v)

def rconst(t):
    if t == I32: return c(t, R.choice([0, 1, 3, 7, 31, 255, 0x7fffffff, 0x80000000, R.getrandbits(32)]))
    if t == I64: return c(t, R.choice([0, 1, 5, 63, 0xffffffff, 1 << 63, R.getrandbits(64)]))
    return c(t, R.choice([0.0, -0.0, 0.5, -1.25, 3.0, 100.5, -7.75]))

INT_OPS = ['add', 'sub', 'mul', 'xor', 'or', 'and', 'shl', 'shr_u', 'shr_s', 'rotl', 'rotr']
FLOAT_OPS = ['add', 'sub', 'mul']
FROM = {  # conversions to each type: (op, operand type)
    I32: [('i32.wrap_i64', I64), ('i32.eqz', I32), ('i32.reinterpret_f32', F32)],
    I64: [('i64.extend_i32_u', I32), ('i64.extend_i32_s', I32), ('i64.popcnt', I64),
          ('i64.reinterpret_f64', F64)],
    F32: [('f32.convert_i32_s', I32), ('f32.demote_f64', F64), ('f32.neg', F32), ('f32.abs', F32)],
    F64: [('f64.convert_i32_s', I32), ('f64.convert_i64_s', I64), ('f64.promote_f32', F32),
          ('f64.neg', F64), ('f64.abs', F64)],
}

def rexpr(t, env, depth, calls=()):
    """A random expression of type t over the variables in env (name -> type);
    `calls` are single-result functions it may call."""
    vs = [n for n, vt in env.items() if vt == t]
    r = R.random()
    if depth <= 0 or r < 0.3:
        return g(R.choice(vs), t) if vs and R.random() < 0.75 else rconst(t)
    fs = [f for f in calls if f.results == [t]]
    if fs and r < 0.4:
        f = R.choice(fs)
        return Call(f, [rexpr(pt, env, depth - 1) for _, pt in f.params])
    if r < 0.5:
        op, ft = R.choice(FROM[t])
        return Un(op, rexpr(ft, env, depth - 1, calls))
    if t == I32 and r < 0.6:
        ct = R.choice([I32, I64])
        return Bin(R.choice(['lt_u', 'eq']), rexpr(ct, env, depth - 1, calls), rexpr(ct, env, depth - 1, calls))
    op = R.choice(INT_OPS if t in (I32, I64) else FLOAT_OPS)
    return Bin(op, rexpr(t, env, depth - 1, calls), rexpr(t, env, depth - 1, calls))

def cond(env, calls=()):
    return rexpr(I32, env, 1, calls)

def leaf(name):
    params = [(f'p{k}', R.choice(TYS)) for k in range(R.randint(0, 4))]
    locals_ = [(f'l{k}', R.choice(TYS)) for k in range(R.randint(0, 2))]
    results = [R.choice(TYS) for _ in range(R.choice([1, 1, 1, 2, 3]))]
    env = dict(params + locals_)
    body = []
    for _ in range(R.randint(0, 3)):
        kind = R.random()
        names = list(env)
        if kind < 0.45 and names:
            n = R.choice(names)
            body.append(Set(n, rexpr(env[n], env, 2)))
        elif kind < 0.65 and names:
            n, m = R.choice(names), R.choice(names)
            body.append(If(cond(env), [Set(n, rexpr(env[n], env, 1))], [Set(m, rexpr(env[m], env, 1))]))
        elif kind < 0.85:
            body.append(Return(cond(env), [rexpr(t, env, 1) for t in results]))
        else:
            # A short counted loop adding to a local of the leaf's own.
            locals_ += [('i', I32), ('n', I32), ('acc', I64)]
            env.update(i=I32, n=I32, acc=I64)
            body.append(Set('n', Bin('and', rexpr(I32, env, 1), c(I32, 3))))
            body.append(CountedLoop('i', 'n', [Set('acc', Bin('add', g('acc', I64),
                Bin('mul', Un('i64.extend_i32_u', g('i', I32)), rexpr(I64, env, 1))))]))
            break
    return Func(name, params, results, locals_, body, [rexpr(t, env, 2) for t in results])

CALLER_PARAMS = [('x', I32), ('y', I64), ('z', F64), ('w', F32)]

def bits64(e):
    return {I32: lambda: Un('i64.extend_i32_u', e), I64: lambda: e,
            F32: lambda: Un('i64.extend_i32_u', Un('i32.reinterpret_f32', e)),
            F64: lambda: Un('i64.reinterpret_f64', e)}[e.ty]()

def hash_of(exprs):
    h = bits64(exprs[0])
    for e in exprs[1:]:
        h = Bin('xor', Bin('mul', h, c(I64, 0x100000001b3)), bits64(e))
    return h

def call_stmt(env, leaves):
    """Call a random leaf with random arguments, keeping its results."""
    f = R.choice(leaves)
    single = [l for l in leaves if len(l.results) == 1]
    args = []
    for _, pt in f.params:
        vs = [n for n, vt in env.items() if vt == pt]
        r = R.random()
        if r < 0.4 and vs:
            args.append(g(R.choice(vs), pt))
        elif r < 0.55:
            args.append(rconst(pt))
        else:
            args.append(rexpr(pt, env, 1, single))
    targets = []
    for t in f.results:
        vs = [n for n, vt in env.items()
              if vt == t and n not in targets and n not in ('i', 'n')]
        targets.append(R.choice(vs))
    if len(targets) == 1:
        return Set(targets[0], Call(f, args))
    return SetMulti(targets, Call(f, args))

def caller(name, leaves, ncalls):
    locals_ = [(f'v{k}', TYS[k % 4]) for k in range(8)] + [('i', I32), ('n', I32)]
    env = dict(CALLER_PARAMS + locals_[:8])
    body = []
    for _ in range(ncalls):
        kind = R.random()
        if kind < 0.6:
            body.append(call_stmt(env, leaves))
        elif kind < 0.8:
            body.append(If(cond(env), [call_stmt(env, leaves)], [call_stmt(env, leaves)]))
        else:
            # The loop counter is one of the variables the calls may use.
            body.append(Set('n', Bin('and', g('x', I32), c(I32, 7))))
            body.append(CountedLoop('i', 'n', [call_stmt(dict(env, i=I32), leaves)
                                                for _ in range(R.randint(1, 2))]))
    return Func(name, CALLER_PARAMS, [I64], locals_, body,
                [hash_of([g(n, t) for n, t in CALLER_PARAMS + locals_[:8]])], export=name)

ARGS = [[0, 0, 0.0, 0.0], [7, 0x123456789abcdef0, -2.5, 1.5],
        [0xfffffff3, 3, 1e6, -0.125], [5, 1 << 63, 12.25, 100.0]]

def evaluates(f, args_list):
    try:
        for a in args_list:
            f.run(a)
        return True
    except (NotFinite, OverflowError):
        return False

def module():
    leaves = []
    while len(leaves) < 24:
        f = leaf(f'leaf{len(leaves)}')
        # Leaves are checked with random arguments of their own.
        trial = [[rconst(t).v for _, t in f.params] for _ in range(3)]
        if evaluates(f, trial):
            leaves.append(f)
    callers = []
    while len(callers) < 12:
        # The last two make more calls than one caller may inline.
        ncalls = 40 if len(callers) >= 10 else R.randint(2, 8)
        f = caller(f'caller{len(callers)}', leaves, ncalls)
        if evaluates(f, ARGS):
            callers.append(f)
    out = ['(module']
    out += [f.text() for f in leaves + callers]
    out[-1] += ')'
    for f in callers:
        for a in ARGS:
            args = ' '.join(fmt_const(t, v) for (_, t), v in zip(CALLER_PARAMS, a))
            out.append(f'(assert_return (invoke "{f.name}" {args}) {fmt_const(I64, f.run(a)[0])})')
    return out

# Arguments (for fuzzing): a seed and a number of modules.
if len(sys.argv) > 1:
    R.seed(int(sys.argv[1]))
MODULES = int(sys.argv[2]) if len(sys.argv) > 2 else 4
out = [';; Random small leaf functions and callers that call them (inlined by the',
       ';; JIT) with every kind of argument; each caller returns a hash of all its',
       ';; variables.',
       ';;',
       ';; Generated by wast/gen/inline_random.py, which also computes the expected',
       ';; results with its own model of the wasm arithmetic (not with wx).']
for _ in range(MODULES):
    out += module() + ['']
print('\n'.join(out))
