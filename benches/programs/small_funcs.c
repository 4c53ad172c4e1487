/* small_funcs.c - many small non-inlined functions.
 * Stresses: direct call overhead, argument passing (i32/i64/f64, up to 8
 * parameters), small struct returns (become multi-value returns when built
 * with -mmultivalue and the experimental-mv ABI), and shallow call chains. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NI __attribute__((noinline))

typedef struct {
    uint32_t lo, hi;
} pair32;

typedef struct {
    uint64_t q, r;
} divres;

NI static uint32_t add3(uint32_t a, uint32_t b, uint32_t c) { return a + b + c; }
NI static uint32_t mul_add(uint32_t a, uint32_t b, uint32_t c) { return a * b + c; }
NI static uint32_t rotl32(uint32_t x, uint32_t r) { r &= 31; return r ? x << r | x >> (32 - r) : x; }
NI static uint32_t clamp(uint32_t x, uint32_t lo, uint32_t hi) { return x < lo ? lo : x > hi ? hi : x; }
NI static uint32_t is_odd(uint32_t x) { return x & 1; }
NI static uint32_t parity(uint32_t x) { x ^= x >> 16; x ^= x >> 8; x ^= x >> 4; return (0x6996u >> (x & 15)) & 1; }
NI static uint32_t sum8(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e,
                        uint32_t f, uint32_t g, uint32_t h) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}
NI static uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}
NI static uint64_t widen(uint32_t a, uint32_t b) { return (uint64_t)a << 32 | b; }
NI static pair32 split(uint64_t x) { pair32 p = {(uint32_t)x, (uint32_t)(x >> 32)}; return p; }
NI static pair32 mul_wide(uint32_t a, uint32_t b) { return split((uint64_t)a * b); }
NI static pair32 swap_pair(pair32 p) { pair32 q = {p.hi, p.lo}; return q; }
NI static divres divmod64(uint64_t a, uint64_t b) { divres d = {a / b, a % b}; return d; }
NI static double lerp(double a, double b, double t) { return a + (b - a) * t; }
NI static double poly(double x) { return ((0.5 * x - 1.25) * x + 2.0) * x - 0.75; }
NI static int32_t sign_of(int32_t x) { return (x > 0) - (x < 0); }
NI static int32_t abs32(int32_t x) { return x < 0 ? -x : x; }
NI static uint32_t step(uint32_t s) { return mul_add(s, 1664525u, 1013904223u); }
NI static uint32_t chain(uint32_t s) { return rotl32(add3(s, step(s), is_odd(s)), parity(s) + 5); }

static uint64_t bits_of(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

int main(void) {
    uint32_t s = 1;
    uint32_t acc = 0;
    uint64_t acc64 = 0;
    double facc = 0.0;
    int32_t iacc = 0;
    for (uint32_t i = 0; i < 5000000; i++) {
        s = chain(s);
        acc += clamp(s >> 16, 100, 60000);
        acc ^= sum8(s, i, acc, s >> 3, i * 7, acc >> 5, 1, 2);
        pair32 p = swap_pair(mul_wide(s, i | 1));
        acc64 += widen(p.lo, p.hi) ^ mix64(acc64 + i);
        divres d = divmod64(acc64 | 1, (uint64_t)(s | 1));
        acc64 ^= d.q + d.r;
        if ((i & 255) == 0) {
            double t = (double)(s & 1023) / 1024.0;
            facc += poly(lerp(-1.0, 1.0, t));
        }
        iacc += sign_of((int32_t)(s & 0xFFFF) - 32768) * (abs32((int32_t)(i & 0xFF) - 128) + 1);
    }
    printf("acc: %08" PRIx32 "\n", acc);
    printf("acc64: %016" PRIx64 "\n", acc64);
    printf("facc: %.10f\n", facc);
    printf("iacc: %" PRId32 "\n", iacc);
    printf("checksum: %016" PRIx64 "\n", (uint64_t)(acc64 ^ acc ^ bits_of(facc) ^ (uint32_t)iacc));
    return 0;
}
