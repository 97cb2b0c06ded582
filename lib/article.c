/* article.c - the article record and the passage splitter.
 *
 * Passages are what search results show and what the indexer maps word
 * positions to, so the splitter counts words with tg_tokenize itself: a
 * passage's first_word is then exactly the position the indexer gives that
 * word. */
#include "tg_article.h"
#include "tg_buf.h"
#include "tg_text.h"

#include <stdlib.h>
#include <string.h>

void tg_article_init(tg_article *a)
{
    memset(a, 0, sizeof *a);
}

void tg_article_clear(tg_article *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->url);
    free(a->title);
    free(a->date);
    free(a->author);
    for (size_t i = 0; i < a->ntags; i++)
        free(a->tags[i]);
    free(a->tags);
    free(a->body);
    free(a->sources);
    free(a->origin);
    tg_article_init(a);
}

tg_status tg_article_set(char **field, const char *s, size_t n)
{
    if (!field)
        return TG_ERR_ARG;
    if (!s) {
        free(*field);
        *field = NULL;
        return TG_OK;
    }
    if (n == (size_t)-1)
        n = strlen(s);
    /* Copy before freeing: s may point into the old value. */
    char *p = malloc(n + 1);
    if (!p)
        return TG_ERR_NOMEM;
    memcpy(p, s, n);
    p[n] = '\0';
    free(*field);
    *field = p;
    return TG_OK;
}

tg_status tg_article_add_tag(tg_article *a, const char *tag, size_t n)
{
    if (!a || !tag)
        return TG_ERR_ARG;
    char *copy = NULL;
    tg_status st = tg_article_set(&copy, tag, n);
    if (st)
        return st;
    char **t = realloc(a->tags, (a->ntags + 1) * sizeof *t);
    if (!t) {
        free(copy);
        return TG_ERR_NOMEM;
    }
    t[a->ntags++] = copy;
    a->tags = t;
    return TG_OK;
}

/* ---- passage splitter --------------------------------------------------- */

typedef struct {
    size_t start, end;
    uint32_t index;     /* the tokenizer's ordinal: the indexer's position */
    unsigned cap : 1;   /* starts with a capital letter */
} tok_span;

typedef struct {
    tok_span *v;
    size_t n, cap;
    int nomem;
} tok_list;

typedef struct {
    size_t start, end;  /* trimmed byte range */
    size_t t0, t1;      /* tokens [t0, t1) */
} span;

static int collect_token(const tg_token *tok, void *ud)
{
    tok_list *l = ud;
    if (TG_ARRAY_RESERVE(l->v, l->cap, l->n + 1)) {
        l->nomem = 1;
        return 1;
    }
    l->v[l->n].start = tok->start;
    l->v[l->n].end = tok->end;
    l->v[l->n].index = tok->index;
    l->v[l->n].cap = tok->capitalized;
    l->n++;
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Paragraphs: maximal runs of non-blank lines, trimmed. With out == NULL
 * only counts them. */
static size_t find_paragraphs(const char *s, size_t len, span *out)
{
    size_t n = 0, i = 0;
    int in_para = 0;
    while (i < len) {
        size_t eol = i;
        while (eol < len && s[eol] != '\n')
            eol++;
        size_t a = i, b = eol;
        while (a < b && is_space((unsigned char)s[a]))
            a++;
        while (b > a && is_space((unsigned char)s[b - 1]))
            b--;
        if (a == b) {
            in_para = 0;
        } else if (in_para) {
            if (out)
                out[n - 1].end = b;
        } else {
            if (out) {
                out[n].start = a;
                out[n].end = b;
            }
            n++;
            in_para = 1;
        }
        i = eol + 1;
    }
    return n;
}

/* A closing quote or bracket may sit between a sentence's full stop and the
 * space: `."` `.)` `.”`. Returns its length at p, or 0. */
static size_t closer_len(const unsigned char *p, const unsigned char *end)
{
    if (p < end && (*p == '"' || *p == '\'' || *p == ')' || *p == ']'))
        return 1;
    if (end - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x9D || p[2] == 0x99))
        return 3; /* ” ’ */
    if (end - p >= 2 && p[0] == 0xC2 && p[1] == 0xBB)
        return 2; /* » */
    return 0;
}

