/*
 * xapian_c.h - a thin C interface to the parts of Xapian that Tigris uses.
 *
 * This header never includes <xapian.h>; every type is opaque. The one C++
 * file in the tree (lib/xapian_c.cc) implements it, and every entry point
 * there runs inside one try/catch, so no C++ exception ever reaches C code.
 *
 * Conventions
 *   - Functions that can fail return xc_status (XC_OK == 0). The text of the
 *     last error is kept on the handle it happened on and read with
 *     xc_*_errmsg(); it stays valid until the next call on that handle.
 *   - Constructors return a new handle through an out-parameter; the caller
 *     owns it and releases it with the matching *_close / *_free, all of
 *     which accept NULL.
 *   - Strings passed in are copied; strings returned through callbacks are
 *     valid only for the duration of the callback.
 *   - Read handles (xc_rdb) and write handles (xc_wdb) are distinct types.
 *     A read handle is not thread-safe: use one per thread.
 *   - DatabaseModifiedError (a writer committed under a reader) is handled
 *     inside by reopening and retrying; it is never returned.
 *   - Every failure of a read handle, and of the enquire sessions, result
 *     sets and documents made from it, is also counted on the handle
 *     (xc_rdb_failures), so calls that return a number (xc_rdb_termfreq)
 *     or nothing (xc_enquire_set_query) can fail without being believed,
 *     and a run of calls is checked once at its end.
 */
#ifndef XAPIAN_C_H
#define XAPIAN_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xc_status {
    XC_OK = 0,
    XC_ERR_NOMEM,      /* std::bad_alloc */
    XC_ERR_NOT_FOUND,  /* Xapian::DocNotFoundError, DatabaseNotFoundError */
    XC_ERR_LOCKED,     /* Xapian::DatabaseLockError */
    XC_ERR_CORRUPT,    /* Xapian::DatabaseCorruptError, DatabaseVersionError */
    XC_ERR_OPENING,    /* Xapian::DatabaseOpeningError (other than above) */
    XC_ERR_INVALID,    /* Xapian::InvalidArgumentError, InvalidOperationError */
    XC_ERR_DB,         /* any other Xapian::Error */
    XC_ERR_UNKNOWN     /* any other exception */
} xc_status;

/* Static description of st (never NULL). */
const char *xc_status_to_string(xc_status st);

/* Version of the Xapian library linked in, e.g. "1.4.22" (static). */
const char *xc_version_string(void);

typedef uint32_t xc_docid;   /* 0 is never a valid document id */

typedef struct xc_rdb xc_rdb;     /* read-only database (maybe several shards) */
typedef struct xc_wdb xc_wdb;     /* writable database */
typedef struct xc_doc xc_doc;     /* a document being built or read */
typedef struct xc_query xc_query; /* an immutable query tree */
typedef struct xc_enquire xc_enquire;
typedef struct xc_mset xc_mset;   /* one page of results */

/* ---- read-only database ---------------------------------------------- */

/* Opens the database at path (a directory, or a stub file listing shards)
 * for reading. On failure *out is NULL, and if errbuf is non-NULL the
 * reason is written there (NUL-terminated, truncated to errlen). */
xc_status xc_rdb_open(const char *path, xc_rdb **out, char *errbuf, size_t errlen);

/* Adds another database (shard) to rdb: later searches see both as one. */
xc_status xc_rdb_add(xc_rdb *rdb, const char *path);

/* Opens a read handle over n parts (shards) searched as one, each named
 * by a spec in Xapian's stub-line syntax: "auto PATH" / "glass PATH" /
 * "chert PATH" (or a bare PATH) for a local database, "remote HOST:PORT"
 * for xapian-tcpsrv, "remote :PROGRAM ARGS" (or "remote PROGRAM ARGS",
 * no colon in PROGRAM) for xapian-progsrv. Remote parts wait at most
 * timeout_ms for a connection and for each answer (0: Xapian's 10 s).
 * A part that cannot be opened is kept as dropped (xc_rdb_part_*) and the
 * others are searched; only when none opens does the call fail (*out
 * NULL, the reasons in errbuf). */
