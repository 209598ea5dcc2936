#!/bin/bash
# The organisation's action points (3) with none open offer no c afronden, e bewerken, x intrekken on the bottom line; with open ones they are offered (found by new users in tmux: an empty list offered all three, and x then said "Geen afspraak gekozen.").
. "$(dirname "$0")/lib.sh"

start_server
# the GP practice has no open action point in the demo
start_client gp huisarts
keys gp 3
wait_for gp "Geen openstaande afspraken voor uw organisatie." ||
	fail "the GP's list is not empty (the test needs it): $(screen gp)"
foot=$(screen gp | tail -n 1)
echo "$foot" | grep -qE "c afronden|e bewerken|x intrekken" && fail "an empty list offers c/e/x: $foot"
# the police have open action points: offered
start_client pol politie
keys pol 3
wait_for pol "Tafel · Afspraken" || fail "3 did not open the police's action points"
wait_re pol "^ *!? *[0-9]{4}-[0-9]{2}-[0-9]{2}" || fail "police: no action point listed: $(screen pol)"
wait_re pol "c afronden" || fail "police: c not offered: $(screen pol | tail -n 1)"
ok
