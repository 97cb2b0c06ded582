/* reader.c - the format table and the generic half of every reader:
 * opening, sniffing, error reporting, and the checks every article passes
 * on its way out (valid UTF-8, a capped body). */
#include "tg_reader.h"
#include "tg_buf.h"
#include "tg_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The format table. A new format adds its vtable here (and its enum value
 * in tg_reader.h). Order breaks ties between equally confident sniffers. */
extern const tg_reader_vtable tg_reader_text_vtable;
extern const tg_reader_vtable tg_reader_jsonl_vtable;
extern const tg_reader_vtable tg_reader_html_vtable;
extern const tg_reader_vtable tg_reader_blogger_vtable;
extern const tg_reader_vtable tg_reader_wordpress_vtable;
extern const tg_reader_vtable tg_reader_rss_vtable;
extern const tg_reader_vtable tg_reader_atom_vtable;

static const tg_reader_vtable *const formats[TG_FORMAT_LAST_] = {
    [TG_FORMAT_AUTO] = NULL,
    [TG_FORMAT_TEXT] = &tg_reader_text_vtable,
    [TG_FORMAT_JSONL] = &tg_reader_jsonl_vtable,
    [TG_FORMAT_HTML] = &tg_reader_html_vtable,
    [TG_FORMAT_BLOGGER] = &tg_reader_blogger_vtable,
    [TG_FORMAT_WORDPRESS] = &tg_reader_wordpress_vtable,
    [TG_FORMAT_RSS] = &tg_reader_rss_vtable,
    [TG_FORMAT_ATOM] = &tg_reader_atom_vtable,
};

/* Formats whose parser (libxml2) decodes UTF-16 itself. */
static int reads_utf16(tg_format f)
{
    return f == TG_FORMAT_HTML || f == TG_FORMAT_BLOGGER || f == TG_FORMAT_WORDPRESS ||
           f == TG_FORMAT_RSS || f == TG_FORMAT_ATOM;
}

/* How much of the decoded stream the sniffers get to see. */
#define SNIFF_BYTES 4096

struct tg_reader {
    tg_input *in;
    const tg_reader_vtable *vt;
    void *state;
    char *path;
    tg_format fmt;
    tg_reader_opts opts;  /* defaults filled in */
    const char *mem;      /* tg_reader_open_mem's data, for tg_reader_reopen */
    size_t memlen;
    tg_reader_error_cb on_error;
    void *ud;
    tg_buf err;
    tg_status failed;   /* sticky: a fatal error ends the file */
    int done;
    int confidence;     /* of the format chosen: sniff score, 100 if named */
    tg_reader_refusal refusal;  /* why reader_start failed */
};

int tg_format_from_name(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "auto") == 0)
        return TG_FORMAT_AUTO;
    /* The name WordPress itself gives its export format. */
    if (strcmp(name, "wxr") == 0)
        return TG_FORMAT_WORDPRESS;
    for (int f = 1; f < TG_FORMAT_LAST_; f++)
        if (formats[f] && strcmp(name, formats[f]->name) == 0)
            return f;
    return -1;
}

const char *tg_format_names(void)
{
    return "auto, text, jsonl, html, blogger, wordpress (or wxr), rss, atom";
}

const char *tg_format_name(tg_format f)
{
    if (f == TG_FORMAT_AUTO)
        return "auto";
    if ((int)f > 0 && f < TG_FORMAT_LAST_ && formats[f])
        return formats[f]->name;
    return "unknown";
}

/* Messages quote the input (an XML error's tag name, a JSON line's text)
 * and are cut to a buffer's size, which may split a character: each byte
 * that does not start a valid UTF-8 character becomes '?', so what reaches
 * a terminal, a log or a JSON report is text. */
static void text_only(char *msg)
{
    size_t n = strlen(msg), at = 0;
    while ((at += tg_utf8_invalid_at(msg + at, n - at)) < n)
        msg[at++] = '?';
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
    text_only(tmp);
    tg_buf_puts(&r->err, tmp);
}

static void report(tg_reader *r, const char *origin, const char *msg)
{
    /* With no callback the warning must still reach someone: dropping it
     * would make skipped articles vanish without a trace. */
    if (r->on_error)
        r->on_error(origin, msg, r->ud);
    else
        fprintf(stderr, "warning: %s: %s\n", origin, msg);
}

static void make_origin(const tg_reader *r, uint64_t where, char *origin, size_t n)
{
    if (where)
        snprintf(origin, n, "%s:%llu", r->path, (unsigned long long)where);
    else
        snprintf(origin, n, "%s", r->path);
}

/* The one body of the reader's messages: a warning goes to report(), a
 * notice to the notice callback (or nowhere without one). */
