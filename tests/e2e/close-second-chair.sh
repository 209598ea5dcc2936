#!/bin/bash
# A second chair, whose organisation cannot read the cases of the items not reached yet, closing the meeting is asked about every item without a decision it can see ("3 agendapunten zonder zichtbaar besluit (2026-0002, …). Toch sluiten? (j/n)"), as the usual chair is; before, those items were left out and the question did not come.
# Another user with the chair role who does not chair this meeting is a partner in it: the partner's keys (A records
# only themselves), and n names the meeting's chair; before, the chair's keys were offered and the server refused them.
# An administrator may drive it (the server's rule, docs/admin.md): its n moves the meeting; before, refused at once.
# Handed over while open (tafelctl meeting chair), the keys move from one chair's screen to the other's.
. "$(dirname "$0")/lib.sh"

start_meeting
ctl --password-file "$E2E_DIR.pw" user add voorz2 "Bas Tweede" "Gemeente Eemland-Twente" chair,member >/dev/null ||
	fail "user add voorz2"
sql -c "UPDATE meetings SET chair_id = (SELECT id FROM users WHERE login = 'voorz2') WHERE id = $MEETING" >/dev/null ||
	fail "voorz2 not made the chair"
start_client chair voorz2 --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown: $(screen chair)"
chair_start chair
items=$(screen chair | grep -cE "^. +[0-9]+ +20[0-9]{2}-[0-9]{4}")
[ "$items" -ge 3 ] || fail "fewer than 3 items on the agenda: $(screen chair)"
c1=$(screen chair | grep -E "^. +1 +20" | grep -oE '20[0-9]{2}-[0-9]{4}' | head -n 1)

keys chair c
wait_for chair "$items agendapunten zonder zichtbaar besluit ($c1, …). Toch sluiten? (j/n)" ||
	fail "c did not ask about the $items items without a decision: $(screen chair | tail -n 3)"
keys chair n
wait_for chair "· open ·" || fail "n closed the meeting"

start_client other voorzitter --meeting "$MEETING"
wait_re other '^▶ +1 ' || fail "other chair: meeting not shown: $(screen other)"
wait_for other "A aanwezig" || fail "other chair: not the partner's footer: $(screen other | tail -n 2)"
screen other | grep -qF "n volgende" && fail "other chair offered n: $(screen other | tail -n 1)"
keys other n
wait_for other "n: alleen de voorzitter van dit overleg, Bas Tweede, kan dit." ||
	fail "other chair's n did not name the meeting's chair: $(screen other | tail -n 2)"
start_client adm admin --meeting "$MEETING"
wait_re adm '^▶ +1 ' || fail "admin: meeting not shown: $(screen adm)"
keys adm n
wait_re chair '^▶ +2 ' || fail "the administrator's n did not move the meeting: $(screen adm | tail -n 2)"

# The open meeting handed to another chair (tafelctl meeting chair): the chair keys move to her screen at once and
# Bas Tweede is a partner there; before, an open meeting was refused ("only a planned meeting gets another chair").
# With the GP present the leading chair's screen says what the shared screen hides; after the hand-over the new
# chair's does at once and Bas Tweede's no longer does (each kept what it had until the case was rendered again).
gp=$(sql -Atc "SELECT id FROM users WHERE login = 'huisarts'")
printf 'attend %s %s present room\nquit\n' "$MEETING" "$gp" | batch voorz2 | grep -q '"present":true' ||
	fail "the GP not recorded present"
wait_for chair "gedeelde scherm wordt deze casus gepseudonimiseerd" ||
	fail "chair: no notice of the pseudonymised shared screen: $(screen chair)"
out=$(ctl meeting chair "$MEETING" voorzitter) || fail "meeting chair on the open meeting: $out"
wait_for other "n volgende" || fail "other chair: no chair keys after the hand-over: $(screen other | tail -n 2)"
wait_for other "gedeelde scherm wordt deze casus gepseudonimiseerd" ||
	fail "new chair: no notice of the pseudonymised shared screen after the hand-over: $(screen other)"
wait_for chair "A vertrekken" || fail "former chair: still the chair's keys: $(screen chair | tail -n 2)"
screen chair | grep -qF "gepseudonimiseerd" && fail "former chair: still the shared screen's notice: $(screen chair)"
keys other n
wait_re chair '^▶ +3 ' || fail "the new chair's n did not move the meeting: $(screen other | tail -n 2)"
ok
