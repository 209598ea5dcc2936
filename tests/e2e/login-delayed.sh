#!/bin/bash
# A login the server delays after a recent failure (login_delay, here 12 s for one failure of the user from this address) still succeeds with the right password: the client waits for the login's answer longer than the server's delay, instead of giving up after 10 s with "server did not answer in time" (found by the fault injector: behind a sprayed NAT address nobody could log in).
. "$(dirname "$0")/lib.sh"

tafeld_start 0 --set login_delay=12s
demo_data
printf 'wrong\n' >"$E2E_DIR.wrong"
out=$(printf 'ping\nquit\n' | batch politie --password-file "$E2E_DIR.wrong" 2>&1) &&
	fail "a wrong password logged in: $out"
start=$SECONDS
out=$(printf 'ping\nquit\n' | batch politie 2>&1) ||
	fail "the right password after a failure did not log in ($((SECONDS - start)) s): $out"
printf '%s\n' "$out" | grep -q '"login_ok"' || fail "no login: $out"
[ $((SECONDS - start)) -ge 10 ] || fail "the login was not delayed (the test proves nothing): $((SECONDS - start)) s"
grep -q 'login as "politie" delayed 12000 ms' "$E2E_DIR.log" || fail "tafeld did not delay the login: $(tail -5 "$E2E_DIR.log")"
ok
