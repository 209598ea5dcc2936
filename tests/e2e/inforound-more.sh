#!/bin/bash
# An info round asking many organisations at 80x24: the answers that do not fit in the chair's meeting view and on the shared screen are counted ("+N meer"), not dropped silently.
. "$(dirname "$0")/lib.sh"

start_meeting
# a case of a district the chair is process manager of, last on the SSO
# agenda; the chair asks every organisation about it
ctl pm add voorzitter Meerdorp domestic_violence >/dev/null || fail "pm add"
out=$(printf 'signal domestic_violence Meerdorp person Melding na ruzie\nquit\n' | batch politie)
CASE=$(echo "$out" | pick 'm["case_record"]["id"]')
[ -n "$CASE" ] || fail "signal: $out"
printf 'add-item %s %s\nquit\n' "$MEETING" "$CASE" | batch voorzitter | grep -q '"agenda"' ||
	fail "add-item"
POS=$(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | grep '"subscribed"' |
	pick '[i for i, x in enumerate(m["subscribed"]["snapshot"]["agenda"]) if x["case_id"] == '"$CASE"'][0] + 1')
[ -n "$POS" ] || fail "the case is not on the agenda"
ids=$(printf 'orgs\nquit\n' | batch politie |
	pick '" ".join(str(x["id"]) for x in m["organisation_list"]["organisations"])')
[ -n "$ids" ] || fail "organisations"
reply=$(TZ=Europe/Amsterdam date -d '+2 days' +%F)
out=$(printf 'info-round %s %s %s\nquit\n' "$CASE" "$reply" "$ids" | batch voorzitter)
echo "$out" | grep -q '"info_round"' || fail "the chair could not start the round: $out"
n=$(echo "$out" | pick 'len(m["info_round"]["asked"])')
[ "${n:-0}" -ge 10 ] || fail "too few organisations asked ($n) to overflow 24 rows"

start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown: $(screen chair)"
chair_start chair
for i in $(seq 2 "$POS"); do
	keys chair n
	wait_re chair "^▶ +$i " || fail "chair: item $i not current: $(screen chair)"
done
wait_for chair "Inforonde open · antwoord uiterlijk $reply · 0 van $n beantwoord" ||
	fail "chair: no info round: $(screen chair)"
wait_re chair "\+[0-9]+ meer" || fail "chair: the answers cut without '+N meer': $(screen chair)"

start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_for beamer "Inforonde open · antwoord uiterlijk $reply · 0 van $n beantwoord" ||
	fail "beamer: no info round: $(screen beamer)"
wait_re beamer "\+[0-9]+ meer" || fail "beamer: the answers cut without '+N meer': $(screen beamer)"
ok
