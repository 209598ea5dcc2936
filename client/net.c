/* The client connection state machine: DNS, TCP, TLS (with session resumption), hello, login (resume ticket, else password), request table, reconnect. */
#include "net.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/util.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "envelope.h"
#include "frame.h"
#include "parts.h"
#include "log.h"
#include "proto.h"
#include "tls.h"
#include "xmalloc.h"

#define NET_CONNECT_TIMEOUT 10	/* seconds for TCP, and again for TLS + hello */
/*
 * Seconds for the login's answer: the server delays it after recent failed
 * logins of the user or of many names from the address (login_delay_max,
 * 15 s by default), also for the right password, and a shorter wait made a
 * correct login behind a sprayed NAT address fail as "did not answer".
 */
#define NET_LOGIN_TIMEOUT 60
#define NET_PING_INTERVAL 10	/* seconds between pings when ready */
#define NET_PING_DEADLINE 30	/* an unanswered ping this old: connection dead */
#define NET_BACKOFF_MIN 250	/* ms: the first retry after a drop */
#define NET_RETRY_MAX 16	/* NET_REQ_RETRY: attempts after the first */
#define NET_RETRY_CAP_MS 5000	/* NET_REQ_RETRY: the longest wait */
#define NET_BACKOFF_MAX 30000	/* ms */

/* One request, kept until answered: its frame is re-sent as is after a reconnect. */
struct net_req {
	uint64_t id;		/* request_id in the frame */
	int flags;		/* enum net_req_flags */
	int sent;		/* written on the current connection */
	struct timespec sent_at;	/* when (CLOCK_MONOTONIC) */
	struct timespec first_sent_at;	/* its first sending, kept across
					 * NET_REQ_RETRY's attempts */
	uint8_t *frame;		/* length prefix + envelope */
	size_t len;
	net_reply_fn fn;	/* may be NULL */
	void *arg;
	Tafel__Envelope *partial;	/* an answer in parts, so far */
	int attempts;		/* NET_REQ_RETRY: sent again so often */
	int waited;		/* made while not connected, or re-sent after a
				 * reconnect: its answer comes late */
	struct event *retry_ev;	/* NET_REQ_RETRY: the next attempt */
	struct net *n;
	struct net_req *next;	/* in id order */
};

struct net {
	struct event_base *base;
	struct evdns_base *dns;
	struct net_opts o;		/* strings owned */
	struct net_callbacks cb;
	void *arg;
	SSL_CTX *ctx;

	enum net_state state;
	int stopped;			/* net_stop(): no reconnect */
	int ever_ready;			/* reached READY once */
	char *password;			/* mlock()ed, cleansed on free */
	size_t password_cap;
	/*
	 * The server's resume ticket for the next reconnect: memory only
	 * (never written to disk), cleansed when used, refused or freed.
	 */
	char ticket[64];
	int login_by_ticket;		/* the login in flight uses it */
	int tls_resumed;		/* this connection resumed a TLS session */

	struct evdns_getaddrinfo_request *dns_req;
	struct evutil_addrinfo *addrs, *addr_next;
	evutil_socket_t fd;		/* while connecting TCP */
	struct event *connect_ev;
	struct bufferevent *bev;
	uint32_t max_frame;

	struct event *backoff_ev;
	int attempts;			/* since the last READY */
	struct timespec backoff_until;

	struct event *ping_ev;
	uint64_t ping_nonce;
	struct timespec ping_sent;	/* 0: none in flight */
	long lag_ms;

	uint64_t next_id;
	uint64_t login_id;
	struct net_req *reqs;		/* unanswered, id order */
	Tafel__LoginResponse *login;	/* owned copy */
	char last_error[256];
	enum net_problem problem;	/* where the last attempt failed */
	int tls_refused;		/* it failed on a TLS error, not on a
					 * timeout or a close during TLS */
	int server_stopping;		/* ServerStopping seen; cleared on READY */
	int session_ended;		/* the server ended the session
					 * (SESSION_EXPIRED); until READY's
					 * callback has run */
	/* the answer being handed out is to a request that waited for a
	 * connection (net_answer_waited) */
	int answering_waited;
};

static const char *const state_names[] = {
	[NET_DISCONNECTED] = "disconnected",
	[NET_CONNECTING] = "connecting",
	[NET_TLS] = "tls",
	[NET_HELLO] = "hello",
	[NET_LOGIN] = "login",
	[NET_READY] = "ready",
	[NET_BACKOFF] = "backoff",
};

static void net_connect(struct net *n);
static void net_lost(struct net *n, const char *why);

const char *
net_state_name(enum net_state st)
{
	if ((size_t)st >= sizeof state_names / sizeof state_names[0])
		fatalx("net: impossible state %d", (int)st);
	return state_names[st];
}

static double
ts_diff_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(a->tv_sec - b->tv_sec) * 1000.0 +
	    (double)(a->tv_nsec - b->tv_nsec) / 1e6;
}

/* The one transition function. */
static void
net_set_state(struct net *n, enum net_state st)
{
	if (n->state == st)
		return;
	log_debug("net: %s -> %s", net_state_name(n->state), net_state_name(st));
	n->state = st;
	if (n->cb.state != NULL)
		n->cb.state(n, st, n->arg);
}

void
net_new_key(char *buf, size_t len)
{
	unsigned char r[16];
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (RAND_bytes(r, sizeof r) != 1)
		fatalx("net: no random bytes");
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	for (size_t i = 0; i < 16 && o + 3 < len; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[o++] = '-';
		buf[o++] = hex[r[i] >> 4];
		buf[o++] = hex[r[i] & 15];
	}
	buf[o] = '\0';
}

