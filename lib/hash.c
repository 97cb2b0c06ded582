/* hash.c - 64-bit FNV-1a and a bit mixer (tg_hash.h). */
#include "tg_hash.h"

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
