/*
 * serve.c - the HTTP server's frame: libmicrohttpd, per-thread searchers,
 * requests' lifetime, headers common to every response, the access log
 * (tg_serve.h). What each path answers is in serve_routes.c.
 *
 * A request's context is made in the URI callback (libmicrohttpd's first
 * sight of a request: it hands us the raw, undecoded target, which we
 * decode strictly ourselves) and freed in the completion callback, where
 * the access-log line is written with the status and size sent.
 */
#include "serve_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One open connection, for the header deadline (see sweep). */
typedef struct tg_conn {
    int fd;
    struct timespec since;    /* opened, or its last answer went out */
    int in_request;           /* its headers are in: a request is running */
    int cut;                  /* shut down by the sweeper */
    struct tg_conn *prev, *next;
} tg_conn;

struct tg_server {
    struct MHD_Daemon *daemon;
    tg_serve_opts opts;
    char *db;                 /* owned copy of the first database */
    char **dbs;               /* every database (owned), searched as one */
    size_t ndbs;
    char *lexicon;            /* owned copy of opts.shards.lexicon */
    char *site;
    pthread_mutex_t lock;     /* guards workers */
    tg_worker *workers;       /* every thread's searcher, closed at stop */
    unsigned port;
    tg_cache *cache;          /* NULL: off */
    /* Connections still sending a request line and headers are watched
     * by the sweeper thread: libmicrohttpd's timeout is one of idleness,
     * which a client sending a byte a second never reaches. */
    pthread_mutex_t conns_lock;   /* guards conns (and each tg_conn) */
    tg_conn *conns;
    pthread_t sweeper;
    int sweeper_running;
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    int stopping;
};

/* The searcher of the thread running this request. libmicrohttpd's
 * thread pool runs all of a connection's callbacks on one thread, and a
 * thread handles one request at a time, so the handle is never shared. */
static _Thread_local tg_worker *thread_worker;

/* The identity of the database directory now; 0 when it cannot be had. */
static int db_identity(const char *path, dev_t *dev, ino_t *ino)
{
    struct stat sb;
    if (stat(path, &sb))
        return 0;
    *dev = sb.st_dev;
    *ino = sb.st_ino;
    return 1;
}

/* A searcher over the server's databases, with its shard settings. */
static tg_searcher *open_searcher(tg_server *srv, char *errbuf, size_t errlen)
{
    tg_searcher_config cfg = srv->opts.shards;
    cfg.lexicon = srv->lexicon;
    return tg_searcher_open_multi((const char *const *)srv->dbs, srv->ndbs, &cfg, errbuf,
                                  errlen);
}

/* Opens the worker's searcher afresh (a database swapped in at the path:
 * the old handle's files are gone). Once more after a moment, should it
 * fall between the two renames that swap it in. */
static int worker_renew(tg_server *srv, tg_worker *w, char *errbuf, size_t errlen)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        if (attempt) {
            struct timespec ts = { 0, 50 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
        dev_t dev = 0;
        ino_t ino = 0;
        int known = db_identity(srv->db, &dev, &ino);
        tg_searcher *s = open_searcher(srv, errbuf, errlen);
        if (s) {
            tg_searcher_close(w->s);
            w->s = s;
            w->dev = known ? dev : 0;
            w->ino = known ? ino : 0;
            return 0;
        }
    }
    return -1;
}

