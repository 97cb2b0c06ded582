/*
 * index.c - writes articles into the Xapian database.
 *
 * STORED FORMAT (layout "article", schema version 1)
 * One Xapian document per article. Passages are not documents: their
 * boundaries are stored in the record and the searcher scores them at query
 * time from the position lists (README: "Design notes").
 *
 * Terms
 *   Q<id>            unique id, boolean (replace/delete by it); an id of
 *                    more than TG_ID_MAX bytes as Q#<hash> (tg_key_term)
 *   <word>           title and body words, unstemmed, with positions:
 *                    title at 1..TG_TITLE_MAX_WORDS, body word number i at
 *                    TG_BODY_BASE + i (i is tg_tokenize's ordinal), so a
 *                    body position maps straight to its passage; a title
 *                    word adds TG_TITLE_WDF to the wdf, a body word 1
 *   Z<stem>          stem of each title and body word, wdf only (title
 *                    words TG_TITLE_WDF each, as above)
 *   S<word>, ZS<stem>      title words (positions) and stems
 *   A<word>, ZA<stem>      author words
 *   K<word>          tag words (positions; tags separated by a gap of 100)
 *   XN<word>, ZXN<stem>    notes and bibliography ("source:")
 *   XA<word>         the words of an e-mail address or host name
 *                    (tg_token.in_address), at their positions, in place
 *                    of the plain word: a machine's name is no mention
 *   D<YYYYMMDD>, M<YYYYMM>, Y<YYYY>   date, as precise as known (boolean)
 *   XO<path>         the input file it came from (XO#<hash> past 200
 *                    bytes), for --prune
 *   XU<url>          its url when it has one other than the file
 *                    (XU#<hash> past 200 bytes): one article per url
 * Terms with a digit get no Z stem (numbers are not stemmed). Words longer
 * than TG_MAX_TERM bytes are dropped by the tokenizer.
 *
 * Values
 *   TG_SLOT_DATE (0) "YYYYMMDD", missing month/day as "01" (range filter)
 *   TG_SLOT_HASH (1) content hash, 16 hex digits (incremental re-index)
 *   TG_SLOT_ID   (2) article id (collapse key, sorting)
 *   TG_SLOT_SOURCE (3) input file path
 *   TG_SLOT_SIGNATURE (4) the stems that say what it is about, for
 *                    comparing articles (format in tg_signature.h);
 *                    absent in databases written before 2026-12-07
 *
 * Data: the article record of tg_record.h (metadata, passage table,
 * zlib-compressed body and sources).
 *
 * Synonym and spelling tables: what the archive teaches about names
 * (variants, known names, aliases) and words for "did you mean"; the
 * layout is in tg_schema.h, the writer is lib/lexicon.c.
 *
 * Metadata: tigris.schema = "1", tigris.lang = stemmer language,
 * tigris.layout = "article".
 *
 * A new database may be built in parallel (lib/index_build.c): while it
 * is built, the directory holds a Xapian stub file XAPIANDB naming shard
 * databases shard-0 ... shard-N in it, each laid out as above; at the end
 * they are merged by Xapian's compaction into one database, which takes
 * the directory's place.
 *
 * A database kept in shards (indexer --shards N) is that layout for good:
 * the stub's first line is "# tigris shards N", each shard-K carries the
 * metadata tigris.shard = "K N", and an article lives in shard
 * hash64(id) % N (hash64 below: FNV-1a, mixed; fixed for ever, so an
 * update or delete finds its article's shard). The folder "lexicon"
 * beside them is a database without articles holding the union of the
 * shards' synonym tables, their spelling tables summed, shard 0's
 * metadata with tigris.case summed, and every term's frequency over all
 * shards (xc_merge_tables), rewritten at the end of every run: what a
 * front end reads names, spellings and the planner's frequencies from
 * when its shards are remote (Xapian's remote backend does not carry
 * those tables, and asks every shard for each frequency).
 *
 * Layout "passages" (indexer --layout passages; design (a), kept so the
 * two designs can be measured side by side): one document per passage,
 * as above but with the passage as the whole body, unique term Q<id>#<n>,
 * group term XG<id> on every passage, TG_SLOT_ID = the article id (the
 * searcher collapses on it).
 */
#include "tg_index.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index_int.h"
#include "tg_buf.h"
#include "tg_hash.h"
#include "tg_lexicon.h"
#include "tg_record.h"
#include "tg_schema.h"
#include "tg_strmap.h"
#include "tg_text.h"
#include "xapian_c.h"

/* ---- what a parallel build remembers of the run ---------------------- */

/* Ids and urls as 64-bit keys of a tg_u64map: a collision of two ids'
 * hashes would only miscount an article as changed (the worker still
 * writes it under its own id). Mixed: the build also picks shards by it. */
static uint64_t hash64(const char *s)
{
    uint64_t h = tg_hash64_mix(tg_hash64(s, strlen(s)));
    return h ? h : 1;
}

struct tg_index {
    tg_writer *ws;         /* serial: the writers, one per shard (nw) */
    unsigned nw;
    unsigned kept;         /* kept in this many shards, or 0 */
    int changed;           /* serial: articles written or removed since the
                              lexicon was written */
    char *path;            /* the database */
    tg_build *build;       /* parallel build of a new database, or NULL */
    tg_index_opts opts;
    char lang[64];
    char *source;          /* current input file, or NULL */
    tg_strmap *seen;       /* serial: ids produced by the current source */
    tg_u64map ids;         /* parallel: id hash -> content hash, this run */
    tg_u64map urls;        /* parallel: url hash -> id hash, this run */
    int finished;          /* tg_index_finish was called */
    uint32_t final_count;  /* documents when a parallel build finished */
    char errmsg[512];
};

static void set_err(tg_index *ix, const char *fmt, const char *detail)
{
    snprintf(ix->errmsg, sizeof ix->errmsg, fmt, detail ? detail : "");
}

tg_status tg_index_map_xc(xc_status st)
{
    switch (st) {
    case XC_OK: return TG_OK;
    case XC_ERR_NOMEM: return TG_ERR_NOMEM;
    case XC_ERR_NOT_FOUND: return TG_ERR_NOT_FOUND;
    case XC_ERR_LOCKED: return TG_ERR_LOCKED;
    case XC_ERR_INVALID: return TG_ERR_ARG;
    default: return TG_ERR_DB;
    }
}
#define map_xc tg_index_map_xc

/* Stores key=val metadata only when it is unset; returns the value in
 * force (malloc'd) through *cur. */
static xc_status ensure_meta(xc_wdb *db, const char *key, const char *val, char **cur)
{
    size_t len;
    xc_status xs = xc_wdb_get_metadata(db, key, cur, &len);
    if (xs || *cur)
        return xs;
    if ((xs = xc_wdb_set_metadata(db, key, val, strlen(val))))
        return xs;
    *cur = strdup(val);
    return *cur ? XC_OK : XC_ERR_NOMEM;
}

xc_status tg_writer_set_meta(xc_wdb *db, const char *lang, int passage_docs)
{
    char *cur = NULL;
    xc_status xs = ensure_meta(db, TG_META_VERSION, TG_SCHEMA_VERSION, &cur);
    free(cur);
    cur = NULL;
    if (!xs)
        xs = ensure_meta(db, TG_META_LAYOUT, passage_docs ? TG_LAYOUT_PASSAGES : TG_LAYOUT_ARTICLE,
                         &cur);
    free(cur);
    cur = NULL;
    if (!xs)
        xs = ensure_meta(db, TG_META_LANG, lang, &cur);
    free(cur);
    return xs;
}

