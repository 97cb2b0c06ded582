/*
 * test_text.c - tokenizer, normalisation, UTF-8 repair and stemmer
 * (tg_text.h). One test per word rule of the header, plus the decisions
 * lib/text.c documents at its top.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_text.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct rec {
    char term[TG_MAX_TERM + 1];
    size_t len, start, end;
    uint32_t index;
    unsigned cap, caps;
    int addr;
} rec;

typedef struct recs {
    rec t[256];
    size_t n;
    size_t stop_after; /* 0: never stop */
} recs;

static int collect(const tg_token *tok, void *ud)
{
    recs *r = ud;
    /* Invariants every token must satisfy, checked on every call. */
    assert_true(tok->len > 0 && tok->len <= TG_MAX_TERM);
    assert_int_equal(strlen(tok->term), tok->len);
    assert_int_equal(tok->index, r->n);
    assert_true(tok->start < tok->end);
    assert_true(r->n < sizeof r->t / sizeof r->t[0]);
    rec *x = &r->t[r->n++];
    memcpy(x->term, tok->term, tok->len + 1);
    x->len = tok->len;
    x->start = tok->start;
    x->end = tok->end;
    x->index = tok->index;
    x->cap = tok->capitalized;
    x->caps = tok->all_caps;
    x->addr = tok->in_address;
    return r->stop_after && r->n >= r->stop_after;
}

static recs *tok_n(const char *text, size_t len)
{
    recs *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(tg_tokenize(text, len, collect, r), TG_OK);
    for (size_t i = 0; i < r->n; i++)
        assert_true(r->t[i].end <= len);
    return r;
}

static recs *tok(const char *text) { return tok_n(text, strlen(text)); }

/* Asserts text tokenizes to exactly the NULL-terminated list of terms. */
static void check_terms(const char *text, const char *const *want)
{
    recs *r = tok(text);
    size_t n = 0;
    while (want[n])
        n++;
    for (size_t i = 0; i < r->n && i < n; i++)
        if (strcmp(r->t[i].term, want[i]) != 0) {
            print_error("input \"%s\": token %zu\n", text, i);
            assert_string_equal(r->t[i].term, want[i]);
        }
    if (r->n != n) {
        print_error("input \"%s\": got %zu tokens, want %zu\n", text, r->n, n);
        for (size_t i = 0; i < r->n; i++)
            print_error("  [%zu] %s\n", i, r->t[i].term);
        assert_int_equal(r->n, n);
    }
    free(r);
}
#define TERMS(text, ...) check_terms(text, (const char *const[]){__VA_ARGS__, NULL})
#define NO_TERMS(text) check_terms(text, (const char *const[]){NULL})

/* The span of token i, as text. */
static void check_span(const char *text, size_t i, const char *want)
{
    recs *r = tok(text);
    assert_true(i < r->n);
    size_t n = r->t[i].end - r->t[i].start;
    char buf[256];
    assert_true(n < sizeof buf);
    memcpy(buf, text + r->t[i].start, n);
    buf[n] = '\0';
    assert_string_equal(buf, want);
    free(r);
}

static size_t norm(const char *w, char *out)
{
    return tg_normalize_word(w, strlen(w), out, TG_MAX_TERM + 1);
}

/* ---- word: letters, digits, marks ---------------------------------------- */

static void test_plain_words(void **state)
{
    (void)state;
    TERMS("The Tigris flows through Baghdad", "the", "tigris", "flows",
          "through", "baghdad");
    TERMS("  leading and trailing\tspace\n", "leading", "and", "trailing",
          "space");
    /* Underscores, @, # and friends separate. */
    TERMS("foo_bar a@b.com #tag", "foo", "bar", "a", "b", "com", "tag");
    check_span("  Baghdad!", 0, "Baghdad");
}

/* Which tokens of text are in_address: one '1' or '0' per token. */
static void check_addr(const char *text, const char *want)
{
    recs *r = tok(text);
    char got[256];
    size_t i = 0;
    for (; i < r->n && i + 1 < sizeof got; i++)
        got[i] = r->t[i].addr ? '1' : '0';
    got[i] = '\0';
    if (strcmp(got, want) != 0)
        print_error("input \"%s\"\n", text);
    assert_string_equal(got, want);
    free(r);
}

static void test_addresses(void **state)
{
    (void)state;
    /* e-mail addresses and host names: their parts are flagged, the words
     * around them are not (a sentence's dot stays out) */
    check_addr("mail spl@szechuan.ucsd.edu now", "011110");
    check_addr("see cs.cmu.edu. Then", "01110");
    check_addr("at TU-MUENCHEN.DE and tu-muenchen.de", "01110111");
    check_addr("cmu.edu", "11");
    check_addr("a@b.com", "111");
    /* not addresses: initials, abbreviations, numbers, a missing space
     * after a sentence, a newsgroup-like pair, a ticker */
    check_addr("J.R.R.Tolkien U.S.A. U.S.-Japan e.g. 1.2.3", "0000000");
    check_addr("he said.It was", "0000");
    check_addr("alt.atheism <TPN.PA>", "0000");
    check_addr("(mohamed.s.sadek) writes", "0000");
    /* where a run of address characters meets a dot or @ (a run that
     * none joins to a next part is taken for a word at once) */
    check_addr("mail a.@b.com", "0011");
    check_addr("end with host.com", "0011");
    check_addr("see foo..bar.com now", "00110");
    check_addr("write to kh@ now", "0000");
    check_addr("x@y", "11");
    check_addr("a.b", "0");
    check_addr("Kataib-Hezbollah.org said", "1110");
    /* the terms themselves are unchanged */
    TERMS("spl@szechuan.ucsd.edu", "spl", "szechuan", "ucsd", "edu");
}

