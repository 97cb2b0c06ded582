/*
 * qbuild.c - from a parsed query (tg_qtree) to a Xapian query.
 *
 * Words. A word the archive knows as a name (lib/lexicon.c) is matched by
 * its indexed forms ("moslem", "moslems") and by the forms of its
 * spelling variants ("muslim", "muslims"), all unstemmed, so a name never
 * matches through a stem it shares with another name ("Hamas" and "Hama"
 * both stem to "hama"). Other words follow the "stem some" rule: typed in
 * lower case they match through their stem (Z<stem>); typed with a
 * capital they are matched exactly, unless the capital only opens a
 * sentence of a longer query or the index never saw the word exactly. An
 * all-capitals query is shouting, not names. Quoted phrases match the
 * words in order (each word by its forms and variants).
 *
 * Names. Consecutive words that form a multi-word name of the archive
 * ("camp liberty") also match as a phrase, which adds weight to articles
 * that have the name. A word or run of words that is an alias ("KH" for
 * "Kataib Hezbollah", defined in the archive) also matches the other form.
 *
 * Long queries. From five words on a query is a description: its
 * stopwords go, and its words are weighed against each other by what the
 * archive says of them (tg_qweights): rarer words and words the archive
 * repeats where it uses them (topic words: "filter" in an article about
 * filters) count more than common words used once in passing ("use",
 * "given", "methods"), the key concepts of a verbose query.
 *
 * Clauses combine as: (+required AND ...) AND_MAYBE (plain OR ... OR
 * name phrases OR aliases), AND_NOT (excluded OR ...), FILTER (dates).
 */
#include "search_int.h"
#include "dbcheck_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "tg_buf.h"
#include "tg_lexicon.h"
#include "tg_record.h"
#include "tg_schema.h"
#include "tg_spelling.h"

/* Walks of the vocabulary for a word's forms stop after this many terms:
 * it bounds the cost of a short word in a big vocabulary. */
#define FORM_SCAN_MAX 400
#define FORMS_MAX 48
/* Up to this many words a query is typed, not written: every capital in
 * it is taken to mark a name. */
#define SHORT_QUERY_WORDS 4
#define ALIAS_SPAN_MAX 6
/* A known multi-word name matches as a phrase (weight 1), near (its words
 * within a few of each other) and, much less, as loose words. */
#define NAME_NEAR_WEIGHT 0.5
/* The typed word's own forms beside its spellings (own_forms_first):
 * enough to keep its articles ahead of those with only a spelling, even
 * a long article that has it once against a short one that repeats a
 * spelling (measured on the development sets: 8 left François's two
 * longest articles behind francs; 20 none). */
#define OWN_FORMS_WEIGHT 20.0
#define NAME_LOOSE_WEIGHT 0.3
/* A word in more than one article in this many (and in more than
 * SPELLING_COMMON_MIN) is common: it is the spelling people use, and
 * widening it by sound would cost every query that has it (contexts read
 * from the index) for nothing. */
#define SPELLING_COMMON_SHARE 200
#define SPELLING_COMMON_MIN 50
/* In an archive without names, words of a short query typed together with
 * capitals are a name when it writes them together in this many articles
 * (the capitals are the user's word that they name something: "FAST
 * TRANSISTOR" or "fast transistor" is no name; and a longer query is a
 * description). */
#define CASELESS_NAME_MIN 2

/* ---- small string lists --------------------------------------------------- */

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

static int strlist_has(const strlist *l, const char *s, size_t n)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i]) == n && memcmp(l->v[i], s, n) == 0)
            return 1;
    return 0;
}

/* Appends a copy, present or not. Returns 0, or -1 on no memory. */
static int strlist_add_dup(strlist *l, const char *s, size_t n)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strndup(s, n)))
        return -1;
    l->n++;
    return 0;
}

/* Appends a copy unless present. Returns 0, or -1 on no memory. */
static int strlist_add(strlist *l, const char *s, size_t n)
{
    return strlist_has(l, s, n) ? 0 : strlist_add_dup(l, s, n);
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- context ----------------------------------------------------------------- */

typedef struct qctx {
    xc_rdb *rdb;
    tg_stemmer *stemmer;
    int shouting;          /* the whole query is in capitals */
    size_t nwords;         /* words in the query */
    uint32_t doccount;
    int entities;
    int forms_table;       /* XF<stem> entries hold every stem's forms */
    int drop_stopwords;    /* a long query in English: grammar words go */
    int literal;           /* words the archive lacks stay as typed */
    int caseless;          /* the archive taught no names (all capitals or
                              all lower case): words typed together that
                              it writes together are taken as a name */
    tg_plan *plan;
    tg_status st;
    uint64_t failures0;    /* xc_rdb_failures of rdb when the plan began */
    tg_spell_memo *memo;   /* the searcher's shared contexts, or NULL */
    int title_forms;       /* title words have no ZS stem terms: their
                              stems go through the forms table */
    unsigned family;       /* letters a stem of a word's family may add or
                              drop (tg_qweights.family; 0: none) */
    double family_own;     /* tg_qweights.family_own */
} qctx;

static void oom(qctx *c) { c->st = TG_ERR_NOMEM; }

/* A status of the database or of a module reading it into c->st (the
 * first failure stays). */
static void db_status(qctx *c, tg_status st)
{
    if (st && !c->st)
        c->st = st;
}

/* Whether the plan has failed, a call on the database included: one that
 * failed has answered 0 or nothing (a word's frequency, its forms), and a
 * plan built on that would search for something else without saying so. */
static int plan_failed(qctx *c)
{
    db_status(c, tg_db_check(c->rdb, c->failures0));
    return c->st != TG_OK;
}

/* Makes room for element n of *v (n elements held, elsize bytes each).
 * The plan's arrays keep no capacity, so it is implied: a power of two,
 * doubled when full, which keeps a query of thousands of words linear
 * (growing by one element copied the array each time: `title:` 10,000
 * times took 3.4 s under ASan). Returns the array to use (v itself while
 * there is room), or NULL on no memory (v is then still valid). */
static void *grow(void *v, size_t n, size_t elsize)
{
    if (n & (n - 1))
        return v;           /* not a power of two (nor 0): room left */
    return realloc(v, (n ? n * 2 : 1) * elsize);
}

static int starts_upper(const char *raw)
{
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)raw, -1, &cp) <= 0)
        return 0;
    return utf8proc_isupper(cp);
}

static int has_digit(const char *s)
{
    for (; *s; s++)
        if (isdigit((unsigned char)*s))
            return 1;
    return 0;
}

static int alphabetic(const char *s)
{
    for (; *s; s++)
        if (*s < 'a' || *s > 'z')
            return 0;
    return 1;
}

/* Letters a-z or others (bytes of UTF-8 sequences: Wałęsa), no digits or
 * signs. */
static int letters(const char *s)
{
    for (; *s; s++)
        if ((*s < 'a' || *s > 'z') && !((unsigned char)*s & 0x80))
            return 0;
    return 1;
}

static const char *field_prefix(tg_qfield f)
{
    switch (f) {
    case TG_QF_TITLE: return TG_PFX_TITLE;
    case TG_QF_AUTHOR: return TG_PFX_AUTHOR;
    case TG_QF_TAG: return TG_PFX_TAG;
    case TG_QF_SOURCE: return TG_PFX_SOURCE;
    case TG_QF_ID: return TG_PFX_ID;
    case TG_QF_ADDRESS: return TG_PFX_ADDRESS;
    default: return "";
    }
}

static char *join3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb);
        memcpy(s + la + lb, c, lc + 1);
    }
    return s;
}

static double idf_of(const qctx *c, uint32_t tf)
{
    double n = c->doccount ? c->doccount : 1;
    double v = log((n - tf + 0.5) / (tf + 0.5));
    return v < 0.1 ? 0.1 : v;
}

static int add_note(qctx *c, const char *text)
{
    tg_plan *p = c->plan;
    for (size_t i = 0; i < p->nnotes; i++)
        if (strcmp(p->notes[i], text) == 0)
            return (int)i;
    char **v = grow(p->notes, p->nnotes, sizeof *v);
    if (v)
        p->notes = v;
    if (!v || !(v[p->nnotes] = strdup(text))) {
        oom(c);
        return -1;
    }
    return (int)p->nnotes++;
}

/* "kataib hezbollah" -> "Kataib Hezbollah"; an acronym -> "KH". */
static void display_form(const char *form, int acronym, tg_buf *out)
{
    static const char *const small[] = { "al", "e", "el", "of", "the", "for", "and", "in",
                                         "bin", "ibn", "de", "on", "to", NULL };
    int start = 1;
    for (const char *p = form; *p; p++) {
        char ch = *p;
        if (start && !acronym) {
            size_t n = strcspn(p, " ");
            int keep = 0;
            for (size_t i = 0; small[i]; i++)
                keep |= strlen(small[i]) == n && strncmp(small[i], p, n) == 0 && p != form;
            if (!keep && ch >= 'a' && ch <= 'z')
                ch = (char)toupper((unsigned char)ch);
        } else if (acronym) {
            ch = (char)toupper((unsigned char)ch);
        }
        tg_buf_putc(out, ch);
        start = ch == ' ';
    }
}

/* ---- the forms of a word ---------------------------------------------------- */

static void table_stem_forms(qctx *c, const char *stem, size_t sl, const char *begins,
                             strlist *out);

typedef struct form_scan {
    qctx *c;
    char *stem;
    strlist *out;
    unsigned scanned;
} form_scan;

static int on_form(const char *term, size_t len, uint32_t tf, void *ud)
{
    form_scan *fs = ud;
    (void)tf;
    if (++fs->scanned > FORM_SCAN_MAX || fs->out->n >= FORMS_MAX)
        return 1;
    size_t sl;
    const char *stem = tg_stem(fs->c->stemmer, term, len, &sl);
    if (stem && sl == strlen(fs->stem) && memcmp(stem, fs->stem, sl) == 0 &&
        strlist_add(fs->out, term, len)) {
        oom(fs->c);
        return 1;
    }
    return 0;
}

/* Adds the indexed forms of word: itself and its inflections (terms that
 * begin with it and share its stem: "moslem" -> "moslems", but "hamas"
 * never -> "hama"). */
static void add_forms(qctx *c, const char *word, strlist *out)
{
    size_t sl;
    const char *stem = tg_stem(c->stemmer, word, strlen(word), &sl);
    if (!stem) {
        oom(c);
        return;
    }
    form_scan fs = { c, strndup(stem, sl), out, 0 };
    if (!fs.stem) {
        oom(c);
        return;
    }
    if (xc_rdb_termfreq(c->rdb, word) && strlist_add(out, word, strlen(word)))
        oom(c);
    else if (c->forms_table)
        table_stem_forms(c, fs.stem, sl, word, out);
    else
        db_status(c, tg_status_of_xc(xc_rdb_allterms(c->rdb, word, on_form, &fs)));
    free(fs.stem);
}

/* Forms of every word sharing a stem (for the stem path's passage scoring):
 * Snowball stems are prefixes of their words but for a changed last
 * letter ("happi" <- "happy"), so scan from the stem less one letter. */
typedef struct table_forms {
    qctx *c;
    strlist *out;
    const char *begins;    /* only forms beginning with this, or NULL */
} table_forms;

static int on_table_form(const char *term, size_t len, uint32_t tf, void *ud)
{
    table_forms *t = ud;
    (void)tf;
    if (t->out->n >= FORMS_MAX)
        return 1;
    if (t->begins && strncmp(term, t->begins, strlen(t->begins)) != 0)
        return 0;
    if (strlist_add(t->out, term, len)) {
        oom(t->c);
        return 1;
    }
    return 0;
}

/* The forms of stem from the XF table; begins as in table_forms. */
static void table_stem_forms(qctx *c, const char *stem, size_t sl, const char *begins, strlist *out)
{
    char *key = malloc(strlen(TG_SYN_FORM) + sl + 1);
    if (!key) {
        oom(c);
        return;
    }
    memcpy(key, TG_SYN_FORM, strlen(TG_SYN_FORM));
    memcpy(key + strlen(TG_SYN_FORM), stem, sl);
    key[strlen(TG_SYN_FORM) + sl] = '\0';
    table_forms t = { c, out, begins };
    db_status(c, tg_status_of_xc(xc_rdb_synonyms(c->rdb, key, on_table_form, &t)));
    free(key);
}

static void add_stem_forms(qctx *c, const char *stem, strlist *out)
{
    size_t sl = strlen(stem);
    if (c->forms_table) {
        table_stem_forms(c, stem, sl, NULL, out);
        return;
    }
    char *prefix = strndup(stem, sl > 1 ? sl - 1 : sl);
    if (!prefix) {
        oom(c);
        return;
    }
    form_scan fs = { c, strdup(stem), out, 0 };
    if (fs.stem)
        db_status(c, tg_status_of_xc(xc_rdb_allterms(c->rdb, prefix, on_form, &fs)));
    else
        oom(c);
    free(fs.stem);
    free(prefix);
}

/* ---- groups --------------------------------------------------------------------- */

static tg_group *new_group(qctx *c)
{
    tg_plan *p = c->plan;
    tg_group *g = grow(p->groups, p->ngroups, sizeof *g);
    if (!g) {
        oom(c);
        return NULL;
    }
    p->groups = g;
    g = &p->groups[p->ngroups++];
    memset(g, 0, sizeof *g);
    g->nalts = 1;
    g->alt_weight[0] = 1.0;
    return g;
}

static void group_term(qctx *c, tg_group *g, const char *term, unsigned alt, int note)
{
    for (size_t i = 0; i < g->nterms; i++)
        if (strcmp(g->terms[i].term, term) == 0)
            return;
    tg_gterm *v = grow(g->terms, g->nterms, sizeof *v);
    if (!v) {
        oom(c);
        return;
    }
    g->terms = v;
    if (!(v[g->nterms].term = strdup(term))) {
        oom(c);
        return;
    }
    v[g->nterms].alt = alt;
    v[g->nterms].note = note;
    g->nterms++;
}

typedef struct qlist {
    xc_query **q;
    size_t n, cap;
} qlist;

static void qlist_push(qctx *c, qlist *l, xc_query *q)
{
    if (!q)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        xc_query **v = realloc(l->q, cap * sizeof *v);
        if (!v) {
            xc_query_free(q);
            oom(c);
            return;
        }
        l->q = v;
        l->cap = cap;
    }
    l->q[l->n++] = q;
}

/* a OR b, where either may be NULL (then the other); takes both. */
static xc_query *either(qctx *c, xc_query *a, xc_query *b)
{
    if (!a || !b)
        return a ? a : b;
    xc_query *v[2] = { a, b };
    xc_query *q = xc_query_combine(XC_OP_OR, v, 2, 0);
    xc_query_free(a);
    xc_query_free(b);
    if (!q)
        oom(c);
    return q;
}

static void qlist_free(qlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        xc_query_free(l->q[i]);
    free(l->q);
    memset(l, 0, sizeof *l);
}

/* ---- one word --------------------------------------------------------------------- */

