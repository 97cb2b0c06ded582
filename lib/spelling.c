/* spelling.c - one word's spellings across an archive (tg_spelling.h). */
#include "tg_spelling.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbcheck_int.h"
#include "tg_buf.h"
#include "tg_entity.h"
#include "tg_schema.h"
#include "tg_strmap.h"

/* ---- sounds ---------------------------------------------------------------- */

#define WORD_MAX 40

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Reads word as sounds: a digraph (kh ph th dh gh sh sch ch tch zh dj ck)
 * becomes one capital letter, x two sounds (k s), every other letter
 * stays. Returns the
 * number of sounds, 0 when word is not 4..40 letters a-z. */
static size_t sounds_of(const char *word, char out[WORD_MAX + 1])
{
    size_t len = strlen(word), n = 0;
    if (len < 4 || len > WORD_MAX)
        return 0;
    for (size_t i = 0; i < len;) {
        char c = word[i], d = word[i + 1], e = d ? word[i + 2] : '\0';
        if (c < 'a' || c > 'z')
            return 0;
        char s = c;
        size_t used = 1;
        if (c == 't' && d == 'c' && e == 'h')
            s = 'C', used = 3;
        else if (c == 's' && d == 'c' && e == 'h')
            s = 'S', used = 3;
        else if (c == 's' && d == 'z' && e != 'h')
            used = 2;     /* sz is an s (Szechuan, Sichuan); its key is unchanged */
        else if (d == 'h' && !(c == 'z' && i > 0 && word[i - 1] == 't')) {
            /* (but tz before an h is the Hebrew tsade: Yitzhak is
             * Yitz-hak, Yitzchak) */
            switch (c) {
            case 'k': s = 'X'; break;
            case 'p': s = 'F'; break;
            case 't': s = 'T'; break;
            case 'd': s = 'D'; break;
            case 'g': s = 'G'; break;
            case 's': s = 'S'; break;
            case 'c': s = 'C'; break;
            case 'z': s = 'J'; break;
            }
            if (s != c)
                used = 2;
        } else if (c == 'd' && d == 'j')
            s = 'j', used = 2;
        else if (c == 'c' && d == 'k')
            s = 'k', used = 2;
        else if (c == 'x') {
            /* x is k and s (Alexander, Aleksandr) */
            if (n + 2 > WORD_MAX)
                return 0;
            out[n++] = 'k';
            s = 's';
        }
        if (n + 1 > WORD_MAX)
            return 0;
        out[n++] = s;
        i += used;
    }
    out[n] = '\0';
    return n;
}

/* The consonant class of a sound; 0 for vowels and h (left out of keys). */
static char sound_class(char s)
{
    switch (s) {
    case 'b': case 'p': case 'f': case 'v': case 'w': case 'F': return 'b';
    case 'c': case 'k': case 'q': case 'g': case 'G': case 'X': return 'k';
    case 'd': case 't': case 'T': case 'D': return 't';
    case 's': case 'z': case 'S': return 's';
    case 'j': case 'C': case 'J': return 'j';
    case 'h': return 0;
    default: return is_vowel(s) ? 0 : s;
    }
}

/* The key of a sound string; as_h: read kh (AS_H_KH) or ch (AS_H_CH) as
 * a plain h (kh/h is one romanisation pair: Khomeini, Homeini; ch/h
 * another: Chanukah, Hanukkah). */
#define AS_H_KH 1
#define AS_H_CH 2
static size_t key_of_sounds(const char *snd, int as_h, char out[TG_SOUND_KEY_MAX])
{
    size_t n = 0;
    for (const char *p = snd; *p; p++) {
        char k = (*p == 'X' && (as_h & AS_H_KH)) || (*p == 'C' && (as_h & AS_H_CH))
                     ? 0 : sound_class(*p);
        if (!k || (n && out[n - 1] == k))
            continue;
        if (n + 1 >= TG_SOUND_KEY_MAX)
            return 0;
        out[n++] = k;
    }
    out[n] = '\0';
    return n;
}

size_t tg_sound_key(const char *word, char out[TG_SOUND_KEY_MAX])
{
    char snd[WORD_MAX + 1];
    out[0] = '\0';
    if (!sounds_of(word, snd))
        return 0;
    return key_of_sounds(snd, 0, out);
}

/* A key has one consonant class at least: a short name of one class
 * (Hannah, Hanna; Toyota) has spellings too, among the few words of
 * four letters or more with one class (2% of a news archive's). */
#define KEY_MIN 1

int tg_sound_keys(const char *word, char key[TG_SOUND_KEY_MAX], char alt[TG_SOUND_KEY_MAX])
{
    char snd[WORD_MAX + 1];
    key[0] = alt[0] = '\0';
    if (!sounds_of(word, snd) || key_of_sounds(snd, 0, key) < KEY_MIN)
        return 0;
    if (strchr(snd, 'X') && key_of_sounds(snd, AS_H_KH, alt) >= KEY_MIN && strcmp(key, alt))
        return 2;
    alt[0] = '\0';
    return 1;
}

/* ---- distance ---------------------------------------------------------------- */

static int related_vowels(char a, char b)
{
    static const char *const pairs[] = { "ae", "ei", "ou", "ao", "iy", "ey" };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if ((a == pairs[i][0] && b == pairs[i][1]) || (a == pairs[i][1] && b == pairs[i][0]))
            return 1;
    return 0;
}

