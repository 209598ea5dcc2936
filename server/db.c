/* Asynchronous PostgreSQL: a small pool of non-blocking libpq connections driven by the loop. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include "compat.h"

#include <event2/event.h>

#include "conninfo.h"
#include "log.h"
#include "pgembed.h"
#include "server.h"
#include "xmalloc.h"

/* How long a query may wait for a connection before failing. */
#define DB_QUEUE_TIMEOUT_MS 5000
#define DB_BACKOFF_MIN_MS 200
/*
 * The longest wait between two attempts of one connection.  While the
 * database is unreachable only one connection (the probe) keeps trying;
 * the others wait for it to get through (db_wake_backoff), so the database
 * sees one attempt every few seconds whatever the pool size.
 */
#define DB_BACKOFF_MAX_MS 5000
/*
 * How long a connection attempt may go unanswered (a host that drops the
 * packets, a hung server) before it counts as failed: the conninfo's
 * connect_timeout (or PGCONNECT_TIMEOUT), which libpq does not apply to
 * PQconnectPoll, else this, as tafelctl's.
 */
#define DB_CONNECT_TIMEOUT_MS 15000
/* Losses of connections logged one by one at most this often. */
#define DB_LOSS_LOG_MS 5000
#define DB_MAX_PARAMS 16
/*
 * How often a read may be sent before its lost connections fail it: a
 * restart of PostgreSQL (or pg_terminate_backend) ends every connection
 * at once, and a read handed to one not yet seen gone is lost with it;
 * running it again costs nothing but a second audit row.
 */
#define DB_READ_TRIES 3
/*
 * How often a backend running one of our queries checks that tafeld is
 * still connected (PostgreSQL's client_connection_check_interval, 14 and
 * later): a connection tafeld gave up (db_query_timeout, shutdown) then
 * ends its query, its locks and its slot within about this long, instead
 * of running (or waiting for a lock) to the end and committing unseen.
 */
#define DB_CONN_CHECK_MS 1000

/*
 * The LISTEN connection is idle by nature, so a backend or a network path
 * that hangs without a reset would go unnoticed, and this node's
 * subscribers would get no change at all (its own writes' neither: their
 * delivery waits for a gap a notification fills).  After this long without
 * a word on it, it is asked a trivial statement; unanswered twice as long,
 * it is given up and reconnected (LISTEN again, then the change log read
 * from where this node was).
 */
#define DB_LISTEN_CHECK_MS 5000
#define DB_LISTEN_CHECK_SQL "SELECT 'tafel listen check'"

enum pgc_state {
	PGC_CONNECTING,	/* PQconnectPoll in progress */
	PGC_IDLE,	/* ready for a query */
	PGC_BUSY,	/* one query in flight */
	PGC_BACKOFF,	/* lost; waiting to reconnect */
	PGC_STOPPED	/* shut down */
};

struct db_query {
	char *sql;
	int nparams;
	char *params[DB_MAX_PARAMS];
	db_result_fn fn;
	void *arg;
	struct timeval queued;
	int background;			/* db_call_background: the push lane */
	int read;			/* db_call_read: kept off the last conn */
	int tries;			/* a read: sent and lost with its conn */
	unsigned long after;		/* then it runs on a conn made since:
					 * gen > after (pgc_lost) */
	const void *owner;		/* db_call_owned: whose (fair turns) */
	int64_t user;			/* the owner's user when queued, or 0 */
	TAILQ_ENTRY(db_query) entry;
};

struct pgc {
	int index;
	int is_listener;		/* the LISTEN connection */
	int failing;			/* its attempts fail (logged once) */
	int warmed;			/* warmed up once (logged at info) */
	enum pgc_state state;
	PGconn *conn;
	struct event *ev;		/* socket readiness */
	int fd;				/* fd the event watches */
	struct event *timer;		/* backoff */
	long long backoff_ms;
	struct db_query *query;		/* in flight (BUSY) */
	PGresult *result;		/* kept result of the query in flight */
	int listen_sent;		/* listener: LISTEN issued */
	int checking;			/* listener: its check in flight */
	struct timeval heard;		/* listener: last word on it */
	struct timeval warm_start;	/* when its warm-up was sent */
	struct timeval sent;		/* when its query was sent */
	struct timeval connecting;	/* when its attempt began */
	int timed_out;			/* lost by db_query_timeout */
	unsigned long gen;		/* db->gens when it connected */
};

TAILQ_HEAD(db_queue_head, db_query);

/*
 * The database unreachable: a connection attempt failed with no connection
 * up.  One line when it begins (libpq's reason), reminders at growing
 * intervals, one line when a connection gets through again; the attempts
 * in between are counted, not logged.
 */
struct db_outage {
	int down;
	struct timespec since;		/* the first loss or failure */
	unsigned long failures;		/* connection attempts failed */
	int reminders;			/* reminder lines logged */
	struct pgc *probe;		/* the one connection that retries */
	char why[512];			/* the latest failure, one line */
	char logged_why[512];		/* the failure last logged */
	struct event *timer;		/* the next reminder */
	struct timespec last_loss;	/* a lost connection last logged */
};

struct db {
	struct pgc *conns;		/* pool + listener at [n] */
	int n;				/* pool size */
	struct db_queue_head queue;	/* waiting for a connection */
	struct db_queue_head bg_queue;	/* background: after the queue */
	int bg_busy;			/* background queries running */
	int last_bg;			/* the last query handed out was background */
	struct event *sweep;		/* fails queries that waited too long */
	struct event *refuse;		/* fails the queue: db unreachable */
	struct event *again;		/* hands out reads queued again */
	unsigned long gens;		/* connections made so far */
	char channel[64];
	char *options;			/* the conninfo's options + our own */
	void (*on_notify)(const char *);
	void (*on_ready)(void);
	int stopping;
	long long connect_timeout_ms;	/* DB_CONNECT_TIMEOUT_MS */
	struct db_outage out;
};

/* db_set_owner_gone: an owner's queued queries are of no use any more */
static int (*owner_gone)(const void *owner);
static int64_t (*owner_user)(const void *owner);

static void pgc_start(struct pgc *c);
static void pgc_on_socket(evutil_socket_t fd, short what, void *arg);
static void db_pump(void);
static void pgc_warm_up(struct pgc *c);

/* Re-registers the socket event (the fd may change after reconnects). */
static void
pgc_arm(struct pgc *c, short what)
{
	int fd = PQsocket(c->conn);

	if (c->ev != NULL && fd != c->fd) {
		event_free(c->ev);
		c->ev = NULL;
	}
	if (c->ev == NULL)
		c->ev = event_new(srv.base, fd, what | EV_PERSIST,
		    pgc_on_socket, c);
	else {
		event_del(c->ev);
		event_assign(c->ev, srv.base, fd, what | EV_PERSIST,
		    pgc_on_socket, c);
	}
	c->fd = fd;
	event_add(c->ev, NULL);
}

