/* tafel --batch: commands on stdin, every response and event as one JSON line on stdout. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <json-c/json.h>

#include "client.h"
#include "envelope.h"
#include "log.h"
#include "model.h"
#include "net.h"
#include "pbjson.h"
#include "xmalloc.h"

#define BATCH_MAX_ARGS 64
#define BATCH_MAX_MEETINGS 16
#define BATCH_WAIT_SEQ_MS 10000

struct batch;

/* Which model a subscribe request is for (idx -1: the org actions). */
struct sub_ctx {
	struct batch *b;
	int idx;
};

struct batch {
	struct event_base *base;
	struct net *net;
	struct event *stdin_ev;
	struct evbuffer *in;		/* stdin bytes not yet run */
	int eof;			/* stdin closed */
	int status;			/* exit status */

	uint64_t wait_rid;		/* a command waits for this answer */
	struct event *timer;		/* sleep / wait-seq deadline */
	int sleeping;
	uint64_t wait_seq;		/* wait-seq: until an event >= this */
	uint64_t max_seq;		/* newest event seq seen */

	struct model meetings[BATCH_MAX_MEETINGS];	/* subscribed meetings */
	int subscribed[BATCH_MAX_MEETINGS];	/* 1: answered at least once */
	size_t n_meetings;
	struct model org;		/* subscribe-actions */
	int org_on, org_subscribed;
	struct sub_ctx sub[BATCH_MAX_MEETINGS + 1];	/* [BATCH_MAX_MEETINGS]: org */
	int logged_in;
};

static void batch_process(struct batch *b);

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- output -------------------------------------------------------------- */

static void
emit(struct json_object *o)
{
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
	fputc('\n', stdout);
	fflush(stdout);
	json_object_put(o);
}

static char *
lower(const char *s)
{
	char *r = xstrdup(s);

	for (char *p = r; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

static void
emit_error(uint64_t rid, const char *code, const char *message)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string("error"));
	json_object_object_add(o, "request_id", json_object_new_uint64(rid));
	json_object_object_add(o, "code", json_object_new_string(code));
	json_object_object_add(o, "message", json_object_new_string(message));
	emit(o);
}

/* A response or Error envelope as one line. */
static void
emit_reply(const Tafel__Envelope *m)
{
	struct json_object *o = json_object_new_object();
	const char *body = envelope_body_name(m->body_case);
	const ProtobufCFieldDescriptor *f;

	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		char *code = lower(error_code_name(m->error->code));

		json_object_object_add(o, "type", json_object_new_string("error"));
		json_object_object_add(o, "request_id",
		    json_object_new_uint64(m->request_id));
		json_object_object_add(o, "code", json_object_new_string(code));
		json_object_object_add(o, "message",
		    json_object_new_string(m->error->message));
		if (m->error->field[0] != '\0')
			json_object_object_add(o, "field",
			    json_object_new_string(m->error->field));
		if (m->error->retry_after_ms != 0)
			json_object_object_add(o, "retry_after_ms",
			    json_object_new_int64(m->error->retry_after_ms));
		json_object_object_add(o, "error",
		    pbjson_from_message(&m->error->base));
		free(code);
		emit(o);
		return;
	}
	json_object_object_add(o, "type", json_object_new_string("response"));
	json_object_object_add(o, "request_id",
	    json_object_new_uint64(m->request_id));
	json_object_object_add(o, "body", json_object_new_string(body));
	f = protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    (unsigned)m->body_case);
	if (f != NULL && f->type == PROTOBUF_C_TYPE_MESSAGE)
		json_object_object_add(o, body, pbjson_from_message(
		    *(ProtobufCMessage *const *)((const char *)m + f->offset)));
	emit(o);
}

/* --- models -------------------------------------------------------------- */

static struct model *
meeting_model(struct batch *b, int64_t id, int create)
{
	for (size_t i = 0; i < b->n_meetings; i++)
		if (b->meetings[i].meeting_id == id)
			return &b->meetings[i];
	if (!create || b->n_meetings == BATCH_MAX_MEETINGS)
		return NULL;
	model_init(&b->meetings[b->n_meetings], MODEL_MEETING, id);
	b->subscribed[b->n_meetings] = 0;
	return &b->meetings[b->n_meetings++];
}

