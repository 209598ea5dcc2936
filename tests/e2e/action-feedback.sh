#!/bin/bash
# Completing an action point says where its feedback went: to the submitting organisation's inbox when that is another
# organisation ("Afgerond; terugkoppeling naar Politie ... (postvak)", once the server's inbox entry arrives), and only
# "afgerond." when the case was submitted by the completer's own organisation (the server then sends no feedback,
# docs/protocol.md 7.12; the client used to promise it anyway); cancelling on one's own case asks the reason as such.
. "$(dirname "$0")/lib.sh"

start_server
vt=$(org_of_kind veilig_thuis)
pol=$(org_of_kind police)
[ -n "$vt" ] && [ -n "$pol" ] || fail "organisations: vt=$vt pol=$pol"
case_id=$(signal_case politie Feedbackdorp "Melding na ruzie")
[ -n "$case_id" ] || fail "signal"
due=$(date -d '+7 days' +%Y-%m-%d)
n=$(printf '%s\n' "action $case_id 0 $vt $due Terugbellen melder" \
	"action $case_id 0 $pol $due Proces-verbaal opmaken" \
	"action $case_id 0 $pol $due Buurtonderzoek doen" quit |
	batch politie | grep -c '"body":"action_point"')
[ "$n" = 3 ] || fail "actions: $n of 3"

# Veilig Thuis completes its action point on the police's case: the police's inbox gets the feedback
start_client vt veiligthuis
keys vt 3
wait_for vt "Terugbellen melder" || fail "vt: action point not listed: $(screen vt)"
keys vt /
type_text vt "Terugbellen"; keys vt Enter
# C, as in a meeting, completes here too (c below)
keys vt C
wait_for vt "afronden — terugkoppeling voor de aanmelder:" || fail "vt: C did not ask: $(screen vt)"
type_text vt "Melder teruggebeld"; keys vt Enter
wait_for vt "Afgerond; terugkoppeling naar Politie Eenheid Oost-Nederland (postvak)." ||
	fail "vt: where the feedback went not said: $(screen vt)"

# the police complete their own action point on their own case: no feedback is sent, and none is promised (the
# question asks for a note, not for feedback to the submitter)
start_client pol politie
# c words its question by the case's submitter, known from the live case list: loaded first (on a loaded machine
# the action points came before it, and c asked for feedback)
cnum=$(sql -Atc "SELECT number FROM cases WHERE id = $case_id")
keys pol 4
wait_for pol "$cnum" || fail "pol: case $cnum not in the case list: $(screen pol)"
keys pol 3
wait_for pol "Proces-verbaal opmaken" || fail "pol: action point not listed: $(screen pol)"
keys pol /
type_text pol "Proces-verbaal opmaken"; keys pol Enter
keys pol c
wait_for pol "afronden — toelichting (eigen casus):" ||
	fail "pol: c did not ask for a note (own case: no feedback to ask for): $(screen pol)"
# an empty note is refused, and says why no feedback is asked for
keys pol Enter
wait_for pol "Typ wat er gedaan is; eigen casus: er gaat geen terugkoppeling uit." ||
	fail "pol: an empty note not refused with why: $(screen pol)"
type_text pol "Opgemaakt"; keys pol Enter
wait_re pol "Afspraak 'Proces-verbaal opmaken' afgerond\. +verbonden" || fail "pol: not completed: $(screen pol)"
n=$(inbox_count politie sent "$case_id" action_done "Proces-verbaal opmaken")
[ "$n" = 0 ] || fail "the server sent feedback to the police's own organisation ($n)"
# (the same count finds Veilig Thuis's feedback to the police: it can fail)
n=$(inbox_count politie received "$case_id" action_done "Terugbellen melder")
[ "$n" = 1 ] || fail "Veilig Thuis's feedback to the police: $n entries, want 1"
screen pol | grep -q "terugkoppeling naar" && fail "pol: feedback promised: $(screen pol)"
# cancelling one on its own case: the reason is asked as its own, not promised to a submitter
keys pol /
type_text pol "Buurtonderzoek doen"; keys pol Enter
keys pol x
wait_for pol "intrekken? Reden (eigen casus):" ||
	fail "pol: x on its own case's action point: $(screen pol | tail -n 3)"
keys pol Enter
wait_for pol "eigen casus: niemand anders krijgt die te horen." ||
	fail "pol: an empty reason not refused with why: $(screen pol | tail -n 3)"
screen pol | grep -q "de aanmelder krijgt die te horen" && fail "pol: the reason promised to a submitter"
ok
