/* Live push: subscriptions, the change-log tail read via LISTEN/NOTIFY, fan-out and resume. */
#include "push.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compat.h"

#include <event2/event.h>
#include <json-c/json.h>

#include "auth.h"
#include "conn.h"
#include "envelope.h"
#include "db.h"
#include "log.h"
#include "pbjson.h"
#include "privacy.h"
#include "proto.h"
#include "request.h"
#include "revoke.h"
#include "server.h"
#include "session.h"
#include "snapcache.h"
#include "xmalloc.h"
#include "push-int.h"

#define PUSH_CHANNEL "tafel_changes"
#define PUSH_FETCH_ROWS 500
/* How long a resume waits for a starting process to read its window. */
#define PUSH_LOAD_WAIT_S 5

struct push push;

static void push_fetch(void);
static void release_waiting(void);

/*
 * Resumes asked for while this process is still reading its window (just
 * after a start, when every client reconnects at once): they wait for it
 * (at most PUSH_LOAD_WAIT_S) instead of all getting a snapshot.
 */
static struct sub_setup *waiting;
static struct event *waiting_timer;

/* Re-reads the change log in a second (after a failed read). */
static void
push_retry_later(void)
{
	struct timeval tv = { 1, 0 };

	evtimer_add(push.retry, &tv);
}

uint64_t
push_last_seq(void)
{
	return push.last_seq;
}

struct change *
ring_at(size_t i)
{
	return &push.ring[(push.head + i) % push.cap];
}

/*
 * Position of the oldest ring change with a sequence number >= seq
 * (push.count if there is none).  The ring holds strictly increasing
 * sequence numbers (fetch_done drops rows at or below last_seq and
 * push_change appends at the tail), so a binary search finds it: delivery
 * and catch-up look changes up for every change and every replayed row, and
 * the ring holds up to resume_window (10 000) of them.
 */
