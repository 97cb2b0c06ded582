/*
 * tg_blockcache.h - a process-wide cache of the B-tree blocks that Xapian's
 * Glass backend reads from tables it opened read-only.
 *
 * Why: Glass keeps no block cache beyond each cursor's path, and it opens a
 * fresh cursor for every posting and position list, so a search re-reads
 * the same branch and leaf blocks over and over: over 200 new queries of
 * the latency log, 85% of the searcher's 8 KiB block reads were of a block
 * the process had already read, each a pread(2) system call (README,
 * "Where the time goes"). Glass offers no hook for its I/O, so the cache
 * sits below it: a program that wants it routes Glass's open(2), close(2)
 * and pread(2) through tg_blockcache_open/_close/_pread (bin/searcher does,
 * in searcher/read_hooks.c); the library itself never does.
 *
 * What is cached: reads of whole blocks (at most TG_BLOCKCACHE_MAX_BLOCK
 * bytes, the read returning all it asked for) from descriptors opened
 * read-only on a file whose name ends in ".glass" (a Glass table) while
 * the cache is on. Everything else passes straight to the system.
 *
 * Why it is correct: a read-only Glass handle reads one fixed revision
 * until it is reopened, and the blocks of that revision do not change
 * while a reader may still need them - except when a writer has committed
 * twice since, which Glass detects on the block's own revision number and
 * reports as DatabaseModifiedError, after which the wrapper reopens. So
 * every reopen in the process (lib/xapian_c.cc) calls
 * tg_blockcache_invalidate(), which forgets every block; a read begun
 * before an invalidation is not kept. Entries are keyed by descriptor,
 * a generation bumped when the descriptor is closed or opened again, and
 * offset: two handles never share entries, and a reused descriptor number
 * never sees the blocks of the file it used to name.
 *
 * Threads: the cache has one lock; descriptors' states are atomic.
 * Eviction: CLOCK (a referenced bit per block) within the byte budget.
 */
#ifndef TG_BLOCKCACHE_H
#define TG_BLOCKCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The largest read cached: Glass's largest block size. */
#define TG_BLOCKCACHE_MAX_BLOCK 65536
/* The budget bin/searcher uses unless told otherwise (--block-cache). */
#define TG_BLOCKCACHE_DEFAULT_MIB 64

/* Sets the cache's budget in bytes, forgetting what it holds; 0 turns it
 * off (the state at start). Descriptors opened while the cache was off
 * stay uncached. Returns 0, or -1 if the tables could not be allocated
 * (the cache is then off). */
int tg_blockcache_configure(size_t bytes);

/* The budget set by tg_blockcache_configure (0: off). */
size_t tg_blockcache_budget(void);

/* Forgets every cached block (a database was reopened); reads in flight
 * are not kept. Cheap when the cache is off. */
void tg_blockcache_invalidate(void);

/* While on (nonzero) in the calling thread, its reads neither use nor fill
 * the cache: for Database::reopen(), which reads a new revision's roots
 * before the caller knows whether to invalidate. Not nested. */
void tg_blockcache_bypass(int on);

/* open(2) through the cache: opens path (flags and, with O_CREAT or
 * O_TMPFILE, mode as open(2) takes them) and marks the descriptor cached
 * when the cache is on, the file is a Glass table and flags open it
 * read-only. Returns what open(2) returns, errno set as it sets it. */
int tg_blockcache_open(const char *path, int flags, mode_t mode);

/* close(2) through the cache: the descriptor's blocks stop matching before
 * the descriptor is closed and its number may be reused. */
int tg_blockcache_close(int fd);

/* pread(2) through the cache: a cached block is copied out; a miss is read
 * and, if the whole block came back and no invalidation happened meanwhile,
 * kept. Returns what pread(2) returns. */
ssize_t tg_blockcache_pread(int fd, void *buf, size_t n, off_t off);

typedef struct tg_blockcache_stats {
    uint64_t hits;      /* reads answered from the cache */
    uint64_t misses;    /* reads of cached descriptors that went to disk */
    uint64_t evictions; /* blocks dropped for room */
    uint64_t invalidations;
    size_t bytes;       /* held now */
    size_t blocks;      /* held now */
} tg_blockcache_stats;

/* The counters since the last tg_blockcache_configure. */
void tg_blockcache_get_stats(tg_blockcache_stats *out);

#endif
