/* Integration: the covenant over the wire: need-to-know views, pseudonymisation, the shared screen, events, read audit, retention. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"

#define T 20000

static struct tafeld srv;
static int64_t wzt;		/* today's WZT, where the GP (non-signatory) is present */

/* Demo data (sql/0004, 0005): case numbers and who is involved. */
#define CASE_POLICE	"2026-0001"	/* police, Veilig Thuis, youth care, GGZ */
#define CASE_HOUSING	"2026-0003"	/* municipality, housing */
#define CASE_MUNI	"2026-0012"	/* municipality only */

static int
setup(void **state)
{
	static const char *const args[] = { "--set", "rate_session=100000",
	    "--set", "rate_burst=100000", "--set", "rate_address=100000", NULL };
	char v[64];

	(void)state;
	if (tafeld_start_demo(&srv, args) != 0)
		return -1;
	if (harness_psql_value(&srv, "SELECT m.id FROM meetings m JOIN series s "
	    "ON s.id = m.series_id WHERE s.kind = 'wzt' AND m.state = "
	    "'planned' ORDER BY m.scheduled_start LIMIT 1", v, sizeof v) != 0)
		return -1;
	wzt = atoll(v);
	return wzt > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&srv);
}

static int64_t
case_id(const char *number)
{
	char sql[200], v[32];

	snprintf(sql, sizeof sql, "SELECT id FROM cases WHERE number = '%s'",
	    number);
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	return atoll(v);
}

static Tafel__Envelope *
get_case(struct tclient *c, const char *number)
{
	Tafel__GetCaseRequest g = TAFEL__GET_CASE_REQUEST__INIT;

	g.case_id = case_id(number);
	return tclient_req(c, B(GET_CASE), &g, NULL);
}

/* True when a case carries personal data: full names, birth dates or a summary. */
static int
shows_personal_data(const Tafel__Case *k)
{
	size_t i;

	if (k->summary[0] != '\0')
		return 1;
	for (i = 0; i < k->n_persons; i++)
		if (k->persons[i]->birth_date[0] != '\0' ||
		    strchr(k->persons[i]->name, '.') == NULL)
			return 1;
	return 0;
}

static const Tafel__Case *
find_case(const Tafel__Snapshot *s, const char *number)
{
	size_t i;

	for (i = 0; i < s->n_cases; i++)
		if (strcmp(s->cases[i]->number, number) == 0)
			return s->cases[i];
	return NULL;
}

static int
has_category(const Tafel__Case *k, const char *cat)
{
	size_t i;

	for (i = 0; i < k->n_hidden_categories; i++)
		if (strcmp(k->hidden_categories[i], cat) == 0)
			return 1;
	return 0;
}

/* An involved signatory sees the case in full. */
static void
test_involved_signatory_sees_all(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	m = get_case(&c, CASE_POLICE);
	harness_expect_body(m, B(CASE_DETAIL));
	assert_false(m->case_detail->case_->redacted);
	assert_true(shows_personal_data(m->case_detail->case_));
	frame_free(m);
	tclient_close(&c);
}

/* An uninvolved organisation gets nothing: not the meeting, not the case, not its action points. */
static void
test_uninvolved_gets_nothing(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	Tafel__FinishActionRequest f = TAFEL__FINISH_ACTION_REQUEST__INIT;
	char v[32];

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "om", "demo"), 0);
	m = tclient_subscribe(&c, wzt, 0, 0);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);

	/* Guessing the case id: its existence is not confirmed. */
	m = get_case(&c, CASE_MUNI);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);

	/* Guessing an action point id of that case. */
	assert_int_equal(harness_psql_value(&srv, "SELECT a.id FROM "
	    "action_points a JOIN cases c ON c.id = a.case_id WHERE c.number = '"
	    CASE_POLICE "' AND a.state = 'open' LIMIT 1", v, sizeof v), 0);
	f.id = atoll(v);
	f.version = 1;
	f.note = "geraden";
	m = tclient_req(&c, B(COMPLETE_ACTION), &f, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);
	tclient_close(&c);
}

