/*
 * test_shards.c - searching several databases as one (issue 15): stub
 * files read by tg_dbset, a read handle of parts (dropped, retried), the
 * lexicon the synonyms, spellings and metadata are read from, and a
 * searcher that answers without a part and says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"
#include "tg_dbset.h"
#include "tg_index.h"
#include "tg_output.h"
#include "tg_search.h"
#include "xapian_c.h"

static char g_root[64];

static void path_of(char *buf, size_t len, const char *name)
{
    int n = snprintf(buf, len, "%s/%s", g_root, name);
    assert_true(n > 0 && (size_t)n < len);
}

static void write_file(const char *name, const char *text)
{
    char p[256];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *name)
{
    char p[256];
    path_of(p, sizeof p, name);
    assert_int_equal(mkdir(p, 0755), 0);
}

/* A Xapian database with ndocs documents (each with the term "word" and
 * its own id term) and, with lexicon, synonyms, spellings and metadata. */
static void make_db(const char *name, int ndocs, int first, int lexicon)
{
    char p[256], err[256];
    path_of(p, sizeof p, name);
    xc_wdb *w = NULL;
    assert_int_equal(xc_wdb_open(p, XC_WDB_CREATE_OR_OVERWRITE, &w, err, sizeof err), XC_OK);
    for (int i = 0; i < ndocs; i++) {
        char id[32];
        snprintf(id, sizeof id, "Q%d", first + i);
        xc_doc *d = xc_doc_new();
        assert_non_null(d);
        assert_int_equal(xc_doc_add_posting(d, "word", 1, 1), XC_OK);
        assert_int_equal(xc_doc_add_term(d, id, 1), XC_OK);
        assert_int_equal(xc_wdb_add(w, d, NULL), XC_OK);
        xc_doc_free(d);
    }
    if (lexicon) {
        assert_int_equal(xc_wdb_add_synonym(w, "fox", "vixen"), XC_OK);
        assert_int_equal(xc_wdb_add_synonym(w, "fox", "reynard"), XC_OK);
        assert_int_equal(xc_wdb_add_spelling(w, "quick", 4), XC_OK);
        assert_int_equal(xc_wdb_set_metadata(w, "lang", "english", 7), XC_OK);
    }
    assert_int_equal(xc_wdb_close(w), XC_OK);
}

static int setup(void **state)
{
    (void)state;
    if (scratch_make(g_root, sizeof g_root, "tg-shards"))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return scratch_remove(g_root);
}

/* ---- stub files ---------------------------------------------------------- */

static void test_stub_lines(void **state)
{
    (void)state;
    make_dir("s1");
    write_file("s1/stub", "# tigris shards 4\n"
                          "\n"
                          "auto ../a.db\n"
                          "  glass b.db  \r\n"
                          "# a comment\n"
                          "auto /abs/c.db\n"
                          "remote 10.0.0.2:7001\n"
                          "# tigris-lexicon: lex\n");
    char stub[256], want[300];
    path_of(stub, sizeof stub, "s1/stub");
    tg_dbset set;
    tg_dbset_init(&set);
    char err[512] = "";
    assert_int_equal(tg_dbset_add(&set, stub, err, sizeof err), TG_OK);
    assert_int_equal(set.n, 4);
    snprintf(want, sizeof want, "auto %s/s1/../a.db", g_root);
    assert_string_equal(set.specs[0], want);
    snprintf(want, sizeof want, "glass %s/s1/b.db", g_root);
    assert_string_equal(set.specs[1], want);
    assert_string_equal(set.specs[2], "auto /abs/c.db");
    assert_string_equal(set.specs[3], "remote 10.0.0.2:7001");
    snprintf(want, sizeof want, "%s/s1/lex", g_root);
    assert_non_null(set.lexicon);
    assert_string_equal(set.lexicon, want);
    assert_int_equal(set.remote, 1);
    tg_dbset_free(&set);
    assert_int_equal(set.n, 0);

    /* A relative stub path: its entries relative to its own folder. */
    tg_dbset_init(&set);
    assert_int_equal(chdir(g_root), 0);
    assert_int_equal(tg_dbset_add(&set, "s1/stub", err, sizeof err), TG_OK);
    assert_string_equal(set.specs[0], "auto s1/../a.db");
    assert_string_equal(set.lexicon, "s1/lex");
    tg_dbset_free(&set);
}