static void
query_free(struct db_query *q)
{
	int i;

	for (i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->sql);
	free(q);
}

/* A query not yet queued or sent; the parameters are copied. */
static struct db_query *
query_new(const char *sql, int nparams, const char *const *params,
    db_result_fn fn, void *arg, int background)
{
	struct db_query *q;
	int i;

	if (nparams > DB_MAX_PARAMS)
		fatalx("db_call: %d parameters", nparams);
	q = xcalloc(1, sizeof *q);
	q->sql = xstrdup(sql);
	q->nparams = nparams;
	for (i = 0; i < nparams; i++)
		q->params[i] = params[i] ? xstrdup(params[i]) : NULL;
	q->fn = fn;
	q->arg = arg;
	q->background = background;
	return q;
}

/* Completes q with an error result. */
static void
query_fail_as(struct db_query *q, Tafel__ErrorCode code, const char *msg,
    int lost)
{
	struct db_result r;

	memset(&r, 0, sizeof r);
	r.code = code;
	r.lost = lost;
	snprintf(r.message, sizeof r.message, "%s", msg);
	q->fn(q->arg, &r);
	query_free(q);
}

static void
query_fail(struct db_query *q, Tafel__ErrorCode code, const char *msg)
{
	query_fail_as(q, code, msg, 0);
}

const char *
db_result_why(const struct db_result *r)
{
	return r->lost ? "the database connection was lost while it ran" :
	    r->message;
}

/*
 * A full disk (SQLSTATE 53100), logged loudly but at most once per 10 s:
 * the first refusal of an episode at once, then every 10 s the refusals
 * counted meanwhile.  Once 10 s pass without any, the episode is over only
 * if the data directory's file system has room again (the embedded
 * cluster's; with an external database only the refusals can tell): no
 * refusal may just mean nobody wrote.  While it is still below
 * PGEMBED_DISK_LOW that is said once at WARN and the episode goes on,
 * checked every 10 s.
 */
static time_t disk_full_last;		/* last line; 0: no episode */
static time_t disk_full_latest;		/* the latest refusal */
static unsigned long disk_full_counted;	/* refusals since the last line */
static int disk_full_warned;		/* "still low" said since a refusal */
static struct event *disk_full_ev;

/* Free bytes where the embedded cluster lives; -1: unknown or external. */
static long long
disk_full_free(void)
{
	unsigned long long avail, total;

	if (srv.cfg.db[0] != '\0' ||
	    pgembed_disk_space(srv.data_dir, &avail, &total) != 0)
		return -1;
	return (long long)avail;
}

static void
disk_full_tick(evutil_socket_t fd, short what, void *arg)
{
	struct timeval tv = { 10, 0 };
	time_t now = time(NULL);
	long long avail;
	char at[32];
	struct tm tm;

	(void)fd;
	(void)what;
	(void)arg;
	if (disk_full_counted > 0) {
		log_error("DISK FULL: %lu more writes refused in the %lld s "
		    "before", disk_full_counted,
		    (long long)(now - disk_full_last));
		disk_full_counted = 0;
		disk_full_warned = 0;
		disk_full_last = now;
		evtimer_add(disk_full_ev, &tv);
		return;
	}
	at[0] = '\0';
	if (gmtime_r(&disk_full_latest, &tm) != NULL)
		strftime(at, sizeof at, "%H:%M:%SZ", &tm);
	avail = disk_full_free();
	if (avail >= 0 && (unsigned long long)avail < PGEMBED_DISK_LOW) {
		if (!disk_full_warned)
			log_warn("DISK FULL: no write refused since %s, but only "
			    "%.1f MiB are free on %s (PostgreSQL needs %llu "
			    "MiB): free space there", at,
			    (double)avail / 1048576.0, srv.data_dir,
			    PGEMBED_DISK_LOW / 1048576);
		disk_full_warned = 1;
		evtimer_add(disk_full_ev, &tv);
		return;
	}
	log_info("DISK FULL: no write refused since %s; the database's "
	    "disk seems to have room again", at);
	disk_full_last = 0;
	disk_full_warned = 0;
}

time_t
db_disk_full_since(void)
{
	return disk_full_last != 0 ? disk_full_latest : 0;
}

static void
disk_full(const char *primary)
{
	struct timeval tv = { 10, 0 };
	time_t now = time(NULL);

	disk_full_latest = now;
	if (disk_full_last != 0) {
		disk_full_counted++;
		return;
	}
	log_error("DISK FULL: PostgreSQL cannot write (SQLSTATE 53100: %s); "
	    "writes are refused with DISK_FULL until space is freed on the "
	    "database's file system", primary ? primary : "?");
	disk_full_last = now;
	disk_full_counted = 0;
	if (disk_full_ev == NULL && srv.base != NULL)
		disk_full_ev = evtimer_new(srv.base, disk_full_tick, NULL);
	if (disk_full_ev != NULL)
		evtimer_add(disk_full_ev, &tv);
}

/* Maps a failed result to an error code and message. */
static void
result_error(PGresult *res, struct db_result *r)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);

	if (state != NULL && strncmp(state, "TF", 2) == 0) {
		r->code = (Tafel__ErrorCode)atoi(state + 2);
		snprintf(r->message, sizeof r->message, "%s",
		    primary ? primary : "refused");
		snprintf(r->field, sizeof r->field, "%s", hint ? hint : "");
		if (detail != NULL && detail[0] != '\0')
			r->detail = xstrdup(detail);
		return;
	}
	if (state != NULL && strcmp(state, "53100") == 0) {
		disk_full(primary);
		r->code = TAFEL__ERROR_CODE__DISK_FULL;
		/* a write, or a read that records what it shows (the audit);
		 * the generic reads say so themselves (req_db_error) */
		snprintf(r->message, sizeof r->message, "the database's disk is "
		    "full: nothing was stored (a write was not applied: retry "
		    "it later with the same idempotency key; a read is refused "
		    "when its read audit cannot be stored)");
		return;
	}
	log_error("database: %s (SQLSTATE %s)", primary ? primary : "?",
	    state ? state : "?");
	if (state != NULL && (strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)) {
		r->code = TAFEL__ERROR_CODE__OVERLOADED;
		snprintf(r->message, sizeof r->message, "concurrent update; "
		    "retry with the same idempotency key");
	} else if (state != NULL && strncmp(state, "23", 2) == 0) {
		r->code = TAFEL__ERROR_CODE__INVALID_ARGUMENT;
		snprintf(r->message, sizeof r->message, "rejected by the "
		    "register's integrity rules: %s", primary ? primary : "");
	} else {
		r->code = TAFEL__ERROR_CODE__INTERNAL;
		snprintf(r->message, sizeof r->message, "internal database "
		    "error");
	}
}

