#!/bin/bash
# The shared screen keeps to itself: only the keys on its bottom line (P, q, ?) act there; P asks before the chair's own view (names, birth dates) goes on the projector; q goes to the meetings list, which stays the shared screen (its own keys only, the MDOs left out with a word on how to show one; Enter opens the next meeting in the beamer layout); any other key (4, Enter, p, d) says how to leave instead of acting, in the help reached from it too.
. "$(dirname "$0")/lib.sh"

start_server
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
# an MDO the chair plans for tomorrow: named after its case, which the room
# may not learn of
cid=$(signal_case voorzitter Mdodorp "Zorgen om het gezin")
[ -n "$cid" ] || fail "no case for the MDO"
MDO=$(printf 'mdo %s %s\nquit\n' "$cid" $(( $(date +%s) + 86400 )) | batch voorzitter |
	pick 'm["meeting"]["series_name"]')
case "$MDO" in "MDO "*) ;; *) fail "no MDO planned: $MDO" ;; esac
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
keys chair n
wait_re chair '^▶ +2 ' || fail "chair: n did not make item 2 current"

start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_for beamer "agendapunt 2/" || fail "beamer: item 2 not current: $(screen beamer)"
wait_for beamer "P normale weergave  q terug  ? hulp" || fail "beamer: bottom line: $(screen beamer)"
NOT="Niet in de presentatie: druk P om de presentatie te verlaten."

# keys not on the bottom line do nothing but say how to leave
for k in 4 Enter p d n 1 Escape; do
	keys beamer "$k"
	wait_for beamer "$NOT" 5 || fail "beamer: $k not refused: $(screen beamer)"
	screen beamer | grep -q "agendapunt 2/" || fail "beamer: $k left the shared screen: $(screen beamer)"
	keys beamer r		# clears the message
	wait_gone beamer "$NOT" 5 || fail "beamer: the message stayed after r"
done
sleep 0.5
wait_re chair '^▶ +2 ' 2 || fail "a chair key on the beamer moved the meeting: $(screen chair)"
screen beamer | grep -q "Tafel · Casussen" && fail "beamer: the case list is shown"

# the help, and from it no way to another screen
keys beamer '?'
wait_for beamer "Tafel · Toetsen" || fail "beamer: ? did not show the help"
screen beamer | tail -n 1 | grep -q "1 overleggen" && fail "beamer help offers other screens: $(screen beamer)"
keys beamer 4
wait_for beamer "$NOT" 5 || fail "beamer help: 4 not refused: $(screen beamer)"
keys beamer q
wait_for beamer "agendapunt 2/" || fail "beamer: q in the help did not go back: $(screen beamer)"

# P asks; n keeps the shared screen
ASK="Het scherm toont dan namen en geboortedata aan de zaal. Doorgaan? (j/n)"
keys beamer P
wait_for beamer "$ASK" 5 || fail "beamer: P did not ask: $(screen beamer)"
keys beamer n
wait_for beamer "Het gedeelde scherm blijft." 5 || fail "beamer: n not confirmed: $(screen beamer)"
screen beamer | grep -q "agendapunt 2/" || fail "beamer: n left the shared screen"
# P and j go to the chair's own view
keys beamer P
wait_for beamer "$ASK" 5 || fail "beamer: P did not ask: $(screen beamer)"
keys beamer j
wait_re beamer "^ +# +Casus" || fail "beamer: j did not go to the normal view: $(screen beamer)"
# and back to the shared screen without a question
keys beamer P
wait_for beamer "agendapunt 2/" || fail "beamer: P did not go back to the shared screen: $(screen beamer)"

# q goes to the meetings list without a question, and the screen stays the shared one: only its keys
# there, and Enter opens the meeting in the beamer layout again (the next meeting of the day too)
keys beamer q
wait_for beamer "Enter openen op het gedeelde scherm  q stoppen  ? hulp" ||
	fail "beamer: q did not go to the meetings list as the shared screen: $(screen beamer)"
screen beamer | grep -q "$ASK" && fail "beamer: q asked: $(screen beamer)"
# the MDO is left out there, and the list says so and how to show one
wait_joined beamer "MDO's staan niet op het gedeelde scherm (elk heet naar zijn casus)" ||
	fail "beamer list: no word on the MDOs left out: $(screen beamer)"
screen beamer | grep -qF "$MDO" && fail "beamer list shows $MDO: $(screen beamer)"
LIST="Niet op het gedeelde scherm: Enter opent er een overleg op."
for k in 4 3 6 p; do
	keys beamer "$k"
	wait_for beamer "$LIST" 5 || fail "beamer list: $k not refused: $(screen beamer)"
	screen beamer | grep -qE "Tafel · (Casussen|Afspraken|Postvak)" && fail "beamer list: $k left the list: $(screen beamer)"
	keys beamer r
	wait_gone beamer "$LIST" 5 || fail "beamer list: the message stayed after r"
done
# its help lists the shared screen's keys only
keys beamer '?'
wait_for beamer "Tafel · Toetsen" || fail "beamer list: ? did not show the help"
screen beamer | grep -q "In de casuslijst" && fail "beamer list help lists the case list: $(screen beamer)"
screen beamer | grep -qE "^  4 " && fail "beamer list help lists 4: $(screen beamer)"
keys beamer q
wait_for beamer "Enter openen op het gedeelde scherm" || fail "beamer: q in the help did not go back: $(screen beamer)"
# the list's selection is still on the meeting: Enter puts it on the shared screen again
keys beamer Enter
wait_for beamer "agendapunt 2/" || fail "beamer: Enter did not open the meeting in the beamer layout: $(screen beamer)"
# the chair's own list has the MDO
keys chair 1
wait_for chair "$MDO" || fail "chair: $MDO not in the own meetings list: $(screen chair)"
screen chair | grep -qF "MDO's staan niet" && fail "chair: the shared screen's note on its own list"
ok
