/* Unit tests: indexing articles with tg_index and searching with tg_search. */
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
#include "tg_schema.h"
#include "tg_signature.h"
#include "xapian_c.h"
#include "tg_search.h"

static char dbdir[256];

static void add(tg_index *ix, const char *id, const char *date, const char *title,
                const char *body, tg_add_result want)
{
    tg_article a;
    tg_article_init(&a);
    tg_article_set(&a.id, id, (size_t)-1);
    if (date)
        tg_article_set(&a.date, date, (size_t)-1);
    tg_article_set(&a.title, title, (size_t)-1);
    tg_article_set(&a.body, body, (size_t)-1);
    tg_add_result res;
    assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
    assert_int_equal(res, want);
    tg_article_clear(&a);
}

/* A new database beside the shared one, for a test's own articles; its
 * path goes to db. */
static tg_index *open_sub(const char *name, char *db, size_t dblen)
{
    char err[256];
    snprintf(db, dblen, "%.*s/%s", (int)(strlen(dbdir) - 3), dbdir, name);
    tg_index *ix = tg_index_open(db, NULL, err, sizeof err);
    assert_non_null(ix);
    return ix;
}

/* n articles about something else, so that the words tested are rare. */
static void add_unrelated(tg_index *ix, int n)
{
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "other%d", i);
        add(ix, id, NULL, "Markets", "Grain prices rose in the market this week.", TG_ADD_NEW);
    }
}

static const char *FILLER =
    "The province saw markets reopen and schools return to normal hours. "
    "Farmers complained about water shortages along the river all summer. "
    "Officials promised new roads, new clinics and better electricity supply. ";

static int setup(void **state)
{
    (void)state;
    snprintf(dbdir, sizeof dbdir, "/tmp/tg_search_test.XXXXXX");
    assert_non_null(mkdtemp(dbdir));
    strcat(dbdir, "/db");
    char err[256];
    tg_index *ix = tg_index_open(dbdir, NULL, err, sizeof err);
    assert_non_null(ix);
    char body[4096];
    /* a: the phrase, in its second paragraph. */
    snprintf(body, sizeof body, "%s%s\n\nIn 2016 the last residents left Camp Liberty for Albania "
             "under a United Nations plan.\n\n%s", FILLER, FILLER, FILLER);
    add(ix, "a", "2016-09-13", "Leaving Iraq", body, TG_ADD_NEW);
    /* b: both words, far apart. */
    snprintf(body, sizeof body, "A camp was built near the river. %s%s\n\nThe liberty of the "
             "press was debated in parliament.", FILLER, FILLER);
    add(ix, "b", "2012-03-01", "Press and parliament", body, TG_ADD_NEW);
    /* c, d: stems collide (hamas, hama). */
    add(ix, "c", "2014-01-01", "Gaza", "Hamas leaders met in Doha. Hamas said little.", TG_ADD_NEW);
    add(ix, "d", "2014-02-01", "Syria", "The city of Hama was besieged in 1982.", TG_ADD_NEW);
    add(ix, "e", "2010", "Departures", "Thousands departed from the airport; departures rose.",
        TG_ADD_NEW);
    /* Same content again: unchanged; different content: replaced. */
    add(ix, "d", "2014-02-01", "Syria", "The city of Hama was besieged in 1982.", TG_ADD_UNCHANGED);
    add(ix, "d", "2014-02-01", "Syria", "The city of Hama was besieged in February 1982.",
        TG_ADD_REPLACED);
    assert_int_equal(tg_index_doccount(ix), 5);
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

static tg_results *search(const char *q, unsigned limit, int passages)
{
    char err[256];
    tg_searcher *s = tg_searcher_open(dbdir, err, sizeof err);
    assert_non_null(s);
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.limit = limit;
    o.passages = passages;
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, q, &o, &r), TG_OK);
    tg_searcher_close(s);
    return r;
}

static void test_phrase_beats_scattered(void **state)
{
    (void)state;
    tg_results *r = search("camp liberty", 10, 0);
    assert_int_equal(r->nhits, 2);
    assert_string_equal(r->hits[0].id, "a");
    assert_string_equal(r->hits[1].id, "b");
    assert_true(r->hits[0].score > r->hits[1].score);
    /* The best passage of a is the one with the phrase, words marked. */
    assert_non_null(strstr(r->hits[0].passage, "Camp Liberty for Albania"));
    assert_int_equal(r->hits[0].passage_index, 1);
    assert_int_equal(r->hits[0].nspans, 2);
    tg_span sp = r->hits[0].spans[0];
    assert_memory_equal(r->hits[0].passage + sp.start, "Camp", 4);
    tg_results_free(r);
}

