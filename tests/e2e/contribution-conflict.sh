#!/bin/bash
# Two colleagues edit their organisation's contribution (b) at once: the second save gets the conflict, is shown what
# the other wrote ("Nu: feiten «…» · oordeel «…»") and keeps the typed text; Enter then saves it over the other's once,
# instead of conflicting again at every Enter (there is no current record in a contribution's CONFLICT: the client
# reads the case again for its version).
. "$(dirname "$0")/lib.sh"

start_server
nr=2026-0001
case_id=$(sql -At -c "SELECT id FROM cases WHERE number = '$nr'")
printf 'contribute %s Aangifte opgenomen | Zorgelijk\nquit\n' "$case_id" | batch politie |
	grep -q '"contribution"' || fail "no first contribution"
for who in politie wijkagent; do
	start_client "$who" "$who"
	wait_for "$who" "Overleggen" || fail "$who: no meetings list"
	open_case "$who" "$nr"
	keys "$who" b
	wait_for "$who" "Wat uw organisatie weet van casus $nr (feiten): Aangifte opgenomen" ||
		fail "$who: b did not offer the facts: $(screen "$who")"
done
# the officer saves first
type_text wijkagent " en buurtonderzoek gedaan"
keys wijkagent Enter
wait_for wijkagent "Uw oordeel over casus $nr: Zorgelijk" || fail "wijkagent: no judgement prompt"
keys wijkagent Enter
wait_for wijkagent "Inbreng van uw organisatie bij casus $nr vastgelegd." || fail "wijkagent: not recorded"
# then her colleague: the conflict shows the other's text, and her own stays
type_text politie " (PV opgemaakt)"
keys politie Enter
wait_for politie "Uw oordeel over casus $nr: Zorgelijk" || fail "politie: no judgement prompt"
keys politie Enter
deadline=$((SECONDS + 20))
until screen politie | tr '\n' ' ' | grep -qF "Nu: feiten «Aangifte opgenomen en buurtonderzoek gedaan»"; do
	[ $SECONDS -lt $deadline ] || fail "politie: the other's text not shown: $(screen politie)"
	sleep 0.1
done
wait_for politie "Uw oordeel over casus $nr: Zorgelijk" || fail "politie: the form did not stay: $(screen politie)"
keys politie Enter
wait_for politie "Inbreng van uw organisatie bij casus $nr vastgelegd." ||
	fail "politie: the second Enter did not save: $(screen politie)"
facts=$(sql -At -c "SELECT facts FROM contributions WHERE case_id = $case_id
	AND org_id = (SELECT org_id FROM users WHERE login = 'politie')")
[ "$facts" = "Aangifte opgenomen (PV opgemaakt)" ] || fail "stored facts: '$facts'"
ok