/* Changing sound a into b, in quarter points. */
static int sub_cost(char a, char b, int ordinary)
{
    if (a == b)
        return 0;
    /* y and j: one sound in German, Dutch and Slavic spellings and
     * Hebrew romanisations (Jugoslavia; Binyamin, Benjamin) */
    if ((a == 'y' && b == 'j') || (a == 'j' && b == 'y'))
        return ordinary ? 8 : 2;
    int va = is_vowel(a), vb = is_vowel(b);
    if (va && vb)
        return (a == 'i' && b == 'y') || (a == 'y' && b == 'i') ? 0
               : ordinary ? 6 : related_vowels(a, b) ? 2 : 3;
    if (va || vb)
        return 8;
    /* An ordinary word is spelt two ways by orthography (sceptic/skeptic,
     * -ise/-ize, sulphur/sulfur), not by sound (bound is not pound). */
    if (ordinary && !((a == 'c' && b == 'k') || (a == 'k' && b == 'c') ||
                      (a == 's' && b == 'z') || (a == 'z' && b == 's') ||
                      (a == 'f' && b == 'F') || (a == 'F' && b == 'f')))
        return 8;
    /* Romanisation pairs: the same sound written two ways. */
    static const struct { char a, b; int cost; } pairs[] = {
        { 'q', 'k', 1 }, { 'c', 'k', 1 }, { 'c', 'q', 3 }, { 'q', 'g', 3 }, { 'g', 'k', 3 },
        { 'g', 'c', 6 }, { 's', 'z', 2 }, { 'd', 't', 2 }, { 'b', 'p', 2 }, { 'f', 'v', 2 },
        { 'v', 'w', 1 }, { 'f', 'F', 0 }, { 'p', 'F', 2 }, { 't', 'T', 1 }, { 'd', 'D', 1 },
        { 'z', 'D', 2 }, { 'g', 'G', 1 }, { 'k', 'G', 2 }, { 'k', 'X', 1 }, { 'h', 'X', 1 },
        { 'q', 'X', 2 }, { 'j', 'J', 0 }, { 'z', 'J', 2 }, { 'C', 'J', 2 }, { 'j', 'C', 3 },
        { 's', 'S', 2 }, { 'C', 'S', 3 }, { 'c', 's', 4 },
        /* the Arabic dad is d or z (Ramadan, Ramazan; dh/d/z) */
        { 'd', 'z', 4 },
        /* c is k (and kh is k): khalif, caliph */
        { 'c', 'X', 2 },
        /* c is ts in Slavic spellings, and so is a German z
         * (Hercegovina, Herzegovina) */
        { 'c', 'z', 4 },
        /* ch is kh in German and Hebrew romanisations, read as h in
         * English ones (Chanukah, Hanukkah; Chaim, Haim) */
        { 'C', 'X', 1 }, { 'C', 'h', 2 },
        /* c is ch with its mark dropped (Lacin, Lachin; Milosevic) */
        { 'c', 'C', 3 },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if ((a == pairs[i].a && b == pairs[i].b) || (a == pairs[i].b && b == pairs[i].a))
            return pairs[i].cost;
    return 8;
}

/* Adding or dropping s[i] of s; an ordinary word's vowels are part of
 * what it is (bond, band, bound). */
static int indel_cost(const char *s, size_t i, int ordinary)
{
    char c = s[i];
    if ((i > 0 && s[i - 1] == c) || s[i + 1] == c)
        return 1;              /* a doubled letter */
    if (c == 'h')
        return i == 0 && is_vowel(s[1]) ? 4 : 1;   /* a sounded h: hedith is not edith */
    if (is_vowel(c))
        return ordinary ? 4 : s[i + 1] ? 2 : 3;    /* a last vowel ends a syllable: Brasilia, Brasil */
    return 6;
}

/* English spells some endings two ways (colour/color, centre/center,
 * catalogue/catalog): an ordinary word is compared with them made one. */
static void english_endings(char *snd)
{
    static const struct { const char *from, *to; } endings[] = {
        { "our", "or" }, { "ours", "ors" }, { "oured", "ored" }, { "ouring", "oring" },
        { "re", "er" }, { "res", "ers" }, { "ogue", "og" }, { "ogues", "ogs" },
        { "ence", "ense" }, { "ences", "enses" },
        { "ise", "ize" }, { "ises", "izes" }, { "ised", "ized" }, { "ising", "izing" },
        { "isation", "ization" }, { "isations", "izations" },
        { "yse", "yze" }, { "ysed", "yzed" }, { "ysing", "yzing" },
    };
    size_t n = strlen(snd);
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        size_t f = strlen(endings[i].from);
        if (n > f + 2 && strcmp(snd + n - f, endings[i].from) == 0 && !is_vowel(snd[n - f - 1])) {
            strcpy(snd + n - f, endings[i].to);
            return;
        }
    }
}

int tg_spelling_english_ending(const char *word)
{
    char x[WORD_MAX + 1], y[WORD_MAX + 1];
    if (!sounds_of(word, x))
        return 0;
    memcpy(y, x, sizeof y);
    english_endings(y);
    if (strcmp(x, y) != 0)
        return 1;
    /* The other side of the pairs, but for -or and -er, which end too
     * many words to look each up twice (color, center: one way only). */
    static const char *const other[] = { "og", "ogs", "ense", "enses", "ize", "izes", "ized",
                                         "izing", "ization", "izations", "yze", "yzed", "yzing" };
    size_t n = strlen(x);
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        size_t f = strlen(other[i]);
        if (n > f + 2 && strcmp(x + n - f, other[i]) == 0 && !is_vowel(x[n - f - 1]))
            return 1;
    }
    return 0;
}

