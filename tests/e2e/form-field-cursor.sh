#!/bin/bash
# A form's marked field shows the part of its text around the cursor: the end while one types at the end of a text longer than the field ("…" where its start is cut), the start after Home, and a word inserted there; the whole text is saved.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair

# field SESSION: the description field's row in the form
field() {
	screen "$1" | grep -F "│ Omschrijving"
}

keys chair a
wait_for chair "Nieuwe afspraak" || fail "form did not open"
desc="Begin-$(printf 'x%.0s' $(seq 1 50))-einde$$"
type_text chair "$desc"
wait_re chair "│ Omschrijving +…x+-einde$$ +│" ||
	fail "the field does not show the end typed: $(field chair)"
field chair | grep -qF "Begin-" && fail "the field should not show the start while typing at the end: $(field chair)"
keys chair Home
type_text chair "Nieuw "
wait_re chair "│ Omschrijving +Nieuw Begin-x+… +│" ||
	fail "the field does not show the start after Home: $(field chair)"
keys chair End
wait_re chair "│ Omschrijving +…x+-einde$$ +│" ||
	fail "the field does not show the end after End: $(field chair)"
keys chair Enter
wait_for chair "Uitvoerende organisatie" || fail "owner field not asked"
# the field no longer typed shows its start, as every other field
wait_re chair "│ Omschrijving +Nieuw Begin-x+… *│" ||
	fail "the description does not show its start once done: $(field chair)"
type_text chair "Politie"
keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "owner person not asked"
keys chair Enter
wait_for chair "Uiterste datum" || fail "due date not asked"
type_text chair "$(date -d '+7 days' +%F)"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "chair: not confirmed"
[ "$(sql -tAc "SELECT count(*) FROM action_points WHERE description = 'Nieuw $desc'")" = 1 ] ||
	fail "the description was not saved whole: $(sql -tAc "SELECT description FROM action_points ORDER BY id DESC LIMIT 1")"
ok
