/* record.c - encode and decode the stored article record (tg_record.h). */
#include "tg_record.h"
#include "tg_hash.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* TGR1 stored body and sources zlib-compressed inside the record; TGR2
 * stores them raw, as Xapian's docdata table compresses every record
 * whole anyway: compressing twice cost a tenth of indexing time (perf, a
 * deflateInit per article) and the table's own pass then failed. TGR1
 * records are still read. */
#define RECORD_MAGIC "TGR2"
#define RECORD_MAGIC_V1 "TGR1"

static tg_status put_str(tg_buf *out, const char *s)
{
    return tg_buf_put_bytes(out, s ? s : "", s ? strlen(s) : 0);
}

tg_status tg_record_encode(const tg_article *a, const tg_passage *p, size_t np, tg_buf *out)
{
    tg_status st = tg_buf_append(out, RECORD_MAGIC, 4);
    const char *strs[] = { a->id, a->url, a->title, a->date, a->author, a->origin };
    for (size_t i = 0; !st && i < sizeof strs / sizeof *strs; i++)
        st = put_str(out, strs[i]);
    if (!st)
        st = tg_buf_put_varint(out, a->ntags);
    for (size_t i = 0; !st && i < a->ntags; i++)
        st = put_str(out, a->tags[i]);
    if (!st)
        st = tg_buf_put_varint(out, np);
    for (size_t i = 0; !st && i < np; i++) {
        if ((st = tg_buf_put_varint(out, p[i].start)) ||
            (st = tg_buf_put_varint(out, p[i].len)) ||
            (st = tg_buf_put_varint(out, p[i].first_word)))
            break;
        st = tg_buf_put_varint(out, p[i].nwords);
    }
    if (!st)
        st = put_str(out, a->body);
    if (!st)
        st = put_str(out, a->sources);
    return st;
}

static int get_str(tg_cursor *c, tg_strref *s) { return tg_cursor_bytes(c, &s->p, &s->n); }

/* Deflate expands at most 1032 to 1 (a run of 258 bytes in 2 bits); a
 * raw length beyond that is a damaged record, and trusting it would make
 * a reader allocate gigabytes for a few bytes of data (found by
 * tests/fuzz/fuzz_record.c). */
#define DEFLATE_MAX_RATIO 1032
#define ZLIB_OVERHEAD 64

static int get_blob(tg_cursor *c, size_t *raw_len, const char **z, size_t *zlen)
{
    uint64_t raw;
    if (tg_cursor_varint(c, &raw) || tg_cursor_bytes(c, z, zlen))
        return -1;
    if (raw > (uint64_t)*zlen * DEFLATE_MAX_RATIO + (*zlen ? ZLIB_OVERHEAD : 0))
        return -1;
    *raw_len = (size_t)raw;
    return 0;
}

tg_status tg_record_decode(const char *data, size_t len, tg_record *r)
{
    memset(r, 0, sizeof *r);
    if (len >= 4 && memcmp(data, RECORD_MAGIC, 4) == 0)
        r->raw = 1;
    else if (len < 4 || memcmp(data, RECORD_MAGIC_V1, 4) != 0)
        return TG_ERR_FORMAT;
    tg_cursor c = { (const unsigned char *)data + 4, (const unsigned char *)data + len };
    tg_strref *fields[] = { &r->id, &r->url, &r->title, &r->date, &r->author, &r->origin };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (get_str(&c, fields[i]))
            return TG_ERR_FORMAT;
    uint64_t n;
    if (tg_cursor_varint(&c, &n) || n > (uint64_t)(c.end - c.p))
        return TG_ERR_FORMAT;
    if (n) {
        r->tags = calloc(n, sizeof *r->tags);
        if (!r->tags)
            return TG_ERR_NOMEM;
        r->ntags = n;
        for (size_t i = 0; i < n; i++)
            if (get_str(&c, &r->tags[i]))
                goto bad;
    }
    if (tg_cursor_varint(&c, &n) || n > (uint64_t)(c.end - c.p))
        goto bad;
    if (n) {
        r->passages = calloc(n, sizeof *r->passages);
        if (!r->passages) {
            tg_record_free(r);
            return TG_ERR_NOMEM;
        }
        r->npassages = n;
        for (size_t i = 0; i < n; i++) {
            uint64_t v[4];
            for (int k = 0; k < 4; k++)
                if (tg_cursor_varint(&c, &v[k]) || v[k] > UINT32_MAX)
                    goto bad;
            r->passages[i] = (tg_passage){ (uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2], (uint32_t)v[3] };
        }
    }
    if (r->raw) {
        if (tg_cursor_bytes(&c, &r->zbody, &r->zbody_len) ||
            tg_cursor_bytes(&c, &r->zsrc, &r->zsrc_len))
            goto bad;
        r->body_len = r->zbody_len;
        r->src_len = r->zsrc_len;
    } else if (get_blob(&c, &r->body_len, &r->zbody, &r->zbody_len) ||
               get_blob(&c, &r->src_len, &r->zsrc, &r->zsrc_len)) {
        goto bad;
    }
    for (size_t i = 0; i < r->npassages; i++)
        if ((uint64_t)r->passages[i].start + r->passages[i].len > r->body_len)
            goto bad;
    return TG_OK;
bad:
    tg_record_free(r);
    return TG_ERR_FORMAT;
}