static void test_empty_and_punctuation_only(void **state)
{
    (void)state;
    recs *r = tok_n("", 0);
    assert_int_equal(r->n, 0);
    free(r);
    r = tok_n(NULL, 0);
    assert_int_equal(r->n, 0);
    free(r);
    NO_TERMS("... --- !!! ?? () [] {} ' ’ ` , / . - \xe2\x80\x94 \xc2\xab\xc2\xbb");
    NO_TERMS(" \t\r\n");
    assert_int_equal(tg_tokenize(NULL, 3, collect, NULL), TG_ERR_ARG);
    assert_int_equal(tg_tokenize("x", 1, NULL, NULL), TG_ERR_ARG);
}

/* ---- apostrophes --------------------------------------------------------- */

static void test_apostrophe_between_letters_joins(void **state)
{
    (void)state;
    char a[TG_MAX_TERM + 1], b[TG_MAX_TERM + 1];
    TERMS("Kata'ib Hezbollah", "kataib", "hezbollah");
    TERMS("Shi'ite", "shiite");
    /* The query "Kataib" must find the document's "Kata'ib". */
    assert_int_equal(norm("Kata'ib", a), 6);
    assert_int_equal(norm("Kataib", b), 6);
    assert_string_equal(a, b);
    check_span("the Kata'ib militia", 1, "Kata'ib");
}

static void test_typographic_apostrophes(void **state)
{
    (void)state;
    TERMS("Kata\xe2\x80\x99ib", "kataib");   /* ’ U+2019 */
    TERMS("Kata\xca\xbcib", "kataib");       /* ʼ U+02BC */
    TERMS("Kata`ib", "kataib");
    TERMS("Kata\xe2\x80\x98ib", "kataib");   /* ‘ U+2018 */
    /* Transliterated hamza and ayn (U+02BE, U+02BF), an extension. */
    TERMS("Kata\xca\xbeib Shi\xca\xbfite", "kataib", "shiite");
    check_span("Kata\xe2\x80\x99ib", 0, "Kata\xe2\x80\x99ib");
}

static void test_possessive_dropped(void **state)
{
    (void)state;
    TERMS("Iraq's oil", "iraq", "oil");
    TERMS("Iraq\xe2\x80\x99s oil", "iraq", "oil");
    TERMS("IRAQ'S", "iraq");
    TERMS("Kata'ib's leader", "kataib", "leader");
    /* Decision: after digits too. */
    TERMS("the 1990's", "the", "1990");
    /* Not a possessive when more letters follow. */
    TERMS("Qa'sim", "qasim");
    /* The span covers the dropped "'s": offsets are of the input text. */
    check_span("in Iraq's north", 1, "Iraq's");
    check_span("in Iraq\xe2\x80\x99s north", 1, "Iraq\xe2\x80\x99s");
    recs *r = tok("Iraq\xe2\x80\x99s north");
    assert_int_equal(r->t[0].start, 0);
    assert_int_equal(r->t[0].end, 8);
    assert_int_equal(r->t[1].start, 9);
    free(r);
}

static void test_other_apostrophes_separate(void **state)
{
    (void)state;
    TERMS("Hezbollahs' leaders", "hezbollahs", "leaders");
    check_span("Hezbollahs' leaders", 0, "Hezbollahs");
    TERMS("'Iraq'", "iraq");
    check_span("'Iraq'", 0, "Iraq");
    TERMS("\xe2\x80\x98quoted\xe2\x80\x99 word", "quoted", "word");
    TERMS("rock 'n' roll", "rock", "n", "roll");
    /* Digit then letter: not "between two letters". */
    TERMS("80'ies", "80", "ies");
}

/* ---- hyphens ------------------------------------------------------------- */

static void test_hyphen_separates_consecutive(void **state)
{
    (void)state;
    recs *r = tok("the Mujahdeen-e-Khalq (MEK)");
    assert_int_equal(r->n, 5);
    assert_string_equal(r->t[1].term, "mujahdeen");
    assert_string_equal(r->t[2].term, "e");
    assert_string_equal(r->t[3].term, "khalq");
    assert_string_equal(r->t[4].term, "mek");
    /* Consecutive positions, so the phrase "mujahdeen e khalq" matches. */
    assert_int_equal(r->t[2].index, r->t[1].index + 1);
    assert_int_equal(r->t[3].index, r->t[2].index + 1);
    assert_int_equal(r->t[1].start, 4);
    assert_int_equal(r->t[1].end, 13);
    assert_int_equal(r->t[2].start, 14);
    assert_int_equal(r->t[3].start, 16);
    assert_int_equal(r->t[3].end, 21);
    free(r);
    /* Unicode dashes separate as well. */
    TERMS("Iran\xe2\x80\x93Iraq war", "iran", "iraq", "war");
}

