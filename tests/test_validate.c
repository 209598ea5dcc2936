/* Unit tests of input checks: UTF-8 and control characters, ids, dates, enums, the generic message walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"
#include "proto.h"
#include "utf8.h"
#include "validate.h"

#define EEE "\xc3\xa9\xc3\xa9\xc3\xa9"	/* "ééé" */

static void
test_utf8(void **state)
{
	(void)state;
	assert_int_equal(utf8_check("Özdemir → 東京", strlen("Özdemir → 東京"), 0),
	    UTF8_OK);
	/* Long text: tab and line feed only; carriage return is refused. */
	assert_int_equal(utf8_check("a\tb\nc", 5, 1), UTF8_OK);
	assert_int_equal(utf8_check("a\tb\r\nc", 6, 1), UTF8_CONTROL);
	assert_int_equal(utf8_check("a\rb", 3, 1), UTF8_CONTROL);
	assert_int_equal(utf8_check("\x0b\x0c", 2, 1), UTF8_CONTROL);
	assert_int_equal(utf8_check("\x7f", 1, 1), UTF8_CONTROL);
	/* Short text: no control character at all. */
	assert_int_equal(utf8_check("a\tb", 3, 0), UTF8_CONTROL);
	assert_int_equal(utf8_check("a\nb", 3, 0), UTF8_CONTROL);
	/* NUL, as a byte or in the C0 80 form frame_unpack leaves. */
	assert_int_equal(utf8_check("Jan\0 de Vries", 14, 1), UTF8_NUL);
	assert_int_equal(utf8_check("Jan\xc0\x80 de", 7, 1), UTF8_NUL);
	assert_int_equal(utf8_check("\xc0\x80", 2, 0), UTF8_NUL);
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
	/* sscanf would read these as numbers: a sign, a blank, a tab */
	assert_int_equal(validate_date("due", "2027-+1-05", 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_int_equal(validate_date("due", "2027- 1-05", 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_int_equal(validate_date("due", "2027-01-\t5", 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_int_equal(validate_date("due", "+202-01-05", 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_int_equal(validate_date("due", "2027-01-05x", 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_int_equal(validate_date("due", "", 1, &e), -1);
	assert_int_equal(validate_date("due", "", 0, &e), 0);
	/* a real date, but outside the years kept: said so, not "invalid" */
	assert_int_equal(validate_date("birth_date", "1899-12-31", 0, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_non_null(strstr(e.message, "between 1900 and 2200"));

	/* times and versions are not called ids */
	assert_int_equal(validate_time("from", 0, 0, &e), 0);
	assert_int_equal(validate_time("from", -1, 0, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_string_equal(e.field, "from");
	assert_non_null(strstr(e.message, "Unix time"));
	assert_int_equal(validate_time("scheduled_start", 0, 1, &e), -1);
	/* beyond what the register stores: refused, not a database error */
	assert_int_equal(validate_time("from", 253402300799, 0, &e), 0);
	assert_int_equal(validate_time("from", 253402300800, 0, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_string_equal(e.field, "from");
	assert_non_null(strstr(e.message, "9999"));
	assert_int_equal(validate_time("to", INT64_MAX, 0, &e), -1);
	assert_string_equal(e.field, "to");
	assert_int_equal(validate_time("scheduled_start", INT64_MAX, 1, &e),
	    -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_int_equal(validate_version("version", 1, &e), 0);
	assert_int_equal(validate_version("version", 0, &e), -1);
	assert_non_null(strstr(e.message, "version"));
	assert_null(strstr(e.message, " id"));

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(validate_text("theme", big, TAFEL_MAX_SHORT_STRING, 1,
	    0, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__STRING_TOO_LONG);
	assert_int_equal(validate_text("theme", "", 10, 1, 0, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_int_equal(validate_text("note", "\xff", 10, 0, 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_UTF8);
	/* 4 bytes on the wire with a NUL, 5 in the C0 80 form frame_unpack
	 * leaves: a NUL, not a string over the limit of 4 */
	assert_int_equal(validate_text("name", "Ja\xc0\x80n", 4, 1, 0, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_string_equal(e.message, "name: contains a NUL character");
	/* characters, not bytes: three times "é" is 3 characters, 6 bytes */
	assert_int_equal(validate_text_chars("note", EEE, 3, 0, 1, &e), 0);
	assert_int_equal(validate_text_chars("note", EEE "e", 3, 0, 1, &e),
	    -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__STRING_TOO_LONG);
	assert_string_equal(e.message, "note: longer than 3 characters");
	assert_int_equal(validate_text_chars("reason", "", 3, 1, 1, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);

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
	assert_string_equal(e.field, "persons[1].name");
	assert_string_equal(e.message, "persons[1].name: contains a control "
	    "character (only tab and line feed are allowed)");
	p2.name = "Fleur van Dijk";
	assert_int_equal(validate_message(&c.base, &e), 0);
	c.summary = "eerste regel\r\ntweede regel";
	assert_int_equal(validate_message(&c.base, &e), -1);
	assert_string_equal(e.field, "summary");
	c.summary = "eerste regel\n\ttweede regel";
	assert_int_equal(validate_message(&c.base, &e), 0);

	r.item_ids = ids;
	r.n_item_ids = TAFEL_MAX_LIST + 1;
	assert_int_equal(validate_message(&r.base, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__LIST_TOO_LONG);
	r.n_item_ids = TAFEL_MAX_LIST;
	assert_int_equal(validate_message(&r.base, &e), 0);
}

/* In an Envelope, paths start at the request body; its own fields by name. */
static void
test_envelope_paths(void **state)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__CreateCaseRequest c = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p1 = TAFEL__PERSON__INIT, p2 = TAFEL__PERSON__INIT;
	Tafel__Person *ps[2] = { &p1, &p2 };
	Tafel__PersonRequest pr = TAFEL__PERSON_REQUEST__INIT;
	struct validate_error e;
	char path[64];

	(void)state;
	c.theme = "domestic_violence";
	p1.name = "Jeroen Bakker";
	p2.name = "Fleur";
	p2.birth_date = "1990-01-01\x1b";
	c.persons = ps;
	c.n_persons = 2;
	env.request_id = 7;
	env.body_case = TAFEL__ENVELOPE__BODY_CREATE_CASE;
	env.create_case = &c;
	assert_int_equal(validate_message(&env.base, &e), -1);
	assert_string_equal(e.field, "persons[1].birth_date");
	p2.birth_date = "";

	env.idempotency_key = "k\x01";
	assert_int_equal(validate_message(&env.base, &e), -1);
	assert_string_equal(e.field, "idempotency_key");
	env.idempotency_key = "k1";
	assert_int_equal(validate_message(&env.base, &e), 0);

	p1.name = "x\ty";
	pr.person = &p1;
	env.body_case = TAFEL__ENVELOPE__BODY_ADD_PERSON;
	env.add_person = &pr;
	assert_int_equal(validate_message(&env.base, &e), 0);	/* tab: long */
	p1.name = "x\ry";
	assert_int_equal(validate_message(&env.base, &e), -1);
	assert_string_equal(e.field, "person.name");

	validate_path(path, sizeof path, "", "item_ids", 3);
	assert_string_equal(path, "item_ids[3]");
	validate_path(path, sizeof path, "persons[2]", "name", -1);
	assert_string_equal(path, "persons[2].name");
}

/* Packs env and turns every '@' of the payload into a NUL byte. */
static Tafel__Envelope *
unpack_with_nul(const Tafel__Envelope *env)
{
	uint8_t buf[4096];
	size_t n = tafel__envelope__get_packed_size(env), i;

	assert_true(n <= sizeof buf);
	tafel__envelope__pack(env, buf);
	for (i = 0; i < n; i++)
		if (buf[i] == '@')
			buf[i] = 0;
	return frame_unpack(buf, n);
}

/*
 * protobuf-c cuts "Jan\0 de Vries" to "Jan"; frame_unpack keeps the whole
 * text so the validator refuses it, at any depth, with the field's path.
 */
static void
test_embedded_nul(void **state)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *got;
	Tafel__CreateCaseRequest c = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p1 = TAFEL__PERSON__INIT, p2 = TAFEL__PERSON__INIT;
	Tafel__Person *ps[2] = { &p1, &p2 };
	Tafel__SeriesList sl = TAFEL__SERIES_LIST__INIT;
	Tafel__Series s0 = TAFEL__SERIES__INIT, s1 = TAFEL__SERIES__INIT;
	Tafel__Series *ss[2] = { &s0, &s1 };
	char *themes[3] = { "a", "b@c", "d" };
	struct validate_error e;

	(void)state;
	c.theme = "domestic_violence";
	c.summary = "";
	p1.name = "Jeroen Bakker";
	p2.name = "Jan@ de Vries";
	c.persons = ps;
	c.n_persons = 2;
	env.request_id = 1;
	env.idempotency_key = "key-1";
	env.body_case = TAFEL__ENVELOPE__BODY_CREATE_CASE;
	env.create_case = &c;
	got = unpack_with_nul(&env);
	assert_non_null(got);
	assert_int_equal(strlen(got->create_case->persons[1]->name), 14);
	assert_string_equal(got->create_case->persons[0]->name,
	    "Jeroen Bakker");
	assert_int_equal(validate_message(&got->base, &e), -1);
	assert_int_equal(e.code, TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_string_equal(e.field, "persons[1].name");
	assert_string_equal(e.message, "persons[1].name: contains a NUL "
	    "character");
	frame_free(got);

	/* a singular string, and the envelope's own key */
	p2.name = "Jan de Vries";
	c.summary = "eerste@";
	got = unpack_with_nul(&env);
	assert_int_equal(validate_message(&got->base, &e), -1);
	assert_string_equal(e.field, "summary");
	frame_free(got);
	c.summary = "";
	env.idempotency_key = "key@1";
	got = unpack_with_nul(&env);
	assert_int_equal(validate_message(&got->base, &e), -1);
	assert_string_equal(e.field, "idempotency_key");
	frame_free(got);

	/* nothing with a NUL: unchanged, and valid */
	env.idempotency_key = "key-1";
	got = unpack_with_nul(&env);
	assert_int_equal(validate_message(&got->base, &e), 0);
	assert_string_equal(got->create_case->persons[1]->name,
	    "Jan de Vries");
	frame_free(got);

	/* repeated strings inside a repeated message */
	s0.name = "x";
	s1.name = "y";
	s1.themes = themes;
	s1.n_themes = 3;
	sl.series = ss;
	sl.n_series = 2;
	env.body_case = TAFEL__ENVELOPE__BODY_SERIES_LIST;
	env.series_list = &sl;
	got = unpack_with_nul(&env);
	assert_non_null(got);
	assert_int_equal(validate_message(&got->base, &e), -1);
	assert_string_equal(e.field, "series[1].themes[1]");
	assert_string_equal(got->series_list->series[1]->themes[2], "d");
	frame_free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_message_walk),
		cmocka_unit_test(test_envelope_paths),
		cmocka_unit_test(test_embedded_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
