/*
 * text.c - tokenizer, word normalisation and UTF-8 repair (tg_text.h).
 *
 * The tokenizer reads the caller's bytes directly, decoding one code point
 * at a time and reading each invalid byte as Latin-1 on the fly, so token
 * offsets always refer to the caller's input bytes, repaired or not.
 *
 * Hot path: ASCII letters and digits are classified by a table and
 * lower-cased straight into a small scratch buffer. utf8proc is consulted
 * only to classify non-ASCII code points and to fold tokens that contain
 * any; its output goes to a stack buffer, so tokenizing never allocates.
 *
 * Decisions beyond the header (each one has a test):
 *   - Span: start/end cover the text the term came from, including a dropped
 *     possessive ("Iraq's" spans 6 bytes) and an abbreviation's final dot
 *     ("U.S." spans 4). A sentence dot after a word is not included.
 *   - "e.g." -> "eg", like "U.S." -> "us": two or more single letters, each
 *     followed by a dot (the last dot may be missing: "U.S" -> "us").
 *   - Possessive "'s" is also dropped after digits: "1990's" -> "1990".
 *   - ',' is dropped only before exactly three digits ("2,000" -> "2000",
 *     but a list "1,2" stays two terms).
 *   - ʻ ʽ ʾ ʿ (transliterated ayn/hamza, "Kataʾib") and ´ count as
 *     apostrophes besides the header's ' ’ ʼ ` ‘.
 *   - Default-ignorable format characters (soft hyphen, ZWNJ, ZWJ, word
 *     joiner...) inside a word keep it whole and vanish from the term; ZWSP
 *     (U+200B) is a word break, as Unicode means it.
 *   - Han ideographs and kana are one token per character: those scripts
 *     do not separate words with spaces, and a whole CJK sentence would
 *     otherwise become one over-long token and be dropped.
 *   - Case folding is utf8proc's full folding: "ß" -> "ss", "İ" -> "i"
 *     (its dot is a mark, which is stripped), dotless "ı" stays "ı".
 *   - A skipped token (too long, or nothing left after folding) does not
 *     use up an index: indices of emitted tokens are always consecutive.
 *   - in_address: the tokens of a run of ASCII letters, digits and - _ + %
 *     joined by dots or @ with no space, when it is an e-mail address (an
 *     @ between word characters), a host name with two dots or more, two
 *     parts of two characters or more and a top-level domain at the end
 *     (cs.cmu.edu, peipa.essex.ac.uk; not J.R.R.Tolkien, U.S.A., a user
 *     name such as mohamed.s.sadek), or one with one dot and a final part
 *     that is a generic top-level domain (cmu.edu) or, where the run has a
 *     hyphen or a digit or no capital, a country's (tu-muenchen.de; not
 *     "said.It").
 */
#include "tg_text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define NORM_OPTS                                                            \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE |                \
                         UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |               \
                         UTF8PROC_STRIPMARK | UTF8PROC_IGNORE))

/* Every code point that survives into the raw term (no marks, no
 * ignorables) yields at least one byte of folded output, and the only
 * shrinking composition (Hangul jamo, 9 bytes -> 3) keeps a ratio above
 * 1/4. So a raw term over 4 * TG_MAX_TERM bytes can never fold to an
 * acceptable length, and we can stop copying there. */
#define RAW_MAX (4 * TG_MAX_TERM)
/* utf8proc_decompose needs one code point per output character; compat
 * decompositions expand, but anything needing more than this folds to far
 * more than TG_MAX_TERM bytes (composition shrinks by at most 3:1). */
#define CPS_CAP (8 * TG_MAX_TERM)

enum cls {
    C_SEP = 0,  /* anything that is not part of a word */
    C_LETTER,
    C_DIGIT,
    C_MARK,     /* combining mark: part of the word, stripped from the term */
    C_APOS,
    C_DOT,
    C_COMMA,
    C_SLASH,
    C_JOIN,     /* invisible in-word format character, dropped from term */
    C_CJK,      /* ideograph or kana: a token by itself */
};

