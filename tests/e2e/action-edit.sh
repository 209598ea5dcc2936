#!/bin/bash
# The chair edits an action point's due date (Tab, e; a CONFLICT with an edit from "my action points" in another session shows the current record and keeps the form), then cancels another one with a note (Shift-Tab, x; an empty reason is refused in the client and nothing is sent); a partner's batch view shows the new date and the cancelled state.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for pol "volgt voorzitter" || fail "follower: not following"
chair_start chair
num=$(current_line chair | awk '{print $3}')
wait_for pol "Casus $num" || fail "follower: not on case $num"

action_points() { current_actions "$1"; }
# index ID: where action point ID is in the case's list (0 = first)
index() {
	action_points politie | awk -v id="$1" '$1 == id { print NR - 1 }'
}

# An action point of the chair's own organisation: the covenant hides the
# other organisations' descriptions from the municipality.
set -- $(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "subscribed":
        s = m["subscribed"]["snapshot"]
        case = [it["case_id"] for it in s["agenda"] if it["id"] == s["meeting"]["current_item_id"]][0]
        print(case, [o["id"] for o in s["organisations"] if o["name"].startswith("Gemeente")][0])')
case_id=${1:-} gemeente=${2:-}
[ -n "$gemeente" ] || fail "no municipality in the meeting"
desc="Woonsituatie in kaart brengen e2e$$"
created=$(date -d '+3 days' +%F)
mine=$(date -d '+40 days' +%F)		# the chair's new date: last in the list
theirs=$(date -d '+20 days' +%F)	# the other session's date meanwhile
later=$(date -d '+50 days' +%F)		# and its second one
ours=$(printf 'action %s %s %s %s %s\nquit\n' "$case_id" "$MEETING" "$gemeente" \
	"$created" "$desc" | batch voorzitter | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "action_point":
        print(m["action_point"]["id"])')
[ -n "$ours" ] || fail "could not create an action point"
wait_for chair "$desc" || fail "chair: new action point not shown"

# the first action point of the case is chosen; Tab moves to ours
i=$(index "$ours")
[ -n "$i" ] || fail "action point $ours not in the case"
for _ in $(seq "$i"); do keys chair Tab; done
keys chair e
wait_for chair "Afspraak bewerken · Casus $num" || fail "e did not open the edit form"
wait_for chair "Omschrijving: $desc" || fail "description not prefilled (Tab chose another one?)"
keys chair Enter
wait_for chair "Uitvoerende organisatie (naam of nummer): Gemeente" ||
	fail "owner organisation not prefilled"
keys chair Enter
wait_for chair "Uitvoerder (persoon: naam, inlognaam of nummer; leeg: de hele organisatie):" ||
	fail "owner person not asked"
keys chair Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7): $created" || fail "due date not prefilled"
keys chair C-u
type_text chair "$mine"

# meanwhile the same action point is moved from "my action points" elsewhere
start_client other voorzitter
wait_for other "Overleggen" || fail "other: no meetings list"
keys other 3
wait_for other "Tafel · Afspraken van mijn organisatie" || fail "other: action points not shown"
wait_for other "$desc" || fail "other: action point not listed"
keys other /
wait_for other "Zoeken:" || fail "other: / did not ask for a search"
type_text other "e2e$$"
keys other Enter
wait_for other "/e2e$$" || fail "other: search not applied"
keys other e
wait_for other "Afspraak bewerken · Casus $num" || fail "other: e did not open the edit form"
keys other Enter
wait_for other "Uitvoerende organisatie (naam of nummer):" || fail "other: owner not asked"
keys other Enter
wait_for other "Uitvoerder (persoon" || fail "other: person not asked"
keys other Enter
wait_for other "Uiterste datum (bijv. 8-12, morgen, +7): $created" || fail "other: due date not prefilled"
# the date offered is a default: the first character typed replaces it
type_text other "$theirs"
wait_for other "Uiterste datum (bijv. 8-12, morgen, +7): $theirs" ||
	fail "other: typing did not replace the offered date: $(screen other | tail -n 3)"
screen other | grep -qF "$created$theirs" && fail "other: typing appended to the offered date"
keys other Enter
wait_for other "Afspraak bijgewerkt." || fail "other: edit not confirmed"

# the chair's save now conflicts: the current record shows, the form stays
keys chair Enter
wait_for chair "Iemand anders heeft dit intussen gewijzigd" || fail "no conflict message"
# (a long message wraps at spaces over the lines above the status line)
deadline=$((SECONDS + 20))
# (the short fields first: the other's date is there however long the text)
until screen chair | tr '\n' ' ' | grep -qE "Nu: open · $theirs · Gemeente[^·]* · $desc \(versie 2\)"; do
	[ $SECONDS -lt $deadline ] || fail "conflict does not show the current record"
	sleep 0.1
done
wait_for chair "Afspraak bewerken · Casus $num" || fail "form closed after the conflict"
keys chair Enter
wait_for chair "Uitvoerende organisatie (naam of nummer): Gemeente" || fail "owner not kept"
keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "person not asked again"
keys chair Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7): $mine" || fail "typed due date not kept"
keys chair Enter
wait_for chair "Afspraak bijgewerkt." || fail "second try not saved"
wait_gone chair "Afspraak bewerken" || fail "form still open"
wait_for chair "$mine open" || fail "chair: new due date not shown"
wait_for pol "$mine open" || fail "follower: new due date not shown"

