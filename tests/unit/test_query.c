/*
 * test_query.c - the query language parser (lib/query.c).
 *
 * Most cases compare tg_qtree_describe output byte for byte: the format is
 * documented in lib/query.c, and one string pins kind, modifier, field and
 * every normalised word at once. Node-level checks cover what describe
 * does not show (raw text, counts). Every parsed tree also goes through
 * check_tree, so all tests double as structural invariant tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_query.h"
#include "tg_text.h"

/* ---- helpers ----------------------------------------------------------- */

static int is_date8(const char *s)
{
    if (strlen(s) != 8)
        return 0;
    for (int i = 0; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The invariants search.c relies on: what a well-formed tree looks like. */
static void check_node(const tg_qnode *n, int inside_or)
{
    assert_non_null(n);
    assert_true(n->mod == TG_QM_NONE || n->mod == TG_QM_REQUIRE || n->mod == TG_QM_EXCLUDE);
    assert_true(n->field >= TG_QF_ANY && n->field <= TG_QF_ADDRESS);
    switch (n->kind) {
    case TG_Q_TERM:
    case TG_Q_PHRASE:
        assert_true(n->kind == TG_Q_TERM ? n->nwords == 1 : n->nwords >= 2);
        assert_non_null(n->words);
        assert_non_null(n->raw);
        assert_int_equal(n->nkids, 0);
        for (size_t i = 0; i < n->nwords; i++) {
            assert_non_null(n->words[i]);
            assert_non_null(n->raw[i]);
            assert_true(n->words[i][0] != '\0');
            assert_true(n->raw[i][0] != '\0');
            /* What a term may contain is tg_tokenize's contract, tested in
             * its own suite; here only that ids come back trimmed. */
            if (n->field == TG_QF_ID) {
                assert_true(n->words[i][0] != ' ');
                assert_true(n->words[i][strlen(n->words[i]) - 1] != ' ');
            }
        }
        if (n->field == TG_QF_ID)
            assert_int_equal(n->kind, TG_Q_TERM);
        break;
    case TG_Q_OR:
        assert_false(inside_or);            /* chains are flat */
        assert_true(n->nkids >= 2);
        assert_int_equal(n->mod, TG_QM_NONE);
        assert_int_equal(n->nwords, 0);
        for (size_t i = 0; i < n->nkids; i++)
            check_node(n->kids[i], 1);
        break;
    case TG_Q_DATE:
        assert_false(inside_or);            /* filters stay top-level */
        assert_int_equal(n->nwords, 0);
        assert_int_equal(n->nkids, 0);
        assert_true(n->date_lo[0] || n->date_hi[0]);
        if (n->date_lo[0])
            assert_true(is_date8(n->date_lo));
        if (n->date_hi[0])
            assert_true(is_date8(n->date_hi));
        if (n->date_lo[0] && n->date_hi[0])
            assert_true(strcmp(n->date_lo, n->date_hi) <= 0);
        break;
    default:
        fail_msg("bad node kind %d", (int)n->kind);
    }
}

static void check_tree(const tg_qtree *t)
{
    assert_non_null(t);
    if (t->n)
        assert_non_null(t->nodes);
    for (size_t i = 0; i < t->n; i++)
        check_node(t->nodes[i], 0);
}

/* Parses q (must succeed), checks the tree and returns it; the warning text
 * goes to warn (may be NULL). */
static tg_qtree *parse(const char *q, char *warn, size_t warnlen)
{
    tg_qtree *t = NULL;
    assert_int_equal(tg_query_parse(q, &t, warn, warnlen), TG_OK);
    check_tree(t);
    return t;
}

/* Asserts describe(parse(q)) == want, and whether a warning was given. */
static void expect_q(const char *q, const char *want, int want_warning)
{
    char warn[256];
    memset(warn, 'x', sizeof warn);   /* the parser must clear it */
    tg_qtree *t = parse(q, warn, sizeof warn);
    char *d = tg_qtree_describe(t);
    assert_non_null(d);
    if (strcmp(d, want) != 0)
        fail_msg("query [%s]: got [%s], want [%s]", q, d, want);
    if (want_warning && warn[0] == '\0')
        fail_msg("query [%s]: expected a warning", q);
    if (!want_warning && warn[0] != '\0')
        fail_msg("query [%s]: unexpected warning [%s]", q, warn);
    free(d);
    tg_qtree_free(t);
}

#define EXPECT(q, want) expect_q((q), (want), 0)
#define EXPECT_WARN(q, want) expect_q((q), (want), 1)

/* ---- plain words and phrases ------------------------------------------- */

static void test_plain_words(void **state)
{
    (void)state;
    tg_qtree *t = parse("Iran  Iraq\tSyria", NULL, 0);
    assert_int_equal(t->n, 3);
    const char *want[] = { "iran", "iraq", "syria" };
    const char *raw[] = { "Iran", "Iraq", "Syria" };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(t->nodes[i]->kind, TG_Q_TERM);
        assert_int_equal(t->nodes[i]->mod, TG_QM_NONE);
        assert_int_equal(t->nodes[i]->field, TG_QF_ANY);
        assert_string_equal(t->nodes[i]->words[0], want[i]);
        assert_string_equal(t->nodes[i]->raw[0], raw[i]);
    }
    tg_qtree_free(t);
}

static void test_phrase(void **state)
{
    (void)state;
    tg_qtree *t = parse("\"Camp Liberty\"", NULL, 0);
    assert_int_equal(t->n, 1);
    const tg_qnode *n = t->nodes[0];
    assert_int_equal(n->kind, TG_Q_PHRASE);
    assert_int_equal(n->nwords, 2);
    assert_string_equal(n->words[0], "camp");
    assert_string_equal(n->words[1], "liberty");
    assert_string_equal(n->raw[0], "Camp");
    assert_string_equal(n->raw[1], "Liberty");
    tg_qtree_free(t);

    EXPECT("\"Camp Liberty\" Iran", "\"camp liberty\" iran");
    /* inside quotes, operators are words */
    EXPECT("\"a OR -b +c\"", "\"a or b c\"");
    /* a quote always opens a phrase, even in the middle of a word */
    EXPECT("x\"y z\"w", "x \"y z\" w");
}

static void test_phrase_of_one_word_is_term(void **state)
{
    (void)state;
    tg_qtree *t = parse("\"Hezbollah\"", NULL, 0);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->nodes[0]->kind, TG_Q_TERM);
    assert_string_equal(t->nodes[0]->words[0], "hezbollah");
    tg_qtree_free(t);
    /* punctuation inside the quotes does not make it a phrase */
    EXPECT("\" , Hezbollah ! \"", "hezbollah");
    /* and a phrase of nothing disappears */
    EXPECT("\"\" \" ... \" iran", "iran");
}

