#!/bin/bash
# TAFEL_TEST_TODAY is a test hook: a tafeld built with -Dtest_hooks=true (the default) takes the date as the database's today and says so in its log; one built without (the Debian package) ignores it and logs one warning saying so. TAFEL_TEST_HOOKS (set by meson) says which build this is.
# So is TAFEL_TEST_FAST_HASH=1 (set by meson for every test): passwords hashed at libsodium's minimum cost with the hooks, at the interactive cost without them or without the variable.
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

# the demo's password hash, made by tafelctl with the variable set
[ "${TAFEL_TEST_FAST_HASH:-}" = 1 ] || fail "TAFEL_TEST_FAST_HASH=1 is not set (tests/meson.build, test_env)"
demo_data
h=$(sql -At -c "SELECT password_hash FROM users WHERE login = 'voorzitter'")
if [ "$TAFEL_TEST_HOOKS" = 1 ]; then
	[[ $h == '$argon2id$v=19$m=8,t=1,'* ]] || fail "not the minimum cost with the hooks: $h"
	grep -qF "TAFEL_TEST_FAST_HASH: passwords hashed here" "$E2E_DIR.log" ||
		fail "tafeld did not warn of the fast hash"
else
	[[ $h == '$argon2id$v=19$m=65536,t=2,'* ]] || fail "not the interactive cost without the hooks: $h"
	grep -qF "TAFEL_TEST_FAST_HASH" "$E2E_DIR.log" && fail "the fast hash warned of without the hooks"
fi
# the demo users log in with it (checked at the cost the hash names)
printf 'meetings\nquit\n' | batch voorzitter | grep -q '"meeting_list"' ||
	fail "voorzitter cannot log in with the demo password"
# without the variable, every build hashes at the interactive cost
printf 'een-lang-wachtwoord\n' >"$E2E_DIR.pw2"
out=$(TAFEL_TEST_FAST_HASH= ctl --password-file "$E2E_DIR.pw2" user add hooktest "Hook Test" \
	"Politie Eenheid Oost-Nederland") || fail "tafelctl user add: $out"
h=$(sql -At -c "SELECT password_hash FROM users WHERE login = 'hooktest'")
[[ $h == '$argon2id$v=19$m=65536,t=2,'* ]] || fail "not the interactive cost without the variable: $h"
ok