/* --- life cycle ---------------------------------------------------------- */

struct net *
net_new(struct event_base *base, const struct net_opts *o,
    const struct net_callbacks *cb, void *arg, char *err, size_t errlen)
{
	struct net *n;
	SSL_CTX *ctx;

	ctx = tls_client_ctx(o->ca_file, o->cert_file, o->key_file, err, errlen);
	if (ctx == NULL)
		return NULL;
	if (tls_client_keep_sessions(ctx) != 0) {
		snprintf(err, errlen, "cannot keep TLS sessions");
		SSL_CTX_free(ctx);
		return NULL;
	}
	n = xcalloc(1, sizeof *n);
	n->base = base;
	n->ctx = ctx;
	n->o.host = xstrdup(o->host);
	n->o.port = xstrdup(o->port);
	n->o.ca_file = xstrdup(o->ca_file);
	n->o.cert_file = o->cert_file ? xstrdup(o->cert_file) : NULL;
	n->o.key_file = o->key_file ? xstrdup(o->key_file) : NULL;
	n->o.login = xstrdup(o->login);
	n->o.retry_first = o->retry_first;
	n->cb = *cb;
	n->arg = arg;
	n->fd = -1;
	n->lag_ms = -1;
	n->next_id = 1;
	n->state = NET_DISCONNECTED;
	n->dns = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	if (n->dns == NULL)	/* no resolv.conf: numeric hosts still work */
		n->dns = evdns_base_new(base, 0);
	return n;
}

void
net_set_password(struct net *n, const char *password)
{
	size_t len = strlen(password);

	if (n->password != NULL) {
		OPENSSL_cleanse(n->password, n->password_cap);
		munlock(n->password, n->password_cap);
		free(n->password);
	}
	n->password_cap = len + 1;
	n->password = xmalloc(n->password_cap);
	(void)mlock(n->password, n->password_cap);	/* best effort */
	memcpy(n->password, password, len + 1);
}

/* Closes whatever is open; the bufferevent is freed after this loop pass. */
static void
bev_release_cb(evutil_socket_t fd, short what, void *arg)
{
	bufferevent_free(arg);
}

static void
net_close_transport(struct net *n, int graceful)
{
	if (n->dns_req != NULL) {
		evdns_getaddrinfo_cancel(n->dns_req);
		n->dns_req = NULL;
	}
	if (n->addrs != NULL) {
		evutil_freeaddrinfo(n->addrs);
		n->addrs = n->addr_next = NULL;
	}
	if (n->connect_ev != NULL) {
		event_free(n->connect_ev);
		n->connect_ev = NULL;
	}
	if (n->fd >= 0) {
		evutil_closesocket(n->fd);
		n->fd = -1;
	}
	if (n->bev != NULL) {
		struct bufferevent *bev = n->bev;
		struct timeval zero = { 0, 0 };

		n->bev = NULL;
		bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
		bufferevent_disable(bev, EV_READ);
		if (graceful) {
			SSL *ssl = bufferevent_openssl_get_ssl(bev);

			bufferevent_flush(bev, EV_WRITE, BEV_FLUSH);
			if (ssl != NULL)
				SSL_shutdown(ssl);
		}
		if (event_base_once(n->base, -1, EV_TIMEOUT, bev_release_cb, bev,
		    &zero) != 0)
			bufferevent_free(bev);
	}
	if (n->ping_ev != NULL)
		event_del(n->ping_ev);
	n->ping_sent.tv_sec = n->ping_sent.tv_nsec = 0;
}

static void
req_free(struct net_req *r)
{
	if (r->retry_ev != NULL)
		event_free(r->retry_ev);
	frame_free(r->partial);
	free(r->frame);
	free(r);
}

/* After a lost connection: volatile requests are dropped, the rest wait. */
static void
reqs_disconnected(struct net *n)
{
	struct net_req **pp = &n->reqs, *r;

	while ((r = *pp) != NULL) {
		if (r->flags & NET_REQ_VOLATILE) {
			*pp = r->next;
			if (r->fn != NULL)
				r->fn(n, NULL, r->arg);
			req_free(r);
		} else {
			r->sent = 0;
			r->waited = 1;
			/* the parts come again, whole, after the re-send */
			frame_free(r->partial);
			r->partial = NULL;
			pp = &r->next;
		}
	}
}

/*
 * Sends one last frame before closing.  libevent's OpenSSL bufferevent
 * cannot flush on demand, and the caller may leave the loop right after
 * net_stop(), so the frame is written with SSL_write directly when nothing
 * else is queued (no partial write is pending then); else it is queued.
 */
static void
send_last(struct net *n, const Tafel__Envelope *env)
{
	struct evbuffer *out = bufferevent_get_output(n->bev);
	struct evbuffer *tmp;
	SSL *ssl = bufferevent_openssl_get_ssl(n->bev);
	size_t len;
	unsigned char *p;

	if (evbuffer_get_length(out) > 0 || ssl == NULL) {
		(void)frame_encode(out, env, n->max_frame);
		return;
	}
	if ((tmp = evbuffer_new()) == NULL)
		return;
	if (frame_encode(tmp, env, n->max_frame) == 0 &&
	    (len = evbuffer_get_length(tmp)) > 0 && len < 1024 &&
	    (p = evbuffer_pullup(tmp, (ev_ssize_t)len)) != NULL)
		(void)SSL_write(ssl, p, (int)len);
	evbuffer_free(tmp);
}

