#!/bin/bash
# The info round and the calendar in the client (issue 11, docs/protocol.md 7.10, 7.11): on Monday the process manager starts a round from the case view (I: three partners from the organisation picker, a reply-by date); two partners answer in their own clients (8, b / n with a note); on Wednesday the process manager sees both answers and the silent partner red; the asked partner reads the name to search for, an outsider on the meeting sees only initials but the answers; the agenda's publication is in every member's inbox (6); the partner's calendar (9) flags a clash red; the shared screen shows the answers without notes; the process manager closes the round from the case (Z).  Monday/Wednesday are set with TAFEL_TEST_TODAY.
. "$(dirname "$0")/lib.sh"

# is_red_line SESSION TEXT: is TEXT drawn in red (foreground 31 or 91 set by
# the escapes before it, not reset to the default 39 or 0 in between)?
is_red_line() {
	tm capture-pane -e -p -t "$1" | python3 -c '
import re, sys
text = sys.argv[1]
for line in sys.stdin:
    at = line.find(text)
    if at < 0:
        continue
    fg = None
    for m in re.finditer(r"\x1b\[([0-9;]*)m", line[:at]):
        for p in (m.group(1) or "0").split(";"):
            if p in ("0", "", "39"):
                fg = None
            elif p in ("31", "91"):
                fg = "red"
            elif re.fullmatch(r"3[0-7]|9[0-7]", p):
                fg = p
    sys.exit(0 if fg == "red" else 1)
sys.exit(1)' "$2"
}

prep_week
prep_series
# another series of the housing partner, Thursday half an hour later: a clash
# (its name longer than the calendar's series column was)
BUURT="Buurtoverleg Botsdorp en Eemhof-Noord"
SERIES2=$(ctl series add "$BUURT" casusoverleg_hg domestic_violence Botsdorp voorzitter |
	sed -n 's/.*(id \([0-9]*\)).*/\1/p')
[ -n "$SERIES2" ] || fail "series add 2"
ctl series member "$BUURT" "Woonstichting De Eemhof" >/dev/null || fail "series member 2"
out=$(printf 'plan %s %s 13:30\nplan %s %s 14:00\nquit\n' "$SERIES" "$THU" "$SERIES2" "$THU" |
	batch voorzitter)
MEETING=$(echo "$out" | pick '[x for x in m["meeting_list"]["meetings"] if x["series_id"] == '"$SERIES"'][0]["id"]')
[ -n "$MEETING" ] || fail "plan: $out"

out=$(printf 'signal domestic_violence Prepdorp person Huisverbod opgelegd na melding\nquit\n' |
	batch politie)
CASE=$(echo "$out" | pick 'm["case_record"]["id"]')
NUMBER=$(echo "$out" | pick 'm["case_record"]["number"]')
[ -n "$CASE" ] || fail "signal: $out"
printf 'add-item %s %s\nquit\n' "$MEETING" "$CASE" | batch voorzitter | grep -q '"agenda"' ||
	fail "add-item"
printf 'add-person %s suspect 1980-01-02 Jan de Vries\nquit\n' "$CASE" | batch politie |
	grep -q '"person"' || fail "add-person"

# --- Monday: the process manager starts the round in the case view --------
start_client pm reclassering
keys pm 4
wait_for pm "Tafel · Casussen" || fail "4 did not open the case list"
keys pm /
type_text pm "$NUMBER"
keys pm Enter
wait_re pm "^ $NUMBER " || fail "case $NUMBER not listed: $(screen pm)"
keys pm Enter
wait_for pm "Casus $NUMBER · huiselijk geweld" || fail "case not opened: $(screen pm)"
keys pm I
wait_for pm "Inforonde: eerste organisatie om te vragen (Enter kiest, Esc: klaar)" || fail "I did not open the picker: $(screen pm)"
# pick_org TEXT: searches the picker and chooses the first match
pick_org() {
	keys pm /
	wait_for pm "Zoeken:" || fail "/ in the picker: $(screen pm)"
	type_text pm "$1"
	keys pm Enter
	wait_gone pm "Zoeken:" || fail "search prompt stays"
	keys pm Enter
}
pick_org "Jeugdzorg"
wait_for pm "Inforonde, 1 gekozen (laatst Bureau Jeugdzorg Eemland-Twente) · Esc: klaar" ||
	fail "first pick not taken: $(screen pm)"
