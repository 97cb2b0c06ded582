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
    tgr_feed f;
    int wxr;
    /* WordPress authors: login -> display name, from the channel */
    char **logins, **names;
    size_t nauthors, caplogins, capnames;
} rss_state;

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
        if (!TG_ARRAY_RESERVE(s->logins, s->caplogins, s->nauthors + 1) &&
            !TG_ARRAY_RESERVE(s->names, s->capnames, s->nauthors + 1)) {
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
        if ((st = tgr_child_text(c, "comment_approved", &s->f.t)))
            break;
        if (strcmp(tg_buf_str(&s->f.t), "1") != 0)
            continue;
        if ((st = tgr_child_text(c, "comment_type", &s->f.t)))
            break;
        if (s->f.t.len && strcmp(s->f.t.data, "comment") != 0)
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
        if ((st = tgr_child_text(c, "comment_content", &s->f.u)))
            break;
        tg_buf_clear(&s->f.t);
        if ((st = tgr_html_fragment(s->f.h, tg_buf_str(&s->f.u), s->f.u.len, TGR_TEXT_NEWLINES, &s->f.t)))
            break;
        st = tgr_append_comment(body, tg_buf_str(&author), date, tg_buf_str(&s->f.t), s->f.t.len);
    }
    tg_buf_free(&author);
    tg_buf_free(&when);
    return st;
}

/* WordPress: only published posts and pages; the rest is counted by
 * its type or status. Sets *skip. */
static tg_status wxr_skip(rss_state *s, const xmlNode *n, int *skip)
{
    *skip = 0;
    if (!s->wxr && !tgr_child(n, "post_type"))
        return TG_OK;
    tg_status st = tgr_child_text(n, "post_type", &s->f.t);
    if (st)
        return st;
    const char *type = s->f.t.len ? s->f.t.data : "post";
    if (strcmp(type, "post") != 0 && strcmp(type, "page") != 0) {
        tgr_skip_kind(&s->f.skipped, type, 1);
        *skip = 1;
        return TG_OK;
    }
    if ((st = tgr_child_text(n, "status", &s->f.t)))
        return st;
    if (s->f.t.len && strcmp(s->f.t.data, "publish") != 0) {
        /* draft, future, private, pending, trash */
        tgr_skip_kind(&s->f.skipped, s->f.t.data, 1);
        *skip = 1;
    }
    return TG_OK;
}

/* The item's page: <link>, else RSS 1.0's rdf:about. */
static tg_status item_link(const xmlNode *n, tg_buf *link)
{
    tg_status st = tgr_child_text(n, "link", link);
    const char *about = tgr_attr(n, "about");
    if (!st && !link->len && about)
        st = tg_buf_puts(link, about);
    return st;
}

/* The identity (tgr_feed_identity). WordPress: the site and the post id,
 * the form of WordPress's own guids ("https://site/?p=42"): the guid
 * itself is copied between posts in real exports (the official theme test
 * data has two such pairs), the permalink changes when the blog's
 * permalink scheme does, the post id is the database's key. Else the
 * guid, the link, the file's path and "#post-ID", the entry's place. */
static tg_status item_identity(tg_reader *r, rss_state *s, const tgr_entry *e, tg_article *a,
                               const tg_buf *link)
{
    const xmlNode *n = e->node;
    tg_buf post = {0}, id = {0}, fallback = {0};
    const char *site = tgr_xml_header(s->f.x, "base_blog_url");
    if (!site)
        site = tgr_xml_header(s->f.x, "base_site_url");
    if (!site)
        site = tgr_xml_header(s->f.x, "link");
    tg_status st = tgr_child_text(n, "post_id", &post);
    if (!st && s->wxr && post.len && site && *site) {
        size_t sl = strlen(site);
        while (sl && site[sl - 1] == '/')
            sl--;
        st = tg_buf_printf(&id, "%.*s/?p=%s", (int)sl, site, post.data);
    } else if (!st) {
        st = tgr_child_text(n, "guid", &id);
    }
    if (!st && post.len)
        st = tg_buf_printf(&fallback, "#post-%s", post.data);
    if (!st)
        st = tgr_feed_identity(r, e, a, id.data, id.len, link->len ? link->data : NULL,
                               fallback.len ? fallback.data : NULL);
    tg_buf_free(&post);
    tg_buf_free(&id);
    tg_buf_free(&fallback);
    return st;
}

