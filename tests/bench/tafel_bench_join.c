/* tafel_bench: the join mode — joining a large meeting (a snapshot of 50 agenda items and 500 action points), one client after another, and coming back with resume_from (no snapshot). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frame.h"
#include "tafel_bench.h"

static struct tclient jc[MAX_CLIENTS];

static void
sql(const char *what, const char *q)
{
	if (harness_psql(&srv, q) != 0) {
		fprintf(stderr, "tafel_bench: fixture (%s) failed\n", what);
		exit(1);
	}
}

/*
 * A new open meeting of the demo series (through the protocol) with n_items
 * new cases on its agenda, each with two persons and n_actions / n_items
 * action points of the series' member organisations (one SQL fixture; the
 * write functions would cost a change-log row and a rendering each).
 */
int64_t
big_meeting(int n_items, int n_actions)
{
	Tafel__CreateMeetingRequest cm = TAFEL__CREATE_MEETING_REQUEST__INIT;
	Tafel__MeetingStateRequest open = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__Envelope *m;
	char q[2048], key[64];
	int64_t id;

	cm.series_id = series_id;
	cm.scheduled_start = bench_meeting_start();
	cm.chair_id = chair_id;
	m = must(tclient_req(&chair, B(CREATE_MEETING), &cm,
	    bench_key(key, sizeof key)), B(MEETING), "create_meeting");
	id = m->meeting->id;
	open.meeting_id = id;
	open.version = m->meeting->version;
	frame_free(m);
	frame_free(must(tclient_req(&chair, B(OPEN_MEETING), &open,
	    bench_key(key, sizeof key)), B(MEETING), "open_meeting"));
	snprintf(q, sizeof q, "WITH s AS (SELECT theme, approach, district, "
	    "submitter_org_id, summary, row_number() OVER (ORDER BY id) rn, "
	    "count(*) OVER () n FROM cases) "
	    "INSERT INTO cases (number, theme, approach, district, "
	    "submitter_org_id, status, summary) SELECT '2099-' || "
	    "lpad(g::text, 5, '0'), s.theme, s.approach, s.district, "
	    "s.submitter_org_id, 'in_progress', s.summary FROM "
	    "generate_series(1, %d) g JOIN s ON s.rn = 1 + (g - 1) %% s.n",
	    n_items);
	sql("cases", q);
	sql("persons", "INSERT INTO persons (case_id, role, name, name_key, "
	    "birth_date) SELECT c.id, r.role, r.role || ' ' || c.number, "
	    "r.role || c.number, date '1980-01-01' + (c.id % 9000)::int "
	    "FROM cases c, (VALUES ('victim'), ('suspect')) r(role) "
	    "WHERE c.number LIKE '2099-%'");
	snprintf(q, sizeof q, "INSERT INTO agenda_items (meeting_id, case_id, "
	    "position) SELECT %lld, id, row_number() OVER (ORDER BY id) "
	    "FROM cases WHERE number LIKE '2099-%%'", (long long)id);
	sql("agenda", q);
	snprintf(q, sizeof q, "WITH o AS (SELECT array_agg(org_id ORDER BY "
	    "org_id) a FROM series_members WHERE series_id = %lld) "
	    "INSERT INTO action_points (case_id, meeting_id, description, "
	    "owner_org_id, due_date) SELECT c.id, %lld, 'Afspraak ' || k || "
	    "' over ' || c.number || ': contact opnemen en terugkoppelen', "
	    "o.a[1 + (c.id + k) %% array_length(o.a, 1)], current_date + k "
	    "FROM cases c, generate_series(1, %d) k, o "
	    "WHERE c.number LIKE '2099-%%'", (long long)series_id,
	    (long long)id, n_actions / n_items);
	sql("action points", q);
	sql("involved organisations", "INSERT INTO case_involved_orgs "
	    "(case_id, org_id) SELECT id, submitter_org_id FROM cases WHERE "
	    "number LIKE '2099-%' UNION SELECT a.case_id, a.owner_org_id "
	    "FROM action_points a JOIN cases c ON c.id = a.case_id WHERE "
	    "c.number LIKE '2099-%' ON CONFLICT DO NOTHING");
	/*
	 * The planner's statistics as autovacuum keeps them (it would
	 * analyse these tables within a minute): without them the snapshot
	 * query runs on plans for the demo's few rows, a third slower.
	 */
	sql("statistics", "ANALYZE");
	return id;
}

/*
 * Milliseconds the database spends on user joinK's snapshot of meeting mid
 * as the server asks for it (raw = 0), or only on building its parts for
 * that user, redacted, without the audit (raw = 1); through psql as the
 * schema owner, on a session that built the same once before (as tafeld's
 * connections have: a new session's first call plans every statement and
 * costs several times more); -1 on failure.
 */