void
net_stop(struct net *n)
{
	n->stopped = 1;
	if (n->backoff_ev != NULL)
		event_del(n->backoff_ev);
	if (n->state == NET_READY && n->bev != NULL) {
		/*
		 * Quitting ends the session: logout makes the server revoke
		 * its resume ticket (not answered: we are gone).
		 */
		Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
		Tafel__LogoutRequest lo = TAFEL__LOGOUT_REQUEST__INIT;

		env.request_id = n->next_id++;
		env.body_case = TAFEL__ENVELOPE__BODY_LOGOUT;
		env.logout = &lo;
		send_last(n, &env);
	}
	OPENSSL_cleanse(n->ticket, sizeof n->ticket);
	net_close_transport(n, 1);
	reqs_disconnected(n);
	net_set_state(n, NET_DISCONNECTED);
}

void
net_free(struct net *n)
{
	struct net_req *r;

	if (n == NULL)
		return;
	net_close_transport(n, 0);
	while ((r = n->reqs) != NULL) {
		n->reqs = r->next;
		req_free(r);
	}
	if (n->backoff_ev != NULL)
		event_free(n->backoff_ev);
	if (n->ping_ev != NULL)
		event_free(n->ping_ev);
	if (n->dns != NULL)
		evdns_base_free(n->dns, 0);
	if (n->password != NULL) {
		OPENSSL_cleanse(n->password, n->password_cap);
		munlock(n->password, n->password_cap);
		free(n->password);
	}
	if (n->login != NULL)
		tafel__login_response__free_unpacked(n->login, NULL);
	OPENSSL_cleanse(n->ticket, sizeof n->ticket);
	SSL_CTX_free(n->ctx);
	free((char *)n->o.host);
	free((char *)n->o.port);
	free((char *)n->o.ca_file);
	free((char *)n->o.cert_file);
	free((char *)n->o.key_file);
	free((char *)n->o.login);
	free(n);
}

/* --- failure, backoff ---------------------------------------------------- */

static void
backoff_cb(evutil_socket_t fd, short what, void *arg)
{
	struct net *n = arg;

	if (n->state == NET_BACKOFF && !n->stopped)
		net_connect(n);
}

/* Gives up for good: no retry until net_start(). */
static void
net_fatal(struct net *n, const char *msg, const Tafel__Error *err)
{
	snprintf(n->last_error, sizeof n->last_error, "%s", msg);
	net_close_transport(n, 1);
	reqs_disconnected(n);
	net_set_state(n, NET_DISCONNECTED);
	if (n->cb.fatal != NULL)
		n->cb.fatal(n, msg, err, n->arg);
}

/* The connection failed or broke: wait, then try again (0.25 s .. 30 s, jittered). */
static void
net_retry_after(struct net *n, const char *why, long min_ms)
{
	long ms = NET_BACKOFF_MIN;
	uint32_t rnd;
	struct timeval tv;

	snprintf(n->last_error, sizeof n->last_error, "%s", why);
	log_info("connection: %s", why);
	/* the state it failed in says what the user can check: a server
	 * that takes the connection but does not answer the handshake
	 * (frozen, overloaded, at its limit) is not a wrong CA file */
	n->problem = n->server_stopping ? NET_PROBLEM_NONE :
	    n->state == NET_CONNECTING ? NET_PROBLEM_UNREACHABLE :
	    n->state == NET_TLS ? (n->tls_refused ? NET_PROBLEM_TLS :
	    NET_PROBLEM_UNREACHABLE) : NET_PROBLEM_NONE;
	n->tls_refused = 0;
	net_close_transport(n, 0);
	reqs_disconnected(n);
	if (n->stopped) {
		net_set_state(n, NET_DISCONNECTED);
		return;
	}
	if (!n->ever_ready && !n->o.retry_first) {
		net_fatal(n, why, NULL);
		return;
	}
	for (int i = 0; i < n->attempts && ms < NET_BACKOFF_MAX; i++)
		ms *= 2;
	if (ms > NET_BACKOFF_MAX)
		ms = NET_BACKOFF_MAX;
	if (RAND_bytes((unsigned char *)&rnd, sizeof rnd) != 1)
		rnd = (uint32_t)random();
	ms = ms / 2 + (long)(rnd % (uint32_t)(ms / 2 + 1));	/* [ms/2, ms] */
	if (ms < min_ms)
		ms = min_ms;
	n->attempts++;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	clock_gettime(CLOCK_MONOTONIC, &n->backoff_until);
	n->backoff_until.tv_sec += tv.tv_sec;
	n->backoff_until.tv_nsec += tv.tv_usec * 1000;
	if (n->backoff_until.tv_nsec >= 1000000000L) {
		n->backoff_until.tv_sec++;
		n->backoff_until.tv_nsec -= 1000000000L;
	}
	if (n->backoff_ev == NULL)
		n->backoff_ev = evtimer_new(n->base, backoff_cb, n);
	evtimer_add(n->backoff_ev, &tv);
	net_set_state(n, NET_BACKOFF);
}

static void
net_lost(struct net *n, const char *why)
{
	net_retry_after(n, n->server_stopping ? "the server is stopping" : why,
	    0);
}

/* --- sending ------------------------------------------------------------- */

static void
req_write(struct net *n, struct net_req *r)
{
	if (n->bev == NULL || r->sent)
		return;
	bufferevent_write(n->bev, r->frame, r->len);
	r->sent = 1;
	clock_gettime(CLOCK_MONOTONIC, &r->sent_at);
	if (r->attempts == 0)
		r->first_sent_at = r->sent_at;
}

