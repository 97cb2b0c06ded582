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
    if (TG_ARRAY_RESERVE(w->v, w->cap, w->n + 1) || !(w->v[w->n] = strndup(tok->term, tok->len))) {
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

struct tg_years_table {
    uint64_t revision;
    uint16_t *bucket_of;     /* per docid: index into years, or NO_YEAR */
    size_t n;                /* docids covered: lastdocid + 1 */
    unsigned *years;         /* bucket -> year, in the order first met */
    size_t nyears, cap;
    uint16_t by_year[10000]; /* year -> bucket while building */
    int oom;
};

#define NO_YEAR 0xFFFF
#define MAX_YEAR_BUCKETS 4096   /* distinct years kept (a real archive has dozens) */

void tg_years_table_free(tg_years_table *t)
{
    if (!t)
        return;
    free(t->bucket_of);
    free(t->years);
    free(t);
}

static int on_date(xc_docid did, const char *val, size_t len, void *ud)
{
    tg_years_table *t = ud;
    unsigned year = 0;
    for (size_t i = 0; i < 4; i++) {
        if (i >= len || val[i] < '0' || val[i] > '9')
            return 0;
        year = year * 10 + (unsigned)(val[i] - '0');
    }
    if (did >= t->n)
        return 0;
    uint16_t b = t->by_year[year];
    if (b == NO_YEAR) {
        if (t->nyears == MAX_YEAR_BUCKETS)
            return 0;
        if (TG_ARRAY_RESERVE(t->years, t->cap, t->nyears + 1))
            return t->oom = 1;
        b = t->by_year[year] = (uint16_t)t->nyears;
        t->years[t->nyears++] = year;
    }
    t->bucket_of[did] = b;
    return 0;
}

/* The searcher's table at its current revision, built when missing or
 * stale. NULL on failure (message on the searcher). */
static const tg_years_table *years_table(tg_searcher *s, tg_status *st)
{
    tg_years_table **slot = tg_searcher_years_slot(s);
    xc_rdb *db = tg_searcher_rdb(s);
    /* The table is kept until the next commit: one built from reads that
     * failed (the last docid read as 0) must not be. */
    uint64_t failures0 = xc_rdb_failures(db);
    uint64_t rev = tg_searcher_revision(s);
    if ((*st = tg_searcher_db_check(s, failures0)))
        return NULL;
    if (*slot && (*slot)->revision == rev)
        return *slot;
    tg_years_table_free(*slot);
    *slot = NULL;
    size_t errlen;
    char *err = tg_searcher_errbuf(s, &errlen);
    tg_years_table *t = calloc(1, sizeof *t);
    if (t) {
        t->n = (size_t)xc_rdb_lastdocid(db) + 1;
        t->bucket_of = malloc(t->n * sizeof *t->bucket_of);
    }
    if (!t || !t->bucket_of) {
        tg_years_table_free(t);
        snprintf(err, errlen, "out of memory");
        *st = TG_ERR_NOMEM;
        return NULL;
    }
    memset(t->bucket_of, 0xFF, t->n * sizeof *t->bucket_of);
    memset(t->by_year, 0xFF, sizeof t->by_year);
    xc_status xs = xc_rdb_values(db, TG_SLOT_DATE, on_date, t);
    tg_status dbst = tg_searcher_db_check(s, failures0);
    if (xs || t->oom || dbst) {
        if (t->oom)
            snprintf(err, errlen, "out of memory");
        *st = t->oom ? TG_ERR_NOMEM : dbst ? dbst : TG_ERR_DB;
        tg_years_table_free(t);
        return NULL;
    }
    t->revision = rev;
    *slot = t;
    return t;
}

tg_status tg_year_count_start(tg_searcher *s, xc_enquire *enq, tg_year_count_run *yc)
{
    tg_status st = TG_OK;
    memset(yc, 0, sizeof *yc);
    if (!(yc->table = years_table(s, &st)))
        return st;
    yc->counts = calloc(yc->table->nyears ? yc->table->nyears : 1, sizeof *yc->counts);
    if (!yc->counts) {
        size_t errlen;
        snprintf(tg_searcher_errbuf(s, &errlen), errlen, "out of memory");
        return TG_ERR_NOMEM;
    }
    xc_enquire_count_buckets(enq, yc->table->bucket_of, yc->table->n, yc->counts,
                             yc->table->nyears, &yc->seen);
    return TG_OK;
}

static int by_year(const void *a, const void *b)
{
    const tg_year_count *x = a, *y = b;
    return (x->year > y->year) - (x->year < y->year);
}

tg_status tg_year_count_finish(const tg_year_count_run *yc, const xc_mset *ms, tg_results *r)
{
    const tg_years_table *t = yc->table;
    size_t n = 0;
    for (size_t b = 0; b < t->nyears; b++)
        n += yc->counts[b] != 0;
    tg_year_count *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return TG_ERR_NOMEM;
    uint32_t lower = xc_mset_matches_lower(ms), upper = xc_mset_matches_upper(ms);
    /* Every match was examined when the count is exact and they were all
     * seen; else the counts are of the first matches seen, scaled up to
     * Xapian's estimate of the whole. */
    r->years_exact = lower == upper && yc->seen == lower;
    double scale = !r->years_exact && yc->seen ? (double)xc_mset_matches_estimated(ms) / yc->seen
                                               : 1.0;
    size_t k = 0;
    for (size_t b = 0; b < t->nyears; b++)
        if (yc->counts[b])
            v[k++] = (tg_year_count){ t->years[b], (uint32_t)(yc->counts[b] * scale + 0.5) };
    qsort(v, n, sizeof *v, by_year);
    r->years = v;
    r->nyears = n;
    return TG_OK;
}

void tg_year_count_free(tg_year_count_run *yc)
{
    free(yc->counts);
    memset(yc, 0, sizeof *yc);
}
