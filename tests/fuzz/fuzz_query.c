/*
 * fuzz_query.c - the query parser: any string parses (tg_query.h: it
 * fails only on no memory), into leaves of valid, non-empty terms, and
 * describes; the date reader takes any string.
 */
#include <string.h>

#include "support.h"
#include "tg_query.h"
#include "tg_text.h"

static void check_node(const tg_qnode *n, int depth)
{
    TG_FUZZ_CHECK(depth < 10000);
    if (n->kind == TG_Q_TERM || n->kind == TG_Q_PHRASE) {
        TG_FUZZ_CHECK(n->nwords > 0);
        for (size_t i = 0; i < n->nwords; i++) {
            size_t l = strlen(n->words[i]);
            /* id: values are kept as typed (lib/query.c, emit_id); the
             * searcher refuses invalid UTF-8 before parsing. */
            TG_FUZZ_CHECK(l > 0 && (n->field == TG_QF_ID || tg_utf8_valid(n->words[i], l)));
            TG_FUZZ_CHECK(n->raw && n->raw[i]);
        }
    } else if (n->kind == TG_Q_OR) {
        for (size_t i = 0; i < n->nkids; i++)
            check_node(n->kids[i], depth + 1);
    } else if (n->kind == TG_Q_DATE) {
        TG_FUZZ_CHECK(!n->date_lo[0] || strlen(n->date_lo) == 8);
        TG_FUZZ_CHECK(!n->date_hi[0] || strlen(n->date_hi) == 8);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *q = malloc(size + 1);
    memcpy(q, data, size);
    q[size] = '\0';
    tg_qtree *t = NULL;
    char warn[256];
    TG_FUZZ_CHECK(!tg_query_parse(q, &t, warn, sizeof warn));
    TG_FUZZ_CHECK(t && strlen(warn) < sizeof warn);
    for (size_t i = 0; i < t->n; i++)
        check_node(t->nodes[i], 0);
    char *d = tg_qtree_describe(t);
    TG_FUZZ_CHECK(d && (!tg_utf8_valid(q, strlen(q)) || tg_utf8_valid(d, strlen(d))));
    free(d);
    tg_qtree_free(t);
    char day[9];
    if (!tg_query_date_bound(q, size & 1, day))
        TG_FUZZ_CHECK(strlen(day) == 8);
    free(q);
    return 0;
}
