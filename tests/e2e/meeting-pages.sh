#!/bin/bash
# A long agenda pages in the meeting view: PgDn/PgUp a page, G/End to the last item, g/Home to the first (a partner then goes their own way, as with j and k), where before they did nothing.
. "$(dirname "$0")/lib.sh"

start_meeting
# every case the chair may add goes on the agenda (the demo's 3 and more)
ids=$({ printf 'cases\nsubscribe %s\nquit\n' "$MEETING" | batch voorzitter; } | python3 -c '
import json, sys
cases, on = [], set()
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "case_list":
        cases = [c["id"] for c in m["case_list"]["cases"]]
    if m.get("body") == "subscribed":
        on = {it["case_id"] for it in m["subscribed"]["snapshot"]["agenda"]}
print(" ".join(str(c) for c in cases if c not in on))')
[ -n "$ids" ] || fail "no cases to add"
for id in $ids; do printf 'add-item %s %s\n' "$MEETING" "$id"; done |
	{ cat; echo quit; } | batch voorzitter >/dev/null || fail "add-item"
n=$(agenda_cases "$MEETING" | sed -n 3p)
[ "$n" -ge 10 ] || fail "agenda too short to page: $n items"

start_client pol politie --meeting "$MEETING"
wait_re pol "^ +# +Casus" || fail "meeting not shown"
wait_re pol "^ +\+[0-9]+ meer" || fail "the agenda fits: nothing to page: $(screen pol)"
sel() {	# the position of the selected agenda item (its case shown below)
	local num
	num=$(screen pol | sed -n 's/^Casus \([0-9-]*\) ·.*/\1/p' | head -n 1)
	[ -n "$num" ] || return
	screen pol | grep -E "^[ ▶✓] +[0-9]+  $num " | awk '{print $(NF>0?1:1)}' |
		grep -oE '[0-9]+' | head -n 1
}
# wait_sel MIN MAX: until the selected item's position is MIN..MAX (the
# pane is drawn with the move; a fixed pause read it too early under load)
wait_sel() {
	local deadline=$((SECONDS + 20)) p
	while [ $SECONDS -lt $deadline ]; do
		p=$(sel)
		[ -n "$p" ] && [ "$p" -ge "$1" ] && [ "$p" -le "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
keys pol G
wait_re pol "^[ ▶✓] +$n  " || fail "G did not show the last item $n: $(screen pol)"
[ "$(sel)" = "$n" ] || fail "G did not select the last item: $(sel): $(screen pol)"
wait_for pol "eigen weg" || fail "G: the partner does not go their own way: $(screen pol)"
keys pol g
wait_re pol "^[ ▶✓] +1  " || fail "g did not show the first item: $(screen pol)"
[ "$(sel)" = 1 ] || fail "g did not select the first item: $(sel)"
keys pol NPage
wait_sel 3 $((n - 1)) || fail "PgDn did not move a page: $(sel): $(screen pol)"
keys pol PPage
wait_sel 1 1 || fail "PgUp did not go back a page: $(sel)"
keys pol End
wait_sel "$n" "$n" || fail "End did not select the last item: $(sel)"
keys pol Home
wait_sel 1 1 || fail "Home did not select the first item: $(sel)"
screen pol | grep -qF "doet niets" && fail "a key did nothing: $(screen pol)"
ok
