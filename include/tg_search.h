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
    int literal;            /* 1: a word the archive never has is searched
                               as typed, not as the archive's spelling of
                               it ("search instead for") */
    unsigned related;       /* list up to this many names found near the
                               query in the best passages (0 = none) */
    int explain;            /* 1: fill tg_hit.why */
    /* Pseudo-relevance feedback for long queries (0 / < 0 = defaults):
     * queries of at least prf_min_words words get prf_terms stems from
     * the top prf_docs articles at prf_weight (0 turns it off); of those
     * articles only the ones whose first-pass score stands prf_clarity
     * standard deviations above the mean of the top 30 count (fewer
     * than two: no feedback; 0: all of them); each counts (w / w1) to the
     * power prf_sharpness in the choice and weight of the stems, w its
     * first-pass score and w1 the best's (0: each counts 1, and
     * prf_docs 0 then means 1% of the archive, 3 to 10). */
    unsigned prf_min_words, prf_docs, prf_terms;
    double prf_weight, prf_clarity, prf_sharpness;
    /* The words of a long query (5+ words, stopwords dropped) weigh
     * against each other by (idf / the words' mean)^qw_idf times
     * (burstiness / the words' geometric mean)^qw_burst, burstiness
     * being (cf + 1) / (df + 1) of the word's stem (< 0 = defaults;
     * 0 and 0: every word as typed). */
    double qw_idf, qw_burst;
    /* A word of a query of 5+ words also matches the commonest of the
     * archive's stems that extend or shorten its stem by up to `family`
     * letters ("conductor" and "conduct"), as one term (< 0 = default;
     * 0: its stem alone). */
    int family;
    /* The word's own stem also scores alone beside its family's term, at
     * this share of its weight (< 0 = default; 0: the family's term alone). */
    double family_own;
    /* Term proximity of a query of 5+ words: in the passages of the
     * articles re-ranked, each two neighbouring words of the query within
     * proximity_window positions of each other, in either order, add
     * proximity times their idfs (< 0 / 0 = defaults; proximity 0: off). */
    double proximity;
    unsigned proximity_window;
    /* Score regularization of long queries' results (feedback's pool):
     * each of the top reg_docs articles' scores moves toward the mean of
     * its reg_neighbours most similar articles among them (cosine of
     * their stems' tf-idf), by the share reg_weight (0 / < 0 = defaults,
     * 30, 5 and 0.3; reg_weight 0: off). */
    unsigned reg_docs, reg_neighbours;
    double reg_weight;

    /* Filters and order (the HTTP API's from=, to=, tag=, sort=). */
    const char *date_from;  /* "YYYY", "YYYY-MM" or "YYYY-MM-DD": only
                               articles dated on or after (NULL: open) */
    const char *date_to;    /* same, on or before (inclusive: "2016" takes
                               the whole of 2016); NULL: open */
    const char *tag;        /* only articles carrying this tag, matched
                               case-insensitively as a whole tag (NULL: any) */
    int sort_date;          /* 1: newest first (ties by relevance) */
    int year_counts;        /* 1: fill tg_results.years over the whole result
                               set (not only the page shown) */

    /* Cost bounds (TG_SEARCH_MAX_*, checked by tg_search_opts_check). */
    unsigned timeout_ms;    /* deadline for one search (0: TG_SEARCH_TIMEOUT_MS) */
} tg_search_opts;

#define TG_SEARCH_OPTS_DEFAULT { .offset = 0, .limit = 10, .snippets = 1, \
    .passage_weight = -1.0, .k1 = -1.0, .b = -1.0, .prf_weight = -1.0, \
    .prf_clarity = -1.0, .prf_sharpness = -1.0, .qw_idf = -1.0, .qw_burst = -1.0, \
    .reg_weight = -1.0, .family_own = -1.0, .proximity = -1.0, \
    .family = -1 }

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

typedef struct tg_year_count {
    unsigned year;           /* 2016 */
    uint32_t count;          /* matching articles dated in that year */
} tg_year_count;

