/* tafelctl's operations commands: status (through tafeld's admin socket), backup and restore (pg_dump, pg_restore). */
#include "ctl-ops.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "admin.h"
#include "pgembed.h"
#include "xmalloc.h"

/* Most a status document may be (many organisations, meetings, errors). */
#define STATUS_MAX (4 * 1024 * 1024)
#define STATUS_TIMEOUT_MS 10000

/* Connects to path; the fd or -1 with errno. */
static int
connect_unix(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Sends one command line and reads the whole answer (malloc'ed), or NULL. */
static char *
ask(int fd, const char *cmd)
{
	size_t len = 0, cap = 8192;
	char *buf = xmalloc(cap);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
		free(buf);
		return NULL;
	}
	for (;;) {
		if (poll(&p, 1, STATUS_TIMEOUT_MS) <= 0) {
			free(buf);
			errno = ETIMEDOUT;
			return NULL;
		}
		if (len + 1 >= cap) {
			if (cap >= STATUS_MAX) {
				free(buf);
				errno = EMSGSIZE;
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

static long long
jint(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    (long long)json_object_get_int64(v) : 0;
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_string(v) : "";
}

static double
jdouble(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_double(v) : 0.0;
}

static json_object *
jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/*
 * Prints a message from tafeld (a PostgreSQL error with its DETAIL and
 * HINT lines, a quoted log tail) readably and safely: each line after the
 * first on a line of its own indented by indent columns, or, with indent
 * < 0, after " / " on the same line; blank lines left out; a tab as a
 * space and any other control character as '?', so that nothing in it
 * can drive the terminal or pass for a line of tafelctl's own.
 */
static void
print_text(const char *text, int indent)
{
	const unsigned char *s = (const unsigned char *)text;
	int line_break = 0, printed = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n' || (*s == '\r' && s[1] == '\n')) {
			line_break = 1;
			continue;
		}
		if (line_break && printed) {
			if (indent < 0)
				fputs(" / ", stdout);
			else
				printf("\n%*s", indent, "");
		}
		line_break = 0;
		putchar(*s == '\t' ? ' ' : *s < 0x20 || *s == 0x7f ? '?' : *s);
		printed = 1;
	}
}

/* The status document as text, in the manner of pgbouncer's SHOW. */
static void
print_status(json_object *o)
{
	json_object *c = jget(o, "connections"), *a, *e, *by;
	long long up = jint(o, "uptime_s");
	size_t i;

	printf("tafeld %s (protocol %lld), pid %lld, up %lldd %02lldh %02lldm "
	    "(since %s)%s\n", jstr(o, "version"), jint(o, "protocol"),
	    jint(o, "pid"), up / 86400, up % 86400 / 3600, up % 3600 / 60,
	    jstr(o, "started"), json_object_get_boolean(jget(o, "stopping")) ?
	    ", STOPPING" : "");
	printf("listening on %s\n\n", jstr(o, "listen"));

	printf("connections: %lld of at most %lld (%lld not logged in)\n",
	    jint(c, "total"), jint(c, "max"), jint(c, "unauthenticated"));
	by = jget(c, "by_state");
	if (by != NULL) {
		printf(" ");
		json_object_object_foreach(by, k, v)
			printf(" %s %lld", k, (long long)json_object_get_int64(v));
		printf("\n");
	}

	a = jget(o, "sessions");
	printf("\nsessions per organisation:\n");
	if (json_object_array_length(a) == 0)
		printf("  (none)\n");
	else
		printf("  %-44s %8s\n", "ORGANISATION", "SESSIONS");
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		printf("  %-44s %8lld\n", jstr(e, "organisation"),
		    jint(e, "sessions"));
	}

	a = jget(o, "subscriptions");
	printf("\nsubscriptions per meeting and topic:\n");
	if (json_object_array_length(a) == 0)
		printf("  (none)\n");
	else
		printf("  %-22s %13s %6s %12s\n", "MEETING/TOPIC", "SUBSCRIPTIONS",
		    "LIVE", "PRESENTATION");
	for (i = 0; i < json_object_array_length(a); i++) {
		char name[32];

		e = json_object_array_get_idx(a, i);
		if (jget(e, "meeting_id") != NULL)
			snprintf(name, sizeof name, "%lld",
			    jint(e, "meeting_id"));
		else	/* inbox, case list, ...: a topic of its own */
			snprintf(name, sizeof name, "(%s)", jstr(e, "topic"));
		printf("  %-22s %13lld %6lld %12lld\n", name,
		    jint(e, "subscriptions"), jint(e, "live"),
		    jint(e, "presentation"));
	}

	e = jget(o, "push");
	printf("\npush: last committed seq %lld, last delivered %lld, lag %lld "
	    "(resume window %lld changes)\n", jint(e, "last_committed_seq"),
	    jint(e, "last_delivered_seq"), jint(e, "lag"),
	    jint(e, "resume_window"));
	if ((e = jget(e, "timing")) != NULL && jint(e, "changes") > 0)
		printf("push timing, last %lld changes (%.1f connections "
		    "each): rendered p50 %.1f / p99 %.1f ms, sent p50 %.1f / "
		    "p99 %.1f / max %.1f ms after the change was handed to "
		    "the database; %lld in flight now\n", jint(e, "changes"),
		    jdouble(e, "viewers_avg"), jdouble(e, "render_p50_ms"),
		    jdouble(e, "render_p99_ms"), jdouble(e, "sent_p50_ms"),
		    jdouble(e, "sent_p99_ms"), jdouble(e, "sent_max_ms"),
		    jint(e, "in_flight"));
	if ((e = jget(jget(o, "push"), "timing")) != NULL &&
	    jint(e, "joins") > 0)
		printf("join timing, last %lld joins (meeting snapshots): "
		    "database p50 %.1f / p99 %.1f ms, answered p50 %.1f / "
		    "p99 %.1f / max %.1f ms after the subscribe was read\n",
		    jint(e, "joins"), jdouble(e, "join_db_p50_ms"),
		    jdouble(e, "join_db_p99_ms"), jdouble(e, "join_p50_ms"),
		    jdouble(e, "join_p99_ms"), jdouble(e, "join_max_ms"));
	if ((e = jget(jget(o, "push"), "snapshot_cache")) != NULL &&
	    jint(e, "hits") + jint(e, "misses") > 0)
		printf("join snapshots: %lld served from the cache, %lld "
		    "rendered; %lld kept (%lld KiB)\n",
		    jint(e, "hits"), jint(e, "misses"), jint(e, "entries"),
		    jint(e, "bytes") / 1024);
	if ((e = jget(jget(o, "push"), "audit_fold")) != NULL) {
		if (jstr(e, "last_error")[0] != '\0') {
			printf("audit fold: FAILING (%lld times): ",
			    jint(e, "failures"));
			print_text(jstr(e, "last_error"), -1);
			printf(" -- the push's disclosures wait in "
			    "audit_pending, none is lost\n");
		} else
			printf("audit fold: %lld pending disclosure records moved "
			    "into the read audit in %lld runs (last: %lld)\n",
			    jint(e, "moved"), jint(e, "runs"),
			    jint(e, "last_moved"));
	}
	e = jget(o, "database");
	printf("database: %s; pool %lld: %lld idle, %lld busy, %lld "
	    "connecting, %lld waiting to reconnect; %lld queued; LISTEN %s\n",
	    jstr(e, "mode"), jint(e, "pool_size"), jint(e, "idle"),
	    jint(e, "busy"), jint(e, "connecting"), jint(e, "backoff"),
	    jint(e, "queued"), json_object_get_boolean(jget(e, "listen")) ?
	    "up" : "DOWN");

	e = jget(o, "disk");
	if (jget(e, "free_bytes") != NULL) {
		long long avail = jint(e, "free_bytes"), size = jint(e, "size_bytes");

		printf("disk: %s: %.1f MiB free of %.1f MiB", jstr(e, "path"),
		    (double)avail / 1048576.0, (double)size / 1048576.0);
		if (json_object_get_boolean(jget(e, "writes_refused")))
			printf(" -- FULL: PostgreSQL cannot write; writes are "
			    "refused (DISK_FULL) until space is freed there");
		else if (json_object_get_boolean(jget(e, "full")))
			printf(" -- LOW: less than %.0f MiB free; PostgreSQL may "
			    "soon fail to write (writes are then refused with "
			    "DISK_FULL): free space there",
			    (double)jint(e, "low_bytes") / 1048576.0);
		putchar('\n');
	}

	a = jget(o, "recent_errors");
	printf("\nrecent warnings and errors:\n");
	if (json_object_array_length(a) == 0)
		printf("  (none)\n");
	for (i = 0; i < json_object_array_length(a); i++) {
		int w;

		e = json_object_array_get_idx(a, i);
		w = printf("  %s %-5s ", jstr(e, "at"), jstr(e, "level"));
		print_text(jstr(e, "message"), w > 0 ? w : 0);
		putchar('\n');
	}
}

/* Errors of connect() to the admin socket that mean "no tafeld there". */
static int
errno_not_running(int e)
{
	return e == ENOENT || e == ECONNREFUSED;
}

static int
errno_denied(int e)
{
	return e == EACCES || e == EPERM;
}

/*
 * The pid in the first line of pid_file when it is a live process named
 * comm ("PID (COMM) STATE ..." in /proc: not one killed but not yet reaped
 * by its parent, a zombie keeps its name), else 0.
 */
static long
live_pid_in(const char *pid_file, const char *comm)
{
	char path[64], buf[512], *p;
	size_t len = strlen(comm);
	long pid;
	ssize_t n;
	int fd;

	if ((fd = open(pid_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((pid = strtol(buf, NULL, 10)) <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if ((p = strchr(buf, '(')) == NULL || strncmp(p + 1, comm, len) != 0 ||
	    strncmp(p + 1 + len, ") ", 2) != 0)
		return 0;
	return p[len + 3] == 'Z' || p[len + 3] == 'X' ? 0 : pid;
}

/*
 * The pid of a tafeld running on data_dir (the pid its tafeld.lock holds,
 * main.c lock_data_dir, when that process is a tafeld), or 0.  Read only:
 * taking the lock to test it could make a tafeld starting that moment
 * believe another one runs.
 */
static long
running_tafeld(const char *data_dir)
{
	char path[4300];

	snprintf(path, sizeof path, "%s/tafeld.lock", data_dir);
	return live_pid_in(path, "tafeld");
}

/*
 * The pid of a live postmaster in data_dir's embedded cluster (its
 * postmaster.pid), or 0: after a kill -9 of tafeld it keeps running, which
 * "is tafeld running?" alone left unsaid.
 */
static long
running_postmaster(const char *data_dir)
{
	char path[4300];

	snprintf(path, sizeof path, "%s/pg/data/postmaster.pid", data_dir);
	return live_pid_in(path, "postgres");
}

/*
 * Why none of the n admin sockets tried could be reached: each path with
 * its error, then what to do.  A permission error says more than a
 * missing socket (the data directory's socket is usually unreachable to
 * other users, and the systemd path then does not exist); a tafeld that
 * runs on the data directory with its socket elsewhere is named.
 */
static const char *
report_unreachable(const struct server_config *cfg, const char *data_dir,
    char paths[][4200], const int *errs, size_t n)
{
	long pid;

	const struct passwd *pw = getpwuid(geteuid());
	size_t i, denied = n;
	int all_absent = 1;

	fprintf(stderr, "tafelctl: cannot reach tafeld's admin socket: ");
	for (i = 0; i < n; i++) {
		fprintf(stderr, "%s%s: %s", i ? "; " : "", paths[i],
		    strerror(errs[i]));
		if (errno_denied(errs[i]) && denied == n)
			denied = i;
		if (!errno_not_running(errs[i]))
			all_absent = 0;
	}
	fprintf(stderr, "\n");
	if (denied < n) {
		if (pw != NULL)
			fprintf(stderr, "tafelctl: this user (%s)", pw->pw_name);
		else
			fprintf(stderr, "tafelctl: this user (uid %lu)",
			    (unsigned long)geteuid());
		fprintf(stderr, " may not reach tafeld's admin socket %s; run "
		    "tafelctl as root or as tafeld's service user \"%s\"\n",
		    paths[denied], cfg->user);
		return "permission_denied";
	}
	if (all_absent && data_dir != NULL &&
	    (pid = running_tafeld(data_dir)) > 0) {
		fprintf(stderr, "tafelctl: tafeld (pid %ld) runs on %s, but its "
		    "admin socket is elsewhere: give tafelctl the configuration "
		    "it runs with (-c, for its admin_socket), or leave out "
		    "--data-dir to try systemd's /run/tafel/admin.sock\n", pid,
		    data_dir);
		return "socket_elsewhere";
	}
	if (all_absent && data_dir != NULL &&
	    (pid = running_postmaster(data_dir)) > 0)
		fprintf(stderr, "tafelctl: tafeld is not running on %s, but its "
		    "embedded PostgreSQL (pid %ld) still runs (tafeld, or a "
		    "tafelctl command, was killed): the next tafeld adopts it; "
		    "to stop it without starting tafeld, run pg_ctl -D "
		    "%s/pg/data stop as the user \"%s\"\n", data_dir, pid,
		    data_dir, cfg->user);
	else if (all_absent)
		fprintf(stderr, "tafelctl: is tafeld running (with this data "
		    "directory or admin_socket)?\n");
	return all_absent ? "not_running" : "unreachable";
}

int
ctl_status(const struct server_config *cfg, const char *data_dir,
    int dir_given, int argc, char **argv)
{
	char paths[3][4200], *answer;
	int errs[3];
	size_t n = 0, i;
	int fd = -1, json = 0;
	json_object *o;

	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--json") != 0) {
			fprintf(stderr, "usage: tafelctl status [--json]\n");
			return 2;
		}
		json = 1;
	}
	/*
	 * admin_socket, else the data directory's, else systemd's /run/tafel
	 * -- but not for a data directory named on the command line: the
	 * packaged service's socket would answer for a server that is down
	 * (a test or restored copy beside it), with exit status 0.
	 */
	if (cfg->admin_socket[0] != '\0')
		snprintf(paths[n++], sizeof paths[0], "%s", cfg->admin_socket);
	else {
		if (admin_socket_path(cfg, data_dir, paths[n],
		    sizeof paths[0]) == 0)
			n++;
		if (!dir_given)
			snprintf(paths[n++], sizeof paths[0],
			    "/run/tafel/admin.sock");
	}
	for (i = 0; i < n && fd < 0; i++) {
		fd = connect_unix(paths[i]);
		errs[i] = fd < 0 ? errno : 0;
	}
	if (fd < 0) {
		const char *why = report_unreachable(cfg, data_dir, paths, errs,
		    n);

		/* monitoring reads stdout (status --json | jq): an object
		 * there too, not nothing */
		if (json)
			printf("{\"reachable\": false, \"reason\": \"%s\"}\n",
			    why);
		return 1;
	}
	answer = ask(fd, "status\n");
	close(fd);
	if (answer == NULL || answer[0] == '\0') {
		fprintf(stderr, "tafelctl: no answer from tafeld (%s)\n",
		    answer == NULL ? strerror(errno) :
		    "refused: not root, tafeld's user or its admin group?");
		free(answer);
		return 1;
	}
	o = json_tokener_parse(answer);
	free(answer);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		fprintf(stderr, "tafelctl: tafeld's answer is not JSON\n");
		json_object_put(o);
		return 1;
	}
	if (json) {
		json_object_object_add(o, "reachable",
		    json_object_new_boolean(1));
		printf("%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	} else
		print_status(o);
	json_object_put(o);
	return 0;
}

/* --- backup and restore ---------------------------------------------------- */

/*
 * Runs bindir/prog with args, stdin on in_fd and stdout on out_fd (-1:
 * inherited), stderr inherited.  Returns its exit status, or -1.
 */
static int
run_pg_tool_io(const char *prog, char *const *args, int in_fd, int out_fd)
{
	char bindir[4096], path[4200], err[512];
	char *argv[16];
	int argc = 0, st;
	pid_t pid;

	if (pgembed_tools_dir(bindir, sizeof bindir, err, sizeof err) != 0) {
		fprintf(stderr, "tafelctl: %s\n", err);
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", bindir, prog);
	argv[argc++] = path;
	while (*args != NULL && argc < 15)
		argv[argc++] = *args++;
	argv[argc] = NULL;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "tafelctl: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if ((in_fd >= 0 && dup2(in_fd, 0) < 0) ||
		    (out_fd >= 0 && dup2(out_fd, 1) < 0))
			_exit(127);
		execv(path, argv);
		fprintf(stderr, "tafelctl: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* run_pg_tool_io with stdin or stdout (which_fd 0 or 1) on fd. */
static int
run_pg_tool(const char *prog, char *const *args, int which_fd, int fd)
{
	return run_pg_tool_io(prog, args, which_fd == 0 ? fd : -1,
	    which_fd == 1 ? fd : -1);
}

/* What a backup holds, counted: the admin compares after a restore. */
static const char *const summary_sql =
    "SELECT 'organisations', count(*)::text FROM organisations UNION ALL "
    "SELECT 'users', count(*)::text FROM users UNION ALL "
    "SELECT 'meetings', count(*)::text FROM meetings UNION ALL "
    "SELECT 'cases', count(*)::text FROM cases UNION ALL "
    "SELECT 'persons', count(*)::text FROM persons UNION ALL "
    "SELECT 'action points', count(*)::text FROM action_points UNION ALL "
    "SELECT 'audit entries', count(*)::text FROM audit_log UNION ALL "
    "SELECT 'audit disclosures', count(*)::text FROM audit_disclosures "
    "UNION ALL "
    "SELECT 'purge records', count(*)::text FROM purge_log UNION ALL "
    "SELECT 'change log position', coalesce(max(seq), 0)::text "
    "FROM changelog";

int
ctl_summary(PGconn *db, const char *title)
{
	PGresult *r = PQexec(db, summary_sql);
	int i;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "tafelctl: %s", PQerrorMessage(db));
		PQclear(r);
		return -1;
	}
	printf("%s:\n", title);
	for (i = 0; i < PQntuples(r); i++)
		printf("  %-20s %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	PQclear(r);
	return 0;
}

void
ctl_disk_full_hint(const PGresult *r, int backup)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	if (state == NULL || strcmp(state, "53100") != 0)
		return;
	if (backup)
		fprintf(stderr, "tafelctl: the database's disk is full, and a "
		    "backup needs a little room there (PostgreSQL writes the "
		    "snapshot it is read from into the cluster's directory): "
		    "free some space on that file system first, or copy the "
		    "data directory with tafeld stopped; no backup was "
		    "written\n");
	else
		fprintf(stderr, "tafelctl: the database's disk is full: "
		    "nothing was stored; free space on the file system that "
		    "holds it (tafelctl status shows the room left on the "
		    "embedded cluster's), then run the command again\n");
}

int
ctl_open_backup_file(const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "tafelctl: %s: %s\n", file, strerror(errno));
	return fd;
}

int
ctl_backup_begin(struct ctl_backup_file *b, const char *file, int force)
{
	struct stat st;

	memset(b, 0, sizeof *b);
	b->file = file;
	b->force = force;
	b->fd = -1;
	/* lstat: a symbolic link, even a dangling one, is there too */
	b->existed = lstat(file, &st) == 0;
	if (b->existed && !force) {
		fprintf(stderr, "tafelctl: %s already exists; not overwritten "
		    "(choose another name, or give --force to replace it)\n",
		    file);
		return -1;
	}
	if (b->existed && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "tafelctl: %s is a directory\n", file);
		return -1;
	}
	if ((size_t)snprintf(b->tmp, sizeof b->tmp, "%s.XXXXXX", file) >=
	    sizeof b->tmp) {
		fprintf(stderr, "tafelctl: %s: file name too long\n", file);
		return -1;
	}
	/* mkstemp: mode 0600, O_EXCL, beside FILE (the rename stays on its
	 * file system) */
	if ((b->fd = mkostemp(b->tmp, O_CLOEXEC)) < 0) {
		fprintf(stderr, "tafelctl: cannot create a file beside %s: %s\n",
		    file, strerror(errno));
		b->tmp[0] = '\0';
		return -1;
	}
	return 0;
}

void
ctl_backup_abandon(struct ctl_backup_file *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	if (b->tmp[0] != '\0' && unlink(b->tmp) != 0 && errno != ENOENT)
		fprintf(stderr, "tafelctl: %s: %s (remove it by hand)\n", b->tmp,
		    strerror(errno));
	b->tmp[0] = '\0';
}

/* fsync of the directory holding path, so that a rename in it is durable. */
static int
sync_dir_of(const char *path)
{
	char dir[4200], *slash;

	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return pgembed_fsync_dir(dir);
}

int
ctl_backup_commit(struct ctl_backup_file *b)
{
	struct stat st;
	int rc;

	if (b->force)
		rc = rename(b->tmp, b->file);
	else if ((rc = link(b->tmp, b->file)) == 0)
		(void)unlink(b->tmp);
	else if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS) {
		/* a file system without hard links: check, then rename */
		if (lstat(b->file, &st) == 0) {
			errno = EEXIST;
			rc = -1;
		} else
			rc = rename(b->tmp, b->file);
	}
	if (rc != 0) {
		int e = errno;

		fprintf(stderr, "tafelctl: %s: %s%s; no backup was written\n",
		    b->file, strerror(e), e == EEXIST ? " (created while the "
		    "backup ran)" : "");
		ctl_backup_abandon(b);
		return -1;
	}
	b->tmp[0] = '\0';
	if (sync_dir_of(b->file) != 0)
		fprintf(stderr, "tafelctl: note: cannot sync the directory of "
		    "%s: %s\n", b->file, strerror(errno));
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	printf("backup written to %s%s\n", b->file, b->existed ?
	    " (the file that was there is replaced)" : "");
	return 0;
}

/*
 * Opens a REPEATABLE READ transaction on db and exports its snapshot into
 * opt ("--snapshot=ID"); 0, or -1 with the error said.
 */
static int
backup_snapshot(PGconn *db, char *opt, size_t len)
{
	PGresult *r = PQexec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ, "
	    "READ ONLY");

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "tafelctl: %s", PQerrorMessage(db));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	r = PQexec(db, "SELECT pg_export_snapshot()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "tafelctl: %s", PQerrorMessage(db));
		ctl_disk_full_hint(r, 1);
		PQclear(r);
		PQclear(PQexec(db, "ROLLBACK"));
		return -1;
	}
	snprintf(opt, len, "--snapshot=%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

int
ctl_backup(PGconn *db, const char *conninfo, int fd, const char *file)
{
	char snap[128];
	char *args[] = { (char *)"--format=custom", (char *)"--no-password",
	    snap, (char *)"--dbname", (char *)conninfo, NULL };
	int rc;

	/*
	 * pg_dump reads every table in one REPEATABLE READ snapshot: a
	 * consistent register (cases, audit log, purge records and the
	 * change-log sequence together) while tafeld keeps serving.  It
	 * reads the snapshot this connection exports, and the summary below
	 * is counted in the same one, so it says what the file holds, also
	 * while writes go on.
	 */
	if (backup_snapshot(db, snap, sizeof snap) != 0)
		return 1;
	rc = run_pg_tool("pg_dump", args, 1, fd);
	if (rc != 0) {
		fprintf(stderr, "tafelctl: pg_dump failed (exit %d); no backup "
		    "was written to %s\n", rc, file);
		PQclear(PQexec(db, "ROLLBACK"));
		return 1;
	}
	if (fsync(fd) != 0) {
		fprintf(stderr, "tafelctl: %s: %s; no backup was written\n",
		    file, strerror(errno));
		PQclear(PQexec(db, "ROLLBACK"));
		return 1;
	}
	ctl_summary(db, "the backup holds");
	PQclear(PQexec(db, "COMMIT"));
	return 0;
}

/* 1 when db already holds a register (restore refuses), 0 empty, -1 error. */
static int
has_register(PGconn *db)
{
	PGresult *r = PQexec(db, "SELECT count(*) FROM pg_class c JOIN "
	    "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
	    "'public' AND c.relkind IN ('r', 'S', 'v')");
	int n;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "tafelctl: %s", PQerrorMessage(db));
		PQclear(r);
		return -1;
	}
	n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return n > 0;
}

