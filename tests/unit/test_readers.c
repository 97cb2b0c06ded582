/* test_readers.c - the reader layer, the text reader and the JSONL reader
 * on the fixtures in $TG_TESTDATA/reader (see its README.md). Gzip, CRLF
 * and BOM variants are made from the fixtures at run time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "tg_buf.h"
#include "tg_reader.h"

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
    return tg_buf_steal(&b);
}

static char *temp_path(const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/tg_readers_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    close(fd);
    unlink(tmpl);
    size_t n = strlen(tmpl) + strlen(suffix) + 1;
    char *p = malloc(n);
    snprintf(p, n, "%s%s", tmpl, suffix);
    return p;
}

static void gz_file(const char *path, const char *data, size_t n)
{
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
    assert_int_equal(gzclose(g), Z_OK);
}

/* Warnings collected from on_error, "origin|message" each. */
typedef struct {
    char *msg[64];
    size_t n;
} warnings;

static void on_error(const char *origin, const char *message, void *ud)
{
    warnings *w = ud;
    assert_true(w->n < 64);
    size_t n = strlen(origin) + strlen(message) + 2;
    w->msg[w->n] = malloc(n);
    snprintf(w->msg[w->n], n, "%s|%s", origin, message);
    w->n++;
}

static void warnings_free(warnings *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->msg[i]);
    w->n = 0;
}

/* Reads every article; returns how many, keeping up to max copies. */
static size_t read_all(tg_reader *r, tg_article *out, size_t max)
{
    size_t n = 0;
    tg_article a;
    tg_article_init(&a);
    for (;;) {
        int done;
        assert_int_equal(tg_reader_next(r, &a, &done), TG_OK);
        if (done)
            break;
        if (n < max) {
            out[n] = a; /* hand over ownership */
            tg_article_init(&a);
        }
        n++;
    }
    tg_article_clear(&a);
    /* The end stays the end. */
    int done = 0;
    assert_int_equal(tg_reader_next(r, &a, &done), TG_OK);
    assert_true(done);
    return n;
}

static void free_articles(tg_article *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tg_article_clear(&a[i]);
}

/* ---- articles ----------------------------------------------------------- */

static void test_article_basics(void **state)
{
    (void)state;
    tg_article a;
    tg_article_init(&a);
    assert_int_equal(tg_article_set(&a.title, "Kingdom of Iraq", (size_t)-1), TG_OK);
    assert_string_equal(a.title, "Kingdom of Iraq");
    /* A prefix of the old value, copied before the old one is freed. */
    assert_int_equal(tg_article_set(&a.title, a.title, 7), TG_OK);
    assert_string_equal(a.title, "Kingdom");
    assert_int_equal(tg_article_set(&a.title, NULL, 0), TG_OK);
    assert_null(a.title);
    assert_int_equal(tg_article_add_tag(&a, "history", (size_t)-1), TG_OK);
    assert_int_equal(tg_article_add_tag(&a, "iraq-war", 4), TG_OK);
    assert_int_equal(a.ntags, 2);
    assert_string_equal(a.tags[1], "iraq");
    assert_int_equal(tg_article_set(&a.body, "x", 1), TG_OK);
    tg_article_clear(&a);
    assert_null(a.body);
    assert_null(a.tags);
    assert_int_equal(a.ntags, 0);
    tg_article_clear(&a); /* twice is fine */
    tg_article_clear(NULL);
}

static void test_format_names(void **state)
{
    (void)state;
    assert_int_equal(tg_format_from_name("auto"), TG_FORMAT_AUTO);
    assert_int_equal(tg_format_from_name("text"), TG_FORMAT_TEXT);
    assert_int_equal(tg_format_from_name("jsonl"), TG_FORMAT_JSONL);
    assert_int_equal(tg_format_from_name("xml"), -1);
    assert_int_equal(tg_format_from_name(NULL), -1);
    assert_string_equal(tg_format_name(TG_FORMAT_AUTO), "auto");
    assert_string_equal(tg_format_name(TG_FORMAT_TEXT), "text");
    assert_string_equal(tg_format_name(TG_FORMAT_JSONL), "jsonl");
}

