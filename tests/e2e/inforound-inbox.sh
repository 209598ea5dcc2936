#!/bin/bash
# An organisation asked in an info round finds it in its inbox (6): a client that is open hears of it at once ("Inforonde: u bent gevraagd om informatie over casus ... (postvak, 8)"), the line says "inforonde: gevraagd" with the process manager as sender, the pane under the list names the case and the reply-by date and points to 8, and Enter confirms a notice read (not "feedback"); the GP, outside the covenant, gets the same notice and no names, and 8 says why it sees no persons; the process manager sees it as sent; 8 then shows the round to answer, and answering it there marks the notice read (the process manager sees the receipt at once).
. "$(dirname "$0")/lib.sh"

# wait_joined SESSION TEXT: TEXT on the screen, also when it wraps
wait_joined() {
	local deadline=$((SECONDS + 20))
	while [ $SECONDS -lt $deadline ]; do
		screen "$1" | sed -E 's/[[:space:]]+$//' | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

start_server
ctl pm add reclassering Vraagdorp domestic_violence >/dev/null || fail "pm add"
orgs=$(printf 'orgs\nquit\n' | batch politie)
bjz=$(echo "$orgs" | pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["kind"] == "youth_care"][0]')
ha=$(echo "$orgs" | pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["name"].startswith("Huisarts")][0]')
[ -n "$bjz" ] && [ -n "$ha" ] || fail "organisations: $orgs"
out=$(printf 'signal domestic_violence Vraagdorp person Melding na ruzie\nquit\n' | batch politie)
CASE=$(echo "$out" | pick 'm["case_record"]["id"]')
NUMBER=$(echo "$out" | pick 'm["case_record"]["number"]')
[ -n "$CASE" ] || fail "signal: $out"
printf 'add-person %s suspect 1980-01-02 Jan de Vries\nquit\n' "$CASE" | batch politie |
	grep -q '"person"' || fail "add-person"

start_client bjz jeugdzorg
start_client ha huisarts
wait_for bjz "verbonden" || fail "jeugdzorg not connected: $(screen bjz)"
wait_for ha "verbonden" || fail "huisarts not connected: $(screen ha)"

reply=$(TZ=Europe/Amsterdam date -d '+2 days' +%F)
printf 'info-round %s %s %s %s\nquit\n' "$CASE" "$reply" "$bjz" "$ha" | batch reclassering |
	grep -q '"info_round"' || fail "the process manager could not start the round"

# heard at once, with the count
wait_for bjz "Inforonde: u bent gevraagd om informatie over casus $NUMBER (postvak, 8)." ||
	fail "jeugdzorg: no notice: $(screen bjz)"
keys bjz r
wait_for bjz "postvak: 1 ongelezen" || fail "jeugdzorg: unread count: $(screen bjz)"
keys bjz 6
wait_re bjz "^● $NUMBER +inforonde: gevraagd +Fatima El Amrani \(Rec" ||
	fail "jeugdzorg: the inbox line: $(screen bjz)"
wait_joined bjz "Inforonde: uw organisatie is gevraagd om informatie over casus $NUMBER; antwoord uiterlijk $reply. 8 toont de ronde (b bekend, n niet bekend)." ||
	fail "jeugdzorg: the pane: $(screen bjz)"
screen bjz | grep -q "Jan de Vries" && fail "jeugdzorg: a name in the inbox: $(screen bjz)"
keys bjz Enter
wait_re bjz "^  $NUMBER +inforonde: gevraagd" || fail "jeugdzorg: Enter did not mark it read: $(screen bjz)"
# a notice, not feedback on a case jeugdzorg submitted: said so
wait_for bjz "Melding over casus $NUMBER als gelezen gemarkeerd." ||
	fail "jeugdzorg: read notice not confirmed as a notice: $(screen bjz | tail -n 3)"
# 8 shows the round, with what to look up while it is open
keys bjz 8
wait_re bjz "^● $NUMBER +$reply" || fail "jeugdzorg: 8 does not show the round: $(screen bjz)"
wait_for bjz "Om op te zoeken (inforonde): Jan de Vries 1980-01-02" || fail "jeugdzorg: nothing to look up: $(screen bjz)"

# the GP, outside the covenant: the notice, no names (neither in 8)
wait_for ha "Inforonde: u bent gevraagd om informatie over casus $NUMBER (postvak, 8)." ||
	fail "huisarts: no notice: $(screen ha)"
keys ha 6
wait_re ha "^● $NUMBER +inforonde: gevraagd +Fatima El Amrani" || fail "huisarts: the inbox line: $(screen ha)"
keys ha 8
wait_re ha "^● $NUMBER " || fail "huisarts: 8 does not show the round: $(screen ha)"
# ... and says why under the round (every hidden thing says why); no name
# there (checked once the round's pane is drawn, not after a fixed pause)
wait_joined ha "Personen niet getoond: uw organisatie valt buiten het convenant; u ziet alleen het casusnummer." ||
	fail "huisarts: no persons and no reason why: $(screen ha)"
screen ha | grep -q "Jan de Vries" && fail "huisarts: a name shown: $(screen ha)"
screen bjz | grep -q "Personen niet getoond" && fail "jeugdzorg: told persons are hidden: $(screen bjz)"

# the process manager sees the notices as sent; the one read with its reader
start_client pm reclassering
wait_for pm "verbonden" || fail "reclassering not connected: $(screen pm)"
keys pm 6
wait_re pm "^✓ $NUMBER +inforonde: gevraagd +aan Bureau Jeugdzorg" || fail "pm: read notice: $(screen pm)"
wait_re pm "^→ $NUMBER +inforonde: gevraagd +aan Huisartsenpraktij" || fail "pm: unread notice: $(screen pm)"
wait_joined pm "Inforonde: gevraagd om informatie over casus $NUMBER; antwoord uiterlijk $reply. Door u verstuurd aan Huisartsenpraktijk De Linde" ||
	fail "pm: the pane of a sent notice: $(screen pm)"
# answering the round reads its notice: the GP answers under 8, its inbox
# line is no longer unread, and the process manager sees the receipt at once
row=$(screen ha | grep -nE "^[●! ] $NUMBER " | head -n 1 | cut -d: -f1)
[ -n "$row" ] || fail "huisarts: round $NUMBER not listed: $(screen ha)"
for _ in 1 2 3 4 5; do keys ha k; done
for _ in $(seq 4 "$row"); do keys ha j; done
keys ha n
wait_for ha "toch 'niet bekend' antwoorden? (j/n)" || fail "huisarts: n did not ask first: $(screen ha | tail -n 3)"
keys ha j
wait_for ha "$NUMBER: niet bekend. Korte toelichting (mag leeg):" || fail "huisarts: n did not ask a note: $(screen ha | tail -n 3)"
keys ha Enter
wait_for ha "Beantwoord: niet bekend." || fail "huisarts: not answered: $(screen ha | tail -n 3)"
keys ha 6
wait_re ha "^  $NUMBER +inforonde: gevraagd" || fail "huisarts: the answered round's notice is still unread: $(screen ha)"
wait_re pm "^✓ $NUMBER +inforonde: gevraagd +aan Huisartsenpraktij" || fail "pm: no receipt of the answered notice: $(screen pm)"
ok
