/* tafeld after start-up: signals (reload, log reopen, graceful stop), the stopping notice and the drain. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "admin.h"
#include "conn.h"
#include "db.h"
#include "lifecycle.h"
#include "log.h"
#include "maint.h"
#include "pgwatch.h"
#include "push.h"
#include "sdnotify.h"
#include "server.h"
#include "tafel.pb-c.h"

/* How often the drain looks whether the requests in flight are done. */
#define DRAIN_POLL_MS 20
/* After the connections were closed: how long their flush and linger may take. */
#define CLOSE_GRACE_MS 4500

/*
 * The stop, a small state machine: RUNNING → DRAINING (notice sent, no new
 * connections, requests in flight finish) → CLOSING (connections flush and
 * close) → the loop ends.
 */
enum stop_phase { STOP_RUNNING, STOP_DRAINING, STOP_CLOSING };

static struct {
	enum stop_phase phase;
	struct event *timer;
	long long deadline;		/* now_ms() at which the phase ends */
	struct event *sigs[4];
	void (*hook)(void);		/* lifecycle_on_stop() */
} lc;

static const int lc_signums[4] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The standard error tafeld started with, kept once the log left it. */
static int orig_stderr = -1;

int
lifecycle_log_open(const char *path, char *err, size_t errlen)
{
	int fd;

	if (path == NULL || path[0] == '\0') {
		fd = fcntl(orig_stderr >= 0 ? orig_stderr : STDERR_FILENO,
		    F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return errbuf_fail(err, errlen, "standard error: %s",
			    strerror(errno));
		return fd;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0 && errno == EACCES) {
		struct passwd *pw = getpwuid(geteuid());

		return errbuf_fail(err, errlen, "log_file %s: %s: tafeld opens "
		    "it as user %s, who needs write access to the file or its "
		    "directory (or choose another log_file)", path,
		    strerror(EACCES), pw != NULL ? pw->pw_name : "(unknown)");
	}
	if (fd < 0 && errno == EROFS)
		return errbuf_fail(err, errlen, "log_file %s: %s: under the "
		    "tafel.service unit only /var/lib/tafel and /var/log/tafel "
		    "(LogsDirectory) are writable; put log_file in /var/log/tafel",
		    path, strerror(EROFS));
	if (fd < 0 && errno == ENOENT) {
		struct passwd *pw = getpwuid(geteuid());

		return errbuf_fail(err, errlen, "log_file %s: %s: its directory "
		    "does not exist; create it, writable for user %s (or choose "
		    "another log_file)", path, strerror(ENOENT), pw != NULL ?
		    pw->pw_name : "(unknown)");
	}
	if (fd < 0)
		return errbuf_fail(err, errlen, "log_file %s: %s", path,
		    strerror(errno));
	return fd;
}

int
lifecycle_log_use(int fd, char *err, size_t errlen)
{
	int e;

	if (orig_stderr < 0 &&
	    (orig_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3)) < 0) {
		e = errno;
		close(fd);
		return errbuf_fail(err, errlen, "keeping standard error: %s",
		    strerror(e));
	}
	if (fd == STDERR_FILENO)
		return 0;
	if (dup2(fd, STDERR_FILENO) < 0) {
		e = errno;
		close(fd);
		return errbuf_fail(err, errlen, "dup2: %s", strerror(e));
	}
	close(fd);
	return 0;
}

int
lifecycle_open_log(char *err, size_t errlen)
{
	int fd, rc;

	if (srv.cfg.log_file == NULL || srv.cfg.log_file[0] == '\0') {
		log_set_nonblocking();	/* the journal's socket, a pipe */
		return 0;
	}
	if ((fd = lifecycle_log_open(srv.cfg.log_file, err, errlen)) < 0)
		return -1;
	rc = lifecycle_log_use(fd, err, errlen);
	log_set_nonblocking();
	return rc;
}

/* Ends the loop: what is left of the connections, then the database. */
static void
stop_finish(void)
{
	event_del(lc.timer);
	conn_close_all();
	push_stop();
	maint_stop();
	pgwatch_stop();
	db_stop();
	event_base_loopexit(srv.base, &(struct timeval){ 0, 200000 });
}

/* Closes every connection gracefully (flush, close_notify, FIN). */
static void
stop_close_conns(void)
{
	struct conn *c, *next;

	TAILQ_FOREACH_SAFE(c, &srv.conns, entry, next)
		if (c->state < CONN_CLOSING)
			conn_close(c, 0, NULL);
	lc.phase = STOP_CLOSING;
	lc.deadline = mono_ms() + CLOSE_GRACE_MS;
}

