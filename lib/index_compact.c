/*
 * index_compact.c - indexer --compact (tg_index_compact): Xapian's
 * compaction into a sibling directory, then swapped in by two renames, so
 * a failure at any step leaves a usable database. Moved here from
 * indexer/main.c for embedding programs (tigris_compact).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tg_index.h"
#include "xapian_c.h"

int tg_index_compact(const char *db, char *errbuf, size_t errlen)
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
