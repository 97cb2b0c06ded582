/* reader_jsonl.c - JSON Lines: one article object per line.
 *
 *   {"id": "reuters/1", "url": "...", "title": "...", "date": "1987-02-26",
 *    "author": "...", "tags": ["a", "b"] or "a, b", "body": "..."}
 *
 * "id" is required (a string or an integer). A bad line - invalid JSON, not
 * an object, no id, nothing to index - is reported with its line number and
 * skipped; the rest of the file is still read. A field of the wrong type is
 * reported and ignored, the article kept. Unknown keys are ignored. */
#include "tg_reader.h"
#include "tg_text.h"
#include "tg_date.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* "YYYY", "YYYY-MM", "YYYY-MM-DD", or a full timestamp "YYYY-MM-DDTHH:MM:SS"
 * (with 'T' or a space, any zone) of which only the date is kept. Writes the
 * normalised date into out (11 bytes) and returns 1, or 0 if s is not a
 * date. */
static int normalise_date(const char *s, size_t n, char *out)
{
    while (n && is_ws((unsigned char)*s))
        s++, n--;
    while (n && is_ws((unsigned char)s[n - 1]))
        n--;
    tg_date d;
    size_t used = tg_date_iso(s, n, 0, &d);
    if (!used)
        return 0;
    /* A time follows: it must at least look like one ("T15:01"). */
    if (used < n) {
        const char *t = s + used;
        size_t tn = n - used;
        if ((t[0] != 'T' && t[0] != ' ') || tn < 6 || !isdigit((unsigned char)t[1]) ||
            !isdigit((unsigned char)t[2]) || t[3] != ':' || !isdigit((unsigned char)t[4]) ||
            !isdigit((unsigned char)t[5]))
            return 0;
    }
    tg_date_format(&d, out);
    return 1;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* Copies the string field `key` into *field. Absent or null leaves it
 * NULL; another type is reported and ignored. */
static tg_status get_string(tg_reader *r, uint64_t line, json_t *o, const char *key,
                            char **field)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return TG_OK;
    if (!json_is_string(v)) {
        tg_reader_warn(r, line, "\"%s\" is %s, not a string: field ignored", key, type_name(v));
        return TG_OK;
    }
    return tg_article_set(field, json_string_value(v), json_string_length(v));
}

static tg_status add_tag_trimmed(tg_article *a, const char *s, size_t n)
{
    while (n && is_ws((unsigned char)*s))
        s++, n--;
    while (n && is_ws((unsigned char)s[n - 1]))
        n--;
    return n ? tg_article_add_tag(a, s, n) : TG_OK;
}

static tg_status get_tags(tg_reader *r, uint64_t line, json_t *o, tg_article *a)
{
    json_t *v = json_object_get(o, "tags");
    tg_status st = TG_OK;
    if (!v || json_is_null(v))
        return TG_OK;
    if (json_is_string(v)) {
        /* "politics, Iraq, 1991" */
        const char *s = json_string_value(v), *end = s + json_string_length(v);
        while (!st && s <= end) {
            const char *c = memchr(s, ',', (size_t)(end - s));
            if (!c)
                c = end;
            st = add_tag_trimmed(a, s, (size_t)(c - s));
            s = c + 1;
        }
        return st;
    }
    if (!json_is_array(v)) {
        tg_reader_warn(r, line, "\"tags\" is %s, not an array or a string: field ignored",
                       type_name(v));
        return TG_OK;
    }
    size_t i, bad = 0;
    json_t *t;
    json_array_foreach(v, i, t) {
        if (json_is_string(t))
            st = add_tag_trimmed(a, json_string_value(t), json_string_length(t));
        else
            bad++;
        if (st)
            return st;
    }
    if (bad)
        tg_reader_warn(r, line, "%zu tag(s) not strings: ignored", bad);
    return TG_OK;
}

static int has_text(const char *s)
{
    if (!s)
        return 0;
    for (; *s; s++)
        if (!is_ws((unsigned char)*s))
            return 1;
    return 0;
}

/* Fills a from one object. Returns TG_OK and *keep = 0 when the line is
 * to be skipped (already reported). */
