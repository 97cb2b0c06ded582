/*
 * tg_assets.h - the web server's files (pages' templates, stylesheet,
 * scripts), compiled into the binary from assets/ by tools/embed.c.
 */
#ifndef TG_ASSETS_H
#define TG_ASSETS_H

#include <stddef.h>

typedef struct tg_asset {
    const char *name;   /* "style.css", "page.html" */
    const char *mime;   /* Content-Type */
    const char *data;   /* the bytes, NUL-terminated (static) */
    size_t len;
} tg_asset;

/* Terminated by an entry with name NULL. */
extern const tg_asset tg_assets[];

/* The asset called name, or NULL. */
const tg_asset *tg_asset_find(const char *name);

#endif
