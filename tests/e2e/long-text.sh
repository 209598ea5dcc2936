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

# a decision longer than the server takes (8000 bytes): the input line stops
# at the limit and says so, and what it took is stored whole (it used to be
# cut at 1023 bytes without a word)
keys chair q
wait_re chair "^ +# +Casus" || fail "q did not go back to the meeting"
keys chair d
wait_for chair "Besluit" || fail "d did not ask for the decision"
keys chair C-u
text=$(python3 -c 'print("Lang ë " * 1400, end="")')
type_text chair "$text"
wait_for chair "De tekst is op zijn langst (8000 bytes)" 60 ||
	fail "no word at the limit: $(screen chair | tail -n 2)"
keys chair Enter
wait_for chair "vastgelegd" 20 || fail "the long decision was not recorded: $(screen chair | tail -n 2)"
len=$(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") != "subscribed":
        continue
    for it in m["subscribed"]["snapshot"].get("agenda", []):
        d = it.get("decision", "")
        if d.startswith("Lang "):
            print(len(d.encode()))
')
[ "$len" = 8000 ] || fail "the stored decision has $len bytes, not the 8000 typed up to the limit"

# an empty line clears a decision only after a question
keys chair d
wait_for chair "Besluit" || fail "d did not ask for the decision (2)"
keys chair C-u Enter
wait_for chair "Besluit over casus $num wissen? (j/n)" || fail "clearing was not asked: $(screen chair | tail -n 2)"
keys chair n
wait_for chair "Het besluit blijft staan." || fail "n did not keep the decision"
keys chair d
wait_for chair "Besluit" || fail "d did not ask for the decision (3)"
keys chair C-u Enter
wait_for chair "wissen? (j/n)" || fail "clearing was not asked (2)"
keys chair j
wait_for chair "Besluit over casus $num gewist." || fail "j did not clear the decision: $(screen chair | tail -n 2)"
# and an empty line where there is none records nothing
keys chair d
wait_for chair "Besluit" || fail "d did not ask for the decision (4)"
keys chair Enter
wait_for chair "Een leeg besluit wordt niet vastgelegd." || fail "an empty decision was sent: $(screen chair | tail -n 2)"
ok
