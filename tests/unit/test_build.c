/* Unit tests: the parallel build of a new database (lib/index_build.c)
 * against the serial writer, its stub while it runs, and finishing what
 * a killed build left. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tg_index.h"
#include "tg_schema.h"
#include "tg_search.h"
#include "xapian_c.h"

#include "scratch.h"

static char root[256];

static int setup(void **state)
{
    (void)state;
    assert_int_equal(scratch_make(root, sizeof root, "tg_build_test"), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return scratch_remove(root);
}

static int exists(const char *dir, const char *name)
{
    char p[512];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &sb) == 0;
}

static const char *PLACES[] = { "Basra", "Mosul", "Kirkuk", "Najaf", "Erbil", "Tikrit" };

/* Article i of the test archive: varied words, an alias defined in one
 * article and used in others, and variant spellings of one name. */
static void make_article(tg_article *a, int i, int version)
{
    char id[32], url[64], title[128], body[1024];
    tg_article_init(a);
    snprintf(id, sizeof id, "art-%d", i);
    snprintf(url, sizeof url, "https://example.org/%d", i);
    snprintf(title, sizeof title, "News from %s number %d", PLACES[i % 6], i);
    const char *name = i % 3 == 0 ? "Hezbollah" : i % 3 == 1 ? "Hizballah" : "Hizbullah";
    snprintf(body, sizeof body,
             "%s%s Market traders in %s spoke about %s and the river. Word%d appears once.\n\n"
             "The council met on day %d; version %d of this report.",
             i == 7 ? "Kataib Hezbollah (KH) was formed in 2007. " : "",
             i % 5 == 0 ? "KH denied it." : "", PLACES[i % 6], name, i, i, version);
    tg_article_set(&a->id, id, (size_t)-1);
    tg_article_set(&a->url, url, (size_t)-1);
    tg_article_set(&a->title, title, (size_t)-1);
    tg_article_set(&a->body, body, (size_t)-1);
    tg_article_set(&a->date, "2019-05-01", (size_t)-1);
}

/* Feeds the same sequence to ix; returns the outcomes as letters. */
static void feed(tg_index *ix, char *outcomes)
{
    const char letter[] = { 'N', 'R', 'U', 'D' };
    size_t k = 0;
    for (int i = 0; i < 60; i++) {
        tg_article a;
        make_article(&a, i, 1);
        tg_add_result res;
        assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
        outcomes[k++] = letter[res];
        tg_article_clear(&a);
    }
    /* Repeats: same content (unchanged), new content (replaced), and a new
     * id with an old url (the same article reached twice). */
    for (int i = 0; i < 60; i += 10) {
        tg_article a;
        make_article(&a, i, i % 20 == 0 ? 1 : 2);
        tg_add_result res;
        assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
        outcomes[k++] = letter[res];
        tg_article_set(&a.id, "another-id", (size_t)-1);
        tg_article_set(&a.body, "Different text entirely.", (size_t)-1);
        assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
        outcomes[k++] = letter[res];
        tg_article_clear(&a);
    }
    outcomes[k] = '\0';
}

static tg_index *open_db(const char *path, unsigned jobs)
{
    tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
    o.jobs = jobs;
    char err[256];
    tg_index *ix = tg_index_open(path, &o, err, sizeof err);
    if (!ix)
        fail_msg("open %s: %s", path, err);
    return ix;
}

/* The ids of the first `limit` hits, sorted, comma-separated. */
static void hit_ids(const char *db, const char *q, char *out, size_t cap)
{
    char err[256];
    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    if (!s)
        fail_msg("searcher %s: %s", db, err);
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.limit = 100;
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, q, &o, &r), TG_OK);
    const char *ids[100];
    size_t n = r->nhits < 100 ? r->nhits : 100;
    for (size_t i = 0; i < n; i++)
        ids[i] = r->hits[i].id;
    for (size_t i = 1; i < n; i++)       /* insertion sort */
        for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            const char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(out, ids[i], cap - strlen(out) - 2);
        strcat(out, ",");
    }
    tg_results_free(r);
    tg_searcher_close(s);
}

