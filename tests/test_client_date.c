/* Unit tests of the client's date input: the forms people type, relative to an injected "today". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "datein.h"

static const struct datein_day today = { 2026, 12, 1 };	/* a Tuesday */

/* text → "YYYY-MM-DD", or "invalid" / "empty". */
static const char *
parse(const char *text, struct datein_day t)
{
	static char buf[32];
	struct datein_day d;

	switch (datein_parse(text, t, &d)) {
	case DATEIN_OK:
		datein_format(d, buf, sizeof buf);
		return buf;
	case DATEIN_EMPTY:
		return "empty";
	default:
		return "invalid";
	}
}

static void
test_numeric(void **state)
{
	(void)state;
	assert_string_equal(parse("2026-12-08", today), "2026-12-08");
	assert_string_equal(parse("8-12-2026", today), "2026-12-08");
	assert_string_equal(parse("08/12/2026", today), "2026-12-08");
	assert_string_equal(parse("8.12.2026", today), "2026-12-08");
	assert_string_equal(parse("8-12-26", today), "2026-12-08");
	assert_string_equal(parse("  8-12-2026 ", today), "2026-12-08");
	assert_string_equal(parse("29-2-2028", today), "2028-02-29");
}

/* Without a year: the nearest such day, at most half a year back (a day
 * just gone is not a year ahead, where it would never be overdue). */
static void
test_no_year(void **state)
{
	static const struct datein_day dec3 = { 2026, 12, 3 };
	static const struct datein_day jun1 = { 2026, 6, 1 };
	static const struct datein_day aug31 = { 2027, 8, 31 };
	static const struct datein_day jan10 = { 2029, 1, 10 };
	static const struct datein_day mar1 = { 2028, 3, 1 };

	(void)state;
	assert_string_equal(parse("8/12", today), "2026-12-08");
	assert_string_equal(parse("1-12", today), "2026-12-01");	/* today */
	assert_string_equal(parse("30/11", today), "2026-11-30");
	assert_string_equal(parse("15-1", today), "2027-01-15");
	assert_string_equal(parse("29-2", today), "2028-02-29");
	/* the tester's case: two days ago, not next year */
	assert_string_equal(parse("1-12", dec3), "2026-12-01");
	assert_string_equal(parse("15-1", dec3), "2027-01-15");
	assert_string_equal(parse("3-6", dec3), "2027-06-03");
	assert_string_equal(parse("4-6", dec3), "2026-06-04");
	/* across the turn of the year, both ways */
	assert_string_equal(parse("20-12", jan10), "2028-12-20");
	assert_string_equal(parse("20-1", jan10), "2029-01-20");
	assert_string_equal(parse("1-7", jan10), "2029-07-01");
	/* half a year either way: the nearer, a tie (183 days) goes ahead */
	assert_string_equal(parse("1-12", jun1), "2025-12-01");
	assert_string_equal(parse("1-3", aug31), "2028-03-01");
	/* 29-2 just gone; one far back is the next leap year instead */
	assert_string_equal(parse("29-2", mar1), "2028-02-29");
	assert_string_equal(parse("29-2", jan10), "2032-02-29");
	assert_string_equal(parse("31-4", today), "invalid");
	assert_string_equal(parse("15 november", dec3), "2026-11-15");
	assert_string_equal(parse("15 januari", dec3), "2027-01-15");
}

static void
test_words(void **state)
{
	(void)state;
	assert_string_equal(parse("vandaag", today), "2026-12-01");
	assert_string_equal(parse("Morgen", today), "2026-12-02");
	assert_string_equal(parse("overmorgen", today), "2026-12-03");
	assert_string_equal(parse("tomorrow", today), "2026-12-02");
	/* the next one after today: Tuesday itself is a week ahead */
	assert_string_equal(parse("dinsdag", today), "2026-12-08");
	assert_string_equal(parse("vrijdag", today), "2026-12-04");
	assert_string_equal(parse("ma", today), "2026-12-07");
}

/* A month by its name, as people say a date. */
static void
test_month_names(void **state)
{
	(void)state;
	assert_string_equal(parse("3 september 2015", today), "2015-09-03");
	assert_string_equal(parse("3 Sep 2015", today), "2015-09-03");
	assert_string_equal(parse("3 sept 2015", today), "2015-09-03");
	assert_string_equal(parse("1 mrt 2030", today), "2030-03-01");
	assert_string_equal(parse("15 december", today), "2026-12-15");
	assert_string_equal(parse("15 oktober", today), "2026-10-15");
	assert_string_equal(parse("1 may 2027", today), "2027-05-01");
	assert_string_equal(parse("31 februari 2012", today), "invalid");
	assert_string_equal(parse("3 septembre 2015", today), "invalid");
	assert_string_equal(parse("3 september 15", today), "invalid");
	assert_string_equal(parse("september 2015", today), "invalid");
}