/* ---- text reader -------------------------------------------------------- */

static const char museum_body[] =
    "In November 1966 the Iraq Museum opened the doors of its new building in the Alawi "
    "district of Baghdad. The collection had started in a single room of a government "
    "office in the 1920s, and for four decades it had outgrown every home it was given. (1)"
    "\n\n"
    "The new galleries were arranged in order of time, from the first villages of the "
    "north to the Abbasid caliphate. Curators argued for years over whether the Assyrian "
    "reliefs should stand in the entrance hall. In the end they did, and visitors walked "
    "past winged bulls before they reached the ticket desk. (2)"
    "\n\n"
    "1966 was also a year of political change, but the museum staff kept to their work. "
    "Many of them had trained abroad and came back to catalogue what Iraqi excavations "
    "were finding every season.";

static const char museum_sources[] =
    "1. Baghdad Observer, \xE2\x80\x9CNew Home for the Nation\xE2\x80\x99s Antiquities,"
    "\xE2\x80\x9D 11/9/66\n"
    "2. Abdul-Karim, Salim, \xE2\x80\x9C" "A History of the Iraq Museum,\xE2\x80\x9D Journal "
    "of Mesopotamian Heritage, Spring 1998\n"
    "Abdul-Karim, Salim, \xE2\x80\x9C" "A History of the Iraq Museum,\xE2\x80\x9D Journal of "
    "Mesopotamian Heritage, Spring 1998\n"
    "- \xE2\x80\x9CGalleries and Guardians,\xE2\x80\x9D Journal of Mesopotamian Heritage, "
    "Fall 2001\n"
    "Baghdad Observer, \xE2\x80\x9CNew Home for the Nation\xE2\x80\x99s Antiquities,"
    "\xE2\x80\x9D 11/9/66";

static void check_museum(const tg_article *a)
{
    assert_string_equal(a->date, "2018-03-05");
    assert_string_equal(a->title, "The Iraq Museum Moves Into Its New Building");
    assert_string_equal(a->body, museum_body);
    assert_string_equal(a->sources, museum_sources);
    assert_null(a->author);
    assert_int_equal(a->ntags, 0);
}

static void test_text_with_notes(void **state)
{
    (void)state;
    char *path = data_path("2018-03-05-iraq-museum.txt");
    warnings w = {0};
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_error, &w, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(tg_reader_format(r), TG_FORMAT_TEXT);
    assert_string_equal(tg_reader_path(r), path);
    tg_article a[2];
    assert_int_equal(read_all(r, a, 2), 1);
    check_museum(&a[0]);
    assert_string_equal(a[0].id, "2018-03-05-iraq-museum");
    assert_string_equal(a[0].url, path);
    assert_string_equal(a[0].origin, path);
    /* The sidebar after "No comments:" is gone, numbered lines and all. */
    assert_null(strstr(a[0].body, "sidebarmarker"));
    assert_null(strstr(a[0].sources, "sidebarmarker"));
    assert_null(strstr(a[0].sources, "No comments"));
    assert_int_equal(w.n, 0);
    free_articles(a, 1);
    tg_reader_close(r);
    free(path);
}

