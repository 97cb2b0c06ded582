/* reader_html.c - a saved or mirrored web page: one article per page.
 *
 * What is the article, on a blog page:
 *   - title: og:title, JSON-LD headline, the element classed entry-title or
 *     post-title, the post's first <h1>, else <title>;
 *   - date: JSON-LD datePublished, article:published_time, itemprop
 *     datePublished, the post's <time datetime>, Blogger's date header
 *     ("Tuesday, September 13, 2016"), <abbr class="published">, a date
 *     meta; as written, in the writer's zone;
 *   - author: JSON-LD, meta author, article:author (unless a URL), itemprop
 *     author, rel=author, the byline's vcard;
 *   - tags: article:tag, JSON-LD keywords, rel=tag links in the post;
 *   - url (and id): the canonical link, og:url, JSON-LD url; else the file;
 *   - body: the post's own container (itemprop articleBody, .post-body,
 *     .entry-content, ...; else the one <article>, <main>, <body>), minus
 *     navigation, sidebars, comments, share buttons, scripts and footers.
 *
 * A page listing several posts (a blog's front, archive or label page) is
 * recognised by holding two or more post bodies or <article>s and is
 * skipped with a notice: its posts have pages of their own, and splitting
 * it would index excerpts ("Read more...") under the full posts' ids.
 *
 * Encoding: a BOM or a declared charset (meta charset, http-equiv, XML
 * declaration) is honoured; otherwise the page is read as UTF-8, any bad
 * bytes as Latin-1 (with a warning). */
#include "reader_int.h"

#include <ctype.h>
#include <jansson.h>
#include <libxml/encoding.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tg_text.h"

typedef struct {
    int done;
    tgr_html *h;
} html_state;

/* ---- element tests ------------------------------------------------------ */

static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           strcasecmp((const char *)n->name, name) == 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcasecmp((const char *)a->name, name) == 0)
            return a->children && a->children->content ? (const char *)a->children->content
                                                       : "";
    return NULL;
}

/* Does s contain needle, ignoring case? (strcasestr is a GNU extension.) */
static int ci_contains(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; s && *s; s++)
        if (strncasecmp(s, needle, n) == 0)
            return 1;
    return 0;
}

/* Does the space-separated list `list` hold `word` (case-insensitive)? */
static int has_token(const char *list, const char *word)
{
    if (!list)
        return 0;
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if ((size_t)(p - s) == n && strncasecmp(s, word, n) == 0)
            return 1;
    }
    return 0;
}

static int has_class(const xmlNode *n, const char *cls)
{
    return has_token(attr(n, "class"), cls);
}

/* The containers blog engines put a post's text in. */
static const char *const body_classes[] = {
    "post-body", "entry-content", "post-content", "article-body", "article-content",
    "entry-body", "postbody", "post-entry", "story-body", "blog-post-body", NULL,
};

static int is_post_body(const xmlNode *n)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return 0;
    if (has_token(attr(n, "itemprop"), "articleBody"))
        return 1;
    const char *cls = attr(n, "class");
    for (const char *const *c = body_classes; cls && *c; c++)
        if (has_token(cls, *c))
            return 1;
    return 0;
}

/* Class or id words that mark what is around an article, not in it. */
static const char *const boiler_parts[] = {
    "comment", "sidebar", "widget", "share", "sharing", "social", "related", "navigation",
    "navbar", "breadcrumb", "advert", "cookie", "subscribe", "newsletter", "popup", "modal",
    "screen-reader", "sr-only", "skip-link", "post-footer", "entry-footer", "entry-meta",
    "post-meta", "byline", "jump-link", "menu", "masthead", "footer", "pagination", "pager",
    "feed-links", "post-labels", "post-share", "reactions", NULL,
};
static const char *const boiler_words[] = { "nav", "ad", "ads", "meta", "hidden", "tags", NULL };

static int token_is_boiler(const char *s, size_t n)
{
    char w[96];
    if (n == 0 || n >= sizeof w)
        return 0;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)s[i]);
    w[n] = '\0';
    for (const char *const *b = boiler_words; *b; b++)
        if (strcmp(w, *b) == 0)
            return 1;
    for (const char *const *b = boiler_parts; *b; b++)
        if (strstr(w, *b))
            return 1;
    return 0;
}

static int list_is_boiler(const char *list)
{
    if (!list)
        return 0;
    for (const char *p = list; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (p > s && token_is_boiler(s, (size_t)(p - s)))
            return 1;
    }
    return 0;
}

/* Navigation, sidebars, comments, footers: never article text. ud, when
 * not NULL, is the heading that gave the title: it is the title's, not
 * the body's. */