tg_status tg_writer_init(tg_writer *w, xc_wdb *db, const char *lang, int passage_docs,
                         const tg_index_opts *opts, size_t commit_bytes)
{
    memset(w, 0, sizeof *w);
    w->db = db;
    w->passage_docs = passage_docs;
    w->passages = opts->passages;
    w->commit_every = opts->commit_every;
    w->commit_bytes = commit_bytes;
    w->heap_budget = opts->heap_budget ? opts->heap_budget : TG_HEAP_BUDGET;
    w->on_commit = opts->on_commit;
    w->on_commit_ctx = opts->on_commit_ctx;
    if (!(w->stemmer = tg_stemmer_new(lang)))
        return TG_ERR_ARG;
    if (!opts->no_entities && !(w->lexicon = tg_lexicon_new())) {
        tg_writer_free(w);
        return TG_ERR_NOMEM;
    }
    return TG_OK;
}

xc_status tg_writer_setup_forms(tg_writer *w)
{
    char *flag = NULL;
    size_t len = 0;
    xc_status xs = xc_wdb_get_metadata(w->db, TG_META_FORMS, &flag, &len);
    w->title_stems = 1;
    if (!xs) {
        w->forms = flag && (strcmp(flag, TG_FORMS_TABLE) == 0 || strcmp(flag, TG_FORMS_TITLE_TOO) == 0);
        w->title_stems = !(flag && strcmp(flag, TG_FORMS_TITLE_TOO) == 0);
        /* The entries are only complete if written from the first article. */
        uint32_t docs = 0;
        /* (a count that failed must not read as an empty database) */
        if (!flag && w->lexicon && !(xs = xc_wdb_get_doccount(w->db, &docs)) && docs == 0 &&
            !(xs = xc_wdb_set_metadata(w->db, TG_META_FORMS, TG_FORMS_TITLE_TOO,
                                       strlen(TG_FORMS_TITLE_TOO)))) {
            w->forms = 1;
            w->title_stems = 0;
        }
    }
    free(flag);
    return xs;
}

void tg_writer_free(tg_writer *w)
{
    tg_lexicon_free(w->lexicon);
    tg_stemmer_free(w->stemmer);
    tg_buf_free(&w->term);
    tg_buf_free(&w->record);
    tg_signature_free(&w->sig);
    tg_buf_free(&w->sigval);
    w->lexicon = NULL;
    w->stemmer = NULL;
}

unsigned tg_index_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > TG_MAX_JOBS ? TG_MAX_JOBS : (unsigned)n;
}

/* A parallel build only makes a new database: path is absent or an empty
 * directory. (Adding to an existing one needs its lookups: serial.) */
static int is_new_database(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(sb.st_mode))
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

static void index_free(tg_index *ix)
{
    free(ix->ws);
    free(ix->path);
    free(ix);
}

static tg_index *open_parallel(tg_index *ix, const char *path, unsigned jobs, int keep,
                               char *errbuf, size_t errlen)
{
    const char *want = ix->opts.lang ? ix->opts.lang : "english";
    tg_stemmer *probe = tg_stemmer_new(want);
    if (!probe) {
        snprintf(errbuf, errlen, "unknown language '%s' (see indexer --help)", want);
        index_free(ix);
        return NULL;
    }
    snprintf(ix->lang, sizeof ix->lang, "%s", tg_stemmer_lang(probe));
    tg_stemmer_free(probe);
    ix->build = tg_build_open(path, ix->lang, ix->opts.passage_docs, &ix->opts, jobs, keep,
                              errbuf, errlen);
    if (!ix->build) {
        index_free(ix);
        return NULL;
    }
    ix->kept = keep ? jobs : 0;
    return ix;
}

xc_status tg_writer_set_shard(xc_wdb *db, unsigned k, unsigned n)
{
    char v[32];
    int len = snprintf(v, sizeof v, "%u %u", k, n);
    return xc_wdb_set_metadata(db, TG_META_SHARD, v, (size_t)len);
}

/* Opens the database at path for writing into w, checking what it says
 * of itself against the options; shard >= 0: it must be shard `shard` of
 * ix->kept. Returns TG_OK or an error with errbuf filled. */
static tg_status open_writer(tg_index *ix, const char *path, tg_writer *w, int shard,
                             char *errbuf, size_t errlen)
{
    char xerr[512];
    xc_wdb *db = NULL;
    xc_status xs = xc_wdb_open(path, XC_WDB_CREATE_OR_OPEN, &db, xerr, sizeof xerr);
    if (xs == XC_ERR_LOCKED) {
        tg_locked_message(path, errbuf, errlen);
        return TG_ERR_LOCKED;
    }
    if (xs) {
        snprintf(errbuf, errlen, "cannot open database %s for writing: %s", path, xerr);
        return map_xc(xs);
    }
    char *version = NULL, *lang = NULL, *layout = NULL, *where = NULL;
    const char *want_lang = ix->opts.lang ? ix->opts.lang : "english";
    tg_stemmer *probe = NULL;
    tg_status st = map_xc(ensure_meta(db, TG_META_VERSION, TG_SCHEMA_VERSION, &version));
    if (!st)
        st = map_xc(ensure_meta(db, TG_META_LAYOUT,
                                ix->opts.passage_docs ? TG_LAYOUT_PASSAGES : TG_LAYOUT_ARTICLE,
                                &layout));
    if (!st) {
        /* Validate the language before it is recorded in the database. */
        if (!(probe = tg_stemmer_new(want_lang))) {
            snprintf(errbuf, errlen, "unknown language '%s' (see indexer --help)", want_lang);
            st = TG_ERR_ARG;
        } else {
            want_lang = tg_stemmer_lang(probe);
            st = map_xc(ensure_meta(db, TG_META_LANG, want_lang, &lang));
        }
    }
    size_t wlen = 0;
    if (!st && shard >= 0)
        st = map_xc(xc_wdb_get_metadata(db, TG_META_SHARD, &where, &wlen));
    unsigned wk = 0, wn = 0;
    if (st) {
        if (st != TG_ERR_ARG)
            snprintf(errbuf, errlen, "cannot read metadata of %s: %s", path, xc_wdb_errmsg(db));
    } else if (strcmp(version, TG_SCHEMA_VERSION) != 0 ||
               (strcmp(layout, TG_LAYOUT_ARTICLE) != 0 && strcmp(layout, TG_LAYOUT_PASSAGES) != 0)) {
        snprintf(errbuf, errlen, "%s was written by an incompatible Tigris (schema %s, layout %s)",
                 path, version, layout);
        st = TG_ERR_DB;
    } else if (shard >= 0 && (!where || sscanf(where, "%u %u", &wk, &wn) != 2 ||
                              wk != (unsigned)shard || wn != ix->kept)) {
        snprintf(errbuf, errlen, "%s is not shard %d of %u (it says \"%s\"): the shard list "
                 "was edited; put the shards back in their order", path, shard, ix->kept,
                 where ? where : "nothing");
        st = TG_ERR_DB;
    } else if (ix->opts.passage_docs && strcmp(layout, TG_LAYOUT_PASSAGES) != 0) {
        snprintf(errbuf, errlen, "%s has layout '%s'; a layout is chosen when a database is "
                 "created (use a new database)", path, layout);
        st = TG_ERR_ARG;
    } else if (ix->opts.lang && strcmp(lang, want_lang) != 0) {
        snprintf(errbuf, errlen, "%s is indexed in %s; it cannot take --lang %s (use a new database)",
                 path, lang, ix->opts.lang);
        st = TG_ERR_ARG;
    } else if ((st = tg_writer_init(w, db, lang, strcmp(layout, TG_LAYOUT_PASSAGES) == 0,
                                    &ix->opts, TG_COMMIT_BYTES / (ix->nw ? ix->nw : 1)))) {
        if (st == TG_ERR_ARG)
            snprintf(errbuf, errlen, "%s names an unknown language '%s'", path, lang);
        else
            snprintf(errbuf, errlen, "out of memory");
    }
    if (!st && tg_writer_setup_forms(w)) {
        snprintf(errbuf, errlen, "cannot write metadata of %s: %s", path, xc_wdb_errmsg(db));
        tg_writer_free(w);
        st = TG_ERR_DB;
    }
    if (!st) {
        snprintf(ix->lang, sizeof ix->lang, "%s", lang);
        w->shard = shard > 0 ? (unsigned)shard : 0;
    }
    tg_stemmer_free(probe);
    free(version);
    free(lang);
    free(layout);
    free(where);
    if (st) {
        xc_wdb_abandon(db);
        w->db = NULL;
    }
    return st;
}

