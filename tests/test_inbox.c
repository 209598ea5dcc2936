/* Integration: the inbox over real TLS and PostgreSQL: feedback on an action completed by a partner reaches the submitter, who follows no meeting; read receipts; escalation of overdue action points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"

#define T 20000
/* How long an event that must not come is waited for. */
#define QUIET_MS 1500

static struct tafeld srv;
static int64_t police_org, vt_org;
static int64_t police_user;

static void
login_as(struct tclient *c, const char *user)
{
	assert_int_equal(tclient_login(c, &srv, user, "demo"), 0);
}

static int
setup(void **state)
{
	struct tclient c;
	Tafel__ListOrganisationsRequest lo = TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;
	Tafel__Envelope *m;
	size_t i;

	/* escalation: two days overdue, looked for every second */
	static const char *const args[] = { "--set", "escalation_after=2",
	    "--set", "escalation_interval=1s", NULL };

	(void)state;
	if (tafeld_start_demo(&srv, args) != 0)
		return -1;
	if (tclient_login(&c, &srv, "politie", "demo") != 0)
		return -1;
	m = tclient_req(&c, B(LIST_ORGANISATIONS), &lo, NULL);
	if (m == NULL || m->body_case != B(ORGANISATION_LIST))
		return -1;
	for (i = 0; i < m->organisation_list->n_organisations; i++) {
		Tafel__Organisation *o = m->organisation_list->organisations[i];

		if (o->kind == TAFEL__ORG_KIND__ORG_POLICE)
			police_org = o->id;
		if (o->kind == TAFEL__ORG_KIND__ORG_VEILIG_THUIS)
			vt_org = o->id;
	}
	for (i = 0; i < m->organisation_list->n_users; i++)
		if (strcmp(m->organisation_list->users[i]->login, "politie") == 0)
			police_user = m->organisation_list->users[i]->id;
	frame_free(m);
	tclient_close(&c);
	return police_org && vt_org && police_user ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&srv);
}

