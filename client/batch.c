/* tafel --batch: commands on stdin, every response and event as one JSON line on stdout. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
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
#include "minutes.h"
#include "model.h"
#include "net.h"
#include "pbjson.h"
#include "report-csv.h"
#include "report-pdf.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

/* Words of a command line: enough for a long text of one-letter words. */
#define BATCH_MAX_ARGS 4096
#define BATCH_MAX_MEETINGS 16
#define BATCH_WAIT_SEQ_MS 10000

struct batch;

/* A subscription: a meeting or the org actions, and its model. */
struct sub_ctx {
	struct batch *b;
	struct model *m;
	int subscribed;			/* 1: the last answer was "subscribed" */
	/* The meeting as this run's last write on it left it (its answer),
	 * for next/prev while that write's event is still to come. */
	int64_t answered_item;		/* its current_item_id */
	int64_t answered_version;	/* its version, 0: none */
};

/*
 * A subscription to a topic without a model: the lists (meetings, cases,
 * nominations) and the inbox, whose answers and events are only printed.
 * The server holds one subscription per topic and session (protocol.md
 * 8.1), so there is one slot per topic: a second subscribe replaces the
 * first.  What was asked (topic, include_closed) and the last seq seen are
 * kept so that on_ready can subscribe again after a reconnect, resuming
 * from that seq (protocol.md 8.3).  Meetings and the org actions have a
 * model to keep up to date and stay with sub_ctx.
 */
struct topic_sub {
	struct batch *b;
	Tafel__SubscribeTopic topic;
	int include_closed;		/* as last asked */
	int on;				/* the last answer was "subscribed" */
	uint64_t rid;			/* a subscribe not answered yet */
	uint64_t seq;			/* its answer's, or its newest event's */
};
#define BATCH_TOPICS 4

struct batch {
	struct event_base *base;
	struct net *net;
	struct event *stdin_ev;
	struct evbuffer *in;		/* stdin bytes not yet run */
	int eof;			/* stdin closed */
	int stdin_direct;		/* 1: read when a line is needed, not watched */
	int status;			/* exit status */
	int stopped;			/* batch_stop, a fatal error: no line runs after it */
	int out_failed;			/* stdout could not be written: no more lines */
	int signo;			/* SIGTERM, SIGINT, SIGHUP that ended the run */

	uint64_t wait_rid;		/* a command waits for this answer */
	struct event *timer;		/* sleep / wait-seq deadline */
	int sleeping;
	uint64_t wait_seq;		/* wait-seq: until an event >= this */
	uint64_t max_seq;		/* newest event seq seen */

	struct model meetings[BATCH_MAX_MEETINGS];	/* subscribed meetings */
	size_t n_meetings;
	struct model org;		/* subscribe-actions */
	int org_on;
	struct sub_ctx sub[BATCH_MAX_MEETINGS + 1];	/* [i]: meetings[i]; last: org */
	struct topic_sub topics[BATCH_TOPICS];	/* lists and inbox */
	int logged_in;
	char made_for[300];		/* report-pdf: organisation (role) */
	/* why the connection is away, as said on stderr last; "" once
	 * connected: each retry for the same reason stays quiet */
	char said[300];
};

static void batch_process(struct batch *b);

/* Ends the run with that exit status: logs out (the server revokes the
 * resume ticket) and leaves the loop; no later line of input is run. */
