/*
 * tg_index.h - writing articles into a Tigris database.
 *
 * A tg_index is the single writer of one database (Xapian takes a lock;
 * a second writer gets TG_ERR_LOCKED). Articles are added one at a time;
 * the writer commits every `commit_every` articles and at close, so a
 * killed indexer leaves the database as of the last commit: it opens and
 * searches, and a re-run picks up where it stopped (unchanged articles are
 * skipped by content hash).
 */
#ifndef TG_INDEX_H
#define TG_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "tg_article.h"

typedef struct tg_index tg_index;

/* The writer also commits whenever this much article text has been added
 * since the last commit: Xapian holds a batch in memory, and this bounds
 * the indexer's peak memory whatever the articles' size. */
#define TG_COMMIT_BYTES ((size_t)8 << 20)

/* And whenever the process's heap in use passes this, once a batch holds
 * at least an eighth of its text: what else the indexer keeps grows with
 * the archive (the ids read in the run, 32 bytes an article), and with
 * this the batch gives way to it, so that peak memory stays under
 * 256 MiB at every size. */
#define TG_HEAP_BUDGET ((size_t)176 << 20)

typedef struct tg_index_opts {
    const char *lang;        /* stemmer language; NULL = the database's,
                                or "english" for a new database */
    unsigned commit_every;   /* articles between commits; 0 = 10000 */
    tg_passage_opts passages;
    int passage_docs;        /* layout "passages": one Xapian document per
                                passage (design (a) of the README's design
                                notes, kept for measurement); a database
                                keeps the layout it was created with */
    int no_entities;         /* 1: do not learn names, aliases and spelling
                                (for measuring what that costs) */
    unsigned jobs;           /* worker threads for a new database (0 or 1:
                                serial; see "Parallel build" below) */
    /* Told of every commit of articles, just before it (committed 0) and
     * once it is durable (1), with the documents the writer then holds;
     * shard is the writer's number in a parallel build, else 0. A killed
     * run's database holds, per writer, the docs of its last "1" or of a
     * "0" that followed it (indexer --log-commits; tests/e2e/13_crash.sh).
     * In a parallel build it is called from the worker threads. NULL:
     * none. */
    void (*on_commit)(void *ctx, unsigned shard, int committed, uint32_t docs);
    void *on_commit_ctx;
    unsigned shards;         /* > 1: a new database is kept in this many
                                shards (sub-folders, one thread each, a
                                Xapian stub listing them, a lexicon; see
                                "Kept shards" below); an existing database
                                must have that many. 0 or 1: one database,
                                or the shards an existing one has */
    size_t heap_budget;      /* commit when the heap in use passes this many
                                bytes; 0 = TG_HEAP_BUDGET */
} tg_index_opts;

#define TG_INDEX_OPTS_DEFAULT { NULL, 0, TG_PASSAGE_OPTS_DEFAULT, 0, 0, 0, NULL, NULL, 0, 0 }

/* Parallel build. When opts.jobs > 1 and the database is new (path absent
 * or an empty directory), articles are indexed by opts.jobs threads, each
 * writing a shard, and the shards are merged into one database by
 * tg_index_finish (Xapian compaction: the result is also compact). While
 * it runs, path holds a Xapian stub naming the shards, so committed work
 * opens and searches; a build that was killed is finished (merged) by
 * the next tg_index_open or tg_index_finish_build of path. The outcome
 * of each add is decided from what this run has seen (the database was
 * new), so the API behaves as in serial mode; the order of documents in
 * the merged database is by shard, not by input. Adding to an existing
 * database is always serial. */
#define TG_MAX_JOBS 16
#define TG_MAX_SHARDS 64
/* The number of online processors, at most TG_MAX_JOBS. */
unsigned tg_index_default_jobs(void);
/* Finishes what a killed parallel build of path left: merges its shards
 * into one database. Returns 0 when there was nothing to do, 1 when it
 * merged, -1 on failure (reason in errbuf; the shards are kept). */
int tg_index_finish_build(const char *path, char *errbuf, size_t errlen);
/* Removes the database directory at path with its files and shards (an
 * absent path is success). Returns 0, or -1 with errno set. */
int tg_index_remove(const char *path);
/* Rewrites the database at path compactly (about half the size): Xapian's
 * compaction into the sibling path.compact-tmp, then swapped in by two
 * renames (path -> path.compact-old, tmp -> path), so a failure at any
 * step leaves a usable database. Do it when no writer has it open (and
 * best when no searcher does). Returns 0, or -1 with the reason in errbuf
 * ("cannot compact: ...", "cannot swap in the compacted database: ..."). */