/* Closes writers [0, n) without committing what is pending. */
static void abandon_writers(tg_index *ix, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        xc_wdb_abandon(ix->ws[i].db);
        ix->ws[i].db = NULL;
        tg_writer_free(&ix->ws[i]);
    }
}

int tg_kept_shards(const char *path, char ***shards, char *errbuf, size_t errlen)
{
    char stub[4096], glass[4096];
    struct stat sb;
    if (shards)
        *shards = NULL;
    snprintf(stub, sizeof stub, "%s/XAPIANDB", path);
    snprintf(glass, sizeof glass, "%s/iamglass", path);
    if (stat(stub, &sb) != 0 || stat(glass, &sb) == 0)
        return 0;
    char **v = NULL;
    unsigned kept = 0;
    int n = tg_stub_read(path, &v, &kept, errbuf, errlen);
    if (n < 0)
        return -1;
    for (int i = 0; kept && i < n; i++)
        tg_index_compact_recover(v[i]);
    if (kept && shards)
        *shards = v;
    else
        tg_stub_free(v, n);
    return (int)kept;
}

tg_index *tg_index_open(const char *path, const tg_index_opts *opts, char *errbuf, size_t errlen)
{
    tg_index *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->path = strdup(path))) {
        free(ix);
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    ix->opts = opts ? *opts : (tg_index_opts)TG_INDEX_OPTS_DEFAULT;
    if (!ix->opts.commit_every)
        ix->opts.commit_every = 10000;
    if (!ix->opts.passages.target_words)
        ix->opts.passages = (tg_passage_opts)TG_PASSAGE_OPTS_DEFAULT;
    if (ix->opts.jobs > TG_MAX_JOBS)
        ix->opts.jobs = TG_MAX_JOBS;
    unsigned want_shards = ix->opts.shards > 1 ? ix->opts.shards : 0;
    if (want_shards > TG_MAX_SHARDS) {
        snprintf(errbuf, errlen, "at most %d shards", TG_MAX_SHARDS);
        index_free(ix);
        return NULL;
    }

    /* What an interrupted parallel build left is finished first. */
    if (tg_index_finish_build(path, errbuf, errlen) < 0) {
        index_free(ix);
        return NULL;
    }
    int isnew = is_new_database(path);
    if (want_shards && isnew)
        return open_parallel(ix, path, want_shards, 1, errbuf, errlen);
    char **shards = NULL;
    int kept = isnew ? 0 : tg_kept_shards(path, &shards, errbuf, errlen);
    if (kept < 0) {
        index_free(ix);
        return NULL;
    }
    if (want_shards && (unsigned)kept != want_shards) {
        if (kept)
            snprintf(errbuf, errlen, "%s is kept in %d shards; --shards %u cannot change that "
                     "(index into a new folder with --shards %u)", path, kept, want_shards,
                     want_shards);
        else
            snprintf(errbuf, errlen, "%s is one database; --shards makes a new database "
                     "(index into a new folder)", path);
        tg_stub_free(shards, kept);
        index_free(ix);
        return NULL;
    }
    if (!kept && ix->opts.jobs > 1 && isnew)
        return open_parallel(ix, path, ix->opts.jobs, 0, errbuf, errlen);

    ix->kept = (unsigned)kept;
    ix->nw = kept ? (unsigned)kept : 1;
    tg_status st = (ix->ws = calloc(ix->nw, sizeof *ix->ws)) ? TG_OK : TG_ERR_NOMEM;
    if (st)
        snprintf(errbuf, errlen, "out of memory");
    unsigned opened = 0;
    for (; !st && opened < ix->nw; opened++)
        st = open_writer(ix, kept ? shards[opened] : path, &ix->ws[opened], kept ? (int)opened : -1,
                         errbuf, errlen);
    tg_stub_free(shards, kept);
    if (st) {
        abandon_writers(ix, opened ? opened - 1 : 0);
        index_free(ix);
        return NULL;
    }
    return ix;
}

/* prefix + key as a term, or prefix + "#" + a hash of key when it would
 * pass Xapian's term length limit. Returns 0, -1 on no memory. */
static int key_term(tg_buf *out, const char *prefix, const char *key)
{
    return tg_key_term(out, prefix, key, 200, NULL);
}

/* ---- building one document ------------------------------------------ */

typedef struct doc_builder {
    tg_writer *w;
    xc_doc *doc;
    const char *prefix;     /* prefix of unstemmed terms */
    const char *zprefix;    /* prefix of stems, NULL = none */
    uint32_t base;          /* position of ordinal 0 */
    uint32_t max_words;     /* ordinals at or past this are not indexed */
    uint32_t words;         /* tokens seen */
    xc_status xs;
    int spell;              /* feed words to the lexicon's spelling data */
    int learn;              /* feed tokens to the lexicon's name scanner */
    uint32_t wdf;           /* weight of each occurrence (TG_TITLE_WDF, 1) */
    int stem_in_wdf;        /* no stem terms written (title words of a
                               TG_FORMS_TITLE_TOO database): the stem's
                               occurrence counts in the word's wdf, so that
                               article lengths, and BM25, stay as they were */
} doc_builder;

static int has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)s[i]))
            return 1;
    return 0;
}

static xc_status add_prefixed(doc_builder *b, const char *prefix, const char *t, size_t n, uint32_t pos)
{
    tg_buf *term = &b->w->term;
    tg_buf_clear(term);
    if (tg_buf_puts(term, prefix) || tg_buf_append(term, t, n))
        return XC_ERR_NOMEM;
    return xc_doc_add_posting(b->doc, term->data, pos, b->wdf);
}

