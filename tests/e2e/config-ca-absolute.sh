#!/bin/bash
# The settings file gets the CA file as an absolute path: "--ca ca.crt" typed in the CA's directory was saved as "ca.crt", which breaks when tafel starts elsewhere.
. "$(dirname "$0")/lib.sh"

start_server
rm -f "$E2E_DIR.conf"
tm new-session -d -s pol -c "$E2E_DIR/tls" -x "$E2E_COLS" -y "$E2E_ROWS" \
	"$(client_cmd politie --ca ca.crt); echo '[tafel exited]' \$?; sleep 600" ||
	fail "tmux new-session pol"
wait_for pol "Tafel · Overleggen" || fail "no meetings list: $(screen pol)"
for _ in $(seq 1 50); do
	[ -s "$E2E_DIR.conf" ] && break
	sleep 0.1
done
grep -qx "ca_file = $E2E_DIR/tls/ca.crt" "$E2E_DIR.conf" ||
	fail "ca_file not saved as an absolute path: $(grep '^ca_file' "$E2E_DIR.conf")"
ok
