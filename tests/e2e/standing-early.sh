#!/bin/bash
# The standing item follows a meeting of the series held early: while the chair follows the planned Thursday 09:00 meeting, the series' Thursday 13:30 meeting is opened now (before it) and an action point agreed there; it appears live under "Openstaande afspraken uit eerdere overleggen" of the 09:00 meeting, which then comes after it (push.c series_watch: the earlier meetings read again, a resync).
. "$(dirname "$0")/lib.sh"

prep_week
prep_series
ids=$(printf 'plan %s %s 09:00\nplan %s %s 13:30\nquit\n' "$SERIES" "$THU" "$SERIES" "$THU" |
	batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "meeting_list":
        print(o["meeting_list"]["meetings"][0]["id"])')
set -- $ids
EARLY=${1:-} LATE=${2:-}
[ -n "$LATE" ] || fail "plan: $ids"
gem=$(printf 'orgs\nquit\n' | batch voorzitter |
	pick '[o["id"] for o in m["organisation_list"]["organisations"] if o["name"].startswith("Gemeente")][0]')
case_id=$(printf 'signal domestic_violence Prepdorp person Melding na ruzie\nquit\n' |
	batch politie | pick 'm["case_record"]["id"]')
[ -n "$case_id" ] && [ -n "$gem" ] || fail "setup: case $case_id, organisation $gem"

start_client chair voorzitter --meeting "$EARLY"
wait_for chair "Prep tafel" || fail "chair: meeting not shown: $(screen chair)"
sleep 0.5
screen chair | grep -q "Openstaande afspraken uit eerdere" &&
	fail "a standing item before there is one: $(screen chair)"

# the 13:30 meeting is held now, before the 09:00 one: an action point
# agreed there is open when the 09:00 meeting takes place
due=$(date -d "$THU +14 days" +%F)
printf '%s\n' "open $LATE 1" "add-item $LATE $case_id" \
	"action $case_id $LATE $gem $due Schuldhulp aanvragen voor moeder" quit |
	batch voorzitter | grep -q '"action_point"' || fail "could not agree the action point in meeting $LATE"
wait_for chair "Openstaande afspraken uit eerdere" ||
	fail "the standing item did not appear live: $(screen chair)"
wait_for chair "Schuldhulp aanvragen voor moeder" ||
	fail "the action point is not in the standing item: $(screen chair)"
ok
