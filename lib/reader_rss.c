/* reader_rss.c - RSS feeds, and WordPress exports (WXR: RSS 2.0 with a wp:
 * namespace).
 *
 * RSS: each <item> is an article: title, link, guid (the id; else the
 * link), pubDate (RFC 822) or dc:date, dc:creator or author, categories,
 * and the full text from content:encoded when the feed has it, else the
 * description. RSS 1.0 (items beside the channel) is read the same way.
 *
 * WordPress: only published posts and pages are articles (wp:post_type
 * post or page, wp:status publish); drafts, scheduled and private posts,
 * revisions, attachments, menu items and other types are skipped, and a
 * notice counts them. The date is wp:post_date_gmt (the GMT field), else
 * wp:post_date, else pubDate. Categories (domain "category") and tags
 * (domain "post_tag") become tags; post formats and other taxonomies do
 * not. The id is the site and post id (see item_article). content:encoded holds the post as typed, with
 * blank lines for paragraphs (WordPress adds the <p> when it shows a
 * page), so line breaks in it are kept. With opts.comments, approved
 * comments (not pingbacks) are appended to their post. */
#include "reader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    tgr_xml *x;
    tgr_html *h;
    tg_buf t, u;
    int wxr;
    /* skipped, by what they are */
    uint64_t n_type, n_empty;
    /* WordPress authors: login -> display name, from the channel */
    char **logins, **names;
    size_t nauthors;
    struct { char name[32]; uint64_t n; } kinds[16];
    size_t nkinds;
} rss_state;

static void count_kind(rss_state *s, const char *what)
{
    for (size_t i = 0; i < s->nkinds; i++)
        if (strcmp(s->kinds[i].name, what) == 0) {
            s->kinds[i].n++;
            return;
        }
    if (s->nkinds < sizeof s->kinds / sizeof s->kinds[0]) {
        snprintf(s->kinds[s->nkinds].name, sizeof s->kinds[0].name, "%s", what);
        s->kinds[s->nkinds++].n = 1;
    } else {
        s->n_type++;
    }
}

/* <wp:author>: items name their author by login; the display name is
 * what a reader knows. */
static void on_channel_element(const xmlNode *el, void *ud)
{
    rss_state *s = ud;
    if (strcmp(tgr_local(el), "author") != 0 || s->nauthors >= 1000)
        return;
    tg_buf login = {0}, name = {0};
    if (!tgr_child_text(el, "author_login", &login) &&
        !tgr_child_text(el, "author_display_name", &name) && login.len && name.len) {
        char **l = realloc(s->logins, (s->nauthors + 1) * sizeof *l);
        if (l)
            s->logins = l;
        char **n = realloc(s->names, (s->nauthors + 1) * sizeof *n);
        if (n)
            s->names = n;
        if (l && n) {
            s->logins[s->nauthors] = tg_buf_steal(&login);
            s->names[s->nauthors] = tg_buf_steal(&name);
            if (s->logins[s->nauthors] && s->names[s->nauthors])
                s->nauthors++;
        }
    }
    tg_buf_free(&login);
    tg_buf_free(&name);
}

static const char *display_name(const rss_state *s, const char *login)
{
    for (size_t i = 0; i < s->nauthors; i++)
        if (strcmp(s->logins[i], login) == 0)
            return s->names[i];
    return login;
}

/* content:encoded, not excerpt:encoded: the two share a local name. */
static xmlNode *content_encoded(const xmlNode *item)
{
    for (xmlNode *c = tgr_child(item, "encoded"); c; c = tgr_next_named(c, "encoded")) {
        const char *prefix = c->ns && c->ns->prefix ? (const char *)c->ns->prefix : NULL;
        const char *href = c->ns && c->ns->href ? (const char *)c->ns->href : NULL;
        if ((href && strstr(href, "/modules/content")) || (prefix && !strcmp(prefix, "content")) ||
            strncmp((const char *)c->name, "content:", 8) == 0)
            return c;
    }
    return NULL;
}

static tg_status set_date(tg_article *a, const char *s, size_t n)
{
    char d[11];
    if (s && n && tg_date_parse(s, n, d))
        return tg_article_set(&a->date, d, (size_t)-1);
    return TG_OK;
}

