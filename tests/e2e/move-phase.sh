#!/bin/bash
# m (a case to another phase) says what is possible: an unknown phase lists the phases and the next ones from the current one, a step the routing does not allow says where the case can go, and both keep the prompt open with the text typed; an allowed step that needs data still says what is missing.
. "$(dirname "$0")/lib.sh"

# wait_line SESSION TEXT: TEXT on the bottom lines, a message wrapped over
# two lines read as one
wait_line() {
	local deadline=$((SECONDS + 20))
	while [ $SECONDS -lt $deadline ]; do
		screen "$1" | tail -n 5 | tr '\n' ' ' | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

start_server
"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" pm add reclassering Testdorp \
	>>"$E2E_DIR.log" 2>&1 || fail "tafelctl pm add"
nr=$(printf 'signal domestic_violence Testdorp person Buren hoorden geschreeuw\nquit\n' |
	batch veiligthuis | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "case_record":
        print(o["case_record"]["number"]); break')
[ -n "$nr" ] || fail "setup signal"

start_client pm reclassering
wait_for pm "Overleggen" || fail "pm: no meetings list"
open_case pm "$nr"
wait_for pm "Casus $nr · huiselijk geweld · signaal" || fail "the case is not in signaal: $(screen pm)"
keys pm m
wait_for pm "Casus $nr verplaatsen naar: screening" || fail "m did not offer the next phase"
keys pm Enter
wait_for pm "Casus $nr: fase screening." || fail "move to screening"

# an unknown phase: the phases, and where this case can go
keys pm m
wait_for pm "Casus $nr verplaatsen naar: inforonde" || fail "m did not offer inforonde"
type_text pm "blabla"; keys pm Enter
wait_for pm "Onbekende fase. Vanuit screening kan: inforonde, afgesloten." ||
	fail "an unknown phase did not say the next ones: $(screen pm | tail -n 4)"
wait_line pm "Fasen: signaal, screening, inforonde, regie, plan van aanpak, in uitvoering, monitoring, afgesloten." ||
	fail "an unknown phase did not list the phases: $(screen pm | tail -n 4)"
wait_for pm "Casus $nr verplaatsen naar: blabla" || fail "the prompt did not stay open with the text: $(screen pm | tail -n 4)"
# a phase the routing does not go to from here: said, the prompt stays
keys pm C-u
type_text pm "plan van aanpak"; keys pm Enter
wait_line pm "Van screening kan de casus niet naar plan van aanpak, wel naar: inforonde, afgesloten." ||
	fail "a step not allowed did not say where it can go: $(screen pm | tail -n 4)"
wait_for pm "Casus $nr verplaatsen naar: plan van aanpak" || fail "the prompt closed on a step not allowed: $(screen pm | tail -n 4)"
# an allowed step that needs data: what is still needed, as before
keys pm C-u
type_text pm "afgesloten"; keys pm Enter
wait_for pm "Nog nodig: " || fail "closing without its reason did not say what is needed: $(screen pm | tail -n 4)"
# the next step as offered still goes
keys pm m
wait_for pm "Casus $nr verplaatsen naar: inforonde" || fail "m did not offer inforonde again"
keys pm Enter
wait_for pm "Casus $nr: fase inforonde." || fail "move to inforonde"
ok
