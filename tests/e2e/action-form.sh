#!/bin/bash
# The chair adds an action point through the form (the owner person chosen by a part of the name); it appears on the follower's screen. The box says what Enter does: "volgend veld", on the last field "versturen" (it said "volgend veld" where Enter sends).
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for pol "volgt voorzitter" || fail "follower: not following"
chair_start chair
num=$(current_line chair | awk '{print $3}')
wait_for pol "Casus $num" || fail "follower: not on case $num"

desc="Huisbezoek e2e$$"
keys chair a
wait_for chair "Nieuwe afspraak" || fail "form did not open"
# an empty description is refused at once, in its own field
keys chair Enter
wait_for chair "Typ wat er is afgesproken: een omschrijving is verplicht." ||
	fail "an empty description was not refused at once: $(screen chair | tail -n 3)"
screen chair | grep -qF "Uitvoerende organisatie (naam of nummer):" &&
	screen chair | tail -n 3 | grep -qF "Uitvoerende organisatie" && fail "went on to the owner with no description"
screen chair | grep -qF "Enter volgend veld · Esc annuleren" || fail "the box does not say Enter goes on: $(screen chair)"
type_text chair "$desc"
keys chair Enter
wait_for chair "Uitvoerende organisatie" || fail "owner field not asked"
type_text chair "Politie"
keys chair Enter
# the owner person, by a part of the name
wait_for chair "Uitvoerder (persoon: naam, inlognaam of nummer" || fail "owner person not asked"
type_text chair "sanne"
keys chair Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7):" || fail "due date not asked"
# the last field: Enter sends, and the box says so (not "volgend veld")
wait_for chair "Enter versturen · Esc annuleren" 5 || fail "the due date's box does not say Enter sends: $(screen chair)"
type_text chair "$(date -d '+7 days' +%F)"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "chair: not confirmed"
wait_gone chair "Nieuwe afspraak" || fail "chair: form still open"
wait_for pol "$desc · Sanne Jansen, Politie" || fail "follower: action point not shown with its owner"
ok