/* Sends one envelope built on the stack directly (hello, login). */
static int
send_now(struct net *n, const Tafel__Envelope *env)
{
	if (n->bev == NULL)
		return -1;
	return frame_encode(bufferevent_get_output(n->bev), env, n->max_frame);
}

uint64_t
net_send(struct net *n, Tafel__Envelope *env, int flags, const char *key,
    net_reply_fn fn, void *arg)
{
	struct net_req *r, **pp;
	struct evbuffer *tmp;
	char keybuf[40];

	env->request_id = n->next_id++;
	if (flags & NET_REQ_WRITE) {
		if (key == NULL || *key == '\0') {
			net_new_key(keybuf, sizeof keybuf);
			key = keybuf;
		}
		env->idempotency_key = (char *)key;
	}
	tmp = evbuffer_new();
	if (frame_encode(tmp, env, TAFEL_MAX_FRAME) != 0)
		fatalx("net: request of %s too large",
		    envelope_body_name(env->body_case));
	r = xcalloc(1, sizeof *r);
	r->id = env->request_id;
	r->flags = flags;
	r->len = evbuffer_get_length(tmp);
	r->frame = xmalloc(r->len);
	evbuffer_remove(tmp, r->frame, r->len);
	evbuffer_free(tmp);
	r->fn = fn;
	r->arg = arg;
	r->n = n;
	r->waited = n->state != NET_READY;
	if (flags & NET_REQ_WRITE)
		env->idempotency_key = (char *)protobuf_c_empty_string;
	for (pp = &n->reqs; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = r;
	if (n->state == NET_READY)
		req_write(n, r);
	return r->id;
}

uint64_t
net_send_body(struct net *n, Tafel__Envelope__BodyCase body_case, void *body,
    int flags, const char *key, net_reply_fn fn, void *arg)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;

	if (envelope_set_body(&env, body_case, body) != 0)
		fatalx("net: no request body %d of that type", (int)body_case);
	return net_send(n, &env, flags, key, fn, arg);
}

/* --- pings --------------------------------------------------------------- */

static void
pong_cb(struct net *n, const Tafel__Envelope *reply, void *arg)
{
	struct timespec now;

	if (reply == NULL || reply->body_case != TAFEL__ENVELOPE__BODY_PONG)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (n->ping_sent.tv_sec != 0)
		n->lag_ms = (long)ts_diff_ms(&now, &n->ping_sent);
	n->ping_sent.tv_sec = n->ping_sent.tv_nsec = 0;
	if (n->cb.state != NULL)	/* lets the UI redraw the lag */
		n->cb.state(n, n->state, n->arg);
}

static void
ping_cb(evutil_socket_t fd, short what, void *arg)
{
	struct net *n = arg;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__PingRequest ping = TAFEL__PING_REQUEST__INIT;
	struct timespec now;

	if (n->state != NET_READY)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (n->ping_sent.tv_sec != 0) {
		if (ts_diff_ms(&now, &n->ping_sent) > NET_PING_DEADLINE * 1000.0)
			net_lost(n, "server does not answer");
		return;
	}
	n->ping_sent = now;
	ping.nonce = ++n->ping_nonce;
	env.body_case = TAFEL__ENVELOPE__BODY_PING;
	env.ping = &ping;
	net_send(n, &env, NET_REQ_VOLATILE, NULL, pong_cb, NULL);
}

/* --- receiving ----------------------------------------------------------- */

static void send_login(struct net *n);

static void
on_login_reply(struct net *n, const Tafel__Envelope *m)
{
	struct net_req *r;
	struct timeval tv = { NET_PING_INTERVAL, 0 };
	int first = !n->ever_ready;

	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR && n->login_by_ticket) {
		const Tafel__Error *e = m->error;

		n->login_by_ticket = 0;
		switch (e->code) {
		case TAFEL__ERROR_CODE__RATE_LIMITED:
		case TAFEL__ERROR_CODE__OVERLOADED:
		case TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE:
		case TAFEL__ERROR_CODE__INTERNAL:
			/*
			 * The server could not check it now: keep it and
			 * retry below (if it was swapped after all, the retry
			 * is refused and the password follows).
			 */
			break;
		default:
			/*
			 * Refused (used, expired, revoked, another
			 * certificate): it is gone.  Log in with the password
			 * on the same connection.
			 */
			OPENSSL_cleanse(n->ticket, sizeof n->ticket);
			log_info("connection: resume ticket refused (%s); "
			    "logging in with the password",
			    error_code_name(e->code));
			if (e->code != TAFEL__ERROR_CODE__ACCOUNT_DISABLED &&
			    n->password != NULL && n->password[0] != '\0') {
				send_login(n);
				return;
			}
			break;
		}
	}
	n->login_by_ticket = 0;
	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		const Tafel__Error *e = m->error;
		char msg[300];

		snprintf(msg, sizeof msg, "login refused: %s%s%s",
		    error_code_name(e->code), e->message[0] ? ": " : "",
		    e->message);
		switch (e->code) {
		case TAFEL__ERROR_CODE__RATE_LIMITED:
		case TAFEL__ERROR_CODE__OVERLOADED:
		case TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE:
		case TAFEL__ERROR_CODE__INTERNAL:
			if (n->ever_ready || n->o.retry_first) {
				net_retry_after(n, msg, (long)e->retry_after_ms);
				return;
			}
			break;
		default:
			break;
		}
		net_fatal(n, msg, e);
		return;
	}
	if (m->body_case != TAFEL__ENVELOPE__BODY_LOGIN_OK) {
		net_lost(n, "unexpected answer to login");
		return;
	}
	if (n->login != NULL)
		tafel__login_response__free_unpacked(n->login, NULL);
	/* the next reconnect's ticket: kept here only, nowhere else */
	OPENSSL_cleanse(n->ticket, sizeof n->ticket);
	if (strlen(m->login_ok->resume_ticket) < sizeof n->ticket)
		snprintf(n->ticket, sizeof n->ticket, "%s",
		    m->login_ok->resume_ticket);
	OPENSSL_cleanse(m->login_ok->resume_ticket,
	    strlen(m->login_ok->resume_ticket));
	{
		size_t len = tafel__login_response__get_packed_size(m->login_ok);
		uint8_t *buf = xmalloc(len ? len : 1);

		tafel__login_response__pack(m->login_ok, buf);
		n->login = tafel__login_response__unpack(NULL, len, buf);
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	n->max_frame = TAFEL_MAX_FRAME;
	n->attempts = 0;
	n->ever_ready = 1;
	n->last_error[0] = '\0';
	n->problem = NET_PROBLEM_NONE;
	bufferevent_set_timeouts(n->bev, NULL, NULL);
	n->server_stopping = 0;
	net_set_state(n, NET_READY);
	if (n->ping_ev == NULL)
		n->ping_ev = event_new(n->base, -1, EV_PERSIST, ping_cb, n);
	event_add(n->ping_ev, &tv);
	if (n->cb.ready != NULL)
		n->cb.ready(n, m->login_ok, first, n->arg);
	n->session_ended = 0;
	/* what was queued or unanswered goes out now, in order, same keys */
	for (r = n->reqs; r != NULL && n->state == NET_READY; r = r->next)
		req_write(n, r);
	ping_cb(-1, 0, n);
}

