/* Integration: tafeld owns its embedded PostgreSQL: adopted after kill -9, stopped on exit, restarted when it dies, full disk reported (also on a first start). */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "harness.h"
#include "proto.h"

#define T 20000

static struct tafeld srv;
static struct tafeld full;	/* test_disk_full's, on a tmpfs */
static int full_mounted;

/* The pid in <dir>/pg/data/postmaster.pid; 0 when there is none. */
static pid_t
postmaster_pid(const struct tafeld *t)
{
	char path[400], line[32];
	FILE *f;
	long v = 0;

	snprintf(path, sizeof path, "%s/pg/data/postmaster.pid", t->dir);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof line, f) != NULL)
		v = strtol(line, NULL, 10);
	fclose(f);
	return (pid_t)v;
}

/* A live (not zombie) process? The killed postmaster's parent may be slow to reap. */
static int
alive(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* Waits up to ms for pid to be gone. */
static int
gone_within(pid_t pid, int ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		if (!alive(pid))
			return 1;
		usleep(50000);
	}
	return !alive(pid);
}

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
	if (full_mounted) {	/* test_disk_full failed half-way */
		if (full.pid > 0)
			tafeld_stop(&full);
		umount2(full.dir, MNT_DETACH);
		tafeld_cleanup(&full);
	}
	return tafeld_teardown(&srv);
}

/*
 * kill -9 of tafeld leaves its postmaster running.  The next tafeld adopts
 * it, works on it, and stops it on SIGTERM like one it started itself.
 */
static void
test_kill9_adopt_then_stop(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	pid_t pm;
	int st;

	(void)state;
	pm = postmaster_pid(&srv);
	assert_true(pm > 0 && alive(pm));
	kill(srv.pid, SIGKILL);
	while (waitpid(srv.pid, &st, 0) < 0 && errno == EINTR)
		;
	srv.pid = 0;
	assert_true(alive(pm));		/* left behind */
	/* tafelctl status says so, and what to do (it asked only "is
	 * tafeld running?") */
	{
		char cmd[1024], out[4096], want[128];
		size_t n;
		FILE *p;

		snprintf(cmd, sizeof cmd, "'%s' --config /dev/null --data-dir "
		    "'%s' status 2>&1", getenv("TAFELCTL") ?
		    getenv("TAFELCTL") : "tafelctl", srv.dir);
		assert_non_null(p = popen(cmd, "r"));
		n = fread(out, 1, sizeof out - 1, p);
		out[n] = '\0';
		assert_int_not_equal(pclose(p), 0);
		snprintf(want, sizeof want, "but its embedded PostgreSQL (pid "
		    "%ld) still runs", (long)pm);
		if (strstr(out, want) == NULL)
			printf("# tafelctl status said: %s", out);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, "the next tafeld adopts it"));
	}

	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
	assert_int_equal(tafeld_log_count(&srv, "adopting it"), 1);
	assert_int_equal(postmaster_pid(&srv), pm);
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	m = harness_create_case(&c, "na kill -9", harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	tclient_close(&c);

	/* A second tafeld on the same data directory is refused. */
	{
		struct tafeld two = srv;

		assert_int_equal(tafeld_start(&two, srv.dir, NULL), -1);
		assert_true(tafeld_log_count(&srv,
		    "another tafeld already runs on this data directory") >= 1);
		assert_true(alive(pm));
	}

	assert_int_equal(tafeld_stop(&srv), 0);
	assert_true(gone_within(pm, 5000));
	assert_int_equal(postmaster_pid(&srv), 0);

	/*
	 * Back to a tafeld that starts its own cluster, past a stale
	 * postmaster.pid whose pid now belongs to another program (pg_ctl
	 * would call the cluster running, postgres would refuse to start).
	 */
	{
		char path[400];
		FILE *f;
		pid_t other = fork();

		assert_true(other >= 0);
		if (other == 0) {
			/* as the service user, like a reused pid would be */
			const char *u = getenv("TAFEL_TEST_USER");
			struct passwd *pw = getpwnam(u != NULL ? u : "tafel");

			if (geteuid() == 0 && (pw == NULL ||
			    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0))
				_exit(126);
			execl("/bin/sleep", "sleep", "60", (char *)NULL);
			_exit(127);
		}
		snprintf(path, sizeof path, "%s/pg/data/postmaster.pid",
		    srv.dir);
		assert_non_null(f = fopen(path, "w"));
		fprintf(f, "%ld\n%s/pg/data\n", (long)other, srv.dir);
		fclose(f);
		assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
		assert_int_equal(tafeld_log_count(&srv, "of dead postmaster"),
		    1);
		assert_true(postmaster_pid(&srv) != other);
		kill(other, SIGKILL);
		waitpid(other, NULL, 0);
	}
	assert_true(tafeld_log_count(&srv, "started PostgreSQL") >= 2);
}

