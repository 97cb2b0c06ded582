/* Unit tests: the stored article record and the content hash. */
#define _GNU_SOURCE  /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tg_record.h"
#include "tg_hash.h"
#include "tg_signature.h"

static void make_article(tg_article *a)
{
    tg_article_init(a);
    tg_article_set(&a->id, "art-1", (size_t)-1);
    tg_article_set(&a->url, "https://example.org/1", (size_t)-1);
    tg_article_set(&a->title, "Camp Liberty", (size_t)-1);
    tg_article_set(&a->date, "2016-09-13", (size_t)-1);
    tg_article_set(&a->author, "A. Writer", (size_t)-1);
    tg_article_set(&a->body, "First paragraph here.\n\nSecond one, longer.", (size_t)-1);
    tg_article_set(&a->sources, "1. Reuters, 9/10/16", (size_t)-1);
    tg_article_add_tag(a, "MEK", 3);
    tg_article_add_tag(a, "Albania", 7);
}

static int ref_eq(tg_strref r, const char *s) { return r.n == strlen(s) && memcmp(r.p, s, r.n) == 0; }

static void test_roundtrip(void **state)
{
    (void)state;
    tg_article a;
    make_article(&a);
    tg_passage p[2] = { { 0, 21, 0, 3 }, { 23, 19, 3, 3 } };
    tg_buf b = { 0 };
    assert_int_equal(tg_record_encode(&a, p, 2, &b), TG_OK);
    tg_record r;
    assert_int_equal(tg_record_decode(b.data, b.len, &r), TG_OK);
    assert_true(ref_eq(r.id, "art-1"));
    assert_true(ref_eq(r.url, "https://example.org/1"));
    assert_true(ref_eq(r.title, "Camp Liberty"));
    assert_true(ref_eq(r.date, "2016-09-13"));
    assert_true(ref_eq(r.author, "A. Writer"));
    assert_true(ref_eq(r.origin, ""));
    assert_int_equal(r.ntags, 2);
    assert_true(ref_eq(r.tags[1], "Albania"));
    assert_int_equal(r.npassages, 2);
    assert_int_equal(r.passages[1].start, 23);
    assert_int_equal(r.passages[1].first_word, 3);
    assert_string_equal(tg_record_body(&r), a.body);
    assert_string_equal(tg_record_sources(&r), a.sources);
    tg_record_free(&r);
    tg_buf_free(&b);
    tg_article_clear(&a);
}

/* Gives a a body of 2,000 sentences (about 90 KB), kept in text. */
static void set_long_body(tg_article *a, tg_buf *text)
{
    for (int i = 0; i < 2000; i++)
        tg_buf_printf(text, "Sentence %d of a long article about camp %d.\n", i, i * 7 % 13);
    tg_article_set(&a->body, text->data, text->len);
}

/* A record as the indexer wrote it before TGR2: body and sources each
 * as raw length, zlib length, zlib bytes. */
static void put_v1_blob(tg_buf *b, const char *s)
{
    size_t n = strlen(s);
    uLongf zlen = compressBound(n);
    unsigned char *z = malloc(zlen);
    assert_non_null(z);
    assert_int_equal(compress2(z, &zlen, (const Bytef *)s, n, 6), Z_OK);
    assert_int_equal(tg_buf_put_varint(b, n), TG_OK);
    assert_int_equal(tg_buf_put_bytes(b, z, n ? zlen : 0), TG_OK);
    free(z);
}

static void encode_v1(const tg_article *a, const tg_passage *p, size_t np, tg_buf *b)
{
    tg_buf_append(b, "TGR1", 4);
    const char *strs[] = { a->id, a->url, a->title, a->date, a->author, a->origin };
    for (size_t i = 0; i < 6; i++)
        tg_buf_put_bytes(b, strs[i] ? strs[i] : "", strs[i] ? strlen(strs[i]) : 0);
    tg_buf_put_varint(b, a->ntags);
    for (size_t i = 0; i < a->ntags; i++)
        tg_buf_put_bytes(b, a->tags[i], strlen(a->tags[i]));
    tg_buf_put_varint(b, np);
    for (size_t i = 0; i < np; i++) {
        tg_buf_put_varint(b, p[i].start);
        tg_buf_put_varint(b, p[i].len);
        tg_buf_put_varint(b, p[i].first_word);
        tg_buf_put_varint(b, p[i].nwords);
    }
    put_v1_blob(b, a->body ? a->body : "");
    put_v1_blob(b, a->sources ? a->sources : "");
}