/* ---- abbreviations ------------------------------------------------------- */

static void test_abbreviations(void **state)
{
    (void)state;
    char a[TG_MAX_TERM + 1], b[TG_MAX_TERM + 1];
    TERMS("the U.S. and the U.N.", "the", "us", "and", "the", "un");
    TERMS("U.S.A.", "usa");
    TERMS("U.S-led", "us", "led");      /* last dot may be missing */
    TERMS("U.S.-led", "us", "led");
    TERMS("U.S.'s policy", "us", "policy");
    TERMS("U.S.Army", "us", "army");
    /* Decision: "e.g." is the same kind of abbreviation. */
    TERMS("e.g. this, i.e. that", "eg", "this", "ie", "that");
    /* A user's "US" finds "U.S.". */
    assert_int_equal(norm("U.S.", a), 2);
    assert_int_equal(norm("US", b), 2);
    assert_string_equal(a, b);
    /* The span includes the abbreviation's final dot. */
    check_span("in the U.S. today", 2, "U.S.");
    check_span("U.S.A", 0, "U.S.A");
}

static void test_sentence_end_dot(void **state)
{
    (void)state;
    TERMS("He went to Iraq. Then home.", "he", "went", "to", "iraq", "then",
          "home");
    check_span("to Iraq.", 1, "Iraq");
    /* One single letter is an initial, not an abbreviation. */
    TERMS("John F. Kennedy", "john", "f", "kennedy");
    check_span("John F. Kennedy", 1, "F");
    TERMS("Plan B.Then", "plan", "b", "then");
    TERMS("in Iraq.Then", "in", "iraq", "then");
    TERMS("it rose 5.93.", "it", "rose", "5.93");
    TERMS("www.example.com", "www", "example", "com");
}

/* ---- numbers ------------------------------------------------------------- */

static void test_numbers(void **state)
{
    (void)state;
    TERMS("9/11", "9/11");
    TERMS("on 3/13/91 at", "on", "3/13/91", "at");
    TERMS("2,000 men", "2000", "men");
    TERMS("1,000,000.50", "1000000.50");
    TERMS("155,221 bags", "155221", "bags");
    TERMS("5.93 mln", "5.93", "mln");
    TERMS("in 1991", "in", "1991");
    check_span("it cost 2,000.", 2, "2,000");
    /* Decision: a comma needs exactly three digits after it. */
    TERMS("1,2", "1", "2");
    TERMS("2,00", "2", "00");
    TERMS("1,2345", "1", "2345");
    /* '/' and '.' join digits only. */
    TERMS("and/or", "and", "or");
    TERMS("1/a", "1", "a");
    TERMS("$5.93", "5.93");
}

static void test_numbers_with_letters(void **state)
{
    (void)state;
    TERMS("F-16", "f", "16");
    TERMS("1990s", "1990s");
    TERMS("F16 B-52s", "f16", "b", "52s");
}

/* ---- normalisation ------------------------------------------------------- */

static void test_accents_stripped(void **state)
{
    (void)state;
    TERMS("R\xc5\xabholl\xc4\x81h Khomeini", "ruhollah", "khomeini");
    TERMS("RUHOLLAH", "ruhollah");
    TERMS("Caf\xc3\xa9", "cafe");
    TERMS("Cafe\xcc\x81 noir", "cafe", "noir"); /* decomposed e + U+0301 */
    check_span("Caf\xc3\xa9!", 0, "Caf\xc3\xa9");
    check_span("Cafe\xcc\x81!", 0, "Cafe\xcc\x81");
    TERMS("Muj\xc4\x81hid\xc4\xabn-e Khalq", "mujahidin", "e", "khalq");
    /* Arabic: harakat are marks, stripped, so vocalised text matches. */
    TERMS("\xd9\x83\xd9\x8e\xd8\xaa\xd9\x8e\xd8\xa7\xd8\xa6\xd9\x90\xd8\xa8",
          "\xd9\x83\xd8\xaa\xd8\xa7\xd9\x8a\xd8\xa8");
    TERMS("\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa6\xd8\xa8 \xd8\xad\xd8\xb2\xd8\xa8",
          "\xd9\x83\xd8\xaa\xd8\xa7\xd9\x8a\xd8\xa8", "\xd8\xad\xd8\xb2\xd8\xa8");
    /* Compatibility folding: ligature, fullwidth. */
    TERMS("\xef\xac\x81ne \xef\xbc\xb5\xef\xbc\xb3", "fine", "us");
}

static void test_case_folding(void **state)
{
    (void)state;
    /* utf8proc's full case folding: İ -> i + combining dot, dot stripped;
     * ß and ẞ -> ss; dotless ı has no folding and stays. */
    TERMS("\xc4\xb0stanbul", "istanbul");
    TERMS("Stra\xc3\x9f" "e STRASSE \xe1\xba\x9e", "strasse", "strasse", "ss");
    TERMS("\xc4\xb1", "\xc4\xb1");
    /* Greek final sigma folds to sigma, so both spellings meet. */
    char a[TG_MAX_TERM + 1], b[TG_MAX_TERM + 1];
    norm("\xce\xa3\xce\x99\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3", a);
    norm("\xcf\x83\xce\xb9\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x82", b);
    assert_string_equal(a, b);
}

