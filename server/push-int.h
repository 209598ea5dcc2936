/* Push internals shared by push.c (change-log tail, subscriptions) and push-deliver.c (per-viewer delivery). */
#ifndef TAFEL_PUSH_INT_H
#define TAFEL_PUSH_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "compat.h"
#include "tafel.pb-c.h"

struct conn;
struct req;
struct catch_up;

/* One change-log row, kept in the resume ring. */
struct change {
	uint64_t seq;
	int64_t meeting_id;		/* 0: not meeting-level */
	int64_t case_id;		/* 0: not case-level */
	int64_t *org_ids;		/* organisations whose action lists see it */
	size_t n_org_ids;
	Tafel__Event *event;		/* skeleton: routing data only */
};

/* Context of a subscription being set up. */
struct sub_setup {
	struct req *r;
	struct sub *s;		/* NULL once cancelled */
	uint64_t resume_from;
	struct sub_setup *next_waiting;	/* parked until the window is read */
	int64_t received_us;		/* the subscribe read (mono_us) */
	struct snapcache_entry *cached;	/* the join's candidate (snapcache.h) */
};

/* CLOCK_MONOTONIC in microseconds, for the timings status shows. */
static inline int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A session's interest in a meeting or in its organisation's actions. */
struct sub {
	uint64_t id;			/* unique in this process */
	struct conn *c;
	Tafel__SubscribeTopic topic;
	int64_t meeting_id;		/* TOPIC_MEETING */
	int live;			/* 0 while its snapshot or catch-up runs */
	int presentation;		/* shared-screen view of the meeting */
	int include_closed;		/* list topics: closed/decided stay */
	uint64_t seq;			/* last sequence number it reflects */
	int64_t *case_ids;		/* cases on the meeting's agenda */
	size_t n_case_ids;
	int64_t *earlier_ids;		/* the series' earlier meetings: their
					 * action points (the standing item) */
	size_t n_earlier_ids;
	int64_t series_id;		/* the meeting's series (series_watch) */
	int opened;			/* the meeting was opened (held) */
	struct sub_setup *setup;	/* snapshot query in flight, or NULL */
	struct catch_up *catch_up;	/* replay query in flight, or NULL */
	struct sub *next;		/* the session's list */
	TAILQ_ENTRY(sub) entry;		/* push.subs */
};

struct push {
	struct change *ring;		/* resume window, oldest at head */
	size_t cap, head, count;
	uint64_t last_seq;		/* newest row read */
	int loaded;			/* initial tail read done */
	int fetching;			/* a fetch is in flight */
	int again;			/* a notification came during it */
	struct event *retry;		/* re-reads after a failed read */
	TAILQ_HEAD(, sub) subs;
	uint64_t dispatched_seq;	/* newest change handed to delivery */
	uint64_t next_sub_id;
	uint64_t local;			/* changes taken from own writes */
};

extern struct push push;

/* The i-th change of the ring, oldest first. */
struct change *ring_at(size_t i);

/*
 * Position of the oldest ring change with seq >= the given one, or
 * push.count if none: a binary search (the ring's seqs strictly increase).
 */
size_t ring_search(uint64_t seq);

/* Does this change concern sub?  Also tracks the agenda's case set. */
int sub_wants(struct sub *s, const struct change *ch);

/* The record left the subscription's list (org actions, list topics). */
int change_gone(const struct sub *s, const struct change *ch);

/*
 * The records a list topic's events carry (LIST_*), or 0 for a topic that
 * takes the whole event (meeting, org actions).
 */
#define LIST_MEETING	0x1u
#define LIST_CASE	0x2u
#define LIST_NOMINATION	0x4u
unsigned sub_list_mask(const struct sub *s);

/* Is this topic one of the list topics? */
int topic_is_list(Tafel__SubscribeTopic topic);

/* Hands undelivered ring changes to the viewers that want them, in order. */
void deliver_pump(void);

/* Brings a new subscription up to date from the ring, then makes it live. */
void deliver_catch_up(struct sub *s);

/* The subscription is going away: its catch-up answer must not touch it. */
void deliver_forget(struct sub *s);

void deliver_start(void);

/* The delivery and join timing push_get_timing reports. */
void deliver_get_timing(struct push_timing *t);
/* A join answered: us from the subscribe read to the snapshot back from
 * the database, and to the answer written. */
void deliver_note_join(int64_t db_us, int64_t answered_us);
void deliver_free(void);

#endif