size_t
ring_search(uint64_t seq)
{
	size_t lo = 0, hi = push.count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ring_at(mid)->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
change_clear(struct change *ch)
{
	if (ch->event != NULL)
		protobuf_c_message_free_unpacked(&ch->event->base, NULL);
	free(ch->org_ids);
	memset(ch, 0, sizeof *ch);
}

/* Oldest sequence number a client can resume after (exclusive). */
static uint64_t
ring_floor(void)
{
	if (push.count == 0)
		return push.last_seq;
	return ring_at(0)->seq - 1;
}

static int
has_id(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static void
sub_add_case(struct sub *s, int64_t case_id)
{
	if (case_id == 0 || has_id(s->case_ids, s->n_case_ids, case_id))
		return;
	s->case_ids = xreallocarray(s->case_ids, s->n_case_ids + 1,
	    sizeof *s->case_ids);
	s->case_ids[s->n_case_ids++] = case_id;
}

static void
sub_remove_case(struct sub *s, int64_t case_id)
{
	size_t i;

	for (i = 0; i < s->n_case_ids; i++) {
		if (s->case_ids[i] == case_id) {
			s->case_ids[i] = s->case_ids[--s->n_case_ids];
			return;
		}
	}
}

/*
 * TOPIC_CASES (20) is an alias of TOPIC_CASE_LIST (3), kept for clients
 * of before the merge: one subscription carries the case list and every
 * case-level change (docs/protocol.md 8.1).
 */
static Tafel__SubscribeTopic
topic_canonical(Tafel__SubscribeTopic topic)
{
	return topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASES ?
	    TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST : topic;
}

int
topic_is_list(Tafel__SubscribeTopic topic)
{
	return topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST ||
	    topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST ||
	    topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS;
}

unsigned
sub_list_mask(const struct sub *s)
{
	switch (s->topic) {
	case TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST:
		return LIST_MEETING;
	case TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST:
		return LIST_CASE;
	case TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS:
		return LIST_NOMINATION;
	default:
		return 0;
	}
}

/*
 * Does this change concern sub?  Also tracks the agenda's case set.  A list
 * topic wants every change that carries its kind of record; the database
 * then leaves out what the viewer may not see.
 */
int
sub_wants(struct sub *s, const struct change *ch)
{
	const Tafel__Event *ev = ch->event;
	size_t i;

	/*
	 * An inbox entry goes to the inbox topic only (routed to the recipient
	 * and the sender's organisation; the database keeps it to them).
	 */
	if (ev->inbox_entry != NULL)
		return s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX &&
		    has_id(ch->org_ids, ch->n_org_ids, s->c->session->org_id);
	if (s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX)
		return 0;
	switch (sub_list_mask(s)) {
	case LIST_MEETING:
		return ev->meeting != NULL;
	case LIST_CASE:
		/* every case-level change: the case record, its persons,
		 * contributions, goals, links, rounds and actions */
		return ch->case_id != 0 || ev->case_ != NULL;
	case LIST_NOMINATION:
		return ev->nomination != NULL;
	default:
		break;
	}
	/* The org's work list: its action points, the info rounds that ask
	 * it, and the agendas published to it (docs/protocol.md 7.10, 7.11). */
	if (s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS)
		return (ch->event->action_point != NULL ||
		    ch->event->info_round != NULL ||
		    ch->event->agenda_published != NULL) &&
		    has_id(ch->org_ids, ch->n_org_ids, s->c->session->org_id);
	if (ch->meeting_id == s->meeting_id) {
		for (i = 0; i < ev->n_agenda_items; i++) {
			if (ev->agenda_items[i]->meeting_id != s->meeting_id)
				continue;
			if (ev->agenda_items[i]->removed)
				sub_remove_case(s, ev->agenda_items[i]->case_id);
			else
				sub_add_case(s, ev->agenda_items[i]->case_id);
		}
		return 1;
	}
	/*
	 * An action point agreed at an earlier meeting of the series: the
	 * standing item "openstaande afspraken" (docs/protocol.md 8.1).
	 */
	if (ev->action_point != NULL && has_id(s->earlier_ids,
	    s->n_earlier_ids, ev->action_point->meeting_id))
		return 1;
	for (i = 0; i < ev->n_actions; i++)
		if (has_id(s->earlier_ids, s->n_earlier_ids,
		    ev->actions[i]->meeting_id))
			return 1;
	/*
	 * A change to a case on our agenda, whether case-level or in another
	 * meeting (e.g. an action agreed elsewhere on our case).
	 */
	return ch->case_id != 0 &&
	    has_id(s->case_ids, s->n_case_ids, ch->case_id);
}

/*
 * For an organisation's action list: the action point left it (moved to
 * another owner organisation), so the client should drop it.  For a case
 * list without closed cases: the case closed; for the nominations without
 * decided ones: the nomination was decided.
 */
int
change_gone(const struct sub *s, const struct change *ch)
{
	const Tafel__Event *ev = ch->event;

	if (s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST)
		return !s->include_closed && ev->case_ != NULL &&
		    ev->case_->status == TAFEL__CASE_STATUS__CASE_CLOSED;
	if (s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS)
		return !s->include_closed && ev->nomination != NULL &&
		    ev->nomination->state !=
		    TAFEL__NOMINATION_STATE__NOMINATION_PENDING;
	return s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS &&
	    ch->event->action_point != NULL &&
	    ch->event->action_point->owner_org_id != s->c->session->org_id;
}

static void parse_id_array(const char *s, int64_t **out, size_t *n);

/*
 * The standing item of a meeting holds the open action points of the
 * series' earlier meetings (sub.earlier_ids; tafel_series_earlier_meetings:
 * by when they were held, else planned).  Which meetings are earlier
 * changes when another meeting of the series opens while this one is
 * still planned, or a planned one is moved or cancelled: the set is then
 * read again for each meeting followed, and a subscription whose set
 * changed gets a resync, so that its client takes a snapshot with the
 * standing item as it is now (and the new earlier meeting's action points
 * reach it from then on).  An opened meeting's place never changes again,
 * so the changes of open meetings (an item made current, attendance) cost
 * nothing here.
 */

/* Sets s's earlier meetings to a copy of ids[n]. */
static void
sub_set_earlier(struct sub *s, const int64_t *ids, size_t n)
{
	free(s->earlier_ids);
	s->earlier_ids = n == 0 ? NULL : xreallocarray(NULL, n, sizeof *ids);
	if (n > 0)
		memcpy(s->earlier_ids, ids, n * sizeof *ids);
	s->n_earlier_ids = n;
}

/* The set of the followed meeting *arg (allocated) read again. */
static void
earlier_done(void *arg, struct db_result *r)
{
	int64_t meeting_id = *(int64_t *)arg, *ids;
	struct sub *s;
	size_t n;

	free(arg);
	if (r->code != 0 || r->res == NULL || PQntuples(r->res) != 1) {
		log_warn("push: cannot read the earlier meetings of meeting "
		    "%lld: %s", (long long)meeting_id, r->message);
		return;
	}
	parse_id_array(PQgetvalue(r->res, 0, 0), &ids, &n);
	TAILQ_FOREACH(s, &push.subs, entry) {
		if (s->topic != TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING ||
		    s->meeting_id != meeting_id || s->setup != NULL ||
		    (s->n_earlier_ids == n && (n == 0 || memcmp(s->earlier_ids,
		    ids, n * sizeof *ids) == 0)))
			continue;
		sub_set_earlier(s, ids, n);
		conn_send_resync(s->c);
	}
	free(ids);
}

static void
earlier_refresh(int64_t meeting_id)
{
	int64_t *arg = xmalloc(sizeof *arg);
	char mid[32];
	const char *params[1] = { mid };

	*arg = meeting_id;
	snprintf(mid, sizeof mid, "%lld", (long long)meeting_id);
	db_call_background("SELECT tafel_series_earlier_meetings($1::bigint)",
	    1, params, earlier_done, arg);
}

/*
 * Whether meeting m, as a change left it, may have moved among the
 * meetings of s's series so that s's earlier meetings are to be read
 * again; a change of s's own meeting only notes whether it was opened.
 */
static int
series_moved(struct sub *s, const Tafel__Meeting *m)
{
	if (s->meeting_id == m->id) {
		s->opened |= m->state == TAFEL__MEETING_STATE__MEETING_OPEN ||
		    m->state == TAFEL__MEETING_STATE__MEETING_CLOSED;
		return 0;
	}
	if (s->series_id == 0 || s->series_id != m->series_id ||
	    m->state == TAFEL__MEETING_STATE__MEETING_CLOSED)
		return 0;
	/* opened: already earlier, or after this one was */
	return m->state != TAFEL__MEETING_STATE__MEETING_OPEN ||
	    (!s->opened && !has_id(s->earlier_ids, s->n_earlier_ids, m->id));
}

static void
series_watch(const struct change *ch)
{
	const Tafel__Meeting *m = ch->event != NULL ? ch->event->meeting : NULL;
	int64_t asked[16];
	size_t n_asked = 0, k;
	struct sub *s;

	if (m == NULL || m->id == 0)
		return;
	TAILQ_FOREACH(s, &push.subs, entry) {
		if (s->topic != TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING ||
		    s->setup != NULL || !series_moved(s, m))
			continue;
		for (k = 0; k < n_asked && asked[k] != s->meeting_id; k++)
			;
		if (k < n_asked)
			continue;
		if (n_asked < sizeof asked / sizeof asked[0])
			asked[n_asked++] = s->meeting_id;
		earlier_refresh(s->meeting_id);
	}
}

/*
 * A subscription being set up is not watched: its earlier meetings come
 * with its snapshot or resume check, read as of seq `from`.  The changes
 * the ring got after that, while it was set up, are looked at here, once
 * it has its set.
 */
static void
series_since(struct sub *s, uint64_t from)
{
	const Tafel__Meeting *m;
	size_t i;
	int moved = 0;

	if (s->topic != TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING)
		return;
	for (i = ring_search(from + 1); i < push.count; i++) {
		m = ring_at(i)->event != NULL ? ring_at(i)->event->meeting : NULL;
		if (m != NULL && m->id != 0)
			moved |= series_moved(s, m);
	}
	if (moved)
		earlier_refresh(s->meeting_id);
}

/* Appends a row to the ring (evicting the oldest) and fans it out. */
static void
push_change(struct change *ch)
{
	if (push.count == push.cap) {
		change_clear(ring_at(0));
		push.head = (push.head + 1) % push.cap;
		push.count--;
	}
	*ring_at(push.count++) = *ch;
	push.last_seq = ch->seq;
	series_watch(ring_at(push.count - 1));
	deliver_pump();
}

/* Parses "{1,2,3}" (a bigint[] as text). */
static void
parse_id_array(const char *s, int64_t **out, size_t *n)
{
	char *end;
	long long v;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return;
	while (*s != '\0') {
		if (*s == '{' || *s == ',' || *s == '}' || *s == ' ') {
			s++;
			continue;
		}
		v = strtoll(s, &end, 10);
		if (end == s)
			return;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = v;
		s = end;
	}
}

static int64_t
col_int(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 :
	    strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/*
 * A change-log row (the columns of tafel_changes_since) as a ring change;
 * org_ids are set by the caller.
 */
static void
change_fill(struct change *ch, uint64_t seq, int64_t at, int64_t actor_id,
    const char *actor_name, int64_t meeting_id, int64_t case_id,
    const char *payload)
{
	char err[256];

	memset(ch, 0, sizeof *ch);
	ch->seq = seq;
	ch->event = (Tafel__Event *)pbjson_parse(&tafel__event__descriptor,
	    payload, strlen(payload), err, sizeof err);
	if (ch->event == NULL) {
		log_error("push: change %" PRIu64 " unreadable: %s", seq, err);
		ch->event = malloc(sizeof *ch->event);
		if (ch->event == NULL)
			fatal("malloc");
		tafel__event__init(ch->event);
	}
	ch->event->seq = seq;
	ch->event->at = at;
	ch->event->by_user_id = actor_id;
	pb_string_set(&ch->event->by_user_name, actor_name);
	ch->meeting_id = meeting_id;
	ch->case_id = case_id;
}

/* Reads one batch of change-log rows after last_seq. */
static void
fetch_done(void *arg, struct db_result *r)
{
	int i, n;
	struct change ch;
	uint64_t seq;

	(void)arg;
	push.fetching = 0;
	if (r->code != 0) {
		log_warn("push: reading the change log failed: %s; retrying",
		    db_result_why(r));
		push_retry_later();
		return;
	}
	n = PQntuples(r->res);
	for (i = 0; i < n; i++) {
		seq = (uint64_t)col_int(r->res, i, 0);
		if (seq <= push.last_seq)
			continue;	/* read already (or delivered locally) */
		change_fill(&ch, seq, col_int(r->res, i, 1),
		    col_int(r->res, i, 2), PQgetisnull(r->res, i, 3) ? "" :
		    PQgetvalue(r->res, i, 3), col_int(r->res, i, 4),
		    col_int(r->res, i, 5), PQgetvalue(r->res, i, 7));
		parse_id_array(PQgetvalue(r->res, i, 6), &ch.org_ids,
		    &ch.n_org_ids);
		push_change(&ch);
	}
	if (!push.loaded && n < PUSH_FETCH_ROWS) {
		push.loaded = 1;
		log_info("push: following the change log from sequence %"
		    PRIu64, push.last_seq);
		release_waiting();
	}
	if (n >= PUSH_FETCH_ROWS || push.again) {
		push.again = 0;
		push_fetch();
	}
}

static int64_t
jint(struct json_object *a, size_t i)
{
	return json_object_get_int64(json_object_array_get_idx(a, i));
}

/*
 * The changes a write committed on this node, from its own answer
 * (tafel_write_routed): appended to the ring and delivered at once when
 * they follow the newest change read, with nothing missing before them.
 * Otherwise (an earlier change from elsewhere not read yet, the window not
 * loaded) the notification's read brings them, in order.  Either way a seq
 * enters the ring once: both paths skip what is <= last_seq.
 */
static void
push_local_changes(const char *json)
{
	struct json_object *arr, *row, *ids, *payload;
	struct change ch;
	uint64_t seq;
	size_t i, n, k;

	if (json == NULL || !push.loaded || push.ring == NULL)
		return;
	if ((arr = json_tokener_parse(json)) == NULL)
		return;
	if (!json_object_is_type(arr, json_type_array))
		goto out;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		row = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(row, json_type_array) ||
		    json_object_array_length(row) != 8)
			break;
		seq = (uint64_t)jint(row, 0);
		if (seq <= push.last_seq)
			continue;	/* the notification's read was first */
		if (seq != push.last_seq + 1)
			break;		/* a gap: the read fills it, in order */
		payload = json_object_array_get_idx(row, 7);
		change_fill(&ch, seq, jint(row, 1), jint(row, 2),
		    json_object_get_string(json_object_array_get_idx(row, 3)),
		    jint(row, 4), jint(row, 5), json_object_to_json_string_ext(
		    payload, JSON_C_TO_STRING_PLAIN));
		ids = json_object_array_get_idx(row, 6);
		if (json_object_is_type(ids, json_type_array) &&
		    (k = json_object_array_length(ids)) > 0) {
			ch.org_ids = xreallocarray(NULL, k, sizeof *ch.org_ids);
			for (ch.n_org_ids = 0; ch.n_org_ids < k; ch.n_org_ids++)
				ch.org_ids[ch.n_org_ids] = jint(ids,
				    ch.n_org_ids);
		}
		push.local++;
		push_change(&ch);
	}
out:
	json_object_put(arr);
}

static void
push_fetch(void)
{
	char after[32], rows[16];
	const char *params[2] = { after, rows };

	if (push.fetching) {
		push.again = 1;
		return;
	}
	push.fetching = 1;
	snprintf(after, sizeof after, "%" PRIu64, push.last_seq);
	snprintf(rows, sizeof rows, "%d", PUSH_FETCH_ROWS);
	db_call("SELECT seq, at, actor_id, actor_name, meeting_id, case_id, "
	    "org_ids, payload FROM tafel_changes_since($1::bigint, $2::int)", 2,
	    params, fetch_done, NULL);
}

/* Start-up: begin reading the tail so the ring holds the resume window. */
static void
start_done(void *arg, struct db_result *r)
{
	int64_t max;

	(void)arg;
	push.fetching = 0;
	if (r->code != 0) {
		log_warn("push: cannot read the change log: %s; retrying",
		    r->message);
		push_retry_later();
		return;
	}
	max = col_int(r->res, 0, 0);
	push.last_seq = max > (int64_t)push.cap ? (uint64_t)max - push.cap : 0;
	push_fetch();
}


static void
on_notify(const char *payload)
{
	char *end;
	unsigned long long seq;

	if (revoke_notice(payload))	/* an account's sessions end */
		return;
	if (auth_unlock_notice(payload))	/* a login's slow-down ends */
		return;
	seq = strtoull(payload, &end, 10);
	/*
	 * The payload is the change's seq; the row is read from the table, in
	 * order.  A change this node already has (delivered from its own
	 * write's answer) needs no read.
	 */
	if (push.loaded && end != payload && *end == '\0' &&
	    seq <= push.last_seq)
		return;
	if (push.last_seq != 0 || push.loaded)
		push_fetch();
}

static void on_listen_ready(void);

static void
retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	on_listen_ready();
}

