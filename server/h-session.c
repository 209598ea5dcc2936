/* Session requests: login (throttled, hashed off the loop, or by resume ticket), logout, ping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "auth.h"
#include "conn.h"
#include "handlers.h"
#include "log.h"
#include "pbjson.h"
#include "proto.h"
#include "push.h"
#include "request.h"
#include "revoke.h"
#include "server.h"
#include "session.h"
#include "tls.h"
#include "validate.h"
#include "xmalloc.h"

/*
 * Resume tickets: TICKET_BYTES random bytes, sent as unpadded base64url
 * (TICKET_LEN characters).  The database only ever sees their SHA-256.
 */
#define TICKET_BYTES 32
#define TICKET_LEN 43

/* conn->login_pending: a login is being checked; a logout cancelled it */
#define LOGIN_PENDING 1
#define LOGIN_CANCELLED 2

/*
 * A login in progress.  With a password: delay timer -> user lookup ->
 * hash check -> lockout count -> new ticket stored -> answer.  With a
 * resume ticket: ticket swapped for the next one -> answer.
 */
struct login {
	struct req *r;
	char *login;
	char *password;
	char *hash;		/* from the database; NULL for unknown users */
	char *response;		/* LoginResponse JSON */
	int disabled;
	int locked;		/* locked after repeated failures */
	int64_t user_id;
	int verified;		/* the password (or the ticket) matched */
	int by_ticket;		/* logging in with a resume ticket */
	char ticket[TICKET_LEN + 1];	/* the next ticket, "" if none */
	unsigned char ticket_hash[32];	/* its SHA-256 */
	int64_t ticket_expires;		/* Unix seconds */
	char cert_fp[TLS_FINGERPRINT_LEN];	/* client certificate, or "" */
	Tafel__LoginResponse *resp;	/* parsed, while the ticket is stored */
	struct event *timer;
	uint64_t revoke_mark;	/* before the last database check (revoke.h) */
	int rechecks;		/* the account read again before the session */
	int paused;		/* tests only: login_paused */
};

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
sha256(const unsigned char *in, size_t len, unsigned char out[32])
{
	unsigned int n = 32;

	if (EVP_Digest(in, len, out, &n, EVP_sha256(), NULL) != 1 || n != 32)
		fatalx("SHA-256 failed");
}

/* 32 random bytes as base64url into out[TICKET_LEN + 1]; their hash. */
static void
ticket_new(char *out, unsigned char hash[32])
{
	unsigned char raw[TICKET_BYTES + 1];
	size_t i, o = 0;
	unsigned v;

	if (RAND_bytes(raw, TICKET_BYTES) != 1)
		fatalx("RAND_bytes failed");
	raw[TICKET_BYTES] = 0;
	for (i = 0; i < TICKET_BYTES; i += 3) {
		v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 |
		    (i + 2 < TICKET_BYTES ? raw[i + 2] : 0);
		out[o++] = b64url[(v >> 18) & 63];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		if (i + 2 < TICKET_BYTES)
			out[o++] = b64url[v & 63];
	}
	out[o] = '\0';
	sha256(raw, TICKET_BYTES, hash);
	OPENSSL_cleanse(raw, sizeof raw);
}

/* Decodes a presented ticket and hashes it; -1 if it is not one. */
static int
ticket_hash_of(const char *t, unsigned char hash[32])
{
	unsigned char raw[TICKET_BYTES + 2];
	size_t i, o = 0;
	unsigned v = 0;
	int bits = 0;
	const char *p;

	if (strlen(t) != TICKET_LEN)
		return -1;
	for (i = 0; i < TICKET_LEN; i++) {
		if (t[i] == '\0' || (p = strchr(b64url, t[i])) == NULL)
			return -1;
		v = (v << 6) | (unsigned)(p - b64url);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			raw[o++] = (unsigned char)(v >> bits);
			v &= (1u << bits) - 1;
		}
	}
	if (o != TICKET_BYTES || v != 0)
		return -1;
	sha256(raw, TICKET_BYTES, hash);
	OPENSSL_cleanse(raw, sizeof raw);
	return 0;
}

/* A hash as a bytea parameter: "\\x" and 64 hex digits. */
static void
hash_param(const unsigned char hash[32], char out[67])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	out[0] = '\\';
	out[1] = 'x';
	for (i = 0; i < 32; i++) {
		out[2 + 2 * i] = hex[hash[i] >> 4];
		out[3 + 2 * i] = hex[hash[i] & 15];
	}
	out[66] = '\0';
}

