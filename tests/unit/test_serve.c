/* test_serve.c - the server's pure parts: templates, escaping, strict
 * decoding of request targets, listen addresses, the page's links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "../../lib/serve_int.h"
#include "tg_assets.h"
#include "tg_output.h"
#include "tg_template.h"

static char *render(const char *tpl, const tg_tvar *v, size_t n, tg_status *st)
{
    tg_buf b = { 0 };
    *st = tg_template_render(tpl, v, n, &b);
    return tg_buf_steal(&b);
}

static void test_template_escapes_and_sections(void **state)
{
    (void)state;
    tg_tvar v[] = { { "q", "<b>\"x\" & 'y'</b>" }, { "raw", "<i>ok</i>" }, { "on", "1" },
                    { "off", "" } };
    tg_status st;
    char *s = render("[{{q}}|{{{raw}}}|{{#on}}A{{/on}}{{#off}}B{{/off}}{{^off}}C{{/off}}"
                     "{{^on}}D{{/on}}{{missing}}]", v, 4, &st);
    assert_int_equal(st, TG_OK);
    assert_string_equal(s, "[&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;|<i>ok</i>|AC]");
    free(s);
    /* Broken templates are refused whole, never half-rendered. */
    s = render("a{{#on}}b", v, 4, &st);
    assert_int_equal(st, TG_ERR_FORMAT);
    free(s);
    s = render("a{{q", v, 4, &st);
    assert_int_equal(st, TG_ERR_FORMAT);
    free(s);
}

static void test_every_template_parses(void **state)
{
    (void)state;
    int n = 0;
    for (const tg_asset *a = tg_assets; a->name; a++) {
        if (!strstr(a->name, ".html") && !strstr(a->name, ".svg"))
            continue;
        tg_status st;
        char *s = render(a->data, NULL, 0, &st);
        if (st)
            fail_msg("template %s does not parse", a->name);
        free(s);
        n++;
    }
    assert_true(n >= 5);
    assert_non_null(tg_asset_find("page.html"));
    assert_null(tg_asset_find("../page.html"));
}

static void test_url_decode_is_strict(void **state)
{
    (void)state;
    char *out, err[128];
    assert_int_equal(tg_url_decode("a%20b+c", 7, 1, &out, err, sizeof err), 0);
    assert_string_equal(out, "a b c");
    free(out);
    assert_int_equal(tg_url_decode("%C3%A9", 6, 1, &out, err, sizeof err), 0);
    assert_string_equal(out, "\xC3\xA9");
    free(out);
    assert_int_equal(tg_url_decode("%ZZ", 3, 1, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "percent"));
    assert_int_equal(tg_url_decode("ab%4", 4, 1, &out, err, sizeof err), -1);
    assert_int_equal(tg_url_decode("%00", 3, 1, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "NUL"));
    assert_int_equal(tg_url_decode("%FF", 3, 1, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "UTF-8"));
    /* Overlong "/" and a UTF-16 surrogate are not UTF-8 either. */
    assert_int_equal(tg_url_decode("%C0%AF", 6, 1, &out, err, sizeof err), -1);
    assert_int_equal(tg_url_decode("%ED%A0%80", 9, 1, &out, err, sizeof err), -1);
}

static void test_params_bounds(void **state)
{
    (void)state;
    char *path, err[256];
    tg_params p;
    assert_int_equal(tg_params_parse("/api/search?q=camp+liberty&page=2&size=5&sort=date&x=1",
                                     &path, &p, err, sizeof err), 0);
    assert_string_equal(path, "/api/search");
    assert_string_equal(p.q, "camp liberty");
    assert_int_equal(p.page, 2);
    assert_int_equal(p.size, 5);
    assert_string_equal(p.sort, "date");
    free(path);
    tg_params_free(&p);
    assert_int_equal(tg_params_parse("/?q=a", &path, &p, err, sizeof err), 0);
    assert_int_equal(p.page, 1);
    assert_int_equal(p.size, 10);
    free(path);
    tg_params_free(&p);
    const char *bad[] = { "/?q=a&size=0", "/?q=a&size=101", "/?q=a&page=-1", "/?q=a&page=1x",
                          "/?q=a&sort=popular", "/?q=a&page=20000&size=10", "/?q=%E2%82",
                          "/a%2", NULL };
    for (int i = 0; bad[i]; i++) {
        if (tg_params_parse(bad[i], &path, &p, err, sizeof err) == 0)
            fail_msg("%s accepted", bad[i]);
        assert_null(path);
        assert_true(strlen(err) > 5);
    }
    /* The query's bound is the library's. */
    size_t n = TG_SEARCH_MAX_QUERY_BYTES + 1;
    char *uri = malloc(n + 8);
    memcpy(uri, "/?q=", 4);
    memset(uri + 4, 'a', n);
    uri[4 + n] = '\0';
    assert_int_equal(tg_params_parse(uri, &path, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "bytes"));
    uri[4 + n - 1] = '\0';
    assert_int_equal(tg_params_parse(uri, &path, &p, err, sizeof err), 0);
    free(path);
    tg_params_free(&p);
    free(uri);
}

