/*
 * limits_int.h - what one search may cost (lib/search_limits.c; not
 * installed). The public bounds are the TG_SEARCH_MAX_* of tg_search.h.
 */
#ifndef TG_LIMITS_INT_H
#define TG_LIMITS_INT_H

#include <stddef.h>
#include <time.h>

#include "search_int.h"
#include "tg_search.h"

/* Words of the parsed query (every leaf word, OR branches included). */
size_t tg_qtree_words(const tg_qtree *t);
/* Nesting depth of the parsed query (1 for plain words, 2 under an OR),
 * counted no further than limit + 1. */
unsigned tg_qtree_depth(const tg_qtree *t, unsigned limit);
/* Terms whose positions passage scoring reads (every group's). */
size_t tg_plan_scoring_terms(const tg_plan *plan);
/* Keeps at most about budget scoring terms: each group its first
 * budget / ngroups (at least one: the word itself or its first form).
 * Matching is untouched; a form dropped only no longer adds to a
 * passage's score. */
void tg_plan_trim_scoring(tg_plan *plan, size_t budget);

/* A monotonic deadline. */
typedef struct tg_deadline {
    struct timespec end;
    unsigned ms;
} tg_deadline;

void tg_deadline_start(tg_deadline *d, unsigned ms);
/* 1 once the deadline has passed. */
int tg_deadline_passed(const tg_deadline *d);
/* Milliseconds left (0 when passed). */
double tg_deadline_left_ms(const tg_deadline *d);

/* Appends msg to r->warning ("; "-separated). Returns 0, -1 on no memory. */
int tg_results_warn(tg_results *r, const char *msg);

#endif