/* Subscribes to the inbox topic; returns the unread count of the snapshot. */
static uint32_t
subscribe_inbox(struct tclient *c)
{
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__Envelope *m;
	uint32_t unread;

	s.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX;
	m = tclient_req(c, B(SUBSCRIBE), &s, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_false(m->subscribed->resumed);
	assert_non_null(m->subscribed->inbox);
	unread = m->subscribed->inbox->unread;
	frame_free(m);
	return unread;
}

static Tafel__Envelope *
list_inbox(struct tclient *c, int unread_only, int include_sent)
{
	Tafel__ListInboxRequest r = TAFEL__LIST_INBOX_REQUEST__INIT;
	Tafel__Envelope *m;

	r.unread_only = unread_only;
	r.include_sent = include_sent;
	m = tclient_req(c, B(LIST_INBOX), &r, NULL);
	harness_expect_body(m, B(INBOX_LIST));
	return m;
}

/* The police submit a case and agree an action point owned by Veilig Thuis,
 * due in `days` days (negative: overdue). */
static Tafel__Envelope *
case_with_action_due(struct tclient *pol, const char *what, int64_t *case_id,
    int days)
{
	Tafel__CreateCaseRequest r = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__CreateActionRequest a = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__Envelope *m;
	char due[16];
	time_t t = time(NULL) + (time_t)days * 86400;

	r.theme = "domestic_violence";
	r.district = "Enschede-Noord";
	r.reason = "Melding na huiselijk geweld";
	m = tclient_req(pol, B(CREATE_CASE), &r, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	*case_id = m->case_record->id;
	frame_free(m);

	strftime(due, sizeof due, "%Y-%m-%d", localtime(&t));
	a.case_id = *case_id;
	a.description = (char *)what;
	a.owner_org_id = vt_org;
	a.due_date = due;
	m = tclient_req(pol, B(CREATE_ACTION), &a, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	return m;
}

static Tafel__Envelope *
case_with_action(struct tclient *pol, const char *what, int64_t *case_id)
{
	return case_with_action_due(pol, what, case_id, 7);
}

/*
 * Veilig Thuis completes an action point on a case the police submitted:
 * the police's session, which follows no meeting, gets the entry with the
 * note; an uninvolved partner gets nothing; reading it shows Veilig Thuis
 * who read it and when.
 */
static void
test_feedback_reaches_submitter(void **state)
{
	struct tclient pol, vt, om;
	Tafel__Envelope *m, *e;
	Tafel__FinishActionRequest f = TAFEL__FINISH_ACTION_REQUEST__INIT;
	Tafel__MarkInboxReadRequest rd = TAFEL__MARK_INBOX_READ_REQUEST__INIT;
	int64_t case_id, entry_id;
	long long t0;

	(void)state;
	login_as(&pol, "politie");
	login_as(&vt, "veiligthuis");
	login_as(&om, "om");
	m = case_with_action(&pol, "Huisbezoek afleggen", &case_id);
	f.id = m->action_point->id;
	f.version = m->action_point->version;
	frame_free(m);
	assert_int_equal(subscribe_inbox(&pol), 0);
	(void)subscribe_inbox(&vt);
	(void)subscribe_inbox(&om);

	/* completing needs a note */
	f.note = "";
	m = tclient_req(&vt, B(COMPLETE_ACTION), &f, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	frame_free(m);

	t0 = now_ms();
	f.note = "Huisbezoek gedaan, kinderen veilig";
	m = tclient_req(&vt, B(COMPLETE_ACTION), &f, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);

	e = tclient_event(&pol, T);
	assert_non_null(e);
	assert_non_null(e->event->inbox_entry);
	printf("feedback in the submitter's inbox after %lld ms\n",
	    now_ms() - t0);
	entry_id = e->event->inbox_entry->id;
	assert_int_equal(e->event->inbox_entry->kind,
	    TAFEL__INBOX_KIND__INBOX_ACTION_DONE);
	assert_int_equal(e->event->inbox_entry->case_id, case_id);
	assert_int_equal(e->event->inbox_entry->recipient_org_id, police_org);
	assert_int_equal(e->event->inbox_entry->recipient_user_id, police_user);
	assert_non_null(e->event->inbox_entry->action_point);
	assert_string_equal(e->event->inbox_entry->action_point->completion_note,
	    "Huisbezoek gedaan, kinderen veilig");
	assert_false(e->event->inbox_entry->sent_by_me);
	assert_int_equal(e->event->inbox_entry->read_at, 0);
	frame_free(e);

	/* the sender sees its own entry; the OM nothing */
	e = tclient_event(&vt, T);
	assert_non_null(e);
	assert_non_null(e->event->inbox_entry);
	assert_true(e->event->inbox_entry->sent_by_me);
	frame_free(e);
	assert_null(tclient_event(&om, QUIET_MS));

	m = list_inbox(&pol, 1, 0);
	assert_int_equal(m->inbox_list->unread, 1);
	assert_int_equal(m->inbox_list->n_entries, 1);
	assert_int_equal(m->inbox_list->entries[0]->id, entry_id);
	frame_free(m);
	m = list_inbox(&om, 0, 1);
	assert_int_equal(m->inbox_list->n_entries, 0);
	frame_free(m);

	/* only the recipient organisation reads it */
	rd.id = entry_id;
	m = tclient_req(&om, B(MARK_INBOX_READ), &rd, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);
	m = tclient_req(&pol, B(MARK_INBOX_READ), &rd, harness_key());
	harness_expect_body(m, B(INBOX_ENTRY));
	assert_int_equal(m->inbox_entry->read_by, police_user);
	assert_true(m->inbox_entry->read_at > 0);
	frame_free(m);

	/* the read receipt reaches the sender */
	e = tclient_event(&vt, T);
	assert_non_null(e);
	assert_non_null(e->event->inbox_entry);
	assert_int_equal(e->event->inbox_entry->id, entry_id);
	assert_true(e->event->inbox_entry->read_at > 0);
	assert_string_equal(e->event->inbox_entry->read_by_name, "Sanne Jansen");
	frame_free(e);
	m = list_inbox(&pol, 1, 0);
	assert_int_equal(m->inbox_list->unread, 0);
	frame_free(m);

	tclient_close(&pol);
	tclient_close(&vt);
	tclient_close(&om);
}

/* Cancelling needs a reason, which reaches the submitter. */
static void
test_cancel_reason_reaches_submitter(void **state)
{
	struct tclient pol, vt;
	Tafel__Envelope *m, *e;
	Tafel__FinishActionRequest f = TAFEL__FINISH_ACTION_REQUEST__INIT;
	int64_t case_id;

	(void)state;
	login_as(&pol, "politie");
	login_as(&vt, "veiligthuis");
	m = case_with_action(&pol, "School bellen", &case_id);
	f.id = m->action_point->id;
	f.version = m->action_point->version;
	frame_free(m);
	(void)subscribe_inbox(&pol);

	f.note = "   ";
	m = tclient_req(&vt, B(CANCEL_ACTION), &f, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_string_equal(m->error->field, "note");
	frame_free(m);
	f.note = "Kind zit niet meer op die school";
	m = tclient_req(&vt, B(CANCEL_ACTION), &f, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);

	e = tclient_event(&pol, T);
	assert_non_null(e);
	assert_non_null(e->event->inbox_entry);
	assert_int_equal(e->event->inbox_entry->kind,
	    TAFEL__INBOX_KIND__INBOX_ACTION_CANCELLED);
	assert_string_equal(e->event->inbox_entry->action_point->completion_note,
	    "Kind zit niet meer op die school");
	frame_free(e);

	tclient_close(&pol);
	tclient_close(&vt);
}

/*
 * An action point three days overdue (escalation_after = 2) reaches Veilig
 * Thuis's escalation contact once; one a day overdue does not; nothing
 * before the contact is set.
 */
static void
test_overdue_escalated_once(void **state)
{
	static const char *const contact[] = { "org", "escalation-contact",
	    "Veilig Thuis Eemland-Twente", "veiligthuis", NULL };
	static const char *const wrong[] = { "org", "escalation-contact",
	    "Veilig Thuis Eemland-Twente", "politie", NULL };
	struct tclient pol, vt;
	Tafel__Envelope *m, *e;
	int64_t case_id, late_id, recent_id;
	char n[32];

	(void)state;
	login_as(&pol, "politie");
	login_as(&vt, "veiligthuis");
	(void)subscribe_inbox(&vt);
	m = case_with_action_due(&pol, "Dossier opvragen", &case_id, -3);
	late_id = m->action_point->id;
	assert_true(m->action_point->overdue);
	frame_free(m);
	m = case_with_action_due(&pol, "Buren spreken", &case_id, -1);
	recent_id = m->action_point->id;
	frame_free(m);
	/* the owner is told of each new action point, live */
	for (int i = 0; i < 2; i++) {
		e = tclient_event(&vt, T);
		assert_non_null(e);
		assert_non_null(e->event->inbox_entry);
		assert_int_equal(e->event->inbox_entry->kind,
		    TAFEL__INBOX_KIND__INBOX_ACTION_ASSIGNED);
		assert_int_equal(e->event->inbox_entry->recipient_org_id,
		    vt_org);
		assert_int_equal(e->event->inbox_entry->action_point->id,
		    i == 0 ? late_id : recent_id);
		frame_free(e);
	}

	/* no contact yet: nothing, however often the job runs */
	assert_null(tclient_event(&vt, 2500));
	/* a user of another organisation cannot be the contact */
	assert_int_not_equal(tafelctl_run(&srv, wrong), 0);
	assert_int_equal(tafelctl_run(&srv, contact), 0);

	e = tclient_event(&vt, T);
	assert_non_null(e);
	assert_non_null(e->event->inbox_entry);
	assert_int_equal(e->event->inbox_entry->kind,
	    TAFEL__INBOX_KIND__INBOX_ACTION_OVERDUE);
	assert_int_equal(e->event->inbox_entry->recipient_org_id, vt_org);
	assert_string_equal(e->event->inbox_entry->recipient_user_name,
	    "Joris Mulder");
	assert_int_equal(e->event->inbox_entry->sender_id, 0);
	assert_non_null(e->event->inbox_entry->action_point);
	assert_int_equal(e->event->inbox_entry->action_point->id, late_id);
	assert_string_equal(e->event->inbox_entry->action_point->description,
	    "Dossier opvragen");
	frame_free(e);

	/* once: the job keeps running, nothing more (the other is recent) */
	assert_null(tclient_event(&vt, 3000));
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM "
	    "inbox_entries WHERE kind = 'action_overdue'", n, sizeof n), 0);
	assert_string_equal(n, "1");
	snprintf(n, sizeof n, "%lld", (long long)recent_id);
	{
		char sql[160], v[32];

		snprintf(sql, sizeof sql, "SELECT escalated_at IS NULL FROM "
		    "action_points WHERE id = %s", n);
		assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
		assert_string_equal(v, "t");
	}

	tclient_close(&pol);
	tclient_close(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feedback_reaches_submitter),
		cmocka_unit_test(test_cancel_reason_reaches_submitter),
		cmocka_unit_test(test_overdue_escalated_once),
	};

	harness_require_service_user();
	return cmocka_run_group_tests(tests, setup, teardown);
}
