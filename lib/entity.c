/*
 * entity.c - names, aliases and transliteration variants (tg_entity.h).
 *
 * Everything here works on the tokenizer's output, so a name found in an
 * article and a name typed in a query are the same string of terms.
 */
#include "tg_entity.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tg_buf.h"
#include "tg_text.h"

/* ---- transliteration keys ------------------------------------------------ */

#define MAX_SLOTS (TG_TRANSLIT_KEY_MAX + 1)
#define SLOT_MAX 8

typedef struct skeleton {
    char cons[TG_TRANSLIT_KEY_MAX];   /* folded classes: the key */
    char orig[TG_TRANSLIT_KEY_MAX];   /* the letters before folding */
    size_t ncons;
    char slots[MAX_SLOTS][SLOT_MAX];   /* vowels before cons[i]; last: after */
} skeleton;

static int is_vowel(int c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* Folds a consonant (and a following 'h' of a digraph) into its class.
 * Returns the class letter and sets *used to the bytes consumed. */
static char fold_consonant(const char *s, size_t *used)
{
    *used = 1;
    if (s[1] == 'h') {
        *used = 2;
        switch (s[0]) {
        case 'd': return 'd';
        case 't': return 't';
        case 'g': return 'k';
        case 'p': return 'f';
        case 'k': return 'x';
        case 's': return 'S';
        case 'c': return 'C';
        case 'z': return 'Z';
        default: *used = 1;
        }
    }
    switch (s[0]) {
    case 'q': case 'c': case 'g': return 'k';
    case 'w': return 'v';
    default: return s[0];
    }
}

static int parse_skeleton(const char *t, skeleton *sk)
{
    memset(sk, 0, sizeof *sk);
    size_t slotlen = 0;
    for (const char *p = t; *p;) {
        unsigned char c = (unsigned char)*p;
        if (c < 'a' || c > 'z')
            return -1;              /* digits, non-ASCII: no key */
        /* y is a vowel unless a vowel follows it */
        int vowel = is_vowel(c) || (c == 'y' && !is_vowel((unsigned char)p[1]));
        if (vowel) {
            char v = c == 'y' ? 'i' : (char)c;
            char *slot = sk->slots[sk->ncons];
            if (slotlen == 0 || slot[slotlen - 1] != v) {
                if (slotlen + 1 >= SLOT_MAX)
                    return -1;
                slot[slotlen++] = v;
            }
            p++;
            continue;
        }
        size_t used;
        char k = fold_consonant(p, &used);
        char o = used == 2 ? (char)toupper((unsigned char)p[0]) : p[0];
        p += used;
        /* a doubled consonant (with no vowel between) counts once */
        if (sk->ncons && slotlen == 0 && sk->cons[sk->ncons - 1] == k)
            continue;
        if (sk->ncons + 1 >= TG_TRANSLIT_KEY_MAX)
            return -1;
        sk->orig[sk->ncons] = o;
        sk->cons[sk->ncons++] = k;
        slotlen = 0;
    }
    return sk->ncons ? 0 : -1;
}

size_t tg_translit_key(const char *term, char out[TG_TRANSLIT_KEY_MAX])
{
    skeleton sk;
    out[0] = '\0';
    if (parse_skeleton(term, &sk))
        return 0;
    memcpy(out, sk.cons, sk.ncons);
    out[sk.ncons] = '\0';
    return sk.ncons;
}

static int related_vowels(char a, char b)
{
    static const char *pairs[] = { "ae", "ei", "ou", "ao" };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if ((a == pairs[i][0] && b == pairs[i][1]) || (a == pairs[i][1] && b == pairs[i][0]))
            return 1;
    return 0;
}

/* Cost of writing consonant a where b was written, both of one class, in
 * quarter points: q/k and c/k are the same sound in different
 * transliterations, q/g a dialect (Qaddafi, Gaddafi), c/q and g/k are
 * rarely one name (Quran is not Curran, Golan is not Colon). */
static int consonant_cost(char a, char b)
{
    if (a == b)
        return 0;
    static const struct { char a, b; int cost; } pairs[] = {
        { 'q', 'k', 1 }, { 'c', 'k', 2 }, { 'q', 'g', 3 }, { 'q', 'c', 5 }, { 'g', 'k', 6 },
        { 'g', 'c', 6 }, { 'D', 'd', 0 }, { 'T', 't', 0 }, { 'P', 'f', 0 }, { 'G', 'g', 0 },
        { 'w', 'v', 1 }, { 'G', 'k', 6 }, { 'G', 'q', 3 },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if ((a == pairs[i].a && b == pairs[i].b) || (a == pairs[i].b && b == pairs[i].a))
            return pairs[i].cost;
    return 6;
}

/* Edit distance of two vowel slots in quarter points. */
static int slot_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    int d[SLOT_MAX + 1][SLOT_MAX + 1];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = (int)i * 5;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = (int)j * 5;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            int sub = a[i - 1] == b[j - 1] ? 0 : related_vowels(a[i - 1], b[j - 1]) ? 2 : 4;
            int best = d[i - 1][j - 1] + sub;
            if (d[i - 1][j] + 5 < best)
                best = d[i - 1][j] + 5;
            if (d[i][j - 1] + 5 < best)
                best = d[i][j - 1] + 5;
            d[i][j] = best;
        }
    return d[na][nb];
}

