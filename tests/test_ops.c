/* Integration: running tafeld as a service: SIGHUP reload of the certificate, the graceful stop on SIGTERM. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dirent.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "frame.h"
#include "harness.h"
#include "proto.h"

static struct tafeld srv;
static struct tafeld restored;	/* test_backup_restore's copy, while it runs */
static struct tafeld outage;	/* test_external_database_outage's node */

static int cluster_signal(struct tafeld *t, int sig);

/* A pending audit row the fold cannot read (entries not JSON arrays): every
 * fold fails on it (INTERNAL) until it is gone; marked by its change -1. */
#define BAD_FOLD_ROW "INSERT INTO audit_pending (at, entries, seqs, grp, " \
	"uids) VALUES (now(), ARRAY['1'::jsonb], ARRAY[-1::bigint], " \
	"ARRAY[1], ARRAY[1::bigint])"
#define BAD_FOLD_ROW_GONE "BEGIN; SET LOCAL tafel.audit_fold = on; DELETE " \
	"FROM audit_pending WHERE seqs = ARRAY[-1::bigint]; COMMIT"

static int
setup(void **state)
{
	(void)state;
	harness_require_service_user();
	return tafeld_start_demo(&srv, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	/* a failed backup/restore check leaves its copy running */
	if (restored.pid > 0)
		tafeld_teardown(&restored);
	/* a failed outage check leaves its node running, srv paused */
	if (outage.pid > 0) {
		cluster_signal(&srv, SIGCONT);
		kill(srv.pid, SIGCONT);
		kill(outage.pid, SIGCONT);
		tafeld_teardown(&outage);
		(void)harness_psql(&srv, BAD_FOLD_ROW_GONE);
	}
	return tafeld_teardown(&srv);
}

/* SHA-256 of a certificate into md (32 bytes). */
static void
cert_digest(X509 *x, unsigned char *md)
{
	unsigned int n = 0;

	assert_non_null(x);
	assert_int_equal(X509_digest(x, EVP_sha256(), md, &n), 1);
	assert_int_equal(n, 32);
}

/* The digest of the certificate c's server presented. */
static void
peer_digest(struct tclient *c, unsigned char *md)
{
	X509 *x = SSL_get1_peer_certificate(c->ssl);

	cert_digest(x, md);
	X509_free(x);
}

/* The digest of a PEM certificate file. */
static void
file_digest(const char *path, unsigned char *md)
{
	FILE *f = fopen(path, "r");
	X509 *x;

	assert_non_null(f);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	cert_digest(x, md);
	X509_free(x);
}

/* Runs a shell command; asserts it succeeded. */
static void
sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	assert_int_equal(rc, 0);
}

/* Waits up to ms for a log line containing needle to appear n times. */
static int
log_wait(struct tafeld *t, const char *needle, int n, int ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		if (tafeld_log_count(t, needle) >= n)
			return 1;
		usleep(20000);
	}
	return tafeld_log_count(t, needle) >= n;
}

/*
 * A certificate renewed in place and SIGHUP: the client connected before
 * keeps its connection (and the old certificate); a new client gets the
 * new one.
 */
static void
test_reload_certificate(void **state)
{
	struct tclient old, fresh;
	unsigned char before[32], after[32], file[32];
	char crt[400];

	(void)state;
	assert_int_equal(tclient_login(&old, &srv, "politie", "demo"), 0);
	peer_digest(&old, before);

	snprintf(crt, sizeof crt, "%s/tls/server.crt", srv.dir);
	sh("cd '%s/tls' && openssl req -x509 -new -newkey ec -pkeyopt "
	    "ec_paramgen_curve:P-256 -nodes -keyout new.key -out new.crt "
	    "-CA ca.crt -CAkey ca.key -subj /CN=tafeld-renewed -addext "
	    "subjectAltName=IP:127.0.0.1 -addext "
	    "basicConstraints=critical,CA:FALSE -days 30 2>/dev/null && "
	    "{ [ \"$(id -u)\" != 0 ] || chown \"$(stat -c %%U ca.key)\" "
	    "new.key new.crt; } && mv new.key server.key && "
	    "mv new.crt server.crt", srv.dir);
	file_digest(crt, file);
	assert_memory_not_equal(before, file, 32);

	assert_int_equal(kill(srv.pid, SIGHUP), 0);
	assert_true(log_wait(&srv, "reload: done", 1, 10000));
	assert_int_equal(tafeld_log_count(&srv,
	    "reload: TLS certificate, key and client CA reloaded"), 1);
	/* --listen and --set from the command line are not "changed" */
	assert_int_equal(tafeld_log_count(&srv, "restart tafeld to apply"), 0);

	assert_int_equal(tclient_login(&fresh, &srv, "om", "demo"), 0);
	peer_digest(&fresh, after);
	assert_memory_equal(after, file, 32);
	harness_ping_ok(&fresh);
	harness_ping_ok(&old);		/* still connected, still served */
	assert_false(old.eof);
	tclient_close(&fresh);
	tclient_close(&old);
}

/*
 * A reload with a broken certificate keeps the working one, and says only
 * that: tls_cert is not applied nor counted as changed, and stays what it
 * was (reverting the file then is no change).
 */
static void
test_reload_broken_certificate_kept(void **state)
{
	struct tclient c;
	char cfg[400];
	FILE *f;
	int done, applied, restart, kept, one, reloaded;

	(void)state;
	snprintf(cfg, sizeof cfg, "%s/broken.conf", srv.dir);
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "tls_cert = /nonexistent/server.crt\n");
	fclose(f);
	assert_int_equal(tafeld_stop(&srv), 0);
	{
		const char *const args[] = { "--config", cfg, NULL };

		/* start with a good config file, then break it */
		f = fopen(cfg, "w");
		assert_non_null(f);
		fprintf(f, "log_level = info\n");
		fclose(f);
		sh("chmod 644 '%s'", cfg);
		assert_int_equal(tafeld_start(&srv, srv.dir, args), 0);
	}
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "log_level = debug\ntls_cert = /nonexistent/server.crt\n"
	    "db_pool_size = 3\n");
	fclose(f);
	done = tafeld_log_count(&srv, "reload: done");
	applied = tafeld_log_count(&srv, "reload: log_level applied");
	restart = tafeld_log_count(&srv,
	    "reload: db_pool_size changed; restart tafeld to apply it");
	kept = tafeld_log_count(&srv, "keeping the current certificate");
	one = tafeld_log_count(&srv, "reload: done (1 setting(s) changed)");
	reloaded = tafeld_log_count(&srv,
	    "TLS certificate, key and client CA reloaded");
	assert_int_equal(kill(srv.pid, SIGHUP), 0);
	assert_true(log_wait(&srv, "reload: done", done + 1, 10000));
	assert_int_equal(tafeld_log_count(&srv, "reload: log_level applied"),
	    applied + 1);
	assert_int_equal(tafeld_log_count(&srv,
	    "reload: db_pool_size changed; restart tafeld to apply it"),
	    restart + 1);
	assert_int_equal(tafeld_log_count(&srv,
	    "keeping the current certificate"), kept + 1);
	assert_int_equal(tafeld_log_count(&srv, "reload: tls_cert applied"), 0);
	assert_int_equal(tafeld_log_count(&srv, "reload: tls_cert not applied "
	    "(the TLS files do not load); it stays \"\""), 1);
	assert_int_equal(tafeld_log_count(&srv,
	    "reload: done (1 setting(s) changed)"), one + 1);
	assert_int_equal(tafeld_log_count(&srv,
	    "TLS certificate, key and client CA reloaded"), reloaded);
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	harness_ping_ok(&c);
	tclient_close(&c);

	/* tls_cert is still the generated one: taking it out changes nothing */
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "log_level = debug\ndb_pool_size = 3\n");
	fclose(f);
	done = tafeld_log_count(&srv, "reload: done (0 setting(s) changed)");
	assert_int_equal(kill(srv.pid, SIGHUP), 0);
	assert_true(log_wait(&srv, "reload: done (0 setting(s) changed)",
	    done + 1, 10000));
	assert_int_equal(tafeld_log_count(&srv, "reload: tls_cert applied"), 0);
	assert_int_equal(tafeld_log_count(&srv,
	    "TLS certificate, key and client CA reloaded"), reloaded + 1);
}

