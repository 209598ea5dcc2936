#!/bin/bash
# Long text at 80x24: a cut line ends in "…" instead of stopping silently, the case view wraps it whole, and "+N meer" counts what is below until j scrolls it up.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
num=$(current_line chair | awk '{print $3}')

long="Huisbezoek plannen met wijkagent en jeugdconsulent om de woonsituatie, de schulden en de schoolgang van de kinderen samen te bespreken einde$$"
keys chair a
wait_for chair "Nieuwe afspraak" || fail "form did not open"
type_text chair "$long"
keys chair Enter
wait_for chair "Uitvoerende organisatie (naam of nummer):" || fail "owner not asked"
type_text chair "Gemeente"
keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "person not asked"
keys chair Enter
wait_for chair "Uiterste datum" || fail "due date not asked"
type_text chair "+14"
keys chair Enter
wait_for chair "Afspraak vastgelegd" || fail "not recorded"

# the meeting view: one line, cut with "…"
wait_re chair "Huisbezoek plannen met wijkagent.*…$" || fail "cut action point line has no '…'"
screen chair | grep -q "einde$$" && fail "the meeting view should not have room for the whole text"

# the case view: the whole text, wrapped
keys chair Enter
wait_for chair "Tafel · Casus" || fail "Enter did not open the case"
wait_for chair "einde$$" || fail "case view does not show the end of the long text"
# a pager: what is below is counted and j brings it up
wait_re chair "\+[0-9]+ meer \(j, ↓\)" || fail "case view does not count the lines below"
before=$(screen chair | grep -oE "\+[0-9]+ meer" | grep -oE "[0-9]+")
keys chair j
wait_gone chair "+$before meer" || fail "j did not scroll the case"
after=$(screen chair | grep -oE "\+[0-9]+ meer" | grep -oE "[0-9]+" || echo 0)
[ "${after:-0}" -lt "$before" ] || fail "j did not bring up a line ($before -> $after)"
ok
