/* Request dispatch: the Hello exchange, generic checks, and the handler table. */
#include "dispatch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conn.h"
#include "db.h"
#include "envelope.h"
#include "log.h"
#include "proto.h"
#include "request.h"
#include "server.h"
#include "session.h"
#include "validate.h"

/* Refused requests within RATE_WINDOW_S after which a flooder is dropped. */
#define RATE_MAX_STRIKES 200
#define RATE_WINDOW_S 10
/*
 * Frames that are not requests (dispatch steps 1-2) take no request
 * tokens, but answering them is work too: more than this many within
 * RATE_WINDOW_S drop the connection, as refusals do.
 */
#define STRAY_MAX_FRAMES 200

/* Checks the peer's Hello; agrees on the version or closes. */
static void
dispatch_hello(struct conn *c, const Tafel__Envelope *env)
{
	const Tafel__Hello *h = env->hello;
	char msg[256];

	if (env->body_case != TAFEL__ENVELOPE__BODY_HELLO || h == NULL) {
		conn_close(c, TAFEL__ERROR_CODE__HELLO_EXPECTED,
		    "the first frame must be a Hello");
		return;
	}
	if (h->protocol_version != TAFEL_PROTOCOL_VERSION) {
		snprintf(msg, sizeof msg, "protocol version %u is not "
		    "supported: this server (tafeld %s) speaks version %u",
		    h->protocol_version, TAFEL_VERSION, TAFEL_PROTOCOL_VERSION);
		conn_close(c, TAFEL__ERROR_CODE__VERSION_MISMATCH, msg);
		return;
	}
	/* not validated (not used): log.c defangs control characters */
	log_debug("conn %llu: hello from %.40s %.40s",
	    (unsigned long long)c->id, h->software, h->software_version);
	c->zlib = h->accept_zlib;
	conn_set_state(c, CONN_LOGIN);
}

const struct request_handler *
dispatch_handler(Tafel__Envelope__BodyCase body)
{
	const struct request_handler *h;

	for (h = request_handlers; h->fn != NULL; h++)
		if (h->body == body)
			return h;
	return NULL;
}

/* An idempotency key: 1..64 printable ASCII characters. */
static int
valid_key(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	size_t i;

	if (n == 0 || n > TAFEL_MAX_IDEMPOTENCY_KEY)
		return 0;
	for (i = 0; i < n; i++)
		if (k[i] <= 0x20 || k[i] >= 0x7f)
			return 0;
	return 1;
}

int
dispatch_validate(const Tafel__Envelope *env, struct validate_error *verr)
{
	const struct request_handler *h = dispatch_handler(env->body_case);

	if (validate_message(&env->base, verr) != 0)
		return -1;
	if (h != NULL && h->check != NULL && h->check(envelope_get_body(env),
	    verr) != 0)
		return -1;
	return 0;
}

/* Refuses requests over the rate limit; a client that keeps flooding is cut off. */
static int
rate_ok(struct conn *c, const Tafel__Envelope *env)
{
	Tafel__Envelope out = TAFEL__ENVELOPE__INIT;
	Tafel__Error err = TAFEL__ERROR__INIT;
	long long wait = ratelimit_take(&c->rate, c->net, c->session != NULL ?
	    c->session->user_id : 0);
	time_t now = time(NULL);

	if (wait == 0)
		return 1;
	if (now - c->rate_window >= RATE_WINDOW_S) {	/* whole seconds */
		c->rate_window = now;
		c->rate_strikes = 0;
	}
	if (++c->rate_strikes > RATE_MAX_STRIKES) {
		conn_close(c, TAFEL__ERROR_CODE__RATE_LIMITED,
		    "too many requests; disconnected");
		return 0;
	}
	err.code = TAFEL__ERROR_CODE__RATE_LIMITED;
	err.message = "too many requests; slow down";
	err.retry_after_ms = (uint32_t)wait;
	out.request_id = env->request_id;
	out.body_case = TAFEL__ENVELOPE__BODY_ERROR;
	out.error = &err;
	conn_send(c, &out);
	return 0;
}

/*
 * Counts a frame that is not a request; 0 (and the connection closed) for
 * one too many: a client cannot keep the server answering junk for free.
 */
