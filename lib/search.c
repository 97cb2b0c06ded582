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

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dbcheck_int.h"
#include "limits_int.h"
#include "search_ext.h"
#include "tg_buf.h"
#include "tg_dbset.h"
#include "tg_entity.h"
#include "tg_hash.h"
#include "tg_strmap.h"
#include "tg_record.h"
#include "tg_schema.h"
#include "tg_signature.h"

/* Weight of the best passage's score in an article's, for every query
 * (measured on the judged collections and on title-word queries: README,
 * "Ranking"). Long queries had 0.2 until their passages gained term
 * proximity; the leave-one-collection-out rule then chose 0.3 for them
 * too (README, "Term proximity"). */
#define DEFAULT_PASSAGE_WEIGHT 0.3
/* Articles whose passages are scored: the results asked for, at least
 * DEFAULT_RERANK (scoring 30 instead changed known-item MAP of 2-3 title
 * words by under 0.001 on four collections and cost 28% more CPU: README,
 * "Performance"); passages mode ranks the passages of at least
 * DEFAULT_RERANK_PASSAGES articles. */
#define DEFAULT_RERANK 10
#define DEFAULT_RERANK_PASSAGES 30
/* Pseudo-relevance feedback, for queries of at least this many words. */
#define DEFAULT_PRF_MIN_WORDS 5
#define DEFAULT_PRF_DOCS 10
#define DEFAULT_PRF_TERMS 20
#define DEFAULT_PRF_WEIGHT 0.35
/* Each feedback article counts (score / best score)^DEFAULT_PRF_SHARPNESS
 * (see feedback). Weight and sharpness: the setting of a grid closest to
 * the target on the judged collections, full and ~400-article subsets
 * (scripts/eval_robust.py --loo, which also measures each collection
 * with the setting chosen on the other five; README, "Ranking"). With
 * word families, 0.35 and 16 had feedback losing more queries than it
 * won on ADI (2/3); the rule chose 0.35 and 8 (README, "Word families"). */
#define DEFAULT_PRF_SHARPNESS 8.0
/* Feedback articles must stand this many standard deviations above the
 * mean first-pass score of the top FEEDBACK_POOL (see feedback); 0: no
 * such test. Chosen by leave-one-collection-out among 0 to 1.5
 * (scripts/eval_robust.py --loo): the test cost the full collections
 * more than it gave the small archives, where the 1% depth already
 * keeps feedback to the few articles at the top. */
#define DEFAULT_PRF_CLARITY 0.0
/* Long queries are descriptions: their words weigh by idf and by
 * burstiness relative to each other (tg_qweights, lib/qbuild.c), the
 * powers chosen as the feedback settings are (scripts/eval_robust.py
 * --loo; README, "Ranking"; with word families, idf 0.5). */
#define DEFAULT_QW_IDF 0.5
#define DEFAULT_QW_BURST 0.25
/* Word families (lib/qbuild.c, add_family): stems up to 3 letters longer
 * or shorter join a word's stem; chosen by the leave-one-collection-out
 * rule (scripts/eval_robust.py; README, "Word families"). */
#define DEFAULT_FAMILY 3
/* The word's own stem also scores alone beside its family's term, at
 * this share, so that the word typed comes before its family (lib/qbuild.c,
 * family_query); chosen among 0, 0.2 and 0.4 by the leave-one-collection-out
 * rule (README, "The word's own stem beside its family"). */
#define DEFAULT_FAMILY_OWN 0.2
/* Score regularization (regularize): the top 100 of a long query's pool,
 * each moved 0.4 of the way toward its 20 most similar articles' mean
 * score; chosen by the leave-one-collection-out rule. Articles are
 * compared by their signatures (tg_signature.h): 100 of them cost the
 * log's long queries 10% more instructions, where 30 term lists cost 52%
 * (README, "Score regularization"). */
#define DEFAULT_REG_DOCS 100
#define DEFAULT_REG_NEIGHBOURS 20
#define DEFAULT_REG_WEIGHT 0.4
#define DEFAULT_K1 1.2
#define DEFAULT_B  0.6
/* BM25 inside a passage: k1 and b as usual, against the target length. */
#define PASSAGE_K1 1.2
#define PASSAGE_B  0.75
#define PASSAGE_AVG_WORDS 100.0
#define PHRASE_BONUS 0.5
/* Term proximity of long queries (score_passages): two neighbouring words
 * of the query within DEFAULT_PROXIMITY_WINDOW positions add
 * DEFAULT_PROXIMITY times their idfs; chosen among 0, 0.25 and 0.5 by the
 * leave-one-collection-out rule (README, "Term proximity"). */
#define DEFAULT_PROXIMITY 0.25
#define DEFAULT_PROXIMITY_WINDOW 8
/* A query word in the title counts this much in each passage. */
#define TITLE_SHARE 0.5

struct tg_searcher {
    xc_rdb *db;
    char *path;          /* of the database, for messages */
    tg_stemmer *stemmer;
    char lang[64];
    char errmsg[512];
    int passage_docs;    /* layout "passages": collapse passages by article */
    int forms_table;     /* stem -> forms entries (TG_META_FORMS) */
    int title_forms;     /* and no ZS title stems: title stems by forms */
    tg_suggest_data *suggest;  /* autocomplete data, loaded on first use */
    tg_years_table *years;     /* docid -> year, built on first use */
    tg_spell_memo *memo;       /* spellings' shared contexts worked out */
    /* Several databases (tg_searcher_open_multi): */
    int remote;                /* 1: some part is remote */
    int complete;              /* fail rather than answer without a part */
    unsigned retry_ms;
    char *warning;             /* tg_searcher_warning */
};

/* "a, b, c": the --db values, for messages. NULL on no memory. */
static char *join_names(const char *const *dbs, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(dbs[i]) + 2;
    char *p = malloc(len);
    if (!p)
        return NULL;
    p[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(p, ", ");
        strcat(p, dbs[i]);
    }
    return p;
}

static tg_status open_parts(tg_searcher *s, const char *const *dbs, size_t n,
                            const tg_searcher_config *cfg, char *errbuf, size_t errlen)
{
    tg_dbset set;
    tg_dbset_init(&set);
    tg_status st = TG_OK;
    for (size_t i = 0; i < n && !st; i++)
        st = tg_dbset_add(&set, dbs[i], errbuf, errlen);
    if (st) {
        tg_dbset_free(&set);
        return st;
    }
    char xerr[512];
    unsigned tmo = cfg->shard_timeout_ms ? cfg->shard_timeout_ms : TG_SHARD_TIMEOUT_MS;
    if (xc_rdb_open_parts((const char *const *)set.specs, set.n, tmo, &s->db, xerr, sizeof xerr)) {
        snprintf(errbuf, errlen, "cannot open database %s: %s", s->path, xerr);
        tg_dbset_free(&set);
        return TG_ERR_DB;
    }
    s->remote = set.remote;
    const char *lex = cfg->lexicon ? cfg->lexicon : set.lexicon;
    /* A stub's lexicon that is not there yet (a kept-shards build killed
     * before its end, or between the two renames that swap a new one in):
     * local shards have their own tables, which Xapian unites; remote
     * ones are searched as without a lexicon, with the warning. One
     * named by --lexicon must be there. */
    struct stat lsb;
    int lex_missing = lex && !cfg->lexicon && stat(lex, &lsb) != 0 && errno == ENOENT;
    if (lex_missing)
        lex = NULL;
    if (lex && xc_rdb_set_lexicon(s->db, lex)) {
        snprintf(errbuf, errlen, "cannot open the lexicon %s: %s", lex, xc_rdb_errmsg(s->db));
        st = TG_ERR_DB;
    } else if (!lex && s->remote) {
        const char *w = "remote shards without a lexicon (--lexicon, or '# tigris-lexicon:' "
                        "in the stub): names, aliases, spelling variants and suggestions are "
                        "limited";
        if (!(s->warning = strdup(w)))
            st = TG_ERR_NOMEM;
    }
    tg_dbset_free(&set);
    return st;
}

tg_searcher *tg_searcher_open(const char *path, char *errbuf, size_t errlen)
{
    return tg_searcher_open_multi(&path, 1, NULL, errbuf, errlen);
}

tg_searcher *tg_searcher_open_multi(const char *const *dbs, size_t ndbs,
                                    const tg_searcher_config *cfg_in, char *errbuf,
                                    size_t errlen)
{
    static const tg_searcher_config defaults;
    const tg_searcher_config *cfg = cfg_in ? cfg_in : &defaults;
    if (ndbs == 0) {
        snprintf(errbuf, errlen, "no database given");
        return NULL;
    }
    tg_searcher *s = calloc(1, sizeof *s);
    if (!s || !(s->path = join_names(dbs, ndbs))) {
        snprintf(errbuf, errlen, "out of memory");
        free(s);
        return NULL;
    }
    s->complete = cfg->complete;
    s->retry_ms = cfg->retry_ms ? cfg->retry_ms : TG_SHARD_RETRY_MS;
    if (open_parts(s, dbs, ndbs, cfg, errbuf, errlen)) {
        xc_rdb_close(s->db);
        free(s->warning);
        free(s->path);
        free(s);
        return NULL;
    }
    const char *path = s->path;
    /* A failed read of the settings below would read as "unset". */
    uint64_t failures0 = xc_rdb_failures(s->db);
    char *lang = NULL, *version = NULL, *layout = NULL;
    size_t n;
    xc_rdb_get_metadata(s->db, TG_META_LAYOUT, &layout, &n);
    s->passage_docs = layout && strcmp(layout, TG_LAYOUT_PASSAGES) == 0;
    free(layout);
    char *forms = NULL;
    xc_rdb_get_metadata(s->db, TG_META_FORMS, &forms, &n);
    s->forms_table = forms && (strcmp(forms, TG_FORMS_TABLE) == 0 ||
                               strcmp(forms, TG_FORMS_TITLE_TOO) == 0);
    s->title_forms = forms && strcmp(forms, TG_FORMS_TITLE_TOO) == 0;
    free(forms);
    xc_rdb_get_metadata(s->db, TG_META_LANG, &lang, &n);
    xc_rdb_get_metadata(s->db, TG_META_VERSION, &version, &n);
    if (tg_db_check(s->db, failures0)) {
        const char *why;
        xc_rdb_last_failure(s->db, &why);
        snprintf(errbuf, errlen, "cannot open database %s: %s", path, why);
    } else if (version && strcmp(version, TG_SCHEMA_VERSION) != 0) {
        snprintf(errbuf, errlen, "%s was written by an incompatible Tigris (schema %s, expected %s)",
                 path, version, TG_SCHEMA_VERSION);
    } else if (!version && xc_rdb_doccount(s->db) > 0) {
        snprintf(errbuf, errlen, "%s is a Xapian database, but not one written by Tigris", path);
    } else if (tg_db_check(s->db, failures0)) {   /* the count just read */
        const char *why;
        xc_rdb_last_failure(s->db, &why);
        snprintf(errbuf, errlen, "cannot open database %s: %s", path, why);
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
        free(s->warning);
        free(s->path);
        free(s);
        return NULL;
    }
    return s;
}

