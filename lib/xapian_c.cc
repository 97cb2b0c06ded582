/*
 * xapian_c.cc - the C interface of include/xapian_c.h over Xapian 1.4.
 *
 * Modelled on Cyrus IMAP's xapian_wrap.cpp and notmuch: each extern "C"
 * entry point keeps its whole body inside one try/catch, and the catch
 * hands the in-flight exception to fail(), which maps it to an xc_status
 * and stores its text on the handle. No C++ exception crosses into C.
 */
#include "xapian_c.h"

extern "C" {
#include "tg_blockcache.h"
}

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

/* The failures of a read handle and of everything made from it (enquire
 * sessions, result sets, documents): shared, so that a document may
 * outlive its handle (xc_rdb_failures). */
struct xc_failures {
    uint64_t n = 0;
    xc_status last = XC_OK;
    std::string text;
};

/* One part (shard) of a read handle opened by xc_rdb_open_parts. */
struct xc_part {
    std::string spec;          /* as given, for messages */
    Xapian::Database db;       /* open while alive */
    bool alive = false;
    bool remote = false;
    std::string error;         /* why it was dropped */
    std::chrono::steady_clock::time_point dropped;
};

struct xc_rdb {
    Xapian::Database db;       /* the live parts as one */
    std::string err;
    std::shared_ptr<xc_failures> failures = std::make_shared<xc_failures>();
    /* xc_rdb_open_parts: db is rebuilt from the live ones whenever one
     * is dropped or comes back (generation counts that). */
    std::vector<xc_part> parts;
    unsigned timeout_ms = 0;
    uint64_t generation = 0;
    /* xc_rdb_set_lexicon: synonyms, spellings and metadata come from
     * here (remote parts have none). */
    bool has_lex = false;
    bool lex_freqs = false;    /* the lexicon holds term frequencies */
    std::string lex_path;
    Xapian::Database lex;
    /* Term frequencies asked of a set with remote parts: each is a round
     * trip to every shard server, and a query's plan asks for a hundred
     * (its words' variants and forms). Kept until any database of the
     * process is reopened (g_reopens moves), when they may change: the
     * same snapshot the matcher sees. */
    std::unordered_map<std::string, uint32_t> tf_cache;
    uint64_t tf_stamp = 0;
    /* Collection frequencies (a long query's words' burstiness), the same
     * way. */
    std::unordered_map<std::string, Xapian::termcount> cf_cache;
    uint64_t cf_stamp = 0;
    /* The lexicon's answers (synonym lists, metadata), the same way, for
     * every set: a query's plan reads a few dozen entries of the small
     * lexicon tables, each a fresh cursor and a pread per block on the
     * way down, and the same words' entries serve query after query. A
     * database read without a reopen is one fixed revision, so what is
     * remembered until the next reopen is exactly what it would read. */
    std::unordered_map<std::string, std::shared_ptr<const std::vector<std::string>>> syn_cache;
    uint64_t syn_stamp = 0;
    std::unordered_map<std::string, std::string> meta_cache;
    uint64_t meta_stamp = 0;
    /* The same for which terms a document has: a remote posting list
     * comes whole (every document of a common word), a document's term
     * list is one small answer that serves every term asked of it. */
    std::unordered_map<Xapian::docid, std::shared_ptr<std::unordered_map<std::string, uint32_t>>>
        tl_cache;
    uint64_t tl_stamp = 0;
    bool remote = false;       /* some part is remote */
};

struct xc_wdb {
    Xapian::WritableDatabase db;
    std::string err;
    /* Xapian offers no way to ask whether a transaction is open, and close
     * and abandon must behave differently inside one. */
    bool in_txn = false;
};

struct xc_doc {
    Xapian::Document doc;
    /* The database a read document came from (empty for a new document):
     * its data and values are fetched lazily, so those fetches can meet
     * DatabaseModifiedError and need something to reopen. */
    Xapian::Database db;
    std::string err;
    /* The failure log of the read handle it came from (none when new). */
    std::shared_ptr<xc_failures> failures;
    /* Backing store for the borrowed pointers of get_data/get_value. */
    std::string data;
    bool have_data = false;
    std::map<unsigned, std::string> values;
};

struct xc_query {
    Xapian::Query q;
};

struct xc_enquire {
    xc_rdb *rdb;
    /* A copy shares the shards' internals with rdb->db, so reopening it
     * also reopens rdb, and get_mset sees the reopened revision. */
    Xapian::Database db;
    Xapian::Enquire enq;
    std::string err;
    /* xc_enquire_count_buckets: what the next run counts into. */
    std::unique_ptr<Xapian::MatchSpy> spy;
    const uint16_t *bucket_of = nullptr;   /* non-NULL: count on the next run */
    size_t nbucket_of = 0, ncounts = 0;
    uint32_t *counts = nullptr, *seen = nullptr;
    /* xc_enquire_set_decider (NULL: none). */
    std::unique_ptr<Xapian::MatchDecider> decider;
    xc_enquire(xc_rdb *r) : rdb(r), db(r->db), enq(r->db) {}
};

struct xc_mset {
    Xapian::MSet m;
    Xapian::Database db;
    /* From a set with remote parts: documents are asked for PREFETCH at
     * a time, in one round; fetched_to is the end of what was asked. */
    bool remote = false;
    uint32_t fetched_to = 0;
    /* The header gives result sets no errmsg of their own, so failures of
     * xc_mset_document are reported on the read handle they came from. */
    xc_rdb *rdb;
};

namespace {

/* Counts matches per bucket of their docid (xc_enquire_count_buckets). */
class BucketSpy : public Xapian::MatchSpy {
public:
    BucketSpy(const uint16_t *bucket_of, size_t n, uint32_t *counts, size_t ncounts,
              uint32_t *seen)
        : bucket_of_(bucket_of), n_(n), counts_(counts), ncounts_(ncounts), seen_(seen) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        ++*seen_;
        Xapian::docid d = doc.get_docid();
        if (d < n_ && bucket_of_[d] < ncounts_)
            counts_[bucket_of_[d]]++;
    }
private:
    const uint16_t *bucket_of_;
    size_t n_;
    uint32_t *counts_;
    size_t ncounts_;
    uint32_t *seen_;
};

/* How many times a read is retried after DatabaseModifiedError. Each retry
 * follows a reopen at the newest revision, so only a writer committing
 * faster than we can read one block keeps failing. */
const int MAX_REOPEN_RETRIES = 5;

void set_err(std::string *err, const char *msg) noexcept
{
    if (!err)
        return;
    try {
        *err = msg;
    } catch (...) {
        err->clear();
    }
}

void set_err(std::string *err, const Xapian::Error &e) noexcept
{
    if (!err)
        return;
    try {
        *err = e.get_description();
    } catch (...) {
        /* get_description allocates; fall back to the static type name. */
        set_err(err, e.get_type());
    }
}

/* Maps the exception being handled to a status and records its text.
 * Must only be called from inside a catch block. Order matters: the
 * subclasses come before their bases (DatabaseNotFoundError and
 * DatabaseVersionError are DatabaseOpeningErrors). */
