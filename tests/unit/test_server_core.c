/* Unit tests: the search core of the HTTP API (filters, date order, year
 * counts, article view, suggest) over a small database built here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tg_index.h"
#include "tg_search.h"

static char dbdir[256];

static void add(tg_index *ix, const char *id, const char *date, const char *title,
                const char *body, const char *tag1, const char *tag2)
{
    tg_article a;
    tg_article_init(&a);
    tg_article_set(&a.id, id, (size_t)-1);
    if (date)
        tg_article_set(&a.date, date, (size_t)-1);
    tg_article_set(&a.title, title, (size_t)-1);
    tg_article_set(&a.body, body, (size_t)-1);
    if (tag1)
        tg_article_add_tag(&a, tag1, (size_t)-1);
    if (tag2)
        tg_article_add_tag(&a, tag2, (size_t)-1);
    tg_add_result res;
    assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
    tg_article_clear(&a);
}

static const char *FILLER =
    "The province saw markets reopen and schools return to normal hours. "
    "Farmers complained about water shortages along the river all summer. ";

static void build(const char *path)
{
    char err[256], body[2048];
    tg_index *ix = tg_index_open(path, NULL, err, sizeof err);
    assert_non_null(ix);
    snprintf(body, sizeof body, "%s%s\n\nThe residents of Camp Liberty left for Albania after "
             "years of waiting in the heat, far from home, with few belongings and fewer "
             "friends, hoping for a quieter life there.\n\n%s%s", FILLER, FILLER, FILLER, FILLER);
    add(ix, "a", "2016-09-13", "Leaving Iraq", body, "Iran Deal", "Camps");
    snprintf(body, sizeof body, "Camp Liberty was attacked again. %s", FILLER);
    add(ix, "b", "2015-12-31", "Rockets on Camp Liberty", body, "Iran", NULL);
    snprintf(body, sizeof body, "The camp near Camp Liberty was closed. %s", FILLER);
    add(ix, "c", "2016-01-01", "Camp closed", body, "iran", NULL);
    snprintf(body, sizeof body, "Nobody remembers Camp Liberty now. %s", FILLER);
    add(ix, "d", "2017-06", "Ten years on", body, NULL, NULL);
    add(ix, "e", NULL, "Undated", "Camp Liberty, an undated note about the camp.", NULL, NULL);
    /* Words for suggest: "camel" in two articles, "camber" in one. */
    add(ix, "f", "2014", "Camels", "A camel walked. Camels and a camel driver.", NULL, NULL);
    add(ix, "g", "2014", "More camels", "The camel market opened.", NULL, NULL);
    add(ix, "h", "2014", "Bikes", "The camber of the road.", NULL, NULL);
    assert_int_equal(tg_index_close(ix), TG_OK);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dbdir, sizeof dbdir, "/tmp/tg_server_core.XXXXXX");
    assert_non_null(mkdtemp(dbdir));
    strcat(dbdir, "/db");
    build(dbdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(dbdir) - 3), dbdir);
    return system(cmd) == 0 ? 0 : -1;
}

static tg_searcher *open_s(void)
{
    char err[256];
    tg_searcher *s = tg_searcher_open(dbdir, err, sizeof err);
    assert_non_null(s);
    return s;
}

/* The ids of the hits, space-separated, in order. */
static void ids(const tg_results *r, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < r->nhits; i++)
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "", r->hits[i].id);
}

static int has_id(const tg_results *r, const char *id)
{
    for (size_t i = 0; i < r->nhits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return 1;
    return 0;
}

static double score_of(const tg_results *r, const char *id)
{
    for (size_t i = 0; i < r->nhits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return r->hits[i].score;
    fail_msg("%s not among the hits", id);
    return 0;
}

static tg_results *run(tg_searcher *s, const char *q, const tg_search_opts *o)
{
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, q, o, &r), TG_OK);
    assert_non_null(r);
    return r;
}

