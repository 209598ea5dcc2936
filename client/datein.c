/* Dates as people type them, read relative to an injectable "today": day-first numbers, day names, "morgen", "+7". */
#include "datein.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int
datein_valid(int y, int m, int d)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

/* Days since 1970-01-01 (proleptic Gregorian), and back. */
static long
to_days(struct datein_day d)
{
	long y = d.y - (d.m <= 2), era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static struct datein_day
from_days(long z)
{
	struct datein_day r;
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

struct datein_day
datein_add_days(struct datein_day d, int n)
{
	return from_days(to_days(d) + n);
}

int
datein_cmp(struct datein_day a, struct datein_day b)
{
	long x = to_days(a), y = to_days(b);

	return x < y ? -1 : x > y;
}

void
datein_format(struct datein_day d, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d", d.y, d.m, d.d);
}

/* The process runs in Europe/Amsterdam: main() sets TZ before anything. */
struct datein_day
datein_today(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	struct datein_day r = { 1970, 1, 1 };

	if (localtime_r(&t, &tm) != NULL) {
		r.y = tm.tm_year + 1900;
		r.m = tm.tm_mon + 1;
		r.d = tm.tm_mday;
	}
	return r;
}

/* Weekday 0 = Monday .. 6 = Sunday. */
static int
weekday(struct datein_day d)
{
	long n = to_days(d);		/* 1970-01-01 was a Thursday (3) */

	return (int)(((n % 7) + 7 + 3) % 7);
}

static int
day_name(const char *s)
{
	static const char *const names[][4] = {
		{ "maandag", "ma", "monday", "mon" },
		{ "dinsdag", "di", "tuesday", "tue" },
		{ "woensdag", "wo", "wednesday", "wed" },
		{ "donderdag", "do", "thursday", "thu" },
		{ "vrijdag", "vr", "friday", "fri" },
		{ "zaterdag", "za", "saturday", "sat" },
		{ "zondag", "zo", "sunday", "sun" },
	};

	for (int i = 0; i < 7; i++)
		for (int k = 0; k < 4; k++)
			if (strcasecmp(s, names[i][k]) == 0)
				return i;
	return -1;
}

/* 1..12 for a month's name (Dutch or English, whole or its first three
 * letters, "sept" too), else 0. */
static int
month_name(const char *s)
{
	static const char *const names[][3] = {
		{ "januari", "january", "jan" }, { "februari", "february", "feb" },
		{ "maart", "march", "mrt" }, { "april", "april", "apr" },
		{ "mei", "may", "mei" }, { "juni", "june", "jun" },
		{ "juli", "july", "jul" }, { "augustus", "august", "aug" },
		{ "september", "september", "sept" },
		{ "oktober", "october", "okt" }, { "november", "november", "nov" },
		{ "december", "december", "dec" },
	};
	size_t len = strlen(s);

	for (int i = 0; i < 12; i++)
		for (int k = 0; k < 3; k++)
			if (strcasecmp(s, names[i][k]) == 0 || (len == 3 &&
			    strncasecmp(s, names[i][k], 3) == 0))
				return i + 1;
	return 0;
}

/*
 * "3 september 2015", "3 sep", "15 december": a day, a month's name and
 * perhaps a year.  1 with *out set (not checked), 0 when text is not of
 * this form; *has_year says whether it named the year.
 */
static int
words(const char *s, struct datein_day *out, int *has_year)
{
	char mon[16];
	int d, y, n = 0, m;

	if (sscanf(s, "%2d %15[A-Za-z] %n", &d, mon, &n) != 2 || n == 0 ||
	    (m = month_name(mon)) == 0)
		return 0;
	s += n;
	*has_year = *s != '\0';
	if (*has_year) {
		n = 0;
		if (sscanf(s, "%4d%n", &y, &n) != 1 || s[n] != '\0' || n != 4)
			return 0;
		out->y = y;
	}
	out->m = m, out->d = d;
	return 1;
}

/* Up to three numbers separated by one kind of separator (- / .). */
static int
numbers(const char *s, int v[3], int *nv, int *first_len)
{
	char sep = 0;

	*nv = 0;
	while (*s != '\0') {
		const char *start = s;
		long x = 0;

		if (*nv == 3 || !isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s) && s - start < 5)
			x = x * 10 + (*s++ - '0');
		if (isdigit((unsigned char)*s))
			return -1;
		if (*nv == 0)
			*first_len = (int)(s - start);
		v[(*nv)++] = (int)x;
		if (*s == '\0')
			break;
		if (*s != '-' && *s != '/' && *s != '.')
			return -1;
		if (sep != 0 && *s != sep)
			return -1;
		sep = *s++;
		if (*s == '\0')
			return -1;
	}
	return *nv >= 2 ? 0 : -1;
}

/* text without the spaces around it into s: DATEIN_OK, DATEIN_EMPTY, or
 * DATEIN_INVALID when it does not fit. */
static enum datein_result
trimmed(const char *text, char *s, size_t size)
{
	size_t len;

	while (isspace((unsigned char)*text))
		text++;
	len = strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 0)
		return DATEIN_EMPTY;
	if (len >= size)
		return DATEIN_INVALID;
	memcpy(s, text, len);
	s[len] = '\0';
	return DATEIN_OK;
}

