/* Unit tests of the frame codec: splits at every byte, size limits, truncation, garbage, round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/buffer.h>
#include <zlib.h>

#include "envelope.h"
#include "frame.h"
#include "parts.h"
#include "proto.h"
#include "validate.h"

/* Packs env into a framed byte string; returns its length. */
static size_t
framed(const Tafel__Envelope *env, uint8_t **out)
{
	struct evbuffer *b = evbuffer_new();
	size_t n;

	assert_int_equal(frame_encode(b, env, TAFEL_MAX_FRAME), 0);
	n = evbuffer_get_length(b);
	*out = malloc(n);
	evbuffer_remove(b, *out, n);
	evbuffer_free(b);
	return n;
}

/* A stream of four different frames. */
static size_t
sample_stream(uint8_t **out, size_t *nframes)
{
	Tafel__Envelope e1, e2 = TAFEL__ENVELOPE__INIT, e3 = TAFEL__ENVELOPE__INIT,
	    e4 = TAFEL__ENVELOPE__INIT;
	Tafel__Hello h;
	Tafel__LoginRequest login = TAFEL__LOGIN_REQUEST__INIT;
	Tafel__Event ev = TAFEL__EVENT__INIT;
	Tafel__ActionPoint ap = TAFEL__ACTION_POINT__INIT;
	Tafel__PingRequest ping = TAFEL__PING_REQUEST__INIT;
	const Tafel__Envelope *all[4] = { &e1, &e2, &e3, &e4 };
	uint8_t *buf = NULL, *part;
	size_t total = 0, n, i;

	envelope_hello(&e1, &h, "test", TAFEL_MAX_FRAME);
	login.login = "voorzitter";
	login.password = "geheim wachtwoord";
	e2.request_id = 7;
	e2.body_case = TAFEL__ENVELOPE__BODY_LOGIN;
	e2.login = &login;
	ap.id = 42;
	ap.description = "Huisbezoek afleggen bij familie Özdemir";
	ap.due_date = "2026-12-01";
	ev.seq = 123456789;
	ev.action_point = &ap;
	e3.body_case = TAFEL__ENVELOPE__BODY_EVENT;
	e3.event = &ev;
	e4.request_id = UINT64_MAX;	/* empty ping: a 0-length body */
	e4.body_case = TAFEL__ENVELOPE__BODY_PING;
	e4.ping = &ping;
	for (i = 0; i < 4; i++) {
		n = framed(all[i], &part);
		buf = realloc(buf, total + n);
		memcpy(buf + total, part, n);
		total += n;
		free(part);
	}
	*out = buf;
	*nframes = 4;
	return total;
}

/* Feeds stream in chunks of `step` bytes (0: split once at `split`). */
static void
decode_in_pieces(const uint8_t *s, size_t len, size_t split, size_t step,
    uint8_t **packed, size_t *packed_len, size_t *got)
{
	struct evbuffer *in = evbuffer_new();
	Tafel__Envelope *m;
	size_t off = 0, chunk;
	enum frame_status st;

	*got = 0;
	while (off < len) {
		chunk = step ? step : (off == 0 ? split : len - off);
		if (chunk == 0)
			chunk = len;
		if (chunk > len - off)
			chunk = len - off;
		evbuffer_add(in, s + off, chunk);
		off += chunk;
		while ((st = frame_decode(in, TAFEL_MAX_FRAME, &m)) == FRAME_OK) {
			packed_len[*got] = tafel__envelope__get_packed_size(m);
			packed[*got] = malloc(packed_len[*got]);
			tafel__envelope__pack(m, packed[*got]);
			(*got)++;
			frame_free(m);
		}
		assert_int_equal(st, FRAME_NEED_MORE);
	}
	assert_int_equal(frame_finish(in), FRAME_OK);
	evbuffer_free(in);
}

