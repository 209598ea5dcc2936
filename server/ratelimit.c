/* Request rate limits: a token bucket per connection and one per client address; large answers also charge one per user. */
#include "ratelimit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "netaddr.h"
#include "server.h"

#define ADDR_SLOTS 1024

struct addr_bucket {
	char ip[NETADDR_LEN];	/* network (netaddr_limit_key); "" = free */
	struct bucket b;
};

static struct addr_bucket addrs[ADDR_SLOTS];

#define USER_SLOTS 1024

struct user_bucket {
	int64_t user_id;	/* 0 = free */
	struct bucket b;
};

/* Only answers are charged here: in debt after large ones, else full. */
static struct user_bucket users[USER_SLOTS];

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Refills b at rate/s up to burst (a new bucket starts full). */
static void
bucket_refill(struct bucket *b, double rate, double burst, int64_t now)
{
	if (b->last_ms == 0)
		b->tokens = burst;
	else
		b->tokens += (double)(now - b->last_ms) * rate / 1000.0;
	if (b->tokens > burst)
		b->tokens = burst;
	b->last_ms = now;
}

/* The milliseconds until b holds `need` tokens at rate/s. */
static long long
bucket_wait(const struct bucket *b, double rate, double need)
{
	return (long long)((need - b->tokens) * 1000.0 / rate) + 1;
}

/* Refills b, then tries to take one token. */
static long long
bucket_take(struct bucket *b, double rate, double burst, int64_t now)
{
	bucket_refill(b, rate, burst, now);
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		return 0;
	}
	return bucket_wait(b, rate, 1.0);
}

long long
ratelimit_bucket_take(struct bucket *b, double rate, double burst)
{
	return bucket_take(b, rate, burst, mono_ms());
}

/* The bucket of an address; the least recently used slot is reused. */
static struct bucket *
addr_bucket(const char *ip)
{
	struct addr_bucket *oldest = &addrs[0];
	size_t i;

	for (i = 0; i < ADDR_SLOTS; i++) {
		if (strcmp(addrs[i].ip, ip) == 0)
			return &addrs[i].b;
		if (addrs[i].ip[0] == '\0' ||
		    addrs[i].b.last_ms < oldest->b.last_ms)
			oldest = &addrs[i];
	}
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->ip, sizeof oldest->ip, "%s", ip);
	return &oldest->b;
}

/* The answer bucket of a user; the least recently used slot is reused. */
static struct bucket *
user_bucket(int64_t user_id)
{
	struct user_bucket *oldest = &users[0];
	size_t i;

	for (i = 0; i < USER_SLOTS; i++) {
		if (users[i].user_id == user_id)
			return &users[i].b;
		if (users[i].user_id == 0 ||
		    users[i].b.last_ms < oldest->b.last_ms)
			oldest = &users[i];
	}
	memset(oldest, 0, sizeof *oldest);
	oldest->user_id = user_id;
	return &oldest->b;
}

long long
ratelimit_take(struct bucket *conn_bucket, const char *ip, int64_t user_id)
{
	int64_t now = mono_ms();
	double rate = (double)srv.cfg.rate_session;
	long long wait = 0, wait_user, wait_addr;
	struct bucket *ub;

	/* the connection's and the user's answer bucket: the longer wait of
	 * the two, so that a client waiting as told is not refused again */
	bucket_refill(conn_bucket, rate, (double)srv.cfg.rate_burst, now);
	if (conn_bucket->tokens < 1.0)
		wait = bucket_wait(conn_bucket, rate, 1.0);
	if (user_id > 0) {
		ub = user_bucket(user_id);
		bucket_refill(ub, rate, (double)srv.cfg.rate_burst, now);
		if (ub->tokens < 0.0 && (wait_user = bucket_wait(ub, rate,
		    0.0)) > wait)
			wait = wait_user;
	}
	if (wait > 0)
		return wait;
	wait_addr = bucket_take(addr_bucket(ip), (double)srv.cfg.rate_address,
	    (double)srv.cfg.rate_burst * 4, now);
	if (wait_addr == 0)
		conn_bucket->tokens -= 1.0;
	return wait_addr;
}

void
ratelimit_charge(struct bucket *conn_bucket, int64_t user_id,
    size_t answer_bytes)
{
	double units = (double)(answer_bytes / RATE_ANSWER_UNIT);
	struct bucket *ub;

	if (units == 0.0)
		return;
	conn_bucket->tokens -= units;
	if (user_id > 0) {
		ub = user_bucket(user_id);
		bucket_refill(ub, (double)srv.cfg.rate_session,
		    (double)srv.cfg.rate_burst, mono_ms());
		ub->tokens -= units;
	}
}
