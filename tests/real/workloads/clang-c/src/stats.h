#ifndef STATS_H
#define STATS_H
#include <stddef.h>
#include "strbuf.h"
#include "wordmap.h"

typedef struct {
    unsigned lines, words, chars, letters, digits, sentences;
    unsigned longest_line, longest_word_len;
    char longest_word[64];
    unsigned histogram[16]; /* word lengths 1..15, 16+ in [0] */
    double mean_word_len, stddev_word_len;
} text_stats;

void analyze(const char *text, size_t n, wordmap *words, text_stats *st);
void report(strbuf *out, const text_stats *st, const wordmap *words, int top_n);
double isqrt_newton(double x);

#endif
