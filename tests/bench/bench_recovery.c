/* Benchmark: kill -9 of tafeld under load and its restart: how fast every subscriber is back (resume ticket + resume), and whether any write was lost, doubled or missed. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"

/*
 * Reconnect policy of the subscribers: the one of client/net.c (first
 * retry after NET_BACKOFF_MIN, doubling to NET_BACKOFF_MAX, each wait drawn
 * from [ms/2, ms]).  Keep these in step with it.
 */
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 30000

#define MAX_CLIENTS 1000
#define MAX_WRITES 100000
#define TIMEOUT_MS 20000

/* One subscriber: a thread that follows the meeting and comes back after drops. */
struct sub {
	int index;
	pthread_t thread;
	const char *login;
	struct tclient c;
	char ticket[64];
	uint64_t last_seq;		/* newest event seq applied */
	pthread_mutex_t mu;		/* ids: appended here, read by main */
	int64_t *ids;			/* action points created in its events */
	size_t n_ids, cap_ids;
	int duplicates;			/* events at or below last_seq */
	int snapshots;			/* resumes answered with a snapshot */
	int password_logins;		/* reconnects where the ticket was refused */
	int connected;
	long long resumed_at;		/* when the resume after the restart answered */
	long long ph_start, ph_open, ph_login;	/* phases of that reconnect */
	int attempts;			/* connection attempts after the drop */
};

static struct tafeld srv;
static struct sub subs[MAX_CLIENTS];
static int n_subs;
static int64_t meeting, case_id, owner_org;
static atomic_int stop_all;		/* the run is over */
static atomic_llong restart_at;		/* when the new tafeld was started */
static atomic_int server_down;		/* between kill -9 and restart */
static atomic_int acked[MAX_WRITES];	/* the writer got the answer */
static int64_t write_id[MAX_WRITES];	/* the action point each created */
static atomic_int n_writes;		/* writes started */
static atomic_int fail_refused;		/* attempts while nothing listened */
static atomic_int fail_open;		/* TCP/TLS/Hello failed */
static atomic_int fail_login;		/* login not answered or refused */
static atomic_int fail_subscribe;	/* subscribe not answered or refused */

/*
 * The 100 subscribers stand for 100 machines but share 127.0.0.1 here, so
 * the per-address limits (rate, unauthenticated connections) are lifted.
 */
static const char *const tafeld_args[] = {
	"--set", "rate_session=100000", "--set", "rate_burst=100000",
	"--set", "rate_address=100000",
	"--set", "max_unauthenticated_per_address=256", NULL };

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long
pct(const long long *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return n ? v[i] : 0;
}

