/* array_sweep.c - large array sweeps over heap memory (~48 MiB).
 * Stresses: memory.grow via malloc, sequential loads/stores, strided access,
 * random gathers/scatters through a permutation, bounds checks. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LEN (4u * 1024u * 1024u) /* elements per array */

int main(void) {
    uint32_t *a = malloc(LEN * sizeof(uint32_t));
    uint32_t *b = malloc(LEN * sizeof(uint32_t));
    uint32_t *perm = malloc(LEN * sizeof(uint32_t));
    if (!a || !b || !perm) {
        printf("out of memory\n");
        return 1;
    }
    /* init */
    uint32_t x = 88172645u;
    for (uint32_t i = 0; i < LEN; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        a[i] = x;
        b[i] = i * 2654435761u;
        perm[i] = i;
    }
    /* Fisher-Yates shuffle of perm */
    for (uint32_t i = LEN - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint32_t j = x % (i + 1);
        uint32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    /* sequential: prefix sums */
    uint32_t acc = 0;
    for (uint32_t i = 0; i < LEN; i++) {
        acc += a[i];
        b[i] ^= acc;
    }
    /* strided: touch one word per 64-byte line, 16 passes */
    uint64_t strided = 0;
    for (uint32_t off = 0; off < 16; off++)
        for (uint32_t i = off; i < LEN; i += 16)
            strided += b[i] >> 3;
    /* random gather */
    uint64_t gathered = 0;
    for (uint32_t i = 0; i < LEN; i++)
        gathered += a[perm[i]] ^ i;
    /* random scatter */
    for (uint32_t i = 0; i < LEN; i++)
        b[perm[i]] = a[i] + i;
    /* reverse copy */
    for (uint32_t i = 0; i < LEN / 2; i++) {
        uint32_t t = a[i];
        a[i] = a[LEN - 1 - i];
        a[LEN - 1 - i] = t;
    }
    uint32_t h = 0;
    for (uint32_t i = 0; i < LEN; i += 7)
        h = (h ^ a[i] ^ b[i]) * 16777619u;
    printf("prefix: %08" PRIx32 "\n", acc);
    printf("strided: %" PRIu64 "\n", strided);
    printf("gathered: %" PRIu64 "\n", gathered);
    printf("hash: %08" PRIx32 "\n", h);
    free(a);
    free(b);
    free(perm);
    printf("checksum: %016" PRIx64 "\n", (strided ^ gathered) + h + acc);
    return 0;
}