pick_org "GGZ"
wait_for pm "2 gekozen (laatst GGZ Eemland-Twente)" || fail "second pick: $(screen pm)"
pick_org "Eemhof"
wait_for pm "3 gekozen (laatst Woonstichting De Eemhof)" || fail "third pick: $(screen pm)"
keys pm Escape
wait_for pm "Inforonde $NUMBER, 3 organisaties: antwoord uiterlijk (bijv. +2, vrijdag):" ||
	fail "Esc did not ask the date, with examples of dates: $(screen pm)"
type_text pm "$TUE"
keys pm Enter
wait_for pm "Inforonde gestart: 3 organisaties gevraagd." ||
	fail "round not started: $(screen pm)"
wait_for pm "Inforonde open · antwoord uiterlijk $TUE · 0 van 3 beantwoord" ||
	fail "case view does not show the round: $(screen pm)"

# two partners answer in their own clients
start_client jz jeugdzorg
keys jz 8
wait_for jz "Tafel · Inforondes" || fail "8 did not open the info rounds"
# an asked partner outside the case sees its own question only
wait_re jz "^● $NUMBER +$TUE +- +nog geen antwoord" || fail "round not listed for jeugdzorg: $(screen jz)"
wait_for jz "Om op te zoeken (inforonde): Jan de Vries 1980-01-02" || fail "asked partner has no name to search: $(screen jz)"
# its bottom line offers the answers, not closing (the process manager's)
foot=$(screen jz | tail -n 1)
echo "$foot" | grep -q "^b bekend  n niet bekend" || fail "asked partner: answers not offered: $foot"
echo "$foot" | grep -q "Z sluiten" && fail "asked partner: Z offered: $foot"
keys jz b
wait_for jz "$NUMBER: bekend. Korte toelichting" || fail "b did not ask a note: $(screen jz)"
type_text jz "In beeld sinds 2024"
keys jz Enter
wait_for jz "Beantwoord: bekend." || fail "answer not accepted: $(screen jz)"
wait_re jz "^  $NUMBER +$TUE +- +bekend" || fail "answer not in the list: $(screen jz)"
# an asked partner cannot close the round, and is told who can (not "not found")
keys jz Z
wait_for jz "De inforonde over $NUMBER sluiten? (j/n)" || fail "Z did not ask (partner): $(screen jz)"
type_text jz j
wait_for jz "Alleen de procesregisseur van de casus sluit de inforonde." ||
	fail "partner's Z not explained: $(screen jz)"
# Enter opens the case, which an asked partner outside it may not see: the
# view says so, and that the round is its to answer, and offers no case
# keys (not "loading" for ever)
keys jz Enter
wait_joined jz "Casus $NUMBER: uw organisatie is gevraagd in de inforonde, maar mag de casus zelf niet zien. 8 toont de ronde, met de personen om op te zoeken. Esc: terug." ||
	fail "jeugdzorg: a case it may not see is not said so, nor where its round is: $(screen jz)"
screen jz | grep -qF "Casus laden" && fail "jeugdzorg: the case view still says it is loading: $(screen jz)"
foot=$(screen jz | tail -n 1)
echo "$foot" | grep -qE " fase| regie| doel| inforonde" && fail "jeugdzorg: case keys offered: $foot"
keys jz m
wait_joined jz "mag de casus zelf niet zien. 8 toont de ronde, met de personen om op te zoeken. Esc: terug." ||
	fail "jeugdzorg: m on a case it may not see: $(screen jz | tail -n 2)"
keys jz Escape
wait_for jz "Tafel · Inforondes" || fail "jeugdzorg: Esc did not go back to the info rounds"

