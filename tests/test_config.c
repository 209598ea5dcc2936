/* Unit tests of the table-driven configuration: defaults, parsing, ranges, files, reload rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

struct cfg {
	char *name;
	long long count;
	int flag;
	long long wait;
	char *mode;
};

#define F(x) offsetof(struct cfg, x)
static const struct conf_param params[] = {
	{ "name", CONF_STRING, F(name), 0, "tafel", 0, 0, "a name" },
	{ "count", CONF_INT, F(count), 1, "4", 1, 10, "a count" },
	{ "flag", CONF_BOOL, F(flag), 1, "no", 0, 0, "a flag" },
	{ "wait", CONF_DURATION, F(wait), 1, "10s", 100, 3600000, "a wait" },
	{ "mode", CONF_ENUM, F(mode), 1, "info|debug|warn|error", 0, 0,
	  "a word" },
	{ NULL, 0, 0, 0, "tafeld", 0, 0, NULL }	/* [tafeld] */
};

static void
test_defaults_and_set(void **state)
{
	struct cfg c;
	char err[256];

	(void)state;
	conf_defaults(params, &c);
	assert_string_equal(c.name, "tafel");
	assert_int_equal(c.count, 4);
	assert_int_equal(c.flag, 0);
	assert_int_equal(c.wait, 10000);
	assert_int_equal(conf_set(params, &c, "wait", "250ms", err, sizeof err), 0);
	assert_int_equal(c.wait, 250);
	assert_int_equal(conf_set(params, &c, "flag", "On", err, sizeof err), 0);
	assert_int_equal(c.flag, 1);
	assert_int_equal(conf_set(params, &c, "count", "11", err, sizeof err), -1);
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(c.count, 4);		/* unchanged */
	assert_int_equal(conf_set(params, &c, "count", "3x", err, sizeof err), -1);
	assert_int_equal(conf_set(params, &c, "wait", "2h", err, sizeof err), -1);
	assert_non_null(strstr(err, "out of range"));	/* max is 1 h */
	assert_int_equal(conf_set(params, &c, "wait", "50ms", err, sizeof err),
	    -1);					/* min is 100 ms */
	assert_int_equal(conf_set(params, &c, "nope", "1", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown setting"));
	conf_free(params, &c);
}

/* A CONF_ENUM takes one of its words (any case, stored as listed), nothing else. */
static void
test_enum(void **state)
{
	struct cfg c, d;
	char err[256];

	(void)state;
	conf_defaults(params, &c);
	assert_string_equal(c.mode, "info");		/* the first word */
	assert_int_equal(conf_set(params, &c, "mode", "warn", err, sizeof err),
	    0);
	assert_string_equal(c.mode, "warn");
	assert_int_equal(conf_set(params, &c, "mode", "DEBUG", err, sizeof err),
	    0);
	assert_string_equal(c.mode, "debug");
	assert_int_equal(conf_set(params, &c, "mode", "verbose", err,
	    sizeof err), -1);
	assert_string_equal(err, "mode: expected one of info, debug, warn or "
	    "error, got \"verbose\"");
	assert_string_equal(c.mode, "debug");		/* unchanged */
	assert_int_equal(conf_set(params, &c, "mode", "", err, sizeof err), -1);
	assert_int_equal(conf_set(params, &c, "mode", "info|debug", err,
	    sizeof err), -1);
	assert_int_equal(conf_set(params, &c, "mode", "inf", err, sizeof err),
	    -1);
	/* reload logic */
	conf_defaults(params, &d);
	assert_true(conf_differs(conf_find(params, "mode"), &c, &d));
	conf_copy(conf_find(params, "mode"), &d, &c);
	assert_string_equal(d.mode, "debug");
	conf_free(params, &d);
	conf_free(params, &c);
	assert_null(c.mode);
}

static void
test_durations(void **state)
{
	(void)state;
	assert_int_equal(conf_parse_duration("7d"), 7LL * 86400000);
	assert_int_equal(conf_parse_duration("2h"), 7200000);
	assert_int_equal(conf_parse_duration("5m"), 300000);
	assert_int_equal(conf_parse_duration("3"), 3000);
	assert_int_equal(conf_parse_duration("-1s"), -1);
	assert_int_equal(conf_parse_duration("1w"), -1);
	assert_int_equal(conf_parse_duration(""), -1);
}

static void
test_file(void **state)
{
	struct cfg c, d;
	char path[] = "/tmp/tafel-conf-XXXXXX", err[512], want[600];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	(void)state;
	fputs("# comment\n[tafeld]\nname = Veiligheidshuis\ncount=7\n", f);
	fclose(f);
	conf_defaults(params, &c);
	assert_int_equal(conf_load_file(params, &c, path, 0, err, sizeof err), 0);
	assert_string_equal(c.name, "Veiligheidshuis");
	assert_int_equal(c.count, 7);
	/* Reload logic: differs / copy per parameter. */
	conf_defaults(params, &d);
	assert_true(conf_differs(conf_find(params, "count"), &c, &d));
	assert_false(conf_differs(conf_find(params, "wait"), &c, &d));
	conf_copy(conf_find(params, "count"), &d, &c);
	assert_int_equal(d.count, 7);
	conf_free(params, &d);

	f = fopen(path, "w");
	fputs("count = 99\n", f);
	fclose(f);
	assert_int_equal(conf_load_file(params, &c, path, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "count"));
	/* the line of a bad value */
	f = fopen(path, "w");
	fputs("name = x\n\ncount = 99\n", f);
	fclose(f);
	assert_int_equal(conf_load_file(params, &c, path, 0, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:3: count: out of range (1..10)", path);
	assert_non_null(strstr(err, want));
	unlink(path);
	assert_int_equal(conf_load_file(params, &c, path, 1, err, sizeof err), 0);
	assert_int_equal(conf_load_file(params, &c, path, 0, err, sizeof err), -1);
	/* a directory given as the file: refused, also when it may be missing */
	assert_int_equal(conf_load_file(params, &c, "/tmp", 1, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "/tmp: is a directory"));
	conf_free(params, &c);
}

/* Loads text as a config file; conf_load_file's result, its message in err. */
static int
load_text(struct cfg *c, const char *text, char *path, char *err, size_t len)
{
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	int r;

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	r = conf_load_file(params, c, path, 0, err, len);
	unlink(path);
	return r;
}

/*
 * A key given twice is an error naming both lines (at start-up and on
 * reload alike: one rule, no "last one wins"); so is an indented line, which
 * inih reads as a second value of the key above it.
 */
static void
test_duplicate_key(void **state)
{
	struct cfg c;
	char path[] = "/tmp/tafel-conf-XXXXXX", err[512], want[600];

	(void)state;
	conf_defaults(params, &c);
	assert_int_equal(load_text(&c, "count = 3\nflag = yes\n\n# again\n"
	    "count = 4\n", path, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:5: \"count\" is given twice (lines 1 "
	    "and 5); remove one of them", path);
	assert_string_equal(err, want);
	conf_free(params, &c);

	conf_defaults(params, &c);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	assert_int_equal(load_text(&c, "[tafeld]\nname = a\n  wait = 5s\n",
	    path, err, sizeof err), -1);
	assert_non_null(strstr(err, ":3: \"name\" is given twice (lines 2 and "
	    "3); this line is indented"));
	conf_free(params, &c);

	/* the same key after the header given again: still twice */
	conf_defaults(params, &c);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	assert_int_equal(load_text(&c, "[tafeld]\nwait = 1s\n[tafeld]\n"
	    "wait = 2s\n", path, err, sizeof err), -1);
	assert_non_null(strstr(err, "(lines 2 and 4)"));
	conf_free(params, &c);

	/* lines are the file's, also after one longer than inih's buffer */
	conf_defaults(params, &c);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	assert_int_equal(load_text(&c, "# "
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "\ncount = 3\nwait = 1s\ncount = 4\n", path, err, sizeof err), -1);
	assert_non_null(strstr(err, "(lines 2 and 4)"));
	conf_free(params, &c);
	/* a setting longer than the reader takes is named, not split into an
	 * "unknown setting" made of its tail */
	conf_defaults(params, &c);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	assert_int_equal(load_text(&c, "count = 3\nname = "
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "\nwait = 1s\n", path, err, sizeof err), -1);
	assert_non_null(strstr(err, ":2: the line is longer than"));
	assert_non_null(strstr(err, "service=tafel"));
	conf_free(params, &c);
	/* once each is fine */
	conf_defaults(params, &c);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	assert_int_equal(load_text(&c, "count = 3\nwait = 1s\nname = n\n"
	    "flag = on\nmode = warn\n", path, err, sizeof err), 0);
	assert_int_equal(c.count, 3);
	conf_free(params, &c);
}

/*
 * Only the table's own section header is taken ([tafeld], any case); any
 * other is an error naming its line, as it was silently ignored and the
 * keys under it applied.
 */
static void
test_section_header(void **state)
{
	struct cfg c;
	char path[] = "/tmp/tafel-conf-XXXXXX", err[512], want[600];

	(void)state;
	conf_defaults(params, &c);
	assert_int_equal(load_text(&c, "# settings\n[Tafeld]  # ours\n"
	    "count = 3\n", path, err, sizeof err), 0);
	assert_int_equal(c.count, 3);
	conf_free(params, &c);

	conf_defaults(params, &c);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	assert_int_equal(load_text(&c, "count = 3\n\n[other]\ncount2 = 4\n",
	    path, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:3: section [other]: this file takes "
	    "only a [tafeld] header (or none): remove or rename it", path);
	assert_string_equal(err, want);
	conf_free(params, &c);

	/* a header with nothing after it, at the end, too */
	conf_defaults(params, &c);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	assert_int_equal(load_text(&c, "count = 3\n [client]\n", path, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, ":2: section [client]:"));
	conf_free(params, &c);
}

/* A CONF_ADDRESS is checked when it is set: numeric address, a port, 0..65535. */
static void
test_address(void **state)
{
	static const struct { const char *text; const char *why; } bad[] = {
		{ "127.0.0.1:99999", "port 99999 is out of range (0..65535)" },
		{ "127.0.0.1", "is not an address:port" },
		{ "127.0.0.1:", "has no port" },
		{ "localhost:7410", "\"localhost\" is not an IP address" },
		{ "::1:7410", "an IPv6 address goes in brackets" },
		{ "[::1]:74x", "has no port" },
		{ "", "is not an address:port" },
	};
	static const char *const good[] = { "127.0.0.1:7410", "0.0.0.0:0",
	    "[::1]:7410", "[::]:65535" };
	struct sockaddr_storage ss;
	char why[300];
	size_t i;
	int len;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		len = sizeof ss;
		assert_int_equal(conf_parse_address(bad[i].text, &ss, &len, why,
		    sizeof why), -1);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].text, why,
			    bad[i].why);
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		len = sizeof ss;
		assert_int_equal(conf_parse_address(good[i], &ss, &len, why,
		    sizeof why), 0);
	}
}

/*
 * Any file may be given to --config (/etc/shadow, a key file): a message
 * names the file and line, repeats a name only when it may be a setting's
 * (lower-case letters, digits, _), and never a value read from the file.
 * A value given on the command line (conf_set) is still quoted.
 */
static void
test_foreign_file(void **state)
{
	static const struct { const char *text, *want, *secret; } cases[] = {
		{ "root:$6$SeCrEtHaSh:19000:0:99999:7:::\n",
		  ":1: unknown setting \"root\"", "SeCrEt" },
		{ "# x\nMy SeCrEt passphrase = x\n",
		  ":2: line 2 is not a setting (name = value", "SeCrEt" },
		{ "Api-Key: SeCrEt\n", ":1: line 1 is not a setting", "SeCrEt" },
		{ "\nSeCrEt\n", ":2: line 2 is not a setting (name = value)",
		  "SeCrEt" },
		{ "[SeCrEt section]\n", ":1: this line is a section header and "
		  "not [tafeld]", "SeCrEt" },
		{ "count = SeCrEt\n", ":1: count: expected a whole number",
		  "SeCrEt" },
		{ "count = 99999\n", ":1: count: out of range (1..10)", "99999" },
		{ "flag = SeCrEt\n", ":1: flag: expected yes or no", "SeCrEt" },
		{ "wait = SeCrEt\n", ":1: wait: expected a duration", "SeCrEt" },
		/* a duration's range in the units one writes it in */
		{ "wait = 2h\n", ":1: wait: out of range (100ms..1h)", "2h" },
		{ "mode = SeCrEt\n", ":1: mode: expected one of info, debug, "
		  "warn or error", "SeCrEt" },
		{ "count_of_secrets = 1\n",
		  ":1: unknown setting \"count_of_secrets\"", "\"1" },
		/* a comment after the value is read with it: said so,
		 * still without the value */
		{ "wait = 1h # an hour, SeCrEt\n", ":1: wait: expected a "
		  "duration such as 500ms, 10s, 5m, 2h or 7d (a # comment goes "
		  "on a line of its own", "SeCrEt" },
		{ "flag = yes #SeCrEt\n", ":1: flag: expected yes or no (a # "
		  "comment goes on a line of its own", "SeCrEt" },
	};
	struct cfg c;
	char path[] = "/tmp/tafel-conf-XXXXXX", err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		conf_defaults(params, &c);
		memcpy(path + strlen(path) - 6, "XXXXXX", 6);
		assert_int_equal(load_text(&c, cases[i].text, path, err,
		    sizeof err), -1);
		if (strncmp(err, path, strlen(path)) != 0 ||
		    strstr(err, cases[i].want) == NULL ||
		    /* after the path, whose random part may hold "2h" */
		    strstr(err + strlen(path), cases[i].secret) != NULL)
			fail_msg("case %zu: \"%s\": want %s and not %s", i, err,
			    cases[i].want, cases[i].secret);
		conf_free(params, &c);
	}
	/* the command line's own value is quoted */
	conf_defaults(params, &c);
	assert_int_equal(conf_set(params, &c, "count", "many", err, sizeof err),
	    -1);
	assert_string_equal(err, "count: expected a whole number, got "
	    "\"many\"");
	conf_free(params, &c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_set),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_section_header),
		cmocka_unit_test(test_foreign_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
