/*
 * tg_date.h - calendar dates: the one parser behind every reader's date
 * and the query's date filters.
 *
 * Dates are Gregorian and taken as written, in the writer's zone (no time
 * zone arithmetic). Years run 1..9999; a month or day that does not exist
 * (2015-02-29, "September 31") is no date. Nothing here allocates.
 */
#ifndef TG_DATE_H
#define TG_DATE_H

#include <stddef.h>

/* A date, possibly partial: m and d are 0 when not given ("2016", "2016-09"). */
typedef struct tg_date {
    int y, m, d;
} tg_date;

/* 1 when y is a leap year. */
int tg_date_is_leap(int y);
/* Days in month m (1..12) of year y; 0 when m is out of range. */
int tg_date_days_in_month(int y, int m);
/* The English name of month m (1..12), "January".."December"; NULL out of
 * range. Static storage. */
const char *tg_date_month_name(int m);
/* Which month w[0..n) names, in full or cut to at least three letters
 * ("Sep", "Sept"), without case: 1..12, or 0. */
int tg_date_month(const char *w, size_t n);
/* The same for weekdays: 1 (Monday) .. 7, or 0. */
int tg_date_weekday(const char *w, size_t n);

/* Reads "YYYY", "YYYY-MM" or "YYYY-MM-DD" at the start of s[0..n) into
 * *out and returns how many bytes it used (0: s does not start with a real
 * date). After a year or a month only "-" and the next part may follow;
 * what follows a whole date (a time, say) is left to the caller. loose: the
 * month and day may have one digit ("2016-9-1", as the query allows). */
size_t tg_date_iso(const char *s, size_t n, int loose, tg_date *out);

/* A date as a feed, page or export writes it - ISO 8601 ("2016-09-13",
 * "2016-09-13T10:00:00-07:00", "2016-09-13 17:00:00", "2016-09", "1981"),
 * RFC 822/2822 ("Tue, 13 Sep 2016 17:00:00 +0000", two-digit years as
 * 1970..2069), or spelled out ("Tuesday, September 13, 2016", "13 Sept
 * 2016") - with white space around it. Writes "YYYY[-MM[-DD]]" into
 * out[11] and returns 1, or returns 0 when s holds no valid date. */
int tg_date_parse(const char *s, size_t n, char out[11]);

/* Stricter, for a line that must be a date and nothing else: the whole of
 * s[0..n) is "[Weekday[.][,]] Month[.] D[,] YYYY" (as plain-text archives
 * head an article). Writes "YYYY-MM-DD" into out[11]; returns 1, or 0. */
int tg_date_parse_line(const char *s, size_t n, char out[11]);

/* Writes d as "YYYY", "YYYY-MM" or "YYYY-MM-DD" into out[11]. d must be
 * valid (as the parsers above return it). */
void tg_date_format(const tg_date *d, char out[11]);

/* The first (hi = 0) or last (hi = 1) day covered by the whole of s[0..n),
 * a loose ISO date ("2016", "2016-9", "2016-09-13"), as "YYYYMMDD" in
 * out[9]. Returns 0, or -1 when s is not a real date. */
int tg_date_bound(const char *s, size_t n, int hi, char out[9]);

#endif
