/* Test harness: starts a real tafeld (own data dir and cluster) and talks to it over real TLS. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include <cmocka.h>

#include "envelope.h"
#include "frame.h"
#include "proto.h"

static void psql_co_close(struct tafeld *t);

int harness_rcvbuf;
const char *harness_source_ip;
const char *harness_client_cert;
int harness_accept_zlib;
const char *harness_client_key;

long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
harness_require_service_user(void)
{
	const char *u = getenv("TAFEL_TEST_USER");

	if (geteuid() == 0 && getpwnam(u ? u : "tafel") == NULL) {
		fprintf(stderr, "SKIP: running as root needs the service user "
		    "\"%s\" (useradd --system tafel)\n", u ? u : "tafel");
		exit(77);
	}
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : def;
}

/* Reads the port from "listening on 127.0.0.1:NNN" in the log. */
static int
log_port(const char *path, long from)
{
	FILE *f = fopen(path, "r");
	char line[1024], *p;
	int port = 0;

	if (f == NULL)
		return 0;
	fseek(f, from, SEEK_SET);
	while (fgets(line, sizeof line, f) != NULL)
		if ((p = strstr(line, "listening on 127.0.0.1:")) != NULL)
			port = atoi(p + strlen("listening on 127.0.0.1:"));
	fclose(f);
	return port;
}

static void
dump_log(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (f == NULL)
		return;
	fprintf(stderr, "---- %s ----\n", path);
	while (fgets(line, sizeof line, f) != NULL)
		fputs(line, stderr);
	fclose(f);
}

static int
uses_external_db(const char *const *extra)
{
	while (extra != NULL && *extra != NULL)
		if (strcmp(*extra++, "--db") == 0)
			return 1;
	return 0;
}

/*
 * A new data directory for the embedded cluster: a copy of the one a first
 * start of this tafeld made (tests/data-template.sh), instead of initdb and
 * every migration again (1.5 s per server).
 */
static int
data_template(const char *dir)
{
	const char *src = getenv("TAFEL_SOURCE_DIR");
	char cmd[1200];

	if (src == NULL)
		return 0;	/* run by hand without it: a real first start */
	snprintf(cmd, sizeof cmd, "bash '%s/tests/data-template.sh' '%s'", src, dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "harness: %s failed\n", cmd);
		return -1;
	}
	return 0;
}

int
tafeld_start(struct tafeld *t, const char *dir, const char *const *extra)
{
	const char *bin = env_or("TAFELD", "tafeld");
	char *argv[64];
	int argc = 0, fd, status;
	long long deadline;
	const char *user = env_or("TAFEL_TEST_USER", "tafel");
	static char set_user[128];
	long log_from;

	if (dir == NULL) {
		memset(t, 0, sizeof *t);
		snprintf(t->dir, sizeof t->dir, "/tmp/tafel-test-XXXXXX");
		if (mkdtemp(t->dir) == NULL)
			return -1;
		if (!uses_external_db(extra) && data_template(t->dir) != 0)
			return -1;
	} else if (dir != t->dir)
		snprintf(t->dir, sizeof t->dir, "%s", dir);
	snprintf(t->log, sizeof t->log, "%s.log", t->dir);
	{
		struct stat st;

		log_from = stat(t->log, &st) == 0 ? (long)st.st_size : 0;
	}

	argv[argc++] = (char *)bin;
	argv[argc++] = (char *)"--data-dir";
	argv[argc++] = t->dir;
	argv[argc++] = (char *)"--listen";
	argv[argc++] = (char *)"127.0.0.1:0";
	argv[argc++] = (char *)"--config";
	argv[argc++] = (char *)"/dev/null";
	snprintf(set_user, sizeof set_user, "user=%s", user);
	argv[argc++] = (char *)"--set";
	argv[argc++] = set_user;
	while (extra != NULL && *extra != NULL && argc < 60)
		argv[argc++] = (char *)*extra++;
	argv[argc] = NULL;

	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		fd = open(t->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 2);
			dup2(fd, 1);
			close(fd);
		}
		execv(bin, argv);
		fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	deadline = now_ms() + 90000;
	while (now_ms() < deadline) {
		t->port = log_port(t->log, log_from);
		if (t->port > 0)
			return 0;
		if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
			t->pid = 0;
			dump_log(t->log);
			return -1;
		}
		usleep(20000);
	}
	dump_log(t->log);
	return -1;
}