int tg_translit_distance(const char *a, const char *b)
{
    skeleton x, y;
    if (parse_skeleton(a, &x) || parse_skeleton(b, &y) || x.ncons != y.ncons ||
        memcmp(x.cons, y.cons, x.ncons) != 0)
        return -1;
    int d = 0;
    for (size_t i = 0; i <= x.ncons; i++)
        d += slot_distance(x.slots[i], y.slots[i]);
    for (size_t i = 0; i < x.ncons; i++)
        d += consonant_cost(x.orig[i], y.orig[i]);
    return d;
}

int tg_translit_variant(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 0;
    int d = tg_translit_distance(a, b);
    if (d < 0)
        return 0;
    char key[TG_TRANSLIT_KEY_MAX];
    size_t n = tg_translit_key(a, key);
    int allowance = n <= 2 ? 0 : n == 3 ? 3 : 7;
    return d <= allowance;
}

/* ---- tokens with their shape --------------------------------------------- */

typedef struct tok {
    size_t term;          /* offset of the term in the arena */
    size_t len;
    size_t start, end;
    unsigned cap : 1, caps : 1, sent : 1, para : 1, line : 1;  /* line: first on its line */
} tok;

typedef struct toks {
    const char *text;
    size_t textlen;
    tok *v;
    size_t n, cap;
    tg_buf arena;
    int oom;
    /* words of letters; of them in capitals (two or more letters), and
     * capitalised otherwise: counted as tokens come (count_case) */
    uint64_t words, all_caps, capitalised;
} toks;

static const char *term_of(const toks *t, size_t i) { return t->arena.data + t->v[i].term; }

/* What lies between the previous token (or the text start) and offset
 * `at`: sets *sent when a sentence ends there, *para for a blank line,
 * *line for any line break. */
static void gap_shape(const char *text, size_t from, size_t at, int first, int *sent, int *para,
                      int *line)
{
    *sent = first;
    *para = first;
    *line = first;
    int newlines = 0;
    for (size_t i = from; i < at; i++) {
        char c = text[i];
        if (c == '.' || c == '?' || c == '!' || c == ':')
            *sent = 1;
        else if (c == '\n') {
            *line = 1;
            if (++newlines >= 2)
                *sent = *para = 1;
        } else if (c != ' ' && c != '\t' && c != '\r')
            newlines = 0;
    }
}

static int collect_tok(const tg_token *tk, void *ud)
{
    toks *t = ud;
    if (tk->in_address)
        return 0;   /* a host name's parts are no name's evidence */
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        tok *v = realloc(t->v, cap * sizeof *v);
        if (!v) {
            t->oom = 1;
            return 1;
        }
        t->v = v;
        t->cap = cap;
    }
    tok *k = &t->v[t->n];
    k->term = t->arena.len;
    k->len = tk->len;
    if (tg_buf_append(&t->arena, tk->term, tk->len + 1)) {
        t->oom = 1;
        return 1;
    }
    k->start = tk->start;
    k->end = tk->end;
    k->cap = tk->capitalized;
    k->caps = tk->all_caps;
    int sent, para, line;
    size_t from = t->n ? t->v[t->n - 1].end : 0;
    gap_shape(t->text, from, tk->start, t->n == 0, &sent, &para, &line);
    k->sent = sent;
    k->para = para;
    k->line = line;
    if (tk->term[0] >= 'a' && tk->term[0] <= 'z') {    /* digits say nothing of case */
        t->words++;
        if (k->caps && k->len > 1)
            t->all_caps++;
        else if (k->cap)
            t->capitalised++;
    }
    t->n++;
    return 0;
}

