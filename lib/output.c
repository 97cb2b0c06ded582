/* output.c - renders tg_results as terminal text or JSON (tg_output.h). */
#include "tg_output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "tg_text.h"

#define BOLD "\033[1m"
#define UNBOLD "\033[22m"

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

/* Terminal columns of the character at s (n bytes left), utf8proc's
 * widths: 2 for East Asian wide and fullwidth characters, 0 for combining
 * marks, 1 otherwise and for a byte that is not UTF-8. Its length in
 * bytes into *len. */
static size_t char_cols(const char *s, size_t n, size_t *len)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
    if (l <= 0) {
        *len = 1;
        return 1;
    }
    *len = (size_t)l;
    if (cp < 0x20)
        return 1;   /* tabs and newlines are printed as spaces */
    int w = utf8proc_charwidth(cp);
    return w > 0 ? (size_t)w : 0;
}

/* Columns to the next place a line may break: the next space, or just
 * after a wide character (CJK text has no spaces between words). */
static size_t next_word_cols(const char *s, size_t n)
{
    size_t cols = 0;
    for (size_t i = 0, len; i < n && s[i] != ' ' && s[i] != '\n' && s[i] != '\t'; i += len) {
        size_t w = char_cols(s + i, n - i, &len);
        cols += w;
        if (w == 2)
            break;
    }
    return cols;
}

/* Appends the passage with matches in bold (or *stars* without colour),
 * wrapped at width, indented by two spaces. Newlines fold to spaces.
 * Columns are counted as the terminal shows them (char_cols); a line
 * breaks at a space, or before a wide character that would overflow it. */
static tg_status put_passage(const tg_hit *h, const tg_render_opts *o, tg_buf *out)
{
    unsigned width = o->width ? o->width : 80;
    size_t col = 2, span = 0;
    tg_status st = tg_buf_puts(out, "  ");
    const char *t = h->passage;
    size_t n = strlen(t);
    for (size_t i = 0, len; i < n && !st; i += len) {
        char c = t[i] == '\n' || t[i] == '\t' ? ' ' : t[i];
        size_t w = char_cols(t + i, n - i, &len);
        if (w == 2 && col > 2 && col + w > width) {
            st = tg_buf_puts(out, "\n  ");
            col = 2;
        }
        if (!st && span < h->nspans && h->spans[span].start >= i &&
            h->spans[span].start < i + len)
            st = tg_buf_puts(out, o->color ? BOLD : "*");
        if (c == ' ' && col + next_word_cols(t + i + 1, n - i - 1) >= width) {
            st = st ? st : tg_buf_puts(out, "\n  ");
            col = 2;
        } else {
            st = st ? st : c == ' ' ? tg_buf_putc(out, ' ') : tg_buf_append(out, t + i, len);
            col += w;
        }
        /* A match ends on a character's last byte. */
        if (span < h->nspans && h->spans[span].end > i && h->spans[span].end <= i + len) {
            st = st ? st : tg_buf_puts(out, o->color ? UNBOLD : "*");
            span++;
        }
    }
    return st ? st : tg_buf_putc(out, '\n');
}

tg_status tg_render_text(const tg_results *r, const tg_render_opts *o, tg_buf *out)
{
    tg_status st = TG_OK;
    if (r->warning)
        st = tg_buf_printf(out, "note: %s\n", r->warning);
    if (o->explain) {
        st = st ? st : tg_buf_printf(out, "parsed: %s\nxapian: %s\n", r->parsed ? r->parsed : "",
                                     r->xapian_query ? r->xapian_query : "(nothing to search)");
    }
    if (!st && r->showing)
        st = tg_buf_printf(out, "Showing results for: %s. Search instead for \"%s\" with "
                           "--literal.\n", r->showing, r->query);
    if (!st && r->suggestion)
        st = tg_buf_printf(out, "Did you mean: %s\n", r->suggestion);
    for (size_t i = 0; !st && i < r->nexpansions; i++)
        st = tg_buf_printf(out, "%s%s%s", i ? "; " : "Also searched: ", r->expansions[i],
                           i + 1 == r->nexpansions ? "\n" : "");
    if (r->nhits == 0)
        return st ? st : tg_buf_printf(out, "No articles match \"%s\".\n", r->query);
    st = st ? st : tg_buf_printf(out, "%u article%s match; showing %u-%u.\n\n", r->total,
                                 r->total == 1 ? "" : "s", r->offset + 1,
                                 r->offset + (unsigned)r->nhits);
    for (size_t i = 0; i < r->nhits && !st; i++) {
        const tg_hit *h = &r->hits[i];
        st = tg_buf_printf(out, "%zu. %s%s%s\n", r->offset + i + 1, o->color ? BOLD : "",
                           *h->title ? h->title : h->id, o->color ? UNBOLD : "");
        st = st ? st : tg_buf_printf(out, "   %s | %s | score %.3f\n", or_dash(h->date),
                                     *h->url ? h->url : or_dash(h->origin), h->score);
        if (!st && o->explain)
            st = tg_buf_printf(out, "   id %s | article %.3f + passage %.3f (passage %u of %u)\n",
                               h->id, h->article_score, h->passage_score, h->passage_index + 1,
                               h->npassages);
        if (!st && o->explain && h->why)
            st = tg_buf_printf(out, "   passage has: %s\n", h->why);
        if (!st && h->passage)
            st = put_passage(h, o, out);
        if (!st && h->matched)
            st = tg_buf_printf(out, "   (matched %s)\n", h->matched);
        if (!st && h->matching_passages > 1)
            st = tg_buf_printf(out, "   (%u more matching passage%s)\n", h->matching_passages - 1,
                               h->matching_passages == 2 ? "" : "s");
        st = st ? st : tg_buf_putc(out, '\n');
    }
    for (size_t i = 0; !st && i < r->nrelated; i++)
        st = tg_buf_printf(out, "%s%s (%u)%s", i ? ", " : "Related: ", r->related[i].name,
                           r->related[i].count, i + 1 == r->nrelated ? "\n" : "");
    return st;
}