#define L_ C_LETTER
#define D_ C_DIGIT
static const unsigned char ascii_cls[128] = {
    ['0'] = D_, ['1'] = D_, ['2'] = D_, ['3'] = D_, ['4'] = D_,
    ['5'] = D_, ['6'] = D_, ['7'] = D_, ['8'] = D_, ['9'] = D_,
    ['A'] = L_, ['B'] = L_, ['C'] = L_, ['D'] = L_, ['E'] = L_, ['F'] = L_,
    ['G'] = L_, ['H'] = L_, ['I'] = L_, ['J'] = L_, ['K'] = L_, ['L'] = L_,
    ['M'] = L_, ['N'] = L_, ['O'] = L_, ['P'] = L_, ['Q'] = L_, ['R'] = L_,
    ['S'] = L_, ['T'] = L_, ['U'] = L_, ['V'] = L_, ['W'] = L_, ['X'] = L_,
    ['Y'] = L_, ['Z'] = L_,
    ['a'] = L_, ['b'] = L_, ['c'] = L_, ['d'] = L_, ['e'] = L_, ['f'] = L_,
    ['g'] = L_, ['h'] = L_, ['i'] = L_, ['j'] = L_, ['k'] = L_, ['l'] = L_,
    ['m'] = L_, ['n'] = L_, ['o'] = L_, ['p'] = L_, ['q'] = L_, ['r'] = L_,
    ['s'] = L_, ['t'] = L_, ['u'] = L_, ['v'] = L_, ['w'] = L_, ['x'] = L_,
    ['y'] = L_, ['z'] = L_,
    ['\''] = C_APOS, ['`'] = C_APOS, ['.'] = C_DOT, [','] = C_COMMA,
    ['/'] = C_SLASH,
};
#undef L_
#undef D_

/* One decoded code point and what it is. */
typedef struct unit {
    int32_t cp;
    unsigned n;      /* bytes it occupies in the input; 0 at end of input */
    unsigned cls;
    unsigned upper;  /* Lu or Lt */
} unit;

/* Decodes the code point at s[i] (i < len). A byte that does not start a
 * well-formed sequence (RFC 3629: no overlongs, surrogates or values past
 * U+10FFFF) is taken alone as Latin-1, so every byte yields something. */
