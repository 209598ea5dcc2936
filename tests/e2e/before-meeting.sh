#!/bin/bash
# Before the meeting (issue 11), through tafel --batch over TLS: a signal with a restraining order registered on Monday is proposed (with its reason, red) for Thursday's meeting; the agenda is published on Wednesday and a member organisation hears it live; an info round to three partners gets two answers and one red gap; the asked partner reads name and date of birth (audited as inforonde), a partner outside the round still sees only initials.  Monday/Wednesday are set with TAFEL_TEST_TODAY (docs/admin.md).
. "$(dirname "$0")/lib.sh"

# Monday: a series with its members, Thursday's meeting planned
prep_meetings

# Monday: the police register the signal and the restraining order
out=$(printf 'signal domestic_violence Prepdorp person Huisverbod opgelegd na melding\nquit\n' |
	batch politie)
CASE=$(echo "$out" | pick 'm["case_record"]["id"]')
[ -n "$CASE" ] || fail "signal: $out"
NUMBER=$(echo "$out" | pick 'm["case_record"]["number"]')
out=$(printf '%s\n' "add-person $CASE suspect 1980-01-02 Jan de Vries" \
	"clock $CASE huisverbod $MON hearing=$WED" "quit" | batch politie)
echo "$out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin]
c = [x for x in r if x.get("body") == "case_record"][-1]["case_record"]["clocks"][0]
assert c["label"] == "huisverbod" and c["day"] == 1 and c["total_days"] == 10, c
# it ends after Thursday: not red on the case (the proposal is, below)
assert c["red"] is False and c["hearing_date"] == sys.argv[1], c
' "$WED" || fail "clock on Monday: $out"
# a first order longer than the law allows is refused with the reason
out=$(printf 'clock %s huisverbod %s ends=%s\nquit\n' "$CASE" "$MON" "$THU2" | batch politie)
echo "$out" | grep -q '"legal_limit"' || fail "no LEGAL_LIMIT: $out"
echo "$out" | grep -q 'runs 10 days from the order' || fail "no clear reason: $out"