/* RSS's <author> is an e-mail address, often "jane@example.com (Jane
 * Doe)": the name in brackets is what a reader wants to see. */
static tg_status set_rss_author(tg_article *a, const char *s, size_t n)
{
    const char *open = memchr(s, '(', n);
    const char *close = open ? memchr(open, ')', n - (size_t)(open - s)) : NULL;
    if (open && close && close > open + 1)
        return tgr_set_line(&a->author, open + 1, (size_t)(close - open - 1));
    return tgr_set_line(&a->author, s, n);
}

static tg_status append_wxr_comments(rss_state *s, const xmlNode *item, tg_buf *body)
{
    tg_status st = TG_OK;
    tg_buf author = {0}, when = {0};
    for (xmlNode *c = tgr_child(item, "comment"); !st && c; c = tgr_next_named(c, "comment")) {
        if ((st = tgr_child_text(c, "comment_approved", &s->t)))
            break;
        if (strcmp(tg_buf_str(&s->t), "1") != 0)
            continue;
        if ((st = tgr_child_text(c, "comment_type", &s->t)))
            break;
        if (s->t.len && strcmp(s->t.data, "comment") != 0)
            continue; /* pingbacks and trackbacks */
        if ((st = tgr_child_text(c, "comment_author", &author)) ||
            (st = tgr_child_text(c, "comment_date_gmt", &when)))
            break;
        char date[11] = "";
        if (!(when.len && tg_date_parse(when.data, when.len, date))) {
            if ((st = tgr_child_text(c, "comment_date", &when)))
                break;
            if (!tg_date_parse(tg_buf_str(&when), when.len, date))
                date[0] = '\0';
        }
        if ((st = tgr_child_text(c, "comment_content", &s->u)))
            break;
        tg_buf_clear(&s->t);
        if ((st = tgr_html_fragment(s->h, tg_buf_str(&s->u), s->u.len, TGR_TEXT_NEWLINES, &s->t)))
            break;
        st = tgr_append_comment(body, tg_buf_str(&author), date, tg_buf_str(&s->t), s->t.len);
    }
    tg_buf_free(&author);
    tg_buf_free(&when);
    return st;
}

