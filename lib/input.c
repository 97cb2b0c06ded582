/* input.c - byte stream over a file, stdin or memory, gzip or plain.
 *
 * Everything goes through one decoded-byte window, obuf[opos..olen): plain
 * input is read straight into it, gzip input is inflated into it. read,
 * getline, peek and slurp all consume from that window, so they can be
 * mixed freely and peek never loses data. */
#include "tg_input.h"
#include "tg_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RAW_CHUNK ((size_t)64 << 10)
#define OUT_CHUNK ((size_t)64 << 10)
#define DEFAULT_MAX_LINE ((size_t)64 << 20)

struct tg_input {
    char *path;
    int fd;                       /* -1 for a memory input */
    int own_fd;                   /* 0 for stdin: the caller's, not ours */
    const unsigned char *mem;     /* memory input, borrowed */
    size_t memlen, mempos;

    int gzip;
    z_stream zs;
    int zinit;
    int member_done;              /* inflate finished one gzip member */
    unsigned char *raw;           /* compressed bytes, zs.next_in points in */
    int raw_eof;                  /* the source has no more bytes */

    unsigned char *obuf;          /* decoded bytes; [opos, olen) unread */
    size_t ocap, opos, olen;
    int eof;                      /* no more decoded bytes will come */

    uint64_t max;                 /* cap on decoded bytes */
    uint64_t produced;            /* decoded bytes so far (for the cap) */
    uint64_t consumed;            /* decoded bytes handed to the caller */
    uint64_t bytes_in;            /* bytes read from the source */

    size_t max_line;
    uint64_t lineno;
    tg_buf line;                  /* a line that straddles refills */

    tg_status err;
    char errmsg[256];
};

static void set_err(tg_input *in, tg_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(tg_input *in, tg_status st, const char *fmt, ...)
{
    /* The first error is the cause; later ones are consequences. */
    if (in->err)
        return;
    in->err = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(in->errmsg, sizeof in->errmsg, fmt, ap);
    va_end(ap);
}

static void put_err(char *errbuf, size_t errlen, const char *msg)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "%s", msg);
}

static const volatile sig_atomic_t *cancel_flag;

void tg_input_set_cancel(const volatile sig_atomic_t *flag) { cancel_flag = flag; }

/* Reads up to n bytes from the source. Returns the count, 0 at the end, -1
 * on a read error (recorded). */
static long src_read(tg_input *in, void *buf, size_t n)
{
    if (cancel_flag && *cancel_flag) {
        set_err(in, TG_ERR_IO, "interrupted");
        return -1;
    }
    if (in->fd < 0) {
        size_t left = in->memlen - in->mempos;
        if (n > left)
            n = left;
        if (n)
            memcpy(buf, in->mem + in->mempos, n);
        in->mempos += n;
        in->bytes_in += n;
        return (long)n;
    }
    for (;;) {
        ssize_t r = read(in->fd, buf, n);
        if (r >= 0) {
            in->bytes_in += (uint64_t)r;
            return (long)r;
        }
        if (errno != EINTR) {
            set_err(in, TG_ERR_IO, "read error: %s", strerror(errno));
            return -1;
        }
        if (cancel_flag && *cancel_flag) {
            set_err(in, TG_ERR_IO, "interrupted");
            return -1;
        }
    }
}

/* Tops up the compressed buffer, keeping its unconsumed bytes. */
static void refill_raw(tg_input *in)
{
    if (in->raw_eof || in->err)
        return;
    if (in->zs.avail_in && in->zs.next_in != in->raw)
        memmove(in->raw, in->zs.next_in, in->zs.avail_in);
    in->zs.next_in = in->raw;
    size_t room = RAW_CHUNK - in->zs.avail_in;
    if (room == 0)
        return;
    long r = src_read(in, in->raw + in->zs.avail_in, room);
    if (r < 0)
        return;
    if (r == 0)
        in->raw_eof = 1;
    in->zs.avail_in += (uInt)r;
}

static int account(tg_input *in, size_t got)
{
    in->produced += got;
    if (in->produced > in->max) {
        if (in->gzip)
            set_err(in, TG_ERR_LIMIT, "decompressed size exceeds %llu bytes (gzip bomb?)",
                    (unsigned long long)in->max);
        else
            set_err(in, TG_ERR_LIMIT, "input size exceeds %llu bytes (the size cap)",
                    (unsigned long long)in->max);
        return -1;
    }
    return 0;
}

