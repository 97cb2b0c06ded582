/* test_readers_xml.c - the blog readers: Blogger, WordPress, RSS, Atom and
 * HTML pages, on the fixtures in $TG_TESTDATA/reader (see its README.md),
 * and every kind of bad input they must survive. Damaged variants
 * (truncated, gzip-cut, mis-encoded, oversized) are made at run time.
 * When ../shared (or $SHARED) holds the real exports, they are read too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "tg_buf.h"
#include "tg_reader.h"
#include "tg_text.h"
#include "../../lib/reader_int.h"

/* ---- helpers ------------------------------------------------------------ */

static char *data_path(const char *name)
{
    const char *dir = getenv("TG_TESTDATA");
    if (!dir || !*dir)
        dir = "tests/data";
    size_t n = strlen(dir) + strlen(name) + 16;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/reader/%s", dir, name);
    return p;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    tg_buf b = {0};
    char tmp[4096];
    size_t r;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
        assert_int_equal(tg_buf_append(&b, tmp, r), TG_OK);
    fclose(f);
    *len = b.len;
    char *s = tg_buf_steal(&b);
    return s ? s : calloc(1, 1);
}

static char *fixture(const char *name, size_t *len)
{
    char *p = data_path(name);
    char *s = read_file(p, len);
    free(p);
    return s;
}

static char *temp_path(const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/tg_rxml_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    close(fd);
    unlink(tmpl);
    size_t n = strlen(tmpl) + strlen(suffix) + 1;
    char *p = malloc(n);
    snprintf(p, n, "%s%s", tmpl, suffix);
    return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void gz_file(const char *path, const char *data, size_t n)
{
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    if (n)
        assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
    assert_int_equal(gzclose(g), Z_OK);
}

/* Messages collected from on_error and on_notice, "origin|message". */
typedef struct {
    char *msg[128];
    size_t n;
} msgs;

typedef struct {
    msgs warn, note;
} sink;

static void push(msgs *m, const char *origin, const char *message)
{
    assert_true(m->n < 128);
    size_t n = strlen(origin) + strlen(message) + 2;
    m->msg[m->n] = malloc(n);
    snprintf(m->msg[m->n], n, "%s|%s", origin, message);
    m->n++;
}

static void on_warn(const char *origin, const char *message, void *ud)
{
    push(&((sink *)ud)->warn, origin, message);
}

static void on_note(const char *origin, const char *message, void *ud)
{
    push(&((sink *)ud)->note, origin, message);
}

static void sink_free(sink *s)
{
    for (size_t i = 0; i < s->warn.n; i++)
        free(s->warn.msg[i]);
    for (size_t i = 0; i < s->note.n; i++)
        free(s->note.msg[i]);
    s->warn.n = s->note.n = 0;
}

/* Is there a message holding every one of the strings (NULL-ended)? */
static int has_msg(const msgs *m, ...)
{
    for (size_t i = 0; i < m->n; i++) {
        va_list ap;
        va_start(ap, m);
        int all = 1;
        for (const char *s; (s = va_arg(ap, const char *));)
            if (!strstr(m->msg[i], s))
                all = 0;
        va_end(ap);
        if (all)
            return 1;
    }
    return 0;
}

static void print_msgs(const sink *s)
{
    for (size_t i = 0; i < s->warn.n; i++)
        print_message("warning: %s\n", s->warn.msg[i]);
    for (size_t i = 0; i < s->note.n; i++)
        print_message("notice: %s\n", s->note.msg[i]);
}

static tg_reader_opts opts(int comments, size_t max_article, uint64_t max_bytes)
{
    tg_reader_opts o = TG_READER_OPTS_DEFAULT;
    o.comments = comments;
    o.max_article_bytes = max_article;
    o.max_bytes = max_bytes;
    o.on_notice = on_note;
    return o;
}

#define MAXA 64

/* Reads every article; returns how many, keeping up to max. On a fatal
 * error returns the count so far and sets *fatal (when given). */
static size_t read_all(tg_reader *r, tg_article *out, size_t max, tg_status *fatal)
{
    size_t n = 0;
    tg_article a;
    tg_article_init(&a);
    if (fatal)
        *fatal = TG_OK;
    for (;;) {
        int done;
        tg_status st = tg_reader_next(r, &a, &done);
        if (st) {
            assert_non_null(fatal);
            *fatal = st;
            break;
        }
        if (done)
            break;
        /* The promise to every caller: valid UTF-8 everywhere. */
        assert_true(tg_utf8_valid(a.body, strlen(a.body)));
        if (a.title)
            assert_true(tg_utf8_valid(a.title, strlen(a.title)));
        if (n < max) {
            out[n] = a;
            tg_article_init(&a);
        }
        n++;
    }
    tg_article_clear(&a);
    return n;
}

static void free_articles(tg_article *a, size_t n)
{
    for (size_t i = 0; i < n && i < MAXA; i++)
        tg_article_clear(&a[i]);
}

/* Opens a fixture file and reads it all. */
static size_t read_fixture(const char *name, const tg_reader_opts *o, sink *s, tg_article *a,
                           tg_format *fmt)
{
    char *path = data_path(name);
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, o, on_warn, s, err, sizeof err);
    if (!r)
        print_message("open %s: %s\n", path, err);
    assert_non_null(r);
    if (fmt)
        *fmt = tg_reader_format(r);
    size_t n = read_all(r, a, MAXA, NULL);
    tg_reader_close(r);
    free(path);
    return n;
}

static size_t read_mem(const char *data, size_t len, const char *name, const tg_reader_opts *o,
                       sink *s, tg_article *a, tg_status *fatal)
{
    tg_reader *r = tg_reader_open_mem(data, len, name, TG_FORMAT_AUTO, o, on_warn, s);
    if (!r)
        print_msgs(s);
    assert_non_null(r);
    size_t n = read_all(r, a, MAXA, fatal);
    tg_reader_close(r);
    return n;
}

