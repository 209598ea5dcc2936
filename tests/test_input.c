/* Integration: string rules (embedded NUL, control characters) and Error.field paths over real TLS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "harness.h"
#include "proto.h"

#define T 20000

static struct tafeld srv;

static int
setup(void **state)
{
	(void)state;
	harness_require_service_user();
	return tafeld_start_demo(&srv, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&srv);
}

/* Sends env as one frame with every '@' of its payload turned into NUL. */
static void
send_with_nul(struct tclient *c, const Tafel__Envelope *env)
{
	uint8_t buf[8192];
	size_t n = tafel__envelope__get_packed_size(env), i;

	assert_true(n + 4 <= sizeof buf);
	tafel__envelope__pack(env, buf + 4);
	buf[0] = (uint8_t)(n >> 24);
	buf[1] = (uint8_t)(n >> 16);
	buf[2] = (uint8_t)(n >> 8);
	buf[3] = (uint8_t)n;
	for (i = 4; i < n + 4; i++)
		if (buf[i] == '@')
			buf[i] = 0;
	assert_int_equal(tclient_send_raw(c, buf, n + 4), 0);
}

/* Asserts m is Error code with field `field`, and frees it. */
static void
expect_error(Tafel__Envelope *m, Tafel__ErrorCode code, const char *field)
{
	assert_int_equal(harness_error_of(m), code);
	assert_string_equal(m->error->field, field);
	frame_free(m);
}

/*
 * "Jan\0 de Vries" was stored as "Jan".  Now the frame is refused with the
 * field's path, nothing is written, and the connection stays usable.
 */
static void
test_embedded_nul(void **state)
{
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p0 = TAFEL__PERSON__INIT, p1 = TAFEL__PERSON__INIT;
	Tafel__Person *ps[2] = { &p0, &p1 };
	char before[32], after[32];

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM persons",
	    before, sizeof before), 0);

	cc.theme = "domestic_violence";
	p0.name = "Fleur Visser";
	p1.name = "Jan@ de Vries";
	cc.persons = ps;
	cc.n_persons = 2;
	env.request_id = 41;
	env.idempotency_key = (char *)harness_key();
	env.body_case = B(CREATE_CASE);
	env.create_case = &cc;
	send_with_nul(&c, &env);
	m = tclient_recv(&c, T);
	assert_non_null(m);
	assert_int_equal(m->request_id, 41);
	assert_non_null(strstr(m->error != NULL ? m->error->message : "",
	    "NUL"));
	expect_error(m, TAFEL__ERROR_CODE__INVALID_ARGUMENT, "persons[1].name");

	/* A NUL in a long text, and in the envelope's own key. */
	p1.name = "Jan de Vries";
	cc.summary = "eerste regel@tweede";
	env.request_id = 42;
	env.idempotency_key = (char *)harness_key();
	send_with_nul(&c, &env);
	expect_error(tclient_recv(&c, T), TAFEL__ERROR_CODE__INVALID_ARGUMENT,
	    "summary");
	cc.summary = "";
	env.request_id = 43;
	env.idempotency_key = "sleutel@1";
	send_with_nul(&c, &env);
	expect_error(tclient_recv(&c, T), TAFEL__ERROR_CODE__INVALID_ARGUMENT,
	    "idempotency_key");

	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM persons",
	    after, sizeof after), 0);
	assert_string_equal(before, after);

	/* The same request without the NUL is stored whole. */
	m = tclient_req(&c, B(CREATE_CASE), &cc, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM persons "
	    "WHERE name = 'Jan de Vries'", after, sizeof after), 0);
	assert_string_equal(after, "1");
	tclient_close(&c);
}

