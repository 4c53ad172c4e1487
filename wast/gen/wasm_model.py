"""A tiny model of the wasm subset the regression generators use: each
expression renders to folded WAT text and evaluates with wasm semantics
(wrapping integers, IEEE f32/f64 with round-to-nearest), independently of wx."""
import struct, math

M32, M64 = (1 << 32) - 1, (1 << 64) - 1

def f32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]

def f32_bits(x): return struct.unpack('<I', struct.pack('<f', x))[0]
def f64_bits(x): return struct.unpack('<Q', struct.pack('<d', x))[0]
def s32(x): x &= M32; return x - (1 << 32) if x >> 31 else x
def s64(x): x &= M64; return x - (1 << 64) if x >> 63 else x

def wrap(v, bits):
    """`v` as a `bits`-wide unsigned integer."""
    return v & ((1 << bits) - 1)

def signed(v, bits):
    """`v` as a `bits`-wide two's-complement integer."""
    v = wrap(v, bits)
    return v - (1 << bits) if v >> (bits - 1) else v

def fmt_const(ty, v):
    if ty in ('i32', 'i64'):
        return f'({ty}.const {v})' if v < 4096 else f'({ty}.const {v:#x})'
    # The shortest decimal that reads back as this double; an f32 value is
    # a double too, and no other f32 is nearer to that decimal.
    return f'({ty}.const {float(v)!r})'

def norm(ty, v):
    return {'i32': lambda v: v & M32, 'i64': lambda v: v & M64, 'f32': f32, 'f64': float}[ty](v)

def ibin(op, bits, a, b):
    m = (1 << bits) - 1
    sh = b % bits
    sa = a - (1 << bits) if a >> (bits - 1) else a
    r = {
        'add': lambda: a + b, 'sub': lambda: a - b, 'mul': lambda: a * b,
        'xor': lambda: a ^ b, 'or': lambda: a | b, 'and': lambda: a & b,
        'shl': lambda: a << sh, 'shr_u': lambda: a >> sh, 'shr_s': lambda: sa >> sh,
        'rotl': lambda: (a << sh) | (a >> ((bits - sh) % bits)) if sh else a,
        'rotr': lambda: (a >> sh) | (a << ((bits - sh) % bits)) if sh else a,
        'lt_u': lambda: int(a < b), 'eq': lambda: int(a == b),
    }[op]()
    return r & m

def fbin(op, ty, a, b):
    r = {'add': lambda: a + b, 'sub': lambda: a - b, 'mul': lambda: a * b,
         'div': lambda: a / b}[op]()
    return norm(ty, r)

CONV = {
    'i32.wrap_i64': lambda v: v & M32,
    'i64.extend_i32_u': lambda v: v,
    'i64.extend_i32_s': lambda v: s32(v) & M64,
    'f64.convert_i32_s': lambda v: float(s32(v)),
    'f32.convert_i32_s': lambda v: f32(float(s32(v))),
    'f64.convert_i64_s': lambda v: float(s64(v)),
    'f64.promote_f32': lambda v: v,
    'f32.demote_f64': f32,
    'i64.reinterpret_f64': f64_bits,
    'i32.reinterpret_f32': f32_bits,
    'i32.trunc_f64_s': lambda v: int(v) & M32,
    'i64.trunc_f64_s': lambda v: int(v) & M64,
    'f64.abs': abs, 'f64.neg': lambda v: -v, 'f64.sqrt': math.sqrt,
    'f32.abs': abs, 'f32.neg': lambda v: -v,
    'i32.eqz': lambda v: int(v == 0), 'i64.popcnt': lambda v: bin(v).count('1'),
}
CONV_TY = {k: k.split('.')[0] for k in CONV}
CONV_TY['i32.eqz'] = 'i32'

class Get:
    def __init__(s, name, ty): s.name, s.ty = name, ty
    def text(s): return f'(local.get ${s.name})'
    def ev(s, env, fns): return env[s.name]

class Const:
    def __init__(s, ty, v): s.ty, s.v = ty, norm(ty, v)
    def text(s): return fmt_const(s.ty, s.v)
    def ev(s, env, fns): return s.v

class Bin:
    def __init__(s, op, a, b):
        assert a.ty == b.ty, (op, a.ty, b.ty)
        s.op, s.a, s.b = op, a, b
        s.ty = 'i32' if op in ('lt_u', 'eq') else a.ty
    def text(s): return f'({s.a.ty}.{s.op} {s.a.text()} {s.b.text()})'
    def ev(s, env, fns):
        a, b = s.a.ev(env, fns), s.b.ev(env, fns)
        if s.a.ty in ('i32', 'i64'):
            return ibin(s.op, 32 if s.a.ty == 'i32' else 64, a, b)
        return fbin(s.op, s.ty, a, b)

class Un:
    def __init__(s, op, a): s.op, s.a, s.ty = op, a, CONV_TY[op]
    def text(s): return f'({s.op} {s.a.text()})'
    def ev(s, env, fns): return norm(s.ty, CONV[s.op](s.a.ev(env, fns)))

