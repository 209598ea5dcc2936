#!/bin/bash
# A decision changed by someone else while the chair types: CONFLICT shows the current text and keeps the typed one in the prompt.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
item=$(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "subscribed":
        snap = m["subscribed"]["snapshot"]
        cur = snap["meeting"]["current_item_id"]
        for it in snap["agenda"]:
            if it["id"] == cur:
                print(it["id"], it["version"])')
[ -n "$item" ] || fail "no current item"
set -- $item
keys chair d
num=$(current_line chair | awk '{print $3}')
# the prompt names the case it records the decision on
wait_for chair "Besluit over casus $num:" || fail "decision prompt did not open"
type_text chair "Mijn besluit"
printf 'decision %s %s Besluit van elders\nquit\n' "$1" "$2" | batch voorzitter |
	grep -q '"type":"response"' || fail "batch decision failed"
keys chair Enter
wait_for chair "Iemand anders heeft dit intussen gewijzigd" || fail "no conflict message"
# the current record from the Error: its decision (the text may be hidden
# from the chair's organisation by the covenant) and its new version
wait_for chair "Nu: Besluit «" || fail "conflict does not show the current decision"
wait_for chair "(versie $(($2 + 1)))" || fail "conflict does not show the current version $(($2 + 1))"
wait_for chair "Besluit over casus $num: Mijn besluit" || fail "typed decision not kept in the prompt"
# a second try with the version from the conflict is accepted
keys chair Enter
wait_for chair "Besluit over casus $num vastgelegd." || fail "second try not saved"
n=$(count_in_meeting politie "$MEETING" '"decision":"Mijn besluit"')
[ "$n" = 1 ] || fail "decision not stored (seen $n times)"
# the current record the CONFLICT carried (rendered for the chair: free
# text, and for a case its persons) is not written to the embedded
# cluster's log, where neither the read audit nor the purge reaches it
grep -n "Besluit van elders" "$E2E_DIR/pg/postgres.log" &&
	fail "the conflict's current record is in pg/postgres.log"
ok
