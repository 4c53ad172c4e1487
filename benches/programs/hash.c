/* hash.c - hashing and mixing over byte buffers.
 * Stresses: byte loads, i32 rotations, i64 multiplies, table lookups (CRC),
 * long straight-line ARX rounds with sign-extension of sub-words. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BUFSZ (256 * 1024)
static uint8_t buf[BUFSZ];
static uint32_t crc_table[256];

static uint32_t fnv1a32(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static uint64_t fnv1a64(const uint8_t *p, size_t n) {
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

#define ROTL(x, r) (((x) << (r)) | ((x) >> (32 - (r))))

/* A home-made 8-word ARX compression function over 64-byte blocks
 * (not a standard hash; it only mimics the instruction mix of one). */
static void mix_blocks(uint32_t st[8], const uint8_t *p, size_t n) {
    for (size_t off = 0; off + 64 <= n; off += 64) {
        uint32_t w[16];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)p[off + 4 * i] | (uint32_t)p[off + 4 * i + 1] << 8 |
                   (uint32_t)p[off + 4 * i + 2] << 16 | (uint32_t)p[off + 4 * i + 3] << 24;
        uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
        uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
        for (int r = 0; r < 32; r++) {
            uint32_t k = w[r & 15] + 0x9E3779B9u * (uint32_t)(r + 1);
            uint32_t t1 = h + (ROTL(e, 26) ^ ROTL(e, 21) ^ ROTL(e, 7)) + ((e & f) ^ (~e & g)) + k;
            uint32_t t2 = (ROTL(a, 30) ^ ROTL(a, 19) ^ ROTL(a, 10)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
            /* sign-extending byte/halfword mixing (i32.extend8_s / extend16_s
             * when built with -msign-ext) */
            w[r & 15] = ROTL(w[r & 15], 7) ^ w[(r + 9) & 15] ^
                        (uint32_t)(int32_t)(int8_t)(uint8_t)(a ^ e) ^
                        (uint32_t)(int32_t)(int16_t)(uint16_t)(b + h);
        }
        st[0] += a; st[1] += b; st[2] += c; st[3] += d;
        st[4] += e; st[5] += f; st[6] += g; st[7] += h;
    }
}

int main(void) {
    uint64_t x = 0x0123456789ABCDEFull;
    for (size_t i = 0; i < BUFSZ; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        buf[i] = (uint8_t)(x >> 56);
    }
    crc_init();
    uint32_t h32 = 0, c32 = 0;
    uint64_t h64 = 0;
    uint32_t st[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    for (int round = 0; round < 64; round++) {
        h32 ^= fnv1a32(buf, BUFSZ);
        h64 ^= fnv1a64(buf, BUFSZ);
        c32 ^= crc32(buf, BUFSZ);
        mix_blocks(st, buf, BUFSZ);
        buf[(uint32_t)round * 4001u % BUFSZ] ^= (uint8_t)st[round & 7];
    }
    printf("fnv1a32: %08" PRIx32 "\n", h32);
    printf("fnv1a64: %016" PRIx64 "\n", h64);
    printf("crc32:   %08" PRIx32 "\n", c32);
    printf("mix:    ");
    for (int i = 0; i < 8; i++)
        printf(" %08" PRIx32, st[i]);
    printf("\n");
    uint64_t c = h64 ^ ((uint64_t)h32 << 32 | c32);
    for (int i = 0; i < 8; i++)
        c = c * 1000003u + st[i];
    printf("checksum: %016" PRIx64 "\n", c);
    return 0;
}
