#!/bin/bash
# The password asked on the terminal: not shown as it is typed (also by tafel --batch, which echoed it), and ^C at the prompt does not leave the terminal without echo.
. "$(dirname "$0")/lib.sh"

start_server
# cmd ARGS...: tafel as politie, the password to be typed
cmd() {
	printf 'env LANG=C.UTF-8 LANGUAGE=nl TERM=tmux-256color TAFEL_LOCALEDIR=%q' "$TAFEL_LOCALEDIR"
	printf ' %q' "$TAFEL" --config "$E2E_DIR.conf" --server "127.0.0.1:$E2E_PORT" \
		--user politie --ca "$E2E_DIR/tls/ca.crt" "$@"
}
pw=$(cat "$E2E_DIR.pw")
prompt="Wachtwoord voor politie op 127.0.0.1:$E2E_PORT:"
# prompt_line SESSION: the line of the prompt and what followed it
prompt_line() {
	screen "$1" | grep -F -- "$prompt" | sed 's/ *$//'
}

# the client: the password is not shown, and it logs in
tm new-session -d -s ui -x 80 -y 24 "$(cmd); echo '[tafel exited]' \$?; sleep 600" ||
	fail "tmux new-session ui"
wait_for ui "$prompt" || fail "ui: no password prompt: $(screen ui)"
type_text ui "$pw"
keys ui Enter
wait_for ui "Tafel · Overleggen" || fail "ui: not logged in: $(screen ui)"
# the terminal echoes as the keys come, before tafel reads them: once it
# has quit, the screen from before curses shows what was echoed
keys ui q
wait_for ui "[tafel exited] 0" || fail "ui: q did not quit: $(screen ui)"
prompt_line ui | grep -qxF -- "$prompt" ||
	fail "ui: the password shows as it is typed: $(screen ui)"

# --batch on a terminal: asked for in the same way, not echoed (it was
# read as the first line, shown as it was typed), then commands
tm new-session -d -s bat -x 200 -y 24 "$(cmd --batch); echo '[tafel exited]' \$?; sleep 600" ||
	fail "tmux new-session bat"
wait_for bat "$prompt" || fail "batch: no password prompt: $(screen bat)"
type_text bat "$pw"
keys bat Enter
wait_for bat '"login_ok"' || fail "batch: not logged in: $(screen bat)"
prompt_line bat | grep -qxF -- "$prompt" ||
	fail "batch: the password shows as it is typed: $(screen bat)"
type_text bat "ping"
keys bat Enter
wait_for bat '"pong"' || fail "batch: no answer to ping: $(screen bat)"
type_text bat "quit"
keys bat Enter
wait_for bat "[tafel exited] 0" || fail "batch: quit: $(screen bat)"

# ^C at the prompt: tafel ends as ^C ends a program (130 in the shell),
# and the terminal echoes again (it was left silent); stty runs in the
# same terminal (the shell around it traps ^C, which reaches it too)
tm new-session -d -s cc -x 80 -y 24 "trap true INT; $(cmd); echo '[tafel exited]' \$?; stty -a | tr ' ' '\\n' | grep -x -- '-\\?echo'; sleep 600" ||
	fail "tmux new-session cc"
wait_for cc "$prompt" || fail "cc: no password prompt: $(screen cc)"
type_text cc "half"
keys cc C-c
wait_for cc "[tafel exited] 130" || fail "cc: ^C did not end tafel: $(screen cc)"
wait_re cc "^echo$" 5 || fail "cc: the terminal was left without echo: $(screen cc)"
ok