static void
batch_stop(struct batch *b, int status)
{
	if (b->stopped)
		return;
	b->stopped = 1;
	b->status = status;
	net_stop(b->net);
	event_base_loopexit(b->base, NULL);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- output -------------------------------------------------------------- */

/* The run whose lines emit prints (one per process): a failed write to
 * stdout ends it. */
static struct batch *running;
/* 1 while emit writes a line: a stop signal then ends the run at once
 * (on_signal_now), as a reader that takes no more would keep it there. */
static volatile sig_atomic_t in_emit;

/*
 * One line on stdout.  When it cannot be written (the reader of a pipe went
 * away, as with '| head -1'; a full disk; stdout closed) the run ends as at
 * quit, with exit status 1, rather than going on for nobody and exiting 0:
 * SIGPIPE is ignored for the TLS socket's sake (common/tls.c), so this is
 * the only way the run learns of it.  A closed pipe is not said on stderr
 * (the reader is done, as when a tool dies of SIGPIPE); other errors are.
 */
static void
emit(struct json_object *o)
{
	if (running == NULL || !running->out_failed) {
		int bad;

		errno = 0;
		in_emit = 1;
		fputs(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
		    stdout);
		fputc('\n', stdout);
		bad = fflush(stdout) != 0 || ferror(stdout);
		in_emit = 0;
		if (bad) {
			int e = errno != 0 ? errno : EIO;

			if (e != EPIPE)
				fprintf(stderr, "tafel: standard output: %s\n",
				    strerror(e));
			if (running != NULL) {
				running->out_failed = 1;
				batch_stop(running, 1);
			}
		}
	}
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

/*
 * A local error line, shaped as the server's (emit_reply): code, message,
 * field when there is one, and the same under "error", as an Error renders
 * (retry_after_ms 0, no missing), so that a script reads both alike.  Its
 * message may quote the script's own words or a file name; when those are
 * not clean UTF-8 (a command file saved as Windows-1252) every non-ASCII
 * byte becomes '?', so that the line stays valid JSON text (RFC 8259:
 * UTF-8) for a strict reader.
 */
static void
emit_error_field(uint64_t rid, const char *code, const char *field,
    const char *message)
{
	struct json_object *o = json_object_new_object();
	struct json_object *e = json_object_new_object();
	char *m = xstrdup(message);

	/* (checked whole: a control character may hide a bad byte after it) */
	if (utf8_check(m, strlen(m), 1) != UTF8_OK)
		for (char *p = m; *p != '\0'; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
	json_object_object_add(o, "type", json_object_new_string("error"));
	json_object_object_add(o, "request_id", json_object_new_uint64(rid));
	json_object_object_add(o, "code", json_object_new_string(code));
	json_object_object_add(o, "message", json_object_new_string(m));
	if (field != NULL && field[0] != '\0')
		json_object_object_add(o, "field", json_object_new_string(field));
	json_object_object_add(e, "code", json_object_new_string(code));
	json_object_object_add(e, "message", json_object_new_string(m));
	json_object_object_add(e, "field",
	    json_object_new_string(field != NULL ? field : ""));
	json_object_object_add(e, "retry_after_ms", json_object_new_int64(0));
	json_object_object_add(e, "missing", json_object_new_array());
	json_object_object_add(o, "error", e);
	free(m);
	emit(o);
}

static void
emit_error(uint64_t rid, const char *code, const char *message)
{
	emit_error_field(rid, code, NULL, message);
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
	b->sub[b->n_meetings].subscribed = 0;
	b->sub[b->n_meetings].answered_version = 0;
	return &b->meetings[b->n_meetings++];
}

/* A write's answer that is a meeting (open, next, current, ...): kept for
 * the next step, as its event may come after the next command runs. */
static void
note_meeting_answer(struct batch *b, const Tafel__Meeting *mt)
{
	struct model *m = meeting_model(b, mt->id, 0);
	struct sub_ctx *ctx;

	if (m == NULL)
		return;
	ctx = &b->sub[m - b->meetings];
	if (mt->version > ctx->answered_version) {
		ctx->answered_item = mt->current_item_id;
		ctx->answered_version = mt->version;
	}
}

static void subscribe(struct batch *b, struct sub_ctx *ctx, uint64_t from,
    int user);

/*
 * Does an event belong to a topic's subscription?  Events name no
 * subscription, so by the records it carries, as the server routes them
 * (server/push.c sub_wants, protocol.md 8.1).  A case-level event that came
 * for a meeting subscription counts for the case list too: live events reach
 * a connection in seq order, so the list has had its own events before it.
 */
static int
topic_wants(Tafel__SubscribeTopic topic, const Tafel__Event *ev)
{
	switch (topic) {
	case TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX:
		return ev->inbox_entry != NULL;
	case TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST:
		return ev->meeting != NULL;
	case TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS:
		return ev->nomination != NULL;
	case TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST:
		return ev->case_ != NULL || ev->person != NULL ||
		    ev->contribution != NULL || ev->goal != NULL ||
		    ev->person_link != NULL || ev->info_round != NULL ||
		    ev->proposal != NULL || ev->action_point != NULL ||
		    ev->n_actions > 0;
	default:
		return 0;
	}
}

/* A wait-seq whose seq has come (max_seq: an event's, or a subscribe
 * answer's, also one sent again after a reconnect) ends: the next
 * command runs. */
static void
wait_seq_check(struct batch *b)
{
	if (b->wait_seq != 0 && b->max_seq >= b->wait_seq) {
		b->wait_seq = 0;
		evtimer_del(b->timer);
		batch_process(b);
	}
}

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
	/* not while a subscribe is out: its answer sets the seq */
	for (size_t i = 0; i < BATCH_TOPICS; i++)
		if (b->topics[i].on && b->topics[i].rid == 0 &&
		    topic_wants(b->topics[i].topic, ev) &&
		    ev->seq > b->topics[i].seq)
			b->topics[i].seq = ev->seq;
	for (size_t i = 0; i < b->n_meetings; i++)
		if (b->meetings[i].loaded &&
		    model_apply_event(&b->meetings[i], ev, t) == MODEL_RESYNC)
			subscribe(b, &b->sub[i], 0, 0);
	if (b->org_on && b->org.loaded &&
	    model_apply_event(&b->org, ev, t) == MODEL_RESYNC)
		subscribe(b, &b->sub[BATCH_MAX_MEETINGS], 0, 0);
	wait_seq_check(b);
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
	if (m->body_case == TAFEL__ENVELOPE__BODY_MEETING && m->meeting != NULL)
		note_meeting_answer(b, m->meeting);
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
		if (!r->resumed && ctx->m->kind == MODEL_MEETING)
			model_apply_snapshot(ctx->m, r->seq, r->snapshot, now_s());
		else if (!r->resumed)
			model_apply_actions(ctx->m, r->seq, r->actions, now_s());
		ctx->subscribed = 1;
		if (r->seq > b->max_seq)
			b->max_seq = r->seq;
	} else
		ctx->subscribed = 0;	/* refused: the server holds none */
	on_reply(n, m, b);
	wait_seq_check(b);
}

/* Sends a command's request; the next command waits for its answer.  Only
 * writes carry the key= of the command line. */
static void
send_req(struct batch *b, Tafel__Envelope__BodyCase body_case, void *req,
    int flags, const char *key)
{
	struct validate_error verr;

	/* What the server's generic checks refuse is not sent. */
	if (validate_message(req, &verr) != 0) {
		char *code = lower(error_code_name(verr.code));

		emit_error_field(0, code, verr.field, verr.message);
		free(code);
		return;
	}
	/* a refusal that passes (DATABASE_UNAVAILABLE, OVERLOADED) is
	 * retried with the same key, not left to the script */
	b->wait_rid = net_send_body(b->net, body_case, req,
	    flags | NET_REQ_RETRY, (flags & NET_REQ_WRITE) ? key : NULL,
	    on_reply, b);
}

/* (Re)subscribes to a meeting or the org actions; user: the command waits. */
static void
subscribe(struct batch *b, struct sub_ctx *ctx, uint64_t from, int user)
{
	Tafel__SubscribeRequest r = TAFEL__SUBSCRIBE_REQUEST__INIT;
	uint64_t rid;

	if (ctx->m->kind == MODEL_MEETING) {
		r.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
		r.meeting_id = ctx->m->meeting_id;
	} else
		r.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS;
	r.resume_from = from;
	rid = net_send_body(b->net, TAFEL__ENVELOPE__BODY_SUBSCRIBE, &r,
	    NET_REQ_READ | NET_REQ_RETRY, NULL, on_subscribed, ctx);
	if (user)
		b->wait_rid = rid;
}

/* --- commands ------------------------------------------------------------ */

/* The NAME=VALUE options a command may take (besides key=). */
static const char *const cmd_options[] = { "goal", "lead-org",
    "case-manager", "end-date", "ends", "hearing", "meeting", "from", "to",
    "before", NULL };
#define BATCH_MAX_OPTIONS 10
_Static_assert(sizeof cmd_options / sizeof cmd_options[0] ==
    BATCH_MAX_OPTIONS + 1, "a slot in cmd_args.opt per option");

struct cmd_args {
	int argc;
	char *argv[BATCH_MAX_ARGS];
	const char *key;		/* key=K */
	int64_t owner_user;		/* owner-user=ID */
	const char *opt[BATCH_MAX_OPTIONS];	/* cmd_options[i]=VALUE */
	char text[8192];		/* argv[from..] joined, for TEXT... */
	char text2[8192];		/* the words after "|" (TEXT2) */
};

typedef int (*cmd_fn)(struct batch *, struct cmd_args *);

/* One argument of a request command: the request field a word fills.  The
 * field's type says how the word is read: an int64 a non-negative number,
 * a string the word itself, an enum its short name ("in_progress"), a bool
 * one of the words yes/no. */
enum arg_kind {
	ARG_END,
	ARG_WORD,			/* the next word */
	ARG_TEXT,			/* this and all later words (TEXT...) */
	ARG_TEXT1,			/* the later words up to "|" */
	ARG_TEXT2,			/* the words after "|" */
	ARG_OWNER_USER,			/* owner-user=ID, no word */
	ARG_OPTION			/* NAME=VALUE (yes: NAME), no word */
};

struct cmd_arg {
	enum arg_kind kind;
	const char *field;		/* the proto field name */
	const char *yes, *no;		/* bool fields: the words */
};

#define W(f) { ARG_WORD, f, NULL, NULL }
#define B(f, y, n) { ARG_WORD, f, y, n }
#define TEXT(f) { ARG_TEXT, f, NULL, NULL }
#define OWNER_USER(f) { ARG_OWNER_USER, f, NULL, NULL }
#define TEXT1(f) { ARG_TEXT1, f, NULL, NULL }
#define TEXT2(f) { ARG_TEXT2, f, NULL, NULL }
#define OPT(f, name) { ARG_OPTION, f, name, NULL }

struct cmd_entry {
	const char *name;
	int min_args;			/* after the command name */
	const char *usage;		/* for error messages and docs/cli.md */
	cmd_fn fn;			/* a command of its own, or NULL: */
	Tafel__Envelope__BodyCase body;	/* the request it sends, */
	int flags;			/* NET_REQ_WRITE: with the key */
	struct cmd_arg args[8];		/* filled from the words, in order */
};

static int
parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (strcmp(s, "-") == 0) {	/* "none" */
		*out = 0;
		return 0;
	}
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
		const char *s = pbjson_enum_name(d, d->values[i].value);

		if (s != NULL && strcmp(s, name) == 0) {
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

/* Splits argv[from..] at the word "|": text gets the words before it,
 * text2 those after it ("" when there is no "|"). */
static void
split_from(struct cmd_args *a, int from)
{
	int bar = from, saved = a->argc;

	while (bar < a->argc && strcmp(a->argv[bar], "|") != 0)
		bar++;
	join_from(a, bar < saved ? bar + 1 : saved);
	memcpy(a->text2, a->text, sizeof a->text2);
	a->argc = bar;
	join_from(a, from);
	a->argc = saved;
}

/* Stores one word into the field at p; -1 if the word does not fit it. */
static int
parse_word(const ProtobufCFieldDescriptor *f, const struct cmd_arg *spec,
    char *word, void *p)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64:
		return parse_id(word, p);
	case PROTOBUF_C_TYPE_UINT32: {
		int64_t v;

		if (parse_id(word, &v) != 0 || v > UINT32_MAX)
			return -1;
		*(uint32_t *)p = (uint32_t)v;
		return 0;
	}
	case PROTOBUF_C_TYPE_STRING:
		*(char **)p = strcmp(word, "-") == 0 ? "" : word;
		return 0;
	case PROTOBUF_C_TYPE_ENUM:
		return enum_by_short(f->descriptor, word, p);
	case PROTOBUF_C_TYPE_BOOL:
		if (strcmp(word, spec->yes) != 0 && strcmp(word, spec->no) != 0)
			return -1;
		*(protobuf_c_boolean *)p = strcmp(word, spec->yes) == 0;
		return 0;
	default:
		fatalx("batch: field %s: type %d not supported", f->name,
		    (int)f->type);
	}
	return -1;
}