/* The non-signatory GP, present at the WZT, sees the pseudonymised view. */
static void
test_non_signatory_pseudonymised(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	const Tafel__Case *k;
	size_t i;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "huisarts", "demo"), 0);
	m = tclient_subscribe(&c, wzt, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_true(m->subscribed->snapshot->n_cases > 0);
	for (i = 0; i < m->subscribed->snapshot->n_cases; i++) {
		k = m->subscribed->snapshot->cases[i];
		assert_true(k->redacted);
		assert_string_equal(k->redaction_reason, "not_signatory");
		assert_false(shows_personal_data(k));
		assert_true(k->number[0] != '\0' && k->theme[0] != '\0');
	}
	frame_free(m);
	tclient_close(&c);
}

/*
 * An observer sees at most the pseudonymised view: a case its organisation
 * (a signatory) has no connection to is NOT_FOUND; once the organisation is
 * involved, the observer still gets only the pseudonymised view.
 */
static void
test_observer_pseudonymised(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "waarnemer", "demo"), 0);
	m = get_case(&c, CASE_POLICE);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);

	assert_int_equal(harness_psql(&srv, "INSERT INTO case_involved_orgs "
	    "(case_id, org_id) SELECT c.id, u.org_id FROM cases c, users u "
	    "WHERE c.number = '" CASE_POLICE "' AND u.login = 'waarnemer'"), 0);
	m = get_case(&c, CASE_POLICE);
	harness_expect_body(m, B(CASE_DETAIL));
	assert_true(m->case_detail->case_->redacted);
	assert_string_equal(m->case_detail->case_->redaction_reason, "observer");
	assert_false(shows_personal_data(m->case_detail->case_));
	frame_free(m);
	assert_int_equal(harness_psql(&srv, "DELETE FROM case_involved_orgs "
	    "WHERE org_id = (SELECT org_id FROM users WHERE login = "
	    "'waarnemer')"), 0);
	tclient_close(&c);
}

/* Housing sees names but, by its kind's categories, no birth dates, and is told so. */
static void
test_kind_categories(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	const Tafel__Case *k;
	size_t i;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "woningcorporatie", "demo"), 0);
	m = get_case(&c, CASE_HOUSING);
	harness_expect_body(m, B(CASE_DETAIL));
	k = m->case_detail->case_;
	assert_true(k->redacted);
	assert_true(has_category(k, "birth_dates"));
	assert_false(has_category(k, "person_names"));
	assert_true(k->n_persons > 0);
	for (i = 0; i < k->n_persons; i++) {
		assert_string_equal(k->persons[i]->birth_date, "");
		assert_null(strchr(k->persons[i]->name, '.'));
	}
	frame_free(m);
	tclient_close(&c);
}