xc_status fail(std::string *err) noexcept
{
    xc_status st;
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        st = XC_ERR_LOCKED; set_err(err, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        st = XC_ERR_NOT_FOUND; set_err(err, e);
    } catch (const Xapian::DocNotFoundError &e) {
        st = XC_ERR_NOT_FOUND; set_err(err, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        st = XC_ERR_CORRUPT; set_err(err, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        st = XC_ERR_CORRUPT; set_err(err, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        st = XC_ERR_OPENING; set_err(err, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        st = XC_ERR_INVALID; set_err(err, e);
    } catch (const Xapian::InvalidOperationError &e) {
        st = XC_ERR_INVALID; set_err(err, e);
    } catch (const Xapian::Error &e) {
        st = XC_ERR_DB; set_err(err, e);
    } catch (const std::bad_alloc &) {
        st = XC_ERR_NOMEM; set_err(err, "out of memory");
    } catch (const std::exception &e) {
        st = XC_ERR_UNKNOWN; set_err(err, e.what());
    } catch (...) {
        st = XC_ERR_UNKNOWN; set_err(err, "unknown C++ exception");
    }
    return st;
}

/* Adds a failure (status st, text) to a read handle's log. */
void note_failure(xc_failures *log, xc_status st, const std::string &text) noexcept
{
    if (!log)
        return;
    log->n++;
    log->last = st;
    try {
        log->text = text;
    } catch (...) {
        log->text.clear();
    }
}

/* fail() for a call on rdb, or on something made from it: the text goes
 * to err (the handle called) and the failure to rdb's log. Only from
 * inside a catch block. */
xc_status rdb_fail(xc_rdb *rdb, std::string *err) noexcept
{
    xc_status st = fail(err);
    note_failure(rdb->failures.get(), st, *err);
    return st;
}

xc_status rdb_fail(xc_rdb *rdb) noexcept { return rdb_fail(rdb, &rdb->err); }

xc_status doc_fail(xc_doc *doc) noexcept
{
    xc_status st = fail(&doc->err);
    note_failure(doc->failures.get(), st, doc->err);
    return st;
}

/* The test build's fault injection (make check, tests/fault/sweep.sh):
 * the Nth call that reaches a database, N from TG_FAULT_XAPIAN_AT, throws
 * a DatabaseError as a failing disk would. TG_FAULT_XAPIAN_LOG names a
 * file that gets one line per such call ("N function"), for the sweep to
 * choose its N. The normal build compiles FAULT_POINT() to nothing. */
#ifdef TG_FAULT_INJECT
std::atomic<unsigned long> fault_calls{0};
unsigned long fault_at = 0;
FILE *fault_log = nullptr;
std::once_flag fault_once;

void fault_init();

void fault_point(const char *fn)
{
    fault_init();
    unsigned long n = ++fault_calls;
    if (fault_log)
        std::fprintf(fault_log, "%lu %s\n", n, fn);  /* stdio locks: lines stay whole */
    if (n == fault_at)
        throw Xapian::DatabaseError("injected fault", "call " + std::to_string(n));
}
#define FAULT_POINT() fault_point(__func__)
#define FAULT_POINT_IN(fn) fault_point(fn)   /* inside a lambda: its caller's name */

void fault_init()
{
    std::call_once(fault_once, [] {
        const char *at = std::getenv("TG_FAULT_XAPIAN_AT");
        fault_at = at ? std::strtoul(at, nullptr, 10) : 0;
        const char *log = std::getenv("TG_FAULT_XAPIAN_LOG");
        if (log && *log)
            fault_log = std::fopen(log, "w");
    });
}
#else
#define FAULT_POINT() ((void)0)
#define FAULT_POINT_IN(fn) ((void)0)
#endif

/* Runs f, reopening db and starting over when a writer has committed
 * enough to invalidate the revision being read. f must be restartable:
 * walks that have already reported items to a callback remember where they
 * got to and resume from there (see the *_walk helpers). */
/* Every reopen in the process (with_reopen, xc_rdb_reopen, a set of parts
 * rebuilt): what cached term frequencies are checked against. */
std::atomic<uint64_t> g_reopens{0};
const size_t TF_CACHE_MAX = 200000;
/* Synonym lists remembered (a sound key's list may hold hundreds of
 * words: a few MiB per handle at the most). */
const size_t SYN_CACHE_MAX = 20000;

/* The lexicon of kept shards (xc_merge_tables) also holds each term's
 * frequency over all shards, as the wdf of the term in one of a few
 * documents (so its collection frequency is the term's frequency): the
 * planner's hundreds of frequencies per query are read there instead of
 * asked of every remote shard. Not for terms each naming one or a few
 * articles (ids, files, urls, passage groups): they are most of the
 * vocabulary and the planner does not weigh them. */
const char *const LEX_FREQS_KEY = "tigris.lexicon.freqs";
bool lex_skips(const std::string &t)
{
    return t.compare(0, 1, "Q") == 0 || t.compare(0, 2, "XO") == 0 ||
           t.compare(0, 2, "XU") == 0 || t.compare(0, 2, "XG") == 0;
}

/* The synonym sets that may be kept one member per key (XC_SYN_MEMBER):
 * the sound and stem tables, tens of thousands of small sets written once
 * each (tg_schema.h). */
bool member_keyed(const std::string &t)
{
    return t.compare(0, 2, "XS") == 0 || t.compare(0, 2, "XF") == 0;
}

/* Database::reopen() with Glass's reads past the block cache, which is
 * emptied when the revision moved: the cache's blocks are those of the
 * revision each handle had open (tg_blockcache.h). Returns reopen()'s
 * answer: false when the database certainly did not move. */
bool reopen_uncached(Xapian::Database &db)
{
    tg_blockcache_bypass(1);
    bool moved = true;
    try {
        moved = db.reopen();
    } catch (...) {
        tg_blockcache_bypass(0);
        tg_blockcache_invalidate();
        throw;
    }
    tg_blockcache_bypass(0);
    if (moved)
        tg_blockcache_invalidate();
    return moved;
}

template <typename F>
auto with_reopen(Xapian::Database &db, F &&f) -> decltype(f())
{
    for (int attempt = 0;; ++attempt) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt >= MAX_REOPEN_RETRIES)
                throw;
            g_reopens++;
            /* Glass saw a block newer than its revision: one now cached. */
            tg_blockcache_invalidate();
            reopen_uncached(db);
        }
    }
}

xc_status dup_out(const std::string &s, char **out, size_t *outlen)
{
    /* (the bound also tells GCC that n + 1 cannot wrap) */
    const size_t n = s.size();
    char *p = n < PTRDIFF_MAX ? static_cast<char *>(std::malloc(n + 1)) : nullptr;
    if (!p)
        return XC_ERR_NOMEM;
    std::memcpy(p, s.data(), n);
    p[n] = '\0';
    *out = p;
    if (outlen)
        *outlen = n;
    return XC_OK;
}

/* Returns malloc'd s, or NULL (with *outlen 0) when s is empty. */
xc_status dup_or_null(const std::string &s, char **out, size_t *outlen)
{
    *out = nullptr;
    if (outlen)
        *outlen = 0;
    if (s.empty())
        return XC_OK;
    return dup_out(s, out, outlen);
}

void copy_errbuf(const std::string &msg, char *errbuf, size_t errlen)
{
    if (!errbuf || errlen == 0)
        return;
    size_t n = msg.size() < errlen - 1 ? msg.size() : errlen - 1;
    std::memcpy(errbuf, msg.data(), n);
    errbuf[n] = '\0';
}

uint32_t clamp_u32(double v)
{
    if (!(v > 0))
        return 0;
    if (v >= static_cast<double>(UINT32_MAX))
        return UINT32_MAX;
    return static_cast<uint32_t>(std::lround(v));
}

/* Walks a sorted term iterator through cb, from the first term at or
 * after start (empty: from the first). On a restart (after a reopen) it
 * skips past the last term already delivered so the caller never sees
 * one twice. begin() makes a fresh iterator; val() gives the number
 * reported with each term. */
template <typename Begin, typename Val>
void term_walk(Xapian::Database &db, Begin begin, Val val, xc_term_cb cb, void *ud,
               const std::string &start = std::string())
{
    std::string last;
    bool have_last = false;
    with_reopen(db, [&] {
        Xapian::TermIterator it = begin();
        Xapian::TermIterator end;
        if (have_last) {
            it.skip_to(last);
            if (it != end && *it == last)
                ++it;
        } else if (!start.empty()) {
            it.skip_to(start);
        }
        for (; it != end; ++it) {
            std::string t = *it;
            uint32_t v = val(it);
            if (cb(t.c_str(), t.size(), v, ud))
                return;
            last.swap(t);
            have_last = true;
        }
    });
}

void allterms_walk(Xapian::Database &db, const char *prefix, xc_term_cb cb, void *ud)
{
    const std::string pfx(prefix ? prefix : "");
    term_walk(db, [&] { return db.allterms_begin(pfx); },
              [](const Xapian::TermIterator &it) {
                  return static_cast<uint32_t>(it.get_termfreq());
              }, cb, ud);
}

xc_status find_first(Xapian::Database &db, const char *term, xc_docid *did, std::string *err)
{
    *did = 0;
    if (!*term) {
        /* Xapian reads "" as "every document": never a unique id. */
        set_err(err, "empty term");
        return XC_ERR_INVALID;
    }
    const std::string t(term);
    *did = with_reopen(db, [&]() -> xc_docid {
        Xapian::PostingIterator it = db.postlist_begin(t);
        return it == db.postlist_end(t) ? 0 : *it;
    });
    return XC_OK;
}

xc_status metadata_out(Xapian::Database &db, const char *key, char **out, size_t *outlen)
{
    const std::string k(key);
    std::string v = with_reopen(db, [&] { return db.get_metadata(k); });
    return dup_or_null(v, out, outlen);
}

xc_doc *wrap_doc(const Xapian::Document &d, const Xapian::Database &db, xc_rdb *rdb)
{
    xc_doc *doc = new xc_doc;
    doc->doc = d;
    doc->db = db;
    doc->failures = rdb->failures;
    return doc;
}

Xapian::Query::op map_op(xc_op op)
{
    switch (op) {
    case XC_OP_AND: return Xapian::Query::OP_AND;
    case XC_OP_OR: return Xapian::Query::OP_OR;
    case XC_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case XC_OP_FILTER: return Xapian::Query::OP_FILTER;
    case XC_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case XC_OP_PHRASE: return Xapian::Query::OP_PHRASE;
    case XC_OP_NEAR: return Xapian::Query::OP_NEAR;
    case XC_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
    case XC_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
    case XC_OP_MAX: return Xapian::Query::OP_MAX;
    }
    throw Xapian::InvalidArgumentError("unknown xc_op");
}

/* Where synonyms, spellings and metadata are read: the lexicon when set
 * (remote databases carry none of them), else the database itself. */
Xapian::Database &meta_db(xc_rdb *rdb)
{
    return rdb->has_lex ? rdb->lex : rdb->db;
}

/* Opens one part from its spec (xc_rdb_open_parts); *remote tells a
 * remote one. */
Xapian::Database open_part(const std::string &spec, unsigned timeout_ms, bool *remote)
{
    *remote = false;
    std::string::size_type sp = spec.find(' ');
    if (sp == std::string::npos)
        return Xapian::Database(spec);
    const std::string type = spec.substr(0, sp);
    std::string rest = spec.substr(spec.find_first_not_of(' ', sp) == std::string::npos
                                       ? spec.size() : spec.find_first_not_of(' ', sp));
    if (type == "auto")
        return Xapian::Database(rest);
    if (type == "glass")
        return Xapian::Database(rest, Xapian::DB_BACKEND_GLASS);
    if (type == "chert")
        return Xapian::Database(rest, Xapian::DB_BACKEND_CHERT);
    if (type != "remote")
        return Xapian::Database(spec);   /* a path with a space in it */
    *remote = true;
    if (rest.empty())
        throw Xapian::InvalidArgumentError("'" + spec + "': remote needs HOST:PORT or :PROGRAM");
    /* Xapian's own timeout is 10 s; 0 would mean "wait forever". */
    const unsigned tmo = timeout_ms ? timeout_ms : 10000;
    bool prog = rest[0] == ':';
    if (prog)
        rest.erase(0, 1);
    std::string::size_type end = rest.find(' ');
    std::string word = rest.substr(0, end);
    std::string args = end == std::string::npos ? std::string() : rest.substr(end + 1);
    if (word.empty())
        throw Xapian::InvalidArgumentError("'" + spec + "': remote needs HOST:PORT or :PROGRAM");
    std::string::size_type colon = word.rfind(':');
    if (!prog && colon != std::string::npos && args.empty()) {
        std::string host = word.substr(0, colon), port = word.substr(colon + 1);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);   /* [::1]:PORT */
        char *e = nullptr;
        unsigned long p = port.empty() ? 0 : std::strtoul(port.c_str(), &e, 10);
        if (host.empty() || port.empty() || *e || p == 0 || p > 65535)
            throw Xapian::InvalidArgumentError("'" + spec + "': bad HOST:PORT");
        return Xapian::Remote::open(host, (unsigned)p, tmo, tmo);
    }
    return Xapian::Remote::open(word, args, tmo);
}

