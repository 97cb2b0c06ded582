/*
 * test_date.c - the one date parser (tg_date.h): the forms readers meet
 * (ISO 8601, RFC 822/2822, spelled dates), the strict date line of plain
 * text archives, the query's loose bounds, leap years and impossible dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tg_date.h"

typedef struct {
    const char *in, *want;   /* want NULL: no date */
} date_case;

static void check_cases(int (*parse)(const char *, size_t, char *), const date_case *c,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char out[11] = "";
        int ok = parse(c[i].in, strlen(c[i].in), out);
        if (ok != (c[i].want != NULL))
            print_message("\"%s\": %s\n", c[i].in, ok ? out : "no date");
        assert_int_equal(ok, c[i].want != NULL);
        if (ok)
            assert_string_equal(out, c[i].want);
    }
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_true(tg_date_is_leap(2016));
    assert_true(tg_date_is_leap(2000));   /* divisible by 400 */
    assert_false(tg_date_is_leap(1900));  /* by 100, not 400 */
    assert_false(tg_date_is_leap(2015));
    assert_int_equal(tg_date_days_in_month(2016, 2), 29);
    assert_int_equal(tg_date_days_in_month(1900, 2), 28);
    assert_int_equal(tg_date_days_in_month(2015, 2), 28);
    assert_int_equal(tg_date_days_in_month(2015, 1), 31);
    assert_int_equal(tg_date_days_in_month(2015, 4), 30);
    assert_int_equal(tg_date_days_in_month(2015, 12), 31);
    assert_int_equal(tg_date_days_in_month(2015, 0), 0);
    assert_int_equal(tg_date_days_in_month(2015, 13), 0);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(tg_date_month("September", 9), 9);
    assert_int_equal(tg_date_month("sept", 4), 9);
    assert_int_equal(tg_date_month("SEP", 3), 9);
    assert_int_equal(tg_date_month("Se", 2), 0);          /* too short */
    assert_int_equal(tg_date_month("Septembers", 10), 0); /* too long */
    assert_int_equal(tg_date_month("May", 3), 5);
    assert_int_equal(tg_date_month("Mayday", 6), 0);
    assert_int_equal(tg_date_weekday("Tues", 4), 2);
    assert_int_equal(tg_date_weekday("sunday", 6), 7);
    assert_int_equal(tg_date_weekday("Sep", 3), 0);
    assert_string_equal(tg_date_month_name(1), "January");
    assert_string_equal(tg_date_month_name(12), "December");
    assert_null(tg_date_month_name(0));
    assert_null(tg_date_month_name(13));
}

static void test_iso_prefix(void **state)
{
    (void)state;
    tg_date d;
    assert_int_equal(tg_date_iso("2016-09-13T10:00", 16, 0, &d), 10);
    assert_int_equal(d.y, 2016);
    assert_int_equal(d.m, 9);
    assert_int_equal(d.d, 13);
    assert_int_equal(tg_date_iso("2016-09", 7, 0, &d), 7);
    assert_int_equal(d.d, 0);
    assert_int_equal(tg_date_iso("2016", 4, 0, &d), 4);
    assert_int_equal(d.m, 0);
    /* After a year or a month only "-" and the next part may follow. */
    assert_int_equal(tg_date_iso("2016T", 5, 0, &d), 0);
    assert_int_equal(tg_date_iso("2016-09T", 8, 0, &d), 0);
    assert_int_equal(tg_date_iso("20160", 5, 0, &d), 0);
    /* One-digit fields only when loose. */
    assert_int_equal(tg_date_iso("2016-9-1", 8, 0, &d), 0);
    assert_int_equal(tg_date_iso("2016-9-1", 8, 1, &d), 8);
    assert_int_equal(d.m, 9);
    assert_int_equal(d.d, 1);
    assert_int_equal(tg_date_iso("0000", 4, 0, &d), 0);
    assert_int_equal(tg_date_iso("2016-13", 7, 0, &d), 0);
    assert_int_equal(tg_date_iso("2016-00", 7, 0, &d), 0);
    assert_int_equal(tg_date_iso("2016-04-31", 10, 0, &d), 0);
    assert_int_equal(tg_date_iso("", 0, 0, &d), 0);
}