static int is_boilerplate(const xmlNode *n, void *ud)
{
    if (ud && n == ud)
        return 1;
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    const char *name = (const char *)n->name;
    static const char *const tags[] = { "nav", "aside", "footer", "header", "form", NULL };
    for (const char *const *t = tags; *t; t++)
        if (strcasecmp(name, *t) == 0)
            return 1;
    /* An article's own classes name its categories ("category-social"). */
    if (strcasecmp(name, "article") == 0 || strcasecmp(name, "main") == 0 ||
        strcasecmp(name, "body") == 0 || strcasecmp(name, "html") == 0)
        return 0;
    if (is_post_body(n))
        return 0;
    if (attr(n, "hidden"))
        return 1;
    const char *style = attr(n, "style");
    if (style) {
        char compact[64];
        size_t k = 0;
        for (const char *p = style; *p && k + 1 < sizeof compact; p++)
            if (!isspace((unsigned char)*p))
                compact[k++] = (char)tolower((unsigned char)*p);
        compact[k] = '\0';
        if (strstr(compact, "display:none"))
            return 1;
    }
    const char *role = attr(n, "role");
    if (role && (strcasecmp(role, "navigation") == 0 || strcasecmp(role, "complementary") == 0 ||
                 strcasecmp(role, "contentinfo") == 0 || strcasecmp(role, "banner") == 0))
        return 1;
    return list_is_boiler(attr(n, "class")) || list_is_boiler(attr(n, "id"));
}

static int inside_boilerplate(const xmlNode *n)
{
    for (const xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (is_boilerplate(p, NULL))
            return 1;
    return 0;
}

/* ---- searching the tree ------------------------------------------------- */

typedef int (*pred_fn)(const xmlNode *n, const void *arg);

/* Collects up to max elements under n (document order) that pred selects,
 * not looking inside a selected one. Returns how many there are (may be
 * more than max). */
static size_t find_all(const xmlNode *n, pred_fn pred, const void *arg, const xmlNode **out,
                       size_t max, int depth)
{
    size_t count = 0;
    if (depth > 256)
        return 0;
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (pred(c, arg)) {
            if (count < max)
                out[count] = c;
            count++;
            continue;
        }
        size_t k = find_all(c, pred, arg, count < max ? out + count : NULL,
                            count < max ? max - count : 0, depth + 1);
        count += k;
    }
    return count;
}

static const xmlNode *find_first(const xmlNode *n, pred_fn pred, const void *arg)
{
    const xmlNode *one = NULL;
    return find_all(n, pred, arg, &one, 1, 0) ? one : NULL;
}

static int p_name(const xmlNode *n, const void *name) { return is_el(n, name); }
static int p_post_body(const xmlNode *n, const void *arg) { (void)arg; return is_post_body(n); }
static int p_class(const xmlNode *n, const void *cls) { return has_class(n, cls); }
static int p_itemprop(const xmlNode *n, const void *prop)
{
    return has_token(attr(n, "itemprop"), prop);
}

/* An <article> that is a post: not a comment, not inside the comments or
 * a sidebar. */
static int p_post_article(const xmlNode *n, const void *arg)
{
    (void)arg;
    if (!is_el(n, "article"))
        return 0;
    const char *cls = attr(n, "class"), *id = attr(n, "id");
    if ((cls && ci_contains(cls, "comment")) || (id && ci_contains(id, "comment")))
        return 0;
    return !inside_boilerplate(n);
}

static tg_status node_text(const xmlNode *n, tg_buf *out)
{
    tg_buf_clear(out);
    return n ? tgr_html_text(n, 0, NULL, NULL, out) : TG_OK;
}

/* ---- metadata ----------------------------------------------------------- */

typedef struct {
    const char *og_title, *og_url, *og_type, *og_site;
    const char *published, *meta_author, *art_author, *meta_date, *refresh;
    const char *canonical;
    const xmlNode *title_el;
    const xmlNode *tag_metas[64];
    size_t ntag_metas;
    /* from JSON-LD (owned) */
    char *ld_headline, *ld_date, *ld_author, *ld_url;
    char *ld_keywords[32];
    size_t nld_keywords;
    int ld_article;
} page_meta;

static void meta_free(page_meta *m)
{
    free(m->ld_headline);
    free(m->ld_date);
    free(m->ld_author);
    free(m->ld_url);
    for (size_t i = 0; i < m->nld_keywords; i++)
        free(m->ld_keywords[i]);
}

static char *dup_json_string(json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return NULL;
}

static int ld_type_is(json_t *o, int (*want)(const char *))
{
    json_t *t = json_object_get(o, "@type");
    if (json_is_string(t))
        return want(json_string_value(t));
    size_t i;
    json_t *v;
    if (json_is_array(t))
        json_array_foreach(t, i, v)
            if (json_is_string(v) && want(json_string_value(v)))
                return 1;
    return 0;
}

