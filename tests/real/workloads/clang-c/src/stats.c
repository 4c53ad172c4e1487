#include "stats.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double isqrt_newton(double x) {
    if (x <= 0)
        return 0;
    double r = x > 1 ? x / 2 : 1;
    for (int i = 0; i < 60; i++)
        r = 0.5 * (r + x / r);
    return r;
}

void analyze(const char *text, size_t n, wordmap *words, text_stats *st) {
    memset(st, 0, sizeof *st);
    unsigned line = 1, col = 0;
    double sum = 0, sumsq = 0;
    char w[64];
    size_t wl = 0;
    for (size_t i = 0; i <= n; i++) {
        int c = i < n ? (unsigned char)text[i] : ' ';
        if (i < n)
            st->chars++;
        if (isalpha(c) || (c == '\'' && wl > 0)) {
            if (wl < sizeof w - 1)
                w[wl++] = (char)tolower(c);
            st->letters += c != '\'';
        } else {
            if (isdigit(c))
                st->digits++;
            if (wl > 0) {
                while (wl > 0 && w[wl - 1] == '\'')
                    wl--;
                if (wl > 0) {
                    wm_add(words, w, wl, line);
                    st->words++;
                    sum += (double)wl;
                    sumsq += (double)wl * (double)wl;
                    st->histogram[wl < 16 ? wl : 0]++;
                    if (wl > st->longest_word_len) {
                        st->longest_word_len = (unsigned)wl;
                        memcpy(st->longest_word, w, wl);
                        st->longest_word[wl] = '\0';
                    }
                }
                wl = 0;
            }
            if (c == '.' || c == '!' || c == '?')
                st->sentences++;
        }
        if (c == '\n' || i == n) {
            if (col > st->longest_line)
                st->longest_line = col;
            if (i < n)
                line++;
            col = 0;
        } else {
            col++;
        }
    }
    st->lines = n && text[n - 1] == '\n' ? line - 1 : line;
    if (st->words) {
        st->mean_word_len = sum / st->words;
        double var = sumsq / st->words - st->mean_word_len * st->mean_word_len;
        st->stddev_word_len = isqrt_newton(var);
    }
}

void report(strbuf *out, const text_stats *st, const wordmap *words, int top_n) {
    sb_printf(out, "lines      %6u\n", st->lines);
    sb_printf(out, "words      %6u (%zu distinct)\n", st->words, words->used);
    sb_printf(out, "chars      %6u (letters %u, digits %u)\n", st->chars, st->letters, st->digits);
    sb_printf(out, "sentences  %6u\n", st->sentences);
    sb_printf(out, "longest    line %u chars, word \"%s\" (%u)\n", st->longest_line,
              st->longest_word, st->longest_word_len);
    sb_printf(out, "word len   mean %.4f, stddev %.4f, sqrt(2)=%.12f, exp(1)=%.9e\n",
              st->mean_word_len, st->stddev_word_len, sqrt(2.0), exp(1.0));
    sb_puts(out, "length histogram:\n");
    unsigned maxh = 1;
    for (int i = 1; i < 16; i++)
        if (st->histogram[i] > maxh)
            maxh = st->histogram[i];
    for (int i = 1; i <= 16; i++) {
        unsigned h = st->histogram[i % 16];
        int bar = (int)((h * 40u + maxh - 1) / maxh);
        sb_printf(out, "  %2d%s %5u |%.*s\n", i, i == 16 ? "+" : " ", h, bar,
                  "########################################");
    }
    size_t n;
    word_entry **v = wm_sorted(words, &n);
    sb_printf(out, "top %d words:\n", top_n);
    for (size_t i = 0; i < n && (int)i < top_n; i++)
        sb_printf(out, "  %3zu. %-14s %4u  (first on line %u, fnv1a %08x)\n", i + 1, v[i]->word,
                  v[i]->count, v[i]->first_line, (unsigned)fnv1a(v[i]->word, strlen(v[i]->word)));
    free(v);
}
