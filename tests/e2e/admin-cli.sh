#!/bin/bash
# tafelctl as an administrator meets it: every command names what is wrong with its input and exits non-zero, never reports a change it did not make; access set replaces a kind's categories; a disabled organisation keeps every user out, also one added or enabled later; audit refuses unknown cases, users and ambiguous dates; cert issue checks the organisation, then the user, and never overwrites a key; minutes checks the meeting is closed before the organisation's membership; meeting plan, list and move check their series, dates and times (a time the clocks skip, a slot the series has taken); report files are written where root runs the command.
. "$(dirname "$0")/lib.sh"

start_server
echo demo1 >"$E2E_DIR.pw1"
pw=(--password-file "$E2E_DIR.pw1")

# the covenant: access set replaces (it failed once a kind had categories)
expect_ok "housing may see: person_names,free_text" access set housing free_text,person_names
expect_ok "housing may see: person_names$" access set housing person_names
expect_fail "unknown category bogus" access set housing person_names,bogus
expect_fail "unknown organisation kind 'nokind' \(one of: police" access set nokind person_names
expect_ok "^housing +person_names *$" access list
expect_ok "^other +\(nothing\)" access list

# unknown names are errors, not silent no-ops
expect_fail "no organisation named 'Nope'" series member "WZT Enschede-Noord" Nope
expect_fail "no meeting series named 'Nope'" series member Nope "Politie Eenheid Oost-Nederland"
expect_fail "no organisation named 'Nope'" org disable Nope
expect_fail "no meeting series named 'Nope'" series publish-days Nope 2
expect_fail "DAYS '-3'" series publish-days "SSO Enschede" -3
expect_fail "no user 'nobody' to be the usual chair" series add "Bad3" wzt domestic_violence Enschede-Noord nobody
expect_fail "politie cannot be the usual chair" series add "Bad4" wzt domestic_violence Enschede-Noord politie
expect_fail "unknown organisation kind 'plice'" org add Foo plice
expect_fail "COVENANT-DATE .* lies in the future" org add Foo police 2999-01-01
expect_fail "needs a name" org add "" police
expect_fail "exists already" org add "Politie Eenheid Oost-Nederland" police
# a name with letters beyond ASCII keeps the columns after it in line (they were padded by bytes)
expect_ok "added" org add "Gemeente Súdwest-Fryslân" municipality 2020-01-01
tbl=$(ctl org list)
row=$(echo "$tbl" | grep "Súdwest") || fail "org list lacks the new organisation: $tbl"
hdr=$(echo "$tbl" | head -n 1)
row=${row%%municipality*}
hdr=${hdr%%kind*}
[ "$(printf '%s' "$row" | LC_ALL=C.UTF-8 wc -m)" = "$(printf '%s' "$hdr" | LC_ALL=C.UTF-8 wc -m)" ] || fail "org list: the kind column is out of line: $tbl"
expect_fail "user commands: list, add" user frobnicate x
# a new theme or district is accepted with a note (a typo would make one silently)
expect_ok "note: theme domestc_violence is new" series add "WZT Twee" wzt domestc_violence Enschede-Noord voorzitter
expect_ok "note: themes tipo_een, tipo_twee are new" series add "WZT Drie" wzt tipo_een,tipo_twee Enschede-Noord voorzitter
# a refused series gets no note on its new words, only the reason
out=$(ctl series add "WZT Twee" wzt dv Nieuwdorp voorzitter) && fail "a second WZT Twee was added: $out"
[ "$out" = "tafelctl: a series named 'WZT Twee' exists already" ] || fail "refused series add: $out"
# two series of kind wzt now: the kind alone is ambiguous
expect_fail "several series are of kind wzt" meeting plan --series wzt --weekday tue --time 13:30