/* Carriage return is refused in long text; tab and newline are not. */
static void
test_control_characters(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p0 = TAFEL__PERSON__INIT;
	Tafel__Person *ps[1] = { &p0 };

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	cc.theme = "domestic_violence";
	cc.summary = "regel een\r\nregel twee";
	m = tclient_req(&c, B(CREATE_CASE), &cc, harness_key());
	expect_error(m, TAFEL__ERROR_CODE__INVALID_ARGUMENT, "summary");

	cc.summary = "regel een\n\tregel twee";
	p0.name = "Fleur\tVisser";	/* short text: one line, no tab */
	cc.persons = ps;
	cc.n_persons = 1;
	m = tclient_req(&c, B(CREATE_CASE), &cc, harness_key());
	expect_error(m, TAFEL__ERROR_CODE__INVALID_ARGUMENT, "persons[0].name");

	p0.name = "Fleur \xc2\x9b Visser";	/* C1 control (CSI) */
	m = tclient_req(&c, B(CREATE_CASE), &cc, harness_key());
	expect_error(m, TAFEL__ERROR_CODE__INVALID_ARGUMENT, "persons[0].name");

	p0.name = "Fleur Visser";
	m = tclient_req(&c, B(CREATE_CASE), &cc, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	assert_string_equal(m->case_record->summary, "regel een\n\tregel twee");
	frame_free(m);
	tclient_close(&c);
}

/* One convention for Error.field: generic checks and per-request checks. */
static void
test_field_paths(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p0 = TAFEL__PERSON__INIT, p1 = TAFEL__PERSON__INIT;
	Tafel__Person *ps[2] = { &p0, &p1 };
	Tafel__PersonRequest pr = TAFEL__PERSON_REQUEST__INIT;
	Tafel__ReorderAgendaRequest ra = TAFEL__REORDER_AGENDA_REQUEST__INIT;
	Tafel__StartInfoRoundRequest ir = TAFEL__START_INFO_ROUND_REQUEST__INIT;
	int64_t ids[3] = { 4, -5, 6 };
	/* body field 99 (unknown to this build), request_id 9 */
	static const uint8_t unknown[] = { 0, 0, 0, 5, 0x08, 0x09, 0x9a, 0x06,
	    0x00 };
	static const uint8_t empty[] = { 0, 0, 0, 2, 0x08, 0x0a };

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);

	/* per-request check, inside a repeated field */
	cc.theme = "domestic_violence";
	p0.name = "Fleur Visser";
	p1.name = "Jan de Vries";
	p1.birth_date = "1990-13-01";
	cc.persons = ps;
	cc.n_persons = 2;
	m = tclient_req(&c, B(CREATE_CASE), &cc, harness_key());
	expect_error(m, TAFEL__ERROR_CODE__OUT_OF_RANGE,
	    "persons[1].birth_date");

	/* the same field of a singular message */
	pr.person = &p1;
	p1.case_id = 1;
	m = tclient_req(&c, B(ADD_PERSON), &pr, harness_key());
	expect_error(m, TAFEL__ERROR_CODE__OUT_OF_RANGE, "person.birth_date");

	ra.meeting_id = 1;
	ra.item_ids = ids;
	ra.n_item_ids = 3;
	m = tclient_req(&c, B(REORDER_AGENDA), &ra, harness_key());
	expect_error(m, TAFEL__ERROR_CODE__OUT_OF_RANGE, "item_ids[1]");

	/* a list of plain ids too (it said "org_ids") */
	ir.case_id = 1;
	ir.reply_by = "2030-01-01";
	ir.org_ids = ids;
	ir.n_org_ids = 3;
	m = tclient_req(&c, B(START_INFO_ROUND), &ir, harness_key());
	expect_error(m, TAFEL__ERROR_CODE__OUT_OF_RANGE, "org_ids[1]");

	/* an unknown body names its field number, not 0 */
	assert_int_equal(tclient_send_raw(&c, unknown, sizeof unknown), 0);
	m = tclient_recv(&c, T);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__UNKNOWN_MESSAGE);
	assert_string_equal(m->error->message, "unknown message (field 99)");
	assert_string_equal(m->error->field, "");
	frame_free(m);
	assert_int_equal(tclient_send_raw(&c, empty, sizeof empty), 0);
	m = tclient_recv(&c, T);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__UNKNOWN_MESSAGE);
	assert_string_equal(m->error->message, "the frame has no message body");
	frame_free(m);
	tclient_close(&c);
}

