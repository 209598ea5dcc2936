/* Integration: the register over real TLS and PostgreSQL: live push, resume, idempotency, conflicts, backpressure, bad input, login. */
#include <sys/types.h>
#include <sys/wait.h>

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

/* Facts about the demo data, looked up once. */
static int64_t meeting_id;	/* today's first meeting, opened by setup */
static int64_t item_ids[16];	/* its agenda */
static int64_t case_ids[16];
static size_t n_items;
static int64_t police_org, youth_org;

static const char *const server_args[] = {
	"--set", "resume_window=64",
	"--set", "outbuf_limit=65536",
	"--set", "login_delay=300ms",
	"--set", "login_delay_max=2s",
	"--set", "rate_session=100000",
	"--set", "rate_burst=100000",
	"--set", "rate_address=100000",
	NULL
};

static void
login_as(struct tclient *c, const char *user)
{
	assert_int_equal(tclient_login(c, &srv, user, "demo"), 0);
}

/* Subscribes c to the meeting; returns the snapshot's seq. */
static uint64_t
subscribe(struct tclient *c, uint64_t resume_from, int *resumed)
{
	Tafel__Envelope *m;
	uint64_t seq;

	m = tclient_subscribe(c, meeting_id, resume_from, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	seq = m->subscribed->seq;
	if (resumed != NULL)
		*resumed = m->subscribed->resumed;
	if (!m->subscribed->resumed) {
		assert_non_null(m->subscribed->snapshot);
		assert_non_null(m->subscribed->snapshot->meeting);
		assert_int_equal(m->subscribed->snapshot->meeting->id, meeting_id);
	}
	frame_free(m);
	return seq;
}

static Tafel__Envelope *
create_action(struct tclient *c, int64_t case_id, const char *what,
    const char *key)
{
	Tafel__CreateActionRequest a = TAFEL__CREATE_ACTION_REQUEST__INIT;

	a.case_id = case_id;
	a.meeting_id = meeting_id;
	a.description = (char *)what;
	a.owner_org_id = youth_org;
	a.due_date = "2031-01-15";
	return tclient_req(c, B(CREATE_ACTION), &a, key);
}

static Tafel__Envelope *
set_current(struct tclient *c, int64_t item)
{
	Tafel__SetCurrentItemRequest s = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;

	s.meeting_id = meeting_id;
	s.item_id = item;
	return tclient_req(c, B(SET_CURRENT_ITEM), &s, harness_key());
}

#define SETUP_FAIL(what) do { harness_print_error("setup: " what, m); \
	return -1; } while (0)

static int
setup(void **state)
{
	struct tclient c;
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__ListOrganisationsRequest lo = TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;
	Tafel__MeetingStateRequest open = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__Envelope *m;
	size_t i;

	(void)state;
	if (tafeld_start_demo(&srv, server_args) != 0)
		return -1;
	m = NULL;
	if (tclient_login(&c, &srv, "voorzitter", "demo") != 0)
		SETUP_FAIL("login");
	m = tclient_req(&c, B(LIST_MEETINGS), &lm, NULL);
	if (m == NULL || m->body_case != B(MEETING_LIST))
		SETUP_FAIL("list_meetings");
	for (i = 0; i < m->meeting_list->n_meetings; i++) {
		Tafel__Meeting *mt = m->meeting_list->meetings[i];

		if (mt->state == TAFEL__MEETING_STATE__MEETING_PLANNED) {
			meeting_id = mt->id;
			open.meeting_id = mt->id;
			open.version = mt->version;
			break;
		}
	}
	frame_free(m);
	if (meeting_id == 0)
		SETUP_FAIL("no planned meeting");
	m = tclient_req(&c, B(OPEN_MEETING), &open, harness_key());
	if (m == NULL || m->body_case != B(MEETING))
		SETUP_FAIL("open_meeting");
	frame_free(m);
	m = tclient_req(&c, B(LIST_ORGANISATIONS), &lo, NULL);
	if (m == NULL || m->body_case != B(ORGANISATION_LIST))
		SETUP_FAIL("list_organisations");
	for (i = 0; i < m->organisation_list->n_organisations; i++) {
		Tafel__Organisation *o = m->organisation_list->organisations[i];

		if (o->kind == TAFEL__ORG_KIND__ORG_POLICE)
			police_org = o->id;
		if (o->kind == TAFEL__ORG_KIND__ORG_YOUTH_CARE)
			youth_org = o->id;
	}
	frame_free(m);
	m = tclient_subscribe(&c, meeting_id, 0, 0);
	if (m == NULL || m->body_case != B(SUBSCRIBED))
		SETUP_FAIL("subscribe");
	for (i = 0; i < m->subscribed->snapshot->n_agenda && i < 16; i++) {
		item_ids[i] = m->subscribed->snapshot->agenda[i]->id;
		case_ids[i] = m->subscribed->snapshot->agenda[i]->case_id;
	}
	n_items = i;
	frame_free(m);
	tclient_close(&c);
	return (n_items >= 3 && police_org && youth_org) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&srv);
}

