/* reader_htmltext.c - HTML to plain text, sniffing, tags: what the HTML and
 * XML readers share (declared in reader_int.h). Dates are lib/date.c's. */
#include "reader_int.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tg_text.h"

/* ---- HTML to text ------------------------------------------------------- */

/* What is not text: code, styling, form controls, embedded media. */
static const char *const dropped[] = {
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
    "math", "canvas", "button", "select", "option", "textarea", "input", "head",
    "audio", "video", "map", "frameset", "frame", NULL,
};

/* Elements that make a paragraph of their own. */
static const char *const blocks[] = {
    "p", "div", "section", "article", "main", "aside", "header", "footer", "nav",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre",
    "table", "thead", "tbody", "tfoot", "figure", "figcaption", "hr", "address",
    "form", "fieldset", "details", "summary", "center", "body", "html", "caption",
    "hgroup", NULL,
};

/* Elements that start a line, not a paragraph. */
static const char *const lines[] = { "li", "tr", "dt", "dd", NULL };

static int in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(name, *list) == 0)
            return 1;
    return 0;
}

enum { BRK_NONE, BRK_SPACE, BRK_LINE, BRK_PARA };

typedef struct {
    tg_buf *out;
    size_t base;   /* out->len when this text began */
    int pending;   /* break owed before the next word */
    int brs;       /* <br>s since the last word */
    int pre;       /* inside <pre>: line breaks are kept */
    int flags;
    tgr_skip_fn skip;
    void *ud;
} emitter;

static void owe(emitter *e, int brk)
{
    if (brk > e->pending)
        e->pending = brk;
}

static tg_status put_word(emitter *e, const char *s, size_t n)
{
    if (e->out->len > e->base && e->pending) {
        const char *sep = e->pending == BRK_PARA ? "\n\n" : e->pending == BRK_LINE ? "\n" : " ";
        if (tg_buf_puts(e->out, sep))
            return TG_ERR_NOMEM;
    }
    e->pending = BRK_NONE;
    e->brs = 0;
    return tg_buf_append(e->out, s, n);
}

/* Length of the white space at s (tg_utf8_space_len), else 0; counts newlines. */
static size_t space_at(const char *s, size_t n, int *newlines)
{
    if (n && s[0] == '\n')
        (*newlines)++;
    return tg_utf8_space_len(s, n);
}

static tg_status put_text(emitter *e, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        int nl = 0;
        size_t k = i;
        for (size_t w; k < n && (w = space_at(s + k, n - k, &nl)) > 0;)
            k += w;
        if (k > i) {
            if (e->pre || (e->flags & TGR_TEXT_NEWLINES))
                owe(e, nl >= 2 ? BRK_PARA : nl == 1 ? BRK_LINE : BRK_SPACE);
            else
                owe(e, BRK_SPACE);
            i = k;
            continue;
        }
        int dummy = 0;
        while (k < n && space_at(s + k, n - k, &dummy) == 0)
            k++;
        tg_status st = put_word(e, s + i, k - i);
        if (st)
            return st;
        i = k;
    }
    return TG_OK;
}

