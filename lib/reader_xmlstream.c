/* reader_xmlstream.c - XML exports read one entry at a time, in bounded
 * memory, recovering from broken XML (see reader_int.h for why the push
 * parser and not xmlTextReader).
 *
 * The bytes go  tg_input -> UTF-8 repair -> libxml2 push parser (SAX2 tree
 * building, with hooks). When an entry element ends, the hook queues a
 * copy of it that owns all it uses (strings, namespaces), frees it and
 * everything else the parser built beside it, so
 * the tree never holds more than the entry being parsed.
 *
 * Recovery, in three layers:
 *   - libxml2's own (XML_PARSE_RECOVER): a mismatched end tag, a bare '&',
 *     an undeclared namespace prefix. Its reference handling gives up on
 *     &amp; and &lt; once the document is known to be malformed, which
 *     would garble every later post's escaped HTML; the hooks clear that
 *     flag at each event, since the errors are counted here anyway.
 *   - HTML entity names (&nbsp;, &eacute;) that XML does not define are
 *     resolved from libxml2's HTML table instead of being dropped.
 *   - Some errors stop libxml2 for good (a stray '<', content after the
 *     root). Then the entry being parsed is given up, the next entry's
 *     start tag is looked for in the raw bytes, and a new parser is started
 *     there, inside a copy of the entry's ancestors (their start tags, with
 *     the namespace declarations, are remembered for this).
 *
 * Invalid UTF-8 (when the file is UTF-8 or says nothing) is repaired on the
 * way in, each bad byte read as Latin-1, so one stray byte does not turn
 * libxml2 to Latin-1 for the whole rest of the file. Control characters
 * that XML forbids become spaces for the same reason.
 *
 * Memory: one entry's tree, the parser's buffer of unparsed input and a
 * copy of that (kept in case the parser must be restarted there); an entry
 * spanning more than max_entry_bytes is skipped, so all three are bounded. */
#include "reader_int.h"

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHUNK (64 * 1024)
/* Errors outside any entry reported one by one; the rest are counted. */
#define MAX_FILE_ERRORS 5
/* Ancestor levels remembered for restarts (Atom: feed; RSS: rss, channel). */
#define MAX_OPEN 3

struct tgr_xml {
    tg_reader *r;
    tg_input *in;
    char entry_name[32];
    size_t entry_name_len;
    int min_depth, max_depth;
    uint64_t max_entry;
    int quiet;

    xmlParserCtxtPtr ctxt;
    xmlSAXHandler sax;
    int depth;              /* innermost open element; the root is 0 */
    int entry_depth;        /* depth of the open entry, -1 when none */
    int last_entry_depth;
    uint64_t entries;

    /* the entry being parsed */
    uint64_t entry_line;
    uint64_t entry_at;      /* stream offset of its start */
    unsigned e_nerr;
    int e_ns_only;
    uint64_t e_err_line;
    char e_err[200];

    tg_buf open_tags[MAX_OPEN];

    tgr_entry *q;
    size_t qhead, qlen, qcap;

    /* encoding */
    int decided;
    int filter;             /* repair UTF-8 on the way in */
    int restartable;        /* byte search works (not UTF-16/32) */
    char encoding[64];      /* declared encoding, for a restarted parser */
    int ignore_enc;         /* the declared one is unknown: read as UTF-8 */
    unsigned char carry[4];
    size_t ncarry;
    uint64_t bad_bytes, bad_line;
    tg_buf work;            /* filtered chunk */
    /* bare '&' escaping (see escape_amps) */
    int escape;             /* on: the encoding is ASCII-compatible */
    int in_cdata, cdata_open, cdata_close;
    tg_buf amp_carry;       /* an '&' near the chunk's end, undecided */
    tg_buf amp_out;

    /* positions, in filtered bytes from the start of the file */
    uint64_t pos;           /* fed to parsers (or searched) so far */
    uint64_t lines;         /* newlines in those */
    uint64_t parser_at;     /* where the current parser's real input starts */
    uint64_t prefix_len;    /* synthetic bytes before it */
    uint64_t line_base;     /* real line = parser line + line_base */
    tg_buf replay;          /* bytes from replay_at to pos */
    uint64_t replay_at;
    uint64_t restart_floor; /* a restart begins at or after this offset */

    /* the last fatal error, where a halted parser stopped */
    int fatal_seen;
    uint64_t fatal_at;
    uint64_t fatal_line;
    char fatal_msg[200];

    unsigned file_errors;
    /* errors outside entries, reported once the chunk is parsed (a fatal
     * one that stops the parser is reported with what happened next) */
    struct { uint64_t line; char msg[200]; int fatal; } pend[MAX_FILE_ERRORS];
    size_t npend;
    int eof;                /* the input is exhausted */
    int ended;              /* no more entries will come */
    int failed;

    tgr_header_fn header_cb;
    void *header_ud;
    /* simple elements outside the entries (channel link, base_site_url) */
    struct { char name[32]; char text[512]; } header[16];
    size_t nheader;

    /* HTML entities resolved so far (see get_entity) */
    xmlEntityPtr *ents;
    size_t nents, capents;
};

/* ---- helpers ------------------------------------------------------------ */

static uint64_t real_line(const tgr_xml *x, long parser_line)
{
    return parser_line > 0 ? (uint64_t)parser_line + x->line_base : 0;
}

