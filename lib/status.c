/* status.c - text for the shared status enum. */
#include "tg_status.h"

const char *tg_status_to_string(tg_status st)
{
    switch (st) {
    case TG_OK: return "success";
    case TG_ERR_NOMEM: return "out of memory";
    case TG_ERR_IO: return "input/output error";
    case TG_ERR_FORMAT: return "invalid input format";
    case TG_ERR_ARG: return "invalid argument";
    case TG_ERR_NOT_FOUND: return "not found";
    case TG_ERR_DB: return "database error";
    case TG_ERR_LOCKED: return "database is locked by another writer";
    case TG_ERR_QUERY: return "invalid query";
    case TG_ERR_LIMIT: return "size limit exceeded";
    case TG_ERR_INTERNAL: return "internal error";
    case TG_STATUS_LAST_: break;
    }
    return "unknown status";
}