/* Runs a shell command; its exit status, and stdout (malloc'ed) in *out. */
static int
run_output(char **out, const char *fmt, ...)
{
	char cmd[4096], *buf = NULL;
	size_t len = 0, cap = 0;
	va_list ap;
	FILE *p;
	int c, st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((c = fgetc(p)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		buf[len++] = (char)c;
	}
	st = pclose(p);
	if (buf == NULL)
		buf = calloc(1, 1);
	assert_non_null(buf);
	buf[len] = '\0';
	*out = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Writes text to srv's config file (the one test_reload_broken_certificate_kept started it with). */
static void
write_conf(const char *text)
{
	char cfg[400];
	FILE *f;

	snprintf(cfg, sizeof cfg, "%s/broken.conf", srv.dir);
	f = fopen(cfg, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* SIGHUP, then waits until the log holds needle one more time than before. */
static void
reload_until(const char *needle)
{
	int n = tafeld_log_count(&srv, needle);

	assert_int_equal(kill(srv.pid, SIGHUP), 0);
	assert_true(log_wait(&srv, needle, n + 1, 10000));
}

/*
 * An unknown log_level is a configuration error like any bad value: tafeld
 * does not start (from the file or --set), naming the key and the words it
 * takes; a reload with it changes nothing and says why.
 */
static void
test_bad_log_level(void **state)
{
	const char *bin = getenv("TAFELD") ? getenv("TAFELD") : "tafeld";
	/* a value read from the file is not echoed; --set's is */
	const char *why = "log_level: expected one of info, debug, warn or "
	    "error";
	char cfg[400], *out;
	int applied, idle;

	(void)state;
	snprintf(cfg, sizeof cfg, "%s/verbose.conf", srv.dir);
	{
		FILE *f = fopen(cfg, "w");

		assert_non_null(f);
		fputs("log_level = verbose\n", f);
		fclose(f);
	}
	/* (timeout: a tafeld that took it would run) */
	assert_int_equal(run_output(&out, "timeout 30 '%s' --config '%s' "
	    "--data-dir '%s.none' 2>&1", bin, cfg, srv.dir), 1);
	assert_non_null(strstr(out, why));
	assert_null(strstr(out, "\"verbose\""));
	free(out);
	assert_int_equal(run_output(&out, "timeout 30 '%s' --config /dev/null "
	    "--data-dir '%s.none' --set log_level=verbose 2>&1", bin, srv.dir),
	    1);
	assert_non_null(strstr(out, why));
	assert_non_null(strstr(out, "got \"verbose\""));
	assert_null(strstr(out, "starting"));
	free(out);
	unlink(cfg);
	sh("rm -rf '%s.none'", srv.dir);

	write_conf("log_level = debug\n");
	reload_until("reload: done");
	applied = tafeld_log_count(&srv, "reload: log_level applied");
	idle = tafeld_log_count(&srv, "reload: idle_timeout applied");
	write_conf("idle_timeout = 2h\nlog_level = verbose\n");
	reload_until("keeping the current settings");
	assert_int_equal(tafeld_log_count(&srv, why), 1);
	assert_int_equal(tafeld_log_count(&srv, "reload: idle_timeout applied"),
	    idle);
	/* still debug: setting it again is no change */
	write_conf("log_level = debug\n");
	reload_until("reload: done");
	assert_int_equal(tafeld_log_count(&srv, "reload: log_level applied"),
	    applied);
	assert_int_equal(tafeld_log_count(&srv, "reload: idle_timeout applied"),
	    idle);
}

/*
 * A key given twice is refused at start-up and on reload alike, naming
 * both lines; the reload keeps the running configuration.  (It used to be
 * "the last one wins", which made an edit of the first one do nothing.)
 */
static void
test_duplicate_key(void **state)
{
	const char *bin = getenv("TAFELD") ? getenv("TAFELD") : "tafeld";
	const char *twice = "\"listen\" is given twice (lines 1 and 4)";
	char cfg[400], *out;
	int idle, listen;

	(void)state;
	write_conf("log_level = debug\n");
	reload_until("reload: done");
	idle = tafeld_log_count(&srv, "reload: idle_timeout applied");
	listen = tafeld_log_count(&srv, "reload: listen changed");
	write_conf("listen = 127.0.0.1:1\nidle_timeout = 3h\nlog_level = debug\n"
	    "listen = 127.0.0.1:2\n");
	reload_until("keeping the current settings");
	assert_int_equal(tafeld_log_count(&srv, twice), 1);
	assert_int_equal(tafeld_log_count(&srv, "reload: idle_timeout applied"),
	    idle);
	assert_int_equal(tafeld_log_count(&srv, "reload: listen changed"),
	    listen);

	/* the same file does not start tafeld */
	snprintf(cfg, sizeof cfg, "%s/broken.conf", srv.dir);
	assert_int_equal(run_output(&out, "timeout 30 '%s' --config '%s' "
	    "--data-dir '%s.none' 2>&1", bin, cfg, srv.dir), 1);
	assert_non_null(strstr(out, twice));
	free(out);
	sh("rm -rf '%s.none'", srv.dir);
	write_conf("log_level = debug\n");
}

/* Runs tafelctl status [--json] against srv; its output (malloc'ed). */
static char *
ctl_status_output(int json)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	char cmd[1024], *out = NULL;
	size_t len = 0, cap = 0;
	FILE *p;
	int c;

	snprintf(cmd, sizeof cmd, "'%s' --config /dev/null --data-dir '%s' "
	    "status%s", bin, srv.dir, json ? " --json" : "");
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((c = fgetc(p)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		out[len++] = (char)c;
	}
	assert_int_equal(pclose(p), 0);
	assert_non_null(out);
	out[len] = '\0';
	return out;
}

static json_object *
jpath(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, a, &v));
	if (b != NULL) {
		o = v;
		assert_true(json_object_object_get_ex(o, b, &v));
	}
	return v;
}

/* The entry of array a whose key equals value (NULL: none). */
static json_object *
find_entry(json_object *a, const char *key, const char *value)
{
	size_t i;
	json_object *e, *v;

	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if (json_object_object_get_ex(e, key, &v) &&
		    strcmp(json_object_get_string(v), value) == 0)
			return e;
	}
	return NULL;
}

/*
 * tafelctl status through the admin socket: connections by state,
 * sessions per organisation, subscriptions per meeting, push positions,
 * the pool and the recent errors, as JSON and as text.
 */
static void
test_status(void **state)
{
	struct tclient pol, om, chair;
	Tafel__Envelope *m;
	json_object *st, *e;
	char org[200], meeting[32], sock[400], *text;
	long long seq0;
	int i;
	struct stat sb;

	(void)state;
	assert_int_equal(harness_psql_value(&srv, "SELECT o.name FROM users u "
	    "JOIN organisations o ON o.id = u.org_id WHERE u.login = 'politie'",
	    org, sizeof org), 0);
	assert_int_equal(harness_psql_value(&srv, "SELECT m.id FROM meetings m "
	    "JOIN series s ON s.id = m.series_id WHERE s.kind = 'wzt' AND "
	    "m.state = 'planned' ORDER BY m.scheduled_start LIMIT 1", meeting,
	    sizeof meeting), 0);
	assert_int_equal(tclient_login(&pol, &srv, "politie", "demo"), 0);
	assert_int_equal(tclient_login(&om, &srv, "om", "demo"), 0);
	assert_int_equal(tclient_login(&chair, &srv, "voorzitter", "demo"), 0);
	m = tclient_subscribe(&chair, atoll(meeting), 0, 0);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);

	snprintf(sock, sizeof sock, "%s/admin.sock", srv.dir);
	assert_int_equal(stat(sock, &sb), 0);
	assert_true(S_ISSOCK(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0660);

	text = ctl_status_output(1);
	st = json_tokener_parse(text);
	free(text);
	assert_non_null(st);
	assert_string_equal(json_object_get_string(jpath(st, "version", NULL)),
	    TAFEL_VERSION);
	assert_true(json_object_get_boolean(jpath(st, "reachable", NULL)));
	assert_int_equal(json_object_get_int(jpath(st, "connections",
	    "total")), 3);
	assert_int_equal(json_object_get_int(jpath(jpath(st, "connections",
	    "by_state"), "ready", NULL)), 3);
	e = find_entry(jpath(st, "sessions", NULL), "organisation", org);
	assert_non_null(e);
	assert_int_equal(json_object_get_int(jpath(e, "sessions", NULL)), 1);
	e = find_entry(jpath(st, "subscriptions", NULL), "meeting_id", meeting);
	assert_non_null(e);
	assert_int_equal(json_object_get_int(jpath(e, "subscriptions", NULL)),
	    1);
	assert_int_equal(json_object_get_int(jpath(e, "live", NULL)), 1);
	assert_int_equal(json_object_get_int(jpath(st, "database",
	    "pool_size")), 4);
	assert_true(json_object_get_boolean(jpath(st, "database", "listen")));
	/* the data directory's disk: room reported, not full */
	assert_true(json_object_get_int64(jpath(st, "disk", "size_bytes")) > 0);
	assert_true(json_object_get_int64(jpath(st, "disk", "free_bytes")) > 0);
	assert_false(json_object_get_boolean(jpath(st, "disk", "full")));
	assert_false(json_object_get_boolean(jpath(st, "disk",
	    "writes_refused")));
	assert_int_equal(json_object_get_int64(jpath(st, "disk", "low_bytes")),
	    32 * 1024 * 1024);
	/* the broken certificate of the test before is among the errors */
	assert_non_null(strstr(json_object_to_json_string(jpath(st,
	    "recent_errors", NULL)), "keeping the current certificate"));
	seq0 = json_object_get_int64(jpath(st, "push", "last_committed_seq"));
	json_object_put(st);

	/*
	 * a write moves the committed position; delivery catches up (the
	 * new case is pushed to the chair's case list, and timed)
	 */
	{
		Tafel__SubscribeRequest sr = TAFEL__SUBSCRIBE_REQUEST__INIT;

		sr.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST;
		m = tclient_req(&chair, B(SUBSCRIBE), &sr, NULL);
		harness_expect_body(m, B(SUBSCRIBED));
		frame_free(m);
	}
	{
		Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;

		cc.theme = "domestic_violence";
		cc.summary = (char *)"status test";
		m = tclient_req(&chair, B(CREATE_CASE), &cc, harness_key());
		harness_expect_body(m, B(CASE_RECORD));
		frame_free(m);
		m = tclient_event(&chair, 10000);
		assert_non_null(m);
		frame_free(m);
	}
	usleep(300000);
	text = ctl_status_output(1);
	st = json_tokener_parse(text);
	free(text);
	assert_non_null(st);
	assert_true(json_object_get_int64(jpath(st, "push",
	    "last_committed_seq")) > seq0);
	assert_int_equal(json_object_get_int64(jpath(st, "push", "lag")), 0);
	/* the case list is counted under its own topic, not as the
	 * organisation's action points (nobody subscribed to those) */
	e = find_entry(jpath(st, "subscriptions", NULL), "topic", "case list");
	assert_non_null(e);
	assert_int_equal(json_object_get_int(jpath(e, "subscriptions", NULL)),
	    1);
	assert_null(find_entry(jpath(st, "subscriptions", NULL), "topic",
	    "organisation actions"));
	/* the delivery's timing: rendered, then sent */
	e = jpath(jpath(st, "push", "timing"), "changes", NULL);
	assert_true(json_object_get_int64(e) >= 1);
	e = jpath(st, "push", "timing");
	assert_true(json_object_get_double(jpath(e, "render_p50_ms", NULL)) >
	    0.0);
	assert_true(json_object_get_double(jpath(e, "sent_p50_ms", NULL)) >=
	    json_object_get_double(jpath(e, "render_p50_ms", NULL)));
	assert_true(json_object_get_double(jpath(e, "viewers_avg", NULL)) >=
	    1.0);
	/* the meeting's subscription was a join: its snapshot came from the
	 * database, then the answer went out */
	assert_true(json_object_get_int64(jpath(e, "joins", NULL)) >= 1);
	assert_true(json_object_get_double(jpath(e, "join_db_p50_ms", NULL)) >
	    0.0);
	assert_true(json_object_get_double(jpath(e, "join_p50_ms", NULL)) >=
	    json_object_get_double(jpath(e, "join_db_p50_ms", NULL)));
	assert_true(json_object_get_double(jpath(e, "join_max_ms", NULL)) >=
	    json_object_get_double(jpath(e, "join_p99_ms", NULL)));
	json_object_put(st);
	/*
	 * the chair's case list showed the new case's summary: recorded with
	 * the push, and moved into the read audit by the server's fold
	 * (every second), without a failure
	 */
	for (i = 0; i < 100; i++) {
		text = ctl_status_output(1);
		st = json_tokener_parse(text);
		free(text);
		assert_non_null(st);
		e = jpath(st, "push", "audit_fold");
		if (json_object_get_int64(jpath(e, "moved", NULL)) >= 1)
			break;
		json_object_put(st);
		st = NULL;
		usleep(100000);
	}
	assert_non_null(st);
	assert_true(json_object_get_int64(jpath(e, "runs", NULL)) >= 1);
	assert_int_equal(json_object_get_int64(jpath(e, "failures", NULL)), 0);
	assert_string_equal(json_object_get_string(jpath(e, "last_error",
	    NULL)), "");
	json_object_put(st);

	/*
	 * anyone else (here: nobody) gets nothing, and is told it is a
	 * matter of permission (the data directory is closed to it), not
	 * asked whether tafeld runs
	 */
	{
		const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") :
		    "tafelctl";
		char want[600];

		assert_int_not_equal(run_output(&text, "su -s /bin/sh nobody "
		    "-c \"'%s' --config /dev/null --data-dir '%s' status\" "
		    "2>&1", bin, srv.dir), 0);
		if (geteuid() == 0) {
			snprintf(want, sizeof want, "this user (nobody) may not "
			    "reach tafeld's admin socket %s; run tafelctl as "
			    "root or as tafeld's service user", sock);
			if (strstr(text, want) == NULL)
				fprintf(stderr, "tafelctl said: %s\n", text);
			assert_non_null(strstr(text, want));
			assert_non_null(strstr(text, "Permission denied"));
			assert_null(strstr(text, "is tafeld running"));
		}
		free(text);
	}

	text = ctl_status_output(0);
	assert_non_null(strstr(text, "sessions per organisation"));
	assert_non_null(strstr(text, "push timing, last "));
	assert_non_null(strstr(text, "join timing, last "));
	assert_non_null(strstr(text, "audit fold: "));
	assert_non_null(strstr(text, org));
	assert_non_null(strstr(text, "ready 3"));
	free(text);
	tclient_close(&pol);
	tclient_close(&om);
	tclient_close(&chair);
}

/*
 * tafelctl status where no tafeld listens asks whether it runs (and says
 * nothing about permissions).
 */
/* Open file descriptors of process pid. */
static int
count_fds(pid_t pid)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	assert_non_null(dir);
	while ((d = readdir(dir)) != NULL)
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

/*
 * Admin clients that ask and leave before the answer (tafelctl status
 * cut short): each connection is freed, its descriptor closed.  Before,
 * the answer's write failed (EPIPE) with no event callback left to free
 * it, and every such client cost tafeld a descriptor and a bufferevent
 * for good.  One still connected when tafeld stops is freed as well
 * (before: a leak report of the ASan build).
 */
#define ADMIN_LEAVERS 20
static void
test_admin_peer_leaves(void **state)
{
	struct sockaddr_un sun;
	char path[400], *out;
	int k, fd, before, after = 0;
	long long end;

	(void)state;
	snprintf(path, sizeof path, "%s/admin.sock", srv.dir);
	free(ctl_status_output(1));	/* anything lazily opened is open */
	before = count_fds(srv.pid);
	for (k = 0; k < ADMIN_LEAVERS; k++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_true(fd >= 0);
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		assert_true(strlen(path) < sizeof sun.sun_path);
		memcpy(sun.sun_path, path, strlen(path) + 1);
		assert_int_equal(connect(fd, (struct sockaddr *)&sun,
		    sizeof sun), 0);
		assert_int_equal(write(fd, "status\n", 7), 7);
		close(fd);
	}
	/* tafeld still answers, and has let go of every one of them */
	out = ctl_status_output(1);
	assert_non_null(strstr(out, "\"connections\""));
	free(out);
	end = now_ms() + 5000;
	while (now_ms() < end && (after = count_fds(srv.pid)) > before)
		usleep(50000);
	assert_int_equal(after, before);

	/* one still connected when tafeld stops is freed too (under ASan,
	 * tafeld_stop fails on a leak report) */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	usleep(200000);		/* accepted */
	assert_int_equal(tafeld_stop(&srv), 0);
	close(fd);
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
}

static void
test_status_not_running(void **state)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	char cfg[400], *out;
	FILE *f;

	(void)state;
	snprintf(cfg, sizeof cfg, "%s/nosock.conf", srv.dir);
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "admin_socket = %s/absent.sock\n", srv.dir);
	fclose(f);
	/* a data directory of its own: the default, /var/lib/tafel, may
	 * have a tafeld running (the demo's), and then tafelctl says so */
	assert_int_equal(run_output(&out, "'%s' --config '%s' --data-dir "
	    "'%s/none' status 2>&1", bin, cfg, srv.dir), 1);
	assert_non_null(strstr(out, "absent.sock: No such file or directory"));
	assert_non_null(strstr(out, "is tafeld running"));
	assert_null(strstr(out, "may not reach"));
	free(out);
	/* --json: an object on standard output for monitoring (it printed
	 * nothing, and status --json | jq exited 0), the exit status as
	 * without */
	assert_int_equal(run_output(&out, "'%s' --config '%s' --data-dir "
	    "'%s/none' status --json 2>/dev/null", bin, cfg, srv.dir), 1);
	assert_string_equal(out, "{\"reachable\": false, \"reason\": "
	    "\"not_running\"}\n");
	free(out);

	/* a tafeld killed (kill -9) and not yet reaped by its parent is a
	 * zombie that keeps its name and its lock file: not running (it was
	 * named as "tafeld (pid N) runs on DIR, but its admin socket is
	 * elsewhere") */
	{
		char dir[400], lock[450];
		pid_t z = fork();

		assert_true(z >= 0);
		if (z == 0) {
			prctl(PR_SET_NAME, "tafeld");
			_exit(0);
		}
		snprintf(dir, sizeof dir, "%s/zombie", srv.dir);
		assert_int_equal(mkdir(dir, 0700), 0);
		snprintf(lock, sizeof lock, "%s/tafeld.lock", dir);
		f = fopen(lock, "w");
		assert_non_null(f);
		fprintf(f, "%ld\n", (long)z);
		fclose(f);
		usleep(100000);		/* ended: a zombie until waitpid */
		assert_int_equal(run_output(&out, "'%s' --config '%s' "
		    "--data-dir '%s' status 2>&1", bin, cfg, dir), 1);
		assert_int_equal(waitpid(z, NULL, 0), z);
		unlink(lock);
		rmdir(dir);
		assert_non_null(strstr(out, "is tafeld running"));
		assert_null(strstr(out, "runs on"));
		free(out);
	}
	unlink(cfg);
}

