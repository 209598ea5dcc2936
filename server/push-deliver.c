/* Per-viewer delivery of changes: each viewer gets the event as the database's covenant rules let it see it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <json-c/json.h>

#include "conn.h"
#include "db.h"
#include "envelope.h"
#include "log.h"
#include "pbjson.h"
#include "privacy.h"
#include "proto.h"
#include "push.h"
#include "push-int.h"
#include "server.h"
#include "session.h"
#include "xmalloc.h"

/*
 * The server reads only a skeleton of each change from the change log (ids
 * and states, no personal data); it routes changes to subscriptions.  What a viewer
 * receives is built by tafel_push_events() in the database, redacted for
 * that viewer and recorded in the read audit, and then passes the server's
 * own coarse filter (privacy.c).
 *
 * Delivery is pipelined: up to deliver_limit() changes have their
 * rendering query out at once (the pool runs them side by side), kept in
 * `flight` in sequence order.  An answered change is sent as soon as no
 * earlier change still in flight (rendering, or waiting for a retry or for
 * its own turn) targets any of the same connections; until then its answer
 * waits there.  So every connection receives its events in strictly
 * increasing seq, and a slow rendering (a big meeting's change) holds back
 * only the connections it is for, not the other meetings.  Frames queued
 * to a socket during one flush go out coalesced (conn_cork_begin/end).
 */

#define VIEWER_SUBS 4

struct viewer {
	struct conn *c;			/* referenced until delivered */
	int64_t user_id;
	int64_t presentation_meeting;	/* 0: the user's own view */
	int64_t meeting_id;		/* meeting followed (chair's beamer_*) */
	int gone;			/* left the list (see change_gone) */
	unsigned list_mask;		/* 0: the whole event; else LIST_* */
	/*
	 * The subscriptions it was meant for (VIEWER_SUBS at most; more:
	 * n_subs is VIEWER_SUBS + 1 and the check is skipped).  When all of
	 * them were dropped or replaced before the answer's turn, the event
	 * is not sent: a replacement's snapshot or replay already covers it.
	 */
	uint64_t subs[VIEWER_SUBS];
	unsigned n_subs;
};

struct delivery {
	uint64_t seq;
	struct viewer *v;
	size_t n;
	int64_t handed_us;		/* dispatched to the database */
	int64_t answered_us;		/* its rendering came back */
	PGresult *res;			/* the answer, kept until its turn */
	int failed;			/* waiting for deliver_retry */
	TAILQ_ENTRY(delivery) entry;	/* flight, in seq order */
};

/*
 * How many changes may be rendering at once: twice the pool, so the pool
 * never idles between answers (db.c lets the push's renderings hold at
 * most pool - 1 connections; the rest wait in its background queue).
 */
#define DELIVER_IN_FLIGHT_MIN	2
static size_t
deliver_limit(void)
{
	size_t n = 2 * (size_t)srv.cfg.db_pool_size;

	return n < DELIVER_IN_FLIGHT_MIN ? DELIVER_IN_FLIGHT_MIN : n;
}

/*
 * How many changes flight holds at most, rendering or answered and waiting
 * for an earlier change to some of their connections: a slow rendering
 * lets the changes of other meetings pass it, while the answers queued
 * behind it (each up to a rendered event per viewer) stay bounded.  When
 * flight is full, no new change is dispatched until one of its changes
 * is sent (the oldest goes as soon as it is answered: none is before it).
 */
#define DELIVER_HELD_FACTOR	8
static size_t
deliver_held_limit(void)
{
	return DELIVER_HELD_FACTOR * deliver_limit();
}

static TAILQ_HEAD(, delivery) flight = TAILQ_HEAD_INITIALIZER(flight);
static size_t n_flight;		/* in flight */
static size_t n_answered;	/* of them, answered (res != NULL) */

