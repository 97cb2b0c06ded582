/*
 * test_xapian_c.c - the C wrapper over Xapian, against real databases in a
 * temporary directory.
 *
 * A five-document corpus is built once (group setup); tests that write
 * make their own databases beside it so they cannot disturb each other.
 */
#define _XOPEN_SOURCE 700 /* nftw's FTW_DEPTH/FTW_PHYS */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>

#include <cmocka.h>

#include "xapian_c.h"

static char g_tmp[64];     /* the temporary directory for this run */
static char g_corpus[128]; /* the shared corpus database */

/* ---- helpers ------------------------------------------------------------ */

static void tmp_path(char *buf, size_t len, const char *name)
{
    int n = snprintf(buf, len, "%s/%s", g_tmp, name);
    assert_true(n > 0 && (size_t)n < len);
}

/* Adds each space-separated word of text as a posting at positions 1, 2, ... */
static void add_text(xc_doc *doc, const char *text)
{
    char word[64];
    uint32_t pos = 1;
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, " ");
        assert_true(n < sizeof word);
        if (n) {
            memcpy(word, p, n);
            word[n] = '\0';
            assert_int_equal(xc_doc_add_posting(doc, word, pos++, 1), XC_OK);
        }
        p += n;
        p += strspn(p, " ");
    }
}

/* One document: id term Q<id>, category boolean term XC<cat>, value 0 a
 * sortable date, value 1 the category (for collapsing), data "doc <id>". */
static xc_doc *make_doc(int id, const char *text, const char *cat, const char *date)
{
    char buf[64];
    xc_doc *doc = xc_doc_new();
    assert_non_null(doc);
    add_text(doc, text);
    snprintf(buf, sizeof buf, "Q%d", id);
    assert_int_equal(xc_doc_add_boolean_term(doc, buf), XC_OK);
    snprintf(buf, sizeof buf, "XC%s", cat);
    assert_int_equal(xc_doc_add_boolean_term(doc, buf), XC_OK);
    assert_int_equal(xc_doc_set_value(doc, 0, date, strlen(date)), XC_OK);
    assert_int_equal(xc_doc_set_value(doc, 1, cat, strlen(cat)), XC_OK);
    snprintf(buf, sizeof buf, "doc %d", id);
    assert_int_equal(xc_doc_set_data(doc, buf, strlen(buf)), XC_OK);
    return doc;
}

static void put_doc(xc_wdb *w, int id, const char *text, const char *cat, const char *date)
{
    char idterm[32];
    xc_docid did = 0;
    xc_doc *doc = make_doc(id, text, cat, date);
    snprintf(idterm, sizeof idterm, "Q%d", id);
    assert_int_equal(xc_wdb_replace_by_term(w, idterm, doc, &did), XC_OK);
    assert_true(did != 0);
    xc_doc_free(doc);
}

/* A database holding n plain documents with id terms Q<first>...; committed. */
static void make_small_db(const char *path, int first, int n, const char *word)
{
    xc_wdb *w = NULL;
    char err[256];
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OVERWRITE, &w, err, sizeof err), XC_OK);
    for (int i = 0; i < n; i++) {
        char text[64];
        snprintf(text, sizeof text, "%s common", word);
        put_doc(w, first + i, text, "z", "20210101");
    }
    assert_int_equal(xc_wdb_close(w), XC_OK);
}

static xc_rdb *open_rdb(const char *path)
{
    xc_rdb *r = NULL;
    char err[256];
    xc_status st = xc_rdb_open(path, &r, err, sizeof err);
    if (st != XC_OK)
        fail_msg("xc_rdb_open(%s): %s", path, err);
    return r;
}

typedef struct {
    int n;
    int stop_after; /* 0 = never stop */
    char terms[64][64];
    uint32_t vals[64];
} collect_t;

static int collect_term(const char *term, size_t len, uint32_t val, void *ud)
{
    collect_t *c = ud;
    assert_true(c->n < 64);
    assert_int_equal(strlen(term), len); /* NUL-terminated at len */
    snprintf(c->terms[c->n], sizeof c->terms[0], "%.*s", (int)len, term);
    c->vals[c->n] = val;
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

typedef struct {
    int n;
    int stop_after;
    uint32_t pos[64];
} positions_t;

static int collect_pos(uint32_t pos, void *ud)
{
    positions_t *p = ud;
    assert_true(p->n < 64);
    p->pos[p->n++] = pos;
    return p->stop_after && p->n >= p->stop_after;
}

/* Runs q over r (all results, relevance order unless enq is configured by
 * the caller) and returns the mset; the enquire is freed. */
static xc_mset *run_query(xc_rdb *r, xc_query *q)
{
    xc_enquire *e = xc_enquire_new(r);
    xc_mset *m = NULL;
    assert_non_null(e);
    xc_enquire_set_query(e, q);
    assert_int_equal(xc_enquire_run(e, 0, 100, 100, &m), XC_OK);
    xc_enquire_free(e);
    return m;
}

/* Bitmask of the docids in m (docids < 32). */
static uint32_t mset_ids(const xc_mset *m)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < xc_mset_size(m); i++) {
        xc_docid d = xc_mset_docid(m, i);
        assert_true(d > 0 && d < 32);
        mask |= 1u << d;
    }
    return mask;
}

#define IDS2(a, b) ((1u << (a)) | (1u << (b)))
#define IDS3(a, b, c) (IDS2(a, b) | (1u << (c)))

static uint32_t match_ids(xc_rdb *r, xc_query *q)
{
    xc_mset *m = run_query(r, q);
    uint32_t ids = mset_ids(m);
    xc_mset_free(m);
    return ids;
}

static xc_query *term(const char *t)
{
    xc_query *q = xc_query_term(t, 1, 0);
    assert_non_null(q);
    return q;
}

static xc_query *combine2(xc_op op, xc_query *a, xc_query *b, uint32_t window)
{
    xc_query *subs[2] = { a, b };
    xc_query *q = xc_query_combine(op, subs, 2, window);
    assert_non_null(q);
    /* The combination holds its own references: free the parts now. */
    xc_query_free(a);
    xc_query_free(b);
    return q;
}

