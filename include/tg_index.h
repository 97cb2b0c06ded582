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
} tg_index_opts;

#define TG_INDEX_OPTS_DEFAULT { NULL, 0, TG_PASSAGE_OPTS_DEFAULT, 0, 0 }

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

/* Commits and closes; NULL allowed. Returns the final commit's status. */
tg_status tg_index_close(tg_index *ix);

const char *tg_index_errmsg(const tg_index *ix);
/* The stemmer language the database uses (borrowed). */
const char *tg_index_lang(const tg_index *ix);
/* Documents in the database now (committed or not). */
uint32_t tg_index_doccount(tg_index *ix);

#endif
