/* test_input.c - tg_input: plain, gzip (single, concatenated, truncated,
 * corrupt, bombs), getline, peek, slurp, counters. Gzip data is made at
 * run time with zlib, so no binary fixtures are committed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "tg_buf.h"
#include "tg_input.h"

/* ---- helpers ------------------------------------------------------------ */

/* Gzips data[0..n) in memory as one member; caller frees *out. */
static void gzip_mem(const void *data, size_t n, unsigned char **out, size_t *outlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, n) + 64;
    unsigned char *buf = malloc(cap);
    assert_non_null(buf);
    zs.next_in = (unsigned char *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = buf;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *outlen = cap - zs.avail_out;
    *out = buf;
    deflateEnd(&zs);
}

static char *temp_path(const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/tg_input_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    close(fd);
    unlink(tmpl);
    size_t n = strlen(tmpl) + strlen(suffix) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s%s", tmpl, suffix);
    return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Appends one gzip member holding s to path (mode "wb" or "ab"). */
static void gz_write_member(const char *path, const char *mode, const char *s)
{
    gzFile g = gzopen(path, mode);
    assert_non_null(g);
    assert_int_equal(gzwrite(g, s, (unsigned)strlen(s)), (int)strlen(s));
    assert_int_equal(gzclose(g), Z_OK);
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* Reads everything with tg_input_read in small pieces (to cross buffer
 * boundaries at odd places). Returns 0, or -1 if the input failed. */
static int read_all(tg_input *in, tg_buf *out, size_t piece)
{
    char tmp[4096];
    if (piece > sizeof tmp)
        piece = sizeof tmp;
    for (;;) {
        long r = tg_input_read(in, tmp, piece);
        if (r < 0)
            return -1;
        if (r == 0)
            return 0;
        assert_int_equal(tg_buf_append(out, tmp, (size_t)r), TG_OK);
    }
}

/* Deterministic, mildly compressible text of n bytes. */
static char *make_text(size_t n, unsigned seed)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    static const char *const words[] = { "Baghdad ", "river ", "Tigris ", "1958 ", "the ",
                                         "revolution\n", "museum ", "and ", "of ", "crown.\n" };
    size_t i = 0;
    while (i < n) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % 10];
        size_t k = strlen(w);
        if (k > n - i)
            k = n - i;
        memcpy(s + i, w, k);
        i += k;
    }
    s[n] = '\0';
    return s;
}

/* ---- plain -------------------------------------------------------------- */

static void test_plain_file(void **state)
{
    (void)state;
    char *path = temp_path(".txt");
    char *text = make_text(300000, 1);
    write_file(path, text, 300000);

    char err[256] = "";
    tg_input *in = tg_input_open(path, 0, err, sizeof err);
    assert_non_null(in);
    assert_string_equal(tg_input_path(in), path);
    assert_false(tg_input_is_gzip(in));
    tg_buf b = {0};
    assert_int_equal(read_all(in, &b, 1000), 0);
    assert_int_equal(b.len, 300000);
    assert_memory_equal(b.data, text, 300000);
    assert_int_equal(tg_input_bytes_in(in), 300000);
    assert_int_equal(tg_input_bytes_out(in), 300000);
    assert_int_equal(tg_input_failed(in), 0);
    assert_string_equal(tg_input_errmsg(in), "");
    /* The end stays the end. */
    char c;
    assert_int_equal(tg_input_read(in, &c, 1), 0);
    tg_input_close(in);
    tg_buf_free(&b);
    unlink(path);
    free(path);
    free(text);
}

static void test_open_errors(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(tg_input_open("/nonexistent/dir/x.jsonl", 0, err, sizeof err));
    assert_string_equal(err, "No such file or directory");
    err[0] = '\0';
    assert_null(tg_input_open("/", 0, err, sizeof err));
    assert_string_equal(err, "is a directory");
    assert_null(tg_input_open("", 0, err, sizeof err));
    assert_string_equal(err, "no file name given");
    /* NULL errbuf is allowed. */
    assert_null(tg_input_open("/nonexistent", 0, NULL, 0));
    tg_input_close(NULL);
}

