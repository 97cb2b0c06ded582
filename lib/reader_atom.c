/* reader_atom.c - Atom: feeds, and Blogger's "Export blog" archives.
 *
 * A Blogger export is an Atom feed whose entries say what they are with a
 * category of scheme http://schemas.google.com/g/2005#kind: post, page,
 * comment, settings, template. Posts and pages are articles; the template
 * (the blog's whole HTML/CSS) and the settings (which hold e-mail
 * addresses) never are; drafts (<app:draft>yes</app:draft>) are skipped.
 * Labels are categories of scheme http://www.blogger.com/atom/ns#; they
 * become tags. The post's id is the entry's <id>
 * (tag:blogger.com,1999:blog-N.post-M), its url the alternate link.
 * Newer exports (Google Takeout's feed.atom) say the same with
 * <blogger:type>, <blogger:status> and <blogger:parent>; both are read.
 *
 * Comments are entries of their own, after all the posts. With
 * opts.comments the file is read twice: a first pass puts every comment's
 * text in a temporary file with an index by post id (memory grows with
 * the number of comments, not their text), and the second pass appends
 * each post's comments to its body, oldest first, each a paragraph
 * "Comment by NAME (DATE): ...", so the passage splitter gives them
 * passages of their own under the post.
 *
 * A plain Atom feed has no kinds: every entry is an article, dated by
 * <published> (else <updated>), its body the <content> (else <summary>),
 * text, HTML or XHTML. */
#include "reader_int.h"
#include "tg_hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KIND_SCHEME "http://schemas.google.com/g/2005#kind"

/* A comment in the temporary file. */
typedef struct {
    uint64_t hash;       /* of the post id */
    char when[32];       /* <published>, for ordering */
    uint64_t seq;
    long off;            /* record: post id, NUL, comment paragraph */
    size_t len;
} comment_ref;

typedef struct {
    tgr_feed f;
    char *feed_author;     /* the feed's <author>, for entries without one */
    int comments_read;     /* the first pass has run */
    FILE *ctmp;
    comment_ref *refs;
    size_t nrefs, caprefs;
} atom_state;

/* ---- entries ------------------------------------------------------------ */

typedef enum { K_NONE, K_POST, K_PAGE, K_COMMENT, K_SETTINGS, K_TEMPLATE, K_OTHER } kind_t;

static kind_t kind_of(const xmlNode *entry, int *draft)
{
    kind_t k = K_NONE;
    *draft = 0;
    for (xmlNode *c = tgr_child(entry, "category"); c; c = tgr_next_named(c, "category")) {
        const char *scheme = tgr_attr(c, "scheme"), *term = tgr_attr(c, "term");
        if (!scheme || !term || strcmp(scheme, KIND_SCHEME) != 0)
            continue;
        const char *h = strrchr(term, '#');
        h = h ? h + 1 : term;
        k = strcmp(h, "post") == 0 ? K_POST : strcmp(h, "page") == 0 ? K_PAGE
          : strcmp(h, "comment") == 0 ? K_COMMENT : strcmp(h, "settings") == 0 ? K_SETTINGS
          : strcmp(h, "template") == 0 ? K_TEMPLATE : K_OTHER;
    }
    xmlNode *type = tgr_child(entry, "type"); /* <blogger:type>POST</blogger:type> */
    if (type && type->children && type->children->content) {
        const char *t = (const char *)type->children->content;
        k = strcasecmp(t, "POST") == 0 ? K_POST : strcasecmp(t, "PAGE") == 0 ? K_PAGE
          : strcasecmp(t, "COMMENT") == 0 ? K_COMMENT : K_OTHER;
    }
    xmlNode *ctl = tgr_child(entry, "control");
    xmlNode *d = ctl ? tgr_child(ctl, "draft") : NULL;
    if (d && d->children && d->children->content &&
        strncasecmp((const char *)d->children->content, "yes", 3) == 0)
        *draft = 1;
    xmlNode *status = tgr_child(entry, "status"); /* LIVE, DRAFT, DELETED, ... */
    if (status && status->children && status->children->content &&
        strcasecmp((const char *)status->children->content, "LIVE") != 0)
        *draft = 1;
    return k;
}

/* Text of an Atom text construct (title, content, summary): type text,
 * html (escaped markup) or xhtml (markup inline). Appends to out. */
