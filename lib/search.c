/*
 * search.c - runs a query: BM25 over articles, then passage evidence.
 *
 * Xapian ranks whole articles (BM25). For the top `rerank` articles the
 * passages are scored from the position lists of the query words: a
 * BM25-like score per passage plus a bonus for query words adjacent as
 * typed (a phrase). The article's final score adds a share of its best
 * passage's score, so an article with one passage squarely about the
 * query beats one that mentions the words far apart. The best passage is
 * what a hit shows, with the matched words marked.
 */
#include "tg_search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_int.h"
#include "tg_record.h"
#include "tg_schema.h"

#define DEFAULT_PASSAGE_WEIGHT 0.5
#define DEFAULT_RERANK 100
#define DEFAULT_K1 1.0
#define DEFAULT_B  0.5
/* BM25 inside a passage: k1 and b as usual, against the target length. */
#define PASSAGE_K1 1.2
#define PASSAGE_B  0.75
#define PASSAGE_AVG_WORDS 100.0
#define PHRASE_BONUS 0.5

struct tg_searcher {
    xc_rdb *db;
    tg_stemmer *stemmer;
    char lang[64];
    char errmsg[512];
    int passage_docs;    /* layout "passages": collapse passages by article */
};

tg_searcher *tg_searcher_open(const char *path, char *errbuf, size_t errlen)
{
    tg_searcher *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    char xerr[512];
    if (xc_rdb_open(path, &s->db, xerr, sizeof xerr)) {
        snprintf(errbuf, errlen, "cannot open database %s: %s", path, xerr);
        free(s);
        return NULL;
    }
    char *lang = NULL, *version = NULL, *layout = NULL;
    size_t n;
    xc_rdb_get_metadata(s->db, TG_META_LAYOUT, &layout, &n);
    s->passage_docs = layout && strcmp(layout, TG_LAYOUT_PASSAGES) == 0;
    free(layout);
    xc_rdb_get_metadata(s->db, TG_META_LANG, &lang, &n);
    xc_rdb_get_metadata(s->db, TG_META_VERSION, &version, &n);
    if (version && strcmp(version, TG_SCHEMA_VERSION) != 0) {
        snprintf(errbuf, errlen, "%s was written by an incompatible Tigris (schema %s, expected %s)",
                 path, version, TG_SCHEMA_VERSION);
    } else if (!version && xc_rdb_doccount(s->db) > 0) {
        snprintf(errbuf, errlen, "%s is a Xapian database, but not one written by Tigris", path);
    } else {
        snprintf(s->lang, sizeof s->lang, "%s", lang ? lang : "english");
        s->stemmer = tg_stemmer_new(s->lang);
        if (!s->stemmer)
            snprintf(errbuf, errlen, "%s names an unknown language '%s'", path, s->lang);
    }
    free(lang);
    free(version);
    if (!s->stemmer) {
        xc_rdb_close(s->db);
        free(s);
        return NULL;
    }
    return s;
}

void tg_searcher_close(tg_searcher *s)
{
    if (!s)
        return;
    xc_rdb_close(s->db);
    tg_stemmer_free(s->stemmer);
    free(s);
}

const char *tg_searcher_errmsg(const tg_searcher *s) { return s->errmsg; }
uint32_t tg_searcher_doccount(tg_searcher *s) { return xc_rdb_doccount(s->db); }
const char *tg_searcher_lang(const tg_searcher *s) { return s->lang; }

tg_status tg_searcher_reopen(tg_searcher *s)
{
    if (xc_rdb_reopen(s->db)) {
        snprintf(s->errmsg, sizeof s->errmsg, "reopen failed: %s", xc_rdb_errmsg(s->db));
        return TG_ERR_DB;
    }
    return TG_OK;
}

/* ---- passage scoring -------------------------------------------------- */

typedef struct pscore {
    const tg_record *rec;
    size_t ngroups;
    uint32_t *tf;        /* npassages x ngroups */
    uint32_t **pos;      /* per group: body ordinals, sorted */
    size_t *npos;
    size_t *cappos;
    size_t group;        /* group being collected */
} pscore;