static void test_names_exact_words_stemmed(void **state)
{
    (void)state;
    tg_results *r = search("Hamas", 10, 0);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "c");
    tg_results_free(r);
    /* "Hamas" may be the plural of "Hama": it may match, but the
     * spelling typed ranks first. */
    r = search("Hama", 10, 0);
    assert_true(r->nhits >= 1);
    assert_string_equal(r->hits[0].id, "d");
    tg_results_free(r);
    /* Lower case goes through the stem: departure finds departed? No:
     * "departur" vs "depart"; but "departures" does. */
    r = search("departure", 10, 0);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "e");
    assert_non_null(strstr(r->hits[0].passage, "departures"));
    tg_results_free(r);
}

static void test_filters_and_operators(void **state)
{
    (void)state;
    tg_results *r = search("camp liberty 2015..2016", 10, 0);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "a");
    tg_results_free(r);
    r = search("camp -albania", 10, 0);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "b");
    tg_results_free(r);
    r = search("+press camp", 10, 0);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "b");
    tg_results_free(r);
    r = search("title:syria", 10, 0);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "d");
    tg_results_free(r);
    r = search("date:2010", 10, 0);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "e");
    tg_results_free(r);
    r = search("\"liberty camp\"", 10, 0);
    assert_int_equal(r->nhits, 0);
    tg_results_free(r);
    r = search("id:c", 10, 0);
    assert_int_equal(r->nhits, 1);
    tg_results_free(r);
    r = search("  ", 10, 0);
    assert_int_equal(r->nhits, 0);
    tg_results_free(r);
}

static void test_passages_mode(void **state)
{
    (void)state;
    tg_results *r = search("camp liberty", 10, 1);
    /* a's phrase passage first, then b's; each shown passage matches. */
    assert_int_equal(r->nhits, 2);
    assert_string_equal(r->hits[0].id, "a");
    assert_string_equal(r->hits[1].id, "b");
    for (size_t i = 0; i < r->nhits; i++) {
        assert_true(r->hits[i].nspans > 0);
        if (i)
            assert_true(r->hits[i - 1].score >= r->hits[i].score);
    }
    tg_results_free(r);
}

static void test_reopen_sees_new_articles(void **state)
{
    (void)state;
    char err[256];
    tg_searcher *s = tg_searcher_open(dbdir, err, sizeof err);
    assert_non_null(s);
    tg_index *ix = tg_index_open(dbdir, NULL, err, sizeof err);
    assert_non_null(ix);
    add(ix, "f", NULL, "Zoo", "A quokka arrived.", TG_ADD_NEW);
    assert_int_equal(tg_index_delete(ix, "f"), TG_OK);
    add(ix, "g", NULL, "Zoo", "A second quokka arrived.", TG_ADD_NEW);
    assert_int_equal(tg_index_commit(ix), TG_OK);
    assert_int_equal(tg_searcher_reopen(s), TG_OK);
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, "quokka", NULL, &r), TG_OK);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "g");
    tg_results_free(r);
    /* A second writer is refused while the first holds the lock. */
    tg_index *ix2 = tg_index_open(dbdir, NULL, err, sizeof err);
    assert_null(ix2);
    assert_non_null(strstr(err, "locked"));
    assert_int_equal(tg_index_delete(ix, "g"), TG_OK);
    assert_int_equal(tg_index_close(ix), TG_OK);
    tg_searcher_close(s);
}

static int has_expansion(const tg_results *r, const char *needle)
{
    for (size_t i = 0; i < r->nexpansions; i++)
        if (strstr(r->expansions[i], needle))
            return 1;
    return 0;
}

/* Common words stay words: "growth" is not widened to a rare name that
 * looks like it, nor "oil" to an acronym's long form; a name typed in
 * lower case, or an acronym in capitals, still is. */
static void test_common_words_stay_words(void **state)
{
    (void)state;
    char db[300], err[256], body[512];
    tg_index *ix = open_sub("words", db, sizeof db);
    for (int i = 0; i < 30; i++) {
        char id[16];
        snprintf(id, sizeof id, "w%d", i);
        snprintf(body, sizeof body, "Economic growth slowed and oil output fell in quarter %d. "
                 "Analysts expect growth to return when oil prices recover.", i);
        add(ix, id, NULL, "Quarterly figures", body, TG_ADD_NEW);
    }
    add(ix, "name", NULL, "Letters", "A reply came from Mr Groweth Smith, and later Mr Groweth "
        "wrote again.", TG_ADD_NEW);
    add(ix, "acronym", NULL, "Assam", "The loan goes to Oil India Ltd (OIL), which said that "
        "OIL will drill ten wells.", TG_ADD_NEW);
    add(ix, "militia", NULL, "Beirut", "Fighters of the Shiite group Hizbollah clashed with Amal. "
        "Later Hizbollah denied it.", TG_ADD_NEW);
    assert_int_equal(tg_index_close(ix), TG_OK);

    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, "growth", NULL, &r), TG_OK);
    assert_false(has_expansion(r, "Groweth"));
    assert_int_equal(r->total, 30);
    tg_results_free(r);
    assert_int_equal(tg_search(s, "oil prices", NULL, &r), TG_OK);
    assert_false(has_expansion(r, "Oil India"));
    tg_results_free(r);
    assert_int_equal(tg_search(s, "OIL", NULL, &r), TG_OK);
    assert_true(has_expansion(r, "OIL = Oil India Ltd"));
    tg_results_free(r);
    /* Never written so in the archive: the name's spellings are found. */
    assert_int_equal(tg_search(s, "hizballah", NULL, &r), TG_OK);
    assert_true(has_expansion(r, "Hizbollah"));
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "militia");
    tg_results_free(r);
    tg_searcher_close(s);
}

