/* tafel_bench: the rate mode — open-loop writers (distinct chairs) at a fixed aggregate rate, without waiting for delivery, and S subscribers of their meetings. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "envelope.h"
#include "frame.h"
#include "tafel_bench.h"

#define RATE_MAX_WRITERS 64
#define RATE_MAX_MEETINGS 64
#define RATE_MAX_STEPS 8
#define RATE_DRAIN_MS 30000	/* how long answers and events may lag */

struct rmeeting {
	int64_t id, items[2];
	int64_t base;		/* its version when the step started */
	int n_subs;		/* subscribers following it */
	int n_writes;		/* writes sent to it in this step */
	/* per write of this step, by version - base - 1 (subscriber thread) */
	int *got;
	long long *last;
};

struct rwrite {
	long long sent, answered;	/* us; answered 0: not (yet) */
	int m;
	int64_t version;		/* from the answer; -1: an error */
	int code;			/* the error's code */
};

static struct tclient rw[RATE_MAX_WRITERS];
static struct tclient *rs;
static struct rmeeting rm[RATE_MAX_MEETINGS];
static int n_w, n_s, n_m;
static struct rwrite *wr;	/* the step's writes, by request id - 1 */
static int n_answered;		/* answers of the step so far */
static atomic_int stop_subs;
/* The subscriber thread's counts (rm[].got, rm[].last and these). */
static pthread_mutex_t sub_mu = PTHREAD_MUTEX_INITIALIZER;
static long long ev_first, ev_last, n_events;
static int n_dropped;		/* subscribers whose stream ended */

static int64_t
sql_num(const char *sql)
{
	char v[64];

	if (harness_psql_value(&srv, sql, v, sizeof v) != 0 || v[0] == '\0') {
		fprintf(stderr, "tafel_bench rate: %s failed\n", sql);
		exit(1);
	}
	return atoll(v);
}

/*
 * Meeting m: planned by the demo chair with writer m as its chair, opened
 * by that writer, with two new cases of its own on its agenda.
 */
static void
rate_meeting(int m, const int64_t *cases)
{
	Tafel__CreateMeetingRequest cm = TAFEL__CREATE_MEETING_REQUEST__INIT;
	Tafel__MeetingStateRequest open = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__AddAgendaItemRequest add = TAFEL__ADD_AGENDA_ITEM_REQUEST__INIT;
	Tafel__Envelope *a;
	char key[64], sql[128];
	int i;

	snprintf(sql, sizeof sql, "SELECT id FROM users WHERE login = 'rw%d'",
	    m + 1);
	cm.series_id = series_id;
	cm.scheduled_start = bench_meeting_start();
	cm.chair_id = sql_num(sql);
	a = must(tclient_req(&chair, B(CREATE_MEETING), &cm,
	    bench_key(key, sizeof key)), B(MEETING), "create_meeting");
	rm[m].id = a->meeting->id;
	open.meeting_id = rm[m].id;
	open.version = a->meeting->version;
	frame_free(a);
	frame_free(must(tclient_req(&rw[m], B(OPEN_MEETING), &open,
	    bench_key(key, sizeof key)), B(MEETING), "open_meeting"));
	add.meeting_id = rm[m].id;
	for (i = 0; i < 2; i++) {
		add.case_id = cases[i];
		a = must(tclient_req(&rw[m], B(ADD_AGENDA_ITEM), &add,
		    bench_key(key, sizeof key)), B(AGENDA), "add_agenda_item");
		rm[m].items[i] = a->agenda->items[a->agenda->n_items - 1]->id;
		frame_free(a);
	}
}

static int
meeting_index(int64_t id)
{
	int m;

	for (m = 0; m < n_m; m++)
		if (rm[m].id == id)
			return m;
	return -1;
}

/*
 * The subscribers: one poll loop over every socket; each event of a
 * meeting's set_current_item is counted by the meeting's version.
 */
