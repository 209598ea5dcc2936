/* Integration: hostile and broken clients: floods, slow handshakes and logins, connection limits, client certificates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"


static struct tafeld srv;

static const char *const args[] = {
	"--set", "handshake_timeout=1s",
	"--set", "login_timeout=2s",
	"--set", "max_unauthenticated=4",
	"--set", "rate_session=20",
	"--set", "rate_burst=20",
	NULL
};

static int
setup(void **state)
{
	(void)state;
	return tafeld_start_demo(&srv, args);
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&srv);
}

static int
tcp_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Waits up to ms for the peer to close fd; 1 if it did. */
static int
closed_within(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[512];
	long long deadline = now_ms() + ms;

	while (now_ms() < deadline) {
		if (poll(&p, 1, (int)(deadline - now_ms())) <= 0)
			return 0;
		if (read(fd, buf, sizeof buf) <= 0)
			return 1;
	}
	return 0;
}

static Tafel__Envelope *
ping(struct tclient *c)
{
	Tafel__PingRequest p = TAFEL__PING_REQUEST__INIT;

	return tclient_req(c, B(PING), &p, NULL);
}

/* A client that opens TCP and never starts TLS is dropped after handshake_timeout. */
static void
test_slow_handshake_dropped(void **state)
{
	int fd = tcp_connect(srv.port);

	(void)state;
	assert_true(fd >= 0);
	assert_true(closed_within(fd, 15000));
	close(fd);
	assert_true(tafeld_log_count(&srv, "no TLS handshake within") >= 1);
}

/* TLS done, no Hello: HELLO_EXPECTED and closed.  Hello, no login: SESSION_EXPIRED. */
static void
test_slow_hello_and_login_dropped(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;

	(void)state;
	assert_int_equal(tclient_connect(&c, &srv), 0);
	m = tclient_recv(&c, 10000);	/* server hello */
	harness_expect_body(m, B(HELLO));
	frame_free(m);
	m = tclient_recv(&c, 15000);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__HELLO_EXPECTED);
	frame_free(m);
	assert_null(tclient_recv(&c, 10000));
	tclient_close(&c);

	assert_int_equal(tclient_open(&c, &srv, TAFEL_PROTOCOL_VERSION), 0);
	m = tclient_recv(&c, 15000);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__SESSION_EXPIRED);
	frame_free(m);
	assert_null(tclient_recv(&c, 10000));
	tclient_close(&c);
}

/* More than max_unauthenticated connections that have not logged in are refused. */
static void
test_unauthenticated_limit(void **state)
{
	struct tclient c[4], extra, user;
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(tclient_open(&c[i], &srv,
		    TAFEL_PROTOCOL_VERSION), 0);
	/* The fifth is closed at once, before any TLS. */
	assert_int_not_equal(tclient_connect(&extra, &srv), 0);
	tclient_close(&extra);
	for (i = 0; i < 4; i++)
		tclient_close(&c[i]);
	/* The slots free up again. */
	for (i = 0; i < 50; i++) {
		if (tclient_login(&user, &srv, "politie", "demo") == 0)
			break;
		tclient_close(&user);
		usleep(100000);
	}
	assert_true(i < 50);
	tclient_close(&user);
}

