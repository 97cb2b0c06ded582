/*
 * suggest.c - autocomplete of the archive's names and words.
 *
 * On first use (and when the database revision has changed since) the
 * searcher loads one sorted array of completions: the multi-word names
 * the indexer learnt (XM<name> keys of the synonym table) and the
 * unstemmed words of the vocabulary with their term frequency, leaving
 * out numbers, words of one or two letters, English stopwords and words
 * seen in one article only (typos, mostly). Keys are folded as the
 * tokenizer folds words, so a prefix folded the same way finds its range
 * by binary search. Ranking a range is names first, then by frequency:
 * for prefixes of one or two bytes, whose ranges are large, the best
 * SHORT_TOP of each are kept once computed; longer prefixes scan their
 * range with a bounded selection.
 *
 * Words the indexer saw written as names (its transliteration variants'
 * entries) are one-word names, ranked with the others.
 *
 * The index keeps names in folded form only, so a name is shown with each
 * word capitalised ("camp liberty" -> "Camp Liberty") except a few
 * particles; its frequency is that of its rarest word (an upper bound:
 * counting the phrase for every name would make loading slow).
 */
#include "search_ext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "tg_buf.h"
#include "tg_query.h"
#include "tg_schema.h"
#include "tg_text.h"

#define MIN_WORD_FREQ 2
#define SHORT_PREFIX 2      /* bytes: prefixes this short get a cache */
#define SHORT_TOP 32        /* completions cached per short prefix */
#define MAX_SUGGEST 1000

typedef struct entry {
    uint32_t key;        /* offset of the folded key in the arena */
    uint32_t show;       /* offset of the text shown */
    uint32_t freq;
    uint32_t is_name;
} entry;

typedef struct short_top {
    uint32_t *idx;       /* best entries of the prefix, ranked */
    uint32_t n;
    int done;
} short_top;

struct tg_suggest_data {
    uint64_t revision;
    char *arena;
    size_t arena_len, arena_cap;
    entry *v;
    size_t n, cap;
    /* per short prefix: index = the prefix's bytes, 1 byte -> [b], 2 ->
       [256 + b0 * 256 + b1] */
    short_top *top;
};

void tg_suggest_data_free(tg_suggest_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; d->top && i < 256 + 256 * 256; i++)
        free(d->top[i].idx);
    free(d->top);
    free(d->arena);
    free(d->v);
    free(d);
}

void tg_suggestions_free(tg_suggestion *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].text);
    free(v);
}

/* ---- loading -------------------------------------------------------------- */

typedef struct loader {
    tg_suggest_data *d;
    tg_stemmer *english;     /* NULL unless the archive is in English */
    int oom;
} loader;

static long arena_put(tg_suggest_data *d, const char *s, size_t len)
{
    if (d->arena_len + len + 1 > d->arena_cap) {
        size_t cap = d->arena_cap ? d->arena_cap * 2 : 1 << 16;
        while (cap < d->arena_len + len + 1)
            cap *= 2;
        if (cap > UINT32_MAX)
            return -1;
        char *a = realloc(d->arena, cap);
        if (!a)
            return -1;
        d->arena = a;
        d->arena_cap = cap;
    }
    long at = (long)d->arena_len;
    memcpy(d->arena + at, s, len);
    d->arena[at + len] = '\0';
    d->arena_len += len + 1;
    return at;
}

static int push(loader *l, const char *key, size_t klen, const char *show, size_t slen,
                uint32_t freq, int is_name)
{
    tg_suggest_data *d = l->d;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4096;
        entry *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            return l->oom = 1;
        d->v = v;
        d->cap = cap;
    }
    long k = arena_put(d, key, klen);
    long s = k < 0 ? -1 : show ? arena_put(d, show, slen) : k;
    if (s < 0)
        return l->oom = 1;
    d->v[d->n++] = (entry){ (uint32_t)k, (uint32_t)s, freq, (uint32_t)is_name };
    return 0;
}

