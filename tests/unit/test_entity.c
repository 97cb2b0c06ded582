/* Unit tests: transliteration variants, names and alias definitions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_entity.h"

static void test_keys(void **state)
{
    (void)state;
    char k[TG_TRANSLIT_KEY_MAX];
    assert_int_equal(tg_translit_key("hezbollah", k), 5);
    assert_string_equal(k, "hzblh");
    char k2[TG_TRANSLIT_KEY_MAX];
    tg_translit_key("hizballah", k2);
    assert_string_equal(k, k2);
    tg_translit_key("qaddafi", k);
    tg_translit_key("gadhafi", k2);
    assert_string_equal(k, k2);             /* q/g fold, dh -> d, dd once */
    assert_int_equal(tg_translit_key("1991", k), 0);
    assert_int_equal(tg_translit_key("aeiou", k), 0);
}

static void test_variants_found(void **state)
{
    (void)state;
    static const char *pairs[][2] = {
        { "hezbollah", "hizballah" }, { "hezbollah", "hizbollah" },
        { "mujahadeen", "mujahedin" }, { "mujahadeen", "mujahdeen" },
        { "mujahedin", "mujahideen" }, { "moslem", "muslim" }, { "teheran", "tehran" },
        { "quran", "koran" }, { "muhammad", "mohammed" }, { "muhammad", "mohamed" },
        { "qaddafi", "gaddafi" }, { "qaddafi", "gadhafi" }, { "ayatullah", "ayatollah" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        if (!tg_translit_variant(pairs[i][0], pairs[i][1]))
            fail_msg("%s ~ %s should be variants", pairs[i][0], pairs[i][1]);
        assert_true(tg_translit_variant(pairs[i][1], pairs[i][0]));
    }
}

static void test_variants_refused(void **state)
{
    (void)state;
    static const char *pairs[][2] = {
        { "hamas", "homs" }, { "hamas", "hama" }, { "hamas", "hams" }, { "iran", "oran" },
        { "iraq", "iraqi" }, { "muhammad", "mahmoud" }, { "maliki", "malki" },
        { "baghdad", "bagram" }, { "hezbollah", "hezbollah" }, { "golan", "colon" }, { "golan", "galen" },
        { "golan", "callan" }, { "quran", "curran" }, { "quran", "goran" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (tg_translit_variant(pairs[i][0], pairs[i][1]))
            fail_msg("%s ~ %s must not be variants", pairs[i][0], pairs[i][1]);
    assert_int_equal(tg_translit_distance("hezbollah", "hizballah"), 4);
    assert_int_equal(tg_translit_distance("hamas", "hama"), -1);
}

typedef struct found {
    char names[64][64];
    int sent[64];
    size_t nnames;
    char aliases[16][3][64];
    size_t naliases;
} found;

static int on_name(const tg_name *n, void *ud)
{
    found *f = ud;
    if (f->nnames < 64) {
        snprintf(f->names[f->nnames], 64, "%s", n->key);
        f->sent[f->nnames++] = n->sentence_start;
    }
    return 0;
}

static int on_alias(const char *s, const char *l, tg_alias_kind k, void *ud)
{
    found *f = ud;
    if (f->naliases < 16) {
        snprintf(f->aliases[f->naliases][0], 64, "%c", (char)k);
        snprintf(f->aliases[f->naliases][1], 64, "%s", s);
        snprintf(f->aliases[f->naliases][2], 64, "%s", l);
        f->naliases++;
    }
    return 0;
}

static int has_name(const found *f, const char *key)
{
    for (size_t i = 0; i < f->nnames; i++)
        if (strcmp(f->names[i], key) == 0)
            return 1;
    return 0;
}

static int has_alias(const found *f, char kind, const char *s, const char *l)
{
    for (size_t i = 0; i < f->naliases; i++)
        if (f->aliases[i][0][0] == kind && !strcmp(f->aliases[i][1], s) && !strcmp(f->aliases[i][2], l))
            return 1;
    return 0;
}

static found *scan(const char *text)
{
    found *f = calloc(1, sizeof *f);
    assert_int_equal(tg_scan_entities(text, strlen(text), on_name, on_alias, f), TG_OK);
    return f;
}

static void test_names(void **state)
{
    (void)state;
    found *f = scan("In 2016 the last residents left Camp Liberty for Albania. "
                    "The group, led by Abu Mahdi al-Muhandis, met in Sadr City.\n\n"
                    "Mujahadeen e-Khalq members were flown out.");
    assert_true(has_name(f, "camp liberty"));
    assert_true(has_name(f, "albania"));
    assert_true(has_name(f, "abu mahdi al muhandis"));
    assert_true(has_name(f, "sadr city"));
    assert_true(has_name(f, "mujahadeen e khalq"));
    assert_false(has_name(f, "in"));        /* sentence openers are not names */
    assert_false(has_name(f, "the group"));
    free(f);
    /* A name that wrapped prose splits is one name; a word alone on its
     * line (a wire table's label) starts none. */
    f = scan("In Baghdad the residents of Camp\nLiberty were told to leave.\n"
             "Sales 4.8 mln vs 3.3 mln\n    Year\n    Oper shr 12 cts vs 10 cts\n"
             "    Year\n    Net 55.3 mln vs 40.1 mln\n");
    assert_true(has_name(f, "camp liberty"));
    assert_false(has_name(f, "year oper"));
    assert_false(has_name(f, "year net"));
    free(f);
    f = scan("Shr loss 12 cts vs profit 10 cts\n    1986 Year\n    Net loss 1.2 mln\n");
    assert_false(has_name(f, "year net"));
    free(f);
    /* Wire headlines in capitals give no names. */
    f = scan("IRAN SAYS OIL OUTPUT UP IN MARCH");
    assert_int_equal(f->nnames, 0);
    free(f);
}

static void test_acronyms(void **state)
{
    (void)state;
    found *f = scan("It was a front for Kataib Hezbollah (KH). The Iranian Mujahadeen e-Khalq (MEK) "
                    "left. Asaib Ahl al-Haq (AAH) grew. The Supreme Council for the Islamic "
                    "Revolution in Iraq (SCIRI) returned. Later KH (Kataib Hezbollah) fired. "
                    "Big Words (XYZ) do not spell it.");
    assert_true(has_alias(f, 'a', "kh", "kataib hezbollah"));
    assert_true(has_alias(f, 'a', "mek", "mujahadeen e khalq"));
    assert_true(has_alias(f, 'a', "aah", "asaib ahl al haq"));   /* longest span */
    assert_true(has_alias(f, 'a', "sciri", "supreme council for the islamic revolution in iraq"));
    assert_int_equal(f->naliases, 5);     /* both KH forms; not XYZ */
    free(f);
}

static void test_aka_and_front(void **state)
{
    (void)state;
    found *f = scan("Kataib Hezbollah, also known as the Hezbollah Brigades, is secretive. "
                    "The Mukhtar Army appeared to be a front for Kataib Hezbollah. "
                    "Militias act as a front for Iranian influence. "
                    "The Islamic State, better known as ISIS or ISIL, took Mosul.");
    assert_true(has_alias(f, 'k', "kataib hezbollah", "hezbollah brigades"));
    assert_true(has_alias(f, 'f', "mukhtar army", "kataib hezbollah"));
    assert_true(has_alias(f, 'k', "islamic state", "isis"));
    assert_true(has_alias(f, 'k', "islamic state", "isil"));
    for (size_t i = 0; i < f->naliases; i++)
        assert_string_not_equal(f->aliases[i][2], "iranian");   /* an adjective */
    free(f);
}

/* Name analysis looks its word lists up by halves: a word added out of
 * order would silently stop being found. */
static void test_word_lists_sorted(void **state)
{
    (void)state;
    assert_int_equal(tg_entity_word_lists_sorted(), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_variants_found),
        cmocka_unit_test(test_variants_refused),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_acronyms),
        cmocka_unit_test(test_aka_and_front),
        cmocka_unit_test(test_word_lists_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
