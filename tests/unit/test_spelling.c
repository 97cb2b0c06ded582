/* Unit tests: sound keys, the spelling distance and its allowance
 * (tg_spelling.h), and the memo of shared contexts against a small
 * archive. The archive-backed look-up is tested in test_search.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_article.h"
#include "tg_index.h"
#include "tg_spelling.h"

#include "scratch.h"

static void expect_same_key(const char *a, const char *b)
{
    char ka[TG_SOUND_KEY_MAX], kb[TG_SOUND_KEY_MAX];
    tg_sound_key(a, ka);
    tg_sound_key(b, kb);
    if (strcmp(ka, kb) != 0)
        fail_msg("%s (%s) and %s (%s) should share a sound key", a, ka, b, kb);
}

static void test_sound_keys(void **state)
{
    (void)state;
    char k[TG_SOUND_KEY_MAX], alt[TG_SOUND_KEY_MAX];
    assert_int_equal(tg_sound_key("chernenko", k), 4);
    assert_string_equal(k, "jrnk");
    expect_same_key("tchernenko", "chernenko");
    expect_same_key("djakarta", "jakarta");
    expect_same_key("sulphur", "sulfur");
    expect_same_key("sceptic", "skeptic");
    expect_same_key("qaddafi", "gadhafi");
    expect_same_key("corea", "korea");
    expect_same_key("erevan", "yerevan");
    expect_same_key("privatization", "privatisation");
    expect_same_key("brezhnyev", "brezhnev");
    /* kh is filed both ways: as k and as h */
    assert_int_equal(tg_sound_keys("khomeini", k, alt), 2);
    char h[TG_SOUND_KEY_MAX], none[TG_SOUND_KEY_MAX];
    assert_int_equal(tg_sound_keys("homeini", h, none), 1);
    assert_string_equal(alt, h);
    assert_string_equal(none, "");
    /* a name of one consonant class has a key too: Hannah, Hanna */
    assert_int_equal(tg_sound_keys("hannah", k, alt), 1);
    assert_string_equal(k, "n");
    expect_same_key("hannah", "hanna");
    /* no key: short, digits, non-ASCII, no consonant */
    assert_int_equal(tg_sound_key("abc", k), 0);
    assert_int_equal(tg_sound_key("g7summit", k), 0);
    assert_int_equal(tg_sound_keys("aeiou", k, alt), 0);
    assert_int_equal(tg_sound_keys("yahya", k, alt), 0);
}

