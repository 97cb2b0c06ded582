/*
 * search_int.h - internals shared by the search files (not installed).
 *
 * qbuild.c turns a parsed query into a Xapian query plus the word groups
 * that passage scoring and highlighting look for; search.c runs it.
 */
#ifndef TG_SEARCH_INT_H
#define TG_SEARCH_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tg_query.h"
#include "tg_strmap.h"
#include "tg_text.h"
#include "tg_spelling.h"
#include "xapian_c.h"

/* Alternatives of one query word: 0 is the word itself (its forms and
 * spelling variants); the others are aliases ("KH" for "Kataib
 * Hezbollah"), each with a weight below or at 1. */
#define TG_MAX_ALTS 4

typedef struct tg_gterm {
    char *term;          /* an unstemmed index term (owned) */
    unsigned alt;        /* which alternative it belongs to */
    int note;            /* index into tg_plan.notes, or -1 */
} tg_gterm;

/* One query word as passage scoring sees it. */
typedef struct tg_group {
    char *label;         /* the word as typed, for --explain (owned) */
    tg_gterm *terms;
    size_t nterms;
    double alt_weight[TG_MAX_ALTS];
    unsigned nalts;
    double idf;
    int phrase_next;     /* 1 when the next group follows it in a phrase
                            or a known multi-word name */
} tg_group;

/* A word the index does not know, and the spelling data's suggestion. */
typedef struct tg_fix {
    char *raw;           /* as typed */
    char *fix;
} tg_fix;

typedef struct tg_plan {
    xc_query *query;     /* owned; NULL when the query has no positive part */
    tg_group *groups;    /* positive words in query order */
    size_t ngroups;
    char **notes;        /* how the query was expanded, for people:
                            "KH = Kataib Hezbollah", "Hizballah ~ Hezbollah" */
    size_t nnotes;
    tg_fix *fixes;
    size_t nfixes;
    tg_fix *used;        /* words the archive never has, and the spelling
                            of the archive searched in their place
                            ("Showing results for") */
    size_t nused;
    char **aliases;      /* normalised alias forms the query matched
                            ("kataib hezbollah" for KH) */
    size_t naliases;
    tg_strmap *term_notes;  /* owned: every group term -> its note + 2 (the
                               first group's), for highlighting; see
                               tg_plan_term_note */
    /* The lengths (bit min(len, 63)) and first bytes of those terms: most
     * words of a passage are no query term, and these two tests say so
     * before the map's hash is computed. */
    uint64_t note_lens;
    uint64_t note_first[4];
} tg_plan;

/* Flags of tg_plan_build. */
enum {
    TG_PLAN_ENTITIES = 1,   /* names, aliases and variants (else plain BM25
                               on the words typed) */
    TG_PLAN_FORMS = 2,      /* the database has stem -> forms entries
                               (TG_META_FORMS); else the vocabulary is walked */
    TG_PLAN_LITERAL = 4,    /* words the archive lacks stay as typed */
    TG_PLAN_TITLE_FORMS = 8 /* no ZS title stems: `title:` words match the
                               forms of their stem (TG_META_FORMS "2") */
};

/* How the words of a long query (one with its stopwords dropped) weigh
 * against each other: each plain word by (its idf / the words' mean
 * idf)^idf_power times (its burstiness / the words' geometric mean
 * burstiness)^burst_power, burstiness being (cf + 1) / (df + 1) of its
 * stem, how often the articles that have it repeat it. 0 and 0: every
 * word as typed. */
typedef struct tg_qweights {
    double idf_power, burst_power;
    unsigned family;    /* a word also matches the archive's stems that
                           extend or shorten its stem by up to this many
                           letters, as one term (lib/qbuild.c, add_family;
                           0: its stem alone) */
    double family_own;  /* the word's own stem also scores alone at this
                           share beside the family's term (0: none) */
} tg_qweights;

/* Builds the plan for tree over rdb with TG_PLAN_* flags and the long
 * query weights qw (NULL: as typed); memo (may be
 * NULL) keeps the shared contexts of spellings for the next plan. Returns
 * TG_OK, TG_ERR_NOMEM, or TG_ERR_DB when a call on rdb failed while
 * planning (its text: xc_rdb_last_failure); *plan is then empty. */
tg_status tg_plan_build(xc_rdb *rdb, tg_stemmer *stemmer, tg_spell_memo *memo,
                        const tg_qtree *tree, int flags, const tg_qweights *qw,
                        tg_plan *plan);
void tg_plan_free(tg_plan *plan);
/* The note of the plan's term term[0..len) (-1 for none), or -2 when no
 * group has the term. */
int tg_plan_term_note(const tg_plan *plan, const char *term, size_t len);

#endif