/* ---- + and - ----------------------------------------------------------- */

static void test_required_and_excluded(void **state)
{
    (void)state;
    EXPECT("+iran -iraq", "+iran -iraq");
    EXPECT("+\"Camp Ashraf\" -\"Camp Liberty\"", "+\"camp ashraf\" -\"camp liberty\"");

    tg_qtree *t = parse("+iran -\"camp liberty\"", NULL, 0);
    assert_int_equal(t->nodes[0]->mod, TG_QM_REQUIRE);
    assert_string_equal(t->nodes[0]->raw[0], "iran");
    assert_int_equal(t->nodes[1]->mod, TG_QM_EXCLUDE);
    assert_int_equal(t->nodes[1]->kind, TG_Q_PHRASE);
    tg_qtree_free(t);

    /* a run of signs: the first one states the intent */
    EXPECT("--iran", "-iran");
    EXPECT("+-iran", "+iran");
}

static void test_hyphen_inside_word_is_not_an_operator(void **state)
{
    (void)state;
    tg_qtree *t = parse("Mujahdeen-e-Khalq", NULL, 0);
    assert_int_equal(t->n, 1);
    const tg_qnode *n = t->nodes[0];
    assert_int_equal(n->kind, TG_Q_PHRASE);
    assert_int_equal(n->mod, TG_QM_NONE);
    assert_int_equal(n->nwords, 3);
    assert_string_equal(n->words[0], "mujahdeen");
    assert_string_equal(n->words[1], "e");
    assert_string_equal(n->words[2], "khalq");
    assert_string_equal(n->raw[0], "Mujahdeen");
    assert_string_equal(n->raw[1], "e");
    assert_string_equal(n->raw[2], "Khalq");
    tg_qtree_free(t);

    EXPECT("e-Khalq", "\"e khalq\"");
    EXPECT("-Mujahdeen-e-Khalq", "-\"mujahdeen e khalq\"");
    EXPECT("+Mujahdeen-e-Khalq camp", "+\"mujahdeen e khalq\" camp");
    /* '-' right after a closing quote is not after whitespace */
    EXPECT("\"a b\"-iran", "\"a b\" iran");
    /* a trailing hyphen is punctuation */
    EXPECT("iran- iraq", "iran iraq");
}