/* Letters in the word (code points); a word of digits only counts 0. */
static size_t letters(const char *w, size_t len)
{
    size_t n = 0, digits = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)w[i];
        if ((c & 0xC0) != 0x80)
            n++;
        digits += c >= '0' && c <= '9';
    }
    return digits == n ? 0 : n;
}

static int on_word(const char *term, size_t len, uint32_t tf, void *ud)
{
    loader *l = ud;
    if (tf < MIN_WORD_FREQ || letters(term, len) < 3)
        return 0;
    if (l->english) {
        size_t sl;
        const char *stem = tg_stem(l->english, term, len, &sl);
        char buf[TG_MAX_TERM + 1];
        if (stem && sl <= TG_MAX_TERM) {
            memcpy(buf, stem, sl);
            buf[sl] = '\0';
            if (tg_is_stopword_stem(buf))
                return 0;
        }
    }
    return push(l, term, len, NULL, 0, tf, 0);
}

static int cmp_key(const tg_suggest_data *d, size_t a, size_t b)
{
    return strcmp(d->arena + d->v[a].key, d->arena + d->v[b].key);
}

/* Merges the two sorted runs [0, nw) (words) and [nw, n) (names) of
 * d->v. -1 on no memory. */
static int merge_runs(tg_suggest_data *d, size_t nw)
{
    entry *m = malloc((d->n ? d->n : 1) * sizeof *m);
    if (!m)
        return -1;
    size_t i = 0, j = nw, k = 0;
    while (i < nw || j < d->n)
        if (j == d->n || (i < nw && cmp_key(d, i, j) < 0))
            m[k++] = d->v[i++];
        else
            m[k++] = d->v[j++];
    free(d->v);
    d->v = m;
    d->cap = d->n;
    return 0;
}

/* Index of a folded word among the words loaded, or -1. */
static long word_index(const tg_suggest_data *d, size_t nwords, const char *w, size_t len)
{
    size_t lo = 0, hi = nwords;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *k = d->arena + d->v[mid].key;
        int c = strncmp(k, w, len);
        if (c == 0 && k[len])
            c = 1;
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Frequency of a folded word among the words loaded (0: not loaded). */
static uint32_t word_freq(const tg_suggest_data *d, size_t nwords, const char *w)
{
    long i = word_index(d, nwords, w, strlen(w));
    return i < 0 ? 0 : d->v[i].freq;
}

static int is_particle(const char *w, size_t n)
{
    static const char *const p[] = { "of", "the", "and", "for", "de", "la", "e", "y", "bin",
                                      "ibn", "van", "von", "der", "du", "del", "da" };
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        if (strlen(p[i]) == n && memcmp(p[i], w, n) == 0)
            return 1;
    return 0;
}

/* Short words that do belong in names ("Al Qaeda", "St Louis"). */
static int is_short_name_word(const char *w, size_t n)
{
    static const char *const p[] = { "al", "el", "st", "le", "abu", "mc" };
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        if (strlen(p[i]) == n && memcmp(p[i], w, n) == 0)
            return 1;
    return 0;
}

/* "camp liberty" -> "Camp Liberty" (malloc'd; NULL on no memory). */
static char *capitalise(const char *key, size_t len)
{
    tg_buf b = { 0 };
    size_t i = 0;
    int first = 1, oom = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && key[e] != ' ')
            e++;
        utf8proc_int32_t cp;
        utf8proc_ssize_t cl = utf8proc_iterate((const utf8proc_uint8_t *)key + i,
                                               (utf8proc_ssize_t)(e - i), &cp);
        if (cl > 0 && (first || !is_particle(key + i, e - i))) {
            utf8proc_uint8_t up[4];
            utf8proc_ssize_t ul = utf8proc_encode_char(utf8proc_toupper(cp), up);
            oom |= tg_buf_append(&b, (const char *)up, (size_t)ul) != TG_OK;
            oom |= tg_buf_append(&b, key + i + cl, e - i - (size_t)cl) != TG_OK;
        } else {
            oom |= tg_buf_append(&b, key + i, e - i) != TG_OK;
        }
        if (e < len)
            oom |= tg_buf_putc(&b, ' ') != TG_OK;
        first = 0;
        i = e + 1;
    }
    char *s = oom ? NULL : tg_buf_steal(&b);
    tg_buf_free(&b);
    return s;
}