/*
 * A subscription's replay of ring changes it missed, in rounds of at most
 * CATCH_UP_ROUND changes.  Its events go to the socket only while less
 * than half of outbuf_limit is queued there; beyond that the rest of the
 * round waits (CATCH_UP_PACE_MS at a time) until the client has read, so
 * a long replay never trips the limit meant for clients that stopped
 * reading (docs/protocol.md 10).  A client whose queue does not shrink
 * for CATCH_UP_STALL_MS has stopped reading: it is dropped as conn_out
 * drops one.
 */
#define CATCH_UP_ROUND 100
#define CATCH_UP_PACE_MS 20
#define CATCH_UP_STALL_MS 5000
struct catch_up {
	struct sub *s;			/* NULL once the subscription is gone */
	uint64_t upto;			/* s->seq after this round */
	PGresult *res;			/* the round's events, while sending */
	int row;			/* the next row of res to send */
	struct event *pace;		/* waiting for the socket to drain */
	size_t queued;			/* while waiting: the least seen;
					 * SIZE_MAX when not waiting */
	int64_t shrunk_us;		/* when it last went down (or the
					 * wait began) */
};

static struct event *deliver_retry;	/* re-sends failed deliveries */

/*
 * Timing of the last DELIVER_SAMPLES changes sent, for `tafelctl status`:
 * from being handed to the database until the rendering came back, and
 * until the events were written to the sockets (after waiting, if needed,
 * for an earlier change to the same connections).
 */
#define DELIVER_SAMPLES 100
struct deliver_sample {
	int64_t render_us, sent_us;
	size_t viewers;
};
static struct deliver_sample samples[DELIVER_SAMPLES];
static size_t n_samples;		/* ever taken; the newest at (n-1) % N */

/* The last DELIVER_SAMPLES joins (deliver_note_join), the same way. */
struct join_sample {
	int64_t db_us, answered_us;
};
static struct join_sample joins[DELIVER_SAMPLES];
static size_t n_joins;


static void deliver_send(struct delivery *d);

/* Moves a message field of the rendered event over to the trimmed one. */
#define TAKE(f) do { t->f = ev->f; ev->f = NULL; any |= t->f != NULL; } while (0)

/*
 * A list topic's event: only the records of its kinds (mask, LIST_*) move
 * over from the rendered event ev, which is freed.  The case list takes
 * every case-level record (the case, its persons, contributions, goals,
 * links, information rounds, proposals and action points).  NULL when none
 * of them is left (the viewer may not see the record).
 */
static Tafel__Event *
event_trim(Tafel__Event *ev, unsigned mask)
{
	Tafel__Event *t = xcalloc(1, sizeof *t);
	int any = 0;

	tafel__event__init(t);
	if ((mask & LIST_MEETING) != 0)
		TAKE(meeting);
	if ((mask & LIST_CASE) != 0) {
		TAKE(case_);
		TAKE(person);
		TAKE(contribution);
		TAKE(goal);
		TAKE(person_link);
		TAKE(info_round);
		TAKE(proposal);
		TAKE(action_point);
		t->n_actions = ev->n_actions;
		t->actions = ev->actions;
		ev->n_actions = 0;
		ev->actions = NULL;
		any |= t->n_actions > 0;
	}
	if ((mask & LIST_NOMINATION) != 0)
		TAKE(nomination);
	tafel__event__free_unpacked(ev, NULL);
	if (!any) {
		tafel__event__free_unpacked(t, NULL);
		return NULL;
	}
	t->list_only = 1;
	return t;
}
#undef TAKE

/* One event JSON (from the database) of change ch as an Event; NULL: unreadable. */
static Tafel__Event *
event_parse(const struct change *ch, const char *json, uint64_t conn_id)
{
	Tafel__Event *ev;
	char err[256];

	ev = (Tafel__Event *)pbjson_parse(&tafel__event__descriptor, json,
	    strlen(json), err, sizeof err);
	if (ev == NULL) {
		log_error("push: event %" PRIu64 " for conn %llu unreadable: %s",
		    ch->seq, (unsigned long long)conn_id, err);
		return NULL;
	}
	return ev;
}