/* The record stores body and sources as they are (Xapian compresses the
 * record whole): no zlib stream inside it, the text readable in place. */
static void test_raw_text(void **state)
{
    (void)state;
    tg_article a;
    make_article(&a);
    tg_buf b = { 0 };
    assert_int_equal(tg_record_encode(&a, NULL, 0, &b), TG_OK);
    assert_memory_equal(b.data, "TGR2", 4);
    assert_non_null(memmem(b.data, b.len, a.body, strlen(a.body)));
    assert_non_null(memmem(b.data, b.len, a.sources, strlen(a.sources)));
    tg_buf_free(&b);
    tg_article_clear(&a);
}

/* A TGR1 record (indexes built before TGR2) still reads: every field, and
 * a snippet near the start inflates only what it needs; asking for more,
 * or for the whole body, gives the same text as inflating it at once. */
static void test_v1_records(void **state)
{
    (void)state;
    tg_article a;
    make_article(&a);
    tg_buf text = { 0 };
    set_long_body(&a, &text);
    tg_passage p[1] = { { 0, 21, 0, 3 } };
    tg_buf b = { 0 };
    encode_v1(&a, p, 1, &b);
    tg_record r;
    assert_int_equal(tg_record_decode(b.data, b.len, &r), TG_OK);
    assert_true(ref_eq(r.title, "Camp Liberty"));
    assert_true(ref_eq(r.tags[1], "Albania"));
    assert_int_equal(r.npassages, 1);
    const char *head = tg_record_body_upto(&r, 100);
    assert_non_null(head);
    assert_memory_equal(head, text.data, 100);
    assert_true(r.body_have >= 100 && r.body_have < r.body_len);
    const char *more = tg_record_body_upto(&r, 50000);
    assert_non_null(more);
    assert_memory_equal(more, text.data, 50000);
    assert_string_equal(tg_record_body(&r), text.data);
    assert_int_equal(r.body_have, text.len);
    assert_string_equal(tg_record_body_upto(&r, text.len + 10), text.data);
    assert_string_equal(tg_record_sources(&r), a.sources);
    tg_record_free(&r);
    /* A damaged zlib stream is a NULL body, not a crash. */
    b.data[b.len - 30] ^= 0x55;
    if (tg_record_decode(b.data, b.len, &r) == TG_OK) {
        tg_record_body(&r);
        tg_record_free(&r);
    }
    tg_buf_free(&b);
    tg_buf_free(&text);
    tg_article_clear(&a);
}

/* TGR2: any prefix of the body, and past the end, is the body. */
static void test_body_upto(void **state)
{
    (void)state;
    tg_article a;
    make_article(&a);
    tg_buf text = { 0 };
    set_long_body(&a, &text);
    tg_passage p[1] = { { 0, 21, 0, 3 } };
    tg_buf b = { 0 };
    assert_int_equal(tg_record_encode(&a, p, 1, &b), TG_OK);
    tg_record r;
    assert_int_equal(tg_record_decode(b.data, b.len, &r), TG_OK);
    const char *head = tg_record_body_upto(&r, 100);
    assert_non_null(head);
    assert_memory_equal(head, text.data, 100);
    assert_true(r.body_have >= 100);
    assert_string_equal(tg_record_body(&r), text.data);
    assert_int_equal(r.body_have, text.len);
    assert_string_equal(tg_record_body_upto(&r, text.len + 10), text.data);
    tg_record_free(&r);
    tg_buf_free(&b);
    tg_buf_free(&text);
    tg_article_clear(&a);
}

static void test_empty_fields(void **state)
{
    (void)state;
    tg_article a;
    tg_article_init(&a);
    tg_article_set(&a.id, "x", 1);
    tg_buf b = { 0 };
    assert_int_equal(tg_record_encode(&a, NULL, 0, &b), TG_OK);
    tg_record r;
    assert_int_equal(tg_record_decode(b.data, b.len, &r), TG_OK);
    assert_int_equal(r.npassages, 0);
    assert_string_equal(tg_record_body(&r), "");
    assert_string_equal(tg_record_sources(&r), "");
    tg_record_free(&r);
    tg_buf_free(&b);
    tg_article_clear(&a);
}

/* Every truncation of a valid record, and flipped bytes, are rejected or
 * decoded safely, never read out of bounds (run under ASan). */