int tg_index_compact(const char *path, char *errbuf, size_t errlen);

typedef enum tg_add_result {
    TG_ADD_NEW,        /* the article was not in the index */
    TG_ADD_REPLACED,   /* it was, with different content */
    TG_ADD_UNCHANGED,  /* it was, with the same content: nothing written */
    TG_ADD_DUPLICATE   /* another article (another id) has the same url:
                          the same article reached twice; nothing written,
                          tg_index_errmsg names the other id */
} tg_add_result;

/* Opens (creating if needed) the database at path for writing. Returns
 * NULL on failure with the reason in errbuf (e.g. the database is locked,
 * or was made with another language than opts->lang). Close with
 * tg_index_close. */
tg_index *tg_index_open(const char *path, const tg_index_opts *opts, char *errbuf, size_t errlen);

/* Indexes a (which must have an id). Returns TG_OK and the outcome in
 * *res (may be NULL); on failure the error text is in tg_index_errmsg and
 * the database is unchanged by this article. */
tg_status tg_index_add(tg_index *ix, const tg_article *a, tg_add_result *res);

/* Names the input file the next articles come from (a copy is kept), so
 * that --prune can later tell which articles a file no longer has or
 * which files are gone. NULL: articles of no file. */
tg_status tg_index_begin_source(tg_index *ix, const char *path);
/* Ends the current source. With prune, deletes the articles indexed from
 * it earlier that this reading of it did not produce (the file was read
 * to its end: pass prune = 0 after a fatal read error). *removed (may be
 * NULL) gets the count. */
tg_status tg_index_end_source(tg_index *ix, int prune, size_t *removed);
/* Deletes the articles of every source file that no longer exists. */
tg_status tg_index_prune_missing(tg_index *ix, size_t *removed);

/* Deletes the article with this id (absent is not an error). */
tg_status tg_index_delete(tg_index *ix, const char *id);

/* Commits everything added so far. */
tg_status tg_index_commit(tg_index *ix);

/* Commits everything; a parallel build also waits for its workers and
 * merges its shards. After it only tg_index_doccount, tg_index_lang,
 * tg_index_errmsg and tg_index_close may be called. On failure the reason
 * is in tg_index_errmsg. */
tg_status tg_index_finish(tg_index *ix);

/* tg_index_finish for a run that was interrupted and must end now: the
 * same, except that a parallel build is not merged (the merge takes as
 * long as the build did); its shards stay behind the stub, committed, so
 * the database opens and searches, and the next tg_index_open or
 * tg_index_finish_build merges them. */
tg_status tg_index_finish_now(tg_index *ix);

/* Finishes (if not done) and closes; NULL allowed. Returns the status of
 * the final commit (or merge). */
tg_status tg_index_close(tg_index *ix);
/* The same, with the reason of a failure in errbuf (may be NULL). */
tg_status tg_index_close_why(tg_index *ix, char *errbuf, size_t errlen);

const char *tg_index_errmsg(const tg_index *ix);
/* The stemmer language the database uses (borrowed). */
const char *tg_index_lang(const tg_index *ix);
/* Documents in the database now (committed or not). */
uint32_t tg_index_doccount(tg_index *ix);
/* The same into *n, with the database's failure (TG_ERR_DB, message in
 * tg_index_errmsg) where tg_index_doccount would give 0. */
tg_status tg_index_count(tg_index *ix, uint32_t *n);
/* Worker threads writing: opts.jobs for a parallel build, else 1. */
unsigned tg_index_jobs(const tg_index *ix);
/* The number of shards the database is kept in (indexer --shards), 0 for
 * one database. */
unsigned tg_index_shards(const tg_index *ix);

/* Kept shards. A database made with opts.shards = N > 1 is a folder of N
 * ordinary Tigris databases shard-0 ... shard-(N-1), each article in the
 * shard its id hashes to (for good: updates and deletes find it there),
 * a Xapian stub XAPIANDB listing them (so the folder opens as one
 * database, with global statistics), and a folder "lexicon": the shards'
 * names, variants, aliases, forms and spelling data merged, for search
 * front ends whose shards are remote. Built in parallel, one thread a
 * shard; later runs add to each shard serially. Layout: lib/index.c. */

/* Rewrites the lexicon of the kept-shards database at path from its
 * shards' committed state (tg_index_finish does it after every run that
 * changed something). TG_OK, or an error with errbuf filled; the old
 * lexicon stays on failure. */
tg_status tg_index_write_lexicon(const char *path, char *errbuf, size_t errlen);

#endif
