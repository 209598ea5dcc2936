#!/bin/bash
# Closing a meeting with agenda items that have no decision asks about them first, naming their cases ("2 agendapunten zonder besluit (2026-0007, 2026-0008). Toch sluiten? (j/n)"), also for an item passed in a burst of n; n keeps the meeting open; once every item has a decision the question is the usual one.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
items=$(screen chair | grep -cE "^. +[0-9]+ +20[0-9]{2}-[0-9]{4}")
[ "$items" -ge 3 ] || fail "fewer than 3 items on the agenda: $(screen chair)"
case_of() {	# case_of N: the case number of agenda item N
	screen chair | grep -E "^. +$1 +20" | grep -oE '20[0-9]{2}-[0-9]{4}' | head -n 1
}
c1=$(case_of 1) c2=$(case_of 2) c3=$(case_of 3)

# item 1 decided, item 2 passed in a burst, item 3 current
keys chair d
wait_for chair "Besluit over casus $c1:" || fail "d did not ask"
type_text chair "Besluit e2e 1"
keys chair Enter
wait_for chair "Besluit over casus $c1 vastgelegd." || fail "decision 1 not recorded"
keys chair n n
wait_re chair '^▶ +3 ' || fail "n n did not make item 3 current: $(screen chair)"

keys chair c
n=$((items - 1))
# two are named, of more the first and "…"
if [ "$n" -eq 2 ]; then list="$c2, $c3"; else list="$c2, …"; fi
wait_for chair "$n agendapunten zonder besluit ($list). Toch sluiten? (j/n)" ||
	fail "c did not ask about the $n items without a decision: $(screen chair | tail -n 3)"
screen chair | tail -n 3 | grep -q "$c1" && fail "item 1 (decided) named: $(screen chair | tail -n 3)"
keys chair n
wait_gone chair "Toch sluiten?" || fail "n did not answer"
sleep 0.5
screen chair | grep -q "· open ·" || fail "meeting not open after n: $(screen chair)"

# every item decided: the usual question
for i in $(seq 1 "$items"); do
	keys chair k
done
for i in $(seq 2 "$items"); do
	keys chair j
	c=$(case_of "$i")
	keys chair d
	wait_for chair "Besluit over casus $c:" || fail "d on item $i did not ask: $(screen chair | tail -n 3)"
	type_text chair "Besluit e2e $i"
	keys chair Enter
	wait_for chair "Besluit over casus $c vastgelegd." || fail "decision $i not recorded: $(screen chair | tail -n 3)"
done
keys chair c
wait_re chair "Overleg '[^']*' sluiten\? \(j/n\)" || fail "c with all decided: $(screen chair | tail -n 3)"
screen chair | grep -q "zonder besluit" && fail "all decided, still asked about items without one"
keys chair j
wait_for chair "Overleg gesloten." || fail "meeting not closed: $(screen chair)"
ok