/* After a gzip member ends, what follows decides: another member (as
 * `cat a.gz b.gz` makes), zero padding (tape blocks, some tools), or
 * garbage. Returns 1 to go on inflating, 0 at a clean end, -1 on error. */
static int next_member(tg_input *in)
{
    for (;;) {
        if (in->zs.avail_in < 2 && !in->raw_eof) {
            refill_raw(in);
            if (in->err)
                return -1;
            continue;
        }
        if (in->zs.avail_in == 0)
            return 0;
        const unsigned char *p = in->zs.next_in;
        if (in->zs.avail_in >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
            if (inflateReset(&in->zs) != Z_OK) {
                set_err(in, TG_ERR_INTERNAL, "inflateReset failed");
                return -1;
            }
            in->member_done = 0;
            return 1;
        }
        if (in->zs.avail_in == 1 && p[0] == 0x1f) {
            set_err(in, TG_ERR_FORMAT, "truncated gzip data");
            return -1;
        }
        size_t i = 0;
        while (i < in->zs.avail_in && p[i] == 0)
            i++;
        if (i < in->zs.avail_in) {
            set_err(in, TG_ERR_FORMAT, "trailing garbage after gzip data");
            return -1;
        }
        in->zs.next_in += i;
        in->zs.avail_in -= (uInt)i;
        if (in->raw_eof)
            return 0;
    }
}

/* Inflates into out[0..n). Returns the count produced, 0 at the end of the
 * stream or on an error (in->eof / in->err tell which). */
static size_t inflate_some(tg_input *in, unsigned char *out, size_t n)
{
    if (n > UINT_MAX)
        n = UINT_MAX;
    for (;;) {
        if (in->err)
            return 0;
        if (in->member_done) {
            int r = next_member(in);
            if (r <= 0) {
                if (r == 0)
                    in->eof = 1;
                return 0;
            }
        }
        if (in->zs.avail_in == 0 && !in->raw_eof) {
            refill_raw(in);
            if (in->err)
                return 0;
        }
        in->zs.next_out = out;
        in->zs.avail_out = (uInt)n;
        int ret = inflate(&in->zs, Z_NO_FLUSH);
        size_t got = n - in->zs.avail_out;
        switch (ret) {
        case Z_STREAM_END:
            in->member_done = 1;
            /* fall through */
        case Z_OK:
            if (got)
                return got;
            break;
        case Z_BUF_ERROR:
            /* No progress was possible; out has room, so input ran dry. */
            if (in->zs.avail_in == 0 && in->raw_eof) {
                set_err(in, TG_ERR_FORMAT, "truncated gzip data");
                return 0;
            }
            if (in->zs.avail_in) { /* zlib promises this cannot happen */
                set_err(in, TG_ERR_INTERNAL, "inflate made no progress");
                return 0;
            }
            break;
        case Z_MEM_ERROR:
            set_err(in, TG_ERR_NOMEM, "out of memory");
            return 0;
        default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
            set_err(in, TG_ERR_FORMAT, "corrupt gzip data: %s",
                    in->zs.msg ? in->zs.msg : "unknown zlib error");
            return 0;
        }
    }
}

/* Makes at least `want` decoded bytes available in obuf, unless the stream
 * ends or fails first. Returns the number available. */
static size_t fill(tg_input *in, size_t want)
{
    while (in->olen - in->opos < want && !in->eof && !in->err) {
        size_t avail = in->olen - in->opos;
        if (in->opos) {
            if (avail)
                memmove(in->obuf, in->obuf + in->opos, avail);
            in->opos = 0;
            in->olen = avail;
        }
        size_t need = want - avail;
        if (need < OUT_CHUNK)
            need = OUT_CHUNK;
        if (in->ocap - in->olen < need) {
            unsigned char *p = realloc(in->obuf, in->olen + need);
            if (!p) {
                set_err(in, TG_ERR_NOMEM, "out of memory");
                break;
            }
            in->obuf = p;
            in->ocap = in->olen + need;
        }
        size_t got;
        if (in->gzip) {
            got = inflate_some(in, in->obuf + in->olen, in->ocap - in->olen);
        } else {
            long r = src_read(in, in->obuf + in->olen, in->ocap - in->olen);
            if (r == 0)
                in->eof = 1;
            got = r > 0 ? (size_t)r : 0;
        }
        if (got && account(in, got))
            break;
        in->olen += got;
    }
    return in->olen - in->opos;
}

