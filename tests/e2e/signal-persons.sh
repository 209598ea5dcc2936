#!/bin/bash
# A new signal's person line says what is wrong with it: a missing name (the role alone, or a role and a date) is said as such, and a year of birth before 1900 as an implausible year, not as "a name has no digits"; the line stays to correct.
. "$(dirname "$0")/lib.sh"

start_server
"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" pm add reclassering Testdorp \
	>>"$E2E_DIR.log" 2>&1 || fail "tafelctl pm add"
start_client vt veiligthuis
wait_for vt "Overleggen" || fail "vt: no meetings list"
keys vt 4
wait_for vt "Tafel · Casussen" || fail "vt: no case list"
keys vt S
wait_for vt "Nieuw signaal: thema (nummer of naam):" || fail "S did not ask the theme"
type_text vt "1"; keys vt Enter
wait_re vt "District \(bekend: .*\):" || fail "no district prompt"
type_text vt "Testdorp"; keys vt Enter
wait_for vt "Aanpak (persoon, systeem, gebied): persoon" || fail "no approach prompt"
keys vt Enter
wait_for vt "Reden van het signaal:" || fail "no reason prompt"
type_text vt "Buren hoorden geschreeuw"; keys vt Enter
wait_for vt "Persoon 1: rol naam geboortedatum" || fail "no person prompt"

# the role and a date: the name is missing (the date is fine)
type_text vt "kind 12-3-2019"; keys vt Enter
wait_for vt "De naam ontbreekt: rol, naam, geboortedatum, bijv. kind J. Jansen 3-9-2015." ||
	fail "a line without a name did not say so: $(screen vt | tail -n 3)"
wait_for vt "Persoon 1: rol naam geboortedatum (leeg: aanmelden): kind 12-3-2019" ||
	fail "the line was not offered again: $(screen vt | tail -n 3)"
keys vt C-u
# the role alone: the name is missing, not "begin with the role"
type_text vt "kind"; keys vt Enter
wait_for vt "De naam ontbreekt" || fail "the role alone did not say the name is missing: $(screen vt | tail -n 3)"
screen vt | grep -qF "Begin met de rol" && fail "the role alone was told to begin with the role"
keys vt C-u
# a date of birth in 1850: the year, not the digits in a name
type_text vt "kind Emre Özdemir 12-3-1850"; keys vt Enter
wait_for vt "Geboortejaar 1850 is niet aannemelijk (1900 tot vandaag)." ||
	fail "a year before 1900 was not said as such: $(screen vt | tail -n 3)"
screen vt | grep -qF "een naam heeft geen cijfers" && fail "1850 was called digits in a name"
keys vt C-u
type_text vt "kind Emre Özdemir 12 maart 1850"; keys vt Enter
wait_for vt "Geboortejaar 1850 is niet aannemelijk" || fail "12 maart 1850 was not said as an old year: $(screen vt | tail -n 3)"
keys vt C-u
# still refused as before: a day that does not exist
type_text vt "kind Emre 31-2-2019"; keys vt Enter
wait_for vt "'31-2-2019' is geen datum: typ dag, maand en jaar" ||
	fail "a day that does not exist is no longer refused: $(screen vt | tail -n 3)"
keys vt C-u
# a year alone is said to be one, and that the date may be left out
type_text vt "kind Noah Brouwer 2021"; keys vt Enter
wait_for vt "'2021' is alleen een jaar: een geboortedatum heeft dag, maand en jaar" ||
	fail "a year alone not said as such: $(screen vt | tail -n 3)"
keys vt C-u
# digits inside the name: still "a name has no digits"
type_text vt "kind Emre2 Özdemir 12-3-2019"; keys vt Enter
wait_for vt "'Emre2 Özdemir' is geen geboortedatum: een naam heeft geen cijfers." ||
	fail "digits in a name not said as such: $(screen vt | tail -n 3)"
keys vt C-u
# and a good line goes on to the next person
type_text vt "kind Emre Özdemir 12-3-2019"; keys vt Enter
wait_for vt "Persoon 2: rol naam geboortedatum" || fail "a good line was not taken: $(screen vt | tail -n 3)"
keys vt Enter
wait_re vt "Signaal 20[0-9]{2}-[0-9]+ aangemeld" || fail "signal not registered"
wait_for vt "kind: Emre Özdemir 2019-03-12" || fail "the child not shown: $(screen vt)"
ok