/* The listener is (re)connected: catch up on everything we missed. */
static void
on_listen_ready(void)
{
	if (push.fetching)
		return;
	if (!push.loaded && push.last_seq == 0) {
		push.fetching = 1;
		db_call("SELECT tafel_last_seq()", 0, NULL,
		    start_done, NULL);
		return;
	}
	push_fetch();
}

/* The listener (re)connected: the notices it missed meanwhile, then the
 * changes. */
static void
listener_ready(void)
{
	revoke_sweep();
	on_listen_ready();
}

static void
waiting_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (waiting != NULL)
		log_warn("push: the change log is not read yet after %d s; "
		    "answering the waiting resumes with snapshots",
		    PUSH_LOAD_WAIT_S);
	release_waiting();
}

void
push_start(void)
{
	push.cap = (size_t)srv.cfg.resume_window;
	push.ring = xcalloc(push.cap, sizeof *push.ring);
	TAILQ_INIT(&push.subs);
	push.retry = evtimer_new(srv.base, retry_cb, NULL);
	session_set_end_hook(push_unsubscribe_all);
	request_set_changes_hook(push_local_changes);
	waiting_timer = evtimer_new(srv.base, waiting_timer_cb, NULL);
	deliver_start();
	db_listen(PUSH_CHANNEL, on_notify, listener_ready);
}

