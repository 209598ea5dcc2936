#!/bin/bash
# Housing, asked in an info round on a case of its meeting, reads on the case's line that birth dates are hidden and, on that same line, that the info round has them to search for (the line said "hidden" a few rows above the dates, a new user's run).
. "$(dirname "$0")/lib.sh"

start_server
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
woon=$(printf 'orgs\nquit\n' | batch voorzitter |
	pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["kind"] == "housing"][0]')
[ -n "$woon" ] || fail "no housing organisation in the demo data"
# the WZT's first case with persons, not yet in an open round; the chair
# made a process manager of its district and theme (who starts rounds)
set -- $( { printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter; } | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "subscribed":
        snap = m["subscribed"]["snapshot"]
        cases = {c["id"]: c for c in snap.get("cases", []) if c.get("persons")}
        busy = {r["case_id"] for r in snap.get("info_rounds", []) if "open" in str(r.get("state", "")).lower()}
        ids = [it["case_id"] for it in sorted(snap["agenda"], key=lambda it: it["position"])
               if it["case_id"] in cases and it["case_id"] not in busy]
        if ids:
            c = cases[ids[0]]
            print(c["id"], c["district"], c["theme"])')
case=${1:-} district=${2:-} theme=${3:-}
[ -n "$theme" ] || fail "no case with persons on the WZT agenda"
ctl pm add voorzitter "$district" "$theme" >/dev/null || fail "pm add"
out=$(printf 'info-round %s %s %s\nquit\n' "$case" "$(date -d '+3 days' +%F)" "$woon" | batch voorzitter 2>&1)
echo "$out" | grep -q '"body":"info_round"' || fail "could not start the info round (case $case, org $woon): $out"

start_client woon woningcorporatie --meeting "$MEETING"
wait_re woon "^ +# +Casus" || fail "woon: meeting not shown: $(screen woon)"
row=$( { printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter; } |
	pick '[it["position"] for it in m["subscribed"]["snapshot"]["agenda"] if it["case_id"] == '"$case"'][0]')
[ -n "$row" ] || fail "the case's position not found"
keys woon g
for _ in $(seq 2 "$row"); do keys woon j; done
wait_joined woon "(geboortedata, de samenvatting) — in de inforonde, om op te zoeken" ||
	fail "woon: the hidden line does not point at the round: $(screen woon)"
# the case itself: the same line, and the round with the persons
keys woon Enter
wait_for woon "Om op te zoeken (inforonde)" || fail "woon: the round's persons not shown: $(screen woon)"
wait_joined woon "(geboortedata, de samenvatting) — in de inforonde, om op te zoeken" ||
	fail "woon: the case's hidden line does not point at the round: $(screen woon)"
ok
