/* reader_feed.c - what the Atom and RSS readers share (reader_int.h): the
 * entry loop, the identity rule (id, else link, else the entry's place),
 * the first valid date among a list of fields, the empty-entry rule, the
 * notice of what was skipped, and the sniffers' tests. */
#include "reader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tg_status tgr_feed_open(tgr_feed *f, tg_reader *r, const char *entry_name, int min_depth,
                        int max_depth)
{
    memset(f, 0, sizeof *f);
    f->h = tgr_html_new();
    f->x = tgr_xml_open(r, tg_reader_input(r), entry_name, min_depth, max_depth,
                        tgr_max_entry(r), 0);
    if (!f->h || !f->x) {
        tgr_feed_close(f);
        return TG_ERR_NOMEM;
    }
    return TG_OK;
}

void tgr_feed_close(tgr_feed *f)
{
    tgr_xml_close(f->x);
    tgr_html_free(f->h);
    tg_buf_free(&f->t);
    tg_buf_free(&f->u);
    memset(f, 0, sizeof *f);
}

tg_status tgr_feed_next(tg_reader *r, tgr_feed *f, tgr_feed_entry_fn fn, void *state,
                        tg_article *a, int *done)
{
    *done = 0;
    for (;;) {
        tgr_entry e;
        int rc = tgr_xml_next(f->x, &e);
        if (rc < 0)
            return tgr_xml_status(f->x);
        if (rc == 0) {
            *done = 1;
            return TG_OK;
        }
        tgr_entry_report(r, &e);
        int keep = 0;
        tg_status st = fn(r, state, &e, a, &keep);
        tgr_entry_free(&e);
        if (st)
            return st;
        if (keep)
            return TG_OK;
        tg_article_clear(a);
    }
}

/* ---- fields ------------------------------------------------------------- */

tg_status tgr_feed_identity(tg_reader *r, const tgr_entry *e, tg_article *a, const char *id,
                            size_t idlen, const char *link, const char *fallback)
{
    char place[64];
    snprintf(place, sizeof place, ":entry %llu", (unsigned long long)e->ordinal);
    const char *path = tg_reader_path(r);
    tg_buf b = {0};
    tg_status st;
    if (id && idlen)
        st = tg_article_set(&a->id, id, idlen);
    else if (link && *link)
        st = tg_article_set(&a->id, link, (size_t)-1);
    else if (!(st = tg_buf_puts(&b, path)) && !(st = tg_buf_puts(&b, fallback ? fallback : place)))
        st = tg_article_set(&a->id, b.data, b.len);
    tg_buf_clear(&b);
    if (!st && !(st = tg_buf_puts(&b, path)) && !(st = tg_buf_puts(&b, place)) &&
        !(st = tg_article_set(&a->origin, b.data, b.len)))
        st = tg_article_set(&a->url, link && *link ? link : path, (size_t)-1);
    tg_buf_free(&b);
    return st;
}

tg_status tgr_feed_date(tgr_feed *f, tg_article *a, const xmlNode *n, const char *const *fields,
                        size_t nfields)
{
    for (size_t i = 0; !a->date && i < nfields; i++) {
        char d[11];
        tg_status st = tgr_child_text(n, fields[i], &f->t);
        if (st)
            return st;
        if (f->t.len && tg_date_parse(f->t.data, f->t.len, d) &&
            (st = tg_article_set(&a->date, d, (size_t)-1)))
            return st;
    }
    return TG_OK;
}

tg_status tgr_feed_keep(tgr_feed *f, tg_article *a, const tg_buf *body, int *keep)
{
    *keep = 0;
    if (!a->title && body->len == 0) {
        f->skipped.n_empty++;
        return TG_OK;
    }
    tg_status st = tg_article_set(&a->body, body->len ? body->data : "", body->len);
    *keep = !st;
    return st;
}

/* ---- what was skipped --------------------------------------------------- */

void tgr_skip_kind(tgr_skips *k, const char *what, uint64_t n)
{
    size_t cap = sizeof k->kinds / sizeof k->kinds[0];
    for (size_t i = 0; i < k->nkinds; i++)
        if (strcmp(k->kinds[i].name, what) == 0) {
            k->kinds[i].n += n;
            return;
        }
    if (k->nkinds < cap) {
        snprintf(k->kinds[k->nkinds].name, sizeof k->kinds[0].name, "%s", what);
        k->kinds[k->nkinds++].n = n;
    } else {
        k->n_more += n;
    }
}

uint64_t tgr_skipped(const tgr_skips *k, const char *what)
{
    for (size_t i = 0; i < k->nkinds; i++)
        if (strcmp(k->kinds[i].name, what) == 0)
            return k->kinds[i].n;
    return 0;
}

/* Appends ", N what" (no comma first) to msg[0..*k). */
static void add_count(char *msg, size_t size, size_t *k, uint64_t n, const char *what)
{
    if (!n || *k >= size)
        return;
    *k += (size_t)snprintf(msg + *k, size - *k, "%s%llu %s", *k ? ", " : "",
                           (unsigned long long)n, what);
}

void tgr_feed_note_skipped(tg_reader *r, tgr_feed *f, const char *what)
{
    const tgr_skips *k = &f->skipped;
    if (f->noted)
        return;
    f->noted = 1;
    char msg[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < k->nkinds; i++)
        add_count(msg, sizeof msg, &len, k->kinds[i].n, k->kinds[i].name);
    add_count(msg, sizeof msg, &len, k->n_more, "of other kinds");
    add_count(msg, sizeof msg, &len, k->n_empty, "empty");
    if (msg[0])
        tg_reader_note(r, 0, "%s: %s", what, msg);
}

/* ---- sniffing ----------------------------------------------------------- */

int tgr_sniff_root_is(const char *head, size_t n, const char *root_name)
{
    char root[32];
    int doctype;
    return tgr_sniff_root(head, n, root, sizeof root, &doctype) && strcmp(root, root_name) == 0;
}

int tgr_contains(const char *head, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(head + i, s, k) == 0)
            return 1;
    return 0;
}