static void *
subs_run(void *arg)
{
	struct pollfd *pfd = calloc((size_t)n_s, sizeof *pfd);
	int *who = calloc((size_t)n_s, sizeof *who), np, k, i, m, r, r2;
	Tafel__Envelope *e;
	long long t, idx;

	(void)arg;
	while (!atomic_load(&stop_subs)) {
		np = 0;
		for (k = 0; k < n_s; k++) {
			if (rs[k].eof)
				continue;
			pfd[np].fd = rs[k].fd;
			pfd[np].events = POLLIN;
			who[np++] = k;
		}
		r = poll(pfd, (nfds_t)np, 50);
		if (r < 0 && errno != EINTR)
			break;
		for (i = 0; i < np && r > 0; i++) {
			if (pfd[i].revents == 0)
				continue;
			k = who[i];
			r2 = bench_pump(&rs[k]);
			t = now_us();
			pthread_mutex_lock(&sub_mu);
			n_dropped += r2 < 0;
			while ((e = tclient_take(&rs[k])) != NULL) {
				if (e->body_case == B(EVENT) &&
				    e->event->meeting != NULL &&
				    (m = meeting_index(e->event->meeting->id)) >=
				    0) {
					idx = e->event->meeting->version -
					    rm[m].base - 1;
					if (idx >= 0 && idx < rm[m].n_writes) {
						rm[m].got[idx]++;
						rm[m].last[idx] = t;
					}
					if (ev_first == 0)
						ev_first = t;
					ev_last = t;
					n_events++;
				}
				frame_free(e);
			}
			pthread_mutex_unlock(&sub_mu);
		}
	}
	free(pfd);
	free(who);
	return NULL;
}

/* Reads the writers' answers that are there (waiting up to wait_ms). */
static void
read_answers(int wait_ms)
{
	struct pollfd pfd[RATE_MAX_WRITERS];
	Tafel__Envelope *e;
	int w, r;
	uint64_t id;

	for (w = 0; w < n_w; w++) {
		pfd[w].fd = rw[w].fd;
		pfd[w].events = POLLIN;
	}
	r = poll(pfd, (nfds_t)n_w, wait_ms);
	for (w = 0; w < n_w && r > 0; w++) {
		if (pfd[w].revents == 0)
			continue;
		bench_pump(&rw[w]);
		while ((e = tclient_take(&rw[w])) != NULL) {
			id = e->request_id;
			if (id >= 1 && wr[id - 1].answered == 0) {
				wr[id - 1].answered = now_us();
				if (e->body_case == B(MEETING))
					wr[id - 1].version =
					    e->meeting->version;
				else if (e->body_case == B(ERROR)) {
					wr[id - 1].version = -1;
					wr[id - 1].code = (int)e->error->code;
				}
				n_answered++;
			}
			frame_free(e);
		}
	}
}

/*
 * Sends env on writer w's non-blocking socket; while the socket is full
 * (the server not reading), reads answers so that neither side waits.
 */
static void
rate_send(int w, const Tafel__Envelope *env)
{
	size_t n = tafel__envelope__get_packed_size(env), off = 0;
	uint8_t *p = malloc(n + 4);
	int r, e;

	p[0] = (uint8_t)(n >> 24);
	p[1] = (uint8_t)(n >> 16);
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	tafel__envelope__pack(env, p + 4);
	while (off < n + 4) {
		r = SSL_write(rw[w].ssl, p + off, (int)(n + 4 - off));
		if (r > 0) {
			off += (size_t)r;
			continue;
		}
		e = SSL_get_error(rw[w].ssl, r);
		if (e != SSL_ERROR_WANT_WRITE && e != SSL_ERROR_WANT_READ) {
			fprintf(stderr, "tafel_bench rate: writer %d lost\n",
			    w);
			exit(1);
		}
		read_answers(1);
	}
	free(p);
}

