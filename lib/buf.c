/* buf.c - growable, NUL-terminated byte buffer and varint cursor. */
#include "tg_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tg_status tg_array_reserve(void *vp, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return TG_OK;
    if (elem == 0 || need > SIZE_MAX / elem)
        return TG_ERR_NOMEM;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c = c > SIZE_MAX / elem / 2 ? need : c * 2;
    /* *vp is a T*, whatever T: copied as bytes, so no T* is ever read or
     * written through a void ** (which C does not allow). */
    void *v;
    memcpy(&v, vp, sizeof v);
    void *p = realloc(v, c * elem);
    if (!p)
        return TG_ERR_NOMEM;
    memcpy(vp, &p, sizeof p);
    *cap = c;
    return TG_OK;
}

tg_status tg_buf_reserve(tg_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return TG_ERR_NOMEM;
    if (!b->cap && b->len + extra + 1 < 64)
        extra = 63 - b->len;   /* a buffer starts at 64 bytes */
    return tg_array_reserve(&b->data, &b->cap, b->len + extra + 1, 1);
}

tg_status tg_buf_append(tg_buf *b, const void *p, size_t n)
{
    if (tg_buf_reserve(b, n))
        return TG_ERR_NOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return TG_OK;
}

tg_status tg_buf_puts(tg_buf *b, const char *s) { return tg_buf_append(b, s, strlen(s)); }
tg_status tg_buf_putc(tg_buf *b, char c) { return tg_buf_append(b, &c, 1); }

tg_status tg_buf_printf(tg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    tg_status st = TG_OK;
    if (n < 0) {
        st = TG_ERR_ARG;
    } else if ((size_t)n < sizeof tmp) {
        st = tg_buf_append(b, tmp, (size_t)n);
    } else if ((st = tg_buf_reserve(b, (size_t)n)) == TG_OK) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
    return st;
}

tg_status tg_buf_put_varint(tg_buf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        tmp[n++] = c | (v ? 0x80 : 0);
    } while (v);
    return tg_buf_append(b, tmp, n);
}

tg_status tg_buf_put_bytes(tg_buf *b, const void *p, size_t n)
{
    tg_status st = tg_buf_put_varint(b, n);
    return st ? st : tg_buf_append(b, p, n);
}

void tg_buf_clear(tg_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void tg_buf_free(tg_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *tg_buf_steal(tg_buf *b)
{
    if (!b->data) {
        if (tg_buf_reserve(b, 0))
            return NULL;
        b->data[0] = '\0';
    }
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *tg_buf_str(const tg_buf *b) { return b->data ? b->data : ""; }

int tg_cursor_varint(tg_cursor *c, uint64_t *v)
{
    uint64_t r = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (c->p >= c->end)
            return -1;
        unsigned char byte = *c->p++;
        r |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return -1;
}

int tg_cursor_bytes(tg_cursor *c, const char **p, size_t *n)
{
    uint64_t len;
    if (tg_cursor_varint(c, &len) || len > (uint64_t)(c->end - c->p))
        return -1;
    *p = (const char *)c->p;
    *n = (size_t)len;
    c->p += len;
    return 0;
}
