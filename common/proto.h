/* Protocol constants shared by server and clients: version and wire limits. */
#ifndef TAFEL_PROTO_H
#define TAFEL_PROTO_H

/*
 * Bump TAFEL_PROTOCOL_VERSION whenever proto/tafel.proto or the framing
 * changes in a way an older peer would misread.  Peers compare it in the
 * first frame (Hello) and refuse a mismatch with VERSION_MISMATCH.
 */
#define TAFEL_PROTOCOL_VERSION 1

#define TAFEL_DEFAULT_PORT 7410

/* Frame = 4-byte big-endian length + payload.  Limits apply to the payload. */
#define TAFEL_FRAME_HEADER 4u
#define TAFEL_MAX_FRAME_PRELOGIN (16u * 1024u)		/* hello + login */
#define TAFEL_MAX_FRAME (1024u * 1024u)			/* after login */

/* Field limits, enforced by the server's request validation. */
#define TAFEL_MAX_SHORT_STRING 200	/* names, logins, themes, districts */
#define TAFEL_MAX_TEXT 8000		/* decisions, summaries, notes (bytes) */
#define TAFEL_MAX_PASSWORD 1024
#define TAFEL_MAX_IDEMPOTENCY_KEY 64
#define TAFEL_MAX_LIST 500		/* ids in a reorder, persons in a case */

#endif
