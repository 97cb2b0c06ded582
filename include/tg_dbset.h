/*
 * tg_dbset.h - the databases one searcher reads: what the --db values
 * name, resolved into Xapian stub lines (one per shard) and a lexicon.
 *
 * A --db value is a Tigris database folder, a folder holding a XAPIANDB
 * stub (a sharded database written by `indexer --shards N`), or a stub
 * file. Stub files are read here rather than by Xapian so that each
 * remote shard is opened with its own timeout and a shard that fails is
 * known by name (README, "Searching shards"). Lines: `auto PATH`, `glass
 * PATH`, `chert PATH` (relative to the stub's folder), `remote HOST:PORT`
 * (xapian-tcpsrv), `remote :PROGRAM ARGS` (xapian-progsrv), `#` comments,
 * and the Tigris comment `# tigris-lexicon: PATH` naming the database the
 * shards' synonyms, spellings and metadata are read from.
 */
#ifndef TG_DBSET_H
#define TG_DBSET_H

#include <stddef.h>
#include "tg_status.h"

typedef struct tg_dbset {
    char **specs;        /* owned: one part each, as a stub line ("auto
                            /srv/db/shard-0", "remote 10.0.0.2:7001") */
    size_t n;
    char *lexicon;       /* owned: the first lexicon named, or NULL */
    int remote;          /* 1 when some part is remote */
} tg_dbset;

/* An empty set (a zeroed tg_dbset is one too). */
void tg_dbset_init(tg_dbset *set);
/* Releases what set owns and empties it; NULL allowed. */
void tg_dbset_free(tg_dbset *set);

/* Adds the databases the --db value arg names: a folder that is a
 * database, a folder with a XAPIANDB stub, or a stub file. A path that
 * does not exist is added as it is (opening it then says why).
 * TG_OK; TG_ERR_IO when a stub cannot be read; TG_ERR_FORMAT for a bad
 * stub line ("FILE:LINE: ..."), with the message in errbuf; TG_ERR_NOMEM. */
tg_status tg_dbset_add(tg_dbset *set, const char *arg, char *errbuf, size_t errlen);

/* Adds the parts listed in the stub file path (as tg_dbset_add). */
tg_status tg_dbset_add_stub(tg_dbset *set, const char *path, char *errbuf, size_t errlen);

#endif
