/*
 * index_int.h - internals shared by the index writer (index.c) and the
 * parallel build (index_build.c).
 *
 * A tg_writer is one Xapian writer and everything that turns articles
 * into its documents: stemmer, lexicon, scratch buffers, commit batch.
 * A serial tg_index has one and uses it in the caller's thread; a
 * parallel build has one per worker thread, each writing its own shard.
 * A writer is used by one thread at a time.
 */
#ifndef TG_INDEX_INT_H
#define TG_INDEX_INT_H

#include "tg_buf.h"
#include "tg_index.h"
#include "tg_lexicon.h"
#include "tg_signature.h"
#include "tg_text.h"
#include "xapian_c.h"

typedef struct tg_writer {
    xc_wdb *db;
    tg_stemmer *stemmer;
    tg_lexicon *lexicon;     /* NULL with no_entities */
    tg_passage_opts passages;
    int passage_docs;        /* layout "passages" */
    int forms;               /* the database keeps stem -> forms entries */
    int title_stems;         /* title words also get ZS stem terms (older
                                databases, and those without forms) */
    unsigned commit_every;   /* articles per commit batch */
    size_t commit_bytes;     /* text per commit batch */
    size_t heap_budget;      /* commit when the heap in use passes it */
    unsigned pending;        /* articles (or deletions) since the last commit */
    size_t pending_bytes;    /* their text */
    unsigned lex_pending;    /* articles (or deletions) since the lexicon's
                                last flush: the heap's commits do not flush it */
    size_t lex_pending_bytes;   /* their text */
    const char *source;      /* input file of the article being written
                                (borrowed), or NULL */
    unsigned shard;          /* its number in a parallel build, else 0 */
    void (*on_commit)(void *ctx, unsigned shard, int committed, uint32_t docs);
    void *on_commit_ctx;
    char errmsg[512];
    tg_buf term;             /* scratch: prefix + term */
    tg_buf record;           /* scratch: the stored record */
    tg_signature sig;        /* scratch: the article's signature */
    tg_buf sigval;
} tg_writer;

/* Sets up w around an open database (w takes db) for language lang, the
 * layout flag and opts; returns TG_OK or TG_ERR_NOMEM / TG_ERR_ARG (unknown
 * language), with db left open for the caller to abandon. */
tg_status tg_writer_init(tg_writer *w, xc_wdb *db, const char *lang, int passage_docs,
                         const tg_index_opts *opts, size_t commit_bytes);
/* Frees what tg_writer_init allocated; does not touch w->db. */
void tg_writer_free(tg_writer *w);

/* Stores the schema, layout and language metadata a new database needs
 * (only where unset). */
xc_status tg_writer_set_meta(xc_wdb *db, const char *lang, int passage_docs);
/* Records in db that it is shard k of n (TG_META_SHARD). */
xc_status tg_writer_set_shard(xc_wdb *db, unsigned k, unsigned n);
/* Decides whether w writes stem -> forms entries: yes when the database
 * says so, or when it is empty and names are learnt (then it says so). */
xc_status tg_writer_setup_forms(tg_writer *w);

/* Writes article a as new (res TG_ADD_NEW) or as the replacement of the
 * document with idterm (TG_ADD_REPLACED), and commits when the batch is
 * full. hash is its content hash (16 hex digits). Errors: text in
 * w->errmsg. */
tg_status tg_writer_put(tg_writer *w, const tg_article *a, const char *idterm, const char *hash,
                        tg_add_result res);
/* Deletes by id term ("Q<id>"). */
tg_status tg_writer_delete(tg_writer *w, const char *idterm);
/* Writes the lexicon's news and commits. */
tg_status tg_writer_commit(tg_writer *w);

tg_status tg_index_map_xc(xc_status st);

/* ---- index_lock.c ------------------------------------------------------ */

/* The id of the process holding the write lock of the database at path
 * (its flintlock, or a shard's, open), from /proc: another process, else
 * this one if it has the lock file open; 0 when none is visible. */
