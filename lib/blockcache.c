/*
 * blockcache.c - Glass's table blocks kept in memory (tg_blockcache.h says
 * why and when it is correct).
 *
 * Layout: a fixed array of entries (a block each: descriptor, its
 * generation, offset, length, data), chained from a power-of-two bucket
 * array by a hash of the key; free entries are chained through the same
 * link. The budget counts the blocks' bytes. Eviction is CLOCK: a hit sets
 * the entry's referenced bit, and the hand clears bits until it finds an
 * entry without one. One mutex guards it all: a lookup is a few dozen
 * nanoseconds against the 1.7 microseconds of the pread it saves.
 *
 * Descriptors: fd_state[fd] holds the descriptor's generation (bits 1..31)
 * and whether it is cached (bit 0). tg_blockcache_open and _close bump the
 * generation, so an entry read through an earlier use of the number never
 * matches again; such entries leave by eviction or invalidation.
 */
#include "tg_blockcache.h"
#include "tg_hash.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Descriptors from this number up are never cached. */
#define BC_FDS 4096
/* The budget's blocks are counted at this size when sizing the tables:
 * Glass's smallest block. */
#define BC_MIN_BLOCK 2048

static _Atomic uint32_t fd_state[BC_FDS];
/* Nonzero while the cache is on: tested before taking the lock. */
static atomic_size_t budget_on;
static _Thread_local int bypass;

typedef struct bc_entry {
    uint64_t off;
    uint32_t state;   /* the descriptor's fd_state when it was read */
    int32_t fd;
    int32_t next;     /* next in its bucket, or in the free list; -1 ends */
    uint32_t len;     /* 0: the entry is free */
    uint8_t ref;      /* CLOCK's referenced bit */
    unsigned char *data;
} bc_entry;

static struct {
    pthread_mutex_t lock;
    size_t budget, bytes;
    bc_entry *e;
    uint32_t used;    /* entries ever handed out since the last reset */
    uint32_t cap;
    uint32_t hand;
    int32_t free_head;
    int32_t *bucket;
    uint32_t mask;
    uint64_t epoch;   /* moves at every invalidation */
    tg_blockcache_stats st;
} bc = {.lock = PTHREAD_MUTEX_INITIALIZER, .free_head = -1};

/* The system's calls, past any interposition of the names open, close and
 * pread in the program (which is how a program routes Glass through here). */
