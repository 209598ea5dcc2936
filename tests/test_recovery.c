/* Integration: recovery after drops and restarts: resume tickets, TLS session resumption, resuming from the ring, the LISTEN connection after a database outage. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <openssl/err.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"
#include "tls.h"

#define T 20000

static struct tafeld a;
static struct tafeld *cur = &a;		/* the server login() talks to */
static int64_t meeting_id, case_id, org_id;

static int
setup(void **state)
{
	static const char *const extra[] = { "--set", "resume_window=500",
	    NULL };
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	struct tclient c;
	Tafel__Envelope *m;
	size_t i;

	(void)state;
	if (tafeld_start_demo(&a, extra) != 0 ||
	    tclient_login(&c, &a, "voorzitter", "demo") != 0)
		return -1;
	m = tclient_req(&c, B(LIST_MEETINGS), &lm, NULL);
	if (m == NULL || m->body_case != B(MEETING_LIST) ||
	    m->meeting_list->n_meetings == 0)
		return -1;
	/* an open meeting the chair sees in full (the snapshot is audited) */
	for (i = 0; i < m->meeting_list->n_meetings; i++)
		if (m->meeting_list->meetings[i]->state ==
		    TAFEL__MEETING_STATE__MEETING_OPEN)
			meeting_id = m->meeting_list->meetings[i]->id;
	if (meeting_id == 0)
		meeting_id = m->meeting_list->meetings[0]->id;
	frame_free(m);
	m = tclient_subscribe(&c, meeting_id, 0, 0);
	if (m == NULL || m->body_case != B(SUBSCRIBED) ||
	    m->subscribed->snapshot->n_agenda == 0)
		return -1;
	case_id = m->subscribed->snapshot->agenda[0]->case_id;
	frame_free(m);
	tclient_close(&c);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&a);
}

static Tafel__Envelope *
add_action(struct tclient *c, const char *what, const char *key)
{
	Tafel__CreateActionRequest r = TAFEL__CREATE_ACTION_REQUEST__INIT;
	Tafel__ListOrganisationsRequest lo = TAFEL__LIST_ORGANISATIONS_REQUEST__INIT;
	Tafel__Envelope *m;

	if (org_id == 0) {
		m = tclient_req(c, B(LIST_ORGANISATIONS), &lo, NULL);
		harness_expect_body(m, B(ORGANISATION_LIST));
		org_id = m->organisation_list->organisations[0]->id;
		frame_free(m);
	}
	r.case_id = case_id;
	r.meeting_id = meeting_id;
	r.description = (char *)what;
	r.owner_org_id = org_id;
	r.due_date = "2031-05-05";
	return tclient_req(c, B(CREATE_ACTION), &r,
	    key != NULL ? key : harness_key());
}

/* The next event on c that creates the action point "what"; its seq. */
static uint64_t
expect_action_event(struct tclient *c, const char *what)
{
	Tafel__Envelope *m;
	uint64_t seq;

	for (;;) {
		m = tclient_event(c, T);
		assert_non_null(m);
		if (m->event->action_point != NULL &&
		    strcmp(m->event->action_point->description, what) == 0)
			break;
		frame_free(m);
	}
	seq = m->event->seq;
	frame_free(m);
	return seq;
}

/* Opens a connection and logs in with a password or a ticket; the answer. */
static Tafel__Envelope *
login(struct tclient *c, const char *user, const char *password,
    const char *ticket)
{
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;

	assert_int_equal(tclient_open(c, cur, TAFEL_PROTOCOL_VERSION), 0);
	l.login = (char *)user;
	l.password = (char *)(password ? password : "");
	l.resume_ticket = (char *)(ticket ? ticket : "");
	return tclient_req(c, B(LOGIN), &l, NULL);
}

/* Logs in (password or ticket), expects login_ok; copies the new ticket. */
static void
login_ok(struct tclient *c, const char *user, const char *password,
    const char *ticket, char *next, size_t len, int resumed)
{
	Tafel__Envelope *m = login(c, user, password, ticket);

	harness_expect_body(m, B(LOGIN_OK));
	assert_int_equal(m->login_ok->resumed, resumed);
	assert_int_equal(strlen(m->login_ok->resume_ticket), 43);
	assert_true(m->login_ok->resume_ticket_expires > (int64_t)time(NULL));
	if (ticket != NULL)
		assert_string_not_equal(m->login_ok->resume_ticket, ticket);
	snprintf(next, len, "%s", m->login_ok->resume_ticket);
	frame_free(m);
}