static void
test_every_split(void **state)
{
	uint8_t *s, *ref[8], *got[8];
	size_t len, nframes, reflen[8], gotlen[8], nref, ngot, split, i;

	(void)state;
	len = sample_stream(&s, &nframes);
	decode_in_pieces(s, len, len, 0, ref, reflen, &nref);
	assert_int_equal(nref, nframes);
	/* Every single split point, then one byte at a time. */
	for (split = 0; split <= len; split++) {
		decode_in_pieces(s, len, split, 0, got, gotlen, &ngot);
		assert_int_equal(ngot, nframes);
		for (i = 0; i < ngot; i++) {
			assert_int_equal(gotlen[i], reflen[i]);
			assert_memory_equal(got[i], ref[i], reflen[i]);
			free(got[i]);
		}
	}
	decode_in_pieces(s, len, 0, 1, got, gotlen, &ngot);
	assert_int_equal(ngot, nframes);
	for (i = 0; i < ngot; i++) {
		assert_memory_equal(got[i], ref[i], reflen[i]);
		free(got[i]);
	}
	for (i = 0; i < nref; i++)
		free(ref[i]);
	free(s);
}

static void
test_oversized_rejected_from_header(void **state)
{
	struct evbuffer *in = evbuffer_new();
	Tafel__Envelope *m;
	uint8_t hdr[4];
	uint32_t len = TAFEL_MAX_FRAME_PRELOGIN + 1;

	(void)state;
	hdr[0] = (uint8_t)(len >> 24);
	hdr[1] = (uint8_t)(len >> 16);
	hdr[2] = (uint8_t)(len >> 8);
	hdr[3] = (uint8_t)len;
	/* Only the header: rejected without waiting for (or buffering) the body. */
	evbuffer_add(in, hdr, 4);
	assert_int_equal(frame_decode(in, TAFEL_MAX_FRAME_PRELOGIN, &m),
	    FRAME_ERR_TOO_LARGE);
	assert_null(m);
	/* The same length is fine after login (and then needs more bytes). */
	assert_int_equal(frame_decode(in, TAFEL_MAX_FRAME, &m), FRAME_NEED_MORE);
	evbuffer_drain(in, 4);
	memset(hdr, 0xff, 4);	/* 4 GiB - 1 */
	evbuffer_add(in, hdr, 4);
	assert_int_equal(frame_decode(in, TAFEL_MAX_FRAME, &m),
	    FRAME_ERR_TOO_LARGE);
	evbuffer_free(in);
}

static void
test_truncated(void **state)
{
	uint8_t *s;
	size_t len, nframes;
	struct evbuffer *in = evbuffer_new();
	Tafel__Envelope *m;

	(void)state;
	len = sample_stream(&s, &nframes);
	evbuffer_add(in, s, len - 3);	/* last frame cut short */
	while (frame_decode(in, TAFEL_MAX_FRAME, &m) == FRAME_OK)
		frame_free(m);
	assert_int_equal(frame_finish(in), FRAME_ERR_TRUNCATED);
	evbuffer_free(in);
	/* A lone partial header is truncated too. */
	in = evbuffer_new();
	evbuffer_add(in, s, 2);
	assert_int_equal(frame_decode(in, TAFEL_MAX_FRAME, &m), FRAME_NEED_MORE);
	assert_int_equal(frame_finish(in), FRAME_ERR_TRUNCATED);
	evbuffer_free(in);
	free(s);
}

static void
test_garbage(void **state)
{
	static const uint8_t cases[][9] = {
		{ 0, 0, 0, 3, 0xff, 0xff, 0xff },		/* bad varint */
		{ 0, 0, 0, 2, 0x1a, 0x10 },			/* length past end */
		{ 0, 0, 0, 5, 0x0f, 1, 2, 3, 4 },		/* wire type 7 */
		/* field number 0 in an over-long tag (found by fuzz_frame) */
		{ 0, 0, 0, 5, 0x80, 0x00, 0x08, 0x01, 0x00 },
	};
	static const size_t lens[] = { 7, 6, 9, 9 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		struct evbuffer *in = evbuffer_new();
		Tafel__Envelope *m;

		evbuffer_add(in, cases[i], lens[i]);
		assert_int_equal(frame_decode(in, TAFEL_MAX_FRAME, &m),
		    FRAME_ERR_UNDECODABLE);
		assert_null(m);
		evbuffer_free(in);
	}
	assert_string_equal(frame_status_str(FRAME_ERR_UNDECODABLE),
	    "frame-undecodable");
	assert_string_not_equal(frame_status_str(FRAME_ERR_TRUNCATED),
	    frame_status_str(FRAME_ERR_TOO_LARGE));
}

