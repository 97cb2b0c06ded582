/*
 * tg_template.h - the small template language of the web pages.
 *
 * A template is text with tags:
 *   {{name}}              the variable's value, HTML-escaped (safe in text
 *                         and in quoted attributes)
 *   {{{name}}}            the value as is: HTML built by the caller
 *   {{#name}}...{{/name}} the inside only when name is set and not ""
 *   {{^name}}...{{/name}} the inside only when name is unset or ""
 * There are no loops: lists are rendered item by item by the caller (one
 * template per item) and passed in as a {{{raw}}} variable, so all markup
 * stays in assets/ and all escaping in one place.
 */
#ifndef TG_TEMPLATE_H
#define TG_TEMPLATE_H

#include <stddef.h>
#include "tg_buf.h"

typedef struct tg_tvar {
    const char *name;
    const char *value;   /* borrowed; NULL = unset */
} tg_tvar;

/* Renders tpl with the n variables vars into out. TG_OK, TG_ERR_NOMEM, or
 * TG_ERR_FORMAT for an unclosed tag or section (a bug in an asset). An
 * unknown variable renders as unset. */
tg_status tg_template_render(const char *tpl, const tg_tvar *vars, size_t n, tg_buf *out);

/* Appends s[0..len) HTML-escaped (& < > " '). */
tg_status tg_html_escape(tg_buf *out, const char *s, size_t len);

#endif
