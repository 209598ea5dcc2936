#!/bin/bash
# Planning and the agenda in the terminal client: a partner is not offered N and is told who plans; the chair plans a meeting (N), moves (V) and cancels (X) it while a partner's list follows live; reorders (J/K) and removes (D) agenda items; a partner nominates a case (N in the case) and the chair accepts (a) or declines (x) it in the nominations (5).
. "$(dirname "$0")/lib.sh"

# select_meeting SESSION REGEX: moves the meetings list's selection (from the
# top) to the line matching REGEX.
select_meeting() {
	local row
	row=$(screen "$1" | grep -nE "$2" | head -n 1 | cut -d: -f1)
	[ -n "$row" ] || fail "$1: no line matching $2"
	keys "$1" Home 2>/dev/null
	for _ in $(seq 1 30); do keys "$1" k; done
	for _ in $(seq 4 "$row"); do keys "$1" j; done
}

start_server
start_client ch voorzitter
start_client vt veiligthuis
wait_re ch '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "chair: meetings not loaded"
wait_re vt '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "vt: meetings not loaded"

# a partner (no chair role) is not offered N, and N says at once who may plan
# (no form that the server refuses at the end)
screen vt | tail -n 1 | grep -q "N plannen" && fail "vt: N offered to a partner: $(screen vt | tail -n 1)"
screen ch | tail -n 1 | grep -q "N plannen" || fail "ch: N not offered to the chair: $(screen ch | tail -n 1)"
keys vt N
wait_for vt "N: alleen een voorzitter of beheerder plant overleggen; vraag het uw voorzitter." ||
	fail "vt: N does not say who may plan: $(screen vt)"
screen vt | grep -q "Overleggen plannen van overlegvorm" && fail "vt: N asked the series anyway"
keys vt '?'
wait_for vt "Tafel · Toetsen" || fail "vt: no help"
# the whole help, screen by screen: no planning keys (N, V, X) for a partner
: >"$E2E_DIR.vthelp"
for _ in $(seq 1 60); do screen vt >>"$E2E_DIR.vthelp"; keys vt j; done
grep -q "Tafel · Toetsen" "$E2E_DIR.vthelp" || fail "vt: help not shown"
grep -q "Overleggen plannen\|geplande overleg aflassen\|geplande overleg verzetten" "$E2E_DIR.vthelp" &&
	fail "vt: help lists planning keys for a partner: $(grep -m3 'plannen\|aflassen\|verzetten' "$E2E_DIR.vthelp")"
keys vt q
keys ch '?'
wait_for ch "Tafel · Toetsen" || fail "ch: no help"
for _ in $(seq 1 8); do keys ch j; done
wait_for ch "Overleggen plannen: één datum" || fail "ch: help does not list N for the chair: $(screen ch)"
keys ch q

# --- plan one meeting, move it, cancel it ------------------------------------
day=$(TZ=Europe/Amsterdam date -d '+20 days' +%F)
day2=$(TZ=Europe/Amsterdam date -d '+21 days' +%F)
# the series offered is the selected meeting's (the chair chairs all three)
select_meeting ch " WZT Enschede"
keys ch N
wait_for ch "Overleggen plannen van overlegvorm: WZT Enschede-Noord" ||
	fail "N did not offer the selected meeting's series: $(screen ch | tail -n 3)"
wait_for ch "Overlegvormen:" || fail "the series are not named"
# the series offered is a default: typing replaces it
type_text ch "Casusoverleg"
wait_for ch "Overleggen plannen van overlegvorm: Casusoverleg" ||
	fail "typing did not replace the offered series: $(screen ch | tail -n 3)"