long tg_lock_holder(const char *path);
/* "cannot open database PATH for writing: it is locked by PID N ..." into
 * errbuf (without a PID when none is visible). */
void tg_locked_message(const char *path, char *errbuf, size_t errlen);

/* ---- parallel build (index_build.c) ------------------------------------ */

typedef struct tg_build tg_build;

/* Starts a parallel build of a new database at path (absent or an empty
 * directory) with `jobs` worker threads, each writing a shard under path;
 * path meanwhile holds a Xapian stub listing the shards, so what has been
 * committed searches. keep: the shards are the database for good (indexer
 * --shards; the stub says so and nothing merges them). NULL with errbuf
 * filled on failure. */
tg_build *tg_build_open(const char *path, const char *lang, int passage_docs,
                        const tg_index_opts *opts, unsigned jobs, int keep, char *errbuf,
                        size_t errlen);
/* Queues a copy of a for its shard (chosen by idhash, so an id always
 * lands in the same shard). source may be NULL. Returns a worker's sticky
 * error, if any, with its text in errbuf. */
tg_status tg_build_put(tg_build *b, const tg_article *a, const char *idterm, const char *hash,
                       uint64_t idhash, tg_add_result res, const char *source,
                       char *errbuf, size_t errlen);
tg_status tg_build_delete(tg_build *b, const char *idterm, uint64_t idhash, char *errbuf,
                          size_t errlen);
/* Waits until the workers have written everything queued; commit = 1
 * also commits every shard. */
tg_status tg_build_sync(tg_build *b, int commit, char *errbuf, size_t errlen);
/* Documents written so far (syncs first). */
/* Articles in the shards so far into *n; a failure's text into errbuf. */
xc_status tg_build_count(tg_build *b, uint32_t *n, char *errbuf, size_t errlen);
/* Commits, stops the workers and merges the shards into one database at
 * path (Xapian compaction, swapped in by rename). NULL allowed. On
 * failure the shards stay, behind the stub, for tg_index_finish_build. */
tg_status tg_build_close(tg_build *b, char *errbuf, size_t errlen);
/* The same without the merge: the shards stay, committed, behind the
 * stub (an interrupted run), for tg_index_finish_build. */
tg_status tg_build_close_unmerged(tg_build *b, char *errbuf, size_t errlen);

/* The shard folders named by path/XAPIANDB, as malloc'd paths (relative
 * names made relative to path) into *shards; *kept (may be NULL) is N when
 * the stub says "# tigris shards N" (kept shards), else 0. Returns their
 * number, or -1 with errbuf filled (unreadable, no shards, a count that
 * disagrees with the marker). Free with tg_stub_free. */
int tg_stub_read(const char *path, char ***shards, unsigned *kept, char *errbuf, size_t errlen);
void tg_stub_free(char **shards, int n);
/* The number of kept shards of the database at path (its stub's marker;
 * shards whose compaction was stopped are put back first), 0 for any
 * other database; -1 with errbuf filled when its stub cannot be read.
 * *shards (when shards is not NULL) receives their paths if kept, for
 * tg_stub_free. */
int tg_kept_shards(const char *path, char ***shards, char *errbuf, size_t errlen);

/* Compacts each of the n databases in shards in place, `jobs` at a
 * time, each in its own thread (lib/index_compact.c). 0, or -1 with the
 * first failure in errbuf (every database stays usable). */
int tg_index_compact_shards(char **shards, int n, unsigned jobs, char *errbuf, size_t errlen);
/* Puts back the database at path if a compaction was stopped between
 * its two renames, and removes what one left. */
void tg_index_compact_recover(const char *path);

/* Folder, inside a database of kept shards, of the tables every shard
 * contributes to (names, variants, aliases, forms, spelling) merged:
 * what a front end searching remote shards reads them from. */
#define TG_LEXICON_DIR "lexicon"

#endif