static int on_token(const tg_token *tok, void *ud)
{
    doc_builder *b = ud;
    b->words = tok->index + 1;
    if (tok->index >= b->max_words)
        return 1;
    uint32_t pos = b->base + tok->index;
    /* A host name's or an e-mail address's parts name a machine, not the
     * word (szechuan.ucsd.edu is no mention of Szechuan): indexed only as
     * address words, at their positions, for an address typed. */
    if (tok->in_address) {
        uint32_t wdf = b->wdf;
        b->wdf = 1;
        b->xs = add_prefixed(b, TG_PFX_ADDRESS, tok->term, tok->len, pos);
        b->wdf = wdf;
        return b->xs != XC_OK;
    }
    uint32_t wdf = b->wdf;
    if (b->stem_in_wdf && !has_digit(tok->term, tok->len))
        b->wdf++;
    b->xs = add_prefixed(b, b->prefix, tok->term, tok->len, pos);
    b->wdf = wdf;
    if (b->xs)
        return 1;
    if (b->spell && tg_lexicon_word(b->w->lexicon, tok->term, tok->len)) {
        b->xs = XC_ERR_NOMEM;
        return 1;
    }
    if (b->learn && tg_entscan_token(tok, tg_lexicon_scanner(b->w->lexicon))) {
        b->xs = XC_ERR_NOMEM;
        return 1;
    }
    if (b->zprefix && !has_digit(tok->term, tok->len)) {
        size_t sl;
        const char *stem = tg_stem(b->w->stemmer, tok->term, tok->len, &sl);
        if (!stem) {
            b->xs = XC_ERR_NOMEM;
            return 1;
        }
        /* The stem is written by libstemmer into its own buffer, which
         * add_prefixed does not touch. */
        if ((b->xs = add_prefixed(b, b->zprefix, stem, sl, 0)))
            return 1;
    }
    return 0;
}

static xc_status index_text(doc_builder *b, const char *text, const char *prefix,
                            const char *zprefix, uint32_t base, uint32_t max_words)
{
    if (!text || !*text)
        return XC_OK;
    b->prefix = prefix;
    b->zprefix = zprefix;
    b->base = base;
    b->max_words = max_words;
    b->words = 0;
    b->xs = XC_OK;
    if (tg_tokenize(text, strlen(text), on_token, b))
        return XC_ERR_NOMEM;
    return b->xs;
}

/* "2016-09-13" (or "2016-09", "2016") -> "20160913", missing parts "01".
 * Returns the number of known digits (8, 6, 4) or 0 for no usable date. */
static int date_key(const char *date, char out[9])
{
    if (!date)
        return 0;
    int known = 0;
    const char *p = date;
    for (int i = 0; i < 4; i++, p++) {
        if (!isdigit((unsigned char)*p))
            return 0;
        out[i] = *p;
    }
    known = 4;
    memcpy(out + 4, "0101", 5);
    for (int part = 0; part < 2; part++) {
        if (p[0] != '-' || !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
            break;
        out[known] = p[1];
        out[known + 1] = p[2];
        known += 2;
        p += 3;
    }
    return known;
}

static xc_status add_date_terms(xc_doc *doc, const char *key, int known)
{
    char term[16];
    static const struct { const char *pfx; int digits; } parts[] = {
        { TG_PFX_YEAR, 4 }, { TG_PFX_MONTH, 6 }, { TG_PFX_DAY, 8 } };
    for (size_t i = 0; i < 3; i++) {
        if (known < parts[i].digits)
            break;
        snprintf(term, sizeof term, "%s%.*s", parts[i].pfx, parts[i].digits, key);
        xc_status xs = xc_doc_add_boolean_term(doc, term);
        if (xs)
            return xs;
    }
    return xc_doc_set_value(doc, TG_SLOT_DATE, key, 8);
}

/* Does the article have a url of its own (not just its file's path)? */
static int has_own_url(const char *source, const tg_article *a)
{
    return a->url && *a->url && !(source && strcmp(a->url, source) == 0) &&
           !(a->origin && strncmp(a->url, a->origin, strlen(a->url)) == 0);
}

/* The document's signature (tg_signature.h), from its own terms once all
 * are added. */
static xc_status set_signature(tg_writer *w, xc_doc *doc)
{
    tg_signature_reset(&w->sig);
    tg_buf_clear(&w->sigval);
    tg_signature_walk sw = { &w->sig, 0 };
    xc_status xs = xc_doc_termlist(doc, tg_signature_walk_term, &sw);
    if (xs)
        return xs;
    if (sw.oom || tg_signature_encode(&w->sig, &w->sigval))
        return XC_ERR_NOMEM;
    return xc_doc_set_value(doc, TG_SLOT_SIGNATURE, w->sigval.data, w->sigval.len);
}

static xc_status build_document(tg_writer *w, const tg_article *a, const char *idterm,
                                const char *hash, const tg_passage *pass, size_t np, xc_doc *doc)
{
    doc_builder b = { .w = w, .doc = doc };
    xc_status xs;
    if (w->passage_docs) {
        tg_buf g = { 0 };
        if (tg_key_term(&g, TG_PFX_GROUP, a->id, TG_ID_MAX, NULL))
            return XC_ERR_NOMEM;
        xs = xc_doc_add_boolean_term(doc, g.data);
        tg_buf_free(&g);
        if (xs)
            return xs;
    }
    if ((xs = xc_doc_add_boolean_term(doc, idterm)))
        return xs;
    tg_buf t = { 0 };
    if (w->source && !xs) {
        if (key_term(&t, TG_PFX_ORIGIN, w->source))
            xs = XC_ERR_NOMEM;
        else if (!(xs = xc_doc_add_boolean_term(doc, t.data)))
            xs = xc_doc_set_value(doc, TG_SLOT_SOURCE, w->source, strlen(w->source));
    }
    if (!xs && has_own_url(w->source, a)) {
        if (key_term(&t, TG_PFX_URL, a->url))
            xs = XC_ERR_NOMEM;
        else
            xs = xc_doc_add_boolean_term(doc, t.data);
    }
    tg_buf_free(&t);
    if (xs)
        return xs;
    /* The spelling data learns from title and body words, once each. */
    const struct field {
        const char *text, *prefix, *zprefix;
        uint32_t base, max;
        int spell;
        uint32_t wdf;
    } fields[] = {
        { a->title, "", TG_PFX_STEM, 1, TG_TITLE_MAX_WORDS, 1, TG_TITLE_WDF },
        /* title: stems come from the forms table where there is one: the
         * ZS terms were 4% of all postings */
        { a->title, TG_PFX_TITLE, w->title_stems ? "Z" TG_PFX_TITLE : NULL, 1, TG_TITLE_MAX_WORDS,
          0, 1 },
        { a->body, "", TG_PFX_STEM, TG_BODY_BASE, UINT32_MAX - TG_BODY_BASE, 1, 1 },
        { a->sources, TG_PFX_SOURCE, "Z" TG_PFX_SOURCE, 1, UINT32_MAX - 1, 0, 1 },
        { a->author, TG_PFX_AUTHOR, "Z" TG_PFX_AUTHOR, 1, 1000, 0, 1 },
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const struct field *f = &fields[i];
        b.spell = f->spell && w->lexicon;
        /* The body's tokens also teach the lexicon names and aliases. */
        b.learn = f->text == a->body && w->lexicon;
        b.wdf = f->wdf;
        b.stem_in_wdf = strcmp(f->prefix, TG_PFX_TITLE) == 0 && !w->title_stems;
        if (b.learn)
            tg_lexicon_learn_begin(w->lexicon, a->body ? a->body : "", a->body ? strlen(a->body) : 0);
        if ((xs = index_text(&b, f->text, f->prefix, f->zprefix, f->base, f->max)))
            return xs;
        if (b.learn && tg_lexicon_learn_end(w->lexicon))
            return XC_ERR_NOMEM;
    }
    b.spell = b.learn = 0;
    b.stem_in_wdf = 0;
    b.wdf = 1;
    uint32_t tagpos = 1;
    for (size_t i = 0; i < a->ntags; i++) {
        if ((xs = index_text(&b, a->tags[i], TG_PFX_TAG, NULL, tagpos, 1000)))
            return xs;
        tagpos += b.words + 100;
    }

    char key[9];
    int known = date_key(a->date, key);
    if (known && (xs = add_date_terms(doc, key, known)))
        return xs;
    if ((xs = xc_doc_set_value(doc, TG_SLOT_HASH, hash, 16)) ||
        (xs = xc_doc_set_value(doc, TG_SLOT_ID, a->id, strlen(a->id))) ||
        (xs = set_signature(w, doc)))
        return xs;

    tg_buf_clear(&w->record);
    if (tg_record_encode(a, pass, np, &w->record))
        return XC_ERR_NOMEM;
    return xc_doc_set_data(doc, w->record.data, w->record.len);
}

/* Is the article already indexed with this content? */
static tg_status lookup(tg_writer *w, const char *idterm, const char *hash, tg_add_result *res)
{
    xc_docid did = 0;
    xc_status xs = xc_wdb_find_term(w->db, idterm, &did);
    if (xs)
        return map_xc(xs);
    *res = TG_ADD_NEW;
    if (!did)
        return TG_OK;
    char *old = NULL;
    size_t len = 0;
    if ((xs = xc_wdb_get_value(w->db, did, TG_SLOT_HASH, &old, &len)))
        return map_xc(xs);
    *res = old && len == 16 && memcmp(old, hash, 16) == 0 ? TG_ADD_UNCHANGED : TG_ADD_REPLACED;
    free(old);
    return TG_OK;
}

/* A new id whose url another article already has is that article again
 * (a page and its feed entry): TG_ADD_DUPLICATE. The url may be in any
 * shard (shards go by id). */
static tg_status check_url(tg_index *ix, const tg_article *a, tg_add_result *res)
{
    tg_buf t = { 0 };
    if (key_term(&t, TG_PFX_URL, a->url))
        return TG_ERR_NOMEM;
    xc_status xs = XC_OK;
    for (unsigned i = 0; i < ix->nw && !xs; i++) {
        xc_wdb *db = ix->ws[i].db;
        xc_docid did = 0;
        if ((xs = xc_wdb_find_term(db, t.data, &did)) || !did)
            continue;
        char *other = NULL;
        size_t len = 0;
        if ((xs = xc_wdb_get_value(db, did, TG_SLOT_ID, &other, &len)))
            break;
        snprintf(ix->errmsg, sizeof ix->errmsg, "same url as article %.*s, already indexed: skipped",
                 (int)(len > 200 ? 200 : len), other ? other : "?");
        free(other);
        *res = TG_ADD_DUPLICATE;
        break;
    }
    tg_buf_free(&t);
    return map_xc(xs);
}

/* Layout "passages": every passage its own document, sharing metadata. */
static tg_status add_passage_docs(tg_writer *w, const tg_article *a, const char *hash,
                                  const tg_passage *pass, size_t np)
{
    tg_buf group = { 0 }, idterm = { 0 };
    tg_status st = TG_OK;
    if (tg_key_term(&group, TG_PFX_GROUP, a->id, TG_ID_MAX, NULL))
        return TG_ERR_NOMEM;
    xc_status xs = xc_wdb_delete_by_term(w->db, group.data);
    tg_article sub = *a;        /* shallow: only the body changes */
    for (size_t i = 0; !xs && !st && i < (np ? np : 1); i++) {
        char *body = np ? strndup(a->body + pass[i].start, pass[i].len) : strdup("");
        tg_passage one = { 0, np ? pass[i].len : 0, 0, np ? pass[i].nwords : 0 };
        xc_doc *doc = xc_doc_new();
        tg_buf_clear(&idterm);
        char suffix[24];
        snprintf(suffix, sizeof suffix, "#%zu", i);
        if (!body || !doc ||
            tg_key_term(&idterm, TG_PFX_ID, a->id, TG_ID_MAX, suffix)) {
            st = TG_ERR_NOMEM;
        } else {
            sub.body = body;
            /* The record of passage 0 carries the content hash check. */
            if (!(xs = build_document(w, &sub, idterm.data, hash, &one, np ? 1 : 0, doc)))
                xs = xc_wdb_replace_by_term(w->db, idterm.data, doc, NULL);
        }
        xc_doc_free(doc);
        free(body);
    }
    if (xs) {
        snprintf(w->errmsg, sizeof w->errmsg, "cannot write passages: %s", xc_wdb_errmsg(w->db));
        st = map_xc(xs);
    }
    tg_buf_free(&group);
    tg_buf_free(&idterm);
    return st;
}

/* Bytes of heap in use, all threads' arenas and large blocks; 0 when the
 * C library cannot say. */
static size_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#else
    return 0;
#endif
}

