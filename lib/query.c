/*
 * query.c - the query language (include/tg_query.h) parsed into a tree.
 *
 * Two passes. The lexer walks the string once and emits a flat list of
 * items: clause nodes and OR markers. The combiner then folds
 * "clause OR clause" into TG_Q_OR nodes. Splitting it this way means a
 * clause that vanishes (punctuation only, a stray "+") simply never becomes
 * an item, so "a OR !!! OR b" still joins a and b, and OR's binding needs
 * no lookahead inside the lexer.
 *
 * Every word goes through tg_tokenize, never through a private lower-case
 * routine: the index is built with it, and a query term that normalises
 * differently from the index term silently matches nothing.
 *
 * Operator rules, chosen so that ordinary text never turns into operators:
 *   - '+', '-' and OR are operators only at the start of a chunk, i.e. at
 *     the start of the query or after whitespace. "e-Khalq" is a word and
 *     so is the "-iran" in `"a b"-iran`.
 *   - OR is an operator only when upper case and standing alone.
 *   - '"' always opens (or closes) a phrase, even inside a word, so quote
 *     pairing never depends on what surrounds a quote.
 *   - OR never takes a date filter as an operand (see combine()).
 *   - name:value with a name we do not know is two words, name and value:
 *     "foo:bar" is most likely not a phrase the archive contains.
 */
#include "tg_query.h"
#include "tg_buf.h"
#include "tg_date.h"
#include "tg_text.h"

#include <stdlib.h>
#include <string.h>

/* Longest slice of user text quoted back in a warning; long enough to
 * recognise, short enough to keep errbuf readable. */
#define WARN_QUOTE_MAX 40

/* ---- nodes ------------------------------------------------------------- */

static void node_free(tg_qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nwords; i++) {
        free(n->words[i]);
        free(n->raw[i]);
    }
    free(n->words);
    free(n->raw);
    free(n->glued);
    for (size_t i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n);
}

void tg_qtree_free(tg_qtree *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        node_free(t->nodes[i]);
    free(t->nodes);
    free(t);
}

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---- parser state ------------------------------------------------------ */

typedef struct item {
    tg_qnode *node;   /* NULL for an OR marker */
} item;

typedef struct parser {
    const char *q;
    size_t len;
    size_t pos;
    item *items;
    size_t nitems, capitems;
    tg_buf warn;      /* "; "-separated warnings, copied to errbuf at the end */
} parser;

/* Warnings are advice, not results: losing one to an allocation failure
 * must not fail the parse, so append errors are deliberately ignored.
 * The warning ends up in terminals and JSON output, so the quoted user
 * text is made valid UTF-8 (tg_utf8_repair, as everywhere else) with
 * control characters shown as '?'. */
static void warn(parser *p, const char *msg, const char *s, size_t n)
{
    if (p->warn.len)
        (void)tg_buf_puts(&p->warn, "; ");
    (void)tg_buf_puts(&p->warn, msg);
    if (!s)
        return;
    size_t k = n;
    if (k > WARN_QUOTE_MAX) {
        k = WARN_QUOTE_MAX;
        /* back off to a UTF-8 lead byte so no character is cut in two */
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    size_t rn;
    char *r = tg_utf8_repair(s, k, &rn);
    if (!r)
        return;
    for (size_t i = 0; i < rn; i++)
        if ((unsigned char)r[i] < 0x20 || r[i] == 0x7F)
            r[i] = '?';
    (void)tg_buf_puts(&p->warn, " '");
    (void)tg_buf_append(&p->warn, r, rn);
    (void)tg_buf_puts(&p->warn, k < n ? "...'" : "'");
    free(r);
}

static tg_status push_item(parser *p, tg_qnode *node)
{
    if (TG_ARRAY_RESERVE(p->items, p->capitems, p->nitems + 1)) {
        node_free(node);
        return TG_ERR_NOMEM;
    }
    p->items[p->nitems++].node = node;
    return TG_OK;
}

/* Byte length of the whitespace character at s[i], or 0: ASCII blanks
 * and the Unicode spaces that arrive in pasted text (NBSP, the U+2000
 * block, ideographic space). The tokenizer would split on them anyway, but
 * as a word-internal separator they would glue two words into an
 * accidental phrase. */
static size_t space_len(const char *s, size_t i, size_t len)
{
    return tg_utf8_space_len(s + i, len - i);
}

/* ---- words -> leaves --------------------------------------------------- */

typedef struct terms {
    const char *src;      /* the slice that was tokenized */
    size_t srclen;
    char **words, **raw;
    unsigned char *glued; /* glued[i]: word i and i+1 typed with a hyphen between */
    size_t n, cap, capraw, capglued;
    size_t prev_end;      /* where the last word pushed ended in src */
    size_t naddress;      /* of them, parts of an address or host name */
    tg_status st;
} terms;

static void terms_free(terms *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->words[i]);
        free(t->raw[i]);
    }
    free(t->words);
    free(t->raw);
    free(t->glued);
}