/* ---- names ---------------------------------------------------------------- */

/* Is w in list, a NULL-terminated array of n words in strcmp order (keep
 * the lists below sorted)? Name analysis asks this of nearly every word. */
static int in_sorted(const char *w, const char *const *list, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const unsigned char *a = (const unsigned char *)w, *b = (const unsigned char *)list[mid];
        while (*a && *a == *b)
            a++, b++;
        if (*a == *b)
            return 1;
        if (*a < *b)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}
#define in_list(w, list) in_sorted((w), (list), sizeof(list) / sizeof *(list) - 1)

/* Lower-case words that may stand inside a name. */
static const char *const connectors[] = {
    "al", "bin", "bint", "da", "de", "del", "der", "du", "e", "el", "ibn", "la", "le", "of",
    "the", "van", "von", NULL };
/* ... and, besides those, inside a long form spelled by an acronym
 * ("Supreme Council for the Islamic Revolution in Iraq (SCIRI)"). */
static const char *const acronym_connectors[] = {
    "al", "and", "bin", "bint", "da", "de", "del", "der", "du", "e", "el", "for", "ibn",
    "in", "la", "le", "of", "on", "the", "to", "van", "von", NULL };

/* Capitalised words that open sentences without naming anything. */
static const char *const openers[] = {
    "a", "according", "after", "again", "all", "also", "although", "among", "an", "and",
    "another", "any", "are", "as", "at", "because", "before", "between", "both", "but",
    "by", "can", "could", "despite", "did", "do", "does", "during", "each", "earlier",
    "either", "even", "every", "few", "for", "from", "he", "her", "here", "his", "how",
    "however", "i", "if", "in", "instead", "is", "it", "its", "just", "later", "like",
    "many", "may", "meanwhile", "might", "most", "my", "neither", "no", "not", "now", "of",
    "on", "once", "one", "only", "or", "other", "our", "over", "several", "she", "should",
    "since", "so", "some", "still", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "those", "though", "to", "today", "two", "under", "unlike",
    "until", "was", "we", "were", "what", "when", "where", "whether", "while", "who", "why",
    "will", "with", "within", "would", "yesterday", "yet", "you", "your", NULL };

/* Does the gap between two tokens keep them in one name? Only blanks and
 * hyphens (and a single line break) may stand between; but a word alone
 * on its line is a heading or a table's label ("Year" over "Oper shr
 * ...", "Net ..." in wire earnings tables), and an indented line starts
 * a paragraph or a row: neither is half of a name that wrapped prose
 * split. */
static int joins(const toks *t, size_t i)
{
    const tok *a = &t->v[i], *b = &t->v[i + 1];
    if (b->sent || b->para || (a->line && b->line))
        return 0;
    for (size_t k = a->end; k < b->start; k++) {
        char c = t->text[k];
        if (c != ' ' && c != '-' && c != '\t' && c != '\n' && c != '\r')
            return 0;
        /* An indented line is a new paragraph or table row ("1986 Year\n
         * Net loss ..."), not the wrapped rest of a name. */
        if (c == '\n' && k + 2 < b->start && (t->text[k + 1] == '\t' ||
                                             (t->text[k + 1] == ' ' && t->text[k + 2] == ' ')))
            return 0;
    }
    return 1;
}

/* Capitalised by convention, not because they name anyone. */
static const char *const calendar[] = {
    "april", "august", "december", "february", "friday", "january", "july", "june", "march",
    "may", "monday", "november", "october", "saturday", "september", "sunday", "thursday",
    "tuesday", "wednesday", NULL };

static int name_word(const toks *t, size_t i)
{
    return (t->v[i].cap || t->v[i].caps) && !in_list(t->arena.data + t->v[i].term, calendar);
}

