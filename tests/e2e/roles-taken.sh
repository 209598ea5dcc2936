#!/bin/bash
# A role taken away, or what an organisation may see narrowed, while the client shows a meeting (tafelctl user roles: a police member made an observer; tafelctl access set: housing without names): the server ends the connection, the client logs in again and loads the meeting afresh, in the pseudonymised view ("J. B."); it kept the connection, and after a reconnect resumed the meeting with the names it held as a member ("Jeroen Bakker") still on screen.
. "$(dirname "$0")/lib.sh"

start_server
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
start_client pol wijkagent --meeting "$MEETING"
wait_for pol "Jeroen Bakker" || fail "member: the case's names not shown: $(screen pol)"
# the chair opens the meeting: a change the client has seen, so a resume
# from it can be served from the server's memory (no snapshot)
VERSION=$(printf 'meetings\nquit\n' | batch voorzitter |
	pick '[x["version"] for x in m["meeting_list"]["meetings"] if x["id"] == '"$MEETING"'][0]')
out=$(printf 'open %s %s\nquit\n' "$MEETING" "$VERSION" | batch voorzitter 2>&1)
printf '%s\n' "$out" | grep -q '"type":"error"' && fail "open: $out"
wait_for pol " · open · " || fail "member: the meeting is not shown open: $(screen pol)"
out=$(ctl user roles wijkagent observer) || fail "user roles: $out"
wait_for pol "J. B." || fail "observer: still the member's view: $(screen pol)"
screen pol | grep -qF "Jeroen Bakker" && fail "observer: the names are still shown: $(screen pol)"

# what a kind of organisation may see narrowed (tafelctl access set): the
# housing corporation, which saw the names of its WZT case, logs in again
# and shows the case pseudonymised; it kept the names it held
start_client woon woningcorporatie --meeting "$MEETING"
wait_re woon "^ +2 +2026-0003 " || fail "housing: the agenda: $(screen woon)"
keys woon j
wait_for woon "Zoë Smits" || fail "housing: the case's names not shown: $(screen woon)"
out=$(ctl access set housing free_text) || fail "access set: $out"
wait_for woon "Z. S." || fail "housing: still the names after access set: $(screen woon)"
screen woon | grep -qF "Zoë Smits" && fail "housing: the names are still shown: $(screen woon)"
ok