static void subscribe_meeting(struct batch *b, struct model *m, uint64_t from,
    int user);
static void subscribe_org(struct batch *b, uint64_t from, int user);

static void
on_event(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct batch *b = arg;
	struct json_object *o = json_object_new_object();
	const Tafel__Event *ev = m->event;
	double t = now_s();

	json_object_object_add(o, "type", json_object_new_string("event"));
	json_object_object_add(o, "seq", json_object_new_uint64(ev->seq));
	json_object_object_add(o, "event", pbjson_from_message(&ev->base));
	emit(o);
	if (ev->seq > b->max_seq)
		b->max_seq = ev->seq;
	for (size_t i = 0; i < b->n_meetings; i++)
		if (b->meetings[i].loaded &&
		    model_apply_event(&b->meetings[i], ev, t) == MODEL_RESYNC)
			subscribe_meeting(b, &b->meetings[i], 0, 0);
	if (b->org_on && b->org.loaded &&
	    model_apply_event(&b->org, ev, t) == MODEL_RESYNC)
		subscribe_org(b, 0, 0);
	if (b->wait_seq != 0 && b->max_seq >= b->wait_seq) {
		b->wait_seq = 0;
		evtimer_del(b->timer);
		batch_process(b);
	}
}

/* --- requests ------------------------------------------------------------ */

/* The answer to a command: print it, let the next command run. */
static void
on_reply(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct batch *b = arg;

	if (m == NULL)
		return;
	emit_reply(m);
	if (m->request_id == b->wait_rid) {
		b->wait_rid = 0;
		batch_process(b);
	}
}

static void
on_subscribed(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct sub_ctx *ctx = arg;
	struct batch *b = ctx->b;
	const Tafel__SubscribeResponse *r;

	if (m == NULL)
		return;
	if (m->body_case == TAFEL__ENVELOPE__BODY_SUBSCRIBED) {
		r = m->subscribed;
		if (ctx->idx >= 0) {
			if (!r->resumed)
				model_apply_snapshot(&b->meetings[ctx->idx], r->seq,
				    r->snapshot, now_s());
			b->subscribed[ctx->idx] = 1;
		} else {
			if (!r->resumed)
				model_apply_actions(&b->org, r->seq, r->actions,
				    now_s());
			b->org_subscribed = 1;
		}
		if (r->seq > b->max_seq)
			b->max_seq = r->seq;
	}
	on_reply(n, m, b);
}

static uint64_t
send_req(struct batch *b, Tafel__Envelope *env, int flags, const char *key,
    net_reply_fn fn)
{
	uint64_t rid = net_send(b->net, env, flags, key, fn ? fn : on_reply, b);

	b->wait_rid = rid;
	return rid;
}

static void
subscribe_meeting(struct batch *b, struct model *m, uint64_t from, int user)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__SubscribeRequest r = TAFEL__SUBSCRIBE_REQUEST__INIT;
	uint64_t rid;

	r.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	r.meeting_id = m->meeting_id;
	r.resume_from = from;
	env.body_case = TAFEL__ENVELOPE__BODY_SUBSCRIBE;
	env.subscribe = &r;
	rid = net_send(b->net, &env, NET_REQ_READ, NULL, on_subscribed,
	    &b->sub[m - b->meetings]);
	if (user)
		b->wait_rid = rid;
}

static void
subscribe_org(struct batch *b, uint64_t from, int user)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__SubscribeRequest r = TAFEL__SUBSCRIBE_REQUEST__INIT;
	uint64_t rid;

	r.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS;
	r.resume_from = from;
	env.body_case = TAFEL__ENVELOPE__BODY_SUBSCRIBE;
	env.subscribe = &r;
	rid = net_send(b->net, &env, NET_REQ_READ, NULL, on_subscribed,
	    &b->sub[BATCH_MAX_MEETINGS]);
	if (user)
		b->wait_rid = rid;
}

