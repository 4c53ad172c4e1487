/*
 * hello.c - a small WASI command used as the wx sample program.
 *
 * What it does (in order):
 *   1. prints a greeting;
 *   2. prints argc and every argument (args_sizes_get / args_get);
 *   3. prints the value of the environment variable WX_DEMO if it is set
 *      (environ_sizes_get / environ_get);
 *   4. if an argument is "--stdin", reads stdin to EOF and prints the number
 *      of lines and bytes read (fd_read);
 *   5. checks the monotonic clock (clock_time_get / clock_res_get);
 *   6. prints the first 20 primes and a small checksum over them;
 *   7. exits with exit(0), or with exit(N) if "--exit N" was given
 *      (proc_exit).
 *
 * Only stdio/stdlib/string/time are used; no files are opened.
 *
 * Build: clang --target=wasm32-wasi -O2 -s hello.c -o hello.wasm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void count_stdin(void) {
    char buf[4096];
    uint64_t bytes = 0, lines = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        bytes += n;
        for (size_t i = 0; i < n; i++)
            if (buf[i] == '\n')
                lines++;
    }
    printf("stdin: %llu lines, %llu bytes\n", (unsigned long long)lines,
           (unsigned long long)bytes);
}

static void check_clock(void) {
    struct timespec res, t0, t1;
    int ok = clock_getres(CLOCK_MONOTONIC, &res) == 0 &&
             clock_gettime(CLOCK_MONOTONIC, &t0) == 0 &&
             clock_gettime(CLOCK_MONOTONIC, &t1) == 0;
    if (!ok) {
        printf("clock: unavailable\n");
        return;
    }
    int64_t a = (int64_t)t0.tv_sec * 1000000000 + t0.tv_nsec;
    int64_t b = (int64_t)t1.tv_sec * 1000000000 + t1.tv_nsec;
    printf("clock: monotonic %s\n", b >= a ? "ok" : "went backwards");
}

static void primes(void) {
    uint32_t found = 0, sum = 0, n = 2;
    printf("primes:");
    while (found < 20) {
        int prime = 1;
        for (uint32_t d = 2; d * d <= n; d++)
            if (n % d == 0) {
                prime = 0;
                break;
            }
        if (prime) {
            printf(" %u", n);
            sum = sum * 31 + n;
            found++;
        }
        n++;
    }
    printf("\nchecksum: %u\n", sum);
}

int main(int argc, char **argv) {
    int exit_code = 0;
    int want_stdin = 0;

    printf("Hello from wx!\n");
    printf("argc: %d\n", argc);
    for (int i = 0; i < argc; i++) {
        printf("argv[%d]: %s\n", i, argv[i]);
        if (strcmp(argv[i], "--stdin") == 0)
            want_stdin = 1;
        else if (strcmp(argv[i], "--exit") == 0 && i + 1 < argc)
            exit_code = atoi(argv[i + 1]);
    }

    const char *demo = getenv("WX_DEMO");
    if (demo)
        printf("WX_DEMO: %s\n", demo);
    else
        printf("WX_DEMO: (not set)\n");

    if (want_stdin)
        count_stdin();

    check_clock();
    primes();

    printf("exiting with code %d\n", exit_code);
    fflush(stdout);
    exit(exit_code);
}
