#!/bin/bash
# An account disabled while its user is connected: the screen says so at once and stays disconnected (no reconnect loop); a colleague of another organisation stays connected; enabled again, r connects.
. "$(dirname "$0")/lib.sh"

start_server
start_client pol politie
start_client rec reclassering
wait_for pol "verbonden ·" || fail "politie did not connect: $(screen pol | tail -n 2)"
wait_for rec "verbonden ·" || fail "reclassering did not connect: $(screen rec | tail -n 2)"
ctl user disable politie >/dev/null || fail "tafelctl user disable"
wait_for pol "Dit account is uitgeschakeld." ||
	fail "politie: not told: $(screen pol | tail -n 2)"
# the error stays until a key; then the status line says it
keys pol 1
wait_for pol "niet verbonden" || fail "politie: still connected: $(screen pol | tail -n 2)"
# and no reconnect attempts behind it
sleep 2
screen pol | tail -n 2 | grep -qF "niet verbonden" ||
	fail "politie: reconnecting: $(screen pol | tail -n 2)"
screen rec | tail -n 2 | grep -qF "verbonden ·" ||
	fail "reclassering lost its connection: $(screen rec | tail -n 2)"
ctl user enable politie >/dev/null || fail "tafelctl user enable"
keys pol r
wait_for pol "verbonden ·" || fail "politie: r did not connect again: $(screen pol | tail -n 2)"
ok
