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
 *     "related": [ { "name": str, "count": int } ],  with --related
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
} tg_render_opts;

/* Appends the results as text for a terminal or a pipe. */
tg_status tg_render_text(const tg_results *r, const tg_render_opts *o, tg_buf *out);
/* Appends the results as one JSON object (no trailing newline). */
tg_status tg_render_json(const tg_results *r, const tg_render_opts *o, tg_buf *out);

#endif
