/*
 * fuzz_text.c - the tokenizer and the name learner, as the indexer runs
 * them over a body (tokens fed to the entity scanner and the spelling
 * words of a lexicon), plus the standalone scan, the passage splitter,
 * UTF-8 repair, word normalisation, stemming and transliteration keys.
 */
#include <string.h>

#include "support.h"
#include "tg_article.h"
#include "tg_entity.h"
#include "tg_lexicon.h"
#include "tg_text.h"

typedef struct ctx {
    size_t len;
    uint32_t next_index;
    tg_lexicon *lx;
    tg_stemmer *stem;
} ctx;

static int on_token(const tg_token *t, void *ud)
{
    ctx *c = ud;
    TG_FUZZ_CHECK(t->start <= t->end && t->end <= c->len);
    TG_FUZZ_CHECK(t->len == strlen(t->term) && t->len > 0 && t->len <= TG_MAX_TERM);
    TG_FUZZ_CHECK(t->index == c->next_index);
    c->next_index++;
    TG_FUZZ_CHECK(tg_utf8_valid(t->term, t->len));
    TG_FUZZ_CHECK(!tg_entscan_token(t, tg_lexicon_scanner(c->lx)));
    TG_FUZZ_CHECK(!tg_lexicon_word(c->lx, t->term, t->len));
    size_t sl = 0;
    const char *s = tg_stem(c->stem, t->term, t->len, &sl);
    TG_FUZZ_CHECK(s && sl == strlen(s));
    char key[TG_TRANSLIT_KEY_MAX];
    tg_translit_key(t->term, key);
    TG_FUZZ_CHECK(strlen(key) < TG_TRANSLIT_KEY_MAX);
    return 0;
}

static int on_name(const tg_name *n, void *ud)
{
    size_t len = *(size_t *)ud;
    TG_FUZZ_CHECK(n->key && n->nwords > 0);
    TG_FUZZ_CHECK(n->start <= n->end && n->end <= len);
    return 0;
}

static int on_alias(const char *s, const char *l, tg_alias_kind k, void *ud)
{
    (void)ud, (void)k;
    TG_FUZZ_CHECK(s && l);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tg_stemmer *stem;
    if (!stem)
        stem = tg_stemmer_new("english");
    const char *text = (const char *)data;

    /* The indexer's order: repair, then tokens into the lexicon. */
    size_t rlen = 0;
    char *fixed = tg_utf8_repair(text, size, &rlen);
    TG_FUZZ_CHECK(fixed && tg_utf8_valid(fixed, rlen) && rlen >= size);
    ctx c = { .len = rlen, .lx = tg_lexicon_new(), .stem = stem };
    TG_FUZZ_CHECK(c.lx);
    tg_lexicon_learn_begin(c.lx, fixed, rlen);
    TG_FUZZ_CHECK(!tg_tokenize(fixed, rlen, on_token, &c));
    TG_FUZZ_CHECK(!tg_lexicon_learn_end(c.lx));
    tg_lexicon_free(c.lx);

    /* The raw bytes too: tg_tokenize repairs as it goes. */
    ctx raw = { .len = size, .lx = tg_lexicon_new(), .stem = stem };
    tg_lexicon_learn_begin(raw.lx, text, size);
    TG_FUZZ_CHECK(!tg_tokenize(text, size, on_token, &raw));
    TG_FUZZ_CHECK(!tg_lexicon_learn_end(raw.lx));
    tg_lexicon_free(raw.lx);

    TG_FUZZ_CHECK(!tg_scan_entities(fixed, rlen, on_name, on_alias, &rlen));

    tg_passage *p = NULL;
    size_t np = 0;
    tg_passage_opts po = TG_PASSAGE_OPTS_DEFAULT;
    TG_FUZZ_CHECK(!tg_split_passages(fixed, rlen, &po, &p, &np));
    uint32_t words = 0;
    for (size_t i = 0; i < np; i++) {
        TG_FUZZ_CHECK((size_t)p[i].start + p[i].len <= rlen);
        TG_FUZZ_CHECK(i == 0 || p[i].start >= p[i - 1].start + p[i - 1].len);
        TG_FUZZ_CHECK(p[i].first_word == words);
        words += p[i].nwords;
    }
    TG_FUZZ_CHECK(words == c.next_index);
    free(p);

    char word[TG_MAX_TERM * 4 + 1];
    size_t wl = tg_normalize_word(fixed, rlen < 300 ? rlen : 300, word, sizeof word);
    TG_FUZZ_CHECK(wl < sizeof word && wl == strlen(word));
    /* Two halves as words: the variant relation is symmetric. */
    size_t half = rlen / 2;
    char a[TG_MAX_TERM + 1], b[TG_MAX_TERM + 1];
    if (tg_normalize_word(fixed, half, a, sizeof a) &&
        tg_normalize_word(fixed + half, rlen - half, b, sizeof b))
        TG_FUZZ_CHECK(tg_translit_variant(a, b) == tg_translit_variant(b, a));
    free(fixed);
    return 0;
}
