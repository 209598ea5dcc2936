/* tafel_bench: the heavy mode — followers' push while other clients ask for large answers (a case with 500 action points of 8000 bytes) at the default rate limit. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envelope.h"
#include "frame.h"
#include "tafel_bench.h"

#define HEAVY_MAX_ASKERS 64
#define HEAVY_MAX_STEPS 8
#define HEAVY_ACTIONS 500
#define HEAVY_DESC 7900		/* bytes of each action point's description */
#define HEAVY_RATE 20		/* asks per second per asker: rate_session's default */

struct asker {
	struct tclient c;
	pthread_t th;
	long long *lat;		/* us per answer (first byte sent to last part) */
	int n, cap;
	long long bytes;	/* of the answers' envelopes, packed */
	int refused;		/* answers that were an Error */
	int dropped;		/* the connection ended */
};

static struct asker ask[HEAVY_MAX_ASKERS];

/* CPU time (user + system) of a process so far, in ms; -1 when unknown. */
static long long
cpu_ms(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after the command's ")": state is field 3, utime 14, stime 15 */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2, "%*c %*d %*d "
	    "%*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (long long)(ut + st) * 1000 / sysconf(_SC_CLK_TCK);
}
static atomic_int stop_askers;
static int64_t big_case;

/* One case of its own with HEAVY_ACTIONS action points of HEAVY_DESC bytes, seen by every organisation of the series. */
static int64_t
heavy_case(void)
{
	char q[1024];
	int64_t id;

	bench_cases("2097", 1, &id);
	snprintf(q, sizeof q, "INSERT INTO action_points (case_id, "
	    "description, owner_org_id, due_date) SELECT %lld, "
	    "left(repeat('Contact opnemen met de betrokkenen en "
	    "terugkoppelen aan het overleg. ', 200), %d), "
	    "(SELECT min(org_id) FROM series_members WHERE series_id = %lld), "
	    "current_date + k FROM generate_series(1, %d) k", (long long)id,
	    HEAVY_DESC, (long long)series_id, HEAVY_ACTIONS);
	if (harness_psql(&srv, q) != 0)
		goto fail;
	snprintf(q, sizeof q, "INSERT INTO case_involved_orgs (case_id, "
	    "org_id) SELECT %lld, org_id FROM series_members WHERE "
	    "series_id = %lld ON CONFLICT DO NOTHING", (long long)id,
	    (long long)series_id);
	if (harness_psql(&srv, q) != 0 || harness_psql(&srv, "ANALYZE") != 0)
		goto fail;
	return id;
fail:
	fprintf(stderr, "tafel_bench heavy: the large case failed\n");
	exit(1);
}

/* An asker: get_case of the large case HEAVY_RATE times a second, each answer read whole (all its parts). */
static void *
asker_run(void *arg)
{
	struct asker *a = arg;
	Tafel__GetCaseRequest g = TAFEL__GET_CASE_REQUEST__INIT;
	Tafel__Envelope *m;
	long long next = now_us(), t0;
	unsigned left;

	g.case_id = big_case;
	while (!atomic_load(&stop_askers)) {
		while (now_us() < next)
			usleep((useconds_t)(next - now_us()));
		next += 1000000 / HEAVY_RATE;
		t0 = now_us();
		left = 1;
		if ((m = tclient_req(&a->c, B(GET_CASE), &g, NULL)) == NULL) {
			a->dropped = 1;
			break;
		}
		for (;;) {
			a->bytes += (long long)tafel__envelope__get_packed_size(m);
			if (m->body_case != B(CASE_DETAIL)) {
				/* RATE_LIMITED: wait as asked (as tafel does) */
				a->refused++;
				if (m->body_case == B(ERROR))
					next = now_us() + 1000LL *
					    m->error->retry_after_ms;
				frame_free(m);
				break;
			}
			left = m->case_detail->parts_left;
			frame_free(m);
			if (left == 0)
				break;
			if ((m = tclient_recv(&a->c, 30000)) == NULL) {
				a->dropped = 1;
				return NULL;
			}
		}
		if (left == 0 && a->n < a->cap)
			a->lat[a->n++] = now_us() - t0;
	}
	return NULL;
}

/*
 * heavy [FOLLOWERS [WRITES [ASKERS...]]]: FOLLOWERS clients follow the
 * open meeting; for each ASKERS count, that many other clients ask for the
 * large case at 20 a second each while the chair makes WRITES writes at 10
 * a second; prints write -> last follower, and what the askers got.
 */