# users: login form, roles, password length
expect_fail "login 'x4 space': use lowercase" "${pw[@]}" user add "x4 space" X "Politie Eenheid Oost-Nederland"
expect_fail "login 'Politie'" "${pw[@]}" user add Politie X "Politie Eenheid Oost-Nederland"
expect_fail "steering role stands alone" "${pw[@]}" user add stuur2 X "Politie Eenheid Oost-Nederland" admin,steering
expect_fail "needs a display name" "${pw[@]}" user add leeg "" "Politie Eenheid Oost-Nederland"
echo x >"$E2E_DIR.pwshort"
expect_fail "too short" --password-file "$E2E_DIR.pwshort" user add kort Kort "Politie Eenheid Oost-Nederland"
# tafelctl's own options after the command are named, not a bare usage line
expect_fail "is an option of tafelctl itself: give it before the command \(tafelctl --password-file \.\.\. user add" user add kort Kort "Politie Eenheid Oost-Nederland" --password-file "$E2E_DIR.pw1"
expect_fail "no user 'nobody' \(tafelctl user list\)" user unlock nobody
expect_fail "no user 'nobody' \(tafelctl user list\)" user disable nobody
# an unknown login is named before the password is asked for (no terminal, no file here)
out=$(ctl user passwd nobody </dev/null)
[ "$out" = "tafelctl: no user 'nobody' (tafelctl user list)" ] || fail "user passwd nobody: $out"
# a --data-dir that does not exist is named as given, not "give --data-dir"
expect_fail "no data directory $E2E_DIR.none \(--data-dir\): check the path" --data-dir "$E2E_DIR.none" user list
[ -e "$E2E_DIR.none" ] && fail "tafelctl made the missing data directory"
# another user (not root, not the service user) is told whose the data directory is
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && runuser -u nobody -- test -x "$TAFELCTL"; then
	su_user=${TAFEL_TEST_USER:-tafel}
	out=$(cd / && runuser -u nobody -- "$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" user list 2>&1)
	echo "$out" | grep -q "cannot open data directory $E2E_DIR: Permission denied: it is $su_user's (mode 0700); run this as root or as $su_user" ||
		fail "another user is not told whose the data directory is: $out"
fi
# an unknown option: getopt's line and a short usage, not the whole help burying it
out=$("$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" --set x=1 status 2>&1)
[ $? -eq 2 ] || fail "an unknown option did not exit 2: $out"
echo "$out" | grep -q "unrecognized option '--set'" || fail "the unknown option is not named: $out"
[ "$(echo "$out" | wc -l)" -le 3 ] || fail "an unknown option printed the whole help: $out"
expect_fail "no user 'nobody' \(tafelctl user list\)" user revoke-tickets nobody

# a disabled organisation: its users, also one added or enabled later, stay out
expect_ok "organisation Huisartsenpraktijk De Linde disabled: no user of it can log in \(1 user" org disable "Huisartsenpraktijk De Linde"
expect_fail "organisation Huisartsenpraktijk De Linde is disabled" "${pw[@]}" user add huisarts2 "Karin Twee" "Huisartsenpraktijk De Linde"
expect_fail "is disabled" user enable huisarts
expect_ok "^13? *Huisartsenpraktijk De Linde .* t *$" org list
out=$(printf 'meetings\nquit\n' | batch huisarts 2>&1)
echo "$out" | grep -q '"account_disabled"\|ACCOUNT_DISABLED\|disabled' || fail "a user of a disabled organisation logged in: $out"
expect_ok "enabled; its users stay disabled" org enable "Huisartsenpraktijk De Linde"
expect_ok "user huisarts enabled" user enable huisarts

# the privacy officer's answers: unknown is an error, dates only YYYY-MM-DD
expect_fail "no case numbered '2099-9999'" audit case 2099-9999
expect_fail "no user 'nobody' \(tafelctl user list\)" audit user nobody
expect_fail "TO lies before FROM" audit user politie 2026-12-03 2026-12-01
expect_fail "FROM: '03-12-2026' is not a date YYYY-MM-DD" audit user politie 03-12-2026

