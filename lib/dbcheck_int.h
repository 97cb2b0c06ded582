/*
 * dbcheck_int.h - whether the reads of a run of database calls can be
 * believed (internal to lib/).
 *
 * Calls such as xc_rdb_termfreq answer 0 when they fail, and a plan or
 * a list of spellings built on that 0 is wrong without saying so. Each
 * read handle counts its failures (xc_rdb_failures): code that reads
 * takes the count first and checks it before its answer is used.
 */
#ifndef TG_DBCHECK_INT_H
#define TG_DBCHECK_INT_H

#include "tg_status.h"
#include "xapian_c.h"

/* The tg_status of a wrapper status: no memory stays that, any other
 * failure is the database's. */
static inline tg_status tg_status_of_xc(xc_status xs)
{
    return xs == XC_OK ? TG_OK : xs == XC_ERR_NOMEM ? TG_ERR_NOMEM : TG_ERR_DB;
}

/* TG_OK when no call on db failed since its count was `since`; else the
 * status of the latest failure (its text: xc_rdb_last_failure). */
static inline tg_status tg_db_check(const xc_rdb *db, uint64_t since)
{
    if (xc_rdb_failures(db) == since)
        return TG_OK;
    return tg_status_of_xc(xc_rdb_last_failure(db, NULL));
}

#endif
