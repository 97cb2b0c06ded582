/* Unit tests: tg_index_file (lib/index_file.c), the per-file job of the
 * indexer and of tigris_index_path, on the inputs of
 * $TG_TESTDATA/index_file (see its README.md): what is counted, and which
 * kind of message each case gives. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_index.h"
#include "tg_index_file.h"
#include "tg_walk.h"

#include "scratch.h"

static char root[256];
static char data[512];

typedef struct seen_msgs {
    int n[TG_FILE_MSG_DB_FAILED + 1];  /* per kind */
    char all[8192];                    /* "KIND ORIGIN: TEXT" lines */
    size_t articles;                   /* the last progress report */
    int progress_calls;
} seen_msgs;

static void on_message(const tg_file_msg *m, void *ud)
{
    seen_msgs *s = ud;
    s->n[m->kind]++;
    size_t l = strlen(s->all);
    snprintf(s->all + l, sizeof s->all - l, "%d %s: %s\n", (int)m->kind,
             m->origin ? m->origin : "-", m->text);
}

static void on_progress(size_t articles, uint64_t bytes, void *ud)
{
    seen_msgs *s = ud;
    s->articles = articles;
    s->progress_calls++;
    assert_true(bytes > 0);
}

static int setup(void **state)
{
    (void)state;
    const char *dir = getenv("TG_TESTDATA");
    snprintf(data, sizeof data, "%s/index_file", dir ? dir : "tests/data");
    assert_int_equal(scratch_make(root, sizeof root, "tg_index_file_test"), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return scratch_remove(root);
}

static tg_index *open_db(const char *name)
{
    char p[512], err[512];
    snprintf(p, sizeof p, "%s/%s", root, name);
    tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
    o.no_entities = 1;
    o.jobs = 1;
    tg_index *ix = tg_index_open(p, &o, err, sizeof err);
    if (!ix)
        fail_msg("%s", err);
    return ix;
}

/* The index of the file whose name ends in name in w. */
static size_t file_of(const tg_walk *w, const char *name)
{
    for (size_t i = 0; i < w->npaths; i++) {
        size_t n = strlen(w->paths[i]), k = strlen(name);
        if (n >= k && strcmp(w->paths[i] + n - k, name) == 0)
            return i;
    }
    fail_msg("%s not walked", name);
    return 0;
}

static tg_index_file_opts opts_for(seen_msgs *s)
{
    tg_index_file_opts o = TG_INDEX_FILE_OPTS_DEFAULT;
    o.on_message = on_message;
    o.on_progress = on_progress;
    o.ud = s;
    return o;
}

/* The folder as the indexer reads it: every file, in order, one id table. */
static void test_folder(void **state)
{
    (void)state;
    tg_index *ix = open_db("folder.db");
    tg_walk w = { 0 };
    tg_seen_ids seen = { 0 };
    assert_int_equal(tg_walk_add(&w, data), 0);
    assert_int_equal(w.npaths, 5);
    seen_msgs s = { 0 };
    tg_index_file_opts o = opts_for(&s);
    tg_index_file_stats st = { 0 };
    /* good.jsonl first, so that twice.jsonl meets g2 again */
    const char *order[] = { "good.jsonl", "bad-line.jsonl", "twice.jsonl", "pixel.png",
                            "README.md" };
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(tg_index_file(ix, &w, file_of(&w, order[i]), &seen, &o, &st), TG_OK);
    assert_int_equal(st.files, 3);
    assert_int_equal(st.files_skipped, 2);  /* the image and the README */
    assert_int_equal(st.files_failed, 0);
    assert_int_equal(st.added, 5);          /* g1 g2 b1 b3 t1 */
    assert_int_equal(st.replaced, 1);       /* t1, read again with another body */
    assert_int_equal(st.unchanged, 1);      /* g2 in twice.jsonl */
    assert_int_equal(st.bad_entries, 1);    /* the line that is not JSON */
    assert_int_equal(st.duplicate_ids, 1);  /* t1 twice in twice.jsonl */
    assert_int_equal(st.failed_articles, 0);
    assert_int_equal(st.removed, 0);
    assert_true(st.bytes >= 322 + 288 + 419);
    assert_int_equal(s.n[TG_FILE_MSG_SKIPPED], 2);
    assert_int_equal(s.n[TG_FILE_MSG_BAD_ENTRY], 1);
    assert_int_equal(s.n[TG_FILE_MSG_DUPLICATE_ID], 1);
    assert_int_equal(s.n[TG_FILE_MSG_NOTE], 1);
    assert_int_equal(s.n[TG_FILE_MSG_FILE_FAILED], 0);
    assert_int_equal(s.n[TG_FILE_MSG_DB_FAILED], 0);
    assert_non_null(strstr(s.all, "pixel.png: skipped: binary file"));
    assert_non_null(strstr(s.all, "bad-line.jsonl:2: "));
    assert_non_null(strstr(s.all, "duplicate id \"t1\" (first seen at "));
    assert_non_null(strstr(s.all, "id \"g2\" was read before, from "));
    assert_int_equal(s.articles, 7);
    assert_int_equal(s.progress_calls, 7);
    assert_int_equal(tg_index_close(ix), TG_OK);
    tg_walk_free(&w);
    tg_seen_ids_free(&seen);
}

/* Named, the image is a failed file; quiet keeps the skips and notes
 * quiet but not the failures. */
static void test_named_and_quiet(void **state)
{
    (void)state;
    tg_index *ix = open_db("named.db");
    char p[600];
    snprintf(p, sizeof p, "%s/pixel.png", data);
    tg_walk w = { 0 };
    assert_int_equal(tg_walk_add(&w, p), 0);
    assert_int_equal(w.npaths, 1);
    assert_true(w.named[0]);
    seen_msgs s = { 0 };
    tg_index_file_opts o = opts_for(&s);
    o.quiet = 1;
    tg_index_file_stats st = { 0 };
    assert_int_equal(tg_index_file(ix, &w, 0, NULL, &o, &st), TG_OK);
    assert_int_equal(st.files_failed, 1);
    assert_int_equal(st.files_skipped, 0);
    assert_int_equal(st.files, 0);
    assert_int_equal(s.n[TG_FILE_MSG_FILE_FAILED], 1);
    assert_non_null(strstr(s.all, "binary"));
    tg_walk_free(&w);

    /* the folder, quietly: the skips are counted, not told */
    memset(&s, 0, sizeof s);
    memset(&st, 0, sizeof st);
    assert_int_equal(tg_walk_add(&w, data), 0);
    assert_int_equal(tg_index_file(ix, &w, file_of(&w, "pixel.png"), NULL, &o, &st), TG_OK);
    assert_int_equal(st.files_skipped, 1);
    assert_int_equal(st.files_failed, 0);
    assert_int_equal(s.n[TG_FILE_MSG_SKIPPED], 0);

    /* cancelled before the first article: nothing read, no failure */
    volatile sig_atomic_t cancel = 1;
    o.cancel = &cancel;
    assert_int_equal(tg_index_file(ix, &w, file_of(&w, "good.jsonl"), NULL, &o, &st), TG_OK);
    assert_int_equal(st.added, 0);
    assert_int_equal(st.files_failed, 0);
    tg_walk_free(&w);
    assert_int_equal(tg_index_close(ix), TG_OK);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Prune: an article a re-read file no longer has goes, only with prune. */
static void test_prune(void **state)
{
    (void)state;
    static const char three[] =
        "{\"id\":\"p1\",\"title\":\"One\",\"body\":\"The first river article.\"}\n"
        "{\"id\":\"p2\",\"title\":\"Two\",\"body\":\"The second river article.\"}\n"
        "{\"id\":\"p3\",\"title\":\"Three\",\"body\":\"The third river article.\"}\n";
    static const char two[] =
        "{\"id\":\"p1\",\"title\":\"One\",\"body\":\"The first river article.\"}\n"
        "{\"id\":\"p3\",\"title\":\"Three\",\"body\":\"The third river article.\"}\n";
    char p[600];
    snprintf(p, sizeof p, "%s/prune.jsonl", root);
    write_text(p, three);
    tg_index *ix = open_db("prune.db");
    seen_msgs s = { 0 };
    tg_index_file_opts o = opts_for(&s);
    o.prune = 1;
    tg_index_file_stats st = { 0 };
    tg_walk w = { 0 };
    assert_int_equal(tg_walk_add(&w, p), 0);
    assert_int_equal(tg_index_file(ix, &w, 0, NULL, &o, &st), TG_OK);
    assert_int_equal(st.added, 3);
    assert_int_equal(tg_index_doccount(ix), 3);

    /* re-read without prune: p2 stays */
    write_text(p, two);
    o.prune = 0;
    memset(&st, 0, sizeof st);
    assert_int_equal(tg_index_file(ix, &w, 0, NULL, &o, &st), TG_OK);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(st.removed, 0);
    assert_int_equal(tg_index_doccount(ix), 3);

    /* with prune: p2 goes */
    o.prune = 1;
    memset(&st, 0, sizeof st);
    assert_int_equal(tg_index_file(ix, &w, 0, NULL, &o, &st), TG_OK);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(st.removed, 1);
    assert_int_equal(tg_index_doccount(ix), 2);
    assert_int_equal(s.n[TG_FILE_MSG_FILE_FAILED] + s.n[TG_FILE_MSG_DB_FAILED], 0);
    tg_walk_free(&w);
    assert_int_equal(tg_index_close(ix), TG_OK);
}

/* Which statuses of tg_index_add stop a run. */
static void test_fatal_statuses(void **state)
{
    (void)state;
    assert_true(tg_index_status_is_fatal(TG_ERR_DB));
    assert_true(tg_index_status_is_fatal(TG_ERR_NOMEM));
    assert_true(tg_index_status_is_fatal(TG_ERR_LOCKED));
    assert_true(tg_index_status_is_fatal(TG_ERR_IO));
    assert_false(tg_index_status_is_fatal(TG_OK));
    assert_false(tg_index_status_is_fatal(TG_ERR_LIMIT));
    assert_false(tg_index_status_is_fatal(TG_ERR_ARG));
    assert_false(tg_index_status_is_fatal(TG_ERR_FORMAT));
}

/* Where an id was first read comes back exactly, whatever the shape of the
 * place: a line, a feed entry, none, or anything else (kept as text). */
static void test_seen_ids_places(void **state)
{
    (void)state;
    char *paths[] = { "a.jsonl", "feed.xml", "page.html", "odd.txt", "b.jsonl" };
    tg_seen_ids s = { 0 };
    char first[256];
    struct { const char *id; size_t file; const char *origin; } reads[] = {
        { "x1", 0, "a.jsonl:12" },          { "x2", 1, "feed.xml:entry 3" },
        { "x3", 2, "page.html" },           { "x4", 3, "odd.txt#part two" },
        { "x5", 0, "a.jsonl:007" },         { "x6", 0, "a.jsonl:137438953472" },
        { "x7", 1, NULL },                  { "x8", 0, "a.jsonl:0" },
    };
    size_t n = sizeof reads / sizeof *reads;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tg_seen_ids_note(&s, reads[i].id, reads[i].file, paths, reads[i].origin,
                                          first, sizeof first), TG_SEEN_NEW);
    for (size_t i = 0; i < n; i++) {
        size_t again = i % 2 ? reads[i].file : 4;
        int rc = tg_seen_ids_note(&s, reads[i].id, again, paths, "b.jsonl:5", first, sizeof first);
        assert_int_equal(rc, again == reads[i].file ? TG_SEEN_SAME_FILE : TG_SEEN_OTHER_FILE);
        assert_string_equal(first, reads[i].origin ? reads[i].origin : paths[reads[i].file]);
    }
    /* The later reading is remembered. */
    assert_int_equal(tg_seen_ids_note(&s, "x1", 0, paths, "a.jsonl:1", first, sizeof first),
                     TG_SEEN_OTHER_FILE);
    assert_string_equal(first, "b.jsonl:5");
    tg_seen_ids_free(&s);
    tg_seen_ids_free(&s);   /* empty again: freeing twice is fine */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seen_ids_places),
        cmocka_unit_test(test_folder),
        cmocka_unit_test(test_named_and_quiet),
        cmocka_unit_test(test_prune),
        cmocka_unit_test(test_fatal_statuses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