static void test_parallel_matches_serial(void **state)
{
    (void)state;
    char serial[300], parallel[300];
    snprintf(serial, sizeof serial, "%s/serial", root);
    snprintf(parallel, sizeof parallel, "%s/parallel", root);
    char out_s[256], out_p[256];

    tg_index *ix = open_db(serial, 1);
    assert_int_equal(tg_index_jobs(ix), 1);
    feed(ix, out_s);
    uint32_t n_serial = tg_index_doccount(ix);
    assert_int_equal(tg_index_close(ix), TG_OK);

    ix = open_db(parallel, 3);
    assert_int_equal(tg_index_jobs(ix), 3);
    feed(ix, out_p);
    assert_string_equal(out_p, out_s);
    /* 60 new; the repeats: unchanged, replaced, ...; each other id a duplicate. */
    assert_string_equal(out_s + 60, "UDRDUDRDUDRD");
    assert_int_equal(tg_index_doccount(ix), n_serial);
    assert_int_equal(n_serial, 60);
    assert_int_equal(tg_index_finish(ix), TG_OK);
    assert_int_equal(tg_index_doccount(ix), 60);
    assert_int_equal(tg_index_close(ix), TG_OK);

    /* One ordinary database in the end: no stub, no shards. */
    assert_true(exists(parallel, "iamglass"));
    assert_false(exists(parallel, "XAPIANDB"));
    assert_false(exists(parallel, "shard-0"));

    /* The same answers, names and aliases included (learnt in different
     * shards and merged). */
    const char *queries[] = { "Basra", "river council", "KH", "Hezbollah", "Kataib Hezbollah",
                              "version 2", "word17", "Hizbulah" };
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        char a[2048], b[2048];
        hit_ids(serial, queries[i], a, sizeof a);
        hit_ids(parallel, queries[i], b, sizeof b);
        assert_string_equal(a, b);
        assert_true(strlen(a) > 0);
    }
    char ids[2048];
    hit_ids(parallel, "Hizballah", ids, sizeof ids);   /* every spelling */
    assert_non_null(strstr(ids, "art-0,"));
    assert_non_null(strstr(ids, "art-2,"));
}

static void test_stub_while_building(void **state)
{
    (void)state;
    char db[300];
    snprintf(db, sizeof db, "%s/live", root);
    tg_index *ix = open_db(db, 2);
    char outcomes[256];
    feed(ix, outcomes);
    assert_int_equal(tg_index_commit(ix), TG_OK);
    /* Committed work searches through the stub. */
    assert_true(exists(db, "XAPIANDB"));
    assert_true(exists(db, "shard-1"));
    char ids[2048];
    hit_ids(db, "word17", ids, sizeof ids);
    assert_string_equal(ids, "art-17,");
    /* A second writer is refused while the build runs. */
    char err[256];
    assert_int_equal(tg_index_finish_build(db, err, sizeof err), -1);
    /* ... naming the holder: this process. */
    char want[64];
    snprintf(want, sizeof want, "locked by PID %ld", (long)getpid());
    assert_non_null(strstr(err, want));
    tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
    assert_null(tg_index_open(db, &o, err, sizeof err));
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_false(exists(db, "XAPIANDB"));
    hit_ids(db, "word17", ids, sizeof ids);
    assert_string_equal(ids, "art-17,");
    /* An existing database is added to serially. */
    ix = open_db(db, 2);
    assert_int_equal(tg_index_jobs(ix), 1);
    tg_article a;
    make_article(&a, 61, 1);
    tg_add_result res;
    assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
    assert_int_equal(res, TG_ADD_NEW);
    tg_article_clear(&a);
    make_article(&a, 17, 1);
    assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
    assert_int_equal(res, TG_ADD_UNCHANGED);
    tg_article_clear(&a);
    assert_int_equal(tg_index_doccount(ix), 61);
    assert_int_equal(tg_index_close(ix), TG_OK);
}

/* What a killed build leaves: shards behind a stub; and a merge stopped
 * between its two renames. Both are finished, once. */