int
tafeld_stop(struct tafeld *t)
{
	int status = -1;

	psql_co_close(t);	/* its cluster stops with tafeld */
	if (t->pid <= 0)
		return -1;
	kill(t->pid, SIGTERM);
	while (waitpid(t->pid, &status, 0) < 0 && errno == EINTR)
		;
	t->pid = 0;
	/* A sanitizer report in the server fails the test that ran it. */
	if (tafeld_log_count(t, "ERROR: AddressSanitizer") > 0 ||
	    tafeld_log_count(t, "ERROR: LeakSanitizer") > 0 ||
	    tafeld_log_count(t, "runtime error:") > 0) {
		dump_log(t->log);
		return 99;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int
tafelctl_run(struct tafeld *t, const char *const *args)
{
	const char *bin = env_or("TAFELCTL", "tafelctl");
	char *argv[32];
	int argc = 0, status;
	pid_t pid;

	argv[argc++] = (char *)bin;
	argv[argc++] = (char *)"--config";
	argv[argc++] = (char *)"/dev/null";
	argv[argc++] = (char *)"--data-dir";
	argv[argc++] = t->dir;
	while (*args != NULL && argc < 30)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, 1);
		execv(bin, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
tafeld_log_count(struct tafeld *t, const char *needle)
{
	FILE *f = fopen(t->log, "r");
	char line[2048];
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, needle) != NULL)
			n++;
	fclose(f);
	return n;
}

int
tafeld_log_wait(struct tafeld *t, const char *needle, int n, int ms)
{
	long long deadline = now_ms() + ms;
	int k;

	while ((k = tafeld_log_count(t, needle)) < n && now_ms() < deadline)
		usleep(50000);
	return k;
}

void
tafeld_cleanup(struct tafeld *t)
{
	char cmd[700];

	if (getenv("TAFEL_TEST_KEEP") != NULL) {
		fprintf(stderr, "kept data directory: %s\n", t->dir);
		return;
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", t->dir, t->log);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup of %s failed\n", t->dir);
}

int
tafeld_start_demo(struct tafeld *t, const char *const *extra)
{
	static const char *const demo[] = { "demo-data", NULL };

	if (tafeld_start(t, NULL, extra) != 0)
		return -1;
	if (tafelctl_run(t, demo) != 0) {
		fprintf(stderr, "tafelctl demo-data failed\n");
		return -1;
	}
	return 0;
}

int
tafeld_teardown(struct tafeld *t)
{
	int rc = 0;

	if (t->pid > 0)
		rc = tafeld_stop(t);
	tafeld_cleanup(t);
	return rc == 0 ? 0 : -1;
}

int
tclient_connect(struct tclient *c, struct tafeld *t)
{
	struct sockaddr_in sa;
	char ca[400];

	signal(SIGPIPE, SIG_IGN);	/* writes to a dropped peer fail instead */
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->next_id = 1;
	snprintf(ca, sizeof ca, "%s/tls/ca.crt", t->dir);
	c->ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_3_VERSION);
	SSL_CTX_set_options(c->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	if (SSL_CTX_load_verify_locations(c->ctx, ca, NULL) != 1)
		return -1;
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	if (harness_client_cert != NULL &&
	    (SSL_CTX_use_certificate_file(c->ctx, harness_client_cert,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_use_PrivateKey_file(c->ctx,
	    harness_client_key, SSL_FILETYPE_PEM) != 1))
		return -1;
	/* close-on-exec: a tafeld, psql or tafelctl started later must not
	 * keep the connection open after the test has closed it */
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (harness_rcvbuf > 0)
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &harness_rcvbuf,
		    sizeof harness_rcvbuf);
	if (harness_source_ip != NULL) {
		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		if (inet_pton(AF_INET, harness_source_ip, &sa.sin_addr) != 1 ||
		    bind(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0)
			return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)t->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		return -1;
	c->ssl = SSL_new(c->ctx);
	SSL_set1_host(c->ssl, "127.0.0.1");
	SSL_set_fd(c->ssl, c->fd);
	if (SSL_connect(c->ssl) != 1) {
		ERR_print_errors_fp(stderr);
		return -1;
	}
	return 0;
}

int
tclient_send(struct tclient *c, const Tafel__Envelope *env)
{
	size_t n = tafel__envelope__get_packed_size(env);
	uint8_t *p = malloc(n + 4);
	int r;

	p[0] = (uint8_t)(n >> 24);
	p[1] = (uint8_t)(n >> 16);
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	tafel__envelope__pack(env, p + 4);
	r = tclient_send_raw(c, p, n + 4);
	free(p);
	return r;
}

int
tclient_send_raw(struct tclient *c, const void *p, size_t n)
{
	size_t off = 0;
	int w;

	while (off < n) {
		w = SSL_write(c->ssl, (const char *)p + off, (int)(n - off));
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

Tafel__Envelope *
tclient_take(struct tclient *c)
{
	uint32_t len;
	Tafel__Envelope *m = NULL;
	const char *err;
	size_t plain;

	while (m == NULL && c->len >= 4) {
		len = (uint32_t)c->buf[0] << 24 | (uint32_t)c->buf[1] << 16 |
		    (uint32_t)c->buf[2] << 8 | c->buf[3];
		if (c->len < 4 + (size_t)len)
			return NULL;
		m = frame_unpack(c->buf + 4, len);
		if (m == NULL)
			fprintf(stderr, "harness: an undecodable frame\n");
		else if (m->body_case == TAFEL__ENVELOPE__BODY_COMPRESSED) {
			plain = m->compressed->length;
			if (frame_expand(&m, TAFEL_MAX_FRAME, &err) != 0)
				fprintf(stderr, "harness: %s\n", err);
			else {
				c->zlib_frames++;
				c->zlib_wire += 4 + (size_t)len;
				c->zlib_plain += 4 + plain;
			}
		}
		memmove(c->buf, c->buf + 4 + len, c->len - 4 - len);
		c->len -= 4 + len;
	}
	return m;
}

Tafel__Envelope *
tclient_recv(struct tclient *c, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	Tafel__Envelope *m;
	struct pollfd pfd;
	int r, left;

	for (;;) {
		if ((m = tclient_take(c)) != NULL)
			return m;
		if (c->eof)
			return NULL;
		if (SSL_pending(c->ssl) == 0) {
			left = (int)(deadline - now_ms());
			if (left <= 0)
				return NULL;
			pfd.fd = c->fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, left) <= 0)
				return NULL;
		}
		if (c->cap - c->len < 65536) {
			c->cap = c->cap ? c->cap * 2 : 131072;
			c->buf = realloc(c->buf, c->cap);
		}
		r = SSL_read(c->ssl, c->buf + c->len, (int)(c->cap - c->len));
		if (r <= 0) {
			int e = SSL_get_error(c->ssl, r);

			if (e == SSL_ERROR_WANT_READ)
				continue;
			c->clean_close = e == SSL_ERROR_ZERO_RETURN;
			c->eof = 1;
			continue;
		}
		c->len += (size_t)r;
	}
}

Tafel__Envelope *
tclient_call(struct tclient *c, Tafel__Envelope *env, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	Tafel__Envelope *m;
	uint64_t id = c->next_id++;

	env->request_id = id;
	if (tclient_send(c, env) != 0)
		return NULL;
	while (now_ms() < deadline) {
		m = tclient_recv(c, (int)(deadline - now_ms()));
		if (m == NULL)
			return NULL;
		if (m->request_id == id)
			return m;
		if (m->body_case == TAFEL__ENVELOPE__BODY_EVENT &&
		    c->n_queued < sizeof c->queued / sizeof c->queued[0]) {
			c->queued[c->n_queued++] = m;
			continue;
		}
		frame_free(m);
	}
	return NULL;
}

Tafel__Envelope *
tclient_event(struct tclient *c, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	Tafel__Envelope *m;

	if (c->n_queued > 0) {
		m = c->queued[0];
		memmove(c->queued, c->queued + 1, --c->n_queued *
		    sizeof c->queued[0]);
		return m;
	}
	while (now_ms() < deadline) {
		m = tclient_recv(c, (int)(deadline - now_ms()));
		if (m == NULL)
			return NULL;
		if (m->body_case == TAFEL__ENVELOPE__BODY_EVENT)
			return m;
		frame_free(m);
	}
	return NULL;
}

int
tclient_open(struct tclient *c, struct tafeld *t, uint32_t version)
{
	Tafel__Envelope env, *m;
	Tafel__Hello h;

	if (tclient_connect(c, t) != 0)
		return -1;
	m = tclient_recv(c, 10000);
	if (m == NULL || m->body_case != TAFEL__ENVELOPE__BODY_HELLO) {
		frame_free(m);
		return -1;
	}
	frame_free(m);
	envelope_hello(&env, &h, "test", TAFEL_MAX_FRAME);
	h.protocol_version = version;
	h.accept_zlib = harness_accept_zlib;
	return tclient_send(c, &env);
}

int
tclient_login(struct tclient *c, struct tafeld *t, const char *user,
    const char *password)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	int ok;

	if (tclient_open(c, t, TAFEL_PROTOCOL_VERSION) != 0)
		return -1;
	l.login = (char *)user;
	l.password = (char *)password;
	env.body_case = TAFEL__ENVELOPE__BODY_LOGIN;
	env.login = &l;
	m = tclient_call(c, &env, 20000);
	ok = m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_LOGIN_OK;
	if (!ok && m != NULL && m->body_case == TAFEL__ENVELOPE__BODY_ERROR)
		fprintf(stderr, "login %s: %s\n", user, m->error->message);
	frame_free(m);
	return ok ? 0 : -1;
}

void
tclient_close(struct tclient *c)
{
	size_t i;

	if (c->ssl != NULL) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	if (c->fd >= 0)
		close(c->fd);
	SSL_CTX_free(c->ctx);
	for (i = 0; i < c->n_queued; i++)
		frame_free(c->queued[i]);
	free(c->buf);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

Tafel__Envelope *
tclient_req(struct tclient *c, Tafel__Envelope__BodyCase body, void *msg,
    const char *key)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	const ProtobufCFieldDescriptor *f;

	f = protobuf_c_message_descriptor_get_field(&tafel__envelope__descriptor,
	    (unsigned)body);
	if (f == NULL)
		return NULL;
	*(void **)(void *)((char *)&env + f->offset) = msg;
	*(uint32_t *)(void *)((char *)&env + f->quantifier_offset) = f->id;
	env.idempotency_key = (char *)(key ? key : "");
	return tclient_call(c, &env, 20000);
}

const char *
harness_key(void)
{
	static char buf[40];
	static unsigned n;

	snprintf(buf, sizeof buf, "k-%ld-%u-%u", (long)getpid(), (unsigned)now_ms(), ++n);
	return buf;
}

int
harness_psql(struct tafeld *t, const char *sql)
{
	char cmd[4096];
	const char *user = env_or("TAFEL_TEST_USER", "tafel");

	if (geteuid() == 0)
		snprintf(cmd, sizeof cmd, "cd /tmp && su %s -s /bin/sh -c "
		    "\"psql -X -q -h %s/pg/run -d tafel -c \\\"%s\\\"\" "
		    ">/dev/null 2>&1", user, t->dir, sql);
	else
		snprintf(cmd, sizeof cmd, "psql -X -q -h %s/pg/run -d tafel "
		    "-c \"%s\" >/dev/null 2>&1", t->dir, sql);
	return system(cmd);
}

/*
 * harness_psql_value keeps one psql per tafeld running and feeds it queries:
 * starting psql (through su when root) and a backend costs 50-200 ms, and
 * some tests ask thousands of questions.  After each query, psql echoes a
 * marker with its ERROR variable.  psql exits when its connection is lost
 * (a restarted cluster): the query is then asked once more of a new psql.
 */
static void
psql_co_close(struct tafeld *t)
{
	if (t->psql_pid <= 0 || t->psql_owner != getpid())
		return;
	fclose(t->psql_in);
	fclose(t->psql_out);
	while (waitpid(t->psql_pid, NULL, 0) < 0 && errno == EINTR)
		;
	t->psql_pid = 0;
}

static int
psql_co_open(struct tafeld *t)
{
	const char *user = env_or("TAFEL_TEST_USER", "tafel");
	char host[300], cmd[400];
	int to[2], from[2];
	pid_t pid;

	snprintf(host, sizeof host, "%s/pg/run", t->dir);
	/* close-on-exec: no other child keeps this psql's stdin open */
	if (pipe2(to, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(from, O_CLOEXEC) != 0) {
		close(to[0]);
		close(to[1]);
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);	/* a psql gone: the write fails */
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(to[0]); close(to[1]); close(from[0]); close(from[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[0]); close(to[1]); close(from[0]); close(from[1]);
		if (chdir("/tmp") != 0)
			_exit(127);
		if (geteuid() == 0) {
			snprintf(cmd, sizeof cmd, "exec psql -X -q -At -h '%s' "
			    "-d tafel", host);
			execlp("su", "su", user, "-s", "/bin/sh", "-c", cmd,
			    (char *)NULL);
		} else
			execlp("psql", "psql", "-X", "-q", "-At", "-h", host,
			    "-d", "tafel", (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	t->psql_in = fdopen(to[1], "w");
	t->psql_out = fdopen(from[0], "r");
	if (t->psql_in == NULL || t->psql_out == NULL) {
		if (t->psql_in != NULL)
			fclose(t->psql_in);
		else
			close(to[1]);
		if (t->psql_out != NULL)
			fclose(t->psql_out);
		else
			close(from[0]);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	t->psql_pid = pid;
	t->psql_owner = getpid();
	return 0;
}

#define PSQL_MARK "__tafel_test_end__"

/* One query on t's psql: 0 answered, 1 failed, -1 psql gone (or none). */
static int
psql_co_query(struct tafeld *t, const char *sql, char *out, size_t len)
{
	char line[4096];
	int first = 1;

	if (t->psql_pid <= 0 && psql_co_open(t) != 0)
		return -1;
	if (fprintf(t->psql_in, "%s\n;\n\\echo " PSQL_MARK " :ERROR\n",
	    sql) < 0 || fflush(t->psql_in) != 0) {
		psql_co_close(t);
		return -1;
	}
	out[0] = '\0';
	while (fgets(line, sizeof line, t->psql_out) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, PSQL_MARK " ", sizeof PSQL_MARK) == 0)
			return strcmp(line + sizeof PSQL_MARK, "false") == 0 ?
			    0 : 1;
		if (first)
			snprintf(out, len, "%s", line);
		first = 0;
	}
	psql_co_close(t);
	return -1;
}

int
harness_psql_value(struct tafeld *t, const char *sql, char *out, size_t len)
{
	int rc;

	if (t->psql_pid > 0 && t->psql_owner != getpid())
		t->psql_pid = 0;	/* a forked child: its own psql */
	rc = psql_co_query(t, sql, out, len);
	if (rc < 0)	/* lost its connection: once more with a new one */
		rc = psql_co_query(t, sql, out, len);
	return rc == 0 ? 0 : -1;
}

int
harness_sql_until(struct tafeld *t, const char *sql, int timeout_ms)
{
	char v[64];
	long long deadline = now_ms() + timeout_ms;

	do {
		if (harness_psql_value(t, sql, v, sizeof v) == 0 &&
		    strcmp(v, "t") == 0)
			return 1;
		usleep(50000);
	} while (now_ms() < deadline);
	return 0;
}

pid_t
harness_lock_table(struct tafeld *t, const char *table)
{
	char sql[512];
	pid_t pid;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		/*
		 * Not holding the test's sockets: a client the test closes
		 * (or resets) must be gone then, not when the locker ends.
		 */
		closefrom(3);
		/* named: the wait below and harness_unlock_table find it */
		snprintf(sql, sizeof sql, "SET application_name = "
		    "'tafel_test_locker_%ld'; BEGIN; LOCK TABLE %s IN ACCESS "
		    "EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT;",
		    (long)getpid(), table);
		_exit(harness_psql(t, sql) == 0 ? 0 : 1);
	}
	snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM pg_locks l "
	    "JOIN pg_class r ON r.oid = l.relation JOIN pg_stat_activity a ON "
	    "a.pid = l.pid WHERE r.relname = '%s' AND l.mode = "
	    "'AccessExclusiveLock' AND l.granted AND a.application_name = "
	    "'tafel_test_locker_%ld')", table, (long)pid);
	if (harness_sql_until(t, sql, 20000) != 1) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

int
harness_unlock_table(struct tafeld *t, pid_t locker)
{
	char sql[200], v[16];

	snprintf(sql, sizeof sql, "SELECT count(pg_cancel_backend(pid)) FROM "
	    "pg_stat_activity WHERE application_name = "
	    "'tafel_test_locker_%ld'", (long)locker);
	return harness_psql_value(t, sql, v, sizeof v) == 0 &&
	    strcmp(v, "1") == 0 ? 0 : -1;
}

Tafel__Envelope *
tclient_subscribe(struct tclient *c, int64_t meeting_id, uint64_t resume_from,
    int presentation)
{
	Tafel__SubscribeRequest s = TAFEL__SUBSCRIBE_REQUEST__INIT;

	s.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_MEETING;
	s.meeting_id = meeting_id;
	s.resume_from = resume_from;
	s.presentation = presentation;
	return tclient_req(c, B(SUBSCRIBE), &s, NULL);
}

void
harness_print_error(const char *what, const Tafel__Envelope *env)
{
	if (env != NULL && env->body_case == B(ERROR) &&
	    env->error->field[0] != '\0')
		fprintf(stderr, "%s: %s: %s (field %s)\n", what,
		    error_code_name(env->error->code), env->error->message,
		    env->error->field);
	else if (env != NULL && env->body_case == B(ERROR))
		fprintf(stderr, "%s: %s: %s\n", what,
		    error_code_name(env->error->code), env->error->message);
	else
		fprintf(stderr, "%s: %s\n", what, env != NULL ?
		    envelope_body_name(env->body_case) : "no answer");
}

void
harness_expect_body(const Tafel__Envelope *env, Tafel__Envelope__BodyCase body)
{
	assert_non_null(env);
	if (env->body_case != body)
		harness_print_error("unexpected answer", env);
	assert_int_equal(env->body_case, body);
}

void
harness_ping_ok(struct tclient *c)
{
	Tafel__PingRequest p = TAFEL__PING_REQUEST__INIT;
	Tafel__Envelope *m = tclient_req(c, B(PING), &p, NULL);

	harness_expect_body(m, B(PONG));
	frame_free(m);
}

Tafel__ErrorCode
harness_error_of(const Tafel__Envelope *env)
{
	assert_non_null(env);
	if (env->body_case != B(ERROR))
		harness_print_error("expected an error, got", env);
	assert_int_equal(env->body_case, B(ERROR));
	return env->error->code;
}

/* pg_ctl stop or start of t's embedded cluster (as the service user when
 * root), with the options tafeld starts it with. */
int
harness_cluster_ctl(struct tafeld *t, const char *what)
{
	char bindir[256] = "", cmd[2048], full[2400];
	FILE *p = popen("pg_config --bindir 2>/dev/null", "r");

	if (p != NULL) {
		if (fgets(bindir, sizeof bindir, p) == NULL)
			bindir[0] = '\0';
		pclose(p);
	}
	bindir[strcspn(bindir, "\n")] = '\0';
	if (bindir[0] == '\0')
		snprintf(bindir, sizeof bindir, "/usr/lib/postgresql/15/bin");
	if (strcmp(what, "stop") == 0)
		snprintf(cmd, sizeof cmd, "%s/pg_ctl -D %s/pg/data -m fast -w "
		    "stop", bindir, t->dir);
	else
		snprintf(cmd, sizeof cmd, "%s/pg_ctl -D %s/pg/data -l "
		    "%s/pg/postgres.log -w -t 60 -o \"-c listen_addresses='' "
		    "-c unix_socket_directories='%s/pg/run' -c port=5432\" "
		    "start", bindir, t->dir, t->dir, t->dir);
	if (geteuid() == 0) {
		const char *user = getenv("TAFEL_TEST_USER");
		char *q;
		size_t n = 0;

		/* for su -c "...": the inner double quotes escaped */
		n = (size_t)snprintf(full, sizeof full, "cd /tmp && su %s -s "
		    "/bin/sh -c \"", user ? user : "tafel");
		for (q = cmd; *q != '\0' && n + 3 < sizeof full; q++) {
			if (*q == '"')
				full[n++] = '\\';
			full[n++] = *q;
		}
		snprintf(full + n, sizeof full - n, "\" >/dev/null 2>&1");
	} else
		snprintf(full, sizeof full, "%s >/dev/null 2>&1", cmd);
	return system(full);
}

Tafel__Envelope *
harness_create_case(struct tclient *c, const char *summary, const char *key)
{
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;

	cc.theme = "domestic_violence";
	cc.summary = (char *)summary;
	return tclient_req(c, B(CREATE_CASE), &cc, key);
}
