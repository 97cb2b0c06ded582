/*
 * tigris.h - the public C API of libtigris: index article archives and
 * search them, from any C or C++ program.
 *
 *     #include <tigris.h>
 *     cc prog.c $(pkg-config --cflags --libs tigris)
 *
 * This is the only header `make install` installs; the tg_*.h headers of
 * the source tree are internal and may change at any release. Every type
 * here is opaque or a plain struct of borrowed pointers, and every symbol
 * starts with tigris_ (the shared library exports nothing else).
 *
 * Conventions:
 *   - Functions that can fail return tigris_status (TIGRIS_OK == 0); the
 *     detail ("which file, what Xapian said") is kept on the handle that
 *     failed: tigris_index_errmsg, tigris_searcher_errmsg. Opening
 *     functions, which have no handle yet, write it into errbuf.
 *   - Strings returned as `const char *` are borrowed: they stay valid
 *     until the call named beside them (usually the free or close of the
 *     object they came from). Nothing the caller passes in is kept after
 *     the call returns (copies are made).
 *   - Every close and free function accepts NULL.
 *   - A handle is used by one thread at a time. One database has at most
 *     one tigris_index (a writer lock; a second gets TIGRIS_ERR_LOCKED) and
 *     any number of tigris_searchers, in this process or others.
 *
 * The layout of a database, the query syntax and the JSON format are in
 * tigris(7); the programs indexer(1) and searcher(1) are built on this
 * API's library.
 */
#ifndef TIGRIS_H
#define TIGRIS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TIGRIS_VERSION_MAJOR 0
#define TIGRIS_VERSION_MINOR 1
#define TIGRIS_VERSION_PATCH 0
#define TIGRIS_VERSION_STRING "0.1.0"
/* One number to compare at compile time: 0x000100 for 0.1.0. */
#define TIGRIS_VERSION_NUMBER \
    ((TIGRIS_VERSION_MAJOR << 16) | (TIGRIS_VERSION_MINOR << 8) | TIGRIS_VERSION_PATCH)

/* The shared library exports only what is marked TIGRIS_API (it is built
 * with -fvisibility=hidden). */
#if defined(__GNUC__) || defined(__clang__)
#define TIGRIS_API __attribute__((visibility("default")))
#else
#define TIGRIS_API
#endif

/* What can go wrong. The same values as the library's internal status. */
typedef enum tigris_status {
    TIGRIS_OK = 0,
    TIGRIS_ERR_NOMEM,      /* an allocation failed */
    TIGRIS_ERR_IO,         /* a file could not be read or written */
    TIGRIS_ERR_FORMAT,     /* input is not in the expected format */
    TIGRIS_ERR_ARG,        /* an invalid argument (a NULL handle, a query
                              that is not UTF-8, ...) */
    TIGRIS_ERR_NOT_FOUND,  /* the database or article does not exist */
    TIGRIS_ERR_DB,         /* the database refused: corrupt, full disk, version */
    TIGRIS_ERR_LOCKED,     /* another writer holds the database lock */
    TIGRIS_ERR_QUERY,      /* the query could not be parsed or run */
    TIGRIS_ERR_LIMIT,      /* a size limit was exceeded (a query over 4096
                              bytes, offset + limit over 100000) */
    TIGRIS_ERR_INTERNAL    /* a bug: an invariant did not hold */
} tigris_status;

/* The library's version, "0.1.0" (static; may differ from
 * TIGRIS_VERSION_STRING when a program runs with a newer shared library). */
TIGRIS_API const char *tigris_version(void);
/* The version of Xapian the library was built with, "1.4.22" (static). */
TIGRIS_API const char *tigris_xapian_version(void);
/* A static, human-readable description of st (never NULL). */
TIGRIS_API const char *tigris_status_string(tigris_status st);

/* ------------------------------------------------------------ indexing */

typedef struct tigris_index tigris_index;