/* The shared screen with the GP present shows only the pseudonymised view; the chair sees why. */
static void
test_shared_screen(void **state)
{
	struct tclient chair, beamer;
	Tafel__Envelope *m;
	const Tafel__Case *k;
	size_t i;

	(void)state;
	assert_int_equal(tclient_login(&chair, &srv, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&beamer, &srv, "voorzitter", "demo"), 0);
	m = tclient_subscribe(&beamer, wzt, 0, 1);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_true(m->subscribed->snapshot->n_cases > 0);
	for (i = 0; i < m->subscribed->snapshot->n_cases; i++) {
		k = m->subscribed->snapshot->cases[i];
		assert_true(k->redacted);
		assert_false(shows_personal_data(k));
	}
	frame_free(m);

	m = tclient_subscribe(&chair, wzt, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	k = find_case(m->subscribed->snapshot, CASE_MUNI);
	assert_non_null(k);
	assert_false(k->redacted);		/* the chair's own organisation */
	assert_true(shows_personal_data(k));
	assert_true(k->beamer_redacted);	/* ... but not on the beamer */
	assert_true(k->beamer_reason[0] != '\0');
	frame_free(m);
	tclient_close(&chair);
	tclient_close(&beamer);
}

/*
 * One shared screen per connection: a connection's events are rendered one
 * way per change, so a second room's screen on it would show what the
 * first room may see.  The second is refused (INVALID_ARGUMENT, field
 * presentation); the same meeting again replaces, and a second connection
 * shows the other room.
 */
static void
test_one_shared_screen_per_connection(void **state)
{
	struct tclient beamer, other;
	Tafel__Envelope *m;
	char v[32];
	int64_t second;

	(void)state;
	assert_int_equal(harness_psql_value(&srv, "SELECT m.id FROM meetings m "
	    "WHERE m.chair_id = (SELECT id FROM users WHERE login = "
	    "'voorzitter') AND m.state IN ('planned', 'open') ORDER BY m.id "
	    "DESC LIMIT 1", v, sizeof v), 0);
	second = atoll(v);
	assert_true(second > 0 && second != wzt);
	assert_int_equal(tclient_login(&beamer, &srv, "voorzitter", "demo"), 0);
	m = tclient_subscribe(&beamer, wzt, 0, 1);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
	m = tclient_subscribe(&beamer, second, 0, 1);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_string_equal(m->error->field, "presentation");
	frame_free(m);
	/* the same room again: replaces */
	m = tclient_subscribe(&beamer, wzt, 0, 1);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
	/* the chair's own view of the other meeting on it: allowed */
	m = tclient_subscribe(&beamer, second, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
	/* the other room on a connection of its own */
	assert_int_equal(tclient_login(&other, &srv, "voorzitter", "demo"), 0);
	m = tclient_subscribe(&other, second, 0, 1);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
	tclient_close(&other);
	tclient_close(&beamer);
}

/* Events: an organisation hears of action points on cases it may see, and no others. */
static void
test_events_filtered(void **state)
{
	struct tclient chair, police;
	Tafel__Envelope *m;
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__CreateActionRequest a = TAFEL__CREATE_ACTION_REQUEST__INIT;
	char v[32];
	int64_t youth;

	(void)state;
	assert_int_equal(harness_psql_value(&srv, "SELECT id FROM organisations "
	    "WHERE kind = 'youth_care'", v, sizeof v), 0);
	youth = atoll(v);
	assert_int_equal(tclient_login(&chair, &srv, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&police, &srv, "politie", "demo"), 0);
	s.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS;
	m = tclient_req(&police, B(SUBSCRIBE), &s, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);

	/* An action for youth care on a municipality-only case. */
	a.case_id = case_id(CASE_MUNI);
	a.meeting_id = wzt;
	a.description = "Gesprek met Fleur over de thuissituatie";
	a.owner_org_id = youth;
	a.due_date = "2031-06-01";
	m = tclient_req(&chair, B(CREATE_ACTION), &a, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	/* Nothing reaches the police (waiting longer only makes this surer). */
	assert_null(tclient_event(&police, 1500));

	/* An action for the police itself arrives in full. */
	assert_int_equal(harness_psql_value(&srv, "SELECT id FROM organisations "
	    "WHERE kind = 'police'", v, sizeof v), 0);
	a.owner_org_id = atoll(v);
	a.description = "Toetsing huisverbod uitvoeren";
	m = tclient_req(&chair, B(CREATE_ACTION), &a, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	m = tclient_event(&police, T);
	assert_non_null(m);
	assert_non_null(m->event->action_point);
	assert_string_equal(m->event->action_point->description,
	    "Toetsing huisverbod uitvoeren");
	frame_free(m);
	tclient_close(&chair);
	tclient_close(&police);
}

/* Each read of personal data leaves exactly one audit row with the right fields. */
static void
test_read_audit(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	char before[32], after[32], row[512];
	const char *count = "SELECT count(*) FROM audit_log a JOIN users u ON "
	    "u.id = a.user_id JOIN cases c ON c.id = a.case_id WHERE u.login = "
	    "'politie' AND c.number = '" CASE_POLICE "' AND a.context = "
	    "'case_view'";

	(void)state;
	assert_int_equal(harness_psql_value(&srv, count, before, sizeof before),
	    0);
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	m = get_case(&c, CASE_POLICE);
	harness_expect_body(m, B(CASE_DETAIL));
	frame_free(m);
	assert_int_equal(harness_psql_value(&srv, count, after, sizeof after),
	    0);
	assert_int_equal(atoi(after), atoi(before) + 1);
	assert_int_equal(harness_psql_value(&srv, "SELECT o.kind || ' ' || "
	    "array_to_string(a.categories, ',') FROM audit_log a JOIN "
	    "organisations o ON o.id = a.org_id JOIN users u ON u.id = "
	    "a.user_id WHERE u.login = 'politie' AND a.context = 'case_view' "
	    "ORDER BY a.id DESC LIMIT 1", row, sizeof row), 0);
	assert_non_null(strstr(row, "police "));
	assert_non_null(strstr(row, "person_names"));
	/* A pseudonymised read is no read of personal data. */
	tclient_close(&c);
	assert_int_equal(tclient_login(&c, &srv, "huisarts", "demo"), 0);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM "
	    "audit_log a JOIN users u ON u.id = a.user_id WHERE u.login = "
	    "'huisarts'", before, sizeof before), 0);
	m = tclient_subscribe(&c, wzt, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_true(m->subscribed->snapshot->n_cases > 0);	/* it did see cases */
	frame_free(m);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM "
	    "audit_log a JOIN users u ON u.id = a.user_id WHERE u.login = "
	    "'huisarts'", after, sizeof after), 0);
	assert_int_equal(atoi(after), atoi(before));
	/* The server's role cannot rewrite history. */
	assert_int_not_equal(harness_psql(&srv, "SET ROLE tafel_app; DELETE "
	    "FROM audit_log"), 0);
	assert_int_not_equal(harness_psql(&srv, "SET ROLE tafel_app; UPDATE "
	    "audit_log SET categories = '{}'"), 0);
	tclient_close(&c);
}

/* The id of the first meeting of a series kind in a state ('closed': the newest). */
static int64_t
meeting_of(const char *kind, const char *state)
{
	char sql[300], v[32];

	snprintf(sql, sizeof sql, "SELECT m.id FROM meetings m JOIN series s ON "
	    "s.id = m.series_id WHERE s.kind = '%s' AND m.state = '%s' ORDER BY "
	    "m.scheduled_start %s LIMIT 1", kind, state,
	    strcmp(state, "closed") == 0 ? "DESC" : "");
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	return atoll(v);
}

static int64_t
user_id(const char *login)
{
	char sql[200], v[32];

	snprintf(sql, sizeof sql, "SELECT id FROM users WHERE login = '%s'",
	    login);
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	return atoll(v);
}

/* record_attendance {meeting, user, present}; the answer. */
static Tafel__Envelope *
attend(struct tclient *c, int64_t meeting, const char *login, int present)
{
	Tafel__AttendanceRequest r = TAFEL__ATTENDANCE_REQUEST__INIT;

	r.meeting_id = meeting;
	r.user_id = user_id(login);
	r.present = present;
	return tclient_req(c, B(RECORD_ATTENDANCE), &r, harness_key());
}

/* The chair makes an agenda item of a case current; asserts success. */
static void
make_current(struct tclient *chair, int64_t meeting, const char *number)
{
	Tafel__SetCurrentItemRequest r = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	Tafel__Envelope *m;
	char sql[300], v[32];

	snprintf(sql, sizeof sql, "SELECT a.id FROM agenda_items a JOIN cases c "
	    "ON c.id = a.case_id WHERE a.meeting_id = %lld AND c.number = '%s'",
	    (long long)meeting, number);
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	r.meeting_id = meeting;
	r.item_id = atoll(v);
	m = tclient_req(chair, B(SET_CURRENT_ITEM), &r, harness_key());
	harness_expect_body(m, B(MEETING));
	frame_free(m);
}

/* The redaction reason get_case answers (asserting an answer came). */
static void
expect_reason(struct tclient *c, const char *number, const char *reason)
{
	Tafel__Envelope *m = get_case(c, number);

	harness_expect_body(m, B(CASE_DETAIL));
	assert_string_equal(m->case_detail->case_->redaction_reason, reason);
	frame_free(m);
}

/*
 * Issue 8.1: victim support, no member of the WZT series, records itself
 * present at last month's closed WZT and then reads its cases in full.
 * Refused, and nothing changes; a member cannot record itself at a closed
 * or planned meeting either.
 */
static void
test_attendance_leak(void **state)
{
	struct tclient c, pol;
	Tafel__Envelope *m;
	int64_t past = meeting_of("wzt", "closed");
	char before[32], after[32];
	const char *count = "SELECT count(*) FROM attendance";

	(void)state;
	assert_int_equal(harness_psql_value(&srv, count, before, sizeof before),
	    0);
	assert_int_equal(tclient_login(&c, &srv, "slachtofferhulp", "demo"), 0);
	m = get_case(&c, CASE_POLICE);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);
	m = attend(&c, past, "slachtofferhulp", 1);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);
	m = attend(&c, wzt, "slachtofferhulp", 1);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);
	m = get_case(&c, CASE_POLICE);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);
	m = tclient_subscribe(&c, past, 0, 0);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);
	tclient_close(&c);

	/* The non-signatory GP in the SSO, a series its practice is not in. */
	assert_int_equal(tclient_login(&c, &srv, "huisarts", "demo"), 0);
	m = attend(&c, meeting_of("sso", "planned"), "huisarts", 1);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);
	tclient_close(&c);

	/* A member: only while the meeting is open. */
	assert_int_equal(tclient_login(&pol, &srv, "wijkagent", "demo"), 0);
	m = attend(&pol, past, "wijkagent", 1);
	assert_int_equal(harness_error_of(m),
	    TAFEL__ERROR_CODE__INVALID_TRANSITION);
	frame_free(m);
	tclient_close(&pol);

	assert_int_equal(harness_psql_value(&srv, count, after, sizeof after),
	    0);
	assert_string_equal(after, before);
}

