#!/bin/bash
# Keys typed ahead after a form closes on Enter are dropped, not taken as commands: typing went on after a due date ("+7", Enter, then j, e, "ken") and moved to the next action point, opened e on it and added "ken" to its description (found by an outside tester). Here the date and a j come in one burst: the j used to move the selection to the next action point.
. "$(dirname "$0")/lib.sh"

start_server
start_client rec reclassering
wait_re rec "^ +[0-9]+  20[0-9-]+ [0-9:]+  " || fail "rec: no meetings list"
keys rec 3
wait_for rec "VERLOPEN:" || fail "rec: no overdue action point: $(screen rec)"
keys rec e
wait_for rec "Omschrijving" || fail "rec: e did not open the form: $(screen rec)"
keys rec Enter
keys rec Enter
keys rec Enter
wait_re rec "Uiterste datum \([^)]*\): 20" || fail "rec: due date not reached: $(screen rec)"
due=$(date -d '+7 days' +%F)
first=$(screen rec | sed -nE 's/^  Casus (20[0-9]{2}-[0-9]{4}) · uiterlijk.*/\1/p')
[ -n "$first" ] || fail "rec: no action point selected: $(screen rec)"
# one burst: the date, Enter, and what a quick typist goes on with
keys rec C-u
type_text rec "+7"$'\r'"j"
wait_for rec "Afspraak bijgewerkt." || fail "rec: not saved: $(screen rec)"
wait_for rec "$due" || fail "rec: the new due date is not shown: $(screen rec)"
sleep 0.5
screen rec | grep -q "^  Casus $first · uiterlijk $due" ||
	fail "rec: the j typed ahead moved the selection off $first: $(screen rec)"
# the view's keys work again afterwards
keys rec e
wait_for rec "Omschrijving" 5 || fail "rec: e no longer opens the form: $(screen rec)"
keys rec Escape
ok
