/* Ending the live sessions of an account the administrator disabled, gave a new password, took a role from or let see less. */
#include "revoke.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "db.h"
#include "log.h"
#include "server.h"
#include "session.h"
#include "xmalloc.h"

#define NOTICE_PREFIX "end-sessions "

/* Why an account's sessions end: what the client is told, and the log. */
static const struct why {
	const char *name;		/* in the notice */
	Tafel__ErrorCode code;
	const char *message;
} whys[] = {
	{ "disabled", TAFEL__ERROR_CODE__ACCOUNT_DISABLED,
	  "the account was disabled by an administrator" },
	{ "password", TAFEL__ERROR_CODE__SESSION_EXPIRED,
	  "the account's password was changed; log in again" },
	{ "roles", TAFEL__ERROR_CODE__SESSION_EXPIRED,
	  "a role of the account was taken away; log in again" },
	{ "access", TAFEL__ERROR_CODE__SESSION_EXPIRED,
	  "what the account may see was narrowed (the covenant's categories "
	  "or its process manager districts); log in again" },
};

/*
 * The users of the last RECENT notices, for the logins being checked
 * meanwhile (revoke_missed): entry n % RECENT is the n-th notice's
 * (counting from 1); 0 stands for every user (a listener reconnect).  A
 * login is checked in a few round trips, so a login that RECENT notices
 * overtook is simply checked again.
 */
#define RECENT 64
static int64_t recent[RECENT];
static uint64_t n_notices;

static void
remember(int64_t user_id)
{
	n_notices++;
	recent[n_notices % RECENT] = user_id;
}

uint64_t
revoke_mark(void)
{
	return n_notices;
}

int
revoke_missed(int64_t user_id, uint64_t mark)
{
	uint64_t n;

	if (n_notices - mark >= RECENT)		/* overtaken: ask again */
		return 1;
	for (n = mark + 1; n <= n_notices; n++)
		if (recent[n % RECENT] == user_id || recent[n % RECENT] == 0)
			return 1;
	return 0;
}

/* Closes every live session of user_id with w's Error. */
static void
end_sessions(int64_t user_id, const struct why *w)
{
	struct conn *c, *next;

	for (c = TAILQ_FIRST(&srv.conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->session == NULL || c->session->user_id != user_id ||
		    (c->state != CONN_READY && c->state != CONN_LOGIN))
			continue;
		log_info("conn %llu (%s): %s (%s): closed", (unsigned long
		    long)c->id, c->addr, w->message, c->session->login);
		conn_close(c, w->code, w->message);
	}
}

int
revoke_notice(const char *payload)
{
	const char *p, *sp;
	char *end;
	long long id;
	size_t i;

	if (strncmp(payload, NOTICE_PREFIX, strlen(NOTICE_PREFIX)) != 0)
		return 0;
	p = payload + strlen(NOTICE_PREFIX);
	id = strtoll(p, &end, 10);
	if (end == p || id <= 0 || *end != ' ') {
		log_warn("revoke: a notice this server does not understand: "
		    "%.80s", payload);
		return 1;
	}
	sp = end + 1;
	for (i = 0; i < sizeof whys / sizeof whys[0]; i++)
		if (strcmp(sp, whys[i].name) == 0) {
			remember((int64_t)id);
			end_sessions((int64_t)id, &whys[i]);
			return 1;
		}
	log_warn("revoke: a notice this server does not understand: %.80s",
	    payload);
	return 1;
}

static void
sweep_done(void *arg, struct db_result *r)
{
	int i, n;

	(void)arg;
	if (r->code != 0 || r->res == NULL) {
		/* for want of the database: db.c logs that, and the
		 * listener's next reconnect asks again */
		if (r->code != TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE)
			log_warn("revoke: cannot ask which logged-in users "
			    "are disabled: %s", r->message);
		return;
	}
	n = PQntuples(r->res);
	for (i = 0; i < n; i++)
		end_sessions(strtoll(PQgetvalue(r->res, i, 0), NULL, 10),
		    &whys[0]);
}

void
revoke_sweep(void)
{
	struct conn *c;
	struct db_ids ids = DB_IDS_INIT;
	const char *params[1];

	/* notices may have been lost: logins being checked check again */
	remember(0);
	TAILQ_FOREACH(c, &srv.conns, entry)
		if (c->session != NULL && c->state == CONN_READY)
			db_ids_add(&ids, c->session->user_id);
	if (ids.n > 0) {		/* anybody logged in */
		params[0] = db_ids_text(&ids);
		db_call("SELECT tafel_disabled_among($1::bigint[])", 1, params,
		    sweep_done, NULL);
	}
	db_ids_free(&ids);
}
