#!/bin/bash
# Agenda reorder keys pressed in a burst all count: K K K moves the selected item three places up, J J J three places down, on the chair's screen, a follower's and the server.
. "$(dirname "$0")/lib.sh"

# order: the server's agenda order of MEETING, case numbers on one line.
order() {
	printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "subscribed":
        s = m["subscribed"]["snapshot"]
        nums = {c["id"]: c["number"] for c in s["cases"]}
        items = sorted(s["agenda"], key=lambda it: it["position"])
        print(" ".join(nums[it["case_id"]] for it in items))'
}

# shown SESSION: the agenda's case numbers on the screen, in order.
shown() {
	screen "$1" | grep -E '^[ ▶✓] +[0-9]+  20[0-9]{2}-[0-9]{4}' |
		grep -oE '20[0-9]{2}-[0-9]{4}' | tr '\n' ' ' | sed 's/ $//'
}

# wait_order SESSION ORDER: until the screen shows that agenda order.
wait_order() {
	local deadline=$((SECONDS + 10))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(shown "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

start_server
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_re pol "^ +# +Casus" || fail "pol: meeting not shown"
read -r -a o <<<"$(order)"
[ "${#o[@]}" -ge 4 ] || fail "the demo meeting has fewer than 4 items: ${o[*]}"
wait_order chair "${o[*]}" || fail "chair: agenda not as on the server: $(shown chair) / ${o[*]}"

# select item 4 and press K three times at once
keys chair g 2>/dev/null
for _ in 1 2 3; do keys chair j; done
wait_re chair "^[ ▶✓]? *4  ${o[3]}" 1
keys chair K K K
want=("${o[3]}" "${o[0]}" "${o[1]}" "${o[2]}" "${o[@]:4}")
wait_order chair "${want[*]}" || fail "K K K: chair shows $(shown chair), want ${want[*]}"
wait_order pol "${want[*]}" || fail "K K K: follower shows $(shown pol), want ${want[*]}"
[ "$(order)" = "${want[*]}" ] || fail "K K K: server has $(order), want ${want[*]}"
# the moved item stays selected; J J J takes it back to place 4
keys chair J J J
wait_order chair "${o[*]}" || fail "J J J: chair shows $(shown chair), want ${o[*]}"
sleep 1
[ "$(shown chair)" = "${o[*]}" ] || fail "J J J: the agenda moved on: $(shown chair)"
[ "$(order)" = "${o[*]}" ] || fail "J J J: server has $(order), want ${o[*]}"
# a longer burst: down past the end is said, not sent
keys chair K J J J J J J J J J
last=("${o[@]:0:3}" "${o[@]:4}" "${o[3]}")
wait_order chair "${last[*]}" || fail "burst to the end: chair shows $(shown chair), want ${last[*]}"
wait_for chair "Dit is al het laatste punt." || fail "no word at the end: $(screen chair | tail -n 2)"
[ "$(order)" = "${last[*]}" ] || fail "burst to the end: server has $(order), want ${last[*]}"
ok
