/* tafeld after start-up: signals (reload, log reopen, graceful stop), the stopping notice and the drain. */
#ifndef TAFEL_LIFECYCLE_H
#define TAFEL_LIFECYCLE_H

#include <stddef.h>

/*
 * Installs the signal events: SIGHUP reloads (server_reload), SIGUSR1
 * reopens log_file, SIGTERM and SIGINT stop gracefully.  on_stop (may be
 * NULL) runs once when the stop begins (e.g. to tell systemd).
 */
void lifecycle_start(void (*on_stop)(void));
void lifecycle_free(void);

/*
 * The graceful stop: no new connections, every client gets a
 * ServerStopping notice, requests already running finish (at most
 * shutdown_timeout), then every connection is closed cleanly and the
 * loop ends.  Called again while requests are still awaited (a second
 * SIGTERM), it stops waiting for them.
 */
void lifecycle_stop(const char *why);

/* Opens log_file (when set) onto standard error; 0 or -1 with err. */
int lifecycle_open_log(char *err, size_t errlen);

/*
 * A reload's change of log_file in two steps, so that a file that cannot
 * be opened leaves the log where it was.  lifecycle_log_open: a
 * descriptor for path, or for the standard error tafeld started with when
 * path is empty; -1 with err.  lifecycle_log_use: the log (standard
 * error) goes to fd from now on; takes fd; 0 or -1 with err.
 */
int lifecycle_log_open(const char *path, char *err, size_t errlen);
int lifecycle_log_use(int fd, char *err, size_t errlen);

#endif
