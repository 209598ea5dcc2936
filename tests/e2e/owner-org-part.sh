#!/bin/bash
# An action point's owner organisation is found by any part of its name, in any case: one that only one name has is taken, one several have opens a list of just those (Esc: back to the text typed).
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for pol "volgt voorzitter" || fail "follower: not following"
chair_start chair

ask_owner() {
	keys chair a
	wait_for chair "Nieuwe afspraak" || fail "form did not open"
	type_text chair "$1"
	keys chair Enter
	wait_for chair "Uitvoerende organisatie (naam of nummer):" || fail "owner not asked"
}

# "jeugd": the middle of one name, lower case
desc="Deel van de naam e2e$$"
ask_owner "$desc"
type_text chair "xyzzy"
keys chair Enter
wait_for chair "Onbekende organisatie." || fail "a name no organisation has is not refused"
keys chair C-u
type_text chair "jeugd"
keys chair Enter
wait_for chair "Uitvoerder (persoon: naam" ||
	fail "'jeugd' not taken: $(screen chair | tail -n 3)"
wait_for chair "Bureau Jeugdzorg Eemland-Twente" || fail "the organisation is not in the form"
keys chair Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7):" || fail "due date not asked"
type_text chair "+7"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "not recorded"
wait_for pol "$desc · Bureau Jeugdzorg" || fail "follower: owner not Bureau Jeugdzorg"

# "twente": four names, a list of just those
desc2="Kiezen uit de lijst e2e$$"
ask_owner "$desc2"
type_text chair "twente"
keys chair Enter
wait_for chair "Tafel · Organisatie kiezen" || fail "no list for a part that fits four"
wait_for chair "Welke organisatie voert de afspraak uit?" || fail "the list does not say what it is for"
wait_for chair "'twente' past bij 4 organisaties: kies er een." || fail "not said how many fit"
wait_re chair "^ Bureau Jeugdzorg Eemland-Twente" || fail "Bureau Jeugdzorg not listed first"
for o in "Gemeente Eemland-Twente" "GGZ Eemland-Twente" "Veilig Thuis Eemland-Twente"; do
	wait_re chair "^ $o" || fail "$o not listed"
done
screen chair | tail -n +2 | grep -q "Politie Eenheid" && fail "an organisation without 'twente' is listed"
# Esc: back to typing, the text kept
keys chair Escape
wait_for chair "Uitvoerende organisatie (naam of nummer): twente" ||
	fail "Esc did not go back to the text typed: $(screen chair | tail -n 3)"
keys chair Enter
wait_for chair "Tafel · Organisatie kiezen" || fail "no list the second time"
keys chair j
keys chair Enter
wait_for chair "Uitvoerder (persoon: naam" || fail "person not asked after the choice"
wait_for chair "Gemeente Eemland-Twente" || fail "the chosen organisation is not in the form"
keys chair Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7):" || fail "due date not asked"
type_text chair "+7"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "not recorded"
wait_for pol "$desc2 · Gemeente Eemland-Twente" || fail "follower: owner not the Gemeente"
ok
