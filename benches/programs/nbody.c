/* nbody.c - double precision n-body simulation.
 * Stresses: f64 add/mul/div/sqrt, struct field access in linear memory.
 * Only +,-,*,/ and sqrt are used so results are bit-identical everywhere. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NB 12

typedef struct {
    double x, y, z, vx, vy, vz, m;
} body;

static body bodies[NB];

static uint32_t rng = 12345u;
static double frand(void) { /* uniform in [0, 1) with 24 random bits */
    rng = rng * 1664525u + 1013904223u;
    return (double)(rng >> 8) / 16777216.0;
}

static void init(void) {
    for (int i = 0; i < NB; i++) {
        body *b = &bodies[i];
        b->x = (frand() - 0.5) * 20.0;
        b->y = (frand() - 0.5) * 20.0;
        b->z = (frand() - 0.5) * 2.0;
        b->vx = (frand() - 0.5) * 0.5;
        b->vy = (frand() - 0.5) * 0.5;
        b->vz = (frand() - 0.5) * 0.05;
        b->m = 0.1 + frand();
    }
    bodies[0].m = 50.0; /* a heavy "sun" */
    bodies[0].vx = bodies[0].vy = bodies[0].vz = 0.0;
}

static void advance(double dt) {
    for (int i = 0; i < NB; i++) {
        body *a = &bodies[i];
        for (int j = i + 1; j < NB; j++) {
            body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double d2 = dx * dx + dy * dy + dz * dz + 0.01;
            double d = sqrt(d2);
            double mag = dt / (d2 * d);
            a->vx -= dx * b->m * mag;
            a->vy -= dy * b->m * mag;
            a->vz -= dz * b->m * mag;
            b->vx += dx * a->m * mag;
            b->vy += dy * a->m * mag;
            b->vz += dz * a->m * mag;
        }
    }
    for (int i = 0; i < NB; i++) {
        body *b = &bodies[i];
        b->x += dt * b->vx;
        b->y += dt * b->vy;
        b->z += dt * b->vz;
    }
}

static double energy(void) {
    double e = 0.0;
    for (int i = 0; i < NB; i++) {
        body *a = &bodies[i];
        e += 0.5 * a->m * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < NB; j++) {
            body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->m * b->m / sqrt(dx * dx + dy * dy + dz * dz + 0.01);
        }
    }
    return e;
}

static uint64_t bits_of(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

int main(void) {
    init();
    double e0 = energy();
    for (int step = 0; step < 150000; step++)
        advance(0.001);
    double e1 = energy();
    printf("energy before: %.9f\n", e0);
    printf("energy after:  %.9f\n", e1);
    uint64_t c = 0;
    for (int i = 0; i < NB; i++)
        c = (c * 31) ^ bits_of(bodies[i].x) ^ (bits_of(bodies[i].vy) >> 3);
    c ^= bits_of(e0) ^ bits_of(e1);
    printf("checksum: %016" PRIx64 "\n", c);
    return 0;
}