/* Logs in with the resume ticket if there is one, else with the password. */
static void
send_login(struct net *n)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__LoginRequest lr = TAFEL__LOGIN_REQUEST__INIT;
	struct timeval login_wait = { NET_LOGIN_TIMEOUT, 0 };
	struct timeval write_wait = { NET_CONNECT_TIMEOUT, 0 };

	lr.login = (char *)n->o.login;
	n->login_by_ticket = n->ticket[0] != '\0';
	if (n->login_by_ticket)
		lr.resume_ticket = n->ticket;
	else
		lr.password = n->password != NULL ? n->password : "";
	env.request_id = n->login_id = n->next_id++;
	env.body_case = TAFEL__ENVELOPE__BODY_LOGIN;
	env.login = &lr;
	bufferevent_set_timeouts(n->bev, &login_wait, &write_wait);
	net_set_state(n, NET_LOGIN);
	if (send_now(n, &env) != 0)
		net_lost(n, "cannot send login");
}

static void
on_hello(struct net *n, const Tafel__Envelope *m)
{
	char msg[200];

	if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
		snprintf(msg, sizeof msg, "server refused the connection: %s: %s",
		    error_code_name(m->error->code), m->error->message);
		net_fatal(n, msg, m->error);
		return;
	}
	if (m->body_case != TAFEL__ENVELOPE__BODY_HELLO) {
		net_lost(n, "server did not send a hello");
		return;
	}
	if (m->hello->protocol_version != TAFEL_PROTOCOL_VERSION) {
		snprintf(msg, sizeof msg, "server speaks protocol version %u, "
		    "this client %u: update tafel or the server",
		    m->hello->protocol_version, TAFEL_PROTOCOL_VERSION);
		net_fatal(n, msg, NULL);
		return;
	}
	send_login(n);
}

/* The parts_left of an answer m (0: whole, or not an answer in parts). */
static uint32_t
parts_left(Tafel__Envelope *m)
{
	ProtobufCMessage **body = parts_body(&m->base);
	uint32_t *left = body != NULL ? parts_left_of(*body) : NULL;

	return left != NULL ? *left : 0;
}

/*
 * One part of an answer in parts (docs/protocol.md 3.2) for r: the first
 * is kept (*m taken, set to NULL), each next one's lists are appended to
 * it.  Returns 1 when the answer is whole (in r->partial), 0 when more
 * parts are to come, -1 for a part out of order.
 */
static int
take_part(struct net_req *r, Tafel__Envelope **m)
{
	ProtobufCMessage **fb, **nb, **fl, **nl;
	uint32_t *first_left, next_left = parts_left(*m);

	if (r->partial == NULL) {
		if (next_left >= PARTS_MAX)
			return -1;
		r->partial = *m;
		*m = NULL;
		return 0;
	}
	if ((*m)->body_case != r->partial->body_case)
		return -1;
	fb = parts_body(&r->partial->base);
	nb = parts_body(&(*m)->base);
	if (fb == NULL || nb == NULL)
		return -1;
	first_left = parts_left_of(*fb);
	fl = parts_lists_of(fb);
	nl = parts_lists_of(nb);
	if (first_left == NULL || next_left + 1 != *first_left || fl == NULL ||
	    nl == NULL || (*fl)->descriptor != (*nl)->descriptor ||
	    parts_join(*fl, *nl) != 0)
		return -1;
	*first_left = next_left;
	return next_left == 0;
}

/* A NET_REQ_RETRY request's next attempt is due: sent when connected
 * (else the reconnect sends it with the rest). */
static void
retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct net_req *r = arg;

	if (r->n->state == NET_READY)
		req_write(r->n, r);
}

