#!/bin/bash
# A CONFLICT on an action point with a long description, in an 80x24 window: the message above the status line gives
# the other's short fields first (state, due date, owner), so the date the other person set is read however long the
# text, and what does not fit ends in "…", never cut silently.
. "$(dirname "$0")/lib.sh"

start_server
gemeente=$(sql -At -c "SELECT org_id FROM users WHERE login = 'voorzitter'")
case_id=$(sql -At -c "SELECT min(case_id) FROM case_involved_orgs WHERE org_id = $gemeente")
[ -n "$case_id" ] || fail "no case of the municipality"
desc="Lang e2e$$: $(printf 'de woonsituatie, de schulden en de schoolgang in kaart brengen en terugkoppelen; %.0s' 1 2 3 4 5 6 7 8)"
created=$(date -d '+3 days' +%F)
mine=$(date -d '+40 days' +%F)
theirs=$(date -d '+20 days' +%F)
printf 'action %s 0 %s %s %s\nquit\n' "$case_id" "$gemeente" "$created" "$desc" | batch voorzitter |
	grep -q '"action_point"' || fail "could not create the action point"

# edit_to SESSION: the edit form of the action point, up to its due date
edit_to_date() {
	start_client "$1" voorzitter
	wait_for "$1" "Overleggen" || fail "$1: no meetings list"
	keys "$1" 3
	wait_for "$1" "Tafel · Afspraken van mijn organisatie" || fail "$1: action points not shown"
	keys "$1" /
	wait_for "$1" "Zoeken:" || fail "$1: / did not ask for a search"
	type_text "$1" "e2e$$"
	keys "$1" Enter
	wait_for "$1" "/e2e$$" || fail "$1: search not applied"
	keys "$1" e
	wait_for "$1" "Afspraak bewerken" || fail "$1: e did not open the edit form"
	keys "$1" Enter
	wait_for "$1" "Uitvoerende organisatie (naam of nummer):" || fail "$1: owner not asked"
	keys "$1" Enter
	wait_for "$1" "Uitvoerder (persoon" || fail "$1: person not asked"
	keys "$1" Enter
	wait_for "$1" "Uiterste datum (bijv. 8-12, morgen, +7): $created" || fail "$1: due date not offered"
}
edit_to_date chair
edit_to_date other
type_text other "$theirs"
keys other Enter
wait_for other "Afspraak bijgewerkt." || fail "other: edit not confirmed"

type_text chair "$mine"
keys chair Enter
wait_for chair "Iemand anders heeft dit intussen gewijzigd" || fail "no conflict message: $(screen chair)"
deadline=$((SECONDS + 20))
until screen chair | tr '\n' ' ' | grep -qE "Nu: open · $theirs · Gemeente"; do
	[ $SECONDS -lt $deadline ] || fail "the other's date is not in the message: $(screen chair)"
	sleep 0.1
done
screen chair | grep -q "…$" || fail "the cut message does not end in …: $(screen chair)"
ok