static void trim_msg(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "unknown error");
    size_t len = strlen(dst);
    while (len && (dst[len - 1] == '\n' || dst[len - 1] == ' '))
        dst[--len] = '\0';
    /* libxml2 puts the offending bytes on a second line. */
    for (char *p = dst; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

static uint64_t consumed_now(const tgr_xml *x)
{
    long c = xmlByteConsumed(x->ctxt);
    if (c < 0 || (uint64_t)c < x->prefix_len)
        return x->parser_at;
    return x->parser_at + ((uint64_t)c - x->prefix_len);
}

/* ---- SAX hooks ---------------------------------------------------------- */

static tgr_xml *stream_of(void *ctx)
{
    return ((xmlParserCtxtPtr)ctx)->_private;
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    tgr_xml *x = stream_of(ctx);
    if (!x || !e || e->level < XML_ERR_ERROR)
        return; /* warnings ("URI is not absolute") change nothing read */
    uint64_t line = real_line(x, e->line);
    if (e->level == XML_ERR_FATAL) {
        x->fatal_seen = 1;
        x->fatal_at = consumed_now(x);
        x->fatal_line = line;
        trim_msg(x->fatal_msg, sizeof x->fatal_msg, e->message);
    }
    if (x->entry_depth >= 0) {
        int ns = e->code == XML_NS_ERR_UNDEFINED_NAMESPACE;
        if (x->e_nerr++ == 0) {
            x->e_ns_only = ns;
            x->e_err_line = line;
            trim_msg(x->e_err, sizeof x->e_err, e->message);
        } else if (!ns) {
            x->e_ns_only = 0;
        }
        return;
    }
    if (x->quiet)
        return;
    if (x->file_errors++ < MAX_FILE_ERRORS && x->npend < MAX_FILE_ERRORS) {
        x->pend[x->npend].line = line;
        x->pend[x->npend].fatal = e->level == XML_ERR_FATAL;
        trim_msg(x->pend[x->npend].msg, sizeof x->pend[0].msg, e->message);
        x->npend++;
    }
}

/* Reports the errors met outside entries; halted: the parser stopped on
 * the last fatal one, which after_halt reports. */
static void flush_errors(tgr_xml *x, int halted)
{
    size_t n = x->npend;
    if (halted && n && x->pend[n - 1].fatal && x->pend[n - 1].line == x->fatal_line)
        n--;
    for (size_t i = 0; i < n; i++)
        tg_reader_warn(x->r, x->pend[i].line, "XML error: %s (recovered)", x->pend[i].msg);
    x->npend = 0;
}

static xmlEntityPtr get_entity(void *ctx, const xmlChar *name)
{
    xmlEntityPtr ent = xmlSAX2GetEntity(ctx, name);
    if (ent)
        return ent;
    tgr_xml *x = stream_of(ctx);
    const htmlEntityDesc *d = htmlEntityLookup(name);
    if (!x || !d)
        return NULL;
    for (size_t i = 0; i < x->nents; i++)
        if (xmlStrEqual(x->ents[i]->name, name))
            return x->ents[i];
    if (TG_ARRAY_RESERVE(x->ents, x->capents, x->nents + 1))
        return NULL;
    /* A predefined-kind entity is inlined as text, like &amp;: no
     * expansion, no entity node in the tree. */
    ent = calloc(1, sizeof *ent);
    xmlChar utf8[8];
    int n = xmlCopyCharMultiByte(utf8, (int)d->value);
    if (!ent || n <= 0) {
        free(ent);
        return NULL;
    }
    ent->type = XML_ENTITY_DECL;
    ent->etype = XML_INTERNAL_PREDEFINED_ENTITY;
    ent->name = xmlStrdup(name);
    ent->content = xmlStrndup(utf8, n);
    ent->length = n;
    if (!ent->name || !ent->content) {
        xmlFree((xmlChar *)ent->name);
        xmlFree(ent->content);
        free(ent);
        return NULL;
    }
    x->ents[x->nents++] = ent;
    return ent;
}

/* Remembers an ancestor's start tag: its name and namespace declarations
 * are what a restarted parser needs to read the entries inside it. */
static void remember_open(tgr_xml *x, const xmlChar *localname, const xmlChar *prefix,
                          int nb_namespaces, const xmlChar **namespaces)
{
    tg_buf *b = &x->open_tags[x->depth];
    tg_buf_clear(b);
    tg_buf_putc(b, '<');
    if (prefix)
        tg_buf_printf(b, "%s:", (const char *)prefix);
    tg_buf_puts(b, (const char *)localname);
    for (int i = 0; i < nb_namespaces; i++) {
        const char *p = (const char *)namespaces[2 * i];
        const char *uri = (const char *)namespaces[2 * i + 1];
        if (!uri || strchr(uri, '"'))
            continue;
        if (p)
            tg_buf_printf(b, " xmlns:%s=\"%s\"", p, uri);
        else
            tg_buf_printf(b, " xmlns=\"%s\"", uri);
    }
    tg_buf_putc(b, '>');
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    tgr_xml *x = stream_of(ctx);
    ctxt->wellFormed = 1;
    x->depth++;
    if (x->entry_depth < 0 && x->depth < MAX_OPEN)
        remember_open(x, localname, prefix, nb_namespaces, namespaces);
    int is_entry = x->entry_depth < 0 && x->depth >= x->min_depth && x->depth <= x->max_depth &&
                   strcmp((const char *)localname, x->entry_name) == 0;
    if (is_entry) {
        x->entry_depth = x->depth;
        x->last_entry_depth = x->depth;
        x->entries++;
        x->entry_line = real_line(x, xmlSAX2GetLineNumber(ctx));
        x->entry_at = consumed_now(x);
        x->e_nerr = 0;
        x->e_ns_only = 0;
        x->e_err_line = 0;
        x->e_err[0] = '\0';
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, URI, nb_namespaces, namespaces,
                          nb_attributes, nb_defaulted, attributes);
}

static int enqueue(tgr_xml *x, xmlNodePtr node)
{
    if (x->qhead + x->qlen == x->qcap) {
        if (x->qhead) {
            memmove(x->q, x->q + x->qhead, x->qlen * sizeof *x->q);
            x->qhead = 0;
        } else if (TG_ARRAY_RESERVE(x->q, x->qcap, x->qcap + 1)) {
            return -1;
        }
    }
    tgr_entry *e = &x->q[x->qhead + x->qlen++];
    memset(e, 0, sizeof *e);
    e->node = node;
    e->ordinal = x->entries;
    e->line = x->entry_line;
    e->nerrors = x->e_nerr;
    e->ns_only = x->e_ns_only;
    e->err_line = x->e_err_line;
    snprintf(e->err, sizeof e->err, "%s", x->e_err);
    return 0;
}

/* Remembers the text of a simple element beside the entries (the first
 * of each name): what a format may need from the channel or feed. */
static void keep_header(tgr_xml *x, const xmlNode *el)
{
    const char *name = tgr_local(el);
    if (x->nheader >= sizeof x->header / sizeof x->header[0] || strlen(name) >= 32)
        return;
    for (size_t i = 0; i < x->nheader; i++)
        if (strcmp(x->header[i].name, name) == 0)
            return;
    size_t len = 0;
    char *text = x->header[x->nheader].text;
    for (const xmlNode *c = el->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE || !c->content)
            return;
        size_t k = strlen((const char *)c->content);
        if (len + k >= sizeof x->header[0].text)
            return;
        memcpy(text + len, c->content, k);
        len += k;
    }
    text[len] = '\0';
    const char *t = text;
    size_t n = tgr_trim(&t, len);
    memmove(text, t, n);
    text[n] = '\0';
    snprintf(x->header[x->nheader].name, sizeof x->header[0].name, "%s", name);
    x->nheader++;
}

