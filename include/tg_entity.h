/*
 * tg_entity.h - names in text: capitalised runs, acronym and alias
 * definitions, and transliteration-aware spelling variants.
 *
 * The indexer runs these over every article to learn, from the archive
 * itself, which words are names, which names are aliases of each other
 * ("Kataib Hezbollah (KH)") and which spellings are variants of one name
 * (Hezbollah, Hizballah). The searcher uses the same functions to expand
 * queries and to list the names near a hit. All terms are normalised
 * exactly as tg_tokenize normalises them; multi-word names are their terms
 * joined by single spaces ("kataib hezbollah").
 */
#ifndef TG_ENTITY_H
#define TG_ENTITY_H

#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"

/* ---- spelling variants of transliterated names --------------------------
 *
 * A word's key is its consonant skeleton with transliteration folds:
 * doubled letters count once, q c g k are one letter, dh th gh ph fold to
 * d t g f, vowels (a e i o u, and y between consonants) are left out.
 * Hezbollah and Hizballah both give "hzblh". Words with equal keys are
 * variants when they differ little, counted in quarter points: vowels
 * compared slot by slot between consonants (related vowels a/e, e/i, o/u,
 * a/o cost 2, others 4, a missing vowel 5), and consonants folded into
 * one class (q/k 1, c/k 2; q/g 3; q/c 5; g/k, g/c 6; dh/d, th/t 0). The
 * allowance grows with the skeleton: none below 3 consonants (Iran is not
 * Oran), 3 with 3 (Quran ~ Koran, Qaddafi ~ Gaddafi; Hamas is not Homs,
 * Golan is not Colon or Galen), 7 from 4 (Muhammad ~ Mohammed, Moslem ~ Muslim;
 * Muhammad is not Mahamid).
 */
#define TG_TRANSLIT_KEY_MAX 64

/* Writes term's key into out (NUL-terminated); returns its length in
 * consonants, 0 when the term has none or is not alphabetic ASCII. */
size_t tg_translit_key(const char *term, char out[TG_TRANSLIT_KEY_MAX]);
/* 1 if a and b (normalised terms) are spelling variants of each other
 * (equal keys and vowel distance within the allowance), else 0. A term is
 * not its own variant. */
int tg_translit_variant(const char *a, const char *b);
/* The distance of two words with equal keys, in quarter points
 * (Hezbollah/Hizballah = 4); -1 when the keys differ. */
int tg_translit_distance(const char *a, const char *b);

/* ---- names and aliases in running text --------------------------------- */

typedef enum tg_alias_kind {
    TG_ALIAS_ACRONYM = 'a',   /* "Kataib Hezbollah (KH)", "KH (Kataib Hezbollah)" */
    TG_ALIAS_AKA = 'k',       /* "X, also known as Y" */
    TG_ALIAS_FRONT = 'f'      /* "X ... a front for Y" */
} tg_alias_kind;

/* A name found in text: its normalised terms joined by spaces, the words
 * as written (borrowed from the text), and where. */
typedef struct tg_name {
    const char *key;       /* "camp liberty"; borrowed, valid in the callback */
    size_t nwords;
    size_t start, end;     /* byte range of the name in the text */
    unsigned sentence_start : 1;  /* the name opens a sentence */
    unsigned acronym : 1;         /* one all-capitals word ("KH", "MEK") */
} tg_name;

typedef int (*tg_name_cb)(const tg_name *name, void *ud);
/* shortform and longform are normalised keys (borrowed, valid in the
 * callback); for TG_ALIAS_FRONT, shortform is the front and longform the
 * organisation it fronts for. */
typedef int (*tg_alias_cb)(const char *shortform, const char *longform, tg_alias_kind kind,
                           void *ud);

/* Calls on_name for every name in text (runs of capitalised words, with
 * connectors such as "al", "e", "of", "bin" allowed inside) and on_alias for
 * every alias definition. Either callback may be NULL. A callback returning
 * non-zero stops the scan. Paragraphs written mostly in capitals (wire
 * headlines) give no names. Returns TG_OK or TG_ERR_NOMEM. */
tg_status tg_scan_entities(const char *text, size_t len, tg_name_cb on_name,
                           tg_alias_cb on_alias, void *ud);

/* The same scan over tokens the caller produces anyway (the indexer, which
 * tokenizes every body once for the index): begin with the text, pass
 * each of its tg_tokenize tokens in order, then finish. The scanner keeps
 * its memory from one text to the next. */
typedef struct tg_entscan tg_entscan;
#include "tg_text.h"
/* A new scanner, or NULL on no memory; free with tg_entscan_free. */
tg_entscan *tg_entscan_new(void);
void tg_entscan_free(tg_entscan *sc);
/* text must stay valid until tg_entscan_finish returns. */
void tg_entscan_begin(tg_entscan *sc, const char *text, size_t len);
/* Returns 0, or non-zero on no memory (then finish fails). */
int tg_entscan_token(const tg_token *tok, tg_entscan *sc);
tg_status tg_entscan_finish(tg_entscan *sc, tg_name_cb on_name, tg_alias_cb on_alias, void *ud);

/* Adds to the counters the scanned text's words (those beginning with a
 * letter), the capitalised ones and the ones in capitals (two letters or
 * more): what says whether an archive has case to learn names from. */
void tg_entscan_case(const tg_entscan *sc, uint64_t *capitalised, uint64_t *all_caps,
                     uint64_t *words);

/* For the tests: 1 when the word lists name analysis searches by halves
 * (connectors, openers, month and day names...) are in strcmp order, as
 * the search needs; 0 otherwise. */
int tg_entity_word_lists_sorted(void);

#endif