static int terms_push(terms *t, const char *w, size_t wn, const char *r, size_t rn)
{
    /* Two arrays of one length: each keeps its own room. */
    if (TG_ARRAY_RESERVE(t->words, t->cap, t->n + 1) ||
        TG_ARRAY_RESERVE(t->raw, t->capraw, t->n + 1) ||
        TG_ARRAY_RESERVE(t->glued, t->capglued, t->n + 1))
        return -1;
    char *a = dup_n(w, wn), *b = dup_n(r, rn);
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    t->words[t->n] = a;
    t->raw[t->n] = b;
    t->glued[t->n] = 0;
    t->n++;
    return 0;
}

/* Whether s[0..n) is one hyphen: what joins the parts of a compound
 * typed as one word (co-operation, Al-Qaeda), ASCII or Unicode's
 * hyphen and non-breaking hyphen. */
static int is_hyphen(const char *s, size_t n)
{
    return (n == 1 && s[0] == '-') ||
           (n == 3 && (memcmp(s, "\xe2\x80\x90", 3) == 0 || memcmp(s, "\xe2\x80\x91", 3) == 0));
}

static int on_token(const tg_token *tok, void *ud)
{
    terms *t = ud;
    /* Offsets come from another module; a bad pair must not make us read
     * outside the query, so fall back to the term itself as raw text. */
    const char *r = tok->term;
    size_t rn = tok->len;
    int offsets = tok->start <= tok->end && tok->end <= t->srclen && tok->end > tok->start;
    if (offsets) {
        r = t->src + tok->start;
        rn = tok->end - tok->start;
    }
    int glued = offsets && t->n && tok->start >= t->prev_end &&
                is_hyphen(t->src + t->prev_end, tok->start - t->prev_end);
    if (terms_push(t, tok->term, tok->len, r, rn)) {
        t->st = TG_ERR_NOMEM;
        return 1;
    }
    if (glued)
        t->glued[t->n - 2] = 1;
    if (offsets)
        t->prev_end = tok->end;
    t->naddress += tok->in_address;
    return 0;
}

/* Moves the collected words into a new leaf: none -> *out = NULL (the
 * words vanished), one -> TERM, several -> PHRASE. */
static tg_status leaf_from_terms(terms *t, tg_qmod mod, tg_qfield field, tg_qnode **out)
{
    *out = NULL;
    if (t->n == 0)
        return TG_OK;
    tg_qnode *n = calloc(1, sizeof *n);
    if (!n)
        return TG_ERR_NOMEM;
    n->kind = t->n == 1 ? TG_Q_TERM : TG_Q_PHRASE;
    n->mod = mod;
    n->field = field;
    n->words = t->words;
    n->raw = t->raw;
    n->glued = t->glued;
    n->nwords = t->n;
    memset(t, 0, sizeof *t);
    *out = n;
    return TG_OK;
}

