/*
 * searcher - ranked passage search over a Tigris database.
 *
 * A thin driver over libtigris: parses options, runs tg_search, and prints
 * through the one output layer (text or JSON). --batch runs a query file
 * for relevance evaluation (TREC run format).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tg_buf.h"
#include "tg_output.h"
#include "tg_blockcache.h"
#include "tg_search.h"
#include "tg_serve.h"
#include "tigris.h"

enum { EXIT_NOMATCH = 1, EXIT_USAGE = 2, EXIT_DB = 3 };

static const char usage[] =
"Usage: searcher [OPTIONS] QUERY...\n"
"       searcher [OPTIONS] --batch FILE --trec TAG\n"
"       searcher [OPTIONS] --batch FILE --latency\n"
"       searcher [OPTIONS] --serve [ADDR:]PORT\n"
"Search a Tigris database; results are articles, each shown with its best\n"
"passage and the matched words highlighted.\n"
"\n"
"Query syntax:\n"
"  camp liberty          words (all count; more matches rank higher)\n"
"  \"Camp Liberty\"        a phrase: the words in order\n"
"  Hamas                 a capitalised word is a name: matched exactly,\n"
"                        a lower-case word also matches its other forms\n"
"  +Albania -Ashraf      + requires a word or phrase, - excludes it (from\n"
"                        every result, next to OR too; -Ashraf alone lists\n"
"                        every article without it)\n"
"  KH OR Hezbollah       either\n"
"  jdoe@cs.cmu.edu       an e-mail address or host name; a domain\n"
"                        (cmu.edu) finds every address in it\n"
"  title:Sadr            in the title; also author:, tag:, source: (notes\n"
"                        and bibliography), id:\n"
"  2015..2016            dates: a range of years, YYYY-MM or YYYY-MM-DD;\n"
"  date:2016-09          or one year, month or day\n"
"\n"
"Options:\n"
"  -d, --db DIR        database (default: $TIGRIS_DB or ./tigris.db); repeat\n"
"                      it to search several as one. DIR may also be a\n"
"                      sharded database folder, or a Xapian stub file\n"
"                      listing shards: auto PATH, remote HOST:PORT\n"
"                      (xapian-tcpsrv), remote :PROGRAM ARGS, and\n"
"                      \"# tigris-lexicon: PATH\" (README, \"Searching shards\")\n"
"  -n, --limit N       number of results (default 10)\n"
"      --offset K      skip the first K results (paging)\n"
"  -j, --json          print one JSON object (format in tigris(7))\n"
"  -p, --passages      rank the best passages across articles, no grouping\n"
"      --explain       show how the query was parsed and expanded (aliases,\n"
"                      spelling variants, names) and how each hit scored\n"
"  -r, --related[=N]   list the N (default 8) names that stand most often\n"
"                      in the best passages (\"Camp Liberty\": MEK, Albania)\n"
"      --from DATE     only articles dated on or after DATE (YYYY, YYYY-MM\n"
"                      or YYYY-MM-DD); --to DATE: on or before (inclusive:\n"
"                      --to 2016 takes all of 2016)\n"
"      --tag TAG       only articles with this tag (whole, any case)\n"
"      --sort ORDER    relevance (default) or date (newest first)\n"
"      --timeout MS    stop refining a search after MS milliseconds and show\n"
"                      what it found, with a warning (default 3000, at most\n"
"                      60000; the server uses it for every search)\n"
"\nShards (several --db, stub files, remote shard servers):\n"
"      --lexicon PATH  read names, aliases, spellings and settings from the\n"
"                      database at PATH (a stub's \"# tigris-lexicon:\" line\n"
"                      names one too): remote shards carry none of them\n"
"      --shard-timeout MS  wait at most MS milliseconds for a remote shard to\n"
"                      connect and for each of its answers (default 2000);\n"
"                      a shard that fails or is slower is left out and the\n"
"                      others answer: the results say partial (JSON\n"
"                      \"partial\": true, \"shards_failed\"; text: a line on\n"
"                      stderr)\n"
"      --shard-retry MS  a shard left out is tried again at the first search\n"
"                      MS milliseconds later (default 10000)\n"
"      --complete      fail (exit 3; the server answers 503) rather than\n"
"                      answer without a shard\n"
"\n"
"      --no-entities   plain BM25 on the words typed: no aliases, spelling\n"
"                      variants or names as phrases (for comparison)\n"
"      --literal       a word no article has is searched as typed, not as\n"
"                      the archive's nearest spelling (\"Showing results for\")\n"
"      --color WHEN    colour the matched words and titles: auto (default:\n"
"                      when standard output is a terminal and NO_COLOR is not\n"
"                      set), always or never\n"
"      --batch FILE    run the queries of FILE (qid<TAB>query per line)\n"
"      --trec TAG      with --batch: print a TREC run tagged TAG\n"
"  -k, --k N           with --batch: results per query (default 1000)\n"
"      --latency       with --batch: time the queries instead (top -n, with\n"
"                      snippets, as an interactive search); after one\n"
"                      warm-up pass over all queries, each is timed in-process\n"
"                      and one JSON line is printed:\n"
"                      {\"n\",\"p50_ms\",\"p95_ms\",\"p99_ms\",\"mean_ms\"}\n"
"                      (nearest-rank percentiles), the warm-up's p50 and\n"
"                      p99 (first_p50_ms, first_p99_ms: each query new to\n"
"                      the process), and the block cache's hits and misses\n"
"                      over both passes\n"
"      --latency-log FILE  with --batch: also write each query's time to FILE\n"
"                      (qid<TAB>ms<TAB>query; implies --latency)\n"
"\nServing search to a website (README, \"Serving search to a website\"):\n"
"      --serve [ADDR:]PORT  answer over HTTP: a search page at /, the JSON API\n"
"                      at /api/search, /api/suggest, /api/article/ID, a widget\n"
"                      at /widget.js (default 127.0.0.1:8080; port 0 picks a\n"
"                      free one). New commits of the indexer are seen without\n"
"                      a restart. Ctrl-C or SIGTERM stops it cleanly.\n"
"      --threads N     worker threads (default: one per core)\n"
"      --cors ORIGIN   let pages of ORIGIN (https://blog.example.org, or *)\n"
"                      call the API; repeat for several\n"
"      --access-log FILE  requests in the common log format (default stderr)\n"
"  -q, --quiet         no access log (with --serve); a search prints its\n"
"                      errors only, as always (for cron)\n"
"      --site NAME     name in the page's header (default \"Archive search\")\n"
"      --cache MB      keep answers to repeated requests, up to MB MiB (default\n"
"                      64; 0: compute every answer); a commit makes them stale\n"
"      --max-connections N  open connections at once (default 1024); more are\n"
"                      refused until some close\n"
"      --per-ip N      open connections from one address (default 64; 0: no\n"
"                      limit, for a server behind a reverse proxy)\n"
"      --idle-timeout S     close a connection idle for S seconds (default 30)\n"
"      --header-timeout S   close a connection whose request line and headers\n"
"                      are not in S seconds after it opened or after its last\n"
"                      answer (slow clients; default 10): also the longest a\n"
"                      kept-alive connection waits for its next request\n"
"\nRanking knobs (for evaluation; the defaults are measured, see README):\n"
"      --passage-weight W  share of the best passage's score (default 0.3)\n"
"      --rerank N          top articles scored by passage (default: the results\n"
"                          shown, at least 10; with --passages 30)\n"
"      --bm25 K1,B         BM25 parameters (default 1.2,0.6)\n"

"      --prf M,D,T,W[,C[,S]]  feedback for queries of M+ words: T stems from\n"
"                          the top D articles at weight W, of them those\n"
"                          scoring C deviations over the top 30's mean, each\n"
"                          counting (score / best score)^S (default\n"
"                          5,0,20,0.35,0,8; D 0: 4% of the archive (with\n"
"                          S 0: 1%), 3 to 10; W 0: off; C 0: all D)\n"
"      --qweight I,B       words of a query of 5+ words weigh by (idf / their\n"
"                          mean)^I times (burstiness / their mean)^B\n"
"                          (default 0.5,0.25; 0,0: all alike)\n"
"      --family N[,W]      a word of a query of 5+ words also matches the\n"
"                          commonest stem that extends or shortens its stem\n"
"                          by up to N letters (conductor, conduct), its own\n"
"                          stem adding the share W (default 3,0.2; N 0: off)\n"
"      --proximity P[,N]   a query of 5+ words: in the passages of the articles\n"
"                          re-ranked, two neighbouring words within N positions\n"
"                          add P times their idfs (default 0.25,8; P 0: off)\n"
"      --regularize M,K,A  a query of 5+ words: each of the top M articles'\n"
"                          scores moves the share A toward the mean of its\n"
"                          K most similar articles' among them (default\n"
"                          100,20,0.4; A 0: off)\n"
"      --block-cache MB  keep up to MB MiB of the index's blocks in memory\n"
"                      (default 64; 0: read every block from the file); a\n"
"                      commit empties it\n"
"      --stats         print what the database holds (articles, revision,\n"
"                      language, articles with a signature; with --json\n"
"                      one object) and exit\n"
"  -h, --help          this help\n"
"  -V, --version       version\n"
"\n"
"Limits: a query of at most 4096 bytes of UTF-8 and 1024 words;\n"
"expansions past 1024 terms are dropped (with a warning); --offset plus\n"
"--limit at most 100000 (README, \"Limits\").\n"
"\n"
"Exit status: 0 results found; 1 no results; 2 usage error (an option,\n"
"or a query over a limit or not UTF-8); 3 the database could not be\n"
"opened or searched (or, with --complete, a shard did not answer).\n"
"\n"
"Examples:\n"
"  searcher Kataib Hezbollah\n"
"  searcher '\"Camp Liberty\" 2016' --json\n"
"  searcher --batch cranfield.queries.tsv --trec tigris > run.txt\n"
"  searcher --batch latency.queries.tsv --latency\n"
"  searcher --serve 8080 --cors https://blog.example.org\n";

#define MAX_DBS 64

typedef struct cli {
    const char *db;            /* the first --db, for messages */
    const char *dbs[MAX_DBS];  /* every --db */
    size_t ndbs;
    tg_searcher_config shards; /* --lexicon, --shard-timeout, --complete */
    tg_search_opts so;
    tg_render_opts ro;
    int json;
    const char *batch, *trec;
    unsigned k;
    int latency;
    const char *latency_log;   /* --latency-log: per-query times */
    const char *serve;         /* --serve: [ADDR:]PORT */
    tg_serve_opts web;
    const char *cors[32];
    const char *access_log;
    int quiet;
    int stats;                 /* --stats: what the database holds */
    unsigned block_cache_mb;   /* --block-cache */
} cli;