void tgr_xml_on_header(tgr_xml *x, tgr_header_fn cb, void *ud)
{
    x->header_cb = cb;
    x->header_ud = ud;
}

const char *tgr_xml_header(const tgr_xml *x, const char *local)
{
    for (size_t i = 0; i < x->nheader; i++)
        if (strcmp(x->header[i].name, local) == 0)
            return x->header[i].text;
    return NULL;
}

/* Frees every child of parent: what the parser built beside the entries
 * (white space, channel metadata) would otherwise pile up. With no last
 * child left, the parser starts a fresh text node next instead of
 * appending to one it no longer owns. */
static void free_children(xmlNodePtr parent)
{
    if (!parent)
        return;
    xmlNodePtr n = parent->children;
    while (n) {
        xmlNodePtr next = n->next;
        xmlUnlinkNode(n);
        xmlFreeNode(n);
        n = next;
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *URI)
{
    xmlParserCtxtPtr ctxt = ctx;
    tgr_xml *x = stream_of(ctx);
    ctxt->wellFormed = 1;
    xmlNodePtr cur = ctxt->node;
    xmlSAX2EndElementNs(ctx, localname, prefix, URI);
    int d = x->depth--;
    if (!cur || d < x->min_depth || d > x->max_depth || (x->entry_depth >= 0 && d > x->entry_depth))
        return;
    xmlNodePtr parent = cur->parent;
    if (x->entry_depth < 0 && d != x->entry_depth) {
        keep_header(x, cur);
        if (x->header_cb)
            x->header_cb(cur, x->header_ud);
    }
    if (d == x->entry_depth) {
        x->entry_depth = -1;
        /* The entry leaves the tree as a copy of its own: its namespaces
         * may be declared on an ancestor (<channel xmlns:content=...>),
         * and its names sit in the parser's dictionary; both die with the
         * ancestor or the parser, while the entry waits in the queue.
         * Copied without a document, the copy declares every namespace
         * it uses on its root and owns its strings. */
        xmlNodePtr own = xmlDocCopyNode(cur, NULL, 1);
        xmlUnlinkNode(cur);
        xmlFreeNode(cur);
        if (!own || enqueue(x, own)) {
            xmlFreeNode(own);
            x->failed = 1;
            xmlStopParser(ctxt);
        }
    }
    free_children(parent);
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
    ((xmlParserCtxtPtr)ctx)->wellFormed = 1;
    xmlSAX2Characters(ctx, ch, len);
}

/* ---- encoding and the UTF-8 repair -------------------------------------- */

/* Looks at the first bytes: a BOM, or the XML declaration's encoding. */
static void decide_encoding(tgr_xml *x, const unsigned char *p, size_t n)
{
    x->decided = 1;
    x->filter = 1;
    x->restartable = 1;
    snprintf(x->encoding, sizeof x->encoding, "UTF-8");
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF) ||
                   (p[0] == 0 && p[1] == '<') || (p[0] == '<' && p[1] == 0) ||
                   (p[0] == 0 && p[1] == 0))) {
        x->filter = 0;
        x->restartable = 0;
        return;
    }
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return;
    if (n < 5 || memcmp(p, "<?xml", 5) != 0)
        return;
    const unsigned char *end = memchr(p, '>', n < 512 ? n : 512);
    if (!end)
        return;
    const char *enc = NULL;
    for (const unsigned char *q = p; q + 8 < end; q++)
        if (memcmp(q, "encoding", 8) == 0) {
            enc = (const char *)q + 8;
            break;
        }
    if (!enc)
        return;
    while ((const unsigned char *)enc < end && (*enc == ' ' || *enc == '='))
        enc++;
    if ((const unsigned char *)enc >= end || (*enc != '"' && *enc != '\''))
        return;
    char quote = *enc++;
    size_t k = 0;
    while ((const unsigned char *)enc + k < end && enc[k] != quote && k + 1 < sizeof x->encoding)
        k++;
    char name[64];
    memcpy(name, enc, k);
    name[k] = '\0';
    if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        return;
    /* A charset libxml2 cannot convert would stop every parser at its
     * first byte (and a restarted one again, at the same place): the
     * declaration is ignored and the bytes read as UTF-8, repaired. */
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);
    if (!h) {
        x->ignore_enc = 1;
        tg_reader_note(x->r, 1, "encoding \"%s\" is not one this system knows: read as "
                       "UTF-8 (bytes that are not UTF-8 as Latin-1)", name);
        return;
    }
    xmlCharEncCloseFunc(h);
    /* A declared legacy charset: libxml2 converts it, and its bytes are
     * not ours to repair. */
    x->filter = 0;
    snprintf(x->encoding, sizeof x->encoding, "%s", name);
}

