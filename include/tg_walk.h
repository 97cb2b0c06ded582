/*
 * tg_walk.h - the files an indexing run reads, and the ids it has met.
 *
 * What `indexer PATH...` does before and while it reads, kept in the
 * library so that an embedding program (tigris_index_path) and the CLI
 * index the same files the same way:
 *   - tg_walk collects the regular files under the paths named, sorted
 *     per directory (runs are reproducible), hidden entries skipped.
 *     Links are followed, but nothing is taken twice: a file reached again
 *     is taken once, and a folder reached again (a link to a parent is a
 *     cycle) is not entered.
 *   - tg_seen_ids remembers every article id read in a run, to tell of the
 *     same id met twice (within a file an error in the file, across files
 *     the same article reached twice).
 */
#ifndef TG_WALK_H
#define TG_WALK_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "tg_hash.h"

/* Told of a path that cannot be walked: path and the reason
 * ("No such file or directory", "not a regular file or directory"). */
typedef void (*tg_walk_error_cb)(const char *path, const char *message, void *ud);

typedef struct tg_walk {
    /* Results, read by the caller. */
    char **paths;            /* the files, in reading order (owned) */
    unsigned char *named;    /* named[i]: paths[i] was named, not found in a folder */
    size_t npaths;
    uint64_t bytes_total;    /* the sizes of the regular files taken */
    size_t failed;           /* paths that could not be walked (reported) */
    size_t dir_links;        /* links to folders already walked, not entered */
    char first_dir_link[1024]; /* the first of them, for a note */

    /* Set by the caller before tg_walk_add (zero: none). */
    tg_walk_error_cb on_error;
    void *ud;
    volatile sig_atomic_t *cancel; /* nonzero: the walk stops (a signal) */

    /* Internal: capacities and the (device, inode) of every folder entered
     * and file taken. */
    size_t cappaths, capnamed;
    struct tg_walk_fid { dev_t dev; ino_t ino; } *fids;
    size_t nfids, capfids;
} tg_walk;

/* Adds the files under path (a file, a folder read recursively, or a named
 * pipe) to w, which starts zeroed. Unreadable entries go to w->on_error and
 * are counted in w->failed. Returns 0, or -1 on no memory. */
int tg_walk_add(tg_walk *w, const char *path);
/* Frees what w holds (not w); w is zeroed and may be used again. */
void tg_walk_free(tg_walk *w);

/* Ids read this run. Only a 64-bit hash of each id is kept (a tg_u64map: a
 * false match is a one-in-10^9 chance at a million articles, and costs a
 * spurious message), mapped to where it was read, packed into the map's
 * 64-bit value: the file's number and the place in it (":12" a line,
 * ":entry 3" a feed entry), so that memory is about 32 bytes an article
 * (a million articles: 32 MiB; the place as a string took 55). A place of
 * another shape goes to `other`. Zeroed: empty. */
typedef struct tg_seen_ids {
    tg_u64map ids;           /* id hash -> packed (file, place) */
    struct tg_seen_other {
        uint32_t file;       /* the file's number (an index into the caller's paths) */
        char *tail;          /* the place, as read (owned) */
    } *other;
    size_t nother, capother;
} tg_seen_ids;

enum { TG_SEEN_NEW = 0, TG_SEEN_SAME_FILE = 1, TG_SEEN_OTHER_FILE = 2 };

/* Notes that id was read from file number `file` (whose path is
 * paths[file]) at origin (paths[file] followed by a place, or NULL).
 * Returns TG_SEEN_NEW; TG_SEEN_SAME_FILE or TG_SEEN_OTHER_FILE when the id
 * was read before, with where it was first read ("path:entry 3") written
 * into first[firstlen]; -1 on no memory. The later reading is what is
 * remembered from then on. */
int tg_seen_ids_note(tg_seen_ids *s, const char *id, size_t file, char *const *paths,
                     const char *origin, char *first, size_t firstlen);
/* Frees what s holds (not s); s is empty afterwards. */
void tg_seen_ids_free(tg_seen_ids *s);

#endif