/* A request command of the table: the words into the request's fields,
 * then the request, with the key for a write. */
static int
cmd_request(struct batch *b, const struct cmd_entry *c, struct cmd_args *a)
{
	const ProtobufCFieldDescriptor *bf =
	    protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    (unsigned)c->body);
	const ProtobufCMessageDescriptor *d = bf->descriptor;
	_Alignas(max_align_t) unsigned char req[256];
	/* One nested message ("person.name", "goal.description"). */
	_Alignas(max_align_t) unsigned char sub[256];
	int word = 1, split = 0;

	if (d->sizeof_message > sizeof req)
		fatalx("batch: %s too large", d->name);
	protobuf_c_message_init(d, req);
	for (const struct cmd_arg *arg = c->args; arg < c->args +
	    sizeof c->args / sizeof c->args[0] && arg->kind != ARG_END; arg++) {
		const ProtobufCMessageDescriptor *md = d;
		unsigned char *base = req;
		const char *name = arg->field, *dot = strchr(name, '.');
		const ProtobufCFieldDescriptor *f;
		void *p;

		if (dot != NULL) {
			char outer[64];

			snprintf(outer, sizeof outer, "%.*s", (int)(dot - name),
			    name);
			f = protobuf_c_message_descriptor_get_field_by_name(d,
			    outer);
			md = f->descriptor;
			if (md->sizeof_message > sizeof sub)
				fatalx("batch: %s too large", md->name);
			if (*(void **)(req + f->offset) == NULL) {
				protobuf_c_message_init(md, sub);
				*(void **)(req + f->offset) = sub;
			}
			base = sub;
			name = dot + 1;
		}
		f = protobuf_c_message_descriptor_get_field_by_name(md, name);
		p = base + f->offset;
		if (arg->kind == ARG_OWNER_USER)
			*(int64_t *)p = a->owner_user;
		else if (arg->kind == ARG_OPTION) {
			for (int i = 0; cmd_options[i] != NULL; i++)
				if (strcmp(cmd_options[i], arg->yes) == 0 &&
				    a->opt[i] != NULL &&
				    parse_word(f, arg, (char *)a->opt[i], p) != 0)
					return -1;
		} else if (arg->kind == ARG_TEXT) {
			join_from(a, word);
			*(char **)p = a->text;
		} else if (arg->kind == ARG_TEXT1 || arg->kind == ARG_TEXT2) {
			if (!split)
				split_from(a, word);
			split = 1;
			*(char **)p = arg->kind == ARG_TEXT1 ? a->text : a->text2;
		} else if (word >= a->argc ||
		    parse_word(f, arg, a->argv[word++], p) != 0)
			return -1;
	}
	send_req(b, c->body, req, c->flags, a->key);
	return 0;
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
	if (m == NULL) {
		char msg[120];

		snprintf(msg, sizeof msg, "at most %d meetings can be "
		    "subscribed in one run (subscribe-list meetings follows "
		    "them all)", BATCH_MAX_MEETINGS);
		emit_error(0, "bad_command", msg);
		return 1;
	}
	subscribe(b, &b->sub[m - b->meetings], (uint64_t)from, 1);
	return 0;
}

/* A topic's answer: printed; the slot remembers whether it holds. */
static void
on_topic_subscribed(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct topic_sub *t = arg;
	struct batch *b = t->b;

	if (m == NULL)
		return;
	t->rid = 0;
	if (m->body_case == TAFEL__ENVELOPE__BODY_SUBSCRIBED) {
		t->on = 1;
		/* resumed: the seq asked for; else the fresh list's */
		t->seq = m->subscribed->seq;
		if (m->subscribed->seq > b->max_seq)
			b->max_seq = m->subscribed->seq;
	} else
		t->on = 0;	/* a refused subscribe leaves none behind */
	on_reply(n, m, b);
	wait_seq_check(b);
}

/*
 * Subscribes to a list topic or the inbox (again): from 0 a fresh list,
 * else resuming after that seq.  user: a command, which waits for it.
 */
static void
topic_subscribe(struct batch *b, Tafel__SubscribeTopic topic,
    int include_closed, uint64_t from, int user)
{
	Tafel__SubscribeRequest r = TAFEL__SUBSCRIBE_REQUEST__INIT;
	struct topic_sub *t = NULL;

	for (size_t i = 0; i < BATCH_TOPICS; i++)
		if (b->topics[i].topic == topic)
			t = &b->topics[i];
	if (t == NULL)
		fatalx("batch: no slot for topic %d", (int)topic);
	t->include_closed = include_closed;
	r.topic = topic;
	r.include_closed = include_closed;
	r.resume_from = from;
	t->rid = net_send_body(b->net, TAFEL__ENVELOPE__BODY_SUBSCRIBE, &r,
	    NET_REQ_READ | NET_REQ_RETRY, NULL, on_topic_subscribed, t);
	if (user)
		b->wait_rid = t->rid;
}

static int
cmd_subscribe_cases(struct batch *b, struct cmd_args *a)
{
	(void)a;
	topic_subscribe(b, TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST, 0, 0, 1);
	return 0;
}

/* minutes MEETING_ID [txt|pdf FILE]: the answer is printed; with a format
 * the minutes are also written as a document (common/minutes.c). */
static struct {
	char format[4];
	char path[1024];
} minutes_out;

static void
on_minutes(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct json_object *o;
	char err[1200];
	FILE *f;
	int rc;

	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_MINUTES &&
	    minutes_out.format[0] != '\0') {
		o = pbjson_from_message(&m->minutes->base);
		if (strcmp(minutes_out.format, "pdf") == 0) {
			rc = minutes_write_pdf(o, minutes_out.path, err,
			    sizeof err);
		} else if ((f = minutes_fopen(minutes_out.path)) != NULL) {
			errno = 0;
			rc = minutes_write_text(o, f);
			if (fclose(f) != 0)
				rc = -1;
			snprintf(err, sizeof err, "%s: cannot write: %s",
			    minutes_out.path, errno != 0 ? strerror(errno) :
			    "write failed");
		} else {
			rc = -1;
			snprintf(err, sizeof err, "%s: %s", minutes_out.path,
			    strerror(errno));
		}
		if (rc != 0)
			emit_error(0, "minutes_export", err);
		json_object_put(o);
	}
	on_reply(n, m, arg);
}

static int
cmd_minutes(struct batch *b, struct cmd_args *a)
{
	Tafel__MinutesRequest r = TAFEL__MINUTES_REQUEST__INIT;

	if (parse_id(a->argv[1], &r.meeting_id) != 0)
		return -1;
	minutes_out.format[0] = '\0';
	if (a->argc == 4 && (strcmp(a->argv[2], "txt") == 0 ||
	    strcmp(a->argv[2], "pdf") == 0)) {
		snprintf(minutes_out.format, sizeof minutes_out.format, "%s",
		    a->argv[2]);
		snprintf(minutes_out.path, sizeof minutes_out.path, "%s",
		    a->argv[3]);
	} else if (a->argc != 2)
		return -1;
	b->wait_rid = net_send_body(b->net, TAFEL__ENVELOPE__BODY_GET_MINUTES,
	    &r, NET_REQ_READ | NET_REQ_RETRY, NULL, on_minutes, b);
	return 0;
}