/* Delivers the finished query's result. */
static void
pgc_complete(struct pgc *c)
{
	struct db_query *q = c->query;
	struct db_result r;
	PGresult *taken;

	c->query = NULL;
	if (q->background)
		srv.db->bg_busy--;
	memset(&r, 0, sizeof r);
	if (c->result == NULL) {
		r.code = TAFEL__ERROR_CODE__INTERNAL;
		snprintf(r.message, sizeof r.message, "no result");
	} else if (PQresultStatus(c->result) == PGRES_TUPLES_OK ||
	    PQresultStatus(c->result) == PGRES_COMMAND_OK) {
		r.res = c->result;
	} else
		result_error(c->result, &r);
	taken = r.res;
	q->fn(q->arg, &r);
	free(r.detail);
	/* fn may have taken a successful result over (set r.res to NULL). */
	if (taken == NULL || r.res != NULL)
		PQclear(c->result);
	c->result = NULL;
	query_free(q);
}

static void db_refuse_arm(void);

/* libpq's message on one line: its line breaks and indents as blanks. */
static void
one_line(const char *msg, char *out, size_t len)
{
	size_t n = 0;

	for (; *msg != '\0' && n + 1 < len; msg++) {
		if (*msg == '\n' || *msg == '\r' || *msg == '\t') {
			if (n > 0 && out[n - 1] != ' ')
				out[n++] = ' ';
			continue;
		}
		if (*msg == ' ' && n > 0 && out[n - 1] == ' ')
			continue;
		out[n++] = *msg;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static long long
ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* A duration for the log: "42 s", "3 min 5 s", "2 h 10 min". */
static void
say_duration(long long ms, char *out, size_t len)
{
	long long s = (ms + 500) / 1000;

	if (s < 60)
		snprintf(out, len, "%lld s", s);
	else if (s < 3600)
		snprintf(out, len, "%lld min %lld s", s / 60, s % 60);
	else
		snprintf(out, len, "%lld h %lld min", s / 3600, s / 60 % 60);
}

/* The reminders' schedule: seconds after the outage began. */
static long long
outage_reminder_at(int i)
{
	static const long long at[] = { 10, 30, 60 };

	if (i < (int)(sizeof at / sizeof at[0]))
		return at[i];
	return 60 + 300LL * (i - 2);	/* then every 5 min */
}

static void
outage_arm(struct db_outage *o)
{
	long long ms = outage_reminder_at(o->reminders) * 1000 -
	    ms_since(&o->since);
	struct timeval tv;

	if (ms < 0)
		ms = 0;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(o->timer, &tv);
}

/*
 * "14 failed attempts by the 5 connections together": the count covers
 * every pool connection and the LISTEN one, each on its own backoff, so
 * it grows faster than one connection's 1, 2, 4, ... s would suggest.
 */
static void
outage_attempts(const struct db_outage *o, char *buf, size_t len)
{
	int conns = srv.db->n + 1;

	snprintf(buf, len, "%lu failed attempt%s by the %d connection%s%s",
	    o->failures, o->failures == 1 ? "" : "s", conns,
	    conns == 1 ? "" : "s", conns == 1 ? "" : " together");
}

static void
outage_remind_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_outage *o = arg;
	char dur[64], tries[96];

	(void)fd;
	(void)what;
	if (!o->down)
		return;
	say_duration(ms_since(&o->since), dur, sizeof dur);
	outage_attempts(o, tries, sizeof tries);
	if (strcmp(o->why, o->logged_why) != 0) {
		log_warn("database still unreachable after %s (%s; now: %s)",
		    dur, tries, o->why);
		memcpy(o->logged_why, o->why, sizeof o->why);
	} else
		log_warn("database still unreachable after %s (%s)", dur,
		    tries);
	o->reminders++;
	outage_arm(o);
}

/*
 * Whether a pool connection other than c is up.  (Not the LISTEN one: it
 * sends nothing, so it may sit "up" on a database that answers no more.)
 */
static int
db_any_up(const struct pgc *c)
{
	for (int i = 0; i < srv.db->n; i++)
		if (&srv.db->conns[i] != c &&
		    (srv.db->conns[i].state == PGC_IDLE ||
		    srv.db->conns[i].state == PGC_BUSY))
			return 1;
	return 0;
}

/*
 * Logs what a lost connection or a failed attempt means: a lost connection
 * once per DB_LOSS_LOG_MS (a restart loses them all at once); a failed
 * attempt with another connection up once per connection until it gets
 * through; with none up, the database is unreachable: one line, then
 * reminders (struct db_outage).
 */
static void
pgc_note_failure(struct pgc *c, int was_connecting, const char *why)
{
	struct db_outage *o = &srv.db->out;
	char line[512];

	one_line(why, line, sizeof line);
	if (!was_connecting) {
		if (o->down || (o->last_loss.tv_sec != 0 &&
		    ms_since(&o->last_loss) < DB_LOSS_LOG_MS)) {
			log_debug("database connection %d%s lost: %s", c->index,
			    c->is_listener ? " (listen)" : "", line);
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &o->last_loss);
		log_warn("database connection %d%s lost: %s", c->index,
		    c->is_listener ? " (listen)" : "", line);
		return;
	}
	memcpy(o->why, line, sizeof o->why);
	if (o->down) {
		o->failures++;
		return;
	}
	if (db_any_up(c)) {
		if (!c->failing)
			log_warn("database connection %d%s cannot connect "
			    "(others are up; retrying): %s", c->index,
			    c->is_listener ? " (listen)" : "", line);
		c->failing = 1;
		return;
	}
	o->down = 1;
	o->failures = 1;
	o->reminders = 0;
	o->probe = c;
	/* it began with the lost connections just before, if any */
	if (o->last_loss.tv_sec != 0 && ms_since(&o->last_loss) <
	    DB_LOSS_LOG_MS)
		o->since = o->last_loss;
	else
		clock_gettime(CLOCK_MONOTONIC, &o->since);
	memcpy(o->logged_why, line, sizeof o->logged_why);
	log_error("database unreachable, retrying (requests get "
	    "DATABASE_UNAVAILABLE until it is back; reminders after 10 s, "
	    "30 s, 1 min, then every 5 min): %s", line);
	outage_arm(o);
	/* the requests waiting for a connection wait no more than that */
	db_refuse_arm();
}

/* The connection broke: fail its query, schedule a reconnect. */
static void
pgc_lost(struct pgc *c, const char *why)
{
	struct timeval tv;
	long long jitter;
	int timed_out = c->timed_out;

	c->timed_out = 0;
	if (c->state != PGC_BACKOFF && c->state != PGC_STOPPED &&
	    !srv.db->stopping)
		pgc_note_failure(c, c->state == PGC_CONNECTING, why);
	if (c->ev != NULL) {
		event_free(c->ev);	/* before PQfinish closes the fd */
		c->ev = NULL;
	}
	c->fd = -1;
	if (c->conn != NULL) {
		PQfinish(c->conn);
		c->conn = NULL;
	}
	if (c->result != NULL) {
		PQclear(c->result);
		c->result = NULL;
	}
	if (c->query != NULL) {
		struct db_query *q = c->query;
		c->query = NULL;
		if (q->background)
			srv.db->bg_busy--;
		if (q->read && !timed_out && !srv.db->stopping &&
		    ++q->tries < DB_READ_TRIES) {
			/* a read is run again, first in line, on a
			 * connection made since: a restart (or
			 * pg_terminate_backend) ends the others too, one
			 * by one, and some may not be seen gone yet */
			struct timeval now = { 0, 0 };

			q->after = srv.db->gens;
			TAILQ_INSERT_HEAD(&srv.db->queue, q, entry);
			evtimer_add(srv.db->again, &now);
		} else
			query_fail_as(q, TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE,
			    q->read ? "the database connection was lost while "
			    "running this request; try again shortly" :
			    "the database connection was lost while running "
			    "this request; it may or may not have been applied: "
			    "retry with the same idempotency key", 1);
	}
	c->listen_sent = 0;
	c->checking = 0;
	if (srv.db->stopping) {
		c->state = PGC_STOPPED;
		return;
	}
	c->state = PGC_BACKOFF;
	if (srv.db->out.down && srv.db->out.probe != c)
		return;		/* the probe retries; db_wake_backoff wakes it */
	c->backoff_ms = c->backoff_ms ? c->backoff_ms * 2 : DB_BACKOFF_MIN_MS;
	if (c->backoff_ms > DB_BACKOFF_MAX_MS)
		c->backoff_ms = DB_BACKOFF_MAX_MS;
	jitter = random() % (c->backoff_ms / 2 + 1);
	tv.tv_sec = (c->backoff_ms + jitter) / 1000;
	tv.tv_usec = ((c->backoff_ms + jitter) % 1000) * 1000;
	evtimer_add(c->timer, &tv);
}

static void
pgc_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pgc_start(arg);
}