static size_t passage_of(const tg_record *rec, uint32_t ordinal)
{
    size_t lo = 0, hi = rec->npassages;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (rec->passages[mid].first_word <= ordinal)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static int on_position(uint32_t pos, void *ud)
{
    pscore *ps = ud;
    if (pos < TG_BODY_BASE)
        return 0;                       /* a title word */
    uint32_t ord = pos - TG_BODY_BASE;
    size_t g = ps->group;
    if (ps->npos[g] == ps->cappos[g]) {
        size_t cap = ps->cappos[g] ? ps->cappos[g] * 2 : 16;
        uint32_t *p = realloc(ps->pos[g], cap * sizeof *p);
        if (!p)
            return 1;
        ps->pos[g] = p;
        ps->cappos[g] = cap;
    }
    ps->pos[g][ps->npos[g]++] = ord;
    ps->tf[passage_of(ps->rec, ord) * ps->ngroups + g]++;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int contains(const uint32_t *v, size_t n, uint32_t x)
{
    return n && bsearch(&x, v, n, sizeof *v, cmp_u32) != NULL;
}

/* Scores every passage of the document; returns the best passage's index
 * and score, and how many passages match at all. */
static tg_status score_passages(xc_rdb *db, xc_docid did, const tg_record *rec,
                                const tg_plan *plan, uint32_t *best, double *best_score,
                                uint32_t *matching, double **all)
{
    if (all)
        *all = NULL;
    *best = 0;
    *best_score = 0;
    *matching = 0;
    size_t np = rec->npassages, ng = plan->ngroups;
    if (np == 0 || ng == 0)
        return TG_OK;
    pscore ps = { rec, ng, calloc(np * ng, sizeof(uint32_t)), calloc(ng, sizeof(uint32_t *)),
                  calloc(ng, sizeof(size_t)), calloc(ng, sizeof(size_t)), 0 };
    double *score = calloc(np, sizeof *score);
    tg_status st = TG_OK;
    if (!ps.tf || !ps.pos || !ps.npos || !ps.cappos || !score) {
        st = TG_ERR_NOMEM;
        goto out;
    }
    for (size_t g = 0; g < ng; g++) {
        ps.group = g;
        for (size_t t = 0; t < plan->groups[g].nterms; t++)
            xc_rdb_positions(db, did, plan->groups[g].terms[t], on_position, &ps);
        /* Variants of one word arrive one term at a time. */
        if (ps.npos[g] > 1)
            qsort(ps.pos[g], ps.npos[g], sizeof(uint32_t), cmp_u32);
    }
    for (size_t p = 0; p < np; p++) {
        double len = rec->passages[p].nwords ? rec->passages[p].nwords : 1;
        double norm = PASSAGE_K1 * (1 - PASSAGE_B + PASSAGE_B * len / PASSAGE_AVG_WORDS);
        int any = 0;
        for (size_t g = 0; g < ng; g++) {
            uint32_t tf = ps.tf[p * ng + g];
            if (!tf)
                continue;
            any = 1;
            score[p] += plan->groups[g].idf * tf * (PASSAGE_K1 + 1) / (tf + norm);
        }
        *matching += any;
    }
    /* Words typed next to each other that stand next to each other. */
    for (size_t g = 0; g + 1 < ng; g++) {
        double bonus = PHRASE_BONUS * (plan->groups[g].idf + plan->groups[g + 1].idf);
        if (plan->groups[g].phrase_next)
            bonus *= 2;
        uint32_t *seen = calloc(np, sizeof *seen);
        if (!seen) {
            st = TG_ERR_NOMEM;
            goto out;
        }
        for (size_t i = 0; i < ps.npos[g]; i++) {
            uint32_t o = ps.pos[g][i];
            if (contains(ps.pos[g + 1], ps.npos[g + 1], o + 1)) {
                size_t p = passage_of(rec, o);
                /* Saturate: the second adjacency counts half, and so on. */
                score[p] += bonus / (1 + seen[p]++);
            }
        }
        free(seen);
    }
    for (size_t p = 0; p < np; p++)
        if (score[p] > *best_score) {
            *best_score = score[p];
            *best = (uint32_t)p;
        }
    if (all) {
        *all = score;
        score = NULL;
    }
out:
    for (size_t g = 0; ps.pos && g < ng; g++)
        free(ps.pos[g]);
    free(ps.pos);
    free(ps.npos);
    free(ps.cappos);
    free(ps.tf);
    free(score);
    return st;
}

/* ---- snippets ---------------------------------------------------------- */

typedef struct hl_ctx {
    const tg_plan *plan;
    tg_stemmer *stemmer;
    tg_span *spans;
    size_t n, cap;
    int oom;
} hl_ctx;

static int matches_plan(const tg_plan *plan, const char *term, size_t len)
{
    for (size_t g = 0; g < plan->ngroups; g++)
        for (size_t t = 0; t < plan->groups[g].nterms; t++) {
            const char *x = plan->groups[g].terms[t];
            if (strlen(x) == len && memcmp(x, term, len) == 0)
                return 1;
        }
    return 0;
}

static int on_hl_token(const tg_token *tok, void *ud)
{
    hl_ctx *h = ud;
    if (!matches_plan(h->plan, tok->term, tok->len))
        return 0;
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        tg_span *s = realloc(h->spans, cap * sizeof *s);
        if (!s) {
            h->oom = 1;
            return 1;
        }
        h->spans = s;
        h->cap = cap;
    }
    h->spans[h->n++] = (tg_span){ (uint32_t)tok->start, (uint32_t)tok->end };
    return 0;
}

static char *dup_ref(tg_strref r) { return strndup(r.p ? r.p : "", r.n); }

static tg_status fill_hit(tg_searcher *s, const tg_plan *plan, tg_record *rec, tg_hit *h,
                          int snippets)
{
    if (!(h->id = dup_ref(rec->id)) || !(h->url = dup_ref(rec->url)) ||
        !(h->title = dup_ref(rec->title)) || !(h->date = dup_ref(rec->date)) ||
        !(h->author = dup_ref(rec->author)) || !(h->origin = dup_ref(rec->origin)))
        return TG_ERR_NOMEM;
    if (rec->ntags) {
        if (!(h->tags = calloc(rec->ntags, sizeof *h->tags)))
            return TG_ERR_NOMEM;
        for (size_t i = 0; i < rec->ntags; i++, h->ntags++)
            if (!(h->tags[i] = dup_ref(rec->tags[i])))
                return TG_ERR_NOMEM;
    }
    h->npassages = (uint32_t)rec->npassages;
    if (!snippets || rec->npassages == 0)
        return TG_OK;
    const char *body = tg_record_body(rec);
    if (!body) {
        snprintf(s->errmsg, sizeof s->errmsg, "stored text of article %.*s is corrupt",
                 (int)rec->id.n, rec->id.p);
        return TG_ERR_DB;
    }
    const tg_passage *p = &rec->passages[h->passage_index];
    if (!(h->passage = strndup(body + p->start, p->len)))
        return TG_ERR_NOMEM;
    hl_ctx hl = { plan, s->stemmer, NULL, 0, 0, 0 };
    tg_tokenize(h->passage, p->len, on_hl_token, &hl);
    h->spans = hl.spans;
    h->nspans = hl.n;
    return hl.oom ? TG_ERR_NOMEM : TG_OK;
}

static void hit_free(tg_hit *h)
{
    free(h->id);
    free(h->url);
    free(h->title);
    free(h->date);
    free(h->author);
    free(h->origin);
    for (size_t i = 0; i < h->ntags; i++)
        free(h->tags[i]);
    free(h->tags);
    free(h->passage);
    free(h->spans);
}

void tg_results_free(tg_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++)
        hit_free(&r->hits[i]);
    free(r->hits);
    free(r->query);
    free(r->parsed);
    free(r->xapian_query);
    free(r->warning);
    free(r);
}

