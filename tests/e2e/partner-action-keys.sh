#!/bin/bash
# A partner's bottom line in the meeting offers the action point keys ("Tab afspraak (e x C)") on an item whose case has an open action point the partner's organisation may change, and not on one without; the tester's partners never found Tab, e, x and C (found by an outside tester). The line keeps q, Enter and f within 80 columns, and e does what it says.
. "$(dirname "$0")/lib.sh"

start_meeting
# an action point of the police on the agenda's last case (the chair adds
# it); the police (Sanne Jansen) may change that one, and nothing on a case
# without one of theirs that she does not manage
cases() {
	printf 'subscribe %s\nquit\n' "$MEETING" | batch politie | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") != "subscribed":
        continue
    s = m["subscribed"]["snapshot"]
    org = [o["id"] for o in s["organisations"] if o["name"].startswith("Politie")][0]
    cases = {c["id"]: c for c in s["cases"]}
    items = [cases[i["case_id"]] for i in sorted(s["agenda"], key=lambda i: i["position"]) if i["case_id"] in cases]
    def own(c):
        return any(a["case_id"] == c["id"] and a["state"] == "open" and a["owner_org_id"] == org for a in s["actions"])
    mine = [c["number"] for c in items if own(c)]
    other = [c["number"] for c in items if not own(c) and c["case_manager_name"] != "Sanne Jansen"]
    print(org, items[-1]["id"], mine[0] if mine else None, other[0] if other else None)'
}
set -- $(cases)
org=${1:-} last=${2:-}
[ -n "$last" ] || fail "no agenda"
printf 'action %s %s %s %s %s\nquit\n' "$last" "$MEETING" "$org" "$(date -d '+9 days' +%F)" \
	"Buurtonderzoek afronden e2e$$" | batch voorzitter | grep -q '"action_point"' ||
	fail "could not add the police's action point"
set -- $(cases)
mine=${3:-None} other=${4:-None}
[ "$mine" != None ] || fail "no case on the agenda with a police action point"
start_client rec politie --meeting "$MEETING"
wait_re rec "^ +# +Casus" || fail "rec: meeting not shown: $(screen rec)"
[ "$other" != None ] || fail "no case on the agenda without a probation action point"

# goto CASE: the partner's own way to that agenda item (j, k)
# (by its place on the agenda: a key at a time until the case shows pressed
# on past it when a slow client drew a move late)
goto() {
	local idx
	screen rec | grep -qE "^Casus $1 · " && return 0
	idx=$(screen rec | sed -nE "s/^[ ▶✓] +([0-9]+)  $1 .*/\1/p" | head -n 1)
	[ -n "$idx" ] || return 1
	for _ in $(seq 1 12); do keys rec k; done
	for _ in $(seq 2 "$idx"); do keys rec j; done
	wait_re rec "^Casus $1 · "
}
foot() {
	screen rec | tail -n 1
}
goto "$mine" || fail "rec: cannot select case $mine: $(screen rec)"
wait_re rec "^Tab afspraak \(e x C\)  " 5 ||
	fail "rec: the bottom line does not offer the action point keys on $mine: $(foot)"
# f is offered only once the partner went its own way (e2e follow-footer)
keys rec j k
wait_for rec "eigen weg — f om te volgen" || fail "rec: j, k did not go its own way: $(screen rec | tail -n 2)"
goto "$mine" || fail "rec: cannot select case $mine after j, k: $(screen rec)"
for k in "q terug" "Enter open" "f volgen" "? hulp"; do
	wait_for rec "$k" 5
	foot | grep -qF -- "$k" || fail "rec: '$k' left the bottom line: $(foot)"
done
[ "$(foot | sed 's/ *$//' | wc -L)" -le 80 ] || fail "rec: the bottom line is wider than 80: $(foot)"
goto "$other" || fail "rec: cannot select case $other: $(screen rec)"
sleep 0.3
foot | grep -qF "Tab afspraak" && fail "rec: action point keys offered on $other, with none of ours: $(foot)"
# what the line says works: e edits the chosen one (the first: ours)
goto "$mine" || fail "rec: cannot select case $mine again: $(screen rec)"
wait_for rec "Tab afspraak (e x C)" 5 || fail "rec: the keys did not come back on $mine: $(foot)"
keys rec e
wait_for rec "Omschrijving" 5 || fail "rec: e did not open the action point form: $(screen rec)"
wait_for rec "Buurtonderzoek afronden e2e$$" 5 || fail "rec: e opened another action point: $(screen rec)"
keys rec Escape
ok