static void test_corrupt(void **state)
{
    (void)state;
    tg_article a;
    make_article(&a);
    tg_passage p[1] = { { 0, 21, 0, 3 } };
    tg_buf b = { 0 };
    assert_int_equal(tg_record_encode(&a, p, 1, &b), TG_OK);
    tg_record r;
    for (size_t n = 0; n < b.len; n++) {
        char *copy = malloc(n ? n : 1);
        memcpy(copy, b.data, n);
        assert_int_equal(tg_record_decode(copy, n, &r), TG_ERR_FORMAT);
        free(copy);
    }
    for (size_t i = 4; i < b.len; i++) {
        char *copy = malloc(b.len);
        memcpy(copy, b.data, b.len);
        copy[i] ^= 0x5a;
        if (tg_record_decode(copy, b.len, &r) == TG_OK) {
            tg_record_body_upto(&r, 10);  /* may be NULL: corrupt blob */
            tg_record_body(&r);
            tg_record_free(&r);
        }
        free(copy);
    }
    assert_int_equal(tg_record_decode("XXXX", 4, &r), TG_ERR_FORMAT);
    tg_buf_free(&b);
    tg_article_clear(&a);
}

static void test_hash(void **state)
{
    (void)state;
    tg_article a;
    make_article(&a);
    char h1[17], h2[17];
    tg_article_hash(&a, h1);
    assert_int_equal(strlen(h1), 16);
    tg_article_hash(&a, h2);
    assert_string_equal(h1, h2);
    tg_article_set(&a.body, "First paragraph here.\n\nSecond one, longer!", (size_t)-1);
    tg_article_hash(&a, h2);
    assert_string_not_equal(h1, h2);
    /* Moving text between fields changes the hash. */
    tg_article b1, b2;
    tg_article_init(&b1);
    tg_article_init(&b2);
    tg_article_set(&b1.title, "ab", 2);
    tg_article_set(&b1.body, "c", 1);
    tg_article_set(&b2.title, "a", 1);
    tg_article_set(&b2.body, "bc", 2);
    tg_article_hash(&b1, h1);
    tg_article_hash(&b2, h2);
    assert_string_not_equal(h1, h2);
    tg_article_clear(&a);
    tg_article_clear(&b1);
    tg_article_clear(&b2);
}

/* The 64-bit map (tg_hash.h): through several growths, keys that share
 * their low bits, overwriting, 0 as absent. */
static void test_u64map(void **state)
{
    (void)state;
    tg_u64map m = {0};
    assert_int_equal(tg_u64map_get(&m, 42), 0);
    for (uint64_t i = 1; i <= 5000; i++)
        assert_int_equal(tg_u64map_set(&m, i << 20, i * 3), TG_OK);
    assert_int_equal(m.n, 5000);
    assert_true(m.cap * 3 >= m.n * 4);
    for (uint64_t i = 1; i <= 5000; i++)
        assert_int_equal(tg_u64map_get(&m, i << 20), i * 3);
    assert_int_equal(tg_u64map_get(&m, (uint64_t)5001 << 20), 0);
    assert_int_equal(tg_u64map_get(&m, 7), 0);
    assert_int_equal(tg_u64map_set(&m, 3u << 20, 11), TG_OK);
    assert_int_equal(tg_u64map_get(&m, 3u << 20), 11);
    assert_int_equal(m.n, 5000);
    assert_int_equal(tg_u64map_set(&m, 0, 1), TG_ERR_ARG);
    assert_int_equal(tg_u64map_get(&m, 0), 0);
    tg_u64map_free(&m);
    assert_int_equal(m.n, 0);
    assert_int_equal(tg_u64map_get(&m, 3u << 20), 0);
    assert_int_not_equal(tg_hash64_key("", 0), 0);
    assert_int_equal(tg_hash64_key("abc", 3), tg_hash64("abc", 3));
}

/* Regression pins. The content hash is stored in every index
 * (TG_SLOT_HASH) and names long urls and origins in terms (XU#, XO#): a
 * change would make every old database re-write every article on its next
 * incremental run. The values were printed by the code before tg_hash.h
 * (the hand-written FNV-1a of lib/record.c); they must never change. */