/* --- commands ------------------------------------------------------------ */

struct cmd_args {
	int argc;
	char *argv[BATCH_MAX_ARGS];
	const char *key;		/* key=K */
	int64_t owner_user;		/* owner-user=ID */
	char text[8192];		/* argv[from..] joined, for TEXT... */
};

typedef int (*cmd_fn)(struct batch *, struct cmd_args *);

struct cmd_entry {
	const char *name;
	int min_args;			/* after the command name */
	cmd_fn fn;
	const char *usage;		/* for error messages and docs/cli.md */
};

static int
parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* Looks an enum value up by its short lowercase name ("in_progress"). */
static int
enum_by_short(const ProtobufCEnumDescriptor *d, const char *name, int *out)
{
	for (unsigned i = 0; i < d->n_values; i++) {
		const char *u = strchr(d->values[i].name, '_');
		char *l = lower(u != NULL ? u + 1 : d->values[i].name);
		int eq = strcmp(l, name) == 0;

		free(l);
		if (eq) {
			*out = d->values[i].value;
			return 0;
		}
	}
	return -1;
}

static void
join_from(struct cmd_args *a, int from)
{
	size_t o = 0;

	a->text[0] = '\0';
	for (int i = from; i < a->argc; i++) {
		int w = snprintf(a->text + o, sizeof a->text - o, "%s%s",
		    i > from ? " " : "", a->argv[i]);

		if (w < 0 || (size_t)w >= sizeof a->text - o)
			break;
		o += (size_t)w;
	}
}

#define ID(i, var) do { if (parse_id(a->argv[i], &(var)) != 0) return -1; } while (0)

static int
cmd_subscribe(struct batch *b, struct cmd_args *a)
{
	int64_t id, from = 0;
	struct model *m;

	ID(1, id);
	if (a->argc > 2)
		ID(2, from);
	m = meeting_model(b, id, 1);
	if (m == NULL)
		return -1;
	subscribe_meeting(b, m, (uint64_t)from, 1);
	return 0;
}

static int
cmd_subscribe_actions(struct batch *b, struct cmd_args *a)
{
	const Tafel__LoginResponse *l = net_login(b->net);

	if (!b->org_on)
		model_init(&b->org, MODEL_ORG_ACTIONS,
		    l != NULL && l->user != NULL ? l->user->org_id : 0);
	b->org_on = 1;
	subscribe_org(b, 0, 1);
	return 0;
}

#define SIMPLE(fname, CASE, field, Type, INIT) \
static int \
fname(struct batch *b, struct cmd_args *a) \
{ \
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT; \
	Type r = INIT; \
	env.body_case = TAFEL__ENVELOPE__BODY_##CASE; \
	env.field = &r; \
	send_req(b, &env, NET_REQ_READ, NULL, NULL); \
	return 0; \
}
SIMPLE(cmd_meetings, LIST_MEETINGS, list_meetings, Tafel__ListMeetingsRequest,
    TAFEL__LIST_MEETINGS_REQUEST__INIT)
SIMPLE(cmd_my_actions, LIST_MY_ACTIONS, list_my_actions,
    Tafel__ListActionsRequest, TAFEL__LIST_ACTIONS_REQUEST__INIT)
SIMPLE(cmd_orgs, LIST_ORGANISATIONS, list_organisations,
    Tafel__ListOrganisationsRequest, TAFEL__LIST_ORGANISATIONS_REQUEST__INIT)
SIMPLE(cmd_cases, LIST_CASES, list_cases, Tafel__ListCasesRequest,
    TAFEL__LIST_CASES_REQUEST__INIT)

static int
cmd_case(struct batch *b, struct cmd_args *a)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__GetCaseRequest r = TAFEL__GET_CASE_REQUEST__INIT;

	ID(1, r.case_id);
	env.body_case = TAFEL__ENVELOPE__BODY_GET_CASE;
	env.get_case = &r;
	send_req(b, &env, NET_REQ_READ, NULL, NULL);
	return 0;
}