static double
sql_ms(int raw, int64_t mid, int k)
{
	char expr[600], q[2000], v[64];

	if (raw)
		snprintf(expr, sizeof expr, "(SELECT p FROM tafel_snapshot_parts("
		    "u.id, %lld, 0, 0) p)", (long long)mid);
	else
		snprintf(expr, sizeof expr, "tafel_snapshot_json(u.id, %lld, "
		    "false)", (long long)mid);
	snprintf(q, sizeof q, "WITH w AS MATERIALIZED (SELECT "
	    "length((%s)::text) n FROM users u WHERE u.login = 'join%d'), "
	    "t0 AS MATERIALIZED (SELECT clock_timestamp() t FROM w), "
	    "s AS MATERIALIZED (SELECT length((%s)::text) "
	    "n FROM t0, users u WHERE u.login = 'join%d') SELECT "
	    "round(extract(epoch FROM clock_timestamp() - t0.t) * 1000, 2) "
	    "FROM t0, s", expr, k, expr, k);
	if (harness_psql_value(&srv, q, v, sizeof v) != 0 || v[0] == '\0')
		return -1;
	return atof(v);
}

/* Disclosure audit rows of snapshots of meeting mid so far; -1: unknown. */
static long
snapshot_audit_rows(int64_t mid)
{
	char q[200], v[64];

	snprintf(q, sizeof q, "SELECT count(*) FROM audit_log WHERE context = "
	    "'snapshot' AND meeting_id = %lld", (long long)mid);
	if (harness_psql_value(&srv, q, v, sizeof v) != 0 || v[0] == '\0')
		return -1;
	return atol(v);
}

/*
 * The first joins after tafeld restarts on the same data: the pool's new
 * connections have planned nothing yet, unless they warmed up
 * (db_warm_up).  Joins one after another, so they go to the same
 * connection as far as the pool allows.
 */
static int
after_restart(int64_t big, int joins)
{
	long long t[4], t0;
	int k, n = joins < 4 ? joins : 4;
	Tafel__Envelope *m;

	tclient_close(&chair);
	if (tafeld_stop(&srv) != 0 ||
	    tafeld_start(&srv, srv.dir, bench_tafeld_args) != 0) {
		fprintf(stderr, "tafel_bench: the restart failed\n");
		return -1;
	}
	for (k = 0; k < n; k++)
		bench_login(&jc[k], &srv, "join", k + 1);
	for (k = 0; k < n; k++) {
		t0 = now_us();
		m = must(tclient_subscribe(&jc[k], big, 0, 0), B(SUBSCRIBED),
		    "subscribe after the restart");
		t[k] = now_us() - t0;
		frame_free(m);
	}
	printf("  after a restart (db_warm_up %s): the first %d joins took",
	    tafeld_log_count(&srv, "warmed up in") > 0 ? "on" : "off", n);
	for (k = 0; k < n; k++)
		printf(" %.1f", (double)t[k] / 1000.0);
	printf(" ms\n");
	for (k = 0; k < n; k++)
		tclient_close(&jc[k]);
	return 0;
}

