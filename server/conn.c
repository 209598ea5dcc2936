/* One client connection: its state machine, framing, deadlines and output queue. */
#include "conn.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "envelope.h"
#include "frame.h"
#include "log.h"
#include "proto.h"
#include "server.h"
#include "tls.h"
#include "xmalloc.h"

/*
 * Grace period for flushing the last frames of a closing connection; a
 * draining one waits as long for its running requests' answers.
 */
#define CONN_CLOSE_GRACE_MS 2000
/* How long a closed connection discards input waiting for the peer's close. */
#define CONN_LINGER_MS 2000
/* At most one log line about refused connections per this interval. */
#define CONN_REFUSAL_LOG_S 10
/* Unauthenticated slots conn_evict_unauth looks at, oldest first. */
#define CONN_EVICT_LOOK 64
/* A peer that accepts no bytes at all for this long is cut off. */
#define CONN_WRITE_TIMEOUT_S 30
/* Kernel send buffer per client socket (the kernel doubles it). */
#define CONN_SNDBUF (256 * 1024)

/* Allowed transitions: from -> bit set of targets. */
static const unsigned conn_transitions[] = {
	[CONN_HANDSHAKE] = 1u << CONN_HELLO | 1u << CONN_CLOSING |
	    1u << CONN_DEAD,
	[CONN_HELLO] = 1u << CONN_LOGIN | 1u << CONN_DRAINING |
	    1u << CONN_CLOSING | 1u << CONN_DEAD,
	[CONN_LOGIN] = 1u << CONN_READY | 1u << CONN_DRAINING |
	    1u << CONN_CLOSING | 1u << CONN_DEAD,
	[CONN_READY] = 1u << CONN_LOGIN | 1u << CONN_DRAINING |
	    1u << CONN_CLOSING | 1u << CONN_DEAD,
	/* no way back: a login that completes while draining is refused */
	[CONN_DRAINING] = 1u << CONN_CLOSING | 1u << CONN_DEAD,
	[CONN_CLOSING] = 1u << CONN_LINGER | 1u << CONN_DEAD,
	[CONN_LINGER] = 1u << CONN_DEAD,
	[CONN_DEAD] = 0,
};

static const char *const conn_state_names[] = {
	[CONN_HANDSHAKE] = "handshake",
	[CONN_HELLO] = "hello",
	[CONN_LOGIN] = "login",
	[CONN_READY] = "ready",
	[CONN_DRAINING] = "draining",
	[CONN_CLOSING] = "closing",
	[CONN_LINGER] = "linger",
	[CONN_DEAD] = "dead",
};

/* cert_org and cert_cn of a connection without a client certificate. */
static const char conn_no_cert[] = "";

/* The layers above (dispatch.c); NULL members are skipped. */
static struct conn_hooks hooks;

/* Refused connections since the last log line about them. */
static struct {
	unsigned total;			/* since the last line */
	unsigned per_address;		/* of which over the per-address cap */
	unsigned evicted;		/* slots taken from a crowding address */
	char last_ip[NETADDR_LEN];	/* the most recent refused address */
	struct event *ev;		/* pending while lines are suppressed */
} refusals;

static void conn_read_cb(struct bufferevent *bev, void *arg);
static void conn_write_cb(struct bufferevent *bev, void *arg);
static void conn_event_cb(struct bufferevent *bev, short what, void *arg);
static void conn_deadline_cb(evutil_socket_t fd, short what, void *arg);
static void conn_finish(struct conn *c);

const char *
conn_state_name(enum conn_state st)
{
	return st <= CONN_DEAD ? conn_state_names[st] : "?";
}

/* Arms the single deadline timer; 0 ms disarms it. */
static void
conn_arm_deadline(struct conn *c, long long ms)
{
	struct timeval tv;

	evtimer_del(c->deadline);
	if (ms <= 0)
		return;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(c->deadline, &tv);
}

void
conn_set_state(struct conn *c, enum conn_state to)
{
	enum conn_state from = c->state;

	if (from == to)
		return;
	if (!(conn_transitions[from] & (1u << to)))
		fatalx("conn %llu: impossible transition %s -> %s",
		    (unsigned long long)c->id, conn_state_name(from),
		    conn_state_name(to));
	log_debug("conn %llu: %s -> %s", (unsigned long long)c->id,
	    conn_state_name(from), conn_state_name(to));
	c->state = to;

	/*
	 * Leaving the unauthenticated states frees a slot (a draining
	 * connection serves no more requests: its slot is free for another).
	 */
	if (c->unauth_counted && (to == CONN_READY || to >= CONN_DRAINING)) {
		c->unauth_counted = 0;
		srv.n_unauth--;
	}
	switch (to) {
	case CONN_HELLO:
		/* handshake deadline keeps running until the Hello arrives */
		break;
	case CONN_LOGIN:
		if (!c->unauth_counted) {
			c->unauth_counted = 1;
			srv.n_unauth++;
		}
		c->max_frame = TAFEL_MAX_FRAME_PRELOGIN;
		conn_arm_deadline(c, srv.cfg.login_timeout);
		break;
	case CONN_READY:
		c->max_frame = TAFEL_MAX_FRAME;
		conn_arm_deadline(c, srv.cfg.idle_timeout);
		break;
	case CONN_DRAINING:
	case CONN_CLOSING:
		conn_arm_deadline(c, CONN_CLOSE_GRACE_MS);
		break;
	case CONN_LINGER:
		conn_arm_deadline(c, CONN_LINGER_MS);
		break;
	case CONN_DEAD:
	case CONN_HANDSHAKE:
		break;
	}
}