/*
 * A transient refusal of a request, sent again later with the same frame,
 * so a write keeps its idempotency key and is applied once: RATE_LIMITED
 * of any request (after the retry_after_ms the server names: a large
 * answer just before costs the connection some seconds, docs/protocol.md
 * 5.7), and of a NET_REQ_RETRY request also the register unreachable for a
 * moment or the server busy.  1: kept for the retry; 0: m is its answer.
 */
static int
req_retry(struct net *n, struct net_req *r, const Tafel__Envelope *m)
{
	long ms;
	struct timeval tv;
	int limited;

	if (m->body_case != TAFEL__ENVELOPE__BODY_ERROR ||
	    (r->attempts >= NET_RETRY_MAX && !(r->flags & NET_REQ_PATIENT)))
		return 0;
	limited = m->error->code == TAFEL__ERROR_CODE__RATE_LIMITED;
	if (!limited && (!(r->flags & NET_REQ_RETRY) ||
	    (m->error->code != TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE &&
	    m->error->code != TAFEL__ERROR_CODE__OVERLOADED)))
		return 0;
	ms = NET_BACKOFF_MIN << (r->attempts < 5 ? r->attempts : 5);
	if (ms > NET_RETRY_CAP_MS)
		ms = NET_RETRY_CAP_MS;
	if (limited || (long)m->error->retry_after_ms > ms)
		ms = (long)m->error->retry_after_ms;
	if (r->attempts < INT_MAX)
		r->attempts++;
	r->sent = 0;
	if (r->flags & NET_REQ_PATIENT)
		log_warn("net: %s (%s); trying again in %ld ms (attempt %d)",
		    error_code_name(m->error->code), m->error->message, ms,
		    r->attempts + 1);
	else
		log_warn("net: %s (%s); trying again in %ld ms (%d of %d)",
		    error_code_name(m->error->code), m->error->message, ms,
		    r->attempts, NET_RETRY_MAX);
	if (r->retry_ev == NULL)
		r->retry_ev = evtimer_new(n->base, retry_cb, r);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(r->retry_ev, &tv);
	return 1;
}

/* --verbose: an event's seq and the records it carries ("inbox_entry"),
 * to tell what a client was sent when its screen does not show it. */
static void
log_event(const Tafel__Event *e)
{
	const ProtobufCMessageDescriptor *d = e->base.descriptor;
	char what[512];
	size_t o = 0;

	what[0] = '\0';
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		size_t set;

		if (f->type == PROTOBUF_C_TYPE_MESSAGE)
			pb_field_messages(&e->base, f, &set);
		else if (f->type == PROTOBUF_C_TYPE_BOOL &&
		    f->label != PROTOBUF_C_LABEL_REPEATED)
			set = *(const protobuf_c_boolean *)(const void *)
			    ((const char *)e + f->offset);
		else
			continue;
		if (set > 0 && o + strlen(f->name) + 2 < sizeof what)
			o += (size_t)snprintf(what + o, sizeof what - o, " %s",
			    f->name);
	}
	log_debug("net: event %llu:%s", (unsigned long long)e->seq, what);
}

