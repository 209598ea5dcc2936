#!/bin/bash
# tafel --batch ends at the end of input, exit status 0, when stdin is /dev/null (cron, systemd: epoll cannot watch it and the run hung after the login line) or a regular file; and at quit, whatever lines follow it; and, exit status 1, when its stdout cannot be written ('| head -1', a full disk, closed); at SIGTERM, logged out.
. "$(dirname "$0")/lib.sh"

start_server

# a port out of range is a bad address (exit status 2), not a name the resolver "cannot resolve"
out=$(LANG=C.UTF-8 "$TAFEL" --batch --config /dev/null --server 127.0.0.1:99999 --user politie \
	--ca "$E2E_DIR/tls/ca.crt" --password-file "$E2E_DIR.pw" </dev/null 2>&1)
rc=$?
[ "$rc" = 2 ] && echo "$out" | grep -q "bad server address: 127.0.0.1:99999" ||
	fail "port 99999: exit $rc: $out"
# a CA that did not sign the server's certificate: said so, and where the right one comes from
out=$(LANG=C.UTF-8 "$TAFEL" --batch --config /dev/null --server "127.0.0.1:$E2E_PORT" --user politie \
	--ca "$E2E_DIR/tls/server.crt" --password-file "$E2E_DIR.pw" </dev/null 2>&1)
rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "the server's certificate is not signed by the CA in $E2E_DIR/tls/server.crt (--ca, ca_file): ask the administrator for this server's CA (tafelctl ca-cert)" ||
	fail "a wrong CA: exit $rc: $out"

batch_within 20 politie </dev/null >"$E2E_DIR.out" 2>"$E2E_DIR.err"
rc=$?
[ "$rc" = 0 ] || fail "batch </dev/null exited $rc (124: hung): $(cat "$E2E_DIR.err")"
grep -q '"login_ok"' "$E2E_DIR.out" || fail "no login line: $(cat "$E2E_DIR.out" "$E2E_DIR.err")"
if grep -q 'Epoll' "$E2E_DIR.err"; then
	fail "libevent could not watch stdin: $(cat "$E2E_DIR.err")"
fi

# a regular file, its last line without a newline
printf 'meetings\nping' >"$E2E_DIR.cmds"
batch_within 20 politie <"$E2E_DIR.cmds" >"$E2E_DIR.out" 2>"$E2E_DIR.err"
rc=$?
[ "$rc" = 0 ] || fail "batch <file exited $rc (124: hung): $(cat "$E2E_DIR.err")"
grep -q '"meeting_list"' "$E2E_DIR.out" || fail "meetings not answered: $(cat "$E2E_DIR.out" "$E2E_DIR.err")"
grep -q '"pong"' "$E2E_DIR.out" || fail "the last line (no newline) not run: $(cat "$E2E_DIR.out")"

# a pipe, as before
printf 'ping\n' | batch_within 20 politie >"$E2E_DIR.out" 2>"$E2E_DIR.err" ||
	fail "batch <pipe exited $?: $(cat "$E2E_DIR.err")"
grep -q '"pong"' "$E2E_DIR.out" || fail "ping over a pipe not answered: $(cat "$E2E_DIR.out")"

# quit ends the run: a line after it is not run (an unknown command there
# printed its error, a request was sent)
printf 'ping\nquit\nbogus\nping\n' | batch_within 20 politie >"$E2E_DIR.out" 2>"$E2E_DIR.err" ||
	fail "batch with lines after quit exited $?: $(cat "$E2E_DIR.err")"
[ "$(grep -c '"pong"' "$E2E_DIR.out")" = 1 ] || fail "not one pong: $(cat "$E2E_DIR.out")"
grep -q '"error"' "$E2E_DIR.out" && fail "a line after quit was run: $(grep '"error"' "$E2E_DIR.out")"

# stdout that cannot be written ends the run, exit status 1: a reader gone
# ('| head -1'; the run went on for nobody, here through a 20 s sleep, and
# exited 0), a full disk (said on stderr), a closed stdout.  (The first
# answer may still fit in the pipe before head has gone: the one after 2 s
# cannot.)
printf 'meetings\nsleep 2000\nmeetings\nsleep 20000\nmeetings\n' | batch_within 10 politie 2>"$E2E_DIR.err" | head -n 1 >/dev/null
rc=${PIPESTATUS[1]}
[ "$rc" = 1 ] || fail "batch | head -1 exited $rc, not 1 (124: ran on): $(cat "$E2E_DIR.err")"
[ -s "$E2E_DIR.err" ] && fail "a closed pipe was said on stderr: $(cat "$E2E_DIR.err")"
printf 'meetings\nping\n' | batch_within 10 politie >/dev/full 2>"$E2E_DIR.err"
rc=$?
[ "$rc" = 1 ] || fail "batch >/dev/full exited $rc, not 1: $(cat "$E2E_DIR.err")"
grep -q 'tafel: standard output: No space left on device' "$E2E_DIR.err" ||
	fail "the full disk was not said: $(cat "$E2E_DIR.err")"
