/*
 * tg_query.h - the query language, parsed into a tree.
 *
 * Parsing knows nothing about Xapian: it turns the user's string into a
 * tg_qnode tree whose leaves hold normalised terms (tokenized with
 * tg_tokenize, so they agree with the index). lib/search.c turns the tree
 * into a Xapian query.
 *
 * Syntax
 *   word               a word (stemmed and exact forms both match)
 *   "a phrase"         the words in order, adjacent
 *   +word, +"phrase"   required
 *   -word, -"phrase"   excluded
 *   a OR b             either (binds tighter than the implicit AND-ish
 *                      combination of the other words)
 *   title:word         in the title; also title:"phrase". Other fields:
 *                      author:, tag:, source: (notes and bibliography),
 *                      id:
 *   2015..2016         a date range (years, YYYY-MM or YYYY-MM-DD ends;
 *                      either end may be empty: 2015.. or ..2016)
 *   date:2016-09       a single year, month or day
 * Plain words are combined with OR-like ranking (all of them count, more
 * matching words rank higher); + makes a word mandatory.
 */
#ifndef TG_QUERY_H
#define TG_QUERY_H

#include <stddef.h>
#include "tg_status.h"

typedef enum tg_qkind {
    TG_Q_TERM,    /* leaf: one word */
    TG_Q_PHRASE,  /* leaf list: words in order */
    TG_Q_OR,      /* children: any */
    TG_Q_DATE     /* a date range filter */
} tg_qkind;

typedef enum tg_qmod {
    TG_QM_NONE = 0,
    TG_QM_REQUIRE,   /* + */
    TG_QM_EXCLUDE    /* - */
} tg_qmod;

typedef enum tg_qfield {
    TG_QF_ANY = 0,   /* title and body */
    TG_QF_TITLE,
    TG_QF_AUTHOR,
    TG_QF_TAG,
    TG_QF_SOURCE,
    TG_QF_ID,
    TG_QF_ADDRESS    /* an e-mail address or host name typed (cs.cmu.edu) */
} tg_qfield;

typedef struct tg_qnode tg_qnode;
struct tg_qnode {
    tg_qkind kind;
    tg_qmod mod;
    tg_qfield field;
    /* TG_Q_TERM: words[0]; TG_Q_PHRASE: words[0..nwords) */
    char **words;       /* normalised terms (owned) */
    char **raw;         /* the words as the user typed them (owned), for
                           highlighting and explain */
    unsigned char *glued; /* glued[w] = 1: words w and w+1 were typed as one
                           compound, a hyphen between (co-operation); owned;
                           NULL for a node not made from typed text */
    size_t nwords;
    /* TG_Q_OR: children (owned) */
    tg_qnode **kids;
    size_t nkids;
    /* 1 when the leaf's first word opens a sentence (starts the query or
       follows . ? or !): its capital letter says nothing about a name */
    int sentence_start;
    /* TG_Q_DATE: inclusive bounds as "YYYYMMDD" (8 digits), or "" for
       an open end */
    char date_lo[9];
    char date_hi[9];
};

typedef struct tg_qtree {
    tg_qnode **nodes;   /* top-level clauses, in order */
    size_t n;
} tg_qtree;

/* Parses q. Never fails on odd input (unbalanced quotes close at the end,
 * stray operators are words or ignored); fails only on no memory. An
 * empty query gives n == 0. *out is owned by the caller
 * (tg_qtree_free). When errbuf is non-NULL, a warning about something
 * ignored may be written there (else errbuf[0] = 0). */
tg_status tg_query_parse(const char *q, tg_qtree **out, char *errbuf, size_t errlen);
void tg_qtree_free(tg_qtree *t);

/* A compact, deterministic description of the tree for tests and
 * --explain: e.g. `+title:"camp liberty" OR(kh hezbollah) -iran 20150101..20161231`.
 * malloc'd; caller frees. */
char *tg_qtree_describe(const tg_qtree *t);

/* Reads "YYYY", "YYYY-MM" or "YYYY-MM-DD" as the query syntax does, into
 * the first (hi = 0) or last (hi = 1) day it covers as "YYYYMMDD" ("2016"
 * with hi = 1 gives "20161231"). Returns 0, or -1 when s is not a real
 * date (out untouched). */
int tg_query_date_bound(const char *s, int hi, char out[9]);

/* 1 if stem is the English stem of a stopword ("the", "ani" for "any"). */
int tg_is_stopword_stem(const char *stem);

#endif
