/*
 * tg_spelling.h - one word's spellings across an archive, for any word
 * and any archive: mixed case, all capitals or all lower case.
 *
 * tg_entity.h's variants join names the archive writes with capitals;
 * this module joins spellings of any word by sound and lets the archive's
 * own evidence decide: how often each spelling occurs, and whether the
 * two occur among the same other words (Tehran and Teheran do; treasury
 * and treasure do not).
 *
 *   sound key   vowels, h and y left out, consonants folded into classes
 *               (b p f v w ph; c k q g; d t th dh; s z sh; j ch tch zh dj;
 *               l; r; m; n; x as k s), repeats written once. The indexer
 *               files every word of 4 or more letters under its key (synonym key
 *               XS<key>, tg_schema.h); the searcher reads the candidates
 *               of a typed word from there.
 *   distance    a weighted edit distance over letters with digraphs read
 *               as one sound (kh, ph, th, dh, gh, sh, ch, tch, zh, dj; sz
 *               is s) and x as two (k s: Alexander, Aleksandr), in
 *               quarter points: a doubled letter or an h 1 (4 for an h
 *               that begins a word before a vowel: hedith is not edith),
 *               y/i 0, a vowel
 *               changed 2 (a/e, e/i, o/u, a/o) or 3, a vowel added or
 *               dropped 2, two letters swapped 2 (litre/liter), a
 *               romanisation pair 0 to 4 (q/k, c/k, s/z, d/t, b/p, f/v,
 *               kh/h, kh/k, dh/z, th/t 1, c/kh 2, ch/h 2, ch/kh 1, c/ch 3:
 *               a mark dropped, c/z 4: ts), g/c 6 (Golan is not Colon),
 *               any other consonant changed 8, added or dropped 6.
 *   allowance   grows with the consonants of the typed word (a name of
 *               six or more takes any consonant changed: Nebuchadrezzar),
 *               and is
 *               wider for a spelling the archive never uses than for one
 *               it has (Iran is not Oran; Abas, never written, is Abbas).
 *               A word that is not an ordinary one also takes the words
 *               it is a name's variant of (tg_translit_variant: the same
 *               consonants, vowels free; Muhammad, Mohammed) beyond it:
 *               what the indexer learns from capitals, for any archive.
 */
#ifndef TG_SPELLING_H
#define TG_SPELLING_H

#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"
#include "xapian_c.h"

#define TG_SOUND_KEY_MAX 48

/* The shared contexts of pairs of words worked out before, kept for the
 * next query: reading them (12 articles' words each) is most of what a
 * query with a rare word costs. One per searcher, used by one thread at a
 * time; what it holds is of one revision of the database and forgotten
 * when the database it is used with has moved on (a commit reopened to),
 * and when it is full. The functions below take one or NULL (none). */
typedef struct tg_spell_memo tg_spell_memo;
/* Returns a new, empty memo (free with tg_spell_memo_free), NULL when out
 * of memory. */
tg_spell_memo *tg_spell_memo_new(void);
void tg_spell_memo_free(tg_spell_memo *m);   /* accepts NULL */

/* Writes word's sound key into out (NUL-terminated). Returns the key's
 * length, 0 when word is not 4..40 ASCII letters a-z (then no key). */
size_t tg_sound_key(const char *word, char out[TG_SOUND_KEY_MAX]);
/* The keys a word is filed under: its key, and for a word with kh its key
 * with kh read as h (Khomeini, Homeini). A key has one consonant class
 * at least (Hannah: n). Returns how many (0 to 2). */
int tg_sound_keys(const char *word, char key[TG_SOUND_KEY_MAX], char alt[TG_SOUND_KEY_MAX]);

/* Flags of the distance and the look-up. */
enum {
    /* The typed word is an ordinary word of the language (the archive
     * inflects it: bound, bounds, bounded): its vowels are part of it, so
     * a vowel changed costs 6 and one added or dropped 4, and the English
     * endings spelt two ways (-our/-or, -re/-er, -ogue/-og, -ence/-ense)
     * are one. Names and transliterations inflect rarely. */
    TG_SPELL_ORDINARY = 1,
    /* The archive is a small one without case to learn names from (the
     * searcher passes it under 5,000 articles that tg_lexicon_caseless
     * finds caseless): a spelling that is a name's variant of the typed
     * word (the same consonants, vowels free: tg_translit_variant) is
     * judged as the variants a mixed-case archive learns from capitals
     * are: taken on its spelling when the typed word is in too few
     * articles for contexts, else when it shares them
     * (TG_SPELLING_CONTEXT_MIN), rarer or not (Quran and Koran in an old
     * magazine's few articles). */
    TG_SPELL_CASELESS = 2
};

