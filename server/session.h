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

/* Ends c's session: drops subscriptions, frees it. */
void session_end(struct conn *c);

int session_has_role(const struct conn *c, Tafel__Role role);

/* True when c is logged in and observer is its only role. */
int session_is_observer(const struct conn *c);

#endif
