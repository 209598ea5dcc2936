/* Logging and fatal errors: one line per message to stderr, with a level tag. */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static enum log_level log_level = LOG_LVL_INFO;
static const char *log_prefix = "tafel";

void
log_set_level(enum log_level lvl)
{
	log_level = lvl;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_set_prefix(const char *prefix)
{
	log_prefix = prefix;
}

/* Writes one line: "2026-11-29T10:00:00Z tafeld WARN: text". */
static void __attribute__((format(printf, 2, 0)))
log_vwrite(enum log_level lvl, const char *fmt, va_list ap, const char *suffix)
{
	static const char *const names[] = { "DEBUG", "INFO", "WARN", "ERROR" };
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	if (lvl < log_level)
		return;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	flockfile(stderr);
	fprintf(stderr, "%s %s %s: ", ts, log_prefix, names[lvl]);
	vfprintf(stderr, fmt, ap);
	if (suffix != NULL)
		fprintf(stderr, ": %s", suffix);
	fputc('\n', stderr);
	funlockfile(stderr);
}

#define LOG_FN(name, lvl)                        \
	void name(const char *fmt, ...)          \
	{                                        \
		va_list ap;                      \
		va_start(ap, fmt);               \
		log_vwrite(lvl, fmt, ap, NULL);  \
		va_end(ap);                      \
	}

LOG_FN(log_debug, LOG_LVL_DEBUG)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_warn, LOG_LVL_WARN)
LOG_FN(log_error, LOG_LVL_ERROR)

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERROR, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LVL_ERROR, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

int
errbuf_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}