static tg_status walk(emitter *e, const xmlNode *n, int depth)
{
    /* Real pages nest a few dozen levels; a malicious one could nest
     * thousands and exhaust the stack. */
    if (depth > 256)
        return TG_OK;
    for (const xmlNode *c = n; c; c = c->next) {
        tg_status st = TG_OK;
        switch (c->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (c->content)
                st = put_text(e, (const char *)c->content, strlen((const char *)c->content));
            break;
        case XML_ENTITY_REF_NODE: {
            /* An entity XML does not know (&nbsp; in an export): the HTML
             * one; its declared expansion is never followed. */
            const htmlEntityDesc *d = c->name ? htmlEntityLookup(c->name) : NULL;
            if (d) {
                xmlChar u[8];
                int len = xmlCopyCharMultiByte(u, (int)d->value);
                if (len > 0)
                    st = put_text(e, (const char *)u, (size_t)len);
            }
            break;
        }
        case XML_ELEMENT_NODE: {
            const char *name = tgr_local(c);
            if (in_list(name, dropped) || (e->skip && e->skip(c, e->ud)))
                break;
            if (strcasecmp(name, "br") == 0) {
                /* Blogger's editor separates paragraphs with <br><br>. */
                owe(e, ++e->brs >= 2 ? BRK_PARA : BRK_LINE);
                break;
            }
            int block = in_list(name, blocks), line = !block && in_list(name, lines);
            int cell = !block && !line && (strcasecmp(name, "td") == 0 ||
                                           strcasecmp(name, "th") == 0);
            int pre = strcasecmp(name, "pre") == 0;
            if (block)
                owe(e, BRK_PARA);
            else if (line)
                owe(e, BRK_LINE);
            else if (cell)
                owe(e, BRK_SPACE);
            if (pre)
                e->pre++;
            st = walk(e, c->children, depth + 1);
            if (pre)
                e->pre--;
            if (block)
                owe(e, BRK_PARA);
            else if (line)
                owe(e, BRK_LINE);
            else if (cell)
                owe(e, BRK_SPACE);
            break;
        }
        case XML_DOCUMENT_NODE:
        case XML_HTML_DOCUMENT_NODE:
            st = walk(e, c->children, depth + 1);
            break;
        default:
            break; /* comments, processing instructions, DTDs */
        }
        if (st)
            return st;
    }
    return TG_OK;
}

tg_status tgr_html_text(const xmlNode *n, int flags, tgr_skip_fn skip, void *ud, tg_buf *out)
{
    if (!n)
        return TG_OK;
    emitter e = { out, out->len, BRK_NONE, 0, 0, flags, skip, ud };
    if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
        return walk(&e, n, 0);
    /* n's own content only: walk() would go on to n's siblings. */
    if (n->type == XML_ELEMENT_NODE && in_list(tgr_local(n), dropped))
        return TG_OK;
    return walk(&e, n->children, 1);
}

tg_status tgr_plain_text(const char *s, size_t n, int flags, tg_buf *out)
{
    emitter e = { out, out->len, BRK_NONE, 0, 0, flags, NULL, NULL };
    return put_text(&e, s, n);
}

struct tgr_html {
    htmlParserCtxtPtr ctxt;
};

tgr_html *tgr_html_new(void)
{
    tgr_html *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->ctxt = htmlNewParserCtxt();
    if (!h->ctxt) {
        free(h);
        return NULL;
    }
    return h;
}

void tgr_html_free(tgr_html *h)
{
    if (!h)
        return;
    htmlFreeParserCtxt(h->ctxt);
    free(h);
}

static const int html_opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_NONET;

htmlDocPtr tgr_html_page(tgr_html *h, const char *data, size_t len, const char *encoding)
{
    if (len > INT32_MAX)
        len = INT32_MAX;
    return htmlCtxtReadMemory(h->ctxt, data, (int)len, NULL, encoding, html_opts);
}

tg_status tgr_html_fragment(tgr_html *h, const char *html, size_t len, int flags, tg_buf *out)
{
    /* Most posts' text has no markup worth a parser. */
    const char *lt = memchr(html, '<', len), *amp = memchr(html, '&', len);
    if (!lt && !amp) {
        emitter e = { out, out->len, BRK_NONE, 0, 0, flags, NULL, NULL };
        return put_text(&e, html, len);
    }
    htmlDocPtr doc = tgr_html_page(h, html, len, "UTF-8");
    if (!doc)
        return TG_OK; /* nothing libxml2 could make a document of */
    tg_status st = tgr_html_text((xmlNode *)doc, flags, NULL, NULL, out);
    xmlFreeDoc(doc);
    return st;
}

/* ---- sniffing ----------------------------------------------------------- */