/* The words of a compound typed with hyphens are marked glued, so that
 * the plan may also try them joined (co-operation: cooperation); words
 * apart, or a hyphen with a blank beside it, are not. */
static void test_hyphen_compound_glued(void **state)
{
    (void)state;
    tg_qtree *t = parse("Gulf Co-operation Council", NULL, 0);
    assert_int_equal(t->n, 3);
    assert_int_equal(t->nodes[1]->kind, TG_Q_PHRASE);
    assert_non_null(t->nodes[1]->glued);
    assert_int_equal(t->nodes[1]->glued[0], 1);
    assert_int_equal(t->nodes[1]->glued[1], 0);
    tg_qtree_free(t);

    t = parse("\"Mujahdeen-e-Khalq camp\"", NULL, 0);
    assert_int_equal(t->n, 1);
    const tg_qnode *n = t->nodes[0];
    assert_int_equal(n->nwords, 4);
    assert_int_equal(n->glued[0], 1);
    assert_int_equal(n->glued[1], 1);
    assert_int_equal(n->glued[2], 0);
    assert_int_equal(n->glued[3], 0);
    tg_qtree_free(t);

    /* Unicode's hyphen glues too; two hyphens are a dash */
    t = parse("\"co operation\" co\xe2\x80\x90" "operation co--operation", NULL, 0);
    assert_int_equal(t->n, 3);
    assert_int_equal(t->nodes[0]->glued[0], 0);
    assert_int_equal(t->nodes[1]->glued[0], 1);
    assert_int_equal(t->nodes[2]->glued[0], 0);
    tg_qtree_free(t);
}

/* ---- OR ---------------------------------------------------------------- */

static void test_or(void **state)
{
    (void)state;
    tg_qtree *t = parse("kh OR hezbollah", NULL, 0);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->nodes[0]->kind, TG_Q_OR);
    assert_int_equal(t->nodes[0]->nkids, 2);
    assert_string_equal(t->nodes[0]->kids[0]->words[0], "kh");
    assert_string_equal(t->nodes[0]->kids[1]->words[0], "hezbollah");
    tg_qtree_free(t);

    /* a chain is one node, not a nest */
    t = parse("a OR b OR c", NULL, 0);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->nodes[0]->nkids, 3);
    tg_qtree_free(t);

    /* OR takes only the clause on each side */
    EXPECT("x a OR b y", "x OR(a b) y");
    EXPECT("a OR b c OR d", "OR(a b) OR(c d)");
    EXPECT("\"camp liberty\" OR ashraf", "OR(\"camp liberty\" ashraf)");
    /* operands keep their own fields */
    EXPECT("title:a OR author:b", "OR(title:a author:b)");
    /* a required or excluded clause is never an alternative: it holds
     * for every result, and OR joins the clauses around it */
    EXPECT_WARN("+a OR -title:b", "+a -title:b");
    EXPECT_WARN("hezbollah OR -iraq", "hezbollah -iraq");
    EXPECT_WARN("-iraq OR hezbollah", "-iraq hezbollah");
    EXPECT_WARN("a OR -b OR c", "OR(a c) -b");
    EXPECT_WARN("a OR +b OR c", "OR(a c) +b");
    EXPECT_WARN("a OR -b -c OR d", "OR(a d) -b -c");
    EXPECT_WARN("-a OR -b", "-a -b");
    EXPECT("a OR b -c", "OR(a b) -c");
    /* an address or host name typed is searched among addresses */
    EXPECT("jdoe@cs.cmu.edu", "address:\"jdoe cs cmu edu\"");
    EXPECT("see cs.cmu.edu", "see address:\"cs cmu edu\"");
    EXPECT("-tu-muenchen.de", "-address:\"tu muenchen de\"");
    EXPECT("mohamed.s.sadek", "\"mohamed s sadek\"");
    EXPECT("U.S.A. Szechuan", "usa szechuan");
    /* dates are filters and stay out of OR: they remain top-level */
    EXPECT_WARN("2015..2016 OR 2018", "date:20150101..20161231 2018");
    EXPECT_WARN("iran OR date:2016", "iran date:20160101..20161231");
    EXPECT_WARN("a OR b OR 2015.. OR c", "OR(a b) date:20150101.. c");
    /* only upper-case OR standing alone is the operator */
    EXPECT("a or b", "a or b");
    EXPECT("a Or b", "a or b");
    EXPECT("a ORb", "a orb");
    EXPECT("a +OR b", "a +or b");
    /* a clause that vanishes does not break the chain */
    EXPECT_WARN("a OR !!! OR b", "OR(a b)");
}

