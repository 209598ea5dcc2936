/* Housekeeping on timers: forgetting old idempotency keys and write records; escalating overdue action points; folding the push's audit. */
#include "maint.h"

#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "db.h"
#include "log.h"
#include "server.h"

#define MAINT_INTERVAL_S 600
#define MAINT_FIRST_S 5			/* the first run, after a start */
#define FOLD_INTERVAL_MS 1000
#define FOLD_BATCH 1000			/* audit_pending rows per call */

static struct event *maint_timer;
static struct event *escalate_timer;
static struct event *fold_timer;
static int escalate_busy;		/* one run at a time */
static int fold_busy;
static struct maint_fold_stats fold_stats;
/*
 * The ErrorCode of the audit fold's failure last logged in this failing
 * spell (0 for "no answer"), -1 when none is: a spell logs its first
 * failure worth a line and then only a change of code.  Not last_error,
 * which the failures while the database is unreachable set unlogged.
 */
static int fold_logged_code = -1;

/*
 * A failure worth a line of its own: not one for want of the database
 * (DATABASE_UNAVAILABLE: unreachable, its connection lost while the job
 * ran, or none free within the queue's wait).  db.c logs an outage once,
 * with reminders, and the job runs again on its next tick; a job caught
 * running when the database went away added a line of its own to the
 * outage's (test_external_database_outage).  tafelctl status still shows
 * the fold's failures and last error.
 */
static int
worth_logging(const struct db_result *r)
{
	return r->code != TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE;
}

static void
maint_done(void *arg, struct db_result *r)
{
	(void)arg;
	if (r->code != 0) {
		if (worth_logging(r))
			log_warn("maintenance: %s", r->message);
	}
	else if (PQntuples(r->res) == 1 && atoll(PQgetvalue(r->res, 0, 0)) > 0)
		log_info("maintenance: forgot %s idempotency key(s)",
		    PQgetvalue(r->res, 0, 0));
}

/* The old rows of data_writes (0024), which join snapshots are checked by. */
static void
writes_done(void *arg, struct db_result *r)
{
	(void)arg;
	if (r->code != 0 && worth_logging(r))
		log_warn("maintenance: %s", r->message);
}

static void
maint_run(evutil_socket_t fd, short what, void *arg)
{
	char secs[32];
	const char *params[1] = { secs };

	(void)fd;
	(void)what;
	(void)arg;
	event_add(maint_timer, &(struct timeval){ MAINT_INTERVAL_S, 0 });
	snprintf(secs, sizeof secs, "%lld", srv.cfg.idempotency_ttl / 1000);
	db_call("SELECT tafel_forget_keys($1::bigint)", 1, params, maint_done,
	    NULL);
	db_call("SELECT tafel_forget_writes()", 0, NULL, writes_done, NULL);
}

static void
escalate_done(void *arg, struct db_result *r)
{
	(void)arg;
	escalate_busy--;
	if (r->code != 0) {
		if (worth_logging(r))
			log_warn("escalation: %s", r->message);
	}
	else if (PQntuples(r->res) == 1 &&
	    atoi(PQgetvalue(r->res, 0, 0)) > 0)
		log_info("escalation: %s overdue action point(s) escalated",
		    PQgetvalue(r->res, 0, 0));
}

static void
notices_done(void *arg, struct db_result *r)
{
	(void)arg;
	escalate_busy--;
	if (r->code != 0) {
		if (worth_logging(r))
			log_warn("clock notices: %s", r->message);
	}
	else if (PQntuples(r->res) == 1 &&
	    atoi(PQgetvalue(r->res, 0, 0)) > 0)
		log_info("clock notices: %s inbox entr(y/ies) sent",
		    PQgetvalue(r->res, 0, 0));
}

/*
 * Overdue action points to their owner organisation's escalation contact
 * (58_inbox.sql, tafel_escalate), and the legal clocks' notices due today
 * (57_prep.sql, tafel_clock_notices): the queries run on the pool like any
 * other, never blocking the loop; a run still busy skips this tick.
 */