void
push_stop(void)
{
	if (push.retry != NULL)
		evtimer_del(push.retry);
	if (waiting_timer != NULL)
		release_waiting();	/* snapshots that fail: shutting down */
}

void
push_free(void)
{
	size_t i;

	for (i = 0; i < push.count; i++)
		change_clear(ring_at(i));
	free(push.ring);
	push.ring = NULL;
	push.count = 0;
	if (push.retry != NULL) {
		event_free(push.retry);
		push.retry = NULL;
	}
	if (waiting_timer != NULL) {
		event_free(waiting_timer);
		waiting_timer = NULL;
	}
	snapcache_clear();
	deliver_free();
}

static void
sub_free(struct sub *s)
{
	if (s->setup != NULL)
		s->setup->s = NULL;	/* its snapshot answer finds it gone */
	deliver_forget(s);
	TAILQ_REMOVE(&push.subs, s, entry);
	free(s->case_ids);
	free(s->earlier_ids);
	free(s);
}

/* Unlinks and frees the session's subscription matching topic/meeting. */
static int
sub_drop(struct conn *c, Tafel__SubscribeTopic topic, int64_t meeting_id)
{
	struct sub **pp, *s;

	if (c->session == NULL)
		return 0;
	for (pp = &c->session->subs; (s = *pp) != NULL; pp = &s->next) {
		if (s->topic == topic && (topic != TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING ||
		    s->meeting_id == meeting_id)) {
			*pp = s->next;
			sub_free(s);
			return 1;
		}
	}
	return 0;
}

