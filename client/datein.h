/* Dates as people type them (8-12-2026, 8/12, morgen, +7), read relative to an injectable "today"; pure, unit-tested by tests/test_client_date.c. */
#ifndef TAFEL_CLIENT_DATEIN_H
#define TAFEL_CLIENT_DATEIN_H

#include <stddef.h>
#include <stdint.h>

/* A calendar day. */
struct datein_day {
	int y, m, d;			/* 2026, 1..12, 1..31 */
};

enum datein_result {
	DATEIN_OK,
	DATEIN_EMPTY,			/* nothing typed */
	DATEIN_INVALID,			/* not a date, or no such day */
	DATEIN_FUTURE			/* a date of birth after today */
};

/*
 * Reads text as a day, relative to today:
 *   2026-12-08          ISO
 *   8-12-2026, 8/12/2026, 8.12.2026, 8-12-26   day first, as in Dutch
 *   8-12, 8/12, 8.12    the nearest such day (at most half a year back:
 *                       1-12 on 3 December 2026 is 2026-12-01, 15-1 is
 *                       2027-01-15); a caller that wants a day ahead says
 *                       when it lies in the past
 *   vandaag, morgen, overmorgen, today, tomorrow
 *   +7, +7d, +2w        days or weeks from today
 *   maandag .. zondag, monday .. sunday (also ma, di, ...)   the next one
 *                       after today
 *   3 september 2015, 3 sep 2015   a month by its name (Dutch or English)
 *   15 december         the nearest such day, as 8-12
 * Case and surrounding spaces do not matter.
 */
enum datein_result datein_parse(const char *text, struct datein_day today,
    struct datein_day *out);

/*
 * A date of birth: only the forms that name the year (2015-09-03, 3-9-2015,
 * 3.9.15, 3 september 2015); DATEIN_FUTURE for a day after today.
 */
enum datein_result datein_parse_birth(const char *text,
    struct datein_day today, struct datein_day *out);

/*
 * Reads text as a time of day: 13:30, 9:30, 9.30 (as often written in
 * Dutch), 930 or 0930; surrounding spaces do not matter.  1 and *hh, *mm
 * when it is one, else 0.
 */
int datein_parse_time(const char *text, int *hh, int *mm);

/* The day of unix time now in the local time zone (tafel runs in
 * Europe/Amsterdam: main() sets TZ). */
struct datein_day datein_today(int64_t now);

/* "2026-12-08" (what the server stores). */
void datein_format(struct datein_day d, char *buf, size_t len);

/* <0, 0, >0 as a is before, on, after b. */
int datein_cmp(struct datein_day a, struct datein_day b);

/* Whether y-m-d is a day of the calendar. */
int datein_valid(int y, int m, int d);

/* The day n days later (n may be negative). */
struct datein_day datein_add_days(struct datein_day d, int n);

#endif
