/* reader_text.c - the plain-text article export (see corpus/seed): one
 * article per file.
 *
 *   Tuesday, September 13, 2016        date header (optional)
 *   Title                               first non-empty line after it
 *   body paragraphs ... (1) ...         footnote markers stay in the body
 *   1. Source one                       numbered notes     } -> sources
 *   2. Source two                                          }
 *   Author, "Title," Paper, 1/2/03      bibliography       }
 *   - "Second title," ...               (same author)      }
 *   No comments:                        comment count; the blog's sidebar
 *   ...                                 follows and is dropped
 */
#include "tg_reader.h"
#include "tg_buf.h"
#include "tg_date.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t n;
} line_t;

typedef struct {
    int done;
} text_state;

static int is_blank_char(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Trims ASCII white space and no-break spaces (U+00A0, which Blogger
 * pages use for indentation) from both ends. */
static line_t trim(const char *s, size_t n)
{
    for (;;) {
        if (n && is_blank_char((unsigned char)*s)) {
            s++, n--;
        } else if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
            s += 2, n -= 2;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && is_blank_char((unsigned char)s[n - 1])) {
            n--;
        } else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0) {
            n -= 2;
        } else {
            break;
        }
    }
    return (line_t){ s, n };
}

/* ---- structure ---------------------------------------------------------- */

/* "No comments:", "1 comment:", "12 comments:" */
static int is_comment_count(line_t l)
{
    const char *p = l.s, *end = l.s + l.n;
    if (l.n >= 2 && (p[0] == 'N' || p[0] == 'n') && p[1] == 'o') {
        p += 2;
    } else {
        const char *d = p;
        while (p < end && isdigit((unsigned char)*p))
            p++;
        if (p == d)
            return 0;
    }
    if (p == end || *p != ' ')
        return 0;
    p++;
    static const char word[] = "comment";
    if ((size_t)(end - p) < sizeof word - 1 || strncmp(p, word, sizeof word - 1) != 0)
        return 0;
    p += sizeof word - 1;
    if (p < end && *p == 's')
        p++;
    return p + 1 == end && *p == ':';
}

/* Does the line start with "N." and a space (a numbered note)? Returns N,
 * or 0. */
static long note_number(line_t l)
{
    long n = 0;
    size_t i = 0;
    while (i < l.n && i < 4 && isdigit((unsigned char)l.s[i]))
        n = n * 10 + (l.s[i++] - '0');
    if (i == 0 || i + 1 >= l.n || l.s[i] != '.' || !is_blank_char((unsigned char)l.s[i + 1]))
        return 0;
    return n;
}

static int mentions_marker_1(const line_t *lines, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        for (size_t k = 0; k + 3 <= lines[i].n; k++)
            if (memcmp(lines[i].s + k, "(1)", 3) == 0)
                return 1;
    return 0;
}

/* Where the notes start in lines[from, to), or `to` when there are none.
 * A note block starts at a "1. " line followed, later, by "2. ", "3. "...
 * in sequence; a lone "1. " counts only if the body has a "(1)" marker
 * pointing at it. The last such block wins, so a numbered list in the body
 * does not swallow the text after it. */
static size_t find_notes(const line_t *lines, size_t from, size_t to)
{
    size_t found = to;
    for (size_t i = from; i < to; i++) {
        if (note_number(lines[i]) != 1)
            continue;
        long seq = 1;
        for (size_t j = i + 1; j < to; j++)
            if (note_number(lines[j]) == seq + 1)
                seq++;
        if (seq >= 2 || mentions_marker_1(lines, from, i))
            found = i;
    }
    return found;
}

/* Body text: paragraphs of lines[from, to), lines joined by a space,
 * paragraphs by a blank line. */
static tg_status join_paragraphs(const line_t *lines, size_t from, size_t to, tg_buf *out)
{
    int in_para = 0;
    for (size_t i = from; i < to; i++) {
        if (lines[i].n == 0) {
            in_para = 0;
            continue;
        }
        const char *sep = in_para ? " " : out->len ? "\n\n" : "";
        if (tg_buf_puts(out, sep) || tg_buf_append(out, lines[i].s, lines[i].n))
            return TG_ERR_NOMEM;
        in_para = 1;
    }
    return TG_OK;
}

/* Notes and bibliography: one non-empty line each. */
static tg_status join_lines(const line_t *lines, size_t from, size_t to, tg_buf *out)
{
    for (size_t i = from; i < to; i++) {
        if (lines[i].n == 0)
            continue;
        if ((out->len && tg_buf_putc(out, '\n')) || tg_buf_append(out, lines[i].s, lines[i].n))
            return TG_ERR_NOMEM;
    }
    return TG_OK;
}

