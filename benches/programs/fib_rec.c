/* fib_rec.c - deep and call-heavy recursion.
 * Stresses: call/return overhead, recursion depth (ackermann reaches a depth
 * of ~4100 frames), small functions with few locals. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) static uint32_t fib(uint32_t n) {
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

/* Ackermann function; ack(3, n) recurses about 2^(n+3) frames deep
 * (ack(3, 9): ~4100 frames). */
__attribute__((noinline)) static uint32_t ack(uint32_t m, uint32_t n) {
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

/* Takeuchi function. */
__attribute__((noinline)) static int32_t tak(int32_t x, int32_t y, int32_t z) {
    if (y < x)
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
    return z;
}

/* Recursive sum over a binary split of a range (depth log2, many calls). */
__attribute__((noinline)) static uint64_t range_sum(uint32_t lo, uint32_t hi) {
    if (hi - lo <= 2) {
        uint64_t s = 0;
        for (uint32_t i = lo; i < hi; i++)
            s += (uint64_t)i * i;
        return s;
    }
    uint32_t mid = lo + (hi - lo) / 2;
    return range_sum(lo, mid) ^ (range_sum(mid, hi) << 1);
}

int main(void) {
    uint32_t f = fib(37);
    uint32_t a = ack(3, 9);
    int32_t t = tak(24, 16, 8);
    uint64_t r = range_sum(0, 2000000);
    printf("fib(37) = %" PRIu32 "\n", f);
    printf("ack(3,9) = %" PRIu32 "\n", a);
    printf("tak(24,16,8) = %" PRId32 "\n", t);
    printf("range_sum = %" PRIu64 "\n", r);
    uint64_t c = (uint64_t)f * 1000003u ^ (uint64_t)a * 7919u ^ (uint64_t)(uint32_t)t ^ r;
    printf("checksum: %016" PRIx64 "\n", c);
    return 0;
}
