/*
 * tigris_index.c - the public API's writing side (include/tigris.h): a
 * tg_index behind an opaque handle, and tigris_index_path, which walks and
 * reads as the indexer does (the same tg_walk, readers and id table).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tigris.h"
#include "tg_index.h"
#include "tg_reader.h"
#include "tg_text.h"
#include "tg_walk.h"
#include "xapian_c.h"

struct tigris_index {
    tg_index *ix;
    char errmsg[512];    /* the API's own errors (a bad article); "" otherwise */
};

/* tigris_status is tg_status under its public name: the values match. */
_Static_assert(TIGRIS_ERR_NOMEM == (int)TG_ERR_NOMEM && TIGRIS_ERR_DB == (int)TG_ERR_DB &&
               TIGRIS_ERR_LOCKED == (int)TG_ERR_LOCKED && TIGRIS_ERR_LIMIT == (int)TG_ERR_LIMIT &&
               TIGRIS_ERR_INTERNAL == (int)TG_ERR_INTERNAL &&
               TIGRIS_ERR_INTERNAL + 1 == (int)TG_STATUS_LAST_,
               "tigris_status and tg_status differ");

const char *tigris_version(void)
{
    return TIGRIS_VERSION_STRING;
}

const char *tigris_xapian_version(void)
{
    return xc_version_string();
}

const char *tigris_status_string(tigris_status st)
{
    return tg_status_to_string((tg_status)st);
}

tigris_index *tigris_index_open(const char *path, const char *lang, char *errbuf, size_t errlen)
{
    char err[512];
    if (!path) {
        if (errlen)
            snprintf(errbuf, errlen, "no database path");
        return NULL;
    }
    tigris_index *t = calloc(1, sizeof *t);
    if (!t) {
        if (errlen)
            snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    tg_index_opts io = TG_INDEX_OPTS_DEFAULT;
    io.lang = lang;
    if (tg_index_finish_build(path, err, sizeof err) < 0 ||
        !(t->ix = tg_index_open(path, &io, err, sizeof err))) {
        if (errlen)
            snprintf(errbuf, errlen, "%s", err);
        free(t);
        return NULL;
    }
    return t;
}

static tigris_status fail(tigris_index *t, tigris_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->errmsg, sizeof t->errmsg, fmt, ap);
    va_end(ap);
    return st;
}

/* Copies the caller's borrowed fields into an article; checks UTF-8, which
 * readers guarantee and a caller may not. */
static tigris_status to_article(tigris_index *t, const tigris_article *in, tg_article *a)
{
    if (!in->id || !*in->id)
        return fail(t, TIGRIS_ERR_ARG, "article has no id");
    if (!in->body)
        return fail(t, TIGRIS_ERR_ARG, "article %.60s has no body", in->id);
    const char *fields[] = { in->id, in->url, in->title, in->date, in->author, in->body };
    char **dst[] = { &a->id, &a->url, &a->title, &a->date, &a->author, &a->body };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (!fields[i])
            continue;
        if (!tg_utf8_valid(fields[i], strlen(fields[i])))
            return fail(t, TIGRIS_ERR_ARG, "article %.60s: text is not valid UTF-8", in->id);
        if (tg_article_set(dst[i], fields[i], (size_t)-1))
            return TIGRIS_ERR_NOMEM;
    }
    for (size_t i = 0; i < in->ntags; i++) {
        if (!in->tags[i])
            continue;
        if (!tg_utf8_valid(in->tags[i], strlen(in->tags[i])))
            return fail(t, TIGRIS_ERR_ARG, "article %.60s: a tag is not valid UTF-8", in->id);
        if (tg_article_add_tag(a, in->tags[i], strlen(in->tags[i])))
            return TIGRIS_ERR_NOMEM;
    }
    return TIGRIS_OK;
}