/*
 * Presence counts for the items opened while present: the chair from the
 * opening on (warned that nobody else is present), a latecomer not for the
 * item opened before she came, a leaver not for the items after.  The case
 * history names no meeting the user cannot see.
 */
static void
test_attendance_time_ordered(void **state)
{
	struct tclient chair, wer;
	Tafel__Envelope *m;
	Tafel__MeetingStateRequest o = TAFEL__MEETING_STATE_REQUEST__INIT;
	int64_t sso = meeting_of("sso", "planned");

	(void)state;
	assert_int_equal(tclient_login(&chair, &srv, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&wer, &srv, "forensisch", "demo"), 0);
	o.meeting_id = sso;
	o.version = 1;
	m = tclient_req(&chair, B(OPEN_MEETING), &o, harness_key());
	harness_expect_body(m, B(MEETING));
	assert_string_equal(m->meeting->warning, "nobody_present");
	frame_free(m);

	make_current(&chair, sso, "2026-0002");
	expect_reason(&chair, "2026-0002", "");	/* present from the opening */
	m = attend(&wer, sso, "forensisch", 1);
	harness_expect_body(m, B(ATTENDANCE));
	frame_free(m);
	expect_reason(&wer, "2026-0002", "not_involved");	/* came later */
	make_current(&chair, sso, "2026-0007");
	expect_reason(&wer, "2026-0007", "");
	m = attend(&wer, sso, "forensisch", 0);
	harness_expect_body(m, B(ATTENDANCE));
	frame_free(m);
	make_current(&chair, sso, "2026-0008");
	expect_reason(&wer, "2026-0008", "not_involved");	/* had left */

	/* De Wering is involved in CASE_POLICE but no member of the WZT. */
	m = get_case(&wer, CASE_POLICE);
	harness_expect_body(m, B(CASE_DETAIL));
	assert_int_equal(m->case_detail->n_history, 0);
	frame_free(m);
	tclient_close(&chair);
	tclient_close(&wer);
}

