/* Unit tests: the bounds on one search (README, "Limits") and the
 * query-side faults of issue 21 ($TG_TESTDATA/faults). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tg_index.h"
#include "tg_output.h"
#include "tg_query.h"
#include "tg_search.h"
#include "../../lib/limits_int.h"

static char dbdir[256];

static void add(tg_index *ix, const char *id, const char *title, const char *body)
{
    tg_article a;
    tg_article_init(&a);
    tg_article_set(&a.id, id, (size_t)-1);
    tg_article_set(&a.title, title, (size_t)-1);
    tg_article_set(&a.body, body, (size_t)-1);
    assert_int_equal(tg_index_add(ix, &a, NULL), TG_OK);
    tg_article_clear(&a);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dbdir, sizeof dbdir, "/tmp/tg_limits_test.XXXXXX");
    assert_non_null(mkdtemp(dbdir));
    strcat(dbdir, "/db");
    char err[256];
    tg_index *ix = tg_index_open(dbdir, NULL, err, sizeof err);
    assert_non_null(ix);
    add(ix, "a", "Leaving Iraq", "In 2016 the last residents left Camp Liberty for Albania.\n\n"
        "The camp had been their home for years.");
    add(ix, "b", "Markets", "Grain prices rose in the market this week.");
    assert_int_equal(tg_index_close(ix), TG_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(dbdir) - 3), dbdir);
    return system(cmd) == 0 ? 0 : -1;
}

static tg_searcher *open_db(void)
{
    char err[256];
    tg_searcher *s = tg_searcher_open(dbdir, err, sizeof err);
    assert_non_null(s);
    return s;
}

/* A fault file's text; for a .tsv, the query after the tab. malloc'd. */
static char *fault(const char *name)
{
    const char *dir = getenv("TG_TESTDATA");
    char path[512];
    snprintf(path, sizeof path, "%s/faults/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    char *tab = strchr(buf, '\t');
    if (tab)
        memmove(buf, tab + 1, strlen(tab + 1) + 1);
    return buf;
}

static char *repeat(const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = malloc(n * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    return s;
}

static void test_opts_check(void **state)
{
    (void)state;
    char err[256];
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_OK);
    assert_string_equal(err, "");
    assert_int_equal(tg_search_opts_check(NULL, err, sizeof err), TG_OK);

    o.offset = 199990;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_LIMIT);
    assert_string_equal(err, "offset + limit is 200000, more than 100000");
    o.offset = TG_SEARCH_MAX_WINDOW - 10;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_OK);
    o.offset = 4000000000u;     /* no wrap-around past UINT_MAX */
    o.limit = 400000000u;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_LIMIT);

    o = (tg_search_opts)TG_SEARCH_OPTS_DEFAULT;
    o.timeout_ms = TG_SEARCH_MAX_TIMEOUT_MS + 1;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_LIMIT);
    assert_non_null(strstr(err, "timeout"));

    o = (tg_search_opts)TG_SEARCH_OPTS_DEFAULT;
    o.k1 = NAN;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    o.k1 = 1.2;
    o.b = 1.5;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    assert_non_null(strstr(err, "BM25 b"));
    o.b = -1;
    o.passage_weight = INFINITY;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    assert_non_null(strstr(err, "passage weight"));
    o.passage_weight = -1;
    o.prf_clarity = 11;         /* -1 is the default, 0 no cut, at most 10 */
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    assert_non_null(strstr(err, "feedback cut"));
    o.prf_clarity = 0;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_OK);
    o.prf_sharpness = 101;      /* -1 is the default, 0 equal weights, at most 100 */
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    assert_non_null(strstr(err, "feedback sharpness"));
    o.prf_sharpness = 0;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_OK);
    o.qw_idf = 4.5;             /* -1 is the default, 0 off, at most 4 */
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    assert_non_null(strstr(err, "long-query word weights"));
    o.qw_idf = 0;
    o.qw_burst = NAN;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    o.qw_burst = 4;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_OK);
    o.family = 17;              /* -1 is the default, 0 off, at most 16 letters */
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    assert_non_null(strstr(err, "word families"));
    o.family = 16;
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_OK);

    /* Dates: YYYY, YYYY-MM, YYYY-MM-DD, real ones, in order. */
    o = (tg_search_opts)TG_SEARCH_OPTS_DEFAULT;
    const char *good[] = { "2016", "2016-02", "2016-2", "2016-02-29", "1999-12-31" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        o.date_from = good[i];
        assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_OK);
    }
    const char *bad[] = { "", "16", "2016-13", "2015-02-29", "2016-01-01x", "2016/01", "20160" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o.date_from = NULL;
        o.date_to = bad[i];
        assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
        assert_non_null(strstr(err, "is not a date"));
    }
    o.date_from = "2016-05";
    o.date_to = "2016";         /* the whole of 2016: in order */
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_OK);
    o.date_from = "2017";
    assert_int_equal(tg_search_opts_check(&o, err, sizeof err), TG_ERR_ARG);
    assert_string_equal(err, "from date 2017 is after to date 2016");
}

