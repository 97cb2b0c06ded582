/*
 * qbuild.c - from a parsed query (tg_qtree) to a Xapian query.
 *
 * Words follow the "stem some" rule: a word typed in lower case matches
 * through its stem (Z<stem>), so "departure" finds "departures"; a word
 * typed with a capital letter is taken as a name and matched exactly, so
 * "Hamas" does not find "Hama" (both stem to "hama"). An all-capitals
 * query is read as shouting, not as names. A capitalised word that the
 * index never saw exactly falls back to its stem. Quoted phrases match
 * exact words in order.
 *
 * Clauses combine as: (+required AND ...) AND_MAYBE (plain OR ...),
 * AND_NOT (excluded OR ...), FILTER (dates).
 */
#include "search_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "tg_buf.h"
#include "tg_schema.h"

/* Xapian's allterms walk for stem variants stops after this many terms:
 * it bounds the cost of a short stem in a big vocabulary. */
#define VARIANT_SCAN_MAX 4000
#define VARIANT_MAX 48
/* Up to this many words a query is typed, not written: every capital in
 * it is taken to mark a name. */
#define SHORT_QUERY_WORDS 4

typedef struct qctx {
    xc_rdb *rdb;
    tg_stemmer *stemmer;
    int shouting;          /* the whole query is in capitals */
    size_t nwords;         /* words in the query */
    uint32_t doccount;
    tg_plan *plan;
    tg_status st;
} qctx;

static int starts_upper(const char *raw)
{
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)raw, -1, &cp) <= 0)
        return 0;
    return utf8proc_isupper(cp);
}

static int has_digit(const char *s)
{
    for (; *s; s++)
        if (isdigit((unsigned char)*s))
            return 1;
    return 0;
}

static const char *field_prefix(tg_qfield f)
{
    switch (f) {
    case TG_QF_TITLE: return TG_PFX_TITLE;
    case TG_QF_AUTHOR: return TG_PFX_AUTHOR;
    case TG_QF_TAG: return TG_PFX_TAG;
    case TG_QF_SOURCE: return TG_PFX_SOURCE;
    case TG_QF_ID: return TG_PFX_ID;
    default: return "";
    }
}

static char *join(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb);
        memcpy(s + la + lb, c, lc + 1);
    }
    return s;
}

static double idf_of(qctx *c, uint32_t tf)
{
    double n = c->doccount ? c->doccount : 1;
    double v = log((n - tf + 0.5) / (tf + 0.5));
    return v < 0.1 ? 0.1 : v;
}

/* ---- word groups for passage scoring ---------------------------------- */

typedef struct variant_scan {
    qctx *c;
    const char *stem;
    tg_group *g;
    unsigned scanned;
} variant_scan;

static int group_add(tg_group *g, const char *term, size_t n)
{
    for (size_t i = 0; i < g->nterms; i++)
        if (strlen(g->terms[i]) == n && memcmp(g->terms[i], term, n) == 0)
            return 0;
    char **t = realloc(g->terms, (g->nterms + 1) * sizeof *t);
    if (!t)
        return -1;
    g->terms = t;
    if (!(t[g->nterms] = strndup(term, n)))
        return -1;
    g->nterms++;
    return 0;
}

static int on_variant(const char *term, size_t len, uint32_t tf, void *ud)
{
    variant_scan *vs = ud;
    if (++vs->scanned > VARIANT_SCAN_MAX || vs->g->nterms >= VARIANT_MAX)
        return 1;
    size_t sl;
    const char *stem = tg_stem(vs->c->stemmer, term, len, &sl);
    if (stem && sl == strlen(vs->stem) && memcmp(stem, vs->stem, sl) == 0)
        if (group_add(vs->g, term, len)) {
            vs->c->st = TG_ERR_NOMEM;
            return 1;
        }
    return 0;
}

static tg_group *new_group(qctx *c)
{
    tg_plan *p = c->plan;
    tg_group *g = realloc(p->groups, (p->ngroups + 1) * sizeof *g);
    if (!g) {
        c->st = TG_ERR_NOMEM;
        return NULL;
    }
    p->groups = g;
    g = &p->groups[p->ngroups++];
    memset(g, 0, sizeof *g);
    return g;
}

/* Adds the group of an exact word, or of every indexed form of a stem. */
static void add_group(qctx *c, const char *word, const char *stem, uint32_t tf, int phrase_next)
{
    tg_group *g = new_group(c);
    if (!g)
        return;
    g->idf = idf_of(c, tf);
    g->phrase_next = phrase_next;
    if (group_add(g, word, strlen(word))) {
        c->st = TG_ERR_NOMEM;
        return;
    }
    if (!stem)
        return;
    /* Snowball stems are prefixes of their words but for a changed last
     * letter ("happi" <- "happy"), so scan from the stem less one letter. */
    size_t sl = strlen(stem);
    char *prefix = strndup(stem, sl > 1 ? sl - 1 : sl);
    if (!prefix) {
        c->st = TG_ERR_NOMEM;
        return;
    }
    variant_scan vs = { c, stem, g, 0 };
    xc_rdb_allterms(c->rdb, prefix, on_variant, &vs);
    free(prefix);
}