/*
 * The embedded PostgreSQL dies (kill -9 of the postmaster): tafeld notices,
 * restarts it, and writes work again without restarting tafeld.
 */
static void
test_postgres_killed_restarted(void **state)
{
	struct tclient c;
	Tafel__Envelope *m;
	pid_t pm, pm2;
	long long end;
	const char *key;
	char kb[80];
	int ok = 0, unavailable = 0;

	(void)state;
	assert_int_equal(tclient_login(&c, &srv, "voorzitter", "demo"), 0);
	m = harness_create_case(&c, "voor de crash", harness_key());
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);

	pm = postmaster_pid(&srv);
	assert_true(pm > 0);
	assert_int_equal(kill(pm, SIGKILL), 0);
	/* tafeld notices within its 1 s check */
	for (end = now_ms() + 5000; now_ms() < end &&
	    tafeld_log_count(&srv, "has stopped") == 0;)
		usleep(50000);
	assert_int_equal(tafeld_log_count(&srv, "has stopped"), 1);

	/* One logical write, retried with the same key until it is applied. */
	key = harness_key();
	snprintf(kb, sizeof kb, "%s", key);
	for (end = now_ms() + 90000; now_ms() < end && !ok;) {
		m = harness_create_case(&c, "na de herstart", kb);
		assert_non_null(m);
		if (m->body_case == B(CASE_RECORD))
			ok = 1;
		else if (m->body_case == B(ERROR) && m->error->code ==
		    TAFEL__ERROR_CODE__DATABASE_UNAVAILABLE)
			unavailable++;
		else
			harness_print_error("write after the crash", m);
		frame_free(m);
		if (!ok)
			usleep(200000);
	}
	assert_true(ok);
	/*
	 * The pool may reconnect before the watchdog's next poll of pg_ctl
	 * logs the restart, and under load that poll may give up while the
	 * postmaster comes up anyway ("running again"): wait for either line.
	 */
	for (end = now_ms() + 30000; now_ms() < end &&
	    tafeld_log_count(&srv, "embedded PostgreSQL restarted after") +
	    tafeld_log_count(&srv, "embedded PostgreSQL is running again") == 0;)
		usleep(50000);
	assert_true(tafeld_log_count(&srv, "embedded PostgreSQL restarted "
	    "after") + tafeld_log_count(&srv, "embedded PostgreSQL is running "
	    "again") >= 1);
	pm2 = postmaster_pid(&srv);
	assert_true(pm2 > 0 && pm2 != pm && alive(pm2));
	printf("# writes refused while PostgreSQL was down: %d\n", unavailable);
	tclient_close(&c);

	/* tafeld still owns the restarted cluster: SIGTERM stops it. */
	assert_int_equal(tafeld_stop(&srv), 0);
	assert_true(gone_within(pm2, 5000));
	assert_int_equal(tafeld_start(&srv, srv.dir, NULL), 0);
}

/* Fills the file system holding path; returns the fill file's fd. */
static int
fill_disk(const char *path)
{
	static char block[1 << 16];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	memset(block, 'x', sizeof block);
	while (write(fd, block, sizeof block) > 0)
		;
	/* the last partial blocks */
	while (write(fd, block, 512) > 0)
		;
	assert_int_equal(errno, ENOSPC);
	return fd;
}

