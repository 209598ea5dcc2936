#!/bin/bash
# Date messages say what they are about: planning (N) quotes a first or last date that is not one, as the other date fields do ("'30-2' is geen datum: typ bijv. ..."), and an info round's reply-by day in the past is "Die datum ligt in het verleden." (the field has no time).
. "$(dirname "$0")/lib.sh"

prep_week
prep_series

# --- planning: the first and the last date ------------------------------------
start_client ch voorzitter
wait_re ch '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "chair: meetings not loaded"
keys ch N
wait_for ch "Overleggen plannen van overlegvorm:" || fail "N did not ask the series: $(screen ch | tail -n 3)"
keys ch C-u; type_text ch "Prep tafel"; keys ch Enter
wait_for ch "Eerste datum (bijv. 8-12, +7, vrijdag):" || fail "no first date prompt: $(screen ch | tail -n 3)"
for typed in "volgende week" "30-2"; do
	keys ch C-u; type_text ch "$typed"; keys ch Enter
	wait_for ch "'$typed' is geen datum: typ bijv. 8-12-2026, 8/12, morgen of +7." ||
		fail "first date '$typed': not quoted: $(screen ch | tail -n 3)"
	screen ch | grep -q "Eerste datum (bijv. 8-12, +7, vrijdag): $typed" ||
		fail "first date '$typed': the prompt did not stay with the text: $(screen ch | tail -n 3)"
done
keys ch C-u; keys ch Enter
wait_for ch "Typ een datum, bijv. 8-12-2026, 8/12, morgen of +7." || fail "empty first date: $(screen ch | tail -n 3)"
type_text ch "+20"; keys ch Enter
wait_for ch "Tijd (UU:MM): 13:30" || fail "+20 not taken: $(screen ch | tail -n 3)"
keys ch Enter
wait_for ch "Om de hoeveel weken? (0: eenmalig): 0" || fail "no recurrence prompt"
keys ch BSpace; type_text ch "2"; keys ch Enter
wait_for ch "Tot en met (datum, bijv. 1-3-2027, +90): +90" || fail "no until prompt: $(screen ch | tail -n 3)"
type_text ch "31-11-2027"; keys ch Enter
wait_for ch "'31-11-2027' is geen datum: typ bijv. 8-12-2026, 8/12, morgen of +7." ||
	fail "until '31-11-2027': not quoted: $(screen ch | tail -n 3)"
keys ch C-u; type_text ch "+50"; keys ch Enter
wait_re ch "[0-9]+ overleg(gen)? van 'Prep tafel' gepland." || fail "not planned: $(screen ch | tail -n 3)"
[ "$(printf 'meetings\nquit\n' | batch voorzitter | grep -o '"series_name":"Prep tafel"' | wc -l)" -ge 2 ] ||
	fail "the planned meetings are not on the server"

# --- an info round's reply-by day in the past ---------------------------------
out=$(printf 'signal domestic_violence Prepdorp person Huisverbod opgelegd na melding\nquit\n' |
	batch politie)
NUMBER=$(echo "$out" | pick 'm["case_record"]["number"]')
[ -n "$NUMBER" ] || fail "signal: $out"
start_client pm reclassering
open_case pm "$NUMBER"
keys pm I
wait_for pm "Inforonde: eerste organisatie om te vragen" || fail "I did not open the picker: $(screen pm)"
keys pm /
wait_for pm "Zoeken:" || fail "/ in the picker"
type_text pm "Jeugdzorg"; keys pm Enter
wait_gone pm "Zoeken:" || fail "search prompt stays"
keys pm Enter
wait_for pm "1 gekozen" || fail "pick not taken: $(screen pm)"
keys pm Escape
wait_for pm "antwoord uiterlijk (bijv. +2, vrijdag):" || fail "no reply-by prompt: $(screen pm)"
past=$(date -d "$MON -3 days" +%-d-%-m-%Y)
type_text pm "$past"; keys pm Enter
wait_for pm "Die datum ligt in het verleden." || fail "past reply-by: $(screen pm | tail -n 3)"
screen pm | grep -q "Die datum en tijd" && fail "past reply-by names a time: $(screen pm | tail -n 3)"
screen pm | grep -q "(bijv. +2, vrijdag): $past" ||
	fail "the reply-by prompt did not stay: $(screen pm | tail -n 3)"
ok
