/*
 * fts5_baseline - SQLite FTS5: the second peer that `make bench` runs
 * beside Tigris. Not product code; SQLite's defaults throughout.
 *
 *   fts5_baseline index DB FILE.jsonl   index one JSON Lines file into a new DB
 *   fts5_baseline add DB FILE.jsonl     add FILE's articles to DB and commit;
 *                                       prints {"n","ms"} (open+insert+commit)
 *   fts5_baseline search DB QUERIES.tsv [K]
 *                                       warm-up pass, then each query timed;
 *                                       prints {"n","p50_ms","p95_ms","p99_ms","mean_ms",
 *                                       "first_p50_ms","first_p99_ms"} (the warm-up pass's)
 *
 * The table is fts5(id UNINDEXED, title, body, tokenize='porter unicode61'):
 * the id column is stored, not indexed, so a hit can name its article.
 * Indexing inserts every article in one transaction (default journal and
 * synchronous settings).
 *
 * Searching: the query's words (runs of letters and digits, bytes >= 0x80
 * included) are each double-quoted and joined with OR - phrases and
 * operators of the log are not interpreted - and run as
 *   SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT K
 * with one prepared statement; the time of one query covers building the
 * MATCH string, binding and stepping through the K rows (reading each id).
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die_db(sqlite3 *db, const char *what)
{
    fprintf(stderr, "fts5_baseline: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    exit(3);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "fts5_baseline: %s: %s\n", sql, err ? err : "?");
        exit(3);
    }
}

static const char *str_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static long index_file(sqlite3 *db, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fts5_baseline: cannot read %s\n", path);
        return -1;
    }
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db, "INSERT INTO t(id, title, body) VALUES (?, ?, ?)", -1, &ins, NULL))
        die_db(db, "prepare insert");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0, lineno = 0;
    exec(db, "BEGIN");
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        json_error_t err;
        json_t *o = json_loadb(line, (size_t)len, 0, &err);
        if (!o || !json_is_object(o)) {
            if (len > 1)
                fprintf(stderr, "fts5_baseline: %s:%ld: invalid JSON\n", path, lineno);
            json_decref(o);
            continue;
        }
        const char *id = str_field(o, "id"), *title = str_field(o, "title"),
                   *body = str_field(o, "body");
        if (*id && (*title || *body)) {
            sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, title, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 3, body, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(ins) != SQLITE_DONE)
                die_db(db, "insert");
            sqlite3_reset(ins);
            n++;
        }
        json_decref(o);
    }
    exec(db, "COMMIT");
    sqlite3_finalize(ins);
    free(line);
    fclose(f);
    return n;
}

/* Builds "w1" OR "w2" ... from q's words into out (cap bytes). */
static void match_string(const char *q, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)q; *p;) {
        if (!(isalnum(*p) || *p >= 0x80)) {
            p++;
            continue;
        }
        const unsigned char *w = p;
        while (*p && (isalnum(*p) || *p >= 0x80))
            p++;
        size_t wl = (size_t)(p - w);
        if (o + wl + 8 >= cap)
            break;
        if (o)
            o += (size_t)snprintf(out + o, cap - o, " OR ");
        out[o++] = '"';
        memcpy(out + o, w, wl);
        o += wl;
        out[o++] = '"';
        out[o] = '\0';
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *v, size_t n, unsigned p)
{
    size_t rank = (p * n + 99) / 100;
    return v[rank ? rank - 1 : 0];
}