/* The bound tg_search_opts_check puts on a weight (lib/search_limits.c),
 * checked here too so that the message names the option. */
#define MAX_PASSAGE_WEIGHT 100.0

/* A number from 0 to MAX_PASSAGE_WEIGHT into *out; -1 for anything else
 * ("abc", "0.3x", nan), so that a typo is not silently 0. */
static int parse_weight(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0 && v <= MAX_PASSAGE_WEIGHT))
        return -1;
    *out = v;
    return 0;
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > 1000000)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* A query file: qid<TAB>query per line. */
typedef struct qfile {
    char **ids, **queries;
    size_t n;
} qfile;

static void qfile_free(qfile *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->ids[i]);
        free(q->queries[i]);
    }
    free(q->ids);
    free(q->queries);
    memset(q, 0, sizeof *q);
}

/* Reads c->batch ("-": standard input) whole, so timing never includes
 * reading. A line without a tab is reported and skipped (*rc becomes
 * EXIT_USAGE). Returns 0, or an exit status when the file cannot be read. */
static int qfile_read(const cli *c, qfile *q, int *rc)
{
    memset(q, 0, sizeof *q);
    FILE *f = strcmp(c->batch, "-") ? fopen(c->batch, "r") : stdin;
    if (!f) {
        fprintf(stderr, "searcher: %s: %s\n", c->batch, strerror(errno));
        return EXIT_USAGE;
    }
    char *line = NULL;
    size_t cap = 0, capq = 0, capqs = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int status = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!n)
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "searcher: %s:%lu: no tab between query id and query; skipped\n",
                    c->batch, lineno);
            *rc = EXIT_USAGE;
            continue;
        }
        *tab = '\0';
        if (TG_ARRAY_RESERVE(q->ids, capq, q->n + 1) ||
            TG_ARRAY_RESERVE(q->queries, capqs, q->n + 1)) {
            status = EXIT_DB;
            break;
        }
        q->ids[q->n] = strdup(line);
        q->queries[q->n] = strdup(tab + 1);
        if (!q->ids[q->n] || !q->queries[q->n]) {
            free(q->ids[q->n]);
            free(q->queries[q->n]);
            status = EXIT_DB;
            break;
        }
        q->n++;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    if (status) {
        fputs("searcher: out of memory\n", stderr);
        qfile_free(q);
    }
    return status;
}