static tg_input *input_new(uint64_t max_bytes)
{
    tg_input *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->fd = -1;
    in->max = max_bytes ? max_bytes : TG_INPUT_DEFAULT_MAX;
    in->max_line = DEFAULT_MAX_LINE;
    return in;
}

/* Reads the first bytes and decides between gzip and plain by the magic.
 * Returns 0, or -1 with the reason in in->errmsg. */
static int input_start(tg_input *in)
{
    in->raw = malloc(RAW_CHUNK);
    if (!in->raw) {
        set_err(in, TG_ERR_NOMEM, "out of memory");
        return -1;
    }
    in->zs.next_in = in->raw;
    in->zs.avail_in = 0;
    /* A pipe may deliver one byte at a time: the magic needs two. */
    while (in->zs.avail_in < 2 && !in->raw_eof) {
        refill_raw(in);
        if (in->err)
            return -1;
    }
    const unsigned char *p = in->raw;
    if (in->zs.avail_in >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
        in->gzip = 1;
        /* 15 + 32: maximum window, and auto-detect the gzip/zlib header. */
        int ret = inflateInit2(&in->zs, 15 + 32);
        if (ret != Z_OK) {
            set_err(in, ret == Z_MEM_ERROR ? TG_ERR_NOMEM : TG_ERR_INTERNAL,
                    "cannot start zlib: %s", in->zs.msg ? in->zs.msg : "inflateInit2 failed");
            return -1;
        }
        in->zinit = 1;
        return 0;
    }
    /* Plain: the bytes already read are the first decoded bytes. */
    size_t n = in->zs.avail_in;
    in->ocap = n > OUT_CHUNK ? n : OUT_CHUNK;
    in->obuf = malloc(in->ocap);
    if (!in->obuf) {
        set_err(in, TG_ERR_NOMEM, "out of memory");
        return -1;
    }
    memcpy(in->obuf, in->raw, n);
    in->olen = n;
    in->zs.avail_in = 0;
    if (in->raw_eof)
        in->eof = 1;
    /* Over the cap already: deliver nothing, the error surfaces on the
     * first read as it does for gzip. */
    if (account(in, n))
        in->olen = 0;
    return 0;
}

