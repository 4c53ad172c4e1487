/* matmul.c - dense matrix multiplication.
 * Stresses: memory-bound nested loops over linear memory, f64 and i32
 * multiply-accumulate, row vs column (strided) access patterns. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 256

static double A[N][N], B[N][N], C[N][N];
static int32_t IA[N][N], IB[N][N], IC[N][N];

static void fill(void) {
    uint32_t s = 7;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s = s * 1103515245u + 12345u;
            A[i][j] = (double)((s >> 16) & 1023) / 512.0 - 1.0;
            IA[i][j] = (int32_t)((s >> 8) & 255) - 128;
            s = s * 1103515245u + 12345u;
            B[i][j] = (double)((s >> 16) & 1023) / 512.0 - 1.0;
            IB[i][j] = (int32_t)((s >> 8) & 255) - 128;
        }
}

/* naive i-j-k order: column access of B (strided) */
static void mul_ijk(void) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int k = 0; k < N; k++)
                s += A[i][k] * B[k][j];
            C[i][j] = s;
        }
}

/* i-k-j order: sequential access */
static void mul_ikj_int(void) {
    memset(IC, 0, sizeof IC);
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++) {
            int32_t a = IA[i][k];
            for (int j = 0; j < N; j++)
                IC[i][j] += a * IB[k][j];
        }
}

/* transpose in place, then dot rows */
static double trace_ata(void) {
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            double t = C[i][j];
            C[i][j] = C[j][i];
            C[j][i] = t;
        }
    double tr = 0.0;
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++)
            tr += C[i][k] * C[i][k];
    return tr;
}

int main(void) {
    fill();
    double sum = 0.0;
    uint64_t isum = 0;
    for (int rep = 0; rep < 5; rep++) {
        mul_ijk();
        mul_ikj_int();
        sum += trace_ata();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                isum = isum * 31 + (uint32_t)IC[i][j];
        /* feed results back so repetitions differ */
        A[rep][rep] += 0.5;
        IA[rep][rep] += 1;
    }
    uint64_t bits;
    memcpy(&bits, &sum, sizeof bits);
    printf("trace sum: %.6f\n", sum);
    printf("int hash: %016" PRIx64 "\n", isum);
    printf("checksum: %016" PRIx64 "\n", bits ^ isum);
    return 0;
}