void
push_unsubscribe_all(struct conn *c)
{
	struct sub *s;

	if (c->session == NULL)
		return;
	while ((s = c->session->subs) != NULL) {
		c->session->subs = s->next;
		sub_free(s);
	}
}



/*
 * Can the ring serve a resume from this point now?  Only a point this
 * process has read (<= last_seq) whose every later change is still in the
 * ring; anything else gets a snapshot.
 */
static int
ring_can_resume(uint64_t from)
{
	return from > 0 && push.loaded && from >= ring_floor() &&
	    from <= push.last_seq;
}

/*
 * Frees a finished setup and its request.  A subscription still pointing
 * at it forgets it: the request can be gone (the connection is closing, a
 * client that did not read) while the session, and so the subscription,
 * is freed only later, from the loop.
 */
static void
setup_release(struct sub_setup *st)
{
	if (st->s != NULL && st->s->setup == st)
		st->s->setup = NULL;
	snapcache_unref(st->cached);
	req_free(st->r);
	free(st);
}

/*
 * Answers resumed: true at st->resume_from and replays the missed changes
 * from the ring.  Also frees st and its request.
 */
static void
answer_resumed(struct sub_setup *st, struct sub *s)
{
	Tafel__SubscribeResponse resp = TAFEL__SUBSCRIBE_RESPONSE__INIT;
	size_t i, k;

	resp.seq = st->resume_from;
	resp.resumed = 1;
	s->seq = st->resume_from;
	/* Cases that left the agenda since then still matter. */
	for (i = ring_search(s->seq + 1); i < push.count; i++) {
		struct change *ch = ring_at(i);

		if (ch->meeting_id != s->meeting_id)
			continue;
		for (k = 0; k < ch->event->n_agenda_items; k++)
			sub_add_case(s, ch->event->agenda_items[k]->case_id);
	}
	req_reply_message(st->r, TAFEL__ENVELOPE__BODY_SUBSCRIBED, &resp.base);
	if (st->s != NULL) {
		s->setup = NULL;
		/* An answer over the output limit drops the connection. */
		if (!req_gone(st->r))
			deliver_catch_up(s);
	}
	setup_release(st);
}

static void subscribe_done(void *arg, struct db_result *res);
static void resume_check_done(void *arg, struct db_result *res);

/*
 * A meeting's snapshot through the cache of snapshots per class of
 * viewers (snapcache.h): the candidate kept for sessions like this one
 * goes along, and the database answers hit (send the kept one) or renders
 * (tafel_snapshot_cached).  Never for the shared screen.
 */
static void
sub_snapshot_meeting(struct sub_setup *st, const char **params)
{
	struct sub *s = st->s;
	const struct session *ss = s->c->session;

	snapcache_unref(st->cached);
	st->cached = s->presentation || !srv.cfg.join_cache ? NULL :
	    snapcache_find(s->meeting_id, ss->org_id, ss->roles,
	    push.last_seq);
	params[3] = st->cached ? snapcache_key(st->cached) : NULL;
	params[4] = st->cached ? snapcache_snap(st->cached) : NULL;
	params[5] = st->cached ? snapcache_at(st->cached) : NULL;
	params[6] = st->cached ? snapcache_entries(st->cached) : NULL;
	db_call_read(s->c, "SELECT body, hit, key, snap, at, entries "
	    "FROM tafel_snapshot_cached($1::bigint, $2::bigint, $3::boolean, "
	    "$4, $5, $6::timestamptz, $7::jsonb)", 7, params, subscribe_done,
	    st);
}

