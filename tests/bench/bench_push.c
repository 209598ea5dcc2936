/* Benchmark: write-to-screen latency of live push (p50/p99), write throughput and server memory, over real TLS and PostgreSQL; followers on the meeting or on the meeting list. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"

#define MAX_FOLLOWERS 64

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long
pct(long long *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return n ? v[i] : 0;
}

/* Peak resident memory of a process, in KiB (VmHWM). */
static long
peak_rss_kib(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long kib = -1;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = atol(line + 6);
	fclose(f);
	return kib;
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

int
main(int argc, char **argv)
{
	static const char *const args[] = { "--set", "rate_session=100000",
	    "--set", "rate_burst=100000", "--set", "rate_address=100000",
	    "--set", "max_sessions_per_user=100000", NULL };
	static const char *const demo[] = { "demo-data", NULL };
	int followers = argc > 1 ? atoi(argv[1]) : 20;
	int writes = argc > 2 ? atoi(argv[2]) : 300;
	/* "list": the followers watch the meeting list (TOPIC_MEETING_LIST) */
	int list = argc > 3 && strcmp(argv[3], "list") == 0;
	Tafel__SubscribeRequest fs = TAFEL__SUBSCRIBE_REQUEST__INIT;
	struct tafeld srv;
	struct tclient chair, f[MAX_FOLLOWERS];
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__MeetingStateRequest open = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__SetCurrentItemRequest cur = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	Tafel__Envelope *m;
	int64_t meeting = 0, items[2] = { 0, 0 };
	long long *lat, *wlat, t0, start, elapsed;
	size_t nlat = 0, i;
	int w, k;

	if (followers < 1 || followers > MAX_FOLLOWERS || writes < 1) {
		fprintf(stderr, "usage: bench_push [FOLLOWERS (1..%d)] "
		    "[WRITES] [meeting|list]\n", MAX_FOLLOWERS);
		return 2;
	}
	harness_require_service_user();
	if (tafeld_start(&srv, NULL, args) != 0 || tafelctl_run(&srv, demo) != 0)
		return 1;
	if (tclient_login(&chair, &srv, "voorzitter", "demo") != 0)
		return 1;
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
	fs = s;
	if (list) {
		fs.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST;
		fs.meeting_id = 0;
	}
	for (k = 0; k < followers; k++) {
		if (tclient_login(&f[k], &srv, "voorzitter", "demo") != 0)
			return 1;
		frame_free(must(tclient_req(&f[k], B(SUBSCRIBE), &fs, NULL),
		    B(SUBSCRIBED), "subscribe"));
	}

	lat = calloc((size_t)writes * (size_t)followers, sizeof *lat);
	wlat = calloc((size_t)writes, sizeof *wlat);
	cur.meeting_id = meeting;
	start = now_ms();
	for (w = 0; w < writes; w++) {
		cur.item_id = items[w % 2];
		t0 = now_ms();
		m = must(tclient_req(&chair, B(SET_CURRENT_ITEM), &cur,
		    harness_key()), B(MEETING), "set_current_item");
		wlat[w] = now_ms() - t0;
		frame_free(m);
		for (k = 0; k < followers; k++) {
			m = tclient_event(&f[k], 20000);
			if (m == NULL) {
				fprintf(stderr, "bench: follower %d missed an "
				    "event\n", k);
				return 1;
			}
			lat[nlat++] = now_ms() - t0;
			frame_free(m);
		}
		/* the chair's own subscription gets the event too */
		frame_free(tclient_event(&chair, 20000));
	}
	elapsed = now_ms() - start;
	qsort(lat, nlat, sizeof *lat, cmp_ll);
	qsort(wlat, (size_t)writes, sizeof *wlat, cmp_ll);
	printf("push benchmark: %d followers (%s), %d writes "
	    "(set_current_item), one writer\n", followers, list ?
	    "meeting list" : "meeting", writes);
	printf("  write answered     p50 %lld ms  p99 %lld ms  max %lld ms\n",
	    pct(wlat, (size_t)writes, 0.5), pct(wlat, (size_t)writes, 0.99),
	    wlat[writes - 1]);
	printf("  on every screen    p50 %lld ms  p99 %lld ms  max %lld ms\n",
	    pct(lat, nlat, 0.5), pct(lat, nlat, 0.99), lat[nlat - 1]);
	printf("  throughput         %.1f writes/s, %.1f events/s delivered\n",
	    writes * 1000.0 / (double)(elapsed ? elapsed : 1),
	    (double)nlat * 1000.0 / (double)(elapsed ? elapsed : 1));
	printf("  tafeld peak RSS    %ld KiB\n", peak_rss_kib(srv.pid));
	for (k = 0; k < followers; k++)
		tclient_close(&f[k]);
	tclient_close(&chair);
	free(lat);
	free(wlat);
	tafeld_stop(&srv);
	tafeld_cleanup(&srv);
	return 0;
}
