/* Unit tests of input checks: UTF-8 and control characters, ids, dates, enums, the generic message walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto.h"
#include "utf8.h"
#include "validate.h"

static void
test_utf8(void **state)
{
	(void)state;
	assert_int_equal(utf8_check("Özdemir → 東京", strlen("Özdemir → 東京"), 0),
	    UTF8_OK);
	assert_int_equal(utf8_check("a\tb\r\nc", 6, 1), UTF8_OK);
	assert_int_equal(utf8_check("a\tb", 3, 0), UTF8_CONTROL);
	assert_int_equal(utf8_check("\x1b[2J", 4, 1), UTF8_CONTROL);
	assert_int_equal(utf8_check("\xc2\x9b", 2, 1), UTF8_CONTROL);	/* C1 */
	assert_int_equal(utf8_check("\xc0\xaf", 2, 0), UTF8_BAD_ENCODING);
	assert_int_equal(utf8_check("\xed\xa0\x80", 3, 0), UTF8_BAD_ENCODING);
	assert_int_equal(utf8_check("\xf4\x90\x80\x80", 4, 0),
	    UTF8_BAD_ENCODING);
	assert_int_equal(utf8_check("\xe2\x82", 2, 0), UTF8_BAD_ENCODING);
	assert_int_equal(utf8_length("Zoë"), 3);
}

static void
test_fields(void **state)
{
	struct validate_error e;
	char big[TAFEL_MAX_SHORT_STRING + 2];

	(void)state;
	assert_int_equal(validate_id("id", 5, 1, &e), 0);
	assert_int_equal(validate_id("id", 0, 0, &e), 0);
	assert_int_equal(validate_id("id", 0, 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_string_equal(e.field, "id");
	assert_int_equal(validate_id("id", -3, 0, &e), -1);

	assert_int_equal(validate_date("due", "2028-02-29", 1, &e), 0);
	assert_int_equal(validate_date("due", "2027-02-29", 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_int_equal(validate_date("due", "2027-2-1", 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_int_equal(validate_date("due", "", 1, &e), -1);
	assert_int_equal(validate_date("due", "", 0, &e), 0);

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(validate_text("theme", big, TAFEL_MAX_SHORT_STRING, 1,
	    0, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__STRING_TOO_LONG);
	assert_int_equal(validate_text("theme", "", 10, 1, 0, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_int_equal(validate_text("note", "\xff", 10, 0, 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_UTF8);

	assert_int_equal(validate_enum("to", &tafel__case_status__descriptor,
	    TAFEL__CASE_STATUS__CASE_CLOSED, &e), 0);
	assert_int_equal(validate_enum("to", &tafel__case_status__descriptor,
	    99, &e), -1);
}

/* The generic walk finds problems in nested and repeated fields. */
static void
test_message_walk(void **state)
{
	Tafel__CreateCaseRequest c = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p1 = TAFEL__PERSON__INIT, p2 = TAFEL__PERSON__INIT;
	Tafel__Person *ps[2] = { &p1, &p2 };
	Tafel__ReorderAgendaRequest r = TAFEL__REORDER_AGENDA_REQUEST__INIT;
	int64_t ids[TAFEL_MAX_LIST + 1] = { 0 };
	struct validate_error e;

	(void)state;
	c.theme = "domestic_violence";
	p1.name = "Jeroen Bakker";
	p2.name = "Fleur \x01 van Dijk";
	c.persons = ps;
	c.n_persons = 2;
	assert_int_equal(validate_message(&c.base, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_string_equal(e.field, "persons.name");
	p2.name = "Fleur van Dijk";
	assert_int_equal(validate_message(&c.base, &e), 0);

	r.item_ids = ids;
	r.n_item_ids = TAFEL_MAX_LIST + 1;
	assert_int_equal(validate_message(&r.base, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__LIST_TOO_LONG);
	r.n_item_ids = TAFEL_MAX_LIST;
	assert_int_equal(validate_message(&r.base, &e), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_message_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
