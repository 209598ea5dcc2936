/* Test harness: starts a real tafeld (own data dir and cluster) and talks to it over real TLS. */
#ifndef TAFEL_TEST_HARNESS_H
#define TAFEL_TEST_HARNESS_H

#include <stdint.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#include "tafel.pb-c.h"

/* The body case of an Envelope: B(PING) is TAFEL__ENVELOPE__BODY_PING. */
#define B(x) TAFEL__ENVELOPE__BODY_##x

struct tafeld {
	pid_t pid;
	char dir[256];		/* data directory (mkdtemp) */
	char log[300];		/* tafeld's stderr */
	int port;		/* the port it listens on */
	/* harness_psql_value's psql, kept running (0: none); only the
	 * process that started it (psql_owner) uses it */
	pid_t psql_pid, psql_owner;
	FILE *psql_in, *psql_out;
};

/*
 * Starts tafeld on 127.0.0.1 with an ephemeral port in dir (created when
 * dir is NULL), extra "--set key=value" style arguments, and waits until
 * it listens (or fails: returns -1 and prints its log).
 */
int tafeld_start(struct tafeld *t, const char *dir, const char *const *extra);

/* SIGTERM and wait; returns its exit status. */
int tafeld_stop(struct tafeld *t);

/* Runs tafelctl against t's data directory; returns its exit status. */
int tafelctl_run(struct tafeld *t, const char *const *args);

/* Counts lines of t's log containing needle. */
int tafeld_log_count(struct tafeld *t, const char *needle);

/* Waits up to ms for n lines of t's log containing needle; the count then. */
int tafeld_log_wait(struct tafeld *t, const char *needle, int n, int ms);

/* Removes the data directory (the cluster must be stopped). */
void tafeld_cleanup(struct tafeld *t);

/* tafeld_start, then `tafelctl demo-data`; 0 or -1. */
int tafeld_start_demo(struct tafeld *t, const char *const *extra);

/*
 * A test group's teardown: stops t (when running) and removes its data
 * directory; -1 when tafeld did not exit cleanly (e.g. a sanitizer report
 * or a leak), which fails the group.
 */
int tafeld_teardown(struct tafeld *t);

struct tclient {
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
	uint8_t *buf;		/* bytes received, not yet decoded */
	size_t len, cap;
	uint64_t next_id;
	Tafel__Envelope *queued[256];	/* events seen while awaiting answers */
	size_t n_queued;
	int eof;
	int clean_close;	/* the stream ended with the peer's close_notify */
	/* Compressed frames received (harness_accept_zlib), their bytes on
	 * the wire and inflated */
	size_t zlib_frames, zlib_wire, zlib_plain;
};

/* Set before tclient_open: our Hello accepts Compressed frames. */
extern int harness_accept_zlib;

/* TLS 1.3 connection to t verified against its CA; 0 or -1. */
int tclient_connect(struct tclient *c, struct tafeld *t);
/* Connects, exchanges Hellos (ours with protocol version `version`). */
int tclient_open(struct tclient *c, struct tafeld *t, uint32_t version);
/* tclient_open + login; 0 on success. */
int tclient_login(struct tclient *c, struct tafeld *t, const char *user,
    const char *password);
void tclient_close(struct tclient *c);

int tclient_send(struct tclient *c, const Tafel__Envelope *env);
/*
 * The next whole frame already received (a Compressed one made whole;
 * one that does not decode is dropped with a line on stderr); NULL when
 * none is buffered.  Reads nothing from the socket.
 */
Tafel__Envelope *tclient_take(struct tclient *c);
/* Next envelope (not the queued events); NULL on timeout/EOF. */
Tafel__Envelope *tclient_recv(struct tclient *c, int timeout_ms);
/* Sends env with a fresh request id; returns the answer (events queued). */
Tafel__Envelope *tclient_call(struct tclient *c, Tafel__Envelope *env,
    int timeout_ms);
/* Next event (queued or new); NULL on timeout. */
Tafel__Envelope *tclient_event(struct tclient *c, int timeout_ms);
/* Writes raw bytes (protocol abuse tests). */
int tclient_send_raw(struct tclient *c, const void *p, size_t n);

/* When > 0, SO_RCVBUF of the next client sockets (slow-reader tests). */
extern int harness_rcvbuf;
/* When set, the next client sockets connect from this local address (e.g. "127.0.0.2"). */
extern const char *harness_source_ip;
/* When set, the next client connections present this certificate. */
extern const char *harness_client_cert;
extern const char *harness_client_key;

/* Milliseconds on a monotonic clock. */
long long now_ms(void);

/* Skips (exit 77) when run as root without the service user. */
void harness_require_service_user(void);



/* Sends msg as the given request body (with an idempotency key for writes). */
Tafel__Envelope *tclient_req(struct tclient *c, Tafel__Envelope__BodyCase body,
    void *msg, const char *key);

/* A fresh random idempotency key (static buffer). */
const char *harness_key(void);


/* Runs SQL with psql on t's embedded cluster (as the service user when root). */
int harness_psql(struct tafeld *t, const char *sql);
/* pg_ctl "stop" (fast) or "start" of t's embedded cluster, with the options
 * tafeld starts it with (as TAFEL_TEST_USER when root); system()'s status. */
int harness_cluster_ctl(struct tafeld *t, const char *what);
/* A create_case write (domestic violence, no district) with key; the answer. */
Tafel__Envelope *harness_create_case(struct tclient *c, const char *summary,
    const char *key);


/* Runs one SQL query as the schema owner; copies the first value to out. */
int harness_psql_value(struct tafeld *t, const char *sql, char *out,
    size_t len);

/*
 * Polls sql (one boolean value) until it gives "t": 1, or 0 after
 * timeout_ms.  For waiting on a state (a lock held, a row written)
 * instead of sleeping for a time a slow machine may not keep.
 */
int harness_sql_until(struct tafeld *t, const char *sql, int timeout_ms);

/*
 * Holds `table` of t's database in ACCESS EXCLUSIVE mode until
 * harness_unlock_table (at most 120 s), from a psql session in a child
 * process, so that what needs the table waits meanwhile.  Returns the child's pid once its own lock is granted
 * (not another session's lock of the same mode: autovacuum truncating the
 * table takes one for a moment), -1 when it was not within 20 s.  Reap it
 * with waitpid (exit status 0: the session ended normally).
 */
pid_t harness_lock_table(struct tafeld *t, const char *table);

/*
 * Ends the lock of harness_lock_table's `locker` now: its pg_sleep is
 * cancelled, its transaction rolls back, and the locker exits with status
 * 1 (reap it with waitpid).  Tests hold a lock until something has
 * happened, not for a time a slow machine may not keep; any process may
 * call it.  0 when the cancel was sent.
 */
int harness_unlock_table(struct tafeld *t, pid_t locker);

/* Subscribes c to a meeting's changes; returns the answer (NULL: none). */
Tafel__Envelope *tclient_subscribe(struct tclient *c, int64_t meeting_id,
    uint64_t resume_from, int presentation);

/* Prints env's error (code, message, field) after what, if env is one. */
void harness_print_error(const char *what, const Tafel__Envelope *env);

/* cmocka: asserts env is an answer with this body (printing an error that came instead). */
void harness_expect_body(const Tafel__Envelope *env,
    Tafel__Envelope__BodyCase body);

/* cmocka: c is still served: a ping gets its pong. */
void harness_ping_ok(struct tclient *c);

/* cmocka: asserts env is an error (printing what came instead); its code. */
Tafel__ErrorCode harness_error_of(const Tafel__Envelope *env);
#endif
