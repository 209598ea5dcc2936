/* Benchmark: live push to N TLS clients of distinct users and organisations (fixed rate and full speed) side by side with Redis pub/sub to N subscribers in the same run. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#ifdef TAFEL_BENCH_HIREDIS
#include <hiredis/hiredis.h>
#endif

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"

#define MAX_CLIENTS 2000
#define MAX_STEPS 8
#define WRITES 100		/* per measurement */
#define FIXED_RATE 20		/* writes per second in the fixed-rate run */

struct stats {
	long long p50, p99, max;
};

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v and returns its p50/p99/max (microseconds in, as given). */
static struct stats
stats_of(long long *v, size_t n)
{
	struct stats s = { 0, 0, 0 };

	if (n == 0)
		return s;
	qsort(v, n, sizeof *v, cmp_ll);
	s.p50 = v[(size_t)(0.5 * (double)(n - 1) + 0.5)];
	s.p99 = v[(size_t)(0.99 * (double)(n - 1) + 0.5)];
	s.max = v[n - 1];
	return s;
}

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A field of /proc/<pid>/status in KiB (VmRSS). */
static long
status_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t n = strlen(field);
	FILE *f;
	long kib = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			kib = atol(line + n + 1);
	fclose(f);
	return kib;
}

static Tafel__Envelope *
must(Tafel__Envelope *m, Tafel__Envelope__BodyCase body, const char *what)
{
	if (m == NULL || m->body_case != body) {
		fprintf(stderr, "tafel_bench: %s failed: %s\n", what,
		    m != NULL && m->body_case == B(ERROR) ?
		    m->error->message : "no answer");
		exit(1);
	}
	return m;
}

static struct tafeld srv;
static struct tclient chair, cl[MAX_CLIENTS];
static int n_open;
static int64_t meeting, items[2];

/* Opens the first planned meeting as the chair and learns two agenda items. */
static void
open_meeting(void)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__MeetingStateRequest open = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__Envelope *m;
	size_t i;

	if (tclient_login(&chair, &srv, "voorzitter", "demo") != 0)
		exit(1);
	m = must(tclient_req(&chair, B(LIST_MEETINGS), &lm, NULL),
	    B(MEETING_LIST), "list_meetings");
	for (i = 0; i < m->meeting_list->n_meetings; i++)
		if (m->meeting_list->meetings[i]->state ==
		    TAFEL__MEETING_STATE__MEETING_PLANNED) {
			meeting = m->meeting_list->meetings[i]->id;
			open.meeting_id = meeting;
			open.version = m->meeting_list->meetings[i]->version;
			break;
		}
	frame_free(m);
	frame_free(must(tclient_req(&chair, B(OPEN_MEETING), &open,
	    harness_key()), B(MEETING), "open_meeting"));
	s.meeting_id = meeting;
	m = must(tclient_req(&chair, B(SUBSCRIBE), &s, NULL), B(SUBSCRIBED),
	    "subscribe");
	items[0] = m->subscribed->snapshot->agenda[0]->id;
	items[1] = m->subscribed->snapshot->agenda[1]->id;
	frame_free(m);
}

/*
 * Creates n users "bench1".."benchN" spread over the member organisations
 * of the meeting's series (password "demo": the demo users' hash copied),
 * in one statement; tafelctl user add would hash each password (Argon2id).
 */
static void
create_users(int n)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
	    "WITH o AS (SELECT array_agg(sm.org_id ORDER BY sm.org_id) a "
	    "FROM series_members sm JOIN meetings m ON m.series_id = "
	    "sm.series_id WHERE m.id = %lld) "
	    "INSERT INTO users (login, display_name, org_id, password_hash, "
	    "roles) SELECT 'bench' || g, 'Bench ' || g, o.a[1 + g %% "
	    "array_length(o.a, 1)], (SELECT password_hash FROM users WHERE "
	    "login = 'voorzitter'), '{member}' FROM generate_series(1, %d) g, o",
	    (long long)meeting, n);
	if (harness_psql(&srv, sql) != 0) {
		fprintf(stderr, "tafel_bench: creating users failed\n");
		exit(1);
	}
}

/* Logs in and subscribes clients until n are open. */
static void
open_clients(int n)
{
	char login[32];

	for (; n_open < n; n_open++) {
		snprintf(login, sizeof login, "bench%d", n_open + 1);
		if (tclient_login(&cl[n_open], &srv, login, "demo") != 0) {
			fprintf(stderr, "tafel_bench: login %s failed\n",
			    login);
			exit(1);
		}
		frame_free(must(tclient_subscribe(&cl[n_open], meeting, 0, 0),
		    B(SUBSCRIBED), "subscribe"));
	}
}

/*
 * W writes (set_current_item); rate 0: the next write as soon as every
 * client has the previous one (closed loop), else one write per 1/rate s.
 * Fills the answered and last-client latencies (us); returns elapsed us.
 */
