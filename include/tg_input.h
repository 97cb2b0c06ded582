/*
 * tg_input.h - a byte stream over a file that may be gzip-compressed.
 *
 * Compression is detected by the magic bytes, not the name. Reading is
 * streamed (zlib), so memory stays bounded whatever the file size. A cap on
 * the decompressed size protects against gzip bombs.
 */
#ifndef TG_INPUT_H
#define TG_INPUT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "tg_status.h"

typedef struct tg_input tg_input;

/* Default cap on decompressed bytes per file: 4 GiB. */
#define TG_INPUT_DEFAULT_MAX ((uint64_t)4 << 30)

/* Opens path ("-" for standard input). max_bytes caps the decompressed
 * size (0 = TG_INPUT_DEFAULT_MAX). On failure returns NULL and writes the
 * reason into errbuf. Close with tg_input_close. */
tg_input *tg_input_open(const char *path, uint64_t max_bytes, char *errbuf, size_t errlen);
/* Over an in-memory buffer (borrowed: must outlive the input); for tests. */
tg_input *tg_input_open_mem(const char *data, size_t len, uint64_t max_bytes);
void tg_input_close(tg_input *in);

/* A flag (a signal handler's) that, once non-zero, makes every read of
 * every input fail at once (TG_ERR_IO, "interrupted"): a reader stuck on
 * a slow or endless file stops at its next read. A read(2) blocked on a
 * pipe returns early when the handler was installed without SA_RESTART.
 * Process-wide; NULL (the default) for none. */
void tg_input_set_cancel(const volatile sig_atomic_t *flag);

/* Reads up to n bytes. Returns the count (0 at end of input), or -1 on an
 * error (truncated or corrupt gzip, read error, size cap): the reason is
 * in tg_input_errmsg. */
long tg_input_read(tg_input *in, void *buf, size_t n);
/* Returns the next line without its "\n" (and "\r"), NUL-terminated, in
 * memory owned by in and valid until the next call; *len gets its length.
 * Returns NULL at end of input or on error (tg_input_failed tells which).
 * Lines longer than max_line (0 = 64 MiB) are an error. */
const char *tg_input_getline(tg_input *in, size_t *len);
/* Sets the line-length cap used by tg_input_getline (0 = 64 MiB). */
void tg_input_set_max_line(tg_input *in, size_t max_line);
/* Peeks at the first bytes of the (decompressed) stream without consuming
 * them: up to n bytes into buf, returns the count. */
size_t tg_input_peek(tg_input *in, void *buf, size_t n);
/* Reads everything left (up to the cap); *out malloc'd, NUL-terminated. */
tg_status tg_input_slurp(tg_input *in, char **out, size_t *len);

/* Returns 0 while the input is healthy, else the tg_status of the error
 * (TG_ERR_FORMAT corrupt or truncated gzip, TG_ERR_IO read error,
 * TG_ERR_LIMIT size or line cap, TG_ERR_NOMEM). */
int tg_input_failed(const tg_input *in);
int tg_input_is_gzip(const tg_input *in);
/* 1-based number of the line last returned by getline. */
uint64_t tg_input_lineno(const tg_input *in);
/* Decompressed bytes consumed so far and compressed bytes read from disk. */
uint64_t tg_input_bytes_out(const tg_input *in);
uint64_t tg_input_bytes_in(const tg_input *in);
const char *tg_input_errmsg(const tg_input *in);
const char *tg_input_path(const tg_input *in);

#endif