/* The chair adds an action point and moves on; a follower sees both, in order, after commit. */
static void
test_live_push_two_clients(void **state)
{
	struct tclient chair, follower;
	Tafel__Envelope *m, *e1, *e2;
	Tafel__GetCaseRequest gc = TAFEL__GET_CASE_REQUEST__INIT;
	int64_t action_id;
	size_t i;
	int found = 0;

	(void)state;
	login_as(&chair, "voorzitter");
	login_as(&follower, "politie");
	subscribe(&follower, 0, NULL);

	m = create_action(&chair, case_ids[0], "Huisbezoek plannen", harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	action_id = m->action_point->id;
	frame_free(m);
	m = set_current(&chair, item_ids[1]);
	harness_expect_body(m, B(MEETING));
	assert_int_equal(m->meeting->current_item_id, item_ids[1]);
	frame_free(m);

	e1 = tclient_event(&follower, T);
	assert_non_null(e1);
	assert_non_null(e1->event->action_point);
	assert_int_equal(e1->event->action_point->id, action_id);
	assert_string_equal(e1->event->action_point->description,
	    "Huisbezoek plannen");
	e2 = tclient_event(&follower, T);
	assert_non_null(e2);
	assert_non_null(e2->event->meeting);
	assert_int_equal(e2->event->meeting->current_item_id, item_ids[1]);
	assert_int_equal(e2->event->seq, e1->event->seq + 1);

	/* Pushed after commit: the follower can already read it back. */
	gc.case_id = case_ids[0];
	m = tclient_req(&follower, B(GET_CASE), &gc, NULL);
	harness_expect_body(m, B(CASE_DETAIL));
	for (i = 0; i < m->case_detail->n_actions; i++)
		if (m->case_detail->actions[i]->id == action_id)
			found = 1;
	assert_true(found);
	frame_free(m);
	frame_free(e1);
	frame_free(e2);
	tclient_close(&chair);
	tclient_close(&follower);
}

/* Reconnect with the last seq: exactly the missed events; too old: a snapshot. */
static void
test_resume(void **state)
{
	struct tclient chair, f;
	Tafel__Envelope *m;
	uint64_t last, seqs[3];
	int resumed = 0, i;
	char what[64];

	(void)state;
	login_as(&chair, "voorzitter");
	login_as(&f, "politie");
	last = subscribe(&f, 0, NULL);
	tclient_close(&f);

	for (i = 0; i < 3; i++) {
		snprintf(what, sizeof what, "Gemiste afspraak %d", i);
		m = create_action(&chair, case_ids[1], what, harness_key());
		harness_expect_body(m, B(ACTION_POINT));
		frame_free(m);
	}
	login_as(&f, "politie");
	assert_int_equal(subscribe(&f, last, &resumed), last);
	assert_true(resumed);
	for (i = 0; i < 3; i++) {
		m = tclient_event(&f, T);
		assert_non_null(m);
		seqs[i] = m->event->seq;
		assert_true(seqs[i] > last);
		if (i > 0)
			assert_true(seqs[i] > seqs[i - 1]);
		snprintf(what, sizeof what, "Gemiste afspraak %d", i);
		assert_string_equal(m->event->action_point->description, what);
		frame_free(m);
	}
	/* Nothing more, no duplicates. */
	assert_null(tclient_event(&f, 500));
	tclient_close(&f);

	/* More changes than the resume window (64) keeps: too old. */
	for (i = 0; i < 70; i++) {
		m = set_current(&chair, item_ids[i % 2]);
		harness_expect_body(m, B(MEETING));
		frame_free(m);
	}
	login_as(&f, "politie");
	assert_true(subscribe(&f, last, &resumed) > last);
	assert_false(resumed);	/* a fresh snapshot instead */
	tclient_close(&f);
	tclient_close(&chair);
}

/* A write retried with the same key after a dropped connection is applied once. */
static void
test_idempotent_retry(void **state)
{
	struct tclient c;
	Tafel__CreateActionRequest a = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__GetCaseRequest gc = TAFEL__GET_CASE_REQUEST__INIT;
	char key[64];
	int64_t id;
	size_t i, n = 0;

	(void)state;
	snprintf(key, sizeof key, "%s", harness_key());
	login_as(&c, "voorzitter");
	a.case_id = case_ids[2];
	a.meeting_id = meeting_id;
	a.description = "Eenmalig vastleggen";
	a.owner_org_id = youth_org;
	a.due_date = "2031-02-01";
	env.request_id = 77;
	env.idempotency_key = key;
	env.body_case = B(CREATE_ACTION);
	env.create_action = &a;
	assert_int_equal(tclient_send(&c, &env), 0);
	tclient_close(&c);	/* the answer is lost */

	login_as(&c, "voorzitter");
	m = tclient_req(&c, B(CREATE_ACTION), &a, key);
	harness_expect_body(m, B(ACTION_POINT));
	id = m->action_point->id;
	frame_free(m);
	m = tclient_req(&c, B(CREATE_ACTION), &a, key);	/* and again */
	harness_expect_body(m, B(ACTION_POINT));
	assert_int_equal(m->action_point->id, id);
	frame_free(m);

	gc.case_id = case_ids[2];
	m = tclient_req(&c, B(GET_CASE), &gc, NULL);
	harness_expect_body(m, B(CASE_DETAIL));
	for (i = 0; i < m->case_detail->n_actions; i++)
		if (strcmp(m->case_detail->actions[i]->description,
		    "Eenmalig vastleggen") == 0)
			n++;
	assert_int_equal(n, 1);
	frame_free(m);

	/* The same key for a different write is refused. */
	a.description = "Iets anders";
	m = tclient_req(&c, B(CREATE_ACTION), &a, key);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__IDEMPOTENCY_KEY_REUSED);
	assert_string_equal(m->error->field, "idempotency_key");
	frame_free(m);
	tclient_close(&c);
}