/* ---- fixture -------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(g_tmp, sizeof g_tmp, "/tmp/tg_xapian_c_XXXXXX");
    if (!mkdtemp(g_tmp))
        return -1;
    snprintf(g_corpus, sizeof g_corpus, "%s/corpus", g_tmp);

    xc_wdb *w = NULL;
    char err[256];
    if (xc_wdb_open(g_corpus, XC_WDB_CREATE_OR_OPEN, &w, err, sizeof err) != XC_OK)
        return -1;
    /* docids follow insertion order: 1..5 */
    put_doc(w, 1, "the quick brown fox jumps", "a", "20200101");
    put_doc(w, 2, "quick fox brown", "a", "20200102");
    put_doc(w, 3, "the brown dog sleeps quick", "b", "20200103");
    put_doc(w, 4, "lazy dog", "b", "20200104");
    put_doc(w, 5, "quick lazy red fox", "c", "20200105");
    if (xc_wdb_add_spelling(w, "quick", 5) != XC_OK ||
        xc_wdb_add_spelling(w, "brown", 3) != XC_OK ||
        xc_wdb_add_synonym(w, "fox", "vixen") != XC_OK ||
        xc_wdb_add_synonym(w, "fox", "reynard") != XC_OK ||
        xc_wdb_add_synonym(w, "dog", "hound") != XC_OK ||
        xc_wdb_set_metadata(w, "schema", "v1\0x", 4) != XC_OK)
        return -1;
    return xc_wdb_close(w) == XC_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return nftw(g_tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_status_and_version(void **state)
{
    (void)state;
    assert_memory_equal(xc_version_string(), "1.", 2);
    for (int s = XC_OK; s <= XC_ERR_UNKNOWN; s++)
        assert_true(strlen(xc_status_to_string((xc_status)s)) > 0);
    assert_string_equal(xc_rdb_errmsg(NULL), "");
    /* Destructors accept NULL. */
    xc_rdb_close(NULL);
    xc_wdb_abandon(NULL);
    assert_int_equal(xc_wdb_close(NULL), XC_OK);
    xc_doc_free(NULL);
    xc_query_free(NULL);
    xc_enquire_free(NULL);
    xc_mset_free(NULL);
}

static void test_stats_and_terms(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    xc_docid did;
    uint32_t wdf;

    assert_int_equal(xc_rdb_doccount(r), 5);
    assert_int_equal(xc_rdb_termfreq(r, "quick"), 4);
    assert_int_equal(xc_rdb_termfreq(r, "fox"), 3);
    assert_int_equal(xc_rdb_termfreq(r, "nosuchterm"), 0);
    assert_int_equal(xc_rdb_collfreq(r, "brown"), 3);
    /* 5 + 3 + 5 + 2 + 4 words; boolean terms add no length. */
    assert_int_equal(xc_rdb_doclength(r, 1), 5);
    assert_int_equal(xc_rdb_doclength(r, 4), 2);
    assert_true(fabs(xc_rdb_avlength(r) - 19.0 / 5) < 1e-9);

    assert_int_equal(xc_rdb_find_term(r, "Q3", &did), XC_OK);
    assert_int_equal(did, 3);
    assert_int_equal(xc_rdb_find_term(r, "Q99", &did), XC_OK);
    assert_int_equal(did, 0);
    assert_int_equal(xc_rdb_find_term(r, "", &did), XC_ERR_INVALID);

    assert_int_equal(xc_rdb_wdf(r, 1, "fox", &wdf), XC_OK);
    assert_int_equal(wdf, 1);
    assert_int_equal(xc_rdb_wdf(r, 4, "fox", &wdf), XC_OK);
    assert_int_equal(wdf, 0);
    assert_int_equal(xc_rdb_wdf(r, 3, "nosuchterm", &wdf), XC_OK);
    assert_int_equal(wdf, 0);

    /* Which of some documents have a term: fox is in 1, 2 and 5. */
    const xc_docid dids[] = { 1, 3, 4, 5, 9 };
    unsigned char has[5];
    assert_int_equal(xc_rdb_term_in_docs(r, "fox", dids, 5, has), XC_OK);
    assert_memory_equal(has, ((unsigned char[]){ 1, 0, 0, 1, 0 }), 5);
    memset(has, 7, sizeof has);
    assert_int_equal(xc_rdb_term_in_docs(r, "nosuchterm", dids, 5, has), XC_OK);
    assert_memory_equal(has, ((unsigned char[]){ 0, 0, 0, 0, 0 }), 5);
    assert_int_equal(xc_rdb_term_in_docs(r, "fox", dids, 0, NULL), XC_OK);
    assert_int_equal(xc_rdb_term_in_docs(r, "fox", NULL, 2, has), XC_ERR_INVALID);

    /* allterms with a prefix: sorted, with term frequencies. */
    collect_t c = { 0 };
    assert_int_equal(xc_rdb_allterms(r, "XC", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.terms[0], "XCa");
    assert_int_equal(c.vals[0], 2);
    assert_string_equal(c.terms[1], "XCb");
    assert_string_equal(c.terms[2], "XCc");
    assert_int_equal(c.vals[2], 1);
    /* A non-zero return stops the walk. */
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    assert_int_equal(xc_rdb_allterms(r, "Q", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.terms[1], "Q2");
    /* NULL prefix: every term (5 ids + 3 categories + 9 words). */
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_allterms(r, NULL, collect_term, &c), XC_OK);
    assert_int_equal(c.n, 17);

    /* termlist of one document, wdf as the number. */
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_termlist(r, 4, collect_term, &c), XC_OK);
    assert_int_equal(c.n, 4);
    assert_string_equal(c.terms[0], "Q4");
    assert_string_equal(c.terms[1], "XCb");
    assert_int_equal(c.vals[1], 0); /* boolean term */
    assert_string_equal(c.terms[2], "dog");
    assert_int_equal(c.vals[2], 1);
    assert_string_equal(c.terms[3], "lazy");
    /* From a term on: the prefixed ones before "a" are not delivered; a
     * start between two terms begins at the next; past the end, none. */
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_termlist_from(r, 4, "a", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.terms[0], "dog");
    assert_int_equal(c.vals[0], 1);
    assert_string_equal(c.terms[1], "lazy");
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_termlist_from(r, 4, "e", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.terms[0], "lazy");
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_termlist_from(r, 4, "zz", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_termlist_from(r, 4, NULL, collect_term, &c), XC_OK);
    assert_int_equal(c.n, 4);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_termlist(r, 42, collect_term, &c), XC_ERR_NOT_FOUND);
    assert_int_equal(c.n, 0);
    assert_true(strlen(xc_rdb_errmsg(r)) > 0);

    xc_rdb_close(r);
}

static void test_positions(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    positions_t p = { 0 };

    assert_int_equal(xc_rdb_positions(r, 1, "fox", collect_pos, &p), XC_OK);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.pos[0], 4);

    memset(&p, 0, sizeof p);
    assert_int_equal(xc_rdb_positions(r, 3, "quick", collect_pos, &p), XC_OK);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.pos[0], 5);

    /* A term the document lacks, and one no document has: no calls. */
    memset(&p, 0, sizeof p);
    assert_int_equal(xc_rdb_positions(r, 4, "fox", collect_pos, &p), XC_OK);
    assert_int_equal(xc_rdb_positions(r, 4, "nosuchterm", collect_pos, &p), XC_OK);
    /* Boolean terms carry no positions. */
    assert_int_equal(xc_rdb_positions(r, 4, "XCb", collect_pos, &p), XC_OK);
    assert_int_equal(p.n, 0);
    xc_rdb_close(r);

    /* Several positions, ascending, and stopping early. */
    char path[256];
    tmp_path(path, sizeof path, "positions");
    xc_wdb *w = NULL;
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w, NULL, 0), XC_OK);
    xc_doc *doc = xc_doc_new();
    add_text(doc, "a b a c a");
    assert_int_equal(xc_wdb_add(w, doc, NULL), XC_OK);
    xc_doc_free(doc);
    assert_int_equal(xc_wdb_close(w), XC_OK);

    r = open_rdb(path);
    memset(&p, 0, sizeof p);
    assert_int_equal(xc_rdb_positions(r, 1, "a", collect_pos, &p), XC_OK);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.pos[0], 1);
    assert_int_equal(p.pos[1], 3);
    assert_int_equal(p.pos[2], 5);
    memset(&p, 0, sizeof p);
    p.stop_after = 2;
    assert_int_equal(xc_rdb_positions(r, 1, "a", collect_pos, &p), XC_OK);
    assert_int_equal(p.n, 2);
    uint32_t wdf = 0;
    assert_int_equal(xc_rdb_wdf(r, 1, "a", &wdf), XC_OK);
    assert_int_equal(wdf, 3);
    xc_rdb_close(r);
}