/*
 * A stand-in for tafeld's admin socket at path: answers one connection's
 * "status" with doc.  Returns the serving child.
 */
static pid_t
fake_admin(const char *path, const char *doc)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), c;
	char line[64];
	pid_t pid;

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof sun.sun_path);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(listen(fd, 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		c = accept(fd, NULL, NULL);
		if (c < 0 || read(c, line, sizeof line) <= 0 ||
		    write(c, doc, strlen(doc)) != (ssize_t)strlen(doc))
			_exit(1);
		close(c);
		_exit(0);
	}
	close(fd);
	return pid;
}

/*
 * The recent errors and the audit fold's error as tafelctl status prints
 * them: a multi-line message (PostgreSQL's DETAIL) on indented lines, or
 * joined with " / " inside a sentence; no control character reaches the
 * terminal.  (Against a stand-in socket: the document is what a tafeld
 * sends when its messages keep their line feeds.)
 */
static void
test_status_multiline_errors(void **state)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	static const char doc[] = "{\"version\":\"0.1.0\",\"protocol\":1,"
	    "\"pid\":1,\"uptime_s\":5,\"started\":\"2026-12-02T09:00:00Z\","
	    "\"stopping\":false,\"listen\":\"127.0.0.1:7410\","
	    "\"connections\":{\"total\":0,\"max\":1,\"unauthenticated\":0,"
	    "\"by_state\":{}},\"sessions\":[],\"subscriptions\":[],"
	    "\"push\":{\"last_committed_seq\":1,\"last_delivered_seq\":1,"
	    "\"lag\":0,\"resume_window\":16,\"audit_fold\":{\"runs\":1,"
	    "\"moved\":0,\"failures\":2,\"last_moved\":0,\"last_error\":"
	    "\"ERROR:  fold broke\\nDETAIL:  row 7\\n\"}},"
	    "\"database\":{\"mode\":\"embedded\",\"pool_size\":1,"
	    "\"listen\":true},\"disk\":{},\"recent_errors\":[{\"at\":"
	    "\"2026-12-02T10:00:00Z\",\"level\":\"error\",\"message\":"
	    "\"query failed: ERROR:  duplicate key\\nDETAIL:  Key (id)=(1) "
	    "already exists.\\n\\n\\u001b[2J\\tforged\\r\\n\"}]}";
	char cfg[400], sockp[400], *out;
	pid_t pid;
	FILE *f;
	int st;

	(void)state;
	snprintf(sockp, sizeof sockp, "%s/fake.sock", srv.dir);
	snprintf(cfg, sizeof cfg, "%s/fake.conf", srv.dir);
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "admin_socket = %s\n", sockp);
	fclose(f);
	pid = fake_admin(sockp, doc);
	assert_int_equal(run_output(&out, "'%s' --config '%s' status", bin,
	    cfg), 0);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	unlink(sockp);
	unlink(cfg);
	if (strstr(out, "DETAIL") == NULL || strchr(out, '\x1b') != NULL)
		fprintf(stderr, "tafelctl said:\n%s", out);
	assert_non_null(strstr(out, "\n  2026-12-02T10:00:00Z error query "
	    "failed: ERROR:  duplicate key\n"
	    "                             DETAIL:  Key (id)=(1) already exists.\n"
	    "                             ?[2J forged\n"));
	assert_non_null(strstr(out, "audit fold: FAILING (2 times): ERROR:  "
	    "fold broke / DETAIL:  row 7 -- the push's disclosures wait"));
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\r'));
	assert_null(strchr(out, '\t'));
	free(out);
}

/*
 * The disk line of tafelctl status says what is true: below the 32 MiB
 * mark it is LOW (PostgreSQL may soon fail to write; writes are still
 * taken), FULL only once PostgreSQL has refused a write (it said "FULL:
 * writes are refused" at 19 MiB free while writes went through).  Against
 * a stand-in socket.
 */
static char *
status_of_disk(const char *disk)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	char doc[2048], cfg[400], sockp[400], *out;
	pid_t pid;
	FILE *f;
	int st;

	snprintf(doc, sizeof doc, "{\"version\":\"0.1.0\",\"protocol\":1,"
	    "\"pid\":1,\"uptime_s\":5,\"started\":\"2026-12-02T09:00:00Z\","
	    "\"stopping\":false,\"listen\":\"127.0.0.1:7410\","
	    "\"connections\":{\"total\":0,\"max\":1,\"unauthenticated\":0,"
	    "\"by_state\":{}},\"sessions\":[],\"subscriptions\":[],"
	    "\"push\":{\"last_committed_seq\":1,\"last_delivered_seq\":1,"
	    "\"lag\":0,\"resume_window\":16},"
	    "\"database\":{\"mode\":\"embedded\",\"pool_size\":1,"
	    "\"listen\":true},\"disk\":%s,\"recent_errors\":[]}", disk);
	snprintf(sockp, sizeof sockp, "%s/fake.sock", srv.dir);
	snprintf(cfg, sizeof cfg, "%s/fake.conf", srv.dir);
	f = fopen(cfg, "w");
	assert_non_null(f);
	fprintf(f, "admin_socket = %s\n", sockp);
	fclose(f);
	pid = fake_admin(sockp, doc);
	assert_int_equal(run_output(&out, "'%s' --config '%s' status", bin,
	    cfg), 0);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	unlink(sockp);
	unlink(cfg);
	return out;
}

