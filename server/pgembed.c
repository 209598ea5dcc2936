/* The private PostgreSQL cluster: initdb on first start, pg_ctl start/stop, database creation. */
#include "pgembed.h"

#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "log.h"
#include "xmalloc.h"

#define PGEMBED_FALLBACK_BINDIR	"/usr/lib/postgresql/15/bin"
#define PGEMBED_PKGLIBDIR	"/usr/lib/postgresql"
#define PGEMBED_SOCKET_MAX	107	/* sizeof(sun_path) - 1 */
#define PGEMBED_TAIL_LINES	10

/* How pgembed_start_as was called. */
enum pgembed_mode {
	PGEMBED_TOOL,		/* pgembed_start: tafelctl */
	PGEMBED_OWNER,		/* pgembed_start_owner: tafeld */
	PGEMBED_RESTORE		/* pgembed_start_restore: tafelctl restore */
};

static int pgembed_start_as(struct pgembed *pg, const char *data_dir,
    enum pgembed_mode mode, char *err, size_t errlen);
static void pgembed_clear_dead_locks(const struct pgembed *pg);
static pid_t pgembed_pidfile_pid(const struct pgembed *pg);
static int pgembed_pid_alive(pid_t pid);

/* snprintf into a path buffer; -1 if it does not fit. */
static int __attribute__((format(printf, 3, 4)))
pgembed_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return 0;
}

/* Name of the user we run as; it is also the database superuser's name. */
static int
pgembed_user(char *buf, size_t len)
{
	struct passwd *pw = getpwuid(geteuid());

	if (pw == NULL || pw->pw_name == NULL)
		return -1;
	return pgembed_path(buf, len, "%s", pw->pw_name);
}

/* Does dir hold executable initdb and pg_ctl? */
static int
pgembed_has_tools(const char *dir)
{
	char path[PATH_MAX];

	if (pgembed_path(path, sizeof path, "%s/initdb", dir) != 0 ||
	    access(path, X_OK) != 0)
		return 0;
	if (pgembed_path(path, sizeof path, "%s/pg_ctl", dir) != 0 ||
	    access(path, X_OK) != 0)
		return 0;
	return 1;
}

/* Asks pg_config for its bindir; 0 if it answered with a usable one. */
static int
pgembed_bindir_pg_config(char *buf, size_t len)
{
	FILE *f;
	char line[PATH_MAX];
	size_t n;
	int ok = 0;

	f = popen("pg_config --bindir 2>/dev/null", "re");
	if (f == NULL)
		return -1;
	if (fgets(line, sizeof line, f) != NULL) {
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n > 0 && line[0] == '/')
			ok = 1;
	}
	pclose(f);
	if (!ok || !pgembed_has_tools(line))
		return -1;
	return pgembed_path(buf, len, "%s", line);
}

/* Scans /usr/lib/postgresql/<version>/bin for the newest one with initdb. */
static int
pgembed_bindir_scan(char *buf, size_t len)
{
	DIR *d;
	struct dirent *de;
	char dir[PATH_MAX], *end;
	long major, minor, best = -1, v;
	int found = -1;

	if ((d = opendir(PGEMBED_PKGLIBDIR)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		errno = 0;
		major = strtol(de->d_name, &end, 10);
		minor = 0;
		if (*end == '.')
			minor = strtol(end + 1, &end, 10);
		if (errno != 0 || *end != '\0' || major > 100000 ||
		    minor > 999)
			continue;
		v = major * 1000 + minor;
		if (v <= best)
			continue;
		if (pgembed_path(dir, sizeof dir, "%s/%s/bin",
		    PGEMBED_PKGLIBDIR, de->d_name) != 0 ||
		    !pgembed_has_tools(dir))
			continue;
		if (pgembed_path(buf, len, "%s", dir) == 0) {
			best = v;
			found = 0;
		}
	}
	closedir(d);
	return found;
}

/* Finds the directory with initdb and pg_ctl; never relies on PATH for them. */
static int
pgembed_find_bindir(struct pgembed *pg, char *err, size_t errlen)
{
	if (pgembed_bindir_pg_config(pg->bindir, sizeof pg->bindir) == 0)
		return 0;
	if (pgembed_bindir_scan(pg->bindir, sizeof pg->bindir) == 0)
		return 0;
	if (pgembed_has_tools(PGEMBED_FALLBACK_BINDIR))
		return pgembed_path(pg->bindir, sizeof pg->bindir, "%s",
		    PGEMBED_FALLBACK_BINDIR);
	pg->bindir[0] = '\0';
	return errbuf_fail(err, errlen,
	    "PostgreSQL server programs (initdb, pg_ctl) not found in "
	    "pg_config --bindir or " PGEMBED_PKGLIBDIR "/*/bin; install the "
	    "postgresql package (e.g. apt-get install postgresql-15)");
}

/*
 * The major version in a file's first line (a cluster's PG_VERSION: "15",
 * "9.6"), or "" when it cannot be read.
 */
static void
pgembed_read_major(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, " \t\r\n")] = '\0';
	fclose(f);
}

/*
 * Starts argv[0] (an absolute path) in directory cwd with stdin from
 * /dev/null and stdout and stderr appended to logfd; no shell, no inherited
 * descriptors beyond those and keepfd (-1: none), which the child gets as
 * descriptor 3.  Returns the child's pid, or -1 with a message in err.
 */
