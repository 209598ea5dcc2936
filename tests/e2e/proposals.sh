#!/bin/bash
# The chair's agenda proposals in the client (issue 11, docs/protocol.md 7.11): v in a planned meeting lists the proposed cases with why (a red one marked !); a accepts one (add_agenda_item: it is on the agenda), x declines another with a reason (shown, dimmed, last); U refuses an empty agenda and publishes a filled one after a question (published_at set) and a member organisation's client says which agenda came out.  Monday is set with TAFEL_TEST_TODAY.
. "$(dirname "$0")/lib.sh"

# Monday: a series with its members, Thursday's meeting planned
prep_meetings

# Monday: two signals; the first with a restraining order
signal() {
	printf 'signal domestic_violence Prepdorp person %s\nquit\n' "$1" | batch politie |
		python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("body") == "case_record":
        print(m["case_record"]["id"], m["case_record"]["number"]); break'
}
set -- $(signal "Huisverbod opgelegd na melding")
CASE=${1:-} NUMBER=${2:-}
set -- $(signal "Zorgen van de buren")
CASE2=${1:-} NUMBER2=${2:-}
set -- $(signal "Derde melding, nog niet besproken")
CASE3=${1:-} NUMBER3=${2:-}
[ -n "$CASE" ] && [ -n "$CASE2" ] && [ -n "$CASE3" ] || fail "signals"
printf 'clock %s huisverbod %s hearing=%s\nquit\n' "$CASE" "$MON" "$WED" | batch politie |
	grep -q '"case_record"' || fail "clock"

start_client chair voorzitter --meeting "$MEETING"
start_client pol politie
wait_re chair "^ +# +Casus" || fail "meeting not shown: $(screen chair)"
# an empty agenda is not published (publishing is once: the cases put on it
# afterwards would never be)
keys chair U
wait_for chair "De agenda is leeg: zet er eerst casussen op" ||
	fail "U on an empty agenda: $(screen chair | tail -n 3)"
screen chair | grep -q "publiceren naar alle deelnemers" && fail "U asked to publish an empty agenda"
keys chair v
wait_for chair "Tafel · Voorstellen" || fail "v did not open the proposals: $(screen chair)"
wait_re chair "^! $NUMBER .*wettelijke termijn loopt af" || fail "red proposal with its reason not shown: $(screen chair)"
wait_re chair "^  $NUMBER2 .*nieuw signaal" || fail "second proposal not shown: $(screen chair)"

# select LINE-REGEX: moves the selection to the first line matching
select_line() {
	local idx
	idx=$(screen chair | grep -E '^[! ] 20[0-9]{2}-' | grep -nE "$1" | head -n 1 | cut -d: -f1)
	[ -n "$idx" ] || fail "no line $1"
	for _ in $(seq 1 10); do keys chair k; done
	for _ in $(seq 2 "$idx"); do keys chair j; done
}
select_line "^! $NUMBER "
keys chair a
wait_for chair "Casus $NUMBER staat op de agenda." || fail "accept: $(screen chair)"
# the accepted case leaves the list when the push's change arrives, which may
# follow the message: select the next one only then, or the index is stale
wait_gone chair "! $NUMBER " || fail "accepted case still proposed: $(screen chair)"
select_line "^  $NUMBER2 "
keys chair x
wait_for chair "Voorstel van casus $NUMBER2 afwijzen, reden:" || fail "x did not ask a reason: $(screen chair)"
# an empty reason is refused at once, saying why one is needed
keys chair Enter
wait_for chair "Een reden is verplicht: die blijft bewaard voor wie over de agenda beslist." ||
	fail "an empty reason: no clear message: $(screen chair | tail -n 3)"
type_text chair "Eerst de inforonde afwachten"
keys chair Enter
wait_for chair "Voorstel van casus $NUMBER2 afgewezen." || fail "decline: $(screen chair)"
wait_re chair "^  $NUMBER2 .*afgewezen: Eerst de inforonde afwachten" || fail "declined reason not shown: $(screen chair)"
printf 'proposals 0 meeting=%s\nquit\n' "$MEETING" | batch voorzitter | grep -q '"declined"\|PROPOSAL_DECLINED\|"state":"declined"' ||
	fail "server does not have the proposal declined"

# back to the agenda: the accepted case is on it; U publishes
keys chair q
wait_re chair "^ +# +Casus" || fail "q did not go back to the meeting"
wait_re chair "^ +[0-9]+  $NUMBER " || fail "accepted case not on the agenda: $(screen chair)"
keys chair U
wait_for chair "publiceren naar alle deelnemers? (j/n)" || fail "U did not ask: $(screen chair)"
keys chair j
wait_for chair "Agenda gepubliceerd" || fail "U did not publish: $(screen chair)"
# a member organisation is told which agenda came out (not "feedback on case ''")
wait_for pol "Agenda van Prep tafel $THU 13:30 gepubliceerd (postvak)." ||
	fail "partner not told of the publication: $(screen pol)"