/* Sets what the server adds to a rendered event: its seq, time and author. */
static void
event_stamp(Tafel__Event *ev, const struct change *ch)
{
	ev->seq = ch->seq;
	ev->at = ch->event->at;
	ev->by_user_id = ch->event->by_user_id;
	pb_string_set(&ev->by_user_name, ch->event->by_user_name);
}

/* Queues a parsed event to c (the server's own filter applied). */
static void
event_send(struct conn *c, Tafel__Event *ev, int gone)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;

	ev->gone = gone;
	privacy_filter_message(c, &ev->base);
	env.body_case = TAFEL__ENVELOPE__BODY_EVENT;
	env.event = ev;
	conn_send(c, &env);
	/*
	 * Who is present decides what everyone may see (cases opened in an
	 * attended meeting, the shared screen's intersection): the client
	 * takes a fresh snapshot.
	 */
	if (ev->attendance != NULL)
		conn_send_resync(c);
}

/*
 * Queues one event JSON (from the database) to c; list_mask != 0: only the
 * records a list topic takes.
 */
static void
send_event_json(struct conn *c, const struct change *ch, const char *json,
    int gone, unsigned list_mask)
{
	Tafel__Event *ev;

	if (c->state != CONN_READY)
		return;
	if ((ev = event_parse(ch, json, c->id)) == NULL)
		return;
	if (list_mask != 0 && (ev = event_trim(ev, list_mask)) == NULL)
		return;
	event_stamp(ev, ch);
	event_send(c, ev, gone);
	tafel__event__free_unpacked(ev, NULL);
}

/* The ring's change with this seq, or NULL if it was evicted meanwhile. */
static struct change *
ring_find(uint64_t seq)
{
	size_t i = ring_search(seq);

	return i < push.count && ring_at(i)->seq == seq ? ring_at(i) : NULL;
}

static void
delivery_free(struct delivery *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		conn_unref(d->v[i].c);
	PQclear(d->res);
	free(d->v);
	free(d);
}

/* A class's event encoded once, as a frame, per value of gone. */
struct packed {
	uint8_t *frame;
	size_t len;
};

static void
packed_clear(struct packed p[2])
{
	free(p[0].frame);
	free(p[1].frame);
	memset(p, 0, 2 * sizeof *p);
}

/*
 * Queues the class's shared event to c (whose connection the server's own
 * filter leaves alone, so every member gets the same bytes): packed once
 * per class and gone value, then copied to each socket.
 */
static void
shared_send(struct conn *c, Tafel__Event *ev, int gone, struct packed p[2])
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	size_t n;

	if (p[gone].frame == NULL) {
		ev->gone = gone;
		env.body_case = TAFEL__ENVELOPE__BODY_EVENT;
		env.event = ev;
		n = tafel__envelope__get_packed_size(&env);
		if (n > TAFEL_MAX_FRAME) {
			event_send(c, ev, gone);	/* logs, resyncs */
			return;
		}
		p[gone].frame = xmalloc(TAFEL_FRAME_HEADER + n);
		p[gone].frame[0] = (uint8_t)(n >> 24);
		p[gone].frame[1] = (uint8_t)(n >> 16);
		p[gone].frame[2] = (uint8_t)(n >> 8);
		p[gone].frame[3] = (uint8_t)n;
		tafel__envelope__pack(&env, p[gone].frame + TAFEL_FRAME_HEADER);
		p[gone].len = TAFEL_FRAME_HEADER + n;
	}
	conn_send_frame(c, p[gone].frame, p[gone].len);
	if (ev->attendance != NULL)
		conn_send_resync(c);	/* as event_send */
}

/* Does the viewer still have one of the subscriptions the change was for? */
static int
viewer_current(const struct viewer *v)
{
	const struct sub *s;
	unsigned k;

	if (v->c->state != CONN_READY || v->c->session == NULL)
		return 0;
	if (v->n_subs > VIEWER_SUBS)
		return 1;
	for (s = v->c->session->subs; s != NULL; s = s->next)
		for (k = 0; k < v->n_subs; k++)
			if (s->id == v->subs[k])
				return 1;
	return 0;
}