/* Why a batch ends (batch_full). */
enum { BATCH_OPEN, BATCH_FULL, BATCH_HEAP };

/* Has the lexicon's learning period reached its bound of articles or
 * text? A batch ends at every commit and a period only at some, so a
 * batch never outlasts its period: the period's bound is the batch's too. */
static int lexicon_due(const tg_writer *w)
{
    return w->lex_pending >= w->commit_every || w->lex_pending_bytes >= w->commit_bytes;
}

/* Counts an article into the batch; is it time to commit? Xapian keeps
 * the batch in memory, so the batch is bounded in articles, in text (long
 * posts fill memory long before 10,000 of them) and by the heap's budget
 * (TG_HEAP_BUDGET), looked at every 32 articles (mallinfo2 walks the free
 * lists). The lexicon learns over periods bounded by the same counts of
 * articles and text but never by the heap, which the other threads of a
 * parallel build move: a period that ended where the heap happened to
 * pass its budget learnt other names from one run to the next. */
static int batch_full(tg_writer *w, const tg_article *a)
{
    size_t bytes = (a->body ? strlen(a->body) : 0) + (a->title ? strlen(a->title) : 0);
    w->pending++;
    w->pending_bytes += bytes;
    w->lex_pending++;
    w->lex_pending_bytes += bytes;
    if (lexicon_due(w))
        return BATCH_FULL;
    return w->heap_budget && w->pending % 32 == 0 && w->pending_bytes >= w->commit_bytes / 8 &&
                   heap_in_use() > w->heap_budget
               ? BATCH_HEAP
               : BATCH_OPEN;
}

static tg_status writer_commit(tg_writer *w, int flush_lexicon);

/* A deletion counts toward the batch's and the period's articles. */
static void count_deletion(tg_writer *w)
{
    w->pending++;
    w->lex_pending++;
}

/* Commits the batch that batch_full said has ended (why); the lexicon is
 * flushed unless the heap ended the batch mid-period. */
static tg_status end_batch(tg_writer *w, int why)
{
    return why == BATCH_OPEN ? TG_OK : writer_commit(w, why == BATCH_FULL);
}

