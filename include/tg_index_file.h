/*
 * tg_index_file.h - reading one input file into an index, as a run does.
 *
 * The whole per-file job of `indexer PATH...`, kept in the library so that
 * the CLI and tigris_index_path (include/tigris.h) read a file the same
 * way: open it with the reader for its format, skip what is no article
 * file when it was found in a folder (fail when it was named), note ids
 * met twice in the run, add each article, and end the file's source (with
 * prune, removing what a file read whole no longer has). Problems go to a
 * message callback and the run goes on; only the database (or memory)
 * failing stops it, and which statuses mean that is decided here.
 */
#ifndef TG_INDEX_FILE_H
#define TG_INDEX_FILE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "tg_index.h"
#include "tg_reader.h"
#include "tg_status.h"
#include "tg_walk.h"

/* What a message is about; the caller decides how each is shown. */
typedef enum tg_file_msg_kind {
    TG_FILE_MSG_SKIPPED,        /* a file found in a folder that is not an
                                   article file (an image, a README): no
                                   failure */
    TG_FILE_MSG_FILE_FAILED,    /* the file could not be opened, or read to
                                   its end */
    TG_FILE_MSG_BAD_ENTRY,      /* the reader could not read one entry; the
                                   rest of the file is read */
    TG_FILE_MSG_ARTICLE_FAILED, /* the index refused one article (too big,
                                   no id) */
    TG_FILE_MSG_DUPLICATE_ID,   /* an id met twice within the file: an error
                                   in the file; the later one is kept */
    TG_FILE_MSG_NOTE,           /* no failure: an id read before from another
                                   file, an article already indexed under
                                   another id */
    TG_FILE_MSG_READER_NOTE,    /* no failure: the reader skipped something
                                   on purpose (a draft, an index page) */
    TG_FILE_MSG_DB_FAILED       /* the database or memory failed: the run
                                   must stop */
} tg_file_msg_kind;

/* One message; every pointer is borrowed for the call. */
typedef struct tg_file_msg {
    tg_file_msg_kind kind;
    const char *path;           /* the file being read */
    const char *origin;         /* where: the file, or "file:line", "file:
                                   entry N"; NULL when text names the place
                                   itself ("cannot open FILE: ...", "out
                                   of memory") */
    const char *text;           /* what happened */
    const tg_article *article;  /* DB_FAILED while adding this article (its
                                   origin is origin); NULL otherwise */
} tg_file_msg;

typedef void (*tg_file_msg_cb)(const tg_file_msg *m, void *ud);
/* After each article indexed: articles is the stats' added + replaced +
 * unchanged, bytes the stats' bytes plus what was read of this file. */
typedef void (*tg_file_progress_cb)(size_t articles, uint64_t bytes, void *ud);

typedef struct tg_index_file_opts {
    tg_format format;           /* TG_FORMAT_AUTO: recognised by content */
    tg_reader_opts ropts;       /* its on_notice is not used: reader notes
                                   come as TG_FILE_MSG_READER_NOTE */
    int prune;                  /* remove the articles the file had before
                                   and no longer has (only when it was read
                                   whole) */
    int quiet;                  /* no SKIPPED, NOTE or READER_NOTE messages
                                   (still counted) */
    volatile sig_atomic_t *cancel; /* nonzero: stop at the next article, no
                                      failure (NULL: never) */
    tg_file_msg_cb on_message;  /* NULL: none */
    tg_file_progress_cb on_progress; /* NULL: none */
    void *ud;                   /* given to both callbacks */
} tg_index_file_opts;

#define TG_INDEX_FILE_OPTS_DEFAULT { TG_FORMAT_AUTO, TG_READER_OPTS_DEFAULT, 0, 0, NULL, NULL, \
                                     NULL, NULL }

/* What was read; tg_index_file adds to it (zero it before the run). */
typedef struct tg_index_file_stats {
    size_t files;               /* files read (opened, not skipped) */
    size_t files_skipped;       /* SKIPPED */
    size_t files_failed;        /* FILE_FAILED */
    size_t added, replaced, unchanged; /* as tg_add_result */
    size_t duplicates;          /* TG_ADD_DUPLICATE: nothing written */
    size_t bad_entries;         /* BAD_ENTRY */
    size_t failed_articles;     /* ARTICLE_FAILED */
    size_t duplicate_ids;       /* DUPLICATE_ID */
    size_t removed;             /* by prune */
    uint64_t bytes;             /* input read (as stored, before gunzip) */
} tg_index_file_stats;

/* Reads file number `file` of the walk w (w->paths[file]; w->named[file]
 * says the user named it, rather than a folder holding it) into ix, with
 * the ids noted in seen (the run's, given with the same w each time; NULL:
 * ids not checked). Returns TG_OK, also when the file or some articles failed (see
 * stats and the messages), or when o->cancel stopped it; or the status
 * that stops the run (the database failed: TG_ERR_DB, _IO, _LOCKED, or
 * memory: TG_ERR_NOMEM), after a DB_FAILED message. ix, w, seen, o and
 * stats stay the caller's. */
tg_status tg_index_file(tg_index *ix, const tg_walk *w, size_t file, tg_seen_ids *seen,
                        const tg_index_file_opts *o, tg_index_file_stats *stats);

/* Whether tg_index_add's status is the database's (a full disk, a lock,
 * no memory: the run stops) rather than the article's (too big, no id:
 * reported, and the run goes on). */
int tg_index_status_is_fatal(tg_status st);

#endif
