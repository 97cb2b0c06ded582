/*
 * walk.c - the files an indexing run reads (tg_walk) and the ids it has
 * met (tg_seen_ids); moved here from indexer/main.c so that the CLI and
 * tigris_index_path walk the same way. See tg_walk.h.
 */
#include "tg_walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tg_buf.h"

static void report(tg_walk *w, const char *path, const char *message)
{
    w->failed++;
    if (w->on_error)
        w->on_error(path, message, w->ud);
}

static int add_path(tg_walk *w, const char *p, int named)
{
    if (TG_ARRAY_RESERVE(w->paths, w->cappaths, w->npaths + 1) ||
        TG_ARRAY_RESERVE(w->named, w->capnamed, w->npaths + 1) ||
        !(w->paths[w->npaths] = strdup(p)))
        return -1;
    w->named[w->npaths] = (unsigned char)named;
    w->npaths++;
    return 0;
}

static size_t fid_slot(const tg_walk *w, dev_t dev, ino_t ino)
{
    uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)ino * 0xC2B2AE3D27D4EB4FULL);
    size_t k = (size_t)(h ^ (h >> 29)) & (w->capfids - 1);
    while ((w->fids[k].dev || w->fids[k].ino) &&
           !(w->fids[k].dev == dev && w->fids[k].ino == ino))
        k = (k + 1) & (w->capfids - 1);
    return k;
}

/* Notes the file or folder sb names. Returns 1 when it was new, 0 when
 * it was met before (through a link), -1 on no memory. */
static int first_visit(tg_walk *w, const struct stat *sb)
{
    if (w->nfids * 2 >= w->capfids) {
        size_t cap = w->capfids ? w->capfids * 2 : 1024;
        struct tg_walk_fid *old = w->fids;
        size_t oldcap = w->capfids;
        if (!(w->fids = calloc(cap, sizeof *w->fids))) {
            w->fids = old;
            return -1;
        }
        w->capfids = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].dev || old[i].ino)
                w->fids[fid_slot(w, old[i].dev, old[i].ino)] = old[i];
        free(old);
    }
    size_t k = fid_slot(w, sb->st_dev, sb->st_ino);
    if (w->fids[k].dev == sb->st_dev && w->fids[k].ino == sb->st_ino &&
        (sb->st_dev || sb->st_ino))
        return 0;
    w->fids[k].dev = sb->st_dev;
    w->fids[k].ino = sb->st_ino;
    w->nfids++;
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects regular files under path (sorted per directory, so runs are
 * reproducible). Links are followed, but nothing is taken twice: a file
 * reached again through a link is skipped, and so is a folder, which
 * also ends a link to an ancestor (a cycle). Returns -1 only on no
 * memory; unreadable entries are reported and counted. */
static int collect(tg_walk *w, const char *path, int top)
{
    struct stat sb;
    if (w->cancel && *w->cancel)
        return 0;
    if (stat(path, &sb) != 0) {
        report(w, path, strerror(errno));
        return 0;
    }
    int fresh = S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode) ? first_visit(w, &sb) : 1;
    if (fresh < 0)
        return -1;
    if (!fresh && S_ISDIR(sb.st_mode)) {
        if (!w->dir_links++)
            snprintf(w->first_dir_link, sizeof w->first_dir_link, "%s", path);
        return 0;
    }
    if (!fresh)
        return 0; /* the same file, through another link: indexed once */
    if (S_ISREG(sb.st_mode)) {
        w->bytes_total += (uint64_t)sb.st_size;
        return add_path(w, path, top);
    }
    if (top && S_ISFIFO(sb.st_mode))
        return add_path(w, path, top); /* a pipe named: read as a file */
    if (!S_ISDIR(sb.st_mode)) {
        if (top)
            report(w, path, "not a regular file or directory");
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        report(w, path, strerror(errno));
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (TG_ARRAY_RESERVE(names, cap, n + 1)) {
            rc = -1;
            break;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len))) { rc = -1; break; }
        snprintf(names[n], len, "%s%s%s", path,
                 path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (!rc)
            rc = collect(w, names[i], 0);
        free(names[i]);
    }
    free(names);
    return rc;
}

int tg_walk_add(tg_walk *w, const char *path)
{
    return collect(w, path, 1);
}

