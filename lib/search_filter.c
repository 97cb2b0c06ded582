/*
 * search_filter.c - the filters of tg_search_opts (dates, tag) and the
 * per-year counts of a result set.
 *
 * Filters join the query as Xapian FILTER operands, which carry no
 * weight, so the scores of what passes are those of the query alone.
 * Dates are read by the query syntax's own date reader (tg_query.h) and
 * become a range on TG_SLOT_DATE. A tag is its K-prefixed words as a
 * phrase (one word: the term), which also matches a longer tag holding
 * those words ("iran" in "iran deal"); a match decider then reads the
 * record of each candidate the phrase lets through and keeps it only
 * when one of its tags is exactly that tag.
 */
#include "search_ext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_query.h"
#include "tg_record.h"
#include "tg_schema.h"
#include "tg_text.h"

typedef struct words {
    char **v;
    size_t n, cap;
    int oom;
} words;

static int on_word(const tg_token *tok, void *ud)
{
    words *w = ud;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4;
        char **v = realloc(w->v, cap * sizeof *v);
        if (!v) {
            w->oom = 1;
            return 1;
        }
        w->v = v;
        w->cap = cap;
    }
    if (!(w->v[w->n] = strndup(tok->term, tok->len))) {
        w->oom = 1;
        return 1;
    }
    w->n++;
    return 0;
}

