/*
 * index_build.c - building a new database with one writer per core.
 *
 * Xapian spends most of an indexing run inside one writer (inverting
 * postings, merging them into its tables), and a writer is single-
 * threaded. So a new database is built as N shards, each owned by a
 * worker thread with its own tg_writer (stemmer, lexicon, batch), and the
 * shards are merged at the end by Xapian's compaction, which also leaves
 * the result compact.
 *
 * ON DISK, while building, the database directory holds
 *   XAPIANDB        a Xapian stub file: "auto shard-0" ... one line each
 *   shard-0 ...     the shards, ordinary Tigris databases (lib/index.c),
 *                   written without fsync (they are scratch)
 * so a searcher opening the directory sees every shard's last commit,
 * and a killed build leaves a database that opens and searches.
 *
 * KEPT SHARDS (indexer --shards N): the same build, but the shards are
 * the database for good. The stub then begins with the line
 * "# tigris shards N" (Xapian skips comment lines; it tells
 * tg_index_finish_build not to merge) and ends with
 * "# tigris-lexicon: lexicon", the folder of the names and spelling tables
 * of every shard (lib/index.c, TG_LEXICON_DIR) that a search front end
 * with remote shards reads them from.
 *
 * Otherwise the merge
 * compacts the shards into "<dir>.merging", renames the directory to
 * "<dir>.merged-shards", renames the merge into its place and removes the
 * old one; tg_index_finish_build completes each of these steps if a run
 * stopped between them.
 *
 * THREADS: the caller's thread reads articles and decides each one's
 * outcome (lib/index.c); it queues a copy to the worker that owns the
 * article's id (id hash modulo N, so a repeated id replaces in place),
 * waiting when that queue holds too much text. A worker's first error is
 * sticky: it stops writing, keeps draining, and the next call from the
 * caller returns the error.
 */
#include "index_int.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tg_article.h"

/* Text queued per worker before the reader waits: enough to keep the
 * workers busy through the reader's pauses, little next to a batch. */
#define QUEUE_BYTES ((size_t)2 << 20)
#define QUEUE_JOBS 2000

typedef enum job_kind { JOB_PUT, JOB_DELETE, JOB_SYNC, JOB_STOP } job_kind;

typedef struct job {
    struct job *next;
    job_kind kind;
    tg_add_result res;
    int commit;             /* JOB_SYNC: also commit */
    tg_article a;           /* JOB_PUT: an owned copy */
    char *idterm;
    char *source;
    char hash[17];
    size_t bytes;           /* text, for the queue bound */
} job;

typedef struct worker {
    pthread_t thread;
    int running;
    tg_writer w;
    pthread_mutex_t mu;
    pthread_cond_t wake;    /* a job arrived */
    pthread_cond_t room;    /* the queue shrank, or a sync finished */
    job *head, *tail;
    size_t queued_bytes, queued;
    unsigned syncs_sent, syncs_done;
    tg_status st;           /* sticky: the first error */
    char err[512];
} worker;

struct tg_build {
    char *path;
    unsigned n;
    int keep;               /* kept shards: never merged */
    worker *workers;
};

static void job_free(job *j)
{
    if (!j)
        return;
    tg_article_clear(&j->a);
    free(j->idterm);
    free(j->source);
    free(j);
}

static int dup_field(char **dst, const char *src)
{
    return src && !(*dst = strdup(src));
}

static tg_status copy_article(tg_article *dst, const tg_article *src)
{
    tg_article_init(dst);
    if (dup_field(&dst->id, src->id) || dup_field(&dst->url, src->url) ||
        dup_field(&dst->title, src->title) || dup_field(&dst->date, src->date) ||
        dup_field(&dst->author, src->author) || dup_field(&dst->body, src->body) ||
        dup_field(&dst->sources, src->sources) || dup_field(&dst->origin, src->origin))
        goto oom;
    for (size_t i = 0; i < src->ntags; i++)
        if (tg_article_add_tag(dst, src->tags[i], (size_t)-1))
            goto oom;
    return TG_OK;
oom:
    tg_article_clear(dst);
    return TG_ERR_NOMEM;
}