static void test_finish_interrupted(void **state)
{
    (void)state;
    char db[300], shard[320];
    snprintf(db, sizeof db, "%s/killed", root);
    assert_int_equal(mkdir(db, 0777), 0);
    for (int k = 0; k < 2; k++) {
        snprintf(shard, sizeof shard, "%s/shard-%d", db, k);
        tg_index *ix = open_db(shard, 1);
        for (int i = k; i < 20; i += 2) {
            tg_article a;
            make_article(&a, i, 1);
            assert_int_equal(tg_index_add(ix, &a, NULL), TG_OK);
            tg_article_clear(&a);
        }
        assert_int_equal(tg_index_close(ix), TG_OK);
    }
    char stub[320];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", db);
    FILE *f = fopen(stub, "w");
    assert_non_null(f);
    fputs("auto shard-0\nauto shard-1\n", f);
    fclose(f);
    char ids[2048];
    hit_ids(db, "word4 word5", ids, sizeof ids);
    assert_string_equal(ids, "art-4,art-5,");

    char err[256];
    assert_int_equal(tg_index_finish_build(db, err, sizeof err), 1);
    assert_true(exists(db, "iamglass"));
    assert_false(exists(db, "XAPIANDB"));
    hit_ids(db, "word4 word5", ids, sizeof ids);
    assert_string_equal(ids, "art-4,art-5,");
    assert_int_equal(tg_index_finish_build(db, err, sizeof err), 0);

    /* Stopped after "db -> db.merged-shards", before "db.merging -> db". */
    char merging[320], old[320];
    snprintf(merging, sizeof merging, "%s.merging", db);
    snprintf(old, sizeof old, "%s.merged-shards", db);
    assert_int_equal(rename(db, merging), 0);
    assert_int_equal(mkdir(old, 0777), 0);
    assert_int_equal(tg_index_finish_build(db, err, sizeof err), 1);
    assert_true(exists(db, "iamglass"));
    assert_false(exists(root, "killed.merged-shards"));
    tg_index *ix = open_db(db, 2);
    assert_int_equal(tg_index_doccount(ix), 20);
    assert_int_equal(tg_index_close(ix), TG_OK);
}

/* The commit hook: each commit told before and once durable, with the
 * writer's documents; in a parallel build per shard, adding up. */
typedef struct commit_log { int n; unsigned shard[64]; int done[64]; uint32_t docs[64]; } commit_log;
static void on_commit(void *ctx, unsigned shard, int committed, uint32_t docs)
{
    commit_log *l = ctx;
    if (l->n < 64) {
        l->shard[l->n] = shard;
        l->done[l->n] = committed;
        l->docs[l->n] = docs;
        l->n++;
    }
}

static void test_commit_hook(void **state)
{
    (void)state;
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        char db[300];
        snprintf(db, sizeof db, "%s/hook%u", root, jobs);
        commit_log l = { 0 };
        tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
        o.jobs = jobs;
        o.commit_every = 20;
        o.on_commit = on_commit;
        o.on_commit_ctx = &l;
        char err[256];
        tg_index *ix = tg_index_open(db, &o, err, sizeof err);
        assert_non_null(ix);
        char outcomes[256];
        feed(ix, outcomes);   /* 60 articles */
        assert_int_equal(tg_index_close(ix), TG_OK);
        /* begun, then durable with the same count, per shard */
        uint32_t last[2] = { 0, 0 };
        int begun[2] = { 0, 0 };
        for (int i = 0; i < l.n; i++) {
            unsigned s = l.shard[i];
            assert_true(s < jobs);
            if (!l.done[i]) {
                assert_false(begun[s]);
                begun[s] = 1;
                assert_true(l.docs[i] >= last[s]);
                last[s] = l.docs[i];
            } else {
                assert_true(begun[s]);
                assert_int_equal(l.docs[i], last[s]);
                begun[s] = 0;
            }
        }
        assert_int_equal(last[0] + last[1], 60);
        assert_true(l.n >= (int)(2 * 60 / 20));
    }
}

/* The heap budget: a batch is committed once the heap in use passes it
 * (here 1 byte, always passed) and the batch holds an eighth of its text,
 * at the next multiple of 32 articles; with the default budget the same
 * articles go in one commit at the end. What the lexicon learns does not
 * depend on where the heap cut the batches (in a parallel build that is
 * where the other threads' allocations happened to fall): a word seen
 * twice, at articles 5 and 300, is spelling data either way, although
 * the tiny budget commits between the two. */