static int is_article_type(const char *t)
{
    return strstr(t, "Article") || strstr(t, "Posting") || strcmp(t, "Report") == 0;
}

/* The author's name: a string, an object with "name", a list of those,
 * or a reference ("@id") to a Person elsewhere in the graph. */
static char *ld_author_name(json_t *a, json_t *graph)
{
    if (json_is_string(a))
        return strdup(json_string_value(a));
    if (json_is_array(a))
        return json_array_size(a) ? ld_author_name(json_array_get(a, 0), graph) : NULL;
    if (!json_is_object(a))
        return NULL;
    json_t *name = json_object_get(a, "name");
    if (json_is_string(name))
        return strdup(json_string_value(name));
    json_t *id = json_object_get(a, "@id");
    if (json_is_string(id) && json_is_array(graph)) {
        size_t i;
        json_t *o;
        json_array_foreach(graph, i, o) {
            json_t *oid = json_object_get(o, "@id");
            if (o != a && json_is_string(oid) &&
                strcmp(json_string_value(oid), json_string_value(id)) == 0) {
                name = json_object_get(o, "name");
                if (json_is_string(name))
                    return strdup(json_string_value(name));
            }
        }
    }
    return NULL;
}

static void ld_take(page_meta *m, json_t *o, json_t *graph)
{
    if (!json_is_object(o) || m->ld_article || !ld_type_is(o, is_article_type))
        return;
    m->ld_article = 1;
    json_t *h = json_object_get(o, "headline");
    if (!json_is_string(h))
        h = json_object_get(o, "name");
    m->ld_headline = dup_json_string(h);
    m->ld_date = dup_json_string(json_object_get(o, "datePublished"));
    if (!m->ld_date)
        m->ld_date = dup_json_string(json_object_get(o, "dateCreated"));
    m->ld_author = ld_author_name(json_object_get(o, "author"), graph);
    /* The Article's url wins over a WebPage's that an earlier JSON-LD
     * script gave (ld_take_page); that one was leaked when overwritten
     * (found by tests/fuzz/fuzz_reader_html.c). */
    char *url = dup_json_string(json_object_get(o, "url"));
    json_t *main = json_object_get(o, "mainEntityOfPage");
    if (!url && json_is_object(main))
        url = dup_json_string(json_object_get(main, "@id"));
    else if (!url)
        url = dup_json_string(main);
    if (url) {
        free(m->ld_url);
        m->ld_url = url;
    }
    json_t *kw = json_object_get(o, "keywords");
    if (json_is_string(kw)) {
        const char *s = json_string_value(kw);
        while (*s && m->nld_keywords < 32) {
            const char *c = strchr(s, ',');
            size_t n = c ? (size_t)(c - s) : strlen(s);
            m->ld_keywords[m->nld_keywords] = strndup(s, n);
            if (m->ld_keywords[m->nld_keywords])
                m->nld_keywords++;
            s += n + (c ? 1 : 0);
        }
    } else if (json_is_array(kw)) {
        size_t i;
        json_t *v;
        json_array_foreach(kw, i, v)
            if (json_is_string(v) && m->nld_keywords < 32) {
                m->ld_keywords[m->nld_keywords] = strdup(json_string_value(v));
                if (m->ld_keywords[m->nld_keywords])
                    m->nld_keywords++;
            }
    }
}

static int is_webpage_type(const char *t) { return strcmp(t, "WebPage") == 0; }

/* Yoast and others give the page's url on a WebPage node beside the
 * Article. */
static void ld_take_page(page_meta *m, json_t *o)
{
    if (m->ld_url || !json_is_object(o) || !ld_type_is(o, is_webpage_type))
        return;
    m->ld_url = dup_json_string(json_object_get(o, "url"));
}

static void read_json_ld(page_meta *m, const xmlNode *script)
{
    xmlChar *text = xmlNodeGetContent(script);
    if (!text)
        return;
    json_t *root = json_loads((const char *)text, 0, NULL);
    xmlFree(text);
    if (!root)
        return; /* broken JSON-LD is common and costs nothing but its dates */
    json_t *graph = json_object_get(root, "@graph");
    if (json_is_array(root))
        graph = root;
    if (json_is_array(graph)) {
        size_t i;
        json_t *o;
        json_array_foreach(graph, i, o)
            ld_take(m, o, graph);
        json_array_foreach(graph, i, o)
            ld_take_page(m, o);
    } else {
        ld_take(m, root, NULL);
    }
    json_decref(root);
}