static void test_documents(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    xc_doc *doc = NULL;
    size_t len;

    assert_int_equal(xc_rdb_get_document(r, 2, &doc), XC_OK);
    const char *data = xc_doc_get_data(doc, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "doc 2", 5);
    /* Borrowed pointers stay put across repeated reads. */
    assert_ptr_equal(xc_doc_get_data(doc, NULL), data);
    const char *v0 = xc_doc_get_value(doc, 0, &len);
    assert_int_equal(len, 8);
    assert_string_equal(v0, "20200102");
    const char *v1 = xc_doc_get_value(doc, 1, &len);
    assert_string_equal(v1, "a");
    assert_ptr_equal(xc_doc_get_value(doc, 0, NULL), v0);
    assert_string_equal(v0, "20200102"); /* still valid after reading slot 1 */
    assert_string_equal(xc_doc_get_value(doc, 7, &len), "");
    assert_int_equal(len, 0);
    xc_doc_free(doc);

    assert_int_equal(xc_rdb_get_document(r, 42, &doc), XC_ERR_NOT_FOUND);
    assert_null(doc);
    assert_true(strlen(xc_rdb_errmsg(r)) > 0);
    assert_int_equal(xc_rdb_get_document(r, 0, &doc), XC_ERR_INVALID);
    xc_rdb_close(r);

    /* A document being built reads back what was set, binary-safe. */
    doc = xc_doc_new();
    assert_non_null(doc);
    assert_string_equal(xc_doc_get_data(doc, &len), "");
    assert_int_equal(len, 0);
    assert_int_equal(xc_doc_set_data(doc, "a\0b", 3), XC_OK);
    data = xc_doc_get_data(doc, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "a\0b", 3);
    assert_int_equal(xc_doc_set_value(doc, 3, "xyz", 3), XC_OK);
    assert_string_equal(xc_doc_get_value(doc, 3, &len), "xyz");
    /* Positions below 1 are "no position"; Xapian rejects empty terms. */
    assert_int_equal(xc_doc_add_posting(doc, "t", 0, 2), XC_OK);
    assert_int_equal(xc_doc_add_term(doc, "", 1), XC_ERR_INVALID);
    assert_true(strlen(xc_doc_errmsg(doc)) > 0);
    xc_doc_free(doc);
}

/* Failures are counted on the read handle (those of the enquire sessions
 * and documents made from it too: tests/fault); arguments refused before
 * any work are not. */
static void test_failure_count(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    const char *msg = NULL;
    xc_doc *doc = NULL;
    xc_docid did;
    assert_int_equal(xc_rdb_failures(r), 0);
    assert_int_equal(xc_rdb_last_failure(r, &msg), XC_OK);
    assert_string_equal(msg, "");
    assert_int_equal(xc_rdb_find_term(r, "", &did), XC_ERR_INVALID);
    assert_int_equal(xc_rdb_get_document(r, 1, NULL), XC_ERR_INVALID);
    assert_int_equal(xc_rdb_failures(r), 0);

    assert_int_equal(xc_rdb_get_document(r, 42, &doc), XC_ERR_NOT_FOUND);
    assert_int_equal(xc_rdb_failures(r), 1);
    assert_int_equal(xc_rdb_last_failure(r, &msg), XC_ERR_NOT_FOUND);
    assert_non_null(strstr(msg, "DocNotFoundError"));
    assert_int_equal(xc_rdb_termfreq(r, "quick"), 4);
    assert_int_equal(xc_rdb_failures(r), 1);   /* successes leave it */

    xc_rdb_close(r);
}

static void test_metadata_spelling_synonyms(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    char *s = NULL;
    size_t len = 0;

    assert_int_equal(xc_rdb_get_metadata(r, "schema", &s, &len), XC_OK);
    assert_non_null(s);
    assert_int_equal(len, 4);
    assert_memory_equal(s, "v1\0x", 4);
    free(s);
    assert_int_equal(xc_rdb_get_metadata(r, "unset", &s, &len), XC_OK);
    assert_null(s);
    assert_int_equal(len, 0);

    assert_int_equal(xc_rdb_spelling_suggestion(r, "quck", 2, &s), XC_OK);
    assert_non_null(s);
    assert_string_equal(s, "quick");
    free(s);
    assert_int_equal(xc_rdb_spelling_suggestion(r, "brwn", 2, &s), XC_OK);
    assert_string_equal(s, "brown");
    free(s);
    /* A correctly spelled word, and something too far from anything. */
    assert_int_equal(xc_rdb_spelling_suggestion(r, "quick", 2, &s), XC_OK);
    assert_null(s);
    assert_int_equal(xc_rdb_spelling_suggestion(r, "zzzzzzzz", 2, &s), XC_OK);
    assert_null(s);

    collect_t c = { 0 };
    assert_int_equal(xc_rdb_synonyms(r, "fox", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.terms[0], "reynard");
    assert_string_equal(c.terms[1], "vixen");
    assert_int_equal(c.vals[0], 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_synonyms(r, "cat", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 0);
    xc_rdb_close(r);

    /* Metadata and synonyms through a writer on a copy-free scratch db. */
    char path[256];
    tmp_path(path, sizeof path, "meta");
    xc_wdb *w = NULL;
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w, NULL, 0), XC_OK);
    assert_int_equal(xc_wdb_set_metadata(w, "k", "value", 5), XC_OK);
    assert_int_equal(xc_wdb_get_metadata(w, "k", &s, &len), XC_OK);
    assert_string_equal(s, "value");
    assert_int_equal(len, 5);
    free(s);
    assert_int_equal(xc_wdb_set_metadata(w, "", "x", 1), XC_ERR_INVALID);
    assert_true(strlen(xc_wdb_errmsg(w)) > 0);
    assert_int_equal(xc_wdb_add_synonym(w, "car", "auto"), XC_OK);
    assert_int_equal(xc_wdb_add_synonym(w, "car", "vehicle"), XC_OK);
    assert_int_equal(xc_wdb_commit(w), XC_OK);

    r = open_rdb(path);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_synonyms(r, "car", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 2);
    /* Read once more (the handle remembers both until it is reopened). */
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_synonyms(r, "car", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.terms[0], "auto");
    assert_int_equal(xc_rdb_get_metadata(r, "k", &s, &len), XC_OK);
    assert_string_equal(s, "value");
    free(s);

    /* Clearing synonyms and deleting metadata (empty value) take effect
     * for a reader after the commit and a reopen. */
    assert_int_equal(xc_wdb_clear_synonyms(w, "car"), XC_OK);
    assert_int_equal(xc_wdb_set_metadata(w, "k", NULL, 0), XC_OK);
    assert_int_equal(xc_wdb_close(w), XC_OK);
    assert_int_equal(xc_rdb_reopen(r), XC_OK);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_synonyms(r, "car", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 0);
    assert_int_equal(xc_rdb_get_metadata(r, "k", &s, NULL), XC_OK);
    assert_null(s);
    xc_rdb_close(r);
}

/* The sound and stem tables' sets may be kept one member per key: read
 * as one set with an entry of the old layout, in order, each member once;
 * other keys are never read that way. */
