/*
 * search_ext.h - internals shared by search.c and the files serving the
 * HTTP API around it (search_filter.c, article_view.c, suggest.c); not
 * installed.
 *
 * The searcher's struct stays private to search.c: these files reach
 * what they need through the accessors below.
 */
#ifndef TG_SEARCH_EXT_H
#define TG_SEARCH_EXT_H

#include <stddef.h>
#include <stdint.h>
#include "search_int.h"
#include "tg_search.h"
#include "xapian_c.h"

/* ---- search.c: accessors --------------------------------------------- */
xc_rdb *tg_searcher_rdb(tg_searcher *s);
/* The searcher's error text buffer (written by the failing call). */
char *tg_searcher_errbuf(tg_searcher *s, size_t *len);
/* When a call on the searcher's database failed since its failure count
 * (xc_rdb_failures) was `since`: the failure's status (TG_ERR_DB, or
 * TG_ERR_NOMEM), its message on the searcher ("database error in PATH:
 * what Xapian said"). Else TG_OK and the message is left alone. */
tg_status tg_searcher_db_check(tg_searcher *s, uint64_t since);
/* Parses query and builds its plan the way tg_search does (names,
 * aliases and forms unless no_entities), within the same bounds (README,
 * "Limits"). TG_OK, TG_ERR_NOMEM, TG_ERR_LIMIT or TG_ERR_DB (message on the
 * searcher). */
tg_status tg_searcher_plan(tg_searcher *s, const char *query, int no_entities, tg_plan *plan);
/* Spans of the plan's words in text[0..len), in order (*spans malloc'd,
 * NULL when none); noted (NULL allowed, plan->nnotes bytes) gets 1 for
 * each expansion note that matched. TG_OK or TG_ERR_NOMEM. */
tg_status tg_highlight(const tg_plan *plan, const char *text, size_t len, tg_span **spans,
                       size_t *n, unsigned char *noted);
/* The searcher's autocomplete data (suggest.c), freed with the searcher. */
typedef struct tg_suggest_data tg_suggest_data;
tg_suggest_data **tg_searcher_suggest_slot(tg_searcher *s);
void tg_suggest_data_free(tg_suggest_data *d);

/* ---- search_filter.c: from=, to=, tag=, sort= and year counts ---------- */
typedef struct tg_filter {
    char date_lo[9], date_hi[9];   /* "YYYYMMDD" or "" (open) */
    char **tag;                    /* the tag's terms (owned), NULL: any */
    size_t ntag;
    int active;                    /* 1: some filter is set */
} tg_filter;

/* Reads the filters of opts into f. TG_ERR_ARG with a message in errbuf
 * for a malformed date, from after to, or a tag without a word in it;
 * TG_ERR_NOMEM. f needs tg_filter_free either way. */
tg_status tg_filter_init(const tg_search_opts *opts, tg_filter *f, char *errbuf, size_t errlen);
void tg_filter_free(tg_filter *f);
/* q restricted to the filters, weightless (scores unchanged); takes q
 * (NULL: every article passing the filters). NULL on no memory. */
xc_query *tg_filter_query(const tg_filter *f, xc_query *q);
/* Sets up enq for f: the whole-tag check (f must outlive the runs). */
void tg_filter_enquire(tg_filter *f, xc_enquire *enq);

/* check_at_least for a run that counts years: up to this many matches
 * are counted exactly, past it the counts are scaled estimates. */
#define TG_YEAR_COUNT_EXACT 10000

/* Which year each article is dated in, as a bucket per docid, built from
 * the date values once per database revision and kept on the searcher. */
typedef struct tg_years_table tg_years_table;
tg_years_table **tg_searcher_years_slot(tg_searcher *s);
void tg_years_table_free(tg_years_table *t);

/* Counting years over one run: tg_year_count_start (before
 * xc_enquire_run) sets enq to count, tg_year_count_finish (after it)
 * fills r->years / r->nyears / r->years_exact, tg_year_count_free
 * releases (always; a zeroed tg_year_count is valid). TG_OK,
 * TG_ERR_NOMEM or TG_ERR_DB with the message on the searcher. */
typedef struct tg_year_count_run {
    const tg_years_table *table;
    uint32_t *counts;
    uint32_t seen;
} tg_year_count_run;
tg_status tg_year_count_start(tg_searcher *s, xc_enquire *enq, tg_year_count_run *yc);
tg_status tg_year_count_finish(const tg_year_count_run *yc, const xc_mset *ms, tg_results *r);
void tg_year_count_free(tg_year_count_run *yc);

#endif
