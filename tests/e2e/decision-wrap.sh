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

# a longer agenda and more persons leave the decision fewer rows: it keeps
# its three (the persons give way, counted), at 80x24 (it was cut on one)
set -- $( { printf 'cases\nsubscribe %s\nquit\n' "$MEETING" | batch voorzitter; } | python3 -c '
import json, sys
cases, on, first = [], set(), 0
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "case_list":
        cases = [c["id"] for c in m["case_list"]["cases"] if "closed" not in str(c.get("status", "")).lower()]
    if m.get("body") == "subscribed":
        ag = sorted(m["subscribed"]["snapshot"]["agenda"], key=lambda it: it["position"])
        on = {it["case_id"] for it in ag}
        first = ag[0]["case_id"]
print(first, " ".join([str(c) for c in cases if c not in on][:4]))')
first=${1:-}
shift
ids="$*"
[ -n "$ids" ] || fail "no cases to add"
for p in "Anna Jansen" "Bram Jansen" "Carla Jansen" "Daan Jansen" "Eva Jansen"; do
	printf 'add-person %s other - %s\nquit\n' "$first" "$p" | batch voorzitter | grep -q '"person"' ||
		fail "could not add $p to case $first"
done
for id in $ids; do
	printf 'add-item %s %s\nquit\n' "$MEETING" "$id" | batch voorzitter | grep -q '"agenda"' ||
		fail "could not add case $id"
done
for s in chair rec; do
	wait_re "$s" '^ +7 +20[0-9]{2}-' || fail "$s: the agenda did not grow to 7: $(screen "$s")"
	wait_re "$s" '^  .*plant zij een nieuw gesprek *$' ||
		fail "$s: with a long agenda the end of the decision is not shown: $(screen "$s")"
done
ok