/* Inflates the first `end` of raw_len bytes of the zlib stream z into out.
 * The whole stream must end where it says (its checksum checked); a
 * prefix is taken as far as it inflates. Returns 0, or -1 for a corrupt
 * stream. */
static int inflate_prefix(const char *z, size_t zlen, char *out, size_t end, size_t raw_len)
{
    if (end == 0)
        return 0;
    z_stream zs = { 0 };
    if (inflateInit(&zs) != Z_OK)
        return -1;
    zs.next_in = (Bytef *)z;
    zs.avail_in = (uInt)zlen;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)end;
    int whole = end == raw_len;
    int ret = inflate(&zs, whole ? Z_FINISH : Z_SYNC_FLUSH);
    size_t got = end - zs.avail_out;
    inflateEnd(&zs);
    if (whole)
        return ret == Z_STREAM_END && got == end ? 0 : -1;
    return (ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR) && got == end ? 0 : -1;
}

static char *inflate_blob(const char *z, size_t zlen, size_t raw_len, int raw)
{
    char *out = malloc(raw_len + 1);
    if (!out)
        return NULL;
    if (raw)
        memcpy(out, z, raw_len);
    else if (inflate_prefix(z, zlen, out, raw_len, raw_len)) {
        free(out);
        return NULL;
    }
    out[raw_len] = '\0';
    return out;
}

const char *tg_record_body_upto(tg_record *r, size_t end)
{
    if (end > r->body_len)
        end = r->body_len;
    if (r->body && r->body_have >= end)
        return r->body;
    if (r->raw) {
        /* Copied whole: the caller wants a NUL-terminated body. */
        if (!(r->body = inflate_blob(r->zbody, r->zbody_len, r->body_len, 1)))
            return NULL;
        r->body_have = r->body_len;
        return r->body;
    }
    if (!r->body && !(r->body = malloc(r->body_len + 1)))
        return NULL;
    /* Inflates from the start again: a record is asked for one passage,
     * then rarely for more. */
    if (inflate_prefix(r->zbody, r->zbody_len, r->body, end, r->body_len)) {
        free(r->body);
        r->body = NULL;
        r->body_have = 0;
        return NULL;
    }
    r->body_have = end;
    if (end == r->body_len)
        r->body[end] = '\0';
    return r->body;
}

const char *tg_record_body(tg_record *r)
{
    return tg_record_body_upto(r, r->body_len);
}

const char *tg_record_sources(tg_record *r)
{
    if (!r->sources)
        r->sources = inflate_blob(r->zsrc, r->zsrc_len, r->src_len, r->raw);
    return r->sources;
}

void tg_record_free(tg_record *r)
{
    if (!r)
        return;
    free(r->tags);
    free(r->passages);
    free(r->body);
    free(r->sources);
    memset(r, 0, sizeof *r);
}

static uint64_t hash_field(uint64_t h, const char *s)
{
    /* A field separator folds in even for NULL/empty so that moving text
     * from one field to the next changes the hash. The value is stored in
     * every index (TG_SLOT_HASH): it must not change (test_record pins it). */
    static const unsigned char sep = 0xff;
    if (s)
        h = tg_hash64_more(h, s, strlen(s));
    return tg_hash64_more(h, &sep, 1);
}

int tg_key_term(tg_buf *out, const char *prefix, const char *key, size_t max,
                const char *suffix)
{
    tg_buf_clear(out);
    if (tg_buf_puts(out, prefix))
        return -1;
    if (strlen(key) + (suffix ? strlen(suffix) : 0) <= max) {
        if (tg_buf_puts(out, key))
            return -1;
    } else {
        /* The hash of an article whose body is the key: what the url and
         * file terms have always used, so old databases keep theirs. */
        tg_article tmp;
        tg_article_init(&tmp);
        tmp.body = (char *)key;     /* borrowed: only hashed */
        char hash[17];
        tg_article_hash(&tmp, hash);
        if (tg_buf_putc(out, '#') || tg_buf_puts(out, hash))
            return -1;
    }
    return suffix && tg_buf_puts(out, suffix) ? -1 : 0;
}

void tg_article_hash(const tg_article *a, char out[17])
{
    uint64_t h = TG_HASH64_INIT;
    const char *strs[] = { a->id, a->url, a->title, a->date, a->author, a->body, a->sources };
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        h = hash_field(h, strs[i]);
    for (size_t i = 0; i < a->ntags; i++)
        h = hash_field(h, a->tags[i]);
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}