static void *work(void *arg)
{
    worker *wk = arg;
    for (;;) {
        pthread_mutex_lock(&wk->mu);
        while (!wk->head)
            pthread_cond_wait(&wk->wake, &wk->mu);
        job *j = wk->head;
        if (!(wk->head = j->next))
            wk->tail = NULL;
        wk->queued_bytes -= j->bytes;
        wk->queued--;
        int failed = wk->st != TG_OK;
        pthread_cond_broadcast(&wk->room);
        pthread_mutex_unlock(&wk->mu);

        tg_status st = TG_OK;
        if (!failed) {
            switch (j->kind) {
            case JOB_PUT:
                wk->w.source = j->source;
                st = tg_writer_put(&wk->w, &j->a, j->idterm, j->hash, j->res);
                wk->w.source = NULL;
                break;
            case JOB_DELETE: st = tg_writer_delete(&wk->w, j->idterm); break;
            case JOB_SYNC: if (j->commit) st = tg_writer_commit(&wk->w); break;
            case JOB_STOP: break;
            }
        }
        pthread_mutex_lock(&wk->mu);
        if (st && !wk->st) {
            wk->st = st;
            snprintf(wk->err, sizeof wk->err, "%s", wk->w.errmsg);
        }
        if (j->kind == JOB_SYNC) {
            wk->syncs_done++;
            pthread_cond_broadcast(&wk->room);
        }
        pthread_mutex_unlock(&wk->mu);
        job_kind kind = j->kind;
        job_free(j);
        if (kind == JOB_STOP)
            return NULL;
    }
}

/* Queues j for wk, waiting while its queue is over the bound. */
static void enqueue(worker *wk, job *j)
{
    pthread_mutex_lock(&wk->mu);
    while (wk->queued && (wk->queued_bytes + j->bytes > QUEUE_BYTES || wk->queued >= QUEUE_JOBS))
        pthread_cond_wait(&wk->room, &wk->mu);
    j->next = NULL;
    if (wk->tail)
        wk->tail->next = j;
    else
        wk->head = j;
    wk->tail = j;
    wk->queued_bytes += j->bytes;
    wk->queued++;
    if (j->kind == JOB_SYNC)
        wk->syncs_sent++;
    pthread_cond_signal(&wk->wake);
    pthread_mutex_unlock(&wk->mu);
}

/* The first worker error, copied to errbuf; TG_OK when none. */
static tg_status sticky_error(tg_build *b, char *errbuf, size_t errlen)
{
    tg_status st = TG_OK;
    for (unsigned i = 0; i < b->n && !st; i++) {
        worker *wk = &b->workers[i];
        pthread_mutex_lock(&wk->mu);
        if ((st = wk->st))
            snprintf(errbuf, errlen, "shard %u: %s", i, wk->err);
        pthread_mutex_unlock(&wk->mu);
    }
    return st;
}

tg_status tg_build_put(tg_build *b, const tg_article *a, const char *idterm, const char *hash,
                       uint64_t idhash, tg_add_result res, const char *source,
                       char *errbuf, size_t errlen)
{
    tg_status st = sticky_error(b, errbuf, errlen);
    if (st)
        return st;
    job *j = calloc(1, sizeof *j);
    if (!j || copy_article(&j->a, a) || !(j->idterm = strdup(idterm)) ||
        dup_field(&j->source, source)) {
        job_free(j);
        snprintf(errbuf, errlen, "out of memory");
        return TG_ERR_NOMEM;
    }
    j->kind = JOB_PUT;
    j->res = res;
    memcpy(j->hash, hash, sizeof j->hash);
    j->bytes = (a->body ? strlen(a->body) : 0) + (a->title ? strlen(a->title) : 0);
    enqueue(&b->workers[idhash % b->n], j);
    return TG_OK;
}

