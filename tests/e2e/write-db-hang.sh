#!/bin/bash
# The chair records an action point, and partners open a meeting and a case, while PostgreSQL hangs (SIGSTOP, db_query_timeout 1 s): tafeld answers DATABASE_UNAVAILABLE ("may or may not have been applied"), the database commits the write when it runs again, and the client sends it again by itself with the same idempotency key. The chair sees "wijziging verstuurd, nog geen antwoord", then "Afspraak vastgelegd", and the action point is stored once (the form used to come back with "probeer het zo opnieuw", and its Enter stored it twice). The partner's meeting and another partner's case, refused meanwhile, load by themselves once the database runs again.
. "$(dirname "$0")/lib.sh"

tafeld_start 0 --set db_query_timeout=1s
demo_data
MEETING=$(meeting_id "SSO Enschede") || fail "no SSO meeting in the demo data"
start_client chair voorzitter --meeting "$MEETING"
start_client pol politie
start_client cas veiligthuis
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_re pol '[0-9]{4}-[0-9]{2}-[0-9]{2}' || fail "pol: meetings not listed"
wait_re cas '[0-9]{4}-[0-9]{2}-[0-9]{2}' || fail "cas: meetings not listed"
keys cas 4
wait_re cas '^ *[0-9]{4}-[0-9]{4} ' || fail "cas: cases not listed: $(screen cas)"
chair_start chair

desc="Hapering e2e$$"
# (for Veilig Thuis, so that no inbox news of it covers what the police's
# screen says below)
keys chair a
wait_for chair "Nieuwe afspraak" || fail "form did not open"
type_text chair "$desc"
keys chair Enter
wait_for chair "Uitvoerende organisatie (naam of nummer):" || fail "owner not asked"
type_text chair "Veilig Thuis"
keys chair Enter
wait_for chair "Uitvoerder (persoon" || fail "owner person not asked"
keys chair Enter
wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7):" || fail "due date not asked"
type_text chair "$(date -d '+7 days' +%F)"
pm=$(head -n 1 "$E2E_DIR/pg/data/postmaster.pid")
[ -n "$pm" ] || fail "no postmaster.pid"
pids="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
resume() { [ -n "$pids" ] && kill -CONT $pids 2>/dev/null; pids=; }
trap 'resume; cleanup' EXIT

# shellcheck disable=SC2086
kill -STOP $pids || fail "SIGSTOP PostgreSQL"
keys chair Enter
# the write waits for the hanging database (given up by tafeld after 1 s):
# said as waiting, not as refused
wait_re chair "wijziging verstuurd, nog geen antwoord|Het register is tijdelijk niet beschikbaar" 5 ||
	fail "chair: nothing said while the database hangs: $(screen chair | tail -n 4)"
refused=0
screen chair | grep -qF "Het register is tijdelijk niet beschikbaar" && refused=1
# a partner opens a meeting meanwhile: refused for the moment, said so,
# and loaded by itself once the database runs again (it said "Overleg
# laden…" for ever)
# and another a case
keys cas Enter
keys pol Enter
wait_for pol "Het register is tijdelijk niet beschikbaar" 15 ||
	fail "pol: opening a meeting while the database hangs: nothing said: $(screen pol | tail -n 3)"
sleep 1
resume
wait_re pol "^ +# +Casus" 15 || fail "pol: the meeting did not load by itself after the database came back: $(screen pol)"
wait_gone pol "tijdelijk niet beschikbaar" || fail "pol: the meeting loaded, and still said to be unavailable: $(screen pol | tail -n 4)"
wait_for cas "Aangemeld door" 15 || fail "cas: the case did not load by itself after the database came back: $(screen cas)"
if [ "$refused" = 1 ]; then
	# told to try again: the chair does so, through the form
	for _ in 1 2 3 4 5; do
		screen chair | grep -qF "Nieuwe afspraak" || break
		keys chair Enter
		sleep 0.5
	done
fi
wait_for chair "Afspraak vastgelegd" 30 ||
	fail "chair: not confirmed after the database came back (refused on screen: $refused): $(screen chair | tail -n 4)"
n=$(sql -Atc "SELECT count(*) FROM action_points WHERE description = '$desc'")
[ "$n" = 1 ] || fail "the action point is stored $n times, not once (refused on screen: $refused)"
[ "$refused" = 0 ] || fail "the chair was told the register is unavailable for a write that was stored"
ok