/* Every body kind of the Envelope encodes and decodes to itself. */
static void
test_round_trip_every_kind(void **state)
{
	const ProtobufCMessageDescriptor *ed = &tafel__envelope__descriptor;
	unsigned i, kinds = 0;

	(void)state;
	for (i = 0; i < ed->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &ed->fields[i];
		const ProtobufCMessageDescriptor *bd;
		Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *back;
		ProtobufCMessage *body;
		struct evbuffer *b;
		uint8_t *p1, *p2;
		size_t n1, n2;

		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		bd = f->descriptor;
		body = calloc(1, bd->sizeof_message);
		bd->message_init(body);
		*(ProtobufCMessage **)(void *)((char *)&env + f->offset) = body;
		*(uint32_t *)(void *)((char *)&env + f->quantifier_offset) = f->id;
		env.request_id = 1000 + f->id;
		b = evbuffer_new();
		assert_int_equal(frame_encode(b, &env, TAFEL_MAX_FRAME), 0);
		assert_int_equal(frame_decode(b, TAFEL_MAX_FRAME, &back),
		    FRAME_OK);
		assert_int_equal(back->body_case, f->id);
		assert_int_equal(back->request_id, 1000 + f->id);
		assert_int_equal(envelope_body_kind(back->body_case),
		    envelope_body_kind((Tafel__Envelope__BodyCase)f->id));
		n1 = tafel__envelope__get_packed_size(&env);
		n2 = tafel__envelope__get_packed_size(back);
		assert_int_equal(n1, n2);
		p1 = malloc(n1);
		p2 = malloc(n2);
		tafel__envelope__pack(&env, p1);
		tafel__envelope__pack(back, p2);
		assert_memory_equal(p1, p2, n1);
		free(p1);
		free(p2);
		frame_free(back);
		evbuffer_free(b);
		free(body);
		kinds++;
	}
	assert_true(kinds > 40);
}

static void
test_encode_refuses_oversized(void **state)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__RecordDecisionRequest d = TAFEL__RECORD_DECISION_REQUEST__INIT;
	struct evbuffer *b = evbuffer_new();
	char *big = malloc(TAFEL_MAX_FRAME_PRELOGIN + 10);

	(void)state;
	memset(big, 'x', TAFEL_MAX_FRAME_PRELOGIN + 9);
	big[TAFEL_MAX_FRAME_PRELOGIN + 9] = '\0';
	d.decision = big;
	env.body_case = TAFEL__ENVELOPE__BODY_RECORD_DECISION;
	env.record_decision = &d;
	assert_int_equal(frame_encode(b, &env, TAFEL_MAX_FRAME_PRELOGIN), -1);
	assert_int_equal(evbuffer_get_length(b), 0);
	assert_int_equal(frame_encode(b, &env, TAFEL_MAX_FRAME), 0);
	free(big);
	evbuffer_free(b);
}

/* Unknown body field numbers decode (forward compatibility) as "none". */
static void
test_unknown_body(void **state)
{
	/* field 99 (varint) = 1: tag (99<<3)|0 = 792 = 0x98 0x06 */
	static const uint8_t f[] = { 0, 0, 0, 3, 0x98, 0x06, 0x01 };
	struct evbuffer *in = evbuffer_new();
	Tafel__Envelope *m;

	(void)state;
	evbuffer_add(in, f, sizeof f);
	assert_int_equal(frame_decode(in, TAFEL_MAX_FRAME, &m), FRAME_OK);
	assert_int_equal(m->body_case, TAFEL__ENVELOPE__BODY__NOT_SET);
	assert_int_equal(envelope_body_kind(m->body_case), BODY_NONE);
	frame_free(m);
	evbuffer_free(in);
}