static void test_hash_pinned(void **state)
{
    (void)state;
    tg_article a;
    tg_article_init(&a);
    tg_article_set(&a.id, "post-42", (size_t)-1);
    tg_article_set(&a.url, "https://example.org/2019/05/post-42.html", (size_t)-1);
    tg_article_set(&a.title, "Caf\xc3\xa9 notes", (size_t)-1);
    tg_article_set(&a.date, "2019-05-17", (size_t)-1);
    tg_article_set(&a.author, "Ann Smith", (size_t)-1);
    tg_article_add_tag(&a, "travel", 6);
    tg_article_add_tag(&a, "food", 4);
    tg_article_set(&a.body, "First paragraph.\n\nSecond paragraph, longer.", (size_t)-1);
    tg_article_set(&a.sources, "Ref 1.", (size_t)-1);
    char h[17];
    tg_article_hash(&a, h);
    assert_string_equal(h, "53343ab6b3401f7f");
    tg_article_clear(&a);

    tg_article_init(&a);
    tg_article_hash(&a, h);
    assert_string_equal(h, "7654274f2e7bf6b0");

    /* A long key as lib/index.c's key_term hashes it: the body alone. */
    char key[301];
    for (int i = 0; i < 300; i++)
        key[i] = "abcdefghij"[i % 10];
    key[300] = '\0';
    a.body = key;       /* borrowed, not freed */
    tg_article_hash(&a, h);
    assert_string_equal(h, "2e4016539555fd44");
}

/* tg_hash64 is FNV-1a 64: the published test vectors. */
static void test_hash64(void **state)
{
    (void)state;
    assert_true(tg_hash64(NULL, 0) == 0xcbf29ce484222325ULL);
    assert_true(tg_hash64("a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(tg_hash64("foobar", 6) == 0x85944171f73967e8ULL);
    assert_true(tg_hash64_more(tg_hash64("foo", 3), "bar", 3) == tg_hash64("foobar", 6));
    assert_true(tg_hash64_mix(0) == 0);
    assert_true(tg_hash64_mix(1) != 1 && tg_hash64_mix(1) != tg_hash64_mix(2));
}

/* ---- article signatures (tg_signature.h) ---- */

typedef struct sig_seen {
    char stems[64][TG_SIGNATURE_MAX_STEM + 1];
    uint32_t wdf[64];
    int n;
} sig_seen;

static int on_seen(const char *stem, size_t len, uint32_t wdf, void *ud)
{
    sig_seen *s = ud;
    assert_int_equal(strlen(stem), len);
    assert_true(s->n < 64);
    strcpy(s->stems[s->n], stem);
    s->wdf[s->n++] = wdf;
    return 0;
}

static int seen_has(const sig_seen *s, const char *stem)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->stems[i], stem) == 0)
            return 1;
    return 0;
}

/* Body stems only, no stopword stems; in byte order with their wdf;
 * stems sharing a beginning survive the prefix coding. */
static void test_signature_roundtrip(void **state)
{
    (void)state;
    tg_signature sig = { 0 };
    const char *terms[] = { "Sliberty", "ZSliberti", "ZAwriter", "Zthe", "Zand", "Zliberti", "Zliber",
                            "Zlibertin", "Zcamp", "Qart-1", "liberty", "Zalbania", "Zinternationalism" };
    uint32_t wdf[] = { 1, 1, 1, 9, 7, 5, 2, 1, 3, 1, 5, 0, 300 };
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++)
        assert_int_equal(tg_signature_add(&sig, terms[i], strlen(terms[i]), wdf[i]), TG_OK);
    tg_buf b = { 0 };
    assert_int_equal(tg_signature_encode(&sig, &b), TG_OK);
    sig_seen seen = { 0 };
    assert_int_equal(tg_signature_decode(b.data, b.len, on_seen, &seen), 0);
    assert_int_equal(seen.n, 6);
    const char *want[] = { "albania", "camp", "internationalism", "liber", "liberti", "libertin" };
    uint32_t want_wdf[] = { 1, 3, 300, 2, 5, 1 };
    for (int i = 0; i < 6; i++) {
        assert_string_equal(seen.stems[i], want[i]);
        assert_int_equal(seen.wdf[i], want_wdf[i]);
    }
    /* format byte, then per stem a byte of shared and new lengths, the
     * new bytes, the wdf: "liberti" after "liber" stores its two new bytes,
     * not seven; a stem of 16 bytes takes the long form (0xff and two
     * varints) and a wdf of 300 two bytes */
    assert_int_equal(b.len, 1 + (1 + 7 + 1) + (1 + 4 + 1) + (3 + 16 + 2) + (1 + 5 + 1) + (1 + 2 + 1) +
                                (1 + 1 + 1));
    tg_buf_free(&b);
    tg_signature_free(&sig);
    tg_signature_free(NULL);
}