static void test_or_misplaced(void **state)
{
    (void)state;
    EXPECT_WARN("OR iran", "iran");
    EXPECT_WARN("iran OR", "iran");
    EXPECT_WARN("iran OR OR iraq", "OR(iran iraq)");
    EXPECT_WARN("OR", "");
    EXPECT_WARN("OR OR", "");
    EXPECT_WARN("iran OR -", "iran");

    char warn[128];
    tg_qtree *t = parse("OR iran", warn, sizeof warn);
    assert_non_null(strstr(warn, "OR"));
    tg_qtree_free(t);
}

/* ---- normalisation through the tokenizer -------------------------------- */

static void test_apostrophes(void **state)
{
    (void)state;
    tg_qtree *t = parse("Kata'ib Iraq's", NULL, 0);
    assert_int_equal(t->n, 2);
    assert_int_equal(t->nodes[0]->kind, TG_Q_TERM);
    assert_string_equal(t->nodes[0]->words[0], "kataib");
    assert_string_equal(t->nodes[0]->raw[0], "Kata'ib");
    assert_int_equal(t->nodes[1]->kind, TG_Q_TERM);
    assert_string_equal(t->nodes[1]->words[0], "iraq");
    tg_qtree_free(t);

    EXPECT("\"Kata'ib Hezbollah\"", "\"kataib hezbollah\"");
    EXPECT("+Shi'ite", "+shiite");
}

static void test_accents_and_case(void **state)
{
    (void)state;
    tg_qtree *t = parse("Rūhollāh", NULL, 0);
    assert_int_equal(t->n, 1);
    assert_string_equal(t->nodes[0]->words[0], "ruhollah");
    assert_string_equal(t->nodes[0]->raw[0], "Rūhollāh");
    tg_qtree_free(t);

    EXPECT("RUHOLLAH", "ruhollah");
    EXPECT("\"Rūhollāh Khomeini\"", "\"ruhollah khomeini\"");
    EXPECT("U.S. Iraq", "us iraq");
}

static void test_punctuation_only_words_dropped(void **state)
{
    (void)state;
    EXPECT("iran , ... ! iraq", "iran iraq");
    EXPECT("+!!! -?", "");
    EXPECT("...", "");
}

/* ---- quotes, empty input, operators alone -------------------------------- */

static void test_unbalanced_quotes(void **state)
{
    (void)state;
    EXPECT_WARN("\"camp liberty", "\"camp liberty\"");
    EXPECT_WARN("iran \"camp liberty", "iran \"camp liberty\"");
    EXPECT_WARN("-\"camp", "-camp");
    EXPECT_WARN("\"", "");
    EXPECT_WARN("\"a\" \"b c", "a \"b c\"");
    /* three quotes: one pair and a dangling one */
    EXPECT_WARN("\"a b\" c \"d", "\"a b\" c d");
}

static void test_empty_and_whitespace(void **state)
{
    (void)state;
    char warn[64];
    memset(warn, 'x', sizeof warn);
    tg_qtree *t = parse("", warn, sizeof warn);
    assert_int_equal(t->n, 0);
    assert_string_equal(warn, "");
    char *d = tg_qtree_describe(t);
    assert_string_equal(d, "");
    free(d);
    tg_qtree_free(t);

    t = parse("  \t\n\r ", NULL, 0);
    assert_int_equal(t->n, 0);
    tg_qtree_free(t);

    /* pasted non-breaking and ideographic spaces separate words too */
    EXPECT("iran\xc2\xa0iraq\xe3\x80\x80syria", "iran iraq syria");
}

static void test_only_operators(void **state)
{
    (void)state;
    EXPECT_WARN("+", "");
    EXPECT_WARN("-", "");
    EXPECT_WARN("OR", "");
    EXPECT_WARN("+ - OR", "");
    EXPECT_WARN("++ --", "");
    EXPECT_WARN("iran +", "iran");
    EXPECT_WARN("- iran", "iran");
}