/*
 * An unknown field inside a known message is skipped, but an unknown
 * group (wire types 3 and 4, deprecated) is not: protobuf-c refuses it,
 * at any depth, and protocol.md 3.3 says so.
 */
static void
test_unknown_group(void **state)
{
	/* request_id 1, ping { nonce 1, field 16 (varint) = 5 } */
	static const uint8_t skipped[] = { 0x08, 0x01, 0x62, 0x05,
	    0x08, 0x01, 0x80, 0x01, 0x05 };
	/* request_id 1, ping { nonce 1, field 16 start-group, end-group } */
	static const uint8_t nested[] = { 0x08, 0x01, 0x62, 0x06,
	    0x08, 0x01, 0x83, 0x01, 0x84, 0x01 };
	/* request_id 1, field 16 start-group, end-group (in the Envelope) */
	static const uint8_t top[] = { 0x08, 0x01, 0x83, 0x01, 0x84, 0x01 };
	Tafel__Envelope *m;

	(void)state;
	m = frame_unpack(skipped, sizeof skipped);
	assert_non_null(m);
	assert_int_equal(m->ping->nonce, 1);
	frame_free(m);
	assert_null(frame_unpack(nested, sizeof nested));
	assert_null(frame_unpack(top, sizeof top));
}

/* One frame of b decoded and made whole (frame_expand); NULL if refused. */
static Tafel__Envelope *
decode_whole(struct evbuffer *b, uint32_t max, const char **err)
{
	Tafel__Envelope *m;

	*err = NULL;
	assert_int_equal(frame_decode(b, TAFEL_MAX_FRAME, &m), FRAME_OK);
	if (frame_expand(&m, max, err) != 0) {
		assert_null(m);
		assert_non_null(*err);
		return NULL;
	}
	return m;
}

/* A Compressed frame with the given inner length and zlib bytes. */
static void
encode_compressed(struct evbuffer *b, uint32_t length, const void *z,
    size_t zlen)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__Compressed c = TAFEL__COMPRESSED__INIT;

	c.length = length;
	c.zlib.data = (uint8_t *)z;
	c.zlib.len = zlen;
	env.body_case = TAFEL__ENVELOPE__BODY_COMPRESSED;
	env.compressed = &c;
	assert_int_equal(frame_encode(b, &env, TAFEL_MAX_FRAME), 0);
}

/* A create_case with n persons named name ("" for empty entries), packed. */
static uint8_t *
persons_payload(size_t n, const char *name, size_t *len)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person *ps = calloc(n, sizeof *ps);
	Tafel__Person **pp = calloc(n, sizeof *pp);
	uint8_t *buf;
	size_t i;

	for (i = 0; i < n; i++) {
		tafel__person__init(&ps[i]);
		ps[i].name = (char *)name;
		pp[i] = &ps[i];
	}
	cc.n_persons = n;
	cc.persons = pp;
	env.request_id = 1;
	env.body_case = TAFEL__ENVELOPE__BODY_CREATE_CASE;
	env.create_case = &cc;
	*len = tafel__envelope__get_packed_size(&env);
	buf = malloc(*len);
	tafel__envelope__pack(&env, buf);
	free(ps);
	free(pp);
	return buf;
}

/*
 * Asserts that an entry of every repeated message field under d costs at
 * most what frame.c's budget allows per entry: its structure, a pointer
 * and ~64 bytes of protobuf-c's scan slabs, less the 16x of its 2 bytes.
 */
