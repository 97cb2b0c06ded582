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
/* The terms a plan looks up: the larger of the Xapian query's terms (a
 * term counted each time it stands in the tree) and the terms passage
 * scoring reads positions of. */
size_t tg_plan_terms(const tg_plan *plan);

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
