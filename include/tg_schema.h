/*
 * tg_schema.h - how Tigris lays articles out in a Xapian database.
 *
 * The full description of terms, value slots and the stored record is the
 * comment at the top of lib/index.c (the file that writes them); this
 * header holds the constants that the writer and the searcher share.
 */
#ifndef TG_SCHEMA_H
#define TG_SCHEMA_H

/* Format version of the database layout; bumped on incompatible change. */
#define TG_SCHEMA_VERSION "1"

/* Metadata keys. */
#define TG_META_VERSION "tigris.schema"
#define TG_META_LANG    "tigris.lang"
#define TG_META_LAYOUT  "tigris.layout"   /* "article" or "passages" (lib/index.c) */
/* "1": the synonym table holds XF<stem> -> forms for every word indexed
 * (set when a database is created with names learnt; else the searcher
 * walks the vocabulary for forms). "2": the same, and title words have no
 * stem terms (ZS): `title:` finds a stem's forms in the table and matches
 * them as S terms (databases created since 2026-12-06; a "1" database
 * keeps writing ZS terms). */
#define TG_META_FORMS   "tigris.forms"
#define TG_FORMS_TABLE       "1"
#define TG_FORMS_TITLE_TOO   "2"
/* "<capitalised> <in capitals> <words>": counts of the title and body
 * words indexed (lib/lexicon.c), summed over runs; whether the archive
 * has case to learn names from (tg_lexicon_caseless). */
#define TG_META_CASE    "tigris.case"
/* "K N": the database is shard K (0-based) of the N of a database kept
 * in shards (indexer --shards; lib/index.c) */
#define TG_META_SHARD   "tigris.shard"
#define TG_LAYOUT_ARTICLE  "article"
#define TG_LAYOUT_PASSAGES "passages"

/* Term prefixes (Xapian's conventions: one capital letter, or X + more). */
#define TG_PFX_ID      "Q"    /* unique article id (boolean); an id longer
                                 than TG_ID_MAX bytes as "#"+hash (tg_key_term) */
#define TG_ID_MAX      239
#define TG_PFX_STEM    "Z"    /* stemmed form, no positions */
#define TG_PFX_TITLE   "S"    /* title words, positions (their stems ZS only in
                                 databases with TG_META_FORMS "1") */
#define TG_PFX_AUTHOR  "A"    /* author words, positions */
#define TG_PFX_TAG     "K"    /* tag words, positions */
#define TG_PFX_SOURCE  "XN"   /* notes and bibliography words, positions */
#define TG_PFX_DAY     "D"    /* D20160913 (boolean) */
#define TG_PFX_MONTH   "M"    /* M201609 (boolean) */
#define TG_PFX_YEAR    "Y"    /* Y2016 (boolean) */
#define TG_PFX_ORIGIN  "XO"   /* input file path, "#"+hash when long (boolean) */
#define TG_PFX_URL     "XU"   /* article url, "#"+hash when long (boolean) */
#define TG_PFX_ADDRESS "XA"   /* the words of e-mail addresses and host names,
                                 positions (not indexed as the words) */
#define TG_PFX_GROUP   "XG"   /* layout "passages": article id of a passage */

/* Keys in Xapian's synonym table, where the indexer keeps what it learns
 * about names (lib/lexicon.c):
 *   XV<skeleton> -> a word seen as a name with that transliteration key
 *                   (tg_entity.h), e.g. XVhzblh -> hezbollah, hizballah
 *   XM<name>     -> "n": a multi-word name seen in the archive
 *                   ("XMcamp liberty")
 *   XA<form>     -> "<kind>:<other form>" for each alias definition, both
 *                   ways: kind a (key is an acronym), l (key is the long
 *                   form of an acronym), k (also known as), f (key is a
 *                   front for the other), p (the other is a front for it)
 *   XF<stem>     -> every indexed title and body word (3 to 40 letters,
 *                   no digits) with that stem: XFeconom -> economy,
 *                   economic, economics ... (the forms a stem search
 *                   matches, whose positions score passages); present
 *                   when the metadata TG_META_FORMS is "1"
 *   XS<sound key> -> every indexed title and body word of 4 to 40 letters
 *                   a-z with that sound key (tg_spelling.h): XSrtmn ->
 *                   ortmann, hartmann ...; a word with kh is filed under
 *                   its key with kh read as h too. The searcher finds the
 *                   archive's spellings of a typed word here.
 * XF and XS sets are written one member per key since 2026-12-06
 * ("XFeconom" XC_SYN_MEMBER "economy" -> "", never compressed by Xapian);
 * xc_rdb_synonyms reads both layouts as one set.
 * Spelling data ("did you mean") is Xapian's own spelling table. */
#define TG_SYN_VARIANT "XV"
#define TG_SYN_NAME    "XM"
#define TG_SYN_ALIAS   "XA"
#define TG_SYN_FORM    "XF"
#define TG_SYN_SOUND   "XS"

/* Value slots. */
#define TG_SLOT_DATE   0      /* "YYYYMMDD"; missing parts as "01" */
#define TG_SLOT_HASH   1      /* content hash, 16 hex digits */
#define TG_SLOT_ID     2      /* the article id */
#define TG_SLOT_SOURCE 3      /* the input file path */
#define TG_SLOT_SIGNATURE 4   /* the article's signature (tg_signature.h) */

/* Word positions: title words take 1..TG_TITLE_MAX_WORDS, body words start
 * at TG_BODY_BASE, so a phrase never spans the title and the body, and a
 * body position maps back to its word ordinal as pos - TG_BODY_BASE. */
#define TG_TITLE_MAX_WORDS 200
#define TG_BODY_BASE       1000
/* A title word counts this many times in its article (the unstemmed word
 * and its Z stem): the title says what the article is about, so BM25
 * weighs it as a field worth four body words (BM25F's field weight in
 * Xapian's one-field model). Chosen on the judged collections: 1 (no
 * boost) to 6 measured, 3 and 4 best, 4 kept (README, "Ranking"). */
#define TG_TITLE_WDF       4

#endif