tg_worker *tg_serve_worker(tg_server *srv, char *errbuf, size_t errlen)
{
    tg_worker *w = thread_worker;
    if (w && w->srv == srv) {
        dev_t dev;
        ino_t ino;
        /* Another directory at the path now (a parallel build merged, a
         * compaction): the old handle would read the old files, or fail. */
        if (db_identity(srv->db, &dev, &ino) && (dev != w->dev || ino != w->ino))
            return worker_renew(srv, w, errbuf, errlen) ? NULL : w;
        /* Picks up the indexer's commits: a look at the revision file,
         * cheap next to a search. */
        if (tg_searcher_reopen(w->s) == TG_OK)
            return w;
        if (worker_renew(srv, w, errbuf, errlen) == 0)
            return w;
        return NULL;
    }
    dev_t dev = 0;
    ino_t ino = 0;
    int known = db_identity(srv->db, &dev, &ino);
    tg_searcher *s = open_searcher(srv, errbuf, errlen);
    if (!s)
        return NULL;
    w = calloc(1, sizeof *w);
    if (!w) {
        tg_searcher_close(s);
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    w->s = s;
    w->srv = srv;
    w->dev = known ? dev : 0;
    w->ino = known ? ino : 0;
    pthread_mutex_lock(&srv->lock);
    w->next = srv->workers;
    srv->workers = w;
    pthread_mutex_unlock(&srv->lock);
    thread_worker = w;
    return w;
}

const tg_serve_opts *tg_serve_options(const tg_server *srv) { return &srv->opts; }
const char *tg_serve_site(const tg_server *srv) { return srv->site; }
tg_cache *tg_serve_cache(const tg_server *srv) { return srv->cache; }

/* ---- connections: the header deadline ---------------------------------- */

static double since_s(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void on_connection(void *cls, struct MHD_Connection *con, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    tg_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
        tg_conn *c = ci ? calloc(1, sizeof *c) : NULL;
        *socket_context = c;
        if (!c)
            return;   /* unwatched: the idle timeout still applies */
        c->fd = ci->connect_fd;
        clock_gettime(CLOCK_MONOTONIC, &c->since);
        pthread_mutex_lock(&srv->conns_lock);
        c->next = srv->conns;
        if (srv->conns)
            srv->conns->prev = c;
        srv->conns = c;
        pthread_mutex_unlock(&srv->conns_lock);
        return;
    }
    /* Closed: libmicrohttpd tells before it closes the socket, so the
     * sweeper (under the lock) never shuts down a reused descriptor. */
    tg_conn *c = *socket_context;
    *socket_context = NULL;
    if (!c)
        return;
    pthread_mutex_lock(&srv->conns_lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&srv->conns_lock);
    free(c);
}

/* in_request 1: a request's headers are in; 0: its answer went out, the
 * deadline starts again for the next request on the connection. */
static void conn_mark(tg_server *srv, struct MHD_Connection *con, int in_request)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    tg_conn *c = ci ? ci->socket_context : NULL;
    if (!c)
        return;
    pthread_mutex_lock(&srv->conns_lock);
    c->in_request = in_request;
    if (!in_request)
        clock_gettime(CLOCK_MONOTONIC, &c->since);
    pthread_mutex_unlock(&srv->conns_lock);
}

/* Twice a second: a connection whose request line and headers are not in
 * header_timeout_s after it opened (or after its last answer) is shut
 * down; libmicrohttpd then sees the end of the stream and closes it. */
static void *sweep(void *arg)
{
    tg_server *srv = arg;
    double limit = srv->opts.header_timeout_s;
    pthread_mutex_lock(&srv->stop_lock);
    while (!srv->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500 * 1000 * 1000;
        if (until.tv_nsec >= 1000 * 1000 * 1000) {
            until.tv_sec++;
            until.tv_nsec -= 1000 * 1000 * 1000;
        }
        pthread_cond_timedwait(&srv->stop_cond, &srv->stop_lock, &until);
        if (srv->stopping)
            break;
        pthread_mutex_lock(&srv->conns_lock);
        for (tg_conn *c = srv->conns; c; c = c->next)
            if (!c->in_request && !c->cut && since_s(&c->since) > limit) {
                shutdown(c->fd, SHUT_RDWR);
                c->cut = 1;
            }
        pthread_mutex_unlock(&srv->conns_lock);
    }
    pthread_mutex_unlock(&srv->stop_lock);
    return NULL;
}

/* ---- requests ----------------------------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    (void)cls;
    (void)con;
    tg_request *rq = calloc(1, sizeof *rq);
    if (rq) {
        rq->uri = strdup(uri);
        clock_gettime(CLOCK_MONOTONIC, &rq->t0);
        rq->t_wall = time(NULL);
    }
    return rq;
}

/* Appends s to the log line with quotes, backslashes and control bytes
 * escaped, so a request cannot forge log lines. */
static void log_escaped(tg_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
            tg_buf_printf(b, "\\x%02x", *p);
        else
            tg_buf_putc(b, (char)*p);
    }
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    tg_server *srv = cls;
    tg_request *rq = *con_cls;
    *con_cls = NULL;
    conn_mark(srv, con, 0);
    if (!rq)
        return;
    if (srv->opts.access_log && rq->method) {
        char host[INET6_ADDRSTRLEN] = "-";
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, host, sizeof host);
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, host,
                          sizeof host);
        }
        char when[64];
        struct tm tm;
        gmtime_r(&rq->t_wall, &tm);
        strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
        tg_buf line = { 0 };
        tg_buf_printf(&line, "%s - - [%s] \"%s ", host, when, rq->method);
        log_escaped(&line, rq->uri);
        tg_buf_printf(&line, " %s\" %u %zu%s\n", rq->version ? rq->version : "HTTP/1.0",
                      rq->status ? rq->status : 500, rq->bytes,
                      toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
        fputs(tg_buf_str(&line), srv->opts.access_log);
        fflush(srv->opts.access_log);
        tg_buf_free(&line);
    }
    free(rq->uri);
    free(rq->method);
    free(rq->version);
    free(rq);
}