tg_status tg_writer_put(tg_writer *w, const tg_article *a, const char *idterm, const char *hash,
                        tg_add_result res)
{
    w->errmsg[0] = '\0';
    tg_passage *pass = NULL;
    size_t np = 0;
    const char *body = a->body ? a->body : "";
    tg_status st = tg_split_passages(body, strlen(body), &w->passages, &pass, &np);
    if (st) {
        snprintf(w->errmsg, sizeof w->errmsg, "cannot split passages: %s", tg_status_to_string(st));
        return st;
    }
    if (w->passage_docs) {
        st = add_passage_docs(w, a, hash, pass, np);
        if (!st)
            st = end_batch(w, batch_full(w, a));
        free(pass);
        return st;
    }
    xc_doc *doc = xc_doc_new();
    xc_status xs = doc ? build_document(w, a, idterm, hash, pass, np, doc) : XC_ERR_NOMEM;
    if (xs) {
        snprintf(w->errmsg, sizeof w->errmsg, "cannot build document: %s",
                 doc ? xc_doc_errmsg(doc) : "out of memory");
        st = map_xc(xs);
    } else if ((xs = res == TG_ADD_NEW ? xc_wdb_add(w->db, doc, NULL)
                                        : xc_wdb_replace_by_term(w->db, idterm, doc, NULL))) {
        snprintf(w->errmsg, sizeof w->errmsg, "cannot write document: %s", xc_wdb_errmsg(w->db));
        st = map_xc(xs);
    } else {
        st = end_batch(w, batch_full(w, a));
    }
    xc_doc_free(doc);
    free(pass);
    return st;
}

tg_status tg_writer_delete(tg_writer *w, const char *idterm)
{
    xc_status xs = xc_wdb_delete_by_term(w->db, idterm);
    if (xs)
        snprintf(w->errmsg, sizeof w->errmsg, "cannot delete: %s", xc_wdb_errmsg(w->db));
    else
        count_deletion(w);
    return map_xc(xs);
}

tg_status tg_writer_commit(tg_writer *w)
{
    return writer_commit(w, 1);
}

/* A commit of the batch, with the lexicon's flush when flush_lexicon
 * (always but for a commit the heap asked for mid-period: the names the
 * period has seen so far are kept for its end). */
static tg_status writer_commit(tg_writer *w, int flush_lexicon)
{
    xc_status xs = w->lexicon && flush_lexicon
                       ? tg_lexicon_flush(w->lexicon, w->db, w->forms ? w->stemmer : NULL)
                       : XC_OK;
    if (xs) {
        snprintf(w->errmsg, sizeof w->errmsg, "cannot store names and spelling data: %s",
                 xc_wdb_errmsg(w->db));
        return map_xc(xs);
    }
    uint32_t docs = 0;
    if (w->on_commit && (xs = xc_wdb_get_doccount(w->db, &docs))) {
        snprintf(w->errmsg, sizeof w->errmsg, "cannot count the articles: %s",
                 xc_wdb_errmsg(w->db));
        return map_xc(xs);
    }
    if (w->on_commit)
        w->on_commit(w->on_commit_ctx, w->shard, 0, docs);
    if ((xs = xc_wdb_commit(w->db))) {
        snprintf(w->errmsg, sizeof w->errmsg, "commit failed: %s", xc_wdb_errmsg(w->db));
        return map_xc(xs);
    }
    if (w->on_commit)
        w->on_commit(w->on_commit_ctx, w->shard, 1, docs);
    /* The batch just freed stays in the writer's arena (glibc gives back
     * only the top of a heap): at 2 million articles the arenas kept the
     * peak 10 MiB over 256 MiB although the heap in use stayed within
     * TG_HEAP_BUDGET. A big batch is given back; a small one (an
     * incremental run's) is not worth the page faults. */
#ifdef __GLIBC__
    if (w->pending_bytes >= w->commit_bytes / 8)
        malloc_trim(0);
#endif
    w->pending = 0;
    w->pending_bytes = 0;
    if (flush_lexicon) {
        w->lex_pending = 0;
        w->lex_pending_bytes = 0;
    }
    return TG_OK;
}

/* ---- adding, deleting, committing ------------------------------------ */

/* Parallel build: the outcome is decided here from what this run has
 * seen (the database was new), and the article queued for its shard. */
static tg_status add_parallel(tg_index *ix, const tg_article *a, const char *idterm,
                              const char *hash, tg_add_result *res)
{
    uint64_t idh = hash64(a->id);
    uint64_t content = strtoull(hash, NULL, 16) | 1;   /* 0 means absent */
    uint64_t before = tg_u64map_get(&ix->ids, idh);
    *res = !before ? TG_ADD_NEW : before == content ? TG_ADD_UNCHANGED : TG_ADD_REPLACED;
    if (*res == TG_ADD_UNCHANGED)
        return TG_OK;
    if (*res == TG_ADD_NEW && has_own_url(ix->source, a)) {
        uint64_t urlh = hash64(a->url);
        uint64_t owner = tg_u64map_get(&ix->urls, urlh);
        if (owner && owner != idh) {
            snprintf(ix->errmsg, sizeof ix->errmsg,
                     "same url as an article read before in this run (%.200s): skipped", a->url);
            *res = TG_ADD_DUPLICATE;
            return TG_OK;
        }
        if (!owner && tg_u64map_set(&ix->urls, urlh, idh))
            return TG_ERR_NOMEM;
    }
    if (tg_u64map_set(&ix->ids, idh, content))
        return TG_ERR_NOMEM;
    return tg_build_put(ix->build, a, idterm, hash, idh, *res, ix->source, ix->errmsg,
                        sizeof ix->errmsg);
}

/* The writer of the shard that holds id (the only one when unsharded). */
static tg_writer *writer_of(tg_index *ix, const char *id)
{
    return &ix->ws[ix->nw > 1 ? hash64(id) % ix->nw : 0];
}

tg_status tg_index_add(tg_index *ix, const tg_article *a, tg_add_result *res)
{
    tg_add_result dummy;
    if (!res)
        res = &dummy;
    ix->errmsg[0] = '\0';
    if (!a->id || !*a->id) {
        set_err(ix, "article has no id%s", "");
        return TG_ERR_ARG;
    }
    /* Layout "passages" stores passage 0 under <id>#0. */
    int passage_docs = ix->build ? ix->opts.passage_docs : ix->ws[0].passage_docs;
    /* An id past TG_ID_MAX bytes (a feed's link with its tracking
     * parameters) is named by its hash: the article is kept. */
    tg_buf idterm = { 0 };
    if (tg_key_term(&idterm, TG_PFX_ID, a->id, TG_ID_MAX, passage_docs ? "#0" : NULL))
        return TG_ERR_NOMEM;
    char hash[17];
    tg_article_hash(a, hash);
    if (ix->build) {
        tg_status st = add_parallel(ix, a, idterm.data, hash, res);
        tg_buf_free(&idterm);
        return st;
    }
    /* Serial: the database itself says what is there. */
    tg_writer *w = writer_of(ix, a->id);
    tg_status st = lookup(w, idterm.data, hash, res);
    if (!st && ix->seen && tg_strmap_add(ix->seen, a->id, strlen(a->id), 1, NULL))
        st = TG_ERR_NOMEM;
    if (!st && *res == TG_ADD_NEW && has_own_url(ix->source, a))
        st = check_url(ix, a, res);
    if (st || *res == TG_ADD_UNCHANGED || *res == TG_ADD_DUPLICATE) {
        if (st)
            set_err(ix, "cannot look up article: %s", xc_wdb_errmsg(w->db));
        tg_buf_free(&idterm);
        return st;
    }
    w->source = ix->source;
    ix->changed = 1;
    st = tg_writer_put(w, a, idterm.data, hash, *res);
    if (st)
        snprintf(ix->errmsg, sizeof ix->errmsg, "%s", w->errmsg);
    tg_buf_free(&idterm);
    return st;
}

tg_status tg_index_begin_source(tg_index *ix, const char *path)
{
    free(ix->source);
    ix->source = NULL;
    if (path && !(ix->source = strdup(path)))
        return TG_ERR_NOMEM;
    if (ix->build)
        return TG_OK;       /* a new database: nothing to prune */
    if (!ix->seen && !(ix->seen = tg_strmap_new()))
        return TG_ERR_NOMEM;
    tg_strmap_clear(ix->seen);
    return TG_OK;
}

