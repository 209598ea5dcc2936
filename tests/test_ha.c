/* Integration: two tafeld nodes on a primary with a synchronous streaming standby: each change once and in order on both; failover while writes flow. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "frame.h"
#include "harness.h"

#define WRITES_EACH 8		/* per node before, during and after */

static struct tafeld node_a, node_b;
static char cluster[] = "/tmp/tafel-ha-XXXXXX";
static int port1, port2;
static char conninfo[512];
static int cluster_up;

static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
		port = -1;
	else
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* ha-cluster.sh ACTION [args]: 0 on success. */
static int
cluster_cmd(const char *action, const char *more)
{
	const char *script = getenv("TAFEL_HA_CLUSTER");
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "bash '%s' %s '%s' %s", script ? script :
	    "tests/ops/ha-cluster.sh", action, cluster, more ? more : "");
	return system(cmd) == 0 ? 0 : -1;
}

/* One value from the database on port (psql as the cluster's superuser). */
static int
sql_value(int port, const char *sql, char *out, size_t len)
{
	char cmd[2048];
	FILE *p;

	snprintf(cmd, sizeof cmd, "psql -X -At -h 127.0.0.1 -p %d -U tafel "
	    "-d tafel -c \"%s\"", port, sql);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(out, (int)len, p) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return pclose(p) == 0 ? 0 : -1;
}

static int
setup(void **state)
{
	char ports[64];

	(void)state;
	harness_require_service_user();
	if (mkdtemp(cluster) == NULL)
		return -1;
	port1 = free_port();
	port2 = free_port();
	snprintf(ports, sizeof ports, "%d %d", port1, port2);
	if (cluster_cmd("start", ports) != 0)
		return -1;
	cluster_up = 1;
	/* libpq tries both hosts and takes the one that accepts writes */
	snprintf(conninfo, sizeof conninfo, "host=127.0.0.1,127.0.0.1 "
	    "port=%d,%d dbname=tafel user=tafel "
	    "target_session_attrs=read-write connect_timeout=2", port1, port2);
	{
		const char *const args[] = { "--db", conninfo, "--set",
		    "rate_session=100000", "--set", "rate_burst=100000", "--set",
		    "rate_address=100000", NULL };
		const char *const demo[] = { "--db", conninfo, "demo-data",
		    NULL };

		if (tafeld_start(&node_a, NULL, args) != 0 ||
		    tafeld_start(&node_b, NULL, args) != 0)
			return -1;
		if (tafelctl_run(&node_a, demo) != 0)
			return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	int rc = 0;

	(void)state;
	if (node_a.pid > 0 && tafeld_teardown(&node_a) != 0)
		rc = -1;
	if (node_b.pid > 0 && tafeld_teardown(&node_b) != 0)
		rc = -1;
	if (cluster_up)
		cluster_cmd("stop", NULL);
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", cluster);
		if (system(cmd) != 0)
			rc = -1;
	}
	return rc;
}

/*
 * Creates a case, retrying with the same idempotency key while the
 * database is unavailable (as the client does), for at most 60 s.
 * Returns the case id once acknowledged, 0 if never.
 */
static int64_t
create_case_acked(struct tclient *c, const char *summary, int *retries)
{
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;
	char key[80];
	long long end = now_ms() + 60000;
	Tafel__Envelope *m;
	int64_t id = 0;

	snprintf(key, sizeof key, "%s", harness_key());
	cc.theme = "domestic_violence";
	cc.summary = (char *)summary;
	while (now_ms() < end) {
		m = tclient_req(c, B(CREATE_CASE), &cc, key);
		if (m != NULL && m->body_case == B(CASE_RECORD)) {
			id = m->case_record->id;
			frame_free(m);
			return id;
		}
		if (m != NULL && (m->body_case != B(ERROR) || m->error->code !=
		    TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE)) {
			harness_print_error("create_case", m);
			frame_free(m);
			return 0;
		}
		frame_free(m);
		(*retries)++;
		usleep(200000);
	}
	return 0;
}

/* The case ids the nodes acknowledged. */
static int64_t acked[6 * WRITES_EACH];
static int n_acked;