/* Does the text at s (inside the query) open a sentence? Looks back past
 * blanks, quotes and operators for the start or a . ? ! */
static int opens_sentence(const parser *p, const char *s)
{
    if (s < p->q || s > p->q + p->len)
        return 0;
    size_t i = (size_t)(s - p->q);
    while (i > 0) {
        unsigned char c = (unsigned char)p->q[i - 1];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '+' ||
            c == '-' || c == '(')
            i--;
        else
            return c == '.' || c == '?' || c == '!';
    }
    return 1;
}

/* Tokenizes s[0..n) and appends the resulting leaf, if any. */
static tg_status emit_text(parser *p, const char *s, size_t n, tg_qmod mod, tg_qfield field)
{
    terms t = { .src = s, .srclen = n };
    tg_status st = TG_OK;
    if (n)
        st = tg_tokenize(s, n, on_token, &t);
    if (st == TG_OK)
        st = t.st;
    /* An address typed (jdoe@cs.cmu.edu, cs.cmu.edu) is searched among
     * addresses, where the indexer put its words (TG_PFX_ADDRESS). */
    if (field == TG_QF_ANY && t.n && t.naddress == t.n)
        field = TG_QF_ADDRESS;
    tg_qnode *leaf = NULL;
    if (st == TG_OK)
        st = leaf_from_terms(&t, mod, field, &leaf);
    terms_free(&t);
    if (st == TG_OK && leaf) {
        leaf->sentence_start = opens_sentence(p, s);
        st = push_item(p, leaf);
    }
    return st;
}

/* id: values are looked up exactly as stored, so they bypass the
 * tokenizer; only surrounding blanks (from id:" x ") are trimmed. */
static tg_status emit_id(parser *p, const char *s, size_t n, tg_qmod mod)
{
    while (n && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
        n--;
    if (n == 0) {
        warn(p, "empty id: ignored", NULL, 0);
        return TG_OK;
    }
    terms t = { 0 };
    tg_status st = terms_push(&t, s, n, s, n) ? TG_ERR_NOMEM : TG_OK;
    tg_qnode *leaf = NULL;
    if (st == TG_OK)
        st = leaf_from_terms(&t, mod, TG_QF_ID, &leaf);
    terms_free(&t);
    if (st == TG_OK && leaf)
        st = push_item(p, leaf);
    return st;
}

/* ---- dates ------------------------------------------------------------- */

int tg_query_date_bound(const char *s, int hi, char out[9])
{
    return s ? tg_date_bound(s, strlen(s), hi, out) : -1;
}

/* Outcome of parse_date_filter. */
enum { DF_BAD = -1, DF_OK = 0, DF_SWAPPED = 1 };

/* Parses "A..B", "A..", "..B" or, for date:, a lone "A" into a DATE node.
 * Returns DF_BAD when s is not a valid date filter (*out = NULL), else
 * DF_OK or DF_SWAPPED with *out set, or NULL when out of memory. */
static int parse_date_filter(const char *s, size_t n, tg_qmod mod, tg_qnode **out)
{
    const char *a = s, *b = s;   /* the low and high ends */
    size_t an = n, bn = n;
    int rc = DF_OK;
    char lo[9] = "", hi[9] = "";
    *out = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            an = i;
            b = s + i + 2;
            bn = n - i - 2;
            break;
        }
    if (an == 0 && bn == 0)
        return DF_BAD;
    if ((an && tg_date_bound(a, an, 0, lo)) || (bn && tg_date_bound(b, bn, 1, hi)))
        return DF_BAD;
    if (lo[0] && hi[0] && strcmp(lo, hi) > 0) {
        /* Reversed ends are almost surely a typo for the same span, and an
         * empty range would silently match nothing: 2016..2015 is read as
         * 20150101..20161231, so each end is re-expanded in its new role. */
        if (tg_date_bound(b, bn, 0, lo) || tg_date_bound(a, an, 1, hi))
            return DF_BAD;
        rc = DF_SWAPPED;
    }
    tg_qnode *node = calloc(1, sizeof *node);
    if (node) {
        node->kind = TG_Q_DATE;
        node->mod = mod;
        node->field = TG_QF_ANY;
        memcpy(node->date_lo, lo, sizeof lo);
        memcpy(node->date_hi, hi, sizeof hi);
    }
    *out = node;
    return rc;
}

