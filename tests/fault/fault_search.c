/*
 * fault_search - the in-process half of the fault-injection sweep
 * (tests/fault/sweep.sh, make fault): built with the test build of the
 * wrapper (TG_FAULT_INJECT), it makes each call that reaches the database
 * fail in turn, for searches, completions and article views over DB.
 *
 * Each failure must come back as an error status whose message names the
 * database and says what Xapian said ("injected fault"), with no results;
 * the same searcher, asked again once the fault is gone, must answer
 * exactly as a searcher that never met one (nothing wrong kept in its
 * caches: the years table, the completion data).
 *
 * Usage: fault_search DB    (exit 0: all passed)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_buf.h"
#include "tg_output.h"
#include "tg_search.h"
#include "xapian_c.h"

static const char *db_path;
static unsigned long points, failures;

static void failed(const char *what, unsigned long n, const char *why)
{
    failures++;
    if (failures <= 20)
        fprintf(stderr, "  FAIL [fault_search]: %s: call %lu failing: %s\n", what, n, why);
}

/* The message of a failure: what Xapian said, and which database. */
static void check_message(const char *what, unsigned long n, const char *msg)
{
    if (!strstr(msg, "injected fault") || !strstr(msg, db_path)) {
        char why[700];
        snprintf(why, sizeof why, "the message does not say what failed where: '%.500s'", msg);
        failed(what, n, why);
    }
}

typedef enum { OP_SEARCH, OP_SUGGEST, OP_ARTICLE } op_kind;

typedef struct op {
    op_kind kind;
    const char *text;         /* query, prefix, or article id */
    const char *query;        /* OP_ARTICLE: the query to mark */
    tg_search_opts opts;
} op;

/* Runs op on s: TG_OK and its answer rendered into *out (malloc'd), or
 * the failure's status. */
static tg_status run(tg_searcher *s, const op *o, char **out)
{
    tg_buf b = { 0 };
    tg_status st;
    *out = NULL;
    if (o->kind == OP_SEARCH) {
        tg_results *r = NULL;
        st = tg_search(s, o->text, &o->opts, &r);
        tg_render_opts ro = { 0 };
        ro.explain = 1;
        if (!st)
            st = tg_render_json(r, &ro, &b);
        tg_results_free(r);
    } else if (o->kind == OP_SUGGEST) {
        tg_suggestion *v = NULL;
        size_t n = 0;
        st = tg_suggest(s, o->text, 10, &v, &n);
        if (!st)
            st = tg_render_suggest_json(o->text, v, n, &b);
        tg_suggestions_free(v, n);
    } else {
        tg_article_view *v = NULL;
        st = tg_article_get(s, o->text, o->query, &v);
        if (!st)
            st = tg_render_article_json(v, &b);
        tg_article_view_free(v);
    }
    if (!st)
        *out = strdup(tg_buf_str(&b));
    tg_buf_free(&b);
    return st;
}

static tg_searcher *open_db(char *err, size_t errlen)
{
    return tg_searcher_open(db_path, err, errlen);
}

/* Sweeps the calls of op: fresh (also the opening's calls when
 * with_open) and again on a searcher that then answers without a fault. */
static void sweep(const char *what, const op *o, int with_open)
{
    char err[1024];
    xc_fault_reset(0);
    tg_searcher *s = open_db(err, sizeof err);
    unsigned long opening = xc_fault_reset(0);
    if (!s) {
        failed(what, 0, err);
        return;
    }
    char *want = NULL;
    if (run(s, o, &want)) {
        failed(what, 0, tg_searcher_errmsg(s));
        tg_searcher_close(s);
        return;
    }
    unsigned long calls = xc_fault_reset(0);
    tg_searcher_close(s);

    /* A fresh searcher for each failing call, the opening's included. */
    for (unsigned long n = with_open ? 1 : opening + 1; n <= opening + calls; n++) {
        points++;
        xc_fault_reset(n);
        s = open_db(err, sizeof err);
        char *got = NULL;
        if (!s) {
            check_message(what, n, err);
        } else if (!run(s, o, &got)) {
            failed(what, n, "no error (the failure was swallowed)");
        } else {
            check_message(what, n, tg_searcher_errmsg(s));
        }
        free(got);
        tg_searcher_close(s);
    }

    /* The same searcher asked again, as the server would: the failure
     * must not have left anything wrong behind. */
    for (unsigned long n = 1; n <= calls; n++) {
        points++;
        xc_fault_reset(0);
        s = open_db(err, sizeof err);
        if (!s) {
            failed(what, n, err);
            continue;
        }
        xc_fault_reset(n);
        char *got = NULL;
        if (!run(s, o, &got)) {
            failed(what, n, "no error (the failure was swallowed)");
        } else {
            check_message(what, n, tg_searcher_errmsg(s));
            xc_fault_reset(0);
            if (run(s, o, &got))
                failed(what, n, "asked again without a fault: an error");
            else if (strcmp(got, want) != 0)
                failed(what, n, "asked again without a fault: another answer");
        }
        free(got);
        tg_searcher_close(s);
    }
    xc_fault_reset(0);
    printf("  %s: %lu calls (and %lu opening)\n", what, calls, opening);
    free(want);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fault_search DB\n");
        return 2;
    }
    db_path = argv[1];
    const tg_search_opts def = TG_SEARCH_OPTS_DEFAULT;
    op o = { OP_SEARCH, "camp liberty", NULL, def };
    o.opts.limit = 3;
    o.opts.snippets = 1;
    sweep("search 'camp liberty'", &o, 1);

    o.text = "Camp Liberty";
    o.opts.passages = 1;
    o.opts.related = 8;
    o.opts.explain = 1;
    sweep("search 'Camp Liberty' (passages, related, explain)", &o, 0);

    o.opts = def;
    o.opts.limit = 3;
    o.text = "mujahedin khalq albania ashraf iran";   /* feedback */
    sweep("search 'mujahedin khalq albania ashraf iran'", &o, 0);

    o.opts.snippets = 1;
    o.opts.year_counts = 1;
    o.opts.date_from = "2010";
    o.text = "\"Sadr City\" -Maliki";
    sweep("search '\"Sadr City\" -Maliki' (years, from 2010)", &o, 0);

    o.opts = def;
    o.opts.limit = 3;
    o.text = "Brezhnyev Wallstreet";                  /* spellings, splits */
    sweep("search 'Brezhnyev Wallstreet'", &o, 0);
    o.text = "title:Sadr";
    o.opts.sort_date = 1;
    sweep("search 'title:Sadr' (by date)", &o, 0);

    op g = { OP_SUGGEST, "cam", NULL, def };
    sweep("suggest 'cam'", &g, 0);

    /* The article of the first result for "camp liberty". */
    char err[1024];
    xc_fault_reset(0);
    tg_searcher *s = open_db(err, sizeof err);
    tg_results *r = NULL;
    if (!s || tg_search(s, "camp liberty", NULL, &r) || !r->nhits) {
        failed("article", 0, s ? tg_searcher_errmsg(s) : err);
    } else {
        op a = { OP_ARTICLE, r->hits[0].id, "camp liberty", def };
        sweep("article (marked for 'camp liberty')", &a, 0);
    }
    tg_results_free(r);
    tg_searcher_close(s);

    printf("  fault_search: %lu injection points, %lu failed\n", points, failures);
    return failures ? 1 : 0;
}
