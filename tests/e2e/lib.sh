# Shared helpers for the end-to-end tests of tafel in tmux: a private tafeld with demo data, tmux sessions, screen polling.
#
# Sourced by tests/e2e/*.sh.  Environment (set by meson, or by hand):
#   TAFELD, TAFELCTL   the server binaries
#   TAFEL              the client binary
#   TAFEL_LOCALEDIR    where nl/LC_MESSAGES/tafel.mo is (build/client/po)
#   TAFEL_TEST_USER    the account tafeld drops to when run as root (tafel)
# Each test prints "ok" or "FAIL: reason" and exits 0 / 1 (77: skipped).

set -u
export LC_ALL=C.UTF-8

E2E_NAME=$(basename "$0" .sh)
E2E_DIR=
E2E_PORT=
E2E_PID=
E2E_SOCK="tafel-e2e-$$"
E2E_COLS=80
E2E_ROWS=24

command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
: "${TAFELD:?TAFELD not set}" "${TAFELCTL:?TAFELCTL not set}" "${TAFEL:?TAFEL not set}"
: "${TAFEL_LOCALEDIR:=$(dirname "$TAFEL")/po}"

# tmux on the private socket only: never the user's server.
tm() {
	tmux -L "$E2E_SOCK" -f /dev/null "$@"
}

# fail WHY: what the screens and tafeld showed, then WHY (last, where
# CI's summary of a failed test looks: scripts/test.sh).
fail() {
	[ -n "$E2E_DIR" ] && [ -f "$E2E_DIR.log" ] &&
		{ echo "--- tafeld log (tail):"; tail -n 30 "$E2E_DIR.log"; }
	for s in $(tm list-sessions -F '#S' 2>/dev/null); do
		echo "--- screen of $s:"
		tm capture-pane -p -t "$s" 2>/dev/null
	done
	echo "FAIL: $*"
	exit 1
}

ok() {
	sanitizer_check
	echo "ok"
	exit 0
}

# sanitizer_check: a report from an ASan/UBSan build of tafel or tafeld fails the test.
sanitizer_check() {
	local f
	[ -n "$E2E_DIR" ] || return 0
	for f in "$E2E_DIR".asan* "$E2E_DIR".ubsan*; do
		[ -s "$f" ] || continue
		cat "$f"
		fail "sanitizer report from tafel ($f)"
	done
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$E2E_DIR.log" 2>/dev/null; then
		grep -A20 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$E2E_DIR.log"
		fail "sanitizer report from tafeld"
	fi
}

cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$E2E_SOCK"
	tafeld_stop
	if [ -n "$E2E_DIR" ]; then
		# the directory and every file a script put beside it
		# ("$E2E_DIR.log", .pw, .out, .sub, ..., the sanitizers' reports)
		rm -rf "$E2E_DIR" "$E2E_DIR".*
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# tafeld_start [PORT [TAFELD ARGS...]]: starts tafeld on E2E_DIR (created on
# first use), e.g. tafeld_start 0 --set client_certs=yes; sets E2E_PORT from
# its log.  Polls up to 120 s (initdb on a slow machine).
tafeld_start() {
	local port=${1:-0} from deadline p
	[ $# -gt 0 ] && shift
	if [ -z "$E2E_DIR" ]; then
		E2E_DIR=$(mktemp -d /tmp/tafel-e2e-XXXXXX) || fail "mktemp"
		# a copy of a first start's directory (initdb and migrations done once)
		bash "$TAFEL_SOURCE_DIR/tests/data-template.sh" "$E2E_DIR" || fail "data-template.sh"
		printf 'demo\n' >"$E2E_DIR.pw"
	fi
	from=$(stat -c %s "$E2E_DIR.log" 2>/dev/null || echo 0)
	"$TAFELD" --data-dir "$E2E_DIR" --listen "127.0.0.1:$port" \
		--config /dev/null --set "user=${TAFEL_TEST_USER:-tafel}" "$@" \
		>>"$E2E_DIR.log" 2>&1 &
	E2E_PID=$!
	deadline=$((SECONDS + 120))
	while [ $SECONDS -lt $deadline ]; do
		p=$(tail -c +"$((from + 1))" "$E2E_DIR.log" 2>/dev/null |
			sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' | tail -n 1)
		if [ -n "$p" ]; then
			E2E_PORT=$p
			return 0
		fi
		kill -0 "$E2E_PID" 2>/dev/null || { E2E_PID=; tail -n 20 "$E2E_DIR.log"; fail "tafeld did not start"; }
		sleep 0.1
	done
	fail "tafeld did not report its port"
}

# tafeld_stop: SIGTERM and wait (the embedded cluster stops with it).
tafeld_stop() {
	if [ -n "$E2E_PID" ]; then
		kill -TERM "$E2E_PID" 2>/dev/null
		wait "$E2E_PID" 2>/dev/null
		E2E_PID=
	fi
}

# tafeld_kill: kill -9: no stopping notice and no drain, so an answer in flight is
# lost (SIGTERM would answer it first); the next tafeld adopts its PostgreSQL.
tafeld_kill() {
	if [ -n "$E2E_PID" ]; then
		kill -KILL "$E2E_PID" 2>/dev/null
		wait "$E2E_PID" 2>/dev/null
		E2E_PID=
	fi
}

# demo_data: loads the demo safety house (password "demo" for every user).
demo_data() {
	"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" demo-data \
		>>"$E2E_DIR.log" 2>&1 || fail "tafelctl demo-data"
}

# start_server: a fresh tafeld with demo data.
# inbox_count USER WHICH CASE_ID KIND [DESCRIPTION]: how many entries of
# USER's inbox (WHICH: "received" or "sent", batch's inbox) on the case are
# of KIND ("action_done", ...), and of that action point when DESCRIPTION
# is given.
inbox_count() {
	printf 'inbox all %s\nquit\n' "$2" | batch "$1" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "inbox_list":
        print(len([e for e in o["inbox_list"].get("entries", []) if str(e.get("case_id")) == sys.argv[1]
            and e.get("kind") == sys.argv[2] and (len(sys.argv) < 4
            or e.get("action_point", {}).get("description") == sys.argv[3])]))' "${@:3}"
}

# wait_joined SESSION TEXT: TEXT on the screen, also when a long message
# wraps it over lines (their ends and indents taken as one space)
wait_joined() {
	local deadline=$((SECONDS + 20))
	while [ $SECONDS -lt $deadline ]; do
		screen "$1" | sed -E 's/[[:space:]]+$//' | tr '\n' ' ' | tr -s ' ' |
			grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

start_server() {
	tafeld_start 0
	demo_data
}

# client_cmd USER [ARGS...]: the command line of tafel as USER.
client_cmd() {
	local user=$1
	shift
	# The client's stderr is closed while curses runs: sanitizers log to files.
	printf 'env LANG=C.UTF-8 LANGUAGE=nl TERM=tmux-256color TAFEL_LOCALEDIR=%q ASAN_OPTIONS=%q UBSAN_OPTIONS=%q %s' \
		"$TAFEL_LOCALEDIR" "${ASAN_OPTIONS:-}:log_path=$E2E_DIR.asan" \
		"${UBSAN_OPTIONS:-}:log_path=$E2E_DIR.ubsan" "${E2E_ENV:-}"
	printf ' %q' "$TAFEL" --config "$E2E_DIR.conf" --server "127.0.0.1:$E2E_PORT" \
		--user "$user" --ca "$E2E_DIR/tls/ca.crt" --password-file "$E2E_DIR.pw" "$@"
}

# start_client SESSION USER [ARGS...]: tafel in a detached 80x24 tmux session.
start_client() {
	local s=$1 user=$2
	shift 2
	tm new-session -d -s "$s" -x "$E2E_COLS" -y "$E2E_ROWS" \
		"$(client_cmd "$user" "$@"); echo '[tafel exited]' \$?; sleep 600" ||
		fail "tmux new-session $s"
	tm set-option -t "$s" remain-on-exit on >/dev/null 2>&1
}

screen() {
	tm capture-pane -p -t "$1"
}

# wait_for SESSION TEXT [TIMEOUT]: polls the screen until TEXT (fixed string) shows.
wait_for() {
	local s=$1 text=$2 deadline=$((SECONDS + ${3:-20}))
	while [ $SECONDS -lt $deadline ]; do
		screen "$s" | grep -qF -- "$text" && return 0
		sleep 0.1
	done
	return 1
}

# wait_gone SESSION TEXT [TIMEOUT]: polls until TEXT is no longer shown.
wait_gone() {
	local s=$1 text=$2 deadline=$((SECONDS + ${3:-20}))
	while [ $SECONDS -lt $deadline ]; do
		screen "$s" | grep -qF -- "$text" || return 0
		sleep 0.1
	done
	return 1
}

# wait_file FILE PATTERN [SECS]: polls until FILE (a background batch's
# output, say) has a line matching the grep pattern PATTERN; 1 after SECS
# (20) without one.
wait_file() {
	local deadline=$((SECONDS + ${3:-20}))
	while [ $SECONDS -lt $deadline ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# wait_closed PORT [SECS]: polls until no client socket to 127.0.0.1:PORT is
# still established or half-closed (/proc/net/tcp states 01 and 08): every
# client has seen its connection end.  Returns 1 after SECS (20).
wait_closed() {
	local hex deadline=$((SECONDS + ${2:-20}))
	hex=$(printf '%04X' "$1")
	while [ $SECONDS -lt $deadline ]; do
		awk -v p=":$hex" 'NR > 1 && substr($3, length($3) - 4) == p &&
			($4 == "01" || $4 == "08") { f = 1 } END { exit !f }' \
			/proc/net/tcp /proc/net/tcp6 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# below SESSION: a list's or pager's "+N meer (j, ↓)" count, 0 when none;
# wait_below SESSION N: polls until it is N (the rows scrolled as asked).
below() {
	screen "$1" | sed -nE 's/^ *\+([0-9]+) meer \(j, ↓\) *$/\1/p' | grep . || echo 0
}
wait_below() {
	local deadline=$((SECONDS + 20))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(below "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_re SESSION REGEX [TIMEOUT]: like wait_for with an extended regex.
wait_re() {
	local s=$1 re=$2 deadline=$((SECONDS + ${3:-20}))
	while [ $SECONDS -lt $deadline ]; do
		screen "$s" | grep -qE -- "$re" && return 0
		sleep 0.1
	done
	return 1
}

keys() {
	local s=$1
	shift
	tm send-keys -t "$s" "$@"
}

# type_text SESSION TEXT: literal text (no key names).
type_text() {
	tm send-keys -t "$1" -l -- "$2"
}

# batch USER < COMMANDS: tafel --batch as USER; JSON lines on stdout.
batch() {
	local user=$1
	shift
	LANG=C.UTF-8 "$TAFEL" --batch --config /dev/null --server "127.0.0.1:$E2E_PORT" \
		--user "$user" --ca "$E2E_DIR/tls/ca.crt" --password-file "$E2E_DIR.pw" "$@"
}

# batch_within SECONDS USER < COMMANDS: batch, killed after SECONDS (exit
# status 124 then): for a run that must end by itself.
batch_within() {
	local secs=$1 user=$2
	shift 2
	LANG=C.UTF-8 timeout "$secs" "$TAFEL" --batch --config /dev/null \
		--server "127.0.0.1:$E2E_PORT" --user "$user" --ca "$E2E_DIR/tls/ca.crt" \
		--password-file "$E2E_DIR.pw" "$@"
}

# meeting_published ID: true when the server's meeting list (read as the
# chair, in batch mode) has meeting ID with a published_at.
meeting_published() {
	printf 'meetings\nquit\n' | batch voorzitter | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("body") == "meeting_list":
        for x in m["meeting_list"]["meetings"]:
            if x["id"] == int(sys.argv[1]):
                sys.exit(0 if x.get("published_at") else 1)
sys.exit(1)' "$1"
}

# open_meeting SESSION: from the meetings list, opens the first meeting
# (the demo's open/today meeting is first) and waits for its agenda.
open_first_meeting() {
	wait_re "$1" "^ +# +Casus" 1 && return 0
	wait_for "$1" "Overleggen" || fail "$1: no meetings list"
	wait_re "$1" '[0-9]{4}-[0-9]{2}-[0-9]{2}' || fail "$1: meetings not loaded"
	keys "$1" Enter
	wait_re "$1" "^ +# +Casus" || fail "$1: meeting did not open"
}

# sql: psql on this test's own cluster, as the service user when root.
sql() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u "${TAFEL_TEST_USER:-tafel}" -- psql -X -q \
			-v ON_ERROR_STOP=1 -h "$E2E_DIR/pg/run" -d tafel "$@")
	else
		psql -X -q -v ON_ERROR_STOP=1 -h "$E2E_DIR/pg/run" -d tafel "$@"
	fi
}

# org_of_kind KIND: the id of the (first) organisation of that kind, as the police's batch client lists them.
org_of_kind() {
	printf 'orgs\nquit\n' | batch politie | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "organisation_list":
        print([x["id"] for x in o["organisation_list"]["organisations"] if x["kind"] == sys.argv[1]][0])' "$1"
}

# signal_case USER DISTRICT REASON: USER registers a domestic violence signal (one person) in DISTRICT; prints the
# new case's id.
signal_case() {
	printf '%s\n' "signal domestic_violence $2 person $3" quit | batch "$1" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("body") == "case_record":
        print(o["case_record"]["id"]); break'
}

# open_case SESSION NUMBER: from a connected client, the case list (4),
# then the case with that number (/ search, Enter, Enter) on its own screen.
open_case() {
	keys "$1" 4
	wait_for "$1" "Tafel · Casussen" || fail "$1: 4 did not open the case list"
	wait_for "$1" "$2" || fail "$1: case $2 is not listed: $(screen "$1")"
	keys "$1" /
	type_text "$1" "$2"
	keys "$1" Enter Enter
	wait_for "$1" "Casus $2" || fail "$1: case $2 did not open: $(screen "$1")"
}

# meeting_id SERIES: the id of the first meeting of that series today or later.
meeting_id() {
	printf 'meetings\nquit\n' | batch politie | python3 -c '
import json, sys, time
series = sys.argv[1]
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") != "meeting_list":
        continue
    for mt in m["meeting_list"]["meetings"]:
        if mt["series_name"] == series and mt["state"] != "closed":
            print(mt["id"]); sys.exit(0)
sys.exit(1)' "$1"
}

# count_in_meeting USER MEETING TEXT: how often TEXT occurs in the snapshot.
count_in_meeting() {
	printf 'subscribe %s\nquit\n' "$2" | batch "$1" | grep '"subscribed"' |
		grep -oF -- "$3" | wc -l
}

# agenda_cases MEETING: the chair's cases as three lines: the numbers of
# those not on MEETING's agenda (the + picker offers them), those on it,
# and the agenda's length.
agenda_cases() {
	{ printf 'cases\nsubscribe %s\nquit\n' "$1" | batch voorzitter; } |
		python3 -c '
import json, sys
cases, on, n = [], set(), 0
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") == "case_list":
        cases = [(c["id"], c["number"]) for c in m["case_list"]["cases"]]
    if m.get("body") == "subscribed":
        on = {it["case_id"] for it in m["subscribed"]["snapshot"]["agenda"]}
        n = len(m["subscribed"]["snapshot"]["agenda"])
print(" ".join(num for cid, num in cases if cid not in on))
print(" ".join(num for cid, num in cases if cid in on))
print(n)'
}

# current_actions USER: "id version state due_date" of the action points of
# the case of $MEETING's current item, as USER gets them, in the order the
# meeting view lists them (due date, then id)
current_actions() {
	printf 'subscribe %s\nquit\n' "$MEETING" | batch "$1" | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("body") != "subscribed":
        continue
    s = m["subscribed"]["snapshot"]
    case = [it["case_id"] for it in s["agenda"] if it["id"] == s["meeting"]["current_item_id"]][0]
    acts = sorted((a for a in s["actions"] if a["case_id"] == case),
                  key=lambda a: (a["due_date"], a["id"]))
    for a in acts:
        print(a["id"], a["version"], a["state"], a["due_date"])'
}

# current_line SESSION: the agenda line marked ▶ (the chair's current item).
current_line() {
	screen "$1" | grep -E '^▶' | head -n 1
}

# start_meeting: server, demo data, MEETING = the SSO meeting of today.
start_meeting() {
	start_server
	MEETING=$(meeting_id "SSO Enschede") || fail "no SSO meeting in the demo data"
}

# chair_start SESSION: the chair opens the meeting and moves to the first item
# (a meeting planned for another day than today is asked about first: yes).
chair_start() {
	keys "$1" o
	wait_re "$1" "· open ·|Nu al openen\? \(j/n\)" || fail "$1: o did not open or ask: $(screen "$1")"
	if screen "$1" | grep -qF "Nu al openen? (j/n)"; then
		keys "$1" j
	fi
	wait_for "$1" "· open ·" || fail "$1: meeting did not open"
	keys "$1" n
	wait_re "$1" '^▶ +1 ' || fail "$1: n did not make item 1 current"
}

# meeting_with_partner USER: start_meeting, the chair (session chair) and
# USER (session rec) following it in their clients, and the chair opens it
# on item 1 (chair_start).
meeting_with_partner() {
	start_meeting
	start_client chair voorzitter --meeting "$MEETING"
	start_client rec "$1" --meeting "$MEETING"
	wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
	wait_re rec "^ +# +Casus" || fail "partner: meeting not shown"
	chair_start chair
}

# chair_ask_due DESCRIPTION: in session chair's meeting, a new action point
# (a) with that description for the police, up to the due date's prompt.
chair_ask_due() {
	keys chair a
	wait_for chair "Nieuwe afspraak" || fail "form did not open"
	type_text chair "$1"
	keys chair Enter
	wait_for chair "Uitvoerende organisatie (naam of nummer):" || fail "owner not asked"
	type_text chair "Politie"
	keys chair Enter
	wait_for chair "Uitvoerder (persoon" || fail "owner person not asked"
	keys chair Enter
	wait_for chair "Uiterste datum (bijv. 8-12, morgen, +7):" || fail "due date not asked"
}

# ctl ARGS...: tafelctl on this test's data directory (its output and errors).
ctl() {
	"$TAFELCTL" --config /dev/null --data-dir "$E2E_DIR" "$@" 2>&1
}

# expect_fail REGEX CMD...: tafelctl CMD fails (exit 1 or 2) and says REGEX
expect_fail() {
	local re=$1 out rc
	shift
	out=$(ctl "$@")
	rc=$?
	[ "$rc" -ne 0 ] || fail "tafelctl $* succeeded: $out"
	echo "$out" | grep -qE "$re" || fail "tafelctl $*: expected /$re/, got: $out"
}

# expect_ok REGEX CMD...: tafelctl CMD succeeds and says REGEX
expect_ok() {
	local re=$1 out
	shift
	out=$(ctl "$@") || fail "tafelctl $* failed: $out"
	echo "$out" | grep -qE "$re" || fail "tafelctl $*: expected /$re/, got: $out"
}

# pick EXPR: the first value of a Python expression over the JSON lines on
# stdin (m: one line) that does not fail.
pick() {
	python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    try:
        v = eval(sys.argv[1])
    except (KeyError, IndexError, TypeError):
        continue
    if v is not None:
        print(v)
        break
' "$1"
}

# prep_week: MON, the coming Monday (today when it is one), so the meetings
# lie ahead; TUE, WED, THU of that week and THU2, the Thursday two weeks on.
prep_week() {
	local dow
	dow=$(date +%u)
	MON=$(date -d "+$(( (8 - dow) % 7 )) days" +%F)
	TUE=$(date -d "$MON +1 day" +%F)
	WED=$(date -d "$MON +2 days" +%F)
	THU=$(date -d "$MON +3 days" +%F)
	THU2=$(date -d "$MON +17 days" +%F)
}

# prep_series: a server with demo data on "today" $MON (TAFEL_TEST_TODAY),
# the series "Prep tafel" of Prepdorp (SERIES) with its member
# organisations, and reclassering as Prepdorp's process manager.
prep_series() {
	export TAFEL_TEST_TODAY=$MON
	start_server
	SERIES=$(ctl series add "Prep tafel" casusoverleg_hg domestic_violence Prepdorp voorzitter |
		sed -n 's/.*(id \([0-9]*\)).*/\1/p')
	[ -n "$SERIES" ] || fail "series add"
	for o in "Gemeente Eemland-Twente" "Politie Eenheid Oost-Nederland" "Woonstichting De Eemhof" \
		"Rechtbank Oost-Nederland (toehoorder)"; do
		ctl series member "Prep tafel" "$o" >/dev/null || fail "series member $o"
	done
	ctl pm add reclassering Prepdorp domestic_violence >/dev/null || fail "pm add"
}

# prep_meetings: prep_week, prep_series, and the chair plans Thursday and
# the Thursday two weeks later (MEETING: Thursday's).
prep_meetings() {
	local out
	prep_week
	prep_series
	out=$(printf 'plan %s %s 13:30 2 %s\nquit\n' "$SERIES" "$THU" "$THU2" | batch voorzitter)
	MEETING=$(echo "$out" | pick 'm["meeting_list"]["meetings"][0]["id"]')
	[ -n "$MEETING" ] || fail "plan: $out"
}