static void assert_tags(const tg_article *a, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    if (a->ntags != n)
        print_message("%s: %zu tags, want %zu\n", a->id, a->ntags, n);
    assert_int_equal(a->ntags, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(a->tags[i], want[i]);
}

static void assert_absent(const tg_article *a, size_t n, const char *const *markers)
{
    for (size_t i = 0; i < n; i++)
        for (const char *const *m = markers; *m; m++) {
            if (strstr(a[i].body, *m))
                print_message("%s: \"%s\" in the body\n", a[i].id, *m);
            assert_null(strstr(a[i].body, *m));
            if (a[i].title)
                assert_null(strstr(a[i].title, *m));
        }
}

/* ---- formats and sniffing ----------------------------------------------- */

static void test_format_names(void **state)
{
    (void)state;
    static const struct { const char *name; tg_format f; } names[] = {
        { "html", TG_FORMAT_HTML }, { "blogger", TG_FORMAT_BLOGGER },
        { "wordpress", TG_FORMAT_WORDPRESS }, { "wxr", TG_FORMAT_WORDPRESS },
        { "rss", TG_FORMAT_RSS }, { "atom", TG_FORMAT_ATOM },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_int_equal(tg_format_from_name(names[i].name), names[i].f);
    assert_string_equal(tg_format_name(TG_FORMAT_WORDPRESS), "wordpress");
    assert_string_equal(tg_format_name(TG_FORMAT_HTML), "html");
    assert_int_equal(tg_format_from_name("xml"), -1);
    assert_non_null(strstr(tg_format_names(), "blogger"));
}

static void test_sniffing(void **state)
{
    (void)state;
    static const struct { const char *file; tg_format want; } files[] = {
        { "blogger.xml", TG_FORMAT_BLOGGER }, { "wordpress.xml", TG_FORMAT_WORDPRESS },
        { "feed-rss.xml", TG_FORMAT_RSS }, { "feed-atom.xml", TG_FORMAT_ATOM },
        { "broken.xml", TG_FORMAT_ATOM }, { "html/blogger-post.html", TG_FORMAT_HTML },
        { "html/latin1.html", TG_FORMAT_HTML }, { "articles.jsonl", TG_FORMAT_JSONL },
        { "2017-03-03-tigris-floods.txt", TG_FORMAT_TEXT },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        sink s = {0};
        char *p = data_path(files[i].file);
        char err[512];
        tg_reader *r = tg_reader_open(p, TG_FORMAT_AUTO, NULL, on_warn, &s, err, sizeof err);
        assert_non_null(r);
        if (tg_reader_format(r) != files[i].want)
            print_message("%s sniffed as %s\n", files[i].file, tg_format_name(tg_reader_format(r)));
        assert_int_equal(tg_reader_format(r), files[i].want);
        assert_true(tg_reader_confidence(r) >= TG_SNIFF_SURE);
        tg_reader_close(r);
        free(p);
    }
    static const struct { const char *data, *name; tg_format want; } mem[] = {
        { "<!-- saved from url=(0014)about:internet -->\n<!DOCTYPE html><p>x", "a", TG_FORMAT_HTML },
        { "<HTML><BODY>old page</BODY></HTML>", "b", TG_FORMAT_HTML },
        { "<div class=\"post\">a saved fragment</div>", "c.html", TG_FORMAT_HTML },
        { "<?xml version=\"1.0\"?>\n<!DOCTYPE feed [\n<!ENTITY a \"b\">\n]>\n<feed xmlns="
          "\"http://www.w3.org/2005/Atom\"></feed>", "d", TG_FORMAT_ATOM },
        { "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns="
          "\"http://purl.org/rss/1.0/\"></rdf:RDF>", "e", TG_FORMAT_RSS },
        { "<rss version=\"2.0\" xmlns:wp=\"https://wordpress.org/export/1.2/\"><channel>",
          "f", TG_FORMAT_WORDPRESS },
        { "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google."
          "com/blogger/2018'>", "g", TG_FORMAT_BLOGGER },
    };
    for (size_t i = 0; i < sizeof mem / sizeof mem[0]; i++) {
        sink s = {0};
        tg_reader *r = tg_reader_open_mem(mem[i].data, strlen(mem[i].data), mem[i].name,
                                          TG_FORMAT_AUTO, NULL, on_warn, &s);
        assert_non_null(r);
        if (tg_reader_format(r) != mem[i].want)
            print_message("case %zu sniffed as %s\n", i, tg_format_name(tg_reader_format(r)));
        assert_int_equal(tg_reader_format(r), mem[i].want);
        tg_reader_close(r);
        sink_free(&s);
    }
}

/* ---- Blogger ------------------------------------------------------------ */

static const char *const blogger_markers[] = {
    "templatemarker", "settingsmarker", "ada.tigris@example.net", "draftmarker",
    "scriptmarker", "noreply@blogger.com", NULL,
};

static void check_blogger(const tg_article *a, size_t n, const char *path)
{
    assert_int_equal(n, 3);
    char origin[1024];
    assert_string_equal(a[0].id, "tag:blogger.com,1999:blog-1111.post-2001");
    assert_string_equal(a[0].url, "http://rivernotes.example.org/2016/09/five-bridges.html");
    snprintf(origin, sizeof origin, "%s:entry 3", path);
    assert_string_equal(a[0].origin, origin);
    assert_string_equal(a[0].title, "The Five Bridges of Mosul");
    assert_string_equal(a[0].date, "2016-09-13"); /* as written, in the blog's zone */
    assert_string_equal(a[0].author, "Ada Tigris");
    assert_tags(&a[0], (const char *const[]){ "Mosul", "bridges", NULL });
    /* Escaped HTML decoded once: &amp;amp; is "&"; <br><br> a paragraph;
     * list items lines; &eacute; and &nbsp; characters. */
    assert_memory_equal(a[0].body,
        "Mosul grew up on both banks of the Tigris, and for most of its history a single "
        "pontoon bridge joined them.\n\nThe first iron bridge opened in 1934 & carried carts, "
        "cars and the odd camel.\n\nThe Old Bridge\nThe Fourth Bridge\n\n"
        "Caf\xC3\xA9 owners on the east bank still remember the queues.", 278);

    assert_string_equal(a[1].id, "tag:blogger.com,1999:blog-1111.post-2002");
    assert_string_equal(a[1].title, "Date Palms of Basra");
    assert_string_equal(a[1].date, "2016-09-20");
    assert_tags(&a[1], (const char *const[]){ "Basra", NULL });
    assert_string_equal(a[1].body, "Basra once counted its date palms in the millions along the "
                                   "Shatt al-Arab.\n\nIrrigation canals fed by the tide kept "
                                   "the groves green.");
    /* A page is an article too. */
    assert_string_equal(a[2].id, "tag:blogger.com,1999:blog-1111.page-3001");
    assert_string_equal(a[2].url, "http://rivernotes.example.org/p/about.html");
    assert_string_equal(a[2].date, "2015-01-05");
    assert_int_equal(a[2].ntags, 0);
    assert_absent(a, n, blogger_markers);
}

static void test_blogger(void **state)
{
    (void)state;
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    tg_format fmt;
    char *path = data_path("blogger.xml");
    size_t n = read_fixture("blogger.xml", &o, &s, a, &fmt);
    assert_int_equal(fmt, TG_FORMAT_BLOGGER);
    check_blogger(a, n, path);
    /* Without --comments, the comments are nowhere. */
    assert_null(strstr(a[0].body, "grandfather"));
    assert_int_equal(s.warn.n, 0);
    /* What was skipped is told, once, as a notice (not an error). */
    assert_int_equal(s.note.n, 1);
    assert_non_null(strstr(s.note.msg[0], "entries skipped (not posts or pages; --comments "
                                          "indexes comments with their posts): 1 template, "
                                          "1 settings, 1 draft, 2 comment"));
    free_articles(a, n);
    sink_free(&s);

    /* Gzip, with a name that says nothing: the same articles. */
    size_t len;
    char *xml = fixture("blogger.xml", &len);
    char *gz = temp_path(".bin");
    gz_file(gz, xml, len);
    char err[512];
    tg_reader *r = tg_reader_open(gz, TG_FORMAT_AUTO, &o, on_warn, &s, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(tg_reader_format(r), TG_FORMAT_BLOGGER);
    n = read_all(r, a, MAXA, NULL);
    check_blogger(a, n, gz);
    tg_reader_close(r);
    free_articles(a, n);
    sink_free(&s);
    unlink(gz);
    free(gz);
    free(xml);
    free(path);
}

static void test_blogger_comments(void **state)
{
    (void)state;
    /* From a file and from memory: the comments pass reads the source a
     * second time either way. */
    for (int mem = 0; mem < 2; mem++) {
        sink s = {0};
        tg_reader_opts o = opts(1, 0, 0);
        tg_article a[MAXA];
        size_t n, len;
        char *xml = fixture("blogger.xml", &len);
        if (mem)
            n = read_mem(xml, len, "blog.xml", &o, &s, a, NULL);
        else
            n = read_fixture("blogger.xml", &o, &s, a, NULL);
        assert_int_equal(n, 3);
        /* Oldest first, each its own paragraph, after the post. */
        const char *tail = "Caf\xC3\xA9 owners on the east bank still remember the queues.\n\n"
                           "Comment by Layla (2016-09-14): Was the pontoon bridge still there "
                           "in the 1950s?\n\n"
                           "Comment by Yusuf Al-Mawsili (2016-09-15): My grandfather crossed "
                           "the Old Bridge every morning with his donkey.\n\nThank you for this.";
        const char *at = strstr(a[0].body, "Caf\xC3\xA9 owners");
        assert_non_null(at);
        assert_string_equal(at, tail);
        assert_null(strstr(a[1].body, "Comment by"));
        assert_null(strstr(a[2].body, "Comment by"));
        assert_int_equal(s.warn.n, 0);
        assert_true(has_msg(&s.note, "1 template, 1 settings, 1 draft, 2 comment", NULL));
        free_articles(a, n);
        sink_free(&s);
        free(xml);
    }
}

/* Google Takeout's newer export: <blogger:type>, <blogger:status>,
 * <blogger:parent>. */
static void test_blogger_takeout(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version='1.0' encoding='utf-8'?>\n"
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/"
        "blogger/2018'>\n<id>tag:blogger.com,1999:blog-77</id><title>T</title>\n"
        "<entry><id>tag:blogger.com,1999:blog-77.post-1</id><blogger:type>POST</blogger:type>"
        "<blogger:status>LIVE</blogger:status><author><name>Rasha</name></author>"
        "<title>Qanats of Erbil</title><content type='html'>&lt;p&gt;Underground channels "
        "brought water to the citadel.&lt;/p&gt;</content><published>2019-04-02T10:00:00Z"
        "</published><category scheme='tag:blogger.com,1999:blog-77' term='Erbil'/>"
        "<blogger:filename>/2019/04/qanats.html</blogger:filename>"
        "<link rel='alternate' type='text/html' href='https://x.example/2019/04/qanats.html'/>"
        "</entry>\n"
        "<entry><id>tag:blogger.com,1999:blog-77.post-2</id><blogger:type>POST</blogger:type>"
        "<blogger:status>DRAFT</blogger:status><title>draftmarker</title><content type='html'>"
        "draftmarker</content></entry>\n"
        "<entry><id>tag:blogger.com,1999:blog-77.post-3</id><blogger:type>COMMENT</blogger:type>"
        "<blogger:parent>tag:blogger.com,1999:blog-77.post-1</blogger:parent>"
        "<blogger:status>LIVE</blogger:status><author><name>Karwan</name></author>"
        "<content type='html'>Still dry in summer?</content><published>2019-04-03T10:00:00Z"
        "</published></entry>\n</feed>\n";
    sink s = {0};
    tg_reader_opts o = opts(1, 0, 0);
    tg_article a[MAXA];
    size_t n = read_mem(xml, sizeof xml - 1, "feed.atom", &o, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "Qanats of Erbil");
    assert_string_equal(a[0].date, "2019-04-02");
    assert_string_equal(a[0].author, "Rasha");
    assert_string_equal(a[0].url, "https://x.example/2019/04/qanats.html");
    assert_tags(&a[0], (const char *const[]){ "Erbil", NULL });
    assert_string_equal(a[0].body, "Underground channels brought water to the citadel.\n\n"
                                   "Comment by Karwan (2019-04-03): Still dry in summer?");
    assert_true(has_msg(&s.note, "1 draft, 1 comment", NULL));
    free_articles(a, n);
    sink_free(&s);
}

/* The undeclared app: prefix of the Pelican fixture: a strict parser
 * refuses the file; here the draft flag is still read by local name. */
static void test_blogger_undeclared_namespace(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version='1.0' encoding='utf-8'?>\n"
        "<feed xmlns='http://www.w3.org/2005/Atom'>\n"
        "<id>tag:blogger.com,1999:blog-5.archive</id>\n"
        "<entry>\n<id>tag:blogger.com,1999:blog-5.post-1</id>\n"
        "<app:control>\n<app:draft>yes</app:draft>\n</app:control>\n"
        "<category scheme='http://schemas.google.com/g/2005#kind' "
        "term='http://schemas.google.com/blogger/2008/kind#post'/>\n"
        "<title>draftmarker</title><content type='html'>draftmarker</content></entry>\n"
        "<entry>\n<id>tag:blogger.com,1999:blog-5.post-2</id>\n"
        "<category scheme='http://schemas.google.com/g/2005#kind' "
        "term='http://schemas.google.com/blogger/2008/kind#post'/>\n"
        "<title>Published</title><published>2010-11-27T07:12:00.000-08:00</published>"
        "<content type='html'>It was a cold night.</content></entry>\n</feed>\n";
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    size_t n = read_mem(xml, sizeof xml - 1, "ns.xml", &o, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "Published");
    assert_int_equal(s.warn.n, 1);
    assert_string_equal(s.warn.msg[0], "ns.xml:6|entry 1: XML error: Namespace prefix app on "
                                       "control is not defined (and 1 more); read by local "
                                       "name, nothing lost");
    assert_true(has_msg(&s.note, "1 draft", NULL));
    free_articles(a, n);
    sink_free(&s);
}

/* ---- WordPress ---------------------------------------------------------- */

static void test_wordpress(void **state)
{
    (void)state;
    for (int comments = 0; comments < 2; comments++) {
        sink s = {0};
        tg_reader_opts o = opts(comments, 0, 0);
        tg_article a[MAXA];
        tg_format fmt;
        size_t n = read_fixture("wordpress.xml", &o, &s, a, &fmt);
        assert_int_equal(fmt, TG_FORMAT_WORDPRESS);
        assert_int_equal(n, 3);
        /* Published post: GMT date (the local one is the 11th), display
         * name, categories and tags but not the post format. */
        assert_string_equal(a[0].id, "https://marshdiary.example.com/?p=11");
        assert_string_equal(a[0].url, "https://marshdiary.example.com/2016/04/water-buffalo-at-dawn/");
        assert_string_equal(a[0].title, "Water Buffalo at Dawn");
        assert_string_equal(a[0].date, "2016-04-12");
        assert_string_equal(a[0].author, "Hamid Reed");
        assert_tags(&a[0], (const char *const[]){ "Wildlife", "water buffalo", NULL });
        const char *body0 =
            "The herders drive the water buffalo out before sunrise, when the reeds are still "
            "wet.\n\nThey return at dusk, swimming the channels in a long line.\n\n"
            "A buffalo knows the way home better than any boatman.";
        if (comments) {
            /* Approved comments only: no spam, no pingback. */
            char want[1024];
            snprintf(want, sizeof want, "%s\n\nComment by Salma (2016-04-13): Do the calves "
                     "swim with the herd from the first week?", body0);
            assert_string_equal(a[0].body, want);
        } else {
            assert_string_equal(a[0].body, body0);
        }
        /* Published page. */
        assert_string_equal(a[1].id, "https://marshdiary.example.com/?p=2");
        assert_string_equal(a[1].title, "Contact");
        assert_string_equal(a[1].date, "2016-01-02");
        /* Line breaks of the typed post are kept. */
        assert_string_equal(a[2].title, "Reed Boats of Chibayish");
        assert_string_equal(a[2].date, "2016-10-02");
        assert_tags(&a[2], (const char *const[]){ "Crafts", "boats", "Chibayish", NULL });
        assert_string_equal(a[2].body, "The mashoof is a narrow boat of tarred reed.\nA single "
                                       "pole pushes it through the shallows.\n\nBoat builders "
                                       "in Chibayish still make them by hand.");
        assert_absent(a, n, (const char *const[]){ "draftmarker", "revisionmarker",
                                                  "attachmentmarker", "menumarker",
                                                  "excerptmarker", "spammarker",
                                                  "pingbackmarker", "wp:paragraph", NULL });
        assert_int_equal(s.warn.n, 0);
        assert_int_equal(s.note.n, 1);
        assert_non_null(strstr(s.note.msg[0], "items skipped (not published posts or pages): "
                                              "1 draft, 1 revision, 1 attachment, "
                                              "1 nav_menu_item"));
        free_articles(a, n);
        sink_free(&s);
    }
}

/* ---- feeds -------------------------------------------------------------- */

static void test_rss(void **state)
{
    (void)state;
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    size_t n = read_fixture("feed-rss.xml", &o, &s, a, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].id, "https://letters.example.net/?p=301");
    assert_string_equal(a[0].url, "https://letters.example.net/2017/05/waterwheels-of-hit/");
    assert_string_equal(a[0].title, "The Waterwheels of Hit");
    assert_string_equal(a[0].date, "2017-05-04");
    assert_string_equal(a[0].author, "Nura Haddad");
    assert_tags(&a[0], (const char *const[]){ "Anbar", "irrigation", NULL });
    /* The full text, not the teaser in <description>. */
    assert_string_equal(a[0].body, "Norias lifted water from the Euphrates for two thousand "
                                   "years, their wooden wheels groaning day and night.\n\nAt "
                                   "Hit a few still turned in the 1990s, beside springs of "
                                   "bitumen that Herodotus wrote about.");
    /* No content:encoded: the description's HTML; a two-digit year; the
     * name out of "mail (Name)". */
    assert_string_equal(a[1].title, "Bitumen & Boats");
    assert_string_equal(a[1].date, "2017-05-27");
    assert_string_equal(a[1].author, "Nura Haddad");
    assert_string_equal(a[1].body, "Boats on the river were caulked with bitumen from Hit\n"
                                   "for as long as anyone has records.");
    assert_int_equal(s.warn.n, 0);
    free_articles(a, n);
    sink_free(&s);
}

static void test_atom(void **state)
{
    (void)state;
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    size_t n = read_fixture("feed-atom.xml", &o, &s, a, NULL);
    assert_int_equal(n, 3);
    assert_string_equal(a[0].id, "tag:gazetteer.example.org,2018:samarra");
    assert_string_equal(a[0].url, "https://gazetteer.example.org/samarra");
    assert_string_equal(a[0].title, "Samarra & the Spiral Minaret"); /* type="html" */
    assert_string_equal(a[0].date, "2018-01-15");
    assert_tags(&a[0], (const char *const[]){ "Samarra", "Abbasid caliphate", NULL });
    assert_string_equal(a[0].body, "The Malwiya minaret of Samarra rises in a spiral ramp to "
                                   "52 metres.\n\nIt was built in the 850s for the Great Mosque "
                                   "of al-Mutawakkil.");
    /* XHTML content; <updated> when there is no <published>; the feed's
     * author for an entry without one. */
    assert_string_equal(a[1].body, "Ashur, the first capital of Assyria, stands on a bluff "
                                   "above the Tigris.\n\nIts ziggurat is still visible from "
                                   "the river.");
    assert_string_equal(a[1].date, "2018-02-01");
    assert_string_equal(a[1].author, "Omar Faris");
    /* A summary only, and no link: the file is where it came from. */
    assert_string_equal(a[2].body, "Nimrud lies south of Mosul, near the meeting of the "
                                   "Tigris and the Great Zab.");
    char *path = data_path("feed-atom.xml");
    assert_string_equal(a[2].url, path);
    free(path);
    assert_int_equal(s.warn.n, 0);
    free_articles(a, n);
    sink_free(&s);
}

/* Atom and RSS share one identity rule (id, else link, else the file and
 * the entry's place), one date rule (the first field with a valid date)
 * and one empty-entry rule. */
static void test_feed_rules(void **state)
{
    (void)state;
    static const char atom[] =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>f</title>\n"
        "<entry><title>one</title><published>last spring</published>"
        "<updated>2018-02-01T10:00:00Z</updated><link href=\"https://x.example/1\"/>"
        "<content>a</content></entry>\n"
        "<entry><title>two</title><content>b</content></entry>\n"
        "<entry><title></title><content></content></entry>\n"
        "</feed>\n";
    static const char rss[] =
        "<rss version=\"2.0\"><channel><title>c</title>\n"
        "<item><title>one</title><pubDate>soon</pubDate><date>2017-05-04</date>"
        "<link>https://y.example/1</link><description>a</description></item>\n"
        "<item><title>two</title><guid>g-2</guid><description>b</description></item>\n"
        "<item><title>three</title><description>c</description></item>\n"
        "<item><description></description></item>\n"
        "</channel></rss>\n";
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    size_t n = read_mem(atom, sizeof atom - 1, "mem.atom", &o, &s, a, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].id, "https://x.example/1");
    assert_string_equal(a[0].url, "https://x.example/1");
    assert_string_equal(a[0].date, "2018-02-01");
    assert_string_equal(a[0].origin, "mem.atom:entry 1");
    assert_string_equal(a[1].id, "mem.atom:entry 2");
    assert_string_equal(a[1].url, "mem.atom");
    assert_null(a[1].date);
    assert_true(has_msg(&s.note, "entries skipped (not posts or pages): 1 empty", NULL));
    free_articles(a, n);
    sink_free(&s);

    n = read_mem(rss, sizeof rss - 1, "mem.rss", &o, &s, a, NULL);
    assert_int_equal(n, 3);
    assert_string_equal(a[0].id, "https://y.example/1");
    assert_string_equal(a[0].date, "2017-05-04");
    assert_string_equal(a[1].id, "g-2");
    assert_string_equal(a[1].url, "mem.rss");
    assert_string_equal(a[2].id, "mem.rss:entry 3");
    assert_string_equal(a[2].origin, "mem.rss:entry 3");
    assert_true(has_msg(&s.note, "items skipped (not published posts or pages): 1 empty", NULL));
    free_articles(a, n);
    sink_free(&s);
}

/* ---- HTML pages --------------------------------------------------------- */

static const char *const page_markers[] = {
    "navmarker", "headermarker", "sidebarmarker", "popularmarker", "commentmarker",
    "footermarker", "scriptmarker", "stylemarker", "sharemarker", "pagermarker", "feedmarker",
    "skipmarker", "menumarker", "metamarker", "relatedmarker", "asidemarker", "cookiemarker",
    "newslettermarker", "Posted by", "Labels:", NULL,
};

static void read_page(const char *name, sink *s, tg_article *a)
{
    tg_reader_opts o = opts(0, 0, 0);
    tg_format fmt;
    size_t n = read_fixture(name, &o, s, a, &fmt);
    assert_int_equal(fmt, TG_FORMAT_HTML);
    if (n != 1)
        print_msgs(s);
    assert_int_equal(n, 1);
    assert_absent(a, 1, page_markers);
}

static void test_html_blogger_page(void **state)
{
    (void)state;
    sink s = {0};
    tg_article a[MAXA];
    read_page("html/blogger-post.html", &s, a);
    assert_string_equal(a[0].id, "http://rivernotes.example.org/2016/09/old-bridge.html");
    assert_string_equal(a[0].url, a[0].id);
    char *path = data_path("html/blogger-post.html");
    assert_string_equal(a[0].origin, path);
    free(path);
    assert_string_equal(a[0].title, "The Old Bridge of Mosul");
    assert_string_equal(a[0].date, "2016-09-13");
    assert_string_equal(a[0].author, "Ada Tigris");
    assert_tags(&a[0], (const char *const[]){ "Mosul", "bridges", NULL });
    assert_string_equal(a[0].body,
                        "The Old Bridge of Mosul was built of iron in 1934 and replaced a "
                        "bridge of boats.\n\nFor decades it was the only way across the Tigris "
                        "for carts & cars.\n\nCaf\xC3\xA9 owners on the east bank still talk "
                        "about it.");
    assert_int_equal(s.warn.n + s.note.n, 0);
    free_articles(a, 1);
    sink_free(&s);
}

static void test_html_jsonld_page(void **state)
{
    (void)state;
    sink s = {0};
    tg_article a[MAXA];
    /* A WordPress page with related posts as <article>s in an <aside>
     * and a comment as an <article>: still one post. */
    read_page("html/jsonld-post.html", &s, a);
    assert_string_equal(a[0].id, "https://marshdiary.example.com/2015/07/sluice-gates-of-kut/");
    assert_string_equal(a[0].title, "Sluice Gates of Kut");
    assert_string_equal(a[0].date, "2015-07-08");
    assert_string_equal(a[0].author, "Hamid Reed"); /* through the graph's @id */
    assert_tags(&a[0], (const char *const[]){ "barrages", "Kut", NULL });
    assert_string_equal(a[0].body, "The Kut Barrage was finished in 1939 to raise the Tigris "
                                   "into the Gharraf canal.\n\nIts fifty-six sluice gates are "
                                   "still opened by hand each spring.");
    assert_int_equal(s.warn.n + s.note.n, 0);
    free_articles(a, 1);
    sink_free(&s);
}

static void test_html_time_page(void **state)
{
    (void)state;
    sink s = {0};
    tg_article a[MAXA];
    read_page("html/time-post.html", &s, a);
    /* No canonical url: the file is the identity. */
    char *path = data_path("html/time-post.html");
    assert_string_equal(a[0].id, path);
    assert_string_equal(a[0].url, path);
    free(path);
    assert_string_equal(a[0].title, "A Winter at Ctesiphon");
    assert_string_equal(a[0].date, "2014-03-02");
    assert_string_equal(a[0].author, "Sami Kareem");
    assert_tags(&a[0], (const char *const[]){ "Sasanian", "archaeology", NULL });
    /* The title heading is the title's, not the body's. */
    assert_memory_equal(a[0].body, "The great arch of Ctesiphon", 27);
    assert_non_null(strstr(a[0].body, "irrigation office.\n\nFiled under Sasanian"));
    assert_int_equal(s.warn.n + s.note.n, 0);
    free_articles(a, 1);
    sink_free(&s);
}

static void test_html_og_page(void **state)
{
    (void)state;
    sink s = {0};
    tg_article a[MAXA];
    read_page("html/og-post.html", &s, a);
    assert_string_equal(a[0].id, "https://news.example.com/history/floods-1954");
    assert_string_equal(a[0].title, "Floods of 1954");
    assert_string_equal(a[0].date, "1999-03-15");
    /* article:author is a URL here: the meta author is the name. */
    assert_string_equal(a[0].author, "Rana Daoud");
    assert_tags(&a[0], (const char *const[]){ "floods", "Wadi Tharthar", NULL });
    assert_string_equal(a[0].body, "In the spring of 1954 the Tigris rose higher than anyone "
                                   "in Baghdad could remember.\n\nThe flood led to the Wadi "
                                   "Tharthar scheme, which sends surplus water into a desert "
                                   "depression.");
    free_articles(a, 1);
    sink_free(&s);
}

static void test_html_index_page(void **state)
{
    (void)state;
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    size_t n = read_fixture("html/archive.html", &o, &s, a, NULL);
    assert_int_equal(n, 0);
    assert_int_equal(s.warn.n, 0); /* skipped on purpose: not an error */
    assert_int_equal(s.note.n, 1);
    assert_true(has_msg(&s.note, "archive.html|index page listing 3 posts, skipped", NULL));
    sink_free(&s);
}

static void test_html_encodings(void **state)
{
    (void)state;
    sink s = {0};
    tg_article a[MAXA];
    /* Declared ISO-8859-1: honoured, silently. */
    read_page("html/latin1.html", &s, a);
    assert_string_equal(a[0].title, "Caf\xC3\xA9s of Rashid Street");
    assert_non_null(strstr(a[0].body, "backgammon \xC3\xA0 volont\xC3\xA9."));
    assert_non_null(strstr(a[0].body, "Na\xC3\xAFve tourists"));
    assert_int_equal(s.warn.n, 0);
    free_articles(a, 1);
    sink_free(&s);

    /* Undeclared legacy bytes: Windows-1252 (its dash is not a control
     * code), with a warning naming the file. */
    read_page("html/undeclared-cp1252.html", &s, a);
    assert_string_equal(a[0].body, "The shanasheel \xE2\x80\x93 wooden oriel windows \xE2\x80\x93 "
                                   "shaded the streets of old Basra.\n\nMany were lost; a few "
                                   "survive near the Ashar creek, fa\xC3\xA7" "ades and all.");
    assert_int_equal(s.warn.n, 1);
    assert_true(has_msg(&s.warn, "undeclared-cp1252.html|not UTF-8 and no charset declared", NULL));
    free_articles(a, 1);
    sink_free(&s);

    /* A UTF-8 page with a few bad bytes: those are Latin-1, the rest
     * stays UTF-8. */
    static const char mixed[] = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
                                "Mixed</title></head><body><p>\xC3\xA9t\xC3\xA9 and caf\xE9.</p>"
                                "</body></html>";
    size_t n = read_mem(mixed, sizeof mixed - 1, "mixed.html", NULL, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].body, "\xC3\xA9t\xC3\xA9 and caf\xC3\xA9.");
    assert_true(has_msg(&s.warn, "mixed.html|invalid UTF-8 in a page declared UTF-8", NULL));
    free_articles(a, 1);
    sink_free(&s);

    /* UTF-16 with a byte-order mark. */
    static const char ascii[] = "<!DOCTYPE html><html><head><title>Wide</title></head><body>"
                                "<p>Sixteen bits per letter.</p></body></html>";
    char wide[2 * sizeof ascii + 2];
    wide[0] = (char)0xFF;
    wide[1] = (char)0xFE;
    for (size_t i = 0; i + 1 < sizeof ascii; i++) {
        wide[2 + 2 * i] = ascii[i];
        wide[3 + 2 * i] = 0;
    }
    n = read_mem(wide, 2 + 2 * (sizeof ascii - 1), "wide.html", NULL, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "Wide");
    assert_string_equal(a[0].body, "Sixteen bits per letter.");
    free_articles(a, 1);
    sink_free(&s);
}

