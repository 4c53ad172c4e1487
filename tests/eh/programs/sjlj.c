/* setjmp/longjmp lowered to wasm exception handling
 * (clang -mllvm -wasm-enable-sjlj, wasi-libc's libsetjmp: longjmp throws
 * the __c_longjmp tag, each function that calls setjmp catches it).
 * Nested setjmp, longjmp out of deep recursion and through function
 * pointers and libc's qsort, values passed through longjmp (0 becomes 1),
 * volatile locals kept, an exception-like TRY/CATCH macro stack as C
 * libraries build them, and many jumps in a loop. Prints a deterministic
 * transcript to stdout.
 *
 *   sjlj.wasm              every section, exit 0
 *   sjlj.wasm deep N       longjmp out of N recursive frames
 *   sjlj.wasm loop N       setjmp/longjmp N times
 *   sjlj.wasm uncaught     an error raised with no TRY around it: the
 *                          handler stack is empty, so it calls abort()
 *
 * Built by tests/eh/build.sh; see tests/eh/README.md.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ 1. basics */

static jmp_buf env_basic;

static void jump_with(int v) { longjmp(env_basic, v); }

static void section_basics(void) {
    printf("basics:\n");
    volatile int round = 0;
    int r = setjmp(env_basic);
    printf("  setjmp returned %d (round %d)\n", r, round);
    round++;
    if (round == 1)
        jump_with(42);
    else if (round == 2)
        jump_with(0); /* setjmp returns 1 */
    else if (round == 3)
        jump_with(-7);
    printf("  after %d rounds\n", round);
}

/* ------------------------------------------------------------ 2. nested */

static jmp_buf outer_env, inner_env;
static int trace_len;
static char trace[256];

static void note(const char *s) {
    size_t n = strlen(s);
    if (trace_len + n + 2 < sizeof trace) {
        if (trace_len)
            trace[trace_len++] = ' ';
        memcpy(trace + trace_len, s, n);
        trace_len += (int)n;
        trace[trace_len] = 0;
    }
}

static void leaf(int target) {
    note("leaf");
    if (target == 1)
        longjmp(inner_env, 11);
    if (target == 2)
        longjmp(outer_env, 22);
    note("leaf-returns");
}

static int middle(int target) {
    volatile int local = 100 + target;
    int r = setjmp(inner_env);
    if (r) {
        char buf[48];
        snprintf(buf, sizeof buf, "inner-caught:%d:local=%d", r, local);
        note(buf);
        return r;
    }
    local += 1000;
    note("middle");
    leaf(target);
    return 0;
}

static void section_nested(void) {
    printf("nested:\n");
    for (int target = 0; target < 3; target++) {
        trace_len = 0;
        trace[0] = 0;
        int r = setjmp(outer_env);
        if (r == 0) {
            int m = middle(target);
            char buf[32];
            snprintf(buf, sizeof buf, "middle=%d", m);
            note(buf);
        } else {
            char buf[32];
            snprintf(buf, sizeof buf, "outer-caught:%d", r);
            note(buf);
        }
        printf("  target %d: %s\n", target, trace);
    }
}

/* ------------------------------------------------------------ 3. deep */

static jmp_buf deep_env;
static long frames_entered;

static long dive(int depth, int max, long acc) {
    char pad[32]; /* a frame in linear memory too */
    frames_entered++;
    snprintf(pad, sizeof pad, "%d", depth);
    acc = acc * 31 + (long)strlen(pad) + depth;
    if (depth == max)
        longjmp(deep_env, (int)(acc & 0x7fffffff) | 1);
    return dive(depth + 1, max, acc) + 1;
}

static void section_deep(int max) {
    printf("deep: longjmp out of %d frames\n", max);
    frames_entered = 0;
    volatile int tries = 0;
    int r = setjmp(deep_env);
    if (r == 0) {
        tries++;
        long v = dive(1, max, 7);
        printf("  not reached %ld\n", v);
    } else {
        printf("  setjmp returned %d after %ld frames, tries=%d\n", r, frames_entered, tries);
    }
}

/* ------------------------------------------------------------ 4. indirect */

static jmp_buf cmp_env;
static int cmp_calls;

static int cmp_jumping(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    if (++cmp_calls == 5)
        longjmp(cmp_env, 5);
    return (x > y) - (x < y);
}

static int op_add(int a) { return a + 1; }
static int op_jump(int a) { longjmp(cmp_env, 100 + a); }
static int (*volatile ops[])(int) = {op_add, op_jump, op_add};

