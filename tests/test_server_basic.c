/* Integration: a real tafeld on the embedded default, TLS 1.3 only, Hello exchange, cluster lifecycle. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/ssl.h>

#include "envelope.h"
#include "frame.h"
#include "harness.h"
#include "proto.h"

static struct tafeld srv;

static int
setup(void **state)
{
	(void)state;
	return tafeld_start(&srv, NULL, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	return tafeld_teardown(&srv);
}

/* TLS 1.3 with the generated CA; both Hellos; ping answered. */
static void
test_hello_over_tls13(void **state)
{
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__PingRequest ping = TAFEL__PING_REQUEST__INIT;
	Tafel__Envelope hello_env;
	Tafel__Hello hello;

	(void)state;
	assert_int_equal(tclient_connect(&c, &srv), 0);
	assert_string_equal(SSL_get_version(c.ssl), "TLSv1.3");
	m = tclient_recv(&c, 10000);
	assert_non_null(m);
	assert_int_equal(m->body_case, TAFEL__ENVELOPE__BODY_HELLO);
	assert_int_equal(m->hello->protocol_version, TAFEL_PROTOCOL_VERSION);
	assert_string_equal(m->hello->software, "tafeld");
	assert_string_equal(m->hello->software_version, TAFEL_VERSION);
	frame_free(m);
	envelope_hello(&hello_env, &hello, "test", TAFEL_MAX_FRAME);
	assert_int_equal(tclient_send(&c, &hello_env), 0);
	ping.nonce = 99;
	env.body_case = TAFEL__ENVELOPE__BODY_PING;
	env.ping = &ping;
	m = tclient_call(&c, &env, 10000);
	assert_non_null(m);
	assert_int_equal(m->body_case, TAFEL__ENVELOPE__BODY_PONG);
	assert_int_equal(m->pong->nonce, 99);
	frame_free(m);
	tclient_close(&c);
}

/* A wrong protocol version gets VERSION_MISMATCH, then the close. */
static void
test_version_mismatch(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;

	(void)state;
	assert_int_equal(tclient_open(&c, &srv, TAFEL_PROTOCOL_VERSION + 41), 0);
	m = tclient_recv(&c, 10000);
	assert_non_null(m);
	assert_int_equal(m->body_case, TAFEL__ENVELOPE__BODY_ERROR);
	assert_int_equal(m->error->code, TAFEL__ERROR_CODE__VERSION_MISMATCH);
	assert_non_null(strstr(m->error->message, "protocol version 42"));
	frame_free(m);
	assert_null(tclient_recv(&c, 10000));
	assert_true(c.eof);
	tclient_close(&c);
}

/* A first frame that is not a Hello is refused and the connection closed. */
static void
test_hello_required(void **state)
{
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__PingRequest ping = TAFEL__PING_REQUEST__INIT;

	(void)state;
	assert_int_equal(tclient_connect(&c, &srv), 0);
	frame_free(tclient_recv(&c, 10000));	/* server hello */
	env.body_case = TAFEL__ENVELOPE__BODY_PING;
	env.ping = &ping;
	env.request_id = 1;
	assert_int_equal(tclient_send(&c, &env), 0);
	m = tclient_recv(&c, 10000);
	assert_non_null(m);
	assert_int_equal(m->error->code, TAFEL__ERROR_CODE__HELLO_EXPECTED);
	frame_free(m);
	assert_null(tclient_recv(&c, 10000));
	tclient_close(&c);
}

/* An oversized length prefix before login: FRAME_TOO_LARGE and close. */
static void
test_oversized_frame_before_login(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	uint8_t hdr[4] = { 0, 1, 0, 0 };	/* 64 KiB > pre-login limit */

	(void)state;
	assert_int_equal(tclient_open(&c, &srv, TAFEL_PROTOCOL_VERSION), 0);
	assert_int_equal(tclient_send_raw(&c, hdr, sizeof hdr), 0);
	m = tclient_recv(&c, 10000);
	assert_non_null(m);
	assert_int_equal(m->error->code, TAFEL__ERROR_CODE__FRAME_TOO_LARGE);
	frame_free(m);
	assert_null(tclient_recv(&c, 10000));
	tclient_close(&c);
}

/* Garbage payload: FRAME_UNDECODABLE; the server keeps serving others. */
static void
test_garbage_frame(void **state)
{
	struct tclient c, other;
	Tafel__Envelope *m;
	static const uint8_t bad[] = { 0, 0, 0, 3, 0xff, 0xff, 0xff };

	(void)state;
	assert_int_equal(tclient_open(&other, &srv, TAFEL_PROTOCOL_VERSION), 0);
	assert_int_equal(tclient_open(&c, &srv, TAFEL_PROTOCOL_VERSION), 0);
	assert_int_equal(tclient_send_raw(&c, bad, sizeof bad), 0);
	m = tclient_recv(&c, 10000);
	assert_non_null(m);
	assert_int_equal(m->error->code, TAFEL__ERROR_CODE__FRAME_UNDECODABLE);
	frame_free(m);
	tclient_close(&c);
	{
		Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
		Tafel__PingRequest ping = TAFEL__PING_REQUEST__INIT;

		env.body_case = TAFEL__ENVELOPE__BODY_PING;
		env.ping = &ping;
		m = tclient_call(&other, &env, 10000);
		assert_non_null(m);
		assert_int_equal(m->body_case, TAFEL__ENVELOPE__BODY_PONG);
		frame_free(m);
	}
	tclient_close(&other);
}

