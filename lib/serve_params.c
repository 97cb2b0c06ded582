/*
 * serve_params.c - decodes a request's target strictly (serve_int.h).
 *
 * libmicrohttpd's own decoding forgives malformed escapes and passes
 * invalid UTF-8 through; a public server instead answers 400 naming the
 * parameter, so nothing odd ever reaches the search or the page.
 */
#include "serve_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tg_text.h"


static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int tg_url_decode(const char *s, size_t len, int plus_space, char **out, char *errbuf,
                  size_t errlen)
{
    char *d = malloc(len + 1);
    if (!d) {
        snprintf(errbuf, errlen, "out of memory");
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= len || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
                snprintf(errbuf, errlen, "malformed percent escape at byte %zu", i);
                free(d);
                return -1;
            }
            c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        }
        if (c == '\0') {
            snprintf(errbuf, errlen, "contains a NUL byte");
            free(d);
            return -1;
        }
        d[o++] = c;
    }
    d[o] = '\0';
    size_t bad = tg_utf8_invalid_at(d, o);
    if (bad < o) {
        snprintf(errbuf, errlen, "not valid UTF-8 (byte 0x%02X at offset %zu)",
                 (unsigned char)d[bad], bad);
        free(d);
        return -1;
    }
    *out = d;
    return 0;
}

/* How many bytes of s to quote in a message: at most max, not cutting a
 * character in two (the page must stay valid UTF-8; found by
 * tests/fuzz/fuzz_http.c). */
static int quote_len(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    if (s[n])
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    return (int)n;
}

static int parse_count(const char *name, const char *v, unsigned max, unsigned *out, char *errbuf,
                       size_t errlen)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || end == v || *end || *v == '-' || *v == '+' || n < 1 || n > max) {
        snprintf(errbuf, errlen, "%s must be a number from 1 to %u, not '%.*s'", name, max,
                 quote_len(v, 40), v);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

/* Bounds of a web request (the library bounds the search itself). */
#define MAX_PAGE_SIZE 100
#define MAX_PARAM_BYTES 4096

int tg_params_parse(const char *uri, char **path, tg_params *p, char *errbuf, size_t errlen)
{
    memset(p, 0, sizeof *p);
    *path = NULL;
    const char *qs = strchr(uri, '?');
    size_t plen = qs ? (size_t)(qs - uri) : strlen(uri);
    char err[160];
    if (tg_url_decode(uri, plen, 0, path, err, sizeof err)) {
        snprintf(errbuf, errlen, "path: %s", err);
        return -1;
    }
    const char *at = qs ? qs + 1 : NULL;
    while (at && *at) {
        const char *amp = strchr(at, '&');
        size_t len = amp ? (size_t)(amp - at) : strlen(at);
        const char *eq = memchr(at, '=', len);
        size_t klen = eq ? (size_t)(eq - at) : len;
        const char *v = eq ? eq + 1 : at + len;
        size_t vlen = (size_t)(at + len - v);
        char *key = NULL, *val = NULL;
        if (tg_url_decode(at, klen, 1, &key, err, sizeof err)) {
            snprintf(errbuf, errlen, "a parameter's name: %s", err);
            goto fail;
        }
        if (vlen > MAX_PARAM_BYTES * 3) {   /* each byte at most 3 escaped */
            snprintf(errbuf, errlen, "parameter %.*s is longer than %d bytes",
                     quote_len(key, 40), key, MAX_PARAM_BYTES);
            free(key);
            goto fail;
        }
        if (tg_url_decode(v, vlen, 1, &val, err, sizeof err)) {
            snprintf(errbuf, errlen, "parameter %.*s: %s", quote_len(key, 40), key, err);
            free(key);
            goto fail;
        }
        char **slot = !strcmp(key, "q") ? &p->q : !strcmp(key, "from") ? &p->from
                    : !strcmp(key, "to") ? &p->to : !strcmp(key, "tag") ? &p->tag
                    : !strcmp(key, "sort") ? &p->sort : NULL;
        int bad = 0;
        if (slot) {
            free(*slot);   /* a repeated parameter: the last one counts */
            *slot = val;
            val = NULL;
        } else if (!strcmp(key, "page")) {
            bad = parse_count("page", val, TG_SEARCH_MAX_WINDOW, &p->page, errbuf, errlen);
            p->have_page = 1;
        } else if (!strcmp(key, "size")) {
            bad = parse_count("size", val, MAX_PAGE_SIZE, &p->size, errbuf, errlen);
            p->have_size = 1;
        } else if (!strcmp(key, "fragment")) {
            p->fragment = !strcmp(val, "1");
        } else if (!strcmp(key, "partial")) {
            p->partial = !strcmp(val, "1");
        } else if (!strcmp(key, "literal")) {
            p->literal = !strcmp(val, "1");
        } else if (!strcmp(key, "years") || !strcmp(key, "related")) {
            /* A widget that shows neither spares the server their cost. */
            if (strcmp(val, "0") && strcmp(val, "1")) {
                snprintf(errbuf, errlen, "%s must be 0 or 1", key);
                bad = -1;
            } else if (key[0] == 'y') {
                p->no_years = !strcmp(val, "0");
            } else {
                p->no_related = !strcmp(val, "0");
            }
        }
        /* Other parameters (cache busters, trackers) are ignored. */
        free(key);
        free(val);
        if (bad)
            goto fail;
        at = amp ? amp + 1 : NULL;
    }
    if (p->q && strlen(p->q) > TG_SEARCH_MAX_QUERY_BYTES) {
        snprintf(errbuf, errlen, "the query is %zu bytes long, more than %d", strlen(p->q),
                 TG_SEARCH_MAX_QUERY_BYTES);
        goto fail;
    }
    if (p->sort && *p->sort && strcmp(p->sort, "relevance") && strcmp(p->sort, "date")) {
        snprintf(errbuf, errlen, "sort must be relevance or date, not '%.*s'",
                 quote_len(p->sort, 40), p->sort);
        goto fail;
    }
    if (!p->size)
        p->size = 10;
    if (!p->page)
        p->page = 1;
    if ((unsigned long long)p->page * p->size > TG_SEARCH_MAX_WINDOW) {
        snprintf(errbuf, errlen, "page %u of %u results reaches past result %d, the deepest served",
                 p->page, p->size, TG_SEARCH_MAX_WINDOW);
        goto fail;
    }
    return 0;
fail:
    free(*path);
    *path = NULL;
    tg_params_free(p);
    return -1;
}

void tg_params_free(tg_params *p)
{
    if (!p)
        return;
    free(p->q);
    free(p->from);
    free(p->to);
    free(p->tag);
    free(p->sort);
    memset(p, 0, sizeof *p);
}