tg_status tg_build_delete(tg_build *b, const char *idterm, uint64_t idhash, char *errbuf,
                          size_t errlen)
{
    tg_status st = sticky_error(b, errbuf, errlen);
    if (st)
        return st;
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->idterm = strdup(idterm))) {
        job_free(j);
        snprintf(errbuf, errlen, "out of memory");
        return TG_ERR_NOMEM;
    }
    j->kind = JOB_DELETE;
    enqueue(&b->workers[idhash % b->n], j);
    return TG_OK;
}

tg_status tg_build_sync(tg_build *b, int commit, char *errbuf, size_t errlen)
{
    for (unsigned i = 0; i < b->n; i++) {
        job *j = calloc(1, sizeof *j);
        if (!j) {
            snprintf(errbuf, errlen, "out of memory");
            return TG_ERR_NOMEM;
        }
        j->kind = JOB_SYNC;
        j->commit = commit;
        enqueue(&b->workers[i], j);
    }
    for (unsigned i = 0; i < b->n; i++) {
        worker *wk = &b->workers[i];
        pthread_mutex_lock(&wk->mu);
        while (wk->syncs_done < wk->syncs_sent)
            pthread_cond_wait(&wk->room, &wk->mu);
        pthread_mutex_unlock(&wk->mu);
    }
    return sticky_error(b, errbuf, errlen);
}

xc_status tg_build_count(tg_build *b, uint32_t *n, char *errbuf, size_t errlen)
{
    char err[512];
    tg_build_sync(b, 0, err, sizeof err);
    /* The workers are idle, waiting for work: their databases are ours
     * to read until the next job (the mutexes order the memory). */
    *n = 0;
    for (unsigned i = 0; i < b->n; i++) {
        uint32_t k;
        xc_status xs = xc_wdb_get_doccount(b->workers[i].w.db, &k);
        if (xs) {
            if (errbuf && errlen)
                snprintf(errbuf, errlen, "cannot count the articles: %s",
                         xc_wdb_errmsg(b->workers[i].w.db));
            return xs;
        }
        *n += k;
    }
    return XC_OK;
}

/* ---- files --------------------------------------------------------------- */

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Removes dir, its files and its subdirectories' files (a database
 * directory with shards is two levels deep). */
static int remove_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    char p[4096];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode) && depth > 0)
            remove_tree(p, depth - 1);
        else
            unlink(p);
    }
    closedir(d);
    return rmdir(dir);
}

int tg_index_remove(const char *path)
{
    return remove_tree(path, 1);
}

static int path_printf(char *out, size_t cap, const char *fmt, const char *a, const char *b)
{
    int n = snprintf(out, cap, fmt, a, b);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int tg_stub_read(const char *path, char ***shards, unsigned *kept, char *errbuf, size_t errlen)
{
    char stub[4096];
    *shards = NULL;
    if (kept)
        *kept = 0;
    if (path_printf(stub, sizeof stub, "%s/%s", path, "XAPIANDB")) {
        snprintf(errbuf, errlen, "%s: path too long", path);
        return -1;
    }
    FILE *f = fopen(stub, "r");
    if (!f) {
        snprintf(errbuf, errlen, "cannot read %s: %s", stub, strerror(errno));
        return -1;
    }
    char line[4096], type[64], name[4000];
    int n = 0;
    char **v = NULL;
    size_t cap = 0;
    unsigned marked = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "# tigris shards %u", &marked) == 1 && kept)
            *kept = marked;
        if (sscanf(line, "%63s %3999s", type, name) != 2 || type[0] == '#')
            continue;
        char full[4096];
        if (TG_ARRAY_RESERVE(v, cap, (size_t)n + 1) ||
            (name[0] == '/' ? snprintf(full, sizeof full, "%s", name) < 0
                            : path_printf(full, sizeof full, "%s/%s", path, name)) ||
            !(v[n] = strdup(full))) {
            for (int i = 0; i < n; i++)
                free(v[i]);
            free(v);
            fclose(f);
            snprintf(errbuf, errlen, "%s: cannot read the shard list", stub);
            return -1;
        }
        n++;
    }
    fclose(f);
    if (n == 0 || (marked && (unsigned)n != marked)) {
        for (int i = 0; i < n; i++)
            free(v[i]);
        free(v);
        if (n == 0)
            snprintf(errbuf, errlen, "%s names no shards", stub);
        else
            snprintf(errbuf, errlen, "%s names %d shards, but says it has %u", stub, n, marked);
        return -1;
    }
    *shards = v;
    return n;
}

