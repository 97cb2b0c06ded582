/*
 * test_blockcache.c - the block cache under Glass (tg_blockcache.h): which
 * descriptors it caches, that a cached block is the one read, that it
 * keeps a handle's revision until invalidated, that a closed descriptor's
 * number never sees the old file's blocks, eviction within the budget,
 * short reads, the bypass, and the cache off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "scratch.h"
#include "tg_blockcache.h"

#define BLOCK 8192
#define NBLOCKS 24

static char root[256];

/* Writes name under root: NBLOCKS blocks, block i filled with byte
 * (seed + i). Returns the path (static buffer of the caller). */
static void write_file(char *path, size_t n, const char *name, int seed)
{
    snprintf(path, n, "%s/%s", root, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    unsigned char b[BLOCK];
    for (int i = 0; i < NBLOCKS; i++) {
        memset(b, seed + i, sizeof b);
        assert_int_equal(fwrite(b, 1, sizeof b, f), sizeof b);
    }
    assert_int_equal(fclose(f), 0);
}

/* Reads block i of fd through the cache; returns its first byte after
 * checking the whole block holds that byte. */
static int read_block(int fd, int i)
{
    unsigned char b[BLOCK];
    assert_int_equal(tg_blockcache_pread(fd, b, BLOCK, (off_t)i * BLOCK), BLOCK);
    for (size_t k = 1; k < BLOCK; k++)
        assert_int_equal(b[k], b[0]);
    return b[0];
}

static tg_blockcache_stats stats(void)
{
    tg_blockcache_stats st;
    tg_blockcache_get_stats(&st);
    return st;
}

static int setup(void **state)
{
    (void)state;
    return scratch_make(root, sizeof root, "tg-blockcache");
}

static int teardown(void **state)
{
    (void)state;
    tg_blockcache_configure(0);
    return scratch_remove(root);
}

static void test_table_blocks_cached(void **state)
{
    (void)state;
    char path[300];
    write_file(path, sizeof path, "postlist.glass", 10);
    assert_int_equal(tg_blockcache_configure(1 << 20), 0);
    int fd = tg_blockcache_open(path, O_RDONLY, 0);
    assert_true(fd >= 0);
    assert_int_equal(read_block(fd, 3), 13);
    assert_int_equal(stats().misses, 1);
    assert_int_equal(stats().hits, 0);
    assert_int_equal(read_block(fd, 3), 13);
    assert_int_equal(read_block(fd, 3), 13);
    assert_int_equal(stats().hits, 2);
    assert_int_equal(read_block(fd, 4), 14);
    assert_int_equal(stats().misses, 2);
    assert_int_equal(stats().blocks, 2);
    assert_int_equal(stats().bytes, 2 * BLOCK);
    assert_int_equal(tg_blockcache_close(fd), 0);
}

/* A handle reads one revision: what it cached stays until invalidated,
 * whatever a writer does to the file meanwhile; then the file is read. */
static void test_revision_kept_until_invalidated(void **state)
{
    (void)state;
    char path[300];
    write_file(path, sizeof path, "termlist.glass", 20);
    assert_int_equal(tg_blockcache_configure(1 << 20), 0);
    int fd = tg_blockcache_open(path, O_RDONLY, 0);
    assert_true(fd >= 0);
    assert_int_equal(read_block(fd, 1), 21);

    int wfd = open(path, O_WRONLY);
    assert_true(wfd >= 0);
    unsigned char b[BLOCK];
    memset(b, 99, sizeof b);
    assert_int_equal(pwrite(wfd, b, BLOCK, BLOCK), BLOCK);
    assert_int_equal(close(wfd), 0);

    assert_int_equal(read_block(fd, 1), 21);   /* the cached revision */
    tg_blockcache_invalidate();
    assert_int_equal(stats().blocks, 0);
    assert_int_equal(stats().invalidations, 1);
    assert_int_equal(read_block(fd, 1), 99);   /* the file now */
    assert_int_equal(tg_blockcache_close(fd), 0);
}

/* Not cached: a file that is not a table, a table opened for writing, a
 * table opened while the cache was off, reads while bypassed. */
static void test_what_is_not_cached(void **state)
{
    (void)state;
    char data[300], table[300];
    write_file(data, sizeof data, "articles.data", 30);
    write_file(table, sizeof table, "position.glass", 40);
    int before = tg_blockcache_open(table, O_RDONLY, 0);   /* cache off */
    assert_int_equal(tg_blockcache_configure(1 << 20), 0);
    int fds[3] = {tg_blockcache_open(data, O_RDONLY, 0), tg_blockcache_open(table, O_RDWR, 0),
                  before};
    for (int k = 0; k < 3; k++) {
        assert_true(fds[k] >= 0);
        assert_int_equal(read_block(fds[k], 2), k == 0 ? 32 : 42);
        assert_int_equal(read_block(fds[k], 2), k == 0 ? 32 : 42);
    }
    assert_int_equal(stats().hits + stats().misses, 0);

    int fd = tg_blockcache_open(table, O_RDONLY, 0);
    tg_blockcache_bypass(1);
    assert_int_equal(read_block(fd, 5), 45);
    assert_int_equal(read_block(fd, 5), 45);
    tg_blockcache_bypass(0);
    assert_int_equal(stats().hits + stats().misses, 0);
    assert_int_equal(read_block(fd, 5), 45);
    assert_int_equal(read_block(fd, 5), 45);
    assert_int_equal(stats().hits, 1);
    for (int k = 0; k < 3; k++)
        assert_int_equal(tg_blockcache_close(fds[k]), 0);
    assert_int_equal(tg_blockcache_close(fd), 0);
}

/* A descriptor number closed and reused for another table never answers
 * with the first table's blocks. */
static void test_reused_descriptor(void **state)
{
    (void)state;
    char a[300], b[300];
    write_file(a, sizeof a, "a.glass", 50);
    write_file(b, sizeof b, "b.glass", 70);
    assert_int_equal(tg_blockcache_configure(1 << 20), 0);
    int fd = tg_blockcache_open(a, O_RDONLY, 0);
    assert_int_equal(read_block(fd, 0), 50);
    assert_int_equal(tg_blockcache_close(fd), 0);
    int fd2 = tg_blockcache_open(b, O_RDONLY, 0);
    assert_int_equal(fd2, fd);   /* the lowest free number: the same */
    assert_int_equal(read_block(fd2, 0), 70);
    assert_int_equal(read_block(fd2, 0), 70);
    assert_int_equal(stats().hits, 1);
    assert_int_equal(tg_blockcache_close(fd2), 0);
    /* Reused by an open that does not pass through the cache (a library's
     * own, a socket): the number is not cached any more. */
    int fd3 = open(a, O_RDONLY);
    assert_int_equal(fd3, fd);
    assert_int_equal(read_block(fd3, 0), 50);
    assert_int_equal(read_block(fd3, 0), 50);
    assert_int_equal(stats().hits + stats().misses, 3);   /* the three above */
    assert_int_equal(close(fd3), 0);
}

/* The budget holds: 64 KiB (the least it takes) is 8 blocks; reading 24
 * twice over evicts and every read still returns its own block. */
static void test_eviction_within_budget(void **state)
{
    (void)state;
    char path[300];
    write_file(path, sizeof path, "docdata.glass", 100);
    assert_int_equal(tg_blockcache_configure(1), 0);
    assert_int_equal(tg_blockcache_budget(), TG_BLOCKCACHE_MAX_BLOCK);
    int fd = tg_blockcache_open(path, O_RDONLY, 0);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < NBLOCKS; i++) {
            assert_int_equal(read_block(fd, i), 100 + i);
            assert_true(stats().bytes <= TG_BLOCKCACHE_MAX_BLOCK);
        }
    assert_int_equal(stats().blocks, TG_BLOCKCACHE_MAX_BLOCK / BLOCK);
    assert_true(stats().evictions >= 2 * NBLOCKS - TG_BLOCKCACHE_MAX_BLOCK / BLOCK);
    /* A block read again and again stays while others pass through. */
    tg_blockcache_invalidate();
    for (int i = 0; i < NBLOCKS; i++) {
        assert_int_equal(read_block(fd, 0), 100);
        assert_int_equal(read_block(fd, i), 100 + i);
    }
    assert_true(stats().hits >= NBLOCKS - 1);
    assert_int_equal(tg_blockcache_close(fd), 0);
}