static void test_member_keyed_synonyms(void **state)
{
    (void)state;
    char path[256];
    tmp_path(path, sizeof path, "members");
    xc_wdb *w = NULL;
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w, NULL, 0), XC_OK);
    assert_int_equal(xc_wdb_add_synonym(w, "XSkrn" XC_SYN_MEMBER "koran", ""), XC_OK);
    assert_int_equal(xc_wdb_add_synonym(w, "XSkrn" XC_SYN_MEMBER "quran", ""), XC_OK);
    assert_int_equal(xc_wdb_add_synonym(w, "XSkrnt" XC_SYN_MEMBER "current", ""), XC_OK);
    assert_int_equal(xc_wdb_add_synonym(w, "XFrun" XC_SYN_MEMBER "running", ""), XC_OK);
    assert_int_equal(xc_wdb_add_synonym(w, "XFrun" XC_SYN_MEMBER "runs", ""), XC_OK);
    /* an entry of the old layout beside them (a database indexed before) */
    assert_int_equal(xc_wdb_add_synonym(w, "XFrun", "run"), XC_OK);
    assert_int_equal(xc_wdb_add_synonym(w, "XFrun", "runs"), XC_OK);
    assert_int_equal(xc_wdb_add_synonym(w, "XVkrn" XC_SYN_MEMBER "koran", ""), XC_OK);
    assert_int_equal(xc_wdb_commit(w), XC_OK);
    assert_int_equal(xc_wdb_close(w), XC_OK);

    xc_rdb *r = open_rdb(path);
    collect_t c = { 0 };
    assert_int_equal(xc_rdb_synonyms(r, "XSkrn", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.terms[0], "koran");
    assert_string_equal(c.terms[1], "quran");
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_synonyms(r, "XFrun", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.terms[0], "run");
    assert_string_equal(c.terms[1], "running");
    assert_string_equal(c.terms[2], "runs");
    /* stopping after the first */
    memset(&c, 0, sizeof c);
    c.stop_after = 1;
    assert_int_equal(xc_rdb_synonyms(r, "XSkrn", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 1);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_synonyms(r, "XSkr", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_rdb_synonyms(r, "XVkrn", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 0);
    xc_rdb_close(r);
}

static void test_writer_updates(void **state)
{
    (void)state;
    char path[256];
    xc_wdb *w = NULL;
    xc_docid did = 0, found = 0;
    char *v = NULL;
    size_t len = 0;

    tmp_path(path, sizeof path, "updates");
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OVERWRITE, &w, NULL, 0), XC_OK);
    put_doc(w, 1, "alpha beta", "a", "20200101");
    put_doc(w, 2, "gamma", "a", "20200102");
    assert_int_equal(xc_wdb_doccount(w), 2);

    /* replace_by_term keeps the docid and the count, changes the content. */
    xc_doc *doc = make_doc(1, "delta", "b", "20221231");
    assert_int_equal(xc_wdb_replace_by_term(w, "Q1", doc, &did), XC_OK);
    xc_doc_free(doc);
    assert_int_equal(did, 1);
    assert_int_equal(xc_wdb_doccount(w), 2);
    assert_int_equal(xc_wdb_find_term(w, "Q1", &found), XC_OK);
    assert_int_equal(found, 1);
    assert_int_equal(xc_wdb_get_value(w, 1, 0, &v, &len), XC_OK);
    assert_int_equal(len, 8);
    assert_string_equal(v, "20221231");
    free(v);
    assert_int_equal(xc_wdb_get_value(w, 1, 9, &v, &len), XC_OK);
    assert_null(v);
    assert_int_equal(xc_wdb_get_value(w, 77, 0, &v, &len), XC_ERR_NOT_FOUND);
    assert_null(v);

    collect_t c = { 0 };
    assert_int_equal(xc_wdb_allterms(w, "XC", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 2); /* XCa (doc 2) and XCb (doc 1) */
    assert_string_equal(c.terms[0], "XCa");
    assert_int_equal(c.vals[0], 1);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_wdb_allterms(w, "alpha", collect_term, &c), XC_OK);
    assert_int_equal(c.n, 0); /* the old content is gone */

    /* delete_by_term: the doc goes; a term matching nothing is fine. */
    assert_int_equal(xc_wdb_delete_by_term(w, "Q2"), XC_OK);
    assert_int_equal(xc_wdb_delete_by_term(w, "Q2"), XC_OK);
    assert_int_equal(xc_wdb_doccount(w), 1);
    assert_int_equal(xc_wdb_find_term(w, "Q2", &found), XC_OK);
    assert_int_equal(found, 0);

    /* A replace for an unknown id term adds. */
    doc = make_doc(3, "epsilon", "c", "20200103");
    assert_int_equal(xc_wdb_replace_by_term(w, "Q3", doc, &did), XC_OK);
    xc_doc_free(doc);
    assert_int_equal(did, 3);
    assert_int_equal(xc_wdb_doccount(w), 2);
    assert_int_equal(xc_wdb_close(w), XC_OK);

    xc_rdb *r = open_rdb(path);
    assert_int_equal(xc_rdb_doccount(r), 2);
    assert_int_equal(xc_rdb_termfreq(r, "delta"), 1);
    assert_int_equal(xc_rdb_termfreq(r, "alpha"), 0);
    assert_int_equal(xc_rdb_termfreq(r, "gamma"), 0);
    xc_rdb_close(r);
}

static void test_transactions(void **state)
{
    (void)state;
    char path[256];
    xc_wdb *w = NULL;
    tmp_path(path, sizeof path, "txn");
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OVERWRITE, &w, NULL, 0), XC_OK);

    assert_int_equal(xc_wdb_begin_transaction(w, 1), XC_OK);
    put_doc(w, 1, "one", "a", "1");
    assert_int_equal(xc_wdb_commit_transaction(w), XC_OK);

    assert_int_equal(xc_wdb_begin_transaction(w, 0), XC_OK);
    put_doc(w, 2, "two", "a", "2");
    assert_int_equal(xc_wdb_doccount(w), 2);
    assert_int_equal(xc_wdb_cancel_transaction(w), XC_OK);
    assert_int_equal(xc_wdb_doccount(w), 1);

    /* Misuse is reported, not thrown. */
    assert_int_equal(xc_wdb_commit_transaction(w), XC_ERR_INVALID);
    assert_true(strlen(xc_wdb_errmsg(w)) > 0);
    assert_int_equal(xc_wdb_begin_transaction(w, 1), XC_OK);
    assert_int_equal(xc_wdb_begin_transaction(w, 1), XC_ERR_INVALID);
    put_doc(w, 3, "three", "a", "3");
    /* close commits the open transaction with everything else. */
    assert_int_equal(xc_wdb_close(w), XC_OK);

    xc_rdb *r = open_rdb(path);
    assert_int_equal(xc_rdb_doccount(r), 2);
    assert_int_equal(xc_rdb_termfreq(r, "two"), 0);
    assert_int_equal(xc_rdb_termfreq(r, "three"), 1);
    xc_rdb_close(r);
}

static void test_abandon(void **state)
{
    (void)state;
    char path[256];
    xc_wdb *w = NULL;
    tmp_path(path, sizeof path, "abandon");
    make_small_db(path, 1, 2, "kept");

    /* Pending changes outside a transaction. */
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w, NULL, 0), XC_OK);
    put_doc(w, 10, "lost", "a", "1");
    assert_int_equal(xc_wdb_delete_by_term(w, "Q1"), XC_OK);
    assert_int_equal(xc_wdb_set_metadata(w, "m", "lost", 4), XC_OK);
    assert_int_equal(xc_wdb_doccount(w), 2);
    xc_wdb_abandon(w);

    xc_rdb *r = open_rdb(path);
    assert_int_equal(xc_rdb_doccount(r), 2);
    assert_int_equal(xc_rdb_termfreq(r, "lost"), 0);
    assert_int_equal(xc_rdb_termfreq(r, "Q1"), 1);
    char *m = NULL;
    assert_int_equal(xc_rdb_get_metadata(r, "m", &m, NULL), XC_OK);
    assert_null(m);

    /* Inside a transaction, and with a commit in between: only what came
     * after the commit is discarded. The lock is released either way. */
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w, NULL, 0), XC_OK);
    put_doc(w, 11, "committed", "a", "1");
    assert_int_equal(xc_wdb_commit(w), XC_OK);
    assert_int_equal(xc_wdb_begin_transaction(w, 1), XC_OK);
    put_doc(w, 12, "lost", "a", "1");
    xc_wdb_abandon(w);

    assert_int_equal(xc_rdb_reopen(r), XC_OK);
    assert_int_equal(xc_rdb_doccount(r), 3);
    assert_int_equal(xc_rdb_termfreq(r, "committed"), 1);
    assert_int_equal(xc_rdb_termfreq(r, "lost"), 0);
    xc_rdb_close(r);
}

