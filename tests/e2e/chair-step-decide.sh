#!/bin/bash
# d and a typed right after n, before the server has answered the step, wait for the step ("Naar casus …") and then work on the item n made current (the prompt names its case; the decision is recorded there, without a "someone else changed this" conflict), never on the item the chair is leaving, and what is typed before the prompt is there goes into it, not to the meeting as keys; a step made while d's prompt is open (a change of the item's state, not of its decision) does not turn the decision into a conflict.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
case_of() {	# case_of N: the case number of agenda item N
	screen chair | grep -E "^. +$1 +20" | grep -oE '20[0-9]{2}-[0-9]{4}' | head -n 1
}
c1=$(case_of 1) c2=$(case_of 2) c3=$(case_of 3)
[ -n "$c3" ] || fail "fewer than 3 items on the agenda: $(screen chair)"

# hold_step [SECS]: the meetings table is held for SECS (3) s, so the next
# step waits for it and the keys after n come before its answer
hold_step() {
	sql -c "BEGIN; LOCK TABLE meetings IN EXCLUSIVE MODE; SELECT pg_sleep(${1:-3}); COMMIT;" >/dev/null &
	locker=$!
	local deadline=$((SECONDS + 20))
	until [ "$(sql -At -c "SELECT count(*) FROM pg_locks WHERE relation = 'meetings'::regclass AND mode = 'ExclusiveLock' AND granted")" = 1 ]; do
		[ $SECONDS -lt $deadline ] || fail "the meetings table was not locked"
		sleep 0.1
	done
}

# n d in one burst: the decision prompt is for item 2, the one n goes to
hold_step
keys chair n d
wait_for chair "Naar casus $c2…" || fail "n d: not said that d waits for the step: $(screen chair | tail -n 3)"
# the chair starts typing the decision before its prompt is there: kept
# for it, not taken as keys on the meeting (the n in it would step again)
type_text chair "Besluit na "
wait "$locker"
wait_re chair '^▶ +2 ' || fail "n did not make item 2 current: $(screen chair)"
wait_for chair "Besluit over casus $c2: Besluit na" ||
	fail "n d: the prompt is not for item 2 ($c2) with what was typed: $(screen chair | tail -n 3)"
screen chair | grep -qE '^▶ +2 ' || fail "what was typed for the decision stepped on: $(screen chair)"
type_text chair "de stap"
keys chair Enter
wait_for chair "Besluit over casus $c2 vastgelegd." ||
	fail "the decision on $c2 was not recorded: $(screen chair | tail -n 4)"
screen chair | grep -qF "Iemand anders" && fail "the chair's own step was called someone else's change: $(screen chair | tail -n 4)"
printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") != "subscribed":
        continue
    items = sorted(m["subscribed"]["snapshot"]["agenda"], key=lambda i: i["position"])
    d = [i.get("decision", "") for i in items[:2]]
    print(d)
    sys.exit(0 if d == ["", "Besluit na de stap"] else 1)
sys.exit(1)' >"$E2E_DIR.dec" 2>&1 || fail "the decision is not on item 2 alone: $(cat "$E2E_DIR.dec")"

# n a in one burst: the new action point is for item 3's case
hold_step
keys chair n a
wait "$locker"
wait_re chair '^▶ +3 ' || fail "n did not make item 3 current: $(screen chair)"
wait_for chair "Nieuwe afspraak · Casus $c3" ||
	fail "n a: the action point is not for item 3 ($c3): $(screen chair)"
keys chair Escape
wait_gone chair "Nieuwe afspraak" || fail "Esc did not close the action point form"

# a step made elsewhere while d's prompt is open changes the item's state,
# not its decision: the decision is recorded, no conflict is reported
keys chair d
wait_for chair "Besluit over casus $c3:" || fail "d did not ask for item 3: $(screen chair | tail -n 3)"
printf 'subscribe %s\nprev %s\nquit\n' "$MEETING" "$MEETING" | batch voorzitter >/dev/null
wait_re chair '^▶ +2 ' || fail "the step made elsewhere did not show: $(screen chair)"
type_text chair "Besluit drie"
keys chair Enter
wait_for chair "Besluit over casus $c3 vastgelegd." ||
	fail "the decision on $c3 was not recorded: $(screen chair | tail -n 4)"
screen chair | grep -qF "Iemand anders" && fail "a change of state was called a change of the decision: $(screen chair | tail -n 4)"

# Esc while d waits for the step: no prompt when the step lands, and what
# was typed meanwhile is dropped, not taken as keys (c would ask to close)
hold_step 6
keys chair n d
wait_for chair "Naar casus $c3…" || fail "n d: not said that d waits for the step: $(screen chair | tail -n 3)"
type_text chair "c"
keys chair Escape
wait_gone chair "Naar casus $c3…" 5 || fail "Esc did not end the wait: $(screen chair | tail -n 3)"
kill -0 "$locker" 2>/dev/null || fail "the step landed before the wait ended: Esc not seen to end it"
wait "$locker"
wait_re chair '^▶ +3 ' || fail "n after Esc did not make item 3 current: $(screen chair)"
screen chair | grep -qF "Besluit over casus" && fail "the decision prompt opened after Esc: $(screen chair | tail -n 3)"
screen chair | grep -qF "sluiten? (j/n)" && fail "a key typed before Esc was taken by the meeting: $(screen chair | tail -n 3)"
ok
