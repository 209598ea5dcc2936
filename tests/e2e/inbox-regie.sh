#!/bin/bash
# The organisation given the lead of a case (regie) reads it in its inbox (6), with its case manager, also when it was absent; live, the status line says so; an organisation without a connection to the case is not told (0021).
. "$(dirname "$0")/lib.sh"

start_server
ctl pm add voorzitter Regienotadorp domestic_violence >/dev/null || fail "pm add"
set -- $(printf 'orgs\nquit\n' | batch voorzitter | pick '"%s %s %s" % (
	[x["id"] for x in m["organisation_list"]["organisations"] if x["kind"] == "veilig_thuis"][0],
	[x["id"] for x in m["organisation_list"]["users"] if x["login"] == "veiligthuis"][0],
	[x["id"] for x in m["organisation_list"]["organisations"] if x["name"].startswith("Gemeente")][0])')
vt=${1:-} manager=${2:-} gem=${3:-}
[ -n "$gem" ] || fail "no Veilig Thuis, its user or a municipality in the demo data"
set -- $(printf '%s\n' "signal domestic_violence Regienotadorp person Melding na ruzie" quit |
	batch politie | pick '"%s %s" % (m["case_record"]["id"], m["case_record"]["number"])')
[ -n "${2:-}" ] || fail "signal"
case_id=$1 num=$2
due=$(date -d '+7 days' +%Y-%m-%d)
# an action point for Veilig Thuis connects it to the case
printf '%s\n' "action $case_id 0 $vt $due Huisbezoek afleggen" quit | batch politie |
	grep -q '"action_point"' || fail "action point"
version() {
	printf '%s\n' "case $case_id" quit | batch voorzitter | pick 'm["case_detail"]["case"]["version"]'
}
# the chair (process manager of the district) gives Veilig Thuis the lead
# and makes its user the case manager while nobody of it is logged in
printf '%s\n' "routing $case_id $(version) $vt $manager - -" quit | batch voorzitter |
	grep -q '"case_record"' || fail "could not set the lead organisation"

start_client vt veiligthuis
wait_for vt "verbonden" || fail "client not connected: $(screen vt)"
keys vt 6
wait_for vt "Tafel · Postvak" || fail "6 did not open the inbox: $(screen vt)"
wait_re vt "^● $num +u heeft de regie +[^ ].*\(Gemee" ||
	fail "no unread entry saying the lead is ours, from the chair: $(screen vt)"
wait_for vt "Veilig Thuis Eemland-Twente voert nu de regie over casus $num;" ||
	fail "the entry does not say who leads: $(screen vt)"
wait_for vt "casusregisseur: Joris Mulder." ||
	fail "the entry does not name the case manager: $(screen vt)"
# one entry: the case manager is named in it, not told twice (the other
# entry of the case is the action point given to Veilig Thuis)
[ "$(screen vt | grep -cE "^● $num +(u heeft de regie|casusregisseur)")" = 1 ] || fail "more than one entry: $(screen vt)"
wait_re vt "^● $num +afspraak voor u " || fail "the new action point is not in the inbox: $(screen vt)"
# chosen, it says who carries it out and by when (as 3 does)
keys vt j
wait_for vt "Afspraak: Huisbezoek afleggen" || fail "the action point's entry not chosen: $(screen vt)"
wait_for vt "Uitvoerder: Veilig Thuis Eemland-Twente · uiterlijk $due" ||
	fail "the new action point's entry does not say whose it is and by when: $(screen vt)"

# the lead moves to the municipality, which has no connection to the case:
# it is not told
printf '%s\n' "routing $case_id $(version) $gem - - -" quit | batch voorzitter |
	grep -q '"case_record"' || fail "could not move the lead"
n=$(sql -Atc "SELECT count(*) FROM inbox_entries WHERE case_id = $case_id AND kind = 'lead_assigned' AND recipient_org_id = $gem")
[ "$n" = 0 ] || fail "the unconnected municipality got $n notices"

# back to Veilig Thuis, live: the status line says so and a second entry
# comes on top
printf '%s\n' "routing $case_id $(version) $vt $manager - -" quit | batch voorzitter |
	grep -q '"case_record"' || fail "could not give the lead back"
wait_for vt "Uw organisatie voert nu de regie over casus $num (postvak, 6)." ||
	fail "no announcement on the status line: $(screen vt)"
# (the third: the action point given to Veilig Thuis before)
wait_re vt "postvak: 3 ongelezen" || fail "not three unread: $(screen vt)"
ok