/*
 * A full disk is DISK_FULL (retryable, logged, and the log says when it is
 * over -- not while the disk is still full), not INTERNAL; once space is freed the same write, same key, goes
 * through.  Needs root (a small tmpfs as the data directory).
 */
static void
test_disk_full(void **state)
{
	struct tafeld *t = &full;
	struct tclient c;
	Tafel__Envelope *m;
	static const char *const demo[] = { "demo-data", NULL };
	char fill[sizeof full.dir + 8], summary[TAFEL_MAX_TEXT + 1], key[80];
	int i, fd, code = 0;
	size_t j;

	(void)state;
	if (geteuid() != 0) {
		printf("# SKIP test_disk_full: needs root to mount a small "
		    "tmpfs as the data directory\n");
		skip();
	}
	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/tafel-full-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	if (mount("tmpfs", t->dir, "tmpfs", 0, "size=160m,mode=0700") != 0) {
		printf("# SKIP test_disk_full: mount tmpfs: %s\n",
		    strerror(errno));
		rmdir(t->dir);
		skip();
	}
	full_mounted = 1;
	assert_int_equal(tafeld_start(t, t->dir, NULL), 0);
	assert_int_equal(tafelctl_run(t, demo), 0);
	assert_int_equal(tclient_login(&c, t, "voorzitter", "demo"), 0);

	snprintf(fill, sizeof fill, "%.250s/fill", t->dir);
	fd = fill_disk(fill);
	srand(42);
	for (i = 0; i < 2000 && code == 0; i++) {
		/* hardly compressible text, so every write needs new pages */
		for (j = 0; j < TAFEL_MAX_TEXT; j++)
			summary[j] = (char)('a' + rand() % 26);
		summary[TAFEL_MAX_TEXT] = '\0';
		snprintf(key, sizeof key, "%s", harness_key());
		m = harness_create_case(&c, summary, key);
		assert_non_null(m);
		if (m->body_case == B(ERROR))
			code = m->error->code;
		frame_free(m);
	}
	printf("# DISK_FULL after %d writes\n", i);
	assert_int_equal(code, TAFEL__ERROR_CODE__DISK_FULL);
	assert_true(tafeld_log_count(t, "DISK FULL") >= 1);
	/*
	 * A read whose audit cannot be stored is refused too, and says it
	 * was a read (it spoke of a write and its idempotency key).  Whether
	 * the audit row still fits a page is up to PostgreSQL: the message
	 * is checked when it is refused.
	 */
	for (i = 0; i < 20; i++) {
		Tafel__GetCaseRequest gc = TAFEL__GET_CASE_REQUEST__INIT;

		gc.case_id = 1;
		m = tclient_req(&c, B(GET_CASE), &gc, NULL);
		assert_non_null(m);
		if (m->body_case == B(ERROR)) {
			assert_int_equal(m->error->code,
			    TAFEL__ERROR_CODE__DISK_FULL);
			assert_non_null(strstr(m->error->message,
			    "the read is refused"));
			assert_null(strstr(m->error->message,
			    "idempotency key"));
			printf("# a read refused: %s\n", m->error->message);
			frame_free(m);
			break;
		}
		frame_free(m);
	}

	/*
	 * tafelctl on the full disk says what to do: a backup needs a
	 * little room there for its snapshot (it said only "could not write
	 * to file pg_snapshots/...: No space left on device"), and leaves no
	 * file.
	 */
	{
		char cmd[1024], out[8192], bk[64];
		size_t n;
		FILE *p;
		struct stat st;

		snprintf(bk, sizeof bk, "/tmp/tafel-fullbk-%ld.dump",
		    (long)getpid());
		snprintf(cmd, sizeof cmd, "'%s' --config /dev/null --data-dir "
		    "'%s' backup '%s' 2>&1", getenv("TAFELCTL") ?
		    getenv("TAFELCTL") : "tafelctl", t->dir, bk);
		assert_non_null(p = popen(cmd, "r"));
		n = fread(out, 1, sizeof out - 1, p);
		out[n] = '\0';
		assert_int_not_equal(pclose(p), 0);
		printf("# tafelctl backup said: %s", out);
		assert_non_null(strstr(out, "the database's disk is full, and a "
		    "backup needs a little room there"));
		assert_int_not_equal(stat(bk, &st), 0);
	}

	/*
	 * No write refused for 10 s while the disk is still full: not "room
	 * again" (inferred from the quiet, it was said with 0 bytes free), but
	 * a warning that only so much is free; the episode goes on.
	 */
	assert_int_equal(tafeld_log_wait(t, "no write refused since", 1,
	    60000), 1);
	assert_int_equal(tafeld_log_count(t, "WARN: DISK FULL: no write "
	    "refused since"), 1);
	assert_int_equal(tafeld_log_count(t, "but only"), 1);
	assert_int_equal(tafeld_log_count(t, "have room again"), 0);

	/* Space back: the refused write, same key, is applied. */
	close(fd);
	assert_int_equal(unlink(fill), 0);
	m = harness_create_case(&c, summary, key);
	harness_expect_body(m, B(CASE_RECORD));
	frame_free(m);
	tclient_close(&c);
	/* and the log says the episode is over (10 s without a refusal) */
	assert_int_equal(tafeld_log_wait(t, "the database's disk seems to "
	    "have room again", 1, 60000), 1);
	/* and the warning was said once, not every 10 s */
	assert_int_equal(tafeld_log_count(t, "but only"), 1);

	assert_int_equal(tafeld_stop(t), 0);
	assert_int_equal(umount(t->dir), 0);
	full_mounted = 0;
	tafeld_cleanup(t);
}