static tg_status read_object(tg_reader *r, uint64_t line, json_t *o, tg_article *a, int *keep)
{
    *keep = 0;
    tg_status st;
    json_t *id = json_object_get(o, "id");
    if (!id || json_is_null(id) || (json_is_string(id) && !has_text(json_string_value(id)))) {
        tg_reader_warn(r, line, "no \"id\" (a string or an integer is required): line skipped");
        return TG_OK;
    }
    if (json_is_string(id)) {
        st = tg_article_set(&a->id, json_string_value(id), json_string_length(id));
    } else if (json_is_integer(id)) {
        char num[32];
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        st = tg_article_set(&a->id, num, (size_t)-1);
    } else {
        tg_reader_warn(r, line, "\"id\" is %s, not a string or an integer: line skipped",
                       type_name(id));
        return TG_OK;
    }
    if (st)
        return st;

    char *date = NULL;
    if ((st = get_string(r, line, o, "title", &a->title)) ||
        (st = get_string(r, line, o, "body", &a->body)) ||
        (st = get_string(r, line, o, "url", &a->url)) ||
        (st = get_string(r, line, o, "author", &a->author)) ||
        (st = get_string(r, line, o, "date", &date)) ||
        (st = get_tags(r, line, o, a)))
        goto out;

    if (!has_text(a->title) && !has_text(a->body)) {
        tg_reader_warn(r, line, "article \"%s\" has neither title nor body: skipped", a->id);
        goto out;
    }
    if (date) {
        char norm[11];
        if (normalise_date(date, strlen(date), norm))
            st = tg_article_set(&a->date, norm, (size_t)-1);
        else if (has_text(date))
            tg_reader_warn(r, line, "date \"%.40s\" is not YYYY[-MM[-DD]]: date ignored", date);
        if (st)
            goto out;
    }
    /* A body may be absent (a title-only entry): the contract is a string. */
    if (!a->body && (st = tg_article_set(&a->body, "", 0)))
        goto out;
    if (!a->url && (st = tg_article_set(&a->url, tg_reader_path(r), (size_t)-1)))
        goto out;
    char origin[4096];
    snprintf(origin, sizeof origin, "%s:%llu", tg_reader_path(r), (unsigned long long)line);
    if ((st = tg_article_set(&a->origin, origin, (size_t)-1)))
        goto out;
    *keep = 1;
out:
    free(date);
    return st;
}

static int jsonl_sniff(const char *head, size_t n, const char *path)
{
    size_t i = 0;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && is_ws((unsigned char)head[i]))
        i++;
    if (i < n && head[i] == '{')
        return 90;
    /* An empty or odd file named .jsonl is still meant as JSON Lines: read
     * it as such and report its lines, rather than index it as prose. */
    static const char *const exts[] = { ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz" };
    size_t pl = strlen(path);
    for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
        size_t k = strlen(exts[e]);
        if (pl > k && strcmp(path + pl - k, exts[e]) == 0)
            return 50;
    }
    return 0;
}

static tg_status jsonl_open(tg_reader *r, void **state)
{
    /* No state beyond the input's line counter; a non-NULL token keeps the
     * reader's "state was opened" check simple. */
    static int token;
    *state = &token;
    return TG_OK;
}

static tg_status jsonl_next(tg_reader *r, void *state, tg_article *a, int *done)
{
    tg_input *in = tg_reader_input(r);
    *done = 0;
    for (;;) {
        size_t len;
        const char *line = tg_input_getline(in, &len);
        if (!line) {
            int st = tg_input_failed(in);
            if (st) {
                tg_reader_fail(r, "%s", tg_input_errmsg(in));
                return (tg_status)st;
            }
            *done = 1;
            return TG_OK;
        }
        uint64_t lineno = tg_input_lineno(in);
        if (lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
            line += 3, len -= 3;
        size_t k = 0;
        while (k < len && is_ws((unsigned char)line[k]))
            k++;
        if (k == len)
            continue; /* blank lines are allowed anywhere */

        /* jansson refuses invalid UTF-8 outright; a legacy-encoded line is
         * still worth its articles, with its odd bytes read as Latin-1. */
        char *fixed = NULL;
        if (!tg_utf8_valid(line, len)) {
            fixed = tg_utf8_repair(line, len, &len);
            if (!fixed)
                return TG_ERR_NOMEM;
            line = fixed;
            tg_reader_warn(r, lineno, "invalid UTF-8: the bad bytes were read as Latin-1");
        }
        json_error_t jerr;
        json_t *o = json_loadb(line, len, 0, &jerr);
        free(fixed);
        if (!o) {
            tg_reader_warn(r, lineno, "invalid JSON at column %d: %s: line skipped",
                           jerr.column, jerr.text);
            continue;
        }
        if (!json_is_object(o)) {
            tg_reader_warn(r, lineno, "%s, not an object: line skipped", type_name(o));
            json_decref(o);
            continue;
        }
        int keep;
        tg_status st = read_object(r, lineno, o, a, &keep);
        json_decref(o);
        if (st)
            return st;
        if (keep)
            return TG_OK;
        tg_article_clear(a);
    }
}

static void jsonl_close(void *state)
{
    (void)state;
}

const tg_reader_vtable tg_reader_jsonl_vtable = {
    .name = "jsonl",
    .sniff = jsonl_sniff,
    .open = jsonl_open,
    .next = jsonl_next,
    .close = jsonl_close,
};