/* ---- the search ---------------------------------------------------------- */

typedef struct cand {
    xc_docid did;
    uint32_t msidx;      /* index in the Xapian result page */
    double article, passage, final;
    uint32_t best, matching;
    xc_doc *doc;         /* owned until the hit is filled */
    tg_record rec;
    int have_rec;
    double *pscores;     /* passages mode: every passage's score (owned) */
} cand;

/* Passages mode: one passage of one candidate. */
typedef struct pick {
    size_t cand;
    uint32_t passage;
    double score;
} pick;

static int by_pick_score(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->cand != y->cand)
        return x->cand < y->cand ? -1 : 1;
    return x->passage < y->passage ? -1 : x->passage > y->passage;
}

static int by_final(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->final != y->final)
        return x->final < y->final ? 1 : -1;
    return x->did < y->did ? -1 : x->did > y->did;
}

static void cand_release(cand *c)
{
    if (c->have_rec)
        tg_record_free(&c->rec);
    xc_doc_free(c->doc);
    free(c->pscores);
    c->pscores = NULL;
    c->doc = NULL;
    c->have_rec = 0;
}

static tg_status load_record(tg_searcher *s, const xc_mset *ms, uint32_t i, cand *c)
{
    if (xc_mset_document(ms, i, &c->doc)) {
        snprintf(s->errmsg, sizeof s->errmsg, "cannot read document %u: %s", c->did,
                 xc_rdb_errmsg(s->db));
        return TG_ERR_DB;
    }
    size_t len;
    const char *data = xc_doc_get_data(c->doc, &len);
    if (tg_record_decode(data, len, &c->rec)) {
        snprintf(s->errmsg, sizeof s->errmsg, "document %u has no valid Tigris record", c->did);
        return TG_ERR_DB;
    }
    c->have_rec = 1;
    return TG_OK;
}