static void test_empty_input(void **state)
{
    (void)state;
    tg_input *in = tg_input_open_mem(NULL, 0, 0);
    assert_non_null(in);
    size_t len = 99;
    assert_null(tg_input_getline(in, &len));
    assert_int_equal(tg_input_failed(in), 0);
    char buf[8];
    assert_int_equal(tg_input_peek(in, buf, sizeof buf), 0);
    assert_int_equal(tg_input_read(in, buf, sizeof buf), 0);
    char *all;
    size_t n = 7;
    assert_int_equal(tg_input_slurp(in, &all, &n), TG_OK);
    assert_int_equal(n, 0);
    assert_string_equal(all, "");
    free(all);
    tg_input_close(in);
}

static void test_stdin(void **state)
{
    (void)state;
    char *path = temp_path(".gz");
    gz_write_member(path, "wb", "from standard input\n");
    /* CI may run with standard input closed: then there is nothing to
     * save, and open() itself may hand out fd 0. */
    int saved = dup(STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    if (fd != STDIN_FILENO) {
        assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
        close(fd);
    }

    char err[256];
    tg_input *in = tg_input_open("-", 0, err, sizeof err);
    assert_non_null(in);
    assert_true(tg_input_is_gzip(in));
    size_t len;
    assert_string_equal(tg_input_getline(in, &len), "from standard input");
    assert_null(tg_input_getline(in, &len));
    tg_input_close(in);
    /* Closing the input must leave the process's stdin open. */
    assert_int_equal(fcntl(STDIN_FILENO, F_GETFD) >= 0, 1);

    if (saved >= 0) {
        assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
        close(saved);
    } else {
        close(STDIN_FILENO);
    }
    unlink(path);
    free(path);
}

/* ---- gzip --------------------------------------------------------------- */

static void test_gzip_file(void **state)
{
    (void)state;
    char *path = temp_path(".jsonl.gz");
    char *text = make_text(500000, 2);
    gz_write_member(path, "wb", text);

    char err[256];
    tg_input *in = tg_input_open(path, 0, err, sizeof err);
    assert_non_null(in);
    assert_true(tg_input_is_gzip(in));
    tg_buf b = {0};
    assert_int_equal(read_all(in, &b, 777), 0);
    assert_int_equal(b.len, 500000);
    assert_memory_equal(b.data, text, 500000);
    /* bytes_in is what came off the disk, bytes_out what the caller got. */
    assert_int_equal(tg_input_bytes_in(in), (uint64_t)file_size(path));
    assert_true(tg_input_bytes_in(in) < 500000);
    assert_int_equal(tg_input_bytes_out(in), 500000);
    tg_input_close(in);
    tg_buf_free(&b);
    unlink(path);
    free(path);
    free(text);
}

static void test_gzip_concatenated_members(void **state)
{
    (void)state;
    /* As `cat a.gz b.gz > c.gz` or gzopen(..., "ab") make. */
    char *path = temp_path(".gz");
    gz_write_member(path, "wb", "first member\n");
    gz_write_member(path, "ab", "second member\n");
    gz_write_member(path, "ab", "third, no newline");
    char err[256];
    tg_input *in = tg_input_open(path, 0, err, sizeof err);
    assert_non_null(in);
    size_t len;
    assert_string_equal(tg_input_getline(in, &len), "first member");
    assert_string_equal(tg_input_getline(in, &len), "second member");
    assert_string_equal(tg_input_getline(in, &len), "third, no newline");
    assert_int_equal(len, 17);
    assert_null(tg_input_getline(in, &len));
    assert_int_equal(tg_input_failed(in), 0);
    assert_int_equal(tg_input_lineno(in), 3);
    tg_input_close(in);
    unlink(path);
    free(path);

    /* A large member followed by a small one, in memory: the member
     * boundary falls in the middle of a read buffer. */
    char *big = make_text(200000, 3);
    unsigned char *g1, *g2;
    size_t n1, n2;
    gzip_mem(big, 200000, &g1, &n1);
    gzip_mem("tail", 4, &g2, &n2);
    unsigned char *cat = malloc(n1 + n2);
    memcpy(cat, g1, n1);
    memcpy(cat + n1, g2, n2);
    in = tg_input_open_mem((char *)cat, n1 + n2, 0);
    tg_buf b = {0};
    assert_int_equal(read_all(in, &b, 4096), 0);
    assert_int_equal(b.len, 200004);
    assert_memory_equal(b.data, big, 200000);
    assert_memory_equal(b.data + 200000, "tail", 4);
    tg_input_close(in);
    tg_buf_free(&b);
    free(cat);
    free(g1);
    free(g2);
    free(big);
}

static void test_gzip_trailing_bytes(void **state)
{
    (void)state;
    unsigned char *g;
    size_t n;
    gzip_mem("hello\n", 6, &g, &n);
    unsigned char *p = calloc(n + 512, 1);
    memcpy(p, g, n);

    /* Zero padding after the last member (tape blocks) is harmless. */
    tg_input *in = tg_input_open_mem((char *)p, n + 512, 0);
    char *all;
    size_t len;
    assert_int_equal(tg_input_slurp(in, &all, &len), TG_OK);
    assert_string_equal(all, "hello\n");
    free(all);
    tg_input_close(in);

    /* Anything else is not gzip data and is reported. */
    memcpy(p + n, "junk", 4);
    in = tg_input_open_mem((char *)p, n + 4, 0);
    assert_int_equal(tg_input_slurp(in, &all, &len), TG_ERR_FORMAT);
    assert_null(all);
    assert_string_equal(tg_input_errmsg(in), "trailing garbage after gzip data");
    tg_input_close(in);
    free(p);
    free(g);
}

static void test_gzip_truncated(void **state)
{
    (void)state;
    char *text = make_text(100000, 4);
    unsigned char *g;
    size_t n;
    gzip_mem(text, 100000, &g, &n);
    /* Cut in the header, in the deflate data, and in the 8-byte trailer. */
    size_t cuts[] = { 2, 5, 11, n / 2, n - 5, n - 1 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        tg_input *in = tg_input_open_mem((char *)g, cuts[i], 0);
        assert_non_null(in);
        assert_true(tg_input_is_gzip(in));
        tg_buf b = {0};
        assert_int_equal(read_all(in, &b, 4096), -1);
        assert_int_equal(tg_input_failed(in), TG_ERR_FORMAT);
        assert_string_equal(tg_input_errmsg(in), "truncated gzip data");
        /* What was decoded before the cut is a prefix of the text. */
        assert_true(b.len <= 100000);
        if (b.len)
            assert_memory_equal(b.data, text, b.len);
        /* Failure is sticky. */
        char c;
        assert_int_equal(tg_input_read(in, &c, 1), -1);
        size_t len;
        assert_null(tg_input_getline(in, &len));
        tg_input_close(in);
        tg_buf_free(&b);
    }

    /* The same through a file and getline. */
    char *path = temp_path(".gz");
    write_file(path, g, n / 2);
    char err[256];
    tg_input *in = tg_input_open(path, 0, err, sizeof err);
    assert_non_null(in);
    size_t len, lines = 0;
    while (tg_input_getline(in, &len))
        lines++;
    assert_true(lines > 0);
    assert_int_equal(tg_input_failed(in), TG_ERR_FORMAT);
    assert_string_equal(tg_input_errmsg(in), "truncated gzip data");
    tg_input_close(in);
    unlink(path);
    free(path);
    free(g);
    free(text);
}

static void test_gzip_corrupt(void **state)
{
    (void)state;
    char *text = make_text(50000, 5);
    unsigned char *g;
    size_t n;
    gzip_mem(text, 50000, &g, &n);

    /* The first deflate byte (after the 10-byte header) with BTYPE = 3,
     * which deflate does not define. */
    unsigned char *bad = malloc(n);
    memcpy(bad, g, n);
    bad[10] = 0xff;
    tg_input *in = tg_input_open_mem((char *)bad, n, 0);
    char *all;
    size_t len;
    assert_int_equal(tg_input_slurp(in, &all, &len), TG_ERR_FORMAT);
    assert_null(all);
    assert_int_equal(tg_input_failed(in), TG_ERR_FORMAT);
    assert_string_equal(tg_input_errmsg(in), "corrupt gzip data: invalid block type");
    tg_input_close(in);

    /* A wrong CRC in the trailer: every byte inflates, the check fails. */
    memcpy(bad, g, n);
    bad[n - 8] ^= 0x55;
    in = tg_input_open_mem((char *)bad, n, 0);
    assert_int_equal(tg_input_slurp(in, &all, &len), TG_ERR_FORMAT);
    assert_string_equal(tg_input_errmsg(in), "corrupt gzip data: incorrect data check");
    tg_input_close(in);

    free(bad);
    free(g);
    free(text);
}

static void test_gzip_bomb_cap(void **state)
{
    (void)state;
    /* 16 MiB of zeros compress to about 16 KiB. */
    size_t big = (size_t)16 << 20;
    char *zeros = calloc(big, 1);
    unsigned char *g;
    size_t n;
    gzip_mem(zeros, big, &g, &n);
    free(zeros);
    assert_true(n < 100000);

    tg_input *in = tg_input_open_mem((char *)g, n, (uint64_t)1 << 20);
    char buf[65536];
    long r;
    uint64_t total = 0;
    while ((r = tg_input_read(in, buf, sizeof buf)) > 0)
        total += (uint64_t)r;
    assert_int_equal(r, -1);
    assert_true(total <= (uint64_t)1 << 20);
    assert_int_equal(tg_input_failed(in), TG_ERR_LIMIT);
    assert_string_equal(tg_input_errmsg(in),
                        "decompressed size exceeds 1048576 bytes (gzip bomb?)");
    tg_input_close(in);

    /* Slurp stops at the cap too, and says so. */
    in = tg_input_open_mem((char *)g, n, 1000);
    char *all;
    size_t len;
    assert_int_equal(tg_input_slurp(in, &all, &len), TG_ERR_LIMIT);
    assert_null(all);
    tg_input_close(in);
    free(g);

    /* Exactly at the cap is fine; one byte over is not. */
    gzip_mem("0123456789", 10, &g, &n);
    in = tg_input_open_mem((char *)g, n, 10);
    assert_int_equal(tg_input_slurp(in, &all, &len), TG_OK);
    assert_int_equal(len, 10);
    free(all);
    tg_input_close(in);
    in = tg_input_open_mem((char *)g, n, 9);
    assert_int_equal(tg_input_slurp(in, &all, &len), TG_ERR_LIMIT);
    tg_input_close(in);
    free(g);

    /* A plain input has the same cap, with its own wording. */
    in = tg_input_open_mem("0123456789", 10, 9);
    assert_int_equal(tg_input_read(in, buf, sizeof buf), -1);
    assert_string_equal(tg_input_errmsg(in), "input size exceeds 9 bytes (the size cap)");
    tg_input_close(in);
}

/* ---- getline ------------------------------------------------------------ */

static void check_lines(tg_input *in, const char *const *want, size_t nwant)
{
    size_t len;
    for (size_t i = 0; i < nwant; i++) {
        const char *l = tg_input_getline(in, &len);
        assert_non_null(l);
        assert_string_equal(l, want[i]);
        assert_int_equal(len, strlen(want[i]));
        assert_int_equal(tg_input_lineno(in), i + 1);
    }
    assert_null(tg_input_getline(in, &len));
    assert_int_equal(tg_input_failed(in), 0);
}

static void test_getline_endings(void **state)
{
    (void)state;
    static const char data[] = "unix\nwindows\r\n\n\r\nlast line";
    static const char *const want[] = { "unix", "windows", "", "", "last line" };
    tg_input *in = tg_input_open_mem(data, sizeof data - 1, 0);
    check_lines(in, want, 5);
    assert_int_equal(tg_input_bytes_out(in), sizeof data - 1);
    tg_input_close(in);

    /* A final newline does not make an extra empty line. */
    static const char *const two[] = { "a", "b" };
    in = tg_input_open_mem("a\nb\n", 4, 0);
    check_lines(in, two, 2);
    tg_input_close(in);

    static const char *const one_empty[] = { "" };
    in = tg_input_open_mem("\n", 1, 0);
    check_lines(in, one_empty, 1);
    tg_input_close(in);

    /* Only the \r right before the \n is a line ending. */
    static const char *const cr[] = { "a\rb", "c\r" };
    in = tg_input_open_mem("a\rb\r\nc\r\r\n", 9, 0);
    check_lines(in, cr, 2);
    tg_input_close(in);

    /* The same through gzip. */
    unsigned char *g;
    size_t n;
    gzip_mem(data, sizeof data - 1, &g, &n);
    in = tg_input_open_mem((char *)g, n, 0);
    check_lines(in, want, 5);
    tg_input_close(in);
    free(g);
}

static void test_getline_long_lines(void **state)
{
    (void)state;
    /* Lines longer than the internal buffer, crossing refills. */
    size_t n1 = 200000, n2 = 70000;
    size_t total = n1 + 1 + n2 + 2 + 3;
    char *data = malloc(total);
    memset(data, 'x', n1);
    data[n1] = '\n';
    memset(data + n1 + 1, 'y', n2);
    memcpy(data + n1 + 1 + n2, "\r\nend", 5);
    for (int gz = 0; gz < 2; gz++) {
        unsigned char *g = NULL;
        size_t gn = 0;
        tg_input *in;
        if (gz) {
            gzip_mem(data, total, &g, &gn);
            in = tg_input_open_mem((char *)g, gn, 0);
        } else {
            in = tg_input_open_mem(data, total, 0);
        }
        size_t len;
        const char *l = tg_input_getline(in, &len);
        assert_non_null(l);
        assert_int_equal(len, n1);
        assert_int_equal(strlen(l), n1);
        assert_true(l[0] == 'x' && l[n1 - 1] == 'x');
        l = tg_input_getline(in, &len);
        assert_non_null(l);
        assert_int_equal(len, n2);
        assert_true(l[0] == 'y' && l[n2 - 1] == 'y' && l[n2] == '\0');
        assert_string_equal(tg_input_getline(in, &len), "end");
        assert_null(tg_input_getline(in, &len));
        assert_int_equal(tg_input_failed(in), 0);
        tg_input_close(in);
        free(g);
    }
    free(data);
}

static void test_getline_cap(void **state)
{
    (void)state;
    static const char data[] = "0123456789\n01234567890\nnever read\n";
    tg_input *in = tg_input_open_mem(data, sizeof data - 1, 0);
    tg_input_set_max_line(in, 10);
    size_t len;
    assert_string_equal(tg_input_getline(in, &len), "0123456789");
    assert_null(tg_input_getline(in, &len));
    assert_int_equal(tg_input_failed(in), TG_ERR_LIMIT);
    assert_string_equal(tg_input_errmsg(in), "line 2 is longer than 10 bytes");
    assert_null(tg_input_getline(in, &len));
    tg_input_close(in);

    /* The cap applies to a line without a newline too, across refills. */
    size_t n = 300000;
    char *big = malloc(n);
    memset(big, 'z', n);
    in = tg_input_open_mem(big, n, 0);
    tg_input_set_max_line(in, 100000);
    assert_null(tg_input_getline(in, &len));
    assert_int_equal(tg_input_failed(in), TG_ERR_LIMIT);
    assert_string_equal(tg_input_errmsg(in), "line 1 is longer than 100000 bytes");
    tg_input_close(in);

    /* 0 restores the 64 MiB default. */
    in = tg_input_open_mem(big, n, 0);
    tg_input_set_max_line(in, 10);
    tg_input_set_max_line(in, 0);
    assert_non_null(tg_input_getline(in, &len));
    assert_int_equal(len, n);
    tg_input_close(in);
    free(big);
}

/* ---- peek, slurp, mixing ------------------------------------------------ */

static void test_peek_does_not_consume(void **state)
{
    (void)state;
    static const char data[] = "{\"id\": 1}\nsecond line\n";
    unsigned char *g;
    size_t gn;
    gzip_mem(data, sizeof data - 1, &g, &gn);
    for (int gz = 0; gz < 2; gz++) {
        tg_input *in = gz ? tg_input_open_mem((char *)g, gn, 0)
                          : tg_input_open_mem(data, sizeof data - 1, 0);
        assert_int_equal(tg_input_is_gzip(in), gz);
        char head[64];
        assert_int_equal(tg_input_peek(in, head, 4), 4);
        assert_memory_equal(head, "{\"id", 4);
        /* Twice, and more than there is: the whole stream, still unread. */
        assert_int_equal(tg_input_peek(in, head, sizeof head), sizeof data - 1);
        assert_memory_equal(head, data, sizeof data - 1);
        assert_int_equal(tg_input_bytes_out(in), 0);
        size_t len;
        assert_string_equal(tg_input_getline(in, &len), "{\"id\": 1}");
        assert_int_equal(tg_input_lineno(in), 1);
        /* After a line, peek shows what comes next. */
        assert_int_equal(tg_input_peek(in, head, 6), 6);
        assert_memory_equal(head, "second", 6);
        assert_string_equal(tg_input_getline(in, &len), "second line");
        assert_null(tg_input_getline(in, &len));
        tg_input_close(in);
    }
    free(g);

    /* A peek larger than the internal buffer. */
    char *text = make_text(200000, 6);
    tg_input *in = tg_input_open_mem(text, 200000, 0);
    char *head = malloc(150000);
    assert_int_equal(tg_input_peek(in, head, 150000), 150000);
    assert_memory_equal(head, text, 150000);
    char *all;
    size_t len;
    assert_int_equal(tg_input_slurp(in, &all, &len), TG_OK);
    assert_int_equal(len, 200000);
    assert_memory_equal(all, text, 200000);
    free(all);
    free(head);
    tg_input_close(in);
    free(text);
}

static void test_mixed_reads_and_slurp(void **state)
{
    (void)state;
    static const char data[] = "header line\nABCDEFGHIJ rest of the data\nlast";
    tg_input *in = tg_input_open_mem(data, sizeof data - 1, 0);
    size_t len;
    assert_string_equal(tg_input_getline(in, &len), "header line");
    char buf[10];
    assert_int_equal(tg_input_read(in, buf, 10), 10);
    assert_memory_equal(buf, "ABCDEFGHIJ", 10);
    char *rest;
    assert_int_equal(tg_input_slurp(in, &rest, &len), TG_OK);
    assert_string_equal(rest, " rest of the data\nlast");
    assert_int_equal(len, strlen(rest));
    assert_int_equal(tg_input_bytes_out(in), sizeof data - 1);
    free(rest);
    tg_input_close(in);

    /* Bytes after a NUL are data like any other. */
    static const char nul[] = "a\0b\nc";
    in = tg_input_open_mem(nul, 5, 0);
    const char *l = tg_input_getline(in, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(l, "a\0b", 3);
    tg_input_close(in);
}

/* The cancel flag (the indexer's signal flag): once set, the next read of
 * any input fails with "interrupted", so a reader never waits on it. */
static void test_cancel_flag(void **state)
{
    (void)state;
    static volatile sig_atomic_t flag;
    static const char data[] = "line one\nline two\n";
    tg_input *in = tg_input_open_mem(data, sizeof data - 1, 0);
    assert_non_null(in);
    tg_input_set_cancel(&flag);
    char buf[4];
    assert_int_equal(tg_input_read(in, buf, sizeof buf), 4);
    flag = 1;
    char rest[64];
    long n = tg_input_read(in, rest, sizeof rest);
    /* What was buffered already may still come; then the read fails. */
    while (n > 0)
        n = tg_input_read(in, rest, sizeof rest);
    assert_int_equal(n, -1);
    assert_int_equal(tg_input_failed(in), TG_ERR_IO);
    assert_string_equal(tg_input_errmsg(in), "interrupted");
    tg_input_set_cancel(NULL);
    tg_input_close(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_file),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_gzip_file),
        cmocka_unit_test(test_gzip_concatenated_members),
        cmocka_unit_test(test_gzip_trailing_bytes),
        cmocka_unit_test(test_gzip_truncated),
        cmocka_unit_test(test_gzip_corrupt),
        cmocka_unit_test(test_gzip_bomb_cap),
        cmocka_unit_test(test_getline_endings),
        cmocka_unit_test(test_getline_long_lines),
        cmocka_unit_test(test_getline_cap),
        cmocka_unit_test(test_peek_does_not_consume),
        cmocka_unit_test(test_mixed_reads_and_slurp),
        cmocka_unit_test(test_cancel_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
