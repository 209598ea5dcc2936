#!/bin/bash
# The chair presses n several times in a quick burst: every press counts (each steps on from the one before, not from the item the server confirmed last), the presses made while a step is out go as one step (an item passed over is never made current), and p steps back the same way.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for pol "volgt voorzitter" || fail "follower: not following"
# two more cases: five items
for i in 1 2; do
	keys chair +
	wait_for chair "Tafel · Casus aan de agenda toevoegen" || fail "+ did not open the picker ($i)"
	wait_re chair "^ 2026-[0-9]+ " || fail "no cases in the picker ($i)"
	keys chair Enter
	wait_re chair "Casus 2026-[0-9]+ staat nu op de agenda" || fail "case $i not added"
done
wait_re chair "^ +5  2026-" || fail "the agenda does not have five items: $(screen chair)"

chair_start chair
# three presses before the server answers the first (the meetings table is
# held, so the first step waits for it): item 1 -> 4, and the two presses
# made meanwhile go as one step, so item 3 is never made current
sql -c "BEGIN; LOCK TABLE meetings IN EXCLUSIVE MODE; SELECT pg_sleep(3); COMMIT;" >/dev/null &
locker=$!
deadline=$((SECONDS + 20))
until [ "$(sql -At -c "SELECT count(*) FROM pg_locks WHERE relation = 'meetings'::regclass AND mode = 'ExclusiveLock' AND granted")" = 1 ]; do
	[ $SECONDS -lt $deadline ] || fail "the meetings table was not locked"
	sleep 0.1
done
keys chair n n n
wait "$locker"
wait_re chair '^▶ +4 ' || fail "chair: n n n moved to $(current_line chair | awk '{print $2}'), not item 4: $(screen chair)"
wait_re pol '^▶ +4 ' || fail "follower: not on item 4: $(screen pol)"
sleep 1
wait_re chair '^▶ +4 ' 1 || fail "chair: moved on from item 4: $(screen chair)"
screen chair | grep -qF "Even geduld" && fail "chair: a press was refused: $(screen chair | tail -n 2)"
# items 1 and 2 were current: discussed; item 3 was passed over in the
# burst: not discussed, and nobody present gained access to its case
printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") != "subscribed":
        continue
    items = sorted(m["subscribed"]["snapshot"]["agenda"], key=lambda i: i["position"])
    states = [i["state"] for i in items[:4]]
    print(" ".join(states))
    sys.exit(0 if states[:2] == ["discussed"] * 2 and states[2] != "discussed" else 1)
sys.exit(1)' >"$E2E_DIR.states" 2>&1 || fail "items 1-2 discussed, 3 not: $(cat "$E2E_DIR.states")"

# back twice in a burst: item 2
keys chair p p
wait_re chair '^▶ +2 ' || fail "chair: p p did not go back to item 2: $(screen chair)"
wait_re pol '^▶ +2 ' || fail "follower: not on item 2: $(screen pol)"
# four presses with three items left: three steps, the fourth is told why
keys chair n n n n
wait_re chair '^▶ +5 ' || fail "chair: n n n n did not move to the last item: $(screen chair)"
wait_for chair "Dit is het laatste agendapunt." || fail "chair: the press past the end not explained: $(screen chair)"
ok