/* The next event of c that carries the case with this number (NULL: none). */
static Tafel__Envelope *
event_with_case(struct tclient *c, const char *number)
{
	Tafel__Envelope *m;
	int i;

	for (i = 0; i < 10; i++) {
		if ((m = tclient_event(c, T)) == NULL)
			return NULL;
		if (m->event->case_ != NULL &&
		    strcmp(m->event->case_->number, number) == 0)
			return m;
		frame_free(m);
	}
	return NULL;
}

/*
 * Retention: a case closed six years ago is anonymised, and a client that
 * has it on screen gets it anonymised at once; one under legal hold is not.
 */
static void
test_retention(void **state)
{
	static const char *const hold[] = { "case", "hold", "2026-0006", NULL };
	static const char *const purge[] = { "purge", NULL };
	struct tclient c;
	Tafel__Envelope *m;
	char v[200];
	size_t i;

	(void)state;
	assert_int_equal(harness_psql(&srv, "UPDATE cases SET status = "
	    "'closed', closed_at = now() - interval '6 years' WHERE number IN "
	    "('2026-0005', '2026-0006'); UPDATE cases SET status = 'closed', "
	    "closed_at = now() - interval '1 year' WHERE number = '2026-0004'"),
	    0);
	assert_int_equal(tafelctl_run(&srv, hold), 0);
	/* the police (who see its names) follow a meeting with 2026-0005 */
	assert_int_equal(harness_psql_value(&srv, "SELECT a.meeting_id FROM "
	    "agenda_items a JOIN cases k ON k.id = a.case_id WHERE k.number = "
	    "'2026-0005' ORDER BY a.meeting_id LIMIT 1", v, sizeof v), 0);
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	m = tclient_subscribe(&c, atoll(v), 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
	assert_int_equal(tafelctl_run(&srv, purge), 0);
	m = event_with_case(&c, "2026-0005");
	assert_non_null(m);
	assert_int_equal(m->event->by_user_id, 0);
	assert_true(m->event->case_->n_persons > 0);
	for (i = 0; i < m->event->case_->n_persons; i++) {
		assert_string_equal(m->event->case_->persons[i]->name,
		    "geanonimiseerd");
		assert_string_equal(m->event->case_->persons[i]->birth_date, "");
	}
	assert_string_equal(m->event->case_->summary, "");
	assert_true(m->event->n_actions > 0);
	for (i = 0; i < m->event->n_actions; i++)
		assert_string_equal(m->event->actions[i]->description, "");
	frame_free(m);
	tclient_close(&c);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FILTER "
	    "(WHERE p.name <> 'geanonimiseerd' OR p.birth_date IS NOT NULL) || "
	    "'/' || count(*) FROM persons p JOIN cases c ON c.id = p.case_id "
	    "WHERE c.number = '2026-0005'", v, sizeof v), 0);
	assert_int_equal(atoi(v), 0);		/* nothing personal left */
	assert_true(atoi(strchr(v, '/') + 1) > 0);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM persons "
	    "p JOIN cases c ON c.id = p.case_id WHERE c.number IN ('2026-0006', "
	    "'2026-0004') AND p.name = 'geanonimiseerd'", v, sizeof v), 0);
	assert_int_equal(atoi(v), 0);		/* held, and too recent */
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM "
	    "purge_log WHERE case_number = '2026-0005'", v, sizeof v), 0);
	assert_int_equal(atoi(v), 1);
}