static void test_html_truncated(void **state)
{
    (void)state;
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    size_t n = read_fixture("html/truncated.html", &o, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "A Winter at Ctesiphon");
    assert_string_equal(a[0].date, "2014-03-02");
    /* What was there is kept, up to the cut. */
    assert_non_null(strstr(a[0].body, "\n\nWe spent the winter of 1962 measuring"));
    assert_int_equal(s.warn.n, 1);
    assert_true(has_msg(&s.warn, "truncated.html|the page ends without </html>: it looks "
                                 "truncated", NULL));
    free_articles(a, n);
    sink_free(&s);

    /* A page with no text at all is reported and skipped. */
    static const char empty[] = "<!DOCTYPE html><html><head><title>x</title></head><body>"
                                "<nav>menu</nav></body></html>";
    n = read_mem(empty, sizeof empty - 1, "empty.html", NULL, &s, a, NULL);
    assert_int_equal(n, 0);
    assert_true(has_msg(&s.warn, "empty.html|no article text found in the page: skipped", NULL));
    sink_free(&s);
}

/* ---- broken XML --------------------------------------------------------- */

static void test_xml_malformed(void **state)
{
    (void)state;
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    char *path = data_path("broken.xml");
    size_t n = read_fixture("broken.xml", &o, &s, a, NULL);
    /* Entry 3 has a bare '<' that stops libxml2: it is lost, and reading
     * resumes at entry 4. Entry 2 (a bare '&', mismatched tags) is
     * recovered. Undefined HTML entities (&nbsp;) are read as HTML's. */
    assert_int_equal(n, 4);
    assert_string_equal(a[0].id, "urn:broken:1");
    assert_string_equal(a[0].title, "Tom & Jerry on the Tigris");
    assert_string_equal(a[1].id, "urn:broken:2");
    assert_string_equal(a[2].id, "urn:broken:4");
    /* After an error, escaped markup is still decoded (libxml2 would drop
     * &amp; and &lt; for the rest of the file). */
    assert_string_equal(a[2].body, "Storks return & nest on minarets");
    assert_string_equal(a[3].id, "urn:broken:5");
    assert_int_equal(s.warn.n, 2);
    char want[1024];
    /* The bare '&' is read as '&' without an error (it is escaped before
     * the parser sees it, see escape_amps): the tags are what is wrong. */
    assert_string_equal(a[1].title, "Bare ampersand & mismatched tags");
    snprintf(want, sizeof want, "%s:14|entry 2: XML error: Opening and ending tag mismatch: b "
             "line 14 and i; recovered, but text near the error may be missing", path);
    assert_string_equal(s.warn.msg[0], want);
    snprintf(want, sizeof want, "%s:20|entry 3 (from line 16): XML error the parser cannot get "
             "past: StartTag: invalid element name: the entry was dropped; reading went on at "
             "line 22", path);
    assert_string_equal(s.warn.msg[1], want);
    free_articles(a, n);
    sink_free(&s);
    free(path);
}