/* Sends one answered change's events to its viewers. */
static void
delivery_send_events(struct delivery *d)
{
	struct change *ch = ring_find(d->seq);
	PGresult *res = d->res;
	struct packed packed[2] = { { NULL, 0 }, { NULL, 0 } };
	Tafel__Event *shared = NULL;
	const char *shared_json = NULL;
	const char **json_of;		/* per viewer: its event's JSON */
	int i, n, idx, same;

	/*
	 * A rendering comes once, in the row of the first viewer that gets
	 * it; the other viewers' rows name that viewer (same_as).  The rows
	 * of one rendering class come together: its JSON is parsed once and
	 * the same Event goes to every member whose connection the server's
	 * own filter leaves alone.
	 */
	n = PQntuples(res);
	json_of = xcalloc(d->n > 0 ? d->n : 1, sizeof *json_of);
	for (i = 0; ch != NULL && i < n; i++) {
		struct viewer *v;
		const char *json;

		idx = atoi(PQgetvalue(res, i, 0));
		if (idx < 0 || (size_t)idx >= d->n)
			continue;
		if (!PQgetisnull(res, i, 1))
			json = PQgetvalue(res, i, 1);
		else if (!PQgetisnull(res, i, 2) &&
		    (same = atoi(PQgetvalue(res, i, 2))) >= 0 &&
		    (size_t)same < d->n && json_of[same] != NULL)
			json = json_of[same];
		else
			continue;	/* this viewer may not see the change */
		json_of[idx] = json;
		v = &d->v[idx];
		if (!viewer_current(v))
			continue;	/* unsubscribed, resubscribed, gone */
		if (v->list_mask != 0 || v->c->state != CONN_READY ||
		    !privacy_sees_personal_data(v->c)) {
			send_event_json(v->c, ch, json, v->gone, v->list_mask);
			continue;
		}
		if (shared == NULL || (shared_json != json &&
		    strcmp(shared_json, json) != 0)) {
			if (shared != NULL)
				tafel__event__free_unpacked(shared, NULL);
			packed_clear(packed);
			shared_json = json;
			if ((shared = event_parse(ch, json, v->c->id)) == NULL)
				continue;
			event_stamp(shared, ch);
		}
		shared_send(v->c, shared, v->gone != 0, packed);
	}
	if (shared != NULL)
		tafel__event__free_unpacked(shared, NULL);
	packed_clear(packed);
	free(json_of);
}

/*
 * The connections of the changes a flush passed without sending: an open
 * addressing set of conn pointers (each referenced by its delivery, so no
 * other connection can take its address meanwhile), rebuilt per flush.
 */
struct conn_set {
	const struct conn **slot;
	size_t cap;			/* a power of two, or 0 */
	size_t n;
};

static size_t
conn_set_pos(const struct conn_set *set, const struct conn *c)
{
	uint64_t h = (uint64_t)(uintptr_t)c * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (set->cap - 1);
}

static int
conn_set_has(const struct conn_set *set, const struct conn *c)
{
	size_t i;

	if (set->n == 0)
		return 0;
	for (i = conn_set_pos(set, c); set->slot[i] != NULL;
	    i = (i + 1) & (set->cap - 1))
		if (set->slot[i] == c)
			return 1;
	return 0;
}

static void
conn_set_add(struct conn_set *set, const struct conn *c)
{
	size_t i, old_cap = set->cap;
	const struct conn **old = set->slot;

	if (2 * (set->n + 1) > set->cap) {	/* at most half full */
		set->cap = set->cap == 0 ? 64 : 2 * set->cap;
		set->slot = xcalloc(set->cap, sizeof *set->slot);
		set->n = 0;
		for (i = 0; i < old_cap; i++)
			if (old[i] != NULL)
				conn_set_add(set, old[i]);
		free(old);
	}
	for (i = conn_set_pos(set, c); set->slot[i] != NULL;
	    i = (i + 1) & (set->cap - 1))
		if (set->slot[i] == c)
			return;
	set->slot[i] = c;
	set->n++;
}

