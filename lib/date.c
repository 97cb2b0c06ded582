/* date.c - the one date parser (tg_date.h): ISO, RFC 822 and spelled
 * dates for the readers, loose ISO bounds for the query's date filters.
 * The month table, leap years and days in a month live here only. */
#include "tg_date.h"
#include "tg_text.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
};
static const char *const weekday_names[7] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

int tg_date_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int tg_date_days_in_month(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && tg_date_is_leap(y) ? 29 : d[m - 1];
}

const char *tg_date_month_name(int m) { return m >= 1 && m <= 12 ? month_names[m - 1] : NULL; }

/* Which of names[] w[0..n) is, in full or cut to three letters or more:
 * its index + 1, or 0. */
static int match_name(const char *w, size_t n, const char *const *names, int count)
{
    if (n < 3)
        return 0;
    for (int i = 0; i < count; i++)
        if (n <= strlen(names[i]) && strncasecmp(w, names[i], n) == 0)
            return i + 1;
    return 0;
}

int tg_date_month(const char *w, size_t n) { return match_name(w, n, month_names, 12); }
int tg_date_weekday(const char *w, size_t n) { return match_name(w, n, weekday_names, 7); }

/* Reads min..max digits at s[*i] into *v; 0 when fewer than min. Stops
 * after max: a further digit is the caller's to refuse. */
static int read_digits(const char *s, size_t n, size_t *i, size_t min, size_t max, int *v)
{
    size_t k = 0;
    *v = 0;
    while (*i < n && k < max && isdigit((unsigned char)s[*i]))
        *v = *v * 10 + (s[(*i)++] - '0'), k++;
    return k >= min;
}

static int valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 0 && m <= 12 && d >= 0 &&
           d <= (m ? tg_date_days_in_month(y, m) : 0);
}

size_t tg_date_iso(const char *s, size_t n, int loose, tg_date *out)
{
    size_t i = 0, minw = loose ? 1 : 2;
    tg_date t = { 0, 0, 0 };
    if (!read_digits(s, n, &i, 4, 4, &t.y) || t.y < 1)
        return 0;
    if (i < n) {
        if (s[i++] != '-' || !read_digits(s, n, &i, minw, 2, &t.m) || t.m < 1 || t.m > 12)
            return 0;
        if (i < n) {
            if (s[i++] != '-' || !read_digits(s, n, &i, minw, 2, &t.d) || t.d < 1 ||
                t.d > tg_date_days_in_month(t.y, t.m))
                return 0;
        }
    }
    *out = t;
    return i;
}

void tg_date_format(const tg_date *d, char out[11])
{
    /* By hand: gcc cannot see the ranges and warns about snprintf. */
    char *p = out;
    *p++ = (char)('0' + d->y / 1000 % 10);
    *p++ = (char)('0' + d->y / 100 % 10);
    *p++ = (char)('0' + d->y / 10 % 10);
    *p++ = (char)('0' + d->y % 10);
    if (d->m) {
        *p++ = '-';
        *p++ = (char)('0' + d->m / 10);
        *p++ = (char)('0' + d->m % 10);
        if (d->d) {
            *p++ = '-';
            *p++ = (char)('0' + d->d / 10);
            *p++ = (char)('0' + d->d % 10);
        }
    }
    *p = '\0';
}

int tg_date_bound(const char *s, size_t n, int hi, char out[9])
{
    tg_date d;
    if (!s || tg_date_iso(s, n, 1, &d) != n || n == 0)
        return -1;
    if (!d.m)
        d.m = hi ? 12 : 1;
    if (!d.d)
        d.d = hi ? tg_date_days_in_month(d.y, d.m) : 1;
    char tmp[11];
    tg_date_format(&d, tmp);   /* YYYY-MM-DD */
    memcpy(out, tmp, 4);
    memcpy(out + 4, tmp + 5, 2);
    memcpy(out + 6, tmp + 8, 2);
    out[8] = '\0';
    return 0;
}

/* ---- spelled dates ------------------------------------------------------- */

/* Words of letters, and numbers, in order: "Tue, 13 Sep 2016 17:00:00"
 * -> tue 13 sep 2016 (a time ends the date part). */
typedef struct {
    const char *s;
    size_t n;
    int isnum;
} word;

static int num(const word *w)
{
    int v = 0;
    for (size_t i = 0; i < w->n && i < 4; i++)
        v = v * 10 + (w->s[i] - '0');
    return v;
}