/* check_bad STUB-TEXT WANT: the stub is refused with WANT in the message. */
static void check_bad(const char *text, const char *want, tg_status st)
{
    char stub[256], err[512] = "";
    write_file("bad.stub", text);
    path_of(stub, sizeof stub, "bad.stub");
    tg_dbset set;
    tg_dbset_init(&set);
    assert_int_equal(tg_dbset_add(&set, stub, err, sizeof err), st);
    if (!strstr(err, want))
        fail_msg("'%s' not in '%s'", want, err);
    if (!strstr(err, stub))
        fail_msg("the file is not named in '%s'", err);
    tg_dbset_free(&set);
}

static void test_stub_errors(void **state)
{
    (void)state;
    check_bad("auto a\n# ok\nremot 1.2.3.4:5\n", "bad.stub:3: unknown line type 'remot'",
              TG_ERR_FORMAT);
    check_bad("auto\n", "bad.stub:1: 'auto' needs a path", TG_ERR_FORMAT);
    check_bad("remote\n", "bad.stub:1: 'remote' needs", TG_ERR_FORMAT);
    check_bad("auto a\n# tigris-lexicon:   \n", "bad.stub:2: '# tigris-lexicon:' names no path",
              TG_ERR_FORMAT);
    check_bad("# tigris shards 3\nauto a\nauto b\n", "says '# tigris shards 3' but lists 2",
              TG_ERR_FORMAT);
    check_bad("# tigris shards x\nauto a\n", "bad.stub:1: bad shard count", TG_ERR_FORMAT);
    check_bad("# nothing\n\n", "lists no database", TG_ERR_FORMAT);
    /* A stub naming itself. */
    char self[300];
    snprintf(self, sizeof self, "auto %s/bad.stub\n", g_root);
    check_bad(self, "more than 8 deep", TG_ERR_FORMAT);
}

static void test_db_values(void **state)
{
    (void)state;
    char p[256], want[300], err[512] = "";
    /* A database folder: itself. */
    make_db("plain.db", 2, 1, 0);
    path_of(p, sizeof p, "plain.db");
    tg_dbset set;
    tg_dbset_init(&set);
    assert_int_equal(tg_dbset_add(&set, p, err, sizeof err), TG_OK);
    assert_int_equal(set.n, 1);
    snprintf(want, sizeof want, "auto %s", p);
    assert_string_equal(set.specs[0], want);
    assert_null(set.lexicon);
    assert_int_equal(set.remote, 0);
    /* A folder with a XAPIANDB stub (a sharded database), added to the
     * same set: its shards and lexicon, relative to the folder; a shard
     * named by `auto` that is itself a stub is read too. */
    make_dir("sharded");
    write_file("sharded/XAPIANDB", "# tigris shards 2\nauto shard-0\nauto inner\n"
                                   "# tigris-lexicon: lexicon\n");
    write_file("sharded/inner", "remote :xapian-progsrv shard-1\n");
    path_of(p, sizeof p, "sharded");
    assert_int_equal(tg_dbset_add(&set, p, err, sizeof err), TG_OK);
    assert_int_equal(set.n, 3);
    snprintf(want, sizeof want, "auto %s/sharded/shard-0", g_root);
    assert_string_equal(set.specs[1], want);
    assert_string_equal(set.specs[2], "remote :xapian-progsrv shard-1");
    snprintf(want, sizeof want, "%s/sharded/lexicon", g_root);
    assert_string_equal(set.lexicon, want);
    assert_int_equal(set.remote, 1);
    /* A path that does not exist: as it is (opening it says why). */
    assert_int_equal(tg_dbset_add(&set, "/nonexistent/db", err, sizeof err), TG_OK);
    assert_string_equal(set.specs[3], "auto /nonexistent/db");
    tg_dbset_free(&set);
}

/* ---- parts and the lexicon ----------------------------------------------- */

static int collect(const char *term, size_t len, uint32_t tf, void *ud)
{
    (void)tf;
    char *buf = ud;
    strncat(buf, term, len);
    strcat(buf, " ");
    return 0;
}

