/* Unit tests of conninfo_value: the keyword a user gave in a conninfo wins over Tafel's default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "conninfo.h"

static void
check_value(const char *conninfo, const char *keyword, const char *want)
{
	char *got = conninfo_value(conninfo, keyword);

	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

/* key=value strings: given, not given, quoted with spaces */
static void
test_keywords(void **state)
{
	(void)state;
	check_value("host=/run/pg dbname=tafel connect_timeout=3",
	    "connect_timeout", "3");
	check_value("host=/run/pg dbname=tafel", "connect_timeout", NULL);
	check_value("dbname=tafel options='-c work_mem=8MB -c geqo=off'",
	    "options", "-c work_mem=8MB -c geqo=off");
	check_value("dbname=tafel", "options", NULL);
}

/* URIs, as libpq reads them (percent-decoded query parameters) */
static void
test_uri(void **state)
{
	(void)state;
	check_value("postgresql://db.example/tafel?connect_timeout=7",
	    "connect_timeout", "7");
	check_value("postgresql://db.example/tafel?options=-c%20geqo%3Doff",
	    "options", "-c geqo=off");
	check_value("postgresql://db.example/tafel", "options", NULL);
}

/* What libpq cannot parse gives no value (libpq reports it on connect). */
static void
test_unparsable(void **state)
{
	(void)state;
	check_value("dbname='unterminated", "dbname", NULL);
	check_value("nosuchkey=1 connect_timeout=3", "connect_timeout", NULL);
	check_value("", "connect_timeout", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_unparsable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