/* tafelctl user WHAT LOGIN (disable, enable, revoke-tickets), which must succeed. */
static void
ctl_user(const char *what, const char *login)
{
	const char *const args[] = { "user", what, login, NULL };

	assert_int_equal(tafelctl_run(&a, args), 0);
}

/* tafelctl user passwd LOGIN giving "demo" again (a new hash all the same). */
static void
new_password(const char *login)
{
	char path[] = "/tmp/tafel-pw-XXXXXX";
	const char *const args[] = { "--password-file", path, "user", "passwd",
	    login, NULL };
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "demo\n", 5), 5);
	close(fd);
	assert_int_equal(tafelctl_run(&a, args), 0);
	unlink(path);
}

/* A login with this ticket is refused with code. */
static void
ticket_refused(const char *user, const char *ticket, Tafel__ErrorCode code)
{
	struct tclient c;
	Tafel__Envelope *m = login(&c, user, NULL, ticket);

	assert_int_equal(harness_error_of(m), code);
	frame_free(m);
	tclient_close(&c);
}

static int
audit_count(const char *context)
{
	char sql[200], out[32];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE "
	    "context = '%s'", context);
	assert_int_equal(harness_psql_value(&a, sql, out, sizeof out), 0);
	return atoi(out);
}

/* The server's Hello tells the client the size of its resume window. */
static void
test_hello_resume_window(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;

	(void)state;
	assert_int_equal(tclient_connect(&c, &a), 0);
	m = tclient_recv(&c, T);
	harness_expect_body(m, B(HELLO));
	assert_int_equal(m->hello->resume_window, 500);
	frame_free(m);
	tclient_close(&c);
}

/*
 * A resume the ring can serve: resumed, exactly the missed event, and no
 * snapshot read (none audited).
 */