static int
meeting_state(struct batch *b, struct cmd_args *a, int open)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__MeetingStateRequest r = TAFEL__MEETING_STATE_REQUEST__INIT;

	ID(1, r.meeting_id);
	ID(2, r.version);
	if (open) {
		env.body_case = TAFEL__ENVELOPE__BODY_OPEN_MEETING;
		env.open_meeting = &r;
	} else {
		env.body_case = TAFEL__ENVELOPE__BODY_CLOSE_MEETING;
		env.close_meeting = &r;
	}
	send_req(b, &env, NET_REQ_WRITE, a->key, NULL);
	return 0;
}

static int
cmd_open(struct batch *b, struct cmd_args *a)
{
	return meeting_state(b, a, 1);
}

static int
cmd_close(struct batch *b, struct cmd_args *a)
{
	return meeting_state(b, a, 0);
}

static void
set_current(struct batch *b, int64_t meeting, int64_t item, const char *key)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__SetCurrentItemRequest r = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;

	r.meeting_id = meeting;
	r.item_id = item;
	env.body_case = TAFEL__ENVELOPE__BODY_SET_CURRENT_ITEM;
	env.set_current_item = &r;
	send_req(b, &env, NET_REQ_WRITE, key, NULL);
}

static int
cmd_current(struct batch *b, struct cmd_args *a)
{
	int64_t meeting, item;

	ID(1, meeting);
	ID(2, item);
	set_current(b, meeting, item, a->key);
	return 0;
}

static int
step(struct batch *b, struct cmd_args *a, int dir)
{
	int64_t meeting, item;
	struct model *m;

	ID(1, meeting);
	m = meeting_model(b, meeting, 0);
	if (m == NULL || !m->loaded) {
		emit_error(0, "bad_command", "not subscribed to that meeting");
		return 1;
	}
	item = model_neighbour_item(m, dir);
	if (item == 0) {
		emit_error(0, "bad_command", dir > 0 ? "no next agenda item" :
		    "no previous agenda item");
		return 1;
	}
	set_current(b, meeting, item, a->key);
	return 0;
}

static int
cmd_next(struct batch *b, struct cmd_args *a)
{
	return step(b, a, 1);
}

static int
cmd_prev(struct batch *b, struct cmd_args *a)
{
	return step(b, a, -1);
}

static int
cmd_add_item(struct batch *b, struct cmd_args *a)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__AddAgendaItemRequest r = TAFEL__ADD_AGENDA_ITEM_REQUEST__INIT;

	ID(1, r.meeting_id);
	ID(2, r.case_id);
	env.body_case = TAFEL__ENVELOPE__BODY_ADD_AGENDA_ITEM;
	env.add_agenda_item = &r;
	send_req(b, &env, NET_REQ_WRITE, a->key, NULL);
	return 0;
}

static int
cmd_decision(struct batch *b, struct cmd_args *a)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__RecordDecisionRequest r = TAFEL__RECORD_DECISION_REQUEST__INIT;

	ID(1, r.item_id);
	ID(2, r.version);
	join_from(a, 3);
	r.decision = a->text;
	env.body_case = TAFEL__ENVELOPE__BODY_RECORD_DECISION;
	env.record_decision = &r;
	send_req(b, &env, NET_REQ_WRITE, a->key, NULL);
	return 0;
}

static int
cmd_action(struct batch *b, struct cmd_args *a)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;

	ID(1, r.case_id);
	ID(2, r.meeting_id);
	ID(3, r.owner_org_id);
	r.due_date = a->argv[4];
	r.owner_user_id = a->owner_user;
	join_from(a, 5);
	r.description = a->text;
	env.body_case = TAFEL__ENVELOPE__BODY_CREATE_ACTION;
	env.create_action = &r;
	send_req(b, &env, NET_REQ_WRITE, a->key, NULL);
	return 0;
}

static int
finish(struct batch *b, struct cmd_args *a, int complete)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__FinishActionRequest r = TAFEL__FINISH_ACTION_REQUEST__INIT;

	ID(1, r.id);
	ID(2, r.version);
	join_from(a, 3);
	r.note = a->text;
	if (complete) {
		env.body_case = TAFEL__ENVELOPE__BODY_COMPLETE_ACTION;
		env.complete_action = &r;
	} else {
		env.body_case = TAFEL__ENVELOPE__BODY_CANCEL_ACTION;
		env.cancel_action = &r;
	}
	send_req(b, &env, NET_REQ_WRITE, a->key, NULL);
	return 0;
}