static void test_heap_budget(void **state)
{
    (void)state;
    /* Under ASan the C library's heap is not the one in use: nothing to
     * measure the budget against. */
    /* volatile: a malloc freed unused is elided by the compiler, which
     * left this test's budget half unrun */
    void *volatile probe = malloc(1 << 20);
    struct mallinfo2 mi = mallinfo2();
    free(probe);
    int measurable = mi.uordblks + mi.hblkhd >= (1 << 20);
    for (int tiny = 0; tiny <= measurable; tiny++) {
        char db[300];
        snprintf(db, sizeof db, "%s/heap%d", root, tiny);
        commit_log l = { 0 };
        tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
        o.jobs = 1;
        o.heap_budget = tiny ? 1 : 0;
        o.on_commit = on_commit;
        o.on_commit_ctx = &l;
        char err[256];
        tg_index *ix = tg_index_open(db, &o, err, sizeof err);
        assert_non_null(ix);
        /* 400 articles of 8 KiB: 3.2 MiB of text, under TG_COMMIT_BYTES */
        char *body = malloc(8192 + 1);
        assert_non_null(body);
        for (int i = 0; i < 8192; i++)
            body[i] = " abcdefghij"[(i * 7 + i / 11) % 11];
        body[8192] = '\0';
        for (int i = 0; i < 400; i++) {
            tg_article a;
            tg_article_init(&a);
            char id[32];
            snprintf(id, sizeof id, "heap-%d", i);
            tg_article_set(&a.id, id, (size_t)-1);
            tg_article_set(&a.title, "Heap budget", (size_t)-1);
            tg_article_set(&a.body, body, (size_t)-1);
            if (i == 5 || i == 300)   /* once in the body: twice in the run */
                memcpy(a.body + 100, " zanzibarite ", 13);
            tg_add_result res;
            assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
            tg_article_clear(&a);
        }
        free(body);
        assert_int_equal(tg_index_close(ix), TG_OK);
        uint32_t first = 0;
        int commits = 0;
        for (int i = 0; i < l.n; i++)
            if (l.done[i] && l.docs[i] && commits++ == 0)
                first = l.docs[i];
        if (tiny) {
            /* an eighth of 8 MiB is 128 articles of 8 KiB: the first commit
             * at 128, then every 128 */
            assert_int_equal(first, (TG_COMMIT_BYTES / 8 + 8191) / 8192);
            assert_true(commits >= 3);
        } else {
            assert_int_equal(commits, 1);
            assert_int_equal(first, 400);
        }
        xc_rdb *rdb = NULL;
        assert_int_equal(xc_rdb_open(db, &rdb, err, sizeof err), XC_OK);
        char *sugg = NULL;
        assert_int_equal(xc_rdb_spelling_suggestion(rdb, "zanzibarte", 2, &sugg), XC_OK);
        assert_non_null(sugg);
        assert_string_equal(sugg, "zanzibarite");
        free(sugg);
        xc_rdb_close(rdb);
    }
}

/* ---- kept shards ---------------------------------------------------------- */

static tg_index *open_sharded(const char *path, unsigned shards, char *err, size_t errlen)
{
    tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
    o.jobs = 2;
    o.shards = shards;
    return tg_index_open(path, &o, err, errlen);
}

/* Documents of one shard, and whether it holds article art-<i>. */
static uint32_t shard_docs(const char *db, int k)
{
    char p[400], err[256];
    snprintf(p, sizeof p, "%s/shard-%d", db, k);
    xc_rdb *r = NULL;
    if (xc_rdb_open(p, &r, err, sizeof err))
        fail_msg("open %s: %s", p, err);
    uint32_t n = xc_rdb_doccount(r);
    xc_rdb_close(r);
    return n;
}

static int shard_has(const char *db, int k, int i)
{
    char p[400], err[256], term[32];
    snprintf(p, sizeof p, "%s/shard-%d", db, k);
    snprintf(term, sizeof term, "Qart-%d", i);
    xc_rdb *r = NULL;
    if (xc_rdb_open(p, &r, err, sizeof err))
        fail_msg("open %s: %s", p, err);
    uint32_t tf = xc_rdb_termfreq(r, term);
    xc_rdb_close(r);
    return tf > 0;
}

