/* support.c - the test database the query and HTTP targets search. */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tg_index.h"
#include "tg_reader.h"

#ifndef TG_FUZZ_ROOT
#define TG_FUZZ_ROOT "."
#endif

void tg_fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz oracle failed: %s\n", file, line, what);
    abort();
}

const char *tg_fuzz_root(void)
{
    const char *r = getenv("TG_REPO");
    return r && *r ? r : TG_FUZZ_ROOT;
}

static char db_path[512];

static void remove_db(void)
{
    if (*db_path) {
        tg_index_remove(db_path);
        char *slash = strrchr(db_path, '/');
        *slash = '\0';
        rmdir(db_path);
    }
}

static void on_error(const char *origin, const char *msg, void *ud)
{
    (void)origin, (void)msg, (void)ud;
}

static void add_file(tg_index *ix, const char *path, size_t *n)
{
    char err[512];
    tg_reader *r = tg_reader_open(path, TG_FORMAT_AUTO, NULL, on_error, NULL, err, sizeof err);
    if (!r)
        return;   /* the fixtures' README, broken files on purpose */
    tg_article a;
    tg_article_init(&a);
    int done = 0;
    while (!tg_reader_next(r, &a, &done) && !done) {
        if (!tg_index_add(ix, &a, NULL))
            (*n)++;
        tg_article_clear(&a);
    }
    tg_article_clear(&a);
    tg_reader_close(r);
}

static void add_dir(tg_index *ix, const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (!stat(p, &st) && S_ISREG(st.st_mode))
            add_file(ix, p, n);
    }
    closedir(d);
}

const char *tg_fuzz_index(void)
{
    if (*db_path)
        return db_path;
    const char *tmp = getenv("TMPDIR");
    char dir[400];
    snprintf(dir, sizeof dir, "%s/tg_fuzz_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("tg_fuzz_index: mkdtemp");
        exit(2);
    }
    snprintf(db_path, sizeof db_path, "%s/db", dir);
    atexit(remove_db);
    char err[512];
    tg_index_opts o = TG_INDEX_OPTS_DEFAULT;
    tg_index *ix = tg_index_open(db_path, &o, err, sizeof err);
    if (!ix) {
        fprintf(stderr, "tg_fuzz_index: %s\n", err);
        exit(2);
    }
    size_t n = 0;
    char p[700];
    snprintf(p, sizeof p, "%s/corpus", tg_fuzz_root());
    add_dir(ix, p, &n);
    snprintf(p, sizeof p, "%s/tests/data/reader", tg_fuzz_root());
    add_dir(ix, p, &n);
    snprintf(p, sizeof p, "%s/tests/data/reader/html", tg_fuzz_root());
    add_dir(ix, p, &n);
    if (tg_index_close(ix) || n < 10) {
        fprintf(stderr, "tg_fuzz_index: indexed only %zu articles under %s (set TG_REPO)\n", n,
                tg_fuzz_root());
        exit(2);
    }
    return db_path;
}