typedef struct name_ctx {
    loader *l;
    size_t nwords;
    xc_rdb *db;
} name_ctx;

static int on_name(const char *term, size_t len, uint32_t tf, void *ud)
{
    (void)tf;
    name_ctx *c = ud;
    const char *key = term + strlen(TG_SYN_NAME);
    size_t klen = len - strlen(TG_SYN_NAME);
    if (!klen)
        return 0;
    /* Its rarest word's frequency (an upper bound on the name's). Names
     * with a stray letter or a repeated word are mostly the name scanner's
     * misreadings of headlines and initials ("C and F", "See B",
     * "Control Control"): left out. */
    uint32_t freq = UINT32_MAX;
    char w[TG_MAX_TERM + 1];
    const char *prev = NULL;
    size_t prevlen = 0;
    for (size_t i = 0; i < klen;) {
        size_t e = i;
        while (e < klen && key[e] != ' ')
            e++;
        if (e - i > TG_MAX_TERM || (letters(key + i, e - i) < 3 && !is_particle(key + i, e - i) &&
                                    !is_short_name_word(key + i, e - i)) ||
            (prev && prevlen == e - i && memcmp(prev, key + i, e - i) == 0))
            return 0;
        memcpy(w, key + i, e - i);
        w[e - i] = '\0';
        uint32_t f = word_freq(c->l->d, c->nwords, w);
        if (!f)
            f = xc_rdb_termfreq(c->db, w);
        if (f && f < freq)
            freq = f;
        prev = key + i;
        prevlen = e - i;
        i = e + 1;
    }
    if (freq == UINT32_MAX)
        freq = 0;
    char *show = capitalise(key, klen);
    if (!show)
        return c->l->oom = 1;
    int rc = push(c->l, key, klen, show, strlen(show), freq, 1);
    free(show);
    return rc;
}


/* One-word names: the words the indexer saw written as names (the XV
 * variant entries, tg_schema.h) are names here too, shown capitalised
 * ("iraq" -> "Iraq"), with their true article counts. */
static int on_name_word(const char *term, size_t len, uint32_t tf, void *ud)
{
    (void)tf;
    name_ctx *c = ud;
    long i = word_index(c->l->d, c->nwords, term, len);
    if (i < 0 || c->l->d->v[i].is_name)
        return 0;
    char *show = capitalise(term, len);
    long at = show ? arena_put(c->l->d, show, strlen(show)) : -1;
    free(show);
    if (at < 0)
        return c->l->oom = 1;
    c->l->d->v[i].show = (uint32_t)at;
    c->l->d->v[i].is_name = 1;
    return 0;
}

static int on_variant_key(const char *term, size_t len, uint32_t tf, void *ud)
{
    (void)tf;
    name_ctx *c = ud;
    char key[TG_MAX_TERM + 8];
    if (len >= sizeof key)
        return 0;
    memcpy(key, term, len);
    key[len] = '\0';
    if (xc_rdb_synonyms(c->db, key, on_name_word, c))
        return 1;
    return c->l->oom;
}

/* Walks the unprefixed (lower-case, digit or non-ASCII) terms. */
static xc_status load_words(xc_rdb *db, loader *l)
{
    char p[2] = { 0, 0 };
    for (int c = 1; c < 256; c++) {
        if (c >= 'A' && c <= 'Z')
            continue;            /* prefixed terms (Q, Z, S, XM ...) */
        if (c < '0' || (c > '9' && c < 'A') || (c > 'Z' && c < 'a') || (c > 'z' && c < 0xC2) ||
            c > 0xF4)
            continue;
        p[0] = (char)c;
        xc_status xs = xc_rdb_allterms(db, p, on_word, l);
        if (xs || l->oom)
            return xs;
    }
    return XC_OK;
}