/* SHA-256 fingerprint of the connection's client certificate, or "". */
static void
conn_cert_fp(struct conn *c, char *fp, size_t len)
{
	SSL *ssl = c->bev != NULL ? bufferevent_openssl_get_ssl(c->bev) : NULL;
	X509 *peer = ssl != NULL ? SSL_get0_peer_certificate(ssl) : NULL;

	fp[0] = '\0';
	if (peer != NULL && tls_cert_fingerprint(peer, fp, len) != 0)
		fp[0] = '\0';
}

static void
login_free(struct login *l)
{
	l->r->c->login_pending = 0;
	if (l->password != NULL) {
		explicit_bzero(l->password, strlen(l->password));
		free(l->password);
	}
	OPENSSL_cleanse(l->ticket, sizeof l->ticket);
	if (l->resp != NULL)
		tafel__login_response__free_unpacked(l->resp, NULL);
	free(l->login);
	free(l->hash);
	free(l->response);
	if (l->timer != NULL)
		event_free(l->timer);
	req_free(l->r);
	free(l);
}

/*
 * A database answer for l: 1 when l is done with (its request is gone,
 * or the database failed, which is answered: a login that could not be
 * checked never gets through), 0 to go on.
 */
static int
login_db_failed(struct login *l, struct db_result *res)
{
	if (req_gone(l->r)) {
		login_free(l);
		return 1;
	}
	if (res->code != 0) {
		req_db_error(l->r, res);
		login_free(l);
		return 1;
	}
	return 0;
}

static void
login_fail(struct login *l, Tafel__ErrorCode code, const char *msg)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__Error err = TAFEL__ERROR__INIT;
	struct conn *c = l->r->c;

	if (code == TAFEL__ERROR_CODE__LOGIN_FAILED)
		auth_throttle_failure(l->login, c->net);
	log_info("conn %llu (%s): login as \"%s\" refused: %s",
	    (unsigned long long)c->id, c->addr, l->login, msg);
	err.code = code;
	err.message = (char *)msg;
	err.retry_after_ms = (uint32_t)auth_throttle_delay(l->login, c->net);
	env.body_case = TAFEL__ENVELOPE__BODY_ERROR;
	env.error = &err;
	req_reply(l->r, &env);
	login_free(l);
}

static void login_finish(struct login *l);
static void login_issue_ticket(struct login *l);
static void login_answer(struct login *l);

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
	/* not locked when looked up (else never recorded): this failure
	 * locked it, which the administrator should see (tafelctl status) */
	if (l->locked && !l->verified)
		log_warn("conn %llu (%s): account \"%s\" locked for %lld s after "
		    "%lld failed logins in a row (tafelctl user unlock %s)",
		    (unsigned long long)l->r->c->id, l->r->c->addr, l->login,
		    srv.cfg.lockout_time / 1000, srv.cfg.lockout_failures,
		    l->login);
	login_finish(l);
}

