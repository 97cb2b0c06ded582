/* strmap.c - open-addressing string map with counters (tg_strmap.h). */
#include "tg_strmap.h"
#include "tg_hash.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *key;          /* NULL: empty */
    size_t len;
    uint64_t hash;
    uint64_t count;
} slot;

struct tg_strmap {
    slot *slots;
    size_t cap;         /* power of two */
    size_t n;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    return tg_hash64_mix(tg_hash64(s, n));
}

tg_strmap *tg_strmap_new(void)
{
    tg_strmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void tg_strmap_clear(tg_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].key);
        m->slots[i].key = NULL;
    }
    m->n = 0;
}

void tg_strmap_free(tg_strmap *m)
{
    if (!m)
        return;
    tg_strmap_clear(m);
    free(m->slots);
    free(m);
}

static slot *find(const tg_strmap *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

static tg_status grow(tg_strmap *m)
{
    size_t cap = m->cap * 2;
    slot *old = m->slots, *ns = calloc(cap, sizeof *ns);
    if (!ns)
        return TG_ERR_NOMEM;
    size_t oldcap = m->cap;
    m->slots = ns;
    m->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
    return TG_OK;
}

tg_status tg_strmap_add(tg_strmap *m, const char *key, size_t len, uint64_t inc, int *is_new)
{
    if (is_new)
        *is_new = 0;
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m))
        return TG_ERR_NOMEM;
    uint64_t h = hash_bytes(key, len);
    slot *s = find(m, key, len, h);
    if (!s->key) {
        char *k = malloc(len + 1);
        if (!k)
            return TG_ERR_NOMEM;
        memcpy(k, key, len);
        k[len] = '\0';
        *s = (slot){ k, len, h, 0 };
        m->n++;
        if (is_new)
            *is_new = 1;
    }
    s->count += inc;
    return TG_OK;
}

uint64_t tg_strmap_get(const tg_strmap *m, const char *key, size_t len)
{
    const slot *s = find(m, key, len, hash_bytes(key, len));
    return s->key ? s->count : 0;
}

size_t tg_strmap_size(const tg_strmap *m) { return m->n; }

int tg_strmap_each(const tg_strmap *m, tg_strmap_cb cb, void *ud)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key) {
            int rc = cb(m->slots[i].key, m->slots[i].len, m->slots[i].count, ud);
            if (rc)
                return rc;
        }
    return 0;
}
