/*
 * tg_hash.h - the one internal byte hash: 64-bit FNV-1a.
 *
 * FNV-1a because the content hash stored in every index (TG_SLOT_HASH, and
 * the "#"+hash terms for long urls and origins) has always been FNV-1a:
 * changing it would make every old database re-write every article on the
 * next incremental run. Not a cryptographic hash; not for untrusted keys
 * where collisions matter.
 */
#ifndef TG_HASH_H
#define TG_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"

/* The FNV-1a 64-bit offset basis: where a hash starts. */
#define TG_HASH64_INIT 0xcbf29ce484222325ULL

/* FNV-1a of p[0..n) (p may be NULL when n is 0). */
uint64_t tg_hash64(const void *p, size_t n);
/* Continues hash h (TG_HASH64_INIT or an earlier result) over p[0..n):
 * tg_hash64_more(tg_hash64(a, na), b, nb) == tg_hash64 of a then b. */
uint64_t tg_hash64_more(uint64_t h, const void *p, size_t n);
/* h with its bits spread (a MurmurHash3 finalizer), for hash tables that
 * index with the low bits, where plain FNV-1a is weak. A bijection: 0 maps
 * to 0 only. */
uint64_t tg_hash64_mix(uint64_t h);
/* tg_hash64 of p[0..n), never 0 (0 becomes 1): a key for tg_u64map. */
uint64_t tg_hash64_key(const void *p, size_t n);

/* A map of 64-bit keys (never 0) to 64-bit values, for what a run must
 * remember of millions of items in little memory - 16 bytes a slot, the
 * table at most 3/4 full: the ids and urls a parallel build has met
 * (lib/index.c), the ids the indexer has read (indexer/main.c). Keys are
 * usually hashes (tg_hash64_key): two items whose hashes collide are one
 * key, which callers must be able to afford. A zeroed map is empty and
 * valid; the map owns its arrays. */
typedef struct tg_u64map {
    uint64_t *keys, *vals;
    size_t cap, n;
} tg_u64map;

/* The value of key, or 0 when absent (so a value of 0 reads as absent). */
uint64_t tg_u64map_get(const tg_u64map *m, uint64_t key);
/* Sets key's value. Returns TG_OK, or TG_ERR_NOMEM with the map as it was. */
tg_status tg_u64map_set(tg_u64map *m, uint64_t key, uint64_t val);
/* Frees the arrays; the map is empty and valid afterwards. */
void tg_u64map_free(tg_u64map *m);

#endif
