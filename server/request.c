/* Request plumbing: the context of an answer in flight, replies, and the generic read/write paths. */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "envelope.h"
#include "log.h"
#include "parts.h"
#include "pbjson.h"
#include "privacy.h"
#include "server.h"
#include "ratelimit.h"
#include "proto.h"
#include "session.h"
#include "xmalloc.h"

struct req *
req_new(struct conn *c, const Tafel__Envelope *env,
    Tafel__Envelope__BodyCase reply)
{
	struct req *r = xcalloc(1, sizeof *r);

	r->c = c;
	conn_ref(c);
	conn_req_begin(c);
	r->request_id = env->request_id;
	r->reply = reply;
	return r;
}

void
req_free(struct req *r)
{
	conn_req_end(r->c);
	conn_unref(r->c);
	free(r);
}

int
req_gone(const struct req *r)
{
	return r->c->state >= CONN_CLOSING;
}

int
req_reply(struct req *r, Tafel__Envelope *env)
{
	size_t size;

	if (req_gone(r))
		return 0;
	env->request_id = r->request_id;
	size = protobuf_c_message_get_packed_size(&env->base);
	ratelimit_charge(&r->c->rate, r->c->session != NULL ?
	    r->c->session->user_id : 0, size);
	if (size <= TAFEL_MAX_FRAME)
		conn_send(r->c, env);
	/* too large for one frame: in parts, or refused whole */
	else if (req_reply_parts(r, env) != 0) {
		req_error_too_large(r, env, size);
		return -1;
	}
	return 0;
}

void
req_error_too_large(struct req *r, Tafel__Envelope *env, size_t size)
{
	ProtobufCMessage **body = parts_body(&env->base);
	int parts = body != NULL && parts_left_of(*body) != NULL;
	char msg[256], room[64];

	if (!parts)	/* (req_reply_parts has said why it could not) */
		log_warn("conn %llu (%s): %s answer of %zu bytes refused: "
		    "more than one frame", (unsigned long long)r->c->id,
		    r->c->addr, envelope_body_name(env->body_case), size);
	if (parts)
		snprintf(room, sizeof room, "the %d frames of 1 MiB it may "
		    "come in", PARTS_MAX);
	else
		snprintf(room, sizeof room, "one frame of 1 MiB");
	snprintf(msg, sizeof msg, "the answer would be %.2f MiB, more than "
	    "%s (docs/protocol.md 3.2); nothing was sent: ask for less",
	    (double)size / (1024.0 * 1024.0), room);
	req_error(r, TAFEL__ERROR_CODE__OUT_OF_RANGE, msg, NULL);
}

/* Room in a frame for what wraps a part (request id, seq, parts_left). */
#define REQ_PART_MARGIN 1024

int
req_reply_parts(struct req *r, Tafel__Envelope *env)
{
	Tafel__Envelope penv[PARTS_MAX], *envs[PARTS_MAX];
	ProtobufCMessage *parts[PARTS_MAX], *copies[PARTS_MAX];
	ProtobufCMessage **body, **lists;
	size_t n = 0, i, body_off, lists_off = 0, left_off, size;
	int nested;

	if (req_gone(r))
		return 0;
	env->request_id = r->request_id;
	if ((body = parts_body(&env->base)) == NULL ||
	    parts_left_of(*body) == NULL ||
	    (lists = parts_lists_of(body)) == NULL)
		return -1;
	body_off = (size_t)((char *)body - (char *)env);
	left_off = (size_t)((char *)parts_left_of(*body) - (char *)*body);
	nested = lists != body;
	if (nested)
		lists_off = (size_t)((char *)lists - (char *)*body);
	size = protobuf_c_message_get_packed_size(&env->base);
	n = parts_split(*lists, TAFEL_MAX_FRAME - REQ_PART_MARGIN, PARTS_MAX,
	    parts);
	if (n == 0) {
		log_warn("conn %llu (%s): an answer of %zu bytes does not fit "
		    "in %d frames", (unsigned long long)r->c->id, r->c->addr,
		    size, PARTS_MAX);
		return -1;
	}
	log_info("conn %llu (%s): %zu bytes of %s sent in %zu parts",
	    (unsigned long long)r->c->id, r->c->addr, size,
	    (*lists)->descriptor->short_name, n);
	for (i = 0; i < n; i++) {
		/* the body: the part itself, or a copy carrying the part */
		if (nested) {
			copies[i] = xmalloc((*body)->descriptor->sizeof_message);
			memcpy(copies[i], *body,
			    (*body)->descriptor->sizeof_message);
			*(ProtobufCMessage **)(void *)((char *)copies[i] +
			    lists_off) = parts[i];
		} else
			copies[i] = parts[i];
		*(uint32_t *)(void *)((char *)copies[i] + left_off) =
		    (uint32_t)(n - 1 - i);
		penv[i] = *env;
		*(ProtobufCMessage **)(void *)((char *)&penv[i] + body_off) =
		    copies[i];
		envs[i] = &penv[i];
	}
	conn_send_parts(r->c, envs, n);
	for (i = 0; i < n; i++) {
		if (nested)
			free(copies[i]);
		free(parts[i]);
	}
	return 0;
}

