#!/bin/bash
# The info round's organisation picker marks the organisations chosen already (✓), keeps the line just chosen selected, and Enter on one of them un-chooses it with a message; the title's count and "last" follow, and the round asks only those still chosen; a search selects a line starting with it before one with it inside.
. "$(dirname "$0")/lib.sh"

prep_week
prep_series
out=$(printf 'signal domestic_violence Prepdorp person Huisverbod opgelegd na melding\nquit\n' |
	batch politie)
NUMBER=$(echo "$out" | pick 'm["case_record"]["number"]')
[ -n "$NUMBER" ] || fail "signal: $out"

start_client pm reclassering
open_case pm "$NUMBER"
keys pm I
wait_for pm "Inforonde: eerste organisatie om te vragen" || fail "I did not open the picker: $(screen pm)"
# pick_org TEXT: searches the picker and presses Enter on the first match
pick_org() {
	keys pm /
	wait_for pm "Zoeken:" || fail "/ in the picker: $(screen pm)"
	type_text pm "$1"
	keys pm Enter
	wait_gone pm "Zoeken:" || fail "search prompt stays"
	keys pm Enter
}
# nothing chosen yet: nothing marked
screen pm | grep -q "✓" && fail "a mark before any choice: $(screen pm)"
pick_org "Jeugdzorg"
wait_for pm "Inforonde, 1 gekozen (laatst Bureau Jeugdzorg Eemland-Twente)" || fail "first pick: $(screen pm)"
wait_re pm "^ Bureau Jeugdzorg Eemland-Twente +✓ gekozen$" || fail "the chosen one is not marked: $(screen pm)"
[ "$(screen pm | grep -c "✓")" = 1 ] || fail "more than one marked: $(screen pm)"
pick_org "GGZ"
wait_for pm "Inforonde, 2 gekozen (laatst GGZ Eemland-Twente)" || fail "second pick: $(screen pm)"
wait_re pm "^ GGZ Eemland-Twente +✓ gekozen$" || fail "GGZ not marked: $(screen pm)"
# the selection stays on the line just chosen: k, Enter chooses the one above it (it went back to the top)
keys pm k
keys pm Enter
wait_for pm "Inforonde, 3 gekozen (laatst Gemeente Eemland-Twente)" ||
	fail "k, Enter after choosing GGZ did not choose the line above it: $(screen pm)"
pick_org "Gemeente"
wait_for pm "Inforonde, 2 gekozen (laatst GGZ Eemland-Twente)" || fail "Gemeente not un-chosen: $(screen pm)"
# Enter on a chosen one again: un-chosen, said, the count and "last" follow
pick_org "GGZ"
wait_for pm "GGZ Eemland-Twente niet meer gekozen." || fail "no message on un-choosing: $(screen pm)"
wait_for pm "Inforonde, 1 gekozen (laatst Bureau Jeugdzorg Eemland-Twente)" ||
	fail "the title did not follow: $(screen pm)"
screen pm | grep -qE "GGZ Eemland-Twente +✓" && fail "GGZ still marked: $(screen pm)"
wait_re pm "^ Bureau Jeugdzorg Eemland-Twente +✓ gekozen$" || fail "Jeugdzorg no longer marked: $(screen pm)"
# the last one un-chosen: the picker asks for the first again
pick_org "Jeugdzorg"
wait_for pm "Bureau Jeugdzorg Eemland-Twente niet meer gekozen." || fail "second un-choose: $(screen pm)"
wait_for pm "Inforonde: eerste organisatie om te vragen" || fail "title after none left: $(screen pm)"
pick_org "Jeugdzorg"
wait_for pm "Inforonde, 1 gekozen (laatst Bureau Jeugdzorg Eemland-Twente)" || fail "pick again: $(screen pm)"
# a search selects the line that starts with it before one that only has it
# inside ("pol": the police, not the forensic polikliniek listed above it)
screen pm | grep -q "polikliniek" || fail "the demo's polikliniek is not listed: $(screen pm)"
pick_org "pol"
wait_for pm "Inforonde, 2 gekozen (laatst Politie Eenheid Oost-Nederland)" ||
	fail "pol chose another line than the police: $(screen pm | head -n 3)"
pick_org "pol"
wait_for pm "Politie Eenheid Oost-Nederland niet meer gekozen." || fail "police not un-chosen: $(screen pm)"
keys pm Escape
wait_for pm "Inforonde $NUMBER, 1 organisatie: antwoord uiterlijk" || fail "no date prompt: $(screen pm)"
type_text pm "$TUE"; keys pm Enter
wait_for pm "Inforonde gestart: 1 organisatie gevraagd." || fail "round not started: $(screen pm)"
rounds=$(printf 'info-rounds 0 open\nquit\n' | batch reclassering)
echo "$rounds" | grep -q "Bureau Jeugdzorg" || fail "the round does not ask Jeugdzorg: $rounds"
echo "$rounds" | grep -q "GGZ" && fail "GGZ asked after it was un-chosen: $rounds"
ok