/* Long queries get feedback: words the best articles share lift the
 * articles of the first pass that have them, and bring in none the query
 * does not match. */
static void test_feedback_reranks_pool(void **state)
{
    (void)state;
    char db[300], err[256], body[512];
    tg_index *ix = open_sub("feedback", db, sizeof db);
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "top%d", i);
        snprintf(body, sizeof body, "The volcano erupted and lava and ash covered the valley; "
                 "pyroclastic flows followed the eruption, report %d.", i);
        add(ix, id, NULL, "Eruption", body, TG_ADD_NEW);
    }
    /* Two weak matches (one query word each, same length): only one has
     * the shared word. */
    add(ix, "weak-plain", NULL, "Valley", "Farmers returned to the valley with cattle and seed "
        "for spring.", TG_ADD_NEW);
    add(ix, "weak-shared", NULL, "Valley", "Farmers returned to the valley with pyroclastic "
        "dust on fields.", TG_ADD_NEW);
    add(ix, "no-match", NULL, "Geology", "Pyroclastic rocks are studied by geologists "
        "everywhere.", TG_ADD_NEW);
    add_unrelated(ix, 20);
    assert_int_equal(tg_index_close(ix), TG_OK);

    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    const char *q = "volcano lava ash eruption valley";
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.limit = 20;
    /* feedback alone: score regularization (tests/e2e/40) would also move
     * the weak matches, toward their neighbours */
    o.reg_weight = 0;
    double with[2] = { 0, 0 }, without[2] = { 0, 0 }, cut[2] = { 0, 0 };
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1)
            o.prf_weight = 0;               /* feedback off */
        if (pass == 2) {
            /* No article of the top 30 stands ten deviations above their
             * mean: no clear cluster, so no feedback at all. */
            o.prf_weight = -1;
            o.prf_clarity = 10;
        }
        tg_results *r = NULL;
        assert_int_equal(tg_search(s, q, &o, &r), TG_OK);
        double *sc = pass == 2 ? cut : pass ? without : with;
        for (size_t i = 0; i < r->nhits; i++) {
            assert_string_not_equal(r->hits[i].id, "no-match");
            if (!strcmp(r->hits[i].id, "weak-plain"))
                sc[0] = r->hits[i].article_score;
            if (!strcmp(r->hits[i].id, "weak-shared"))
                sc[1] = r->hits[i].article_score;
        }
        tg_results_free(r);
    }
    assert_true(with[0] > 0 && with[1] > 0 && without[0] > 0 && without[1] > 0);
    /* Without feedback the two weak matches are about level; with it the
     * one sharing the top articles' word is clearly ahead. */
    assert_true(with[1] - with[0] > (without[1] - without[0]) + 0.1);
    assert_true(cut[0] == without[0] && cut[1] == without[1]);
    tg_searcher_close(s);
}

/* A title word weighs more than a body word (TG_TITLE_WDF): of two
 * articles of the same length that each have the word once, the one with
 * it in the title ranks first, article score and all. */
static void test_title_counts_more(void **state)
{
    (void)state;
    char db[300], err[256];
    tg_index *ix = open_sub("title", db, sizeof db);
    add(ix, "in-body", NULL, "Mountain report", "The glacier retreated again this year, "
        "surveyors said after the summer season.", TG_ADD_NEW);
    add(ix, "in-title", NULL, "Glacier report", "The mountain retreated again this year, "
        "surveyors said after the summer season.", TG_ADD_NEW);
    add_unrelated(ix, 10);
    assert_int_equal(tg_index_close(ix), TG_OK);
    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, "glacier", NULL, &r), TG_OK);
    assert_int_equal(r->nhits, 2);
    assert_string_equal(r->hits[0].id, "in-title");
    /* BM25 with wdf 4 against 1 (same length): well over 1.5 times. */
    assert_true(r->hits[0].article_score > 1.5 * r->hits[1].article_score);
    tg_results_free(r);
    tg_searcher_close(s);
}

