/* single_loop.c - the whole hot loop lives inside one call of main.
 * Stresses: a long-running loop with no calls in its body: many live locals,
 * i32/i64 arithmetic, data-dependent branches and a small in-memory table.
 * Useful for engines that only tier up / OSR at function entry. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static uint32_t table[256];

int main(void) {
    for (uint32_t i = 0; i < 256; i++)
        table[i] = i * 0x01000193u ^ (i << 11);

    uint32_t a = 1, b = 2, c = 3, d = 4;
    uint64_t wide = 0x9E3779B97F4A7C15ull;
    uint32_t taken = 0;
    for (uint32_t i = 0; i < 40000000u; i++) {
        a += b ^ (i >> 3);
        b = (b << 5 | b >> 27) ^ c;
        c += table[(a ^ d) & 255];
        if (c & 0x100) {
            d ^= a * 0x2545F491u;
            taken++;
        } else {
            d += c >> 7;
        }
        if ((i & 7) == 0) {
            wide = wide * 6364136223846793005ull + (uint64_t)a;
            table[d & 255] ^= (uint32_t)(wide >> 40);
        }
        if (d % 3 == 0)
            a ^= d;
    }

    uint64_t h = wide ^ ((uint64_t)a << 32 | b) ^ ((uint64_t)c << 16) ^ d;
    for (uint32_t i = 0; i < 256; i++)
        h = h * 31 + table[i];
    printf("a=%08" PRIx32 " b=%08" PRIx32 " c=%08" PRIx32 " d=%08" PRIx32 "\n", a, b, c, d);
    printf("taken: %" PRIu32 "\n", taken);
    printf("checksum: %016" PRIx64 "\n", h);
    return 0;
}
