#ifndef WORDMAP_H
#define WORDMAP_H
#include <stddef.h>
#include <stdint.h>

/* An open-addressing hash map from words to counts. */
typedef struct {
    char *word;
    unsigned count;
    unsigned first_line;
} word_entry;

typedef struct {
    word_entry *slots;
    size_t cap;
    size_t used;
} wordmap;

uint32_t fnv1a(const char *s, size_t n);
void wm_init(wordmap *m);
void wm_free(wordmap *m);
word_entry *wm_add(wordmap *m, const char *w, size_t n, unsigned line);
/* Entries sorted by count (descending), then word; caller frees the array. */
word_entry **wm_sorted(const wordmap *m, size_t *n_out);

#endif