static void vmessage(tg_reader *r, int notice, const char *origin, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void vmessage(tg_reader *r, int notice, const char *origin, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    text_only(msg);
    if (!notice)
        report(r, origin, msg);
    else if (r->opts.on_notice)
        r->opts.on_notice(origin, msg, r->ud);
}

void tg_reader_warn(tg_reader *r, uint64_t where, const char *fmt, ...)
{
    char origin[4096];
    make_origin(r, where, origin, sizeof origin);
    va_list ap;
    va_start(ap, fmt);
    vmessage(r, 0, origin, fmt, ap);
    va_end(ap);
}

void tg_reader_note(tg_reader *r, uint64_t where, const char *fmt, ...)
{
    if (!r->opts.on_notice)
        return;
    char origin[4096];
    make_origin(r, where, origin, sizeof origin);
    va_list ap;
    va_start(ap, fmt);
    vmessage(r, 1, origin, fmt, ap);
    va_end(ap);
}

/* A warning about one article: its origin ("file:line", "file:entry N")
 * says where better than the reader's position, which may be past it. */
static void warn_article(tg_reader *r, const tg_article *a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn_article(tg_reader *r, const tg_article *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(r, 0, a->origin ? a->origin : r->path, fmt, ap);
    va_end(ap);
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
    if (n == 0) {
        tg_reader_fail(r, "empty file%s, nothing to index",
                       tg_input_is_gzip(r->in) ? " (after decompression)" : "");
        return -1;
    }
    /* UTF-16 has a zero in every other byte of ASCII text: the sniffers
     * see its low bytes, and only formats parsed by libxml2 may take it. */
    const unsigned char *u = (const unsigned char *)head;
    int utf16 = 0;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == '<' && u[1] == 0)))
        utf16 = 1; /* little-endian */
    else if (n >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0 && u[1] == '<')))
        utf16 = 2;
    if (utf16) {
        size_t k = 0;
        for (size_t i = utf16 == 1 ? 0 : 1; i < n; i += 2)
            if (u[i] != 0xFF && u[i] != 0xFE)
                head[k++] = u[i] ? (char)u[i] : ' ';
        n = k;
    } else if (memchr(head, '\0', n)) {
        /* Images and archives beside the pages of a saved blog. */
        tg_reader_fail(r, "binary file, skipped");
        r->refusal = TG_REFUSED_BINARY;
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
            tg_reader_fail(r, "format not recognised (not text, JSON Lines, HTML, or a "
                              "Blogger, WordPress, RSS or Atom export); name the format "
                              "explicitly");
            r->refusal = TG_REFUSED_UNRECOGNISED;
            return -1;
        }
        r->confidence = best;
    }
    if (utf16 && !reads_utf16(fmt)) {
        tg_reader_fail(r, "UTF-16 text is not supported by the %s reader; convert the file "
                          "to UTF-8 (iconv -f UTF-16 -t UTF-8)", formats[fmt]->name);
        return -1;
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

static tg_reader *reader_new(const char *path, const tg_reader_opts *opts,
                             tg_reader_error_cb on_error, void *ud)
{
    tg_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->path = strdup(path);
    if (!r->path) {
        free(r);
        return NULL;
    }
    if (opts)
        r->opts = *opts;
    if (!r->opts.max_bytes)
        r->opts.max_bytes = TG_INPUT_DEFAULT_MAX;
    if (!r->opts.max_article_bytes)
        r->opts.max_article_bytes = TG_READER_DEFAULT_MAX_ARTICLE;
    r->on_error = on_error;
    r->ud = ud;
    return r;
}

tg_reader *tg_reader_open(const char *path, tg_format fmt, const tg_reader_opts *opts,
                          tg_reader_error_cb on_error, void *ud,
                          char *errbuf, size_t errlen)
{
    return tg_reader_open_why(path, fmt, opts, on_error, ud, errbuf, errlen, NULL);
}

tg_reader *tg_reader_open_why(const char *path, tg_format fmt, const tg_reader_opts *opts,
                              tg_reader_error_cb on_error, void *ud,
                              char *errbuf, size_t errlen, tg_reader_refusal *why)
{
    tg_reader_refusal whys;
    if (!why)
        why = &whys;
    *why = TG_REFUSED_UNREADABLE;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    char cause[256];
    tg_input *in = tg_input_open(path, opts ? opts->max_bytes : 0, cause, sizeof cause);
    if (!in) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "cannot open %s: %s",
                     path && strcmp(path, "-") == 0 ? "standard input" : path ? path : "(null)",
                     cause);
        return NULL;
    }
    tg_reader *r = reader_new(path, opts, on_error, ud);
    if (!r) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: out of memory", path);
        tg_input_close(in);
        *why = TG_REFUSED_NOMEM;
        return NULL;
    }
    r->in = in;
    r->refusal = TG_REFUSED_UNREADABLE;
    if (reader_start(r, fmt)) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s", tg_buf_str(&r->err));
        *why = r->refusal;
        tg_reader_close(r);
        return NULL;
    }
    *why = TG_REFUSED_NONE;
    return r;
}