/* Turns s[0..n) into a DATE item if it is a date filter. Returns TG_OK
 * with *done = 1 when it was, *done = 0 (after a warning) when not. */
static tg_status emit_date(parser *p, const char *s, size_t n, tg_qmod mod, int *done)
{
    tg_qnode *d;
    int rc = parse_date_filter(s, n, mod, &d);
    *done = rc != DF_BAD;
    if (rc == DF_BAD) {
        warn(p, "invalid date read as words:", s, n);
        return TG_OK;
    }
    if (!d)
        return TG_ERR_NOMEM;
    if (rc == DF_SWAPPED)
        warn(p, "date range ends swapped:", s, n);
    return push_item(p, d);
}

/* A bare word that looks like a date range attempt: digits, '-' and '.'
 * only, with a "..". Such a word that fails to parse deserves a warning;
 * anything else is just a word. */
static int date_shaped(const char *s, size_t n)
{
    int dots = 0, digit = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = 1;
        else if (s[i] != '-' && s[i] != '.')
            return 0;
        if (i + 1 < n && s[i] == '.' && s[i + 1] == '.')
            dots = 1;
    }
    return dots && digit;
}

/* ---- clauses ----------------------------------------------------------- */

typedef enum fieldkind { FK_NONE, FK_UNKNOWN, FK_DATE, FK_FIELD } fieldkind;

/* Classifies the "name" of name:value. Only ASCII letters make a name, so
 * "10:30" and "9/11:x" stay words. */
static fieldkind classify_field(const char *s, size_t n, tg_qfield *f)
{
    static const struct { const char *name; tg_qfield f; } known[] = {
        { "title", TG_QF_TITLE }, { "author", TG_QF_AUTHOR }, { "tag", TG_QF_TAG },
        { "source", TG_QF_SOURCE }, { "id", TG_QF_ID },
    };
    if (n == 0)
        return FK_NONE;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return FK_NONE;
    }
    char low[8];
    if (n < sizeof low) {
        for (size_t i = 0; i < n; i++)
            low[i] = (char)(s[i] | 0x20);   /* ASCII letters only, checked above */
        low[n] = '\0';
        if (strcmp(low, "date") == 0)
            return FK_DATE;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strcmp(low, known[i].name) == 0) {
                *f = known[i].f;
                return FK_FIELD;
            }
    }
    return FK_UNKNOWN;
}

/* Finds the end of a quoted phrase whose opening quote is at p->pos, and
 * moves past it. The content is returned in *s and *n. */
static void take_quoted(parser *p, const char **s, size_t *n)
{
    size_t start = p->pos + 1, e = start;
    while (e < p->len && p->q[e] != '"')
        e++;
    *s = p->q + start;
    *n = e - start;
    if (e < p->len) {
        p->pos = e + 1;
    } else {
        warn(p, "unbalanced quote closed at the end", NULL, 0);
        p->pos = e;
    }
}

/* A word: the chunk s[0..n) with no whitespace or '"' in it; p->pos is
 * already just past it. */