static void test_distance(void **state)
{
    (void)state;
    /* romanisations and British/American spellings are near */
    static const struct { const char *a, *b; int most; } near[] = {
        { "arrafat", "arafat", 1 }, { "suhartoh", "suharto", 1 }, { "khojali", "khojaly", 0 },
        { "taqeshita", "takeshita", 1 }, { "corea", "korea", 1 }, { "teheran", "tehran", 2 },
        { "muscow", "moscow", 2 }, { "istanboul", "istanbul", 2 }, { "litre", "liter", 2 },
        { "neighbour", "neighbor", 2 }, { "sulfur", "sulphur", 2 }, { "mohamad", "muhammad", 3 },
        { "jewellery", "jewelry", 3 }, { "homeini", "khomeini", 1 }, { "abas", "abbas", 1 },
        { "aleksandr", "alexander", 2 },     /* x is k and s */
        { "khalif", "caliph", 2 },           /* c is k, kh k */
        { "hercegovina", "herzegovina", 4 }, /* c and z are ts */
        { "lachin", "lacin", 3 },            /* c is ch without its mark */
        { "chanukah", "hanukkah", 3 },       /* ch read as h */
        { "szechuan", "sichuan", 2 },        /* sz is s */
    };
    for (size_t i = 0; i < sizeof near / sizeof *near; i++) {
        int d = tg_spelling_distance(near[i].a, near[i].b, 0, 20);
        if (d > near[i].most)
            fail_msg("%s ~ %s: distance %d > %d", near[i].a, near[i].b, d, near[i].most);
        assert_int_equal(d, tg_spelling_distance(near[i].b, near[i].a, 0, 20));
    }
    assert_int_equal(tg_spelling_distance("golan", "golan", 0, 0), 0);
    /* those are within an attested word's allowance; a long name's takes
     * a consonant changed (Nebuchadrezzar), a short one's never */
    static const char *within[][2] = {
        { "khalif", "caliph" }, { "hercegovina", "herzegovina" }, { "lachin", "lacin" },
        { "chanukah", "hanukkah" }, { "szechuan", "sichuan" },
        { "nebuchadrezzar", "nebuchadnezzar" },
    };
    for (size_t i = 0; i < sizeof within / sizeof *within; i++) {
        int allow = tg_spelling_allowance(within[i][0], 1);
        int d = tg_spelling_distance(within[i][0], within[i][1], 0, 40);
        if (d > allow)
            fail_msg("%s ~ %s: distance %d beyond allowance %d", within[i][0], within[i][1], d, allow);
    }
    /* a sounded h begins a word (hedith is nearer Hadith than edith), and
     * a th typed is nearer a th than a t (Methras: Mithras before metres) */
    assert_true(tg_spelling_distance("hedith", "hadith", 0, 40) <
                tg_spelling_distance("hedith", "edith", 0, 40));
    assert_true(tg_spelling_distance("methras", "mithras", 0, 40) <
                tg_spelling_distance("methras", "metres", 0, 40));
    /* ... while a final h stays cheap (Basrah, Basra) */
    assert_int_equal(tg_spelling_distance("basrah", "basra", 0, 40), 1);
    /* the cap stops early and says so */
    assert_int_equal(tg_spelling_distance("hamas", "beijing", 0, 5), 6);
}

/* The controls: each pair is farther than the typed word's allowance,
 * attested or not. */
static void test_controls(void **state)
{
    (void)state;
    static const char *far[][2] = {
        { "golan", "colon" }, { "golan", "galen" }, { "hamas", "homs" }, { "hamas", "hama" },
        { "iran", "oran" }, { "peking", "beijing" }, { "muhammad", "mahamid" },
    };
    for (size_t i = 0; i < sizeof far / sizeof *far; i++) {
        int allow = tg_spelling_allowance(far[i][0], 1);
        int d = tg_spelling_distance(far[i][0], far[i][1], 0, 40);
        if (d <= allow)
            fail_msg("%s ~ %s: distance %d within allowance %d", far[i][0], far[i][1], d, allow);
    }
    /* a short word never written gets a vowel's or a doubled letter's
     * leeway, one the archive has a related vowel's (jehad, jihad) but
     * not any vowel's (Iran, Oran) */
    assert_true(tg_spelling_distance("jehad", "jihad", 0, 9) <= tg_spelling_allowance("jehad", 1));
    assert_true(tg_spelling_distance("abas", "abbas", 0, 9) <= tg_spelling_allowance("abas", 0));
    assert_true(tg_spelling_distance("macca", "mecca", 0, 9) <= tg_spelling_allowance("macca", 0));
    assert_true(tg_spelling_distance("iran", "oran", 0, 9) > tg_spelling_allowance("iran", 1));
    assert_int_equal(tg_spelling_allowance("1234", 1), -1);
}

