#!/bin/bash
# Legal clocks on screen (issue 11, docs/protocol.md 7.9): a huisverbod set through --batch shows on the meeting's agenda row ("huisverbod 9/10"), in the meeting's case panel and in the case view ("huisverbod dag 9 van 10", with the hearing); a clock flagged red is drawn red, one that is not is not.
. "$(dirname "$0")/lib.sh"

start_meeting
# the first case on today's agenda
set -- $(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "subscribed":
        s = m["subscribed"]["snapshot"]
        it = sorted(s["agenda"], key=lambda x: x["position"])[0]
        c = [c for c in s["cases"] if c["id"] == it["case_id"]][0]
        print(c["id"], c["number"])')
CASE=${1:-} NUMBER=${2:-}
[ -n "$CASE" ] || fail "no case on the agenda"

# the order was given 8 days ago: today is day 9 of 10
START=$(date -d "-8 days" +%F)
HEARING=$(date -d "+1 day" +%F)
out=$(printf 'clock %s huisverbod %s hearing=%s\nquit\n' "$CASE" "$START" "$HEARING" | batch voorzitter)
RED=$(echo "$out" | python3 -c '
import json, sys
c = [json.loads(l) for l in sys.stdin]
c = [x for x in c if x.get("body") == "case_record"][-1]["case_record"]["clocks"][0]
assert c["day"] == 9 and c["total_days"] == 10, c
print("yes" if c.get("red") else "no")') || fail "clock not set: $out"

# red or not: the clock's cells carry the red colour exactly when red is set
is_red_line() { # SESSION TEXT: does the line with TEXT carry red (31 or 91)?
	tm capture-pane -e -p -t "$1" | grep -F -- "$2" | grep -qE $'\e\\[([0-9;]*;)?(31|91)(;[0-9;]*)?m[^\e]*'"$2"
}

start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "meeting not shown"
wait_re chair "^ +1  $NUMBER .*huisverbod 9/10" || fail "agenda row has no clock: $(screen chair)"
wait_for chair "huisverbod dag 9 van 10 · zitting $HEARING" || fail "case panel has no clock: $(screen chair)"
keys chair Enter
wait_for chair "Tafel · Casus" || fail "Enter did not open the case"
wait_for chair "Wettelijke termijnen" || fail "case view has no clocks heading: $(screen chair)"
wait_for chair "  huisverbod dag 9 van 10 · zitting $HEARING" || fail "case view has no clock: $(screen chair)"
if [ "$RED" = yes ]; then
	is_red_line chair "huisverbod dag 9 van 10" || fail "red clock not drawn red"
else
	is_red_line chair "huisverbod dag 9 van 10" && fail "clock drawn red though red is not set"
fi

# a clock that ends before any meeting can discuss it is red: a fresh
# signal in a district without a planned meeting
out=$(printf 'signal domestic_violence Nergensdorp person Huisverbod opgelegd\nquit\n' | batch politie)
set -- $(echo "$out" | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("body") == "case_record":
        print(m["case_record"]["id"], m["case_record"]["number"]); break')
C2=${1:-} N2=${2:-}
[ -n "$C2" ] || fail "signal: $out"
out=$(printf 'clock %s huisverbod %s\nquit\n' "$C2" "$START" | batch politie)
RED2=$(echo "$out" | python3 -c '
import json, sys
c = [json.loads(l) for l in sys.stdin]
c = [x for x in c if x.get("body") == "case_record"][-1]["case_record"]["clocks"][0]
print("yes" if c.get("red") else "no")') || fail "clock not set: $out"
[ "$RED2" = yes ] || fail "a clock with no meeting ahead should be red: $out"
start_client pol politie
keys pol 4
wait_for pol "Tafel · Casussen" || fail "4 did not open the case list"
keys pol /
wait_for pol "Zoeken:" || fail "/ did not ask for a search"
type_text pol "$N2"
keys pol Enter
wait_for pol "/$N2" || fail "search not shown"
wait_gone pol "Zoeken:" || fail "search prompt stays"
wait_re pol "^ $N2 +huiselijk geweld +Nergensdorp" || fail "case $N2 not listed"
keys pol Enter
wait_for pol "Casus $N2 · huiselijk geweld" || fail "Enter did not open case $N2: $(screen pol)"
wait_for pol "  huisverbod dag 9 van 10" || fail "case view has no clock: $(screen pol)"
is_red_line pol "huisverbod dag 9 van 10" || fail "red clock not drawn red: $(tm capture-pane -e -p -t pol)"
ok