static int run_batch(tg_searcher *s, const cli *c)
{
    qfile q;
    int rc = 0, st = qfile_read(c, &q, &rc);
    if (st)
        return st;
    tg_search_opts so = c->so;
    so.offset = 0;
    so.limit = c->k;
    so.snippets = 0;
    for (size_t i = 0; i < q.n; i++) {
        tg_results *r;
        tg_status sst = tg_search(s, q.queries[i], &so, &r);
        if (sst == TG_ERR_LIMIT || sst == TG_ERR_ARG) {
            /* the query's fault, not the database's: the run goes on */
            fprintf(stderr, "searcher: %s: query %s: %s; skipped\n", c->batch, q.ids[i],
                    tg_searcher_errmsg(s));
            rc = EXIT_USAGE;
            continue;
        }
        if (sst) {
            fprintf(stderr, "searcher: %s: query %s: %s\n", c->batch, q.ids[i], tg_searcher_errmsg(s));
            rc = EXIT_DB;
            break;
        }
        for (size_t h = 0; h < r->nhits; h++)
            printf("%s Q0 %s %zu %.6f %s\n", q.ids[i], r->hits[h].id, h + 1, r->hits[h].score, c->trec);
        tg_results_free(r);
    }
    qfile_free(&q);
    return rc;
}

static double elapsed_ms(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n-1], n > 0. */
static double percentile(const double *v, size_t n, unsigned p)
{
    size_t rank = (p * n + 99) / 100;   /* ceil(p/100 * n) */
    return v[rank ? rank - 1 : 0];
}

/* --batch FILE --latency: reads all queries first, runs them once to warm
 * the caches, then times each tg_search (top -n, snippets on, as an
 * interactive search) and prints one JSON line of nearest-rank
 * percentiles in milliseconds. */