xc_status xc_rdb_open_parts(const char *const *specs, size_t n, unsigned timeout_ms,
                            xc_rdb **out, char *errbuf, size_t errlen);
/* The parts of a handle from xc_rdb_open_parts (0 for xc_rdb_open's). */
unsigned xc_rdb_parts(const xc_rdb *rdb);
/* Part i's spec as given (borrowed; "" when out of range). */
const char *xc_rdb_part_spec(const xc_rdb *rdb, unsigned i);
/* 1 while part i is searched, 0 once dropped. */
int xc_rdb_part_alive(const xc_rdb *rdb, unsigned i);
/* 1 when part i is a remote database. */
int xc_rdb_part_remote(const xc_rdb *rdb, unsigned i);
/* Why part i was dropped (borrowed; "" while alive). */
const char *xc_rdb_part_error(const xc_rdb *rdb, unsigned i);
/* Asks every live part for a round trip (remote: a keep-alive message;
 * local: its document count) and drops those that fail, with the failure
 * as their error; the handle then searches the others. Returns how many
 * were dropped. Not counted in xc_rdb_failures: a caller runs it after a
 * failure to learn which part failed. */
unsigned xc_rdb_check_parts(xc_rdb *rdb);
/* Drops part i with the reason why (its index: 0 when it was alive). */
xc_status xc_rdb_drop_part(xc_rdb *rdb, unsigned i, const char *why);
/* Tries again to open the parts dropped at least interval_ms ago; those
 * that open are searched again. Returns how many came back. */
unsigned xc_rdb_retry_parts(xc_rdb *rdb, unsigned interval_ms);
/* Reads synonyms, synonym keys, spelling suggestions and metadata from
 * the database at path (the lexicon) instead of from rdb's parts (remote
 * parts carry none of them). Reopened with rdb. */
xc_status xc_rdb_set_lexicon(xc_rdb *rdb, const char *path);
/* 1 when a lexicon is set. */
int xc_rdb_has_lexicon(const xc_rdb *rdb);

/* Reopens at the latest committed revision. */
xc_status xc_rdb_reopen(xc_rdb *rdb);

/* Releases rdb; NULL is allowed. */
void xc_rdb_close(xc_rdb *rdb);

/* Error text of the last failed call on rdb ("" if none). Owned by rdb. */
const char *xc_rdb_errmsg(const xc_rdb *rdb);

/* How many calls have failed on rdb and on what was made from it (enquire
 * sessions, result sets, documents read), since it was opened: a caller
 * takes the count before a run of calls, and an answer built from reads
 * while it grew is wrong. Counts exceptions only (a database error, no
 * memory), not arguments refused before any work (NULL, an empty term). */
uint64_t xc_rdb_failures(const xc_rdb *rdb);
/* The status and text of the latest of those failures (XC_OK and "" if
 * none); *msg (may be NULL) is owned by rdb, valid until its next failure. */
xc_status xc_rdb_last_failure(const xc_rdb *rdb, const char **msg);

/* Number of documents (0 on error, counted by xc_rdb_failures). */
uint32_t xc_rdb_doccount(xc_rdb *rdb);
/* The number of databases (shards) rdb reads: 1 for one database. */
unsigned xc_rdb_shards(const xc_rdb *rdb);
/* 1 when some live part is remote (queries must then be serialisable:
 * no docid filters, deciders or spies of ours), else 0. */
int xc_rdb_remote(const xc_rdb *rdb);
/* The revision of the database (grows with every commit); for several
 * shards, the sum of theirs (a remote shard, which cannot tell its
 * revision, counts its document count plus last docid), plus the
 * lexicon's, plus a count of the parts dropped and brought back shifted
 * left by 40 bits: docids change with the set of parts, and so must the
 * revision. *rev is 0 on failure. */
