/*
 * search_int.h - internals shared by the search files (not installed).
 *
 * qbuild.c turns a parsed query into a Xapian query and the list of word
 * groups that passage scoring and highlighting look for; search.c runs it.
 */
#ifndef TG_SEARCH_INT_H
#define TG_SEARCH_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tg_query.h"
#include "tg_text.h"
#include "xapian_c.h"

/* One query word as passage scoring sees it: the unstemmed terms of the
 * index that count as that word (the word itself and, for a stemmed word,
 * every indexed form with the same stem), and its idf. */
typedef struct tg_group {
    char **terms;        /* owned */
    size_t nterms;
    double idf;
    int phrase_next;     /* 1 when the next group follows it in a phrase */
} tg_group;

typedef struct tg_plan {
    xc_query *query;     /* owned; NULL when the query has no positive part */
    tg_group *groups;    /* positive words in query order */
    size_t ngroups;
} tg_plan;

/* Builds the plan for tree over rdb. Returns TG_OK or TG_ERR_NOMEM. */
tg_status tg_plan_build(xc_rdb *rdb, tg_stemmer *stemmer, const tg_qtree *tree, tg_plan *plan);
void tg_plan_free(tg_plan *plan);

#endif
