/*
 * indexer - reads article archives and writes them into a Tigris database.
 *
 * A thin driver over libtigris: walks the paths given, opens each file
 * with the reader for its format, and hands articles to tg_index. Problems
 * with one file or one entry are reported and the run goes on; the exit
 * status says whether anything failed.
 */
#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tg_buf.h"
#include "tg_index.h"
#include "tg_index_file.h"
#include "tg_reader.h"
#include "tg_search.h"
#include "tg_walk.h"
#include "tigris.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_DB = 3, EXIT_INTERRUPTED = 130 };
/* Option ranges: a passage under 10 words is too short to rank, one over
 * 10,000 is a whole article; more than 10 million articles between commits
 * would only hold memory and risk the work. */
enum { MIN_PASSAGE_WORDS = 10, MAX_PASSAGE_WORDS = 10000, MAX_COMMIT_EVERY = 10000000 };

static const char usage[] =
"Usage: indexer [OPTIONS] PATH...\n"
"Index article archives into a Tigris database for bin/searcher.\n"
"\n"
"PATH is a file or a directory (read recursively; hidden files skipped), or a\n"
"named pipe. Links are followed, to files and folders, but nothing is read\n"
"twice: a file reached again is indexed once, and a link to a folder already\n"
"read (a link to a parent is a cycle) is not followed, with one note.\n"
"Formats are recognised by content, and any file may be gzip-compressed:\n"
"  html       a saved web page (a mirrored blog): title, date, author, tags,\n"
"             canonical url and the post's text, without menus, sidebars,\n"
"             comments or footers; pages listing many posts are skipped\n"
"  blogger    Blogger's \"Export blog\" archive (.xml): posts and pages;\n"
"             labels become tags; template, settings, drafts skipped\n"
"  wordpress  WordPress export (WXR, .xml): published posts and pages, with\n"
"             categories and tags, dated in GMT (also: wxr)\n"
"  rss, atom  feeds; the full text (content:encoded) when the feed has it\n"
"  text       the plain-text article export (date line, title, body, notes,\n"
"             bibliography, comment-count line), one article per file\n"
"  jsonl      one JSON object per line: {\"id\",\"url\",\"title\",\"date\",\"body\"}\n"
"             plus optional \"author\" and \"tags\"\n"
"Text that is not valid UTF-8 is read as Latin-1 (a declared charset is\n"
"honoured; an XML charset this system does not know is read that way, with\n"
"a note); broken XML is recovered entry by entry, with a message.\n"
"\n"
"Options:\n"
"  -d, --db DIR          database directory (default: $TIGRIS_DB or ./tigris.db)\n"
"  -l, --lang LANG       stemming language of a new database (default english;\n"
"                        an existing database keeps its own)\n"
"  -f, --format FMT      auto (default), html, blogger, wordpress, rss, atom,\n"
"                        text or jsonl: read every file as FMT\n"
"  -j, --jobs N          threads building a new database (default: one per\n"
"                        core, at most 16); adding to an existing one is serial\n"
"      --shards N        keep a new database as N shards (sub-folders of DIR,\n"
"                        built in parallel, one thread each): each article in\n"
"                        the shard its id hashes to, a Xapian stub DIR/XAPIANDB\n"
"                        listing them (searcher --db DIR searches them as one,\n"
"                        or serve each with xapian-tcpsrv) and DIR/lexicon, the\n"
"                        names and spellings a front end of remote shards\n"
"                        needs. Later runs find the shards by themselves\n"
"                        (README, \"Scaling out\")\n"
"      --comments        Blogger, WordPress: index approved comments with their\n"
"                        post, each a paragraph \"Comment by NAME (DATE): ...\"\n"
"      --commit-every N  commit after every N articles (default 10000)\n"
"      --max-size BYTES  refuse files that decompress to more (default 4G;\n"
"                        suffixes K, M, G): a guard against gzip bombs\n"
"      --max-article-size BYTES\n"
"                        cut an article's text at this size, with a warning\n"
"                        (default 4M); an XML entry spanning more than 8 times\n"
"                        this is skipped\n"
"      --passage-words N target passage length in words (default 100)\n"
"      --prune           remove articles whose source is gone: files that no\n"
"                        longer exist, and entries a re-read file no longer has\n"
"      --compact         when done, rewrite the database compactly (about half\n"
"                        the size; do it when no searcher has it open). A\n"
"                        new database built with -j 2 or more is compact\n"
"                        already\n"
"      --no-entities     do not learn names, aliases and spelling data\n"
"                        (searches then match only the words typed)\n"
"      --layout L        article (default) or passages: one document per\n"
"                        passage (for measuring the design; see README)\n"
"      --log-commits     print a line on stderr before each commit and once it\n"
"                        is durable (\"indexer: commit: shard S, N documents,\n"
"                        begun|durable\"): after a crash the database holds\n"
"                        each shard's last durable N, or the N begun after it\n"
"  -q, --quiet           no progress line, no notices and no summary: only\n"
"                        errors (for cron)\n"
"      --color WHEN      colour the summary (failures in red): auto (default:\n"
"                        when standard error is a terminal and NO_COLOR is\n"
"                        not set), always or never\n"
"  -h, --help            this help\n"
"  -V, --version         version\n"
"\n"
"Re-running is incremental: unchanged articles (same id, same content) are\n"
"skipped, changed ones replaced. Ctrl-C or SIGTERM stops within about a\n"
"second, whatever is being read, commits what was indexed so far and exits\n"
"130 (a parallel build keeps its shards; the next run merges them). A second\n"
"signal stops at once, keeping the last commit.\n"
"\n"
"Exit status: 0 all input indexed; 1 some input could not be read (the\n"
"rest was indexed); 2 usage error; 3 the database could not be written;\n"
"130 interrupted.\n"
"\n"
"Examples:\n"
"  indexer corpus/                       index the sample archive\n"
"  indexer --db news.db news.jsonl.gz    index a compressed JSON Lines file\n"
"  indexer blog-09-24-2017.xml           a Blogger export (posts and pages)\n"
"  indexer --comments wordpress.xml.gz   a WordPress export, with comments\n"
"  indexer mirror/                       a saved blog: every page, feed and\n"
"                                        export under mirror/\n";