static long long
run_writes(int n, int writes, int rate, long long *ans, long long *last)
{
	Tafel__SetCurrentItemRequest cur = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	Tafel__Envelope *m;
	long long start = now_us(), t0, next = start;
	int w, k;

	cur.meeting_id = meeting;
	for (w = 0; w < writes; w++) {
		if (rate > 0) {
			while (now_us() < next)
				usleep((useconds_t)(next - now_us()));
			next += 1000000 / rate;
		}
		cur.item_id = items[w % 2];
		t0 = now_us();
		m = must(tclient_req(&chair, B(SET_CURRENT_ITEM), &cur,
		    harness_key()), B(MEETING), "set_current_item");
		ans[w] = now_us() - t0;
		frame_free(m);
		for (k = 0; k < n; k++) {
			if ((m = tclient_event(&cl[k], 30000)) == NULL) {
				fprintf(stderr, "tafel_bench: client %d "
				    "missed an event\n", k);
				exit(1);
			}
			frame_free(m);
		}
		last[w] = now_us() - t0;
		frame_free(tclient_event(&chair, 30000));
	}
	return now_us() - start;
}

#ifdef TAFEL_BENCH_HIREDIS
/* A free loopback TCP port (bound and released). */
static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		close(fd);
		return -1;
	}
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static const char *const redis_paths[] = { "/usr/bin/redis-server",
    "/usr/sbin/redis-server", NULL };

/*
 * Redis pub/sub with n subscribers on loopback: PUBLISH of a 200-byte
 * message, then read it on every subscriber in turn (as run_writes reads
 * the Tafel clients); fills last-subscriber latencies (us). 0, or -1 when
 * redis-server is missing (skipped with a message).
 */
