/*
 * signature.c - an article's signature (tg_signature.h: which stems, and
 * the stored format).
 */
#include "tg_signature.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tg_query.h"

struct tg_sig_stem {
    size_t off;          /* in sig->stems */
    size_t len;
    uint32_t wdf;
    double score;
};

tg_status tg_signature_add(tg_signature *sig, const char *term, size_t len, uint32_t wdf)
{
    /* "Z" and a lower-case letter or a byte of a UTF-8 letter: a stem of
     * the title or body, not a field's (ZS, ZA, ZXN) */
    if (len < 2 || term[0] != 'Z' || (term[1] >= 'A' && term[1] <= 'Z') ||
        len - 1 > TG_SIGNATURE_MAX_STEM)
        return TG_OK;
    char stem[TG_SIGNATURE_MAX_STEM + 1];
    memcpy(stem, term + 1, len - 1);
    stem[len - 1] = '\0';
    if (tg_is_stopword_stem(stem))
        return TG_OK;
    if (TG_ARRAY_RESERVE(sig->v, sig->cap, sig->n + 1))
        return TG_ERR_NOMEM;
    size_t off = sig->stems.len;
    if (tg_buf_append(&sig->stems, stem, len - 1))
        return TG_ERR_NOMEM;
    if (!wdf)
        wdf = 1;
    sig->v[sig->n++] = (struct tg_sig_stem){ off, len - 1, wdf, (1 + log(wdf)) * (double)(len - 1) };
    return TG_OK;
}

/* qsort has no context argument: the stems' bytes for the comparisons */
static _Thread_local const char *sort_bytes;

static int by_bytes(const struct tg_sig_stem *x, const struct tg_sig_stem *y)
{
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(sort_bytes + x->off, sort_bytes + y->off, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int by_score(const void *a, const void *b)
{
    const struct tg_sig_stem *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return by_bytes(x, y);
}

static int by_stem(const void *a, const void *b)
{
    return by_bytes(a, b);
}

tg_status tg_signature_encode(tg_signature *sig, tg_buf *out)
{
    size_t start = out->len;
    if (tg_buf_putc(out, TG_SIGNATURE_FORMAT))
        return TG_ERR_NOMEM;
    size_t n = sig->n;
    sort_bytes = sig->stems.data;
    if (n > TG_SIGNATURE_STEMS) {
        qsort(sig->v, n, sizeof *sig->v, by_score);
        n = TG_SIGNATURE_STEMS;
    }
    if (n > 1)
        qsort(sig->v, n, sizeof *sig->v, by_stem);
    const char *prev = NULL;
    size_t prevlen = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = sig->stems.data + sig->v[i].off;
        size_t len = sig->v[i].len, shared = 0;
        while (shared < len && shared < prevlen && s[shared] == prev[shared])
            shared++;
        size_t rest = len - shared;
        int err = shared < 15 && rest < 16
                      ? tg_buf_putc(out, (char)(shared << 4 | rest)) != TG_OK
                      : tg_buf_putc(out, (char)0xff) || tg_buf_put_varint(out, shared) ||
                            tg_buf_put_varint(out, rest);
        if (err || tg_buf_append(out, s + shared, rest) || tg_buf_put_varint(out, sig->v[i].wdf)) {
            out->len = start;   /* what it had (tg_buf keeps its NUL only at len) */
            out->data[start] = '\0';
            return TG_ERR_NOMEM;
        }
        prev = s;
        prevlen = len;
    }
    return TG_OK;
}

int tg_signature_walk_term(const char *term, size_t len, uint32_t wdf, void *walk)
{
    tg_signature_walk *w = walk;
    if (tg_signature_add(w->sig, term, len, wdf))
        w->oom = 1;
    return w->oom;
}

void tg_signature_reset(tg_signature *sig)
{
    sig->n = 0;
    tg_buf_clear(&sig->stems);
}

void tg_signature_free(tg_signature *sig)
{
    if (!sig)
        return;
    free(sig->v);
    tg_buf_free(&sig->stems);
    *sig = (tg_signature){ 0 };
}

int tg_signature_decode(const char *val, size_t len, tg_signature_cb cb, void *ud)
{
    if (!val || len < 1 || (unsigned char)val[0] != TG_SIGNATURE_FORMAT)
        return -1;
    tg_cursor c = { (const unsigned char *)val + 1, (const unsigned char *)val + len };
    char stem[TG_SIGNATURE_MAX_STEM + 1];
    size_t have = 0;
    while (c.p < c.end) {
        uint64_t shared, n, wdf;
        unsigned char h = *c.p++;
        if (h != 0xff)
            shared = h >> 4, n = h & 15;
        else if (tg_cursor_varint(&c, &shared) || tg_cursor_varint(&c, &n))
            return -1;
        if (shared > have ||
            n > TG_SIGNATURE_MAX_STEM - shared || n > (size_t)(c.end - c.p))
            return -1;
        memcpy(stem + shared, c.p, n);
        c.p += n;
        have = shared + n;
        stem[have] = '\0';
        if (tg_cursor_varint(&c, &wdf) || wdf > UINT32_MAX || have == 0)
            return -1;
        if (cb(stem, have, (uint32_t)wdf, ud))
            return 1;
    }
    return 0;
}
