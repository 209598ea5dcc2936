#!/bin/bash
# A GP (covenant not signed) in a case: the header names the case manager "Casusregisseur" as R and the routing's refusals do, and a contribution or goal withheld reads "(verborgen, zie boven)" like the action points below it, under the line that says why (not "(afgeschermd)"); for housing, which may not see the summary, a contribution says it counts as that.
. "$(dirname "$0")/lib.sh"

start_server
# case 2026-0001 of the demo: the police contribute, the chair adds a goal
id=$(printf 'cases\nquit\n' | batch politie |
	pick '[c["id"] for c in m["case_list"]["cases"] if c["number"] == "2026-0001"][0]')
[ -n "$id" ] || fail "no case 2026-0001 in the demo data"
printf 'contribute %s Drie eerdere meldingen | Zorgelijk\nquit\n' "$id" | batch politie |
	grep -q '"contribution"' || fail "setup: contribution"
printf 'goal %s Veilige thuissituatie\nquit\n' "$id" | batch voorzitter |
	grep -q '"goal"' || fail "setup: goal"

# the police see the case in full, named the same way
start_client pol politie
wait_for pol "Overleggen" || fail "pol: no meetings list"
open_case pol 2026-0001
wait_re pol "· Casusregisseur: " || fail "pol: the header does not say Casusregisseur: $(screen pol)"
wait_for pol "(Sanne Jansen): Drie eerdere meldingen" ||
	fail "pol: contribution not shown: $(screen pol)"

start_client gp huisarts
wait_for gp "Overleggen" || fail "gp: no meetings list"
open_case gp 2026-0001
wait_re gp "· Casusregisseur: " || fail "gp: the header does not say Casusregisseur: $(screen gp)"
screen gp | grep -qF "Casemanager" && fail "gp: 'Casemanager' still shown: $(screen gp)"
wait_for gp "verborgen: uw organisatie heeft het convenant niet ondertekend" ||
	fail "gp: no line saying why: $(screen gp)"
for _ in 1 2 3 4 5 6 7 8 9 10; do keys gp j; done	# contributions, goals, action points
wait_for gp "Inbreng per organisatie" || fail "gp: no contributions: $(screen gp)"
wait_re gp "^ +Politie .*\(Sanne Jansen\): \(verborgen, zie boven\)" ||
	fail "gp: the contribution is not '(verborgen, zie boven)': $(screen gp)"
wait_re gp "^ +1\. open [0-9]+, gedaan [0-9]+, te laat [0-9]+: \(verborgen, zie boven\)" ||
	fail "gp: the goal is not '(verborgen, zie boven)': $(screen gp)"
screen gp | grep -qF "afgeschermd" && fail "gp: '(afgeschermd)' still shown: $(screen gp)"

# housing may not see the summary, and so no other organisation's
# contribution: the line above lists "de samenvatting", and the contribution
# says it counts as that (a bare "zie boven" pointed at a line without it)
start_client woon woningcorporatie
wait_for woon "Overleggen" || fail "woon: no meetings list"
open_case woon 2026-0001
wait_joined woon "(geboortedata, de samenvatting)" || fail "woon: the hidden categories not listed: $(screen woon)"
wait_joined woon "(Sanne Jansen): (verborgen, net als de samenvatting: zie boven)" ||
	fail "woon: the contribution does not say why it is hidden: $(screen woon)"

# the GP's own signal: its reason is withheld from the GP too, and the case
# says so (it showed no reason at all, as if none was given)
num=$(printf 'signal domestic_violence Enschede-Noord person Zorgen over een patiënt\nquit\n' |
	batch huisarts | pick 'm["case_record"]["number"]')
[ -n "$num" ] || fail "the GP could not register a signal"
keys gp 4
wait_for gp "Tafel · Casussen · /2026-0001" || fail "gp: 4 did not go back to the searched list: $(screen gp)"
keys gp q	# the search of 2026-0001 goes
wait_gone gp "/2026-0001" || fail "gp: q did not clear the search: $(screen gp)"
open_case gp "$num"
wait_joined gp "Reden: (ook verborgen voor uw organisatie, die de casus aanmeldde: zie hieronder)" ||
	fail "gp: its own signal's reason not said to be withheld: $(screen gp)"
ok