static void
write_round(struct tclient *a, struct tclient *b, const char *phase,
    int *retries)
{
	char summary[64];
	int i;

	for (i = 0; i < WRITES_EACH; i++) {
		snprintf(summary, sizeof summary, "ha %s a%d", phase, i);
		acked[n_acked] = create_case_acked(a, summary, retries);
		assert_true(acked[n_acked++] > 0);
		snprintf(summary, sizeof summary, "ha %s b%d", phase, i);
		acked[n_acked] = create_case_acked(b, summary, retries);
		assert_true(acked[n_acked++] > 0);
	}
}

/* tafelctl status --json of a node has LISTEN up and a connected pool. */
static int
node_db_up(struct tafeld *t)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	char cmd[1024], buf[8192];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof cmd, "'%s' --config /dev/null --data-dir '%s' "
	    "status --json", bin, t->dir);
	if ((p = popen(cmd, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = '\0';
	pclose(p);
	return strstr(buf, "\"listen\":true") != NULL &&
	    strstr(buf, "\"idle\":0") == NULL;
}

/* "local_changes" of a node's status: changes it took from its own writes. */
static long long
node_local_changes(struct tafeld *t)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	char cmd[1024], *buf, *p;
	size_t n = 0, cap = 1 << 20;
	long long v = -1;
	FILE *f;

	/* the status lists every connection and query: read all of it */
	snprintf(cmd, sizeof cmd, "'%s' --config /dev/null --data-dir '%s' "
	    "status --json", bin, t->dir);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	buf = malloc(cap);
	assert_non_null(buf);
	while (n < cap - 1 && !feof(f) && !ferror(f))
		n += fread(buf + n, 1, cap - 1 - n, f);
	buf[n] = '\0';
	pclose(f);
	if ((p = strstr(buf, "\"local_changes\":")) != NULL)
		v = atoll(p + strlen("\"local_changes\":"));
	else
		print_message("tafelctl status --json has no local_changes: "
		    "%.200s\n", buf);
	free(buf);
	assert_true(v >= 0);
	return v;
}

/*
 * Writes on both nodes at once (pipelined, without waiting): a subscriber
 * on node A and one on node B each receive every change exactly once and
 * in order, whether their node took it from its own write's answer or
 * from the notification (the writing node does both and must not deliver
 * twice).
 */
#define BURST_EACH 12
static void
test_two_nodes_once(void **state)
{
	struct tclient wa, wb, sa, sb, *subs[2] = { &sa, &sb }, *w;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;
	char v[64], sql[256], text[64];
	uint64_t before, last, prev;
	long long end, local_a;
	unsigned got, expect, n;
	int64_t wzt;
	int i, k;

	(void)state;
	assert_int_equal(sql_value(port1, "SELECT m.id FROM meetings m JOIN "
	    "series s ON s.id = m.series_id WHERE s.kind = 'wzt' AND m.state = "
	    "'planned' ORDER BY m.scheduled_start LIMIT 1", v, sizeof v), 0);
	wzt = atoll(v);
	assert_true(wzt > 0);
	assert_int_equal(tclient_login(&wa, &node_a, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&wb, &node_b, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&sa, &node_a, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&sb, &node_b, "voorzitter", "demo"), 0);
	for (i = 0; i < 2; i++) {
		m = tclient_subscribe(subs[i], wzt, 0, 0);
		harness_expect_body(m, B(SUBSCRIBED));
		frame_free(m);
	}
	snprintf(sql, sizeof sql, "SELECT min(case_id) FROM agenda_items "
	    "WHERE meeting_id = %lld", (long long)wzt);
	assert_int_equal(sql_value(port1, sql, v, sizeof v), 0);
	r.case_id = atoll(v);
	/* the writer's own organisation: no inbox entry (a change of its
	 * own, which the meeting's subscribers do not get) */
	assert_int_equal(sql_value(port1, "SELECT org_id FROM users WHERE "
	    "login = 'voorzitter'", v, sizeof v), 0);
	r.owner_org_id = atoll(v);
	assert_int_equal(sql_value(port1, "SELECT max(seq) FROM changelog", v,
	    sizeof v), 0);
	before = strtoull(v, NULL, 10);
	local_a = node_local_changes(&node_a);
	r.meeting_id = wzt;
	r.description = text;
	r.due_date = "2099-01-01";
	env.body_case = TAFEL__ENVELOPE__BODY_CREATE_ACTION;
	env.create_action = &r;
	for (k = 0; k < BURST_EACH; k++) {
		for (i = 0; i < 2; i++) {
			w = i == 0 ? &wa : &wb;
			snprintf(text, sizeof text, "twee knopen %d.%d", i, k);
			env.idempotency_key = (char *)harness_key();
			env.request_id = w->next_id++;
			assert_int_equal(tclient_send(w, &env), 0);
		}
	}
	for (i = 0; i < 2; i++) {
		w = i == 0 ? &wa : &wb;
		for (got = 0; got < BURST_EACH;) {
			m = tclient_recv(w, 20000);
			assert_non_null(m);
			if (m->body_case == B(ERROR))
				harness_print_error("create_action", m);
			assert_int_equal(m->body_case, B(ACTION_POINT));
			got++;
			frame_free(m);
		}
	}
	assert_int_equal(sql_value(port1, "SELECT max(seq) FROM changelog", v,
	    sizeof v), 0);
	last = strtoull(v, NULL, 10);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM changelog WHERE seq > "
	    "%llu AND seq <= %llu", (unsigned long long)before,
	    (unsigned long long)last);
	assert_int_equal(sql_value(port1, sql, v, sizeof v), 0);
	expect = (unsigned)atoi(v);
	assert_true(expect >= 2 * BURST_EACH);
	for (i = 0; i < 2; i++) {
		prev = before;
		got = 0;
		end = now_ms() + 20000;
		while (prev < last && now_ms() < end) {
			m = tclient_event(subs[i], 1000);
			if (m == NULL)
				continue;
			assert_false(m->event->resync);
			if (m->event->seq <= prev)
				fail_msg("node %c: event %llu after %llu",
				    'A' + i, (unsigned long long)m->event->seq,
				    (unsigned long long)prev);
			prev = m->event->seq;
			got++;
			frame_free(m);
		}
		/* nothing more comes (a second copy would come now) */
		m = tclient_event(subs[i], 500);
		if (m != NULL)
			fail_msg("node %c: one more event, %llu", 'A' + i,
			    (unsigned long long)m->event->seq);
		print_message("node %c's subscriber: %u of %u changes, once each, "
		    "in order\n", 'A' + i, got, expect);
		assert_int_equal(got, expect);
	}
	/*
	 * More writes on A, one at a time: A has read everything before each,
	 * so it takes the change from the write's answer (its notification
	 * then starts no read, or the read skips it); each subscriber gets it
	 * once.  The notification and the answer leave PostgreSQL at the same
	 * commit: on a loaded machine the notification's read can still come
	 * first, so the shortcut must show within a few writes, not each one.
	 */
	for (n = 0; n < 5 && node_local_changes(&node_a) == local_a; n++) {
		snprintf(text, sizeof text, "twee knopen alleen %u", n);
		env.idempotency_key = (char *)harness_key();
		m = tclient_call(&wa, &env, 20000);
		assert_non_null(m);
		assert_int_equal(m->body_case, B(ACTION_POINT));
		frame_free(m);
		for (i = 0; i < 2; i++) {
			m = tclient_event(subs[i], 10000);
			assert_non_null(m);
			assert_true(m->event->seq > last);
			frame_free(m);
			m = tclient_event(subs[i], 500);
			if (m != NULL)
				fail_msg("node %c: a second copy, %llu", 'A' + i,
				    (unsigned long long)m->event->seq);
		}
	}
	print_message("node A took a lone write's change from its answer "
	    "after %u write(s)\n", n);
	assert_true(node_local_changes(&node_a) > local_a);
	tclient_close(&wa);
	tclient_close(&wb);
	tclient_close(&sa);
	tclient_close(&sb);
}

