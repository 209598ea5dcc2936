/* TLS over real loopback sockets: certgen files, handshakes, verification, mutual TLS. */
#include <sys/stat.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certgen.h"
#include "log.h"
#include "tls.h"

#define MAX_SRV		4
#define SAFETY_SECS	5	/* only reached if a test is broken */
#define PING		"ping over tls"

/* Certificates and contexts shared by the handshake tests. */
static struct {
	char	dir_a[64];	/* CA "A" with server cert: the real one */
	char	dir_b[64];	/* an unrelated CA "B" */
	char	dir_c[64];	/* issued client certificates */
	char	path[8][PATH_MAX];
	SSL_CTX	*srv;		/* A's server cert, no client certs */
	SSL_CTX	*srv_mtls;	/* A's server cert, client certs from A */
	SSL_CTX	*cli;		/* trusts A */
	SSL_CTX	*cli_b;		/* trusts B only */
	SSL_CTX	*cli_tls12;	/* trusts A, TLS 1.2 at most */
	SSL_CTX	*cli_alice;	/* trusts A, client cert from A */
	SSL_CTX	*cli_mallory;	/* trusts A, client cert from B */
} g;

enum { P_A_CA, P_A_CRT, P_A_KEY, P_B_CA, P_ALICE_CRT, P_ALICE_KEY,
    P_MAL_CRT, P_MAL_KEY };

struct run;

/* One accepted server-side connection. */
struct srv {
	struct run		*run;
	struct bufferevent	*bev;
	int			 connected;	/* handshake done */
	int			 done;		/* EOF or error seen */
	int			 eof;		/* clean end */
	char			 err[512];
	char			 subject[256];	/* peer certificate, if any */
	char			 fp[TLS_FINGERPRINT_LEN];
};

/* One client connection against one server context. */
struct run {
	struct event_base	*base;
	struct evconnlistener	*lst;
	struct event		*safety;
	SSL_CTX			*sctx;
	struct srv		 srv[MAX_SRV];
	int			 nsrv;
	struct bufferevent	*cbev;
	int			 c_connected;
	int			 c_echoed;	/* PING came back */
	int			 c_done;
	int			 timed_out;
	char			 c_err[512];
	char			 c_version[32];
	char			 c_in[64];
	size_t			 c_got;
};

/* Ends the loop once the client is gone and every server side ended. */
static void
check_done(struct run *r)
{
	int i;

	if (!r->c_done || r->cbev != NULL || r->nsrv == 0)
		return;
	for (i = 0; i < r->nsrv; i++) {
		if (!r->srv[i].done)
			return;
	}
	event_base_loopbreak(r->base);
}

/* Echoes whatever arrives. */
static void
srv_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_write_buffer(bev, bufferevent_get_input(bev));
}

/* Records the handshake, the peer certificate and how it ended. */
static void
srv_event(struct bufferevent *bev, short what, void *arg)
{
	struct srv *s = arg;
	X509 *peer;

	if (what & BEV_EVENT_CONNECTED) {
		s->connected = 1;
		peer = SSL_get1_peer_certificate(bufferevent_openssl_get_ssl(bev));
		if (peer != NULL) {
			X509_NAME_oneline(X509_get_subject_name(peer),
			    s->subject, sizeof s->subject);
			tls_cert_fingerprint(peer, s->fp, sizeof s->fp);
			X509_free(peer);
		}
		return;
	}
	s->done = 1;
	s->eof = (what & BEV_EVENT_EOF) != 0;
	if (what & BEV_EVENT_ERROR)
		tls_bev_err_string(bev, s->err, sizeof s->err);
	bufferevent_disable(bev, EV_READ | EV_WRITE);
	check_done(s->run);
}