static void
pgc_notice(void *arg, const char *message)
{
	(void)arg;
	log_debug("database notice: %s", message);
}

static void
pgc_start(struct pgc *c)
{
	/* the conninfo whole (expanded as dbname), then our options */
	const char *const keys[] = { "dbname", "options", NULL };
	const char *const values[] = { srv.conninfo, srv.db->options, NULL };

	c->state = PGC_CONNECTING;
	event_base_gettimeofday_cached(srv.base, &c->connecting);
	c->conn = PQconnectStartParams(keys, values, 1);
	if (c->conn == NULL || PQstatus(c->conn) == CONNECTION_BAD) {
		pgc_lost(c, c->conn ? PQerrorMessage(c->conn) :
		    "out of memory");
		return;
	}
	PQsetNoticeProcessor(c->conn, pgc_notice, NULL);
	c->fd = -1;
	pgc_arm(c, EV_WRITE);
}

/*
 * After sending a statement: pushes out what libpq buffered and waits for
 * the answer, and for writability too while output remains (pgc_on_socket
 * flushes the rest).
 */
static void
pgc_flush_and_arm(struct pgc *c)
{
	int r = PQflush(c->conn);

	if (r < 0) {
		pgc_lost(c, PQerrorMessage(c->conn));
		return;
	}
	pgc_arm(c, r == 1 ? EV_READ | EV_WRITE : EV_READ);
}

/* Sends q on idle connection c. */
static void
pgc_send(struct pgc *c, struct db_query *q)
{
	c->query = q;
	c->state = PGC_BUSY;
	event_base_gettimeofday_cached(srv.base, &c->sent);
	if (!PQsendQueryParams(c->conn, q->sql, q->nparams, NULL,
	    (const char *const *)q->params, NULL, NULL, 0)) {
		pgc_lost(c, PQerrorMessage(c->conn));
		return;
	}
	pgc_flush_and_arm(c);
}

/* The listener just connected: LISTEN, then tell the owner to catch up. */
static void
listener_ready(struct pgc *c)
{
	char *chan, *sql;

	chan = PQescapeIdentifier(c->conn, srv.db->channel,
	    strlen(srv.db->channel));
	if (chan == NULL) {
		pgc_lost(c, PQerrorMessage(c->conn));
		return;
	}
	sql = xasprintf("LISTEN %s", chan);
	PQfreemem(chan);
	if (!PQsendQuery(c->conn, sql)) {
		free(sql);
		pgc_lost(c, PQerrorMessage(c->conn));
		return;
	}
	free(sql);
	c->listen_sent = 1;
	event_base_gettimeofday_cached(srv.base, &c->heard);
	c->state = PGC_BUSY;
	pgc_flush_and_arm(c);	/* a failed flush now counts as lost, as in pgc_send */
}

/*
 * One connection got through, so the database is back: every connection
 * still sitting out its backoff (the LISTEN one above all: live
 * subscribers see nothing until it is back) reconnects now instead of
 * waiting up to DB_BACKOFF_MAX_MS.
 */
static void
db_wake_backoff(const struct pgc *ok)
{
	struct db *db = srv.db;
	struct db_outage *o = &db->out;
	int i, woken = 0, was_down = o->down;
	char dur[64], tries[96];

	/* first: a connection started below may fail at once */
	if (was_down) {
		say_duration(ms_since(&o->since), dur, sizeof dur);
		outage_attempts(o, tries, sizeof tries);
		o->down = 0;
		o->probe = NULL;
		evtimer_del(o->timer);
	}
	for (i = 0; i <= db->n; i++) {
		struct pgc *c = &db->conns[i];

		if (c == ok || c->state != PGC_BACKOFF)
			continue;
		evtimer_del(c->timer);
		woken++;
	}
	if (was_down)
		log_info("database reachable again after %s (%s): "
		    "reconnecting %d other connection%s now", dur, tries,
		    woken, woken == 1 ? "" : "s");
	else if (woken > 0)
		log_info("database reachable again (connection %d%s): "
		    "reconnecting %d other connection%s now", ok->index,
		    ok->is_listener ? ", listen" : "", woken,
		    woken == 1 ? "" : "s");
	o->failures = 0;
	for (i = 0; i <= db->n; i++) {
		struct pgc *c = &db->conns[i];

		if (c != ok && c->state == PGC_BACKOFF)
			pgc_start(c);
	}
}

