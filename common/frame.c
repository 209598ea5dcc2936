/* Framing: 4-byte big-endian length + one protobuf Envelope, decoded incrementally. */
#include "frame.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "envelope.h"
#include "proto.h"
#include "validate.h"

/*
 * protobuf-c allocates ~8-22x the payload for hostile inputs (packed varints,
 * many empty strings), and far more for short entries of a repeated
 * message: a whole structure, a pointer and ~64 bytes of scan slabs for
 * each (a 2-byte empty Person unpacks to ~150 bytes).  Every unpack gets a
 * budget; past it, the allocator fails and unpack returns NULL cleanly.
 * Each block carries its size in a header so the budget can be credited
 * on free.  The budget is 16x the payload, plus FRAME_BUDGET_ENTRY for
 * each of TAFEL_MAX_LIST entries: an honest message whose lists keep to
 * the limit decodes however short its entries (and one a little over it
 * still decodes, to get LIST_TOO_LONG), while a frame full of empty
 * entries is still refused (protocol.md 3.2).
 */
#define FRAME_BUDGET_FACTOR 16u
#define FRAME_BUDGET_SLACK (4096u + TAFEL_MAX_LIST * FRAME_BUDGET_ENTRY)

struct budget {
	size_t used;	/* bytes handed out and not yet freed */
	size_t limit;	/* cap for this unpack */
};

struct block_header {
	_Alignas(max_align_t) size_t size;	/* payload size of this block */
};

static void *
budget_alloc(void *ud, size_t n)
{
	struct budget *b = ud;
	struct block_header *h;

	if (n > b->limit - b->used)
		return NULL;
	h = malloc(sizeof *h + n);
	if (h == NULL)
		return NULL;
	h->size = n;
	b->used += n;
	return h + 1;
}

static void
budget_free(void *ud, void *p)
{
	struct budget *b = ud;
	struct block_header *h;

	if (p == NULL)
		return;
	h = (struct block_header *)p - 1;
	b->used -= h->size;
	free(h);
}

/* Frees blocks after the unpack's budget is gone (frame_free). */
static void
plain_free(void *ud, void *p)
{
	(void)ud;
	if (p != NULL)
		free((struct block_header *)p - 1);
}

static void *
plain_alloc(void *ud, size_t n)
{
	struct block_header *h;

	(void)ud;
	h = malloc(sizeof *h + n);
	if (h == NULL)
		return NULL;
	h->size = n;
	return h + 1;
}

static ProtobufCAllocator free_allocator = {
	.alloc = plain_alloc,
	.free = plain_free,
	.allocator_data = NULL,
};

/*
 * protobuf-c 1.4.1 rejects field number 0 only in its one-byte tag form; an
 * over-long encoding of tag 0 is kept as an unknown field.  Such a message
 * is invalid protobuf: refuse it at any depth.
 */
static int
has_field_zero(const ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	ProtobufCMessage *const *subs;
	unsigned i;
	size_t j, n;

	if (depth > 16)
		return 1;
	for (i = 0; i < m->n_unknown_fields; i++)
		if (m->unknown_fields[i].tag == 0)
			return 1;
	for (i = 0; i < d->n_fields; i++) {
		subs = pb_field_messages(m, &d->fields[i], &n);
		for (j = 0; j < n; j++)
			if (has_field_zero(subs[j], depth + 1))
				return 1;
	}
	return 0;
}

Tafel__Envelope *
frame_unpack(const uint8_t *payload, size_t len)
{
	struct budget b = {
		.used = 0,
		.limit = FRAME_BUDGET_FACTOR * len + FRAME_BUDGET_SLACK,
	};
	ProtobufCAllocator a = {
		.alloc = budget_alloc,
		.free = budget_free,
		.allocator_data = &b,
	};

	Tafel__Envelope *m = tafel__envelope__unpack(&a, len, payload);

	/* Strings cut at a NUL get their bytes back, for the validator. */
	if (m != NULL && (has_field_zero(&m->base, 0) ||
	    validate_keep_nul(&m->base, payload, len, &a) != 0)) {
		tafel__envelope__free_unpacked(m, &a);
		return NULL;
	}
	return m;
}

void
frame_free(Tafel__Envelope *m)
{
	if (m != NULL)
		tafel__envelope__free_unpacked(m, &free_allocator);
}

ProtobufCAllocator *
frame_allocator(void)
{
	return &free_allocator;
}

/* Reads the 4-byte length prefix without consuming it; 0 if incomplete. */
static int
peek_length(struct evbuffer *in, uint32_t *len)
{
	uint8_t h[TAFEL_FRAME_HEADER];

	if (evbuffer_get_length(in) < TAFEL_FRAME_HEADER)
		return 0;
	if (evbuffer_copyout(in, h, sizeof h) != (ev_ssize_t)sizeof h)
		return 0;
	*len = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | (uint32_t)h[3];
	return 1;
}

