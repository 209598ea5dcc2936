/* Unit tests of the client's pure layout helpers: display-width padding, meeting order, filters, big digits. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "layout.h"

/* "↑" is three bytes and one column: the help texts line up by columns. */
static void
test_fit_wide(void **state)
{
	char a[64], b[64];

	(void)state;
	layout_fit(a, sizeof a, "↑ k", 6);
	layout_fit(b, sizeof b, "f", 6);
	assert_int_equal(layout_width(a), 6);
	assert_int_equal(layout_width(b), 6);
	assert_string_equal(a, "↑ k   ");
	assert_int_equal((int)strlen(a), 8);	/* bytes differ, columns not */
	layout_fit(a, sizeof a, "Özdemir 東京", 10);
	assert_string_equal(a, "Özdemir 東");
	layout_fit(a, sizeof a, "東京", 3);		/* never half a wide glyph */
	assert_string_equal(a, "東 ");
}

/* A table cell that cuts its text says so: "…" in its last column. */
static void
test_cell(void **state)
{
	char a[64];

	(void)state;
	layout_cell(a, sizeof a, "WZT Enschede", 14);	/* fits: padded */
	assert_string_equal(a, "WZT Enschede  ");
	layout_cell(a, sizeof a, "Casusoverleg huiselijk geweld", 16);
	assert_string_equal(a, "Casusoverleg hu…");
	assert_int_equal(layout_width(a), 16);
	layout_cell(a, sizeof a, "Casusoverleg huiselijk", 14);	/* at a space */
	assert_string_equal(a, "Casusoverleg… ");
	layout_cell(a, sizeof a, "東京東京", 6);	/* no half wide glyph */
	assert_string_equal(a, "東京… ");
	assert_int_equal(layout_width(a), 6);
}

/* A prompt's label cut in its middle keeps its question readable: the
 * last sentence whole when it fits, else a tail that starts at a word. */
static void
test_fit_middle(void **state)
{
	char a[256];

	(void)state;
	layout_fit_middle(a, sizeof a, "2026-0004: Bekend. Toelichting "
	    "(Enter behoudt deze)", 38);
	assert_string_equal(a, "2026-…Toelichting (Enter behoudt deze)");
	assert_int_equal(layout_width(a), 38);
	layout_fit_middle(a, sizeof a, "Overleg 'Casusoverleg Enschede "
	    "15:00' sluiten? (j/n)", 36);
	assert_string_equal(a, "Overleg 'Casus…15:00' sluiten? "
	    "(j/n)");
	assert_int_equal(layout_width(a), 36);
	/* ": " opens a list, not a sentence: the head keeps its words */
	layout_fit_middle(a, sizeof a, "District (bekend: Beheerdorp, Eemland, "
	    "Enschede, Enschede-Noord, Testdorp-Noord)", 60);
	assert_true(strncmp(a, "District (bekend: ", 18) == 0);
	assert_non_null(strstr(a, "…"));
	assert_true(layout_width(a) <= 60);
	layout_fit_middle(a, sizeof a, "Kort: past", 38);	/* fits */
	assert_string_equal(a, "Kort: past");
	/* no sentence and no word near the cut: cut where it falls */
	layout_fit_middle(a, sizeof a, "abcdefghijklmnopqrstuvwxyz", 10);
	assert_string_equal(a, "abcde…wxyz");
}

/* A search's best line: its start, then a word's start, then inside. */
static void
test_match_rank(void **state)
{
	(void)state;
	assert_int_equal(layout_match_rank(" Politie Eenheid Oost", "pol"), 0);
	assert_int_equal(layout_match_rank(" De Wering, forensische "
	    "polikliniek", "pol"), 1);
	assert_int_equal(layout_match_rank("Interpol", "pol"), 2);
	assert_int_equal(layout_match_rank("Interpol polder", "pol"), 1);
	assert_int_equal(layout_match_rank("GGZ", "pol"), -1);
	assert_int_equal(layout_match_rank("Özdemir", "özd"), 0);
	assert_int_equal(layout_match_rank("Raad (Kinderbescherming)", "kind"),
	    1);
	assert_int_equal(layout_match_rank("x", ""), 0);
	assert_true(layout_match("De Wering, forensische polikliniek", "POL"));
}

