/* indirect_calls.c - function-pointer heavy code.
 * Stresses: call_indirect through tables of function pointers (several
 * signatures), "virtual method" dispatch through vtable structs, and
 * callbacks passed to higher-order helpers. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

typedef uint32_t (*binop)(uint32_t, uint32_t);

static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * b + 1; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ b; }
static uint32_t op_or(uint32_t a, uint32_t b) { return (a | b) - (a & b); }
static uint32_t op_rotl(uint32_t a, uint32_t b) { b &= 31; return b ? (a << b) | (a >> (32 - b)) : a; }
static uint32_t op_min(uint32_t a, uint32_t b) { return a < b ? a : b + a; }
static uint32_t op_max(uint32_t a, uint32_t b) { return a > b ? a : b ^ a; }
static uint32_t op_div(uint32_t a, uint32_t b) { return a / (b | 1); }
static uint32_t op_mod(uint32_t a, uint32_t b) { return a % (b | 1) + b; }
static uint32_t op_avg(uint32_t a, uint32_t b) { return (a >> 1) + (b >> 1) + (a & b & 1); }
static uint32_t op_mix(uint32_t a, uint32_t b) { return (a ^ (b >> 7)) * 0x9E3779B1u; }
static uint32_t op_shl(uint32_t a, uint32_t b) { return a << (b & 15); }
static uint32_t op_shr(uint32_t a, uint32_t b) { return a >> (b & 15) | 1; }
static uint32_t op_neg(uint32_t a, uint32_t b) { return (0u - a) ^ b; }
static uint32_t op_sel(uint32_t a, uint32_t b) { return (a & 1) ? a : b; }

static const binop ops[16] = {
    op_add, op_sub, op_mul, op_xor, op_or, op_rotl, op_min, op_max,
    op_div, op_mod, op_avg, op_mix, op_shl, op_shr, op_neg, op_sel,
};

/* "objects" with vtables */
typedef struct shape shape;
typedef struct {
    uint64_t (*area)(const shape *);
    uint32_t (*perimeter)(const shape *);
    void (*grow)(shape *, uint32_t);
} shape_vtbl;
struct shape {
    const shape_vtbl *vt;
    uint32_t a, b, c;
};

static uint64_t rect_area(const shape *s) { return (uint64_t)s->a * s->b; }
static uint32_t rect_perim(const shape *s) { return 2 * (s->a + s->b); }
static void rect_grow(shape *s, uint32_t k) { s->a = (s->a + k) & 0xFFFF; s->b = (s->b + 1) & 0xFFFF; }
static uint64_t tri_area(const shape *s) { return (uint64_t)s->a * s->c / 2; }
static uint32_t tri_perim(const shape *s) { return s->a + s->b + s->c; }
static void tri_grow(shape *s, uint32_t k) { s->c = (s->c * 3 + k) & 0xFFFF; }
static uint64_t sq_area(const shape *s) { return (uint64_t)s->a * s->a; }
static uint32_t sq_perim(const shape *s) { return 4 * s->a; }
static void sq_grow(shape *s, uint32_t k) { s->a = (s->a ^ k) & 0xFFF; }

static const shape_vtbl rect_vt = {rect_area, rect_perim, rect_grow};
static const shape_vtbl tri_vt = {tri_area, tri_perim, tri_grow};
static const shape_vtbl sq_vt = {sq_area, sq_perim, sq_grow};

#define NSHAPES 256
static shape shapes[NSHAPES];

typedef uint32_t (*unop)(uint32_t);
static uint32_t u_inc(uint32_t x) { return x + 1; }
static uint32_t u_dbl(uint32_t x) { return x * 2 + (x >> 31); }
static uint32_t u_sq(uint32_t x) { return x * x; }
static uint32_t u_not(uint32_t x) { return ~x; }

__attribute__((noinline)) static uint32_t fold(const uint32_t *v, int n, binop f, uint32_t init) {
    for (int i = 0; i < n; i++)
        init = f(init, v[i]);
    return init;
}

__attribute__((noinline)) static void map(uint32_t *v, int n, unop f) {
    for (int i = 0; i < n; i++)
        v[i] = f(v[i]);
}

int main(void) {
    /* 1: state-machine through the op table */
    uint32_t x = 1, y = 0x12345678u;
    for (uint32_t i = 0; i < 12000000; i++) {
        x = ops[(x ^ i) & 15](x, y);
        y = ops[(y >> 28) & 15](y, i);
    }
    printf("ops: %08" PRIx32 " %08" PRIx32 "\n", x, y);

    /* 2: virtual dispatch */
    static const shape_vtbl *const vts[3] = {&rect_vt, &tri_vt, &sq_vt};
    for (int i = 0; i < NSHAPES; i++) {
        shapes[i].vt = vts[(i * 7) % 3];
        shapes[i].a = (uint32_t)i + 1;
        shapes[i].b = (uint32_t)(i * 3) % 17 + 1;
        shapes[i].c = (uint32_t)(i * 5) % 23 + 1;
    }
    uint64_t area = 0;
    uint32_t perim = 0;
    for (int rep = 0; rep < 4000; rep++)
        for (int i = 0; i < NSHAPES; i++) {
            shape *s = &shapes[i];
            area += s->vt->area(s);
            perim += s->vt->perimeter(s);
            s->vt->grow(s, (uint32_t)rep);
        }
    printf("shapes: area=%" PRIu64 " perim=%" PRIu32 "\n", area, perim);

    /* 3: higher-order helpers */
    static uint32_t vec[1024];
    for (int i = 0; i < 1024; i++)
        vec[i] = (uint32_t)i * 2654435761u;
    static const unop unops[4] = {u_inc, u_dbl, u_sq, u_not};
    uint32_t acc = 0;
    for (int rep = 0; rep < 800; rep++) {
        map(vec, 1024, unops[rep & 3]);
        acc ^= fold(vec, 1024, ops[rep & 15], (uint32_t)rep);
    }
    printf("fold: %08" PRIx32 "\n", acc);
    printf("checksum: %016" PRIx64 "\n", (uint64_t)(area ^ ((uint64_t)x << 32 | y) ^ ((uint64_t)perim << 16) ^ acc));
    return 0;
}