static void read_meta(page_meta *m, const xmlNode *n, int depth)
{
    if (depth > 256)
        return;
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(c, "meta")) {
            const char *key = attr(c, "property");
            if (!key)
                key = attr(c, "name");
            const char *equiv = attr(c, "http-equiv");
            const char *content = attr(c, "content");
            if (equiv && strcasecmp(equiv, "refresh") == 0)
                m->refresh = content ? content : "";
            if (!key || !content)
                continue;
            if (strcasecmp(key, "og:title") == 0)
                m->og_title = content;
            else if (strcasecmp(key, "og:url") == 0)
                m->og_url = content;
            else if (strcasecmp(key, "og:type") == 0)
                m->og_type = content;
            else if (strcasecmp(key, "og:site_name") == 0)
                m->og_site = content;
            else if (strcasecmp(key, "article:published_time") == 0)
                m->published = content;
            else if (strcasecmp(key, "article:author") == 0)
                m->art_author = content;
            else if (strcasecmp(key, "author") == 0)
                m->meta_author = content;
            else if (strcasecmp(key, "article:tag") == 0 && m->ntag_metas < 64)
                m->tag_metas[m->ntag_metas++] = c;
            else if (!m->meta_date &&
                     (strcasecmp(key, "date") == 0 || strcasecmp(key, "dc.date") == 0 ||
                      strcasecmp(key, "dc.date.issued") == 0 ||
                      strcasecmp(key, "dcterms.created") == 0 ||
                      strcasecmp(key, "citation_publication_date") == 0))
                m->meta_date = content;
        } else if (is_el(c, "link")) {
            if (has_token(attr(c, "rel"), "canonical") && attr(c, "href"))
                m->canonical = attr(c, "href");
        } else if (is_el(c, "title")) {
            if (!m->title_el)
                m->title_el = c;
        } else if (is_el(c, "script")) {
            const char *type = attr(c, "type");
            if (type && strcasecmp(type, "application/ld+json") == 0)
                read_json_ld(m, c);
        } else if (is_el(c, "svg")) {
            continue; /* svg has <title>s of its own */
        } else {
            read_meta(m, c, depth + 1);
        }
    }
}

