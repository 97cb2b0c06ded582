/*
 * reader_int.h - helpers shared by the XML and HTML readers (not public).
 *
 *   - tgr_xml: a streaming XML parser over a tg_input that hands out one
 *     entry (<entry>, <item>) at a time as a small libxml2 tree, in bounded
 *     memory, and recovers from broken XML by resuming at the next entry.
 *   - HTML to plain text, for whole pages and for the HTML inside a post.
 *   - tag lists; dates are tg_date.h's (lib/date.c).
 *   - what the Atom and RSS readers share (lib/reader_feed.c).
 *
 * Why libxml2's push parser and not xmlTextReader: the text reader stops
 * for good at the first well-formedness error (an undefined entity, a
 * stray '<') and drops what it had parsed ahead in the same chunk; an
 * archive with one bad post would lose everything after it. With SAX hooks
 * on the push parser each finished entry is detached and queued, the rest
 * of the tree is freed as it goes, and a halted parser is restarted at the
 * next entry (see lib/reader_xmlstream.c).
 */
#ifndef TG_READER_INT_H
#define TG_READER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>

#include "tg_buf.h"
#include "tg_date.h"
#include "tg_reader.h"

/* ---- streaming XML -------------------------------------------------------- */

typedef struct tgr_xml tgr_xml;

/* One entry of the file, detached from the document. */
typedef struct tgr_entry {
    xmlNode *node;       /* the entry element; owned, free with tgr_entry_free */
    uint64_t ordinal;    /* 1-based among the entries of the file */
    uint64_t line;       /* line of its start tag */
    unsigned nerrors;    /* XML errors met inside it and recovered from */
    int ns_only;         /* every error was an undeclared namespace prefix
                            (names are matched by local name: nothing lost) */
    uint64_t err_line;   /* line of the first error */
    char err[200];       /* the first error's text */
} tgr_entry;

/* Opens a stream over in (borrowed; must outlive the stream). Entries are
 * elements named entry_name at a depth from min_depth to max_depth (the
 * root is depth 0: Atom entries are at 1, RSS 2.0 items at 2). Problems
 * are reported through r (tg_reader_warn) unless quiet. An entry spanning
 * more than max_entry_bytes of input is skipped with a warning, which is
 * what keeps memory bounded. Returns NULL on no memory. */
tgr_xml *tgr_xml_open(tg_reader *r, tg_input *in, const char *entry_name, int min_depth,
                      int max_depth, uint64_t max_entry_bytes, int quiet);
/* Next entry into *e (free it with tgr_entry_free). Returns 1 with an
 * entry, 0 at the end of the file, or -1 on a fatal error (the input
 * failed: the reason was set with tg_reader_fail). */
int tgr_xml_next(tgr_xml *x, tgr_entry *e);
void tgr_entry_free(tgr_entry *e);
/* The text of the first simple element named local met outside the
 * entries so far (the channel's <link>, WordPress's <base_site_url>), or
 * NULL. Borrowed from the stream. */
const char *tgr_xml_header(const tgr_xml *x, const char *local);
/* Calls cb with each element outside the entries (at the entries' depth
 * or above) when it ends, before it is freed: WordPress's <wp:author>
 * blocks, for one. */
typedef void (*tgr_header_fn)(const xmlNode *el, void *ud);
void tgr_xml_on_header(tgr_xml *x, tgr_header_fn cb, void *ud);
/* After tgr_xml_next returned -1: the status to return (the input's
 * failure, else TG_ERR_NOMEM). */
tg_status tgr_xml_status(const tgr_xml *x);
/* Entries started so far (including dropped ones). */
uint64_t tgr_xml_entries(const tgr_xml *x);
/* Frees the stream (not its input); NULL is allowed. */
void tgr_xml_close(tgr_xml *x);

