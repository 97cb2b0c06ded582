/*
 * serve_int.h - internals shared by the server's files (not installed):
 * serve.c (frame), serve_routes.c (what each path answers),
 * serve_params.c (strict decoding of the request target).
 */
#ifndef TG_SERVE_INT_H
#define TG_SERVE_INT_H

#include <microhttpd.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "tg_buf.h"
#include "tg_search.h"
#include "tg_serve.h"

/* One worker thread's searcher. */
typedef struct tg_worker {
    tg_searcher *s;
    dev_t dev;          /* the database directory it opened: when the path */
    ino_t ino;          /* names another (a merge or compaction swapped one
                           in), it opens afresh instead of reopening */
    struct tg_server *srv;
    struct tg_worker *next;
} tg_worker;

/* One request, from its first line to the access log. */
typedef struct tg_request {
    char *uri;          /* raw request target, as sent (owned) */
    char *method, *version;
    struct timespec t0;
    time_t t_wall;
    unsigned status;
    size_t bytes;
    int cacheable;      /* a 200 answer to this goes into the cache */
    uint64_t revision;  /* the index revision it was computed at */
} tg_request;

/* Headers beyond the common ones (NULL / 0: none). */
typedef struct tg_reply_headers {
    int html;           /* add the page's Content-Security-Policy */
    int cors;           /* add Access-Control-Allow-Origin for an allowed Origin */
    const char *cache;  /* Cache-Control */
    const char *etag;
    const char *allow;
} tg_reply_headers;

/* The calling thread's searcher, opened on first use and reopened at the
 * newest revision; NULL with the reason in errbuf. */
tg_worker *tg_serve_worker(struct tg_server *srv, char *errbuf, size_t errlen);
const tg_serve_opts *tg_serve_options(const struct tg_server *srv);
const char *tg_serve_site(const struct tg_server *srv);
int tg_serve_origin_allowed(const struct tg_server *srv, const char *origin);

/* Queues a response; body (malloc'd, or NULL for none) is consumed. */
enum MHD_Result tg_serve_respond(struct tg_server *srv, struct MHD_Connection *con,
                                 tg_request *rq, unsigned status, const char *mime, char *body,
                                 size_t len, const tg_reply_headers *h);

/* Answers rq (serve_routes.c). */
enum MHD_Result tg_serve_route(struct tg_server *srv, struct MHD_Connection *con, tg_request *rq);

/* ---- serve_cache.c: answers kept by request target and index revision. */
typedef struct tg_cache tg_cache;
/* A cache holding at most max_bytes (keys, bodies, bookkeeping); NULL on
 * no memory. */
tg_cache *tg_cache_new(size_t max_bytes);
void tg_cache_free(tg_cache *c);
/* 1 and a copy of the body (*body malloc'd, the caller's) when key was
 * answered at this revision; 0 otherwise. c NULL: 0. */
int tg_cache_get(tg_cache *c, const char *key, uint64_t revision, char **body, size_t *len,
                 const char **mime);
/* Keeps a copy of body for key at revision (mime: a static string). */
void tg_cache_put(tg_cache *c, const char *key, uint64_t revision, const char *mime,
                  const char *body, size_t len);
void tg_cache_stats(tg_cache *c, size_t *entries, size_t *bytes);
tg_cache *tg_serve_cache(const struct tg_server *srv);

/* ---- serve_params.c */

/* The parameters a search request may carry, decoded and checked. */
typedef struct tg_params {
    char *q, *from, *to, *tag, *sort;   /* owned; NULL when absent */
    unsigned page, size;                /* 0 when absent */
    int fragment;                       /* fragment=1 */
    int no_years, no_related;           /* years=0, related=0: leave them out */
    int literal;                        /* literal=1: words searched as typed */
    int partial;                        /* partial=1: the last word is still
                                           being typed (results as you type) */
    int have_page, have_size;
} tg_params;

/* Decodes s[0..len) ("%41+b" -> "A b" when plus_space), strictly: a
 * malformed escape, a NUL byte or invalid UTF-8 is an error (-1, reason
 * in errbuf). *out is malloc'd. */
int tg_url_decode(const char *s, size_t len, int plus_space, char **out, char *errbuf,
                  size_t errlen);
/* Splits the raw target into its path (decoded, *path owned) and
 * parameters; 0, or -1 with a message for the client in errbuf. */
int tg_params_parse(const char *uri, char **path, tg_params *p, char *errbuf, size_t errlen);
void tg_params_free(tg_params *p);

#endif