/*
 * How many pushed changes disclosed a case to a user: the counts of their
 * 'event' disclosures (0012) plus any 'event' audit rows.
 */
static int
event_audits(const char *login, const char *number)
{
	char sql[400], v[32];

	snprintf(sql, sizeof sql, "SELECT coalesce(sum(a.count), 0) FROM "
	    "tafel_audit_entries() a JOIN users u ON u.id = a.user_id JOIN "
	    "cases c ON c.id = a.case_id WHERE u.login = '%s' AND c.number = "
	    "'%s' AND a.context = 'event'", login, number);
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	return atoi(v);
}

/*
 * A change is rendered once per class of viewers (same organisation rules,
 * observer status, shared-screen state): two police officers get the very
 * same bytes, the non-signatory GP never gets theirs, and every one of
 * them is still audited on their own (a disclosure each, counting the
 * change).
 */
static void
test_render_classes(void **state)
{
	static const char *const who[] = { "politie", "wijkagent", "huisarts" };
	struct tclient chair, v[3];
	Tafel__MeetingStateRequest o = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__Envelope *m, *ev[3];
	uint8_t *bytes[3];
	size_t len[3];
	int before[3], k;
	char ver[32], sql[200];

	(void)state;
	assert_int_equal(tclient_login(&chair, &srv, "voorzitter", "demo"), 0);
	snprintf(sql, sizeof sql, "SELECT version || ' ' || state FROM "
	    "meetings WHERE id = %lld", (long long)wzt);
	assert_int_equal(harness_psql_value(&srv, sql, ver, sizeof ver), 0);
	if (strstr(ver, "planned") != NULL) {
		o.meeting_id = wzt;
		o.version = atoll(ver);
		m = tclient_req(&chair, B(OPEN_MEETING), &o, harness_key());
		harness_expect_body(m, B(MEETING));
		frame_free(m);
	}
	for (k = 0; k < 3; k++) {
		assert_int_equal(tclient_login(&v[k], &srv, who[k], "demo"), 0);
		m = tclient_subscribe(&v[k], wzt, 0, 0);
		harness_expect_body(m, B(SUBSCRIBED));
		frame_free(m);
		before[k] = event_audits(who[k], CASE_POLICE);
	}
	make_current(&chair, wzt, CASE_POLICE);
	for (k = 0; k < 3; k++) {
		ev[k] = event_with_case(&v[k], CASE_POLICE);
		assert_non_null(ev[k]);
		len[k] = tafel__case__get_packed_size(ev[k]->event->case_);
		bytes[k] = malloc(len[k]);
		tafel__case__pack(ev[k]->event->case_, bytes[k]);
	}
	/* the police officers: in full, byte for byte the same */
	assert_true(shows_personal_data(ev[0]->event->case_));
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(bytes[0], bytes[1], len[0]);
	/* the GP: pseudonymised, not the police's rendering */
	assert_false(shows_personal_data(ev[2]->event->case_));
	assert_string_equal(ev[2]->event->case_->redaction_reason,
	    "not_signatory");
	assert_true(len[2] != len[0] || memcmp(bytes[2], bytes[0], len[0]) != 0);
	/* each officer audited for the event; the pseudonymised view is no read */
	assert_int_equal(event_audits("politie", CASE_POLICE), before[0] + 1);
	assert_int_equal(event_audits("wijkagent", CASE_POLICE), before[1] + 1);
	assert_int_equal(event_audits("huisarts", CASE_POLICE), before[2]);
	for (k = 0; k < 3; k++) {
		free(bytes[k]);
		frame_free(ev[k]);
		tclient_close(&v[k]);
	}
	tclient_close(&chair);
}

