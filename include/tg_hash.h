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

#endif