static inline unsigned decode(const unsigned char *s, size_t len, size_t i,
                              int32_t *cp)
{
    unsigned b0 = s[i];
    size_t avail = len - i;
    if (b0 < 0x80) {
        *cp = (int32_t)b0;
        return 1;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        if (avail >= 2 && (s[i + 1] & 0xC0) == 0x80) {
            *cp = (int32_t)(((b0 & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu));
            return 2;
        }
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (avail >= 3) {
            unsigned b1 = s[i + 1], b2 = s[i + 2];
            unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
            unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
            if (b1 >= lo && b1 <= hi && (b2 & 0xC0) == 0x80) {
                *cp = (int32_t)(((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) |
                                (b2 & 0x3Fu));
                return 3;
            }
        }
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (avail >= 4) {
            unsigned b1 = s[i + 1], b2 = s[i + 2], b3 = s[i + 3];
            unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
            unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
            if (b1 >= lo && b1 <= hi && (b2 & 0xC0) == 0x80 &&
                (b3 & 0xC0) == 0x80) {
                *cp = (int32_t)(((b0 & 0x07u) << 18) | ((b1 & 0x3Fu) << 12) |
                                ((b2 & 0x3Fu) << 6) | (b3 & 0x3Fu));
                return 4;
            }
        }
    }
    *cp = (int32_t)b0;
    return 1;
}

static int is_cjk(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) ||   /* hiragana, katakana */
           (cp >= 0x31F0 && cp <= 0x31FF) ||   /* katakana extension */
           (cp >= 0x3400 && cp <= 0x4DBF) ||   /* CJK extension A */
           (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* CJK unified */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility */
           (cp >= 0x20000 && cp <= 0x3FFFF);   /* extensions B.. */
}

static void classify(unit *u)
{
    int32_t cp = u->cp;
    u->upper = 0;
    switch (cp) {
    case 0x00B4: case 0x02BB: case 0x02BC: case 0x02BD: case 0x02BE:
    case 0x02BF: case 0x2018: case 0x2019:
        /* Several of these are letters (Lm) to Unicode; checked first so
         * that "Kataʾib" joins like "Kata'ib". */
        u->cls = C_APOS;
        return;
    case 0x200B:
        u->cls = C_SEP;
        return;
    default:
        break;
    }
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->ignorable) {
        u->cls = C_JOIN;
        return;
    }
    switch (p->category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        u->upper = 1;
        /* fall through */
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        u->cls = is_cjk(cp) ? C_CJK : C_LETTER;
        return;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        u->cls = C_DIGIT;
        return;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        u->cls = C_MARK;
        return;
    default:
        u->cls = C_SEP;
        return;
    }
}

/* Reads the unit at s[i]; past the end it is a separator of length 0. */
static inline void peek(const unsigned char *s, size_t len, size_t i, unit *u)
{
    if (i >= len) {
        u->cp = 0;
        u->n = 0;
        u->cls = C_SEP;
        u->upper = 0;
        return;
    }
    unsigned b = s[i];
    if (b < 0x80) {
        u->cp = (int32_t)b;
        u->n = 1;
        u->cls = ascii_cls[b];
        u->upper = b - 'A' < 26u;
        return;
    }
    u->n = decode(s, len, i, &u->cp);
    classify(u);
}

static inline int is_digit(unsigned char b)
{
    return b >= '0' && b <= '9';
}

static inline int word_cont(unsigned cls)
{
    return cls == C_LETTER || cls == C_DIGIT || cls == C_MARK;
}

/* Per-call scratch space for one token. Lives on tg_tokenize's stack. */
typedef struct scratch {
    size_t rawlen;
    int overflow;      /* raw term passed RAW_MAX: certainly too long */
    int nonascii;
    unsigned nletters, nupper;
    int first_seen, first_upper;
    char raw[RAW_MAX + 1];
    utf8proc_int32_t cps[CPS_CAP];
} scratch;

static inline void sc_reset(scratch *sc)
{
    sc->rawlen = 0;
    sc->overflow = 0;
    sc->nonascii = 0;
    sc->nletters = sc->nupper = 0;
    sc->first_seen = sc->first_upper = 0;
}

static inline void sc_letter(scratch *sc, unsigned upper)
{
    if (!sc->first_seen) {
        sc->first_seen = 1;
        sc->first_upper = (int)upper;
    }
    sc->nletters++;
    sc->nupper += upper;
}

static inline void sc_byte(scratch *sc, char c)
{
    if (sc->rawlen < RAW_MAX)
        sc->raw[sc->rawlen++] = c;
    else
        sc->overflow = 1;
}

/* Appends a letter or digit unit taken from s[i]. Marks and joiners never
 * get here: utf8proc would strip them anyway. */
static void sc_unit(scratch *sc, const unsigned char *s, size_t i,
                    const unit *u)
{
    if (u->cls == C_LETTER || u->cls == C_CJK)
        sc_letter(sc, u->upper);
    if (u->cp < 0x80) {
        unsigned char b = (unsigned char)u->cp;
        sc_byte(sc, (char)((unsigned)b - 'A' < 26u ? b + 32 : b));
        return;
    }
    sc->nonascii = 1;
    if (sc->rawlen + 4 > RAW_MAX) {
        sc->overflow = 1;
        return;
    }
    if (u->n == 1) {
        /* A repaired byte: its Latin-1 code point, UTF-8 encoded. */
        sc->raw[sc->rawlen++] = (char)(0xC0 | (u->cp >> 6));
        sc->raw[sc->rawlen++] = (char)(0x80 | (u->cp & 0x3F));
    } else {
        memcpy(sc->raw + sc->rawlen, s + i, u->n);
        sc->rawlen += u->n;
    }
}

/* Folds the raw term. Returns its length and sets *term, or returns 0
 * when there is no acceptable term (too long, or nothing left). */
static size_t sc_finish(scratch *sc, const char **term)
{
    if (sc->overflow || sc->rawlen == 0)
        return 0;
    if (!sc->nonascii) {
        if (sc->rawlen > TG_MAX_TERM)
            return 0;
        sc->raw[sc->rawlen] = '\0';
        *term = sc->raw;
        return sc->rawlen;
    }
    /* One slot short: reencode writes a NUL after up to 4 bytes per
     * code point, in place. */
    utf8proc_ssize_t n = utf8proc_decompose(
        (const utf8proc_uint8_t *)sc->raw, (utf8proc_ssize_t)sc->rawlen,
        sc->cps, CPS_CAP - 1, NORM_OPTS);
    if (n <= 0 || n > CPS_CAP - 1)
        return 0;
    n = utf8proc_reencode(sc->cps, n, NORM_OPTS);
    if (n <= 0 || n > TG_MAX_TERM)
        return 0;
    *term = (const char *)sc->cps;
    return (size_t)n;
}

/* If s[i] is an apostrophe followed by "s" and a non-word character,
 * returns the offset just past the "s", else i. */
static size_t skip_possessive(const unsigned char *s, size_t len, size_t i)
{
    unit a, x, w;
    peek(s, len, i, &a);
    if (a.cls != C_APOS)
        return i;
    peek(s, len, i + a.n, &x);
    if (x.cp != 's' && x.cp != 'S')
        return i;
    peek(s, len, i + a.n + 1, &w);
    return word_cont(w.cls) ? i : i + a.n + 1;
}

/* Abbreviation: two or more single letters (with any marks), each followed
 * by a dot, the last dot optional: "U.S.", "e.g.", "U.S.A.", "U.S".
 * "Iraq." is not one (a letter follows the first letter), nor is the
 * initial in "John F. Kennedy" (only one letter). On success fills sc and
 * returns the end offset; otherwise returns 0 and leaves sc alone. */
static size_t scan_abbrev(const unsigned char *s, size_t len, size_t i,
                          scratch *sc)
{
    /* The common case, any ordinary ASCII word, is settled here. */
    if (i + 1 >= len || (s[i + 1] < 0x80 && s[i + 1] != '.'))
        return 0;
    unsigned count = 0;
    size_t j = i, end = 0;
    for (;;) {
        unit u, m;
        peek(s, len, j, &u);
        if (u.cls != C_LETTER)
            break;
        size_t k = j + u.n;
        for (peek(s, len, k, &m); m.cls == C_MARK; peek(s, len, k, &m))
            k += m.n;
        if (m.cls == C_DOT) {
            count++;
            end = k + 1;
            j = k + 1;
        } else {
            if (count >= 1 && !word_cont(m.cls)) {
                count++;
                end = k;
            }
            break;
        }
    }
    if (count < 2)
        return 0;
    /* Second pass, now that we know: copy the letters, skip the dots. */
    for (j = i; j < end;) {
        unit u;
        peek(s, len, j, &u);
        if (u.cls == C_LETTER)
            sc_unit(sc, s, j, &u);
        j += u.n;
    }
    return end;
}

/* Scans the word starting at s[i] (a letter, digit or mark) into sc and
 * returns the offset just past it, which is where scanning resumes. */
static size_t scan_word(const unsigned char *s, size_t len, size_t i,
                        scratch *sc)
{
    size_t end = scan_abbrev(s, len, i, sc);
    if (end)
        return skip_possessive(s, len, end);

    unsigned last = C_SEP; /* class of the last letter or digit */
    while (i < len) {
        unsigned b = s[i];
        if (b < 0x80) {
            unsigned c = ascii_cls[b];
            if (c == C_LETTER) {
                unsigned up = b - 'A' < 26u;
                sc_letter(sc, up);
                sc_byte(sc, (char)(up ? b + 32 : b));
                last = C_LETTER;
                i++;
                /* the rest of a word is mostly small letters: copied
                 * without the checks a first letter needs */
                size_t room = RAW_MAX - sc->rawlen, n = 0;
                while (n < room && i + n < len && (unsigned)s[i + n] - 'a' < 26u) {
                    sc->raw[sc->rawlen + n] = (char)s[i + n];
                    n++;
                }
                sc->rawlen += n;
                sc->nletters += (unsigned)n;
                i += n;
                continue;
            }
            if (c == C_DIGIT) {
                sc_byte(sc, (char)b);
                last = C_DIGIT;
                i++;
                continue;
            }
        }
        unit u, v;
        peek(s, len, i, &u);
        switch (u.cls) {
        case C_LETTER:
        case C_DIGIT:
            sc_unit(sc, s, i, &u);
            last = u.cls;
            i += u.n;
            continue;
        case C_MARK:
            i += u.n;
            continue;
        case C_JOIN:
            peek(s, len, i + u.n, &v);
            if (!word_cont(v.cls))
                return i;
            i += u.n;
            continue;
        case C_APOS:
            if (last == C_SEP)
                return i;
            end = skip_possessive(s, len, i);
            if (end != i)
                return end;
            peek(s, len, i + u.n, &v);
            if (last == C_LETTER && v.cls == C_LETTER) {
                i += u.n;
                continue;
            }
            return i;
        case C_DOT:
        case C_SLASH:
            peek(s, len, i + 1, &v);
            if (last == C_DIGIT && v.cls == C_DIGIT) {
                sc_byte(sc, (char)u.cp);
                i++;
                continue;
            }
            return i;
        case C_COMMA:
            /* Thousands separator: exactly three digits follow. */
            if (last == C_DIGIT && len - i > 3 && is_digit(s[i + 1]) &&
                is_digit(s[i + 2]) && is_digit(s[i + 3]) &&
                (len - i == 4 || !is_digit(s[i + 4]))) {
                i++;
                continue;
            }
            return i;
        default:
            return i;
        }
    }
    return i;
}

/* If the line starting at s[i] is binary data in text (a uuencoded line:
 * "M" and 60 characters of ! to `; or a base64 line: 60 to 76 of A-Z,
 * a-z, 0-9, + and / with = padding, upper case, lower case and digits all
 * in it), returns where it ends; else 0. Usenet archives carry programs
 * and images so (66 of news.jsonl's articles, 1 MB), and their tokens are
 * junk: words of no language that collide with short names and acronyms
 * (EEC, epa) and fill the vocabulary. No text has such lines: 61
 * characters with at most two spaces and no lower case, or 60 or more
 * without a space, a dot or a colon; a hex digest (lower case and digits
 * only) is kept. */
static size_t encoded_line_end(const unsigned char *s, size_t len, size_t i)
{
    /* no encoded line is longer than 76 characters and a CR: a longer
     * line (a paragraph) is not read to its end here */
    size_t look = len - i < 78 ? len - i : 78;
    const unsigned char *nl = memchr(s + i, '\n', look);
    if (!nl && look < len - i)
        return 0;
    size_t end = nl ? (size_t)(nl - s) : len, n = end - i;
    if (n && s[end - 1] == '\r')
        n--;
    if (n == 61 && s[i] == 'M') {
        /* Old encoders write a space for `; a line of capitals (wire
         * copy: "MOSCOW, MARCH 3 - ...") has a space every few letters. */
        int spaces = 0;
        for (size_t k = i; k < i + n; k++)
            if (s[k] < 0x20 || s[k] > 0x60 || (s[k] == ' ' && ++spaces > 2))
                return 0;
        return end;
    }
    if (n < 60 || n > 76)
        return 0;
    int upper = 0, lower = 0, digit = 0;
    size_t k = i;
    for (; k < i + n && s[k] != '='; k++) {
        unsigned c = s[k];
        if (c - 'A' < 26u)
            upper = 1;
        else if (c - 'a' < 26u)
            lower = 1;
        else if (c - '0' < 10u)
            digit = 1;
        else if (c != '+' && c != '/')
            return 0;
    }
    if (i + n - k > 2)
        return 0;
    for (; k < i + n; k++)
        if (s[k] != '=')
            return 0;
    return upper && lower && digit ? end : 0;
}

/* Bytes of an address run: ASCII letters, digits and - _ + %. */
static const unsigned char addr_tbl[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static inline int addr_char(unsigned char b)
{
    return addr_tbl[b];
}

/* Whether the n letters at p are one of the names in list (any case). */
static int part_in(const unsigned char *p, size_t n, const char *const *list)
{
    for (size_t k = 0; list[k]; k++) {
        if (n == 0 || (p[0] | 0x20) != (unsigned char)list[k][0])
            continue;
        size_t m = strlen(list[k]), j = 0;
        if (m != n)
            continue;
        while (j < n && (p[j] | 0x20) == (unsigned char)list[k][j])
            j++;
        if (j == n)
            return 1;
    }
    return 0;
}

/* If the run of address characters, dots and @ starting at s[i] is an
 * e-mail address or a host name (the header's in_address rule), returns
 * where it ends; else i. */
static size_t address_end(const unsigned char *s, size_t len, size_t i)
{
    static const char *const generic[] = { "com",  "edu",  "org",    "net", "gov", "mil",
                                           "int",  "arpa", "uucp", "bitnet", NULL };
    static const char *const country[] = {
        "ar", "at", "au", "be", "br", "ca", "ch", "cz", "de", "dk", "es", "fi", "fr", "gr",
        "hk", "hu", "ie", "il", "in", "it", "jp", "kr", "mx", "nl", "no", "nz", "pl", "pt",
        "ru", "se", "sg", "su", "tr", "tw", "uk", "us", "za", NULL };
    size_t end = i;
    while (end < len && addr_char(s[end]))
        end++;
    /* Most runs are one word: no dot or @ joins it to a next part (a
     * dot or @ not followed by a part would be cut or refused below). */
    if (end + 1 >= len || (s[end] != '.' && s[end] != '@') || !addr_char(s[end + 1]))
        return i;
    while (end < len && (addr_char(s[end]) || s[end] == '.' || s[end] == '@'))
        end++;
    while (end > i && (s[end - 1] == '.' || s[end - 1] == '@'))
        end--;      /* a sentence's dot */
    int at = 0, dots = 0, longparts = 0, hyphen_or_digit = 0, capital = 0;
    size_t part = i, last = i;
    for (size_t k = i; k <= end; k++) {
        unsigned char b = k < end ? s[k] : '.';
        if (b == '.' || b == '@') {
            if (k == part || (k < end && (k + 1 == end || !addr_char(s[k + 1]))))
                return i;   /* ".." or a dot or @ not between parts: no address */
            longparts += k - part >= 2;
            if (k < end) {
                at += b == '@';
                dots += b == '.';
            }
            last = part;
            part = k + 1;
            continue;
        }
        hyphen_or_digit |= b == '-' || (b >= '0' && b <= '9');
        capital |= b >= 'A' && b <= 'Z';
    }
    if (at)
        return end;
    /* two dots or more: a host when it ends in a top-level domain, not
     * a name written with dots (mohamed.s.sadek) */
    if (dots >= 2 && longparts >= 2 &&
        (end - last == 2 || part_in(s + last, end - last, generic)))
        return end;
    if (dots == 1 && (part_in(s + last, end - last, generic) ||
                      ((hyphen_or_digit || !capital) && part_in(s + last, end - last, country))))
        return end;
    return i;
}

tg_status tg_tokenize(const char *text, size_t len, tg_token_cb cb, void *ud)
{
    if (!cb || (!text && len))
        return TG_ERR_ARG;
    const unsigned char *s = (const unsigned char *)text;
    scratch sc;
    tg_token tok;
    uint32_t index = 0;
    size_t i = 0, addr_from = 0, addr_to = 0;   /* the address being read */
    while (i < len) {
        unsigned b = s[i];
        if ((i == 0 || s[i - 1] == '\n') && len - i >= 60) {
            size_t end = encoded_line_end(s, len, i);
            if (end) {
                i = end;
                continue;
            }
        }
        if (b < 0x80 && ascii_cls[b] != C_LETTER && ascii_cls[b] != C_DIGIT) {
            i++;
            continue;
        }
        size_t start = i;
        if (start >= addr_to && addr_char(b) && (start == 0 || !addr_char(s[start - 1]))) {
            size_t e = address_end(s, len, start);
            if (e > start) {
                addr_from = start;
                addr_to = e;
            }
        }
        sc_reset(&sc);
        if (b < 0x80) {
            i = scan_word(s, len, i, &sc);
        } else {
            unit u;
            peek(s, len, i, &u);
            if (u.cls == C_CJK) {
                sc_unit(&sc, s, i, &u);
                i += u.n;
            } else if (word_cont(u.cls)) {
                i = scan_word(s, len, i, &sc);
            } else {
                i += u.n;
                continue;
            }
        }
        const char *term = NULL;
        size_t tlen = sc_finish(&sc, &term);
        if (!tlen)
            continue;
        tok.term = term;
        tok.len = tlen;
        tok.start = start;
        tok.end = i;
        tok.index = index++;
        tok.capitalized = (unsigned)sc.first_upper;
        tok.all_caps = sc.nletters >= 2 && sc.nupper == sc.nletters;
        tok.in_address = start >= addr_from && start < addr_to;
        if (cb(&tok, ud))
            break;
    }
    return TG_OK;
}

typedef struct first_term {
    char *out;
    size_t outsz;
    size_t len;
} first_term;

static int take_first(const tg_token *tok, void *ud)
{
    first_term *ft = ud;
    if (tok->len < ft->outsz) {
        memcpy(ft->out, tok->term, tok->len + 1);
        ft->len = tok->len;
    }
    return 1;
}

size_t tg_normalize_word(const char *word, size_t len, char *out, size_t outsz)
{
    /* The first term tg_tokenize would produce, by construction the same. */
    first_term ft = {out, outsz, 0};
    if (!out || !outsz)
        return 0;
    out[0] = '\0';
    if (!word && len)
        return 0;
    tg_tokenize(word, len, take_first, &ft);
    return ft.len;
}

size_t tg_utf8_space_len(const char *s, size_t n)
{
    if (!n)
        return 0;
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return c == ' ' || (c >= '\t' && c <= '\r');
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                            (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
    if (len <= 0)
        return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
                   cat == UTF8PROC_CATEGORY_ZP
               ? (size_t)len
               : 0;
}

size_t tg_utf8_space_len_back(const char *s, size_t n)
{
    if (n == 0)
        return 0;   /* s may be NULL then (an empty tg_buf): found by fuzz_reader_html */
    size_t start = n;
    while (start > 0 && n - start < 4 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0)
        start--;      /* the lead byte (or an ASCII byte) */
    size_t len = tg_utf8_space_len(s + start, n - start);
    return len == n - start ? len : 0;
}

size_t tg_utf8_invalid_at(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        unsigned n = decode(s, len, i, &cp);
        if (n == 1)
            return i;
        i += n;
    }
    return len;
}

int tg_utf8_valid(const char *text, size_t len)
{
    return tg_utf8_invalid_at(text, len) == len;
}

char *tg_utf8_repair(const char *text, size_t len, size_t *outlen)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t bad = 0, i = 0;
    int32_t cp;
    if (!text && len)
        return NULL;
    while (i < len) {
        unsigned n = s[i] < 0x80 ? 1 : decode(s, len, i, &cp);
        if (n == 1 && s[i] >= 0x80)
            bad++;
        i += n;
    }
    /* Each bad byte becomes two; len + bad <= 2 * len. */
    if (len > (SIZE_MAX - 1) / 2)
        return NULL;
    size_t olen = len + bad;
    char *out = malloc(olen + 1);
    if (!out)
        return NULL;
    if (!bad) {
        if (len)
            memcpy(out, text, len);
    } else {
        size_t o = 0;
        for (i = 0; i < len;) {
            unsigned n = s[i] < 0x80 ? 1 : decode(s, len, i, &cp);
            if (n == 1 && s[i] >= 0x80) {
                out[o++] = (char)(0xC0 | (s[i] >> 6));
                out[o++] = (char)(0x80 | (s[i] & 0x3F));
            } else {
                memcpy(out + o, s + i, n);
                o += n;
            }
            i += n;
        }
    }
    out[olen] = '\0';
    if (outlen)
        *outlen = olen;
    return out;
}