void tg_stub_free(char **shards, int n)
{
    for (int i = 0; i < n; i++)
        free(shards[i]);
    free(shards);
}

int tg_index_finish_build(const char *path, char *errbuf, size_t errlen)
{
    char merging[4096], old[4096], probe[4096];
    if (path_printf(merging, sizeof merging, "%s%s", path, ".merging") ||
        path_printf(old, sizeof old, "%s%s", path, ".merged-shards") ||
        path_printf(probe, sizeof probe, "%s/%s", merging, "iamglass")) {
        snprintf(errbuf, errlen, "%s: path too long", path);
        return -1;
    }
    /* Stopped between the two renames: the merge is complete. */
    if (!exists(path) && exists(old) && exists(probe)) {
        if (rename(merging, path)) {
            snprintf(errbuf, errlen, "cannot move %s to %s: %s", merging, path, strerror(errno));
            return -1;
        }
        remove_tree(old, 1);
        return 1;
    }
    char stub[4096], glass[4096];
    path_printf(stub, sizeof stub, "%s/%s", path, "XAPIANDB");
    path_printf(glass, sizeof glass, "%s/%s", path, "iamglass");
    if (!exists(stub) || exists(glass)) {
        if (exists(old) && exists(glass))
            remove_tree(old, 1);   /* stopped before the clean-up */
        return 0;
    }
    char **shards = NULL;
    unsigned kept = 0;
    int n = tg_stub_read(path, &shards, &kept, errbuf, errlen);
    if (n < 0)
        return -1;
    if (kept) {             /* shards for good, not a build to finish */
        tg_stub_free(shards, n);
        return 0;
    }
    int rc = 1;
    /* A shard's lock held means a build is running now. */
    for (int i = 0; i < n && rc > 0; i++) {
        xc_wdb *w = NULL;
        char xerr[512];
        xc_status xs = xc_wdb_open(shards[i], XC_WDB_CREATE_OR_OPEN, &w, xerr, sizeof xerr);
        if (xs == XC_ERR_LOCKED) {
            tg_locked_message(path, errbuf, errlen);
            rc = -1;
        } else if (xs) {
            snprintf(errbuf, errlen, "cannot open shard %s: %s", shards[i], xerr);
            rc = -1;
        } else {
            xc_wdb_abandon(w);
        }
    }
    if (rc > 0) {
        char xerr[512];
        remove_tree(merging, 0);
        if (xc_compact((const char *const *)shards, (size_t)n, merging, xerr, sizeof xerr)) {
            snprintf(errbuf, errlen, "cannot merge the shards of %s: %s", path, xerr);
            remove_tree(merging, 0);
            rc = -1;
        } else {
            remove_tree(old, 1);
            if (rename(path, old) || rename(merging, path)) {
                snprintf(errbuf, errlen, "cannot put the merged database in place of %s: %s",
                         path, strerror(errno));
                rc = -1;
            } else {
                remove_tree(old, 1);
            }
        }
    }
    tg_stub_free(shards, n);
    return rc;
}

/* ---- open and close ---------------------------------------------------- */