/* `tafelctl status`'s join counters: served from the cache, rendered. */
static void
cache_counts(struct tafeld *t, long *hits, long *misses)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	char cmd[700], line[400];
	FILE *p;

	*hits = *misses = 0;
	snprintf(cmd, sizeof cmd, "'%s' --config /dev/null --data-dir '%s' "
	    "status 2>/dev/null", bin, t->dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof line, p) != NULL)
		(void)sscanf(line, "join snapshots: %ld served from the cache, "
		    "%ld rendered", hits, misses);
	assert_int_equal(pclose(p), 0);
}

/*
 * The snapshot of a join of the WZT by login, packed; *personal: whether
 * it shows case CASE_POLICE's personal data.
 */
static uint8_t *
join_packed(struct tclient *c, struct tafeld *t, const char *login,
    size_t *len, int *personal)
{
	Tafel__Envelope *m;
	Tafel__Snapshot *s;
	uint8_t *b;
	size_t i;

	assert_int_equal(tclient_login(c, t, login, "demo"), 0);
	m = tclient_subscribe(c, wzt, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	s = m->subscribed->snapshot;
	assert_non_null(s);
	*personal = -1;
	for (i = 0; i < s->n_cases; i++)
		if (s->cases[i]->id == case_id(CASE_POLICE))
			*personal = shows_personal_data(s->cases[i]);
	assert_int_not_equal(*personal, -1);
	*len = tafel__subscribe_response__get_packed_size(m->subscribed);
	b = malloc(*len);
	assert_non_null(b);
	tafel__subscribe_response__pack(m->subscribed, b);
	frame_free(m);
	return b;
}

static int
snapshot_audits(const char *login)
{
	char sql[400], v[32];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log a JOIN users "
	    "u ON u.id = a.user_id WHERE u.login = '%s' AND a.meeting_id = %lld "
	    "AND a.context = 'snapshot'", login, (long long)wzt);
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	return atoi(v);
}

/*
 * Join snapshots are kept per class of viewers (server/snapcache.c): the
 * second police officer gets the first one's snapshot byte for byte from
 * the cache, audited as their own read; the GP, of another class, never
 * gets it; and an administrator's change that no change-log entry
 * announces (the police may no longer see names) makes the kept snapshot
 * stale at once.
 */