static void test_lexicon_reads(void **state)
{
    (void)state;
    char a[256], lex[256], spec[300], err[512];
    make_db("lex-a.db", 3, 1, 0);
    make_db("lex.db", 0, 0, 1);
    path_of(a, sizeof a, "lex-a.db");
    path_of(lex, sizeof lex, "lex.db");
    snprintf(spec, sizeof spec, "auto %s", a);
    const char *specs[] = { spec };
    xc_rdb *r = NULL;
    assert_int_equal(xc_rdb_open_parts(specs, 1, 1000, &r, err, sizeof err), XC_OK);
    assert_int_equal(xc_rdb_has_lexicon(r), 0);
    char buf[256] = "";
    char *s = NULL;
    size_t n;
    /* Without the lexicon, the shard's own (empty) tables. */
    assert_int_equal(xc_rdb_synonyms(r, "fox", collect, buf), XC_OK);
    assert_string_equal(buf, "");
    assert_int_equal(xc_rdb_get_metadata(r, "lang", &s, &n), XC_OK);
    assert_null(s);
    uint64_t rev0 = 0, rev1 = 0;
    assert_int_equal(xc_rdb_revision(r, &rev0), XC_OK);

    assert_int_equal(xc_rdb_set_lexicon(r, lex), XC_OK);
    assert_int_equal(xc_rdb_has_lexicon(r), 1);
    assert_int_equal(xc_rdb_synonyms(r, "fox", collect, buf), XC_OK);
    assert_string_equal(buf, "reynard vixen ");
    buf[0] = '\0';
    assert_int_equal(xc_rdb_synonym_keys(r, "f", collect, buf), XC_OK);
    assert_string_equal(buf, "fox ");
    assert_int_equal(xc_rdb_spelling_suggestion(r, "quack", 2, &s), XC_OK);
    assert_non_null(s);
    assert_string_equal(s, "quick");
    free(s);
    assert_int_equal(xc_rdb_get_metadata(r, "lang", &s, &n), XC_OK);
    assert_non_null(s);
    assert_string_equal(s, "english");
    free(s);
    /* Postings and counts stay the shard's. */
    assert_int_equal(xc_rdb_doccount(r), 3);
    assert_int_equal(xc_rdb_termfreq(r, "word"), 3);
    /* The revision counts the lexicon's too, and survives a reopen. */
    assert_int_equal(xc_rdb_revision(r, &rev1), XC_OK);
    assert_true(rev1 > rev0);
    assert_int_equal(xc_rdb_reopen(r), XC_OK);
    assert_int_equal(xc_rdb_synonyms(r, "fox", collect, buf), XC_OK);
    assert_int_equal(xc_rdb_failures(r), 0);
    /* A lexicon that is not there: refused, the handle unchanged. */
    assert_int_not_equal(xc_rdb_set_lexicon(r, "/nonexistent/lexicon"), XC_OK);
    assert_int_equal(xc_rdb_has_lexicon(r), 1);
    xc_rdb_close(r);
}