static void
entries_fit(const ProtobufCMessageDescriptor *d, int depth)
{
	const ProtobufCFieldDescriptor *f;
	const ProtobufCMessageDescriptor *sub;
	unsigned i;

	assert_true(depth < 8);
	for (i = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		sub = f->descriptor;
		if (f->label == PROTOBUF_C_LABEL_REPEATED &&
		    sub->sizeof_message + 8 + 64 > FRAME_BUDGET_ENTRY + 16 * 2) {
			fprintf(stderr, "%s.%s: %zu bytes per entry\n", d->name,
			    f->name, sub->sizeof_message + 72);
			fail();
		}
		entries_fit(sub, depth + 1);
	}
}

/*
 * The decode-memory cap (protocol.md 3.2) lets every message whose lists
 * keep to the 500-entry limit through, however short the entries: 111
 * and 500 persons with one-letter names decode (the checks then say "at
 * most 50 persons"), and so does 501 (LIST_TOO_LONG from the generic
 * check, not FRAME_UNDECODABLE); so do 500 empty entries. A frame full of
 * empty entries built to blow up memory is still refused, before and
 * after login.
 */
static void
test_decode_memory_cap(void **state)
{
	static const size_t ok[] = { 111, 500, 501 };
	struct validate_error e;
	Tafel__Envelope *m;
	uint8_t *buf;
	size_t i, len;

	(void)state;
	/* the requests' bodies (fields 10..99) */
	for (i = 0; i < tafel__envelope__descriptor.n_fields; i++) {
		const ProtobufCFieldDescriptor *f =
		    &tafel__envelope__descriptor.fields[i];

		if (f->id >= 10 && f->id <= 99 &&
		    f->type == PROTOBUF_C_TYPE_MESSAGE)
			entries_fit(f->descriptor, 0);
	}
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		buf = persons_payload(ok[i], "a", &len);
		m = frame_unpack(buf, len);
		assert_non_null(m);
		assert_int_equal(m->create_case->n_persons, ok[i]);
		assert_int_equal(validate_message(&m->base, &e),
		    ok[i] > TAFEL_MAX_LIST ? -1 : 0);
		if (ok[i] > TAFEL_MAX_LIST)
			assert_int_equal(e.code,
			    TAFEL__ERROR_CODE__LIST_TOO_LONG);
		frame_free(m);
		free(buf);
	}
	buf = persons_payload(TAFEL_MAX_LIST, "", &len);
	m = frame_unpack(buf, len);
	assert_non_null(m);
	frame_free(m);
	free(buf);

	/* 2-byte empty entries filling a frame of each limit */
	buf = persons_payload((TAFEL_MAX_FRAME_PRELOGIN - 16) / 2, "", &len);
	assert_true(len <= TAFEL_MAX_FRAME_PRELOGIN);
	assert_null(frame_unpack(buf, len));
	free(buf);
	buf = persons_payload((TAFEL_MAX_FRAME - 16) / 2, "", &len);
	assert_true(len <= TAFEL_MAX_FRAME);
	assert_null(frame_unpack(buf, len));
	free(buf);
}

/*
 * Compressed frames: a big envelope goes compressed and comes back the
 * same; a small one goes plain; a bomb (a length over the limit), a wrong
 * length, bytes that are no zlib and a Compressed inside a Compressed are
 * refused without allocating the claimed size.
 */