static void test_parse_formats(void **state)
{
    (void)state;
    static const date_case cases[] = {
        /* ISO 8601 */
        { "2016-09-13T21:30:00.000-07:00", "2016-09-13" },
        { "2016-09-13t21:30:00Z", "2016-09-13" },
        { "2016-04-12 01:30:00", "2016-04-12" },
        { " 2016-09-13 ", "2016-09-13" },
        { "\xc2\xa0" "2016-09-13\n", "2016-09-13" },   /* a no-break space */
        { "2016-09", "2016-09" },
        { "1981", "1981" },
        { "2016-09-13x", NULL },
        { "2016-9-13", NULL },
        { "2016-09-", NULL },
        /* RFC 822 / 2822 */
        { "Tue, 12 Apr 2016 01:30:00 +0000", "2016-04-12" },
        { "Sat, 27 May 17 09:00:00 GMT", "2017-05-27" },
        { "Thu, 1 Jan 70 00:00:00 GMT", "1970-01-01" },
        { "Wed, 31 Dec 69 00:00:00 GMT", "2069-12-31" },
        { "Tue, 12 Apr 016 01:30:00 +0000", NULL },
        /* spelled */
        { "Tuesday, September 13, 2016", "2016-09-13" },
        { "13 September 2016", "2016-09-13" },
        { "13 Sept 2016", "2016-09-13" },
        { "Sept. 3, 1999", "1999-09-03" },
        { "posted on March 5, 2018 by ann", "2018-03-05" },
        { "September 2016", NULL },
        { "Sept 13", NULL },
        { "9:30 PM", NULL },
        { "", NULL },
        { "   ", NULL },
        { "soon", NULL },
    };
    check_cases(tg_date_parse, cases, sizeof cases / sizeof cases[0]);
    char out[11] = "x";
    assert_int_equal(tg_date_parse(NULL, 0, out), 0);
}

static void test_parse_invalid_days(void **state)
{
    (void)state;
    static const date_case cases[] = {
        { "February 29, 2016", "2016-02-29" },
        { "2000-02-29", "2000-02-29" },
        { "29 Feb 2016", "2016-02-29" },
        { "February 29, 2015", NULL },
        { "1900-02-29", NULL },
        { "2016-02-30", NULL },
        { "September 31, 2016", NULL },
        { "0 Sep 2016", NULL },
        { "0000-00-00 00:00:00", NULL },
        { "2016-00-10", NULL },
        { "2016-13-01", NULL },
    };
    check_cases(tg_date_parse, cases, sizeof cases / sizeof cases[0]);
}

static void test_date_line(void **state)
{
    (void)state;
    static const date_case cases[] = {
        { "Tuesday, September 13, 2016", "2016-09-13" },
        { "September 13, 2016", "2016-09-13" },
        { "Tue, Sept. 13, 2016", "2016-09-13" },
        { "Tues. Sept 13 2016", "2016-09-13" },
        { "Monday, February 29, 2016", "2016-02-29" },
        { "february 1 1990", "1990-02-01" },
        /* the whole line, in this order, and nothing else */
        { "13 September 2016", NULL },
        { "September 13, 2016 at noon", NULL },
        { "2016-09-13", NULL },
        { "September 13, 16", NULL },
        { "September 123, 2016", NULL },
        { "February 29, 2015", NULL },
        { "September 31, 2016", NULL },
        { "September 0, 2016", NULL },
        { "Sept 13", NULL },
        { "Mayday, May 1, 2016", NULL },
        { "", NULL },
    };
    check_cases(tg_date_parse_line, cases, sizeof cases / sizeof cases[0]);
}

static void test_bounds(void **state)
{
    (void)state;
    static const struct { const char *in; int hi; const char *want; } cases[] = {
        { "2016", 0, "20160101" },
        { "2016", 1, "20161231" },
        { "2016-02", 1, "20160229" },
        { "2015-2", 1, "20150228" },
        { "1900-02", 1, "19000228" },
        { "2016-9-1", 0, "20160901" },
        { "2016-09-13", 1, "20160913" },
        { "2016-02-29", 0, "20160229" },
        { "2015-02-29", 0, NULL },
        { "2016-13", 0, NULL },
        { "2016-09-131", 0, NULL },
        { "2016-123", 0, NULL },
        { "20160", 0, NULL },
        { "16", 0, NULL },
        { "2016-", 0, NULL },
        { "2016-09-13T10:00", 0, NULL },
        { "", 0, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[9] = "";
        int rc = tg_date_bound(cases[i].in, strlen(cases[i].in), cases[i].hi, out);
        if (rc != (cases[i].want ? 0 : -1))
            print_message("\"%s\": %d %s\n", cases[i].in, rc, out);
        assert_int_equal(rc, cases[i].want ? 0 : -1);
        if (cases[i].want)
            assert_string_equal(out, cases[i].want);
    }
}

static void test_format(void **state)
{
    (void)state;
    char out[11];
    tg_date d = { 987, 3, 5 };
    tg_date_format(&d, out);
    assert_string_equal(out, "0987-03-05");
    d.d = 0;
    tg_date_format(&d, out);
    assert_string_equal(out, "0987-03");
    d.m = 0;
    tg_date_format(&d, out);
    assert_string_equal(out, "0987");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_iso_prefix),
        cmocka_unit_test(test_parse_formats),
        cmocka_unit_test(test_parse_invalid_days),
        cmocka_unit_test(test_date_line),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
