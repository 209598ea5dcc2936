#!/bin/bash
# Changing an info round's answer (8, b / n) keeps the note: once answered, b or n offers the note sent as the prompt's text (Enter keeps it), and turning "bekend" into "niet bekend" (or back) is asked first (j/n), so one stray key never changes a recorded answer.
. "$(dirname "$0")/lib.sh"

start_server
ctl pm add reclassering Wijzigdorp domestic_violence >/dev/null || fail "pm add"
orgs=$(printf 'orgs\nquit\n' | batch politie)
bjz=$(echo "$orgs" | pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["kind"] == "youth_care"][0]')
[ -n "$bjz" ] || fail "organisations: $orgs"
out=$(printf 'signal domestic_violence Wijzigdorp person Melding na ruzie\nquit\n' | batch politie)
CASE=$(echo "$out" | pick 'm["case_record"]["id"]')
NUMBER=$(echo "$out" | pick 'm["case_record"]["number"]')
[ -n "$CASE" ] || fail "signal: $out"
reply=$(TZ=Europe/Amsterdam date -d '+2 days' +%F)
printf 'info-round %s %s %s\nquit\n' "$CASE" "$reply" "$bjz" | batch reclassering |
	grep -q '"info_round"' || fail "the process manager could not start the round"

start_client jz jeugdzorg
keys jz 8
wait_re jz "^● $NUMBER +$reply" || fail "round not listed: $(screen jz)"
# the first answer: an empty note to type
keys jz b
wait_for jz "$NUMBER: bekend. Korte toelichting (mag leeg):" || fail "b did not ask a note: $(screen jz)"
type_text jz "In beeld sinds 2024"
keys jz Enter
wait_for jz "Beantwoord: bekend." || fail "first answer: $(screen jz)"
wait_for jz "Bureau Jeugdzorg Eemland-Twente: bekend — In beeld sinds 2024" ||
	fail "first answer not shown: $(screen jz)"

# b again: the note sent is offered, and Enter keeps it
keys jz b
wait_for jz "$NUMBER: bekend. Toelichting (Enter behoudt deze): In beeld sinds 2024" ||
	fail "b on an answered round does not offer the note: $(screen jz | tail -n 2)"
keys jz Enter
wait_for jz "Beantwoord: bekend." || fail "b, Enter: $(screen jz)"
wait_for jz "Bureau Jeugdzorg Eemland-Twente: bekend — In beeld sinds 2024" ||
	fail "b, Enter lost the note: $(screen jz)"

# a stray n does not change the answer: it is asked, and n keeps it
keys jz n
wait_for jz "Antwoord over $NUMBER wijzigen van bekend in niet bekend? (j/n)" ||
	fail "n on a known answer was not asked: $(screen jz | tail -n 2)"
keys jz n
wait_for jz "Antwoord niet gewijzigd." || fail "n on the question: $(screen jz | tail -n 2)"
sleep 0.5
screen jz | grep -qF "Eemland-Twente: niet bekend" && fail "a stray n changed the answer: $(screen jz)"
r=$(printf 'info-rounds 0 open\nquit\n' | batch jeugdzorg |
	pick '"%s|%s" % (m["info_round_list"]["rounds"][0]["asked"][0]["answer"], m["info_round_list"]["rounds"][0]["asked"][0]["note"])')
[ "$r" = "known|In beeld sinds 2024" ] || fail "the server's answer after a stray n: '$r'"

# changed on purpose: j, then the note offered again
keys jz n
wait_for jz "Antwoord over $NUMBER wijzigen van bekend in niet bekend? (j/n)" || fail "n again: $(screen jz)"
keys jz j
wait_for jz "$NUMBER: niet bekend. Toelichting (Enter behoudt deze): In beeld sinds 2024" ||
	fail "j did not offer the note: $(screen jz | tail -n 2)"
keys jz Enter
wait_for jz "Beantwoord: niet bekend." || fail "changed answer: $(screen jz)"
wait_for jz "Bureau Jeugdzorg Eemland-Twente: niet bekend — In beeld sinds 2024" ||
	fail "changed answer lost its note: $(screen jz)"
ok
