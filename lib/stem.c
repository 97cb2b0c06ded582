/*
 * stem.c - Snowball stemming via libstemmer (tg_text.h).
 *
 * libstemmer accepts ISO 639 codes itself but never says which algorithm a
 * code stands for, and tg_stemmer_lang must answer with the canonical name.
 * So codes are resolved here, through a table checked against libstemmer
 * 2.2's own alias list (each code below gives the same algorithm in
 * libstemmer as its name), and libstemmer is only ever given canonical
 * names. Names are matched case-insensitively; libstemmer itself is
 * case-sensitive, which is an easy trap for config files ("English").
 */
#include "tg_text.h"
#include "tg_hash.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libstemmer.h>
#include <utf8proc.h>

/* Remembered stems. Snowball costs about 700 instructions a word and a
 * news article repeats most of its words (callgrind: stemming was 9% of
 * indexing), so each stemmer keeps the last stem of every word that lands
 * in a slot: direct-mapped, overwritten on a collision, exact (the word is
 * compared, not only its hash). Words too long for a slot are stemmed
 * every time. Allocated on first use: 1 MiB. */
#define STEM_SLOTS 16384
#define STEM_SLOT_TEXT 54       /* word + stem + NUL, bytes */
typedef struct stem_slot {
    uint64_t hash;              /* 0: empty */
    unsigned char wlen, slen;   /* word, then stem, in text */
    char text[STEM_SLOT_TEXT];
} stem_slot;

struct tg_stemmer {
    struct sb_stemmer *sb; /* NULL for "none" */
    const char *lang;      /* static: libstemmer's list, or "none" */
    stem_slot *cache;      /* STEM_SLOTS, or NULL until the first stem */
};

static const struct {
    const char *code;
    const char *name;
} aliases[] = {
    {"ar", "arabic"},     {"ara", "arabic"},    {"hy", "armenian"},
    {"hye", "armenian"},  {"arm", "armenian"},  {"eu", "basque"},
    {"eus", "basque"},    {"baq", "basque"},    {"ca", "catalan"},
    {"cat", "catalan"},   {"da", "danish"},     {"dan", "danish"},
    {"nl", "dutch"},      {"dut", "dutch"},     {"nld", "dutch"},
    {"en", "english"},    {"eng", "english"},   {"fi", "finnish"},
    {"fin", "finnish"},   {"fr", "french"},     {"fre", "french"},
    {"fra", "french"},    {"de", "german"},     {"ger", "german"},
    {"deu", "german"},    {"el", "greek"},      {"gre", "greek"},
    {"ell", "greek"},     {"hi", "hindi"},      {"hin", "hindi"},
    {"hu", "hungarian"},  {"hun", "hungarian"}, {"id", "indonesian"},
    {"ind", "indonesian"}, {"ga", "irish"},     {"gle", "irish"},
    {"it", "italian"},    {"ita", "italian"},   {"lt", "lithuanian"},
    {"lit", "lithuanian"}, {"ne", "nepali"},    {"nep", "nepali"},
    {"no", "norwegian"},  {"nor", "norwegian"}, {"pt", "portuguese"},
    {"por", "portuguese"}, {"ro", "romanian"},  {"rum", "romanian"},
    {"ron", "romanian"},  {"ru", "russian"},    {"rus", "russian"},
    {"sr", "serbian"},    {"srp", "serbian"},   {"es", "spanish"},
    {"esl", "spanish"},   {"spa", "spanish"},   {"sv", "swedish"},
    {"swe", "swedish"},   {"ta", "tamil"},      {"tam", "tamil"},
    {"tr", "turkish"},    {"tur", "turkish"},   {"yi", "yiddish"},
    {"yid", "yiddish"},
};

/* Returns the canonical name for lang: "none", or libstemmer's own copy of
 * the name (valid for the life of the program); NULL if unknown. */
static const char *canonical(const char *lang)
{
    char low[32];
    size_t n = strlen(lang);
    if (n == 0 || n >= sizeof low)
        return NULL;
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = (unsigned char)lang[i];
        low[i] = (char)((unsigned)c - 'A' < 26u ? c + 32 : c);
    }
    if (strcmp(low, "none") == 0)
        return "none";
    const char *name = low;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcmp(low, aliases[i].code) == 0) {
            name = aliases[i].name;
            break;
        }
    }
    for (const char **l = sb_stemmer_list(); *l; l++)
        if (strcmp(*l, name) == 0)
            return *l;
    return NULL;
}

tg_stemmer *tg_stemmer_new(const char *lang)
{
    if (!lang)
        return NULL;
    const char *name = canonical(lang);
    if (!name)
        return NULL;
    tg_stemmer *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->lang = name;
    if (strcmp(name, "none") != 0) {
        s->sb = sb_stemmer_new(name, "UTF_8");
        if (!s->sb) { /* listed, so this can only be out of memory */
            free(s);
            return NULL;
        }
    }
    return s;
}

void tg_stemmer_free(tg_stemmer *s)
{
    if (!s)
        return;
    sb_stemmer_delete(s->sb);
    free(s->cache);
    free(s);
}

const char *tg_stemmer_lang(const tg_stemmer *s)
{
    return s ? s->lang : NULL;
}

/* Digits of any script: a term such as "1990s" or "٢٠٠٣" is a number or
 * a code, and stemming it would only merge unrelated values. */
static int has_digit(const char *term, size_t len)
{
    const unsigned char *p = (const unsigned char *)term;
    int nonascii = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] >= '0' && p[i] <= '9')
            return 1;
        nonascii |= p[i] >= 0x80;
    }
    if (!nonascii)
        return 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            i++;
            continue;
        }
        utf8proc_category_t c = utf8proc_category(cp);
        if (c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL ||
            c == UTF8PROC_CATEGORY_NO)
            return 1;
        i += (size_t)n;
    }
    return 0;
}

const char *tg_stem(tg_stemmer *s, const char *term, size_t len, size_t *outlen)
{
    size_t dummy;
    if (!outlen)
        outlen = &dummy;
    *outlen = len;
    if (!s || !term || !s->sb || len == 0 || len > INT_MAX)
        return term;
    stem_slot *slot = NULL;
    uint64_t h = 0;
    if (len < STEM_SLOT_TEXT) {
        if (!s->cache)
            s->cache = calloc(STEM_SLOTS, sizeof *s->cache); /* NULL: no cache */
        if (s->cache) {
            h = tg_hash64_key(term, len);
            slot = &s->cache[h & (STEM_SLOTS - 1)];
            if (slot->hash == h && slot->wlen == len && memcmp(slot->text, term, len) == 0) {
                *outlen = slot->slen;
                return slot->text + slot->wlen;
            }
        }
    }
    if (has_digit(term, len))
        return term;
    const sb_symbol *r =
        sb_stemmer_stem(s->sb, (const sb_symbol *)term, (int)len);
    if (!r) {
        /* Out of memory. Handing back the unstemmed term would silently
         * index a different term than queries will look up. */
        *outlen = 0;
        return NULL;
    }
    *outlen = (size_t)sb_stemmer_length(s->sb);
    /* The stem is kept NUL-terminated, as libstemmer hands it out. */
    if (slot && len + *outlen + 1 <= STEM_SLOT_TEXT) {
        slot->hash = h;
        slot->wlen = (unsigned char)len;
        slot->slen = (unsigned char)*outlen;
        memcpy(slot->text, term, len);
        memcpy(slot->text + len, r, *outlen);
        slot->text[len + *outlen] = '\0';
    }
    return (const char *)r;
}

const char **tg_stemmer_languages(void)
{
    return sb_stemmer_list();
}