static int cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Appends p[0..n) to x->work, repaired: each byte that does not start a
 * valid UTF-8 sequence becomes its Latin-1 character. An incomplete
 * sequence at the end waits in carry for the next chunk (unless final). */
static tg_status repair(tgr_xml *x, const unsigned char *in, size_t len, int final)
{
    /* The carried bytes go first; a chunk is small, the copy cheap. */
    unsigned char *buf = NULL;
    const unsigned char *p = in;
    size_t n = len;
    if (x->ncarry) {
        buf = malloc(len + x->ncarry);
        if (!buf)
            return TG_ERR_NOMEM;
        memcpy(buf, x->carry, x->ncarry);
        if (len)
            memcpy(buf + x->ncarry, in, len);
        p = buf;
        n = len + x->ncarry;
        x->ncarry = 0;
    }
    if (tg_buf_reserve(&x->work, n * 2 + 1)) {
        free(buf);
        return TG_ERR_NOMEM;
    }
    char *out = x->work.data + x->work.len;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == '\n')
                x->lines++;
            else if (c < 0x20 && c != '\t' && c != '\r')
                c = ' ';
            *out++ = (char)c;
            i++;
            continue;
        }
        size_t need = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                    : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        int ok = need > 0;
        size_t k = 1;
        for (; ok && k < need && i + k < n; k++) {
            unsigned char b = p[i + k];
            ok = cont(b);
            if (k == 1 && c == 0xE0) ok = ok && b >= 0xA0;
            if (k == 1 && c == 0xED) ok = ok && b <= 0x9F;
            if (k == 1 && c == 0xF0) ok = ok && b >= 0x90;
            if (k == 1 && c == 0xF4) ok = ok && b <= 0x8F;
        }
        if (ok && i + need > n && !final) {
            /* Cut by the chunk's end: finish it with the next chunk. */
            x->ncarry = n - i;
            memcpy(x->carry, p + i, x->ncarry);
            break;
        }
        if (ok && i + need <= n) {
            memcpy(out, p + i, need);
            out += need;
            i += need;
            continue;
        }
        *out++ = (char)(0xC0 | (c >> 6));
        *out++ = (char)(0x80 | (c & 0x3F));
        if (!x->bad_bytes++)
            x->bad_line = x->lines + 1;
        i++;
    }
    x->work.len = (size_t)(out - x->work.data);
    x->work.data[x->work.len] = '\0';
    free(buf);
    return TG_OK;
}

/* ---- bare ampersands ---------------------------------------------------- */

/* libxml2 2.9's push parser, at each '&', looks ahead for the ';' that
 * ends the reference, from the '&' to the end of its buffer: a long run
 * of '&' with a ';' far after costs a scan each, quadratic time (200,000
 * of them took 11 s). So an '&' that cannot start a reference (&name;
 * &#N; &#xH;, with the ';' within AMP_LOOK bytes) is written &amp;
 * before the parser sees it: the text it stands for is the same '&'
 * (the parser's recovery would have kept it too), and the parser's
 * look-ahead never goes past AMP_LOOK bytes. Not inside CDATA sections,
 * where '&' is only a character. */
#define AMP_LOOK 48

static int name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

