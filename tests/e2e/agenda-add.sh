#!/bin/bash
# The chair adds a case that is not on the agenda through the case picker (+, / search, Enter); the follower's agenda shows it.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for pol "volgt voorzitter" || fail "follower: not following"
chair_start chair

# a case the chair may add (not on the agenda yet) and one that is on it
AGENDA=$(agenda_cases "$MEETING")
new=$(echo "$AGENDA" | sed -n 1p | awk '{print $1}')
taken=$(echo "$AGENDA" | sed -n 2p | awk '{print $1}')
n=$(echo "$AGENDA" | sed -n 3p)
[ -n "$new" ] && [ -n "$taken" ] || fail "no suitable cases in the demo data"
[ "$(count_in_meeting politie "$MEETING" "\"number\":\"$new\"")" = 0 ] ||
	fail "case $new already in the meeting"
# the longest theme name, "multiprobleempersonen", was cut to
# "multiprobleempe…" in the picker's and the agenda's 17 columns
sql -c "UPDATE cases SET theme = 'multi_problem' WHERE number = '$new'" ||
	fail "sql"

keys chair +
wait_for chair "Tafel · Casus aan de agenda toevoegen" || fail "+ did not open the case picker"
wait_re chair "^ $new  multiprobleem     " ||
	fail "picker: case $new not listed with its theme in short: $(screen chair)"
wait_re chair "$taken .*\(al op de agenda\)" || fail "picker does not mark case $taken as on the agenda"

# a case already on the agenda is refused before anything is sent
keys chair /
wait_for chair "Zoeken:" || fail "/ did not ask for a search"
type_text chair "$taken"
keys chair Enter
wait_for chair "/$taken" || fail "search not shown in the top line"
wait_gone chair "$new" || fail "search did not filter the list"
keys chair Enter
wait_for chair "Deze casus staat al op de agenda." || fail "on-agenda case not refused"

keys chair q
wait_gone chair "/$taken" || fail "q did not clear the search"
keys chair /
wait_for chair "Zoeken:" || fail "/ did not ask for a search"
type_text chair "$new"
keys chair Enter
wait_for chair "/$new" || fail "search not shown in the top line"
wait_gone chair "$taken" || fail "search did not filter the list"
keys chair Enter
wait_for chair "Casus $new staat nu op de agenda." || fail "chair: no confirmation"
wait_re chair "^ +# +Casus" || fail "chair: not back in the meeting"
screen chair | grep -qF "Geen casus aan de agenda toegevoegd" &&
	fail "chair: leaving the picker after an add says nothing was added: $(screen chair)"
wait_re chair "^ +$((n + 1))  $new " || fail "chair: case $new not at the end of the agenda"
wait_re pol "^ +$((n + 1))  $new  multiprobleem     " ||
	fail "follower: case $new not on the agenda: $(screen pol)"
[ "$(count_in_meeting politie "$MEETING" "\"number\":\"$new\"")" -ge 1 ] ||
	fail "case $new not in the meeting on the server"

# Esc leaves the picker without adding anything
keys chair +
wait_for chair "Tafel · Casus aan de agenda toevoegen" || fail "+ did not open the picker again"
keys chair Escape
wait_re chair "^ +# +Casus" || fail "Esc did not go back to the meeting"
wait_for chair "Geen casus aan de agenda toegevoegd." 5 || fail "Esc in the picker: no message: $(screen chair)"
ok
