/* sort.c - sorting a million integers three ways.
 * Stresses: recursion (quicksort), branchy compare/swap code, random and
 * sequential memory access (heapsort, merge sort with a scratch buffer),
 * binary search. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N (1u << 19)

static uint32_t orig[N], a[N], tmp[N];

static void insertion(uint32_t *v, int32_t lo, int32_t hi) {
    for (int32_t i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        int32_t j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void quicksort(uint32_t *v, int32_t lo, int32_t hi) {
    while (hi - lo > 16) {
        uint32_t p0 = v[lo], p1 = v[lo + (hi - lo) / 2], p2 = v[hi];
        uint32_t pivot = p0 < p1 ? (p1 < p2 ? p1 : (p0 < p2 ? p2 : p0))
                                 : (p0 < p2 ? p0 : (p1 < p2 ? p2 : p1));
        int32_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                uint32_t t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
    insertion(v, lo, hi);
}

static void sift(uint32_t *v, uint32_t root, uint32_t n) {
    for (;;) {
        uint32_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && v[child + 1] > v[child])
            child++;
        if (v[root] >= v[child])
            return;
        uint32_t t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

static void heapsort(uint32_t *v, uint32_t n) {
    for (uint32_t i = n / 2; i-- > 0;)
        sift(v, i, n);
    for (uint32_t end = n - 1; end > 0; end--) {
        uint32_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift(v, 0, end);
    }
}

static void mergesort(uint32_t *v, uint32_t n) { /* bottom-up */
    uint32_t *from = v, *to = tmp;
    for (uint32_t width = 1; width < n; width *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * width) {
            uint32_t mid = lo + width < n ? lo + width : n;
            uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                to[k++] = from[i] <= from[j] ? from[i++] : from[j++];
            while (i < mid)
                to[k++] = from[i++];
            while (j < hi)
                to[k++] = from[j++];
        }
        uint32_t *t = from;
        from = to;
        to = t;
    }
    if (from != v)
        memcpy(v, from, n * sizeof *v);
}

static int cmp_u32(const void *x, const void *y) {
    uint32_t a1 = *(const uint32_t *)x, b1 = *(const uint32_t *)y;
    return (a1 > b1) - (a1 < b1);
}

static uint64_t digest(const uint32_t *v, uint32_t n) {
    uint64_t h = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i && v[i - 1] > v[i])
            return 0; /* not sorted */
        h = h * 1000003u + v[i];
    }
    return h;
}

static uint32_t lower_bound(const uint32_t *v, uint32_t n, uint32_t key) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int main(void) {
    uint32_t x = 314159265u;
    for (uint32_t i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        orig[i] = x % 1000000u;
    }
    memcpy(a, orig, sizeof a);
    quicksort(a, 0, (int32_t)N - 1);
    uint64_t d1 = digest(a, N);
    memcpy(a, orig, sizeof a);
    heapsort(a, N);
    uint64_t d2 = digest(a, N);
    memcpy(a, orig, sizeof a);
    mergesort(a, N);
    uint64_t d3 = digest(a, N);
    memcpy(a, orig, N / 8 * sizeof *a);
    qsort(a, N / 8, sizeof *a, cmp_u32); /* libc qsort with a callback */
    uint64_t d4 = digest(a, N / 8);
    memcpy(a, orig, sizeof a);
    mergesort(a, N);
    uint64_t found = 0;
    for (uint32_t k = 0; k < 1000000u; k += 3)
        found += lower_bound(a, N, k);
    printf("quicksort: %016" PRIx64 "\n", d1);
    printf("heapsort:  %016" PRIx64 "\n", d2);
    printf("mergesort: %016" PRIx64 "\n", d3);
    printf("qsort:     %016" PRIx64 "\n", d4);
    printf("search: %" PRIu64 "\n", found);
    printf("checksum: %016" PRIx64 "\n", d1 ^ d2 ^ d3 ^ d4 ^ found);
    return 0;
}