/* Wraps an accepted socket in a server TLS bufferevent. */
static void
srv_accept(struct evconnlistener *lst, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct run *r = arg;
	struct srv *s;
	SSL *ssl;

	(void)lst;
	(void)sa;
	(void)salen;
	if (r->nsrv == MAX_SRV || (ssl = SSL_new(r->sctx)) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	s = &r->srv[r->nsrv++];
	s->run = r;
	s->bev = bufferevent_openssl_socket_new(r->base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	assert_non_null(s->bev);
	bufferevent_openssl_set_allow_dirty_shutdown(s->bev, 1);
	bufferevent_setcb(s->bev, srv_read, NULL, srv_event, s);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
}

/* Frees the client outside its own callbacks; close_notify if it worked. */
static void
cli_free(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;

	(void)fd;
	(void)what;
	if (r->c_echoed)
		SSL_shutdown(bufferevent_openssl_get_ssl(r->cbev));
	bufferevent_free(r->cbev);
	r->cbev = NULL;
	check_done(r);
}

/* The client is finished: schedule its release. */
static void
cli_finish(struct run *r)
{
	if (r->c_done)
		return;
	r->c_done = 1;
	bufferevent_disable(r->cbev, EV_READ | EV_WRITE);
	assert_int_equal(event_base_once(r->base, -1, EV_TIMEOUT, cli_free, r,
	    NULL), 0);
}

/* Collects the echo; done once PING is back. */
static void
cli_read(struct bufferevent *bev, void *arg)
{
	struct run *r = arg;
	size_t n;

	n = bufferevent_read(bev, r->c_in + r->c_got,
	    sizeof r->c_in - 1 - r->c_got);
	r->c_got += n;
	r->c_in[r->c_got] = '\0';
	if (r->c_got >= strlen(PING)) {
		r->c_echoed = strcmp(r->c_in, PING) == 0;
		cli_finish(r);
	}
}

/* Sends PING once connected; records errors. */
static void
cli_event(struct bufferevent *bev, short what, void *arg)
{
	struct run *r = arg;

	if (what & BEV_EVENT_CONNECTED) {
		r->c_connected = 1;
		snprintf(r->c_version, sizeof r->c_version, "%s",
		    SSL_get_version(bufferevent_openssl_get_ssl(bev)));
		bufferevent_write(bev, PING, strlen(PING));
		return;
	}
	if (what & BEV_EVENT_ERROR)
		tls_bev_err_string(bev, r->c_err, sizeof r->c_err);
	else
		snprintf(r->c_err, sizeof r->c_err, "event 0x%x", what);
	cli_finish(r);
}

/* Safety net: a broken test ends here instead of hanging. */
static void
safety(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;

	(void)fd;
	(void)what;
	r->timed_out = 1;
	event_base_loopbreak(r->base);
}

/*
 * Runs one connection: a server on 127.0.0.1 with sctx, a client with cctx
 * that verifies the server as host. Everything is released on return.
 */
static void
run_case(struct run *r, SSL_CTX *sctx, SSL_CTX *cctx, const char *host)
{
	struct timeval tv = { SAFETY_SECS, 0 };
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	SSL *ssl;
	int i;

	memset(r, 0, sizeof *r);
	r->sctx = sctx;
	assert_non_null(r->base = event_base_new());
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->lst = evconnlistener_new_bind(r->base, srv_accept, r,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    -1, (struct sockaddr *)&sin, sizeof sin);
	assert_non_null(r->lst);
	assert_int_equal(getsockname(evconnlistener_get_fd(r->lst),
	    (struct sockaddr *)&sin, &len), 0);
	r->safety = evtimer_new(r->base, safety, r);
	evtimer_add(r->safety, &tv);

	assert_non_null(ssl = tls_client_ssl(cctx, host));
	r->cbev = bufferevent_openssl_socket_new(r->base, -1, ssl,
	    BUFFEREVENT_SSL_CONNECTING,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	assert_non_null(r->cbev);
	bufferevent_openssl_set_allow_dirty_shutdown(r->cbev, 1);
	bufferevent_setcb(r->cbev, cli_read, NULL, cli_event, r);
	bufferevent_enable(r->cbev, EV_READ | EV_WRITE);
	assert_int_equal(bufferevent_socket_connect(r->cbev,
	    (struct sockaddr *)&sin, sizeof sin), 0);

	event_base_dispatch(r->base);

	if (r->cbev != NULL)
		bufferevent_free(r->cbev);
	r->cbev = NULL;
	for (i = 0; i < r->nsrv; i++)
		bufferevent_free(r->srv[i].bev);
	evconnlistener_free(r->lst);
	event_free(r->safety);
	event_base_free(r->base);
	r->base = NULL;
	if (r->timed_out)
		fail_msg("safety timeout: client \"%s\", server \"%s\"",
		    r->c_err, r->nsrv ? r->srv[0].err : "no connection");
	assert_true(r->c_done);
	assert_int_equal(r->nsrv, 1);
}

/* The connection must work end to end over TLS 1.3. */
static void
expect_ok(struct run *r, SSL_CTX *sctx, SSL_CTX *cctx, const char *host)
{
	run_case(r, sctx, cctx, host);
	if (!r->c_echoed)
		fail_msg("%s: client \"%s\", server \"%s\"", host, r->c_err,
		    r->srv[0].err);
	assert_true(r->c_connected);
	assert_string_equal(r->c_version, "TLSv1.3");
	assert_true(r->srv[0].connected);
	assert_true(r->srv[0].eof);
	assert_string_equal(r->srv[0].err, "");
}

/* The connection must fail; c_needle must appear in the client's error. */
static void
expect_fail(struct run *r, SSL_CTX *sctx, SSL_CTX *cctx, const char *host,
    const char *c_needle, const char *s_needle)
{
	run_case(r, sctx, cctx, host);
	print_message("    %s: client \"%s\" / server \"%s\"\n", host,
	    r->c_err, r->srv[0].err);
	assert_false(r->c_echoed);
	assert_false(r->srv[0].connected);
	assert_true(r->srv[0].done);
	assert_false(r->srv[0].eof);
	assert_null(strstr(r->c_err, "error:0000000"));
	assert_null(strstr(r->srv[0].err, "error:0000000"));
	if (c_needle != NULL && strstr(r->c_err, c_needle) == NULL)
		fail_msg("client error \"%s\" lacks \"%s\"", r->c_err,
		    c_needle);
	if (s_needle != NULL && strstr(r->srv[0].err, s_needle) == NULL)
		fail_msg("server error \"%s\" lacks \"%s\"", r->srv[0].err,
		    s_needle);
}

/* Removes a flat directory made by a test. */
static void
rm_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Reads a whole small file; the caller frees. */
static char *
slurp(const char *path, size_t *len)
{
	char *buf;
	FILE *fp;

	assert_non_null(fp = fopen(path, "rb"));
	assert_non_null(buf = malloc(65536));
	*len = fread(buf, 1, 65536, fp);
	assert_true(*len > 0 && *len < 65536);
	fclose(fp);
	return buf;
}

/* Reads one PEM certificate. */
static X509 *
read_cert(const char *path)
{
	FILE *fp;
	X509 *x;

	assert_non_null(fp = fopen(path, "r"));
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(x);
	return x;
}

/* Counts the entries of a directory, without . and .. */
static int
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Fresh dir: four files with the right modes; a second call changes none. */
static void
test_certgen_files(void **state)
{
	static const char *const files[] = { CERTGEN_CA_CERT, CERTGEN_CA_KEY,
	    CERTGEN_SERVER_CERT, CERTGEN_SERVER_KEY };
	static const mode_t modes[] = { 0644, 0600, 0644, 0600 };
	const char *const names[] = { "tafel.example", "10.1.2.3",
	    "Tafel.Example", NULL };
	char base[64] = "/tmp/tafel-tls-XXXXXX", dir[128], path[PATH_MAX];
	char err[512];
	struct stat st, st2[4];
	char *before[4], *after;
	size_t len[4], len2;
	X509 *ca, *srv;
	int i;

	(void)state;
	assert_non_null(mkdtemp(base));
	snprintf(dir, sizeof dir, "%s/tls", base);
	if (certgen_ensure(dir, names, err, sizeof err) != 0)
		fail_msg("certgen_ensure: %s", err);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(count_entries(dir), 4);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		assert_int_equal(stat(path, &st2[i]), 0);
		assert_int_equal(st2[i].st_mode & 07777, modes[i]);
		before[i] = slurp(path, &len[i]);
	}

	assert_int_equal(certgen_ensure(dir, names, err, sizeof err), 0);
	assert_int_equal(count_entries(dir), 4);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_ino, st2[i].st_ino);
		after = slurp(path, &len2);
		assert_int_equal(len2, len[i]);
		assert_memory_equal(after, before[i], len2);
		free(after);
		free(before[i]);
	}

	/* The server certificate chains to the CA and carries the names. */
	snprintf(path, sizeof path, "%s/%s", dir, CERTGEN_CA_CERT);
	ca = read_cert(path);
	snprintf(path, sizeof path, "%s/%s", dir, CERTGEN_SERVER_CERT);
	srv = read_cert(path);
	assert_int_equal(X509_check_issued(ca, srv), X509_V_OK);
	assert_int_equal(X509_check_ca(ca), 1);
	assert_int_equal(X509_check_ca(srv), 0);
	assert_int_equal(X509_check_host(srv, "localhost", 0, 0, NULL), 1);
	assert_int_equal(X509_check_host(srv, "tafel.example", 0, 0, NULL), 1);
	assert_int_equal(X509_check_ip_asc(srv, "10.1.2.3", 0), 1);
	assert_int_equal(X509_check_ip_asc(srv, "::1", 0), 1);
	assert_int_equal(X509_check_host(srv, "wrong.example", 0, 0, NULL), 0);
	assert_true(X509_get_extended_key_usage(srv) & XKU_SSL_SERVER);
	X509_free(ca);
	X509_free(srv);
	rm_dir(dir);
	rmdir(base);
}