/* Opens the database directory at path for writing, creating it when
 * absent. lang: the stemming language of a new database ("english",
 * "french", ...; NULL: english); an existing database keeps its own, and
 * naming another is an error. Returns the handle (close it with
 * tigris_index_close), or NULL with the reason in errbuf[errlen] (errbuf
 * may be NULL when errlen is 0). */
TIGRIS_API tigris_index *tigris_index_open(const char *path, const char *lang, char *errbuf,
                                           size_t errlen);

/* One article to add. All fields are borrowed for the call only; only id
 * and body are required, the others may be NULL. */
typedef struct tigris_article {
    const char *id;       /* identity, unique in the database: adding an id
                             again replaces that article (if it changed) */
    const char *url;
    const char *title;
    const char *date;     /* "YYYY-MM-DD", "YYYY-MM" or "YYYY" */
    const char *author;
    const char *body;     /* plain text, paragraphs separated by blank lines */
    const char *const *tags;
    size_t ntags;
} tigris_article;

/* What tigris_index_add did. */
typedef enum tigris_added {
    TIGRIS_ADDED_NEW,        /* the id was not in the database */
    TIGRIS_ADDED_REPLACED,   /* it was, with other content: replaced */
    TIGRIS_ADDED_UNCHANGED,  /* it was, with the same content: nothing written */
    TIGRIS_ADDED_DUPLICATE   /* another id has the same url: the same article
                                reached twice; nothing written */
} tigris_added;

/* Adds (or replaces) one article; *added (may be NULL) says what was done.
 * Articles are committed every 10000 and by tigris_index_commit and
 * tigris_index_close. Returns TIGRIS_OK, TIGRIS_ERR_ARG for an article
 * without id or body (or with text that is not UTF-8), or the database's
 * error; the detail is in tigris_index_errmsg. The database is unchanged
 * by an article that failed. */
TIGRIS_API tigris_status tigris_index_add(tigris_index *ix, const tigris_article *a,
                                          tigris_added *added);

/* Deletes the article with this id (absent is not an error). */
TIGRIS_API tigris_status tigris_index_delete(tigris_index *ix, const char *id);

/* Told of each problem met by tigris_index_path that does not stop it: a
 * file that cannot be read, a bad entry, the same id twice; and of a file
 * skipped and an article reached twice (from two files, or under two
 * ids). where is the file (and line or entry), message what happened;
 * both borrowed for the call. */
typedef void (*tigris_message_fn)(const char *where, const char *message, void *ud);

/* What tigris_index_path read. */
typedef struct tigris_path_stats {
    size_t files;          /* files read */
    size_t files_skipped;  /* files in a folder that are not article files
                              (images, a README): skipped, no failure */
    size_t files_failed;   /* files that could not be opened or read to
                              their end: named, or found in a folder */
    size_t bad_entries;    /* entries or articles that could not be indexed */
    size_t added, replaced, unchanged, duplicates; /* as tigris_added */
} tigris_path_stats;

/* Indexes the file or folder at path as `indexer PATH` does: a folder is
 * read recursively (hidden entries skipped, links followed but nothing
 * read twice), each file's format (HTML page, Blogger or WordPress
 * export, RSS, Atom, plain-text export, JSON Lines, any of them gzipped)
 * is recognised by its content, and an id read twice in the run is
 * reported. Problems with one file or entry go to on_message (may be
 * NULL) and the run goes on: a file in a folder that is binary or not an
 * article file is skipped, any other that cannot be read has failed, as
 * with the indexer (lib/index_file.c does both). *stats (may be NULL) gets
 * the counts, added to what it holds (zero it first). Returns TIGRIS_OK
 * even when some files failed (see stats); an error only when the
 * database failed (TIGRIS_ERR_DB, _LOCKED, _IO: writing it; detail in
 * tigris_index_errmsg) or memory ran out. */
TIGRIS_API tigris_status tigris_index_path(tigris_index *ix, const char *path,
                                           tigris_message_fn on_message, void *ud,
                                           tigris_path_stats *stats);

/* Makes everything added so far durable and visible to searchers. */
TIGRIS_API tigris_status tigris_index_commit(tigris_index *ix);

