#!/bin/bash
# The screen captures in docs/user-guide.md that show the demo data are true: each one marked "<!-- capture: NAME -->" is
# made again here at 80x24 (Dutch and English) and compared with the guide, dates, times and the lag masked.
# E2E_CAPTURE=DIR keeps the screens; tests/e2e/guide-splice.py DIR docs/user-guide.md then puts them into the guide.
if [ -z "${GUIDE_LANG:-}" ]; then
	rc=0
	for l in nl en; do	# with E2E_CAPTURE both languages, to refresh both
		GUIDE_LANG=$l bash "$0" || { rc=1; [ -n "${E2E_CAPTURE:-}" ] || break; }
	done
	exit $rc
fi
. "$(dirname "$0")/lib.sh"
GUIDE=$(dirname "$0")/../../docs/user-guide.md
E2E_ENV="LANGUAGE=$GUIDE_LANG"
sfx=
[ "$GUIDE_LANG" = nl ] || sfx=-$GUIDE_LANG

# say NL EN: the text of this run's language.
say() {
	if [ "$GUIDE_LANG" = nl ]; then echo "$1"; else echo "$2"; fi
}

# mask: dates, times and the lag as placeholders, trailing blanks off.
mask() {
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}/YYYY-MM-DD/g' -e 's/[0-9]{2}:[0-9]{2}/HH:MM/g' \
		-e 's/(vertraging|lag) [0-9]+ ms/\1 N ms/' -e 's/[[:space:]]+$//'
}

