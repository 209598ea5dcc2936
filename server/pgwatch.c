/* The embedded PostgreSQL's watchdog: notices a dead postmaster and restarts it with backoff. */
#include "pgwatch.h"

#include <stdio.h>
#include <time.h>

#include <event2/event.h>

#include "log.h"
#include "pgembed.h"
#include "server.h"

#define PGWATCH_CHECK_MS	1000	/* how often the postmaster is checked */
#define PGWATCH_POLL_MS		100	/* how often a running restart is polled */
#define PGWATCH_BACKOFF_MIN_MS	1000
#define PGWATCH_BACKOFF_MAX_MS	30000

enum pgwatch_state {
	PGW_OFF,
	PGW_WATCHING,	/* the postmaster is alive; checked every second */
	PGW_STARTING,	/* pg_ctl start runs in the background */
	PGW_BACKOFF	/* an attempt failed; waiting before the next */
};

static struct {
	enum pgwatch_state state;
	struct pgembed *pg;
	struct event *timer;
	long long backoff_ms;
	int attempts;		/* restarts tried since it went down */
	struct timespec down_since;
} w;

static void pgwatch_tick(evutil_socket_t fd, short what, void *arg);

static void
arm(long long ms)
{
	struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) *
	    1000 };

	evtimer_add(w.timer, &tv);
}

static double
seconds_down(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - w.down_since.tv_sec) +
	    (double)(now.tv_nsec - w.down_since.tv_nsec) / 1e9;
}

/* Starts one attempt, or schedules the next after the backoff. */
static void
attempt(void)
{
	char err[2048];

	w.attempts++;
	log_warn("embedded PostgreSQL: restart attempt %d", w.attempts);
	if (pgembed_restart_begin(w.pg, err, sizeof err) == 0) {
		w.state = PGW_STARTING;
		arm(PGWATCH_POLL_MS);
		return;
	}
	log_error("embedded PostgreSQL: cannot run pg_ctl: %s", err);
	w.state = PGW_BACKOFF;
	arm(w.backoff_ms);
	if ((w.backoff_ms *= 2) > PGWATCH_BACKOFF_MAX_MS)
		w.backoff_ms = PGWATCH_BACKOFF_MAX_MS;
}

static void
pgwatch_tick(evutil_socket_t fd, short what, void *arg)
{
	char err[2048];
	int rc;

	(void)fd;
	(void)what;
	(void)arg;
	switch (w.state) {
	case PGW_OFF:
		return;
	case PGW_WATCHING:
		if (pgembed_alive(w.pg)) {
			arm(PGWATCH_CHECK_MS);
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &w.down_since);
		log_error("embedded PostgreSQL in %s has stopped (its "
		    "postmaster is gone); restarting it", w.pg->datadir);
		w.attempts = 0;
		w.backoff_ms = PGWATCH_BACKOFF_MIN_MS;
		attempt();
		return;
	case PGW_STARTING:
		rc = pgembed_restart_poll(w.pg, err, sizeof err);
		if (rc == 1) {
			arm(PGWATCH_POLL_MS);
			return;
		}
		if (rc == 0) {
			log_info("embedded PostgreSQL restarted after %.1f s "
			    "(attempt %d)", seconds_down(), w.attempts);
			w.state = PGW_WATCHING;
			arm(PGWATCH_CHECK_MS);
			return;
		}
		log_error("embedded PostgreSQL: restart attempt %d failed; "
		    "next in %lld ms: %s", w.attempts, w.backoff_ms, err);
		w.state = PGW_BACKOFF;
		arm(w.backoff_ms);
		if ((w.backoff_ms *= 2) > PGWATCH_BACKOFF_MAX_MS)
			w.backoff_ms = PGWATCH_BACKOFF_MAX_MS;
		return;
	case PGW_BACKOFF:
		if (pgembed_alive(w.pg)) {
			log_info("embedded PostgreSQL is running again");
			w.state = PGW_WATCHING;
			arm(PGWATCH_CHECK_MS);
			return;
		}
		attempt();
		return;
	}
}

void
pgwatch_start(struct pgembed *pg)
{
	w.pg = pg;
	w.state = PGW_WATCHING;
	w.timer = evtimer_new(srv.base, pgwatch_tick, NULL);
	if (w.timer == NULL)
		fatalx("pgwatch: evtimer_new failed");
	arm(PGWATCH_CHECK_MS);
}

void
pgwatch_stop(void)
{
	if (w.state == PGW_OFF)
		return;
	if (w.state == PGW_STARTING)
		pgembed_restart_abort(w.pg);
	w.state = PGW_OFF;
	event_free(w.timer);
	w.timer = NULL;
}
