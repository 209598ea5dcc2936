/* The server's own coarse privacy filter (server/privacy.c), the second line behind the database: what a session that may not see personal data never gets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conn.h"
#include "privacy.h"
#include "proto.h"

/*
 * A case with a legal clock whose note names a person, as an observer or
 * a partner outside the covenant (here: no session, the strictest) must
 * never get it: the note is free text about the persons (docs/security.md
 * rule 9), as the summary is.
 */
static void
test_clock_note_blanked(void **state)
{
	struct conn c;
	Tafel__Case k = TAFEL__CASE__INIT;
	Tafel__CaseClock clock = TAFEL__CASE_CLOCK__INIT, alone =
	    TAFEL__CASE_CLOCK__INIT, *clocks[1] = { &clock };
	Tafel__Person p = TAFEL__PERSON__INIT, *persons[1] = { &p };

	(void)state;
	memset(&c, 0, sizeof c);
	p.name = strdup("Jeroen Bakker");
	p.birth_date = strdup("1986-04-12");
	k.persons = persons;
	k.n_persons = 1;
	k.summary = strdup("samenvatting");
	clock.note = strdup("Huisverbod opgelegd aan Jeroen Bakker, in Hengelo");
	k.clocks = clocks;
	k.n_clocks = 1;
	assert_true(privacy_filter_message(&c, &k.base) > 0);
	assert_string_equal(clock.note, "");
	assert_string_equal(p.name, "J. B.");
	assert_string_equal(p.birth_date, "");
	assert_string_equal(k.summary, "");
	assert_true(k.redacted);
	/* a clock on its own (set_clock's answer, an event) */
	alone.note = strdup("verblijft bij zijn moeder");
	privacy_filter_message(&c, &alone.base);
	assert_string_equal(alone.note, "");
	free(clock.note);
	free(alone.note);
	free(p.name);
	free(p.birth_date);
	free(k.summary);
	free(k.redaction_reason);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_note_blanked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