void
req_reply_message(struct req *r, Tafel__Envelope__BodyCase body,
    ProtobufCMessage *msg)
{
	Tafel__Envelope env;

	tafel__envelope__init(&env);
	if (envelope_set_body(&env, body, msg) != 0)
		fatalx("req_reply_message: body %d does not carry a %s", (int)body,
		    msg->descriptor->name);
	req_reply(r, &env);
}

void
req_error(struct req *r, Tafel__ErrorCode code, const char *message,
    const char *field)
{
	if (req_gone(r))
		return;
	conn_send_error(r->c, r->request_id, code, message, field);
}

static void
audit_done(void *arg, struct db_result *res)
{
	(void)arg;
	if (res->code != 0)
		log_error("read audit of a conflict failed: %s", res->message);
}

void
req_db_error(struct req *r, const struct db_result *res)
{
	Tafel__Error *err = NULL;
	char perr[256];

	if (req_gone(r))
		return;
	if (res->code == TAFEL__ERROR_CODE__CONFLICT && res->detail != NULL) {
		char uid[32];
		const char *params[2] = { uid, res->detail };

		err = (Tafel__Error *)pbjson_parse(&tafel__error__descriptor,
		    res->detail, strlen(res->detail), perr, sizeof perr);
		/*
		 * The failed write rolled back its transaction: the read of
		 * the current record is audited in a statement of its own.
		 */
		snprintf(uid, sizeof uid, "%lld", r->c->session != NULL ?
		    (long long)r->c->session->user_id : 0LL);
		if (r->c->session != NULL)
			db_call("SELECT tafel_audit_conflict($1::bigint, $2)",
			    2, params, audit_done, NULL);
		if (err == NULL)
			log_warn("conflict detail does not parse: %s", perr);
	}
	/* A refused routing move: what its target status still needs. */
	if (res->code == TAFEL__ERROR_CODE__INVALID_TRANSITION &&
	    res->detail != NULL) {
		err = (Tafel__Error *)pbjson_parse(&tafel__error__descriptor,
		    res->detail, strlen(res->detail), perr, sizeof perr);
		if (err == NULL)
			log_warn("transition detail does not parse: %s", perr);
	}
	/* a read refused on a full disk changed nothing: no write to
	 * retry, only its read audit could not be stored */
	if (err == NULL && res->code == TAFEL__ERROR_CODE__DISK_FULL &&
	    r->read) {
		req_error(r, res->code, "the database's disk is full: the "
		    "read is refused because its read audit cannot be "
		    "stored; try again once there is space", res->field);
		return;
	}
	if (err == NULL) {
		req_error(r, res->code, res->message, res->field);
		return;
	}
	/* The conflicting record goes through the same privacy filter. */
	privacy_filter_error(r->c, err);
	pb_string_set(&err->message, res->message);
	pb_string_set(&err->field, res->field);
	err->code = res->code;
	req_reply_message(r, TAFEL__ENVELOPE__BODY_ERROR, &err->base);
	protobuf_c_message_free_unpacked(&err->base, NULL);
}

