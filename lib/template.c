/* template.c - the web pages' template language (tg_template.h). */
#define _GNU_SOURCE   /* memmem */
#include "tg_template.h"

#include <stdio.h>

#include <string.h>

#include "tg_assets.h"

tg_status tg_html_escape(tg_buf *out, const char *s, size_t len)
{
    tg_status st = tg_buf_reserve(out, len);
    size_t run = 0;
    for (size_t i = 0; i < len && !st; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        st = tg_buf_append(out, s + run, i - run);
        st = st ? st : tg_buf_puts(out, rep);
        run = i + 1;
    }
    return st ? st : tg_buf_append(out, s + run, len - run);
}

const tg_asset *tg_asset_find(const char *name)
{
    for (const tg_asset *a = tg_assets; a->name; a++)
        if (!strcmp(a->name, name))
            return a;
    return NULL;
}

static const char *lookup(const tg_tvar *vars, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(vars[i].name) == len && !memcmp(vars[i].name, name, len))
            return vars[i].value;
    return NULL;
}

/* Renders tpl[0..len); with out NULL, only checks the syntax. */
static tg_status render(const char *tpl, size_t len, const tg_tvar *vars, size_t n, tg_buf *out)
{
    size_t i = 0;
    while (i < len) {
        const char *open = memmem(tpl + i, len - i, "{{", 2);
        size_t upto = open ? (size_t)(open - tpl) : len;
        if (out && tg_buf_append(out, tpl + i, upto - i))
            return TG_ERR_NOMEM;
        if (!open)
            break;
        int raw = upto + 2 < len && tpl[upto + 2] == '{';
        size_t name_at = upto + 2 + (size_t)raw;
        const char *close = memmem(tpl + name_at, len - name_at, raw ? "}}}" : "}}", raw ? 3 : 2);
        if (!close)
            return TG_ERR_FORMAT;
        const char *name = tpl + name_at;
        size_t nlen = (size_t)(close - name);
        size_t after = (size_t)(close - tpl) + (raw ? 3 : 2);
        if (!raw && nlen && (name[0] == '#' || name[0] == '^')) {
            /* A section: find its {{/name}}. */
            char end_tag[80];
            if (nlen > sizeof end_tag - 6)
                return TG_ERR_FORMAT;
            int el = snprintf(end_tag, sizeof end_tag, "{{/%.*s}}", (int)nlen - 1, name + 1);
            const char *end = memmem(tpl + after, len - after, end_tag, (size_t)el);
            if (!end)
                return TG_ERR_FORMAT;
            const char *v = lookup(vars, n, name + 1, nlen - 1);
            int on = v && *v;
            if (name[0] == '^')
                on = !on;
            tg_status st = render(tpl + after, (size_t)(end - tpl) - after, vars, n, on ? out : NULL);
            if (st)
                return st;
            i = (size_t)(end - tpl) + (size_t)el;
            continue;
        }
        if (nlen && name[0] == '/')
            return TG_ERR_FORMAT;   /* a section's end without its start */
        const char *v = lookup(vars, n, name, nlen);
        if (out && v && (raw ? tg_buf_puts(out, v) : tg_html_escape(out, v, strlen(v))))
            return TG_ERR_NOMEM;
        i = after;
    }
    return TG_OK;
}

tg_status tg_template_render(const char *tpl, const tg_tvar *vars, size_t n, tg_buf *out)
{
    size_t mark = out->len;
    tg_status st = render(tpl, strlen(tpl), vars, n, out);
    if (st && out->data) {
        out->len = mark;   /* nothing half-rendered */
        out->data[mark] = '\0';
    }
    return st;
}