static tg_status text_construct(atom_state *s, const xmlNode *n, tg_buf *out)
{
    if (!n)
        return TG_OK;
    const char *type = tgr_attr(n, "type");
    if (type && strcasecmp(type, "xhtml") == 0)
        return tgr_html_text(n, 0, NULL, NULL, out);
    tg_status st = tgr_text(n, &s->f.u);
    if (st || !s->f.u.len)
        return st;
    if (type && (strcasecmp(type, "html") == 0 || strcasecmp(type, "text/html") == 0))
        return tgr_html_fragment(s->f.h, s->f.u.data, s->f.u.len, 0, out);
    return tgr_plain_text(s->f.u.data, s->f.u.len, TGR_TEXT_NEWLINES, out);
}

/* The entry's page: rel="alternate" (or no rel), HTML when typed. */
static const char *alternate_link(const xmlNode *entry)
{
    const char *any = NULL;
    for (xmlNode *l = tgr_child(entry, "link"); l; l = tgr_next_named(l, "link")) {
        const char *rel = tgr_attr(l, "rel"), *type = tgr_attr(l, "type");
        const char *href = tgr_attr(l, "href");
        if (!href || !*href || (rel && strcmp(rel, "alternate") != 0))
            continue;
        if (!type || strcasecmp(type, "text/html") == 0)
            return href;
        if (!any)
            any = href;
    }
    return any;
}

/* ---- comments (Blogger) ------------------------------------------------- */

static uint64_t hash_id(const char *s, size_t n)
{
    return tg_hash64(s, n);
}