typedef struct run {
    tg_index *ix;
    const char *db;         /* its path, for messages */
    tg_index_file_opts fo;  /* how each file is read (format, reader options,
                               --prune, --quiet) */
    int quiet, tty;
    int color;              /* --color: ANSI colours in the summary */
    tg_seen_ids seen_ids;   /* the ids read this run (lib/walk.c) */
    size_t files, files_done;
    tg_index_file_stats st; /* counters (and bytes read), lib/index_file.c */
    int compact;
    uint64_t bytes_total;
    struct timespec start, last_progress;
    tg_walk walk;           /* the files under the paths named (lib/walk.c) */
} run;

/* SIGINT, SIGTERM. While nothing is written yet (the walk, opening the
 * database) the run ends at once; once articles are being added, the
 * flag stops the loop at the next article, and every read of an input
 * fails (tg_input_set_cancel), so a reader waiting on a slow file or
 * spinning over one stops too; what was added is committed. A second
 * signal ends the run at once: the database keeps its last commit. */
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t exit_at_once = 1;
/* --log-commits: one line per commit, before it and once it is durable,
 * written with one write() so that lines of parallel writers never mix;
 * what a test of crash safety compares a killed run's database with. */
static void log_commit(void *ctx, unsigned shard, int committed, uint32_t docs)
{
    (void)ctx;
    char line[128];
    int n = snprintf(line, sizeof line, "indexer: commit: shard %u, %u documents, %s\n", shard,
                     docs, committed ? "durable" : "begun");
    if (n > 0) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)n);
        (void)w;
    }
}

static void on_signal(int sig)
{
    (void)sig;
    if (exit_at_once || interrupted) {
        static const char msg[] = "\nindexer: interrupted\n";
        ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)w;
        _exit(130);
    }
    interrupted = 1;
}

static double now_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The progress line: files, articles and speed; done: the bytes read so far. */
static void progress(run *R, size_t articles, uint64_t done, int force)
{
    if (R->quiet || !R->tty)
        return;
    double since = now_since(&R->last_progress);
    if (!force && since < 0.25)
        return;
    clock_gettime(CLOCK_MONOTONIC, &R->last_progress);
    double el = now_since(&R->start);
    double mbs = el > 0 ? done / el / 1e6 : 0;
    char eta[32] = "";
    if (mbs > 0 && R->bytes_total > done) {
        double rest = (R->bytes_total - done) / (mbs * 1e6);
        snprintf(eta, sizeof eta, " | ETA %d:%02d", (int)rest / 60, (int)rest % 60);
    }
    fprintf(stderr, "\r\033[Kfiles %zu/%zu | articles %zu | %.1f MB/s%s",
            R->files_done, R->files, articles, mbs, eta);
}