tg_status tg_filter_init(const tg_search_opts *opts, tg_filter *f, char *errbuf, size_t errlen)
{
    memset(f, 0, sizeof *f);
    if (opts->date_from && opts->date_from[0] &&
        tg_query_date_bound(opts->date_from, 0, f->date_lo)) {
        snprintf(errbuf, errlen, "from date '%.40s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                 opts->date_from);
        return TG_ERR_ARG;
    }
    if (opts->date_to && opts->date_to[0] && tg_query_date_bound(opts->date_to, 1, f->date_hi)) {
        snprintf(errbuf, errlen, "to date '%.40s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                 opts->date_to);
        return TG_ERR_ARG;
    }
    if (f->date_lo[0] && f->date_hi[0] && strcmp(f->date_lo, f->date_hi) > 0) {
        snprintf(errbuf, errlen, "from date %.40s is after to date %.40s", opts->date_from,
                 opts->date_to);
        return TG_ERR_ARG;
    }
    if (opts->tag) {
        words w = { 0 };
        tg_status st = tg_tokenize(opts->tag, strlen(opts->tag), on_word, &w);
        f->tag = w.v;
        f->ntag = w.n;
        if (st || w.oom) {
            snprintf(errbuf, errlen, "out of memory");
            return TG_ERR_NOMEM;
        }
        if (!w.n) {
            snprintf(errbuf, errlen, "tag '%.40s' has no word in it", opts->tag);
            return TG_ERR_ARG;
        }
    }
    f->active = f->date_lo[0] || f->date_hi[0] || f->ntag;
    return TG_OK;
}

void tg_filter_free(tg_filter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->ntag; i++)
        free(f->tag[i]);
    free(f->tag);
    memset(f, 0, sizeof *f);
}

static xc_query *tag_query(const tg_filter *f)
{
    xc_query **v = calloc(f->ntag, sizeof *v);
    xc_query *q = NULL;
    int ok = v != NULL;
    for (size_t i = 0; ok && i < f->ntag; i++) {
        size_t n = strlen(f->tag[i]);
        char *t = malloc(n + sizeof TG_PFX_TAG);
        if (t) {
            memcpy(t, TG_PFX_TAG, sizeof TG_PFX_TAG - 1);
            memcpy(t + sizeof TG_PFX_TAG - 1, f->tag[i], n + 1);
            v[i] = xc_query_term(t, 1, (uint32_t)i + 1);
        }
        free(t);
        ok = v[i] != NULL;
    }
    if (ok)
        q = f->ntag == 1 ? v[0] : xc_query_combine(XC_OP_PHRASE, v, f->ntag, 0);
    for (size_t i = 0; v && i < f->ntag; i++)
        if (v[i] != q)
            xc_query_free(v[i]);
    free(v);
    return q;
}

xc_query *tg_filter_query(const tg_filter *f, xc_query *q)
{
    if (!f->active)
        return q ? q : xc_query_match_all();
    xc_query *parts[2] = { 0 };
    size_t n = 0;
    int ok = 1;
    if (f->date_lo[0] || f->date_hi[0]) {
        parts[n] = xc_query_value_range(TG_SLOT_DATE, f->date_lo[0] ? f->date_lo : NULL,
                                        f->date_hi[0] ? f->date_hi : NULL);
        ok = parts[n++] != NULL;
    }
    if (ok && f->ntag) {
        parts[n] = tag_query(f);
        ok = parts[n++] != NULL;
    }
    xc_query *flt = ok ? (n == 1 ? parts[0] : xc_query_combine(XC_OP_AND, parts, n, 0)) : NULL;
    if (flt != parts[0])
        xc_query_free(parts[0]);
    if (n > 1 && flt != parts[1])
        xc_query_free(parts[1]);
    xc_query *out = NULL;
    if (flt && !q) {
        out = flt;        /* every article that passes, each weighing 0 */
        flt = NULL;
    } else if (flt) {
        xc_query *v[2] = { q, flt };
        out = xc_query_combine(XC_OP_FILTER, v, 2, 0);
    }
    xc_query_free(q);
    xc_query_free(flt);
    return out;
}

/* Does the record of a candidate carry the tag as a whole? */
static int tag_decider(const char *data, size_t len, void *ud)
{
    const tg_filter *f = ud;
    tg_record rec;
    if (tg_record_decode(data, len, &rec))
        return 0;
    int keep = 0;
    for (size_t t = 0; !keep && t < rec.ntags; t++) {
        words w = { 0 };
        if (tg_tokenize(rec.tags[t].p, rec.tags[t].n, on_word, &w) == TG_OK && !w.oom &&
            w.n == f->ntag) {
            keep = 1;
            for (size_t i = 0; keep && i < w.n; i++)
                keep = strcmp(w.v[i], f->tag[i]) == 0;
        }
        for (size_t i = 0; i < w.n; i++)
            free(w.v[i]);
        free(w.v);
    }
    tg_record_free(&rec);
    return keep;
}

void tg_filter_enquire(tg_filter *f, xc_enquire *enq)
{
    xc_enquire_set_decider(enq, f->ntag ? tag_decider : NULL, f);
}

/* ---- years --------------------------------------------------------------- */

typedef struct ycount {
    tg_year_count *v;
    size_t n, cap;
    int oom;
} ycount;

/* Values come in string order, so one year's days arrive together. */
static int on_value(const char *val, size_t len, uint32_t count, void *ud)
{
    ycount *y = ud;
    unsigned year = 0;
    for (size_t i = 0; i < 4; i++) {
        if (i >= len || val[i] < '0' || val[i] > '9')
            return 0;
        year = year * 10 + (unsigned)(val[i] - '0');
    }
    if (y->n && y->v[y->n - 1].year == year) {
        y->v[y->n - 1].count += count;
        return 0;
    }
    if (y->n == y->cap) {
        size_t cap = y->cap ? y->cap * 2 : 16;
        tg_year_count *v = realloc(y->v, cap * sizeof *v);
        if (!v) {
            y->oom = 1;
            return 1;
        }
        y->v = v;
        y->cap = cap;
    }
    y->v[y->n++] = (tg_year_count){ year, count };
    return 0;
}

tg_status tg_year_counts(xc_enquire *enq, const xc_mset *ms, tg_results *r, char *errbuf,
                         size_t errlen)
{
    ycount y = { 0 };
    uint32_t seen = 0;
    if (xc_enquire_value_counts(enq, on_value, &y, &seen)) {
        snprintf(errbuf, errlen, "year counts failed: %s", xc_enquire_errmsg(enq));
        free(y.v);
        return TG_ERR_DB;
    }
    if (y.oom) {
        free(y.v);
        return TG_ERR_NOMEM;
    }
    uint32_t lower = xc_mset_matches_lower(ms), upper = xc_mset_matches_upper(ms);
    /* Every match was examined when the count is exact and they were all
     * seen; else the spy saw a sample of the first matches, scaled up to
     * Xapian's estimate of the whole. */
    r->years_exact = lower == upper && seen == lower;
    if (!r->years_exact && seen) {
        double scale = (double)xc_mset_matches_estimated(ms) / seen;
        for (size_t i = 0; i < y.n; i++)
            y.v[i].count = (uint32_t)(y.v[i].count * scale + 0.5);
    }
    r->years = y.v;
    r->nyears = y.n;
    return TG_OK;
}