static void test_kept_shards(void **state)
{
    (void)state;
    char single[300], db[300], err[512];
    snprintf(single, sizeof single, "%s/one", root);
    snprintf(db, sizeof db, "%s/kept", root);
    char out_1[256], out_k[256];
    tg_index *ix = open_db(single, 1);
    feed(ix, out_1);
    assert_int_equal(tg_index_close(ix), TG_OK);

    ix = open_sharded(db, 3, err, sizeof err);
    assert_non_null(ix);
    assert_int_equal(tg_index_shards(ix), 3);
    assert_int_equal(tg_index_jobs(ix), 3);
    feed(ix, out_k);
    assert_string_equal(out_k, out_1);
    assert_int_equal(tg_index_close(ix), TG_OK);

    /* Not merged: three shards behind a marked stub, and a lexicon. */
    assert_false(exists(db, "iamglass"));
    assert_true(exists(db, "XAPIANDB"));
    assert_true(exists(db, "shard-2"));
    assert_true(exists(db, "lexicon"));
    assert_int_equal(tg_index_finish_build(db, err, sizeof err), 0);
    assert_false(exists(db, "iamglass"));
    uint32_t total = 0;
    int holders = 0;
    for (int k = 0; k < 3; k++) {
        uint32_t n = shard_docs(db, k);
        assert_true(n > 5);     /* 60 articles spread over all three */
        total += n;
        holders += shard_has(db, k, 17);
    }
    assert_int_equal(total, 60);
    assert_int_equal(holders, 1);

    /* The same answers as one database, names and aliases included. */
    const char *queries[] = { "Basra", "river council", "KH", "Hezbollah", "Kataib Hezbollah",
                              "version 2", "word17", "Hizbulah" };
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        char a[2048], b[2048];
        hit_ids(single, queries[i], a, sizeof a);
        hit_ids(db, queries[i], b, sizeof b);
        assert_string_equal(a, b);
        assert_true(strlen(a) > 0);
    }

    /* A later run finds the shards itself, and every article in its own
     * shard: same content unchanged, new content replaced in place, a new
     * id with a url another shard holds a duplicate, a delete found. */
    ix = open_db(db, 2);
    assert_int_equal(tg_index_shards(ix), 3);
    assert_int_equal(tg_index_jobs(ix), 1);
    char again[256], want[256];
    feed(ix, again);
    /* 10, 30 and 50 were left at their second version */
    memset(want, 'U', 60);
    want[10] = want[30] = want[50] = 'R';
    strcpy(want + 60, "UDRDUDRDUDRD");
    assert_string_equal(again, want);
    int where = -1;
    for (int k = 0; k < 3; k++)
        if (shard_has(db, k, 10))
            where = k;
    assert_int_equal(tg_index_delete(ix, "art-10"), TG_OK);
    tg_article a;
    make_article(&a, 10, 3);
    tg_article_set(&a.id, "art-100", (size_t)-1);
    tg_add_result res;
    assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
    tg_article_clear(&a);
    assert_int_equal(tg_index_doccount(ix), 60);
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_false(shard_has(db, where, 10));
    char ids[2048];
    hit_ids(db, "word10", ids, sizeof ids);
    assert_string_equal(ids, "art-100,");

    /* The shard count is the database's: not changed, not added to one. */
    assert_null(open_sharded(db, 2, err, sizeof err));
    assert_non_null(strstr(err, "kept in 3 shards"));
    assert_null(open_sharded(single, 2, err, sizeof err));
    assert_non_null(strstr(err, "is one database"));
    assert_non_null(ix = open_sharded(db, 3, err, sizeof err));
    assert_int_equal(tg_index_close(ix), TG_OK);

    /* --compact keeps them shards. */
    assert_int_equal(tg_index_compact(db, err, sizeof err), 0);
    assert_false(exists(db, "iamglass"));
    hit_ids(db, "word17", ids, sizeof ids);
    assert_string_equal(ids, "art-17,");

    /* A compaction stopped between its renames: the next run puts the
     * shard back (from the finished copy, or the old one). */
    char a1[400], a2[400];
    for (int round = 0; round < 2; round++) {
        snprintf(a1, sizeof a1, "%s/shard-%d", db, round);
        snprintf(a2, sizeof a2, "%s/shard-%d.%s", db, round, round ? "compact-tmp" : "compact-old");
        assert_int_equal(rename(a1, a2), 0);
        ix = open_db(db, 1);
        assert_int_equal(tg_index_doccount(ix), 60);
        assert_int_equal(tg_index_close(ix), TG_OK);
        assert_false(exists(db, round ? "shard-1.compact-tmp" : "shard-0.compact-old"));
    }
    hit_ids(db, "word17", ids, sizeof ids);
    assert_string_equal(ids, "art-17,");
}

