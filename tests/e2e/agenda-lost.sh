#!/bin/bash
# The connection drops while the chair adds a case to the agenda: the picker says the case is added when the connection is back, and after the reconnect the case is on the agenda once and the next case can be added.
. "$(dirname "$0")/lib.sh"

start_meeting
port=$E2E_PORT
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair

# two cases the chair may add (not on the agenda yet)
free=$(agenda_cases "$MEETING" | sed -n 1p)
first=$(echo "$free" | awk '{print $1}') second=$(echo "$free" | awk '{print $2}')
[ -n "$first" ] && [ -n "$second" ] || fail "no two free cases in the demo data"

keys chair +
wait_for chair "Tafel · Casus aan de agenda toevoegen" || fail "+ did not open the case picker"
keys chair /
wait_for chair "Zoeken:" || fail "/ did not ask for a search"
type_text chair "$first"
keys chair Enter
wait_for chair "/$first" || fail "search not shown in the top line"
wait_re chair "^ $first " || fail "picker does not list case $first: $(screen chair)"
tafeld_stop
# Enter only once the client has seen the connection close (a fixed second
# may be too short for a loaded client: Enter then meets a live connection)
wait_re chair "server gestopt|niet verbonden|niet bereikbaar" ||
	fail "the client did not see the server stop: $(screen chair | tail -n 2)"
keys chair Enter
wait_for chair "Niet verbonden: de wijziging wordt verstuurd zodra de verbinding terug is." ||
	fail "Enter while disconnected: no word on the wait"
# pressed again: the picker says which case waits, not that it is "still being added"
keys chair Enter
wait_for chair "Niet verbonden: casus $first komt op de agenda zodra de verbinding terug is." ||
	fail "second Enter while disconnected: $(screen chair)"
tafeld_start "$port"
[ "$E2E_PORT" = "$port" ] || fail "tafeld came back on $E2E_PORT, not $port"
wait_for chair "Casus $first staat nu op de agenda." 90 ||
	fail "no confirmation naming case $first after the reconnect: $(screen chair)"
wait_re chair "^ +# +Casus" || fail "chair: not back in the meeting"
wait_re chair "^ +[0-9]+  $first " 60 || fail "chair: case $first not on the agenda: $(screen chair)"
[ "$(count_in_meeting politie "$MEETING" "\"number\":\"$first\"")" = 1 ] ||
	fail "case $first not on the agenda exactly once"

# the picker is free again: the next case goes on the agenda
keys chair +
wait_for chair "Tafel · Casus aan de agenda toevoegen" || fail "+ did not open the picker again"
keys chair /
wait_for chair "Zoeken:" || fail "/ did not ask for a search"
type_text chair "$second"
keys chair Enter
wait_for chair "/$second" || fail "search not shown in the top line"
# the picker's list comes anew each time it opens: Enter once it is there
wait_re chair "^ $second " || fail "picker does not list case $second: $(screen chair)"
keys chair Enter
wait_for chair "Casus $second staat nu op de agenda." ||
	fail "second case not added after the reconnect: $(screen chair)"
ok