/* ---- fields ------------------------------------------------------------ */

static void test_fields(void **state)
{
    (void)state;
    EXPECT("title:Liberty", "title:liberty");
    EXPECT("author:Smith tag:Iraq source:Reuters", "author:smith tag:iraq source:reuters");
    EXPECT("TITLE:Liberty Author:Smith", "title:liberty author:smith");
    EXPECT("title:\"Camp Liberty\"", "title:\"camp liberty\"");
    EXPECT("+title:\"Camp Liberty\" -tag:Iran", "+title:\"camp liberty\" -tag:iran");
    EXPECT("title:Mujahdeen-e-Khalq", "title:\"mujahdeen e khalq\"");
    EXPECT("title:\"Kata'ib\"", "title:kataib");
    EXPECT_WARN("title:\"camp liberty", "title:\"camp liberty\"");

    tg_qtree *t = parse("-title:\"Camp Liberty\"", NULL, 0);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->nodes[0]->kind, TG_Q_PHRASE);
    assert_int_equal(t->nodes[0]->field, TG_QF_TITLE);
    assert_int_equal(t->nodes[0]->mod, TG_QM_EXCLUDE);
    assert_string_equal(t->nodes[0]->raw[0], "Camp");
    tg_qtree_free(t);

    t = parse("author:Smith tag:x source:y", NULL, 0);
    assert_int_equal(t->nodes[0]->field, TG_QF_AUTHOR);
    assert_int_equal(t->nodes[1]->field, TG_QF_TAG);
    assert_int_equal(t->nodes[2]->field, TG_QF_SOURCE);
    tg_qtree_free(t);
}

static void test_id_field_is_exact(void **state)
{
    (void)state;
    tg_qtree *t = parse("id:AbC-12.x/Y", NULL, 0);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->nodes[0]->kind, TG_Q_TERM);
    assert_int_equal(t->nodes[0]->field, TG_QF_ID);
    assert_string_equal(t->nodes[0]->words[0], "AbC-12.x/Y");
    assert_string_equal(t->nodes[0]->raw[0], "AbC-12.x/Y");
    tg_qtree_free(t);

    EXPECT("ID:Foo", "id:Foo");
    EXPECT("-id:Foo", "-id:Foo");
    /* quoted: the content, trimmed, is the one value */
    EXPECT("id:\" a b \"", "id:a b");
    EXPECT_WARN("id:\"\"", "");
}

static void test_unknown_field(void **state)
{
    (void)state;
    EXPECT("foo:bar", "foo bar");
    EXPECT("Foo:Bar baz", "foo bar baz");
    EXPECT("-foo:bar", "-foo -bar");
    EXPECT("foo:\"bar baz\"", "foo \"bar baz\"");
    EXPECT("foo:Mujahdeen-e-Khalq", "foo \"mujahdeen e khalq\"");
    /* "titles" is not "title" */
    EXPECT("titles:x", "titles x");
}

static void test_empty_field(void **state)
{
    (void)state;
    EXPECT_WARN("title:", "title");
    EXPECT_WARN("title: liberty", "title liberty");
    EXPECT_WARN("date:", "date");
    EXPECT("foo:", "foo");
    /* a field name alone, without colon, is an ordinary word */
    EXPECT("title", "title");
}

/* ---- dates ------------------------------------------------------------- */

static void test_date_ranges(void **state)
{
    (void)state;
    EXPECT("2015..2016", "date:20150101..20161231");
    EXPECT("2015-03..2016-09-30", "date:20150301..20160930");
    EXPECT("2015-3..2016-9", "date:20150301..20160930");
    EXPECT("2015..", "date:20150101..");
    EXPECT("..2016", "date:..20161231");
    EXPECT("..2016-04", "date:..20160430");
    EXPECT("2016-09-13..2016-09-13", "date:20160913..20160913");
    EXPECT("date:2015..2016", "date:20150101..20161231");
    EXPECT("-2015..2016", "-date:20150101..20161231");
    EXPECT("date:\"2016-09\"", "date:20160901..20160930");

    tg_qtree *t = parse("iran 2015..", NULL, 0);
    assert_int_equal(t->n, 2);
    assert_int_equal(t->nodes[1]->kind, TG_Q_DATE);
    assert_string_equal(t->nodes[1]->date_lo, "20150101");
    assert_string_equal(t->nodes[1]->date_hi, "");
    assert_null(t->nodes[1]->words);
    tg_qtree_free(t);

    /* reversed ends are swapped, each re-expanded for its new role */
    EXPECT_WARN("2016..2015", "date:20150101..20161231");
    EXPECT_WARN("2016-09..2016-03", "date:20160301..20160930");
}

