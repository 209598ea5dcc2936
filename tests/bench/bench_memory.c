/* Benchmark: tafeld's resident memory per idle, logged-in, subscribed connection (at 100, 500 and 1000 connections), over real TLS and PostgreSQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"

#define MAX_CONNS 2000

/* A field of /proc/<pid>/status in KiB (VmRSS, VmHWM). */
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

/* Resident memory once it has settled (the hashing threads' memory returned). */
static long
settled_rss(pid_t pid)
{
	long a, b = status_kib(pid, "VmRSS");
	int i;

	for (i = 0; i < 20; i++) {
		usleep(250000);
		a = b;
		b = status_kib(pid, "VmRSS");
		if (a == b)
			break;
	}
	return b;
}

static struct tclient conns[MAX_CONNS];

/* Logs in and subscribes one more client; exits on failure. */
static void
open_one(struct tafeld *srv, struct tclient *c, int64_t meeting)
{
	Tafel__Envelope *m;

	if (tclient_login(c, srv, "voorzitter", "demo") != 0) {
		fprintf(stderr, "bench_memory: login failed\n");
		exit(1);
	}
	m = tclient_subscribe(c, meeting, 0, 0);
	if (m == NULL || m->body_case != B(SUBSCRIBED)) {
		fprintf(stderr, "bench_memory: subscribe failed\n");
		exit(1);
	}
	frame_free(m);
}

int
main(int argc, char **argv)
{
	static const char *const args[] = { "--set", "rate_session=100000",
	    "--set", "rate_burst=100000", "--set", "rate_address=100000",
	    "--set", "max_connections=2100", "--set", "hash_threads=2",
	    "--set", "max_sessions_per_user=100000", NULL };
	static const char *const demo[] = { "demo-data", NULL };
	static const int steps_default[] = { 100, 500, 1000 };
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	struct tafeld srv;
	Tafel__Envelope *m;
	int64_t meeting = 0;
	int steps[16], n_steps = 0, open = 0, i;
	long base, rss;

	for (i = 1; i < argc && n_steps < 16; i++)
		if ((steps[n_steps] = atoi(argv[i])) > 0 &&
		    steps[n_steps] <= MAX_CONNS - 1)
			n_steps++;
	if (n_steps == 0)
		for (i = 0; i < 3; i++)
			steps[n_steps++] = steps_default[i];
	harness_require_service_user();
	if (tafeld_start(&srv, NULL, args) != 0 || tafelctl_run(&srv, demo) != 0)
		return 1;
	/* The first connection warms up caches, pools and the push ring. */
	if (tclient_login(&conns[0], &srv, "voorzitter", "demo") != 0)
		return 1;
	m = tclient_req(&conns[0], B(LIST_MEETINGS), &lm, NULL);
	if (m == NULL || m->body_case != B(MEETING_LIST) ||
	    m->meeting_list->n_meetings == 0)
		return 1;
	meeting = m->meeting_list->meetings[0]->id;
	frame_free(m);
	m = tclient_subscribe(&conns[0], meeting, 0, 0);
	frame_free(m);
	open = 1;
	for (i = 0; i < 20; i++, open++)
		open_one(&srv, &conns[open], meeting);
	base = settled_rss(srv.pid);
	printf("memory benchmark: idle connections, each logged in and "
	    "subscribed to a meeting (snapshot %lld)\n", (long long)meeting);
	printf("  tafeld RSS with %d connections: %ld KiB\n", open, base);
	for (i = 0; i < n_steps; i++) {
		while (open < steps[i] + 21)
			open_one(&srv, &conns[open], meeting), open++;
		rss = settled_rss(srv.pid);
		printf("  %5d more connections: RSS %ld KiB, +%ld KiB, "
		    "%.1f KiB per connection\n", steps[i], rss, rss - base,
		    (double)(rss - base) / steps[i]);
		fflush(stdout);
	}
	if (getenv("BENCH_PAUSE") != NULL) {	/* inspect tafeld meanwhile */
		fprintf(stderr, "bench_memory: tafeld pid %d, pausing\n",
		    (int)srv.pid);
		sleep((unsigned)atoi(getenv("BENCH_PAUSE")));
	}
	for (i = 0; i < open; i++)
		tclient_close(&conns[i]);
	tafeld_stop(&srv);
	tafeld_cleanup(&srv);
	return 0;
}