/* Prune: the articles a re-read file no longer has go, whichever shard. */
static void test_kept_shards_prune(void **state)
{
    (void)state;
    char db[300], err[512];
    snprintf(db, sizeof db, "%s/prune", root);
    tg_index *ix = open_sharded(db, 2, err, sizeof err);
    assert_non_null(ix);
    char outcomes[256];
    assert_int_equal(tg_index_begin_source(ix, "/feed.xml"), TG_OK);
    feed(ix, outcomes);
    assert_int_equal(tg_index_end_source(ix, 1, NULL), TG_OK);
    assert_int_equal(tg_index_close(ix), TG_OK);
    ix = open_db(db, 1);
    assert_int_equal(tg_index_begin_source(ix, "/feed.xml"), TG_OK);
    for (int i = 0; i < 6; i++) {
        tg_article a;
        make_article(&a, i, 1);
        assert_int_equal(tg_index_add(ix, &a, NULL), TG_OK);
        tg_article_clear(&a);
    }
    size_t removed = 0;
    assert_int_equal(tg_index_end_source(ix, 1, &removed), TG_OK);
    assert_int_equal(removed, 54);
    assert_int_equal(tg_index_doccount(ix), 6);
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_true(shard_docs(db, 0) > 0 && shard_docs(db, 1) > 0);
}

typedef struct keys { char *all; size_t len, cap; int n; } keys;

static int on_key(const char *term, size_t len, uint32_t tf, void *ud)
{
    (void)tf;
    keys *k = ud;
    if (k->len + len + 2 > k->cap) {
        k->cap = (k->len + len + 2) * 2;
        k->all = realloc(k->all, k->cap);
        assert_non_null(k->all);
    }
    memcpy(k->all + k->len, term, len);
    k->len += len;
    k->all[k->len++] = '\n';
    k->all[k->len] = '\0';
    k->n++;
    return 0;
}

typedef struct pair_ctx { xc_rdb *db; keys *out; } pair_ctx;

/* Each synonym key followed by its entries. */
static int on_key_entries(const char *term, size_t len, uint32_t tf, void *ud)
{
    pair_ctx *p = ud;
    on_key(term, len, tf, p->out);
    char *key = strndup(term, len);
    assert_int_equal(xc_rdb_synonyms(p->db, key, on_key, p->out), XC_OK);
    free(key);
    return 0;
}

static void table_of(xc_rdb *r, keys *k)
{
    pair_ctx p = { r, k };
    assert_int_equal(xc_rdb_synonym_keys(r, "", on_key_entries, &p), XC_OK);
}

/* The lexicon holds what the shards learnt, all of it, and the terms'
 * frequencies, but no articles. */