/* Runs the snapshot query for a new subscription (st->s). */
static void
sub_snapshot(struct sub_setup *st)
{
	struct sub *s = st->s;
	char uid[32], mid[32];
	const char *params[7] = { uid, mid, s->presentation ? "true" : "false" };

	snprintf(uid, sizeof uid, "%lld", (long long)s->c->session->user_id);
	snprintf(mid, sizeof mid, "%lld", (long long)s->meeting_id);
	/* the client's own turn in the pool (db_call_read: a read) */
	if (s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING)
		sub_snapshot_meeting(st, params);
	else if (s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX)
		db_call_read(s->c, "SELECT tafel_inbox_snapshot($1::bigint)",
		    1, params, subscribe_done, st);
	else if (topic_is_list(s->topic)) {
		snprintf(mid, sizeof mid, "%d", (int)s->topic);
		params[2] = s->include_closed ? "true" : "false";
		db_call_read(s->c, "SELECT tafel_list_snapshot($1::bigint, "
		    "$2::int, $3::boolean)", 3, params, subscribe_done, st);
	} else
		db_call_read(s->c, "SELECT tafel_org_actions($1::bigint, "
		    "false)", 1, params, subscribe_done, st);
}

/* A resume the ring can serve gets only the access check, else a snapshot. */
static void
sub_setup_go(struct sub_setup *st)
{
	struct sub *s = st->s;
	char uid[32], mid[32];
	const char *params[3] = { uid, mid, s->presentation ? "true" : "false" };

	if (!ring_can_resume(st->resume_from)) {
		sub_snapshot(st);
		return;
	}
	snprintf(uid, sizeof uid, "%lld", (long long)s->c->session->user_id);
	snprintf(mid, sizeof mid, "%lld", (long long)s->meeting_id);
	db_call("SELECT seq, case_ids, tafel_series_earlier_meetings("
	    "$2::bigint), series_id, opened FROM tafel_resume_check("
	    "$1::bigint, $2::bigint, $3::boolean)", 3, params,
	    resume_check_done, st);
}

/*
 * The access check of a resume the ring can serve: no snapshot is built,
 * read or audited (tafel_resume_check).
 */
static void
resume_check_done(void *arg, struct db_result *res)
{
	struct sub_setup *st = arg;
	struct req *r = st->r;
	struct sub *s = st->s;
	int64_t *ids;
	size_t n, i;

	if (req_gone(r))
		goto out;
	if (s == NULL) {
		req_error(r, TAFEL__ERROR_CODE__NOT_FOUND,
		    "the subscription was cancelled before it was ready", NULL);
		goto out;
	}
	if (res->code != 0) {
		req_db_error(r, res);
		sub_drop(r->c, s->topic, s->meeting_id);	/* clears st->s */
		goto out;
	}
	if (!ring_can_resume(st->resume_from)) {
		/* The window moved past it meanwhile: a snapshot after all. */
		sub_snapshot(st);
		return;
	}
	parse_id_array(PQgetvalue(res->res, 0, 1), &ids, &n);
	for (i = 0; i < n; i++)
		sub_add_case(s, ids[i]);
	free(ids);
	free(s->earlier_ids);
	parse_id_array(PQgetvalue(res->res, 0, 2), &s->earlier_ids,
	    &s->n_earlier_ids);
	s->series_id = col_int(res->res, 0, 3);
	s->opened = strcmp(PQgetvalue(res->res, 0, 4), "t") == 0;
	series_since(s, (uint64_t)col_int(res->res, 0, 0));
	answer_resumed(st, s);
	return;
out:
	setup_release(st);
}

/*
 * The answer to a subscribe: one frame, or, when it is larger than one
 * frame may be, its body's lists in parts (docs/protocol.md 3.2).  Larger
 * still: OUT_OF_RANGE is sent instead and -1 returned (req_reply).
 */
static int
reply_subscribed(struct req *r, Tafel__SubscribeResponse *resp)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;

	env.body_case = TAFEL__ENVELOPE__BODY_SUBSCRIBED;
	env.subscribed = resp;
	return req_reply(r, &env);
}

/*
 * The SubscribeResponse of a snapshot query: parsed from its JSON, or for
 * a meeting (sub_snapshot_meeting) the kept one when the database said
 * hit; a rendering the database gave a class key is kept for the class
 * (before any filtering for this connection).  NULL with err set when it
 * does not read.
 */