xc_status xc_rdb_revision(xc_rdb *rdb, uint64_t *rev);
/* The calls below that return a number give 0 on error, which only
 * xc_rdb_failures tells from a true 0. */
/* Average document length (total wdf of all terms / doccount). */
double xc_rdb_avlength(xc_rdb *rdb);
/* Number of documents indexed by term (0 if absent or on error). */
uint32_t xc_rdb_termfreq(xc_rdb *rdb, const char *term);
/* Number of documents with a value in slot (0 if none or on error). */
uint32_t xc_rdb_value_freq(xc_rdb *rdb, unsigned slot);
/* Total wdf of term over the collection (0 if absent or on error). */
uint64_t xc_rdb_collfreq(xc_rdb *rdb, const char *term);
/* Length (total wdf) of a document; 0 on error. */
uint32_t xc_rdb_doclength(xc_rdb *rdb, xc_docid did);

/* Looks up the first document indexed by term (typically a unique id term).
 * *did is 0 when there is none (that is XC_OK, not an error). */
xc_status xc_rdb_find_term(xc_rdb *rdb, const char *term, xc_docid *did);

/* Reads a document: *out owned by the caller (xc_doc_free). */
xc_status xc_rdb_get_document(xc_rdb *rdb, xc_docid did, xc_doc **out);

/* Positions of term in document did, ascending, through cb (one call per
 * position). Returning non-zero from cb stops the walk. A term absent from
 * the document gives no calls and XC_OK. */
typedef int (*xc_position_cb)(uint32_t pos, void *ud);
xc_status xc_rdb_positions(xc_rdb *rdb, xc_docid did, const char *term,
                           xc_position_cb cb, void *ud);

/* Which of the documents dids[0..n) (ascending) have term: has[i] gets 1
 * or 0. One walk of the term's posting list (a seek per chunk skipped),
 * where asking each document's position list costs two block reads each,
 * most of them for nothing. */
xc_status xc_rdb_term_in_docs(xc_rdb *rdb, const char *term, const xc_docid *dids, size_t n,
                              unsigned char *has);

/* Within-document frequency of term in did (0 if absent). */
xc_status xc_rdb_wdf(xc_rdb *rdb, xc_docid did, const char *term, uint32_t *wdf);

/* All terms of the database starting with prefix, in sorted order, with
 * their term frequency. Returning non-zero from cb stops the walk. */
typedef int (*xc_term_cb)(const char *term, size_t len, uint32_t termfreq, void *ud);
xc_status xc_rdb_allterms(xc_rdb *rdb, const char *prefix, xc_term_cb cb, void *ud);

/* Terms of one document (sorted), with their wdf as termfreq argument. */
xc_status xc_rdb_termlist(xc_rdb *rdb, xc_docid did, xc_term_cb cb, void *ud);
/* The same from the first term at or after from (NULL or "": all): the
 * terms before it are stepped over inside Xapian, never copied out. */
xc_status xc_rdb_termlist_from(xc_rdb *rdb, xc_docid did, const char *from, xc_term_cb cb,
                               void *ud);

/* Value in slot of document did, where did comes from a match or a
 * posting list (it is not checked to exist); *out malloc'd (caller frees),
 * NULL if the slot is empty. */
xc_status xc_rdb_get_value(xc_rdb *rdb, xc_docid did, unsigned slot, char **out, size_t *outlen);

/* Metadata value for key; *out is malloc'd (caller frees), NULL if unset. */
xc_status xc_rdb_get_metadata(xc_rdb *rdb, const char *key, char **out, size_t *outlen);

/* Spelling suggestion for word; *out malloc'd (caller frees), NULL if none. */
xc_status xc_rdb_spelling_suggestion(xc_rdb *rdb, const char *word,
                                     unsigned max_edit_distance, char **out);