/* text → "YYYY-MM-DD", or "invalid" / "future" / "empty". */
static const char *
birth(const char *text)
{
	static char buf[32];
	struct datein_day d;

	switch (datein_parse_birth(text, today, &d)) {
	case DATEIN_OK:
		datein_format(d, buf, sizeof buf);
		return buf;
	case DATEIN_EMPTY:
		return "empty";
	case DATEIN_FUTURE:
		return "future";
	default:
		return "invalid";
	}
}

/* A date of birth names its year; nothing relative to today. */
static void
test_birth(void **state)
{
	(void)state;
	assert_string_equal(birth("3-9-2015"), "2015-09-03");
	assert_string_equal(birth("2015-09-03"), "2015-09-03");
	assert_string_equal(birth("3 september 2015"), "2015-09-03");
	assert_string_equal(birth("1-12-2026"), "2026-12-01");	/* today */
	assert_string_equal(birth("2-12-2026"), "future");
	assert_string_equal(birth("31-2-2012"), "invalid");
	assert_string_equal(birth("3-9"), "invalid");
	assert_string_equal(birth("3 september"), "invalid");
	assert_string_equal(birth("morgen"), "invalid");
	assert_string_equal(birth("+7"), "invalid");
	assert_string_equal(birth("vrijdag"), "invalid");
	assert_string_equal(birth("Yilmaz"), "invalid");
	assert_string_equal(birth(""), "empty");
}

static void
test_relative(void **state)
{
	struct datein_day eoy = { 2026, 12, 28 };

	(void)state;
	assert_string_equal(parse("+7", today), "2026-12-08");
	assert_string_equal(parse("+0", today), "2026-12-01");
	assert_string_equal(parse("+2w", today), "2026-12-15");
	assert_string_equal(parse("+10d", eoy), "2027-01-07");
	assert_string_equal(parse("+", today), "invalid");
	assert_string_equal(parse("+7x", today), "invalid");
}

static void
test_invalid(void **state)
{
	(void)state;
	assert_string_equal(parse("", today), "empty");
	assert_string_equal(parse("   ", today), "empty");
	assert_string_equal(parse("31-11-2026", today), "invalid");
	assert_string_equal(parse("29-2-2027", today), "invalid");
	assert_string_equal(parse("2026-13-01", today), "invalid");
	assert_string_equal(parse("8-12/2026", today), "invalid");
	assert_string_equal(parse("8--12", today), "invalid");
	assert_string_equal(parse("8", today), "invalid");
	assert_string_equal(parse("volgende week", today), "invalid");
	assert_string_equal(parse("8-12-", today), "invalid");
}

static void
test_compare(void **state)
{
	struct datein_day a = { 2026, 11, 30 }, b = { 2027, 1, 1 };

	(void)state;
	assert_true(datein_cmp(a, today) < 0);
	assert_true(datein_cmp(b, today) > 0);
	assert_int_equal(datein_cmp(today, today), 0);
	assert_int_equal(datein_cmp(datein_add_days(today, -1), a), 0);
}

/* Late in the evening of 30 November UTC it is already 1 December in
 * Amsterdam. */
static void
test_today_amsterdam(void **state)
{
	struct datein_day d;

	(void)state;
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	d = datein_today(1796079600 + 1800);	/* 2026-11-30 23:30 UTC */
	assert_int_equal(d.y, 2026);
	assert_int_equal(d.m, 12);
	assert_int_equal(d.d, 1);
}

/* Times as typed: a colon or (Dutch) a dot, or only digits. */
static void
test_time(void **state)
{
	static const struct {
		const char *text;
		int hh, mm;	/* -1: refused */
	} cases[] = {
		{ "13:30", 13, 30 }, { "9:30", 9, 30 }, { "9.30", 9, 30 },
		{ "09.05", 9, 5 }, { " 7:15 ", 7, 15 }, { "930", 9, 30 },
		{ "0930", 9, 30 }, { "1330", 13, 30 }, { "0:00", 0, 0 },
		{ "23.59", 23, 59 }, { "24:00", -1, 0 }, { "9:60", -1, 0 },
		{ "9:3", -1, 0 }, { "9", -1, 0 }, { "", -1, 0 },
		{ "9:30x", -1, 0 }, { "9,30", -1, 0 }, { "12345", -1, 0 },
		{ "123:30", -1, 0 }, { ":30", -1, 0 }, { "2460", -1, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int hh = -1, mm = -1;
		int ok = datein_parse_time(cases[i].text, &hh, &mm);

		if (cases[i].hh < 0) {
			if (ok)
				fail_msg("'%s' taken as %d:%02d", cases[i].text,
				    hh, mm);
			continue;
		}
		if (!ok || hh != cases[i].hh || mm != cases[i].mm)
			fail_msg("'%s': %d %d:%d", cases[i].text, ok, hh, mm);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numeric),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_no_year),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_month_names),
		cmocka_unit_test(test_birth),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_today_amsterdam),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