/* A long query is a request: its grammar and its request words ("I am
 * interested in ... discussing") are dropped, its topic words kept; a
 * short query keeps every word. */
static void test_request_words_dropped(void **state)
{
    (void)state;
    tg_results *r = search("I am interested in articles discussing camp liberty residents", 10, 0);
    assert_non_null(r->xapian_query);
    assert_null(strstr(r->xapian_query, "Zinterest"));
    assert_null(strstr(r->xapian_query, "Zdiscuss"));
    assert_null(strstr(r->xapian_query, "Zarticl"));
    assert_non_null(strstr(r->xapian_query, "Zresid"));
    assert_true(r->nhits > 0);
    assert_string_equal(r->hits[0].id, "a");
    tg_results_free(r);
    r = search("discussing liberty", 10, 0);
    assert_non_null(strstr(r->xapian_query, "Zdiscuss"));
    tg_results_free(r);
}

/* The forms of a stem come from the stem -> forms table the indexer
 * writes, or, in a database without it (made with names off, or by an
 * older Tigris), from a walk of the vocabulary: the same passage and the
 * same words marked either way. */
static void test_forms_table_or_walk(void **state)
{
    (void)state;
    char err[256];
    const char *body = "Markets opened calmly.\n\nThe economy grew and economic "
                       "reforms proved economical.\n\nRain fell in the north.";
    tg_results *r[2] = { NULL, NULL };
    for (int k = 0; k < 2; k++) {
        char db[300];
        snprintf(db, sizeof db, "%.*s/forms%d", (int)(strlen(dbdir) - 3), dbdir, k);
        tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
        o.no_entities = k;                 /* k = 1: no table */
        tg_index *ix = tg_index_open(db, &o, err, sizeof err);
        assert_non_null(ix);
        add(ix, "e1", NULL, "Report", body, TG_ADD_NEW);
        add(ix, "e2", NULL, "Other", "Nothing about it here at all.", TG_ADD_NEW);
        assert_int_equal(tg_index_close(ix), TG_OK);
        tg_searcher *s = tg_searcher_open(db, err, sizeof err);
        assert_non_null(s);
        tg_search_opts so = TG_SEARCH_OPTS_DEFAULT;
        so.no_entities = 1;
        so.family = 0;   /* the stem's own forms (a family would add "economy") */
        assert_int_equal(tg_search(s, "economic", &so, &r[k]), TG_OK);
        tg_searcher_close(s);
        assert_int_equal(r[k]->nhits, 1);
    }
    /* "economic" and "economical" share the stem "econom"; "economy"
     * ("economi") does not. */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(r[k]->hits[0].nspans, 2);
        tg_span a = r[k]->hits[0].spans[0], b = r[k]->hits[0].spans[1];
        assert_int_equal(a.end - a.start, 8);
        assert_memory_equal(r[k]->hits[0].passage + a.start, "economic", 8);
        assert_int_equal(b.end - b.start, 10);
        assert_memory_equal(r[k]->hits[0].passage + b.start, "economical", 10);
    }
    tg_results_free(r[0]);
    tg_results_free(r[1]);
}

/* title: matches a word's stem family. A new database keeps no ZS stem
 * terms (TG_META_FORMS "2": the forms table serves title stems); one
 * without the table, and an older one ("1"), keep them; all three answer
 * title:running with the two articles whose titles have "Runs" and
 * "Running", not the one with those words only in its body. */