/* ---- Xapian query construction ---------------------------------------- */

static xc_query *term_query(qctx *c, const char *term, uint32_t pos)
{
    xc_query *q = xc_query_term(term, 1, pos);
    if (!q)
        c->st = TG_ERR_NOMEM;
    return q;
}

/* One word in a field. Sets *group_stem to the stem used (malloc'd), or
 * NULL for an exact match, so the caller can record the scoring group. */
static xc_query *word_query(qctx *c, tg_qfield field, const char *word, const char *raw,
                            int sentence_start, uint32_t pos, char **group_stem, uint32_t *tf)
{
    const char *pfx = field_prefix(field);
    *group_stem = NULL;
    if (field == TG_QF_ID || field == TG_QF_TAG || has_digit(word)) {
        char *t = join(pfx, word, "");
        if (!t) {
            c->st = TG_ERR_NOMEM;
            return NULL;
        }
        *tf = xc_rdb_termfreq(c->rdb, t);
        xc_query *q = term_query(c, t, pos);
        free(t);
        return q;
    }
    /* A capital that opens a sentence of a longer query is grammar, not a
     * name; in a short query ("Hamas", "Camp Liberty") it is deliberate. */
    int exact = !c->shouting && starts_upper(raw) &&
                !(sentence_start && c->nwords > SHORT_QUERY_WORDS);
    char *t = NULL;
    if (exact) {
        t = join(pfx, word, "");
        if (!t) {
            c->st = TG_ERR_NOMEM;
            return NULL;
        }
        *tf = xc_rdb_termfreq(c->rdb, t);
        if (*tf == 0) {       /* never seen exactly: fall back to the stem */
            free(t);
            t = NULL;
            exact = 0;
        }
    }
    if (!exact) {
        size_t sl;
        const char *stem = tg_stem(c->stemmer, word, strlen(word), &sl);
        if (!stem || !(*group_stem = strndup(stem, sl)) ||
            !(t = join(TG_PFX_STEM, pfx, *group_stem))) {
            c->st = TG_ERR_NOMEM;
            return NULL;
        }
        *tf = xc_rdb_termfreq(c->rdb, t);
    }
    xc_query *q = term_query(c, t, pos);
    free(t);
    return q;
}

static xc_query *combine(qctx *c, xc_op op, xc_query **subs, size_t n, uint32_t window)
{
    if (n == 0)
        return NULL;
    xc_query *q = n == 1 ? subs[0] : xc_query_combine(op, subs, n, window);
    if (n > 1) {
        for (size_t i = 0; i < n; i++)
            xc_query_free(subs[i]);
        if (!q)
            c->st = TG_ERR_NOMEM;
    }
    return q;
}

static int scored_field(tg_qfield f) { return f == TG_QF_ANY || f == TG_QF_TITLE; }

static xc_query *node_query(qctx *c, const tg_qnode *n, int positive, uint32_t *pos);

static xc_query *phrase_query(qctx *c, const tg_qnode *n, int positive, uint32_t *pos)
{
    const char *pfx = field_prefix(n->field);
    xc_query **subs = calloc(n->nwords, sizeof *subs);
    if (!subs) {
        c->st = TG_ERR_NOMEM;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n->nwords && !c->st; i++) {
        char *t = join(pfx, n->words[i], "");
        if (!t) {
            c->st = TG_ERR_NOMEM;
            break;
        }
        if (positive && scored_field(n->field))
            add_group(c, n->words[i], NULL, xc_rdb_termfreq(c->rdb, t), i + 1 < n->nwords);
        if ((subs[k] = term_query(c, t, ++*pos)))
            k++;
        free(t);
    }
    xc_query *q = c->st ? NULL : combine(c, XC_OP_PHRASE, subs, k, (uint32_t)k);
    if (c->st)
        for (size_t i = 0; i < k; i++)
            xc_query_free(subs[i]);
    free(subs);
    return q;
}

static xc_query *node_query(qctx *c, const tg_qnode *n, int positive, uint32_t *pos)
{
    switch (n->kind) {
    case TG_Q_TERM: {
        char *stem = NULL;
        uint32_t tf = 0;
        const char *raw = n->raw && n->raw[0] ? n->raw[0] : n->words[0];
        xc_query *q = word_query(c, n->field, n->words[0], raw, n->sentence_start, ++*pos, &stem, &tf);
        if (q && positive && scored_field(n->field))
            add_group(c, n->words[0], stem, tf, 0);
        free(stem);
        return q;
    }
    case TG_Q_PHRASE:
        return phrase_query(c, n, positive, pos);
    case TG_Q_OR: {
        xc_query **subs = calloc(n->nkids ? n->nkids : 1, sizeof *subs);
        if (!subs) {
            c->st = TG_ERR_NOMEM;
            return NULL;
        }
        size_t k = 0;
        for (size_t i = 0; i < n->nkids && !c->st; i++)
            if ((subs[k] = node_query(c, n->kids[i], positive, pos)))
                k++;
        xc_query *q = c->st ? NULL : combine(c, XC_OP_OR, subs, k, 0);
        if (c->st)
            for (size_t i = 0; i < k; i++)
                xc_query_free(subs[i]);
        free(subs);
        return q;
    }
    case TG_Q_DATE: {
        xc_query *q = xc_query_value_range(TG_SLOT_DATE, n->date_lo[0] ? n->date_lo : NULL,
                                           n->date_hi[0] ? n->date_hi : NULL);
        if (!q)
            c->st = TG_ERR_NOMEM;
        return q;
    }
    }
    return NULL;
}