const char *tg_searcher_warning(const tg_searcher *s) { return s->warning; }

void tg_searcher_close(tg_searcher *s)
{
    if (!s)
        return;
    xc_rdb_close(s->db);
    tg_stemmer_free(s->stemmer);
    tg_suggest_data_free(s->suggest);
    tg_years_table_free(s->years);
    tg_spell_memo_free(s->memo);
    free(s->warning);
    free(s->path);
    free(s);
}

xc_rdb *tg_searcher_rdb(tg_searcher *s) { return s->db; }
tg_suggest_data **tg_searcher_suggest_slot(tg_searcher *s) { return &s->suggest; }
tg_years_table **tg_searcher_years_slot(tg_searcher *s) { return &s->years; }

char *tg_searcher_errbuf(tg_searcher *s, size_t *len)
{
    *len = sizeof s->errmsg;
    return s->errmsg;
}


const char *tg_searcher_errmsg(const tg_searcher *s) { return s->errmsg; }

tg_status tg_searcher_db_check(tg_searcher *s, uint64_t since)
{
    tg_status st = tg_db_check(s->db, since);
    if (st) {
        const char *why;
        xc_rdb_last_failure(s->db, &why);
        snprintf(s->errmsg, sizeof s->errmsg, "database error in %s: %s", s->path, why);
    }
    return st;
}
uint32_t tg_searcher_doccount(tg_searcher *s) { return xc_rdb_doccount(s->db); }
uint32_t tg_searcher_signatures(tg_searcher *s) { return xc_rdb_value_freq(s->db, TG_SLOT_SIGNATURE); }
const char *tg_searcher_lang(const tg_searcher *s) { return s->lang; }

uint64_t tg_searcher_revision(tg_searcher *s)
{
    uint64_t rev = 0;
    if (xc_rdb_revision(s->db, &rev))
        snprintf(s->errmsg, sizeof s->errmsg, "cannot read the revision: %s", xc_rdb_errmsg(s->db));
    return rev;
}

tg_status tg_searcher_reopen(tg_searcher *s)
{
    /* A server reopens before each request and may answer it from its
     * cache without a search: the shards left out come back here too (the
     * revision then changes, and with it the cache's key). */
    xc_rdb_retry_parts(s->db, s->complete ? 0 : s->retry_ms);
    if (xc_rdb_reopen(s->db)) {
        snprintf(s->errmsg, sizeof s->errmsg, "reopen failed: %s", xc_rdb_errmsg(s->db));
        return TG_ERR_DB;
    }
    return TG_OK;
}

/* Do docids fail to name documents for a filter of ours? Over several
 * databases they are per shard, and a remote one cannot take our filter. */
static int docids_foreign(tg_searcher *s)
{
    return xc_rdb_shards(s->db) != 1 || xc_rdb_remote(s->db);
}

/* ---- passage scoring -------------------------------------------------- */