static void test_invalid_utf8_repaired(void **state)
{
    (void)state;
    /* A lone 0xE9 is Latin-1 é: "café", folded to "cafe". */
    TERMS("caf\xe9", "cafe");
    TERMS("\xc9" "cole", "ecole");
    TERMS("caf\xc3", "cafa");           /* truncated sequence: Ã */
    TERMS("\xff", "y");                 /* ÿ */
    TERMS("a\x80" "b", "a", "b");       /* C1 control: a separator */
    TERMS("Iraq\xb4s", "iraq");         /* ´ used as an apostrophe */
    /* Offsets are of the caller's bytes, before and after the repair. */
    recs *r = tok("\xe9t\xe9 Iraq caf\xe9.");
    assert_int_equal(r->n, 3);
    assert_string_equal(r->t[0].term, "ete");
    assert_int_equal(r->t[0].start, 0);
    assert_int_equal(r->t[0].end, 3);
    assert_int_equal(r->t[1].start, 4);
    assert_int_equal(r->t[1].end, 8);
    assert_int_equal(r->t[2].start, 9);
    assert_int_equal(r->t[2].end, 13);
    free(r);
    /* Overlong, surrogate and out-of-range forms are invalid too. */
    TERMS("a\xc0\xaf" "b", "aa", "b");   /* À joins, ¯ separates */
    TERMS("\xed\xa0\x80", "i");          /* í, no-break space, C1 */
    TERMS("\xf4\x90\x80\x80", "o");      /* ô and three C1 controls */
}

static void test_utf8_valid(void **state)
{
    (void)state;
    static const char ok[] = "caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80";
    assert_int_equal(tg_utf8_valid(ok, strlen(ok)), 1);
    assert_int_equal(tg_utf8_valid("", 0), 1);
    assert_int_equal(tg_utf8_valid("a\0b", 3), 1);
    assert_int_equal(tg_utf8_valid("caf\xe9", 4), 0);
    assert_int_equal(tg_utf8_valid("\xc0\xaf", 2), 0);         /* overlong */
    assert_int_equal(tg_utf8_valid("\xe0\x80\xaf", 3), 0);     /* overlong */
    assert_int_equal(tg_utf8_valid("\xed\xa0\x80", 3), 0);     /* surrogate */
    assert_int_equal(tg_utf8_valid("\xf4\x90\x80\x80", 4), 0); /* > 10FFFF */
    assert_int_equal(tg_utf8_valid("\xe2\x80", 2), 0);         /* truncated */
    assert_int_equal(tg_utf8_valid("\x80", 1), 0);
}

static void test_utf8_repair(void **state)
{
    (void)state;
    size_t n = 99;
    char *s = tg_utf8_repair("caf\xe9", 4, &n);
    assert_non_null(s);
    assert_int_equal(n, 5);
    assert_string_equal(s, "caf\xc3\xa9");
    free(s);

    static const char ok[] = "R\xc5\xabholl\xc4\x81h";
    s = tg_utf8_repair(ok, strlen(ok), &n);
    assert_non_null(s);
    assert_true(s != ok);
    assert_int_equal(n, strlen(ok));
    assert_memory_equal(s, ok, n + 1);
    free(s);

    s = tg_utf8_repair("a\0\xff", 3, &n); /* NUL is valid and kept */
    assert_non_null(s);
    assert_int_equal(n, 4);
    assert_memory_equal(s, "a\0\xc3\xbf", 5);
    assert_int_equal(tg_utf8_valid(s, n), 1);
    free(s);

    s = tg_utf8_repair("", 0, &n);
    assert_non_null(s);
    assert_int_equal(n, 0);
    assert_string_equal(s, "");
    free(s);

    /* Every byte of 0x80..0xFF alone, repaired, is valid and round-trips
     * through the tokenizer the same way. */
    char raw[128];
    for (int i = 0; i < 128; i++)
        raw[i] = (char)(0x80 + i);
    s = tg_utf8_repair(raw, sizeof raw, &n);
    assert_non_null(s);
    assert_int_equal(n, 256);
    assert_int_equal(tg_utf8_valid(s, n), 1);
    free(s);
}

/* ---- flags --------------------------------------------------------------- */

static void test_capitalization_flags(void **state)
{
    (void)state;
    recs *r = tok("KH Camp iPhone camp A U.S. e.g. MEK's \xc3\x89" "COLE "
                  "\xc3\x89" "cole 1990s F-16 \xd8\xad\xd8\xb2\xd8\xa8");
    static const struct { const char *term; unsigned cap, caps; } want[] = {
        {"kh", 1, 1}, {"camp", 1, 0}, {"iphone", 0, 0}, {"camp", 0, 0},
        {"a", 1, 0},  /* one letter is not "all caps" */
        {"us", 1, 1}, {"eg", 0, 0}, {"mek", 1, 1}, {"ecole", 1, 1},
        {"ecole", 1, 0}, {"1990s", 0, 0}, {"f", 1, 0}, {"16", 0, 0},
        {"\xd8\xad\xd8\xb2\xd8\xa8", 0, 0}, /* Arabic has no case */
    };
    assert_int_equal(r->n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r->n; i++) {
        assert_string_equal(r->t[i].term, want[i].term);
        if (r->t[i].cap != want[i].cap || r->t[i].caps != want[i].caps)
            print_error("token %s\n", want[i].term);
        assert_int_equal(r->t[i].cap, want[i].cap);
        assert_int_equal(r->t[i].caps, want[i].caps);
    }
    free(r);
}