static void test_xml_truncated(void **state)
{
    (void)state;
    size_t len;
    char *xml = fixture("blogger.xml", &len);
    /* Cut inside the second post. */
    size_t cut = (size_t)(strstr(xml, "Irrigation canals") - xml);
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    tg_status fatal;
    size_t n = read_mem(xml, cut, "cut.xml", &o, &s, a, &fatal);
    assert_int_equal(fatal, TG_OK);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "The Five Bridges of Mosul");
    assert_int_equal(s.warn.n, 1);
    assert_string_equal(s.warn.msg[0], "cut.xml:6|the file ends inside entry 4: the file looks "
                                       "truncated; that entry was dropped");
    free_articles(a, n);
    sink_free(&s);

    /* Cut between two entries: every entry is kept; the unclosed feed is
     * reported. */
    cut = (size_t)(strstr(xml, "<entry><id>tag:blogger.com,1999:blog-1111.post-2003") - xml);
    n = read_mem(xml, cut, "cut2.xml", &o, &s, a, &fatal);
    assert_int_equal(n, 2);
    assert_int_equal(s.warn.n, 1);
    assert_true(has_msg(&s.warn, "cut2.xml:7|the file ends before the document does: it looks "
                                 "truncated; the 4 entries before the cut were read", NULL));
    free_articles(a, n);
    sink_free(&s);
    free(xml);
}