/* Plain TCP speaking our protocol is not TLS: no Hello, connection dropped. */
static void
test_plain_tcp_refused(void **state)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	static const uint8_t frame[] = { 0, 0, 0, 2, 0x08, 0x01 };
	char buf[256];
	ssize_t n;
	struct pollfd pfd;
	int total = 0;

	(void)state;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)srv.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(write(fd, frame, sizeof frame), (ssize_t)sizeof frame);
	/* The server answers at most a TLS alert and closes; never a frame. */
	for (;;) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		assert_true(poll(&pfd, 1, 15000) == 1);
		n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		assert_int_equal((unsigned char)buf[0], 0x15);	/* TLS alert */
		total += (int)n;
	}
	assert_true(total < 64);
	close(fd);
}

/* A client limited to TLS 1.2 fails the handshake. */
static void
test_tls12_refused(void **state)
{
	struct sockaddr_in sa;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl;
	char ca[400];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	snprintf(ca, sizeof ca, "%s/tls/ca.crt", srv.dir);
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_load_verify_locations(ctx, ca, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)srv.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	assert_int_not_equal(SSL_connect(ssl), 1);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
}

/* The CA tafelctl prints is the one the server's certificate chains to. */
static void
test_ctl_prints_ca(void **state)
{
	char cmd[600], path[400];
	struct stat st;

	(void)state;
	snprintf(path, sizeof path, "%s/tls/ca.key", srv.dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);	/* private key not readable */
	snprintf(cmd, sizeof cmd, "%s --config /dev/null --data-dir %s ca-cert "
	    "| cmp -s - %s/tls/ca.crt", getenv("TAFELCTL"), srv.dir, srv.dir);
	assert_int_equal(system(cmd), 0);
}

/* Stop: the cluster stops with tafeld; restart reuses it (no initdb). */
static void
test_cluster_stopped_and_reused(void **state)
{
	char pidfile[400], pgver[400];
	struct stat st, st2;
	struct tclient c;

	(void)state;
	snprintf(pidfile, sizeof pidfile, "%s/pg/data/postmaster.pid", srv.dir);
	snprintf(pgver, sizeof pgver, "%s/pg/data/PG_VERSION", srv.dir);
	assert_int_equal(stat(pidfile, &st), 0);	/* running */
	assert_int_equal(stat(pgver, &st), 0);
	assert_int_equal(tafeld_log_count(&srv, "initialising new PostgreSQL"), 1);

	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_not_equal(stat(pidfile, &st2), 0);	/* stopped cleanly */

	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
	assert_int_equal(stat(pidfile, &st2), 0);
	assert_int_equal(stat(pgver, &st2), 0);
	assert_int_equal(st2.st_ino, st.st_ino);	/* same cluster */
	assert_int_equal(tafeld_log_count(&srv, "initialising new PostgreSQL"), 1);
	assert_int_equal(tafeld_log_count(&srv, "reusing PostgreSQL cluster"), 1);
	/* The schema was not applied again either. */
	assert_int_equal(tafeld_log_count(&srv, "applying migration 0001"), 1);
	assert_int_equal(tclient_open(&c, &srv, TAFEL_PROTOCOL_VERSION), 0);
	tclient_close(&c);
}

/*
 * Each new pool connection warms up (db_warm_up) before it serves: with
 * nothing to warm with (no meeting) it builds nothing; with the demo's
 * meetings it builds two snapshots, logged per connection; switched off,
 * it does not run.  The server answers in each case.
 */
static void
test_pool_warms_up(void **state)
{
	static const char *const demo[] = { "demo-data", NULL };
	static const char *const two[] = { "--set", "db_pool_size=2", NULL };
	static const char *const off[] = { "--set", "db_pool_size=2", "--set",
	    "db_warm_up=no", NULL };
	struct tclient c;
	int before;

	(void)state;
	assert_int_equal(tafeld_log_count(&srv, "(2 renderings)"), 0);
	assert_true(tafeld_log_count(&srv, "(0 renderings)") >= 1);
	assert_int_equal(tafelctl_run(&srv, demo), 0);

	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, two), 0);
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	tclient_close(&c);
	/* the pool warms up beside the login */
	assert_int_equal(tafeld_log_wait(&srv, "(2 renderings)", 2, 10000), 2);
	assert_int_equal(tafeld_log_count(&srv, "warm-up failed"), 0);

	before = tafeld_log_count(&srv, "warmed up in");
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, off), 0);
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	tclient_close(&c);
	assert_int_equal(tafeld_log_count(&srv, "warmed up in"), before);
}

