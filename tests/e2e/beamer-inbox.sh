#!/bin/bash
# The shared screen does not show the chair's own inbox count ("postvak: 1 ongelezen"), which the chair's own screen does, nor announce a new entry ("Nieuwe terugkoppeling op casus ...": a case the room may not know of).
. "$(dirname "$0")/lib.sh"

start_meeting
# an entry in the chair's organisation's inbox: the police complete an action
# point on a case the chair's organisation submitted (its own publish of the
# agenda no longer gives it one: docs/protocol.md 7.12)
pol=$(org_of_kind police)
case_id=$(signal_case voorzitter Beamerdorp "Melding gemeente")
[ -n "$case_id" ] || fail "signal"
set -- $(printf '%s\n' "action $case_id 0 $pol $(date -d '+7 days' +%Y-%m-%d) Huisbezoek" \
	"action $case_id 0 $pol $(date -d '+8 days' +%Y-%m-%d) Nagesprek" quit |
	batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "action_point":
        print(o["action_point"]["id"], o["action_point"]["version"])')
[ -n "${4:-}" ] || fail "action"
printf '%s\n' "complete $1 $2 Huisbezoek gedaan" quit | batch politie |
	grep -q '"action_point"' || fail "complete"

start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for chair "postvak: 1 ongelezen" || fail "chair: no unread count on its own screen: $(screen chair | tail -n 2)"
# --verbose logs each event the shared screen gets: what it does not show
# is checked once it has had it
tm new-session -d -s beamer -x 80 -y 24 "$(client_cmd voorzitter --meeting "$MEETING" --presentation --verbose) 2>$E2E_DIR.beamer; sleep 600" ||
	fail "tmux new-session beamer"
wait_for beamer "verbonden" || fail "beamer: not connected"
# a new entry while the shared screen is up: announced on the chair's own
# screen only
printf '%s\n' "complete $3 $4 Nagesprek gevoerd" quit | batch politie |
	grep -q '"action_point"' || fail "complete the second"
wait_for chair "Nieuwe terugkoppeling op casus" ||
	fail "chair: the second entry was not announced: $(screen chair | tail -n 2)"
wait_file "$E2E_DIR.beamer" "net: event [0-9]*:.* inbox_entry" ||
	fail "beamer: no inbox event logged: $(cat "$E2E_DIR.beamer")"
sleep 0.2	# its redraw, in the same turn of the loop
# the count came with the inbox subscription, answered before the event
screen beamer | grep -q "postvak" && fail "beamer shows the chair's inbox: $(screen beamer | tail -n 2)"
screen beamer | grep -q "terugkoppeling" && fail "beamer announces the chair's inbox: $(screen beamer | tail -n 2)"
ok
