/* One client connection: its state machine, framing, deadlines and output queue. */
#ifndef TAFEL_CONN_H
#define TAFEL_CONN_H

#include <netinet/in.h>
#include <stdint.h>
#include "compat.h"

#include <event2/bufferevent.h>

#include "netaddr.h"
#include "ratelimit.h"
#include "tafel.pb-c.h"

enum conn_state {
	CONN_HANDSHAKE,	/* TLS handshake running; handshake deadline armed */
	CONN_HELLO,	/* TLS up, our Hello sent; waiting for the peer's */
	CONN_LOGIN,	/* versions agreed; only login, ping, logout allowed */
	CONN_READY,	/* logged in: every request; idle deadline armed */
	CONN_DRAINING,	/* a closing Error is due: no more requests read;
			   those running still answer, then the Error */
	CONN_CLOSING,	/* not reading requests; last frames flushing */
	CONN_LINGER,	/* close_notify and FIN sent; discarding input until
			   the peer closes (no reset that loses our frames) */
	CONN_DEAD	/* dropped: its release runs from the event loop, then
			   the struct lives on while referenced */
};

struct session;

struct conn {
	uint64_t id;			/* for logs */
	enum conn_state state;
	struct bufferevent *bev;	/* TLS bufferevent, NULL once freed */
	struct event *deadline;		/* handshake / login / idle timer */
	char addr[NETADDR_LEN + 8];	/* peer address, "ip:port" */
	char ip[NETADDR_LEN];		/* peer address without port */
	char net[NETADDR_LEN];		/* what per-address limits count:
					 * netaddr_limit_key (IPv6: its /64) */
	/*
	 * Client certificate O= and CN=, or "": allocated only when the
	 * client presented a certificate (most connections carry none).
	 */
	const char *cert_org;
	const char *cert_cn;
	int refs;			/* 1 for the list + 1 per pending query */
	int reqs;			/* requests running (conn_req_begin) */
	int peer_closed;		/* the client closed its side: close
					 * once reqs is 0 */
	Tafel__ErrorCode close_code;	/* DRAINING: the Error held back until
					 * the running requests answered */
	char *close_message;		/* its message (allocated), or NULL */
	int unauth_counted;		/* counted in srv.n_unauth */
	int login_pending;		/* a login request is being checked */
	uint32_t max_frame;		/* current inbound frame limit */
	struct session *session;	/* user, subscriptions; NULL before login */
	struct bucket rate;		/* request rate limit */
	unsigned rate_strikes;		/* requests refused in this window */
	long long rate_window;		/* when that window started (s) */
	unsigned stray_frames;		/* frames not requests in this window */
	long long stray_window;		/* when that window started (s) */
	unsigned tls_keyupdates;	/* TLS KeyUpdates received in this
					 * window (conn_tls_msg) */
	long long tls_window;		/* when that window started (s) */
	uint64_t frames_in;		/* statistics */
	uint64_t frames_out;
	struct evbuffer *cork;		/* frames held during a cork, or NULL */
	struct conn *cork_next;		/* corked list (referenced) */
	int corked;			/* on the corked list */
	int zlib;			/* its Hello accepts Compressed frames */
	size_t out_mark;		/* bytes queued after the last frame */
	long long out_progress;		/* when the client was last seen to
					 * have read some of its queue (ms) */
	TAILQ_ENTRY(conn) entry;	/* srv.conns */
};

/* Takes over an accepted socket and starts the TLS handshake. */
void conn_accept(int fd, const struct sockaddr *sa, int salen);

/*
 * What the layers above the connection do with it (set once at start-up
 * by dispatch.c): conn.c calls up only through these.
 */
struct conn_hooks {
	/* One decoded frame from a peer in HELLO, LOGIN or READY. */
	void (*frame)(struct conn *c, const Tafel__Envelope *env);
	/*
	 * The connection is being released: end its session and everything
	 * hanging off it.  Runs from the event loop, never inside a send.
	 */
	void (*release)(struct conn *c);
};
void conn_set_hooks(const struct conn_hooks *hooks);

/*
 * Queues one frame.  A client whose queue is over the limit is dropped
 * (conn_drop): this never frees anything, so callers may go on using the
 * connection, its session and subscriptions until they return to the loop.
 */
void conn_send(struct conn *c, const Tafel__Envelope *env);

/*
 * Queues the n frames of one answer in parts (docs/protocol.md 3.2): the
 * output limit is checked once, before the first, so that an answer the
 * client asked for arrives whole or not at all.
 */
void conn_send_parts(struct conn *c, Tafel__Envelope *const *envs, size_t n);

/*
 * Coalesced writes: between conn_cork_begin() and conn_cork_end() (which
 * nest), frames for a READY connection collect in its own buffer and go to
 * the TLS bufferevent in one piece at the end, so several events for one
 * socket leave in one write and as few TLS records as possible.  The
 * output limit counts them; conn_close flushes them first.  Call both from
 * one callback (the loop never runs in between).
 */
void conn_cork_begin(void);
void conn_cork_end(void);

/*
 * Queues one frame already encoded (header included, at most
 * TAFEL_MAX_FRAME): the same bytes for many connections are packed once.
 * The output limit and corking apply as for conn_send.
 */
void conn_send_frame(struct conn *c, const void *frame, size_t len);

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
 * Ends a connection gracefully: sends a final Error when code is not 0,
 * stops serving requests, flushes what is queued, sends close_notify and a
 * FIN, and discards input until the peer closes (bounded by a deadline).
 * With code not 0 and requests of c still running (reqs > 0), the
 * connection first drains (CONN_DRAINING): it reads no more requests, the
 * running ones still answer (for at most CONN_CLOSE_GRACE_MS), then the
 * Error goes out after their answers (docs/protocol.md 4.3).  On a
 * draining connection any call ends the drain: the Error held back is sent
 * (code and message are then ignored).  Safe to call from any callback
 * and more than once.
 */
void conn_close(struct conn *c, Tafel__ErrorCode code, const char *message);

/*
 * Ends a connection at once, one way: marks it dead and schedules its
 * release on the event loop (where the release hook ends the session).
 * Nothing is freed before the caller returns to the loop.
 */
void conn_drop(struct conn *c);

/* Moves to a new state; aborts on a transition the design does not allow. */
void conn_set_state(struct conn *c, enum conn_state to);

/* Re-arms the idle deadline after a request (READY only). */
void conn_touch(struct conn *c);

/* Reference counting for asynchronous work that outlives a callback. */
void conn_ref(struct conn *c);
void conn_unref(struct conn *c);

/*
 * A request of c's is running / has ended (request.c, req_new and
 * req_free; each holds a reference too).  When the client has closed its
 * side, the end of the last one closes the connection cleanly.
 */
void conn_req_begin(struct conn *c);
void conn_req_end(struct conn *c);

/* The code of the closing Error a draining connection holds back, else 0. */
Tafel__ErrorCode conn_close_code(const struct conn *c);

/* Closes every connection (shutdown). */
void conn_close_all(void);

const char *conn_state_name(enum conn_state st);

/* For status: calls fn for every connection that is not dead yet. */
void conn_foreach(void (*fn)(const struct conn *c, void *arg), void *arg);

/* For status: a connection's state. */
enum conn_state conn_get_state(const struct conn *c);

/* Bytes queued for the peer and not yet written. */
size_t conn_queued(const struct conn *c);

#endif