typedef struct pscore {
    const tg_record *rec;
    size_t ngroups;
    uint32_t *tf;        /* npassages x ngroups x TG_MAX_ALTS */
    uint32_t **pos;      /* per group: body ordinals of the word itself */
    size_t *npos;
    size_t *cappos;
    size_t group;        /* group being collected */
    unsigned alt;        /* alternative being collected */
    uint32_t *title_tf;  /* per group and alternative: occurrences in the title */
    int oom;
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
    if (pos < TG_BODY_BASE) {           /* a title word */
        ps->title_tf[ps->group * TG_MAX_ALTS + ps->alt]++;
        return 0;
    }
    uint32_t ord = pos - TG_BODY_BASE;
    size_t g = ps->group;
    ps->tf[(passage_of(ps->rec, ord) * ps->ngroups + g) * TG_MAX_ALTS + ps->alt]++;
    if (ps->alt != 0)
        return 0;
    if (ps->npos[g] == ps->cappos[g]) {
        size_t cap = ps->cappos[g] ? ps->cappos[g] * 2 : 16;
        uint32_t *p = realloc(ps->pos[g], cap * sizeof *p);
        if (!p) {
            ps->oom = 1;
            return 1;
        }
        ps->pos[g] = p;
        ps->cappos[g] = cap;
    }
    ps->pos[g][ps->npos[g]++] = ord;
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

/* The best of a word's alternatives' counts tf[0..nalts), each counted
 * at its weight (an alias mention is not a second mention of the name
 * written in full beside it). */
static double best_alt(const tg_group *g, const uint32_t *tf)
{
    double best = 0;
    for (unsigned a = 0; a < g->nalts; a++)
        if (g->alt_weight[a] * tf[a] > best)
            best = g->alt_weight[a] * tf[a];
    return best;
}

/* A word's occurrences in passage p. */
static double group_tf(const pscore *ps, const tg_group *g, size_t p, size_t gi)
{
    return best_alt(g, &ps->tf[(p * ps->ngroups + gi) * TG_MAX_ALTS]);
}

/* A word's occurrences in the title: an alias in the title ("ATF burns
 * ranch") names the article's subject as the word would. */
static double title_tf(const pscore *ps, const tg_group *g, size_t gi)
{
    return best_alt(g, &ps->title_tf[gi * TG_MAX_ALTS]);
}

/* "Camp x1, Liberty x1 (as ...), 2 of 2 words": what a passage has of
 * each query word, for --explain. malloc'd, NULL on no memory. */
static char *explain_passage(const pscore *ps, const tg_plan *plan, size_t p)
{
    tg_buf b = { 0 };
    size_t have = 0;
    for (size_t g = 0; g < plan->ngroups; g++) {
        const tg_group *gr = &plan->groups[g];
        const uint32_t *tf = &ps->tf[(p * ps->ngroups + g) * TG_MAX_ALTS];
        tg_buf_printf(&b, "%s%s x%u", g ? ", " : "", gr->label ? gr->label : "?", tf[0]);
        for (unsigned a = 1; a < gr->nalts; a++)
            if (tf[a])
                tg_buf_printf(&b, " (+%u as alias, weight %.1f)", tf[a], gr->alt_weight[a]);
        double title = title_tf(ps, gr, g);
        if (title > 0)
            tg_buf_printf(&b, " (+%g in the title)", title);
        have += group_tf(ps, gr, p, g) + title > 0;
    }
    tg_buf_printf(&b, "; %zu of %zu words in the passage", have, plan->ngroups);
    return tg_buf_steal(&b);
}

/* Which plan terms each scored article has, from one walk of each
 * term's posting list: most forms of a word are in none of the ten
 * articles shown, and a position lookup that finds nothing still costs
 * two block reads (README, "Performance"). */
typedef struct presence {
    const char **terms;      /* the plan's terms, sorted, unique (borrowed) */
    size_t nterms;
    xc_docid *dids;          /* the scored articles, ascending */
    size_t ndocs;
    unsigned char *has;      /* nterms x ndocs */
} presence;

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_docid(const void *a, const void *b)
{
    xc_docid x = *(const xc_docid *)a, y = *(const xc_docid *)b;
    return x < y ? -1 : x > y;
}

static void presence_free(presence *pr)
{
    free(pr->terms);
    free(pr->dids);
    free(pr->has);
    memset(pr, 0, sizeof *pr);
}

/* Fills pr for the articles dids[0..n) (malloc'd; pr takes them and sorts
 * them). On failure pr stays empty (every term then counts as maybe
 * present). */
static void presence_build(xc_rdb *db, const tg_plan *plan, xc_docid *dids, size_t n,
                           presence *pr)
{
    memset(pr, 0, sizeof *pr);
    pr->dids = dids;
    size_t nt = 0;
    for (size_t g = 0; g < plan->ngroups; g++)
        nt += plan->groups[g].nterms;
    if (!nt || !n) {
        presence_free(pr);
        return;
    }
    pr->terms = malloc(nt * sizeof *pr->terms);
    pr->has = malloc(nt * n);
    if (!pr->terms || !pr->dids || !pr->has) {
        presence_free(pr);
        return;
    }
    nt = 0;
    for (size_t g = 0; g < plan->ngroups; g++)
        for (size_t t = 0; t < plan->groups[g].nterms; t++)
            pr->terms[nt++] = plan->groups[g].terms[t].term;
    qsort(pr->terms, nt, sizeof *pr->terms, cmp_str_ptr);
    size_t u = 0;
    for (size_t i = 0; i < nt; i++)
        if (!u || strcmp(pr->terms[u - 1], pr->terms[i]) != 0)
            pr->terms[u++] = pr->terms[i];
    pr->nterms = u;
    qsort(pr->dids, n, sizeof *pr->dids, cmp_docid);
    pr->ndocs = n;
    for (size_t i = 0; i < u; i++)
        if (xc_rdb_term_in_docs(db, pr->terms[i], pr->dids, n, pr->has + i * n) != XC_OK)
            memset(pr->has + i * n, 1, n);
}

/* Might document did have term? 1 unless pr knows it has not. */
static int presence_maybe(const presence *pr, const char *term, xc_docid did)
{
    if (!pr || !pr->nterms)
        return 1;
    const char **t = bsearch(&term, pr->terms, pr->nterms, sizeof *pr->terms, cmp_str_ptr);
    const xc_docid *d = bsearch(&did, pr->dids, pr->ndocs, sizeof *pr->dids, cmp_docid);
    if (!t || !d)
        return 1;
    return pr->has[(size_t)(t - pr->terms) * pr->ndocs + (size_t)(d - pr->dids)];
}

/* Scores every passage of the document: BM25 within the passage, scaled
 * by the share of query words it has, plus a bonus for words adjacent as
 * typed, and (prox > 0) a smaller one for neighbouring words of the query
 * within window positions of each other. Returns the best passage's index
 * and score, and how many passages match at all; *all (when asked) gets
 * every passage's score. pr (NULL allowed) spares the position lookups of
 * terms the document does not have. */
static tg_status score_passages(xc_rdb *db, xc_docid did, const tg_record *rec,
                                const tg_plan *plan, const presence *pr, double prox,
                                uint32_t window, uint32_t *best, double *best_score,
                                uint32_t *matching, double **all, char **why)
{
    if (all)
        *all = NULL;
    if (why)
        *why = NULL;
    *best = 0;
    *best_score = 0;
    *matching = 0;
    /* An article with a title and no body is scored as one passage made of
     * its title (hit.passage_index 0 of 0 passages). */
    size_t np = rec->npassages ? rec->npassages : 1, ng = plan->ngroups;
    if (ng == 0)
        return TG_OK;
    pscore ps = { rec, ng, calloc(np * ng * TG_MAX_ALTS, sizeof(uint32_t)),
                  calloc(ng, sizeof(uint32_t *)), calloc(ng, sizeof(size_t)),
                  calloc(ng, sizeof(size_t)), 0, 0, calloc(ng * TG_MAX_ALTS, sizeof(uint32_t)), 0 };
    double *score = calloc(np, sizeof *score);
    tg_status st = TG_OK;
    if (!ps.tf || !ps.pos || !ps.npos || !ps.cappos || !ps.title_tf || !score) {
        st = TG_ERR_NOMEM;
        goto out;
    }
    for (size_t g = 0; g < ng; g++) {
        ps.group = g;
        for (size_t t = 0; t < plan->groups[g].nterms; t++) {
            const char *term = plan->groups[g].terms[t].term;
            if (!presence_maybe(pr, term, did))
                continue;
            ps.alt = plan->groups[g].terms[t].alt;
            xc_rdb_positions(db, did, term, on_position, &ps);
        }
        /* Forms of one word arrive one term at a time. */
        if (ps.npos[g] > 1)
            qsort(ps.pos[g], ps.npos[g], sizeof(uint32_t), cmp_u32);
    }
    if (ps.oom) {
        st = TG_ERR_NOMEM;
        goto out;
    }
    for (size_t p = 0; p < np; p++) {
        double len = rec->npassages ? rec->passages[p].nwords : 0;
        if (len < 10)
            len = 10;
        double norm = PASSAGE_K1 * (1 - PASSAGE_B + PASSAGE_B * len / PASSAGE_AVG_WORDS);
        size_t have = 0;
        for (size_t g = 0; g < ng; g++) {
            /* The title speaks for every passage of the article. */
            double tf = group_tf(&ps, &plan->groups[g], p, g) +
                        TITLE_SHARE * title_tf(&ps, &plan->groups[g], g);
            if (tf <= 0)
                continue;
            have++;
            score[p] += plan->groups[g].idf * tf * (PASSAGE_K1 + 1) / (tf + norm);
        }
        /* A passage with all the query's words is about the query; one
         * with some of them may be about something else. */
        score[p] *= (1.0 + have) / (1.0 + ng);
        *matching += have > 0;
    }
    /* Words typed next to each other that stand next to each other; and,
     * for a long query (prox > 0), each two neighbouring words that stand
     * within `window` positions, in either order (its stopwords dropped:
     * "cooling of turbine blades" has "cooling" next to "turbine"), the
     * unordered window of Metzler and Croft's sequential dependence
     * model, from the positions already read. Each saturates per
     * passage: the second occurrence counts half, and so on. */
    uint32_t *seen = ng > 1 ? malloc(2 * np * sizeof *seen) : NULL;
    if (ng > 1 && !seen) {
        st = TG_ERR_NOMEM;
        goto out;
    }
    for (size_t g = 0; g + 1 < ng; g++) {
        double idfs = plan->groups[g].idf + plan->groups[g + 1].idf;
        double bonus = PHRASE_BONUS * idfs * (plan->groups[g].phrase_next ? 2 : 1);
        const uint32_t *next = ps.pos[g + 1];
        size_t nnext = ps.npos[g + 1], j = 0;
        uint32_t *seen_near = seen + np;
        memset(seen, 0, 2 * np * sizeof *seen);
        for (size_t i = 0; i < ps.npos[g]; i++) {
            uint32_t o = ps.pos[g][i];
            if (contains(next, nnext, o + 1)) {
                size_t p = passage_of(rec, o);
                score[p] += bonus / (1 + seen[p]++);
            }
            if (prox <= 0)
                continue;
            while (j < nnext && next[j] + window < o)   /* both sorted: one merge */
                j++;
            if (j < nnext && next[j] <= o + window) {
                size_t p = passage_of(rec, o);
                score[p] += prox * idfs / (1 + seen_near[p]++);
            }
        }
    }
    free(seen);
    for (size_t p = 0; p < np; p++)
        if (score[p] > *best_score) {
            *best_score = score[p];
            *best = (uint32_t)p;
        }
    if (why)
        *why = explain_passage(&ps, plan, *best);
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
    free(ps.title_tf);
    free(score);
    return st;
}

/* ---- snippets ---------------------------------------------------------- */

typedef struct hl_ctx {
    const tg_plan *plan;
    tg_span *spans;
    size_t n, cap;
    unsigned char *noted;   /* per plan note: matched in this passage */
    int oom;
} hl_ctx;

/* Marks a token of the shown passage that is a query term (and the
 * expansion note it stands for). */
static int on_hl_token(const tg_token *tok, void *ud)
{
    hl_ctx *h = ud;
    int note;
    if (tok->in_address) {
        /* indexed as an address word only: a match of an address typed */
        char t[sizeof TG_PFX_ADDRESS + TG_MAX_TERM];
        size_t pl = sizeof TG_PFX_ADDRESS - 1;
        if (tok->len > TG_MAX_TERM)
            return 0;
        memcpy(t, TG_PFX_ADDRESS, pl);
        memcpy(t + pl, tok->term, tok->len);
        note = tg_plan_term_note(h->plan, t, pl + tok->len);
    } else {
        note = tg_plan_term_note(h->plan, tok->term, tok->len);
    }
    if (note == -2)
        return 0;
    if (note >= 0 && h->noted)
        h->noted[note] = 1;
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
    const tg_passage *p = &rec->passages[h->passage_index];
    const char *body = tg_record_body_upto(rec, (size_t)p->start + p->len);
    if (!body) {
        snprintf(s->errmsg, sizeof s->errmsg, "stored text of article %.*s is corrupt",
                 (int)rec->id.n, rec->id.p);
        return TG_ERR_DB;
    }
    if (!(h->passage = strndup(body + p->start, p->len)))
        return TG_ERR_NOMEM;
    unsigned char *noted = plan->nnotes ? calloc(plan->nnotes, 1) : NULL;
    int oom = tg_highlight(plan, h->passage, p->len, &h->spans, &h->nspans, noted) != TG_OK;
    tg_buf m = { 0 };
    for (size_t i = 0; noted && i < plan->nnotes; i++)
        if (noted[i] && ((m.len && tg_buf_puts(&m, "; ")) || tg_buf_puts(&m, plan->notes[i])))
            oom = 1;
    h->matched = m.len ? tg_buf_steal(&m) : NULL;
    tg_buf_free(&m);
    free(noted);
    return oom ? TG_ERR_NOMEM : TG_OK;
}

tg_status tg_highlight(const tg_plan *plan, const char *text, size_t len, tg_span **spans,
                       size_t *n, unsigned char *noted)
{
    hl_ctx hl = { plan, NULL, 0, 0, noted, 0 };
    tg_status st = tg_tokenize(text, len, on_hl_token, &hl);
    if (st || hl.oom) {
        free(hl.spans);
        hl.spans = NULL;
        hl.n = 0;
    }
    *spans = hl.spans;
    *n = hl.n;
    return st ? st : hl.oom ? TG_ERR_NOMEM : TG_OK;
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
    free(h->matched);
    free(h->why);
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
    for (size_t i = 0; i < r->nexpansions; i++)
        free(r->expansions[i]);
    free(r->expansions);
    free(r->suggestion);
    free(r->showing);
    for (size_t i = 0; i < r->nrelated; i++)
        free(r->related[i].name);
    free(r->related);
    free(r->years);
    for (size_t i = 0; i < r->nshards_failed; i++) {
        free(r->shards_failed[i].shard);
        free(r->shards_failed[i].error);
    }
    free(r->shards_failed);
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
    char *why;           /* with opts.explain: how the best passage scored */
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

/* sort_date: the candidates' (date) order, then the passage score. */
static int by_pick_cand(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    if (x->cand != y->cand)
        return x->cand < y->cand ? -1 : 1;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
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
    free(c->why);
    c->why = NULL;
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

/* ---- pseudo-relevance feedback ------------------------------------------ */

typedef struct fb_terms {
    xc_query **q;
    size_t n, cap;
    uint32_t top;        /* expand weight (x1000) of the best stem */
    int english;         /* leave out stems of English stopwords */
    int oom;
} fb_terms;

static int on_fb_term(const char *term, size_t len, uint32_t w1000, void *ud)
{
    fb_terms *f = ud;
    /* Stems of body and title words only ("Z" + lower case), not the
     * prefixed fields, ids or dates. */
    if (len < 3 || term[0] != 'Z' || term[1] < 'a' || term[1] > 'z')
        return 0;
    /* Grammar words are in every top article and say nothing of the
     * topic. */
    if (f->english && tg_is_stopword_stem(term + 1))
        return 0;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 32;
        xc_query **v = realloc(f->q, cap * sizeof *v);
        if (!v) {
            f->oom = 1;
            return 1;
        }
        f->q = v;
        f->cap = cap;
    }
    char *t = strndup(term, len);
    xc_query *q = t ? xc_query_term(t, 1, 0) : NULL;
    free(t);
    /* Each stem weighs in proportion to its expand weight, the first 1. */
    if (!f->top)
        f->top = w1000 ? w1000 : 1;
    xc_query *scaled = q ? xc_query_scale(q, (double)w1000 / f->top) : NULL;
    xc_query_free(q);
    if (!scaled) {
        f->oom = 1;
        return 1;
    }
    f->q[f->n++] = scaled;
    return 0;
}

/* A feedback stem must be in this many of the top articles: a stem of one
 * article is rarely among the best, and weighing every candidate costs a
 * posting-list lookup each (two thirds of the feedback time). */
#define FEEDBACK_MIN_DOCS 2
/* Feedback re-scores the first pass's best articles: three times as many
 * as are asked for, and at least this many (100 instead cost long queries
 * 10% more instructions; batch runs ask for 1,000 and re-score 3,000). */
#define FEEDBACK_POOL 30

typedef struct ranked {
    uint32_t msidx;      /* index in the first pass's result page */
    double weight;
} ranked;

static int by_weight(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return x->msidx < y->msidx ? -1 : x->msidx > y->msidx;
}

/* ---- score regularization ------------------------------------------------ */

/* An article as the stems of its signature (tg_signature.h), each named
 * by its 64-bit hash and weighed (1 + ln wdf) * ln((N + 1) / df), sorted
 * by hash, with the vector's squared norm. Hashes, not copies of the
 * stems: the vectors are built for dozens of articles a query. */
typedef struct stem_weight {
    uint64_t h;
    double w;
} stem_weight;

typedef struct stem_vec {
    stem_weight *v;
    size_t n, cap;
    double norm2;
    xc_rdb *db;
    double ndocs;
    tg_buf *term;        /* scratch: "Z" + stem */
    int oom;
} stem_vec;

static int on_vec_stem(const char *stem, size_t len, uint32_t wdf, void *ud)
{
    stem_vec *v = ud;
    tg_buf_clear(v->term);
    if (tg_buf_putc(v->term, 'Z') || tg_buf_append(v->term, stem, len) ||
        TG_ARRAY_RESERVE(v->v, v->cap, v->n + 1)) {
        v->oom = 1;
        return 1;
    }
    uint32_t df = xc_rdb_termfreq(v->db, v->term->data);
    if (!df)
        return 0;
    double x = (1 + log(wdf ? wdf : 1)) * log(v->ndocs / df);
    v->v[v->n++] = (stem_weight){ tg_hash64(stem, len), x };
    v->norm2 += x * x;
    return 0;
}

/* Article did's vector: from its stored signature, or, in a database
 * written before signatures, from its term list through the same
 * selection (so the two rank alike). An article gone since the match
 * has an empty vector. Returns TG_OK or TG_ERR_NOMEM. */
static tg_status article_vector(xc_rdb *db, xc_docid did, stem_vec *v, tg_signature *sig,
                                tg_buf *built)
{
    char *val = NULL;
    size_t len = 0;
    if (xc_rdb_get_value(db, did, TG_SLOT_SIGNATURE, &val, &len) == XC_ERR_NOMEM)
        return TG_ERR_NOMEM;
    int r = val ? tg_signature_decode(val, len, on_vec_stem, v) : -1;
    free(val);
    if (r >= 0 || v->oom)
        return v->oom ? TG_ERR_NOMEM : TG_OK;
    v->n = 0;
    v->norm2 = 0;
    tg_signature_reset(sig);
    tg_buf_clear(built);
    tg_signature_walk t = { sig, 0 };
    if (xc_rdb_termlist(db, did, tg_signature_walk_term, &t) && !t.oom)
        return TG_OK;
    if (t.oom || tg_signature_encode(sig, built))
        return TG_ERR_NOMEM;
    tg_signature_decode(built->data, built->len, on_vec_stem, v);
    return v->oom ? TG_ERR_NOMEM : TG_OK;
}

static int by_hash(const void *a, const void *b)
{
    uint64_t x = ((const stem_weight *)a)->h, y = ((const stem_weight *)b)->h;
    return x < y ? -1 : x > y;
}

static double stem_cosine(const stem_vec *a, const stem_vec *b)
{
    double dot = 0;
    for (size_t i = 0, j = 0; i < a->n && j < b->n;) {
        if (a->v[i].h == b->v[j].h)
            dot += a->v[i++].w * b->v[j++].w;
        else if (a->v[i].h < b->v[j].h)
            i++;
        else
            j++;
    }
    return a->norm2 > 0 && b->norm2 > 0 ? dot / sqrt(a->norm2 * b->norm2) : 0;
}

/* Score regularization (Diaz, 2005): articles alike should score alike.
 * A short abstract about the topic may miss the query's words that its
 * neighbours have, and one that matches them by chance has no
 * neighbour that does; each of the top M articles' scores (relative to
 * the best) becomes (1 - a) of its own plus a times the mean of its K
 * most similar articles' among the M, weighed by their similarity. The
 * M stay the top M, re-ordered. Only long queries come here (feedback's
 * pool). Articles are compared by their signatures (tg_signature.h). */
static tg_status regularize(tg_searcher *s, const xc_mset *ms, const tg_search_opts *opts,
                            ranked *rk, size_t pool)
{
    double a = opts->reg_weight >= 0 ? opts->reg_weight : DEFAULT_REG_WEIGHT;
    size_t m = opts->reg_docs ? opts->reg_docs : DEFAULT_REG_DOCS;
    size_t k = opts->reg_neighbours ? opts->reg_neighbours : DEFAULT_REG_NEIGHBOURS;
    /* A pool smaller than M (a top 10 re-ranks 30): the neighbours
     * keep their share of the articles compared */
    if (m > pool) {
        k = (k * pool + m / 2) / m;
        m = pool;
    }
    if (k < 1)
        k = 1;
    if (k > m - 1)
        k = m - 1;
    if (a <= 0 || m < 3 || rk[0].weight <= 0)
        return TG_OK;
    stem_vec *v = calloc(m, sizeof *v);
    double *sim = calloc(m * m, sizeof *sim), *score = calloc(m, sizeof *score);
    unsigned char *taken = calloc(m, 1);
    tg_status st = v && sim && score && taken ? TG_OK : TG_ERR_NOMEM;
    double ndocs = (double)xc_rdb_doccount(s->db) + 1;
    tg_signature sig = { 0 };
    tg_buf term = { 0 }, built = { 0 };
    for (size_t i = 0; i < m && !st; i++) {
        v[i].db = s->db;
        v[i].ndocs = ndocs;
        v[i].term = &term;
        st = article_vector(s->db, xc_mset_docid(ms, rk[i].msidx), &v[i], &sig, &built);
        if (!st && v[i].n > 1)
            qsort(v[i].v, v[i].n, sizeof *v[i].v, by_hash);
    }
    tg_signature_free(&sig);
    tg_buf_free(&term);
    tg_buf_free(&built);
    for (size_t i = 0; i < m && !st; i++)
        for (size_t j = i + 1; j < m; j++)
            sim[i * m + j] = sim[j * m + i] = stem_cosine(&v[i], &v[j]);
    double best = rk[0].weight;
    for (size_t i = 0; i < m && !st; i++) {
        memset(taken, 0, m);
        double num = 0, den = 0;
        for (size_t n = 0; n < k; n++) {
            size_t b = m;
            for (size_t j = 0; j < m; j++)
                if (j != i && !taken[j] && (b == m || sim[i * m + j] > sim[i * m + b]))
                    b = j;
            if (b == m || sim[i * m + b] <= 0)
                break;
            taken[b] = 1;
            num += sim[i * m + b] * rk[b].weight / best;
            den += sim[i * m + b];
        }
        double own = rk[i].weight / best;
        score[i] = den > 0 ? (1 - a) * own + a * num / den : own;
    }
    if (!st) {
        for (size_t i = 0; i < m; i++)
            rk[i].weight = score[i] * best;
        qsort(rk, m, sizeof *rk, by_weight);
    }
    for (size_t i = 0; v && i < m; i++)
        free(v[i].v);
    free(v);
    free(sim);
    free(score);
    free(taken);
    return st;
}

/* Long queries are descriptions: the best articles of a first pass say
 * which other words the user's topic uses. Xapian's expand set of the top
 * `prf_docs` articles gives `prf_terms` stems; their BM25 weight, scaled
 * by `prf_weight`, is added to each article of the first pass's pool (the
 * articles the query matched best: an article the query does not match
 * gains nothing, as with Xapian's AND_MAYBE, and scoring only the pool
 * spares a second walk of the query words' posting lists). *order gets
 * the pool re-ranked (malloc'd, *n entries); NULL when feedback found
 * nothing to add. */
static tg_status feedback(tg_searcher *s, xc_enquire *enq, const xc_mset *ms,
                          const tg_search_opts *opts, tg_results *r, ranked **order, size_t *n)
{
    *order = NULL;
    *n = 0;
    unsigned docs = opts->prf_docs ? opts->prf_docs : DEFAULT_PRF_DOCS;
    unsigned nterms = opts->prf_terms ? opts->prf_terms : DEFAULT_PRF_TERMS;
    double weight = opts->prf_weight >= 0 ? opts->prf_weight : DEFAULT_PRF_WEIGHT;
    double sharp = opts->prf_sharpness >= 0 ? opts->prf_sharpness : DEFAULT_PRF_SHARPNESS;
    uint32_t pool = xc_mset_size(ms);
    /* Layout "passages" names a passage by a term its slot cannot give:
     * over several databases it is searched without feedback. */
    int one_db = !docids_foreign(s);
    if (weight == 0 || pool == 0 || (!one_db && s->passage_docs))
        return TG_OK;
    fb_terms f = { 0 };
    f.english = strcmp(s->lang, "english") == 0;
    /* In a small archive the top ten are not all about the topic: a
     * topic has fewer articles there (three or four in a few hundred).
     * The first pass's scores say how far down the topic goes: each
     * article counts (score / best)^sharp in the stems' weights, so an
     * article scoring 0.9 of the best counts 0.19, one at 0.8 counts
     * 0.03 (at 16): where one or two articles stand out, feedback is
     * theirs; where ten score alike, all ten count. The depth is the
     * top 4%, 3 to 10 (ten in a 400-article archive; three in ADI's 82,
     * where ten drifted). Without the weighting (sharp 0) it is the top
     * 1%: 4% at equal weights took ten articles of a 400-article
     * archive and drifted (README, "Ranking"). */
    if (!opts->prf_docs) {
        uint32_t nd = xc_rdb_doccount(s->db) * (sharp > 0 ? 4 : 1) / 100;
        docs = nd < 3 ? 3 : nd < docs ? nd : docs;
    }
    if (docs > pool)
        docs = pool;
    /* Feedback assumes its articles are about the topic. In a small
     * archive, or for a topic only three articles treat, most of the top
     * ten are not, and their words drift the query away (feedback then
     * lost to plain BM25 on ~400-article archives; README, "Ranking").
     * The evidence is in the first pass's scores: articles about the
     * topic stand out above the rest of the top FEEDBACK_POOL, the
     * others form a flat run. Only the articles scoring `clarity`
     * standard deviations above that run's mean are fed back; fewer than
     * FEEDBACK_MIN_DOCS of them means no clear cluster: no feedback. */
    double clarity = opts->prf_clarity >= 0 ? opts->prf_clarity : DEFAULT_PRF_CLARITY;
    if (clarity > 0) {
        uint32_t m = pool < FEEDBACK_POOL ? pool : FEEDBACK_POOL;
        double sum = 0, sq = 0;
        for (uint32_t i = 0; i < m; i++) {
            double w = xc_mset_weight(ms, i);
            sum += w;
            sq += w * w;
        }
        double mean = sum / m, var = sq / m - mean * mean;
        double cut = mean + clarity * sqrt(var > 0 ? var : 0);
        unsigned k = 0;
        while (k < docs && xc_mset_weight(ms, k) > cut)
            k++;
        if (k < FEEDBACK_MIN_DOCS)
            return TG_OK;
        docs = k;
    }
    if (xc_enquire_expand_weighted(enq, ms, docs, nterms * 2, "Z", FEEDBACK_MIN_DOCS, sharp,
                                   on_fb_term, &f)) {
        snprintf(s->errmsg, sizeof s->errmsg, "feedback failed: %s", xc_enquire_errmsg(enq));
        for (size_t i = 0; i < f.n; i++)
            xc_query_free(f.q[i]);
        free(f.q);
        return TG_ERR_DB;
    }
    size_t nt = f.n < nterms ? f.n : nterms;
    tg_status st = f.oom ? TG_ERR_NOMEM : TG_OK;
    xc_query *ex = !st && nt ? xc_query_combine(XC_OP_OR, f.q, nt, 0) : NULL;
    for (size_t i = 0; i < f.n; i++)
        xc_query_free(f.q[i]);
    free(f.q);
    if (st || !ex)
        return st;
    xc_query *scaled = xc_query_scale(ex, weight);
    xc_query_free(ex);
    xc_docid *ids = malloc(pool * sizeof *ids);
    ranked *rk = malloc(pool * sizeof *rk);
    xc_query *in_pool = NULL, *q = NULL;
    if (ids && rk) {
        for (uint32_t i = 0; i < pool; i++) {
            ids[i] = xc_mset_docid(ms, i);
            rk[i] = (ranked){ i, xc_mset_weight(ms, i) };
        }
        /* Docids name documents of one database; over several (kept
         * shards, remote ones) each article is named by its id term. */
        in_pool = one_db ? xc_query_docids(ids, pool)
                         : xc_query_mset_terms(ms, pool, TG_PFX_ID, TG_SLOT_ID);
    }
    if (scaled && in_pool) {
        xc_query *v[2] = { scaled, in_pool };
        q = xc_query_combine(XC_OP_FILTER, v, 2, 0);
    }
    xc_query_free(scaled);
    xc_query_free(in_pool);
    xc_mset *extra = NULL;
    if (!q) {
        st = TG_ERR_NOMEM;
    } else {
        /* The described query: what was searched, stems included. */
        char *d = xc_query_describe(q);
        if (d && r->xapian_query) {
            tg_buf b = { 0 };
            tg_buf_printf(&b, "%s AND_MAYBE %s", r->xapian_query, d);
            free(r->xapian_query);
            r->xapian_query = tg_buf_steal(&b);
        }
        free(d);
        xc_enquire_set_query(enq, q);
        if (xc_enquire_run(enq, 0, pool, 0, &extra)) {
            snprintf(s->errmsg, sizeof s->errmsg, "search failed: %s", xc_enquire_errmsg(enq));
            st = TG_ERR_DB;
        }
    }
    xc_query_free(q);
    if (!st) {
        /* Both lists are short (the pool): match them by docid. */
        uint32_t ne = xc_mset_size(extra);
        for (uint32_t k = 0; k < ne; k++) {
            xc_docid did = xc_mset_docid(extra, k);
            for (uint32_t i = 0; i < pool; i++)
                if (ids[i] == did) {
                    rk[i].weight += xc_mset_weight(extra, k);
                    break;
                }
        }
        qsort(rk, pool, sizeof *rk, by_weight);
        st = regularize(s, ms, opts, rk, pool);
        *order = rk;
        *n = pool;
        rk = NULL;
    }
    xc_mset_free(extra);
    free(ids);
    free(rk);
    return st;
}

/* The query text with each fix's raw word replaced by its fix, in order,
 * into *out (malloc'd), or NULL when nothing changed. Returns -1 on no
 * memory. */
static int replaced(const char *query, const tg_fix *fixes, size_t n, char **out)
{
    *out = NULL;
    if (!n)
        return 0;
    tg_buf fixed = { 0 };
    const char *p = query;
    for (size_t i = 0; i < n; i++) {
        const char *at = strstr(p, fixes[i].raw);
        if (!at)
            continue;
        if (tg_buf_append(&fixed, p, (size_t)(at - p)) || tg_buf_puts(&fixed, fixes[i].fix)) {
            tg_buf_free(&fixed);
            return -1;
        }
        p = at + strlen(fixes[i].raw);
    }
    if (tg_buf_puts(&fixed, p)) {
        tg_buf_free(&fixed);
        return -1;
    }
    *out = strcmp(fixed.data, query) ? tg_buf_steal(&fixed) : NULL;
    tg_buf_free(&fixed);
    return 0;
}

/* Copies the plan's expansions into the results and builds the "did you
 * mean" query (each unknown word replaced by the spelling data's fix) and
 * the "showing results for" one (each word the archive lacks replaced by
 * the spelling searched instead). */
static int report_plan(const char *query, const tg_plan *plan, tg_results *r)
{
    if (plan->nnotes) {
        r->expansions = calloc(plan->nnotes, sizeof *r->expansions);
        if (!r->expansions)
            return -1;
        for (size_t i = 0; i < plan->nnotes; i++, r->nexpansions++)
            if (!(r->expansions[i] = strdup(plan->notes[i])))
                return -1;
    }
    if (replaced(query, plan->fixes, plan->nfixes, &r->suggestion) ||
        replaced(query, plan->used, plan->nused, &r->showing))
        return -1;
    return 0;
}

/* ---- related names ---------------------------------------------------------- */

typedef struct rel_ctx {
    const tg_plan *plan;
    const char *text;
    tg_strmap *count;      /* name key -> passages naming it */
    tg_strmap *seen;       /* names of the current passage */
    tg_strmap *shown;      /* name key -> index into display (+1) */
    char **display;
    size_t ndisplay;
    int oom;
} rel_ctx;

/* A name made only of query words (or their forms), or one of the query's
 * aliases, is the query itself. */
static int is_query_name(const tg_plan *plan, const char *key)
{
    for (size_t i = 0; i < plan->naliases; i++)
        if (strcmp(plan->aliases[i], key) == 0)
            return 1;
    const char *w = key;
    while (*w) {
        const char *e = strchr(w, ' ');
        size_t n = e ? (size_t)(e - w) : strlen(w);
        if (tg_plan_term_note(plan, w, n) == -2)
            return 0;
        w += n;
        while (*w == ' ')
            w++;
    }
    return 1;
}

static int on_related_name(const tg_name *nm, void *ud)
{
    rel_ctx *rc = ud;
    size_t klen = strlen(nm->key);
    if ((nm->sentence_start && nm->nwords == 1 && !nm->acronym) || is_query_name(rc->plan, nm->key))
        return 0;
    int is_new;
    if (tg_strmap_add(rc->seen, nm->key, klen, 1, &is_new)) {
        rc->oom = 1;
        return 1;
    }
    if (!is_new)
        return 0;           /* count passages, not mentions */
    if (tg_strmap_add(rc->count, nm->key, klen, 1, NULL) ||
        tg_strmap_add(rc->shown, nm->key, klen, 0, &is_new)) {
        rc->oom = 1;
        return 1;
    }
    if (is_new) {
        char **v = realloc(rc->display, (rc->ndisplay + 1) * sizeof *v);
        if (!v || !(v[rc->ndisplay] = strndup(rc->text + nm->start, nm->end - nm->start))) {
            if (v)
                rc->display = v;
            rc->oom = 1;
            return 1;
        }
        rc->display = v;
        rc->ndisplay++;
        tg_strmap_add(rc->shown, nm->key, klen, rc->ndisplay, NULL);
    }
    return 0;
}

typedef struct rel_pick {
    const char *key;
    uint64_t count;
    size_t display;
} rel_pick;

static int collect_pick(const char *key, size_t len, uint64_t count, void *ud)
{
    (void)len;
    rel_pick **v = ud;
    (*v)->key = key;
    (*v)->count = count;
    (*v)++;
    return 0;
}

static int by_count(const void *a, const void *b)
{
    const rel_pick *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return x->display < y->display ? -1 : x->display > y->display;
}

/* Names that stand in the hits' passages most often, best first. */
static tg_status find_related(const tg_plan *plan, tg_results *r, unsigned want)
{
    rel_ctx rc = { plan, NULL, tg_strmap_new(), tg_strmap_new(), tg_strmap_new(), NULL, 0, 0 };
    tg_status st = TG_OK;
    if (!rc.count || !rc.seen || !rc.shown)
        st = TG_ERR_NOMEM;
    for (size_t i = 0; !st && i < r->nhits; i++) {
        if (!r->hits[i].passage)
            continue;
        rc.text = r->hits[i].passage;
        tg_strmap_clear(rc.seen);
        if (tg_scan_entities(rc.text, strlen(rc.text), on_related_name, NULL, &rc) || rc.oom)
            st = TG_ERR_NOMEM;
    }
    size_t n = rc.count ? tg_strmap_size(rc.count) : 0;
    rel_pick *picks = st || !n ? NULL : calloc(n, sizeof *picks);
    if (!st && n && !picks)
        st = TG_ERR_NOMEM;
    if (picks) {
        rel_pick *cursor = picks;
        tg_strmap_each(rc.count, collect_pick, &cursor);
        for (size_t i = 0; i < n; i++)
            picks[i].display = (size_t)tg_strmap_get(rc.shown, picks[i].key, strlen(picks[i].key));
        qsort(picks, n, sizeof *picks, by_count);
        size_t k = n < want ? n : want;
        r->related = calloc(k ? k : 1, sizeof *r->related);
        if (!r->related)
            st = TG_ERR_NOMEM;
        for (size_t i = 0; !st && i < k; i++, r->nrelated++) {
            size_t d = picks[i].display;
            r->related[i].name = strdup(d ? rc.display[d - 1] : picks[i].key);
            r->related[i].count = (unsigned)picks[i].count;
            if (!r->related[i].name)
                st = TG_ERR_NOMEM;
        }
    }
    free(picks);
    for (size_t i = 0; i < rc.ndisplay; i++)
        free(rc.display[i]);
    free(rc.display);
    tg_strmap_free(rc.count);
    tg_strmap_free(rc.seen);
    tg_strmap_free(rc.shown);
    return st;
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
    if (n > 1)      /* no match: picks is NULL, which qsort must not get */
        qsort(picks, n, sizeof *picks, opts->sort_date ? by_pick_cand : by_pick_score);
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

/* The plan of tree within the bounds (README, "Limits"): more words
 * typed than TG_SEARCH_MAX_QUERY_TERMS, or deeper nesting than
 * TG_SEARCH_MAX_QUERY_DEPTH, is an error. Past that, results beat an
 * error: expansions (names, aliases, variants) that take the Xapian
 * query past the budget are dropped, with a warning, and the words
 * typed searched as --no-entities would; passage scoring keeps the first
 * forms of each word within the same budget. */
/* A plan that failed with st: its message on s (the database's own when a
 * call on it failed since failures0). */
static tg_status plan_failed(tg_searcher *s, tg_status st, uint64_t failures0)
{
    tg_status dbst = tg_searcher_db_check(s, failures0);
    if (dbst)
        return dbst;
    snprintf(s->errmsg, sizeof s->errmsg, "cannot plan the query: %s", tg_status_to_string(st));
    return st;
}

static tg_status plan_within_limits(tg_searcher *s, const tg_qtree *tree,
                                    const tg_search_opts *opts, tg_results *r, tg_plan *plan)
{
    /* r NULL: no results to carry a warning (tg_searcher_plan). */
    memset(plan, 0, sizeof *plan);
    size_t words = tg_qtree_words(tree);
    unsigned depth = tg_qtree_depth(tree, TG_SEARCH_MAX_QUERY_DEPTH);
    if (depth > TG_SEARCH_MAX_QUERY_DEPTH) {
        snprintf(s->errmsg, sizeof s->errmsg, "query is nested more than %u deep",
                 (unsigned)TG_SEARCH_MAX_QUERY_DEPTH);
        return TG_ERR_LIMIT;
    }
    if (words > TG_SEARCH_MAX_QUERY_TERMS) {
        snprintf(s->errmsg, sizeof s->errmsg, "query has %zu words, more than %u; shorten it",
                 words, (unsigned)TG_SEARCH_MAX_QUERY_TERMS);
        return TG_ERR_LIMIT;
    }
    int forms = s->forms_table ? TG_PLAN_FORMS : 0;
    forms |= s->title_forms ? TG_PLAN_TITLE_FORMS : 0;
    int entities = opts->no_entities ? 0 : TG_PLAN_ENTITIES;
    forms |= opts->literal ? TG_PLAN_LITERAL : 0;
    uint64_t failures0 = xc_rdb_failures(s->db);
    if (!s->memo)
        s->memo = tg_spell_memo_new();   /* none (no memory): worked out each time */
    tg_qweights qw = { opts->qw_idf >= 0 ? opts->qw_idf : DEFAULT_QW_IDF,
                       opts->qw_burst >= 0 ? opts->qw_burst : DEFAULT_QW_BURST,
                       (unsigned)(opts->family >= 0 ? opts->family : DEFAULT_FAMILY),
                       opts->family_own >= 0 ? opts->family_own : DEFAULT_FAMILY_OWN };
    tg_status st = tg_plan_build(s->db, s->stemmer, s->memo, tree, entities | forms, &qw, plan);
    if (st)
        return plan_failed(s, st, failures0);
    size_t n = xc_query_length(plan->query);
    if (n > TG_SEARCH_MAX_QUERY_TERMS && entities) {
        tg_plan_free(plan);
        if ((st = tg_plan_build(s->db, s->stemmer, s->memo, tree, forms, &qw, plan)))
            return plan_failed(s, st, failures0);
        char w[192];
        snprintf(w, sizeof w, "query has %zu terms after expansion, more than %u: searched "
                 "without names, aliases and spelling variants", n,
                 (unsigned)TG_SEARCH_MAX_QUERY_TERMS);
        if (r && tg_results_warn(r, w)) {
            tg_plan_free(plan);
            return TG_ERR_NOMEM;
        }
        n = xc_query_length(plan->query);
    }
    if (n > TG_SEARCH_MAX_QUERY_TERMS) {
        /* Not reached with words within the bound (each word is one term
         * without expansions); kept as the guarantee Xapian relies on. */
        tg_plan_free(plan);
        snprintf(s->errmsg, sizeof s->errmsg,
                 "query has %zu terms after expansion, more than %u; use fewer words", n,
                 (unsigned)TG_SEARCH_MAX_QUERY_TERMS);
        return TG_ERR_LIMIT;
    }
    tg_plan_trim_scoring(plan, TG_SEARCH_MAX_QUERY_TERMS);
    return TG_OK;
}

tg_status tg_searcher_plan(tg_searcher *s, const char *query, int no_entities, tg_plan *plan)
{
    tg_qtree *tree = NULL;
    memset(plan, 0, sizeof *plan);
    if (tg_query_parse(query, &tree, NULL, 0))
        return TG_ERR_NOMEM;
    tg_search_opts opts = TG_SEARCH_OPTS_DEFAULT;
    opts.no_entities = no_entities;
    tg_status st = plan_within_limits(s, tree, &opts, NULL, plan);
    tg_qtree_free(tree);
    return st;
}

/* What the ranked run and the years' counting run share: the query, the
 * time left, one hit per article (layout "passages") and the filters. */
static void match_setup(tg_searcher *s, xc_enquire *enq, const tg_plan *plan, tg_filter *flt,
                        const tg_deadline *dl, const tg_search_opts *opts)
{
    xc_enquire_set_query(enq, plan->query);
    xc_enquire_set_time_limit(enq, tg_deadline_left_ms(dl) / 1e3 + 1e-3);
    if (s->passage_docs && !opts->passages)
        xc_enquire_set_collapse(enq, TG_SLOT_ID, 1);
    else if (!s->passage_docs && docids_foreign(s))
        /* Ids are unique: nothing is collapsed, but each hit brings its
         * id, which feedback names its pool by over several databases
         * (xc_query_mset_terms), with no document fetched. */
        xc_enquire_set_collapse(enq, TG_SLOT_ID, 1);
    tg_filter_enquire(flt, enq);
}

/* One search's state, carried across the steps of tg_search; run_finish
 * releases whatever the steps got to (all of it starts zeroed). */
typedef struct search_run {
    tg_searcher *s;
    uint64_t failures0;     /* xc_rdb_failures of the database at the start */
    const char *query;
    tg_search_opts opts;
    tg_deadline dl;
    int late;               /* passage evidence stopped at the deadline */
    double pw;              /* weight of the passage score (< 0: by query length) */
    unsigned want;          /* offset + limit */
    unsigned rerank;        /* ranks given passage evidence */
    unsigned block;         /* re-ranked in blocks of this many ranks (0: as one pool) */
    unsigned score_lo;      /* first rank scored (with block) */
    unsigned window;        /* candidates kept from the first pass */
    int prf;                /* feedback re-ranks the first pass */
    tg_filter flt;
    tg_results *r;
    tg_plan plan;
    xc_enquire *enq;        /* the ranked run */
    xc_mset *ms;
    xc_enquire *count_enq;  /* the years' counting run */
    xc_mset *count_ms;
    tg_year_count_run yc;
    ranked *order;          /* the pool re-ranked by feedback */
    size_t norder;
    presence pr;            /* which terms the scored articles have */
    cand *cands;
    size_t nc;
    size_t lo;              /* first candidate scored */
} search_run;

/* The sizes of the run from the options: how many ranks are asked for,
 * fetched and given passage evidence. */
static void run_limits(search_run *u)
{
    tg_search_opts *opts = &u->opts;
    if (!opts->limit)
        opts->limit = 10;
    u->pw = opts->passage_weight;
    u->want = opts->offset + opts->limit;
    /* Passage evidence for the top `rerank` articles (a reranked article
     * only gains, so those below keep their order); passages mode ranks
     * the passages of that many articles. */
    u->rerank = opts->rerank ? opts->rerank
                             : opts->passages ? DEFAULT_RERANK_PASSAGES : DEFAULT_RERANK;
    if (opts->snippets && u->rerank < u->want)
        u->rerank = u->want;    /* every hit shown gets its best passage */
    /* Pages must not overlap: an interactive search re-ranks fixed blocks
     * of DEFAULT_RERANK first-pass ranks, each within itself, so where an
     * article lands never depends on the page asked for (re-ranking the
     * top offset+limit as one pool moved articles across page ends). The
     * first page is the same either way. */
    u->block = opts->snippets && !opts->rerank && !opts->passages && !opts->sort_date
                   ? DEFAULT_RERANK : 0;
    u->score_lo = 0;
    if (u->block) {
        u->score_lo = opts->offset / u->block * u->block;
        u->rerank = (u->want + u->block - 1) / u->block * u->block;
    }
    u->window = u->want > u->rerank ? u->want : u->rerank;
}

/* The filters, the results with the parsed query and the plan within the
 * limits; plan.query stays NULL when there is nothing to run. */
static tg_status run_plan(search_run *u)
{
    tg_searcher *s = u->s;
    s->errmsg[0] = '\0';
    tg_status st = tg_filter_init(&u->opts, &u->flt, s->errmsg, sizeof s->errmsg);
    if (st)
        return st;
    if (!(u->r = calloc(1, sizeof *u->r)) || !(u->r->query = strdup(u->query)))
        return TG_ERR_NOMEM;
    u->r->offset = u->opts.offset;
    char warn[256];
    tg_qtree *tree = NULL;
    if (tg_query_parse(u->query, &tree, warn, sizeof warn))
        return TG_ERR_NOMEM;
    if ((warn[0] && !(u->r->warning = strdup(warn))) || !(u->r->parsed = tg_qtree_describe(tree)))
        st = TG_ERR_NOMEM;
    else
        st = plan_within_limits(s, tree, &u->opts, u->r, &u->plan);
    tg_qtree_free(tree);
    if (st)
        return st;
    if (report_plan(u->query, &u->plan, u->r))
        return TG_ERR_NOMEM;
    /* Filters alone (no query words at all) list what passes them. */
    if (u->plan.query || (u->flt.active && u->query[strspn(u->query, " \t\r\n")] == '\0'))
        if (u->flt.active && !(u->plan.query = tg_filter_query(&u->flt, u->plan.query)))
            return TG_ERR_NOMEM;
    return TG_OK;
}

/* Years are counted by a run of their own without weights: the ranked
 * run stays free to skip what cannot reach the top (counting inside it
 * made Xapian weigh every match; README, "Performance"). */
static tg_status run_year_counts(search_run *u)
{
    tg_searcher *s = u->s;
    if (!(u->count_enq = xc_enquire_new(s->db)))
        return TG_ERR_NOMEM;
    match_setup(s, u->count_enq, &u->plan, &u->flt, &u->dl, &u->opts);
    xc_enquire_set_boolean(u->count_enq);
    tg_status st = tg_year_count_start(s, u->count_enq, &u->yc);
    if (st)
        return st;
    if (xc_enquire_run(u->count_enq, 0, 0, TG_YEAR_COUNT_EXACT, &u->count_ms)) {
        snprintf(s->errmsg, sizeof s->errmsg, "search failed: %s",
                 xc_enquire_errmsg(u->count_enq));
        return TG_ERR_DB;
    }
    return tg_year_count_finish(&u->yc, u->count_ms, u->r);
}

/* The ranked run by article (BM25), deep enough for feedback's pool,
 * then the years' counts when asked for. */
static tg_status run_first_pass(search_run *u)
{
    tg_searcher *s = u->s;
    const tg_search_opts *opts = &u->opts;
    u->r->xapian_query = xc_query_describe(u->plan.query);
    unsigned prf_min = opts->prf_min_words ? opts->prf_min_words : DEFAULT_PRF_MIN_WORDS;
    if (u->pw < 0)
        u->pw = DEFAULT_PASSAGE_WEIGHT;
    if (!(u->enq = xc_enquire_new(s->db)))
        return TG_ERR_NOMEM;
    match_setup(s, u->enq, &u->plan, &u->flt, &u->dl, opts);
    xc_enquire_set_bm25(u->enq, opts->k1 >= 0 ? opts->k1 : DEFAULT_K1, 0, 1,
                        opts->b >= 0 ? opts->b : DEFAULT_B, 0.5);
    if (opts->sort_date)
        xc_enquire_set_sort_by_value(u->enq, TG_SLOT_DATE, 1);
    /* Feedback re-ranks a pool of the first pass's best (see feedback);
     * in date order there is no "best" to learn from. */
    u->prf = u->plan.ngroups >= prf_min && !opts->sort_date;
    unsigned first_pass = u->window;
    if (u->prf)
        first_pass = u->window * 3 > FEEDBACK_POOL ? u->window * 3 : FEEDBACK_POOL;
    if (xc_enquire_run(u->enq, 0, first_pass, u->want, &u->ms)) {
        snprintf(s->errmsg, sizeof s->errmsg, "search failed: %s", xc_enquire_errmsg(u->enq));
        return TG_ERR_DB;
    }
    /* Remote shards cannot run the counting spy (Xapian would need it
     * registered with xapian-tcpsrv): no years there. */
    return opts->year_counts && !s->remote ? run_year_counts(u) : TG_OK;
}

/* Feedback's re-ranking of the pool, then the totals. Past the deadline
 * (Xapian then stops counting matches exactly), feedback, which would
 * only refine the order, and passage scoring are left out. */
static tg_status run_feedback(search_run *u)
{
    if (tg_deadline_passed(&u->dl)) {
        u->late = 1;
    } else if (u->prf) {
        tg_status st = feedback(u->s, u->enq, u->ms, &u->opts, u->r, &u->order, &u->norder);
        if (st)
            return st;
    }
    /* The counting run walked more matches: its total is the better one. */
    const xc_mset *tms = u->count_ms ? u->count_ms : u->ms;
    u->r->total = xc_mset_matches_estimated(tms);
    u->r->total_exact = xc_mset_matches_lower(tms) == xc_mset_matches_upper(tms);
    return TG_OK;
}

/* Which query terms the articles to be scored have, read once for all. */
static void run_presence(search_run *u, size_t nscored)
{
    if (!u->plan.ngroups || nscored - u->lo <= 1)
        return;
    xc_docid *dids = malloc((nscored - u->lo) * sizeof *dids);
    for (size_t i = u->lo; dids && i < nscored; i++)
        dids[i - u->lo] = xc_mset_docid(u->ms, u->order ? u->order[i].msidx : (uint32_t)i);
    if (dids)
        presence_build(u->s->db, &u->plan, dids, nscored - u->lo, &u->pr);
}

/* The candidates in first-pass (or feedback) order, those within the
 * re-ranked ranks with their passage evidence until the deadline. */
static tg_status run_candidates(search_run *u)
{
    const tg_search_opts *opts = &u->opts;
    u->nc = u->order ? u->norder : xc_mset_size(u->ms);
    if (u->nc > u->window)
        u->nc = u->window;
    if (!(u->cands = calloc(u->nc ? u->nc : 1, sizeof *u->cands)))
        return TG_ERR_NOMEM;
    size_t nscored = u->nc < u->rerank ? u->nc : u->rerank;
    double prox = opts->proximity >= 0 ? opts->proximity : DEFAULT_PROXIMITY;
    uint32_t window = opts->proximity_window ? opts->proximity_window : DEFAULT_PROXIMITY_WINDOW;
    u->lo = u->score_lo < nscored ? u->score_lo : nscored;
    run_presence(u, nscored);
    tg_status st = TG_OK;
    for (uint32_t i = 0; i < u->nc && !st; i++) {
        cand *c = &u->cands[i];
        c->msidx = u->order ? u->order[i].msidx : i;
        c->did = xc_mset_docid(u->ms, c->msidx);
        c->article = c->final = u->order ? u->order[i].weight : xc_mset_weight(u->ms, i);
        if ((!u->plan.ngroups && !opts->snippets) || i >= u->rerank || i < u->lo)
            continue;
        /* Past the deadline the rest keep their article score (and show
         * their first passage). */
        if (u->late || (i > 0 && tg_deadline_passed(&u->dl))) {
            u->late = 1;
            continue;
        }
        if ((st = load_record(u->s, u->ms, c->msidx, c)))
            break;
        st = score_passages(u->s->db, c->did, &c->rec, &u->plan, &u->pr, u->prf ? prox : 0,
                            window, &c->best, &c->passage, &c->matching,
                            opts->passages ? &c->pscores : NULL, opts->explain ? &c->why : NULL);
        c->final = c->article + u->pw * c->passage;
        if (!opts->snippets && !opts->passages)
            cand_release(c);
    }
    return st;
}

/* Passages mode: the best passages of the candidates. */
static tg_status run_passages(search_run *u)
{
    tg_status st = pick_passages(u->s, &u->plan, u->cands, u->nc, &u->opts, u->r);
    /* passages of the candidates only: all of them when they are all */
    u->r->total_exact = u->r->total_exact && u->nc >= xc_mset_matches_upper(u->ms);
    if (!st && u->opts.related)
        st = find_related(&u->plan, u->r, u->opts.related);
    return st;
}

/* The page asked for, re-ranked by final score, copied into the results
 * (with the related names when asked for). */
static tg_status run_hits(search_run *u)
{
    const tg_search_opts *opts = &u->opts;
    cand *cands = u->cands;
    size_t nc = u->nc;
    if (u->block) {
        for (size_t b = u->lo; b < nc; b += u->block)
            qsort(cands + b, nc - b < u->block ? nc - b : u->block, sizeof *cands, by_final);
    } else if (!opts->sort_date && nc) {   /* in date order, Xapian's ties are by relevance */
        qsort(cands, nc, sizeof *cands, by_final);
    }
    size_t first = opts->offset < nc ? opts->offset : nc;
    size_t last = u->want < nc ? u->want : nc;
    tg_results *r = u->r;
    if (!(r->hits = calloc(last > first ? last - first : 1, sizeof *r->hits)))
        return TG_ERR_NOMEM;
    tg_status st = TG_OK;
    for (size_t i = first; i < last && !st; i++) {
        cand *c = &cands[i];
        tg_hit *h = &r->hits[r->nhits++];
        h->score = c->final;
        h->article_score = c->article;
        h->passage_score = c->passage;
        h->passage_index = c->best;
        h->matching_passages = c->matching;
        h->why = c->why;
        c->why = NULL;
        if (!c->have_rec && !opts->snippets) {
            /* A ranking-only hit (batch runs) needs just the id, which a
             * value slot holds without reading the stored record. */
            st = fill_id_only(u->s, u->ms, c->msidx, h);
            continue;
        }
        if (!c->have_rec && (st = load_record(u->s, u->ms, c->msidx, c)))
            break;
        st = fill_hit(u->s, &u->plan, &c->rec, h, opts->snippets);
    }
    if (!st && opts->related)
        st = find_related(&u->plan, r, opts->related);
    return st;
}

/* Ends the run with status st: the deadline's warning, the release of all
 * it holds, and the results to *out on success (freed otherwise). */
static tg_status run_finish(search_run *u, tg_status st, tg_results **out)
{
    tg_searcher *s = u->s;
    /* Results read while a call on the database failed are not the
     * archive's (a count, a position list, a document read as empty):
     * whatever else went on, the database's failure is the answer. */
    tg_status dbst = tg_searcher_db_check(s, u->failures0);
    if (dbst)
        st = dbst;
    if (!st && u->late) {
        char w[128];
        snprintf(w, sizeof w, "search stopped at the %u ms deadline; results may be incomplete",
                 u->dl.ms);
        if (tg_results_warn(u->r, w))
            st = TG_ERR_NOMEM;
    }
    for (size_t i = 0; i < u->nc; i++)
        cand_release(&u->cands[i]);
    free(u->cands);
    free(u->order);
    presence_free(&u->pr);
    tg_year_count_free(&u->yc);
    xc_mset_free(u->count_ms);
    xc_enquire_free(u->count_enq);
    xc_mset_free(u->ms);
    xc_enquire_free(u->enq);
    tg_plan_free(&u->plan);
    tg_filter_free(&u->flt);
    if (st) {
        if (st == TG_ERR_NOMEM && !s->errmsg[0])
            snprintf(s->errmsg, sizeof s->errmsg, "out of memory");
        tg_results_free(u->r);
        return st;
    }
    *out = u->r;
    return TG_OK;
}

static tg_status search_once(tg_searcher *s, const char *query, const tg_search_opts *opts_in,
                             tg_results **out)
{
    search_run u = { .s = s, .query = query, .failures0 = xc_rdb_failures(s->db) };
    u.opts = opts_in ? *opts_in : (tg_search_opts)TG_SEARCH_OPTS_DEFAULT;
    *out = NULL;
    tg_status st = tg_search_opts_check(&u.opts, s->errmsg, sizeof s->errmsg);
    if (!st)
        st = tg_search_query_check(query, s->errmsg, sizeof s->errmsg);
    if (st)
        return st;
    tg_deadline_start(&u.dl, u.opts.timeout_ms ? u.opts.timeout_ms : TG_SEARCH_TIMEOUT_MS);
    run_limits(&u);
    st = run_plan(&u);
    if (st || !u.plan.query)    /* filters only or nothing to search: no run */
        return run_finish(&u, st, out);
    if (!(st = run_first_pass(&u)) && !(st = run_feedback(&u)) && !(st = run_candidates(&u)))
        st = u.opts.passages ? run_passages(&u) : run_hits(&u);
    return run_finish(&u, st, out);
}

/* ---- several shards --------------------------------------------------- */

/* The parts left out, with why, into r (partial). TG_OK or TG_ERR_NOMEM. */
static tg_status note_dropped(tg_searcher *s, tg_results *r)
{
    unsigned n = xc_rdb_parts(s->db);
    for (unsigned i = 0; i < n; i++) {
        if (xc_rdb_part_alive(s->db, i))
            continue;
        tg_shard_failure *v = realloc(r->shards_failed, (r->nshards_failed + 1) * sizeof *v);
        if (!v)
            return TG_ERR_NOMEM;
        r->shards_failed = v;
        tg_shard_failure *f = &v[r->nshards_failed];
        f->shard = strdup(xc_rdb_part_spec(s->db, i));
        f->error = strdup(xc_rdb_part_error(s->db, i));
        r->nshards_failed++;
        if (!f->shard || !f->error)
            return TG_ERR_NOMEM;
        r->partial = 1;
    }
    return TG_OK;
}

/* The first part left out, as the error of a search that must not go on
 * without it (--complete, or no part left). */
static tg_status shard_error(tg_searcher *s)
{
    unsigned n = xc_rdb_parts(s->db);
    for (unsigned i = 0; i < n; i++) {
        if (!xc_rdb_part_alive(s->db, i)) {
            snprintf(s->errmsg, sizeof s->errmsg, "shard %s is unavailable: %s%s",
                     xc_rdb_part_spec(s->db, i), xc_rdb_part_error(s->db, i),
                     s->complete ? " (--complete: no partial results)" : "");
            return TG_ERR_DB;
        }
    }
    return TG_OK;
}

static int any_alive(const tg_searcher *s)
{
    unsigned n = xc_rdb_parts(s->db);
    for (unsigned i = 0; i < n; i++)
        if (xc_rdb_part_alive(s->db, i))
            return 1;
    return 0;
}

/* Runs query on the parts that answer: a search that fails because a
 * part (a shard server down, or slower than the shard timeout) fails is
 * run again without it, and the results say partial; the parts left out
 * are tried again after retry_ms (at every search with complete, which
 * must not answer without them). */
tg_status tg_search(tg_searcher *s, const char *query, const tg_search_opts *opts_in,
                    tg_results **out)
{
    *out = NULL;
    if (xc_rdb_parts(s->db) == 0)
        return search_once(s, query, opts_in, out);
    xc_rdb_retry_parts(s->db, s->complete ? 0 : s->retry_ms);
    tg_status st;
    for (;;) {
        if (s->complete && shard_error(s))
            return TG_ERR_DB;
        st = search_once(s, query, opts_in, out);
        /* Only a database failure can be a part's; one part: nothing to
         * search without it. */
        if (st != TG_ERR_DB || xc_rdb_parts(s->db) < 2)
            break;
        if (!xc_rdb_check_parts(s->db))
            break;          /* every part answers: the failure is the search's */
        if (!any_alive(s))
            return shard_error(s);
    }
    if (!st && (st = note_dropped(s, *out))) {
        tg_results_free(*out);
        *out = NULL;
        snprintf(s->errmsg, sizeof s->errmsg, "out of memory");
    }
    return st;
}
