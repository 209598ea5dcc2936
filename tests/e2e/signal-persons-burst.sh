#!/bin/bash
# Persons typed fast or pasted in one go at a new signal's person prompt are all kept, in order (three lines in one burst, then two pasted); a refused line in a burst is offered again and the lines after it are said to be not taken, never dropped unseen.
. "$(dirname "$0")/lib.sh"

start_server
"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" pm add reclassering Testdorp \
	>>"$E2E_DIR.log" 2>&1 || fail "tafelctl pm add"
E2E_COLS=120 E2E_ROWS=35 start_client pol politie
wait_for pol "Overleggen" || fail "no meetings list"

# new_signal: the intake up to the first person's prompt
new_signal() {
	keys pol 4
	wait_for pol "Tafel · Casussen" || fail "no case list"
	keys pol S
	wait_for pol "Nieuw signaal: thema (nummer of naam):" || fail "S did not ask the theme"
	type_text pol "3"; keys pol Enter
	wait_re pol "District \(bekend: .*\):" || fail "no district prompt"
	type_text pol "Testdorp"; keys pol Enter
	wait_for pol "Aanpak (persoon, systeem, gebied): persoon" || fail "no approach prompt"
	keys pol Enter
	wait_for pol "Reden van het signaal:" || fail "no reason prompt"
	type_text pol "Buren hoorden geschreeuw"; keys pol Enter
	wait_for pol "Persoon 1: rol naam geboortedatum" || fail "no person prompt"
}

new_signal
# three lines in one burst, as typed fast
keys pol 'kind Daniël de Vries 3-4-2010' Enter 'overig Marloes de Vries 12-12-1980' Enter \
	'overig Peter de Vries 1-1-1979' Enter
wait_re pol "Persoon 4: rol naam geboortedatum \(leeg: aanmelden\): *$" ||
	fail "a burst of three lines did not make three persons: $(screen pol | tail -n 3)"
# two pasted lines (tmux pastes a newline as Enter)
tm set-buffer -b h74 $'slachtoffer Ayşe Çelik 14-3-1987\nverdachte H. Çelik 2-11-1984\n'
tm paste-buffer -b h74 -t pol
wait_re pol "Persoon 6: rol naam geboortedatum \(leeg: aanmelden\): *$" ||
	fail "two pasted lines did not make two persons: $(screen pol | tail -n 3)"
keys pol Enter
wait_re pol "Signaal 20[0-9]{2}-[0-9]+ aangemeld" || fail "signal not registered: $(screen pol | tail -n 3)"
wait_for pol "verdachte: H. Çelik 1984-11-02" || fail "the case does not show the last person: $(screen pol)"
persons=$(screen pol | grep -E '^ +(kind|overig|slachtoffer|verdachte): ')
expect="kind: Daniël de Vries 2010-04-03
overig: Marloes de Vries 1980-12-12
overig: Peter de Vries 1979-01-01
slachtoffer: Ayşe Çelik 1987-03-14
verdachte: H. Çelik 1984-11-02"
[ "$(echo "$persons" | sed 's/^ *//')" = "$expect" ] ||
	fail "the case does not hold the five persons in order: $(screen pol)"

# a refused line in a burst: offered again, and what came after it is
# said to be not taken (not run on into it, not dropped unseen)
new_signal
keys pol 'kind Emre 31-2-2019' Enter 'overig Fatma Yilmaz 5-5-1985' Enter
wait_for pol "'31-2-2019' is geen datum" || fail "the bad line was not refused: $(screen pol | tail -n 3)"
wait_for pol "Wat na deze regel getypt is, is niet overgenomen: typ het opnieuw." ||
	fail "the lines after the refused one were dropped unsaid: $(screen pol | tail -n 3)"
wait_re pol "Persoon 1: rol naam geboortedatum \(leeg: aanmelden\): kind Emre 31-2-2019 *$" ||
	fail "the refused line was not offered again as typed: $(screen pol | tail -n 3)"
keys pol C-u
type_text pol "kind Emre Yilmaz 28-2-2019"; keys pol Enter
wait_for pol "Persoon 2:" || fail "the corrected line was not taken"
type_text pol "overig Fatma Yilmaz 5-5-1985"; keys pol Enter
wait_for pol "Persoon 3:" || fail "the line typed again was not taken"
keys pol Enter
wait_re pol "Signaal 20[0-9]{2}-[0-9]+ aangemeld" || fail "second signal not registered"
wait_for pol "kind: Emre Yilmaz 2019-02-28" || fail "child missing: $(screen pol)"
wait_for pol "overig: Fatma Yilmaz 1985-05-05" || fail "other missing: $(screen pol)"
ok
