/*
 * serve_routes.c - what each path of the server answers (serve_int.h).
 *
 *   /                    search page (?q=&page=&size=&from=&to=&sort=&tag=;
 *                        &fragment=1: only the results, for the page's script)
 *   /article/ID          one article, passages matching ?q= marked
 *   /api/search          the results as JSON (the command line's --json layout)
 *   /api/suggest?q=      completions of names and words
 *   /api/article/ID      one article as JSON
 *   /healthz             liveness: article count and index revision
 *   /static/NAME, /widget.js   compiled-in assets
 *
 * Every answer comes from the one output layer (lib/output.c,
 * lib/output_html.c); this file only maps requests to searches and
 * statuses.
 */
#include "serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tg_assets.h"
#include "tg_hash.h"
#include "tg_output.h"
#include "tg_text.h"
#include "search_ext.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define HTML_TYPE "text/html; charset=utf-8"
/* Results change only with the index: clients keep them and revalidate
 * with the ETag, which carries the index revision. */
#define CACHE_DYNAMIC "no-cache"
#define CACHE_STATIC "public, max-age=3600"
#define SUGGEST_MAX 8
#define RELATED_MAX 8

static int given(const char *s) { return s && *s; }

/* A fingerprint of the assets compiled in, so that ETags change with a
 * new build of the server as well as with the index. */
static uint32_t assets_fingerprint(void)
{
    static uint32_t fp;
    if (!fp) {
        uint64_t h = TG_HASH64_INIT;
        for (const tg_asset *a = tg_assets; a->name; a++)
            h = tg_hash64_more(h, a->data, a->len);
        uint32_t folded = (uint32_t)(h ^ (h >> 32));
        fp = folded ? folded : 1;   /* benign race: every thread computes the same value */
    }
    return fp;
}

static enum MHD_Result json_error(struct tg_server *srv, struct MHD_Connection *con,
                                  tg_request *rq, unsigned status, const char *msg)
{
    tg_buf b = { 0 };
    if (tg_render_error_json(msg, &b)) {
        tg_buf_free(&b);
        return MHD_NO;   /* out of memory: drop the connection */
    }
    size_t len = b.len;
    tg_reply_headers h = { .cors = 1, .cache = "no-store" };
    return tg_serve_respond(srv, con, rq, status, JSON_TYPE, tg_buf_steal(&b), len, &h);
}

/* Sends b (consumed) with the ETag etag. */
static enum MHD_Result send_buf(struct tg_server *srv, struct MHD_Connection *con, tg_request *rq,
                                unsigned status, const char *mime, tg_buf *b, const char *etag,
                                int html)
{
    size_t len = b->len;
    char *body = tg_buf_steal(b);
    if (!body)
        return json_error(srv, con, rq, 500, "out of memory");
    if (rq->cacheable && status == 200)
        tg_cache_put(tg_serve_cache(srv), rq->uri, rq->revision, mime, body, len);
    tg_reply_headers h = { .html = html, .cors = !html, .cache = CACHE_DYNAMIC, .etag = etag };
    return tg_serve_respond(srv, con, rq, status, mime, body, len, &h);
}

/* A page around main_html (consumed), or an error page. */
static enum MHD_Result send_page(struct tg_server *srv, struct MHD_Connection *con,
                                 tg_request *rq, tg_worker *w, unsigned status, const char *title,
                                 const tg_web_query *wq, const char *main_class, tg_buf *main_html,
                                 const char *etag)
{
    tg_buf page = { 0 };
    tg_status st = tg_render_html_page(title, tg_serve_site(srv), w ? tg_searcher_doccount(w->s) : 0,
                                       wq, main_class, tg_buf_str(main_html), &page);
    tg_buf_free(main_html);
    if (st) {
        tg_buf_free(&page);
        return json_error(srv, con, rq, 500, tg_status_to_string(st));
    }
    return send_buf(srv, con, rq, status, HTML_TYPE, &page, etag, 1);
}

static enum MHD_Result html_error(struct tg_server *srv, struct MHD_Connection *con,
                                  tg_request *rq, tg_worker *w, unsigned status, const char *msg,
                                  const tg_web_query *wq)
{
    tg_buf main_html = { 0 };
    tg_render_html_results(NULL, wq, 0.0, msg, &main_html);
    static const tg_web_query none = { 0 };
    return send_page(srv, con, rq, w, status, "Error", wq ? wq : &none, "tg-results", &main_html,
                     NULL);
}

