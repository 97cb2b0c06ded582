/* test_passages.c - tg_split_passages: paragraphs, windows cut at sentence
 * ends, joining of tiny paragraphs, and the invariants the indexer relies
 * on (every token in exactly one passage, in order, with the tokenizer's
 * ordinals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_article.h"
#include "tg_buf.h"
#include "tg_text.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct {
    size_t *start, *end;
    size_t n, cap;
} toks;

static int collect(const tg_token *t, void *ud)
{
    toks *k = ud;
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 64;
        k->start = realloc(k->start, k->cap * sizeof *k->start);
        k->end = realloc(k->end, k->cap * sizeof *k->end);
        assert_non_null(k->start);
        assert_non_null(k->end);
    }
    assert_int_equal(t->index, k->n);
    k->start[k->n] = t->start;
    k->end[k->n] = t->end;
    k->n++;
    return 0;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Checks every promise of the splitter against the tokenizer's own view
 * of body. */
static void check_invariants(const char *body, size_t len, const tg_passage *p, size_t n)
{
    toks k = {0};
    assert_int_equal(tg_tokenize(body, len, collect, &k), TG_OK);
    if (k.n == 0) {
        assert_int_equal(n, 0);
        assert_null(p);
    }
    size_t next_word = 0, prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(p[i].nwords > 0);
        assert_int_equal(p[i].first_word, next_word);
        assert_true(p[i].len > 0);
        assert_true(p[i].start >= prev_end);            /* in order, no overlap */
        assert_true((size_t)p[i].start + p[i].len <= len);
        assert_false(is_ws(body[p[i].start]));          /* trimmed */
        assert_false(is_ws(body[p[i].start + p[i].len - 1]));
        for (size_t w = p[i].first_word; w < p[i].first_word + p[i].nwords; w++) {
            assert_true(k.start[w] >= p[i].start);      /* each word inside */
            assert_true(k.end[w] <= (size_t)p[i].start + p[i].len);
        }
        next_word += p[i].nwords;
        prev_end = (size_t)p[i].start + p[i].len;
    }
    assert_int_equal(next_word, k.n);                   /* every word */
    free(k.start);
    free(k.end);
}

static tg_passage *split(const char *body, const tg_passage_opts *o, size_t *n)
{
    tg_passage *p = NULL;
    size_t len = strlen(body);
    assert_int_equal(tg_split_passages(body, len, o, &p, n), TG_OK);
    check_invariants(body, len, p, *n);
    return p;
}

/* Appends n lower-case words ("w0 w1 ..."), each one token. */
static void words(tg_buf *b, size_t n, const char *prefix)
{
    for (size_t i = 0; i < n; i++)
        tg_buf_printf(b, "%s%s%zu", i ? " " : "", prefix, i);
}

/* Appends sentences of `per` words ("Alpha w1 w2 ... wN."), n words in all. */
static void sentences(tg_buf *b, size_t n, size_t per)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            tg_buf_putc(b, ' ');
        if (i % per == 0)
            tg_buf_printf(b, "Start%zu", i);
        else
            tg_buf_printf(b, "w%zu", i);
        if (i % per == per - 1 || i == n - 1)
            tg_buf_putc(b, '.');
    }
}

static int passage_is(const char *body, const tg_passage *p, const char *want)
{
    return strlen(want) == p->len && memcmp(body + p->start, want, p->len) == 0;
}

/* ---- tests -------------------------------------------------------------- */

static void test_empty_and_blank(void **state)
{
    (void)state;
    tg_passage *p = (tg_passage *)1;
    size_t n = 7;
    assert_int_equal(tg_split_passages("", 0, NULL, &p, &n), TG_OK);
    assert_null(p);
    assert_int_equal(n, 0);
    p = (tg_passage *)1;
    assert_int_equal(tg_split_passages(NULL, 0, NULL, &p, &n), TG_OK);
    assert_null(p);

    static const char blank[] = "\n\n   \n\t\r\n  ";
    p = (tg_passage *)1;
    n = 7;
    assert_int_equal(tg_split_passages(blank, sizeof blank - 1, NULL, &p, &n), TG_OK);
    assert_null(p);
    assert_int_equal(n, 0);

    /* Punctuation only: nothing to find, so nothing to show. */
    p = split("* * *\n\n-- ...", NULL, &n);
    assert_int_equal(n, 0);
    assert_null(p);
}