static tg_status parse_word(parser *p, const char *s, size_t n, tg_qmod mod)
{
    const char *colon = memchr(s, ':', n);
    if (colon) {
        size_t namelen = (size_t)(colon - s);
        const char *v = colon + 1;
        size_t vn = n - namelen - 1;
        tg_qfield f = TG_QF_ANY;
        fieldkind fk = classify_field(s, namelen, &f);
        /* title:"a b": the word ended at the quote that opens the value */
        int quoted = fk != FK_NONE && vn == 0 && p->pos < p->len && p->q[p->pos] == '"';

        if (fk != FK_NONE && vn == 0 && !quoted) {
            /* "title:" followed by nothing: the user's intent is unknown,
             * the word itself is the best guess */
            if (fk != FK_UNKNOWN)
                warn(p, "empty field read as a word:", s, n);
            return emit_text(p, s, namelen, mod, TG_QF_ANY);
        }
        if (quoted)
            take_quoted(p, &v, &vn);

        if (fk == FK_FIELD && f == TG_QF_ID)
            return emit_id(p, v, vn, mod);
        if (fk == FK_FIELD)
            return emit_text(p, v, vn, mod, f);
        if (fk == FK_DATE) {
            int done;
            tg_status st = emit_date(p, v, vn, mod, &done);
            if (st || done)
                return st;
        }
        if (fk == FK_DATE || fk == FK_UNKNOWN) {
            /* not a field we know: the name and the value are two words,
             * each keeping the clause's modifier */
            tg_status st = emit_text(p, s, namelen, mod, TG_QF_ANY);
            return st ? st : emit_text(p, v, vn, mod, TG_QF_ANY);
        }
    }
    if (date_shaped(s, n)) {
        int done;
        tg_status st = emit_date(p, s, n, mod, &done);
        if (st || done)
            return st;
    }
    return emit_text(p, s, n, mod, TG_QF_ANY);
}

static tg_status lex(parser *p)
{
    int at_start = 1;   /* start of query or just after whitespace */
    while (p->pos < p->len) {
        size_t sp = space_len(p->q, p->pos, p->len);
        if (sp) {
            p->pos += sp;
            at_start = 1;
            continue;
        }
        int ops = at_start;
        at_start = 0;
        const char *c = p->q + p->pos;
        size_t left = p->len - p->pos;

        if (ops && left >= 2 && c[0] == 'O' && c[1] == 'R' &&
            (left == 2 || space_len(p->q, p->pos + 2, p->len))) {
            p->pos += 2;
            tg_status st = push_item(p, NULL);
            if (st)
                return st;
            continue;
        }

        tg_qmod mod = TG_QM_NONE;
        if (ops && (c[0] == '+' || c[0] == '-')) {
            mod = c[0] == '+' ? TG_QM_REQUIRE : TG_QM_EXCLUDE;
            /* "--x" and "+-x": the first sign states the intent */
            size_t k = 1;
            while (k < left && (c[k] == '+' || c[k] == '-'))
                k++;
            p->pos += k;
            if (p->pos == p->len || space_len(p->q, p->pos, p->len)) {
                warn(p, "operator with nothing after it ignored:", c, k);
                continue;
            }
            c = p->q + p->pos;
        }

        tg_status st;
        if (*c == '"') {
            const char *s;
            size_t n;
            take_quoted(p, &s, &n);
            st = emit_text(p, s, n, mod, TG_QF_ANY);
        } else {
            size_t e = p->pos;
            while (e < p->len && p->q[e] != '"' && !space_len(p->q, e, p->len))
                e++;
            size_t s = p->pos;
            p->pos = e;
            st = parse_word(p, p->q + s, e - s, mod);
        }
        if (st)
            return st;
    }
    return TG_OK;
}

/* Folds "x OR y OR z" into one OR node per chain and moves the clauses into
 * t. Items are consumed: on failure the remaining ones are still owned by
 * the parser, the moved ones by t.
 *
 * A required or excluded clause is never an operand of OR: "-iraq" means
 * "no article with iraq", and in "hezbollah OR -iraq" read as an
 * alternative it would either be a second positive word (the builder
 * ORs its operands) or let in every article without iraq. It stands
 * alone, for the whole query, and the OR joins the clauses around it:
 * "a OR -b OR c" is OR(a c) -b. */
