/* memops.c - memcpy / memmove / memset / memcmp heavy code.
 * Stresses: libc memory routines, or memory.copy / memory.fill when built
 * with -mbulk-memory; overlapping moves; many sizes from 1 byte to 64 KiB. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BUFSZ (1024 * 1024)
static uint8_t src[BUFSZ], dst[BUFSZ];

static uint32_t rng = 777u;
static uint32_t next(void) {
    rng = rng * 1103515245u + 12345u;
    return rng >> 1;
}

typedef struct {
    uint32_t id;
    uint8_t name[20];
    uint64_t value;
} record;

#define NREC 4096
static record recs[NREC], recs2[NREC];

int main(void) {
    for (uint32_t i = 0; i < BUFSZ; i++)
        src[i] = (uint8_t)(i * 131 + (i >> 9));

    uint64_t acc = 0;
    /* random-size copies and fills */
    for (int k = 0; k < 100000; k++) {
        uint32_t r = next();
        uint32_t size = (r & 0x8000) ? (r >> 3) % 65536 : (r >> 3) % 64;
        uint32_t so = next() % (BUFSZ - size);
        uint32_t d0 = next() % (BUFSZ - size);
        switch (r & 3) {
        case 0:
            memcpy(dst + d0, src + so, size);
            break;
        case 1:
            memset(dst + d0, (int)(r >> 24), size);
            break;
        case 2: /* overlapping move within dst */
            memmove(dst + d0, dst + so, size);
            break;
        default:
            acc += (uint32_t)(memcmp(dst + d0, src + so, size) > 0);
            break;
        }
        acc += dst[(d0 + size / 2) % BUFSZ];
    }
    /* fixed-size struct copies (compiler-generated memcpy) */
    for (int i = 0; i < NREC; i++) {
        recs[i].id = (uint32_t)i;
        memset(recs[i].name, 'a' + i % 26, sizeof recs[i].name);
        recs[i].value = (uint64_t)i * 0x9E3779B97F4A7C15ull;
    }
    for (int rep = 0; rep < 200; rep++) {
        for (int i = 0; i < NREC; i++)
            recs2[(i * 7 + rep) % NREC] = recs[i];
        for (int i = 0; i < NREC; i++) {
            recs[i] = recs2[(i + 1) % NREC];
            recs[i].value += (uint64_t)rep;
        }
    }
    /* whole-buffer copy and clear */
    for (int rep = 0; rep < 30; rep++) {
        memcpy(src, dst, BUFSZ);
        memset(dst, rep, BUFSZ / 2);
        memmove(dst + 1, dst, BUFSZ - 1);
    }
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < BUFSZ; i += 3)
        h = (h ^ src[i] ^ dst[i]) * 16777619u;
    for (int i = 0; i < NREC; i++)
        h = (h ^ recs[i].id ^ (uint32_t)recs[i].value ^ recs[i].name[i % 20]) * 16777619u;
    printf("acc: %" PRIu64 "\n", acc);
    printf("hash: %08" PRIx32 "\n", h);
    printf("checksum: %016" PRIx64 "\n", acc * 1000003u ^ h);
    return 0;
}
