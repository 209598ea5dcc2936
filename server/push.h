/* Live push: subscriptions, the change-log tail read via LISTEN/NOTIFY, fan-out and resume. */
#ifndef TAFEL_PUSH_H
#define TAFEL_PUSH_H

#include <stdint.h>

#include "tafel.pb-c.h"

struct conn;
struct request_handler;

/* Starts following the change log (LISTEN tafel_changes). */
void push_start(void);
void push_stop(void);
void push_free(void);

/* Request handlers (see dispatch-table.c). */
void push_subscribe(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);
void push_unsubscribe(struct conn *c, const Tafel__Envelope *env,
    const struct request_handler *h);

/* Drops every subscription of c (logout, disconnect). */
void push_unsubscribe_all(struct conn *c);

/* The newest change-log sequence number this server has read. */
uint64_t push_last_seq(void);

/* For `tafelctl status`: how far delivery is behind the change log. */
struct push_stats {
	uint64_t last_seq;		/* newest committed change read */
	uint64_t dispatched_seq;	/* newest handed to the subscribers */
	uint64_t local;			/* taken from this node's writes */
	size_t ring_count;		/* changes kept for resuming */
	unsigned subs, subs_live;	/* subscriptions; of which live */
};
void push_get_stats(struct push_stats *st);

/*
 * For `tafelctl status`: the last changes delivered (up to 100), from being
 * handed to the database until their rendering came back (render) and
 * until their events were written to the sockets (sent), in microseconds.
 */
struct push_timing {
	size_t changes;			/* sampled */
	int64_t render_p50_us, render_p99_us;
	int64_t sent_p50_us, sent_p99_us, sent_max_us;
	double viewers_avg;		/* connections per change */
	size_t in_flight;		/* changes rendering or waiting now */
	/*
	 * The last joins (up to 100: meeting subscriptions answered with a
	 * snapshot): from the subscribe read until the snapshot came back
	 * from the database (db), and until the answer was written to the
	 * socket (answered); microseconds.
	 */
	size_t joins;
	int64_t join_db_p50_us, join_db_p99_us;
	int64_t join_p50_us, join_p99_us, join_max_us;
};
void push_get_timing(struct push_timing *t);

/* One subscription as status shows it. */
struct push_sub_info {
	int meeting;			/* a meeting topic */
	int topic;			/* TAFEL__SUBSCRIBE_TOPIC__* */
	int64_t meeting_id;
	int live;			/* snapshot or catch-up done */
	int presentation;		/* shared-screen view */
	uint64_t seq;			/* newest change it reflects */
};
void push_foreach_sub(void (*fn)(void *arg, const struct push_sub_info *),
    void *arg);

#endif