void
conn_set_hooks(const struct conn_hooks *h)
{
	hooks = *h;
}

void
conn_touch(struct conn *c)
{
	if (c->state == CONN_READY)
		conn_arm_deadline(c, srv.cfg.idle_timeout);
}

void
conn_ref(struct conn *c)
{
	c->refs++;
}

void
conn_req_begin(struct conn *c)
{
	c->reqs++;
}

void
conn_req_end(struct conn *c)
{
	/*
	 * The last request answered: a connection whose client closed its
	 * side closes now, a draining one sends the Error it held back.
	 */
	if (--c->reqs == 0 && (c->peer_closed || c->state == CONN_DRAINING))
		conn_close(c, 0, NULL);		/* no-op once closing */
}

Tafel__ErrorCode
conn_close_code(const struct conn *c)
{
	return c->state == CONN_DRAINING ? c->close_code : 0;
}

void
conn_unref(struct conn *c)
{
	if (--c->refs > 0)
		return;
	if (c->state != CONN_DEAD)
		fatalx("conn %llu freed while %s", (unsigned long long)c->id,
		    conn_state_name(c->state));
	if (c->cork != NULL)
		evbuffer_free(c->cork);
	free(c->close_message);
	if (c->cert_org != conn_no_cert)
		free((char *)c->cert_org);
	if (c->cert_cn != conn_no_cert)
		free((char *)c->cert_cn);
	free(c);
}

size_t
conn_queued(const struct conn *c)
{
	if (c->bev == NULL)
		return 0;
	return evbuffer_get_length(bufferevent_get_output(c->bev)) +
	    (c->cork != NULL ? evbuffer_get_length(c->cork) : 0);
}