typedef struct tg_related {
    char *name;              /* as written in the passage where first met */
    unsigned count;          /* passages (of the top hits) that name it */
} tg_related;

typedef struct tg_shard_failure {
    char *shard;             /* owned: as in its stub line, "remote 10.0.0.2:7001" */
    char *error;             /* owned: why it was left out */
} tg_shard_failure;

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
    char *showing;           /* "Showing results for": the query with each
                                word the archive never has replaced by the
                                spelling searched in its place, or NULL */
    tg_related *related;     /* with opts.related: names near the query */
    size_t nrelated;
    int total_exact;         /* 1: total is the exact count, 0: an estimate */
    tg_year_count *years;    /* with opts.year_counts: matches per year, in
                                ascending year order (undated articles not
                                counted) */
    size_t nyears;
    int years_exact;         /* 1: years counts every match, 0: estimated */
    int partial;             /* 1: some shards were left out (shards_failed) */
    tg_shard_failure *shards_failed;  /* the shards left out, and why */
    size_t nshards_failed;
} tg_results;

/* Opens the database at path (a directory or a stub file listing shards):
 * tg_searcher_open_multi of that one path with the defaults. NULL on
 * failure with the reason in errbuf. */
tg_searcher *tg_searcher_open(const char *path, char *errbuf, size_t errlen);

/* How a searcher over several databases (shards) behaves. */
#define TG_SHARD_TIMEOUT_MS 2000   /* wait for a remote shard's answer */
#define TG_SHARD_RETRY_MS   10000  /* a shard left out is tried again after */
typedef struct tg_searcher_config {
    unsigned shard_timeout_ms;  /* how long a remote shard may take to connect
                                   and to answer each request
                                   (0: TG_SHARD_TIMEOUT_MS) */
    unsigned retry_ms;          /* a shard left out is tried again after this
                                   long, at the next search (0: TG_SHARD_RETRY_MS) */
    int complete;               /* 1: a search fails (TG_ERR_DB, the message
                                   naming the shard) rather than answer
                                   without a shard */
    const char *lexicon;        /* database the names, spellings and
                                   metadata are read from (NULL: the one a
                                   stub names with "# tigris-lexicon:") */
} tg_searcher_config;

/* Opens the databases dbs[0..n) as one (tg_dbset.h says what each may
 * be: a database folder, a sharded folder, a stub file with local and
 * remote shards). A shard that cannot be opened is left out (searches
 * then say partial) unless cfg->complete; when none opens, or a stub is
 * malformed, NULL with the reason in errbuf. cfg NULL: the defaults. */
tg_searcher *tg_searcher_open_multi(const char *const *dbs, size_t n,
                                    const tg_searcher_config *cfg, char *errbuf, size_t errlen);
/* A warning about how the searcher was opened ("remote shards without a
 * lexicon: ..."), NULL when none; owned by s. */
const char *tg_searcher_warning(const tg_searcher *s);
void tg_searcher_close(tg_searcher *s);
const char *tg_searcher_errmsg(const tg_searcher *s);
/* Number of articles in the database. */
uint32_t tg_searcher_doccount(tg_searcher *s);
/* Number of them that carry a signature (tg_signature.h): fewer in a
 * database indexed before 2026-12-07 (wholly or in part), whose long
 * queries compare articles by their term lists instead, slower. */
uint32_t tg_searcher_signatures(tg_searcher *s);
/* Stemming language of the database (borrowed). */
const char *tg_searcher_lang(const tg_searcher *s);
/* Picks up commits made since the searcher was opened; over shards, also
 * tries again the shards left out retry_ms ago or more (as tg_search
 * does), and leaves out those that fail to reopen. TG_ERR_DB when none
 * is left. */
tg_status tg_searcher_reopen(tg_searcher *s);

/* Bounds on what one search may cost. Generous for any person typing and
 * for any page a website asks for; a query or request past them gets
 * TG_ERR_LIMIT with the reason on the searcher (README, "Limits"). */
