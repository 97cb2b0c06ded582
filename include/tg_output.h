/*
 * tg_output.h - one output layer for search results: terminal text, JSON
 * (the command line's --json and the HTTP API share it), and later HTML.
 *
 * JSON format, version 1 (documented in README.md, "JSON output"):
 *   { "version": 1, "query": str, "parsed": str, "total": int,
 *     "offset": int, "warning": str|null,
 *     "expansions": [str],   how the query was widened ("KH = Kataib
 *                            Hezbollah", "Hizballah ~ Hezbollah")
 *     "suggestion": str|null,   "did you mean"
 *     "showing_results_for": str|null,   the query as searched when words
 *                            no article has were replaced by the archive's
 *                            spelling (the API's literal=1 searches as typed)
 *     "related": [ { "name": str, "count": int } ],  with --related
 *     "partial": bool,       true when some shards did not answer and the
 *                            results are the others' only
 *     "shards_failed": [ { "shard": str, "error": str } ],  which, and why
 *     "results": [ { "rank": int, "id": str, "title": str, "date": str|null,
 *                    "url": str, "author": str|null, "tags": [str],
 *                    "score": num, "article_score": num,
 *                    "passage_score": num,
 *                    "passage": { "index": int, "text": str,
 *                                 "highlights": [[start, end], ...] } | null,
 *                    "passages": int, "more_passages": int,
 *                    "matched": str|null } ] }     expansions seen in the passage
 * Highlight offsets are byte offsets into passage.text.
 */
#ifndef TG_OUTPUT_H
#define TG_OUTPUT_H

#include "tg_buf.h"
#include "tg_search.h"

#define TG_JSON_VERSION 1

typedef struct tg_render_opts {
    int color;        /* text: ANSI bold for matches and titles */
    int explain;      /* text/JSON: add the parsed and Xapian queries */
    unsigned width;   /* text: wrap passages at this column (0 = 80) */
    int web;          /* JSON for the HTTP API: "url" is null when the
                         article has none (never the indexer's file path),
                         each result gets "article_url", and "page",
                         "size", "pages" describe paging by page_size */
    unsigned page_size;
} tg_render_opts;

/* Appends the results as text for a terminal or a pipe. */
tg_status tg_render_text(const tg_results *r, const tg_render_opts *o, tg_buf *out);
/* Appends the results as one JSON object (no trailing newline). */
tg_status tg_render_json(const tg_results *r, const tg_render_opts *o, tg_buf *out);

/* ---- HTML (lib/output_html.c), from the templates in assets/. */

/* What a page was asked for, to build its links (borrowed strings; NULL
 * or "" = not given). */
typedef struct tg_web_query {
    const char *q, *from, *to, *tag;
    int sort_date;
    unsigned page, size;   /* page is 1-based */
    const char *note;      /* shown above the results (as-you-type
                              completions), or NULL */
    int literal;           /* literal=1: words searched as typed */
} tg_web_query;

/* Appends text[0..len) HTML-escaped, the spans (sorted byte ranges) in
 * <mark>. */
tg_status tg_render_html_marked(const char *text, size_t len, const tg_span *spans, size_t nspans,
                                tg_buf *out);
/* Appends the results part of the search page (the inside of <main>):
 * summary, did you mean, expansions, related names, the chart of matches
 * per year, the hits and the pager. r NULL: only error (a message for the
 * reader) or, without error either, nothing. seconds: time taken, shown. */
tg_status tg_render_html_results(const tg_results *r, const tg_web_query *wq, double seconds,
                                 const char *error, tg_buf *out);
/* Appends the page's results part before any search: what can be
 * searched and how. */
tg_status tg_render_html_home(uint32_t articles, tg_buf *out);
/* Appends the article page's <main> inside; wq->q marks the passages. */
tg_status tg_render_html_article(const tg_article_view *v, const tg_web_query *wq, tg_buf *out);
/* Appends a whole page around main_html (the layout with the search
 * form filled from wq). title: the page's <title>. */
tg_status tg_render_html_page(const char *title, const char *site, uint32_t articles,
                              const tg_web_query *wq, const char *main_class,
                              const char *main_html, tg_buf *out);
/* Appends "/?q=...&page=N..." for wq with page (0: none), year (0: keep
 * wq's from/to; else from=to=year) and tag (NULL: keep wq's, "": none). */
tg_status tg_web_query_url(const tg_web_query *wq, unsigned page, unsigned year, const char *tag,
                           tg_buf *out);
/* Appends the article's JSON for /api/article/ID. */
tg_status tg_render_article_json(const tg_article_view *v, tg_buf *out);
/* Appends {"query":...,"suggestions":[...]} for /api/suggest. */
tg_status tg_render_suggest_json(const char *query, const tg_suggestion *v, size_t n, tg_buf *out);
/* 1 when url is an http(s) address: what a public page may link to (an
 * article without one has the indexer's file path, never shown). */
int tg_is_web_url(const char *url);
/* Appends {"error": msg}, the API's answer to a request it refuses. */
tg_status tg_render_error_json(const char *msg, tg_buf *out);
/* Appends s percent-encoded for a URL's query or path segment. */
tg_status tg_url_encode(tg_buf *out, const char *s);

#endif
