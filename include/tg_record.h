/*
 * tg_record.h - the article record stored as a Xapian document's data.
 *
 * Layout (all integers unsigned LEB128 varints, strings length-prefixed):
 *   "TGR2"                      magic and record version
 *   id, url, title, date, author, origin      strings ("" when absent)
 *   ntags, tag...               strings
 *   npassages, then per passage: start, len, first_word, nwords
 *   body, sources               strings ("" when absent)
 * Xapian's docdata table compresses each record whole (zlib), so stored
 * text costs about a third of its size without a second compression
 * here. Passages hold byte ranges into the body.
 * Records written before (magic "TGR1") are still read: the same fields,
 * but body and sources each as raw length, zlib length, zlib bytes.
 */
#ifndef TG_RECORD_H
#define TG_RECORD_H

#include <stddef.h>
#include "tg_article.h"
#include "tg_buf.h"

/* Appends the record of a and its passages to out. */
tg_status tg_record_encode(const tg_article *a, const tg_passage *p, size_t np, tg_buf *out);

/* A decoded record. Strings point into the record memory passed to
 * tg_record_decode (borrowed, not NUL-terminated: use the _len fields);
 * passages and the inflated body/sources are owned by the record and freed
 * by tg_record_free. */
typedef struct tg_strref { const char *p; size_t n; } tg_strref;
typedef struct tg_record {
    tg_strref id, url, title, date, author, origin;
    tg_strref *tags;
    size_t ntags;
    tg_passage *passages;
    size_t npassages;
    /* The body and sources as stored (borrowed): raw (TGR2), or zlib
     * blobs until tg_record_body() inflates them (TGR1). */
    int raw;
    const char *zbody; size_t zbody_len; size_t body_len;
    const char *zsrc;  size_t zsrc_len;  size_t src_len;
    char *body;      /* owned; NULL until tg_record_body() or _body_upto() */
    size_t body_have;  /* bytes of body inflated so far */
    char *sources;   /* owned; NULL until tg_record_sources() */
} tg_record;

/* Parses data[0..len). Returns TG_ERR_FORMAT for a malformed record. The
 * record borrows data: keep it alive while using the record. */
tg_status tg_record_decode(const char *data, size_t len, tg_record *r);
/* Inflates the body on first use; returns it NUL-terminated (owned by r)
 * or NULL on a corrupt blob or no memory. */
const char *tg_record_body(tg_record *r);
/* The body's first `end` bytes at least (end <= body_len), inflated on
 * demand: a snippet near the start need not inflate the whole article.
 * Returns the body (owned by r; NUL-terminated only once all of it is
 * inflated) or NULL on a corrupt blob or no memory. */
const char *tg_record_body_upto(tg_record *r, size_t end);
const char *tg_record_sources(tg_record *r);
void tg_record_free(tg_record *r);

/* A 64-bit content hash of every field of a (FNV-1a): equal hashes mean
 * the article need not be re-indexed. Writes 16 hex digits + NUL. */
void tg_article_hash(const tg_article *a, char out[17]);

/* The term that names key under prefix, into out (cleared first): prefix +
 * key + suffix, or, when key and suffix (NULL: none) are longer than max
 * bytes, prefix + "#" + 16 hex digits of key's hash + suffix (Xapian
 * refuses terms of more than 245 bytes). The one rule for the article id (Q, max TG_ID_MAX), its
 * url (XU) and its file (XO), both max 200. Returns 0, -1 on no memory. */
int tg_key_term(tg_buf *out, const char *prefix, const char *key, size_t max,
                const char *suffix);

#endif
