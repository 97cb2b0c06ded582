/*
 * fuzz_qbuild.c - the query builder over a small real index (corpus/ and
 * tests/data/reader, indexed once at start): the plan with and without
 * names, then the search itself with snippets, filters and suggestions.
 * The first byte picks options; the rest is the query. A search may fail
 * with a bound (TG_ERR_LIMIT, TG_ERR_QUERY, TG_ERR_ARG), never otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "search_ext.h"
#include "tg_search.h"
#include "tg_text.h"

static tg_searcher *s;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char err[512];
    s = tg_searcher_open(tg_fuzz_index(), err, sizeof err);
    if (!s) {
        fprintf(stderr, "fuzz_qbuild: %s\n", err);
        exit(2);
    }
    return 0;
}

static int bounded(tg_status st)
{
    return st == TG_OK || st == TG_ERR_LIMIT || st == TG_ERR_QUERY || st == TG_ERR_ARG;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    unsigned flags = data[0];
    char *q = malloc(size);
    memcpy(q, data + 1, size - 1);
    q[size - 1] = '\0';

    /* Both callers of the plan (tg_search, and the server's article view
     * after its strict decoding) check the query's size and UTF-8 first. */
    char err[256];
    tg_plan plan;
    memset(&plan, 0, sizeof plan);
    tg_status st = tg_search_query_check(q, err, sizeof err);
    if (!st)
        st = tg_searcher_plan(s, q, flags & 1, &plan);
    TG_FUZZ_CHECK(bounded(st));
    if (!st) {
        for (size_t i = 0; i < plan.nnotes; i++)
            TG_FUZZ_CHECK(tg_utf8_valid(plan.notes[i], strlen(plan.notes[i])));
        tg_span *spans = NULL;
        size_t nspans = 0;
        unsigned char noted[64];
        TG_FUZZ_CHECK(!tg_highlight(&plan, q, strlen(q), &spans, &nspans,
                                    plan.nnotes <= sizeof noted ? noted : NULL));
        free(spans);
    }
    tg_plan_free(&plan);

    if (flags & 2) {
        tg_search_opts so = TG_SEARCH_OPTS_DEFAULT;
        so.limit = 3;
        so.offset = (flags >> 5) & 3;
        so.related = flags & 4 ? 4 : 0;
        so.year_counts = (flags & 8) != 0;
        so.sort_date = (flags & 16) != 0;
        so.timeout_ms = 2000;
        if (flags & 128)
            so.date_from = "2010";
        tg_results *r = NULL;
        st = tg_search(s, q, &so, &r);
        TG_FUZZ_CHECK(bounded(st));
        tg_results_free(r);
    } else if (strlen(q) <= 200) {
        tg_suggestion *v = NULL;
        size_t n = 0;
        st = tg_suggest(s, q, 8, &v, &n);
        TG_FUZZ_CHECK(bounded(st));
        tg_suggestions_free(v, n);
    }
    free(q);
    return 0;
}