printf 'ping\n' | batch_within 10 politie >&- 2>"$E2E_DIR.err"
rc=$?
[ "$rc" = 1 ] || fail "batch >&- exited $rc, not 1: $(cat "$E2E_DIR.err")"
grep -q 'tafel: standard output: Bad file descriptor' "$E2E_DIR.err" ||
	fail "the closed stdout was not said: $(cat "$E2E_DIR.err")"

# a nightly export to a directory that is not there, or to a full disk:
# the error line says why (it said only 'cannot write'); the minutes too,
# and the PDFs (reported written on a full disk: cairo's status missed it)
closed=$(printf 'meetings\nquit\n' | batch voorzitter |
	pick '[x["id"] for x in m["meeting_list"]["meetings"] if x["state"] == "closed"][0]')
[ -n "$closed" ] || fail "no closed meeting in the demo data"
printf 'report-csv orgs 2026Q4 %s\nreport-csv areas 2026Q4 /dev/full\nminutes %s txt /dev/full\nminutes %s pdf /dev/full\nreport-pdf 2026Q4 /dev/full\n' \
	"$E2E_DIR/no/such/dir/r.csv" "$closed" "$closed" |
	batch_within 20 voorzitter >"$E2E_DIR.out" 2>"$E2E_DIR.err" || fail "report-csv exited $?: $(cat "$E2E_DIR.err")"
python3 - "$E2E_DIR.out" <<'PY' || fail "report-csv to a bad file: $(grep '"error"' "$E2E_DIR.out")"
import json, sys
e = [o for o in map(json.loads, open(sys.argv[1])) if o["type"] == "error"]
assert [x["code"] for x in e] == ["report_export"] * 2 + ["minutes_export"] * 2 + ["report_export"], e
assert e[0]["message"].endswith("/no/such/dir/r.csv: No such file or directory"), e[0]
assert e[1]["message"] == "/dev/full: cannot write: No space left on device", e[1]
for x in e[2:]:
    assert x["message"] == "/dev/full: cannot write: No space left on device", x
PY

# SIGTERM (timeout, systemd) ends the run as quit does: it logs out (the
# server revokes the resume ticket; before, the connection was just cut)
# and then dies of SIGTERM
n0=$(grep -c 'politie logged out' "$E2E_DIR.log")
printf 'subscribe-actions\nsleep 20000\n' >"$E2E_DIR.cmds"
# (tafel itself, not the subshell of lib.sh's batch, gets the signal)
LANG=C.UTF-8 "$TAFEL" --batch --config /dev/null --server "127.0.0.1:$E2E_PORT" --user politie \
	--ca "$E2E_DIR/tls/ca.crt" --password-file "$E2E_DIR.pw" <"$E2E_DIR.cmds" >"$E2E_DIR.out" 2>"$E2E_DIR.err" &
bpid=$!
wait_file "$E2E_DIR.out" '"subscribed"' || fail "subscribe-actions not answered: $(cat "$E2E_DIR.err")"
kill -TERM "$bpid"
wait "$bpid"
rc=$?
[ "$rc" = 143 ] || fail "batch after SIGTERM exited $rc, not 143: $(cat "$E2E_DIR.err")"
for _ in $(seq 1 50); do
	[ "$(grep -c 'politie logged out' "$E2E_DIR.log")" -gt "$n0" ] && break
	sleep 0.1
done
[ "$(grep -c 'politie logged out' "$E2E_DIR.log")" -gt "$n0" ] ||
	fail "SIGTERM did not log out: $(tail -n 3 "$E2E_DIR.log")"
# ... and at once while a line waits for a reader that takes no more (a
# full pipe to a hung consumer, here sleep): not once the reader goes
{ for _ in $(seq 1 40); do echo meetings; done; echo 'sleep 20000'; } >"$E2E_DIR.cmds"
mkfifo "$E2E_DIR.fifo" || fail "mkfifo"
sleep 15 <"$E2E_DIR.fifo" >/dev/null 2>&1 &
spid=$!
LANG=C.UTF-8 "$TAFEL" --batch --config /dev/null --server "127.0.0.1:$E2E_PORT" --user voorzitter \
	--ca "$E2E_DIR/tls/ca.crt" --password-file "$E2E_DIR.pw" <"$E2E_DIR.cmds" 2>"$E2E_DIR.err" >"$E2E_DIR.fifo" &
bpid=$!
sleep 3
kill -TERM "$bpid"
t0=$SECONDS
wait "$bpid"
rc=$?
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
[ "$rc" = 143 ] && [ $((SECONDS - t0)) -le 2 ] ||
	fail "SIGTERM to a run writing to a full pipe: exit $rc after $((SECONDS - t0)) s, not 143 at once"
rm -f "$E2E_DIR.cmds" "$E2E_DIR.out" "$E2E_DIR.err"
ok