/* One complete envelope from the server (taken, *m NULL, when kept). */
static void
dispatch(struct net *n, Tafel__Envelope **mp)
{
	Tafel__Envelope *m = *mp;
	struct net_req **pp, *r;

	switch (n->state) {
	case NET_HELLO:
		on_hello(n, m);
		return;
	case NET_LOGIN:
		if (m->request_id == n->login_id) {
			on_login_reply(n, m);
			return;
		}
		if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR &&
		    m->error->code == TAFEL__ERROR_CODE__VERSION_MISMATCH) {
			on_hello(n, m);
			return;
		}
		break;
	case NET_READY:
		break;
	default:
		return;
	}
	if (m->body_case == TAFEL__ENVELOPE__BODY_STOPPING) {
		/* The server closes once the requests in flight are answered; then
		 * the usual backoff and reconnect (and resume) take over. */
		n->server_stopping = 1;
		snprintf(n->last_error, sizeof n->last_error, "%s",
		    "the server is stopping");
		log_info("server: %s", m->stopping->message);
		return;
	}
	if (m->body_case == TAFEL__ENVELOPE__BODY_EVENT) {
		if (log_get_level() == LOG_LVL_DEBUG)
			log_event(m->event);
		if (n->cb.event != NULL)
			n->cb.event(n, m, n->arg);
		return;
	}
	if (m->request_id == 0) {
		if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
			snprintf(n->last_error, sizeof n->last_error, "%s: %s",
			    error_code_name(m->error->code), m->error->message);
			log_warn("server: %s", n->last_error);
			/* an administrator ended the session (a new password,
			 * a role or what it may see taken away): the next
			 * login's views are loaded afresh (protocol.md 8.3) */
			if (m->error->code ==
			    TAFEL__ERROR_CODE__SESSION_EXPIRED)
				n->session_ended = 1;
			/* an administrator disabled the account: no reconnect
			 * can help (protocol.md 4.3) */
			if (m->error->code ==
			    TAFEL__ERROR_CODE__ACCOUNT_DISABLED) {
				char msg[sizeof n->last_error];

				snprintf(msg, sizeof msg, "%s", n->last_error);
				net_fatal(n, msg, m->error);
			}
		}
		return;
	}
	for (pp = &n->reqs; (r = *pp) != NULL; pp = &r->next)
		if (r->id == m->request_id)
			break;
	if (r == NULL) {
		log_debug("net: answer to unknown request %llu",
		    (unsigned long long)m->request_id);
		return;
	}
	if (r->partial != NULL || parts_left(m) > 0) {
		if (m->body_case == TAFEL__ENVELOPE__BODY_ERROR) {
			/* an Error instead of the rest: it answers */
			frame_free(r->partial);
			r->partial = NULL;
		} else {
			switch (take_part(r, mp)) {
			case 0:
				return;
			case 1:
				m = r->partial;
				break;
			default:
				net_lost(n, "bad frame from server (a part of "
				    "an answer out of order)");
				return;
			}
		}
	}
	if (req_retry(n, r, m))
		return;		/* it goes again; this answer is not the last */
	*pp = r->next;
	n->answering_waited = r->waited;
	if (r->fn != NULL)
		r->fn(n, m, r->arg);
	n->answering_waited = 0;
	req_free(r);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct net *n = arg;
	Tafel__Envelope *m;
	enum frame_status st;
	const char *err;

	while (n->bev == bev &&
	    (st = frame_decode(bufferevent_get_input(bev), n->max_frame, &m)) ==
	    FRAME_OK) {
		/* a Compressed frame: its inner envelope (we accept them) */
		if (frame_expand(&m, n->max_frame, &err) != 0) {
			net_lost(n, err);
			return;
		}
		dispatch(n, &m);
		frame_free(m);
	}
	if (n->bev == bev && st < 0) {
		char why[100];

		snprintf(why, sizeof why, "bad frame from server (%s)",
		    frame_status_str(st));
		net_lost(n, why);
	}
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct net *n = arg;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__Hello hello = TAFEL__HELLO__INIT;
	char err[256], why[600];

	if (what & BEV_EVENT_CONNECTED) {
		n->tls_resumed = SSL_session_reused(
		    bufferevent_openssl_get_ssl(bev)) == 1;
		log_debug("net: TLS %s", n->tls_resumed ? "session resumed" :
		    "full handshake");
		net_set_state(n, NET_HELLO);
		envelope_hello(&env, &hello, "tafel", TAFEL_MAX_FRAME);
		hello.accept_zlib = 1;	/* big answers compressed: slow links */
		if (send_now(n, &env) != 0)
			net_lost(n, "cannot send hello");
		return;
	}
	if (what & BEV_EVENT_EOF) {
		on_read(bev, n);	/* complete frames left behind */
		/* closed before the TLS handshake or the hello: the server
		 * refused the connection itself (its log says why); after
		 * the handshake, TLS 1.3's refusal of a missing client
		 * certificate may come as a plain close too */
		if (n->bev != bev)
			;
		else if (n->state == NET_TLS)
			net_lost(n, "server closed the connection before the "
			    "hello (it may be at its connection limit, or "
			    "refusing this address; its log says why)");
		else if (n->state == NET_HELLO)
			net_lost(n, "server closed the connection before the "
			    "hello (it may be at its connection limit, refusing "
			    "this address, or requiring a client certificate "
			    "(--cert and --key); its log says why)");
		else
			net_lost(n, "server closed the connection");
		return;
	}
	if (what & BEV_EVENT_TIMEOUT) {
		net_lost(n, n->state == NET_TLS ? "TLS handshake timed out" :
		    "server did not answer in time");
		return;
	}
	tls_bev_err_string(bev, err, sizeof err);
	/* mutual TLS without --cert: say so, not only OpenSSL's alert */
	if (strstr(err, "certificate required") != NULL)
		snprintf(why, sizeof why, "the server requires a client "
		    "certificate of your organisation (--cert and --key): %.150s",
		    err);
	/* the two an installation meets first: say what to do, not only
	 * OpenSSL's "unable to get local issuer certificate" */
	else if (n->state == NET_TLS && strstr(err, "mismatch") != NULL)
		snprintf(why, sizeof why, "the server's certificate does not "
		    "name %.80s: connect by a name or address it holds, or ask "
		    "the administrator to add it (tls_names): %.150s",
		    n->o.host, err);
	else if (n->state == NET_TLS &&
	    strstr(err, "certificate verify failed") != NULL)
		snprintf(why, sizeof why, "the server's certificate is not "
		    "signed by the CA in %.100s (--ca, ca_file): ask the "
		    "administrator for this server's CA (tafelctl ca-cert): "
		    "%.150s", n->o.ca_file, err);
	else
		snprintf(why, sizeof why, "%s failed: %s",
		    n->state == NET_TLS ? "TLS handshake" : "connection", err);
	n->tls_refused = n->state == NET_TLS;
	net_lost(n, why);
}

/* --- connecting ---------------------------------------------------------- */

static void try_next_addr(struct net *n, const char *why);