# planning: series, weekday, every, dates, times, a slot the clocks skip, a slot taken
expect_fail "no meeting series named 'Nope', nor of that kind" meeting plan --series Nope --weekday tue --time 13:30
expect_fail "no meeting series named 'Nope', nor of that kind" meeting list Nope
expect_ok "^[0-9]+ +20[0-9-]+ [0-9:]+ [A-Z][a-z]+ +SSO Enschede " meeting list "SSO Enschede"
expect_fail 'weekday "tus": give mon' meeting plan --series "SSO Enschede" --weekday tus --time 13:30
expect_fail "every takes 1w..52w" meeting plan --series "SSO Enschede" --weekday tue --time 13:30 --every 2 --until 2027-06-01
expect_fail 'time "9:5": give HH:MM' meeting plan --series "SSO Enschede" --weekday tue --time 9:5
# a date the calendar does not have is named as such, not left to the database ("date/time field value out of range")
expect_fail 'date "2027-02-30": give an existing date as YYYY-MM-DD' meeting plan --series "SSO Enschede" --date 2027-02-30 --time 13:30
expect_fail 'DATE "2027-13-01": give an existing date' meeting move 999 2027-13-01 10:00
expect_fail "2027-03-28 02:30 does not exist in Europe/Amsterdam" meeting plan --series "SSO Enschede" --date 2027-03-28 --time 02:30
# --weekday with --from in the past: the first such day still ahead, not "first_date is required"
expect_ok "1 meeting\(s\) planned" meeting plan --series "SSO Enschede" --weekday fri --from 2026-01-01 --time 10:15
expect_fail "no meeting with id 999" meeting move 999 2030-01-08 10:00
expect_fail 'HH:MM "10:0"' meeting move 999 2030-01-08 10:0
a=$(ctl meeting plan --series "SSO Enschede" --date 2030-01-08 --time 10:00 | awk '$1 == "2030-01-08" {print $4}')
b=$(ctl meeting plan --series "SSO Enschede" --date 2030-01-15 --time 10:00 | awk '$1 == "2030-01-15" {print $4}')
[ -n "$a" ] && [ -n "$b" ] || fail "planning 2030-01-08/15 failed (ids '$a' '$b')"
expect_fail "the series has a meeting at that time already \(meeting $a\)" meeting move "$b" 2030-01-08 10:00

# cert issue: the user must be of that organisation; an issued key is never overwritten
cd "$E2E_DIR" || fail "cd"
expect_fail "no organisation named 'Nope' \(tafelctl org list\)" cert issue Nope politie 365
expect_fail 'DAYS "abc"' cert issue "Politie Eenheid Oost-Nederland" politie abc
# no CA in the data directory (no tafeld started on it, or the wrong one): said as ca-cert says it
mv "$E2E_DIR/tls/ca.crt" "$E2E_DIR/tls/ca.crt.aside" || fail "mv"
out=$(ctl cert issue "Politie Eenheid Oost-Nederland" politie 30)
mv "$E2E_DIR/tls/ca.crt.aside" "$E2E_DIR/tls/ca.crt" || fail "mv back"
echo "$out" | grep -q "tls/ca.crt: No such file or directory (has tafeld started once with this data directory?)" ||
	fail "cert issue without a CA: $out"
[ -e politie.crt ] && fail "cert issue without a CA wrote politie.crt"
expect_ok "issued politie.crt and politie.key" cert issue "Politie Eenheid Oost-Nederland" politie 30
key=$(sha256sum politie.key)
expect_fail "politie.crt exists here" cert issue "Politie Eenheid Oost-Nederland" politie 30
expect_ok "user wijkagent disabled" user disable wijkagent
expect_fail "wijkagent is disabled: enable the user first \(tafelctl user enable wijkagent\)" cert issue "Politie Eenheid Oost-Nederland" wijkagent 30
expect_ok "user wijkagent enabled" user enable wijkagent
[ "$(sha256sum politie.key)" = "$key" ] || fail "cert issue overwrote an issued key"