static void test_single_paragraph_trimmed(void **state)
{
    (void)state;
    static const char body[] = "  \n\n  The Tigris flows through Baghdad.  \n\n \n";
    size_t n;
    tg_passage *p = split(body, NULL, &n);
    assert_int_equal(n, 1);
    assert_true(passage_is(body, &p[0], "The Tigris flows through Baghdad."));
    assert_int_equal(p[0].first_word, 0);
    assert_int_equal(p[0].nwords, 5);
    free(p);
}

static void test_paragraphs_become_passages(void **state)
{
    (void)state;
    tg_buf b = {0};
    words(&b, 30, "a");
    /* A line of spaces and tabs is a blank line too; so is a CRLF one. */
    tg_buf_puts(&b, "\n \t \n");
    words(&b, 40, "b");
    tg_buf_puts(&b, "\r\n\r\n");
    words(&b, 30, "c");
    size_t n;
    tg_passage *p = split(b.data, NULL, &n);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].nwords, 30);
    assert_int_equal(p[1].first_word, 30);
    assert_int_equal(p[1].nwords, 40);
    assert_int_equal(p[2].first_word, 70);
    assert_int_equal(p[2].nwords, 30);
    assert_memory_equal(b.data + p[1].start, "b0 ", 3);
    assert_memory_equal(b.data + p[2].start, "c0 ", 3);
    assert_memory_equal(b.data + p[1].start + p[1].len - 3, "b39", 3);
    free(p);

    /* Single line breaks do not end a paragraph. */
    tg_buf_clear(&b);
    words(&b, 15, "x");
    tg_buf_putc(&b, '\n');
    words(&b, 15, "y");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].nwords, 30);
    assert_int_equal(p[0].len, b.len);
    free(p);
    tg_buf_free(&b);
}

static void test_tiny_paragraphs_join(void **state)
{
    (void)state;
    /* A heading joins the paragraph after it. */
    tg_buf b = {0};
    tg_buf_puts(&b, "The Monarchy\n\n");
    words(&b, 40, "a");
    tg_buf_puts(&b, "\n\n");
    words(&b, 40, "b");
    size_t n;
    tg_passage *p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].start, 0);
    assert_int_equal(p[0].nwords, 42);
    assert_memory_equal(b.data + p[0].start + p[0].len - 3, "a39", 3);
    assert_int_equal(p[1].nwords, 40);
    free(p);

    /* Several tiny ones in a row join until they are big enough. */
    tg_buf_clear(&b);
    for (int i = 0; i < 4; i++) {
        words(&b, 10, "t");
        tg_buf_puts(&b, "\n\n");
    }
    words(&b, 30, "z");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].nwords, 30); /* three tiny ones: 30 >= 25 */
    assert_int_equal(p[1].nwords, 40); /* the fourth joins the last */
    free(p);

    /* A tiny last paragraph joins the one before it. */
    tg_buf_clear(&b);
    words(&b, 40, "a");
    tg_buf_puts(&b, "\n\n");
    words(&b, 40, "b");
    tg_buf_puts(&b, "\n\nThe end.\n");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[1].nwords, 42);
    assert_memory_equal(b.data + p[1].start + p[1].len - 8, "The end.", 8);
    free(p);

    /* All tiny: one passage. */
    p = split("One.\n\nTwo.\n\nThree.", NULL, &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].nwords, 3);
    free(p);

    /* A paragraph without words (a section break) joins too. */
    tg_buf_clear(&b);
    words(&b, 30, "a");
    tg_buf_puts(&b, "\n\n* * *\n\n");
    words(&b, 30, "b");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].nwords, 30);
    assert_memory_equal(b.data + p[1].start, "* * *", 5);
    assert_int_equal(p[1].nwords, 30);
    free(p);

    /* min_words 0 still never makes a passage without words. */
    tg_passage_opts o = { 100, 0 };
    p = split(b.data, &o, &n);
    assert_int_equal(n, 2);
    free(p);
    tg_buf_free(&b);
}

