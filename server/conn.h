/* One client connection: its state machine, framing, deadlines and output queue. */
#ifndef TAFEL_CONN_H
#define TAFEL_CONN_H

#include <netinet/in.h>
#include <stdint.h>
#include "compat.h"

#include <event2/bufferevent.h>

#include "ratelimit.h"
#include "tafel.pb-c.h"

enum conn_state {
	CONN_HANDSHAKE,	/* TLS handshake running; handshake deadline armed */
	CONN_HELLO,	/* TLS up, our Hello sent; waiting for the peer's */
	CONN_LOGIN,	/* versions agreed; only login, ping, logout allowed */
	CONN_READY,	/* logged in: every request; idle deadline armed */
	CONN_CLOSING,	/* last frames flushing, then close_notify */
	CONN_DEAD	/* released; the struct lives on while referenced */
};

struct session;

struct conn {
	uint64_t id;			/* for logs */
	enum conn_state state;
	struct bufferevent *bev;	/* TLS bufferevent, NULL once freed */
	struct event *deadline;		/* handshake / login / idle timer */
	char addr[64];			/* peer address, "ip:port" */
	char ip[48];			/* peer address without port */
	char cert_org[128];		/* client certificate O=, or "" */
	char cert_cn[128];		/* client certificate CN=, or "" */
	int refs;			/* 1 for the list + 1 per pending query */
	int unauth_counted;		/* counted in srv.n_unauth */
	int login_pending;		/* a login request is being checked */
	uint32_t max_frame;		/* current inbound frame limit */
	struct session *session;	/* user, subscriptions; NULL before login */
	struct bucket rate;		/* request rate limit */
	unsigned rate_strikes;		/* requests refused in this window */
	long long rate_window;		/* when that window started (s) */
	uint64_t frames_in;		/* statistics */
	uint64_t frames_out;
	TAILQ_ENTRY(conn) entry;	/* srv.conns */
};

/* Takes over an accepted socket and starts the TLS handshake. */
void conn_accept(int fd, const struct sockaddr *sa, int salen);

/* Queues one frame.  A client whose queue is over the limit is dropped. */
void conn_send(struct conn *c, const Tafel__Envelope *env);

/* Queues an Error answering request_id. */
void conn_send_error(struct conn *c, uint64_t request_id,
    Tafel__ErrorCode code, const char *message, const char *field);

/*
 * Queues an event with only resync set: the client drops its view of the
 * subscription and subscribes afresh (used when it cannot be sent a change
 * or a change invalidates what it was shown).
 */
void conn_send_resync(struct conn *c);

/*
 * Ends a connection: sends a final Error when code is not 0, stops reading,
 * flushes, sends close_notify and releases everything.  Safe to call from
 * any callback and more than once.
 */
void conn_close(struct conn *c, Tafel__ErrorCode code, const char *message);

/* Moves to a new state; aborts on a transition the design does not allow. */
void conn_set_state(struct conn *c, enum conn_state to);

/* Re-arms the idle deadline after a request (READY only). */
void conn_touch(struct conn *c);

/* Reference counting for asynchronous work that outlives a callback. */
void conn_ref(struct conn *c);
void conn_unref(struct conn *c);

/* Closes every connection (shutdown). */
void conn_close_all(void);

const char *conn_state_name(enum conn_state st);

/* Bytes queued for the peer and not yet written. */
size_t conn_queued(const struct conn *c);

#endif
