/* Unit tests: the public API (include/tigris.h) - add, commit, search,
 * iterate, errors - and what it shares with the indexer: the walk of
 * folders (links, cycles, hidden files), the table of ids met twice, and
 * the compaction swap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tigris.h"
#include "tg_status.h"
#include "tg_walk.h"

#include "scratch.h"

static char root[256];

static int setup(void **state)
{
    (void)state;
    assert_int_equal(scratch_make(root, sizeof root, "tg_tigris_test"), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return scratch_remove(root);
}

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", root, name);
}

static void write_file(const char *name, const char *text)
{
    char p[512];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *name)
{
    char p[512];
    path_of(p, sizeof p, name);
    assert_int_equal(mkdir(p, 0755), 0);
}

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(tigris_version(), TIGRIS_VERSION_STRING);
    assert_int_equal(TIGRIS_VERSION_NUMBER, 0x000100);
    assert_string_equal(tigris_status_string(TIGRIS_OK), "success");
    assert_string_equal(tigris_status_string(TIGRIS_ERR_LOCKED),
                        tg_status_to_string(TG_ERR_LOCKED));
    assert_true(strlen(tigris_xapian_version()) >= 5);
}

static const char *const TAGS[] = { "Iraq", "militias" };

static void test_add_search(void **state)
{
    (void)state;
    char db[512], err[256];
    path_of(db, sizeof db, "api.db");
    tigris_index *ix = tigris_index_open(db, NULL, err, sizeof err);
    assert_non_null(ix);
    tigris_article a = { .id = "kh", .url = "https://example.org/kh",
                         .title = "Kataib Hezbollah", .date = "2016-05-01",
                         .body = "Kataib Hezbollah is a militia in Iraq.\n\nIt was formed in 2007.",
                         .tags = TAGS, .ntags = 2 };
    tigris_added added;
    assert_int_equal(tigris_index_add(ix, &a, &added), TIGRIS_OK);
    assert_int_equal(added, TIGRIS_ADDED_NEW);
    tigris_article b = { .id = "river", .title = "The river",
                         .body = "The river rose in spring and the market moved uphill." };
    assert_int_equal(tigris_index_add(ix, &b, &added), TIGRIS_OK);
    /* the same content again: nothing written */
    assert_int_equal(tigris_index_add(ix, &b, &added), TIGRIS_OK);
    assert_int_equal(added, TIGRIS_ADDED_UNCHANGED);
    /* the caller's errors, with their reason on the handle */
    tigris_article noid = { .body = "text" };
    assert_int_equal(tigris_index_add(ix, &noid, NULL), TIGRIS_ERR_ARG);
    assert_non_null(strstr(tigris_index_errmsg(ix), "no id"));
    tigris_article bad = { .id = "bad", .body = "caf\xe9" };
    assert_int_equal(tigris_index_add(ix, &bad, NULL), TIGRIS_ERR_ARG);
    assert_non_null(strstr(tigris_index_errmsg(ix), "UTF-8"));
    assert_int_equal(tigris_index_commit(ix), TIGRIS_OK);
    assert_int_equal(tigris_index_count(ix), 2);

    /* a second writer is refused while the first holds the database */
    assert_null(tigris_index_open(db, NULL, err, sizeof err));
    assert_true(strlen(err) > 0);

    tigris_searcher *s = tigris_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(tigris_searcher_count(s), 2);
    tigris_results *r = NULL;
    assert_int_equal(tigris_search(s, "hezbollah militia", 0, 5, &r), TIGRIS_OK);
    assert_int_equal(tigris_results_count(r), 1);
    assert_true(tigris_results_total(r) >= 1);
    tigris_hit h;
    size_t n = 0;
    for (size_t i = 0; tigris_results_hit(r, i, &h) == 0; i++) {
        assert_string_equal(h.id, "kh");
        assert_string_equal(h.title, "Kataib Hezbollah");
        assert_string_equal(h.date, "2016-05-01");
        assert_string_equal(h.author, "");
        assert_non_null(strstr(h.passage, "militia"));
        assert_true(h.score > 0);
        n++;
    }
    assert_int_equal(n, 1);
    char *json = tigris_results_json(r);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"id\":\"kh\""));
    free(json);
    tigris_results_free(r);

    /* a query over a limit is the query's fault, said on the searcher */
    char big[5000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    r = (tigris_results *)1;
    assert_int_equal(tigris_search(s, big, 0, 5, &r), TIGRIS_ERR_LIMIT);
    assert_null(r);
    assert_true(strlen(tigris_searcher_errmsg(s)) > 0);

    /* deleted, committed, seen after a reopen */
    assert_int_equal(tigris_index_delete(ix, "kh"), TIGRIS_OK);
    assert_int_equal(tigris_index_close(ix), TIGRIS_OK);
    assert_int_equal(tigris_searcher_reopen(s), TIGRIS_OK);
    assert_int_equal(tigris_search(s, "hezbollah", 0, 0, &r), TIGRIS_OK);
    assert_int_equal(tigris_results_count(r), 0);
    assert_int_equal(tigris_results_hit(r, 0, &h), -1);
    tigris_results_free(r);
    tigris_searcher_close(s);

    /* NULL everywhere a handle is freed */
    tigris_results_free(NULL);
    tigris_searcher_close(NULL);
    assert_int_equal(tigris_index_close(NULL), TIGRIS_OK);
}