/* A JSON string of s. jansson refuses invalid UTF-8 (json_string gives
 * NULL, as it does on no memory): such text, which tg_search never
 * returns but a caller's results may hold, is repaired as everywhere
 * else (bad bytes read as Latin-1), so a failure here is only ever a
 * failed allocation. */
static json_t *jstr(const char *s)
{
    if (!s)
        s = "";
    json_t *j = json_string(s);
    if (j || tg_utf8_valid(s, strlen(s)))
        return j;
    size_t n;
    char *fixed = tg_utf8_repair(s, strlen(s), &n);
    j = fixed ? json_stringn(fixed, n) : NULL;
    free(fixed);
    return j;
}

static json_t *str_or_null(const char *s) { return s && *s ? jstr(s) : json_null(); }

/* The passage as HTML with <mark>ed words, for pages and widgets that
 * cannot be trusted to escape (NULL when out of memory). */
static json_t *marked_html(const char *text, const tg_span *spans, size_t nspans)
{
    tg_buf b = { 0 };
    json_t *j = NULL;
    if (!tg_render_html_marked(text, strlen(text), spans, nspans, &b))
        j = jstr(tg_buf_str(&b));
    tg_buf_free(&b);
    return j;
}

static json_t *tags_json(char *const *tags, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < n; k++)
        json_array_append_new(a, jstr(tags[k]));
    return a ? a : json_array();
}

/* An article's url for people: the article's own, else (command line
 * only) the file it came from; a public server never shows file paths. */
static json_t *url_json(const char *url, const char *origin, int web)
{
    if (web)
        return tg_is_web_url(url) ? jstr(url) : json_null();
    return jstr(*url ? url : origin);
}

static json_t *hit_json(const tg_results *r, size_t i, const tg_render_opts *o)
{
    const tg_hit *h = &r->hits[i];
    json_t *passage = json_null();
    if (h->passage) {
        json_t *hl = json_array();
        for (size_t k = 0; hl && k < h->nspans; k++)
            json_array_append_new(hl, json_pack("[II]", (json_int_t)h->spans[k].start,
                                                (json_int_t)h->spans[k].end));
        passage = json_pack("{sI so so so*}", "index", (json_int_t)h->passage_index, "text",
                            jstr(h->passage), "highlights", hl ? hl : json_array(), "html",
                            marked_html(h->passage, h->spans, h->nspans));
    }
    unsigned more = h->matching_passages > 1 ? h->matching_passages - 1 : 0;
    json_t *j = json_pack("{sI so so so so so so sf sf sf so sI sI so}",
                          "rank", (json_int_t)(r->offset + i + 1), "id", jstr(h->id), "title",
                          jstr(h->title),
                          "date", str_or_null(h->date), "url", url_json(h->url, h->origin, o->web),
                          "author", str_or_null(h->author), "tags", tags_json(h->tags, h->ntags),
                          "score", h->score, "article_score", h->article_score,
                          "passage_score", h->passage_score, "passage", passage ? passage : json_null(),
                          "passages", (json_int_t)h->npassages, "more_passages", (json_int_t)more,
                          "matched", str_or_null(h->matched));
    if (j && o->web) {
        tg_buf href = { 0 };
        if (!tg_buf_puts(&href, "/article/") && !tg_url_encode(&href, h->id))
            json_object_set_new(j, "article_url", json_string(tg_buf_str(&href)));
        tg_buf_free(&href);
    }
    return j;
}

