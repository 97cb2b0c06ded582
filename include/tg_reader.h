/*
 * tg_reader.h - one interface for every archive format.
 *
 * A reader pulls articles out of one input file. Formats register a
 * tg_reader_vtable; adding a format (HTML, Blogger, WordPress, feeds) means
 * adding one file with a vtable and one line in the format table
 * (lib/reader.c). Readers stream: an article is produced at a time.
 *
 * Errors are of two kinds. A bad entry (an invalid JSON line) is reported
 * through the on_error callback with the file and line and reading goes
 * on; tg_reader_next then returns the next good article. A fatal error
 * (unreadable file, truncated gzip) ends the file: tg_reader_next returns
 * TG_ERR_* and tg_reader_errmsg says why.
 */
#ifndef TG_READER_H
#define TG_READER_H

#include <stdint.h>
#include "tg_article.h"
#include "tg_input.h"

typedef enum tg_format {
    TG_FORMAT_AUTO = 0,
    TG_FORMAT_TEXT,    /* the seed's plain-text article export */
    TG_FORMAT_JSONL,   /* one JSON object per line */
    TG_FORMAT_LAST_
} tg_format;

/* "auto", "text", "jsonl" -> format; returns -1 for an unknown name. */
int tg_format_from_name(const char *name);
const char *tg_format_name(tg_format f);

/* Called for each recoverable problem: origin is "file:line" (or
 * "file: entry N"), message says what is wrong and what was done. */
typedef void (*tg_reader_error_cb)(const char *origin, const char *message, void *ud);

typedef struct tg_reader tg_reader;

typedef struct tg_reader_vtable {
    const char *name;
    /* Does this format recognise the first bytes of a (decompressed) file?
     * Returns a confidence 0..100. */
    int (*sniff)(const char *head, size_t n, const char *path);
    /* Allocates format state into *state. */
    tg_status (*open)(tg_reader *r, void **state);
    /* Fills a (cleared by the caller) with the next article. Returns TG_OK
     * and sets *done = 1 at end of input. */
    tg_status (*next)(tg_reader *r, void *state, tg_article *a, int *done);
    void (*close)(void *state);
} tg_reader_vtable;

/* Opens path with the given format (AUTO sniffs the content). max_bytes as
 * for tg_input_open. Returns NULL with a reason in errbuf on failure. */
tg_reader *tg_reader_open(const char *path, tg_format fmt, uint64_t max_bytes,
                          tg_reader_error_cb on_error, void *ud,
                          char *errbuf, size_t errlen);
/* Over memory (borrowed), for tests; path is used in messages and ids. */
tg_reader *tg_reader_open_mem(const char *data, size_t len, const char *path,
                              tg_format fmt, tg_reader_error_cb on_error, void *ud);
void tg_reader_close(tg_reader *r);

/* Next article into a (cleared first). Returns TG_OK with *done = 0 for an
 * article, TG_OK with *done = 1 at the end, or an error for a fatal
 * problem (message in tg_reader_errmsg). */
tg_status tg_reader_next(tg_reader *r, tg_article *a, int *done);

const char *tg_reader_errmsg(const tg_reader *r);
const char *tg_reader_path(const tg_reader *r);
tg_format tg_reader_format(const tg_reader *r);
tg_input *tg_reader_input(tg_reader *r);
/* How sure the format choice is: the winning sniff score (0..100), or 100
 * when the format was named. Below TG_SNIFF_SURE, a file met while walking
 * a directory is better skipped (a README beside the articles). */
int tg_reader_confidence(const tg_reader *r);
#define TG_SNIFF_SURE 30
/* For format implementations: report a recoverable problem at line (or
 * entry) number `where` (0: the file as a whole). The origin passed to
 * on_error is "path:where" or "path". */
void tg_reader_warn(tg_reader *r, uint64_t where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* For format implementations: set the fatal error text. */
void tg_reader_fail(tg_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