static int name_char(unsigned char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* What the n bytes after an '&' hold: 1 a reference, 0 none, -1 too few
 * bytes to tell. */
static int reference_after(const unsigned char *s, size_t n)
{
    size_t i = 0;
    if (n == 0)
        return -1;
    if (s[0] == '#') {
        int hex = n > 1 && s[1] == 'x';
        size_t digits = hex ? 2 : 1;
        for (i = digits; i < n && i < AMP_LOOK; i++) {
            unsigned char c = s[i];
            if (c == ';')
                return i > digits;
            int ok = (c >= '0' && c <= '9') ||
                     (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok)
                return 0;
        }
    } else {
        if (!name_start(s[0]))
            return 0;
        for (i = 1; i < n && i < AMP_LOOK; i++) {
            if (s[i] == ';')
                return 1;
            if (!name_char(s[i]))
                return 0;
        }
    }
    return i >= AMP_LOOK ? 0 : -1;
}

/* Rewrites x->work with bare '&' escaped. An '&' too near the chunk's
 * end to decide waits, with what follows, for the next chunk (unless
 * final). The bytes carried are name characters: no newline, so line
 * counts stay right. */
static tg_status escape_amps(tgr_xml *x, int final)
{
    static const char open[] = "<![CDATA[";
    const unsigned char *p = (const unsigned char *)x->work.data;
    size_t n = x->work.len;
    if (x->amp_carry.len) {
        if (n && tg_buf_append(&x->amp_carry, p, n))
            return TG_ERR_NOMEM;
        p = (const unsigned char *)x->amp_carry.data;
        n = x->amp_carry.len;
    } else if (!n || (!x->in_cdata && !memchr(p, '&', n) && !memchr(p, '<', n) &&
                      !x->cdata_open)) {
        return TG_OK; /* nothing to escape, no CDATA state to follow */
    }
    tg_buf *out = &x->amp_out;
    tg_buf_clear(out);
    if (tg_buf_reserve(out, n + n / 4 + 16))
        return TG_ERR_NOMEM;
    size_t i = 0, carry_from = n;
    for (; i < n; i++) {
        unsigned char c = p[i];
        if (x->in_cdata) {
            if (c == ']')
                x->cdata_close = x->cdata_close < 2 ? x->cdata_close + 1 : 2;
            else {
                if (c == '>' && x->cdata_close == 2)
                    x->in_cdata = 0;
                x->cdata_close = 0;
            }
        } else if (c == '&') {
            x->cdata_open = 0;
            int ref = reference_after(p + i + 1, n - i - 1);
            if (ref < 0 && !final) {
                carry_from = i;
                break;
            }
            if (ref <= 0) {
                if (tg_buf_append(out, "&amp;", 5))
                    return TG_ERR_NOMEM;
                continue;
            }
        } else if (c == (unsigned char)open[x->cdata_open]) {
            if (++x->cdata_open == sizeof open - 1) {
                x->in_cdata = 1;
                x->cdata_open = 0;
                x->cdata_close = 0;
            }
        } else {
            x->cdata_open = c == '<';
        }
        if (tg_buf_putc(out, (char)c))
            return TG_ERR_NOMEM;
    }
    /* The undecided tail becomes the next carry (it may be the carry's own
     * tail: move it down first). */
    size_t rest = n - carry_from;
    if (p == (const unsigned char *)x->amp_carry.data) {
        memmove(x->amp_carry.data, p + carry_from, rest);
        x->amp_carry.len = rest;
        x->amp_carry.data[rest] = '\0';
    } else {
        tg_buf_clear(&x->amp_carry);
        if (rest && tg_buf_append(&x->amp_carry, p + carry_from, rest))
            return TG_ERR_NOMEM;
    }
    tg_buf tmp = x->work;
    x->work = *out;
    *out = tmp;
    return TG_OK;
}

/* ---- parsers ------------------------------------------------------------ */

static void free_parser(tgr_xml *x)
{
    if (!x->ctxt)
        return;
    if (x->ctxt->myDoc) {
        xmlFreeDoc(x->ctxt->myDoc);
        x->ctxt->myDoc = NULL;
    }
    xmlFreeParserCtxt(x->ctxt);
    x->ctxt = NULL;
}

static void use_options(tgr_xml *x)
{
    /* HUGE lifts libxml2's 10 MB cap on one text node: the cap here is
     * max_entry, which says what happens instead of stopping the file. */
    xmlCtxtUseOptions(x->ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOCDATA |
                               XML_PARSE_BIG_LINES | XML_PARSE_HUGE |
                               (x->ignore_enc ? XML_PARSE_IGNORE_ENC : 0));
}

/* Starts a parser whose input begins at stream offset `at`. A restarted
 * one first gets a made-up declaration and the ancestors' start tags. */
static int new_parser(tgr_xml *x, uint64_t at, int restart)
{
    free_parser(x);
    x->ctxt = xmlCreatePushParserCtxt(&x->sax, NULL, NULL, 0, tg_reader_path(x->r));
    if (!x->ctxt)
        return -1;
    x->ctxt->_private = x;
    use_options(x);
    x->depth = -1;
    x->entry_depth = -1;
    x->fatal_seen = 0;
    x->parser_at = at;
    x->prefix_len = 0;
    if (!restart)
        return 0;
    tg_buf pre = {0};
    tg_buf_printf(&pre, "<?xml version=\"1.0\" encoding=\"%s\"?>", x->encoding);
    for (int d = 0; d < x->last_entry_depth && d < MAX_OPEN; d++)
        tg_buf_puts(&pre, tg_buf_str(&x->open_tags[d]));
    x->prefix_len = pre.len;
    int rc = pre.data ? 0 : -1;
    /* The made-up start is all on one line, the line the entry starts on. */
    if (!rc)
        xmlParseChunk(x->ctxt, pre.data, (int)pre.len, 0);
    tg_buf_free(&pre);
    return rc;
}

/* Feeds bytes (already repaired) to the parser and keeps them for a
 * possible restart. */
static void feed(tgr_xml *x, const char *p, size_t n, int terminate)
{
    if (n && tg_buf_append(&x->replay, p, n)) {
        x->failed = 1;
        return;
    }
    x->pos += n;
    /* libxml2 takes an int length: a long run (a restart's replay of a
     * big entry) goes in pieces. */
    const size_t piece = (size_t)1 << 30;
    while (n > piece && x->ctxt->instate != XML_PARSER_EOF) {
        xmlParseChunk(x->ctxt, p, (int)piece, 0);
        p += piece;
        n -= piece;
    }
    xmlParseChunk(x->ctxt, p, (int)n, terminate);
}

/* Drops the first n kept bytes. */
static void drop_replay(tgr_xml *x, size_t n)
{
    if (n > x->replay.len)
        n = x->replay.len;
    if (n == 0)
        return;
    memmove(x->replay.data, x->replay.data + n, x->replay.len - n);
    x->replay.len -= n;
    x->replay.data[x->replay.len] = '\0';
    x->replay_at += n;
}

/* Drops kept bytes the parser has consumed: a restart never goes back
 * before the parser's position. */
static void trim_replay(tgr_xml *x)
{
    if (!x->ctxt || x->ctxt->instate == XML_PARSER_EOF)
        return;
    uint64_t keep = consumed_now(x);
    if (keep > x->replay_at)
        drop_replay(x, (size_t)(keep - x->replay_at));
}

/* Reads and repairs the next chunk into x->work. Returns its length, 0 at
 * the end of input, -1 when the input failed. */
static long read_chunk(tgr_xml *x)
{
    unsigned char buf[CHUNK];
    long n = tg_input_read(x->in, buf, sizeof buf);
    tg_buf_clear(&x->work);
    if (n < 0)
        return -1;
    if (!x->decided) {
        decide_encoding(x, buf, (size_t)n);
        if (x->ignore_enc && x->ctxt)
            use_options(x); /* the first parser has not been fed yet */
        /* Byte-wise '&' escaping needs an ASCII-compatible charset in
         * which 0x26 is always '&' (not in UTF-16, nor ISO-2022). */
        x->escape = x->restartable && strncasecmp(x->encoding, "ISO-2022", 8) != 0;
    }
    int bad = 0;
    if (n == 0) {
        x->eof = 1;
        bad = x->ncarry && x->filter && repair(x, buf, 0, 1);
    } else if (!x->filter) {
        for (long i = 0; i < n; i++)
            x->lines += buf[i] == '\n';
        bad = tg_buf_append(&x->work, buf, (size_t)n) != TG_OK;
    } else {
        bad = repair(x, buf, (size_t)n, 0) != TG_OK;
    }
    if (!bad && x->escape)
        bad = escape_amps(x, x->eof) != TG_OK;
    if (bad) {
        x->failed = 1;
        return -1;
    }
    /* A chunk may repair to nothing yet (a cut sequence): not the end. */
    return x->work.len ? (long)x->work.len : (x->eof ? 0 : 1);
}

/* Looks for an entry's start tag ("<item", "<atom:entry") in s[from..n).
 * Returns its offset or -1. */
static long find_entry_tag(const tgr_xml *x, const char *s, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        if (s[i] != '<')
            continue;
        size_t k = i + 1;
        /* an optional prefix */
        size_t j = k;
        while (j < n && j - k < 32 && (s[j] == '_' || s[j] == '-' || s[j] == '.' ||
                                      (s[j] >= 'a' && s[j] <= 'z') ||
                                      (s[j] >= 'A' && s[j] <= 'Z') ||
                                      (s[j] >= '0' && s[j] <= '9')))
            j++;
        if (j < n && s[j] == ':')
            k = j + 1;
        if (k + x->entry_name_len >= n)
            continue;
        if (memcmp(s + k, x->entry_name, x->entry_name_len) != 0)
            continue;
        char c = s[k + x->entry_name_len];
        if (c == ' ' || c == '>' || c == '\t' || c == '\n' || c == '\r' || c == '/')
            return (long)i;
    }
    return -1;
}