static void test_text_without_notes(void **state)
{
    (void)state;
    char *path = data_path("2017-03-03-tigris-floods.txt");
    warnings w = {0};
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_TEXT, NULL, on_error, &w, err, sizeof err);
    assert_non_null(r);
    tg_article a[1];
    assert_int_equal(read_all(r, a, 1), 1);
    assert_string_equal(a[0].id, "2017-03-03-tigris-floods");
    assert_string_equal(a[0].date, "2017-03-03");
    assert_string_equal(a[0].title, "Floods on the Tigris in 1954");
    /* Wrapped lines of a paragraph are joined with a space. */
    assert_string_equal(a[0].body,
        "In the spring of 1954 the Tigris rose higher than anyone in Baghdad could "
        "remember. Water reached the edge of the old city and thousands of families "
        "moved to higher ground.\n\n"
        "Engineers had warned for years that the river needed a place to spill. "
        "After the flood the government paid for the Wadi Tharthar scheme, which "
        "sent surplus water into a desert depression north of the capital.");
    assert_null(a[0].sources);
    assert_int_equal(w.n, 0);
    free_articles(a, 1);
    tg_reader_close(r);
    free(path);
}

static void test_text_crlf_bom_trailing_space(void **state)
{
    (void)state;
    char *path = data_path("2018-03-05-iraq-museum.txt");
    size_t len;
    char *text = read_file(path, &len);
    /* Windows line ends, a byte-order mark, spaces and tabs at line ends. */
    tg_buf b = {0};
    tg_buf_puts(&b, "\xEF\xBB\xBF");
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            tg_buf_puts(&b, i % 3 ? " \t\r\n" : "\r\n");
        else
            tg_buf_putc(&b, text[i]);
    }
    warnings w = {0};
    tg_reader *r = tg_reader_open_mem(b.data, b.len, "dir/crlf.txt.gz", TG_FORMAT_AUTO, NULL,
                                      on_error, &w);
    assert_non_null(r);
    assert_int_equal(tg_reader_format(r), TG_FORMAT_TEXT);
    tg_article a[1];
    assert_int_equal(read_all(r, a, 1), 1);
    check_museum(&a[0]);
    assert_string_equal(a[0].id, "crlf");
    assert_int_equal(w.n, 0);
    free_articles(a, 1);
    tg_reader_close(r);
    tg_buf_free(&b);
    free(text);
    free(path);
}

/* Reads one article from text in memory. Returns 1 if there was one. */
static int text_article(const char *text, tg_article *a, warnings *w)
{
    tg_reader *r = tg_reader_open_mem(text, strlen(text), "mem.txt", TG_FORMAT_TEXT, NULL,
                                      on_error, w);
    if (!r) {
        /* Only an empty file is refused at open; the reason went to w. */
        assert_int_equal(strlen(text), 0);
        tg_article_init(a);
        return 0;
    }
    int n = (int)read_all(r, a, 1);
    tg_reader_close(r);
    return n;
}