static int sys_open(const char *path, int flags, mode_t mode)
{
    return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

static int sys_close(int fd)
{
    return (int)syscall(SYS_close, fd);
}

static ssize_t sys_pread(int fd, void *buf, size_t n, off_t off)
{
    return (ssize_t)syscall(SYS_pread64, fd, buf, n, off);
}

static uint32_t state_of(int fd)
{
    if (fd < 0 || fd >= BC_FDS)
        return 0;
    return atomic_load_explicit(&fd_state[fd], memory_order_acquire);
}

/* The next generation of fd's number, cached or not. */
static void state_bump(int fd, bool cached)
{
    if (fd < 0 || fd >= BC_FDS)
        return;
    uint32_t gen = (atomic_load_explicit(&fd_state[fd], memory_order_relaxed) >> 1) + 1;
    atomic_store_explicit(&fd_state[fd], (gen << 1) | (cached ? 1u : 0u),
                          memory_order_release);
}

static uint32_t bucket_of(int fd, uint32_t state, uint64_t off)
{
    uint64_t h = tg_hash64_mix((off >> 11) ^ ((uint64_t)(uint32_t)fd << 40) ^
                               ((uint64_t)state << 52) ^ 0x9e3779b97f4a7c15ULL);
    return (uint32_t)h & bc.mask;
}

static int32_t find(int fd, uint32_t state, uint64_t off)
{
    for (int32_t i = bc.bucket[bucket_of(fd, state, off)]; i >= 0; i = bc.e[i].next) {
        const bc_entry *x = &bc.e[i];
        if (x->off == off && x->fd == fd && x->state == state)
            return i;
    }
    return -1;
}

/* Takes entry i out of its bucket and onto the free list. */
static void drop(int32_t i)
{
    bc_entry *x = &bc.e[i];
    int32_t *link = &bc.bucket[bucket_of(x->fd, x->state, x->off)];
    while (*link != i)
        link = &bc.e[*link].next;
    *link = x->next;
    bc.bytes -= x->len;
    free(x->data);
    x->data = NULL;
    x->len = 0;
    x->next = bc.free_head;
    bc.free_head = i;
}

/* Frees one entry by CLOCK. Only called when some entry holds a block. */
static void evict_one(void)
{
    for (;;) {
        uint32_t i = bc.hand;
        bc.hand = bc.hand + 1 < bc.used ? bc.hand + 1 : 0;
        bc_entry *x = &bc.e[i];
        if (!x->len)
            continue;
        if (x->ref) {
            x->ref = 0;
            continue;
        }
        drop((int32_t)i);
        bc.st.evictions++;
        return;
    }
}

static void insert(int fd, uint32_t state, uint64_t off, const void *buf, size_t n)
{
    int32_t i = find(fd, state, off);
    if (i >= 0) {
        if (bc.e[i].len == n)
            return;   /* another thread read it meanwhile */
        drop(i);
    }
    while (bc.bytes + n > bc.budget)
        evict_one();
    if (bc.free_head < 0) {
        if (bc.used < bc.cap) {
            bc.e[bc.used].len = 0;
            bc.e[bc.used].next = -1;
            bc.free_head = (int32_t)bc.used++;
        } else {
            evict_one();
        }
    }
    unsigned char *data = malloc(n);
    if (!data)
        return;
    i = bc.free_head;
    bc_entry *x = &bc.e[i];
    bc.free_head = x->next;
    memcpy(data, buf, n);
    *x = (bc_entry){.off = off, .state = state, .fd = fd, .len = (uint32_t)n, .data = data};
    uint32_t b = bucket_of(fd, state, off);
    x->next = bc.bucket[b];
    bc.bucket[b] = i;
    bc.bytes += n;
}

/* Forgets every block; the lock is held. */
static void reset(void)
{
    for (uint32_t i = 0; i < bc.used; i++)
        free(bc.e[i].data);
    bc.used = 0;
    bc.hand = 0;
    bc.free_head = -1;
    bc.bytes = 0;
    if (bc.bucket)
        memset(bc.bucket, 0xff, ((size_t)bc.mask + 1) * sizeof *bc.bucket);
    bc.epoch++;
}

int tg_blockcache_configure(size_t bytes)
{
    pthread_mutex_lock(&bc.lock);
    reset();
    free(bc.e);
    free(bc.bucket);
    bc.e = NULL;
    bc.bucket = NULL;
    bc.cap = 0;
    bc.mask = 0;
    bc.budget = 0;
    memset(&bc.st, 0, sizeof bc.st);
    int rc = 0;
    if (bytes) {
        if (bytes < TG_BLOCKCACHE_MAX_BLOCK)
            bytes = TG_BLOCKCACHE_MAX_BLOCK;   /* room for any one block */
        size_t cap = bytes / BC_MIN_BLOCK;
        if (cap > (size_t)INT32_MAX / 4)
            cap = (size_t)INT32_MAX / 4;
        size_t nb = 1;
        while (nb < 2 * cap)
            nb <<= 1;
        bc.e = calloc(cap, sizeof *bc.e);
        bc.bucket = malloc(nb * sizeof *bc.bucket);
        if (!bc.e || !bc.bucket) {
            free(bc.e);
            free(bc.bucket);
            bc.e = NULL;
            bc.bucket = NULL;
            rc = -1;
        } else {
            bc.cap = (uint32_t)cap;
            bc.mask = (uint32_t)(nb - 1);
            memset(bc.bucket, 0xff, nb * sizeof *bc.bucket);
            bc.budget = bytes;
        }
    }
    atomic_store(&budget_on, bc.budget);
    pthread_mutex_unlock(&bc.lock);
    return rc;
}

size_t tg_blockcache_budget(void)
{
    return atomic_load(&budget_on);
}

void tg_blockcache_invalidate(void)
{
    if (!atomic_load_explicit(&budget_on, memory_order_relaxed))
        return;
    pthread_mutex_lock(&bc.lock);
    reset();
    bc.st.invalidations++;
    pthread_mutex_unlock(&bc.lock);
}

void tg_blockcache_bypass(int on)
{
    bypass = on;
}

/* A Glass table: "<name>.glass". The version file is "iamglass" and is
 * read with read(2), never cached. */
static bool is_table(const char *path)
{
    size_t n = strlen(path);
    return n > 6 && memcmp(path + n - 6, ".glass", 6) == 0;
}

int tg_blockcache_open(const char *path, int flags, mode_t mode)
{
    int fd = sys_open(path, flags, mode);
    if (fd >= 0)
        state_bump(fd, atomic_load_explicit(&budget_on, memory_order_relaxed) &&
                           (flags & O_ACCMODE) == O_RDONLY && is_table(path));
    return fd;
}

int tg_blockcache_close(int fd)
{
    if (state_of(fd))
        state_bump(fd, false);
    return sys_close(fd);
}

ssize_t tg_blockcache_pread(int fd, void *buf, size_t n, off_t off)
{
    uint32_t state = state_of(fd);
    if (!(state & 1) || bypass || n == 0 || n > TG_BLOCKCACHE_MAX_BLOCK || off < 0)
        return sys_pread(fd, buf, n, off);
    pthread_mutex_lock(&bc.lock);
    if (!bc.budget) {
        pthread_mutex_unlock(&bc.lock);
        return sys_pread(fd, buf, n, off);
    }
    int32_t i = find(fd, state, (uint64_t)off);
    if (i >= 0 && bc.e[i].len == n) {
        memcpy(buf, bc.e[i].data, n);
        bc.e[i].ref = 1;
        bc.st.hits++;
        pthread_mutex_unlock(&bc.lock);
        return (ssize_t)n;
    }
    bc.st.misses++;
    uint64_t epoch = bc.epoch;
    pthread_mutex_unlock(&bc.lock);

    ssize_t r = sys_pread(fd, buf, n, off);
    if (r == (ssize_t)n) {
        int saved = errno;
        pthread_mutex_lock(&bc.lock);
        /* Not kept if the cache was emptied or the descriptor closed while
         * the block was read: it may belong to what was forgotten. */
        if (bc.budget && bc.epoch == epoch && state_of(fd) == state)
            insert(fd, state, (uint64_t)off, buf, n);
        pthread_mutex_unlock(&bc.lock);
        errno = saved;
    }
    return r;
}

void tg_blockcache_get_stats(tg_blockcache_stats *out)
{
    if (!out)
        return;
    pthread_mutex_lock(&bc.lock);
    *out = bc.st;
    out->bytes = bc.bytes;
    out->blocks = 0;
    for (uint32_t i = 0; i < bc.used; i++)
        out->blocks += bc.e[i].len != 0;
    pthread_mutex_unlock(&bc.lock);
}