tg_reader *tg_reader_open_mem(const char *data, size_t len, const char *path,
                              tg_format fmt, const tg_reader_opts *opts,
                              tg_reader_error_cb on_error, void *ud)
{
    tg_input *in = tg_input_open_mem(data, len, opts ? opts->max_bytes : 0);
    if (!in)
        return NULL;
    tg_reader *r = reader_new(path ? path : "<memory>", opts, on_error, ud);
    if (!r) {
        tg_input_close(in);
        return NULL;
    }
    r->in = in;
    r->mem = data;
    r->memlen = len;
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

/* Replaces *field by its repair when it is not valid UTF-8; appends the
 * field's name to bad. */
static tg_status repair_field(char **field, const char *name, tg_buf *bad)
{
    if (!*field)
        return TG_OK;
    size_t len = strlen(*field);
    if (tg_utf8_valid(*field, len))
        return TG_OK;
    size_t n;
    char *fixed = tg_utf8_repair(*field, len, &n);
    if (!fixed)
        return TG_ERR_NOMEM;
    free(*field);
    *field = fixed;
    if (bad->len && tg_buf_puts(bad, ", "))
        return TG_ERR_NOMEM;
    return tg_buf_puts(bad, name);
}

/* Every article leaves in valid UTF-8 - the stored text ends up in JSON,
 * and jansson refuses anything else - and with a body under the cap. */
static tg_status finish_article(tg_reader *r, tg_article *a)
{
    tg_buf bad = {0};
    tg_status st = TG_OK;
    static const char *const names[] = { "id", "url", "title", "date", "author",
                                         "body", "sources", "origin" };
    char **fields[] = { &a->id, &a->url, &a->title, &a->date, &a->author,
                        &a->body, &a->sources, &a->origin };
    for (size_t i = 0; !st && i < sizeof fields / sizeof fields[0]; i++)
        st = repair_field(fields[i], names[i], &bad);
    tg_buf tagbad = {0};
    for (size_t i = 0; !st && i < a->ntags; i++)
        st = repair_field(&a->tags[i], "tags", &tagbad);
    if (!st && tagbad.len)
        st = bad.len ? tg_buf_puts(&bad, ", tags") : tg_buf_puts(&bad, "tags");
    tg_buf_free(&tagbad);
    if (!st && bad.len)
        warn_article(r, a, "invalid UTF-8 in %s: the bad bytes were read as Latin-1",
                     bad.data);
    tg_buf_free(&bad);
    if (st)
        return st;

    size_t cap = r->opts.max_article_bytes;
    size_t len = a->body ? strlen(a->body) : 0;
    if (len > cap) {
        /* Cut at a paragraph end in the last quarter if there is one, else
         * at a space, else between characters: never inside one. */
        size_t cut = cap;
        while (cut > 0 && ((unsigned char)a->body[cut] & 0xC0) == 0x80)
            cut--;
        size_t k = cut;
        while (k > cap - cap / 4 && !(a->body[k - 1] == '\n' && a->body[k - 2] == '\n'))
            k--;
        if (k > cap - cap / 4) {
            cut = k - 2;
        } else {
            k = cut;
            while (k > cap - cap / 4 && a->body[k] != ' ' && a->body[k] != '\n')
                k--;
            if (k > cap - cap / 4)
                cut = k;
        }
        a->body[cut] = '\0';
        warn_article(r, a, "article \"%s\" has a body of %zu bytes, over the cap of %zu "
                     "(--max-article-size): only the first %zu bytes were kept",
                     a->id, len, cap, cut);
    }
    return TG_OK;
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
    if (!st && !*done)
        st = finish_article(r, a);
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
const tg_reader_opts *tg_reader_options(const tg_reader *r) { return &r->opts; }

tg_input *tg_reader_reopen(const tg_reader *r, char *errbuf, size_t errlen)
{
    if (r->mem) {
        tg_input *in = tg_input_open_mem(r->mem, r->memlen, r->opts.max_bytes);
        if (!in && errbuf && errlen)
            snprintf(errbuf, errlen, "out of memory");
        return in;
    }
    if (strcmp(r->path, "-") == 0) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "standard input cannot be read twice");
        return NULL;
    }
    return tg_input_open(r->path, r->opts.max_bytes, errbuf, errlen);
}
