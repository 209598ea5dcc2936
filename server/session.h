/* A logged-in user on a connection: identity, roles, organisation, subscriptions. */
#ifndef TAFEL_SESSION_H
#define TAFEL_SESSION_H

#include <stdint.h>

#include "tafel.pb-c.h"

struct conn;

#define ROLE_BIT(r) (1u << (r))

struct session {
	int64_t user_id;
	int64_t org_id;
	unsigned roles;			/* ROLE_BIT(TAFEL__ROLE__...) */
	int org_signed;			/* organisation signed the covenant */
	Tafel__OrgKind org_kind;
	char login[72];
	char display_name[208];
	char org_name[208];
	struct sub *subs;		/* push subscriptions (push.c) */
	unsigned char ticket_hash[32];	/* SHA-256 of its resume ticket */
	int has_ticket;			/* logout revokes that ticket */
};

/* Attaches a new session to c after a successful login. */
struct session *session_start(struct conn *c);

/*
 * Ends c's session: runs the end hook (push drops its subscriptions), then
 * frees it.  Called from the connection's release hook (never inside a
 * send) and by logout.
 */
void session_end(struct conn *c);

/*
 * What a layer above keeps per session (push: subscriptions) is dropped by
 * this hook, registered at start-up; the session calls up only through it.
 */
void session_set_end_hook(void (*fn)(struct conn *c));

int session_has_role(const struct conn *c, Tafel__Role role);

/* True when c is logged in and observer is its only role. */
int session_is_observer(const struct conn *c);

/*
 * True when c is logged in and steering is its only role: it may ask for
 * reports, ping and log out; everything else is FORBIDDEN (protocol.md
 * 7.14), also what never reaches the database (unsubscribe).
 */
int session_is_steering_only(const struct conn *c);

/* For status: c's organisation (1), or 0 when c is not logged in. */
int session_org_of(const struct conn *c, int64_t *org_id,
    const char **org_name);

#endif
