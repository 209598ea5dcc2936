#!/bin/bash
# TAFEL_TEST_TODAY is a test hook: a tafeld built with -Dtest_hooks=true (the default) takes the date as the database's today and says so in its log; one built without (the Debian package) ignores it and logs one warning saying so. TAFEL_TEST_HOOKS (set by meson) says which build this is.
. "$(dirname "$0")/lib.sh"

: "${TAFEL_TEST_HOOKS:?TAFEL_TEST_HOOKS not set}"
export TAFEL_TEST_TODAY=2026-01-05
tafeld_start 0
if [ "$TAFEL_TEST_HOOKS" = 1 ]; then
	grep -qF "TAFEL_TEST_TODAY: the database takes 2026-01-05 as today" "$E2E_DIR.log" ||
		fail "the test date is not taken: $(tail -n 20 "$E2E_DIR.log")"
	grep -qF "TAFEL_TEST_TODAY ignored" "$E2E_DIR.log" && fail "ignored with the hooks built in"
else
	n=$(grep -cF "TAFEL_TEST_TODAY ignored: this tafeld is built without the test hooks" "$E2E_DIR.log")
	[ "$n" = 1 ] || fail "expected one warning that the variable is ignored, got $n"
	grep -qF "as today" "$E2E_DIR.log" && fail "the test date was taken without the hooks"
fi
ok