/* Warns about the XML errors recovered inside e (nothing when none). */
void tgr_entry_report(tg_reader *r, const tgr_entry *e);
/* The input one entry may span, from the reader's max_article_bytes. */
uint64_t tgr_max_entry(const tg_reader *r);

/* Tree access by local name, ignoring namespaces: exports in the wild
 * misdeclare them (an undeclared app: prefix, WordPress's http and https
 * export URIs), and the local names are unambiguous within one format. */
xmlNode *tgr_child(const xmlNode *n, const char *local);
/* The next sibling element after `after` with this local name. */
xmlNode *tgr_next_named(const xmlNode *after, const char *local);
/* Local name of an element ("draft" for <app:draft>, even when the prefix
 * was not declared and libxml2 kept "app:draft" as the name). */
const char *tgr_local(const xmlNode *n);
/* Attribute by local name; borrowed from the tree, NULL when absent. */
const char *tgr_attr(const xmlNode *n, const char *local);
/* Text content of n (text and CDATA below it), trimmed, into out (cleared
 * first). Entity references are not followed. */
tg_status tgr_text(const xmlNode *n, tg_buf *out);
/* tgr_text of the child named local; "" when absent. */
tg_status tgr_child_text(const xmlNode *n, const char *local, tg_buf *out);

/* ---- HTML to text ------------------------------------------------------- */

/* Return 1 to drop an element and everything in it. */
typedef int (*tgr_skip_fn)(const xmlNode *el, void *ud);

enum {
    /* Blank lines in the text itself separate paragraphs, single line
     * breaks are kept: WordPress stores post content before its
     * paragraph filter runs, with bare blank lines instead of <p>. */
    TGR_TEXT_NEWLINES = 1,
};

/* Appends the plain text of the tree under n to out: block elements
 * become paragraphs (separated by a blank line), <br> and list items line
 * breaks, runs of white space one space; script, style and similar are
 * dropped, and so is any element skip() selects (skip may be NULL). */
tg_status tgr_html_text(const xmlNode *n, int flags, tgr_skip_fn skip, void *ud, tg_buf *out);

/* Appends plain text (no markup) to out, runs of white space folded to
 * one space; with TGR_TEXT_NEWLINES, line breaks and blank lines kept. */
tg_status tgr_plain_text(const char *s, size_t n, int flags, tg_buf *out);

/* A reusable HTML parser. */
typedef struct tgr_html tgr_html;
/* Returns NULL on no memory; free with tgr_html_free (NULL allowed). */
tgr_html *tgr_html_new(void);
void tgr_html_free(tgr_html *h);
/* Parses an HTML fragment (UTF-8) and appends its text to out. */
tg_status tgr_html_fragment(tgr_html *h, const char *html, size_t len, int flags, tg_buf *out);
/* Parses a whole page. encoding: the charset to read it in, or NULL to
 * let libxml2 decide. Returns the document (caller frees with xmlFreeDoc)
 * or NULL. */
htmlDocPtr tgr_html_page(tgr_html *h, const char *data, size_t len, const char *encoding);

/* For sniffers: the local name of the first element of head (lower case)
 * after any BOM, XML declaration, comments and DOCTYPE, into root.
 * *html_doctype is set when a DOCTYPE html came first. Returns 1 when an
 * element was found, 0 when head holds none (not markup, or cut short). */
int tgr_sniff_root(const char *head, size_t n, char *root, size_t rootsz, int *html_doctype);

/* ---- small things ------------------------------------------------------- */

/* Adds a tag unless the article has it already (compared without case);
 * white space is trimmed and empty tags ignored. */
tg_status tgr_add_tag(tg_article *a, const char *s, size_t n);

/* Trims white space (tg_utf8_space_len: ASCII and Unicode spaces); returns the new length and
 * moves *s past the leading space. */
size_t tgr_trim(const char **s, size_t n);

/* Sets *field to s[0..n) with white space runs (newlines too) folded
 * into single spaces and both ends trimmed; NULL when nothing is left.
 * For one-line fields: titles, authors. */