/* The parser stopped (or an entry was given up) at stream offset `from`:
 * finds the next entry start and starts a parser there. Returns 1 when
 * reading goes on, 0 when no entry is left, -1 when the input failed. */
static int resync(tgr_xml *x, uint64_t from, char *resumed_at, size_t rn)
{
    /* Keep only bytes from `from`: everything before is given up. */
    if (from > x->replay_at)
        drop_replay(x, (size_t)(from - x->replay_at));
    size_t searched = 0;
    for (;;) {
        /* Every restart begins past the one before: a parser that stops
         * where it started (an input it cannot read at all) would
         * otherwise be restarted there forever. */
        if (x->restart_floor > x->replay_at && x->restart_floor - x->replay_at > searched)
            searched = x->restart_floor - x->replay_at > x->replay.len
                           ? x->replay.len : (size_t)(x->restart_floor - x->replay_at);
        long at = find_entry_tag(x, tg_buf_str(&x->replay), searched, x->replay.len);
        if (at >= 0) {
            /* The line of the entry start, counting back from pos. */
            uint64_t nl = 0;
            for (size_t i = (size_t)at; i < x->replay.len; i++)
                nl += x->replay.data[i] == '\n';
            uint64_t line = x->lines - nl + 1;
            snprintf(resumed_at, rn, "%llu", (unsigned long long)line);
            uint64_t start = x->replay_at + (uint64_t)at;
            x->restart_floor = start + 1;
            /* What follows is fed again to the new parser. */
            tg_buf rest = {0};
            if (tg_buf_append(&rest, x->replay.data + at, x->replay.len - (size_t)at)) {
                x->failed = 1;
                return -1;
            }
            tg_buf_clear(&x->replay);
            x->replay_at = start;
            x->pos = start;
            if (new_parser(x, start, 1)) {
                tg_buf_free(&rest);
                x->failed = 1;
                return -1;
            }
            x->line_base = line - 1;
            feed(x, rest.data, rest.len, 0);
            tg_buf_free(&rest);
            return 1;
        }
        /* Not in what is kept: drop all but a tail that may hold the
         * start of a tag cut by the chunk boundary. */
        size_t keep = 64 + x->entry_name_len;
        if (x->replay.len > keep)
            drop_replay(x, x->replay.len - keep);
        searched = 0;
        if (x->eof)
            return 0;
        long n = read_chunk(x);
        if (n < 0)
            return -1;
        if (tg_buf_append(&x->replay, x->work.data, x->work.len)) {
            x->failed = 1;
            return -1;
        }
        x->pos += x->work.len;
    }
}