static void
pgc_on_connected(struct pgc *c)
{
	PQsetnonblocking(c->conn, 1);
	c->backoff_ms = 0;
	c->state = PGC_IDLE;
	c->gen = ++srv.db->gens;
	if (c->failing && !srv.db->out.down)
		log_info("database connection %d%s connected again", c->index,
		    c->is_listener ? " (listen)" : "");
	c->failing = 0;
	db_wake_backoff(c);
	log_debug("database connection %d%s ready", c->index,
	    c->is_listener ? " (listen)" : "");
	if (c->is_listener) {
		if (srv.db->channel[0] != '\0')
			listener_ready(c);
		else
			pgc_arm(c, EV_READ);
		return;
	}
	if (srv.cfg.db_warm_up) {
		pgc_warm_up(c);	/* the pump runs when it is answered */
		return;
	}
	pgc_arm(c, EV_READ);
	db_pump();
}

/* The warm-up's answer (or its failure); the connection serves either way. */
static void
pgc_warm_done(void *arg, struct db_result *r)
{
	struct pgc *c = arg;
	struct timeval now;
	long long ms;

	if (srv.db->stopping)
		return;
	if (r->res == NULL || PQntuples(r->res) != 1) {
		log_warn("database connection %d: warm-up failed (it serves "
		    "cold): %s", c->index, r->message);
		return;
	}
	gettimeofday(&now, NULL);
	ms = (long long)(now.tv_sec - c->warm_start.tv_sec) * 1000 +
	    (now.tv_usec - c->warm_start.tv_usec) / 1000;
	/* at info once: after a reconnect the outage's lines say enough */
	if (c->warmed)
		log_debug("database connection %d warmed up in %lld ms (%s "
		    "renderings)", c->index, ms, PQgetvalue(r->res, 0, 0));
	else
		log_info("database connection %d warmed up in %lld ms (%s "
		    "renderings)", c->index, ms, PQgetvalue(r->res, 0, 0));
	c->warmed = 1;
}

/*
 * A new pool connection first builds a snapshot and renders a change
 * (tafel_warm_up, 70_push.sql), so that the planning and catalogue reads
 * of its first statements (some 50 ms) fall before any client's request
 * instead of into it.  It is the connection's first query, busy like any
 * other (a failed send loses the connection, as for any query).
 */
static void
pgc_warm_up(struct pgc *c)
{
	gettimeofday(&c->warm_start, NULL);
	pgc_send(c, query_new("SELECT tafel_warm_up()", 0, NULL,
	    pgc_warm_done, c, 0));
}

/* Reads whatever arrived: results and notifications. */
static void
pgc_read(struct pgc *c)
{
	PGresult *res;
	PGnotify *n;

	if (!PQconsumeInput(c->conn)) {
		pgc_lost(c, PQerrorMessage(c->conn));
		return;
	}
	while (c->state == PGC_BUSY && !PQisBusy(c->conn)) {
		res = PQgetResult(c->conn);
		if (res == NULL) {
			/* statement finished */
			c->state = PGC_IDLE;
			if (c->is_listener && c->checking) {
				c->checking = 0;	/* alive: nothing missed */
			} else if (c->is_listener) {
				if (srv.db->on_ready != NULL)
					srv.db->on_ready();
			} else {
				pgc_complete(c);
				db_pump();
			}
			break;
		}
		if (c->is_listener) {
			if (PQresultStatus(res) == PGRES_FATAL_ERROR ||
			    (!c->checking &&
			    PQresultStatus(res) != PGRES_COMMAND_OK))
				log_error("%s failed: %s", c->checking ?
				    "the LISTEN connection's check" : "LISTEN",
				    PQresultErrorMessage(res));
			PQclear(res);
			continue;
		}
		/* Keep the first error, or else the last result. */
		if (c->result == NULL ||
		    (PQresultStatus(c->result) != PGRES_FATAL_ERROR)) {
			PQclear(c->result);
			c->result = res;
		} else
			PQclear(res);
	}
	if (c->is_listener && c->conn != NULL) {
		event_base_gettimeofday_cached(srv.base, &c->heard);
		while ((n = PQnotifies(c->conn)) != NULL) {
			if (srv.db->on_notify != NULL)
				srv.db->on_notify(n->extra);
			PQfreemem(n);
		}
	}
}

static void
pgc_on_socket(evutil_socket_t fd, short what, void *arg)
{
	struct pgc *c = arg;
	int r;

	(void)fd;
	if (c->state == PGC_CONNECTING) {
		switch (PQconnectPoll(c->conn)) {
		case PGRES_POLLING_READING:
			pgc_arm(c, EV_READ);
			return;
		case PGRES_POLLING_WRITING:
			pgc_arm(c, EV_WRITE);
			return;
		case PGRES_POLLING_OK:
			pgc_on_connected(c);
			return;
		default:
			pgc_lost(c, PQerrorMessage(c->conn));
			return;
		}
	}
	if (c->conn == NULL)
		return;
	if (what & EV_WRITE) {
		r = PQflush(c->conn);
		if (r < 0) {
			pgc_lost(c, PQerrorMessage(c->conn));
			return;
		}
		if (r == 0)
			pgc_arm(c, EV_READ);
	}
	if (what & EV_READ)
		pgc_read(c);
}

/*
 * Background queries may hold all but one of the pool's connections, so a
 * client's request never waits behind a burst of push renderings.
 */
static int
bg_limit(const struct db *db)
{
	return db->n > 1 ? db->n - 1 : 1;
}

/* Whether two queries take the same turns: one user's, or one owner's. */
static int
same_turns(const struct db_query *a, const struct db_query *b)
{
	return a->user != 0 ? a->user == b->user :
	    b->user == 0 && a->owner == b->owner;
}

/*
 * Clients' reads may hold all but one of the pool's connections, so a
 * write (the chair's step) or a push rendering never waits behind reads:
 * a few accounts asking for a 4 MB case each (250 ms of PostgreSQL) took
 * every connection, and the chair's write waited for them.
 */
static int
read_limit(const struct db *db)
{
	return db->n > 1 ? db->n - 1 : 1;
}

static int
db_reads_running(const struct db *db)
{
	int n = 0;

	for (int i = 0; i < db->n; i++)
		n += db->conns[i].state == PGC_BUSY &&
		    db->conns[i].query != NULL && db->conns[i].query->read;
	return n;
}