typedef struct run {
    size_t first, end;    /* tokens [first, end) */
    int sent;
} run;

/* Paragraphs mostly in capitals (wire headlines) are skipped: there a
 * capital letter says nothing. Marks skipped tokens in *skip. */
static void mark_shouting(const toks *t, unsigned char *skip)
{
    size_t p = 0;
    while (p < t->n) {
        size_t q = p + 1;
        while (q < t->n && !t->v[q].para)
            q++;
        size_t letters = 0, caps = 0;
        for (size_t i = p; i < q; i++) {
            const char *w = term_of(t, i);
            if (!isdigit((unsigned char)w[0])) {
                letters++;
                caps += t->v[i].caps;
            }
        }
        if (letters >= 3 && caps * 2 > letters)
            memset(skip + p, 1, q - p);
        p = q;
    }
}

static size_t find_runs(const toks *t, const unsigned char *skip, run **out)
{
    run *runs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < t->n;) {
        if (skip[i] || !name_word(t, i)) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < t->n && !skip[j] && joins(t, j - 1)) {
            if (name_word(t, j)) {
                j++;
                continue;
            }
            /* a connector counts only when a name word follows it */
            size_t k = j;
            while (k < t->n && !skip[k] && !name_word(t, k) && in_list(term_of(t, k), connectors) &&
                   joins(t, k - 1) && k - j < 2)
                k++;
            if (k < t->n && k > j && !skip[k] && name_word(t, k) && joins(t, k - 1))
                j = k + 1;
            else
                break;
        }
        size_t first = i;
        /* "The", "In" ... open sentences; they are not part of the name */
        while (first < j && t->v[first].sent && !t->v[first].caps &&
               in_list(term_of(t, first), openers))
            first++;
        while (first < j && !name_word(t, first))
            first++;
        /* A lone "Its" or "However" is an opener whatever precedes it
         * (a footnote marker "(2)" hides the sentence end). */
        if (first + 1 == j && !t->v[first].caps && in_list(term_of(t, first), openers))
            first = j;
        /* Nor does a name end with a grammar word ("All The", "I Need"
         * in title-case lines): trim them off both ends. */
        if (j - first > 1) {
            while (j - first > 1 && in_list(term_of(t, first), openers))
                first++;
            while (j - first > 1 && in_list(term_of(t, j - 1), openers))
                j--;
        }
        /* Several words in capitals inside ordinary text are emphasis
         * ("it WAS NOT allowed"), not a name; one is an acronym. */
        if (j - first > 1) {
            size_t caps = 0;
            for (size_t k = first; k < j; k++)
                caps += t->v[k].caps;
            if (caps == j - first)
                first = j;
        }
        if (first < j) {
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                run *v = realloc(runs, cap * sizeof *v);
                if (!v) {
                    free(runs);
                    *out = NULL;
                    return (size_t)-1;
                }
                runs = v;
            }
            runs[n++] = (run){ first, j, t->v[first].sent };
        }
        i = j;
    }
    *out = runs;
    return n;
}

/* Joins the terms of tokens [a, b) with spaces into key. */
static int make_key(const toks *t, size_t a, size_t b, tg_buf *key)
{
    tg_buf_clear(key);
    for (size_t i = a; i < b; i++)
        if ((i > a && tg_buf_putc(key, ' ')) || tg_buf_append(key, term_of(t, i), t->v[i].len))
            return -1;
    if (!key->data && tg_buf_append(key, "", 0))
        return -1;
    return 0;
}

/* ---- aliases --------------------------------------------------------------- */

/* Does the acronym `acr` (lower case letters) spell the initials of tokens
 * [a, b)? Every word either gives the next letter or is a connector that
 * is skipped; the first and last words must give letters. */
