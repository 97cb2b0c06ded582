/*
 * output_html.c - renders results, articles and whole pages as HTML from
 * the templates in assets/ (tg_output.h).
 *
 * Markup lives in the templates; this file computes what goes in them
 * (links, dates for people, the chart's geometry) and leaves all escaping
 * to tg_template_render, except for the few {{{raw}}} pieces it builds
 * itself from other templates or from tg_render_html_marked.
 */
#include "tg_output.h"
#include "tg_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tg_assets.h"
#include "tg_template.h"

#define NVARS(a) (sizeof(a) / sizeof((a)[0]))

/* The template called name; a missing one is a build error caught by the
 * tests, rendered here as nothing. */
static const char *tpl(const char *name)
{
    const tg_asset *a = tg_asset_find(name);
    return a ? a->data : "";
}

tg_status tg_url_encode(tg_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    tg_status st = TG_OK;
    for (const unsigned char *p = (const unsigned char *)s; *p && !st; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~')
            st = tg_buf_putc(out, (char)*p);
        else
            st = tg_buf_printf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
    return st;
}

tg_status tg_render_html_marked(const char *text, size_t len, const tg_span *spans, size_t nspans,
                                tg_buf *out)
{
    tg_status st = TG_OK;
    size_t at = 0;
    for (size_t i = 0; i < nspans && !st; i++) {
        size_t a = spans[i].start, b = spans[i].end;
        if (a < at || b > len || a >= b)
            continue;   /* overlapping or out of range: show the words unmarked */
        /* Words of a name or phrase separated by one space read as one
         * mark ("Camp Liberty", not "Camp" "Liberty"). */
        while (i + 1 < nspans && spans[i + 1].start == b + 1 && text[b] == ' ' &&
               spans[i + 1].end > spans[i + 1].start && spans[i + 1].end <= len)
            b = spans[++i].end;
        st = tg_html_escape(out, text + at, a - at);
        st = st ? st : tg_buf_puts(out, "<mark>");
        st = st ? st : tg_html_escape(out, text + a, b - a);
        st = st ? st : tg_buf_puts(out, "</mark>");
        at = b;
    }
    return st ? st : tg_html_escape(out, text + at, len - at);
}

static int given(const char *s) { return s && *s; }

int tg_is_web_url(const char *url)
{
    return url && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8));
}

tg_status tg_web_query_url(const tg_web_query *wq, unsigned page, unsigned year, const char *tag,
                           tg_buf *out)
{
    tg_status st = tg_buf_puts(out, "/?q=");
    st = st ? st : tg_url_encode(out, wq->q ? wq->q : "");
    char ybuf[16];
    const char *from = wq->from, *to = wq->to;
    if (year) {
        snprintf(ybuf, sizeof ybuf, "%u", year);
        from = to = ybuf;
    }
    if (!tag)
        tag = wq->tag;
    const struct { const char *k, *v; } kv[] = { { "from", from }, { "to", to }, { "tag", tag } };
    for (size_t i = 0; i < NVARS(kv) && !st; i++)
        if (given(kv[i].v)) {
            st = tg_buf_printf(out, "&%s=", kv[i].k);
            st = st ? st : tg_url_encode(out, kv[i].v);
        }
    if (!st && wq->sort_date)
        st = tg_buf_puts(out, "&sort=date");
    if (!st && wq->size && wq->size != 10)
        st = tg_buf_printf(out, "&size=%u", wq->size);
    if (!st && wq->literal)
        st = tg_buf_puts(out, "&literal=1");
    if (!st && page > 1)
        st = tg_buf_printf(out, "&page=%u", page);
    return st;
}

/* "2016-09-13" -> "13 September 2016"; "2016-09" -> "September 2016". */
static void human_date(const char *d, char *out, size_t outlen)
{
    unsigned y = 0, m = 0, day = 0;
    int n = sscanf(d, "%4u-%2u-%2u", &y, &m, &day);
    if (n >= 2 && m >= 1 && m <= 12) {
        if (n == 3 && day >= 1 && day <= 31)
            snprintf(out, outlen, "%u %s %u", day, tg_date_month_name((int)m), y);
        else
            snprintf(out, outlen, "%s %u", tg_date_month_name((int)m), y);
    } else {
        snprintf(out, outlen, "%s", d);
    }
}