static void section_indirect(void) {
    printf("indirect:\n");
    int data[] = {5, 1, 4, 2, 3, 9, 0, 8, 7, 6};
    cmp_calls = 0;
    if (setjmp(cmp_env) == 0) {
        qsort(data, 10, sizeof data[0], cmp_jumping);
        printf("  qsort finished\n");
    } else {
        printf("  longjmp out of qsort after %d comparisons\n", cmp_calls);
    }
    cmp_calls = -1000;
    qsort(data, 10, sizeof data[0], cmp_jumping);
    printf("  sorted:");
    for (int i = 0; i < 10; i++)
        printf(" %d", data[i]);
    printf("\n");

    for (int i = 0; i < 3; i++) {
        int r = setjmp(cmp_env);
        if (r == 0)
            printf("  ops[%d](%d) = %d\n", i, i, ops[i](i));
        else
            printf("  ops[%d](%d) jumped with %d\n", i, i, r);
    }
}

/* ------------------------------------------------------------ 5. try/catch */

/* An exception-handling emulation as found in C libraries: a stack of
 * jmp_bufs, TRY pushes one, THROW longjmps to the top one. */
#define MAX_HANDLERS 16
static jmp_buf *handlers[MAX_HANDLERS];
static int nhandlers;
static const char *error_message;

#define TRY                                                                    \
    do {                                                                       \
        jmp_buf try_env__;                                                     \
        handlers[nhandlers++] = &try_env__;                                    \
        int caught__ = setjmp(try_env__);                                      \
        if (caught__ == 0) {
#define CATCH(code)                                                            \
            nhandlers--;                                                       \
        } else {                                                               \
            nhandlers--;                                                       \
            int code = caught__;
#define END_TRY                                                                \
        }                                                                      \
    } while (0)

static _Noreturn void throw_error(int code, const char *msg) {
    error_message = msg;
    if (nhandlers == 0) {
        printf("unhandled error %d: %s\n", code, msg);
        fflush(stdout);
        abort();
    }
    longjmp(*handlers[nhandlers - 1], code);
}

static int parse_digit(char c) {
    if (c < '0' || c > '9')
        throw_error(2, "not a digit");
    return c - '0';
}

static int parse_number(const char *s) {
    int v = 0;
    if (!*s)
        throw_error(1, "empty");
    for (; *s; s++) {
        v = v * 10 + parse_digit(*s);
        if (v > 9999)
            throw_error(3, "too large");
    }
    return v;
}

static int sum_list(const char *const *items, int n) {
    volatile int total = 0; /* changed between setjmp and longjmp */
    for (int i = 0; i < n; i++) {
        TRY {
            total += parse_number(items[i]);
        }
        CATCH(code) {
            printf("    item %d \"%s\": error %d (%s), rethrowing if fatal\n", i, items[i], code,
                   error_message);
            if (code == 3)
                throw_error(code, error_message); /* to the caller's TRY */
        }
        END_TRY;
    }
    return total;
}

static void section_trycatch(void) {
    printf("trycatch:\n");
    static const char *const a[] = {"12", "x", "30", "", "4"};
    static const char *const b[] = {"1", "2", "123456", "3"};
    const char *const *lists[] = {a, b};
    int lens[] = {5, 4};
    for (int l = 0; l < 2; l++) {
        TRY {
            int s = sum_list(lists[l], lens[l]);
            printf("  list %d sum %d, handlers=%d\n", l, s, nhandlers);
        }
        CATCH(code) {
            printf("  list %d failed with %d (%s), handlers=%d\n", l, code, error_message,
                   nhandlers);
        }
        END_TRY;
    }
}

/* ------------------------------------------------------------ 6. loop */

static jmp_buf loop_env;

static void bounce(int i) { longjmp(loop_env, i % 7 + 1); }

static void section_loop(int n) {
    printf("loop: %d jumps\n", n);
    long sum = 0;
    for (int i = 0; i < n; i++) {
        int r = setjmp(loop_env);
        if (r == 0)
            bounce(i);
        else
            sum += r;
    }
    printf("  sum of values %ld\n", sum);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 1) {
        section_basics();
        section_nested();
        section_deep(500);
        section_indirect();
        section_trycatch();
        section_loop(1000);
        printf("done\n");
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "deep") && atoi(argv[2]) >= 1) {
        section_deep(atoi(argv[2]));
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "loop")) {
        section_loop(atoi(argv[2]));
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "uncaught")) {
        printf("parsing \"7z\" with no handler\n");
        parse_number("7z");
        printf("not reached\n");
        return 1;
    }
    fprintf(stderr, "usage: sjlj [deep N | loop N | uncaught]\n");
    return 2;
}
