#!/bin/bash
# tafelctl guards the register (and the chair of a series or planned meeting can be changed, pushed to clients at once): demo-data refuses a register with other data unless --force, and its messages are true; user roles changes a user's roles with user add's checks, and the errors that need it name it; purge refuses less than the retention minimum of a day; clock-kind set says which number is wrong; case hold names an unknown case as audit case does; backup takes a schema a newer tafeld made, which other commands refuse in tafelctl's words; migrate says which migrations it applied, and another command that applied them notes it.
. "$(dirname "$0")/lib.sh"

# no_text REGEX CMD...: tafelctl CMD succeeds and does not say REGEX
no_text() {
	local re=$1 out
	shift
	out=$(ctl "$@") || fail "tafelctl $* failed: $out"
	echo "$out" | grep -qE "$re" && fail "tafelctl $*: said /$re/: $out"
	return 0
}

tafeld_start 0

# demo-data: a register with real data is refused (no admin with password "demo")
expect_ok "organisation Echte Politie added" org add "Echte Politie" police 2020-01-01
expect_fail "this register is not empty \(1 organisation.*nothing was loaded.*--force" demo-data
ctl user list | grep -q " admin " && fail "demo-data added the admin account to a register with real data"
expect_fail "usage: tafelctl demo-data \[--force\]" demo-data --frce
# --force beside an organisation named as one of the demo's: the clash is named, nothing is loaded
expect_ok "organisation Politie Eenheid Oost-Nederland added" org add "Politie Eenheid Oost-Nederland" police 2020-01-01
expect_fail "already holds a record named as one of the demo's \(Key \(name\)=\(Politie Eenheid Oost-Nederland\) already exists.*nothing was loaded" demo-data --force
ctl user list | grep -q " admin " && fail "demo-data --force loaded part of the demo"
sql -c "DELETE FROM organisations WHERE name = 'Politie Eenheid Oost-Nederland'" || fail "sql"
# --force loads it; the messages say what is so, and name no script the package lacks
expect_ok "demo data loaded: 16 users" demo-data --force
no_text "scripts/demo.sh" demo-data
expect_ok "already present, nothing changed" demo-data
expect_ok "no process manager is assigned yet" demo-data
expect_ok "voorzitter is process manager of Eemland" pm add voorzitter Eemland
no_text "no process manager" demo-data

# user roles: the roles of an existing login, with user add's checks
expect_fail "politie cannot be the usual chair: give the user the chair role first \(tafelctl user roles politie chair,member\)" series add "WZT Test3" wzt domestic_violence Enschede-Noord politie
expect_fail "politie cannot chair meetings: give the user the chair role first \(tafelctl user roles politie" meeting plan --series "WZT Enschede-Noord" --date 2030-01-08 --time 10:00 --chair politie
expect_fail "the steering role stands alone" user roles politie chair,steering
expect_fail "unknown role in 'bogus'" user roles politie bogus
expect_fail "no user 'nobody'" user roles nobody chair
expect_fail "give the roles" user roles politie ""
expect_ok "user politie: roles chair,member \(were member\)" user roles politie chair,member
expect_ok " politie .* chair,member " user list
expect_ok "meeting series WZT Test3 added" series add "WZT Test3" wzt domestic_violence Enschede-Noord politie
expect_ok "user politie: roles chair,member \(unchanged\)" user roles politie chair,member
expect_ok "note: politie can no longer chair, but is the usual chair of WZT Test3" user roles politie member
# ... and how: series chair gives the series another usual chair, meeting chair a planned meeting another chair
expect_ok "give those another chair \(tafelctl series chair SERIES LOGIN, tafelctl meeting chair ID LOGIN" user roles politie member
expect_fail "politie cannot be the usual chair: give the user the chair role first" series chair "WZT Test3" politie
expect_fail "no meeting series named 'Nope'" series chair Nope voorzitter
expect_fail "no user 'nobody' to be the usual chair" series chair "WZT Test3" nobody
expect_ok "WZT Test3 +\| +voorzitter|WZT Test3 +voorzitter" series chair "WZT Test3" voorzitter
no_text "politie can no longer chair" user roles politie member
expect_ok "WZT Test3 +\| +-|WZT Test3 +-" series chair "WZT Test3" -
out=$(ctl meeting plan --series "WZT Test3" --date 2030-01-08 --time 10:00 --chair voorzitter) || fail "plan: $out"
# (a row: date, time, day, id, series, ...)
mid=$(printf '%s\n' "$out" | awk '/WZT Test3/ { print $4; exit }')
[[ "$mid" =~ ^[0-9]+$ ]] || fail "no meeting id in: $out"
expect_fail "politie cannot be the chair of meeting $mid: give the user the chair role first" meeting chair "$mid" politie
expect_fail "no meeting with id 99999" meeting chair 99999 voorzitter
expect_ok "WZT Test3 +Erik Smit" meeting chair "$mid" admin
ctl meeting list "WZT Test3" | grep -E "^ *$mid " | grep -q "Erik Smit" ||
	fail "meeting list does not show the new chair: $(ctl meeting list "WZT Test3")"
