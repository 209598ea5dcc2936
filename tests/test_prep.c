/* Integration: before the meeting over real TLS and PostgreSQL: a live info round with its identifying data for the asked only, legal clocks' refusals, a custody clock's notice in probation's inbox (at once, and from tafeld's timer on its day, once), a published agenda heard live by the members only and in their inbox. */
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
static int64_t housing_org, youth_org, probation_org;

static void
login_as(struct tclient *c, const char *user)
{
	assert_int_equal(tclient_login(c, &srv, user, "demo"), 0);
}

static int
setup(void **state)
{
	static const char *const pm[] = { "pm", "add", "reclassering",
	    "Prepdorp", NULL };
	static const char *const series[] = { "series", "add", "Prep integratie",
	    "casusoverleg_hg", "domestic_violence", "Prepdorp", "voorzitter",
	    NULL };
	static const char *const member[] = { "series", "member",
	    "Prep integratie", "Woonstichting De Eemhof", NULL };
	struct tclient c;
	Tafel__ListOrganisationsRequest lo = TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;
	Tafel__Envelope *m;
	size_t i;

	/* the clocks' notices: tafeld's timer looks every second */
	static const char *const args[] = { "--set", "escalation_interval=1s",
	    NULL };

	(void)state;
	if (tafeld_start_demo(&srv, args) != 0 || tafelctl_run(&srv, pm) != 0 ||
	    tafelctl_run(&srv, series) != 0 || tafelctl_run(&srv, member) != 0)
		return -1;
	if (tclient_login(&c, &srv, "politie", "demo") != 0)
		return -1;
	m = tclient_req(&c, B(LIST_ORGANISATIONS), &lo, NULL);
	if (m == NULL || m->body_case != B(ORGANISATION_LIST))
		return -1;
	for (i = 0; i < m->organisation_list->n_organisations; i++) {
		Tafel__Organisation *o = m->organisation_list->organisations[i];

		if (o->kind == TAFEL__ORG_KIND__ORG_HOUSING)
			housing_org = o->id;
		if (o->kind == TAFEL__ORG_KIND__ORG_YOUTH_CARE)
			youth_org = o->id;
		if (o->kind == TAFEL__ORG_KIND__ORG_PROBATION)
			probation_org = o->id;
	}
	frame_free(m);
	tclient_close(&c);
	return housing_org && youth_org && probation_org ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&srv);
}

