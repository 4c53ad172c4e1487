/* int_loops.c - tight integer loops.
 * Stresses: i32/i64 arithmetic, division/remainder, shifts, compares and
 * branches in small loops (collatz, gcd, bit counting, xorshift). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static uint32_t collatz_max(uint32_t limit, uint32_t *best_n) {
    uint32_t best = 0;
    for (uint32_t n = 1; n < limit; n++) {
        uint64_t x = n;
        uint32_t steps = 0;
        while (x != 1) {
            x = (x & 1) ? 3 * x + 1 : x >> 1;
            steps++;
        }
        if (steps > best) {
            best = steps;
            *best_n = n;
        }
    }
    return best;
}

static uint32_t gcd(uint32_t a, uint32_t b) {
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint64_t gcd_table(uint32_t n) {
    uint64_t s = 0;
    for (uint32_t i = 1; i <= n; i++)
        for (uint32_t j = 1; j <= n; j++)
            s += gcd(i, j);
    return s;
}

static uint32_t popcount_loop(uint32_t v) {
    uint32_t c = 0;
    while (v) {
        v &= v - 1;
        c++;
    }
    return c;
}

static uint64_t bits(uint32_t n) {
    uint64_t s = 0;
    uint32_t x = 2463534242u;
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        s += popcount_loop(x) + (x % 97) + ((x >> 7) / 13);
    }
    return s;
}

int main(void) {
    uint32_t best_n = 0;
    uint32_t best = collatz_max(300000, &best_n);
    uint64_t g = gcd_table(700);
    uint64_t b = bits(3000000);
    printf("collatz: n=%" PRIu32 " steps=%" PRIu32 "\n", best_n, best);
    printf("gcd_table: %" PRIu64 "\n", g);
    printf("bits: %" PRIu64 "\n", b);
    uint64_t c = ((uint64_t)best_n << 32 | best) ^ (g * 31) ^ (b * 1000003);
    printf("checksum: %016" PRIx64 "\n", c);
    return 0;
}