static void test_long_paragraph_cut_at_sentences(void **state)
{
    (void)state;
    /* 1000 words, a sentence every 7 words: windows of about 100 words,
     * each ending at a full stop. */
    tg_buf b = {0};
    sentences(&b, 1000, 7);
    size_t n;
    tg_passage *p = split(b.data, NULL, &n);
    assert_int_equal(n, 10);
    for (size_t i = 0; i < n; i++) {
        assert_true(p[i].nwords >= 67 && p[i].nwords <= 133);
        assert_int_equal(b.data[p[i].start + p[i].len - 1], '.');
        assert_memory_equal(b.data + p[i].start, "Start", 5);
    }
    free(p);

    /* The cut goes to the sentence end nearest the target: sentences of
     * 90, 25 and 85 words make a 200-word paragraph split 90 | 110 (the
     * end at 90 is nearer to 100 than the end at 115). */
    tg_buf_clear(&b);
    size_t lens[] = { 90, 25, 85 };
    size_t w = 0;
    for (size_t s = 0; s < 3; s++)
        for (size_t i = 0; i < lens[s]; i++, w++)
            tg_buf_printf(&b, "%s%s%zu%s", w ? " " : "", i == 0 ? "Begin" : "w", w,
                          i == lens[s] - 1 ? "." : "");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].nwords, 90);
    assert_int_equal(p[1].nwords, 110);
    free(p);

    /* A full stop followed by a small letter is not a sentence end. */
    tg_buf_clear(&b);
    words(&b, 99, "a");
    tg_buf_puts(&b, ". lower ");
    words(&b, 100, "b");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].nwords, 100); /* an even cut, not at ". lower" */
    free(p);
    tg_buf_free(&b);
}

static void test_sentence_end_punctuation(void **state)
{
    (void)state;
    /* Questions, exclamations and closing quotes end sentences too, and the
     * closing quote stays with its sentence. */
    tg_buf b = {0};
    words(&b, 60, "a");
    tg_buf_puts(&b, "?\" ");
    tg_buf_puts(&b, "Then ");
    words(&b, 60, "b");
    tg_buf_puts(&b, "! ");
    tg_buf_puts(&b, "Now ");
    words(&b, 60, "c");
    tg_buf_puts(&b, ".\xE2\x80\x9D ");
    tg_buf_puts(&b, "Finally ");
    words(&b, 59, "d");
    size_t n;
    tg_passage *p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    /* 240 words -> two windows; the cut nearest 120 is after "b59!". */
    assert_int_equal(p[0].nwords, 121);
    assert_memory_equal(b.data + p[0].start + p[0].len - 4, "b59!", 4);
    assert_memory_equal(b.data + p[1].start, "Now ", 4);
    free(p);

    tg_passage_opts o = { 60, 10 };
    p = split(b.data, &o, &n);
    assert_int_equal(n, 4);
    assert_memory_equal(b.data + p[0].start + p[0].len - 5, "a59?\"", 5);
    assert_memory_equal(b.data + p[1].start, "Then ", 5);
    assert_memory_equal(b.data + p[2].start + p[2].len - 7, "c59.\xE2\x80\x9D", 7);
    assert_memory_equal(b.data + p[3].start, "Finally ", 8);
    free(p);
    tg_buf_free(&b);
}

static void test_huge_paragraph_without_sentences(void **state)
{
    (void)state;
    tg_buf b = {0};
    words(&b, 5000, "w");
    size_t n;
    tg_passage *p = split(b.data, NULL, &n);
    assert_int_equal(n, 50);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(p[i].nwords, 100);
    free(p);

    /* Limits of the window rule: up to 1.5 x target stays whole. */
    tg_buf_clear(&b);
    words(&b, 150, "w");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 1);
    free(p);
    tg_buf_clear(&b);
    words(&b, 151, "w");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].nwords, 76);
    assert_int_equal(p[1].nwords, 75);
    free(p);

    /* A small target. */
    tg_passage_opts o = { 10, 3 };
    tg_buf_clear(&b);
    words(&b, 95, "w");
    p = split(b.data, &o, &n);
    assert_int_equal(n, 10);
    for (size_t i = 0; i < n; i++)
        assert_true(p[i].nwords >= 9 && p[i].nwords <= 10);
    free(p);
    tg_buf_free(&b);
}

