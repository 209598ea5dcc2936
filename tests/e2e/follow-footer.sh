#!/bin/bash
# f is offered only where it does something: a partner who follows the chair already is not offered "f volgen" (f says it follows already), one gone its own way is, and f brings it back; the chair of a planned meeting is not offered f (it has no current item to go back to, and f says so), and in the open meeting f takes the chair back to the current item (found by a new user in tmux: "f volgen" on the bottom line while the status line said "volgt voorzitter").
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client rec reclassering --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_re rec "^ +# +Casus" || fail "partner: meeting not shown"
foot() {
	screen "$1" | tail -n 1
}

# planned: the chair has no current item, f is not offered and says why
wait_for chair "· gepland ·" || fail "chair: the meeting is not planned: $(screen chair | head -n 2)"
foot chair | grep -qE '(^| )f ' && fail "chair, planned: f offered: $(foot chair)"
keys chair f
wait_for chair "f: er is geen huidig punt om naar terug te gaan: open het overleg (o)" ||
	fail "chair, planned: f said nothing: $(screen chair | tail -n 3)"

# the partner follows: no f; f says so
wait_for rec "volgt voorzitter" || fail "partner does not follow: $(screen rec | tail -n 2)"
foot rec | grep -qF "f volgen" && fail "partner follows, yet f offered: $(foot rec)"
keys rec f
wait_for rec "f: u volgt de voorzitter al" || fail "partner: f said nothing: $(screen rec | tail -n 2)"

chair_start chair
wait_re rec '^▶ +1 ' || fail "partner: item 1 not current: $(screen rec)"
foot rec | grep -qF "f volgen" && fail "open, partner follows, yet f offered: $(foot rec)"
# its own way: f offered, and f follows again
keys rec j
wait_for rec "eigen weg — f om te volgen" || fail "partner: j did not go its own way: $(screen rec | tail -n 2)"
wait_for rec "f volgen" 5 || fail "partner, own way: f not offered: $(foot rec)"
keys rec f
wait_for rec "volgt voorzitter" || fail "partner: f did not follow: $(screen rec | tail -n 2)"
wait_gone rec "f volgen" 5 || fail "partner follows again, yet f offered: $(foot rec)"

# the chair: on the current item f says so; looking elsewhere f goes back
keys chair f
wait_for chair "f: u staat al op het huidige punt." || fail "chair: f on the current item: $(screen chair | tail -n 3)"
keys chair j
wait_for chair "u leidt dit overleg — f: huidig punt" || fail "chair: j did not leave the item: $(screen chair | tail -n 2)"
keys chair f
wait_gone chair "f: huidig punt" || fail "chair: f did not go back: $(screen chair | tail -n 2)"
screen chair | grep -qE '^▶ +1 ' || fail "chair: the current item moved: $(screen chair)"
ok