static void test_title_stems(void **state)
{
    (void)state;
    char err[256];
    double avlength[3];
    for (int k = 0; k < 3; k++) {
        char db[300];
        snprintf(db, sizeof db, "%.*s/titlestems%d", (int)(strlen(dbdir) - 3), dbdir, k);
        if (k == 2) {   /* as databases were made before TG_FORMS_TITLE_TOO */
            xc_wdb *w = NULL;
            assert_int_equal(xc_wdb_open(db, XC_WDB_CREATE_OR_OPEN, &w, err, sizeof err), XC_OK);
            assert_int_equal(xc_wdb_set_metadata(w, TG_META_FORMS, TG_FORMS_TABLE, 1), XC_OK);
            assert_int_equal(xc_wdb_close(w), XC_OK);
        }
        tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
        o.no_entities = k == 1;
        tg_index *ix = tg_index_open(db, &o, err, sizeof err);
        assert_non_null(ix);
        add(ix, "t1", NULL, "Runs scored in the final", "The match ended late.", TG_ADD_NEW);
        add(ix, "t2", NULL, "Running late again", "The train was slow.", TG_ADD_NEW);
        add(ix, "t3", NULL, "Weather", "Running and runs, run after run.", TG_ADD_NEW);
        add_unrelated(ix, 5);
        assert_int_equal(tg_index_close(ix), TG_OK);
        xc_rdb *rdb = NULL;
        assert_int_equal(xc_rdb_open(db, &rdb, err, sizeof err), XC_OK);
        if (k == 0)
            assert_int_equal(xc_rdb_termfreq(rdb, "ZSrun"), 0);
        else
            assert_int_equal(xc_rdb_termfreq(rdb, "ZSrun"), 2);
        assert_int_equal(xc_rdb_termfreq(rdb, "Srunning"), 1);
        avlength[k] = xc_rdb_avlength(rdb);
        xc_rdb_close(rdb);
        tg_searcher *s = tg_searcher_open(db, err, sizeof err);
        assert_non_null(s);
        tg_search_opts so = TG_SEARCH_OPTS_DEFAULT;
        tg_results *r = NULL;
        assert_int_equal(tg_search(s, "title:running", &so, &r), TG_OK);
        assert_int_equal(r->nhits, 2);
        /* the form typed first */
        assert_string_equal(r->hits[0].id, "t2");
        assert_string_equal(r->hits[1].id, "t1");
        tg_results_free(r);
        assert_int_equal(tg_search(s, "title:ru", &so, &r), TG_OK);   /* not in the table */
        assert_int_equal(r->nhits, 0);
        tg_results_free(r);
        tg_searcher_close(s);
    }
    /* Without ZS terms a title word's S term counts its stem's occurrence:
     * article lengths, and so every BM25 score, are those of a database
     * with ZS terms. */
    assert_true(avlength[0] > 0 && avlength[0] == avlength[2]);
}

/* The article's score (final 0: BM25 with feedback) or its final score
 * (final 1: with the passage's share) in the results of q; 0 if absent. */
static double hit_score(tg_searcher *s, const char *q, const tg_search_opts *o, const char *id,
                        int final)
{
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, q, o, &r), TG_OK);
    double v = 0;
    for (size_t i = 0; i < r->nhits; i++)
        if (!strcmp(r->hits[i].id, id))
            v = final ? r->hits[i].score : r->hits[i].article_score;
    tg_results_free(r);
    return v;
}

static double score_of(tg_searcher *s, const char *q, const tg_search_opts *o, const char *id)
{
    return hit_score(s, q, o, id, 0);
}

static double final_score_of(tg_searcher *s, const char *q, const tg_search_opts *o,
                             const char *id)
{
    return hit_score(s, q, o, id, 1);
}

/* The words of a long query weigh against each other by idf and by
 * burstiness (tg_search_opts.qw_idf, qw_burst): of two words in as many
 * articles, the one those articles repeat (a topic: "filter") counts more
 * than the one they use once in passing ("method"); a rarer word gains on
 * a common one beyond BM25's idf. Short queries are left as typed. */
static void test_long_query_word_weights(void **state)
{
    (void)state;
    char db[300], err[256];
    tg_index *ix = open_sub("qweights", db, sizeof db);
    for (int i = 0; i < 4; i++) {
        char id[24];
        snprintf(id, sizeof id, "filters%d", i);
        add(ix, id, NULL, "Signals", "The filter passed the signal, the filter cut the noise "
            "and a second filter did the rest.", TG_ADD_NEW);
        snprintf(id, sizeof id, "method%d", i);
        add(ix, id, NULL, "Storage", "A method was described for keeping seed dry in barns "
            "over the winter months.", TG_ADD_NEW);
    }
    /* Same length, same title, one query word each. */
    add(ix, "has-filter", NULL, "Note", "Engineers built one filter yesterday.", TG_ADD_NEW);
    add(ix, "has-method", NULL, "Note", "Engineers built one method yesterday.", TG_ADD_NEW);
    add(ix, "has-valve", NULL, "Note", "Engineers built one valve yesterday.", TG_ADD_NEW);
    add(ix, "has-grain", NULL, "Note", "Engineers built one grain yesterday.", TG_ADD_NEW);
    add_unrelated(ix, 20);   /* "grain" in 21 articles, once each; "valve" in one */
    assert_int_equal(tg_index_close(ix), TG_OK);

    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    tg_search_opts on = TG_SEARCH_OPTS_DEFAULT, off = TG_SEARCH_OPTS_DEFAULT;
    on.limit = off.limit = 50;
    on.prf_weight = off.prf_weight = 0;   /* the first pass alone */
    off.qw_idf = off.qw_burst = 0;
    const char *q = "the method and the filter";
    double f_on = score_of(s, q, &on, "has-filter"), m_on = score_of(s, q, &on, "has-method");
    double f_off = score_of(s, q, &off, "has-filter"), m_off = score_of(s, q, &off, "has-method");
    assert_true(f_off > 0 && m_off > 0);
    /* Same idf, tf and length: level as typed; burstiness (13 + 1) / (5 +
     * 1) against 1 puts the topic word ahead. */
    assert_true(fabs(f_off - m_off) < 1e-9 * f_off);
    assert_true(f_on > 1.15 * m_on);
    /* The burstiness alone does it; no burstiness, no difference. */
    on.qw_idf = 0;
    assert_true(score_of(s, q, &on, "has-filter") > 1.15 * score_of(s, q, &on, "has-method"));
    on.qw_idf = -1;
    on.qw_burst = 0;
    assert_true(fabs(score_of(s, q, &on, "has-filter") - score_of(s, q, &on, "has-method")) <
                1e-9 * f_off);
    on.qw_burst = -1;

    /* Rare against common, neither repeated: idf weighs twice over. */
    q = "the valve and the grain";
    double ratio_on = score_of(s, q, &on, "has-valve") / score_of(s, q, &on, "has-grain");
    double ratio_off = score_of(s, q, &off, "has-valve") / score_of(s, q, &off, "has-grain");
    assert_true(ratio_off > 1.5);
    assert_true(ratio_on > 1.1 * ratio_off);
    /* A short query is typed, not written: its words as they are. */
    q = "valve grain";
    assert_true(fabs(score_of(s, q, &on, "has-valve") / score_of(s, q, &on, "has-grain") -
                     score_of(s, q, &off, "has-valve") / score_of(s, q, &off, "has-grain")) < 1e-9);
    tg_searcher_close(s);
}