static void
test_compressed_frames(void **state)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__ActionPoint ap = TAFEL__ACTION_POINT__INIT;
	Tafel__Event ev = TAFEL__EVENT__INIT;
	struct evbuffer *b = evbuffer_new();
	char text[6000];
	uint8_t *plain, *z;
	uLongf zn;
	size_t n;
	const char *err;

	(void)state;
	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	ap.id = 9;
	ap.description = text;
	ev.seq = 5;
	ev.action_point = &ap;
	env.body_case = TAFEL__ENVELOPE__BODY_EVENT;
	env.event = &ev;
	n = tafel__envelope__get_packed_size(&env);

	/* compressed, and whole again */
	assert_int_equal(frame_encode_zlib(b, &env, TAFEL_MAX_FRAME,
	    FRAME_ZLIB_MIN), 0);
	assert_true(evbuffer_get_length(b) < n / 10);
	m = decode_whole(b, TAFEL_MAX_FRAME, &err);
	assert_non_null(m);
	assert_int_equal(m->body_case, TAFEL__ENVELOPE__BODY_EVENT);
	assert_string_equal(m->event->action_point->description, text);
	frame_free(m);
	/* under the threshold: plain */
	assert_int_equal(frame_encode_zlib(b, &env, TAFEL_MAX_FRAME, n + 1), 0);
	assert_int_equal(evbuffer_get_length(b), n + 4);
	evbuffer_drain(b, n + 4);
	/* the inner envelope over the receiver's limit: refused */
	assert_int_equal(frame_encode_zlib(b, &env, TAFEL_MAX_FRAME,
	    FRAME_ZLIB_MIN), 0);
	assert_null(decode_whole(b, (uint32_t)n - 1, &err));

	plain = malloc(n);
	tafel__envelope__pack(&env, plain);
	zn = compressBound((uLong)n);
	z = malloc(zn);
	assert_int_equal(compress2(z, &zn, plain, (uLong)n, 9), Z_OK);
	/* a bomb: 4 GiB claimed */
	encode_compressed(b, UINT32_MAX, z, zn);
	assert_null(decode_whole(b, TAFEL_MAX_FRAME, &err));
	/* the length one short, one long, zero */
	encode_compressed(b, (uint32_t)n - 1, z, zn);
	assert_null(decode_whole(b, TAFEL_MAX_FRAME, &err));
	encode_compressed(b, (uint32_t)n + 1, z, zn);
	assert_null(decode_whole(b, TAFEL_MAX_FRAME, &err));
	encode_compressed(b, 0, z, zn);
	assert_null(decode_whole(b, TAFEL_MAX_FRAME, &err));
	/* not zlib: the plain bytes themselves */
	encode_compressed(b, (uint32_t)n, plain, n);
	assert_null(decode_whole(b, TAFEL_MAX_FRAME, &err));
	/* the right length of the right bytes: accepted */
	encode_compressed(b, (uint32_t)n, z, zn);
	m = decode_whole(b, TAFEL_MAX_FRAME, &err);
	assert_non_null(m);
	frame_free(m);
	free(plain);
	free(z);

	/* a Compressed inside a Compressed */
	{
		struct evbuffer *inner = evbuffer_new();
		uint8_t *ib;
		size_t in;

		encode_compressed(inner, 3, "abc", 3);
		in = evbuffer_get_length(inner) - 4;
		ib = malloc(in);
		evbuffer_drain(inner, 4);
		evbuffer_remove(inner, ib, in);
		zn = compressBound((uLong)in);
		z = malloc(zn);
		assert_int_equal(compress2(z, &zn, ib, (uLong)in, 6), Z_OK);
		encode_compressed(b, (uint32_t)in, z, zn);
		assert_null(decode_whole(b, TAFEL_MAX_FRAME, &err));
		assert_non_null(strstr(err, "again"));
		free(ib);
		free(z);
		evbuffer_free(inner);
	}
	/* a plain envelope passes through untouched */
	env.event = &ev;
	assert_int_equal(frame_encode(b, &env, TAFEL_MAX_FRAME), 0);
	m = decode_whole(b, TAFEL_MAX_FRAME, &err);
	assert_non_null(m);
	assert_int_equal(m->body_case, TAFEL__ENVELOPE__BODY_EVENT);
	frame_free(m);
	assert_int_equal(evbuffer_get_length(b), 0);
	evbuffer_free(b);
}

/*
 * An answer in parts (common/parts.c): a snapshot split under a budget
 * and joined again from the frames gives back every entry of every list
 * once and in order, the meeting only in the first part; an entry larger
 * than the budget, or more parts than allowed, give no split.
 */
