/* tafel_bench: what the modes (fanout, busy, nodes, link, join, rate, heavy) share — statistics, clocks, users, the demo meeting, waiting for events. */
#ifndef TAFEL_BENCH_H
#define TAFEL_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "harness.h"

#define MAX_CLIENTS 2000

struct stats {
	long long p50, p99, max;
};

/* Sorts v and returns its p50/p99/max (in the unit given). */
struct stats stats_of(long long *v, size_t n);
long long now_us(void);
/* A field of /proc/<pid>/status in KiB (VmRSS); -1 when unknown. */
long status_kib(pid_t pid, const char *field);
/* Exits with a message unless m is an answer with this body. */
Tafel__Envelope *must(Tafel__Envelope *m, Tafel__Envelope__BodyCase body,
    const char *what);
/* "  label  p50 .. p99 .. max .." (v in microseconds), then the target. */
void print_stats(const char *label, long long *v, int n, const char *target);
void print_load(void);

/*
 * The server's own account of the push (`tafelctl status`: rendered and
 * sent p50/p99 of its last 100 changes), printed as one line.
 */
void print_push_timing(struct tafeld *t);
/* The line of `tafelctl status` that holds what ("join timing, "), as "  server: ...". */
void print_status_line(struct tafeld *t, const char *what);
/*
 * A write as tafel sends it: on DATABASE_UNAVAILABLE or OVERLOADED it waits
 * (retry_after_ms, else 200 ms) and sends it again with the same
 * idempotency key, for up to 60 s; *retries counts the repeats.  Exits
 * unless the answer has this body.
 */
Tafel__Envelope *bench_write(struct tclient *c, Tafel__Envelope__BodyCase body,
    void *msg, Tafel__Envelope__BodyCase want, const char *what, int *retries);
/* A fresh idempotency key; safe from several threads. */
const char *bench_key(char *buf, size_t len);

/* The server every mode starts (demo data), its chair and open meeting. */
extern struct tafeld srv;
/* The settings tafeld was started with (a restart uses them again). */
extern const char *const *bench_tafeld_args;
extern struct tclient chair;
extern int64_t meeting, items[2], chair_id, series_id;

/* Logs in the chair, opens the first planned meeting, learns two items. */
void open_meeting(void);
/*
 * The start of a new ad-hoc meeting: now, and a second later at each call,
 * since a series holds one meeting per instant (create_meeting refuses a
 * second one).
 */
int64_t bench_meeting_start(void);

/*
 * Creates users PREFIX1..PREFIXn spread over the member organisations of
 * the meeting's series, in one statement.  cheap = 0: the demo users'
 * password hash ("demo", Argon2id at the interactive limit) is copied;
 * cheap = 1: a hash of "demo" at libsodium's minimum cost, so that logging
 * in hundreds of clients takes seconds (the login itself is not measured).
 */
void bench_users(const char *prefix, int n, int cheap);
/*
 * Creates n new cases TAG-00001.. (TAG: four digits, a year no one uses,
 * each mode its own; join uses 2099; fields copied from the demo's cases,
 * each with two persons, its submitter's organisation and the demo chair's
 * involved: add_agenda_item takes only a case the chair knows of), in one
 * statement; their ids in order.  Meetings given cases of their own route
 * their changes to their own subscribers only (a case on several agendas
 * reaches every meeting's subscribers).
 */
void bench_cases(const char *tag, int n, int64_t *ids);
/* Logs in PREFIXk as c (password "demo"); exits on failure. */
void bench_login(struct tclient *c, struct tafeld *t, const char *prefix,
    int k);

/* Makes a logged-in client's socket non-blocking (for wait_events). */
void bench_nonblock(struct tclient *c);
/* Reads what a non-blocking client socket holds into its buffer; -1 at its end. */
int bench_pump(struct tclient *c);
/*
 * Waits until each of the n clients has received one event (clients whose
 * socket is non-blocking, read together with poll): arrive[k] = arrival time
 * (now_us) of client k's event.  Returns the number that got none within
 * timeout_ms.
 */
int wait_events(struct tclient **cs, int n, long long *arrive, int timeout_ms);

/*
 * A new open meeting of the demo series with n_items new cases on its
 * agenda and n_actions action points (tafel_bench_join.c); its id.
 */
int64_t big_meeting(int n_items, int n_actions);

/* The modes; each returns the process's exit status. */
int mode_fanout(int argc, char **argv);
int mode_busy(int argc, char **argv);
int mode_nodes(int argc, char **argv);
int mode_link(int argc, char **argv);
int mode_join(int argc, char **argv);
int mode_rate(int argc, char **argv);
int mode_heavy(int argc, char **argv);

#endif
