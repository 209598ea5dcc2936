/* Housekeeping on a timer: forgetting old idempotency keys. */
#include "maint.h"

#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "db.h"
#include "log.h"
#include "server.h"

#define MAINT_INTERVAL_S 600

static struct event *maint_timer;

static void
maint_done(void *arg, struct db_result *r)
{
	(void)arg;
	if (r->code != 0)
		log_warn("maintenance: %s", r->message);
	else if (atoi(PQcmdTuples(r->res)) > 0)
		log_info("maintenance: forgot %s idempotency key(s)",
		    PQcmdTuples(r->res));
}

static void
maint_run(evutil_socket_t fd, short what, void *arg)
{
	char secs[32];
	const char *params[1] = { secs };

	(void)fd;
	(void)what;
	(void)arg;
	snprintf(secs, sizeof secs, "%lld", srv.cfg.idempotency_ttl / 1000);
	db_call("DELETE FROM idempotency WHERE created_at < now() - "
	    "make_interval(secs => $1::bigint)", 1, params, maint_done, NULL);
}

void
maint_start(void)
{
	struct timeval tv = { MAINT_INTERVAL_S, 0 };

	maint_timer = event_new(srv.base, -1, EV_PERSIST, maint_run, NULL);
	event_add(maint_timer, &tv);
}

void
maint_stop(void)
{
	if (maint_timer != NULL) {
		event_free(maint_timer);
		maint_timer = NULL;
	}
}