/* Synonyms stored for term, through cb (termfreq argument is 0), in
 * sorted order. For the terms of the sound and stem tables ("XS", "XF"
 * prefixes) the set may also be kept one member per key, term
 * XC_SYN_MEMBER member, each with an empty synonym: both layouts are read,
 * and a member in both is reported once. */
xc_status xc_rdb_synonyms(xc_rdb *rdb, const char *term, xc_term_cb cb, void *ud);
/* Between a term and a member in a member key (above). Xapian compresses
 * each synonym entry over 18 bytes, and zlib clears 128 KiB of state for
 * each one; a member key is a few bytes and never compressed. */
#define XC_SYN_MEMBER "\x01"
/* Keys of the synonym table starting with prefix, in sorted order
 * (termfreq argument 0). */
xc_status xc_rdb_synonym_keys(xc_rdb *rdb, const char *prefix, xc_term_cb cb, void *ud);

/* ---- writable database ----------------------------------------------- */

enum {
    XC_WDB_CREATE_OR_OPEN = 0,  /* open, creating if missing */
    XC_WDB_CREATE_OR_OVERWRITE = 1,
    /* Or'ed in: commits do not fsync (Xapian's DB_NO_SYNC). A killed
     * process still leaves the last commit; a crash of the machine may
     * not. For scratch databases that are merged and then discarded. */
    XC_WDB_NO_SYNC = 0x10
};

/* Opens (or creates) a database for writing, taking its lock. */
xc_status xc_wdb_open(const char *path, int mode, xc_wdb **out, char *errbuf, size_t errlen);
/* Commits pending changes (if any) and releases the handle; NULL allowed.
 * Returns the status of the final commit. */
xc_status xc_wdb_close(xc_wdb *wdb);
/* The same, with the reason of a failure in errbuf (may be NULL). */
xc_status xc_wdb_close_why(xc_wdb *wdb, char *errbuf, size_t errlen);
/* Closes without committing what is pending (for a failure path). */
void xc_wdb_abandon(xc_wdb *wdb);
const char *xc_wdb_errmsg(const xc_wdb *wdb);

xc_status xc_wdb_commit(xc_wdb *wdb);
xc_status xc_wdb_begin_transaction(xc_wdb *wdb, int flushed);
xc_status xc_wdb_commit_transaction(xc_wdb *wdb);
xc_status xc_wdb_cancel_transaction(xc_wdb *wdb);

/* Replaces every document indexed by unique_term with doc (adds it when
 * there is none); *did (may be NULL) receives its id. */
xc_status xc_wdb_replace_by_term(xc_wdb *wdb, const char *unique_term,
                                 xc_doc *doc, xc_docid *did);
xc_status xc_wdb_add(xc_wdb *wdb, xc_doc *doc, xc_docid *did);
/* Deletes every document indexed by term (none is not an error). */
xc_status xc_wdb_delete_by_term(xc_wdb *wdb, const char *term);

xc_status xc_wdb_find_term(xc_wdb *wdb, const char *term, xc_docid *did);
/* Value in slot of document did; *out malloc'd (caller frees), NULL if the
 * slot is empty. */
xc_status xc_wdb_get_value(xc_wdb *wdb, xc_docid did, unsigned slot,
                           char **out, size_t *outlen);
/* All terms starting with prefix (see xc_rdb_allterms). */
xc_status xc_wdb_allterms(xc_wdb *wdb, const char *prefix, xc_term_cb cb, void *ud);
/* Documents indexed by term, ascending, through cb (collected first, so cb
 * may delete them). Returning non-zero from cb stops. */
typedef int (*xc_docid_cb)(xc_docid did, void *ud);
xc_status xc_wdb_postings(xc_wdb *wdb, const char *term, xc_docid_cb cb, void *ud);
xc_status xc_wdb_delete(xc_wdb *wdb, xc_docid did);
/* Number of documents; 0 on error, which only xc_wdb_get_doccount tells. */
uint32_t xc_wdb_doccount(xc_wdb *wdb);
xc_status xc_wdb_get_doccount(xc_wdb *wdb, uint32_t *n);