static pid_t
pgembed_spawn(char *const argv[], const char *cwd, int logfd, int keepfd,
    char *err, size_t errlen)
{
	static const int resets[] = { SIGPIPE, SIGCHLD, SIGINT, SIGTERM,
	    SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	sigset_t none;
	pid_t pid;
	int devnull, fd;
	size_t i;

	if ((devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return errbuf_fail(err, errlen, "open /dev/null: %s",
		    strerror(errno));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&none);

	pid = fork();
	if (pid < 0) {
		close(devnull);
		return errbuf_fail(err, errlen, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* Child: async-signal-safe calls only. */
		for (i = 0; i < sizeof resets / sizeof resets[0]; i++)
			sigaction(resets[i], &sa, NULL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(devnull, STDIN_FILENO) < 0 ||
		    dup2(logfd, STDOUT_FILENO) < 0 ||
		    dup2(logfd, STDERR_FILENO) < 0 || chdir(cwd) != 0)
			_exit(126);
		if (keepfd >= 0 && (keepfd == 3 ? fcntl(3, F_SETFD, 0) :
		    dup2(keepfd, 3)) < 0)
			_exit(126);
		if (close_range(keepfd >= 0 ? 4 : 3, ~0U, 0) != 0) {
			for (fd = keepfd >= 0 ? 4 : 3; fd < 1024; fd++)
				close(fd);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(devnull);
	return pid;
}

/* The exit status of a finished child (wait status st), as pgembed_run. */
static int
pgembed_exit_status(const char *prog, const char *cwd, int st, char *err,
    size_t errlen)
{
	if (WIFEXITED(st)) {
		if (WEXITSTATUS(st) == 127)
			return errbuf_fail(err, errlen, "cannot execute %s",
			    prog);
		if (WEXITSTATUS(st) == 126)
			return errbuf_fail(err, errlen, "cannot set up the "
			    "child process for %s (chdir %s?)", prog, cwd);
		return WEXITSTATUS(st);
	}
	if (WIFSIGNALED(st))
		return errbuf_fail(err, errlen, "%s killed by signal %d",
		    prog, WTERMSIG(st));
	return errbuf_fail(err, errlen, "%s ended strangely", prog);
}

/* pgembed_spawn, then waits: the exit status, or -1 with a message. */
static int
pgembed_run(char *const argv[], const char *cwd, int logfd, int keepfd,
    char *err, size_t errlen)
{
	pid_t pid;
	int st;

	if ((pid = pgembed_spawn(argv, cwd, logfd, keepfd, err, errlen)) < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return errbuf_fail(err, errlen, "waitpid(%s): %s",
			    argv[0], strerror(errno));
	}
	return pgembed_exit_status(argv[0], cwd, st, err, errlen);
}

int
pgembed_disk_space(const char *path, unsigned long long *avail,
    unsigned long long *total)
{
	struct statvfs v;

	if (statvfs(path, &v) != 0)
		return -1;
	*avail = (unsigned long long)v.f_bavail * v.f_frsize;
	*total = (unsigned long long)v.f_blocks * v.f_frsize;
	return 0;
}

/*
 * If the cluster's file system has (almost) no room left -- or a program's
 * output said so (out, may be NULL) -- appends that to err: a full disk is
 * the usual reason PostgreSQL cannot start ("could not write lock file") or
 * initdb fails, and what they wrote may well be cut short by it.  initdb
 * removes what it made when it fails, so the room may be back by now: the
 * words then say it was full.
 */
static void
pgembed_full_hint(const struct pgembed *pg, const char *out, char *err,
    size_t errlen)
{
	unsigned long long avail, total;
	size_t used;
	int said = out != NULL && strstr(out, strerror(ENOSPC)) != NULL;

	if (pgembed_disk_space(pg->datadir, &avail, &total) != 0 &&
	    pgembed_disk_space(pg->root, &avail, &total) != 0)
		return;
	used = strlen(err);
	if (avail < PGEMBED_DISK_LOW)
		snprintf(err + used, errlen - used, "; its file system is FULL "
		    "(%llu bytes free): free space there", avail);
	else if (said)
		snprintf(err + used, errlen - used, "; its file system was FULL "
		    "(%llu bytes free now, after the attempt; a new cluster "
		    "needs some 40 MB): free space there", avail);
}

/*
 * The last PGEMBED_TAIL_LINES lines of what fd holds, into buf (len
 * bytes); NULL if it holds nothing.
 */
static const char *
pgembed_fd_tail(int fd, char *buf, size_t len)
{
	char *p;
	ssize_t n;
	off_t size, from;
	int lines = 0;

	size = lseek(fd, 0, SEEK_END);
	from = size - (off_t)(len - 1);
	if (from < 0)
		from = 0;
	n = (size < 0) ? -1 : pread(fd, buf, len - 1, from);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	for (p = buf + n; p > buf; p--) {
		if (p[-1] == '\n' && ++lines == PGEMBED_TAIL_LINES)
			break;
	}
	return n > 0 ? p : NULL;
}

/*
 * Appends the last lines of the PostgreSQL log to err, after its text and
 * the free-space hint.
 */
static void
pgembed_log_tail(const struct pgembed *pg, char *err, size_t errlen)
{
	char buf[4096];
	const char *tail;
	size_t used;
	int fd;

	if (err == NULL || errlen == 0)
		return;
	pgembed_full_hint(pg, NULL, err, errlen);
	if ((fd = open(pg->logfile, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	tail = pgembed_fd_tail(fd, buf, sizeof buf);
	close(fd);
	used = strlen(err);
	if (tail != NULL && used < errlen)
		snprintf(err + used, errlen - used, "\n--- last lines of %s "
		    "---\n%s", pg->logfile, tail);
}

/* Creates a directory 0700 unless it exists; -1 with a message otherwise. */
static int
pgembed_mkdir(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(path, 0700) == 0 || errno == EEXIST) {
		if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			return errbuf_fail(err, errlen,
			    "%s exists and is not a directory", path);
		if (st.st_uid != geteuid())
			return errbuf_fail(err, errlen,
			    "%s is owned by uid %u, not by us (uid %u)", path,
			    (unsigned)st.st_uid, (unsigned)geteuid());
		return 0;
	}
	return errbuf_fail(err, errlen, "cannot create %s: %s", path,
	    strerror(errno));
}

/*
 * Rejects characters that pg_ctl would pass through /bin/sh unquoted or that
 * PostgreSQL would split unix_socket_directories on.
 */
static int
pgembed_path_is_safe(const char *path)
{
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || strchr("'\"\\`$,", *p) != NULL)
			return 0;
	}
	return 1;
}

/* Fills in the paths below data_dir and checks them. */
static int
pgembed_paths(struct pgembed *pg, const char *data_dir, char *err,
    size_t errlen)
{
	char abs[PATH_MAX];
	size_t socklen;

	if (realpath(data_dir, abs) == NULL)
		return errbuf_fail(err, errlen, "data directory %s: %s",
		    data_dir, strerror(errno));
	if (!pgembed_path_is_safe(abs))
		return errbuf_fail(err, errlen,
		    "data directory %s contains a quote, backslash, '$', ',' "
		    "or control character; use a plainer --data-dir", abs);
	if (pgembed_path(pg->root, sizeof pg->root, "%s/pg", abs) != 0 ||
	    pgembed_path(pg->datadir, sizeof pg->datadir, "%s/data",
	    pg->root) != 0 ||
	    pgembed_path(pg->initdir, sizeof pg->initdir, "%s/data.initdb",
	    pg->root) != 0 ||
	    pgembed_path(pg->sockdir, sizeof pg->sockdir, "%s/run",
	    pg->root) != 0 ||
	    pgembed_path(pg->logfile, sizeof pg->logfile, "%s/postgres.log",
	    pg->root) != 0)
		return errbuf_fail(err, errlen, "data directory path too long");

	socklen = strlen(pg->sockdir) + strlen("/.s.PGSQL.") + 4;
	if (socklen > PGEMBED_SOCKET_MAX)
		return errbuf_fail(err, errlen,
		    "data directory path too long for a Unix socket (%s/"
		    ".s.PGSQL.%d would be %zu bytes, at most %d); use a "
		    "shorter --data-dir", pg->sockdir, PGEMBED_PORT, socklen,
		    PGEMBED_SOCKET_MAX);
	return 0;
}

/* Takes the cross-process lock on <root>/lock; returns its fd. */
static int
pgembed_lock(const struct pgembed *pg, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int fd;

	if (pgembed_path(path, sizeof path, "%s/lock", pg->root) != 0)
		return errbuf_fail(err, errlen, "lock path too long");
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errbuf_fail(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			int saved = errno;

			close(fd);
			return errbuf_fail(err, errlen, "cannot lock %s: %s",
			    path, strerror(saved));
		}
	}
	return fd;
}

/* Opens the PostgreSQL log for appending children's output. */
static int
pgembed_open_log(const struct pgembed *pg, char *err, size_t errlen)
{
	int fd;

	fd = open(pg->logfile, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		return errbuf_fail(err, errlen, "cannot open %s: %s",
		    pg->logfile, strerror(errno));
	return fd;
}

/*
 * Copies what fd holds to logfd, as far as it goes (on a full disk the log
 * cannot grow: that is why the output was kept in memory).
 */
static void
pgembed_copy_out(int fd, int logfd)
{
	char buf[8192];
	ssize_t n;
	off_t at = 0;

	while ((n = pread(fd, buf, sizeof buf, at)) > 0) {
		if (write(logfd, buf, (size_t)n) != n)
			return;
		at += n;
	}
}

/* nftw callback of pgembed_rmtree: removes one entry; stops at an error. */
static int
pgembed_rm_entry(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/*
 * Removes the directory tree path (not following symbolic links, not
 * crossing into another file system).  0, or -1 with errno set.
 */
static int
pgembed_rmtree(const char *path)
{
	return nftw(path, pgembed_rm_entry, 16, FTW_DEPTH | FTW_PHYS |
	    FTW_MOUNT);
}

int
pgembed_fsync_dir(const char *dir)
{
	int fd, rc, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* pgembed_fsync_dir, or -1 with a message in err. */
static int
pgembed_sync_dir(const char *path, char *err, size_t errlen)
{
	if (pgembed_fsync_dir(path) != 0)
		return errbuf_fail(err, errlen, "cannot sync %s: %s", path,
		    strerror(errno));
	return 0;
}

/*
 * What an initdb that did not finish (killed with its tafeld or tafelctl:
 * a power cut, ^C, the OOM killer) left in initdir goes, with a log line.
 * Only under the lock: initdb holds it as long as it runs (it inherits the
 * descriptor), so nothing writes there now.
 */
static int
pgembed_clear_initdir(const struct pgembed *pg, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(pg->initdir, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		return errbuf_fail(err, errlen, "%s: %s", pg->initdir,
		    strerror(errno));
	}
	log_warn("removing %s: an initdb that did not finish (interrupted) "
	    "left it; the cluster is made afresh", pg->initdir);
	if (S_ISDIR(st.st_mode) ? pgembed_rmtree(pg->initdir) != 0 :
	    unlink(pg->initdir) != 0)
		return errbuf_fail(err, errlen, "cannot remove %s, left by an "
		    "initdb that did not finish: %s; move it aside or remove "
		    "it", pg->initdir, strerror(errno));
	return 0;
}

/*
 * Where initdb is about to put the cluster there must be nothing, or an
 * empty directory (rename replaces it); anything else is not ours to
 * remove.
 */
static int
pgembed_check_datadir_free(const struct pgembed *pg, char *err,
    size_t errlen)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int empty = 1;

	if (lstat(pg->datadir, &st) != 0)
		return errno == ENOENT ? 0 : errbuf_fail(err, errlen, "%s: %s",
		    pg->datadir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errbuf_fail(err, errlen, "%s exists and is not a "
		    "directory; move it aside or remove it", pg->datadir);
	if ((d = opendir(pg->datadir)) == NULL)
		return errbuf_fail(err, errlen, "cannot read %s: %s",
		    pg->datadir, strerror(errno));
	while (empty && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	if (!empty)
		return errbuf_fail(err, errlen, "%s holds files but no "
		    "PostgreSQL cluster (no PG_VERSION); move it aside or "
		    "remove it, and a new cluster is made", pg->datadir);
	return 0;
}

/*
 * Runs initdb into initdir and, once it has completed, renames that to
 * datadir (atomic: datadir is a whole cluster or nothing) and syncs root.
 * initdb gets lockfd (the lock on <root>/lock), so a tafeld or tafelctl
 * killed while initdb runs on does not let the next one in before it ends.
 * Its output is kept in memory (memfd) and then appended to the
 * PostgreSQL log: when initdb fails for want of room, the log on that disk
 * cannot take it either, and the error must still say what initdb said.
 */
static int
pgembed_initdb(struct pgembed *pg, const char *user, int logfd, int lockfd,
    char *err, size_t errlen)
{
	char prog[PATH_MAX], buf[4096];
	char *argv[] = { prog, "-D", pg->initdir, "-U", (char *)user,
	    "--auth-local=peer", "--auth-host=reject", "-E", "UTF8",
	    "--locale=C.UTF-8", "--no-instructions", NULL };
	const char *tail = NULL;
	size_t used;
	int rc, out;

	if (pgembed_path(prog, sizeof prog, "%s/initdb", pg->bindir) != 0)
		return errbuf_fail(err, errlen, "initdb path too long");
	if (pgembed_clear_initdir(pg, err, errlen) != 0 ||
	    pgembed_check_datadir_free(pg, err, errlen) != 0)
		return -1;
	log_info("initialising new PostgreSQL cluster in %s (made in %s, "
	    "renamed once initdb has completed)", pg->datadir, pg->initdir);
	if ((out = memfd_create("initdb", MFD_CLOEXEC)) < 0)
		out = logfd;
	rc = pgembed_run(argv, pg->root, out, lockfd, err, errlen);
	if (out != logfd)
		pgembed_copy_out(out, logfd);
	if (rc == 0) {
		if (out != logfd)
			close(out);
		if (rename(pg->initdir, pg->datadir) != 0)
			return errbuf_fail(err, errlen, "cannot rename the new "
			    "cluster %s to %s: %s", pg->initdir, pg->datadir,
			    strerror(errno));
		return pgembed_sync_dir(pg->root, err, errlen);
	}
	if (rc > 0)
		errbuf_fail(err, errlen, "initdb failed (exit %d)", rc);
	if (out == logfd) {
		pgembed_log_tail(pg, err, errlen);
		return -1;
	}
	tail = pgembed_fd_tail(out, buf, sizeof buf);
	close(out);
	if (err != NULL && errlen > 0) {
		pgembed_full_hint(pg, tail, err, errlen);
		used = strlen(err);
		if (tail != NULL && used < errlen)
			snprintf(err + used, errlen - used, "\n--- initdb's "
			    "output (also in %s, if it had room) ---\n%s",
			    pg->logfile, tail);
	}
	return -1;
}

/* pg_ctl status: 0 running, 3 not running, 4 no data directory. */
static int
pgembed_status(const struct pgembed *pg, int logfd, char *err, size_t errlen)
{
	char prog[PATH_MAX];
	char *argv[] = { prog, "-D", (char *)pg->datadir, "status", NULL };

	if (pgembed_path(prog, sizeof prog, "%s/pg_ctl", pg->bindir) != 0)
		return errbuf_fail(err, errlen, "pg_ctl path too long");
	return pgembed_run(argv, pg->root, logfd, -1, err, errlen);
}

/* The buffers of a pg_ctl start command line. */
struct pgembed_start_cmd {
	char prog[PATH_MAX];
	char opts[PATH_MAX + 128];
	char *argv[12];
};

/*
 * pg_ctl start, listening only on <sockdir>/.s.PGSQL.5432: fills cmd.  No
 * JIT: Tafel's queries are short, and a plan whose estimate crosses
 * jit_above_cost would pay tens of milliseconds of compiling at every
 * execution.  Terse error lines in pg/postgres.log: an error's DETAIL is
 * not logged, since a CONFLICT's DETAIL is the current record rendered
 * for the user (names, dates of birth, texts), which the log would keep
 * beyond the read audit and the retention purge.
 */
static int
pgembed_start_cmd(struct pgembed *pg, struct pgembed_start_cmd *cmd,
    char *err, size_t errlen)
{
	char *const argv[] = { cmd->prog, "-D", pg->datadir, "-l",
	    pg->logfile, "-w", "-t", "60", "-o", cmd->opts, "start", NULL };

	if (pgembed_path(cmd->prog, sizeof cmd->prog, "%s/pg_ctl",
	    pg->bindir) != 0 ||
	    pgembed_path(cmd->opts, sizeof cmd->opts, "-c listen_addresses='' "
	    "-c unix_socket_directories='%s' -c port=%d -c jit=off "
	    "-c log_error_verbosity=terse", pg->sockdir,
	    PGEMBED_PORT) != 0)
		return errbuf_fail(err, errlen, "pg_ctl arguments too long");
	memcpy(cmd->argv, argv, sizeof argv);
	return 0;
}

/*
 * What to do about a cluster that was there and does not start (broken
 * files, a crash loop, one left by an old version): said before the log's
 * tail, which may be cut off.  Not for a cluster made just now, nor on a
 * full disk (pgembed_full_hint says to free space).
 */
static void
pgembed_broken_hint(const struct pgembed *pg, char *err, size_t errlen)
{
	unsigned long long avail, total;
	size_t used;

	if (err == NULL || errlen == 0 || pg->initialised ||
	    (pgembed_disk_space(pg->root, &avail, &total) == 0 &&
	    avail < PGEMBED_DISK_LOW))
		return;
	used = strlen(err);
	snprintf(err + used, errlen - used, ". If the log below shows no "
	    "cause you can remedy: with tafeld stopped, move the cluster "
	    "aside (mv %s %s.broken) and start again; a new, empty cluster "
	    "is made, and your data stays in %s.broken (restore a backup "
	    "with tafelctl restore, or have it recovered from there; "
	    "docs/admin.md)", pg->datadir, pg->datadir, pg->datadir);
}

/* pg_ctl start (waits until it accepts connections, at most 60 s). */
static int
pgembed_pg_start(struct pgembed *pg, int logfd, char *err, size_t errlen)
{
	struct pgembed_start_cmd cmd;
	int rc;

	if (pgembed_start_cmd(pg, &cmd, err, errlen) != 0)
		return -1;
	rc = pgembed_run(cmd.argv, pg->root, logfd, -1, err, errlen);
	if (rc == 0)
		return 0;
	if (rc > 0)
		errbuf_fail(err, errlen, "could not start PostgreSQL in %s "
		    "(pg_ctl exit %d)", pg->datadir, rc);
	pgembed_broken_hint(pg, err, errlen);
	pgembed_log_tail(pg, err, errlen);
	return -1;
}


/*
 * pg_ctl stop -m mode, waiting at most wait seconds; a cluster that is
 * already down counts as stopped.
 */
static int
pgembed_pg_stop_mode(struct pgembed *pg, int logfd, const char *mode,
    int wait, char *err, size_t errlen)
{
	char prog[PATH_MAX], secs[16];
	char *argv[] = { prog, "-D", pg->datadir, "-m", (char *)mode, "-w",
	    "-t", secs, "stop", NULL };
	int rc;

	if (pgembed_path(prog, sizeof prog, "%s/pg_ctl", pg->bindir) != 0)
		return errbuf_fail(err, errlen, "pg_ctl path too long");
	snprintf(secs, sizeof secs, "%d", wait);
	rc = pgembed_run(argv, pg->root, logfd, -1, err, errlen);
	if (rc == 0)
		return 0;
	if (rc > 0) {
		if (pgembed_status(pg, logfd, err, errlen) == 3) {
			log_warn("PostgreSQL in %s was already stopped",
			    pg->datadir);
			return 0;
		}
		errbuf_fail(err, errlen, "could not stop PostgreSQL in %s "
		    "(pg_ctl exit %d)", pg->datadir, rc);
	}
	pgembed_log_tail(pg, err, errlen);
	return -1;
}

/* pg_ctl stop -m fast (a shutdown checkpoint; at most a minute). */
static int
pgembed_pg_stop(struct pgembed *pg, int logfd, char *err, size_t errlen)
{
	return pgembed_pg_stop_mode(pg, logfd, "fast", 60, err, errlen);
}

/*
 * Is the postmaster named in postmaster.pid alive and working in this
 * data directory (its current directory, where a postmaster lives)?  A
 * stale pid file's pid that now belongs to another cluster's postgres must
 * not be signalled.  Without /proc, alive has to do.
 */
static int
pgembed_postmaster_here(const struct pgembed *pg)
{
	char link[64], cwd[PATH_MAX];
	pid_t pid = pgembed_pidfile_pid(pg);
	ssize_t n;

	if (pid <= 0 || !pgembed_pid_alive(pid))
		return 0;
	snprintf(link, sizeof link, "/proc/%ld/cwd", (long)pid);
	if ((n = readlink(link, cwd, sizeof cwd - 1)) < 0)
		return access("/proc/self/cwd", F_OK) != 0;
	cwd[n] = '\0';
	return strcmp(cwd, pg->datadir) == 0;
}

/*
 * A start that failed leaves no postmaster of ours behind: pg_ctl start
 * gives up waiting after 60 s but leaves the postmaster running, and one
 * that crash-loops (an incomplete cluster: "could not find relation
 * mapping", "the database system is in recovery mode") does not finish a
 * fast shutdown either.  came_up: it did accept connections (a fast stop
 * is tried first, for 10 s); otherwise, and when that did not do it, an
 * immediate one (crash-safe: the next start replays the log).
 */
static void
pgembed_stop_failed(struct pgembed *pg, int logfd, int came_up)
{
	char junk[1024];

	if (came_up && pgembed_pg_stop_mode(pg, logfd, "fast", 10, junk,
	    sizeof junk) == 0)
		return;
	if (!pgembed_postmaster_here(pg))
		return;
	log_warn("stopping PostgreSQL in %s at once (pg_ctl stop -m "
	    "immediate): it did not come up, or not fully", pg->datadir);
	if (pgembed_pg_stop_mode(pg, logfd, "immediate", 30, junk,
	    sizeof junk) != 0)
		log_warn("%s", junk);
}

/* Connects to the "postgres" database and creates "tafel" if missing. */
static int
pgembed_ensure_db(const struct pgembed *pg, const char *user, int reload,
    char *err, size_t errlen)
{
	/* a cluster that hangs (stopped, a full disk's stall) is reported,
	 * not waited for: tafelctl from cron would hang for ever */
	const char *kw[] = { "host", "port", "dbname", "user",
	    "connect_timeout", NULL };
	const char *val[] = { pg->sockdir, "5432", "postgres", user, "15",
	    NULL };
	const char *param[1] = { PGEMBED_DBNAME };
	PGconn *conn;
	PGresult *res;
	int rc = -1;

	conn = PQconnectdbParams(kw, val, 0);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		errbuf_fail(err, errlen, "cannot connect to PostgreSQL in "
		    "%s: %s", pg->sockdir,
		    conn ? PQerrorMessage(conn) : "out of memory");
		goto out;
	}
	if (reload) {
		/* Authentication files changed under a running cluster. */
		res = PQexec(conn, "SELECT pg_reload_conf()");
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			log_warn("cannot reload PostgreSQL's configuration: %s",
			    PQresultErrorMessage(res));
		PQclear(res);
	}
	res = PQexecParams(conn, "SELECT 1 FROM pg_database WHERE datname = $1",
	    1, NULL, param, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		errbuf_fail(err, errlen, "cannot list databases: %s",
		    PQresultErrorMessage(res));
		PQclear(res);
		goto out;
	}
	if (PQntuples(res) > 0) {
		PQclear(res);
		rc = 0;
		goto out;
	}
	PQclear(res);
	res = PQexec(conn, "CREATE DATABASE " PGEMBED_DBNAME);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		errbuf_fail(err, errlen, "cannot create database "
		    PGEMBED_DBNAME ": %s", PQresultErrorMessage(res));
		PQclear(res);
		goto out;
	}
	PQclear(res);
	log_info("created database " PGEMBED_DBNAME);
	rc = 0;
out:
	PQfinish(conn);
	return rc;
}

/*
 * Peer authentication over the private socket only, with an identity map
 * that lets the owning OS user also connect as the least-privileged role
 * tafeld's queries run under.  Rewritten on every start (reloaded if the
 * cluster was already running).  Returns 1 if a file changed, 0, or -1.
 */
static int
pgembed_auth_files(struct pgembed *pg, const char *user, char *err,
    size_t errlen)
{
	char path[PATH_MAX], want[1024], have[1024];
	const char *names[2] = { "pg_hba.conf", "pg_ident.conf" };
	int i, changed = 0;
	FILE *f;
	size_t n;

	for (i = 0; i < 2; i++) {
		if (i == 0)
			snprintf(want, sizeof want, "# Written by tafeld: peer "
			    "authentication over the private socket only.\n"
			    "local all all peer map=tafel\n");
		else
			snprintf(want, sizeof want, "# Written by tafeld: the "
			    "service user may connect as itself (schema owner)"
			    " and as %s.\ntafel %s %s\ntafel %s %s\n",
			    PGEMBED_APP_ROLE, user, user, user, PGEMBED_APP_ROLE);
		if (pgembed_path(path, sizeof path, "%s/%s", pg->datadir,
		    names[i]) != 0)
			return errbuf_fail(err, errlen, "path too long");
		n = 0;
		if ((f = fopen(path, "r")) != NULL) {
			n = fread(have, 1, sizeof have - 1, f);
			fclose(f);
		}
		have[n] = '\0';
		if (strcmp(have, want) == 0)
			continue;
		if ((f = fopen(path, "w")) == NULL || fputs(want, f) < 0 ||
		    fclose(f) != 0)
			return errbuf_fail(err, errlen, "cannot write %s: %s",
			    path, strerror(errno));
		changed = 1;
	}
	return changed;
}

/*
 * The owner lock <root>/owner: held (flock) by the one tafeld that runs on
 * this cluster, for its whole life; the kernel drops it when that process
 * ends, however it ends.  Returns the fd, or -1 (err says why; EWOULDBLOCK
 * when another process holds it).
 */
static int
pgembed_owner_lock(const struct pgembed *pg, int how, char *err,
    size_t errlen)
{
	char path[PATH_MAX];
	int fd, saved;

	if (pgembed_path(path, sizeof path, "%s/owner", pg->root) != 0)
		return errbuf_fail(err, errlen, "lock path too long");
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errbuf_fail(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
	while (flock(fd, how | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		saved = errno;
		close(fd);
		errno = saved;
		return errbuf_fail(err, errlen, "%s", saved == EWOULDBLOCK ?
		    "another tafeld already runs on this data directory" :
		    strerror(saved));
	}
	return fd;
}

/* 1 when a tafeld holds the owner lock (it will stop the cluster itself). */
static int
pgembed_owner_active(const struct pgembed *pg)
{
	char junk[256];
	int fd;

	if (pg->owner_fd >= 0)
		return 0;
	fd = pgembed_owner_lock(pg, LOCK_SH, junk, sizeof junk);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno == EWOULDBLOCK;
}

int
pgembed_start(struct pgembed *pg, const char *data_dir, char *err,
    size_t errlen)
{
	return pgembed_start_as(pg, data_dir, PGEMBED_TOOL, err, errlen);
}

int
pgembed_start_owner(struct pgembed *pg, const char *data_dir, char *err,
    size_t errlen)
{
	return pgembed_start_as(pg, data_dir, PGEMBED_OWNER, err, errlen);
}

int
pgembed_start_restore(struct pgembed *pg, const char *data_dir, char *err,
    size_t errlen)
{
	return pgembed_start_as(pg, data_dir, PGEMBED_RESTORE, err, errlen);
}

/* <root>/PGEMBED_RESTORE_MARK into buf; -1 if it does not fit. */
static int
pgembed_mark_path(const struct pgembed *pg, char *buf, size_t len)
{
	return pgembed_path(buf, len, "%s/" PGEMBED_RESTORE_MARK, pg->root);
}

int
pgembed_restore_mark(const struct pgembed *pg, int on, char *err,
    size_t errlen)
{
	char path[PATH_MAX];
	int fd;

	if (pgembed_mark_path(pg, path, sizeof path) != 0)
		return errbuf_fail(err, errlen, "restore mark path too long");
	if (on) {
		static const char text[] = "A tafelctl restore into this data "
		    "directory began and has not ended (tafelctl removes this "
		    "file when it does).\n";

		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, text, sizeof text - 1) !=
		    (ssize_t)(sizeof text - 1) || fsync(fd) != 0) {
			errbuf_fail(err, errlen, "cannot write %s: %s", path,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	} else if (unlink(path) != 0 && errno != ENOENT)
		return errbuf_fail(err, errlen, "cannot remove %s: %s", path,
		    strerror(errno));
	return pgembed_sync_dir(pg->root, err, errlen);
}

/*
 * The major version of the server programs in pg->bindir ("15", "9.6"),
 * from `pg_ctl --version` ("pg_ctl (PostgreSQL) 15.8 (Debian ...)");
 * "" when it cannot be told.
 */
static void
pgembed_bindir_major(const struct pgembed *pg, char *buf, size_t len)
{
	char prog[PATH_MAX], out[256], *p, *dot;
	char *argv[] = { prog, "--version", NULL };
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if (pgembed_path(prog, sizeof prog, "%s/pg_ctl", pg->bindir) != 0 ||
	    (fd = memfd_create("pg_ctl-version", MFD_CLOEXEC)) < 0)
		return;
	if (pgembed_run(argv, "/", fd, -1, NULL, 0) == 0 &&
	    (n = pread(fd, out, sizeof out - 1, 0)) > 0) {
		out[n] = '\0';
		if ((p = strstr(out, "(PostgreSQL) ")) != NULL) {
			p += strlen("(PostgreSQL) ");
			p[strcspn(p, " \t\r\n")] = '\0';
			/* 10 and later: the major is the first number; 9.6.24:
			 * the first two */
			dot = strchr(p, '.');
			if (dot != NULL && atoi(p) >= 10)
				*dot = '\0';
			else if (dot != NULL && (dot = strchr(dot + 1, '.')) !=
			    NULL)
				*dot = '\0';
			snprintf(buf, len, "%s", p);
		}
	}
	close(fd);
}

/*
 * A cluster runs only under the PostgreSQL major version that made it
 * (its PG_VERSION).  When the programs found are another one (a newer
 * PostgreSQL installed beside it, the old one removed), those of the
 * cluster's version are used if they are installed; otherwise the start
 * is refused with what the administrator can do, instead of pg_ctl's
 * "database files are incompatible with server" in the log's tail.
 */
static int
pgembed_match_cluster(struct pgembed *pg, char *err, size_t errlen)
{
	char pgver[PATH_MAX], want[32], have[32], dir[PATH_MAX];

	if (pgembed_path(pgver, sizeof pgver, "%s/PG_VERSION",
	    pg->datadir) != 0)
		return 0;	/* (said by the caller) */
	pgembed_read_major(pgver, want, sizeof want);
	if (want[0] == '\0')
		return 0;	/* no cluster yet, or unreadable: said later */
	pgembed_bindir_major(pg, have, sizeof have);
	if (have[0] == '\0' || strcmp(want, have) == 0)
		return 0;
	if (strchr(want, '/') == NULL && strstr(want, "..") == NULL &&
	    pgembed_path(dir, sizeof dir, "%s/%s/bin", PGEMBED_PKGLIBDIR,
	    want) == 0 && pgembed_has_tools(dir)) {
		log_info("the PostgreSQL cluster in %s is of PostgreSQL %s: "
		    "using %s (not PostgreSQL %s in %s)", pg->datadir, want,
		    dir, have, pg->bindir);
		return pgembed_path(pg->bindir, sizeof pg->bindir, "%s", dir);
	}
	return errbuf_fail(err, errlen, "the PostgreSQL cluster in %s was "
	    "made by PostgreSQL %s, and the server programs found are "
	    "PostgreSQL %s (%s), which cannot run it. Install PostgreSQL "
	    "%s's server programs (e.g. the postgresql-%s package; tafeld "
	    "then uses them for this cluster), or upgrade the cluster to "
	    "PostgreSQL %s with pg_upgrade. Or start afresh: with tafeld "
	    "stopped, move the cluster aside (mv %s %s.pg%s) and start "
	    "again; a new, empty cluster is made, your data stays in "
	    "%s.pg%s, and your latest backup goes into the new one with "
	    "tafelctl restore (docs/admin.md)", pg->datadir, want, have, pg->bindir,
	    want, want, have, pg->datadir, pg->datadir, want, pg->datadir,
	    want);
}

static int
pgembed_start_as(struct pgembed *pg, const char *data_dir,
    enum pgembed_mode mode, char *err, size_t errlen)
{
	char user[256], pgver[PATH_MAX], mark[PATH_MAX];
	int lockfd = -1, logfd = -1, rc, auth_changed, tried = 0;
	int owner = mode == PGEMBED_OWNER;

	memset(pg, 0, sizeof *pg);
	pg->owner_fd = -1;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (geteuid() == 0)
		return errbuf_fail(err, errlen, "PostgreSQL cannot run as "
		    "root; drop privileges first (privdrop_prepare)");
	if (pgembed_user(user, sizeof user) != 0)
		return errbuf_fail(err, errlen, "cannot find the name of "
		    "uid %u", (unsigned)geteuid());
	if (pgembed_paths(pg, data_dir, err, errlen) != 0 ||
	    pgembed_find_bindir(pg, err, errlen) != 0 ||
	    pgembed_match_cluster(pg, err, errlen) != 0)
		return -1;
	if (pgembed_mkdir(pg->root, err, errlen) != 0 ||
	    pgembed_mkdir(pg->sockdir, err, errlen) != 0)
		return -1;
	if (owner && (pg->owner_fd = pgembed_owner_lock(pg, LOCK_EX, err,
	    errlen)) < 0)
		return -1;
	if ((lockfd = pgembed_lock(pg, err, errlen)) < 0)
		goto fail;
	if ((logfd = pgembed_open_log(pg, err, errlen)) < 0)
		goto fail;

	if (pgembed_path(pgver, sizeof pgver, "%s/PG_VERSION",
	    pg->datadir) != 0 || pgembed_mark_path(pg, mark,
	    sizeof mark) != 0) {
		errbuf_fail(err, errlen, "data directory path too long");
		goto fail;
	}
	/* a restore that was cut off: its database is empty (pg_restore
	 * runs in one transaction) or, killed just after the commit, whole;
	 * which one only a restore can tell, so nothing else runs on it */
	if (access(mark, F_OK) == 0) {
		if (mode != PGEMBED_RESTORE) {
			errbuf_fail(err, errlen, "the data directory holds an "
			    "incomplete restore (%s: a tafelctl restore was "
			    "interrupted): run tafelctl restore FILE into it "
			    "again, or move the data directory aside or remove "
			    "it", mark);
			goto fail;
		}
		log_warn("an earlier restore into %s did not finish (%s)",
		    data_dir, mark);
		pg->restore_unfinished = 1;
	}
	/* only a missing PG_VERSION means "no cluster yet": one that cannot
	 * be read (permissions) is a cluster to repair, not to initdb over;
	 * initdb works elsewhere, so a data directory is a whole cluster */
	if (access(pgver, F_OK) != 0 && errno != ENOENT) {
		errbuf_fail(err, errlen, "cannot read %s: %s (a cluster is "
		    "there but this user cannot reach it: check the owner and "
		    "mode of %s)", pgver, strerror(errno), pg->datadir);
		goto fail;
	}
	if (access(pgver, F_OK) != 0) {
		/* a restore marks a cluster it makes from the start: one cut
		 * off before pg_restore ran is no register to start on */
		if (mode == PGEMBED_RESTORE && !pg->restore_unfinished &&
		    pgembed_restore_mark(pg, 1, err, errlen) != 0)
			goto fail;
		if (pgembed_initdb(pg, user, logfd, lockfd, err, errlen) != 0)
			goto fail;
		pg->initialised = 1;
	} else {
		log_info("reusing PostgreSQL cluster in %s", pg->datadir);
		if (pgembed_clear_initdir(pg, err, errlen) != 0)
			goto fail;
	}
	if ((auth_changed = pgembed_auth_files(pg, user, err, errlen)) < 0)
		goto fail;

	if (owner)
		pgembed_clear_dead_locks(pg);
	rc = pgembed_status(pg, logfd, err, errlen);
	if (rc < 0)
		goto fail;
	if (rc == 0 && owner) {
		/* Left behind by a tafeld that ended without stopping it
		 * (kill -9, a crash), or started by a tafelctl command that
		 * still runs: ours now, stopped when we exit. */
		log_warn("PostgreSQL in %s is still running (left by an "
		    "earlier tafeld, or started by a tafelctl command); "
		    "adopting it (it is stopped when tafeld exits)",
		    pg->datadir);
		pg->started = 1;
		pg->adopted = 1;
	} else if (rc == 0 && pg->restore_unfinished &&
	    !pgembed_owner_active(pg)) {
		/* the postmaster of the restore that was cut off (no tafeld
		 * runs on a data directory with the restore mark) */
		log_warn("PostgreSQL in %s is still running from the "
		    "interrupted restore; it is stopped when this one ends",
		    pg->datadir);
		pg->started = 1;
	} else if (rc == 0)
		log_info("PostgreSQL already running in %s; using it",
		    pg->datadir);
	else {
		tried = 1;
		if (pgembed_pg_start(pg, logfd, err, errlen) != 0)
			goto fail;
		pg->started = 1;
		log_info("started PostgreSQL %s (socket in %s)", pg->bindir,
		    pg->sockdir);
	}

	if (pgembed_ensure_db(pg, user, rc == 0 && auth_changed, err,
	    errlen) != 0) {
		if (pg->started) {
			pgembed_broken_hint(pg, err, errlen);
			pgembed_log_tail(pg, err, errlen);
		}
		goto fail;
	}
	close(logfd);
	close(lockfd);
	return 0;

fail:
	/* no postmaster this call started outlives its failure */
	if ((pg->started || tried) && logfd >= 0)
		pgembed_stop_failed(pg, logfd, pg->started);
	pg->started = 0;
	if (logfd >= 0)
		close(logfd);
	if (lockfd >= 0)
		close(lockfd);
	if (pg->owner_fd >= 0)
		close(pg->owner_fd);
	pg->owner_fd = -1;
	return -1;
}

/* Appends " key=value" to a conninfo string, quoting the value if needed. */
static void
pgembed_conninfo_add(char *buf, size_t len, size_t *used, const char *key,
    const char *val)
{
	const char *p;
	int plain = (*val != '\0');
	int n;

	for (p = val; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("_-./", *p) == NULL)
			plain = 0;
	}
	n = snprintf(buf + *used, len - *used, "%s%s=%s", *used ? " " : "",
	    key, plain ? "" : "'");
	if (n < 0 || (size_t)n >= len - *used)
		fatalx("pgembed_conninfo: buffer of %zu too small", len);
	*used += (size_t)n;
	for (p = val; *p != '\0'; p++) {
		if (*used + 3 > len)
			fatalx("pgembed_conninfo: buffer of %zu too small", len);
		if (!plain && (*p == '\'' || *p == '\\'))
			buf[(*used)++] = '\\';
		buf[(*used)++] = *p;
	}
	if (!plain) {
		if (*used + 2 > len)
			fatalx("pgembed_conninfo: buffer of %zu too small", len);
		buf[(*used)++] = '\'';
	}
	buf[*used] = '\0';
}

void
pgembed_conninfo(const struct pgembed *pg, const char *dbname, char *buf,
    size_t len)
{
	char user[256];

	if (pgembed_user(user, sizeof user) != 0)
		fatalx("cannot find the name of uid %u", (unsigned)geteuid());
	pgembed_conninfo_as(pg, dbname, user, buf, len);
}

void
pgembed_conninfo_as(const struct pgembed *pg, const char *dbname,
    const char *role, char *buf, size_t len)
{
	char port[16];
	size_t used = 0;
	const char *user = role;

	if (len == 0)
		fatalx("pgembed_conninfo: empty buffer");
	buf[0] = '\0';
	snprintf(port, sizeof port, "%d", PGEMBED_PORT);
	pgembed_conninfo_add(buf, len, &used, "host", pg->sockdir);
	pgembed_conninfo_add(buf, len, &used, "port", port);
	pgembed_conninfo_add(buf, len, &used, "dbname", dbname);
	pgembed_conninfo_add(buf, len, &used, "user", user);
}

int
pgembed_stop(struct pgembed *pg, char *err, size_t errlen)
{
	int lockfd, logfd, rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (pg->restart_pid > 0)
		pgembed_restart_abort(pg);
	if (!pg->started)
		goto release;
	if (pgembed_owner_active(pg)) {
		/* A tafeld adopted it meanwhile: it stops it. */
		log_info("PostgreSQL in %s is in use by tafeld; left running",
		    pg->datadir);
		pg->started = 0;
		return 0;
	}
	if ((lockfd = pgembed_lock(pg, err, errlen)) < 0)
		return -1;
	if ((logfd = pgembed_open_log(pg, err, errlen)) < 0) {
		close(lockfd);
		return -1;
	}
	rc = pgembed_pg_stop(pg, logfd, err, errlen);
	if (rc == 0) {
		pg->started = 0;
		log_info("stopped PostgreSQL in %s", pg->datadir);
	}
	close(logfd);
	close(lockfd);
	if (rc != 0)
		return rc;
release:
	if (pg->owner_fd >= 0)
		close(pg->owner_fd);
	pg->owner_fd = -1;
	return 0;
}

/* --- watching the postmaster -------------------------------------------- */

/* The pid on the first line of a PostgreSQL lock file; 0 if none. */
static pid_t
pgembed_lockfile_pid(const char *path)
{
	char line[32];
	FILE *f;
	long v = 0;

	if ((f = fopen(path, "re")) == NULL)
		return 0;
	if (fgets(line, sizeof line, f) != NULL)
		v = strtol(line, NULL, 10);
	fclose(f);
	return v > 0 && v <= INT_MAX ? (pid_t)v : 0;
}

/* The postmaster's pid from postmaster.pid; 0 if there is none. */
static pid_t
pgembed_pidfile_pid(const struct pgembed *pg)
{
	char path[PATH_MAX];

	if (pgembed_path(path, sizeof path, "%s/postmaster.pid",
	    pg->datadir) != 0)
		return 0;
	return pgembed_lockfile_pid(path);
}

/*
 * Is pid a live postgres process?  /proc tells a zombie (a killed
 * postmaster nobody reaped yet) and a pid reused by another program apart;
 * without /proc, kill(pid, 0) has to do.
 */
static int
pgembed_pid_alive(pid_t pid)
{
	char path[64], buf[512], *close_paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return errno == ENOENT && access("/proc/self/stat", F_OK) == 0 ?
		    0 : (kill(pid, 0) == 0 || errno == EPERM);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((close_paren = strrchr(buf, ')')) == NULL ||
	    strncmp(buf + strcspn(buf, "("), "(postgres)", 10) != 0)
		return 0;
	return close_paren[1] == ' ' && close_paren[2] != 'Z' &&
	    close_paren[2] != 'X';
}

/*
 * A killed postmaster that nobody reaped yet is a zombie: kill(pid, 0)
 * still succeeds, so pg_ctl calls it running and a new postmaster refuses
 * to start ("lock file ... already exists").  It is dead: its lock files
 * go.  The same for a pid that now belongs to another program.
 */
static void
pgembed_clear_dead_locks(const struct pgembed *pg)
{
	char locks[2][PATH_MAX];
	pid_t old;
	int i;

	if (pgembed_path(locks[0], sizeof locks[0], "%s/postmaster.pid",
	    pg->datadir) != 0 || pgembed_path(locks[1], sizeof locks[1],
	    "%s/.s.PGSQL.%d.lock", pg->sockdir, PGEMBED_PORT) != 0)
		return;
	for (i = 0; i < 2; i++) {
		old = pgembed_lockfile_pid(locks[i]);
		if (old > 0 && !pgembed_pid_alive(old) && kill(old, 0) == 0 &&
		    unlink(locks[i]) == 0)
			log_warn("removed %s of dead postmaster %ld", locks[i],
			    (long)old);
	}
}

int
pgembed_alive(const struct pgembed *pg)
{
	pid_t pid = pgembed_pidfile_pid(pg);

	return pid > 0 && pgembed_pid_alive(pid);
}

int
pgembed_restart_begin(struct pgembed *pg, char *err, size_t errlen)
{
	struct pgembed_start_cmd cmd;
	int logfd;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (pg->restart_pid > 0)
		return errbuf_fail(err, errlen, "a restart is running");
	if (pgembed_start_cmd(pg, &cmd, err, errlen) != 0 ||
	    (logfd = pgembed_open_log(pg, err, errlen)) < 0)
		return -1;
	pgembed_clear_dead_locks(pg);
	pg->restart_pid = pgembed_spawn(cmd.argv, pg->root, logfd, -1, err,
	    errlen);
	close(logfd);
	if (pg->restart_pid < 0) {
		pg->restart_pid = 0;
		return -1;
	}
	return 0;
}

int
pgembed_restart_poll(struct pgembed *pg, char *err, size_t errlen)
{
	pid_t r;
	int st, rc;

	if (pg->restart_pid <= 0)
		return errbuf_fail(err, errlen, "no restart is running");
	r = waitpid(pg->restart_pid, &st, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR))
		return 1;
	pg->restart_pid = 0;
	if (r < 0)
		return errbuf_fail(err, errlen, "waitpid(pg_ctl): %s",
		    strerror(errno));
	rc = pgembed_exit_status("pg_ctl", pg->root, st, err, errlen);
	if (rc > 0) {
		errbuf_fail(err, errlen, "could not start PostgreSQL in %s "
		    "(pg_ctl exit %d)", pg->datadir, rc);
		pgembed_log_tail(pg, err, errlen);
		return -1;
	}
	if (rc == 0)
		pg->started = 1;
	return rc;
}

void
pgembed_restart_abort(struct pgembed *pg)
{
	if (pg->restart_pid <= 0)
		return;
	kill(pg->restart_pid, SIGTERM);
	while (waitpid(pg->restart_pid, NULL, 0) < 0 && errno == EINTR)
		;
	pg->restart_pid = 0;
}

int
pgembed_tools_dir(char *buf, size_t len, char *err, size_t errlen)
{
	static struct pgembed pg;	/* 20 kB: not on the stack */

	if (pgembed_find_bindir(&pg, err, errlen) != 0)
		return -1;
	return pgembed_path(buf, len, "%s", pg.bindir);
}
