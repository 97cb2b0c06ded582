/*
 * index_compact.c - indexer --compact (tg_index_compact): Xapian's
 * compaction into a sibling directory, then swapped in by two renames, so
 * a failure at any step leaves a usable database. Moved here from
 * indexer/main.c for embedding programs (tigris_compact).
 *
 * A database kept in shards is compacted shard by shard, the shards in
 * parallel (compacting its stub would merge them into one); a new one is
 * compacted so at the end of its build, as a merged build is. A run
 * killed between the two renames leaves "<db>.compact-tmp" (complete) or
 * "<db>.compact-old" where the database was: tg_index_compact_recover
 * puts it back.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index_int.h"
#include "tg_index.h"
#include "xapian_c.h"

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int compact_one(const char *db, char *errbuf, size_t errlen)
{
    char tmp[4096], old[4096], err[512];
    snprintf(tmp, sizeof tmp, "%s.compact-tmp", db);
    snprintf(old, sizeof old, "%s.compact-old", db);
    tg_index_remove(tmp);
    const char *srcs[1] = { db };
    if (xc_compact(srcs, 1, tmp, err, sizeof err)) {
        snprintf(errbuf, errlen, "cannot compact %s: %s", db, err);
        tg_index_remove(tmp);
        return -1;
    }
    tg_index_remove(old);
    if (rename(db, old) || rename(tmp, db)) {
        snprintf(errbuf, errlen, "cannot swap in the compacted database %s: %s", db,
                 strerror(errno));
        return -1;
    }
    tg_index_remove(old);
    return 0;
}

void tg_index_compact_recover(const char *db)
{
    char tmp[4096], old[4096];
    snprintf(tmp, sizeof tmp, "%s.compact-tmp", db);
    snprintf(old, sizeof old, "%s.compact-old", db);
    if (!exists(db)) {
        /* tmp is only renamed once the compaction is complete */
        if (!(exists(tmp) && rename(tmp, db) == 0) && exists(old))
            rename(old, db);
    }
    if (exists(db)) {
        tg_index_remove(tmp);
        tg_index_remove(old);
    }
}

typedef struct compact_job {
    const char *db;
    int started;            /* a thread runs it */
    int rc;
    char err[512];
} compact_job;

static void *compact_thread(void *arg)
{
    compact_job *j = arg;
    j->rc = compact_one(j->db, j->err, sizeof j->err);
    return NULL;
}

int tg_index_compact_shards(char **shards, int n, unsigned jobs, char *errbuf, size_t errlen)
{
    compact_job *js = calloc((size_t)n, sizeof *js);
    pthread_t *th = calloc((size_t)n, sizeof *th);
    int rc = 0;
    if (!js || !th) {
        snprintf(errbuf, errlen, "out of memory");
        rc = -1;
    }
    if (jobs < 1)
        jobs = 1;
    /* In waves of `jobs`: each compaction keeps one core busy. */
    for (int i = 0; !rc && i < n; i += (int)jobs) {
        int end = i + (int)jobs < n ? i + (int)jobs : n;
        for (int k = i; k < end; k++) {
            js[k].db = shards[k];
            js[k].started = pthread_create(&th[k], NULL, compact_thread, &js[k]) == 0;
            if (!js[k].started)
                compact_thread(&js[k]);     /* no thread: here and now */
        }
        for (int k = i; k < end; k++)
            if (js[k].started)
                pthread_join(th[k], NULL);
        for (int k = i; k < end && !rc; k++)
            if (js[k].rc) {
                snprintf(errbuf, errlen, "%s", js[k].err);
                rc = -1;
            }
    }
    free(js);
    free(th);
    return rc;
}

int tg_index_compact(const char *db, char *errbuf, size_t errlen)
{
    char **shards = NULL;
    int n = tg_kept_shards(db, &shards, errbuf, errlen);
    if (n < 0)
        return -1;
    int rc = n ? tg_index_compact_shards(shards, n, tg_index_default_jobs(), errbuf, errlen)
               : compact_one(db, errbuf, errlen);
    tg_stub_free(shards, n);
    return rc;
}
