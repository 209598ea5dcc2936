/* Integration test: a real private PostgreSQL cluster, migrations, restart; no mocks. */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "log.h"
#include "migrate.h"
#include "pgembed.h"
#include "privdrop.h"

#define SKIP_EXIT	77	/* meson's "skipped" */

static char		tmpdir[] = "/tmp/tafel-pgtest-XXXXXX";
static struct pgembed	pg;
static char		err[4096];

/* Connects to the tafel database of the test cluster. */
static PGconn *
connect_db(void)
{
	char ci[1024];
	PGconn *conn;

	pgembed_conninfo(&pg, PGEMBED_DBNAME, ci, sizeof ci);
	conn = PQconnectdb(ci);
	if (PQstatus(conn) != CONNECTION_OK)
		fail_msg("connect \"%s\": %s", ci, PQerrorMessage(conn));
	return conn;
}

/* Runs a query that must succeed; returns the first value as a long. */
static long
query_long(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	long v;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		fail_msg("%s: %s", sql, PQresultErrorMessage(res));
	v = PQgetisnull(res, 0, 0) ? -1 : strtol(PQgetvalue(res, 0, 0),
	    NULL, 10);
	PQclear(res);
	return v;
}

/* Runs a command that must succeed. */
static void
exec_ok(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
}

