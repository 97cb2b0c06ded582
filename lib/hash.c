/* hash.c - 64-bit FNV-1a, a bit mixer and the 64-bit map (tg_hash.h). */
#include "tg_hash.h"

#include <stdlib.h>

#define FNV64_PRIME 0x100000001b3ULL

uint64_t tg_hash64_more(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * FNV64_PRIME;
    return h;
}

uint64_t tg_hash64(const void *p, size_t n)
{
    return tg_hash64_more(TG_HASH64_INIT, p, n);
}

uint64_t tg_hash64_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

uint64_t tg_hash64_key(const void *p, size_t n)
{
    uint64_t h = tg_hash64(p, n);
    return h ? h : 1;
}

/* ---- the 64-bit map: open addressing, linear probing -------------------- */

/* The slot of key, or of the empty slot where it would go. The key's bits
 * are mixed first: plain FNV-1a keys are weak in their low bits. */
static size_t slot_of(const tg_u64map *m, uint64_t key)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)tg_hash64_mix(key) & mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

uint64_t tg_u64map_get(const tg_u64map *m, uint64_t key)
{
    if (!m->cap || !key)
        return 0;
    size_t i = slot_of(m, key);
    return m->keys[i] ? m->vals[i] : 0;
}

static tg_status grow(tg_u64map *m)
{
    tg_u64map bigger = { NULL, NULL, m->cap ? m->cap * 2 : 1024, m->n };
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
    if (!bigger.keys || !bigger.vals) {
        free(bigger.keys);
        free(bigger.vals);
        return TG_ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t k = slot_of(&bigger, m->keys[i]);
            bigger.keys[k] = m->keys[i];
            bigger.vals[k] = m->vals[i];
        }
    free(m->keys);
    free(m->vals);
    *m = bigger;
    return TG_OK;
}

tg_status tg_u64map_set(tg_u64map *m, uint64_t key, uint64_t val)
{
    if (!key)
        return TG_ERR_ARG;
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m))
        return TG_ERR_NOMEM;
    size_t i = slot_of(m, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
    return TG_OK;
}

void tg_u64map_free(tg_u64map *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = m->vals = NULL;
    m->cap = m->n = 0;
}