start_client ggz ggz
keys ggz 8
wait_re ggz "^● $NUMBER " || fail "round not listed for ggz: $(screen ggz)"
keys ggz n
wait_for ggz "$NUMBER: niet bekend. Korte toelichting" || fail "n did not ask a note"
keys ggz Enter
wait_for ggz "Beantwoord: niet bekend." || fail "ggz answer: $(screen ggz)"
# ggz sees its own answer only, not jeugdzorg's
wait_for ggz "GGZ Eemland-Twente: niet bekend" || fail "ggz own answer not shown: $(screen ggz)"
screen ggz | grep -qF "In beeld sinds 2024" && fail "ggz sees another partner's note"
# the case view of the process manager followed live
wait_for pm "2 van 3 beantwoord" || fail "case view not live: $(screen pm)"
wait_for pm "Bureau Jeugdzorg Eemland-Twente: bekend — In beeld sinds 2024" ||
	fail "process manager does not see the note: $(screen pm)"

# --- Wednesday: the silent partner is red --------------------------------
tm kill-server >/dev/null 2>&1
tafeld_stop
export TAFEL_TEST_TODAY=$WED
tafeld_start 0
out=$(printf 'meetings\nquit\n' | batch voorzitter)
VERSION=$(echo "$out" | pick '[x for x in m["meeting_list"]["meetings"] if x["id"] == '"$MEETING"'][0]["version"]')
printf 'publish %s %s\nquit\n' "$MEETING" "$VERSION" | batch voorzitter | grep -q '"published_at"' ||
	fail "publish"

start_client pm reclassering
keys pm 8
wait_for pm "Tafel · Inforondes" || fail "8 (process manager)"
wait_re pm "^! $NUMBER +$TUE +2/3 +-" || fail "round not listed (marked !) for the process manager: $(screen pm)"
wait_for pm "Woonstichting De Eemhof: nog geen antwoord (te laat)" || fail "no overdue answer: $(screen pm)"
is_red_line pm "Woonstichting De Eemhof: nog geen antwoord" ||
	fail "overdue answer not red: $(tm capture-pane -e -p -t pm | grep -F Eemhof | cat -v)"
is_red_line pm "GGZ Eemland-Twente: niet bekend" && fail "a given answer drawn red"
is_red_line pm "Inforonde open · antwoord uiterlijk $TUE" || fail "round with an overdue answer not red"
# the process manager is offered Z, not the answers (its organisation is not asked)
foot=$(screen pm | tail -n 1)
echo "$foot" | grep -q "^Z sluiten" || fail "process manager: Z not offered: $foot"
echo "$foot" | grep -qE "b bekend|niet bekend" && fail "process manager: answers offered: $foot"
# the process manager gets no identifying data through the round
screen pm | grep -qF "Om op te zoeken" && fail "process manager got the round's identifying data"

# an outsider on the meeting (series member, not asked; an observer):
# initials, and the round without the answers, which say what the asked
# organisations know of the persons (docs/security.md rule 8)
start_client out waarnemer --meeting "$MEETING"
wait_re out "^ +# +Casus" || fail "outsider: meeting not shown: $(screen out)"
# (not asked: none of the answers is shown, so not "other answers hidden")
wait_for out "Inforonde open · antwoord uiterlijk $TUE · antwoorden verborgen" ||
	fail "outsider: the round is not shown with the case: $(screen out)"
screen out | grep -qF "andere antwoorden verborgen" &&
	fail "outsider: 'other answers hidden' with none shown: $(screen out)"
screen out | grep -qF "Eemland-Twente: bekend" && fail "outsider sees an answer: $(screen out)"
wait_for out "J. d. V." || fail "outsider: no initials: $(screen out)"
screen out | grep -qF "Jan de Vries" && fail "outsider sees the name"
screen out | grep -qF "1980-01-02" && fail "outsider sees the date of birth"

