#include "wordmap.h"

#include <stdlib.h>
#include <string.h>

uint32_t fnv1a(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void wm_init(wordmap *m) {
    m->cap = 16;
    m->used = 0;
    m->slots = calloc(m->cap, sizeof *m->slots);
}

void wm_free(wordmap *m) {
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].word);
    free(m->slots);
    m->slots = NULL;
    m->cap = m->used = 0;
}

static word_entry *find_slot(word_entry *slots, size_t cap, const char *w, size_t n) {
    size_t i = fnv1a(w, n) & (cap - 1);
    for (;;) {
        word_entry *e = &slots[i];
        if (!e->word || (strlen(e->word) == n && memcmp(e->word, w, n) == 0))
            return e;
        i = (i + 1) & (cap - 1);
    }
}

static void grow(wordmap *m) {
    size_t ncap = m->cap * 2;
    word_entry *ns = calloc(ncap, sizeof *ns);
    for (size_t i = 0; i < m->cap; i++) {
        word_entry *e = &m->slots[i];
        if (e->word)
            *find_slot(ns, ncap, e->word, strlen(e->word)) = *e;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
}

word_entry *wm_add(wordmap *m, const char *w, size_t n, unsigned line) {
    if ((m->used + 1) * 4 > m->cap * 3)
        grow(m);
    word_entry *e = find_slot(m->slots, m->cap, w, n);
    if (!e->word) {
        e->word = malloc(n + 1);
        memcpy(e->word, w, n);
        e->word[n] = '\0';
        e->count = 0;
        e->first_line = line;
        m->used++;
    }
    e->count++;
    return e;
}

static int by_count(const void *a, const void *b) {
    const word_entry *x = *(word_entry *const *)a;
    const word_entry *y = *(word_entry *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

word_entry **wm_sorted(const wordmap *m, size_t *n_out) {
    word_entry **v = malloc((m->used ? m->used : 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].word)
            v[k++] = &m->slots[i];
    qsort(v, k, sizeof *v, by_count);
    *n_out = k;
    return v;
}