/* Articles in the database now, committed or not. */
TIGRIS_API uint32_t tigris_index_count(tigris_index *ix);

/* The last error's text on ix (borrowed, valid until the next call on ix;
 * "" when none). */
TIGRIS_API const char *tigris_index_errmsg(const tigris_index *ix);

/* Commits and closes; NULL allowed. Returns the status of the final
 * commit: on failure the database keeps its previous commit. */
TIGRIS_API tigris_status tigris_index_close(tigris_index *ix);

/* Rewrites the database at path compactly (about half the size) and swaps
 * it in; a failure at any step leaves a usable database. Call it when no
 * tigris_index has the database open. Returns TIGRIS_OK, or TIGRIS_ERR_DB
 * with the reason in errbuf[errlen]. */
TIGRIS_API tigris_status tigris_compact(const char *path, char *errbuf, size_t errlen);

/* ------------------------------------------------------------ searching */

typedef struct tigris_searcher tigris_searcher;
typedef struct tigris_results tigris_results;

/* Opens the database at path for searching. Returns the handle (close it
 * with tigris_searcher_close), or NULL with the reason in errbuf[errlen]. */
TIGRIS_API tigris_searcher *tigris_searcher_open(const char *path, char *errbuf, size_t errlen);

/* Articles in the database as of its last commit seen. */
TIGRIS_API uint32_t tigris_searcher_count(tigris_searcher *s);

/* Sees commits made since the searcher was opened (cheap when none). */
TIGRIS_API tigris_status tigris_searcher_reopen(tigris_searcher *s);

/* The last error's text on s (borrowed, valid until the next call on s;
 * "" when none). */
TIGRIS_API const char *tigris_searcher_errmsg(const tigris_searcher *s);

TIGRIS_API void tigris_searcher_close(tigris_searcher *s);

/* Searches with the query syntax of tigris(7): words, "phrases", +required,
 * -excluded, OR, title:, author:, tag:, date ranges, names in any
 * spelling. Returns results offset..offset+limit-1 of the ranking (limit
 * 0: 10) into *out, which the caller frees with tigris_results_free (it
 * does not depend on s staying open). An empty query gives no hits, not an
 * error. On failure *out is NULL and the reason is in
 * tigris_searcher_errmsg (TIGRIS_ERR_ARG, TIGRIS_ERR_LIMIT: the query's
 * fault; others: the database's). */
TIGRIS_API tigris_status tigris_search(tigris_searcher *s, const char *query, unsigned offset,
                                       unsigned limit, tigris_results **out);

/* The hits in r (at most limit). */
TIGRIS_API size_t tigris_results_count(const tigris_results *r);
/* The estimated number of matching articles in the whole database. */
TIGRIS_API uint32_t tigris_results_total(const tigris_results *r);

/* One hit of r, i from 0 to tigris_results_count(r) - 1; borrowed from r,
 * valid until tigris_results_free(r). Strings are "" when absent (never
 * NULL). */
typedef struct tigris_hit {
    const char *id, *url, *title, *date, *author;
    double score;          /* higher ranks first */
    const char *passage;   /* the article's best passage for the query */
} tigris_hit;

/* Fills *hit with hit i. Returns 0, or -1 when i is out of range (*hit
 * untouched). So a loop reads:
 *     tigris_hit h;
 *     for (size_t i = 0; tigris_results_hit(r, i, &h) == 0; i++) ... */
TIGRIS_API int tigris_results_hit(const tigris_results *r, size_t i, tigris_hit *hit);

/* The query with its unknown words corrected ("did you mean"), or NULL
 * (borrowed from r). */
TIGRIS_API const char *tigris_results_suggestion(const tigris_results *r);

/* The results as one JSON object, the format of `searcher --json`
 * (tigris(7)); a NUL-terminated string the caller frees with free(), or
 * NULL when memory ran out. */
TIGRIS_API char *tigris_results_json(const tigris_results *r);

TIGRIS_API void tigris_results_free(tigris_results *r);

#ifdef __cplusplus
}
#endif
#endif