/* Half-written or damaged directories: what is replaced, what is refused. */
static void
test_certgen_repair(void **state)
{
	char dir[64] = "/tmp/tafel-tls-XXXXXX", path[PATH_MAX], err[512];
	char *ca1, *ca2, *srv1, *srv2;
	size_t l1, l2, s1, s2;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(certgen_ensure(dir, NULL, err, sizeof err), 0);
	snprintf(path, sizeof path, "%s/%s", dir, CERTGEN_CA_CERT);
	ca1 = slurp(path, &l1);
	snprintf(path, sizeof path, "%s/%s", dir, CERTGEN_SERVER_CERT);
	srv1 = slurp(path, &s1);

	/* A server key without its certificate: new server pair, same CA. */
	unlink(path);
	assert_int_equal(certgen_ensure(dir, NULL, err, sizeof err), 0);
	srv2 = slurp(path, &s2);
	assert_false(s1 == s2 && memcmp(srv1, srv2, s1) == 0);
	snprintf(path, sizeof path, "%s/%s", dir, CERTGEN_CA_CERT);
	ca2 = slurp(path, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(ca1, ca2, l1);

	/* A CA certificate whose key is gone: refuse, never overwrite. */
	snprintf(path, sizeof path, "%s/%s", dir, CERTGEN_CA_KEY);
	unlink(path);
	assert_int_equal(certgen_ensure(dir, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "is missing"));
	free(ca1);
	free(ca2);
	free(srv1);
	free(srv2);
	rm_dir(dir);
}

/* Bad input to the context builders gives NULL and a message. */
static void
test_ctx_errors(void **state)
{
	char err[512];

	(void)state;
	err[0] = '\0';
	assert_null(tls_server_ctx(g.path[P_A_CRT], g.path[P_MAL_KEY], NULL,
	    err, sizeof err));
	print_message("    mismatched key: %s\n", err);
	assert_non_null(strstr(err, "mismatch"));
	assert_null(tls_server_ctx("/nonexistent.crt", g.path[P_A_KEY], NULL,
	    err, sizeof err));
	print_message("    missing cert: %s\n", err);
	assert_non_null(strstr(err, "/nonexistent.crt"));
	assert_null(tls_client_ctx("/nonexistent-ca.crt", NULL, NULL, err,
	    sizeof err));
	print_message("    missing CA: %s\n", err);
	assert_null(tls_client_ctx(g.path[P_A_CA], g.path[P_ALICE_CRT], NULL,
	    err, sizeof err));
	assert_null(tls_client_ctx(NULL, NULL, NULL, err, sizeof err));
	assert_null(tls_client_ssl(g.cli, ""));
}

/* Fingerprint: lowercase hex pairs with colons, refuses short buffers. */
static void
test_fingerprint(void **state)
{
	char fp[TLS_FINGERPRINT_LEN], small[95];
	X509 *x;
	int i;

	(void)state;
	x = read_cert(g.path[P_A_CA]);
	assert_int_equal(tls_cert_fingerprint(x, fp, sizeof fp), 0);
	assert_int_equal(strlen(fp), 95);
	for (i = 0; i < 95; i++) {
		if (i % 3 == 2)
			assert_int_equal(fp[i], ':');
		else
			assert_non_null(strchr("0123456789abcdef", fp[i]));
	}
	assert_int_equal(tls_cert_fingerprint(x, small, sizeof small), -1);
	assert_int_equal(tls_cert_fingerprint(NULL, fp, sizeof fp), -1);
	X509_free(x);
}

/* (a) The generated CA verifies the server by name and by IP; data echoes. */
static void
test_handshake_ok(void **state)
{
	static const char *const hosts[] = { "localhost", "127.0.0.1", "::1",
	    "tafel.example", "TAFEL.example", "10.1.2.3" };
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
		expect_ok(&r, g.srv, g.cli, hosts[i]);
	assert_string_equal(r.srv[0].subject, "");	/* no client cert */
}

/* (b) A client that stops at TLS 1.2 is refused. */
static void
test_tls12_refused(void **state)
{
	struct run r;

	(void)state;
	expect_fail(&r, g.srv, g.cli_tls12, "localhost", "protocol version",
	    "unsupported protocol");
}

/* (c) A client trusting another CA rejects our server. */
static void
test_other_ca(void **state)
{
	struct run r;

	(void)state;
	expect_fail(&r, g.srv, g.cli_b, "localhost",
	    "certificate verify failed", "unknown ca");
}

/* (d) Names and addresses not in the certificate are rejected. */
static void
test_wrong_host(void **state)
{
	struct run r;

	(void)state;
	expect_fail(&r, g.srv, g.cli, "wrong.example", "hostname mismatch",
	    NULL);
	expect_fail(&r, g.srv, g.cli, "10.1.2.4", "IP address mismatch", NULL);
	expect_fail(&r, g.srv, g.cli, "sub.tafel.example", "hostname mismatch",
	    NULL);
}

/* (e) Mutual TLS: an issued client certificate works, no or foreign ones don't. */
static void
test_mtls(void **state)
{
	char fp[TLS_FINGERPRINT_LEN];
	struct run r;
	X509 *x;

	(void)state;
	expect_ok(&r, g.srv_mtls, g.cli_alice, "localhost");
	assert_string_equal(r.srv[0].subject, "/O=Tafel test/CN=alice");
	x = read_cert(g.path[P_ALICE_CRT]);
	assert_int_equal(tls_cert_fingerprint(x, fp, sizeof fp), 0);
	X509_free(x);
	assert_string_equal(r.srv[0].fp, fp);

	/*
	 * No certificate: in TLS 1.3 the client may see CONNECTED first, so
	 * the proof is the server's error and the client's failed read.
	 */
	expect_fail(&r, g.srv_mtls, g.cli, "localhost", "certificate required",
	    "peer did not return a certificate");
	expect_fail(&r, g.srv_mtls, g.cli_mallory, "localhost", NULL,
	    "certificate verify failed");
}

/* Makes the CAs, the client certificates and the contexts. */
static int
group_setup(void **state)
{
	const char *const names[] = { "tafel.example", "10.1.2.3", NULL };
	char err[512];

	(void)state;
	tls_init();
	snprintf(g.dir_a, sizeof g.dir_a, "/tmp/tafel-tls-a-XXXXXX");
	snprintf(g.dir_b, sizeof g.dir_b, "/tmp/tafel-tls-b-XXXXXX");
	snprintf(g.dir_c, sizeof g.dir_c, "/tmp/tafel-tls-c-XXXXXX");
	if (mkdtemp(g.dir_a) == NULL || mkdtemp(g.dir_b) == NULL ||
	    mkdtemp(g.dir_c) == NULL)
		return -1;
	snprintf(g.path[P_A_CA], PATH_MAX, "%s/ca.crt", g.dir_a);
	snprintf(g.path[P_A_CRT], PATH_MAX, "%s/server.crt", g.dir_a);
	snprintf(g.path[P_A_KEY], PATH_MAX, "%s/server.key", g.dir_a);
	snprintf(g.path[P_B_CA], PATH_MAX, "%s/ca.crt", g.dir_b);
	snprintf(g.path[P_ALICE_CRT], PATH_MAX, "%s/alice.crt", g.dir_c);
	snprintf(g.path[P_ALICE_KEY], PATH_MAX, "%s/alice.key", g.dir_c);
	snprintf(g.path[P_MAL_CRT], PATH_MAX, "%s/mallory.crt", g.dir_c);
	snprintf(g.path[P_MAL_KEY], PATH_MAX, "%s/mallory.key", g.dir_c);

	if (certgen_ensure(g.dir_a, names, err, sizeof err) != 0 ||
	    certgen_ensure(g.dir_b, NULL, err, sizeof err) != 0 ||
	    certgen_issue_client(g.dir_a, "Tafel test", "alice",
	    g.path[P_ALICE_CRT], g.path[P_ALICE_KEY], 1, err, sizeof err) != 0 ||
	    certgen_issue_client(g.dir_b, "Tafel test", "alice",
	    g.path[P_MAL_CRT], g.path[P_MAL_KEY], 1, err, sizeof err) != 0)
		goto fail;

	if ((g.srv = tls_server_ctx(g.path[P_A_CRT], g.path[P_A_KEY], NULL,
	    err, sizeof err)) == NULL ||
	    (g.srv_mtls = tls_server_ctx(g.path[P_A_CRT], g.path[P_A_KEY],
	    g.path[P_A_CA], err, sizeof err)) == NULL ||
	    (g.cli = tls_client_ctx(g.path[P_A_CA], NULL, NULL, err,
	    sizeof err)) == NULL ||
	    (g.cli_b = tls_client_ctx(g.path[P_B_CA], NULL, NULL, err,
	    sizeof err)) == NULL ||
	    (g.cli_alice = tls_client_ctx(g.path[P_A_CA], g.path[P_ALICE_CRT],
	    g.path[P_ALICE_KEY], err, sizeof err)) == NULL ||
	    (g.cli_mallory = tls_client_ctx(g.path[P_A_CA], g.path[P_MAL_CRT],
	    g.path[P_MAL_KEY], err, sizeof err)) == NULL)
		goto fail;

	/* Built by hand: our own builder refuses anything but TLS 1.3. */
	if ((g.cli_tls12 = SSL_CTX_new(TLS_client_method())) == NULL ||
	    !SSL_CTX_set_max_proto_version(g.cli_tls12, TLS1_2_VERSION) ||
	    SSL_CTX_load_verify_locations(g.cli_tls12, g.path[P_A_CA],
	    NULL) != 1) {
		snprintf(err, sizeof err, "TLS 1.2 client context");
		goto fail;
	}
	SSL_CTX_set_verify(g.cli_tls12, SSL_VERIFY_PEER, NULL);
	return 0;

fail:
	print_error("setup: %s\n", err);
	return -1;
}

/* Frees the contexts and removes the directories. */
static int
group_teardown(void **state)
{
	(void)state;
	SSL_CTX_free(g.srv);
	SSL_CTX_free(g.srv_mtls);
	SSL_CTX_free(g.cli);
	SSL_CTX_free(g.cli_b);
	SSL_CTX_free(g.cli_tls12);
	SSL_CTX_free(g.cli_alice);
	SSL_CTX_free(g.cli_mallory);
	rm_dir(g.dir_a);
	rm_dir(g.dir_b);
	rm_dir(g.dir_c);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_certgen_files),
		cmocka_unit_test(test_certgen_repair),
		cmocka_unit_test(test_ctx_errors),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_handshake_ok),
		cmocka_unit_test(test_tls12_refused),
		cmocka_unit_test(test_other_ca),
		cmocka_unit_test(test_wrong_host),
		cmocka_unit_test(test_mtls),
	};

	log_set_prefix("test_tls");
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