/* report-csv orgs|areas FROM TO|QUARTER FILE: the report, printed and
 * written as CSV (common/report-csv.c); report-pdf FROM TO|QUARTER FILE:
 * printed and written as the steering group's PDF (common/report-pdf.c),
 * made for the user's organisation and role. */
static struct {
	int table;			/* -1: the PDF */
	char path[1024];
	char made_for[300];
} report_out;

static void
on_report(struct net *n, const Tafel__Envelope *m, void *arg)
{
	struct json_object *o;
	char err[1200];
	FILE *f;
	int rc = -1;

	if (m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_REPORT) {
		o = pbjson_from_message(&m->report->base);
		if (report_out.table < 0) {
			rc = report_write_pdf(o, report_out.made_for,
			    report_out.path, err, sizeof err);
		} else if ((f = fopen(report_out.path, "w")) != NULL) {
			errno = 0;
			rc = report_write_csv(o, (enum report_table)report_out.table,
			    f);
			if (fclose(f) != 0)
				rc = -1;
			if (rc != 0)
				snprintf(err, sizeof err, "%s: cannot write: %s",
				    report_out.path, errno != 0 ?
				    strerror(errno) : "write failed");
		} else
			/* why, as for the PDF: 'No such file or directory' */
			snprintf(err, sizeof err, "%s: %s", report_out.path,
			    strerror(errno));
		if (rc != 0)
			emit_error(0, "report_export", err);
		json_object_put(o);
	}
	on_reply(n, m, arg);
}

/* The period from the words at argv[i]: FROM TO, or one quarter
 * (2026Q4); the index after it, or -1. */
static int
report_period(struct cmd_args *a, int i, int left, char from[16], char to[16])
{
	char qf[11], qt[11];

	if (left == 1 && report_quarter(a->argv[i], qf, qt) == 0) {
		snprintf(from, 16, "%s", qf);
		snprintf(to, 16, "%s", qt);
		return i + 1;
	}
	if (left != 2)
		return -1;
	snprintf(from, 16, "%s", a->argv[i]);
	snprintf(to, 16, "%s", a->argv[i + 1]);
	return i + 2;
}

static void
send_report(struct batch *b, const char *from, const char *to)
{
	Tafel__ReportRequest r = TAFEL__REPORT_REQUEST__INIT;

	r.from = (char *)from;
	r.to = (char *)to;
	b->wait_rid = net_send_body(b->net, TAFEL__ENVELOPE__BODY_GET_REPORT,
	    &r, NET_REQ_READ | NET_REQ_RETRY, NULL, on_report, b);
}

static int
cmd_report_csv(struct batch *b, struct cmd_args *a)
{
	char from[16], to[16];

	if (a->argc < 4 || a->argc > 5)
		return -1;
	if (strcmp(a->argv[1], "orgs") == 0)
		report_out.table = REPORT_ORGS;
	else if (strcmp(a->argv[1], "areas") == 0)
		report_out.table = REPORT_AREAS;
	else
		return -1;
	if (report_period(a, 2, a->argc - 3, from, to) < 0)
		return -1;
	snprintf(report_out.path, sizeof report_out.path, "%s",
	    a->argv[a->argc - 1]);
	send_report(b, from, to);
	return 0;
}

static int
cmd_report_pdf(struct batch *b, struct cmd_args *a)
{
	char from[16], to[16];

	if (a->argc < 3 || a->argc > 4 ||
	    report_period(a, 1, a->argc - 2, from, to) < 0)
		return -1;
	report_out.table = -1;
	snprintf(report_out.made_for, sizeof report_out.made_for, "%s",
	    b->made_for);
	snprintf(report_out.path, sizeof report_out.path, "%s",
	    a->argv[a->argc - 1]);
	send_report(b, from, to);
	return 0;
}

/* report FROM TO|QUARTER: the Report as the answer. */
static int
cmd_report(struct batch *b, struct cmd_args *a)
{
	char from[16], to[16];

	if (report_period(a, 1, a->argc - 1, from, to) < 0)
		return -1;
	{
		Tafel__ReportRequest r = TAFEL__REPORT_REQUEST__INIT;

		r.from = from;
		r.to = to;
		send_req(b, TAFEL__ENVELOPE__BODY_GET_REPORT, &r, NET_REQ_READ,
		    NULL);
	}
	return 0;
}

/* The inbox topic (feedback on the cases my organisation submitted): the
 * answer and the events are printed, as for the cases topic. */
static int
cmd_subscribe_inbox(struct batch *b, struct cmd_args *a)
{
	(void)a;
	topic_subscribe(b, TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX, 0, 0, 1);
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
	subscribe(b, &b->sub[BATCH_MAX_MEETINGS], 0, 1);
	return 0;
}