static void on_file_progress(size_t articles, uint64_t bytes, void *ud)
{
    progress(ud, articles, bytes, 0);
}

static void progress_between_files(run *R, int force)
{
    progress(R, R->st.added + R->st.replaced + R->st.unchanged, R->st.bytes, force);
}

/* A message of lib/index_file.c as the indexer has always printed it:
 * "indexer: ORIGIN: TEXT", the progress line cleared first (but not before
 * an article's or the database's failure, printed as they always were);
 * --quiet has already dropped the skips and notes (fo.quiet). */
static void on_file_message(const tg_file_msg *m, void *ud)
{
    run *R = ud;
    if (m->kind == TG_FILE_MSG_DB_FAILED && m->article) {
        /* The database failed (a full disk, say), not the input: name it. */
        fprintf(stderr, "indexer: database %s: %s (while adding %s); it keeps its last "
                "commit\n", R->db, m->text, m->origin);
        return;
    }
    const char *pre = R->tty && !R->quiet ? "\r\033[K" : "";
    if (m->kind == TG_FILE_MSG_ARTICLE_FAILED || m->kind == TG_FILE_MSG_DB_FAILED)
        pre = "";
    if (m->origin)
        fprintf(stderr, "%sindexer: %s: %s\n", pre, m->origin, m->text);
    else
        fprintf(stderr, "%sindexer: %s\n", pre, m->text);
}

/* --compact: tg_index_compact (a failure at any step leaves a usable
 * database). */
static int compact_db(const char *db, int quiet)
{
    char err[512];
    if (tg_index_compact(db, err, sizeof err)) {
        fprintf(stderr, "indexer: %s: %s\n", db, err);
        return -1;
    }
    if (!quiet)
        fprintf(stderr, "indexer: %s compacted\n", db);
    return 0;
}

static void run_free(run *R)
{
    tg_walk_free(&R->walk);
    tg_seen_ids_free(&R->seen_ids);
}

/* A whole number from lo to hi into *out; -1 for anything else ("abc",
 * "-1", "10x", out of range), so that a typo is a usage error and not
 * silently the default. */
static int parse_range(const char *s, unsigned long lo, unsigned long hi, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    }
    if (*end || v == 0)
        return -1;
    *out = v;
    return 0;
}

/* One option into R, io or *db. Returns -1 to go on, else the exit status
 * (0 after --help or --version, EXIT_USAGE for a bad value). */