xc_status xc_wdb_set_metadata(xc_wdb *wdb, const char *key, const char *val, size_t vallen);
xc_status xc_wdb_get_metadata(xc_wdb *wdb, const char *key, char **out, size_t *outlen);
xc_status xc_wdb_add_spelling(xc_wdb *wdb, const char *word, unsigned freqinc);
xc_status xc_wdb_add_synonym(xc_wdb *wdb, const char *term, const char *synonym);
xc_status xc_wdb_clear_synonyms(xc_wdb *wdb, const char *term);

/* ---- documents --------------------------------------------------------- */

/* A new empty document; NULL on allocation failure. Free with xc_doc_free. */
xc_doc *xc_doc_new(void);
void xc_doc_free(xc_doc *doc);
const char *xc_doc_errmsg(const xc_doc *doc);

/* pos 0 means "no position" (adds wdf only). */
xc_status xc_doc_add_posting(xc_doc *doc, const char *term, uint32_t pos, uint32_t wdfinc);
xc_status xc_doc_add_term(xc_doc *doc, const char *term, uint32_t wdfinc);
xc_status xc_doc_add_boolean_term(xc_doc *doc, const char *term);
xc_status xc_doc_set_value(xc_doc *doc, unsigned slot, const char *val, size_t len);
xc_status xc_doc_set_data(xc_doc *doc, const char *data, size_t len);
/* Terms of a document being built (sorted), with their wdf as termfreq
 * argument; non-zero from cb stops the walk. */
xc_status xc_doc_termlist(xc_doc *doc, xc_term_cb cb, void *ud);

/* Data of the document; borrowed, valid while doc lives. "" on error (see
 * xc_doc_errmsg; for a document read from a database, xc_rdb_failures of
 * its handle counts it). */
const char *xc_doc_get_data(xc_doc *doc, size_t *len);
/* Value of slot; borrowed, valid while doc lives. Empty when unset. */
const char *xc_doc_get_value(xc_doc *doc, unsigned slot, size_t *len);

/* ---- queries ------------------------------------------------------------
 * Queries are immutable and reference-counted inside: composing functions
 * copy what they need, so the caller may free the parts right after. Every
 * constructor returns NULL only when memory is exhausted.
 */
typedef enum xc_op {
    XC_OP_AND, XC_OP_OR, XC_OP_AND_NOT, XC_OP_FILTER, XC_OP_AND_MAYBE,
    XC_OP_PHRASE, XC_OP_NEAR, XC_OP_SYNONYM, XC_OP_ELITE_SET, XC_OP_MAX
} xc_op;

/* A term (wqf: within-query frequency, 1 normally; pos: query position). */
xc_query *xc_query_term(const char *term, uint32_t wqf, uint32_t pos);
/* The documents with these ids (any order), weightless: a filter. The
 * ids are those of one database; a database of several shards numbers
 * its documents otherwise (see xc_rdb_shards). NULL on no memory. */
xc_query *xc_query_docids(const xc_docid *ids, size_t n);
/* The same for the first n documents of mset, by a term each: prefix +
 * the value in their slot (their unique id term), so that it also works
 * where docids do not reach (several databases, remote ones). NULL on a
 * failure (counted on the read handle the set came from) or no memory. */
xc_query *xc_query_mset_terms(const xc_mset *mset, uint32_t n, const char *prefix, unsigned slot);
/* The query that matches nothing. */
xc_query *xc_query_match_nothing(void);
/* The query that matches every document. */
xc_query *xc_query_match_all(void);
/* Combines n subqueries with op. window is used by PHRASE/NEAR (0 = number
 * of subqueries) and by ELITE_SET (set size). */
