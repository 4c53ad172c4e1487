/* strings.c - string and byte processing.
 * Stresses: byte loads/stores with sign/zero extension, short data-dependent
 * loops, tokenizing, hashing words into an open-addressing table, naive and
 * Boyer-Moore-Horspool substring search, number parsing and formatting. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXTSZ (4 * 1024 * 1024)
static char text[TEXTSZ + 1];

static const char *const words[] = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
    "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa",
    "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey",
    "xray", "yankee", "zulu", "wasm", "module", "memory", "table", "global",
    "import", "export", "func", "local", "block", "loop", "branch",
};
#define NWORDS (sizeof words / sizeof words[0])

static uint32_t rng = 2024u;
static uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Builds a text of words, numbers and punctuation. */
static size_t make_text(void) {
    size_t n = 0;
    while (n < TEXTSZ - 64) {
        uint32_t r = next();
        if (r % 11 == 0) {
            n += (size_t)snprintf(text + n, 32, "%" PRIu32, (r >> 8) % 100000);
        } else {
            const char *w = words[(r >> 4) % NWORDS];
            size_t len = strlen(w);
            memcpy(text + n, w, len);
            if (r & 0x10000)
                text[n] = (char)(text[n] - 'a' + 'A');
            n += len;
        }
        uint32_t p = (r >> 20) & 15;
        text[n++] = p == 0 ? '.' : p == 1 ? ',' : p == 2 ? '\n' : ' ';
    }
    text[n] = 0;
    return n;
}

#define TABSZ 4096
typedef struct {
    const char *s;
    uint32_t len, count;
} entry;
static entry table[TABSZ];

static uint32_t hash_bytes(const char *s, uint32_t len) {
    uint32_t h = 5381;
    for (uint32_t i = 0; i < len; i++)
        h = h * 33 + (unsigned char)s[i];
    return h;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* Lowercases words in place, counts distinct words and sums the numbers. */
static void tokenize(size_t n, uint32_t *nwords, uint32_t *ndistinct, uint64_t *numsum) {
    size_t i = 0;
    *nwords = *ndistinct = 0;
    *numsum = 0;
    while (i < n) {
        char c = text[i];
        if (is_alpha(c)) {
            size_t start = i;
            while (i < n && is_alpha(text[i])) {
                text[i] = lower(text[i]);
                i++;
            }
            uint32_t len = (uint32_t)(i - start);
            uint32_t h = hash_bytes(text + start, len) & (TABSZ - 1);
            while (table[h].s && !(table[h].len == len && memcmp(table[h].s, text + start, len) == 0))
                h = (h + 1) & (TABSZ - 1);
            if (!table[h].s) {
                table[h].s = text + start;
                table[h].len = len;
                (*ndistinct)++;
            }
            table[h].count++;
            (*nwords)++;
        } else if (is_digit(c)) {
            uint32_t v = 0;
            while (i < n && is_digit(text[i]))
                v = v * 10 + (uint32_t)(text[i++] - '0');
            *numsum += v;
        } else {
            i++;
        }
    }
}

static uint32_t count_naive(const char *hay, size_t n, const char *needle) {
    size_t m = strlen(needle);
    uint32_t c = 0;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && hay[i + j] == needle[j])
            j++;
        if (j == m)
            c++;
    }
    return c;
}

static uint32_t count_horspool(const char *hay, size_t n, const char *needle) {
    size_t m = strlen(needle), shift[256];
    for (int i = 0; i < 256; i++)
        shift[i] = m;
    for (size_t i = 0; i + 1 < m; i++)
        shift[(unsigned char)needle[i]] = m - 1 - i;
    uint32_t c = 0;
    size_t i = 0;
    while (i + m <= n) {
        size_t j = m;
        while (j > 0 && hay[i + j - 1] == needle[j - 1])
            j--;
        if (j == 0)
            c++;
        i += shift[(unsigned char)hay[i + m - 1]];
    }
    return c;
}

/* reverse every line in place, then checksum with signed-char arithmetic */
static uint32_t reverse_lines(size_t n) {
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || text[i] == '\n') {
            size_t a = start, b = i;
            while (b > a + 1) {
                char t = text[a];
                text[a++] = text[--b];
                text[b] = t;
            }
            start = i + 1;
        }
    }
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) /* signed char exercises sign extension */
        s = s * 7 + (uint32_t)(int32_t)(signed char)(text[i] ^ 0x80);
    return s;
}

int main(void) {
    size_t n = make_text();
    uint32_t nw, nd;
    uint64_t numsum;
    tokenize(n, &nw, &nd, &numsum);
    uint64_t wh = 0;
    for (int i = 0; i < TABSZ; i++)
        if (table[i].s)
            wh += (uint64_t)hash_bytes(table[i].s, table[i].len) * table[i].count;
    static const char *const needles[] = {"echo", "memory", "lima oscar", "ab", "zulu.", "9"};
    uint32_t found = 0;
    for (int k = 0; k < 6; k++) {
        uint32_t a = count_naive(text, n, needles[k]);
        uint32_t b = count_horspool(text, n, needles[k]);
        if (a != b)
            printf("mismatch for %s: %u vs %u\n", needles[k], (unsigned)a, (unsigned)b);
        printf("'%s': %" PRIu32 "\n", needles[k], a);
        found = found * 131 + a;
    }
    uint32_t rs = reverse_lines(n);
    printf("bytes: %" PRIu32 " words: %" PRIu32 " distinct: %" PRIu32 "\n", (uint32_t)n, nw, nd);
    printf("numbers: %" PRIu64 "\n", numsum);
    printf("reverse: %08" PRIx32 "\n", rs);
    printf("checksum: %016" PRIx64 "\n", (uint64_t)(wh ^ numsum ^ ((uint64_t)found << 20) ^ rs));
    return 0;
}