static int is_web_url(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

/* ---- the article -------------------------------------------------------- */

/* The element standing for the whole post around its body: the nearest
 * <article>, or a block classed post/hentry. Dates, bylines and labels
 * are looked for in there first. */
static const xmlNode *post_unit(const xmlNode *body)
{
    int up = 0;
    for (const xmlNode *p = body; p && p->type == XML_ELEMENT_NODE && up < 8; p = p->parent, up++)
        if (is_el(p, "article") || has_class(p, "post") || has_class(p, "hentry") ||
            has_class(p, "post-outer") || has_class(p, "blog-post"))
            return p;
    return NULL;
}

static int date_of(const xmlNode *n, char out[11])
{
    if (!n)
        return 0;
    const char *v = attr(n, "datetime");
    if (!v)
        v = attr(n, "content");
    if (!v && is_el(n, "abbr"))
        v = attr(n, "title");
    if (v)
        return tg_date_parse(v, strlen(v), out);
    tg_buf t = {0};
    int ok = !node_text(n, &t) && tg_date_parse(tg_buf_str(&t), t.len, out);
    tg_buf_free(&t);
    return ok;
}

static int p_time_published(const xmlNode *n, const void *arg)
{
    (void)arg;
    if (!is_el(n, "time"))
        return 0;
    const char *cls = attr(n, "class");
    return has_token(attr(n, "itemprop"), "datePublished") ||
           (cls && (ci_contains(cls, "published") || ci_contains(cls, "entry-date")));
}

static int p_abbr_published(const xmlNode *n, const void *arg)
{
    (void)arg;
    return is_el(n, "abbr") && has_class(n, "published") && attr(n, "title");
}

static void find_date(const page_meta *m, const xmlNode *unit, const xmlNode *doc, char out[11])
{
    out[0] = '\0';
    if (m->ld_date && tg_date_parse(m->ld_date, strlen(m->ld_date), out))
        return;
    if (m->published && tg_date_parse(m->published, strlen(m->published), out))
        return;
    const xmlNode *scopes[2] = { unit, doc };
    for (int i = 0; i < 2; i++) {
        const xmlNode *s = scopes[i];
        if (!s)
            continue;
        if (date_of(find_first(s, p_itemprop, "datePublished"), out) ||
            date_of(find_first(s, p_time_published, NULL), out) ||
            date_of(find_first(s, p_name, "time"), out) ||
            date_of(find_first(s, p_class, "date-header"), out) ||
            date_of(find_first(s, p_abbr_published, NULL), out))
            return;
    }
    if (m->meta_date && tg_date_parse(m->meta_date, strlen(m->meta_date), out))
        return;
    out[0] = '\0';
}

static int p_rel_author(const xmlNode *n, const void *arg)
{
    (void)arg;
    return is_el(n, "a") && has_token(attr(n, "rel"), "author");
}

static int p_byline(const xmlNode *n, const void *arg)
{
    (void)arg;
    return has_class(n, "post-author") || has_class(n, "byline") || has_class(n, "author") ||
           has_class(n, "entry-author");
}

static tg_status find_author(const page_meta *m, const xmlNode *unit, const xmlNode *doc,
                             tg_article *a)
{
    if (m->ld_author)
        return tgr_set_line(&a->author, m->ld_author, strlen(m->ld_author));
    if (m->meta_author && *m->meta_author)
        return tgr_set_line(&a->author, m->meta_author, strlen(m->meta_author));
    if (m->art_author && *m->art_author && !is_web_url(m->art_author))
        return tgr_set_line(&a->author, m->art_author, strlen(m->art_author));
    tg_buf t = {0};
    tg_status st = TG_OK;
    const xmlNode *scopes[2] = { unit, doc };
    for (int i = 0; i < 2 && !st && !a->author; i++) {
        if (!scopes[i])
            continue;
        const xmlNode *n = find_first(scopes[i], p_itemprop, "author");
        if (n) {
            const xmlNode *name = find_first(n, p_itemprop, "name");
            const char *c = attr(name ? name : n, "content");
            if (c)
                st = tgr_set_line(&a->author, c, strlen(c));
            else if (!(st = node_text(name ? name : n, &t)) && t.len && t.len < 200)
                st = tgr_set_line(&a->author, t.data, t.len);
        }
        if (!st && !a->author && (n = find_first(scopes[i], p_rel_author, NULL)) &&
            !(st = node_text(n, &t)) && t.len && t.len < 200)
            st = tgr_set_line(&a->author, t.data, t.len);
        const xmlNode *by;
        if (!st && !a->author && (by = find_first(scopes[i], p_byline, NULL))) {
            const xmlNode *fn = find_first(by, p_class, "fn");
            if (!(st = node_text(fn ? fn : by, &t)) && t.len && t.len < 200) {
                /* "Posted by Jane Doe" -> "Jane Doe" */
                const char *s = t.data;
                size_t len = t.len;
                static const char *const lead[] = { "posted by ", "written by ", "by ", NULL };
                for (const char *const *l = lead; *l; l++)
                    if (len > strlen(*l) && strncasecmp(s, *l, strlen(*l)) == 0) {
                        s += strlen(*l);
                        len -= strlen(*l);
                        break;
                    }
                st = tgr_set_line(&a->author, s, len);
            }
        }
    }
    tg_buf_free(&t);
    return st;
}

static int p_rel_tag(const xmlNode *n, const void *arg)
{
    (void)arg;
    return is_el(n, "a") && has_token(attr(n, "rel"), "tag");
}

static tg_status find_tags(const page_meta *m, const xmlNode *unit, const xmlNode *doc,
                           tg_article *a)
{
    tg_status st = TG_OK;
    for (size_t i = 0; !st && i < m->ntag_metas; i++) {
        const char *c = attr(m->tag_metas[i], "content");
        st = tgr_add_tag(a, c, strlen(c));
    }
    for (size_t i = 0; !st && i < m->nld_keywords; i++)
        st = tgr_add_tag(a, m->ld_keywords[i], strlen(m->ld_keywords[i]));
    /* Label links of the post itself; a sidebar's tag cloud is not its. */
    const xmlNode *links[64];
    size_t n = find_all(unit ? unit : doc, p_rel_tag, NULL, links, 64, 0);
    if (n > 64)
        n = 64;
    tg_buf t = {0};
    for (size_t i = 0; !st && i < n; i++) {
        if (!unit && inside_boilerplate(links[i]) && !has_class(links[i]->parent, "post-labels"))
            continue;
        if (!(st = node_text(links[i], &t)) && t.len < 200)
            st = tgr_add_tag(a, t.data, t.len);
    }
    tg_buf_free(&t);
    return st;
}

static int p_title_class(const xmlNode *n, const void *arg)
{
    (void)arg;
    return has_class(n, "entry-title") || has_class(n, "post-title");
}

/* "Blog Name: Post", "Post | Blog Name", "Post - Blog Name" -> "Post". */
static void strip_site(const char **s, size_t *n, const char *site)
{
    if (!site || !*site)
        return;
    size_t k = strlen(site);
    if (*n > k + 2 && strncasecmp(*s, site, k) == 0) {
        const char *p = *s + k;
        size_t left = *n - k;
        while (left && (*p == ' ' || *p == ':' || *p == '|' || *p == '-'))
            p++, left--;
        if (left) {
            *s = p;
            *n = left;
        }
        return;
    }
    if (*n > k + 2 && strncasecmp(*s + *n - k, site, k) == 0) {
        size_t left = *n - k;
        while (left && ((*s)[left - 1] == ' ' || (*s)[left - 1] == '|' ||
                        (*s)[left - 1] == '-' || (*s)[left - 1] == ':'))
            left--;
        if (left)
            *n = left;
    }
}

static tg_status find_title(const page_meta *m, const xmlNode *unit, const xmlNode *doc,
                            tg_article *a)
{
    if (m->og_title && *m->og_title)
        return tgr_set_line(&a->title, m->og_title, strlen(m->og_title));
    if (m->ld_headline && *m->ld_headline)
        return tgr_set_line(&a->title, m->ld_headline, strlen(m->ld_headline));
    tg_buf t = {0};
    tg_status st = TG_OK;
    const xmlNode *n = unit ? find_first(unit, p_title_class, NULL) : NULL;
    if (!n)
        n = find_first(doc, p_title_class, NULL);
    if (!n && unit)
        n = find_first(unit, p_name, "h1");
    if (n && !(st = node_text(n, &t)) && t.len)
        st = tgr_set_line(&a->title, t.data, t.len);
    if (!st && !a->title && m->title_el && !(st = node_text(m->title_el, &t)) && t.len) {
        const char *s = t.data;
        size_t len = t.len;
        strip_site(&s, &len, m->og_site);
        st = tgr_set_line(&a->title, s, len);
    }
    if (!st && !a->title && (n = find_first(doc, p_name, "h1")) && !(st = node_text(n, &t)) &&
        t.len)
        st = tgr_set_line(&a->title, t.data, t.len);
    tg_buf_free(&t);
    return st;
}

static int p_heading(const xmlNode *n, const void *arg)
{
    (void)arg;
    return is_el(n, "h1") || is_el(n, "h2") || is_el(n, "h3");
}

/* The first heading in the body that says the title, if any. */
static const xmlNode *title_heading(const xmlNode *container, const char *title)
{
    const xmlNode *hs[4];
    size_t n = find_all(container, p_heading, NULL, hs, 4, 0);
    if (n > 4)
        n = 4;
    const xmlNode *found = NULL;
    tg_buf t = {0};
    char *line = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if (!node_text(hs[i], &t) && !tgr_set_line(&line, t.data, t.len) && line &&
            strcmp(line, title) == 0)
            found = hs[i];
    free(line);
    tg_buf_free(&t);
    return found;
}

/* ---- encoding ----------------------------------------------------------- */

/* The charset the page declares in its first bytes: <meta charset>, the
 * http-equiv Content-Type, or an XML declaration. */
static int declared_charset(const char *s, size_t n, char *out, size_t outsz)
{
    if (n > 4096)
        n = 4096;
    for (size_t i = 0; i + 8 < n; i++) {
        if (strncasecmp(s + i, "charset", 7) != 0 && strncasecmp(s + i, "encoding", 8) != 0)
            continue;
        size_t k = i + (tolower((unsigned char)s[i]) == 'c' ? 7 : 8);
        while (k < n && (s[k] == ' ' || s[k] == '='))
            k++;
        if (k < n && (s[k] == '"' || s[k] == '\''))
            k++;
        size_t e = k;
        while (e < n && e - k + 1 < outsz &&
               (isalnum((unsigned char)s[e]) || s[e] == '-' || s[e] == '_' || s[e] == '.' ||
                s[e] == ':'))
            e++;
        if (e > k) {
            memcpy(out, s + k, e - k);
            out[e - k] = '\0';
            return 1;
        }
    }
    return 0;
}

/* ---- reader ------------------------------------------------------------- */

static int html_sniff(const char *head, size_t n, const char *path)
{
    char root[32];
    int doctype;
    int found = tgr_sniff_root(head, n, root, sizeof root, &doctype);
    if (doctype || (found && strcmp(root, "html") == 0))
        return 95;
    size_t pl = strlen(path);
    int ext = (pl > 5 && strcasecmp(path + pl - 5, ".html") == 0) ||
              (pl > 4 && strcasecmp(path + pl - 4, ".htm") == 0) ||
              (pl > 8 && strcasecmp(path + pl - 8, ".html.gz") == 0) ||
              (pl > 7 && strcasecmp(path + pl - 7, ".htm.gz") == 0);
    if (found && (strcmp(root, "head") == 0 || strcmp(root, "body") == 0 ||
                  strcmp(root, "meta") == 0 || strcmp(root, "title") == 0))
        return ext ? 80 : 50;
    /* A fragment saved as .html ("<div class=post>...") */
    if (found && ext && strcmp(root, "rss") != 0 && strcmp(root, "feed") != 0)
        return 60;
    return 0;
}

static tg_status html_open(tg_reader *r, void **state)
{
    html_state *s = calloc(1, sizeof *s);
    if (!s)
        return TG_ERR_NOMEM;
    s->h = tgr_html_new();
    if (!s->h) {
        free(s);
        return TG_ERR_NOMEM;
    }
    *state = s;
    return TG_OK;
}

static void html_close(void *state)
{
    html_state *s = state;
    if (!s)
        return;
    tgr_html_free(s->h);
    free(s);
}

/* Reads at most cap bytes of the page. *more is set when there were more. */
static tg_status read_page(tg_input *in, size_t cap, tg_buf *b, int *more)
{
    *more = 0;
    for (;;) {
        if (tg_buf_reserve(b, 64 * 1024 + 1))
            return TG_ERR_NOMEM;
        size_t room = b->cap - b->len - 1;
        if (room > cap - b->len + 1)
            room = cap - b->len + 1;
        long r = tg_input_read(in, b->data + b->len, room);
        if (r < 0)
            return (tg_status)tg_input_failed(in);
        b->len += (size_t)r;
        b->data[b->len] = '\0';
        if (r == 0)
            return TG_OK;
        if (b->len > cap) {
            b->len = cap;
            b->data[cap] = '\0';
            *more = 1;
            return TG_OK;
        }
    }
}

/* Does s hold a valid multi-byte UTF-8 sequence? A page with none and
 * some bytes over 127 is in a legacy charset, not broken UTF-8. */
static int has_utf8_sequence(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 1 < n; i++) {
        if (u[i] < 0xC2 || u[i] > 0xF4)
            continue;
        size_t need = u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : 2;
        if (i + need > n)
            return 0;
        size_t k = 1;
        while (k < need && (u[i + k] & 0xC0) == 0x80)
            k++;
        if (k == need && tg_utf8_valid(s + i, need))
            return 1;
    }
    return 0;
}