static int run_latency(tg_searcher *s, const cli *c)
{
    qfile q;
    int rc = 0, st = qfile_read(c, &q, &rc);
    if (st)
        return st;
    size_t nq = q.n;
    tg_search_opts so = c->so;
    so.snippets = 1;
    /* ms: the timed pass; ms0: the warm-up, where each query is new to
     * the process (no memo, no cached blocks of its own). */
    double *ms = nq ? malloc(nq * sizeof *ms) : NULL, *ms0 = nq ? malloc(nq * sizeof *ms0) : NULL;
    if (nq && (!ms || !ms0)) {
        free(ms);
        free(ms0);
        fputs("searcher: out of memory\n", stderr);
        qfile_free(&q);
        return EXIT_DB;
    }
    for (int pass = 0; pass < 2 && rc != EXIT_DB; pass++) {
        for (size_t i = 0; i < nq; i++) {
            struct timespec t0, t1;
            tg_results *r = NULL;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            tg_status sst = tg_search(s, q.queries[i], &so, &r);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            if (sst == TG_ERR_LIMIT || sst == TG_ERR_ARG) {
                fprintf(stderr, "searcher: %s: query '%.60s': %s\n", c->batch, q.queries[i],
                        tg_searcher_errmsg(s));
                rc = EXIT_USAGE;
                break;
            }
            if (sst) {
                fprintf(stderr, "searcher: %s: query '%s': %s\n", c->batch, q.queries[i],
                        tg_searcher_errmsg(s));
                rc = EXIT_DB;
                break;
            }
            tg_results_free(r);
            (pass == 1 ? ms : ms0)[i] = elapsed_ms(&t0, &t1);
        }
    }
    if (rc != EXIT_DB && c->latency_log) {
        FILE *f = fopen(c->latency_log, "w");
        for (size_t i = 0; f && i < nq; i++)
            fprintf(f, "%s\t%.4f\t%s\n", q.ids[i], ms[i], q.queries[i]);
        if (!f || fclose(f)) {
            fprintf(stderr, "searcher: %s: %s\n", c->latency_log, strerror(errno));
            rc = EXIT_USAGE;
        }
    }
    if (rc != EXIT_DB) {
        double sum = 0.0;
        for (size_t i = 0; i < nq; i++)
            sum += ms[i];
        if (nq) {
            qsort(ms, nq, sizeof *ms, cmp_double);
            qsort(ms0, nq, sizeof *ms0, cmp_double);
        }
        tg_blockcache_stats bs;
        tg_blockcache_get_stats(&bs);
        printf("{\"n\":%zu,\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"mean_ms\":%.4f,"
               "\"first_p50_ms\":%.4f,\"first_p99_ms\":%.4f,"
               "\"block_hits\":%llu,\"block_misses\":%llu}\n",
               nq, nq ? percentile(ms, nq, 50) : 0.0, nq ? percentile(ms, nq, 95) : 0.0,
               nq ? percentile(ms, nq, 99) : 0.0, nq ? sum / (double)nq : 0.0,
               nq ? percentile(ms0, nq, 50) : 0.0, nq ? percentile(ms0, nq, 99) : 0.0,
               (unsigned long long)bs.hits, (unsigned long long)bs.misses);
    }
    free(ms);
    free(ms0);
    qfile_free(&q);
    return rc;
}

/* --serve: runs the HTTP server until SIGINT or SIGTERM. The signals are
 * blocked before the server's threads start (they inherit the mask) and
 * taken here with sigwait, so a request never runs into a handler. */
static int run_server(cli *c)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    FILE *log = NULL;
    if (!c->quiet) {
        log = c->access_log && strcmp(c->access_log, "-") ? fopen(c->access_log, "a") : stderr;
        if (!log) {
            fprintf(stderr, "searcher: --access-log %s: %s\n", c->access_log, strerror(errno));
            return EXIT_USAGE;
        }
    }
    c->web.db = c->db;
    c->web.dbs = c->dbs;
    c->web.ndbs = c->ndbs;
    c->web.shards = c->shards;
    c->web.listen = c->serve;
    c->web.access_log = log;
    c->web.timeout_ms = c->so.timeout_ms;
    char err[512];
    tg_server *srv = tg_server_start(&c->web, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "searcher: %s\n", err);
        if (log && log != stderr)
            fclose(log);
        return access(c->db, F_OK) != 0 || strstr(err, "database") ? EXIT_DB : EXIT_USAGE;
    }
    const char *host = "127.0.0.1";
    char hostbuf[256];
    const char *colon = strrchr(c->serve, ':');
    if (colon && colon > c->serve) {
        snprintf(hostbuf, sizeof hostbuf, "%.*s", (int)(colon - c->serve), c->serve);
        host = !strcmp(hostbuf, "0.0.0.0") || !strcmp(hostbuf, "[::]") ? "localhost" : hostbuf;
    }
    printf("Serving %s at http://%s:%u/  (Ctrl-C stops)\n", c->db, host, tg_server_port(srv));
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "searcher: %s: finishing requests in flight, then stopping\n",
            sig == SIGINT ? "interrupted" : "terminated");
    tg_server_stop(srv, 2000);
    if (log && log != stderr)
        fclose(log);
    return 0;
}

enum { O_NOENT = 200, O_PRF, O_QWEIGHT, O_FAMILY, O_PROXIMITY, O_REGULARIZE, O_LITERAL, O_OFFSET = 256, O_EXPLAIN, O_COLOR, O_BATCH, O_TREC,
       O_PW, O_RERANK, O_BM25, O_LATENCY, O_LATENCY_LOG, O_SERVE, O_THREADS, O_CORS,
       O_ACCESS_LOG, O_SITE, O_FROM, O_TO, O_TAG, O_SORT, O_TIMEOUT, O_CACHE, O_STATS,
       O_BLOCK_CACHE,
       O_MAXCONN, O_PERIP, O_IDLE, O_HEADER_TIMEOUT, O_LEXICON, O_SHARD_TIMEOUT, O_COMPLETE,
       O_SHARD_RETRY };