/* Status for a failed search: the request's fault (bounds, syntax) or
 * ours. */
static unsigned search_status(tg_status st)
{
    return st == TG_ERR_ARG || st == TG_ERR_LIMIT || st == TG_ERR_QUERY ? 400 : 503;
}

static double since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static tg_search_opts search_opts(struct tg_server *srv, const tg_params *p)
{
    tg_search_opts so = TG_SEARCH_OPTS_DEFAULT;
    so.offset = (p->page - 1) * p->size;
    so.limit = p->size;
    so.related = p->no_related ? 0 : RELATED_MAX;
    so.year_counts = !p->no_years;
    so.literal = p->literal;
    so.date_from = given(p->from) ? p->from : NULL;
    so.date_to = given(p->to) ? p->to : NULL;
    so.tag = given(p->tag) ? p->tag : NULL;
    so.sort_date = p->sort && !strcmp(p->sort, "date");
    so.timeout_ms = tg_serve_options(srv)->timeout_ms;
    return so;
}

static tg_web_query web_query(const tg_params *p)
{
    tg_web_query wq = { .q = p->q, .from = p->from, .to = p->to, .tag = p->tag,
                        .sort_date = p->sort && !strcmp(p->sort, "date"), .page = p->page,
                        .size = p->size, .literal = p->literal };
    return wq;
}

static enum MHD_Result api_search(struct tg_server *srv, struct MHD_Connection *con,
                                  tg_request *rq, tg_worker *w, const tg_params *p,
                                  const char *etag)
{
    if (!given(p->q) && !given(p->tag))
        return json_error(srv, con, rq, 400, "q is required: /api/search?q=WORDS");
    tg_search_opts so = search_opts(srv, p);
    tg_results *r = NULL;
    tg_status st = tg_search(w->s, p->q ? p->q : "", &so, &r);
    if (st)
        return json_error(srv, con, rq, search_status(st), tg_searcher_errmsg(w->s));
    tg_render_opts ro = { .web = 1, .page_size = p->size };
    tg_buf b = { 0 };
    st = tg_render_json(r, &ro, &b);
    tg_results_free(r);
    if (st) {
        tg_buf_free(&b);
        return json_error(srv, con, rq, 500, tg_status_to_string(st));
    }
    return send_buf(srv, con, rq, 200, JSON_TYPE, &b, etag, 0);
}

/* Results as you type: the last word, still being typed, also matches
 * the archive's words and names it begins ("camp li" searches "camp
 * Liberty OR Libya OR list"). NULL when nothing is to be completed: the
 * query ends in a space, its last word is syntax (a quote, field, sign),
 * is already a word of the archive, or begins none. *note gets what was
 * done, for the reader. The page's links (pager, years, tags) then carry
 * the completed query, so page 2 continues the list page 1 began. */
#define COMPLETIONS 3

typedef struct last_word {
    char term[TG_MAX_TERM + 1];
    unsigned n;
} last_word;

static int on_last_token(const tg_token *tok, void *ud)
{
    last_word *lw = ud;
    if (lw->n++ == 0 && tok->len <= TG_MAX_TERM) {
        memcpy(lw->term, tok->term, tok->len);
        lw->term[tok->len] = '\0';
    }
    return 0;
}