# in_guide NAME: the block after "<!-- capture: NAME -->" in the guide.
in_guide() {
	awk -v m="<!-- capture: $1 -->" '
		$0 == m { want = 1; next }
		want && /^```/ { if (inb) exit; inb = 1; next }
		inb { print }' "$GUIDE"
}

# capture NAME SESSION: keeps the screen (E2E_CAPTURE) and compares it with the guide.
capture() {
	local name=$1$sfx shot
	shot=$(screen "$2")
	if [ -n "${E2E_CAPTURE:-}" ]; then
		mkdir -p "$E2E_CAPTURE"
		printf '%s\n' "$shot" | sed -E 's/[[:space:]]+$//' >"$E2E_CAPTURE/$name.txt"
	fi
	[ -n "$(in_guide "$name")" ] || fail "docs/user-guide.md has no capture $name"
	if ! diff <(in_guide "$name" | mask) <(printf '%s\n' "$shot" | mask); then
		STALE="$STALE $name"
	fi
}
STALE=

start_meeting
# the chair opens the SSO meeting, item 1 then item 2
start_client vz voorzitter --meeting "$MEETING"
wait_re vz "^ +# +(Casus|Case)" || fail "chair: meeting not shown"
keys vz o
wait_for vz "· open ·" || fail "chair: meeting did not open"
keys vz n
wait_re vz '^▶ +1 ' || fail "chair: n did not make item 1 current"
keys vz n
wait_re vz '^▶ +2 ' || fail "chair: n did not make item 2 current"

# a partner: the meetings list, then the meeting following the chair, then its own way
start_client pol politie
wait_re pol '^ +[0-9]+  20[0-9-]+ [0-9:]+  SSO Enschede +open' || fail "pol: SSO not open in the list"
capture meetings-partner pol
keys pol Enter
wait_re pol '^▶ +2 ' || fail "pol: not following the chair"
wait_for pol "$(say "volgt voorzitter" "following the chair")" || fail "pol: status does not say following"
capture meeting-following pol
keys pol k
wait_for pol "$(say "eigen weg" "own way")" || fail "pol: k did not go its own way"
wait_re pol "$(say "^Casus 2026-0002" "^Case 2026-0002")" || fail "pol: item 1 not shown"
capture meeting-own-way pol
keys pol f

# the chair records a decision on item 2, then fills in an action point
keys vz d
wait_for vz "$(say "Besluit over casus 2026-0007" "Decision on case 2026-0007")" || fail "chair: d did not ask"
type_text vz "$(say "Meldplicht blijft; evaluatie over zes weken" "Reporting duty stays; review in six weeks")"
keys vz Enter
wait_for vz "$(say "Besluit over casus 2026-0007 vastgelegd." "Decision on case 2026-0007 recorded.")" ||
	fail "chair: decision not recorded"
wait_for vz "$(say "Besluit: Meldplicht blijft" "Decision: Reporting duty stays")" || fail "chair: decision not shown"
capture chair-decision vz
keys vz a
wait_for vz "$(say "Omschrijving" "Description")" || fail "chair: a did not open the form"
type_text vz "$(say "Huisbezoek met wijkagent plannen" "Plan a home visit with the community officer")"
keys vz Enter
wait_for vz "$(say "Uitvoerende organisatie (naam of nummer):" "Owner organisation (name or number):")" ||
	fail "chair: owner not asked"
type_text vz "Politie"
keys vz Enter
wait_for vz "$(say "Uitvoerder (persoon" "Owner person (")" || fail "chair: person not asked"
type_text vz "Sanne"
keys vz Enter
wait_for vz "$(say "Uiterste datum" "Due date")" || fail "chair: due date not asked"
type_text vz "+7"
wait_re vz "(Uiterste datum|Due date) \([^)]*\): \+7" || fail "chair: +7 not typed"
capture chair-action-form vz
keys vz Escape
wait_for vz "$(say "weggooien? (j/n)" "typed? (y/n)")" || fail "chair: Esc did not ask"
keys vz y
wait_gone vz "$(say "Omschrijving" "Description")" || fail "chair: form not discarded"

# the attendance picker and the case picker
keys vz A
wait_for vz "Noor Visser" || fail "chair: A did not list the people"
capture attendance-picker vz
keys vz Escape
wait_re vz "^ +# +(Casus|Case)" || fail "chair: Esc did not go back"
keys vz +
wait_for vz "2026-0012" || fail "chair: + did not list the cases"
wait_re vz "^ 2026-0002 .*(al op de agenda|on the agenda)" || fail "chair: the cases on the agenda not marked"
capture add-case vz
keys vz Escape
wait_re vz "^ +# +(Casus|Case)" || fail "chair: Esc did not go back from +"

# the help from the meeting, scrolled down a little
keys vz '?'
wait_for vz "$(say "Tafel · Toetsen" "Tafel · Keys")" || fail "chair: no help"
for _ in $(seq 1 21); do keys vz j; done
wait_re vz "^  Tab +" || fail "chair: help did not scroll"
capture help-chair vz
keys vz q

# the beamer layout of today's WZT (the GP practice, without covenant, attends: pseudonymised)
WZT=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting"
start_client wz voorzitter --meeting "$WZT"
wait_re wz "^ +# +(Casus|Case)" || fail "chair: WZT not shown"
chair_start wz
start_client bm voorzitter --meeting "$WZT" --presentation
wait_for bm "$(say "agendapunt 1/" "item 1/")" || fail "beamer: item 1 not current: $(screen bm)"
wait_for bm "$(say "verborgen op het gedeelde scherm" "hidden on the shared screen")" ||
	fail "beamer: not pseudonymised: $(screen bm)"
capture presentation bm

# the action points: probation edits its first one; the police's list
start_client rec reclassering
wait_re rec "^ +[0-9]+  20[0-9-]+ [0-9:]+  " || fail "rec: no meetings list"
keys rec 3
wait_for rec "$(say "VERLOPEN:" "OVERDUE:")" || fail "rec: no overdue action point"
keys rec e
wait_for rec "$(say "Omschrijving" "Description")" || fail "rec: e did not open the form"
keys rec Enter
keys rec Enter
keys rec Enter
wait_re rec "(Uiterste datum|Due date) \([^)]*\): 20" || fail "rec: due date not reached"
capture actions-edit rec
keys rec Escape
keys pol 3
wait_for pol "$(say "VERLOPEN:" "OVERDUE:")" || fail "pol: no overdue action point"
capture actions-partner pol
[ -z "$STALE" ] ||
	fail "captures differ from docs/user-guide.md:$STALE (E2E_CAPTURE=DIR, then tests/e2e/guide-splice.py)"
ok