static Tafel__SubscribeResponse *
snapshot_read(struct sub_setup *st, struct db_result *res, char *err,
    size_t errlen)
{
	const struct session *ss = st->s->c->session;
	Tafel__SubscribeResponse *resp;
	const char *json = PQgetvalue(res->res, 0, 0);
	int cached = PQnfields(res->res) == 6;

	if (cached && strcmp(PQgetvalue(res->res, 0, 1), "t") == 0) {
		snapcache_count(1);
		resp = st->cached ? snapcache_unpack(st->cached) : NULL;
		if (resp == NULL)
			snprintf(err, errlen, "the kept snapshot is gone");
		return resp;
	}
	resp = (Tafel__SubscribeResponse *)pbjson_parse(
	    &tafel__subscribe_response__descriptor, json, strlen(json), err,
	    errlen);
	if (cached)
		snapcache_count(0);
	if (resp != NULL && cached && srv.cfg.join_cache &&
	    !PQgetisnull(res->res, 0, 2) &&
	    !PQgetisnull(res->res, 0, 3) && !PQgetisnull(res->res, 0, 4) &&
	    !PQgetisnull(res->res, 0, 5))
		snapcache_store(st->s->meeting_id, ss->org_id, ss->roles,
		    PQgetvalue(res->res, 0, 2), PQgetvalue(res->res, 0, 3),
		    PQgetvalue(res->res, 0, 4), PQgetvalue(res->res, 0, 5),
		    resp);
	return resp;
}

static void
subscribe_done(void *arg, struct db_result *res)
{
	struct sub_setup *st = arg;
	struct req *r = st->r;
	struct sub *s = st->s;
	Tafel__SubscribeResponse *resp = NULL;
	char err[256];
	size_t i;
	int64_t back = mono_us();	/* the snapshot is back */
	int join;

	if (req_gone(r))
		goto out;	/* the subscription went with the session */
	if (s == NULL) {
		/* Unsubscribed, replaced or logged out meanwhile. */
		req_error(r, TAFEL__ERROR_CODE__NOT_FOUND,
		    "the subscription was cancelled before it was ready", NULL);
		goto out;
	}
	if (res->code != 0) {
		req_db_error(r, res);
		sub_drop(r->c, s->topic, s->meeting_id);	/* clears st->s */
		goto out;
	}
	resp = snapshot_read(st, res, err, sizeof err);
	if (resp == NULL) {
		log_error("subscribe: snapshot does not parse: %s", err);
		req_error(r, TAFEL__ERROR_CODE__INTERNAL,
		    "could not read the snapshot", NULL);
		sub_drop(r->c, s->topic, s->meeting_id);
		goto out;
	}
	if (resp->snapshot != NULL) {
		for (i = 0; i < resp->snapshot->n_agenda; i++)
			sub_add_case(s, resp->snapshot->agenda[i]->case_id);
		sub_set_earlier(s, resp->snapshot->earlier_meeting_ids,
		    resp->snapshot->n_earlier_meeting_ids);
		if (resp->snapshot->meeting != NULL) {
			s->series_id = resp->snapshot->meeting->series_id;
			s->opened = resp->snapshot->meeting->held_at != 0;
		}
		series_since(s, resp->seq);
	}

	/*
	 * Only here when the ring could not serve the resume when it was
	 * asked for.  A point up to the database's newest seq that the ring
	 * reaches back to (it had not read that far yet) is still resumed;
	 * a point beyond the newest seq was never issued by this database
	 * (another database, a restored backup, a made-up number): the
	 * client gets this fresh snapshot, or its next real event would be
	 * taken for one it already has.
	 */
	if (st->resume_from > 0 && push.loaded &&
	    st->resume_from >= ring_floor() && st->resume_from <= resp->seq) {
		tafel__subscribe_response__free_unpacked(resp, NULL);
		answer_resumed(st, s);
		return;
	}
	if (st->resume_from > resp->seq)
		log_info("conn %llu (%s): resume_from %llu is beyond the newest "
		    "change %llu; sending a snapshot",
		    (unsigned long long)r->c->id, r->c->addr,
		    (unsigned long long)st->resume_from,
		    (unsigned long long)resp->seq);
	s->seq = resp->seq;
	join = s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	privacy_filter_message(r->c, &resp->base);
	if (reply_subscribed(r, resp) != 0) {
		/* refused: no subscription stays behind to send events */
		sub_drop(r->c, s->topic, s->meeting_id);	/* clears st->s */
		goto out;
	}
	/* a join: its times for `tafelctl status` (written: the answer's
	 * frames are in the socket or its buffer) */
	if (join)
		deliver_note_join(back - st->received_us,
		    mono_us() - st->received_us);
	if (st->s != NULL) {
		s->setup = NULL;
		/*
		 * The answer may have tripped the output limit: the connection
		 * is then dropped (its release, from the loop, frees s); no
		 * catch-up.
		 */
		if (!req_gone(r))
			deliver_catch_up(s);
	}
out:
	if (resp != NULL)
		tafel__subscribe_response__free_unpacked(resp, NULL);
	setup_release(st);
}

/*
 * The topic and meeting_id of a subscribe or unsubscribe: an unknown topic
 * is OUT_OF_RANGE (field topic), a meeting topic needs meeting_id > 0
 * (OUT_OF_RANGE, field meeting_id).  Answers the error and returns -1.
 */
