/*
 * dbset.c - --db values into the parts a searcher opens (tg_dbset.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "tg_dbset.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Stubs naming stubs: deeper than this is taken for a loop. */
#define MAX_STUB_DEPTH 8
#define LEXICON_TAG "# tigris-lexicon:"
#define SHARDS_TAG "# tigris shards "

void tg_dbset_init(tg_dbset *set)
{
    memset(set, 0, sizeof *set);
}

void tg_dbset_free(tg_dbset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        free(set->specs[i]);
    free(set->specs);
    free(set->lexicon);
    tg_dbset_init(set);
}

static tg_status push_spec(tg_dbset *set, const char *type, const char *rest)
{
    size_t len = strlen(type) + 1 + strlen(rest) + 1;
    char *spec = malloc(len);
    char **v = realloc(set->specs, (set->n + 1) * sizeof *v);
    if (!spec || !v) {
        free(spec);
        if (v)
            set->specs = v;
        return TG_ERR_NOMEM;
    }
    snprintf(spec, len, "%s %s", type, rest);
    set->specs = v;
    set->specs[set->n++] = spec;
    if (strcmp(type, "remote") == 0)
        set->remote = 1;
    return TG_OK;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir/name, malloc'd (NULL: no memory); an absolute name stays as it is. */
static char *join(const char *dir, size_t dirlen, const char *name)
{
    if (name[0] == '/' || dirlen == 0)
        return strdup(name);
    size_t len = dirlen + 1 + strlen(name) + 1;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%.*s/%s", (int)dirlen, dir, name);
    return p;
}

static tg_status add_at(tg_dbset *set, const char *arg, unsigned depth, char *errbuf,
                        size_t errlen);

/* The stub's lines into set. */
static tg_status add_stub_at(tg_dbset *set, const char *path, unsigned depth, char *errbuf,
                             size_t errlen)
{
    if (depth > MAX_STUB_DEPTH) {
        snprintf(errbuf, errlen, "%s: stub files name each other more than %d deep (a loop?)",
                 path, MAX_STUB_DEPTH);
        return TG_ERR_FORMAT;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(errbuf, errlen, "cannot read stub file %s: %s", path, strerror(errno));
        return TG_ERR_IO;
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + (slash == path) : 0;
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    long expect = -1;            /* "# tigris shards N" */
    size_t first = set->n;
    tg_status st = TG_OK;
    while (!st && getline(&line, &cap, f) != -1) {
        lineno++;
        size_t len = strlen(line);
        while (len && isspace((unsigned char)line[len - 1]))
            line[--len] = '\0';
        char *p = line + strspn(line, " \t");
        if (!*p)
            continue;
        if (strncmp(p, LEXICON_TAG, strlen(LEXICON_TAG)) == 0) {
            const char *lex = p + strlen(LEXICON_TAG);
            lex += strspn(lex, " \t");
            if (!*lex) {
                snprintf(errbuf, errlen, "%s:%u: '# tigris-lexicon:' names no path", path, lineno);
                st = TG_ERR_FORMAT;
            } else if (!set->lexicon && !(set->lexicon = join(path, dirlen, lex))) {
                st = TG_ERR_NOMEM;
            }
            continue;
        }
        if (strncmp(p, SHARDS_TAG, strlen(SHARDS_TAG)) == 0) {
            char *end;
            expect = strtol(p + strlen(SHARDS_TAG), &end, 10);
            if (*end || expect < 1) {
                snprintf(errbuf, errlen, "%s:%u: bad shard count in '%s'", path, lineno, p);
                st = TG_ERR_FORMAT;
            }
            continue;
        }
        if (*p == '#')
            continue;
        size_t tlen = strcspn(p, " \t");
        char *rest = p + tlen;
        rest += strspn(rest, " \t");
        p[tlen] = '\0';
        if (strcmp(p, "remote") == 0) {
            if (!*rest) {
                snprintf(errbuf, errlen, "%s:%u: 'remote' needs HOST:PORT or :PROGRAM ARGS",
                         path, lineno);
                st = TG_ERR_FORMAT;
            } else {
                st = push_spec(set, "remote", rest);
            }
        } else if (strcmp(p, "auto") == 0 || strcmp(p, "glass") == 0 || strcmp(p, "chert") == 0) {
            char *full = *rest ? join(path, dirlen, rest) : NULL;
            if (!*rest) {
                snprintf(errbuf, errlen, "%s:%u: '%s' needs a path", path, lineno, p);
                st = TG_ERR_FORMAT;
            } else if (!full) {
                st = TG_ERR_NOMEM;
            } else if (strcmp(p, "auto") == 0) {
                st = add_at(set, full, depth + 1, errbuf, errlen);   /* may be a stub */
            } else {
                st = push_spec(set, p, full);
            }
            free(full);
        } else {
            snprintf(errbuf, errlen,
                     "%s:%u: unknown line type '%s' (expected auto, glass, chert or remote)",
                     path, lineno, p);
            st = TG_ERR_FORMAT;
        }
    }
    if (!st && ferror(f)) {
        snprintf(errbuf, errlen, "cannot read stub file %s: %s", path, strerror(errno));
        st = TG_ERR_IO;
    }
    if (!st && set->n == first) {
        snprintf(errbuf, errlen, "%s: stub file lists no database", path);
        st = TG_ERR_FORMAT;
    }
    if (!st && expect > 0 && set->n - first != (size_t)expect) {
        snprintf(errbuf, errlen, "%s: says '# tigris shards %ld' but lists %zu", path, expect,
                 set->n - first);
        st = TG_ERR_FORMAT;
    }
    if (st == TG_ERR_NOMEM)
        snprintf(errbuf, errlen, "out of memory");
    free(line);
    fclose(f);
    return st;
}

static tg_status add_at(tg_dbset *set, const char *arg, unsigned depth, char *errbuf,
                        size_t errlen)
{
    if (is_file(arg))
        return add_stub_at(set, arg, depth, errbuf, errlen);
    if (is_dir(arg)) {
        /* A database folder has Xapian's marker file; a folder with only
         * a stub is a set of shards. */
        char *glass = join(arg, strlen(arg), "iamglass");
        char *chert = join(arg, strlen(arg), "iamchert");
        char *stub = join(arg, strlen(arg), "XAPIANDB");
        tg_status st = TG_OK;
        if (!glass || !chert || !stub)
            st = TG_ERR_NOMEM;
        else if (!is_file(glass) && !is_file(chert) && is_file(stub))
            st = add_stub_at(set, stub, depth, errbuf, errlen);
        else
            st = push_spec(set, "auto", arg);
        free(glass);
        free(chert);
        free(stub);
        if (st == TG_ERR_NOMEM)
            snprintf(errbuf, errlen, "out of memory");
        return st;
    }
    tg_status st = push_spec(set, "auto", arg);
    if (st)
        snprintf(errbuf, errlen, "out of memory");
    return st;
}

tg_status tg_dbset_add(tg_dbset *set, const char *arg, char *errbuf, size_t errlen)
{
    return add_at(set, arg, 0, errbuf, errlen);
}

tg_status tg_dbset_add_stub(tg_dbset *set, const char *path, char *errbuf, size_t errlen)
{
    return add_stub_at(set, path, 0, errbuf, errlen);
}