static void test_parts_drop_and_retry(void **state)
{
    (void)state;
    char a[256], b[256], sa[300], sb[300], err[512];
    make_db("part-a.db", 3, 1, 0);
    make_db("part-b.db", 2, 100, 0);
    path_of(a, sizeof a, "part-a.db");
    path_of(b, sizeof b, "part-b.db");
    snprintf(sa, sizeof sa, "glass %s", a);
    snprintf(sb, sizeof sb, "auto %s.missing", b);
    const char *specs[] = { sa, sb, "remote 127.0.0.1:0", "remote :" };
    xc_rdb *r = NULL;
    /* The missing and malformed parts are kept as dropped. */
    assert_int_equal(xc_rdb_open_parts(specs, 4, 500, &r, err, sizeof err), XC_OK);
    assert_int_equal(xc_rdb_parts(r), 4);
    assert_int_equal(xc_rdb_part_alive(r, 0), 1);
    assert_int_equal(xc_rdb_part_alive(r, 1), 0);
    assert_int_equal(xc_rdb_part_alive(r, 2), 0);
    assert_int_equal(xc_rdb_part_remote(r, 2), 1);
    assert_int_equal(xc_rdb_part_remote(r, 0), 0);
    assert_string_equal(xc_rdb_part_spec(r, 1), sb);
    assert_string_equal(xc_rdb_part_error(r, 0), "");
    assert_true(strlen(xc_rdb_part_error(r, 1)) > 0);
    assert_non_null(strstr(xc_rdb_part_error(r, 2), "bad HOST:PORT"));
    assert_non_null(strstr(xc_rdb_part_error(r, 3), "remote needs"));
    assert_int_equal(xc_rdb_doccount(r), 3);
    assert_int_equal(xc_rdb_shards(r), 1);
    /* Every live part answers. */
    assert_int_equal(xc_rdb_check_parts(r), 0);
    /* The missing part appears: a retry brings it back. */
    snprintf(sb, sizeof sb, "%s.missing", b);
    assert_int_equal(rename(b, sb), 0);
    uint64_t rev0 = 0, rev1 = 0, rev2 = 0;
    assert_int_equal(xc_rdb_revision(r, &rev0), XC_OK);
    assert_int_equal(xc_rdb_retry_parts(r, 60000), 0);   /* not yet due */
    assert_int_equal(xc_rdb_retry_parts(r, 0), 1);
    assert_int_equal(xc_rdb_part_alive(r, 1), 1);
    assert_int_equal(xc_rdb_doccount(r), 5);
    assert_int_equal(xc_rdb_shards(r), 2);
    assert_int_equal(xc_rdb_revision(r, &rev1), XC_OK);
    assert_true(rev1 != rev0);
    /* Dropped by hand: the others alone, and the revision moves again. */
    assert_int_equal(xc_rdb_drop_part(r, 0, "gone"), XC_OK);
    assert_string_equal(xc_rdb_part_error(r, 0), "gone");
    assert_int_equal(xc_rdb_doccount(r), 2);
    assert_int_equal(xc_rdb_revision(r, &rev2), XC_OK);
    assert_true(rev2 != rev1);
    assert_int_equal(xc_rdb_drop_part(r, 9, "x"), XC_ERR_INVALID);
    xc_rdb_close(r);

    /* None opens: an error naming each part. */
    const char *none[] = { "auto /nonexistent/x", "remote 127.0.0.1:0" };
    assert_int_not_equal(xc_rdb_open_parts(none, 2, 500, &r, err, sizeof err), XC_OK);
    assert_null(r);
    assert_non_null(strstr(err, "auto /nonexistent/x: "));
    assert_non_null(strstr(err, "remote 127.0.0.1:0: "));
    /* A handle of xc_rdb_open has no parts. */
    assert_int_equal(xc_rdb_open(a, &r, err, sizeof err), XC_OK);
    assert_int_equal(xc_rdb_parts(r), 0);
    assert_int_equal(xc_rdb_check_parts(r), 0);
    xc_rdb_close(r);
}

/* ---- the searcher ---------------------------------------------------------- */

static void index_one(const char *name, const char *id, const char *body)
{
    char p[256], err[256];
    path_of(p, sizeof p, name);
    tg_index *ix = tg_index_open(p, NULL, err, sizeof err);
    assert_non_null(ix);
    tg_article a;
    tg_article_init(&a);
    tg_article_set(&a.id, id, (size_t)-1);
    tg_article_set(&a.title, "Report", (size_t)-1);
    tg_article_set(&a.body, body, (size_t)-1);
    tg_add_result res;
    assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
    tg_article_clear(&a);
    assert_int_equal(tg_index_close(ix), TG_OK);
}