static void test_locking_and_open_errors(void **state)
{
    (void)state;
    char path[256], err[256];
    xc_wdb *w1 = NULL, *w2 = NULL;
    tmp_path(path, sizeof path, "locked");

    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w1, err, sizeof err), XC_OK);
    assert_string_equal(err, "");
    strcpy(err, "junk");
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w2, err, sizeof err),
                     XC_ERR_LOCKED);
    assert_null(w2);
    assert_true(strlen(err) > 0);
    assert_string_not_equal(err, "junk");
    /* A tiny buffer is truncated, still terminated. */
    char small[8];
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w2, small, sizeof small),
                     XC_ERR_LOCKED);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_int_equal(xc_wdb_close(w1), XC_OK);
    /* ...and the lock is gone once the first writer has closed. */
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w2, NULL, 0), XC_OK);
    xc_wdb_abandon(w2);

    assert_int_equal(xc_wdb_open(path, 42, &w2, err, sizeof err), XC_ERR_INVALID);
    assert_null(w2);

    /* Reading a path that does not exist. */
    xc_rdb *r = (xc_rdb *)&r; /* must be reset to NULL */
    tmp_path(path, sizeof path, "no/such/db");
    assert_int_equal(xc_rdb_open(path, &r, err, sizeof err), XC_ERR_NOT_FOUND);
    assert_null(r);
    assert_true(strlen(err) > 0);
    assert_int_equal(xc_rdb_open(path, &r, NULL, 0), XC_ERR_NOT_FOUND);

    /* A directory that is not a database. */
    tmp_path(path, sizeof path, "");
    assert_int_not_equal(xc_rdb_open(path, &r, err, sizeof err), XC_OK);
    assert_null(r);
    assert_true(strlen(err) > 0);

    /* xc_rdb_add of a missing shard leaves the handle usable. */
    r = open_rdb(g_corpus);
    tmp_path(path, sizeof path, "missing-shard");
    assert_int_equal(xc_rdb_add(r, path), XC_ERR_NOT_FOUND);
    assert_true(strlen(xc_rdb_errmsg(r)) > 0);
    assert_int_equal(xc_rdb_doccount(r), 5);
    xc_rdb_close(r);
}

static void test_reader_reopen(void **state)
{
    (void)state;
    char path[256];
    xc_wdb *w = NULL;
    tmp_path(path, sizeof path, "reopen");
    make_small_db(path, 1, 1, "first");

    xc_rdb *r = open_rdb(path);
    assert_int_equal(xc_rdb_doccount(r), 1);
    /* Frequencies are remembered by the handle: a reopen must forget. */
    assert_int_equal(xc_rdb_termfreq(r, "second"), 0);
    assert_int_equal(xc_rdb_termfreq(r, "first"), 1);
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &w, NULL, 0), XC_OK);
    put_doc(w, 2, "second", "a", "2");
    assert_int_equal(xc_wdb_commit(w), XC_OK);

    /* Still the old revision until reopened. */
    assert_int_equal(xc_rdb_doccount(r), 1);
    assert_int_equal(xc_rdb_reopen(r), XC_OK);
    assert_int_equal(xc_rdb_doccount(r), 2);
    assert_int_equal(xc_rdb_termfreq(r, "second"), 1);

    assert_int_equal(xc_wdb_close(w), XC_OK);
    xc_rdb_close(r);
}

enum { MOD_NDOCS = 1500, MOD_ROUNDS = 4 };

static void rewrite_all(xc_wdb *w, int first_round)
{
    char text[64];
    for (int round = first_round; round < first_round + MOD_ROUNDS; round++) {
        for (int i = 0; i < MOD_NDOCS; i++) {
            /* Changing the wdf of every w term rewrites their postings
             * too, not just those of the r terms. */
            if (round % 2)
                snprintf(text, sizeof text, "w%d w%d r%d", i, i, round);
            else
                snprintf(text, sizeof text, "w%d r%d", i, round);
            put_doc(w, i, text, "z", "1");
        }
        assert_int_equal(xc_wdb_commit(w), XC_OK);
    }
}

typedef struct {
    int n;
    char prev[64];
    xc_wdb *rewrite_at_5; /* non-NULL: rewrite the db after the 5th term */
} ordered_t;

/* Counts terms and checks each is strictly greater than the last, so a
 * walk restarted after a reopen can be seen not to repeat itself. */
static int count_ordered(const char *t, size_t len, uint32_t tf, void *ud)
{
    ordered_t *o = ud;
    (void)tf;
    assert_true(len < sizeof o->prev);
    if (o->n)
        assert_true(strcmp(o->prev, t) < 0);
    memcpy(o->prev, t, len + 1);
    if (++o->n == 5 && o->rewrite_at_5)
        rewrite_all(o->rewrite_at_5, 10);
    return 0;
}

/* Rewriting every document a few times under open readers makes Xapian
 * reuse the blocks of the readers' revision, so their next reads of
 * uncached blocks throw DatabaseModifiedError (with glass in Xapian 1.4
 * this is deterministic for this many documents). The wrapper must reopen
 * and retry: the readers then answer from the newest revision instead of
 * failing, and a walk picks up after the last term it delivered. */
static void test_modified_retry(void **state)
{
    (void)state;
    char path[256], text[64];
    xc_wdb *w = NULL;
    tmp_path(path, sizeof path, "modified");
    assert_int_equal(xc_wdb_open(path, XC_WDB_CREATE_OR_OVERWRITE, &w, NULL, 0), XC_OK);
    for (int i = 0; i < MOD_NDOCS; i++) {
        snprintf(text, sizeof text, "w%d common", i);
        put_doc(w, i, text, "z", "1");
    }
    assert_int_equal(xc_wdb_commit(w), XC_OK);

    /* (No reader may touch the tables before the rewrite: blocks it has
     * cached would keep answering from the old revision.) */
    xc_rdb *r1 = open_rdb(path);
    xc_rdb *r2 = open_rdb(path);
    xc_rdb *r3 = open_rdb(path);
    rewrite_all(w, 0);

    assert_int_equal(xc_rdb_termfreq(r1, "common"), 0);
    assert_int_equal(xc_rdb_termfreq(r1, "r3"), MOD_NDOCS);
    assert_string_equal(xc_rdb_errmsg(r1), "");

    xc_query *q = term("r3");
    xc_mset *m = run_query(r2, q);
    assert_int_equal(xc_mset_size(m), 100); /* run_query's page size */
    assert_int_equal(xc_mset_matches_estimated(m), MOD_NDOCS);
    xc_mset_free(m);
    xc_query_free(q);

    /* A walk that is overtaken by the writer half-way. */
    ordered_t o = { 0 };
    o.rewrite_at_5 = w;
    assert_int_equal(xc_rdb_allterms(r3, "w", count_ordered, &o), XC_OK);
    assert_int_equal(o.n, MOD_NDOCS);
    assert_int_equal(xc_rdb_termfreq(r3, "r13"), MOD_NDOCS);

    assert_int_equal(xc_wdb_close(w), XC_OK);
    xc_rdb_close(r1);
    xc_rdb_close(r2);
    xc_rdb_close(r3);
}

