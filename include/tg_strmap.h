/*
 * tg_strmap.h - a string-keyed hash map with a counter per key.
 *
 * Used to gather names, aliases and spelling words while indexing, before
 * they are written to the database at commit. Keys are copied; iteration
 * order is unspecified.
 */
#ifndef TG_STRMAP_H
#define TG_STRMAP_H

#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"

typedef struct tg_strmap tg_strmap;

/* A new empty map, or NULL on no memory. Free with tg_strmap_free. */
tg_strmap *tg_strmap_new(void);
void tg_strmap_free(tg_strmap *m);
/* Adds inc to key's counter (inserting it at 0 first). *is_new (may be
 * NULL) tells whether the key was absent. */
tg_status tg_strmap_add(tg_strmap *m, const char *key, size_t len, uint64_t inc, int *is_new);
/* The counter of key, 0 when absent. */
uint64_t tg_strmap_get(const tg_strmap *m, const char *key, size_t len);
size_t tg_strmap_size(const tg_strmap *m);
/* Calls cb for every entry (key NUL-terminated, borrowed); a non-zero
 * return stops the walk and is returned. */
typedef int (*tg_strmap_cb)(const char *key, size_t len, uint64_t count, void *ud);
int tg_strmap_each(const tg_strmap *m, tg_strmap_cb cb, void *ud);
/* Removes every entry, keeping the table's memory. */
void tg_strmap_clear(tg_strmap *m);

#endif
