/* i64_arith.c - 64-bit integer arithmetic on a 32-bit target.
 * Stresses: i64 mul/div/rem (signed and unsigned), clz/ctz/popcnt,
 * sign extension between widths, and 128-bit multiplication via the
 * compiler-rt helper __multi3 in a Montgomery-form Miller-Rabin test. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

typedef unsigned __int128 u128;

/* Montgomery arithmetic modulo an odd n < 2^63 with R = 2^64. Only 128-bit
 * multiplication is used (compiler-rt __multi3 on wasm32); 128-bit division
 * is avoided on purpose (see README: Debian's __umodti3 does not link). */
typedef struct {
    uint64_t n, ninv, one, r2; /* ninv = -n^-1 mod 2^64, one = R mod n, r2 = R^2 mod n */
} mont;

static uint64_t redc(const mont *m, u128 t) {
    uint64_t k = (uint64_t)t * m->ninv;
    u128 s = t + (u128)k * m->n; /* low 64 bits are zero */
    uint64_t r = (uint64_t)(s >> 64);
    return r >= m->n ? r - m->n : r;
}

static uint64_t mont_mul(const mont *m, uint64_t a, uint64_t b) { return redc(m, (u128)a * b); }

static void mont_init(mont *m, uint64_t n) {
    uint64_t inv = n; /* Newton iteration: 5 steps give 64 correct bits */
    for (int i = 0; i < 5; i++)
        inv *= 2 - n * inv;
    m->n = n;
    m->ninv = 0 - inv;
    m->one = (0 - n) % n;
    uint64_t r2 = m->one;
    for (int i = 0; i < 64; i++) { /* r2 = 2^64 * one mod n by doubling */
        r2 <<= 1;
        if (r2 >= n)
            r2 -= n;
    }
    m->r2 = r2;
}

static uint64_t mont_pow(const mont *m, uint64_t b, uint64_t e) {
    uint64_t r = m->one;
    b = mont_mul(m, b % m->n, m->r2); /* to Montgomery form */
    while (e) {
        if (e & 1)
            r = mont_mul(m, r, b);
        b = mont_mul(m, b, b);
        e >>= 1;
    }
    return r;
}

static int is_prime(uint64_t n) {
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (n < 2)
        return 0;
    for (int i = 0; i < 12; i++)
        if (n % bases[i] == 0)
            return n == bases[i];
    mont m;
    mont_init(&m, n);
    uint64_t minus_one = n - m.one;
    uint64_t d = n - 1;
    int s = __builtin_ctzll(d);
    d >>= s;
    for (int i = 0; i < 12; i++) {
        uint64_t x = mont_pow(&m, bases[i], d);
        if (x == m.one || x == minus_one)
            continue;
        int composite = 1;
        for (int r = 1; r < s; r++) {
            x = mont_mul(&m, x, x);
            if (x == minus_one) {
                composite = 0;
                break;
            }
        }
        if (composite)
            return 0;
    }
    return 1;
}

/* isqrt with Newton iterations on u64 */
static uint64_t isqrt64(uint64_t n) {
    if (n < 2)
        return n;
    uint64_t x = (uint64_t)1 << ((64 - __builtin_clzll(n)) / 2 + 1);
    for (;;) {
        uint64_t y = (x + n / x) / 2;
        if (y >= x)
            return x;
        x = y;
    }
}

int main(void) {
    /* Miller-Rabin over a window of large numbers */
    uint64_t base = (1ull << 61) + 12345;
    uint32_t nprimes = 0;
    uint64_t last = 0;
    for (uint64_t n = base; n < base + 150000; n++)
        if (is_prime(n)) {
            nprimes++;
            last = n;
        }
    printf("primes in window: %" PRIu32 ", last %" PRIu64 "\n", nprimes, last);

    /* signed/unsigned i64 division and remainder */
    uint64_t divsum = 0;
    int64_t sdivsum = 0;
    uint64_t big = 0xFEDCBA9876543210ull;
    for (uint64_t k = 1; k <= 3000000; k++) {
        divsum += big / k + big % (k * 7 + 3);
        int64_t sk = (int64_t)(k & 1 ? k : 0 - k); /* alternate signs */
        sdivsum += (int64_t)0x7000000000000000ll / sk + (int64_t)(k * 12345) % sk;
    }
    printf("divsum: %" PRIu64 " sdivsum: %" PRId64 "\n", divsum, sdivsum);

    /* bit ops and width conversions */
    uint64_t bits = 0;
    uint64_t x = 0x243F6A8885A308D3ull;
    for (uint32_t i = 0; i < 3000000; i++) {
        x ^= x << 7;
        x ^= x >> 9;
        int32_t lo = (int32_t)(uint32_t)x;     /* wrap to signed 32 */
        int64_t ext = (int64_t)lo;            /* i64.extend_i32_s */
        int8_t b8 = (int8_t)(uint8_t)(x >> 8); /* extend8 */
        int16_t b16 = (int16_t)(uint16_t)(x >> 16);
        bits += (uint64_t)__builtin_clzll(x | 1) + (uint64_t)__builtin_ctzll(x | (1ull << 63)) +
                (uint64_t)__builtin_popcountll(x);
        bits += (uint64_t)(ext >> 3) + (uint64_t)(int64_t)b8 + (uint64_t)(int64_t)b16;
        bits = (bits << 1) | (bits >> 63);
    }
    printf("bits: %016" PRIx64 "\n", bits);

    uint64_t sq = 0;
    for (uint64_t n = 1; n < 400000; n++)
        sq += isqrt64(n * n * 977 + n);
    printf("isqrt: %" PRIu64 "\n", sq);

    printf("checksum: %016" PRIx64 "\n",
           (uint64_t)(last ^ divsum ^ (uint64_t)sdivsum ^ bits ^ sq) + nprimes);
    return 0;
}