typedef struct prune_ctx {
    tg_index *ix;
    tg_writer *w;
    size_t removed;
    xc_status xs;
} prune_ctx;

static int prune_unseen(xc_docid did, void *ud)
{
    prune_ctx *p = ud;
    char *id = NULL;
    size_t len = 0;
    if ((p->xs = xc_wdb_get_value(p->w->db, did, TG_SLOT_ID, &id, &len)))
        return 1;
    if (!id || !tg_strmap_get(p->ix->seen, id, len)) {
        if ((p->xs = xc_wdb_delete(p->w->db, did))) {
            free(id);
            return 1;
        }
        p->removed++;
        count_deletion(p->w);
    }
    free(id);
    return 0;
}

tg_status tg_index_end_source(tg_index *ix, int prune, size_t *removed)
{
    prune_ctx p = { ix, NULL, 0, XC_OK };
    if (prune && ix->source && ix->seen && !ix->build) {
        tg_buf t = { 0 };
        if (key_term(&t, TG_PFX_ORIGIN, ix->source))
            return TG_ERR_NOMEM;
        /* Layout "passages" stores one article as several documents with
         * one id; they all stay or go together. */
        xc_status xs = XC_OK;
        for (unsigned i = 0; i < ix->nw && !xs; i++) {
            p.w = &ix->ws[i];
            if (!(xs = xc_wdb_postings(p.w->db, t.data, prune_unseen, &p)))
                xs = p.xs;
        }
        tg_buf_free(&t);
        if (xs) {
            set_err(ix, "cannot prune: %s", xc_wdb_errmsg(p.w->db));
            return map_xc(xs);
        }
    }
    if (removed)
        *removed = p.removed;
    if (p.removed)
        ix->changed = 1;
    free(ix->source);
    ix->source = NULL;
    return TG_OK;
}

typedef struct missing_ctx {
    char **terms;
    size_t n, cap;
    int oom;
} missing_ctx;

static int on_origin_term(const char *term, size_t len, uint32_t tf, void *ud)
{
    missing_ctx *m = ud;
    (void)tf;
    if (TG_ARRAY_RESERVE(m->terms, m->cap, m->n + 1) || !(m->terms[m->n] = strndup(term, len))) {
        m->oom = 1;
        return 1;
    }
    m->n++;
    return 0;
}

static int count_doc(xc_docid did, void *ud)
{
    (void)did;
    (*(size_t *)ud)++;
    return 0;
}

static int first_doc(xc_docid did, void *ud)
{
    *(xc_docid *)ud = did;
    return 1;
}

/* Removes from w's database the articles of files that are gone; their
 * number is added to *gone. */
static tg_status prune_missing_in(tg_writer *w, size_t *gone)
{
    xc_wdb *db = w->db;
    missing_ctx m = { NULL, 0, 0, 0 };
    xc_status xs = xc_wdb_allterms(db, TG_PFX_ORIGIN, on_origin_term, &m);
    tg_status st = m.oom ? TG_ERR_NOMEM : map_xc(xs);
    for (size_t i = 0; !st && i < m.n; i++) {
        xc_docid did = 0;
        char *path = NULL;
        size_t len = 0;
        if ((xs = xc_wdb_postings(db, m.terms[i], first_doc, &did)) || !did ||
            (xs = xc_wdb_get_value(db, did, TG_SLOT_SOURCE, &path, &len))) {
            st = map_xc(xs);
            continue;
        }
        struct stat sb;
        if (path && stat(path, &sb) != 0 && errno == ENOENT) {
            xc_wdb_postings(db, m.terms[i], count_doc, gone);
            if ((xs = xc_wdb_delete_by_term(db, m.terms[i])))
                st = map_xc(xs);
            count_deletion(w);
        }
        free(path);
    }
    for (size_t i = 0; i < m.n; i++)
        free(m.terms[i]);
    free(m.terms);
    return st;
}

tg_status tg_index_prune_missing(tg_index *ix, size_t *removed)
{
    if (removed)
        *removed = 0;
    if (ix->build)
        return TG_OK;       /* every file of a new database was just read */
    size_t gone = 0;
    tg_status st = TG_OK;
    for (unsigned i = 0; i < ix->nw && !st; i++)
        if ((st = prune_missing_in(&ix->ws[i], &gone)))
            set_err(ix, "cannot prune: %s", xc_wdb_errmsg(ix->ws[i].db));
    if (removed)
        *removed = gone;
    if (gone)
        ix->changed = 1;
    return st;
}

tg_status tg_index_delete(tg_index *ix, const char *id)
{
    tg_buf t = { 0 };
    if (tg_key_term(&t, TG_PFX_ID, id, TG_ID_MAX, NULL))
        return TG_ERR_NOMEM;
    tg_status st;
    if (ix->build) {
        uint64_t idh = hash64(id);
        st = tg_build_delete(ix->build, t.data, idh, ix->errmsg, sizeof ix->errmsg);
        /* Forgotten, so that the id comes back as new. */
        if (!st && tg_u64map_get(&ix->ids, idh))
            tg_u64map_set(&ix->ids, idh, 0);
    } else {
        tg_writer *w = writer_of(ix, id);
        ix->changed = 1;
        if ((st = tg_writer_delete(w, t.data)))
            snprintf(ix->errmsg, sizeof ix->errmsg, "%s", w->errmsg);
    }
    tg_buf_free(&t);
    return st;
}

tg_status tg_index_commit(tg_index *ix)
{
    if (ix->build)
        return tg_build_sync(ix->build, 1, ix->errmsg, sizeof ix->errmsg);
    for (unsigned i = 0; i < ix->nw; i++) {
        tg_status st = tg_writer_commit(&ix->ws[i]);
        if (st) {
            if (ix->nw > 1)
                snprintf(ix->errmsg, sizeof ix->errmsg, "shard %u: %.480s", i, ix->ws[i].errmsg);
            else
                snprintf(ix->errmsg, sizeof ix->errmsg, "%s", ix->ws[i].errmsg);
            return st;
        }
    }
    return TG_OK;
}

/* Sums the shards' case counts (TG_META_CASE) into the lexicon, which
 * has shard 0's, and drops the shard's number. */
static tg_status lexicon_meta(const char *dst, char **shards, int n, char *errbuf, size_t errlen)
{
    unsigned long long sum[3] = { 0, 0, 0 };
    char xerr[512];
    for (int i = 0; i < n; i++) {
        xc_rdb *r = NULL;
        char *v = NULL;
        size_t len = 0;
        unsigned long long c[3];
        if (xc_rdb_open(shards[i], &r, xerr, sizeof xerr)) {
            snprintf(errbuf, errlen, "cannot read %s: %s", shards[i], xerr);
            return TG_ERR_DB;
        }
        xc_status xs = xc_rdb_get_metadata(r, TG_META_CASE, &v, &len);
        if (xs)
            snprintf(errbuf, errlen, "cannot read %s: %s", shards[i], xc_rdb_errmsg(r));
        else if (v && sscanf(v, "%llu %llu %llu", &c[0], &c[1], &c[2]) == 3)
            for (int k = 0; k < 3; k++)
                sum[k] += c[k];
        free(v);
        xc_rdb_close(r);
        if (xs)
            return map_xc(xs);
    }
    xc_wdb *w = NULL;
    xc_status xs = xc_wdb_open(dst, XC_WDB_CREATE_OR_OPEN, &w, xerr, sizeof xerr);
    if (xs) {
        snprintf(errbuf, errlen, "cannot write %s: %s", dst, xerr);
        return map_xc(xs);
    }
    char v[80];
    int len = snprintf(v, sizeof v, "%llu %llu %llu", sum[0], sum[1], sum[2]);
    if ((sum[2] && (xs = xc_wdb_set_metadata(w, TG_META_CASE, v, (size_t)len))) ||
        (xs = xc_wdb_set_metadata(w, TG_META_SHARD, "", 0)) || (xs = xc_wdb_commit(w)))
        snprintf(errbuf, errlen, "cannot write %s: %s", dst, xc_wdb_errmsg(w));
    xc_status cs = xc_wdb_close(w);
    if (!xs && cs) {
        snprintf(errbuf, errlen, "cannot write %s: final commit failed", dst);
        xs = cs;
    }
    return map_xc(xs);
}