/* Does an earlier change, passed in this flush, go to one of d's connections? */
static int
delivery_blocked(const struct delivery *d, const struct conn_set *passed)
{
	size_t i;

	if (passed->n == 0)
		return 0;
	for (i = 0; i < d->n; i++)
		if (conn_set_has(passed, d->v[i].c))
			return 1;
	return 0;
}

/*
 * Sends every answered change of the flight that no earlier change still
 * in flight shares a connection with, in seq order; the others wait (their
 * connections then wait too, for the changes after them).  The frames of
 * one flush go to each socket in one write.
 */
static void
deliver_flush(void)
{
	struct delivery *d, *next;
	struct conn_set passed = { NULL, 0, 0 };
	size_t i, ahead = n_answered;	/* answered, not yet looked at */
	size_t first = n_samples;	/* this flush's samples start here */
	int corked = 0;
	int64_t now;

	for (d = TAILQ_FIRST(&flight); d != NULL && ahead > 0; d = next) {
		next = TAILQ_NEXT(d, entry);
		if (d->res != NULL)
			ahead--;
		if (d->res == NULL || delivery_blocked(d, &passed)) {
			if (ahead == 0)
				break;	/* nothing after it to send */
			for (i = 0; i < d->n; i++)
				conn_set_add(&passed, d->v[i].c);
			continue;
		}
		if (!corked) {
			conn_cork_begin();
			corked = 1;
		}
		TAILQ_REMOVE(&flight, d, entry);
		n_flight--;
		n_answered--;
		delivery_send_events(d);
		samples[n_samples % DELIVER_SAMPLES] = (struct deliver_sample){
			d->answered_us - d->handed_us, d->handed_us, d->n };
		n_samples++;
		delivery_free(d);
	}
	if (corked)
		conn_cork_end();
	free(passed.slot);
	/* sent: written to the sockets (or their buffers) by conn_cork_end */
	now = mono_us();
	if (n_samples - first > DELIVER_SAMPLES)
		first = n_samples - DELIVER_SAMPLES;
	for (i = first; i < n_samples; i++)
		samples[i % DELIVER_SAMPLES].sent_us = now -
		    samples[i % DELIVER_SAMPLES].sent_us;
}

static void
deliver_done(void *arg, struct db_result *r)
{
	struct delivery *d = arg;

	if (r->code != 0) {
		struct timeval tv = { 1, 0 };

		log_warn("push: delivering change %" PRIu64 " failed: %s; "
		    "retrying", d->seq, db_result_why(r));
		/* Later answers for its connections wait for it. */
		d->failed = 1;
		evtimer_add(deliver_retry, &tv);
		return;
	}
	d->res = r->res;
	r->res = NULL;		/* kept until its turn; PQclear'd then */
	d->answered_us = mono_us();
	n_answered++;
	deliver_flush();
	deliver_pump();
}

/* Sends the delivery's query (again, after a failure). */
static void
deliver_send(struct delivery *d)
{
	struct json_object *arr = json_object_new_array(), *o;
	char seq[32];
	const char *params[2];
	size_t i;

	for (i = 0; i < d->n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "user_id",
		    json_object_new_int64(d->v[i].user_id));
		json_object_object_add(o, "presentation_meeting",
		    json_object_new_int64(d->v[i].presentation_meeting));
		json_object_object_add(o, "meeting_id",
		    json_object_new_int64(d->v[i].meeting_id));
		json_object_array_add(arr, o);
	}
	snprintf(seq, sizeof seq, "%" PRIu64, d->seq);
	params[0] = seq;
	params[1] = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN);
	db_call_background("SELECT idx, event, same_as FROM "
	    "tafel_push_events($1::bigint, $2::jsonb)", 2, params, deliver_done,
	    d);
	json_object_put(arr);
}