/* Checked the password: record the outcome per account, then answer. */
static void
login_verified(void *arg, int ok)
{
	struct login *l = arg;
	char uid[32], max[32], secs[32];
	const char *params[4] = { uid, ok ? "true" : "false", max, secs };

	if (ok < 0) {		/* never checked: tafeld stops */
		login_free(l);
		return;
	}
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

/*
 * A closing Error came while this login was being checked: the connection
 * starts no session any more, but the login was read before the cut-off,
 * so it is answered (with the closing code) before that Error
 * (docs/protocol.md 4.3).  Returns 1 when it answered and freed l.
 */
static int
login_draining(struct login *l)
{
	struct conn *c = l->r->c;

	if (conn_get_state(c) != CONN_DRAINING)
		return 0;
	req_error(l->r, conn_close_code(c), "the connection is closing; not "
	    "logged in", NULL);
	login_free(l);
	return 1;
}

/*
 * A logout came while this login was being checked (docs/protocol.md
 * 6.2): the connection stays logged out.  Only a login that would
 * succeed is cancelled: a failure is answered (and counted) as such.
 * Returns 1 when it answered and freed l.
 */
static int
login_cancelled(struct login *l)
{
	if (l->r->c->login_pending != LOGIN_CANCELLED)
		return 0;
	req_error(l->r, TAFEL__ERROR_CODE__NOT_AUTHENTICATED, "a logout was "
	    "sent before this login was answered; not logged in", NULL);
	login_free(l);
	return 1;
}

static void
login_finish(struct login *l)
{
	int ok = l->verified;
	struct conn *c = l->r->c;
	Tafel__LoginResponse *resp;
	char err[256];

	if (login_draining(l))
		return;
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
	if (l->r->c->login_pending == LOGIN_CANCELLED) {
		tafel__login_response__free_unpacked(resp, NULL);
		login_cancelled(l);
		return;
	}
	if (!l->by_ticket)
		auth_throttle_success(l->login, c->net);
	l->resp = resp;
	if (!l->by_ticket && srv.cfg.resume_ticket_lifetime > 0) {
		login_issue_ticket(l);
		return;
	}
	login_answer(l);
}

/* The ticket for the next reconnect is stored (or could not be). */
static void
ticket_issued(void *arg, struct db_result *res)
{
	struct login *l = arg;

	if (res->code != 0 || PQntuples(res->res) != 1) {
		log_warn("login: could not store a resume ticket for %s: %s",
		    l->login, res->code != 0 ? res->message : "no answer");
		OPENSSL_cleanse(l->ticket, sizeof l->ticket);
	} else
		l->ticket_expires = strtoll(PQgetvalue(res->res, 0, 0), NULL,
		    10);
	login_answer(l);
}

/* After a password login: a new ticket, stored hashed, then the answer. */
static void
login_issue_ticket(struct login *l)
{
	char uid[32], hash[67], secs[32];
	const char *params[4] = { uid, hash, l->cert_fp, secs };

	ticket_new(l->ticket, l->ticket_hash);
	snprintf(uid, sizeof uid, "%lld", (long long)l->user_id);
	hash_param(l->ticket_hash, hash);
	snprintf(secs, sizeof secs, "%lld",
	    srv.cfg.resume_ticket_lifetime / 1000);
	db_call("SELECT tafel_ticket_issue($1::bigint, $2::bytea, $3, $4::int)",
	    4, params, ticket_issued, l);
}

/* How many logged-in connections user_id has now. */
static long long
user_sessions(int64_t user_id)
{
	const struct conn *c;
	long long n = 0;

	TAILQ_FOREACH(c, &srv.conns, entry)
		if (c->state == CONN_READY && c->session != NULL &&
		    c->session->user_id == user_id)
			n++;
	return n;
}

#ifdef TAFEL_TEST_HOOKS
static void
login_pause_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	login_answer(arg);
}

/*
 * Tests only (docs/admin.md, "Test hooks"): TAFEL_TEST_LOGIN_PAUSE=
 * LOGIN:MS makes each login of LOGIN wait MS milliseconds after the
 * database checked it, before its session starts, so that a test can
 * change the account in between.  Returns 1 when l waits.
 */
static int
login_paused(struct login *l)
{
	const char *e = getenv("TAFEL_TEST_LOGIN_PAUSE"), *colon;
	struct timeval tv;
	long ms;

	if (l->paused || e == NULL || (colon = strrchr(e, ':')) == NULL ||
	    (size_t)(colon - e) != strlen(l->login) ||
	    strncmp(e, l->login, strlen(l->login)) != 0 ||
	    (ms = strtol(colon + 1, NULL, 10)) <= 0 || ms > 60000)
		return 0;
	l->paused = 1;
	log_warn("TAFEL_TEST_LOGIN_PAUSE: the login of %s waits %ld ms (tests "
	    "only)", l->login, ms);
	if (l->timer != NULL)
		event_free(l->timer);
	l->timer = evtimer_new(srv.base, login_pause_done, l);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(l->timer, &tv);
	return 1;
}
#else
static int
login_paused(struct login *l)
{
	(void)l;
	return 0;
}
#endif

/* The account read again (login_recheck): refuse, or start the session. */
static void
login_rechecked(void *arg, struct db_result *res)
{
	struct login *l = arg;

	if (login_db_failed(l, res))
		return;
	if (PQntuples(res->res) != 1 ||
	    strtoll(PQgetvalue(res->res, 0, 0), NULL, 10) != l->user_id ||
	    strcmp(PQgetvalue(res->res, 0, 2), "t") == 0) {
		OPENSSL_cleanse(l->ticket, sizeof l->ticket);
		login_fail(l, TAFEL__ERROR_CODE__ACCOUNT_DISABLED,
		    "this account is disabled; ask the administrator");
		return;
	}
	/*
	 * A password login compares the hash it checked; a ticket login asks
	 * whether the ticket it was just given still lives (a new password
	 * deletes the user's tickets, as tafelctl user revoke-tickets does).
	 */
	if (l->by_ticket ? strcmp(PQgetvalue(res->res, 0, 3), "t") != 0 :
	    l->hash == NULL || strcmp(l->hash, PQgetvalue(res->res, 0, 1)) != 0) {
		OPENSSL_cleanse(l->ticket, sizeof l->ticket);
		login_fail(l, TAFEL__ERROR_CODE__SESSION_EXPIRED, l->by_ticket ?
		    "the resume ticket was revoked (a new password, or by the "
		    "administrator); log in with the password" :
		    "the account's password was changed; log in again");
		return;
	}
	login_answer(l);
}

