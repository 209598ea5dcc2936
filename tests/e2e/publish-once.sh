#!/bin/bash
# U publishes a planned meeting's agenda once, after a question (every member organisation is told at once): n or Esc publishes nothing, j does; afterwards the chair's bottom line no longer offers it, and U says when and by whom it was published instead of the server's bare "not possible in this state"; in an open meeting U says the meeting is open.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for chair "· gepland ·" || fail "the meeting is not planned: $(screen chair)"
screen chair | tail -n 1 | grep -qF "U publiceren" ||
	fail "U not offered before publishing: $(screen chair | tail -n 1)"
# asked first: n, and Esc, publish nothing
QUESTION="Agenda 'SSO Enschede [0-9-]+ [0-9:]+' publiceren naar alle deelnemers\? \(j/n\)"
for answer in n Escape; do
	keys chair U
	wait_re chair "$QUESTION" || fail "U did not ask: $(screen chair | tail -n 3)"
	keys chair $answer
	wait_gone chair "publiceren naar alle deelnemers?" || fail "$answer did not answer U's question"
	sleep 0.5
	screen chair | grep -qF "Agenda gepubliceerd" && fail "U then $answer published: $(screen chair | tail -n 3)"
	meeting_published "$MEETING" && fail "U then $answer: the meeting is published on the server"
	screen chair | tail -n 1 | grep -qF "U publiceren" ||
		fail "U then $answer: U no longer offered: $(screen chair | tail -n 1)"
done
# j publishes
keys chair U
wait_re chair "$QUESTION" || fail "U did not ask: $(screen chair | tail -n 3)"
keys chair j
wait_for chair "Agenda gepubliceerd: de deelnemende organisaties zijn ingelicht." ||
	fail "U then j did not publish: $(screen chair | tail -n 3)"
# the bottom line follows the published meeting (answer or event): no U
deadline=$((SECONDS + 20))
while screen chair | tail -n 1 | grep -qF "U publiceren"; do
	[ $SECONDS -lt $deadline ] || fail "U still offered after publishing: $(screen chair | tail -n 1)"
	sleep 0.1
done
screen chair | tail -n 1 | grep -qF "v voorstellen" ||
	fail "bottom line lost the planned meeting's keys: $(screen chair | tail -n 1)"
keys chair U
wait_re chair "De agenda is al gepubliceerd: 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} door Anouk de Vries\." ||
	fail "second U: not told it was published already: $(screen chair | tail -n 3)"
screen chair | grep -qF "Die stap is in de huidige toestand niet mogelijk" &&
	fail "second U went to the server: $(screen chair | tail -n 3)"
# the server kept one publication
meeting_published "$MEETING" || fail "meeting not published on the server"
# a series name too long for the 80 columns: the question shortens the name,
# and keeps the date and the question whole (the line was cut in its middle,
# "Agenda 'Casusoverleg huiselijk geweld district Eemland 2026-12-06 15:00'
# ... " became "Agenda 'Casusoverleg huiselijk geweld district E…deelnemers?")
LONG=$(meeting_id "Casusoverleg huiselijk geweld district Eemland") || fail "no Eemland meeting in the demo data"
start_client long voorzitter --meeting "$LONG"
wait_re long "^Casusoverleg huiselijk .* · gepland ·" || fail "long: meeting not shown: $(screen long)"
keys long U
wait_re long "^Agenda 'Casu[^ ]*….*Eemland [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{5}' publiceren naar alle deelnemers\? \(j/n\)" ||
	fail "the long name's question is cut: $(screen long | tail -n 2)"
keys long Escape
# an open meeting: U is not for it, and says so
chair_start chair
keys chair U
wait_for chair "U: niet mogelijk nu het overleg open is." ||
	fail "U in an open meeting: $(screen chair | tail -n 3)"
ok