static void
deliver_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct delivery *d;

	(void)fd;
	(void)what;
	(void)arg;
	TAILQ_FOREACH(d, &flight, entry) {
		if (d->failed) {
			d->failed = 0;
			deliver_send(d);
		}
	}
}

/* Who gets change ch: one viewer per connection with a live, interested sub. */
static struct delivery *
targets(const struct change *ch)
{
	struct delivery *d = xcalloc(1, sizeof *d);
	struct conn *c;
	struct sub *s;
	int want, full, gone, list_gone;
	unsigned mask, nsub;
	uint64_t ids[VIEWER_SUBS] = { 0 };
	int64_t pres, followed;

	d->seq = ch->seq;
	TAILQ_FOREACH(c, &srv.conns, entry) {
		if (c->state != CONN_READY || c->session == NULL)
			continue;
		want = full = gone = list_gone = 0;
		mask = nsub = 0;
		pres = followed = 0;
		for (s = c->session->subs; s != NULL; s = s->next) {
			if (!s->live || ch->seq <= s->seq)
				continue;
			if (sub_wants(s, ch)) {
				want = 1;
				if (nsub < VIEWER_SUBS)
					ids[nsub] = s->id;
				if (nsub <= VIEWER_SUBS)
					nsub++;
				/*
				 * One event per session: the whole one if
				 * any meeting or org-actions subscription
				 * wants it (gone then for the org list only),
				 * else the list topics' records.
				 */
				if (sub_list_mask(s) != 0) {
					mask |= sub_list_mask(s);
					list_gone |= change_gone(s, ch);
				} else {
					full = 1;
					gone |= change_gone(s, ch);
				}
				if (s->presentation)
					pres = s->meeting_id;
				if (s->meeting_id != 0)
					followed = s->meeting_id;
			}
			s->seq = ch->seq;
		}
		if (!want)
			continue;
		d->v = xreallocarray(d->v, d->n + 1, sizeof *d->v);
		d->v[d->n].c = c;
		d->v[d->n].user_id = c->session->user_id;
		d->v[d->n].presentation_meeting = pres;
		d->v[d->n].meeting_id = followed;
		d->v[d->n].gone = full ? gone : list_gone;
		d->v[d->n].list_mask = full ? 0 : mask;
		memcpy(d->v[d->n].subs, ids, sizeof ids);
		d->v[d->n].n_subs = nsub;
		conn_ref(c);
		d->n++;
	}
	return d;
}

void
deliver_pump(void)
{
	struct delivery *d;
	struct change *next;
	size_t i;

	while (n_flight - n_answered < deliver_limit() &&
	    n_flight < deliver_held_limit()) {
		/* The oldest change not yet handed to delivery. */
		i = ring_search(push.dispatched_seq + 1);
		if (i == push.count)
			return;
		next = ring_at(i);
		push.dispatched_seq = next->seq;
		d = targets(next);
		if (d->n == 0) {
			delivery_free(d);
			continue;
		}
		TAILQ_INSERT_TAIL(&flight, d, entry);
		n_flight++;
		d->handed_us = mono_us();
		deliver_send(d);
	}
}

/* Replays (s->seq, dispatched_seq] for s; goes live when nothing is left. */
static void catch_up_round(struct sub *s);
static void catch_up_send(struct catch_up *cu);

static void
catch_up_free(struct catch_up *cu)
{
	if (cu->pace != NULL)
		event_free(cu->pace);
	PQclear(cu->res);
	free(cu);
}

static void
catch_up_pace_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	catch_up_send(arg);
}