/* ---- limits -------------------------------------------------------------- */

/* Binary data carried as text (uuencoded, base64) gives no tokens: its
 * junk words would collide with names and acronyms. The text around it
 * keeps its tokens, its ordinals running on; lines that merely look alike
 * (capitals of wire copy, a hex digest) are text. */
static void test_encoded_lines_skipped(void **state)
{
    (void)state;
    const char *text =
        "begin 644 pic.gif\n"
        "M``$\"`P0%!@<(\"0H+#`T.#Q`1$A,4%187&!D:&QP='A\\@(2(C)\"4F)R@I*BLL\n"
        "M9&5F9VAI:FML;6YO<'%R<W1U=G=X>7I[?'U^?X\"!@H.$A8:'B(F*BXR-CH^0\n"
        "`\nend\n"
        "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaHiImKi4yNjo+QkZKTlJWWl5iZmpuc\n"
        "after the data\n";
    check_terms(text, (const char *const[]){ "begin", "644", "pic", "gif", "end", "after", "the",
                                             "data", NULL });
    check_terms("MOSCOW, MARCH 3 - THE SOVIET UNION SAID TODAY IT WOULD CUT OIL\n",
                (const char *const[]){ "moscow", "march", "3", "the", "soviet", "union", "said",
                                       "today", "it", "would", "cut", "oil", NULL });
    check_terms("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n",
                (const char *const[]){ "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                       NULL });
}

static void test_long_tokens_skipped(void **state)
{
    (void)state;
    char text[20000];
    /* 64 bytes is allowed, 65 is not; the skipped token takes no index. */
    memset(text, 0, sizeof text);
    strcpy(text, "before ");
    memset(text + 7, 'x', 64);
    strcat(text, " middle ");
    size_t at = strlen(text);
    memset(text + at, 'y', 65);
    strcat(text, " after");
    recs *r = tok(text);
    assert_int_equal(r->n, 4);
    assert_string_equal(r->t[0].term, "before");
    assert_int_equal(r->t[1].len, 64);
    assert_string_equal(r->t[2].term, "middle");
    assert_string_equal(r->t[3].term, "after");
    assert_int_equal(r->t[3].index, 3);
    assert_int_equal(r->t[3].start, at + 65 + 1);
    free(r);

    /* A run of small letters longer than the tokenizer's scratch (4 x 64
     * bytes) is skipped too, whole: not cut into pieces. */
    memset(text, 0, sizeof text);
    strcpy(text, "before ");
    memset(text + 7, 'z', 300);
    strcat(text, " after");
    r = tok(text);
    assert_int_equal(r->n, 2);
    assert_string_equal(r->t[1].term, "after");
    assert_int_equal(r->t[1].index, 1);
    assert_int_equal(r->t[1].start, 7 + 300 + 1);
    free(r);

    /* A huge base64-like blob is one skipped token, not many. */
    memset(text, 0, sizeof text);
    strcpy(text, "a ");
    for (size_t i = 2; i < sizeof text - 3; i++)
        text[i] = "AbC9xZq7"[i % 8];
    strcpy(text + sizeof text - 3, " b");
    r = tok(text);
    assert_int_equal(r->n, 2);
    assert_string_equal(r->t[1].term, "b");
    assert_int_equal(r->t[1].index, 1);
    free(r);

    /* The limit applies to the folded term: 40 x "é" is 80 input bytes
     * but 40 folded ones; 65 x "é" folds to 65 bytes, too long. */
    char e40[81] = "", e65[131] = "";
    for (int i = 0; i < 40; i++)
        strcat(e40, "\xc3\xa9");
    for (int i = 0; i < 65; i++)
        strcat(e65, "\xc3\xa9");
    r = tok(e40);
    assert_int_equal(r->n, 1);
    assert_int_equal(r->t[0].len, 40);
    free(r);
    NO_TERMS(e65);
}

static void test_callback_stop(void **state)
{
    (void)state;
    recs *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->stop_after = 2;
    assert_int_equal(tg_tokenize("one two three four", 18, collect, r), TG_OK);
    assert_int_equal(r->n, 2);
    assert_string_equal(r->t[1].term, "two");
    free(r);
}

static void test_length_not_nul(void **state)
{
    (void)state;
    /* Only text[0..len) is read: no NUL needed, nothing past len used. */
    recs *r = tok_n("Iraq's army", 4);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->t[0].term, "iraq");
    free(r);
    r = tok_n("U.S.A.", 3);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->t[0].term, "us");
    free(r);
    r = tok_n("2,000", 4);
    assert_int_equal(r->n, 2);
    free(r);
    r = tok_n("caf\xc3\xa9", 4); /* cut inside é: \xc3 read as Ã */
    assert_int_equal(r->n, 1);
    assert_string_equal(r->t[0].term, "cafa");
    free(r);
}

/* ---- other scripts and format characters --------------------------------- */