int tg_spelling_distance(const char *a, const char *b, int flags, int cap)
{
    char x[WORD_MAX + 1], y[WORD_MAX + 1];
    size_t n = sounds_of(a, x), m = sounds_of(b, y);
    if (!n || !m)
        return cap + 1;
    int ordinary = (flags & TG_SPELL_ORDINARY) != 0;
    if (ordinary) {
        english_endings(x);
        english_endings(y);
        n = strlen(x);
        m = strlen(y);
    }
    /* Optimal string alignment over sounds, three rows. */
    int rows[3][WORD_MAX + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    prev[0] = 0;
    for (size_t j = 1; j <= m; j++)
        prev[j] = prev[j - 1] + indel_cost(y, j - 1, ordinary);
    for (size_t i = 1; i <= n; i++) {
        cur[0] = prev[0] + indel_cost(x, i - 1, ordinary);
        int low = cur[0];
        for (size_t j = 1; j <= m; j++) {
            int best = prev[j - 1] + sub_cost(x[i - 1], y[j - 1], ordinary);
            int del = prev[j] + indel_cost(x, i - 1, ordinary);
            int ins = cur[j - 1] + indel_cost(y, j - 1, ordinary);
            if (del < best)
                best = del;
            if (ins < best)
                best = ins;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
                x[i - 1] != x[i - 2] && prev2[j - 2] + 2 < best)
                best = prev2[j - 2] + 2;
            cur[j] = best;
            if (best < low)
                low = best;
        }
        if (low > cap)
            return cap + 1;
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[m] > cap ? cap + 1 : prev[m];
}

/* Consonant sounds, h and repeats aside: how much of a word is fixed. */
static size_t consonants(const char *word)
{
    char snd[WORD_MAX + 1];
    if (!sounds_of(word, snd))
        return 0;
    size_t n = 0;
    for (size_t i = 0; snd[i]; i++)
        if (!is_vowel(snd[i]) && snd[i] != 'h' && (i == 0 || snd[i - 1] != snd[i]))
            n++;
    return n;
}

int tg_spelling_allowance(const char *word, int attested)
{
    size_t n = consonants(word);
    if (n == 0)
        return -1;
    /* by consonants, 6+ last: a long name takes a consonant changed
     * (Nebuchadrezzar, Nebuchadnezzar), as plain edit distance does */
    static const int seen[] = { 2, 2, 2, 3, 4, 6, 8 };
    static const int unseen[] = { 3, 3, 3, 4, 6, 8, 8 };
    size_t i = n < 6 ? n : 6;
    return attested ? seen[i] : unseen[i];
}

/* ---- contexts ---------------------------------------------------------------- */

/* Articles read per word (the ones most about it); the words that count
 * as its context: in a sixth of those articles at least, and in at most a
 * tenth of the archive (grammar and boilerplate say nothing). */
#define CONTEXT_DOCS 12
#define CONTEXT_MIN_SHARE 6
#define CONTEXT_MAX_SHARE 10

typedef struct context {
    xc_rdb *db;
    tg_strmap *count;     /* word -> articles of the sample having it */
    tg_strmap *weight;    /* word -> its weight * 1e6 (1: none), once known */
    unsigned docs;
    uint32_t total;       /* articles in the archive */
    int oom;
} context;

static int on_context_term(const char *term, size_t len, uint32_t wdf, void *ud)
{
    context *c = ud;
    (void)wdf;
    if (len < 3 || len > 40 || term[0] < 'a' || term[0] > 'z')
        return 0;
    for (size_t i = 0; i < len; i++)
        if (term[i] < 'a' || term[i] > 'z')
            return 0;
    if (tg_strmap_add(c->count, term, len, 1, NULL)) {
        c->oom = 1;
        return 1;
    }
    return 0;
}

static void context_free(context *c)
{
    tg_strmap_free(c->count);
    tg_strmap_free(c->weight);
}

/* Reads the contexts of word: the words of up to CONTEXT_DOCS articles
 * that have it. Returns 0, or -1 (c->oom says whether memory). */
static int context_read(xc_rdb *db, const char *word, context *c)
{
    memset(c, 0, sizeof *c);
    c->db = db;
    c->total = xc_rdb_doccount(db);
    c->count = tg_strmap_new();
    c->weight = tg_strmap_new();
    xc_query *q = xc_query_term(word, 1, 0);
    xc_enquire *enq = c->count && c->weight && q ? xc_enquire_new(db) : NULL;
    xc_mset *ms = NULL;
    int rc = -1;
    if (!enq) {
        c->oom = 1;
        goto out;
    }
    /* The articles most about the word, not the first ones filed: those
     * can all come from one source. */
    xc_enquire_set_query(enq, q);
    if (xc_enquire_run(enq, 0, CONTEXT_DOCS, 0, &ms))
        goto out;
    uint32_t k = xc_mset_size(ms);
    for (uint32_t i = 0; i < k && !c->oom; i++) {
        /* Context words are unprefixed lower case: the prefixed terms
         * (capitals, before "a") are stepped over inside Xapian. */
        if (xc_rdb_termlist_from(db, xc_mset_docid(ms, i), "a", on_context_term, c))
            goto out;
        c->docs++;
    }
    rc = c->oom ? -1 : 0;
out:
    xc_mset_free(ms);
    xc_enquire_free(enq);
    xc_query_free(q);
    return rc;
}

/* The weight of term in c, which n of c's sample articles have: the share
 * of the sample having it times its rarity in the archive; 0 for words
 * outside the context. The archive is asked only for words frequent
 * enough in the sample, once each. */
static double weight_of(context *c, const char *term, size_t len, uint64_t n)
{
    if (!n || !c->docs || n * CONTEXT_MIN_SHARE < c->docs)
        return 0;
    uint64_t w = tg_strmap_get(c->weight, term, len);
    if (!w) {
        char t[41];
        memcpy(t, term, len);
        t[len] = '\0';
        uint32_t df = xc_rdb_termfreq(c->db, t);
        double idf = df && (uint64_t)df * CONTEXT_MAX_SHARE <= c->total
                     ? log((double)c->total / df) : 0;
        w = (uint64_t)(idf * 1e6) + 1;
        if (tg_strmap_add(c->weight, term, len, w, NULL))
            c->oom = 1;
    }
    return (double)n / c->docs * ((double)(w - 1) / 1e6);
}

static double weight_in(context *c, const char *term, size_t len)
{
    return weight_of(c, term, len, tg_strmap_get(c->count, term, len));
}

typedef struct cosine {
    context *a, *b;
    const char *skip_a, *skip_b;   /* the words themselves */
    int want_dot;                  /* 0: only a's norm */
    double dot, na;
} cosine;

static int same(const char *term, size_t len, const char *w)
{
    return w && strlen(w) == len && memcmp(term, w, len) == 0;
}

static int on_cosine_term(const char *term, size_t len, uint64_t count, void *ud)
{
    cosine *k = ud;
    if (same(term, len, k->skip_a) || same(term, len, k->skip_b))
        return 0;
    double wa = weight_of(k->a, term, len, count);
    if (wa > 0) {
        k->na += wa * wa;
        if (k->want_dot)
            k->dot += wa * weight_in(k->b, term, len);
    }
    return 0;
}

/* Cosine of the two contexts; the words themselves (which each context
 * has by construction) left out. -1 when either has no word that says
 * anything (all in over a tenth of the archive): then nobody can tell. */
static double context_cosine(context *a, context *b, const char *wa, const char *wb)
{
    /* The dot product once (over a's words); b's walk is for its norm. */
    cosine ka = { a, b, wa, wb, 1, 0, 0 }, kb = { b, a, wa, wb, 0, 0, 0 };
    tg_strmap_each(a->count, on_cosine_term, &ka);
    tg_strmap_each(b->count, on_cosine_term, &kb);
    if (ka.na <= 0 || kb.na <= 0)
        return -1;
    return ka.dot / sqrt(ka.na * kb.na);
}

/* ---- shared contexts, remembered ---------------------------------------------- */

/* Pairs remembered at the most (about 60 bytes each). */
#define MEMO_PAIRS_MAX 100000

/* Words whose spellings are remembered at the most. */
#define MEMO_FINDS_MAX 20000

typedef struct memo_find {
    tg_spelling *v;
    size_t n;
} memo_find;

struct tg_spell_memo {
    tg_strmap *pairs;      /* "word\tother" -> (shared + 2) * 1e9 */
    size_t n;
    /* tg_spellings_find's answers: "flags\tword" -> 1 + index in finds.
     * Scoring a word's candidates is most of a short query's plan, and
     * the same words come back query after query. */
    tg_strmap *find_index;
    memo_find *finds;
    size_t nfinds, finds_cap;
    uint64_t revision;     /* of the database the figures are of */
    int have_revision;
    tg_buf key;
};

tg_spell_memo *tg_spell_memo_new(void)
{
    tg_spell_memo *m = calloc(1, sizeof *m);
    if (m && (!(m->pairs = tg_strmap_new()) || !(m->find_index = tg_strmap_new()))) {
        tg_strmap_free(m->pairs);
        free(m);
        return NULL;
    }
    return m;
}

static void memo_forget_finds(tg_spell_memo *m)
{
    for (size_t i = 0; i < m->nfinds; i++)
        tg_spellings_free(m->finds[i].v, m->finds[i].n);
    m->nfinds = 0;
    tg_strmap_clear(m->find_index);
}

void tg_spell_memo_free(tg_spell_memo *m)
{
    if (!m)
        return;
    memo_forget_finds(m);
    free(m->finds);
    tg_strmap_free(m->find_index);
    tg_strmap_free(m->pairs);
    tg_buf_free(&m->key);
    free(m);
}

static void memo_forget(tg_spell_memo *m)
{
    tg_strmap_clear(m->pairs);
    m->n = 0;
    memo_forget_finds(m);
}

/* Forgets what the memo holds unless it is of db's revision. */
static void memo_sync(tg_spell_memo *m, xc_rdb *db)
{
    uint64_t rev = 0;
    if (xc_rdb_revision(db, &rev)) {
        memo_forget(m);
        m->have_revision = 0;
    } else if (!m->have_revision || rev != m->revision || m->n >= MEMO_PAIRS_MAX ||
               m->nfinds >= MEMO_FINDS_MAX) {
        memo_forget(m);
        m->revision = rev;
        m->have_revision = 1;
    }
}

static const char *memo_key(tg_spell_memo *m, const char *word, const char *other)
{
    tg_buf_clear(&m->key);
    if (tg_buf_puts(&m->key, word) || tg_buf_putc(&m->key, '\t') || tg_buf_puts(&m->key, other))
        return NULL;
    return m->key.data;
}

static int memo_get(tg_spell_memo *m, const char *word, const char *other, double *shared)
{
    const char *k = m && m->have_revision ? memo_key(m, word, other) : NULL;
    uint64_t v = k ? tg_strmap_get(m->pairs, k, m->key.len) : 0;
    if (v)
        *shared = (double)v / 1e9 - 2.0;
    return v != 0;
}

static void memo_put(tg_spell_memo *m, const char *word, const char *other, double shared)
{
    const char *k = m && m->have_revision ? memo_key(m, word, other) : NULL;
    int is_new = 0;
    /* no memory to remember it in: it is worked out again next time */
    if (k && !tg_strmap_add(m->pairs, k, m->key.len, (uint64_t)llround((shared + 2.0) * 1e9),
                            &is_new))
        m->n += is_new;
}

static tg_status spelling_contexts(xc_rdb *db, const char *word, const char *const *others,
                                   size_t n, double *shared, tg_spell_memo *memo)
{
    if (memo)
        memo_sync(memo, db);
    unsigned char *known = calloc(n ? n : 1, 1);
    if (!known)
        return TG_ERR_NOMEM;
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) {
        known[i] = (unsigned char)memo_get(memo, word, others[i], &shared[i]);
        missing += !known[i];
    }
    tg_status st = TG_OK;
    uint64_t failures0 = xc_rdb_failures(db);
    context mine;
    if (missing && context_read(db, word, &mine))
        st = mine.oom ? TG_ERR_NOMEM : TG_ERR_DB;
    for (size_t i = 0; i < n && missing && !st; i++) {
        if (known[i])
            continue;
        context theirs;
        if (context_read(db, others[i], &theirs))
            st = theirs.oom ? TG_ERR_NOMEM : TG_ERR_DB;
        else
            shared[i] = context_cosine(&mine, &theirs, word, others[i]);
        context_free(&theirs);
    }
    if (missing)
        context_free(&mine);
    /* A frequency that failed read as 0 and made a wrong figure: it is
     * not kept for the next query. */
    for (size_t i = 0; i < n && missing && !st && xc_rdb_failures(db) == failures0; i++)
        if (!known[i])
            memo_put(memo, word, others[i], shared[i]);
    free(known);
    return st;
}