static int
topic_check(struct conn *c, const Tafel__Envelope *env,
    Tafel__SubscribeTopic topic, int64_t meeting_id)
{
	if (topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING && meeting_id <= 0) {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__OUT_OF_RANGE,
		    "meeting_id must be a positive id", "meeting_id");
		return -1;
	}
	if (topic != TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING &&
	    topic != TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS &&
	    topic != TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX &&
	    !topic_is_list(topic)) {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__OUT_OF_RANGE, "unknown topic", "topic");
		return -1;
	}
	return 0;
}

void
push_subscribe(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h)
{
	const Tafel__SubscribeRequest *q = env->subscribe;
	Tafel__SubscribeTopic topic;
	struct sub_setup *st;
	struct sub *s;

	(void)h;
	topic = topic_canonical(q->topic);
	if (topic_check(c, env, topic, q->meeting_id) != 0)
		return;
	/*
	 * One shared screen per session: a connection's events are rendered
	 * one way per change (push-deliver.c), so a second room's screen
	 * would get the first room's rendering, which may show more than
	 * its own room may see.  Re-subscribing the same meeting replaces.
	 */
	if (q->presentation && topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING)
		for (s = c->session->subs; s != NULL; s = s->next)
			if (s->presentation && s->meeting_id != q->meeting_id) {
				conn_send_error(c, env->request_id,
				    TAFEL__ERROR_CODE__INVALID_ARGUMENT,
				    "this connection already shows the shared "
				    "screen of another meeting; use a connection "
				    "per shared screen", "presentation");
				return;
			}
	sub_drop(c, topic, q->meeting_id);	/* re-subscribing replaces */

	s = xcalloc(1, sizeof *s);
	s->id = ++push.next_sub_id;
	s->c = c;
	s->topic = topic;
	s->meeting_id = topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING ?
	    q->meeting_id : 0;
	s->presentation = q->presentation &&
	    topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	s->include_closed = q->include_closed && topic_is_list(topic);
	s->next = c->session->subs;
	c->session->subs = s;
	TAILQ_INSERT_TAIL(&push.subs, s, entry);

	st = xcalloc(1, sizeof *st);
	st->received_us = mono_us();
	st->s = s;
	s->setup = st;
	st->resume_from = q->resume_from;
	st->r = req_new(c, env, TAFEL__ENVELOPE__BODY_SUBSCRIBED);
	if (st->resume_from > 0 && !push.loaded) {
		struct timeval tv = { PUSH_LOAD_WAIT_S, 0 };

		if (waiting == NULL)
			evtimer_add(waiting_timer, &tv);
		st->next_waiting = waiting;
		waiting = st;
		return;
	}
	sub_setup_go(st);
}

/* The window is read (or the wait is over): the parked set-ups go on. */
static void
release_waiting(void)
{
	struct sub_setup *st;

	evtimer_del(waiting_timer);
	while ((st = waiting) != NULL) {
		waiting = st->next_waiting;
		if (req_gone(st->r) || st->s == NULL) {
			if (!req_gone(st->r))
				req_error(st->r, TAFEL__ERROR_CODE__NOT_FOUND,
				    "the subscription was cancelled before it "
				    "was ready", NULL);
			setup_release(st);
			continue;
		}
		sub_setup_go(st);
	}
}

void
push_unsubscribe(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h)
{
	const Tafel__UnsubscribeRequest *q = env->unsubscribe;
	Tafel__OkResponse ok = TAFEL__OK_RESPONSE__INIT;
	Tafel__Envelope out = TAFEL__ENVELOPE__INIT;

	(void)h;
	/* the same checks as subscribe: unknown is not "not subscribed" */
	if (topic_check(c, env, topic_canonical(q->topic), q->meeting_id) != 0)
		return;
	/* as the database answers every other request of the steering group */
	if (session_is_steering_only(c)) {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__FORBIDDEN,
		    "the steering group sees the reports only", NULL);
		return;
	}
	if (!sub_drop(c, topic_canonical(q->topic), q->meeting_id)) {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__NOT_FOUND, "not subscribed", NULL);
		return;
	}
	out.request_id = env->request_id;
	out.body_case = TAFEL__ENVELOPE__BODY_OK;
	out.ok = &ok;
	conn_send(c, &out);
}

void
push_get_stats(struct push_stats *st)
{
	const struct sub *s;

	memset(st, 0, sizeof *st);
	st->last_seq = push.last_seq;
	st->dispatched_seq = push.dispatched_seq;
	st->local = push.local;
	st->ring_count = push.count;
	if (push.ring == NULL)
		return;
	TAILQ_FOREACH(s, &push.subs, entry) {
		st->subs++;
		if (s->live)
			st->subs_live++;
	}
}

void
push_get_timing(struct push_timing *t)
{
	deliver_get_timing(t);
}

void
push_foreach_sub(void (*fn)(void *arg, const struct push_sub_info *),
    void *arg)
{
	const struct sub *s;
	struct push_sub_info i;

	if (push.ring == NULL)
		return;
	TAILQ_FOREACH(s, &push.subs, entry) {
		i.meeting = s->topic == TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
		i.topic = s->topic;
		i.meeting_id = s->meeting_id;
		i.live = s->live;
		i.presentation = s->presentation;
		i.seq = s->seq;
		fn(arg, &i);
	}
}