static void test_open_errors(void **state)
{
    (void)state;
    char db[512], err[256] = "";
    path_of(db, sizeof db, "absent.db");
    assert_null(tigris_searcher_open(db, err, sizeof err));
    assert_true(strlen(err) > 0);
    write_file("notadir", "x");
    path_of(db, sizeof db, "notadir");
    err[0] = '\0';
    assert_null(tigris_index_open(db, NULL, err, sizeof err));
    assert_true(strlen(err) > 0);
    assert_null(tigris_index_open(db, NULL, NULL, 0)); /* no errbuf: allowed */
}

typedef struct msgs {
    int n;
    char all[4096];
} msgs;

static void on_message(const char *where, const char *message, void *ud)
{
    msgs *m = ud;
    m->n++;
    size_t l = strlen(m->all);
    snprintf(m->all + l, sizeof m->all - l, "%s: %s\n", where, message);
}

static const char JSONL_A[] =
    "{\"id\":\"a1\",\"url\":\"https://e.org/a1\",\"title\":\"Basra port\",\"date\":\"2015-01-02\","
    "\"body\":\"The port of Basra reopened after the flood.\"}\n"
    "{\"id\":\"a2\",\"url\":\"https://e.org/a2\",\"title\":\"Mosul dam\",\"date\":\"2015-02-03\","
    "\"body\":\"Engineers inspected the Mosul dam again.\"}\n"
    "{\"id\":\"a1\",\"url\":\"https://e.org/a1\",\"title\":\"Basra port\",\"date\":\"2015-01-02\","
    "\"body\":\"The port of Basra reopened after the flood, again.\"}\n";
static const char JSONL_B[] =
    "{\"id\":\"a2\",\"url\":\"https://e.org/a2\",\"title\":\"Mosul dam\",\"date\":\"2015-02-03\","
    "\"body\":\"Engineers inspected the Mosul dam again.\"}\n"
    "{\"id\":\"b1\",\"url\":\"https://e.org/b1\",\"title\":\"Kirkuk oil\",\"date\":\"2016-03-04\","
    "\"body\":\"Oil from Kirkuk flowed north.\"}\n";

