#!/bin/bash
# tafel --batch says "the server is stopping" once while the server stops and starts again, not once for every refused reconnect (each retry printed the same line), and says when it is connected again; the script goes on as before.
. "$(dirname "$0")/lib.sh"

start_server
port=$E2E_PORT
{
	printf 'meetings\n'
	printf 'sleep 9000\n'
	printf 'meetings\n'
	printf 'quit\n'
} >"$E2E_DIR.cmds"
batch politie <"$E2E_DIR.cmds" >"$E2E_DIR.out" 2>"$E2E_DIR.err" &
bpid=$!
for _ in $(seq 1 100); do
	grep -q '"meeting_list"' "$E2E_DIR.out" 2>/dev/null && break
	sleep 0.1
done
grep -q '"meeting_list"' "$E2E_DIR.out" || fail "no first answer: $(cat "$E2E_DIR.err")"

# stopped (clients told), down for 3 s: the client retries several times
tafeld_stop
sleep 3
tafeld_start "$port"
wait "$bpid" || fail "batch exited $?: $(tail -n 5 "$E2E_DIR.err")"

[ "$(grep -c '"meeting_list"' "$E2E_DIR.out")" = 2 ] ||
	fail "the second meetings was not answered after the restart: $(tail -n 5 "$E2E_DIR.err")"
n=$(grep -c 'the server is stopping' "$E2E_DIR.err")
[ "$n" = 1 ] || fail "'the server is stopping' said $n times, not once: $(cat "$E2E_DIR.err")"
grep -q 'tafel: connected again' "$E2E_DIR.err" || fail "not said that it is back: $(cat "$E2E_DIR.err")"
rm -f "$E2E_DIR.cmds" "$E2E_DIR.out" "$E2E_DIR.err"
ok
