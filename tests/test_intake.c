/* Integration: intake over real TLS and PostgreSQL: a signal pushed to its process manager, earlier cases, links, contributions, routing conditions, goals, MDO. */
#include <inttypes.h>
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
static int64_t police_org, vt_org, youth_org;
static int64_t police_user;

static void
login_as(struct tclient *c, const char *user)
{
	assert_int_equal(tclient_login(c, &srv, user, "demo"), 0);
}

static int
setup(void **state)
{
	static const char *const pm[] = { "pm", "add", "reclassering",
	    "Intakedorp", NULL };
	/*
	 * Several tests here ask answers of megabytes (in parts, or too
	 * large) again and again as the same users: at the default rates
	 * their cost (docs/protocol.md 5.7) would hold the later tests' users
	 * back; test_limits checks that cost.
	 */
	static const char *const args[] = { "--set", "rate_session=1000",
	    "--set", "rate_burst=10000", NULL };
	struct tclient c;
	Tafel__ListOrganisationsRequest lo = TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;
	Tafel__Envelope *m;
	size_t i;

	(void)state;
	if (tafeld_start_demo(&srv, args) != 0)
		return -1;
	/* the process manager of district Intakedorp (every theme) */
	if (tafelctl_run(&srv, pm) != 0)
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
		if (o->kind == TAFEL__ORG_KIND__ORG_YOUTH_CARE)
			youth_org = o->id;
	}
	for (i = 0; i < m->organisation_list->n_users; i++)
		if (strcmp(m->organisation_list->users[i]->login, "politie") == 0)
			police_user = m->organisation_list->users[i]->id;
	frame_free(m);
	tclient_close(&c);
	return police_org && vt_org && youth_org && police_user ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&srv);
}

/*
 * Subscribes with TOPIC_CASES, the alias of TOPIC_CASE_LIST that clients
 * of before the merge send (test_prep uses TOPIC_CASE_LIST itself).
 */