/* Milliseconds on the loop's cached clock. */
static long long
conn_now_ms(void)
{
	struct timeval tv;

	event_base_gettimeofday_cached(srv.base, &tv);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static int cork_depth;
static struct conn *corked;	/* connections holding frames */

/* Moves c's held frames to its bufferevent in one piece. */
static void
conn_uncork(struct conn *c)
{
	size_t n;
	unsigned char *p;

	if (c->cork == NULL || (n = evbuffer_get_length(c->cork)) == 0)
		return;
	if (c->state != CONN_DEAD && c->bev != NULL &&
	    (p = evbuffer_pullup(c->cork, -1)) != NULL)
		bufferevent_write(c->bev, p, n);
	evbuffer_drain(c->cork, n);
}

void
conn_cork_begin(void)
{
	cork_depth++;
}

void
conn_cork_end(void)
{
	struct conn *c;

	if (cork_depth == 0 || --cork_depth > 0)
		return;
	while ((c = corked) != NULL) {
		corked = c->cork_next;
		c->cork_next = NULL;
		c->corked = 0;
		conn_uncork(c);
		conn_unref(c);
	}
}

/* Connections from network ip (netaddr_limit_key) not logged in yet. */
static unsigned
conn_unauth_from(const char *ip)
{
	const struct conn *c;
	unsigned n = 0;

	/*
	 * Also those closing without ever having logged in: a host that
	 * connects and closes in a loop leaves them in "closing" for up to
	 * the close grace, and they would fill max_connections outside this
	 * address's share.
	 */
	TAILQ_FOREACH(c, &srv.conns, entry)
		if ((c->unauth_counted || (c->state >= CONN_DRAINING &&
		    c->state != CONN_DEAD && c->session == NULL)) &&
		    strcmp(c->net, ip) == 0)
			n++;
	return n;
}

/*
 * Lines about connections without a session (strangers, before login):
 * one per connection, so a flood of connections would flood the log.  At
 * most CONN_QUIET_BURST of them at once and CONN_QUIET_RATE a second;
 * the next one after a gap says how many were left out.
 */
#define CONN_QUIET_BURST 50
#define CONN_QUIET_RATE 5
static struct bucket quiet;
static unsigned long quiet_left_out;

static void __attribute__((format(printf, 2, 3)))
conn_info(const struct conn *c, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (c->session == NULL && ratelimit_bucket_take(&quiet,
	    CONN_QUIET_RATE, CONN_QUIET_BURST) != 0) {
		quiet_left_out++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (quiet_left_out > 0 && c->session == NULL) {
		log_info("%s (and %lu such lines about connections that had "
		    "not logged in left out before it: at most %d a second)",
		    line, quiet_left_out, CONN_QUIET_RATE);
		quiet_left_out = 0;
	} else
		log_info("%s", line);
}

/* Logs what was refused since the last line, if anything. */
static void
conn_refusal_log_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval tv = { CONN_REFUSAL_LOG_S, 0 };

	(void)fd;
	(void)what;
	(void)arg;
	if (refusals.total == 0)
		return;		/* quiet interval: the next refusal logs at once */
	log_warn("refused %u connections in the last %d s (%u over the "
	    "per-address limit; last from %s); %u connections, %u not logged "
	    "in; %u closed before login to make room for another address",
	    refusals.total, CONN_REFUSAL_LOG_S, refusals.per_address,
	    refusals.last_ip, srv.n_conns, srv.n_unauth, refusals.evicted);
	refusals.total = refusals.per_address = refusals.evicted = 0;
	evtimer_add(refusals.ev, &tv);
}

/* Why a connection is refused (or, for EVICTED, closed before login). */
enum refusal {
	REFUSED_LIMIT,		/* max_connections or max_unauthenticated */
	REFUSED_PER_ADDRESS,	/* max_unauthenticated_per_address */
	REFUSED_EVICTED,	/* its slot went to another address */
};

/*
 * Counts a refused connection.  The first refusal after a quiet interval
 * is logged at once; later ones are summed up in one line per interval,
 * so a flood cannot fill the log.
 */
static void
conn_refused(const char *ip, enum refusal why)
{
	static const char *const reasons[] = {
		[REFUSED_LIMIT] = "connection limit reached",
		[REFUSED_PER_ADDRESS] = "too many connections from this address "
		    "have not logged in",
		[REFUSED_EVICTED] = "closed before login: every slot for "
		    "connections not logged in is taken and this address holds "
		    "more of them than the new connection's",
	};
	struct timeval tv = { CONN_REFUSAL_LOG_S, 0 };

	if (refusals.ev == NULL)
		refusals.ev = evtimer_new(srv.base, conn_refusal_log_cb, NULL);
	snprintf(refusals.last_ip, sizeof refusals.last_ip, "%s", ip);
	if (evtimer_pending(refusals.ev, NULL)) {
		refusals.total++;
		refusals.per_address += why == REFUSED_PER_ADDRESS;
		refusals.evicted += why == REFUSED_EVICTED;
		return;
	}
	log_warn("refusing connection from %s: %s (%u connections, %u not "
	    "logged in); further refusals are summed up every %d s", ip,
	    reasons[why], srv.n_conns, srv.n_unauth, CONN_REFUSAL_LOG_S);
	evtimer_add(refusals.ev, &tv);
}

/*
 * Every unauthenticated slot is taken, as when several addresses flood the
 * server with connections that never log in (each up to its per-address
 * cap).  A newcomer whose address holds `mine` of the slots takes the
 * oldest slot of an address holding at least two more: then the flooding
 * addresses cannot lock out an address of their own, and the flooders
 * cannot win the slot back from the newcomer (the address losing it still
 * holds at least as many as the newcomer's).  Looks at the oldest
 * CONN_EVICT_LOOK slots only, so that a refusal stays cheap.  Returns 1 if
 * a slot was freed.
 */
static int
conn_evict_unauth(unsigned mine)
{
	struct conn *c;
	int looked = 0;

	TAILQ_FOREACH(c, &srv.conns, entry) {
		if (!c->unauth_counted || c->state >= CONN_DRAINING)
			continue;
		if (conn_unauth_from(c->net) >= mine + 2) {
			unsigned before = srv.n_unauth;

			conn_refused(c->ip, REFUSED_EVICTED);
			if (c->state == CONN_HANDSHAKE)
				conn_drop(c);
			else
				conn_close(c, TAFEL__ERROR_CODE__OVERLOADED,
				    "too many connections are waiting to log "
				    "in; connect again");
			return srv.n_unauth < before;
		}
		if (++looked == CONN_EVICT_LOOK)
			break;
	}
	return 0;
}

/*
 * The write timeout in seconds: CONN_WRITE_TIMEOUT_S, or, in a tafeld
 * built with the test hooks (docs/admin.md, "Test hooks"), a shorter one
 * from TAFEL_TEST_WRITE_TIMEOUT=S (1..29), so that a test of a vanished
 * peer need not wait half a minute.  Read once, with a warning.
 */
static int
conn_write_timeout_s(void)
{
#ifdef TAFEL_TEST_HOOKS
	static int s;
	const char *e;
	long v;

	if (s == 0) {
		s = CONN_WRITE_TIMEOUT_S;
		e = getenv("TAFEL_TEST_WRITE_TIMEOUT");
		v = e != NULL ? strtol(e, NULL, 10) : 0;
		if (v >= 1 && v < CONN_WRITE_TIMEOUT_S) {
			s = (int)v;
			log_warn("TAFEL_TEST_WRITE_TIMEOUT: the write timeout is "
			    "%d s instead of %d (tests only)", s,
			    CONN_WRITE_TIMEOUT_S);
		}
	}
	return s;
#else
	return CONN_WRITE_TIMEOUT_S;
#endif
}

/*
 * TLS KeyUpdates (each may ask for one back) are no request, so no rate
 * limit sees them, and OpenSSL answers any number: a client streaming
 * half a million in 15 s took 12 s of tafeld's CPU.  More than
 * TLS_KEYUPDATE_MAX received in TLS_WINDOW_S end the connection: its socket
 * is shut down here, inside OpenSSL, and the read that follows sees the
 * end and closes it the usual way.  (OpenSSL's info callback reports no
 * TLS 1.3 post-handshake message; its message callback sees each.)
 */
#define TLS_KEYUPDATE_MAX 64u
#define TLS_WINDOW_S 10
static void
conn_tls_msg(int write_p, int version, int content_type, const void *buf,
    size_t len, SSL *ssl, void *arg)
{
	struct conn *c = SSL_get_app_data(ssl);
	time_t now;

	(void)version;
	(void)arg;
	if (write_p || content_type != SSL3_RT_HANDSHAKE || len < 1 ||
	    ((const unsigned char *)buf)[0] != SSL3_MT_KEY_UPDATE || c == NULL)
		return;
	now = time(NULL);
	if (now - c->tls_window >= TLS_WINDOW_S) {
		c->tls_window = now;
		c->tls_keyupdates = 0;
	}
	if (++c->tls_keyupdates == TLS_KEYUPDATE_MAX + 1) {
		log_warn("conn %llu (%s): more than %u TLS KeyUpdates in %d s; "
		    "disconnecting", (unsigned long long)c->id, c->addr,
		    TLS_KEYUPDATE_MAX, TLS_WINDOW_S);
		shutdown(SSL_get_fd(ssl), SHUT_RDWR);
	}
}

/*
 * A peer whose network vanished while nothing was to be sent to it is
 * found by TCP keepalive (tcp_keepalive): the write timeout above only
 * runs while frames wait for an ACK, and without probes such a
 * connection and its session stayed until idle_timeout (30 min).  The
 * first probe goes after tcp_keepalive without input, the next ones a
 * third of it apart.  With TCP_USER_TIMEOUT set, Linux ignores
 * TCP_KEEPCNT: the connection is reset at the first probe that finds the
 * peer silent for CONN_WRITE_TIMEOUT_S with a probe unanswered (about
 * 40 s with the default 30 s).
 */
static void
conn_keepalive(int fd)
{
	int on = srv.cfg.tcp_keepalive > 0;
	int idle = (int)((srv.cfg.tcp_keepalive + 999) / 1000);
	int intvl = idle / 3 > 0 ? idle / 3 : 1, cnt = 3;

	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	if (!on)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
}

void
conn_accept(int fd, const struct sockaddr *sa, int salen)
{
	struct conn *c;
	SSL *ssl;
	char host[NETADDR_LEN], net[NETADDR_LEN];
	int port;
	unsigned mine;
	struct timeval hs;

	port = netaddr_host(sa, host, sizeof host);
	netaddr_limit_key(sa, net, sizeof net);
	(void)salen;

	if (srv.shutting_down) {
		close(fd);
		return;
	}
	if (srv.n_conns >= (unsigned)srv.cfg.max_connections) {
		conn_refused(host, REFUSED_LIMIT);
		close(fd);
		return;
	}
	mine = conn_unauth_from(net);
	if (mine >= (unsigned)srv.cfg.max_unauthenticated_per_address) {
		conn_refused(net, REFUSED_PER_ADDRESS);
		close(fd);
		return;
	}
	if (srv.n_unauth >= (unsigned)srv.cfg.max_unauthenticated &&
	    !conn_evict_unauth(mine)) {
		conn_refused(host, REFUSED_LIMIT);
		close(fd);
		return;
	}
	/*
	 * A fixed kernel send buffer bounds what a client that stops reading
	 * can hold in kernel memory; outbuf_limit bounds the rest.
	 */
	{
		int sndbuf = CONN_SNDBUF;

		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	}
	/*
	 * Answers and events are small frames written one after another:
	 * without TCP_NODELAY, Nagle holds the second until the peer's delayed
	 * ACK (40 ms on Linux) arrives.
	 */
	{
		int one = 1;

		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	/*
	 * The write timeout (docs/protocol.md 4.1) also for a peer that
	 * vanished (its network gone: no FIN, no reset, no ACK): the kernel
	 * took the frames into its send buffer, libevent counted them as
	 * written, and the connection and its session stayed until TCP gave
	 * up retransmitting, some 15 minutes.
	 */
	{
		unsigned int ms = (unsigned int)conn_write_timeout_s() * 1000;

		setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof ms);
	}
	conn_keepalive(fd);
	ssl = SSL_new(srv.tls);
	if (ssl == NULL) {
		log_error("SSL_new failed");
		close(fd);
		return;
	}
	/*
	 * An idle connection keeps no TLS record buffers (about 34 KiB):
	 * OpenSSL frees them whenever nothing is pending and allocates them
	 * again for the next record.
	 */
	SSL_set_mode(ssl, SSL_MODE_RELEASE_BUFFERS);
	/*
	 * SSL_read returns after each record that is not application data
	 * (a KeyUpdate) instead of reading on: with auto-retry a client that
	 * streams KeyUpdates kept one SSL_read, and so the event loop and
	 * every other client, busy for seconds (docs/security.md).  The
	 * socket stays readable, so the rest is read on the next turn.
	 */
	SSL_clear_mode(ssl, SSL_MODE_AUTO_RETRY);

	c = xcalloc(1, sizeof *c);
	c->id = ++srv.next_conn_id;
	c->out_progress = conn_now_ms();
	SSL_set_app_data(ssl, c);
	SSL_set_msg_callback(ssl, conn_tls_msg);
	c->cert_org = c->cert_cn = conn_no_cert;
	c->state = CONN_HANDSHAKE;
	c->refs = 1;
	c->max_frame = TAFEL_MAX_FRAME_PRELOGIN;
	c->unauth_counted = 1;
	snprintf(c->ip, sizeof c->ip, "%s", host);
	snprintf(c->net, sizeof c->net, "%s", net);
	snprintf(c->addr, sizeof c->addr, "%s:%d", host, port);
	srv.n_unauth++;
	srv.n_conns++;
	TAILQ_INSERT_TAIL(&srv.conns, c, entry);

	c->bev = bufferevent_openssl_socket_new(srv.base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (c->bev == NULL) {
		log_error("conn %llu: cannot create TLS bufferevent",
		    (unsigned long long)c->id);
		SSL_free(ssl);
		close(fd);
		TAILQ_REMOVE(&srv.conns, c, entry);
		srv.n_conns--;
		srv.n_unauth--;
		free(c);
		return;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	c->deadline = evtimer_new(srv.base, conn_deadline_cb, c);
	bufferevent_setcb(c->bev, conn_read_cb, conn_write_cb, conn_event_cb, c);
	/* The read timeout is a backstop; the deadline timer is authoritative. */
	hs.tv_sec = srv.cfg.handshake_timeout / 1000;
	hs.tv_usec = (srv.cfg.handshake_timeout % 1000) * 1000;
	bufferevent_set_timeouts(c->bev, NULL, &hs);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	conn_arm_deadline(c, srv.cfg.handshake_timeout);
	log_debug("conn %llu: accepted from %s", (unsigned long long)c->id,
	    c->addr);
}

/*
 * A client over outbuf_limit that has read some of its queue within this
 * long is behind, not stalled: it may go on up to CONN_OUT_HARD times the
 * limit (several large answers it pipelined, docs/protocol.md 10).
 */
#define CONN_OUT_PROGRESS_MS 5000
#define CONN_OUT_HARD 4
/* What all the clients behind together may hold beyond their limits. */
#define CONN_BEHIND_BUDGET (256u * 1024 * 1024)

/*
 * The bytes queued beyond outbuf_limit over all connections, counted at
 * most every 200 ms (and only while some client is behind: it is asked
 * from there).
 */
static size_t
conn_behind_total(void)
{
	static long long at;
	static size_t total;
	size_t q, limit = (size_t)srv.cfg.outbuf_limit;
	long long now = conn_now_ms();
	struct conn *x;

	if (now - at < 200)
		return total;
	total = 0;
	TAILQ_FOREACH(x, &srv.conns, entry)
		if ((q = conn_queued(x)) > limit)
			total += q - limit;
	at = now;
	return total;
}

/*
 * Whether c, with q bytes queued, is to be cut off as not reading: NULL
 * when it is within outbuf_limit, or over it but behind (it read some in
 * the last CONN_OUT_PROGRESS_MS, stays within CONN_OUT_HARD times the
 * limit, and the clients behind together within CONN_BEHIND_BUDGET);
 * else what the log line adds.
 */
static const char *
conn_stalled(const struct conn *c, size_t q)
{
	static char why[160];
	size_t limit = (size_t)srv.cfg.outbuf_limit;

	if (q <= limit)
		return NULL;
	if (conn_now_ms() - c->out_progress >= CONN_OUT_PROGRESS_MS)
		return "";
	/* "took some": its socket did, which may be the kernel's buffer
	 * rather than the client reading */
	if (q > limit * CONN_OUT_HARD)
		snprintf(why, sizeof why, " (its socket took some in the last "
		    "%d s, but more than %d x outbuf_limit waits for it)",
		    CONN_OUT_PROGRESS_MS / 1000, CONN_OUT_HARD);
	else if (conn_behind_total() > CONN_BEHIND_BUDGET)
		snprintf(why, sizeof why, " (its socket took some in the last "
		    "%d s, but the clients behind hold more than %u MiB beyond "
		    "their limits)", CONN_OUT_PROGRESS_MS / 1000,
		    CONN_BEHIND_BUDGET / (1024 * 1024));
	else
		return NULL;
	return why;
}

/*
 * Where the next frame for c goes: its cork buffer or its bufferevent, or
 * NULL when c is dead or stalled over the output limit (then dropped).
 */
static struct evbuffer *
conn_out(struct conn *c)
{
	const char *why;
	size_t q;

	if (c->state == CONN_DEAD || c->bev == NULL)
		return NULL;
	q = conn_queued(c);
	if (q < c->out_mark)		/* it read some since the last frame */
		c->out_progress = conn_now_ms();
	if ((why = conn_stalled(c, q)) != NULL) {
		log_warn("conn %llu (%s): %zu bytes queued, client is not "
		    "reading; disconnecting%s", (unsigned long long)c->id,
		    c->addr, q, why);
		/* One way: the caller may still hold c's session and subs. */
		conn_drop(c);
		return NULL;
	}
	if (cork_depth > 0 && c->state == CONN_READY) {
		if (c->cork == NULL && (c->cork = evbuffer_new()) == NULL)
			fatal("evbuffer_new");
		if (!c->corked) {
			c->corked = 1;
			c->cork_next = corked;
			corked = c;
			conn_ref(c);
		}
		return c->cork;
	}
	return bufferevent_get_output(c->bev);
}

/* Encodes env to out, or sends what replaces a frame too large to send. */
static void
conn_encode(struct conn *c, struct evbuffer *out, const Tafel__Envelope *env)
{
	if ((c->zlib && srv.cfg.compression ? frame_encode_zlib(out, env,
	    TAFEL_MAX_FRAME, FRAME_ZLIB_MIN) : frame_encode(out, env,
	    TAFEL_MAX_FRAME)) != 0) {
		log_error("conn %llu: %s frame too large to send",
		    (unsigned long long)c->id, envelope_body_name(env->body_case));
		/* An event the client cannot get: it starts over. */
		if (env->body_case == TAFEL__ENVELOPE__BODY_EVENT)
			conn_send_resync(c);
		else if (env->body_case != TAFEL__ENVELOPE__BODY_ERROR)
			conn_send_error(c, env->request_id,
			    TAFEL__ERROR_CODE__OUT_OF_RANGE, "the answer is "
			    "larger than the frame limit; ask for less", NULL);
		return;
	}
	c->frames_out++;
	c->out_mark = conn_queued(c);
}

void
conn_send(struct conn *c, const Tafel__Envelope *env)
{
	struct evbuffer *out;

	if ((out = conn_out(c)) != NULL)
		conn_encode(c, out, env);
}

void
conn_send_parts(struct conn *c, Tafel__Envelope *const *envs, size_t n)
{
	struct evbuffer *out;
	size_t i;

	if ((out = conn_out(c)) == NULL)
		return;
	for (i = 0; i < n; i++)
		conn_encode(c, out, envs[i]);
}

void
conn_send_frame(struct conn *c, const void *frame, size_t len)
{
	struct evbuffer *out;

	if ((out = conn_out(c)) == NULL)
		return;
	if (evbuffer_add(out, frame, len) != 0)
		fatal("evbuffer_add");
	c->frames_out++;
}

void
conn_send_resync(struct conn *c)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__Event resync = TAFEL__EVENT__INIT;

	resync.resync = 1;
	env.body_case = TAFEL__ENVELOPE__BODY_EVENT;
	env.event = &resync;
	conn_send(c, &env);
}

void
conn_send_error(struct conn *c, uint64_t request_id, Tafel__ErrorCode code,
    const char *message, const char *field)
{
	Tafel__Envelope env;
	Tafel__Error err;

	envelope_error(&env, &err, request_id, code, message, field);
	conn_send(c, &env);
}

/*
 * A closing Error is due while requests of c are running (at the
 * database, or a login being checked): c stops reading requests at once,
 * as in CONN_CLOSING, but those already read still answer (req_gone is
 * false) and the Error follows them (docs/protocol.md 4.3, 5.7).  The last
 * answer (conn_req_end), the deadline, a shutdown or the peer's EOF with
 * nothing left to answer end the drain through conn_close.
 */
static void conn_linger(struct conn *c);

static void
conn_drain(struct conn *c, Tafel__ErrorCode code, const char *message)
{
	log_info("conn %llu (%s): closing: %s: %s (after the answers of %d "
	    "request(s) still running)", (unsigned long long)c->id, c->addr,
	    error_code_name(code), message, c->reqs);
	c->close_code = code;
	/* copied: callers pass messages formatted on their stack */
	c->close_message = xstrdup(message);
	conn_uncork(c);		/* held frames go before the answers to come */
	conn_set_state(c, CONN_DRAINING);
}

void
conn_close(struct conn *c, Tafel__ErrorCode code, const char *message)
{
	if (c->state >= CONN_CLOSING)
		return;
	if (c->state == CONN_DRAINING) {
		/* the drain is over: the Error held back goes out now */
		code = c->close_code;
		message = c->close_message;
		log_debug("conn %llu (%s): drained (%d request(s) still "
		    "running); sending %s", (unsigned long long)c->id, c->addr,
		    c->reqs, error_code_name(code));
		conn_send_error(c, 0, code, message, NULL);
	} else if (code != 0 && c->reqs > 0 && c->state != CONN_HANDSHAKE) {
		conn_drain(c, code, message);
		return;
	} else if (code != 0) {
		conn_info(c, "conn %llu (%s): closing: %s: %s",
		    (unsigned long long)c->id, c->addr, error_code_name(code),
		    message);
		conn_send_error(c, 0, code, message, NULL);
	}
	if (c->state >= CONN_CLOSING)
		return;		/* the Error did not fit: dropped */
	conn_uncork(c);		/* held frames go before the close */
	conn_set_state(c, CONN_CLOSING);
	/*
	 * Input is still read (and discarded, see conn_read_cb) so that
	 * pipelined requests left unread cannot turn the close into a reset
	 * that loses the answers queued before it.  conn_write_cb goes on
	 * once the output drained; the trigger covers an empty queue.
	 */
	if (c->peer_closed && conn_queued(c) == 0) {
		/*
		 * The peer closed and nothing is left to send: close now.
		 * After the peer's EOF the write callback may never come (the
		 * connection sat out the whole grace in "closing", and a host
		 * that connects and closes in a loop filled max_connections).
		 */
		conn_linger(c);
		return;
	}
	bufferevent_trigger(c->bev, EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS |
	    BEV_TRIG_DEFER_CALLBACKS);
}

/* Everything queued has been written: close_notify, FIN, then linger. */
static void
conn_linger(struct conn *c)
{
	SSL *ssl = bufferevent_openssl_get_ssl(c->bev);
	evutil_socket_t fd = bufferevent_getfd(c->bev);

	if (ssl == NULL || !SSL_is_init_finished(ssl) || fd < 0) {
		conn_drop(c);
		return;
	}
	SSL_shutdown(ssl);	/* best effort: the socket buffer may be full */
	shutdown(fd, SHUT_WR);
	if (c->peer_closed) {
		conn_drop(c);	/* nothing more will come to wait for */
		return;
	}
	conn_set_state(c, CONN_LINGER);
}

void
conn_drop(struct conn *c)
{
	if (c->state == CONN_DEAD)
		return;
	conn_set_state(c, CONN_DEAD);
	if (c->bev != NULL) {
		bufferevent_disable(c->bev, EV_READ | EV_WRITE);
		bufferevent_setcb(c->bev, NULL, NULL, NULL, NULL);
	}
	/* The deadline timer, fired now, runs conn_finish from the loop. */
	evtimer_del(c->deadline);
	event_active(c->deadline, EV_TIMEOUT, 1);
}

/*
 * Memory given back to the system after a connection that held a large
 * queue (a client that stopped reading: up to outbuf_limit plus an answer
 * in parts, some 8 MiB) went: glibc keeps freed memory for reuse, and
 * fifty such clients left tafeld's RSS at 450 MB long after they were
 * gone.  Trimmed once, a second after the last such connection, so that a
 * crowd leaving at once costs one malloc_trim.
 */
#define TRIM_AFTER_BYTES (1024u * 1024u)
static struct event *trim_ev;

static void
trim_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	malloc_trim(0);
}

static void
trim_soon(void)
{
	struct timeval tv = { 1, 0 };

	if (trim_ev == NULL && srv.base != NULL &&
	    (trim_ev = evtimer_new(srv.base, trim_cb, NULL)) == NULL)
		return;
	if (trim_ev != NULL)
		evtimer_add(trim_ev, &tv);
}

/*
 * The one release path, run from the event loop (or at shutdown): the
 * release hook ends the session and its push state, then the socket goes.
 * The struct itself goes when the last reference is dropped.
 */
static void
conn_finish(struct conn *c)
{
	if (c->state != CONN_DEAD)
		conn_set_state(c, CONN_DEAD);
	if (c->unauth_counted) {
		c->unauth_counted = 0;
		srv.n_unauth--;
	}
	if (hooks.release != NULL)
		hooks.release(c);
	event_free(c->deadline);
	c->deadline = NULL;
	TAILQ_REMOVE(&srv.conns, c, entry);
	srv.n_conns--;
	log_debug("conn %llu (%s): released (%llu frames in, %llu out)",
	    (unsigned long long)c->id, c->addr,
	    (unsigned long long)c->frames_in, (unsigned long long)c->frames_out);
	if (c->bev != NULL) {
		SSL *ssl = bufferevent_openssl_get_ssl(c->bev);

		if (conn_queued(c) >= TRIM_AFTER_BYTES)
			trim_soon();
		if (ssl != NULL && SSL_is_init_finished(ssl) &&
		    !(SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN))
			SSL_shutdown(ssl);	/* close_notify, best effort */
		bufferevent_free(c->bev);
		c->bev = NULL;
	}
	conn_unref(c);
}

void
conn_close_all(void)
{
	struct conn *c, *next;

	TAILQ_FOREACH_SAFE(c, &srv.conns, entry, next)
		conn_finish(c);
	if (trim_ev != NULL) {
		event_free(trim_ev);
		trim_ev = NULL;
	}
	if (refusals.ev != NULL) {
		event_free(refusals.ev);
		refusals.ev = NULL;
	}
}

/* Maps a framing failure to the Error sent before closing. */
static void
conn_frame_error(struct conn *c, enum frame_status st)
{
	switch (st) {
	case FRAME_ERR_TOO_LARGE:
		conn_close(c, TAFEL__ERROR_CODE__FRAME_TOO_LARGE,
		    c->state == CONN_READY ? "frame exceeds the maximum size" :
		    "frame exceeds the maximum size before login");
		break;
	case FRAME_ERR_UNDECODABLE:
		conn_close(c, TAFEL__ERROR_CODE__FRAME_UNDECODABLE,
		    "frame payload is not a valid Envelope");
		break;
	case FRAME_ERR_TRUNCATED:
		conn_info(c, "conn %llu (%s): stream ended inside a frame",
		    (unsigned long long)c->id, c->addr);
		conn_drop(c);
		break;
	case FRAME_OK:
	case FRAME_NEED_MORE:
		break;
	}
}

/* Decodes and dispatches every complete frame in the input buffer. */
static void
conn_drain_input(struct conn *c)
{
	struct evbuffer *in;
	Tafel__Envelope *env;
	enum frame_status st;

	while (c->bev != NULL && (c->state == CONN_HELLO ||
	    c->state == CONN_LOGIN || c->state == CONN_READY)) {
		in = bufferevent_get_input(c->bev);
		st = frame_decode(in, c->max_frame, &env);
		if (st == FRAME_NEED_MORE)
			return;
		if (st != FRAME_OK) {
			conn_frame_error(c, st);
			return;
		}
		c->frames_in++;
		conn_ref(c);
		hooks.frame(c, env);
		frame_free(env);
		conn_unref(c);
	}
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	if (c->state == CONN_DRAINING || c->state == CONN_CLOSING ||
	    c->state == CONN_LINGER) {
		/*
		 * No more requests are served: discard them (read all the
		 * same, so that unread input cannot turn the close into a
		 * reset).
		 */
		evbuffer_drain(bufferevent_get_input(bev),
		    evbuffer_get_length(bufferevent_get_input(bev)));
		return;
	}
	conn_drain_input(c);
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->state == CONN_CLOSING && conn_queued(c) == 0)
		conn_linger(c);
}

