#!/bin/bash
# tafel --batch chairs a small meeting from one pipe of commands, with no pause between them: next, next, next, prev step through the agenda one item at a time (next twice in a row went to the first item twice, as the first step's event had not come yet), then a decision and an action point on the item it left current, and close.
. "$(dirname "$0")/lib.sh"

start_meeting
snap=$(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | pick 'm["subscribed"]["snapshot"] if m["body"] == "subscribed" else None')
[ -n "$snap" ] || fail "no snapshot of meeting $MEETING"
set -- $(echo "$snap" | python3 -c '
import ast, sys
s = ast.literal_eval(sys.stdin.read())
assert s["meeting"]["state"] == "planned" and s["meeting"]["current_item_id"] == 0, s["meeting"]
items = [it["id"] for it in s["agenda"]]
assert len(items) >= 3, items
print(s["meeting"]["version"], *items[:3])')
version=$1 first=$2 second=$3 third=$4
[ -n "$third" ] || fail "the demo meeting has fewer than three items"

{
	printf 'subscribe %s\nopen %s %s\n' "$MEETING" "$MEETING" "$version"
	printf 'next %s\n' "$MEETING" "$MEETING" "$MEETING"
	printf 'prev %s\n' "$MEETING"
	printf 'quit\n'
} | batch voorzitter >"$E2E_DIR.out" 2>"$E2E_DIR.err" || fail "batch exited $?: $(cat "$E2E_DIR.err")"
steps=$(python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
r = [x for x in r if x["type"] in ("response", "error")]
# the opening is followed by a resync (the chair recorded present: protocol.md
# 8.4), which the batch client answers by subscribing again
assert r[0].get("body") == "subscribed", r[0]
m = [x for x in r if x.get("body") != "subscribed"]
assert [x.get("body") for x in m] == ["meeting"] * 5, [(x.get("body"), x.get("message")) for x in r]
print(" ".join(str(x["meeting"]["current_item_id"]) for x in m[1:]))' "$E2E_DIR.out") ||
	fail "the meeting's commands: $(grep -v '"login"' "$E2E_DIR.out" | cut -c 1-200)"
[ "$steps" = "$first $second $third $second" ] ||
	fail "next, next, next, prev went to items $steps, not $first $second $third $second"

# a decision and an action point on the item left current, then close
set -- $(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter |
	pick "[(it['case_id'], it['version']) for it in m['subscribed']['snapshot']['agenda'] if it['id'] == $second][0]" | tr -d '(),')
case_id=$1 item_version=$2
[ -n "$item_version" ] || fail "item $second not on the agenda"
police=$(org_of_kind police)
due=$(date -d '+14 days' +%F)
res=$({
	printf 'subscribe %s\n' "$MEETING"
	printf 'decision %s %s Huisverbod verlengen; "plan" volgt\n' "$second" "$item_version"
	printf 'action %s %s %s %s Risicotaxatie herhalen key=meeting-e2e-1\n' "$case_id" "$MEETING" "$police" "$due"
	printf 'quit\n'
} | batch voorzitter)
echo "$res" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
r = [x for x in r if x["type"] in ("response", "error")]
assert r[1].get("body") == "agenda_item" and r[1]["agenda_item"]["decision"] == "Huisverbod verlengen; \"plan\" volgt", r[1]
assert r[2].get("body") == "action_point" and r[2]["action_point"]["description"] == "Risicotaxatie herhalen", r[2]
' || fail "decision and action: $(echo "$res" | grep -v '"login"' | cut -c 1-300)"
mver=$(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | pick 'm["subscribed"]["snapshot"]["meeting"]["version"]')
state=$(printf 'close %s %s\nquit\n' "$MEETING" "$mver" | batch voorzitter | pick 'm["meeting"]["state"]')
[ "$state" = closed ] || fail "close: the meeting is '$state'"
rm -f "$E2E_DIR.out" "$E2E_DIR.err"
ok