/* The parser stopped on its own (libxml2 gives up on some errors). */
static int after_halt(tgr_xml *x)
{
    char where[32] = "";
    uint64_t from = x->fatal_seen ? x->fatal_at : x->pos;
    uint64_t line = x->fatal_line;
    char msg[200];
    snprintf(msg, sizeof msg, "%s", x->fatal_seen ? x->fatal_msg : "parser stopped");
    int open_entry = x->entry_depth >= 0;
    uint64_t ordinal = x->entries, eline = x->entry_line;
    int rc = x->restartable ? resync(x, from, where, sizeof where) : 0;
    if (rc < 0)
        return -1;
    if (x->quiet)
        return rc;
    if (open_entry && rc)
        tg_reader_warn(x->r, line, "entry %llu (from line %llu): XML error the parser cannot "
                       "get past: %s: the entry was dropped; reading went on at line %s",
                       (unsigned long long)ordinal, (unsigned long long)eline, msg, where);
    else if (open_entry)
        tg_reader_warn(x->r, line, "entry %llu (from line %llu): XML error the parser cannot "
                       "get past: %s: the entry was dropped, and no entry follows it",
                       (unsigned long long)ordinal, (unsigned long long)eline, msg);
    else if (rc)
        tg_reader_warn(x->r, line, "XML error the parser cannot get past: %s: reading went "
                       "on at the next entry, line %s", msg, where);
    else if (strstr(msg, "Extra content at the end") == NULL)
        tg_reader_warn(x->r, line, "XML error the parser cannot get past: %s: the rest of "
                       "the file holds no entry", msg);
    /* Junk after the document's end, with no entry in it, loses nothing. */
    return rc;
}

/* An entry spans more than max_entry bytes, or the parser holds that much
 * input it cannot parse yet (text with no markup): give it up. */
static int skip_big(tgr_xml *x)
{
    int open_entry = x->entry_depth >= 0;
    uint64_t ordinal = x->entries, eline = x->entry_line;
    uint64_t line = x->lines + 1;
    char where[32] = "";
    int rc = resync(x, x->pos, where, sizeof where);
    if (rc < 0)
        return -1;
    if (x->quiet)
        return rc;
    const char *next = rc ? "; reading went on at line " : ", and no entry follows it";
    if (open_entry)
        tg_reader_warn(x->r, eline, "entry %llu is larger than %llu bytes (the cap follows "
                       "--max-article-size): skipped%s%s", (unsigned long long)ordinal,
                       (unsigned long long)x->max_entry, next, rc ? where : "");
    else
        tg_reader_warn(x->r, line, "more than %llu bytes without markup the parser can use: "
                       "skipped%s%s", (unsigned long long)x->max_entry, next, rc ? where : "");
    return rc;
}

/* Parses until an entry is queued or the file ends. Returns 1, 0 at the
 * end, -1 when the input failed. */
static int pump(tgr_xml *x)
{
    while (x->qlen == 0 && !x->ended) {
        if (x->failed)
            return -1;
        if (x->ctxt->instate == XML_PARSER_EOF) {
            flush_errors(x, 1);
            int rc = after_halt(x);
            if (rc < 0)
                return -1;
            if (rc == 0)
                x->ended = 1;
            continue;
        }
        if ((x->entry_depth >= 0 && x->pos - x->entry_at > x->max_entry) ||
            x->replay.len > x->max_entry) {
            int rc = skip_big(x);
            if (rc < 0)
                return -1;
            if (rc == 0)
                x->ended = 1;
            continue;
        }
        if (x->eof) {
            int open_entry = x->entry_depth >= 0, open_root = x->depth >= 0;
            uint64_t ordinal = x->entries, eline = x->entry_line;
            flush_errors(x, 0);
            feed(x, NULL, 0, 1);
            /* libxml2's words for an unclosed document at the end ("Extra
             * content at the end of the document", "Premature end of
             * data") do not say what happened; these do. */
            if (open_root)
                x->npend = 0;
            flush_errors(x, 0);
            x->ended = 1;
            if (x->quiet)
                break;
            if (open_entry)
                tg_reader_warn(x->r, eline, "the file ends inside entry %llu: the file looks "
                               "truncated; that entry was dropped",
                               (unsigned long long)ordinal);
            else if (open_root)
                tg_reader_warn(x->r, x->lines + 1, "the file ends before the document does: "
                               "it looks truncated; the %llu entries before the cut were read",
                               (unsigned long long)ordinal);
            break;
        }
        long n = read_chunk(x);
        if (n < 0)
            return -1;
        if (x->work.len || x->eof)
            feed(x, x->work.data, x->work.len, 0);
        if (x->ctxt->instate != XML_PARSER_EOF)
            flush_errors(x, 0);
        trim_replay(x);
    }
    return x->qlen ? 1 : 0;
}

/* ---- API ---------------------------------------------------------------- */

tgr_xml *tgr_xml_open(tg_reader *r, tg_input *in, const char *entry_name, int min_depth,
                      int max_depth, uint64_t max_entry_bytes, int quiet)
{
    tgr_xml *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->r = r;
    x->in = in;
    snprintf(x->entry_name, sizeof x->entry_name, "%s", entry_name);
    x->entry_name_len = strlen(x->entry_name);
    x->min_depth = min_depth;
    x->max_depth = max_depth < MAX_OPEN ? max_depth : MAX_OPEN - 1;
    x->last_entry_depth = min_depth;
    x->max_entry = max_entry_bytes;
    x->quiet = quiet;
    memset(&x->sax, 0, sizeof x->sax);
    xmlSAXVersion(&x->sax, 2);
    x->sax.startElementNs = on_start;
    x->sax.endElementNs = on_end;
    x->sax.characters = on_characters;
    x->sax.cdataBlock = on_characters;
    x->sax.getEntity = get_entity;
    x->sax.serror = on_error;
    /* Comments, processing instructions and ignorable white space carry no
     * article text; not building them keeps the tree small. */
    x->sax.comment = NULL;
    x->sax.processingInstruction = NULL;
    if (new_parser(x, 0, 0)) {
        tgr_xml_close(x);
        return NULL;
    }
    return x;
}