static void
test_resume_in_ring_reads_no_snapshot(void **state)
{
	struct tclient w, s;
	Tafel__Envelope *m;
	uint64_t seen;
	int snapshots;

	(void)state;
	assert_int_equal(tclient_login(&w, &a, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&s, &a, "voorzitter", "demo"), 0);
	snapshots = audit_count("snapshot");
	m = tclient_subscribe(&s, meeting_id, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
	/* the precondition: a snapshot of this meeting is audited */
	assert_true(audit_count("snapshot") > snapshots);
	m = add_action(&w, "Voor de onderbreking", NULL);
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	seen = expect_action_event(&s, "Voor de onderbreking");
	tclient_close(&s);

	m = add_action(&w, "Tijdens de onderbreking", NULL);
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	snapshots = audit_count("snapshot");
	assert_int_equal(tclient_login(&s, &a, "voorzitter", "demo"), 0);
	m = tclient_subscribe(&s, meeting_id, seen, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_true(m->subscribed->resumed);
	assert_int_equal(m->subscribed->seq, seen);
	assert_null(m->subscribed->snapshot);
	frame_free(m);
	assert_true(expect_action_event(&s, "Tijdens de onderbreking") > seen);
	assert_int_equal(audit_count("snapshot"), snapshots);
	tclient_close(&s);
	tclient_close(&w);
}

/*
 * resume_from beyond the newest seq was never issued: a fresh snapshot,
 * and the next real event arrives (it used to be dropped).
 */
static void
test_resume_beyond_newest(void **state)
{
	struct tclient w, s;
	Tafel__Envelope *m;
	Tafel__PingRequest p = TAFEL__PING_REQUEST__INIT;
	uint64_t newest, snap;

	(void)state;
	assert_int_equal(tclient_login(&w, &a, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&s, &a, "voorzitter", "demo"), 0);
	m = tclient_req(&s, B(PING), &p, NULL);
	harness_expect_body(m, B(PONG));
	newest = m->pong->server_seq;
	frame_free(m);
	m = tclient_subscribe(&s, meeting_id, newest + 1000, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_false(m->subscribed->resumed);
	assert_non_null(m->subscribed->snapshot);
	assert_int_equal(m->subscribed->snapshot->meeting->id, meeting_id);
	snap = m->subscribed->seq;
	assert_true(snap >= newest && snap < newest + 1000);
	frame_free(m);
	m = add_action(&w, "Na een verzonnen hervatpunt", NULL);
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	assert_true(expect_action_event(&s, "Na een verzonnen hervatpunt") >
	    snap);
	tclient_close(&s);
	tclient_close(&w);
}

/* The organisation's action list resumes from the ring as well (no snapshot). */
static void
test_resume_org_actions(void **state)
{
	struct tclient s;
	Tafel__SubscribeRequest q = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__PingRequest p = TAFEL__PING_REQUEST__INIT;
	Tafel__Envelope *m;
	uint64_t newest;

	(void)state;
	assert_int_equal(tclient_login(&s, &a, "politie", "demo"), 0);
	m = tclient_req(&s, B(PING), &p, NULL);
	harness_expect_body(m, B(PONG));
	newest = m->pong->server_seq;
	frame_free(m);
	assert_true(newest > 0);	/* earlier tests wrote */
	q.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_ORG_ACTIONS;
	q.resume_from = newest;
	m = tclient_req(&s, B(SUBSCRIBE), &q, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_true(m->subscribed->resumed);
	assert_int_equal(m->subscribed->seq, newest);
	assert_null(m->subscribed->actions);
	frame_free(m);
	/* and beyond the newest: the list afresh */
	q.resume_from = newest + 1000;
	m = tclient_req(&s, B(SUBSCRIBE), &q, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_false(m->subscribed->resumed);
	assert_non_null(m->subscribed->actions);
	frame_free(m);
	tclient_close(&s);
}

/*
 * A resume ticket logs a reconnecting client in without its password;
 * each ticket works once and the answer carries the next.
 */
static void
test_ticket_login(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	char t1[64], t2[64], t3[64];
	int resumed_before;

	(void)state;
	login_ok(&c, "politie", "demo", NULL, t1, sizeof t1, 0);
	tclient_close(&c);	/* a dropped connection: no logout */
	resumed_before = tafeld_log_count(&a, "resumed with a ticket");
	login_ok(&c, "politie", NULL, t1, t2, sizeof t2, 1);
	/* the session works */
	{
		Tafel__ListMeetingsRequest lm =
		    TAFEL__LIST_MEETINGS_REQUEST__INIT;

		m = tclient_req(&c, B(LIST_MEETINGS), &lm, NULL);
		harness_expect_body(m, B(MEETING_LIST));
		frame_free(m);
	}
	tclient_close(&c);
	assert_int_equal(tafeld_log_count(&a, "resumed with a ticket"),
	    resumed_before + 1);
	/* used once: refused, and the password still works */
	ticket_refused("politie", t1, TAFEL__ERROR_CODE__SESSION_EXPIRED);
	login_ok(&c, "politie", NULL, t2, t3, sizeof t3, 1);
	tclient_close(&c);
	/* another user's name with a valid ticket: refused (and burnt) */
	ticket_refused("om", t3, TAFEL__ERROR_CODE__SESSION_EXPIRED);
	ticket_refused("politie", t3, TAFEL__ERROR_CODE__SESSION_EXPIRED);
	/* not a ticket at all */
	ticket_refused("politie", "kort", TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	/* both a password and a ticket */
	m = login(&c, "politie", "demo", t3);
	assert_int_equal(harness_error_of(m),
	    TAFEL__ERROR_CODE__INVALID_ARGUMENT);
	assert_string_equal(m->error->field, "resume_ticket");
	frame_free(m);
	tclient_close(&c);
}

/* Logout, expiry, certificate binding, revocation, a new password and a disabled account end tickets. */
static void
test_ticket_revocation(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	Tafel__LogoutRequest lo = TAFEL__LOGOUT_REQUEST__INIT;
	char t[64];

	(void)state;
	/* logout */
	login_ok(&c, "reclassering", "demo", NULL, t, sizeof t, 0);
	m = tclient_req(&c, B(LOGOUT), &lo, NULL);
	harness_expect_body(m, B(OK));
	frame_free(m);
	tclient_close(&c);
	ticket_refused("reclassering", t, TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* expiry */
	login_ok(&c, "reclassering", "demo", NULL, t, sizeof t, 0);
	tclient_close(&c);
	assert_int_equal(harness_psql(&a, "UPDATE resume_tickets SET "
	    "expires_at = now() - interval '1 second'"), 0);
	ticket_refused("reclassering", t, TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* issued on a connection with another client certificate */
	login_ok(&c, "reclassering", "demo", NULL, t, sizeof t, 0);
	tclient_close(&c);
	assert_int_equal(harness_psql(&a, "UPDATE resume_tickets SET "
	    "cert_fp = 'aa:bb:cc'"), 0);
	ticket_refused("reclassering", t, TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* tafelctl user revoke-tickets */
	login_ok(&c, "reclassering", "demo", NULL, t, sizeof t, 0);
	tclient_close(&c);
	ctl_user("revoke-tickets", "reclassering");
	ticket_refused("reclassering", t, TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* a new password */
	login_ok(&c, "reclassering", "demo", NULL, t, sizeof t, 0);
	tclient_close(&c);
	new_password("reclassering");
	ticket_refused("reclassering", t, TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* a disabled account */
	login_ok(&c, "reclassering", "demo", NULL, t, sizeof t, 0);
	tclient_close(&c);
	ctl_user("disable", "reclassering");
	ctl_user("enable", "reclassering");
	ticket_refused("reclassering", t, TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* nothing readable is stored: only 32-byte hashes */
	{
		char out[64];

		assert_int_equal(harness_psql_value(&a, "SELECT count(*) FROM "
		    "resume_tickets WHERE length(hash) <> 32", out,
		    sizeof out), 0);
		assert_string_equal(out, "0");
	}
}

/* Reads c until the server closes it; returns the code of its closing Error (request_id 0), 0 for none. */
static Tafel__ErrorCode
closing_error(struct tclient *c)
{
	Tafel__ErrorCode code = 0;
	Tafel__Envelope *m;
	long long deadline = now_ms() + 20000;	/* hang guard only */

	while (now_ms() < deadline &&
	    (m = tclient_recv(c, (int)(deadline - now_ms()))) != NULL) {
		if (m->request_id == 0 && m->body_case == B(ERROR))
			code = m->error->code;
		frame_free(m);
	}
	assert_true(c->eof);
	return code;
}

/*
 * Disabling an account or giving it a new password ends its live
 * connections at once, not only its further logins and resumes; other
 * users stay connected.  One disabled while the server's listener was
 * down (so that no notice reached it) is found when it is back.
 */
static void
test_live_sessions_end(void **state)
{
	struct tclient c1, c2, other;
	char t[64];

	(void)state;
	login_ok(&c1, "reclassering", "demo", NULL, t, sizeof t, 0);
	login_ok(&c2, "reclassering", "demo", NULL, t, sizeof t, 0);
	login_ok(&other, "politie", "demo", NULL, t, sizeof t, 0);

	/* disabled: both of its connections end, the other stays */
	ctl_user("disable", "reclassering");
	assert_int_equal(closing_error(&c1), TAFEL__ERROR_CODE__ACCOUNT_DISABLED);
	assert_int_equal(closing_error(&c2), TAFEL__ERROR_CODE__ACCOUNT_DISABLED);
	tclient_close(&c1);
	tclient_close(&c2);
	harness_ping_ok(&other);
	assert_true(tafeld_log_count(&a, "the account was disabled by an "
	    "administrator (reclassering): closed") >= 2);
	ctl_user("enable", "reclassering");

	/* a new password (the same one will do): its connection ends */
	login_ok(&c1, "reclassering", "demo", NULL, t, sizeof t, 0);
	new_password("reclassering");
	assert_int_equal(closing_error(&c1), TAFEL__ERROR_CODE__SESSION_EXPIRED);
	tclient_close(&c1);
	harness_ping_ok(&other);

	/*
	 * A role taken away (made an observer): its connection ends and its
	 * ticket is gone, so its client neither keeps showing nor resumes
	 * (without a snapshot) into what it saw in full as a member; a role
	 * given ends nothing.
	 */
	login_ok(&c1, "reclassering", "demo", NULL, t, sizeof t, 0);
	{
		const char *const obs[] = { "user", "roles", "reclassering",
		    "observer", NULL };
		const char *const mem[] = { "user", "roles", "reclassering",
		    "member", NULL };

		assert_int_equal(tafelctl_run(&a, obs), 0);
		assert_int_equal(closing_error(&c1),
		    TAFEL__ERROR_CODE__SESSION_EXPIRED);
		tclient_close(&c1);
		ticket_refused("reclassering", t,
		    TAFEL__ERROR_CODE__SESSION_EXPIRED);
		assert_true(tafeld_log_count(&a, "a role of the account was "
		    "taken away; log in again (reclassering): closed") >= 1);
		login_ok(&c1, "reclassering", "demo", NULL, t, sizeof t, 0);
		assert_int_equal(tafelctl_run(&a, mem), 0);
		usleep(500 * 1000);	/* a notice would have come */
		harness_ping_ok(&c1);
		tclient_close(&c1);
	}
	harness_ping_ok(&other);

	/*
	 * Disabled without a notice (triggers off for that session), then
	 * the listener's connection is cut: when it is back, the server asks
	 * about its logged-in users and ends the disabled one's connection.
	 */
	login_ok(&c1, "reclassering", "demo", NULL, t, sizeof t, 0);
	assert_int_equal(harness_psql(&a, "SET session_replication_role = "
	    "replica; UPDATE users SET disabled = true WHERE login = "
	    "'reclassering'; SELECT pg_terminate_backend(pid) FROM "
	    "pg_stat_activity WHERE query LIKE 'LISTEN%'"), 0);
	assert_int_equal(closing_error(&c1), TAFEL__ERROR_CODE__ACCOUNT_DISABLED);
	tclient_close(&c1);
	harness_ping_ok(&other);
	tclient_close(&other);
	ctl_user("enable", "reclassering");
}

/*
 * An account disabled or given a new password while its login is being
 * checked: the database said yes, but the session has not started when
 * the notice comes (TAFEL_TEST_LOGIN_PAUSE, set in main, holds each login
 * of PAUSED there), so the notice finds no session to end.  The server
 * reads the account again before the session starts and refuses the
 * login; a login held there without a change gets in.
 */
#define PAUSED "verslavingszorg"

/* Sends a login of PAUSED (password, or ticket when given); when the
 * server holds it, runs tafelctl user WHAT PAUSED ("passwd": a new
 * password; "reenable": disable, then enable again; NULL: nothing);
 * returns the login's answer. */
static Tafel__Envelope *
login_during(struct tclient *c, const char *ticket, const char *what)
{
	static int held;		/* PAUSED logins held so far */
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	long long until = now_ms() + T;

	assert_int_equal(tclient_open(c, &a, TAFEL_PROTOCOL_VERSION), 0);
	l.login = PAUSED;
	l.password = ticket != NULL ? "" : "demo";
	l.resume_ticket = (char *)(ticket != NULL ? ticket : "");
	env.request_id = 77;
	env.body_case = B(LOGIN);
	env.login = &l;
	assert_int_equal(tclient_send(c, &env), 0);
	held++;
	while (tafeld_log_count(&a, "the login of " PAUSED " waits") < held) {
		assert_true(now_ms() < until);
		usleep(20000);
	}
	if (what != NULL && strcmp(what, "passwd") == 0)
		new_password(PAUSED);
	else if (what != NULL && strcmp(what, "reenable") == 0) {
		ctl_user("disable", PAUSED);
		ctl_user("enable", PAUSED);
	} else if (what != NULL)
		ctl_user(what, PAUSED);
	m = tclient_recv(c, T);
	assert_non_null(m);
	assert_int_equal(m->request_id, 77);
	return m;
}

/* login_during on a connection of its own, which must be refused; the
 * refusal's code. */
static Tafel__ErrorCode
refused_during(const char *ticket, const char *what)
{
	struct tclient c;
	Tafel__Envelope *m = login_during(&c, ticket, what);
	Tafel__ErrorCode code = harness_error_of(m);

	frame_free(m);
	tclient_close(&c);
	return code;
}

/* A password login of PAUSED, not held; the resume ticket it got. */
static void
ticket_of_login(char *ticket, size_t len)
{
	struct tclient c;
	Tafel__Envelope *m = login_during(&c, NULL, NULL);

	harness_expect_body(m, B(LOGIN_OK));
	snprintf(ticket, len, "%s", m->login_ok->resume_ticket);
	frame_free(m);
	tclient_close(&c);
}

static void
test_login_racing_change(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	char ticket[64];

	(void)state;
#ifndef TAFEL_TEST_HOOKS
	skip();
#endif
	/* nothing changes while it is held: it gets in */
	m = login_during(&c, NULL, NULL);
	harness_expect_body(m, B(LOGIN_OK));
	frame_free(m);
	harness_ping_ok(&c);
	tclient_close(&c);

	/* disabled while held: refused, as a disabled account is */
	assert_int_equal(refused_during(NULL, "disable"),
	    TAFEL__ERROR_CODE__ACCOUNT_DISABLED);
	ctl_user("enable", PAUSED);

	/* a new password while held: refused, log in again */
	assert_int_equal(refused_during(NULL, "passwd"),
	    TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* a ticket login held while the password changes: the same */
	ticket_of_login(ticket, sizeof ticket);
	assert_int_equal(refused_during(ticket, "passwd"),
	    TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* disabled and enabled again while a ticket login is held: the
	 * account is enabled when read again, but disabling it revoked the
	 * ticket the login was given, so it is refused all the same */
	ticket_of_login(ticket, sizeof ticket);
	assert_int_equal(refused_during(ticket, "reenable"),
	    TAFEL__ERROR_CODE__SESSION_EXPIRED);
	assert_true(tafeld_log_count(&a, "the account of \"" PAUSED "\" "
	    "changed while its login was checked") >= 4);
}

/* A TLS connection to port with ctx (session offered when kept); c as tclient_connect. */
static void
tls_open(struct tclient *c, SSL_CTX *ctx, int port)
{
	struct sockaddr_in sa;

	memset(c, 0, sizeof *c);
	c->next_id = 1;
	SSL_CTX_up_ref(ctx);
	c->ctx = ctx;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(c->fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(c->fd, (struct sockaddr *)&sa, sizeof sa), 0);
	c->ssl = tls_client_ssl(ctx, "127.0.0.1");
	assert_non_null(c->ssl);
	tls_client_offer_session(ctx, c->ssl);
	SSL_set_fd(c->ssl, c->fd);
	if (SSL_connect(c->ssl) != 1) {
		ERR_print_errors_fp(stderr);
		fail();
	}
}

/*
 * The reconnect resumes the TLS session (no certificate exchange): the
 * client keeps the server's session ticket and offers it.
 */
static void
test_tls_session_resumption(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	SSL_CTX *ctx;
	char ca[400], err[256];

	(void)state;
	snprintf(ca, sizeof ca, "%s/tls/ca.crt", a.dir);
	ctx = tls_client_ctx(ca, NULL, NULL, err, sizeof err);
	assert_non_null(ctx);
	assert_int_equal(tls_client_keep_sessions(ctx), 0);

	tls_open(&c, ctx, a.port);
	assert_false(SSL_session_reused(c.ssl));
	m = tclient_recv(&c, T);	/* reading takes the ticket in too */
	harness_expect_body(m, B(HELLO));
	frame_free(m);
	tclient_close(&c);

	tls_open(&c, ctx, a.port);
	assert_true(SSL_session_reused(c.ssl));
	m = tclient_recv(&c, T);
	harness_expect_body(m, B(HELLO));
	frame_free(m);
	tclient_close(&c);

	/* and without a kept session, a full handshake */
	tls_client_forget_session(ctx);
	tls_open(&c, ctx, a.port);
	assert_false(SSL_session_reused(c.ssl));
	tclient_close(&c);
	SSL_CTX_free(ctx);
}

/* Hello exchange and a ticket login on a connection made with tls_open. */
static Tafel__Envelope *
hello_ticket_login(struct tclient *c, const char *user, const char *ticket)
{
	Tafel__Envelope env, *m;
	Tafel__Hello h;
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;

	m = tclient_recv(c, T);
	harness_expect_body(m, B(HELLO));
	frame_free(m);
	envelope_hello(&env, &h, "test", TAFEL_MAX_FRAME);
	assert_int_equal(tclient_send(c, &env), 0);
	l.login = (char *)user;
	l.resume_ticket = (char *)ticket;
	return tclient_req(c, B(LOGIN), &l, NULL);
}

/*
 * With client certificates, a ticket works only on a connection with the
 * certificate it was issued on (also through a resumed TLS session).
 */
static void
test_ticket_bound_to_certificate(void **state)
{
	static const char *const mtls[] = { "--set", "client_certs=yes", NULL };
	struct tafeld m;
	struct tclient c;
	Tafel__Envelope *e;
	char cmd[4096], ca[400], err[256];
	char cert_a[400], key_a[400], cert_b[400], key_b[400];
	char t1[64], t2[64], t3[64];
	SSL_CTX *ctx;

	(void)state;
	assert_int_equal(tafeld_start_demo(&m, mtls), 0);
	snprintf(cmd, sizeof cmd, "mkdir -p %s-certs && cd %s-certs && "
	    "%s --config /dev/null --data-dir %s cert issue 'Politie Eenheid "
	    "Oost-Nederland' politie 30 >/dev/null && %s --config /dev/null "
	    "--data-dir %s cert issue 'Politie Eenheid Oost-Nederland' "
	    "wijkagent 30 >/dev/null", m.dir, m.dir, getenv("TAFELCTL"), m.dir,
	    getenv("TAFELCTL"), m.dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cert_a, sizeof cert_a, "%s-certs/politie.crt", m.dir);
	snprintf(key_a, sizeof key_a, "%s-certs/politie.key", m.dir);
	snprintf(cert_b, sizeof cert_b, "%s-certs/wijkagent.crt", m.dir);
	snprintf(key_b, sizeof key_b, "%s-certs/wijkagent.key", m.dir);
	cur = &m;

	/* issued with certificate A, presented with B (same organisation) */
	harness_client_cert = cert_a;
	harness_client_key = key_a;
	login_ok(&c, "politie", "demo", NULL, t1, sizeof t1, 0);
	tclient_close(&c);
	harness_client_cert = cert_b;
	harness_client_key = key_b;
	ticket_refused("politie", t1, TAFEL__ERROR_CODE__SESSION_EXPIRED);

	/* with A it works, also over a resumed TLS session */
	harness_client_cert = cert_a;
	harness_client_key = key_a;
	login_ok(&c, "politie", "demo", NULL, t2, sizeof t2, 0);
	tclient_close(&c);
	snprintf(ca, sizeof ca, "%s/tls/ca.crt", m.dir);
	ctx = tls_client_ctx(ca, cert_a, key_a, err, sizeof err);
	assert_non_null(ctx);
	assert_int_equal(tls_client_keep_sessions(ctx), 0);
	tls_open(&c, ctx, m.port);
	e = hello_ticket_login(&c, "politie", t2);
	harness_expect_body(e, B(LOGIN_OK));
	snprintf(t3, sizeof t3, "%s", e->login_ok->resume_ticket);
	frame_free(e);
	tclient_close(&c);
	tls_open(&c, ctx, m.port);
	assert_true(SSL_session_reused(c.ssl));
	e = hello_ticket_login(&c, "politie", t3);
	harness_expect_body(e, B(LOGIN_OK));
	assert_true(e->login_ok->resumed);
	frame_free(e);
	tclient_close(&c);
	SSL_CTX_free(ctx);

	harness_client_cert = NULL;
	harness_client_key = NULL;
	cur = &a;
	assert_int_equal(tafeld_stop(&m), 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s-certs", m.dir);
	assert_int_equal(system(cmd), 0);
	tafeld_cleanup(&m);
}

/*
 * PostgreSQL stopped and started again: a change made right after it is
 * back reaches a live subscriber (the LISTEN connection reconnects with
 * the first connection that gets through, not after its own backoff).
 */
static void
test_listen_after_database_restart(void **state)
{
	struct tclient w, s;
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__Envelope *m;
	long long deadline, t0;
	int ok = 0;
	char key[64], db[700];
	const char *args[] = { "--db", db, NULL };
	struct tafeld b;

	(void)state;
	/*
	 * The node under test uses the cluster as an external database (no
	 * watchdog of its own); the tafeld that owns the cluster is paused
	 * meanwhile, or its watchdog would restart PostgreSQL after a second
	 * and the outage would never last long enough.
	 */
	snprintf(db, sizeof db, "host=%s/pg/run port=5432 dbname=tafel", a.dir);
	assert_int_equal(tafeld_start(&b, NULL, args), 0);
	assert_int_equal(tclient_login(&w, &b, "voorzitter", "demo"), 0);
	assert_int_equal(tclient_login(&s, &b, "voorzitter", "demo"), 0);
	m = tclient_subscribe(&s, meeting_id, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);

	assert_int_equal(kill(a.pid, SIGSTOP), 0);
	assert_int_equal(harness_cluster_ctl(&a, "stop"), 0);
	/* long enough for every connection's backoff to grow to seconds */
	sleep(6);
	assert_int_equal(harness_cluster_ctl(&a, "start"), 0);

	/* the first answer that is not DATABASE_UNAVAILABLE */
	deadline = now_ms() + 60000;	/* hang guard only */
	while (!ok && now_ms() < deadline) {
		m = tclient_req(&w, B(LIST_MEETINGS), &lm, NULL);
		assert_non_null(m);
		if (m->body_case == B(MEETING_LIST))
			ok = 1;
		else {
			assert_int_equal(harness_error_of(m),
			    TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE);
			usleep(50000);
		}
		frame_free(m);
	}
	assert_true(ok);
	snprintf(key, sizeof key, "%s", harness_key());
	t0 = now_ms();
	for (ok = 0; !ok && now_ms() < deadline;) {
		m = add_action(&w, "Direct na de herstart van PostgreSQL", key);
		assert_non_null(m);
		ok = m->body_case == B(ACTION_POINT);
		if (!ok)
			usleep(50000);
		frame_free(m);
	}
	assert_true(ok);
	expect_action_event(&s, "Direct na de herstart van PostgreSQL");
	fprintf(stderr, "listen after restart: the subscriber had the change "
	    "%lld ms after the write was sent\n", now_ms() - t0);
	tclient_close(&s);
	tclient_close(&w);
	tafeld_stop(&b);
	tafeld_cleanup(&b);
	assert_int_equal(kill(a.pid, SIGCONT), 0);
}

/*
 * A ticket survives a restart of tafeld (it is in the database), and the
 * client's subscription resumes from the new process's ring.
 */
static void
test_ticket_after_restart(void **state)
{
	static const char *const extra[] = { "--set", "resume_window=500",
	    NULL };
	struct tclient w, s;
	Tafel__Envelope *m;
	char t[64], t2[64];
	uint64_t seen;

	(void)state;
	login_ok(&s, "voorzitter", "demo", NULL, t, sizeof t, 0);
	m = tclient_subscribe(&s, meeting_id, 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
	assert_int_equal(tclient_login(&w, &a, "voorzitter", "demo"), 0);
	m = add_action(&w, "Voor de herstart van tafeld", NULL);
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	seen = expect_action_event(&s, "Voor de herstart van tafeld");
	tclient_close(&w);
	tclient_close(&s);

	assert_int_equal(tafeld_stop(&a), 0);
	assert_int_equal(tafeld_start(&a, a.dir, extra), 0);

	assert_int_equal(tclient_login(&w, &a, "voorzitter", "demo"), 0);
	m = add_action(&w, "Na de herstart van tafeld", NULL);
	harness_expect_body(m, B(ACTION_POINT));
	frame_free(m);
	login_ok(&s, "voorzitter", NULL, t, t2, sizeof t2, 1);
	/*
	 * Served from the new process's ring: a resume that arrives while the
	 * window is still being read waits for it instead of getting a
	 * snapshot.
	 */
	m = tclient_subscribe(&s, meeting_id, seen, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	assert_true(m->subscribed->resumed);
	assert_null(m->subscribed->snapshot);
	frame_free(m);
	assert_true(expect_action_event(&s, "Na de herstart van tafeld") >
	    seen);
	tclient_close(&s);
	tclient_close(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_resume_window),
		cmocka_unit_test(test_resume_in_ring_reads_no_snapshot),
		cmocka_unit_test(test_resume_beyond_newest),
		cmocka_unit_test(test_resume_org_actions),
		cmocka_unit_test(test_ticket_login),
		cmocka_unit_test(test_ticket_revocation),
		cmocka_unit_test(test_live_sessions_end),
		cmocka_unit_test(test_login_racing_change),
		cmocka_unit_test(test_tls_session_resumption),
		cmocka_unit_test(test_ticket_bound_to_certificate),
		cmocka_unit_test(test_listen_after_database_restart),
		cmocka_unit_test(test_ticket_after_restart),
	};

	harness_require_service_user();
	/* test_login_racing_change: the logins of PAUSED wait there */
	setenv("TAFEL_TEST_LOGIN_PAUSE", PAUSED ":2000", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