/* ---- finding the spellings -------------------------------------------------- */

/* Candidates looked at (after the distance test) for a word the archive
 * lacks, and spellings kept: a name is written many ways (Shevardnadze,
 * Schevardnadze, Shewardnadze, Chevardnadze ...), and an archive without
 * case learns none of them from capitals; eight cost the tuning half's
 * queries 1% more instructions than four. */
#define CANDIDATES_MAX 4
#define SPELLINGS_MAX 8
/* Contexts read for a word the archive has, at the most: each is a dozen
 * articles' words, the most a spelling costs a query. */
#define CONTEXT_READS_MAX 8
/* A spelling used in fewer than one in this many of the typed word's
 * articles is none of its spellings (its contexts are not read). */
#define RARER_SHARE 4
/* A spelling one vowel or doubled letter longer or shorter than a word
 * the archive has, or with two vowels swapped (one_letter_apart,
 * distance 2 at most in quarter points) and used NEAR_COMMONER times as
 * often, but no common word, is that word's common spelling, whatever
 * the contexts say: a rare spelling's few articles say too little about
 * its contexts (Tennesse's five share 0.036 of Tennessee's forty, and
 * 0.041 of tennis's; Lousiana's seven 0.007 of Louisiana's). A letter
 * changed or a consonant swapped is another name as often (Maria, Mario;
 * Lena, lean), and a common word another word (Boeing, being; realty,
 * reality), unless the typed word is long: in NEAR_LONG letters or more
 * so small a change is a slip (Christainity, Christianity). */
#define NEAR_DISTANCE 2
#define NEAR_COMMONER 4
#define NEAR_LONG 9
/* A spelling of an unattested word is judged as a noisy channel would:
 * how often the archive uses it, each quarter point of distance making it
 * nine times less likely (chosen on the tuning half of the entity set:
 * ln 3 and ln 5 kept Bass and Habs for Abas beside Abbas); kept when at
 * least a fifth as likely as the best. */
#define UNSEEN_PENALTY 2.1972     /* ln 9 */
/* Consonants a name needs to have variants (tg_lexicon.c learns none for
 * shorter ones). */
#define VARIANT_MIN_CONSONANTS 3
#define UNSEEN_SHARE 5.0

/* Whether a and b are one letter added, dropped or changed, or two
 * neighbours swapped, apart. */
static int one_slip(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), i = 0;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    if (na == nb) {
        if (i == na)
            return 0;
        if (strcmp(a + i + 1, b + i + 1) == 0)
            return 1;   /* changed */
        return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               strcmp(a + i + 2, b + i + 2) == 0;   /* swapped */
    }
    if (na + 1 == nb)
        return strcmp(a + i, b + i + 1) == 0;
    if (nb + 1 == na)
        return strcmp(a + i + 1, b + i) == 0;
    return 0;
}

/* Whether a and b are one slip apart (one_slip) of the mildest kind: the
 * longer is the other with one vowel added or one letter doubled (not an
 * h or another consonant: bushes, buses), or two neighbouring vowels are
 * swapped (Christainity, Christianity); not a letter changed. */