static int do_search(const char *dbpath, const char *qpath, int k)
{
    sqlite3 *db;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die_db(db, dbpath);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", -1,
                           &st, NULL))
        die_db(db, "prepare search");
    FILE *f = fopen(qpath, "rb");
    if (!f) {
        fprintf(stderr, "fts5_baseline: cannot read %s\n", qpath);
        return 2;
    }
    char **qs = NULL;
    size_t nq = 0, capq = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        if (nq == capq) {
            capq = capq ? capq * 2 : 256;
            qs = realloc(qs, capq * sizeof *qs);
            if (!qs)
                die_db(NULL, "queries");
        }
        if (!(qs[nq++] = strdup(tab + 1)))
            die_db(NULL, "queries");
    }
    free(line);
    fclose(f);
    double *ms = calloc(nq ? nq : 1, sizeof *ms), *ms0 = calloc(nq ? nq : 1, sizeof *ms0);
    if (!ms || !ms0)
        die_db(NULL, "queries");
    size_t fetched = 0;
    char m[4096];
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nq; i++) {
            double t0 = now_ms();
            match_string(qs[i], m, sizeof m);
            if (m[0]) {
                sqlite3_bind_text(st, 1, m, -1, SQLITE_STATIC);
                sqlite3_bind_int(st, 2, k);
                int rc;
                while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                    fetched += (size_t)sqlite3_column_bytes(st, 0);
                if (rc != SQLITE_DONE)
                    die_db(db, m);
                sqlite3_reset(st);
            }
            (pass == 1 ? ms : ms0)[i] = now_ms() - t0;
        }
    }
    double sum = 0;
    for (size_t i = 0; i < nq; i++)
        sum += ms[i];
    qsort(ms, nq, sizeof *ms, cmp_double);
    qsort(ms0, nq, sizeof *ms0, cmp_double);
    printf("{\"n\":%zu,\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"mean_ms\":%.4f,"
           "\"first_p50_ms\":%.4f,\"first_p99_ms\":%.4f}\n", nq,
           nq ? percentile(ms, nq, 50) : 0.0, nq ? percentile(ms, nq, 95) : 0.0,
           nq ? percentile(ms, nq, 99) : 0.0, nq ? sum / (double)nq : 0.0,
           nq ? percentile(ms0, nq, 50) : 0.0, nq ? percentile(ms0, nq, 99) : 0.0);
    for (size_t i = 0; i < nq; i++)
        free(qs[i]);
    free(qs);
    free(ms);
    free(ms0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return fetched ? 0 : 1;
}

/* A TREC run (qid Q0 docid rank score TAG) of the top k per query, for
 * the relevance evaluation (scripts/eval.sh); score is -bm25(). */
static int do_trec(const char *dbpath, const char *qpath, int k, const char *tag)
{
    sqlite3 *db;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die_db(db, dbpath);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, bm25(t) FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?",
                           -1, &st, NULL))
        die_db(db, "prepare search");
    FILE *f = fopen(qpath, "rb");
    if (!f) {
        fprintf(stderr, "fts5_baseline: cannot read %s\n", qpath);
        return 2;
    }
    char *line = NULL, m[4096];
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        match_string(tab + 1, m, sizeof m);
        if (!m[0])
            continue;
        sqlite3_bind_text(st, 1, m, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, k);
        int rc, rank = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            printf("%s Q0 %s %d %.6f %s\n", line, (const char *)sqlite3_column_text(st, 0), ++rank,
                   -sqlite3_column_double(st, 1), tag);
        if (rc != SQLITE_DONE)
            die_db(db, m);
        sqlite3_reset(st);
    }
    free(line);
    fclose(f);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: fts5_baseline index|add DB FILE.jsonl\n"
                        "       fts5_baseline search DB QUERIES.tsv [K]\n"
                        "       fts5_baseline trec DB QUERIES.tsv K TAG\n");
        return 2;
    }
    const char *mode = argv[1];
    if (!strcmp(mode, "search"))
        return do_search(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 10);
    if (!strcmp(mode, "trec") && argc > 5)
        return do_trec(argv[2], argv[3], atoi(argv[4]), argv[5]);
    if (strcmp(mode, "index") && strcmp(mode, "add")) {
        fprintf(stderr, "fts5_baseline: unknown mode '%s'\n", mode);
        return 2;
    }
    int create = !strcmp(mode, "index");
    double t0 = now_ms();
    if (create)
        remove(argv[2]);
    sqlite3 *db;
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
                        NULL) != SQLITE_OK)
        die_db(db, argv[2]);
    if (create)
        exec(db, "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, body, "
                 "tokenize='porter unicode61')");
    long n = index_file(db, argv[3]);
    if (n < 0)
        return 2;
    if (sqlite3_close(db) != SQLITE_OK)
        die_db(db, "close");
    double ms = now_ms() - t0;
    if (create)
        fprintf(stderr, "fts5_baseline: %ld articles in %.1f s\n", n, ms / 1e3);
    else
        printf("{\"n\":%ld,\"ms\":%.3f}\n", n, ms);
    return 0;
}
