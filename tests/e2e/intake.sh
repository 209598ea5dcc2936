#!/bin/bash
# Intake in the terminal client: a partner registers a signal with a person (its bottom line offers only what it may do there); the process manager's case list shows it at once; earlier cases; routing refusals say in Dutch what is missing; regie from pickers; goals, contributions, dates.
. "$(dirname "$0")/lib.sh"

start_server
"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" pm add reclassering Testdorp \
	>>"$E2E_DIR.log" 2>&1 || fail "tafelctl pm add"
# an earlier case with the same person (spelled differently), by batch as setup
old=$(printf 'signal domestic_violence Testdorp person Eerder signaal\nquit\n' |
	batch veiligthuis | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "case_record":
        print(o["case_record"]["id"]); print(o["case_record"]["number"]); break')
old_id=$(echo "$old" | sed -n 1p)
old_nr=$(echo "$old" | sed -n 2p)
[ -n "$old_id" ] || fail "setup signal"
printf 'add-person %s victim 1990-03-12 Anna de Fries\nquit\n' "$old_id" | batch veiligthuis |
	grep -q '"person"' || fail "setup person"

start_client pm reclassering
start_client vt veiligthuis
wait_for pm "Overleggen" || fail "pm: no meetings list"
keys pm 4
wait_for pm "Tafel · Casussen" || fail "4 did not open the case list"
wait_for pm "$old_nr" || fail "pm: the earlier case is not listed"

# the partner registers a signal
wait_for vt "Overleggen" || fail "vt: no meetings list"
keys vt 4
wait_for vt "Tafel · Casussen" || fail "vt: no case list"
wait_for vt "S nieuw signaal" || fail "footer does not show S"
wait_for vt "$old_nr" || fail "vt: the earlier case is not listed"
keys vt S
wait_for vt "Nieuw signaal: thema (nummer of naam):" || fail "S did not ask the theme"
wait_for vt "Thema's: 1 huiselijk geweld, 2 veelplegers" || fail "the themes are not listed"
type_text vt "1"; keys vt Enter
wait_re vt "District \(bekend: .*Testdorp.*\):" || fail "no district prompt naming the known districts: $(screen vt)"
type_text vt "Testdorp"; keys vt Enter
wait_for vt "Aanpak (persoon, systeem, gebied): persoon" || fail "no approach prompt"
keys vt Enter
wait_for vt "Reden van het signaal:" || fail "no reason prompt"
type_text vt "Buren hoorden geschreeuw"; keys vt Enter
wait_for vt "Persoon 1: rol naam geboortedatum" || fail "no person prompt"
type_text vt "dader Piet"; keys vt Enter
wait_for vt "Begin met de rol" || fail "an unknown role was not explained"
wait_for vt "Persoon 1: rol naam geboortedatum (leeg: aanmelden): dader Piet" ||
	fail "the person's question not asked again as it was, with the text: $(screen vt)"
keys vt C-u
# a date of birth that is no day, or one without its year, is refused rather
# than kept in the name (where it would reach every screen the name does)
type_text vt "kind Elif Yilmaz 31-2-2012"; keys vt Enter
wait_for vt "'31-2-2012' is geen datum: typ dag, maand en jaar" ||
	fail "a date that is no day was not refused: $(screen vt)"
# (the line keeps the text, the cursor at its end: its start may be cut)
wait_re vt "Persoon 1: rol naam geboortedatum \(leeg: aanmelden\): .*Elif Yilmaz 31-2-2012" ||
	fail "the person's question not asked again: $(screen vt)"
keys vt C-u
type_text vt "kind Elif Yilmaz 3 september"; keys vt Enter
wait_for vt "'3 september' is geen geboortedatum" ||
	fail "a date without its year was not refused: $(screen vt)"
keys vt C-u
# a month by its name
type_text vt "kind Elif Yilmaz 3 september 2015"; keys vt Enter
wait_for vt "Persoon 2: rol naam geboortedatum" || fail "no second person prompt"
type_text vt "slachtoffer Anna de Vries 12-3-1990"; keys vt Enter
wait_for vt "Persoon 3: rol naam geboortedatum" || fail "no third person prompt"
keys vt Enter
wait_re vt "Signaal 2026-[0-9]+ aangemeld" || fail "signal not registered"
nr=$(screen vt | grep -oE 'Signaal 20[0-9]{2}-[0-9]{4} aangemeld' | grep -oE '20[0-9]{2}-[0-9]{4}')
wait_for vt "Casus $nr · huiselijk geweld · signaal" || fail "the new case did not open"
wait_for vt "slachtoffer: Anna de Vries 1990-03-12" || fail "person not shown"
wait_for vt "kind: Elif Yilmaz 2015-09-03" || fail "the child not shown with its date of birth: $(screen vt)"
wait_for vt "Reden: Buren hoorden geschreeuw" || fail "reason not shown"
wait_for vt "Eerder besproken" || fail "no earlier cases section"
wait_for vt "$old_nr (signaal): Anna de Fries 1990-03-12" || fail "earlier case not shown"
# the submitter's bottom line offers what it may do (a goal, its contribution), not
# the process manager's keys (the case's phase, regie, an info round)
foot=$(screen vt | tail -n 1)
echo "$foot" | grep -qE "m fase|R regie|I inforonde" && fail "vt: footer offers the process manager's keys: $foot"
echo "$foot" | grep -q "g doel" || fail "vt: footer does not offer g: $foot"
echo "$foot" | grep -q "b inbreng" || fail "vt: footer does not offer b: $foot"
# a partner cannot start an info round, and is told so before choosing organisations
keys vt I
wait_for vt "Alleen de procesregisseur van de casus start een inforonde." || fail "vt: I not explained: $(screen vt)"
screen vt | grep -qF "Organisatie kiezen" && fail "vt: I opened the organisation picker"
# nor move it on or choose its regie: refused at once, saying who may, before any question
keys vt m
wait_for vt "m: Alleen een voorzitter, de procesregisseur of de casusregisseur" ||
	fail "vt: m is not refused saying who may: $(screen vt)"
screen vt | grep -qF "verplaatsen naar" && fail "vt: m asked a question the server would refuse"
keys vt R
wait_for vt "R: Alleen een voorzitter, de procesregisseur of de casusregisseur" ||
	fail "vt: R is not refused saying who may: $(screen vt)"
screen vt | grep -qF "Regieorganisatie van casus" && fail "vt: R opened the organisation picker"

# the process manager has it on the list without reloading
wait_re pm "^ $nr +huiselijk geweld +Testdorp +signaal" || fail "pm list not live"
# the new case came in on top; the selection stayed on the case it was on
# (the list does not move it under the user's hands): k goes up to the new one
keys pm k
keys pm Enter
wait_for pm "Casus $nr · huiselijk geweld · signaal" || fail "pm: Enter did not open the case"
wait_re pm "^m fase  R regie  g doel  I inforonde " || fail "pm: footer lacks its keys: $(screen pm | tail -n 1)"

# routing: screening, info round; regie bepaald refused with what is missing
keys pm m
wait_for pm "Casus $nr verplaatsen naar: screening" || fail "m did not offer the next status"
keys pm Enter
wait_for pm "Casus $nr: fase screening." || fail "move to screening"
keys pm m; keys pm Enter
wait_for pm ": fase inforonde." || fail "move to info round"
keys pm m
wait_for pm "verplaatsen naar: regie" || fail "m did not offer regie"
keys pm Enter
wait_for pm "Nog nodig: regieorganisatie (R), casusregisseur (R)." || fail "refusal not in Dutch"

# the partner adds its contribution; the pm's case view shows it live
keys vt b
wait_for vt "Wat uw organisatie weet van casus $nr (feiten):" || fail "b did not ask"
type_text vt "Drie eerdere meldingen"; keys vt Enter
wait_for vt "Uw oordeel over casus $nr:" || fail "no judgement prompt"
type_text vt "Zorgelijk"; keys vt Enter
wait_for vt "Inbreng van uw organisatie bij casus $nr vastgelegd." || fail "contribution not recorded"
wait_for pm "Veilig Thuis Eemland-Twente (Joris Mulder): Drie eerdere meldingen" ||
	fail "pm does not see the contribution"
wait_for pm "oordeel: Zorgelijk" || fail "pm does not see the judgement"

# regie: the lead organisation by name, the case manager from the picker
keys pm R
wait_for pm "Regieorganisatie van casus $nr (typ een naam; Enter kiest; Esc stopt)" || fail "R did not open the organisation picker"
keys pm /; type_text pm "Veilig"; keys pm Enter
keys pm Enter
wait_for pm "Casusregisseur van $nr (Enter kiest; Esc stopt) bij Veilig Thuis" || fail "no case manager picker"
keys pm /
type_text pm "Joris"; keys pm Enter
keys pm Enter
wait_for pm "regie en casusregisseur vastgelegd" || fail "regie not recorded"
wait_for pm "Casusregisseur: Joris Mulder" || fail "case manager not shown"
wait_for pm "Regie: Veilig Thuis Eemland-Twente" || fail "lead org not shown"
keys pm m; keys pm Enter
wait_for pm ": fase regie." || fail "move to regie bepaald"
keys pm m; keys pm Enter
wait_for pm "Nog nodig: minstens één doel (g)." || fail "plan refused without goal: not said"
keys pm g
wait_for pm "Nieuw doel van casus $nr:" || fail "g did not ask"
type_text pm "Veilige thuissituatie"; keys pm Enter
wait_for pm "1. open 0, gedaan 0, te laat 0: Veilige thuissituatie" || fail "goal not shown"
keys pm m; keys pm Enter
wait_for pm ": fase plan van aanpak." || fail "move to plan"

# the partner edits its own contribution (b again: the facts as they are)
keys vt b
wait_for vt "Wat uw organisatie weet van casus $nr (feiten): Drie eerdere meldingen" || fail "b did not offer the facts to edit"
keys vt C-u; type_text vt "Vier eerdere meldingen"; keys vt Enter
wait_for vt "Uw oordeel over casus $nr: Zorgelijk" || fail "b did not offer the judgement to edit"
keys vt Enter
wait_for pm "Veilig Thuis Eemland-Twente (Joris Mulder): Vier eerdere meldingen" || fail "edited contribution not shown"

# MDO from this case: a meeting of the case's own series, on the lists
keys pm M
wait_for pm "MDO voor casus $nr op (datum tijd):" || fail "M did not ask"
# the date as words (two of them) before the time, as dates are typed elsewhere; two blanks before the time
months=(januari februari maart april mei juni juli augustus september oktober november december)
tomorrow="$(date -d tomorrow +%-d) ${months[$(( $(date -d tomorrow +%-m) - 1 ))]}"
type_text pm "$tomorrow  10:00"; keys pm Enter
wait_for pm "MDO voor casus $nr gepland" || fail "MDO on '$tomorrow 10:00' not planned: $(screen pm | tail -n 3)"
keys pm 1
wait_re pm "10:00  MDO $nr" || fail "pm: the MDO is not on the meetings list"
keys vt 1
wait_re vt "10:00  MDO $nr" || fail "vt (involved): the MDO is not on the meetings list"

# help from the case view lists the case's keys first
keys pm 4
wait_for pm "Tafel · Casussen" || fail "4 again"
keys pm Enter
wait_for pm "Casus $nr ·" || fail "case again"
keys pm ?
wait_for pm "In een casus" || fail "help: no case section"
for _ in 1 2 3 4 5 6; do keys pm j; done	# long texts wrap: scroll a little
wait_for pm "Regieorganisatie en casusregisseur kiezen" || fail "help: R not listed"
wait_for pm "Casus naar de volgende fase van de routing" || fail "help: m not listed"
ok
