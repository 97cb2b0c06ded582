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
#include "tg_index_file.h"
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

/* ---- tigris_index_path: a tg_walk, and each file read by tg_index_file
 * (lib/index_file.c), as the indexer does. */

typedef struct path_run {
    tigris_message_fn on_message;
    void *ud;
} path_run;

static void on_walk_error(const char *path, const char *message, void *ud)
{
    const path_run *P = ud;
    if (P->on_message)
        P->on_message(path, message, P->ud);
}

/* The problems and notes of a file; the database failing is the return
 * value (and tigris_index_errmsg), and what the readers skip on purpose
 * (drafts, index pages) is no news to an embedding program. */
static void on_file_message(const tg_file_msg *m, void *ud)
{
    const path_run *P = ud;
    if (m->kind != TG_FILE_MSG_DB_FAILED && m->kind != TG_FILE_MSG_READER_NOTE &&
        P->on_message)
        P->on_message(m->origin ? m->origin : m->path, m->text, P->ud);
}

tigris_status tigris_index_path(tigris_index *t, const char *path, tigris_message_fn on_message,
                                void *ud, tigris_path_stats *stats)
{
    if (!t || !path)
        return TIGRIS_ERR_ARG;
    t->errmsg[0] = '\0';
    path_run P = { on_message, ud };
    tg_walk walk = { .on_error = on_walk_error, .ud = &P };
    tg_seen_ids seen = { 0 };
    tg_index_file_opts fo = TG_INDEX_FILE_OPTS_DEFAULT;
    fo.on_message = on_file_message;
    fo.ud = &P;
    tg_index_file_stats fs = { 0 };
    tg_status st = TG_OK;
    if (tg_walk_add(&walk, path))
        st = TG_ERR_NOMEM;
    for (size_t i = 0; i < walk.npaths && !st; i++)
        st = tg_index_file(t->ix, &walk, i, &seen, &fo, &fs);
    if (st == TG_ERR_NOMEM && !tg_index_errmsg(t->ix)[0])
        fail(t, TIGRIS_ERR_NOMEM, "out of memory");
    if (stats) {
        stats->files += fs.files;
        stats->files_skipped += fs.files_skipped;
        stats->files_failed += fs.files_failed + walk.failed;
        stats->bad_entries += fs.bad_entries + fs.failed_articles + fs.duplicate_ids;
        stats->added += fs.added;
        stats->replaced += fs.replaced;
        stats->unchanged += fs.unchanged;
        stats->duplicates += fs.duplicates;
    }
    tg_walk_free(&walk);
    tg_seen_ids_free(&seen);
    return (tigris_status)st;
}
