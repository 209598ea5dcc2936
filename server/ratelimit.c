/* Request rate limits: a token bucket per session and one per client address. */
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

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Refills b at rate/s up to burst, then tries to take one token. */
static long long
bucket_take(struct bucket *b, double rate, double burst, int64_t now)
{
	if (b->last_ms == 0)
		b->tokens = burst;
	else
		b->tokens += (double)(now - b->last_ms) * rate / 1000.0;
	if (b->tokens > burst)
		b->tokens = burst;
	b->last_ms = now;
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		return 0;
	}
	return (long long)((1.0 - b->tokens) * 1000.0 / rate) + 1;
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

long long
ratelimit_take(struct bucket *conn_bucket, const char *ip)
{
	int64_t now = mono_ms();
	long long wait_conn, wait_addr;

	wait_conn = bucket_take(conn_bucket, (double)srv.cfg.rate_session,
	    (double)srv.cfg.rate_burst, now);
	if (wait_conn > 0)
		return wait_conn;
	wait_addr = bucket_take(addr_bucket(ip), (double)srv.cfg.rate_address,
	    (double)srv.cfg.rate_burst * 4, now);
	if (wait_addr > 0)
		conn_bucket->tokens += 1.0;	/* not spent after all */
	return wait_addr;
}
