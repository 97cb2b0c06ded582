/*
 * search_limits.c - the bounds on what one search may cost (README,
 * "Limits"): options, query text, query size after expansion, deadline.
 *
 * Every bound is checked before the work it bounds, from the cheapest
 * check up: bytes of text (before parsing), words typed (before the
 * lexicon is asked about each), terms after expansion (before Xapian
 * matches), and the clock during the search itself.
 */
#include "limits_int.h"
#include "tg_query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_text.h"

/* Knob ranges: wide enough for any experiment, narrow enough that a
 * typo (a weight of 1e9, a NaN) is caught rather than searched. */
#define MAX_K1 10.0
#define MAX_WEIGHT 100.0

/* ---- options --------------------------------------------------------- */

/* "YYYY[-MM[-DD]]" as YYYYMMDD (the first or last day it covers), read by
 * the query syntax's one date reader; -1 when not a real date. */
static long date_bound(const char *s, int hi)
{
    char ymd[9];
    return tg_query_date_bound(s, hi, ymd) ? -1 : strtol(ymd, NULL, 10);
}

/* NaN and infinities fail every range test written as !(lo <= x <= hi). */
static int out_of(double x, double lo, double hi) { return !(x >= lo && x <= hi); }

tg_status tg_search_opts_check(const tg_search_opts *o, char *errbuf, size_t errlen)
{
    char dummy[1];
    if (!errbuf || !errlen) {
        errbuf = dummy;
        errlen = sizeof dummy;
    }
    errbuf[0] = '\0';
    if (!o)
        return TG_OK;       /* tg_search's defaults */
    /* limit 0 means the default (10): the window is what is asked. */
    uint64_t window = (uint64_t)o->offset + (o->limit ? o->limit : 10);
    if (window > TG_SEARCH_MAX_WINDOW) {
        snprintf(errbuf, errlen, "offset + limit is %llu, more than %u",
                 (unsigned long long)window, (unsigned)TG_SEARCH_MAX_WINDOW);
        return TG_ERR_LIMIT;
    }
    if (o->rerank > TG_SEARCH_MAX_WINDOW) {
        snprintf(errbuf, errlen, "rerank is %u, more than %u", o->rerank,
                 (unsigned)TG_SEARCH_MAX_WINDOW);
        return TG_ERR_LIMIT;
    }
    if (o->timeout_ms > TG_SEARCH_MAX_TIMEOUT_MS) {
        snprintf(errbuf, errlen, "timeout is %u ms, more than %u", o->timeout_ms,
                 (unsigned)TG_SEARCH_MAX_TIMEOUT_MS);
        return TG_ERR_LIMIT;
    }
    /* A negative value asks for the default; anything else must be a
     * number within range. */
    if (!(o->k1 < 0) && out_of(o->k1, 0, MAX_K1)) {
        snprintf(errbuf, errlen, "BM25 k1 is %g, not within 0 to %g", o->k1, MAX_K1);
        return TG_ERR_ARG;
    }
    if (!(o->b < 0) && out_of(o->b, 0, 1)) {
        snprintf(errbuf, errlen, "BM25 b is %g, not within 0 to 1", o->b);
        return TG_ERR_ARG;
    }
    if (!(o->passage_weight < 0) && out_of(o->passage_weight, 0, MAX_WEIGHT)) {
        snprintf(errbuf, errlen, "passage weight is %g, not within 0 to %g", o->passage_weight,
                 MAX_WEIGHT);
        return TG_ERR_ARG;
    }
    if (!(o->prf_weight < 0) && out_of(o->prf_weight, 0, MAX_WEIGHT)) {
        snprintf(errbuf, errlen, "feedback weight is %g, not within 0 to %g", o->prf_weight,
                 MAX_WEIGHT);
        return TG_ERR_ARG;
    }
    if (!(o->prf_clarity < 0) && out_of(o->prf_clarity, 0, 10)) {
        snprintf(errbuf, errlen, "feedback cut is %g, not within 0 to 10 deviations",
                 o->prf_clarity);
        return TG_ERR_ARG;
    }
    if (!(o->prf_sharpness < 0) && out_of(o->prf_sharpness, 0, 100)) {
        snprintf(errbuf, errlen, "feedback sharpness is %g, not within 0 to 100",
                 o->prf_sharpness);
        return TG_ERR_ARG;
    }
    if ((!(o->qw_idf < 0) && out_of(o->qw_idf, 0, 4)) ||
        (!(o->qw_burst < 0) && out_of(o->qw_burst, 0, 4))) {
        snprintf(errbuf, errlen, "long-query word weights are %g,%g, not within 0 to 4",
                 o->qw_idf, o->qw_burst);
        return TG_ERR_ARG;
    }
    if (!(o->reg_weight < 0) && out_of(o->reg_weight, 0, 1)) {
        snprintf(errbuf, errlen, "regularization weight is %g, not within 0 to 1", o->reg_weight);
        return TG_ERR_ARG;
    }
    if (o->reg_docs > 200 || o->reg_neighbours > 200) {
        snprintf(errbuf, errlen, "regularization of %u articles by %u neighbours, not within 0 to 200",
                 o->reg_docs, o->reg_neighbours);
        return TG_ERR_ARG;
    }
    if (o->family > 16) {
        snprintf(errbuf, errlen, "word families of %d letters, not within 0 to 16", o->family);
        return TG_ERR_ARG;
    }
    if (o->prf_docs > 1000 || o->prf_terms > 1000) {
        snprintf(errbuf, errlen, "feedback takes at most 1000 documents and 1000 terms");
        return TG_ERR_LIMIT;
    }
    long from = -1, to = -1;
    if (o->date_from && (from = date_bound(o->date_from, 0)) < 0) {
        snprintf(errbuf, errlen, "from date '%.40s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                 o->date_from);
        return TG_ERR_ARG;
    }
    if (o->date_to && (to = date_bound(o->date_to, 1)) < 0) {
        snprintf(errbuf, errlen, "to date '%.40s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                 o->date_to);
        return TG_ERR_ARG;
    }
    if (from >= 0 && to >= 0 && from > to) {
        snprintf(errbuf, errlen, "from date %s is after to date %s", o->date_from, o->date_to);
        return TG_ERR_ARG;
    }
    return TG_OK;
}

/* ---- query text -------------------------------------------------------- */

tg_status tg_search_query_check(const char *query, char *errbuf, size_t errlen)
{
    char dummy[1];
    if (!errbuf || !errlen) {
        errbuf = dummy;
        errlen = sizeof dummy;
    }
    errbuf[0] = '\0';
    if (!query) {
        snprintf(errbuf, errlen, "no query");
        return TG_ERR_ARG;
    }
    /* strnlen: a megabyte of text is not walked to be refused */
    size_t n = strnlen(query, TG_SEARCH_MAX_QUERY_BYTES + 1);
    if (n > TG_SEARCH_MAX_QUERY_BYTES) {
        snprintf(errbuf, errlen, "query is %zu bytes long, more than %u", strlen(query),
                 (unsigned)TG_SEARCH_MAX_QUERY_BYTES);
        return TG_ERR_LIMIT;
    }
    size_t bad = tg_utf8_invalid_at(query, n);
    if (bad < n) {
        snprintf(errbuf, errlen, "query is not valid UTF-8 (byte 0x%02X at offset %zu)",
                 (unsigned char)query[bad], bad);
        return TG_ERR_ARG;
    }
    return TG_OK;
}

/* ---- query size -------------------------------------------------------- */

static size_t node_words(const tg_qnode *n)
{
    /* The tree is at most two levels deep (OR of leaves: lib/query.c
     * flattens chains); kids are counted one level down, never by
     * recursion, so no input can deepen the C stack here. */
    if (n->kind != TG_Q_OR)
        return n->nwords;
    size_t w = 0;
    for (size_t i = 0; i < n->nkids; i++)
        w += n->kids[i]->kind == TG_Q_OR ? 0 : n->kids[i]->nwords;
    return w;
}

size_t tg_qtree_words(const tg_qtree *t)
{
    size_t w = 0;
    for (size_t i = 0; t && i < t->n; i++)
        w += node_words(t->nodes[i]);
    return w;
}

static unsigned node_depth(const tg_qnode *n, unsigned limit, unsigned at)
{
    if (at > limit || n->kind != TG_Q_OR)
        return at;
    unsigned best = at;
    for (size_t i = 0; i < n->nkids && best <= limit; i++) {
        unsigned d = node_depth(n->kids[i], limit, at + 1);
        best = d > best ? d : best;
    }
    return best;
}

unsigned tg_qtree_depth(const tg_qtree *t, unsigned limit)
{
    unsigned best = 0;
    for (size_t i = 0; t && i < t->n && best <= limit; i++) {
        unsigned d = node_depth(t->nodes[i], limit, 1);
        best = d > best ? d : best;
    }
    return best;
}

size_t tg_plan_scoring_terms(const tg_plan *plan)
{
    size_t n = 0;
    for (size_t g = 0; g < plan->ngroups; g++)
        n += plan->groups[g].nterms;
    return n;
}

void tg_plan_trim_scoring(tg_plan *plan, size_t budget)
{
    if (!plan->ngroups || tg_plan_scoring_terms(plan) <= budget)
        return;
    size_t keep = budget / plan->ngroups;
    if (keep < 1)
        keep = 1;
    for (size_t g = 0; g < plan->ngroups; g++) {
        tg_group *gr = &plan->groups[g];
        for (size_t t = keep; t < gr->nterms; t++)
            free(gr->terms[t].term);
        if (gr->nterms > keep)
            gr->nterms = keep;
        /* alternatives whose terms all went no longer count */
        unsigned nalts = 1;
        for (size_t t = 0; t < gr->nterms; t++)
            if (gr->terms[t].alt + 1 > nalts)
                nalts = gr->terms[t].alt + 1;
        gr->nalts = nalts;
    }
}

/* ---- deadline ------------------------------------------------------------ */

void tg_deadline_start(tg_deadline *d, unsigned ms)
{
    d->ms = ms;
    clock_gettime(CLOCK_MONOTONIC, &d->end);
    d->end.tv_sec += ms / 1000;
    d->end.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (d->end.tv_nsec >= 1000000000L) {
        d->end.tv_sec++;
        d->end.tv_nsec -= 1000000000L;
    }
}

double tg_deadline_left_ms(const tg_deadline *d)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double left = (double)(d->end.tv_sec - now.tv_sec) * 1e3 +
                  (double)(d->end.tv_nsec - now.tv_nsec) / 1e6;
    return left > 0 ? left : 0;
}

int tg_deadline_passed(const tg_deadline *d) { return tg_deadline_left_ms(d) <= 0; }

int tg_results_warn(tg_results *r, const char *msg)
{
    size_t old = r->warning ? strlen(r->warning) : 0, n = strlen(msg);
    char *w = realloc(r->warning, old + (old ? 2 : 0) + n + 1);
    if (!w)
        return -1;
    if (old)
        memcpy(w + old, "; ", 2), old += 2;
    memcpy(w + old, msg, n + 1);
    r->warning = w;
    return 0;
}