/* The live parts as one database; generation tells revisions apart. */
void rebuild_parts(xc_rdb *rdb)
{
    Xapian::Database db;
    for (const xc_part &p : rdb->parts)
        if (p.alive)
            db.add_database(p.db);
    rdb->db = db;
    rdb->generation++;
    rdb->remote = false;
    for (const xc_part &p : rdb->parts)
        rdb->remote |= p.alive && p.remote;
    g_reopens++;
}

/* A frequency from a remote set's cache, computed once per reopen: the
 * cache is emptied when the databases were reopened since it was filled
 * (stamp) or when it holds TF_CACHE_MAX terms. */
template <class V, class F>
V remembered(std::unordered_map<std::string, V> &cache, uint64_t &stamp, const std::string &t, F compute,
             size_t max = TF_CACHE_MAX)
{
    if (stamp != g_reopens.load() || cache.size() > max) {
        cache.clear();
        stamp = g_reopens.load();
    }
    auto hit = cache.find(t);
    if (hit != cache.end())
        return hit->second;
    V v = compute();
    cache.emplace(t, v);
    return v;
}

/* db's frequency of t (db is rdb's, or a copy sharing its parts), from
 * rdb's cache (see tf_cache): remote sets for their round trips, local
 * ones for their preads (a plan asks for a word's frequency several times
 * and the same words come back query after query; a pread per B-tree
 * block is most of a short query's time on a virtual machine). */
Xapian::doccount termfreq_of(xc_rdb *rdb, const Xapian::Database &db, const std::string &t)
{
    if (!rdb)
        return db.get_termfreq(t);
    if (rdb->remote && rdb->lex_freqs && !lex_skips(t))
        return (Xapian::doccount)rdb->lex.get_collection_freq(t);
    return remembered(rdb->tf_cache, rdb->tf_stamp, t, [&] { return db.get_termfreq(t); });
}

const size_t TL_CACHE_MAX = 4096;

/* The terms of did with their wdf, through rdb's cache (remote sets). */
const std::unordered_map<std::string, uint32_t> &terms_of(xc_rdb *rdb, Xapian::docid did)
{
    if (rdb->tl_stamp != g_reopens.load() || rdb->tl_cache.size() > TL_CACHE_MAX) {
        rdb->tl_cache.clear();
        rdb->tl_stamp = g_reopens.load();
    }
    auto hit = rdb->tl_cache.find(did);
    if (hit != rdb->tl_cache.end())
        return *hit->second;
    auto m = std::make_shared<std::unordered_map<std::string, uint32_t>>();
    for (Xapian::TermIterator t = rdb->db.termlist_begin(did); t != rdb->db.termlist_end(did); ++t)
        m->emplace(*t, t.get_wdf());
    return *rdb->tl_cache.emplace(did, m).first->second;
}

void drop_part(xc_part &p, const std::string &why) noexcept
{
    p.alive = false;
    try {
        p.error = why.empty() ? std::string("failed") : why;
    } catch (...) {
        p.error.clear();
    }
    p.dropped = std::chrono::steady_clock::now();
    try {
        p.db = Xapian::Database();   /* closes its connection or files */
    } catch (...) {
    }
}

/* Runs op on each live part; a part where it throws is dropped, and the
 * set rebuilt once if any was. Returns how many were dropped. */
template <typename F>
unsigned drop_failing_parts(xc_rdb *rdb, F &&op)
{
    unsigned dropped = 0;
    for (xc_part &p : rdb->parts) {
        if (!p.alive)
            continue;
        std::string why;
        try {
            op(p);
            continue;
        } catch (...) {
            fail(&why);
        }
        drop_part(p, why);
        dropped++;
    }
    if (dropped)
        rebuild_parts(rdb);
    return dropped;
}

/* The revision of one sub-database; a remote one (which cannot tell it in
 * Xapian 1.4) counts its document count plus last docid, which change
 * with additions and deletions. */
uint64_t sub_revision(Xapian::Database::Internal *sub)
{
    Xapian::Database one(sub);
    try {
        return one.get_revision();
    } catch (const Xapian::InvalidOperationError &) {
    } catch (const Xapian::UnimplementedError &) {
    }
    return (uint64_t)one.get_doccount() + one.get_lastdocid();
}

} // namespace