int tg_serve_origin_allowed(const tg_server *srv, const char *origin)
{
    for (size_t i = 0; origin && i < srv->opts.ncors; i++)
        if (!strcmp(srv->opts.cors[i], "*") || !strcmp(srv->opts.cors[i], origin))
            return 1;
    return 0;
}

enum MHD_Result tg_serve_respond(tg_server *srv, struct MHD_Connection *con, tg_request *rq,
                                 unsigned status, const char *mime, char *body, size_t len,
                                 const tg_reply_headers *h)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, body, body ? MHD_RESPMEM_MUST_FREE
                                                        : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (mime)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, mime);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (h && h->html) {
        /* Everything the page uses comes from this server; no inline
         * script or style, so an injected one would not run. */
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                                "base-uri 'none'; frame-ancestors 'none'");
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    }
    if (h && h->cache)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, h->cache);
    if (h && h->etag)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, h->etag);
    if (h && h->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, h->allow);
    if (h && h->cors) {
        const char *origin =
            MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
        if (tg_serve_origin_allowed(srv, origin)) {
            MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
            MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
        }
        if (srv->opts.ncors)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Origin");
    }
    rq->status = status;
    rq->bytes = len;
    enum MHD_Result ret = MHD_queue_response(con, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)url;
    (void)upload_data;
    tg_server *srv = cls;
    tg_request *rq = *con_cls;
    if (!rq || !rq->uri)
        return MHD_NO;   /* out of memory: drop the connection */
    if (!rq->method) {
        conn_mark(srv, con, 1);
        rq->method = strdup(method);
        rq->version = strdup(version);
        if (!rq->method || !rq->version)
            return MHD_NO;
        /* The first call comes with the headers only: answering now would
         * make libmicrohttpd drop the request's (possible) body and close
         * the connection, so keep-alive needs the answer on the next call. */
        return MHD_YES;
    }
    /* A body is never wanted: let it pass unread, answer at its end. */
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    return tg_serve_route(srv, con, rq);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("searcher: http: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- start and stop ----------------------------------------------------- */

int tg_serve_parse_listen(const char *listen, void *storage, size_t *socklen, char *errbuf,
                          size_t errlen)
{
    char host[256] = "127.0.0.1";
    const char *port_s = listen;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host) {
            snprintf(errbuf, errlen, "'%s': want [IPV6]:PORT, such as [::1]:8080", listen);
            return -1;
        }
        memcpy(host, listen + 1, (size_t)(close - listen - 1));
        host[close - listen - 1] = '\0';
        port_s = close + 2;
    } else if (strchr(listen, ':')) {
        const char *colon = strrchr(listen, ':');
        if ((size_t)(colon - listen) >= sizeof host) {
            snprintf(errbuf, errlen, "'%s': address too long", listen);
            return -1;
        }
        if (colon > listen) {
            memcpy(host, listen, (size_t)(colon - listen));
            host[colon - listen] = '\0';
        }
        port_s = colon + 1;
    }
    char *end;
    errno = 0;
    long port = strtol(port_s, &end, 10);
    if (errno || end == port_s || *end || port < 0 || port > 65535) {
        snprintf(errbuf, errlen, "'%s': the port must be a number from 0 to 65535", listen);
        return -1;
    }
    if (!strcmp(host, "localhost"))
        strcpy(host, "127.0.0.1");
    struct sockaddr_in *v4 = storage;
    struct sockaddr_in6 *v6 = storage;
    memset(storage, 0, sizeof(struct sockaddr_storage));
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *socklen = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *socklen = sizeof *v6;
    } else {
        snprintf(errbuf, errlen, "'%s': '%s' is not an IP address (such as 127.0.0.1 or ::1)",
                 listen, host);
        return -1;
    }
    return 0;
}

static void free_server(tg_server *srv)
{
    while (srv->workers) {
        tg_worker *w = srv->workers;
        srv->workers = w->next;
        tg_searcher_close(w->s);
        free(w);
    }
    pthread_mutex_destroy(&srv->lock);
    pthread_mutex_destroy(&srv->conns_lock);
    pthread_mutex_destroy(&srv->stop_lock);
    pthread_cond_destroy(&srv->stop_cond);
    tg_cache_free(srv->cache);
    free(srv->db);
    for (size_t i = 0; i < srv->ndbs; i++)
        free(srv->dbs[i]);
    free(srv->dbs);
    free(srv->lexicon);
    free(srv->site);
    free(srv);
}