static void
new_key(char *buf, size_t len)
{
	unsigned char r[12];
	size_t i;

	RAND_bytes(r, sizeof r);
	for (i = 0; i < sizeof r && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", r[i]);
}

static Tafel__Envelope *
must(Tafel__Envelope *m, Tafel__Envelope__BodyCase body, const char *what)
{
	if (m == NULL || m->body_case != body) {
		fprintf(stderr, "bench: %s failed: %s\n", what, m != NULL &&
		    m->body_case == B(ERROR) ? m->error->message : "no answer");
		exit(1);
	}
	return m;
}

/* Logs in on an open connection with the ticket (if any), else the password. */
static int
sub_login(struct sub *s)
{
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	Tafel__Envelope *m;
	int by_ticket = s->ticket[0] != '\0';

	l.login = (char *)s->login;
	if (by_ticket)
		l.resume_ticket = s->ticket;
	else
		l.password = "demo";
	m = tclient_req(&s->c, B(LOGIN), &l, NULL);
	if (m != NULL && m->body_case == B(ERROR) && by_ticket &&
	    m->error->code == TAFEL__ERROR_CODE__SESSION_EXPIRED) {
		frame_free(m);
		s->ticket[0] = '\0';
		s->password_logins++;
		return sub_login(s);
	}
	if (m == NULL || m->body_case != B(LOGIN_OK)) {
		frame_free(m);
		return -1;
	}
	snprintf(s->ticket, sizeof s->ticket, "%s", m->login_ok->resume_ticket);
	frame_free(m);
	return 0;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Times the subscriber got an event with action point id (ids sorted). */
static int
times_seen(const struct sub *s, int64_t id)
{
	const int64_t *p = bsearch(&id, s->ids, s->n_ids, sizeof id, cmp_id);
	int n = 0;

	if (p == NULL)
		return 0;
	while (p > s->ids && p[-1] == id)
		p--;
	for (; p < s->ids + s->n_ids && *p == id; p++)
		n++;
	return n;
}

static void
apply_event(struct sub *s, const Tafel__Envelope *m)
{
	if (m->event->resync) {
		fprintf(stderr, "bench: subscriber %d got a resync\n", s->index);
		return;
	}
	if (m->event->seq <= s->last_seq) {
		s->duplicates++;
		return;
	}
	s->last_seq = m->event->seq;
	/*
	 * Matched by id, not by text: a viewer who may not read action-point
	 * texts of this case gets the event with the description blanked.
	 */
	if (m->event->action_point != NULL &&
	    m->event->action_point->version == 1) {
		pthread_mutex_lock(&s->mu);
		if (s->n_ids == s->cap_ids) {
			s->cap_ids = s->cap_ids ? 2 * s->cap_ids : 256;
			s->ids = realloc(s->ids, s->cap_ids * sizeof *s->ids);
		}
		s->ids[s->n_ids++] = m->event->action_point->id;
		pthread_mutex_unlock(&s->mu);
	}
}

/* Subscribes (resuming from last_seq when there is one). */
static int
sub_subscribe(struct sub *s)
{
	Tafel__Envelope *m = tclient_subscribe(&s->c, meeting, s->last_seq, 0);

	if (m == NULL || m->body_case != B(SUBSCRIBED)) {
		frame_free(m);
		return -1;
	}
	if (s->last_seq > 0 && !m->subscribed->resumed) {
		/* A snapshot instead: its seq is where the stream restarts. */
		s->snapshots++;
	}
	if (!m->subscribed->resumed)
		s->last_seq = m->subscribed->seq;
	frame_free(m);
	return 0;
}

static void *
sub_main(void *arg)
{
	struct sub *s = arg;
	Tafel__Envelope *m;
	long ms = BACKOFF_MIN_MS, wait;
	long long t_start, t_open, t_login;
	uint32_t r;

	while (!atomic_load(&stop_all)) {
		if (s->connected) {
			while (s->c.n_queued > 0 &&
			    (m = tclient_event(&s->c, 0)) != NULL) {
				apply_event(s, m);
				frame_free(m);
			}
			m = tclient_event(&s->c, 200);
			if (m != NULL) {
				apply_event(s, m);
				frame_free(m);
			} else if (s->c.eof) {
				tclient_close(&s->c);
				s->connected = 0;
				ms = BACKOFF_MIN_MS;
			}
			continue;
		}
		/* lost: wait as the client does, then try again */
		RAND_bytes((unsigned char *)&r, sizeof r);
		wait = ms / 2 + (long)(r % (uint32_t)(ms / 2 + 1));
		usleep((useconds_t)wait * 1000);
		ms = ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : ms * 2;
		s->attempts++;
		if (atomic_load(&server_down)) {
			/* nothing listens: connection refused */
			atomic_fetch_add(&fail_refused, 1);
			continue;
		}
		t_start = now_ms();
		if (tclient_open(&s->c, &srv, TAFEL_PROTOCOL_VERSION) != 0) {
			atomic_fetch_add(&fail_open, 1);
			tclient_close(&s->c);
			continue;
		}
		t_open = now_ms();
		if (sub_login(s) != 0) {
			atomic_fetch_add(&fail_login, 1);
			tclient_close(&s->c);
			continue;
		}
		t_login = now_ms();
		if (sub_subscribe(s) != 0) {
			atomic_fetch_add(&fail_subscribe, 1);
			tclient_close(&s->c);
			continue;
		}
		s->connected = 1;
		if (s->resumed_at == 0 && atomic_load(&restart_at) != 0) {
			s->resumed_at = now_ms();
			s->ph_start = t_start;
			s->ph_open = t_open;
			s->ph_login = t_login;
		}
	}
	if (s->connected)
		tclient_close(&s->c);
	return NULL;
}

/* The writer: one create_action at a time, retried with its key until answered. */
static int writer_rate = 10;		/* writes per second */
static atomic_int writer_go = 1;
static int writer_retries;

static void *
writer_main(void *arg)
{
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;
	struct tclient c;
	Tafel__Envelope *m;
	char desc[32], key[40];
	int connected = 0, w;
	long long next = now_ms();

	(void)arg;
	memset(&c, 0, sizeof c);
	r.case_id = case_id;
	r.meeting_id = 0;
	r.owner_org_id = owner_org;
	r.due_date = "2031-05-05";
	while (atomic_load(&writer_go)) {
		w = atomic_load(&n_writes);
		if (w >= MAX_WRITES)
			break;
		snprintf(desc, sizeof desc, "bench-%d", w);
		new_key(key, sizeof key);
		r.description = desc;
		for (;;) {
			if (!connected) {
				if (atomic_load(&server_down) ||
				    tclient_login(&c, &srv, "admin",
				    "demo") != 0) {
					tclient_close(&c);
					usleep(100000);
					continue;
				}
				connected = 1;
			}
			m = tclient_req(&c, B(CREATE_ACTION), &r, key);
			if (m != NULL && m->body_case == B(ACTION_POINT)) {
				write_id[w] = m->action_point->id;
				frame_free(m);
				break;
			}
			/* not answered, or refused for now: same key again */
			if (writer_retries++ == 0 && m != NULL &&
			    m->body_case == B(ERROR))
				fprintf(stderr, "bench: write %d: %s (%s)\n", w,
				    error_code_name(m->error->code),
				    m->error->message);
			if (m == NULL || c.eof) {
				tclient_close(&c);
				connected = 0;
			} else
				usleep(50000);
			frame_free(m);
		}
		atomic_store(&acked[w], 1);
		atomic_store(&n_writes, w + 1);
		next += 1000 / writer_rate;
		while (now_ms() < next)
			usleep(1000);
	}
	if (connected)
		tclient_close(&c);
	return NULL;
}

/* The largest meeting of the demo (most agenda items) and a case on it. */
static void
pick_meeting(void)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	struct tclient c;
	Tafel__Envelope *m, *s;
	size_t i, best = 0;

	if (tclient_login(&c, &srv, "admin", "demo") != 0)
		exit(1);
	m = must(tclient_req(&c, B(LIST_MEETINGS), &lm, NULL),
	    B(MEETING_LIST), "list_meetings");
	for (i = 0; i < m->meeting_list->n_meetings; i++) {
		s = must(tclient_subscribe(&c, m->meeting_list->meetings[i]->id,
		    0, 0), B(SUBSCRIBED), "subscribe");
		if (s->subscribed->snapshot->n_agenda > best) {
			best = s->subscribed->snapshot->n_agenda;
			meeting = m->meeting_list->meetings[i]->id;
			case_id = s->subscribed->snapshot->agenda[0]->case_id;
		}
		frame_free(s);
	}
	frame_free(m);
	tclient_close(&c);
	printf("  meeting %lld: %zu agenda items\n", (long long)meeting, best);
}

int
main(int argc, char **argv)
{
	static const char *const demo[] = { "demo-data", NULL };
	static const char *const users[] = { "voorzitter", "politie",
	    "wijkagent", "om", "reclassering", "jeugdzorg", "veiligthuis",
	    "admin", "raad", "forensisch", "verslavingszorg", "ggz",
	    "woningcorporatie", "huisarts", "slachtofferhulp", "waarnemer" };
	const char *ok_users[sizeof users / sizeof users[0]];
	int n_ok = 0, before_s = argc > 3 ? atoi(argv[3]) : 5;
	int after_s = argc > 4 ? atoi(argv[4]) : 10;
	struct tclient c;
	pthread_t writer;
	Tafel__Envelope *m;
	long long t_kill, t_listen, deadline, *lat;
	size_t i, n_lat = 0;
	int k, w, writes, lost = 0, twice = 0, gaps = 0, dup = 0, snaps = 0;
	int pw = 0, unresumed = 0, extra = 0;
	FILE *p;
	char cmd[600], line[128];
	static int db_count[MAX_WRITES];

	setvbuf(stdout, NULL, _IOLBF, 0);
	n_subs = argc > 1 ? atoi(argv[1]) : 100;
	writer_rate = argc > 2 ? atoi(argv[2]) : 10;
	if (n_subs < 1 || n_subs > MAX_CLIENTS || writer_rate < 1 ||
	    writer_rate > 1000) {
		fprintf(stderr, "usage: bench_recovery [CLIENTS (1..%d)] "
		    "[WRITES/S] [SECONDS BEFORE KILL] [SECONDS AFTER RESTART]\n",
		    MAX_CLIENTS);
		return 2;
	}
	harness_require_service_user();
	if (tafeld_start(&srv, NULL, tafeld_args) != 0 ||
	    tafelctl_run(&srv, demo) != 0)
		return 1;
	printf("recovery benchmark: %d subscribers, %d writes/s, kill -9 "
	    "after %d s, writes go on %d s after the restart\n", n_subs,
	    writer_rate, before_s, after_s);
	pick_meeting();

	/* who may follow that meeting */
	for (i = 0; i < sizeof users / sizeof users[0]; i++) {
		if (tclient_login(&c, &srv, users[i], "demo") != 0) {
			tclient_close(&c);
			continue;
		}
		m = tclient_subscribe(&c, meeting, 0, 0);
		if (m != NULL && m->body_case == B(SUBSCRIBED))
			ok_users[n_ok++] = users[i];
		if (strcmp(users[i], "voorzitter") == 0) {
			Tafel__ListOrganisationsRequest lo =
			    TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;
			Tafel__Envelope *o = must(tclient_req(&c,
			    B(LIST_ORGANISATIONS), &lo, NULL),
			    B(ORGANISATION_LIST), "list_organisations");

			owner_org = o->organisation_list->organisations[0]->id;
			frame_free(o);
		}
		frame_free(m);
		tclient_close(&c);
	}
	if (n_ok == 0) {
		fprintf(stderr, "bench: nobody may follow meeting %lld\n",
		    (long long)meeting);
		return 1;
	}
	printf("  subscribers log in as %d users of the meeting's "
	    "organisations\n", n_ok);

	/* everyone logs in with the password once and subscribes */
	for (k = 0; k < n_subs; k++) {
		struct sub *s = &subs[k];

		s->index = k;
		pthread_mutex_init(&s->mu, NULL);
		s->login = ok_users[k % n_ok];
		if (tclient_open(&s->c, &srv, TAFEL_PROTOCOL_VERSION) != 0 ||
		    sub_login(s) != 0 || sub_subscribe(s) != 0) {
			fprintf(stderr, "bench: subscriber %d could not start\n",
			    k);
			return 1;
		}
		s->connected = 1;
	}
	for (k = 0; k < n_subs; k++)
		pthread_create(&subs[k].thread, NULL, sub_main, &subs[k]);
	pthread_create(&writer, NULL, writer_main, NULL);

	sleep((unsigned)before_s);
	t_kill = now_ms();
	atomic_store(&server_down, 1);
	kill(srv.pid, SIGKILL);
	waitpid(srv.pid, NULL, 0);
	srv.pid = 0;
	printf("  kill -9 after %d acknowledged writes\n",
	    atomic_load(&n_writes));
	atomic_store(&restart_at, now_ms());
	if (tafeld_start(&srv, srv.dir, tafeld_args) != 0)
		return 1;
	t_listen = now_ms();
	atomic_store(&server_down, 0);

	sleep((unsigned)after_s);
	atomic_store(&writer_go, 0);
	pthread_join(writer, NULL);
	writes = atomic_load(&n_writes);

	/* what the database holds */
	snprintf(cmd, sizeof cmd, "cd /tmp && su %s -s /bin/sh -c \"psql -X -q "
	    "-At -h %s/pg/run -d tafel -c \\\"SELECT substr(description, 7), "
	    "count(*) FROM action_points WHERE description LIKE 'bench-%%' "
	    "GROUP BY 1\\\"\"", getenv("TAFEL_TEST_USER") ?
	    getenv("TAFEL_TEST_USER") : "tafel", srv.dir);
	if (geteuid() != 0)
		snprintf(cmd, sizeof cmd, "psql -X -q -At -h %s/pg/run -d tafel "
		    "-c \"SELECT substr(description, 7), count(*) FROM "
		    "action_points WHERE description LIKE 'bench-%%' GROUP BY "
		    "1\"", srv.dir);
	if ((p = popen(cmd, "r")) == NULL)
		return 1;
	while (fgets(line, sizeof line, p) != NULL) {
		int idx = atoi(line);
		char *bar = strchr(line, '|');

		if (bar != NULL && idx >= 0 && idx < MAX_WRITES)
			db_count[idx] = atoi(bar + 1);
	}
	pclose(p);

	/* every subscriber must get every applied write: wait for it */
	deadline = now_ms() + 60000;
	for (;;) {
		int missing = 0;

		/* (a snapshot of the id lists; the threads append to them) */
		for (k = 0; k < n_subs; k++) {
			struct sub *s = &subs[k];
			size_t j;

			pthread_mutex_lock(&s->mu);
			for (w = 0; w < writes; w++) {
				for (j = 0; j < s->n_ids; j++)
					if (s->ids[j] == write_id[w])
						break;
				if (db_count[w] > 0 && j == s->n_ids)
					missing++;
			}
			pthread_mutex_unlock(&s->mu);
		}
		if (missing == 0 || now_ms() > deadline)
			break;
		usleep(100000);
	}
	atomic_store(&stop_all, 1);
	for (k = 0; k < n_subs; k++)
		pthread_join(subs[k].thread, NULL);

	lat = calloc((size_t)n_subs, sizeof *lat);
	for (k = 0; k < n_subs; k++) {
		struct sub *s = &subs[k];

		if (s->resumed_at == 0)
			unresumed++;
		else
			lat[n_lat++] = s->resumed_at - atomic_load(&restart_at);
		int missed = 0, n;

		qsort(s->ids, s->n_ids, sizeof *s->ids, cmp_id);
		for (w = 0; w < writes; w++) {
			n = times_seen(s, write_id[w]);
			if (db_count[w] > 0 && n == 0)
				missed++;
			if (n > 1)
				dup += n - 1;
		}
		if (missed > 0)
			fprintf(stderr, "bench: subscriber %d (%s) missed %d "
			    "writes\n", k, s->login, missed);
		gaps += missed;
		dup += s->duplicates;
		snaps += s->snapshots;
		pw += s->password_logins;
	}
	for (w = 0; w < MAX_WRITES; w++) {
		if (w < writes && atomic_load(&acked[w]) && db_count[w] == 0)
			lost++;
		if (db_count[w] > 1)
			twice += db_count[w] - 1;
		if (w >= writes && db_count[w] > 0)
			extra++;	/* applied, never acknowledged */
	}
	qsort(lat, n_lat, sizeof *lat, cmp_ll);
	{
		/* where the successful reconnect's time went */
		long long *a = calloc((size_t)n_subs, sizeof *a);
		long long *b = calloc((size_t)n_subs, sizeof *b);
		long long *d = calloc((size_t)n_subs, sizeof *d);
		long long *e = calloc((size_t)n_subs, sizeof *e);
		size_t n = 0;

		for (k = 0; k < n_subs; k++) {
			struct sub *s = &subs[k];

			if (s->resumed_at == 0)
				continue;
			a[n] = s->ph_start - atomic_load(&restart_at);
			b[n] = s->ph_open - s->ph_start;
			d[n] = s->ph_login - s->ph_open;
			e[n] = s->resumed_at - s->ph_login;
			n++;
		}
		qsort(a, n, sizeof *a, cmp_ll);
		qsort(b, n, sizeof *b, cmp_ll);
		qsort(d, n, sizeof *d, cmp_ll);
		qsort(e, n, sizeof *e, cmp_ll);
		printf("  successful attempt began p50 %lld / max %lld ms after "
		    "the restart; TCP+TLS+Hello p50 %lld / max %lld ms, ticket "
		    "login p50 %lld / max %lld ms, resume p50 %lld / max %lld "
		    "ms\n", pct(a, n, 0.5), n ? a[n - 1] : 0, pct(b, n, 0.5),
		    n ? b[n - 1] : 0, pct(d, n, 0.5), n ? d[n - 1] : 0,
		    pct(e, n, 0.5), n ? e[n - 1] : 0);
		free(a);
		free(b);
		free(d);
		free(e);
	}
	printf("  tafeld listening again %lld ms after the restart began "
	    "(%lld ms after the kill)\n", t_listen - atomic_load(&restart_at),
	    t_listen - t_kill);
	printf("  restart -> client resumed  p50 %lld ms  p99 %lld ms  max "
	    "%lld ms  (%zu of %d resumed%s)\n", pct(lat, n_lat, 0.5),
	    pct(lat, n_lat, 0.99), n_lat ? lat[n_lat - 1] : 0, n_lat, n_subs,
	    unresumed ? "; the rest never came back" : "");
	printf("  failed reconnect attempts: %d while down (refused), %d at "
	    "TCP/TLS/Hello, %d at login, %d at subscribe\n",
	    atomic_load(&fail_refused), atomic_load(&fail_open),
	    atomic_load(&fail_login), atomic_load(&fail_subscribe));
	printf("  resumed with a snapshot instead of the ring: %d; ticket "
	    "refused (password login): %d\n", snaps, pw);
	printf("  writes acknowledged %d (writer retries %d), applied but not "
	    "acknowledged %d\n", writes, writer_retries, extra);
	printf("  acknowledged writes lost: %d\n", lost);
	printf("  applied twice: %d\n", twice);
	printf("  gaps (applied writes a subscriber never got): %d\n", gaps);
	printf("  events received twice: %d\n", dup);
	for (k = 0; k < n_subs; k++)
		free(subs[k].ids);
	free(lat);
	tafeld_stop(&srv);
	/*
	 * A tafeld started after a kill -9 may have adopted the cluster the
	 * killed one left running, and leave it running: stop it here.
	 */
	snprintf(cmd, sizeof cmd, "cd /tmp && su %s -s /bin/sh -c \"pg_ctl=$("
	    "pg_config --bindir)/pg_ctl; $pg_ctl -D %s/pg/data -m fast -w stop\""
	    " >/dev/null 2>&1", getenv("TAFEL_TEST_USER") ?
	    getenv("TAFEL_TEST_USER") : "tafel", srv.dir);
	if (geteuid() != 0)
		snprintf(cmd, sizeof cmd, "$(pg_config --bindir)/pg_ctl -D "
		    "%s/pg/data -m fast -w stop >/dev/null 2>&1", srv.dir);
	if (system(cmd) == -1)
		perror("pg_ctl");
	tafeld_cleanup(&srv);
	return lost || twice || gaps || unresumed ? 1 : 0;
}
