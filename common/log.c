/* Logging and fatal errors: one line per message to stderr, with a level tag; quoted lines indented. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

/* One message at most (longer ones are cut). */
#define LOG_LINE_MAX 4096

static enum log_level log_level = LOG_LVL_INFO;
static const char *log_prefix = "tafel";

/* The most recent warnings and errors, for `tafelctl status`. */
static struct {
	pthread_mutex_t lock;
	struct log_recent ring[LOG_RECENT_MAX];
	size_t next, count;
} recent = { .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * Control characters of the text become '?': messages quote what peers
 * sent (a Hello's software name, addresses, database errors), and a line
 * feed or an escape sequence in it must neither forge log lines nor drive
 * the administrator's terminal (a tab becomes a space).  With keep_lf a
 * line feed stays (the caller indents what follows it, so that it cannot
 * pass for a line of its own).
 */
static void
log_defang(char *text, int keep_lf)
{
	for (; *text != '\0'; text++)
		if (*text == '\t')
			*text = ' ';
		else if (((unsigned char)*text < 0x20 &&
		    !(keep_lf && *text == '\n')) || *text == 0x7f)
			*text = '?';
}

static void __attribute__((format(printf, 3, 0)))
recent_add(enum log_level lvl, time_t at, const char *fmt, va_list ap,
    const char *suffix)
{
	struct log_recent *e;
	size_t n;
	int cut;

	pthread_mutex_lock(&recent.lock);
	e = &recent.ring[recent.next];
	e->at = at;
	e->level = lvl;
	cut = vsnprintf(e->text, sizeof e->text, fmt, ap) >=
	    (int)sizeof e->text;
	n = strlen(e->text);
	if (suffix != NULL && !cut)
		cut = snprintf(e->text + n, sizeof e->text - n, ": %s",
		    suffix) >= (int)(sizeof e->text - n);
	if (cut) {
		/* an ellipsis in place of the last whole characters, so that
		 * tafelctl status shows the message was longer */
		n = sizeof e->text - 4;
		while (n > 0 && ((unsigned char)e->text[n] & 0xc0) == 0x80)
			n--;
		memcpy(e->text + n, "\xe2\x80\xa6", 4);	/* "…" and NUL */
	}
	/* its lines kept: tafelctl status indents them under the first */
	log_defang(e->text, 1);
	recent.next = (recent.next + 1) % LOG_RECENT_MAX;
	if (recent.count < LOG_RECENT_MAX)
		recent.count++;
	pthread_mutex_unlock(&recent.lock);
}

size_t
log_recent_get(struct log_recent *out, size_t max)
{
	size_t i, n, first;

	pthread_mutex_lock(&recent.lock);
	n = recent.count < max ? recent.count : max;
	first = (recent.next + LOG_RECENT_MAX - n) % LOG_RECENT_MAX;
	for (i = 0; i < n; i++)
		out[i] = recent.ring[(first + i) % LOG_RECENT_MAX];
	pthread_mutex_unlock(&recent.lock);
	return n;
}

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

/* log_set_nonblocking: standard error is a pipe or socket never waited on. */
static int log_nonblock;
static unsigned long log_dropped;	/* lines lost since the last note */

void
log_set_nonblocking(void)
{
	struct stat st;
	int fl;

	log_nonblock = 0;
	if (fstat(STDERR_FILENO, &st) != 0 ||
	    (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode)))
		return;
	if ((fl = fcntl(STDERR_FILENO, F_GETFL)) < 0 ||
	    fcntl(STDERR_FILENO, F_SETFL, fl | O_NONBLOCK) < 0)
		return;
	log_nonblock = 1;
}

/*
 * Writes one formatted message without waiting: all of it or, when the
 * reader has no room, none (a pipe takes up to PIPE_BUF bytes whole), and
 * says how many were lost once there is room again.
 */
static void
log_put_nonblocking(const char *ts, const char *out, size_t len)
{
	char note[160];
	int n;

	if (log_dropped > 0) {
		n = snprintf(note, sizeof note, "%s %s WARN: %lu log line(s) "
		    "dropped: the log's reader did not keep up\n", ts,
		    log_prefix, log_dropped);
		if (write(STDERR_FILENO, note, (size_t)n) != n) {
			log_dropped++;
			return;
		}
		log_dropped = 0;
	}
	if (write(STDERR_FILENO, out, len) != (ssize_t)len)
		log_dropped++;
}

/* Writes one line: "2026-11-29T10:00:00Z tafeld WARN: text". */
static void __attribute__((format(printf, 2, 0)))
log_vwrite(enum log_level lvl, const char *fmt, va_list ap, const char *suffix)
{
	static const char *const names[] = { "DEBUG", "INFO", "WARN", "ERROR" };
	char ts[32], text[LOG_LINE_MAX], *line, *save = NULL;
	time_t now = time(NULL);
	struct tm tm;
	size_t n;

	if (lvl >= LOG_LVL_WARN) {
		va_list copy;

		va_copy(copy, ap);
		recent_add(lvl, now, fmt, copy, suffix);
		va_end(copy);
	}
	if (lvl < log_level)
		return;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(text, sizeof text, fmt, ap);
	n = strlen(text);
	if (suffix != NULL && n < sizeof text)
		snprintf(text + n, sizeof text - n, ": %s", suffix);
	log_defang(text, 1);
	/* A multi-line message (a log tail quoted in an error): the lines
	 * after the first are indented, never a line with a header of its own. */
	line = strtok_r(text, "\n", &save);
	flockfile(stderr);
	if (log_nonblock) {
		char out[LOG_LINE_MAX + 256];
		size_t len;

		len = (size_t)snprintf(out, sizeof out, "%s %s %s: %s\n", ts,
		    log_prefix, names[lvl], line != NULL ? line : "");
		while (len < sizeof out &&
		    (line = strtok_r(NULL, "\n", &save)) != NULL)
			len += (size_t)snprintf(out + len, sizeof out - len,
			    "    %s\n", line);
		if (len >= sizeof out) {	/* cut: still one whole line */
			len = sizeof out - 1;
			out[len - 1] = '\n';
		}
		log_put_nonblocking(ts, out, len);
	} else {
		fprintf(stderr, "%s %s %s: %s\n", ts, log_prefix, names[lvl],
		    line != NULL ? line : "");
		while ((line = strtok_r(NULL, "\n", &save)) != NULL)
			fprintf(stderr, "    %s\n", line);
	}
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
