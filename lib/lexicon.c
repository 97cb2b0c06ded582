/* lexicon.c - names, aliases and spelling words learnt while indexing. */
#include "tg_lexicon.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_buf.h"
#include "tg_hash.h"
#include "tg_entity.h"
#include "tg_schema.h"
#include "tg_spelling.h"
#include "tg_strmap.h"

/* A word must have this many consonants to have variants at all (see
 * tg_translit_variant), so shorter names are not recorded. */
#define VARIANT_MIN_CONSONANTS 3
/* Spelling data takes words of at least this length, seen at least this
 * often in one commit batch. */
#define SPELLING_MIN_LEN 4
#define SPELLING_MIN_COUNT 2
/* The words whose stem and sound entries this run has written, and the
 * name, variant and alias entries it has written: two Bloom filters of
 * 2^25 bits (4 MiB each, whatever the vocabulary; 4 probes), so that each
 * is written once per run rather than once per commit batch. A false
 * "already written" leaves an entry out: about 1 in 50,000 at a million
 * distinct entries, 1 in 100 at three million. A set of the entries grew
 * with the archive (peak RSS passed 256 MiB at about 100,000 articles). */
#define FILED_BITS (1u << 25)
#define FILED_PROBES 4

struct tg_lexicon {
    tg_strmap *pending;   /* synonym-table entries "key\tvalue" to write */
    uint64_t *written;    /* Bloom filter of synonym entries written (FILED_BITS) */
    tg_strmap *spelling;  /* word -> occurrences since the last flush */
    tg_buf scratch;
    tg_entscan *scan;     /* for tokens fed by the indexer */
    uint64_t capitalised, all_caps, words;   /* since the last flush */
    uint64_t *filed;      /* Bloom filter of filed words (FILED_BITS) */
    /* A flush's synonym entries, "key\0value\0" records at offsets
     * syn_at[0..syn_n), written in key order: Xapian reads, merges and
     * recompresses a synonym entry each time add_synonym moves to another
     * key, and the maps hand keys out in hash order, which made that once
     * per value (1.8 billion of the indexer's instructions on 3,000
     * articles, mostly zlib resetting its state; callgrind). */
    tg_buf syn;
    size_t *syn_at, syn_n, syn_cap;
    tg_status st;
};

tg_lexicon *tg_lexicon_new(void)
{
    tg_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->pending = tg_strmap_new();
    lx->written = calloc(FILED_BITS / 64, sizeof *lx->written);
    lx->spelling = tg_strmap_new();
    lx->scan = tg_entscan_new();
    lx->filed = calloc(FILED_BITS / 64, sizeof *lx->filed);
    if (!lx->pending || !lx->written || !lx->spelling || !lx->scan || !lx->filed) {
        tg_lexicon_free(lx);
        return NULL;
    }
    return lx;
}

void tg_lexicon_free(tg_lexicon *lx)
{
    if (!lx)
        return;
    tg_strmap_free(lx->pending);
    free(lx->written);
    tg_strmap_free(lx->spelling);
    tg_entscan_free(lx->scan);
    tg_buf_free(&lx->scratch);
    tg_buf_free(&lx->syn);
    free(lx->syn_at);
    free(lx->filed);
    free(lx);
}

/* Bloom filters of FILED_BITS bits: is key[0..len) (probably) in bits;
 * mark it; mark it and say whether it was. */
static int bloom_probe(uint64_t *bits, const char *key, size_t len, int mark)
{
    uint64_t h = tg_hash64(key, len), step = tg_hash64_mix(h) | 1;
    int seen = 1;
    for (int i = 0; i < FILED_PROBES; i++) {
        uint32_t bit = (uint32_t)((h + (uint64_t)i * step) & (FILED_BITS - 1));
        uint64_t m = (uint64_t)1 << (bit & 63);
        seen &= (bits[bit >> 6] & m) != 0;
        if (mark)
            bits[bit >> 6] |= m;
    }
    return seen;
}
static int bloom_has(uint64_t *bits, const char *key, size_t len) { return bloom_probe(bits, key, len, 0); }
static void bloom_mark(uint64_t *bits, const char *key, size_t len) { bloom_probe(bits, key, len, 1); }
static int filed_before(tg_lexicon *lx, const char *key, size_t len)
{
    return bloom_probe(lx->filed, key, len, 1);
}