static void test_stub_and_shards(void **state)
{
    (void)state;
    char a[256], b[256], stub[256];
    tmp_path(a, sizeof a, "shard_a");
    tmp_path(b, sizeof b, "shard_b");
    tmp_path(stub, sizeof stub, "shards.stub");
    make_small_db(a, 1, 3, "apple");
    make_small_db(b, 100, 2, "banana");

    FILE *f = fopen(stub, "w");
    assert_non_null(f);
    fprintf(f, "auto %s\nauto %s\n", a, b);
    assert_int_equal(fclose(f), 0);

    xc_rdb *r = open_rdb(stub);
    assert_int_equal(xc_rdb_doccount(r), 5);
    assert_int_equal(xc_rdb_termfreq(r, "common"), 5);
    assert_int_equal(xc_rdb_termfreq(r, "banana"), 2);
    xc_docid did = 0;
    assert_int_equal(xc_rdb_find_term(r, "Q101", &did), XC_OK);
    assert_true(did != 0);
    xc_doc *doc = NULL;
    assert_int_equal(xc_rdb_get_document(r, did, &doc), XC_OK);
    assert_string_equal(xc_doc_get_data(doc, NULL), "doc 101");
    xc_doc_free(doc);
    positions_t p = { 0 };
    assert_int_equal(xc_rdb_positions(r, did, "common", collect_pos, &p), XC_OK);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.pos[0], 2);
    xc_rdb_close(r);

    /* The same union through xc_rdb_add. */
    r = open_rdb(a);
    assert_int_equal(xc_rdb_add(r, b), XC_OK);
    assert_int_equal(xc_rdb_doccount(r), 5);
    xc_query *q = term("banana");
    xc_mset *m = run_query(r, q);
    assert_int_equal(xc_mset_size(m), 2);
    xc_mset_free(m);
    xc_query_free(q);
    xc_rdb_close(r);
}

static void test_compact(void **state)
{
    (void)state;
    char a[256], b[256], dst[256], err[256];
    tmp_path(a, sizeof a, "compact_a");
    tmp_path(b, sizeof b, "compact_b");
    tmp_path(dst, sizeof dst, "compact_out");
    make_small_db(a, 1, 3, "cherry");
    make_small_db(b, 50, 4, "damson");

    const char *srcs[2] = { a, b };
    assert_int_equal(xc_compact(srcs, 2, dst, err, sizeof err), XC_OK);
    assert_string_equal(err, "");
    xc_rdb *r = open_rdb(dst);
    assert_int_equal(xc_rdb_doccount(r), 7);
    assert_int_equal(xc_rdb_termfreq(r, "cherry"), 3);
    assert_int_equal(xc_rdb_termfreq(r, "damson"), 4);
    xc_docid did = 0;
    assert_int_equal(xc_rdb_find_term(r, "Q53", &did), XC_OK);
    xc_doc *doc = NULL;
    assert_int_equal(xc_rdb_get_document(r, did, &doc), XC_OK);
    assert_string_equal(xc_doc_get_data(doc, NULL), "doc 53");
    xc_doc_free(doc);
    xc_rdb_close(r);

    char missing[256], dst2[256];
    tmp_path(missing, sizeof missing, "compact_missing");
    tmp_path(dst2, sizeof dst2, "compact_out2");
    const char *bad[2] = { a, missing };
    assert_int_equal(xc_compact(bad, 2, dst2, err, sizeof err), XC_ERR_NOT_FOUND);
    assert_true(strlen(err) > 0);
    assert_int_equal(xc_compact(srcs, 0, dst2, err, sizeof err), XC_ERR_INVALID);
}

static void test_query_operators(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);

    /* Phrase: adjacent positions only (doc 2 "quick fox"; doc 1 and 5 have
     * words in between). */
    xc_query *q = combine2(XC_OP_PHRASE, term("quick"), term("fox"), 0);
    assert_int_equal(match_ids(r, q), 1u << 2);
    xc_query_free(q);
    /* Order matters for a phrase. */
    q = combine2(XC_OP_PHRASE, term("fox"), term("quick"), 0);
    assert_int_equal(match_ids(r, q), 0);
    xc_query_free(q);

    /* NEAR within a window of 3 positions: doc 1 (2,4), doc 2 (1,2); not
     * doc 5 (1,4), which needs a window of 4. */
    q = combine2(XC_OP_NEAR, term("quick"), term("fox"), 3);
    assert_int_equal(match_ids(r, q), IDS2(1, 2));
    xc_query_free(q);
    q = combine2(XC_OP_NEAR, term("fox"), term("quick"), 4);
    assert_int_equal(match_ids(r, q), IDS3(1, 2, 5));
    xc_query_free(q);

    q = combine2(XC_OP_AND, term("quick"), term("brown"), 0);
    assert_int_equal(match_ids(r, q), IDS3(1, 2, 3));
    xc_query_free(q);
    q = combine2(XC_OP_AND_NOT, term("quick"), term("brown"), 0);
    assert_int_equal(match_ids(r, q), 1u << 5);
    xc_query_free(q);
    q = combine2(XC_OP_OR, term("lazy"), term("sleeps"), 0);
    assert_int_equal(match_ids(r, q), IDS3(3, 4, 5));
    xc_query_free(q);

    /* FILTER by a boolean term: restricts without adding weight. */
    xc_query *plain = term("quick");
    xc_mset *m0 = run_query(r, plain);
    q = combine2(XC_OP_FILTER, term("quick"), term("XCa"), 0);
    xc_mset *m = run_query(r, q);
    assert_int_equal(mset_ids(m), IDS2(1, 2));
    for (uint32_t i = 0; i < xc_mset_size(m); i++)
        for (uint32_t j = 0; j < xc_mset_size(m0); j++)
            if (xc_mset_docid(m0, j) == xc_mset_docid(m, i))
                assert_true(fabs(xc_mset_weight(m0, j) - xc_mset_weight(m, i)) < 1e-9);
    xc_mset_free(m);
    xc_mset_free(m0);
    xc_query_free(q);
    xc_query_free(plain);

    /* Single-subquery, zero-subquery and NULL-subquery combinations. */
    xc_query *one[1] = { term("dog") };
    q = xc_query_combine(XC_OP_AND, one, 1, 0);
    assert_int_equal(match_ids(r, q), IDS2(3, 4));
    xc_query_free(q);
    xc_query_free(one[0]);
    q = xc_query_combine(XC_OP_OR, NULL, 0, 0);
    assert_non_null(q);
    assert_true(xc_query_empty(q));
    assert_int_equal(match_ids(r, q), 0);
    xc_query_free(q);

    /* SYNONYM, ELITE_SET, MAX and AND_MAYBE all match the union / left. */
    q = combine2(XC_OP_SYNONYM, term("lazy"), term("sleeps"), 0);
    assert_int_equal(match_ids(r, q), IDS3(3, 4, 5));
    xc_query_free(q);
    q = combine2(XC_OP_MAX, term("lazy"), term("sleeps"), 0);
    assert_int_equal(match_ids(r, q), IDS3(3, 4, 5));
    xc_query_free(q);
    q = combine2(XC_OP_AND_MAYBE, term("dog"), term("quick"), 0);
    assert_int_equal(match_ids(r, q), IDS2(3, 4));
    xc_query_free(q);
    xc_query *three[3] = { term("lazy"), term("sleeps"), term("jumps") };
    q = xc_query_combine(XC_OP_ELITE_SET, three, 3, 1);
    assert_non_null(q);
    /* One of the three rarest-first terms: a single term's documents. */
    uint32_t ids = match_ids(r, q);
    assert_true(ids == (1u << 3) || ids == (1u << 1) || ids == IDS2(4, 5));
    xc_query_free(q);
    for (int i = 0; i < 3; i++)
        xc_query_free(three[i]);

    /* match_all / match_nothing / describe / empty */
    q = xc_query_match_all();
    assert_false(xc_query_empty(q));
    assert_int_equal(match_ids(r, q), 0x3eu);
    char *desc = xc_query_describe(q);
    assert_non_null(desc);
    assert_true(strlen(desc) > 0);
    free(desc);
    xc_query_free(q);
    q = xc_query_match_nothing();
    assert_true(xc_query_empty(q));
    assert_int_equal(match_ids(r, q), 0);
    xc_query_free(q);
    q = combine2(XC_OP_PHRASE, term("quick"), term("fox"), 0);
    desc = xc_query_describe(q);
    assert_non_null(strstr(desc, "PHRASE"));
    assert_non_null(strstr(desc, "quick"));
    free(desc);
    xc_query_free(q);

    /* Xapian rejects a negative scale factor: NULL rather than a throw. */
    plain = term("quick");
    assert_null(xc_query_scale(plain, -1.0));
    xc_query_free(plain);

    xc_rdb_close(r);
}