/* Lines of text wrapped at width, joined by "|". */
static void
wrap_all(const char *text, int width, char *out, size_t len)
{
	size_t o = 0, next;

	out[0] = '\0';
	while (*text != '\0') {
		size_t n = layout_wrap(text, width, &next);

		assert_true(next > 0);
		o += (size_t)snprintf(out + o, len - o, "%s%.*s", o ? "|" : "",
		    (int)n, text);
		text += next;
	}
}

static void
test_wrap(void **state)
{
	char out[512];

	wrap_all("Huisbezoek plannen met de wijkagent", 12, out, sizeof out);
	assert_string_equal(out, "Huisbezoek|plannen met|de wijkagent");
	wrap_all("kort", 12, out, sizeof out);
	assert_string_equal(out, "kort");
	/* a word longer than the line is cut inside it */
	wrap_all("abcdefghij klm", 4, out, sizeof out);
	assert_string_equal(out, "abcd|efgh|ij|klm");
	/* columns, not bytes: "é" is one column, "東" two */
	wrap_all("één twee 東京 drie", 9, out, sizeof out);
	assert_string_equal(out, "één twee|東京 drie");
	wrap_all("東京東京", 3, out, sizeof out);	/* never half a glyph */
	assert_string_equal(out, "東|京|東|京");
	/* spaces at a break are not carried to the next line */
	wrap_all("a   b", 2, out, sizeof out);
	assert_string_equal(out, "a|b");
	/* every line fits */
	wrap_all("Besluit: verlengen van het huisverbod en hulpverlening "
	    "starten via het wijkteam", 20, out, sizeof out);
	for (char *s = out, *e; s != NULL; s = e ? e + 1 : NULL) {
		char one[64];

		e = strchr(s, '|');
		snprintf(one, sizeof one, "%.*s", e ? (int)(e - s) : 63, s);
		assert_true(layout_width(one) <= 20);
	}
}

/* The inbox's what and who columns: needs met when they fit, the rest to
 * the first; else shared in proportion. */
static void
test_share(void **state)
{
	int a, b;

	(void)state;
	layout_share(40, 10, 5, &a, &b);
	assert_int_equal(a, 35);
	assert_int_equal(b, 5);
	layout_share(40, 0, 0, &a, &b);
	assert_int_equal(a, 40);
	assert_int_equal(b, 0);
	layout_share(40, 34, 26, &a, &b);	/* 40 * 34 / 60 = 22.7 */
	assert_int_equal(a, 23);
	assert_int_equal(b, 17);
	layout_share(40, 0, 60, &a, &b);
	assert_int_equal(a, 0);
	assert_int_equal(b, 40);
	layout_share(0, 30, 30, &a, &b);	/* 80 columns: nothing extra */
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
	layout_share(-3, -1, 4, &a, &b);
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
}

static void
test_match(void **state)
{
	(void)state;
	assert_true(layout_match("SSO Enschede", ""));
	assert_true(layout_match("SSO Enschede", "ensch"));
	assert_true(layout_match("Mehmet ÖZDEMIR", "özdemir"));
	/* accents do not count: typed with or without them */
	assert_true(layout_match("Kevin Wolters", "Kévin"));
	assert_true(layout_match("Café-eigenaar Müller", "MULLER"));
	assert_true(layout_match("Sevda Yılmaz", "yilmaz"));
	assert_true(layout_match("Ayşe Ğüneş", "ayse gunes"));
	/* a hyphen is a space, both ways */
	assert_true(layout_match("Gemeente Eemland-Twente", "Gemeente Eemland Twente"));
	assert_true(layout_match("Sanne van Dijk", "van-dijk"));
	assert_true(layout_match("2026-12-04 13:30", "2026-12-04"));
	assert_false(layout_match("Gemeente Eemland-Twente", "eemlandtwente"));
	assert_false(layout_match("Müller", "mallar"));
	assert_false(layout_match("WZT Noord", "sso"));
	assert_false(layout_match(NULL, "x"));
}

static Tafel__Meeting *
mk(int64_t id, int state, int64_t start)
{
	Tafel__Meeting *m = calloc(1, sizeof *m);

	tafel__meeting__init(m);
	m->id = id;
	m->state = state;
	m->scheduled_start = start;
	m->series_name = id == 3 ? "SSO Enschede" : "WZT Noord";
	m->chair_name = "Anouk";
	return m;
}

/* A search's predicate: the meeting whose series matches the text. */
static int
keep_series(const Tafel__Meeting *m, const void *text)
{
	return layout_match(m->series_name, text);
}