static void
subscribe_cases(struct tclient *c)
{
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__Envelope *m;

	s.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASES;
	m = tclient_req(c, B(SUBSCRIBE), &s, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_false(m->subscribed->resumed);
	assert_non_null(m->subscribed->cases);
	frame_free(m);
}

/* Registers a signal in Intakedorp with one person; returns the Case answer. */
static Tafel__Envelope *
register_signal(struct tclient *c, const char *reason, const char *name,
    const char *birth)
{
	Tafel__CreateCaseRequest r = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person p = TAFEL__PERSON__INIT, *pp[1] = { &p };
	Tafel__Envelope *m;

	r.theme = "domestic_violence";
	r.district = "Intakedorp";
	r.reason = (char *)reason;
	p.role = TAFEL__PERSON_ROLE__PERSON_SUSPECT;
	p.name = (char *)name;
	p.birth_date = (char *)birth;
	r.persons = pp;
	r.n_persons = 1;
	m = tclient_req(c, B(CREATE_CASE), &r, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	return m;
}

static Tafel__Envelope *
get_case(struct tclient *c, int64_t id)
{
	Tafel__GetCaseRequest g = TAFEL__GET_CASE_REQUEST__INIT;

	g.case_id = id;
	return tclient_req(c, B(GET_CASE), &g, NULL);
}

static Tafel__Envelope *
move(struct tclient *c, int64_t id, int64_t version, Tafel__CaseStatus to,
    int64_t lead, int64_t cm)
{
	Tafel__MoveCaseRequest r = TAFEL__MOVE_CASE_REQUEST__INIT;

	r.id = id;
	r.version = version;
	r.to = to;
	r.lead_org_id = lead;
	r.case_manager_id = cm;
	return tclient_req(c, B(MOVE_CASE), &r, harness_key());
}

/*
 * A partner registers a signal: the process manager of the district sees it
 * at once on the cases topic, with the persons' names; a partner that is
 * not involved gets nothing and cannot open it.
 */
static void
test_signal_pushed_to_process_manager(void **state)
{
	struct tclient vt, pm, bjz;
	Tafel__Envelope *m, *e;
	int64_t id;
	long long t0;

	(void)state;
	login_as(&vt, "veiligthuis");
	login_as(&pm, "reclassering");
	login_as(&bjz, "jeugdzorg");
	subscribe_cases(&pm);
	subscribe_cases(&bjz);

	t0 = now_ms();
	m = register_signal(&vt, "Buren hoorden geschreeuw", "Kees Pietersen",
	    "1979-11-02");
	id = m->case_record->id;
	assert_int_equal(m->case_record->status, TAFEL__CASE_STATUS__CASE_SIGNAL);
	assert_int_equal(m->case_record->submitter_org_id, vt_org);
	assert_string_equal(m->case_record->reason, "Buren hoorden geschreeuw");
	frame_free(m);

	e = tclient_event(&pm, T);
	assert_non_null(e);
	assert_non_null(e->event->case_);
	assert_int_equal(e->event->case_->id, id);
	assert_int_equal(e->event->case_->status, TAFEL__CASE_STATUS__CASE_SIGNAL);
	assert_int_equal(e->event->case_->n_persons, 1);
	assert_string_equal(e->event->case_->persons[0]->name, "Kees Pietersen");
	assert_string_equal(e->event->case_->reason, "Buren hoorden geschreeuw");
	assert_false(e->event->case_->redacted);
	printf("signal on the process manager's list after %lld ms\n",
	    now_ms() - t0);
	frame_free(e);

	/* the partner that is not involved: no event, not found */
	assert_null(tclient_event(&bjz, QUIET_MS));
	m = get_case(&bjz, id);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);

	tclient_close(&vt);
	tclient_close(&pm);
	tclient_close(&bjz);
}

/*
 * "Mohamed Devries" matches "Mohammed de Vries" with the same birth date:
 * the new case is marked, the process manager (who knows both cases) sees
 * the match and links the persons; Veilig Thuis, who knows only its own
 * case, never learns of the police's case.
 */
static void
test_earlier_cases_and_links(void **state)
{
	struct tclient pol, vt, pm;
	Tafel__ListEarlierCasesRequest le = TAFEL__LIST_EARLIER_CASES_REQUEST__INIT;
	Tafel__LinkPersonsRequest lp = TAFEL__LINK_PERSONS_REQUEST__INIT;
	Tafel__Envelope *m;
	int64_t old_case, old_person, new_case, new_person;

	(void)state;
	login_as(&pol, "politie");
	login_as(&vt, "veiligthuis");
	login_as(&pm, "reclassering");

	m = register_signal(&pol, "Melding", "Mohammed de Vries", "1985-03-04");
	old_case = m->case_record->id;
	old_person = m->case_record->persons[0]->id;
	assert_false(m->case_record->earlier_discussed);
	frame_free(m);
	m = register_signal(&vt, "Zorgen", "Mohamed Devries", "1985-03-04");
	new_case = m->case_record->id;
	new_person = m->case_record->persons[0]->id;
	/* the person matches the police's case, which Veilig Thuis may not
	 * see: "eerder besproken" would tell it of the match */
	assert_false(m->case_record->earlier_discussed);
	frame_free(m);

	le.case_id = new_case;
	m = tclient_req(&vt, B(LIST_EARLIER_CASES), &le, NULL);
	harness_expect_body(m, B(EARLIER_CASES));
	assert_int_equal(m->earlier_cases->n_matches, 0);
	frame_free(m);
	m = tclient_req(&pm, B(LIST_EARLIER_CASES), &le, NULL);
	harness_expect_body(m, B(EARLIER_CASES));
	assert_int_equal(m->earlier_cases->n_matches, 1);
	assert_int_equal(m->earlier_cases->matches[0]->case_id, old_case);
	assert_int_equal(m->earlier_cases->matches[0]->person_id, new_person);
	assert_string_equal(m->earlier_cases->matches[0]->other_person_name,
	    "Mohammed de Vries");
	assert_false(m->earlier_cases->matches[0]->linked);
	frame_free(m);

	/* Veilig Thuis cannot link to a person it may not see */
	lp.person_id = new_person;
	lp.other_person_id = old_person;
	m = tclient_req(&vt, B(LINK_PERSONS), &lp, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	assert_string_equal(m->error->field, "other_person_id");
	frame_free(m);
	m = tclient_req(&pm, B(LINK_PERSONS), &lp, harness_key());
	harness_expect_body(m, B(PERSON_LINK));
	assert_int_equal(m->person_link->other_case_id, old_case);
	frame_free(m);

	m = get_case(&pm, new_case);
	harness_expect_body(m, B(CASE_DETAIL));
	assert_int_equal(m->case_detail->n_links, 1);
	/* the process manager sees both cases in full: the flag is theirs */
	assert_true(m->case_detail->case_->earlier_discussed);
	frame_free(m);
	m = get_case(&vt, new_case);
	harness_expect_body(m, B(CASE_DETAIL));
	assert_int_equal(m->case_detail->n_links, 0);
	assert_false(m->case_detail->case_->earlier_discussed);
	frame_free(m);

	tclient_close(&pol);
	tclient_close(&vt);
	tclient_close(&pm);
}

/*
 * Routing: a move that lacks what its status needs is refused with the
 * stable codes of everything missing; with them it goes through.  Goals
 * count their action points; contributions are per organisation.
 */
static void
test_routing_goals_contributions(void **state)
{
	struct tclient vt, pm, bjz;
	Tafel__GoalRequest gr = TAFEL__GOAL_REQUEST__INIT;
	Tafel__Goal g = TAFEL__GOAL__INIT;
	Tafel__AddContributionRequest ac = TAFEL__ADD_CONTRIBUTION_REQUEST__INIT;
	Tafel__CreateActionRequest ca = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__Envelope *m;
	int64_t id, version, goal;

	(void)state;
	login_as(&vt, "veiligthuis");
	login_as(&pm, "reclassering");
	login_as(&bjz, "jeugdzorg");
	m = register_signal(&vt, "Melding school", "Sanne Bakker", "2012-05-05");
	id = m->case_record->id;
	frame_free(m);

	m = move(&pm, id, 1, TAFEL__CASE_STATUS__CASE_SCREENING, 0, 0);
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	m = move(&pm, id, 2, TAFEL__CASE_STATUS__CASE_INFO_ROUND, 0, 0);
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	m = move(&pm, id, 3, TAFEL__CASE_STATUS__CASE_DIRECTION, 0, 0);
	assert_int_equal(harness_error_of(m),
	    TAFEL__ERROR_CODE__INVALID_TRANSITION);
	assert_string_equal(m->error->field, "to");
	assert_int_equal(m->error->n_missing, 2);
	assert_string_equal(m->error->missing[0], "lead_org");
	assert_string_equal(m->error->missing[1], "case_manager");
	frame_free(m);
	m = move(&pm, id, 3, TAFEL__CASE_STATUS__CASE_DIRECTION, vt_org,
	    police_user);
	harness_expect_body(m, B(CASE_RECORD));
	assert_int_equal(m->case_record->lead_org_id, vt_org);
	assert_int_equal(m->case_record->case_manager_id, police_user);
	version = m->case_record->version;
	frame_free(m);
	m = move(&pm, id, version, TAFEL__CASE_STATUS__CASE_PLAN, 0, 0);
	assert_int_equal(harness_error_of(m),
	    TAFEL__ERROR_CODE__INVALID_TRANSITION);
	assert_int_equal(m->error->n_missing, 1);
	assert_string_equal(m->error->missing[0], "goal");
	frame_free(m);

	g.case_id = id;
	g.description = "Veilig naar school";
	gr.goal = &g;
	m = tclient_req(&pm, B(ADD_GOAL), &gr, harness_key());
	harness_expect_body(m, B(GOAL));
	goal = m->goal->id;
	frame_free(m);
	m = move(&pm, id, version, TAFEL__CASE_STATUS__CASE_PLAN, 0, 0);
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);

	ca.case_id = id;
	ca.description = "Gesprek met school";
	ca.owner_org_id = vt_org;
	ca.due_date = "2031-01-15";
	ca.goal_id = goal;
	m = tclient_req(&vt, B(CREATE_ACTION), &ca, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	assert_int_equal(m->action_point->goal_id, goal);
	frame_free(m);

	ac.case_id = id;
	ac.facts = "Twee meldingen van school";
	ac.judgement = "Zorgelijk";
	m = tclient_req(&vt, B(ADD_CONTRIBUTION), &ac, harness_key());
	harness_expect_body(m, B(CONTRIBUTION));
	assert_int_equal(m->contribution->org_id, vt_org);
	assert_string_equal(m->contribution->org_name,
	    "Veilig Thuis Eemland-Twente");
	frame_free(m);
	m = tclient_req(&bjz, B(ADD_CONTRIBUTION), &ac, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);

	m = get_case(&pm, id);
	harness_expect_body(m, B(CASE_DETAIL));
	assert_int_equal(m->case_detail->n_goals, 1);
	assert_int_equal(m->case_detail->goals[0]->actions_open, 1);
	assert_int_equal(m->case_detail->goals[0]->actions_overdue, 0);
	assert_int_equal(m->case_detail->n_contributions, 1);
	assert_string_equal(m->case_detail->contributions[0]->facts,
	    "Twee meldingen van school");
	frame_free(m);

	tclient_close(&vt);
	tclient_close(&pm);
	tclient_close(&bjz);
}

/* MDO from a case: a meeting of the case's own series, for the organisations involved only. */
static void
test_mdo_invites_involved_only(void **state)
{
	struct tclient vt, pm, bjz;
	Tafel__PlanMdoRequest r = TAFEL__PLAN_MDO_REQUEST__INIT;
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__Envelope *m;
	int64_t id, mid;
	size_t i;
	int seen;

	(void)state;
	login_as(&vt, "veiligthuis");
	login_as(&pm, "reclassering");
	login_as(&bjz, "jeugdzorg");
	m = register_signal(&vt, "Melding", "Piet Klaassen", "1970-01-01");
	id = m->case_record->id;
	frame_free(m);

	r.case_id = id;
	r.scheduled_start = (int64_t)time(NULL) + 3 * 86400;
	m = tclient_req(&bjz, B(PLAN_MDO), &r, harness_key());
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);
	m = tclient_req(&pm, B(PLAN_MDO), &r, harness_key());
	harness_expect_body(m, B(MEETING));
	mid = m->meeting->id;
	assert_non_null(strstr(m->meeting->series_name, "MDO "));
	frame_free(m);

	m = tclient_req(&vt, B(LIST_MEETINGS), &lm, NULL);
	harness_expect_body(m, B(MEETING_LIST));
	for (i = 0, seen = 0; i < m->meeting_list->n_meetings; i++)
		seen |= m->meeting_list->meetings[i]->id == mid;
	assert_true(seen);
	frame_free(m);
	m = tclient_req(&bjz, B(LIST_MEETINGS), &lm, NULL);
	harness_expect_body(m, B(MEETING_LIST));
	for (i = 0, seen = 0; i < m->meeting_list->n_meetings; i++)
		seen |= m->meeting_list->meetings[i]->id == mid;
	assert_false(seen);
	frame_free(m);

	tclient_close(&vt);
	tclient_close(&pm);
	tclient_close(&bjz);
}

/*
 * A case list larger than one frame comes in pages: 48 cases with long
 * texts and fifty persons each (25 kB) make the police's list over
 * 1 MiB.
 * The case list subscription's snapshot still arrives (the newest cases,
 * with omitted), and list_cases with before_id gives the rest, each case
 * once.  Before, both answers were refused ("ask for less") with no way to
 * ask for less.
 */
static void
test_case_list_pages(void **state)
{
	char v[64];
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__ListCasesRequest l = TAFEL__LIST_CASES_REQUEST__INIT;
	Tafel__Envelope *m;
	struct tclient c;
	int64_t *seen = NULL;
	size_t n_seen = 0, pages = 0;
	long all;

	(void)state;
	assert_int_equal(harness_psql(&srv, "SELECT tafel_write((SELECT id "
	    "FROM users WHERE login = 'politie'), 'pages-' || i, "
	    "'create_case', jsonb_build_object('theme', 'domestic_violence', "
	    "'approach', 'person', 'district', 'Intakedorp', 'reason', "
	    "repeat('Lange toelichting over de situatie. ', 210), 'summary', "
	    "repeat('Samenvatting van het overleg. ', 250), 'persons', "
	    "(SELECT jsonb_agg(jsonb_build_object('role', 'other', 'name', "
	    "repeat('Naamsdeel ', 19) || chr(65 + k % 26))) "
	    "FROM generate_series(1, 50) k))) FROM generate_series(1, 48) i"),
	    0);
	assert_int_equal(harness_psql_value(&srv, "SELECT jsonb_array_length("
	    "tafel_list_cases((SELECT id FROM users WHERE login = 'politie'), "
	    "false, 0, 1000000000) -> 'cases')", v, sizeof v), 0);
	all = atol(v);
	assert_true(all > 48);

	login_as(&c, "politie");
	s.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST;
	m = tclient_req(&c, B(SUBSCRIBE), &s, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_non_null(m->subscribed->cases);
	assert_true(m->subscribed->cases->omitted > 0);
	assert_int_equal(m->subscribed->cases->n_cases +
	    m->subscribed->cases->omitted, all);
	frame_free(m);

	for (;;) {
		Tafel__CaseList *cl;
		size_t i;

		m = tclient_req(&c, B(LIST_CASES), &l, NULL);
		harness_expect_body(m, B(CASE_LIST));
		cl = m->case_list;
		assert_true(cl->n_cases > 0);
		seen = realloc(seen, (n_seen + cl->n_cases) * sizeof *seen);
		assert_non_null(seen);
		for (i = 0; i < cl->n_cases; i++) {
			/* newest first, below the page's before_id */
			if (n_seen > 0)
				assert_true(cl->cases[i]->id < seen[n_seen - 1]);
			seen[n_seen++] = cl->cases[i]->id;
		}
		pages++;
		if (cl->omitted == 0) {
			frame_free(m);
			break;
		}
		l.before_id = seen[n_seen - 1];
		frame_free(m);
		assert_true(pages < 20);
	}
	assert_true(pages >= 2);
	assert_int_equal(n_seen, all);
	free(seen);
	tclient_close(&c);
}

/*
 * A case of the police called summary on the agenda of a new WZT meeting
 * in days days (keys prefix-*).  Sets *meeting and *case_id.
 * (harness_psql goes through two shells: no $ and no double quotes.)
 */
static void
case_on_new_meeting(const char *prefix, const char *summary, int days,
    int64_t *meeting, int64_t *case_id)
{
	char sql[2048], v[64];

	snprintf(sql, sizeof sql, "WITH c AS (SELECT tafel_write("
	    "(SELECT id FROM users WHERE login = 'politie'), '%s-case', "
	    "'create_case', jsonb_build_object('theme', 'domestic_violence', "
	    "'district', 'Enschede-Noord', 'summary', '%s')) AS j), "
	    "m AS (SELECT tafel_write((SELECT id FROM users "
	    "WHERE login = 'voorzitter'), '%s-meeting', 'create_meeting', "
	    "jsonb_build_object('series_id', (SELECT id FROM series "
	    "WHERE kind = 'wzt' ORDER BY id LIMIT 1), 'scheduled_start', "
	    "extract(epoch FROM now() + interval '%d days')::bigint)) AS j) "
	    "SELECT tafel_write((SELECT id FROM users WHERE login = "
	    "'voorzitter'), '%s-agenda', 'add_agenda_item', "
	    "jsonb_build_object('meeting_id', m.j -> 'id', 'case_id', "
	    "c.j -> 'id')) FROM c, m", prefix, summary, prefix, days, prefix);
	assert_int_equal(harness_psql(&srv, sql), 0);
	snprintf(sql, sizeof sql, "SELECT a.meeting_id || ' ' || a.case_id "
	    "FROM agenda_items a JOIN cases c ON c.id = a.case_id "
	    "WHERE c.summary = '%s'", summary);
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	assert_int_equal(sscanf(v, "%" SCNd64 " %" SCNd64, meeting, case_id),
	    2);
}

/* n action points of 7 800 bytes ("Stap I: ...") on case_id at meeting,
 * owned by the police, each agreed by the chair (a write: a change). */
static void
long_actions(const char *prefix, int64_t meeting, int64_t case_id, int n)
{
	char sql[1024];

	snprintf(sql, sizeof sql, "SELECT tafel_write((SELECT id "
	    "FROM users WHERE login = 'voorzitter'), '%s-action-' || i, "
	    "'create_action', jsonb_build_object('case_id', %" PRId64 ", "
	    "'meeting_id', %" PRId64 ", 'description', 'Stap ' || i || ': ' "
	    "|| repeat('Afspraak over het vervolg. ', 290), 'owner_org_id', "
	    "(SELECT org_id FROM users WHERE login = 'politie'), 'due_date', "
	    "to_char(current_date + 5, 'YYYY-MM-DD'))) "
	    "FROM generate_series(1, %d) i", prefix, case_id, meeting, n);
	assert_int_equal(harness_psql(&srv, sql), 0);
}

/* Each action point of case_id changed once by the chair (a change each,
 * its description still "Stap I: ..." and as long). */
static void
update_long_actions(const char *prefix, int64_t case_id)
{
	char sql[1024];

	snprintf(sql, sizeof sql, "SELECT tafel_write((SELECT id "
	    "FROM users WHERE login = 'voorzitter'), '%s-update-' || a.id, "
	    "'update_action', jsonb_build_object('id', a.id, 'version', "
	    "a.version, 'description', a.description || ' (bijgewerkt)', "
	    "'owner_org_id', a.owner_org_id, 'due_date', "
	    "to_char(a.due_date, 'YYYY-MM-DD'))) FROM action_points a "
	    "WHERE a.case_id = %" PRId64 " ORDER BY a.id", prefix, case_id);
	assert_int_equal(harness_psql(&srv, sql), 0);
}

/*
 * A meeting whose snapshot is larger than one frame still opens: 180
 * action points of 7 800 bytes on a case of its agenda make it about
 * 1.4 MB.  The answer comes in parts (SubscribeResponse.parts_left
 * counting down to 0, the same request_id and seq, the meeting in the
 * first only) which together hold every action point once and in order,
 * and the subscription is live after them.  Before, it was refused
 * ("ask for less"), and nobody could open the meeting.
 */
static void
test_meeting_snapshot_parts(void **state)
{
	enum { ACTIONS = 180 };
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__CreateActionRequest a = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__Envelope *m;
	struct tclient c;
	char v[64], due[16];
	int64_t meeting, case_id, last = 0;
	uint64_t rid, seq;
	uint32_t left;
	size_t parts = 0, ours = 0, i;
	time_t t = time(NULL) + 7 * 86400;

	(void)state;
	case_on_new_meeting("parts", "delen in stukken", 9, &meeting, &case_id);
	long_actions("parts", meeting, case_id, ACTIONS);

	/* the police: the owner, who reads its action points in full */
	login_as(&c, "politie");
	s.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	s.meeting_id = meeting;
	m = tclient_req(&c, B(SUBSCRIBE), &s, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	rid = m->request_id;
	seq = m->subscribed->seq;
	left = m->subscribed->parts_left;
	assert_true(left >= 1);		/* 1.4 MB: at least two frames */
	assert_non_null(m->subscribed->snapshot->meeting);
	assert_int_equal(m->subscribed->snapshot->meeting->id, meeting);
	for (;;) {
		Tafel__Snapshot *sn = m->subscribed->snapshot;

		parts++;
		assert_int_equal(m->request_id, rid);
		assert_int_equal(m->subscribed->seq, seq);
		assert_int_equal(m->subscribed->parts_left, left);
		if (parts > 1)
			assert_null(sn->meeting);
		for (i = 0; i < sn->n_actions; i++) {
			if (sn->actions[i]->case_id != case_id)
				continue;
			/* each once, in the order of the one snapshot */
			if (last != 0)
				assert_true(sn->actions[i]->id > last);
			last = sn->actions[i]->id;
			ours++;
		}
		frame_free(m);
		if (left == 0)
			break;
		left--;
		m = tclient_recv(&c, T);
		harness_expect_body(m, B(SUBSCRIBED));
	}
	assert_int_equal(ours, ACTIONS);
	assert_true(parts >= 2 && parts <= 8);

	/* live after the parts: a new action point arrives as an event */
	strftime(due, sizeof due, "%Y-%m-%d", localtime(&t));
	a.case_id = case_id;
	a.meeting_id = meeting;
	a.description = "Na de delen";
	a.due_date = due;
	assert_int_equal(harness_psql_value(&srv, "SELECT org_id FROM users "
	    "WHERE login = 'politie'", v, sizeof v), 0);
	a.owner_org_id = atoll(v);
	m = tclient_req(&c, B(CREATE_ACTION), &a, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	m = tclient_event(&c, T);
	assert_non_null(m);
	assert_non_null(m->event->action_point);
	assert_string_equal(m->event->action_point->description, "Na de delen");
	frame_free(m);

	/* the case itself (get_case) and the police's own action points
	 * (list_my_actions) come in parts the same way */
	{
		Tafel__GetCaseRequest g = TAFEL__GET_CASE_REQUEST__INIT;
		Tafel__ListActionsRequest la = TAFEL__LIST_ACTIONS_REQUEST__INIT;
		size_t acts = 0;

		g.case_id = case_id;
		m = tclient_req(&c, B(GET_CASE), &g, NULL);
		harness_expect_body(m, B(CASE_DETAIL));
		left = m->case_detail->parts_left;
		assert_true(left >= 1);
		assert_non_null(m->case_detail->case_);
		for (;;) {
			acts += m->case_detail->n_actions;
			if (m->case_detail->parts_left == 0)
				break;
			assert_int_equal(m->case_detail->parts_left, left);
			left--;
			frame_free(m);
			m = tclient_recv(&c, T);
			harness_expect_body(m, B(CASE_DETAIL));
			assert_null(m->case_detail->case_);
		}
		frame_free(m);
		assert_int_equal(acts, ACTIONS + 1);

		acts = 0;
		m = tclient_req(&c, B(LIST_MY_ACTIONS), &la, NULL);
		harness_expect_body(m, B(ACTION_LIST));
		assert_true(m->action_list->parts_left >= 1);
		for (;;) {
			for (i = 0; i < m->action_list->n_actions; i++)
				acts += m->action_list->actions[i]->case_id ==
				    case_id;
			if (m->action_list->parts_left == 0)
				break;
			frame_free(m);
			m = tclient_recv(&c, T);
			harness_expect_body(m, B(ACTION_LIST));
		}
		frame_free(m);
		assert_int_equal(acts, ACTIONS + 1);
	}
	tclient_close(&c);
}

/*
 * A resume whose replay is larger than the output limit (600 action
 * points of 7 800 bytes, some 4.7 MB of events, against outbuf_limit's
 * 4 MiB) reaches a client that reads: the server sends the replay as the
 * socket drains instead of queueing it all at once, which disconnected
 * the client as "not reading" every time it resumed.
 */
static void
test_resume_long_replay(void **state)
{
	enum { ACTIONS = 600 };
	Tafel__Envelope *m;
	struct tclient c;
	int64_t case_id;
	int64_t meeting;
	uint64_t seq, last = 0;
	size_t got = 0;
	int dropped = tafeld_log_count(&srv, "client is not reading");

	(void)state;
	case_on_new_meeting("replay", "lange inhaalslag", 10, &meeting,
	    &case_id);

	login_as(&c, "politie");
	m = tclient_subscribe(&c, meeting, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	seq = m->subscribed->seq;
	frame_free(m);
	tclient_close(&c);

	/* while the police are away: half new action points, half the same
	 * changed (a case holds at most 500, tafel_max_case_actions) */
	long_actions("replay", meeting, case_id, ACTIONS / 2);
	update_long_actions("replay", case_id);

	login_as(&c, "politie");
	m = tclient_subscribe(&c, meeting, seq, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_true(m->subscribed->resumed);
	frame_free(m);
	while (got < ACTIONS && (m = tclient_event(&c, T)) != NULL) {
		assert_true(m->event->seq > last);
		last = m->event->seq;
		if (m->event->action_point != NULL &&
		    strncmp(m->event->action_point->description, "Stap ", 5) == 0)
			got++;
		frame_free(m);
	}
	assert_int_equal(got, ACTIONS);
	assert_false(c.eof);
	assert_int_equal(tafeld_log_count(&srv, "client is not reading"),
	    dropped);
	tclient_close(&c);
}

/*
 * A subscribe refused as too large (a snapshot of some 8.7 MB: more than
 * 8 parts) leaves no subscription behind: unsubscribe says "not
 * subscribed", and a change to the meeting sends no event.
 */
static void
test_subscribe_too_large(void **state)
{
	Tafel__UnsubscribeRequest u = TAFEL__UNSUBSCRIBE_REQUEST__INIT;
	Tafel__Envelope *m;
	struct tclient c;
	int64_t case_id;
	int64_t meeting;

	(void)state;
	case_on_new_meeting("huge", "te groot", 11, &meeting, &case_id);
	/* straight into the table: only the snapshot's size matters here */
	assert_int_equal(harness_psql(&srv, "INSERT INTO action_points "
	    "(case_id, meeting_id, description, owner_org_id, due_date) "
	    "SELECT a.case_id, a.meeting_id, 'Punt ' || i || ': ' "
	    "|| repeat('Afspraak over het vervolg. ', 290), "
	    "(SELECT org_id FROM users WHERE login = 'politie'), "
	    "current_date + 5 "
	    "FROM agenda_items a JOIN cases c ON c.id = a.case_id, "
	    "generate_series(1, 1100) i WHERE c.summary = 'te groot'"), 0);

	login_as(&c, "politie");
	m = tclient_subscribe(&c, meeting, 0, 0);
	assert_non_null(m);
	assert_int_equal(m->body_case, B(ERROR));
	assert_int_equal(m->error->code, TAFEL__ERROR_CODE__OUT_OF_RANGE);
	frame_free(m);
	u.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	u.meeting_id = meeting;
	m = tclient_req(&c, B(UNSUBSCRIBE), &u, NULL);
	assert_non_null(m);
	assert_int_equal(m->body_case, B(ERROR));
	assert_int_equal(m->error->code, TAFEL__ERROR_CODE__NOT_FOUND);
	frame_free(m);
	/* a change to the meeting: no event for the refused subscription */
	/* (a decision: the case holds more action points than a new one
	 * may join, tafel_max_case_actions) */
	assert_int_equal(harness_psql(&srv, "SELECT tafel_write((SELECT id "
	    "FROM users WHERE login = 'voorzitter'), 'huge-after', "
	    "'record_decision', jsonb_build_object('item_id', a.id, "
	    "'version', a.version, 'decision', 'Daarna')) "
	    "FROM agenda_items a JOIN cases c ON c.id = a.case_id "
	    "WHERE c.summary = 'te groot'"), 0);
	m = tclient_event(&c, QUIET_MS);
	if (m != NULL)
		fprintf(stderr, "unexpected event seq %llu\n",
		    (unsigned long long)m->event->seq);
	assert_null(m);
	tclient_close(&c);
}

/*
 * An action list beyond what an answer may take (1100 action points of
 * 7 800 bytes owned by one organisation, some 8.6 MB: more than 8 parts)
 * is refused whole with OUT_OF_RANGE saying how large it was and that
 * nothing was sent, never cut short or passed off as complete; the
 * connection stays.  Before, the Error said only "ask for less" and
 * tafeld logged an ERROR ("frame too large to send") for it.
 */
static void
test_action_list_too_large(void **state)
{
	Tafel__ListActionsRequest la = TAFEL__LIST_ACTIONS_REQUEST__INIT;
	Tafel__PingRequest p = TAFEL__PING_REQUEST__INIT;
	Tafel__Envelope *m;
	struct tclient c;
	int errors = tafeld_log_count(&srv, "ERROR:");

	(void)state;
	/* straight into the table: only the answer's size matters here */
	assert_int_equal(harness_psql(&srv, "INSERT INTO action_points "
	    "(case_id, description, owner_org_id, due_date) "
	    "SELECT (SELECT min(id) FROM cases), 'Te veel ' || i || ': ' "
	    "|| repeat('Afspraak over het vervolg. ', 290), "
	    "(SELECT org_id FROM users WHERE login = 'reclassering'), "
	    "current_date + 5 FROM generate_series(1, 1100) i"), 0);
	login_as(&c, "reclassering");
	m = tclient_req(&c, B(LIST_MY_ACTIONS), &la, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_non_null(strstr(m->error->message, "MiB, more than the 8 "
	    "frames"));
	assert_non_null(strstr(m->error->message, "nothing was sent"));
	frame_free(m);
	/* nothing else came for it, and the connection serves on */
	p.nonce = 5;
	m = tclient_req(&c, B(PING), &p, NULL);
	harness_expect_body(m, B(PONG));
	frame_free(m);
	assert_int_equal(tafeld_log_count(&srv, "ERROR:"), errors);
	tclient_close(&c);
	assert_int_equal(harness_psql(&srv, "DELETE FROM action_points "
	    "WHERE description LIKE 'Te veel %'"), 0);
}

/*
 * One client pipelining many writes does not hold the others back: while
 * the police's 50 signals wait for the database, the youth care's one
 * signal, sent after them, runs at the next free connection instead of
 * after all 50 (db_call_owned: the request of a client with fewer running
 * goes first).  Measured by order, not time: the ids the cases got.
 */
static void
test_flood_waits_its_turn(void **state)
{
	enum { FLOOD = 50 };
	Tafel__CreateCaseRequest r = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	struct tclient a, b;
	int64_t ids[FLOOD], theirs = 0;
	char key[64];
	size_t got = 0, before = 0;
	int i;

	(void)state;
	login_as(&a, "politie");
	login_as(&b, "jeugdzorg");
	r.theme = "domestic_violence";
	r.district = "Intakedorp";
	r.reason = "Een van vele meldingen";
	assert_int_equal(envelope_set_body(&env, B(CREATE_CASE), &r.base), 0);
	for (i = 0; i < FLOOD; i++) {
		snprintf(key, sizeof key, "%s-flood-%d", harness_key(), i);
		env.request_id = 1000 + (uint64_t)i;
		env.idempotency_key = key;
		assert_int_equal(tclient_send(&a, &env), 0);
	}
	/* the first answer: by now the server has read all 50 */
	m = tclient_recv(&a, T);
	harness_expect_body(m, B(CASE_RECORD));
	ids[got++] = m->case_record->id;
	frame_free(m);

	r.reason = "Een andere organisatie meldt ook";
	m = tclient_req(&b, B(CREATE_CASE), &r, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	theirs = m->case_record->id;
	frame_free(m);

	while (got < FLOOD) {
		m = tclient_recv(&a, T);
		assert_non_null(m);
		if (m->body_case == B(CASE_RECORD))
			ids[got++] = m->case_record->id;
		else
			harness_expect_body(m, B(CASE_RECORD));
		frame_free(m);
	}
	for (i = 0; i < FLOOD; i++)
		before += ids[i] < theirs;
	/* first come, first served would put it after about 49 of them; a
	 * fair turn after a few (those running or just done) */
	printf("youth care's signal after %zu of the police's %d\n", before,
	    FLOOD);
	assert_true(before < FLOOD / 2);
	tclient_close(&a);
	tclient_close(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_pushed_to_process_manager),
		cmocka_unit_test(test_earlier_cases_and_links),
		cmocka_unit_test(test_routing_goals_contributions),
		cmocka_unit_test(test_mdo_invites_involved_only),
		cmocka_unit_test(test_case_list_pages),
		cmocka_unit_test(test_meeting_snapshot_parts),
		cmocka_unit_test(test_resume_long_replay),
		cmocka_unit_test(test_subscribe_too_large),
		cmocka_unit_test(test_action_list_too_large),
		cmocka_unit_test(test_flood_waits_its_turn),
	};

	harness_require_service_user();
	return cmocka_run_group_tests(tests, setup, teardown);
}