/* Sends our Hello once TLS is up. */
static void
conn_tls_ready(struct conn *c)
{
	Tafel__Envelope env;
	Tafel__Hello hello;
	SSL *ssl = bufferevent_openssl_get_ssl(c->bev);
	struct timeval wt = { conn_write_timeout_s(), 0 };

	X509 *peer;

	log_debug("conn %llu: %s %s", (unsigned long long)c->id,
	    SSL_get_version(ssl), SSL_get_cipher_name(ssl));
	/* Verified by OpenSSL already when client certificates are required. */
	peer = SSL_get1_peer_certificate(ssl);
	if (peer != NULL) {
		X509_NAME *n = X509_get_subject_name(peer);
		char org[128], cn[128];

		if (X509_NAME_get_text_by_NID(n, NID_organizationName, org,
		    sizeof org) < 0)
			org[0] = '\0';
		if (X509_NAME_get_text_by_NID(n, NID_commonName, cn,
		    sizeof cn) < 0)
			cn[0] = '\0';
		X509_free(peer);
		c->cert_org = xstrdup(org);
		c->cert_cn = xstrdup(cn);
	}
	bufferevent_set_timeouts(c->bev, NULL, &wt);
	conn_set_state(c, CONN_HELLO);
	envelope_hello(&env, &hello, "tafeld", TAFEL_MAX_FRAME);
	hello.resume_window = (uint32_t)srv.cfg.resume_window;
	conn_send(c, &env);
}