/* Ordinary words keep their vowels but not their English endings. */
static void test_ordinary(void **state)
{
    (void)state;
    static const char *far[][2] = {
        { "bond", "band" }, { "bound", "bond" }, { "bond", "bend" }, { "treasure", "treasury" },
    };
    for (size_t i = 0; i < sizeof far / sizeof *far; i++) {
        int allow = tg_spelling_allowance(far[i][0], 1);
        int d = tg_spelling_distance(far[i][0], far[i][1], TG_SPELL_ORDINARY, 40);
        if (d <= allow)
            fail_msg("%s ~ %s: distance %d within allowance %d", far[i][0], far[i][1], d, allow);
        /* the same pair is near as a name's transliteration */
        assert_true(tg_spelling_distance(far[i][0], far[i][1], 0, 40) <= allow);
    }
    static const char *near[][2] = {
        { "neighbour", "neighbor" }, { "litre", "liter" }, { "catalogue", "catalog" },
        { "sceptic", "skeptic" }, { "privatisation", "privatization" }, { "sulphur", "sulfur" },
        { "colour", "color" }, { "centre", "center" }, { "defence", "defense" },
    };
    for (size_t i = 0; i < sizeof near / sizeof *near; i++) {
        int allow = tg_spelling_allowance(near[i][0], 1);
        int d = tg_spelling_distance(near[i][0], near[i][1], TG_SPELL_ORDINARY, 40);
        if (d > allow)
            fail_msg("%s ~ %s: distance %d beyond allowance %d", near[i][0], near[i][1], d, allow);
    }
}

/* Writes n articles "prefix-i" whose body uses word among two of
 * topic's ten words (each word then in few articles: the words of over a
 * tenth of the archive are no context). */
static void add_articles(tg_index *ix, const char *prefix, int n, const char *word,
                         const char *const topic[10])
{
    for (int i = 0; i < n; i++) {
        char id[64], body[512];
        snprintf(id, sizeof id, "%s-%d", prefix, i);
        snprintf(body, sizeof body, "The %s was read aloud. %s %s, and the %s again.", word,
                 topic[i % 10], topic[(i + 3) % 10], word);
        tg_article a;
        tg_article_init(&a);
        tg_article_set(&a.id, id, (size_t)-1);
        tg_article_set(&a.title, word, (size_t)-1);
        tg_article_set(&a.body, body, (size_t)-1);
        tg_add_result res;
        assert_int_equal(tg_index_add(ix, &a, &res), TG_OK);
        tg_article_clear(&a);
    }
}

static const char *const MOSQUE[10] = { "mosque", "prayer", "verses", "imam", "sermon",
                                        "minaret", "pilgrims", "scholars", "chapter", "recital" };
static const char *const MUSIC[10] = { "album", "singer", "concert", "guitar", "stage",
                                       "chorus", "drummer", "ballad", "tour", "studio" };
static const char *const WEATHER[10] = { "rain", "wind", "forecast", "cloud", "storm",
                                         "frost", "drizzle", "thunder", "humidity", "gale" };

/* The memo gives what working the contexts and the spellings out gives,
 * and forgets what it holds when the database has moved on. */
