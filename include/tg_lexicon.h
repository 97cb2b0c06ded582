/*
 * tg_lexicon.h - what the archive teaches about names, stored with it.
 *
 * While indexing, a tg_lexicon gathers from each article the names it
 * uses (for transliteration variants and known multi-word names), the
 * aliases it defines ("Kataib Hezbollah (KH)") and the words for spelling
 * suggestions; tg_lexicon_flush writes what is new into the database at
 * each commit (the synonym-table layout is in tg_schema.h). The lookup
 * functions read it back for the searcher.
 */
#ifndef TG_LEXICON_H
#define TG_LEXICON_H

#include <stddef.h>
#include "tg_status.h"
#include "tg_text.h"
#include "xapian_c.h"

typedef struct tg_lexicon tg_lexicon;

/* A new, empty lexicon; NULL on no memory. Free with tg_lexicon_free. */
tg_lexicon *tg_lexicon_new(void);
void tg_lexicon_free(tg_lexicon *lx);

/* Learns names and aliases from an article body, fed token by token by
 * the indexer, which tokenizes the body anyway: begin, then
 * tg_entscan_token(tok, tg_lexicon_scanner(lx)) for each token, then
 * tg_lexicon_learn_end. */
#include "tg_entity.h"
void tg_lexicon_learn_begin(tg_lexicon *lx, const char *body, size_t len);
tg_entscan *tg_lexicon_scanner(tg_lexicon *lx);
tg_status tg_lexicon_learn_end(tg_lexicon *lx);
/* Counts one occurrence of a normalised word for spelling suggestions
 * (words with digits or under 3 bytes are ignored; at flush, words under
 * 4 bytes or met only once since the last flush are left out). */
tg_status tg_lexicon_word(tg_lexicon *lx, const char *term, size_t len);
/* Writes everything learnt since the last flush into db (not committed:
 * the caller commits), with the stem -> forms entries of the batch's
 * words by stemmer. On failure the text is in xc_wdb_errmsg(db). */
xc_status tg_lexicon_flush(tg_lexicon *lx, xc_wdb *db, tg_stemmer *stemmer);

/* ---- lookups (searcher side) --------------------------------------------- */

/* Called with each string found; non-zero stops. */
typedef int (*tg_lex_cb)(const char *s, void *ud);

/* Names in the archive that are spelling variants of word (not word
 * itself), through cb. */
xc_status tg_lexicon_variants(xc_rdb *db, const char *word, tg_lex_cb cb, void *ud);
/* 1 if the archive taught any multi-word name: 0 for an archive without
 * case information (all capitals, all lower case), or an empty one. */
int tg_lexicon_has_names(xc_rdb *db);
/* 1 if the archive has no case to learn names from: under 1% of its words
 * capitalised (all lower case) or over half in capitals (wire copy, OCR),
 * by the counts the indexer keeps (TG_META_CASE); for a database without
 * them, 1 when it taught no multi-word name. */
int tg_lexicon_caseless(xc_rdb *db);
/* 1 if word was seen as (part of) a name in the archive. */
int tg_lexicon_is_name(xc_rdb *db, const char *word);
/* 1 if key ("camp liberty") is a multi-word name of the archive. */
int tg_lexicon_known_name(xc_rdb *db, const char *key);
/* Aliases of key, through cb as "<kind>:<form>" (kinds in tg_schema.h). */
xc_status tg_lexicon_aliases(xc_rdb *db, const char *key, tg_lex_cb cb, void *ud);

#endif
