#!/bin/bash
# The help says per view what q does there: a search is cleared first only in the lists with one, the beamer layout is left only from a meeting (the chair's); elsewhere q is plain "Terug".
. "$(dirname "$0")/lib.sh"

start_server
E2E_ROWS=200	# the whole help on one screen
# section TITLE: the help's lines from TITLE to the next section's title
section() {
	screen "$1" | awk -v t="$2" '$0 == t { on = 1; next } on && /^[^ ]/ { exit } on'
}
for who in voorzitter politie; do
	start_client "$who" "$who"
	wait_for "$who" "Tafel · Overleggen" || fail "$who: no meetings list"
	keys "$who" '?'
	wait_for "$who" "Tafel · Toetsen" || fail "$who: ? did not open the help"
	wait_for "$who" "In de besluitenlijst" || fail "$who: help incomplete: $(screen "$who")"
	screen "$who" | grep -qF "verlaat de beamerweergave)" &&
		fail "$who: the old q text: $(screen "$who" | grep -F beamer)"
	section "$who" "In de besluitenlijst" | grep -qE '^  q +Terug$' ||
		fail "$who: minutes: q is not plain Terug: $(section "$who" "In de besluitenlijst")"
	section "$who" "In de casuslijst" | grep -qE '^  q +Terug \(wist eerst een zoekopdracht\)$' ||
		fail "$who: case list: q does not clear a search first: $(section "$who" "In de casuslijst")"
	section "$who" "In een overleg" | grep -qE '^  q +Terug naar de overleggen' ||
		fail "$who: meeting: q text: $(section "$who" "In een overleg")"
done
section voorzitter "In een overleg" | grep -qF "(met P: ook de lijst gedeeld)" ||
	fail "chair: meeting: q does not mention the shared screen"
section politie "In een overleg" | grep -qF "beamer" &&
	fail "partner: meeting: q mentions the beamer layout"
ok