static void
test_status_disk_low(void **state)
{
	char *out;

	(void)state;
	out = status_of_disk("{\"path\":\"/var/lib/tafel\",\"free_bytes\":"
	    "19922944,\"size_bytes\":1073741824,\"full\":true,"
	    "\"low_bytes\":33554432,\"writes_refused\":false}");
	if (strstr(out, "-- LOW: less than 32 MiB free") == NULL)
		fprintf(stderr, "tafelctl said:\n%s", out);
	assert_non_null(strstr(out, "disk: /var/lib/tafel: 19.0 MiB free of "
	    "1024.0 MiB -- LOW: less than 32 MiB free; PostgreSQL may soon "
	    "fail to write"));
	assert_null(strstr(out, "-- FULL"));
	free(out);

	out = status_of_disk("{\"path\":\"/var/lib/tafel\",\"free_bytes\":0,"
	    "\"size_bytes\":1073741824,\"full\":true,\"low_bytes\":33554432,"
	    "\"writes_refused\":true}");
	assert_non_null(strstr(out, "0.0 MiB free of 1024.0 MiB -- FULL: "
	    "PostgreSQL cannot write; writes are refused (DISK_FULL)"));
	free(out);

	out = status_of_disk("{\"path\":\"/var/lib/tafel\",\"free_bytes\":"
	    "104857600,\"size_bytes\":1073741824,\"full\":false,"
	    "\"low_bytes\":33554432,\"writes_refused\":false}");
	assert_non_null(strstr(out, "100.0 MiB free of 1024.0 MiB\n"));
	free(out);
}

/* Every row of every table of the register, hashed per table, then together. */
#define REGISTER_HASH \
	"SELECT md5(string_agg(tbl || ':' || h, ',' ORDER BY tbl)) FROM (" \
	"SELECT c.relname AS tbl, (xpath('/row/h/text()', query_to_xml(" \
	"format('SELECT md5(coalesce(string_agg(t::text, ''|'' ORDER BY " \
	"t::text), '''')) AS h FROM public.%I t', c.relname), false, true, " \
	"'')))[1]::text AS h FROM pg_class c JOIN pg_namespace n ON n.oid = " \
	"c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r') s"
/* Every sequence's position. */
#define SEQUENCES \
	"SELECT string_agg(sequencename || '=' || coalesce(last_value::text, " \
	"'-'), ',' ORDER BY sequencename) FROM pg_sequences WHERE " \
	"schemaname = 'public'"
#define AUDIT \
	"SELECT count(*) || ':' || md5(coalesce(string_agg(a::text, '|' " \
	"ORDER BY a.id), '')) FROM audit_log a"

/* Runs tafelctl CMD FILE against dir; 0 on success. */
static int
ctl_run_dir(const char *dir, const char *cmd, const char *file)
{
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	char line[2048];

	snprintf(line, sizeof line, "'%s' --config /dev/null --data-dir '%s' "
	    "%s '%s' >/dev/null", bin, dir, cmd, file);
	return system(line) == 0 ? 0 : -1;
}

static void
get_case_ok(struct tclient *c, const char *id)
{
	Tafel__GetCaseRequest g = TAFEL__GET_CASE_REQUEST__INIT;
	Tafel__Envelope *m;

	g.case_id = atoll(id);
	m = tclient_req(c, B(GET_CASE), &g, NULL);
	harness_expect_body(m, B(CASE_DETAIL));
	frame_free(m);
}

/* The whole of a file (malloc'ed); NULL if it cannot be read. */
static char *
slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return NULL;
	do {
		if (len + 4097 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Files in dir whose names start with prefix (a backup's leftovers). */
static int
count_prefixed(const char *dir, const char *prefix)
{
	char *out;
	int n;

	assert_int_equal(run_output(&out, "ls -A '%s' | grep -c '^%s' || true",
	    dir, prefix), 0);
	n = atoi(out);
	free(out);
	return n;
}

/*
 * Backup while tafeld serves, restore into a fresh data directory, start a
 * tafeld on it: every record, every sequence position and the audit log
 * are equal, and a client finds its case.  A second restore is refused.
 * The backup goes into a directory only root may write (tafelctl gives up
 * root for the embedded cluster, and still puts the file there).  A
 * backup never overwrites an existing file (yesterday's backup by the
 * same name) unless --force, and a failed one leaves no file behind.
 */
static void
test_backup_restore(void **state)
{
	struct tclient c;
	struct tafeld *copy = &restored;
	char file[400], h1[64], h2[64], q1[2048], q2[2048], a1[128], a2[128];
	char dir[] = "/tmp/tafel-restore-XXXXXX", v[32];
	char bdir[] = "/tmp/tafel-backups-XXXXXX", *out, *kept;
	const char *bin = getenv("TAFELCTL") ? getenv("TAFELCTL") : "tafelctl";
	struct stat st;

	(void)state;
	/* something in the audit log and the change log first */
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	assert_int_equal(harness_psql_value(&srv, "SELECT id FROM cases WHERE "
	    "number = '2026-0001'", v, sizeof v), 0);
	get_case_ok(&c, v);
	tclient_close(&c);
	usleep(200000);

	assert_non_null(mkdtemp(bdir));		/* 0700, the invoking user's */
	snprintf(file, sizeof file, "%s/tafel.dump", bdir);
	/* yesterday's backup by that name: refused, named, left as it was */
	sh("printf 'yesterday\\n' > '%s'", file);
	assert_int_equal(run_output(&out, "'%s' --config /dev/null --data-dir "
	    "'%s' backup '%s' 2>&1", bin, srv.dir, file), 1);
	assert_non_null(strstr(out, file));
	assert_non_null(strstr(out, "already exists"));
	assert_non_null(strstr(out, "--force"));
	free(out);
	kept = slurp(file);
	assert_non_null(kept);
	assert_string_equal(kept, "yesterday\n");
	free(kept);
	assert_int_equal(count_prefixed(bdir, "tafel.dump."), 0);
	/* a backup that fails (no such data directory) leaves no file */
	{
		char other[450];

		snprintf(other, sizeof other, "%s/other.dump", bdir);
		assert_int_not_equal(ctl_run_dir("/nonexistent/tafel",
		    "backup", other), 0);
		assert_int_not_equal(stat(other, &st), 0);
		assert_int_equal(count_prefixed(bdir, "other.dump"), 0);
	}
	/* --force replaces it with the complete backup (restored below) */
	assert_int_equal(ctl_run_dir(srv.dir, "backup --force", file), 0);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(st.st_size > 1000);
	assert_int_equal(count_prefixed(bdir, "tafel.dump."), 0);
	assert_int_equal(harness_psql_value(&srv, REGISTER_HASH, h1, sizeof h1),
	    0);
	assert_int_equal(harness_psql_value(&srv, SEQUENCES, q1, sizeof q1), 0);
	assert_int_equal(harness_psql_value(&srv, AUDIT, a1, sizeof a1), 0);
	assert_true(atoi(a1) > 0);

	assert_non_null(mkdtemp(dir));
	assert_int_equal(ctl_run_dir(dir, "restore", file), 0);
	assert_int_equal(tafeld_start(copy, dir, NULL), 0);
	assert_int_equal(harness_psql_value(copy, REGISTER_HASH, h2,
	    sizeof h2), 0);
	assert_int_equal(harness_psql_value(copy, SEQUENCES, q2, sizeof q2), 0);
	assert_int_equal(harness_psql_value(copy, AUDIT, a2, sizeof a2), 0);
	assert_string_equal(h1, h2);
	assert_string_equal(q1, q2);
	assert_string_equal(a1, a2);

	assert_int_equal(tclient_login(&c, copy, "politie", "demo"), 0);
	get_case_ok(&c, v);
	tclient_close(&c);
	/* the register is not empty any more: refused, nothing changed,
	 * and said how to replace it */
	assert_int_equal(run_output(&out, "'%s' --config /dev/null "
	    "--data-dir '%s' restore '%s' 2>&1", bin, dir, file), 1);
	assert_non_null(strstr(out, "already holds a register; to replace "
	    "it, stop tafeld, move the data directory aside"));
	free(out);
	/* an empty register (a tafeld, here tafelctl migrate, ran on the
	 * new data directory before the restore): said to be that */
	{
		char fresh[] = "/tmp/tafel-fresh-XXXXXX";

		assert_non_null(mkdtemp(fresh));
		sh("'%s' --config /dev/null --data-dir '%s' migrate "
		    ">/dev/null", bin, fresh);
		assert_int_equal(run_output(&out, "'%s' --config /dev/null "
		    "--data-dir '%s' restore '%s' 2>&1", bin, fresh, file), 1);
		if (strstr(out, "(an empty one, made when a tafeld") == NULL)
			fprintf(stderr, "tafelctl said:\n%s", out);
		assert_non_null(strstr(out, "(an empty one, made when a tafeld"));
		free(out);
		sh("rm -rf '%s'", fresh);
	}

	/*
	 * A backup a newer tafeld made (its schema past ours): restore
	 * refuses it before touching the target, naming both versions (it
	 * restored it, and then neither tafelctl nor tafeld could use the
	 * data directory).
	 */
	{
		char newer[450], target[450], top[16], want[300];

		assert_int_equal(harness_psql_value(copy, "SELECT "
		    "max(version) FROM schema_migrations", top, sizeof top), 0);
		assert_int_equal(harness_psql_value(copy, "INSERT INTO "
		    "schema_migrations SELECT max(version) + 1, 'future' FROM "
		    "schema_migrations RETURNING version", v, sizeof v), 0);
		snprintf(newer, sizeof newer, "%s/newer.dump", bdir);
		assert_int_equal(ctl_run_dir(dir, "backup", newer), 0);
		snprintf(target, sizeof target, "%s/newer-target", bdir);
		assert_int_equal(run_output(&out, "'%s' --config /dev/null "
		    "--data-dir '%s' restore '%s' 2>&1", bin, target, newer), 1);
		snprintf(want, sizeof want, "its database schema is at version "
		    "%s, but this tafelctl (%s) knows versions up to %s; "
		    "restore it with the tafelctl of the version that made it",
		    v, TAFEL_VERSION, top);
		if (strstr(out, want) == NULL)
			fprintf(stderr, "tafelctl said:\n%s", out);
		assert_non_null(strstr(out, want));
		free(out);
		/* nothing made: no data directory, no cluster, no mark */
		assert_int_not_equal(stat(target, &st), 0);
		unlink(newer);

		/* a pg_dump of another database: refused before anything is
		 * made (it "restored", exit 0, and the next tafeld made a
		 * fresh, empty register there) */
		snprintf(newer, sizeof newer, "%s/other.dump", bdir);
		if (geteuid() == 0)
			sh("cd /tmp && su %s -s /bin/sh -c \"pg_dump -Fc -h "
			    "'%s/pg/run' -d postgres\" > '%s'",
			    getenv("TAFEL_TEST_USER") ? getenv("TAFEL_TEST_USER")
			    : "tafel", dir, newer);
		else
			sh("pg_dump -Fc -h '%s/pg/run' -d postgres > '%s'", dir,
			    newer);
		assert_int_equal(run_output(&out, "'%s' --config /dev/null "
		    "--data-dir '%s' restore '%s' 2>&1", bin, target, newer), 1);
		if (strstr(out, "is not a backup of a Tafel register") == NULL)
			fprintf(stderr, "tafelctl said:\n%s", out);
		assert_non_null(strstr(out, "is not a backup of a Tafel "
		    "register"));
		assert_non_null(strstr(out, "the target was not touched"));
		free(out);
		assert_int_not_equal(stat(target, &st), 0);
		/* a backup cut short: said to be so, nothing made */
		sh("head -c 100 '%s' > '%s'", file, newer);
		assert_int_equal(run_output(&out, "'%s' --config /dev/null "
		    "--data-dir '%s' restore '%s' 2>&1", bin, target, newer), 1);
		if (strstr(out, "it is cut short or damaged") == NULL)
			fprintf(stderr, "tafelctl said:\n%s", out);
		assert_non_null(strstr(out, "it is cut short or damaged"));
		free(out);
		assert_int_not_equal(stat(target, &st), 0);
		unlink(newer);
	}
	assert_int_equal(tafeld_teardown(copy), 0);
	unlink(file);
	rmdir(bdir);
}

/* Creates a case without waiting for the answer; returns its request id. */
static uint64_t
send_create_case(struct tclient *c, const char *summary)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;

	cc.theme = "domestic_violence";
	cc.summary = (char *)summary;
	env.request_id = ++c->next_id;
	env.idempotency_key = (char *)harness_key();
	env.body_case = B(CREATE_CASE);
	env.create_case = &cc;
	assert_int_equal(tclient_send(c, &env), 0);
	return env.request_id;
}

/* A write waiting for the cases table the locker holds
 * (harness_lock_table); polled, not slept for, so that a slow machine
 * only takes longer. */
#define CASES_WAITER "SELECT count(*) > 0 FROM pg_locks WHERE relation = " \
	"'cases'::regclass AND NOT granted"

static int
sql_until(const char *sql)
{
	return harness_sql_until(&srv, sql, 20000);
}

/*
 * SIGTERM while a write waits for a lock in the database: the client gets
 * the ServerStopping notice, then the answer to its write, then a clean
 * close; the write is in the register after a restart.  A ping and a
 * second write sent after the notice (while the first still runs) are
 * discarded: never answered, never carried out.
 */
static void
test_sigterm_notice_and_drain(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	uint64_t id;
	pid_t locker;
	int st, saw_notice = 0, saw_answer = 0, notice_first = 0, drained;
	int saw_late = 0;
	uint64_t late_ping = 0, late_write = 0;
	Tafel__Envelope ping = TAFEL__ENVELOPE__INIT;
	Tafel__PingRequest pr = TAFEL__PING_REQUEST__INIT;
	char v[32];

	(void)state;
	drained = tafeld_log_count(&srv, "requests in flight done");
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);

	/* hold the cases table so that the write is in flight */
	locker = harness_lock_table(&srv, "cases");
	assert_true(locker > 0);
	id = send_create_case(&c, "written while the server stops");
	assert_true(sql_until(CASES_WAITER));
	assert_int_equal(kill(srv.pid, SIGTERM), 0);

	while ((m = tclient_recv(&c, 10000)) != NULL) {
		if (m->body_case == B(STOPPING)) {
			assert_int_equal(m->request_id, 0);
			assert_non_null(m->stopping->message);
			saw_notice++;
			notice_first = !saw_answer;
			if (!saw_answer) {	/* the first write still runs */
				ping.request_id = late_ping = 990001;
				ping.body_case = B(PING);
				pr.nonce = 7;
				ping.ping = &pr;
				assert_int_equal(tclient_send(&c, &ping), 0);
				late_write = send_create_case(&c,
				    "sent after the stopping notice");
			}
			/* now the first write may finish */
			assert_int_equal(harness_unlock_table(&srv, locker),
			    0);
		} else if (m->request_id == id) {
			harness_expect_body(m, B(CASE_RECORD));
			saw_answer++;
		} else if (m->request_id != 0 && (m->request_id == late_ping ||
		    m->request_id == late_write))
			saw_late++;
		frame_free(m);
	}
	assert_int_equal(saw_notice, 1);
	assert_true(notice_first);
	assert_int_equal(saw_answer, 1);
	assert_true(late_write != 0);
	assert_int_equal(saw_late, 0);
	assert_true(c.eof);
	assert_true(c.clean_close);
	tclient_close(&c);

	while (waitpid(locker, &st, 0) < 0 && errno == EINTR)
		;
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_log_count(&srv, "requests in flight done"),
	    drained + 1);

	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM cases "
	    "WHERE summary = 'written while the server stops'", v, sizeof v),
	    0);
	assert_string_equal(v, "1");
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM cases "
	    "WHERE summary = 'sent after the stopping notice'", v, sizeof v),
	    0);
	assert_string_equal(v, "0");
}