/* A Blogger export of many posts, gzip-compressed. */
static char *many_posts(size_t count, size_t *len)
{
    tg_buf b = {0};
    tg_buf_puts(&b, "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/"
                    "Atom'><id>tag:blogger.com,1999:blog-9.archive</id>\n");
    for (size_t i = 0; i < count; i++)
        tg_buf_printf(&b, "<entry><id>tag:blogger.com,1999:blog-9.post-%zu</id><published>"
                          "2016-01-01T00:00:00Z</published><category scheme='http://schemas."
                          "google.com/g/2005#kind' term='http://schemas.google.com/blogger/"
                          "2008/kind#post'/><title>Post %zu</title><content type='html'>&lt;p&gt;"
                          "Text of post %zu about the river and the city %zu.&lt;/p&gt;"
                          "</content></entry>\n", i, i, i, i * 7);
    tg_buf_puts(&b, "</feed>\n");
    *len = b.len;
    return tg_buf_steal(&b);
}

static void test_xml_truncated_gzip(void **state)
{
    (void)state;
    size_t len;
    char *xml = many_posts(5000, &len);
    char *path = temp_path(".xml.gz");
    gz_file(path, xml, len);
    size_t glen;
    char *g = read_file(path, &glen);
    write_file(path, g, glen / 2);
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, &o, on_warn, &s, err, sizeof err);
    assert_non_null(r);
    tg_article a[MAXA];
    tg_status fatal;
    size_t n = read_all(r, a, MAXA, &fatal);
    /* The posts before the cut are read; then one clear fatal message. */
    assert_int_equal(fatal, TG_ERR_FORMAT);
    assert_true(n > 1000 && n < 5000);
    char want[1024];
    snprintf(want, sizeof want, "%s: truncated gzip data (inside an entry, which was dropped)",
             path);
    assert_string_equal(tg_reader_errmsg(r), want);
    tg_reader_close(r);
    free_articles(a, n);
    sink_free(&s);
    unlink(path);
    free(path);
    free(g);
    free(xml);
}

