#!/bin/bash
# An info round's organisation picker marks those outside the covenant ("geen convenant": not signed, such as the GP; "alleen toehoorders": only observers, such as the court), and choosing one says what it will and will not see in the round (the case number only: no names, dates of birth or other organisations' notes; observers cannot answer) and asks "toch vragen? (j/n)": n leaves it out and offers the picker again, j asks it; a partner under the covenant is asked without a question. The GP reads its own answer's note back.
. "$(dirname "$0")/lib.sh"

start_server
ctl pm add reclassering Buitendorp domestic_violence >/dev/null || fail "pm add"
out=$(printf 'signal domestic_violence Buitendorp person Melding na ruzie\nquit\n' | batch politie)
CASE=$(echo "$out" | pick 'm["case_record"]["id"]')
NUMBER=$(echo "$out" | pick 'm["case_record"]["number"]')
[ -n "$CASE" ] || fail "signal: $out"
printf 'add-person %s suspect 1980-01-02 Jan de Vries\nquit\n' "$CASE" | batch politie |
	grep -q '"person"' || fail "add-person"

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
wait_for pm "Inforonde: eerste organisatie om te vragen" || fail "I did not open the picker: $(screen pm)"
# the picker marks who is outside the covenant, and only them
wait_re pm "^ Huisartsenpraktijk De Linde +geen convenant$" || fail "the GP is not marked: $(screen pm)"
wait_re pm "^ Rechtbank Oost-Nederland \(toehoorder\) +alleen toehoorders$" ||
	fail "the court (observers only) is not marked: $(screen pm)"
wait_re pm "^ Bureau Jeugdzorg Eemland-Twente$" || fail "a covenant partner is marked: $(screen pm)"

# pick_org TEXT: searches the picker and chooses the first match
pick_org() {
	keys pm /
	wait_for pm "Zoeken:" || fail "/ in the picker: $(screen pm)"
	type_text pm "$1"
	keys pm Enter
	wait_gone pm "Zoeken:" || fail "search prompt stays"
	keys pm Enter
}

# the GP: what it will not see, and a question; n leaves it out
pick_org "Linde"
wait_for pm "Huisartsenpraktijk De Linde toch vragen? (j/n)" || fail "GP: no question: $(screen pm)"
wait_joined pm "Huisartsenpraktijk De Linde heeft het convenant niet ondertekend: in de inforonde ziet zij alleen het casusnummer, geen namen, geboortedata of toelichtingen van anderen" ||
	fail "GP: no warning of what it sees: $(screen pm)"
keys pm n
wait_for pm "Huisartsenpraktijk De Linde niet gevraagd." || fail "GP: n not confirmed: $(screen pm)"
wait_for pm "Inforonde: eerste organisatie om te vragen" || fail "GP: the picker is not offered again: $(screen pm)"

# the court has observers only: they cannot answer
pick_org "Rechtbank"
wait_for pm "Rechtbank Oost-Nederland (toehoorder) toch vragen? (j/n)" || fail "court: no question: $(screen pm)"
wait_joined pm "heeft alleen toehoorders: die zien in de inforonde alleen het casusnummer, geen namen, geboortedata of toelichtingen, en kunnen niet antwoorden." ||
	fail "court: no warning: $(screen pm)"
keys pm Escape
wait_for pm "Inforonde: eerste organisatie om te vragen" || fail "court: Esc did not go back to the picker: $(screen pm)"

# a covenant partner: no question
pick_org "Jeugdzorg"
wait_for pm "Inforonde, 1 gekozen (laatst Bureau Jeugdzorg Eemland-Twente)" ||
	fail "a covenant partner was not taken at once: $(screen pm)"
screen pm | grep -q "toch vragen" && fail "a covenant partner was asked about: $(screen pm)"
# the GP after all: j
pick_org "Linde"
wait_for pm "Huisartsenpraktijk De Linde toch vragen? (j/n)" || fail "GP again: no question: $(screen pm)"
keys pm j
wait_for pm "Inforonde, 2 gekozen (laatst Huisartsenpraktijk De Linde)" || fail "GP: j did not take it: $(screen pm)"
keys pm Escape
wait_for pm "antwoord uiterlijk" || fail "no reply-by prompt: $(screen pm)"
type_text pm "+2"
keys pm Enter
wait_for pm "Inforonde gestart: 2 organisaties gevraagd." || fail "round not started: $(screen pm)"
# a step on while the round is open says so, with how far it is
keys pm m
wait_for pm "verplaatsen naar: screening" || fail "m did not offer screening: $(screen pm | tail -n 3)"
keys pm Enter
wait_joined pm "fase screening. De inforonde loopt nog (0 van 2 beantwoord)." ||
	fail "the open round not said on moving on: $(screen pm | tail -n 3)"

# the server agrees: the GP is asked (its own entry) and gets no names
r=$(printf 'info-rounds 0 open\nquit\n' | batch huisarts |
	pick '"%s %s %s" % (m["info_round_list"]["rounds"][0]["case_number"], len(m["info_round_list"]["rounds"][0]["asked"]), len(m["info_round_list"]["rounds"][0].get("persons", [])))')
[ "$r" = "$NUMBER 1 0" ] || fail "the GP's view of the round: '$r', want '$NUMBER 1 0'"
# in its client, a first answer says first that the GP answers without seeing
# whom the round is about; n leaves it unanswered
start_client gp huisarts
keys gp 8
wait_for gp "Tafel · Inforondes" || fail "gp: 8 did not open the info rounds"
# the list comes after the header: read the row once it is there
wait_re gp "^[●! ] $NUMBER " || fail "gp: round $NUMBER not listed: $(screen gp)"
row=$(screen gp | grep -nE "^[●! ] $NUMBER " | head -n 1 | cut -d: -f1)
[ -n "$row" ] || fail "gp: round $NUMBER not listed: $(screen gp)"
for _ in 1 2 3 4 5; do keys gp k; done
for _ in $(seq 4 "$row"); do keys gp j; done
wait_for gp "Personen niet getoond: uw organisatie valt buiten het convenant" ||
	fail "gp: the round does not say why no persons are shown: $(screen gp)"
keys gp b
wait_for gp "Zonder namen (buiten het convenant): toch 'bekend' antwoorden? (j/n)" ||
	fail "gp: b did not say it answers blind: $(screen gp | tail -n 3)"
keys gp n
wait_for gp "Niet beantwoord." || fail "gp: n did not leave it: $(screen gp | tail -n 3)"
keys gp b
wait_for gp "toch 'bekend' antwoorden? (j/n)" || fail "gp: b again"
keys gp j
wait_for gp "$NUMBER: bekend. Korte toelichting" || fail "gp: j did not go on to the note: $(screen gp | tail -n 3)"
keys gp Escape
# the GP answers with a note and reads its own note back (through the
# server's filter for organisations outside the covenant), so that its client
# offers it to keep or clear
rid=$(printf 'info-rounds 0 open\nquit\n' | batch huisarts | pick 'm["info_round_list"]["rounds"][0]["id"]')
printf 'answer-info %s not_known Zonder namen niet na te gaan\nquit\n' "$rid" | batch huisarts |
	grep -q '"info_round"' || fail "the GP could not answer"
note=$(printf 'info-rounds 0 open\nquit\n' | batch huisarts |
	pick 'm["info_round_list"]["rounds"][0]["asked"][0].get("note", "")')
[ "$note" = "Zonder namen niet na te gaan" ] || fail "the GP does not read its own note back: '$note'"
ok