static char *complete_last_word(tg_worker *w, const char *q, tg_buf *note)
{
    size_t n = strlen(q), start = n;
    if (!n || q[n - 1] == ' ')
        return NULL;
    while (start > 0 && q[start - 1] != ' ')
        start--;
    const char *last = q + start;
    if (strlen(last) < 2 || strpbrk(last, "\"':+-()*.~") || !strcmp(last, "OR"))
        return NULL;
    /* A word the archive has (stopwords too, which autocomplete leaves
     * out) is searched as typed. */
    last_word lw = { 0 };
    if (tg_tokenize(last, strlen(last), on_last_token, &lw) || lw.n != 1 ||
        xc_rdb_termfreq(tg_searcher_rdb(w->s), lw.term) > 0)
        return NULL;
    tg_suggestion *v = NULL, *names = NULL;
    size_t k = 0, nk = 0;
    if (tg_suggest(w->s, last, 16, &v, &k))
        return NULL;
    /* With the word before: the archive's names it starts come first
     * ("camp li" -> Liberty, of "Camp Liberty"). */
    size_t pstart = start ? start - 1 : 0;
    while (pstart > 0 && q[pstart - 1] != ' ')
        pstart--;
    if (start && tg_suggest(w->s, q + pstart, 8, &names, &nk))
        nk = 0;
    tg_buf b = { 0 };
    int is_word = 0, added = 0;
    for (size_t i = 0; i < k; i++)
        is_word |= !strchr(v[i].text, ' ') && !strcasecmp(v[i].text, last);
    if (is_word) {
        /* Already a word of the archive: searched as typed. */
        tg_suggestions_free(v, k);
        tg_suggestions_free(names, nk);
        return NULL;
    }
    tg_buf_append(&b, q, start);
    const char *picked[COMPLETIONS];
    for (size_t pass = 0; pass < 2; pass++) {
        size_t m = pass ? k : nk;
        for (size_t i = 0; i < m && added < COMPLETIONS; i++) {
            const char *word = pass ? v[i].text : strchr(names[i].text, ' ');
            if (!pass) {
                /* the name's second word, when it has exactly two */
                if (!word || strchr(++word, ' '))
                    continue;
            }
            int dup = strchr(word, ' ') || !strcasecmp(word, last);   /* one word for one word */
            for (int a = 0; a < added && !dup; a++)
                dup = !strcasecmp(picked[a], word);
            if (dup)
                continue;
            picked[added] = word;
            tg_buf_printf(&b, "%s%s", added ? " OR " : "", word);
            tg_buf_printf(note, "%s%s", added ? ", " : "", word);
            added++;
        }
    }
    tg_suggestions_free(v, k);
    tg_suggestions_free(names, nk);
    if (!added) {
        tg_buf_free(&b);
        tg_buf_clear(note);
        return NULL;
    }
    tg_buf t = { 0 };
    tg_buf_printf(&t, "Also words beginning with “%s”: %s.", last, tg_buf_str(note));
    tg_buf_free(note);
    *note = t;
    return tg_buf_steal(&b);
}

static enum MHD_Result page_search(struct tg_server *srv, struct MHD_Connection *con,
                                   tg_request *rq, tg_worker *w, const tg_params *p,
                                   const char *etag)
{
    tg_web_query wq = web_query(p);
    tg_buf main_html = { 0 };
    unsigned status = 200;
    tg_status st = TG_OK;
    tg_buf note = { 0 };
    char *completed = p->partial && p->fragment && given(p->q)
                          ? complete_last_word(w, p->q, &note) : NULL;
    if (completed) {
        wq.note = tg_buf_str(&note);
        wq.q = completed;
    }
    if (given(p->q) || given(p->tag)) {
        tg_search_opts so = search_opts(srv, p);
        tg_results *r = NULL;
        st = tg_search(w->s, completed ? completed : p->q ? p->q : "", &so, &r);
        if (st) {
            status = search_status(st);
            st = tg_render_html_results(NULL, &wq, 0.0, tg_searcher_errmsg(w->s), &main_html);
        } else {
            st = tg_render_html_results(r, &wq, since(&rq->t0), NULL, &main_html);
        }
        tg_results_free(r);
    } else if (!p->fragment) {
        st = tg_render_html_home(tg_searcher_doccount(w->s), &main_html);
    }
    free(completed);
    tg_buf_free(&note);
    if (st) {
        tg_buf_free(&main_html);
        return json_error(srv, con, rq, 500, tg_status_to_string(st));
    }
    if (p->fragment)
        return send_buf(srv, con, rq, status, HTML_TYPE, &main_html, etag, 1);
    tg_buf title = { 0 };
    if (given(p->q))
        tg_buf_printf(&title, "%s – %s", p->q, tg_serve_site(srv));
    else
        tg_buf_puts(&title, tg_serve_site(srv));
    enum MHD_Result ret = send_page(srv, con, rq, w, status, tg_buf_str(&title), &wq,
                                    "tg-results", &main_html, etag);
    tg_buf_free(&title);
    return ret;
}