tg_status tgr_set_line(char **field, const char *s, size_t n);

/* Appends "Comment by NAME (DATE): TEXT" to body as a paragraph of its
 * own; nothing when the text is empty. */
tg_status tgr_append_comment(tg_buf *body, const char *author, const char *date,
                             const char *text, size_t len);

/* ---- feeds (reader_feed.c): what Atom and RSS share ------------------- */

/* What a feed reader skipped, by kind, for one notice at the end. */
typedef struct tgr_skips {
    struct { char name[32]; uint64_t n; } kinds[16];
    size_t nkinds;
    uint64_t n_more;    /* of kinds beyond the table: "N of other kinds" */
    uint64_t n_empty;   /* entries with neither title nor text */
} tgr_skips;

/* A feed being read: the entry stream, an HTML parser for the entries'
 * markup, scratch buffers for the entry steps. Embedded in the reader's
 * state; everything owned. */
typedef struct tgr_feed {
    tgr_xml *x;
    tgr_html *h;
    tg_buf t, u;
    tgr_skips skipped;
    int noted;
} tgr_feed;

/* Opens *f over the reader's input, entries named entry_name at depths
 * min_depth..max_depth (see tgr_xml_open). TG_ERR_NOMEM leaves *f closed. */
tg_status tgr_feed_open(tgr_feed *f, tg_reader *r, const char *entry_name, int min_depth,
                        int max_depth);
/* Frees what *f holds (not f itself); a closed or zeroed feed is fine. */
void tgr_feed_close(tgr_feed *f);

/* Reads one entry into a, or says why not: *keep = 1 when a is an
 * article; otherwise a is cleared and the loop goes on. */
typedef tg_status (*tgr_feed_entry_fn)(tg_reader *r, void *state, const tgr_entry *e,
                                       tg_article *a, int *keep);
/* The entry loop: entries in order, their XML errors reported, until fn
 * keeps one (TG_OK, *done = 0) or the file ends (TG_OK, *done = 1). */
tg_status tgr_feed_next(tg_reader *r, tgr_feed *f, tgr_feed_entry_fn fn, void *state,
                        tg_article *a, int *done);

/* The identity rule. a->id: id[0..idlen) when not empty, else the link,
 * else the file's path and fallback (NULL: ":entry N", the entry's
 * place). a->origin: path ":entry N"; a->url: the link, else the path.
 * link may be NULL or empty. */
tg_status tgr_feed_identity(tg_reader *r, const tgr_entry *e, tg_article *a, const char *id,
                            size_t idlen, const char *link, const char *fallback);
/* Sets a->date from the first of n's child elements fields[] that holds a
 * valid date (tg_date_parse); none is no date. Uses f->t. */
tg_status tgr_feed_date(tgr_feed *f, tg_article *a, const xmlNode *n, const char *const *fields,
                        size_t nfields);
/* The last step: an entry with neither title nor text is counted as
 * empty and not kept; else body becomes a->body and *keep = 1. */
tg_status tgr_feed_keep(tgr_feed *f, tg_article *a, const tg_buf *body, int *keep);

/* Counts n entries skipped as `what` (n = 0 only fixes the kind's place
 * in the notice). */
void tgr_skip_kind(tgr_skips *k, const char *what, uint64_t n);
/* How many were skipped as `what`. */
uint64_t tgr_skipped(const tgr_skips *k, const char *what);
/* Once per feed, when anything was skipped, notes "WHAT: 3 draft, 1
 * comment, 2 of other kinds, 1 empty" (kinds in the order first counted). */
void tgr_feed_note_skipped(tg_reader *r, tgr_feed *f, const char *what);

/* For sniffers: is head's root element (tgr_sniff_root) named root_name? */
int tgr_sniff_root_is(const char *head, size_t n, const char *root_name);
/* Does head[0..n) hold s? */
int tgr_contains(const char *head, size_t n, const char *s);

#endif