static void test_text_variants(void **state)
{
    (void)state;
    warnings w = {0};
    tg_article a;

    /* No date header: the first line is the title. */
    assert_int_equal(text_article("\n\nA Title Without a Date\n\nBody here.\n", &a, &w), 1);
    assert_null(a.date);
    assert_string_equal(a.title, "A Title Without a Date");
    assert_string_equal(a.body, "Body here.");
    assert_string_equal(a.id, "mem");
    tg_article_clear(&a);

    /* Date forms: weekday optional, abbreviations, leap days; an impossible
     * date is not a date header. */
    static const struct { const char *line, *date; } dates[] = {
        { "Tuesday, September 13, 2016", "2016-09-13" },
        { "September 13, 2016", "2016-09-13" },
        { "Tue, Sept. 13, 2016", "2016-09-13" },
        { "Monday, February 29, 2016", "2016-02-29" },
        { "february 1 1990", "1990-02-01" },
        { "February 29, 2015", NULL },
        { "September 31, 2016", NULL },
        { "Sept 13", NULL },
        { "Mayday, May 1, 2016", NULL },
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "%s\nTitle\n\nBody.\n", dates[i].line);
        assert_int_equal(text_article(text, &a, &w), 1);
        if (dates[i].date) {
            assert_non_null(a.date);
            assert_string_equal(a.date, dates[i].date);
            assert_string_equal(a.title, "Title");
        } else {
            assert_null(a.date);
            assert_string_equal(a.title, dates[i].line);
        }
        tg_article_clear(&a);
    }

    /* "1 comment:" ends the article too. */
    assert_int_equal(text_article("Title\n\nBody.\n\n1 comment:\n\nsidebar\n", &a, &w), 1);
    assert_string_equal(a.body, "Body.");
    tg_article_clear(&a);

    /* A single note counts when the body points at it with "(1)". */
    assert_int_equal(text_article("Title\n\nA claim. (1)\n\n1. A source, 1991\n\n"
                                  "Source, A, 1991\n\nNo comments:\n", &a, &w), 1);
    assert_string_equal(a.body, "A claim. (1)");
    assert_string_equal(a.sources, "1. A source, 1991\nSource, A, 1991");
    tg_article_clear(&a);
    /* Without the marker a lone "1. " line is body text. */
    assert_int_equal(text_article("Title\n\nA claim.\n\n1. Not a note\n", &a, &w), 1);
    assert_string_equal(a.body, "A claim.\n\n1. Not a note");
    assert_null(a.sources);
    tg_article_clear(&a);

    /* A numbered list in the body, then the real notes: the last numbered
     * sequence is the notes. */
    assert_int_equal(text_article("Title\n\nThree reasons:\n\n1. one\n\n2. two\n\n3. three\n\n"
                                  "More text. (1) (2)\n\n1. Note one\n\n2. Note two\n\n"
                                  "No comments:\n", &a, &w), 1);
    assert_string_equal(a.body, "Three reasons:\n\n1. one\n\n2. two\n\n3. three\n\n"
                                "More text. (1) (2)");
    assert_string_equal(a.sources, "1. Note one\n2. Note two");
    tg_article_clear(&a);

    /* Notes without blank lines between them. */
    assert_int_equal(text_article("Title\n\nText (1) and (2).\n1. First\n2. Second\n", &a, &w), 1);
    assert_string_equal(a.body, "Text (1) and (2).");
    assert_string_equal(a.sources, "1. First\n2. Second");
    tg_article_clear(&a);

    /* A title and nothing else is still an article. */
    assert_int_equal(text_article("Monday, March 5, 2018\n\nJust a Title\n", &a, &w), 1);
    assert_string_equal(a.title, "Just a Title");
    assert_string_equal(a.body, "");
    tg_article_clear(&a);
    assert_int_equal(w.n, 0);

    /* Nothing at all: skipped, with a warning naming the file. */
    assert_int_equal(text_article("", &a, &w), 0);
    assert_int_equal(text_article("\n \n\t\n", &a, &w), 0);
    assert_int_equal(text_article("Friday, May 4, 2018\n\nNo comments:\nsidebar", &a, &w), 0);
    assert_int_equal(w.n, 3);
    assert_string_equal(w.msg[0], "mem.txt|mem.txt: empty file, nothing to index");
    for (size_t i = 1; i < w.n; i++)
        assert_string_equal(w.msg[i], "mem.txt|no title and no text found: file skipped");
    warnings_free(&w);
}

/* ---- JSONL reader ------------------------------------------------------- */