#define TG_SEARCH_MAX_QUERY_BYTES  4096   /* query text */
#define TG_SEARCH_MAX_QUERY_TERMS  1024   /* terms after expansion */
#define TG_SEARCH_MAX_QUERY_DEPTH  32     /* nesting of ( ) and operators */
#define TG_SEARCH_MAX_WINDOW       100000 /* offset + limit */
#define TG_SEARCH_TIMEOUT_MS       3000   /* default deadline */
#define TG_SEARCH_MAX_TIMEOUT_MS   60000  /* largest timeout_ms accepted */

/* Checks opts against the bounds above and for consistency (limit >= 1,
 * dates well formed, ...). TG_OK, or TG_ERR_ARG / TG_ERR_LIMIT with a
 * message for a person written into errbuf ("--offset + --limit is
 * 200000, more than 100000"). tg_search runs the same check. */
tg_status tg_search_opts_check(const tg_search_opts *opts, char *errbuf, size_t errlen);

/* Checks the query text alone: TG_OK, TG_ERR_LIMIT when it is longer
 * than TG_SEARCH_MAX_QUERY_BYTES, TG_ERR_ARG when it is not valid UTF-8
 * ("query is not valid UTF-8 (byte 0xFF at offset 0)"), with the message
 * in errbuf. tg_search runs the same check (a server can answer 400 from
 * it without a searcher). */
tg_status tg_search_query_check(const char *query, char *errbuf, size_t errlen);

/* The database revision the searcher reads (changes with every commit);
 * with tg_searcher_reopen, lets a server see new articles cheaply. */
uint64_t tg_searcher_revision(tg_searcher *s);

/* Runs query. *out is owned by the caller (tg_results_free). An empty
 * query gives zero hits, not an error. Over shards (tg_searcher_open_multi)
 * a shard that fails (down, or slower than the shard timeout) is left out
 * and the search run again on the others: the results then say partial
 * and which shards failed; with complete, TG_ERR_DB naming the shard. */
tg_status tg_search(tg_searcher *s, const char *query, const tg_search_opts *opts,
                    tg_results **out);
void tg_results_free(tg_results *r);

/* ---- One article, for an article page (/article/ID). */
typedef struct tg_passage_view {
    char *text;              /* owned */
    tg_span *spans;          /* words of the query within text (owned) */
    size_t nspans;
    int matches;             /* 1: the passage has a word of the query */
} tg_passage_view;

typedef struct tg_article_view {
    char *id, *url, *title, *date, *author;   /* owned; "" if absent */
    char **tags;
    size_t ntags;
    tg_passage_view *passages;
    size_t npassages;
    uint32_t matching;       /* passages with matches */
} tg_article_view;

/* Fills *out with the article whose id is id, its passages in order; when
 * query is not NULL or empty, marks the passages that match it (the same
 * words, forms, names and aliases as tg_search) and their words.
 * TG_ERR_NOT_FOUND when no article has that id. *out is the caller's
 * (tg_article_view_free). */
tg_status tg_article_get(tg_searcher *s, const char *id, const char *query,
                         tg_article_view **out);
void tg_article_view_free(tg_article_view *v);

/* ---- Autocomplete of the archive's names and words. */
typedef struct tg_suggestion {
    char *text;              /* owned: "Camp Liberty", "hezbollah" */
    uint32_t freq;           /* articles that have it */
    int is_name;             /* 1: a name learnt from the archive */
} tg_suggestion;

/* Up to max completions of prefix (case- and accent-insensitive), names
 * first, then by frequency. *out (an array of *n, tg_suggestions_free) is
 * the caller's. The data is loaded on first use and after a reopen that
 * saw a new revision; answers take microseconds. */
tg_status tg_suggest(tg_searcher *s, const char *prefix, unsigned max,
                     tg_suggestion **out, size_t *n);
void tg_suggestions_free(tg_suggestion *v, size_t n);

#endif
