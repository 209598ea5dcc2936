#!/bin/bash
# A decision longer than the 80-column screen is shown whole in the meeting view, over more rows, to the chair and to a partner following (it was cut on one row with "…", and a partner at 80x24 never read its end).
. "$(dirname "$0")/lib.sh"

meeting_with_partner reclassering
wait_re rec '^▶ +1 ' || fail "partner does not follow item 1: $(screen rec)"
dec="Meldplicht blijft twee keer per week; bij verzuim meldt de reclassering het direct aan het OM en plant zij een nieuw gesprek"
keys chair d
wait_for chair "Besluit over casus" || fail "d did not ask the decision: $(screen chair | tail -n 3)"
type_text chair "$dec"
keys chair Enter
wait_for chair "vastgelegd." || fail "decision not recorded: $(screen chair | tail -n 3)"
for s in chair rec; do
	wait_for "$s" "Besluit: Meldplicht blijft twee keer per week" ||
		fail "$s: decision not shown: $(screen "$s")"
	# its end on the next row, indented, and nothing cut
	wait_re "$s" '^  .*plant zij een nieuw gesprek *$' ||
		fail "$s: the end of the decision is not shown: $(screen "$s")"
	screen "$s" | grep -E '^Besluit:' | grep -qF '…' &&
		fail "$s: the decision is still cut: $(screen "$s")"
done
# the action points still follow it
screen rec | grep -qE '^Afspraken' || fail "partner: no action points under the decision: $(screen rec)"
ok