/*
 * Clients on both nodes write; the primary crashes and the standby is
 * promoted while they do.  Both nodes reconnect to the new primary through
 * the multi-host connection string, the clients' connections stay, their
 * retried writes go through, a subscriber on one node hears a change made
 * on the other, and every acknowledged write is on the new primary.
 */
static void
test_failover(void **state)
{
	struct tclient a, b, watcher;
	Tafel__Envelope *m;
	char v[64], sql[256];
	int retries = 0, i, st, promoted;
	long long t0;
	int64_t wzt;
	pid_t promoter;
	long long end;

	(void)state;
	assert_int_equal(sql_value(port1, "SELECT m.id FROM meetings m JOIN "
	    "series s ON s.id = m.series_id WHERE s.kind = 'wzt' AND m.state = "
	    "'planned' ORDER BY m.scheduled_start LIMIT 1", v, sizeof v), 0);
	wzt = atoll(v);
	assert_true(wzt > 0);
	assert_int_equal(tclient_login(&a, &node_a, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&b, &node_b, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&watcher, &node_b, "voorzitter", "demo"),
	    0);
	m = tclient_subscribe(&watcher, wzt, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);

	t0 = now_ms();
	write_round(&a, &b, "before", &retries);
	print_message("%d writes before the failover: %lld ms\n",
	    2 * WRITES_EACH, now_ms() - t0);

	/* the primary fails; 1.5 s later the failover manager promotes */
	assert_int_equal(cluster_cmd("crash-primary", NULL), 0);
	promoter = fork();
	assert_true(promoter >= 0);
	if (promoter == 0) {
		usleep(1500000);
		_exit(cluster_cmd("promote", NULL) == 0 ? 0 : 1);
	}
	t0 = now_ms();
	write_round(&a, &b, "during", &retries);
	/* the promotion happened while these writes were under way */
	promoted = waitpid(promoter, &st, WNOHANG) == promoter;
	print_message("%d writes across the failover: %lld ms, %d retried "
	    "after DATABASE_UNAVAILABLE\n", 2 * WRITES_EACH, now_ms() - t0,
	    retries);
	if (!promoted)
		while (waitpid(promoter, &st, 0) < 0 && errno == EINTR)
			;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(promoted);
	t0 = now_ms();
	write_round(&a, &b, "after", &retries);
	print_message("%d writes after: %lld ms\n", 2 * WRITES_EACH,
	    now_ms() - t0);

	/* both nodes are on the new primary, LISTEN included */
	end = now_ms() + 20000;
	while (now_ms() < end && !(node_db_up(&node_a) && node_db_up(&node_b)))
		usleep(200000);
	assert_true(node_db_up(&node_a));
	assert_true(node_db_up(&node_b));
	print_message("both nodes on the new primary\n");

	/* a change through node A reaches a subscriber on node B */
	{
		Tafel__AddAgendaItemRequest r = TAFEL__ADD_AGENDA_ITEM_REQUEST__INIT;
		Tafel__Envelope *ev = NULL;

		r.meeting_id = wzt;
		r.case_id = acked[n_acked - 1];
		m = tclient_req(&a, B(ADD_AGENDA_ITEM), &r, harness_key());
		harness_expect_body(m, B(AGENDA));
		frame_free(m);
		end = now_ms() + 15000;
		while (now_ms() < end) {
			ev = tclient_event(&watcher, 1000);
			if (ev != NULL && ev->event != NULL &&
			    (ev->event->resync || ev->event->n_agenda_items > 0))
				break;
			frame_free(ev);
			ev = NULL;
		}
		assert_non_null(ev);
		frame_free(ev);
		print_message("the subscriber on node B heard the change made "
		    "on node A\n");
	}

	/* no acknowledged write is lost: each is on the new primary, once */
	for (i = 0; i < n_acked; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE "
		    "id = %lld AND summary LIKE 'ha %%'", (long long)acked[i]);
		assert_int_equal(sql_value(port2, sql, v, sizeof v), 0);
		assert_string_equal(v, "1");
	}
	assert_int_equal(sql_value(port2, "SELECT count(*) FROM cases WHERE "
	    "summary LIKE 'ha %'", v, sizeof v), 0);
	assert_int_equal(atoi(v), n_acked);
	assert_int_equal(sql_value(port2, "SELECT pg_is_in_recovery()", v,
	    sizeof v), 0);
	assert_string_equal(v, "f");

	tclient_close(&a);
	tclient_close(&b);
	tclient_close(&watcher);
}

