/* textstat: read a text file, print statistics, write a report file.
 *
 *   textstat INPUT REPORT [TOP_N]
 *
 * Exit status: 0 on success, 2 on usage errors, 3 when INPUT can't be read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "strbuf.h"
#include "wordmap.h"

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s INPUT REPORT [TOP_N]\n", argc ? argv[0] : "textstat");
        return 2;
    }
    int top_n = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 10;
    const char *greeting = getenv("TEXTSTAT_GREETING");
    if (greeting)
        printf("%s\n", greeting);

    strbuf text;
    sb_init(&text);
    if (sb_read_file(&text, argv[1]) != 0) {
        fprintf(stderr, "textstat: cannot read %s: %s\n", argv[1], strerror(errno));
        return 3;
    }

    wordmap words;
    wm_init(&words);
    text_stats st;
    analyze(text.data ? text.data : "", text.len, &words, &st);

    strbuf out;
    sb_init(&out);
    sb_printf(&out, "textstat report for %s (%zu bytes)\n", argv[1], text.len);
    report(&out, &st, &words, top_n);

    fwrite(out.data, 1, out.len, stdout);

    FILE *f = fopen(argv[2], "w");
    if (!f) {
        fprintf(stderr, "textstat: cannot write %s: %s\n", argv[2], strerror(errno));
        return 3;
    }
    fprintf(f, "%s", out.data);
    fprintf(f, "checksum %08x\n", (unsigned)fnv1a(out.data, out.len));
    fclose(f);

    /* a missing file on purpose: errors go to stderr, the run goes on */
    FILE *g = fopen("/src/does-not-exist.txt", "r");
    if (!g)
        fprintf(stderr, "textstat: note: /src/does-not-exist.txt: %s\n", strerror(errno));

    sb_free(&out);
    sb_free(&text);
    wm_free(&words);
    return st.words > 0 ? 0 : 1;
}