static void check_jsonl_articles(const tg_article *a, size_t n, const char *path)
{
    assert_int_equal(n, 6);
    char origin[1024];

    assert_string_equal(a[0].id, "iq-001");
    assert_string_equal(a[0].url, "https://example.org/iq-001");
    assert_string_equal(a[0].title, "The Hashemite Monarchy");
    assert_string_equal(a[0].date, "1921-08-23");
    assert_string_equal(a[0].author, "A. Writer");
    assert_int_equal(a[0].ntags, 2);
    assert_string_equal(a[0].tags[0], "monarchy");
    assert_string_equal(a[0].tags[1], "Faisal I");
    assert_string_equal(a[0].body, "Faisal I was crowned King of Iraq on 23 August 1921.\n\n"
                                   "His reign lasted until 1933.");
    assert_null(a[0].sources);
    snprintf(origin, sizeof origin, "%s:1", path);
    assert_string_equal(a[0].origin, origin);

    /* Line 3: numeric id, partial date, tags as a comma-separated string,
     * no url (the file stands in). */
    assert_string_equal(a[1].id, "42");
    assert_string_equal(a[1].date, "1932-10");
    assert_int_equal(a[1].ntags, 2);
    assert_string_equal(a[1].tags[0], "independence");
    assert_string_equal(a[1].tags[1], "League of Nations");
    assert_string_equal(a[1].url, path);
    snprintf(origin, sizeof origin, "%s:3", path);
    assert_string_equal(a[1].origin, origin);

    /* Line 5, after the invalid line 4: a timestamp keeps its date. */
    assert_string_equal(a[2].id, "after-bad");
    assert_string_equal(a[2].date, "1958-07-14");
    snprintf(origin, sizeof origin, "%s:5", path);
    assert_string_equal(a[2].origin, origin);

    /* Title only: an empty body, a year for a date. */
    assert_string_equal(a[3].id, "title-only");
    assert_string_equal(a[3].body, "");
    assert_string_equal(a[3].date, "1963");

    /* Fields of the wrong type are dropped, the article kept. */
    assert_string_equal(a[4].id, "bad-fields");
    assert_null(a[4].title);
    assert_null(a[4].date);
    assert_null(a[4].author);
    assert_string_equal(a[4].body, "Body kept.");
    assert_int_equal(a[4].ntags, 1);
    assert_string_equal(a[4].tags[0], "ok");

    /* Reuters' timestamps have no zone. */
    assert_string_equal(a[5].id, "reuters-style");
    assert_string_equal(a[5].date, "1987-02-26");
    assert_string_equal(a[5].body, "Showers continued throughout the week in\nthe Bahia cocoa zone.");
    snprintf(origin, sizeof origin, "%s:13", path);
    assert_string_equal(a[5].origin, origin);
}

static void check_jsonl_warnings(const warnings *w, const char *path)
{
    assert_int_equal(w->n, 9);
    char buf[1024];
    snprintf(buf, sizeof buf, "%s:4|invalid JSON at column ", path);
    assert_memory_equal(w->msg[0], buf, strlen(buf));
    /* jansson's own words follow, then what was done. */
    assert_non_null(strstr(w->msg[0], "premature end of input"));
    assert_non_null(strstr(w->msg[0], ": line skipped"));
    snprintf(buf, sizeof buf, "%s:6|an array, not an object: line skipped", path);
    assert_string_equal(w->msg[1], buf);
    snprintf(buf, sizeof buf, "%s:7|no \"id\" (a string or an integer is required): line skipped",
             path);
    assert_string_equal(w->msg[2], buf);
    snprintf(buf, sizeof buf, "%s:8|article \"empty\" has neither title nor body: skipped", path);
    assert_string_equal(w->msg[3], buf);
    snprintf(buf, sizeof buf, "%s:10|\"title\" is an integer, not a string: field ignored", path);
    assert_string_equal(w->msg[4], buf);
    snprintf(buf, sizeof buf, "%s:10|1 tag(s) not strings: ignored", path);
    assert_string_equal(w->msg[5], buf);
    snprintf(buf, sizeof buf, "%s:10|date \"last Tuesday\" is not YYYY[-MM[-DD]]: date ignored",
             path);
    assert_string_equal(w->msg[6], buf);
    snprintf(buf, sizeof buf, "%s:11|\"id\" is a number, not a string or an integer: line skipped",
             path);
    assert_string_equal(w->msg[7], buf);
    snprintf(buf, sizeof buf, "%s:14|no \"id\" (a string or an integer is required): line skipped",
             path);
    assert_string_equal(w->msg[8], buf);
}