static void test_query_text_check(void **state)
{
    (void)state;
    char err[256];
    char *ff = fault("json-invalid-utf8.query");
    assert_int_equal(tg_search_query_check(ff, err, sizeof err), TG_ERR_ARG);
    assert_string_equal(err, "query is not valid UTF-8 (byte 0xFF at offset 0)");
    free(ff);
    assert_int_equal(tg_search_query_check("caf\xc3\xa9 \xc3(", err, sizeof err), TG_ERR_ARG);
    assert_string_equal(err, "query is not valid UTF-8 (byte 0xC3 at offset 6)");
    assert_int_equal(tg_search_query_check("caf\xc3\xa9 \xe2\x80\x94 ok", err, sizeof err), TG_OK);
    char *at = repeat("a", TG_SEARCH_MAX_QUERY_BYTES);
    assert_int_equal(tg_search_query_check(at, err, sizeof err), TG_OK);
    free(at);
    char *over = repeat("a", TG_SEARCH_MAX_QUERY_BYTES + 1);
    assert_int_equal(tg_search_query_check(over, err, sizeof err), TG_ERR_LIMIT);
    assert_string_equal(err, "query is 4097 bytes long, more than 4096");
    free(over);
}

/* ubsan-passages-nomatch.tsv: passages mode with no match once called
 * qsort(NULL, 0) (undefined behaviour; fails under make asan). */
static void test_passages_no_match(void **state)
{
    (void)state;
    tg_searcher *s = open_db();
    char *q = fault("ubsan-passages-nomatch.tsv");
    assert_string_equal(q, "zzzqqqxyz");
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.passages = 1;
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, q, &o, &r), TG_OK);
    assert_int_equal(r->nhits, 0);
    assert_int_equal(r->total, 0);
    tg_results_free(r);
    free(q);
    tg_searcher_close(s);
}

static void test_invalid_utf8_query(void **state)
{
    (void)state;
    tg_searcher *s = open_db();
    char *q = fault("json-invalid-utf8.query");
    tg_results *r = (tg_results *)1;
    assert_int_equal(tg_search(s, q, NULL, &r), TG_ERR_ARG);
    assert_null(r);
    assert_string_equal(tg_searcher_errmsg(s), "query is not valid UTF-8 (byte 0xFF at offset 0)");
    free(q);
    tg_searcher_close(s);
}

/* The JSON renderer repairs text that is not UTF-8 rather than failing
 * (it once said "out of memory"). */
static void test_json_repairs_utf8(void **state)
{
    (void)state;
    tg_results r = { 0 };
    r.query = "caf\xe9 \xff";
    r.parsed = "caf\xe9";
    r.warning = "odd \xff";
    tg_render_opts ro = { 0 };
    tg_buf out = { 0 };
    assert_int_equal(tg_render_json(&r, &ro, &out), TG_OK);
    assert_non_null(strstr(tg_buf_str(&out), "\"query\":\"caf\xc3\xa9 \xc3\xbf\""));
    tg_buf_free(&out);
}

/* Each slow-query fault file ends at once with TG_ERR_LIMIT. */
static void test_slow_query_faults(void **state)
{
    (void)state;
    tg_searcher *s = open_db();
    const char *files[] = { "slow-query-10k-words.tsv", "slow-query-10k-ORword.tsv",
                            "slow-query-title-x10000.tsv" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *q = fault(files[i]);
        tg_results *r = NULL;
        assert_int_equal(tg_search(s, q, NULL, &r), TG_ERR_LIMIT);
        assert_null(r);
        char want[128];
        snprintf(want, sizeof want, "query is %zu bytes long, more than 4096", strlen(q));
        assert_string_equal(tg_searcher_errmsg(s), want);
        free(q);
    }
    tg_searcher_close(s);
}

