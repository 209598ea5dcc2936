#!/bin/bash
# The chair's n on the last item says how many items before it were never discussed (an item moved up past the current one is easily forgotten), in Dutch with the count; with none it stays "Dit is het laatste agendapunt." Quitting tafel while chairing the open meeting asks first, a long series name shortened to fit the row.
. "$(dirname "$0")/lib.sh"

start_meeting
# a series name too long for the quit question's row at 80 columns
sql -c "UPDATE series SET name = 'SSO Enschede en Haaksbergen, justitiële keten' WHERE name = 'SSO Enschede'" >/dev/null ||
	fail "series not renamed"
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_re chair "^ +3  20[0-9]{2}-" || fail "the SSO does not have three items: $(screen chair)"
screen chair | grep -qE "^ +4  20[0-9]{2}-" && fail "the SSO has more than three items: $(screen chair)"
chair_start chair
# item 3 moved up twice: it is first now, never discussed; the current item is second
keys chair g
keys chair j j
wait_re chair "^ +3  20[0-9]{2}-" || fail "chair: agenda lost"
keys chair K K
wait_re chair '^▶ +2 ' || fail "chair: the current item is not second after K K: $(screen chair)"
keys chair f
keys chair n
wait_re chair '^▶ +3 ' || fail "chair: n did not step to item 3: $(screen chair)"
keys chair n
wait_for chair "Dit is het laatste agendapunt; 1 punt ervoor is nog niet besproken." ||
	fail "chair: the undiscussed item not named at the end: $(screen chair)"
# once it is discussed (the chair steps back to item 1 and forward again), none is left
keys chair p p
wait_re chair '^▶ +1 ' || fail "chair: p p did not go back to item 1: $(screen chair)"
keys chair n n
wait_re chair '^▶ +3 ' || fail "chair: n n did not step to item 3: $(screen chair)"
keys chair n
wait_for chair "Dit is het laatste agendapunt." || fail "chair: the end not said: $(screen chair)"
screen chair | grep -q "nog niet besproken" && fail "chair: an item still counted undiscussed: $(screen chair)"

# quitting while chairing the open meeting asks first (it stays open); n stays, j quits
keys chair q
wait_for chair "Tafel · Overleggen" || fail "chair: q did not go to the meetings list: $(screen chair)"
keys chair q
# the long name gives way, not the middle of the sentence (before: "U leidt SSO
# Enschede en Haaksbergen, jus…is: het blijft open. ...")
wait_for chair "U leidt SSO Enschede en H…, dat open is: het blijft open. Toch stoppen? (j/n)" ||
	fail "chair: quitting with an open meeting not asked: $(screen chair)"
keys chair n
wait_gone chair "Toch stoppen?" || fail "chair: n did not keep tafel: $(screen chair)"
screen chair | grep -qF "[tafel exited]" && fail "chair: n quit"
keys chair q
wait_for chair "Toch stoppen? (j/n)" || fail "chair: not asked again: $(screen chair)"
keys chair j
wait_for chair "[tafel exited] 0" || fail "chair: j did not quit: $(screen chair)"
ok