static void test_jsonl_file(void **state)
{
    (void)state;
    char *path = data_path("articles.jsonl");
    warnings w = {0};
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_error, &w, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(tg_reader_format(r), TG_FORMAT_JSONL);
    assert_false(tg_input_is_gzip(tg_reader_input(r)));
    tg_article a[8];
    size_t n = read_all(r, a, 8);
    check_jsonl_articles(a, n, path);
    check_jsonl_warnings(&w, path);
    free_articles(a, n);
    warnings_free(&w);
    tg_reader_close(r);
    free(path);
}

static void test_jsonl_gzip(void **state)
{
    (void)state;
    char *src = data_path("articles.jsonl");
    size_t len;
    char *text = read_file(src, &len);
    /* A name that says nothing: detection is by content. */
    char *path = temp_path(".data");
    gz_file(path, text, len);
    warnings w = {0};
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_error, &w, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(tg_reader_format(r), TG_FORMAT_JSONL);
    assert_true(tg_input_is_gzip(tg_reader_input(r)));
    tg_article a[8];
    size_t n = read_all(r, a, 8);
    check_jsonl_articles(a, n, path);
    check_jsonl_warnings(&w, path);
    /* Everything was read: the counters saw the whole file. */
    assert_int_equal(tg_input_bytes_out(tg_reader_input(r)), len);
    free_articles(a, n);
    warnings_free(&w);
    tg_reader_close(r);
    unlink(path);
    free(path);
    free(text);
    free(src);
}

static void test_jsonl_memory_details(void **state)
{
    (void)state;
    /* A BOM on the first line, CRLF line ends, no final newline. */
    static const char data[] =
        "\xEF\xBB\xBF{\"id\":\"a\",\"title\":\"T\",\"body\":\"B\"}\r\n"
        "\r\n"
        "{\"id\":7,\"body\":\"x\",\"date\":\"2016-02-30\"}\r\n"
        "{\"id\":\"c\",\"title\":\"T\",\"body\":\"B\"} trailing\n"
        "{\"id\":\"d\",\"title\":\"last\",\"date\":\" 2001-09-11 \"}";
    warnings w = {0};
    tg_reader *r = tg_reader_open_mem(data, sizeof data - 1, "m.jsonl", TG_FORMAT_AUTO, NULL,
                                      on_error, &w);
    assert_non_null(r);
    tg_article a[4];
    size_t n = read_all(r, a, 4);
    assert_int_equal(n, 3);
    assert_string_equal(a[0].id, "a");
    assert_string_equal(a[0].origin, "m.jsonl:1");
    assert_string_equal(a[1].id, "7");
    assert_null(a[1].date); /* no 30th of February */
    assert_string_equal(a[2].id, "d");
    assert_string_equal(a[2].date, "2001-09-11");
    assert_string_equal(a[2].origin, "m.jsonl:5");
    assert_int_equal(w.n, 2);
    assert_string_equal(w.msg[0],
                        "m.jsonl:3|date \"2016-02-30\" is not YYYY[-MM[-DD]]: date ignored");
    /* Text after the object on the same line makes the line invalid. */
    assert_memory_equal(w.msg[1], "m.jsonl:4|invalid JSON", 22);
    free_articles(a, n);
    warnings_free(&w);
    tg_reader_close(r);
}

static void test_jsonl_truncated_gzip(void **state)
{
    (void)state;
    /* Big enough that the damage is found while reading, not at open. */
    tg_buf b = {0};
    for (int i = 0; i < 5000; i++)
        tg_buf_printf(&b, "{\"id\": \"n%d\", \"title\": \"Article %d\", \"body\": \"Text of "
                          "article %d about the river and the city %d.\"}\n", i, i, i, i * 7);
    char *path = temp_path(".jsonl.gz");
    gz_file(path, b.data, b.len);
    size_t glen;
    char *g = read_file(path, &glen);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(g, 1, glen / 2, f);
    fclose(f);

    warnings w = {0};
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_error, &w, err, sizeof err);
    assert_non_null(r);
    tg_article a;
    tg_article_init(&a);
    int done = 0, n = 0;
    tg_status st;
    while ((st = tg_reader_next(r, &a, &done)) == TG_OK && !done)
        n++;
    assert_int_equal(st, TG_ERR_FORMAT);
    assert_true(n > 100 && n < 5000);
    char want[1024];
    snprintf(want, sizeof want, "%s: truncated gzip data", path);
    assert_string_equal(tg_reader_errmsg(r), want);
    assert_null(a.id);
    /* A fatal error ends the file for good. */
    assert_int_equal(tg_reader_next(r, &a, &done), TG_ERR_FORMAT);
    assert_int_equal(w.n, 0);
    tg_reader_close(r);

    /* Cut so short that the first bytes cannot be decoded: open fails. */
    f = fopen(path, "wb");
    fwrite(g, 1, 12, f);
    fclose(f);
    r = tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_error, &w, err, sizeof err);
    assert_null(r);
    assert_string_equal(err, want);

    unlink(path);
    free(path);
    free(g);
    tg_buf_free(&b);
}

