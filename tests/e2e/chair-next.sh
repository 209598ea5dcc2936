#!/bin/bash
# The chair opens the meeting and moves to the next item; the follower's screen shows the new current case; the chair's status line says it chairs (not that it follows the chair).
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for pol "volgt voorzitter" || fail "follower: not following"

chair_start chair
before=$(current_line chair | awk '{print $2}')
keys chair n
want=$((before + 1))
wait_re chair "^▶ +$want " || fail "chair: n did not move to item $want"
num=$(current_line chair | awk '{print $3}')
[ -n "$num" ] || fail "no case number on the current line"
wait_re pol "^▶ +$want +$num " || fail "follower: current item is not $want ($num)"
wait_for pol "Casus $num" || fail "follower: case $num not shown"
wait_for pol "volgt voorzitter" || fail "follower: no longer following"
# the chair follows no one: its status line says it chairs, until it looks elsewhere
wait_for chair "· u leidt dit overleg" || fail "chair: status does not say it chairs: $(screen chair | tail -n 2)"
screen chair | grep -q "volgt voorzitter" && fail "chair: 'follows the chair' on the chair's screen"
keys chair k
wait_for chair "u leidt dit overleg — f: huidig punt" || fail "chair: k did not leave the current item: $(screen chair | tail -n 2)"
screen chair | grep -q "eigen weg" && fail "chair: 'own way' on the chair's screen"
keys chair f
wait_gone chair "f: huidig punt" || fail "chair: f did not come back"
ok