extern "C" {

const char *xc_status_to_string(xc_status st)
{
    switch (st) {
    case XC_OK: return "success";
    case XC_ERR_NOMEM: return "out of memory";
    case XC_ERR_NOT_FOUND: return "not found";
    case XC_ERR_LOCKED: return "database locked by another writer";
    case XC_ERR_CORRUPT: return "database corrupt or of an unsupported version";
    case XC_ERR_OPENING: return "cannot open database";
    case XC_ERR_INVALID: return "invalid argument or operation";
    case XC_ERR_DB: return "database error";
    case XC_ERR_UNKNOWN: return "unknown error";
    }
    return "unknown status";
}

const char *xc_version_string(void)
{
    return Xapian::version_string();
}

/* ---- read-only database ---------------------------------------------- */

xc_status xc_rdb_open(const char *path, xc_rdb **out, char *errbuf, size_t errlen)
{
    std::string msg;
    xc_rdb *rdb = nullptr;
    if (out)
        *out = nullptr;
    copy_errbuf(std::string(), errbuf, errlen);
    try {
        FAULT_POINT();
        if (!path || !out) {
            copy_errbuf("xc_rdb_open: NULL argument", errbuf, errlen);
            return XC_ERR_INVALID;
        }
        rdb = new xc_rdb;
        rdb->db = Xapian::Database(path);
        *out = rdb;
        return XC_OK;
    } catch (...) {
        delete rdb;
        xc_status st = fail(&msg);
        copy_errbuf(msg, errbuf, errlen);
        return st;
    }
}

xc_status xc_rdb_add(xc_rdb *rdb, const char *path)
{
    if (!rdb || !path)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        rdb->db.add_database(Xapian::Database(path));
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_open_parts(const char *const *specs, size_t n, unsigned timeout_ms,
                            xc_rdb **out, char *errbuf, size_t errlen)
{
    std::string msg;
    xc_rdb *rdb = nullptr;
    if (out)
        *out = nullptr;
    copy_errbuf(std::string(), errbuf, errlen);
    try {
        FAULT_POINT();
        if (!specs || !out || n == 0) {
            copy_errbuf("xc_rdb_open_parts: no databases", errbuf, errlen);
            return XC_ERR_INVALID;
        }
        rdb = new xc_rdb;
        rdb->timeout_ms = timeout_ms;
        rdb->parts.resize(n);
        xc_status last = XC_OK;
        size_t alive = 0;
        for (size_t i = 0; i < n; i++) {
            xc_part &p = rdb->parts[i];
            p.spec = specs[i] ? specs[i] : "";
            try {
                p.db = open_part(p.spec, timeout_ms, &p.remote);
                p.alive = true;
                alive++;
            } catch (...) {
                std::string why;
                last = fail(&why);
                drop_part(p, why);
                if (!msg.empty())
                    msg += "; ";
                msg += n > 1 ? p.spec + ": " + why : why;
            }
        }
        if (!alive) {
            delete rdb;
            copy_errbuf(msg, errbuf, errlen);
            return last;
        }
        rebuild_parts(rdb);
        rdb->generation = 0;   /* the revision of a whole set is its parts' sum */
        *out = rdb;
        return XC_OK;
    } catch (...) {
        delete rdb;
        xc_status st = fail(&msg);
        copy_errbuf(msg, errbuf, errlen);
        return st;
    }
}

unsigned xc_rdb_parts(const xc_rdb *rdb)
{
    return rdb ? (unsigned)rdb->parts.size() : 0;
}

const char *xc_rdb_part_spec(const xc_rdb *rdb, unsigned i)
{
    return rdb && i < rdb->parts.size() ? rdb->parts[i].spec.c_str() : "";
}

int xc_rdb_part_alive(const xc_rdb *rdb, unsigned i)
{
    return rdb && i < rdb->parts.size() && rdb->parts[i].alive;
}

int xc_rdb_part_remote(const xc_rdb *rdb, unsigned i)
{
    return rdb && i < rdb->parts.size() && rdb->parts[i].remote;
}

const char *xc_rdb_part_error(const xc_rdb *rdb, unsigned i)
{
    if (!rdb || i >= rdb->parts.size() || rdb->parts[i].alive)
        return "";
    return rdb->parts[i].error.c_str();
}

unsigned xc_rdb_check_parts(xc_rdb *rdb)
{
    if (!rdb)
        return 0;
    try {
        return drop_failing_parts(rdb, [](xc_part &p) {
            FAULT_POINT_IN("xc_rdb_check_parts");
            p.db.keep_alive();
            (void)p.db.get_doccount();
        });
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

xc_status xc_rdb_drop_part(xc_rdb *rdb, unsigned i, const char *why)
{
    if (!rdb || i >= rdb->parts.size())
        return XC_ERR_INVALID;
    try {
        if (rdb->parts[i].alive) {
            drop_part(rdb->parts[i], why ? why : "");
            rebuild_parts(rdb);
        }
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

unsigned xc_rdb_retry_parts(xc_rdb *rdb, unsigned interval_ms)
{
    if (!rdb)
        return 0;
    try {
        unsigned back = 0;
        auto now = std::chrono::steady_clock::now();
        for (xc_part &p : rdb->parts) {
            if (p.alive || now - p.dropped < std::chrono::milliseconds(interval_ms))
                continue;
            std::string why;
            try {
                FAULT_POINT();
                p.db = open_part(p.spec, rdb->timeout_ms, &p.remote);
                p.alive = true;
                p.error.clear();
                back++;
                continue;
            } catch (...) {
                fail(&why);
            }
            drop_part(p, why);
        }
        if (back)
            rebuild_parts(rdb);
        return back;
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

xc_status xc_rdb_set_lexicon(xc_rdb *rdb, const char *path)
{
    if (!rdb || !path)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        Xapian::Database lex(path);
        rdb->lex_path = path;
        rdb->lex = lex;
        rdb->has_lex = true;
        rdb->lex_freqs = lex.get_metadata(LEX_FREQS_KEY) == "1";
        g_reopens++;   /* what was remembered came from the parts' own tables */
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

int xc_rdb_has_lexicon(const xc_rdb *rdb)
{
    return rdb && rdb->has_lex;
}

xc_status xc_rdb_reopen(xc_rdb *rdb)
{
    if (!rdb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        g_reopens++;
        if (rdb->parts.empty()) {
            reopen_uncached(rdb->db);
        } else {
            /* A part that fails to reopen is dropped like one failing a
             * search; the call fails only when none is left. */
            unsigned alive = 0;
            drop_failing_parts(rdb, [&alive](xc_part &p) {
                reopen_uncached(p.db);
                alive++;
            });
            if (!alive)
                throw Xapian::DatabaseOpeningError("every shard failed: " +
                                                   rdb->parts[0].error);
        }
        if (rdb->has_lex) {
            /* The indexer swaps a new lexicon in by renaming a folder:
             * open it afresh by its path. */
            try {
                rdb->lex = Xapian::Database(rdb->lex_path);
                rdb->lex_freqs = rdb->lex.get_metadata(LEX_FREQS_KEY) == "1";
            } catch (const Xapian::DatabaseOpeningError &) {
                reopen_uncached(rdb->lex);
            }
        }
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

void xc_rdb_close(xc_rdb *rdb)
{
    delete rdb;
}

const char *xc_rdb_errmsg(const xc_rdb *rdb)
{
    return rdb ? rdb->err.c_str() : "";
}

uint64_t xc_rdb_failures(const xc_rdb *rdb)
{
    return rdb ? rdb->failures->n : 0;
}

xc_status xc_rdb_last_failure(const xc_rdb *rdb, const char **msg)
{
    if (msg)
        *msg = rdb ? rdb->failures->text.c_str() : "";
    return rdb ? rdb->failures->last : XC_OK;
}

uint32_t xc_rdb_doccount(xc_rdb *rdb)
{
    if (!rdb)
        return 0;
    try {
        FAULT_POINT();
        return with_reopen(rdb->db, [&] { return rdb->db.get_doccount(); });
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

unsigned xc_rdb_shards(const xc_rdb *rdb)
{
    return rdb ? (unsigned)rdb->db.size() : 0;
}

int xc_rdb_remote(const xc_rdb *rdb)
{
    return rdb && rdb->remote;
}

xc_status xc_rdb_revision(xc_rdb *rdb, uint64_t *rev)
{
    if (!rdb || !rev)
        return XC_ERR_INVALID;
    *rev = 0;
    try {
        FAULT_POINT();
        /* get_revision() wants exactly one sub-database: the shards of a
         * stub file are asked one by one (through the internals the header
         * exposes for this) and summed, which still grows with every
         * commit to any shard. */
        *rev = with_reopen(rdb->db, [&] {
            uint64_t sum = 0;
            for (const auto &sub : rdb->db.internal)
                sum += sub_revision(sub.get());
            return sum;
        });
        if (rdb->has_lex)
            *rev += with_reopen(rdb->lex, [&] { return sub_revision(rdb->lex.internal[0].get()); });
        *rev += rdb->parts.empty() ? 0 : rdb->generation << 40;
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

double xc_rdb_avlength(xc_rdb *rdb)
{
    if (!rdb)
        return 0;
    try {
        FAULT_POINT();
        return with_reopen(rdb->db, [&] { return rdb->db.get_avlength(); });
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

uint32_t xc_rdb_termfreq(xc_rdb *rdb, const char *term)
{
    if (!rdb || !term)
        return 0;
    try {
        FAULT_POINT();
        const std::string t(term);
        return with_reopen(rdb->db, [&] { return termfreq_of(rdb, rdb->db, t); });
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

uint32_t xc_rdb_value_freq(xc_rdb *rdb, unsigned slot)
{
    if (!rdb)
        return 0;
    try {
        FAULT_POINT();
        return with_reopen(rdb->db, [&] { return rdb->db.get_value_freq(slot); });
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

uint64_t xc_rdb_collfreq(xc_rdb *rdb, const char *term)
{
    if (!rdb || !term)
        return 0;
    try {
        FAULT_POINT();
        const std::string t(term);
        if (!rdb->remote)
            return with_reopen(rdb->db, [&] { return rdb->db.get_collection_freq(t); });
        return remembered(rdb->cf_cache, rdb->cf_stamp, t, [&] {
            return with_reopen(rdb->db, [&] { return rdb->db.get_collection_freq(t); });
        });
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

uint32_t xc_rdb_doclength(xc_rdb *rdb, xc_docid did)
{
    if (!rdb)
        return 0;
    try {
        FAULT_POINT();
        return with_reopen(rdb->db, [&] { return rdb->db.get_doclength(did); });
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

xc_status xc_rdb_find_term(xc_rdb *rdb, const char *term, xc_docid *did)
{
    if (did)
        *did = 0;
    if (!rdb || !term || !did)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        return find_first(rdb->db, term, did, &rdb->err);
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_get_document(xc_rdb *rdb, xc_docid did, xc_doc **out)
{
    if (out)
        *out = nullptr;
    if (!rdb || !out)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        Xapian::Document d = with_reopen(rdb->db, [&] { return rdb->db.get_document(did); });
        *out = wrap_doc(d, rdb->db, rdb);
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_positions(xc_rdb *rdb, xc_docid did, const char *term,
                           xc_position_cb cb, void *ud)
{
    if (!rdb || !term || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        const std::string t(term);
        /* Xapian 1.4 gives an empty list (no exception) for a term the
         * document lacks, so that case needs no special handling. */
        uint32_t next = 0;  /* first position not yet delivered */
        bool started = false;
        with_reopen(rdb->db, [&] {
            Xapian::PositionIterator it = rdb->db.positionlist_begin(did, t);
            Xapian::PositionIterator end = rdb->db.positionlist_end(did, t);
            if (started)
                it.skip_to(next);
            for (; it != end; ++it) {
                uint32_t pos = *it;
                if (cb(pos, ud))
                    return;
                next = pos + 1;
                started = true;
            }
        });
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_term_in_docs(xc_rdb *rdb, const char *term, const xc_docid *dids, size_t n,
                              unsigned char *has)
{
    if (!rdb || !term || (n && (!dids || !has)))
        return XC_ERR_INVALID;
    if (n == 0)
        return XC_OK;
    try {
        FAULT_POINT();
        const std::string t(term);
        with_reopen(rdb->db, [&] {
            std::memset(has, 0, n);
            if (rdb->remote) {
                for (size_t i = 0; i < n; i++) {
                    const auto &m = terms_of(rdb, dids[i]);
                    has[i] = m.find(t) != m.end();
                }
                return 0;
            }
            Xapian::PostingIterator it = rdb->db.postlist_begin(t);
            Xapian::PostingIterator end = rdb->db.postlist_end(t);
            for (size_t i = 0; i < n && it != end; i++) {
                it.skip_to(dids[i]);
                if (it != end && *it == dids[i])
                    has[i] = 1;
            }
            return 0;
        });
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_wdf(xc_rdb *rdb, xc_docid did, const char *term, uint32_t *wdf)
{
    if (wdf)
        *wdf = 0;
    if (!rdb || !term || !wdf)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        if (!*term)
            return XC_OK;  /* "" is not a term; "" would list every doc */
        const std::string t(term);
        /* The posting list's skip_to is a B-tree seek, where the document's
         * termlist would have to be decoded up to the term. */
        *wdf = with_reopen(rdb->db, [&]() -> uint32_t {
            if (rdb->remote) {
                const auto &m = terms_of(rdb, did);
                auto w = m.find(t);
                return w == m.end() ? 0 : w->second;
            }
            Xapian::PostingIterator it = rdb->db.postlist_begin(t);
            it.skip_to(did);
            if (it != rdb->db.postlist_end(t) && *it == did)
                return it.get_wdf();
            return 0;
        });
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_allterms(xc_rdb *rdb, const char *prefix, xc_term_cb cb, void *ud)
{
    if (!rdb || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        allterms_walk(rdb->db, prefix, cb, ud);
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_termlist_from(xc_rdb *rdb, xc_docid did, const char *from, xc_term_cb cb,
                               void *ud)
{
    if (!rdb || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        term_walk(rdb->db, [&] { return rdb->db.termlist_begin(did); },
                  [](const Xapian::TermIterator &it) {
                      return static_cast<uint32_t>(it.get_wdf());
                  }, cb, ud, std::string(from ? from : ""));
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_termlist(xc_rdb *rdb, xc_docid did, xc_term_cb cb, void *ud)
{
    return xc_rdb_termlist_from(rdb, did, NULL, cb, ud);
}

xc_status xc_rdb_get_value(xc_rdb *rdb, xc_docid did, unsigned slot, char **out, size_t *outlen)
{
    if (out)
        *out = nullptr;
    if (outlen)
        *outlen = 0;
    if (!rdb || !out)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        /* DOC_ASSUME_VALID: the document is not looked up in the term list
         * table first (a docid from a match is one), only its value read */
        std::string v = with_reopen(rdb->db, [&] {
            return rdb->db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(slot);
        });
        return dup_or_null(v, out, outlen);
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_get_metadata(xc_rdb *rdb, const char *key, char **out, size_t *outlen)
{
    if (out)
        *out = nullptr;
    if (outlen)
        *outlen = 0;
    if (!rdb || !key || !out)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        Xapian::Database &db = meta_db(rdb);
        const std::string k(key);
        std::string v = remembered(rdb->meta_cache, rdb->meta_stamp, k, [&] {
            return with_reopen(db, [&] { return db.get_metadata(k); });
        });
        return dup_or_null(v, out, outlen);
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_spelling_suggestion(xc_rdb *rdb, const char *word,
                                     unsigned max_edit_distance, char **out)
{
    if (out)
        *out = nullptr;
    if (!rdb || !word || !out)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        Xapian::Database &db = meta_db(rdb);
        const std::string w(word);
        std::string s = with_reopen(db, [&] {
            return db.get_spelling_suggestion(w, max_edit_distance);
        });
        return dup_or_null(s, out, nullptr);
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_synonyms(xc_rdb *rdb, const char *term, xc_term_cb cb, void *ud)
{
    if (!rdb || !term || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        Xapian::Database &db = meta_db(rdb);
        const std::string t(term);
        /* A callback may ask for more synonyms, which may empty the
         * cache: the list is held by its own reference. */
        std::shared_ptr<const std::vector<std::string>> syns =
            remembered(rdb->syn_cache, rdb->syn_stamp, t, [&] {
                /* Gathered whole before any is reported, so that a
                 * reopen starts over. */
                return std::shared_ptr<const std::vector<std::string>>(
                    std::make_shared<std::vector<std::string>>(with_reopen(db, [&] {
                        std::vector<std::string> out;
                        for (auto it = db.synonyms_begin(t); it != db.synonyms_end(t); ++it)
                            out.push_back(*it);
                        if (!member_keyed(t))
                            return out;
                        const size_t whole = out.size();
                        const std::string p = t + XC_SYN_MEMBER;
                        for (auto it = db.synonym_keys_begin(p); it != db.synonym_keys_end(p);
                             ++it)
                            out.push_back((*it).substr(p.size()));
                        /* Both layouts only in a database indexed before
                         * and after member keys: merge them. */
                        if (whole && whole < out.size()) {
                            std::sort(out.begin(), out.end());
                            out.erase(std::unique(out.begin(), out.end()), out.end());
                        }
                        return out;
                    })));
            }, SYN_CACHE_MAX);
        for (const std::string &syn : *syns)
            if (cb(syn.c_str(), syn.size(), 0, ud))
                break;
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

xc_status xc_rdb_synonym_keys(xc_rdb *rdb, const char *prefix, xc_term_cb cb, void *ud)
{
    if (!rdb || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        Xapian::Database &db = meta_db(rdb);
        const std::string p(prefix ? prefix : "");
        term_walk(db, [&] { return db.synonym_keys_begin(p); },
                  [](const Xapian::TermIterator &) { return uint32_t(0); }, cb, ud);
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

/* ---- writable database ----------------------------------------------- */

xc_status xc_wdb_open(const char *path, int mode, xc_wdb **out, char *errbuf, size_t errlen)
{
    std::string msg;
    xc_wdb *wdb = nullptr;
    if (out)
        *out = nullptr;
    copy_errbuf(std::string(), errbuf, errlen);
    try {
        FAULT_POINT();
        if (!path || !out) {
            copy_errbuf("xc_wdb_open: NULL argument", errbuf, errlen);
            return XC_ERR_INVALID;
        }
        int flags;
        int base = mode & ~XC_WDB_NO_SYNC;
        if (base == XC_WDB_CREATE_OR_OPEN)
            flags = Xapian::DB_CREATE_OR_OPEN;
        else if (base == XC_WDB_CREATE_OR_OVERWRITE)
            flags = Xapian::DB_CREATE_OR_OVERWRITE;
        else
            throw Xapian::InvalidArgumentError("xc_wdb_open: unknown mode");
        if (mode & XC_WDB_NO_SYNC)
            flags |= Xapian::DB_NO_SYNC;
#ifdef TG_FAULT_INJECT
        /* The sweep runs the indexer a hundred times: its fsyncs would be
         * most of the time it takes, and they are not what it tests. */
        if (std::getenv("TG_FAULT_XAPIAN_NOSYNC"))
            flags |= Xapian::DB_NO_SYNC;
#endif
        wdb = new xc_wdb;
        wdb->db = Xapian::WritableDatabase(path, flags);
        *out = wdb;
        return XC_OK;
    } catch (...) {
        delete wdb;
        xc_status st = fail(&msg);
        copy_errbuf(msg, errbuf, errlen);
        return st;
    }
}

xc_status xc_wdb_close(xc_wdb *wdb)
{
    return xc_wdb_close_why(wdb, nullptr, 0);
}

xc_status xc_wdb_close_why(xc_wdb *wdb, char *errbuf, size_t errlen)
{
    copy_errbuf(std::string(), errbuf, errlen);
    if (!wdb)
        return XC_OK;
    xc_status st = XC_OK;
    try {
        FAULT_POINT();
        /* "Commits pending changes": an open transaction is pending too.
         * Callers on a failure path use xc_wdb_abandon instead. */
        if (wdb->in_txn) {
            wdb->in_txn = false;
            wdb->db.commit_transaction();
        }
        wdb->db.commit();
        /* close() releases the lock now, and reports what the destructor
         * would swallow. */
        wdb->db.close();
    } catch (...) {
        st = fail(&wdb->err);
        copy_errbuf(wdb->err, errbuf, errlen);
    }
    delete wdb;
    return st;
}

void xc_wdb_abandon(xc_wdb *wdb)
{
    if (!wdb)
        return;
    /* Both close() and the destructor commit changes made outside a
     * transaction, so turn those into part of one and cancel it: an
     * unflushed transaction's cancel discards everything since the last
     * commit, including what was pending when it began. */
    try {
        if (!wdb->in_txn)
            wdb->db.begin_transaction(false);
        wdb->in_txn = false;
        wdb->db.cancel_transaction();
    } catch (...) {
        /* Nothing to report to: abandon is the failure path already. */
    }
    try {
        wdb->db.close();
    } catch (...) {
    }
    delete wdb;
}

const char *xc_wdb_errmsg(const xc_wdb *wdb)
{
    return wdb ? wdb->err.c_str() : "";
}

xc_status xc_wdb_commit(xc_wdb *wdb)
{
    if (!wdb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->db.commit();
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_begin_transaction(xc_wdb *wdb, int flushed)
{
    if (!wdb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->db.begin_transaction(flushed != 0);
        wdb->in_txn = true;
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_commit_transaction(xc_wdb *wdb)
{
    if (!wdb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        /* Whatever the outcome, no transaction is open afterwards. */
        wdb->in_txn = false;
        wdb->db.commit_transaction();
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_cancel_transaction(xc_wdb *wdb)
{
    if (!wdb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->in_txn = false;
        wdb->db.cancel_transaction();
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_replace_by_term(xc_wdb *wdb, const char *unique_term,
                                 xc_doc *doc, xc_docid *did)
{
    if (did)
        *did = 0;
    if (!wdb || !unique_term || !doc)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        Xapian::docid d = wdb->db.replace_document(unique_term, doc->doc);
        if (did)
            *did = d;
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_add(xc_wdb *wdb, xc_doc *doc, xc_docid *did)
{
    if (did)
        *did = 0;
    if (!wdb || !doc)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        Xapian::docid d = wdb->db.add_document(doc->doc);
        if (did)
            *did = d;
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_delete_by_term(xc_wdb *wdb, const char *term)
{
    if (!wdb || !term)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->db.delete_document(std::string(term));
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_delete(xc_wdb *wdb, xc_docid did)
{
    if (!wdb || !did)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->db.delete_document(did);
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_find_term(xc_wdb *wdb, const char *term, xc_docid *did)
{
    if (did)
        *did = 0;
    if (!wdb || !term || !did)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        return find_first(wdb->db, term, did, &wdb->err);
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_get_value(xc_wdb *wdb, xc_docid did, unsigned slot,
                           char **out, size_t *outlen)
{
    if (out)
        *out = nullptr;
    if (outlen)
        *outlen = 0;
    if (!wdb || !out)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        return dup_or_null(wdb->db.get_document(did).get_value(slot), out, outlen);
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_allterms(xc_wdb *wdb, const char *prefix, xc_term_cb cb, void *ud)
{
    if (!wdb || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        allterms_walk(wdb->db, prefix, cb, ud);
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_postings(xc_wdb *wdb, const char *term, xc_docid_cb cb, void *ud)
{
    if (!wdb || !term || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        /* Collect first: the callback may delete the documents it is given,
         * which would invalidate a live posting iterator. */
        std::vector<Xapian::docid> ids;
        for (Xapian::PostingIterator it = wdb->db.postlist_begin(term); it != wdb->db.postlist_end(term); ++it)
            ids.push_back(*it);
        for (Xapian::docid id : ids)
            if (cb(id, ud))
                break;
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

uint32_t xc_wdb_doccount(xc_wdb *wdb)
{
    uint32_t n = 0;
    xc_wdb_get_doccount(wdb, &n);
    return n;
}

xc_status xc_wdb_get_doccount(xc_wdb *wdb, uint32_t *n)
{
    if (n)
        *n = 0;
    if (!wdb || !n)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        *n = wdb->db.get_doccount();
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_set_metadata(xc_wdb *wdb, const char *key, const char *val, size_t vallen)
{
    if (!wdb || !key || (!val && vallen))
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->db.set_metadata(key, val ? std::string(val, vallen) : std::string());
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_get_metadata(xc_wdb *wdb, const char *key, char **out, size_t *outlen)
{
    if (out)
        *out = nullptr;
    if (outlen)
        *outlen = 0;
    if (!wdb || !key || !out)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        return metadata_out(wdb->db, key, out, outlen);
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_add_spelling(xc_wdb *wdb, const char *word, unsigned freqinc)
{
    if (!wdb || !word)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->db.add_spelling(word, freqinc);
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_add_synonym(xc_wdb *wdb, const char *term, const char *synonym)
{
    if (!wdb || !term || !synonym)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->db.add_synonym(term, synonym);
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

xc_status xc_wdb_clear_synonyms(xc_wdb *wdb, const char *term)
{
    if (!wdb || !term)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        wdb->db.clear_synonyms(term);
        return XC_OK;
    } catch (...) {
        return fail(&wdb->err);
    }
}

/* ---- documents --------------------------------------------------------- */

xc_doc *xc_doc_new(void)
{
    try {
        return new xc_doc;
    } catch (...) {
        return nullptr;
    }
}

void xc_doc_free(xc_doc *doc)
{
    delete doc;
}

const char *xc_doc_errmsg(const xc_doc *doc)
{
    return doc ? doc->err.c_str() : "";
}

xc_status xc_doc_add_posting(xc_doc *doc, const char *term, uint32_t pos, uint32_t wdfinc)
{
    if (!doc || !term)
        return XC_ERR_INVALID;
    try {
        if (pos == 0)
            doc->doc.add_term(term, wdfinc);
        else
            doc->doc.add_posting(term, pos, wdfinc);
        return XC_OK;
    } catch (...) {
        return doc_fail(doc);
    }
}

xc_status xc_doc_add_term(xc_doc *doc, const char *term, uint32_t wdfinc)
{
    if (!doc || !term)
        return XC_ERR_INVALID;
    try {
        doc->doc.add_term(term, wdfinc);
        return XC_OK;
    } catch (...) {
        return doc_fail(doc);
    }
}

xc_status xc_doc_add_boolean_term(xc_doc *doc, const char *term)
{
    if (!doc || !term)
        return XC_ERR_INVALID;
    try {
        doc->doc.add_boolean_term(term);
        return XC_OK;
    } catch (...) {
        return doc_fail(doc);
    }
}

xc_status xc_doc_set_value(xc_doc *doc, unsigned slot, const char *val, size_t len)
{
    if (!doc || (!val && len))
        return XC_ERR_INVALID;
    try {
        doc->doc.add_value(slot, val ? std::string(val, len) : std::string());
        return XC_OK;
    } catch (...) {
        return doc_fail(doc);
    }
}

xc_status xc_doc_termlist(xc_doc *doc, xc_term_cb cb, void *ud)
{
    if (!doc || !cb)
        return XC_ERR_INVALID;
    try {
        /* A new document's terms are in memory; Xapian::Document's own
         * iterator, so nothing to reopen */
        for (Xapian::TermIterator it = doc->doc.termlist_begin(); it != doc->doc.termlist_end(); ++it) {
            const std::string t = *it;
            if (cb(t.c_str(), t.size(), static_cast<uint32_t>(it.get_wdf()), ud))
                break;
        }
        return XC_OK;
    } catch (...) {
        return doc_fail(doc);
    }
}

xc_status xc_doc_set_data(xc_doc *doc, const char *data, size_t len)
{
    if (!doc || (!data && len))
        return XC_ERR_INVALID;
    try {
        doc->doc.set_data(data ? std::string(data, len) : std::string());
        return XC_OK;
    } catch (...) {
        return doc_fail(doc);
    }
}

/* Borrowed pointers stay valid while doc lives: a cached string is only
 * replaced when the document's content has changed since it was read, so
 * repeated reads of an unchanged document return the same pointer. */
const char *xc_doc_get_data(xc_doc *doc, size_t *len)
{
    if (len)
        *len = 0;
    if (!doc)
        return "";
    try {
        if (doc->failures)  /* read from a database */
            FAULT_POINT();
        std::string d = with_reopen(doc->db, [&] { return doc->doc.get_data(); });
        if (!doc->have_data || d != doc->data) {
            doc->data.swap(d);
            doc->have_data = true;
        }
        if (len)
            *len = doc->data.size();
        return doc->data.c_str();
    } catch (...) {
        doc_fail(doc);
        return "";
    }
}

const char *xc_doc_get_value(xc_doc *doc, unsigned slot, size_t *len)
{
    if (len)
        *len = 0;
    if (!doc)
        return "";
    try {
        if (doc->failures)  /* read from a database */
            FAULT_POINT();
        std::string v = with_reopen(doc->db, [&] { return doc->doc.get_value(slot); });
        auto ins = doc->values.emplace(slot, std::string());
        if (ins.second || ins.first->second != v)
            ins.first->second.swap(v);
        if (len)
            *len = ins.first->second.size();
        return ins.first->second.c_str();
    } catch (...) {
        doc_fail(doc);
        return "";
    }
}

/* ---- queries ------------------------------------------------------------ */

/* Query constructors have no handle to carry a message, so any failure is
 * NULL: besides memory exhaustion, Xapian rejects some arguments (e.g. a
 * negative scale factor) by throwing. */

xc_query *xc_query_term(const char *term, uint32_t wqf, uint32_t pos)
{
    try {
        /* NULL is no term at all; "" stays Xapian's MatchAll. */
        if (!term)
            return new xc_query{Xapian::Query()};
        return new xc_query{Xapian::Query(term, wqf, pos)};
    } catch (...) {
        return nullptr;
    }
}

/* The documents of a sorted docid list, weightless (a filter). Docids
 * are the database's own, so it serves a single database only. */
class DocidListSource : public Xapian::PostingSource {
    std::vector<Xapian::docid> ids_;
    size_t i_ = 0;
    bool started_ = false;
public:
    explicit DocidListSource(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) {}
    Xapian::doccount get_termfreq_min() const override { return ids_.size(); }
    Xapian::doccount get_termfreq_est() const override { return ids_.size(); }
    Xapian::doccount get_termfreq_max() const override { return ids_.size(); }
    void init(const Xapian::Database &) override { i_ = 0; started_ = false; }
    void next(double) override
    {
        if (started_)
            ++i_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override
    {
        started_ = true;
        while (i_ < ids_.size() && ids_[i_] < did)
            ++i_;
    }
    bool at_end() const override { return started_ && i_ >= ids_.size(); }
    Xapian::docid get_docid() const override { return ids_[i_]; }
    PostingSource *clone() const override { return new DocidListSource(ids_); }
    std::string get_description() const override
    {
        return "DocidListSource(" + std::to_string(ids_.size()) + " documents)";
    }
};

xc_query *xc_query_docids(const xc_docid *ids, size_t n)
{
    try {
        std::vector<Xapian::docid> v(ids, ids + n);
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        if (v.empty())
            return new xc_query{Xapian::Query()};
        /* Xapian keeps the source (reference counted) with the query. */
        Xapian::PostingSource *src = (new DocidListSource(std::move(v)))->release();
        return new xc_query{Xapian::Query(src)};
    } catch (...) {
        return nullptr;
    }
}

xc_query *xc_query_match_nothing(void)
{
    try {
        return new xc_query{Xapian::Query()};
    } catch (...) {
        return nullptr;
    }
}

xc_query *xc_query_match_all(void)
{
    try {
        return new xc_query{Xapian::Query::MatchAll};
    } catch (...) {
        return nullptr;
    }
}

xc_query *xc_query_combine(xc_op op, xc_query *const *subs, size_t n, uint32_t window)
{
    try {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs && subs[i] ? subs[i]->q : Xapian::Query());
        /* The parameter is the window for PHRASE/NEAR (0 means "as many
         * as there are subqueries") and the set size for ELITE_SET; other
         * operators ignore it and Xapian wants 0 for them. */
        Xapian::termcount param = 0;
        if (op == XC_OP_PHRASE || op == XC_OP_NEAR || op == XC_OP_ELITE_SET)
            param = window;
        return new xc_query{Xapian::Query(map_op(op), v.begin(), v.end(), param)};
    } catch (...) {
        return nullptr;
    }
}

xc_query *xc_query_value_range(unsigned slot, const char *lo, const char *hi)
{
    try {
        /* An unset value reads as "", and Xapian turns OP_VALUE_GE with an
         * empty limit into MatchAll, which would take in documents with no
         * value at all. A lone NUL byte sorts below every non-empty value
         * and above only "", so it makes an open low end mean "any value
         * present", which is how the closed ends behave too. */
        std::string low = lo && *lo ? std::string(lo) : std::string(1, '\0');
        if (hi)
            return new xc_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, low, hi)};
        return new xc_query{Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, low)};
    } catch (...) {
        return nullptr;
    }
}

xc_query *xc_query_scale(const xc_query *q, double factor)
{
    try {
        Xapian::Query sub = q ? q->q : Xapian::Query();
        return new xc_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub, factor)};
    } catch (...) {
        return nullptr;
    }
}

char *xc_query_describe(const xc_query *q)
{
    try {
        std::string d = q ? q->q.get_description() : Xapian::Query().get_description();
        char *out = nullptr;
        if (dup_out(d, &out, nullptr) != XC_OK)
            return nullptr;
        return out;
    } catch (...) {
        return nullptr;
    }
}

uint32_t xc_query_length(const xc_query *q)
{
    return q ? (uint32_t)q->q.get_length() : 0;
}

int xc_query_empty(const xc_query *q)
{
    return !q || q->q.empty();
}

void xc_query_free(xc_query *q)
{
    delete q;
}

/* ---- searching ----------------------------------------------------------- */

xc_enquire *xc_enquire_new(xc_rdb *rdb)
{
    if (!rdb)
        return nullptr;
    try {
        return new xc_enquire(rdb);
    } catch (...) {
        return nullptr;
    }
}

void xc_enquire_free(xc_enquire *enq)
{
    delete enq;
}

const char *xc_enquire_errmsg(const xc_enquire *enq)
{
    return enq ? enq->err.c_str() : "";
}

void xc_enquire_set_query(xc_enquire *enq, const xc_query *q)
{
    if (!enq)
        return;
    try {
        enq->enq.set_query(q ? q->q : Xapian::Query());
    } catch (...) {
        rdb_fail(enq->rdb, &enq->err);
    }
}

void xc_enquire_set_boolean(xc_enquire *enq)
{
    if (!enq)
        return;
    try {
        enq->enq.set_weighting_scheme(Xapian::BoolWeight());
    } catch (...) {
        rdb_fail(enq->rdb, &enq->err);
    }
}

void xc_enquire_set_bm25(xc_enquire *enq, double k1, double k2, double k3,
                         double b, double min_normlen)
{
    if (!enq)
        return;
    try {
        enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
    } catch (...) {
        rdb_fail(enq->rdb, &enq->err);
    }
}

void xc_enquire_set_collapse(xc_enquire *enq, unsigned slot, unsigned max)
{
    if (!enq)
        return;
    try {
        enq->enq.set_collapse_key(slot, max);
    } catch (...) {
        rdb_fail(enq->rdb, &enq->err);
    }
}

void xc_enquire_set_time_limit(xc_enquire *enq, double seconds)
{
    if (!enq)
        return;
    try {
        enq->enq.set_time_limit(seconds);
    } catch (...) {
        rdb_fail(enq->rdb, &enq->err);
    }
}

void xc_enquire_set_sort_by_value(xc_enquire *enq, int slot, int reverse)
{
    if (!enq)
        return;
    try {
        if (slot < 0)
            enq->enq.set_sort_by_relevance();
        else
            enq->enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(slot),
                                                      reverse != 0);
    } catch (...) {
        rdb_fail(enq->rdb, &enq->err);
    }
}

xc_status xc_enquire_run(xc_enquire *enq, uint32_t offset, uint32_t limit,
                         uint32_t check_at_least, xc_mset **out)
{
    if (out)
        *out = nullptr;
    if (!enq || !out)
        return XC_ERR_INVALID;
    xc_mset *ms = nullptr;
    try {
        FAULT_POINT();
        ms = new xc_mset;
        ms->db = enq->db;
        ms->rdb = enq->rdb;
        ms->remote = enq->rdb && enq->rdb->remote;
        ms->m = with_reopen(enq->db, [&] {
            /* A fresh count per attempt: a retried run must not count twice. */
            if (enq->bucket_of) {
                enq->enq.clear_matchspies();
                std::fill(enq->counts, enq->counts + enq->ncounts, 0u);
                *enq->seen = 0;
                enq->spy.reset(new BucketSpy(enq->bucket_of, enq->nbucket_of, enq->counts,
                                             enq->ncounts, enq->seen));
                enq->enq.add_matchspy(enq->spy.get());
            }
            return enq->enq.get_mset(offset, limit, check_at_least, nullptr,
                                     enq->decider.get());
        });
        /* One run counts: later runs on the same session (feedback) don't. */
        if (enq->bucket_of) {
            enq->enq.clear_matchspies();
            enq->spy.reset();
            enq->bucket_of = nullptr;
        }
        *out = ms;
        return XC_OK;
    } catch (...) {
        delete ms;
        return rdb_fail(enq->rdb, &enq->err);
    }
}

void xc_enquire_count_buckets(xc_enquire *enq, const uint16_t *bucket_of, size_t nbucket_of,
                              uint32_t *counts, size_t ncounts, uint32_t *seen)
{
    if (!enq)
        return;
    try {
        enq->enq.clear_matchspies();
        enq->spy.reset();
        enq->bucket_of = counts && seen ? bucket_of : nullptr;
        enq->nbucket_of = nbucket_of;
        enq->counts = counts;
        enq->ncounts = ncounts;
        enq->seen = seen;
    } catch (...) {
        rdb_fail(enq->rdb, &enq->err);
    }
}

xc_status xc_rdb_values(xc_rdb *rdb, unsigned slot, xc_value_cb cb, void *ud)
{
    if (!rdb || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        /* A retry after a reopen starts over; the callback sees documents
         * again, which a caller filling a table by docid does not mind. */
        with_reopen(rdb->db, [&] {
            for (Xapian::ValueIterator it = rdb->db.valuestream_begin(slot);
                 it != rdb->db.valuestream_end(slot); ++it) {
                std::string v = *it;
                if (cb(it.get_docid(), v.data(), v.size(), ud))
                    break;
            }
            return 0;
        });
        return XC_OK;
    } catch (...) {
        return rdb_fail(rdb);
    }
}

uint32_t xc_rdb_lastdocid(xc_rdb *rdb)
{
    if (!rdb)
        return 0;
    try {
        FAULT_POINT();
        return with_reopen(rdb->db, [&] { return rdb->db.get_lastdocid(); });
    } catch (...) {
        rdb_fail(rdb);
        return 0;
    }
}

namespace {
/* Hands each candidate's data to a C callback. A failure inside (reading
 * the data) propagates as the Xapian error it is, out of get_mset. */
class CDecider : public Xapian::MatchDecider {
public:
    CDecider(xc_data_cb cb, void *ud) : cb_(cb), ud_(ud) {}
    bool operator()(const Xapian::Document &doc) const override
    {
        std::string d = doc.get_data();
        return cb_(d.data(), d.size(), ud_) != 0;
    }
private:
    xc_data_cb cb_;
    void *ud_;
};
}

void xc_enquire_set_decider(xc_enquire *enq, xc_data_cb cb, void *ud)
{
    if (!enq)
        return;
    try {
        enq->decider.reset(cb ? new CDecider(cb, ud) : nullptr);
    } catch (...) {
        rdb_fail(enq->rdb, &enq->err);
    }
}

xc_status xc_enquire_expand(xc_enquire *enq, const xc_mset *mset, unsigned fb_docs,
                            unsigned nterms, const char *prefix_filter, unsigned min_docs,
                            xc_term_cb cb, void *ud)
{
    return xc_enquire_expand_weighted(enq, mset, fb_docs, nterms, prefix_filter, min_docs, 0, cb,
                                      ud);
}

xc_status xc_enquire_expand_weighted(xc_enquire *enq, const xc_mset *mset, unsigned fb_docs,
                                     unsigned nterms, const char *prefix_filter,
                                     unsigned min_docs, double sharpness, xc_term_cb cb,
                                     void *ud)
{
    if (!enq || !mset || !cb)
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        std::vector<Xapian::docid> docs;
        std::vector<double> dw;     /* each document's share, 1 for the first */
        double top = mset->m.empty() ? 0 : mset->m.begin().get_weight();
        for (Xapian::MSetIterator it = mset->m.begin(); it != mset->m.end() && docs.size() < fb_docs;
             ++it) {
            docs.push_back(*it);
            dw.push_back(sharpness > 0 && top > 0 ? std::pow(it.get_weight() / top, sharpness) : 1.0);
        }
        if (docs.empty())
            return XC_OK;
        /* Xapian's expand weights (TradEWeight, k = 1: the default of
         * get_eset), computed from one reading of each document's term
         * list: get_eset reads the term lists again and merges them term
         * by term. Terms of fewer than min_docs feedback documents are
         * left out before their frequency is looked up (a posting-list
         * seek each, the costly part). */
        std::string prefix = prefix_filter ? prefix_filter : "";
        struct stat_t { unsigned r = 0; double rw = 0, mult = 0; };
        std::unordered_map<std::string, stat_t> stats;
        std::vector<std::pair<double, std::string>> out;
        with_reopen(enq->db, [&] {
            stats.clear();
            out.clear();
            double avlen = enq->db.get_avlength();
            if (avlen <= 0)
                avlen = 1;
            for (size_t di = 0; di < docs.size(); di++) {
                Xapian::docid did = docs[di];
                double len = enq->db.get_doclength(did);
                Xapian::TermIterator t = enq->db.termlist_begin(did);
                Xapian::TermIterator end = enq->db.termlist_end(did);
                if (!prefix.empty())
                    t.skip_to(prefix);
                for (; t != end; ++t) {
                    const std::string &term = *t;
                    if (term.compare(0, prefix.size(), prefix) != 0)
                        break;
                    double wdf = t.get_wdf() ? t.get_wdf() : 1;
                    stat_t &st = stats[term];
                    st.r++;
                    st.rw += dw[di];
                    st.mult += dw[di] * 2.0 * wdf / (len / avlen + wdf);
                }
            }
            /* The query's own terms are not expansion terms. */
            Xapian::Query q = enq->enq.get_query();
            for (Xapian::TermIterator t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
                stats.erase(*t);
            double N = enq->db.get_doccount(), R = 0;
            for (double x : dw)
                R += x;
            for (const auto &kv : stats) {
                if (kv.second.r < min_docs)
                    continue;
                double r = kv.second.rw, n = termfreq_of(enq->rdb, enq->db, kv.first);
                double num = (r + 0.5) * (N - n - (R - r) + 0.5);
                double denom = (n - r + 0.5) * (R - r + 0.5);
                double w = num > 0 && denom > 0 ? kv.second.mult * std::log(num / denom) : 0;
                if (w > 0)
                    out.emplace_back(w, kv.first);
            }
            return 0;
        });
        std::sort(out.begin(), out.end(), [](const auto &x, const auto &y) {
            return x.first != y.first ? x.first > y.first : x.second < y.second;
        });
        for (size_t i = 0; i < out.size() && i < nterms; i++)
            if (cb(out[i].second.c_str(), out[i].second.size(), clamp_u32(out[i].first * 1000.0), ud))
                break;
        return XC_OK;
    } catch (...) {
        return rdb_fail(enq->rdb, &enq->err);
    }
}

/* ---- result sets ----------------------------------------------------------- */

void xc_mset_free(xc_mset *mset)
{
    delete mset;
}

uint32_t xc_mset_size(const xc_mset *mset)
{
    return mset ? mset->m.size() : 0;
}

uint32_t xc_mset_matches_estimated(const xc_mset *mset)
{
    return mset ? mset->m.get_matches_estimated() : 0;
}

uint32_t xc_mset_matches_lower(const xc_mset *mset)
{
    return mset ? mset->m.get_matches_lower_bound() : 0;
}

uint32_t xc_mset_matches_upper(const xc_mset *mset)
{
    return mset ? mset->m.get_matches_upper_bound() : 0;
}

xc_docid xc_mset_docid(const xc_mset *mset, uint32_t i)
{
    if (!mset || i >= mset->m.size())
        return 0;
    try {
        return *mset->m[i];
    } catch (...) {
        rdb_fail(mset->rdb);
        return 0;
    }
}

double xc_mset_weight(const xc_mset *mset, uint32_t i)
{
    if (!mset || i >= mset->m.size())
        return 0;
    try {
        return mset->m[i].get_weight();
    } catch (...) {
        rdb_fail(mset->rdb);
        return 0;
    }
}

uint32_t xc_mset_collapse_count(const xc_mset *mset, uint32_t i)
{
    if (!mset || i >= mset->m.size())
        return 0;
    try {
        return mset->m[i].get_collapse_count();
    } catch (...) {
        rdb_fail(mset->rdb);
        return 0;
    }
}

xc_query *xc_query_mset_terms(const xc_mset *mset, uint32_t n, const char *prefix, unsigned slot)
{
    if (!mset || !prefix)
        return nullptr;
    try {
        FAULT_POINT();
        uint32_t k = std::min<uint32_t>(n, (uint32_t)mset->m.size());
        Xapian::Database db = mset->db;
        return with_reopen(db, [&] {
            /* One round of requests for all of them: a remote shard
             * answers them together. */
            /* A set collapsed on the slot carries the values: no fetch. */
            bool keys = k && !mset->m[0].get_collapse_key().empty();
            if (k && !keys)
                mset->m.fetch(mset->m.begin(),
                              k < mset->m.size() ? mset->m[k] : mset->m.end());
            std::vector<Xapian::Query> v;
            v.reserve(k);
            for (uint32_t i = 0; i < k; i++) {
                std::string val = keys ? mset->m[i].get_collapse_key()
                                       : mset->m[i].get_document().get_value(slot);
                if (!val.empty())
                    v.emplace_back(prefix + val);
            }
            return new xc_query{Xapian::Query(Xapian::Query::OP_OR, v.begin(), v.end())};
        });
    } catch (...) {
        rdb_fail(mset->rdb);
        return nullptr;
    }
}

xc_status xc_mset_document(const xc_mset *mset, uint32_t i, xc_doc **out)
{
    if (out)
        *out = nullptr;
    if (!mset || !out || i >= mset->m.size())
        return XC_ERR_INVALID;
    try {
        FAULT_POINT();
        /* The copy shares the shards' internals, so reopening it reopens
         * the database the result set reads from. */
        Xapian::Database db = mset->db;
        if (mset->remote && i >= mset->fetched_to) {
            uint32_t end = std::min<uint32_t>(i + 16, mset->m.size());
            mset->m.fetch(mset->m[i], end < mset->m.size() ? mset->m[end] : mset->m.end());
            const_cast<xc_mset *>(mset)->fetched_to = end;
        }
        Xapian::Document d = with_reopen(db, [&] { return mset->m[i].get_document(); });
        *out = wrap_doc(d, db, mset->rdb);
        return XC_OK;
    } catch (...) {
        return rdb_fail(mset->rdb);
    }
}

#ifdef TG_FAULT_INJECT
unsigned long xc_fault_reset(unsigned long at)
{
    fault_init();
    unsigned long n = fault_calls.exchange(0);
    fault_at = at;
    return n;
}
#endif

/* ---- maintenance ---------------------------------------------------------- */

xc_status xc_compact(const char *const *srcs, size_t n, const char *dst,
                     char *errbuf, size_t errlen)
{
    std::string msg;
    copy_errbuf(std::string(), errbuf, errlen);
    try {
        FAULT_POINT();
        if (!dst || (n && !srcs)) {
            copy_errbuf("xc_compact: NULL argument", errbuf, errlen);
            return XC_ERR_INVALID;
        }
        if (n == 0) {
            copy_errbuf("xc_compact: no source databases", errbuf, errlen);
            return XC_ERR_INVALID;
        }
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) {
            if (!srcs[i]) {
                copy_errbuf("xc_compact: NULL source path", errbuf, errlen);
                return XC_ERR_INVALID;
            }
            all.add_database(Xapian::Database(srcs[i]));
        }
        all.compact(dst, Xapian::DBCOMPACT_MULTIPASS);
        return XC_OK;
    } catch (...) {
        xc_status st = fail(&msg);
        copy_errbuf(msg, errbuf, errlen);
        return st;
    }
}

xc_status xc_merge_tables(const char *const *srcs, size_t n, const char *dst,
                          char *errbuf, size_t errlen)
{
    std::string msg;
    copy_errbuf(std::string(), errbuf, errlen);
    try {
        FAULT_POINT();
        if (!dst || !srcs || n == 0) {
            copy_errbuf("xc_merge_tables: no source or no destination", errbuf, errlen);
            return XC_ERR_INVALID;
        }
        /* A database of several sub-databases already gives the union of
         * their synonym tables and the sum of their spelling frequencies. */
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(srcs[i]));
        Xapian::WritableDatabase out(dst, Xapian::DB_CREATE_OR_OVERWRITE);
        /* Xapian holds synonym and spelling changes in memory until a
         * commit: committed every 50,000, the copy stays small. */
        unsigned long pending = 0;
        auto step = [&] {
            if (++pending % 50000 == 0)
                out.commit();
        };
        for (auto k = all.synonym_keys_begin(); k != all.synonym_keys_end(); ++k)
            for (auto v = all.synonyms_begin(*k); v != all.synonyms_end(*k); ++v) {
                out.add_synonym(*k, *v);
                step();
            }
        for (auto w = all.spellings_begin(); w != all.spellings_end(); ++w) {
            out.add_spelling(*w, w.get_termfreq());
            step();
        }
        /* Term frequencies: each term once, its frequency as its wdf; a
         * document is closed before its length could pass 32 bits, or at
         * 50,000 terms (memory: a document is built in memory whole). */
        Xapian::Document d;
        uint64_t len = 0, nterms = 0;
        for (auto t = all.allterms_begin(); t != all.allterms_end(); ++t) {
            const std::string &term = *t;
            if (lex_skips(term))
                continue;
            Xapian::doccount df = t.get_termfreq();
            if (nterms >= 50000 || len + df > 2000000000u) {
                out.add_document(d);
                d = Xapian::Document();
                len = nterms = 0;
            }
            d.add_term(term, df);
            len += df;
            nterms++;
        }
        if (nterms)
            out.add_document(d);
        Xapian::Database first(srcs[0]);
        for (auto k = first.metadata_keys_begin(); k != first.metadata_keys_end(); ++k)
            out.set_metadata(*k, first.get_metadata(*k));
        out.set_metadata(LEX_FREQS_KEY, "1");
        out.commit();
        out.close();
        return XC_OK;
    } catch (...) {
        xc_status st = fail(&msg);
        copy_errbuf(msg, errbuf, errlen);
        return st;
    }
}

} // extern "C"