/* Queues key -> value unless it was written before in this run. */
static void queue(tg_lexicon *lx, const char *prefix, const char *key, const char *value)
{
    tg_buf *b = &lx->scratch;
    tg_buf_clear(b);
    if (tg_buf_puts(b, prefix) || tg_buf_puts(b, key) || tg_buf_putc(b, '\t') ||
        tg_buf_puts(b, value)) {
        lx->st = TG_ERR_NOMEM;
        return;
    }
    /* Xapian terms are at most 245 bytes; longer keys are noise anyway. */
    if (strlen(prefix) + strlen(key) > 200 || strlen(value) > 200)
        return;
    if (bloom_has(lx->written, b->data, b->len))
        return;
    if (tg_strmap_add(lx->pending, b->data, b->len, 1, NULL))
        lx->st = TG_ERR_NOMEM;
}

static int alphabetic(const char *s)
{
    for (; *s; s++)
        if (*s < 'a' || *s > 'z')
            return 0;
    return 1;
}

static int on_name(const tg_name *nm, void *ud)
{
    tg_lexicon *lx = ud;
    if (nm->nwords > 1) {
        if (nm->nwords <= 6)
            queue(lx, TG_SYN_NAME, nm->key, "n");
    } else if (!nm->sentence_start && !nm->acronym && alphabetic(nm->key)) {
        char skel[TG_TRANSLIT_KEY_MAX];
        if (tg_translit_key(nm->key, skel) >= VARIANT_MIN_CONSONANTS)
            queue(lx, TG_SYN_VARIANT, skel, nm->key);
    }
    /* Words of multi-word names are names too ("Hezbollah" in "Kataib
     * Hezbollah"), so they get variants. */
    if (nm->nwords > 1) {
        const char *w = nm->key;
        while (*w) {
            const char *e = strchr(w, ' ');
            size_t n = e ? (size_t)(e - w) : strlen(w);
            char word[TG_TRANSLIT_KEY_MAX], skel[TG_TRANSLIT_KEY_MAX];
            if (n >= 4 && n < sizeof word) {
                memcpy(word, w, n);
                word[n] = '\0';
                if (alphabetic(word) && tg_translit_key(word, skel) >= VARIANT_MIN_CONSONANTS)
                    queue(lx, TG_SYN_VARIANT, skel, word);
            }
            w += n;
            while (*w == ' ')
                w++;
        }
    }
    return lx->st != TG_OK;
}

static int on_alias(const char *shortform, const char *longform, tg_alias_kind kind, void *ud)
{
    tg_lexicon *lx = ud;
    char there[3] = { (char)kind, ':', 0 };
    char back[3] = { kind == TG_ALIAS_ACRONYM ? 'l' : kind == TG_ALIAS_FRONT ? 'p' : (char)kind,
                     ':', 0 };
    tg_buf v = { 0 };
    if (tg_buf_puts(&v, there) || tg_buf_puts(&v, longform)) {
        lx->st = TG_ERR_NOMEM;
    } else {
        queue(lx, TG_SYN_ALIAS, shortform, v.data);
        tg_buf_clear(&v);
        if (tg_buf_puts(&v, back) || tg_buf_puts(&v, shortform))
            lx->st = TG_ERR_NOMEM;
        else
            queue(lx, TG_SYN_ALIAS, longform, v.data);
    }
    tg_buf_free(&v);
    return lx->st != TG_OK;
}

void tg_lexicon_learn_begin(tg_lexicon *lx, const char *body, size_t len)
{
    tg_entscan_begin(lx->scan, body, len);
}

tg_entscan *tg_lexicon_scanner(tg_lexicon *lx) { return lx->scan; }