# a connected client shows the new chair at once (the change is pushed)
sso=$(meeting_id "SSO Enschede") || fail "no SSO meeting in the demo data"
start_client pol politie
wait_re pol "^ +$sso +.*SSO Enschede +gepland +Anouk de Vries" || fail "pol: the SSO not listed with its chair: $(screen pol)"
expect_ok "SSO Enschede +Erik Smit" meeting chair "$sso" admin
wait_re pol "^ +$sso +.*SSO Enschede +gepland +Erik Smit" || fail "pol: the new chair not shown live: $(screen pol)"
expect_ok "cancelled" meeting cancel "$mid"
expect_fail "meeting $mid is cancelled: only a planned or open meeting gets another chair" meeting chair "$mid" voorzitter
expect_ok " politie .* [^,]member " user list

# a chair who left (user disable): what the user still holds is named, and the planning commands that
# would act as that user say so and what to do (they said "unknown or disabled user")
expect_ok "escalation contact of Gemeente Eemland-Twente: voorzitter" org escalation-contact "Gemeente Eemland-Twente" voorzitter
out=$(ctl user disable voorzitter) || fail "user disable: $out"
for re in "note: voorzitter is the usual chair of the series .*SSO Enschede.*tafelctl series chair SERIES LOGIN" \
	"note: voorzitter chairs [0-9]+ planned or open meeting\(s\): give each another chair \(tafelctl meeting chair ID LOGIN" \
	"note: voorzitter is process manager of Eemland, and screens no signals while disabled" \
	"note: voorzitter is the escalation contact of Gemeente Eemland-Twente"; do
	echo "$out" | grep -qE "$re" || fail "user disable voorzitter: expected /$re/, got: $out"
done
vz=$(ctl meeting list | awk '/Anouk de Vries/ { print $1; exit }')
[[ "$vz" =~ ^[0-9]+$ ]] || fail "no meeting chaired by voorzitter in: $(ctl meeting list)"
expect_fail "the meeting's chair, voorzitter, is disabled.*give --as LOGIN .*or the meeting another chair first \(tafelctl meeting chair ID LOGIN\)" meeting move "$vz" 2030-02-05 10:00
expect_fail "the series' usual chair, voorzitter, is disabled.*give --chair LOGIN \(and --as LOGIN\), or the series another usual chair" meeting plan --series "SSO Enschede" --date 2030-02-05 --time 10:00 --as admin
expect_ok "Erik Smit" meeting chair "$vz" admin
expect_ok "user voorzitter enabled" user enable voorzitter
no_text "note:" user disable politie
expect_ok "user politie enabled" user enable politie

# purge: OLDER-THAN below the retention minimum (one day) is refused
expect_fail "OLDER-THAN \"0\" is less than 1d" purge --dry-run 0
expect_fail "OLDER-THAN \"1s\" is less than 1d" purge 1s
expect_fail "OLDER-THAN \"23h\" is less than 1d" purge --dry-run 23h
expect_ok "case\(s\) would be anonymised \(dry run\)" purge --dry-run 1d

# clock-kind set: each wrong number named, not a constraint of the database
expect_fail "MAX-TOTAL 3 is less than DAYS 10" clock-kind set weird weird 10 3 no
expect_fail "DAYS '-5': a number of days from 0 to 3650" clock-kind set weird2 weird2 -5 - no
expect_fail "DAYS 'ten': a number of days from 0 to 3650" clock-kind set weird2 weird2 ten - no
expect_fail "MAX-TOTAL '0': a number of days from 1 to 3650, or -" clock-kind set weird2 weird2 0 0 no
expect_fail "DAYS-BEFORE '400': a number of days from 0 to 365" clock-kind set weird2 weird2 0 - no probation 400
expect_fail "NAME 'Weird': lowercase" clock-kind set Weird weird 10 - no
expect_fail "LABEL: give the name users see" clock-kind set weird "" 10 - no
expect_ok "^weird +weird +10 +28" clock-kind set weird weird 10 28 no
ctl clock-kind list | grep -q "^weird2" && fail "a refused clock kind was stored"

# case hold/release: an unknown case in audit case's words
expect_fail "no case numbered '2026-9999'" case hold 2026-9999
expect_fail "no case numbered '2026-9999'" case release 2026-9999

# a schema a newer tafeld made: backup takes it as it is (noted), other commands refuse in tafelctl's words
sql -c "INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future')" || fail "sql"
rm -f "$E2E_DIR.newer.dump"
expect_ok "note: the database schema is at version 999, newer than this tafelctl" backup "$E2E_DIR.newer.dump"
[ -s "$E2E_DIR.newer.dump" ] || fail "backup of a newer schema wrote no file"
expect_fail "the database schema is at version 999 but this tafelctl only knows up to [0-9]+: a newer tafeld has upgraded it" user list
ctl user list | grep -q "refusing to start" && fail "tafelctl speaks of starting"
sql -c "DELETE FROM schema_migrations WHERE version = 999" || fail "sql"
rm -f "$E2E_DIR.newer.dump"

# an older schema (a newer Tafel installed): migrate says what it applied, another command notes it
sql -c "DELETE FROM schema_migrations WHERE version = 21" || fail "sql"
expect_ok "^applied 1 migration\(s\); the schema is now at version [0-9]+$" migrate
expect_ok "^schema is up to date \([0-9]+ migrations\)$" migrate
sql -c "DELETE FROM schema_migrations WHERE version = 21" || fail "sql"
expect_ok "note: applied 1 schema migration\(s\) first; the schema is now at version [0-9]+ \(tafelctl [0-9.]+\): run tafeld" user list
ok