static void test_date_filters(void **state)
{
    (void)state;
    tg_searcher *s = open_s();
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.date_from = "2016";
    o.date_to = "2016";
    tg_results *r = run(s, "camp liberty", &o);
    char got[128];
    ids(r, got, sizeof got);
    assert_int_equal(r->nhits, 2);          /* a (2016-09-13), c (2016-01-01) */
    assert_true(has_id(r, "a") && has_id(r, "c"));
    assert_int_equal(r->total, 2);
    assert_true(r->total_exact);
    tg_results_free(r);

    /* "to" is inclusive to the last day; b is dated 2015-12-31. */
    o.date_from = NULL;
    o.date_to = "2015-12";
    r = run(s, "camp liberty", &o);
    ids(r, got, sizeof got);
    assert_string_equal(got, "b");
    tg_results_free(r);
    o.date_to = "2015-12-30";
    r = run(s, "camp liberty", &o);
    assert_int_equal(r->nhits, 0);
    tg_results_free(r);

    /* the same in passages mode and with feedback (a long query) */
    o.date_from = "2016-01-01";
    o.date_to = NULL;
    o.passages = 1;
    r = run(s, "camp liberty", &o);
    assert_true(r->nhits > 0);
    for (size_t i = 0; i < r->nhits; i++)
        assert_true(strcmp(r->hits[i].date, "2016") >= 0);
    assert_false(has_id(r, "b") || has_id(r, "e"));
    tg_results_free(r);
    o.passages = 0;
    r = run(s, "residents of camp liberty attacked closed remembers", &o);
    assert_true(r->nhits > 0);
    assert_false(has_id(r, "b") || has_id(r, "e"));
    tg_results_free(r);

    /* malformed dates and reversed ends */
    const char *bad[] = { "2016-13", "16", "2016-02-30", "2016/01", "x" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tg_search_opts b = TG_SEARCH_OPTS_DEFAULT;
        b.date_from = bad[i];
        r = NULL;
        assert_int_equal(tg_search(s, "camp", &b, &r), TG_ERR_ARG);
        assert_null(r);
        assert_non_null(strstr(tg_searcher_errmsg(s), bad[i]));
    }
    tg_search_opts b = TG_SEARCH_OPTS_DEFAULT;
    b.date_from = "2017";
    b.date_to = "2016";
    assert_int_equal(tg_search(s, "camp", &b, &r), TG_ERR_ARG);
    tg_searcher_close(s);
}

static void test_tag_filter(void **state)
{
    (void)state;
    tg_searcher *s = open_s();
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    tg_results *all = run(s, "camp liberty", &o);
    o.tag = "IRAN";
    tg_results *r = run(s, "camp liberty", &o);
    char got[128];
    ids(r, got, sizeof got);
    /* b and c carry "Iran"/"iran"; a carries "Iran Deal", not "Iran" */
    assert_int_equal(r->nhits, 2);
    assert_true(has_id(r, "b") && has_id(r, "c"));
    /* a filter: the scores are those of the unfiltered search */
    assert_true(score_of(r, "b") == score_of(all, "b"));
    assert_true(score_of(r, "c") == score_of(all, "c"));
    tg_results_free(r);
    o.tag = "iran deal";
    r = run(s, "camp liberty", &o);
    ids(r, got, sizeof got);
    assert_string_equal(got, "a");
    tg_results_free(r);
    o.tag = "deal";
    r = run(s, "camp liberty", &o);
    assert_int_equal(r->nhits, 0);
    tg_results_free(r);
    o.tag = " , ";
    assert_int_equal(tg_search(s, "camp", &o, &r), TG_ERR_ARG);
    /* filters alone list what passes them */
    o.tag = "Iran";
    r = run(s, "", &o);
    assert_int_equal(r->nhits, 2);
    tg_results_free(r);
    tg_results_free(all);
    tg_searcher_close(s);
}

static void test_sort_date(void **state)
{
    (void)state;
    tg_searcher *s = open_s();
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.sort_date = 1;
    tg_results *r = run(s, "camp liberty", &o);
    char got[128];
    ids(r, got, sizeof got);
    /* d 2017-06, a 2016-09-13, c 2016-01-01, b 2015-12-31, e undated */
    assert_string_equal(got, "d a c b e");
    /* each hit still shows its best passage */
    assert_non_null(r->hits[1].passage);
    assert_non_null(strstr(r->hits[1].passage, "Camp Liberty"));
    tg_results_free(r);
    o.offset = 1;
    o.limit = 2;
    r = run(s, "camp liberty", &o);
    ids(r, got, sizeof got);
    assert_string_equal(got, "a c");
    tg_results_free(r);
    o.offset = 0;
    o.limit = 10;
    o.passages = 1;
    r = run(s, "camp liberty", &o);
    ids(r, got, sizeof got);
    assert_string_equal(got, "d a c b e");
    tg_results_free(r);
    tg_searcher_close(s);
}

static void test_year_counts(void **state)
{
    (void)state;
    tg_searcher *s = open_s();
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.year_counts = 1;
    o.limit = 1;     /* counts cover the whole result set, not the page */
    tg_results *r = run(s, "camp", &o);
    assert_int_equal(r->nhits, 1);
    assert_true(r->years_exact);
    assert_true(r->total_exact);
    assert_int_equal(r->total, 5);
    assert_int_equal(r->nyears, 3);
    unsigned want[][2] = { { 2015, 1 }, { 2016, 2 }, { 2017, 1 } };   /* e is undated */
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(r->years[i].year, want[i][0]);
        assert_int_equal(r->years[i].count, want[i][1]);
    }
    tg_results_free(r);
    o.tag = "iran";
    r = run(s, "camp", &o);
    assert_int_equal(r->nyears, 2);
    assert_int_equal(r->years[0].year, 2015);
    assert_int_equal(r->years[1].count, 1);
    tg_results_free(r);
    o.tag = NULL;
    o.year_counts = 0;
    r = run(s, "camp", &o);
    assert_int_equal(r->nyears, 0);
    assert_null(r->years);
    tg_results_free(r);
    tg_searcher_close(s);
}