static int query_is_shouting(const tg_qtree *t)
{
    int letters = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tg_qnode *n = t->nodes[i];
        for (size_t w = 0; w < n->nwords; w++) {
            const char *raw = n->raw ? n->raw[w] : NULL;
            if (!raw)
                continue;
            utf8proc_int32_t cp;
            for (const char *p = raw; *p;) {
                utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
                if (k <= 0)
                    break;
                p += k;
                if (utf8proc_islower(cp))
                    return 0;
                if (utf8proc_isupper(cp))
                    letters++;
            }
        }
    }
    /* "KH" alone is a name, not shouting. */
    return letters > 0 && t->n > 1;
}

typedef struct qlist { xc_query **q; size_t n; } qlist;

static void qlist_push(qlist *l, xc_query *q, size_t cap)
{
    if (!q)
        return;
    if (l->n < cap)
        l->q[l->n++] = q;
    else
        xc_query_free(q);
}

tg_status tg_plan_build(xc_rdb *rdb, tg_stemmer *stemmer, const tg_qtree *tree, tg_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    size_t nwords = 0;
    for (size_t i = 0; i < tree->n; i++)
        nwords += tree->nodes[i]->kind == TG_Q_OR ? tree->nodes[i]->nkids : tree->nodes[i]->nwords;
    qctx c = { rdb, stemmer, query_is_shouting(tree), nwords, xc_rdb_doccount(rdb), plan, TG_OK };
    size_t cap = tree->n ? tree->n : 1;
    qlist req = { calloc(cap, sizeof(xc_query *)), 0 };
    qlist opt = { calloc(cap, sizeof(xc_query *)), 0 };
    qlist exc = { calloc(cap, sizeof(xc_query *)), 0 };
    qlist flt = { calloc(cap, sizeof(xc_query *)), 0 };
    if (!req.q || !opt.q || !exc.q || !flt.q)
        c.st = TG_ERR_NOMEM;
    uint32_t pos = 0;
    for (size_t i = 0; i < tree->n && !c.st; i++) {
        const tg_qnode *n = tree->nodes[i];
        int positive = n->mod != TG_QM_EXCLUDE;
        xc_query *q = node_query(&c, n, positive, &pos);
        if (n->kind == TG_Q_DATE)
            qlist_push(n->mod == TG_QM_EXCLUDE ? &exc : &flt, q, cap);
        else if (n->mod == TG_QM_REQUIRE || n->field == TG_QF_ID)
            qlist_push(&req, q, cap);
        else if (n->mod == TG_QM_EXCLUDE)
            qlist_push(&exc, q, cap);
        else
            qlist_push(&opt, q, cap);
    }
    xc_query *q = NULL;
    if (!c.st) {
        xc_query *r = combine(&c, XC_OP_AND, req.q, req.n, 0);
        xc_query *o = combine(&c, XC_OP_OR, opt.q, opt.n, 0);
        req.n = opt.n = 0;
        if (r && o) {
            xc_query *pair[2] = { r, o };
            q = combine(&c, XC_OP_AND_MAYBE, pair, 2, 0);
        } else {
            q = r ? r : o;
        }
        if (!q && flt.n)   /* only a date filter: every article in range */
            q = xc_query_match_all();
        if (q && exc.n) {
            xc_query *x = combine(&c, XC_OP_OR, exc.q, exc.n, 0);
            exc.n = 0;
            xc_query *pair[2] = { q, x };
            q = combine(&c, XC_OP_AND_NOT, pair, 2, 0);
        }
        if (q && flt.n) {
            xc_query *f = combine(&c, XC_OP_AND, flt.q, flt.n, 0);
            flt.n = 0;
            xc_query *pair[2] = { q, f };
            q = combine(&c, XC_OP_FILTER, pair, 2, 0);
        }
    }
    qlist *lists[] = { &req, &opt, &exc, &flt };
    for (size_t i = 0; i < 4; i++) {
        for (size_t k = 0; k < lists[i]->n; k++)
            xc_query_free(lists[i]->q[k]);
        free(lists[i]->q);
    }
    plan->query = q;
    if (c.st) {
        tg_plan_free(plan);
        return c.st;
    }
    return TG_OK;
}

void tg_plan_free(tg_plan *plan)
{
    if (!plan)
        return;
    xc_query_free(plan->query);
    for (size_t i = 0; i < plan->ngroups; i++) {
        for (size_t k = 0; k < plan->groups[i].nterms; k++)
            free(plan->groups[i].terms[k]);
        free(plan->groups[i].terms);
    }
    free(plan->groups);
    memset(plan, 0, sizeof *plan);
}