/* The article id: the file's base name without ".gz" and ".txt". */
static tg_status set_id(tg_article *a, const char *path)
{
    if (strcmp(path, "-") == 0)
        return tg_article_set(&a->id, "stdin", (size_t)-1);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    static const char *const exts[] = { ".gz", ".txt", ".text" };
    for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
        size_t k = strlen(exts[e]);
        if (n > k && strncmp(base + n - k, exts[e], k) == 0) {
            n -= k;
            if (e > 0)
                break; /* only one text extension: "a.txt.txt" keeps one */
        }
    }
    return tg_article_set(&a->id, base, n);
}

static tg_status parse_article(tg_reader *r, const char *text, size_t len, tg_article *a,
                               int *skipped)
{
    *skipped = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;

    size_t nlines = 1;
    for (size_t i = 0; i < len; i++)
        nlines += text[i] == '\n';
    line_t *lines = malloc(nlines * sizeof *lines);
    if (!lines)
        return TG_ERR_NOMEM;
    nlines = 0;
    for (size_t i = 0; i <= len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        lines[nlines++] = trim(text + i, e - i); /* also drops the \r of CRLF */
        i = e + 1;
    }

    /* Everything after the comment count is the blog's sidebar. */
    size_t end = nlines;
    for (size_t i = 0; i < nlines; i++)
        if (is_comment_count(lines[i])) {
            end = i;
            break;
        }

    tg_status st = TG_OK;
    tg_buf body = {0}, sources = {0};
    size_t i = 0;
    while (i < end && lines[i].n == 0)
        i++;
    char date[11];
    if (i < end && tg_date_parse_line(lines[i].s, lines[i].n, date)) {
        if ((st = tg_article_set(&a->date, date, (size_t)-1)))
            goto out;
        i++;
        while (i < end && lines[i].n == 0)
            i++;
    }
    if (i < end) {
        if ((st = tg_article_set(&a->title, lines[i].s, lines[i].n)))
            goto out;
        i++;
    }
    size_t notes = find_notes(lines, i, end);
    if ((st = join_paragraphs(lines, i, notes, &body)) ||
        (st = join_lines(lines, notes, end, &sources)))
        goto out;

    if (!a->title && body.len == 0) {
        tg_reader_warn(r, 0, "no title and no text found: file skipped");
        tg_article_clear(a);
        *skipped = 1;
        goto out;
    }
    if ((st = tg_article_set(&a->body, tg_buf_str(&body), body.len)) ||
        (sources.len && (st = tg_article_set(&a->sources, sources.data, sources.len))) ||
        (st = set_id(a, tg_reader_path(r))) ||
        (st = tg_article_set(&a->url, tg_reader_path(r), (size_t)-1)) ||
        (st = tg_article_set(&a->origin, tg_reader_path(r), (size_t)-1)))
        goto out;
out:
    tg_buf_free(&body);
    tg_buf_free(&sources);
    free(lines);
    return st;
}

static int text_sniff(const char *head, size_t n, const char *path)
{
    if (memchr(head, '\0', n))
        return 0; /* binary */
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        head += 3, n -= 3;
    size_t i = 0; /* the first non-blank line */
    while (i < n && is_blank_char((unsigned char)head[i]))
        i++;
    size_t e = i;
    while (e < n && head[e] != '\n')
        e++;
    char date[11];
    line_t l = trim(head + i, e - i);
    if (i < n && tg_date_parse_line(l.s, l.n, date))
        return 80;
    size_t pl = strlen(path);
    if ((pl > 4 && strcmp(path + pl - 4, ".txt") == 0) ||
        (pl > 7 && strcmp(path + pl - 7, ".txt.gz") == 0))
        return 30;
    return 10; /* any text will do, without much conviction */
}

static tg_status text_open(tg_reader *r, void **state)
{
    text_state *s = calloc(1, sizeof *s);
    if (!s)
        return TG_ERR_NOMEM;
    *state = s;
    return TG_OK;
}

static tg_status text_next(tg_reader *r, void *state, tg_article *a, int *done)
{
    text_state *s = state;
    *done = 0;
    if (s->done) {
        *done = 1;
        return TG_OK;
    }
    s->done = 1;
    tg_input *in = tg_reader_input(r);
    char *text;
    size_t len;
    tg_status st = tg_input_slurp(in, &text, &len);
    if (st) {
        tg_reader_fail(r, "%s", tg_input_failed(in) ? tg_input_errmsg(in)
                                                     : tg_status_to_string(st));
        return st;
    }
    int skipped;
    st = parse_article(r, text, len, a, &skipped);
    free(text);
    if (st)
        return st;
    if (skipped)
        *done = 1;
    return TG_OK;
}

static void text_close(void *state)
{
    free(state);
}

const tg_reader_vtable tg_reader_text_vtable = {
    .name = "text",
    .sniff = text_sniff,
    .open = text_open,
    .next = text_next,
    .close = text_close,
};
