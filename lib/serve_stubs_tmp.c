/* TEMPORARY: until the server-core and faults-query branches merge. */
#include "tg_search.h"
#include <stdlib.h>
uint64_t tg_searcher_revision(tg_searcher *s) { (void)s; return 1; }
tg_status tg_article_get(tg_searcher *s, const char *id, const char *q, tg_article_view **out)
{ (void)s; (void)id; (void)q; *out = NULL; return TG_ERR_NOT_FOUND; }
void tg_article_view_free(tg_article_view *v) { (void)v; }
tg_status tg_suggest(tg_searcher *s, const char *p, unsigned m, tg_suggestion **o, size_t *n)
{ (void)s; (void)p; (void)m; *o = NULL; *n = 0; return TG_OK; }
void tg_suggestions_free(tg_suggestion *v, size_t n) { (void)v; (void)n; }