/*
 * The end of the stream was a reset, not a FIN: the socket is closed
 * (TCP_CLOSE), where after the peer's FIN it waits for our own close
 * (TCP_CLOSE_WAIT).  OpenSSL and libevent report both as the end of the
 * stream (a dirty shutdown is allowed), but only after a FIN can the
 * client still read our answers (a half-close, docs/protocol.md 4.3).
 * TCP giving up on the peer (no ACK within TCP_USER_TIMEOUT, keepalive
 * probes unanswered) ends the same way, and means the same: gone.
 */
static int
conn_peer_reset(struct conn *c)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	evutil_socket_t fd = c->bev != NULL ? bufferevent_getfd(c->bev) : -1;

	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return 0;
	return ti.tcpi_state == TCP_CLOSE;
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	char err[256];

	if (what & BEV_EVENT_CONNECTED) {
		conn_tls_ready(c);
		return;
	}
	if (c->state == CONN_CLOSING || c->state == CONN_LINGER) {
		/* The peer closed (or failed) while we were closing: done. */
		conn_drop(c);
		return;
	}
	if ((what & BEV_EVENT_EOF) && conn_peer_reset(c)) {
		/*
		 * Nobody is left to answer: no request read with it is
		 * served, and those waiting for the database are dropped
		 * before they run (db_set_owner_gone).
		 */
		conn_info(c, "conn %llu (%s): connection lost in state %s (reset "
		    "by the peer, or no ACK or keepalive answer in time; %d "
		    "request(s) running)",
		    (unsigned long long)c->id, c->addr,
		    conn_state_name(c->state), c->reqs);
	} else if (what & BEV_EVENT_EOF) {
		/* Frames that arrived with the EOF are still served. */
		conn_drain_input(c);
		/* (a draining connection's unread rest is discarded, not
		   served: no truncated frame to complain about) */
		if (c->state < CONN_DRAINING && c->bev != NULL &&
		    frame_finish(bufferevent_get_input(c->bev)) != FRAME_OK)
			conn_frame_error(c, FRAME_ERR_TRUNCATED);
		log_debug("conn %llu (%s): peer closed",
		    (unsigned long long)c->id, c->addr);
		/*
		 * After complete frames: the requests still running get their
		 * answers (docs/protocol.md 3.3; a write the client sent before
		 * closing its side is answered, not only carried out), then
		 * the connection closes cleanly.  A draining connection goes
		 * on draining: its closing Error still follows the answers.
		 */
		if (c->state > CONN_HANDSHAKE && c->state < CONN_CLOSING) {
			c->peer_closed = 1;
			if (c->reqs == 0)
				conn_close(c, 0, NULL);
			return;
		}
	} else if (what & BEV_EVENT_TIMEOUT) {
		conn_info(c, "conn %llu (%s): %s timed out in state %s",
		    (unsigned long long)c->id, c->addr,
		    (what & BEV_EVENT_WRITING) ? "writing" : "reading",
		    conn_state_name(c->state));
	} else if (what & BEV_EVENT_ERROR) {
		tls_bev_err_string(bev, err, sizeof err);
		if (c->state == CONN_HANDSHAKE)
			conn_info(c, "conn %llu (%s): TLS handshake failed: %s",
			    (unsigned long long)c->id, c->addr, err);
		else
			conn_info(c, "conn %llu (%s): connection error: %s",
			    (unsigned long long)c->id, c->addr, err);
	}
	/*
	 * Frames served with the EOF may have started a graceful close (a
	 * final Error): let it flush; otherwise the connection is done.
	 */
	if (!((what & BEV_EVENT_EOF) && c->state == CONN_CLOSING))
		conn_drop(c);
}