int
mode_join(int argc, char **argv)
{
	Tafel__SetCurrentItemRequest cur = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	int joins = argc > 0 ? atoi(argv[0]) : 100;
	int n_items = argc > 1 ? atoi(argv[1]) : 50;
	int n_actions = argc > 2 ? atoi(argv[2]) : 500, k, snapshots = 0;
	long long *t_join, *t_res, *t_ev, t0, arrive;
	size_t bytes_min = (size_t)-1, bytes_max = 0, b;
	size_t it_min = (size_t)-1, it_max = 0, ac_min = (size_t)-1, ac_max = 0;
	long audit[4];
	uint64_t *seq;
	int64_t big, item_ids[2] = { 0, 0 };
	struct tclient *cs[1];
	Tafel__Envelope *m;
	char key[64];

	if (joins < 1 || joins > MAX_CLIENTS - 1 || n_items < 2 ||
	    n_actions < n_items) {
		fprintf(stderr, "tafel_bench join: 1..%d joins, at least 2 "
		    "items and as many action points\n", MAX_CLIENTS - 1);
		return 2;
	}
	printf("tafel_bench join: a meeting of %d agenda items (new cases) "
	    "and %d action points; %d clients (distinct users of several "
	    "organisations, logged in beforehand) subscribe one after "
	    "another, then all come back with resume_from after one change\n",
	    n_items, n_actions, joins);
	big = big_meeting(n_items, n_actions);
	bench_users("join", joins, 1);
	for (k = 0; k < joins; k++)
		bench_login(&jc[k], &srv, "join", k + 1);
	t_join = calloc((size_t)joins, sizeof *t_join);
	t_res = calloc((size_t)joins, sizeof *t_res);
	t_ev = calloc((size_t)joins, sizeof *t_ev);
	seq = calloc((size_t)joins, sizeof *seq);
	print_load();
	fflush(stdout);
	audit[0] = snapshot_audit_rows(big);
	for (k = 0; k < joins; k++) {
		Tafel__Snapshot *s;

		t0 = now_us();
		m = must(tclient_subscribe(&jc[k], big, 0, 0), B(SUBSCRIBED),
		    "subscribe");
		t_join[k] = now_us() - t0;
		if (getenv("TAFEL_BENCH_VERBOSE") != NULL)
			printf("    join %d: %.2f ms\n", k + 1,
			    (double)t_join[k] / 1000.0);
		if ((s = m->subscribed->snapshot) == NULL) {
			fprintf(stderr, "tafel_bench: a join without a "
			    "snapshot\n");
			return 1;
		}
		seq[k] = m->subscribed->seq;
		b = tafel__envelope__get_packed_size(m);
		bytes_min = b < bytes_min ? b : bytes_min;
		bytes_max = b > bytes_max ? b : bytes_max;
		it_min = s->n_agenda < it_min ? s->n_agenda : it_min;
		it_max = s->n_agenda > it_max ? s->n_agenda : it_max;
		ac_min = s->n_actions < ac_min ? s->n_actions : ac_min;
		ac_max = s->n_actions > ac_max ? s->n_actions : ac_max;
		if (s->n_agenda >= 2) {
			item_ids[0] = s->agenda[0]->id;
			item_ids[1] = s->agenda[1]->id;
		}
		frame_free(m);
	}
	audit[1] = snapshot_audit_rows(big);
	printf("  snapshots: %zu..%zu agenda items, %zu..%zu action points, "
	    "%zu..%zu bytes (what each organisation may see); %ld snapshot "
	    "audit rows written for the %d joins\n", it_min, it_max, ac_min,
	    ac_max, bytes_min, bytes_max, audit[1] - audit[0], joins);
	print_stats("subscribe -> snapshot", t_join, joins,
	    "target p99 <= 20 ms (issue 13, snapshot join)");
	/* the server's share: the snapshot from the database, the answer out */
	print_status_line(&srv, "join timing, ");
	print_status_line(&srv, "join snapshots: ");
	/* where the time goes: the database's share */
	{
		long long db[10], raw[10];
		int n = joins < 10 ? joins : 10;
		char note[64];

		for (k = 0; k < n; k++) {
			db[k] = (long long)(sql_ms(0, big, k + 1) * 1000);
			raw[k] = (long long)(sql_ms(1, big, k + 1) * 1000);
		}
		snprintf(note, sizeof note, "(the query alone, %d users, via "
		    "psql, second call)", n);
		print_stats("of which tafel_snapshot()", db, n, note);
		print_stats("  of which the parts", raw, n,
		    "(built and redacted, no audit)");
	}
	/* everyone drops; one change happens meanwhile; everyone resumes */
	for (k = 0; k < joins; k++)
		tclient_close(&jc[k]);
	cur.meeting_id = big;
	cur.item_id = item_ids[0];
	frame_free(must(tclient_req(&chair, B(SET_CURRENT_ITEM), &cur,
	    bench_key(key, sizeof key)), B(MEETING), "set_current_item"));
	audit[2] = snapshot_audit_rows(big);
	for (k = 0; k < joins; k++) {
		bench_login(&jc[k], &srv, "join", k + 1);
		t0 = now_us();
		m = must(tclient_subscribe(&jc[k], big, seq[k], 0),
		    B(SUBSCRIBED), "resume");
		t_res[k] = now_us() - t0;
		if (!m->subscribed->resumed || m->subscribed->snapshot != NULL)
			snapshots++;
		frame_free(m);
		bench_nonblock(&jc[k]);
		cs[0] = &jc[k];
		if (wait_events(cs, 1, &arrive, 30000) != 0) {
			fprintf(stderr, "tafel_bench: the missed change was "
			    "not replayed\n");
			return 1;
		}
		t_ev[k] = arrive - t0;
		tclient_close(&jc[k]);
	}
	print_stats("resume -> answered", t_res, joins, NULL);
	print_stats("resume -> missed change", t_ev, joins, NULL);
	audit[3] = snapshot_audit_rows(big);
	printf("  resumes answered with a snapshot instead: %d of %d; "
	    "snapshot audit rows written during the resumes: %ld\n",
	    snapshots, joins, audit[3] - audit[2]);
	/*
	 * The same joins with a change just before each: the snapshot kept
	 * for the joiner's class is stale, so each is rendered (the first
	 * join of a meeting after the chair moved on).
	 */
	{
		int n2 = joins < 30 ? joins : 30;
		long long t2[30];

		for (k = 0; k < n2; k++) {
			bench_login(&jc[k], &srv, "join", k + 1);
			cur.meeting_id = big;
			cur.item_id = item_ids[(k + 1) % 2];
			frame_free(must(tclient_req(&chair, B(SET_CURRENT_ITEM),
			    &cur, bench_key(key, sizeof key)), B(MEETING),
			    "set_current_item"));
			t0 = now_us();
			frame_free(must(tclient_subscribe(&jc[k], big, 0, 0),
			    B(SUBSCRIBED), "subscribe after a change"));
			t2[k] = now_us() - t0;
		}
		print_stats("join after a change", t2, n2,
		    "(rendered: nothing kept is current)");
		print_status_line(&srv, "join snapshots: ");
		for (k = 0; k < n2; k++)
			tclient_close(&jc[k]);
	}
	if (after_restart(big, joins) != 0)
		return 1;
	print_load();
	free(t_join);
	free(t_res);
	free(t_ev);
	free(seq);
	return snapshots > 0 ? 1 : 0;
}
