/*
 * test_buf.c - the one way to grow an array (tg_array_reserve,
 * TG_ARRAY_RESERVE in tg_buf.h) and the byte buffer built on it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tg_buf.h"

typedef struct {
    double x;
    char tag[13];
} item;

static void test_array_grows(void **state)
{
    (void)state;
    item *v = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 1000; n++) {
        assert_int_equal(TG_ARRAY_RESERVE(v, cap, n + 1), TG_OK);
        assert_true(cap >= n + 1);
        v[n].x = (double)n;
        memset(v[n].tag, (int)(n % 250) + 1, sizeof v[n].tag);
    }
    /* What was there survives each move. */
    for (size_t n = 0; n < 1000; n++) {
        assert_true(v[n].x == (double)n);
        assert_int_equal((unsigned char)v[n].tag[12], n % 250 + 1);
    }
    /* Room enough: nothing moves. */
    item *before = v;
    size_t cap_before = cap;
    assert_int_equal(TG_ARRAY_RESERVE(v, cap, 10), TG_OK);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, cap_before);
    free(v);
}

static void test_array_overflow(void **state)
{
    (void)state;
    char **v = NULL;
    size_t cap = 0;
    assert_int_equal(TG_ARRAY_RESERVE(v, cap, 3), TG_OK);
    char **before = v;
    size_t cap_before = cap;
    /* More elements than memory can address: refused, array untouched. */
    assert_int_equal(TG_ARRAY_RESERVE(v, cap, SIZE_MAX / sizeof *v + 1), TG_ERR_NOMEM);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, cap_before);
    free(v);
}

static void test_buf_append(void **state)
{
    (void)state;
    tg_buf b = {0};
    assert_string_equal(tg_buf_str(&b), "");
    for (int i = 0; i < 200; i++)
        assert_int_equal(tg_buf_printf(&b, "%d,", i % 10), TG_OK);
    assert_int_equal(b.len, 400);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
    assert_int_equal(tg_buf_reserve(&b, SIZE_MAX), TG_ERR_NOMEM);
    assert_int_equal(b.len, 400);
    tg_buf_free(&b);
    assert_int_equal(b.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_grows),
        cmocka_unit_test(test_array_overflow),
        cmocka_unit_test(test_buf_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