static void test_memo(void **state)
{
    (void)state;
    char root[256], err[256];
    assert_int_equal(scratch_make(root, sizeof root, "tg_spelling_memo"), 0);
    tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
    tg_index *ix = tg_index_open(root, &o, err, sizeof err);
    assert_non_null(ix);
    add_articles(ix, "q", 8, "quran", MOSQUE);
    add_articles(ix, "k", 8, "koran", MOSQUE);
    add_articles(ix, "c", 8, "karen", MUSIC);
    add_articles(ix, "w", 120, "weather", WEATHER);
    assert_int_equal(tg_index_close(ix), TG_OK);

    xc_rdb *db;
    assert_int_equal(xc_rdb_open(root, &db, err, sizeof err), XC_OK);
    tg_spell_memo *memo = tg_spell_memo_new();
    assert_non_null(memo);
    const char *others[] = { "koran", "karen" };
    double fresh[2], first[2], again[2];
    assert_int_equal(tg_spelling_contexts(db, "quran", others, 2, fresh, NULL), TG_OK);
    assert_int_equal(tg_spelling_contexts(db, "quran", others, 2, first, memo), TG_OK);
    assert_int_equal(tg_spelling_contexts(db, "quran", others, 2, again, memo), TG_OK);
    for (int i = 0; i < 2; i++) {
        assert_true(fabs(first[i] - fresh[i]) < 1e-6);
        assert_true(fabs(again[i] - fresh[i]) < 1e-6);
    }
    if (!(fresh[0] > fresh[1] + 0.05))   /* Koran shares Quran's contexts, Karen not */
        fail_msg("shared contexts koran %.3f, karen %.3f", fresh[0], fresh[1]);

    /* Karen's articles turn to the mosque: a memo of the old revision
     * would keep the old figure. */
    ix = tg_index_open(root, &o, err, sizeof err);
    assert_non_null(ix);
    add_articles(ix, "c2", 20, "karen", MOSQUE);
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_int_equal(xc_rdb_reopen(db), XC_OK);
    double later[2], later_fresh[2];
    assert_int_equal(tg_spelling_contexts(db, "quran", others, 2, later, memo), TG_OK);
    assert_int_equal(tg_spelling_contexts(db, "quran", others, 2, later_fresh, NULL), TG_OK);
    for (int i = 0; i < 2; i++)
        assert_true(fabs(later[i] - later_fresh[i]) < 1e-6);
    if (!(later[1] > fresh[1] + 0.05))
        fail_msg("karen's shared contexts %.3f then %.3f", fresh[1], later[1]);

    /* The spellings found are remembered too (asked twice: the second
     * answer is the memo's), and forgotten when the archive moves on:
     * a new spelling in Quran's contexts must then be found. */
    tg_spelling *sp1 = NULL, *sp2 = NULL, *sp0 = NULL;
    size_t n1 = 0, n2 = 0, n0 = 0;
    assert_int_equal(tg_spellings_find(db, "quran", 0, &sp1, &n1, memo), TG_OK);
    assert_int_equal(tg_spellings_find(db, "quran", 0, &sp2, &n2, memo), TG_OK);
    assert_int_equal(tg_spellings_find(db, "quran", 0, &sp0, &n0, NULL), TG_OK);
    assert_int_equal(n1, n0);
    assert_int_equal(n2, n0);
    int had_qoran = 0;
    for (size_t i = 0; i < n0; i++) {
        assert_string_equal(sp1[i].word, sp0[i].word);
        assert_string_equal(sp2[i].word, sp0[i].word);
        assert_int_equal(sp2[i].df, sp0[i].df);
        had_qoran |= strcmp(sp0[i].word, "qoran") == 0;
    }
    assert_false(had_qoran);
    tg_spellings_free(sp1, n1);
    tg_spellings_free(sp2, n2);
    tg_spellings_free(sp0, n0);
    ix = tg_index_open(root, &o, err, sizeof err);
    assert_non_null(ix);
    add_articles(ix, "qo", 8, "qoran", MOSQUE);
    assert_int_equal(tg_index_close(ix), TG_OK);
    assert_int_equal(xc_rdb_reopen(db), XC_OK);
    assert_int_equal(tg_spellings_find(db, "quran", 0, &sp1, &n1, memo), TG_OK);
    assert_int_equal(tg_spellings_find(db, "quran", 0, &sp0, &n0, NULL), TG_OK);
    assert_int_equal(n1, n0);
    int has_qoran = 0;
    for (size_t i = 0; i < n0; i++) {
        assert_string_equal(sp1[i].word, sp0[i].word);
        has_qoran |= strcmp(sp1[i].word, "qoran") == 0;
    }
    assert_true(has_qoran);
    tg_spellings_free(sp1, n1);
    tg_spellings_free(sp0, n0);

    tg_spell_memo_free(memo);
    tg_spell_memo_free(NULL);
    xc_rdb_close(db);
    assert_int_equal(scratch_remove(root), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sound_keys),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_controls),
        cmocka_unit_test(test_ordinary),
        cmocka_unit_test(test_memo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