/* CPU time (utime + stime) of process pid in clock ticks, and its parent; -1 when gone. */
static long long
proc_ticks(long pid, long *ppid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	long pp = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after "(comm)": state ppid ... field 14 utime, 15 stime */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2,
	    "%*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &pp, &ut,
	    &st) != 3)
		return -1;
	if (ppid != NULL)
		*ppid = pp;
	return (long long)(ut + st);
}

/*
 * CPU ticks so far of tafeld, of its cluster's PostgreSQL (the postmaster
 * named in postmaster.pid and its children: the pool's backends among
 * them) and of this bench.
 */
struct cpu {
	long long tafeld, db, bench;
};

static struct cpu
cpu_now(void)
{
	struct cpu c = { 0, 0, 0 };
	char path[400];
	long pm = 0, pid, pp;
	long long t;
	struct dirent *e;
	FILE *f;
	DIR *d;

	c.tafeld = proc_ticks((long)srv.pid, NULL);
	c.bench = proc_ticks((long)getpid(), NULL);
	snprintf(path, sizeof path, "%s/pg/data/postmaster.pid", srv.dir);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%ld", &pm) != 1)
			pm = 0;
		fclose(f);
	}
	if (pm <= 0 || (d = opendir("/proc")) == NULL)
		return c;
	while ((e = readdir(d)) != NULL) {
		if ((pid = atol(e->d_name)) <= 0)
			continue;
		if ((t = proc_ticks(pid, &pp)) >= 0 && (pid == pm || pp == pm))
			c.db += t;
	}
	closedir(d);
	return c;
}

/* Of the step's answered writes (not errors): how many reached all their subscribers. */
static int
count_complete(int n)
{
	int i, complete = 0;
	long long idx;

	pthread_mutex_lock(&sub_mu);
	for (i = 0; i < n; i++) {
		if (wr[i].answered == 0 || wr[i].version <= 0)
			continue;
		idx = wr[i].version - rm[wr[i].m].base - 1;
		if (idx >= 0 && idx < rm[wr[i].m].n_writes &&
		    rm[wr[i].m].got[idx] >= rm[wr[i].m].n_subs)
			complete++;
	}
	pthread_mutex_unlock(&sub_mu);
	return complete;
}

/* The step's refused writes by error code. */
static void
print_errors(int n)
{
	int codes[8] = { 0 }, counts[8] = { 0 }, n_codes = 0, i, k;

	for (i = 0; i < n; i++) {
		if (wr[i].answered == 0 || wr[i].version >= 0)
			continue;
		for (k = 0; k < n_codes && codes[k] != wr[i].code; k++)
			;
		if (k == n_codes && n_codes < 8)
			codes[n_codes++] = wr[i].code;
		if (k < n_codes)
			counts[k]++;
	}
	printf("  refused            ");
	for (k = 0; k < n_codes; k++)
		printf("%s%d %s", k > 0 ? ", " : "", counts[k],
		    error_code_name((Tafel__ErrorCode)codes[k]));
	printf(" (sent once, not again: the figures above are of the "
	    "answered writes)\n");
}