static void
conn_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	switch (c->state) {
	case CONN_HANDSHAKE:
		conn_info(c, "conn %llu (%s): no TLS handshake within %lld ms",
		    (unsigned long long)c->id, c->addr,
		    srv.cfg.handshake_timeout);
		conn_drop(c);
		break;
	case CONN_HELLO:
		conn_close(c, TAFEL__ERROR_CODE__HELLO_EXPECTED,
		    "no Hello within the handshake timeout");
		break;
	case CONN_LOGIN:
		conn_close(c, TAFEL__ERROR_CODE__SESSION_EXPIRED,
		    "no successful login within the login timeout");
		break;
	case CONN_READY:
		conn_close(c, TAFEL__ERROR_CODE__SESSION_EXPIRED,
		    "connection idle for too long; closed");
		break;
	case CONN_DRAINING:
		/* their answers are given up; the Error must not wait longer */
		log_info("conn %llu (%s): %d request(s) still running after "
		    "%d ms; closing without their answers",
		    (unsigned long long)c->id, c->addr, c->reqs,
		    CONN_CLOSE_GRACE_MS);
		conn_close(c, 0, NULL);
		break;
	case CONN_CLOSING:	/* the peer does not read: give up */
	case CONN_LINGER:	/* the peer does not close: enough */
		conn_drop(c);
		break;
	case CONN_DEAD:		/* scheduled by conn_drop */
		conn_finish(c);
		break;
	}
}

void
conn_foreach(void (*fn)(const struct conn *c, void *arg), void *arg)
{
	const struct conn *c;

	TAILQ_FOREACH(c, &srv.conns, entry)
		if (c->state != CONN_DEAD)
			fn(c, arg);
}

enum conn_state
conn_get_state(const struct conn *c)
{
	return c->state;
}
