#!/bin/bash
# The server goes away mid-form: the form keeps its text, and after the reconnect the action point exists exactly once (also when the answer was lost); the reconnect uses the resume ticket, and the password once the ticket is revoked. A server that hangs after a decision is sent: the status line says the change has no answer yet; a server that stops while one waits to be sent: the 80-column status line still says so; one that stops while a confirmation is kept on screen: the status line says so at once.
. "$(dirname "$0")/lib.sh"

start_meeting
port=$E2E_PORT
due=$(date -d '+7 days' +%F)
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair

# 1. tafeld stops while the chair types; restarted on the same port
desc1="Tijdens storing e2e$$"
keys chair a
wait_for chair "Nieuwe afspraak" || fail "form did not open"
type_text chair "$desc1"
wait_for chair "Omschrijving             $desc1" || fail "typed text not in the form"
tafeld_stop
# the client has seen the connection close (the form hides the status line)
wait_closed "$port" || fail "chair: still connected to the stopped server"
screen chair | grep -qF "Nieuwe afspraak" || fail "form closed when the server went away"
screen chair | grep -qF "Actie: $desc1" ||
	screen chair | grep -qF "$desc1" || fail "typed text lost when the server went away"
tafeld_start "$port"
[ "$E2E_PORT" = "$port" ] || fail "tafeld came back on $E2E_PORT, not $port"
keys chair Enter
wait_for chair "Uitvoerende organisatie" || fail "owner field not asked"
type_text chair "Politie"
keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "owner person not asked"
keys chair Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7):" || fail "due date not asked"
type_text chair "$due"
keys chair Enter
wait_for chair "Afspraak vastgelegd" 90 || fail "first action point not confirmed after the restart"
n=$(count_in_meeting politie "$MEETING" "$desc1")
[ "$n" = 1 ] || fail "first action point stored $n times, not once"
# the client got its session back with its resume ticket, not the password
grep -q "voorzitter resumed with a ticket" "$E2E_DIR.log" ||
	fail "the client did not log in again with its resume ticket"
# the administrator revokes the tickets: the next reconnect needs the password
"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" user revoke-tickets voorzitter \
	>>"$E2E_DIR.log" 2>&1 || fail "tafelctl user revoke-tickets"
logins=$(grep -c "voorzitter logged in" "$E2E_DIR.log")

# 2. the answer is lost: tafeld dies (kill -9) right after the submit
desc2="Antwoord kwijt e2e$$"
keys chair a
wait_for chair "Nieuwe afspraak" || fail "form did not open again"
type_text chair "$desc2"
keys chair Enter
wait_for chair "Uitvoerende organisatie" || fail "owner field not asked (2)"
type_text chair "Politie"
keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "owner person not asked"
keys chair Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7):" || fail "due date not asked (2)"
type_text chair "$due"
# tafeld is stopped (SIGSTOP) before the submit, so the request is sent but
# never answered, whatever the machine's speed; then kill -9.
kill -STOP "$E2E_PID" 2>/dev/null || fail "could not stop tafeld"
keys chair Enter
sleep 0.5
tafeld_kill
# the form stays on screen, waiting, until the answer arrives
screen chair | grep -qF "$desc2" || fail "form with $desc2 gone while the server is down"
tafeld_start "$port"
wait_for chair "Afspraak vastgelegd" 90 || fail "second action point not confirmed after the restart"
wait_gone chair "Nieuwe afspraak" || fail "form still open after the confirmation"
n=$(count_in_meeting politie "$MEETING" "$desc2")
[ "$n" = 1 ] || fail "second action point stored $n times, not once"
n=$(count_in_meeting politie "$MEETING" "$desc1")
[ "$n" = 1 ] || fail "first action point now stored $n times"
# the refused ticket fell back to the stored password, without asking
grep -q 'login as "voorzitter" refused: the resume ticket' "$E2E_DIR.log" ||
	fail "the revoked ticket was not tried"
for _ in $(seq 1 300); do	# the password hash takes a while under ASan
	[ "$(grep -c "voorzitter logged in" "$E2E_DIR.log")" -gt "$logins" ] && break
	sleep 0.1
done
[ "$(grep -c "voorzitter logged in" "$E2E_DIR.log")" -gt "$logins" ] ||
	fail "no password login after the ticket was refused"
# 3. the server hangs right after a decision is sent (the connection looks
# alive for up to 40 s): the status line says that the change waits for its
# answer, until it comes
num=$(current_line chair | awk '{print $3}')
keys chair d
wait_for chair "Besluit over casus $num:" || fail "d did not ask"
type_text chair "Besluit tijdens hapering"
kill -STOP "$E2E_PID" 2>/dev/null || fail "could not stop tafeld (3)"
keys chair Enter
wait_for chair "wijziging verstuurd, nog geen antwoord" 10 ||
	{ kill -CONT "$E2E_PID"; fail "a sent decision left unanswered is not said: $(screen chair | tail -n 2)"; }
# quitting now asks (q back to the meetings, q again), n stays
keys chair q
wait_for chair "Overleggen" || { kill -CONT "$E2E_PID"; fail "q did not go back to the meetings"; }
keys chair q
wait_for chair "Een verstuurde wijziging heeft nog geen antwoord. Toch stoppen? (j/n)" ||
	{ kill -CONT "$E2E_PID"; fail "q quit without a word on the unanswered change: $(screen chair | tail -n 2)"; }
keys chair n
kill -CONT "$E2E_PID"
wait_for chair "Besluit over casus $num vastgelegd." 30 || fail "decision not confirmed after the hang"
wait_gone chair "nog geen antwoord" || fail "still said to wait after the answer: $(screen chair | tail -n 2)"
# 4. the server stops while a decision waits to be sent: at 80 columns the
# status line still says so (briefly, before whether the chair leads the
# meeting); before, "server gestopt — opnieuw verbinden over 4 s · u leidt
# dit overleg" left only "wijziginge…" of it
keys chair Enter	# step 3 left the chair in the meetings list
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown again: $(screen chair)"
num=$(current_line chair | awk '{print $3}')
keys chair d
wait_for chair "Besluit over casus $num:" || fail "d did not ask (4): $(screen chair)"
type_text chair " bij storing"
tafeld_stop
wait_closed "$port" || fail "chair: still connected to the stopped server (4)"
keys chair Enter
wait_for chair "Niet verbonden: de wijziging wordt verstuurd zodra de verbinding terug is." ||
	fail "Enter while disconnected: no word on the wait (4): $(screen chair | tail -n 2)"
keys chair Right	# any key clears the message
wait_re chair "^server gestopt — opnieuw over [0-9]+ s · niet verzonden · u leidt dit overleg" ||
	fail "the waiting decision is not in the status line: $(screen chair | tail -n 2)"
tafeld_start "$port"
wait_for chair "Besluit over casus $num vastgelegd." 90 || fail "decision not sent after the restart (4)"
# 5. the server goes away while that confirmation stays (until a key): the
# status line says so at once, the confirmation moves above it (it took the
# whole status line, and the lost connection went unsaid until a key)
tafeld_stop
wait_closed "$port" || fail "chair: still connected to the stopped server (5)"
wait_re chair "^server gestopt" 5 ||
	fail "the stopped server is not in the status line beside a kept message: $(screen chair | tail -n 3)"
screen chair | grep -qF "Besluit over casus $num vastgelegd." ||
	fail "the kept confirmation went with the connection: $(screen chair | tail -n 3)"
# tafel --batch (count_in_meeting, as politie) logs out when it quits: its ticket is revoked
grep -q "politie logged out" "$E2E_DIR.log" ||
	fail "tafel --batch quit without logging out"
ok