static tigris_added added_of(tg_add_result r)
{
    switch (r) {
    case TG_ADD_NEW: return TIGRIS_ADDED_NEW;
    case TG_ADD_REPLACED: return TIGRIS_ADDED_REPLACED;
    case TG_ADD_DUPLICATE: return TIGRIS_ADDED_DUPLICATE;
    default: return TIGRIS_ADDED_UNCHANGED;
    }
}

tigris_status tigris_index_add(tigris_index *t, const tigris_article *in, tigris_added *added)
{
    if (!t || !in)
        return TIGRIS_ERR_ARG;
    t->errmsg[0] = '\0';
    tg_article a;
    tg_article_init(&a);
    tigris_status st = to_article(t, in, &a);
    tg_add_result res = TG_ADD_UNCHANGED;
    if (!st)
        st = (tigris_status)tg_index_add(t->ix, &a, &res);
    tg_article_clear(&a);
    if (!st && added)
        *added = added_of(res);
    return st;
}

tigris_status tigris_index_delete(tigris_index *t, const char *id)
{
    if (!t || !id)
        return TIGRIS_ERR_ARG;
    t->errmsg[0] = '\0';
    return (tigris_status)tg_index_delete(t->ix, id);
}

tigris_status tigris_index_commit(tigris_index *t)
{
    if (!t)
        return TIGRIS_ERR_ARG;
    t->errmsg[0] = '\0';
    return (tigris_status)tg_index_commit(t->ix);
}

uint32_t tigris_index_count(tigris_index *t)
{
    return t ? tg_index_doccount(t->ix) : 0;
}

const char *tigris_index_errmsg(const tigris_index *t)
{
    if (!t)
        return "";
    return t->errmsg[0] ? t->errmsg : tg_index_errmsg(t->ix);
}

tigris_status tigris_index_close(tigris_index *t)
{
    if (!t)
        return TIGRIS_OK;
    tigris_status st = (tigris_status)tg_index_close(t->ix);
    free(t);
    return st;
}

tigris_status tigris_compact(const char *path, char *errbuf, size_t errlen)
{
    char err[512];
    if (!path)
        return TIGRIS_ERR_ARG;
    if (tg_index_compact(path, err, sizeof err)) {
        if (errlen)
            snprintf(errbuf, errlen, "%s", err);
        return TIGRIS_ERR_DB;
    }
    return TIGRIS_OK;
}

/* ---- tigris_index_path */

typedef struct path_run {
    tigris_index *t;
    tigris_message_fn on_message;
    void *ud;
    tigris_path_stats *st;
    tg_walk walk;
    tg_seen_ids seen;
} path_run;

static void tell(const path_run *P, const char *where, const char *message)
{
    if (P->on_message)
        P->on_message(where, message, P->ud);
}

/* A reader's message without the path it starts with ("PATH: empty file"),
 * since where already names the file. */
