/*
 * serve_cache.c - the server's cache of answers (serve_int.h).
 *
 * A website asks the same things again and again: the same query typed by
 * many readers, the pages of one result list, the same prefix typed for
 * autocomplete. The cache keeps whole response bodies by request target,
 * each stamped with the index revision it was computed at; an entry of an
 * older revision is never served (a commit makes every entry stale at
 * once) and is dropped when met. Least recently used entries go first
 * once the bytes held pass the budget. One mutex guards it: a lookup is a
 * hash, a compare and a copy, far shorter than any search.
 */
#include "serve_int.h"
#include "tg_hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct centry {
    char *key;
    uint64_t revision;
    const char *mime;        /* static */
    char *body;
    size_t len;
    uint64_t hash;
    struct centry *next;     /* hash chain */
    struct centry *newer, *older;   /* LRU list */
} centry;

struct tg_cache {
    pthread_mutex_t lock;
    centry **buckets;
    size_t nbuckets;
    centry *newest, *oldest;
    size_t bytes, max_bytes, n;
};

#define ENTRY_OVERHEAD 128   /* bytes counted per entry beyond key and body */

static uint64_t hash_key(const char *s)
{
    return tg_hash64_mix(tg_hash64(s, strlen(s)));
}

tg_cache *tg_cache_new(size_t max_bytes)
{
    tg_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->nbuckets = 4096;
    c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

static void unlink_entry(tg_cache *c, centry *e)
{
    centry **p = &c->buckets[e->hash % c->nbuckets];
    while (*p != e)
        p = &(*p)->next;
    *p = e->next;
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    c->bytes -= strlen(e->key) + e->len + ENTRY_OVERHEAD;
    c->n--;
    free(e->key);
    free(e->body);
    free(e);
}

void tg_cache_free(tg_cache *c)
{
    if (!c)
        return;
    while (c->oldest)
        unlink_entry(c, c->oldest);
    free(c->buckets);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static centry *find(tg_cache *c, const char *key, uint64_t h)
{
    for (centry *e = c->buckets[h % c->nbuckets]; e; e = e->next)
        if (e->hash == h && !strcmp(e->key, key))
            return e;
    return NULL;
}

/* Puts e (not in the LRU list) at its head. */
static void push_newest(tg_cache *c, centry *e)
{
    e->newer = NULL;
    e->older = c->newest;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static void make_newest(tg_cache *c, centry *e)
{
    if (c->newest == e)
        return;
    /* out of the list (e is not the newest, so e->newer is set) */
    e->newer->older = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    push_newest(c, e);
}

int tg_cache_get(tg_cache *c, const char *key, uint64_t revision, char **body, size_t *len,
                 const char **mime)
{
    if (!c)
        return 0;
    uint64_t h = hash_key(key);
    int hit = 0;
    pthread_mutex_lock(&c->lock);
    centry *e = find(c, key, h);
    if (e && e->revision != revision) {
        unlink_entry(c, e);     /* computed on an older index */
        e = NULL;
    }
    if (e && (*body = malloc(e->len ? e->len : 1))) {
        memcpy(*body, e->body, e->len);
        *len = e->len;
        *mime = e->mime;
        make_newest(c, e);
        hit = 1;
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void tg_cache_put(tg_cache *c, const char *key, uint64_t revision, const char *mime,
                  const char *body, size_t len)
{
    size_t cost = strlen(key) + len + ENTRY_OVERHEAD;
    if (!c || cost > c->max_bytes / 8)
        return;   /* one huge answer must not flush everything else */
    centry *e = calloc(1, sizeof *e);
    if (!e)
        return;
    e->key = strdup(key);
    e->body = malloc(len ? len : 1);
    if (!e->key || !e->body) {
        free(e->key);
        free(e->body);
        free(e);
        return;
    }
    memcpy(e->body, body, len);
    e->len = len;
    e->revision = revision;
    e->mime = mime;
    e->hash = hash_key(key);
    pthread_mutex_lock(&c->lock);
    centry *old = find(c, key, e->hash);
    if (old)
        unlink_entry(c, old);
    e->next = c->buckets[e->hash % c->nbuckets];
    c->buckets[e->hash % c->nbuckets] = e;
    push_newest(c, e);
    c->bytes += cost;
    c->n++;
    while (c->bytes > c->max_bytes && c->oldest && c->oldest != e)
        unlink_entry(c, c->oldest);
    pthread_mutex_unlock(&c->lock);
}

void tg_cache_stats(tg_cache *c, size_t *entries, size_t *bytes)
{
    *entries = *bytes = 0;
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    *entries = c->n;
    *bytes = c->bytes;
    pthread_mutex_unlock(&c->lock);
}
