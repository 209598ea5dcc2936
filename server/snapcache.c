/* Join snapshots kept per class of viewers, served again after one check in the database. */
#include "snapcache.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmalloc.h"

#define SNAPCACHE_MAX_ENTRIES	64
#define SNAPCACHE_MAX_BYTES	(16u << 20)	/* packed snapshots in all */
#define SNAPCACHE_MAX_FIELD	(256u << 10)	/* snap or entries text */
/* Well under the database's own limit (an hour, tafel_unchanged_since). */
#define SNAPCACHE_MAX_AGE_S	600

struct snapcache_entry {
	int refs;			/* the table's one, and each join's */
	int64_t meeting_id, org_id;
	unsigned roles;
	char *key, *snap, *at, *entries;
	uint64_t seq;			/* the snapshot's newest change */
	uint8_t *packed;		/* the SubscribeResponse */
	size_t len;
	time_t stored;
	uint64_t used;			/* tick of the last find or store (LRU) */
};

static struct snapcache_entry *table[SNAPCACHE_MAX_ENTRIES];
static size_t n_table, bytes;
static uint64_t tick, hits, misses;

static time_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void
snapcache_unref(struct snapcache_entry *e)
{
	if (e == NULL || --e->refs > 0)
		return;
	free(e->key);
	free(e->snap);
	free(e->at);
	free(e->entries);
	free(e->packed);
	free(e);
}

/* Takes table[i] out of the table (a join holding it keeps it alive). */
static void
unlist(size_t i)
{
	struct snapcache_entry *e = table[i];

	bytes -= e->len;
	table[i] = table[--n_table];
	table[n_table] = NULL;
	snapcache_unref(e);
}

/* The slot of the entry for these sessions, or n_table. */
static size_t
slot_of(int64_t meeting_id, int64_t org_id, unsigned roles)
{
	size_t i;

	for (i = 0; i < n_table; i++)
		if (table[i]->meeting_id == meeting_id &&
		    table[i]->org_id == org_id && table[i]->roles == roles)
			break;
	return i;
}

struct snapcache_entry *
snapcache_find(int64_t meeting_id, int64_t org_id, unsigned roles,
    uint64_t newest_seq)
{
	size_t i = slot_of(meeting_id, org_id, roles);
	struct snapcache_entry *e;

	if (i == n_table)
		return NULL;
	e = table[i];
	if (e->seq < newest_seq || now_s() - e->stored > SNAPCACHE_MAX_AGE_S) {
		unlist(i);
		return NULL;
	}
	e->used = ++tick;
	e->refs++;
	return e;
}

const char *
snapcache_key(const struct snapcache_entry *e)
{
	return e->key;
}

const char *
snapcache_snap(const struct snapcache_entry *e)
{
	return e->snap;
}

const char *
snapcache_at(const struct snapcache_entry *e)
{
	return e->at;
}

const char *
snapcache_entries(const struct snapcache_entry *e)
{
	return e->entries;
}

Tafel__SubscribeResponse *
snapcache_unpack(const struct snapcache_entry *e)
{
	return tafel__subscribe_response__unpack(NULL, e->len, e->packed);
}

/* Makes room for len more bytes and one more entry: the least used go. */
static void
make_room(size_t len)
{
	while (n_table > 0 && (n_table == SNAPCACHE_MAX_ENTRIES ||
	    bytes + len > SNAPCACHE_MAX_BYTES)) {
		size_t i, lru = 0;

		for (i = 1; i < n_table; i++)
			if (table[i]->used < table[lru]->used)
				lru = i;
		unlist(lru);
	}
}

void
snapcache_store(int64_t meeting_id, int64_t org_id, unsigned roles,
    const char *key, const char *snap, const char *at, const char *entries,
    const Tafel__SubscribeResponse *resp)
{
	struct snapcache_entry *e;
	size_t i, len;

	i = slot_of(meeting_id, org_id, roles);
	if (i < n_table)
		unlist(i);
	len = tafel__subscribe_response__get_packed_size(resp);
	if (len > SNAPCACHE_MAX_BYTES || strlen(snap) > SNAPCACHE_MAX_FIELD ||
	    strlen(entries) > SNAPCACHE_MAX_FIELD || strlen(key) > 256 ||
	    strlen(at) > 64)
		return;
	make_room(len);
	e = xcalloc(1, sizeof *e);
	e->refs = 1;
	e->meeting_id = meeting_id;
	e->org_id = org_id;
	e->roles = roles;
	e->key = xstrdup(key);
	e->snap = xstrdup(snap);
	e->at = xstrdup(at);
	e->entries = xstrdup(entries);
	e->seq = resp->seq;
	e->packed = xmalloc(len > 0 ? len : 1);
	e->len = tafel__subscribe_response__pack(resp, e->packed);
	e->stored = now_s();
	e->used = ++tick;
	table[n_table++] = e;
	bytes += e->len;
}

void
snapcache_count(int hit)
{
	if (hit)
		hits++;
	else
		misses++;
}

void
snapcache_get_stats(struct snapcache_stats *st)
{
	st->hits = hits;
	st->misses = misses;
	st->entries = n_table;
	st->bytes = bytes;
}

void
snapcache_clear(void)
{
	while (n_table > 0)
		unlist(n_table - 1);
}
