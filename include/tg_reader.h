/*
 * tg_reader.h - one interface for every archive format.
 *
 * A reader pulls articles out of one input file. Formats register a
 * tg_reader_vtable; adding a format means adding one file with a vtable
 * and one line in the format table (lib/reader.c). Readers stream: an
 * article is produced at a time, and the XML exports are parsed entry by
 * entry, so memory does not grow with the file.
 *
 * Every article a reader hands out has valid UTF-8 in all its fields (bad
 * bytes are read as Latin-1, with a warning) and a body no longer than
 * the configured cap (cut, with a warning): tg_reader_next does this for
 * all formats.
 *
 * Errors are of two kinds. A bad entry (an invalid JSON line, a broken
 * post in an XML export) is reported through the on_error callback with
 * the file and line and reading goes on; tg_reader_next then returns the
 * next good article. A fatal error (unreadable file, truncated gzip) ends
 * the file: tg_reader_next returns TG_ERR_* and tg_reader_errmsg says why.
 * Things skipped on purpose (drafts, an archive page listing many posts)
 * are not errors: they go to the on_notice callback of tg_reader_opts.
 */
#ifndef TG_READER_H
#define TG_READER_H

#include <stdint.h>
#include "tg_article.h"
#include "tg_input.h"

typedef enum tg_format {
    TG_FORMAT_AUTO = 0,
    TG_FORMAT_TEXT,      /* the seed's plain-text article export */
    TG_FORMAT_JSONL,     /* one JSON object per line */
    TG_FORMAT_HTML,      /* a saved web page: one article */
    TG_FORMAT_BLOGGER,   /* Blogger's "Export blog" Atom archive */
    TG_FORMAT_WORDPRESS, /* WordPress export (WXR) */
    TG_FORMAT_RSS,       /* RSS 2.0 (or 1.0) feed */
    TG_FORMAT_ATOM,      /* Atom feed */
    TG_FORMAT_LAST_
} tg_format;

/* "auto", "text", "jsonl", "html", "blogger", "wordpress" (or "wxr"),
 * "rss", "atom" -> format; returns -1 for an unknown name. */
int tg_format_from_name(const char *name);
/* The format's name (static), "auto", or "unknown". */
const char *tg_format_name(tg_format f);
/* The accepted --format names, comma-separated, for messages (static). */
const char *tg_format_names(void);

/* Called for each recoverable problem: origin is "file:line" (or
 * "file: entry N"), message says what is wrong and what was done. */
typedef void (*tg_reader_error_cb)(const char *origin, const char *message, void *ud);

typedef struct tg_reader tg_reader;

/* Default cap on an article's body: 4 MiB of text is a book, not a post. */
#define TG_READER_DEFAULT_MAX_ARTICLE ((size_t)4 << 20)

typedef struct tg_reader_opts {
    uint64_t max_bytes;        /* cap on a file's decompressed size, as for
                                  tg_input_open (0: TG_INPUT_DEFAULT_MAX) */
    size_t max_article_bytes;  /* a longer body is cut, with a warning
                                  (0: TG_READER_DEFAULT_MAX_ARTICLE); XML
                                  exports skip an entry spanning more than
                                  8 times this plus 1 MiB of input, HTML
                                  pages are read up to 4 times this (at
                                  least 16 MiB) */
    int comments;              /* Blogger, WordPress: append each approved
                                  comment to its post as a paragraph
                                  "Comment by NAME (DATE): ..." */
    tg_reader_error_cb on_notice; /* things skipped on purpose (drafts, index
                                     pages); same origin/message form as
                                     on_error; NULL: not reported */
} tg_reader_opts;

#define TG_READER_OPTS_DEFAULT { 0, 0, 0, NULL }

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

/* Opens path with the given format (AUTO sniffs the content); opts may be
 * NULL for the defaults (it is copied). on_error and on_notice get ud.
 * Returns the reader (close with tg_reader_close), or NULL with the reason
 * in errbuf: "PATH: binary file, skipped", "PATH: empty file", "PATH:
 * format not recognised ...", or why the file could not be opened. */
tg_reader *tg_reader_open(const char *path, tg_format fmt, const tg_reader_opts *opts,
                          tg_reader_error_cb on_error, void *ud,
                          char *errbuf, size_t errlen);
/* Why tg_reader_open_why gave no reader: what a caller walking a folder
 * decides on (a binary file beside the pages is no failure). */
typedef enum tg_reader_refusal {
    TG_REFUSED_NONE = 0,       /* a reader was returned */
    TG_REFUSED_UNREADABLE,     /* cannot be opened or read, empty, or the
                                  format's reader refused it */
    TG_REFUSED_NOMEM,          /* out of memory */
    TG_REFUSED_BINARY,         /* a binary file (an image, an archive) */
    TG_REFUSED_UNRECOGNISED    /* AUTO: no format took it */
} tg_reader_refusal;
/* tg_reader_open that also says why it failed (why may be NULL). */
tg_reader *tg_reader_open_why(const char *path, tg_format fmt, const tg_reader_opts *opts,
                              tg_reader_error_cb on_error, void *ud,
                              char *errbuf, size_t errlen, tg_reader_refusal *why);
/* Over memory (borrowed: it must outlive the reader), for tests; path is
 * used in messages and ids. On failure returns NULL and passes the reason
 * to on_error. */
tg_reader *tg_reader_open_mem(const char *data, size_t len, const char *path,
                              tg_format fmt, const tg_reader_opts *opts,
                              tg_reader_error_cb on_error, void *ud);
/* Frees the reader and closes its input; NULL is allowed. */
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
/* For format implementations: report something skipped on purpose
 * (through opts.on_notice; dropped when there is none). */
void tg_reader_note(tg_reader *r, uint64_t where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* For format implementations: set the fatal error text. */
void tg_reader_fail(tg_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* For format implementations: the options in effect, defaults filled in
 * (borrowed, valid while the reader is open). */
const tg_reader_opts *tg_reader_options(const tg_reader *r);
/* For formats that read their file twice (Blogger comments come after all
 * posts): a fresh input over the same file or memory, from its start, with
 * the same size cap. Returns NULL for standard input (it cannot be read
 * again) or when it cannot be opened, with the reason in errbuf. */
tg_input *tg_reader_reopen(const tg_reader *r, char *errbuf, size_t errlen);

#endif
