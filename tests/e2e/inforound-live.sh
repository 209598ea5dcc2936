#!/bin/bash
# An info round reaches the meeting's followers live (docs/protocol.md 7.10, 8.5): a case added to the agenda while the meeting runs brings its round with it (the asked partner saw no round line on it until some later fresh snapshot), and when the item is opened with the partner present, the other organisations' answers show at once (it kept "andere antwoorden verborgen" until it subscribed again).  Each is checked against a marker change made after it (another case added to the agenda): the round must be on the screen by the time the marker is, so no test passes by waiting for a slower path.
. "$(dirname "$0")/lib.sh"

start_meeting
ctl pm add voorzitter Enschede >/dev/null || fail "pm add"
orgs=$(printf 'orgs\nquit\n' | batch politie)
org_of() {
	echo "$orgs" | pick '[x["id"] for x in m["organisation_list"]["organisations"] if x["kind"] == "'"$1"'"][0]'
}
RECL=$(org_of probation)
BJZ=$(org_of youth_care)
[ -n "$RECL" ] && [ -n "$BJZ" ] || fail "organisations: $orgs"
REC_USER=$(printf 'quit\n' | batch reclassering | pick 'm["login_ok"]["user"]["id"]')
[ -n "$REC_USER" ] || fail "reclassering's user id"

# new_case REASON: a new signal in Enschede (CASE, NUMBER)
new_case() {
	local out
	out=$(printf 'signal domestic_violence Enschede person %s\nquit\n' "$1" | batch politie)
	CASE=$(echo "$out" | pick 'm["case_record"]["id"]')
	NUMBER=$(echo "$out" | pick 'm["case_record"]["number"]')
	[ -n "$CASE" ] || fail "signal: $out"
}
# add_item CASE: the chair adds the case at the end of the agenda (ITEM: its item)
add_item() {
	local out
	out=$(printf 'add-item %s %s\nquit\n' "$MEETING" "$1" | batch voorzitter)
	ITEM=$(echo "$out" | pick '[x["id"] for x in m["agenda"]["items"] if x["case_id"] == '"$1"'][0]')
	[ -n "$ITEM" ] || fail "add-item $1: $out"
}

new_case "Ruzie in portiek"
X=$CASE XN=$NUMBER
printf 'add-person %s suspect 1980-01-02 Jan de Vries\nquit\n' "$X" | batch politie |
	grep -q '"person"' || fail "add-person"
REPLY=$(TZ=Europe/Amsterdam date -d '+2 days' +%F)
out=$(printf 'info-round %s %s %s %s\nquit\n' "$X" "$REPLY" "$RECL" "$BJZ" | batch voorzitter)
ROUND=$(echo "$out" | pick 'm["info_round"]["id"]')
[ -n "$ROUND" ] || fail "info-round: $out"
printf 'answer-info %s known In beeld sinds 2024\nquit\n' "$ROUND" | batch jeugdzorg |
	grep -q '"info_round"' || fail "jeugdzorg's answer"
new_case "Tweede melding"
Y=$CASE YN=$NUMBER
new_case "Derde melding"
Z=$CASE ZN=$NUMBER

# The meeting opened and the partner recorded present before it follows it:
# an attendance change makes every follower take a fresh snapshot (which
# has the rounds), so none may come while the test runs.
ver=$(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter |
	pick 'm["subscribed"]["snapshot"]["meeting"]["version"]')
printf 'open %s %s\nattend %s %s present room\nquit\n' "$MEETING" "$ver" "$MEETING" "$REC_USER" |
	batch voorzitter | grep -q '"body":"attendance"' || fail "open, attend"
start_client rec reclassering --meeting "$MEETING"
wait_re rec "^ +# +Casus" || fail "partner: meeting not shown"
wait_for rec "2 aanwezig" || fail "partner: attendance not shown: $(screen rec)"

# --- 1. the case comes on the agenda while the partner follows -------------
add_item "$X"
XITEM=$ITEM
wait_re rec "^ +4  $XN " || fail "partner: case $XN not on the agenda: $(screen rec)"
keys rec Down Down Down Down Down
wait_for rec "Casus $XN ·" || fail "partner: Down did not select $XN: $(screen rec)"
# the marker: a later change, shown after the round's if it came with the case
add_item "$Y"
wait_re rec "^ +5  $YN " || fail "partner: marker case $YN not on the agenda: $(screen rec)"
s=$(screen rec)
echo "$s" | grep -qF "Inforonde open · antwoord uiterlijk $REPLY · andere antwoorden verborgen" ||
	fail "partner: the round of the added case is not shown (by the next change): $s"
echo "$s" | grep -qF "Reclassering Nederland, regio Oost: nog geen antwoord" ||
	fail "partner: its own question is not shown: $s"
echo "$s" | grep -qF "Om op te zoeken (inforonde): Jan de Vries 1980-01-02" ||
	fail "partner: the asked partner's persons to search for are not shown: $s"
echo "$s" | grep -qF "Jeugdzorg" && fail "partner: another organisation's answer shown before the item opened: $s"

# --- 2. the item is opened with the partner present ------------------------
keys rec f
wait_for rec "volgt voorzitter" || fail "partner: f did not follow: $(screen rec)"
printf 'current %s %s\nquit\n' "$MEETING" "$XITEM" | batch voorzitter |
	grep -q '"meeting"' || fail "current"
wait_re rec "^▶ +4  $XN " || fail "partner: item 4 not current: $(screen rec)"
add_item "$Z"
wait_re rec "^ +6  $ZN " || fail "partner: marker case $ZN not on the agenda: $(screen rec)"
s=$(screen rec)
echo "$s" | grep -qF "Inforonde open · antwoord uiterlijk $REPLY · 1 van 2 beantwoord" ||
	fail "partner: the other answers are not shown once the item opened (by the next change): $s"
echo "$s" | grep -qF "Bureau Jeugdzorg Eemland-Twente: bekend" ||
	fail "partner: jeugdzorg's answer not shown: $s"
echo "$s" | grep -qF "andere antwoorden verborgen" && fail "partner: answers still hidden: $s"
ok
