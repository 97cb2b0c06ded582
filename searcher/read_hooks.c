/*
 * read_hooks.c - bin/searcher's open(2), close(2) and pread(2), which send
 * Xapian's Glass tables through the block cache (tg_blockcache.h).
 *
 * Glass has no I/O hook of its own, so the searcher defines these three
 * names: libxapian calls them through the dynamic linker, which binds a
 * shared library's calls to the program's definitions first. Every other
 * caller (libxml2, zlib, the searcher itself) gets the same system calls
 * as before: only descriptors the cache marked when they were opened
 * (read-only Glass tables, the cache on) are cached. The library does not
 * define these names, so a program embedding libtigris is never affected.
 */
#define _GNU_SOURCE
#include "tg_blockcache.h"

#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    return tg_blockcache_open(path, flags, mode);
}

int close(int fd)
{
    return tg_blockcache_close(fd);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    return tg_blockcache_pread(fd, buf, n, off);
}
