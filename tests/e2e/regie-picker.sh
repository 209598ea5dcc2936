#!/bin/bash
# R in a case: the lead organisation picker starts on the current lead organisation, a typed name searches it, its title says what Enter and Esc do; E and R say what they changed (only the end date, or the lead organisation and case manager).
. "$(dirname "$0")/lib.sh"

start_server
ctl pm add voorzitter Regiedorp domestic_violence >/dev/null || fail "pm add"
set -- $(printf '%s\n' "signal domestic_violence Regiedorp person Melding na ruzie" quit |
	batch politie | pick '"%s %s %s" % (m["case_record"]["id"], m["case_record"]["number"], m["case_record"]["version"])')
[ -n "${3:-}" ] || fail "signal"
case_id=$1 num=$2 version=$3
# the municipality leads the case now (not the first organisation by name)
set -- $(printf 'orgs\nquit\n' | batch voorzitter | pick '"%s %s %s" % (
	[x["id"] for x in m["organisation_list"]["organisations"] if x["name"].startswith("Gemeente")][0],
	[x["id"] for x in m["organisation_list"]["users"] if x["login"] == "voorzitter"][0],
	[x["name"] for x in m["organisation_list"]["organisations"] if x["name"].startswith("Gemeente")][0])')
lead=${1:-} manager=${2:-}
shift 2 || fail "no municipality in the demo data"
lead_name="$*"
printf '%s\n' "routing $case_id $version $lead $manager - -" quit | batch voorzitter |
	grep -q '"case_record"' || fail "could not set the lead organisation"

start_client vz voorzitter
wait_for vz "verbonden" || fail "client not connected: $(screen vz)"
open_case vz "$num"
wait_for vz "Regie: $lead_name" || fail "the lead organisation is not shown: $(screen vz)"

# R starts on the current lead organisation: Enter at once keeps it
keys vz R
wait_for vz "Regieorganisatie van casus $num (typ een naam; Enter kiest; Esc stopt)" ||
	fail "R: the title does not say what Enter and Esc do: $(screen vz)"
screen vz | grep -q "Esc: geen" && fail "R: the title still says 'Esc: geen'"
wait_for vz "Politie" || fail "R: the organisations are not listed: $(screen vz)"
keys vz Enter
wait_for vz "Casusregisseur van $num (Enter kiest; Esc stopt) bij Gemeente" ||
	fail "R did not start on the current lead organisation: $(screen vz)"
keys vz Escape
wait_for vz "Tafel · Casus " || fail "Esc did not leave the case manager picker: $(screen vz)"
wait_for vz "Regie: $lead_name" || fail "Esc changed the lead organisation: $(screen vz)"

# typed letters search the organisations (no / needed); Enter chooses
keys vz R
wait_for vz "Regieorganisatie van casus $num" || fail "R again: $(screen vz)"
type_text vz "Veilig"
wait_for vz "Zoeken: Veilig" || fail "typed letters did not start a search: $(screen vz)"
keys vz Enter
wait_gone vz "Politie" || fail "the typed name did not filter the organisations: $(screen vz)"
keys vz Enter
wait_for vz "Casusregisseur van $num (Enter kiest; Esc stopt) bij Veilig Thuis" ||
	fail "the typed name did not choose Veilig Thuis: $(screen vz)"
keys vz Enter
wait_for vz "Casus $num: regie en casusregisseur vastgelegd." ||
	fail "R: the message does not say what changed: $(screen vz)"
wait_for vz "Regie: Veilig Thuis" || fail "the new lead organisation is not shown: $(screen vz)"

# E with only the end date: the message says so, not "regie, ... en data"
keys vz E
wait_for vz "Einddatum (bijv. 3-3-2027, +90; leeg: geen):" || fail "E did not ask: $(screen vz)"
type_text vz "+90"; keys vz Enter
wait_for vz "Herbespreking op (bijv. 1-2-2027, +60; leeg: geen):" || fail "no review prompt: $(screen vz)"
keys vz Enter
wait_for vz "Casus $num: einddatum vastgelegd." || fail "E: the message does not say what changed: $(screen vz)"
ok