static void test_article_view(void **state)
{
    (void)state;
    tg_searcher *s = open_s();
    tg_article_view *v = NULL;
    assert_int_equal(tg_article_get(s, "a", "liberty camps", &v), TG_OK);
    assert_string_equal(v->id, "a");
    assert_string_equal(v->title, "Leaving Iraq");
    assert_string_equal(v->date, "2016-09-13");
    assert_string_equal(v->url, "");
    assert_int_equal(v->ntags, 2);
    assert_string_equal(v->tags[0], "Iran Deal");
    assert_true(v->npassages >= 2);
    /* the passage that names Camp Liberty matches; its words are marked */
    size_t m = 0;
    for (size_t i = 0; i < v->npassages; i++) {
        const tg_passage_view *p = &v->passages[i];
        assert_int_equal(p->matches, p->nspans > 0);
        if (!p->matches)
            continue;
        m++;
        assert_non_null(strstr(p->text, "Camp Liberty"));
        assert_int_equal(p->nspans, 2);
        assert_memory_equal(p->text + p->spans[0].start, "Camp", 4);
        assert_int_equal(p->spans[0].end - p->spans[0].start, 4);
        assert_memory_equal(p->text + p->spans[1].start, "Liberty", 7);
    }
    assert_int_equal(m, 1);
    assert_int_equal(v->matching, 1);
    tg_article_view_free(v);

    /* no query: the passages, nothing marked */
    assert_int_equal(tg_article_get(s, "a", NULL, &v), TG_OK);
    assert_int_equal(v->matching, 0);
    for (size_t i = 0; i < v->npassages; i++)
        assert_int_equal(v->passages[i].nspans, 0);
    tg_article_view_free(v);

    v = (tg_article_view *)1;
    assert_int_equal(tg_article_get(s, "nope", "camp", &v), TG_ERR_NOT_FOUND);
    assert_null(v);
    assert_non_null(strstr(tg_searcher_errmsg(s), "nope"));
    tg_article_view_free(NULL);
    tg_searcher_close(s);
}

static int find_sugg(const tg_suggestion *v, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].text, text) == 0)
            return (int)i;
    return -1;
}

static void test_suggest(void **state)
{
    (void)state;
    tg_searcher *s = open_s();
    tg_suggestion *v = NULL;
    size_t n = 0;
    assert_int_equal(tg_suggest(s, "Cam", 10, &v, &n), TG_OK);
    int name = find_sugg(v, n, "Camp Liberty"), camel = find_sugg(v, n, "camel"),
        camber = find_sugg(v, n, "camber"), camp = find_sugg(v, n, "camp");
    assert_true(name == 0);                      /* names first */
    assert_true(v[0].is_name);
    assert_true(camp > 0 && camel > camp);       /* then by frequency */
    assert_false(v[camp].is_name);
    assert_int_equal(v[camel].freq, 2);
    assert_int_equal(camber, -1);                /* in one article only */
    tg_suggestions_free(v, n);

    /* a space inside the prefix, any case or accent */
    assert_int_equal(tg_suggest(s, "CÁMP li", 5, &v, &n), TG_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].text, "Camp Liberty");
    tg_suggestions_free(v, n);
    assert_int_equal(tg_suggest(s, "camp ", 5, &v, &n), TG_OK);
    assert_int_equal(n, 1);
    tg_suggestions_free(v, n);

    /* a one-letter prefix, max honoured, no junk */
    assert_int_equal(tg_suggest(s, "t", 3, &v, &n), TG_OK);
    assert_true(n <= 3);
    assert_int_equal(find_sugg(v, n, "the"), -1);
    tg_suggestions_free(v, n);
    assert_int_equal(tg_suggest(s, "2", 10, &v, &n), TG_OK);
    assert_int_equal(n, 0);
    tg_suggestions_free(v, n);
    assert_int_equal(tg_suggest(s, "", 10, &v, &n), TG_OK);
    assert_int_equal(n, 0);
    assert_null(v);
    tg_suggestions_free(NULL, 0);

    /* a new commit, seen after reopen */
    char err[256];
    tg_index *ix = tg_index_open(dbdir, NULL, err, sizeof err);
    assert_non_null(ix);
    add(ix, "x", "2018", "Zebras", "A zebrafish. Zebrafish again.", NULL, NULL);
    add(ix, "y", "2018", "Zebras", "Zebrafish everywhere.", NULL, NULL);
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_int_equal(tg_suggest(s, "zebraf", 5, &v, &n), TG_OK);
    assert_int_equal(n, 0);                      /* not reopened yet */
    tg_suggestions_free(v, n);
    assert_int_equal(tg_searcher_reopen(s), TG_OK);
    assert_int_equal(tg_suggest(s, "zebraf", 5, &v, &n), TG_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].text, "zebrafish");
    tg_suggestions_free(v, n);
    tg_searcher_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_filters),
        cmocka_unit_test(test_tag_filter),
        cmocka_unit_test(test_sort_date),
        cmocka_unit_test(test_year_counts),
        cmocka_unit_test(test_article_view),
        cmocka_unit_test(test_suggest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
