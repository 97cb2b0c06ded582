/*
 * bench_tokenize.c - tokenizer throughput (not part of make check).
 *
 * Build (from the repo root, after `make build/libtigris.a` or with the
 * sources directly):
 *   gcc -std=c11 -O2 -Wall -Wextra -Wshadow -Iinclude \
 *       bench/bench_tokenize.c lib/text.c lib/stem.c \
 *       -lutf8proc -lstemmer -o build/bench_tokenize
 * Run:
 *   build/bench_tokenize FILE [ROUNDS] [--stem LANG]
 *
 * Tokenizes the whole file ROUNDS times (default 5) as one buffer, exactly
 * as the bytes are (a JSONL file is tokenized with its JSON syntax), and
 * prints the best round's MB/s (1 MB = 10^6 bytes): the best round is the
 * one least disturbed by the rest of the machine.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tg_text.h"

typedef struct counts {
    size_t tokens;
    size_t bytes;      /* sum of term lengths: keeps the work observable */
    tg_stemmer *stem;  /* optional */
} counts;

static int on_token(const tg_token *t, void *ud)
{
    counts *c = ud;
    c->tokens++;
    if (c->stem) {
        size_t n;
        if (tg_stem(c->stem, t->term, t->len, &n))
            c->bytes += n;
    } else {
        c->bytes += t->len;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [ROUNDS] [--stem LANG]\n", argv[0]);
        return 2;
    }
    int rounds = 5;
    const char *lang = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--stem") == 0 && i + 1 < argc)
            lang = argv[++i];
        else if ((rounds = atoi(argv[i])) <= 0) {
            fprintf(stderr, "bad ROUNDS: %s\n", argv[i]);
            return 2;
        }
    }

    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb)
            free(buf);
        buf = nb;
        cap *= 2;
    }
    if (ferror(f)) {
        perror(argv[1]);
        return 1;
    }
    fclose(f);

    size_t nonascii = 0;
    for (size_t i = 0; i < len; i++)
        nonascii += (unsigned char)buf[i] >= 0x80;

    counts c = {0, 0, NULL};
    if (lang && !(c.stem = tg_stemmer_new(lang))) {
        fprintf(stderr, "unknown language: %s\n", lang);
        return 2;
    }
    double best = 1e30;
    for (int r = 0; r < rounds; r++) {
        c.tokens = c.bytes = 0;
        double t0 = now();
        if (tg_tokenize(buf, len, on_token, &c) != TG_OK) {
            fprintf(stderr, "tg_tokenize failed\n");
            return 1;
        }
        double dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    printf("%s: %.1f MB, %.2f%% non-ASCII bytes, %zu tokens (%zu term "
           "bytes)%s%s\n",
           argv[1], (double)len / 1e6, len ? 100.0 * (double)nonascii / (double)len : 0.0,
           c.tokens, c.bytes, lang ? ", stemmed: " : "", lang ? lang : "");
    printf("best of %d rounds: %.3f s, %.1f MB/s, %.1f Mtokens/s\n", rounds,
           best, (double)len / 1e6 / best, (double)c.tokens / 1e6 / best);
    tg_stemmer_free(c.stem);
    free(buf);
    return 0;
}