/* How a word is matched: by a list of unstemmed forms (names, phrases),
 * by one stem term, or by one exact term. */
typedef struct resolved {
    const char *word;    /* the word as normalised from the query */
    char *prefer;        /* the form ranked first when not word: for a word
                            the archive lacks, its likeliest spelling */
    strlist forms;       /* unstemmed forms, field prefix not applied */
    size_t nown;         /* forms[0..nown): the typed word's own (when the
                            archive has it and it has spellings beside) */
    strlist own_more;    /* forms counted as its own too: the word with its
                            umlauts written out (Mueller for Müller) */
    strlist stem_own;    /* a word typed alone that the archive lacks: the
                            forms sharing its stem, which plain BM25 finds */
    int *form_note;      /* per form: note index or -1 */
    char *term;          /* stem or exact term with prefix, when no forms */
    char *stem;          /* the stem used for `term`, NULL for exact */
    strlist family;      /* the other stem of the archive in the stem's
                            word family (add_family; none or one), no
                            prefixes */
    uint32_t tf;
} resolved;

static void resolved_free(resolved *r)
{
    free(r->prefer);
    strlist_free(&r->forms);
    strlist_free(&r->own_more);
    strlist_free(&r->stem_own);
    free(r->form_note);
    free(r->term);
    free(r->stem);
    strlist_free(&r->family);
    memset(r, 0, sizeof *r);
}

typedef struct variant_ctx {
    qctx *c;
    strlist *variants;
} variant_ctx;

static int on_variant(const char *s, void *ud)
{
    variant_ctx *v = ud;
    if (strlist_add(v->variants, s, strlen(s)))
        oom(v->c);
    return v->c->st != TG_OK;
}

static int is_stopword(const char *w);

/* How many times more often than all its variants together a word must
 * occur to be taken for a common word rather than a spelling of a name. */
#define COMMON_WORD_RATIO 20

static int common_word(const qctx *c, uint32_t df)
{
    return df > SPELLING_COMMON_MIN && (uint64_t)df * SPELLING_COMMON_SHARE > c->doccount;
}

/* Records that word (typed as raw), which the archive never has, was
 * searched as spelling. */
static void note_used(qctx *c, const char *raw, const char *spelling)
{
    tg_fix *v = grow(c->plan->used, c->plan->nused, sizeof *v);
    if (!v) {
        oom(c);
        return;
    }
    c->plan->used = v;
    v[c->plan->nused].raw = strdup(raw);
    v[c->plan->nused].fix = strdup(spelling);
    if (!v[c->plan->nused].raw || !v[c->plan->nused].fix) {
        free(v[c->plan->nused].raw);
        free(v[c->plan->nused].fix);
        oom(c);
        return;
    }
    c->plan->nused++;
}

/* Is word an ordinary word of the language? The archive shows it by the
 * inflections of a verb or an adjective, which names lack (Moslems,
 * Quranic): the word itself takes an ending (bound: bounded, bounding;
 * treasure: treasured), or it is an inflection itself and its stem has
 * both verb endings (leaking: leaked, leaking; printing: printed), so that
 * a name ending in -ing (Beijing) is not taken for a verb. */
static int inflected_word(qctx *c, const char *word, int ly)
{
    size_t sl, wl = strlen(word);
    const char *stem = tg_stem(c->stemmer, word, wl, &sl);
    if (!stem || !c->forms_table)
        return 0;
    strlist forms = { 0 };
    table_stem_forms(c, stem, sl, NULL, &forms);
    int inflected = 0, ed = 0, ing = 0;
    for (size_t i = 0; i < forms.n && !inflected; i++) {
        const char *f = forms.v[i];
        size_t fl = strlen(f);
        if (fl > wl && strncmp(f, word, wl) == 0) {
            const char *rest = f + wl;
            inflected = !strcmp(rest, "d") || !strcmp(rest, "ed") || !strcmp(rest, "ing") ||
                        (ly && !strcmp(rest, "ly"));
        }
        ed |= fl > 4 && !strcmp(f + fl - 2, "ed");
        ing |= fl > 5 && !strcmp(f + fl - 3, "ing");
    }
    strlist_free(&forms);
    return inflected || (ed && ing);
}

static int ordinary_word(qctx *c, const char *word)
{
    return inflected_word(c, word, 1);
}

/* Whether other is another word of the language than word: one the
 * archive inflects, and not word spelt the other English way (colour,
 * color). Neither a spelling of an attested word nor a name's learnt
 * variant may be one (leaking is not lacking, parenting not Printing). */
static int another_word(qctx *c, const char *word, const char *other)
{
    return ordinary_word(c, other) &&
           tg_spelling_distance(word, other, TG_SPELL_ORDINARY, 0) != 0;
}

/* Whether a and b are one word inflected: one stem, and one of them
 * the other with an ending (counters, counter; not Khojali, Khojaly,
 * whose final y the stemmer reads as i). */
static int same_stem(qctx *c, const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (strncmp(a, b, na < nb ? na : nb) != 0)
        return 0;
    size_t la, lb;
    const char *sa = tg_stem(c->stemmer, a, strlen(a), &la);
    char *ka = sa ? strndup(sa, la) : NULL;
    const char *sb = ka ? tg_stem(c->stemmer, b, strlen(b), &lb) : NULL;
    int same = sb && la == lb && memcmp(ka, sb, la) == 0;
    free(ka);
    return same;
}

/* ordinary_word(c, word), remembered in *memo (-1: not read yet). */
static int ordinary_once(qctx *c, const char *word, int *memo)
{
    if (*memo < 0)
        *memo = ordinary_word(c, word);
    return *memo;
}

/* Adds spelling to variants with its note in evidence, the variants
 * before it that have none given "" (evidence runs parallel). */
static void add_noted_variant(qctx *c, strlist *variants, strlist *evidence,
                              const char *spelling, const tg_buf *note)
{
    while (evidence->n < variants->n && !c->st)
        if (strlist_add_dup(evidence, "", 0))
            oom(c);
    if (!note->data || strlist_add(variants, spelling, strlen(spelling)) ||
        strlist_add_dup(evidence, note->data, note->len))
        oom(c);
}

/* Whether form is word or its plural (s, es). */
static int word_or_plural(const char *form, const char *word)
{
    size_t n = strlen(word);
    return strncmp(form, word, n) == 0 &&
           (!form[n] || !strcmp(form + n, "s") || !strcmp(form + n, "es"));
}

/* German writes ä, ö and ü as ae, oe and ue where the letters are
 * missing (Müller, Mueller; München, Muenchen; Schröder, Schroeder), the
 * Nordic languages å as aa and ø as oe (Århus, Aarhus; Tromsø, Tromsoe),
 * æ is ae and ß ss (Straße, Strasse): raw, a word typed with them and
 * otherwise in letters a-z, with them so written and in lower case into
 * out; 0 if raw has none or other letters. Folding the marks away
 * (Muller, Arhus) finds the other spelling only. */
#define SPELT_OUT_SHARE 4
static int umlauts_spelt_out(const char *raw, char *out, size_t outsz)
{
    static const struct { const char *utf8, *ascii; } pairs[] = {
        { "\xc3\xa4", "ae" }, { "\xc3\xb6", "oe" }, { "\xc3\xbc", "ue" },
        { "\xc3\x84", "ae" }, { "\xc3\x96", "oe" }, { "\xc3\x9c", "ue" },
        { "\xc3\xa5", "aa" }, { "\xc3\x85", "aa" }, { "\xc3\xb8", "oe" },
        { "\xc3\x98", "oe" }, { "\xc3\xa6", "ae" }, { "\xc3\x86", "ae" },
        { "\xc3\x9f", "ss" },
    };
    size_t n = 0;
    int any = 0;
    for (const char *p = raw; *p;) {
        const char *add = NULL;
        char one[2] = { 0, 0 };
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
            one[0] = (char)(*p | 0x20);
            add = one;
            p++;
        } else {
            for (size_t i = 0; i < sizeof pairs / sizeof *pairs && !add; i++)
                if (strncmp(p, pairs[i].utf8, 2) == 0)
                    add = pairs[i].ascii, any = 1, p += 2;
        }
        if (!add || n + strlen(add) + 1 > outsz)
            return 0;
        memcpy(out + n, add, strlen(add));
        n += strlen(add);
    }
    out[n] = '\0';
    return any;
}

/* An archive without case (tg_lexicon_caseless) of under this many
 * articles learns no names from capitals and has too few articles of any
 * name for contexts to tell its spellings: there a name's variants are
 * taken on their spelling (TG_SPELL_CASELESS). A larger one has the
 * contexts, and there the rarer look-alikes a name's free vowels allow
 * are as often other words (Tripoli, tripple: 0.07). */
#define CASELESS_SMALL_DOCS 5000

static int caseless_small(const qctx *c)
{
    return c->caseless && c->doccount < CASELESS_SMALL_DOCS ? TG_SPELL_CASELESS : 0;
}

/* A candidate spelling that the archive inflects as a verb (edit:
 * edited, editing) is a word of the language; -ly alone does not say so
 * of a name (Easter, easterly). */
static int is_ordinary(const char *word, void *ud)
{
    return inflected_word(ud, word, 0);
}

/* The archive's spellings of word (tg_spellings_find; *sp and *n for
 * tg_spellings_free), ordinary: word is one of the language. Returns 0,
 * or -1 with the failure on c. */