/* Was the page cut short? A page that opens <html> but never closes it. */
static int looks_truncated(const char *s, size_t n)
{
    size_t from = n > 2048 ? n - 2048 : 0;
    for (size_t i = from; i + 6 <= n; i++)
        if (s[i] == '<' && s[i + 1] == '/' && strncasecmp(s + i + 2, "html", 4) == 0)
            return 0;
    size_t head = n < 2048 ? n : 2048;
    for (size_t i = 0; i + 5 <= head; i++)
        if (s[i] == '<' && strncasecmp(s + i + 1, "html", 4) == 0)
            return 1;
    return 0;
}

static tg_status extract(tg_reader *r, htmlDocPtr doc, tg_article *a, int *skip)
{
    *skip = 0;
    tg_status st = TG_OK;
    page_meta m;
    memset(&m, 0, sizeof m);
    const xmlNode *root = (const xmlNode *)doc;
    read_meta(&m, root, 0);
    const xmlNode *html_body = find_first(root, p_name, "body");

    /* How many posts does the page hold? */
    const xmlNode *bodies[8], *arts[8];
    size_t nbodies = find_all(root, p_post_body, NULL, bodies, 8, 0);
    size_t narts = find_all(root, p_post_article, NULL, arts, 8, 0);
    int single = (m.og_type && strcasecmp(m.og_type, "article") == 0) || m.ld_article;
    size_t nposts = nbodies > narts ? nbodies : narts;
    if (nposts >= 2 && !single) {
        tg_reader_note(r, 0, "index page listing %zu posts, skipped: the posts are indexed "
                             "from their own pages", nposts);
        *skip = 1;
        goto out;
    }
    const xmlNode *container = NULL;
    if (nbodies >= 1)
        container = bodies[0];
    else if (narts >= 1)
        container = arts[0];
    else if (!(container = find_first(root, p_name, "main")))
        container = html_body ? html_body : root;
    const xmlNode *unit = post_unit(container);

    tg_buf body = {0};
    if ((st = find_title(&m, unit, root, a)) ||
        (st = find_author(&m, unit, root, a)) ||
        (st = find_tags(&m, unit, root, a)))
        goto out;
    const xmlNode *heading = a->title ? title_heading(container, a->title) : NULL;
    if ((st = tgr_html_text(container, 0, is_boilerplate, (void *)heading, &body))) {
        tg_buf_free(&body);
        goto out;
    }
    if (m.refresh && body.len < 200) {
        tg_reader_note(r, 0, "redirect page, skipped");
        *skip = 1;
        tg_buf_free(&body);
        goto out;
    }
    if (body.len == 0) {
        tg_reader_warn(r, 0, "no article text found in the page: skipped");
        *skip = 1;
        tg_buf_free(&body);
        goto out;
    }
    char date[11];
    find_date(&m, unit, root, date);
    const char *url = is_web_url(m.canonical) ? m.canonical : is_web_url(m.og_url) ? m.og_url
                    : is_web_url(m.ld_url) ? m.ld_url : NULL;
    const char *where = url ? url : tg_reader_path(r);
    st = tg_article_set(&a->body, tg_buf_str(&body), body.len);
    tg_buf_free(&body);
    if (st || (date[0] && (st = tg_article_set(&a->date, date, (size_t)-1))) ||
        (st = tg_article_set(&a->id, where, (size_t)-1)) ||
        (st = tg_article_set(&a->url, where, (size_t)-1)) ||
        (st = tg_article_set(&a->origin, tg_reader_path(r), (size_t)-1)))
        goto out;
out:
    meta_free(&m);
    return st;
}