static int initials_match(const toks *t, const char *acr, size_t a, size_t b)
{
    size_t m = strlen(acr);
    /* walk backwards, greedy with one-step backtracking is enough for the
     * short spans involved: use a small DP instead of cleverness */
    size_t n = b - a;
    if (n == 0 || n > 16 || m > 12)
        return 0;
    /* ok[i][j]: letters [0,i) matched by words [0,j) */
    unsigned char ok[13][17];
    memset(ok, 0, sizeof ok);
    ok[0][0] = 1;
    for (size_t j = 1; j <= n; j++) {
        const char *w = term_of(t, a + j - 1);
        int conn = in_list(w, acronym_connectors);
        for (size_t i = 0; i <= m; i++) {
            if (conn && j > 1 && j < n && ok[i][j - 1])
                ok[i][j] = 1;               /* skip a connector inside */
            if (i > 0 && ok[i - 1][j - 1] && w[0] == acr[i - 1])
                ok[i][j] = 1;
        }
    }
    return ok[m][n];
}

/* Lower-case letters of an all-capitals token ("MEK" -> "mek"); plural
 * "MEKs" is not an acronym definition. In text without case (caseless)
 * any short word of letters may be one: its definition's initials must
 * still spell it. */
static int acronym_letters(const toks *t, size_t i, int caseless, char *out, size_t outsz)
{
    const tok *k = &t->v[i];
    if ((caseless ? k->len > 8 : !k->caps) || k->len < 2 || k->len >= outsz)
        return 0;
    const char *w = term_of(t, i);
    for (size_t c = 0; c < k->len; c++)
        if (w[c] < 'a' || w[c] > 'z')
            return 0;
    memcpy(out, w, k->len + 1);
    return 1;
}

/* Is the raw text between offsets a and b exactly blanks + ch + blanks? */
static int gap_is(const char *text, size_t a, size_t b, char ch)
{
    int seen = 0;
    for (size_t i = a; i < b; i++) {
        if (text[i] == ch && !seen)
            seen = 1;
        else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
            return 0;
    }
    return seen;
}

typedef struct scan {
    const toks *t;
    const unsigned char *skip;
    int caseless;          /* the text has no case (all capitals or all
                              lower): definitions are read by their shape,
                              "long name (ln)", whatever the capitals */
    tg_alias_cb on_alias;
    void *ud;
    tg_buf k1, k2;
    int stop;
    int oom;
} scan;

static void emit_alias(scan *s, size_t a1, size_t b1, size_t a2, size_t b2, tg_alias_kind kind)
{
    if (s->stop || s->oom)
        return;
    if (make_key(s->t, a1, b1, &s->k1) || make_key(s->t, a2, b2, &s->k2)) {
        s->oom = 1;
        return;
    }
    if (strcmp(s->k1.data, s->k2.data) == 0)
        return;
    if (s->on_alias(s->k1.data, s->k2.data, kind, s->ud))
        s->stop = 1;
}

/* A word that may stand in a definition: a name word, or in text without
 * case any word of letters. */
static int def_word(const scan *s, size_t i)
{
    if (!s->caseless)
        return name_word(s->t, i);
    const char *w = term_of(s->t, i);
    return w[0] >= 'a' && w[0] <= 'z';
}

/* "Long Name (ACR)" and "ACR (Long Name)". */
static void scan_acronyms(scan *s)
{
    const toks *t = s->t;
    char acr[16];
    for (size_t i = 1; i < t->n && !s->stop; i++) {
        if ((!s->caseless && s->skip[i]) || !acronym_letters(t, i, s->caseless, acr, sizeof acr))
            continue;
        size_t m = strlen(acr);
        /* Long Name (ACR) */
        if (gap_is(t->text, t->v[i - 1].end, t->v[i].start, '(') && t->v[i].end < t->textlen &&
            t->text[t->v[i].end] == ')') {
            /* The longest matching span: "Asaib Ahl al-Haq (AAH)" must not
             * stop at "Ahl al-Haq", whose initials also fit. */
            size_t b = i, best = b;
            size_t lo = b > m + 4 ? b - (m + 4) : 0;
            for (size_t a = b - 1;; a--) {
                if (!def_word(s, a) && !in_list(term_of(t, a), acronym_connectors))
                    break;
                if (a < b - 1 && !joins(t, a))
                    break;
                if (def_word(s, a) && initials_match(t, acr, a, b))
                    best = a;
                if (a == lo)
                    break;
            }
            if (best < b)
                emit_alias(s, i, i + 1, best, b, TG_ALIAS_ACRONYM);
        }
        /* ACR (Long Name) */
        if (i + 1 < t->n && gap_is(t->text, t->v[i].end, t->v[i + 1].start, '(')) {
            size_t a = i + 1, b = a;
            while (b < t->n && b - a <= m + 4) {
                b++;
                if (b < t->n && !joins(t, b - 1))
                    break;
            }
            /* the name must end right before ')' */
            if (b - 1 < t->n && t->v[b - 1].end < t->textlen && t->text[t->v[b - 1].end] == ')' &&
                def_word(s, a) && def_word(s, b - 1) && initials_match(t, acr, a, b))
                emit_alias(s, i, i + 1, a, b, TG_ALIAS_ACRONYM);
        }
    }
}

