/*
 * tg_article.h - an article as readers produce it, and its passages.
 *
 * An article owns all of its strings (malloc'd); tg_article_clear frees
 * them and leaves an empty article ready for reuse.
 */
#ifndef TG_ARTICLE_H
#define TG_ARTICLE_H

#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"

typedef struct tg_article {
    char *id;        /* identity: unique within the index (required) */
    char *url;       /* where it came from: url, or the source file path */
    char *title;
    char *date;      /* ISO 8601, "YYYY-MM-DD" or partial "YYYY-MM", "YYYY";
                        NULL when unknown */
    char *author;
    char **tags;     /* ntags strings */
    size_t ntags;
    char *body;      /* plain text; paragraphs separated by blank lines */
    char *sources;   /* notes and bibliography, searchable, not shown as
                        passages; NULL when none */
    char *origin;    /* input file (and line or entry) it was read from */
} tg_article;

void tg_article_init(tg_article *a);
void tg_article_clear(tg_article *a);
/* Replaces *field with a copy of s[0..n) (n == (size_t)-1: strlen). */
tg_status tg_article_set(char **field, const char *s, size_t n);
tg_status tg_article_add_tag(tg_article *a, const char *tag, size_t n);

/* A passage: a byte range of the body, and the ordinal of its first word
 * among the body's words (tg_tokenize's index). */
typedef struct tg_passage {
    uint32_t start;      /* byte offset in body */
    uint32_t len;        /* bytes */
    uint32_t first_word; /* ordinal of the first word of the passage */
    uint32_t nwords;
} tg_passage;

typedef struct tg_passage_opts {
    unsigned target_words; /* a long paragraph is cut into windows of about
                              this many words (default 100) */
    unsigned min_words;    /* a paragraph shorter than this joins its
                              neighbour (default 25) */
} tg_passage_opts;

#define TG_PASSAGE_OPTS_DEFAULT { 100, 25 }

/* Splits body into passages: paragraphs (separated by blank lines), long
 * ones cut at sentence ends near target_words, tiny ones joined to the
 * next (or previous, at the end). Passages cover all words of the body in
 * order and do not overlap. *out is malloc'd (caller frees), *n its count;
 * an empty body gives *n == 0 and *out == NULL. */
tg_status tg_split_passages(const char *body, size_t len, const tg_passage_opts *opts,
                            tg_passage **out, size_t *n);

#endif
