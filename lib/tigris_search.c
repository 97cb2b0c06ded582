/*
 * tigris_search.c - the public API's reading side (include/tigris.h): a
 * tg_searcher and its tg_results behind opaque handles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tigris.h"
#include "tg_buf.h"
#include "tg_output.h"
#include "tg_search.h"

struct tigris_searcher {
    tg_searcher *s;
};

/* The public results are the library's own: no copy. */
struct tigris_results {
    tg_results r;
};

tigris_searcher *tigris_searcher_open(const char *path, char *errbuf, size_t errlen)
{
    char err[512];
    tigris_searcher *t = path ? calloc(1, sizeof *t) : NULL;
    if (!t) {
        if (errlen)
            snprintf(errbuf, errlen, "%s", path ? "out of memory" : "no database path");
        return NULL;
    }
    if (!(t->s = tg_searcher_open(path, err, sizeof err))) {
        if (errlen)
            snprintf(errbuf, errlen, "%s", err);
        free(t);
        return NULL;
    }
    return t;
}

uint32_t tigris_searcher_count(tigris_searcher *t)
{
    return t ? tg_searcher_doccount(t->s) : 0;
}

tigris_status tigris_searcher_reopen(tigris_searcher *t)
{
    return t ? (tigris_status)tg_searcher_reopen(t->s) : TIGRIS_ERR_ARG;
}

const char *tigris_searcher_errmsg(const tigris_searcher *t)
{
    return t ? tg_searcher_errmsg(t->s) : "";
}

void tigris_searcher_close(tigris_searcher *t)
{
    if (!t)
        return;
    tg_searcher_close(t->s);
    free(t);
}

tigris_status tigris_search(tigris_searcher *t, const char *query, unsigned offset,
                            unsigned limit, tigris_results **out)
{
    if (out)
        *out = NULL;
    if (!t || !query || !out)
        return TIGRIS_ERR_ARG;
    tg_search_opts so = TG_SEARCH_OPTS_DEFAULT;
    so.offset = offset;
    so.limit = limit ? limit : 10;
    tg_results *r = NULL;
    tg_status st = tg_search(t->s, query, &so, &r);
    if (st) {
        tg_results_free(r);
        return (tigris_status)st;
    }
    *out = (tigris_results *)r;
    return TIGRIS_OK;
}

size_t tigris_results_count(const tigris_results *r)
{
    return r ? r->r.nhits : 0;
}

uint32_t tigris_results_total(const tigris_results *r)
{
    return r ? r->r.total : 0;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int tigris_results_hit(const tigris_results *r, size_t i, tigris_hit *hit)
{
    if (!r || !hit || i >= r->r.nhits)
        return -1;
    const tg_hit *h = &r->r.hits[i];
    hit->id = or_empty(h->id);
    hit->url = or_empty(h->url);
    hit->title = or_empty(h->title);
    hit->date = or_empty(h->date);
    hit->author = or_empty(h->author);
    hit->score = h->score;
    hit->passage = or_empty(h->passage);
    return 0;
}

const char *tigris_results_suggestion(const tigris_results *r)
{
    return r ? r->r.suggestion : NULL;
}

char *tigris_results_json(const tigris_results *r)
{
    if (!r)
        return NULL;
    tg_render_opts ro = { 0 };
    tg_buf out = { 0 };
    if (tg_render_json(&r->r, &ro, &out)) {
        tg_buf_free(&out);
        return NULL;
    }
    return out.data ? out.data : strdup(""); /* malloc'd: the caller's free() */
}

void tigris_results_free(tigris_results *r)
{
    tg_results_free(r ? &r->r : NULL);
}
