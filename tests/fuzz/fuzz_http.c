/*
 * fuzz_http.c - the HTTP request path in process, without sockets: the
 * route handler (lib/serve_routes.c) with its URL and query-string
 * decoding (lib/serve_params.c), the searches and the rendering of pages
 * and JSON, over a small real index. This file stands in for the frame
 * (lib/serve.c, not linked): it gives the handler a worker and takes its
 * responses, which must be well formed: a known status, JSON that
 * parses, HTML that is valid UTF-8. The first input byte picks the
 * method and an If-None-Match header; the rest, up to a NUL, is the
 * request target as a client sent it.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "support.h"
#include "serve_int.h"
#include "tg_text.h"

struct tg_server { int unused; };
static struct tg_server server;
static tg_worker worker;
static tg_serve_opts opts;
static const char *if_none_match;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char err[512];
    worker.s = tg_searcher_open(tg_fuzz_index(), err, sizeof err);
    if (!worker.s) {
        fprintf(stderr, "fuzz_http: %s\n", err);
        exit(2);
    }
    worker.srv = &server;
    opts.timeout_ms = 2000;
    return 0;
}

/* ---- the frame's side of serve_int.h ----------------------------------- */
tg_worker *tg_serve_worker(struct tg_server *srv, char *errbuf, size_t errlen)
{
    (void)srv, (void)errbuf, (void)errlen;
    return &worker;
}
const tg_serve_opts *tg_serve_options(const struct tg_server *srv) { (void)srv; return &opts; }
const char *tg_serve_site(const struct tg_server *srv) { (void)srv; return "Fuzz <archive>"; }
tg_cache *tg_serve_cache(const struct tg_server *srv) { (void)srv; return NULL; }
int tg_serve_origin_allowed(const struct tg_server *srv, const char *origin)
{
    (void)srv, (void)origin;
    return 0;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *con, enum MHD_ValueKind kind,
                                        const char *key)
{
    (void)con, (void)kind;
    return !strcmp(key, MHD_HTTP_HEADER_IF_NONE_MATCH) ? if_none_match : NULL;
}

static int responses;

enum MHD_Result tg_serve_respond(struct tg_server *srv, struct MHD_Connection *con,
                                 tg_request *rq, unsigned status, const char *mime, char *body,
                                 size_t len, const tg_reply_headers *h)
{
    (void)srv, (void)con, (void)h;
    responses++;
    TG_FUZZ_CHECK(status == 200 || status == 204 || status == 304 || status == 400 ||
                  status == 404 || status == 405 || status == 503);
    /* Pages and JSON are text; assets are bytes, not NUL-terminated. */
    int text = mime && (!strncmp(mime, "application/json", 16) || !strncmp(mime, "text/html", 9));
    TG_FUZZ_CHECK(!body || !text || !memchr(body, '\0', len));
    if (body && mime && !strncmp(mime, "application/json", 16)) {
        json_error_t e;
        json_t *j = json_loadb(body, len, 0, &e);
        if (!j)
            fprintf(stderr, "bad JSON (%s) for %s:\n%.*s\n", e.text, rq->uri, (int)len, body);
        TG_FUZZ_CHECK(j);
        json_decref(j);
    }
    if (body && mime && !strncmp(mime, "text/html", 9) && !tg_utf8_valid(body, len)) {
        size_t at = tg_utf8_invalid_at(body, len);
        fprintf(stderr, "invalid UTF-8 at %zu of the page for %s: ...%.*s\n", at, rq->uri,
                (int)(at < 3000 ? at : 3000), body + at - (at < 3000 ? at : 3000));
        TG_FUZZ_CHECK(tg_utf8_valid(body, len));
    }
    /* Not found and server errors are not answered for bad requests. */
    TG_FUZZ_CHECK(status != 503);
    rq->status = status;
    rq->bytes = len;
    free(body);
    return MHD_YES;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    static const char *const methods[] = { "GET", "GET", "GET", "HEAD", "OPTIONS", "POST" };
    unsigned sel = data[0];
    tg_request rq;
    memset(&rq, 0, sizeof rq);
    rq.uri = strndup((const char *)data + 1, size - 1);
    rq.method = strdup(methods[sel % 6]);
    rq.version = strdup("HTTP/1.1");
    clock_gettime(CLOCK_MONOTONIC, &rq.t0);
    if_none_match = sel & 0x80 ? "\"r1-00000000\"" : NULL;
    responses = 0;
    tg_serve_route(&server, NULL, &rq);
    TG_FUZZ_CHECK(responses == 1);
    free(rq.uri);
    free(rq.method);
    free(rq.version);
    return 0;
}