/* Sends the round's events while the socket has room; then the next round. */
static void
catch_up_send(struct catch_up *cu)
{
	struct sub *s = cu->s;
	int n = PQntuples(cu->res);
	struct timeval tv = { 0, CATCH_UP_PACE_MS * 1000 };
	size_t queued;

	for (; cu->row < n; cu->row++) {
		uint64_t seq;
		struct change *ch;

		queued = conn_queued(s->c);
		if (queued > (size_t)srv.cfg.outbuf_limit / 2) {
			if (queued < cu->queued) {
				cu->queued = queued;
				cu->shrunk_us = mono_us();
			} else if (mono_us() - cu->shrunk_us >
			    CATCH_UP_STALL_MS * 1000LL) {
				log_warn("conn %llu (%s): %zu bytes queued, "
				    "client is not reading; disconnecting",
				    (unsigned long long)s->c->id, s->c->addr,
				    queued);
				/* its release frees s, and cu with it */
				conn_drop(s->c);
				return;
			}
			if (cu->pace == NULL &&
			    (cu->pace = evtimer_new(srv.base, catch_up_pace_cb,
			    cu)) == NULL)
				fatal("evtimer_new");
			evtimer_add(cu->pace, &tv);
			return;
		}
		/*
		 * The client read enough for more: a wait, if there was one,
		 * is over.  The next one is timed afresh, from its own start:
		 * a client that keeps reading, however slowly, is never
		 * compared with the least queue of an earlier wait (its queue
		 * refills to about the same size each time, and was dropped
		 * CATCH_UP_STALL_MS into the round as "not reading").
		 */
		cu->queued = SIZE_MAX;
		seq = strtoull(PQgetvalue(cu->res, cu->row, 0), NULL, 10);
		if ((ch = ring_find(seq)) == NULL ||
		    PQgetisnull(cu->res, cu->row, 1))
			continue;
		send_event_json(s->c, ch, PQgetvalue(cu->res, cu->row, 1),
		    change_gone(s, ch), sub_list_mask(s));
		if (s->c->state != CONN_READY)
			break;
	}
	s->catch_up = NULL;
	s->seq = cu->upto;
	catch_up_free(cu);
	/*
	 * An event may have dropped the connection (it failed meanwhile):
	 * its release (from the loop) frees s; stop here.
	 */
	if (s->c->state != CONN_READY)
		return;
	catch_up_round(s);
}

static void
catch_up_done(void *arg, struct db_result *r)
{
	struct catch_up *cu = arg;
	struct sub *s = cu->s;

	if (s == NULL) {
		catch_up_free(cu);
		return;
	}
	if (r->code != 0) {
		s->catch_up = NULL;
		log_warn("push: catching up conn %llu failed: %s; asking for a "
		    "fresh subscription", (unsigned long long)s->c->id,
		    db_result_why(r));
		/* Tell the client to start over rather than leave a gap. */
		conn_send_resync(s->c);
		catch_up_free(cu);
		return;
	}
	cu->res = r->res;
	r->res = NULL;		/* kept while sending; PQclear'd then */
	catch_up_send(cu);
}

static void
catch_up_round(struct sub *s)
{
	struct catch_up *cu;
	char uid[32], pres[32];
	const char *params[3] = { uid, pres, NULL };
	struct db_ids seqs = DB_IDS_INIT;
	size_t i;
	uint64_t upto = push.dispatched_seq;

	for (i = ring_search(s->seq + 1); i < push.count; i++) {
		struct change *ch = ring_at(i);

		if (ch->seq > push.dispatched_seq)
			break;		/* not dispatched yet: delivery sends it */
		if (!sub_wants(s, ch))
			continue;
		if (seqs.n == CATCH_UP_ROUND) {
			upto = ch->seq - 1;	/* the next round from here */
			break;
		}
		db_ids_add(&seqs, (int64_t)ch->seq);
	}
	if (seqs.n == 0) {
		/* Nothing missed; what it skipped it does not want. */
		if (s->seq < push.dispatched_seq)
			s->seq = push.dispatched_seq;
		s->live = 1;
		return;
	}
	cu = xcalloc(1, sizeof *cu);
	cu->s = s;
	cu->upto = upto;
	cu->queued = SIZE_MAX;
	s->catch_up = cu;
	snprintf(uid, sizeof uid, "%lld", (long long)s->c->session->user_id);
	snprintf(pres, sizeof pres, "%lld", s->presentation ?
	    (long long)s->meeting_id : 0LL);
	params[2] = db_ids_text(&seqs);
	db_call("SELECT seq, event FROM tafel_events_for_viewer($1::bigint, "
	    "$2::bigint, $3::bigint[])", 3, params, catch_up_done, cu);
	db_ids_free(&seqs);
}