static void test_date_single(void **state)
{
    (void)state;
    EXPECT("date:2016", "date:20160101..20161231");
    EXPECT("date:2016-09", "date:20160901..20160930");
    EXPECT("date:2016-09-13", "date:20160913..20160913");
    EXPECT("DATE:2016-09", "date:20160901..20160930");
    EXPECT("+date:2016", "+date:20160101..20161231");
}

static void test_date_month_ends(void **state)
{
    (void)state;
    EXPECT("date:2016-02", "date:20160201..20160229");   /* leap */
    EXPECT("date:2015-02", "date:20150201..20150228");
    EXPECT("date:2000-02", "date:20000201..20000229");   /* /400: leap */
    EXPECT("date:1900-02", "date:19000201..19000228");   /* /100: not */
    EXPECT("date:2016-01", "date:20160101..20160131");
    EXPECT("date:2016-04", "date:20160401..20160430");
    EXPECT("date:2016-06", "date:20160601..20160630");
    EXPECT("date:2016-11", "date:20161101..20161130");
    EXPECT("date:2016-12", "date:20161201..20161231");
    EXPECT("date:2016-02-29", "date:20160229..20160229");
    EXPECT("2015-01..2015-02", "date:20150101..20150228");
}

static void test_invalid_dates(void **state)
{
    (void)state;
    char warn[128];
    tg_qtree *t = parse("date:2016-13", warn, sizeof warn);
    assert_true(warn[0] != '\0');
    for (size_t i = 0; i < t->n; i++)
        assert_int_not_equal(t->nodes[i]->kind, TG_Q_DATE);
    tg_qtree_free(t);

    EXPECT_WARN("date:2016-13", "date \"2016 13\"");
    EXPECT_WARN("date:2015-02-29", "date \"2015 02 29\"");
    EXPECT_WARN("date:2016-04-31", "date \"2016 04 31\"");
    EXPECT_WARN("date:yesterday", "date yesterday");
    EXPECT_WARN("2016-13..2017", "\"2016 13 2017\"");
    EXPECT_WARN("2016-00..2017", "\"2016 00 2017\"");
    EXPECT_WARN("0000..2016", "\"0000 2016\"");
    EXPECT_WARN("16..17", "\"16 17\"");
    EXPECT_WARN("20160..2017", "\"20160 2017\"");
    /* ".." alone holds no term and no date */
    EXPECT("..", "");
}

static void test_bare_numbers_are_words(void **state)
{
    (void)state;
    tg_qtree *t = parse("1991", NULL, 0);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->nodes[0]->kind, TG_Q_TERM);
    assert_string_equal(t->nodes[0]->words[0], "1991");
    tg_qtree_free(t);

    EXPECT("iraq 1991", "iraq 1991");
    /* a lone YYYY-MM is a hyphenated word, not a filter: only date: and
     * ranges make filters */
    EXPECT("2015-03", "\"2015 03\"");
}

/* ---- combinations and describe ----------------------------------------- */

static void test_combination(void **state)
{
    (void)state;
    const char *q = "+\"Camp Liberty\" MEK -Iran 2015..2016";
    EXPECT(q, "+\"camp liberty\" mek -iran date:20150101..20161231");

    tg_qtree *t = parse(q, NULL, 0);
    assert_int_equal(t->n, 4);
    assert_int_equal(t->nodes[0]->kind, TG_Q_PHRASE);
    assert_int_equal(t->nodes[0]->mod, TG_QM_REQUIRE);
    assert_int_equal(t->nodes[1]->kind, TG_Q_TERM);
    assert_int_equal(t->nodes[1]->mod, TG_QM_NONE);
    assert_string_equal(t->nodes[1]->raw[0], "MEK");
    assert_int_equal(t->nodes[2]->mod, TG_QM_EXCLUDE);
    assert_string_equal(t->nodes[2]->raw[0], "Iran");
    assert_int_equal(t->nodes[3]->kind, TG_Q_DATE);
    assert_string_equal(t->nodes[3]->date_lo, "20150101");
    assert_string_equal(t->nodes[3]->date_hi, "20161231");
    tg_qtree_free(t);

    EXPECT("+title:\"Camp Liberty\" KH OR Hezbollah -Iran 2015..2016",
           "+title:\"camp liberty\" OR(kh hezbollah) -iran date:20150101..20161231");
    EXPECT("Mujahdeen-e-Khalq OR MEK author:Smith date:2016-09",
           "OR(\"mujahdeen e khalq\" mek) author:smith date:20160901..20160930");
}

