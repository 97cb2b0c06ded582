/*
 * xapian_baseline - "Xapian out of the box": the peer that `make bench`
 * runs beside Tigris. Not product code; nothing here is tuned.
 *
 *   xapian_baseline index DB FILE.jsonl   index one JSON Lines file into a new DB
 *   xapian_baseline add DB FILE.jsonl     add FILE's articles to DB and commit;
 *                                         prints {"n","ms"} (open+add+commit)
 *   xapian_baseline trec DB QUERIES.tsv K TAG   a TREC run for make eval
 *   xapian_baseline search DB QUERIES.tsv [K]
 *                                         warm-up pass, then each query timed;
 *                                         prints {"n","p50_ms","p95_ms","p99_ms","mean_ms",
 *                                         "first_p50_ms","first_p99_ms"} (the warm-up's)
 *
 * Indexing: one Xapian::WritableDatabase (default flush threshold), one
 * Xapian::TermGenerator with the English stemmer and positions (its
 * defaults: STEM_SOME). Per article: title, a position gap, body; the id
 * is the document data and the unique boolean term "Q"+id, and the
 * document goes in with replace_document("Q"+id) - an article's id is its
 * identity, as in Tigris. One commit at the end.
 *
 * Searching: Xapian::QueryParser with the English stemmer, STEM_SOME, the
 * default flags and the database set (for wildcards / boolean prefixes);
 * each query is lower-cased first (as typed into a search box);
 * Xapian::Enquire with BM25Weight defaults; top K (10); the time of one
 * query covers parsing, get_mset and reading each hit's document data
 * (its id). A query the parser rejects is parsed again without flags.
 *
 * JSON is read with jansson; articles lacking both title and body are
 * skipped (as Tigris skips them).
 */
#include <xapian.h>
#include <jansson.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static double ms_since(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

static const char *str_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* Indexes every article of path into db; returns the number added, or -1. */
static long index_file(Xapian::WritableDatabase &db, const char *path, bool json_data)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "xapian_baseline: cannot read %s\n", path);
        return -1;
    }
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    std::string line;
    long n = 0, lineno = 0;
    while (std::getline(in, line)) {
        lineno++;
        if (line.empty())
            continue;
        json_error_t err;
        json_t *o = json_loadb(line.data(), line.size(), 0, &err);
        if (!o || !json_is_object(o)) {
            std::fprintf(stderr, "xapian_baseline: %s:%ld: invalid JSON\n", path, lineno);
            json_decref(o);
            continue;
        }
        std::string id = str_field(o, "id");
        const char *title = str_field(o, "title"), *body = str_field(o, "body");
        if (id.empty() || (!*title && !*body)) {
            json_decref(o);
            continue;
        }
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(title);
        tg.increase_termpos();
        tg.index_text(body);
        /* "index-json": each article's JSON line as its data, as a search
         * that shows snippets must keep its text; else the id. */
        doc.set_data(json_data ? line : id);
        std::string idterm = "Q" + id;
        doc.add_boolean_term(idterm);
        db.replace_document(idterm, doc);
        json_decref(o);
        n++;
    }
    return n;
}

static std::vector<std::string> read_queries(const char *path,
                                             std::vector<std::string> *ids = nullptr)
{
    std::vector<std::string> qs;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "xapian_baseline: cannot read %s\n", path);
        std::exit(2);
    }
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        size_t tab = line.find('\t');
        if (tab == std::string::npos)
            continue;
        std::string q = line.substr(tab + 1);
        for (char &ch : q)
            ch = (char)std::tolower((unsigned char)ch);
        qs.push_back(q);
        if (ids)
            ids->push_back(line.substr(0, tab));
    }
    return qs;
}

static double percentile(const std::vector<double> &v, unsigned p)
{
    size_t rank = (p * v.size() + 99) / 100;
    return v[rank ? rank - 1 : 0];
}