tg_server *tg_server_start(const tg_serve_opts *o, char *errbuf, size_t errlen)
{
    struct sockaddr_storage addr;
    size_t addrlen;
    if (tg_serve_parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &addr, &addrlen, errbuf,
                              errlen))
        return NULL;
    /* Open once here so that a missing or foreign database is an error at
     * start, not a 500 on the first request. */
    const char *const *dbs = o->dbs && o->ndbs ? o->dbs : &o->db;
    size_t ndbs = o->dbs && o->ndbs ? o->ndbs : 1;
    tg_searcher *probe = tg_searcher_open_multi(dbs, ndbs, &o->shards, errbuf, errlen);
    if (!probe)
        return NULL;
    if (tg_searcher_warning(probe))
        fprintf(stderr, "searcher: warning: %s\n", tg_searcher_warning(probe));
    tg_searcher_close(probe);

    tg_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&srv->lock, NULL);
    pthread_mutex_init(&srv->conns_lock, NULL);
    pthread_mutex_init(&srv->stop_lock, NULL);
    pthread_cond_init(&srv->stop_cond, NULL);
    srv->opts = *o;
    if (!srv->opts.header_timeout_s)
        srv->opts.header_timeout_s = 10;
    if (!srv->opts.idle_timeout_s)
        srv->opts.idle_timeout_s = 30;
    if (!srv->opts.max_connections)
        srv->opts.max_connections = 1024;
    if (!srv->opts.per_ip)
        srv->opts.per_ip = 64;
    srv->db = strdup(dbs[0]);
    srv->dbs = calloc(ndbs, sizeof *srv->dbs);
    for (size_t i = 0; srv->dbs && i < ndbs; i++)
        if ((srv->dbs[srv->ndbs] = strdup(dbs[i])))
            srv->ndbs++;
    int lex_lost = o->shards.lexicon && !(srv->lexicon = strdup(o->shards.lexicon));
    srv->site = strdup(o->site && *o->site ? o->site : "Archive search");
    if (!o->no_cache)
        srv->cache = tg_cache_new((size_t)(o->cache_mb ? o->cache_mb : 64) << 20);
    if (!srv->db || srv->ndbs != ndbs || lex_lost || !srv->site || (!o->no_cache && !srv->cache)) {
        free_server(srv);
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads ? o->threads : cores > 0 ? (unsigned)cores : 1;
    srv->opts.threads = threads;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
                     (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    else
        flags |= MHD_USE_POLL;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, srv,   /* first, to catch all */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, srv->opts.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, srv->opts.idle_timeout_s,
        /* One address cannot take every connection (0: no limit). */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        srv->opts.per_ip == TG_SERVE_UNLIMITED ? 0u : srv->opts.per_ip,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        /* A request line and headers past 32 KiB are refused (the query
         * itself is bounded far lower, in serve_params.c). */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_END);
    if (!srv->daemon) {
        snprintf(errbuf, errlen, "cannot listen on %s: %s", o->listen ? o->listen : "127.0.0.1:8080",
                 errno ? strerror(errno) : "address in use or not available");
        free_server(srv);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : 0;
    if (pthread_create(&srv->sweeper, NULL, sweep, srv)) {
        snprintf(errbuf, errlen, "cannot start a thread: %s", strerror(errno));
        MHD_stop_daemon(srv->daemon);
        free_server(srv);
        return NULL;
    }
    srv->sweeper_running = 1;
    return srv;
}

unsigned tg_server_port(const tg_server *srv) { return srv->port; }

void tg_server_stop(tg_server *srv, unsigned grace_ms)
{
    if (!srv)
        return;
    /* Stop accepting, then give requests in flight time to finish. */
    MHD_socket lsock = MHD_quiesce_daemon(srv->daemon);
    if (lsock != MHD_INVALID_SOCKET)
        close(lsock);
    for (unsigned waited = 0; waited < grace_ms; waited += 10) {
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!di || di->num_connections == 0)
            break;
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (srv->sweeper_running) {
        pthread_mutex_lock(&srv->stop_lock);
        srv->stopping = 1;
        pthread_cond_signal(&srv->stop_cond);
        pthread_mutex_unlock(&srv->stop_lock);
        pthread_join(srv->sweeper, NULL);
    }
    MHD_stop_daemon(srv->daemon);
    free_server(srv);
}