static void test_describe(void **state)
{
    (void)state;
    /* NULL is an empty tree, not an error */
    char *d = tg_qtree_describe(NULL);
    assert_non_null(d);
    assert_string_equal(d, "");
    free(d);

    /* deterministic: the same query twice gives the same bytes */
    tg_qtree *a = parse("+x w OR y \"p q\" -title:z 2015..", NULL, 0);
    tg_qtree *b = parse("+x w OR y \"p q\" -title:z 2015..", NULL, 0);
    char *da = tg_qtree_describe(a), *db = tg_qtree_describe(b);
    assert_string_equal(da, db);
    assert_string_equal(da, "+x OR(w y) \"p q\" -title:z date:20150101..");
    free(da);
    free(db);
    tg_qtree_free(a);
    tg_qtree_free(b);
}

static void test_raw_text_preserved(void **state)
{
    (void)state;
    tg_qtree *t = parse("title:\"Rūhollāh Khomeini\" Kata'ib OR U.S.", NULL, 0);
    assert_int_equal(t->n, 2);
    const tg_qnode *p = t->nodes[0];
    assert_int_equal(p->nwords, 2);
    assert_string_equal(p->words[0], "ruhollah");
    assert_string_equal(p->raw[0], "Rūhollāh");
    assert_string_equal(p->raw[1], "Khomeini");
    const tg_qnode *o = t->nodes[1];
    assert_int_equal(o->kind, TG_Q_OR);
    assert_string_equal(o->kids[0]->raw[0], "Kata'ib");
    /* the raw span is the tokenizer's: it starts at the word's first
     * letter whatever punctuation the tokenizer keeps at its end */
    assert_int_equal(strncmp(o->kids[1]->raw[0], "U.S", 3), 0);
    assert_string_equal(o->kids[1]->words[0], "us");
    tg_qtree_free(t);
}

/* ---- errbuf and arguments ------------------------------------------------ */

static void test_errbuf(void **state)
{
    (void)state;
    /* no errbuf: warnings are dropped, the parse still works */
    tg_qtree *t = NULL;
    assert_int_equal(tg_query_parse("OR a OR", &t, NULL, 0), TG_OK);
    assert_int_equal(t->n, 1);
    tg_qtree_free(t);

    /* several warnings are all reported */
    char warn[256];
    t = parse("OR \"a", warn, sizeof warn);
    assert_non_null(strstr(warn, "OR"));
    assert_non_null(strstr(warn, "quote"));
    tg_qtree_free(t);

    /* a short buffer is truncated and still terminated */
    char small[8];
    memset(small, 'x', sizeof small);
    t = parse("OR a OR OR b 2016..2015 \"c", small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
    tg_qtree_free(t);

    char one[1] = { 'x' };
    t = parse("OR", one, sizeof one);
    assert_int_equal(one[0], '\0');
    tg_qtree_free(t);

    /* truncation never splits a UTF-8 sequence of quoted user text: the
     * warning quotes "ūūūū..." and must stay valid UTF-8 however cut */
    for (size_t len = 1; len < 60; len++) {
        char buf[64];
        t = parse("date:ūūūū-ūū", buf, len);
        size_t n = strlen(buf);
        assert_true(n < len);
        assert_true(tg_utf8_valid(buf, n));
        tg_qtree_free(t);
    }

    /* quoted user text is repaired and stripped of control characters */
    t = parse("date:\xff\x01-13", warn, sizeof warn);
    assert_true(tg_utf8_valid(warn, strlen(warn)));
    assert_null(strchr(warn, '\x01'));
    assert_non_null(strstr(warn, "\xc3\xbf?-13"));   /* 0xFF read as Latin-1 ÿ */
    tg_qtree_free(t);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    assert_int_equal(tg_query_parse("x", NULL, NULL, 0), TG_ERR_ARG);
    tg_qtree *t = (tg_qtree *)&t;   /* must be overwritten */
    assert_int_equal(tg_query_parse(NULL, &t, NULL, 0), TG_ERR_ARG);
    assert_null(t);
    tg_qtree_free(NULL);
}

/* ---- robustness -------------------------------------------------------- */

/* A tiny deterministic generator: the test must fail the same way on
 * every machine, so no rand(). */
static uint32_t rng(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 33);
}

