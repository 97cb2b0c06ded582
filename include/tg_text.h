/*
 * tg_text.h - turning text into index terms: normalisation, tokenizing,
 * stemming. The indexer and the query parser both go through here, so the
 * terms written at index time and looked up at query time always agree.
 *
 * Normalisation: UTF-8 in (invalid sequences are repaired: each bad byte is
 * read as Latin-1, so nothing is dropped and nothing is fatal); NFKC-style
 * compatibility folding, case folding and accent stripping via utf8proc, so
 * "Rūhollāh" and "RUHOLLAH" both give "ruhollah".
 *
 * Word rules (each has a unit test):
 *   - A word is a run of letters, digits and combining marks.
 *   - An apostrophe (' ’ ʼ ` ‘) between two letters joins them:
 *     "Kata'ib" -> "kataib", "Shi'ite" -> "shiite". A trailing possessive
 *     "'s" is dropped: "Iraq's" -> "iraq". Any other apostrophe separates.
 *   - A hyphen separates: "Mujahdeen-e-Khalq" -> "mujahdeen" "e" "khalq" at
 *     consecutive positions, so the phrase "mujahdeen e khalq" matches it.
 *   - Single letters joined by dots are an abbreviation: "U.S." -> "us",
 *     "U.N." -> "un" (so a user's "US" finds "U.S.").
 *   - Digits joined by '/' stay one term: "9/11", "3/13/91". Digit groups
 *     joined by ',' lose the commas: "2,000" -> "2000". A decimal point
 *     between digits is kept: "5.93". Years are plain numbers: "1991".
 *   - Terms longer than TG_MAX_TERM bytes are skipped (Xapian's limit is
 *     245 bytes and such tokens are noise: base64, URLs).
 *   - Lines of binary data carried as text give no tokens: uuencoded
 *     ("M" and 60 characters of ! to `, two spaces at most) and base64
 *     (60 to 76 characters of A-Z a-z 0-9 + /, = padding, with upper
 *     case, lower case and digits). Their junk words collide with names
 *     and acronyms; no line of text has that shape.
 *
 * Stemming: libstemmer (Snowball). Numbers and terms with digits are never
 * stemmed.
 */
#ifndef TG_TEXT_H
#define TG_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"

#define TG_MAX_TERM 64

typedef struct tg_token {
    const char *term;    /* normalised term, NUL-terminated; borrowed, valid
                            only during the callback */
    size_t len;          /* strlen(term) */
    size_t start;        /* byte offset of the token in the input */
    size_t end;          /* byte offset just past the token in the input */
    uint32_t index;      /* 0-based ordinal of the token in this call */
    unsigned capitalized : 1; /* first letter was upper case in the input */
    unsigned all_caps : 1;    /* two or more letters, all upper case */
    unsigned in_address : 1;  /* part of an e-mail address or a host name
                                 (spl@szechuan.ucsd.edu, tu-muenchen.de):
                                 a machine's name, not a mention of the
                                 word (the indexer keeps it apart, as an
                                 address word: TG_PFX_ADDRESS) */
} tg_token;

/* Called once per token, in order. Returning non-zero stops tokenizing
 * (tg_tokenize then returns TG_OK). */
typedef int (*tg_token_cb)(const tg_token *tok, void *ud);

/* Tokenizes text[0..len) and calls cb for each term. Returns TG_OK, or
 * TG_ERR_NOMEM. Thread-safe (no shared state). */
tg_status tg_tokenize(const char *text, size_t len, tg_token_cb cb, void *ud);

/* Normalises one word the same way tg_tokenize does (case fold, accents,
 * apostrophes). Writes at most outsz bytes including the NUL; returns the
 * length of the result, or 0 when word holds no term. */
size_t tg_normalize_word(const char *word, size_t len, char *out, size_t outsz);

/* Repairs invalid UTF-8 (bad bytes read as Latin-1). Returns a malloc'd
 * NUL-terminated copy (caller frees) and its length in *outlen, or NULL on
 * no memory. Returns valid input unchanged (copied). */
char *tg_utf8_repair(const char *text, size_t len, size_t *outlen);

/* Returns 1 if text[0..len) is valid UTF-8, else 0. */
int tg_utf8_valid(const char *text, size_t len);
/* Offset of the first byte of text[0..len) that does not start a valid
 * UTF-8 character (overlong forms and surrogates are invalid), or len
 * when all of it is valid. */
size_t tg_utf8_invalid_at(const char *text, size_t len);

/* Byte length of the white space character that s[0..n) starts with, or 0:
 * ASCII blanks (space, tab, newline, CR, FF, VT) and every Unicode space
 * or separator (utf8proc categories Zs, Zl, Zp: NBSP, the U+2000 block,
 * U+3000 ...). The one definition of a space for the query parser and
 * the readers. */
size_t tg_utf8_space_len(const char *s, size_t n);
/* The same for the character that s[0..n) ends with. */
size_t tg_utf8_space_len_back(const char *s, size_t n);

/* ---- stemmer ------------------------------------------------------------ */
typedef struct tg_stemmer tg_stemmer;

/* Creates a stemmer for lang ("english", "en", "french", ... as libstemmer
 * names them, or "none" for no stemming). On an unknown language returns
 * NULL. Not thread-safe: one per thread. Free with tg_stemmer_free. */
tg_stemmer *tg_stemmer_new(const char *lang);
void tg_stemmer_free(tg_stemmer *s);
/* The canonical language name ("english"). Borrowed. */
const char *tg_stemmer_lang(const tg_stemmer *s);
/* Stems a normalised term. Returns a pointer valid until the next call on
 * s, and its length in *outlen. Terms with digits come back unchanged. */
const char *tg_stem(tg_stemmer *s, const char *term, size_t len, size_t *outlen);

/* Lists the languages libstemmer knows, NULL-terminated (static). */
const char **tg_stemmer_languages(void);

#endif