static tg_status item_article(tg_reader *r, rss_state *s, const tgr_entry *e, tg_article *a,
                              int *keep)
{
    *keep = 0;
    const xmlNode *n = e->node;
    tg_status st;

    if (s->wxr || tgr_child(n, "post_type")) {
        if ((st = tgr_child_text(n, "post_type", &s->t)))
            return st;
        const char *type = s->t.len ? s->t.data : "post";
        if (strcmp(type, "post") != 0 && strcmp(type, "page") != 0) {
            count_kind(s, type);
            return TG_OK;
        }
        if ((st = tgr_child_text(n, "status", &s->t)))
            return st;
        if (s->t.len && strcmp(s->t.data, "publish") != 0) {
            count_kind(s, s->t.data); /* draft, future, private, pending, trash */
            return TG_OK;
        }
    }

    char origin[64];
    snprintf(origin, sizeof origin, ":entry %llu", (unsigned long long)e->ordinal);
    tg_buf link = {0}, body = {0};
    if ((st = tgr_child_text(n, "link", &link)))
        goto out;
    if (!link.len) {
        const char *about = tgr_attr(n, "about"); /* RSS 1.0 */
        if (about && (st = tg_buf_puts(&link, about)))
            goto out;
    }
    /* The identity. WordPress: the site and the post id, the form of
     * WordPress's own guids ("https://site/?p=42"): the guid itself is
     * copied between posts in real exports (the official theme test data
     * has two such pairs), the permalink changes when the blog's
     * permalink scheme does, the post id is the database's key. */
    if ((st = tgr_child_text(n, "post_id", &s->u)))
        goto out;
    const char *site = tgr_xml_header(s->x, "base_blog_url");
    if (!site)
        site = tgr_xml_header(s->x, "base_site_url");
    if (!site)
        site = tgr_xml_header(s->x, "link");
    if (s->wxr && s->u.len && site && *site) {
        size_t sl = strlen(site);
        while (sl && site[sl - 1] == '/')
            sl--;
        tg_buf id = {0};
        st = tg_buf_printf(&id, "%.*s/?p=%s", (int)sl, site, s->u.data);
        if (!st)
            st = tg_article_set(&a->id, id.data, id.len);
        tg_buf_free(&id);
    } else if (!(st = tgr_child_text(n, "guid", &s->t)) && s->t.len) {
        st = tg_article_set(&a->id, s->t.data, s->t.len);
    } else if (!st && link.len) {
        st = tg_article_set(&a->id, link.data, link.len);
    } else if (!st) {
        /* No identity in the feed: the post id, else the entry's place. */
        tg_buf id = {0};
        if (!(st = tg_buf_puts(&id, tg_reader_path(r))))
            st = s->u.len ? tg_buf_printf(&id, "#post-%s", s->u.data) : tg_buf_puts(&id, origin);
        if (!st)
            st = tg_article_set(&a->id, id.data, id.len);
        tg_buf_free(&id);
    }
    if (st)
        goto out;
    tg_buf_clear(&s->u);
    if ((st = tg_buf_puts(&s->u, tg_reader_path(r))) || (st = tg_buf_puts(&s->u, origin)) ||
        (st = tg_article_set(&a->origin, s->u.data, s->u.len)) ||
        (st = tg_article_set(&a->url, link.len ? link.data : tg_reader_path(r), (size_t)-1)))
        goto out;

    if ((st = tgr_child_text(n, "title", &s->t)) ||
        (st = tgr_set_line(&a->title, s->t.data, s->t.len)))
        goto out;

    /* Dates: the GMT field first, then local, then the feed's own. */
    static const char *const date_fields[] = { "post_date_gmt", "post_date", "pubDate", "date",
                                               "published", "updated" };
    for (size_t i = 0; !a->date && i < sizeof date_fields / sizeof date_fields[0]; i++) {
        if ((st = tgr_child_text(n, date_fields[i], &s->t)))
            goto out;
        if ((st = set_date(a, s->t.data, s->t.len)))
            goto out;
    }

    if ((st = tgr_child_text(n, "creator", &s->t)))
        goto out;
    if (s->t.len) {
        const char *who = display_name(s, s->t.data);
        st = tgr_set_line(&a->author, who, strlen(who));
    }
    else if (!(st = tgr_child_text(n, "author", &s->t)) && s->t.len)
        st = set_rss_author(a, s->t.data, s->t.len);
    if (st)
        goto out;

    for (xmlNode *c = tgr_child(n, "category"); c; c = tgr_next_named(c, "category")) {
        const char *domain = tgr_attr(c, "domain");
        if (s->wxr && domain && strcmp(domain, "category") != 0 && strcmp(domain, "post_tag") != 0)
            continue;
        if ((st = tgr_text(c, &s->t)) || (st = tgr_add_tag(a, s->t.data, s->t.len)))
            goto out;
    }
    for (xmlNode *c = tgr_child(n, "subject"); c; c = tgr_next_named(c, "subject"))
        if ((st = tgr_text(c, &s->t)) || (st = tgr_add_tag(a, s->t.data, s->t.len)))
            goto out;

    xmlNode *content = content_encoded(n);
    int flags = s->wxr ? TGR_TEXT_NEWLINES : 0;
    if ((st = tgr_text(content, &s->t)))
        goto out;
    if (!s->t.len && (st = tgr_child_text(n, "description", &s->t)))
        goto out;
    if (s->t.len && (st = tgr_html_fragment(s->h, s->t.data, s->t.len, flags, &body)))
        goto out;
    if (s->wxr && tg_reader_options(r)->comments && (st = append_wxr_comments(s, n, &body)))
        goto out;
    if (!a->title && body.len == 0) {
        s->n_empty++;
        goto out;
    }
    if ((st = tg_article_set(&a->body, tg_buf_str(&body), body.len)))
        goto out;
    *keep = 1;
out:
    tg_buf_free(&link);
    tg_buf_free(&body);
    return st;
}