void
deliver_catch_up(struct sub *s)
{
	s->live = 0;
	catch_up_round(s);
}

void
deliver_forget(struct sub *s)
{
	struct catch_up *cu = s->catch_up;

	if (cu == NULL)
		return;
	s->catch_up = NULL;
	if (cu->res != NULL)
		catch_up_free(cu);	/* sending: its timer goes with it */
	else
		cu->s = NULL;		/* its query frees it */
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The p-th percentile (0..100) of n sorted values, nearest rank. */
static int64_t
percentile(const int64_t *v, size_t n, unsigned p)
{
	size_t k = (n * p + 99) / 100;

	return v[k == 0 ? 0 : k - 1];
}

static void join_timing(struct push_timing *t);

/* Sorts the n values of v and gives their p50 and p99. */
static void
p50_p99(int64_t *v, size_t n, int64_t *p50, int64_t *p99)
{
	qsort(v, n, sizeof *v, cmp_i64);
	*p50 = percentile(v, n, 50);
	*p99 = percentile(v, n, 99);
}

void
deliver_get_timing(struct push_timing *t)
{
	int64_t render[DELIVER_SAMPLES], sent[DELIVER_SAMPLES];
	size_t n = n_samples < DELIVER_SAMPLES ? n_samples : DELIVER_SAMPLES;
	size_t i, viewers = 0;

	memset(t, 0, sizeof *t);
	join_timing(t);
	t->changes = n;
	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		render[i] = samples[i].render_us;
		sent[i] = samples[i].sent_us;
		viewers += samples[i].viewers;
		if (samples[i].sent_us > t->sent_max_us)
			t->sent_max_us = samples[i].sent_us;
	}
	p50_p99(render, n, &t->render_p50_us, &t->render_p99_us);
	p50_p99(sent, n, &t->sent_p50_us, &t->sent_p99_us);
	t->viewers_avg = (double)viewers / (double)n;
	t->in_flight = n_flight;
}

void
deliver_note_join(int64_t db_us, int64_t answered_us)
{
	joins[n_joins % DELIVER_SAMPLES] = (struct join_sample){ db_us,
	    answered_us };
	n_joins++;
}

/* The join half of push_timing (deliver_get_timing). */
static void
join_timing(struct push_timing *t)
{
	int64_t db[DELIVER_SAMPLES], ans[DELIVER_SAMPLES];
	size_t n = n_joins < DELIVER_SAMPLES ? n_joins : DELIVER_SAMPLES;
	size_t i;

	t->joins = n;
	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		db[i] = joins[i].db_us;
		ans[i] = joins[i].answered_us;
		if (ans[i] > t->join_max_us)
			t->join_max_us = ans[i];
	}
	p50_p99(db, n, &t->join_db_p50_us, &t->join_db_p99_us);
	p50_p99(ans, n, &t->join_p50_us, &t->join_p99_us);
}

void
deliver_start(void)
{
	deliver_retry = evtimer_new(srv.base, deliver_retry_cb, NULL);
}

void
deliver_free(void)
{
	struct delivery *d;

	/*
	 * Only at exit, after the pool failed its queries: whatever is left
	 * waits for a retry or holds an answer no one will send.
	 */
	while ((d = TAILQ_FIRST(&flight)) != NULL) {
		TAILQ_REMOVE(&flight, d, entry);
		n_flight--;
		if (d->res != NULL)
			n_answered--;
		delivery_free(d);
	}
	if (deliver_retry != NULL) {
		event_free(deliver_retry);
		deliver_retry = NULL;
	}
}
