#!/bin/bash
# An action point's owner is chosen by name: a name that fits several people of the owner organisation opens a list of just them to pick from; Esc goes back to typing. Handed to another organisation, it stays in the former owner's meeting view.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair

desc="Uitvoerder gekozen e2e$$"
keys chair a
wait_for chair "Nieuwe afspraak" || fail "form did not open"
type_text chair "$desc"
keys chair Enter
wait_for chair "Uitvoerende organisatie (naam of nummer):" || fail "owner not asked"
type_text chair "Politie"
keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "person not asked"
# "n" is in both police officers' names: a list of the two
type_text chair "n"
keys chair Enter
wait_for chair "Tafel · Persoon kiezen" || fail "no list for a name that fits two people"
# at 80 columns the keys are whole; the organisation's name gives way
wait_re chair "^Wie voert de afspraak uit\? \(Enter; Esc: terug naar typen\) · Politie Eenheid" ||
	fail "the list does not say what it is for, or its keys are cut: $(screen chair | sed -n 2p)"
wait_for chair "Kevin Wolters" || fail "Kevin Wolters not listed"
wait_for chair "Sanne Jansen" || fail "Sanne Jansen not listed"
screen chair | tail -n +2 | grep -q "Anouk de Vries" && fail "someone of another organisation is listed"
# Esc: back to typing, the text kept
keys chair Escape
wait_for chair "Uitvoerder (persoon: naam, inlognaam of nummer; leeg: de hele organisatie):" ||
	fail "Esc did not go back to typing"
keys chair Enter
wait_for chair "Tafel · Persoon kiezen" || fail "no list the second time"
wait_re chair "^ Kevin Wolters" || fail "list not sorted by name"
keys chair j
keys chair Enter
wait_for chair "Uitvoerder (persoon)     Sanne Jansen" || fail "the chosen person is not in the form"
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7):" || fail "due date not asked next"
type_text chair "+7"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "not recorded"
wait_for pol "$desc · Sanne Jansen, Politie" || fail "follower: owner not shown"

# the chair hands it to the municipality: the police's follower keeps it in
# the meeting (the event is "gone" from the police's own action list only)
id=$(sql -At -c "SELECT id FROM action_points WHERE description = '$desc'")
idx=$(current_actions voorzitter | awk -v id="$id" '$1 == id { print NR - 1 }')
[ -n "$idx" ] || fail "the new action point is not in the chair's snapshot"
for _ in $(seq "$idx"); do keys chair Tab; done
keys chair e
wait_for chair "Omschrijving: $desc" || fail "e did not open our action point: $(screen chair)"
keys chair Enter
wait_for chair "Uitvoerende organisatie (naam of nummer): Politie" || fail "owner not offered: $(screen chair)"
keys chair C-u
type_text chair "Gemeente"
keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "person not asked after the new owner: $(screen chair)"
keys chair Enter
wait_for chair "Uiterste datum" || fail "due date not asked: $(screen chair)"
keys chair Enter
wait_for chair "Afspraak bijgewerkt." || fail "the move not saved: $(screen chair)"
wait_re pol "$desc · Gemeente|Gemeente[^·]*· *$desc|$desc.*Gemeente" ||
	fail "follower: the moved action point left the meeting: $(screen pol)"
ok