static void
subscribe_topic(struct tclient *c, Tafel__SubscribeTopic topic)
{
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__Envelope *m;

	s.topic = topic;
	m = tclient_req(c, B(SUBSCRIBE), &s, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
}

static const char *
today(void)
{
	static char buf[16];
	time_t t = time(NULL);

	strftime(buf, sizeof buf, "%Y-%m-%d", localtime(&t));
	return buf;
}

/* The police register a signal in Prepdorp with one person. */
static int64_t
register_signal(struct tclient *c)
{
	Tafel__CreateCaseRequest r = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p = TAFEL__PERSON__INIT, *pp[1] = { &p };
	Tafel__Envelope *m;
	int64_t id;

	r.theme = "domestic_violence";
	r.district = "Prepdorp";
	r.reason = "Huisverbod opgelegd";
	p.role = TAFEL__PERSON_ROLE__PERSON_SUSPECT;
	p.name = "Kees Pietersen";
	p.birth_date = "1979-11-02";
	r.persons = pp;
	r.n_persons = 1;
	m = tclient_req(c, B(CREATE_CASE), &r, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	id = m->case_record->id;
	frame_free(m);
	return id;
}

/*
 * The process manager asks youth care and housing.  Housing, which has no
 * connection to the case and may not see birth dates under the covenant,
 * gets the round live on its work list with name and date of birth, and
 * its own entry only; addiction care, not asked, gets nothing.  Answers
 * reach the process manager live; the identifying reads are audited.
 */
static void
test_info_round_live(void **state)
{
	struct tclient pol, pm, woon, vsl, bjz;
	Tafel__StartInfoRoundRequest sr = TAFEL__START_INFO_ROUND_REQUEST__INIT;
	Tafel__AnswerInfoRoundRequest ar = TAFEL__ANSWER_INFO_ROUND_REQUEST__INIT;
	Tafel__GetCaseRequest g = TAFEL__GET_CASE_REQUEST__INIT;
	Tafel__Envelope *m, *e;
	int64_t orgs[2] = { youth_org, housing_org }, id, round;
	char n[32], sql[256];

	(void)state;
	login_as(&pol, "politie");
	login_as(&pm, "reclassering");
	login_as(&woon, "woningcorporatie");
	login_as(&vsl, "verslavingszorg");
	login_as(&bjz, "jeugdzorg");
	subscribe_topic(&pm, TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST);
	subscribe_topic(&woon, TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS);
	subscribe_topic(&vsl, TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS);
	id = register_signal(&pol);
	frame_free(tclient_event(&pm, T));	/* the signal itself */

	sr.case_id = id;
	sr.org_ids = orgs;
	sr.n_org_ids = 2;
	sr.reply_by = (char *)today();
	/* not the submitter: only a process manager */
	m = tclient_req(&pol, B(START_INFO_ROUND), &sr, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(m);
	m = tclient_req(&pm, B(START_INFO_ROUND), &sr, harness_key());
	harness_expect_body(m, B(INFO_ROUND));
	round = m->info_round->id;
	assert_int_equal(m->info_round->n_asked, 2);
	assert_false(m->info_round->identifying);
	assert_int_equal(m->info_round->n_persons, 0);
	frame_free(m);
	/* the process manager follows the case: the round's own event */
	e = tclient_event(&pm, T);
	assert_non_null(e);
	assert_non_null(e->event->info_round);
	frame_free(e);

	e = tclient_event(&woon, T);
	assert_non_null(e);
	assert_non_null(e->event->info_round);
	assert_true(e->event->info_round->identifying);
	assert_int_equal(e->event->info_round->n_persons, 1);
	assert_string_equal(e->event->info_round->persons[0]->name,
	    "Kees Pietersen");
	assert_string_equal(e->event->info_round->persons[0]->birth_date,
	    "1979-11-02");
	assert_int_equal(e->event->info_round->n_asked, 1);
	assert_int_equal(e->event->info_round->asked[0]->org_id, housing_org);
	frame_free(e);
	assert_null(tclient_event(&vsl, QUIET_MS));

	/* the case itself stays closed to housing */
	g.case_id = id;
	m = tclient_req(&woon, B(GET_CASE), &g, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);
	/* nor can the outsider answer */
	ar.id = round;
	ar.answer = TAFEL__INFO_ANSWER__INFO_KNOWN;
	m = tclient_req(&vsl, B(ANSWER_INFO_ROUND), &ar, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);

	/* youth care answers; the process manager sees it live */
	ar.note = "Bekend sinds 2024";
	m = tclient_req(&bjz, B(ANSWER_INFO_ROUND), &ar, harness_key());
	harness_expect_body(m, B(INFO_ROUND));
	frame_free(m);
	e = tclient_event(&pm, T);
	assert_non_null(e);
	assert_non_null(e->event->info_round);
	assert_int_equal(e->event->info_round->n_asked, 2);
	for (size_t i = 0; i < e->event->info_round->n_asked; i++) {
		Tafel__InfoRoundOrg *a = e->event->info_round->asked[i];

		if (a->org_id == youth_org) {
			assert_int_equal(a->answer, TAFEL__INFO_ANSWER__INFO_KNOWN);
			assert_string_equal(a->note, "Bekend sinds 2024");
		} else {
			assert_int_equal(a->answer,
			    TAFEL__INFO_ANSWER__INFO_PENDING);
		}
	}
	frame_free(e);
	/* housing hears of the round's change, still only its own entry */
	e = tclient_event(&woon, T);
	assert_non_null(e);
	assert_non_null(e->event->info_round);
	assert_int_equal(e->event->info_round->n_asked, 1);
	frame_free(e);

	/* the reads' rows and the push's disclosures (0012), counted */
	assert_int_equal(harness_psql_value(&srv, "SELECT coalesce(sum(count), "
	    "0) FROM tafel_audit_entries() WHERE context = 'inforonde' AND "
	    "user_id = (SELECT id FROM users WHERE login = 'woningcorporatie')",
	    n, sizeof n), 0);
	printf("inforonde audit entries of housing: %s\n", n);
	assert_true(atoi(n) >= 2);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM tafel_audit_entries() "
	    "WHERE case_id = %lld AND user_id = (SELECT id FROM users WHERE "
	    "login = 'verslavingszorg')", (long long)id);
	assert_int_equal(harness_psql_value(&srv, sql, n, sizeof n), 0);
	assert_string_equal(n, "0");

	tclient_close(&pol);
	tclient_close(&pm);
	tclient_close(&woon);
	tclient_close(&vsl);
	tclient_close(&bjz);
}

/* A huisverbod extended beyond 28 days is refused with LEGAL_LIMIT. */
static void
test_clock_legal_limit(void **state)
{
	struct tclient pol;
	Tafel__SetClockRequest sc = TAFEL__SET_CLOCK_REQUEST__INIT;
	Tafel__ExtendClockRequest ec = TAFEL__EXTEND_CLOCK_REQUEST__INIT;
	Tafel__Envelope *m;
	char end[16];
	time_t t = time(NULL) + 40 * 86400;

	(void)state;
	login_as(&pol, "politie");
	sc.case_id = register_signal(&pol);
	sc.kind = "huisverbod";
	sc.starts_on = (char *)today();
	m = tclient_req(&pol, B(SET_CLOCK), &sc, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	assert_int_equal(m->case_record->n_clocks, 1);
	assert_int_equal(m->case_record->clocks[0]->day, 1);
	assert_int_equal(m->case_record->clocks[0]->total_days, 10);
	ec.id = m->case_record->clocks[0]->id;
	ec.version = m->case_record->clocks[0]->version;
	frame_free(m);

	strftime(end, sizeof end, "%Y-%m-%d", localtime(&t));
	ec.ends_on = end;
	m = tclient_req(&pol, B(EXTEND_CLOCK), &ec, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__LEGAL_LIMIT);
	assert_string_equal(m->error->field, "ends_on");
	assert_non_null(strstr(m->error->message, "at most 28 days in total"));
	frame_free(m);
	tclient_close(&pol);
}

/* The day n days from today (Europe/Amsterdam: the harness's zone). */
static char *day_from_today(int n, char *buf, size_t len);

/*
 * set_clock of a kind whose end is given per clock: the span is bounded.
 * Police custody (no legal maximum) runs at most 366 days: a year and a
 * day more is INVALID_ARGUMENT on ends_on naming the limit, a year is
 * set.  A kind with a maximum in total (here 30 days) bounds its first
 * period too: LEGAL_LIMIT.  Before, any end was taken (a typo in the
 * year made a clock of ten years).
 */
static void
test_clock_span_limit(void **state)
{
	static const char *const kind[] = { "clock-kind", "set", "test_span",
	    "testtermijn", "0", "30", "no", NULL };
	struct tclient pol;
	Tafel__SetClockRequest sc = TAFEL__SET_CLOCK_REQUEST__INIT;
	Tafel__Envelope *m;
	char end[16];

	(void)state;
	assert_int_equal(tafelctl_run(&srv, kind), 0);
	login_as(&pol, "politie");
	sc.case_id = register_signal(&pol);
	sc.kind = "police_custody";
	sc.starts_on = (char *)today();
	sc.ends_on = day_from_today(366, end, sizeof end);
	m = tclient_req(&pol, B(SET_CLOCK), &sc, harness_key());
	assert_int_equal(harness_error_of(m),
	    TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_string_equal(m->error->field, "ends_on");
	assert_non_null(strstr(m->error->message, "at most 366 days"));
	frame_free(m);

	sc.ends_on = day_from_today(365, end, sizeof end);
	m = tclient_req(&pol, B(SET_CLOCK), &sc, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	assert_int_equal(m->case_record->clocks[0]->total_days, 366);
	frame_free(m);

	sc.kind = "test_span";
	sc.ends_on = day_from_today(30, end, sizeof end);
	m = tclient_req(&pol, B(SET_CLOCK), &sc, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__LEGAL_LIMIT);
	assert_string_equal(m->error->field, "ends_on");
	assert_non_null(strstr(m->error->message, "at most 30 days in total"));
	frame_free(m);
	sc.ends_on = day_from_today(29, end, sizeof end);
	m = tclient_req(&pol, B(SET_CLOCK), &sc, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	tclient_close(&pol);
}

/* The day n days from today (Europe/Amsterdam: the harness's zone). */
static char *
day_from_today(int n, char *buf, size_t len)
{
	time_t t = time(NULL) + (time_t)n * 86400;

	strftime(buf, len, "%Y-%m-%d", localtime(&t));
	return buf;
}

/* The next inbox event of c within the wait, NULL if none. */
static Tafel__Envelope *
inbox_event(struct tclient *c, int ms)
{
	Tafel__Envelope *e = tclient_event(c, ms);

	if (e != NULL && e->event->inbox_entry == NULL) {
		frame_free(e);
		return NULL;
	}
	return e;
}

/*
 * Police custody implies a notice to probation: the probation organisation
 * involved in the case (it owns an action point on it) gets an inbox entry
 * at once when the clock is set, and again from tafeld's timer when the
 * notice day (the working day before the end) has come, once however
 * often the timer runs; housing, not involved, gets nothing.
 */
static void
test_clock_notice_to_probation(void **state)
{
	struct tclient pol, recl, woon;
	Tafel__CreateActionRequest a = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__SetClockRequest sc = TAFEL__SET_CLOCK_REQUEST__INIT;
	Tafel__Envelope *m, *e;
	char start[16], end[16], sql[512], n[32];
	int64_t case_id;

	(void)state;
	login_as(&pol, "politie");
	login_as(&recl, "reclassering");
	login_as(&woon, "woningcorporatie");
	subscribe_topic(&recl, TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX);
	subscribe_topic(&woon, TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX);
	case_id = register_signal(&pol);
	a.case_id = case_id;
	a.description = "Vroeghulp na inverzekeringstelling";
	a.owner_org_id = probation_org;
	a.due_date = day_from_today(7, end, sizeof end);
	m = tclient_req(&pol, B(CREATE_ACTION), &a, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	/* probation is told of its action point first */
	e = inbox_event(&recl, T);
	assert_non_null(e);
	assert_int_equal(e->event->inbox_entry->kind,
	    TAFEL__INBOX_KIND__INBOX_ACTION_ASSIGNED);
	frame_free(e);

	/* set: ends in a week, its notice day still ahead */
	sc.case_id = case_id;
	sc.kind = "police_custody";
	sc.starts_on = (char *)today();
	sc.ends_on = day_from_today(7, end, sizeof end);
	m = tclient_req(&pol, B(SET_CLOCK), &sc, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	e = inbox_event(&recl, T);
	assert_non_null(e);
	assert_int_equal(e->event->inbox_entry->kind,
	    TAFEL__INBOX_KIND__INBOX_CLOCK_SET);
	assert_int_equal(e->event->inbox_entry->case_id, case_id);
	assert_int_equal(e->event->inbox_entry->recipient_org_id, probation_org);
	assert_string_equal(e->event->inbox_entry->clock_label,
	    "inverzekeringstelling");
	assert_string_equal(e->event->inbox_entry->clock_ends_on, end);
	frame_free(e);
	/* the timer runs every second: nothing more for this one */
	assert_null(inbox_event(&recl, 2500));

	/* a custody that ends tomorrow, recorded without the write (as if set
	 * days ago): the timer sends its notice on its own, once */
	snprintf(sql, sizeof sql, "INSERT INTO case_clocks (case_id, kind, "
	    "starts_on, ends_on) VALUES (%lld, 'police_custody', '%s', '%s') "
	    "RETURNING id", (long long)case_id, day_from_today(-2, start,
	    sizeof start), day_from_today(1, end, sizeof end));
	assert_int_equal(harness_psql_value(&srv, sql, n, sizeof n), 0);
	e = inbox_event(&recl, T);
	assert_non_null(e);
	assert_int_equal(e->event->inbox_entry->kind,
	    TAFEL__INBOX_KIND__INBOX_CLOCK_NOTICE);
	assert_int_equal(e->event->inbox_entry->clock_id, atoll(n));
	assert_int_equal(e->event->inbox_entry->sender_id, 0);
	frame_free(e);
	assert_null(inbox_event(&recl, 3000));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM inbox_entries "
	    "WHERE case_id = %lld AND kind LIKE 'clock_%%'", (long long)case_id);
	assert_int_equal(harness_psql_value(&srv, sql, n, sizeof n), 0);
	assert_string_equal(n, "2");
	/* housing is not involved */
	assert_null(inbox_event(&woon, QUIET_MS));

	tclient_close(&pol);
	tclient_close(&recl);
	tclient_close(&woon);
}

/*
 * The chair publishes: the member organisation hears it live on its work
 * list and finds it in its inbox, an organisation outside the series does
 * not.
 */
static void
test_publish_live(void **state)
{
	struct tclient vz, woon, vsl;
	Tafel__ListSeriesRequest ls = TAFEL__LIST_SERIES_REQUEST__INIT;
	Tafel__PlanMeetingsRequest pr = TAFEL__PLAN_MEETINGS_REQUEST__INIT;
	Tafel__PublishAgendaRequest pa = TAFEL__PUBLISH_AGENDA_REQUEST__INIT;
	Tafel__Envelope *m, *e;
	char day[16];
	time_t t = time(NULL) + 7 * 86400;
	size_t i;

	(void)state;
	login_as(&vz, "voorzitter");
	login_as(&woon, "woningcorporatie");
	login_as(&vsl, "verslavingszorg");
	subscribe_topic(&woon, TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS);
	subscribe_topic(&vsl, TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS);

	m = tclient_req(&vz, B(LIST_SERIES), &ls, NULL);
	harness_expect_body(m, B(SERIES_LIST));
	for (i = 0; i < m->series_list->n_series; i++)
		if (strcmp(m->series_list->series[i]->name, "Prep integratie") == 0)
			pr.series_id = m->series_list->series[i]->id;
	frame_free(m);
	assert_true(pr.series_id > 0);
	strftime(day, sizeof day, "%Y-%m-%d", localtime(&t));
	pr.first_date = day;
	pr.time = "13:30";
	m = tclient_req(&vz, B(PLAN_MEETINGS), &pr, harness_key());
	harness_expect_body(m, B(MEETING_LIST));
	pa.meeting_id = m->meeting_list->meetings[0]->id;
	pa.version = m->meeting_list->meetings[0]->version;
	assert_int_equal(m->meeting_list->meetings[0]->published_at, 0);
	frame_free(m);

	m = tclient_req(&vz, B(PUBLISH_AGENDA), &pa, harness_key());
	harness_expect_body(m, B(MEETING));
	assert_true(m->meeting->published_at > 0);
	frame_free(m);
	/* the planning itself reached nobody's work list; the publication did */
	e = tclient_event(&woon, T);
	assert_non_null(e);
	assert_non_null(e->event->agenda_published);
	assert_int_equal(e->event->agenda_published->meeting_id, pa.meeting_id);
	frame_free(e);
	assert_null(tclient_event(&vsl, QUIET_MS));
	{
		Tafel__ListInboxRequest li = TAFEL__LIST_INBOX_REQUEST__INIT;
		int found = 0;

		m = tclient_req(&woon, B(LIST_INBOX), &li, NULL);
		harness_expect_body(m, B(INBOX_LIST));
		for (i = 0; i < m->inbox_list->n_entries; i++)
			if (m->inbox_list->entries[i]->kind ==
			    TAFEL__INBOX_KIND__INBOX_AGENDA_PUBLISHED &&
			    m->inbox_list->entries[i]->meeting_id ==
			    pa.meeting_id)
				found++;
		assert_int_equal(found, 1);
		frame_free(m);
		m = tclient_req(&vsl, B(LIST_INBOX), &li, NULL);
		harness_expect_body(m, B(INBOX_LIST));
		for (i = 0; i < m->inbox_list->n_entries; i++)
			assert_false(m->inbox_list->entries[i]->meeting_id ==
			    pa.meeting_id);
		frame_free(m);
	}

	tclient_close(&vz);
	tclient_close(&woon);
	tclient_close(&vsl);
}

/* n times "é" (two bytes each) in buf; buf holds at least 2n + 1 bytes. */
static char *
e_acute(char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		memcpy(buf + 2 * i, "\xc3\xa9", 2);
	buf[2 * n] = '\0';
	return buf;
}

/* Asserts m is STRING_TOO_LONG for field, in characters, and frees it. */
static void
expect_too_long(Tafel__Envelope *m, const char *field)
{
	char msg[64];

	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__STRING_TOO_LONG);
	assert_string_equal(m->error->field, field);
	snprintf(msg, sizeof msg, "%s: longer than 500 characters", field);
	assert_string_equal(m->error->message, msg);
	frame_free(m);
}

/*
 * "At most 500 characters" (set_clock and extend_clock's note,
 * answer_info_round's note, decline_proposal's reason) counts characters:
 * 500 times "é" (1000 bytes of UTF-8) is taken, 501 is STRING_TOO_LONG
 * with the field.  They were refused above 500 bytes.
 */
static void
test_limits_in_characters(void **state)
{
	struct tclient pol, pm, bjz, vz;
	Tafel__SetClockRequest sc = TAFEL__SET_CLOCK_REQUEST__INIT;
	Tafel__ExtendClockRequest ec = TAFEL__EXTEND_CLOCK_REQUEST__INIT;
	Tafel__StartInfoRoundRequest sr = TAFEL__START_INFO_ROUND_REQUEST__INIT;
	Tafel__AnswerInfoRoundRequest ar = TAFEL__ANSWER_INFO_ROUND_REQUEST__INIT;
	Tafel__ListSeriesRequest ls = TAFEL__LIST_SERIES_REQUEST__INIT;
	Tafel__PlanMeetingsRequest pr = TAFEL__PLAN_MEETINGS_REQUEST__INIT;
	Tafel__ListProposalsRequest lp = TAFEL__LIST_PROPOSALS_REQUEST__INIT;
	Tafel__DeclineProposalRequest dp = TAFEL__DECLINE_PROPOSAL_REQUEST__INIT;
	Tafel__Envelope *m;
	static char ok[1001], over[1003];
	char day[16];
	int64_t orgs[1] = { youth_org }, case_id;
	size_t i;

	(void)state;
	e_acute(ok, 500);
	e_acute(over, 501);
	login_as(&pol, "politie");
	login_as(&pm, "reclassering");
	login_as(&bjz, "jeugdzorg");
	login_as(&vz, "voorzitter");
	case_id = register_signal(&pol);

	/* set_clock */
	sc.case_id = case_id;
	sc.kind = "huisverbod";
	sc.starts_on = (char *)today();
	sc.note = over;
	expect_too_long(tclient_req(&pol, B(SET_CLOCK), &sc, harness_key()),
	    "note");
	sc.note = ok;
	m = tclient_req(&pol, B(SET_CLOCK), &sc, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	assert_int_equal(m->case_record->n_clocks, 1);
	assert_string_equal(m->case_record->clocks[0]->note, ok);
	ec.id = m->case_record->clocks[0]->id;
	ec.version = m->case_record->clocks[0]->version;
	frame_free(m);

	/* extend_clock (only the note) */
	ec.note = over;
	expect_too_long(tclient_req(&pol, B(EXTEND_CLOCK), &ec, harness_key()),
	    "note");
	ec.note = ok;
	m = tclient_req(&pol, B(EXTEND_CLOCK), &ec, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);

	/* answer_info_round */
	sr.case_id = case_id;
	sr.org_ids = orgs;
	sr.n_org_ids = 1;
	sr.reply_by = (char *)today();
	m = tclient_req(&pm, B(START_INFO_ROUND), &sr, harness_key());
	harness_expect_body(m, B(INFO_ROUND));
	ar.id = m->info_round->id;
	frame_free(m);
	ar.answer = TAFEL__INFO_ANSWER__INFO_KNOWN;
	ar.note = over;
	expect_too_long(tclient_req(&bjz, B(ANSWER_INFO_ROUND), &ar,
	    harness_key()), "note");
	ar.note = ok;
	m = tclient_req(&bjz, B(ANSWER_INFO_ROUND), &ar, harness_key());
	harness_expect_body(m, B(INFO_ROUND));
	frame_free(m);

	/* decline_proposal: the new signal is proposed for a planned meeting */
	m = tclient_req(&vz, B(LIST_SERIES), &ls, NULL);
	harness_expect_body(m, B(SERIES_LIST));
	for (i = 0; i < m->series_list->n_series; i++)
		if (strcmp(m->series_list->series[i]->name, "Prep integratie") == 0)
			pr.series_id = m->series_list->series[i]->id;
	frame_free(m);
	assert_true(pr.series_id > 0);
	pr.first_date = day_from_today(21, day, sizeof day);
	pr.time = "10:00";
	m = tclient_req(&vz, B(PLAN_MEETINGS), &pr, harness_key());
	harness_expect_body(m, B(MEETING_LIST));
	dp.meeting_id = m->meeting_list->meetings[0]->id;
	frame_free(m);
	lp.meeting_id = dp.meeting_id;
	m = tclient_req(&vz, B(LIST_PROPOSALS), &lp, NULL);
	harness_expect_body(m, B(PROPOSAL_LIST));
	for (i = 0; i < m->proposal_list->n_proposals; i++)
		if (m->proposal_list->proposals[i]->case_id == case_id)
			dp.case_id = case_id;
	frame_free(m);
	assert_int_equal(dp.case_id, case_id);
	dp.reason = over;
	expect_too_long(tclient_req(&vz, B(DECLINE_PROPOSAL), &dp,
	    harness_key()), "reason");
	dp.reason = ok;
	m = tclient_req(&vz, B(DECLINE_PROPOSAL), &dp, harness_key());
	harness_expect_body(m, B(PROPOSAL));
	assert_string_equal(m->proposal->decline_reason, ok);
	frame_free(m);

	tclient_close(&pol);
	tclient_close(&pm);
	tclient_close(&bjz);
	tclient_close(&vz);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_round_live),
		cmocka_unit_test(test_clock_legal_limit),
		cmocka_unit_test(test_clock_span_limit),
		cmocka_unit_test(test_clock_notice_to_probation),
		cmocka_unit_test(test_publish_live),
		cmocka_unit_test(test_limits_in_characters),
	};

	harness_require_service_user();
	return cmocka_run_group_tests(tests, setup, teardown);
}
