"""A model of the module in wast/deep_mixed_recursion.wast (written by hand
there): prints the assertions that follow it, with results computed by this
model, never by wx. Run from the repository root:
`python3 wast/gen/deep_mixed_recursion.py`."""
import sys
sys.setrecursionlimit(200000)
M64 = (1 << 64) - 1
mem = bytearray(65536)
visits = 0
TABLE_SIZE = 4

def ping(n, acc):
    if n == 0: return acc
    return pong(n - 1, (acc * 3 + n) & M64) ^ ((n << 1) & M64)

def pong(n, acc):
    global visits
    slot = (n & 1023) << 2
    v = int.from_bytes(mem[slot:slot + 4], 'little')
    mem[slot:slot + 4] = ((v + 1) & 0xffffffff).to_bytes(4, 'little')
    visits = (visits + 1) & 0xffffffff
    if n == 0: return (acc + TABLE_SIZE) & M64
    return (pang(n - 1, (acc + ((n * TABLE_SIZE) & 0xffffffff)) & M64) - n) & M64

def pang(n, acc):
    mem[65520:65536] = bytes([n & 0xff]) * 16
    f = float(n) * 1.5
    if n == 0: return acc
    callee = ping if n & 1 else bounce
    r = callee(n - 1, acc ^ (int(f) & M64))
    return (r + mem[65535]) & M64

def rotl(x, k): k %= 64; return ((x << k) | (x >> (64 - k))) & M64 if k else x

def bounce(n, acc):
    if n == 0: return acc
    return rotl(ping(n - 1, rotl(acc, 7)), 3)

def even(n):
    # $odd's table.get never sees null (all four entries are set).
    return 1 if n % 2 == 0 else 0

for n, acc in [(0, 5), (1, 5), (7, 0x1234), (4001, 0xdeadbeef), (12000, 1)]:
    print(f'(assert_return (invoke "chain" (i32.const {n}) (i64.const {acc:#x})) (i64.const {ping(n, acc):#x}))')
print(f'(assert_return (invoke "visits") (i32.const {visits}))')
for i in [0, 1, 500, 1023]:
    slot = i << 2
    print(f'(assert_return (invoke "slot" (i32.const {i})) (i32.const {int.from_bytes(mem[slot:slot+4], "little")}))')
for n in [0, 1, 5000, 20001]:
    print(f'(assert_return (invoke "even" (i32.const {n})) (i32.const {even(n)}))')
print('(assert_exhaustion (invoke "runaway" (i32.const 0)) "call stack exhausted")')
print(';; The instance is still usable after exhaustion.')
print(f'(assert_return (invoke "chain" (i32.const 7) (i64.const 0x1234)) (i64.const {ping(7, 0x1234):#x}))')
print(f'(assert_return (invoke "even" (i32.const 5000)) (i32.const {even(5000)}))')