/* How many queries taking q's turns run now. */
static int
db_running(const struct db *db, const struct db_query *q)
{
	int n = 0;

	for (int i = 0; i < db->n; i++)
		n += db->conns[i].state == PGC_BUSY &&
		    db->conns[i].query != NULL &&
		    same_turns(db->conns[i].query, q);
	return n;
}

static int
db_idle(const struct db *db)
{
	int n = 0;

	for (int i = 0; i < db->n; i++)
		n += db->conns[i].state == PGC_IDLE;
	return n;
}

/* A queued query whose owner's connection has gone (db_set_owner_gone). */
static int
query_orphaned(const struct db_query *q)
{
	return q->owner != NULL && owner_gone != NULL && owner_gone(q->owner);
}

/* How far down the queue db_pick looks for a fairer turn. */
#define DB_PICK_SCAN 256

/*
 * The next request to run on c: the oldest whose user (or owner, db_call_owned)
 * has none running, else the oldest of the user with fewest running.  So
 * one client pipelining many requests takes the pool only while nobody
 * else waits: another client's request goes before its queue.  A user
 * with half the pool (rounded up) running gets another connection only
 * while one more stays idle: so one account over many connections leaves
 * a connection for the next request of anyone else.  Clients' reads
 * (db_call_read) go by the same rules within all but one connection
 * (read_limit), which stays for writes.  Queries without an owner count
 * as their own.  A read lost with its connection runs again only on a
 * connection made since (pgc_lost).  NULL: none may run now on c.
 */
static struct db_query *
db_pick(const struct db *db, const struct pgc *c)
{
	struct db_query *q, *best = NULL;
	int scanned = 0, best_n = 0, n, cap = (db->n + 1) / 2;
	int spare = db_idle(db) - 1;	/* idle once this one is taken */
	/* the same for reads, within their limit */
	int read_room = read_limit(db) - db_reads_running(db);
	int read_spare = read_room - 1 < spare ? read_room - 1 : spare;

	TAILQ_FOREACH(q, &db->queue, entry) {
		if (query_orphaned(q))
			continue;	/* never sent: the sweep fails it */
		if (q->read && read_room <= 0)
			continue;	/* the last connection is for writes */
		if (q->tries > 0 && c->gen <= q->after)
			continue;	/* lost: on a connection made since */
		if (q->owner == NULL || (n = db_running(db, q)) == 0)
			return q;
		if ((n < cap || (q->read ? read_spare : spare) >= 1) &&
		    (best == NULL || n < best_n))
			best = q, best_n = n;
		if (++scanned == DB_PICK_SCAN)
			break;
	}
	return best;
}

/*
 * Hands queued queries to idle connections: the clients' requests first,
 * then the background lane (the push's renderings) in what is left.  But
 * the background lane always gets one connection when it has work and none
 * running: otherwise a steady queue of requests (one client pipelining
 * writes is enough) holds back every live event until the queue drains.
 */
static void
db_pump(void)
{
	struct db *db = srv.db;
	struct db_query *q;
	int i;

	for (i = 0; i < db->n; i++) {
		if (db->conns[i].state != PGC_IDLE)
			continue;
		if (db->bg_busy == 0 && (db->n > 1 || !db->last_bg) &&
		    (q = TAILQ_FIRST(&db->bg_queue)) != NULL) {
			/* the lane's one connection (a pool of one: every
			 * other turn) */
			TAILQ_REMOVE(&db->bg_queue, q, entry);
			db->bg_busy++;
		} else if ((q = db_pick(db, &db->conns[i])) != NULL)
			TAILQ_REMOVE(&db->queue, q, entry);
		else if (db->bg_busy < bg_limit(db) &&
		    (q = TAILQ_FIRST(&db->bg_queue)) != NULL) {
			TAILQ_REMOVE(&db->bg_queue, q, entry);
			db->bg_busy++;
		} else
			break;
		db->last_bg = q->background;
		pgc_send(&db->conns[i], q);
	}
}

/*
 * Fails the queries of one queue that have waited too long, and those
 * whose connection has gone (never sent: not run, not audited, a write
 * not applied; its answer could not be delivered anyway).
 */
/* Requests refused for a busy pool since the last line saying so. */
static int busy_refused;
static time_t busy_logged;

static void
db_sweep_queue(struct db_queue_head *queue, const struct timeval *now)
{
	struct db_query *q, *next;
	struct timeval age;

	TAILQ_FOREACH_SAFE(q, queue, entry, next) {
		if (query_orphaned(q)) {
			TAILQ_REMOVE(queue, q, entry);
			query_fail(q, TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE,
			    "the connection closed before this request ran; "
			    "it was not run");
			continue;
		}
		timersub(now, &q->queued, &age);
		if (age.tv_sec * 1000 + age.tv_usec / 1000 < DB_QUEUE_TIMEOUT_MS)
			continue;
		TAILQ_REMOVE(queue, q, entry);
		if (db_ready_count() == 0) {
			query_fail(q, TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE,
			    "the database is not reachable; try again shortly");
			continue;
		}
		/* the database is there, every connection busy */
		busy_refused++;
		query_fail(q, TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE,
		    "the server is busy: no database connection was free "
		    "for 5 s; try again shortly");
	}
	if (busy_refused > 0 && now->tv_sec - busy_logged >= 10) {
		log_warn("database pool busy: %d request(s) refused after "
		    "waiting 5 s for one of its %d connections (all busy; "
		    "tafelctl status shows the pool)", busy_refused,
		    srv.db->n);
		busy_refused = 0;
		busy_logged = now->tv_sec;
	}
}

/*
 * Gives up the connections whose request has run longer than
 * db_query_timeout: a database that hangs (or a path to it that went
 * silent) neither answers nor refuses, and the request would wait for
 * ever.  The query fails as a lost connection does (DATABASE_UNAVAILABLE,
 * "may or may not have been applied": the client retries with the same
 * key), and the connection is made again.  The push lane's work (its
 * renderings) is timed alike: a rendering that hangs held its lane's
 * connection, and every later change of this node, for ever.
 */
static void
db_sweep_running(const struct timeval *now)
{
	struct timeval age;
	char why[96];

	if (srv.cfg.db_query_timeout <= 0)
		return;
	for (int i = 0; i < srv.db->n; i++) {
		struct pgc *c = &srv.db->conns[i];

		if (c->state != PGC_BUSY || c->query == NULL)
			continue;
		timersub(now, &c->sent, &age);
		if (age.tv_sec * 1000LL + age.tv_usec / 1000 <
		    srv.cfg.db_query_timeout)
			continue;
		snprintf(why, sizeof why, "no answer to a request in %lld ms "
		    "(db_query_timeout)", srv.cfg.db_query_timeout);
		c->timed_out = 1;	/* a read too: not run again */
		pgc_lost(c, why);	/* reconnects after its backoff */
	}
}