/* A word of a long query matches its family: the archive's stems that
 * extend or shorten its stem by up to tg_search_opts.family letters
 * (conductor, conduction: stems "conductor", "conduct"; analogue, analog),
 * searched as one term. Not stems of stopwords ("otherwise" is no
 * "other"), not stems of fewer than five letters ("nets" is no
 * "network"), not a longer gap ("electric" is no "electromagnetic"), and
 * not in a short query, whose words are left as typed. 0: the stem alone.
 * The word's own stem also counts alone, at family_own. */
static void test_word_families(void **state)
{
    (void)state;
    char db[300], err[256];
    tg_index *ix = open_sub("families", db, sizeof db);
    add(ix, "conduction", NULL, "Note", "We measured the heat conduction of copper.", TG_ADD_NEW);
    add(ix, "conductor", NULL, "Note", "We measured the heat conductor of copper.", TG_ADD_NEW);
    add(ix, "analog", NULL, "Note", "We built an analog computer for the equations.", TG_ADD_NEW);
    add(ix, "other", NULL, "Note", "We kept the other samples dry.", TG_ADD_NEW);
    add(ix, "network", NULL, "Note", "We drew the network of roads.", TG_ADD_NEW);
    add(ix, "electromagnetic", NULL, "Note", "We saw electromagnetic waves.", TG_ADD_NEW);
    add_unrelated(ix, 10);
    assert_int_equal(tg_index_close(ix), TG_OK);

    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    tg_search_opts on = TG_SEARCH_OPTS_DEFAULT, off = TG_SEARCH_OPTS_DEFAULT;
    on.limit = off.limit = 50;
    on.literal = off.literal = 1;   /* the words the archive lacks stay as typed */
    off.family = 0;
    /* five words, the others in no article */
    assert_true(score_of(s, "conductor zebra quartz yonder plume", &on, "conduction") > 0);
    assert_true(score_of(s, "conductor zebra quartz yonder plume", &off, "conduction") == 0);
    assert_true(score_of(s, "analogue zebra quartz yonder plume", &on, "analog") > 0);
    assert_true(score_of(s, "analogue zebra quartz yonder plume", &off, "analog") == 0);
    const char *q = "the analogue computer for equations";
    assert_true(score_of(s, q, &on, "analog") > score_of(s, q, &off, "analog"));
    assert_true(score_of(s, "otherwise zebra quartz yonder plume", &on, "other") == 0);
    assert_true(score_of(s, "nets zebra quartz yonder plume", &on, "network") == 0);
    assert_true(score_of(s, "electric zebra quartz yonder plume", &on, "electromagnetic") == 0);
    /* The word's own stem scores alone beside the family's term
     * (family_own): the article with "conductor" itself ahead of the one
     * with only "conduction"; without that share the two score alike. */
    tg_search_opts own0 = on;
    own0.family_own = 0;
    const char *c5 = "conductor zebra quartz yonder plume";
    assert_true(score_of(s, c5, &on, "conductor") > score_of(s, c5, &on, "conduction") + 1e-6);
    assert_true(fabs(score_of(s, c5, &own0, "conductor") - score_of(s, c5, &own0, "conduction")) < 1e-9);
    assert_true(score_of(s, c5, &own0, "conduction") > 0);
    /* a short query: as typed */
    assert_true(score_of(s, "copper conductor", &on, "conduction") ==
                score_of(s, "copper conductor", &off, "conduction"));
    assert_true(score_of(s, "conductor", &on, "conduction") == 0);
    tg_searcher_close(s);
}

