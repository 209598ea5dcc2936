/* tafel_bench: the busy-day mode — many meetings at once, each with its own chair writing once a second and its own participants (distinct users of several organisations). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "tafel_bench.h"

#define MAX_ROOMS 100

struct room {
	int idx;
	int64_t meeting, items[2];
	struct tclient writer;
	struct tclient *cl[MAX_CLIENTS];
	int n_cl;
	long long *ans, *last;	/* us, per write */
	int n_writes, late, missed, retries;
	pthread_t th;
};

static struct room rooms[MAX_ROOMS];
static struct tclient busy_cl[MAX_CLIENTS];
static long long t_start, t_end;
static int n_rooms;

/* The case ids of the first two agenda items of the demo meeting. */
static void
demo_cases(int64_t *cases)
{
	char sql[256], v[256];

	snprintf(sql, sizeof sql, "SELECT string_agg(case_id::text, ',' "
	    "ORDER BY position) FROM agenda_items WHERE meeting_id = %lld",
	    (long long)meeting);
	if (harness_psql_value(&srv, sql, v, sizeof v) != 0 ||
	    sscanf(v, "%lld,%lld", (long long *)&cases[0],
	    (long long *)&cases[1]) != 2) {
		fprintf(stderr, "tafel_bench: no agenda of the demo meeting\n");
		exit(1);
	}
}

/* A new open meeting of the demo meeting's series with these two cases. */
static void
make_meeting(struct room *r, const int64_t *cases)
{
	Tafel__CreateMeetingRequest cm = TAFEL__CREATE_MEETING_REQUEST__INIT;
	Tafel__MeetingStateRequest open = TAFEL__MEETING_STATE_REQUEST__INIT;
	Tafel__AddAgendaItemRequest add = TAFEL__ADD_AGENDA_ITEM_REQUEST__INIT;
	Tafel__Envelope *m;
	char key[64];
	int i;

	cm.series_id = series_id;
	cm.scheduled_start = bench_meeting_start();
	cm.chair_id = chair_id;
	m = must(tclient_req(&chair, B(CREATE_MEETING), &cm,
	    bench_key(key, sizeof key)), B(MEETING), "create_meeting");
	r->meeting = m->meeting->id;
	open.meeting_id = r->meeting;
	open.version = m->meeting->version;
	frame_free(m);
	frame_free(must(tclient_req(&chair, B(OPEN_MEETING), &open,
	    bench_key(key, sizeof key)), B(MEETING), "open_meeting"));
	add.meeting_id = r->meeting;
	for (i = 0; i < 2; i++) {
		add.case_id = cases[i];
		m = must(tclient_req(&chair, B(ADD_AGENDA_ITEM), &add,
		    bench_key(key, sizeof key)), B(AGENDA), "add_agenda_item");
		r->items[i] = m->agenda->items[m->agenda->n_items - 1]->id;
		frame_free(m);
	}
}

/* One meeting's chair: a write a second, each awaited on every participant. */
static void *
room_run(void *arg)
{
	Tafel__SetCurrentItemRequest cur = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	struct room *r = arg;
	long long next, t0, *arrive = calloc((size_t)r->n_cl, sizeof *arrive);
	Tafel__Envelope *m;
	int w, k, left;

	cur.meeting_id = r->meeting;
	/*
	 * The meetings' writes are spread evenly over each second.  A chair
	 * whose last write has not reached everyone by its next second skips
	 * that second (counted): the offered load never exceeds one write a
	 * second per meeting.
	 */
	next = t_start + (long long)r->idx * 1000000 / n_rooms;
	for (w = 0;; w++, next += 1000000) {
		while (now_us() > next + 100000) {
			if (next < t_end)
				r->late++;
			next += 1000000;
		}
		if (next >= t_end)
			break;
		while (now_us() < next)
			usleep((useconds_t)(next - now_us()));
		cur.item_id = r->items[w % 2];
		t0 = now_us();
		m = bench_write(&r->writer, B(SET_CURRENT_ITEM), &cur,
		    B(MEETING), "set_current_item", &r->retries);
		r->ans[w] = now_us() - t0;
		frame_free(m);
		left = wait_events(r->cl, r->n_cl, arrive, 30000);
		r->missed += left;
		r->last[w] = 0;
		for (k = 0; k < r->n_cl; k++)
			if (arrive[k] - t0 > r->last[w])
				r->last[w] = arrive[k] - t0;
		r->n_writes = w + 1;
		frame_free(tclient_event(&r->writer, 30000));
	}
	free(arrive);
	return NULL;
}

