#!/bin/bash
# The shared screen counts the action points it leaves out ("+N meer") only below some it shows: once the case's persons fill the screen and no action point line fits, the title says how many there are instead of "+2 meer" under nothing; on a smaller screen the persons are counted the same way.
. "$(dirname "$0")/lib.sh"

# the line after the action points' title on the beamer
after_title() {
	screen beamer | grep -A1 -E '^  Afspraken' | sed -n 2p
}

start_meeting
case_id=$(printf 'subscribe %s\nquit\n' "$MEETING" | batch voorzitter |
	pick 'sorted(m["subscribed"]["snapshot"]["agenda"], key=lambda i: i["position"])[0]["case_id"]')
[ -n "$case_id" ] || fail "no first agenda item"

start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
wait_re chair "^▶ +1 +[0-9-]+ .* 2 " || fail "the first item has not two open action points: $(screen chair)"
start_client beamer voorzitter --meeting "$MEETING" --presentation
# room enough: both action points under the title, nothing counted
wait_re beamer '^  Afspraken$' || fail "beamer: no action points title: $(screen beamer)"
wait_re beamer '^ +!? *[0-9]{4}-[0-9]{2}-[0-9]{2} ' || fail "beamer: no action point shown: $(screen beamer)"
[ "$(screen beamer | grep -cE '^ +!? *[0-9]{4}-[0-9]{2}-[0-9]{2} ')" -eq 2 ] ||
	fail "beamer: not both action points shown: $(screen beamer)"
screen beamer | grep -qE '^ +\+[0-9]+ meer' && fail "beamer: '+N meer' with everything shown: $(screen beamer)"

# twenty persons more: they fill the screen, no action point line fits
for n in Anna Bart Cees Daan Eva Fleur Gijs Hanna Ivo Joost Kim Lars Mila Noor Olaf Pim Roos Sem Tess Vera; do
	echo "add-person $case_id other - $n Achternaam"
done | { cat; echo quit; } | batch politie >"$E2E_DIR.persons"
grep -q '"error"' "$E2E_DIR.persons" && fail "add-person refused: $(grep -m1 '"error"' "$E2E_DIR.persons")"
wait_for beamer "Anna Achternaam" || fail "beamer: the persons added do not show: $(screen beamer)"
wait_for beamer "Afspraken: 2 (geen ruimte op het scherm)" ||
	fail "beamer: the title does not count the action points that do not fit: $(screen beamer)"
after_title | grep -qE '\+[0-9]+ meer' && fail "beamer: '+N meer' under no action point: $(screen beamer)"
screen beamer | grep -qE '^ +!? *[0-9]{4}-[0-9]{2}-[0-9]{2} ' &&
	fail "beamer: an action point line although the title says none fits: $(screen beamer)"

# a smaller screen: no person line fits either; the persons are counted
# too, not "+21 meer" under the case line
E2E_ROWS=16 start_client small voorzitter --meeting "$MEETING" --presentation
wait_for small "Personen: 21 (geen ruimte op het scherm)" ||
	fail "small beamer: the persons are not counted: $(screen small)"
wait_for small "Afspraken: 2 (geen ruimte op het scherm)" ||
	fail "small beamer: the action points are not counted: $(screen small)"
screen small | grep -qE '\+[0-9]+ meer' && fail "small beamer: '+N meer' under nothing: $(screen small)"
ok