static int one_letter_apart(const char *a, const char *b)
{
    if (!one_slip(a, b))
        return 0;
    size_t la = strlen(a), lb = strlen(b), i = 0;
    if (la < lb) {
        const char *t = a;
        a = b, b = t;
    }
    while (a[i] == b[i])
        i++;
    if (la == lb)        /* swapped, not changed */
        return is_vowel(a[i]) && is_vowel(a[i + 1]) && a[i] == b[i + 1] && a[i + 1] == b[i];
    return is_vowel(a[i]) || (i > 0 && a[i - 1] == a[i]) || a[i + 1] == a[i];
}

typedef struct finder {
    xc_rdb *db;
    const char *typed;   /* the word as typed (normalised) */
    const char *word;    /* ... in letters a-z, for keys and distances */
    int flags;
    int allowance;
    int translit;        /* take tg_translit_variant's too (names' vowels) */
    int typo;            /* a long word in under TG_SPELLING_CONTEXT_DF
                            articles, or none: take its slips of the keys */
    int slips_only;      /* looking up near keys for a word the archive
                            lacks: only its slips of the keys */
    tg_spelling *v;
    size_t n, cap;
    int oom;
} finder;

static int have(const finder *f, const char *w, size_t len)
{
    if (strlen(f->typed) == len && memcmp(f->typed, w, len) == 0)
        return 1;
    for (size_t i = 0; i < f->n; i++)
        if (strlen(f->v[i].word) == len && memcmp(f->v[i].word, w, len) == 0)
            return 1;
    return 0;
}

/* A typed word of TYPO_MIN_LETTERS letters or more, not an ordinary one,
 * may be a slip of the keys of a word TYPO_RATIO times as common one
 * letter away (added, dropped, changed, or two neighbours swapped):
 * Califonia, Illinios, Rushie, Avraham, which plain edit distance
 * (MiniSearch's fuzzy match) finds and the sound rules do not (a
 * consonant dropped from a short word, v for b). Where the archive lacks
 * the word, a slip is one more spelling for the noisy channel. */
#define TYPO_MIN_LETTERS 6
#define TYPO_RATIO 10
#define TYPO_COMMON_RATIO 50

/* Whether s, found for the typed word (own articles), is its slip of the
 * keys: one slip away, TYPO_RATIO times as common, the word long enough
 * for one letter to be a small part of it. */
static int common(xc_rdb *db, uint32_t df);
static int slip_of(const finder *f, uint32_t own, const tg_spelling *s)
{
    /* an ordinary word keeps its letters (treasure is not the Treasury),
     * and a common word is a slip only of a word far rarer still (Britian
     * in 7 articles, Britain in 453; eighth in 47 is no slip of eight in
     * 1,079) */
    uint64_t ratio = common(f->db, s->df) ? TYPO_COMMON_RATIO : TYPO_RATIO;
    return own && !(f->flags & TG_SPELL_ORDINARY) && strlen(f->word) >= TYPO_MIN_LETTERS &&
           (uint64_t)s->df >= (uint64_t)own * ratio && one_slip(f->word, s->word);
}

static int on_candidate(const char *term, size_t len, uint32_t tf, void *ud)
{
    finder *f = ud;
    (void)tf;
    if (len > WORD_MAX || have(f, term, len))
        return 0;
    char w[WORD_MAX + 1];
    memcpy(w, term, len);
    w[len] = '\0';
    if (f->slips_only && !one_slip(f->word, w))
        return 0;
    int d = tg_spelling_distance(f->word, w, f->flags, f->allowance);
    if (d > f->allowance) {
        /* A name's vowels are free where its consonants are the same
         * (Muhammad, Mohammed): the variants the indexer learns from
         * capitals (tg_entity.h), here for any word that is not an
         * ordinary one, so that an archive without case has them too.
         * A rare word's slip of the keys is taken too (TYPO_RATIO). */
        if ((!f->translit || !tg_translit_variant(f->word, w)) &&
            !(f->typo && one_slip(f->word, w)))
            return 0;
        d = tg_spelling_distance(f->word, w, f->flags, WORD_MAX * 8);
    }
    uint32_t df = xc_rdb_termfreq(f->db, w);
    if (!df)
        return 0;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        tg_spelling *v = realloc(f->v, cap * sizeof *v);
        if (!v) {
            f->oom = 1;
            return 1;
        }
        f->v = v;
        f->cap = cap;
    }
    if (!(f->v[f->n].word = strdup(w))) {
        f->oom = 1;
        return 1;
    }
    f->v[f->n].df = df;
    f->v[f->n].distance = d;
    f->v[f->n].context = -1;
    f->v[f->n].variant = 0;
    f->n++;
    return 0;
}

static int by_distance_then_df(const void *x, const void *y)
{
    const tg_spelling *a = x, *b = y;
    if (a->distance != b->distance)
        return a->distance - b->distance;
    return a->df < b->df ? 1 : a->df > b->df ? -1 : strcmp(a->word, b->word);
}

/* The log of how likely a spelling is meant, up to a constant. */
static double likelihood(const tg_spelling *s)
{
    return log((double)s->df) - UNSEEN_PENALTY * s->distance;
}

static int by_likelihood(const void *x, const void *y)
{
    double a = likelihood(x), b = likelihood(y);
    return a < b ? 1 : a > b ? -1 : by_distance_then_df(x, y);
}

void tg_spellings_free(tg_spelling *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].word);
    free(v);
}

/* Keeps the entries of f->v for which keep[i] is set. */
static void compact(finder *f, const unsigned char *keep)
{
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (keep[i])
            f->v[k++] = f->v[i];
        else
            free(f->v[i].word);
    }
    f->n = k;
}

static tg_status look_up(finder *f, const char *key)
{
    char syn[TG_SOUND_KEY_MAX + 4];
    snprintf(syn, sizeof syn, "%s%s", TG_SYN_SOUND, key);
    xc_status xs = xc_rdb_synonyms(f->db, syn, on_candidate, f);
    return f->oom ? TG_ERR_NOMEM : xs ? TG_ERR_DB : TG_OK;
}

/* The least cost of a change to a sound key, in tg_spelling_distance's
 * quarter points: what the key's classes hide. A consonant added or
 * dropped costs 6, another consonant 8; across classes some romanisation
 * pairs cost less: c/s 4 (k and s), z/zh 2 and ch/sh 3 (s and j). */
static int cross_cost(char from, char to)
{
    if ((from == 'k' && to == 's') || (from == 's' && to == 'k'))
        return 4;
    if ((from == 'k' && to == 'j') || (from == 'j' && to == 'k'))
        return 3;     /* c and ch: Lacin, Lachin */
    if ((from == 's' && to == 'j') || (from == 'j' && to == 's'))
        return 2;
    return 8;
}

