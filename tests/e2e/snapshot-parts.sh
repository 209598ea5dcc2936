#!/bin/bash
# A meeting whose snapshot is larger than one frame (180 long action points, about 1.4 MB) opens in tafel --batch and on screen, and so does its case: the answers come in parts.
. "$(dirname "$0")/lib.sh"

# 180 writes in a row from one session: over the default rate
tafeld_start 0 --set rate_session=1000 --set rate_burst=1000
demo_data
MEETING=$(meeting_id "SSO Enschede") || fail "no SSO meeting in the demo data"
pol=$(printf 'orgs\nquit\n' | batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "organisation_list":
        print([x["id"] for x in o["organisation_list"]["organisations"]
               if x["name"].startswith("Politie")][0])')
[ -n "$pol" ] || fail "no police organisation"
# of the SSO's district: the chair may put it on the agenda (protocol.md 7.2)
res=$(printf '%s\n' "signal domestic_violence Enschede person Veel afspraken" quit |
	batch politie)
read -r case_id number < <(echo "$res" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "case_record":
        print(o["case_record"]["id"], o["case_record"]["number"]); break')
[ -n "$number" ] || fail "signal: $res"
printf '%s\n' "add-item $MEETING $case_id" quit | batch voorzitter | grep -q '"agenda"' ||
	fail "add-item"
due=$(date -d '+7 days' +%Y-%m-%d)
n=$(python3 -c '
import sys
for i in range(1, 181):
    print("action %s %s %s %s Deel %d: %s" % (sys.argv[1], sys.argv[2], sys.argv[3],
          sys.argv[4], i, "Afspraak over het vervolg. " * 290))
print("quit")' "$case_id" "$MEETING" "$pol" "$due" | batch voorzitter |
	grep -c '"action_point"')
[ "$n" = 180 ] || fail "only $n of 180 action points made"

# tafel --batch: one subscribed answer, with all 180 in full and in order
printf 'subscribe %s\nquit\n' "$MEETING" | batch politie >"$E2E_DIR.sub" ||
	fail "subscribe failed: $(tail -c 300 "$E2E_DIR.sub")"
python3 - "$E2E_DIR.sub" "$case_id" <<'PY' || fail "the snapshot in parts was not joined whole"
import json, sys
subs = [json.loads(l) for l in open(sys.argv[1]) if '"subscribed"' in l]
assert len(subs) == 1, [(s.get("type"), s.get("request_id"), s["subscribed"].get("parts_left"), len(s["subscribed"].get("snapshot", {}).get("actions", []))) for s in subs]
acts = [a for a in subs[0]["subscribed"]["snapshot"]["actions"]
        if a["case_id"] == int(sys.argv[2])]
assert [a["description"].split(":")[0] for a in acts] == \
    ["Deel %d" % i for i in range(1, 181)], [a["description"][:8] for a in acts]
assert all(len(a["description"]) > 7000 for a in acts), sorted(set(len(a["description"]) for a in acts))
PY
grep -qE "bytes of Snapshot sent in [2-8] parts" "$E2E_DIR.log" || { grep -a "parts" "$E2E_DIR.log" >&2;
	fail "the server did not send it in parts"; }

# the case itself (get_case) comes in parts too: one answer, all 180
printf 'case %s\nquit\n' "$case_id" | batch politie >"$E2E_DIR.case" ||
	fail "case failed: $(tail -c 300 "$E2E_DIR.case")"
python3 - "$E2E_DIR.case" <<'PY' || fail "the case in parts was not joined whole"
import json, sys
got = [json.loads(l) for l in open(sys.argv[1]) if '"case_detail"' in l]
assert len(got) == 1, len(got)
assert len(got[0]["case_detail"]["actions"]) == 180, len(got[0]["case_detail"]["actions"])
PY

# on screen: the meeting opens, with the case on its agenda, and the case
start_client part politie --meeting "$MEETING"
wait_re part "^ +# +Casus" || fail "the meeting did not open"
wait_for part "$number" || fail "case $number not on the agenda"
screen part | grep -qi "frame limit\|ask for less" && fail "refused as too large"
open_case part "$number"
wait_for part "Deel 1: Afspraak" || fail "the case's action points are not shown: $(screen part)"
screen part | grep -qi "frame limit\|ask for less\|te groot" && fail "the case was refused as too large"
ok