/* What set_number and set_tuning return for an option not theirs. */
#define NOT_MINE (-2)

/* An option that takes a number into c. Returns -1 when done, EXIT_USAGE
 * for a bad value (the message names the option), or NOT_MINE. */
static int set_number(int opt, const char *arg, cli *c)
{
    switch (opt) {
    case 'n':
        if (parse_uint(arg, &c->so.limit) || !c->so.limit) {
            fprintf(stderr, "searcher: -n: '%s' is not a number from 1 to 1000000\n", arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_OFFSET:
        if (parse_uint(arg, &c->so.offset)) {
            fprintf(stderr, "searcher: --offset: '%s' is not a number\n", arg);
            return EXIT_USAGE;
        }
        return -1;
    case 'k':
        if (parse_uint(arg, &c->k) || !c->k) {
            fprintf(stderr, "searcher: -k: '%s' is not a number from 1 to 1000000\n", arg);
            return EXIT_USAGE;
        }
        return -1;
    case 'r':
        c->so.related = 8;
        if (arg && (parse_uint(arg, &c->so.related) || !c->so.related)) {
            fprintf(stderr, "searcher: --related: '%s' is not a number from 1 up\n", arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_PW:
        if (parse_weight(arg, &c->so.passage_weight)) {
            fprintf(stderr, "searcher: --passage-weight: a number from 0 to %g, not '%s'\n",
                    MAX_PASSAGE_WEIGHT, arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_SHARD_TIMEOUT:
        if (parse_uint(arg, &c->shards.shard_timeout_ms) || !c->shards.shard_timeout_ms) {
            fprintf(stderr, "searcher: --shard-timeout: '%s' is not a number of milliseconds\n",
                    arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_SHARD_RETRY:
        if (parse_uint(arg, &c->shards.retry_ms) || !c->shards.retry_ms) {
            fprintf(stderr, "searcher: --shard-retry: '%s' is not a number of milliseconds\n",
                    arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_RERANK:
        if (parse_uint(arg, &c->so.rerank)) {
            fprintf(stderr, "searcher: --rerank: '%s' is not a number\n", arg);
            return EXIT_USAGE;
        }
        return -1;
    default:
        return NOT_MINE;
    }
}

/* The tuning options of several numbers, and the server's numbers; as
 * set_number. */
static int set_tuning(int opt, const char *arg, cli *c)
{
    int n;
    switch (opt) {
    case O_PRF:
        n = sscanf(arg, "%u,%u,%u,%lf,%lf,%lf", &c->so.prf_min_words, &c->so.prf_docs,
                   &c->so.prf_terms, &c->so.prf_weight, &c->so.prf_clarity, &c->so.prf_sharpness);
        if (n < 4) {
            fprintf(stderr, "searcher: --prf: want MINWORDS,DOCS,TERMS,WEIGHT[,CUT[,SHARPNESS]] "
                    "such as 5,10,20,0.5\n");
            return EXIT_USAGE;
        }
        return -1;
    case O_QWEIGHT:
        if (sscanf(arg, "%lf,%lf", &c->so.qw_idf, &c->so.qw_burst) != 2 || c->so.qw_idf < 0 ||
            c->so.qw_burst < 0) {
            fprintf(stderr, "searcher: --qweight: want IDF,BURST such as 0.35,0.25\n");
            return EXIT_USAGE;
        }
        return -1;
    case O_FAMILY: {
        char *end;
        long v = strtol(arg, &end, 10);
        double own = -1;
        if (end != arg && *end == ',') {
            char *num = end + 1;
            own = strtod(num, &end);
            if (end == num || own < 0 || own > 1)
                end = num - 1;   /* refused below */
        }
        if (end == arg || *end || v < 0 || v > 16) {
            fprintf(stderr, "searcher: --family: want a number of letters, 0 to 16, and "
                    "optionally the own stem's share, 0 to 1, such as 3 or 3,0.2\n");
            return EXIT_USAGE;
        }
        c->so.family = (int)v;
        if (own >= 0)
            c->so.family_own = own;
        return -1;
    }
    case O_PROXIMITY: {
        unsigned window = 0;
        int got = sscanf(arg, "%lf,%u", &c->so.proximity, &window);
        if (got < 1 || c->so.proximity < 0 || c->so.proximity > 10 ||
            (got == 2 && (window < 1 || window > 64)) || strspn(arg, "0123456789.,") != strlen(arg)) {
            fprintf(stderr, "searcher: --proximity: want a weight, 0 to 10, and optionally a "
                    "window of 1 to 64 positions, such as 0.25 or 0.25,8\n");
            return EXIT_USAGE;
        }
        c->so.proximity_window = window;
        return -1;
    }
    case O_REGULARIZE:
        if (sscanf(arg, "%u,%u,%lf", &c->so.reg_docs, &c->so.reg_neighbours, &c->so.reg_weight) != 3 ||
            c->so.reg_weight < 0 || c->so.reg_weight > 1) {
            fprintf(stderr, "searcher: --regularize: want ARTICLES,NEIGHBOURS,WEIGHT such as "
                    "50,10,0.3 (weight 0 to 1; 0: off)\n");
            return EXIT_USAGE;
        }
        return -1;
    case O_BM25:
        if (sscanf(arg, "%lf,%lf", &c->so.k1, &c->so.b) != 2 || c->so.k1 < 0 || c->so.b < 0) {
            fprintf(stderr, "searcher: --bm25: want K1,B such as 1.2,0.75\n");
            return EXIT_USAGE;
        }
        return -1;
    case O_THREADS:
        if (parse_uint(arg, &c->web.threads) || !c->web.threads || c->web.threads > 256) {
            fprintf(stderr, "searcher: --threads: '%s' is not a number from 1 to 256\n", arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_CACHE:
        if (parse_uint(arg, &c->web.cache_mb) || c->web.cache_mb > 65536) {
            fprintf(stderr, "searcher: --cache: '%s' is not a number of MiB from 0 to 65536\n",
                    arg);
            return EXIT_USAGE;
        }
        c->web.no_cache = c->web.cache_mb == 0;
        return -1;
    case O_TIMEOUT:
        if (parse_uint(arg, &c->so.timeout_ms) || !c->so.timeout_ms) {
            fprintf(stderr, "searcher: --timeout: '%s' is not a number of milliseconds\n", arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_MAXCONN:
        if (parse_uint(arg, &c->web.max_connections) || !c->web.max_connections ||
            c->web.max_connections > 65536) {
            fprintf(stderr, "searcher: --max-connections: a number from 1 to 65536, not '%s'\n",
                    arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_PERIP:
        if (parse_uint(arg, &c->web.per_ip) || c->web.per_ip > 65536) {
            fprintf(stderr, "searcher: --per-ip: a number from 0 (no limit) to 65536, not "
                    "'%s'\n", arg);
            return EXIT_USAGE;
        }
        if (!c->web.per_ip)
            c->web.per_ip = TG_SERVE_UNLIMITED;
        return -1;
    case O_IDLE:
    case O_HEADER_TIMEOUT: {
        unsigned v;
        if (parse_uint(arg, &v) || !v || v > 3600) {
            fprintf(stderr, "searcher: --%s: a number of seconds from 1 to 3600, not '%s'\n",
                    opt == O_IDLE ? "idle-timeout" : "header-timeout", arg);
            return EXIT_USAGE;
        }
        *(opt == O_IDLE ? &c->web.idle_timeout_s : &c->web.header_timeout_s) = v;
        return -1;
    }
    default:
        return NOT_MINE;
    }
}

/* "--serve 8080" as well as "--serve=8080"; bare: the default. Takes the
 * next argument when it looks like an address. */
static const char *serve_address(const char *arg, int argc, char **argv)
{
    if (!arg && optind < argc && argv[optind][0] != '-' &&
        strspn(argv[optind], "0123456789.:[]abcdefABCDEFlocalhost") == strlen(argv[optind]) &&
        strpbrk(argv[optind], "0123456789"))
        arg = argv[optind++];
    return arg ? arg : "127.0.0.1:8080";
}

/* One option into c (or *color). Returns -1 to go on, else the exit
 * status (0 after --help or --version). */
static int set_option(int opt, const char *arg, cli *c, int *color, int argc, char **argv)
{
    int rc;
    if ((rc = set_number(opt, arg, c)) != NOT_MINE || (rc = set_tuning(opt, arg, c)) != NOT_MINE)
        return rc;
    switch (opt) {
    case 'd':
        if (c->ndbs == MAX_DBS) {
            fprintf(stderr, "searcher: --db: at most %d (list more in a stub file)\n", MAX_DBS);
            return EXIT_USAGE;
        }
        c->dbs[c->ndbs++] = arg;
        break;
    case O_LEXICON: c->shards.lexicon = arg; break;
    case O_COMPLETE: c->shards.complete = 1; break;
    case 'j': c->json = 1; break;
    case 'p': c->so.passages = 1; break;
    case O_EXPLAIN: c->ro.explain = c->so.explain = 1; break;
    case O_COLOR:
        if (!strcmp(arg, "always")) *color = 1;
        else if (!strcmp(arg, "never")) *color = 0;
        else if (strcmp(arg, "auto")) {
            fprintf(stderr, "searcher: --color: auto, always or never, not '%s'\n", arg);
            return EXIT_USAGE;
        }
        break;
    case O_BATCH: c->batch = arg; break;
    case O_TREC: c->trec = arg; break;
    case O_LATENCY: c->latency = 1; break;
    case O_LATENCY_LOG: c->latency = 1; c->latency_log = arg; break;
    case O_NOENT: c->so.no_entities = 1; break;
    case O_LITERAL: c->so.literal = 1; break;
    case O_STATS: c->stats = 1; break;
    case O_BLOCK_CACHE:
        if (parse_uint(arg, &c->block_cache_mb) || c->block_cache_mb > 65536) {
            fprintf(stderr, "searcher: --block-cache: '%s' is not a number of MiB from 0 to 65536\n",
                    arg);
            return EXIT_USAGE;
        }
        return -1;
    case O_FROM: c->so.date_from = arg; break;
    case O_TO: c->so.date_to = arg; break;
    case O_TAG: c->so.tag = arg; break;
    case O_SORT:
        if (strcmp(arg, "date") && strcmp(arg, "relevance")) {
            fprintf(stderr, "searcher: --sort: date or relevance\n");
            return EXIT_USAGE;
        }
        c->so.sort_date = !strcmp(arg, "date");
        break;
    case O_SERVE: c->serve = serve_address(arg, argc, argv); break;
    case O_CORS:
        if (c->web.ncors == sizeof c->cors / sizeof c->cors[0]) {
            fputs("searcher: --cors: at most 32 origins\n", stderr);
            return EXIT_USAGE;
        }
        c->cors[c->web.ncors++] = arg;
        c->web.cors = c->cors;
        break;
    case O_ACCESS_LOG: c->access_log = arg; break;
    case 'q': c->quiet = 1; break;
    case O_SITE: c->web.site = arg; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V':
        printf("searcher (tigris) %s, xapian %s\n", tigris_version(), tigris_xapian_version());
        return 0;
    default:
        fputs("Try 'searcher --help'.\n", stderr);
        return EXIT_USAGE;
    }
    return -1;
}

/* Options that go together, or not. Returns -1 when they do, else
 * EXIT_USAGE. */
static int check_modes(const cli *c, int queries)
{
    const char *bad = NULL;
    if (c->latency && !c->batch)
        bad = "searcher: --latency needs --batch FILE (the queries to time)\n";
    else if (c->latency && c->trec)
        bad = "searcher: --latency and --trec exclude each other\n";
    else if (c->batch && !c->trec && !c->latency)
        bad = "searcher: --batch needs --trec TAG (the run's name) or --latency\n";
    else if (c->serve && (queries || c->batch))
        bad = "searcher: --serve takes no query and no --batch\n";
    else if (c->stats && (queries || c->batch))
        bad = "searcher: --stats takes no query and no --batch\n";
    else if (!c->serve && !c->batch && !c->stats && !queries)
        bad = "searcher: no query given\nTry 'searcher --help'.\n";
    if (bad)
        fputs(bad, stderr);
    return bad ? EXIT_USAGE : -1;
}

/* The command line into c. Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, cli *c)
{
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' },
        { "limit", required_argument, NULL, 'n' },
        { "offset", required_argument, NULL, O_OFFSET },
        { "json", no_argument, NULL, 'j' },
        { "passages", no_argument, NULL, 'p' },
        { "explain", no_argument, NULL, O_EXPLAIN },
        { "related", optional_argument, NULL, 'r' },
        { "no-entities", no_argument, NULL, O_NOENT },
        { "literal", no_argument, NULL, O_LITERAL },
        { "color", required_argument, NULL, O_COLOR },
        { "batch", required_argument, NULL, O_BATCH },
        { "trec", required_argument, NULL, O_TREC },
        { "k", required_argument, NULL, 'k' },
        { "latency", no_argument, NULL, O_LATENCY },
        { "latency-log", required_argument, NULL, O_LATENCY_LOG },
        { "passage-weight", required_argument, NULL, O_PW },
        { "rerank", required_argument, NULL, O_RERANK },
        { "bm25", required_argument, NULL, O_BM25 },
        { "prf", required_argument, NULL, O_PRF },
        { "qweight", required_argument, NULL, O_QWEIGHT },
        { "family", required_argument, NULL, O_FAMILY },
        { "proximity", required_argument, NULL, O_PROXIMITY },
        { "regularize", required_argument, NULL, O_REGULARIZE },
        { "serve", optional_argument, NULL, O_SERVE },
        { "threads", required_argument, NULL, O_THREADS },
        { "cors", required_argument, NULL, O_CORS },
        { "access-log", required_argument, NULL, O_ACCESS_LOG },
        { "quiet", no_argument, NULL, 'q' },
        { "site", required_argument, NULL, O_SITE },
        { "from", required_argument, NULL, O_FROM },
        { "to", required_argument, NULL, O_TO },
        { "tag", required_argument, NULL, O_TAG },
        { "sort", required_argument, NULL, O_SORT },
        { "timeout", required_argument, NULL, O_TIMEOUT },
        { "cache", required_argument, NULL, O_CACHE },
        { "stats", no_argument, NULL, O_STATS },
        { "block-cache", required_argument, NULL, O_BLOCK_CACHE },
        { "max-connections", required_argument, NULL, O_MAXCONN },
        { "per-ip", required_argument, NULL, O_PERIP },
        { "idle-timeout", required_argument, NULL, O_IDLE },
        { "header-timeout", required_argument, NULL, O_HEADER_TIMEOUT },
        { "lexicon", required_argument, NULL, O_LEXICON },
        { "shard-timeout", required_argument, NULL, O_SHARD_TIMEOUT },
        { "complete", no_argument, NULL, O_COMPLETE },
        { "shard-retry", required_argument, NULL, O_SHARD_RETRY },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 } };
    c->db = getenv("TIGRIS_DB");
    if (!c->db || !*c->db)
        c->db = "tigris.db";
    /* NO_COLOR (no-color.org): set and not empty turns colour off; --color
     * decides over it. */
    const char *nc = getenv("NO_COLOR");
    int color = isatty(STDOUT_FILENO) && !(nc && *nc);
    int opt, rc;
    while ((opt = getopt_long(argc, argv, "d:n:jpk:r::qhV", longopts, NULL)) != -1)
        if ((rc = set_option(opt, optarg, c, &color, argc, argv)) >= 0)
            return rc;
    c->ro.color = color;
    if (c->ndbs)
        c->db = c->dbs[0];
    else
        c->dbs[c->ndbs++] = c->db;
    return check_modes(c, optind < argc);
}

/* The words of argv[first..argc) as one query, searched and printed.
 * Returns the exit status. */
static int search_once(tg_searcher *s, const cli *c, int argc, char **argv, int first)
{
    tg_buf q = { 0 }, out = { 0 };
    for (int i = first; i < argc; i++)
        if ((i > first && tg_buf_putc(&q, ' ')) || tg_buf_puts(&q, argv[i])) {
            fputs("searcher: out of memory\n", stderr);
            tg_buf_free(&q);
            return EXIT_DB;
        }
    tg_results *r = NULL;
    int rc;
    tg_status st = tg_search(s, tg_buf_str(&q), &c->so, &r);
    if (st) {
        fprintf(stderr, "searcher: %s\n", tg_searcher_errmsg(s));
        /* a query over a limit, or not UTF-8, is a usage error */
        rc = st == TG_ERR_LIMIT || st == TG_ERR_ARG ? EXIT_USAGE : EXIT_DB;
    } else if ((st = c->json ? tg_render_json(r, &c->ro, &out) : tg_render_text(r, &c->ro, &out))) {
        fprintf(stderr, "searcher: %s\n", tg_status_to_string(st));
        rc = EXIT_DB;
    } else {
        fputs(tg_buf_str(&out), stdout);
        if (c->json)
            putchar('\n');
        for (size_t i = 0; i < r->nshards_failed; i++)
            fprintf(stderr, "searcher: partial results: shard %s failed: %s\n",
                    r->shards_failed[i].shard, r->shards_failed[i].error);
        rc = r->nhits ? 0 : EXIT_NOMATCH;
    }
    tg_buf_free(&out);
    tg_results_free(r);
    tg_buf_free(&q);
    return rc;
}

/* --stats: the articles of the last commit (the index as searches see
 * it), the revision, the language and how many carry a signature. */
static int print_stats(tg_searcher *s, const cli *c)
{
    uint32_t n = tg_searcher_doccount(s), sigs = tg_searcher_signatures(s);
    unsigned long long rev = (unsigned long long)tg_searcher_revision(s);
    if (c->json)
        printf("{\"articles\":%u,\"revision\":%llu,\"language\":\"%s\",\"signatures\":%u}\n", n,
               rev, tg_searcher_lang(s), sigs);
    else
        printf("articles %u\nrevision %llu\nlanguage %s\nsignatures %u\n", n, rev,
               tg_searcher_lang(s), sigs);
    /* an index older than signatures searches right, only slower */
    if (sigs < n)
        fprintf(stderr, "searcher: note: %u of the %u articles were indexed before articles carried "
                "signatures: queries of 5+ words compare them by their term lists, slower; "
                "indexing the archive into a new database gives every article one\n", n - sigs, n);
    return 0;
}

int main(int argc, char **argv)
{
    cli c = { .so = TG_SEARCH_OPTS_DEFAULT, .k = 1000, .block_cache_mb = TG_BLOCKCACHE_DEFAULT_MIB };
    int rc = parse_options(argc, argv, &c);
    if (rc >= 0)
        return rc;
    /* Before any database is opened: only tables opened while the cache is
     * on are cached. Without the memory, search on uncached. */
    if (c.block_cache_mb && tg_blockcache_configure((size_t)c.block_cache_mb << 20))
        fprintf(stderr, "searcher: warning: no memory for a %u MiB block cache; reading "
                        "every block from the file\n", c.block_cache_mb);
    if (c.serve)
        return run_server(&c);
    char err[512];
    /* The library's own check of the ranges (tg_search repeats it). */
    tg_search_opts checked = c.so;
    if (c.batch && !c.latency) {
        checked.offset = 0;
        checked.limit = c.k;
    }
    if (tg_search_opts_check(&checked, err, sizeof err)) {
        fprintf(stderr, "searcher: %s\n", err);
        return EXIT_USAGE;
    }
    /* A remote shard that closed its end must not kill us on a write. */
    signal(SIGPIPE, SIG_IGN);
    tg_searcher *s = tg_searcher_open_multi(c.dbs, c.ndbs, &c.shards, err, sizeof err);
    if (!s) {
        fprintf(stderr, "searcher: %s\n", err);
        if (access(c.db, F_OK) != 0)
            fprintf(stderr, "searcher: create it first, e.g.: bin/indexer --db %s corpus/\n", c.db);
        return EXIT_DB;
    }
    if (tg_searcher_warning(s))
        fprintf(stderr, "searcher: warning: %s\n", tg_searcher_warning(s));
    if (c.stats)
        rc = print_stats(s, &c);
    else if (c.batch)
        rc = c.latency ? run_latency(s, &c) : run_batch(s, &c);
    else
        rc = search_once(s, &c, argc, argv, optind);
    tg_searcher_close(s);
    return rc;
}
