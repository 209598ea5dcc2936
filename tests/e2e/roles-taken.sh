#!/bin/bash
# A role taken away while the client shows a meeting (tafelctl user roles: a police member made an observer): the server ends the connection, the client logs in again and loads the meeting afresh, in the pseudonymised view ("J. B."); it kept the connection, and after a reconnect resumed the meeting with the names it held as a member ("Jeroen Bakker") still on screen.
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
ok