/* Two edits based on one version: one wins, the other gets CONFLICT with the current state. */
static void
test_conflict(void **state)
{
	struct tclient a, b;
	Tafel__UpdateActionRequest u = TAFEL__UPDATE_ACTION_REQUEST__INIT;
	Tafel__Envelope *m;
	int64_t id, version;

	(void)state;
	login_as(&a, "voorzitter");
	login_as(&b, "jeugdzorg");
	m = create_action(&a, case_ids[0], "Versie een", harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	id = m->action_point->id;
	version = m->action_point->version;
	frame_free(m);

	u.id = id;
	u.version = version;
	u.owner_org_id = youth_org;
	u.due_date = "2031-03-01";
	u.description = "Aangepast door de voorzitter";
	m = tclient_req(&a, B(UPDATE_ACTION), &u, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	assert_int_equal(m->action_point->version, version + 1);
	frame_free(m);

	u.description = "Aangepast door jeugdzorg";
	m = tclient_req(&b, B(UPDATE_ACTION), &u, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__CONFLICT);
	assert_int_equal(m->error->current_record_case,
	    TAFEL__ERROR__CURRENT_RECORD_CURRENT_ACTION_POINT);
	assert_int_equal(m->error->current_action_point->version, version + 1);
	assert_string_equal(m->error->current_action_point->description,
	    "Aangepast door de voorzitter");
	frame_free(m);
	tclient_close(&a);
	tclient_close(&b);
}

/* A subscriber that stops reading is cut off; another keeps receiving. */
static void
test_slow_reader_disconnected(void **state)
{
	struct tclient chair, slow, good;
	Tafel__RecordDecisionRequest d = TAFEL__RECORD_DECISION_REQUEST__INIT;
	Tafel__Envelope *m;
	char *text;
	int i, got = 0, cut;
	int64_t version = 0;

	(void)state;
	login_as(&chair, "voorzitter");
	harness_rcvbuf = 4096;
	login_as(&slow, "politie");
	harness_rcvbuf = 0;
	login_as(&good, "voorzitter");
	subscribe(&slow, 0, NULL);
	subscribe(&good, 0, NULL);
	cut = tafeld_log_count(&srv, "is not reading; disconnecting");

	text = malloc(4001);
	memset(text, 'x', 4000);
	text[4000] = '\0';
	d.item_id = item_ids[2];
	d.decision = text;
	for (i = 0; i < 300; i++) {
		d.version = version;
		if (version == 0)
			d.version = 1;
		m = tclient_req(&chair, B(RECORD_DECISION), &d, harness_key());
		if (m != NULL && m->body_case == B(AGENDA_ITEM))
			version = m->agenda_item->version;
		else if (m != NULL && m->body_case == B(ERROR) &&
		    m->error->current_record_case ==
		    TAFEL__ERROR__CURRENT_RECORD_CURRENT_AGENDA_ITEM)
			version = m->error->current_agenda_item->version;
		frame_free(m);
		d.version = version;
		/* the good client reads as it goes */
		while ((m = tclient_event(&good, 0)) != NULL) {
			got++;
			frame_free(m);
		}
		if (tafeld_log_count(&srv, "is not reading; disconnecting") > cut &&
		    i > 20)
			break;
	}
	free(text);
	assert_true(tafeld_log_count(&srv, "is not reading; disconnecting") > cut);
	while ((m = tclient_event(&good, 1000)) != NULL) {
		got++;
		frame_free(m);
	}
	assert_true(got > 10);
	/* The slow client really is cut off: what it has queued, then EOF. */
	while ((m = tclient_recv(&slow, 5000)) != NULL)
		frame_free(m);
	assert_true(slow.eof);
	/* The server is still fine for everyone else. */
	m = set_current(&chair, item_ids[0]);
	harness_expect_body(m, B(MEETING));
	frame_free(m);
	m = tclient_event(&good, T);
	assert_non_null(m);
	frame_free(m);
	tclient_close(&slow);
	tclient_close(&good);
	tclient_close(&chair);
}

/* Each kind of bad input gets its own code; the session survives. */
static void
test_bad_input(void **state)
{
	struct tclient c, anon, obs;
	Tafel__Envelope *m;
	Tafel__GetCaseRequest gc = TAFEL__GET_CASE_REQUEST__INIT;
	Tafel__RecordDecisionRequest d = TAFEL__RECORD_DECISION_REQUEST__INIT;
	Tafel__MeetingStateRequest ms = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__PingRequest ping = TAFEL__PING_REQUEST__INIT;
	static const uint8_t unknown[] = { 0, 0, 0, 5, 0x08, 0x09, 0x98, 0x06, 0x01 };
	char *big;

	(void)state;
	login_as(&c, "politie");

	assert_int_equal(tclient_send_raw(&c, unknown, sizeof unknown), 0);
	m = tclient_recv(&c, T);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__UNKNOWN_MESSAGE);
	assert_int_equal(m->request_id, 9);
	frame_free(m);

	gc.case_id = -5;
	m = tclient_req(&c, B(GET_CASE), &gc, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_string_equal(m->error->field, "case_id");
	frame_free(m);

	gc.case_id = 987654321;
	m = tclient_req(&c, B(GET_CASE), &gc, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);

	big = malloc(TAFEL_MAX_TEXT + 2);
	memset(big, 'a', TAFEL_MAX_TEXT + 1);
	big[TAFEL_MAX_TEXT + 1] = '\0';
	d.item_id = item_ids[0];
	d.version = 1;
	d.decision = big;
	m = tclient_req(&c, B(RECORD_DECISION), &d, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__STRING_TOO_LONG);
	frame_free(m);
	free(big);

	d.decision = "ongeldig \xff\xfe tekst";
	m = tclient_req(&c, B(RECORD_DECISION), &d, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__INVALID_UTF8);
	frame_free(m);

	d.decision = "escape \x1b[2J";
	m = tclient_req(&c, B(RECORD_DECISION), &d, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	frame_free(m);

	d.decision = "zonder sleutel";
	m = tclient_req(&c, B(RECORD_DECISION), &d, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__IDEMPOTENCY_KEY_REQUIRED);
	frame_free(m);

	/* A member may not open or close meetings. */
	ms.meeting_id = meeting_id;
	ms.version = 1;
	m = tclient_req(&c, B(CLOSE_MEETING), &ms, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);

	/* A request before login. */
	assert_int_equal(tclient_open(&anon, &srv, TAFEL_PROTOCOL_VERSION), 0);
	gc.case_id = case_ids[0];
	m = tclient_req(&anon, B(GET_CASE), &gc, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_AUTHENTICATED);
	frame_free(m);
	tclient_close(&anon);

	/* An observer cannot write. */
	login_as(&obs, "waarnemer");
	m = create_action(&obs, case_ids[0], "Mag niet", harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);
	tclient_close(&obs);

	/* After all that, the session still works. */
	m = tclient_req(&c, B(PING), &ping, NULL);
	harness_expect_body(m, B(PONG));
	frame_free(m);
	tclient_close(&c);
}

/* Wrong passwords are refused and slowed; disabled users are refused. */
static void
test_login_rules(void **state)
{
	static const char *const disable[] = { "user", "disable", "om", NULL };
	static const char *const enable[] = { "user", "enable", "om", NULL };
	struct tclient c;
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	Tafel__Envelope *m;
	long long t0, took;

	(void)state;
	assert_int_equal(tclient_open(&c, &srv, TAFEL_PROTOCOL_VERSION), 0);
	l.login = "reclassering";
	l.password = "fout";
	/*
	 * Timed from before the first attempt, and with 10 ms to spare:
	 * tafeld's delay is a libevent timer, counted from the loop's cached
	 * clock (CLOCK_MONOTONIC_COARSE, a few milliseconds coarse), so the
	 * second answer may come a tick less than 300 ms after its request
	 * (CI's sanitizer build once saw took < 300).  Without the delay it
	 * would take a few milliseconds.
	 */
	t0 = now_ms();
	m = tclient_req(&c, B(LOGIN), &l, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__LOGIN_FAILED);
	assert_true(m->error->retry_after_ms >= 300);
	frame_free(m);
	/* The next attempt for this user waits at least the delay. */
	m = tclient_req(&c, B(LOGIN), &l, NULL);
	took = now_ms() - t0;
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__LOGIN_FAILED);
	assert_true(took >= 290);
	assert_true(m->error->retry_after_ms > 300);
	frame_free(m);
	/* Unknown users get the same answer. */
	l.login = "bestaat-niet";
	m = tclient_req(&c, B(LOGIN), &l, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__LOGIN_FAILED);
	frame_free(m);
	tclient_close(&c);

	assert_int_equal(tafelctl_run(&srv, disable), 0);
	assert_int_equal(tclient_open(&c, &srv, TAFEL_PROTOCOL_VERSION), 0);
	l.login = "om";
	l.password = "demo";
	m = tclient_req(&c, B(LOGIN), &l, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__ACCOUNT_DISABLED);
	frame_free(m);
	tclient_close(&c);
	assert_int_equal(tafelctl_run(&srv, enable), 0);
	login_as(&c, "om");
	tclient_close(&c);
}

/*
 * A join is not held up by a write in progress on one of its cases: while
 * another transaction holds a case of the meeting FOR UPDATE (as a case
 * edit does until it commits; here for 60 s), a new subscriber still gets
 * its snapshot, whose audit rows name that case.  With foreign keys on the
 * audit (before 0015) the audit insert took a FOR KEY SHARE lock on the
 * case and waited for the whole transaction.
 */
static void
test_join_not_held_by_case_lock(void **state)
{
	struct tclient c;
	char q[400], v[64];
	long long case_id;
	pid_t holder;
	int i, st;

	(void)state;
	login_as(&c, "politie");
	subscribe(&c, 0, NULL);
	tclient_close(&c);
	assert_int_equal(harness_psql_value(&srv, "SELECT case_id FROM audit_log "
	    "WHERE context = 'snapshot' AND user_id = (SELECT id FROM users "
	    "WHERE login = 'politie') ORDER BY id DESC LIMIT 1", v, sizeof v), 0);
	case_id = atoll(v);
	assert_true(case_id > 0);

	snprintf(q, sizeof q, "BEGIN; SELECT 1 FROM cases WHERE id = %lld FOR "
	    "UPDATE; SELECT pg_sleep(60) /* lock-holder */; COMMIT;", case_id);
	holder = fork();
	assert_true(holder >= 0);
	if (holder == 0)
		_exit(harness_psql(&srv, q) == 0 ? 0 : 1);
	/* until the holder has the lock (its sleep runs) */
	for (i = 0; i < 200; i++) {
		if (harness_psql_value(&srv, "SELECT count(*) FROM "
		    "pg_stat_activity WHERE query LIKE '%lock-holder%' AND "
		    "state = 'active' AND pid <> pg_backend_pid()", v,
		    sizeof v) == 0 && atoi(v) == 1)
			break;
		usleep(50000);
	}
	assert_int_equal(atoi(v), 1);

	login_as(&c, "politie");
	subscribe(&c, 0, NULL);
	tclient_close(&c);
	/* answered while the lock is still held */
	assert_int_equal(waitpid(holder, &st, WNOHANG), 0);

	assert_int_equal(harness_psql(&srv, "SELECT pg_terminate_backend(pid) "
	    "FROM pg_stat_activity WHERE query LIKE '%lock-holder%' AND pid "
	    "<> pg_backend_pid()"), 0);
	assert_int_equal(waitpid(holder, &st, 0), holder);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_push_two_clients),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_idempotent_retry),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_slow_reader_disconnected),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_login_rules),
		cmocka_unit_test(test_join_not_held_by_case_lock),
	};

	harness_require_service_user();
	return cmocka_run_group_tests(tests, setup, teardown);
}