static int do_search(const char *dbpath, const char *qpath, unsigned k)
{
    Xapian::Database db(dbpath);
    Xapian::QueryParser qp;
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_database(db);
    Xapian::Enquire enq(db);
    enq.set_weighting_scheme(Xapian::BM25Weight());
    std::vector<std::string> qs = read_queries(qpath);
    std::vector<double> ms(qs.size()), ms0(qs.size());
    size_t fetched = 0, errors = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < qs.size(); i++) {
            auto t0 = Clock::now();
            Xapian::Query q;
            try {
                q = qp.parse_query(qs[i]);
            } catch (const Xapian::QueryParserError &) {
                q = qp.parse_query(qs[i], 0);
                errors += pass == 0;
            }
            enq.set_query(q);
            Xapian::MSet m = enq.get_mset(0, k);
            for (auto it = m.begin(); it != m.end(); ++it)
                fetched += it.get_document().get_data().size();
            (pass == 1 ? ms : ms0)[i] = ms_since(t0);
        }
    }
    double sum = 0;
    for (double v : ms)
        sum += v;
    std::sort(ms.begin(), ms.end());
    std::sort(ms0.begin(), ms0.end());
    size_t n = ms.size();
    std::printf("{\"n\":%zu,\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"mean_ms\":%.4f,"
                "\"first_p50_ms\":%.4f,\"first_p99_ms\":%.4f}\n", n,
                n ? percentile(ms, 50) : 0.0, n ? percentile(ms, 95) : 0.0,
                n ? percentile(ms, 99) : 0.0, n ? sum / (double)n : 0.0,
                n ? percentile(ms0, 50) : 0.0, n ? percentile(ms0, 99) : 0.0);
    if (errors)
        std::fprintf(stderr, "xapian_baseline: %zu queries rejected by the parser, parsed without flags\n",
                     errors);
    return fetched ? 0 : 1;
}

/* A TREC run (qid Q0 docid rank score TAG) of the top k per query, for
 * the relevance evaluation (scripts/eval.sh). */
static int do_trec(const char *dbpath, const char *qpath, unsigned k, const char *tag)
{
    Xapian::Database db(dbpath);
    Xapian::QueryParser qp;
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_database(db);
    Xapian::Enquire enq(db);
    enq.set_weighting_scheme(Xapian::BM25Weight());
    std::vector<std::string> ids;
    std::vector<std::string> qs = read_queries(qpath, &ids);
    for (size_t i = 0; i < qs.size(); i++) {
        Xapian::Query q;
        try {
            q = qp.parse_query(qs[i]);
        } catch (const Xapian::QueryParserError &) {
            q = qp.parse_query(qs[i], 0);
        }
        enq.set_query(q);
        Xapian::MSet m = enq.get_mset(0, k);
        unsigned rank = 0;
        for (auto it = m.begin(); it != m.end(); ++it)
            std::printf("%s Q0 %s %u %.6f %s\n", ids[i].c_str(), it.get_document().get_data().c_str(),
                        ++rank, it.get_weight(), tag);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: xapian_baseline index|index-json|add DB FILE.jsonl\n"
                             "       xapian_baseline search DB QUERIES.tsv [K]\n"
                             "       xapian_baseline trec DB QUERIES.tsv K TAG\n");
        return 2;
    }
    std::string mode = argv[1];
    try {
        if (mode == "index" || mode == "index-json" || mode == "add") {
            auto t0 = Clock::now();
            Xapian::WritableDatabase db(argv[2], mode == "add" ? Xapian::DB_OPEN
                                                               : Xapian::DB_CREATE_OR_OVERWRITE);
            long n = index_file(db, argv[3], mode == "index-json");
            if (n < 0)
                return 2;
            db.commit();
            double ms = ms_since(t0);
            if (mode == "add")
                std::printf("{\"n\":%ld,\"ms\":%.3f}\n", n, ms);
            else
                std::fprintf(stderr, "xapian_baseline: %ld articles in %.1f s\n", n, ms / 1e3);
            return 0;
        }
        if (mode == "search")
            return do_search(argv[2], argv[3], argc > 4 ? (unsigned)std::atoi(argv[4]) : 10);
        if (mode == "trec" && argc > 5)
            return do_trec(argv[2], argv[3], (unsigned)std::atoi(argv[4]), argv[5]);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian_baseline: %s\n", e.get_description().c_str());
        return 3;
    }
    std::fprintf(stderr, "xapian_baseline: unknown mode '%s'\n", mode.c_str());
    return 2;
}