int
mode_heavy(int argc, char **argv)
{
	static struct tclient fol[MAX_CLIENTS];
	int n_f = argc > 0 ? atoi(argv[0]) : 20;
	int writes = argc > 1 ? atoi(argv[1]) : 100;
	int steps[HEAVY_MAX_STEPS] = { 0, 2, 10 }, n_steps = 3, s, k, w;
	int max_k = 0;
	Tafel__SetCurrentItemRequest cur = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	long long *ans, *last, t0, next, elapsed, cpu0, cpu1;
	char key[64];

	if (argc > 2) {
		for (n_steps = 0; n_steps < HEAVY_MAX_STEPS && 2 + n_steps <
		    argc; n_steps++)
			steps[n_steps] = atoi(argv[2 + n_steps]);
	}
	if (n_f < 1 || n_f > MAX_CLIENTS || writes < 1) {
		fprintf(stderr, "tafel_bench heavy: FOLLOWERS 1..%d, "
		    "WRITES >= 1\n", MAX_CLIENTS);
		return 2;
	}
	for (s = 0; s < n_steps; s++) {
		if (steps[s] < 0 || steps[s] > HEAVY_MAX_ASKERS) {
			fprintf(stderr, "tafel_bench heavy: ASKERS 0..%d\n",
			    HEAVY_MAX_ASKERS);
			return 2;
		}
		if (steps[s] > max_k)
			max_k = steps[s];
	}
	big_case = heavy_case();
	bench_users("heavy", n_f + max_k, 1);
	for (k = 0; k < n_f; k++) {
		bench_login(&fol[k], &srv, "heavy", k + 1);
		frame_free(must(tclient_subscribe(&fol[k], meeting, 0, 0),
		    B(SUBSCRIBED), "subscribe"));
	}
	for (k = 0; k < max_k; k++)
		bench_login(&ask[k].c, &srv, "heavy", n_f + k + 1);
	ans = calloc((size_t)writes, sizeof *ans);
	last = calloc((size_t)writes, sizeof *last);
	printf("heavy: %d followers of meeting %lld, %d writes at 10/s; "
	    "askers: get_case of a case with %d action points of %d bytes, "
	    "%d a second each\n", n_f, (long long)meeting, writes,
	    HEAVY_ACTIONS, HEAVY_DESC, HEAVY_RATE);
	cur.meeting_id = meeting;
	for (s = 0; s < n_steps; s++) {
		static long long all_lat[HEAVY_MAX_ASKERS * 2000];
		long long bytes = 0;
		int n_lat = 0, refused = 0, dropped = 0;

		atomic_store(&stop_askers, 0);
		for (k = 0; k < steps[s]; k++) {
			ask[k].n = 0;
			ask[k].cap = 2000;
			ask[k].bytes = 0;
			ask[k].refused = 0;
			if (ask[k].lat == NULL)
				ask[k].lat = calloc(2000, sizeof *ask[k].lat);
			pthread_create(&ask[k].th, NULL, asker_run, &ask[k]);
		}
		if (steps[s] > 0)
			sleep(2);	/* the askers at their pace */
		cpu0 = cpu_ms(srv.pid);
		t0 = next = now_us();
		for (w = 0; w < writes; w++) {
			Tafel__Envelope *m;
			long long t;

			while (now_us() < next)
				usleep((useconds_t)(next - now_us()));
			next += 100000;
			cur.item_id = items[w % 2];
			t = now_us();
			m = must(tclient_req(&chair, B(SET_CURRENT_ITEM), &cur,
			    bench_key(key, sizeof key)), B(MEETING),
			    "set_current_item");
			ans[w] = now_us() - t;
			frame_free(m);
			for (k = 0; k < n_f; k++) {
				if ((m = tclient_event(&fol[k], 60000)) ==
				    NULL) {
					fprintf(stderr, "tafel_bench heavy: "
					    "follower %d missed an event\n", k);
					exit(1);
				}
				frame_free(m);
			}
			last[w] = now_us() - t;
			frame_free(tclient_event(&chair, 30000));
		}
		elapsed = now_us() - t0;
		cpu1 = cpu_ms(srv.pid);
		atomic_store(&stop_askers, 1);
		for (k = 0; k < steps[s]; k++) {
			pthread_join(ask[k].th, NULL);
			memcpy(all_lat + n_lat, ask[k].lat, (size_t)ask[k].n *
			    sizeof *all_lat);
			n_lat += ask[k].n;
			bytes += ask[k].bytes;
			refused += ask[k].refused;
			dropped += ask[k].dropped;
		}
		printf("%d askers:\n", steps[s]);
		print_stats("  write answered   ", ans, writes, "");
		print_stats("  write -> last    ", last, writes, "");
		if (steps[s] > 0) {
			print_stats("  asker's answer   ", all_lat, n_lat, "");
			printf("  askers got %d answers (%.1f/s, %.1f MB/s), "
			    "%d RATE_LIMITED, %d connections ended\n", n_lat,
			    n_lat * 1e6 / (double)elapsed, bytes /
			    (double)elapsed, refused, dropped);
		}
		printf("  tafeld RSS %ld KiB, CPU %.0f%% of one core\n",
		    status_kib(srv.pid, "VmRSS"), (double)(cpu1 - cpu0) *
		    100000.0 / (double)elapsed);
		print_load();
		fflush(stdout);
		for (k = 0; k < steps[s]; k++)
			if (ask[k].dropped) {
				tclient_close(&ask[k].c);
				bench_login(&ask[k].c, &srv, "heavy",
				    n_f + k + 1);
				ask[k].dropped = 0;
			}
	}
	for (k = 0; k < n_f; k++)
		tclient_close(&fol[k]);
	for (k = 0; k < max_k; k++)
		tclient_close(&ask[k].c);
	return 0;
}