keys ch Enter
wait_for ch "Eerste datum (bijv. 8-12, +7, vrijdag):" || fail "no first date prompt"
type_text ch "+20"; keys ch Enter
wait_for ch "Tijd (UU:MM): 13:30" || fail "no time prompt"
# a time as often written in Dutch, with a dot
type_text ch "7.15"; keys ch Enter
wait_for ch "Om de hoeveel weken? (0: eenmalig): 0" || fail "no recurrence prompt"
keys ch BSpace; type_text ch "1"; keys ch Enter
wait_for ch "Tot en met (datum, bijv. 1-3-2027, +90):" || fail "no until prompt"
keys ch C-u; type_text ch "+28"; keys ch Enter
wait_re ch "2 overleggen van 'Casusoverleg.*' gepland." || fail "not planned"
wait_re vt "^ +[0-9]+  $day 07:15 +Casusoverleg.*gepland" || fail "vt: planned meeting not live"
select_meeting ch "^ +[0-9]+  $day 07:15 +Casusoverleg"
keys ch V
wait_re ch "Overleg 'Casusoverleg.*' $day 07:15 verzetten naar" || fail "V did not name the meeting"
type_text ch "+21 8:30"; keys ch Enter
wait_re ch "Overleg 'Casusoverleg.*' $day 07:15 verzet naar $day2 08:30\." || fail "not moved (or the new time not said): $(screen ch | tail -n 3)"
wait_re vt "^ +[0-9]+  $day2 08:30 +Casusoverleg.*gepland" || fail "vt: move not live"
wait_re ch "^ +[0-9]+  $day2 08:30 +Casusoverleg" || fail "chair: moved meeting not listed"
select_meeting ch "^ +[0-9]+  $day2 08:30 +Casusoverleg"
keys ch X
wait_for ch "aflassen, reden:" || fail "X did not ask"
type_text ch "Voorzitter ziek"; keys ch Enter
wait_for ch "definitief aflassen? (j/n)" || fail "X: no last question"
keys ch j
wait_re ch "Overleg 'Casusoverleg.*' $day2 08:30 afgelast" || fail "not cancelled"
wait_re vt "^ +[0-9]+  $day2 08:30 +Casusoverleg.*vervallen" || fail "vt: cancellation not live"
for _ in $(seq 1 30); do keys ch k; done

# --- the agenda: J moves an item down, D takes one off -------------------------
open_first_meeting ch
first=$(screen ch | grep -E '^[ ▶✓] +1  ' | grep -oE '20[0-9]{2}-[0-9]{4}' | head -n 1)
second=$(screen ch | grep -E '^[ ▶✓] +2  ' | grep -oE '20[0-9]{2}-[0-9]{4}' | head -n 1)
[ -n "$first" ] && [ -n "$second" ] || fail "no two agenda items"
keys ch J
wait_re ch "^[ ▶✓] +1  $second" || fail "J did not move item 1 down"
wait_re ch "^[ ▶✓] +2  $first" || fail "J: $first is not second"
keys ch D
wait_for ch "Casus $first van de agenda halen? (j/n):" || fail "D did not name the case"
type_text ch "j"
wait_for ch "Casus $first van de agenda gehaald." || fail "D: not said"
wait_gone ch "  $first  " || fail "$first still on the agenda"

