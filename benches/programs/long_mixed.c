/* long_mixed.c - long-running mixed workload (about 1-2 s natively).
 * Phases: sieve of Eratosthenes over 16 MiB of bytes, a spectral-norm style
 * f64 power iteration, recursive fib, an LZ-style match finder over a
 * pseudo-random text, and a small register-machine interpreter.
 * Meant to make interpreters run for well over 10 s. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- phase 1: sieve ---- */
#define SIEVE_N (16u * 1024u * 1024u)
static uint8_t composite[SIEVE_N];

static uint64_t sieve(void) {
    memset(composite, 0, sizeof composite);
    uint32_t count = 0;
    uint64_t sum = 0;
    for (uint32_t i = 2; i < SIEVE_N; i++) {
        if (composite[i])
            continue;
        count++;
        sum += i;
        if ((uint64_t)i * i < SIEVE_N)
            for (uint32_t j = i * i; j < SIEVE_N; j += i)
                composite[j] = 1;
    }
    return sum * 7 + count;
}

/* ---- phase 2: spectral-norm style power iteration ---- */
#define SN 700
static double u[SN], v[SN], t[SN];

static double a_elem(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void mul_av(const double *x, double *y) {
    for (int i = 0; i < SN; i++) {
        double s = 0.0;
        for (int j = 0; j < SN; j++)
            s += a_elem(i, j) * x[j];
        y[i] = s;
    }
}

static void mul_atv(const double *x, double *y) {
    for (int i = 0; i < SN; i++) {
        double s = 0.0;
        for (int j = 0; j < SN; j++)
            s += a_elem(j, i) * x[j];
        y[i] = s;
    }
}

static double spectral(void) {
    for (int i = 0; i < SN; i++)
        u[i] = 1.0;
    for (int k = 0; k < 10; k++) {
        mul_av(u, t);
        mul_atv(t, v);
        mul_av(v, t);
        mul_atv(t, u);
    }
    double vbv = 0.0, vv = 0.0;
    for (int i = 0; i < SN; i++) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    return sqrt(vbv / vv);
}

/* ---- phase 3: recursion ---- */
__attribute__((noinline)) static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

/* ---- phase 4: LZ-style longest match search ---- */
#define LZ_N (512 * 1024)
#define LZ_WINDOW 4096
#define HASH_BITS 15
static uint8_t lz_text[LZ_N];
static int32_t head[1 << HASH_BITS];
static int32_t prev_pos[LZ_N];

static uint64_t lz_scan(void) {
    uint32_t r = 99991u;
    for (uint32_t i = 0; i < LZ_N; i++) {
        r = r * 1103515245u + 12345u;
        /* small alphabet + repeats make matches likely */
        lz_text[i] = (r >> 28) < 12 && i > 64 ? lz_text[i - 1 - ((r >> 8) & 63)] : (uint8_t)('a' + ((r >> 16) % 6));
    }
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++)
        head[i] = -1;
    uint64_t total = 0;
    uint32_t matches = 0;
    for (uint32_t i = 0; i + 3 < LZ_N; i++) {
        uint32_t h = ((uint32_t)lz_text[i] << 10 ^ (uint32_t)lz_text[i + 1] << 5 ^ lz_text[i + 2]) & ((1u << HASH_BITS) - 1);
        int32_t cand = head[h];
        uint32_t best = 0, chain = 0;
        while (cand >= 0 && i - (uint32_t)cand < LZ_WINDOW && chain < 16) {
            uint32_t len = 0;
            while (i + len < LZ_N && len < 258 && lz_text[cand + len] == lz_text[i + len])
                len++;
            if (len > best)
                best = len;
            cand = prev_pos[cand];
            chain++;
        }
        prev_pos[i] = head[h];
        head[h] = (int32_t)i;
        if (best >= 3) {
            matches++;
            total += best;
        }
    }
    return total * 1000003u + matches;
}

/* ---- phase 5: register machine ---- */
typedef struct {
    uint8_t op, a, b, c;
} insn;
enum { R_ADDI, R_ADD, R_XOR, R_MUL, R_SHR, R_BLT, R_JMP, R_HALT };

static uint32_t regmachine(uint32_t iters) {
    /* r0 = i, r1 = limit, r2 = acc, r3 = tmp, r4 = j */
    static const insn prog[] = {
        {R_ADDI, 0, 0, 0},   /* 0: r0 = 0 (r0 += 0, starts at 0) */
        {R_ADDI, 4, 4, 0},   /* 1: j loop start: r4 = r4 */
        {R_MUL, 3, 2, 5},    /* 2: r3 = acc * r5 (r5 = 33) */
        {R_XOR, 2, 3, 0},    /* 3: acc = r3 ^ i */
        {R_SHR, 3, 2, 6},    /* 4: r3 = acc >> r6 (r6 = 13) */
        {R_ADD, 2, 2, 3},    /* 5: acc += r3 */
        {R_ADDI, 0, 0, 1},   /* 6: i++ */
        {R_BLT, 0, 1, 2},    /* 7: if i < limit goto 2 */
        {R_HALT, 0, 0, 0},
    };
    uint32_t r[8] = {0, iters, 1, 0, 0, 33, 13, 0};
    uint32_t pc = 0;
    for (;;) {
        const insn *in = &prog[pc++];
        switch (in->op) {
        case R_ADDI: r[in->a] = r[in->b] + in->c; break;
        case R_ADD: r[in->a] = r[in->b] + r[in->c]; break;
        case R_XOR: r[in->a] = r[in->b] ^ r[0]; break;
        case R_MUL: r[in->a] = r[in->b] * r[in->c]; break;
        case R_SHR: r[in->a] = r[in->b] >> r[in->c]; break;
        case R_BLT: if (r[in->a] < r[in->b]) pc = in->c; break;
        case R_JMP: pc = in->c; break;
        default: return r[2];
        }
    }
}

int main(void) {
    uint64_t c = 0;
    uint64_t s = 0;
    for (int rep = 0; rep < 4; rep++)
        s += sieve();
    printf("sieve: %" PRIu64 "\n", s);
    c ^= s;

    double sn = spectral();
    uint64_t snb;
    memcpy(&snb, &sn, sizeof snb);
    printf("spectral: %.12f\n", sn);
    c = c * 31 + snb;

    uint32_t f = fib(34);
    printf("fib(34): %" PRIu32 "\n", f);
    c = c * 31 + f;

    uint64_t lz = lz_scan();
    printf("lz: %" PRIu64 "\n", lz);
    c = c * 31 + lz;

    uint32_t rm = regmachine(60000000u);
    printf("regmachine: %08" PRIx32 "\n", rm);
    c = c * 31 + rm;

    printf("checksum: %016" PRIx64 "\n", c);
    return 0;
}