/* One rate: rate x seconds writes, sent on schedule; then the figures. */
static int
run_rate(int rate, int seconds)
{
	Tafel__SetCurrentItemRequest cur = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	int n = rate * seconds, i, w, m, errors = 0, ok, missing = 0;
	int n_ans = 0, n_last = 0, late = 0, behind;
	long long t0, due, t, deadline, max_late = 0, last_answer = 0, idx;
	long long *ans = calloc((size_t)n, sizeof *ans);
	long long *last = calloc((size_t)n, sizeof *last);
	long long ev_n, ev_span;
	char key[64], sql[128];
	double span, achieved, hz;
	struct cpu cpu0, cpu1;
	long long t_cpu;

	wr = calloc((size_t)n, sizeof *wr);
	pthread_mutex_lock(&sub_mu);
	for (m = 0; m < n_m; m++) {
		snprintf(sql, sizeof sql, "SELECT version FROM meetings WHERE "
		    "id = %lld", (long long)rm[m].id);
		rm[m].base = sql_num(sql);
		rm[m].n_writes = 0;
		rm[m].got = calloc((size_t)n, sizeof *rm[m].got);
		rm[m].last = calloc((size_t)n, sizeof *rm[m].last);
	}
	for (i = 0; i < n; i++)
		rm[(i % n_w) % n_m].n_writes++;
	ev_n = n_events;
	ev_first = ev_last = 0;
	pthread_mutex_unlock(&sub_mu);
	n_answered = 0;
	cpu0 = cpu_now();
	env.body_case = TAFEL__ENVELOPE__BODY_SET_CURRENT_ITEM;
	env.set_current_item = &cur;
	t0 = now_us() + 100000;
	for (i = 0; i < n; i++) {
		due = t0 + (long long)i * 1000000 / rate;
		while ((t = now_us()) < due)
			read_answers((int)((due - t + 999) / 1000));
		if (t - due > max_late)
			max_late = t - due;
		if (t - due > 10000)
			late++;
		w = i % n_w;
		m = w % n_m;
		cur.meeting_id = rm[m].id;
		cur.item_id = rm[m].items[i / n_w % 2];
		env.idempotency_key = (char *)bench_key(key, sizeof key);
		env.request_id = (uint64_t)i + 1;
		wr[i].m = m;
		wr[i].sent = now_us();
		rate_send(w, &env);
	}
	deadline = now_us() + RATE_DRAIN_MS * 1000LL;
	while (n_answered < n && now_us() < deadline)
		read_answers(50);
	for (i = 0; i < n; i++)
		errors += wr[i].answered != 0 && wr[i].version < 0;
	ok = n_answered - errors;
	/* the events: until every answered write reached its subscribers */
	deadline = now_us() + RATE_DRAIN_MS * 1000LL;
	while (count_complete(n) < ok && now_us() < deadline)
		usleep(20000);
	pthread_mutex_lock(&sub_mu);
	for (i = 0; i < n; i++) {
		if (wr[i].answered == 0 || wr[i].version < 0)
			continue;
		if (wr[i].answered > last_answer)
			last_answer = wr[i].answered;
		ans[n_ans++] = wr[i].answered - wr[i].sent;
		idx = wr[i].version - rm[wr[i].m].base - 1;
		if (idx < 0 || idx >= rm[wr[i].m].n_writes ||
		    rm[wr[i].m].got[idx] < rm[wr[i].m].n_subs) {
			missing++;
			continue;
		}
		last[n_last++] = rm[wr[i].m].last[idx] - wr[i].sent;
	}
	ev_n = n_events - ev_n;
	ev_span = ev_last - ev_first;
	pthread_mutex_unlock(&sub_mu);
	cpu1 = cpu_now();
	t_cpu = now_us() - t0;
	span = (double)(last_answer - t0) / 1e6;
	achieved = span > 0 ? ok / span : 0.0;
	printf("rate %d writes/s offered for %d s: %d writes sent, %d "
	    "answered (%d errors); achieved %.1f writes/s\n", rate, seconds,
	    n, n_answered, errors, achieved);
	print_stats("write answered", ans, n_ans, NULL);
	print_stats("write -> last subscriber", last, n_last, rate >= 1000 ?
	    "target p99 <= 50 ms (issue 13)" : NULL);
	printf("  events             %.0f events/s (%lld received)\n",
	    ev_span > 0 ? (double)ev_n * 1e6 / (double)ev_span : 0.0, ev_n);
	hz = (double)sysconf(_SC_CLK_TCK);
	printf("  CPU                tafeld %.0f %%, PostgreSQL %.0f %%, this "
	    "bench %.0f %% of one core over the %.1f s of sending and "
	    "draining\n", 1e8 * (double)(cpu1.tafeld - cpu0.tafeld) / hz /
	    (double)t_cpu, 1e8 * (double)(cpu1.db - cpu0.db) / hz /
	    (double)t_cpu, 1e8 * (double)(cpu1.bench - cpu0.bench) / hz /
	    (double)t_cpu, (double)t_cpu / 1e6);
	printf("  sending            %d writes more than 10 ms behind "
	    "schedule, at most %.1f ms late\n", late,
	    (double)max_late / 1000.0);
	/* print_stats sorted last */
	behind = n_answered < n || errors > 0 || missing > 0 ||
	    n_dropped > 0 || achieved < 0.95 * rate ||
	    (n_last > 0 && last[n_last * 99 / 100] > 1000000);
	if (behind)
		printf("  FELL BEHIND:%s%s%s%s%s%s\n",
		    n_answered < n ? " not every write answered within 30 s;"
		    : "", errors > 0 ? " writes refused;" : "",
		    missing > 0 ? " events missing;" : "",
		    n_dropped > 0 ? " subscribers dropped (output limit);" : "",
		    achieved < 0.95 * rate ? " achieved < 95 % of offered;" :
		    "", n_last > 0 && last[n_last * 99 / 100] > 1000000 ?
		    " write -> last p99 over 1 s;" : "");
	if (errors > 0)
		print_errors(n);
	if (late > n / 100)
		printf("  note: the bench itself could not send on schedule "
		    "(client-side limit on this machine)\n");
	if (missing > 0)
		printf("  %d answered writes did not reach all their "
		    "subscribers within 30 s of the last answer\n", missing);
	fflush(stdout);
	pthread_mutex_lock(&sub_mu);
	for (m = 0; m < n_m; m++) {
		free(rm[m].got);
		free(rm[m].last);
		rm[m].got = NULL;
		rm[m].last = NULL;
		rm[m].n_writes = 0;
	}
	pthread_mutex_unlock(&sub_mu);
	free(wr);
	free(ans);
	free(last);
	/* a backlog would spill into the next rate's figures */
	return missing > 0 || n_answered < n ? 1 : 0;
}