static int
stray_ok(struct conn *c)
{
	time_t now = time(NULL);

	if (now - c->stray_window >= RATE_WINDOW_S) {	/* whole seconds */
		c->stray_window = now;
		c->stray_frames = 0;
	}
	if (++c->stray_frames > STRAY_MAX_FRAMES) {
		conn_close(c, TAFEL__ERROR_CODE__RATE_LIMITED,
		    "too many frames that are not requests; disconnected");
		return 0;
	}
	return 1;
}

/* The connection is going (from the loop): end its session and push state. */
static void
dispatch_release(struct conn *c)
{
	session_end(c);
}

/*
 * A client's queued queries (db_call_owned, owner: its connection) are
 * of no use once it can no longer be answered (closing, or dropped): the
 * same test as req_gone.
 */
static int
dispatch_owner_gone(const void *owner)
{
	return conn_get_state(owner) >= CONN_CLOSING;
}

/* Turns in the database pool go by user (db_call_owned). */
static int64_t
dispatch_owner_user(const void *owner)
{
	const struct conn *c = owner;

	return c->session != NULL ? c->session->user_id : 0;
}

void
dispatch_init(void)
{
	static const struct conn_hooks hooks = {
		.frame = dispatch_frame,
		.release = dispatch_release,
	};

	conn_set_hooks(&hooks);
	db_set_owner_gone(dispatch_owner_gone);
	db_set_owner_user(dispatch_owner_user);
}

void
dispatch_frame(struct conn *c, const Tafel__Envelope *env)
{
	const struct request_handler *h;
	struct validate_error verr;
	enum body_kind kind;
	char msg[160];

	/*
	 * Stopping: every connection has been told (lifecycle.c); what it
	 * sends from now on is read and discarded, never answered or carried
	 * out (docs/protocol.md 4.3), so a write it retries elsewhere with
	 * the same key is applied once.
	 */
	if (srv.shutting_down) {
		log_debug("conn %llu: %s discarded: the server is stopping",
		    (unsigned long long)c->id,
		    envelope_body_name(env->body_case));
		return;
	}
	if (c->state == CONN_HELLO) {
		dispatch_hello(c, env);
		return;
	}
	if (c->state != CONN_LOGIN && c->state != CONN_READY)
		return;

	/* steps 1-2 before the rate limit: junk has a budget of its own */
	kind = envelope_body_kind(env->body_case);
	h = kind == BODY_REQUEST ? dispatch_handler(env->body_case) : NULL;
	if (h == NULL && !stray_ok(c))
		return;
	if (kind != BODY_REQUEST) {
		if (kind == BODY_NONE)
			envelope_describe_unknown(env, msg, sizeof msg);
		else
			snprintf(msg, sizeof msg, "\"%s\" is not a request",
			    envelope_body_name(env->body_case));
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__UNKNOWN_MESSAGE, msg, NULL);
		return;
	}
	if (h == NULL) {
		snprintf(msg, sizeof msg, "request \"%s\" is not supported by "
		    "this server", envelope_body_name(env->body_case));
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__UNKNOWN_MESSAGE, msg, NULL);
		return;
	}
	if (!rate_ok(c, env))
		return;
	if (env->request_id == 0) {
		conn_send_error(c, 0, TAFEL__ERROR_CODE__REQUEST_ID_REQUIRED,
		    "requests need a non-zero request_id", "request_id");
		return;
	}
	if (c->state != CONN_READY && !(h->flags & REQ_PRELOGIN)) {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__NOT_AUTHENTICATED,
		    "log in first", NULL);
		return;
	}
	if (dispatch_validate(env, &verr) != 0) {
		conn_send_error(c, env->request_id, verr.code, verr.message,
		    verr.field);
		return;
	}
	if (h->flags & REQ_WRITE) {
		if (!valid_key(env->idempotency_key)) {
			conn_send_error(c, env->request_id,
			    TAFEL__ERROR_CODE__IDEMPOTENCY_KEY_REQUIRED,
			    "writes need an idempotency_key of 1..64 printable "
			    "ASCII characters", "idempotency_key");
			return;
		}
		if (session_is_observer(c)) {
			conn_send_error(c, env->request_id,
			    TAFEL__ERROR_CODE__FORBIDDEN,
			    "observers cannot change the register", NULL);
			return;
		}
	}
	conn_touch(c);
	h->fn(c, env, h);
}
