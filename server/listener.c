/* The listening socket: parses the address, accepts, hands sockets to conn.c. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <event2/listener.h>
#include <event2/util.h>

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

/* Parses host:port; port 0 (any free port, for tests) is allowed. */
static int
parse_listen(const char *text, struct sockaddr_storage *ss, int *sslen)
{
	char buf[256];
	size_t n = strlen(text);

	if (n < 2 || n >= sizeof buf)
		return -1;
	if (strcmp(text + n - 2, ":0") != 0)
		return evutil_parse_sockaddr_port(text, (struct sockaddr *)ss,
		    sslen);
	/* libevent refuses port 0: parse with port 1, then clear it. */
	memcpy(buf, text, n - 1);
	buf[n - 1] = '1';
	buf[n] = '\0';
	if (evutil_parse_sockaddr_port(buf, (struct sockaddr *)ss, sslen) != 0)
		return -1;
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = 0;
	else
		((struct sockaddr_in *)(void *)ss)->sin_port = 0;
	return 0;
}

void
listener_start(void)
{
	struct sockaddr_storage ss;
	int sslen = sizeof ss;
	char host[64];
	const char *shown;

	memset(&ss, 0, sizeof ss);
	if (parse_listen(srv.cfg.listen, &ss, &sslen) != 0)
		fatalx("listen: \"%s\" is not an address:port (for example "
		    "127.0.0.1:7410 or [::1]:7410)", srv.cfg.listen);
	srv.listener = evconnlistener_new_bind(srv.base, listener_accept_cb,
	    NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
	    LEV_OPT_CLOSE_ON_EXEC, 128, (struct sockaddr *)&ss, sslen);
	if (srv.listener == NULL)
		fatal("cannot listen on %s", srv.cfg.listen);
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