tg_status tg_lexicon_learn_end(tg_lexicon *lx)
{
    tg_entscan_case(lx->scan, &lx->capitalised, &lx->all_caps, &lx->words);
    tg_status st = tg_entscan_finish(lx->scan, on_name, on_alias, lx);
    return st ? st : lx->st;
}

tg_status tg_lexicon_word(tg_lexicon *lx, const char *term, size_t len)
{
    if (len < 3 || len > 40)
        return TG_OK;
    for (size_t i = 0; i < len; i++)
        if (isdigit((unsigned char)term[i]))
            return TG_OK;
    return tg_strmap_add(lx->spelling, term, len, 1, NULL);
}

/* Queues the synonym entry key -> value for this flush (syn_write). */
static xc_status syn_put(tg_lexicon *lx, const char *key, const char *value)
{
    if (TG_ARRAY_RESERVE(lx->syn_at, lx->syn_cap, lx->syn_n + 1))
        return XC_ERR_NOMEM;
    size_t at = lx->syn.len;
    if (tg_buf_append(&lx->syn, key, strlen(key) + 1) ||
        tg_buf_append(&lx->syn, value, strlen(value) + 1))
        return XC_ERR_NOMEM;
    lx->syn_at[lx->syn_n++] = at;
    return XC_OK;
}

static int syn_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = strcmp(x, y);
    return c ? c : strcmp(x + strlen(x) + 1, y + strlen(y) + 1);
}

/* Writes the queued entries in key order and forgets them. */
static xc_status syn_write(tg_lexicon *lx, xc_wdb *db)
{
    xc_status xs = XC_OK;
    if (lx->syn_n) {
        /* Offsets become pointers only now: the buffer moved as it grew. */
        const char **rec = malloc(lx->syn_n * sizeof *rec);
        if (!rec)
            return XC_ERR_NOMEM;
        for (size_t i = 0; i < lx->syn_n; i++)
            rec[i] = lx->syn.data + lx->syn_at[i];
        qsort(rec, lx->syn_n, sizeof *rec, syn_cmp);
        for (size_t i = 0; i < lx->syn_n && !xs; i++)
            if (!i || syn_cmp(&rec[i - 1], &rec[i]))
                xs = xc_wdb_add_synonym(db, rec[i], rec[i] + strlen(rec[i]) + 1);
        free(rec);
    }
    if (!xs) {
        tg_buf_clear(&lx->syn);
        lx->syn_n = 0;
    }
    return xs;
}

typedef struct flush_ctx {
    tg_lexicon *lx;
    xc_wdb *db;
    tg_stemmer *stemmer;
    xc_status xs;
} flush_ctx;

static int flush_entry(const char *key, size_t len, uint64_t count, void *ud)
{
    flush_ctx *f = ud;
    const char *tab = memchr(key, '\t', len);
    if (!tab)
        return 0;
    /* A word is a name when it is written with a capital at least half the
     * times it appears (in this batch): "Gallon" at the start of a headline
     * does not make "gallon" a name. */
    size_t plen = strlen(TG_SYN_VARIANT);
    if (len > plen && memcmp(key, TG_SYN_VARIANT, plen) == 0) {
        const char *word = tab + 1;
        uint64_t total = tg_strmap_get(f->lx->spelling, word, len - (size_t)(word - key));
        if (total > count * 2)
            return 0;
    }
    char *k = strndup(key, (size_t)(tab - key));
    if (!k) {
        f->xs = XC_ERR_NOMEM;
        return 1;
    }
    f->xs = syn_put(f->lx, k, tab + 1);
    free(k);
    if (!f->xs)
        bloom_mark(f->lx->written, key, len);
    return f->xs != XC_OK;
}

