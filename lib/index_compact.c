/*
 * index_compact.c - indexer --compact (tg_index_compact): Xapian's
 * compaction into a sibling directory, then swapped in by two renames, so
 * a failure at any step leaves a usable database. Moved here from
 * indexer/main.c for embedding programs (tigris_compact).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "index_int.h"
#include "tg_index.h"
#include "xapian_c.h"

static int compact_one(const char *db, char *errbuf, size_t errlen)
{
    char tmp[4096], old[4096], err[512];
    snprintf(tmp, sizeof tmp, "%s.compact-tmp", db);
    snprintf(old, sizeof old, "%s.compact-old", db);
    tg_index_remove(tmp);
    const char *srcs[1] = { db };
    if (xc_compact(srcs, 1, tmp, err, sizeof err)) {
        snprintf(errbuf, errlen, "cannot compact: %s", err);
        tg_index_remove(tmp);
        return -1;
    }
    tg_index_remove(old);
    if (rename(db, old) || rename(tmp, db)) {
        snprintf(errbuf, errlen, "cannot swap in the compacted database: %s", strerror(errno));
        return -1;
    }
    tg_index_remove(old);
    return 0;
}

/* A database kept in shards is compacted shard by shard: compacting its
 * stub would merge them into one. */
int tg_index_compact(const char *db, char *errbuf, size_t errlen)
{
    char stub[4096], glass[4096];
    struct stat sb;
    snprintf(stub, sizeof stub, "%s/XAPIANDB", db);
    snprintf(glass, sizeof glass, "%s/iamglass", db);
    if (stat(stub, &sb) != 0 || stat(glass, &sb) == 0)
        return compact_one(db, errbuf, errlen);
    char **shards = NULL;
    unsigned kept = 0;
    int n = tg_stub_read(db, &shards, &kept, errbuf, errlen);
    if (n < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < n && !rc && kept; i++)
        rc = compact_one(shards[i], errbuf, errlen);
    if (!kept)
        rc = compact_one(db, errbuf, errlen);
    tg_stub_free(shards, n);
    return rc;
}