/* Is the gap between tokens j-1 and j a sentence end: ". " "? " "! "
 * (possibly with closing quotes) and token j starts with a capital? */
static int sentence_end(const char *body, const tok_span *t, size_t j)
{
    if (!t[j].cap && !(body[t[j].start] >= 'A' && body[t[j].start] <= 'Z'))
        return 0;
    const unsigned char *p = (const unsigned char *)body + t[j - 1].end;
    const unsigned char *end = (const unsigned char *)body + t[j].start;
    for (; p < end; p++) {
        if (*p != '.' && *p != '?' && *p != '!')
            continue;
        const unsigned char *q = p + 1;
        size_t k;
        while ((k = closer_len(q, end)) != 0)
            q += k;
        if (q < end && is_space(*q))
            return 1;
    }
    return 0;
}

/* Where to split the bytes between tokens j-1 and j: the left passage ends
 * at the first space after token j-1 (so its closing punctuation stays
 * with it), the right one starts at the next non-space. */
static void split_gap(const char *body, const tok_span *t, size_t j, size_t *left_end,
                      size_t *right_start)
{
    size_t a = t[j - 1].end, b = t[j].start;
    size_t p = a;
    while (p < b && !is_space((unsigned char)body[p]))
        p++;
    if (p == b) /* no space: "Khalq-based" cut inside a hyphenated word */
        p = a;
    *left_end = p;
    while (p < b && is_space((unsigned char)body[p]))
        p++;
    *right_start = p;
}

typedef struct {
    tg_passage *v;
    size_t n, cap;
} passage_list;

/* Tokens [t0, t1) of t, bytes [start, end) of the body. */
static int push_passage(passage_list *l, const tok_span *t, size_t start, size_t end, size_t t0,
                        size_t t1)
{
    if (TG_ARRAY_RESERVE(l->v, l->cap, l->n + 1))
        return -1;
    tg_passage *p = &l->v[l->n++];
    p->start = (uint32_t)start;
    p->len = (uint32_t)(end - start);
    /* Ordinals from the tokenizer itself, not from our array positions,
     * so positions agree with the indexer's even if it ever numbers
     * tokens it does not report. */
    p->first_word = t[t0].index;
    p->nwords = t[t1 - 1].index + 1 - t[t0].index;
    return 0;
}

/* Cuts group g into windows of about `target` words each. The number of
 * windows is fixed first (W / target, rounded) so that the last window is
 * not a stub; each cut then goes to the sentence end (or paragraph break)
 * nearest to an even share of what is left, within a third of a window. */
static int cut_windows(const char *body, const tok_span *t, const unsigned char *para_start,
                       const span *g, size_t target, passage_list *out)
{
    size_t w = g->t1 - g->t0;
    size_t k = (w + target / 2) / target;
    if (k < 2)
        k = 2;
    size_t radius = target / 3 ? target / 3 : 1;
    size_t prev = g->t0, start = g->start;
    for (size_t i = 1; i < k; i++) {
        size_t left = k - i + 1; /* windows still to make, this one included */
        size_t ideal = prev + (g->t1 - prev + left / 2) / left;
        size_t lo = ideal > prev + radius ? ideal - radius : prev + 1;
        size_t hi = ideal + radius;
        if (hi > g->t1 - (left - 1))
            hi = g->t1 - (left - 1); /* leave a word for each later window */
        if (lo < prev + 1)
            lo = prev + 1;
        size_t cut = ideal < lo ? lo : ideal > hi ? hi : ideal;
        size_t best_d = (size_t)-1;
        for (size_t j = lo; j <= hi; j++) {
            if (!para_start[j] && !sentence_end(body, t, j))
                continue;
            size_t d = j > ideal ? j - ideal : ideal - j;
            if (d < best_d) {
                best_d = d;
                cut = j;
            }
        }
        size_t le, rs;
        split_gap(body, t, cut, &le, &rs);
        if (push_passage(out, t, start, le, prev, cut))
            return -1;
        prev = cut;
        start = rs;
    }
    return push_passage(out, t, start, g->end, prev, g->t1);
}