/* The tag links of a hit or an article, each searching the same words
 * within that tag. */
static tg_status render_tags(char *const *tags, size_t ntags, const tg_web_query *wq, tg_buf *out)
{
    tg_status st = TG_OK;
    for (size_t i = 0; i < ntags && !st; i++) {
        tg_buf href = { 0 };
        tg_web_query tq = *wq;
        tq.page = 1;
        st = tg_web_query_url(&tq, 0, 0, tags[i], &href);
        st = st ? st : tg_buf_puts(out, " <a class=\"tg-tag\" href=\"");
        st = st ? st : tg_html_escape(out, tg_buf_str(&href), href.len);
        st = st ? st : tg_buf_puts(out, "\">");
        st = st ? st : tg_html_escape(out, tags[i], strlen(tags[i]));
        st = st ? st : tg_buf_puts(out, "</a>");
        tg_buf_free(&href);
    }
    return st;
}

static tg_status article_href(const char *id, const char *q, tg_buf *out)
{
    tg_status st = tg_buf_puts(out, "/article/");
    st = st ? st : tg_url_encode(out, id);
    if (!st && given(q)) {
        st = tg_buf_puts(out, "?q=");
        st = st ? st : tg_url_encode(out, q);
    }
    return st;
}

static tg_status render_hit(const tg_hit *h, const tg_web_query *wq, tg_buf *out)
{
    tg_buf passage = { 0 }, tags = { 0 }, ahref = { 0 };
    char date_h[64] = "", more[64] = "";
    tg_status st = TG_OK;
    if (h->passage)
        st = tg_render_html_marked(h->passage, strlen(h->passage), h->spans, h->nspans, &passage);
    st = st ? st : render_tags(h->tags, h->ntags, wq, &tags);
    st = st ? st : article_href(h->id, wq->q, &ahref);
    if (*h->date)
        human_date(h->date, date_h, sizeof date_h);
    unsigned nmore = h->matching_passages > 1 ? h->matching_passages - 1 : 0;
    if (nmore)
        snprintf(more, sizeof more, "%u more passage%s in this article", nmore,
                 nmore == 1 ? "" : "s");
    /* Links go to the article's own page on the site when it has one,
     * else to our article view; never to the indexer's file path. */
    const char *href = tg_is_web_url(h->url) ? h->url : tg_buf_str(&ahref);
    tg_tvar v[] = { { "id", h->id }, { "href", href }, { "title", *h->title ? h->title : h->id },
                    { "date", h->date }, { "date_human", date_h }, { "author", h->author },
                    { "tags", tg_buf_str(&tags) }, { "passage", tg_buf_str(&passage) },
                    { "more", more }, { "q", wq->q }, { "article_href", tg_buf_str(&ahref) } };
    st = st ? st : tg_template_render(tpl("hit.html"), v, NVARS(v), out);
    tg_buf_free(&passage);
    tg_buf_free(&tags);
    tg_buf_free(&ahref);
    return st;
}

/* The bar chart of matches per year: one bar per year from the first to
 * the last with matches (empty years included, so time reads evenly),
 * each a link to the same search within that year. */
#define CHART_W 600
#define CHART_H 90
#define CHART_AXIS 16