static tg_status load(tg_searcher *s, uint64_t rev, tg_suggest_data **out)
{
    xc_rdb *db = tg_searcher_rdb(s);
    size_t errlen;
    char *err = tg_searcher_errbuf(s, &errlen);
    /* Reads that fail without a status (a name's frequency) or whose
     * status a callback cannot pass on (a name's variants) are counted on
     * the handle: a table missing them would be kept until the next
     * commit. */
    uint64_t failures0 = xc_rdb_failures(db);
    tg_suggest_data *d = calloc(1, sizeof *d);
    loader l = { d, NULL, d == NULL };
    if (d && strcmp(tg_searcher_lang(s), "english") == 0 && !(l.english = tg_stemmer_new("english")))
        l.oom = 1;
    xc_status xs = l.oom ? XC_OK : load_words(db, &l);
    name_ctx nc = { &l, d ? d->n : 0, db };
    if (!xs && !l.oom)
        xs = xc_rdb_synonym_keys(db, TG_SYN_VARIANT, on_variant_key, &nc);
    if (!xs && !l.oom)
        xs = xc_rdb_synonym_keys(db, TG_SYN_NAME, on_name, &nc);
    tg_stemmer_free(l.english);
    if (!xs && !l.oom && xc_rdb_failures(db) != failures0)
        xs = xc_rdb_last_failure(db, NULL);
    if (!xs && !l.oom && !(d->top = calloc(256 + 256 * 256, sizeof *d->top)))
        l.oom = 1;
    if (xs || l.oom) {
        tg_status st = xs ? tg_searcher_db_check(s, failures0) : TG_ERR_NOMEM;
        if (!st)    /* a status without a counted failure: not expected */
            st = TG_ERR_DB;
        if (!xs)
            snprintf(err, errlen, "out of memory");
        tg_suggest_data_free(d);
        return st;
    }
    /* Words and names each came sorted by key (Xapian's byte order, as
     * strcmp's): one merge sorts the whole. */
    if (merge_runs(d, nc.nwords)) {
        snprintf(err, errlen, "out of memory");
        tg_suggest_data_free(d);
        return TG_ERR_NOMEM;
    }
    d->revision = rev;
    *out = d;
    return TG_OK;
}

/* ---- answering ------------------------------------------------------------ */

/* Ranks a before b? */
static int better(const tg_suggest_data *d, uint32_t a, uint32_t b)
{
    const entry *x = &d->v[a], *y = &d->v[b];
    if (x->is_name != y->is_name)
        return x->is_name > y->is_name;
    if (x->freq != y->freq)
        return x->freq > y->freq;
    /* Equal counts: the longer name first ("Camp Liberty" before "Camp",
     * whose count it shares because that is where the word stands). */
    int xl = strchr(d->arena + x->key, ' ') != NULL, yl = strchr(d->arena + y->key, ' ') != NULL;
    if (xl != yl)
        return xl > yl;
    return cmp_key(d, a, b) < 0;
}

/* The best k of the entries [lo, hi) into out (ranked), by insertion into
 * a sorted array of at most k: k is small. Returns how many. */
static size_t select_top(const tg_suggest_data *d, size_t lo, size_t hi, uint32_t *out, size_t k)
{
    size_t n = 0;
    for (size_t i = lo; i < hi && k; i++) {
        if (n == k && !better(d, (uint32_t)i, out[n - 1]))
            continue;
        size_t j = n < k ? n++ : n - 1;
        while (j > 0 && better(d, (uint32_t)i, out[j - 1])) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = (uint32_t)i;
    }
    return n;
}

/* [lo, hi): the entries whose key starts with p[0..n). */
static void prefix_range(const tg_suggest_data *d, const char *p, size_t n, size_t *lo,
                         size_t *hi)
{
    size_t a = 0, b = d->n;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (strncmp(d->arena + d->v[mid].key, p, n) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    b = d->n;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (strncmp(d->arena + d->v[mid].key, p, n) <= 0)
            a = mid + 1;
        else
            b = mid;
    }
    *hi = a;
}

typedef struct fold_ctx {
    tg_buf b;
    size_t end;          /* end of the last token in the prefix */
    int oom;
} fold_ctx;