static void test_value_range(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    xc_query *q;

    q = xc_query_value_range(0, "20200102", "20200104");
    assert_int_equal(match_ids(r, q), IDS3(2, 3, 4));
    xc_query_free(q);
    q = xc_query_value_range(0, "20200104", NULL);
    assert_int_equal(match_ids(r, q), IDS2(4, 5));
    xc_query_free(q);
    q = xc_query_value_range(0, NULL, "20200102");
    assert_int_equal(match_ids(r, q), IDS2(1, 2));
    xc_query_free(q);
    q = xc_query_value_range(0, NULL, NULL);
    assert_int_equal(match_ids(r, q), 0x3eu);
    xc_query_free(q);
    q = xc_query_value_range(0, "2021", NULL);
    assert_int_equal(match_ids(r, q), 0);
    xc_query_free(q);
    /* Open ends never take in documents without a value in the slot. */
    q = xc_query_value_range(9, NULL, NULL);
    assert_int_equal(match_ids(r, q), 0);
    xc_query_free(q);
    q = xc_query_value_range(9, NULL, "zzz");
    assert_int_equal(match_ids(r, q), 0);
    xc_query_free(q);
    q = xc_query_value_range(9, "", NULL);
    assert_int_equal(match_ids(r, q), 0);
    xc_query_free(q);
    q = xc_query_value_range(0, "", "20200101");
    assert_int_equal(match_ids(r, q), 1u << 1);
    xc_query_free(q);
    /* Combined with a term as a filter. */
    q = combine2(XC_OP_FILTER, term("quick"), xc_query_value_range(0, "20200103", NULL), 0);
    assert_int_equal(match_ids(r, q), IDS2(3, 5));
    xc_query_free(q);
    xc_rdb_close(r);
}

static void test_scale_weight(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    xc_query *q = term("quick");
    xc_query *q3 = xc_query_scale(q, 3.0);
    assert_non_null(q3);
    xc_mset *m = run_query(r, q);
    xc_mset *m3 = run_query(r, q3);
    assert_int_equal(xc_mset_size(m), 4);
    assert_int_equal(xc_mset_size(m3), 4);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(xc_mset_docid(m, i), xc_mset_docid(m3, i));
        assert_true(xc_mset_weight(m, i) > 0);
        assert_true(fabs(xc_mset_weight(m3, i) - 3.0 * xc_mset_weight(m, i)) < 1e-9);
    }
    xc_mset_free(m);
    xc_mset_free(m3);

    /* Scaling one branch of an OR changes which document wins: "jumps"
     * only in doc 1, "sleeps" only in doc 3, same statistics. */
    xc_query *j = term("jumps");
    xc_query *s = term("sleeps");
    xc_query *sj = xc_query_scale(j, 2.0);
    xc_query *subs[2] = { sj, s };
    xc_query *orq = xc_query_combine(XC_OP_OR, subs, 2, 0);
    m = run_query(r, orq);
    assert_int_equal(xc_mset_docid(m, 0), 1);
    xc_mset_free(m);
    xc_query_free(orq);
    xc_query_free(sj);
    sj = xc_query_scale(s, 2.0);
    subs[0] = j;
    subs[1] = sj;
    orq = xc_query_combine(XC_OP_OR, subs, 2, 0);
    m = run_query(r, orq);
    assert_int_equal(xc_mset_docid(m, 0), 3);
    xc_mset_free(m);
    xc_query_free(orq);
    xc_query_free(sj);
    xc_query_free(j);
    xc_query_free(s);

    xc_query_free(q3);
    xc_query_free(q);
    xc_rdb_close(r);
}

static void test_enquire_options(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    xc_enquire *e = xc_enquire_new(r);
    xc_mset *m = NULL;
    assert_non_null(e);

    /* Collapse on the category: a, b, c remain; one of each pair folded. */
    xc_query *q = xc_query_match_all();
    xc_enquire_set_query(e, q);
    xc_query_free(q); /* the enquire keeps its own copy */
    xc_enquire_set_collapse(e, 1, 1);
    assert_int_equal(xc_enquire_run(e, 0, 10, 10, &m), XC_OK);
    assert_int_equal(xc_mset_size(m), 3);
    uint32_t folded = 0;
    for (uint32_t i = 0; i < xc_mset_size(m); i++)
        folded += xc_mset_collapse_count(m, i);
    assert_int_equal(folded, 2);
    xc_mset_free(m);

    /* Sort by date, ascending then descending, then back to relevance. */
    xc_enquire_set_collapse(e, 1, 0); /* 0 = no collapsing */
    xc_enquire_set_sort_by_value(e, 0, 0);
    assert_int_equal(xc_enquire_run(e, 0, 10, 0, &m), XC_OK);
    assert_int_equal(xc_mset_size(m), 5);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(xc_mset_docid(m, i), i + 1);
    xc_mset_free(m);
    xc_enquire_set_sort_by_value(e, 0, 1);
    assert_int_equal(xc_enquire_run(e, 1, 2, 0, &m), XC_OK); /* a page */
    assert_int_equal(xc_mset_size(m), 2);
    assert_int_equal(xc_mset_docid(m, 0), 4);
    assert_int_equal(xc_mset_docid(m, 1), 3);
    assert_int_equal(xc_mset_matches_estimated(m), 5);
    assert_true(xc_mset_matches_lower(m) <= 5 && xc_mset_matches_upper(m) >= 5);
    /* Out-of-range items read as empty rather than crash. */
    assert_int_equal(xc_mset_docid(m, 2), 0);
    xc_doc *doc = NULL;
    assert_int_equal(xc_mset_document(m, 9, &doc), XC_ERR_INVALID);
    assert_int_equal(xc_mset_document(m, 1, &doc), XC_OK);
    assert_string_equal(xc_doc_get_data(doc, NULL), "doc 3");
    assert_string_equal(xc_doc_get_value(doc, 1, NULL), "b");
    xc_doc_free(doc);
    xc_mset_free(m);

    /* Relevance again, with BM25 parameters: "dog" weighs more in the
     * shorter doc 4 unless b = 0 removes length normalisation. */
    xc_enquire_set_sort_by_value(e, -1, 0);
    q = term("dog");
    xc_enquire_set_query(e, q);
    xc_query_free(q);
    assert_int_equal(xc_enquire_run(e, 0, 10, 0, &m), XC_OK);
    assert_int_equal(xc_mset_size(m), 2);
    assert_int_equal(xc_mset_docid(m, 0), 4);
    assert_true(xc_mset_weight(m, 0) > xc_mset_weight(m, 1));
    xc_mset_free(m);
    xc_enquire_set_bm25(e, 1.2, 0, 1, 0.0, 0.5);
    assert_int_equal(xc_enquire_run(e, 0, 10, 0, &m), XC_OK);
    assert_true(fabs(xc_mset_weight(m, 0) - xc_mset_weight(m, 1)) < 1e-9);
    xc_mset_free(m);

    assert_string_equal(xc_enquire_errmsg(e), "");

    xc_enquire_free(e);
    xc_rdb_close(r);
}