/* The snapshot of the largest demo meeting as user sees it; NULL on failure. */
static Tafel__Envelope *
snapshot_of(struct tclient *c, const char *user, uint64_t meeting)
{
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__Envelope *m;

	if (tclient_login(c, &srv, user, "demo") != 0)
		return NULL;
	s.meeting_id = meeting;
	m = tclient_req(c, TAFEL__ENVELOPE__BODY_SUBSCRIBE, &s, NULL);
	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_SUBSCRIBED ||
	    m->subscribed->snapshot == NULL) {
		frame_free(m);
		return NULL;
	}
	return m;
}

/*
 * Compressed frames (docs/protocol.md 3.5): a client whose Hello accepts
 * them gets the big snapshot compressed, and it inflates to exactly the
 * snapshot a client without them gets; with compression = no, or without
 * accept_zlib, nothing comes compressed.  A client may not send one.
 */
static void
test_compressed_frames(void **state)
{
	static const char *const off[] = { "--set", "compression=no", NULL };
	Tafel__Envelope *plain, *z, env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__Compressed comp = TAFEL__COMPRESSED__INIT;
	struct tclient a, b;
	char id[32], sql[512];
	uint64_t meeting;
	size_t n;
	uint8_t *pa, *pb;

	(void)state;
	/* the demo data is in (test_pool_warms_up); its largest meeting */
	assert_int_equal(harness_psql_value(&srv, "SELECT ai.meeting_id FROM "
	    "agenda_items ai JOIN action_points ap ON ap.case_id = ai.case_id "
	    "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1", id, sizeof id), 0);
	meeting = strtoull(id, NULL, 10);
	/* the demo's snapshots are small: 40 more action points per case */
	snprintf(sql, sizeof sql, "INSERT INTO action_points (case_id, "
	    "meeting_id, description, owner_org_id, due_date) SELECT a.case_id, "
	    "a.meeting_id, a.description || ' (' || g || ')', a.owner_org_id, "
	    "a.due_date FROM action_points a JOIN agenda_items ai ON "
	    "ai.case_id = a.case_id AND ai.meeting_id = %" PRIu64 ", "
	    "generate_series(1, 40) g", meeting);
	assert_int_equal(harness_psql(&srv, sql), 0);

	harness_accept_zlib = 0;
	plain = snapshot_of(&a, "voorzitter", meeting);
	assert_non_null(plain);
	assert_int_equal(a.zlib_frames, 0);
	harness_accept_zlib = 1;
	z = snapshot_of(&b, "voorzitter", meeting);
	assert_non_null(z);
	harness_accept_zlib = 0;
	/* the snapshot came compressed, in well under half its bytes */
	print_message("snapshot of %zu bytes came in %zu compressed\n",
	    b.zlib_plain, b.zlib_wire);
	assert_int_equal(b.zlib_frames, 1);
	assert_true(b.zlib_plain > FRAME_ZLIB_MIN);
	assert_true(b.zlib_wire * 2 < b.zlib_plain);
	/* and is the same snapshot, byte for byte */
	z->request_id = plain->request_id;	/* each client's own id */
	n = tafel__envelope__get_packed_size(plain);
	assert_int_equal(tafel__envelope__get_packed_size(z), n);
	pa = malloc(n);
	pb = malloc(n);
	tafel__envelope__pack(plain, pa);
	tafel__envelope__pack(z, pb);
	assert_memory_equal(pa, pb, n);
	free(pa);
	free(pb);
	frame_free(plain);
	frame_free(z);

	/* a client may not send one: not a request, the connection stays */
	comp.length = 10;
	env.body_case = TAFEL__ENVELOPE__BODY_COMPRESSED;
	env.compressed = &comp;
	m = tclient_call(&b, &env, 10000);
	assert_non_null(m);
	assert_int_equal(m->body_case, TAFEL__ENVELOPE__BODY_ERROR);
	assert_int_equal(m->error->code, TAFEL__ERROR_CODE__UNKNOWN_MESSAGE);
	assert_string_equal(m->error->message, "\"compressed\" is not a request");
	frame_free(m);
	tclient_close(&a);
	tclient_close(&b);

	/* compression = no: the same client gets it plain */
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, off), 0);
	harness_accept_zlib = 1;
	z = snapshot_of(&b, "voorzitter", meeting);
	harness_accept_zlib = 0;
	assert_non_null(z);
	assert_int_equal(b.zlib_frames, 0);
	frame_free(z);
	tclient_close(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_over_tls13),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_hello_required),
		cmocka_unit_test(test_oversized_frame_before_login),
		cmocka_unit_test(test_garbage_frame),
		cmocka_unit_test(test_plain_tcp_refused),
		cmocka_unit_test(test_tls12_refused),
		cmocka_unit_test(test_ctl_prints_ca),
		cmocka_unit_test(test_cluster_stopped_and_reused),
		cmocka_unit_test(test_pool_warms_up),
		cmocka_unit_test(test_compressed_frames),
	};

	harness_require_service_user();
	return cmocka_run_group_tests(tests, setup, teardown);
}
