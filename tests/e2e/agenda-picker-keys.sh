#!/bin/bash
# The case picker (+ in the meeting) keeps the keys of the other lists: G/End and g/Home go to the last and first line (not a search for "G"); ? shows the help with the picker's keys first and q or Esc return to the picker; Esc on its search prompt (asked, j) closes only the search.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair

# the newest case not on the agenda is the first line; those on it come last
AGENDA=$(agenda_cases "$MEETING")
new=$(echo "$AGENDA" | sed -n 1p | awk '{print $1}')
[ -n "$new" ] && [ -n "$(echo "$AGENDA" | sed -n 2p)" ] || fail "no suitable cases in the demo data"

PICKER="Tafel · Casus aan de agenda toevoegen"
in_picker() {
	wait_for chair "$PICKER" || fail "$1: not in the picker: $(screen chair)"
	screen chair | grep -qF "Geen casus aan de agenda toegevoegd" &&
		fail "$1: the picker was left: $(screen chair)"
	screen chair | grep -qF "Zoeken:" && fail "$1: a search prompt is open: $(screen chair)"
	return 0
}
keys chair +
wait_for chair "$PICKER" || fail "+ did not open the case picker"
wait_for chair "$new" || fail "picker does not list case $new"

# G: the last line (a case on the agenda: Enter refuses it), no search
keys chair G
sleep 0.3
in_picker "G"
screen chair | grep -q "/G" && fail "G searched: $(screen chair)"
keys chair Enter
wait_for chair "Deze casus staat al op de agenda." || fail "G Enter did not take the last line: $(screen chair)"
in_picker "G Enter"
# g: the first line again (Enter would add it: only checked by End/Home below)
keys chair g
# g (a key) clears the message of G Enter: End Enter must show it anew
wait_gone chair "Deze casus staat al op de agenda." || fail "g did not clear the message: $(screen chair)"
in_picker "g"
keys chair End
sleep 0.2
keys chair Enter
wait_for chair "Deze casus staat al op de agenda." || fail "End Enter did not take the last line"

# ? shows the help with the picker's keys on the first screen; q returns
keys chair '?'
wait_for chair "Tafel · Toetsen" || fail "? did not show the help: $(screen chair)"
wait_for chair "Bij het kiezen van een casus (voorzitter)" 5 ||
	fail "the help does not start with the picker's keys: $(screen chair)"
keys chair q
in_picker "q from the help"
keys chair '?'
wait_for chair "Tafel · Toetsen" || fail "? did not show the help again"
keys chair Escape
in_picker "Esc from the help"

# Esc on the search prompt: asked, j closes the search, the picker stays
keys chair /
wait_for chair "Zoeken:" || fail "/ did not ask for a search"
type_text chair "xyz"
keys chair Escape
wait_for chair "Getypte tekst weggooien? (j/n):" || fail "Esc on typed search text did not ask"
keys chair j
sleep 0.5
in_picker "Esc j on the search prompt"
wait_for chair "$new" || fail "the list is not shown after the search was dropped"
# a letter starts a search; Esc on it as well
keys chair a
wait_for chair "Zoeken: a" || fail "a letter did not start a search: $(screen chair)"
keys chair Escape
wait_for chair "Getypte tekst weggooien? (j/n):" || fail "Esc on a typed letter did not ask"
keys chair j
sleep 0.5
in_picker "Esc j on the letter's search"

# and the picker still adds: g, Enter adds the first line
keys chair g Enter
wait_for chair "Casus $new staat nu op de agenda." || fail "g Enter did not add the first case $new: $(screen chair)"
ok