enum frame_status
frame_decode(struct evbuffer *in, uint32_t max_frame, Tafel__Envelope **out)
{
	uint32_t len;
	size_t total;
	unsigned char *p;
	Tafel__Envelope *m;

	*out = NULL;
	if (!peek_length(in, &len))
		return FRAME_NEED_MORE;
	if (len > max_frame)
		return FRAME_ERR_TOO_LARGE;	/* before buffering the body */
	total = TAFEL_FRAME_HEADER + (size_t)len;
	if (evbuffer_get_length(in) < total)
		return FRAME_NEED_MORE;
	p = evbuffer_pullup(in, (ev_ssize_t)total);
	if (p == NULL)
		return FRAME_ERR_UNDECODABLE;
	m = frame_unpack(p + TAFEL_FRAME_HEADER, len);
	evbuffer_drain(in, total);	/* unpack copied what it keeps */
	if (m == NULL)
		return FRAME_ERR_UNDECODABLE;
	*out = m;
	return FRAME_OK;
}

enum frame_status
frame_finish(struct evbuffer *in)
{
	return evbuffer_get_length(in) == 0 ? FRAME_OK : FRAME_ERR_TRUNCATED;
}

int
frame_encode(struct evbuffer *out, const Tafel__Envelope *m, uint32_t max_frame)
{
	size_t n = tafel__envelope__get_packed_size(m);
	struct evbuffer_iovec v;
	uint8_t *p;

	if (n > max_frame)
		return -1;
	if (evbuffer_reserve_space(out, (ev_ssize_t)(TAFEL_FRAME_HEADER + n),
	    &v, 1) != 1)
		return -1;
	p = v.iov_base;
	p[0] = (uint8_t)(n >> 24);
	p[1] = (uint8_t)(n >> 16);
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	tafel__envelope__pack(m, p + TAFEL_FRAME_HEADER);
	v.iov_len = TAFEL_FRAME_HEADER + n;
	return evbuffer_commit_space(out, &v, 1);
}

int
frame_encode_zlib(struct evbuffer *out, const Tafel__Envelope *m,
    uint32_t max_frame, size_t min)
{
	Tafel__Envelope outer = TAFEL__ENVELOPE__INIT;
	Tafel__Compressed z = TAFEL__COMPRESSED__INIT;
	size_t n = tafel__envelope__get_packed_size(m);
	uLongf zn;
	uint8_t *plain, *packed;
	int rc;

	if (n < min || n > max_frame || m->body_case ==
	    TAFEL__ENVELOPE__BODY_COMPRESSED)
		return frame_encode(out, m, max_frame);
	plain = malloc(n);
	zn = compressBound((uLong)n);
	packed = malloc(zn);
	if (plain == NULL || packed == NULL) {
		free(plain);
		free(packed);
		return frame_encode(out, m, max_frame);
	}
	tafel__envelope__pack(m, plain);
	/* level 1, the fastest: an 84 KB snapshot to 12 KB (docs/benchmarks.md) */
	if (compress2(packed, &zn, plain, (uLong)n, Z_BEST_SPEED) != Z_OK ||
	    zn + 16 >= n) {
		rc = frame_encode(out, m, max_frame);
	} else {
		z.length = (uint32_t)n;
		z.zlib.data = packed;
		z.zlib.len = zn;
		outer.body_case = TAFEL__ENVELOPE__BODY_COMPRESSED;
		outer.compressed = &z;
		rc = frame_encode(out, &outer, max_frame);
	}
	free(plain);
	free(packed);
	return rc;
}

int
frame_expand(Tafel__Envelope **m, uint32_t max_frame, const char **err)
{
	const Tafel__Compressed *z;
	Tafel__Envelope *inner;
	uLongf n;
	uint8_t *plain;

	if (*m == NULL || (*m)->body_case != TAFEL__ENVELOPE__BODY_COMPRESSED)
		return 0;
	z = (*m)->compressed;
	*err = NULL;
	if (z == NULL || z->length == 0 || z->length > max_frame)
		*err = "compressed frame: length is 0 or over the frame limit";
	else if ((plain = malloc(z->length)) == NULL)
		*err = "compressed frame: out of memory";
	else {
		n = z->length;
		if (uncompress(plain, &n, z->zlib.data, (uLong)z->zlib.len) !=
		    Z_OK || n != z->length)
			*err = "compressed frame: not zlib data of its length";
		else if ((inner = frame_unpack(plain, n)) == NULL)
			*err = "compressed frame: the inner envelope is undecodable";
		else if (inner->body_case == TAFEL__ENVELOPE__BODY_COMPRESSED) {
			frame_free(inner);
			*err = "compressed frame: compressed again inside";
		} else {
			free(plain);
			frame_free(*m);
			*m = inner;
			return 0;
		}
		free(plain);
	}
	frame_free(*m);
	*m = NULL;
	return -1;
}

const char *
frame_status_str(enum frame_status st)
{
	switch (st) {
	case FRAME_OK:
		return "ok";
	case FRAME_NEED_MORE:
		return "need-more";
	case FRAME_ERR_TOO_LARGE:
		return "frame-too-large";
	case FRAME_ERR_UNDECODABLE:
		return "frame-undecodable";
	case FRAME_ERR_TRUNCATED:
		return "frame-truncated";
	}
	return "unknown";
}
