#!/bin/bash
# D on an agenda item that already has a decision says the decision is lost ("Besluit over casus … vervalt. Toch van de agenda halen? (j/n)"), n keeps it; an item without one gets the plain question; after the current item is taken off, n goes on to the next one still to discuss (it went back to item 1).
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
case_of() {	# case_of N: the case number of agenda item N
	screen chair | grep -E "^. +$1 +20" | grep -oE '20[0-9]{2}-[0-9]{4}' | head -n 1
}
c1=$(case_of 1) c2=$(case_of 2) c3=$(case_of 3)
[ -n "$c3" ] || fail "fewer than 3 items on the agenda: $(screen chair)"

keys chair d
wait_for chair "Besluit over casus $c1:" || fail "d did not ask"
type_text chair "Besluit dat blijft"
keys chair Enter
wait_for chair "Besluit over casus $c1 vastgelegd." || fail "decision not recorded"
keys chair D
wait_for chair "Besluit over casus $c1 vervalt. Toch van de agenda halen? (j/n)" ||
	fail "D did not warn about the decision: $(screen chair | tail -n 3)"
keys chair n
wait_re chair "^▶ +1 +$c1" || fail "n did not keep the item: $(screen chair)"
[ "$(count_in_meeting voorzitter "$MEETING" "Besluit dat blijft")" -ge 1 ] || fail "the decision is gone"

# an item without a decision: the plain question
keys chair j
keys chair D
wait_for chair "Casus $c2 van de agenda halen? (j/n)" ||
	fail "D on an undecided item: $(screen chair | tail -n 3)"
keys chair Escape

# the current item taken off: n goes on to the next one, not back to item 1
keys chair f
keys chair n
wait_re chair "^▶ +2 +$c2" || fail "n did not make item 2 current: $(screen chair)"
keys chair D
wait_for chair "Casus $c2 van de agenda halen? (j/n)" || fail "D on the current item: $(screen chair | tail -n 3)"
keys chair j
wait_for chair "Casus $c2 van de agenda gehaald." || fail "D: not said: $(screen chair | tail -n 3)"
keys chair n
wait_re chair "^▶ +2 +$c3" || fail "n after taking off the current item: not on to $c3: $(screen chair)"
screen chair | grep -qE "^▶ +1 +$c1" && fail "n went back to item 1"
ok