static void test_expand(void **state)
{
    (void)state;
    xc_rdb *r = open_rdb(g_corpus);
    xc_enquire *e = xc_enquire_new(r);
    xc_query *q = term("fox");
    xc_mset *m = NULL;
    xc_enquire_set_query(e, q);
    assert_int_equal(xc_enquire_run(e, 0, 10, 0, &m), XC_OK);
    assert_int_equal(xc_mset_size(m), 3);

    collect_t c = { 0 };
    assert_int_equal(xc_enquire_expand(e, m, 3, 10, NULL, 0, collect_term, &c), XC_OK);
    assert_true(c.n > 0);
    int saw_quick = 0;
    for (int i = 0; i < c.n; i++) {
        assert_string_not_equal(c.terms[i], "fox"); /* query terms excluded */
        if (strcmp(c.terms[i], "quick") == 0)
            saw_quick = 1;
        if (i > 0)
            assert_true(c.vals[i] <= c.vals[i - 1]); /* best first */
    }
    assert_true(saw_quick);

    memset(&c, 0, sizeof c);
    assert_int_equal(xc_enquire_expand(e, m, 3, 10, "qu", 0, collect_term, &c), XC_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.terms[0], "quick");
    assert_true(c.vals[0] > 0);

    /* Terms of two of the three fox documents at least: quick, brown and
     * the category term XCa; not jumps, lazy, red, the. */
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_enquire_expand(e, m, 3, 10, NULL, 2, collect_term, &c), XC_OK);
    assert_int_equal(c.n, 3);
    saw_quick = 0;
    for (int i = 0; i < c.n; i++) {
        assert_true(!strcmp(c.terms[i], "quick") || !strcmp(c.terms[i], "brown") ||
                    !strcmp(c.terms[i], "XCa"));
        saw_quick |= !strcmp(c.terms[i], "quick");
    }
    assert_true(saw_quick);

    memset(&c, 0, sizeof c);
    assert_int_equal(xc_enquire_expand(e, m, 0, 10, NULL, 0, collect_term, &c), XC_OK);
    assert_int_equal(c.n, 0);

    /* Weighted by score: "quick fox brown" (doc 2, the shortest) ranks
     * first; red is only in doc 5, below it. With sharpness 0 the
     * weights are those of xc_enquire_expand; with a high one doc 5
     * counts next to nothing, so red falls against quick (in all three). */
    assert_true(xc_mset_weight(m, 0) > xc_mset_weight(m, 1));
    double ratio[2];
    for (int k = 0; k < 2; k++) {
        memset(&c, 0, sizeof c);
        assert_int_equal(xc_enquire_expand_weighted(e, m, 3, 10, NULL, 0, k ? 40.0 : 0.0,
                                                    collect_term, &c), XC_OK);
        double quick = 0, red = 0;
        for (int i = 0; i < c.n; i++) {
            if (!strcmp(c.terms[i], "quick"))
                quick = c.vals[i];
            if (!strcmp(c.terms[i], "red"))
                red = c.vals[i];
        }
        assert_true(quick > 0);
        ratio[k] = red / quick;
    }
    assert_true(ratio[0] > 0);
    assert_true(ratio[1] < ratio[0] / 2);
    collect_t plain = { 0 };
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_enquire_expand(e, m, 3, 10, NULL, 0, collect_term, &plain), XC_OK);
    assert_int_equal(xc_enquire_expand_weighted(e, m, 3, 10, NULL, 0, 0, collect_term, &c), XC_OK);
    assert_int_equal(c.n, plain.n);
    for (int i = 0; i < c.n; i++) {
        assert_string_equal(c.terms[i], plain.terms[i]);
        assert_int_equal(c.vals[i], plain.vals[i]);
    }

    xc_mset_free(m);
    xc_query_free(q);

    /* A docid filter: exactly the listed documents that match. */
    xc_docid ids[] = { 5, 1, 3, 5 };
    xc_query *pool = xc_query_docids(ids, 4);
    xc_query *all = xc_query_term("", 1, 0);
    xc_query *v[2] = { all, pool };
    xc_query *f = xc_query_combine(XC_OP_FILTER, v, 2, 0);
    xc_enquire_set_query(e, f);
    assert_int_equal(xc_enquire_run(e, 0, 10, 0, &m), XC_OK);
    assert_int_equal(xc_mset_size(m), 3);
    xc_docid got[3];
    for (int i = 0; i < 3; i++)
        got[i] = xc_mset_docid(m, i);
    assert_true(got[0] + got[1] + got[2] == 9 && got[0] * got[1] * got[2] == 15);
    xc_mset_free(m);
    q = term("fox");                       /* docs 1, 2, 5 */
    v[0] = q;
    xc_query_free(f);
    f = xc_query_combine(XC_OP_FILTER, v, 2, 0);
    xc_enquire_set_query(e, f);
    assert_int_equal(xc_enquire_run(e, 0, 10, 0, &m), XC_OK);
    assert_int_equal(xc_mset_size(m), 2);
    assert_true((xc_mset_docid(m, 0) == 1 && xc_mset_docid(m, 1) == 5) ||
                (xc_mset_docid(m, 0) == 5 && xc_mset_docid(m, 1) == 1));
    assert_true(xc_mset_weight(m, 0) > 0);   /* the filter adds no weight, takes none */
    xc_mset_free(m);
    xc_query_free(q);
    xc_query_free(f);
    xc_query_free(all);
    xc_query_free(pool);
    xc_enquire_free(e);
    xc_rdb_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_and_version),
        cmocka_unit_test(test_stats_and_terms),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_failure_count),
        cmocka_unit_test(test_metadata_spelling_synonyms),
        cmocka_unit_test(test_member_keyed_synonyms),
        cmocka_unit_test(test_writer_updates),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_abandon),
        cmocka_unit_test(test_locking_and_open_errors),
        cmocka_unit_test(test_reader_reopen),
        cmocka_unit_test(test_modified_retry),
        cmocka_unit_test(test_stub_and_shards),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_query_operators),
        cmocka_unit_test(test_value_range),
        cmocka_unit_test(test_scale_weight),
        cmocka_unit_test(test_enquire_options),
        cmocka_unit_test(test_expand),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