static void note_skipped(tg_reader *r, rss_state *s)
{
    char msg[512] = "";
    size_t k = 0;
    for (size_t i = 0; i < s->nkinds && k < sizeof msg; i++)
        k += (size_t)snprintf(msg + k, sizeof msg - k, "%s%llu %s", k ? ", " : "",
                              (unsigned long long)s->kinds[i].n, s->kinds[i].name);
    if (s->n_type && k < sizeof msg)
        k += (size_t)snprintf(msg + k, sizeof msg - k, "%s%llu of other kinds", k ? ", " : "",
                              (unsigned long long)s->n_type);
    if (s->n_empty && k < sizeof msg)
        k += (size_t)snprintf(msg + k, sizeof msg - k, "%s%llu empty", k ? ", " : "",
                              (unsigned long long)s->n_empty);
    if (msg[0])
        tg_reader_note(r, 0, "items skipped (not published posts or pages): %s", msg);
}

static tg_status rss_open_common(tg_reader *r, void **state, int wxr)
{
    rss_state *s = calloc(1, sizeof *s);
    if (!s)
        return TG_ERR_NOMEM;
    s->wxr = wxr;
    s->h = tgr_html_new();
    /* RSS 2.0 items sit in the channel (depth 2), RSS 1.0's beside it. */
    s->x = tgr_xml_open(r, tg_reader_input(r), "item", 1, 2, tgr_max_entry(r), 0);
    if (!s->h || !s->x) {
        tgr_html_free(s->h);
        tgr_xml_close(s->x);
        free(s);
        return TG_ERR_NOMEM;
    }
    if (wxr)
        tgr_xml_on_header(s->x, on_channel_element, s);
    *state = s;
    return TG_OK;
}

static tg_status rss_open(tg_reader *r, void **state) { return rss_open_common(r, state, 0); }
static tg_status wxr_open(tg_reader *r, void **state) { return rss_open_common(r, state, 1); }

static void rss_close(void *state)
{
    rss_state *s = state;
    if (!s)
        return;
    tgr_xml_close(s->x);
    tgr_html_free(s->h);
    tg_buf_free(&s->t);
    tg_buf_free(&s->u);
    for (size_t i = 0; i < s->nauthors; i++) {
        free(s->logins[i]);
        free(s->names[i]);
    }
    free(s->logins);
    free(s->names);
    free(s);
}

static tg_status rss_next(tg_reader *r, void *state, tg_article *a, int *done)
{
    rss_state *s = state;
    *done = 0;
    for (;;) {
        tgr_entry e;
        int rc = tgr_xml_next(s->x, &e);
        if (rc < 0)
            return tgr_xml_status(s->x);
        if (rc == 0) {
            note_skipped(r, s);
            *done = 1;
            return TG_OK;
        }
        tgr_entry_report(r, &e);
        int keep;
        tg_status st = item_article(r, s, &e, a, &keep);
        tgr_entry_free(&e);
        if (st)
            return st;
        if (keep)
            return TG_OK;
        tg_article_clear(a);
    }
}

static int contains(const char *head, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(head + i, s, k) == 0)
            return 1;
    return 0;
}

static int rss_sniff(const char *head, size_t n, const char *path)
{
    (void)path;
    char root[32];
    int doctype;
    if (!tgr_sniff_root(head, n, root, sizeof root, &doctype))
        return 0;
    if (strcmp(root, "rss") == 0)
        return contains(head, n, "wordpress.org/export/") ? 40 : 90;
    if (strcmp(root, "rdf") == 0 && contains(head, n, "purl.org/rss/1.0"))
        return 85;
    return 0;
}

static int wxr_sniff(const char *head, size_t n, const char *path)
{
    (void)path;
    char root[32];
    int doctype;
    if (!tgr_sniff_root(head, n, root, sizeof root, &doctype) || strcmp(root, "rss") != 0)
        return 0;
    return contains(head, n, "wordpress.org/export/") ? 95 : 0;
}

const tg_reader_vtable tg_reader_rss_vtable = {
    .name = "rss",
    .sniff = rss_sniff,
    .open = rss_open,
    .next = rss_next,
    .close = rss_close,
};

const tg_reader_vtable tg_reader_wordpress_vtable = {
    .name = "wordpress",
    .sniff = wxr_sniff,
    .open = wxr_open,
    .next = rss_next,
    .close = rss_close,
};