/* The LISTEN connection's check (DB_LISTEN_CHECK_MS): asked after a
 * quiet while, given up when the answer does not come. */
static void
db_sweep_listener(const struct timeval *now)
{
	struct pgc *l = &srv.db->conns[srv.db->n];
	struct timeval age;
	long long ms;
	char why[96];

	if (!l->listen_sent || l->conn == NULL ||
	    (l->state != PGC_IDLE && !(l->state == PGC_BUSY && l->checking)))
		return;
	timersub(now, &l->heard, &age);
	ms = age.tv_sec * 1000LL + age.tv_usec / 1000;
	if (l->state == PGC_BUSY) {
		if (ms < 3 * DB_LISTEN_CHECK_MS)
			return;
		snprintf(why, sizeof why, "no answer to its check in %d s",
		    2 * DB_LISTEN_CHECK_MS / 1000);
		pgc_lost(l, why);	/* reconnects, LISTENs, catches up */
		return;
	}
	if (ms < DB_LISTEN_CHECK_MS)
		return;
	if (!PQsendQuery(l->conn, DB_LISTEN_CHECK_SQL)) {
		pgc_lost(l, PQerrorMessage(l->conn));
		return;
	}
	l->checking = 1;
	l->state = PGC_BUSY;
	pgc_flush_and_arm(l);
}

/* Gives up connection attempts unanswered for connect_timeout_ms. */
static void
db_sweep_connecting(const struct timeval *now)
{
	struct timeval age;
	char why[96];

	for (int i = 0; i <= srv.db->n; i++) {
		struct pgc *c = &srv.db->conns[i];

		if (c->state != PGC_CONNECTING)
			continue;
		timersub(now, &c->connecting, &age);
		if (age.tv_sec * 1000LL + age.tv_usec / 1000 <
		    srv.db->connect_timeout_ms)
			continue;
		snprintf(why, sizeof why, "no answer to connecting in %lld s "
		    "(connect_timeout)", srv.db->connect_timeout_ms / 1000);
		pgc_lost(c, why);	/* a failed attempt: retried */
	}
}

/*
 * While the database is unreachable (struct db_outage: an attempt to
 * reconnect failed with no connection up) no request waits longer than
 * until the outage is DB_QUEUE_TIMEOUT_MS old: then the requests waiting
 * for a connection are answered, and each one queued after is answered at
 * once, rather than each waiting out DB_QUEUE_TIMEOUT_MS of its own.  A
 * shorter outage (the embedded cluster restarted by pgwatch, a database
 * restarted by its administrator) is waited out as before, and the
 * requests meanwhile are served when it is back.  Run from the loop (a
 * timer, or event_active), never inside db_call, whose callers expect the
 * answer later; a callback that queues again is answered on the next
 * turn.  The background lane waits as before: the push retries by itself,
 * and would only log more.
 */
static void
db_refuse_arm(void)
{
	long long left = DB_QUEUE_TIMEOUT_MS - ms_since(&srv.db->out.since);
	struct timeval tv;

	if (left <= 0) {
		event_active(srv.db->refuse, EV_TIMEOUT, 0);
		return;
	}
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	event_add(srv.db->refuse, &tv);
}

static void
db_refuse_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_queue_head failing = TAILQ_HEAD_INITIALIZER(failing);
	struct db_query *q;

	(void)fd;
	(void)what;
	(void)arg;
	if (srv.db == NULL || srv.db->stopping || !srv.db->out.down)
		return;
	if (ms_since(&srv.db->out.since) < DB_QUEUE_TIMEOUT_MS) {
		db_refuse_arm();	/* not yet */
		return;
	}
	TAILQ_CONCAT(&failing, &srv.db->queue, entry);
	while ((q = TAILQ_FIRST(&failing)) != NULL) {
		TAILQ_REMOVE(&failing, q, entry);
		query_fail(q, TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE,
		    "the database is not reachable; try again shortly");
	}
}

/* A read lost with its connection was queued again (pgc_lost). */
static void
db_again_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (srv.db != NULL && !srv.db->stopping)
		db_pump();
}

/* Fails queries that have waited too long for a connection, or run too
 * long on one; gives up attempts to connect that hang. */
static void
db_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval now;

	(void)fd;
	(void)what;
	(void)arg;
	event_base_gettimeofday_cached(srv.base, &now);
	db_sweep_queue(&srv.db->queue, &now);
	db_sweep_queue(&srv.db->bg_queue, &now);
	db_sweep_running(&now);
	db_sweep_connecting(&now);
	db_sweep_listener(&now);
}

static void
db_enqueue(const char *sql, int nparams, const char *const *params,
    db_result_fn fn, void *arg, int background, const void *owner, int read)
{
	struct db_query *q = query_new(sql, nparams, params, fn, arg,
	    background);

	q->owner = owner;
	q->read = read;
	q->user = owner != NULL && owner_user != NULL ? owner_user(owner) : 0;
	if (srv.db == NULL || srv.db->stopping) {
		query_fail(q, TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE,
		    "the server is shutting down");
		return;
	}
	event_base_gettimeofday_cached(srv.base, &q->queued);
	TAILQ_INSERT_TAIL(background ? &srv.db->bg_queue : &srv.db->queue, q,
	    entry);
	if (!background && srv.db->out.down &&
	    ms_since(&srv.db->out.since) >= DB_QUEUE_TIMEOUT_MS)
		event_active(srv.db->refuse, EV_TIMEOUT, 0);
	db_pump();
}

void
db_call(const char *sql, int nparams, const char *const *params,
    db_result_fn fn, void *arg)
{
	db_enqueue(sql, nparams, params, fn, arg, 0, NULL, 0);
}

void
db_call_owned(const void *owner, const char *sql, int nparams,
    const char *const *params, db_result_fn fn, void *arg)
{
	db_enqueue(sql, nparams, params, fn, arg, 0, owner, 0);
}

void
db_call_read(const void *owner, const char *sql, int nparams,
    const char *const *params, db_result_fn fn, void *arg)
{
	db_enqueue(sql, nparams, params, fn, arg, 0, owner, 1);
}

void
db_set_owner_gone(int (*gone)(const void *owner))
{
	owner_gone = gone;
}

void
db_set_owner_user(int64_t (*user)(const void *owner))
{
	owner_user = user;
}

void
db_call_background(const char *sql, int nparams, const char *const *params,
    db_result_fn fn, void *arg)
{
	db_enqueue(sql, nparams, params, fn, arg, 1, NULL, 0);
}