/*
 * Before the session starts (revoke.h): when a notice that the account
 * was disabled or got a new password came after the database checked
 * this login, it found no session to end, so the account is read again
 * (at most LOGIN_RECHECKS times; then the login is refused as expired).
 * Returns 1 when l waits for that read or was answered.
 */
#define LOGIN_RECHECKS 5
static int
login_recheck(struct login *l)
{
	char hash[67];
	const char *params[2] = { l->login, hash };

	if (!revoke_missed(l->user_id, l->revoke_mark))
		return 0;
	if (++l->rechecks > LOGIN_RECHECKS) {
		OPENSSL_cleanse(l->ticket, sizeof l->ticket);
		login_fail(l, TAFEL__ERROR_CODE__SESSION_EXPIRED, "the account "
		    "kept changing while this login was checked; log in again");
		return 1;
	}
	log_info("conn %llu (%s): the account of \"%s\" changed while its "
	    "login was checked; reading it again", (unsigned long long)
	    l->r->c->id, l->r->c->addr, l->login);
	l->revoke_mark = revoke_mark();
	hash_param(l->ticket_hash, hash);	/* unused by a password login */
	db_call("SELECT user_id, password_hash, disabled, "
	    "tafel_ticket_live($2::bytea) FROM tafel_login_lookup($1)", 2,
	    params, login_rechecked, l);
	return 1;
}

/* Starts the session and answers login_ok, or refuses one too many. */
static void
login_answer(struct login *l)
{
	struct conn *c = l->r->c;
	Tafel__LoginResponse *resp = l->resp;
	struct session *s;
	char *parsed_ticket = resp->resume_ticket;
	size_t i;

	if (login_draining(l))
		return;
	if (req_gone(l->r) || c->state != CONN_LOGIN) {
		login_free(l);
		return;
	}
	if (login_cancelled(l) || login_paused(l) || login_recheck(l))
		return;
	if (user_sessions(resp->user->id) >= srv.cfg.max_sessions_per_user) {
		char msg[160];

		snprintf(msg, sizeof msg, "too many sessions of this user at "
		    "once (%lld); log out elsewhere first",
		    srv.cfg.max_sessions_per_user);
		login_fail(l, TAFEL__ERROR_CODE__RATE_LIMITED, msg);
		return;
	}
	s = session_start(c);
	if (l->ticket[0] != '\0') {
		memcpy(s->ticket_hash, l->ticket_hash, sizeof s->ticket_hash);
		s->has_ticket = 1;
		resp->resume_ticket = l->ticket;
		resp->resume_ticket_expires = l->ticket_expires;
	}
	resp->resumed = l->by_ticket;
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
	log_info("conn %llu (%s): %s %s (%s)", (unsigned long long)c->id,
	    c->addr, s->login, l->by_ticket ? "resumed with a ticket" :
	    "logged in", s->org_name);
	req_reply_message(l->r, TAFEL__ENVELOPE__BODY_LOGIN_OK, &resp->base);
	/* the ticket lives in l; the parsed message must not free it */
	resp->resume_ticket = parsed_ticket;
	login_free(l);
}

static void
login_looked_up(void *arg, struct db_result *res)
{
	struct login *l = arg;

	if (login_db_failed(l, res))
		return;
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
	auth_verify(l->hash, l->password, l->r->c->net, login_verified, l);
}

