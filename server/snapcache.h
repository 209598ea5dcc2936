/* Join snapshots kept per class of viewers, served again after one check in the database. */
#ifndef TAFEL_SNAPCACHE_H
#define TAFEL_SNAPCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "tafel.pb-c.h"

/*
 * One kept snapshot: the answer tafel_snapshot_cached (60_read.sql)
 * rendered for a viewer of class key, with what the database needs to
 * tell whether it is still current (snap, at) and what its audit wrote
 * (entries).  Found by the meeting and by the organisation and role bits
 * of the session that caused it: a candidate only; the database decides
 * the class of every later viewer and whether nothing changed.
 * Reference-counted: a join waiting for its check holds one.
 */
struct snapcache_entry;

/*
 * The candidate for a join of meeting_id by a session of org_id with
 * these role bits (session.h), with a reference; NULL when none is kept
 * or the one kept is older than the change newest_seq (a change came
 * since, so it is stale) or than the cache's age limit.
 */
struct snapcache_entry *snapcache_find(int64_t meeting_id, int64_t org_id,
    unsigned roles, uint64_t newest_seq);

/* The parameters tafel_snapshot_cached takes from an entry. */
const char *snapcache_key(const struct snapcache_entry *e);
const char *snapcache_snap(const struct snapcache_entry *e);
const char *snapcache_at(const struct snapcache_entry *e);
const char *snapcache_entries(const struct snapcache_entry *e);

/* A fresh copy of the entry's SubscribeResponse (unfiltered); NULL if it does not unpack. */
Tafel__SubscribeResponse *snapcache_unpack(const struct snapcache_entry *e);

void snapcache_unref(struct snapcache_entry *e);

/*
 * Keeps resp (packed as it is: before any per-connection filtering) as
 * the snapshot of class key for sessions of org_id with these role bits,
 * replacing theirs for the meeting.  Fields longer than the cache takes
 * are not kept.
 */
void snapcache_store(int64_t meeting_id, int64_t org_id, unsigned roles,
    const char *key, const char *snap, const char *at, const char *entries,
    const Tafel__SubscribeResponse *resp);

/* A join answered from the cache (hit) or rendered (miss), for status. */
void snapcache_count(int hit);

struct snapcache_stats {
	uint64_t hits, misses;
	size_t entries, bytes;
};
void snapcache_get_stats(struct snapcache_stats *st);

/* Forgets every entry (shutdown); those still referenced go when released. */
void snapcache_clear(void);

#endif
