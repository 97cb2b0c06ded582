/*
 * test_output.c - the terminal text of a result (tg_render_text): passages
 * wrapped at the width in the columns a terminal shows (CJK characters take
 * two, combining marks none), matches marked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tg_output.h"
#include "tg_search.h"

/* Renders one hit with passage p (spans as given) at width w; returns the
 * passage lines (those after the hit's two header lines) in out. */
static void render(const char *p, tg_span *spans, size_t nspans, unsigned w, int color,
                   tg_buf *out)
{
    tg_hit h = { .id = "a", .url = "", .title = "T", .date = "", .author = "", .origin = "",
                 .passage = (char *)p, .spans = spans, .nspans = nspans };
    tg_results r = { .query = "q", .total = 1, .hits = &h, .nhits = 1 };
    tg_render_opts o = { .width = w, .color = color };
    tg_buf all = {0};
    assert_int_equal(tg_render_text(&r, &o, &all), TG_OK);
    const char *s = strstr(tg_buf_str(&all), " | score ");
    assert_non_null(s);
    s = strchr(s, '\n') + 1;
    const char *end = strstr(s, "\n\n");   /* a blank line after the hit */
    assert_int_equal(tg_buf_append(out, s, end ? (size_t)(end - s) + 1 : strlen(s)), TG_OK);
    tg_buf_free(&all);
}

/* Terminal columns of a line: ASCII 1, the CJK and fullwidth used here 2. */
static size_t cols(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80)
            c++;
        else if (b >= 0xE0)   /* three-byte: the wide characters below */
            c += 2;
    }
    return c;
}

static void assert_lines_within(const char *text, unsigned w)
{
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        if (cols(l, n) > w)
            print_message("too wide (%zu > %u): %.*s\n", cols(l, n), w, (int)n, l);
        assert_true(cols(l, n) <= w);
        assert_true(n >= 2 && l[0] == ' ' && l[1] == ' ');
        l = e ? e + 1 : l + n;
    }
}

static void test_ascii_wraps_at_spaces(void **state)
{
    (void)state;
    tg_buf out = {0};
    render("one two three four five six seven eight nine ten", NULL, 0, 20, 0, &out);
    assert_string_equal(tg_buf_str(&out), "  one two three four\n  five six seven\n"
                                          "  eight nine ten\n");
    tg_buf_free(&out);
}

static void test_cjk_counts_two_columns(void **state)
{
    (void)state;
    /* 30 ideographs, 60 columns, no spaces: wrapped before the character
     * that would pass the width, each line holding 2 + 2k <= 20 columns. */
    char p[200] = "";
    for (int i = 0; i < 30; i++)
        strcat(p, "\xe6\x97\xa5");   /* U+65E5 */
    tg_buf out = {0};
    render(p, NULL, 0, 20, 0, &out);
    assert_lines_within(tg_buf_str(&out), 20);
    /* 9 characters (18 columns) a line after the indent: 4 lines. */
    size_t lines = 0;
    for (const char *s = tg_buf_str(&out); *s; s++)
        lines += *s == '\n';
    assert_int_equal(lines, 4);
    tg_buf_free(&out);
}

static void test_mixed_words(void **state)
{
    (void)state;
    /* Wide words between spaces: "東京 大阪 ..." counts 4 columns a word. */
    const char *p = "\xe6\x9d\xb1\xe4\xba\xac \xe5\xa4\xa7\xe9\x98\xaa \xe6\x9d\xb1\xe4\xba\xac "
                    "\xe5\xa4\xa7\xe9\x98\xaa \xe6\x9d\xb1\xe4\xba\xac \xe5\xa4\xa7\xe9\x98\xaa";
    tg_buf out = {0};
    render(p, NULL, 0, 12, 0, &out);
    assert_lines_within(tg_buf_str(&out), 12);
    /* Counted one column a character, two words (and more) would fit. */
    assert_non_null(strstr(tg_buf_str(&out), "\xe6\x9d\xb1\xe4\xba\xac \xe5\xa4\xa7\xe9\x98\xaa\n"));
    tg_buf_free(&out);
}

static void test_combining_marks_take_no_column(void **state)
{
    (void)state;
    /* "cafe" + U+0301 is four columns: "cafe\u0301 cafe\u0301" fits in 2 + 9. */
    tg_buf out = {0};
    render("cafe\xcc\x81 cafe\xcc\x81", NULL, 0, 12, 0, &out);
    assert_string_equal(tg_buf_str(&out), "  cafe\xcc\x81 cafe\xcc\x81\n");
    tg_buf_free(&out);
}

static void test_matches_marked(void **state)
{
    (void)state;
    /* "日本 and 東京": the match on the second ideograph pair. */
    const char *p = "\xe6\x97\xa5\xe6\x9c\xac and \xe6\x9d\xb1\xe4\xba\xac";
    tg_span sp[2] = { { 0, 6 }, { 11, 17 } };
    tg_buf out = {0};
    render(p, sp, 2, 80, 0, &out);
    assert_string_equal(tg_buf_str(&out), "  *\xe6\x97\xa5\xe6\x9c\xac* and "
                                          "*\xe6\x9d\xb1\xe4\xba\xac*\n");
    tg_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_wraps_at_spaces),
        cmocka_unit_test(test_cjk_counts_two_columns),
        cmocka_unit_test(test_mixed_words),
        cmocka_unit_test(test_combining_marks_take_no_column),
        cmocka_unit_test(test_matches_marked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