/* A read that comes back short (the file's end) is not kept; a read larger
 * than any block passes through. */
static void test_short_and_large_reads(void **state)
{
    (void)state;
    char path[300];
    write_file(path, sizeof path, "spelling.glass", 1);
    assert_int_equal(tg_blockcache_configure(1 << 20), 0);
    int fd = tg_blockcache_open(path, O_RDONLY, 0);
    unsigned char b[BLOCK];
    off_t last = (off_t)NBLOCKS * BLOCK - 100;
    for (int k = 0; k < 2; k++)
        assert_int_equal(tg_blockcache_pread(fd, b, BLOCK, last), 100);
    assert_int_equal(stats().hits, 0);
    static unsigned char big[2 * TG_BLOCKCACHE_MAX_BLOCK];
    for (int k = 0; k < 2; k++)
        assert_int_equal(tg_blockcache_pread(fd, big, sizeof big, 0), sizeof big);
    assert_int_equal(big[0], 1);
    assert_int_equal(big[sizeof big - 1], 1 + (int)(sizeof big - 1) / BLOCK);
    assert_int_equal(stats().blocks, 0);
    assert_int_equal(tg_blockcache_close(fd), 0);
}

/* Off: every read goes to the file and nothing is counted. */
static void test_off(void **state)
{
    (void)state;
    char path[300];
    write_file(path, sizeof path, "synonym.glass", 5);
    assert_int_equal(tg_blockcache_configure(0), 0);
    assert_int_equal(tg_blockcache_budget(), 0);
    int fd = tg_blockcache_open(path, O_RDONLY, 0);
    assert_int_equal(read_block(fd, 7), 12);
    assert_int_equal(read_block(fd, 7), 12);
    tg_blockcache_invalidate();
    tg_blockcache_stats st = stats();
    assert_int_equal(st.hits + st.misses + st.invalidations + st.blocks, 0);
    assert_int_equal(tg_blockcache_close(fd), 0);
    assert_int_equal(tg_blockcache_close(-1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_table_blocks_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revision_kept_until_invalidated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_what_is_not_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reused_descriptor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eviction_within_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_and_large_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_off, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