static void test_gzip_bomb(void **state)
{
    (void)state;
    /* 64 MiB of white space inside a feed, compressed to ~64 KiB. */
    size_t big = (size_t)64 << 20;
    char *blank = malloc(big);
    assert_non_null(blank);
    static const char head[] = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>";
    memcpy(blank, head, sizeof head - 1);
    memset(blank + sizeof head - 1, ' ', big - (sizeof head - 1));
    char *path = temp_path(".xml.gz");
    gz_file(path, blank, big);
    free(blank);
    sink s = {0};
    tg_reader_opts o = opts(0, 0, (uint64_t)1 << 20);
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, &o, on_warn, &s, err, sizeof err);
    assert_non_null(r);
    tg_article a[MAXA];
    tg_status fatal;
    size_t n = read_all(r, a, MAXA, &fatal);
    assert_int_equal(n, 0);
    assert_int_equal(fatal, TG_ERR_LIMIT);
    char want[1024];
    snprintf(want, sizeof want, "%s: decompressed size exceeds 1048576 bytes (gzip bomb?)", path);
    assert_string_equal(tg_reader_errmsg(r), want);
    tg_reader_close(r);
    sink_free(&s);
    unlink(path);
    free(path);
}

static void test_xml_encodings(void **state)
{
    (void)state;
    size_t len;
    char *xml = fixture("wordpress.xml", &len);
    tg_buf b = {0};
    /* Invalid UTF-8 in a UTF-8 file: those bytes are Latin-1, the valid
     * UTF-8 after them is untouched. */
    const char *at = strstr(xml, "before sunrise");
    tg_buf_append(&b, xml, (size_t)(at - xml));
    tg_buf_puts(&b, "before sunris\xE9 \xFF caf\xC3\xA9");
    tg_buf_puts(&b, at + strlen("before sunrise"));
    sink s = {0};
    tg_reader_opts o = opts(0, 0, 0);
    tg_article a[MAXA];
    size_t n = read_mem(b.data, b.len, "bad.xml", &o, &s, a, NULL);
    assert_int_equal(n, 3);
    assert_non_null(strstr(a[0].body, "before sunris\xC3\xA9 \xC3\xBF caf\xC3\xA9, when"));
    assert_int_equal(s.warn.n, 1);
    assert_string_equal(s.warn.msg[0], "bad.xml:33|invalid UTF-8: 2 bytes read as Latin-1 (the "
                                       "first on this line)");
    free_articles(a, n);
    sink_free(&s);

    /* A declared legacy charset is honoured. */
    tg_buf_clear(&b);
    const char *decl = strstr(xml, "encoding=\"UTF-8\"");
    tg_buf_append(&b, xml, (size_t)(decl - xml));
    tg_buf_puts(&b, "encoding=\"ISO-8859-1\"");
    const char *rest = decl + strlen("encoding=\"UTF-8\"");
    at = strstr(rest, "before sunrise");
    tg_buf_append(&b, rest, (size_t)(at - rest));
    tg_buf_puts(&b, "before sunrise caf\xE9");
    tg_buf_puts(&b, at + strlen("before sunrise"));
    n = read_mem(b.data, b.len, "latin1.xml", &o, &s, a, NULL);
    assert_int_equal(n, 3);
    assert_non_null(strstr(a[0].body, "before sunrise caf\xC3\xA9, when"));
    assert_int_equal(s.warn.n, 0);
    free_articles(a, n);
    sink_free(&s);
    tg_buf_free(&b);
    free(xml);
}

/* Entity tricks: a billion laughs and an external entity. Neither is
 * expanded: the readers never follow entity references. */
static void test_xml_entities(void **state)
{
    (void)state;
    tg_buf b = {0};
    tg_buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE feed [\n<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
        tg_buf_printf(&b, "<!ENTITY l%d \"", i);
        for (int k = 0; k < 10; k++)
            tg_buf_printf(&b, "&l%d;", i - 1);
        tg_buf_puts(&b, "\">\n");
    }
    tg_buf_puts(&b, "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
                    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>e1</id><title>"
                    "Laughs</title><content>before &l9; &xxe; after</content></entry>"
                    "<entry><id>e2</id><title>Second</title><content>still read</content>"
                    "</entry></feed>\n");
    sink s = {0};
    tg_article a[MAXA];
    size_t n = read_mem(b.data, b.len, "lol.xml", NULL, &s, a, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].body, "before after");
    assert_string_equal(a[1].body, "still read");
    free_articles(a, n);
    sink_free(&s);
    tg_buf_free(&b);
}

/* Two exports glued together (cat a.xml b.xml): both are read. */
static void test_xml_concatenated(void **state)
{
    (void)state;
    size_t len;
    char *xml = fixture("feed-atom.xml", &len);
    tg_buf b = {0};
    tg_buf_append(&b, xml, len);
    tg_buf_append(&b, xml, len);
    sink s = {0};
    tg_article a[MAXA];
    size_t n = read_mem(b.data, b.len, "two.xml", NULL, &s, a, NULL);
    assert_int_equal(n, 6);
    assert_string_equal(a[3].id, "tag:gazetteer.example.org,2018:samarra");
    assert_true(has_msg(&s.warn, "two.xml:35|", "reading went on at the next entry, line 41",
                        NULL));
    free_articles(a, n);
    sink_free(&s);
    tg_buf_free(&b);
    free(xml);
}

static void test_oversized(void **state)
{
    (void)state;
    size_t len;
    char *xml = fixture("wordpress.xml", &len);
    const char *at = strstr(xml, "They return at dusk");
    static const char para[] = "The reeds grow taller than a man and the channels between "
                               "them shift every flood season. ";
    /* An article far larger than any post: about 1 MiB of text. */
    tg_buf b = {0};
    tg_buf_append(&b, xml, (size_t)(at - xml));
    for (int p = 0; p < 300; p++) {
        for (int k = 0; k < 40; k++)
            tg_buf_puts(&b, para);
        tg_buf_puts(&b, "\n\n");
    }
    tg_buf_puts(&b, at);
    sink s = {0};
    tg_reader_opts o = opts(0, 20000, 0);
    tg_article a[MAXA];
    size_t n = read_mem(b.data, b.len, "big.xml", &o, &s, a, NULL);
    assert_int_equal(n, 3);
    size_t blen = strlen(a[0].body);
    assert_true(blen <= 20000 && blen > 15000);
    /* Cut at a paragraph's end. */
    assert_memory_equal(a[0].body + blen - 7, "season.", 7);
    assert_int_equal(s.warn.n, 1);
    assert_true(has_msg(&s.warn, "big.xml:entry 1|article \"https://marshdiary.example.com/?p=11\" "
                                 "has a body of ", "over the cap of 20000 (--max-article-size)",
                        NULL));
    free_articles(a, n);
    sink_free(&s);

    /* Past 8 times the cap plus 1 MiB of input, the entry is skipped, and
     * the entries after it still read. */
    tg_buf_clear(&b);
    tg_buf_append(&b, xml, (size_t)(at - xml));
    for (int p = 0; p < 900; p++) {
        for (int k = 0; k < 40; k++)
            tg_buf_puts(&b, para);
        tg_buf_puts(&b, "\n\n");
    }
    tg_buf_puts(&b, at);
    o = opts(0, 1000, 0);
    n = read_mem(b.data, b.len, "huge.xml", &o, &s, a, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].title, "Contact");
    assert_true(has_msg(&s.warn, "huge.xml:", "entry 1 is larger than 1056576 bytes",
                        "skipped; reading went on at line", NULL));
    free_articles(a, n);
    sink_free(&s);
    tg_buf_free(&b);
    free(xml);
}

/* ---- files that are not articles ---------------------------------------- */