/*
 * rate [SECONDS [WRITERS [SUBSCRIBERS [MEETINGS [RATE...]]]]]: the
 * subscribers spread over the meetings; writer w writes to meeting
 * w % MEETINGS.
 */
int
mode_rate(int argc, char **argv)
{
	static const int def_rates[] = { 50, 100, 200, 500, 1000 };
	int seconds = argc > 0 ? atoi(argv[0]) : 10;
	int rates[RATE_MAX_STEPS], n_rates = 0, i, k, rc = 0, fd_room;
	int64_t cases[2 * RATE_MAX_MEETINGS];
	struct rlimit rl;
	pthread_t th;
	char sql[256];
	long long t;

	n_w = argc > 1 ? atoi(argv[1]) : 10;
	n_s = argc > 2 ? atoi(argv[2]) : 1000;
	n_m = argc > 3 ? atoi(argv[3]) : 10;
	for (i = 4; i < argc && n_rates < RATE_MAX_STEPS; i++)
		if ((rates[n_rates] = atoi(argv[i])) > 0)
			n_rates++;
	if (n_rates == 0)
		for (; n_rates < 5; n_rates++)
			rates[n_rates] = def_rates[n_rates];
	if (seconds < 1 || n_w < 1 || n_w > RATE_MAX_WRITERS || n_s < 1 ||
	    n_m < 1 || n_m > n_w || n_m > RATE_MAX_MEETINGS) {
		fprintf(stderr, "tafel_bench rate: 1..%d writers, 1..writers "
		    "meetings, at least one subscriber\n", RATE_MAX_WRITERS);
		return 2;
	}
	/* each client costs the bench one fd and tafeld one */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		fd_room = (int)(rl.rlim_cur > 100000 ? 100000 : rl.rlim_cur);
		fd_room = (fd_room - 64) / 2 - n_w;
		if (fd_room > MAX_CLIENTS - 1 - n_w)
			fd_room = MAX_CLIENTS - 1 - n_w;
		if (n_s > fd_room) {
			printf("tafel_bench: %d subscribers are beyond the fd "
			    "limit; using %d\n", n_s, fd_room);
			n_s = fd_room;
		}
	}
	printf("tafel_bench rate: %d writers (distinct users, chairs of %d "
	    "meeting%s) send set_current_item at a fixed aggregate rate, "
	    "open loop (never waiting for an answer or a delivery); %d "
	    "subscribers (distinct users of several organisations) spread "
	    "over the meetings; each meeting has two cases of its own; %d s per "
	    "rate\n", n_w, n_m, n_m == 1 ? "" :
	    "s", n_s, seconds);
	if (n_w > n_m)
		printf("  note: writers sharing a meeting with its chair are "
		    "administrators (only the chair or an administrator may "
		    "move through the agenda)\n");
	t = now_us();
	bench_cases("2098", 2 * n_m, cases);
	bench_users("rw", n_w, 1);
	snprintf(sql, sizeof sql, "UPDATE users SET roles = CASE WHEN "
	    "substr(login, 3)::int > %d THEN '{chair,admin}'::text[] ELSE "
	    "'{chair}'::text[] END WHERE login LIKE 'rw%%'", n_m);
	if (harness_psql(&srv, sql) != 0) {
		fprintf(stderr, "tafel_bench rate: making the chairs failed\n");
		return 1;
	}
	/* add_agenda_item takes only a case its chair's organisation knows */
	for (i = 0; i < n_m; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO case_involved_orgs "
		    "(case_id, org_id) SELECT c, u.org_id FROM unnest(ARRAY[%lld, "
		    "%lld]) c, users u WHERE u.login = 'rw%d' ON CONFLICT DO "
		    "NOTHING", (long long)cases[2 * i],
		    (long long)cases[2 * i + 1], i + 1);
		if (harness_psql(&srv, sql) != 0) {
			fprintf(stderr, "tafel_bench rate: involving the chairs "
			    "failed\n");
			return 1;
		}
	}
	bench_users("rs", n_s, 1);
	for (i = 0; i < n_w; i++)
		bench_login(&rw[i], &srv, "rw", i + 1);
	for (i = 0; i < n_m; i++)
		rate_meeting(i, cases + 2 * i);
	rs = calloc((size_t)n_s, sizeof *rs);
	for (k = 0; k < n_s; k++) {
		bench_login(&rs[k], &srv, "rs", k + 1);
		frame_free(must(tclient_subscribe(&rs[k], rm[k % n_m].id, 0, 0),
		    B(SUBSCRIBED), "subscribe"));
		rm[k % n_m].n_subs++;
		bench_nonblock(&rs[k]);
	}
	for (i = 0; i < n_w; i++)
		bench_nonblock(&rw[i]);
	printf("  set-up took %.1f s\n", (double)(now_us() - t) / 1e6);
	atomic_store(&stop_subs, 0);
	pthread_create(&th, NULL, subs_run, NULL);
	for (i = 0; i < n_rates && rc == 0; i++) {
		print_load();
		rc = run_rate(rates[i], seconds);
	}
	if (i < n_rates)
		printf("  higher rates skipped: the server had not caught up "
		    "(its backlog would spill into their figures)\n");
	atomic_store(&stop_subs, 1);
	pthread_join(th, NULL);
	printf("  server RSS         %ld KiB\n", status_kib(srv.pid, "VmRSS"));
	print_push_timing(&srv);
	for (i = 0; i < n_w; i++)
		tclient_close(&rw[i]);
	for (k = 0; k < n_s; k++)
		tclient_close(&rs[k]);
	free(rs);
	return rc;
}