xc_query *xc_query_combine(xc_op op, xc_query *const *subs, size_t n, uint32_t window);
/* Documents whose value in slot lies in [lo, hi] (string order); lo or hi
 * may be NULL for an open end. */
xc_query *xc_query_value_range(unsigned slot, const char *lo, const char *hi);
/* q with weights multiplied by factor. */
xc_query *xc_query_scale(const xc_query *q, double factor);
/* Human-readable description (malloc'd, caller frees) for --explain. */
char *xc_query_describe(const xc_query *q);
/* Number of terms in q, a term counted each time it stands in the tree
 * (Xapian's get_length): what matching it costs. 0 for NULL. */
uint32_t xc_query_length(const xc_query *q);
int xc_query_empty(const xc_query *q);
void xc_query_free(xc_query *q);

/* ---- searching ----------------------------------------------------------- */

/* An enquire session over rdb; rdb must outlive it. NULL on no memory. */
xc_enquire *xc_enquire_new(xc_rdb *rdb);
void xc_enquire_free(xc_enquire *enq);
const char *xc_enquire_errmsg(const xc_enquire *enq);

void xc_enquire_set_query(xc_enquire *enq, const xc_query *q);
/* BM25 parameters (Xapian's BM25Weight: k1, k2, k3, b, min_normlen). */
/* No weights: every match scores 0 (counting runs: Xapian then computes
 * no BM25 for the matches it walks). */
void xc_enquire_set_boolean(xc_enquire *enq);
void xc_enquire_set_bm25(xc_enquire *enq, double k1, double k2, double k3,
                         double b, double min_normlen);
/* Collapse results whose value in slot is equal (keep the best max). */
void xc_enquire_set_collapse(xc_enquire *enq, unsigned slot, unsigned max);
/* After this many seconds the match stops counting matches exactly
 * (Xapian's set_time_limit: check_at_least is dropped; the match itself
 * is not interrupted). 0 = no limit. */
void xc_enquire_set_time_limit(xc_enquire *enq, double seconds);
/* Sort by value in slot (string order) instead of relevance; ties by
 * relevance. reverse != 0 gives descending order. slot < 0 restores
 * relevance order. */
void xc_enquire_set_sort_by_value(xc_enquire *enq, int slot, int reverse);

/* Counts the matches the next xc_enquire_run examines (every match when
 * check_at_least reaches the match count, else at least check_at_least
 * of them) per bucket: a match with docid d adds one to
 * counts[bucket_of[d]], unless d >= nbucket_of or bucket_of[d] is 0xFFFF
 * or >= ncounts; *seen gets the number examined. The caller owns the
 * arrays and keeps them until that run has returned; the run zeroes
 * counts and *seen first (also when Xapian retries it). Later runs don't
 * count. bucket_of NULL cancels. (A docid lookup per match: reading a
 * value per match, as Xapian's ValueCountMatchSpy does, cost 4 ms a
 * search on news.jsonl.) */
void xc_enquire_count_buckets(xc_enquire *enq, const uint16_t *bucket_of, size_t nbucket_of,
                              uint32_t *counts, size_t ncounts, uint32_t *seen);
/* Every document's value in slot, in docid order: cb(docid, value, len,
 * ud); non-zero from cb stops. */
typedef int (*xc_value_cb)(xc_docid did, const char *val, size_t len, void *ud);
xc_status xc_rdb_values(xc_rdb *rdb, unsigned slot, xc_value_cb cb, void *ud);
/* The highest docid in use (0 for an empty database). */
uint32_t xc_rdb_lastdocid(xc_rdb *rdb);
/* A match decider: only documents for which cb(data, len, ud) returns
 * non-zero are matches (data is the document's data, valid during the
 * call). It reads each candidate's data, so keep the query narrow. NULL
 * removes it. */