static void
escalate_run(evutil_socket_t fd, short what, void *arg)
{
	char days[32];
	const char *params[1] = { days };

	(void)fd;
	(void)what;
	(void)arg;
	if (escalate_busy)
		return;
	escalate_busy = 2;
	snprintf(days, sizeof days, "%lld", srv.cfg.escalation_after);
	db_call("SELECT tafel_escalate($1::int)", 1, params, escalate_done,
	    NULL);
	db_call("SELECT tafel_clock_notices()", 0, NULL, notices_done, NULL);
}

static void
fold_done(void *arg, struct db_result *r)
{
	int moved;

	(void)arg;
	fold_busy = 0;
	fold_stats.last_at = time(NULL);
	if (r->code != 0 || PQntuples(r->res) != 1) {
		/* once per failing spell and cause in the log, every time
		 * in status */
		if ((int)r->code != fold_logged_code && worth_logging(r)) {
			log_warn("audit fold: %s (the disclosures stay in "
			    "audit_pending until a fold works)", r->code != 0 ?
			    r->message : "no answer");
			fold_logged_code = (int)r->code;
		}
		fold_stats.failures++;
		/* not a client's words ("retry with the same idempotency
		 * key"), which tafelctl status showed the administrator */
		snprintf(fold_stats.last_error, sizeof fold_stats.last_error,
		    "%.150s", r->code == TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE ?
		    "the database is not reachable, or the connection was lost "
		    "while the fold ran; it is tried again every second" :
		    r->code != 0 ? r->message : "no answer");
		return;
	}
	moved = atoi(PQgetvalue(r->res, 0, 0));
	fold_stats.runs++;
	fold_stats.moved += (uint64_t)moved;
	fold_stats.last_moved = moved;
	fold_stats.last_error[0] = '\0';
	fold_logged_code = -1;
	if (moved >= FOLD_BATCH && fold_timer != NULL)
		event_active(fold_timer, EV_TIMEOUT, 0);	/* more waiting */
}

void
maint_get_fold_stats(struct maint_fold_stats *st)
{
	*st = fold_stats;
}

/*
 * The disclosures the push recorded in audit_pending (one row per change
 * delivered) folded into audit_disclosures in bulk (70_push.sql,
 * tafel_audit_fold), off the push's path; a fold running on another node
 * makes this one give way, and the privacy officer's queries fold the
 * rest themselves.
 */
static void
fold_run(evutil_socket_t fd, short what, void *arg)
{
	char max[32];
	const char *params[1] = { max };

	(void)fd;
	(void)what;
	(void)arg;
	if (fold_busy)
		return;
	fold_busy = 1;
	snprintf(max, sizeof max, "%d", FOLD_BATCH);
	db_call("SELECT tafel_audit_fold($1::int, false)", 1, params,
	    fold_done, NULL);
}

void
maint_start(void)
{
	struct timeval ft = { FOLD_INTERVAL_MS / 1000,
	    (FOLD_INTERVAL_MS % 1000) * 1000 };
	struct timeval tv = { MAINT_FIRST_S, 0 };	/* then every interval */
	struct timeval et = { (time_t)(srv.cfg.escalation_interval / 1000),
	    (suseconds_t)(srv.cfg.escalation_interval % 1000) * 1000 };

	maint_timer = event_new(srv.base, -1, 0, maint_run, NULL);
	event_add(maint_timer, &tv);
	escalate_timer = event_new(srv.base, -1, EV_PERSIST, escalate_run,
	    NULL);
	event_add(escalate_timer, &et);
	fold_timer = event_new(srv.base, -1, EV_PERSIST, fold_run, NULL);
	event_add(fold_timer, &ft);
}

void
maint_stop(void)
{
	if (maint_timer != NULL) {
		event_free(maint_timer);
		maint_timer = NULL;
	}
	if (escalate_timer != NULL) {
		event_free(escalate_timer);
		escalate_timer = NULL;
	}
	if (fold_timer != NULL) {
		event_free(fold_timer);
		fold_timer = NULL;
	}
}
