"""A model of the module in wast/trap_deep_chain.wast (written by hand
there): prints the assertions that follow it, with results computed by this
model, never by wx. Run from the repository root:
`python3 wast/gen/trap_deep_chain.py`."""
import sys
sys.setrecursionlimit(100000)
M32, M64 = (1 << 32) - 1, (1 << 64) - 1
mem = [0] * 16384  # i32 words
state = {'entered': 0, 'finished': 0}

class Trap(Exception): pass

MESSAGES = {1: 'unreachable', 2: 'integer divide by zero', 3: 'integer overflow',
            4: 'out of bounds memory access', 5: 'out of bounds memory access',
            6: 'indirect call type mismatch', 7: 'uninitialized element',
            8: 'undefined element', 9: 'invalid conversion to integer',
            10: 'integer overflow', 11: 'call stack exhausted',
            12: 'out of bounds memory access', 13: 'out of bounds table access'}

def rotl32(x, k): return ((x << k) | (x >> (32 - k))) & M32

def bottom(kind, x):
    if kind == 0: return (x * 7 + 3) & M32
    if kind in MESSAGES: raise Trap(MESSAGES[kind])  # no trap writes memory
    return x

def descend(kind, depth, x):
    state['entered'] += 1
    mem[depth & 1023] = x
    r = bottom(kind, x) if depth == 0 else step_a(kind, depth, x)
    state['finished'] += 1
    return r

def step_a(kind, depth, x):
    l = (x * 0x9e3779b97f4a7c15) & M64
    d = float(depth)
    inner = step_b(kind, depth, (x * 3 + 1) & M32)
    return (inner + (((l >> 32) & M32) ^ int(d * 0.5))) & M32

def step_b(kind, depth, x):
    return (descend(kind, depth - 1, rotl32(x, 5)) - depth) & M32

out = []

def call_ok(kind, depth, x):
    r = descend(kind, depth, x)
    out.append(f'(assert_return (invoke "descend" (i32.const {kind}) (i32.const {depth}) (i32.const {x})) (i32.const {r:#x}))')

def call_trap(kind, depth, x):
    try:
        descend(kind, depth, x)
        raise AssertionError('expected a trap')
    except Trap as t:
        msg = str(t)
    d = 'assert_exhaustion' if kind == 11 else 'assert_trap'
    out.append(f'({d} (invoke "descend" (i32.const {kind}) (i32.const {depth}) (i32.const {x})) "{msg}")')

def check_state():
    out.append(f'(assert_return (invoke "entered") (i32.const {state["entered"]}))')
    out.append(f'(assert_return (invoke "finished") (i32.const {state["finished"]}))')
    out.append(f'(assert_return (invoke "peek" (i32.const 0)) (i32.const {mem[0]:#x}))')

call_ok(0, 0, 1)
call_ok(0, 10, 1)
call_ok(99, 10, 2)
check_state()
depths = [0, 1, 50, 1000]
for kind in range(1, 14):
    depth = depths[kind % len(depths)]
    out.append(f';; kind {kind}: {MESSAGES[kind]}, {depth} level{"" if depth == 1 else "s"} down')
    call_trap(kind, depth, 1000 + kind)
    check_state()
    call_ok(0, 3, kind)
out.append(';; The trapping store wrote nothing (the check comes before the write).')
out.append('(assert_return (invoke "last_word") (i32.const 0))')
out.append(';; Exhaustion again, at once and from deep down, then a deep successful chain.')
call_trap(11, 0, 5)
call_trap(11, 2000, 6)
call_ok(0, 2000, 7)
call_trap(2, 2000, 8)
call_ok(0, 2000, 9)
check_state()
out.append('')
print('\n'.join(out))