/*
 * A second SIGTERM while a write still waits for its lock: tafeld stops
 * waiting and closes the connection at once (the write's answer is not
 * awaited; the client retries it with its key), long before the lock goes.
 */
static void
test_second_sigterm_stops_waiting(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	pid_t locker;
	int st, saw_notice = 0, locker_done;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	locker = harness_lock_table(&srv, "cases");
	assert_true(locker > 0);
	send_create_case(&c, "second sigterm");
	assert_true(sql_until(CASES_WAITER));
	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	m = tclient_recv(&c, 5000);
	assert_non_null(m);
	saw_notice = m->body_case == B(STOPPING);
	frame_free(m);
	assert_true(saw_notice);
	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	while ((m = tclient_recv(&c, 10000)) != NULL)
		frame_free(m);
	assert_true(c.eof);
	/* closed while the lock was still held */
	locker_done = waitpid(locker, &st, WNOHANG) == locker;
	assert_false(locker_done);
	tclient_close(&c);
	/* (tafeld stopping its cluster may have ended the lock already) */
	(void)harness_unlock_table(&srv, locker);
	while (waitpid(locker, &st, 0) < 0 && errno == EINTR)
		;
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_true(tafeld_log_count(&srv, "SIGTERM again: closing the "
	    "connections now") >= 1);
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
}

/*
 * tafeld stopped with password checks still queued (one hashing thread,
 * a dozen logins sent at once, SIGTERM twice so the loop does not wait
 * for them): the logins never checked are freed with the rest, and the
 * stop is clean.  Before, each such login leaked, which the ASan run of
 * this test reports (tafeld_stop: a LeakSanitizer report fails it).
 */
#define QUEUED_LOGINS 12
static void
test_stop_with_logins_queued(void **state)
{
	static const char *const args[] = { "--set", "hash_threads=1",
	    "--set", "rate_address=100000", "--set", "rate_burst=100000",
	    NULL };
	struct tclient c[QUEUED_LOGINS];
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__LoginRequest l = TAFEL__LOGIN_REQUEST__INIT;
	int k;

	(void)state;
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, args), 0);
	l.login = "voorzitter";
	l.password = "demo";
	env.request_id = 1;
	env.body_case = B(LOGIN);
	env.login = &l;
	for (k = 0; k < QUEUED_LOGINS; k++) {
		assert_int_equal(tclient_open(&c[k], &srv,
		    TAFEL_PROTOCOL_VERSION), 0);
		assert_int_equal(tclient_send(&c[k], &env), 0);
	}
	usleep(200000);		/* read by tafeld, the first being hashed */
	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	usleep(100000);
	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	for (k = 0; k < QUEUED_LOGINS; k++)
		tclient_close(&c[k]);
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
}

/*
 * A request whose query gets no answer (here: it waits for a lock another
 * session holds; a hung database or a silent network path looks the same
 * to tafeld) is given up after db_query_timeout: the client gets
 * DATABASE_UNAVAILABLE long before the lock goes, the connection is made
 * again, and the same write sent again with its key is applied once.
 * Before, the request waited as long as the database did, for ever if it
 * hung.  The backend tafeld left stops waiting too, while the lock is
 * still held (client_connection_check_interval): before, it stayed in
 * the lock's queue, holding a connection slot, and would have committed
 * the write nobody waited for once the lock went.
 */
static void
test_query_timeout(void **state)
{
	static const char *const args[] = { "--set", "db_query_timeout=1s",
	    NULL };
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT, *m;
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;
	pid_t locker;
	int st, code = 0, locker_done;
	char key[64], v[32];

	(void)state;
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, args), 0);
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	locker = harness_lock_table(&srv, "cases");
	assert_true(locker > 0);
	snprintf(key, sizeof key, "%s", harness_key());
	cc.theme = "domestic_violence";
	cc.summary = "given up after db_query_timeout";
	env.request_id = ++c.next_id;
	env.idempotency_key = key;
	env.body_case = B(CREATE_CASE);
	env.create_case = &cc;
	assert_int_equal(tclient_send(&c, &env), 0);
	m = tclient_recv(&c, 20000);
	assert_non_null(m);
	code = harness_error_of(m);
	frame_free(m);
	assert_int_equal(code, TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE);
	/* answered while the lock was still held */
	locker_done = waitpid(locker, &st, WNOHANG) == locker;
	assert_false(locker_done);
	assert_true(tafeld_log_count(&srv, "(db_query_timeout)") >= 1);
	/*
	 * the abandoned backend leaves the lock's queue on its own (the
	 * connection made again may wait there too, warming up: only the
	 * write counts)
	 */
	assert_true(sql_until("SELECT count(*) = 0 FROM pg_stat_activity "
	    "WHERE query LIKE '%tafel_write%' AND query NOT LIKE "
	    "'%pg_stat_activity%' AND wait_event_type = 'Lock'"));
	locker_done = waitpid(locker, &st, WNOHANG) == locker;
	assert_false(locker_done);
	assert_int_equal(harness_unlock_table(&srv, locker), 0);
	while (waitpid(locker, &st, 0) < 0 && errno == EINTR)
		;
	/* nothing committed behind the client's back */
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM cases "
	    "WHERE summary = 'given up after db_query_timeout'", v, sizeof v),
	    0);
	assert_string_equal(v, "0");

	/* the same write again, same key: once in the register */
	env.request_id = ++c.next_id;
	assert_int_equal(tclient_send(&c, &env), 0);
	m = tclient_recv(&c, 20000);
	assert_non_null(m);
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM cases "
	    "WHERE summary = 'given up after db_query_timeout'", v, sizeof v),
	    0);
	assert_string_equal(v, "1");
	tclient_close(&c);
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
}