static void test_binary_and_empty(void **state)
{
    (void)state;
    char err[512];
    sink s = {0};
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0,
                                         13, 'I', 'H', 'D', 'R' };
    char *path = temp_path(".html");
    write_file(path, png, sizeof png);
    assert_null(tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_warn, &s, err, sizeof err));
    char want[1024];
    snprintf(want, sizeof want, "%s: binary file, skipped", path);
    assert_string_equal(err, want);
    /* Naming a format does not make it text. */
    assert_null(tg_reader_open(path, TG_FORMAT_HTML, NULL, on_warn, &s, err, sizeof err));
    assert_string_equal(err, want);

    write_file(path, "", 0);
    assert_null(tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_warn, &s, err, sizeof err));
    snprintf(want, sizeof want, "%s: empty file, nothing to index", path);
    assert_string_equal(err, want);
    gz_file(path, "", 0);
    assert_null(tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_warn, &s, err, sizeof err));
    snprintf(want, sizeof want, "%s: empty file (after decompression), nothing to index", path);
    assert_string_equal(err, want);
    assert_int_equal(s.warn.n, 0);

    /* UTF-16 text: only the markup readers decode it. */
    static const char u16[] = "\xFF\xFE" "T\0i\0t\0l\0e\0\n\0";
    write_file(path, u16, sizeof u16 - 1);
    assert_null(tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_warn, &s, err, sizeof err));
    assert_non_null(strstr(err, "UTF-16 text is not supported by the text reader"));
    unlink(path);
    free(path);
}

static void test_text_jsonl_latin1(void **state)
{
    (void)state;
    sink s = {0};
    tg_article a[MAXA];
    /* Plain text in Latin-1. */
    static const char text[] = "Monday, March 5, 2018\n\nCaf\xE9 Culture\n\nThe caf\xE9s of "
                               "al-Mutanabbi Street.\n";
    size_t n = read_mem(text, sizeof text - 1, "latin.txt", NULL, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "Caf\xC3\xA9 Culture");
    assert_string_equal(a[0].body, "The caf\xC3\xA9s of al-Mutanabbi Street.");
    assert_int_equal(s.warn.n, 1);
    assert_string_equal(s.warn.msg[0], "latin.txt|invalid UTF-8 in title, body: the bad bytes "
                                       "were read as Latin-1");
    free_articles(a, n);
    sink_free(&s);

    /* A JSON line jansson would refuse: kept, its odd bytes Latin-1. */
    static const char jsonl[] = "{\"id\":\"a\",\"title\":\"Good\",\"body\":\"fine\"}\n"
                                "{\"id\":\"b\",\"title\":\"Na\xEFve\",\"body\":\"r\xE9sum\xE9\"}\n";
    n = read_mem(jsonl, sizeof jsonl - 1, "x.jsonl", NULL, &s, a, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(a[1].title, "Na\xC3\xAFve");
    assert_string_equal(a[1].body, "r\xC3\xA9sum\xC3\xA9");
    assert_int_equal(s.warn.n, 1);
    assert_string_equal(s.warn.msg[0], "x.jsonl:2|invalid UTF-8: the bad bytes were read as "
                                       "Latin-1");
    free_articles(a, n);
    sink_free(&s);

    /* The body cap applies to every format. */
    tg_buf b = {0};
    tg_buf_puts(&b, "A Long One\n\n");
    for (int i = 0; i < 2000; i++)
        tg_buf_puts(&b, "word ");
    tg_reader_opts o = opts(0, 1001, 0);
    n = read_mem(b.data, b.len, "long.txt", &o, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_true(strlen(a[0].body) <= 1001);
    assert_true(has_msg(&s.warn, "long.txt|article \"long\" has a body of 9999 bytes, over the "
                                 "cap of 1001", NULL));
    free_articles(a, n);
    sink_free(&s);
    tg_buf_free(&b);
}

/* ---- the real exports in ../shared -------------------------------------- */

typedef struct {
    const char *file;
    tg_format format;
    size_t count;       /* articles, counted independently (see README) */
    const char *id, *title, *date;   /* of one article */
    const char *const *tags;
} real_case;

static void test_real_exports(void **state)
{
    (void)state;
    const char *shared = getenv("SHARED");
    if (!shared || !*shared)
        shared = "../shared";
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/corpus/blog-exports", shared);
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        print_message("skip: %s not present\n", dir);
        skip();
    }
    static const char *const t_deb[] = { "Debian", "howto", "install", "crosstoolchains",
                                         "emdebian", "jessie", NULL };
    static const char *const t_rb[] = { "rbenv", "bundle install", "native extension error",
                                        "rails", "ruby", "gitlab", "mac", NULL };
    static const char *const t_none[] = { NULL };
    static const char *const t_wp[] = { "6.1", "Block", "Sample", "tags", "test tag", NULL };
    static const char *const t_btn[] = { "Border", "Shadow", "Block spacing", "Design", NULL };
    static const char *const t_prev[] = { "Uncategorized", "boat", "lake", NULL };
    static const char *const t_pel[] = { "Category 3", "tag 1", "Tag2", "Tag 3", NULL };
    const real_case cases[] = {
        { "blogger-real/murilorebelopontes-blog-09-24-2017.xml", TG_FORMAT_BLOGGER, 246,
          "tag:blogger.com,1999:blog-3047384083282566923.post-4947474804777942906",
          "Debian Jessie howto install Emdebian CrossToolchains", "2016-10-28", t_deb },
        { "blogger-real/yms9654-blog-11-22-2015.xml", TG_FORMAT_BLOGGER, 25,
          "tag:blogger.com,1999:blog-902933560129960148.post-8059587730215287365",
          "mac\xEC\x97\x90 rbenv \xEC\x82\xAC\xEC\x9A\xA9\xED\x95\xB4\xEC\x84\x9C ruby "
          "\xEA\xB0\x9C\xEB\xB0\x9C\xED\x99\x98\xEA\xB2\xBD \xEC\x84\xB8\xED\x8C\x85\xED\x95"
          "\x98\xEA\xB8\xB0", "2015-11-12", t_rb },
        { "pelican-import-fixtures/bloggerexport.xml", TG_FORMAT_BLOGGER, 2,
          "tag:blogger.com,1999:blog-6303278419262689239.post-1858599377741856733",
          "The Steel Windpipe", "2010-11-27", t_none },
        { "wordpress-theme-test-data/themeunittestdata.wordpress.xml", TG_FORMAT_WORDPRESS, 77,
          "https://wpthemetestdata.wordpress.com/?p=34", "WP 6.1 Widgets block category",
          "2023-01-13", t_wp },
        { "wordpress-theme-test-data/64-block-test-data.xml", TG_FORMAT_WORDPRESS, 62,
          "https://wpthemetestdata.wordpress.com/?p=97", "Buttons", "2024-02-05", t_btn },
        { "wordpress-theme-test-data/theme-preview.xml", TG_FORMAT_WORDPRESS, 7,
          "http://wp-themes.com/?p=19", "Worth A Thousand Words", "2008-10-17", t_prev },
        { "pelican-import-fixtures/wordpressexport.xml", TG_FORMAT_WORDPRESS, 9,
          "http://thisisa.test/?p=25", "With tags", "2012-02-04", t_pel },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, cases[c].file);
        sink s = {0};
        tg_reader_opts o = opts(0, 0, 0);
        char err[512];
        tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, &o, on_warn, &s, err, sizeof err);
        assert_non_null(r);
        assert_int_equal(tg_reader_format(r), cases[c].format);
        tg_article a;
        tg_article_init(&a);
        size_t n = 0, found = 0;
        int done;
        while (tg_reader_next(r, &a, &done) == TG_OK && !done) {
            n++;
            assert_non_null(a.date);
            assert_true(tg_utf8_valid(a.body, strlen(a.body)));
            /* The settings entries' addresses never reach an article. */
            assert_null(strstr(a.body, "@gmail.com"));
            if (strcmp(a.id, cases[c].id) == 0) {
                found++;
                assert_string_equal(a.title, cases[c].title);
                assert_string_equal(a.date, cases[c].date);
                assert_tags(&a, cases[c].tags);
            }
        }
        tg_article_clear(&a);
        if (n != cases[c].count)
            print_message("%s: %zu articles, want %zu\n", cases[c].file, n, cases[c].count);
        assert_int_equal(n, cases[c].count);
        assert_true(found >= 1);
        tg_reader_close(r);
        sink_free(&s);
    }
}

/* ---- faults found by fuzzing (issue 21; inputs in $TG_TESTDATA/faults) -- */

static size_t read_fault(const char *name, sink *s, tg_article *a)
{
    const char *dir = getenv("TG_TESTDATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/faults/%s", dir && *dir ? dir : "tests/data", name);
    tg_reader_opts o = opts(0, 0, 0);
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, &o, on_warn, s, err, sizeof err);
    if (!r)
        print_message("open %s: %s\n", path, err);
    assert_non_null(r);
    size_t n = read_all(r, a, MAXA, NULL);
    tg_reader_close(r);
    return n;
}