/* Adds page, size and pages (web) and the counts per year. */
static void add_paging_and_years(json_t *root, const tg_results *r, const tg_render_opts *o)
{
    json_object_set_new(root, "total_exact", json_boolean(r->total_exact));
    if (o->web) {
        unsigned size = o->page_size ? o->page_size : 10;
        uint64_t pages = ((uint64_t)r->total + size - 1) / size;
        if (pages > TG_SEARCH_MAX_WINDOW / size)
            pages = TG_SEARCH_MAX_WINDOW / size;
        json_object_set_new(root, "page", json_integer(r->offset / size + 1));
        json_object_set_new(root, "size", json_integer(size));
        json_object_set_new(root, "pages", json_integer((json_int_t)pages));
    }
    if (r->years || o->web) {
        json_t *y = json_array();
        for (size_t i = 0; y && i < r->nyears; i++)
            json_array_append_new(y, json_pack("{sI sI}", "year", (json_int_t)r->years[i].year,
                                               "count", (json_int_t)r->years[i].count));
        json_object_set_new(root, "years", y ? y : json_array());
        json_object_set_new(root, "years_exact", json_boolean(r->years_exact));
    }
}

/* Dumps root (consumed) onto out. */
static tg_status dump_json(json_t *root, tg_buf *out)
{
    if (!root)
        return TG_ERR_NOMEM;
    char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s)
        return TG_ERR_NOMEM;
    tg_status st = tg_buf_puts(out, s);
    free(s);
    return st;
}

tg_status tg_render_json(const tg_results *r, const tg_render_opts *o, tg_buf *out)
{
    json_t *results = json_array();
    json_t *root = json_pack("{si so so sI sI so}", "version", TG_JSON_VERSION, "query",
                             jstr(r->query), "parsed", jstr(r->parsed), "total", (json_int_t)r->total,
                             "offset", (json_int_t)r->offset, "warning", str_or_null(r->warning));
    if (!root || !results) {
        json_decref(root);
        json_decref(results);
        return TG_ERR_NOMEM;
    }
    add_paging_and_years(root, r, o);
    if (o->explain)
        json_object_set_new(root, "xapian_query", str_or_null(r->xapian_query));
    json_t *exp = json_array(), *rel = json_array();
    for (size_t i = 0; exp && i < r->nexpansions; i++)
        json_array_append_new(exp, jstr(r->expansions[i]));
    for (size_t i = 0; rel && i < r->nrelated; i++)
        json_array_append_new(rel, json_pack("{so sI}", "name", jstr(r->related[i].name), "count",
                                             (json_int_t)r->related[i].count));
    json_object_set_new(root, "expansions", exp ? exp : json_array());
    json_object_set_new(root, "suggestion", str_or_null(r->suggestion));
    json_object_set_new(root, "showing_results_for", str_or_null(r->showing));
    json_object_set_new(root, "related", rel ? rel : json_array());
    json_t *failed = json_array();
    for (size_t i = 0; failed && i < r->nshards_failed; i++)
        json_array_append_new(failed, json_pack("{so so}", "shard",
                                                 jstr(r->shards_failed[i].shard), "error",
                                                 jstr(r->shards_failed[i].error)));
    json_object_set_new(root, "partial", json_boolean(r->partial));
    json_object_set_new(root, "shards_failed", failed ? failed : json_array());
    for (size_t i = 0; i < r->nhits; i++) {
        json_t *h = hit_json(r, i, o);
        if (h && o->explain)
            json_object_set_new(h, "why", str_or_null(r->hits[i].why));
        if (!h || json_array_append_new(results, h)) {
            json_decref(results);
            json_decref(root);
            return TG_ERR_NOMEM;
        }
    }
    json_object_set_new(root, "results", results);
    return dump_json(root, out);
}

tg_status tg_render_article_json(const tg_article_view *v, tg_buf *out)
{
    json_t *ps = json_array();
    for (size_t i = 0; ps && i < v->npassages; i++) {
        const tg_passage_view *p = &v->passages[i];
        json_array_append_new(ps, json_pack("{sI so so* sb}", "index", (json_int_t)i, "text",
                                            jstr(p->text), "html",
                                            marked_html(p->text, p->spans, p->nspans), "match",
                                            p->matches));
    }
    int web_url = tg_is_web_url(v->url);
    tg_buf href = { 0 };
    tg_status st = tg_buf_puts(&href, "/article/");
    st = st ? st : tg_url_encode(&href, v->id);
    json_t *root = st ? NULL
        : json_pack("{so so so ss so so so sI so}", "id", jstr(v->id), "title", jstr(v->title),
                    "url", web_url ? jstr(v->url) : json_null(), "article_url",
                    tg_buf_str(&href), "date", str_or_null(v->date), "author",
                    str_or_null(v->author), "tags", tags_json(v->tags, v->ntags), "matching",
                    (json_int_t)v->matching, "passages", ps ? ps : json_array());
    tg_buf_free(&href);
    return dump_json(root, out);
}

tg_status tg_render_suggest_json(const char *query, const tg_suggestion *v, size_t n, tg_buf *out)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{so sI sb}", "text", jstr(v[i].text), "freq",
                                           (json_int_t)v[i].freq, "name", v[i].is_name));
    return dump_json(json_pack("{so so}", "query", jstr(query), "suggestions", a ? a : json_array()), out);
}

tg_status tg_render_error_json(const char *msg, tg_buf *out)
{
    return dump_json(json_pack("{so}", "error", jstr(msg)), out);
}
