#!/bin/bash
# A signal's district typed differently from a known one (case, spaces, hyphens) takes the known spelling, so the district's process manager gets it; a district only the server knows (a process manager's, a series') counts as known; one nobody knows is used only when confirmed (n: back to the text typed).
. "$(dirname "$0")/lib.sh"

start_server
"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" pm add reclassering Testdorp-Noord \
	>>"$E2E_DIR.log" 2>&1 || fail "tafelctl pm add"
# a district with a process manager and no case yet, known from the server
"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" pm add reclassering Beheerdorp \
	>>"$E2E_DIR.log" 2>&1 || fail "tafelctl pm add Beheerdorp"
# an earlier case of the partner makes the district known to it
printf 'signal domestic_violence Testdorp-Noord person Eerder signaal\nquit\n' |
	batch veiligthuis | grep -q '"case_record"' || fail "setup signal"

start_client pm reclassering
start_client vt veiligthuis
wait_for pm "Overleggen" || fail "pm: no meetings list"
keys pm 4
wait_for pm "Tafel · Casussen" || fail "pm: no case list"
wait_for vt "Overleggen" || fail "vt: no meetings list"
keys vt 4
wait_for vt "Tafel · Casussen" || fail "vt: no case list"
wait_re vt "huiselijk geweld +Testdorp-Noord " || fail "vt: the earlier case is not listed"

# a district no case has: asked first; n keeps the text to correct
keys vt S
wait_for vt "Nieuw signaal: thema (nummer of naam):" || fail "S did not ask the theme"
type_text vt "1"; keys vt Enter
wait_re vt "District \(bekend: .*Testdorp-Noord.*\):" || fail "no district prompt naming the known ones: $(screen vt | tail -n 4)"
# the server's districts are named too: a process manager's, a demo series'
screen vt | tail -n 3 | tr -d '\n' | grep -q "Beheerdorp" ||
	fail "the process manager's district is not among the known: $(screen vt | tail -n 4)"
type_text vt "Xdorp"; keys vt Enter
# (the question at 80 columns: its middle cut, the question whole)
wait_re vt "'Xdorp' is een nieuw district \(bekend.*Testdorp-Noord\)\. Toch gebruiken\? \(j/n\)" ||
	fail "a new district was not questioned: $(screen vt | tail -n 3)"
type_text vt "n"
wait_re vt "District \(bekend: .*\): Xdorp" || fail "n did not go back to the district typed"
# the spelling of a known one, taken over and said
keys vt C-u
type_text vt " testdorp noord"; keys vt Enter
wait_for vt "Aanpak (persoon, systeem, gebied): persoon" ||
	fail "the known district typed differently was not taken: $(screen vt | tail -n 3)"
wait_for vt "'testdorp noord' is het bekende district Testdorp-Noord." ||
	fail "the known spelling is not said"
keys vt Enter
wait_for vt "Reden van het signaal:" || fail "no reason prompt"
type_text vt "Ruzie op straat"; keys vt Enter
wait_for vt "Persoon 1: rol naam geboortedatum" || fail "no person prompt"
keys vt Enter
wait_re vt "Signaal 20[0-9]{2}-[0-9]+ aangemeld" || fail "signal not registered"
nr=$(screen vt | grep -oE 'Signaal 20[0-9]{2}-[0-9]{4} aangemeld' | grep -oE '20[0-9]{2}-[0-9]{4}')
# the district's process manager has it, under the known district
wait_re pm "^ $nr +huiselijk geweld +Testdorp-Noord +signaal" ||
	fail "pm: the signal is not in Testdorp-Noord: $(screen pm)"

# a new district confirmed is used as typed
keys vt 4
wait_for vt "Tafel · Casussen" || fail "vt: no case list"
keys vt S
wait_for vt "Nieuw signaal: thema (nummer of naam):" || fail "S did not ask the theme"
type_text vt "1"; keys vt Enter
wait_re vt "District \(bekend: " || fail "no district prompt"
type_text vt "Xdorp"; keys vt Enter
wait_for vt "'Xdorp' is een nieuw district" || fail "new district not questioned"
type_text vt "j"
wait_for vt "Aanpak (persoon, systeem, gebied): persoon" || fail "j did not go on"
keys vt Enter
type_text vt "Nieuw dorp"; keys vt Enter
wait_for vt "Persoon 1: rol naam geboortedatum" || fail "no person prompt"
keys vt Enter
wait_re vt "Signaal 20[0-9]{2}-[0-9]+ aangemeld" || fail "second signal not registered"
keys vt 4
wait_re vt "huiselijk geweld +Xdorp " || fail "vt: the new district is not used: $(screen vt)"
# a district known only from the server is taken without a question
keys vt 4
wait_for vt "Tafel · Casussen" || fail "vt: no case list (3)"
keys vt S
wait_for vt "Nieuw signaal: thema (nummer of naam):" || fail "S did not ask the theme (3)"
type_text vt "1"; keys vt Enter
wait_re vt "District \(bekend: " || fail "no district prompt (3)"
type_text vt "beheerdorp"; keys vt Enter
wait_for vt "Aanpak (persoon, systeem, gebied): persoon" ||
	fail "the process manager's district was questioned: $(screen vt | tail -n 3)"
wait_for vt "'beheerdorp' is het bekende district Beheerdorp." ||
	fail "the server's spelling is not taken: $(screen vt | tail -n 3)"
ok