class Call:
    """A direct call. In an expression the callee has one result; under
    SetMulti it may have several."""
    def __init__(s, fn, args):
        s.fn, s.args = fn, args
        assert [a.ty for a in args] == [t for _, t in fn.params], fn.name
        s.ty = fn.results[0] if len(fn.results) == 1 else None
    def text(s): return f'(call ${s.fn.name} ' + ' '.join(a.text() for a in s.args) + ')'
    def ev_all(s, env, fns): return s.fn.run([a.ev(env, fns) for a in s.args], fns)
    def ev(s, env, fns): return s.ev_all(env, fns)[0]

class CallIndirect:
    """call_indirect through a table modelled as a list of Funcs (None: null);
    every entry used must have the named type's signature."""
    def __init__(s, tyname, params, results, table, index, args):
        s.tyname, s.table, s.index, s.args = tyname, table, index, args
        assert [a.ty for a in args] == params
        s.params, s.results = params, results
        s.ty = results[0] if len(results) == 1 else None
    def text(s):
        return (f'(call_indirect (type ${s.tyname}) ' + ' '.join(a.text() for a in s.args)
                + ' ' + s.index.text() + ')')
    def ev_all(s, env, fns):
        args = [a.ev(env, fns) for a in s.args]
        f = s.table[s.index.ev(env, fns)]
        assert [t for _, t in f.params] == s.params and f.results == s.results
        return f.run(args, fns)
    def ev(s, env, fns): return s.ev_all(env, fns)[0]

# Statements
class Set:
    def __init__(s, name, e): s.name, s.e = name, e
    def text(s, ind): return ind + f'(local.set ${s.name} {s.e.text()})'
    def run(s, env, fns): env[s.name] = s.e.ev(env, fns)

class SetMulti:
    """A multi-value call, then (local.set x_n) ... (local.set x_1)."""
    def __init__(s, names, call): s.names, s.call = names, call
    def text(s, ind):
        sets = ' '.join(f'(local.set ${n})' for n in reversed(s.names))
        return ind + s.call.text() + '\n' + ind + sets
    def run(s, env, fns):
        for n, v in zip(s.names, s.call.ev_all(env, fns)): env[n] = v

class Return:
    """An early return when `cond` holds."""
    def __init__(s, cond, values): s.cond, s.values = cond, values
    def text(s, ind):
        vs = ' '.join(v.text() for v in s.values)
        return f'{ind}(if {s.cond.text()} (then (return {vs})))'
    def run(s, env, fns):
        if s.cond.ev(env, fns):
            raise Returned([v.ev(env, fns) for v in s.values])

class Returned(Exception):
    def __init__(s, values): s.values = values

class If:
    def __init__(s, cond, then, els): s.cond, s.then, s.els = cond, then, els
    def text(s, ind):
        t = '\n'.join(x.text(ind + '    ') for x in s.then)
        e = '\n'.join(x.text(ind + '    ') for x in s.els)
        return f'{ind}(if {s.cond.text()}\n{ind}  (then\n{t})\n{ind}  (else\n{e}))'
    def run(s, env, fns):
        for x in (s.then if s.cond.ev(env, fns) else s.els): x.run(env, fns)

class CountedLoop:
    """for i in 0..n (i, n: i32 locals)."""
    def __init__(s, i, n, body, label='l'): s.i, s.n, s.body, s.label = i, n, body, label
    def text(s, ind):
        b = '\n'.join(x.text(ind + '    ') for x in s.body)
        L = s.label
        return (f'{ind}(local.set ${s.i} (i32.const 0))\n'
                f'{ind}(block ${L}_done\n{ind}  (loop ${L}\n'
                f'{ind}    (br_if ${L}_done (i32.ge_u (local.get ${s.i}) (local.get ${s.n})))\n'
                f'{b}\n'
                f'{ind}    (local.set ${s.i} (i32.add (local.get ${s.i}) (i32.const 1)))\n'
                f'{ind}    (br ${L})))')
    def run(s, env, fns):
        env[s.i] = 0
        while env[s.i] < env[s.n]:
            for x in s.body: x.run(env, fns)
            env[s.i] = (env[s.i] + 1) & M32

class Func:
    def __init__(s, name, params, results, locals_, body, result_exprs, export=None, type_name=None):
        s.name, s.params, s.results, s.type_name = name, params, results, type_name
        s.locals, s.body, s.result_exprs, s.export = locals_, body, result_exprs, export
    def text(s):
        exp = f' (export "{s.export}")' if s.export else ''
        ps = ' '.join(f'(param ${n} {t})' for n, t in s.params)
        rs = (' (result ' + ' '.join(s.results) + ')') if s.results else ''
        ty = f' (type ${s.type_name})' if s.type_name else ''
        out = [f'  (func ${s.name}{exp}{ty} {ps}{rs}']
        if s.locals:
            out.append('    ' + ' '.join(f'(local ${n} {t})' for n, t in s.locals))
        out += [x.text('    ') for x in s.body]
        out += ['    ' + e.text() for e in s.result_exprs]
        out[-1] += ')'
        return '\n'.join(out)
    def run(s, args, fns=None):
        env = {n: a for (n, _), a in zip(s.params, args)}
        for n, t in s.locals: env[n] = norm(t, 0)
        try:
            for x in s.body: x.run(env, fns)
        except Returned as r:
            return r.values
        return [e.ev(env, fns) for e in s.result_exprs]

def result_text(ty, v):
    if ty in ('f32', 'f64'):
        return fmt_const(ty, v)
    return fmt_const(ty, v)
