/*
 * index_file.c - one input file into the index (include/tg_index_file.h):
 * what the indexer and tigris_index_path both do with each file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_index_file.h"
#include "tg_input.h"

typedef struct file_run {
    const tg_index_file_opts *o;
    tg_index_file_stats *st;
    const char *path;
} file_run;

int tg_index_status_is_fatal(tg_status st)
{
    switch (st) {
    case TG_ERR_DB:
    case TG_ERR_NOMEM:
    case TG_ERR_LOCKED:
    case TG_ERR_IO:
        return 1;
    default:
        return 0;
    }
}

static void tell(const file_run *F, tg_file_msg_kind kind, const char *origin, const char *text,
                 const tg_article *article)
{
    const tg_index_file_opts *o = F->o;
    if (!o->on_message)
        return;
    if (o->quiet && (kind == TG_FILE_MSG_SKIPPED || kind == TG_FILE_MSG_NOTE ||
                     kind == TG_FILE_MSG_READER_NOTE))
        return;
    tg_file_msg m = { kind, F->path, origin, text, article };
    o->on_message(&m, o->ud);
}

/* tell, with the text formatted; an id in it may be of any length. */
__attribute__((format(printf, 4, 5)))
static void tellf(const file_run *F, tg_file_msg_kind kind, const char *origin,
                  const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    char *big = n >= (int)sizeof small ? malloc((size_t)n + 1) : NULL;
    if (big) {
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    tell(F, kind, origin, big ? big : small, NULL);
    free(big);
}

/* A reader's message: "PATH: empty file" is told as origin PATH, text
 * "empty file"; one that does not start with the path ("cannot open
 * PATH: ...") names the place itself. */
static void tell_reader_failure(const file_run *F, const char *msg)
{
    size_t n = strlen(F->path);
    if (strncmp(msg, F->path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        tell(F, TG_FILE_MSG_FILE_FAILED, F->path, msg + n + 2, NULL);
    else
        tell(F, TG_FILE_MSG_FILE_FAILED, NULL, msg, NULL);
}

static void on_entry_error(const char *origin, const char *message, void *ud)
{
    file_run *F = ud;
    F->st->bad_entries++;
    tell(F, TG_FILE_MSG_BAD_ENTRY, origin, message, NULL);
}

static void on_entry_notice(const char *origin, const char *message, void *ud)
{
    tell(ud, TG_FILE_MSG_READER_NOTE, origin, message, NULL);
}

/* Notes a's id; tells when it was met before in this run. Within one file
 * that is an error in the file; across files it is the same article
 * reached twice (a page and a feed), which is only worth a note. The
 * index keeps the later one either way: the id is its identity. Returns
 * -1 on no memory. */
static int note_id(const file_run *F, const tg_walk *w, size_t file, tg_seen_ids *seen,
                   const tg_article *a)
{
    const char *origin = a->origin ? a->origin : F->path;
    char first[4096];
    int was = tg_seen_ids_note(seen, a->id, file, w->paths, origin, first, sizeof first);
    if (was < 0)
        return -1;
    if (was == TG_SEEN_SAME_FILE) {
        F->st->duplicate_ids++;
        tellf(F, TG_FILE_MSG_DUPLICATE_ID, origin, "duplicate id \"%s\" (first seen at %s); "
              "the later one is kept", a->id, first);
    } else if (was == TG_SEEN_OTHER_FILE) {
        tellf(F, TG_FILE_MSG_NOTE, origin, "id \"%s\" was read before, from %s: the same "
              "article reached twice; the later one is kept", a->id, first);
    }
    return 0;
}

static int cancelled(const tg_index_file_opts *o)
{
    return o->cancel && *o->cancel;
}

/* Opens the file, or tells why not. NULL: nothing to read (skipped,
 * failed or cancelled; counted). */
static tg_reader *open_file(file_run *F, int named)
{
    const tg_index_file_opts *o = F->o;
    tg_reader_opts ro = o->ropts;
    ro.on_notice = on_entry_notice;
    char err[512];
    tg_reader_refusal why;
    tg_reader *rd = tg_reader_open_why(F->path, o->format, &ro, on_entry_error, F, err,
                                       sizeof err, &why);
    /* In a folder, images and stylesheets sit beside the pages: not
     * article files, and no failure. Named, they are. */
    if (!rd && !named && (why == TG_REFUSED_BINARY || why == TG_REFUSED_UNRECOGNISED)) {
        tell(F, TG_FILE_MSG_SKIPPED, F->path, why == TG_REFUSED_BINARY ? "skipped: binary file"
             : "skipped: not an article file", NULL);
        F->st->files_skipped++;
        return NULL;
    }
    if (!rd && cancelled(o))
        return NULL; /* cut short while sniffing: no failure */
    if (!rd) {
        tell_reader_failure(F, err);
        F->st->files_failed++;
        return NULL;
    }
    if (!named && tg_reader_confidence(rd) < TG_SNIFF_SURE) {
        tell(F, TG_FILE_MSG_SKIPPED, F->path, "skipped: does not look like an article file "
             "(name it, or use --format, to index it)", NULL);
        F->st->files_skipped++;
        F->st->bytes += tg_input_bytes_in(tg_reader_input(rd));
        tg_reader_close(rd);
        return NULL;
    }
    return rd;
}

/* Adds one article read. Returns TG_OK, or the status that stops the run. */
static tg_status add_article(file_run *F, tg_index *ix, tg_reader *rd, const tg_article *a)
{
    const char *origin = a->origin ? a->origin : F->path;
    tg_add_result res;
    tg_status st = tg_index_add(ix, a, &res);
    if (tg_index_status_is_fatal(st)) {
        tell(F, TG_FILE_MSG_DB_FAILED, origin, tg_index_errmsg(ix), a);
        return st;
    }
    if (st) {
        F->st->failed_articles++;
        tell(F, TG_FILE_MSG_ARTICLE_FAILED, origin, tg_index_errmsg(ix), NULL);
        return TG_OK;
    }
    if (res == TG_ADD_NEW)
        F->st->added++;
    else if (res == TG_ADD_REPLACED)
        F->st->replaced++;
    else if (res == TG_ADD_DUPLICATE) {
        F->st->duplicates++;
        tellf(F, TG_FILE_MSG_NOTE, origin, "note: %s", tg_index_errmsg(ix));
    } else
        F->st->unchanged++;
    if (F->o->on_progress)
        F->o->on_progress(F->st->added + F->st->replaced + F->st->unchanged,
                          F->st->bytes + tg_input_bytes_in(tg_reader_input(rd)), F->o->ud);
    return TG_OK;
}

tg_status tg_index_file(tg_index *ix, const tg_walk *w, size_t file, tg_seen_ids *seen,
                        const tg_index_file_opts *o, tg_index_file_stats *stats)
{
    file_run F = { o, stats, w->paths[file] };
    tg_reader *rd = open_file(&F, w->named[file]);
    if (!rd)
        return TG_OK;
    stats->files++;
    if (tg_index_begin_source(ix, F.path)) {
        tell(&F, TG_FILE_MSG_DB_FAILED, NULL, "out of memory", NULL);
        tg_reader_close(rd);
        return TG_ERR_NOMEM;
    }
    tg_article a;
    tg_article_init(&a);
    tg_status rc = TG_OK;
    int done = 0, read_whole = 0;
    while (!cancelled(o)) {
        tg_article_clear(&a);
        tg_status st = tg_reader_next(rd, &a, &done);
        if (st && cancelled(o))
            break; /* the read was cut short: no failure */
        if (st) {
            tell_reader_failure(&F, tg_reader_errmsg(rd));
            stats->files_failed++;
            break;
        }
        read_whole = done;
        if (done)
            break;
        if (seen && note_id(&F, w, file, seen, &a)) {
            tell(&F, TG_FILE_MSG_DB_FAILED, NULL, "out of memory", NULL);
            rc = TG_ERR_NOMEM;
            break;
        }
        if ((rc = add_article(&F, ix, rd, &a)))
            break;
    }
    /* Pruning only after a whole reading, or a read error would delete. */
    size_t removed = 0;
    tg_status st = tg_index_end_source(ix, o->prune && read_whole && !rc, &removed);
    if (st) {
        tell(&F, TG_FILE_MSG_DB_FAILED, F.path, tg_index_errmsg(ix), NULL);
        if (!rc)
            rc = st;
    }
    stats->removed += removed;
    stats->bytes += tg_input_bytes_in(tg_reader_input(rd));
    tg_article_clear(&a);
    tg_reader_close(rd);
    return rc;
}