static void test_random_input(void **state)
{
    (void)state;
    /* pieces that hit the parser's decisions far more often than random
     * bytes would: operators, quotes, fields, dates, UTF-8, bad UTF-8 */
    static const char *const pieces[] = {
        " ", " ", "  ", "\t", "\"", "\"", "+", "-", "--", "OR", " OR ", "or",
        ":", "..", ".", "title:", "id:", "date:", "foo:", "TAG:", "2015",
        "2016-02", "2016-13", "-09-30", "1991", "Kata'ib", "Iraq's", "U.S.",
        "Mujahdeen-e-Khalq", "Rūhollāh", "\xc2\xa0", "\xe3\x80\x80", "\xff",
        "\xc3", "\xe2\x80", "a", "Z", "é", "'", ",", "/", "9/11", "(", ")",
    };
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    uint64_t seed = 20160913;
    char q[512];
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = 0;
        if (iter % 4 == 0) {
            /* raw bytes, any value but NUL */
            size_t n = rng(&seed) % 80;
            for (size_t i = 0; i < n; i++)
                q[len++] = (char)(1 + rng(&seed) % 255);
        } else {
            size_t n = rng(&seed) % 16;
            for (size_t i = 0; i < n; i++) {
                const char *p = pieces[rng(&seed) % npieces];
                size_t pl = strlen(p);
                if (len + pl >= sizeof q)
                    break;
                memcpy(q + len, p, pl);
                len += pl;
            }
        }
        q[len] = '\0';

        char warn[64];
        tg_qtree *t = parse(q, warn, sizeof warn);   /* checks the tree */
        assert_true(strlen(warn) < sizeof warn);
        /* warnings quote user text and are printed and put in JSON */
        assert_true(tg_utf8_valid(warn, strlen(warn)));
        for (const char *w = warn; *w; w++)
            assert_true((unsigned char)*w >= 0x20);
        char *d = tg_qtree_describe(t);
        assert_non_null(d);
        free(d);
        tg_qtree_free(t);
    }
}

static void test_long_query(void **state)
{
    (void)state;
    /* no fixed-size arrays inside: a long query is just many clauses */
    size_t n = 5000;
    char *q = malloc(n * 6 + 1);
    assert_non_null(q);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(q + len, "%s", i % 2 ? "ab OR " : "cd OR ");
    q[len] = '\0';
    char warn[64];
    tg_qtree *t = parse(q, warn, sizeof warn);
    assert_int_equal(t->n, 1);                       /* one long chain */
    assert_int_equal(t->nodes[0]->nkids, n);
    assert_true(warn[0] != '\0');                    /* trailing OR */
    tg_qtree_free(t);
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_words),
        cmocka_unit_test(test_phrase),
        cmocka_unit_test(test_phrase_of_one_word_is_term),
        cmocka_unit_test(test_required_and_excluded),
        cmocka_unit_test(test_hyphen_inside_word_is_not_an_operator),
        cmocka_unit_test(test_hyphen_compound_glued),
        cmocka_unit_test(test_or),
        cmocka_unit_test(test_or_misplaced),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_accents_and_case),
        cmocka_unit_test(test_punctuation_only_words_dropped),
        cmocka_unit_test(test_unbalanced_quotes),
        cmocka_unit_test(test_empty_and_whitespace),
        cmocka_unit_test(test_only_operators),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_id_field_is_exact),
        cmocka_unit_test(test_unknown_field),
        cmocka_unit_test(test_empty_field),
        cmocka_unit_test(test_date_ranges),
        cmocka_unit_test(test_date_single),
        cmocka_unit_test(test_date_month_ends),
        cmocka_unit_test(test_invalid_dates),
        cmocka_unit_test(test_bare_numbers_are_words),
        cmocka_unit_test(test_combination),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_raw_text_preserved),
        cmocka_unit_test(test_errbuf),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_long_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