/* A flood gets RATE_LIMITED (with a retry time) and, if it goes on, a disconnect; others are served. */
static void
test_request_flood(void **state)
{
	struct tclient flood, other;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__PingRequest p = TAFEL__PING_REQUEST__INIT;
	int i, limited = 0, pongs = 0, closed = 0;
	long long t0, worst = 0;

	(void)state;
	assert_int_equal(tclient_login(&flood, &srv, "politie", "demo"), 0);
	assert_int_equal(tclient_login(&other, &srv, "voorzitter", "demo"), 0);
	env.body_case = B(PING);
	env.ping = &p;
	for (i = 0; i < 400; i++) {
		env.request_id = (uint64_t)i + 1;
		if (tclient_send(&flood, &env) != 0)
			break;
		if (i % 100 == 0) {
			t0 = now_ms();
			m = ping(&other);
			harness_expect_body(m, B(PONG));
			frame_free(m);
			if (now_ms() - t0 > worst)
				worst = now_ms() - t0;
		}
	}
	while ((m = tclient_recv(&flood, 3000)) != NULL) {
		if (m->body_case == B(PONG))
			pongs++;
		else if (m->body_case == B(ERROR) &&
		    m->error->code == TAFEL__ERROR_CODE__RATE_LIMITED) {
			limited++;
			if (m->request_id == 0)
				closed = 1;	/* the final error before the close */
			else
				assert_true(m->error->retry_after_ms > 0);
		}
		frame_free(m);
	}
	fprintf(stderr, "flood: sent %d, %d pongs, %d limited, closed %d\n", i, pongs, limited, closed);
	/*
	 * The server drops the flooder with a clean close: the final Error
	 * arrives (test_limits checks the order and the close_notify).
	 */
	assert_true(pongs >= 20);	/* the burst was served */
	assert_true(limited > 0);
	assert_int_equal(closed, 1);
	assert_true(flood.eof);
	assert_int_equal(tafeld_log_count(&srv, "too many requests; "
	    "disconnected"), 1);
	/* The other session was served all along and still is. */
	m = ping(&other);
	harness_expect_body(m, B(PONG));
	frame_free(m);
	fprintf(stderr, "flood: %d served, %d limited, worst other-session "
	    "ping %lld ms\n", pongs, limited, worst);
	tclient_close(&flood);
	tclient_close(&other);
}

/* One frame that is not a request (kind 0..3), with request_id id. */
static void
send_stray(struct tclient *c, int kind, uint64_t id)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__PongResponse pong = TAFEL__PONG_RESPONSE__INIT;
	Tafel__Hello hello = TAFEL__HELLO__INIT;
	/* request_id, then body field 39 (unknown) as an empty message */
	uint8_t raw[] = { 0, 0, 0, 5, 0x08, (uint8_t)id, 0xba, 0x02, 0x00 };

	env.request_id = id;
	switch (kind) {
	case 0:
		assert_true(id < 128);
		assert_int_equal(tclient_send_raw(c, raw, sizeof raw), 0);
		return;
	case 1:
		env.body_case = B(PONG);
		env.pong = &pong;
		break;
	case 2:
		break;		/* no body */
	default:
		hello.protocol_version = TAFEL_PROTOCOL_VERSION;
		env.body_case = B(HELLO);
		env.hello = &hello;
		break;
	}
	assert_int_equal(tclient_send(c, &env), 0);
}

/*
 * Frames that are not requests (an unknown body, a response body, none, a
 * second Hello) get UNKNOWN_MESSAGE and take no request tokens: a ping
 * after a burst of them is served. They have a budget of their own: the
 * 201st within 10 s closes the connection.
 */
static void
test_stray_frames(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	int i;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	for (i = 0; i < 100; i++)
		send_stray(&c, i % 4, (uint64_t)(i % 100) + 1);
	for (i = 0; i < 100; i++) {
		m = tclient_recv(&c, 5000);
		assert_int_equal(harness_error_of(m),
		    TAFEL__ERROR_CODE__UNKNOWN_MESSAGE);
		assert_int_equal(m->request_id, (uint64_t)i + 1);
		frame_free(m);
	}
	m = ping(&c);		/* rate_burst is 20: not spent by the above */
	harness_expect_body(m, B(PONG));
	frame_free(m);

	for (i = 0; i < 120; i++)
		send_stray(&c, i % 4, (uint64_t)(i % 100) + 1);
	for (i = 0; i < 100; i++) {
		m = tclient_recv(&c, 5000);
		assert_int_equal(harness_error_of(m),
		    TAFEL__ERROR_CODE__UNKNOWN_MESSAGE);
		frame_free(m);
	}
	m = tclient_recv(&c, 5000);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__RATE_LIMITED);
	assert_int_equal(m->request_id, 0);
	assert_string_equal(m->error->message,
	    "too many frames that are not requests; disconnected");
	frame_free(m);
	assert_null(tclient_recv(&c, 5000));
	assert_true(c.eof);
	tclient_close(&c);
}

/*
 * list_meetings with a time beyond what the register stores (after the
 * year 9999) is OUT_OF_RANGE naming the field, not INTERNAL from the
 * database; the last storable second still gives a list.
 */
