#!/bin/bash
# A meeting that closed without a decision on an item says "(geen besluit vastgelegd)" in the case's history and in the closed meeting, as its minutes do, and "(niet besproken)" for an item never reached; "(nog geen)" is for a meeting still running (the history said "(nog geen)" where the minutes said "(geen besluit vastgelegd)" for the same thing; found by a new user in tmux).
. "$(dirname "$0")/lib.sh"

start_meeting
# the chair as the process manager of the demo's districts (as scripts/demo.sh
# makes it) reads every case, also one the meeting never reached
for d in Enschede Enschede-Noord Eemland; do
	ctl pm add voorzitter "$d" >/dev/null || fail "pm add voorzitter $d"
done
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
first=$(screen chair | sed -nE 's/^▶ +1 +([0-9]{4}-[0-9]{4}) .*/\1/p')
[ -n "$first" ] || fail "chair: no case on item 1: $(screen chair)"

# running: the history of item 1's case says "(nog geen)" for this meeting
keys chair Enter
wait_for chair "Casus $first" || fail "chair: Enter did not open case $first: $(screen chair)"
wait_for chair "Geschiedenis" || fail "chair: no history: $(screen chair)"
keys chair G
wait_re chair "SSO Enschede: \(nog geen\)" 5 ||
	fail "chair: the running meeting is not '(nog geen)' in the history: $(screen chair)"
keys chair q
wait_re chair "^ +# +Casus" || fail "chair: q did not go back: $(screen chair)"

# closed without a decision on item 1, item 2 never reached
keys chair c
wait_re chair "Toch sluiten\? \(j/n\):" || fail "chair: c did not ask about the items without a decision: $(screen chair | tail -n 3)"
keys chair j
wait_re chair "· gesloten( ·| *$)" || fail "chair: not closed: $(screen chair | head -n 2)"
keys chair g
wait_re chair "^Casus $first " || fail "chair: item 1 not selected: $(screen chair)"
wait_for chair "Besluit: (geen besluit vastgelegd)" 5 ||
	fail "chair: closed meeting, item 1: $(screen chair | grep Besluit)"
keys chair j
wait_re chair "^Casus 2026-0007 " || fail "chair: item 2 not selected: $(screen chair)"
wait_for chair "Besluit: (niet besproken)" 5 ||
	fail "chair: closed meeting, item 2 (never reached): $(screen chair | grep Besluit)"
keys chair g
wait_re chair "^Casus $first " || fail "chair: item 1 not selected again: $(screen chair)"
keys chair Enter
wait_for chair "Geschiedenis" || fail "chair: Enter did not open the case: $(screen chair)"
keys chair G
wait_re chair "SSO Enschede: \(geen besluit vastgelegd\)" 5 ||
	fail "chair: the closed meeting in the history: $(screen chair)"
screen chair | grep -qE "SSO Enschede: \(nog geen\)" &&
	fail "chair: the closed meeting is still '(nog geen)' in the history: $(screen chair)"
# the minutes say the same
keys chair q
wait_re chair "^ +# +Casus" || fail "chair: q did not go back: $(screen chair)"
keys chair b
wait_for chair "Besluitenlijst" || fail "chair: b did not show the minutes: $(screen chair)"
wait_for chair "Besluit: (geen besluit vastgelegd)" 5 || fail "chair: the minutes: $(screen chair)"
ok