static int set_option(int c, const char *arg, run *R, tg_index_opts *io, const char **db)
{
    uint64_t v;
    int f;
    switch (c) {
    case 'd': *db = arg; break;
    case 'l': io->lang = arg; break;
    case 'f':
        if ((f = tg_format_from_name(arg)) < 0) {
            fprintf(stderr, "indexer: unknown format '%s' (%s)\n", arg, tg_format_names());
            return EXIT_USAGE;
        }
        R->fo.format = (tg_format)f;
        break;
    case 'c':
        if (parse_range(arg, 1, MAX_COMMIT_EVERY, &io->commit_every)) {
            fprintf(stderr, "indexer: --commit-every: a number from 1 to %d, not '%s'\n",
                    MAX_COMMIT_EVERY, arg);
            return EXIT_USAGE;
        }
        break;
    case 'j':
        if (parse_range(arg, 1, TG_MAX_JOBS, &io->jobs)) {
            fprintf(stderr, "indexer: --jobs: a number from 1 to %d, not '%s'\n", TG_MAX_JOBS,
                    arg);
            return EXIT_USAGE;
        }
        break;
    case 'S':
        if (parse_range(arg, 1, TG_MAX_SHARDS, &io->shards)) {
            fprintf(stderr, "indexer: --shards: a number from 1 to %d, not '%s'\n", TG_MAX_SHARDS,
                    arg);
            return EXIT_USAGE;
        }
        break;
    case 'm':
        if (parse_size(arg, &R->fo.ropts.max_bytes)) {
            fprintf(stderr, "indexer: --max-size: '%s' is not a size (e.g. 512M)\n", arg);
            return EXIT_USAGE;
        }
        break;
    case 'A':
        if (parse_size(arg, &v) || v > ((uint64_t)1 << 40)) {
            fprintf(stderr, "indexer: --max-article-size: '%s' is not a size (e.g. 8M)\n", arg);
            return EXIT_USAGE;
        }
        R->fo.ropts.max_article_bytes = (size_t)v;
        break;
    case 'C': R->fo.ropts.comments = 1; break;
    case 'P': R->fo.prune = 1; break;
    case 'Z': R->compact = 1; break;
    case 'p':
        if (parse_range(arg, MIN_PASSAGE_WORDS, MAX_PASSAGE_WORDS, &io->passages.target_words)) {
            fprintf(stderr, "indexer: --passage-words: a number from %d to %d, not '%s'\n",
                    MIN_PASSAGE_WORDS, MAX_PASSAGE_WORDS, arg);
            return EXIT_USAGE;
        }
        break;
    case 'E': io->no_entities = 1; break;
    case 'L':
        if (strcmp(arg, "article") && strcmp(arg, "passages")) {
            fprintf(stderr, "indexer: --layout: article or passages\n");
            return EXIT_USAGE;
        }
        io->passage_docs = strcmp(arg, "passages") == 0;
        break;
    case 'q': R->quiet = 1; break;
    case 'X':
        if (!strcmp(arg, "always")) R->color = 1;
        else if (!strcmp(arg, "never")) R->color = 0;
        else if (strcmp(arg, "auto")) {
            fprintf(stderr, "indexer: --color: auto, always or never, not '%s'\n", arg);
            return EXIT_USAGE;
        }
        break;
    case 'K': io->on_commit = log_commit; break;
    case 'h': fputs(usage, stdout); return 0;
    case 'V':
        printf("indexer (tigris) %s, xapian %s\n", tigris_version(), tigris_xapian_version());
        return 0;
    default:
        fputs("Try 'indexer --help'.\n", stderr);
        return EXIT_USAGE;
    }
    return -1;
}

/* The command line into R, io and *db. Returns -1 to go on, else the exit
 * status. */
static int parse_options(int argc, char **argv, run *R, tg_index_opts *io, const char **db)
{
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' },
        { "lang", required_argument, NULL, 'l' },
        { "format", required_argument, NULL, 'f' },
        { "commit-every", required_argument, NULL, 'c' },
        { "jobs", required_argument, NULL, 'j' },
        { "shards", required_argument, NULL, 'S' },
        { "max-size", required_argument, NULL, 'm' },
        { "max-article-size", required_argument, NULL, 'A' },
        { "comments", no_argument, NULL, 'C' },
        { "prune", no_argument, NULL, 'P' },
        { "compact", no_argument, NULL, 'Z' },
        { "passage-words", required_argument, NULL, 'p' },
        { "no-entities", no_argument, NULL, 'E' },
        { "layout", required_argument, NULL, 'L' },
        { "quiet", no_argument, NULL, 'q' },
        { "color", required_argument, NULL, 'X' },
        { "log-commits", no_argument, NULL, 'K' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 } };
    *db = getenv("TIGRIS_DB");
    if (!*db || !**db)
        *db = "tigris.db";
    io->jobs = tg_index_default_jobs();
    /* NO_COLOR (no-color.org): set and not empty turns colour off; --color
     * decides over it. */
    const char *nc = getenv("NO_COLOR");
    R->color = isatty(STDERR_FILENO) && !(nc && *nc);
    int c, rc;
    while ((c = getopt_long(argc, argv, "d:l:f:j:qhV", longopts, NULL)) != -1)
        if ((rc = set_option(c, optarg, R, io, db)) >= 0)
            return rc;
    if (optind >= argc) {
        fputs("indexer: no input given\nTry 'indexer --help'.\n", stderr);
        return EXIT_USAGE;
    }
    if (io->passages.target_words)
        io->passages.min_words = io->passages.target_words / 4;
    return -1;
}

/* SIGINT and SIGTERM stop the run (see on_signal). */
static void catch_signals(void)
{
    /* No SA_RESTART: a read blocked on a pipe returns, and sees the flag. */
    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    tg_input_set_cancel(&interrupted);
}