static void
stop_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_stats st;
	long long now = mono_ms();

	(void)fd;
	(void)what;
	(void)arg;
	if (lc.phase == STOP_DRAINING) {
		db_get_stats(&st);
		if (st.busy + st.queued > 0 && now < lc.deadline)
			goto again;
		if (st.busy + st.queued > 0)
			log_warn("shutdown: %d request(s) still running after "
			    "shutdown_timeout; closing anyway",
			    st.busy + st.queued);
		else
			log_info("shutdown: requests in flight done; closing "
			    "%u connection(s)", srv.n_conns);
		stop_close_conns();
	}
	if (srv.n_conns > 0 && now < lc.deadline)
		goto again;
	stop_finish();
	return;
again:
	event_add(lc.timer, &(struct timeval){ 0, DRAIN_POLL_MS * 1000 });
}

/* Tells one connection the server is stopping (no-op before its Hello went out). */
static void
send_stopping(struct conn *c)
{
	Tafel__Envelope env = TAFEL__ENVELOPE__INIT;
	Tafel__ServerStopping body = TAFEL__SERVER_STOPPING__INIT;

	if (c->state != CONN_HELLO && c->state != CONN_LOGIN &&
	    c->state != CONN_READY)
		return;
	body.message = (char *)"the server is stopping";
	body.drain_ms = (uint32_t)srv.cfg.shutdown_timeout;
	env.body_case = TAFEL__ENVELOPE__BODY_STOPPING;
	env.stopping = &body;
	conn_send(c, &env);
}

void
lifecycle_stop(const char *why)
{
	struct conn *c, *next;

	if (srv.shutting_down) {
		/* a second signal: no more waiting for requests in flight */
		if (lc.phase == STOP_DRAINING && lc.deadline > mono_ms()) {
			log_info("%s again: closing the connections now", why);
			lc.deadline = mono_ms();
		}
		return;
	}
	srv.shutting_down = 1;
	log_info("%s: stopping; telling %u connection(s)", why, srv.n_conns);
	if (lc.hook != NULL)
		lc.hook();
	listener_stop();
	admin_stop();
	TAILQ_FOREACH_SAFE(c, &srv.conns, entry, next)
		send_stopping(c);
	lc.phase = STOP_DRAINING;
	lc.deadline = mono_ms() + srv.cfg.shutdown_timeout;
	event_add(lc.timer, &(struct timeval){ 0, DRAIN_POLL_MS * 1000 });
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	char err[512];

	(void)what;
	(void)arg;
	switch (sig) {
	case SIGHUP:
		log_info("SIGHUP: reloading %s", srv.config_path ?
		    srv.config_path : "(no config file)");
		sdnotify_reloading();
		server_reload();
		sdnotify_reloaded();
		break;
	case SIGUSR1:
		if (srv.cfg.log_file[0] == '\0') {
			log_info("SIGUSR1: no log_file set; logging to "
			    "standard error");
			break;
		}
		if (lifecycle_open_log(err, sizeof err) != 0)
			log_error("SIGUSR1: %s", err);
		else
			log_info("SIGUSR1: log file %s reopened",
			    srv.cfg.log_file);
		break;
	default:
		lifecycle_stop(sig == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
}

void
lifecycle_start(void (*on_stop)(void))
{
	size_t i;

	lc.hook = on_stop;
	lc.timer = evtimer_new(srv.base, stop_timer_cb, NULL);
	for (i = 0; i < sizeof lc.sigs / sizeof lc.sigs[0]; i++) {
		lc.sigs[i] = evsignal_new(srv.base, lc_signums[i], on_signal,
		    NULL);
		event_add(lc.sigs[i], NULL);
	}
}

void
lifecycle_free(void)
{
	size_t i;

	/*
	 * The loop has ended; what is left (joining workers, stopping the
	 * embedded PostgreSQL) must not be cut short by a late SIGTERM, which
	 * would leave the cluster running.
	 */
	for (i = 0; i < sizeof lc.sigs / sizeof lc.sigs[0]; i++) {
		if (lc.sigs[i] != NULL)
			event_free(lc.sigs[i]);
		lc.sigs[i] = NULL;
		signal(lc_signums[i], SIG_IGN);
	}
	if (lc.timer != NULL)
		event_free(lc.timer);
	lc.timer = NULL;
}