static tg_status fill_id_only(tg_searcher *s, const xc_mset *ms, uint32_t k, tg_hit *h)
{
    xc_doc *doc;
    if (xc_mset_document(ms, k, &doc)) {
        snprintf(s->errmsg, sizeof s->errmsg, "cannot read document %u: %s",
                 xc_mset_docid(ms, k), xc_rdb_errmsg(s->db));
        return TG_ERR_DB;
    }
    size_t len;
    const char *id = xc_doc_get_value(doc, TG_SLOT_ID, &len);
    h->id = strndup(id ? id : "", id ? len : 0);
    xc_doc_free(doc);
    if (!h->id)
        return TG_ERR_NOMEM;
    static const char empty[] = "";
    char **fields[] = { &h->url, &h->title, &h->date, &h->author, &h->origin };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (!(*fields[i] = strdup(empty)))
            return TG_ERR_NOMEM;
    return TG_OK;
}

/* Passages mode: every matching passage of the candidates competes on its
 * own score; the article's score only breaks ties. */
static tg_status pick_passages(tg_searcher *s, const tg_plan *plan, cand *cands, size_t nc,
                               const tg_search_opts *opts, tg_results *r)
{
    size_t n = 0, cap = 0;
    pick *picks = NULL;
    for (size_t i = 0; i < nc; i++) {
        cand *c = &cands[i];
        for (size_t p = 0; c->pscores && p < c->rec.npassages; p++) {
            if (c->pscores[p] <= 0)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                pick *v = realloc(picks, cap * sizeof *v);
                if (!v) {
                    free(picks);
                    return TG_ERR_NOMEM;
                }
                picks = v;
            }
            picks[n++] = (pick){ i, (uint32_t)p, c->pscores[p] + 0.01 * c->article };
        }
    }
    qsort(picks, n, sizeof *picks, by_pick_score);
    r->total = (uint32_t)n;
    size_t first = opts->offset < n ? opts->offset : n;
    size_t last = opts->offset + opts->limit < n ? opts->offset + opts->limit : n;
    tg_status st = TG_OK;
    r->hits = calloc(last > first ? last - first : 1, sizeof *r->hits);
    if (!r->hits)
        st = TG_ERR_NOMEM;
    for (size_t i = first; i < last && !st; i++) {
        cand *c = &cands[picks[i].cand];
        tg_hit *h = &r->hits[r->nhits++];
        h->score = picks[i].score;
        h->article_score = c->article;
        h->passage_score = c->pscores[picks[i].passage];
        h->passage_index = picks[i].passage;
        h->matching_passages = 1;
        st = fill_hit(s, plan, &c->rec, h, opts->snippets);
    }
    free(picks);
    return st;
}