static void
test_answer_in_parts(void **state)
{
	enum { N = 100, ORGS = 50 };
	Tafel__Snapshot sn = TAFEL__SNAPSHOT__INIT;
	Tafel__Meeting mt = TAFEL__MEETING__INIT;
	Tafel__ActionPoint ap[N], *aps[N];
	int64_t orgs[ORGS];
	char desc[N][1001];
	ProtobufCMessage *parts[PARTS_MAX];
	Tafel__Envelope *whole = NULL;
	size_t n, i;

	(void)state;
	mt.id = 7;
	sn.meeting = &mt;
	for (i = 0; i < N; i++) {
		tafel__action_point__init(&ap[i]);
		ap[i].id = (int64_t)i + 1;
		memset(desc[i], 'a' + (int)(i % 26), 1000);
		desc[i][1000] = '\0';
		ap[i].description = desc[i];
		aps[i] = &ap[i];
	}
	sn.n_actions = N;
	sn.actions = aps;
	for (i = 0; i < ORGS; i++)
		orgs[i] = (int64_t)i * 1000;
	sn.n_member_org_ids = ORGS;
	sn.member_org_ids = orgs;

	n = parts_split(&sn.base, 30000, PARTS_MAX, parts);
	assert_int_equal(n, 4);		/* 100 KB in parts of under 30 KB */
	for (i = 0; i < n; i++) {
		Tafel__SubscribeResponse r = TAFEL__SUBSCRIBE_RESPONSE__INIT;
		Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *got;
		uint8_t buf[40000];
		size_t len;

		assert_true(protobuf_c_message_get_packed_size(parts[i]) <=
		    30000);
		r.snapshot = (Tafel__Snapshot *)parts[i];
		r.parts_left = (uint32_t)(n - 1 - i);
		env.body_case = TAFEL__ENVELOPE__BODY_SUBSCRIBED;
		env.subscribed = &r;
		len = tafel__envelope__pack(&env, buf);
		got = frame_unpack(buf, len);
		assert_non_null(got);
		assert_int_equal(got->subscribed->snapshot->meeting != NULL,
		    i == 0);
		if (whole == NULL) {
			whole = got;
			continue;
		}
		assert_int_equal(parts_join(&whole->subscribed->snapshot->base,
		    &got->subscribed->snapshot->base), 0);
		assert_int_equal(got->subscribed->snapshot->n_actions, 0);
		frame_free(got);
	}
	for (i = 0; i < n; i++)
		free(parts[i]);
	assert_int_equal(whole->subscribed->snapshot->meeting->id, 7);
	assert_int_equal(whole->subscribed->snapshot->n_actions, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(whole->subscribed->snapshot->actions[i]->id,
		    (int64_t)i + 1);
		assert_string_equal(
		    whole->subscribed->snapshot->actions[i]->description,
		    desc[i]);
	}
	assert_int_equal(whole->subscribed->snapshot->n_member_org_ids, ORGS);
	for (i = 0; i < ORGS; i++)
		assert_int_equal(
		    whole->subscribed->snapshot->member_org_ids[i],
		    (int64_t)i * 1000);
	frame_free(whole);

	/* one entry over the budget; too many parts */
	assert_int_equal(parts_split(&sn.base, 900, PARTS_MAX, parts), 0);
	assert_int_equal(parts_split(&sn.base, 30000, 3, parts), 0);
	/* whole when it fits */
	assert_int_equal(parts_split(&sn.base, 200000, PARTS_MAX, parts), 1);
	assert_int_equal(((Tafel__Snapshot *)parts[0])->n_actions, N);
	free(parts[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_oversized_rejected_from_header),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_round_trip_every_kind),
		cmocka_unit_test(test_encode_refuses_oversized),
		cmocka_unit_test(test_unknown_body),
		cmocka_unit_test(test_unknown_group),
		cmocka_unit_test(test_decode_memory_cap),
		cmocka_unit_test(test_compressed_frames),
		cmocka_unit_test(test_answer_in_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
