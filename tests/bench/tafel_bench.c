/* tafel_bench: main (the mode table) and the fanout mode — live push to N TLS clients of distinct users and organisations, fixed rate and full speed, side by side with Redis pub/sub to N subscribers in the same run. */
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
#include "proto.h"
#include "tafel_bench.h"

#define MAX_STEPS 8
#define WRITES 100		/* per measurement */
#define FIXED_RATE 20		/* writes per second in the fixed-rate run */

static struct tclient cl[MAX_CLIENTS];
static int n_open;

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
	char key[64];
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
		    bench_key(key, sizeof key)), B(MEETING), "set_current_item");
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
		if (getenv("TAFEL_BENCH_VERBOSE") != NULL)	/* each write */
			printf("    write %3d: answered %.2f ms, last client "
			    "%.2f ms\n", w + 1, (double)ans[w] / 1000.0,
			    (double)last[w] / 1000.0);
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

/* The fan-out mode: for each N, Tafel at a fixed rate and at full speed, then Redis. */
int
mode_fanout(int argc, char **argv)
{
	static long long ans[WRITES], last[WRITES], rlast[WRITES];
	int steps[MAX_STEPS] = { 1, 100, 1000 }, n_steps = 3;
	long base, rss;
	long long elapsed;
	double tafel_p99;
	struct rlimit rl;
	int i, max = 0, fd_room;

	if (argc > 0)
		for (n_steps = 0, i = 0; i < argc && n_steps < MAX_STEPS; i++)
			if ((steps[n_steps] = atoi(argv[i])) > 0)
				n_steps++;
	/* each client costs the bench one fd and tafeld one (plus Redis) */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
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
	for (i = 0; i < n_steps; i++)
		if (steps[i] > max)
			max = steps[i];
	bench_users("bench", max, 1);	/* a cheap hash: 1000 logins in seconds, not minutes */
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
		print_stats("  write answered", ans, WRITES, NULL);
		print_stats("  write -> last client", last, WRITES, NULL);
		elapsed = run_writes(steps[i], WRITES, 0, ans, last);
		printf("  full speed (next write when all have the last):\n");
		print_stats("  write answered", ans, WRITES, NULL);
		print_stats("  write -> last client", last, WRITES, NULL);
		tafel_p99 = (double)stats_of(last, WRITES).p99;
		printf("  throughput         %.1f writes/s, %.0f events/s\n",
		    WRITES * 1e6 / (double)elapsed,
		    (double)WRITES * (steps[i] + 1) * 1e6 / (double)elapsed);
		printf("  server RSS         %ld KiB, %.1f KiB per connection "
		    "over the start\n", rss,
		    (double)(rss - base) / (double)steps[i]);
		print_push_timing(&srv);
#ifdef TAFEL_BENCH_HIREDIS
		if (run_redis(steps[i], WRITES, rlast) == 0) {
			double rp99;

			print_stats("redis PUBLISH -> last", rlast, WRITES, NULL);
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
	for (i = 0; i < n_open; i++)
		tclient_close(&cl[i]);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} modes[] = {
	{ "fanout", mode_fanout, "fanout [N...]" },
	{ "busy", mode_busy, "busy [SECONDS [MEETINGS [PARTICIPANTS]]]" },
	{ "nodes", mode_nodes, "nodes [CLIENTS PER NODE [WRITES]]" },
	{ "link", mode_link, "link [WRITES [big]]" },
	{ "join", mode_join, "join [JOINS [ITEMS [ACTIONS]]]" },
	{ "rate", mode_rate, "rate [SECONDS [WRITERS [SUBSCRIBERS [MEETINGS "
	    "[RATE...]]]]]" },
	{ "heavy", mode_heavy, "heavy [FOLLOWERS [WRITES [ASKERS...]]]" },
};

/* A bench that stops on an error (exit) leaves no tafeld running. */
static void
stop_server(void)
{
	if (srv.pid > 0) {
		tafeld_stop(&srv);
		tafeld_cleanup(&srv);
	}
}

static int
usage(void)
{
	size_t i;

	fprintf(stderr, "usage:\n");
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		fprintf(stderr, "  tafel_bench %s\n", modes[i].usage);
	return 2;
}

int
main(int argc, char **argv)
{
	static const char *args[32] = { "--set", "rate_session=100000",
	    "--set", "rate_burst=100000", "--set", "rate_address=100000",
	    "--set", "max_connections=2100", "--set", "hash_threads=2",
	    NULL };
	char *extra = getenv("TAFEL_BENCH_SET") ? strdup(getenv(
	    "TAFEL_BENCH_SET")) : NULL, *tok, *save = NULL;
	size_t n_args = 0;
	static const char *const demo[] = { "demo-data", NULL };
	const char *mode = argc > 1 ? argv[1] : "fanout";
	struct rlimit rl;
	size_t i;
	int rc;

	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(mode, modes[i].name) == 0)
			break;
	if (i == sizeof modes / sizeof modes[0])
		return usage();
	/* each client costs the bench one fd and tafeld one */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* heavy measures the default rate limits: the first three settings
	 * (which lift them) go */
	if (strcmp(mode, "heavy") == 0)
		memmove(args, args + 6, sizeof args - 6 * sizeof args[0]);
	/* TAFEL_BENCH_SET="key=value ...": more settings, for A/B runs */
	while (args[n_args] != NULL)
		n_args++;
	for (tok = extra ? strtok_r(extra, " ", &save) : NULL; tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (n_args + 3 > sizeof args / sizeof args[0]) {
			fprintf(stderr, "tafel_bench: too many settings in "
			    "TAFEL_BENCH_SET\n");
			return 2;
		}
		args[n_args++] = "--set";
		args[n_args++] = tok;
		args[n_args] = NULL;
	}
	bench_tafeld_args = args;
	/* the clients accept compressed frames, as tafel does, unless
	 * TAFEL_BENCH_ZLIB=0 (the link mode's own Hello too) */
	harness_accept_zlib = getenv("TAFEL_BENCH_ZLIB") == NULL ||
	    strcmp(getenv("TAFEL_BENCH_ZLIB"), "0") != 0;
	printf("  clients accept compressed frames: %s (TAFEL_BENCH_ZLIB)\n",
	    harness_accept_zlib ? "yes, as tafel does" : "no");
	harness_require_service_user();
	atexit(stop_server);
	if (tafeld_start(&srv, NULL, args) != 0 || tafelctl_run(&srv, demo) != 0)
		return 1;
	open_meeting();
	rc = modes[i].run(argc > 2 ? argc - 2 : 0, argv + 2);
	tclient_close(&chair);
	tafeld_stop(&srv);
	tafeld_cleanup(&srv);
	free(extra);
	return rc;
}