/* dc:creator (a WordPress login: its display name), else <author>. */
static tg_status item_author(rss_state *s, const xmlNode *n, tg_article *a)
{
    tg_status st = tgr_child_text(n, "creator", &s->f.t);
    if (!st && s->f.t.len) {
        const char *who = display_name(s, s->f.t.data);
        return tgr_set_line(&a->author, who, strlen(who));
    }
    if (!st && !(st = tgr_child_text(n, "author", &s->f.t)) && s->f.t.len)
        st = set_rss_author(a, s->f.t.data, s->f.t.len);
    return st;
}

/* Categories (WordPress: of the category and post_tag domains only) and
 * dc:subject. */
static tg_status item_tags(rss_state *s, const xmlNode *n, tg_article *a)
{
    tg_status st = TG_OK;
    for (xmlNode *c = tgr_child(n, "category"); !st && c; c = tgr_next_named(c, "category")) {
        const char *domain = tgr_attr(c, "domain");
        if (s->wxr && domain && strcmp(domain, "category") != 0 && strcmp(domain, "post_tag") != 0)
            continue;
        if (!(st = tgr_text(c, &s->f.t)))
            st = tgr_add_tag(a, s->f.t.data, s->f.t.len);
    }
    for (xmlNode *c = tgr_child(n, "subject"); !st && c; c = tgr_next_named(c, "subject"))
        if (!(st = tgr_text(c, &s->f.t)))
            st = tgr_add_tag(a, s->f.t.data, s->f.t.len);
    return st;
}

/* content:encoded, else the description; WordPress's comments after. */
static tg_status item_body(tg_reader *r, rss_state *s, const xmlNode *n, tg_buf *body)
{
    int flags = s->wxr ? TGR_TEXT_NEWLINES : 0;
    tg_status st = tgr_text(content_encoded(n), &s->f.t);
    if (!st && !s->f.t.len)
        st = tgr_child_text(n, "description", &s->f.t);
    if (!st && s->f.t.len)
        st = tgr_html_fragment(s->f.h, s->f.t.data, s->f.t.len, flags, body);
    if (!st && s->wxr && tg_reader_options(r)->comments)
        st = append_wxr_comments(s, n, body);
    return st;
}

static tg_status item_article(tg_reader *r, void *state, const tgr_entry *e, tg_article *a,
                              int *keep)
{
    /* Dates: the GMT field first, then local, then the feed's own. */
    static const char *const date_fields[] = { "post_date_gmt", "post_date", "pubDate", "date",
                                               "published", "updated" };
    rss_state *s = state;
    const xmlNode *n = e->node;
    tg_buf link = {0}, body = {0};
    int skip;
    *keep = 0;
    tg_status st = wxr_skip(s, n, &skip);
    if (st || skip)
        return st;
    if (!(st = item_link(n, &link)))
        st = item_identity(r, s, e, a, &link);
    if (!st && !(st = tgr_child_text(n, "title", &s->f.t)))
        st = tgr_set_line(&a->title, s->f.t.data, s->f.t.len);
    if (!st)
        st = tgr_feed_date(&s->f, a, n, date_fields, sizeof date_fields / sizeof *date_fields);
    if (!st)
        st = item_author(s, n, a);
    if (!st)
        st = item_tags(s, n, a);
    if (!st)
        st = item_body(r, s, n, &body);
    if (!st)
        st = tgr_feed_keep(&s->f, a, &body, keep);
    tg_buf_free(&link);
    tg_buf_free(&body);
    return st;
}

static tg_status rss_open_common(tg_reader *r, void **state, int wxr)
{
    rss_state *s = calloc(1, sizeof *s);
    if (!s)
        return TG_ERR_NOMEM;
    s->wxr = wxr;
    /* RSS 2.0 items sit in the channel (depth 2), RSS 1.0's beside it. */
    if (tgr_feed_open(&s->f, r, "item", 1, 2)) {
        free(s);
        return TG_ERR_NOMEM;
    }
    if (wxr)
        tgr_xml_on_header(s->f.x, on_channel_element, s);
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
    tgr_feed_close(&s->f);
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
    tg_status st = tgr_feed_next(r, &s->f, item_article, s, a, done);
    if (!st && *done)
        tgr_feed_note_skipped(r, &s->f, "items skipped (not published posts or pages)");
    return st;
}

static int rss_sniff(const char *head, size_t n, const char *path)
{
    (void)path;
    if (tgr_sniff_root_is(head, n, "rss"))
        return tgr_contains(head, n, "wordpress.org/export/") ? 40 : 90;
    if (tgr_sniff_root_is(head, n, "rdf") && tgr_contains(head, n, "purl.org/rss/1.0"))
        return 85;
    return 0;
}

static int wxr_sniff(const char *head, size_t n, const char *path)
{
    (void)path;
    return tgr_sniff_root_is(head, n, "rss") && tgr_contains(head, n, "wordpress.org/export/")
               ? 95 : 0;
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