typedef struct keys_tried {
    char v[256][TG_SOUND_KEY_MAX];
    size_t n;
} keys_tried;

/* Looks up key (repeats written once, as the indexer files them) unless
 * it is too short or was looked up before. */
static tg_status look_up_once(finder *f, keys_tried *t, const char *raw)
{
    char key[TG_SOUND_KEY_MAX];
    size_t n = 0;
    for (const char *p = raw; *p; p++)
        if (!n || key[n - 1] != *p)
            key[n++] = *p;
    key[n] = '\0';
    if (n < KEY_MIN)
        return TG_OK;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i], key) == 0)
            return TG_OK;
    if (t->n < sizeof t->v / sizeof *t->v)
        memcpy(t->v[t->n++], key, n + 1);
    return look_up(f, key);
}

/* The words filed under the keys one change away from key, where the
 * change costs no more than the allowance: spellings the distance accepts
 * although their keys differ (Azerbaidzhan, Azerbaijan: a d before the
 * zh; Shchedrin, Chedrin). */
static tg_status look_up_near(finder *f, keys_tried *t, const char *key, int pairs_only)
{
    static const char classes[] = "bktsjlrmn";
    size_t len = strlen(key);
    char k[TG_SOUND_KEY_MAX + 1];
    tg_status st = TG_OK;
    if (len + 1 >= TG_SOUND_KEY_MAX)
        return TG_OK;
    int slip = f->typo ? 8 : f->allowance;     /* a slip: any one change */
    for (size_t i = 0; i <= len && !st; i++) {
        /* swapped: key[i] and key[i + 1] (Hilter, Hitler: two letters
         * swapped cost 2), for a word that may be a slip (f->typo): for
         * every word the archive has, the look-ups cost the plan 4% more
         * instructions (callgrind, 300 log queries) */
        if (f->typo && i + 1 < len && key[i] != key[i + 1] && !pairs_only) {
            strcpy(k, key);
            k[i] = key[i + 1];
            k[i + 1] = key[i];
            st = look_up_once(f, t, k);
        }
        /* dropped: key[i] */
        if (!st && i < len && 6 <= slip && !pairs_only) {
            memcpy(k, key, i);
            strcpy(k + i, key + i + 1);
            st = look_up_once(f, t, k);
        }
        for (const char *c = classes; *c && !st; c++) {
            /* added before key[i] */
            if (6 <= slip && !pairs_only) {
                memcpy(k, key, i);
                k[i] = *c;
                strcpy(k + i + 1, key + i);
                st = look_up_once(f, t, k);
            }
            /* changed: key[i] */
            if (!st && i < len && *c != key[i] && cross_cost(key[i], *c) <= slip &&
                (!pairs_only || cross_cost(key[i], *c) < 8)) {
                strcpy(k, key);
                k[i] = *c;
                st = look_up_once(f, t, k);
            }
        }
    }
    return st;
}

/* Latin letters that case folding and mark stripping leave as they are
 * (tg_text.h), in the letters a-z that archives and romanisations write
 * for them (Wałęsa, Walesa; Øresund, Oresund; Diyarbakır, Diyarbakir). */
static const struct { const char *utf8, *ascii; } LETTERS[] = {
    { "\xc5\x82", "l" },  { "\xc3\xb8", "o" },  { "\xc3\xa6", "ae" }, { "\xc4\x91", "d" },
    { "\xc4\xb1", "i" },  { "\xc3\xbe", "th" }, { "\xc5\x93", "oe" }, { "\xc3\xb0", "d" },
    { "\xc5\x8b", "ng" }, { "\xc4\xa7", "h" },
};

/* word in letters a-z into out; 0 when a letter has no such spelling. */
static int in_ascii(const char *word, char out[WORD_MAX + 1])
{
    size_t n = 0;
    for (const char *p = word; *p;) {
        const char *add = NULL;
        char one[2] = { *p, 0 };
        size_t used = 1;
        if ((unsigned char)*p < 0x80) {
            add = one;
        } else {
            for (size_t i = 0; i < sizeof LETTERS / sizeof *LETTERS && !add; i++)
                if (strncmp(p, LETTERS[i].utf8, 2) == 0)
                    add = LETTERS[i].ascii, used = 2;
        }
        if (!add || n + strlen(add) > WORD_MAX)
            return 0;
        memcpy(out + n, add, strlen(add));
        n += strlen(add);
        p += used;
    }
    out[n] = '\0';
    return 1;
}

/* A word in more than SPELLING_COMMON_MIN articles and one in
 * SPELLING_COMMON_SHARE is common (as the searcher counts them). */
#define SPELLING_COMMON_SHARE 200
#define SPELLING_COMMON_MIN 50
static int common(xc_rdb *db, uint32_t df)
{
    return df > SPELLING_COMMON_MIN &&
           (uint64_t)df * SPELLING_COMMON_SHARE > (uint64_t)xc_rdb_doccount(db);
}