static void test_listen_addresses(void **state)
{
    (void)state;
    struct sockaddr_storage ss;
    size_t len;
    char err[128];
    assert_int_equal(tg_serve_parse_listen("8080", &ss, &len, err, sizeof err), 0);
    assert_int_equal(ss.ss_family, AF_INET);
    assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 8080);
    assert_int_equal(tg_serve_parse_listen("[::1]:0", &ss, &len, err, sizeof err), 0);
    assert_int_equal(ss.ss_family, AF_INET6);
    assert_int_equal(tg_serve_parse_listen("localhost:9", &ss, &len, err, sizeof err), 0);
    assert_int_equal(tg_serve_parse_listen("127.0.0.1:65536", &ss, &len, err, sizeof err), -1);
    assert_int_equal(tg_serve_parse_listen("example.org:80", &ss, &len, err, sizeof err), -1);
    assert_non_null(strstr(err, "IP address"));
}

static void test_links_and_marks(void **state)
{
    (void)state;
    tg_buf b = { 0 };
    tg_web_query wq = { .q = "Camp Liberty & co", .from = "2016", .tag = "Field notes",
                        .sort_date = 1, .size = 20, .page = 3 };
    assert_int_equal(tg_web_query_url(&wq, 4, 0, NULL, &b), TG_OK);
    assert_string_equal(tg_buf_str(&b),
                        "/?q=Camp%20Liberty%20%26%20co&from=2016&tag=Field%20notes&sort=date&size=20&page=4");
    tg_buf_clear(&b);
    assert_int_equal(tg_web_query_url(&wq, 0, 2014, "", &b), TG_OK);
    assert_string_equal(tg_buf_str(&b),
                        "/?q=Camp%20Liberty%20%26%20co&from=2014&to=2014&sort=date&size=20");
    tg_buf_clear(&b);
    tg_span spans[] = { { 0, 3 }, { 8, 11 } };
    assert_int_equal(tg_render_html_marked("<a> and <b>", 11, spans, 2, &b), TG_OK);
    assert_string_equal(tg_buf_str(&b), "<mark>&lt;a&gt;</mark> and <mark>&lt;b&gt;</mark>");
    tg_buf_clear(&b);
    tg_span name[] = { { 4, 8 }, { 9, 16 }, { 21, 25 } };
    assert_int_equal(tg_render_html_marked("Was Camp Liberty and Camp", 25, name, 3, &b), TG_OK);
    assert_string_equal(tg_buf_str(&b), "Was <mark>Camp Liberty</mark> and <mark>Camp</mark>");
    tg_buf_free(&b);
    assert_true(tg_is_web_url("https://x.org/a"));
    assert_false(tg_is_web_url("corpus/a.txt"));
    assert_false(tg_is_web_url("javascript:alert(1)"));
}

static void test_cache_revision_and_budget(void **state)
{
    (void)state;
    tg_cache *c = tg_cache_new(4000);
    char *body;
    size_t len, n, bytes;
    const char *mime;
    tg_cache_put(c, "/api/search?q=a", 7, "application/json", "{\"a\":1}", 7);
    assert_int_equal(tg_cache_get(c, "/api/search?q=a", 7, &body, &len, &mime), 1);
    assert_int_equal(len, 7);
    assert_memory_equal(body, "{\"a\":1}", 7);
    assert_string_equal(mime, "application/json");
    free(body);
    assert_int_equal(tg_cache_get(c, "/api/search?q=b", 7, &body, &len, &mime), 0);
    /* A commit (a new revision) makes the entry stale: not served, dropped. */
    assert_int_equal(tg_cache_get(c, "/api/search?q=a", 8, &body, &len, &mime), 0);
    tg_cache_stats(c, &n, &bytes);
    assert_int_equal(n, 0);
    assert_int_equal(bytes, 0);
    /* The budget holds: old entries go first, the recently used stay. */
    char key[32], big[300];
    memset(big, 'x', sizeof big);
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "/?q=%d", i);
        tg_cache_put(c, key, 1, "text/html", big, sizeof big);
        if (i >= 1 && tg_cache_get(c, "/?q=0", 1, &body, &len, &mime))
            free(body);   /* keep /?q=0 the most recent */
    }
    tg_cache_stats(c, &n, &bytes);
    assert_true(bytes <= 4000);
    assert_true(n >= 5);
    assert_int_equal(tg_cache_get(c, "/?q=0", 1, &body, &len, &mime), 1);
    free(body);
    assert_int_equal(tg_cache_get(c, "/?q=1", 1, &body, &len, &mime), 0);
    assert_int_equal(tg_cache_get(c, "/?q=39", 1, &body, &len, &mime), 1);
    free(body);
    /* An answer bigger than an eighth of the budget is not kept. */
    char huge[600] = { 0 };
    tg_cache_put(c, "/huge", 1, "text/html", huge, sizeof huge);
    assert_int_equal(tg_cache_get(c, "/huge", 1, &body, &len, &mime), 0);
    tg_cache_free(c);
    tg_cache_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_escapes_and_sections),
        cmocka_unit_test(test_every_template_parses),
        cmocka_unit_test(test_url_decode_is_strict),
        cmocka_unit_test(test_params_bounds),
        cmocka_unit_test(test_listen_addresses),
        cmocka_unit_test(test_links_and_marks),
        cmocka_unit_test(test_cache_revision_and_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