static void on_walk_error(const char *path, const char *message, void *ud)
{
    (void)ud;
    fprintf(stderr, "indexer: %s: %s\n", path, message);
}

/* The files under the inputs named, then the database opened (an
 * interrupted parallel build finished first). Returns 0, or EXIT_DB. */
static int start_run(run *R, char **inputs, int n, const char *db, const tg_index_opts *io)
{
    R->walk.on_error = on_walk_error;
    R->walk.cancel = &interrupted;
    for (int i = 0; i < n; i++)
        if (tg_walk_add(&R->walk, inputs[i])) {
            fputs("indexer: out of memory\n", stderr);
            return EXIT_DB;
        }
    R->st.files_failed += R->walk.failed;
    R->bytes_total = R->walk.bytes_total;
    R->files = R->walk.npaths;
    if (R->walk.dir_links && !R->quiet)
        fprintf(stderr, "indexer: %s: a folder already read (a link to it, or to one of its "
                "parents): not read again%s\n", R->walk.first_dir_link,
                R->walk.dir_links > 1 ? " (nor through the other such links)" : "");
    char err[512];
    int finished = tg_index_finish_build(db, err, sizeof err);
    if (finished < 0) {
        fprintf(stderr, "indexer: %s\n", err);
        return EXIT_DB;
    }
    if (finished && !R->quiet)
        fprintf(stderr, "indexer: %s: finished an interrupted parallel build (shards merged)\n", db);
    if (!(R->ix = tg_index_open(db, io, err, sizeof err))) {
        fprintf(stderr, "indexer: %s\n", err);
        return EXIT_DB;
    }
    return 0;
}

/* Every file, then --prune. Returns 1 when the database failed. */
static int index_all(run *R)
{
    int dbfail = 0;
    for (size_t i = 0; i < R->walk.npaths && !interrupted && !dbfail; i++) {
        dbfail = tg_index_file(R->ix, &R->walk, i, &R->seen_ids, &R->fo, &R->st) != TG_OK;
        R->files_done++;
        progress_between_files(R, 0);
    }
    progress_between_files(R, 1);
    if (R->tty && !R->quiet)
        fputs("\r\033[K", stderr);
    if (R->fo.prune && !dbfail && !interrupted) {
        size_t gone = 0;
        if (tg_index_prune_missing(R->ix, &gone)) {
            fprintf(stderr, "indexer: %s\n", tg_index_errmsg(R->ix));
            dbfail = 1;
        }
        R->st.removed += gone;
    }
    return dbfail;
}

/* Commits (and merges a parallel build's shards), closes, compacts with
 * --compact. The article count and language into *total and lang[64].
 * Returns 1 when the database failed. */
static int end_run(run *R, const char *db, uint32_t *total, char *lang)
{
    /* A parallel build ends with a compaction: --compact has nothing to do. */
    int merged = tg_index_jobs(R->ix) > 1 && !tg_index_shards(R->ix), dbfail = 0;
    tg_status st;
    if (interrupted) {
        /* Committed, not merged: the merge takes as long as the build. */
        if (merged && !R->quiet)
            fprintf(stderr, "%sindexer: %s: %u shards committed; the next run merges them\n",
                    R->tty ? "\r\033[K" : "", db, tg_index_jobs(R->ix));
        st = tg_index_finish_now(R->ix);
    } else {
        if (merged && !R->quiet)
            fprintf(stderr, "indexer: merging %u shards...%s", tg_index_jobs(R->ix),
                    R->tty ? "" : "\n");
        st = tg_index_finish(R->ix);
    }
    if (R->tty && !R->quiet)
        fputs("\r\033[K", stderr);
    if (st) {
        fprintf(stderr, "indexer: %s: %s\n", db, tg_index_errmsg(R->ix));
        dbfail = 1;
    }
    if (tg_index_count(R->ix, total) && !dbfail) {
        fprintf(stderr, "indexer: %s: %s\n", db, tg_index_errmsg(R->ix));
        dbfail = 1;
    }
    snprintf(lang, 64, "%s", tg_index_lang(R->ix));
    char why[512];
    if (tg_index_close_why(R->ix, why, sizeof why) && !st) {
        fprintf(stderr, "indexer: %s: the database did not close cleanly%s%s\n", db,
                why[0] ? ": " : "", why);
        dbfail = 1;
    }
    R->ix = NULL;
    if (R->compact && !merged && !dbfail && !interrupted && compact_db(db, R->quiet))
        dbfail = 1;
    return dbfail;
}