static void test_index_path(void **state)
{
    (void)state;
    make_dir("arch");
    make_dir("arch/sub");
    write_file("arch/a.jsonl", JSONL_A);
    write_file("arch/sub/b.jsonl", JSONL_B);
    write_file("arch/.hidden.jsonl", JSONL_B);
    write_file("arch/notes.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x01\x02\x03");
    char p[512], q[512], db[512], err[256];
    /* a link to the parent folder (a cycle) and a second name for a file */
    path_of(p, sizeof p, "arch/sub/up");
    assert_int_equal(symlink("..", p), 0);
    path_of(p, sizeof p, "arch/sub/again.jsonl");
    assert_int_equal(symlink("b.jsonl", p), 0);

    path_of(db, sizeof db, "walk.db");
    tigris_index *ix = tigris_index_open(db, NULL, err, sizeof err);
    assert_non_null(ix);
    msgs m = { 0 };
    tigris_path_stats st = { 0 };
    path_of(q, sizeof q, "arch");
    assert_int_equal(tigris_index_path(ix, q, on_message, &m, &st), TIGRIS_OK);
    assert_int_equal(st.files, 2);          /* a.jsonl and sub/b.jsonl, once each */
    assert_int_equal(st.files_skipped, 1);  /* notes.png */
    assert_int_equal(st.files_failed, 0);
    assert_int_equal(st.added, 3);
    assert_int_equal(st.bad_entries, 1);    /* a1 twice within a.jsonl */
    assert_non_null(strstr(m.all, "duplicate id \"a1\""));
    assert_non_null(strstr(m.all, "id \"a2\" was read before"));
    assert_non_null(strstr(m.all, "notes.png: "));
    assert_null(strstr(m.all, "hidden"));
    assert_int_equal(tigris_index_close(ix), TIGRIS_OK);

    /* a path that does not exist is a failed file, reported, not an error */
    ix = tigris_index_open(db, NULL, err, sizeof err);
    assert_non_null(ix);
    memset(&m, 0, sizeof m);
    path_of(q, sizeof q, "nowhere");
    assert_int_equal(tigris_index_path(ix, q, on_message, &m, &st), TIGRIS_OK);
    assert_int_equal(st.files_failed, 1);
    assert_int_equal(m.n, 1);

    /* an empty file in a folder is no image beside the pages: it failed,
     * as with the indexer, and is not skipped */
    make_dir("arch2");
    write_file("arch2/empty.jsonl", "");
    memset(&m, 0, sizeof m);
    memset(&st, 0, sizeof st);
    path_of(q, sizeof q, "arch2");
    assert_int_equal(tigris_index_path(ix, q, on_message, &m, &st), TIGRIS_OK);
    assert_int_equal(st.files_failed, 1);
    assert_int_equal(st.files_skipped, 0);
    assert_non_null(strstr(m.all, "empty.jsonl: "));
    assert_int_equal(tigris_index_close(ix), TIGRIS_OK);

    /* compacted in place: the same articles found */
    assert_int_equal(tigris_compact(db, err, sizeof err), TIGRIS_OK);
    path_of(p, sizeof p, "walk.db.compact-old");
    assert_int_equal(access(p, F_OK), -1);
    tigris_searcher *s = tigris_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(tigris_searcher_count(s), 3);
    tigris_results *r;
    assert_int_equal(tigris_search(s, "Kirkuk", 0, 10, &r), TIGRIS_OK);
    assert_int_equal(tigris_results_count(r), 1);
    tigris_results_free(r);
    tigris_searcher_close(s);
    path_of(p, sizeof p, "absent.db");
    assert_int_equal(tigris_compact(p, err, sizeof err), TIGRIS_ERR_DB);
    assert_non_null(strstr(err, "cannot compact"));
}

/* The walk alone: order, links, what is named. */
static void test_walk(void **state)
{
    (void)state;
    make_dir("w");
    make_dir("w/b");
    write_file("w/b/2.txt", "x");
    write_file("w/a.txt", "xy");
    write_file("w/c.txt", "xyz");
    char p[512];
    path_of(p, sizeof p, "w/b/loop");
    assert_int_equal(symlink("../../w", p), 0);
    tg_walk w = { 0 };
    path_of(p, sizeof p, "w");
    assert_int_equal(tg_walk_add(&w, p), 0);
    path_of(p, sizeof p, "w/a.txt");
    assert_int_equal(tg_walk_add(&w, p), 0); /* named again: taken once */
    assert_int_equal(w.npaths, 3);
    assert_non_null(strstr(w.paths[0], "w/a.txt"));
    assert_non_null(strstr(w.paths[1], "w/b/2.txt"));
    assert_non_null(strstr(w.paths[2], "w/c.txt"));
    assert_int_equal(w.named[0], 0);
    assert_int_equal(w.bytes_total, 6);
    assert_int_equal(w.dir_links, 1);
    assert_non_null(strstr(w.first_dir_link, "w/b/loop"));
    tg_walk_free(&w);
    assert_int_equal(w.npaths, 0);
    tg_walk_free(NULL);
}

static void test_seen_ids(void **state)
{
    (void)state;
    char *paths[] = { "f1.xml", "f2.xml" };
    char first[256];
    tg_seen_ids s = { 0 };
    assert_int_equal(tg_seen_ids_note(&s, "x", 0, paths, "f1.xml:entry 3", first, sizeof first),
                     TG_SEEN_NEW);
    assert_int_equal(tg_seen_ids_note(&s, "y", 0, paths, NULL, first, sizeof first), TG_SEEN_NEW);
    assert_int_equal(tg_seen_ids_note(&s, "x", 0, paths, "f1.xml:entry 9", first, sizeof first),
                     TG_SEEN_SAME_FILE);
    assert_string_equal(first, "f1.xml:entry 3");
    assert_int_equal(tg_seen_ids_note(&s, "x", 1, paths, "f2.xml:4", first, sizeof first),
                     TG_SEEN_OTHER_FILE);
    assert_string_equal(first, "f1.xml:entry 9"); /* the later reading is remembered */
    assert_int_equal(tg_seen_ids_note(&s, "y", 1, paths, NULL, first, sizeof first),
                     TG_SEEN_OTHER_FILE);
    assert_string_equal(first, "f1.xml");
    tg_seen_ids_free(&s);
    tg_seen_ids_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test_setup_teardown(test_add_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walk, setup, teardown),
        cmocka_unit_test(test_seen_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
