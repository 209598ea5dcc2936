#!/bin/bash
# An account locked by failed logins is logged at WARN (and shown by tafelctl status among the recent warnings; it was only "refused" at INFO), and tafelctl user unlock also ends the login slow-down on the running tafeld (a correct login right after the unlock was still "delayed 3000 ms after recent failures").
. "$(dirname "$0")/lib.sh"

tafeld_start 0 --set lockout_failures=3 --set login_delay=1s
demo_data
printf 'wrong\n' >"$E2E_DIR.wrong"
for i in 1 2 3; do
	out=$(printf 'quit\n' | batch_within 30 politie --password-file "$E2E_DIR.wrong" 2>&1) &&
		fail "a wrong password logged in: $out"
done
n=$(grep -c 'WARN: .*account "politie" locked for 900 s after 3 failed logins in a row (tafelctl user unlock politie)' "$E2E_DIR.log")
[ "$n" = 1 ] || fail "the lock was logged $n times at WARN, not once: $(grep politie "$E2E_DIR.log" | tail -5)"
ctl status | grep -q 'account "politie" locked' ||
	fail "tafelctl status does not show the lock: $(ctl status | tail -5)"
out=$(printf 'quit\n' | batch_within 30 politie 2>&1) && fail "a locked account logged in: $out"

from=$(stat -c %s "$E2E_DIR.log")
expect_ok "user politie unlocked" user unlock politie
for _ in $(seq 1 50); do
	tail -c +"$((from + 1))" "$E2E_DIR.log" | grep -q 'login "politie" unlocked by an administrator' && break
	sleep 0.1
done
tail -c +"$((from + 1))" "$E2E_DIR.log" | grep -q 'login "politie" unlocked by an administrator' ||
	fail "tafeld did not hear of the unlock: $(tail -5 "$E2E_DIR.log")"
out=$(printf 'ping\nquit\n' | batch_within 30 politie 2>&1) || fail "no login after the unlock: $out"
printf '%s\n' "$out" | grep -q '"login_ok"' || fail "no login: $out"
if tail -c +"$((from + 1))" "$E2E_DIR.log" | grep -q 'login as "politie" delayed'; then
	fail "the login after the unlock was still slowed down: $(tail -c +"$((from + 1))" "$E2E_DIR.log" | grep politie)"
fi
rm -f "$E2E_DIR.wrong"
ok