static tg_status spellings_find(xc_rdb *db, const char *typed, int flags,
                                tg_spell_word_fn is_word, void *ud, tg_spelling **out,
                                size_t *n, tg_spell_memo *memo)
{
    *out = NULL;
    *n = 0;
    char word[WORD_MAX + 1];
    if (!in_ascii(typed, word))
        return TG_OK;
    char key[TG_SOUND_KEY_MAX], key_h[TG_SOUND_KEY_MAX];
    int nkeys = tg_sound_keys(word, key, key_h);
    if (!nkeys)
        return TG_OK;
    uint32_t own = xc_rdb_termfreq(db, typed);
    if (!own)
        flags &= ~TG_SPELL_ORDINARY;      /* nothing says what it is */
    finder f = { db, typed, word, flags, tg_spelling_allowance(word, own > 0),
                 !(flags & TG_SPELL_ORDINARY),
                 own < TG_SPELLING_CONTEXT_DF && strlen(word) >= TYPO_MIN_LETTERS &&
                     !(flags & TG_SPELL_ORDINARY), 0,
                 NULL, 0, 0, 0 };
    keys_tried *tried = calloc(1, sizeof *tried);
    if (!tried)
        return TG_ERR_NOMEM;
    tg_status st = look_up_once(&f, tried, key);
    if (!st && nkeys == 2)
        st = look_up_once(&f, tried, key_h);
    /* A ch typed may be the archive's h (the indexer files words under
     * kh read as h, not ch: the typed word's key with ch read as h finds
     * Hanukkah for Chanukah, not the other way round). */
    char snd[WORD_MAX + 1], key_ch[TG_SOUND_KEY_MAX];
    if (!st && sounds_of(word, snd) && strchr(snd, 'C') &&
        key_of_sounds(snd, AS_H_KH | AS_H_CH, key_ch) >= KEY_MIN)
        st = look_up_once(&f, tried, key_ch);
    /* Romanisations that move a sound across classes: a j typed may be
     * the archive's y and a y before a vowel its j (Jugoslavia,
     * Yugoslavia; Binyamin, Benjamin), a z typed its d (Ramazan,
     * Ramadan: the Arabic dad), a c its z (Hercegovina, Herzegovina: the
     * key's classes merge cg, not zg). Only for a name of three
     * consonants or more, as for a name's variants: short words meet too
     * many others so (Yury is no jury). */
    int ways = consonants(word) >= VARIANT_MIN_CONSONANTS ? 4 : 0;
    for (int way = 0; way < ways && !st && sounds_of(word, snd); way++) {
        int changed = 0;
        for (size_t i = 0; snd[i]; i++) {
            if (way == 0 && snd[i] == 'j')
                snd[i] = 'y', changed = 1;
            else if (way == 1 && snd[i] == 'y' && is_vowel(snd[i + 1]) && snd[i + 1] != 'y')
                snd[i] = 'j', changed = 1;
            else if (way == 2 && snd[i] == 'z')
                snd[i] = 'd', changed = 1;
            else if (way == 3 && snd[i] == 'c')
                snd[i] = 'z', changed = 1;
        }
        if (changed && key_of_sounds(snd, 0, key_ch) >= KEY_MIN)
            st = look_up_once(&f, tried, key_ch);
    }
    /* Then, for a word the archive has, the keys one change away, whose
     * words come after those of the word's own keys: its contexts (or
     * being more common than a word in a handful of articles) decide. A
     * word the archive lacks has no such evidence, and a consonant added
     * or dropped is as likely a part of another name (Elsalvador is not
     * Salvador). */
    if (!st && own) {
        st = look_up_near(&f, tried, key, 0);
        if (!st && nkeys == 2)
            st = look_up_near(&f, tried, key_h, 0);
    } else if (!st) {
        /* A word the archive lacks may still be one of its names written
         * with a romanisation pair across classes (Lachin, Lacin;
         * Hercegovina, Herzegovina: c/ch, c/z), where the archive that
         * has the typed spelling finds it by the changes above. */
        st = look_up_near(&f, tried, key, 1);
        /* ... and a slip of the keys is as likely as a sound for a long
         * word (Rushie: Rushdie; Avraham: Abraham), and the noisy channel
         * below weighs it as one, by its distance */
        if (!st && f.typo) {
            f.slips_only = 1;
            st = look_up_near(&f, tried, key, 0);
            if (!st && nkeys == 2)
                st = look_up_near(&f, tried, key_h, 0);
            f.slips_only = 0;
        }
    }
    free(tried);
    if (st || !f.n) {
        tg_spellings_free(f.v, f.n);
        return st;
    }
    unsigned char *keep = calloc(f.n, 1);
    if (!keep) {
        tg_spellings_free(f.v, f.n);
        return TG_ERR_NOMEM;
    }
    if (!own) {
        /* Not in the archive: its nearest spellings that the archive uses
         * a fair share of the time. A word of the language among them is
         * reached by misspelling it, not by romanising it (hedith: edit
         * is a consonant farther than Hadith, whose th is edit's t only
         * in a transliteration). */
        for (size_t i = 0; is_word && i < f.n; i++)
            if (is_word(f.v[i].word, ud)) {
                int d = tg_spelling_distance(word, f.v[i].word, TG_SPELL_ORDINARY, WORD_MAX * 8);
                if (d > f.v[i].distance)
                    f.v[i].distance = d;
            }
        qsort(f.v, f.n, sizeof *f.v, by_likelihood);
        const char *others[CANDIDATES_MAX];
        size_t at[CANDIDATES_MAX], k = 0;
        for (size_t i = 0; i < f.n; i++) {
            keep[i] = likelihood(&f.v[i]) >= likelihood(&f.v[0]) - log(UNSEEN_SHARE);
            if (keep[i] && i > 0 && k < CANDIDATES_MAX && f.v[0].df >= TG_SPELLING_CONTEXT_DF &&
                f.v[i].df >= TG_SPELLING_CONTEXT_DF) {
                others[k] = f.v[i].word;
                at[k++] = i;
            }
        }
        /* Two likely spellings are one word's only when they share its
         * contexts (Zaire, and Zayre the retailer, are two): the others
         * must share the likeliest one's, as a word the archive has
         * widens to more common spellings. */
        double shared[CANDIDATES_MAX];
        if (k)
            st = spelling_contexts(db, f.v[0].word, others, k, shared, memo);
        for (size_t j = 0; j < k && !st; j++)
            keep[at[j]] = shared[j] < 0 || shared[j] >= TG_SPELLING_CONTEXT_MIN;
        /* A name's variant of the typed word (its consonants, vowels
         * free) is kept however it compares with the likeliest: a
         * mixed-case archive has it among the names it learnt from
         * capitals (hedith: Hadith, though edit is likelier; Methras:
         * Mithras beside metres), and one without case must not lose it.
         * As there, only a name of three consonants or more has variants
         * (Zairre: not Zayre). The caller drops those that are words of
         * the language. */
        char skel[TG_TRANSLIT_KEY_MAX];
        if (f.translit && tg_translit_key(word, skel) >= VARIANT_MIN_CONSONANTS)
            for (size_t i = 1; i < f.n; i++)
                if (!keep[i] && tg_translit_variant(word, f.v[i].word))
                    keep[i] = 1, f.v[i].variant = 1;
    } else {
        /* In the archive: the spellings that share its contexts, looked
         * at from the likeliest (how often used, how near), not the most
         * used: a name's own key also holds common words a little
         * farther off (khaled: healed, hailed, holed before khalid). */
        qsort(f.v, f.n, sizeof *f.v, by_likelihood);
        /* Contexts are read only where they decide: a typed word in
         * fewer than TG_SPELLING_CONTEXT_DF articles takes the more common
         * spellings on the distance alone, and a spelling far rarer than
         * the typed word is never one of its. */
        const char *others[CONTEXT_READS_MAX];
        size_t at[CONTEXT_READS_MAX], k = 0, kept = 0;
        unsigned char *named = calloc(f.n, 1);
        if (!named) {
            free(keep);
            tg_spellings_free(f.v, f.n);
            return TG_ERR_NOMEM;
        }
        for (size_t i = 0; i < f.n && kept < SPELLINGS_MAX && k < CONTEXT_READS_MAX; i++) {
            named[i] = (flags & TG_SPELL_CASELESS) && f.translit &&
                       tg_translit_variant(word, f.v[i].word);
            if ((flags & TG_SPELL_ORDINARY) && f.v[i].distance == 0)
                keep[i] = 1;      /* neighbour, neighbor: one word, two spellings */
            else if (f.v[i].distance <= NEAR_DISTANCE &&
                     (uint64_t)f.v[i].df >= (uint64_t)NEAR_COMMONER * own &&
                     (!common(db, f.v[i].df) || strlen(word) >= NEAR_LONG) &&
                     one_letter_apart(word, f.v[i].word))
                keep[i] = 1;
            else if (own < TG_SPELLING_CONTEXT_DF)
                /* ... but a common word is another word, unless it is
                 * the typed one but for a doubled letter, an h, y/i
                 * (khalif is not half; Tokio is Tokyo) or a name's
                 * variant of it, as a mixed-case archive learns them
                 * (Geneve, Geneva) */
                keep[i] = ((f.v[i].df >= own || named[i]) &&
                           (f.v[i].distance <= f.allowance ||
                            tg_translit_variant(word, f.v[i].word)) &&
                           (f.v[i].distance <= 1 || !common(db, f.v[i].df) ||
                            tg_translit_variant(word, f.v[i].word))) ||
                          (!kept && slip_of(&f, own, &f.v[i]));
            else if ((uint64_t)f.v[i].df * RARER_SHARE >= own || named[i]) {
                others[k] = f.v[i].word;
                at[k++] = i;
            }
            kept += keep[i];
        }
        double shared[CONTEXT_READS_MAX];
        if (k)
            st = spelling_contexts(db, typed, others, k, shared, memo);
        for (size_t j = 0; j < k && !st; j++) {
            tg_spelling *v = &f.v[at[j]];
            v->context = shared[j];
            /* A rare spelling widens to common ones; a rarer one
             * needs the contexts of one word (Quran, Koran). */
            if (v->df >= own || named[at[j]])
                keep[at[j]] = v->context < 0 || v->context >= TG_SPELLING_CONTEXT_MIN;
            else
                keep[at[j]] = v->context >= TG_SPELLING_CONTEXT_SAME;
        }
        /* A slip of the keys is made in any context: the likeliest
         * spelling one slip away and TYPO_RATIO times as common is taken
         * whatever the few articles of the typed word are about (Britian
         * in 7 articles, Britain in 453; Amerika, Jeffery), when nothing
         * nearer was. */
        size_t nkept = 0;
        for (size_t i = 0; i < f.n; i++)
            nkept += keep[i];
        for (size_t i = 0; !st && !nkept && i < f.n; i++)
            if (slip_of(&f, own, &f.v[i])) {
                keep[i] = 1;
                break;
            }
        free(named);
    }
    compact(&f, keep);
    free(keep);
    if (st) {
        tg_spellings_free(f.v, f.n);
        return st;
    }
    if (f.n > SPELLINGS_MAX) {
        for (size_t i = SPELLINGS_MAX; i < f.n; i++)
            free(f.v[i].word);
        f.n = SPELLINGS_MAX;
    }
    *out = f.v;
    *n = f.n;
    return TG_OK;
}