static enum MHD_Result article(struct tg_server *srv, struct MHD_Connection *con, tg_request *rq,
                               tg_worker *w, const char *id, const tg_params *p, int json,
                               const char *etag)
{
    tg_article_view *v = NULL;
    tg_status st = tg_article_get(w->s, id, p->q, &v);
    if (st == TG_ERR_NOT_FOUND || (!st && !v)) {
        tg_web_query wq = web_query(p);
        return json ? json_error(srv, con, rq, 404, "no article has that id")
                    : html_error(srv, con, rq, w, 404, "No article has that id.", &wq);
    }
    if (st)
        return json ? json_error(srv, con, rq, search_status(st), tg_searcher_errmsg(w->s))
                    : html_error(srv, con, rq, w, search_status(st), tg_searcher_errmsg(w->s), NULL);
    tg_buf b = { 0 };
    enum MHD_Result ret;
    if (json) {
        st = tg_render_article_json(v, &b);
        ret = st ? json_error(srv, con, rq, 500, tg_status_to_string(st))
                 : send_buf(srv, con, rq, 200, JSON_TYPE, &b, etag, 0);
    } else {
        tg_web_query wq = web_query(p);
        st = tg_render_html_article(v, &wq, &b);
        tg_buf title = { 0 };
        tg_buf_printf(&title, "%s – %s", *v->title ? v->title : v->id, tg_serve_site(srv));
        ret = st ? json_error(srv, con, rq, 500, tg_status_to_string(st))
                 : send_page(srv, con, rq, w, 200, tg_buf_str(&title), &wq, "tg-article", &b, etag);
        tg_buf_free(&title);
    }
    tg_buf_free(&b);
    tg_article_view_free(v);
    return ret;
}

static enum MHD_Result suggest(struct tg_server *srv, struct MHD_Connection *con, tg_request *rq,
                               tg_worker *w, const tg_params *p, const char *etag)
{
    tg_suggestion *v = NULL;
    size_t n = 0;
    const char *q = p->q ? p->q : "";
    if (strlen(q) > 200)
        return json_error(srv, con, rq, 400, "q is longer than 200 bytes");
    tg_status st = tg_suggest(w->s, q, SUGGEST_MAX, &v, &n);
    if (st)
        return json_error(srv, con, rq, search_status(st), tg_searcher_errmsg(w->s));
    tg_buf b = { 0 };
    st = tg_render_suggest_json(q, v, n, &b);
    tg_suggestions_free(v, n);
    if (st) {
        tg_buf_free(&b);
        return json_error(srv, con, rq, 500, tg_status_to_string(st));
    }
    return send_buf(srv, con, rq, 200, JSON_TYPE, &b, etag, 0);
}

static enum MHD_Result asset(struct tg_server *srv, struct MHD_Connection *con, tg_request *rq,
                             const char *name)
{
    /* Only these are served: templates stay private. */
    static const char *const public_assets[] = { "style.css", "app.js", "widget.js",
                                                 "favicon.svg" };
    const tg_asset *a = NULL;
    for (size_t i = 0; i < sizeof public_assets / sizeof *public_assets; i++)
        if (!strcmp(name, public_assets[i]))
            a = tg_asset_find(name);
    if (!a)
        return json_error(srv, con, rq, 404, "no such file");
    char etag[32];
    snprintf(etag, sizeof etag, "\"a%08x\"", assets_fingerprint());
    const char *inm = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    tg_reply_headers h = { .cors = 1, .cache = CACHE_STATIC, .etag = etag };
    if (inm && !strcmp(inm, etag))
        return tg_serve_respond(srv, con, rq, 304, NULL, NULL, 0, &h);
    char *copy = malloc(a->len ? a->len : 1);
    if (!copy)
        return json_error(srv, con, rq, 500, "out of memory");
    memcpy(copy, a->data, a->len);
    return tg_serve_respond(srv, con, rq, 200, a->mime, copy, a->len, &h);
}