static void
test_huge_times(void **state)
{
	struct tclient c;
	Tafel__ListMeetingsRequest q = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__Envelope *m;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	q.from = INT64_C(10000000000000);
	m = tclient_req(&c, B(LIST_MEETINGS), &q, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_string_equal(m->error->field, "from");
	frame_free(m);
	q.from = 0;
	q.to = INT64_MAX;
	m = tclient_req(&c, B(LIST_MEETINGS), &q, NULL);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_string_equal(m->error->field, "to");
	frame_free(m);
	q.from = INT64_C(253402300799);
	q.to = INT64_C(253402300799);
	m = tclient_req(&c, B(LIST_MEETINGS), &q, NULL);
	harness_expect_body(m, B(MEETING_LIST));
	frame_free(m);
	tclient_close(&c);
}

/* create_case with n persons named name ("" for empty entries). */
static Tafel__Envelope *
create_case_persons(struct tclient *c, size_t n, const char *name,
    int expect_answer)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Person *ps = calloc(n, sizeof *ps);
	Tafel__Person **pp = calloc(n, sizeof *pp);
	Tafel__Envelope *m;
	size_t i;

	for (i = 0; i < n; i++) {
		tafel__person__init(&ps[i]);
		ps[i].name = (char *)name;
		pp[i] = &ps[i];
	}
	cc.theme = "domestic_violence";
	cc.summary = "x";
	cc.n_persons = n;
	cc.persons = pp;
	env.request_id = 77;
	env.idempotency_key = (char *)harness_key();
	env.body_case = B(CREATE_CASE);
	env.create_case = &cc;
	assert_int_equal(tclient_send(c, &env), 0);
	free(ps);
	free(pp);
	m = tclient_recv(c, 10000);
	assert_non_null(m);
	if (expect_answer)
		assert_int_equal(m->request_id, 77);
	return m;
}

/*
 * A well-formed create_case with many short persons is answered by the
 * documented checks (protocol.md 3.2, 5.4, 7.4), not refused as
 * undecodable: 111 one-letter persons get OUT_OF_RANGE (at most 50), 501
 * get LIST_TOO_LONG, and the connection stays open. A frame of 2-byte
 * empty entries built to blow up memory is still FRAME_UNDECODABLE and
 * closes the connection.
 */
static void
test_many_short_persons(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	m = create_case_persons(&c, 111, "a", 1);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__OUT_OF_RANGE);
	assert_string_equal(m->error->field, "persons");
	frame_free(m);
	m = create_case_persons(&c, 501, "a", 1);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__LIST_TOO_LONG);
	frame_free(m);
	m = ping(&c);
	harness_expect_body(m, B(PONG));
	frame_free(m);

	m = create_case_persons(&c, (TAFEL_MAX_FRAME - 64) / 2, "", 0);
	assert_int_equal(harness_error_of(m),
	    TAFEL__ERROR_CODE__FRAME_UNDECODABLE);
	assert_int_equal(m->request_id, 0);
	frame_free(m);
	assert_null(tclient_recv(&c, 5000));
	assert_true(c.eof);
	tclient_close(&c);
}

/* After login the frame limit is larger, but still enforced from the header. */
static void
test_oversized_frame_after_login(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	uint32_t len = TAFEL_MAX_FRAME + 1;
	uint8_t hdr[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
	    (uint8_t)(len >> 8), (uint8_t)len };

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	assert_int_equal(tclient_send_raw(&c, hdr, 4), 0);
	m = tclient_recv(&c, 10000);
	assert_int_equal(harness_error_of(m), TAFEL__ERROR_CODE__FRAME_TOO_LARGE);
	frame_free(m);
	assert_null(tclient_recv(&c, 5000));
	tclient_close(&c);
}

/* Appends env to buf as one frame (length prefix, then the Envelope). */
static size_t
put_frame(uint8_t *buf, size_t at, size_t cap, const Tafel__Envelope *env)
{
	size_t n = protobuf_c_message_get_packed_size(&env->base);

	assert_true(at + 4 + n <= cap);
	buf[at] = (uint8_t)(n >> 24);
	buf[at + 1] = (uint8_t)(n >> 16);
	buf[at + 2] = (uint8_t)(n >> 8);
	buf[at + 3] = (uint8_t)n;
	protobuf_c_message_pack(&env->base, buf + at + 4);
	return at + 4 + n;
}