int tgr_xml_next(tgr_xml *x, tgr_entry *e)
{
    memset(e, 0, sizeof *e);
    int rc = pump(x);
    if (rc < 0) {
        tg_input *in = x->in;
        if (tg_input_failed(in))
            tg_reader_fail(x->r, "%s%s", tg_input_errmsg(in),
                           x->entry_depth >= 0 ? " (inside an entry, which was dropped)" : "");
        else
            tg_reader_fail(x->r, "out of memory");
        return -1;
    }
    if (rc == 0) {
        if (!x->quiet && x->file_errors > MAX_FILE_ERRORS)
            tg_reader_warn(x->r, 0, "%u more XML errors outside entries (recovered)",
                           x->file_errors - MAX_FILE_ERRORS);
        if (!x->quiet && x->bad_bytes) {
            tg_reader_warn(x->r, x->bad_line, "invalid UTF-8: %llu byte%s read as Latin-1 "
                           "(the first on this line)", (unsigned long long)x->bad_bytes,
                           x->bad_bytes == 1 ? "" : "s");
            x->bad_bytes = 0;
        }
        x->file_errors = 0;
        return 0;
    }
    *e = x->q[x->qhead++];
    x->qlen--;
    if (x->qlen == 0)
        x->qhead = 0;
    return 1;
}

void tgr_entry_free(tgr_entry *e)
{
    if (e && e->node) {
        xmlFreeNode(e->node);
        e->node = NULL;
    }
}

uint64_t tgr_xml_entries(const tgr_xml *x) { return x->entries; }

tg_status tgr_xml_status(const tgr_xml *x)
{
    int st = tg_input_failed(x->in);
    return st ? (tg_status)st : TG_ERR_NOMEM;
}

void tgr_xml_close(tgr_xml *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->qlen; i++)
        xmlFreeNode(x->q[x->qhead + i].node);
    free(x->q);
    free_parser(x);
    for (size_t i = 0; i < x->nents; i++) {
        xmlFree((xmlChar *)x->ents[i]->name);
        xmlFree(x->ents[i]->content);
        free(x->ents[i]);
    }
    free(x->ents);
    for (int i = 0; i < MAX_OPEN; i++)
        tg_buf_free(&x->open_tags[i]);
    tg_buf_free(&x->work);
    tg_buf_free(&x->amp_carry);
    tg_buf_free(&x->amp_out);
    tg_buf_free(&x->replay);
    free(x);
}

/* ---- tree access -------------------------------------------------------- */

const char *tgr_local(const xmlNode *n)
{
    if (!n || !n->name)
        return "";
    /* An undeclared prefix leaves "app:draft" as the element's name. */
    const char *s = (const char *)n->name;
    const char *c = strchr(s, ':');
    return c ? c + 1 : s;
}

xmlNode *tgr_next_named(const xmlNode *after, const char *local)
{
    for (xmlNode *c = after ? after->next : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp(tgr_local(c), local) == 0)
            return c;
    return NULL;
}

xmlNode *tgr_child(const xmlNode *n, const char *local)
{
    if (!n)
        return NULL;
    for (xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp(tgr_local(c), local) == 0)
            return c;
    return NULL;
}

const char *tgr_attr(const xmlNode *n, const char *local)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttr *a = n->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        const char *c = strchr(name, ':');
        if (strcmp(c ? c + 1 : name, local) != 0)
            continue;
        /* SAX2 keeps an attribute's value as one text child. */
        if (a->children && (a->children->type == XML_TEXT_NODE) && a->children->content)
            return (const char *)a->children->content;
        return "";
    }
    return NULL;
}

static tg_status collect_text(const xmlNode *n, tg_buf *out)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        tg_status st = TG_OK;
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            st = tg_buf_puts(out, (const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE)
            st = collect_text(c, out);
        /* Entity references are not followed: their expansion is what
         * entity bombs are made of, and real exports do not use them. */
        if (st)
            return st;
    }
    return TG_OK;
}

tg_status tgr_text(const xmlNode *n, tg_buf *out)
{
    tg_buf_clear(out);
    if (!n)
        return TG_OK;
    tg_status st = collect_text(n, out);
    if (st || !out->len)
        return st;
    const char *s = out->data;
    size_t len = tgr_trim(&s, out->len);
    memmove(out->data, s, len);
    out->len = len;
    out->data[len] = '\0';
    return TG_OK;
}

tg_status tgr_child_text(const xmlNode *n, const char *local, tg_buf *out)
{
    return tgr_text(tgr_child(n, local), out);
}

/* ---- for the formats ---------------------------------------------------- */

void tgr_entry_report(tg_reader *r, const tgr_entry *e)
{
    if (!e->nerrors)
        return;
    char more[48] = "";
    if (e->nerrors > 1)
        snprintf(more, sizeof more, " (and %u more)", e->nerrors - 1);
    tg_reader_warn(r, e->err_line ? e->err_line : e->line, "entry %llu: XML error: %s%s; %s",
                   (unsigned long long)e->ordinal, e->err, more,
                   e->ns_only ? "read by local name, nothing lost"
                              : "recovered, but text near the error may be missing");
}

uint64_t tgr_max_entry(const tg_reader *r)
{
    uint64_t a = tg_reader_options(r)->max_article_bytes;
    if (a > ((uint64_t)1 << 58))
        return (uint64_t)1 << 61;
    return a * 8 + ((uint64_t)1 << 20);
}