static tg_status render_years(const tg_results *r, const tg_web_query *wq, tg_buf *out)
{
    if (r->nyears < 2 && !(r->nyears == 1 && !given(wq->from)))
        return TG_OK;   /* one year, already filtered to: nothing to compare */
    unsigned first = r->years[0].year, last = r->years[r->nyears - 1].year;
    if (last - first > 400)
        first = last - 400;   /* a stray date such as 0001 would flatten the chart */
    unsigned nbars = last - first + 1;
    uint32_t max = 1;
    for (size_t i = 0; i < r->nyears; i++)
        if (r->years[i].count > max)
            max = r->years[i].count;
    double w = (double)CHART_W / nbars;
    unsigned label_every = nbars <= 12 ? 1 : nbars <= 30 ? 5 : 10;
    tg_buf bars = { 0 };
    tg_status st = TG_OK;
    size_t k = 0;
    for (unsigned y = first; y <= last && !st; y++) {
        while (k < r->nyears && r->years[k].year < y)
            k++;
        uint32_t c = k < r->nyears && r->years[k].year == y ? r->years[k].count : 0;
        double h = c ? 2.0 + (double)(CHART_H - 2) * c / max : 0.0;
        char xs[32], ys[32], ws[32], hs[32], txs[32], tys[32], full[32], yr[16], label[96];
        snprintf(xs, sizeof xs, "%.1f", (y - first) * w + w * 0.1);
        snprintf(ws, sizeof ws, "%.1f", w * 0.8);
        snprintf(ys, sizeof ys, "%.1f", CHART_H - h);
        snprintf(hs, sizeof hs, "%.1f", h);
        snprintf(full, sizeof full, "%d", CHART_H);
        snprintf(txs, sizeof txs, "%.1f", (y - first) * w + w * 0.5);
        snprintf(tys, sizeof tys, "%d", CHART_H + CHART_AXIS - 3);
        snprintf(yr, sizeof yr, "%u", y);
        snprintf(label, sizeof label, "%u: %u article%s", y, c, c == 1 ? "" : "s");
        int axis = (y - first) % label_every == 0 || y == last;
        tg_buf href = { 0 };
        tg_web_query yq = *wq;
        st = tg_web_query_url(&yq, 0, y, NULL, &href);
        tg_tvar v[] = { { "href", tg_buf_str(&href) }, { "year", yr }, { "label", label },
                        { "x", xs }, { "y", ys }, { "w", ws }, { "h", hs }, { "full", full },
                        { "axis", axis ? "1" : NULL }, { "tx", txs }, { "ty", tys } };
        st = st ? st : tg_template_render(tpl("bar.svg"), v, NVARS(v), &bars);
        tg_buf_free(&href);
    }
    char width[16], height[16], f[16], l[16];
    snprintf(width, sizeof width, "%d", CHART_W);
    snprintf(height, sizeof height, "%d", CHART_H + CHART_AXIS);
    snprintf(f, sizeof f, "%u", first);
    snprintf(l, sizeof l, "%u", last);
    tg_tvar v[] = { { "width", width }, { "height", height }, { "bars", tg_buf_str(&bars) },
                    { "first", f }, { "last", l }, { "estimated", r->years_exact ? NULL : "1" } };
    st = st ? st : tg_template_render(tpl("years.html"), v, NVARS(v), out);
    tg_buf_free(&bars);
    return st;
}

static tg_status render_pager(const tg_results *r, const tg_web_query *wq, tg_buf *out)
{
    unsigned size = wq->size ? wq->size : 10, page = wq->page ? wq->page : 1;
    unsigned pages = (unsigned)((r->total + size - 1) / size);
    if (pages > TG_SEARCH_MAX_WINDOW / size)
        pages = TG_SEARCH_MAX_WINDOW / size;   /* pages past the window cannot be asked for */
    if (pages <= 1 && page <= 1)
        return TG_OK;
    tg_buf prev = { 0 }, next = { 0 };
    tg_status st = TG_OK;
    if (page > 1)
        st = tg_web_query_url(wq, page - 1, 0, NULL, &prev);
    if (!st && page < pages && r->nhits == size)
        st = tg_web_query_url(wq, page + 1, 0, NULL, &next);
    char p[16], ps[16];
    snprintf(p, sizeof p, "%u", page);
    snprintf(ps, sizeof ps, "%u", pages > page ? pages : page);
    tg_tvar v[] = { { "prev", prev.len ? tg_buf_str(&prev) : NULL },
                    { "next", next.len ? tg_buf_str(&next) : NULL }, { "page", p }, { "pages", ps } };
    st = st ? st : tg_template_render(tpl("pager.html"), v, NVARS(v), out);
    tg_buf_free(&prev);
    tg_buf_free(&next);
    return st;
}

