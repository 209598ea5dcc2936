/* The client's connection: TLS, hello, login, requests with callbacks, reconnect and resume. */
#ifndef TAFEL_CLIENT_NET_H
#define TAFEL_CLIENT_NET_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "tafel.pb-c.h"

/* The connection's life; net.c: net_set_state() is the only transition. */
enum net_state {
	NET_DISCONNECTED,	/* nothing open; not trying (stopped, or a fatal error) */
	NET_CONNECTING,		/* resolving the name and opening TCP */
	NET_TLS,		/* TCP open, TLS handshake running */
	NET_HELLO,		/* TLS up, our Hello sent, waiting for the server's */
	NET_LOGIN,		/* Hello exchanged, LoginRequest sent */
	NET_READY,		/* logged in: requests flow */
	NET_BACKOFF		/* connection lost, waiting to try again */
};

struct net;

/* Called with a response, an Error (both echo the request id), or NULL
 * when a volatile request was dropped because the connection was lost. */
typedef void (*net_reply_fn)(struct net *, const Tafel__Envelope *reply,
    void *arg);

struct net_callbacks {
	/* After every state change. */
	void (*state)(struct net *, enum net_state, void *arg);
	/* Logged in (first = 1 on the very first login): re-subscribe here. */
	void (*ready)(struct net *, const Tafel__LoginResponse *, int first,
	    void *arg);
	/* A pushed Event envelope (request id 0). */
	void (*event)(struct net *, const Tafel__Envelope *, void *arg);
	/* The connection gave up (no automatic retry): login refused,
	 * protocol version mismatch, or the first connection failed when
	 * retry_first is off.  err is the server's Error, if there was one. */
	void (*fatal)(struct net *, const char *msg, const Tafel__Error *err,
	    void *arg);
};

struct net_opts {
	const char *host;	/* name or IP literal */
	const char *port;	/* decimal */
	const char *ca_file;	/* the only trust anchor */
	const char *cert_file;	/* client certificate, or NULL */
	const char *key_file;	/* its key, or NULL */
	const char *login;
	int retry_first;	/* keep retrying before the first login */
};

enum net_req_flags {
	NET_REQ_READ = 0,	/* re-sent after a reconnect */
	NET_REQ_WRITE = 1,	/* carries an idempotency key; re-sent with it */
	NET_REQ_VOLATILE = 2,	/* dropped (callback gets NULL) on disconnect */
	/* DATABASE_UNAVAILABLE or OVERLOADED: sent again (same key) after the
	 * retry_after_ms the server asks, at least 250 ms doubling to 5 s,
	 * for about a minute (NET_RETRY_MAX); then that answer is the answer.
	 * (RATE_LIMITED is retried so for every request, after exactly the
	 * retry_after_ms asked.) */
	NET_REQ_RETRY = 4,
	/* with NET_REQ_RETRY: no end to the attempts.  The terminal UI's
	 * writes: given up, the form came back and its Enter sent a new key,
	 * while the database that hung could still commit the first (its
	 * user sees the change waiting, and q asks before leaving it) */
	NET_REQ_PATIENT = 8
};

/* Creates the connection object; NULL with a message on a bad CA file. */
struct net *net_new(struct event_base *base, const struct net_opts *o,
    const struct net_callbacks *cb, void *arg, char *err, size_t errlen);
/*
 * Sets the password (copied into locked memory; never logged).  After the
 * first login a reconnect logs in with the server's resume ticket (held in
 * memory only) and falls back to this password only if it is refused.
 */
void net_set_password(struct net *n, const char *password);
/* Starts connecting (again, after a fatal error). */
void net_start(struct net *n);
/* Closes gracefully and stops reconnecting. */
void net_stop(struct net *n);
void net_free(struct net *n);

/*
 * Queues a request; env has its body set, request_id and idempotency key
 * are filled in here (key: the given one, or a new random one for writes).
 * It is sent now if the connection is ready, else after the next login.
 * Returns the request id.
 */
uint64_t net_send(struct net *n, Tafel__Envelope *env, int flags,
    const char *key, net_reply_fn fn, void *arg);
/* The same for a request message alone: wraps body (the message of the
 * Envelope field numbered body_case) in an envelope first. */
uint64_t net_send_body(struct net *n, Tafel__Envelope__BodyCase body_case,
    void *body, int flags, const char *key, net_reply_fn fn, void *arg);

enum net_state net_get_state(const struct net *n);
const char *net_state_name(enum net_state st);
/* Seconds until the next attempt while in NET_BACKOFF. */
int net_backoff_left(const struct net *n);
/* Round trip of the last ping in ms, -1 if none yet. */
long net_lag_ms(const struct net *n);
/* The last connection problem, "" if none. */
const char *net_last_error(const struct net *n);
/* Where the last attempt failed, for a user who has to act on it. */
enum net_problem {
	NET_PROBLEM_NONE,		/* none, or it broke after TLS was up */
	NET_PROBLEM_UNREACHABLE,	/* no TCP connection (name, address, port),
					 * or no answer to the TLS handshake */
	NET_PROBLEM_TLS			/* TLS refused: the CA, or not a tafeld */
};
enum net_problem net_problem(const struct net *n);
/* The server announced it is stopping (ServerStopping); until READY again. */
int net_server_stopping(const struct net *n);
/* In the ready callback: the server ended the previous session
 * (SESSION_EXPIRED: an administrator changed the password, took a role or
 * narrowed what the account may see), so what the views hold was rendered
 * under rights the account may no longer have. */
int net_session_ended(const struct net *n);
/* Requests not answered yet (queued or in flight). */
size_t net_pending(const struct net *n);
/* Of those, the writes (changes): what "changes waiting to be sent" and
 * the question on quitting count; a list still to be read is none. */
size_t net_pending_writes(const struct net *n);
/* How long (ms) the oldest write sent on this connection has waited for
 * its answer; -1: none waits. */
long net_unanswered_write_ms(const struct net *n);
/* In a reply callback: whether its request waited for a connection (made
 * while not connected, or re-sent after a reconnect), so its answer comes
 * when the user may no longer be looking. */
int net_answer_waited(const struct net *n);
/* The logged-in user, or NULL before the first login. */
const Tafel__LoginResponse *net_login(const struct net *n);
/* The current connection resumed an earlier TLS session (a reconnect). */
int net_tls_resumed(const struct net *n);
/* A resume ticket is held for the next reconnect (memory only). */
int net_has_ticket(const struct net *n);

/* A new random idempotency key (36 characters, UUID-like) into buf[37]. */
void net_new_key(char *buf, size_t len);

#endif