/* What follows the write in the one buffer of test_closing_error_answers_write. */
enum cut_off {
	CUT_RATE,		/* pings past the rate limit (5.7) */
	CUT_FRAME,		/* a length prefix over the limit (4.3) */
	CUT_STRAY,		/* frames that are not requests (5.3) */
};

/*
 * A write sent just before a closing error, in the same TCP write, is at
 * the database when the server decides to close: it is answered before
 * the closing Error (docs/protocol.md 4.3, 5.7), not only carried out, and
 * carried out once.  Before the server drained such requests, the write
 * was applied and its answer lost.
 */
static void
closing_error_answers_write(enum cut_off how, const char *name)
{
	static uint8_t buf[16384];
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__PersonRequest pr = TAFEL__PERSON_REQUEST__INIT;
	Tafel__Person p = TAFEL__PERSON__INIT;
	Tafel__PingRequest ping_rq = TAFEL__PING_REQUEST__INIT;
	/* request_id, then body field 50 (unknown) as an empty message */
	static const uint8_t stray[] = { 0, 0, 0, 5, 0x08, 0x07, 0x92, 0x03,
	    0x00 };
	char key[80], sql[200], n[16];
	size_t at = 0;
	int i, answered = 0, final = 0, after_final = 0;
	Tafel__ErrorCode want = how == CUT_FRAME ?
	    TAFEL__ERROR_CODE__FRAME_TOO_LARGE : TAFEL__ERROR_CODE__RATE_LIMITED;

	usleep(1100000);	/* the address bucket, spent by earlier tests */
	snprintf(key, sizeof key, "%s", harness_key());
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	p.case_id = 12;
	p.name = (char *)name;
	pr.person = &p;
	env.request_id = 1000;
	env.idempotency_key = key;
	env.body_case = B(ADD_PERSON);
	env.add_person = &pr;
	at = put_frame(buf, at, sizeof buf, &env);
	switch (how) {
	case CUT_RATE:
		memset(&env, 0, sizeof env);
		tafel__envelope__init(&env);
		env.body_case = B(PING);
		env.ping = &ping_rq;
		for (i = 0; i < 280; i++) {
			env.request_id = 2000 + (uint64_t)i;
			at = put_frame(buf, at, sizeof buf, &env);
		}
		break;
	case CUT_FRAME:
		memset(buf + at, 0xff, 3);
		buf[at + 3] = 0xf0;
		at += 4;
		break;
	case CUT_STRAY:
		for (i = 0; i < 210; i++) {
			assert_true(at + sizeof stray <= sizeof buf);
			memcpy(buf + at, stray, sizeof stray);
			at += sizeof stray;
		}
		break;
	}
	assert_int_equal(tclient_send_raw(&c, buf, at), 0);
	while ((m = tclient_recv(&c, 5000)) != NULL) {
		if (final)
			after_final++;
		else if (m->request_id == 1000) {
			if (m->body_case == B(ERROR))
				harness_print_error("the write", m);
			assert_int_equal(m->body_case, B(PERSON));
			answered++;
		} else if (m->request_id == 0) {
			assert_int_equal(harness_error_of(m), want);
			final = 1;
		}
		frame_free(m);
	}
	fprintf(stderr, "%s: write answered %d, final %d, clean close %d\n",
	    name, answered, final, c.clean_close);
	/* the answer first, then the Error, then nothing but a clean close */
	assert_int_equal(answered, 1);
	assert_int_equal(final, 1);
	assert_int_equal(after_final, 0);
	assert_true(c.eof);
	assert_int_equal(c.clean_close, 1);
	tclient_close(&c);

	/* applied once; the retry with the same key is the same answer */
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	m = tclient_req(&c, B(ADD_PERSON), &pr, key);
	harness_expect_body(m, B(PERSON));
	frame_free(m);
	tclient_close(&c);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM persons WHERE name = "
	    "'%s'", name);
	assert_int_equal(harness_psql_value(&srv, sql, n, sizeof n), 0);
	assert_string_equal(n, "1");
}

static void
test_rate_limit_answers_write(void **state)
{
	(void)state;
	closing_error_answers_write(CUT_RATE, "Voor Afsluiting Snelheid");
}

