/* systemd integration through libsystemd: READY once the database and listener serve, WATCHDOG, RELOADING, STOPPING. */
#ifndef TAFEL_SDNOTIFY_H
#define TAFEL_SDNOTIFY_H

/*
 * First thing in main(): takes NOTIFY_SOCKET and WATCHDOG_USEC out of the
 * environment (the embedded PostgreSQL must not see them).
 */
void sdnotify_init(void);

/*
 * On the loop, after the listener started: sends READY=1 once the
 * database pool and its LISTEN connection are up (migrations ran before
 * the loop); pings WATCHDOG=1 at half of WatchdogSec while the loop runs.
 */
void sdnotify_start(void);
void sdnotify_reloading(void);
void sdnotify_reloaded(void);
void sdnotify_stopping(void);
void sdnotify_free(void);

#endif
