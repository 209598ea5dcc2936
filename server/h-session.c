/* Session requests: login (throttled, hashed off the loop), logout, ping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "auth.h"
#include "conn.h"
#include "handlers.h"
#include "log.h"
#include "pbjson.h"
#include "proto.h"
#include "push.h"
#include "request.h"
#include "server.h"
#include "session.h"
#include "validate.h"
#include "xmalloc.h"

/* A login in progress: delay timer -> user lookup -> hash check -> answer. */
struct login {
	struct req *r;
	char *login;
	char *password;
	char *hash;		/* from the database; NULL for unknown users */
	char *response;		/* LoginResponse JSON */
	int disabled;
	int locked;		/* locked after repeated failures */
	int64_t user_id;
	int verified;		/* the password matched */
	struct event *timer;
};

static void
login_free(struct login *l)
{
	l->r->c->login_pending = 0;
	if (l->password != NULL) {
		explicit_bzero(l->password, strlen(l->password));
		free(l->password);
	}
	free(l->login);
	free(l->hash);
	free(l->response);
	if (l->timer != NULL)
		event_free(l->timer);
	req_free(l->r);
	free(l);
}

static void
login_fail(struct login *l, Tafel__ErrorCode code, const char *msg)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__Error err = TAFEL__ERROR__INIT;
	struct conn *c = l->r->c;

	if (code == TAFEL__ERROR_CODE__LOGIN_FAILED)
		auth_throttle_failure(l->login, c->ip);
	log_info("conn %llu (%s): login as \"%s\" refused: %s",
	    (unsigned long long)c->id, c->addr, l->login, msg);
	err.code = code;
	err.message = (char *)msg;
	err.retry_after_ms = (uint32_t)auth_throttle_delay(l->login, c->ip);
	env.body_case = TAFEL__ENVELOPE__BODY_ERROR;
	env.error = &err;
	req_reply(l->r, &env);
	login_free(l);
}

static void login_finish(struct login *l);

/* The database counted the attempt; t = the account is (now) locked. */
static void
login_recorded(void *arg, struct db_result *res)
{
	struct login *l = arg;

	if (res->code != 0) {
		/* Never let a login through that could not be counted. */
		req_db_error(l->r, res);
		login_free(l);
		return;
	}
	if (PQntuples(res->res) == 1 &&
	    strcmp(PQgetvalue(res->res, 0, 0), "t") == 0)
		l->locked = 1;
	login_finish(l);
}

/* Checked the password: record the outcome per account, then answer. */
static void
login_verified(void *arg, int ok)
{
	struct login *l = arg;
	char uid[32], max[32], secs[32];
	const char *params[4] = { uid, ok ? "true" : "false", max, secs };

	l->verified = ok;
	if (l->user_id == 0 || req_gone(l->r) || l->locked) {
		login_finish(l);
		return;
	}
	snprintf(uid, sizeof uid, "%lld", (long long)l->user_id);
	snprintf(max, sizeof max, "%lld", srv.cfg.lockout_failures);
	snprintf(secs, sizeof secs, "%lld", srv.cfg.lockout_time / 1000);
	db_call("SELECT tafel_login_result($1::bigint, $2::boolean, $3::int, "
	    "$4::int)", 4, params, login_recorded, l);
}

static void
login_finish(struct login *l)
{
	int ok = l->verified;
	struct conn *c = l->r->c;
	Tafel__LoginResponse *resp;
	struct session *s;
	char err[256];
	size_t i;

	if (req_gone(l->r) || c->state != CONN_LOGIN) {
		login_free(l);
		return;
	}
	/*
	 * Like a disabled account, a locked one is only revealed to someone
	 * who knows the password; everyone else just fails, and no attempt
	 * gets in while the lock lasts.
	 */
	if (ok && l->locked) {
		login_fail(l, TAFEL__ERROR_CODE__ACCOUNT_LOCKED,
		    "this account is locked after repeated failed logins; wait "
		    "or ask the administrator to unlock it");
		return;
	}
	if (!ok) {
		login_fail(l, TAFEL__ERROR_CODE__LOGIN_FAILED,
		    "unknown user or wrong password");
		return;
	}
	if (l->disabled) {
		login_fail(l, TAFEL__ERROR_CODE__ACCOUNT_DISABLED,
		    "this account is disabled; ask the administrator");
		return;
	}
	resp = (Tafel__LoginResponse *)pbjson_parse(
	    &tafel__login_response__descriptor, l->response,
	    strlen(l->response), err, sizeof err);
	if (resp == NULL || resp->user == NULL || resp->organisation == NULL) {
		log_error("login: user record unreadable: %s", err);
		if (resp != NULL)
			tafel__login_response__free_unpacked(resp, NULL);
		login_fail(l, TAFEL__ERROR_CODE__INTERNAL,
		    "could not read the user record");
		return;
	}
	if (srv.cfg.client_certs &&
	    strcmp(c->cert_org, resp->organisation->name) != 0) {
		log_warn("conn %llu (%s): certificate of \"%s\" used to log in "
		    "as %s of \"%s\"", (unsigned long long)c->id, c->addr,
		    c->cert_org, l->login, resp->organisation->name);
		tafel__login_response__free_unpacked(resp, NULL);
		login_fail(l, TAFEL__ERROR_CODE__FORBIDDEN,
		    "this client certificate belongs to another organisation");
		return;
	}
	auth_throttle_success(l->login, c->ip);
	s = session_start(c);
	s->user_id = resp->user->id;
	s->org_id = resp->organisation->id;
	s->org_signed = resp->organisation->covenant_signed;
	s->org_kind = resp->organisation->kind;
	for (i = 0; i < resp->user->n_roles; i++)
		if ((unsigned)resp->user->roles[i] < 32)
			s->roles |= ROLE_BIT(resp->user->roles[i]);
	snprintf(s->login, sizeof s->login, "%s", resp->user->login);
	snprintf(s->display_name, sizeof s->display_name, "%s",
	    resp->user->display_name);
	snprintf(s->org_name, sizeof s->org_name, "%s",
	    resp->organisation->name);
	resp->idle_timeout_s = (uint32_t)(srv.cfg.idle_timeout / 1000);
	conn_set_state(c, CONN_READY);
	log_info("conn %llu (%s): %s logged in (%s)", (unsigned long long)c->id,
	    c->addr, s->login, s->org_name);
	req_reply_message(l->r, TAFEL__ENVELOPE__BODY_LOGIN_OK, &resp->base);
	tafel__login_response__free_unpacked(resp, NULL);
	login_free(l);
}