# the housing partner: the publication in its inbox, the clash in its calendar
start_client woon woningcorporatie
keys woon 6
wait_for woon "Tafel · Postvak" || fail "6 did not open the inbox"
wait_for woon "agenda gepubliceerd" || fail "no publication in the inbox: $(screen woon)"
keys woon 9
wait_for woon "Tafel · Kalender" || fail "9 did not open the calendar"
# at 80 columns both are readable: each series in full on its line (marked
# !), what the selected one clashes with (red, with its time) under the list
wait_re woon "^! .*Prep tafel +gepland" || fail "no clash flagged: $(screen woon)"
wait_re woon "^! .*$BUURT +gepland" || fail "series cut or clash not both ways: $(screen woon)"
# cal_select TEXT: moves the selection to the calendar line with TEXT
cal_select() {
	local idx
	idx=$(screen woon | grep -E '^[! ] 20[0-9]{2}-' | grep -nF -- "$1" | head -n 1 | cut -d: -f1)
	[ -n "$idx" ] || fail "no calendar line $1: $(screen woon)"
	for _ in $(seq 1 20); do keys woon k; done
	for _ in $(seq 2 "$idx"); do keys woon j; done
}
cal_select "Prep tafel"
wait_for woon "! overlapt met $BUURT $THU 14:00" || fail "clash not named under the list: $(screen woon)"
is_red_line woon "overlapt met $BUURT" ||
	fail "clash not red: $(tm capture-pane -e -p -t woon | cat -v)"
cal_select "$BUURT"
wait_for woon "! overlapt met Prep tafel $THU 13:30" || fail "clash not both ways: $(screen woon)"
is_red_line woon "overlapt met Prep tafel" ||
	fail "clash not red: $(tm capture-pane -e -p -t woon | cat -v)"

# the shared screen: the chair opens the meeting and shows the case; the
# room sees the answers, no notes and no name to search for
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
start_client beamer voorzitter --meeting "$MEETING" --presentation
wait_for beamer "Inforonde open · antwoord uiterlijk $TUE · 2 van 3 beantwoord" ||
	fail "beamer: no info round: $(screen beamer)"
wait_for beamer "Bureau Jeugdzorg Eemland-Twente: bekend" || fail "beamer: no answer: $(screen beamer)"
is_red_line beamer "Woonstichting De Eemhof: nog geen antwoord" || fail "beamer: overdue not red"
screen beamer | grep -qF "In beeld sinds 2024" && fail "beamer shows a note"
screen beamer | grep -qF "Om op te zoeken" && fail "beamer shows identifying data"


# the process manager closes the round from the case while jeugdzorg types
# a new answer: jeugdzorg hears that the round closed meanwhile and keeps
# its note on the input line to copy
start_client jz jeugdzorg
keys jz 8
wait_for jz "Om op te zoeken (inforonde): Jan de Vries 1980-01-02" || fail "jeugdzorg: round not selected: $(screen jz)"
# changing its answer is asked first, and offers the note sent (^U clears it)
keys jz n
wait_for jz "Antwoord over $NUMBER wijzigen van bekend in niet bekend? (j/n)" ||
	fail "n on a known answer was not asked: $(screen jz)"
keys jz j
wait_for jz "$NUMBER: niet bekend. Toelichting (Enter behoudt deze): In beeld sinds 2024" ||
	fail "j did not offer the note sent: $(screen jz)"
keys jz C-u
type_text jz "Toch niet in beeld bij ons"
keys pm Enter
wait_for pm "Casus $NUMBER · huiselijk geweld" || fail "Enter did not open the round's case: $(screen pm)"
keys pm Z
wait_for pm "De inforonde over $NUMBER sluiten? (j/n)" || fail "Z did not ask: $(screen pm)"
type_text pm j
wait_for pm "Inforonde gesloten" || fail "round not closed: $(screen pm)"
keys jz Enter
wait_for jz "Ronde intussen gesloten, niet verzonden: Toch niet in beeld bij ons" ||
	fail "closed meanwhile: not said, or the note lost: $(screen jz)"
keys jz Escape
wait_for jz "Niet verzonden: de inforonde is gesloten." || fail "Esc on the kept note: $(screen jz)"
wait_for pm "Inforonde gesloten · antwoord uiterlijk $TUE" || fail "case view does not show it closed: $(screen pm)"
wait_for beamer "Inforonde gesloten · antwoord uiterlijk $TUE" || fail "beamer: not closed live: $(screen beamer)"
is_red_line beamer "Woonstichting De Eemhof: nog geen antwoord" && fail "beamer: a closed round's gap still red"

ok