static int
cmd_complete(struct batch *b, struct cmd_args *a)
{
	return finish(b, a, 1);
}

static int
cmd_cancel(struct batch *b, struct cmd_args *a)
{
	return finish(b, a, 0);
}

static int
cmd_attend(struct batch *b, struct cmd_args *a)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__AttendanceRequest r = TAFEL__ATTENDANCE_REQUEST__INIT;

	ID(1, r.meeting_id);
	ID(2, r.user_id);
	if (strcmp(a->argv[3], "present") == 0)
		r.present = 1;
	else if (strcmp(a->argv[3], "absent") != 0)
		return -1;
	if (strcmp(a->argv[4], "remote") == 0)
		r.remote = 1;
	else if (strcmp(a->argv[4], "room") != 0)
		return -1;
	env.body_case = TAFEL__ENVELOPE__BODY_RECORD_ATTENDANCE;
	env.record_attendance = &r;
	send_req(b, &env, NET_REQ_WRITE, a->key, NULL);
	return 0;
}

static int
cmd_move(struct batch *b, struct cmd_args *a)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__MoveCaseRequest r = TAFEL__MOVE_CASE_REQUEST__INIT;
	int st;

	ID(1, r.id);
	ID(2, r.version);
	if (enum_by_short(&tafel__case_status__descriptor, a->argv[3], &st) != 0)
		return -1;
	r.to = (Tafel__CaseStatus)st;
	env.body_case = TAFEL__ENVELOPE__BODY_MOVE_CASE;
	env.move_case = &r;
	send_req(b, &env, NET_REQ_WRITE, a->key, NULL);
	return 0;
}

static int
cmd_ping(struct batch *b, struct cmd_args *a)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__PingRequest r = TAFEL__PING_REQUEST__INIT;

	r.nonce = (uint64_t)time(NULL);
	env.body_case = TAFEL__ENVELOPE__BODY_PING;
	env.ping = &r;
	send_req(b, &env, NET_REQ_READ, NULL, NULL);
	return 0;
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct batch *b = arg;

	if (b->wait_seq != 0) {
		char msg[100];

		snprintf(msg, sizeof msg, "wait-seq %" PRIu64
		    ": no such event within 10 s", b->wait_seq);
		emit_error(0, "timeout", msg);
		b->wait_seq = 0;
	}
	b->sleeping = 0;
	batch_process(b);
}

static void
start_timer(struct batch *b, long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(b->timer, &tv);
}

static int
cmd_sleep(struct batch *b, struct cmd_args *a)
{
	int64_t ms;

	ID(1, ms);
	b->sleeping = 1;
	start_timer(b, (long)ms);
	return 0;
}

static int
cmd_wait_seq(struct batch *b, struct cmd_args *a)
{
	int64_t seq;

	ID(1, seq);
	if (b->max_seq >= (uint64_t)seq)
		return 0;
	b->wait_seq = (uint64_t)seq;
	start_timer(b, BATCH_WAIT_SEQ_MS);
	return 0;
}

static int
cmd_quit(struct batch *b, struct cmd_args *a)
{
	b->status = 0;
	net_stop(b->net);
	event_base_loopexit(b->base, NULL);
	return 0;
}

