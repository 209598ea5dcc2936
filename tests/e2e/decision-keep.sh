#!/bin/bash
# d never overwrites a decision unseen: an item with a decision offers it to edit (what is typed adds to it; emptied, it is cleared only after a question, n keeps it); on an item whose decision the chair may not read d asks first, since what is typed replaces it.
. "$(dirname "$0")/lib.sh"

start_server
SERIES="Casusoverleg huiselijk geweld district Eemland"
MEETING=$(meeting_id "$SERIES") || fail "no '$SERIES' meeting in the demo data"
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
num=$(current_line chair | awk '{print $3}')
OLD="Procesregisseur screent."
keys chair d
wait_for chair "Besluit over casus $num:" || fail "d did not ask"
type_text chair "$OLD"
keys chair Enter
wait_for chair "Besluit over casus $num vastgelegd." || fail "decision not recorded"
# the answer can come before the change's event: d offers what the screen
# shows, so wait until it shows the decision (a slow ASan run pressed d
# between the two and got the empty field)
wait_for chair "Besluit: $OLD" || fail "the decision is not shown: $(screen chair)"

# d again: the decision is there to edit; typing adds to it
keys chair d
wait_for chair "Besluit over casus $num: $OLD" || fail "d did not offer the decision: $(screen chair | tail -n 3)"
type_text chair " Aanvulling"
keys chair Enter
wait_for chair "Besluit: $OLD Aanvulling" || fail "the addition replaced the decision: $(screen chair)"
[ "$(count_in_meeting voorzitter "$MEETING" "$OLD Aanvulling")" -ge 1 ] || fail "not recorded with the addition"

# emptied: asked; n keeps it
keys chair d
wait_for chair "Besluit over casus $num: $OLD" || fail "d did not offer the decision again"
keys chair C-u Enter
wait_for chair "Besluit over casus $num wissen? (j/n)" || fail "clearing not asked: $(screen chair | tail -n 3)"
keys chair n
wait_for chair "Het besluit blijft staan." || fail "n did not keep it: $(screen chair | tail -n 3)"
screen chair | grep -q "Besluit: $OLD Aanvulling" || fail "the decision went: $(screen chair)"

# an item whose decision the chair may not read: asked first
hidden=
# (each checked once its case is shown: after a fixed pause a slow client
# could still show the item before, and d then went to another one)
for i in 2 3 4 5 6; do
	c=$(screen chair | grep -E "^. +$i +20" | grep -oE '20[0-9]{2}-[0-9]{4}' | head -n 1)
	[ -n "$c" ] || break
	keys chair j
	wait_re chair "^Casus $c " || fail "j did not select item $i ($c): $(screen chair)"
	if screen chair | grep -q "^Besluit: (verborgen, zie boven)"; then hidden=1; break; fi
done
[ -n "$hidden" ] || fail "no item with a hidden decision: $(screen chair)"
hnum=$(screen chair | grep -m1 -oE "^Casus 20[0-9]{2}-[0-9]{4}" | awk '{print $2}')
keys chair d
wait_for chair "Besluit over casus $hnum verborgen; typen vervangt het. Doorgaan? (j/n)" ||
	fail "d on a hidden decision did not ask first: $(screen chair | tail -n 3)"
keys chair n
wait_for chair "Het besluit blijft staan." || fail "n did not keep the hidden decision: $(screen chair | tail -n 3)"
screen chair | grep -q "Besluit over casus $hnum:" && fail "the field opened after n"
keys chair d
wait_for chair "Doorgaan? (j/n)" || fail "d did not ask again"
keys chair j
wait_for chair "Besluit over casus $hnum:" || fail "j did not open the field: $(screen chair | tail -n 3)"
keys chair Escape
ok