int
mode_busy(int argc, char **argv)
{
	int seconds = argc > 0 ? atoi(argv[0]) : 60;
	int per = argc > 2 ? atoi(argv[2]) : 20, i, k, n, total = 0, missed = 0;
	int late = 0;	/* seconds skipped */
	int retries = 0;	/* writes sent again (DATABASE_UNAVAILABLE, ...) */
	long long *ans, *last, t;
	int64_t *cases;
	char target[96];

	n_rooms = argc > 1 ? atoi(argv[1]) : 50;
	if (seconds < 1 || n_rooms < 1 || n_rooms > MAX_ROOMS || per < 1 ||
	    n_rooms * per > MAX_CLIENTS - 1) {
		fprintf(stderr, "tafel_bench busy: 1..%d meetings, at most %d "
		    "participants in all\n", MAX_ROOMS, MAX_CLIENTS - 1);
		return 2;
	}
	printf("tafel_bench busy: %d meetings at once, %d participants each "
	    "(distinct users of several organisations, each subscribed to its "
	    "meeting), one set_current_item a second per meeting from its own "
	    "chair connection, %d s\n", n_rooms, per, seconds);
	printf("  each meeting has two cases of its own on its agenda\n");
	printf("  note: participants' passwords are hashed at libsodium's "
	    "minimum cost so that %d logins take seconds (logins are not "
	    "measured here); all connect from 127.0.0.1 with the per-address "
	    "limits lifted\n", n_rooms * per);
	t = now_us();
	cases = calloc(2 * (size_t)n_rooms, sizeof *cases);
	demo_cases(cases);
	if (n_rooms > 1)
		bench_cases("2097", 2 * (n_rooms - 1), cases + 2);
	rooms[0].meeting = meeting;
	rooms[0].items[0] = items[0];
	rooms[0].items[1] = items[1];
	for (i = 1; i < n_rooms; i++)
		make_meeting(&rooms[i], cases + 2 * i);
	free(cases);
	bench_users("busy", n_rooms * per, 1);
	for (i = 0; i < n_rooms; i++) {
		struct room *r = &rooms[i];

		r->idx = i;
		/* the chair follows the meeting too, as tafel does */
		if (tclient_login(&r->writer, &srv, "voorzitter", "demo") != 0)
			return 1;
		frame_free(must(tclient_subscribe(&r->writer, r->meeting, 0, 0),
		    B(SUBSCRIBED), "subscribe"));
		for (k = 0; k < per; k++) {
			struct tclient *c = &busy_cl[i * per + k];

			bench_login(c, &srv, "busy", i * per + k + 1);
			frame_free(must(tclient_subscribe(c, r->meeting, 0, 0),
			    B(SUBSCRIBED), "subscribe"));
			bench_nonblock(c);
			r->cl[r->n_cl++] = c;
		}
		r->ans = calloc((size_t)seconds + 1, sizeof *r->ans);
		r->last = calloc((size_t)seconds + 1, sizeof *r->last);
	}
	printf("  set-up took %.1f s (%d meetings made, %d participants and "
	    "%d chairs logged in)\n", (double)(now_us() - t) / 1e6,
	    n_rooms - 1, n_rooms * per, n_rooms);
	print_load();
	fflush(stdout);
	t_start = now_us() + 200000;
	t_end = t_start + (long long)seconds * 1000000;
	for (i = 0; i < n_rooms; i++)
		pthread_create(&rooms[i].th, NULL, room_run, &rooms[i]);
	for (i = 0; i < n_rooms; i++)
		pthread_join(rooms[i].th, NULL);
	t = now_us() - t_start;
	ans = calloc((size_t)n_rooms * ((size_t)seconds + 1), sizeof *ans);
	last = calloc((size_t)n_rooms * ((size_t)seconds + 1), sizeof *last);
	for (i = 0; i < n_rooms; i++) {
		n = rooms[i].n_writes;
		memcpy(ans + total, rooms[i].ans, (size_t)n * sizeof *ans);
		memcpy(last + total, rooms[i].last, (size_t)n * sizeof *last);
		total += n;
		missed += rooms[i].missed;
		late += rooms[i].late;
		retries += rooms[i].retries;
	}
	print_load();
	printf("  %d writes in %.1f s (%d meetings x %d s asked)\n", total,
	    (double)t / 1e6, n_rooms, seconds);
	print_stats("write answered", ans, total, NULL);
	snprintf(target, sizeof target, "target p99 <= 50 ms (issue 13, "
	    "busy day)");
	print_stats("write -> last of meeting", last, total, target);
	printf("  throughput         %.1f writes/s, %.0f events/s "
	    "(asked: %d writes/s)\n", total * 1e6 / (double)t,
	    (double)total * per * 1e6 / (double)t, n_rooms);
	if (late > 0)
		printf("  %d seconds skipped: the meeting's previous write "
		    "had not reached every participant 100 ms into the next "
		    "second\n", late);
	if (retries > 0)
		printf("  %d times a write was answered DATABASE_UNAVAILABLE or "
		    "OVERLOADED and sent again with its key, as tafel does (the "
		    "latencies count from the first send)\n", retries);
	if (missed > 0)
		printf("  %d events never arrived (30 s)\n", missed);
	printf("  server RSS         %ld KiB\n", status_kib(srv.pid, "VmRSS"));
	print_push_timing(&srv);
	for (i = 0; i < n_rooms; i++) {
		tclient_close(&rooms[i].writer);
		free(rooms[i].ans);
		free(rooms[i].last);
	}
	for (i = 0; i < n_rooms * per; i++)
		tclient_close(&busy_cl[i]);
	free(ans);
	free(last);
	return missed > 0 ? 1 : 0;
}