/*
 * A push rendering that gets no answer is given up after db_query_timeout
 * and made again, like a request: the change still reaches its viewers.
 * The test makes the first rendering after it hang (a wrapper around
 * tafel_push_events that sleeps on its first call; a hung backend or a
 * silent network path looks the same to tafeld).  Before, the push lane
 * was not timed: that change, and every later one of this node, waited
 * for ever.
 */
static void
test_push_render_timeout(void **state)
{
	static const char *const args[] = { "--set", "db_query_timeout=1s",
	    NULL };
	Tafel__SubscribeRequest sr = TAFEL__SUBSCRIBE_REQUEST__INIT;
	Tafel__CreateCaseRequest cc = TAFEL__CREATE_CASE_REQUEST__INIT;
	Tafel__Envelope *m;
	struct tclient c;
	int before;

	(void)state;
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, args), 0);
	assert_int_equal(harness_psql(&srv,
	    "CREATE SEQUENCE test_render_calls; "
	    "ALTER FUNCTION tafel_push_events(bigint, jsonb) "
	    "RENAME TO test_push_events_real; "
	    "CREATE FUNCTION tafel_push_events(p_seq bigint, p_viewers jsonb) "
	    "RETURNS TABLE (idx int, event jsonb, same_as int) "
	    "LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS "
	    "'BEGIN IF nextval(''test_render_calls'') = 1 THEN "
	    "PERFORM pg_sleep(600); END IF; RETURN QUERY SELECT * FROM "
	    "test_push_events_real(p_seq, p_viewers); END'; "	/* no $: sh */
	    "GRANT EXECUTE ON FUNCTION tafel_push_events(bigint, jsonb) "
	    "TO tafel_app"), 0);
	before = tafeld_log_count(&srv, "(db_query_timeout)");
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	sr.topic = TAFEL__SUBSCRIBE_TOPIC__TOPIC_CASE_LIST;
	m = tclient_req(&c, B(SUBSCRIBE), &sr, NULL);
	harness_expect_body(m, B(SUBSCRIBED));
	frame_free(m);
	cc.theme = "domestic_violence";
	cc.summary = (char *)"pushed after a hung rendering";
	m = tclient_req(&c, B(CREATE_CASE), &cc, harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	/* the hung rendering is given up after 1 s and made again */
	m = tclient_event(&c, 20000);
	assert_non_null(m);
	assert_non_null(m->event);
	frame_free(m);
	assert_true(tafeld_log_count(&srv, "(db_query_timeout)") > before);
	assert_true(tafeld_log_count(&srv, "push: delivering change") >= 1);
	tclient_close(&c);
	assert_int_equal(harness_psql(&srv,
	    "DROP FUNCTION tafel_push_events(bigint, jsonb); "
	    "ALTER FUNCTION test_push_events_real(bigint, jsonb) "
	    "RENAME TO tafel_push_events; DROP SEQUENCE test_render_calls"), 0);
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
}

/*
 * A client that vanishes (a reset) while its requests wait in the query
 * queue: those never sent are dropped, not run later for nobody.  With
 * one pool connection and the cases table locked, the first of a burst
 * of reads waits at the database, the rest and a write wait in the queue;
 * the client resets its connection.  Once the lock goes, only the read
 * already sent ran (one read audit row, its answer discarded); before,
 * every queued read ran and was audited for a reader who was gone, and
 * the queued write, never acknowledged, was applied.
 */
#define GONE_READS 8
static void
test_queued_queries_of_closed_conn(void **state)
{
	static const char *const args[] = { "--set", "db_pool_size=1",
	    NULL };
	struct tclient c;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__GetCaseRequest gc = TAFEL__GET_CASE_REQUEST__INIT;
	struct linger lg = { 1, 0 };
	char case_id[32], sql[256], v[32];
	int k, st, before, after, lost;
	pid_t locker;

	(void)state;
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, args), 0);
	assert_int_equal(harness_psql_value(&srv, "SELECT min(id) FROM cases",
	    case_id, sizeof case_id), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE "
	    "context = 'case_view' AND case_id = %s", case_id);
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	before = atoi(v);
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);

	/* held until the client has gone */
	locker = harness_lock_table(&srv, "cases");
	assert_true(locker > 0);
	gc.case_id = atoll(case_id);
	env.body_case = B(GET_CASE);
	env.get_case = &gc;
	for (k = 0; k < GONE_READS; k++) {
		env.request_id = ++c.next_id;
		assert_int_equal(tclient_send(&c, &env), 0);
	}
	send_create_case(&c, "queued when its client vanished");
	assert_true(sql_until(CASES_WAITER));
	usleep(200000);		/* the rest read by tafeld and queued */
	/* a reset: no close_notify, no FIN */
	lost = tafeld_log_count(&srv, "connection lost in state");
	SSL_set_quiet_shutdown(c.ssl, 1);
	assert_int_equal(setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg,
	    sizeof lg), 0);
	tclient_close(&c);
	/* the lock goes once tafeld has seen the reset */
	assert_true(tafeld_log_wait(&srv, "connection lost in state", lost + 1,
	    20000) > lost);
	assert_int_equal(harness_unlock_table(&srv, locker), 0);
	while (waitpid(locker, &st, 0) < 0 && errno == EINTR)
		;
	/* what would have run has run well within this */
	snprintf(sql, sizeof sql, "SELECT count(*) >= %d FROM audit_log WHERE "
	    "context = 'case_view' AND case_id = %s", before + GONE_READS,
	    case_id);
	(void)harness_sql_until(&srv, sql, 3000);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE "
	    "context = 'case_view' AND case_id = %s", case_id);
	assert_int_equal(harness_psql_value(&srv, sql, v, sizeof v), 0);
	after = atoi(v);
	assert_int_equal(after - before, 1);	/* the one already sent */
	assert_int_equal(harness_psql_value(&srv, "SELECT count(*) FROM cases "
	    "WHERE summary = 'queued when its client vanished'", v, sizeof v),
	    0);
	assert_string_equal(v, "0");
	/* the server serves on */
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	harness_ping_ok(&c);
	tclient_close(&c);
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
}

/* What arrived on the test's NOTIFY_SOCKET, watched from a thread. */
struct notify_watch {
	int fd;
	int port;			/* tafeld's listening port */
	volatile int stop;
	int ready;			/* READY=1 datagrams (atomic: the
					 * test waits on it; published after
					 * port and accepted_at_ready) */
	int accepted_at_ready;		/* the port accepted when READY came */
	int watchdogs;			/* WATCHDOG=1 datagrams */
	int stopping;			/* STOPPING=1 datagrams */
	int before_ready;		/* datagrams other than STATUS before READY */
};

static int
tcp_connects(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	if (!ok)
		fprintf(stderr, "connect to port %d at READY: %s\n", port,
		    strerror(errno));
	close(fd);
	return ok;
}

