/* The listening socket: binds it early, listens once serving, accepts, hands sockets to conn.c. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/listener.h>
#include <event2/util.h>

#include "config.h"
#include "conn.h"
#include "log.h"
#include "server.h"

static void
listener_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	(void)l;
	(void)arg;
	evutil_make_socket_nonblocking(fd);
	conn_accept(fd, sa, salen);
}

/* How long accepting pauses when the process is out of descriptors. */
#define LISTENER_PAUSE_MS 500
/* At most one log line about paused accepting per this interval. */
#define LISTENER_LOG_S 10

static struct event *resume_ev;		/* re-enables accepting */
static time_t paused_logged;		/* when a pause was last logged */
static unsigned paused_quiet;		/* pauses since that line */

static void
listener_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (srv.listener != NULL && !srv.shutting_down)
		evconnlistener_enable(srv.listener);
}

/*
 * accept() failed.  Out of descriptors (EMFILE, ENFILE) or kernel memory,
 * the pending connection stays in the backlog and the listening socket
 * stays readable: retrying at once would spin.  Stop accepting for a
 * moment instead (connections closing meanwhile free descriptors), and log
 * it at most once per interval.
 */
static void
listener_error_cb(struct evconnlistener *l, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();
	struct timeval tv = { 0, LISTENER_PAUSE_MS * 1000 };
	time_t now = time(NULL);

	(void)arg;
	if (err != EMFILE && err != ENFILE && err != ENOBUFS &&
	    err != ENOMEM) {
		log_error("accept: %s", evutil_socket_error_to_string(err));
		return;
	}
	evconnlistener_disable(l);
	if (resume_ev == NULL)
		resume_ev = evtimer_new(srv.base, listener_resume_cb, NULL);
	evtimer_add(resume_ev, &tv);
	if (now - paused_logged >= LISTENER_LOG_S) {
		log_error("accept: %s; not accepting for %d ms at a time "
		    "(%u more pauses since the last line; %u connections)",
		    evutil_socket_error_to_string(err), LISTENER_PAUSE_MS,
		    paused_quiet, srv.n_conns);
		paused_logged = now;
		paused_quiet = 0;
	} else
		paused_quiet++;
}

/* The socket listener_bind() bound, until listener_start() listens on it. */
static evutil_socket_t bound = -1;

void
listener_bind(void)
{
	struct sockaddr_storage ss;
	int sslen = sizeof ss, one = 1, e;
	char why[300];

	/* the settings reader checked it (CONF_ADDRESS) */
	if (conf_parse_address(srv.cfg.listen, &ss, &sslen, why,
	    sizeof why) != 0)
		fatalx("listen: %s", why);
	bound = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (bound < 0)
		fatal("listen %s: socket", srv.cfg.listen);
	if (setsockopt(bound, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
		fatal("listen %s: SO_REUSEADDR", srv.cfg.listen);
	if (bind(bound, (struct sockaddr *)&ss, (socklen_t)sslen) != 0) {
		e = errno;
		fatalx("cannot listen on %s: %s%s", srv.cfg.listen, strerror(e),
		    e == EADDRINUSE ? " (another program, or another tafeld, "
		    "listens on that port: stop it or choose another "
		    "`listen`)" : e == EADDRNOTAVAIL ? " (the address is not "
		    "one of this host's)" : "");
	}
}

void
listener_start(void)
{
	struct sockaddr_storage ss;
	int sslen;
	char host[64];
	const char *shown;

	if (bound < 0)
		listener_bind();
	srv.listener = evconnlistener_new(srv.base, listener_accept_cb, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 128, bound);
	if (srv.listener == NULL)
		fatal("cannot listen on %s", srv.cfg.listen);
	bound = -1;		/* the listener's now */
	evconnlistener_set_error_cb(srv.listener, listener_error_cb);

	/* Report the real port (the configured one may be 0). */
	sslen = sizeof ss;
	if (getsockname(evconnlistener_get_fd(srv.listener),
	    (struct sockaddr *)&ss, (socklen_t *)&sslen) == 0) {
		if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *s6 = (void *)&ss;
			shown = evutil_inet_ntop(AF_INET6, &s6->sin6_addr, host,
			    sizeof host);
			log_info("listening on [%s]:%d", shown ? shown : "?",
			    ntohs(s6->sin6_port));
		} else {
			struct sockaddr_in *s4 = (void *)&ss;
			shown = evutil_inet_ntop(AF_INET, &s4->sin_addr, host,
			    sizeof host);
			log_info("listening on %s:%d", shown ? shown : "?",
			    ntohs(s4->sin_port));
		}
	}
}

void
listener_stop(void)
{
	if (srv.listener != NULL) {
		evconnlistener_free(srv.listener);
		srv.listener = NULL;
	}
	if (resume_ev != NULL) {
		event_free(resume_ev);
		resume_ev = NULL;
	}
}