static void test_cjk(void **state)
{
    (void)state;
    /* Decision: one token per ideograph or kana. */
    TERMS("\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad", "\xe6\x96\x87");
    TERMS("Iraq\xe4\xb8\xad" "x", "iraq", "\xe4\xb8\xad", "x");
    /* A long sentence without spaces is neither lost nor a crash. */
    char text[3 * 200 + 1] = "";
    for (int i = 0; i < 200; i++)
        strcat(text, "\xe8\xaa\x9e");
    recs *r = tok(text);
    assert_int_equal(r->n, 200);
    assert_int_equal(r->t[199].start, 597);
    free(r);
    /* Hangul separates words with spaces: ordinary words. */
    TERMS("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 x", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", "x");
}

static void test_format_characters(void **state)
{
    (void)state;
    /* Soft hyphen and ZWNJ sit inside words and vanish from the term. */
    TERMS("Hez\xc2\xad" "bollah", "hezbollah");
    TERMS("ab\xe2\x80\x8c" "cd", "abcd");
    check_span("Hez\xc2\xad" "bollah", 0, "Hez\xc2\xad" "bollah");
    /* A trailing one does not extend the word. */
    check_span("Iraq\xc2\xad ", 0, "Iraq");
    /* Zero-width space is a word break. */
    TERMS("ab\xe2\x80\x8b" "cd", "ab", "cd");
    /* A stray combining mark alone is no term. */
    NO_TERMS("\xcc\x81");
}

/* ---- tg_normalize_word ----------------------------------------------------- */

static void test_normalize_word(void **state)
{
    (void)state;
    char out[TG_MAX_TERM + 1];
    assert_int_equal(norm("Kata'ib", out), 6);
    assert_string_equal(out, "kataib");
    assert_int_equal(norm("R\xc5\xabholl\xc4\x81h", out), 8);
    assert_string_equal(out, "ruhollah");
    assert_int_equal(norm("Iraq's", out), 4);
    assert_string_equal(out, "iraq");
    assert_int_equal(norm("caf\xe9", out), 4);
    assert_string_equal(out, "cafe");
    assert_int_equal(norm("2,000", out), 4);
    assert_string_equal(out, "2000");
    /* Several words: the first term, as tg_tokenize would give it. */
    assert_int_equal(norm("Mujahdeen-e-Khalq", out), 9);
    assert_string_equal(out, "mujahdeen");
    /* No term. */
    assert_int_equal(norm("", out), 0);
    assert_string_equal(out, "");
    assert_int_equal(norm("--'--", out), 0);
    assert_string_equal(out, "");
    char longw[100];
    memset(longw, 'z', 99);
    longw[99] = '\0';
    assert_int_equal(norm(longw, out), 0);
    /* A buffer too small for the term gets nothing, never half a term. */
    char small[4] = "zzz";
    assert_int_equal(tg_normalize_word("Baghdad", 7, small, sizeof small), 0);
    assert_string_equal(small, "");
    assert_int_equal(tg_normalize_word("Iraq", 4, small, sizeof small), 0);
    char fits[5];
    assert_int_equal(tg_normalize_word("Iraq", 4, fits, sizeof fits), 4);
    assert_string_equal(fits, "iraq");
    assert_int_equal(tg_normalize_word("Iraq", 4, NULL, 0), 0);
}

/* ---- properties over generated text --------------------------------------- */

/* Every token's span, normalised alone, gives back its term; spans are in
 * order and do not overlap; terms are valid UTF-8. Checked on text built
 * from the fragments the rules care about, with a fixed seed so a failure
 * reproduces. */
static void test_span_round_trip(void **state)
{
    (void)state;
    static const char *const frag[] = {
        "Iraq", "U", "e", "s", "S", "9", "000", "'", "\xe2\x80\x99", ".",
        ",", "/", "-", " ", "\xc3\xa9", "\xe9", "\xc3", "\xcc\x81",
        "\xe4\xb8\xad", "\xc2\xad", "\xca\xbe", "\xc3\x9f", "\xc4\xb0",
        "\x80", "\xd9\x83\xd9\x8e", "\xe2\x80\x8c", "\xf0\x9f\x98\x80",
    };
    const size_t nfrag = sizeof frag / sizeof frag[0];
    uint32_t seed = 12345;
    size_t total = 0;
    char text[200];
    for (int round = 0; round < 5000; round++) {
        size_t len = 0;
        for (;;) {
            seed = seed * 1103515245u + 12345u;
            const char *f = frag[(seed >> 16) % nfrag];
            size_t fl = strlen(f);
            if (len + fl >= sizeof text)
                break;
            memcpy(text + len, f, fl);
            len += fl;
        }
        recs *r = tok_n(text, len);
        size_t prev_end = 0;
        for (size_t i = 0; i < r->n; i++) {
            rec *t = &r->t[i];
            char again[TG_MAX_TERM + 1];
            assert_true(t->start >= prev_end);
            prev_end = t->end;
            assert_int_equal(tg_utf8_valid(t->term, t->len), 1);
            size_t n = tg_normalize_word(text + t->start, t->end - t->start,
                                         again, sizeof again);
            if (n != t->len || strcmp(again, t->term) != 0)
                print_error("round %d token %zu: span [%zu,%zu) gives \"%s\","
                            " token is \"%s\"\n",
                            round, i, t->start, t->end, again, t->term);
            assert_int_equal(n, t->len);
            assert_string_equal(again, t->term);
        }
        total += r->n;
        free(r);
    }
    assert_true(total > 20000); /* the text really had words in it */
}

/* ---- stemmer ------------------------------------------------------------- */

static const char *stem(tg_stemmer *s, const char *w)
{
    static char buf[256]; /* test-only convenience */
    size_t n = 0;
    const char *r = tg_stem(s, w, strlen(w), &n);
    assert_non_null(r);
    assert_true(n < sizeof buf);
    memcpy(buf, r, n);
    buf[n] = '\0';
    return buf;
}

static void test_stem_english(void **state)
{
    (void)state;
    tg_stemmer *s = tg_stemmer_new("english");
    assert_non_null(s);
    assert_string_equal(tg_stemmer_lang(s), "english");
    assert_string_equal(stem(s, "departed"), "depart");
    assert_string_equal(stem(s, "militias"), "militia");
    assert_string_equal(stem(s, "militia"), "militia");
    assert_string_equal(stem(s, "years"), "year");
    /* Length comes from *outlen; the term need not be NUL-terminated. */
    size_t n = 0;
    const char *r = tg_stem(s, "departedXXX", 8, &n);
    assert_int_equal(n, 6);
    assert_memory_equal(r, "depart", 6);
    tg_stemmer_free(s);
}

/* The stemmer remembers stems (direct-mapped, overwritten on collision):
 * 30,000 words, many more than its slots, stemmed twice by one stemmer
 * give what a new stemmer gives each of them, also for words that share a
 * slot, long words and words with digits. */
static void test_stem_remembered(void **state)
{
    (void)state;
    static const char *const ends[] = { "", "s", "ing", "ed", "ation", "ness", "ly", "ies", "4" };
    tg_stemmer *kept = tg_stemmer_new("english");
    assert_non_null(kept);
    char word[128], fresh_stem[128];
    unsigned seed = 12345;
    for (int pass = 0; pass < 2; pass++) {
        seed = 12345;
        for (int i = 0; i < 30000; i++) {
            int n = 0, len = 3 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 9;
            if (i % 997 == 0)
                len = 60;   /* longer than a slot */
            for (int k = 0; k < len; k++)
                word[n++] = (char)('a' + ((seed = seed * 1103515245u + 12345u) >> 16) % 26);
            n += snprintf(word + n, sizeof word - (size_t)n, "%s", ends[i % 9]);
            tg_stemmer *fresh = tg_stemmer_new("english");
            size_t flen = 0, klen = 0;
            const char *f = tg_stem(fresh, word, (size_t)n, &flen);
            assert_non_null(f);
            memcpy(fresh_stem, f, flen);
            tg_stemmer_free(fresh);
            const char *k = tg_stem(kept, word, (size_t)n, &klen);
            assert_non_null(k);
            assert_int_equal(klen, flen);
            assert_memory_equal(k, fresh_stem, flen);
            assert_int_equal(strlen(k), klen);   /* NUL-terminated, as libstemmer's */
        }
    }
    tg_stemmer_free(kept);
}

static void test_stem_numbers_unchanged(void **state)
{
    (void)state;
    tg_stemmer *s = tg_stemmer_new("english");
    assert_non_null(s);
    /* The stemmer would cut these ("100years" -> "100year"); digits keep
     * them whole. */
    const char *in = "100years";
    size_t n = 0;
    assert_ptr_equal(tg_stem(s, in, 8, &n), in);
    assert_int_equal(n, 8);
    assert_string_equal(stem(s, "1920ies"), "1920ies");
    assert_string_equal(stem(s, "9/11"), "9/11");
    assert_string_equal(stem(s, "5.93"), "5.93");
    /* Digits of other scripts count: Arabic-Indic ٢٠٠٣. */
    assert_string_equal(stem(s, "\xd9\xa2\xd9\xa0\xd9\xa0\xd9\xa3"),
                        "\xd9\xa2\xd9\xa0\xd9\xa0\xd9\xa3");
    tg_stemmer_free(s);
}

static void test_stem_none_identity(void **state)
{
    (void)state;
    tg_stemmer *s = tg_stemmer_new("none");
    assert_non_null(s);
    assert_string_equal(tg_stemmer_lang(s), "none");
    const char *in = "departed";
    size_t n = 0;
    assert_ptr_equal(tg_stem(s, in, 8, &n), in);
    assert_int_equal(n, 8);
    tg_stemmer_free(s);
}

static void test_stem_unknown_language(void **state)
{
    (void)state;
    assert_null(tg_stemmer_new("klingon"));
    assert_null(tg_stemmer_new(""));
    assert_null(tg_stemmer_new("xx"));
    assert_null(tg_stemmer_new(NULL));
    assert_null(tg_stemmer_new("englishenglishenglishenglishenglish"));
    tg_stemmer_free(NULL); /* allowed, like free() */
}

static void test_stem_aliases(void **state)
{
    (void)state;
    static const struct { const char *in, *lang; } cases[] = {
        {"en", "english"}, {"eng", "english"}, {"EN", "english"},
        {"English", "english"}, {"fr", "french"}, {"de", "german"},
        {"ar", "arabic"}, {"porter", "porter"}, {"NONE", "none"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tg_stemmer *s = tg_stemmer_new(cases[i].in);
        assert_non_null(s);
        assert_string_equal(tg_stemmer_lang(s), cases[i].lang);
        tg_stemmer_free(s);
    }
    tg_stemmer *s = tg_stemmer_new("en");
    assert_string_equal(stem(s, "departed"), "depart");
    tg_stemmer_free(s);
}

static void test_stemmer_languages(void **state)
{
    (void)state;
    const char **l = tg_stemmer_languages();
    assert_non_null(l);
    int english = 0;
    size_t n = 0;
    for (; l[n]; n++) {
        english |= strcmp(l[n], "english") == 0;
        /* Every listed name opens and reports itself. */
        tg_stemmer *s = tg_stemmer_new(l[n]);
        assert_non_null(s);
        assert_string_equal(tg_stemmer_lang(s), l[n]);
        tg_stemmer_free(s);
    }
    assert_true(english);
    assert_true(n > 10);
}

/* The indexer's pipeline end to end: tokens from a sentence, stemmed. */
static int stem_cb(const tg_token *t, void *ud)
{
    void **p = ud;
    tg_stemmer *s = p[0];
    char *out = p[1];
    size_t n;
    const char *r = tg_stem(s, t->term, t->len, &n);
    assert_non_null(r);
    strncat(out, r, n);
    strcat(out, " ");
    return 0;
}

static void test_tokenize_then_stem(void **state)
{
    (void)state;
    char out[256] = "";
    tg_stemmer *s = tg_stemmer_new("en");
    void *p[2] = {s, out};
    const char *text = "Kata'ib Hezbollah's militias departed in 1990s' raids";
    assert_int_equal(tg_tokenize(text, strlen(text), stem_cb, p), TG_OK);
    assert_string_equal(out, "kataib hezbollah militia depart in 1990s raid ");
    tg_stemmer_free(s);
}

/* One definition of a space: ASCII blanks and Unicode Zs/Zl/Zp. */
static void test_utf8_space_len(void **state)
{
    (void)state;
    assert_int_equal(tg_utf8_space_len(" x", 2), 1);
    assert_int_equal(tg_utf8_space_len("\n", 1), 1);
    assert_int_equal(tg_utf8_space_len("x", 1), 0);
    assert_int_equal(tg_utf8_space_len("", 0), 0);
    assert_int_equal(tg_utf8_space_len("\xC2\xA0x", 3), 2);          /* NBSP */
    assert_int_equal(tg_utf8_space_len("\xE2\x80\x83", 3), 3);        /* EM SPACE */
    assert_int_equal(tg_utf8_space_len("\xE2\x80\xA8", 3), 3);        /* LINE SEPARATOR */
    assert_int_equal(tg_utf8_space_len("\xE3\x80\x80", 3), 3);        /* IDEOGRAPHIC SPACE */
    assert_int_equal(tg_utf8_space_len("\xE2\x80\x8B", 3), 0);        /* ZERO WIDTH SPACE: Cf */
    assert_int_equal(tg_utf8_space_len("\xC3\xA9", 2), 0);             /* é */
    assert_int_equal(tg_utf8_space_len("\xE3\x80", 2), 0);             /* cut short */
    assert_int_equal(tg_utf8_space_len_back("ab\xC2\xA0", 4), 2);
    assert_int_equal(tg_utf8_space_len_back("ab ", 3), 1);
    assert_int_equal(tg_utf8_space_len_back("ab\xC3\xA9", 4), 0);
    assert_int_equal(tg_utf8_space_len_back("\xE3\x80\x80", 3), 3);
    assert_int_equal(tg_utf8_space_len_back("", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_space_len),
        cmocka_unit_test(test_plain_words),
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_empty_and_punctuation_only),
        cmocka_unit_test(test_apostrophe_between_letters_joins),
        cmocka_unit_test(test_typographic_apostrophes),
        cmocka_unit_test(test_possessive_dropped),
        cmocka_unit_test(test_other_apostrophes_separate),
        cmocka_unit_test(test_hyphen_separates_consecutive),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_sentence_end_dot),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_numbers_with_letters),
        cmocka_unit_test(test_accents_stripped),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_invalid_utf8_repaired),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_repair),
        cmocka_unit_test(test_capitalization_flags),
        cmocka_unit_test(test_long_tokens_skipped),
        cmocka_unit_test(test_encoded_lines_skipped),
        cmocka_unit_test(test_callback_stop),
        cmocka_unit_test(test_length_not_nul),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_format_characters),
        cmocka_unit_test(test_normalize_word),
        cmocka_unit_test(test_span_round_trip),
        cmocka_unit_test(test_stem_english),
        cmocka_unit_test(test_stem_numbers_unchanged),
        cmocka_unit_test(test_stem_remembered),
        cmocka_unit_test(test_stem_none_identity),
        cmocka_unit_test(test_stem_unknown_language),
        cmocka_unit_test(test_stem_aliases),
        cmocka_unit_test(test_stemmer_languages),
        cmocka_unit_test(test_tokenize_then_stem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