static size_t run_ending_at(const run *runs, size_t nruns, size_t last)
{
    for (size_t r = 0; r < nruns; r++)
        if (runs[r].end == last + 1)
            return r;
    return (size_t)-1;
}

static size_t run_starting_at(const run *runs, size_t nruns, size_t first)
{
    for (size_t r = 0; r < nruns; r++)
        if (runs[r].first == first)
            return r;
    return (size_t)-1;
}

/* The first letter first: scan_phrases asks this of every word. */
static int word_is(const toks *t, size_t i, const char *w)
{
    return i < t->n && *term_of(t, i) == *w && strcmp(term_of(t, i), w) == 0;
}

/* Words after which a name may stop (in strcmp order, as every list here). */
static const char *const glue[] = { "and", "are", "for", "had", "has", "in", "is", "of",
                                    "or", "that", "to", "was", "were", "which", "who", NULL };

/* Does a name end at token `end`, rather than being an adjective before a
 * noun ("a front for Iranian influence")? */
static int name_ends(const toks *t, size_t end)
{
    if (end >= t->n || t->v[end].sent || t->v[end].cap || t->v[end].caps)
        return 1;
    for (size_t k = t->v[end - 1].end; k < t->v[end].start; k++)
        if (t->text[k] != ' ' && t->text[k] != '\t' && t->text[k] != '\n')
            return 1;          /* punctuation after the name */
    return in_list(term_of(t, end), glue);
}

/* "X, also known as Y" and "X ... a front for Y". */
static void scan_phrases(scan *s, const run *runs, size_t nruns)
{
    const toks *t = s->t;
    for (size_t i = 1; i + 2 < t->n && !s->stop; i++) {
        size_t after = 0;
        tg_alias_kind kind;
        if ((word_is(t, i, "also") || word_is(t, i, "better")) && word_is(t, i + 1, "known") &&
            word_is(t, i + 2, "as")) {
            after = i + 3;
            kind = TG_ALIAS_AKA;
        } else if (word_is(t, i, "a") && word_is(t, i + 1, "front") && word_is(t, i + 2, "for")) {
            after = i + 3;
            kind = TG_ALIAS_FRONT;
        } else {
            continue;
        }
        if (word_is(t, after, "the"))
            after++;
        size_t r2 = run_starting_at(runs, nruns, after);
        if (r2 == (size_t)-1 || !name_ends(t, runs[r2].end))
            continue;
        size_t r1 = (size_t)-1;
        if (kind == TG_ALIAS_AKA) {
            r1 = run_ending_at(runs, nruns, i - 1);
        } else {
            /* the nearest name before, within the sentence */
            for (size_t r = 0; r < nruns; r++)
                if (runs[r].end <= i && i - runs[r].end < 12)
                    r1 = r;
            for (size_t k = r1 == (size_t)-1 ? i : runs[r1].end; k <= i && r1 != (size_t)-1; k++)
                if (t->v[k].sent && k > runs[r1].first)
                    r1 = (size_t)-1;
        }
        if (r1 == (size_t)-1)
            continue;
        emit_alias(s, runs[r1].first, runs[r1].end, runs[r2].first, runs[r2].end, kind);
        /* "better known as ISIS or ISIL" */
        size_t e = runs[r2].end;
        if (word_is(t, e, "or") && (r2 = run_starting_at(runs, nruns, e + 1)) != (size_t)-1 &&
            name_ends(t, runs[r2].end))
            emit_alias(s, runs[r1].first, runs[r1].end, runs[r2].first, runs[r2].end, kind);
    }
}