/* next/prev: set_current_item to the neighbour in the subscribed meeting. */
static int
step(struct batch *b, struct cmd_args *a, int dir)
{
	Tafel__SetCurrentItemRequest r = TAFEL__SET_CURRENT_ITEM_REQUEST__INIT;
	struct model *m;
	struct sub_ctx *ctx;

	ID(1, r.meeting_id);
	m = meeting_model(b, r.meeting_id, 0);
	if (m == NULL || !b->sub[m - b->meetings].subscribed) {
		emit_error(0, "bad_command", "not subscribed to that meeting");
		return 1;
	}
	if (!m->loaded) {
		/* subscribe ID RESUME_SEQ brings events, no agenda to step in */
		emit_error(0, "bad_command", "no agenda of that meeting: it was "
		    "subscribed with a RESUME_SEQ (no snapshot); subscribe "
		    "without it first");
		return 1;
	}
	/* from where this run's last write left the meeting while its event
	 * is still to come ('next' twice in a row went to one item twice),
	 * else from the current item as the events say */
	ctx = &b->sub[m - b->meetings];
	r.item_id = model_neighbour_of(m, m->meeting != NULL &&
	    m->meeting->version < ctx->answered_version ?
	    ctx->answered_item : model_current_item(m), dir);
	if (r.item_id == 0) {
		emit_error(0, "bad_command", dir > 0 ? "no next agenda item" :
		    "no previous agenda item");
		return 1;
	}
	send_req(b, TAFEL__ENVELOPE__BODY_SET_CURRENT_ITEM, &r, NET_REQ_WRITE,
	    a->key);
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

/* mdo: the chair is optional (0: oneself). */
static int
cmd_mdo(struct batch *b, struct cmd_args *a)
{
	Tafel__PlanMdoRequest r = TAFEL__PLAN_MDO_REQUEST__INIT;

	ID(1, r.case_id);
	ID(2, r.scheduled_start);
	if (a->argc > 3)
		ID(3, r.chair_id);
	send_req(b, TAFEL__ENVELOPE__BODY_PLAN_MDO, &r, NET_REQ_WRITE, a->key);
	return 0;
}

static int
cmd_ping(struct batch *b, struct cmd_args *a)
{
	Tafel__PingRequest r = TAFEL__PING_REQUEST__INIT;

	r.nonce = (uint64_t)time(NULL);
	send_req(b, TAFEL__ENVELOPE__BODY_PING, &r, NET_REQ_READ, NULL);
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
	batch_stop(b, 0);
	return 0;
}

/*
 * plan SERIES_ID FIRST_DATE HH:MM [EVERY_WEEKS UNTIL] [chair=ID]: one date,
 * or every N weeks up to UNTIL (the server expands it, in one write).
 */
static int
cmd_plan(struct batch *b, struct cmd_args *a)
{
	Tafel__PlanMeetingsRequest r = TAFEL__PLAN_MEETINGS_REQUEST__INIT;
	int64_t every = 0;
	int i = 4;

	ID(1, r.series_id);
	r.first_date = a->argv[2];
	r.time = a->argv[3];
	if (a->argc > 4 && strncmp(a->argv[4], "chair=", 6) != 0) {
		if (a->argc < 6 || parse_id(a->argv[4], &every) != 0 ||
		    every > UINT32_MAX)
			return -1;
		r.every_weeks = (uint32_t)every;
		r.until = a->argv[5];
		i = 6;
	}
	if (a->argc > i) {
		if (strncmp(a->argv[i], "chair=", 6) != 0 || a->argc > i + 1 ||
		    parse_id(a->argv[i] + 6, &r.chair_id) != 0)
			return -1;
	}
	send_req(b, TAFEL__ENVELOPE__BODY_PLAN_MEETINGS, &r, NET_REQ_WRITE,
	    a->key);
	return 0;
}

/* "YYYY-MM-DD" + "HH:MM" in Europe/Amsterdam as Unix seconds; -1 if bad. */
static int64_t
amsterdam_time(const char *date, const char *hm)
{
	struct tm tm;
	char buf[40], *saved, *end;
	const char *tz = getenv("TZ");
	time_t t;

	memset(&tm, 0, sizeof tm);
	snprintf(buf, sizeof buf, "%s %s", date, hm);
	end = strptime(buf, "%Y-%m-%d %H:%M", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	tm.tm_isdst = -1;
	saved = tz != NULL ? xstrdup(tz) : NULL;
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	t = mktime(&tm);
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else
		unsetenv("TZ");
	tzset();
	return t == (time_t)-1 ? -1 : (int64_t)t;
}

/* move-meeting MEETING_ID VERSION DATE HH:MM (Europe/Amsterdam) */
static int
cmd_move_meeting(struct batch *b, struct cmd_args *a)
{
	Tafel__MoveMeetingRequest r = TAFEL__MOVE_MEETING_REQUEST__INIT;

	ID(1, r.meeting_id);
	ID(2, r.version);
	r.scheduled_start = amsterdam_time(a->argv[3], a->argv[4]);
	if (r.scheduled_start < 0)
		return -1;
	send_req(b, TAFEL__ENVELOPE__BODY_MOVE_MEETING, &r, NET_REQ_WRITE,
	    a->key);
	return 0;
}

/* reorder MEETING_ID ITEM_ID...: every item of the meeting, in order. */
static int
cmd_reorder(struct batch *b, struct cmd_args *a)
{
	Tafel__ReorderAgendaRequest r = TAFEL__REORDER_AGENDA_REQUEST__INIT;
	int64_t ids[BATCH_MAX_ARGS];

	ID(1, r.meeting_id);
	for (int i = 2; i < a->argc; i++)
		ID(i, ids[i - 2]);
	r.n_item_ids = (size_t)(a->argc - 2);
	r.item_ids = ids;
	send_req(b, TAFEL__ENVELOPE__BODY_REORDER_AGENDA, &r, NET_REQ_WRITE,
	    a->key);
	return 0;
}

/* info-round CASE_ID REPLY_BY ORG_ID...: start an info round. */
static int
cmd_info_round(struct batch *b, struct cmd_args *a)
{
	Tafel__StartInfoRoundRequest r = TAFEL__START_INFO_ROUND_REQUEST__INIT;
	int64_t ids[BATCH_MAX_ARGS];

	ID(1, r.case_id);
	r.reply_by = a->argv[2];
	for (int i = 3; i < a->argc; i++)
		ID(i, ids[i - 3]);
	r.n_org_ids = (size_t)(a->argc - 3);
	r.org_ids = ids;
	send_req(b, TAFEL__ENVELOPE__BODY_START_INFO_ROUND, &r, NET_REQ_WRITE,
	    a->key);
	return 0;
}

/*
 * subscribe-list meetings|cases|nominations [all]: a live list (its
 * snapshot is the answer; its events are printed like every event).
 */
static int
cmd_subscribe_list(struct batch *b, struct cmd_args *a)
{
	Tafel__SubscribeTopic topic;
	int all = 0;

	if (strcmp(a->argv[1], "meetings") == 0)
		topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST;
	else if (strcmp(a->argv[1], "cases") == 0)
		topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST;
	else if (strcmp(a->argv[1], "nominations") == 0)
		topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS;
	else
		return -1;
	if (a->argc > 2) {
		if (strcmp(a->argv[2], "all") != 0)
			return -1;
		all = 1;
	}
	topic_subscribe(b, topic, all, 0, 1);
	return 0;
}

#define RD NET_REQ_READ
#define WR NET_REQ_WRITE
#define REQ(CASE, flags, ...) NULL, TAFEL__ENVELOPE__BODY_##CASE, flags, \
	{ __VA_ARGS__ }
#define FN(fn) fn, TAFEL__ENVELOPE__BODY__NOT_SET, 0, \
	{ { ARG_END, NULL, NULL, NULL } }
#define FNW(fn) fn, TAFEL__ENVELOPE__BODY__NOT_SET, WR, \
	{ { ARG_END, NULL, NULL, NULL } }	/* a command that writes: key= */

/* Adding a command means adding one row here (and a line in docs/cli.md);
 * most are a request whose fields come from the words, in order. */
static const struct cmd_entry cmd_table[] = {
	{ "subscribe", 1, "subscribe MEETING_ID [RESUME_SEQ]",
	  FN(cmd_subscribe) },
	{ "subscribe-actions", 0, "subscribe-actions",
	  FN(cmd_subscribe_actions) },
	{ "subscribe-cases", 0, "subscribe-cases", FN(cmd_subscribe_cases) },
	/* After the meeting: the inbox (docs/protocol.md 7.12). */
	{ "subscribe-inbox", 0, "subscribe-inbox", FN(cmd_subscribe_inbox) },
	{ "inbox", 2, "inbox unread|all received|sent",
	  REQ(LIST_INBOX, RD, B("unread_only", "unread", "all"),
	  B("include_sent", "sent", "received")) },
	{ "minutes", 1, "minutes MEETING_ID [txt|pdf FILE]", FN(cmd_minutes) },
	{ "report", 1, "report FROM TO|QUARTER", FN(cmd_report) },
	{ "report-csv", 3, "report-csv orgs|areas FROM TO|QUARTER FILE",
	  FN(cmd_report_csv) },
	{ "report-pdf", 2, "report-pdf FROM TO|QUARTER FILE",
	  FN(cmd_report_pdf) },
	{ "open-actions", 1, "open-actions MEETING_ID",
	  REQ(LIST_OPEN_ACTIONS, RD, W("meeting_id")) },
	{ "read", 1, "read INBOX_ENTRY_ID",
	  REQ(MARK_INBOX_READ, WR, W("id")) },
	{ "meetings", 0, "meetings", REQ(LIST_MEETINGS, RD) },
	{ "my-actions", 0, "my-actions", REQ(LIST_MY_ACTIONS, RD) },
	{ "case", 1, "case ID", REQ(GET_CASE, RD, W("case_id")) },
	{ "orgs", 0, "orgs", REQ(LIST_ORGANISATIONS, RD) },
	{ "cases", 0, "cases [before=ID]",
	  REQ(LIST_CASES, RD, OPT("before_id", "before")) },
	{ "open", 2, "open MEETING_ID VERSION",
	  REQ(OPEN_MEETING, WR, W("meeting_id"), W("version")) },
	{ "close", 2, "close MEETING_ID VERSION",
	  REQ(CLOSE_MEETING, WR, W("meeting_id"), W("version")) },
	{ "current", 2, "current MEETING_ID ITEM_ID",
	  REQ(SET_CURRENT_ITEM, WR, W("meeting_id"), W("item_id")) },
	{ "next", 1, "next MEETING_ID", FNW(cmd_next) },
	{ "prev", 1, "prev MEETING_ID", FNW(cmd_prev) },
	{ "add-item", 2, "add-item MEETING_ID CASE_ID",
	  REQ(ADD_AGENDA_ITEM, WR, W("meeting_id"), W("case_id")) },
	{ "decision", 3, "decision ITEM_ID VERSION TEXT...",
	  REQ(RECORD_DECISION, WR, W("item_id"), W("version"),
	  TEXT("decision")) },
	{ "action", 5, "action CASE_ID MEETING_ID OWNER_ORG_ID "
	  "DUE_DATE DESCRIPTION... [owner-user=ID] [goal=ID]",
	  REQ(CREATE_ACTION, WR, W("case_id"), W("meeting_id"),
	  W("owner_org_id"), W("due_date"), TEXT("description"),
	  OWNER_USER("owner_user_id"), OPT("goal_id", "goal")) },
	{ "complete", 3, "complete ACTION_ID VERSION NOTE...",
	  REQ(COMPLETE_ACTION, WR, W("id"), W("version"), TEXT("note")) },
	{ "cancel", 3, "cancel ACTION_ID VERSION REASON...",
	  REQ(CANCEL_ACTION, WR, W("id"), W("version"), TEXT("note")) },
	{ "attend", 4, "attend MEETING_ID USER_ID present|absent room|remote",
	  REQ(RECORD_ATTENDANCE, WR, W("meeting_id"), W("user_id"),
	  B("present", "present", "absent"), B("remote", "remote", "room")) },
	{ "move", 3, "move CASE_ID VERSION STATUS [lead-org=ID] "
	  "[case-manager=ID] [end-date=DATE] [CLOSING_REASON... | EVALUATION...]",
	  REQ(MOVE_CASE, WR, W("id"), W("version"), W("to"),
	  OPT("lead_org_id", "lead-org"), OPT("case_manager_id", "case-manager"),
	  OPT("end_date", "end-date"), TEXT1("closing_reason"),
	  TEXT2("evaluation")) },
	/* Intake, routing and the plan of approach (docs/protocol.md 7.6). */
	{ "signal", 4, "signal THEME DISTRICT APPROACH REASON...",
	  REQ(CREATE_CASE, WR, W("theme"), W("district"), W("approach"),
	  TEXT("reason")) },
	{ "add-person", 4, "add-person CASE_ID ROLE BIRTH_DATE|- NAME...",
	  REQ(ADD_PERSON, WR, W("person.case_id"), W("person.role"),
	  W("person.birth_date"), TEXT("person.name")) },
	{ "earlier", 1, "earlier CASE_ID",
	  REQ(LIST_EARLIER_CASES, RD, W("case_id")) },
	{ "link", 2, "link PERSON_ID OTHER_PERSON_ID",
	  REQ(LINK_PERSONS, WR, W("person_id"), W("other_person_id")) },
	{ "contribute", 2, "contribute CASE_ID FACTS... [| JUDGEMENT...]",
	  REQ(ADD_CONTRIBUTION, WR, W("case_id"), TEXT1("facts"),
	  TEXT2("judgement")) },
	{ "update-contribution", 3, "update-contribution ID VERSION FACTS... "
	  "[| JUDGEMENT...]",
	  REQ(UPDATE_CONTRIBUTION, WR, W("id"), W("version"), TEXT1("facts"),
	  TEXT2("judgement")) },
	{ "goal", 2, "goal CASE_ID DESCRIPTION...",
	  REQ(ADD_GOAL, WR, W("goal.case_id"), TEXT("goal.description")) },
	{ "update-goal", 4, "update-goal GOAL_ID VERSION open|achieved "
	  "DESCRIPTION...",
	  REQ(UPDATE_GOAL, WR, W("goal.id"), W("goal.version"),
	  B("goal.achieved", "achieved", "open"), TEXT("goal.description")) },
	{ "routing", 6, "routing CASE_ID VERSION LEAD_ORG_ID|- CASE_MANAGER_ID|- "
	  "END_DATE|- REVIEW_DATE|- [CLOSING_REASON... | EVALUATION...]",
	  REQ(UPDATE_ROUTING, WR, W("id"), W("version"), W("lead_org_id"),
	  W("case_manager_id"), W("end_date"), W("review_date"),
	  TEXT1("closing_reason"), TEXT2("evaluation")) },
	{ "mdo", 2, "mdo CASE_ID START_UNIX_SECONDS [CHAIR_ID]",
	  FNW(cmd_mdo) },
	{ "remove-item", 2, "remove-item ITEM_ID VERSION",
	  REQ(REMOVE_AGENDA_ITEM, WR, W("item_id"), W("version")) },
	{ "reorder", 2, "reorder MEETING_ID ITEM_ID...", FNW(cmd_reorder) },
	{ "plan", 3, "plan SERIES_ID FIRST_DATE HH:MM [EVERY_WEEKS UNTIL] "
	  "[chair=ID]", FNW(cmd_plan) },
	{ "move-meeting", 4, "move-meeting MEETING_ID VERSION DATE HH:MM",
	  FNW(cmd_move_meeting) },
	{ "cancel-meeting", 2, "cancel-meeting MEETING_ID VERSION [REASON...]",
	  REQ(CANCEL_MEETING, WR, W("meeting_id"), W("version"),
	  TEXT("reason")) },
	{ "nominate", 3, "nominate SERIES_ID CASE_ID REASON...",
	  REQ(NOMINATE_CASE, WR, W("series_id"), W("case_id"),
	  TEXT("reason")) },
	{ "accept-nomination", 3, "accept-nomination ID VERSION MEETING_ID",
	  REQ(ACCEPT_NOMINATION, WR, W("id"), W("version"),
	  W("meeting_id")) },
	{ "decline-nomination", 3, "decline-nomination ID VERSION REASON...",
	  REQ(DECLINE_NOMINATION, WR, W("id"), W("version"), TEXT("reason")) },
	{ "nominations", 2, "nominations SERIES_ID pending|all",
	  REQ(LIST_NOMINATIONS, RD, W("series_id"),
	  B("include_decided", "all", "pending")) },
	{ "subscribe-list", 1, "subscribe-list meetings|cases|nominations "
	  "[all]", FN(cmd_subscribe_list) },
	/* Legal clocks (docs/protocol.md 7.9). */
	{ "clock", 3, "clock CASE_ID KIND START_DATE [ends=DATE] "
	  "[hearing=DATE] [NOTE...]",
	  REQ(SET_CLOCK, WR, W("case_id"), W("kind"), W("starts_on"),
	  OPT("ends_on", "ends"), OPT("hearing_date", "hearing"),
	  TEXT("note")) },
	{ "extend-clock", 3, "extend-clock CLOCK_ID VERSION END_DATE|- "
	  "[hearing=DATE] [NOTE...]",
	  REQ(EXTEND_CLOCK, WR, W("id"), W("version"), W("ends_on"),
	  OPT("hearing_date", "hearing"), TEXT("note")) },
	/* The info round (docs/protocol.md 7.10). */
	{ "info-round", 3, "info-round CASE_ID REPLY_BY ORG_ID...",
	  FNW(cmd_info_round) },
	{ "answer-info", 2, "answer-info ROUND_ID known|not_known [NOTE...]",
	  REQ(ANSWER_INFO_ROUND, WR, W("id"), W("answer"), TEXT("note")) },
	{ "close-info", 2, "close-info ROUND_ID VERSION",
	  REQ(CLOSE_INFO_ROUND, WR, W("id"), W("version")) },
	{ "info-rounds", 2, "info-rounds CASE_ID|0 open|all",
	  REQ(LIST_INFO_ROUNDS, RD, W("case_id"),
	  B("include_closed", "all", "open")) },
	/* Proposals, publishing, the calendar (docs/protocol.md 7.11). */
	{ "proposals", 1, "proposals SERIES_ID|0 [meeting=ID]",
	  REQ(LIST_PROPOSALS, RD, W("series_id"), OPT("meeting_id", "meeting")) },
	{ "decline-proposal", 3, "decline-proposal MEETING_ID CASE_ID REASON...",
	  REQ(DECLINE_PROPOSAL, WR, W("meeting_id"), W("case_id"),
	  TEXT("reason")) },
	{ "publish", 2, "publish MEETING_ID VERSION",
	  REQ(PUBLISH_AGENDA, WR, W("meeting_id"), W("version")) },
	{ "calendar", 0, "calendar [from=DATE] [to=DATE]",
	  REQ(LIST_CALENDAR, RD, OPT("from", "from"), OPT("to", "to")) },
	{ "ping", 0, "ping", FN(cmd_ping) },
	{ "sleep", 1, "sleep MS", FN(cmd_sleep) },
	{ "wait-seq", 1, "wait-seq N", FN(cmd_wait_seq) },
	{ "quit", 0, "quit", FN(cmd_quit) },
	{ NULL, 0, NULL, FN(NULL) }
};

/*
 * What a command's usage line allows besides its minimum: the most words
 * after the name (-1: any number, a "..." text), and which NAME=VALUE
 * options of cmd_options (bit i) and whether owner-user=.  A NAME=VALUE
 * word of the usage that is no such option (plan's chair=ID) is a word.
 */
struct cmd_shape {
	int max_args;
	unsigned opts;
	int owner_user;
};

static struct cmd_shape
cmd_shape(const struct cmd_entry *c)
{
	struct cmd_shape sh = { 0, 0, 0 };
	const char *p = c->usage, *end;
	char tok[64];
	size_t n;
	int first = 1;

	for (; *p != '\0'; p = end) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (end = p; *end != '\0' && *end != ' '; end++)
			;
		if (first) {			/* the command's name */
			first = 0;
			continue;
		}
		while (*p == '[')
			p++;
		n = (size_t)(end - p);
		while (n > 0 && p[n - 1] == ']')
			n--;
		if (n == 0 || n >= sizeof tok)
			continue;
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (strstr(tok, "...") != NULL) {
			sh.max_args = -1;
			continue;
		}
		if (strcmp(tok, "|") == 0)
			continue;
		if (strncmp(tok, "owner-user=", 11) == 0) {
			sh.owner_user = 1;
			continue;
		}
		for (int i = 0; cmd_options[i] != NULL; i++) {
			size_t k = strlen(cmd_options[i]);

			if (strncmp(tok, cmd_options[i], k) == 0 &&
			    tok[k] == '=') {
				sh.opts |= 1u << i;
				goto next;
			}
		}
		if (sh.max_args >= 0)
			sh.max_args++;
next:		;
	}
	return sh;
}

/* A NAME=VALUE option the command takes (sh): stored, 1; else 0 (a word). */
static int
option(struct cmd_args *a, const struct cmd_shape *sh, const char *tok)
{
	for (int i = 0; cmd_options[i] != NULL; i++) {
		size_t n = strlen(cmd_options[i]);

		if ((sh->opts & (1u << i)) && strncmp(tok, cmd_options[i],
		    n) == 0 && tok[n] == '=') {
			a->opt[i] = tok + n + 1;
			return 1;
		}
	}
	return 0;
}

static void
run_line(struct batch *b, char *line)
{
	struct cmd_args a;
	const struct cmd_entry *c = NULL;
	struct cmd_shape sh = { 0, 0, 0 };
	char *save = NULL, *tok, msg[300];

	memset(&a, 0, sizeof a);
	for (tok = strtok_r(line, " \t\r", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r", &save)) {
		if (a.argc == 0) {
			if (tok[0] == '#')
				return;
			for (c = cmd_table; c->name != NULL; c++)
				if (strcmp(c->name, tok) == 0)
					break;
			if (c->name == NULL) {
				snprintf(msg, sizeof msg, "unknown command: %s",
				    tok);
				emit_error(0, "bad_command", msg);
				return;
			}
			sh = cmd_shape(c);
		} else if (strncmp(tok, "key=", 4) == 0) {
			a.key = tok + 4;
			continue;
		} else if (option(&a, &sh, tok)) {
			continue;
		} else if (sh.owner_user && strncmp(tok, "owner-user=",
		    11) == 0) {
			if (parse_id(tok + 11, &a.owner_user) != 0)
				a.owner_user = -1;
			continue;
		}
		if (a.argc == BATCH_MAX_ARGS) {
			/* refused whole: a text cut short is worse */
			snprintf(msg, sizeof msg, "more than %d words on one "
			    "line", BATCH_MAX_ARGS);
			emit_error(0, "bad_command", msg);
			return;
		}
		a.argv[a.argc++] = tok;
	}
	if (a.argc == 0)
		return;
	if (sh.max_args >= 0 && a.argc - 1 > sh.max_args) {
		/* an extra word is a mistake, not something to drop */
		snprintf(msg, sizeof msg, "too many words (%s takes at most "
		    "%d): usage: %s", c->name, sh.max_args, c->usage);
		emit_error(0, "bad_command", msg);
		return;
	}
	if (a.key != NULL && !(c->flags & NET_REQ_WRITE)) {
		/* a read has no idempotency key: a retry script's mistake */
		snprintf(msg, sizeof msg, "key= is for writes, %s only reads: "
		    "usage: %s", c->name, c->usage);
		emit_error(0, "bad_command", msg);
		return;
	}
	if (a.key != NULL && (strlen(a.key) < 1 || strlen(a.key) > 64)) {
		snprintf(msg, sizeof msg, "key= takes 1..64 characters, not "
		    "%zu: usage: %s", strlen(a.key), c->usage);
		emit_error(0, "bad_command", msg);
		return;
	}
	if (a.argc - 1 < c->min_args || a.owner_user < 0 ||
	    (c->fn != NULL ? c->fn(b, &a) : cmd_request(b, c, &a)) < 0) {
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

	while (b->logged_in && !b->stopped && b->wait_rid == 0 &&
	    !b->sleeping && b->wait_seq == 0) {
		line = evbuffer_readln(b->in, &len, EVBUFFER_EOL_LF);
		if (line == NULL && b->stdin_direct && !b->eof) {
			/* a file or /dev/null: a read never waits */
			if (evbuffer_read(b->in, STDIN_FILENO, 65536) <= 0)
				b->eof = 1;
			continue;
		}
		if (line == NULL) {
			if (b->eof) {
				if (evbuffer_get_length(b->in) > 0) {
					/* last line without a newline */
					evbuffer_add(b->in, "\n", 1);
					continue;
				}
				batch_stop(b, 0);
			}
			return;
		}
		if (memchr(line, '\0', len) != NULL)
			/* its words after the NUL were dropped without a word */
			emit_error(0, "bad_command", "a NUL byte in the line "
			    "(a UTF-16 file? save it as UTF-8)");
		else
			run_line(b, line + utf8_bom_len(line));
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

/*
 * Whether the event loop can watch stdin.  epoll takes pipes, sockets and
 * terminals; it refuses regular files and most other devices (/dev/null
 * under cron or systemd: "Epoll ADD(1) on fd 0 failed ... Operation not
 * permitted", and the end of input was never seen).  A read from those never
 * waits, so batch_process reads them itself when it needs a line.  A stdin
 * that cannot even be looked at (closed) is read directly too: the read
 * fails and that is the end of input.
 */
static const mode_t stdin_watched[] = { S_IFIFO, S_IFSOCK };

static int
stdin_watchable(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return 0;
	for (size_t i = 0; i < sizeof stdin_watched / sizeof stdin_watched[0];
	    i++)
		if ((st.st_mode & S_IFMT) == stdin_watched[i])
			return 1;
	return S_ISCHR(st.st_mode) && isatty(fd);
}

/* --- connection callbacks ------------------------------------------------ */

/* Whom a report PDF is made for: the organisation and the role, never the
 * person (the steering group's report names no one). */
static void
made_for(struct batch *b, const Tafel__LoginResponse *l)
{
	static const struct { Tafel__Role role; const char *name; } roles[] = {
		{ TAFEL__ROLE__ROLE_STEERING, "stuurgroep" },
		{ TAFEL__ROLE__ROLE_CHAIR, "voorzitter" },
		{ TAFEL__ROLE__ROLE_ADMIN, "beheerder" },
	};
	const char *role = NULL;

	for (size_t k = 0; k < sizeof roles / sizeof roles[0] && !role; k++)
		for (size_t i = 0; l->user != NULL && i < l->user->n_roles; i++)
			if (l->user->roles[i] == roles[k].role)
				role = roles[k].name;
	snprintf(b->made_for, sizeof b->made_for, "%s%s%s%s",
	    l->organisation != NULL ? l->organisation->name : "",
	    role ? " (" : "", role ? role : "", role ? ")" : "");
}

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
		made_for(b, l);
		b->logged_in = 1;
		batch_process(b);
		return;
	}
	/* after a reconnect: resume every subscription from its last seq */
	for (size_t i = 0; i < b->n_meetings; i++)
		if (b->sub[i].subscribed)
			subscribe(b, &b->sub[i], b->meetings[i].seq, 0);
	if (b->org_on && b->sub[BATCH_MAX_MEETINGS].subscribed)
		subscribe(b, &b->sub[BATCH_MAX_MEETINGS], b->org.seq, 0);
	/* the lists and the inbox likewise; one still unanswered is sent
	 * again by net itself (NET_REQ_READ) */
	for (size_t i = 0; i < BATCH_TOPICS; i++)
		if (b->topics[i].on && b->topics[i].rid == 0)
			topic_subscribe(b, b->topics[i].topic,
			    b->topics[i].include_closed, b->topics[i].seq, 0);
}

static void
on_fatal(struct net *n, const char *msg, const Tafel__Error *err, void *arg)
{
	struct batch *b = arg;

	fprintf(stderr, "tafel: %s\n", msg);
	b->status = 1;
	b->stopped = 1;
	event_base_loopexit(b->base, NULL);
}

/* The connection's ups and downs on stderr, each once: "the server is
 * stopping" and the retry after it, not again for every refused
 * reconnect while it restarts (the interactive client's status line
 * likewise just stays); a new reason is said, and being back. */
static void
on_state(struct net *n, enum net_state st, void *arg)
{
	struct batch *b = arg;

	if (st == NET_READY && b->said[0] != '\0') {
		fprintf(stderr, "tafel: connected again\n");
		b->said[0] = '\0';
	}
	if (st != NET_BACKOFF || strcmp(b->said, net_last_error(n)) == 0)
		return;
	snprintf(b->said, sizeof b->said, "%s", net_last_error(n));
	fprintf(stderr, "tafel: %s; reconnecting in %d s\n",
	    net_last_error(n), net_backoff_left(n));
}

/*
 * SIGTERM (timeout, systemd, kill), SIGINT (Ctrl-C) or SIGHUP end the run
 * as quit does: the session logs out (the server revokes its resume
 * ticket).  batch_run then dies of the same signal, so the caller sees
 * what it sent.  (During a write, on_signal_now kills at once.)
 */
static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct batch *b = arg;

	if (b->signo == 0)
		b->signo = (int)sig;
	batch_stop(b, 128 + (int)sig);
}

static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP };
#define BATCH_SIGNALS (sizeof stop_signals / sizeof stop_signals[0])

/* libevent's own handlers of the stop signals, which on_signal_now calls */
static struct sigaction ev_handler[BATCH_SIGNALS];

/*
 * The stop signals' handler proper.  libevent's handler only wakes the
 * loop, and a write to a reader that takes no more lines (stopped, hung)
 * is restarted after it: the run would never get to on_signal.  So while
 * emit writes, the signal kills at once, as it did before the run handled
 * it; otherwise it goes to libevent and on_signal.
 */
static void
on_signal_now(int sig)
{
	for (size_t i = 0; i < BATCH_SIGNALS; i++) {
		if (stop_signals[i] != sig)
			continue;
		if (in_emit) {
			signal(sig, SIG_DFL);
			raise(sig);
		} else
			ev_handler[i].sa_handler(sig);
	}
}

/* Puts on_signal_now before libevent's handler of each stop signal (one
 * that takes siginfo, which libevent's does not, is left alone). */
static void
chain_signals(void)
{
	struct sigaction sa;

	for (size_t i = 0; i < BATCH_SIGNALS; i++) {
		if (sigaction(stop_signals[i], NULL, &ev_handler[i]) != 0 ||
		    (ev_handler[i].sa_flags & SA_SIGINFO) ||
		    ev_handler[i].sa_handler == SIG_DFL ||
		    ev_handler[i].sa_handler == SIG_IGN)
			continue;
		sa = ev_handler[i];
		sa.sa_handler = on_signal_now;
		sigaction(stop_signals[i], &sa, NULL);
	}
}

/* The password: --password-file, else TAFEL_PASSWORD, else stdin's first
 * line (asked for with echo off when stdin is a terminal). */
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
	if (isatty(STDIN_FILENO)) {
		char *p = client_ask_password(o);

		if (p == NULL)
			fprintf(stderr, "tafel: no password read\n");
		return p;
	}
	/* byte by byte: the rest of stdin stays for the event loop */
	while (read(STDIN_FILENO, &c, 1) == 1 && c != '\n')
		if (len + 1 < sizeof buf)
			buf[len++] = c;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return xstrdup(buf + utf8_bom_len(buf));
}