static int
run_redis(int n, int writes, long long *last)
{
	static redisContext *sub[MAX_CLIENTS];
	char port_s[16], payload[201];
	const char *path = NULL;
	redisContext *pub = NULL;
	redisReply *r;
	pid_t pid;
	int port, i, w, k, ok = -1;
	long long t0;

	for (i = 0; redis_paths[i] != NULL; i++)
		if (access(redis_paths[i], X_OK) == 0)
			path = redis_paths[i];
	if (path == NULL) {
		printf("  redis              skipped: redis-server is not "
		    "installed (apt-get install redis-server)\n");
		return -1;
	}
	if ((port = free_port()) < 0)
		return -1;
	snprintf(port_s, sizeof port_s, "%d", port);
	if ((pid = fork()) == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		execl(path, path, "--port", port_s, "--bind", "127.0.0.1",
		    "--save", "", "--appendonly", "no", "--dir", "/tmp",
		    "--maxclients", "10000", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && pub == NULL; i++) {
		usleep(50000);
		pub = redisConnect("127.0.0.1", port);
		if (pub != NULL && pub->err) {
			redisFree(pub);
			pub = NULL;
		}
	}
	if (pub == NULL)
		goto out;
	for (k = 0; k < n; k++) {
		sub[k] = redisConnect("127.0.0.1", port);
		if (sub[k] == NULL || sub[k]->err)
			goto out;
		r = redisCommand(sub[k], "SUBSCRIBE tafel");
		if (r == NULL)
			goto out;
		freeReplyObject(r);
	}
	memset(payload, 'x', 200);
	payload[200] = '\0';
	for (w = 0; w < writes; w++) {
		t0 = now_us();
		if ((r = redisCommand(pub, "PUBLISH tafel %s", payload)) ==
		    NULL)
			goto out;
		freeReplyObject(r);
		for (k = 0; k < n; k++) {
			if (redisGetReply(sub[k], (void **)&r) != REDIS_OK)
				goto out;
			freeReplyObject(r);
		}
		last[w] = now_us() - t0;
	}
	ok = 0;
out:
	for (k = 0; k < n; k++)
		if (sub[k] != NULL) {
			redisFree(sub[k]);
			sub[k] = NULL;
		}
	if (pub != NULL)
		redisFree(pub);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	if (ok != 0)
		printf("  redis              failed (port %d)\n", port);
	return ok;
}
#endif

static void
print_stats(const char *label, long long *v, int n)
{
	struct stats s = stats_of(v, (size_t)n);

	printf("  %-26s p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", label,
	    (double)s.p50 / 1000.0, (double)s.p99 / 1000.0,
	    (double)s.max / 1000.0);
}

static void
print_load(void)
{
	double l[3];

	if (getloadavg(l, 3) == 3)
		printf("  load average       %.2f %.2f %.2f (2-core machines "
		    "shared with other work give noisy figures)\n",
		    l[0], l[1], l[2]);
}

/* The fan-out mode: for each N, Tafel at a fixed rate and at full speed, then Redis. */
static int
fanout(int *steps, int n_steps)
{
	static long long ans[WRITES], last[WRITES], rlast[WRITES];
	long base, rss;
	long long elapsed;
	double tafel_p99;
	int i, max = 0;

	for (i = 0; i < n_steps; i++)
		if (steps[i] > max)
			max = steps[i];
	create_users(max);
	base = status_kib(srv.pid, "VmRSS");
	printf("tafel_bench fanout: one writer (set_current_item), N "
	    "subscribers of one meeting, distinct users of several "
	    "organisations, %d writes per run\n", WRITES);
	printf("  note: every client connects from 127.0.0.1, so the "
	    "per-address limits are lifted (--set rate_address, "
	    "max_connections)\n");
	for (i = 0; i < n_steps; i++) {
		long long t = now_us();

		open_clients(steps[i]);
		rss = status_kib(srv.pid, "VmRSS");
		printf("N = %d (logins took %.1f s)\n", steps[i],
		    (double)(now_us() - t) / 1e6);
		print_load();
		run_writes(steps[i], WRITES, FIXED_RATE, ans, last);
		printf("  fixed rate %d writes/s:\n", FIXED_RATE);
		print_stats("  write answered", ans, WRITES);
		print_stats("  write -> last client", last, WRITES);
		elapsed = run_writes(steps[i], WRITES, 0, ans, last);
		printf("  full speed (next write when all have the last):\n");
		print_stats("  write answered", ans, WRITES);
		print_stats("  write -> last client", last, WRITES);
		tafel_p99 = (double)stats_of(last, WRITES).p99;
		printf("  throughput         %.1f writes/s, %.0f events/s\n",
		    WRITES * 1e6 / (double)elapsed,
		    (double)WRITES * (steps[i] + 1) * 1e6 / (double)elapsed);
		printf("  server RSS         %ld KiB, %.1f KiB per connection "
		    "over the start\n", rss,
		    (double)(rss - base) / (double)steps[i]);
#ifdef TAFEL_BENCH_HIREDIS
		if (run_redis(steps[i], WRITES, rlast) == 0) {
			double rp99;

			print_stats("redis PUBLISH -> last", rlast, WRITES);
			rp99 = (double)stats_of(rlast, WRITES).p99;
			printf("  tafel p99 / redis p99 = %.1f\n",
			    tafel_p99 / (rp99 > 0 ? rp99 : 1));
		}
#else
		(void)rlast;
		(void)tafel_p99;
		printf("  redis              skipped: built without hiredis "
		    "(apt-get install libhiredis-dev, then reconfigure)\n");
#endif
		fflush(stdout);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const args[] = { "--set", "rate_session=100000",
	    "--set", "rate_burst=100000", "--set", "rate_address=100000",
	    "--set", "max_connections=2100", "--set", "hash_threads=2",
	    NULL };
	static const char *const demo[] = { "demo-data", NULL };
	const char *mode = argc > 1 ? argv[1] : "fanout";
	int steps[MAX_STEPS] = { 1, 100, 1000 }, n_steps = 3, i, rc;
	struct rlimit rl;
	int fd_room;

	if (strcmp(mode, "fanout") != 0) {
		/* busy day, two nodes, poor link: described in docs/benchmarks.md */
		fprintf(stderr, "tafel_bench: mode \"%s\" is not built yet; "
		    "usage: tafel_bench [fanout [N...]]\n", mode);
		return 2;
	}
	if (argc > 2)
		for (n_steps = 0, i = 2; i < argc && n_steps < MAX_STEPS; i++)
			if ((steps[n_steps] = atoi(argv[i])) > 0)
				n_steps++;
	/* each client costs the bench one fd and tafeld one (plus Redis) */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		fd_room = (int)(rl.rlim_cur > 100000 ? 100000 : rl.rlim_cur);
		fd_room = (fd_room - 64) / 2;
		for (i = 0; i < n_steps; i++)
			if (steps[i] > fd_room || steps[i] > MAX_CLIENTS - 1) {
				printf("tafel_bench: N = %d is beyond the fd "
				    "limit; using %d\n", steps[i],
				    fd_room < MAX_CLIENTS - 1 ? fd_room :
				    MAX_CLIENTS - 1);
				steps[i] = fd_room < MAX_CLIENTS - 1 ?
				    fd_room : MAX_CLIENTS - 1;
			}
	}
	harness_require_service_user();
	if (tafeld_start(&srv, NULL, args) != 0 || tafelctl_run(&srv, demo) != 0)
		return 1;
	open_meeting();
	rc = fanout(steps, n_steps);
	for (i = 0; i < n_open; i++)
		tclient_close(&cl[i]);
	tclient_close(&chair);
	tafeld_stop(&srv);
	tafeld_cleanup(&srv);
	return rc;
}
