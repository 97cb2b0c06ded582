/*
 * article_view.c - one article with its passages in order, for an article
 * page, the passages that match a query marked the way tg_search marks
 * the passage of a hit (the same plan, the same highlighting).
 */
#include "search_ext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_record.h"
#include "tg_schema.h"

static char *dup_ref(tg_strref r) { return strndup(r.p ? r.p : "", r.n); }

void tg_article_view_free(tg_article_view *v)
{
    if (!v)
        return;
    free(v->id);
    free(v->url);
    free(v->title);
    free(v->date);
    free(v->author);
    for (size_t i = 0; i < v->ntags; i++)
        free(v->tags[i]);
    free(v->tags);
    for (size_t i = 0; i < v->npassages; i++) {
        free(v->passages[i].text);
        free(v->passages[i].spans);
    }
    free(v->passages);
    free(v);
}

static tg_status fill(tg_record *rec, const tg_plan *plan, tg_article_view *v, char *err,
                      size_t errlen)
{
    if (!(v->id = dup_ref(rec->id)) || !(v->url = dup_ref(rec->url)) ||
        !(v->title = dup_ref(rec->title)) || !(v->date = dup_ref(rec->date)) ||
        !(v->author = dup_ref(rec->author)))
        return TG_ERR_NOMEM;
    if (rec->ntags && !(v->tags = calloc(rec->ntags, sizeof *v->tags)))
        return TG_ERR_NOMEM;
    for (size_t i = 0; i < rec->ntags; i++, v->ntags++)
        if (!(v->tags[i] = dup_ref(rec->tags[i])))
            return TG_ERR_NOMEM;
    if (!rec->npassages)
        return TG_OK;
    const char *body = tg_record_body(rec);
    if (!body) {
        snprintf(err, errlen, "stored text of article %.*s is corrupt", (int)rec->id.n, rec->id.p);
        return TG_ERR_DB;
    }
    if (!(v->passages = calloc(rec->npassages, sizeof *v->passages)))
        return TG_ERR_NOMEM;
    for (size_t i = 0; i < rec->npassages; i++, v->npassages++) {
        const tg_passage *p = &rec->passages[i];
        tg_passage_view *pv = &v->passages[i];
        if (!(pv->text = strndup(body + p->start, p->len)))
            return TG_ERR_NOMEM;
        if (plan && tg_highlight(plan, pv->text, p->len, &pv->spans, &pv->nspans, NULL))
            return TG_ERR_NOMEM;
        pv->matches = pv->nspans > 0;
        v->matching += (uint32_t)pv->matches;
    }
    return TG_OK;
}

tg_status tg_article_get(tg_searcher *s, const char *id, const char *query,
                         tg_article_view **out)
{
    size_t errlen;
    char *err = tg_searcher_errbuf(s, &errlen);
    xc_rdb *db = tg_searcher_rdb(s);
    err[0] = '\0';
    *out = NULL;
    if (!id || !id[0]) {
        snprintf(err, errlen, "no article id given");
        return TG_ERR_ARG;
    }
    tg_buf tb = { 0 };
    if (tg_key_term(&tb, TG_PFX_ID, id, TG_ID_MAX, NULL)) {
        tg_buf_free(&tb);
        snprintf(err, errlen, "out of memory");
        return TG_ERR_NOMEM;
    }
    char *term = tb.data;
    xc_docid did = 0;
    xc_doc *doc = NULL;
    uint64_t failures0 = xc_rdb_failures(db);
    xc_status xs = xc_rdb_find_term(db, term, &did);
    free(term);
    if (!xs && did)
        xs = xc_rdb_get_document(db, did, &doc);
    if (xs) {
        tg_status st = tg_searcher_db_check(s, failures0);
        char why[512];
        snprintf(why, sizeof why, "%s", st ? err : xc_rdb_errmsg(db));
        snprintf(err, errlen, "cannot read article %.200s: %s", id, why);
        return st ? st : TG_ERR_DB;
    }
    if (!did) {
        snprintf(err, errlen, "no article has the id %.200s", id);
        return TG_ERR_NOT_FOUND;
    }
    size_t len;
    const char *data = xc_doc_get_data(doc, &len);
    tg_record rec;
    tg_status st = tg_searcher_db_check(s, failures0);   /* the data read as "" */
    if (st) {
        xc_doc_free(doc);
        return st;
    }
    if (tg_record_decode(data, len, &rec)) {
        snprintf(err, errlen, "article %.200s has no valid Tigris record", id);
        xc_doc_free(doc);
        return TG_ERR_DB;
    }
    tg_plan plan;
    int have_plan = query && query[strspn(query, " \t\r\n")];
    if (have_plan && (st = tg_searcher_plan(s, query, 0, &plan)))
        have_plan = 0;
    tg_article_view *v = st ? NULL : calloc(1, sizeof *v);
    if (!st && !v)
        st = TG_ERR_NOMEM;
    if (!st)
        st = fill(&rec, have_plan ? &plan : NULL, v, err, errlen);
    if (have_plan)
        tg_plan_free(&plan);
    tg_record_free(&rec);
    xc_doc_free(doc);
    if (st) {
        if (st == TG_ERR_NOMEM)
            snprintf(err, errlen, "out of memory");
        tg_article_view_free(v);
        return st;
    }
    *out = v;
    return TG_OK;
}