/* Of many stems the TG_SIGNATURE_STEMS that weigh most, (1 + ln wdf) *
 * length, ties by byte order; the order offered does not matter. */
static void test_signature_selects(void **state)
{
    (void)state;
    tg_buf out[2] = { { 0 }, { 0 } };
    for (int pass = 0; pass < 2; pass++) {
        tg_signature sig = { 0 };
        for (int k = 0; k < 50; k++) {
            int i = pass ? 49 - k : k;
            char t[32];
            /* i < 10: long stems; 10..19: short stems seen often;
             * 20..49: short stems seen once */
            if (i < 10)
                snprintf(t, sizeof t, "Zlongerstem%c", 'a' + i);
            else if (i < 20)
                snprintf(t, sizeof t, "Zqz%c", 'a' + i - 10);
            else
                snprintf(t, sizeof t, "Zon%c%c", 'a' + (i - 20) / 10, 'a' + (i - 20) % 10);
            assert_int_equal(tg_signature_add(&sig, t, strlen(t), i >= 10 && i < 20 ? 20 : 1), TG_OK);
        }
        assert_int_equal(tg_signature_encode(&sig, &out[pass]), TG_OK);
        tg_signature_free(&sig);
    }
    assert_int_equal(out[0].len, out[1].len);
    assert_memory_equal(out[0].data, out[1].data, out[0].len);
    sig_seen seen = { 0 };
    assert_int_equal(tg_signature_decode(out[0].data, out[0].len, on_seen, &seen), 0);
    assert_int_equal(seen.n, TG_SIGNATURE_STEMS);
    /* the frequent short stems weigh 3 * (1 + ln 20) = 12.0, the long ones
     * 11, those seen once 4: the 20 first, then 4 of the 30 seen once, the
     * first in byte order */
    assert_true(seen_has(&seen, "qza") && seen_has(&seen, "qzj"));
    assert_true(seen_has(&seen, "longerstema") && seen_has(&seen, "longerstemj"));
    assert_true(seen_has(&seen, "onaa") && seen_has(&seen, "onad"));
    assert_false(seen_has(&seen, "onae"));
    assert_false(seen_has(&seen, "onca"));
    for (int i = 1; i < seen.n; i++)
        assert_true(strcmp(seen.stems[i - 1], seen.stems[i]) < 0);
    tg_buf_free(&out[0]);
    tg_buf_free(&out[1]);
}

/* A value that is no signature of this format is refused whole. */
static void test_signature_refuses(void **state)
{
    (void)state;
    sig_seen seen = { 0 };
    assert_int_equal(tg_signature_decode("", 0, on_seen, &seen), -1);
    assert_int_equal(tg_signature_decode("\x02\x03" "abc\x01", 6, on_seen, &seen), -1);
    /* truncated stem; truncated long form */
    assert_int_equal(tg_signature_decode("\x01\x05" "abc", 5, on_seen, &seen), -1);
    assert_int_equal(tg_signature_decode("\x01\xff\x00", 3, on_seen, &seen), -1);
    /* more bytes shared than the previous stem has */
    assert_int_equal(tg_signature_decode("\x01\x02" "ab\x01\x31" "c\x01", 8, on_seen, &seen), -1);
    /* empty stem; a stem past TG_SIGNATURE_MAX_STEM */
    assert_int_equal(tg_signature_decode("\x01\x00\x01", 3, on_seen, &seen), -1);
    assert_int_equal(tg_signature_decode("\x01\xff\x00\x41", 4, on_seen, &seen), -1);
    /* no stems: a valid, empty signature */
    seen.n = 0;
    assert_int_equal(tg_signature_decode("\x01", 1, on_seen, &seen), 0);
    assert_int_equal(seen.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_body_upto),
        cmocka_unit_test(test_raw_text),
        cmocka_unit_test(test_v1_records),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_hash_pinned),
        cmocka_unit_test(test_hash64),
        cmocka_unit_test(test_u64map),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_signature_roundtrip),
        cmocka_unit_test(test_signature_selects),
        cmocka_unit_test(test_signature_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