/* Term proximity of long queries (tg_search_opts.proximity): of two
 * articles with the same words, the one where two neighbouring words of
 * the query stand within the window (3 positions apart, not adjacent)
 * scores above the one where they stand 11 apart; the article scores are
 * the same, the passage evidence differs. Off, or with a window of 2, or
 * for a short query, the two score alike. */
static void test_term_proximity(void **state)
{
    (void)state;
    char db[300], err[256];
    tg_index *ix = open_sub("proximity", db, sizeof db);
    add(ix, "near", NULL, "Note",
        "turbine alpha bravo blades charlie delta echo foxtrot golf hotel india juliet.", TG_ADD_NEW);
    add(ix, "far", NULL, "Note",
        "turbine alpha bravo charlie delta echo foxtrot golf hotel india juliet blades.", TG_ADD_NEW);
    add_unrelated(ix, 10);
    assert_int_equal(tg_index_close(ix), TG_OK);

    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    tg_search_opts on = TG_SEARCH_OPTS_DEFAULT;
    on.limit = 50;
    on.literal = 1;
    tg_search_opts off = on, narrow = on;
    off.proximity = 0;
    narrow.proximity_window = 2;
    const char *q = "turbine blades zebra quartz yonder";
    assert_true(final_score_of(s, q, &on, "near") > final_score_of(s, q, &on, "far") + 1e-6);
    assert_true(fabs(score_of(s, q, &on, "near") - score_of(s, q, &on, "far")) < 1e-9);
    assert_true(final_score_of(s, q, &off, "far") > 0);
    assert_true(fabs(final_score_of(s, q, &off, "near") - final_score_of(s, q, &off, "far")) < 1e-9);
    assert_true(fabs(final_score_of(s, q, &narrow, "near") - final_score_of(s, q, &narrow, "far")) <
                1e-9);
    assert_true(fabs(final_score_of(s, "turbine blades", &on, "near") -
                     final_score_of(s, "turbine blades", &on, "far")) < 1e-9);
    tg_searcher_close(s);
}

static int on_term_to_sig(const char *term, size_t len, uint32_t wdf, void *ud)
{
    assert_int_equal(tg_signature_add(ud, term, len, wdf), TG_OK);
    return 0;
}

/* Every article carries its signature (tg_signature.h), the same bytes
 * that the searcher builds from the article's term list for a database
 * written before signatures: old and new databases compare articles
 * alike. */
static void test_signature_stored(void **state)
{
    (void)state;
    xc_rdb *db = NULL;
    char err[256];
    assert_int_equal(xc_rdb_open(dbdir, &db, err, sizeof err), XC_OK);
    uint32_t n = xc_rdb_doccount(db), checked = 0, with_stems = 0;
    assert_true(n >= 4);
    for (xc_docid did = 1; checked < n && did < 10 * n; did++) {
        char *val = NULL;
        size_t len = 0;
        tg_signature sig = { 0 };
        if (xc_rdb_termlist(db, did, on_term_to_sig, &sig) != XC_OK) {
            tg_signature_free(&sig);
            continue;    /* no such document (replaced) */
        }
        checked++;
        assert_int_equal(xc_rdb_get_value(db, did, TG_SLOT_SIGNATURE, &val, &len), XC_OK);
        assert_non_null(val);
        tg_buf want = { 0 };
        assert_int_equal(tg_signature_encode(&sig, &want), TG_OK);
        assert_int_equal(len, want.len);
        assert_memory_equal(val, want.data, len);
        with_stems += len > 1;
        tg_buf_free(&want);
        tg_signature_free(&sig);
        free(val);
    }
    assert_int_equal(checked, n);
    assert_true(with_stems >= 4);
    xc_rdb_close(db);
}

/* All of the sub-database's articles as they were, less their signature:
 * an article indexed before signatures existed. */