static void
login_looked_up(void *arg, struct db_result *res)
{
	struct login *l = arg;

	if (req_gone(l->r)) {
		login_free(l);
		return;
	}
	if (res->code != 0) {
		req_db_error(l->r, res);
		login_free(l);
		return;
	}
	if (PQntuples(res->res) == 1) {
		l->user_id = strtoll(PQgetvalue(res->res, 0, 0), NULL, 10);
		if (!PQgetisnull(res->res, 0, 1))
			l->hash = xstrdup(PQgetvalue(res->res, 0, 1));
		l->disabled = strcmp(PQgetvalue(res->res, 0, 2), "t") == 0;
		l->response = xstrdup(PQgetvalue(res->res, 0, 3));
		if (PQnfields(res->res) > 4)
			l->locked = strcmp(PQgetvalue(res->res, 0, 4), "t") == 0;
	}
	/* Unknown users are checked against a dummy hash: same timing. */
	auth_verify(l->hash, l->password, login_verified, l);
}

static void
login_lookup(struct login *l)
{
	const char *params[1] = { l->login };

	db_call("SELECT user_id, password_hash, disabled, response, locked "
	    "FROM tafel_login_lookup($1)", 1, params, login_looked_up, l);
}

static void
login_delay_cb(evutil_socket_t fd, short what, void *arg)
{
	struct login *l = arg;

	(void)fd;
	(void)what;
	if (req_gone(l->r)) {
		login_free(l);
		return;
	}
	login_lookup(l);
}

void
h_login(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h)
{
	const Tafel__LoginRequest *q = env->login;
	struct validate_error verr;
	struct login *l;
	long long delay;
	struct timeval tv;

	(void)h;
	if (c->state == CONN_READY) {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__ALREADY_LOGGED_IN,
		    "already logged in; log out first", NULL);
		return;
	}
	if (validate_text("login", q->login, 64, 1, 0, &verr) != 0 ||
	    validate_text("password", q->password, TAFEL_MAX_PASSWORD, 1, 0,
	    &verr) != 0) {
		conn_send_error(c, env->request_id, verr.code, verr.message,
		    verr.field);
		return;
	}
	if (c->login_pending) {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__RATE_LIMITED,
		    "a login is already in progress on this connection", NULL);
		return;
	}
	l = xcalloc(1, sizeof *l);
	l->r = req_new(c, env, TAFEL__ENVELOPE__BODY_LOGIN_OK);
	l->login = xstrdup(q->login);
	l->password = xstrdup(q->password);
	c->login_pending = 1;
	delay = auth_throttle_delay(l->login, c->ip);
	if (delay > 0) {
		log_info("conn %llu (%s): login as \"%s\" delayed %lld ms after "
		    "recent failures", (unsigned long long)c->id, c->addr,
		    l->login, delay);
		l->timer = evtimer_new(srv.base, login_delay_cb, l);
		tv.tv_sec = delay / 1000;
		tv.tv_usec = (delay % 1000) * 1000;
		evtimer_add(l->timer, &tv);
		return;
	}
	login_lookup(l);
}

void
h_logout(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h)
{
	Tafel__Envelope out = TAFEL__ENVELOPE__INIT;
	Tafel__OkResponse ok = TAFEL__OK_RESPONSE__INIT;

	(void)h;
	out.request_id = env->request_id;
	out.body_case = TAFEL__ENVELOPE__BODY_OK;
	out.ok = &ok;
	if (c->session != NULL)
		log_info("conn %llu (%s): %s logged out",
		    (unsigned long long)c->id, c->addr, c->session->login);
	session_end(c);
	if (c->state == CONN_READY)
		conn_set_state(c, CONN_LOGIN);
	conn_send(c, &out);
}

void
h_ping(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h)
{
	Tafel__Envelope out = TAFEL__ENVELOPE__INIT;
	Tafel__PongResponse pong = TAFEL__PONG_RESPONSE__INIT;

	(void)h;
	pong.nonce = env->ping->nonce;
	pong.server_seq = push_last_seq();
	out.request_id = env->request_id;
	out.body_case = TAFEL__ENVELOPE__BODY_PONG;
	out.pong = &pong;
	conn_send(c, &out);
}
