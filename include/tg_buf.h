/*
 * tg_buf.h - a growable byte buffer, always NUL-terminated.
 *
 * A zero-initialised tg_buf is an empty, valid buffer. Appending functions
 * return TG_OK or TG_ERR_NOMEM; after a failure the buffer keeps what it
 * had. The buffer owns b->data; tg_buf_free releases it, tg_buf_steal hands
 * it to the caller.
 */
#ifndef TG_BUF_H
#define TG_BUF_H

#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"

typedef struct tg_buf {
    char *data;   /* NULL until the first append; then NUL-terminated */
    size_t len;
    size_t cap;
} tg_buf;

tg_status tg_buf_reserve(tg_buf *b, size_t extra);
tg_status tg_buf_append(tg_buf *b, const void *p, size_t n);
tg_status tg_buf_puts(tg_buf *b, const char *s);
tg_status tg_buf_putc(tg_buf *b, char c);
tg_status tg_buf_printf(tg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends an unsigned LEB128 varint. */
tg_status tg_buf_put_varint(tg_buf *b, uint64_t v);
/* Appends a varint length followed by n bytes. */
tg_status tg_buf_put_bytes(tg_buf *b, const void *p, size_t n);
/* Empties the buffer, keeping its memory. */
void tg_buf_clear(tg_buf *b);
/* Frees the memory; the buffer is empty and valid afterwards. */
void tg_buf_free(tg_buf *b);
/* Returns the data (caller frees; never NULL unless out of memory) and
 * leaves the buffer empty. */
char *tg_buf_steal(tg_buf *b);
/* A borrowed C string: "" when the buffer has never been written. */
const char *tg_buf_str(const tg_buf *b);

/* Growable arrays, the one way to grow one: makes the array *vp (vp
 * points to a T *, elements of elem bytes, room for *cap of them) hold at
 * least need elements, doubling from 16. Returns TG_OK, or TG_ERR_NOMEM
 * with the array and *cap unchanged. TG_ARRAY_RESERVE(v, cap, need) is
 * the same with vp and elem taken from the array v (cap a size_t). */
tg_status tg_array_reserve(void *vp, size_t *cap, size_t need, size_t elem);
#define TG_ARRAY_RESERVE(v, cap, need) tg_array_reserve(&(v), &(cap), (need), sizeof *(v))

/* Reading side of the varint encoding: a cursor over [p, end). Each getter
 * returns 0 on success, -1 when the input is truncated or malformed. */
typedef struct tg_cursor {
    const unsigned char *p;
    const unsigned char *end;
} tg_cursor;

int tg_cursor_varint(tg_cursor *c, uint64_t *v);
/* Borrowed pointer into the cursor's memory: not NUL-terminated. */
int tg_cursor_bytes(tg_cursor *c, const char **p, size_t *n);

#endif