/*
 * A first start on a full disk: initdb fails, and the error says why --
 * the free-space hint the start of an existing cluster gives, and initdb's
 * own words, which the PostgreSQL log on that disk cannot take (it said
 * only "initdb failed (exit 1)" and the log stayed empty).  Needs root.
 */
static void
test_first_start_disk_full(void **state)
{
	struct tafeld *t = &full;
	struct passwd *pw;
	const char *u = getenv("TAFEL_TEST_USER");
	char fill[sizeof full.dir + 8];
	int fd;

	(void)state;
	if (geteuid() != 0) {
		printf("# SKIP test_first_start_disk_full: needs root to "
		    "mount a small tmpfs as the data directory\n");
		skip();
	}
	assert_non_null(pw = getpwnam(u != NULL ? u : "tafel"));
	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/tafel-full1-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	if (mount("tmpfs", t->dir, "tmpfs", 0, "size=8m,mode=0700") != 0) {
		printf("# SKIP test_first_start_disk_full: mount tmpfs: %s\n",
		    strerror(errno));
		rmdir(t->dir);
		skip();
	}
	full_mounted = 1;	/* the teardown unmounts it if this fails */
	/* the data directory is the mount: tafeld's log (<dir>.log) is not */
	assert_int_equal(chown(t->dir, pw->pw_uid, pw->pw_gid), 0);
	snprintf(fill, sizeof fill, "%.250s/fill", t->dir);
	fd = fill_disk(fill);
	assert_int_equal(tafeld_start(t, t->dir, NULL), -1);
	assert_int_equal(tafeld_log_count(t, "initdb failed (exit 1); its "
	    "file system is FULL (0 bytes free): free space there"), 1);
	assert_int_equal(tafeld_log_count(t, "--- initdb's output"), 1);
	assert_true(tafeld_log_count(t, "No space left on device") >= 1);
	close(fd);
	assert_int_equal(umount(t->dir), 0);
	full_mounted = 0;
	tafeld_cleanup(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill9_adopt_then_stop),
		cmocka_unit_test(test_postgres_killed_restarted),
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_first_start_disk_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