void
db_listen(const char *channel, void (*on_notify)(const char *),
    void (*on_ready)(void))
{
	struct pgc *l = &srv.db->conns[srv.db->n];

	snprintf(srv.db->channel, sizeof srv.db->channel, "%s", channel);
	srv.db->on_notify = on_notify;
	srv.db->on_ready = on_ready;
	if (l->state == PGC_IDLE && !l->listen_sent)
		listener_ready(l);
}

/*
 * The backends' options: those the conninfo (or PGOPTIONS) gives, which a
 * second "options" keyword would replace, followed by the connection
 * check (DB_CONN_CHECK_MS).
 */
static char *
db_options(void)
{
	char *given = conninfo_value(srv.conninfo, "options"), *out;
	const char *opts = given != NULL ? given : getenv("PGOPTIONS");

	out = xasprintf("%s%s-c client_connection_check_interval=%d",
	    opts != NULL ? opts : "",
	    opts != NULL && *opts != '\0' ? " " : "", DB_CONN_CHECK_MS);
	free(given);
	return out;
}

/* connect_timeout of the conninfo or PGCONNECT_TIMEOUT (libpq: at least
 * 2 s; 0 or none: DB_CONNECT_TIMEOUT_MS), in ms. */
static long long
db_connect_timeout(void)
{
	char *given = conninfo_value(srv.conninfo, "connect_timeout");
	const char *t = given != NULL ? given : getenv("PGCONNECT_TIMEOUT");
	long long s = t != NULL ? strtoll(t, NULL, 10) : 0;

	free(given);
	if (s <= 0 || s > 86400)
		return DB_CONNECT_TIMEOUT_MS;
	return (s < 2 ? 2 : s) * 1000;
}

void
db_start(void)
{
	struct db *db = xcalloc(1, sizeof *db);
	struct timeval sweep = { 0, 250000 };
	int i;

	db->n = (int)srv.cfg.db_pool_size;
	db->conns = xcalloc((size_t)db->n + 1, sizeof *db->conns);
	TAILQ_INIT(&db->queue);
	TAILQ_INIT(&db->bg_queue);
	db->options = db_options();
	db->connect_timeout_ms = db_connect_timeout();
	db->out.timer = evtimer_new(srv.base, outage_remind_cb, &db->out);
	db->refuse = event_new(srv.base, -1, 0, db_refuse_cb, NULL);
	db->again = evtimer_new(srv.base, db_again_cb, NULL);
	srv.db = db;
	for (i = 0; i <= db->n; i++) {
		struct pgc *c = &db->conns[i];

		c->index = i;
		c->is_listener = (i == db->n);
		c->fd = -1;
		c->timer = evtimer_new(srv.base, pgc_retry_cb, c);
		pgc_start(c);
	}
	db->sweep = event_new(srv.base, -1, EV_PERSIST, db_sweep_cb, NULL);
	event_add(db->sweep, &sweep);
}

void
db_stop(void)
{
	struct db *db = srv.db;
	struct db_query *q;
	int i;

	if (db == NULL || db->stopping)
		return;
	db->stopping = 1;
	while ((q = TAILQ_FIRST(&db->queue)) != NULL ||
	    (q = TAILQ_FIRST(&db->bg_queue)) != NULL) {
		TAILQ_REMOVE(q->background ? &db->bg_queue : &db->queue, q,
		    entry);
		query_fail(q, TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE,
		    "the server is shutting down");
	}
	for (i = 0; i <= db->n; i++) {
		struct pgc *c = &db->conns[i];

		evtimer_del(c->timer);
		if (c->conn != NULL || c->query != NULL)
			pgc_lost(c, "shutting down");
		c->state = PGC_STOPPED;
	}
	evtimer_del(db->out.timer);
	event_del(db->refuse);
	event_del(db->again);
	event_del(db->sweep);
}

void
db_free(void)
{
	struct db *db = srv.db;
	int i;

	if (db == NULL)
		return;
	db_stop();
	for (i = 0; i <= db->n; i++)
		event_free(db->conns[i].timer);
	event_free(db->sweep);
	event_free(db->refuse);
	event_free(db->again);
	event_free(db->out.timer);
	if (disk_full_ev != NULL) {
		event_free(disk_full_ev);
		disk_full_ev = NULL;
	}
	free(db->conns);
	free(db->options);
	free(db);
	srv.db = NULL;
}

int
db_unreachable(void)
{
	return srv.db != NULL && srv.db->out.down;
}

int
db_ready_count(void)
{
	int i, n = 0;

	for (i = 0; srv.db != NULL && i < srv.db->n; i++)
		if (srv.db->conns[i].state == PGC_IDLE ||
		    srv.db->conns[i].state == PGC_BUSY)
			n++;
	return n;
}

void
db_get_stats(struct db_stats *st)
{
	const struct db *db = srv.db;
	const struct db_query *q;
	int i;

	memset(st, 0, sizeof *st);
	if (db == NULL)
		return;
	st->size = db->n;
	for (i = 0; i < db->n; i++) {
		switch (db->conns[i].state) {
		case PGC_CONNECTING: st->connecting++; break;
		case PGC_IDLE: st->idle++; break;
		case PGC_BUSY: st->busy++; break;
		case PGC_BACKOFF: st->backoff++; break;
		case PGC_STOPPED: st->stopped++; break;
		}
	}
	TAILQ_FOREACH(q, &db->queue, entry)
		st->queued++;
	TAILQ_FOREACH(q, &db->bg_queue, entry)
		st->queued_background++;
	st->listener_up = (db->conns[db->n].state == PGC_IDLE ||
	    db->conns[db->n].state == PGC_BUSY) && db->conns[db->n].listen_sent;
}

void
db_ids_add(struct db_ids *ids, int64_t v)
{
	char num[32];
	size_t k = (size_t)snprintf(num, sizeof num, "%s%lld",
	    ids->n > 0 ? "," : "{", (long long)v);

	while (ids->len + k + 2 > ids->cap) {	/* room for "}" and NUL */
		ids->cap = ids->cap == 0 ? 64 : 2 * ids->cap;
		ids->s = xrealloc(ids->s, ids->cap);
	}
	memcpy(ids->s + ids->len, num, k);
	ids->len += k;
	ids->n++;
}

const char *
db_ids_text(struct db_ids *ids)
{
	if (ids->n == 0)
		return "{}";
	ids->s[ids->len] = '}';
	ids->s[ids->len + 1] = '\0';
	return ids->s;
}

void
db_ids_free(struct db_ids *ids)
{
	free(ids->s);
	ids->s = NULL;
	ids->len = ids->cap = ids->n = 0;
}