/* The public entry points: a frequency or a document count that failed
 * reads as 0 and would change which spellings are kept, so the handle's
 * failure count decides as well as the statuses. */
tg_status tg_spelling_contexts(xc_rdb *db, const char *word, const char *const *others,
                               size_t n, double *shared, tg_spell_memo *memo)
{
    uint64_t failures0 = xc_rdb_failures(db);
    tg_status st = spelling_contexts(db, word, others, n, shared, memo);
    tg_status dbst = tg_db_check(db, failures0);
    return dbst ? dbst : st;
}

/* A new copy of v[0..n) into *out; 0, or -1 when out of memory. */
static int spellings_copy(const tg_spelling *v, size_t n, tg_spelling **out)
{
    *out = calloc(n ? n : 1, sizeof **out);
    for (size_t i = 0; *out && i < n; i++) {
        (*out)[i] = v[i];
        if (!((*out)[i].word = strdup(v[i].word))) {
            tg_spellings_free(*out, i);
            *out = NULL;
        }
    }
    return *out ? 0 : -1;
}

static const char *memo_find_key(tg_spell_memo *m, const char *word, int flags)
{
    tg_buf_clear(&m->key);
    if (tg_buf_printf(&m->key, "%d\t%s", flags, word))
        return NULL;
    return m->key.data;
}

/* Remembers a copy of v[0..n) as word's spellings (nothing when out of
 * memory: they are worked out again next time). */
static void memo_find_put(tg_spell_memo *m, const char *word, int flags, const tg_spelling *v,
                          size_t n)
{
    if (!m || !m->have_revision)
        return;
    if (m->nfinds == m->finds_cap) {
        size_t cap = m->finds_cap ? m->finds_cap * 2 : 64;
        memo_find *f = realloc(m->finds, cap * sizeof *f);
        if (!f)
            return;
        m->finds = f;
        m->finds_cap = cap;
    }
    memo_find *f = &m->finds[m->nfinds];
    const char *k = memo_find_key(m, word, flags);
    int is_new = 0;
    if (!k || spellings_copy(v, n, &f->v))
        return;
    f->n = n;
    if (tg_strmap_add(m->find_index, k, m->key.len, m->nfinds + 1, &is_new) || !is_new) {
        tg_spellings_free(f->v, f->n);
        return;
    }
    m->nfinds++;
}

tg_status tg_spellings_find(xc_rdb *db, const char *word, int flags, tg_spelling **out,
                            size_t *n, tg_spell_memo *memo)
{
    return tg_spellings_find_words(db, word, flags, NULL, NULL, out, n, memo);
}

tg_status tg_spellings_find_words(xc_rdb *db, const char *word, int flags,
                                  tg_spell_word_fn is_word, void *ud, tg_spelling **out,
                                  size_t *n, tg_spell_memo *memo)
{
    if (memo) {
        memo_sync(memo, db);
        const char *k = memo->have_revision ? memo_find_key(memo, word, flags) : NULL;
        uint64_t at = k ? tg_strmap_get(memo->find_index, k, memo->key.len) : 0;
        if (at) {
            const memo_find *f = &memo->finds[at - 1];
            *n = 0;
            if (spellings_copy(f->v, f->n, out))
                return TG_ERR_NOMEM;
            *n = f->n;
            return TG_OK;
        }
    }
    uint64_t failures0 = xc_rdb_failures(db);
    tg_status st = spellings_find(db, word, flags, is_word, ud, out, n, memo);
    tg_status dbst = tg_db_check(db, failures0);
    if (dbst && !st) {
        tg_spellings_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    /* what was read while a database call failed is not the archive's */
    if (!st && !dbst)
        memo_find_put(memo, word, flags, *out, *n);
    return dbst ? dbst : st;
}
