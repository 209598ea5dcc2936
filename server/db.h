/* Asynchronous PostgreSQL: a small pool of non-blocking libpq connections driven by the loop. */
#ifndef TAFEL_DB_H
#define TAFEL_DB_H

#include <stdint.h>
#include <time.h>

#include <libpq-fe.h>

#include "tafel.pb-c.h"

struct db_result {
	PGresult *res;		/* the statement's result; NULL on error */
	Tafel__ErrorCode code;	/* 0 on success */
	char message[512];	/* English, for the client */
	/* the connection was lost while the statement ran: message speaks
	 * to a client whose write it may have been; a log line of tafeld's
	 * own reads (push) says db_result_why() instead */
	int lost;
	char field[64];		/* request field named by the database */
	char *detail;		/* TF errors: JSON detail (CONFLICT record) */
};

/*
 * Called on the loop thread; r and r->res are freed after it returns,
 * unless it takes r->res over (sets it to NULL; then it PQclear()s it).
 */
typedef void (*db_result_fn)(void *arg, struct db_result *r);

/* Why a statement of tafeld's own failed, for its log: the message, but
 * for a lost connection that (and no advice on retrying a write). */
const char *db_result_why(const struct db_result *r);

/*
 * Queues one parameterised statement; fn runs when it finished or failed
 * (DATABASE_UNAVAILABLE when no connection came up in time or the one
 * running it was lost).  Parameters are copied.  Errors raised by our SQL
 * functions with SQLSTATE 'TFnnn' map to ErrorCode nnn.
 */
void db_call(const char *sql, int nparams, const char *const *params,
    db_result_fn fn, void *arg);

/*
 * As db_call, for one client connection (owner).  Turns go by user: the
 * owner's user (db_set_owner_user; its connection when not logged in).
 * While others wait, a request of a user with fewer queries running goes
 * first, and one user holds at most half the pool (rounded up) while
 * others wait, more only while a connection stays free for them: so one
 * client pipelining many requests, or one account over many connections,
 * cannot hold every other client back.
 */
void db_call_owned(const void *owner, const char *sql, int nparams,
    const char *const *params, db_result_fn fn, void *arg);

/*
 * db_call_owned for a client's read: reads together hold at most all but
 * one of the pool's connections, which stays for writes and the push.
 */
void db_call_read(const void *owner, const char *sql, int nparams,
    const char *const *params, db_result_fn fn, void *arg);

/*
 * Says whether an owner can no longer be answered (its connection is
 * closing or dead).  Queued queries of such an owner are never sent: the
 * sweep fails them (their fn runs with DATABASE_UNAVAILABLE) instead, so a
 * read nobody will see is neither run nor audited, and a write never
 * acknowledged is not applied.  One already sent runs to its end.
 */
void db_set_owner_gone(int (*gone)(const void *owner));

/* The user whose turn an owner's query takes (0: none; then its own). */
void db_set_owner_user(int64_t (*user)(const void *owner));

/*
 * As db_call, in the background lane: the push's renderings.  Such a query
 * starts only when no request is waiting, and background queries hold at
 * most all but one of the pool's connections.
 */
void db_call_background(const char *sql, int nparams,
    const char *const *params, db_result_fn fn, void *arg);

/*
 * The LISTEN connection: on_notify(payload) for each notification on the
 * channel, on_ready() after every (re)connect, once LISTEN is in place,
 * so the caller can catch up on what it missed.
 */
void db_listen(const char *channel, void (*on_notify)(const char *payload),
    void (*on_ready)(void));

/* Connects the pool (srv.conninfo, srv.cfg.db_pool_size). */
void db_start(void);
/* Fails queued queries and closes the connections. */
void db_stop(void);
void db_free(void);

/*
 * The database is unreachable: a connection attempt failed and none is up
 * (logged once by db.c, with reminders); callers need not log each
 * DATABASE_UNAVAILABLE of theirs meanwhile.
 */
int db_unreachable(void);

/*
 * A full-disk episode is on (PostgreSQL refused a write with SQLSTATE 53100
 * and the disk has not been seen with room since): its latest refusal;
 * 0: none.
 */
time_t db_disk_full_since(void);

/* Connections currently usable (for status and tests). */
int db_ready_count(void);

/* The pool at a glance (tafelctl status, the drain on SIGTERM). */
struct db_stats {
	int size;		/* pool connections (the LISTEN one apart) */
	int connecting, idle, busy, backoff, stopped;
	int queued;		/* statements waiting for a connection */
	int queued_background;	/* push renderings waiting (db_call_background) */
	int listener_up;	/* the LISTEN connection is in place */
};
void db_get_stats(struct db_stats *st);

/*
 * A bigint[] parameter in PostgreSQL's text form, "{1,2,3}", built one
 * number at a time: DB_IDS_INIT, db_ids_add, then db_ids_text (which
 * closes the braces; the text lives in ids) and db_ids_free.
 */
struct db_ids {
	char *s;
	size_t len, cap;
	size_t n;		/* numbers added */
};
#define DB_IDS_INIT { NULL, 0, 0, 0 }
void db_ids_add(struct db_ids *ids, int64_t v);
const char *db_ids_text(struct db_ids *ids);
void db_ids_free(struct db_ids *ids);

#endif