static int split_words(const char *s, size_t n, word *w, int max)
{
    int nw = 0;
    for (size_t i = 0; i < n && nw < max;) {
        int alpha = isalpha((unsigned char)s[i]) != 0;
        if (!alpha && !isdigit((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t k = i;
        while (k < n && (alpha ? isalpha((unsigned char)s[k]) : isdigit((unsigned char)s[k])))
            k++;
        if (!alpha && k < n && s[k] == ':')
            break;   /* "17:00" */
        w[nw++] = (word){ s + i, k - i, !alpha };
        i = k;
    }
    return nw;
}

/* "13 Sep 2016", "September 13, 2016", "Tuesday, 13 September 2016": the
 * first month name, with a day number and a year on either side. */
static int spelled_date(const char *s, size_t n, char out[11])
{
    word w[12];
    int nw = split_words(s, n, w, 12);
    for (int i = 0; i < nw; i++) {
        int m = w[i].isnum ? 0 : tg_date_month(w[i].s, w[i].n);
        if (!m)
            continue;
        const word *day, *year;
        if (i + 2 < nw && w[i + 1].isnum && w[i + 2].isnum && w[i + 1].n <= 2) {
            day = &w[i + 1]; /* September 13, 2016 */
            year = &w[i + 2];
        } else if (i >= 1 && i + 1 < nw && w[i - 1].isnum && w[i + 1].isnum &&
                   w[i - 1].n <= 2) {
            day = &w[i - 1]; /* 13 September 2016 */
            year = &w[i + 1];
        } else {
            return 0;
        }
        tg_date d = { num(year), m, num(day) };
        if (year->n == 2) /* RFC 822 allows two digits */
            d.y += d.y >= 70 ? 1900 : 2000;
        else if (year->n != 4)
            return 0;
        if (d.d < 1 || !valid(d.y, d.m, d.d))
            return 0;
        tg_date_format(&d, out);
        return 1;
    }
    return 0;
}

int tg_date_parse(const char *s, size_t n, char out[11])
{
    if (!s)
        return 0;
    for (size_t w; (w = tg_utf8_space_len(s, n)) > 0;)
        s += w, n -= w;
    for (size_t w; (w = tg_utf8_space_len_back(s, n)) > 0;)
        n -= w;
    int digits4 = n >= 4;
    for (size_t i = 0; i < 4 && digits4; i++)
        digits4 = isdigit((unsigned char)s[i]) != 0;
    if (digits4 && (n == 4 || s[4] == '-')) {
        /* ISO: only a time may follow a whole date. */
        tg_date d;
        size_t used = tg_date_iso(s, n, 0, &d);
        if (!used || (used < n && s[used] != 'T' && s[used] != 't' && s[used] != ' '))
            return 0;
        tg_date_format(&d, out);
        return 1;
    }
    return spelled_date(s, n, out);
}

/* ---- a date line ------------------------------------------------------- */

static size_t letters_at(const char *p, const char *end)
{
    size_t n = 0;
    while (p + n < end && isalpha((unsigned char)p[n]))
        n++;
    return n;
}

static void skip_blanks(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
}

/* Skips "[.] [,] " after a name (punct '.') or a number (punct ','). */
static void skip_after(const char **p, const char *end, char punct)
{
    if (punct == '.' && *p < end && **p == '.')
        (*p)++;
    skip_blanks(p, end);
    if (*p < end && **p == ',')
        (*p)++;
    skip_blanks(p, end);
}

int tg_date_parse_line(const char *s, size_t n, char out[11])
{
    const char *p = s, *end = s + n;
    size_t w = letters_at(p, end);
    if (tg_date_weekday(p, w)) {
        p += w;
        skip_after(&p, end, '.');
        w = letters_at(p, end);
    }
    tg_date d = { 0, tg_date_month(p, w), 0 };
    if (!d.m)
        return 0;
    p += w;
    if (p < end && *p == '.')
        p++;
    skip_blanks(&p, end);
    size_t nd = 0, ny = 0;
    while (p < end && isdigit((unsigned char)*p) && nd < 3)
        d.d = d.d * 10 + (*p++ - '0'), nd++;
    if (nd == 0 || nd > 2)
        return 0;
    skip_after(&p, end, ',');
    while (p < end && isdigit((unsigned char)*p) && ny < 5)
        d.y = d.y * 10 + (*p++ - '0'), ny++;
    if (ny != 4 || p != end || d.d < 1 || !valid(d.y, d.m, d.d))
        return 0;
    tg_date_format(&d, out);
    return 1;
}