static int find_spellings(qctx *c, const char *word, int ordinary, tg_spelling **sp, size_t *n)
{
    int flags = (ordinary ? TG_SPELL_ORDINARY : 0) | caseless_small(c);
    tg_status st = tg_spellings_find_words(c->rdb, word, flags, is_ordinary, c, sp, n, c->memo);
    if (st) {
        db_status(c, st);
        return -1;
    }
    /* A word is known to be of the language when the archive inflects it,
     * and a small archive seldom shows the inflections of a rarer spelling
     * (catalogue, litre: 1 article of 500, uninflected). Its other English
     * spelling (catalog, liter) is the same word whatever it is: taken
     * too, and only it (distance 0 once the endings are made one). */
    if (!ordinary && tg_spelling_english_ending(word)) {
        tg_spelling *more = NULL;
        size_t nmore = 0;
        st = tg_spellings_find(c->rdb, word, flags | TG_SPELL_ORDINARY, &more, &nmore, c->memo);
        if (st)
            db_status(c, st);
        for (size_t i = 0; i < nmore && !c->st; i++) {
            int have = more[i].distance != 0;
            for (size_t k = 0; k < *n && !have; k++)
                have = strcmp((*sp)[k].word, more[i].word) == 0;
            if (have)
                continue;
            tg_spelling *v = realloc(*sp, (*n + 1) * sizeof *v);
            if (!v) {
                oom(c);
                break;
            }
            *sp = v;
            v[(*n)++] = more[i];
            more[i].word = NULL;    /* moved */
        }
        tg_spellings_free(more, nmore);
    }
    if (c->st) {
        tg_spellings_free(*sp, *n);
        *sp = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* A word no article has is searched as the archive's likeliest spelling,
 * which then widens as it would typed: to its own other spellings that
 * share its contexts (Mozambike: Mozambique, and Mocambique beside it).
 * A mixed-case archive learns them from capitals; this finds them in any. */
static void widen_spelling(qctx *c, const char *word, const char *raw, const char *likeliest,
                           uint32_t df, strlist *variants, strlist *evidence)
{
    if (common_word(c, df))
        return;
    tg_spelling *sp = NULL;
    size_t n = 0;
    if (find_spellings(c, likeliest, ordinary_word(c, likeliest), &sp, &n))
        return;
    for (size_t i = 0; i < n && !c->st; i++) {
        /* Nor the likeliest with an ending: a word made from it
         * (Azerbaijani), not another spelling of it. */
        size_t ll = strlen(likeliest);
        if (strcmp(sp[i].word, word) == 0 || strlist_has(variants, sp[i].word, strlen(sp[i].word)) ||
            strncmp(sp[i].word, likeliest, ll) == 0 || another_word(c, likeliest, sp[i].word) ||
            same_stem(c, likeliest, sp[i].word))
            continue;
        /* "Mozambike ~ Mocambique (3 articles, a spelling of Mozambique,
         * shared contexts 0.31)" */
        tg_buf note = { 0 };
        tg_buf_printf(&note, "%s ~ ", raw);
        display_form(sp[i].word, 0, &note);
        tg_buf_printf(&note, " (%u article%s, a spelling of ", sp[i].df, sp[i].df == 1 ? "" : "s");
        display_form(likeliest, 0, &note);
        if (sp[i].context >= 0)
            tg_buf_printf(&note, ", shared contexts %.2f", sp[i].context);
        tg_buf_puts(&note, ")");
        add_noted_variant(c, variants, evidence, sp[i].word, &note);
        tg_buf_free(&note);
    }
    tg_spellings_free(sp, n);
}

/* The archive's other spellings of word (tg_spelling.h) into variants.
 * Long queries are descriptions, whose words stand as typed: a word the
 * archive lacks there is one of many (measured: spellings for them cost
 * CACM 0.008 MAP). */
static void add_spellings(qctx *c, const char *word, const char *raw, uint32_t own,
                          int *inflected, strlist *variants, strlist *evidence, resolved *r)
{
    if (is_stopword(word) || c->nwords > SHORT_QUERY_WORDS || (c->literal && !own) ||
        common_word(c, own))
        return;
    tg_spelling *sp = NULL;
    size_t n = 0;
    if (find_spellings(c, word, ordinary_once(c, word, inflected), &sp, &n))
        return;
    for (size_t i = 0; i < n && !c->st; i++) {
        /* a grammar word is no name's spelling (Boeing is not being) */
        if (strlist_has(variants, sp[i].word, strlen(sp[i].word)) || is_stopword(sp[i].word))
            continue;
        /* A typed word the archive lacks may be one misspelt (recieve:
         * receive); one it has is not another that sounds alike, and
         * neither is a name's variant kept beside the likeliest spelling
         * of one it lacks (Methras: Mithras, not the metres it also
         * looks like). */
        if ((own || sp[i].variant) && another_word(c, word, sp[i].word))
            continue;
        /* Nor is one of its own inflections a spelling (counters,
         * counter): its stem finds those. */
        if (own && same_stem(c, word, sp[i].word))
            continue;
        /* "Macca ~ Mecca (34 articles, spelling distance 0.5)" */
        tg_buf note = { 0 };
        tg_buf_printf(&note, "%s ~ ", raw);
        display_form(sp[i].word, 0, &note);
        tg_buf_printf(&note, " (%u article%s, spelling distance %.2g", sp[i].df,
                      sp[i].df == 1 ? "" : "s", sp[i].distance / 4.0);
        if (sp[i].context >= 0)
            tg_buf_printf(&note, ", shared contexts %.2f", sp[i].context);
        tg_buf_puts(&note, ")");
        add_noted_variant(c, variants, evidence, sp[i].word, &note);
        tg_buf_free(&note);
    }
    if (n && !own && !c->st)
        widen_spelling(c, word, raw, sp[0].word, sp[0].df, variants, evidence);
    if (n && !own && !c->st) {
        /* shown as typed: "Brezhnyev" -> "Brezhnev", "ABAS" -> "ABBAS" */
        tg_buf shown = { 0 };
        int upper = 1;
        for (const char *p = raw; *p; p++)
            upper &= !(*p >= 'a' && *p <= 'z');
        if (tg_buf_puts(&shown, sp[0].word)) {
            oom(c);
        } else {
            for (size_t i = 0; i < shown.len; i++)
                if ((upper || (i == 0 && starts_upper(raw))) && shown.data[i] >= 'a' &&
                    shown.data[i] <= 'z')
                    shown.data[i] = (char)(shown.data[i] - 'a' + 'A');
            note_used(c, raw, shown.data);
        }
        tg_buf_free(&shown);
        if (!c->st && !(r->prefer = strdup(sp[0].word)))
            oom(c);
    }
    tg_spellings_free(sp, n);
}

/* Whether rest, what a form adds to a word's letters, is an English
 * inflection (an ending, perhaps after the last letter doubled): the
 * stemmer also conflates derived words, which are other words (liter:
 * literal, literally; color: colorful). */
static int inflection(const char *begins, const char *rest)
{
    /* e and y: the form's letters begin before a final e or y (centre:
     * centr + es; jewelry: jewelr + ys) */
    static const char *const endings[] = { "", "s", "es", "d", "ed", "ing", "e", "y", "ys",
                                           "yed", "ying", "ies", "ied", NULL };
    size_t bl = strlen(begins);
    if (bl && rest[0] == begins[bl - 1] && rest[1])
        rest++;     /* shipped, shipping */
    for (size_t i = 0; endings[i]; i++)
        if (strcmp(rest, endings[i]) == 0)
            return 1;
    return 0;
}

/* Drops forms[from..) that are not begins inflected. */
static void keep_inflections(strlist *forms, size_t from, const char *begins)
{
    size_t bl = strlen(begins), k = from;
    for (size_t i = from; i < forms->n; i++) {
        if (strncmp(forms->v[i], begins, bl) == 0 && inflection(begins, forms->v[i] + bl))
            forms->v[k++] = forms->v[i];
        else
            free(forms->v[i]);
    }
    forms->n = k;
}

/* Name path: forms of the word and of its spelling variants. Returns 1
 * when the word is taken as a name (r->forms filled). */
static int resolve_name(qctx *c, const char *word, const char *raw, int typed_name, resolved *r)
{
    if (!c->entities || !letters(word))
        return 0;
    strlist variants = { 0 };
    strlist evidence = { 0 };   /* per variant: its note ("" for none) */
    variant_ctx vc = { c, &variants };
    db_status(c, tg_status_of_xc(tg_lexicon_variants(c->rdb, word, on_variant, &vc)));
    int name = typed_name || tg_lexicon_is_name(c->rdb, word);
    uint32_t own = xc_rdb_termfreq(c->rdb, word);
    int inflected = -1;        /* ordinary_word, read once if asked */
    if (variants.n) {
        /* A learnt variant that is a word of the language was seen
         * capitalised (Printing, Christening): no spelling of this name. */
        size_t k = 0;
        for (size_t i = 0; i < variants.n; i++) {
            if (!another_word(c, word, variants.v[i]))
                variants.v[k++] = variants.v[i];
            else
                free(variants.v[i]);
        }
        variants.n = k;
    }
    if (variants.n && ordinary_once(c, word, &inflected)) {
        /* An ordinary word keeps only the learnt variants that the
         * spelling distance accepts for it: it keeps its vowels (treasure
         * is not the Treasury, band not Bond), whatever its capitals. */
        int flags = TG_SPELL_ORDINARY;
        int allow = tg_spelling_allowance(word, own > 0);
        size_t k = 0;
        for (size_t i = 0; i < variants.n; i++) {
            if (tg_spelling_distance(word, variants.v[i], flags, allow) <= allow)
                variants.v[k++] = variants.v[i];
            else
                free(variants.v[i]);
        }
        variants.n = k;
    }
    if (variants.n && own >= TG_SPELLING_CONTEXT_DF && !common_word(c, own)) {
        /* The archive's evidence: a learnt variant of a word it has must
         * share the word's contexts. A common word keeps its learnt
         * variants unread (reading their contexts would cost every query
         * that has it): mostly its rare misspellings, and the odd
         * look-alike (Community, Caminiti the ballplayer). */
        double *shared = calloc(variants.n, sizeof *shared);
        const char *const *others = (const char *const *)variants.v;
        tg_status st = shared ? tg_spelling_contexts(c->rdb, word, others, variants.n, shared,
                                                     c->memo)
                              : TG_ERR_NOMEM;
        db_status(c, st);
        size_t k = 0;
        for (size_t i = 0; i < variants.n; i++) {
            if (st || shared[i] < 0 || shared[i] >= TG_SPELLING_CONTEXT_MIN) {
                variants.v[k++] = variants.v[i];
                tg_buf note = { 0 };
                tg_buf_printf(&note, "%s ~ ", raw);
                display_form(variants.v[i], 0, &note);
                uint32_t df = xc_rdb_termfreq(c->rdb, variants.v[i]);
                tg_buf_printf(&note, " (%u article%s, a name's variant", df, df == 1 ? "" : "s");
                if (!st && shared[i] >= 0)
                    tg_buf_printf(&note, ", shared contexts %.2f", shared[i]);
                tg_buf_puts(&note, ")");
                if (!note.data || strlist_add_dup(&evidence, note.data, note.len))
                    oom(c);
                tg_buf_free(&note);
            } else {
                free(variants.v[i]);
            }
        }
        variants.n = k;
        free(shared);
    }
    if (!name && variants.n) {
        /* A word not seen as a name takes its variants too ("hizballah"
         * typed for Hizbollah), unless it is a common word that merely
         * looks like a rare name ("growth" and "Groweth", a typo in one
         * signature): then the word outnumbers its variants by far. */
        uint64_t theirs = 0;
        for (size_t i = 0; i < variants.n; i++)
            theirs += xc_rdb_termfreq(c->rdb, variants.v[i]);
        name = own <= COMMON_WORD_RATIO * theirs;
    }
    /* ü typed, ue written (å, aa ...): the same letters, so the same rank as the
     * word typed (own forms, below) where the archive writes it so a fair
     * share of the time (Mueller 27 times, Muller 28); where it is rare
     * beside the word (Zuerich twice, Zurich in hundreds) it is one more
     * spelling. */
    char spelt_out[64];
    int has_spelt_out = umlauts_spelt_out(raw, spelt_out, sizeof spelt_out) &&
                        strcmp(spelt_out, word);
    uint32_t spelt_df = has_spelt_out ? xc_rdb_termfreq(c->rdb, spelt_out) : 0;
    has_spelt_out = spelt_df > 0;
    if (has_spelt_out && !c->st && !strlist_has(&variants, spelt_out, strlen(spelt_out))) {
        /* "Müller ~ Mueller (27 articles, the letter written out)" */
        tg_buf note = { 0 };
        tg_buf_printf(&note, "%s ~ ", raw);
        display_form(spelt_out, 0, &note);
        tg_buf_printf(&note, " (%u article%s, the letter written out)", spelt_df,
                      spelt_df == 1 ? "" : "s");
        add_noted_variant(c, &variants, &evidence, spelt_out, &note);
        tg_buf_free(&note);
        name = 1;
    }
    has_spelt_out &= (uint64_t)spelt_df * SPELT_OUT_SHARE >= own;
    /* Spellings by sound, with the archive's evidence: any word, any case. */
    size_t learnt = variants.n;
    add_spellings(c, word, raw, own, &inflected, &variants, &evidence, r);
    if (variants.n > learnt)
        name = 1;
    if (name && !c->st) {
        /* A name matches its forms exactly; an ordinary word typed in
         * lower case with spellings by sound only (jehad, neighbour)
         * keeps its inflections, and its spellings theirs. */
        int ordinary = !typed_name && !learnt && !starts_upper(raw);
        size_t *upto = calloc(variants.n + 1, sizeof *upto);
        if (!upto)
            oom(c);
        for (size_t i = 0; upto && i <= variants.n && !c->st; i++) {
            const char *v = i == 0 ? word : variants.v[i - 1];
            if (ordinary) {
                /* its forms that begin with it, less a final e or y
                 * (privatize: privatized; not private) */
                size_t sl, vl = strlen(v);
                const char *stem = tg_stem(c->stemmer, v, vl, &sl);
                char *st = stem ? strndup(stem, sl) : NULL;
                char *begins = strndup(v, vl > 4 && (v[vl - 1] == 'e' || v[vl - 1] == 'y') ? vl - 1 : vl);
                size_t before = r->forms.n;
                if (st && begins)
                    table_stem_forms(c, st, sl, begins, &r->forms);
                else
                    oom(c);
                if (begins)
                    keep_inflections(&r->forms, before, begins);
                free(st);
                free(begins);
            }
            if (!ordinary || !r->forms.n || !strlist_has(&r->forms, v, strlen(v))) {
                /* A name's forms are its inflections: the stemmer also
                 * brings derived words (skeptic: skeptical, skepticism;
                 * the attitude, not the sceptic), which name something
                 * else (measured on the tuning half: sceptic) */
                size_t before = r->forms.n;
                add_forms(c, v, &r->forms);
                /* a description's words keep the stem's conflation, as
                 * BM25 on stems has it (CACM: 0.4035 against 0.4005) */
                if (c->nwords <= SHORT_QUERY_WORDS)
                    keep_inflections(&r->forms, before, v);
            }
            upto[i] = r->forms.n;
        }
        if (upto && own && c->nwords == 1) {
            /* the word itself and its plural: what the user typed (its
             * other inflections, neighbouring for neighbour, are
             * another word's as much as this one's) */
            for (size_t i = upto[0]; has_spelt_out && i < r->forms.n && !c->st; i++) {
                const char *f = r->forms.v[i];
                if (word_or_plural(f, spelt_out) && strlist_add_dup(&r->own_more, f, strlen(f)))
                    oom(c);
            }
            for (size_t i = 0; i < upto[0]; i++) {
                const char *f = r->forms.v[i];
                if (word_or_plural(f, word)) {
                    /* move it to the front: forms[0..nown) */
                    char *t = r->forms.v[r->nown];
                    r->forms.v[r->nown] = r->forms.v[i];
                    r->forms.v[i] = t;
                    r->nown++;
                }
            }
        }
        if (upto && !own && c->nwords == 1 && !c->st) {
            /* A word the archive lacks whose stem it has (Russel: the
             * stem of Russell): plain BM25 on stems finds those forms,
             * so they are what was typed and rank first, before the
             * spellings only a guess reaches (Roussel, the goaltender,
             * sharing hockey's contexts in a small archive). */
            size_t wl, sl;
            const char *ws = tg_stem(c->stemmer, word, strlen(word), &wl);
            char *wstem = ws ? strndup(ws, wl) : NULL;
            if (!wstem)
                oom(c);
            for (size_t i = 0; wstem && i < r->forms.n && !c->st; i++) {
                const char *f = r->forms.v[i];
                const char *fs = tg_stem(c->stemmer, f, strlen(f), &sl);
                if (fs && sl == wl && memcmp(fs, wstem, wl) == 0 &&
                    strlist_add_dup(&r->stem_own, f, strlen(f)))
                    oom(c);
            }
            free(wstem);
        }
        r->form_note = calloc(r->forms.n ? r->forms.n : 1, sizeof *r->form_note);
        if (!r->form_note)
            oom(c);
        for (size_t i = 0, k = 0; upto && r->form_note && i < r->forms.n; i++) {
            while (k < variants.n && i >= upto[k])
                k++;
            r->form_note[i] = -1;
            if (k == 0)
                continue;
            /* one note per spelling, on its forms */
            if (k - 1 < evidence.n && evidence.v[k - 1][0]) {
                r->form_note[i] = add_note(c, evidence.v[k - 1]);
                continue;
            }
            tg_buf note = { 0 };
            tg_buf_puts(&note, raw);
            tg_buf_puts(&note, " ~ ");
            display_form(r->forms.v[i], 0, &note);
            r->form_note[i] = add_note(c, tg_buf_str(&note));
            tg_buf_free(&note);
        }
        free(upto);
        for (size_t i = 0; i < r->forms.n; i++) {
            uint32_t tf = xc_rdb_termfreq(c->rdb, r->forms.v[i]);
            r->tf = tf > r->tf ? tf : r->tf;
        }
    }
    strlist_free(&variants);
    strlist_free(&evidence);
    return name && r->forms.n > 0;
}

/* Whether w is a romanisation of the Arabic article: al, el, ul, il, or
 * one assimilated to the name's first letter (ad-, ar-, as-, ash-, at-,
 * az-, an-, ath-, adh-). */
static int article_particle(const char *w)
{
    static const char *const v[] = { "al", "el", "ul", "il", "ad", "ar", "as", "ash", "at",
                                     "az", "an", "ath", "adh", NULL };
    for (size_t k = 0; v[k]; k++)
        if (strcmp(w, v[k]) == 0)
            return 1;
    return 0;
}

/* ---- word families -------------------------------------------------------------- */

/* The stemmer conflates inflections, not derivations: "conductor" and
 * "conduct", "capacitor" and "capacit", "analogu" (analogue) and
 * "analog", "transistoris" (transistorised) and "transistor" stay apart,
 * and in a short abstract the one form its author used is all there is to
 * match. A word's family is the commonest of the archive's stems that
 * begin with its stem, or that its stem begins with, at most c->family
 * letters longer or shorter and sharing at least FAMILY_MIN_STEM
 * letters (add_family says why one): derivational
 * conflation beyond the stemmer (Krovetz 1993: it helps most where
 * documents are short), from the archive's own vocabulary (as Xu and
 * Croft's corpus-based stemming). The family is searched as one term
 * (SYNONYM: the forms' wdf summed, the union's df), so a family of
 * common stems weighs as little as its df says. Stems of stopwords
 * never join. Only the words of long queries (tg_plan_build). */
#define FAMILY_MIN_STEM 5

typedef struct family_scan {
    qctx *c;
    const char *stem;      /* the word's stem */
    size_t sl, skip;       /* its length; the term prefix's length */
    char *best;            /* the commonest member so far (malloc'd) */
    uint32_t most;         /* its df */
} family_scan;

static int on_family_term(const char *term, size_t len, uint32_t tf, void *ud)
{
    family_scan *f = ud;
    if (len <= f->skip || (f->best && tf <= f->most))
        return 0;
    const char *t = term + f->skip;
    size_t tl = len - f->skip;
    size_t shorter = tl < f->sl ? tl : f->sl, longer = tl < f->sl ? f->sl : tl;
    if (tl == f->sl || longer - shorter > f->c->family || memcmp(t, f->stem, shorter) != 0)
        return 0;
    char *st = strndup(t, tl);
    if (!st) {
        oom(f->c);
        return 1;
    }
    if (tg_is_stopword_stem(st)) {
        free(st);
        return 0;
    }
    free(f->best);
    f->best = st;
    f->most = tf;
    return 0;
}

/* Fills r->family for r->stem (term prefix pfx). r->tf stays the stem's
 * own df: the word's weight against the query's other words is that of
 * the word typed, while the SYNONYM's article score uses the family's df
 * (the family's df for both, tried, was lower on LISA by 4.7 points and
 * on NPL, ADI and CISI's full collection). Letters are bytes: a stem
 * with a non-ASCII letter has its family by bytes too.
 * One member, the commonest (the first in term order of those as
 * common): Xapian estimates a SYNONYM's df by combining its terms'
 * pairwise, rounding each step, in an order each shard sets by its own
 * counts; with two terms there is one step, and sharded search ranks as
 * one database. Beside the commonest stem the others are mostly
 * misspellings (once each). */
static void add_family(qctx *c, resolved *r, const char *pfx)
{
    size_t sl = strlen(r->stem);
    if (!c->family || sl < FAMILY_MIN_STEM)
        return;
    /* the walk: the term prefix and the first FAMILY_MIN_STEM letters */
    char *prefix = join3(TG_PFX_STEM, pfx, r->stem);
    if (!prefix) {
        oom(c);
        return;
    }
    size_t skip = strlen(prefix) - sl;
    prefix[skip + FAMILY_MIN_STEM] = '\0';
    family_scan f = { c, r->stem, sl, skip, NULL, 0 };
    db_status(c, tg_status_of_xc(xc_rdb_allterms(c->rdb, prefix, on_family_term, &f)));
    free(prefix);
    if (f.best && !c->st && strlist_add(&r->family, f.best, strlen(f.best)))
        oom(c);
    free(f.best);
}

static void resolve_word(qctx *c, tg_qfield field, const tg_qnode *n, size_t w, resolved *r)
{
    int phrase = n->kind == TG_Q_PHRASE;
    const char *word = n->words[w];
    const char *raw = n->raw && n->raw[w] ? n->raw[w] : word;
    const char *pfx = field_prefix(field);
    memset(r, 0, sizeof *r);
    r->word = word;
    int capital = !c->shouting && starts_upper(raw) &&
                  !(w == 0 && n->sentence_start && c->nwords > SHORT_QUERY_WORDS);
    if (field == TG_QF_ID || field == TG_QF_TAG || field == TG_QF_ADDRESS || has_digit(word)) {
        if (field == TG_QF_ID) {
            /* named as the indexer names it: a long id by its hash */
            tg_buf idt = { 0 };
            r->term = tg_key_term(&idt, TG_PFX_ID, word, TG_ID_MAX, NULL) ? NULL
                                                                          : tg_buf_steal(&idt);
            tg_buf_free(&idt);
        } else {
            r->term = join3(pfx, word, "");
        }
        if (!r->term)
            oom(c);
        else
            r->tf = xc_rdb_termfreq(c->rdb, r->term);
        return;
    }
    if (phrase && w + 1 < n->nwords && article_particle(word)) {
        /* The Arabic article before a name, romanised al, el, ul or il
         * (el-Fatah, al-Fatah), or assimilated (as-Sadr, an-Nahar): any
         * of the four the archive writes. */
        static const char *const family[] = { "al", "el", "ul", "il" };
        for (size_t k = 0; k < 4 + 1 && !c->st; k++) {
            const char *f = k < 4 ? family[k] : word;
            char *t = join3(pfx, f, "");
            if (!t)
                oom(c);
            else if (xc_rdb_termfreq(c->rdb, t) && !strlist_has(&r->forms, f, strlen(f)) &&
                     strlist_add_dup(&r->forms, f, strlen(f)))
                oom(c);
            free(t);
        }
        if (r->forms.n) {
            for (size_t k = 0; k < r->forms.n; k++) {
                uint32_t tf = xc_rdb_termfreq(c->rdb, r->forms.v[k]);
                r->tf = tf > r->tf ? tf : r->tf;
            }
            return;
        }
    }
    if ((field == TG_QF_ANY || field == TG_QF_TITLE) && resolve_name(c, word, raw, capital, r))
        return;
    strlist_free(&r->forms);
    strlist_free(&r->own_more);
    strlist_free(&r->stem_own);
    free(r->form_note);
    r->form_note = NULL;
    free(r->prefer);
    r->prefer = NULL;
    if (phrase) {
        /* Stems have no positions: a phrase matches the words' own forms. */
        if (!(r->term = join3(pfx, word, "")))
            oom(c);
        else
            r->tf = xc_rdb_termfreq(c->rdb, r->term);
        return;
    }
    if (capital) {
        if (!(r->term = join3(pfx, word, ""))) {
            oom(c);
            return;
        }
        if ((r->tf = xc_rdb_termfreq(c->rdb, r->term)))
            return;
        free(r->term);          /* never seen exactly: use the stem */
        r->term = NULL;
    }
    size_t sl;
    const char *stem = tg_stem(c->stemmer, word, strlen(word), &sl);
    if (!stem || !(r->stem = strndup(stem, sl))) {
        oom(c);
        return;
    }
    if (field == TG_QF_TITLE && c->title_forms) {
        /* No ZS terms: the stem's forms, as title words (S). A word the
         * table lacks (under 3 letters, or never in a title or body) is
         * matched as typed. */
        table_stem_forms(c, r->stem, sl, NULL, &r->forms);
        if (!r->forms.n && strlist_add(&r->forms, word, strlen(word)))
            oom(c);
        for (size_t i = 0; i < r->forms.n; i++) {
            char *t = join3(pfx, r->forms.v[i], "");
            uint32_t tf = t ? xc_rdb_termfreq(c->rdb, t) : 0;
            r->tf = tf > r->tf ? tf : r->tf;
            free(t);
        }
        return;
    }
    if (!(r->term = join3(TG_PFX_STEM, pfx, r->stem))) {
        oom(c);
        return;
    }
    r->tf = xc_rdb_termfreq(c->rdb, r->term);
    if (field == TG_QF_ANY)
        add_family(c, r, pfx);
}

/* q OR the word exactly as typed at half weight: every form and variant
 * matches, the spelling the user typed ranks first ("Hama" before
 * "Hamas", "Mujahedin" before "Mujahadeen"). */
static xc_query *or_half(xc_query *q, xc_query *extra);

static xc_query *prefer_exact(xc_query *q, const char *pfx, const char *word, uint32_t pos)
{
    char *t = join3(pfx, word, "");
    xc_query *e = t ? xc_query_term(t, 1, pos) : NULL;
    free(t);
    return or_half(q, e);
}

/* q OR extra at half weight; takes extra (NULL allowed). On failure q is
 * returned alone: the extra only adds weight, it never changes what
 * matches. */
static xc_query *or_half(xc_query *q, xc_query *extra)
{
    xc_query *half = extra ? xc_query_scale(extra, 0.5) : NULL;
    xc_query_free(extra);
    if (!half)
        return q;
    xc_query *v[2] = { q, half };
    xc_query *both = xc_query_combine(XC_OP_OR, v, 2, 0);
    xc_query_free(half);
    if (!both)
        return q;
    xc_query_free(q);
    return both;
}

/* q OR the typed word's own forms (the word as typed and its inflections,
 * which plain BM25 finds) at OWN_FORMS_WEIGHT: a word the archive has
 * keeps the articles that have it ahead of those that have only another
 * spelling. A spelling is a guess at what the word also is; the word typed
 * is what the user asked for, and an article with it only gains from its
 * spellings (measured on the development sets: typed rare spellings, khalif
 * among Calif and Caliph, Ramazan, Francois among francs, were ranked
 * below plain BM25's ranking of the word alone). Only for a word typed
 * alone: in a longer query the weight would also outweigh the other words
 * and a long form's acronym (CIA for Central Intelligence Agency fell
 * from MAP 0.85 to 0.39). */
static xc_query *own_forms_first(qctx *c, xc_query *q, char *const *own_v, size_t nown,
                                 const strlist *more, const char *pfx, uint32_t pos)
{
    size_t n = nown + (more ? more->n : 0);
    xc_query **subs = calloc(n ? n : 1, sizeof *subs);
    size_t k = 0;
    for (size_t i = 0; subs && i < n; i++) {
        char *t = join3(pfx, i < nown ? own_v[i] : more->v[i - nown], "");
        if (t && (subs[k] = xc_query_term(t, 1, pos)))
            k++;
        free(t);
    }
    xc_query *own = k == 1 ? subs[0] : k > 1 ? xc_query_combine(XC_OP_SYNONYM, subs, k, 0) : NULL;
    if (k > 1)
        for (size_t i = 0; i < k; i++)
            xc_query_free(subs[i]);
    free(subs);
    xc_query *scaled = own ? xc_query_scale(own, OWN_FORMS_WEIGHT) : NULL;
    xc_query_free(own);
    if (!scaled) {
        oom(c);
        return q;
    }
    xc_query *v[2] = { q, scaled };
    xc_query *both = xc_query_combine(XC_OP_OR, v, 2, 0);
    xc_query_free(scaled);
    if (!both) {
        oom(c);
        return q;
    }
    xc_query_free(q);
    return both;
}

/* The stem's term q and its family's as one term (SYNONYM); takes q. */
static xc_query *family_query(qctx *c, const resolved *r, tg_qfield field, uint32_t pos,
                              xc_query *q)
{
    xc_query **subs = calloc(r->family.n + 1, sizeof *subs);
    size_t k = 0;
    if (subs)
        subs[k++] = q;
    for (size_t i = 0; subs && i < r->family.n; i++) {
        char *t = join3(TG_PFX_STEM, field_prefix(field), r->family.v[i]);
        if (t && (subs[k] = xc_query_term(t, 1, pos)))
            k++;
        free(t);
    }
    xc_query *syn = k > 1 ? xc_query_combine(XC_OP_SYNONYM, subs, k, 0) : NULL;
    for (size_t i = 1; i < k; i++)
        xc_query_free(subs[i]);
    free(subs);
    if (!syn)
        return q;   /* out of memory: the stem alone still matches */
    /* The stem typed also scores alone at c->family_own: an article
     * with the word's own stem ahead of one with only its family's
     * (capacitor before capacitance; README, "Word families"). */
    xc_query *own = c->family_own > 0 ? xc_query_scale(q, c->family_own) : NULL;
    xc_query_free(q);
    if (own) {
        xc_query *v[2] = { syn, own };
        xc_query *both = xc_query_combine(XC_OP_OR, v, 2, 0);
        xc_query_free(own);
        if (both) {
            xc_query_free(syn);
            syn = both;
        }
    }
    return syn;
}

/* The Xapian query of a resolved word, in field. Inside a phrase the forms
 * are ORed (Xapian's phrase takes OR of terms, not SYNONYM). */
static xc_query *resolved_query(qctx *c, const resolved *r, tg_qfield field, uint32_t pos,
                                int in_phrase)
{
    if (!r->forms.n) {
        xc_query *q = r->term ? xc_query_term(r->term, 1, pos) : NULL;
        if (!q)
            oom(c);
        if (q && r->family.n && !in_phrase)
            q = family_query(c, r, field, pos, q);
        return q;
    }
    const char *pfx = field_prefix(field);
    xc_query **subs = calloc(r->forms.n, sizeof *subs);
    size_t k = 0;
    for (size_t i = 0; subs && i < r->forms.n; i++) {
        char *t = join3(pfx, r->forms.v[i], "");
        if (t && (subs[k] = xc_query_term(t, 1, pos)))
            k++;
        free(t);
    }
    xc_query *q = NULL;
    if (k == 1)
        q = subs[0];
    else if (k > 1)
        q = xc_query_combine(in_phrase ? XC_OP_OR : XC_OP_SYNONYM, subs, k, 0);
    if (k > 1)
        for (size_t i = 0; i < k; i++)
            xc_query_free(subs[i]);
    free(subs);
    const char *first = r->prefer ? r->prefer : r->word;
    if (q && k > r->nown && r->nown && !in_phrase && !r->prefer)
        q = own_forms_first(c, q, r->forms.v, r->nown, &r->own_more, pfx, pos);
    else if (q && k > r->stem_own.n && r->stem_own.n && !in_phrase)
        q = own_forms_first(c, q, r->stem_own.v, r->stem_own.n, NULL, pfx, pos);
    else if (q && k > 1 && !in_phrase && first && strlist_has(&r->forms, first, strlen(first)))
        q = prefer_exact(q, pfx, first, pos);
    if (!q)
        oom(c);
    return q;
}

/* Records the scoring group of a resolved word (alt 0). */
static tg_group *resolved_group(qctx *c, const char *word, const resolved *r, int phrase_next)
{
    tg_group *g = new_group(c);
    if (!g)
        return NULL;
    g->idf = idf_of(c, r->tf);
    g->phrase_next = phrase_next;
    if (r->forms.n) {
        for (size_t i = 0; i < r->forms.n; i++)
            group_term(c, g, r->forms.v[i], 0, r->form_note ? r->form_note[i] : -1);
    } else {
        group_term(c, g, word, 0, -1);
        if (r->stem) {
            strlist forms = { 0 };
            add_stem_forms(c, r->stem, &forms);
            for (size_t i = 0; i < r->family.n; i++)
                add_stem_forms(c, r->family.v[i], &forms);
            for (size_t i = 0; i < forms.n; i++)
                group_term(c, g, forms.v[i], 0, -1);
            strlist_free(&forms);
        }
    }
    return g;
}

/* ---- clauses ------------------------------------------------------------------------ */

/* A plain word of the query, remembered for the alias and name pass. */
typedef struct flat {
    const char *word, *raw;
    size_t group;        /* its scoring group, or (size_t)-1 */
    resolved r;          /* how it matched (forms list kept) */
    int in_phrase;       /* typed inside quotes */
    int glued_next;      /* typed as one compound with the next word, a
                            hyphen between (co-operation) */
    int used;            /* part of a matched alias or name span */
    long opt_index;      /* its query in the optional clauses, or -1 */
    int loose;           /* its query scaled down as one word of a name */
    int after_of;        /* typed after an "of" dropped as a stopword */
    char conn_before;    /* the initial of a connector dropped as a stopword
                            just before it (a long query's "and"), or 0 */
} flat;

typedef struct flatlist {
    flat *v;
    size_t n, cap;
} flatlist;

static int scored_field(tg_qfield f)
{
    return f == TG_QF_ANY || f == TG_QF_TITLE || f == TG_QF_ADDRESS;
}

static void remember(qctx *c, flatlist *fl, const tg_qnode *n, size_t w, size_t group,
                     resolved *r, int in_phrase)
{
    if (fl->n == fl->cap) {
        size_t cap = fl->cap ? fl->cap * 2 : 16;
        flat *v = realloc(fl->v, cap * sizeof *v);
        if (!v) {
            oom(c);
            resolved_free(r);
            return;
        }
        fl->v = v;
        fl->cap = cap;
    }
    flat *f = &fl->v[fl->n++];
    f->word = n->words[w];
    f->raw = n->raw && n->raw[w] ? n->raw[w] : n->words[w];
    f->group = group;
    f->r = *r;           /* moved */
    memset(r, 0, sizeof *r);
    f->in_phrase = in_phrase;
    f->glued_next = n->glued && w + 1 < n->nwords && n->glued[w];
    f->used = 0;
    f->opt_index = -1;
    f->loose = 0;
    f->after_of = 0;
    f->conn_before = 0;
}

/* A phrase matched through variants, OR the phrase exactly as typed at
 * half weight, so the typed spelling ranks first. */
static xc_query *exact_phrase_too(qctx *c, xc_query *q, const tg_qnode *n, uint32_t pos)
{
    const char *pfx = field_prefix(n->field);
    qlist words = { 0 };
    for (size_t w = 0; w < n->nwords; w++) {
        char *t = join3(pfx, n->words[w], "");
        qlist_push(c, &words, t ? xc_query_term(t, 1, pos + (uint32_t)w + 1) : NULL);
        free(t);
    }
    xc_query *exact = words.n == n->nwords && !c->st
                          ? xc_query_combine(XC_OP_PHRASE, words.q, words.n, (uint32_t)words.n)
                          : NULL;
    qlist_free(&words);
    /* Words without variants make the same phrase twice: the phrase at
     * 1.5 scores the same as both, and its positions are read once. */
    char *dq = exact ? xc_query_describe(q) : NULL, *de = exact ? xc_query_describe(exact) : NULL;
    int same = dq && de && strcmp(dq, de) == 0;
    free(dq);
    free(de);
    if (same) {
        xc_query_free(exact);
        xc_query *scaled = xc_query_scale(q, 1.5);
        if (!scaled)
            return q;
        xc_query_free(q);
        return scaled;
    }
    return or_half(q, exact);
}

/* fl is NULL for clauses that take no part in alias and name matching. */
static xc_query *node_query(qctx *c, const tg_qnode *n, int positive, uint32_t *pos,
                            flatlist *fl)
{
    switch (n->kind) {
    case TG_Q_TERM:
    case TG_Q_PHRASE: {
        int phrase = n->kind == TG_Q_PHRASE;
        xc_query **subs = calloc(n->nwords, sizeof *subs);
        if (!subs) {
            oom(c);
            return NULL;
        }
        size_t k = 0;
        for (size_t w = 0; w < n->nwords && !c->st; w++) {
            resolved r;
            resolve_word(c, n->field, n, w, &r);
            if (!c->st && (subs[k] = resolved_query(c, &r, n->field, ++*pos, phrase)))
                k++;
            size_t group = (size_t)-1;
            if (!c->st && positive && scored_field(n->field)) {
                /* an address's words are scored as indexed, prefixed */
                const char *gw = n->field == TG_QF_ADDRESS && r.term ? r.term : n->words[w];
                tg_group *g = resolved_group(c, gw, &r, phrase && w + 1 < n->nwords);
                if (g && !(g->label = strdup(n->raw && n->raw[w] ? n->raw[w] : n->words[w])))
                    oom(c);
                group = c->plan->ngroups - 1;
            }
            if (!c->st && r.tf == 0 && !r.forms.n && positive && n->field == TG_QF_ANY &&
                !has_digit(n->words[w])) {
                /* unknown word: ask the spelling data */
                char *fix = NULL;
                db_status(c, tg_status_of_xc(
                                 xc_rdb_spelling_suggestion(c->rdb, n->words[w], 2, &fix)));
                if (fix) {
                    tg_fix *v = grow(c->plan->fixes, c->plan->nfixes, sizeof *v);
                    if (v) {
                        c->plan->fixes = v;
                        v[c->plan->nfixes].raw = strdup(n->raw && n->raw[w] ? n->raw[w] : n->words[w]);
                        v[c->plan->nfixes].fix = fix;
                        c->plan->nfixes++;
                    } else {
                        free(fix);
                        oom(c);
                    }
                }
            }
            if (fl && !c->st)
                remember(c, fl, n, w, group, &r, phrase);
            resolved_free(&r);
        }
        xc_query *q = NULL;
        if (!c->st && k == 1)
            q = subs[0];
        else if (!c->st && k > 1)
            q = xc_query_combine(XC_OP_PHRASE, subs, k, (uint32_t)k);
        if (k > 1 || c->st)
            for (size_t i = 0; i < k; i++)
                xc_query_free(subs[i]);
        free(subs);
        if (!q && k && !c->st)
            oom(c);
        if (q && phrase && c->entities && !c->st)
            q = exact_phrase_too(c, q, n, *pos - (uint32_t)n->nwords);
        return q;
    }
    case TG_Q_OR: {
        xc_query **subs = calloc(n->nkids ? n->nkids : 1, sizeof *subs);
        if (!subs) {
            oom(c);
            return NULL;
        }
        size_t k = 0;
        for (size_t i = 0; i < n->nkids && !c->st; i++)
            if ((subs[k] = node_query(c, n->kids[i], positive, pos, NULL)))
                k++;
        xc_query *q = NULL;
        if (!c->st && k == 1)
            q = subs[0];
        else if (!c->st && k > 1)
            q = xc_query_combine(XC_OP_OR, subs, k, 0);
        if (k > 1 || c->st)
            for (size_t i = 0; i < k; i++)
                xc_query_free(subs[i]);
        free(subs);
        return q;
    }
    case TG_Q_DATE: {
        xc_query *q = xc_query_value_range(TG_SLOT_DATE, n->date_lo[0] ? n->date_lo : NULL,
                                           n->date_hi[0] ? n->date_hi : NULL);
        if (!q)
            oom(c);
        return q;
    }
    }
    return NULL;
}

/* ---- aliases and multi-word names ----------------------------------------------- */

/* A long form's acronym linked on its initials alone (LINK_THIN, below)
 * weighs this much of one linked on the archive's evidence. */
#define THIN_LINK_WEIGHT 0.5

static double alias_weight(char kind)
{
    switch (kind) {
    case 'a': case 'l': return 1.0;   /* acronym and its long form */
    case 'i': return THIN_LINK_WEIGHT; /* ... by initials alone */
    case 'k': return 0.8;             /* also known as */
    case 's': return 1.0;             /* spelt apart or together */
    case 'f': return 0.6;             /* the query names a front: its principal */
    default: return 0.3;              /* the query names a principal: its fronts */
    }
}

typedef struct alias_ctx {
    qctx *c;
    flatlist *fl;
    size_t from, to;     /* span of flat words */
    qlist *extra;
    const char *span_raw;
    int matched;
    const char *evidence;   /* appended to the note, or NULL */
    const char *joined;     /* the span with its hyphenated compounds joined
                               ("gulf cooperation council"), or NULL */
} alias_ctx;

static xc_query *form_query(qctx *c, const char *form, uint32_t window, char **rare,
                            strlist *rare_forms);

/* q OR the phrase of form (its words by their forms, within window
 * positions, at least its words'), either may be NULL; takes q. */
static xc_query *or_form(qctx *c, xc_query *q, const char *form, uint32_t window)
{
    char *rare = NULL;
    strlist rare_forms = { 0 };
    xc_query *f = form ? form_query(c, form, window, &rare, &rare_forms) : NULL;
    free(rare);
    strlist_free(&rare_forms);
    return either(c, q, f);
}

/* The query of an alias form ("kataib hezbollah"): its words as a phrase
 * (within window positions, at least its words'), each by its forms. Sets
 * *rare to the word with the fewest documents. */
static xc_query *form_query(qctx *c, const char *form, uint32_t window, char **rare,
                            strlist *rare_forms)
{
    qlist words = { 0 };
    uint32_t best = UINT32_MAX;
    const char *p = form;
    *rare = NULL;
    while (*p && !c->st) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *w = strndup(p, n);
        if (!w) {
            oom(c);
            break;
        }
        strlist forms = { 0 };
        add_forms(c, w, &forms);
        if (!forms.n)
            strlist_add(&forms, w, n);
        resolved r = { .forms = forms };
        qlist_push(c, &words, resolved_query(c, &r, TG_QF_ANY, 0, 1));
        uint32_t tf = xc_rdb_termfreq(c->rdb, w);
        if (tf < best || !*rare) {
            best = tf;
            free(*rare);
            *rare = w;
            strlist_free(rare_forms);
            *rare_forms = forms;
        } else {
            free(w);
            strlist_free(&forms);
        }
        p += n;
        while (*p == ' ')
            p++;
    }
    xc_query *q = NULL;
    if (!c->st && words.n == 1) {
        q = words.q[0];
        words.n = 0;
    } else if (!c->st && words.n > 1) {
        q = xc_query_combine(XC_OP_PHRASE, words.q, words.n,
                             window > words.n ? window : (uint32_t)words.n);
        if (!q)
            oom(c);
    }
    qlist_free(&words);
    return q;
}

/* An acronym typed in lower case stands for its long form only when the
 * word is not this many times more common than the long form's rarest
 * word ("kh" for Kataib Hezbollah, but not "oil" for Oil India Ltd). */
#define ACRONYM_WORD_RATIO 3

static int has_lower(const char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            return 1;
    return 0;
}

static void scale_loose(qctx *c, flatlist *fl, size_t k, qlist *extra);
static int typed_capitalised(const qctx *c, const flatlist *fl, size_t i, size_t len);

static xc_query *span_phrase(qctx *c, flatlist *fl, size_t from, size_t to, xc_op op,
                             uint32_t window);

static int on_alias(const char *entry, void *ud)
{
    alias_ctx *a = ud;
    qctx *c = a->c;
    if (strlen(entry) < 3 || entry[1] != ':')
        return 0;
    char kind = entry[0];
    const char *form = entry + 2;
    double weight = alias_weight(kind);
    /* A long form typed as a name, not as words of a description (whose
     * words are its subject: CISI, LISA). */
    int long_name = (kind == 'l' || kind == 'i') && (c->nwords <= SHORT_QUERY_WORDS ||
                                    typed_capitalised(c, a->fl, a->from, a->to - a->from));
    if (long_name) {
        /* The long form scores as all its words together (a phrase
         * weighs its words' sum): its acronym alone, as much. */
        size_t words = 0;
        for (size_t k = a->from; k < a->to; k++)
            words += !is_stopword(a->fl->v[k].word);
        if (words > 1)
            weight *= (double)words;
    }
    char *rare = NULL;
    strlist rare_forms = { 0 };
    xc_query *q = form_query(c, form, 0, &rare, &rare_forms);
    if (q && kind == 'a' && a->to - a->from == 1 && has_lower(a->span_raw) && rare &&
        xc_rdb_termfreq(c->rdb, a->fl->v[a->from].word) >
            ACRONYM_WORD_RATIO * xc_rdb_termfreq(c->rdb, rare)) {
        /* "oil" typed in lower case is the word, not OIL = Oil India Ltd:
         * the word is far more common than the long form. */
        xc_query_free(q);
        q = NULL;
    }
    if (q && long_name && !a->matched &&
        (c->nwords <= SHORT_QUERY_WORDS || (a->from == 0 && a->to == a->fl->n))) {
        /* The long form itself, as a phrase, weighs as much as its acronym
         * at its full link's weight: an article naming it is about the
         * name at least as surely as one with the acronym alone (the
         * archive's SEI, a hockey player's, is no Search for
         * Extraterrestrial Intelligence). Dropped connectors leave room.
         * Only for the name typed as the query (a short one, or the whole
         * of a long one): in a description it would outweigh the other
         * words (CACM's query 1, "TSS (Time Sharing System), an operating
         * system for IBM computers": MAP 0.43 to 0.40). */
        uint32_t window = (uint32_t)(a->to - a->from);
        size_t words = 0;
        for (size_t k = a->from; k < a->to; k++) {
            window += a->fl->v[k].conn_before != 0;
            words += !is_stopword(a->fl->v[k].word);
        }
        xc_query *ph = span_phrase(c, a->fl, a->from, a->to, XC_OP_PHRASE, window);
        /* and as the archive may write its compounds, joined */
        ph = or_form(c, ph, a->joined, window);
        xc_query *phs = ph ? xc_query_scale(ph, alias_weight('l') * (double)(words > 1 ? words : 1))
                           : NULL;
        xc_query_free(ph);
        qlist_push(c, a->extra, phs);
    }
    if (q) {
        xc_query *scaled = weight == 1.0 ? q : xc_query_scale(q, weight);
        if (scaled != q)
            xc_query_free(q);
        qlist_push(c, a->extra, scaled);
        a->matched = 1;
        /* A long form's words apart are other words (national, space,
         * administration): the name is the long form or its acronym. */
        if (long_name)
            for (size_t k = a->from; k < a->to; k++)
                scale_loose(c, a->fl, k, a->extra);
        char **v = grow(c->plan->aliases, c->plan->naliases, sizeof *v);
        if (v)
            c->plan->aliases = v;
        if (!v || !(v[c->plan->naliases] = strdup(form)))
            oom(c);
        else
            c->plan->naliases++;
        /* The note, e.g. "KH = Kataib Hezbollah". */
        tg_buf note = { 0 };
        tg_buf_puts(&note, a->span_raw);
        tg_buf_puts(&note, kind == 'f' ? " = a front for " : kind == 'p' ? " <- front: "
                           : kind == 's' ? " ~ " : " = ");
        display_form(form, kind == 'l' || kind == 'i', &note);
        if (a->evidence)
            tg_buf_printf(&note, " (%s)", a->evidence);
        int ni = add_note(c, tg_buf_str(&note));
        tg_buf_free(&note);
        /* Each word of the span may be found as the alias in a passage.
         * An acronym taken on its initials alone counts there at its
         * link's weight: its passage is about the name (more than one
         * with the words scattered, which the query's loose words weigh
         * down), but one naming the long form comes first. */
        for (size_t i = a->from; i < a->to; i++) {
            size_t gi = a->fl->v[i].group;
            if (gi == (size_t)-1)
                continue;
            tg_group *g = &c->plan->groups[gi];
            if (g->nalts >= TG_MAX_ALTS)
                continue;
            unsigned alt = g->nalts++;
            g->alt_weight[alt] = kind == 'i' ? THIN_LINK_WEIGHT : weight;
            for (size_t k = 0; k < rare_forms.n; k++)
                group_term(c, g, rare_forms.v[k], alt, ni);
        }
    }
    free(rare);
    strlist_free(&rare_forms);
    return c->st != TG_OK;
}

/* The phrase (or NEAR) of flat words [from, to), each by its forms. */
static xc_query *span_phrase(qctx *c, flatlist *fl, size_t from, size_t to, xc_op op,
                             uint32_t window)
{
    qlist words = { 0 };
    for (size_t i = from; i < to && !c->st; i++) {
        const flat *f = &fl->v[i];
        if (f->r.forms.n || f->group == (size_t)-1) {
            qlist_push(c, &words, resolved_query(c, &f->r, TG_QF_ANY, 0, 1));
            continue;
        }
        /* A word matched by its stem: stems have no positions, so in the
         * phrase it is its forms (the group's own terms). */
        const tg_group *g = &c->plan->groups[f->group];
        qlist forms = { 0 };
        for (size_t t = 0; t < g->nterms && !c->st; t++)
            if (g->terms[t].alt == 0)
                qlist_push(c, &forms, xc_query_term(g->terms[t].term, 1, 0));
        xc_query *any = NULL;
        if (!c->st && forms.n == 1) {
            any = forms.q[0];
            forms.n = 0;
        } else if (!c->st && forms.n > 1 && !(any = xc_query_combine(XC_OP_OR, forms.q, forms.n, 0))) {
            oom(c);
        }
        qlist_free(&forms);
        if (any)
            qlist_push(c, &words, any);
    }
    xc_query *q = NULL;
    if (!c->st && words.n == to - from && words.n > 1) {
        q = xc_query_combine(op, words.q, words.n, window);
        if (!q)
            oom(c);
    }
    qlist_free(&words);
    return q;
}

/* Whether word k of fl was typed with a capital, or is a later part of a
 * hyphenated compound that was (Co-operation, Coca-cola). */
static int word_capitalised(const flatlist *fl, size_t k)
{
    while (k > 0 && fl->v[k - 1].glued_next && !starts_upper(fl->v[k].raw))
        k--;
    return starts_upper(fl->v[k].raw);
}

/* Were words [i, i+len) of fl typed with capitals (short connectors
 * aside), in a query that is not capitals throughout? */
static int typed_capitalised(const qctx *c, const flatlist *fl, size_t i, size_t len)
{
    int yes = !c->shouting;
    for (size_t k = i; k < i + len; k++)
        yes &= word_capitalised(fl, k) || strlen(fl->v[k].word) <= 3;
    return yes;
}

/* Word k of fl weighs NAME_LOOSE_WEIGHT alone: it is part of a unit. */
static void scale_loose(qctx *c, flatlist *fl, size_t k, qlist *extra)
{
    (void)c;
    long oi = fl->v[k].opt_index;
    if (oi < 0 || (size_t)oi >= extra->n || fl->v[k].loose)
        return;
    fl->v[k].loose = 1;
    xc_query *loose = xc_query_scale(extra->q[oi], NAME_LOOSE_WEIGHT);
    if (loose) {
        xc_query_free(extra->q[oi]);
        extra->q[oi] = loose;
    }
}

/* ---- words joined, split, and spelt by initials ------------------------------------ */

/* How many articles match q, counted exactly up to `upto`. */
static uint32_t count_matches(qctx *c, xc_query *q, uint32_t upto)
{
    uint32_t n = 0;
    xc_enquire *enq = q ? xc_enquire_new(c->rdb) : NULL;
    xc_mset *ms = NULL;
    if (enq) {
        xc_enquire_set_query(enq, q);
        xc_enquire_set_boolean(enq);
        xc_status xs = xc_enquire_run(enq, 0, 1, upto, &ms);
        if (!xs)
            n = xc_mset_matches_lower(ms);
        db_status(c, tg_status_of_xc(xs));
    }
    xc_mset_free(ms);
    xc_enquire_free(enq);
    return n;
}

/* Articles with the words of `form` ("wall street") as a phrase. */
static uint32_t phrase_count(qctx *c, const char *form, uint32_t upto)
{
    char *rare = NULL;
    strlist rare_forms = { 0 };
    xc_query *q = form_query(c, form, 0, &rare, &rare_forms);
    uint32_t n = count_matches(c, q, upto);
    xc_query_free(q);
    free(rare);
    strlist_free(&rare_forms);
    return n;
}

/* Name particles are the two-letter parts of a word written joined
 * (Elsalvador, Alqaeda, Riodejaneiro). */
static int particle(const char *w)
{
    static const char *const particles[] = { "al", "el", "de", "la", "le", "du", "da", "di",
                                             "ul", "ad", "as", "ash", "an", NULL };
    for (size_t k = 0; particles[k]; k++)
        if (strcmp(w, particles[k]) == 0)
            return 1;
    return 0;
}

/* Whether w (len letters) may be one part of a word written joined: an
 * archive word of 3 letters or more, a particle, or a word of two letters
 * before the end (Kukluxklan: ku klux klan; Daressalaam: dar es salaam;
 * the phrase must be the archive's); no grammar word unless a particle,
 * and none at the end. */
static int split_part(qctx *c, const char *w, size_t len, int last)
{
    int part = particle(w);
    if (len < 2 || (last && (len < 3 || is_stopword(w))) ||
        (is_stopword(w) && !part))
        return 0;
    return xc_rdb_termfreq(c->rdb, w) >= 2;
}

/* Keeps form in *best when the archive has its phrase more often. */
static void try_split(qctx *c, char *form, uint32_t *most, char **best)
{
    if (!form) {
        oom(c);
        return;
    }
    uint32_t n = phrase_count(c, form, 1000);
    if (n > *most) {
        *most = n;
        free(*best);
        *best = form;
    } else {
        free(form);
    }
}

/* A word typed as one that the archive writes as two or three
 * ("Wallstreet": wall street; "Riodejaneiro": rio de janeiro): the split
 * whose phrase the archive uses most, into *best (caller frees). Three
 * parts only when three_parts (a word the archive lacks or has rarely:
 * each first part costs a look-up per second cut). Returns its articles,
 * 0 if none. */
#define SPLIT_MAX_DF 2
#define SPLIT_APART_RATIO 2
static uint32_t best_split(qctx *c, const char *word, int three_parts, char **best)
{
    size_t len = strlen(word);
    uint32_t most = 0;
    *best = NULL;
    if (len < 6 || len > 40 || !alphabetic(word))
        return 0;
    for (size_t i = 2; i + 3 <= len && !c->st; i++) {
        char a[41], b[41];
        memcpy(a, word, i);
        a[i] = '\0';
        strcpy(b, word + i);
        if (split_part(c, b, len - i, 1) && article_particle(a)) {
            /* the article in the archive's romanisation (Elfatah: al fatah) */
            static const char *const family[] = { "al", "el", "ul", "il" };
            for (size_t k = 0; k < 4 && !c->st; k++)
                if (strcmp(family[k], a) && xc_rdb_termfreq(c->rdb, family[k]) >= 2)
                    try_split(c, join3(family[k], " ", b), &most, best);
        }
        if (!split_part(c, a, i, 0))
            continue;
        if (split_part(c, b, len - i, 1))
            try_split(c, join3(a, " ", b), &most, best);
        for (size_t j = 2; three_parts && j + 3 <= len - i && !c->st; j++) {
            char b1[41];
            memcpy(b1, b, j);
            b1[j] = '\0';
            if (!split_part(c, b1, j, 0) || !split_part(c, b + j, len - i - j, 1))
                continue;
            char *ab = join3(a, " ", b1);
            try_split(c, ab ? join3(ab, " ", b + j) : NULL, &most, best);
            free(ab);
        }
    }
    return most;
}

/* The initials of words [from, to) of fl into out: connectors skipped
 * ("National Aeronautics and Space Administration": nasa), or with them
 * (with_connectors: "Bank of Japan": boj); 0 if fewer than 3 letters or a
 * word is no word. */
static const char *const connectors[] = { "of", "the", "for", "and", "in", "on", "to", "de", NULL };

static int is_connector(const char *w)
{
    for (size_t j = 0; connectors[j]; j++)
        if (strcmp(w, connectors[j]) == 0)
            return 1;
    return 0;
}

/* Where a long word of a long form is two archive words written as one,
 * whose acronym takes both initials (Extraterrestrial, written
 * Extra-Terrestrial: SETI; monosodium glutamate: MSG; interbank: LIBOR):
 * the cut whose rarer part the archive has most often, each part four
 * letters or more and a word of its own at least a quarter as often as
 * the word (inter 138 times, interbank 160), where a word's fragments are
 * rarer (christian 843: chris, tian 7; encryption 411: encryp 4, tion
 * 18). 0 for none. */
#define COMPOUND_PART_SHARE 4
#define COMPOUND_MIN 9
#define COMPOUND_PART_MIN 4
static size_t compound_cut(qctx *c, const char *w)
{
    size_t len = strlen(w), best = 0;
    uint32_t most = 0;
    if (len < COMPOUND_MIN || len > 40 || !alphabetic(w))
        return 0;
    uint32_t own = xc_rdb_termfreq(c->rdb, w);
    for (size_t i = COMPOUND_PART_MIN; i + COMPOUND_PART_MIN <= len && !c->st; i++) {
        char a[41];
        memcpy(a, w, i);
        a[i] = '\0';
        if (is_stopword(a) || is_stopword(w + i))
            continue;
        uint32_t da = xc_rdb_termfreq(c->rdb, a), db = da >= 2 ? xc_rdb_termfreq(c->rdb, w + i) : 0;
        uint32_t less = da < db ? da : db;
        if (less >= 2 && (uint64_t)less * COMPOUND_PART_SHARE >= own && less > most) {
            most = less;
            best = i;
        }
    }
    return best;
}

/* Whether keep takes the next connector (the j-th, counted in *j). */
static int takes_connector(unsigned keep, unsigned *j)
{
    unsigned bit = (*j)++;
    return bit < 32 && (keep >> bit) & 1;
}

/* The initials of [from, to): bit j of keep set takes the j-th connector
 * inside the span, clear skips it (United Nations Conference on Trade and
 * Development: UNCTAD skips "on" and takes "and"). cuts[k - from], where
 * not 0, takes a second initial inside word k (a compound: SETI); with
 * compounds set, a hyphenated compound typed gives one initial, its
 * first part's (Economic Co-operation: EC, not ECO). */
static int initials_of(const flatlist *fl, size_t from, size_t to, unsigned keep,
                       const size_t *cuts, int compounds, char *out, size_t outsz)
{
    size_t n = 0;
    unsigned j = 0;
    for (size_t k = from; k < to; k++) {
        const char *w = fl->v[k].word;
        if (compounds && k > from && fl->v[k - 1].glued_next)
            continue;
        /* a connector a long query dropped before this word */
        if (k > from && fl->v[k].conn_before && takes_connector(keep, &j)) {
            if (n + 1 >= outsz)
                return 0;
            out[n++] = fl->v[k].conn_before;
        }
        int connector = is_connector(w);
        if (connector && k > from && k + 1 < to && !takes_connector(keep, &j))
            continue;
        if ((connector && (k == from || k + 1 == to)) || !alphabetic(w) || n + 2 >= outsz)
            return 0;
        out[n++] = w[0];
        if (cuts && cuts[k - from])
            out[n++] = w[cuts[k - from]];
    }
    out[n] = '\0';
    /* two letters only for the whole query, on the archive's evidence
     * (linked_acronym) */
    return n >= 2;
}

/* How many connectors stand inside [from, to), typed or dropped. */
static unsigned inner_connectors(const flatlist *fl, size_t from, size_t to)
{
    unsigned n = 0;
    for (size_t k = from + 1; k < to; k++)
        n += (k + 1 < to && is_connector(fl->v[k].word)) + (fl->v[k].conn_before != 0);
    return n;
}

/* Where the second acronym of a long form begins: at the word after its
 * first "of", typed or dropped from a long query (Bureau of Alcohol,
 * Tobacco and Firearms: ATF beside BATF); to when it has none. */
static size_t after_of(const flatlist *fl, size_t from, size_t to)
{
    for (size_t k = from + 1; k < to; k++) {
        if (fl->v[k].after_of)
            return k;
        if (k + 1 < to && strcmp(fl->v[k].word, "of") == 0)
            return k + 1;
    }
    return to;
}

#define ACRONYM_THIN 5
/* Whether the long form [from, to) stands as a phrase in under
 * ACRONYM_THIN articles. Its words may meet in many articles (european,
 * economic and community in 82 of news.jsonl) while the name itself is
 * written a handful of times: then the archive cannot show the name and
 * its acronym together either (Reuters writes EEC in a dozen articles
 * and European Economic Community in four, never in one). */
static int long_form_rare(qctx *c, const flatlist *fl, size_t from, size_t to)
{
    tg_buf form = { 0 };
    for (size_t k = from; k < to; k++)
        tg_buf_printf(&form, "%s%s", k > from ? " " : "", fl->v[k].word);
    int rare = form.data && phrase_count(c, form.data, ACRONYM_THIN) < ACRONYM_THIN;
    if (!form.data)
        oom(c);
    tg_buf_free(&form);
    return rare;
}

/* A long form typed whose acronym the archive writes, without defining it
 * anywhere: linked when the acronym stands in articles that have all the
 * long form's words often enough (at least twice, and in a twentieth of
 * those articles or of the acronym's). Words, not the phrase: the long
 * form may be typed in another spelling or without its "and".
 * Returns LINK_SHOWN for such a link, LINK_THIN for a long form typed as
 * a name (alone or in a short query) whose words stand together in under
 * ACRONYM_THIN articles, or its acronym does, or the long form itself
 * as a phrase does (long_form_rare): too few for the two to have
 * met (a small archive, an old magazine's, writes the CIA three times and
 * Central Intelligence Agency once, never together), so that their
 * initials are all there is to go on; LINK_NONE otherwise. */
#define ACRONYM_MIN_BOTH 2
#define ACRONYM_MIN_SHARE 20
enum { LINK_NONE, LINK_SHOWN, LINK_THIN };
/* Whether acr is a common word's or a grammar word's plural (ins: the
 * break-ins and sit-ins of the archive, not the INS it may abbreviate). */
static int plural_of_common(qctx *c, const char *acr)
{
    size_t n = strlen(acr);
    if (n < 3 || acr[n - 1] != 's')
        return 0;
    char *stem = strndup(acr, n - 1);
    int yes = stem && (is_stopword(stem) || common_word(c, xc_rdb_termfreq(c->rdb, stem)));
    if (!stem)
        oom(c);
    free(stem);
    return yes;
}

/* The compound typed as words [from, to) of fl with hyphens between: the
 * phrase of their forms OR the word they make joined, where the archive
 * has it. */
static xc_query *compound_query(qctx *c, flatlist *fl, size_t from, size_t to)
{
    xc_query *q = span_phrase(c, fl, from, to, XC_OP_PHRASE, (uint32_t)(to - from));
    tg_buf joined = { 0 };
    for (size_t k = from; k < to; k++)
        tg_buf_puts(&joined, fl->v[k].word);
    if (!joined.data)
        oom(c);
    else if (xc_rdb_termfreq(c->rdb, joined.data))
        q = either(c, q, xc_query_term(joined.data, 1, 0));
    tg_buf_free(&joined);
    return q;
}

static int linked_acronym(qctx *c, flatlist *fl, size_t from, size_t to, const char *acr,
                          tg_buf *evidence)
{
    /* Two letters (United Kingdom: UK; Hewlett-Packard: HP) are the
     * acronym of a name typed as one (capitals) as the whole query only:
     * a part of a longer name has them by chance (American Medical: AM;
     * Standards Technology: ST), and so do two words typed in lower case
     * (sugar offers: SO; term notes: TN; no news: NN, in the query log). */
    if (strlen(acr) < 3) {
        int capitals = from == 0 && to == fl->n && !c->shouting;
        for (size_t k = from; k < to; k++)
            capitals &= word_capitalised(fl, k);
        if (!capitals)
            return 0;
    }
    uint32_t acr_df = xc_rdb_termfreq(c->rdb, acr);
    if (!acr_df)
        return 0;
    qlist words = { 0 };
    for (size_t k = from; k < to && !c->st; k++) {
        size_t end = k;
        while (end + 1 < to && fl->v[end].glued_next)
            end++;
        if (end > k) {
            /* a compound typed with a hyphen: its parts as a phrase, or
             * the word they make (co-operation, cooperation) */
            qlist_push(c, &words, compound_query(c, fl, k, end + 1));
            k = end;
        } else if (!is_stopword(fl->v[k].word) && fl->v[k].r.forms.n)
            qlist_push(c, &words, resolved_query(c, &fl->v[k].r, TG_QF_ANY, 0, 1));
        else if (!is_stopword(fl->v[k].word) && fl->v[k].r.term)
            qlist_push(c, &words, xc_query_term(fl->v[k].r.term, 1, 0));
    }
    xc_query *all = words.n ? xc_query_combine(XC_OP_AND, words.q, words.n, 0) : NULL;
    qlist_free(&words);
    xc_query *both[2] = { all, xc_query_term(acr, 1, 0) };
    xc_query *bq = all && both[1] ? xc_query_combine(XC_OP_AND, both, 2, 0) : NULL;
    /* The test needs the counts only up to where they decide it: the
     * long form's beyond the acronym's frequency changes nothing, nor the
     * two together's beyond a twentieth of the lesser (Xapian counts at
     * least `upto` matches exactly). Counting every article with common
     * words ("point of attack": poa) was a tenth of a short query's time.
     * Only a link made is counted in full, for its evidence. */
    uint32_t n_long = count_matches(c, all, acr_df);
    uint32_t fewer = n_long < acr_df ? n_long : acr_df;
    uint32_t need = (uint32_t)((fewer + ACRONYM_MIN_SHARE - 1) / ACRONYM_MIN_SHARE);
    uint32_t n_both = count_matches(c, bq, need > ACRONYM_MIN_BOTH ? need : ACRONYM_MIN_BOTH);
    int linked = n_both >= ACRONYM_MIN_BOTH && (uint64_t)n_both * ACRONYM_MIN_SHARE >= fewer
                 ? LINK_SHOWN : LINK_NONE;
    /* Thin evidence: only for a name typed as one (capitals), alone or in
     * a short query, whose acronym is no word of the language nor a
     * common one, nor such a word's plural (ins: the archive's break-ins
     * are no Immigration and Naturalization Service); a description's
     * list of names is no long form: "Pascal, CLU, Alphard, Russell" is
     * not CAR. Words typed in lower case are not (tried: "human
     * immunodeficiency virus" linked HIV in a small archive, and the
     * query log's headline words linked junk: "nakasone said willing" =
     * NSW, "calls for caution credit" = CCC). */
    if (!linked && (c->nwords <= SHORT_QUERY_WORDS || (from == 0 && to == fl->n)) &&
        typed_capitalised(c, fl, from, to - from) && strlen(acr) > 2 &&
        !common_word(c, acr_df) && !ordinary_word(c, acr) && !plural_of_common(c, acr) &&
        (fewer < ACRONYM_THIN || long_form_rare(c, fl, from, to)))
        linked = LINK_THIN;
    if (linked) {
        n_long = count_matches(c, all, 100000);
        n_both = count_matches(c, bq, 100000);
        tg_buf_printf(evidence, "%s%u of the %u articles with these words; %u articles have it",
                      linked == LINK_THIN ? "initials only: in " : "in ", n_both, n_long, acr_df);
    }
    xc_query_free(bq);
    xc_query_free(both[1]);
    xc_query_free(all);
    return linked;
}

/* Whether the archive has joined only in the plural ("war plane":
 * warplanes, never warplane), in two articles at least and of two words
 * of three letters or more (not "mln dlr" from one wire table's
 * mlndlrs, nor "phar o"): the word's forms then find it. */
static int joined_plural(qctx *c, const char *a, const char *b, const char *joined)
{
    if (strlen(a) < 3 || strlen(b) < 3)
        return 0;
    char *pl = join3(joined, "", "s");
    int yes = pl && xc_rdb_termfreq(c->rdb, pl) >= 2;
    if (!pl)
        oom(c);
    free(pl);
    return yes;
}

/* Whether w may be one part of two words written joined: no grammar word
 * ("of course"), but in a compound typed with a hyphen one of two letters
 * or more (buy-out, on-going: buyout, ongoing; not i-g: ig). */
static int joinable(const char *w, int compound)
{
    return !is_stopword(w) || (compound && strlen(w) >= 2);
}

/* Whether acr[n] is one of the acronyms acr[0..n) already to be tried. */
static int acronym_seen(char (*acr)[16], const int *ok, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (ok[k] && strcmp(acr[k], acr[n]) == 0)
            return 1;
    return 0;
}

/* What the archive writes for span [i, i+len) of fl besides its words:
 * two words joined ("euro bond": eurobond), one word split
 * ("Wallstreet": wall street), a long form's acronym (IMF). Matched like
 * aliases, through on_alias with kind 's' (the same name spelt apart or
 * together) or 'l' (the span is a long form of the acronym). */
static void spelt_otherwise(qctx *c, flatlist *fl, size_t i, size_t len, alias_ctx *a)
{
    /* A description's words stand as written, but a name typed in it
     * (capitalised) may still be a long form. */
    int described = c->nwords > SHORT_QUERY_WORDS;
    /* ... but a compound typed with a hyphen is one word however the
     * archive writes it (co-operation: cooperation). */
    int compound = len == 2 && fl->v[i].glued_next;
    tg_buf entry = { 0 };
    if (described && !compound) {
        /* nothing joined or split */
    } else if (len == 1) {
        const char *w = fl->v[i].word;
        char *split = NULL;
        uint32_t own = xc_rdb_termfreq(c->rdb, w);
        /* A word the archive lacks or has rarely; or one it mostly
         * writes apart (Hongkong beside Hong Kong: twice as often apart
         * at least), which is then either. */
        uint32_t apart = 0;
        if (own <= SPLIT_MAX_DF)
            apart = !(c->literal && !own) ? best_split(c, w, 1, &split) : 0;
        else if (!common_word(c, own) && !c->literal)
            apart = best_split(c, w, 0, &split);
        if (apart && (own <= SPLIT_MAX_DF || apart >= SPLIT_APART_RATIO * (uint64_t)own)) {
            tg_buf_printf(&entry, "s:%s", split);
            if (entry.data)
                on_alias(entry.data, a);
            if (!xc_rdb_termfreq(c->rdb, w) && !fl->v[i].r.forms.n && !c->st)
                note_used(c, fl->v[i].raw, split);
        }
        free(split);
    } else if (len == 2) {
        char *joined = join3(fl->v[i].word, "", fl->v[i + 1].word);
        if (!joined)
            oom(c);
        else if (joinable(fl->v[i].word, compound) && joinable(fl->v[i + 1].word, compound) &&
                 alphabetic(joined) && (xc_rdb_termfreq(c->rdb, joined) ||
                  joined_plural(c, fl->v[i].word, fl->v[i + 1].word, joined))) {
            tg_buf_printf(&entry, "s:%s", joined);
            if (entry.data)
                on_alias(entry.data, a);
            /* The two words apart are one name written in two: alone,
             * each is some other word (green, peace). */
            for (size_t k = i; a->matched && k < i + 2; k++)
                scale_loose(c, fl, k, a->extra);
        }
        free(joined);
    }
    int typed_as_name = typed_capitalised(c, fl, i, len);
    if (len >= 2 && !a->matched && (!described || typed_as_name)) {
        /* The acronyms a long form may have: its initials without its
         * connectors, with them, and those of the words after its "of";
         * each linked on the archive's evidence alone. */
        /* (and, where it has two or three connectors, with some of
         * them: UNCTAD). */
        enum { MAX_ACR = 12 };
        char acr[MAX_ACR][16];
        int ok[MAX_ACR] = { 0 };
        size_t nacr = 0;
        unsigned nconn = inner_connectors(fl, i, i + len);
        unsigned masks = nconn <= 3 ? 1u << nconn : 2;
        for (unsigned m = 0; m < masks && nacr + 1 < MAX_ACR; m++) {
            unsigned keep = nconn <= 3 ? m : m ? ~0u : 0;
            ok[nacr] = initials_of(fl, i, i + len, keep, NULL, 0, acr[nacr], sizeof acr[nacr]) &&
                       !acronym_seen(acr, ok, nacr);
            nacr++;
        }
        size_t tail = after_of(fl, i, i + len);
        ok[nacr] = tail < i + len &&
                   initials_of(fl, tail, i + len, 0, NULL, 0, acr[nacr], sizeof acr[nacr]) &&
                   strlen(acr[nacr]) > 2;     /* the tail is no whole query */
        nacr++;
        /* and with a compound word's two initials (connectors skipped),
         * for a long form typed as a name or as the whole query: more
         * initials are more chances of a chance link ("to microsoft
         * supporters": MSS). */
        size_t cuts[ALIAS_SPAN_MAX] = { 0 }, ncut = 0;
        for (size_t k = i; k < i + len && k - i < ALIAS_SPAN_MAX && !c->st &&
                           (typed_as_name || (i == 0 && len == fl->n)); k++)
            ncut += (cuts[k - i] = compound_cut(c, fl->v[k].word)) != 0;
        if (ncut && initials_of(fl, i, i + len, 0, cuts, 0, acr[nacr], sizeof acr[nacr])) {
            ok[nacr] = !acronym_seen(acr, ok, nacr);
            nacr++;
        }
        /* and with each hyphenated compound typed as one word (Economic
         * Co-operation and Development: OECD beside OECOD), connectors
         * skipped. */
        int glued = 0;
        for (size_t k = i; k + 1 < i + len; k++)
            glued |= fl->v[k].glued_next;
        if (glued && nacr < MAX_ACR &&
            initials_of(fl, i, i + len, 0, NULL, 1, acr[nacr], sizeof acr[nacr])) {
            ok[nacr] = !acronym_seen(acr, ok, nacr);
            nacr++;
        }
        for (size_t k = 0; k < nacr && !c->st; k++) {
            tg_buf why = { 0 };
            int link = ok[k] ? linked_acronym(c, fl, i, i + len, acr[k], &why) : LINK_NONE;
            if (link) {
                tg_buf_clear(&entry);
                tg_buf_printf(&entry, "%c:%s", link == LINK_THIN ? 'i' : 'l', acr[k]);
                a->evidence = why.data;
                if (entry.data)
                    on_alias(entry.data, a);
                a->evidence = NULL;
            }
            tg_buf_free(&why);
        }
    }
    tg_buf_free(&entry);
}

static void match_spans(qctx *c, flatlist *fl, qlist *extra)
{
    tg_buf key = { 0 }, raw = { 0 }, joined = { 0 };
    for (size_t len = fl->n < ALIAS_SPAN_MAX ? fl->n : ALIAS_SPAN_MAX; len >= 1 && !c->st; len--) {
        for (size_t i = 0; i + len <= fl->n && !c->st; i++) {
            int free_span = 1;
            for (size_t k = i; k < i + len; k++)
                free_span &= !fl->v[k].used && fl->v[k].group != (size_t)-1;
            /* A name of several words takes a compound typed with a
             * hyphen whole or not at all: "Gulf Co" is no name of
             * "Gulf Co-operation Council". */
            if (len > 1 && ((i > 0 && fl->v[i - 1].glued_next) || fl->v[i + len - 1].glued_next))
                free_span = 0;
            if (!free_span)
                continue;
            tg_buf_clear(&key);
            tg_buf_clear(&raw);
            tg_buf_clear(&joined);
            int compounds = 0;
            for (size_t k = i; k < i + len; k++) {
                if (k > i) {
                    int glued = fl->v[k - 1].glued_next;
                    compounds |= glued;
                    tg_buf_putc(&key, ' ');
                    tg_buf_putc(&raw, glued ? '-' : ' ');
                    if (!glued)
                        tg_buf_putc(&joined, ' ');
                }
                tg_buf_puts(&key, fl->v[k].word);
                tg_buf_puts(&raw, fl->v[k].raw);
                tg_buf_puts(&joined, fl->v[k].word);
            }
            if (!key.data || !raw.data || !joined.data) {
                oom(c);
                break;
            }
            /* A compound typed with a hyphen (Co-operation) may be one
             * word in the archive's spelling of the name (Gulf
             * Cooperation Council = GCC). */
            alias_ctx a = { c, fl, i, i + len, extra, raw.data, 0, NULL,
                            compounds ? joined.data : NULL };
            db_status(c, tg_status_of_xc(tg_lexicon_aliases(c->rdb, key.data, on_alias, &a)));
            /* (a compound alone is spelt_otherwise's join: cd-i is no CDI) */
            int more = 0;
            for (size_t k = i; k + 1 < i + len; k++)
                more |= !fl->v[k].glued_next;
            if (!a.matched && compounds && more)
                db_status(c, tg_status_of_xc(tg_lexicon_aliases(c->rdb, joined.data, on_alias, &a)));
            if (!a.matched)
                spelt_otherwise(c, fl, i, len, &a);
            int typed_phrase = 1;
            for (size_t k = i; k < i + len; k++)
                typed_phrase &= fl->v[k].in_phrase;
            int name = 0;
            /* In a long query (a description) a run of common words that
             * the archive once capitalised ("Information Systems") is no
             * name the user meant; there only a name typed as one counts. */
            int as_name = c->nwords <= SHORT_QUERY_WORDS ||
                          (starts_upper(fl->v[i].raw) && word_capitalised(fl, i + len - 1));
            /* Nor does a name begin or end with a grammar word ("all the",
             * "i need": title-case subject lines). */
            if (len > 1 && (is_stopword(fl->v[i].word) || is_stopword(fl->v[i + len - 1].word)))
                as_name = 0;
            int joined_name = compounds && !typed_phrase && as_name &&
                              tg_lexicon_known_name(c->rdb, joined.data);
            if (len > 1 && !typed_phrase && as_name &&
                (joined_name || tg_lexicon_known_name(c->rdb, key.data) ||
                 (c->caseless && c->nwords <= SHORT_QUERY_WORDS && typed_capitalised(c, fl, i, len) &&
                  phrase_count(c, key.data, CASELESS_NAME_MIN) >= CASELESS_NAME_MIN))) {
                xc_query *q = span_phrase(c, fl, i, i + len, XC_OP_PHRASE, (uint32_t)len);
                if (compounds)
                    q = or_form(c, q, joined.data, (uint32_t)len);
                xc_query *near = span_phrase(c, fl, i, i + len, XC_OP_NEAR, (uint32_t)len + 4);
                xc_query *near_scaled = near ? xc_query_scale(near, NAME_NEAR_WEIGHT) : NULL;
                xc_query_free(near);
                qlist_push(c, extra, near_scaled);
                if (q) {
                    qlist_push(c, extra, q);
                    name = 1;
                    /* The name counts as a unit: its words alone weigh less. */
                    for (size_t k = i; k < i + len; k++)
                        scale_loose(c, fl, k, extra);
                    tg_buf note = { 0 };
                    tg_buf_printf(&note, "\"%s\" as one name", raw.data);
                    add_note(c, tg_buf_str(&note));
                    tg_buf_free(&note);
                    for (size_t k = i; k + 1 < i + len; k++)
                        c->plan->groups[fl->v[k].group].phrase_next = 1;
                }
            }
            if (a.matched || name)
                for (size_t k = i; k < i + len; k++)
                    fl->v[k].used = 1;
        }
        if (len == 1)
            break;
    }
    tg_buf_free(&key);
    tg_buf_free(&raw);
    tg_buf_free(&joined);
}

/* ---- stopwords ------------------------------------------------------------------------ */

/* English function words, sorted for bsearch. Dropped only from long
 * queries, where they are grammar ("what articles deal with ..."); a
 * short query keeps every word ("The Who", "to be or not to be"). */
static const char *const stopwords[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "down", "during",
    "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "let", "may", "me", "might", "more", "most", "must", "my", "myself", "no", "nor",
    "not", "of", "off", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves",
    "out", "over", "own", "same", "shall", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your", "yours", "yourself", "yourselves",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_stopword(const char *w)
{
    return bsearch(&w, stopwords, sizeof stopwords / sizeof *stopwords, sizeof *stopwords,
                   cmp_str) != NULL;
}

/* Words of a request, not of its topic ("I am interested in articles
 * discussing ..."), sorted. Dropped with the stopwords from long queries
 * only: rare in articles, they would otherwise weigh like topic words.
 * Left in: words that are often the topic too ("information",
 * "documents", "papers" in a library archive). */
static const char *const request_words[] = {
    "anything", "articles", "concerning", "describing", "description", "descriptions",
    "discuss", "discussing", "discussion", "especially", "find", "interested", "like",
    "particularly", "please", "receive", "regarding", "seeking", "want", "wish",
};

static int is_request_word(const char *w)
{
    return bsearch(&w, request_words, sizeof request_words / sizeof *request_words,
                   sizeof *request_words, cmp_str) != NULL;
}

/* English stems of stopwords that are not stopwords themselves. */
static const char *const stopword_stems[] = {
    "abov", "ani", "becaus", "befor", "doe", "dure", "onc", "onli", "ourselv", "themselv",
    "veri", "whi", "yourselv",
};

int tg_is_stopword_stem(const char *stem)
{
    return is_stopword(stem) ||
           bsearch(&stem, stopword_stems, sizeof stopword_stems / sizeof *stopword_stems,
                   sizeof *stopword_stems, cmp_str) != NULL;
}

/* Should this top-level clause be left out as a stopword? */
static int drop_clause(const qctx *c, const tg_qnode *n)
{
    return c->drop_stopwords && n->kind == TG_Q_TERM && n->mod == TG_QM_NONE &&
           n->field == TG_QF_ANY && (is_stopword(n->words[0]) || is_request_word(n->words[0]));
}

/* ---- the whole query --------------------------------------------------------------- */

static int query_is_shouting(const tg_qtree *t)
{
    int letters = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tg_qnode *n = t->nodes[i];
        for (size_t w = 0; w < n->nwords; w++) {
            const char *raw = n->raw ? n->raw[w] : NULL;
            if (!raw)
                continue;
            utf8proc_int32_t cp;
            for (const char *p = raw; *p;) {
                utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
                if (k <= 0)
                    break;
                p += k;
                if (utf8proc_islower(cp))
                    return 0;
                if (utf8proc_isupper(cp))
                    letters++;
            }
        }
    }
    /* "KH" alone is a name, not shouting. */
    return letters > 0 && t->n > 1;
}

/* ---- weights of a long query's words ---------------------------------------------- */

/* A word of a long query that gets a weight: its idf, burstiness and
 * clause in the optional list. */
typedef struct keyword {
    double idf, burst;
    size_t opt;
} keyword;

/* How often the articles that have word's stem repeat it: (cf + 1) /
 * (df + 1), 1 for a stem the archive lacks (the ones keep one article's
 * repetitions of a rare word from counting as a topic). */
static double burstiness(qctx *c, const char *word)
{
    size_t sl;
    const char *stem = tg_stem(c->stemmer, word, strlen(word), &sl);
    char *s = stem ? strndup(stem, sl) : NULL;
    char *t = s ? join3(TG_PFX_STEM, "", s) : NULL;
    free(s);
    if (!t) {
        oom(c);
        return 1.0;
    }
    uint32_t df = xc_rdb_termfreq(c->rdb, t);
    uint64_t cf = df ? xc_rdb_collfreq(c->rdb, t) : 0;
    free(t);
    return df ? ((double)cf + 1.0) / ((double)df + 1.0) : 1.0;
}

/* Scales the optional clauses of kw[0..n) by their weight relative to the
 * others (tg_qweights); the weights' mean stays near 1, so the query's
 * scale, which feedback and passage evidence are measured against, holds. */
static void weigh_keywords(qctx *c, const tg_qweights *qw, const keyword *kw, size_t n,
                           qlist *opt)
{
    if (!qw || n < 2 || (qw->idf_power == 0 && qw->burst_power == 0))
        return;
    double idf = 0, lburst = 0;
    for (size_t k = 0; k < n; k++) {
        idf += kw[k].idf;
        lburst += log(kw[k].burst);
    }
    idf /= (double)n;
    double burst = exp(lburst / (double)n);
    for (size_t k = 0; k < n && !c->st; k++) {
        double f = pow(kw[k].idf / idf, qw->idf_power) * pow(kw[k].burst / burst, qw->burst_power);
        xc_query *q = opt->q[kw[k].opt];
        xc_query *scaled = xc_query_scale(q, f);
        if (!scaled) {
            oom(c);
            return;
        }
        xc_query_free(q);
        opt->q[kw[k].opt] = scaled;
    }
}

static xc_query *combine(qctx *c, xc_op op, qlist *l)
{
    xc_query *q = NULL;
    if (l->n == 1) {
        q = l->q[0];
        l->n = 0;
    } else if (l->n > 1) {
        q = xc_query_combine(op, l->q, l->n, 0);
        if (!q)
            oom(c);
    }
    qlist_free(l);
    return q;
}

static xc_query *pair(qctx *c, xc_op op, xc_query *a, xc_query *b)
{
    if (!a || !b) {
        xc_query_free(a);
        xc_query_free(b);
        return NULL;
    }
    xc_query *v[2] = { a, b };
    xc_query *q = xc_query_combine(op, v, 2, 0);
    xc_query_free(a);
    xc_query_free(b);
    if (!q)
        oom(c);
    return q;
}

tg_status tg_plan_build(xc_rdb *rdb, tg_stemmer *stemmer, tg_spell_memo *memo,
                        const tg_qtree *tree, int flags, const tg_qweights *qw,
                        tg_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    size_t nwords = 0;
    for (size_t i = 0; i < tree->n; i++)
        nwords += tree->nodes[i]->kind == TG_Q_OR ? tree->nodes[i]->nkids : tree->nodes[i]->nwords;
    uint64_t failures0 = xc_rdb_failures(rdb);
    qctx c = { rdb, stemmer, query_is_shouting(tree), nwords, xc_rdb_doccount(rdb),
               (flags & TG_PLAN_ENTITIES) != 0, (flags & TG_PLAN_FORMS) != 0, 0, 0, 0, plan, TG_OK,
               failures0, memo, 0, 0, 0 };
    c.literal = (flags & TG_PLAN_LITERAL) != 0;
    c.title_forms = c.forms_table && (flags & TG_PLAN_TITLE_FORMS) != 0;
    /* read before the words are resolved: their spellings depend on it */
    c.caseless = c.entities && tg_lexicon_caseless(rdb);
    /* Families widen a description, not what was typed: a short query's
     * words are the article's own (known-item MAP of 2-3 words fell by up
     * to 0.024 with families). */
    c.family = qw && nwords > SHORT_QUERY_WORDS ? qw->family : 0;
    c.family_own = qw ? qw->family_own : 0;
    /* Long queries lose their stopwords, unless nothing else is left. */
    if (nwords > SHORT_QUERY_WORDS && strcmp(tg_stemmer_lang(stemmer), "english") == 0) {
        c.drop_stopwords = 1;
        size_t kept = 0;
        for (size_t i = 0; i < tree->n; i++)
            kept += !drop_clause(&c, tree->nodes[i]);
        c.drop_stopwords = kept > 0;
    }
    qlist req = { 0 }, opt = { 0 }, exc = { 0 }, flt = { 0 };
    flatlist fl = { 0 };
    uint32_t pos = 0;
    /* The plain words of a long query, weighed against each other. */
    int weigh = c.drop_stopwords && qw && (qw->idf_power != 0 || qw->burst_power != 0);
    keyword *kw = weigh ? calloc(tree->n, sizeof *kw) : NULL;
    size_t nkw = 0;
    if (weigh && !kw)
        oom(&c);
    int dropped_of = 0;
    char dropped_conn = 0;
    for (size_t i = 0; i < tree->n && !plan_failed(&c); i++) {
        const tg_qnode *n = tree->nodes[i];
        if (drop_clause(&c, n)) {
            dropped_of = strcmp(n->words[0], "of") == 0;
            dropped_conn = is_connector(n->words[0]) ? n->words[0][0] : 0;
            continue;
        }
        size_t flat_before = fl.n;
        int positive = n->mod != TG_QM_EXCLUDE;
        int plain = n->mod == TG_QM_NONE && n->field == TG_QF_ANY &&
                    (n->kind == TG_Q_TERM || n->kind == TG_Q_PHRASE);
        size_t groups0 = plan->ngroups;
        xc_query *q = node_query(&c, n, positive, &pos, plain && c.entities ? &fl : NULL);
        if (kw && q && plain && n->kind == TG_Q_TERM && n->nwords == 1 &&
            plan->ngroups == groups0 + 1 && !has_digit(n->words[0])) {
            kw[nkw].idf = plan->groups[groups0].idf;
            kw[nkw].burst = burstiness(&c, n->words[0]);
            kw[nkw++].opt = opt.n;   /* q goes there next */
        }
        if (fl.n > flat_before) {
            fl.v[flat_before].after_of = dropped_of;
            fl.v[flat_before].conn_before = dropped_conn;
        }
        dropped_of = 0;
        dropped_conn = 0;
        if (n->kind == TG_Q_DATE)
            qlist_push(&c, n->mod == TG_QM_EXCLUDE ? &exc : &flt, q);
        else if (n->mod == TG_QM_REQUIRE || n->field == TG_QF_ID)
            qlist_push(&c, &req, q);
        else if (n->mod == TG_QM_EXCLUDE)
            qlist_push(&c, &exc, q);
        else {
            qlist_push(&c, &opt, q);
            if (plain && n->kind == TG_Q_TERM && fl.n && q && opt.n)
                fl.v[fl.n - 1].opt_index = (long)opt.n - 1;
        }
        /* a break in the run of plain words: aliases and names do not span it */
        if (!plain && fl.n && fl.v[fl.n - 1].group != (size_t)-1) {
            resolved none = { 0 };
            tg_qnode dummy = { 0 };
            char *w[1] = { "" };
            dummy.words = w;
            dummy.nwords = 1;
            remember(&c, &fl, &dummy, 0, (size_t)-1, &none, 0);
        }
    }
    if (!plan_failed(&c))
        weigh_keywords(&c, qw, kw, nkw, &opt);
    free(kw);
    if (!plan_failed(&c) && c.entities)
        match_spans(&c, &fl, &opt);
    for (size_t i = 0; i < fl.n; i++)
        resolved_free(&fl.v[i].r);
    free(fl.v);

    xc_query *q = NULL;
    if (!plan_failed(&c)) {
        xc_query *r = combine(&c, XC_OP_AND, &req);
        xc_query *o = combine(&c, XC_OP_OR, &opt);
        q = r && o ? pair(&c, XC_OP_AND_MAYBE, r, o) : r ? r : o;
        /* only a date filter, or only words to leave out: every article
         * in range, or every article without them ("-iraq" is a browse
         * of the rest, as "2015..2016" is one of a span) */
        if (!q && (flt.n || exc.n))
            q = xc_query_match_all();
        if (q && exc.n)
            q = pair(&c, XC_OP_AND_NOT, q, combine(&c, XC_OP_OR, &exc));
        if (q && flt.n)
            q = pair(&c, XC_OP_FILTER, q, combine(&c, XC_OP_AND, &flt));
    }
    qlist_free(&req);
    qlist_free(&opt);
    qlist_free(&exc);
    qlist_free(&flt);
    plan->query = q;
    /* Highlighting asks this of every word of a passage. */
    if (!c.st && !(plan->term_notes = tg_strmap_new()))
        c.st = TG_ERR_NOMEM;
    for (size_t g = 0; g < plan->ngroups && !c.st; g++)
        for (size_t t = 0; t < plan->groups[g].nterms && !c.st; t++) {
            const tg_gterm *x = &plan->groups[g].terms[t];
            size_t len = strlen(x->term);
            unsigned char b = (unsigned char)x->term[0];
            plan->note_lens |= 1ull << (len < 63 ? len : 63);
            plan->note_first[b >> 6] |= 1ull << (b & 63);
            if (!tg_strmap_get(plan->term_notes, x->term, len))
                c.st = tg_strmap_add(plan->term_notes, x->term, len, (uint64_t)(x->note + 2), NULL);
        }
    if (plan_failed(&c)) {
        tg_plan_free(plan);
        return c.st;
    }
    return TG_OK;
}

void tg_plan_free(tg_plan *plan)
{
    if (!plan)
        return;
    xc_query_free(plan->query);
    for (size_t i = 0; i < plan->ngroups; i++) {
        for (size_t k = 0; k < plan->groups[i].nterms; k++)
            free(plan->groups[i].terms[k].term);
        free(plan->groups[i].terms);
        free(plan->groups[i].label);
    }
    free(plan->groups);
    for (size_t i = 0; i < plan->nnotes; i++)
        free(plan->notes[i]);
    free(plan->notes);
    for (size_t i = 0; i < plan->nused; i++) {
        free(plan->used[i].raw);
        free(plan->used[i].fix);
    }
    free(plan->used);
    for (size_t i = 0; i < plan->nfixes; i++) {
        free(plan->fixes[i].raw);
        free(plan->fixes[i].fix);
    }
    free(plan->fixes);
    for (size_t i = 0; i < plan->naliases; i++)
        free(plan->aliases[i]);
    free(plan->aliases);
    tg_strmap_free(plan->term_notes);
    memset(plan, 0, sizeof *plan);
}

int tg_plan_term_note(const tg_plan *plan, const char *term, size_t len)
{
    unsigned char b = len ? (unsigned char)term[0] : 0;
    if (!(plan->note_lens >> (len < 63 ? len : 63) & 1) || !(plan->note_first[b >> 6] >> (b & 63) & 1))
        return -2;
    uint64_t v = plan->term_notes ? tg_strmap_get(plan->term_notes, term, len) : 0;
    return v ? (int)v - 2 : -2;
}