/*
 * The highest schema_migrations version in the backup on fd: pg_restore
 * prints that table's rows as a script (no database needed), read here
 * from the COPY block.  fd is rewound for the restore.
 */
int
ctl_backup_schema(int fd, const char *file, long *top)
{
	char *args[] = { (char *)"--data-only",
	    (char *)"--table=schema_migrations", (char *)"--file=-", NULL };
	char line[512];
	FILE *out = tmpfile();
	int rc, in_copy = 0, found = 0;

	*top = 0;
	if (out == NULL) {
		fprintf(stderr, "tafelctl: temporary file: %s\n",
		    strerror(errno));
		return -1;
	}
	rc = run_pg_tool_io("pg_restore", args, fd, fileno(out));
	if (rc != 0) {
		fprintf(stderr, "tafelctl: %s: pg_restore cannot read it (exit "
		    "%d): it is cut short or damaged, or not a file written by "
		    "tafelctl backup (pg_dump's custom format; a plain SQL dump "
		    "is not one). Nothing was restored; the target was not "
		    "touched\n", file, rc);
		fclose(out);
		return -1;
	}
	rewind(out);
	while (fgets(line, sizeof line, out) != NULL) {
		if (!in_copy) {
			in_copy = strncmp(line, "COPY ", 5) == 0 &&
			    strstr(line, "schema_migrations ") != NULL;
			found |= in_copy;
		} else if (strcmp(line, "\\.\n") == 0)
			in_copy = 0;
		else if (strtol(line, NULL, 10) > *top)
			*top = strtol(line, NULL, 10);
	}
	fclose(out);
	/* a pg_dump of another database (or of the schema alone) restored
	 * "successfully" into an empty register that tafeld then filled
	 * with a fresh schema: no register, and exit status 0 */
	if (!found) {
		fprintf(stderr, "tafelctl: %s is not a backup of a Tafel "
		    "register: it holds no schema_migrations table with its "
		    "rows (a dump of another database, or of the schema "
		    "alone?); make backups with tafelctl backup. Nothing was "
		    "restored; the target was not touched\n", file);
		return -1;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		fprintf(stderr, "tafelctl: %s: %s\n", file, strerror(errno));
		return -1;
	}
	return 0;
}