/*
 * A user whose only role is steering gets FORBIDDEN for everything but
 * reports, ping and logout (protocol.md 7.14): unsubscribe too, which
 * never reaches the database and answered NOT_FOUND "not subscribed".
 */
static void
test_steering_unsubscribe(void **state)
{
	char pwfile[] = "/tmp/tafel-pw-XXXXXX";
	int fd = mkstemp(pwfile);
	const char *add[] = { "--password-file", pwfile, "user", "add",
	    "stuur1", "Stuurgroep Lid", "Gemeente Eemland-Twente", "steering",
	    NULL };
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__UnsubscribeRequest u = TAFEL__UNSUBSCRIBE_REQUEST__INIT;
	Tafel__Envelope *m;
	struct tclient c;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "stuur-123\n", 10), 10);
	close(fd);
	assert_int_equal(tafelctl_run(&srv, add), 0);
	unlink(pwfile);
	assert_int_equal(tclient_login(&c, &srv, "stuur1", "stuur-123"), 0);

	s.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST;
	m = tclient_req(&c, B(SUBSCRIBE), &s, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);
	u.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST;
	m = tclient_req(&c, B(UNSUBSCRIBE), &u, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	assert_string_equal(m->error->message,
	    "the steering group sees the reports only");
	assert_string_equal(m->error->field, "");
	frame_free(m);
	tclient_close(&c);
}

/*
 * Answers a client author found misleading: unsubscribe from an unknown
 * topic is OUT_OF_RANGE (field topic) as subscribe is, not NOT_FOUND;
 * every_weeks over 52 says so (it said "must be 0 or a positive id");
 * list_calendar with "to" before "from" is OUT_OF_RANGE (field to) as a
 * report's period is, not an empty calendar.
 */
static void
test_range_answers(void **state)
{
	struct tclient c;
	Tafel__UnsubscribeRequest u = TAFEL__UNSUBSCRIBE_REQUEST__INIT;
	Tafel__PlanMeetingsRequest pm = TAFEL__PLAN_MEETINGS_REQUEST__INIT;
	Tafel__ListCalendarRequest lc = TAFEL__LIST_CALENDAR_REQUEST__INIT;
	Tafel__Envelope *m;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	u.topic = (Tafel__SubscribeTopic)99;
	m = tclient_req(&c, B(UNSUBSCRIBE), &u, NULL);
	assert_string_equal(m->error != NULL ? m->error->message : "",
	    "unknown topic");
	expect_error(m, TAFEL__ERROR_CODE__OUT_OF_RANGE, "topic");
	u.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	u.meeting_id = 0;
	m = tclient_req(&c, B(UNSUBSCRIBE), &u, NULL);
	expect_error(m, TAFEL__ERROR_CODE__OUT_OF_RANGE, "meeting_id");
	/* a known topic not subscribed stays NOT_FOUND */
	u.meeting_id = 1;
	m = tclient_req(&c, B(UNSUBSCRIBE), &u, NULL);
	expect_error(m, TAFEL__ERROR_CODE__NOT_FOUND, "");

	pm.series_id = 1;
	pm.first_date = "2030-01-07";
	pm.time = "10:00";
	pm.every_weeks = 53;
	pm.until = "2030-12-30";
	m = tclient_req(&c, B(PLAN_MEETINGS), &pm, harness_key());
	assert_string_equal(m->error != NULL ? m->error->message : "",
	    "every_weeks: at most 52 (0: one meeting)");
	expect_error(m, TAFEL__ERROR_CODE__OUT_OF_RANGE, "every_weeks");

	lc.from = "2030-02-01";
	lc.to = "2030-01-31";
	m = tclient_req(&c, B(LIST_CALENDAR), &lc, NULL);
	expect_error(m, TAFEL__ERROR_CODE__OUT_OF_RANGE, "to");
	lc.to = "2030-02-01";	/* one day */
	m = tclient_req(&c, B(LIST_CALENDAR), &lc, NULL);
	harness_expect_body(m, B(CALENDAR));
	frame_free(m);
	tclient_close(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_field_paths),
		cmocka_unit_test(test_steering_unsubscribe),
		cmocka_unit_test(test_range_answers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