static void
test_join_snapshot_classes(void **state)
{
	static const char *const none[] = { "access", "set", "police", NULL };
	static const char *const back[] = { "access", "set", "police",
	    "person_names,birth_dates,case_summary,free_text", NULL };
	struct tclient c[4];
	uint8_t *b[4];
	size_t len[4];
	int personal[4], audits[2], tries;
	long h0, m0, h, m;

	(void)state;
	/*
	 * The two officers one after the other: the second from the cache,
	 * unless a background job wrote in between (the maintenance run
	 * moving the floor, an escalation); then the next try.
	 */
	for (tries = 0;; tries++) {
		audits[0] = snapshot_audits("politie");
		audits[1] = snapshot_audits("wijkagent");
		/* served or rendered: a try before may have kept one */
		b[0] = join_packed(&c[0], &srv, "politie", &len[0],
		    &personal[0]);
		cache_counts(&srv, &h0, &m0);
		b[1] = join_packed(&c[1], &srv, "wijkagent", &len[1],
		    &personal[1]);
		cache_counts(&srv, &h, &m);
		if (h == h0 + 1 || tries == 4)
			break;
		free(b[0]);
		free(b[1]);
		tclient_close(&c[0]);
		tclient_close(&c[1]);
		sleep(1);
	}
	assert_int_equal(h, h0 + 1);
	assert_int_equal(m, m0);
	assert_true(personal[0]);
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(b[0], b[1], len[0]);
	/* the officer served from the cache is audited as the first was */
	assert_true(snapshot_audits("politie") > audits[0]);
	assert_int_equal(snapshot_audits("wijkagent") - audits[1],
	    snapshot_audits("politie") - audits[0]);

	/* the GP: another class, rendered, pseudonymised */
	b[2] = join_packed(&c[2], &srv, "huisarts", &len[2], &personal[2]);
	cache_counts(&srv, &h, &m);
	assert_int_equal(h, h0 + 1);
	assert_int_equal(m, m0 + 1);
	assert_false(personal[2]);
	assert_true(len[2] != len[0] || memcmp(b[2], b[0], len[0]) != 0);

	/* the police lose the names: the kept snapshot is not served */
	assert_int_equal(tafelctl_run(&srv, none), 0);
	b[3] = join_packed(&c[3], &srv, "wijkagent", &len[3], &personal[3]);
	assert_int_equal(tafelctl_run(&srv, back), 0);
	cache_counts(&srv, &h, &m);
	assert_int_equal(h, h0 + 1);
	assert_int_equal(m, m0 + 2);
	assert_false(personal[3]);
	for (int k = 0; k < 4; k++) {
		free(b[k]);
		tclient_close(&c[k]);
	}
}

/*
 * join_cache = no: every join is rendered, none is served from a kept
 * snapshot (the same two officers, on a server of their own).
 */
static void
test_join_cache_off(void **state)
{
	static const char *const args[] = { "--set", "join_cache=no", NULL };
	struct tafeld t;
	struct tclient c[2];
	uint8_t *b[2];
	size_t len[2];
	int personal[2], k;
	long h, m;
	char sql[300], v[16];

	(void)state;
	assert_int_equal(tafeld_start_demo(&t, args), 0);
	/* the demo data is loaded the same way: the same ids as srv's */
	snprintf(sql, sizeof sql, "SELECT (SELECT id FROM cases WHERE number "
	    "= '%s') = %lld AND EXISTS (SELECT 1 FROM meetings m JOIN series s "
	    "ON s.id = m.series_id WHERE m.id = %lld AND s.kind = 'wzt')",
	    CASE_POLICE, (long long)case_id(CASE_POLICE), (long long)wzt);
	assert_int_equal(harness_psql_value(&t, sql, v, sizeof v), 0);
	assert_string_equal(v, "t");
	b[0] = join_packed(&c[0], &t, "politie", &len[0], &personal[0]);
	b[1] = join_packed(&c[1], &t, "wijkagent", &len[1], &personal[1]);
	cache_counts(&t, &h, &m);
	assert_int_equal(h, 0);
	assert_int_equal(m, 2);
	assert_true(personal[0] && personal[1]);
	for (k = 0; k < 2; k++) {
		free(b[k]);
		tclient_close(&c[k]);
	}
	assert_int_equal(tafeld_teardown(&t), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_involved_signatory_sees_all),
		cmocka_unit_test(test_uninvolved_gets_nothing),
		cmocka_unit_test(test_non_signatory_pseudonymised),
		cmocka_unit_test(test_observer_pseudonymised),
		cmocka_unit_test(test_one_shared_screen_per_connection),
		cmocka_unit_test(test_kind_categories),
		cmocka_unit_test(test_shared_screen),
		cmocka_unit_test(test_events_filtered),
		cmocka_unit_test(test_read_audit),
		cmocka_unit_test(test_attendance_leak),
		cmocka_unit_test(test_attendance_time_ordered),
		cmocka_unit_test(test_retention),
		cmocka_unit_test(test_render_classes),
		cmocka_unit_test(test_join_snapshot_classes),
		cmocka_unit_test(test_join_cache_off),
	};

	harness_require_service_user();
	return cmocka_run_group_tests(tests, setup, teardown);
}