tg_input *tg_input_open(const char *path, uint64_t max_bytes, char *errbuf, size_t errlen)
{
    if (!path || !*path) {
        put_err(errbuf, errlen, "no file name given");
        return NULL;
    }
    tg_input *in = input_new(max_bytes);
    if (!in || !(in->path = strdup(path))) {
        put_err(errbuf, errlen, "out of memory");
        tg_input_close(in);
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        in->fd = STDIN_FILENO;
    } else {
        in->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (in->fd < 0) {
            put_err(errbuf, errlen, strerror(errno));
            tg_input_close(in);
            return NULL;
        }
        in->own_fd = 1;
        /* open(2) succeeds on a directory; read(2) would then fail with a
         * less obvious message. */
        struct stat sb;
        if (fstat(in->fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            put_err(errbuf, errlen, "is a directory");
            tg_input_close(in);
            return NULL;
        }
    }
    if (input_start(in)) {
        put_err(errbuf, errlen, in->errmsg);
        tg_input_close(in);
        return NULL;
    }
    return in;
}

tg_input *tg_input_open_mem(const char *data, size_t len, uint64_t max_bytes)
{
    if (!data && len)
        return NULL;
    tg_input *in = input_new(max_bytes);
    if (!in)
        return NULL;
    in->mem = (const unsigned char *)data;
    in->memlen = len;
    if (!(in->path = strdup("<memory>")) || input_start(in)) {
        tg_input_close(in);
        return NULL;
    }
    return in;
}

void tg_input_close(tg_input *in)
{
    if (!in)
        return;
    if (in->zinit)
        inflateEnd(&in->zs);
    if (in->own_fd && in->fd >= 0)
        close(in->fd);
    free(in->raw);
    free(in->obuf);
    tg_buf_free(&in->line);
    free(in->path);
    free(in);
}

long tg_input_read(tg_input *in, void *buf, size_t n)
{
    if (n == 0)
        return 0;
    size_t avail = in->olen - in->opos;
    if (avail == 0)
        avail = fill(in, 1);
    /* Bytes decoded before an error are still good: hand them out first. */
    if (avail == 0)
        return in->err ? -1 : 0;
    if (n > avail)
        n = avail;
    if (n > (size_t)LONG_MAX)
        n = (size_t)LONG_MAX;
    memcpy(buf, in->obuf + in->opos, n);
    in->opos += n;
    in->consumed += n;
    return (long)n;
}

void tg_input_set_max_line(tg_input *in, size_t max_line)
{
    in->max_line = max_line ? max_line : DEFAULT_MAX_LINE;
}

static int line_too_long(tg_input *in, size_t have, size_t more)
{
    if (more > in->max_line || have > in->max_line - more) {
        set_err(in, TG_ERR_LIMIT, "line %llu is longer than %zu bytes",
                (unsigned long long)in->lineno + 1, in->max_line);
        return 1;
    }
    return 0;
}

const char *tg_input_getline(tg_input *in, size_t *len)
{
    tg_buf_clear(&in->line);
    if (in->err)
        return NULL;
    char *s;
    size_t n;
    for (;;) {
        size_t avail = in->olen - in->opos;
        if (avail == 0 && fill(in, 1) == 0) {
            if (in->err || in->line.len == 0)
                return NULL;
            s = in->line.data; /* last line, no final newline */
            n = in->line.len;
            break;
        }
        avail = in->olen - in->opos;
        unsigned char *p = in->obuf + in->opos;
        unsigned char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) : avail;
        if (line_too_long(in, in->line.len, take))
            return NULL;
        if (nl && in->line.len == 0) {
            /* The whole line is in the window: hand it out in place. */
            *nl = '\0';
            in->opos += take + 1;
            in->consumed += take + 1;
            s = (char *)p;
            n = take;
            break;
        }
        if (tg_buf_append(&in->line, p, take)) {
            set_err(in, TG_ERR_NOMEM, "out of memory");
            return NULL;
        }
        in->opos += take;
        in->consumed += take;
        if (nl) {
            in->opos++;
            in->consumed++;
            s = in->line.data;
            n = in->line.len;
            break;
        }
    }
    if (n && s[n - 1] == '\r')
        s[--n] = '\0';
    in->lineno++;
    if (len)
        *len = n;
    return s;
}

size_t tg_input_peek(tg_input *in, void *buf, size_t n)
{
    size_t avail = fill(in, n);
    if (n > avail)
        n = avail;
    if (n)
        memcpy(buf, in->obuf + in->opos, n);
    return n;
}

tg_status tg_input_slurp(tg_input *in, char **out, size_t *len)
{
    *out = NULL;
    if (len)
        *len = 0;
    tg_buf b = {0};
    for (;;) {
        if (tg_buf_reserve(&b, OUT_CHUNK)) {
            tg_buf_free(&b);
            return TG_ERR_NOMEM;
        }
        b.data[b.len] = '\0'; /* reserve does not terminate: an empty input */
        long r = tg_input_read(in, b.data + b.len, b.cap - b.len - 1);
        if (r < 0) {
            tg_buf_free(&b);
            return in->err;
        }
        if (r == 0)
            break;
        b.len += (size_t)r;
        b.data[b.len] = '\0';
    }
    size_t n = b.len;
    char *s = tg_buf_steal(&b);
    if (!s)
        return TG_ERR_NOMEM;
    *out = s;
    if (len)
        *len = n;
    return TG_OK;
}

int tg_input_failed(const tg_input *in) { return (int)in->err; }
int tg_input_is_gzip(const tg_input *in) { return in->gzip; }
uint64_t tg_input_lineno(const tg_input *in) { return in->lineno; }
uint64_t tg_input_bytes_out(const tg_input *in) { return in->consumed; }
uint64_t tg_input_bytes_in(const tg_input *in) { return in->bytes_in; }
const char *tg_input_errmsg(const tg_input *in) { return in->errmsg; }
const char *tg_input_path(const tg_input *in) { return in->path; }