static void *
notify_thread(void *arg)
{
	struct notify_watch *w = arg;
	char buf[512], *st;
	ssize_t n;

	while (!w->stop) {
		struct pollfd p = { .fd = w->fd, .events = POLLIN };

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv(w->fd, buf, sizeof buf - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (strstr(buf, "READY=1") != NULL) {
			/*
			 * At this very moment the listener must accept, on
			 * the port the status names (it listens on port 0:
			 * the kernel's choice, so no other process can hold it).
			 */
			if (w->ready == 0 && (st = strstr(buf, "STATUS=serving "
			    "on 127.0.0.1:")) != NULL) {
				w->port = atoi(strchr(st, ':') + 1);
				w->accepted_at_ready = w->port > 0 &&
				    tcp_connects(w->port);
			}
			/* only now: the test reads port and accepted_at_ready
			 * as soon as it sees ready */
			__atomic_add_fetch(&w->ready, 1, __ATOMIC_RELEASE);
		} else if (w->ready == 0 && strncmp(buf, "STATUS=", 7) != 0 &&
		    strstr(buf, "WATCHDOG=1") == NULL)
			w->before_ready++;
		if (strstr(buf, "WATCHDOG=1") != NULL)
			w->watchdogs++;
		if (strstr(buf, "STOPPING=1") != NULL)
			w->stopping++;
	}
	return NULL;
}

/* "ready" lines that count against a pool of 4 (the default size). */
static int
ready_counted(struct tafeld *t)
{
	return tafeld_log_count(t, ", 4 database connection(s)") +
	    tafeld_log_count(t, " of 4 database connections up (the others "
	    "still connecting)");
}

/*
 * tafeld under a systemd-like supervisor: NOTIFY_SOCKET points at the
 * test's datagram socket.  READY=1 comes once (the embedded PostgreSQL
 * does not announce itself), and when it comes the listener accepts and a
 * login works; WATCHDOG=1 keeps coming; SIGTERM sends STOPPING=1.
 */
static void
test_sd_notify(void **state)
{
	char dir[] = "/tmp/tafel-notify-XXXXXX", sock[200];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct notify_watch w = { 0 };
	struct tclient c;
	pthread_t th;
	long long end;
	int ready_lines, ready_pool;

	(void)state;
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(sock, sizeof sock, "%s/notify", dir);
	memcpy(sun.sun_path, sock, strlen(sock) + 1);
	w.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(w.fd >= 0);
	assert_int_equal(bind(w.fd, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_int_equal(chmod(sock, 0666), 0);	/* tafeld runs as tafel */
	assert_int_equal(pthread_create(&th, NULL, notify_thread, &w), 0);

	ready_lines = tafeld_log_count(&srv, "ready: serving on");
	ready_pool = ready_counted(&srv);
	setenv("NOTIFY_SOCKET", sock, 1);
	setenv("WATCHDOG_USEC", "400000", 1);
	{
		const char *const args[] = { "--listen", "127.0.0.1:0", NULL };

		assert_int_equal(tafeld_start(&srv, srv.dir, args), 0);
	}
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");

	end = now_ms() + 30000;
	while (__atomic_load_n(&w.ready, __ATOMIC_ACQUIRE) == 0 &&
	    now_ms() < end)
		usleep(10000);
	assert_int_equal(w.ready, 1);
	assert_int_equal(w.port, srv.port);	/* the status names the port */
	assert_true(w.accepted_at_ready);
	assert_int_equal(w.before_ready, 0);
	/* this start's ready line counts the pool's connections against
	 * its size (4): "2 database connection(s)" looked like a fault when
	 * the others were still connecting */
	assert_int_equal(tafeld_log_count(&srv, "ready: serving on") -
	    ready_lines, 1);
	assert_int_equal(ready_counted(&srv) - ready_pool, 1);
	assert_int_equal(tclient_login(&c, &srv, "politie", "demo"), 0);
	harness_ping_ok(&c);
	tclient_close(&c);
	usleep(1000000);
	assert_true(w.watchdogs >= 2);		/* every 200 ms */

	assert_int_equal(tafeld_stop(&srv), 0);
	usleep(200000);
	w.stop = 1;
	pthread_join(th, NULL);
	assert_int_equal(w.stopping, 1);
	assert_int_equal(w.ready, 1);		/* postgres never said READY */
	close(w.fd);
	unlink(sock);
	rmdir(dir);
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
}

/* Waits up to ms for the file at path to contain needle. */
static int
file_wait(const char *path, const char *needle, int ms)
{
	long long end = now_ms() + ms;
	char *t;
	int hit;

	do {
		t = slurp(path);
		hit = t != NULL && strstr(t, needle) != NULL;
		free(t);
		if (hit)
			return 1;
		usleep(20000);
	} while (now_ms() < end);
	return 0;
}

/*
 * A reload with a log_file that cannot be opened says so and changes
 * nothing: the log stays where it was (here standard error, the harness's
 * log), and so does the setting, so the next reload tries and says it
 * again, and tafelctl status lists the error.  A file that opens takes
 * the log; emptying log_file brings it back to standard error.  (A failed
 * one used to be logged as "reload: log_file applied" and kept as the
 * setting, so the next reload said nothing and SIGUSR1 reopened the wrong
 * file; emptying it left the log in the file.)
 */
static void
test_reload_log_file(void **state)
{
	const char *bad = "reload: log_file not applied (log_file "
	    "/nonexistent/tafel/tafeld.log: No such file or directory: its "
	    "directory does not exist; create it, writable for user ";
	char path[400], conf[600], *out;
	int applied = tafeld_log_count(&srv, "reload: log_file applied");

	(void)state;
	/* a file only root may read: read at start, and on a reload (as
	 * the service user) refused, saying how to let tafeld read it */
	if (geteuid() == 0) {
		char cfg[400];

		snprintf(cfg, sizeof cfg, "%s/broken.conf", srv.dir);
		write_conf("log_level = debug\n");
		assert_int_equal(chmod(cfg, 0600), 0);
		reload_until("keeping the current settings");
		assert_true(tafeld_log_count(&srv, "cannot read it (tafeld "
		    "reads it again as its service user); give it mode 0640, "
		    "owner root, group ") >= 1);
		assert_int_equal(chmod(cfg, 0644), 0);
	}
	write_conf("log_level = debug\nlog_file = /nonexistent/tafel/"
	    "tafeld.log\n");
	reload_until("reload: done");
	assert_int_equal(tafeld_log_count(&srv, bad), 1);
	assert_int_equal(tafeld_log_count(&srv, "reload: log_file applied"),
	    applied);
	reload_until("reload: done");
	assert_int_equal(tafeld_log_count(&srv, bad), 2);
	out = ctl_status_output(0);
	assert_non_null(strstr(out, "reload: log_file not applied"));
	free(out);

	/* one that opens takes the log; the old log says where it went */
	snprintf(path, sizeof path, "%s.other.log", srv.dir);
	unlink(path);
	snprintf(conf, sizeof conf, "log_level = debug\nlog_file = %s\n", path);
	write_conf(conf);
	{
		char continues[500];

		snprintf(continues, sizeof continues, "reload: log_file "
		    "applied; the log continues in %s", path);
		reload_until(continues);
	}
	assert_true(file_wait(path, "reload: done (1 setting(s) changed)",
	    10000));
	/* emptied: back on standard error */
	write_conf("log_level = debug\n");
	reload_until("reload: done (1 setting(s) changed)");
	assert_true(file_wait(path, "reload: log_file applied; the log "
	    "continues on standard error", 10000));
	unlink(path);
}

/*
 * The maintenance timer forgets idempotency keys older than
 * idempotency_ttl (its first run comes seconds after the start): a key
 * eight days old is gone, a fresh one stays, and the log says so without
 * a maintenance warning.  (It used to fail every run: its DELETE met the
 * row-level security helper on a pooled connection.)
 */
static void
test_forgets_old_keys(void **state)
{
	char v[32];
	int warned = tafeld_log_count(&srv, "WARN: maintenance");
	int forgot = tafeld_log_count(&srv, "forgot 1 idempotency key");
	long long end;

	(void)state;
	assert_int_equal(harness_psql(&srv, "INSERT INTO idempotency (user_id, "
	    "key, op, args_hash, created_at) SELECT id, k, 'record_decision', "
	    "'x', now() - d FROM users, (VALUES ('ops-old', interval '8 days'), "
	    "('ops-new', interval '1 day')) AS t(k, d) WHERE login = "
	    "'voorzitter'"), 0);
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
	end = now_ms() + 30000;
	while (tafeld_log_count(&srv, "forgot 1 idempotency key") == forgot &&
	    now_ms() < end)
		usleep(100000);
	assert_int_equal(tafeld_log_count(&srv, "forgot 1 idempotency key"),
	    forgot + 1);
	assert_int_equal(harness_psql_value(&srv, "SELECT string_agg(key, ',') "
	    "FROM idempotency WHERE key LIKE 'ops-%'", v, sizeof v), 0);
	assert_string_equal(v, "ops-new");
	assert_int_equal(tafeld_log_count(&srv, "WARN: maintenance"), warned);
}

/*
 * The log lines of t from line `from` (0: the first) up to the first one
 * containing `until`, which is not counted; printed to stderr.  -1 when
 * `until` is not (yet) there.
 */
static int
log_lines_until(struct tafeld *t, int from, const char *until)
{
	FILE *f = fopen(t->log, "r");
	char line[4096];
	int i = 0, n = 0, found = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (i++ < from)
			continue;
		if (strstr(line, until) != NULL) {
			found = 1;
			break;
		}
		n++;
	}
	fclose(f);
	return found ? n : -1;
}

/*
 * The node of the outage tests: a tafeld on srv's cluster as its external
 * database (`--db`, host=... plus conn_extra), with more tafeld arguments,
 * and a chair logged in to it whose first read worked; waits until `warm`
 * pool connections have warmed up, so that their lines come before what a
 * test does.  outage_down stops it.
 */
static void
outage_up(struct tclient *c, const char *conn_extra, const char *const *more,
    int warm)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	static char db[700];
	const char *args[16] = { "--db", db };
	Tafel__Envelope *m;
	int n = 2;

	snprintf(db, sizeof db, "host=%s/pg/run port=5432 dbname=tafel%s%s",
	    srv.dir, conn_extra[0] ? " " : "", conn_extra);
	while (more != NULL && *more != NULL && n < 15)
		args[n++] = *more++;
	args[n] = NULL;
	assert_int_equal(tafeld_start(&outage, NULL, args), 0);
	assert_int_equal(tclient_login(c, &outage, "voorzitter", "demo"), 0);
	m = tclient_req(c, B(LIST_MEETINGS), &lm, NULL);
	harness_expect_body(m, B(MEETING_LIST));
	frame_free(m);
	assert_true(log_wait(&outage, "warmed up", warm, 20000));
}

static void
outage_down(struct tclient *c)
{
	tclient_close(c);
	assert_int_equal(tafeld_stop(&outage), 0);
	tafeld_cleanup(&outage);
	memset(&outage, 0, sizeof outage);
}

/* A request answered DATABASE_UNAVAILABLE in less than max ms: 2500 is
 * well before the 5 s that a request waits in the queue for a connection
 * could have passed. */
static void
expect_unavailable_within(Tafel__Envelope *m, long long sent, long long max)
{
	long long took = now_ms() - sent;

	assert_non_null(m);
	assert_int_equal(harness_error_of(m),
	    TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE);
	frame_free(m);
	if (took >= max)
		fprintf(stderr, "answered after %lld ms\n", took);
	assert_true(took < max);
}

/*
 * An external database (`db`) stopped for about 10 s: tafeld logs one line
 * when it becomes unreachable (libpq's reason), at most a reminder, and
 * one line when it is reachable again ("after N s", with the failed
 * attempts of all its connections together), not a line per failed
 * attempt of each connection (some 30 in 10 s before); clients get
 * DATABASE_UNAVAILABLE meanwhile, at once once the outage is 5 s old
 * rather than each after waiting 5 s in the queue for a connection (a
 * request in the first 5 s waits for the database to come back), and the
 * write then goes through.  The audit fold's failures meanwhile are not logged, but a
 * failure for another reason after it is, before any fold has worked
 * (before, only after one had).  The node under test uses srv's cluster
 * as its external database; srv is paused meanwhile, or its watchdog
 * would restart PostgreSQL at once.
 */
static void
test_external_database_outage(void **state)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	char key[64];
	struct tclient c;
	Tafel__Envelope *m;
	long long t0, sent, deadline;
	int from, lines, fold_said;

	(void)state;
	outage_up(&c, "", NULL, 4);
	usleep(500000);
	from = tafeld_log_count(&outage, "");

	assert_int_equal(kill(srv.pid, SIGSTOP), 0);
	t0 = now_ms();
	assert_int_equal(harness_cluster_ctl(&srv, "stop"), 0);
	/* the same clear error as ever: in the outage's first 5 s a request
	 * waits for the database to come back (it does not), no longer than
	 * the 5 s of the queue plus a margin for a loaded machine ... */
	sent = now_ms();
	expect_unavailable_within(tclient_req(&c, B(LIST_MEETINGS), &lm,
	    NULL), sent, 15000);
	assert_true(log_wait(&outage, "database unreachable, ", 1, 10000));
	/* ... and once the outage is 5 s old, a read and a write are answered
	 * at once (it began before its line was seen) */
	usleep(5500000);
	sent = now_ms();
	expect_unavailable_within(tclient_req(&c, B(LIST_MEETINGS), &lm,
	    NULL), sent, 2500);
	snprintf(key, sizeof key, "%s", harness_key());
	sent = now_ms();
	expect_unavailable_within(harness_create_case(&c, "written after the outage",
	    key), sent, 2500);
	/* tafelctl status says the audit fold fails for want of the
	 * database, in an administrator's words (it showed a client's:
	 * "retry with the same idempotency key") */
	{
		char cmd[1024], out[16384], *line;
		size_t n;
		FILE *p;

		snprintf(cmd, sizeof cmd, "'%s' --config /dev/null --data-dir "
		    "'%s' status", getenv("TAFELCTL") ? getenv("TAFELCTL") :
		    "tafelctl", outage.dir);
		assert_non_null(p = popen(cmd, "r"));
		n = fread(out, 1, sizeof out - 1, p);
		out[n] = '\0';
		pclose(p);
		line = strstr(out, "audit fold: FAILING");
		/* asserted once srv runs again (a failed assert here left it
		 * stopped, and every later test with it) */
		fold_said = line != NULL && strstr(line, "the database is not "
		    "reachable, or the connection was lost while the fold "
		    "ran") != NULL;
		if (!fold_said)
			fprintf(stderr, "tafelctl status said:\n%s", out);
	}
	if (now_ms() - t0 < 10000)
		usleep((useconds_t)(10000 - (now_ms() - t0)) * 1000);
	/* the database back with a row the fold fails on, before the node
	 * (paused meanwhile) can get through and fold */
	assert_int_equal(kill(outage.pid, SIGSTOP), 0);
	assert_int_equal(harness_cluster_ctl(&srv, "start"), 0);
	assert_int_equal(harness_psql(&srv, BAD_FOLD_ROW), 0);
	assert_int_equal(kill(outage.pid, SIGCONT), 0);
	assert_int_equal(kill(srv.pid, SIGCONT), 0);
	assert_true(fold_said);

	deadline = now_ms() + 30000;
	while ((lines = log_lines_until(&outage, from,
	    "database reachable again after")) < 0 && now_ms() < deadline)
		usleep(100000);
	{
		char cmd[600];

		fprintf(stderr, "the outage's log (%lld ms):\n",
		    now_ms() - t0);
		snprintf(cmd, sizeof cmd, "tail -n +%d '%s' | cut -c1-300 >&2",
		    from + 1, outage.log);
		if (system(cmd) != 0)
			fprintf(stderr, "(cannot show it)\n");
	}
	assert_true(lines >= 0);
	/* one line as it went (a lost connection may come first), at most
	 * the reminder after 10 s */
	assert_true(lines >= 1 && lines <= 3);
	assert_int_equal(tafeld_log_count(&outage, "database unreachable, "),
	    1);
	assert_int_equal(tafeld_log_count(&outage, "reachable again after"),
	    1);
	/* the attempts counted are those of all five connections (four in
	 * the pool, the LISTEN one), and the line says so */
	assert_int_equal(tafeld_log_count(&outage,
	    "by the 5 connections together): reconnecting"), 1);

	/* the write given up during the outage goes through, once */
	m = harness_create_case(&c, "written after the outage", key);
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	/* the fold failing now is logged (its failures during the outage
	 * were not, and none has worked since) */
	assert_true(log_wait(&outage, "audit fold: internal database error",
	    1, 10000));
	assert_int_equal(tafeld_log_count(&outage, "audit fold: "), 1);
	assert_int_equal(harness_psql(&srv, BAD_FOLD_ROW_GONE), 0);
	outage_down(&c);
}

