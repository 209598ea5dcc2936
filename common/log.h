/* Logging and fatal errors: one line per message to stderr, with a level tag. */
#ifndef TAFEL_LOG_H
#define TAFEL_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level {
	LOG_LVL_DEBUG,	/* chatty detail, off unless --verbose */
	LOG_LVL_INFO,	/* normal operation: start, stop, connections */
	LOG_LVL_WARN,	/* something a peer or the database did wrong */
	LOG_LVL_ERROR	/* something we could not do */
};

void log_set_level(enum log_level lvl);
void log_set_prefix(const char *prefix);	/* e.g. "tafeld"; not copied */
/*
 * When standard error is a pipe or a socket (the journal, a piped logger),
 * log without ever waiting for its reader: a line that does not fit now is
 * dropped, and the next one that does says how many were (a server must
 * not stop serving because its log reader stalled).  Called again after
 * standard error changed.
 */
void log_set_nonblocking(void);
enum log_level log_get_level(void);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last LOG_RECENT_MAX warnings and errors (kept whatever the level). */
#define LOG_RECENT_MAX 20
struct log_recent {
	long long at;		/* Unix seconds */
	enum log_level level;
	char text[1024];	/* cut longer ones end in "…" */
};
/* Copies up to max of them into out, oldest first; returns how many. */
size_t log_recent_get(struct log_recent *out, size_t max);

/*
 * For functions that report failure through a caller's buffer: formats
 * the message into err (when err is not NULL) and returns -1.
 */
int errbuf_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Start-up, allocation and programmer errors only: logs and exits(1).
 * fatal() appends strerror(errno); fatalx() does not. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