static void
test_frame_too_large_answers_write(void **state)
{
	(void)state;
	closing_error_answers_write(CUT_FRAME, "Voor Afsluiting Frame");
}

static void
test_stray_limit_answers_write(void **state)
{
	(void)state;
	closing_error_answers_write(CUT_STRAY, "Voor Afsluiting Ruis");
}

/*
 * The drain is bounded: a write held up at the database for longer than
 * the 2 s grace gets no answer; the closing Error goes out after the
 * grace, then the clean close.  The write, when its lock is gone, is
 * still carried out once (a retry with its key gets the stored answer).
 */
static void
test_drain_deadline(void **state)
{
	static uint8_t buf[1024];
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__PersonRequest pr = TAFEL__PERSON_REQUEST__INIT;
	Tafel__Person p = TAFEL__PERSON__INIT;
	char key[80], n[16];
	size_t at;
	pid_t locker;
	int st, final = 0;
	long long t0, waited = 0;

	(void)state;
	usleep(1100000);	/* the address bucket, spent by earlier tests */
	snprintf(key, sizeof key, "%s", harness_key());
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	/* held until the connection is closed, long past the deadline */
	locker = harness_lock_table(&srv, "persons");
	assert_true(locker > 0);
	p.case_id = 12;
	p.name = "Na Afsluiting Geschreven";
	pr.person = &p;
	env.request_id = 1000;
	env.idempotency_key = key;
	env.body_case = B(ADD_PERSON);
	env.add_person = &pr;
	at = put_frame(buf, 0, sizeof buf, &env);
	memcpy(buf + at, "\xff\xff\xff\xf0", 4);
	at += 4;
	t0 = now_ms();
	assert_int_equal(tclient_send_raw(&c, buf, at), 0);
	while ((m = tclient_recv(&c, 5000)) != NULL) {
		/* only the Error: the write is still waiting for its lock */
		assert_int_equal(m->request_id, 0);
		assert_int_equal(harness_error_of(m),
		    TAFEL__ERROR_CODE__FRAME_TOO_LARGE);
		if (!final)
			waited = now_ms() - t0;
		final++;
		frame_free(m);
	}
	fprintf(stderr, "drain deadline: Error after %lld ms, clean close %d\n",
	    waited, c.clean_close);
	assert_int_equal(final, 1);
	assert_true(waited >= 1800 && waited < 30000);
	assert_true(c.eof);
	assert_int_equal(c.clean_close, 1);
	tclient_close(&c);
	assert_int_equal(tafeld_log_count(&srv, "still running after 2000 ms; "
	    "closing without their answers"), 1);

	/* the write still runs once the lock goes, answered or not */
	assert_int_equal(harness_unlock_table(&srv, locker), 0);
	assert_int_equal(waitpid(locker, &st, 0), locker);
	assert_int_equal(harness_sql_until(&srv, "SELECT count(*) = 1 FROM "
	    "persons WHERE name = 'Na Afsluiting Geschreven'", 10000), 1);
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	m = tclient_req(&c, B(ADD_PERSON), &pr, key);
	harness_expect_body(m, B(PERSON));
	frame_free(m);
	tclient_close(&c);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM "
	    "persons WHERE name = 'Na Afsluiting Geschreven'", n, sizeof n), 0);
	assert_string_equal(n, "1");
}

/*
 * A login still being checked when a closing error comes is answered
 * before the closing Error too: with that Error's code (no session starts
 * on a closing connection), not left without an answer.
 */
static void
test_frame_too_large_answers_login(void **state)
{
	static uint8_t buf[1024];
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	size_t at;
	int answered = 0, final = 0;

	(void)state;
	usleep(1100000);	/* the address bucket, spent by earlier tests */
	assert_int_equal(tclient_open(&c, &srv, TAFEL_PROTOCOL_VERSION), 0);
	l.login = "voorzitter";
	l.password = "demo";
	env.request_id = 500;
	env.body_case = B(LOGIN);
	env.login = &l;
	at = put_frame(buf, 0, sizeof buf, &env);
	/* 64 KiB: over the limit before login */
	memcpy(buf + at, "\x00\x01\x00\x00", 4);
	at += 4;
	assert_int_equal(tclient_send_raw(&c, buf, at), 0);
	while ((m = tclient_recv(&c, 5000)) != NULL) {
		assert_false(final);
		if (m->request_id == 500) {
			assert_int_equal(harness_error_of(m),
			    TAFEL__ERROR_CODE__FRAME_TOO_LARGE);
			answered++;
		} else {
			assert_int_equal(m->request_id, 0);
			assert_int_equal(harness_error_of(m),
			    TAFEL__ERROR_CODE__FRAME_TOO_LARGE);
			final = 1;
		}
		frame_free(m);
	}
	assert_int_equal(answered, 1);
	assert_int_equal(final, 1);
	assert_true(c.eof);
	assert_int_equal(c.clean_close, 1);
	tclient_close(&c);
}

