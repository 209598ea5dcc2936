#!/bin/bash
# News of one action on the status line goes after a while (10 s) without a key, so that an unattended screen (the beamer) does not still say "Besluit over casus … vastgelegd." long after (found by an outside tester); an error stays until the next key.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_re pol "^ +# +Casus" || fail "partner: meeting not shown"
chair_start chair
num=$(current_line chair | awk '{print $3}')

# news: the decision recorded, then no key
keys chair d
wait_for chair "Besluit over casus $num:" || fail "decision prompt did not open"
type_text chair "Besluit dat verdwijnt e2e$$"
keys chair Enter
wait_for chair "Besluit over casus $num vastgelegd." || fail "decision not recorded"
# an error meanwhile on the partner's screen: a chair's key
keys pol n
wait_for pol "alleen de voorzitter kan dit." || fail "partner's n not refused: $(screen pol)"
start=$SECONDS
# long enough for the e2e tests that wait for a message (they poll a few s)
sleep 5
screen chair | grep -qF "Besluit over casus $num vastgelegd." ||
	fail "the news went within 5 s: $(screen chair)"
wait_gone chair "Besluit over casus $num vastgelegd." 15 ||
	fail "the news still stands after $((SECONDS - start)) s without a key: $(screen chair)"
wait_for chair "verbonden" || fail "the status line does not show the connection again: $(screen chair)"
# the error stays until the next key
screen pol | grep -qF "alleen de voorzitter kan dit." ||
	fail "the error went without a key: $(screen pol)"
keys pol j
wait_gone pol "alleen de voorzitter kan dit." 5 || fail "the error stayed after a key: $(screen pol)"
ok