static void stop_workers(tg_build *b)
{
    for (unsigned i = 0; i < b->n; i++) {
        worker *wk = &b->workers[i];
        if (!wk->running)
            continue;
        job *j = calloc(1, sizeof *j);
        if (j) {
            j->kind = JOB_STOP;
            enqueue(wk, j);
            pthread_join(wk->thread, NULL);
        } else {
            pthread_cancel(wk->thread);   /* no memory for a message */
            pthread_join(wk->thread, NULL);
        }
        wk->running = 0;
    }
}

/* Closes every shard; returns the first failure of their last commits. */
static tg_status close_shards(tg_build *b, char *errbuf, size_t errlen)
{
    tg_status st = TG_OK;
    for (unsigned i = 0; i < b->n; i++) {
        worker *wk = &b->workers[i];
        if (wk->w.db) {
            xc_status xs = xc_wdb_close(wk->w.db);
            if (xs && !st) {
                st = tg_index_map_xc(xs);
                snprintf(errbuf, errlen, "shard %u: final commit failed", i);
            }
            wk->w.db = NULL;
        }
        tg_writer_free(&wk->w);
        while (wk->head) {
            job *j = wk->head;
            wk->head = j->next;
            job_free(j);
        }
        pthread_mutex_destroy(&wk->mu);
        pthread_cond_destroy(&wk->wake);
        pthread_cond_destroy(&wk->room);
    }
    return st;
}

static void build_free(tg_build *b)
{
    free(b->workers);
    free(b->path);
    free(b);
}