/* Streams TLS KeyUpdates (each asking for one back) for ms, reading nothing. */
static pid_t
keyupdate_flood(struct tclient *c, int ms)
{
	pid_t pid = fork();
	long long end;

	assert_true(pid >= 0);
	if (pid != 0)
		return pid;
	end = now_ms() + ms;
	while (now_ms() < end)
		if (SSL_key_update(c->ssl, SSL_KEY_UPDATE_REQUESTED) != 1 ||
		    SSL_do_handshake(c->ssl) != 1)
			_exit(1);
	_exit(0);
}

/*
 * A client that streams TLS KeyUpdates (no application data, no request,
 * so no rate limit sees them) does not hold up the others: tafeld reads
 * one such record per turn of its event loop.  With OpenSSL's auto-retry
 * one SSL_read went on reading KeyUpdates for as long as they kept
 * coming, and another session's ping waited for seconds.  And it is cut
 * off after 64 of them in 10 s (server/conn.c conn_tls_msg): unbounded,
 * a stream of them cost tafeld 12 s of CPU in 15.
 */
static void
test_keyupdate_flood(void **state)
{
	struct tclient flood[2], other;
	Tafel__Envelope *m;
	pid_t kids[2];
	long long t0, end, worst = 0;
	int i, st, pings = 0;

	(void)state;
	usleep(1100000);	/* the address bucket, spent by earlier tests */
	assert_int_equal(tclient_login(&other, &srv, "voorzitter", "demo"), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(tclient_login(&flood[i], &srv, "politie",
		    "demo"), 0);
	for (i = 0; i < 2; i++)
		kids[i] = keyupdate_flood(&flood[i], 4000);
	end = now_ms() + 4000;
	while (now_ms() < end) {
		t0 = now_ms();
		m = ping(&other);
		assert_non_null(m);	/* else: no answer in 10 s */
		harness_expect_body(m, B(PONG));
		frame_free(m);
		pings++;
		if (now_ms() - t0 > worst)
			worst = now_ms() - t0;
		usleep(100000);
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(waitpid(kids[i], &st, 0), kids[i]);
		tclient_close(&flood[i]);
	}
	fprintf(stderr, "keyupdate flood: %d pings of another session, the "
	    "slowest %lld ms\n", pings, worst);
	assert_true(worst < 500);
	/* both flooding connections were ended by the server */
	assert_int_equal(tafeld_log_count(&srv, "TLS KeyUpdates in 10 s; "
	    "disconnecting"), 2);
	m = ping(&other);
	harness_expect_body(m, B(PONG));
	frame_free(m);
	tclient_close(&other);
}

/*
 * Password checks take turns between addresses: 96 logins sent at once
 * from four addresses (a few seconds of Argon2id for the two workers) do
 * not hold up a login from a fifth.  In plain order of arrival it waited
 * behind all of them.
 */
static void
test_login_flood_turns(void **state)
{
	static const char *const from[] = { "127.0.0.11", "127.0.0.12",
	    "127.0.0.13", "127.0.0.14" };
	static struct tclient flood[96];
	struct tafeld m;
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	long long t0, took;
	int i;

	(void)state;
	assert_int_equal(tafeld_start_demo(&m, NULL), 0);
	for (i = 0; i < 96; i++) {
		harness_source_ip = from[i % 4];
		assert_int_equal(tclient_open(&flood[i], &m,
		    TAFEL_PROTOCOL_VERSION), 0);
	}
	l.login = "niemand";
	l.password = "fout-wachtwoord";
	env.request_id = 1;
	env.body_case = B(LOGIN);
	env.login = &l;
	for (i = 0; i < 96; i++)
		assert_int_equal(tclient_send(&flood[i], &env), 0);
	harness_source_ip = "127.0.0.20";
	t0 = now_ms();
	assert_int_equal(tclient_login(&c, &m, "voorzitter", "demo"), 0);
	took = now_ms() - t0;
	harness_source_ip = NULL;
	tclient_close(&c);
	fprintf(stderr, "login flood: a login from another address took %lld "
	    "ms behind 96 queued password checks\n", took);
	assert_true(took < 2000);
	/* every check of the flood is answered too (then none is left
	 * queued when the server stops) */
	for (i = 0; i < 96; i++) {
		Tafel__Envelope *e = tclient_recv(&flood[i], 30000);

		assert_int_equal(harness_error_of(e),
		    TAFEL__ERROR_CODE__LOGIN_FAILED);
		frame_free(e);
		tclient_close(&flood[i]);
	}
	tafeld_stop(&m);
	tafeld_cleanup(&m);
}

/* With client_certs = yes: a certificate of the user's own organisation is required. */
static void
test_client_certificates(void **state)
{
	struct tafeld m;
	static const char *const mtls[] = { "--set", "client_certs=yes", NULL };
	char cert[400], key[400], cmd[1200];
	struct tclient c;
	Tafel__Envelope *e;
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;

	(void)state;
	assert_int_equal(tafeld_start_demo(&m, mtls), 0);
	assert_int_equal(tafeld_log_count(&m, "client certificates required"), 1);
	snprintf(cmd, sizeof cmd, "cd %s.log.d 2>/dev/null || mkdir -p "
	    "%s-certs && cd %s-certs && %s --config /dev/null --data-dir %s "
	    "cert issue 'Politie Eenheid Oost-Nederland' politie 30 "
	    ">/dev/null", m.dir, m.dir, m.dir, getenv("TAFELCTL"), m.dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cert, sizeof cert, "%s-certs/politie.crt", m.dir);
	snprintf(key, sizeof key, "%s-certs/politie.key", m.dir);

	/*
	 * No certificate: no login (TLS 1.3 may complete the handshake on the
	 * client side before the server's alert; then the first read fails).
	 */
	assert_int_not_equal(tclient_login(&c, &m, "politie", "demo"), 0);
	tclient_close(&c);

	harness_client_cert = cert;
	harness_client_key = key;
	assert_int_equal(tclient_login(&c, &m, "politie", "demo"), 0);
	tclient_close(&c);
	/* The police certificate does not log in a municipality user. */
	assert_int_equal(tclient_open(&c, &m, TAFEL_PROTOCOL_VERSION), 0);
	l.login = "voorzitter";
	l.password = "demo";
	e = tclient_req(&c, B(LOGIN), &l, NULL);
	assert_int_equal(harness_error_of(e), TAFEL__ERROR_CODE__FORBIDDEN);
	frame_free(e);
	tclient_close(&c);
	harness_client_cert = NULL;
	harness_client_key = NULL;
	tafeld_stop(&m);
	snprintf(cmd, sizeof cmd, "rm -rf %s-certs", m.dir);
	assert_int_equal(system(cmd), 0);
	tafeld_cleanup(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slow_handshake_dropped),
		cmocka_unit_test(test_slow_hello_and_login_dropped),
		cmocka_unit_test(test_unauthenticated_limit),
		cmocka_unit_test(test_request_flood),
		cmocka_unit_test(test_stray_frames),
		cmocka_unit_test(test_huge_times),
		cmocka_unit_test(test_many_short_persons),
		cmocka_unit_test(test_oversized_frame_after_login),
		cmocka_unit_test(test_rate_limit_answers_write),
		cmocka_unit_test(test_frame_too_large_answers_write),
		cmocka_unit_test(test_stray_limit_answers_write),
		cmocka_unit_test(test_frame_too_large_answers_login),
		cmocka_unit_test(test_drain_deadline),
		cmocka_unit_test(test_keyupdate_flood),
		cmocka_unit_test(test_login_flood_turns),
		cmocka_unit_test(test_client_certificates),
	};

	harness_require_service_user();
	return cmocka_run_group_tests(tests, setup, teardown);
}
