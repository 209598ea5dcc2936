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

# the chair opens another meeting: the partner, back in the list, finds
# the cursor on it (it stayed on the closed one, which Enter reopened)
set -- $(printf 'meetings\nquit\n' | batch reclassering | pick '" ".join(str(x[k]) for x in m["meeting_list"]["meetings"] if x["state"] == "planned" and x["chair_id"] == 1 and x["id"] != '"$MEETING"' for k in ("id", "version"))' | cut -d' ' -f1-2)
[ -n "${2:-}" ] || fail "no other meeting of the chair that probation sees"
printf 'open %s %s\nquit\n' "$1" "$2" | batch voorzitter | grep -q '"state":"open"' ||
	fail "open meeting $1"
keys rec q
wait_for rec "Tafel · Overleggen" || fail "partner: q did not go to the meetings list: $(screen rec | head -n 3)"
keys rec Enter
wait_re rec "· open( ·| *$)" || fail "partner: Enter did not open the meeting the chair opened: $(screen rec | head -n 3)"
ok