tg_status tg_index_write_lexicon(const char *path, char *errbuf, size_t errlen)
{
    char **shards = NULL;
    int n = tg_kept_shards(path, &shards, errbuf, errlen);
    if (n <= 0) {
        if (n == 0)
            snprintf(errbuf, errlen, "%s is not kept in shards", path);
        return n < 0 ? TG_ERR_DB : TG_ERR_ARG;
    }
    char dst[4096], cur[4096], old[4096], xerr[512];
    snprintf(dst, sizeof dst, "%s/%s.new", path, TG_LEXICON_DIR);
    snprintf(cur, sizeof cur, "%s/%s", path, TG_LEXICON_DIR);
    snprintf(old, sizeof old, "%s/%s.old", path, TG_LEXICON_DIR);
    tg_index_remove(dst);
    tg_status st = TG_OK;
    xc_status xs = xc_merge_tables((const char *const *)shards, (size_t)n, dst, xerr, sizeof xerr);
    if (xs) {
        snprintf(errbuf, errlen, "cannot write the lexicon of %s: %s", path, xerr);
        st = map_xc(xs);
    }
    if (!st)
        st = lexicon_meta(dst, shards, n, errbuf, errlen);
    /* A front end holding the old lexicon open keeps reading it: its
     * files go when it lets them go. */
    struct stat sb;
    if (!st) {
        tg_index_remove(old);
        if ((stat(cur, &sb) == 0 && rename(cur, old)) || rename(dst, cur)) {
            snprintf(errbuf, errlen, "cannot put the lexicon in place in %s: %s", path,
                     strerror(errno));
            st = TG_ERR_IO;
        }
        tg_index_remove(old);
    }
    if (st)
        tg_index_remove(dst);
    tg_stub_free(shards, n);
    return st;
}

/* Commits; a parallel build is closed, its shards merged or (merge 0)
 * left for the next run to merge. Kept shards get their lexicon. */
static tg_status finish(tg_index *ix, int merge)
{
    tg_status st;
    int write_lexicon = ix->kept && ix->build;
    if (!ix->build) {
        st = tg_index_commit(ix);
        /* Also when a killed run left none. */
        char lex[4096];
        struct stat sb;
        snprintf(lex, sizeof lex, "%s/%s", ix->path, TG_LEXICON_DIR);
        write_lexicon = ix->kept && (ix->changed || stat(lex, &sb) != 0);
    } else {
        xc_status xs = tg_build_count(ix->build, &ix->final_count, ix->errmsg, sizeof ix->errmsg);
        if (xs) {
            char ignored[256];  /* the count's failure is the one to tell */
            tg_build_close_unmerged(ix->build, ignored, sizeof ignored);
            ix->build = NULL;
            ix->finished = 1;
            return map_xc(xs);
        }
        st = merge && !ix->kept ? tg_build_close(ix->build, ix->errmsg, sizeof ix->errmsg)
                                : tg_build_close_unmerged(ix->build, ix->errmsg, sizeof ix->errmsg);
        ix->build = NULL;
        ix->finished = 1;
        /* New kept shards are left compact, as a merged build is (about
         * half the size of what the build wrote); not when interrupted.
         * The writers' memory is given back first: the compactions run
         * side by side and would otherwise add to a peak that is the
         * writers' (glibc keeps what they freed). */
#ifdef __GLIBC__
        malloc_trim(0);
#endif
        char **shards = NULL;
        int n = !st && merge && ix->kept ? tg_kept_shards(ix->path, &shards, ix->errmsg,
                                                        sizeof ix->errmsg) : 0;
        if (n < 0 || (n > 0 && tg_index_compact_shards(shards, n, ix->opts.jobs, ix->errmsg,
                                                        sizeof ix->errmsg)))
            st = TG_ERR_DB;
        tg_stub_free(shards, n > 0 ? n : 0);
    }
    if (!st && write_lexicon) {
        st = tg_index_write_lexicon(ix->path, ix->errmsg, sizeof ix->errmsg);
        if (!st)
            ix->changed = 0;
    }
    return st;
}

tg_status tg_index_finish(tg_index *ix) { return finish(ix, 1); }
tg_status tg_index_finish_now(tg_index *ix) { return finish(ix, 0); }

tg_status tg_index_close(tg_index *ix)
{
    return tg_index_close_why(ix, NULL, 0);
}

tg_status tg_index_close_why(tg_index *ix, char *errbuf, size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!ix)
        return TG_OK;
    tg_status st = TG_OK;
    if (ix->build || !ix->finished)
        st = tg_index_finish(ix);
    if (st && errbuf && errlen)
        snprintf(errbuf, errlen, "%s", ix->errmsg);
    xc_status xs = XC_OK;
    for (unsigned i = 0; i < ix->nw; i++) {
        if (ix->ws[i].db) {
            xc_status cs = xc_wdb_close_why(ix->ws[i].db, st || xs ? NULL : errbuf, errlen);
            if (!xs)
                xs = cs;
        }
        tg_writer_free(&ix->ws[i]);
    }
    tg_strmap_free(ix->seen);
    tg_u64map_free(&ix->ids);
    tg_u64map_free(&ix->urls);
    free(ix->source);
    index_free(ix);
    return st ? st : map_xc(xs);
}

unsigned tg_index_jobs(const tg_index *ix)
{
    return !ix->build ? 1 : ix->kept ? ix->kept : ix->opts.jobs;
}
unsigned tg_index_shards(const tg_index *ix) { return ix->kept; }
const char *tg_index_errmsg(const tg_index *ix) { return ix->errmsg; }
const char *tg_index_lang(const tg_index *ix) { return ix->lang; }
uint32_t tg_index_doccount(tg_index *ix)
{
    uint32_t n = 0;
    tg_index_count(ix, &n);
    return n;
}

tg_status tg_index_count(tg_index *ix, uint32_t *n)
{
    xc_status xs = XC_OK;
    *n = 0;
    if (ix->build) {
        xs = tg_build_count(ix->build, n, ix->errmsg, sizeof ix->errmsg);
    } else if (ix->finished) {
        *n = ix->final_count;
    } else {
        for (unsigned i = 0; i < ix->nw && !xs; i++) {
            uint32_t k = 0;
            if ((xs = xc_wdb_get_doccount(ix->ws[i].db, &k)))
                snprintf(ix->errmsg, sizeof ix->errmsg, "cannot count the articles: %s",
                         xc_wdb_errmsg(ix->ws[i].db));
            *n += k;
        }
    }
    return map_xc(xs);
}