/*
 * Every database connection of a node lost while the database stays up
 * (its backends terminated, as a restart of PostgreSQL does): the first
 * reconnect, 200 ms later, gets through, so this is no outage.  Reads sent
 * at once, before the node has seen its connections go, are handed to
 * dead ones and lost with them: each is run again on a new connection and
 * answered, where they were answered DATABASE_UNAVAILABLE ("lost while
 * running"); requests sent meanwhile wait for a connection and are
 * served, not refused at once as during an outage
 * (test_external_database_outage).
 */
static void
test_database_blip(void **state)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	struct tclient c;
	Tafel__Envelope *m;
	int round, k, got;

	(void)state;
	outage_up(&c, "application_name=tafel_blip_test", NULL, 4);
	env.body_case = TAFEL__ENVELOPE__BODY_LIST_MEETINGS;
	env.list_meetings = &lm;
	for (round = 0; round < 3; round++) {
		assert_int_equal(harness_psql(&srv, "SELECT "
		    "pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
		    "application_name = 'tafel_blip_test'"), 0);
		/* one read per pool connection, pipelined */
		for (k = 0; k < 4; k++) {
			env.request_id = c.next_id++;
			assert_int_equal(tclient_send(&c, &env), 0);
		}
		for (got = 0; got < 4; got++) {
			m = tclient_recv(&c, 20000);
			harness_expect_body(m, B(MEETING_LIST));
			frame_free(m);
		}
		/* the node's connections (pool and listener) back and idle
		 * before the next round */
		assert_true(harness_sql_until(&srv, "SELECT count(*) = 5 FROM "
		    "pg_stat_activity WHERE application_name = "
		    "'tafel_blip_test' AND state = 'idle'", 20000));
	}
	assert_int_equal(tafeld_log_count(&outage, "database unreachable"), 0);
	outage_down(&c);
}

/*
 * A short outage: the external database stopped, found unreachable, and
 * started again at once (as when the embedded cluster is restarted by the
 * watchdog, or an administrator restarts PostgreSQL).  A request sent
 * after the "unreachable" line waits for the database and is served when
 * it is back, not refused at once: requests are answered at once only
 * once the outage is 5 s old (test_external_database_outage).  Whether
 * the database is back within those 5 s depends on how fast this machine
 * starts PostgreSQL and on the reconnect's backoff; when the log says it
 * took 5 s or more, the request's refusal is right and the test says so
 * and passes.
 */
static void
test_short_outage_waited_out(void **state)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	char path[600], line[512];
	struct tclient c;
	Tafel__Envelope *m;
	int secs = -1, st;
	pid_t pid;
	FILE *f;

	(void)state;
	outage_up(&c, "", NULL, 4);

	assert_int_equal(kill(srv.pid, SIGSTOP), 0);
	assert_int_equal(harness_cluster_ctl(&srv, "stop"), 0);
	assert_true(log_wait(&outage, "database unreachable, ", 1, 10000));
	/* the database started again while the request waits */
	if ((pid = fork()) == 0)
		_exit(harness_cluster_ctl(&srv, "start") == 0 ? 0 : 1);
	assert_true(pid > 0);
	m = tclient_req(&c, B(LIST_MEETINGS), &lm, NULL);
	assert_non_null(m);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(kill(srv.pid, SIGCONT), 0);
	assert_true(log_wait(&outage, "reachable again after", 1, 30000));
	snprintf(path, sizeof path, "%s", outage.log);
	if ((f = fopen(path, "r")) != NULL) {
		const char *p;

		while (fgets(line, sizeof line, f) != NULL)
			if ((p = strstr(line, "reachable again after ")) != NULL) {
				p += strlen("reachable again after ");
				/* "N s", or "N min M s": surely 5 s or more */
				secs = strncmp(strchr(p, ' ') ? strchr(p, ' ') :
				    "", " s", 2) == 0 ? atoi(p) : 60;
			}
		fclose(f);
	}
	if (m->body_case == B(ERROR) && m->error->code ==
	    TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE && secs >= 5)
		fprintf(stderr, "the database was back only after %d s on this "
		    "machine: the request's refusal is right, nothing shown\n",
		    secs);
	else
		harness_expect_body(m, B(MEETING_LIST));
	frame_free(m);
	outage_down(&c);
}

/* Sends SIGSTOP or SIGCONT to t's postmaster and its children (the
 * postmaster first on stop, last on continue); 0 or -1. */
static int
cluster_signal(struct tafeld *t, int sig)
{
	char path[600], line[512];
	pid_t pm = 0, kids[256];
	int n = 0, i;
	FILE *f;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof path, "%s/pg/data/postmaster.pid", t->dir);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof line, f) != NULL)
		pm = (pid_t)atoi(line);
	fclose(f);
	if (pm <= 0)
		return -1;
	if (sig == SIGSTOP && kill(pm, sig) != 0)
		return -1;
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL && n < 256) {
		char *close_paren;
		int ppid = 0;

		if (atoi(e->d_name) <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(line, sizeof line, f) != NULL &&
		    (close_paren = strrchr(line, ')')) != NULL &&
		    sscanf(close_paren + 1, " %*c %d", &ppid) == 1 &&
		    ppid == pm)
			kids[n++] = (pid_t)atoi(e->d_name);
		fclose(f);
	}
	closedir(d);
	for (i = 0; i < n; i++)
		(void)kill(kids[i], sig);
	if (sig == SIGCONT && kill(pm, sig) != 0)
		return -1;
	return 0;
}

/*
 * A database that hangs (its processes stopped: it neither answers nor
 * refuses, as a host whose packets are dropped): requests get
 * DATABASE_UNAVAILABLE (db_query_timeout), and a connection attempt that
 * gets no answer is given up after connect_timeout, so the outage is
 * logged ("database unreachable, ...: no answer to connecting in 2 s") and
 * retried.  Before, the attempts waited for ever (libpq does not apply
 * connect_timeout to PQconnectPoll), unlogged.  Once it runs again:
 * "reachable again", and requests work.
 */
static void
test_hung_database(void **state)
{
	Tafel__ListMeetingsRequest lm = TAFEL__LIST_MEETINGS_REQUEST__INIT;
	const char *more[] = { "--set", "db_query_timeout=1s",
	    "--set", "db_pool_size=2", NULL };
	struct tclient c;
	Tafel__Envelope *m;
	long long deadline;
	int stopped = 0;

	(void)state;
	outage_up(&c, "connect_timeout=2", more, 2);

	assert_int_equal(kill(srv.pid, SIGSTOP), 0);
	stopped = cluster_signal(&srv, SIGSTOP) == 0;
	assert_true(stopped);
	deadline = now_ms() + 40000;
	while (tafeld_log_count(&outage, "database unreachable, ") == 0 &&
	    now_ms() < deadline) {
		m = tclient_req(&c, B(LIST_MEETINGS), &lm, NULL);
		assert_non_null(m);
		assert_int_equal(harness_error_of(m),
		    TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE);
		frame_free(m);
	}
	cluster_signal(&srv, SIGCONT);
	kill(srv.pid, SIGCONT);
	assert_int_equal(tafeld_log_count(&outage, "database unreachable, "),
	    1);
	assert_int_equal(tafeld_log_count(&outage, "then every 5 min): no "
	    "answer to connecting in 2 s (connect_timeout)"), 1);
	assert_true(log_wait(&outage, "database reachable again after", 1,
	    30000));
	m = tclient_req(&c, B(LIST_MEETINGS), &lm, NULL);
	harness_expect_body(m, B(MEETING_LIST));
	frame_free(m);
	outage_down(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reload_certificate),
		cmocka_unit_test(test_reload_broken_certificate_kept),
		cmocka_unit_test(test_bad_log_level),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_not_running),
		cmocka_unit_test(test_status_multiline_errors),
		cmocka_unit_test(test_status_disk_low),
		cmocka_unit_test(test_reload_log_file),
		cmocka_unit_test(test_forgets_old_keys),
		cmocka_unit_test(test_backup_restore),
		cmocka_unit_test(test_sigterm_notice_and_drain),
		cmocka_unit_test(test_second_sigterm_stops_waiting),
		cmocka_unit_test(test_stop_with_logins_queued),
		cmocka_unit_test(test_query_timeout),
		cmocka_unit_test(test_push_render_timeout),
		cmocka_unit_test(test_queued_queries_of_closed_conn),
		cmocka_unit_test(test_sd_notify),
		cmocka_unit_test(test_external_database_outage),
		cmocka_unit_test(test_database_blip),
		cmocka_unit_test(test_short_outage_waited_out),
		cmocka_unit_test(test_hung_database),
		/* restarts srv without test_reload_broken_certificate_kept's
		 * configuration file */
		cmocka_unit_test(test_admin_peer_leaves),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