static int on_fold(const tg_token *tok, void *ud)
{
    fold_ctx *f = ud;
    if ((f->b.len && tg_buf_putc(&f->b, ' ')) || tg_buf_append(&f->b, tok->term, tok->len))
        return f->oom = 1;
    f->end = tok->end;
    return 0;
}

tg_status tg_suggest(tg_searcher *s, const char *prefix, unsigned max, tg_suggestion **out,
                     size_t *n)
{
    size_t errlen;
    char *err = tg_searcher_errbuf(s, &errlen);
    err[0] = '\0';
    *out = NULL;
    *n = 0;
    if (max > MAX_SUGGEST)
        max = MAX_SUGGEST;
    fold_ctx f = { { 0 }, 0, 0 };
    size_t plen = prefix ? strlen(prefix) : 0;
    if (tg_tokenize(prefix ? prefix : "", plen, on_fold, &f) || f.oom) {
        tg_buf_free(&f.b);
        snprintf(err, errlen, "out of memory");
        return TG_ERR_NOMEM;
    }
    /* "camp " asks for what follows camp, not for words starting camp */
    if (f.b.len && f.end < plen && strchr(" \t", prefix[plen - 1]))
        f.oom = tg_buf_putc(&f.b, ' ') != TG_OK;
    if (!f.b.len || !max || f.oom) {
        int oom = f.oom;
        tg_buf_free(&f.b);
        if (oom)
            snprintf(err, errlen, "out of memory");
        return oom ? TG_ERR_NOMEM : TG_OK;
    }
    tg_suggest_data **slot = tg_searcher_suggest_slot(s);
    uint64_t failures0 = xc_rdb_failures(tg_searcher_rdb(s));
    uint64_t rev = tg_searcher_revision(s);
    tg_status st = tg_searcher_db_check(s, failures0);
    if (st) {
        tg_buf_free(&f.b);
        return st;
    }
    if (*slot && (*slot)->revision != rev) {
        tg_suggest_data_free(*slot);
        *slot = NULL;
    }
    if (!*slot && (st = load(s, rev, slot))) {
        tg_buf_free(&f.b);
        return st;
    }
    tg_suggest_data *d = *slot;
    const char *p = f.b.data;
    size_t pl = f.b.len, lo, hi;
    prefix_range(d, p, pl, &lo, &hi);
    uint32_t *pick = NULL;
    size_t np = 0;
    short_top *top = NULL;
    if (pl <= SHORT_PREFIX && max <= SHORT_TOP) {
        size_t ti = pl == 1 ? (unsigned char)p[0]
                            : 256 + (size_t)(unsigned char)p[0] * 256 + (unsigned char)p[1];
        top = &d->top[ti];
        if (!top->done) {
            if (!(top->idx = malloc(SHORT_TOP * sizeof *top->idx)))
                st = TG_ERR_NOMEM;
            else {
                top->n = (uint32_t)select_top(d, lo, hi, top->idx, SHORT_TOP);
                top->done = 1;
            }
        }
        if (!st) {
            pick = top->idx;
            np = top->n < max ? top->n : max;
        }
    } else if (!(pick = malloc(max * sizeof *pick))) {
        st = TG_ERR_NOMEM;
    } else {
        np = select_top(d, lo, hi, pick, max);
    }
    tg_suggestion *v = st || !np ? NULL : calloc(np, sizeof *v);
    if (!st && np && !v)
        st = TG_ERR_NOMEM;
    for (size_t i = 0; !st && i < np; i++) {
        const entry *e = &d->v[pick[i]];
        if (!(v[i].text = strdup(d->arena + e->show)))
            st = TG_ERR_NOMEM;
        v[i].freq = e->freq;
        v[i].is_name = (int)e->is_name;
    }
    if (!top)
        free(pick);
    tg_buf_free(&f.b);
    if (st) {
        tg_suggestions_free(v, np);
        snprintf(err, errlen, "out of memory");
        return st;
    }
    *out = v;
    *n = np;
    return TG_OK;
}