tg_build *tg_build_open(const char *path, const char *lang, int passage_docs,
                        const tg_index_opts *opts, unsigned jobs, int keep, char *errbuf,
                        size_t errlen)
{
    tg_build *b = calloc(1, sizeof *b);
    if (!b || !(b->path = strdup(path)) || !(b->workers = calloc(jobs, sizeof *b->workers))) {
        if (b)
            free(b->path);
        free(b);
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    b->n = jobs;
    b->keep = keep;
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        snprintf(errbuf, errlen, "cannot create database %s: %s", path, strerror(errno));
        build_free(b);
        return NULL;
    }
    /* Each shard gets its share of the batch limits, so that memory and
     * the commit interval stay what they are for one writer. */
    tg_index_opts shard_opts = *opts;
    shard_opts.commit_every = opts->commit_every / jobs ? opts->commit_every / jobs : 1;
    tg_status st = TG_OK;
    unsigned made = 0;
    FILE *stub = NULL;
    char shard[4096], name[32], stubtmp[4096], stubpath[4096];
    for (; made < jobs && !st; made++) {
        worker *wk = &b->workers[made];
        pthread_mutex_init(&wk->mu, NULL);
        pthread_cond_init(&wk->wake, NULL);
        pthread_cond_init(&wk->room, NULL);
        snprintf(name, sizeof name, "shard-%u", made);
        char xerr[512];
        xc_wdb *db = NULL;
        xc_status xs;
        if (path_printf(shard, sizeof shard, "%s/%s", path, name)) {
            snprintf(errbuf, errlen, "%s: path too long", path);
            st = TG_ERR_ARG;
        } else if ((xs = xc_wdb_open(shard, XC_WDB_CREATE_OR_OVERWRITE | XC_WDB_NO_SYNC, &db,
                                     xerr, sizeof xerr))) {
            /* Locked: another indexer began building here a moment ago. */
            if (xs == XC_ERR_LOCKED)
                tg_locked_message(path, errbuf, errlen);
            else
                snprintf(errbuf, errlen, "cannot create shard %s: %s", shard, xerr);
            st = tg_index_map_xc(xs);
        } else if ((xs = tg_writer_set_meta(db, lang, passage_docs)) ||
                   (keep && (xs = tg_writer_set_shard(db, made, jobs))) ||
                   (xs = xc_wdb_commit(db))) {
            snprintf(errbuf, errlen, "cannot write shard %s: %s", shard, xc_wdb_errmsg(db));
            st = tg_index_map_xc(xs);
            xc_wdb_abandon(db);
        } else if ((st = tg_writer_init(&wk->w, db, lang, passage_docs, &shard_opts,
                                        TG_COMMIT_BYTES / jobs))) {
            snprintf(errbuf, errlen, "out of memory");
            xc_wdb_abandon(db);
            wk->w.db = NULL;
        } else if ((xs = tg_writer_setup_forms(&wk->w)) || (xs = xc_wdb_commit(db))) {
            snprintf(errbuf, errlen, "cannot write shard %s: %s", shard, xc_wdb_errmsg(db));
            st = tg_index_map_xc(xs);
        }
        wk->w.shard = made;
    }
    /* The stub makes the directory a database of the shards. */
    if (!st && (path_printf(stubtmp, sizeof stubtmp, "%s/%s", path, "XAPIANDB.tmp") ||
                path_printf(stubpath, sizeof stubpath, "%s/%s", path, "XAPIANDB"))) {
        snprintf(errbuf, errlen, "%s: path too long", path);
        st = TG_ERR_ARG;
    }
    if (!st) {
        int bad = !(stub = fopen(stubtmp, "w"));
        if (!bad && keep)
            bad = fprintf(stub, "# tigris shards %u\n", jobs) < 0;
        for (unsigned i = 0; !bad && i < jobs; i++)
            bad = fprintf(stub, "auto shard-%u\n", i) < 0;
        if (!bad && keep)
            bad = fprintf(stub, "# tigris-lexicon: %s\n", TG_LEXICON_DIR) < 0;
        if (stub && fclose(stub))
            bad = 1;
        if (bad || rename(stubtmp, stubpath)) {
            snprintf(errbuf, errlen, "cannot write %s: %s", stubpath, strerror(errno));
            st = TG_ERR_IO;
        }
    }
    if (!st) {
        /* Signals are for the reading thread (Ctrl-C stops reading, and
         * what was read is finished); workers block them all. */
        sigset_t all, prev;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &prev);
        for (unsigned i = 0; i < jobs && !st; i++) {
            if (pthread_create(&b->workers[i].thread, NULL, work, &b->workers[i])) {
                snprintf(errbuf, errlen, "cannot start a worker thread");
                st = TG_ERR_NOMEM;
            } else {
                b->workers[i].running = 1;
            }
        }
        pthread_sigmask(SIG_SETMASK, &prev, NULL);
    }
    if (st) {
        stop_workers(b);
        char ignored[64];
        b->n = made;
        close_shards(b, ignored, sizeof ignored);
        remove_tree(path, 1);
        build_free(b);
        return NULL;
    }
    return b;
}

static tg_status close_all(tg_build *b, char *errbuf, size_t errlen)
{
    tg_status st = tg_build_sync(b, 1, errbuf, errlen);
    stop_workers(b);
    tg_status cst = close_shards(b, st ? NULL : errbuf, st ? 0 : errlen);
    return st ? st : cst;
}

tg_status tg_build_close_unmerged(tg_build *b, char *errbuf, size_t errlen)
{
    if (!b)
        return TG_OK;
    tg_status st = close_all(b, errbuf, errlen);
    build_free(b);
    return st;
}

tg_status tg_build_close(tg_build *b, char *errbuf, size_t errlen)
{
    if (!b)
        return TG_OK;
    tg_status st = close_all(b, errbuf, errlen);
    /* Merged even after an error: what was committed is kept, in one
     * database. */
    char merr[512];
    int rc = tg_index_finish_build(b->path, merr, sizeof merr);
    if (rc < 0 && !st) {
        snprintf(errbuf, errlen, "%s", merr);
        st = TG_ERR_DB;
    }
    build_free(b);
    return st;
}
