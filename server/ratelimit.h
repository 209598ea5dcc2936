/* Request rate limits: a token bucket per session and one per client address. */
#ifndef TAFEL_RATELIMIT_H
#define TAFEL_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct bucket {
	double tokens;		/* requests that may be made right now */
	int64_t last_ms;	/* when tokens was last topped up */
};

/*
 * Takes one request from the connection's bucket and from its address's,
 * provided its user's answer bucket (user_id 0: none yet) is not in debt.
 * Returns 0 when allowed, otherwise the milliseconds after which a request
 * would be allowed again.
 */
long long ratelimit_take(struct bucket *conn_bucket, const char *ip,
    int64_t user_id);

/*
 * Takes one token from a bucket of its own (refilled at rate a second, up
 * to burst; a new one starts full): 0, or the milliseconds until one is
 * there.  For other limits than requests (conn.c's log lines).
 */
long long ratelimit_bucket_take(struct bucket *b, double rate, double burst);

/* Bytes of an answer that cost one more request (docs/protocol.md 5.7). */
#define RATE_ANSWER_UNIT 32768

/*
 * Charges an answer of that many bytes, one request for each full
 * RATE_ANSWER_UNIT, to the connection's bucket and to its user's answer
 * bucket (shared by all the user's connections to this process, and
 * charged by nothing else), not to the address's.  Both may go below
 * zero: the connection's next requests, and those of the user's other
 * connections, are then refused until they have filled up again.  So a
 * client asking large answers in a loop, over one connection or many,
 * gets few of them, and the others behind its address none of its penalty.
 */
void ratelimit_charge(struct bucket *conn_bucket, int64_t user_id,
    size_t answer_bytes);

#endif
