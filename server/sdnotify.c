/* systemd integration through libsystemd: READY once the database and listener serve, WATCHDOG, RELOADING, STOPPING. */
#include "sdnotify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "admin.h"
#include "db.h"
#include "log.h"
#include "server.h"
#include "xmalloc.h"

/* How often readiness is looked at before it is reached. */
#define READY_POLL_MS 20

static struct {
	char *socket;			/* NOTIFY_SOCKET, taken out of environ */
	unsigned long long wd_usec;	/* WATCHDOG_USEC, 0: none */
	struct event *ready_ev;
	struct event *wd_ev;
	int ready;
} sdn;

#ifdef HAVE_LIBSYSTEMD
/*
 * NOTIFY_SOCKET is kept out of the environment so that the PostgreSQL
 * tafeld starts (built with systemd support) does not announce its own
 * readiness as ours; it is put back only around each sd_notify() call.
 */
static void
sdn_send(const char *msg)
{
	int r;

	if (sdn.socket == NULL)
		return;
	setenv("NOTIFY_SOCKET", sdn.socket, 1);
	r = sd_notify(0, msg);
	unsetenv("NOTIFY_SOCKET");
	if (r < 0)
		log_debug("sd_notify: %s", strerror(-r));
}

void
sdnotify_init(void)
{
	const char *s = getenv("NOTIFY_SOCKET");
	uint64_t usec = 0;

	if (sd_watchdog_enabled(1, &usec) > 0)
		sdn.wd_usec = usec;
	if (s != NULL && s[0] != '\0')
		sdn.socket = xstrdup(s);
	unsetenv("NOTIFY_SOCKET");
}
#else
static void
sdn_send(const char *msg)
{
	(void)msg;
}

void
sdnotify_init(void)
{
	if (getenv("NOTIFY_SOCKET") != NULL)
		log_warn("NOTIFY_SOCKET is set but tafeld was built without "
		    "libsystemd: use Type=simple");
	unsetenv("NOTIFY_SOCKET");
}
#endif

static void
watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	char msg[96];

	(void)fd;
	(void)what;
	(void)arg;
	/* The loop turns: that is what the watchdog asks. */
	snprintf(msg, sizeof msg, "WATCHDOG=1\nSTATUS=%u connection(s)%s",
	    srv.n_conns, srv.shutting_down ? ", stopping" : "");
	sdn_send(msg);
}

/* Ready means: migrations applied (before the loop), listener up, pool up. */
static void
ready_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_stats st;
	char msg[200], addr[128];

	(void)fd;
	(void)what;
	(void)arg;
	if (srv.shutting_down)
		return;
	db_get_stats(&st);
	if (srv.listener == NULL || st.idle + st.busy == 0 || !st.listener_up) {
		event_add(sdn.ready_ev,
		    &(struct timeval){ 0, READY_POLL_MS * 1000 });
		return;
	}
	sdn.ready = 1;
	admin_bound_addr(addr, sizeof addr);
	/* not "listening on": scripts read the port from that line.  Ready
	 * needs one pool connection and LISTEN; the others of the pool,
	 * started together, may still be connecting: said, so that "4" of
	 * db_pool_size = 8 does not look like a fault */
	if (st.idle + st.busy < st.size)
		log_info("ready: serving on %s, %d of %d database connections "
		    "up (the others still connecting)", addr, st.idle + st.busy,
		    st.size);
	else
		log_info("ready: serving on %s, %d database connection(s)",
		    addr, st.idle + st.busy);
	snprintf(msg, sizeof msg, "READY=1\nSTATUS=serving on %s", addr);
	sdn_send(msg);
}

void
sdnotify_start(void)
{
	sdn.ready_ev = evtimer_new(srv.base, ready_cb, NULL);
	event_add(sdn.ready_ev, &(struct timeval){ 0, 0 });
	if (sdn.wd_usec > 0 && sdn.socket != NULL) {
		unsigned long long half = sdn.wd_usec / 2;

		sdn.wd_ev = event_new(srv.base, -1, EV_PERSIST, watchdog_cb,
		    NULL);
		event_add(sdn.wd_ev, &(struct timeval){
		    (time_t)(half / 1000000), (suseconds_t)(half % 1000000) });
		log_info("systemd watchdog: every %llu ms", half / 1000);
	}
}

void
sdnotify_reloading(void)
{
	sdn_send("RELOADING=1");
}

void
sdnotify_reloaded(void)
{
	if (sdn.ready)
		sdn_send("READY=1");
}

void
sdnotify_stopping(void)
{
	sdn_send("STOPPING=1\nSTATUS=stopping");
}

void
sdnotify_free(void)
{
	if (sdn.ready_ev != NULL)
		event_free(sdn.ready_ev);
	if (sdn.wd_ev != NULL)
		event_free(sdn.wd_ev);
	sdn.ready_ev = sdn.wd_ev = NULL;
	free(sdn.socket);
	sdn.socket = NULL;
}