static void test_lexicon(void **state)
{
    (void)state;
    char db[300], lex[320], err[512];
    snprintf(db, sizeof db, "%s/lex", root);
    snprintf(lex, sizeof lex, "%s/lexicon", db);
    tg_index *ix = open_sharded(db, 3, err, sizeof err);
    assert_non_null(ix);
    char outcomes[256];
    feed(ix, outcomes);
    assert_int_equal(tg_index_close(ix), TG_OK);

    xc_rdb *all = NULL, *l = NULL;
    assert_int_equal(xc_rdb_open(db, &all, err, sizeof err), XC_OK);
    assert_int_equal(xc_rdb_open(lex, &l, err, sizeof err), XC_OK);
    /* Its few documents carry each term's frequency over all shards as
     * its collection frequency (not the ids: one article each). */
    assert_true(xc_rdb_doccount(l) >= 1 && xc_rdb_doccount(l) <= 2);
    const char *terms[] = { "basra", "hezbollah", "river", "Zcouncil", "council" };
    for (size_t i = 0; i < 5; i++) {
        assert_true(xc_rdb_termfreq(all, terms[i]) > 0);
        assert_int_equal(xc_rdb_collfreq(l, terms[i]), xc_rdb_termfreq(all, terms[i]));
    }
    assert_int_equal(xc_rdb_termfreq(l, "Qart-17"), 0);
    char *flag = NULL;
    size_t flen = 0;
    assert_int_equal(xc_rdb_get_metadata(l, "tigris.lexicon.freqs", &flag, &flen), XC_OK);
    assert_string_equal(flag, "1");
    free(flag);
    keys a = { 0 }, b = { 0 };
    table_of(all, &a);
    table_of(l, &b);
    assert_true(a.n > 50);
    assert_string_equal(a.all, b.all);
    assert_non_null(strstr(b.all, TG_SYN_NAME "kataib hezbollah\n"));
    free(a.all);
    free(b.all);
    /* Spelling frequencies summed: the same suggestions. */
    const char *typos[] = { "hizbulah", "marcet", "councel", "basrah" };
    for (size_t i = 0; i < 4; i++) {
        char *x = NULL, *y = NULL;
        assert_int_equal(xc_rdb_spelling_suggestion(all, typos[i], 2, &x), XC_OK);
        assert_int_equal(xc_rdb_spelling_suggestion(l, typos[i], 2, &y), XC_OK);
        assert_non_null(y);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    /* Case counts summed over the shards; no shard number. */
    char *v = NULL;
    size_t len = 0;
    unsigned long long sum[3] = { 0, 0, 0 }, c[3];
    for (int k = 0; k < 3; k++) {
        char p[400];
        xc_rdb *s = NULL;
        snprintf(p, sizeof p, "%s/shard-%d", db, k);
        assert_int_equal(xc_rdb_open(p, &s, err, sizeof err), XC_OK);
        assert_int_equal(xc_rdb_get_metadata(s, TG_META_CASE, &v, &len), XC_OK);
        assert_int_equal(sscanf(v, "%llu %llu %llu", &c[0], &c[1], &c[2]), 3);
        for (int j = 0; j < 3; j++)
            sum[j] += c[j];
        free(v);
        assert_int_equal(xc_rdb_get_metadata(s, TG_META_SHARD, &v, &len), XC_OK);
        char want[16];
        snprintf(want, sizeof want, "%d 3", k);
        assert_string_equal(v, want);
        free(v);
        xc_rdb_close(s);
    }
    assert_int_equal(xc_rdb_get_metadata(l, TG_META_CASE, &v, &len), XC_OK);
    assert_int_equal(sscanf(v, "%llu %llu %llu", &c[0], &c[1], &c[2]), 3);
    free(v);
    for (int j = 0; j < 3; j++)
        assert_true(c[j] == sum[j]);
    assert_int_equal(xc_rdb_get_metadata(l, TG_META_SHARD, &v, &len), XC_OK);
    assert_null(v);
    assert_int_equal(xc_rdb_get_metadata(l, TG_META_LANG, &v, &len), XC_OK);
    assert_string_equal(v, "english");
    free(v);
    xc_rdb_close(all);
    xc_rdb_close(l);

    /* A run that changes nothing leaves it; one that left none writes it. */
    struct stat before, after;
    assert_int_equal(stat(lex, &before), 0);
    ix = open_db(db, 1);
    tg_article art;
    make_article(&art, 3, 1);
    tg_add_result res;
    assert_int_equal(tg_index_add(ix, &art, &res), TG_OK);
    assert_int_equal(res, TG_ADD_UNCHANGED);
    tg_article_clear(&art);
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_int_equal(stat(lex, &after), 0);
    assert_true(before.st_mtime == after.st_mtime && before.st_ino == after.st_ino);
    char cmd[400], with[2048], without[2048];
    hit_ids(db, "Hizbulah KH", with, sizeof with);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", lex);
    assert_int_equal(system(cmd), 0);
    /* The stub names a lexicon that is not there (a build killed before
     * its end): local shards search with their own tables, the same. */
    hit_ids(db, "Hizbulah KH", without, sizeof without);
    assert_string_equal(without, with);
    assert_true(strlen(with) > 0);
    ix = open_db(db, 1);
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_true(exists(db, "lexicon"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_matches_serial),
        cmocka_unit_test(test_stub_while_building),
        cmocka_unit_test(test_finish_interrupted),
        cmocka_unit_test(test_commit_hook),
        cmocka_unit_test(test_heap_budget),
        cmocka_unit_test(test_kept_shards),
        cmocka_unit_test(test_kept_shards_prune),
        cmocka_unit_test(test_lexicon),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