/* The last two lines: what was read, and what the database holds. */
static void summary(const run *R, const char *db, uint32_t total, const char *lang, int dbfail)
{
    double el = now_since(&R->start);
    fprintf(stderr,
            "indexer: %zu file%s read in %.1fs (%.1f MB/s): %zu new, %zu changed, %zu unchanged",
            R->files_done, R->files_done == 1 ? "" : "s", el,
            el > 0 ? R->st.bytes / el / 1e6 : 0.0, R->st.added, R->st.replaced, R->st.unchanged);
    if (R->st.duplicates)
        fprintf(stderr, "; %zu already indexed under another id", R->st.duplicates);
    if (R->fo.prune)
        fprintf(stderr, "; %zu removed", R->st.removed);
    if (R->st.files_skipped)
        fprintf(stderr, "; %zu file%s skipped", R->st.files_skipped,
                R->st.files_skipped == 1 ? "" : "s");
    size_t bad = R->st.bad_entries + R->st.failed_articles + R->st.duplicate_ids;
    const char *red = R->color ? "\033[1;31m" : "", *bold = R->color ? "\033[1m" : "",
               *off = R->color ? "\033[0m" : "";
    if (R->st.files_failed || bad)
        fprintf(stderr, "; %s%zu file%s failed, %zu bad entr%s%s", red, R->st.files_failed,
                R->st.files_failed == 1 ? "" : "s", bad, bad == 1 ? "y" : "ies", off);
    if (dbfail) {
        /* The writer's count includes what failed to commit: ask the
         * database what it kept. */
        char err[512];
        tg_searcher *s = tg_searcher_open(db, err, sizeof err);
        if (s)
            total = tg_searcher_doccount(s);
        tg_searcher_close(s);
        if (s)
            fprintf(stderr, "\n%sindexer: %s keeps its last commit: %u article%s%s\n", red, db,
                    total, total == 1 ? "" : "s", off);
        else
            fprintf(stderr, "\n%sindexer: %s: %s%s\n", red, db, err, off);
        return;
    }
    fprintf(stderr, "\nindexer: %s holds %s%u article%s%s (language %s)\n", db, bold, total,
            total == 1 ? "" : "s", off, lang);
}

/* Each article allocates and frees a few hundred KiB at the top of the
 * heap, and glibc gave it back to the kernel (brk) and faulted it in again
 * each time: half the CPU time of a --no-entities build of 3,000 news
 * articles (4.7 s -> 2.4 s with this; 3.2 -> 2.9 s learning names). Keep
 * 16 MiB of slack at the top instead. */
static void keep_heap_top(void)
{
#ifdef __GLIBC__
    mallopt(M_TOP_PAD, 16 << 20);
#endif
}

int main(int argc, char **argv)
{
    run R = { .fo = TG_INDEX_FILE_OPTS_DEFAULT };
    tg_index_opts io = TG_INDEX_OPTS_DEFAULT;
    const char *db;
    int rc = parse_options(argc, argv, &R, &io, &db);
    if (rc >= 0)
        return rc;
    keep_heap_top();
    R.tty = isatty(STDERR_FILENO);
    R.db = db;
    R.fo.quiet = R.quiet;
    R.fo.cancel = &interrupted;
    R.fo.on_message = on_file_message;
    R.fo.on_progress = on_file_progress;
    R.fo.ud = &R;
    clock_gettime(CLOCK_MONOTONIC, &R.start);
    catch_signals();
    if ((rc = start_run(&R, argv + optind, argc - optind, db, &io))) {
        run_free(&R);
        return rc;
    }
    exit_at_once = 0;
    int dbfail = index_all(&R);
    uint32_t total;
    char lang[64];
    dbfail |= end_run(&R, db, &total, lang);
    if (!R.quiet)
        summary(&R, db, total, lang, dbfail);
    run_free(&R);
    if (dbfail)
        return EXIT_DB;
    if (interrupted) {
        fprintf(stderr, "indexer: interrupted; everything indexed so far is committed\n");
        return EXIT_INTERRUPTED;
    }
    return R.st.files_failed || R.st.bad_entries || R.st.failed_articles || R.st.duplicate_ids
           ? EXIT_INPUT : 0;
}
