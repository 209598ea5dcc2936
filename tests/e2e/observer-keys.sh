#!/bin/bash
# An observer (toehoorder) is not offered the keys that write (A in the open meeting, S in the case list, b in a case): each refuses at once with the reason, before any question is asked.
. "$(dirname "$0")/lib.sh"

REASON="U neemt deel als toehoorder: u kunt niets vastleggen."

start_server
# the Eemland meeting the court (observer) takes part in, opened by its chair
MEETING=$(meeting_id "Casusoverleg huiselijk geweld district Eemland") ||
	fail "no Eemland meeting in the demo data"
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown: $(screen chair)"
chair_start chair

start_client obs waarnemer --meeting "$MEETING"
wait_re obs "^ +# +Casus" || fail "observer: meeting not shown: $(screen obs)"
wait_for obs "· open ·" || fail "observer: the meeting is not open: $(screen obs)"
foot=$(screen obs | tail -n 1)
echo "$foot" | grep -qE "A aanwezig|A vertrek" && fail "observer offered A: $foot"
keys obs A
wait_for obs "$REASON" 5 || fail "A not refused at once with the reason: $(screen obs)"
screen obs | grep -qF "(j/n)" && fail "A asked a question: $(screen obs)"
# the help does not list the keys that write
keys obs '?'
wait_for obs "Tafel · Toetsen" || fail "? did not open the help"
screen obs | grep -qF "Uzelf aanmelden" && fail "the help lists A: $(screen obs)"
keys obs q
wait_re obs "^ +# +Casus" || fail "q did not leave the help: $(screen obs)"

# the case list: S refused, not offered
keys obs 4
wait_for obs "Tafel · Casussen" || fail "4 did not open the case list"
foot=$(screen obs | tail -n 1)
echo "$foot" | grep -qF "nieuw signaal" && fail "observer offered S: $foot"
keys obs S
wait_for obs "$REASON" 5 || fail "S not refused at once with the reason: $(screen obs)"
screen obs | grep -qF "Thema:" && fail "S asked for a theme: $(screen obs)"

# a case: b (contribution) refused at once
keys obs Enter
wait_re obs "Casus [0-9]{4}-[0-9]+ ·" || fail "Enter did not open a case: $(screen obs)"
wait_gone obs "laden" 10
keys obs b
wait_for obs "$REASON" 5 || fail "b not refused at once with the reason: $(screen obs)"
screen obs | grep -qF "feiten" && fail "b asked for the facts: $(screen obs)"
ok