static void
login_lookup(struct login *l)
{
	const char *params[1] = { l->login };

	l->revoke_mark = revoke_mark();
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

/* The presented ticket was swapped for the next one, or refused (no row). */
static void
ticket_resumed(void *arg, struct db_result *res)
{
	struct login *l = arg;

	if (login_db_failed(l, res))
		return;
	if (PQntuples(res->res) != 1) {
		OPENSSL_cleanse(l->ticket, sizeof l->ticket);
		login_fail(l, TAFEL__ERROR_CODE__SESSION_EXPIRED,
		    "the resume ticket is unknown, used, expired or revoked; "
		    "log in with the password");
		return;
	}
	l->user_id = strtoll(PQgetvalue(res->res, 0, 0), NULL, 10);
	l->disabled = strcmp(PQgetvalue(res->res, 0, 1), "t") == 0;
	l->response = xstrdup(PQgetvalue(res->res, 0, 2));
	l->ticket_expires = strtoll(PQgetvalue(res->res, 0, 3), NULL, 10);
	if (l->disabled)
		OPENSSL_cleanse(l->ticket, sizeof l->ticket);
	l->verified = 1;
	login_finish(l);
}

/*
 * A login with a resume ticket: no password, no hash, no throttling delay
 * (a ticket cannot be guessed), bound to the login name and the client
 * certificate.  The database swaps it for the next one atomically.
 */
static void
login_by_ticket(struct conn *c, const Tafel__Envelope *env)
{
	const Tafel__LoginRequest *q = env->login;
	struct login *l;
	unsigned char old[32];
	char oldp[67], newp[67];
	const char *params[4];

	if (q->password[0] != '\0') {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__INVALID_ARGUMENT,
		    "send either a password or a resume ticket, not both",
		    "resume_ticket");
		return;
	}
	if (ticket_hash_of(q->resume_ticket, old) != 0) {
		conn_send_error(c, env->request_id,
		    TAFEL__ERROR_CODE__INVALID_ARGUMENT,
		    "not a resume ticket (43 base64url characters)",
		    "resume_ticket");
		return;
	}
	l = xcalloc(1, sizeof *l);
	l->r = req_new(c, env, TAFEL__ENVELOPE__BODY_LOGIN_OK);
	l->login = xstrdup(q->login);
	l->by_ticket = 1;
	c->login_pending = LOGIN_PENDING;
	conn_cert_fp(c, l->cert_fp, sizeof l->cert_fp);
	ticket_new(l->ticket, l->ticket_hash);
	hash_param(old, oldp);
	hash_param(l->ticket_hash, newp);
	params[0] = l->login;
	params[1] = oldp;
	params[2] = newp;
	params[3] = l->cert_fp;
	l->revoke_mark = revoke_mark();
	db_call("SELECT user_id, disabled, response, expires_at FROM "
	    "tafel_ticket_resume($1, $2::bytea, $3::bytea, $4)", 4, params,
	    ticket_resumed, l);
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
	if (q->resume_ticket[0] != '\0') {
		if (validate_text("login", q->login, 64, 1, 0, &verr) != 0) {
			conn_send_error(c, env->request_id, verr.code,
			    verr.message, verr.field);
			return;
		}
		if (c->login_pending) {
			conn_send_error(c, env->request_id,
			    TAFEL__ERROR_CODE__RATE_LIMITED, "a login is "
			    "already in progress on this connection", NULL);
			return;
		}
		login_by_ticket(c, env);
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
	c->login_pending = LOGIN_PENDING;
	conn_cert_fp(c, l->cert_fp, sizeof l->cert_fp);
	delay = auth_throttle_delay(l->login, c->net);
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

/* Logout revoked the session's ticket (or could not): now answer. */
static void
ticket_revoked(void *arg, struct db_result *res)
{
	struct req *r = arg;
	Tafel__Envelope out = TAFEL__ENVELOPE__INIT;
	Tafel__OkResponse ok = TAFEL__OK_RESPONSE__INIT;

	if (res->code != 0)
		log_warn("logout: the resume ticket could not be revoked (it "
		    "stays valid until it expires): %s", res->message);
	if (!req_gone(r)) {
		out.body_case = TAFEL__ENVELOPE__BODY_OK;
		out.ok = &ok;
		req_reply(r, &out);
	}
	req_free(r);
}

void
h_logout(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h)
{
	Tafel__Envelope out = TAFEL__ENVELOPE__INIT;
	Tafel__OkResponse ok = TAFEL__OK_RESPONSE__INIT;
	char hash[67];
	const char *params[1] = { hash };
	int revoke = 0;

	(void)h;
	out.request_id = env->request_id;
	out.body_case = TAFEL__ENVELOPE__BODY_OK;
	out.ok = &ok;
	if (c->session != NULL) {
		log_info("conn %llu (%s): %s logged out",
		    (unsigned long long)c->id, c->addr, c->session->login);
		if (c->session->has_ticket) {
			hash_param(c->session->ticket_hash, hash);
			revoke = 1;
		}
	}
	session_end(c);
	if (c->state == CONN_READY)
		conn_set_state(c, CONN_LOGIN);
	/* a login still being checked does not log the connection in */
	if (c->login_pending)
		c->login_pending = LOGIN_CANCELLED;
	if (revoke) {
		/* answered once the ticket is gone: a resume after ok fails */
		db_call("SELECT tafel_ticket_revoke($1::bytea)", 1, params,
		    ticket_revoked, req_new(c, env, TAFEL__ENVELOPE__BODY_OK));
		return;
	}
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