static void strip_signatures(const char *db)
{
    char err[256];
    xc_rdb *r = NULL;
    xc_wdb *w = NULL;
    assert_int_equal(xc_rdb_open(db, &r, err, sizeof err), XC_OK);
    assert_int_equal(xc_wdb_open(db, XC_WDB_CREATE_OR_OPEN, &w, err, sizeof err), XC_OK);
    uint32_t n = xc_rdb_doccount(r);
    for (xc_docid did = 1; did <= n; did++) {
        xc_doc *d = NULL;
        assert_int_equal(xc_rdb_get_document(r, did, &d), XC_OK);
        size_t idlen = 0;
        const char *id = xc_doc_get_value(d, TG_SLOT_ID, &idlen);
        char term[64];
        snprintf(term, sizeof term, "Q%.*s", (int)idlen, id);
        assert_int_equal(xc_doc_set_value(d, TG_SLOT_SIGNATURE, NULL, 0), XC_OK);
        assert_int_equal(xc_wdb_replace_by_term(w, term, d, NULL), XC_OK);
        xc_doc_free(d);
    }
    assert_int_equal(xc_wdb_close(w), XC_OK);
    char *val = NULL;
    size_t len = 0;
    xc_rdb_close(r);
    assert_int_equal(xc_rdb_open(db, &r, err, sizeof err), XC_OK);
    assert_int_equal(xc_rdb_doccount(r), n);
    assert_int_equal(xc_rdb_get_value(r, 1, TG_SLOT_SIGNATURE, &val, &len), XC_OK);
    assert_null(val);
    xc_rdb_close(r);
}

/* "id=score ..." of a long query's results, regularized or not. */
static void long_query_scores(const char *db, double reg_weight, char *out, size_t outlen)
{
    char err[256];
    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    tg_search_opts o = TG_SEARCH_OPTS_DEFAULT;
    o.limit = 20;
    o.reg_weight = reg_weight;
    tg_results *r = NULL;
    assert_int_equal(tg_search(s, "cooling of turbine blades by air flow", &o, &r), TG_OK);
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->nhits && at < outlen; i++)
        at += (size_t)snprintf(out + at, outlen - at, "%s=%.6f ", r->hits[i].id, r->hits[i].article_score);
    assert_true(r->nhits >= 8);
    tg_results_free(r);
    tg_searcher_close(s);
}

/* A database written before signatures ranks as one with them: the
 * searcher builds each article's signature from its term list. */
static void test_signature_fallback(void **state)
{
    (void)state;
    char db[300];
    tg_index *ix = open_sub("signature", db, sizeof db);
    const char *blade[] = { "compressor", "coolant", "channels", "trailing", "film", "holes",
                            "leading", "serpentine", "hollow", "ceramic" };
    char body[512];
    for (int i = 0; i < 8; i++) {
        char id[16];
        snprintf(id, sizeof id, "blade%d", i);
        /* the first two have the query's words; all share the topic's */
        snprintf(body, sizeof body, "%s %s and %s inside the blade; %s %s near the %s edge%s.",
                 blade[i % 10], blade[(i + 1) % 10], blade[(i + 2) % 10], blade[(i + 3) % 10],
                 blade[(i + 4) % 10], blade[(i + 5) % 10],
                 i < 2 ? ", cooling turbine blades by air flow" : ", turbine cooling");
        add(ix, id, NULL, "Blade study", body, TG_ADD_NEW);
    }
    add(ix, "dairy", NULL, "Dairy", "Air flow in the milking parlour; cows, pasture, cheese and "
        "butter prices at the cooperative.", TG_ADD_NEW);
    add_unrelated(ix, 10);
    assert_int_equal(tg_index_close(ix), TG_OK);
    char with[1024], without[1024], off[1024];
    long_query_scores(db, -1, with, sizeof with);
    long_query_scores(db, 0, off, sizeof off);
    assert_string_not_equal(with, off);   /* regularization moves scores here */
    char err[256];
    tg_searcher *s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(tg_searcher_signatures(s), tg_searcher_doccount(s));
    tg_searcher_close(s);
    strip_signatures(db);
    s = tg_searcher_open(db, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(tg_searcher_signatures(s), 0);
    assert_int_equal(tg_searcher_doccount(s), 19);
    tg_searcher_close(s);
    long_query_scores(db, -1, without, sizeof without);
    assert_string_equal(with, without);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phrase_beats_scattered),
        cmocka_unit_test(test_names_exact_words_stemmed),
        cmocka_unit_test(test_filters_and_operators),
        cmocka_unit_test(test_passages_mode),
        cmocka_unit_test(test_reopen_sees_new_articles),
        cmocka_unit_test(test_common_words_stay_words),
        cmocka_unit_test(test_feedback_reranks_pool),
        cmocka_unit_test(test_forms_table_or_walk),
        cmocka_unit_test(test_title_stems),
        cmocka_unit_test(test_title_counts_more),
        cmocka_unit_test(test_request_words_dropped),
        cmocka_unit_test(test_long_query_word_weights),
        cmocka_unit_test(test_word_families),
        cmocka_unit_test(test_term_proximity),
        cmocka_unit_test(test_signature_stored),
        cmocka_unit_test(test_signature_fallback),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