/* A namespace declared on <channel> (not <rss>): the queued item used the
 * channel's namespace after </channel> had freed it, and the full text
 * was lost (the summary was read instead; ASan: use after free). */
static void test_fault_channel_namespace(void **state)
{
    (void)state;
    sink s = {0};
    tg_article a[MAXA];
    size_t n = read_fault("rss-channel-ns-fulltext.xml", &s, a);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "First post");
    assert_string_equal(a[0].body, "fulltextmarker zebra paragraph");
    assert_string_equal(a[0].author, "Ann");
    free_articles(a, n);
    sink_free(&s);

    n = read_fault("uaf-rss-channel-ns.xml", &s, a);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "t");
    free_articles(a, n);
    sink_free(&s);

    /* The same through a restart (the parser gave up and began again). */
    n = read_fault("uaf-rss-restart-fuzzed.xml", &s, a);
    assert_int_equal(n, 0);
    assert_true(has_msg(&s.note, "1 empty", NULL));
    sink_free(&s);

    /* WordPress, namespaces on the channel, two items queued together. */
    static const char wxr[] =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel "
        "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
        "xmlns:wp=\"http://wordpress.org/export/1.2/\"><title>b</title>"
        "<wp:base_site_url>http://b.example</wp:base_site_url>"
        "<item><title>One</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
        "<wp:status>publish</wp:status><description>teaser</description>"
        "<content:encoded>first full text</content:encoded></item>"
        "<item><title>Two</title><wp:post_id>2</wp:post_id><wp:post_type>post</wp:post_type>"
        "<wp:status>publish</wp:status><content:encoded>second full text</content:encoded>"
        "</item></channel></rss>";
    n = read_mem(wxr, sizeof wxr - 1, "wxr.xml", NULL, &s, a, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].id, "http://b.example/?p=1");
    assert_string_equal(a[0].body, "first full text");
    assert_string_equal(a[1].body, "second full text");
    free_articles(a, n);
    sink_free(&s);

    /* Atom with the namespaces on the entries' parent. */
    static const char atom[] =
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\" "
        "xmlns:thr=\"http://purl.org/syndication/thread/1.0\"><title>f</title>"
        "<entry><id>e1</id><title>A</title><content>alpha text</content>"
        "<thr:total>1</thr:total></entry>"
        "<entry><id>e2</id><title>B</title><content>beta text</content></entry></feed>";
    n = read_mem(atom, sizeof atom - 1, "a.xml", NULL, &s, a, NULL);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].body, "alpha text");
    assert_string_equal(a[1].body, "beta text");
    free_articles(a, n);
    sink_free(&s);
}

/* encoding="f": libxml2 stopped at the first byte, and every restart
 * stopped there again, forever. Now the bytes are read as UTF-8 (Latin-1
 * where they are not), with a note. */
static void test_fault_unknown_encoding(void **state)
{
    (void)state;
    sink s = {0};
    tg_article a[MAXA];
    size_t n = read_fault("hang-unsupported-encoding.xml", &s, a);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "t");
    assert_true(has_msg(&s.note, ":1|encoding \"f\" is not one this system knows: read as UTF-8",
                        NULL));
    assert_int_equal(s.note.n, 1);
    free_articles(a, n);
    sink_free(&s);

    n = read_fault("hang-unsupported-encoding-fuzzed.xml", &s, a);
    assert_int_equal(n, 0);
    assert_true(s.warn.n < 20);
    sink_free(&s);

    static const char latin[] = "<?xml version=\"1.0\" encoding=\"x-unknown-8\"?>"
                                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>c</id>"
                                "<title>caf\xe9</title><content>na\xefve</content></entry></feed>";
    n = read_mem(latin, sizeof latin - 1, "latin.xml", NULL, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].title, "caf\xc3\xa9");
    assert_string_equal(a[0].body, "na\xc3\xafve");
    free_articles(a, n);
    sink_free(&s);
}

/* 200,000 bare '&' before a ';': libxml2's push parser scanned to the ';'
 * at each one (11 s). They are read as what they are, '&'. */
static void test_fault_ampersands(void **state)
{
    (void)state;
    tg_buf b = {0};
    tg_buf_puts(&b, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>amp</id>"
                    "<title>amps</title><content>");
    for (int i = 0; i < 200000; i++)
        tg_buf_putc(&b, '&');
    tg_buf_puts(&b, ";</content></entry></feed>");
    sink s = {0};
    tg_article a[MAXA];
    size_t n = read_mem(b.data, b.len, "amp.xml", NULL, &s, a, NULL);
    assert_int_equal(n, 1);
    assert_int_equal(strlen(a[0].body), 200001);
    assert_int_equal(strspn(a[0].body, "&"), 200000);
    free_articles(a, n);
    sink_free(&s);
    tg_buf_free(&b);
}

/* The escaping of bare '&' sees the input in 64 KiB chunks: references,
 * bare '&' and CDATA sections read the same wherever a chunk ends. */
static void test_ampersand_chunk_edges(void **state)
{
    (void)state;
    static const char entry[] =
        "<entry><id>e</id><title>AT&T &amp; Co</title><content type=\"text\">"
        "x &amp;amp; y &#233; &#xE9; &eacute; &T; &bogus name; a & b<![CDATA[ c &amp; d & e ]]>"
        "<![CDATA[&]]>&#;&#x;"
        "</content><link href=\"http://e.example/?a=1&b=2&amp;c=3\"/></entry></feed>";
    char *first_body = NULL, *first_title = NULL, *first_url = NULL;
    for (size_t shift = 0; shift < 200; shift++) {
        tg_buf b = {0};
        tg_buf_puts(&b, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><!--");
        size_t pad = shift ? 65536 - 40 - b.len - 2 + shift : 10;
        for (size_t i = 0; i < pad; i++)
            tg_buf_putc(&b, 'p');
        tg_buf_puts(&b, "-->");
        tg_buf_puts(&b, entry);
        sink s = {0};
        tg_article a[MAXA];
        size_t n = read_mem(b.data, b.len, "edge.xml", NULL, &s, a, NULL);
        assert_int_equal(n, 1);
        if (!first_body) {
            first_body = strdup(a[0].body);
            first_title = strdup(a[0].title);
            first_url = strdup(a[0].url);
            assert_string_equal(first_title, "AT&T & Co");
            assert_string_equal(first_url, "http://e.example/?a=1&b=2&c=3");
            assert_non_null(strstr(first_body, "x &amp; y \xc3\xa9 \xc3\xa9 \xc3\xa9"));
            assert_non_null(strstr(first_body, "a & b c &amp; d & e &&#;&#x;"));
        } else {
            assert_string_equal(a[0].body, first_body);
            assert_string_equal(a[0].title, first_title);
            assert_string_equal(a[0].url, first_url);
        }
        free_articles(a, n);
        sink_free(&s);
        tg_buf_free(&b);
    }
    free(first_body);
    free(first_title);
    free(first_url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_sniffing),
        cmocka_unit_test(test_blogger),
        cmocka_unit_test(test_blogger_comments),
        cmocka_unit_test(test_blogger_takeout),
        cmocka_unit_test(test_blogger_undeclared_namespace),
        cmocka_unit_test(test_wordpress),
        cmocka_unit_test(test_rss),
        cmocka_unit_test(test_atom),
        cmocka_unit_test(test_feed_rules),
        cmocka_unit_test(test_html_blogger_page),
        cmocka_unit_test(test_html_jsonld_page),
        cmocka_unit_test(test_html_time_page),
        cmocka_unit_test(test_html_og_page),
        cmocka_unit_test(test_html_index_page),
        cmocka_unit_test(test_html_encodings),
        cmocka_unit_test(test_html_truncated),
        cmocka_unit_test(test_xml_malformed),
        cmocka_unit_test(test_xml_truncated),
        cmocka_unit_test(test_xml_truncated_gzip),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_xml_encodings),
        cmocka_unit_test(test_xml_entities),
        cmocka_unit_test(test_xml_concatenated),
        cmocka_unit_test(test_oversized),
        cmocka_unit_test(test_binary_and_empty),
        cmocka_unit_test(test_text_jsonl_latin1),
        cmocka_unit_test(test_real_exports),
        cmocka_unit_test(test_fault_channel_namespace),
        cmocka_unit_test(test_fault_unknown_encoding),
        cmocka_unit_test(test_fault_ampersands),
        cmocka_unit_test(test_ampersand_chunk_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