/* "1,234" */
static void thousands(uint32_t n, char *out, size_t outlen)
{
    char digits[16];
    int len = snprintf(digits, sizeof digits, "%u", n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < outlen; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

tg_status tg_render_html_results(const tg_results *r, const tg_web_query *wq, double seconds,
                                 const char *error, tg_buf *out)
{
    if (!r) {
        tg_tvar v[] = { { "error", error } };
        return tg_template_render(tpl("results.html"), v, NVARS(v), out);
    }
    tg_buf hits = { 0 }, related = { 0 }, years = { 0 }, pager = { 0 }, understood = { 0 },
           dym = { 0 }, showing = { 0 }, literal = { 0 };
    tg_status st = TG_OK;
    for (size_t i = 0; i < r->nhits && !st; i++)
        st = render_hit(&r->hits[i], wq, &hits);
    for (size_t i = 0; i < r->nrelated && !st; i++) {
        tg_buf href = { 0 };
        tg_web_query rq = { .q = r->related[i].name, .sort_date = wq->sort_date, .size = wq->size };
        st = tg_web_query_url(&rq, 0, 0, "", &href);
        st = st ? st : tg_buf_puts(&related, i ? " <a class=\"tg-chip\" href=\"" : "<a class=\"tg-chip\" href=\"");
        st = st ? st : tg_html_escape(&related, tg_buf_str(&href), href.len);
        st = st ? st : tg_buf_puts(&related, "\">");
        st = st ? st : tg_html_escape(&related, r->related[i].name, strlen(r->related[i].name));
        st = st ? st : tg_buf_puts(&related, "</a>");
        tg_buf_free(&href);
    }
    for (size_t i = 0; i < r->nexpansions && !st; i++)
        st = tg_buf_printf(&understood, "%s%s", i ? "; " : "", r->expansions[i]);
    if (!st && r->suggestion) {
        tg_web_query sq = *wq;
        sq.q = r->suggestion;
        st = tg_web_query_url(&sq, 0, 0, NULL, &dym);
    }
    if (!st && r->showing) {
        tg_web_query sq = *wq;
        sq.q = r->showing;
        st = tg_web_query_url(&sq, 0, 0, NULL, &showing);
        sq = *wq;
        sq.literal = 1;
        st = st ? st : tg_web_query_url(&sq, 0, 0, NULL, &literal);
    }
    st = st ? st : (r->years ? render_years(r, wq, &years) : TG_OK);
    st = st ? st : render_pager(r, wq, &pager);

    /* The empty-result line quotes the query, up to its 4 KiB: in a fixed
     * buffer it was cut inside a character (found by tests/fuzz/fuzz_http.c). */
    tg_buf empty = { 0 };
    char summary[256] = "", start[16], total[32];
    thousands(r->total, total, sizeof total);
    snprintf(start, sizeof start, "%u", r->offset + 1);
    if (r->nhits)
        snprintf(summary, sizeof summary, "%s%s article%s match, showing %u–%u (%.3f s)",
                 r->total_exact ? "" : "About ", total, r->total == 1 ? "" : "s", r->offset + 1,
                 r->offset + (unsigned)r->nhits, seconds);
    else if (given(wq->q) || given(wq->tag) || given(wq->from) || given(wq->to))
        st = st ? st
                : tg_buf_printf(&empty,
                                r->total ? "No more results: this page is past the last one."
                                         : "No articles match%s%s%s%s.",
                                r->total ? "" : " “", r->total ? "" : (wq->q ? wq->q : ""),
                                r->total ? "" : "”",
                                r->total ? "" : (given(wq->from) || given(wq->to) || given(wq->tag)
                                                 ? " with these filters" : ""));
    /* Results without some shards must say so: the page is not the
     * archive's whole answer. */
    tg_buf partial = { 0 };
    for (size_t i = 0; i < r->nshards_failed && !st; i++)
        st = tg_buf_printf(&partial, "%s%s (%s)",
                           i ? "; " : "Partial results: part of the archive did not answer: ",
                           r->shards_failed[i].shard, r->shards_failed[i].error);
    tg_tvar v[] = { { "warning", r->warning }, { "summary", summary }, { "note", wq->note },
                    { "partial", partial.len ? tg_buf_str(&partial) : NULL },
                    { "suggestion", r->suggestion }, { "suggestion_href", tg_buf_str(&dym) },
                    { "showing", r->showing }, { "showing_href", tg_buf_str(&showing) },
                    { "query", wq->q }, { "literal_href", tg_buf_str(&literal) },
                    { "understood", tg_buf_str(&understood) }, { "related", tg_buf_str(&related) },
                    { "years", tg_buf_str(&years) }, { "hits", tg_buf_str(&hits) },
                    { "start", start }, { "empty", tg_buf_str(&empty) },
                    { "pager", tg_buf_str(&pager) } };
    st = st ? st : tg_template_render(tpl("results.html"), v, NVARS(v), out);
    tg_buf_free(&hits);
    tg_buf_free(&related);
    tg_buf_free(&years);
    tg_buf_free(&pager);
    tg_buf_free(&understood);
    tg_buf_free(&dym);
    tg_buf_free(&showing);
    tg_buf_free(&literal);
    tg_buf_free(&empty);
    tg_buf_free(&partial);
    return st;
}

tg_status tg_render_html_article(const tg_article_view *a, const tg_web_query *wq, tg_buf *out)
{
    tg_buf passages = { 0 }, tags = { 0 }, back = { 0 };
    tg_status st = TG_OK;
    int first_match = 1;
    for (size_t i = 0; i < a->npassages && !st; i++) {
        const tg_passage_view *p = &a->passages[i];
        st = tg_buf_printf(&passages, "<p class=\"tg-p%s\" id=\"p%zu\"%s>",
                           p->matches ? " tg-p-match" : "", i + 1,
                           p->matches && first_match ? " tabindex=\"-1\"" : "");
        if (p->matches)
            first_match = 0;
        st = st ? st : tg_render_html_marked(p->text, strlen(p->text), p->spans, p->nspans,
                                              &passages);
        st = st ? st : tg_buf_puts(&passages, "</p>\n");
    }
    st = st ? st : render_tags(a->tags, a->ntags, wq, &tags);
    if (!st && given(wq->q))
        st = tg_web_query_url(wq, wq->page, 0, NULL, &back);
    char date_h[64] = "", matching[96] = "";
    if (*a->date)
        human_date(a->date, date_h, sizeof date_h);
    if (given(wq->q))
        snprintf(matching, sizeof matching, "%u of %zu passages match your search (marked).",
                 a->matching, a->npassages);
    /* Only a web address is shown as the original, never a file path. */
    int web_url = tg_is_web_url(a->url);
    tg_tvar v[] = { { "title", *a->title ? a->title : a->id }, { "date", a->date },
                    { "date_human", date_h }, { "author", a->author },
                    { "tags", tg_buf_str(&tags) }, { "matching", matching },
                    { "passages", tg_buf_str(&passages) }, { "url", web_url ? a->url : NULL },
                    { "back", back.len ? tg_buf_str(&back) : NULL } };
    st = st ? st : tg_template_render(tpl("article.html"), v, NVARS(v), out);
    tg_buf_free(&passages);
    tg_buf_free(&tags);
    tg_buf_free(&back);
    return st;
}

tg_status tg_render_html_page(const char *title, const char *site, uint32_t articles,
                              const tg_web_query *wq, const char *main_class,
                              const char *main_html, tg_buf *out)
{
    char n[32], maxlen[16];
    thousands(articles, n, sizeof n);
    snprintf(maxlen, sizeof maxlen, "%d", TG_SEARCH_MAX_QUERY_BYTES);
    tg_buf untag = { 0 };
    tg_status st = given(wq->tag) ? tg_web_query_url(wq, 0, 0, "", &untag) : TG_OK;
    tg_tvar v[] = { { "title", title }, { "site", site }, { "articles", n }, { "maxlen", maxlen },
                    { "q", wq->q }, { "from", wq->from }, { "to", wq->to }, { "tag", wq->tag },
                    { "untag_href", tg_buf_str(&untag) }, { "sort_date", wq->sort_date ? "1" : NULL },
                    { "main_class", main_class }, { "main", main_html } };
    st = st ? st : tg_template_render(tpl("page.html"), v, NVARS(v), out);
    tg_buf_free(&untag);
    return st;
}

tg_status tg_render_html_home(uint32_t articles, tg_buf *out)
{
    char n[32];
    thousands(articles, n, sizeof n);
    tg_tvar v[] = { { "articles", n } };
    return tg_template_render(tpl("home.html"), v, NVARS(v), out);
}