screen pol | grep -q "op casus  (" && fail "partner told of feedback on no case: $(screen pol)"
meeting_published "$MEETING" || fail "meeting not published on the server"

# the nominating organisation sees the outcome of its nominations in 5 (a
# third case: the accepted one is on the next agenda already, and a case
# there cannot be nominated for it):
# a decline arrives live with the reason and who decided, an acceptance
# names the meeting; both stay listed, apart from the pending ones
nom=$(printf 'nominate %s %s Escalatie na nieuwe melding\nnominate %s %s Graag bespreken\nquit\n' \
	"$SERIES" "$CASE2" "$SERIES" "$CASE3" | batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("body") == "nomination":
        print(m["nomination"]["id"], m["nomination"]["version"])')
set -- $nom
[ -n "${4:-}" ] || fail "nominate: $nom"
N1=$1 V1=$2 N2=$3 V2=$4
keys pol 5
wait_for pol "Tafel · Voordrachten" || fail "5 did not open the nominations: $(screen pol)"
wait_re pol "^ $NUMBER2 .*Escalatie na" || fail "pending nomination not shown: $(screen pol)"
printf 'decline-nomination %s %s Staat al op de agenda van 9 december\nquit\n' "$N1" "$V1" |
	batch voorzitter | grep -q '"nomination"' || fail "chair could not decline"
wait_re pol "^ $NUMBER2 .*afgewezen: Staat al" ||
	fail "decline not shown live to the nominating organisation: $(screen pol)"
printf 'accept-nomination %s %s %s\nquit\n' "$N2" "$V2" "$MEETING" |
	batch voorzitter | grep -q '"nomination"' || fail "chair could not accept"
wait_re pol "^ $NUMBER3 .*aangenomen: $THU" ||
	fail "acceptance not shown with its meeting: $(screen pol)"
# the accepted case stays on the partner's case list: the acceptance's event
# carries the decided nomination (gone from the pending ones) and the case
keys pol 4
wait_for pol "Tafel · Casussen" || fail "4 did not open the case list: $(screen pol)"
wait_re pol "^ $NUMBER3 " || fail "the accepted case left the case list: $(screen pol)"
keys pol 5
wait_for pol "Tafel · Voordrachten" || fail "5 did not reopen the nominations: $(screen pol)"
# pol_select LINE-REGEX: moves pol's selection to the first nomination line
# matching (the demo's pending nomination of the police, case 0001 for the
# SSO, is listed first, above the decided ones)
pol_select() {
	local idx
	idx=$(screen pol | grep -E '^ 20[0-9]{2}-' | grep -nE "$1" | head -n 1 | cut -d: -f1)
	[ -n "$idx" ] || fail "pol: no line $1: $(screen pol)"
	keys pol g
	for _ in $(seq 2 "$idx"); do keys pol j; done
}
wait_re pol "^ 20[0-9]{2}-0001 +SSO Enschede" || fail "the demo's pending nomination not listed: $(screen pol)"
# the pane shows the selected line
pol_select "^ $NUMBER3 "
wait_for pol "aangenomen: $THU 13:30 (Prep tafel)" || fail "pane: no outcome: $(screen pol)"
# after a restart too (list_nominations with the decided ones), newest
# decision first, with who decided in the pane
tm kill-session -t pol
start_client pol politie
keys pol 5
wait_re pol "^ $NUMBER3 .*aangenomen: $THU" || fail "decided not listed on opening 5: $(screen pol)"
wait_re pol "^ $NUMBER2 .*afgewezen: Staat al" || fail "declined not listed on opening 5: $(screen pol)"
# pending first, then the newest decision: the demo's, the accepted, the declined
screen pol | grep -E '^ 20[0-9]{2}-' | sed -n 1,3p | tr '\n' '|' |
	grep -qE "^ 20[0-9]{2}-0001 .*\| $NUMBER3 .*aangenomen.*\| $NUMBER2 .*afgewezen" ||
	fail "nominations not in order (pending, then the newest decision first): $(screen pol)"
pol_select "^ $NUMBER2 "
wait_for pol "afgewezen: Staat al op de agenda van 9 december" || fail "pane: no reason: $(screen pol)"
wait_re pol "^  Besloten door [A-Z][a-z]+ .*, [0-9]{4}-" || fail "who decided not shown: $(screen pol)"
# deciding is the chair's: not offered to the partner, refused at once
screen pol | tail -n 1 | grep -qE "a aannemen|x afwijzen" && fail "partner offered a/x: $(screen pol)"
keys pol a
wait_re pol "^a: alleen (de|een) voorzitter" || fail "partner's a not refused at once: $(screen pol)"
ok