/* Adding a command means adding one row here (and a line in docs/cli.md). */
static const struct cmd_entry cmd_table[] = {
	{ "subscribe", 1, cmd_subscribe, "subscribe MEETING_ID [RESUME_SEQ]" },
	{ "subscribe-actions", 0, cmd_subscribe_actions, "subscribe-actions" },
	{ "meetings", 0, cmd_meetings, "meetings" },
	{ "my-actions", 0, cmd_my_actions, "my-actions" },
	{ "case", 1, cmd_case, "case ID" },
	{ "orgs", 0, cmd_orgs, "orgs" },
	{ "cases", 0, cmd_cases, "cases" },
	{ "open", 2, cmd_open, "open MEETING_ID VERSION" },
	{ "close", 2, cmd_close, "close MEETING_ID VERSION" },
	{ "current", 2, cmd_current, "current MEETING_ID ITEM_ID" },
	{ "next", 1, cmd_next, "next MEETING_ID" },
	{ "prev", 1, cmd_prev, "prev MEETING_ID" },
	{ "add-item", 2, cmd_add_item, "add-item MEETING_ID CASE_ID" },
	{ "decision", 3, cmd_decision, "decision ITEM_ID VERSION TEXT..." },
	{ "action", 5, cmd_action, "action CASE_ID MEETING_ID OWNER_ORG_ID "
	  "DUE_DATE DESCRIPTION... [owner-user=ID]" },
	{ "complete", 3, cmd_complete, "complete ACTION_ID VERSION NOTE..." },
	{ "cancel", 3, cmd_cancel, "cancel ACTION_ID VERSION NOTE..." },
	{ "attend", 4, cmd_attend,
	  "attend MEETING_ID USER_ID present|absent room|remote" },
	{ "move", 3, cmd_move, "move CASE_ID VERSION STATUS" },
	{ "ping", 0, cmd_ping, "ping" },
	{ "sleep", 1, cmd_sleep, "sleep MS" },
	{ "wait-seq", 1, cmd_wait_seq, "wait-seq N" },
	{ "quit", 0, cmd_quit, "quit" },
	{ NULL, 0, NULL, NULL }
};

static void
run_line(struct batch *b, char *line)
{
	struct cmd_args a;
	const struct cmd_entry *c;
	char *save = NULL, *tok, msg[300];

	memset(&a, 0, sizeof a);
	for (tok = strtok_r(line, " \t\r", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r", &save)) {
		if (strncmp(tok, "key=", 4) == 0 && a.argc > 0) {
			a.key = tok + 4;
			continue;
		}
		if (strncmp(tok, "owner-user=", 11) == 0 && a.argc > 0) {
			if (parse_id(tok + 11, &a.owner_user) != 0)
				a.owner_user = -1;
			continue;
		}
		if (a.argc == BATCH_MAX_ARGS)
			break;
		a.argv[a.argc++] = tok;
	}
	if (a.argc == 0 || a.argv[0][0] == '#')
		return;
	for (c = cmd_table; c->name != NULL; c++)
		if (strcmp(c->name, a.argv[0]) == 0)
			break;
	if (c->name == NULL) {
		snprintf(msg, sizeof msg, "unknown command: %s", a.argv[0]);
		emit_error(0, "bad_command", msg);
		return;
	}
	if (a.argc - 1 < c->min_args || a.owner_user < 0 ||
	    (a.key != NULL && (strlen(a.key) < 1 || strlen(a.key) > 64)) ||
	    c->fn(b, &a) < 0) {
		snprintf(msg, sizeof msg, "usage: %s", c->usage);
		emit_error(0, "bad_command", msg);
	}
}

/* Runs commands until one has to wait (answer, sleep, wait-seq) or input ends. */
static void
batch_process(struct batch *b)
{
	char *line;
	size_t len;

	while (b->logged_in && b->wait_rid == 0 && !b->sleeping &&
	    b->wait_seq == 0) {
		line = evbuffer_readln(b->in, &len, EVBUFFER_EOL_LF);
		if (line == NULL) {
			if (b->eof) {
				if (evbuffer_get_length(b->in) > 0) {
					/* last line without a newline */
					evbuffer_add(b->in, "\n", 1);
					continue;
				}
				b->status = 0;
				net_stop(b->net);
				event_base_loopexit(b->base, NULL);
			}
			return;
		}
		run_line(b, line);
		free(line);
	}
}

static void
on_stdin(evutil_socket_t fd, short what, void *arg)
{
	struct batch *b = arg;
	int r = evbuffer_read(b->in, fd, 65536);

	if (r <= 0) {
		b->eof = 1;
		event_del(b->stdin_ev);
	}
	batch_process(b);
}

/* --- connection callbacks ------------------------------------------------ */

static void
on_ready(struct net *n, const Tafel__LoginResponse *l, int first, void *arg)
{
	struct batch *b = arg;

	if (first) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "type", json_object_new_string("login"));
		json_object_object_add(o, "login_ok",
		    pbjson_from_message(&l->base));
		emit(o);
		b->logged_in = 1;
		batch_process(b);
		return;
	}
	/* after a reconnect: resume every subscription from its last seq */
	for (size_t i = 0; i < b->n_meetings; i++)
		if (b->subscribed[i])
			subscribe_meeting(b, &b->meetings[i], b->meetings[i].seq, 0);
	if (b->org_on && b->org_subscribed)
		subscribe_org(b, b->org.seq, 0);
}