/*
 * out's day and month in the year that puts it nearest to today (last
 * year, this year or next; half a year back at most, a tie goes ahead):
 * 1-12 on 3 December is two days ago, 15-1 next month.  29-2 with no leap
 * year that near: the next one.  0 when no year has that day.
 */
static int
nearest(struct datein_day today, struct datein_day *out)
{
	struct datein_day c = *out;
	long now = to_days(today), best = 0;
	int found = 0;

	for (c.y = today.y - 1; c.y <= today.y + 1; c.y++) {
		long diff;

		if (!datein_valid(c.y, c.m, c.d))
			continue;
		diff = to_days(c) - now;
		if (!found || labs(diff) < labs(best) ||
		    (labs(diff) == labs(best) && diff > 0)) {
			best = diff;
			out->y = c.y;
			found = 1;
		}
	}
	if (found && best >= -184)
		return 1;
	/* 29-2 far from a leap year: the next one after today */
	for (c.y = today.y; c.y <= today.y + 8; c.y++)
		if (datein_valid(c.y, c.m, c.d) && to_days(c) >= now) {
			out->y = c.y;
			return 1;
		}
	return 0;
}

enum datein_result
datein_parse(const char *text, struct datein_day today,
    struct datein_day *out)
{
	char s[64];
	int v[3], nv, first_len, wd, has_year;
	enum datein_result r;
	const char *p;

	if ((r = trimmed(text, s, sizeof s)) != DATEIN_OK)
		return r;

	if (strcasecmp(s, "vandaag") == 0 || strcasecmp(s, "today") == 0) {
		*out = today;
		return DATEIN_OK;
	}
	if (strcasecmp(s, "morgen") == 0 || strcasecmp(s, "tomorrow") == 0) {
		*out = datein_add_days(today, 1);
		return DATEIN_OK;
	}
	if (strcasecmp(s, "overmorgen") == 0) {
		*out = datein_add_days(today, 2);
		return DATEIN_OK;
	}
	if ((wd = day_name(s)) >= 0) {
		int ahead = (wd - weekday(today) + 7) % 7;

		*out = datein_add_days(today, ahead == 0 ? 7 : ahead);
		return DATEIN_OK;
	}
	if (s[0] == '+') {
		long n = 0;

		p = s + 1;
		if (!isdigit((unsigned char)*p))
			return DATEIN_INVALID;
		while (isdigit((unsigned char)*p) && n < 100000)
			n = n * 10 + (*p++ - '0');
		if (*p == 'w' || *p == 'W')
			n *= 7, p++;
		else if (*p == 'd' || *p == 'D')
			p++;
		if (*p != '\0' || n > 3660)
			return DATEIN_INVALID;
		*out = datein_add_days(today, (int)n);
		return DATEIN_OK;
	}
	if (words(s, out, &has_year)) {
		if (has_year)
			return datein_valid(out->y, out->m, out->d) ?
			    DATEIN_OK : DATEIN_INVALID;
		nv = 2;			/* 15 december: the nearest one */
	} else if (numbers(s, v, &nv, &first_len) != 0)
		return DATEIN_INVALID;
	else if (nv == 2)
		out->d = v[0], out->m = v[1];
	if (nv == 3 && first_len == 4) {		/* 2026-12-08 */
		out->y = v[0], out->m = v[1], out->d = v[2];
	} else if (nv == 3) {			/* 8-12-2026, 8-12-26 */
		out->d = v[0], out->m = v[1];
		out->y = v[2] < 100 ? 2000 + v[2] : v[2];
	} else if (!nearest(today, out))	/* 8-12: the nearest one */
		return DATEIN_INVALID;
	return datein_valid(out->y, out->m, out->d) ? DATEIN_OK :
	    DATEIN_INVALID;
}

enum datein_result
datein_parse_birth(const char *text, struct datein_day today,
    struct datein_day *out)
{
	int v[3], nv, first_len, has_year = 0;
	enum datein_result r;
	char s[64];

	if ((r = trimmed(text, s, sizeof s)) != DATEIN_OK)
		return r;
	/* only the forms that name the year; nothing relative to today */
	if (!(words(s, out, &has_year) && has_year) && (numbers(s, v, &nv,
	    &first_len) != 0 || nv != 3))
		return DATEIN_INVALID;
	if (datein_parse(s, today, out) != DATEIN_OK)
		return DATEIN_INVALID;
	return datein_cmp(*out, today) > 0 ? DATEIN_FUTURE : DATEIN_OK;
}

int
datein_parse_time(const char *text, int *hh, int *mm)
{
	const char *p = text + strspn(text, " \t");
	int h = 0, m = 0, nh = 0, nm = 0;

	while (isdigit((unsigned char)*p) && nh < 5)
		h = h * 10 + (*p++ - '0'), nh++;
	if (*p == ':' || *p == '.') {
		p++;
		while (isdigit((unsigned char)*p) && nm < 3)
			m = m * 10 + (*p++ - '0'), nm++;
		if (nh < 1 || nh > 2 || nm != 2)
			return 0;
	} else if (nh == 3 || nh == 4) {	/* 930, 0930, 1330 */
		m = h % 100;
		h /= 100;
	} else
		return 0;
	p += strspn(p, " \t");
	if (*p != '\0' || h > 23 || m > 59)
		return 0;
	*hh = h;
	*mm = m;
	return 1;
}
