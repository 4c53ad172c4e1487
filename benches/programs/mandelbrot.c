/* mandelbrot.c - escape-time fractals in f64 and f32.
 * Stresses: floating point compare/branch loops, int<->float conversions
 * (trunc_sat with -mnontrapping-fptoint), f32 arithmetic. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#define W 640
#define H 480
#define MAXIT 255

static uint8_t image[H][W];

static uint32_t mandel_f64(void) {
    uint32_t total = 0;
    for (int py = 0; py < H; py++) {
        double ci = -1.2 + 2.4 * py / H;
        for (int px = 0; px < W; px++) {
            double cr = -2.1 + 3.0 * px / W;
            double zr = 0.0, zi = 0.0;
            int it = 0;
            while (it < MAXIT) {
                double zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0)
                    break;
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                it++;
            }
            /* smooth-ish shade; value stays in [0, 255] */
            double shade = (double)it * 255.0 / MAXIT;
            image[py][px] = (uint8_t)(int32_t)shade;
            total += (uint32_t)it;
        }
    }
    return total;
}

static uint32_t julia_f32(void) {
    uint32_t total = 0;
    const float cr = -0.7f, ci = 0.27015f;
    for (int py = 0; py < H; py++) {
        for (int px = 0; px < W; px++) {
            float zr = 1.5f * (px - W / 2) / (0.5f * W);
            float zi = (py - H / 2) / (0.5f * H);
            int it = 0;
            while (it < MAXIT && zr * zr + zi * zi < 4.0f) {
                float t = zr * zr - zi * zi + cr;
                zi = 2.0f * zr * zi + ci;
                zr = t;
                it++;
            }
            total += (uint32_t)it;
            image[py][px] ^= (uint8_t)(uint32_t)(zr * zr < 1e6f ? zr * zr : 0.0f);
        }
    }
    return total;
}

int main(void) {
    uint32_t m = mandel_f64();
    uint32_t j = julia_f32();
    uint32_t h = 2166136261u;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            h = (h ^ image[y][x]) * 16777619u;
    printf("mandelbrot iterations: %" PRIu32 "\n", m);
    printf("julia iterations: %" PRIu32 "\n", j);
    printf("image hash: %08" PRIx32 "\n", h);
    printf("checksum: %08" PRIx32 "\n", h ^ m ^ (j * 2654435761u));
    return 0;
}
