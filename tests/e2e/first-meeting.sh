#!/bin/bash
# A first meeting as a new user runs it (docs/user-guide.md): a series name cut in the meetings list ends in "…"
# (whole in a wider window); Esc on a prompt whose offered text was left alone cancels
# without "discard?"; in the action point form the prompt is named like the form's field, and Esc on a later field asks
# before dropping the earlier answers; after closing, b in the meeting (and in the meetings list, where the footer offers
# it) shows the minutes and q goes back; a partner's minutes say why a decision is "(hidden, see above)"; the chair's
# notice that the shared screen pseudonymises and an empty inbox's text wrap instead of being cut (and the empty inbox offers no Enter); the action points
# list shows the selected one in full under it.
. "$(dirname "$0")/lib.sh"

start_server
MEETING=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
start_client chair voorzitter
wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' || fail "meetings not loaded: $(screen chair)"

# a series name cut to its column says so, in its middle, so that its end
# (the district) still tells series apart; a wider window shows it whole
wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  Casusoverleg huise…Eemland  ' ||
	fail "cut series name without … or its end: $(screen chair)"
tm resize-window -t chair -x 120 -y 40
wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  Casusoverleg huiselijk geweld district Eemland  ' ||
	fail "120 columns: series name not whole: $(screen chair)"
tm resize-window -t chair -x 80 -y 24
wait_re chair 'Casusoverleg huise…Eemland  ' || fail "back to 80 columns: $(screen chair)"

# N offers the first series' name: Esc with it untouched simply cancels
keys chair N
wait_for chair "Overleggen plannen van overlegvorm:" || fail "N did not ask the series: $(screen chair)"
keys chair Escape
wait_gone chair "Overleggen plannen van overlegvorm:" || fail "Esc did not cancel: $(screen chair)"
screen chair | grep -q "weggooien" && fail "Esc on untouched offered text asked to discard: $(screen chair)"
# typed text is still asked about
keys chair /
wait_for chair "Zoeken:" || fail "/ did not ask"
type_text chair "wzt"
keys chair Escape
wait_for chair "Getypte tekst weggooien? (j/n):" || fail "Esc on typed text did not ask: $(screen chair)"
type_text chair "j"
wait_gone chair "Zoeken:" || fail "j did not discard"

# the chair opens the WZT meeting and its first item
start_client vz voorzitter --meeting "$MEETING"
tm kill-session -t chair
wait_re vz "^ +# +Casus" || fail "chair: meeting not shown"
chair_start vz
num=$(current_line vz | awk '{print $3}')
# the GP (no covenant) is present: the chair is told the shared screen pseudonymises, the reason wrapped, not cut
wait_for vz "Op het gedeelde scherm wordt deze casus gepseudonimiseerd" || fail "no beamer notice: $(screen vz)"
wait_re vz "^  organisatie heeft het convenant niet ondertekend\)" ||
	fail "the beamer notice's reason is cut: $(screen vz)"

# the action point form: the prompt says "Omschrijving" like the form does
keys vz a
wait_for vz "Nieuwe afspraak · Casus $num" || fail "a did not open the form: $(screen vz)"
wait_re vz "^Omschrijving: *$" || fail "the prompt is not named like the field: $(screen vz)"
type_text vz "Huisbezoek met wijkagent plannen"
keys vz Enter
wait_for vz "Uitvoerende organisatie (naam of nummer):" || fail "no owner field"
# Esc on the empty second field would drop the description: asked first, n goes on
keys vz Escape
wait_for vz "Getypte tekst weggooien? (j/n):" || fail "Esc dropped the typed description unasked: $(screen vz)"
type_text vz "n"
wait_for vz "Uitvoerende organisatie (naam of nummer):" || fail "n did not go back to the field: $(screen vz)"
wait_for vz "Huisbezoek met wijkagent plannen" || fail "description lost: $(screen vz)"
type_text vz "Politie"
keys vz Enter
wait_for vz "Uitvoerder (persoon" || fail "no person field"
keys vz Enter
wait_for vz "Uiterste datum" || fail "no due date field"
type_text vz "+7"
keys vz Enter
wait_for vz "Afspraak vastgelegd." || fail "action point not recorded: $(screen vz)"

keys vz d
wait_for vz "Besluit over casus $num:" || fail "d did not ask"
type_text vz "Huisverbod verlengen"
keys vz Enter
wait_for vz "Besluit: Huisverbod verlengen" || fail "decision not shown"

# b before the meeting is closed: says why, and where b gives the
# contribution (in the case) a partner preparing may have meant
keys vz b
wait_for vz "Nog geen besluitenlijst: die komt er als het overleg gesloten is." || fail "b in an open meeting not explained: $(screen vz)"
wait_joined vz "Uw inbreng: Enter op de casus, dan b." || fail "b in a meeting does not point at the contribution: $(screen vz)"

keys vz c
wait_for vz "sluiten? (j/n)" || fail "c did not ask"
# only the first item was discussed: the question says the rest were not
wait_re vz "[1-9][0-9]* agendapunt(en zijn| is) niet besproken; de besluitenlijst zegt dat\." ||
	fail "c did not say which items were not discussed: $(screen vz | tail -n 3)"
type_text vz "j"
wait_for vz "Overleg gesloten." || fail "meeting not closed: $(screen vz)"
# the footer now offers the minutes; b shows them, q comes back to the meeting
wait_for vz "b besluitenlijst" || fail "footer does not offer b: $(screen vz)"
keys vz b
wait_for vz "Tafel · Besluitenlijst" || fail "b in the closed meeting did not open the minutes: $(screen vz)"
wait_re vz "^ 1\. Casus $num" || fail "case $num not in the minutes: $(screen vz)"
wait_for vz "Besluit: Huisverbod verlengen" || fail "decision not in the minutes: $(screen vz)"
keys vz q
wait_re vz "^ +# +Casus" || fail "q from the minutes did not go back to the meeting: $(screen vz)"

