/*
 * tg_signature.h - an article's signature: the few stems that say what it
 * is about, for comparing articles with each other at query time.
 *
 * Score regularization (lib/search.c, regularize) compares the top
 * articles of a long query by the cosine of their stems' tf-idf. Reading
 * each article's whole term list for that cost a long query half again
 * its instructions (30 term lists, inflated and decoded: about 250,000
 * instructions an article); the signature holds the stems that weigh
 * most, written at index time into value slot TG_SLOT_SIGNATURE, so the
 * searcher reads a value of about 175 bytes instead.
 *
 * Which stems: the body and title stems ("Z" and a lower-case letter, not
 * a field's ZS/ZA/ZXN) that are not stopword stems, the
 * TG_SIGNATURE_STEMS best by (1 + ln wdf) * their length in bytes, ties
 * by byte order. Length stands in for rarity (the indexer does not know
 * the final document frequencies; long words are rarer): on the six
 * judged collections, comparing articles by these 24 stems, weighed by
 * their true idf at query time, ranks as the whole term lists did
 * (scripts/eval-robust.sh: within a point of the gain over the peers,
 * full and subsets, on each collection; 32 stems ranked alike), while
 * the same stems without idf lost 5 points on LISA. Not for what names
 * share (lib/spelling.c, contexts): long common words fill it, which say
 * little there (README, "Score regularization"). The searcher builds the same
 * signature from the term list of an article indexed before signatures
 * existed, so old and new databases rank alike.
 *
 * STORED FORMAT (value slot TG_SLOT_SIGNATURE, tg_schema.h)
 *   byte 0        TG_SIGNATURE_FORMAT (1)
 *   then per stem, in byte order of the stems:
 *     byte h          shared << 4 | n, where shared (0 to 14) is the
 *                     bytes in common with the previous stem and n (0 to
 *                     15) the bytes that follow; or 0xff, then varint
 *                     shared and varint n (a long stem)
 *     n bytes         the rest of the stem (no "Z")
 *     varint wdf      its wdf in the article (title words count
 *                     TG_TITLE_WDF each, as in the index)
 */
#ifndef TG_SIGNATURE_H
#define TG_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>
#include "tg_buf.h"
#include "tg_status.h"

#define TG_SIGNATURE_STEMS  24
#define TG_SIGNATURE_FORMAT 1
/* Longer stems are left out (a stem of 64 bytes is no word). */
#define TG_SIGNATURE_MAX_STEM 64

/* Collects one article's terms. A zeroed tg_signature is empty and valid;
 * it owns its memory (tg_signature_free). */
typedef struct tg_signature {
    struct tg_sig_stem *v;
    size_t n, cap;
    tg_buf stems;        /* the candidates' bytes, back to back */
} tg_signature;

/* Offers one of the article's terms, in any order, each once (a document's
 * term list): terms other than body stems are ignored. Returns TG_OK or
 * TG_ERR_NOMEM (the signature keeps what it had). */
tg_status tg_signature_add(tg_signature *sig, const char *term, size_t len, uint32_t wdf);
/* Appends the signature of the terms offered since the last reset to out
 * (the stored format above; one byte when no stem qualified). Returns
 * TG_OK or TG_ERR_NOMEM. */
tg_status tg_signature_encode(tg_signature *sig, tg_buf *out);
/* Forgets the terms offered, keeping the memory. */
void tg_signature_reset(tg_signature *sig);
/* Frees the memory; sig is empty and valid afterwards. NULL is allowed. */
void tg_signature_free(tg_signature *sig);

/* Offers a document's terms to a signature from a term list walk
 * (xc_doc_termlist, xc_rdb_termlist): pass tg_signature_walk_term as the
 * callback and a tg_signature_walk as its data. The walk stops at the
 * first allocation failure, with oom set. */
typedef struct tg_signature_walk {
    tg_signature *sig;
    int oom;
} tg_signature_walk;
int tg_signature_walk_term(const char *term, size_t len, uint32_t wdf, void *walk);

/* Calls cb(stem, len, wdf, ud) for each stem of a stored signature, in
 * order (stem is NUL-terminated, valid during the call; no "Z"); a
 * non-zero return from cb stops the walk. Returns 0, 1 when cb stopped
 * it, or -1 when the value is no signature of this format (empty, another
 * format, truncated): the caller reads the term list instead. */
typedef int (*tg_signature_cb)(const char *stem, size_t len, uint32_t wdf, void *ud);
int tg_signature_decode(const char *val, size_t len, tg_signature_cb cb, void *ud);

#endif