/*
 * The LISTEN connections hang (their backends stopped: a network path
 * that went silent without a reset looks the same): each node notices
 * within its check (server/db.c DB_LISTEN_CHECK_MS), reconnects and reads
 * the change log, so a change written on node A still reaches the
 * subscribers of both nodes.  Before, node B's subscribers got nothing
 * until the backend came back, however long.
 */
static void
test_listen_hung(void **state)
{
	struct tclient wa, sa, sb, *subs[2] = { &sa, &sb };
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__Envelope *m;
	char v[256], sql[256], *p, *end_p;
	pid_t pids[8];
	int n_pids = 0, i, seen[2] = { 0, 0 };
	uint64_t target;
	long long end;
	int64_t wzt;

	(void)state;
	assert_int_equal(sql_value(port1, "SELECT m.id FROM meetings m JOIN "
	    "series s ON s.id = m.series_id WHERE s.kind = 'wzt' AND m.state = "
	    "'planned' ORDER BY m.scheduled_start LIMIT 1", v, sizeof v), 0);
	wzt = atoll(v);
	assert_true(wzt > 0);
	assert_int_equal(tclient_login(&wa, &node_a, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&sa, &node_a, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&sb, &node_b, "voorzitter", "demo"), 0);
	for (i = 0; i < 2; i++) {
		m = tclient_subscribe(subs[i], wzt, 0, 0);
		harness_expect_body(m, B(SUBSCRIBED));
		frame_free(m);
	}
	/* both nodes' LISTEN backends (listening, or answering a check) */
	assert_int_equal(sql_value(port1, "SELECT string_agg(pid::text, ' ') "
	    "FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (query "
	    "LIKE 'LISTEN%' OR query LIKE '%tafel listen check%')", v,
	    sizeof v), 0);
	for (p = v; *p != '\0' && n_pids < 8; p = end_p) {
		long pid = strtol(p, &end_p, 10);

		if (end_p == p)
			break;
		pids[n_pids++] = (pid_t)pid;
	}
	assert_int_equal(n_pids, 2);
	for (i = 0; i < n_pids; i++)
		assert_int_equal(kill(pids[i], SIGSTOP), 0);

	/* a change on node A: an action point in the meeting */
	snprintf(sql, sizeof sql, "SELECT min(case_id) FROM agenda_items WHERE "
	    "meeting_id = %lld", (long long)wzt);
	assert_int_equal(sql_value(port1, sql, v, sizeof v), 0);
	r.case_id = atoll(v);
	assert_int_equal(sql_value(port1, "SELECT org_id FROM users WHERE "
	    "login = 'voorzitter'", v, sizeof v), 0);
	r.owner_org_id = atoll(v);
	r.meeting_id = wzt;
	r.description = "Afspraak terwijl LISTEN hangt";
	r.due_date = "2099-01-01";
	m = tclient_req(&wa, B(CREATE_ACTION), &r, harness_key());
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	assert_int_equal(sql_value(port1, "SELECT max(seq) FROM changelog", v,
	    sizeof v), 0);
	target = strtoull(v, NULL, 10);

	/* reaches both (generously: the check takes up to 15 s here) */
	for (i = 0; i < 2; i++) {
		end = now_ms() + 60000;
		while (!seen[i] && now_ms() < end) {
			m = tclient_event(subs[i], 1000);
			if (m != NULL && m->event != NULL &&
			    m->event->seq >= target)
				seen[i] = 1;
			frame_free(m);
		}
		if (!seen[i])
			print_message("node %c's subscriber never got change "
			    "%llu\n", i == 0 ? 'A' : 'B',
			    (unsigned long long)target);
	}
	for (i = 0; i < n_pids; i++)	/* before asserting: teardown */
		(void)kill(pids[i], SIGCONT);
	assert_true(seen[0] && seen[1]);
	tclient_close(&wa);
	tclient_close(&sa);
	tclient_close(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_nodes_once),
		cmocka_unit_test(test_listen_hung),
		cmocka_unit_test(test_failover),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