int
ctl_restore(PGconn *db, const char *conninfo, struct pgembed *pg, int fd,
    const char *file)
{
	char *args[] = { (char *)"--exit-on-error", (char *)"--single-transaction",
	    (char *)"--no-owner", (char *)"--no-password", (char *)"--dbname",
	    (char *)conninfo, NULL };
	char err[4608];
	PGresult *r;
	int rc;

	switch (has_register(db)) {
	case 1: {
		/* what is there, and the way out: an empty register is most
		 * often the one a tafeld started on the new data directory
		 * before the restore made (the order of the steps above) */
		PGresult *c = PQexec(db, "SELECT (SELECT count(*) FROM "
		    "organisations) + (SELECT count(*) FROM users) + (SELECT "
		    "count(*) FROM cases) + (SELECT count(*) FROM series)");
		int empty = PQresultStatus(c) == PGRES_TUPLES_OK &&
		    strcmp(PQgetvalue(c, 0, 0), "0") == 0;
		char how[600];

		PQclear(c);
		if (empty)
			snprintf(how, sizeof how, " (an empty one, made when a "
			    "tafeld or another tafelctl command first ran on "
			    "it: a tafeld started before the restore, say); %s",
			    pg != NULL ? "stop that tafeld, move the data "
			    "directory aside or remove it, and restore into the "
			    "empty path" : "drop and create the database again "
			    "(empty), then restore");
		else
			snprintf(how, sizeof how, "; %s", pg != NULL ? "to "
			    "replace it, stop tafeld, move the data directory "
			    "aside and restore into the empty path" : "restore "
			    "only into an empty database");
		if (pg != NULL && pg->restore_unfinished)
			fprintf(stderr, "tafelctl: the data directory holds an "
			    "incomplete restore: an earlier tafelctl restore was "
			    "interrupted after its pg_restore began, and the "
			    "database holds a register it cannot tell whole; "
			    "move the data directory aside or remove it, then "
			    "restore into the empty path\n");
		else if (pg != NULL)
			fprintf(stderr, "tafelctl: the embedded cluster in %s "
			    "already holds a register%s; nothing was restored\n",
			    pg->root, how);
		else
			fprintf(stderr, "tafelctl: the external database "
			    "already holds a register%s; nothing was restored\n",
			    how);
		return 1;
	}
	case -1:
		return 1;
	}
	/* Marks the data directory until the restore has ended (a new
	 * cluster is marked already): one cut off (^C, kill, a power cut) is
	 * recognised by the next tafelctl or tafeld, which refuse it until a
	 * restore is run again. */
	if (pg != NULL && pgembed_restore_mark(pg, 1, err, sizeof err) != 0) {
		fprintf(stderr, "tafelctl: %s; nothing was restored\n", err);
		return 1;
	}
	/* The backup's grants name tafeld's least-privileged role. */
	r = PQexec(db, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles "
	    "WHERE rolname = '" PGEMBED_APP_ROLE "') THEN CREATE ROLE "
	    PGEMBED_APP_ROLE " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
	    "NOBYPASSRLS; END IF; END $$");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "tafelctl: note: cannot create role "
		    PGEMBED_APP_ROLE " (%s); it must exist for the restore\n",
		    PQresultErrorMessage(r));
	PQclear(r);
	rc = run_pg_tool("pg_restore", args, 0, fd);
	if (rc != 0) {
		/* one transaction, rolled back: the database is as before */
		fprintf(stderr, "tafelctl: pg_restore failed (exit %d): nothing "
		    "was restored\n", rc);
		if (pg != NULL && pgembed_restore_mark(pg, 0, err,
		    sizeof err) != 0)
			fprintf(stderr, "tafelctl: %s\n", err);
		return 1;
	}
	if (pg != NULL && pgembed_restore_mark(pg, 0, err, sizeof err) != 0) {
		fprintf(stderr, "tafelctl: restored from %s, but %s\n", file,
		    err);
		return 1;
	}
	printf("restored from %s\n", file);
	/* read from a pipe, a dump of another database is not refused
	 * before (ctl_backup_schema): it restores, and holds no register */
	if (ctl_summary(db, "the register now holds") != 0) {
		fprintf(stderr, "tafelctl: %s holds no Tafel register (not a "
		    "backup made by tafelctl backup?): what it held was "
		    "restored, but it is no register; %s\n",
		    file, pg != NULL ? "move the data directory aside or "
		    "remove it, then restore a Tafel backup into the empty path" :
		    "empty the database, then restore a Tafel backup into it");
		return 1;
	}
	return 0;
}
