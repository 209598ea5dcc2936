/* Request rate limits: a token bucket per session and one per client address. */
#ifndef TAFEL_RATELIMIT_H
#define TAFEL_RATELIMIT_H

#include <stdint.h>

struct bucket {
	double tokens;		/* requests that may be made right now */
	int64_t last_ms;	/* when tokens was last topped up */
};

/*
 * Takes one request from the connection's bucket and from its address's.
 * Returns 0 when allowed, otherwise the milliseconds after which a request
 * would be allowed again.
 */
long long ratelimit_take(struct bucket *conn_bucket, const char *ip);

#endif