void tg_walk_free(tg_walk *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->npaths; i++)
        free(w->paths[i]);
    free(w->paths);
    free(w->named);
    free(w->fids);
    tg_walk_error_cb cb = w->on_error;
    void *ud = w->ud;
    volatile sig_atomic_t *cancel = w->cancel;
    memset(w, 0, sizeof *w);
    w->on_error = cb;
    w->ud = ud;
    w->cancel = cancel;
}

/* A place packed into a seen id's value: bit 63 set (a value is never
 * 0), bits 61-62 its shape, bits 37-60 the file's number, bits 0-36 the
 * line or entry number, or the index into `other` for any other shape. */
enum { PLACE_NONE = 0, PLACE_LINE = 1, PLACE_ENTRY = 2, PLACE_OTHER = 3 };
#define SEEN_FILE_BITS 24
#define SEEN_NUM_BITS 37
#define SEEN_NUM_MAX ((UINT64_C(1) << SEEN_NUM_BITS) - 1)

static uint64_t pack_place(unsigned shape, uint64_t file, uint64_t num)
{
    return UINT64_C(1) << 63 | (uint64_t)shape << 61 | file << SEEN_NUM_BITS | num;
}

/* tail as ":N" or ":entry N", N written as printf writes it: its shape
 * and N; PLACE_OTHER for anything else. */
static unsigned place_shape(const char *tail, uint64_t *num)
{
    if (!*tail)
        return PLACE_NONE;
    unsigned shape = PLACE_LINE;
    const char *d = tail + 1;
    if (strncmp(tail, ":entry ", 7) == 0) {
        shape = PLACE_ENTRY;
        d = tail + 7;
    } else if (*tail != ':') {
        return PLACE_OTHER;
    }
    if (*d < '0' || *d > '9' || (d[0] == '0' && d[1]) || strlen(d) > 11)
        return PLACE_OTHER;
    uint64_t n = 0;
    for (; *d; d++) {
        if (*d < '0' || *d > '9')
            return PLACE_OTHER;
        n = n * 10 + (uint64_t)(*d - '0');
    }
    if (n > SEEN_NUM_MAX)
        return PLACE_OTHER;
    *num = n;
    return shape;
}

int tg_seen_ids_note(tg_seen_ids *S, const char *id, size_t file, char *const *paths,
                     const char *origin, char *first, size_t firstlen)
{
    uint64_t h = tg_hash64_key(id, strlen(id));
    uint64_t was = tg_u64map_get(&S->ids, h);
    int rc = TG_SEEN_NEW;
    if (was) {
        unsigned shape = (unsigned)(was >> 61) & 3;
        uint64_t wfile = (was >> SEEN_NUM_BITS) & ((UINT64_C(1) << SEEN_FILE_BITS) - 1);
        uint64_t num = was & SEEN_NUM_MAX;
        const char *tail = "";
        char place[32] = "";
        if (shape == PLACE_OTHER) {
            wfile = S->other[num].file;
            tail = S->other[num].tail;
        } else if (shape != PLACE_NONE) {
            snprintf(place, sizeof place, shape == PLACE_LINE ? ":%llu" : ":entry %llu",
                     (unsigned long long)num);
            tail = place;
        }
        snprintf(first, firstlen, "%s%s", paths[wfile], tail);
        rc = wfile == file ? TG_SEEN_SAME_FILE : TG_SEEN_OTHER_FILE;
    }
    const char *path = paths[file];
    size_t plen = strlen(path);
    if (!origin)
        origin = path;
    const char *tail = strncmp(origin, path, plen) == 0 ? origin + plen : "";
    uint64_t num = 0;
    unsigned shape = place_shape(tail, &num);
    if (shape == PLACE_OTHER || file >= (UINT64_C(1) << SEEN_FILE_BITS)) {
        char *copy = strdup(tail);
        if (!copy || TG_ARRAY_RESERVE(S->other, S->capother, S->nother + 1)) {
            free(copy);
            return -1;
        }
        S->other[S->nother] = (struct tg_seen_other){ (uint32_t)file, copy };
        shape = PLACE_OTHER;
        num = S->nother++;
    }
    /* The later reading is what is remembered from then on. */
    if (tg_u64map_set(&S->ids, h, pack_place(shape, shape == PLACE_OTHER ? 0 : file, num)))
        return -1;
    return rc;
}

void tg_seen_ids_free(tg_seen_ids *s)
{
    if (!s)
        return;
    tg_u64map_free(&s->ids);
    for (size_t i = 0; i < s->nother; i++)
        free(s->other[i].tail);
    free(s->other);
    memset(s, 0, sizeof *s);
}