/* Exit status of `pg_ctl -D datadir status`. */
static int
pg_ctl_status_of(const char *datadir)
{
	char prog[4200];
	char *argv[] = { prog, "-D", (char *)datadir, "status", NULL };
	pid_t pid;
	int st, fd;

	snprintf(prog, sizeof prog, "%s/pg_ctl", pg.bindir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(prog, argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		assert_int_equal(errno, EINTR);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Exit status of `pg_ctl -D <the test cluster> status`. */
static int
pg_ctl_status(void)
{
	return pg_ctl_status_of(pg.datadir);
}

/* First start: initdb runs, the server starts, the database exists. */
static void
test_first_start(void **state)
{
	char sock[4200];
	struct stat st;

	(void)state;
	if (pgembed_start(&pg, tmpdir, err, sizeof err) != 0)
		fail_msg("pgembed_start: %s", err);
	assert_int_equal(pg.initialised, 1);
	assert_int_equal(pg.started, 1);
	snprintf(sock, sizeof sock, "%s/.s.PGSQL.%d", pg.sockdir,
	    PGEMBED_PORT);
	assert_int_equal(stat(sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(pg_ctl_status(), 0);
}

/* All migrations apply once; the second run is a no-op. */
static void
test_migrate(void **state)
{
	PGconn *conn = connect_db();
	int applied = -1;

	(void)state;
	assert_true(n_migrations > 0);
	if (migrate_apply(conn, migrations, n_migrations, &applied, err,
	    sizeof err) != 0)
		fail_msg("migrate_apply: %s", err);
	assert_int_equal(applied, (int)n_migrations);

	applied = -1;
	if (migrate_apply(conn, migrations, n_migrations, &applied, err,
	    sizeof err) != 0)
		fail_msg("migrate_apply again: %s", err);
	assert_int_equal(applied, 0);
	assert_int_equal(query_long(conn, "SELECT count(*) FROM "
	    "schema_migrations"), (long)n_migrations);
	assert_int_equal(query_long(conn, "SELECT max(version) FROM "
	    "schema_migrations"), (long)n_migrations);

	exec_ok(conn, "INSERT INTO organisations (name, kind) "
	    "VALUES ('Politie Eenheid Test', 'police')");
	assert_int_equal(query_long(conn, "SELECT count(*) FROM "
	    "organisations"), 1);
	PQfinish(conn);
}

/* A database newer than this binary is refused and left untouched. */
static void
test_newer_refused(void **state)
{
	PGconn *conn = connect_db();
	int applied = -1;

	(void)state;
	exec_ok(conn, "INSERT INTO schema_migrations (version, name) "
	    "VALUES (9999, 'from_the_future')");
	assert_int_equal(migrate_apply(conn, migrations, n_migrations,
	    &applied, err, sizeof err), -1);
	assert_int_equal(applied, 0);
	assert_non_null(strstr(err, "database schema is at version 9999"));
	assert_non_null(strstr(err, "upgrade tafeld"));
	assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
	assert_int_equal(query_long(conn, "SELECT count(*) FROM "
	    "schema_migrations"), (long)n_migrations + 1);
	assert_int_equal(query_long(conn, "SELECT count(*) FROM "
	    "schema_migrations WHERE version = 9999"), 1);
	exec_ok(conn, "DELETE FROM schema_migrations WHERE version = 9999");
	PQfinish(conn);
}

/* A failing migration rolls back everything it did, with a useful message. */
static void
test_broken_migration(void **state)
{
	PGconn *conn = connect_db();
	struct migration *list;
	int applied = -1;

	(void)state;
	list = calloc(n_migrations + 2, sizeof *list);
	assert_non_null(list);
	memcpy(list, migrations, n_migrations * sizeof *list);
	list[n_migrations].version = (int)n_migrations + 1;
	list[n_migrations].name = "good";
	list[n_migrations].sql = "CREATE TABLE t_good (x int);";
	list[n_migrations + 1].version = (int)n_migrations + 2;
	list[n_migrations + 1].name = "broken";
	list[n_migrations + 1].sql = "CREATE TABLE t_broken (x int);\n"
	    "SELEC 1;\n";

	assert_int_equal(migrate_apply(conn, list, n_migrations + 2, &applied,
	    err, sizeof err), -1);
	assert_int_equal(applied, 0);
	assert_non_null(strstr(err, "_broken failed at line 2"));
	assert_non_null(strstr(err, "syntax error"));
	assert_int_equal(query_long(conn, "SELECT count(*) FROM "
	    "schema_migrations"), (long)n_migrations);
	assert_int_equal(query_long(conn, "SELECT count(*) FROM pg_class "
	    "WHERE relname IN ('t_good', 't_broken')"), 0);

	/* A list that is not numbered 1..n is a programmer error. */
	list[0].version = 2;
	assert_int_equal(migrate_apply(conn, list, 1, &applied, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "not numbered"));
	free(list);
	PQfinish(conn);
}

/* Stop, then start again: no second initdb, the data is still there. */
static void
test_restart(void **state)
{
	char pidfile[4200];
	PGconn *conn;
	int applied = -1;

	(void)state;
	if (pgembed_stop(&pg, err, sizeof err) != 0)
		fail_msg("pgembed_stop: %s", err);
	assert_int_equal(pg.started, 0);
	assert_int_equal(pg_ctl_status(), 3);
	snprintf(pidfile, sizeof pidfile, "%s/postmaster.pid", pg.datadir);
	assert_int_equal(access(pidfile, F_OK), -1);

	if (pgembed_start(&pg, tmpdir, err, sizeof err) != 0)
		fail_msg("pgembed_start again: %s", err);
	assert_int_equal(pg.initialised, 0);
	assert_int_equal(pg.started, 1);

	conn = connect_db();
	assert_int_equal(query_long(conn, "SELECT count(*) FROM organisations "
	    "WHERE name = 'Politie Eenheid Test'"), 1);
	if (migrate_apply(conn, migrations, n_migrations, &applied, err,
	    sizeof err) != 0)
		fail_msg("migrate_apply after restart: %s", err);
	assert_int_equal(applied, 0);
	PQfinish(conn);

	/* A second start while it runs reuses it and will not stop it. */
	{
		struct pgembed again;

		if (pgembed_start(&again, tmpdir, err, sizeof err) != 0)
			fail_msg("pgembed_start while running: %s", err);
		assert_int_equal(again.started, 0);
		assert_int_equal(again.initialised, 0);
		assert_int_equal(pgembed_stop(&again, err, sizeof err), 0);
		assert_int_equal(pg_ctl_status(), 0);
	}

	if (pgembed_stop(&pg, err, sizeof err) != 0)
		fail_msg("pgembed_stop: %s", err);
	assert_int_equal(pg_ctl_status(), 3);
}

/* The postmaster's pid from postmaster.pid. */
static pid_t
postmaster_pid(void)
{
	char path[4200], line[32];
	FILE *f;
	long v = 0;

	snprintf(path, sizeof path, "%s/postmaster.pid", pg.datadir);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof line, f) != NULL)
		v = strtol(line, NULL, 10);
	fclose(f);
	return (pid_t)v;
}

/*
 * The owner (tafeld) adopts a running cluster, refuses a second owner, is
 * not stopped under by a tool that started it, restarts it after the
 * postmaster dies, and stops it at the end.
 */
static void
test_owner(void **state)
{
	struct pgembed tool, own, own2;
	long long end;
	int rc;

	(void)state;
	assert_int_equal(pg_ctl_status(), 3);
	if (pgembed_start(&tool, tmpdir, err, sizeof err) != 0)
		fail_msg("pgembed_start: %s", err);
	assert_int_equal(tool.started, 1);

	if (pgembed_start_owner(&own, tmpdir, err, sizeof err) != 0)
		fail_msg("pgembed_start_owner: %s", err);
	assert_int_equal(own.adopted, 1);
	assert_int_equal(own.started, 1);
	assert_int_equal(pgembed_alive(&own), 1);

	assert_int_equal(pgembed_start_owner(&own2, tmpdir, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "another tafeld"));

	/* the tool leaves the owner's cluster running */
	assert_int_equal(pgembed_stop(&tool, err, sizeof err), 0);
	assert_int_equal(pg_ctl_status(), 0);

	/* the postmaster dies; the owner restarts it */
	assert_int_equal(kill(postmaster_pid(), SIGKILL), 0);
	for (end = time(NULL) + 10; time(NULL) < end && pgembed_alive(&own);)
		usleep(50000);
	assert_int_equal(pgembed_alive(&own), 0);
	rc = -1;
	for (end = time(NULL) + 90; time(NULL) < end;) {
		if (own.restart_pid == 0 &&
		    pgembed_restart_begin(&own, err, sizeof err) != 0)
			fail_msg("pgembed_restart_begin: %s", err);
		rc = pgembed_restart_poll(&own, err, sizeof err);
		if (rc == 0)
			break;
		if (rc < 0)
			fprintf(stderr, "restart attempt failed: %s\n", err);
		usleep(200000);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(pgembed_alive(&own), 1);
	{
		PGconn *conn = connect_db();

		assert_int_equal(query_long(conn, "SELECT 1"), 1);
		PQfinish(conn);
	}

	if (pgembed_stop(&own, err, sizeof err) != 0)
		fail_msg("pgembed_stop: %s", err);
	assert_int_equal(pg_ctl_status(), 3);
	assert_int_equal(pgembed_alive(&own), 0);

	/* the owner lock went with it: a new owner may start */
	if (pgembed_start_owner(&own2, tmpdir, err, sizeof err) != 0)
		fail_msg("pgembed_start_owner again: %s", err);
	assert_int_equal(own2.adopted, 0);
	if (pgembed_stop(&own2, err, sizeof err) != 0)
		fail_msg("pgembed_stop: %s", err);
}

/* A data directory too deep for a Unix socket path gets a clear error. */
static void
test_socket_path_too_long(void **state)
{
	char deep[4096];
	struct pgembed p;

	(void)state;
	snprintf(deep, sizeof deep, "%s/%0100d", tmpdir, 0);
	assert_int_equal(mkdir(deep, 0700), 0);
	assert_int_equal(pgembed_start(&p, deep, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long for a Unix socket"));
	assert_int_equal(p.started, 0);
	rmdir(deep);
}

/* Several processes starting one fresh cluster at once: one initdb, one start. */
static void
test_concurrent_start(void **state)
{
	enum { NPROC = 3 };
	char dir[4096];
	struct pgembed p;
	pid_t pids[NPROC];
	int i, st, initdbs = 0, starts = 0;

	(void)state;
	snprintf(dir, sizeof dir, "%s/c", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			char e[4096];

			if (pgembed_start(&p, dir, e, sizeof e) != 0) {
				fprintf(stderr, "child: %s\n", e);
				_exit(99);
			}
			_exit(p.initialised + 2 * p.started);
		}
	}
	for (i = 0; i < NPROC; i++) {
		while (waitpid(pids[i], &st, 0) < 0)
			assert_int_equal(errno, EINTR);
		assert_true(WIFEXITED(st));
		assert_true(WEXITSTATUS(st) <= 3);
		initdbs += WEXITSTATUS(st) & 1;
		starts += (WEXITSTATUS(st) >> 1) & 1;
	}
	assert_int_equal(initdbs, 1);
	assert_int_equal(starts, 1);

	/* Adopt the running cluster so that pgembed_stop stops it. */
	if (pgembed_start(&p, dir, err, sizeof err) != 0)
		fail_msg("pgembed_start: %s", err);
	assert_int_equal(p.started, 0);
	p.started = 1;
	if (pgembed_stop(&p, err, sizeof err) != 0)
		fail_msg("pgembed_stop: %s", err);
}

/* Writes a small file (parents must exist). */
static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/*
 * An interrupted initdb is never taken for a cluster: what it left in
 * pg/data.initdb goes and the cluster is made afresh; a pg/data with files
 * but no cluster is refused, not initdb'd over; the restore mark keeps
 * everything but a restore off; a cluster whose start fails (it
 * crash-loops) leaves no postmaster running.
 */
static void
test_incomplete(void **state)
{
	char dir[4096], path[4400];
	struct pgembed p;
	long long end;

	(void)state;
	/* what a killed initdb left */
	snprintf(dir, sizeof dir, "%s/i", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/pg", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/pg/data.initdb", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/pg/data.initdb/global", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/pg/data.initdb/PG_VERSION", dir);
	write_file(path, "15\n");
	if (pgembed_start(&p, dir, err, sizeof err) != 0)
		fail_msg("pgembed_start over a killed initdb: %s", err);
	assert_int_equal(p.initialised, 1);
	assert_int_equal(access(p.initdir, F_OK), -1);
	assert_int_equal(pg_ctl_status_of(p.datadir), 0);
	if (pgembed_stop(&p, err, sizeof err) != 0)
		fail_msg("pgembed_stop: %s", err);

	/* the restore mark: only a restore may start it */
	assert_int_equal(pgembed_restore_mark(&p, 1, err, sizeof err), 0);
	assert_int_equal(pgembed_start(&p, dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "holds an incomplete restore"));
	assert_int_equal(pg_ctl_status_of(p.datadir), 3);
	if (pgembed_start_restore(&p, dir, err, sizeof err) != 0)
		fail_msg("pgembed_start_restore: %s", err);
	assert_int_equal(p.restore_unfinished, 1);
	assert_int_equal(pgembed_restore_mark(&p, 0, err, sizeof err), 0);
	if (pgembed_stop(&p, err, sizeof err) != 0)
		fail_msg("pgembed_stop: %s", err);

	/* a start that fails leaves no postmaster: the cluster crash-loops
	 * (the relation map is missing: "the database system is in
	 * recovery mode") */
	snprintf(path, sizeof path, "%s/global/pg_filenode.map", p.datadir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(pgembed_start(&p, dir, err, sizeof err), -1);
	assert_int_equal(p.started, 0);
	for (end = time(NULL) + 10; time(NULL) < end && pgembed_alive(&p);)
		usleep(50000);
	assert_int_equal(pgembed_alive(&p), 0);
	assert_int_equal(pg_ctl_status_of(p.datadir), 3);
	/* ... and the error says what to do: move it aside, the data stays */
	{
		char mv[sizeof p.datadir * 2 + 16];

		snprintf(mv, sizeof mv, "mv %s %s.broken", p.datadir,
		    p.datadir);
		if (strstr(err, mv) == NULL ||
		    strstr(err, "your data stays in") == NULL)
			fail_msg("no move-aside hint in: %s", err);
	}

	/* a cluster of a PostgreSQL version whose programs are not
	 * installed: refused before pg_ctl, with what to do */
	snprintf(path, sizeof path, "%s/PG_VERSION", p.datadir);
	write_file(path, "9.4\n");
	assert_int_equal(pgembed_start(&p, dir, err, sizeof err), -1);
	if (strstr(err, "was made by PostgreSQL 9.4") == NULL ||
	    strstr(err, "postgresql-9.4") == NULL ||
	    strstr(err, ".pg9.4") == NULL)
		fail_msg("no version hint in: %s", err);
	assert_int_equal(pg_ctl_status_of(p.datadir), 3);

	/* a restore marks a cluster it makes from the start */
	snprintf(dir, sizeof dir, "%s/r", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	if (pgembed_start_restore(&p, dir, err, sizeof err) != 0)
		fail_msg("pgembed_start_restore on a new directory: %s", err);
	assert_int_equal(p.initialised, 1);
	assert_int_equal(p.restore_unfinished, 0);
	snprintf(path, sizeof path, "%s/" PGEMBED_RESTORE_MARK, p.root);
	assert_int_equal(access(path, F_OK), 0);
	if (pgembed_stop(&p, err, sizeof err) != 0)
		fail_msg("pgembed_stop: %s", err);
	assert_int_equal(pgembed_start_owner(&p, dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "holds an incomplete restore"));

	/* files but no cluster: not ours to initdb over */
	snprintf(dir, sizeof dir, "%s/n", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/pg", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/pg/data", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/pg/data/notes.txt", dir);
	write_file(path, "not a cluster\n");
	assert_int_equal(pgembed_start(&p, dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "holds files but no PostgreSQL cluster"));
	assert_int_equal(access(p.initdir, F_OK), -1);
}

/* nftw callback: removes one entry of the temporary directory. */
static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* Stops the cluster if a failed test left it running; removes tmpdir. */
static int
teardown(void **state)
{
	(void)state;
	if (pg.started && pgembed_stop(&pg, err, sizeof err) != 0)
		fprintf(stderr, "pgembed_stop: %s\n", err);
	if (nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_start),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_newer_refused),
		cmocka_unit_test(test_broken_migration),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_socket_path_too_long),
		cmocka_unit_test(test_concurrent_start),
		cmocka_unit_test(test_incomplete),
	};
	const char *user = NULL;

	log_set_prefix("test_pgembed");
	if (geteuid() == 0) {
		user = getenv("TAFEL_TEST_USER");
		if (user == NULL || *user == '\0')
			user = "tafel";
		if (getpwnam(user) == NULL) {
			printf("SKIP: running as root and service user \"%s\" "
			    "does not exist (useradd --system --home-dir "
			    "/var/lib/tafel --shell /usr/sbin/nologin %s, or "
			    "set TAFEL_TEST_USER)\n", user, user);
			return SKIP_EXIT;
		}
	}
	if (mkdtemp(tmpdir) == NULL) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	/* Root: privdrop hands tmpdir to the user, so we can delete it later. */
	if (privdrop_prepare(user, tmpdir, err, sizeof err) != 0) {
		fprintf(stderr, "privdrop_prepare: %s\n", err);
		rmdir(tmpdir);
		return 1;
	}
	if (geteuid() == 0 || setuid(0) == 0) {
		fprintf(stderr, "still root after privdrop_prepare\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, teardown);
}