static tg_status html_next(tg_reader *r, void *state, tg_article *a, int *done)
{
    html_state *s = state;
    *done = 0;
    if (s->done) {
        *done = 1;
        return TG_OK;
    }
    s->done = 1;
    tg_input *in = tg_reader_input(r);
    /* A page is parsed whole; the cap keeps a monster page from taking
     * all memory (its tree costs several times its size). */
    size_t cap = tg_reader_options(r)->max_article_bytes;
    cap = cap > ((size_t)1 << 60) / 4 ? ((size_t)1 << 60) : cap * 4;
    if (cap < ((size_t)16 << 20))
        cap = (size_t)16 << 20;
    tg_buf page = {0};
    int more;
    tg_status st = read_page(in, cap, &page, &more);
    if (st) {
        tg_buf_free(&page);
        tg_reader_fail(r, "%s", tg_input_failed(in) ? tg_input_errmsg(in) : "out of memory");
        return st;
    }
    if (more)
        tg_reader_warn(r, 0, "page larger than %zu bytes: only its first %zu bytes were read",
                       cap, cap);

    const unsigned char *u = (const unsigned char *)page.data;
    size_t n = page.len;
    char charset[64] = "";
    const char *encoding = "UTF-8";
    char *fixed = NULL;
    const char *data = page.data;
    size_t dlen = n;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        encoding = NULL; /* libxml2 reads the byte-order mark */
    } else if (declared_charset(page.data, n, charset, sizeof charset) &&
               strcasecmp(charset, "utf-8") != 0 && strcasecmp(charset, "utf8") != 0) {
        xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(charset);
        if (h) {
            xmlCharEncCloseFunc(h);
            encoding = charset;
        } else {
            tg_reader_warn(r, 0, "unknown charset \"%s\": read as UTF-8", charset);
        }
    }
    if (encoding && strcmp(encoding, "UTF-8") == 0 && !charset[0] &&
        !tg_utf8_valid(page.data, n) && !has_utf8_sequence(page.data, n)) {
        /* Nothing in it is UTF-8: a legacy page that never said its
         * charset. Browsers read those as Windows-1252 (Latin-1 with
         * quotes and dashes where Latin-1 has control codes). */
        xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler("windows-1252");
        encoding = h ? "windows-1252" : "ISO-8859-1";
        if (h)
            xmlCharEncCloseFunc(h);
        tg_reader_warn(r, 0, "not UTF-8 and no charset declared: read as %s",
                       h ? "Windows-1252 (Latin-1)" : "Latin-1");
    }
    if (encoding && strcmp(encoding, "UTF-8") == 0 && !tg_utf8_valid(page.data, n)) {
        size_t flen;
        fixed = tg_utf8_repair(page.data, n, &flen);
        if (!fixed) {
            tg_buf_free(&page);
            return TG_ERR_NOMEM;
        }
        data = fixed;
        dlen = flen;
        tg_reader_warn(r, 0, "%s: the bad bytes were read as Latin-1",
                       charset[0] ? "invalid UTF-8 in a page declared UTF-8"
                                  : "not valid UTF-8 and no charset declared");
    }
    if (!more && encoding && looks_truncated(page.data, n))
        tg_reader_warn(r, 0, "the page ends without </html>: it looks truncated; the text "
                             "up to the cut was indexed");
    htmlDocPtr doc = tgr_html_page(s->h, data, dlen, encoding);
    free(fixed);
    tg_buf_free(&page);
    if (!doc) {
        tg_reader_warn(r, 0, "the HTML parser could make nothing of this page: skipped");
        *done = 1;
        return TG_OK;
    }
    int skip;
    st = extract(r, doc, a, &skip);
    xmlFreeDoc(doc);
    if (st)
        return st;
    if (skip) {
        tg_article_clear(a);
        *done = 1;
    }
    return TG_OK;
}

const tg_reader_vtable tg_reader_html_vtable = {
    .name = "html",
    .sniff = html_sniff,
    .open = html_open,
    .next = html_next,
    .close = html_close,
};