# the meetings list offers b on a closed meeting only: the selection is on
# the meeting just left (closed), g takes it to the first line
keys vz 1
wait_for vz "Tafel · Overleggen" || fail "1: no meetings list"
wait_re vz '^ +[0-9]+  20[0-9-]+ [0-9:]+ +WZT Enschede-Noord +gesloten' || fail "closed meeting not listed: $(screen vz)"
wait_for vz "b besluitenlijst" || fail "footer does not offer b on the closed meeting just left: $(screen vz)"
keys vz g
first=$(screen vz | grep -m1 -E '^ +[0-9]+  20[0-9-]+ [0-9:]+  ')
case $first in
*gesloten*) wait_for vz "b besluitenlijst" || fail "footer does not offer b on a closed meeting: $(screen vz)" ;;
*) wait_gone vz "besluitenlijst" || fail "b offered on a meeting not closed: $(screen vz)" ;;
esac

# an empty list says why in full (wrapped), not cut at the screen's edge
start_client pol politie
wait_for pol "Tafel · Overleggen" || fail "pol: no meetings list"
# the organisation's action points: a text cut in the list is whole in the pane under it
keys pol 3
wait_for pol "Tafel · Afspraken van mijn organisatie" || fail "pol: 3 did not open the action points"
wait_for pol "Toetsing verlenging huisverbo…" || fail "pol: expected a cut action point text: $(screen pol)"
keys pol /
wait_for pol "Zoeken:" || fail "pol: / did not ask"
type_text pol "Toetsing"
keys pol Enter
wait_for pol "Afspraak: Toetsing verlenging huisverbod door de hulpofficier van justitie" ||
	fail "pol: the selected action point not shown in full: $(screen pol)"
wait_for pol "Uitvoerder: Politie Eenheid Oost-Nederland / Kevin Wolters" || fail "pol: owner not shown: $(screen pol)"

# the housing corporation may not see every category of case 1 (no birth dates), but may read decisions: its minutes
# say what is hidden, show the decision, and where there is none say why ("(niet besproken)"), never "(verborgen, zie boven)"
start_client woning woningcorporatie
wait_for woning "Tafel · Overleggen" || fail "woning: no meetings list"
# (the demo's police has an info round's entry: the housing corporation's inbox is empty)
keys woning 6
wait_for woning "Tafel · Postvak" || fail "woning: 6 did not open the inbox"
wait_for woning "wat u verstuurde, verschijnt hier." || fail "woning: the empty inbox's text is cut: $(screen woning)"
# an empty list offers no Enter (nothing to choose)
screen woning | tail -n 1 | grep -q "Enter gelezen" && fail "woning: the empty inbox offers Enter: $(screen woning | tail -n 1)"
keys woning 1
wait_re woning '^ +[0-9]+  20[0-9-]+ [0-9:]+ +WZT Enschede-Noord +gesloten' || fail "woning: closed meeting not listed: $(screen woning)"
keys woning b
wait_for woning "Tafel · Besluitenlijst" || fail "woning: no minutes: $(screen woning)"
wait_re woning "^ 1\. Casus $num" || fail "woning: not today's minutes: $(screen woning)"
wait_for woning "verborgen: uw organisatie mag een deel van deze gegevens niet zien" ||
	fail "woning: the minutes do not say what is hidden: $(screen woning)"
wait_for woning "(geboortedata" || fail "woning: the minutes do not name the birth dates as hidden: $(screen woning)"
wait_for woning "Besluit: Huisverbod verlengen" || fail "woning: decision not shown: $(screen woning)"
# the items below, a page at a time (each item lists its case's action
# points, those agreed earlier too): the items the meeting never reached
# say so, "(niet besproken)"
# (each page read once it is drawn: a Space pressed while the last was not
# yet drawn could page past the item)
for _ in $(seq 1 12); do
	screen woning | grep -qF "Besluit: (niet besproken)" && break
	before=$(screen woning)
	keys woning Space
	deadline=$((SECONDS + 20))
	while [ "$(screen woning)" = "$before" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
	[ "$(screen woning)" = "$before" ] && break	# at the end
done
wait_for woning "Besluit: (niet besproken)" || fail "woning: an item never discussed not '(niet besproken)': $(screen woning)"
# hidden only where the line above says the decision may not be read (not involved), never for "a part of the data"
screen woning | awk '/Besluit: \(verborgen, zie boven\)/ && prev !~ /niet betrokken/ { bad = 1 } { prev = $0 }
	END { exit bad }' || fail "woning: a readable decision shown as hidden: $(screen woning)"

# the GP has not signed the covenant: decisions hidden, and the line above says why
start_client gp huisarts
wait_re gp '^ +[0-9]+  20[0-9-]+ [0-9:]+ +WZT Enschede-Noord +gesloten' || fail "gp: closed meeting not listed: $(screen gp)"
keys gp b
wait_for gp "Tafel · Besluitenlijst" || fail "gp: no minutes: $(screen gp)"
wait_for gp "Besluit: (verborgen, zie boven)" || fail "gp: decision not hidden: $(screen gp)"
wait_for gp "verborgen: uw organisatie heeft het convenant niet ondertekend" ||
	fail "gp: '(verborgen, zie boven)' with nothing above: $(screen gp)"
screen gp	# in the log
ok
