#!/bin/bash
# tafel --batch says "the server is stopping" once while the server stops and starts again, not once for every refused reconnect (each retry printed the same line), and says when it is connected again; the script goes on as before; a wait-seq ends at the fresh snapshot sent after the reconnect.
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
wait_file "$E2E_DIR.out" '"meeting_list"' || fail "no first answer: $(cat "$E2E_DIR.err")"

# a follower waiting (wait-seq 1) for the first change of a meeting it
# subscribed at seq 0 (the demo's change log is empty): the change is made
# while it is away, so after the reconnect it comes in the fresh snapshot
# of the subscribe sent again (seq 0 cannot resume), not as an event; that
# answer ends the wait (it went on to the 10 s timeout).  The follower is
# stopped (SIGSTOP) over the restart so that it reconnects only after it.
meeting=$(meeting_id "SSO Enschede") || fail "no SSO meeting"
printf 'subscribe %s\nsleep 1000\nwait-seq 1\nping\nquit\n' "$meeting" >"$E2E_DIR.wcmds"
LANG=C.UTF-8 "$TAFEL" --batch --config /dev/null --server "127.0.0.1:$port" --user voorzitter \
	--ca "$E2E_DIR/tls/ca.crt" --password-file "$E2E_DIR.pw" <"$E2E_DIR.wcmds" >"$E2E_DIR.wout" 2>"$E2E_DIR.werr" &
wpid=$!
# (a failure below must not leave it stopped, or reconnecting for ever)
trap 'kill -CONT "$wpid" 2>/dev/null; kill "$wpid" 2>/dev/null; cleanup' EXIT
wait_file "$E2E_DIR.wout" '"subscribed"'
grep -q '"subscribed":{"seq":0,' "$E2E_DIR.wout" ||
	fail "the follower's subscribe was not answered at seq 0: $(cut -c 1-200 "$E2E_DIR.wout") $(cat "$E2E_DIR.werr")"
kill -STOP "$wpid"

# stopped (clients told), down for 3 s: the client retries several times
tafeld_stop
sleep 3
tafeld_start "$port"
printf 'publish %s 1\nquit\n' "$meeting" | batch voorzitter | grep -q '"body":"meeting"' || fail "the change while the follower is away"
kill -CONT "$wpid"
wait "$bpid" || fail "batch exited $?: $(tail -n 5 "$E2E_DIR.err")"
wait "$wpid" || fail "the follower exited $?: $(tail -n 5 "$E2E_DIR.werr")"
grep -q '"timeout"' "$E2E_DIR.wout" &&
	fail "wait-seq 1 timed out although the fresh snapshot is at seq >= 1: $(grep -o '"seq":[0-9]*' "$E2E_DIR.wout" | tr '\n' ' ')"
grep -q '"pong"' "$E2E_DIR.wout" || fail "the follower did not go on: $(tail -n 5 "$E2E_DIR.werr")"

[ "$(grep -c '"meeting_list"' "$E2E_DIR.out")" = 2 ] ||
	fail "the second meetings was not answered after the restart: $(tail -n 5 "$E2E_DIR.err")"
n=$(grep -c 'the server is stopping' "$E2E_DIR.err")
[ "$n" = 1 ] || fail "'the server is stopping' said $n times, not once: $(cat "$E2E_DIR.err")"
grep -q 'tafel: connected again' "$E2E_DIR.err" || fail "not said that it is back: $(cat "$E2E_DIR.err")"
rm -f "$E2E_DIR.cmds" "$E2E_DIR.out" "$E2E_DIR.err" "$E2E_DIR.wcmds" "$E2E_DIR.wout" "$E2E_DIR.werr"
ok