static int cmp_ref(const void *pa, const void *pb)
{
    const comment_ref *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    int c = strcmp(a->when, b->when);
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The post a comment answers: thr:in-reply-to's ref, or blogger:parent. */
static tg_status parent_of(atom_state *s, const xmlNode *entry, tg_buf *out)
{
    xmlNode *irt = tgr_child(entry, "in-reply-to");
    const char *ref = irt ? tgr_attr(irt, "ref") : NULL;
    tg_buf_clear(out);
    if (ref)
        return tg_buf_puts(out, ref);
    (void)s;
    return tgr_child_text(entry, "parent", out);
}

static tg_status keep_comment(atom_state *s, const xmlNode *entry, uint64_t seq)
{
    tg_buf parent = {0}, para = {0}, author = {0}, when = {0};
    tg_status st = parent_of(s, entry, &parent);
    if (st || parent.len == 0)
        goto out;
    tg_buf_clear(&s->f.t);
    xmlNode *au = tgr_child(entry, "author");
    if ((st = tgr_child_text(au, "name", &author)) ||
        (st = tgr_child_text(entry, "published", &when)))
        goto out;
    xmlNode *content = tgr_child(entry, "content");
    if ((st = text_construct(s, content, &s->f.t)))
        goto out;
    char date[11] = "";
    if (when.len)
        tg_date_parse(when.data, when.len, date);
    if ((st = tgr_append_comment(&para, tg_buf_str(&author), date, tg_buf_str(&s->f.t), s->f.t.len)))
        goto out;
    if (para.len == 0)
        goto out;
    if ((st = TG_ARRAY_RESERVE(s->refs, s->caprefs, s->nrefs + 1)))
        goto out;
    long off = ftell(s->ctmp);
    if (off < 0 || fwrite(parent.data, 1, parent.len + 1, s->ctmp) != parent.len + 1 ||
        fwrite(para.data, 1, para.len, s->ctmp) != para.len) {
        st = TG_ERR_IO;
        goto out;
    }
    comment_ref *c = &s->refs[s->nrefs++];
    c->hash = hash_id(parent.data, parent.len);
    snprintf(c->when, sizeof c->when, "%s", tg_buf_str(&when));
    c->seq = seq;
    c->off = off;
    c->len = parent.len + 1 + para.len;
out:
    tg_buf_free(&parent);
    tg_buf_free(&para);
    tg_buf_free(&author);
    tg_buf_free(&when);
    return st;
}

/* The first pass: every comment into the temporary file. */
static tg_status read_comments(tg_reader *r, atom_state *s)
{
    s->comments_read = 1;
    char err[256];
    tg_input *in = tg_reader_reopen(r, err, sizeof err);
    if (!in) {
        tg_reader_warn(r, 0, "comments not indexed: %s", err);
        return TG_OK;
    }
    s->ctmp = tmpfile();
    if (!s->ctmp) {
        tg_input_close(in);
        tg_reader_warn(r, 0, "comments not indexed: no temporary file");
        return TG_OK;
    }
    /* Quiet: the second pass reports the file's problems once. */
    tgr_xml *x = tgr_xml_open(r, in, "entry", 1, 1, tgr_max_entry(r), 1);
    tg_status st = x ? TG_OK : TG_ERR_NOMEM;
    tgr_entry e;
    uint64_t seq = 0;
    while (!st && x && tgr_xml_next(x, &e) == 1) {
        int draft;
        if (kind_of(e.node, &draft) == K_COMMENT && !draft)
            st = keep_comment(s, e.node, seq++);
        tgr_entry_free(&e);
    }
    tgr_xml_close(x);
    tg_input_close(in);
    if (!st && s->nrefs)
        qsort(s->refs, s->nrefs, sizeof *s->refs, cmp_ref);
    if (st == TG_ERR_IO) {
        tg_reader_warn(r, 0, "comments not indexed: cannot write the temporary file");
        s->nrefs = 0;
        return TG_OK;
    }
    return st;
}

static tg_status append_comments(atom_state *s, tg_article *a, tg_buf *body)
{
    if (!s->nrefs || !a->id)
        return TG_OK;
    size_t idlen = strlen(a->id);
    uint64_t h = hash_id(a->id, idlen);
    size_t lo = 0, hi = s->nrefs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->refs[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    tg_buf rec = {0};
    tg_status st = TG_OK;
    for (size_t i = lo; !st && i < s->nrefs && s->refs[i].hash == h; i++) {
        tg_buf_clear(&rec);
        if ((st = tg_buf_reserve(&rec, s->refs[i].len + 1)))
            break;
        if (fseek(s->ctmp, s->refs[i].off, SEEK_SET) != 0 ||
            fread(rec.data, 1, s->refs[i].len, s->ctmp) != s->refs[i].len)
            break;
        rec.len = s->refs[i].len;
        rec.data[rec.len] = '\0';
        /* The id is checked, not just its hash. */
        if (strlen(rec.data) != idlen || strcmp(rec.data, a->id) != 0)
            continue;
        const char *para = rec.data + idlen + 1;
        if (body->len)
            st = tg_buf_puts(body, "\n\n");
        if (!st)
            st = tg_buf_puts(body, para);
    }
    tg_buf_free(&rec);
    return st;
}

/* ---- the reader --------------------------------------------------------- */

/* The entry's id, place and page (tgr_feed_identity). */
static tg_status entry_identity(tg_reader *r, atom_state *s, const tgr_entry *e, tg_article *a)
{
    tg_status st = tgr_child_text(e->node, "id", &s->f.t);
    return st ? st : tgr_feed_identity(r, e, a, s->f.t.data, s->f.t.len, alternate_link(e->node),
                                       NULL);
}

/* The entry's author, else the feed's. */
static tg_status entry_author(atom_state *s, const xmlNode *n, tg_article *a)
{
    tg_status st = tgr_child_text(tgr_child(n, "author"), "name", &s->f.t);
    if (!st && s->f.t.len)
        st = tgr_set_line(&a->author, s->f.t.data, s->f.t.len);
    if (!st && !a->author && s->feed_author)
        st = tg_article_set(&a->author, s->feed_author, (size_t)-1);
    return st;
}

/* Categories (labels) are tags, except Blogger's kinds. */
static tg_status entry_tags(const xmlNode *n, tg_article *a)
{
    for (xmlNode *c = tgr_child(n, "category"); c; c = tgr_next_named(c, "category")) {
        const char *scheme = tgr_attr(c, "scheme");
        if (scheme && strcmp(scheme, KIND_SCHEME) == 0)
            continue;
        const char *term = tgr_attr(c, "label");
        if (!term || !*term)
            term = tgr_attr(c, "term");
        tg_status st = term ? tgr_add_tag(a, term, strlen(term)) : TG_OK;
        if (st)
            return st;
    }
    return TG_OK;
}

/* <content> (unless it only points elsewhere), else <summary>; then the
 * comments, with opts.comments. */
static tg_status entry_body(tg_reader *r, atom_state *s, const xmlNode *n, tg_article *a,
                            tg_buf *body)
{
    xmlNode *content = tgr_child(n, "content");
    if (!content || tgr_attr(content, "src"))
        content = tgr_child(n, "summary");
    tg_status st = text_construct(s, content, body);
    if (!st && tg_reader_options(r)->comments)
        st = append_comments(s, a, body);
    return st;
}

static tg_status entry_article(tg_reader *r, atom_state *s, const tgr_entry *e, tg_article *a,
                               int *keep)
{
    static const char *const date_fields[] = { "published", "updated" };
    const xmlNode *n = e->node;
    tg_buf body = {0};
    tg_status st;
    *keep = 0;
    if ((st = entry_identity(r, s, e, a)))
        return st;
    tg_buf_clear(&s->f.t);
    st = text_construct(s, tgr_child(n, "title"), &s->f.t);
    if (!st)
        st = tgr_set_line(&a->title, s->f.t.data, s->f.t.len);
    if (!st)
        st = tgr_feed_date(&s->f, a, n, date_fields, 2);
    if (!st)
        st = entry_author(s, n, a);
    if (!st)
        st = entry_tags(n, a);
    if (!st)
        st = entry_body(r, s, n, a, &body);
    if (!st)
        st = tgr_feed_keep(&s->f, a, &body, keep);
    tg_buf_free(&body);
    return st;
}

/* Posts and pages are articles; the rest is counted. */
static tg_status atom_entry(tg_reader *r, void *state, const tgr_entry *e, tg_article *a,
                            int *keep)
{
    static const char *const skipped[] = { NULL, NULL, NULL, "comment", "settings",
                                           "template", "other" };
    atom_state *s = state;
    int draft;
    kind_t k = kind_of(e->node, &draft);
    *keep = 0;
    if (skipped[k] || draft) {
        tgr_skip_kind(&s->f.skipped, skipped[k] ? skipped[k] : "draft", 1);
        return TG_OK;
    }
    return entry_article(r, s, e, a, keep);
}

static void note_skipped(tg_reader *r, atom_state *s)
{
    char what[128];
    snprintf(what, sizeof what, "entries skipped (not posts or pages%s)",
             tgr_skipped(&s->f.skipped, "comment") && !tg_reader_options(r)->comments
                 ? "; --comments indexes comments with their posts" : "");
    tgr_feed_note_skipped(r, &s->f, what);
}

/* An entry without an author has the feed's (RFC 4287, 4.2.1). */
static void on_feed_element(const xmlNode *el, void *ud)
{
    atom_state *s = ud;
    if (s->feed_author || strcmp(tgr_local(el), "author") != 0)
        return;
    tg_buf name = {0};
    if (!tgr_child_text(el, "name", &name) && name.len)
        s->feed_author = tg_buf_steal(&name);
    tg_buf_free(&name);
}

static tg_status atom_open(tg_reader *r, void **state)
{
    /* The notice's order, whatever comes first. */
    static const char *const kinds[] = { "template", "settings", "draft", "comment", "other" };
    atom_state *s = calloc(1, sizeof *s);
    if (!s)
        return TG_ERR_NOMEM;
    if (tgr_feed_open(&s->f, r, "entry", 1, 1)) {
        free(s);
        return TG_ERR_NOMEM;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        tgr_skip_kind(&s->f.skipped, kinds[i], 0);
    tgr_xml_on_header(s->f.x, on_feed_element, s);
    *state = s;
    return TG_OK;
}

static void atom_close(void *state)
{
    atom_state *s = state;
    if (!s)
        return;
    tgr_feed_close(&s->f);
    free(s->feed_author);
    if (s->ctmp)
        fclose(s->ctmp);
    free(s->refs);
    free(s);
}

static tg_status atom_next(tg_reader *r, void *state, tg_article *a, int *done)
{
    atom_state *s = state;
    tg_status st;
    *done = 0;
    if (tg_reader_options(r)->comments && !s->comments_read && (st = read_comments(r, s)))
        return st;
    st = tgr_feed_next(r, &s->f, atom_entry, s, a, done);
    if (!st && *done)
        note_skipped(r, s);
    return st;
}

/* ---- sniffing ----------------------------------------------------------- */

static int is_blogger(const char *head, size_t n)
{
    return tgr_contains(head, n, "tag:blogger.com,1999:blog-") ||
           tgr_contains(head, n, "schemas.google.com/blogger/2008/kind#") ||
           tgr_contains(head, n, "schemas.google.com/blogger/2018");
}

static int atom_sniff(const char *head, size_t n, const char *path)
{
    (void)path;
    if (!tgr_sniff_root_is(head, n, "feed"))
        return 0;
    return is_blogger(head, n) ? 40 : 90;
}

static int blogger_sniff(const char *head, size_t n, const char *path)
{
    (void)path;
    return tgr_sniff_root_is(head, n, "feed") && is_blogger(head, n) ? 95 : 0;
}

/* One implementation, two names: what --format accepts and messages say. */
const tg_reader_vtable tg_reader_blogger_vtable = {
    .name = "blogger",
    .sniff = blogger_sniff,
    .open = atom_open,
    .next = atom_next,
    .close = atom_close,
};

const tg_reader_vtable tg_reader_atom_vtable = {
    .name = "atom",
    .sniff = atom_sniff,
    .open = atom_open,
    .next = atom_next,
    .close = atom_close,
};