/* ---- opening and detection ---------------------------------------------- */

static void test_open_errors(void **state)
{
    (void)state;
    char *path = data_path("no-such-file.jsonl");
    char err[512] = "";
    warnings w = {0};
    assert_null(tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_error, &w, err, sizeof err));
    char want[1024];
    snprintf(want, sizeof want, "cannot open %s: No such file or directory", path);
    assert_string_equal(err, want);
    free(path);

    /* Binary data is no known format. */
    static const char bin[] = "\x01\x02\x00\x03 binary";
    assert_null(tg_reader_open_mem(bin, sizeof bin - 1, "blob.bin", TG_FORMAT_AUTO, NULL,
                                   on_error, &w));
    assert_int_equal(w.n, 1);
    assert_string_equal(w.msg[0], "blob.bin|blob.bin: binary file, skipped");
    warnings_free(&w);

    /* An explicit format is used as given: text read as JSONL is reported
     * line by line, not guessed around. */
    char *txt = data_path("2017-03-03-tigris-floods.txt");
    tg_reader *r = tg_reader_open(txt, TG_FORMAT_JSONL, NULL, on_error, &w, err, sizeof err);
    assert_non_null(r);
    tg_article a[1];
    assert_int_equal(read_all(r, a, 1), 0);
    assert_int_equal(w.n, 11); /* every non-blank line */
    warnings_free(&w);
    tg_reader_close(r);
    free(txt);

    tg_reader_close(NULL);
}

static void test_sniffing(void **state)
{
    (void)state;
    static const struct {
        const char *data, *name;
        tg_format want;
    } cases[] = {
        { "{\"id\":1,\"body\":\"b\"}\n", "x", TG_FORMAT_JSONL },
        { "\xEF\xBB\xBF  \n{\"id\":1,\"body\":\"b\"}\n", "x", TG_FORMAT_JSONL },
        { "Tuesday, September 13, 2016\nT\n\nB\n", "x.jsonl", TG_FORMAT_TEXT },
        { "Just some prose.\n", "x", TG_FORMAT_TEXT },
        { "\n", "blank.jsonl", TG_FORMAT_JSONL },
        { "\n", "blank.txt", TG_FORMAT_TEXT },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        warnings w = {0};
        tg_reader *r = tg_reader_open_mem(cases[i].data, strlen(cases[i].data), cases[i].name,
                                          TG_FORMAT_AUTO, NULL, on_error, &w);
        assert_non_null(r);
        assert_int_equal(tg_reader_format(r), cases[i].want);
        tg_reader_close(r);
        warnings_free(&w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_basics),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_text_with_notes),
        cmocka_unit_test(test_text_without_notes),
        cmocka_unit_test(test_text_crlf_bom_trailing_space),
        cmocka_unit_test(test_text_variants),
        cmocka_unit_test(test_jsonl_file),
        cmocka_unit_test(test_jsonl_gzip),
        cmocka_unit_test(test_jsonl_memory_details),
        cmocka_unit_test(test_jsonl_truncated_gzip),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_sniffing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
