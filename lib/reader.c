/* reader.c - the format table and the generic half of every reader:
 * opening, sniffing, error reporting. */
#include "tg_reader.h"
#include "tg_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The format table. A new format adds its vtable here (and its enum value
 * in tg_reader.h). Order breaks ties between equally confident sniffers. */
extern const tg_reader_vtable tg_reader_text_vtable;
extern const tg_reader_vtable tg_reader_jsonl_vtable;

static const tg_reader_vtable *const formats[TG_FORMAT_LAST_] = {
    [TG_FORMAT_AUTO] = NULL,
    [TG_FORMAT_TEXT] = &tg_reader_text_vtable,
    [TG_FORMAT_JSONL] = &tg_reader_jsonl_vtable,
};

/* How much of the decoded stream the sniffers get to see. */
#define SNIFF_BYTES 4096

struct tg_reader {
    tg_input *in;
    const tg_reader_vtable *vt;
    void *state;
    char *path;
    tg_format fmt;
    tg_reader_error_cb on_error;
    void *ud;
    tg_buf err;
    tg_status failed;   /* sticky: a fatal error ends the file */
    int done;
    int confidence;     /* of the format chosen: sniff score, 100 if named */
};

int tg_format_from_name(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "auto") == 0)
        return TG_FORMAT_AUTO;
    for (int f = 1; f < TG_FORMAT_LAST_; f++)
        if (formats[f] && strcmp(name, formats[f]->name) == 0)
            return f;
    return -1;
}

const char *tg_format_name(tg_format f)
{
    if (f == TG_FORMAT_AUTO)
        return "auto";
    if ((int)f > 0 && f < TG_FORMAT_LAST_ && formats[f])
        return formats[f]->name;
    return "unknown";
}

void tg_reader_fail(tg_reader *r, const char *fmt, ...)
{
    tg_buf_clear(&r->err);
    tg_buf_printf(&r->err, "%s: ", r->path);
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    tg_buf_puts(&r->err, tmp);
}

void tg_reader_warn(tg_reader *r, uint64_t where, const char *fmt, ...)
{
    char origin[4096];
    if (where)
        snprintf(origin, sizeof origin, "%s:%llu", r->path, (unsigned long long)where);
    else
        snprintf(origin, sizeof origin, "%s", r->path);
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* With no callback the warning must still reach someone: dropping it
     * would make skipped articles vanish without a trace. */
    if (r->on_error)
        r->on_error(origin, msg, r->ud);
    else
        fprintf(stderr, "warning: %s: %s\n", origin, msg);
}

/* Picks the format (sniffing when asked to) and opens its state. Returns 0,
 * or -1 with the reason in r->err. */
static int reader_start(tg_reader *r, tg_format fmt)
{
    if ((int)fmt < 0 || fmt >= TG_FORMAT_LAST_) {
        tg_reader_fail(r, "unknown format number %d", (int)fmt);
        return -1;
    }
    char head[SNIFF_BYTES];
    size_t n = tg_input_peek(r->in, head, sizeof head);
    if (tg_input_failed(r->in)) {
        tg_reader_fail(r, "%s", tg_input_errmsg(r->in));
        return -1;
    }
    r->confidence = 100;
    if (fmt == TG_FORMAT_AUTO) {
        int best = 0;
        for (int f = 1; f < TG_FORMAT_LAST_; f++) {
            if (!formats[f])
                continue;
            int c = formats[f]->sniff(head, n, r->path);
            if (c > best) {
                best = c;
                fmt = (tg_format)f;
            }
        }
        if (best == 0) {
            tg_reader_fail(r, "format not recognised (not plain text or JSON Lines); "
                              "name the format explicitly");
            return -1;
        }
        r->confidence = best;
    }
    r->fmt = fmt;
    r->vt = formats[fmt];
    tg_status st = r->vt->open(r, &r->state);
    if (st) {
        if (r->err.len == 0)
            tg_reader_fail(r, "cannot start the %s reader: %s", r->vt->name,
                           tg_status_to_string(st));
        return -1;
    }
    return 0;
}