enum MHD_Result tg_serve_route(struct tg_server *srv, struct MHD_Connection *con, tg_request *rq)
{
    if (!strcmp(rq->method, "OPTIONS")) {
        tg_reply_headers h = { .cors = 1, .allow = "GET, HEAD, OPTIONS" };
        return tg_serve_respond(srv, con, rq, 204, NULL, NULL, 0, &h);
    }
    if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) {
        tg_reply_headers h = { .allow = "GET, HEAD, OPTIONS" };
        static const char msg[] = "{\"error\":\"only GET and HEAD are served\"}";
        char *body = strdup(msg);
        return tg_serve_respond(srv, con, rq, 405, JSON_TYPE, body, body ? strlen(body) : 0, &h);
    }
    char *path = NULL, err[256];
    tg_params p;
    if (tg_params_parse(rq->uri, &path, &p, err, sizeof err)) {
        int api = !strncmp(rq->uri, "/api/", 5);
        if (api)
            return json_error(srv, con, rq, 400, err);
        return html_error(srv, con, rq, NULL, 400, err, NULL);
    }
    enum MHD_Result ret;
    if (!strncmp(path, "/static/", 8)) {
        ret = asset(srv, con, rq, path + 8);
        goto done;
    }
    if (!strcmp(path, "/widget.js")) {
        ret = asset(srv, con, rq, "widget.js");
        goto done;
    }
    int is_page = !strcmp(path, "/") || !strcmp(path, "/search");
    int is_article = !strncmp(path, "/article/", 9) && path[9];
    int is_api = !strncmp(path, "/api/", 5) || !strcmp(path, "/healthz");
    if (!is_page && !is_article && !is_api) {
        ret = json_error(srv, con, rq, 404, "no such page");
        goto done;
    }
    char werr[512];
    tg_worker *w = tg_serve_worker(srv, werr, sizeof werr);
    if (!w) {
        ret = is_api ? json_error(srv, con, rq, 503, werr)
                     : html_error(srv, con, rq, NULL, 503, werr, NULL);
        goto done;
    }
    char etag[80];
    uint64_t revision = tg_searcher_revision(w->s);
    /* A database swapped in at the path (a merge, a compaction) starts its
     * revisions again: the directory's inode tells the two apart in the
     * ETag and the cache. */
    snprintf(etag, sizeof etag, "\"r%llu.%llx-%08x\"", (unsigned long long)revision,
             (unsigned long long)w->ino, assets_fingerprint());
    const char *inm = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm && !strcmp(inm, etag) && strcmp(path, "/healthz")) {
        tg_reply_headers h = { .cors = 1, .cache = CACHE_DYNAMIC, .etag = etag };
        ret = tg_serve_respond(srv, con, rq, 304, NULL, NULL, 0, &h);
        goto done;
    }
    /* Everything but the health check may come from the cache. */
    rq->cacheable = strcmp(path, "/healthz") != 0;
    rq->revision = revision ^ ((uint64_t)w->ino << 32);
    char *body;
    size_t len;
    const char *mime;
    if (rq->cacheable &&
        tg_cache_get(tg_serve_cache(srv), rq->uri, rq->revision, &body, &len, &mime)) {
        int html = !strncmp(mime, "text/html", 9);
        tg_reply_headers h = { .html = html, .cors = !html, .cache = CACHE_DYNAMIC, .etag = etag };
        ret = tg_serve_respond(srv, con, rq, 200, mime, body, len, &h);
        goto done;
    }
    if (is_page) {
        ret = page_search(srv, con, rq, w, &p, etag);
    } else if (is_article) {
        ret = article(srv, con, rq, w, path + 9, &p, 0, etag);
    } else if (!strcmp(path, "/api/search")) {
        ret = api_search(srv, con, rq, w, &p, etag);
    } else if (!strcmp(path, "/api/suggest")) {
        ret = suggest(srv, con, rq, w, &p, etag);
    } else if (!strncmp(path, "/api/article/", 13) && path[13]) {
        ret = article(srv, con, rq, w, path + 13, &p, 1, etag);
    } else if (!strcmp(path, "/healthz")) {
        tg_buf b = { 0 };
        tg_buf_printf(&b, "{\"status\":\"ok\",\"articles\":%u,\"revision\":%llu}",
                      tg_searcher_doccount(w->s), (unsigned long long)revision);
        size_t blen = b.len;
        tg_reply_headers h = { .cache = "no-store" };
        ret = tg_serve_respond(srv, con, rq, 200, JSON_TYPE, tg_buf_steal(&b), blen, &h);
    } else {
        ret = json_error(srv, con, rq, 404, "no such API endpoint");
    }
done:
    free(path);
    tg_params_free(&p);
    return ret;
}