static void test_windows_after_joining(void **state)
{
    (void)state;
    /* With a high min_words a 70-word paragraph joins the 100-word one
     * after it; the 170 words are then cut in two, and the paragraph break
     * (at 70, near the ideal 85) is where the cut goes. */
    tg_buf b = {0};
    words(&b, 70, "a");
    tg_buf_puts(&b, "\n\n");
    words(&b, 100, "b");
    tg_passage_opts o = { 100, 80 };
    size_t n;
    tg_passage *p = split(b.data, &o, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].nwords, 70);
    assert_memory_equal(b.data + p[0].start + p[0].len - 3, "a69", 3);
    assert_int_equal(p[1].first_word, 70);
    assert_memory_equal(b.data + p[1].start, "b0 ", 3);

    /* A tiny last paragraph makes the one before it long enough to cut:
     * 140 + 20 words, the window boundary lands near the middle. */
    free(p);
    tg_buf_clear(&b);
    words(&b, 140, "a");
    tg_buf_puts(&b, "\n\n");
    words(&b, 20, "z");
    p = split(b.data, NULL, &n);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].nwords, 80);
    assert_int_equal(p[1].nwords, 80);
    assert_memory_equal(b.data + p[1].start + p[1].len - 3, "z19", 3);
    free(p);
    tg_buf_free(&b);
}

static void test_real_prose(void **state)
{
    (void)state;
    /* Punctuation, numbers, apostrophes, hyphens and non-ASCII text, so the
     * splitter is held to the real tokenizer's idea of a word. */
    static const char para[] =
        "In 1958 the monarchy fell. Abd al-Karim Qasim's government, backed by "
        "army officers, took power on July 14; King Faisal II was killed. "
        "Qasim withdrew from the Baghdad Pact (1959) and passed Law 80 in 1961, "
        "taking 99.5% of the Iraq Petroleum Company's concession area. "
        "\xE2\x80\x9CThe revolution belongs to everyone,\xE2\x80\x9D he said. "
        "Did it? Many disagreed! The U.S. and U.K. watched closely; 3/13/91 is "
        "not a date anyone here expected. R\xC5\xABholl\xC4\x81h is spelled "
        "with macrons. Mujahdeen-e-Khalq came much later.";
    tg_buf b = {0};
    for (int i = 0; i < 12; i++) {
        tg_buf_puts(&b, para);
        tg_buf_puts(&b, i % 3 == 2 ? "\n\n" : " ");
    }
    for (unsigned t = 5; t <= 200; t += 15) {
        tg_passage_opts o = { t, t / 4 };
        size_t n;
        tg_passage *p = split(b.data, &o, &n);
        assert_true(n >= 1);
        free(p);
    }
    tg_buf_free(&b);
}

static void test_random_bodies(void **state)
{
    (void)state;
    /* Random mixtures of words, sentence ends, line breaks, blank and
     * white-space lines; the invariants must hold for every one. */
    static const char *const pieces[] = {
        "word ", "Capital ", "end. ", "Ask? ", "x!\n", "\n", "\n\n", " \t\n\n", "  ",
        "(1) ", "-- ", "U.S. ", "2,000 ", "caf\xC3\xA9 ", "\"Quote.\" ", "\r\n",
    };
    unsigned seed = 12345;
    tg_buf b = {0};
    for (int round = 0; round < 300; round++) {
        tg_buf_clear(&b);
        seed = seed * 1103515245u + 12345u;
        size_t npieces = (seed >> 8) % 600;
        for (size_t i = 0; i < npieces; i++) {
            seed = seed * 1103515245u + 12345u;
            tg_buf_puts(&b, pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])]);
        }
        seed = seed * 1103515245u + 12345u;
        tg_passage_opts o = { 1 + (seed >> 16) % 60, (seed >> 8) % 20 };
        size_t n;
        tg_passage *p = split(tg_buf_str(&b), &o, &n);
        free(p);
    }
    tg_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_single_paragraph_trimmed),
        cmocka_unit_test(test_paragraphs_become_passages),
        cmocka_unit_test(test_tiny_paragraphs_join),
        cmocka_unit_test(test_long_paragraph_cut_at_sentences),
        cmocka_unit_test(test_sentence_end_punctuation),
        cmocka_unit_test(test_huge_paragraph_without_sentences),
        cmocka_unit_test(test_windows_after_joining),
        cmocka_unit_test(test_real_prose),
        cmocka_unit_test(test_random_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