# reports and minutes: written where the (root) administrator is; unknown meeting named
if [ "$(id -u)" = 0 ]; then
	out=$(mktemp -d /tmp/tafel-e2e-rootdir-XXXXXX)
	chmod 0755 "$out"
	expect_ok "^$" report orgs 2026-01-01 2026-12-31 -o "$out/q.csv"
	grep -q "^from,to,org_name" "$out/q.csv" || fail "report csv empty: $(head -2 "$out/q.csv")"
	expect_ok "written to $out/q.pdf" report 2026-01-01 2026-12-31 --pdf "$out/q.pdf"
	head -c 5 "$out/q.pdf" | grep -q "%PDF-" || fail "report pdf is no PDF"
	rm -rf "$out"
fi
# a report's days are exactly YYYY-MM-DD: a Dutch 03-12-2026 is not read as 12 March
expect_fail "FROM: not a date \\(YYYY-MM-DD\\): '03-12-2026'" report orgs 03-12-2026 2026-12-31
expect_fail "TO: not a date \\(YYYY-MM-DD\\): 'today'" report orgs 2026-01-01 today
expect_fail "TO: not a valid calendar date: '2026-02-30'" report orgs 2026-01-01 2026-02-30
expect_fail "TO \(2026-07-01\) lies before FROM \(2026-09-30\)" report orgs 2026-09-30 2026-07-01
expect_fail "no meeting with id 999" minutes 999 --org politie -o -
expect_fail "no organisation named 'Nope'" minutes 1 --org Nope -o -
# what is wrong, not only the usage: a bad quarter, no table, a group without its command
expect_fail "2026Q5: not a quarter" report --quarter 2026Q5
expect_fail "report: which table, orgs or areas" report 2026-01-01 2026-12-31
out=$(ctl org)
[ $? = 2 ] || fail "tafelctl org did not exit 2: $out"
printf '%s\n' "$out" | grep -q '^tafelctl: "org" needs a command: list, add, ' || fail "tafelctl org: $out"
# a planned meeting: not closed yet, whatever the organisation (it spoke of the organisation)
expect_fail "meeting $b is planned: a meeting has minutes once it is closed" minutes "$b" --org "Politie Eenheid Oost-Nederland" -o -

# purge's dry run counts only what it would anonymise
expect_ok "case\(s\) would be anonymised \(dry run\), [0-9]+ kept under legal hold" purge --dry-run 1d

# backup - / restore -: "-" is standard output for report -o, not a file named "-" made in the current directory
(cd "$E2E_DIR" && expect_fail "backup writes a file, not standard output" backup -)
[ -e "$E2E_DIR/-" ] && fail "backup - made a file named -"
expect_fail "restore reads a file: give its name \(/dev/stdin to read standard input" restore -

# no password at all on standard input: said so, not "too short"
out=$("$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" user passwd politie </dev/null 2>&1) &&
	fail "user passwd without a password succeeded: $out"
echo "$out" | grep -q "no password on standard input: give it on its first line, or use --password-file FILE" ||
	fail "an empty standard input not named: $out"

# ^C at the password prompt gives the terminal its echo back (sh has no line editing to restore it:
# what was typed after stayed unseen)
tm new-session -d -s pw -x 120 -y 10 "env PS1='$ ' sh" || fail "tmux new-session pw"
tm send-keys -t pw "'$TAFELCTL' --config /dev/null --data-dir '$E2E_DIR' user passwd politie" Enter
wait_for pw "New password:" || fail "no password prompt: $(screen pw)"
tm send-keys -t pw C-c
sleep 0.3
tm send-keys -t pw "echo seen-\$((40+2))" Enter
wait_for pw "seen-42" || fail "the shell did not run the command after ^C: $(screen pw)"
screen pw | grep -qF 'echo seen-$((40+2))' || fail "echo stayed off after ^C at the password prompt: $(screen pw)"
ok