int
batch_run(struct client_opts *o)
{
	struct batch b;
	struct net_opts no;
	struct net_callbacks cb = { on_state, on_ready, on_event, on_fatal };
	struct event *sig_ev[BATCH_SIGNALS];
	char err[300], *pw;

	memset(&b, 0, sizeof b);
	b.status = 1;
	for (int i = 0; i <= BATCH_MAX_MEETINGS; i++) {
		b.sub[i].b = &b;
		b.sub[i].m = i < BATCH_MAX_MEETINGS ? &b.meetings[i] : &b.org;
	}
	for (int i = 0; i < BATCH_TOPICS; i++) {
		static const Tafel__SubscribeTopic topics[BATCH_TOPICS] = {
			TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING_LIST,
			TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST,
			TAFEL__SUBSCRIBE_TOPIC__TOPIC_NOMINATIONS,
			TAFEL__SUBSCRIBE_TOPIC__TOPIC_INBOX,
		};

		b.topics[i].b = &b;
		b.topics[i].topic = topics[i];
	}
	if (o->cfg.user == NULL || o->cfg.user[0] == '\0') {
		fprintf(stderr, "tafel: no user: use --user NAME\n");
		return 1;
	}
	/* a closed stdout is a failed write from the start (and its fd
	 * would be taken by the event loop's or the server's) */
	if (fcntl(STDOUT_FILENO, F_GETFD) == -1) {
		fprintf(stderr, "tafel: standard output: %s\n",
		    strerror(errno));
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
	b.stdin_direct = !stdin_watchable(STDIN_FILENO);
	if (!b.stdin_direct && event_add(b.stdin_ev, NULL) != 0)
		b.stdin_direct = 1;	/* refused after all: read directly */
	for (size_t i = 0; i < BATCH_SIGNALS; i++) {
		sig_ev[i] = evsignal_new(b.base, stop_signals[i], on_signal, &b);
		evsignal_add(sig_ev[i], NULL);
	}
	chain_signals();
	running = &b;
	net_start(b.net);
	event_base_dispatch(b.base);
	for (size_t i = 0; i < BATCH_SIGNALS; i++)
		event_free(sig_ev[i]);

	for (size_t i = 0; i < b.n_meetings; i++)
		model_free(&b.meetings[i]);
	if (b.org_on)
		model_free(&b.org);
	net_free(b.net);
	event_free(b.stdin_ev);
	event_free(b.timer);
	evbuffer_free(b.in);
	event_base_free(b.base);
	running = NULL;
	if (b.signo != 0) {
		fflush(stdout);
		signal(b.signo, SIG_DFL);
		raise(b.signo);
	}
	return b.status;
}