static tg_status combine(parser *p, tg_qtree *t)
{
    int pending_or = 0;  /* an OR waits for its right operand */
    int carried = 0;     /* ... past a required or excluded clause */
    long left_at = -1;   /* t->nodes index of the clause OR would take */
    for (size_t i = 0; i < p->nitems; i++) {
        tg_qnode *node = p->items[i].node;
        if (!node) {
            if (t->n == 0)
                warn(p, "OR at the start ignored", NULL, 0);
            else if (pending_or)
                warn(p, "repeated OR ignored", NULL, 0);
            pending_or = t->n > 0;
            carried = 0;
            continue;
        }
        p->items[i].node = NULL;
        int modded = node->mod != TG_QM_NONE;
        if ((pending_or || carried) && modded) {
            if (pending_or)
                warn(p, node->mod == TG_QM_EXCLUDE
                            ? "OR next to an excluded word ignored: a '-' word is left out of every result"
                            : "OR next to a required word ignored: a '+' word is in every result",
                     NULL, 0);
            pending_or = 0;
            carried = left_at >= 0;
            t->nodes[t->n++] = node;
            continue;
        }
        if (pending_or || carried) {
            pending_or = carried = 0;
            tg_qnode *left = left_at >= 0 ? t->nodes[left_at] : NULL;
            /* A date is a filter, not something to rank by: "iran OR
             * 2015..2016" has no sensible meaning, and keeping DATE nodes
             * at the top level lets the query builder apply every one of
             * them as a filter. */
            if (!left || node->kind == TG_Q_DATE || left->kind == TG_Q_DATE) {
                if (left || node->kind == TG_Q_DATE)
                    warn(p, "OR next to a date filter ignored", NULL, 0);
                else
                    warn(p, "OR next to a required or excluded word ignored", NULL, 0);
                left_at = (long)t->n;
                t->nodes[t->n++] = node;
                continue;
            }
            /* the lexer never makes OR nodes, so an OR here is a chain
             * this loop started: extend it rather than nest */
            if (left->kind != TG_Q_OR) {
                tg_qnode *o = calloc(1, sizeof *o);
                if (!o) {
                    node_free(node);
                    return TG_ERR_NOMEM;
                }
                o->kind = TG_Q_OR;
                o->kids = malloc(2 * sizeof *o->kids);
                if (!o->kids) {
                    free(o);
                    node_free(node);
                    return TG_ERR_NOMEM;
                }
                o->kids[0] = left;
                o->nkids = 1;
                t->nodes[left_at] = left = o;
            } else if ((left->nkids & (left->nkids - 1)) == 0) {
                /* the node has no capacity field, so capacity is implied:
                 * kids are allocated in powers of two, grown when full */
                tg_qnode **k = realloc(left->kids, left->nkids * 2 * sizeof *k);
                if (!k) {
                    node_free(node);
                    return TG_ERR_NOMEM;
                }
                left->kids = k;
            }
            left->kids[left->nkids++] = node;
            continue;
        }
        /* t->nodes was sized for every item up front: no realloc here */
        left_at = modded ? -1 : (long)t->n;
        t->nodes[t->n++] = node;
        carried = 0;
    }
    if (pending_or)
        warn(p, "OR at the end ignored", NULL, 0);
    return TG_OK;
}

static void copy_warnings(const tg_buf *w, char *errbuf, size_t errlen)
{
    if (!errbuf || errlen == 0)
        return;
    size_t n = w->len < errlen - 1 ? w->len : errlen - 1;
    /* never cut a UTF-8 sequence in half: callers print errbuf */
    if (n < w->len)
        while (n > 0 && ((unsigned char)w->data[n] & 0xC0) == 0x80)
            n--;
    if (n)
        memcpy(errbuf, w->data, n);
    errbuf[n] = '\0';
}

