/*
 * tg_status.h - the one status enum shared by every Tigris module.
 *
 * Functions that can fail return a tg_status. TG_OK is zero so that
 * `if (st) ...` reads naturally. Detail text (which file, which line, what
 * Xapian said) is kept on the handle that failed, never in a global.
 */
#ifndef TG_STATUS_H
#define TG_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tg_status {
    TG_OK = 0,
    TG_ERR_NOMEM,        /* an allocation failed */
    TG_ERR_IO,           /* a file could not be read or written */
    TG_ERR_FORMAT,       /* input is not in the expected format */
    TG_ERR_ARG,          /* a caller passed an invalid argument */
    TG_ERR_NOT_FOUND,    /* the database, document or term does not exist */
    TG_ERR_DB,           /* the database refused: corrupt, locked, version */
    TG_ERR_LOCKED,       /* another writer holds the database lock */
    TG_ERR_QUERY,        /* the query could not be parsed or run */
    TG_ERR_LIMIT,        /* a configured size limit was exceeded */
    TG_ERR_INTERNAL,     /* a bug: an invariant did not hold */
    TG_STATUS_LAST_
} tg_status;

/* Returns a static, human-readable description of st (never NULL). */
const char *tg_status_to_string(tg_status st);

#ifdef __cplusplus
}
#endif
#endif