static void test_word_and_term_budget(void **state)
{
    (void)state;
    tg_searcher *s = open_db();
    tg_results *r = NULL;
    /* 1,100 words typed (within 4096 bytes): an error naming the count. */
    char *many = repeat("x ", 1100);
    assert_int_equal(tg_search(s, many, NULL, &r), TG_ERR_LIMIT);
    assert_string_equal(tg_searcher_errmsg(s), "query has 1100 words, more than 1024; shorten it");
    free(many);
    /* 800 words: results. */
    char *fine = repeat("camp ", 800);   /* 4,000 bytes */
    assert_int_equal(tg_search(s, fine, NULL, &r), TG_OK);
    assert_true(r->nhits >= 1);
    assert_string_equal(r->hits[0].id, "a");
    tg_results_free(r);
    free(fine);
    /* `title:` 680 times (the fault file cut to the byte bound): one
     * phrase of 680 words, within every bound. */
    char *titles = repeat("title:", 680);
    assert_int_equal(tg_search(s, titles, NULL, &r), TG_OK);
    assert_int_equal(r->nhits, 0);
    tg_results_free(r);
    free(titles);
    tg_searcher_close(s);
}

/* The parser is iterative: 100,000 '(' (or OR) cannot deepen the stack,
 * and its tree is never more than two levels deep. */
static void test_nesting(void **state)
{
    (void)state;
    char *parens = repeat("(", 100000);
    tg_qtree *t = NULL;
    assert_int_equal(tg_query_parse(parens, &t, NULL, 0), TG_OK);
    assert_true(tg_qtree_depth(t, TG_SEARCH_MAX_QUERY_DEPTH) <= 2);
    tg_qtree_free(t);
    char *ors = repeat("((a OR b) OR ", 5000);
    assert_int_equal(tg_query_parse(ors, &t, NULL, 0), TG_OK);
    assert_int_equal(tg_qtree_depth(t, TG_SEARCH_MAX_QUERY_DEPTH), 2);
    assert_int_equal(tg_qtree_words(t), 10000);
    tg_qtree_free(t);
    free(ors);
    tg_searcher *s = open_db();
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, parens, NULL, &r), TG_ERR_LIMIT);
    parens[TG_SEARCH_MAX_QUERY_BYTES - 6] = '\0';
    memcpy(parens + TG_SEARCH_MAX_QUERY_BYTES - 12, "camp))", 6);
    assert_int_equal(tg_search(s, parens, NULL, &r), TG_OK);
    assert_true(r->nhits >= 1);
    tg_results_free(r);
    free(parens);
    tg_searcher_close(s);
}

static void test_deadline(void **state)
{
    (void)state;
    tg_deadline d;
    tg_deadline_start(&d, 0);
    assert_true(tg_deadline_passed(&d));
    tg_deadline_start(&d, 60000);
    assert_false(tg_deadline_passed(&d));
    assert_true(tg_deadline_left_ms(&d) > 50000);
    /* A generous deadline leaves results and warnings untouched. */
    tg_searcher *s = open_db();
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.timeout_ms = 60000;
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, "camp liberty", &o, &r), TG_OK);
    assert_true(r->nhits >= 1);
    assert_null(r->warning);
    tg_results_free(r);
    o.timeout_ms = 60001;
    assert_int_equal(tg_search(s, "camp liberty", &o, &r), TG_ERR_LIMIT);
    assert_non_null(strstr(tg_searcher_errmsg(s), "timeout"));
    tg_searcher_close(s);
}

static void test_revision(void **state)
{
    (void)state;
    tg_searcher *s = open_db();
    uint64_t before = tg_searcher_revision(s);
    assert_true(before > 0);
    char err[256];
    tg_index *ix = tg_index_open(dbdir, NULL, err, sizeof err);
    assert_non_null(ix);
    add(ix, "c", "More", "Another article about the camp.");
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_int_equal(tg_searcher_revision(s), before);   /* not yet reopened */
    assert_int_equal(tg_searcher_reopen(s), TG_OK);
    assert_true(tg_searcher_revision(s) > before);
    tg_searcher_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opts_check),
        cmocka_unit_test(test_query_text_check),
        cmocka_unit_test(test_passages_no_match),
        cmocka_unit_test(test_invalid_utf8_query),
        cmocka_unit_test(test_json_repairs_utf8),
        cmocka_unit_test(test_slow_query_faults),
        cmocka_unit_test(test_word_and_term_budget),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_revision),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
