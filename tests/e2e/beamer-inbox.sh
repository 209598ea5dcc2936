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
start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_for beamer "verbonden" || fail "beamer: not connected"
sleep 1		# the inbox count comes with the inbox subscription
screen beamer | grep -q "postvak" && fail "beamer shows the chair's inbox: $(screen beamer | tail -n 2)"
# a new entry while the shared screen is up: announced on the chair's own
# screen only
printf '%s\n' "complete $3 $4 Nagesprek gevoerd" quit | batch politie |
	grep -q '"action_point"' || fail "complete the second"
wait_for chair "Nieuwe terugkoppeling op casus" ||
	fail "chair: the second entry was not announced: $(screen chair | tail -n 2)"
sleep 0.5	# the beamer's copy of the event, on its own connection
screen beamer | grep -q "terugkoppeling" && fail "beamer announces the chair's inbox: $(screen beamer | tail -n 2)"
ok