static int starts_ci(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - s) >= n && strncasecmp(s, word, n) == 0;
}

int tgr_sniff_root(const char *head, size_t n, char *root, size_t rootsz, int *html_doctype)
{
    const char *p = head, *end = head + n;
    root[0] = '\0';
    *html_doctype = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (p >= end || *p != '<')
            return 0;
        if (starts_ci(p, end, "<!--")) {
            const char *e = NULL;
            for (const char *q = p + 4; q + 3 <= end; q++)
                if (memcmp(q, "-->", 3) == 0) {
                    e = q + 3;
                    break;
                }
            if (!e)
                return 0;
            p = e;
        } else if (starts_ci(p, end, "<!doctype")) {
            const char *q = p + 9;
            while (q < end && *q == ' ')
                q++;
            if (starts_ci(q, end, "html"))
                *html_doctype = 1;
            const char *e = memchr(p, '>', (size_t)(end - p));
            const char *b = memchr(p, '[', (size_t)(end - p));
            if (b && e && b < e) {
                /* An internal subset: its declarations hold '>'s too. */
                e = NULL;
                for (const char *k = b; k + 1 < end; k++)
                    if (k[0] == ']' && k[1] == '>') {
                        e = k + 1;
                        break;
                    }
            }
            if (!e)
                return 0;
            p = e + 1;
        } else if (p + 1 < end && (p[1] == '?' || p[1] == '!')) {
            const char *e = memchr(p, '>', (size_t)(end - p));
            if (!e)
                return 0;
            p = e + 1;
        } else {
            p++;
            size_t k = 0;
            while (p < end && k + 1 < rootsz && *p != ' ' && *p != '>' && *p != '/' &&
                   *p != '\t' && *p != '\r' && *p != '\n') {
                root[k++] = (char)tolower((unsigned char)*p);
                p++;
            }
            root[k] = '\0';
            /* The local name: "rdf:RDF" -> "rdf". */
            char *c = strchr(root, ':');
            if (c)
                memmove(root, c + 1, strlen(c + 1) + 1);
            return k > 0;
        }
    }
}

/* ---- small things ------------------------------------------------------- */

size_t tgr_trim(const char **sp, size_t n)
{
    const char *s = *sp;
    for (size_t w; (w = tg_utf8_space_len(s, n)) > 0;)
        s += w, n -= w;
    for (size_t w; (w = tg_utf8_space_len_back(s, n)) > 0;)
        n -= w;
    *sp = s;
    return n;
}

tg_status tgr_set_line(char **field, const char *s, size_t n)
{
    tg_buf b = {0};
    emitter e = { &b, 0, BRK_NONE, 0, 0, 0, NULL, NULL };
    tg_status st = s ? put_text(&e, s, n) : TG_OK;
    if (!st)
        st = tg_article_set(field, b.len ? b.data : NULL, b.len);
    tg_buf_free(&b);
    return st;
}

tg_status tgr_add_tag(tg_article *a, const char *s, size_t n)
{
    n = tgr_trim(&s, n);
    if (n == 0)
        return TG_OK;
    for (size_t i = 0; i < a->ntags; i++)
        if (strlen(a->tags[i]) == n && strncasecmp(a->tags[i], s, n) == 0)
            return TG_OK;
    return tg_article_add_tag(a, s, n);
}

tg_status tgr_append_comment(tg_buf *body, const char *author, const char *date,
                             const char *text, size_t len)
{
    len = tgr_trim(&text, len);
    if (len == 0)
        return TG_OK;
    tg_status st = TG_OK;
    if (body->len)
        st = tg_buf_puts(body, "\n\n");
    if (!st)
        st = tg_buf_printf(body, "Comment by %s", author && *author ? author : "Anonymous");
    if (!st && date && *date)
        st = tg_buf_printf(body, " (%s)", date);
    if (!st)
        st = tg_buf_puts(body, ": ");
    if (!st)
        st = tg_buf_append(body, text, len);
    return st;
}