static tg_reader *reader_new(const char *path, tg_reader_error_cb on_error, void *ud)
{
    tg_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->path = strdup(path);
    if (!r->path) {
        free(r);
        return NULL;
    }
    r->on_error = on_error;
    r->ud = ud;
    return r;
}

tg_reader *tg_reader_open(const char *path, tg_format fmt, uint64_t max_bytes,
                          tg_reader_error_cb on_error, void *ud,
                          char *errbuf, size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    char why[256];
    tg_input *in = tg_input_open(path, max_bytes, why, sizeof why);
    if (!in) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "cannot open %s: %s",
                     path && strcmp(path, "-") == 0 ? "standard input" : path ? path : "(null)",
                     why);
        return NULL;
    }
    tg_reader *r = reader_new(path, on_error, ud);
    if (!r) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: out of memory", path);
        tg_input_close(in);
        return NULL;
    }
    r->in = in;
    if (reader_start(r, fmt)) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s", tg_buf_str(&r->err));
        tg_reader_close(r);
        return NULL;
    }
    return r;
}

tg_reader *tg_reader_open_mem(const char *data, size_t len, const char *path,
                              tg_format fmt, tg_reader_error_cb on_error, void *ud)
{
    tg_input *in = tg_input_open_mem(data, len, 0);
    if (!in)
        return NULL;
    tg_reader *r = reader_new(path ? path : "<memory>", on_error, ud);
    if (!r) {
        tg_input_close(in);
        return NULL;
    }
    r->in = in;
    if (reader_start(r, fmt)) {
        /* No errbuf here: say why rather than fail silently. */
        if (on_error)
            on_error(r->path, tg_buf_str(&r->err), ud);
        tg_reader_close(r);
        return NULL;
    }
    return r;
}

void tg_reader_close(tg_reader *r)
{
    if (!r)
        return;
    if (r->vt && r->state)
        r->vt->close(r->state);
    tg_input_close(r->in);
    tg_buf_free(&r->err);
    free(r->path);
    free(r);
}

tg_status tg_reader_next(tg_reader *r, tg_article *a, int *done)
{
    tg_article_clear(a);
    *done = 0;
    if (r->failed)
        return r->failed;
    if (r->done) {
        *done = 1;
        return TG_OK;
    }
    tg_status st = r->vt->next(r, r->state, a, done);
    /* A format that took a failed getline for the end of input would
     * report a truncated file as complete: catch it here. */
    if (!st && *done && tg_input_failed(r->in)) {
        st = (tg_status)tg_input_failed(r->in);
        if (r->err.len == 0)
            tg_reader_fail(r, "%s", tg_input_errmsg(r->in));
    }
    if (!st && !*done && !a->id) {
        st = TG_ERR_INTERNAL;
        tg_reader_fail(r, "the %s reader produced an article without an id", r->vt->name);
    }
    if (!st && !*done && !a->origin && tg_article_set(&a->origin, r->path, (size_t)-1))
        st = TG_ERR_NOMEM;
    if (st) {
        tg_article_clear(a);
        *done = 0;
        r->failed = st;
        if (r->err.len == 0) {
            const char *why = tg_input_failed(r->in) ? tg_input_errmsg(r->in)
                                                     : tg_status_to_string(st);
            tg_reader_fail(r, "%s", why);
        }
        return st;
    }
    if (*done)
        r->done = 1;
    return TG_OK;
}

const char *tg_reader_errmsg(const tg_reader *r) { return tg_buf_str(&r->err); }
const char *tg_reader_path(const tg_reader *r) { return r->path; }
tg_format tg_reader_format(const tg_reader *r) { return r->fmt; }
tg_input *tg_reader_input(tg_reader *r) { return r->in; }

int tg_reader_confidence(const tg_reader *r) { return r->confidence; }