/* The distance of two normalised words in quarter points with
 * TG_SPELL_* flags, or cap + 1 when it exceeds cap (the computation stops
 * early). */
int tg_spelling_distance(const char *a, const char *b, int flags, int cap);

/* Whether word ends in one of the endings English spells two ways
 * (catalogue, catalog, litre, colour: see TG_SPELL_ORDINARY; of -or and
 * -er, which end too many words, only their other side: colour, litre). */
int tg_spelling_english_ending(const char *word);

/* The largest distance at which a spelling counts as one of word's, by
 * word's consonants; attested: the archive has word itself. */
int tg_spelling_allowance(const char *word, int attested);

/* One spelling of a typed word that the archive uses. */
typedef struct tg_spelling {
    char *word;          /* owned by the array */
    uint32_t df;         /* articles that have it */
    int distance;        /* tg_spelling_distance from the typed word */
    double context;      /* 0..1 overlap of the two words' contexts; -1
                            when not measured (typed word not attested) */
    int variant;         /* for a typed word the archive lacks: kept as a
                            name's variant of it (tg_translit_variant),
                            not for being likely; the caller drops it if
                            it is a word of the language */
} tg_spelling;

/* The archive's spellings of word, best first, through a new array in
 * *out (free with tg_spellings_free) of *n entries. A word the archive
 * has takes the spellings within its allowance that share its contexts,
 * more of them for a spelling rarer than itself (a rare spelling widens to
 * common ones, a common word gains no rare look-alikes); a word it lacks takes
 * the likeliest attested ones (how often used, how near), and beside them
 * the ones that are a name's variants of it (the same consonants, vowels
 * free: what a mixed-case archive learns from capitals, so that an archive
 * without case finds them too; .variant set). flags:
 * TG_SPELL_*, for an attested word. Returns
 * TG_OK (maybe with *n == 0), TG_ERR_NOMEM, or TG_ERR_DB (a database
 * error, a failed frequency included; its text in xc_rdb_last_failure). */
tg_status tg_spellings_find(xc_rdb *db, const char *word, int flags, tg_spelling **out,
                            size_t *n, tg_spell_memo *memo);
/* Whether a word is one of the language (the archive inflects it: the
 * searcher's test, which needs its stemmer). */
typedef int (*tg_spell_word_fn)(const char *word, void *ud);
/* tg_spellings_find, told which candidates are words of the language
 * (is_word, NULL: none). For a typed word the archive lacks, such a
 * candidate is as far as misspelling it makes it (TG_SPELL_ORDINARY
 * distance): its vowels are its own, and the romanisation pairs (th/t,
 * kh/h, q/k) do not spell it (hedith is Hadith's, not edit's; Methras
 * Mithras's, not metres'). The memo must be used with one is_word. */
tg_status tg_spellings_find_words(xc_rdb *db, const char *word, int flags,
                                  tg_spell_word_fn is_word, void *ud, tg_spelling **out,
                                  size_t *n, tg_spell_memo *memo);
void tg_spellings_free(tg_spelling *v, size_t n);

/* How much each of others[0..n) shares word's contexts, 0..1, into
 * shared[0..n): the cosine of the words of up to 12 articles of each,
 * weighted by rarity (words in over a tenth of the archive left out); -1
 * where either has no such word, so that nothing can be told.
 * Returns TG_OK, TG_ERR_NOMEM or TG_ERR_DB. */
tg_status tg_spelling_contexts(xc_rdb *db, const char *word, const char *const *others,
                               size_t n, double *shared, tg_spell_memo *memo);
/* The least share of contexts for two attested words to be one word's
 * spellings, when the typed word has at least TG_SPELLING_CONTEXT_DF
 * articles: fewer are too few to say what its contexts are (Corea in two
 * articles shares 0.01 with Korea), and then the spelling distance alone
 * decides, as for a word the archive lacks; but a common word (in over 50
 * articles and 0.5% of the archive) is then another word unless all but
 * the same, a doubled letter, an h or y/i apart (khalif is not half). */
#define TG_SPELLING_CONTEXT_MIN 0.05
#define TG_SPELLING_CONTEXT_DF 5
/* ... and for a spelling rarer than the typed word, which must then share
 * its contexts like one word's (Quran and Koran 0.58; Golan and colon,
 * both in 20 articles, 0.14); a typed word in fewer than
 * TG_SPELLING_CONTEXT_DF articles takes no rarer spelling. */
#define TG_SPELLING_CONTEXT_SAME 0.2

#endif