static void
on_fatal(struct net *n, const char *msg, const Tafel__Error *err, void *arg)
{
	struct batch *b = arg;

	fprintf(stderr, "tafel: %s\n", msg);
	b->status = 1;
	event_base_loopexit(b->base, NULL);
}

static void
on_state(struct net *n, enum net_state st, void *arg)
{
	if (st == NET_BACKOFF)
		fprintf(stderr, "tafel: %s; reconnecting in %d s\n",
		    net_last_error(n), net_backoff_left(n));
}

/* The password: --password-file, else TAFEL_PASSWORD, else stdin's first line. */
static char *
batch_password(const struct client_opts *o)
{
	char err[300], buf[1100];
	size_t len = 0;
	const char *env = getenv("TAFEL_PASSWORD");
	char c;

	if (o->password_file != NULL) {
		char *p = client_read_password_file(o->password_file, err,
		    sizeof err);

		if (p == NULL)
			fprintf(stderr, "tafel: %s\n", err);
		return p;
	}
	if (env != NULL)
		return xstrdup(env);
	/* byte by byte: the rest of stdin stays for the event loop */
	while (read(STDIN_FILENO, &c, 1) == 1 && c != '\n')
		if (len + 1 < sizeof buf)
			buf[len++] = c;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return xstrdup(buf);
}

int
batch_run(struct client_opts *o)
{
	struct batch b;
	struct net_opts no;
	struct net_callbacks cb = { on_state, on_ready, on_event, on_fatal };
	char err[300], *pw;
	struct stat st;

	memset(&b, 0, sizeof b);
	b.status = 1;
	for (int i = 0; i <= BATCH_MAX_MEETINGS; i++) {
		b.sub[i].b = &b;
		b.sub[i].idx = i < BATCH_MAX_MEETINGS ? i : -1;
	}
	if (o->cfg.user == NULL || o->cfg.user[0] == '\0') {
		fprintf(stderr, "tafel: no user: use --user NAME\n");
		return 1;
	}
	pw = batch_password(o);
	if (pw == NULL)
		return 1;
	b.base = event_base_new();
	client_net_opts(o, &no, 0);
	b.net = net_new(b.base, &no, &cb, &b, err, sizeof err);
	if (b.net == NULL) {
		fprintf(stderr, "tafel: %s\n", err);
		free(pw);
		event_base_free(b.base);
		return 1;
	}
	net_set_password(b.net, pw);
	memset(pw, 0, strlen(pw));
	free(pw);
	b.in = evbuffer_new();
	b.timer = evtimer_new(b.base, timer_cb, &b);
	b.stdin_ev = event_new(b.base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    on_stdin, &b);
	if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
		/* epoll cannot watch a regular file: it is all there anyway */
		while (evbuffer_read(b.in, STDIN_FILENO, 65536) > 0)
			;
		b.eof = 1;
	} else
		event_add(b.stdin_ev, NULL);
	net_start(b.net);
	event_base_dispatch(b.base);

	for (size_t i = 0; i < b.n_meetings; i++)
		model_free(&b.meetings[i]);
	if (b.org_on)
		model_free(&b.org);
	net_free(b.net);
	event_free(b.stdin_ev);
	event_free(b.timer);
	evbuffer_free(b.in);
	event_base_free(b.base);
	return b.status;
}
