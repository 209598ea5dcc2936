#!/bin/bash
# A closed meeting has no one to follow: the partner's (gone its own way) status line no longer says "volgt voorzitter", the bottom line no longer offers "f volgen", and f says it is not possible now (new users read "volgt voorzitter" on a meeting long closed).
. "$(dirname "$0")/lib.sh"

meeting_with_partner reclassering
wait_for rec "volgt voorzitter" || fail "partner does not follow in the open meeting: $(screen rec | tail -n 2)"
# its own way (following, f is not offered: e2e follow-footer)
keys rec j
wait_for rec "eigen weg — f om te volgen" || fail "partner: j did not go its own way: $(screen rec | tail -n 2)"
wait_for rec "f volgen" 5 || fail "f not offered in the open meeting: $(screen rec | tail -n 1)"
keys chair c
wait_re chair "sluiten\? \(j/n\):" || fail "c did not ask: $(screen chair | tail -n 3)"
keys chair j
wait_re rec "· gesloten( ·| *$)" || fail "partner: the meeting is not shown closed: $(screen rec | head -n 3)"
sleep 0.5
screen rec | tail -n 2 | grep -qF "volgt voorzitter" && fail "closed: still 'volgt voorzitter': $(screen rec | tail -n 2)"
screen rec | tail -n 1 | grep -qF "f volgen" && fail "closed: f still offered: $(screen rec | tail -n 1)"
keys rec f
wait_for rec "f: niet mogelijk nu het overleg gesloten is." ||
	fail "f on a closed meeting: $(screen rec | tail -n 2)"
screen chair | tail -n 2 | grep -qF "u leidt dit overleg" && fail "closed: the chair still 'leads': $(screen chair | tail -n 2)"
ok