static void test_searcher_partial(void **state)
{
    (void)state;
    index_one("t0.db", "first", "The garrison at the river fort held out all winter.");
    index_one("t1.db", "second", "A second garrison marched north to the river.");
    char d0[256], d1[256], err[512];
    path_of(d0, sizeof d0, "t0.db");
    path_of(d1, sizeof d1, "t1.db");
    make_dir("ts");
    char stub[256], text[700];
    snprintf(text, sizeof text, "auto %s\nauto %s.gone\n", d0, d1);
    write_file("ts/stub", text);
    path_of(stub, sizeof stub, "ts/stub");

    /* Both: complete results. */
    const char *both[] = { d0, d1 };
    tg_searcher *s = tg_searcher_open_multi(both, 2, NULL, err, sizeof err);
    assert_non_null(s);
    assert_null(tg_searcher_warning(s));
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, "garrison", NULL, &r), TG_OK);
    assert_int_equal(r->nhits, 2);
    assert_int_equal(r->partial, 0);
    assert_int_equal(r->nshards_failed, 0);
    tg_results_free(r);
    tg_searcher_close(s);

    /* One part missing: the other's results, partial, the part named. */
    const char *one[] = { stub };
    s = tg_searcher_open_multi(one, 1, NULL, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(tg_search(s, "garrison", NULL, &r), TG_OK);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "first");
    assert_int_equal(r->partial, 1);
    assert_int_equal(r->nshards_failed, 1);
    snprintf(text, sizeof text, "auto %s.gone", d1);
    assert_string_equal(r->shards_failed[0].shard, text);
    assert_true(strlen(r->shards_failed[0].error) > 0);
    tg_results_free(r);
    tg_searcher_close(s);

    /* complete: the search fails, naming the part. */
    tg_searcher_config cfg = { .complete = 1 };
    s = tg_searcher_open_multi(one, 1, &cfg, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(tg_search(s, "garrison", NULL, &r), TG_ERR_DB);
    assert_null(r);
    assert_non_null(strstr(tg_searcher_errmsg(s), text));
    tg_searcher_close(s);

    /* A bad stub is an error at open; so is a missing lexicon. */
    write_file("ts/stub", "bogus line\n");
    assert_null(tg_searcher_open_multi(one, 1, NULL, err, sizeof err));
    assert_non_null(strstr(err, "stub:1: unknown line type 'bogus'"));
    cfg = (tg_searcher_config){ .lexicon = "/nonexistent/lexicon" };
    assert_null(tg_searcher_open_multi(both, 2, &cfg, err, sizeof err));
    assert_non_null(strstr(err, "lexicon /nonexistent/lexicon"));
    /* Remote parts without a lexicon: a warning. */
    snprintf(text, sizeof text, "auto %s\nremote 127.0.0.1:0\n", d0);
    write_file("ts/stub", text);
    s = tg_searcher_open_multi(one, 1, NULL, err, sizeof err);
    assert_non_null(s);
    assert_non_null(tg_searcher_warning(s));
    assert_non_null(strstr(tg_searcher_warning(s), "without a lexicon"));
    tg_searcher_close(s);
}

/* The JSON says partial and which shards failed, always (false and [] when
 * whole); the page shows a notice. */
static void test_render_partial(void **state)
{
    (void)state;
    tg_results r = { .query = "q", .parsed = "q" };
    tg_render_opts o = { 0 };
    tg_buf out = { 0 };
    assert_int_equal(tg_render_json(&r, &o, &out), TG_OK);
    assert_non_null(strstr(tg_buf_str(&out), "\"partial\":false,\"shards_failed\":[]"));
    tg_buf_free(&out);
    tg_shard_failure f = { .shard = "remote 10.0.0.2:7001", .error = "NetworkError: \"x\"" };
    r.partial = 1;
    r.shards_failed = &f;
    r.nshards_failed = 1;
    assert_int_equal(tg_render_json(&r, &o, &out), TG_OK);
    assert_non_null(strstr(tg_buf_str(&out), "\"partial\":true,\"shards_failed\":[{\"shard\":"
                                             "\"remote 10.0.0.2:7001\",\"error\":"
                                             "\"NetworkError: \\\"x\\\"\"}]"));
    tg_buf_free(&out);
    tg_web_query wq = { .q = "q" };
    assert_int_equal(tg_render_html_results(&r, &wq, 0.1, NULL, &out), TG_OK);
    assert_non_null(strstr(tg_buf_str(&out), "Partial results"));
    assert_non_null(strstr(tg_buf_str(&out), "remote 10.0.0.2:7001 (NetworkError: &quot;x&quot;)"));
    tg_buf_free(&out);
    r.partial = 0;
    r.nshards_failed = 0;
    assert_int_equal(tg_render_html_results(&r, &wq, 0.1, NULL, &out), TG_OK);
    assert_null(strstr(tg_buf_str(&out), "Partial results"));
    tg_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stub_lines),
        cmocka_unit_test(test_stub_errors),
        cmocka_unit_test(test_db_values),
        cmocka_unit_test(test_lexicon_reads),
        cmocka_unit_test(test_parts_drop_and_retry),
        cmocka_unit_test(test_searcher_partial),
        cmocka_unit_test(test_render_partial),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