tg_status tg_query_parse(const char *q, tg_qtree **out, char *errbuf, size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!out)
        return TG_ERR_ARG;
    *out = NULL;
    if (!q)
        return TG_ERR_ARG;

    parser p = { .q = q, .len = strlen(q) };
    tg_qtree *t = calloc(1, sizeof *t);
    tg_status st = t ? lex(&p) : TG_ERR_NOMEM;
    if (st == TG_OK && p.nitems) {
        t->nodes = malloc(p.nitems * sizeof *t->nodes);
        if (!t->nodes)
            st = TG_ERR_NOMEM;
    }
    if (st == TG_OK)
        st = combine(&p, t);
    for (size_t i = 0; i < p.nitems; i++)
        node_free(p.items[i].node);
    free(p.items);
    if (st == TG_OK) {
        copy_warnings(&p.warn, errbuf, errlen);
        *out = t;
    } else {
        tg_qtree_free(t);
    }
    tg_buf_free(&p.warn);
    return st;
}

/* ---- describe ---------------------------------------------------------- */

/*
 * Format of tg_qtree_describe (stable: tests compare it byte for byte):
 *   clauses in query order, separated by one space; each clause is
 *     [+|-][field:]BODY
 *   field is title: author: tag: source: id: address: (nothing for TG_QF_ANY)
 *   BODY of a TERM is its word; of a PHRASE its words in double quotes,
 *   separated by one space: "camp liberty"
 *   an OR is OR(kid kid ...), each kid described the same way
 *   a DATE is date:LO..HI with LO/HI the 8-digit bounds, an open end
 *   empty: date:20150101..20161231, date:20150101.., date:..20161231
 * Words are printed as stored, without escaping (an id: from id:"a b" holds
 * a blank): the string is for reading and comparing, not for re-parsing.
 * Example: +title:"camp liberty" OR(kh hezbollah) -iran date:20150101..20161231
 */
static tg_status describe_node(tg_buf *b, const tg_qnode *n)
{
    static const char *const fields[] = { "", "title:", "author:", "tag:", "source:", "id:",
                                          "address:" };
    tg_status st = TG_OK;
    /* keeps the first failure and skips the rest: tg_buf leaves the
     * buffer valid after one, so the only thing to do is report it */
#define PUT(call) do { if (st == TG_OK) st = (call); } while (0)
    if (n->mod == TG_QM_REQUIRE)
        PUT(tg_buf_putc(b, '+'));
    else if (n->mod == TG_QM_EXCLUDE)
        PUT(tg_buf_putc(b, '-'));
    switch (n->kind) {
    case TG_Q_TERM:
    case TG_Q_PHRASE:
        if ((size_t)n->field < sizeof fields / sizeof fields[0])
            PUT(tg_buf_puts(b, fields[n->field]));
        if (n->kind == TG_Q_PHRASE)
            PUT(tg_buf_putc(b, '"'));
        for (size_t i = 0; i < n->nwords; i++) {
            if (i)
                PUT(tg_buf_putc(b, ' '));
            PUT(tg_buf_puts(b, n->words[i]));
        }
        if (n->kind == TG_Q_PHRASE)
            PUT(tg_buf_putc(b, '"'));
        break;
    case TG_Q_OR:
        PUT(tg_buf_puts(b, "OR("));
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                PUT(tg_buf_putc(b, ' '));
            PUT(describe_node(b, n->kids[i]));
        }
        PUT(tg_buf_putc(b, ')'));
        break;
    case TG_Q_DATE:
        PUT(tg_buf_printf(b, "date:%s..%s", n->date_lo, n->date_hi));
        break;
    }
#undef PUT
    return st;
}

char *tg_qtree_describe(const tg_qtree *t)
{
    tg_buf b = { 0 };
    /* an empty append, not tg_buf_reserve: only appends write the NUL,
     * and an empty tree must still describe as "" */
    tg_status st = tg_buf_append(&b, "", 0);
    for (size_t i = 0; st == TG_OK && t && i < t->n; i++) {
        if (i)
            st = tg_buf_putc(&b, ' ');
        if (st == TG_OK)
            st = describe_node(&b, t->nodes[i]);
    }
    if (st) {
        tg_buf_free(&b);
        return NULL;
    }
    return tg_buf_steal(&b);
}
