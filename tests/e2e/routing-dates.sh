#!/bin/bash
# E (end and review date of a case) refuses a date that is no day as a, N and I do, quoting it, and a review after the end date before sending; L says which goal or action point number does not exist rather than how to type the numbers, and that another organisation's action point is not the user's to change, and a completed one no longer open.
. "$(dirname "$0")/lib.sh"

start_server
ctl pm add reclassering Testdorp >/dev/null || fail "tafelctl pm add"
# a signal of Veilig Thuis in Testdorp with one goal and one action point (of
# the process manager's organisation, which may link it)
case=$(printf 'signal domestic_violence Testdorp person Buren hoorden geschreeuw\nquit\n' |
	batch veiligthuis | pick 'm["case_record"]["id"]')
[ -n "$case" ] || fail "setup: signal"
printf 'goal %s Veilige thuissituatie\nquit\n' "$case" | batch reclassering |
	grep -q '"goal"' || fail "setup: goal"
org=$(printf 'orgs\nquit\n' | batch reclassering |
	pick '[o["id"] for o in m["organisation_list"]["organisations"] if o["name"].startswith("Reclassering")][0]')
[ -n "$org" ] || fail "setup: no Reclassering organisation"
due=$(TZ=Europe/Amsterdam date -d '+14 days' +%F)
printf 'action %s 0 %s %s Veiligheidsplan opstellen\nquit\n' "$case" "$org" "$due" |
	batch reclassering | grep -q '"action_point"' || fail "setup: action point"
# and a later one of Veilig Thuis's own, which the process manager may not
# change
vt=$(printf 'orgs\nquit\n' | batch reclassering |
	pick '[o["id"] for o in m["organisation_list"]["organisations"] if o["kind"] == "veilig_thuis"][0]')
due2=$(TZ=Europe/Amsterdam date -d '+21 days' +%F)
printf 'action %s 0 %s %s Huisbezoek afleggen\nquit\n' "$case" "$vt" "$due2" |
	batch veiligthuis | grep -q '"action_point"' || fail "setup: second action point"
nr=$(printf 'case %s\nquit\n' "$case" | batch reclassering | pick 'm["case_detail"]["case"]["number"]')

start_client pm reclassering
wait_for pm "Overleggen" || fail "no meetings list"
open_case pm "$nr"
wait_for pm "1. open 0, gedaan 0, te laat 0: Veilige thuissituatie" || fail "goal not shown: $(screen pm)"

# E: a day that does not exist, quoted as the other date fields do
keys pm E
wait_for pm "Einddatum (bijv. 3-3-2027, +90; leeg: geen):" || fail "E did not ask the end date"
type_text pm "31-02"; keys pm Enter
wait_for pm "'31-02' is geen datum: typ bijv. 8-12-2026, 8/12, morgen of +7." ||
	fail "E: 31-02 not refused as a, N and I do: $(screen pm | tail -n 3)"
wait_for pm "Einddatum (bijv. 3-3-2027, +90; leeg: geen): 31-02" || fail "E: the end date not asked again with the text"
keys pm C-u; type_text pm "3-3-2027"; keys pm Enter
wait_for pm "Herbespreking op (bijv. 1-2-2027, +60; leeg: geen):" || fail "E: no review prompt: $(screen pm | tail -n 3)"
type_text pm "morgenavond"; keys pm Enter
wait_for pm "'morgenavond' is geen datum: typ bijv." || fail "E: the review's refusal differs: $(screen pm | tail -n 3)"
# a review after the end date: refused before anything is sent
keys pm C-u; type_text pm "1-4-2027"; keys pm Enter
wait_for pm "De herbespreking (2027-04-01) ligt na de einddatum (2027-03-03)" ||
	fail "E: a review after the end not refused: $(screen pm | tail -n 3)"
wait_for pm "Herbespreking op (bijv. 1-2-2027, +60; leeg: geen): 1-4-2027" || fail "E: the review not asked again with the text"
screen pm | grep -qF "Einddatum: 2027-03-03" && fail "E: the dates were recorded anyway"
keys pm C-u; type_text pm "1-2-2027"; keys pm Enter
wait_for pm "einddatum en herbespreking vastgelegd" || fail "E: dates not recorded: $(screen pm | tail -n 3)"
wait_for pm "Einddatum: 2027-03-03 · Herbespreking: 2027-02-01" || fail "E: dates not shown: $(screen pm)"

# L: a goal or an action point that is not there is named
keys pm L
wait_for pm "Afspraak aan doel koppelen (afspraaknummer doelnummer, bijv. 1 2)" || fail "L did not ask which number is which: $(screen pm | tail -n 3)"
type_text pm "1 9"; keys pm Enter
wait_for pm "Er is geen doel 9: de casus heeft 1 doel (0: geen)." ||
	fail "L: goal 9 not said to be missing: $(screen pm | tail -n 3)"
keys pm C-u; type_text pm "9 1"; keys pm Enter
wait_for pm "Er is geen afspraak 9: de casus heeft 2 afspraken." ||
	fail "L: action point 9 not said to be missing: $(screen pm | tail -n 3)"
keys pm C-u; type_text pm "een"; keys pm Enter
wait_for pm "Typ het nummer van de afspraak, dan van het doel (0: geen), bijv. 1 2." ||
	fail "L: no numbers not explained: $(screen pm | tail -n 3)"
# Veilig Thuis's action point: said at once that the process manager may
# not change it (the server would answer "not found")
keys pm C-u; type_text pm "2 1"; keys pm Enter
wait_for pm "Alleen uitvoerder, casusregisseur of voorzitter wijzigt deze afspraak." ||
	fail "L: another organisation's action point not refused as such: $(screen pm | tail -n 3)"
keys pm C-u; type_text pm "1 1"; keys pm Enter
wait_for pm "Afspraak gekoppeld aan doel 1." || fail "L: not linked: $(screen pm | tail -n 3)"
wait_for pm "1. open 1, gedaan 0, te laat 0: Veilige" || fail "L: goal counts do not show the action point"
# a completed action point keeps its goal: L says so at once (the server's answer was "not possible now")
set -- $(printf 'case %s\nquit\n' "$case" | batch reclassering | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("body") == "case_detail":
        a = [x for x in m["case_detail"]["actions"] if x["description"].startswith("Veiligheidsplan")][0]
        print(a["id"], a["version"])')
[ -n "${2:-}" ] || fail "the linked action point not found"
printf 'complete %s %s Plan opgesteld\nquit\n' "$1" "$2" | batch reclassering | grep -q '"action_point"' ||
	fail "could not complete the action point"
wait_for pm "1. open 0, gedaan 1" || fail "the completion not shown: $(screen pm)"
keys pm L
wait_for pm "Afspraak aan doel koppelen" || fail "L did not ask again"
type_text pm "1 0"; keys pm Enter
wait_for pm "Afspraak 1 is niet meer open: alleen open afspraken koppelen." ||
	fail "L on a completed action point not said so: $(screen pm | tail -n 3)"
ok