static const char *after_path(const char *msg, const char *path)
{
    size_t n = strlen(path);
    return strncmp(msg, path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ' ? msg + n + 2 : msg;
}

static void on_walk_error(const char *path, const char *message, void *ud)
{
    tell(ud, path, message);
}

static void on_entry_error(const char *origin, const char *message, void *ud)
{
    path_run *P = ud;
    P->st->bad_entries++;
    tell(P, origin, message);
}

/* Tells of an id read twice in this run, as the indexer does. Returns -1
 * on no memory. */
static int note_id(path_run *P, size_t file, const tg_article *a)
{
    const char *origin = a->origin ? a->origin : P->walk.paths[file];
    char first[4096], msg[4400];
    int seen = tg_seen_ids_note(&P->seen, a->id, file, P->walk.paths, origin, first, sizeof first);
    if (seen < 0)
        return -1;
    if (seen == TG_SEEN_SAME_FILE) {
        P->st->bad_entries++;
        snprintf(msg, sizeof msg, "duplicate id \"%s\" (first seen at %s); the later one is kept",
                 a->id, first);
        tell(P, origin, msg);
    } else if (seen == TG_SEEN_OTHER_FILE) {
        snprintf(msg, sizeof msg, "id \"%s\" was read before, from %s: the same article "
                 "reached twice; the later one is kept", a->id, first);
        tell(P, origin, msg);
    }
    return 0;
}

/* Reads one file into the index. A file found in a folder that is not an
 * article file (an image, a README) is skipped; one named, or one that
 * fails while being read, is a failure. Returns TIGRIS_OK, or the
 * database's (or memory's) error, which ends the run. */
static tigris_status read_file(path_run *P, size_t file)
{
    const char *path = P->walk.paths[file];
    int named = P->walk.named[file];
    char err[512];
    tg_reader_opts ro = TG_READER_OPTS_DEFAULT;
    tg_reader *rd = tg_reader_open(path, TG_FORMAT_AUTO, &ro, on_entry_error, P, err, sizeof err);
    if (!rd || (!named && tg_reader_confidence(rd) < TG_SNIFF_SURE)) {
        if (named)
            P->st->files_failed++;
        else
            P->st->files_skipped++;
        tell(P, path, rd ? "skipped: does not look like an article file" : after_path(err, path));
        tg_reader_close(rd);
        return TIGRIS_OK;
    }
    P->st->files++;
    tg_index *ix = P->t->ix;
    if (tg_index_begin_source(ix, path)) {
        tg_reader_close(rd);
        return TIGRIS_ERR_NOMEM;
    }
    tg_article a;
    tg_article_init(&a);
    tg_status st = TG_OK;
    for (;;) {
        int done = 0;
        tg_article_clear(&a);
        if (tg_reader_next(rd, &a, &done)) {
            P->st->files_failed++;
            tell(P, path, after_path(tg_reader_errmsg(rd), path));
            break;
        }
        if (done)
            break;
        if (note_id(P, file, &a)) {
            st = TG_ERR_NOMEM;
            break;
        }
        tg_add_result res;
        st = tg_index_add(ix, &a, &res);
        if (st == TG_ERR_DB || st == TG_ERR_NOMEM || st == TG_ERR_LOCKED)
            break; /* the database failed, not the input */
        if (st) {
            P->st->bad_entries++;
            tell(P, a.origin ? a.origin : path, tg_index_errmsg(ix));
            st = TG_OK;
            continue;
        }
        switch (res) {
        case TG_ADD_NEW: P->st->added++; break;
        case TG_ADD_REPLACED: P->st->replaced++; break;
        case TG_ADD_DUPLICATE: P->st->duplicates++; break;
        default: P->st->unchanged++; break;
        }
    }
    if (tg_index_end_source(ix, 0, NULL) && !st)
        st = TG_ERR_DB;
    tg_article_clear(&a);
    tg_reader_close(rd);
    return (tigris_status)st;
}

tigris_status tigris_index_path(tigris_index *t, const char *path, tigris_message_fn on_message,
                                void *ud, tigris_path_stats *stats)
{
    tigris_path_stats local = { 0 };
    if (!t || !path)
        return TIGRIS_ERR_ARG;
    t->errmsg[0] = '\0';
    path_run P = { .t = t, .on_message = on_message, .ud = ud, .st = stats ? stats : &local };
    P.walk.on_error = on_walk_error;
    P.walk.ud = &P;
    tigris_status st = TIGRIS_OK;
    if (tg_walk_add(&P.walk, path))
        st = TIGRIS_ERR_NOMEM;
    P.st->files_failed += P.walk.failed;
    for (size_t i = 0; i < P.walk.npaths && !st; i++)
        st = read_file(&P, i);
    if (st == TIGRIS_ERR_NOMEM && !t->errmsg[0] && !tg_index_errmsg(t->ix)[0])
        fail(t, st, "out of memory");
    tg_walk_free(&P.walk);
    tg_seen_ids_free(&P.seen);
    return st;
}
