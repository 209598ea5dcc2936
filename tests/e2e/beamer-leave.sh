#!/bin/bash
# The shared screen keeps to itself: only the keys on its bottom line (P, q, ?) act there; P and q ask before the chair's own view (names, birth dates) goes on the projector; any other key (4, Enter, p, d) says how to leave instead of acting, in the help reached from it too.
. "$(dirname "$0")/lib.sh"

start_server
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
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
# q asks too; j goes to the chair's own view
keys beamer q
wait_for beamer "$ASK" 5 || fail "beamer: q did not ask: $(screen beamer)"
keys beamer j
wait_re beamer "^ +# +Casus" || fail "beamer: j did not go to the normal view: $(screen beamer)"
# and back to the shared screen without a question
keys beamer P
wait_for beamer "agendapunt 2/" || fail "beamer: P did not go back to the shared screen: $(screen beamer)"
ok
