/* A logged-in user on a connection: identity, roles, organisation, subscriptions. */
#include "session.h"

#include <stdlib.h>

#include "conn.h"
#include "xmalloc.h"

static void (*end_hook)(struct conn *c);

void
session_set_end_hook(void (*fn)(struct conn *c))
{
	end_hook = fn;
}

struct session *
session_start(struct conn *c)
{
	if (c->session != NULL)
		session_end(c);
	c->session = xcalloc(1, sizeof *c->session);
	return c->session;
}

void
session_end(struct conn *c)
{
	if (c->session == NULL)
		return;
	if (end_hook != NULL)
		end_hook(c);
	free(c->session);
	c->session = NULL;
}

int
session_has_role(const struct conn *c, Tafel__Role role)
{
	return c->session != NULL && (c->session->roles & ROLE_BIT(role));
}

int
session_is_observer(const struct conn *c)
{
	return c->session != NULL &&
	    (c->session->roles & ~ROLE_BIT(TAFEL__ROLE__ROLE_OBSERVER)) == 0;
}

int
session_is_steering_only(const struct conn *c)
{
	return c->session != NULL &&
	    c->session->roles == ROLE_BIT(TAFEL__ROLE__ROLE_STEERING);
}

int
session_org_of(const struct conn *c, int64_t *org_id, const char **org_name)
{
	if (c->session == NULL)
		return 0;
	*org_id = c->session->org_id;
	*org_name = c->session->org_name;
	return 1;
}