typedef int (*xc_data_cb)(const char *data, size_t len, void *ud);
void xc_enquire_set_decider(xc_enquire *enq, xc_data_cb cb, void *ud);

/* Runs the query: results [offset, offset+limit). check_at_least asks
 * Xapian to count at least that many matches exactly (0 = cheapest). */
xc_status xc_enquire_run(xc_enquire *enq, uint32_t offset, uint32_t limit,
                         uint32_t check_at_least, xc_mset **out);

/* Query-expansion terms from the top fb_docs documents of a result set
 * (relevance feedback), best first, by Xapian's expand weight (the
 * TradEWeight of get_eset, k = 1; computed here from one reading of the
 * documents' term lists), leaving out the query's own terms, terms that
 * don't start with prefix_filter (NULL = all) and, with min_docs > 1,
 * terms found in fewer than min_docs of the feedback documents (which
 * saves weighing them). At most nterms, through cb with the term and its
 * weight (termfreq argument is the weight * 1000, rounded). */
xc_status xc_enquire_expand(xc_enquire *enq, const xc_mset *mset, unsigned fb_docs,
                            unsigned nterms, const char *prefix_filter, unsigned min_docs,
                            xc_term_cb cb, void *ud);
/* As xc_enquire_expand, each feedback document counting (w / w1)^sharpness
 * of a document in the expand weight (its share of R, r and the wdf sum),
 * w its weight in the result set and w1 the first's: with sharpness > 0
 * the documents far below the best count little. 0: each counts 1, as
 * xc_enquire_expand. min_docs still counts whole documents. */
xc_status xc_enquire_expand_weighted(xc_enquire *enq, const xc_mset *mset, unsigned fb_docs,
                                     unsigned nterms, const char *prefix_filter,
                                     unsigned min_docs, double sharpness, xc_term_cb cb,
                                     void *ud);

/* ---- result sets ----------------------------------------------------------- */
void xc_mset_free(xc_mset *mset);
/* Number of results held in this page. */
uint32_t xc_mset_size(const xc_mset *mset);
/* Xapian's estimate of total matches, and its bounds. */
uint32_t xc_mset_matches_estimated(const xc_mset *mset);
uint32_t xc_mset_matches_lower(const xc_mset *mset);
uint32_t xc_mset_matches_upper(const xc_mset *mset);
/* Item i (0-based within the page): document id, weight, collapse count. */
xc_docid xc_mset_docid(const xc_mset *mset, uint32_t i);
double xc_mset_weight(const xc_mset *mset, uint32_t i);
uint32_t xc_mset_collapse_count(const xc_mset *mset, uint32_t i);
/* Document of item i (caller frees with xc_doc_free). */
xc_status xc_mset_document(const xc_mset *mset, uint32_t i, xc_doc **out);

#ifdef TG_FAULT_INJECT
/* The test build only (make fault, tests/fault): from now on the at-th
 * call that reaches a database throws a DatabaseError (0: none). Returns
 * how many such calls were made since the last reset. */
unsigned long xc_fault_reset(unsigned long at);
#endif

/* ---- maintenance ---------------------------------------------------------- */
/* Compacts (merges) the databases in srcs into dst (Xapian::Database::compact). */
xc_status xc_compact(const char *const *srcs, size_t n, const char *dst,
                     char *errbuf, size_t errlen);
/* Writes dst (created, or overwritten) as a database without articles
 * that holds what a search front end needs besides postings: the union of
 * the synonym tables of srcs, their spelling tables summed, the metadata
 * of srcs[0] (and "tigris.lexicon.freqs" = "1"), and the frequency over
 * all srcs of each term but ids, files, urls and passage groups, as its
 * collection frequency (the wdf of the term in one of a few documents),
 * which a handle with remote parts and this lexicon reads instead of
 * asking every shard. The lexicon of a sharded database (lib/index.c). */
xc_status xc_merge_tables(const char *const *srcs, size_t n, const char *dst,
                          char *errbuf, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
