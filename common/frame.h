/* Framing: 4-byte big-endian length + one protobuf Envelope, decoded incrementally. */
#ifndef TAFEL_FRAME_H
#define TAFEL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>

#include "tafel.pb-c.h"

enum frame_status {
	FRAME_OK = 1,			/* *out holds one envelope */
	FRAME_NEED_MORE = 0,		/* no complete frame buffered yet */
	FRAME_ERR_TOO_LARGE = -1,	/* length prefix above the limit */
	FRAME_ERR_UNDECODABLE = -2,	/* payload is not a valid Envelope */
	FRAME_ERR_TRUNCATED = -3	/* stream ended inside a frame */
};

/*
 * Takes the next complete frame off the front of `in`.  The length prefix is
 * checked against max_frame before any byte of the payload is buffered or
 * allocated; unpacking runs under an allocation budget proportional to the
 * frame size, so hostile payloads cannot amplify memory.  On FRAME_OK the
 * caller owns *out and releases it with frame_free().  On an error the
 * stream is unusable and the connection must be closed.
 */
enum frame_status frame_decode(struct evbuffer *in, uint32_t max_frame,
    Tafel__Envelope **out);

/* Called at end of stream: FRAME_ERR_TRUNCATED if a partial frame remains. */
enum frame_status frame_finish(struct evbuffer *in);

/*
 * What decoding one entry of a repeated message may cost beyond 16x its
 * bytes (frame.c's budget allows it for TAFEL_MAX_LIST entries): its
 * structure, a pointer and the unpacker's scan slabs.  test_frame checks
 * that every request's list entries fit.
 */
#define FRAME_BUDGET_ENTRY 256u

/*
 * Decodes one payload (without the length prefix); NULL if undecodable.
 * A string that held a NUL byte on the wire keeps all its bytes, each NUL
 * as C0 80 (validate_keep_nul), so the validator refuses it.
 */
Tafel__Envelope *frame_unpack(const uint8_t *payload, size_t len);

/* Releases an envelope returned by frame_decode() or frame_unpack(). */
void frame_free(Tafel__Envelope *m);

/*
 * The allocator frame_free releases with: what changes an unpacked
 * envelope's arrays in place (parts_join) allocates with it.
 */
ProtobufCAllocator *frame_allocator(void);

/* Appends one frame to `out`.  Returns 0, or -1 if it exceeds max_frame. */
int frame_encode(struct evbuffer *out, const Tafel__Envelope *m,
    uint32_t max_frame);

/*
 * Compressed frames (docs/protocol.md, "Compressed frames"): frames the
 * server sends to a client whose Hello set accept_zlib.
 *
 * frame_encode_zlib appends m as a Compressed frame when it packs to at
 * least min bytes and zlib makes it smaller, else as frame_encode does
 * (the same result and limit: max_frame bounds the inner Envelope).
 */
#define FRAME_ZLIB_MIN 4096
int frame_encode_zlib(struct evbuffer *out, const Tafel__Envelope *m,
    uint32_t max_frame, size_t min);

/*
 * A received envelope made whole: when *m is Compressed it is replaced by
 * its inner Envelope (length checked against max_frame before anything is
 * allocated, inflated to exactly that length, unpacked as frame_unpack
 * does).  Returns 0, or -1 with *m freed and set to NULL and *err saying
 * why (bad length, not zlib, inner undecodable or itself Compressed).
 */
int frame_expand(Tafel__Envelope **m, uint32_t max_frame, const char **err);

/* Stable name of a status, for logs and tests. */
const char *frame_status_str(enum frame_status st);

#endif
