#!/bin/bash
# tafel --batch retries a write the server refuses for a moment (DATABASE_UNAVAILABLE while the embedded PostgreSQL cannot restart) with the same idempotency key, instead of printing the error and dropping the write: every write of the script is stored exactly once, and no error line comes out.
. "$(dirname "$0")/lib.sh"

start_server
data="$E2E_DIR/pg/data"
[ -f "$data/postmaster.pid" ] || fail "no postmaster.pid in $data"

# 12 writes, 0.5 s apart, with their own keys
{
	for i in $(seq 1 12); do
		printf 'signal domestic_violence Herhaaldorp person Herhaling %s key=retry-e2e-%s\n' "$i" "$i"
		printf 'sleep 500\n'
	done
	printf 'quit\n'
} >"$E2E_DIR.cmds"
batch politie <"$E2E_DIR.cmds" >"$E2E_DIR.out" 2>"$E2E_DIR.err" &
bpid=$!

# after the second write: PostgreSQL killed, and kept from starting for 8 s
# (its data directory unreadable), so requests meanwhile are refused with
# DATABASE_UNAVAILABLE (at once, once the server finds it unreachable)
for _ in $(seq 1 100); do
	[ "$(grep -c '"case_record"' "$E2E_DIR.out" 2>/dev/null)" -ge 2 ] && break
	sleep 0.1
done
[ "$(grep -c '"case_record"' "$E2E_DIR.out")" -ge 2 ] || fail "the first writes did not come: $(cat "$E2E_DIR.err")"
chmod 000 "$data"
kill -9 "$(head -n 1 "$data/postmaster.pid")" || fail "kill the postmaster"
sleep 8
chmod 700 "$data"
wait "$bpid" || fail "batch exited $?: $(tail -n 5 "$E2E_DIR.err")"

grep -q '"database_unavailable"' "$E2E_DIR.out" &&
	fail "an error reached the script: $(grep '"error"' "$E2E_DIR.out" | head -n 3)"
grep -q '"type":"error"' "$E2E_DIR.out" &&
	fail "an error line: $(grep '"type":"error"' "$E2E_DIR.out" | head -n 3)"
[ "$(grep -c '"case_record"' "$E2E_DIR.out")" = 12 ] ||
	fail "$(grep -c '"case_record"' "$E2E_DIR.out") of 12 writes answered"
grep -q 'trying again' "$E2E_DIR.err" ||
	fail "no write was refused for a moment (nothing was retried): the test did not test: $(tail -n 3 "$E2E_DIR.err")"
n=$(sql -Atc "SELECT count(*) FROM cases WHERE reason LIKE 'Herhaling %'")
[ "$n" = 12 ] || fail "$n cases stored, not 12 (each once)"
n=$(sql -Atc "SELECT count(DISTINCT reason) FROM cases WHERE reason LIKE 'Herhaling %'")
[ "$n" = 12 ] || fail "$n distinct cases, not 12"
ok