tg_status tg_split_passages(const char *body, size_t len, const tg_passage_opts *opts,
                            tg_passage **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!body || len == 0)
        return TG_OK;
    /* Passages store 32-bit offsets. */
    if (len > UINT32_MAX)
        return TG_ERR_LIMIT;
    size_t target = opts && opts->target_words ? opts->target_words : 100;
    /* A paragraph without a single word always joins a neighbour: a passage
     * must hold something to find. */
    size_t minw = opts ? opts->min_words : 25;
    if (minw < 1)
        minw = 1;

    tok_list toks = {0};
    span *paras = NULL;
    unsigned char *para_start = NULL;
    passage_list pl = {0};
    tg_status st = tg_tokenize(body, len, collect_token, &toks);
    if (!st && toks.nomem)
        st = TG_ERR_NOMEM;
    if (st || toks.n == 0)
        goto done;

    size_t np = find_paragraphs(body, len, NULL);
    if (np == 0) /* tokens in a body of blanks: cannot happen, but be safe */
        goto done;
    paras = malloc(np * sizeof *paras);
    para_start = calloc(toks.n, 1);
    if (!paras || !para_start) {
        st = TG_ERR_NOMEM;
        goto done;
    }
    find_paragraphs(body, len, paras);

    /* Tokens to paragraphs: a token belongs to the last paragraph starting
     * at or before it. */
    size_t p = 0;
    for (size_t i = 0; i < np; i++)
        paras[i].t0 = paras[i].t1 = 0;
    for (size_t i = 0; i < toks.n; i++) {
        while (p + 1 < np && toks.v[i].start >= paras[p + 1].start)
            p++;
        if (paras[p].t1 == paras[p].t0)
            paras[p].t0 = i;
        paras[p].t1 = i + 1;
    }
    /* Give empty paragraphs an empty token range at the right place so
     * ranges stay contiguous when groups are merged. */
    size_t next = 0;
    for (size_t i = 0; i < np; i++) {
        if (paras[i].t1 == paras[i].t0)
            paras[i].t0 = paras[i].t1 = next;
        next = paras[i].t1;
        if (paras[i].t1 > paras[i].t0)
            para_start[paras[i].t0] = 1;
    }

    /* Join tiny paragraphs to the next one, in place: groups overwrite
     * paras[0..ng). */
    size_t ng = 0;
    for (size_t i = 0; i < np;) {
        span g = paras[i++];
        while (g.t1 - g.t0 < minw && i < np) {
            g.end = paras[i].end;
            g.t1 = paras[i].t1;
            i++;
        }
        paras[ng++] = g;
    }
    if (ng >= 2 && paras[ng - 1].t1 - paras[ng - 1].t0 < minw) {
        paras[ng - 2].end = paras[ng - 1].end;
        paras[ng - 2].t1 = paras[ng - 1].t1;
        ng--;
    }

    for (size_t i = 0; i < ng; i++) {
        const span *g = &paras[i];
        size_t w = g->t1 - g->t0;
        int rc;
        if (2 * w > 3 * target)
            rc = cut_windows(body, toks.v, para_start, g, target, &pl);
        else
            rc = push_passage(&pl, toks.v, g->start, g->end, g->t0, g->t1);
        if (rc) {
            st = TG_ERR_NOMEM;
            goto done;
        }
    }
    *out = pl.v;
    *n = pl.n;
    pl.v = NULL;

done:
    free(pl.v);
    free(para_start);
    free(paras);
    free(toks.v);
    return st;
}