void
req_reply_json(struct req *r, Tafel__Envelope__BodyCase body, const char *json)
{
	const ProtobufCMessageDescriptor *d = body_descriptor(body);
	ProtobufCMessage *m;
	char err[256];

	if (d == NULL || json == NULL) {
		req_error(r, TAFEL__ERROR_CODE__INTERNAL, "no answer", NULL);
		return;
	}
	m = pbjson_parse(d, json, strlen(json), err, sizeof err);
	if (m == NULL) {
		log_error("answer for %s does not parse: %s",
		    envelope_body_name(body), err);
		req_error(r, TAFEL__ERROR_CODE__INTERNAL,
		    "the server could not read the database's answer", NULL);
		return;
	}
	if (!req_gone(r)) {
		privacy_filter_message(r->c, m);
		req_reply_message(r, body, m);
	}
	protobuf_c_message_free_unpacked(m, NULL);
}

/* Shared completion of reads and writes: a one-row, one-column jsonb. */
static void
request_done(void *arg, struct db_result *res)
{
	struct req *r = arg;

	if (res->code != 0)
		req_db_error(r, res);
	else if (PQntuples(res->res) != 1 || PQnfields(res->res) < 1 ||
	    PQgetisnull(res->res, 0, 0))
		req_error(r, TAFEL__ERROR_CODE__NOT_FOUND, "nothing found",
		    NULL);
	else
		req_reply_json(r, r->reply, PQgetvalue(res->res, 0, 0));
	req_free(r);
}

static void (*changes_hook)(const char *changes_json);

void
request_set_changes_hook(void (*fn)(const char *changes_json))
{
	changes_hook = fn;
}

/*
 * A write's answer also carries the changes it committed: they go to this
 * node's subscribers at once (through push's hook), after the writer's own
 * answer.
 */
static void
write_done(void *arg, struct db_result *res)
{
	const char *changes = NULL;

	if (res->code == 0 && PQntuples(res->res) == 1 &&
	    PQnfields(res->res) >= 2 && !PQgetisnull(res->res, 0, 1))
		changes = PQgetvalue(res->res, 0, 1);
	request_done(arg, res);
	if (changes_hook != NULL && changes != NULL)
		changes_hook(changes);
}

/*
 * The generic read and write paths differ only in the statement: a read
 * runs the row's SQL with ($1 user id, $2 request as JSON), a write runs
 * tafel_write_routed($1 user id, $2 idempotency key, $3 op name, $4
 * request as JSON).  Both answer through request_done.
 */
static void
request_run(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h, int write)
{
	char uid[32], *args;
	const char *params[5];
	char keep[32];
	struct req *r;

	r = req_new(c, env, h->reply);
	r->read = !write;
	snprintf(uid, sizeof uid, "%lld", (long long)c->session->user_id);
	args = pbjson_to_string(envelope_get_body(env));
	params[0] = uid;
	if (write) {
		params[1] = env->idempotency_key;
		params[2] = h->sql;	/* the op name */
		params[3] = args;
		/* this node's window, kept with the key (0027) */
		snprintf(keep, sizeof keep, "%lld",
		    srv.cfg.idempotency_ttl / 1000);
		params[4] = keep;
		db_call_owned(c, "SELECT answer, changes FROM "
		    "tafel_write_routed($1::bigint, $2::text, $3::text, "
		    "$4::jsonb, $5::bigint)", 5, params, write_done, r);
	} else {
		params[1] = args;
		/* Reads that need no request fields take only $1. */
		db_call_read(c, h->sql, strstr(h->sql, "$2") != NULL ? 2 : 1,
		    params, request_done, r);
	}
	free(args);
}

void
request_read(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h)
{
	request_run(c, env, h, 0);
}

void
request_write(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h)
{
	request_run(c, env, h, 1);
}