static void count_case(const toks *t, uint64_t *capitalised, uint64_t *all_caps,
                       uint64_t *words)
{
    *capitalised += t->capitalised;
    *all_caps += t->all_caps;
    *words += t->words;
}

/* The analysis of collected tokens: names, then aliases. */
static tg_status analyse(toks *t, tg_name_cb on_name, tg_alias_cb on_alias, void *ud)
{
    tg_status st = t->oom ? TG_ERR_NOMEM : TG_OK;
    unsigned char *skip = st ? NULL : calloc(t->n ? t->n : 1, 1);
    run *runs = NULL;
    size_t nruns = 0;
    if (!st && !skip)
        st = TG_ERR_NOMEM;
    if (!st) {
        mark_shouting(t, skip);
        nruns = find_runs(t, skip, &runs);
        if (nruns == (size_t)-1)
            st = TG_ERR_NOMEM;
    }
    tg_buf key = { 0 };
    for (size_t r = 0; !st && on_name && r < nruns; r++) {
        if (make_key(t, runs[r].first, runs[r].end, &key)) {
            st = TG_ERR_NOMEM;
            break;
        }
        size_t nw = runs[r].end - runs[r].first;
        tg_name nm = { key.data, nw, t->v[runs[r].first].start, t->v[runs[r].end - 1].end,
                       (unsigned)runs[r].sent, nw == 1 && t->v[runs[r].first].caps };
        if (on_name(&nm, ud))
            break;
    }
    tg_buf_free(&key);
    if (!st && on_alias) {
        uint64_t cap = 0, caps = 0, words = 0;
        count_case(t, &cap, &caps, &words);
        int caseless = words >= 20 && (cap * 100 < words || caps * 2 > words);
        scan s = { t, skip, caseless, on_alias, ud, { 0 }, { 0 }, 0, 0 };
        scan_acronyms(&s);
        scan_phrases(&s, runs, nruns);
        if (s.oom)
            st = TG_ERR_NOMEM;
        tg_buf_free(&s.k1);
        tg_buf_free(&s.k2);
    }
    free(runs);
    free(skip);
    return st;
}

tg_status tg_scan_entities(const char *text, size_t len, tg_name_cb on_name,
                           tg_alias_cb on_alias, void *ud)
{
    toks t = { .text = text, .textlen = len };
    if (len && tg_tokenize(text, len, collect_tok, &t))
        t.oom = 1;
    tg_status st = analyse(&t, on_name, on_alias, ud);
    free(t.v);
    tg_buf_free(&t.arena);
    return st;
}

/* ---- a scanner fed by someone else's tokenizing ---------------------------- */

struct tg_entscan {
    toks t;
};

tg_entscan *tg_entscan_new(void) { return calloc(1, sizeof(tg_entscan)); }

void tg_entscan_free(tg_entscan *sc)
{
    if (!sc)
        return;
    free(sc->t.v);
    tg_buf_free(&sc->t.arena);
    free(sc);
}

void tg_entscan_begin(tg_entscan *sc, const char *text, size_t len)
{
    sc->t.text = text;
    sc->t.textlen = len;
    sc->t.n = 0;
    sc->t.oom = 0;
    sc->t.words = sc->t.all_caps = sc->t.capitalised = 0;
    tg_buf_clear(&sc->t.arena);
}

int tg_entscan_token(const tg_token *token, tg_entscan *sc) { return collect_tok(token, &sc->t); }

tg_status tg_entscan_finish(tg_entscan *sc, tg_name_cb on_name, tg_alias_cb on_alias, void *ud)
{
    return analyse(&sc->t, on_name, on_alias, ud);
}

void tg_entscan_case(const tg_entscan *sc, uint64_t *capitalised, uint64_t *all_caps,
                     uint64_t *words)
{
    count_case(&sc->t, capitalised, all_caps, words);
}

/* ---- for the tests ---------------------------------------------------------- */

static int sorted_list(const char *const *list)
{
    for (size_t i = 0; list[i] && list[i + 1]; i++)
        if (strcmp(list[i], list[i + 1]) >= 0)
            return 0;
    return 1;
}

int tg_entity_word_lists_sorted(void)
{
    return sorted_list(connectors) && sorted_list(acronym_connectors) && sorted_list(openers) &&
           sorted_list(calendar) && sorted_list(glue);
}