static int flush_word(const char *key, size_t len, uint64_t count, void *ud)
{
    flush_ctx *f = ud;
    /* Every word of the run under its stem and its sound keys, once: the
     * entries are sets in Xapian, and writing them again each batch cost
     * the indexer a billion instructions on 3,000 articles (callgrind).
     * A fixed filter remembers the words filed; a set of them would grow
     * with the vocabulary (peak RSS 218 -> 237 MiB on news.jsonl). */
    int filed = filed_before(f->lx, key, len);
    /* Both tables are written one member per key (XC_SYN_MEMBER): Xapian
     * compresses every synonym entry over 18 bytes, and zlib clears 128
     * KiB of state for each: 3,139 of the 6,455 entries learning had
     * compressed on 3,000 news articles, 0.47 of its 1.65 billion added
     * instructions (callgrind). */
    if (f->stemmer && !filed) {
        size_t sl;
        const char *stem = tg_stem(f->stemmer, key, len, &sl);
        if (!stem) {
            f->xs = XC_ERR_NOMEM;
            return 1;
        }
        tg_buf *b = &f->lx->scratch;
        tg_buf_clear(b);
        if (tg_buf_puts(b, TG_SYN_FORM) || tg_buf_append(b, stem, sl) ||
            tg_buf_puts(b, XC_SYN_MEMBER) || tg_buf_append(b, key, len)) {
            f->xs = XC_ERR_NOMEM;
            return 1;
        }
        if ((f->xs = syn_put(f->lx, b->data, "")))
            return 1;
    }
    /* And under its sound keys, where the searcher finds the archive's
     * spellings of a word typed (tg_spelling.h). */
    char word[64], sk[2][TG_SOUND_KEY_MAX];
    int nk = 0;
    if (len < sizeof word && !filed) {
        memcpy(word, key, len);
        word[len] = '\0';
        nk = tg_sound_keys(word, sk[0], sk[1]);
    }
    for (int i = 0; i < nk; i++) {
        tg_buf *b = &f->lx->scratch;
        tg_buf_clear(b);
        if (tg_buf_puts(b, TG_SYN_SOUND) || tg_buf_puts(b, sk[i]) ||
            tg_buf_puts(b, XC_SYN_MEMBER) || tg_buf_puts(b, word)) {
            f->xs = XC_ERR_NOMEM;
            return 1;
        }
        if ((f->xs = syn_put(f->lx, b->data, "")))
            return 1;
    }
    /* Words met once in a batch are mostly typos and noise themselves, and
     * each new word costs Xapian a set of trigram entries: leave them out. */
    if (count < SPELLING_MIN_COUNT || len < SPELLING_MIN_LEN)
        return 0;
    f->xs = xc_wdb_add_spelling(f->db, key, (unsigned)(count > 1000000 ? 1000000 : count));
    return f->xs != XC_OK;
}

/* Adds the batch's case counts to the database's (TG_META_CASE). */
static xc_status flush_case(tg_lexicon *lx, xc_wdb *db)
{
    if (!lx->words)
        return XC_OK;
    char *old = NULL;
    size_t len = 0;
    xc_status xs = xc_wdb_get_metadata(db, TG_META_CASE, &old, &len);
    unsigned long long cap = 0, caps = 0, words = 0;
    if (!xs && old && sscanf(old, "%llu %llu %llu", &cap, &caps, &words) != 3)
        cap = caps = words = 0;
    free(old);
    if (xs)
        return xs;
    char v[80];
    int n = snprintf(v, sizeof v, "%llu %llu %llu", cap + lx->capitalised, caps + lx->all_caps,
                     words + lx->words);
    xs = xc_wdb_set_metadata(db, TG_META_CASE, v, (size_t)n);
    if (!xs)
        lx->capitalised = lx->all_caps = lx->words = 0;
    return xs;
}

xc_status tg_lexicon_flush(tg_lexicon *lx, xc_wdb *db, tg_stemmer *stemmer)
{
    flush_ctx f = { lx, db, stemmer, XC_OK };
    f.xs = flush_case(lx, db);
    if (!f.xs)
        tg_strmap_each(lx->pending, flush_entry, &f);
    if (!f.xs)
        tg_strmap_each(lx->spelling, flush_word, &f);
    if (!f.xs)
        f.xs = syn_write(lx, db);
    if (!f.xs) {
        tg_strmap_clear(lx->pending);
        tg_strmap_clear(lx->spelling);
    }
    return f.xs;
}

/* ---- lookups --------------------------------------------------------------- */