tg_status tg_search(tg_searcher *s, const char *query, const tg_search_opts *opts_in,
                    tg_results **out)
{
    tg_search_opts opts = opts_in ? *opts_in : (tg_search_opts)TG_SEARCH_OPTS_DEFAULT;
    if (!opts.limit)
        opts.limit = 10;
    double pw = opts.passage_weight >= 0 ? opts.passage_weight : DEFAULT_PASSAGE_WEIGHT;
    unsigned want = opts.offset + opts.limit;
    /* Passage evidence for the top `rerank` articles (a reranked article
     * only gains, so those below keep their order); passages mode ranks
     * the passages of that many articles. */
    unsigned rerank = opts.rerank ? opts.rerank : DEFAULT_RERANK;
    if (opts.snippets && rerank < want)
        rerank = want;      /* every hit shown gets its best passage */
    unsigned window = want > rerank ? want : rerank;
    s->errmsg[0] = '\0';

    *out = NULL;
    tg_results *r = calloc(1, sizeof *r);
    if (!r || !(r->query = strdup(query)))
        goto nomem;
    r->offset = opts.offset;
    char warn[256];
    tg_qtree *tree = NULL;
    if (tg_query_parse(query, &tree, warn, sizeof warn))
        goto nomem;
    if (warn[0] && !(r->warning = strdup(warn)))
        goto nomem_tree;
    if (!(r->parsed = tg_qtree_describe(tree)))
        goto nomem_tree;

    tg_plan plan;
    if (tg_plan_build(s->db, s->stemmer, tree, &plan))
        goto nomem_tree;
    tg_qtree_free(tree);
    tree = NULL;
    if (!plan.query) {
        tg_plan_free(&plan);
        *out = r;
        return TG_OK;
    }
    r->xapian_query = xc_query_describe(plan.query);

    tg_status st = TG_OK;
    xc_enquire *enq = xc_enquire_new(s->db);
    xc_mset *ms = NULL;
    cand *cands = NULL;
    size_t nc = 0;
    if (!enq) {
        st = TG_ERR_NOMEM;
        goto done;
    }
    xc_enquire_set_query(enq, plan.query);
    xc_enquire_set_bm25(enq, opts.k1 >= 0 ? opts.k1 : DEFAULT_K1, 0, 1,
                        opts.b >= 0 ? opts.b : DEFAULT_B, 0.5);
    if (s->passage_docs && !opts.passages)
        xc_enquire_set_collapse(enq, TG_SLOT_ID, 1);
    if (xc_enquire_run(enq, 0, window, want, &ms)) {
        snprintf(s->errmsg, sizeof s->errmsg, "search failed: %s", xc_enquire_errmsg(enq));
        st = TG_ERR_DB;
        goto done;
    }
    r->total = xc_mset_matches_estimated(ms);
    nc = xc_mset_size(ms);
    cands = calloc(nc ? nc : 1, sizeof *cands);
    if (!cands) {
        st = TG_ERR_NOMEM;
        goto done;
    }
    for (uint32_t i = 0; i < nc && !st; i++) {
        cand *c = &cands[i];
        c->did = xc_mset_docid(ms, i);
        c->msidx = i;
        c->article = c->final = xc_mset_weight(ms, i);
        if ((!plan.ngroups && !opts.snippets) || i >= rerank)
            continue;
        if ((st = load_record(s, ms, i, c)))
            break;
        st = score_passages(s->db, c->did, &c->rec, &plan, &c->best, &c->passage, &c->matching,
                            opts.passages ? &c->pscores : NULL);
        c->final = c->article + pw * c->passage;
        if (!opts.snippets && !opts.passages)
            cand_release(c);
    }
    if (st)
        goto done;
    if (opts.passages) {
        st = pick_passages(s, &plan, cands, nc, &opts, r);
        goto done;
    }
    qsort(cands, nc, sizeof *cands, by_final);

    size_t first = opts.offset < nc ? opts.offset : nc;
    size_t last = want < nc ? want : nc;
    r->hits = calloc(last > first ? last - first : 1, sizeof *r->hits);
    if (!r->hits) {
        st = TG_ERR_NOMEM;
        goto done;
    }
    for (size_t i = first; i < last && !st; i++) {
        cand *c = &cands[i];
        tg_hit *h = &r->hits[r->nhits++];
        h->score = c->final;
        h->article_score = c->article;
        h->passage_score = c->passage;
        h->passage_index = c->best;
        h->matching_passages = c->matching;
        if (!c->have_rec && !opts.snippets) {
            /* A ranking-only hit (batch runs) needs just the id, which a
             * value slot holds without reading the stored record. */
            st = fill_id_only(s, ms, c->msidx, h);
            continue;
        }
        if (!c->have_rec && (st = load_record(s, ms, c->msidx, c)))
            break;
        st = fill_hit(s, &plan, &c->rec, h, opts.snippets);
    }
done:
    for (size_t i = 0; i < nc; i++)
        cand_release(&cands[i]);
    free(cands);
    xc_mset_free(ms);
    xc_enquire_free(enq);
    tg_plan_free(&plan);
    if (st) {
        if (st == TG_ERR_NOMEM && !s->errmsg[0])
            snprintf(s->errmsg, sizeof s->errmsg, "out of memory");
        tg_results_free(r);
        return st;
    }
    *out = r;
    return TG_OK;
nomem_tree:
    tg_qtree_free(tree);
nomem:
    tg_results_free(r);
    snprintf(s->errmsg, sizeof s->errmsg, "out of memory");
    return TG_ERR_NOMEM;
}