/* Open first, then today and later (soonest first), then the past (newest first). */
static void
test_meeting_order(void **state)
{
	int64_t now = layout_day_start(time(NULL)) + 12 * 3600, day = 86400;
	Tafel__Meeting *v[5];
	const Tafel__Meeting *out[5];
	size_t n;

	(void)state;
	v[0] = mk(1, TAFEL__MEETING_STATE__MEETING_CLOSED, now - 20 * day);
	v[1] = mk(2, TAFEL__MEETING_STATE__MEETING_PLANNED, now + 7 * day);
	v[2] = mk(3, TAFEL__MEETING_STATE__MEETING_PLANNED, now - 3600);
	v[3] = mk(4, TAFEL__MEETING_STATE__MEETING_OPEN, now - 2 * day);
	v[4] = mk(5, TAFEL__MEETING_STATE__MEETING_CLOSED, now - 2 * day);
	n = layout_meetings(v, 5, now, NULL, NULL, 0, out, 5);
	assert_int_equal(n, 5);
	assert_int_equal(out[0]->id, 4);	/* open */
	assert_int_equal(out[1]->id, 3);	/* today, earlier */
	assert_int_equal(out[2]->id, 2);	/* next week */
	assert_int_equal(out[3]->id, 5);	/* past, newest first */
	assert_int_equal(out[4]->id, 1);
	assert_true(layout_meeting_past(v[0], now));
	assert_false(layout_meeting_past(v[2], now));
	n = layout_meetings(v, 5, now, NULL, NULL, 1, out, 5);
	assert_int_equal(n, 3);
	n = layout_meetings(v, 5, now, keep_series, "sso", 0, out, 5);
	assert_int_equal(n, 1);
	assert_int_equal(out[0]->id, 3);
	for (int i = 0; i < 5; i++)
		free(v[i]);
}

/*
 * A held meeting is listed by when it was held: the meeting planned for
 * next week but opened early and closed today is today's, not next week's;
 * and of two past meetings the one held later comes first, whatever was
 * planned.
 */
static void
test_meeting_held(void **state)
{
	int64_t now = layout_day_start(time(NULL)) + 12 * 3600, day = 86400;
	Tafel__Meeting *v[4];
	const Tafel__Meeting *out[4];
	size_t n;

	(void)state;
	v[0] = mk(1, TAFEL__MEETING_STATE__MEETING_CLOSED, now + 7 * day);
	v[0]->held_at = now - 3600;		/* held early, this morning */
	v[1] = mk(2, TAFEL__MEETING_STATE__MEETING_PLANNED, now + 2 * day);
	v[2] = mk(3, TAFEL__MEETING_STATE__MEETING_CLOSED, now - 10 * day);
	v[2]->held_at = now - 2 * day;	/* held late */
	v[3] = mk(4, TAFEL__MEETING_STATE__MEETING_CLOSED, now - 5 * day);
	v[3]->held_at = now - 5 * day + 60;
	assert_int_equal(layout_meeting_time(v[0]), now - 3600);
	assert_int_equal(layout_meeting_time(v[1]), now + 2 * day);
	assert_false(layout_meeting_past(v[0], now));	/* today */
	n = layout_meetings(v, 4, now, NULL, NULL, 0, out, 4);
	assert_int_equal(n, 4);
	assert_int_equal(out[0]->id, 1);	/* today (held) */
	assert_int_equal(out[1]->id, 2);	/* in two days */
	assert_int_equal(out[2]->id, 3);	/* held two days ago */
	assert_int_equal(out[3]->id, 4);	/* held five days ago */
	for (int i = 0; i < 4; i++)
		free(v[i]);
}

static void
test_big(void **state)
{
	char row[128];

	(void)state;
	assert_int_equal(layout_big_width("2026-0002"), 35);
	layout_big_row("1-7", 0, row, sizeof row);
	assert_string_equal(row, " #      ###");
	layout_big_row("1-7", 2, row, sizeof row);
	assert_string_equal(row, " #  ###   #");
	for (int r = 0; r < LAYOUT_BIG_ROWS; r++) {
		layout_big_row("2026-0002", r, row, sizeof row);
		assert_int_equal((int)strlen(row), 35);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_wide),
		cmocka_unit_test(test_cell),
		cmocka_unit_test(test_fit_middle),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_rank),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_meeting_order),
		cmocka_unit_test(test_meeting_held),
		cmocka_unit_test(test_big),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "no C.UTF-8 locale\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
