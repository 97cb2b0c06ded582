/*
 * tg_serve.h - the HTTP server: a search page, an article page, a JSON API
 * and an embeddable widget over one Tigris database (libmicrohttpd).
 *
 * Each worker thread owns its read-only searcher (Xapian handles are never
 * shared between threads) and reopens it when the indexer has committed,
 * so new articles appear without a restart and a request never sees a
 * half-written index. The server only reads the database and the assets
 * compiled into the binary; it writes nothing. Routes and the API's fields
 * are documented in README.md ("Serving search to a website").
 */
#ifndef TG_SERVE_H
#define TG_SERVE_H

#include <stddef.h>
#include <stdio.h>
#include "tg_search.h"
#include "tg_status.h"

typedef struct tg_server tg_server;

/* tg_serve_opts.per_ip: no limit (behind a reverse proxy, every client
 * has the proxy's address). */
#define TG_SERVE_UNLIMITED 0xffffffffu

typedef struct tg_serve_opts {
    const char *db;             /* database path (when dbs is NULL) */
    const char *const *dbs;     /* or several, searched as one
                                   (tg_searcher_open_multi) */
    size_t ndbs;
    tg_searcher_config shards;  /* their shard timeout, lexicon, complete */
    const char *listen;         /* "[ADDR:]PORT": "8080", "127.0.0.1:8080",
                                   "[::1]:8080"; port 0 picks a free one
                                   (tg_server_port tells which) */
    unsigned threads;           /* worker threads (0: one per core) */
    FILE *access_log;           /* common log format, one line a request
                                   (NULL: none); not closed by the server */
    const char *const *cors;    /* origins allowed to call the API from a
                                   page of theirs ("*": any) */
    size_t ncors;
    unsigned timeout_ms;        /* deadline of one search (0: the library's) */
    unsigned max_connections;   /* open connections at once (0: 1024) */
    unsigned idle_timeout_s;    /* an idle connection is closed after (0: 30) */
    unsigned per_ip;            /* open connections from one client address
                                   (0: 64; TG_SERVE_UNLIMITED: no limit) */
    unsigned header_timeout_s;  /* a request's line and headers must have
                                   arrived this long after the connection
                                   opened or its previous answer went out,
                                   else it is closed (slow clients; 0: 10) */
    const char *site;           /* name in the page's header (NULL: "Archive search") */
    unsigned cache_mb;          /* answers kept for repeated requests, in MiB
                                   (0: 64); each is served only while the
                                   index is at the revision it was made at */
    int no_cache;               /* 1: compute every answer */
} tg_serve_opts;

/* Parses "[ADDR:]PORT" into a socket address; 0 or -1 with the reason in
 * errbuf. (Exposed for the command line's checks and for tests.) */
int tg_serve_parse_listen(const char *listen, void *sockaddr_storage, size_t *socklen,
                          char *errbuf, size_t errlen);

/* Opens the database once (to fail early, with the reason in errbuf),
 * binds and starts serving on background threads. NULL on failure. */
tg_server *tg_server_start(const tg_serve_opts *o, char *errbuf, size_t errlen);
/* The port it listens on. */
unsigned tg_server_port(const tg_server *srv);
/* Stops accepting connections, lets requests in flight finish (up to
 * grace_ms), stops the threads and frees everything. NULL is fine. */
void tg_server_stop(tg_server *srv, unsigned grace_ms);

#endif
