/*
 * fuzz_record.c - the stored-record decoder (a record read back from a
 * damaged database must fail cleanly, never read out of bounds). Input
 * whose first byte is 'E' is instead an article to encode (fields split
 * at NUL bytes): the decoded record must give the same fields back.
 */
#include <string.h>

#include "support.h"
#include "tg_buf.h"
#include "tg_record.h"

static void decode(const char *data, size_t size)
{
    tg_record r;
    if (tg_record_decode(data, size, &r))
        return;
    /* No record may claim more text than its bytes can inflate to: a
     * reader would allocate what it claims. */
    TG_FUZZ_CHECK(r.body_len <= size * 1032 + 64 && r.src_len <= size * 1032 + 64);
    const char *b5 = tg_record_body_upto(&r, r.body_len < 5 ? r.body_len : 5);
    (void)b5;
    const char *body = tg_record_body(&r);
    if (body)
        TG_FUZZ_CHECK(strlen(body) <= r.body_len);
    tg_record_sources(&r);
    tg_record_free(&r);
}

static void roundtrip(const char *data, size_t size)
{
    /* id, title, body, sources, tag... separated by NULs */
    const char *f[8] = { 0 };
    size_t nf = 0;
    const char *p = data, *end = data + size;
    while (p < end && nf < 8) {
        f[nf++] = p;
        p += strnlen(p, (size_t)(end - p)) + 1;
    }
    if (nf < 3 || p > end || !*f[0])
        return;
    tg_article a;
    tg_article_init(&a);
    a.id = strdup(f[0]);
    a.title = strdup(f[1]);
    a.body = strdup(f[2]);
    if (nf > 3 && *f[3])
        a.sources = strdup(f[3]);
    for (size_t i = 4; i < nf; i++)
        tg_article_add_tag(&a, f[i], (size_t)-1);
    tg_passage *ps = NULL;
    size_t np = 0;
    tg_passage_opts po = TG_PASSAGE_OPTS_DEFAULT;
    TG_FUZZ_CHECK(!tg_split_passages(a.body, strlen(a.body), &po, &ps, &np));
    tg_buf b = { 0 };
    TG_FUZZ_CHECK(!tg_record_encode(&a, ps, np, &b));
    tg_record r;
    TG_FUZZ_CHECK(!tg_record_decode(b.data, b.len, &r));
    TG_FUZZ_CHECK(r.id.n == strlen(a.id) && !memcmp(r.id.p, a.id, r.id.n));
    TG_FUZZ_CHECK(r.title.n == strlen(a.title) && !memcmp(r.title.p, a.title, r.title.n));
    TG_FUZZ_CHECK(r.ntags == a.ntags && r.npassages == np);
    const char *body = tg_record_body(&r);
    TG_FUZZ_CHECK(body && !strcmp(body, a.body));
    const char *src = tg_record_sources(&r);
    TG_FUZZ_CHECK(!a.sources || (src && !strcmp(src, a.sources)));
    tg_record_free(&r);
    tg_buf_free(&b);
    free(ps);
    tg_article_clear(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size && data[0] == 'E')
        roundtrip((const char *)data + 1, size - 1);
    else
        decode((const char *)data, size);
    return 0;
}
