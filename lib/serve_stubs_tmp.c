/* TEMPORARY: until the faults-query branch (tg_searcher_revision) merges. */
#include "search_ext.h"
uint64_t tg_searcher_revision(tg_searcher *s) { return xc_rdb_revision(tg_searcher_rdb(s)); }