# a conflict on another field: the chair changes the text while the other
# session moves the date (ours stays last); after the conflict the form holds the other's
# date (a field the chair left alone) and the chair's text, and Enter
# through the fields saves both (not the old date back)
keys chair e
wait_for chair "Omschrijving: $desc" || fail "e did not open the edit form again"
keys chair C-u
type_text chair "$desc bijgewerkt"
keys other e
wait_for other "Afspraak bewerken · Casus $num" || fail "other: e did not open the form again"
keys other Enter Enter Enter
wait_for other "Uiterste datum (bijv. 8-12, morgen, +7): $mine" || fail "other: due date not prefilled again"
# End keeps the date offered to edit it: Backspace then works on it
keys other End BSpace
wait_for other "Uiterste datum (bijv. 8-12, morgen, +7): ${mine%?}" ||
	fail "other: End did not keep the offered date: $(screen other | tail -n 3)"
keys other C-u
type_text other "$later"
keys other Enter
wait_for other "Afspraak bijgewerkt." || fail "other: second edit not confirmed"
keys chair Enter
wait_for chair "Uitvoerende organisatie (naam of nummer): Gemeente" || fail "owner not asked"
keys chair Enter Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7): $mine" || fail "due date not asked"
keys chair Enter
wait_for chair "Iemand anders heeft dit intussen gewijzigd" || fail "no second conflict message"
wait_for chair "Omschrijving: $desc bijgewerkt" || fail "the chair's own text not kept after the conflict"
keys chair Enter Enter Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7): $later" ||
	fail "the form still holds the old due date after the conflict: $(screen chair | tail -n 3)"
keys chair Enter
wait_for chair "Afspraak bijgewerkt." || fail "merged edit not saved"
wait_for chair "$later open" || fail "chair: the other's due date not kept"
desc="$desc bijgewerkt"
mine=$later

# ours is now last; Shift-Tab chooses the one before it, x cancels that one
# (the chair counts as present from opening the meeting, so she sees its text)
other=$(action_points politie | awk -v id="$ours" '$1 == id { print prev } { prev = $1 }')
other_due=$(action_points politie | awk -v id="$other" '$1 == id { print $4 }')
[ -n "$other" ] || fail "no action point before ours"
keys chair BTab
keys chair x
# the prompt names the action point
wait_re chair "Afspraak '[^']+' intrekken\? Reden:" ||
	fail "x did not ask for a reason naming the action point"
# an empty reason is refused in the client: said in Dutch, asked again,
# nothing sent (the action point stays open at the same version)
before=$(action_points politie | awk -v id="$other" '$1 == id')
keys chair Enter
wait_for chair "Typ de reden van intrekken" || fail "empty reason not refused with a message"
wait_re chair "Afspraak '[^']+' intrekken\? Reden:" || fail "the reason is not asked again"
sleep 0.5
[ "$(action_points politie | awk -v id="$other" '$1 == id')" = "$before" ] ||
	fail "an empty reason was sent: $before -> $(action_points politie)"
printf '%s\n' "$before" | grep -qE "^$other [0-9]+ open " || fail "not open before: $before"
note="Dubbel met afspraak elders e2e$$"
type_text chair "$note"
keys chair Enter
# confirmed, then (the case was submitted by another organisation) where the reason went
wait_re chair "Afspraak '[^']+' ingetrokken \(vervallen\)\.|Ingetrokken; de reden naar .+ \(postvak\)\." ||
	fail "cancel not confirmed"
wait_for pol "$other_due vervallen" || fail "follower: cancelled state not shown"

# a partner's batch view
after=$(action_points politie)
printf '%s\n' "$after" | grep -qx "$ours 5 open $mine" ||
	fail "partner does not see the new due date: $after"
printf '%s\n' "$after" | grep -qE "^$other [0-9]+ cancelled $other_due\$" ||
	fail "partner does not see the cancelled state: $after"

# a finished action point cannot be edited or cancelled again
keys chair e
wait_for chair "Deze afspraak staat niet meer open." || fail "cancelled one offered for editing"

# a partner choosing another organisation's action point is told at once who
# may change it (the server would say "not found", not to confirm an id)
i=$(index "$ours")
for _ in $(seq "$i"); do keys pol Tab; done
keys pol x
wait_for pol "Alleen uitvoerder, casusregisseur of voorzitter wijzigt deze afspraak." ||
	fail "politie: x on the municipality's action point not refused at once: $(screen pol | tail -n 2)"
screen pol | grep -qF "intrekken? Reden" && fail "politie: x asked for a reason"
# once it is cancelled, the partner is still told who may change it, not that it is no longer open (which would
# suggest an open one were theirs)
ver=$(action_points politie | awk -v id="$ours" '$1 == id { print $2 }')
printf 'cancel %s %s Niet meer nodig e2e\nquit\n' "$ours" "$ver" | batch voorzitter >"$E2E_DIR.cancel" 2>&1 ||
	fail "batch cancel: $(cat "$E2E_DIR.cancel")"
action_points politie | grep -qE "^$ours [0-9]+ cancelled " || fail "ours not cancelled: $(action_points politie)"
# the partner's screen has the cancellation (else e meets an open one), and
# x's refusal, which stays until a key, is cleared (r) so that e's is new
wait_for pol "$mine vervallen" || fail "politie: the cancellation not shown: $(screen pol)"
keys pol r
wait_gone pol "Alleen uitvoerder, casusregisseur of voorzitter wijzigt deze afspraak." ||
	fail "politie: r did not clear the refusal: $(screen pol | tail -n 2)"
keys pol e
wait_for pol "Alleen uitvoerder, casusregisseur of voorzitter wijzigt deze afspraak." ||
	fail "politie: e on the municipality's cancelled action point: $(screen pol | tail -n 2)"
screen pol | grep -qF "staat niet meer open" &&
	fail "politie: e on the municipality's cancelled action point said 'no longer open': $(screen pol | tail -n 2)"
ok