# the process manager asks three partners, reply by Tuesday
ids=$(printf 'orgs\nquit\n' | batch reclassering | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "organisation_list":
        n = {x["name"]: x["id"] for x in o["organisation_list"]["organisations"]}
        print(n["Bureau Jeugdzorg Eemland-Twente"], n["GGZ Eemland-Twente"],
              n["Woonstichting De Eemhof"])')
[ -n "$ids" ] || fail "no organisation ids"
out=$(printf 'info-round %s %s %s\nquit\n' "$CASE" "$TUE" "$ids" | batch reclassering)
ROUND=$(echo "$out" | pick 'm["info_round"]["id"]')
[ -n "$ROUND" ] || fail "info-round: $out"
out=$(printf 'answer-info %s known In beeld sinds 2024\nquit\n' "$ROUND" | batch jeugdzorg)
echo "$out" | grep -q '"info_round"' || fail "answer jeugdzorg: $out"

# --- Wednesday -----------------------------------------------------------
tafeld_stop
export TAFEL_TEST_TODAY=$WED
tafeld_start 0

# a member organisation follows its work list: the publication arrives live
{ printf 'subscribe-actions\nsleep 6000\nquit\n' | batch woningcorporatie >"$E2E_DIR.woon" 2>&1; } &
bg=$!
wait_file "$E2E_DIR.woon" '"subscribed"' ||
	fail "the housing corporation's subscription was not answered: $(cat "$E2E_DIR.woon")"

# the agenda proposes the case for Thursday, red, with its reasons
out=$(printf 'proposals %s\nquit\n' "$SERIES" | batch voorzitter)
echo "$out" | python3 -c '
import json, sys
case, thu = int(sys.argv[1]), sys.argv[2]
r = [json.loads(l) for l in sys.stdin if l.startswith("{")]
pl = [x for x in r if x.get("body") == "proposal_list"][0]["proposal_list"]
assert pl["meeting"]["id"] == int(sys.argv[3]), pl["meeting"]
p = [x for x in pl["proposals"] if x["case_id"] == case][0]
codes = {x["code"] for x in p["reasons"]}
assert codes == {"new_signal", "clock_ending"}, p
assert p["red"] is True and p["state"] == "proposed", p
ck = [x for x in p["reasons"] if x["code"] == "clock_ending"][0]
assert ck["text"].startswith("huisverbod ends "), ck
' "$CASE" "$THU" "$MEETING" || fail "proposals: $out"

# the chair accepts it and publishes on Wednesday (due: the working day before)
out=$(printf 'add-item %s %s\nmeetings\nquit\n' "$MEETING" "$CASE" | batch voorzitter)
VERSION=$(echo "$out" | pick '[x for x in m["meeting_list"]["meetings"] if x["id"] == '"$MEETING"'][0]["version"]')
[ -n "$VERSION" ] || fail "meeting version: $out"
out=$(printf 'publish %s %s\nquit\n' "$MEETING" "$VERSION" | batch voorzitter)
echo "$out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin if l.startswith("{")]
m = [x for x in r if x.get("body") == "meeting"][0]["meeting"]
assert m["published_at"] > 0 and m["publish_due"] == sys.argv[1], m
assert not m.get("publish_overdue", False), m
' "$WED" || fail "publish: $out"
wait "$bg"
python3 - "$E2E_DIR.woon" "$MEETING" <<'PY' || fail "the member organisation did not hear of the publication"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ev = [e for e in ev if e.get("type") == "event" and "agenda_published" in e["event"]]
assert ev and ev[0]["event"]["agenda_published"]["meeting_id"] == int(sys.argv[2]), ev
assert ev[0]["event"]["agenda_published"]["item_count"] == 1, ev
PY

# the case on the agenda shows its clock: day 3 of 10
out=$(printf 'case %s\nquit\n' "$CASE" | batch voorzitter)
echo "$out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin if l.startswith("{")]
c = [x for x in r if x.get("body") == "case_detail"][0]["case_detail"]["case"]["clocks"][0]
assert c["day"] == 3 and c["total_days"] == 10, c
' || fail "clock on Wednesday: $out"

# the second answer; housing stays silent past Tuesday: red
printf 'answer-info %s not_known\nquit\n' "$ROUND" | batch ggz | grep -q '"info_round"' ||
	fail "answer ggz"
out=$(printf 'info-rounds %s open\nquit\n' "$CASE" | batch reclassering)
echo "$out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin if l.startswith("{")]
ir = [x for x in r if x.get("body") == "info_round_list"][0]["info_round_list"]["rounds"][0]
a = {x["org_name"]: x for x in ir["asked"]}
assert a["Bureau Jeugdzorg Eemland-Twente"]["answer"] == "known", a
assert a["Bureau Jeugdzorg Eemland-Twente"]["note"] == "In beeld sinds 2024", a
assert a["GGZ Eemland-Twente"]["answer"] == "not_known", a
assert a["Woonstichting De Eemhof"].get("answer", "pending") == "pending", a
assert a["Woonstichting De Eemhof"]["overdue"] is True, a
assert ir["overdue_count"] == 1, ir
' || fail "the process manager's view: $out"

# the asked housing partner reads name and date of birth for its search
out=$(printf 'info-rounds %s open\nquit\n' "$CASE" | batch woningcorporatie)
echo "$out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin if l.startswith("{")]
ir = [x for x in r if x.get("body") == "info_round_list"][0]["info_round_list"]["rounds"][0]
assert ir["identifying"] is True, ir
p = ir["persons"][0]
assert p["name"] == "Jan de Vries" and p["birth_date"] == "1980-01-02", p
' || fail "the asked partner's view: $out"
ctl audit case "$NUMBER" | grep 'inforonde' | grep -q 'birth_dates' ||
	fail "no inforonde audit: $(ctl audit case "$NUMBER")"
# audit times are Amsterdam's, with the zone name, whatever the server's zone
now=$(TZ=Europe/Amsterdam date '+%Y-%m-%d %H')
TZ=UTC ctl audit case "$NUMBER" | grep 'inforonde' |
	grep -qE "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} CES?T " ||
	fail "audit times are not Amsterdam time with the zone: $(ctl audit case "$NUMBER")"
TZ=UTC ctl audit case "$NUMBER" | grep 'inforonde' | grep -qF "$now" ||
	[ "$(TZ=Europe/Amsterdam date '+%Y-%m-%d %H')" != "$now" ] ||
	fail "audit time is not the Amsterdam hour $now: $(ctl audit case "$NUMBER")"

# a partner outside the round (a series member; an observer) sees only
# initials, and the round without the answers: what an organisation knows
# of the persons goes with case_summary (docs/security.md rule 8)
out=$(printf 'case %s\ninfo-rounds %s open\nquit\n' "$CASE" "$CASE" | batch waarnemer)
echo "$out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin if l.startswith("{")]
c = [x for x in r if x.get("body") == "case_detail"][0]["case_detail"]["case"]
p = c["persons"][0]
assert p["name"] == "J. d. V." and p.get("birth_date", "") == "", p
# the round is shown with the case, without answers or identifying data
d = [x for x in r if x.get("body") == "case_detail"][0]["case_detail"]
ir = d["info_rounds"][0]
assert not ir.get("asked") and ir.get("answers_hidden") is True, ir
assert not ir.get("persons") and not ir.get("identifying"), ir
ir = [x for x in r if x.get("body") == "info_round_list"][0]["info_round_list"]
for x in ir.get("rounds", []):
    assert not x.get("persons") and not x.get("identifying"), x
' || fail "the outsider's view: $out"

# the partner's calendar lists both Thursdays
out=$(printf 'calendar\nquit\n' | batch woningcorporatie)
echo "$out" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin if l.startswith("{")]
e = [x for x in r if x.get("body") == "calendar"][0]["calendar"]["entries"]
ids = [x["meeting"]["id"] for x in e]
assert int(sys.argv[1]) in ids, e
' "$MEETING" || fail "calendar: $out"

ok
