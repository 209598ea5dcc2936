#!/bin/bash
# The case's E (end and review date) and F (closing reason and evaluation) forms when someone else changes the routing meanwhile: the write comes back CONFLICT, the form stays open merged with the case as it is now — what the user typed stays, the fields the user left alone take the other's values — and Enter through the fields saves both, without undoing the other's change.
. "$(dirname "$0")/lib.sh"

start_server
ctl pm add voorzitter Routedorp domestic_violence >/dev/null || fail "pm add"
set -- $(printf '%s\n' "signal domestic_violence Routedorp person Melding na ruzie" quit |
	batch politie | pick '"%s %s" % (m["case_record"]["id"], m["case_record"]["number"])')
[ -n "${2:-}" ] || fail "signal"
case_id=$1 num=$2

# case_field FIELD: the case's FIELD as the server has it now
case_field() {
	printf 'case %s\nquit\n' "$case_id" | batch voorzitter |
		pick "m['case_detail']['case'].get('$1', '')"
}
# routing END REVIEW [CLOSING | EVALUATION]: another session's update_routing
# (it is whole: the lead organisation and case manager stay unset)
routing() {
	local v
	v=$(case_field version)
	printf '%s\n' "routing $case_id $v - - $*" quit | batch voorzitter |
		grep -q '"case_record"' || fail "the other session's routing was refused"
}

start_client vz voorzitter
wait_for vz "verbonden" || fail "client not connected: $(screen vz)"
open_case vz "$num"

# --- E: the user sets the end date; meanwhile the other sets the review date
end=$(TZ=Europe/Amsterdam date -d '+90 days' +%F)
review=$(TZ=Europe/Amsterdam date -d '+14 days' +%F)
keys vz E
wait_for vz "Einddatum (bijv. 3-3-2027, +90; leeg: geen):" || fail "E did not ask the end date: $(screen vz)"
type_text vz "$end"
keys vz Enter
wait_for vz "Herbespreking op (bijv. 1-2-2027, +60; leeg: geen):" || fail "no review date prompt: $(screen vz)"
routing - "$review"
[ "$(case_field review_date)" = "$review" ] || fail "the other's review date not stored"
keys vz Enter
wait_for vz "Iemand anders heeft dit intussen gewijzigd" || fail "E: no conflict message: $(screen vz)"
# the form is asked again from its first field: the typed end date stays
wait_for vz "Einddatum (bijv. 3-3-2027, +90; leeg: geen): $end" || fail "E: the typed end date is lost: $(screen vz | tail -n 3)"
keys vz Enter
# the review date the user left alone is the other's now, not the old empty one
wait_for vz "Herbespreking op (bijv. 1-2-2027, +60; leeg: geen): $review" ||
	fail "E: the review date does not hold the other's change: $(screen vz | tail -n 3)"
keys vz Enter
# the message says what the user changed: the end date only
wait_for vz "Casus $num: einddatum vastgelegd." || fail "E: the merged dates not saved: $(screen vz)"
[ "$(case_field end_date)" = "$end" ] || fail "E: end date stored: $(case_field end_date), want $end"
[ "$(case_field review_date)" = "$review" ] ||
	fail "E: the other's review date was overwritten: $(case_field review_date), want $review"

# --- F: the user types a closing reason; meanwhile the other records a
# closing reason of its own and an evaluation
keys vz F
wait_for vz "Reden van afsluiten:" || fail "F did not ask the closing reason: $(screen vz)"
type_text vz "Doelen bereikt"
keys vz Enter
wait_for vz "Evaluatie (kort):" || fail "no evaluation prompt: $(screen vz)"
routing "$end" "$review" "Reden van elders | Evaluatie van elders"
[ "$(case_field evaluation)" = "Evaluatie van elders" ] || fail "the other's evaluation not stored"
keys vz Enter
wait_for vz "Iemand anders heeft dit intussen gewijzigd" || fail "F: no conflict message: $(screen vz)"
# both changed the closing reason: the user's typed text stays in the form
wait_for vz "Reden van afsluiten: Doelen bereikt" ||
	fail "F: the typed closing reason is lost: $(screen vz | tail -n 3)"
keys vz Enter
# the evaluation the user left alone is the other's now
wait_for vz "Evaluatie (kort): Evaluatie van elders" ||
	fail "F: the evaluation does not hold the other's change: $(screen vz | tail -n 3)"
keys vz Enter
wait_for vz "Casus $num: reden van afsluiten vastgelegd." || fail "F: the merged texts not saved: $(screen vz)"
[ "$(case_field closing_reason)" = "Doelen bereikt" ] ||
	fail "F: closing reason stored: $(case_field closing_reason)"
[ "$(case_field evaluation)" = "Evaluatie van elders" ] ||
	fail "F: the other's evaluation was overwritten: $(case_field evaluation)"
# and F left E's dates as they were
[ "$(case_field end_date)" = "$end" ] && [ "$(case_field review_date)" = "$review" ] ||
	fail "F: the dates changed: $(case_field end_date) $(case_field review_date)"
wait_for vz "Reden van afsluiten: Doelen bereikt" || fail "the case view does not show the closing reason: $(screen vz)"
ok
