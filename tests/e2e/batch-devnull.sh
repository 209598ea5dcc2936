#!/bin/bash
# tafel --batch ends at the end of input, exit status 0, when stdin is /dev/null (cron, systemd: epoll cannot watch it and the run hung after the login line) or a regular file; and at quit, whatever lines follow it; and, exit status 1, when its stdout cannot be written ('| head -1', a full disk, closed).
. "$(dirname "$0")/lib.sh"

start_server

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
# exited 0), a full disk (said on stderr), a closed stdout
printf 'meetings\nsleep 20000\nmeetings\n' | batch_within 10 politie 2>"$E2E_DIR.err" | head -n 1 >/dev/null
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
rm -f "$E2E_DIR.cmds" "$E2E_DIR.out" "$E2E_DIR.err"
ok