typedef struct syn_walk {
    tg_lex_cb cb;
    void *ud;
    const char *word;     /* variants: the word compared against */
    int found;
} syn_walk;

static int on_variant_syn(const char *term, size_t len, uint32_t tf, void *ud)
{
    syn_walk *w = ud;
    (void)tf;
    char buf[TG_TRANSLIT_KEY_MAX * 2];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, term, len);
    buf[len] = '\0';
    if (tg_translit_variant(w->word, buf))
        return w->cb(buf, w->ud);
    return 0;
}

static char *join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);
    if (s) {
        memcpy(s, a, na);
        memcpy(s + na, b, nb + 1);
    }
    return s;
}

xc_status tg_lexicon_variants(xc_rdb *db, const char *word, tg_lex_cb cb, void *ud)
{
    char skel[TG_TRANSLIT_KEY_MAX];
    if (tg_translit_key(word, skel) < VARIANT_MIN_CONSONANTS)
        return XC_OK;
    char *key = join(TG_SYN_VARIANT, skel);
    if (!key)
        return XC_ERR_NOMEM;
    syn_walk w = { cb, ud, word, 0 };
    xc_status xs = xc_rdb_synonyms(db, key, on_variant_syn, &w);
    free(key);
    return xs;
}

static int on_exact(const char *term, size_t len, uint32_t tf, void *ud)
{
    syn_walk *w = ud;
    (void)tf;
    if (strlen(w->word) == len && memcmp(term, w->word, len) == 0) {
        w->found = 1;
        return 1;
    }
    return 0;
}

int tg_lexicon_is_name(xc_rdb *db, const char *word)
{
    char skel[TG_TRANSLIT_KEY_MAX];
    if (tg_translit_key(word, skel) < VARIANT_MIN_CONSONANTS)
        return 0;
    char *key = join(TG_SYN_VARIANT, skel);
    if (!key)
        return 0;
    syn_walk w = { NULL, NULL, word, 0 };
    xc_rdb_synonyms(db, key, on_exact, &w);
    free(key);
    return w.found;
}

static int on_any(const char *term, size_t len, uint32_t tf, void *ud)
{
    (void)term, (void)len, (void)tf;
    *(int *)ud = 1;
    return 1;
}

int tg_lexicon_known_name(xc_rdb *db, const char *name)
{
    char *key = join(TG_SYN_NAME, name);
    int found = 0;
    if (key)
        xc_rdb_synonyms(db, key, on_any, &found);
    free(key);
    return found;
}

static int on_alias_syn(const char *term, size_t len, uint32_t tf, void *ud)
{
    syn_walk *w = ud;
    (void)tf;
    char *s = strndup(term, len);
    if (!s)
        return 1;
    int rc = w->cb(s, w->ud);
    free(s);
    return rc;
}

xc_status tg_lexicon_aliases(xc_rdb *db, const char *form, tg_lex_cb cb, void *ud)
{
    char *key = join(TG_SYN_ALIAS, form);
    if (!key)
        return XC_ERR_NOMEM;
    syn_walk w = { cb, ud, form, 0 };
    xc_status xs = xc_rdb_synonyms(db, key, on_alias_syn, &w);
    free(key);
    return xs;
}

int tg_lexicon_has_names(xc_rdb *db)
{
    int found = 0;
    xc_rdb_synonym_keys(db, TG_SYN_NAME, on_any, &found);
    return found;
}

int tg_lexicon_caseless(xc_rdb *db)
{
    char *v = NULL;
    size_t len = 0;
    unsigned long long cap, caps, words;
    int known = !xc_rdb_get_metadata(db, TG_META_CASE, &v, &len) && v &&
                sscanf(v, "%llu %llu %llu", &cap, &caps, &words) == 3 && words >= 1000;
    free(v);
    if (!known)
        return !tg_lexicon_has_names(db);     /* older databases, tiny ones */
    /* Prose capitalises one word in ten or so; an all-lower archive next
     * to none, an all-capitals one most. */
    return cap * 100 < words || caps * 2 > words;
}