/* TCP is up: start TLS on the socket. */
static void
start_tls(struct net *n)
{
	SSL *ssl;
	evutil_socket_t fd = n->fd;
	struct timeval tv = { NET_CONNECT_TIMEOUT, 0 };
	char err[256], why[300];

	ssl = tls_client_ssl(n->ctx, n->o.host);
	if (ssl == NULL) {
		tls_err_string(err, sizeof err);
		snprintf(why, sizeof why, "TLS set-up failed: %s", err);
		net_fatal(n, why, NULL);
		return;
	}
	n->fd = -1;
	tls_client_offer_session(n->ctx, ssl);
	n->bev = bufferevent_openssl_socket_new(n->base, fd, ssl,
	    BUFFEREVENT_SSL_CONNECTING,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (n->bev == NULL) {
		SSL_free(ssl);
		evutil_closesocket(fd);
		net_lost(n, "cannot start TLS");
		return;
	}
	evutil_freeaddrinfo(n->addrs);
	n->addrs = n->addr_next = NULL;
	n->max_frame = TAFEL_MAX_FRAME_PRELOGIN;
	bufferevent_openssl_set_allow_dirty_shutdown(n->bev, 1);
	bufferevent_set_timeouts(n->bev, &tv, &tv);
	bufferevent_setcb(n->bev, on_read, NULL, on_event, n);
	bufferevent_enable(n->bev, EV_READ | EV_WRITE);
	net_set_state(n, NET_TLS);
}

static void
on_tcp(evutil_socket_t fd, short what, void *arg)
{
	struct net *n = arg;
	int e = 0;
	socklen_t len = sizeof e;
	char why[200];

	event_free(n->connect_ev);
	n->connect_ev = NULL;
	if (what & EV_TIMEOUT) {
		try_next_addr(n, "connecting timed out");
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
		e = errno;
	if (e != 0) {
		snprintf(why, sizeof why, "cannot connect to %s:%s: %s",
		    n->o.host, n->o.port, strerror(e));
		try_next_addr(n, why);
		return;
	}
	start_tls(n);
}

/* Opens TCP to the next resolved address; on the last failure, retries later. */
static void
try_next_addr(struct net *n, const char *why)
{
	struct timeval tv = { NET_CONNECT_TIMEOUT, 0 };
	struct evutil_addrinfo *ai;
	char msg[300];

	if (n->fd >= 0) {
		evutil_closesocket(n->fd);
		n->fd = -1;
	}
	while ((ai = n->addr_next) != NULL) {
		n->addr_next = ai->ai_next;
		n->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (n->fd < 0)
			continue;
		/* Small frames back to back: no Nagle delay (see server/conn.c). */
		{
			int one = 1;

			setsockopt(n->fd, IPPROTO_TCP, TCP_NODELAY, &one,
			    sizeof one);
		}
		if (connect(n->fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS) {
			n->connect_ev = event_new(n->base, n->fd, EV_WRITE, on_tcp,
			    n);
			event_add(n->connect_ev, &tv);
			return;
		}
		snprintf(msg, sizeof msg, "cannot connect to %s:%s: %s",
		    n->o.host, n->o.port, strerror(errno));
		why = msg;
		evutil_closesocket(n->fd);
		n->fd = -1;
	}
	net_lost(n, why != NULL ? why : "no address to connect to");
}

static void
on_resolved(int result, struct evutil_addrinfo *res, void *arg)
{
	struct net *n = arg;
	char why[300];

	if (result == EVUTIL_EAI_CANCEL)
		return;
	n->dns_req = NULL;
	if (result != 0) {
		snprintf(why, sizeof why, "cannot resolve %s: %s", n->o.host,
		    evutil_gai_strerror(result));
		net_lost(n, why);
		return;
	}
	n->addrs = n->addr_next = res;
	try_next_addr(n, NULL);
}

static void
net_connect(struct net *n)
{
	struct evutil_addrinfo hints;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_ADDRCONFIG;
	net_set_state(n, NET_CONNECTING);
	/* NULL when answered inline (numeric hosts, /etc/hosts) */
	n->dns_req = evdns_getaddrinfo(n->dns, n->o.host, n->o.port, &hints,
	    on_resolved, n);
}

void
net_start(struct net *n)
{
	n->stopped = 0;
	if (n->state == NET_DISCONNECTED || n->state == NET_BACKOFF) {
		if (n->backoff_ev != NULL)
			event_del(n->backoff_ev);
		net_connect(n);
	}
}

/* --- accessors ----------------------------------------------------------- */

enum net_state
net_get_state(const struct net *n)
{
	return n->state;
}

int
net_backoff_left(const struct net *n)
{
	struct timespec now;
	double ms;

	if (n->state != NET_BACKOFF)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = ts_diff_ms(&n->backoff_until, &now);
	return ms <= 0 ? 0 : (int)((ms + 999) / 1000);
}

long
net_lag_ms(const struct net *n)
{
	return n->lag_ms;
}

int
net_server_stopping(const struct net *n)
{
	return n->server_stopping;
}

int
net_session_ended(const struct net *n)
{
	return n->session_ended;
}

enum net_problem
net_problem(const struct net *n)
{
	return n->problem;
}

const char *
net_last_error(const struct net *n)
{
	return n->last_error;
}

int
net_answer_waited(const struct net *n)
{
	return n->answering_waited;
}

size_t
net_pending(const struct net *n)
{
	size_t c = 0;

	for (const struct net_req *r = n->reqs; r != NULL; r = r->next)
		c++;
	return c;
}

size_t
net_pending_writes(const struct net *n)
{
	size_t c = 0;

	for (const struct net_req *r = n->reqs; r != NULL; r = r->next)
		if (r->flags & NET_REQ_WRITE)
			c++;
	return c;
}

long
net_unanswered_write_ms(const struct net *n)
{
	struct timespec now;
	long oldest = -1, ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (const struct net_req *r = n->reqs; r != NULL; r = r->next) {
		/* a write refused for a moment and waiting for its next
		 * attempt (NET_REQ_RETRY) is still unanswered to the user:
		 * timed from its first sending */
		if (!(r->flags & NET_REQ_WRITE) || (!r->sent && r->attempts == 0))
			continue;
		ms = (long)ts_diff_ms(&now, r->attempts > 0 ?
		    &r->first_sent_at : &r->sent_at);
		if (ms > oldest)
			oldest = ms;
	}
	return oldest;
}

const Tafel__LoginResponse *
net_login(const struct net *n)
{
	return n->login;
}

int
net_tls_resumed(const struct net *n)
{
	return n->tls_resumed;
}

int
net_has_ticket(const struct net *n)
{
	return n->ticket[0] != '\0';
}
