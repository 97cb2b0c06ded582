/*
 * tg_search.h - ranked search over a Tigris database.
 *
 * A tg_searcher holds one read-only database handle and is not
 * thread-safe: use one per thread (the HTTP server gives each worker its
 * own). Results are articles ranked by BM25 over the whole article
 * combined with the score of their best passage; each hit carries that
 * passage with the matched words marked, ready for any output format.
 */
#ifndef TG_SEARCH_H
#define TG_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"

typedef struct tg_searcher tg_searcher;

typedef struct tg_search_opts {
    unsigned offset;        /* first result (0-based) */
    unsigned limit;         /* results wanted (0 = 10) */
    int passages;           /* 1: rank passages across articles, no grouping */
    int snippets;           /* 1: fill passage text and highlights */
    unsigned rerank;        /* how many top articles get passage evidence
                               (0 = max(offset+limit, 10); passages mode:
                               max(offset+limit, 30)) */
    double passage_weight;  /* weight of best-passage score in the final
                               article score (< 0 = default) */
    double k1, b;           /* BM25 parameters (< 0 = defaults) */
    int no_entities;        /* 1: plain BM25 on the words typed: no names,
                               aliases or spelling variants */
    unsigned related;       /* list up to this many names found near the
                               query in the best passages (0 = none) */
    int explain;            /* 1: fill tg_hit.why */
    /* Pseudo-relevance feedback for long queries (0 / < 0 = defaults):
     * queries of at least prf_min_words words get prf_terms stems from
     * the top prf_docs articles at prf_weight (0 turns it off). */
    unsigned prf_min_words, prf_docs, prf_terms;
    double prf_weight;
} tg_search_opts;

#define TG_SEARCH_OPTS_DEFAULT { 0, 10, 0, 1, 0, -1.0, -1.0, -1.0, 0, 0, 0, 0, 0, 0, -1.0 }

typedef struct tg_span { uint32_t start, end; } tg_span;  /* bytes, [start,end) */

typedef struct tg_hit {
    char *id, *url, *title, *date, *author, *origin;  /* owned; "" if absent */
    char **tags;
    size_t ntags;
    double score;            /* final score (article + passage evidence) */
    double article_score;    /* BM25 of the whole article */
    double passage_score;    /* score of the passage shown */
    uint32_t passage_index;  /* which passage (0-based) */
    uint32_t npassages;      /* passages in the article */
    uint32_t matching_passages; /* passages with at least one query word */
    char *passage;           /* passage text (owned), NULL without snippets */
    tg_span *spans;          /* matched words within passage, in order */
    size_t nspans;
    char *why;               /* how the passage scored, for --explain:
                                "kh x3, adjacent 0 of 0; 1 of 1 words" */
    char *matched;           /* expansions that matched in the passage, e.g.
                                "KH = Kataib Hezbollah" ("; "-separated),
                                NULL when only the words typed matched */
} tg_hit;

typedef struct tg_related {
    char *name;              /* as written in the passage where first met */
    unsigned count;          /* passages (of the top hits) that name it */
} tg_related;

typedef struct tg_results {
    char *query;             /* as given */
    char *parsed;            /* tg_qtree_describe of the parsed query */
    char *xapian_query;      /* Xapian's description, for --explain */
    uint32_t total;          /* estimated number of matching articles */
    unsigned offset;
    tg_hit *hits;
    size_t nhits;
    char *warning;           /* parser warning, or NULL */
    char **expansions;       /* how the query was widened: aliases, spelling
                                variants, names matched as phrases */
    size_t nexpansions;
    char *suggestion;        /* "did you mean": the query with unknown words
                                corrected, or NULL */
    tg_related *related;     /* with opts.related: names near the query */
    size_t nrelated;
} tg_results;

/* Opens the database at path (a directory or a stub file listing shards).
 * NULL on failure with the reason in errbuf. */
tg_searcher *tg_searcher_open(const char *path, char *errbuf, size_t errlen);
void tg_searcher_close(tg_searcher *s);
const char *tg_searcher_errmsg(const tg_searcher *s);
/* Number of articles in the database. */
uint32_t tg_searcher_doccount(tg_searcher *s);
/* Stemming language of the database (borrowed). */
const char *tg_searcher_lang(const tg_searcher *s);
/* Picks up commits made since the searcher was opened. */
tg_status tg_searcher_reopen(tg_searcher *s);

/* Runs query. *out is owned by the caller (tg_results_free). An empty
 * query gives zero hits, not an error. */
tg_status tg_search(tg_searcher *s, const char *query, const tg_search_opts *opts,
                    tg_results **out);
void tg_results_free(tg_results *r);

#endif