# --- a partner nominates a case; the chair accepts one and declines one -------
keys vt 4
wait_re vt '^ 20[0-9]{2}-[0-9]{4}  ' || fail "vt: no case list"
nr=$(screen vt | grep -oE '^ 20[0-9]{2}-[0-9]{4}' | head -n 1 | tr -d ' ')
keys vt Enter
wait_for vt "Casus $nr ·" || fail "vt: case did not open"
# N is offered in a partner's case footer
screen vt | tail -n 1 | grep -q "N voordragen" || fail "vt: N not in the footer: $(screen vt | tail -n 1)"
keys vt N
wait_for vt "Voordragen voor overlegvorm:" || fail "N did not ask the series"
keys vt C-u; type_text vt "Casusoverleg"; keys vt Enter
wait_for vt "Waarom casus $nr bespreken? (reden):" || fail "no reason prompt"
type_text vt "Nieuwe melding na huisbezoek; de buren hoorden opnieuw geschreeuw en de kinderen waren alleen thuis"; keys vt Enter
wait_for vt "Casus $nr voorgedragen; de voorzitter beslist." || fail "not nominated"
keys ch 5
wait_for ch "Tafel · Voordrachten" || fail "5: no nominations view"
wait_re ch "^ $nr +Casusoverleg.*Nieuwe melding" || fail "chair: nomination not listed"
# select_nomination: moves the chair's selection to $nr's line (one that
# arrives live after the list was drawn leaves the selection where it was)
select_nomination() {
	local row
	row=$(screen ch | grep -E '^ 20[0-9]{2}-[0-9]{4} ' | grep -nE "^ $nr +Casusoverleg" | head -n 1 | cut -d: -f1)
	[ -n "$row" ] || fail "chair: no line of $nr"
	for _ in 1 2 3 4 5; do keys ch k; done
	for _ in $(seq 2 "$row"); do keys ch j; done
}
select_nomination
# the reason is cut on its line at 80 columns; the pane under the list has
# it whole (wrapped), with who nominated it
wait_for ch "de kinderen waren alleen thuis" || fail "chair: the whole reason not shown: $(screen ch)"
wait_re ch "^  Reden: Nieuwe melding na huisbezoek" || fail "chair: no reason in the pane: $(screen ch)"
wait_re ch "^  Voorgedragen door: Veilig Thuis" || fail "chair: who nominated not shown: $(screen ch)"
keys ch x
wait_for ch "Voordracht van casus $nr afwijzen, reden:" || fail "x did not ask"
# an empty reason is refused at once, saying why one is needed
keys ch Enter
wait_for ch "Een reden is verplicht: wie de casus voordroeg, leest die." ||
	fail "an empty reason: no clear message: $(screen ch | tail -n 3)"
type_text ch "Wordt in het MDO besproken"; keys ch Enter
wait_for ch "Voordracht van casus $nr afgewezen." || fail "not declined"
wait_gone ch "Nieuwe melding na huisbezoek" || fail "declined nomination still listed: $(screen ch)"
# the demo's two pending nominations stay
wait_re ch "^ 20[0-9]{2}-0001 +SSO Enschede +Politie" || fail "chair: the demo's SSO nomination not listed: $(screen ch)"
wait_re ch "^ 20[0-9]{2}-0002 +WZT Enschede-Noord +Tavenier" || fail "chair: the demo's WZT nomination not listed: $(screen ch)"
keys vt N
wait_for vt "Voordragen voor overlegvorm:" || fail "N again"
keys vt C-u; type_text vt "Casusoverleg"; keys vt Enter
type_text vt "Toch bespreken"; keys vt Enter
wait_for vt "voorgedragen" || fail "second nomination"
wait_re ch "^ $nr +Casusoverleg.*Toch bespreken" || fail "chair: second nomination not live"
select_nomination
wait_re ch "^  Reden: Toch bespreken" || fail "chair: $nr not selected: $(screen ch)"
keys ch a
# the message names the meeting whose agenda it went on
wait_for ch "Casus $nr staat op de agenda van Casusoverleg" || fail "not accepted, or no meeting named: $(screen ch)"
screen ch | grep -q "het volgende overleg" && fail "meeting not named: $(screen ch)"
# on that agenda now: nominating it again is refused, saying why and for
# which meeting, as soon as the series is chosen: no reason is asked (it
# was, and what was typed was lost with the refusal)
keys vt N
wait_for vt "Voordragen voor overlegvorm:" || fail "N a third time"
keys vt C-u; type_text vt "Casusoverleg"; keys vt Enter
wait_re vt "\(20[0-9-]+ [0-9:]+\): voordragen is niet nodig\." ||
	fail "vt: no reason given for the refusal: $(screen vt | tail -n 3)"
screen vt | tail -n 4 | tr '\n' ' ' | grep -q "De casus staat al op de agenda van het volgende overleg van deze" ||
	fail "vt: the refusal does not say why: $(screen vt | tail -n 4)"
screen vt | grep -q "Waarom casus" && fail "vt: the reason asked again: $(screen vt | tail -n 3)"
ok
