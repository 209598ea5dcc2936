/* Unit: log lines quote peers safely: control characters shown as '?', a quoted multi-line text indented under its message; the copy kept for status ends in "…" when cut; a stalled reader of standard error never blocks logging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>

#include "log.h"

/* Runs fn with standard error going to a temporary file; returns what it wrote. */
static char *
capture(void (*fn)(void))
{
	static char out[8192];
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	assert_int_equal(dup2(fileno(tmp), 2), 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof out - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void
log_tail(void)
{
	log_error("could not start PostgreSQL%s",
	    "\n--- last lines ---\nFATAL:\tno space\n2026-12-02T01:00:00Z tafeld "
	    "INFO: forged\x1b[2J");
}

/*
 * A message quoting a log tail: its first line carries the header, every
 * later line is indented (so none can pass for a line of its own), a tab
 * becomes a space, an escape byte '?'.  The copy kept for `tafelctl
 * status` keeps its lines (status indents them), with the same '?'.
 */
static void
test_multiline_indented(void **state)
{
	const char *out;
	struct log_recent r[LOG_RECENT_MAX];
	size_t n;

	(void)state;
	log_set_prefix("tafeld");
	out = capture(log_tail);
	assert_non_null(strstr(out, " tafeld ERROR: could not start "
	    "PostgreSQL\n    --- last lines ---\n    FATAL: no space\n    "
	    "2026-12-02T01:00:00Z tafeld INFO: forged?[2J\n"));
	assert_null(strchr(out, '\x1b'));
	n = log_recent_get(r, LOG_RECENT_MAX);
	assert_true(n >= 1);
	assert_non_null(strstr(r[n - 1].text, "PostgreSQL\n--- last lines ---\n"
	    "FATAL: no space\n"));
	assert_non_null(strstr(r[n - 1].text, "forged?[2J"));
	assert_null(strchr(r[n - 1].text, '\x1b'));
}

static void
log_plain(void)
{
	log_warn("one line");
}

static void
test_single_line(void **state)
{
	const char *out;

	(void)state;
	log_set_prefix("tafeld");
	out = capture(log_plain);
	assert_non_null(strstr(out, " tafeld WARN: one line\n"));
	assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out));
}

static void
log_long(void)
{
	char word[2000];
	size_t i;

	/* 'é' (two bytes) after an odd first byte: the cut falls inside one */
	word[0] = 'x';
	for (i = 1; i + 2 < sizeof word; i += 2)
		memcpy(word + i, "\xc3\xa9", 2);
	word[i] = '\0';
	log_warn("a long warning %s", word);
	log_warn("short, with its instruction at the end: restart tafeld");
}

/*
 * status shows the recent warnings whole up to 1 KiB (the instruction at
 * the end of a long one was lost at 240 bytes); a longer one ends in "…",
 * cut at a whole character.
 */
static void
test_recent_long(void **state)
{
	struct log_recent r[LOG_RECENT_MAX];
	size_t n, len;

	(void)state;
	log_set_prefix("tafeld");
	(void)capture(log_long);
	n = log_recent_get(r, LOG_RECENT_MAX);
	assert_true(n >= 2);
	len = strlen(r[n - 2].text);
	assert_true(len > 1000 && len < sizeof r[n - 2].text);
	assert_string_equal(r[n - 2].text + len - 3, "\xe2\x80\xa6");
	/* the character before the ellipsis is whole */
	assert_memory_equal(r[n - 2].text + len - 5, "\xc3\xa9", 2);
	assert_string_equal(r[n - 1].text,
	    "short, with its instruction at the end: restart tafeld");
}

/*
 * Standard error a pipe nobody reads (a stalled journal or logger): with
 * log_set_nonblocking a burst of lines never blocks; what did not fit is
 * dropped, whole lines only, and the first line written once there is
 * room says how many were lost.
 */
static void
test_stalled_reader(void **state)
{
	static char buf[1 << 17];
	int fds[2], saved = dup(2), i;
	ssize_t n;
	char *note, *end;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	assert_int_equal(dup2(fds[1], 2), 2);
	log_set_nonblocking();
	for (i = 0; i < 5000; i++)	/* ~400 KB: the pipe holds 64 KB */
		log_warn("conn %d (127.0.0.1): a line from a flood of them", i);
	/* room again: the next line first says what was lost */
	assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	while ((n = read(fds[0], buf, sizeof buf - 1)) > 0)
		;
	log_warn("after the flood");
	n = read(fds[0], buf, sizeof buf - 1);
	dup2(saved, 2);
	close(saved);
	log_set_nonblocking();		/* stderr again */
	assert_true(n > 0);
	buf[n] = '\0';
	note = strstr(buf, "log line(s) dropped: the log's reader did not "
	    "keep up");
	assert_non_null(note);
	assert_true(strtoul(strstr(buf, "WARN: ") + 6, &end, 10) > 1000);
	assert_non_null(strstr(buf, "after the flood\n"));
	close(fds[0]);
	close(fds[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multiline_indented),
		cmocka_unit_test(test_single_line),
		cmocka_unit_test(test_recent_long),
		cmocka_unit_test(test_stalled_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
