#!/bin/bash
# The meeting screen at 80x24 is clean (no escape garbage, no overlong lines, header and footer present) and redraws after a resize.
. "$(dirname "$0")/lib.sh"

# is_clean SESSION COLS ROWS: the captured screen is plain and fits;
# otherwise WHY says what is wrong.
is_clean() {
	local s=$1 cols=$2 rows=$3 text n w
	text=$(screen "$s")
	WHY="raw escape character on screen"
	printf '%s\n' "$text" | grep -q $'\x1b' && return 1
	WHY="stray ^[ on screen"
	printf '%s\n' "$text" | grep -qF '^[' && return 1
	WHY="stray SGR sequence on screen"
	printf '%s\n' "$text" | grep -qE '\[[0-9;]*m' && return 1
	w=$(printf '%s\n' "$text" | wc -L)
	WHY="a line is $w columns wide (> $cols)"
	[ "$w" -le "$cols" ] || return 1
	n=$(tm display-message -p -t "$s" '#{pane_width}x#{pane_height}')
	WHY="pane is $n, not ${cols}x${rows}"
	[ "$n" = "${cols}x${rows}" ] || return 1
	WHY="header missing"
	printf '%s\n' "$text" | head -n 1 | grep -q '^Tafel · Overleg' || return 1
	WHY="footer not on the last line"
	printf '%s\n' "$text" | sed -n "${rows}p" | grep -q '? hulp' || return 1
	WHY="status line missing"
	printf '%s\n' "$text" | sed -n "$((rows - 1))p" | grep -q 'verbonden' || return 1
	WHY="separator not ${cols} wide"
	printf '%s\n' "$text" | grep -qE "^─{$cols}\$" || return 1
	return 0
}

# check_clean SESSION COLS ROWS: polls until clean (the redraw after a
# resize takes a moment), fails with the reason after the deadline.
check_clean() {
	local deadline=$((SECONDS + 20))
	while [ $SECONDS -lt $deadline ]; do
		is_clean "$@" && return 0
		sleep 0.2
	done
	fail "$1 at $2x$3: $WHY"
}

start_meeting
start_client chair voorzitter --meeting "$MEETING"
E2E_ENV="NO_COLOR=1" start_client mono politie --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
chair_start chair
wait_re mono '^▶ +1 ' || fail "mono: meeting not shown"
for s in chair mono; do
	wait_for "$s" "? hulp" || fail "$s: no footer"
	check_clean "$s" 80 24
	# the agenda: one row per item with case number, theme and status
	[ "$(screen "$s" | grep -cE '^[▶✓ ] +[0-9]+  [0-9]{4}-[0-9]{4}  ')" -ge 3 ] ||
		fail "$s: agenda rows missing"
done

# without colours a changed row is underlined for a moment: the flash was
# standout, on most terminals the same reverse as the selection, so the
# row the chair moved to looked merely selected
row_sgr() {	# SESSION REGEX: the SGR codes on the first line matching REGEX
	tm capture-pane -e -p -t "$1" | python3 -c '
import re, sys
for line in sys.stdin:
    if re.search(sys.argv[1], re.sub(r"\x1b\[[0-9;]*m", "", line)):
        print(" ".join(sorted({c for m in re.finditer(r"\x1b\[([0-9;]*)m", line)
                               for c in m.group(1).split(";") if c})))
        break' "$2"
}
flashed=
keys chair n
for _ in $(seq 1 100); do
	case " $(row_sgr mono '^▶ +2 ') " in *" 4 "*) flashed=1; break ;; esac
	sleep 0.05
done
[ -n "$flashed" ] || fail "mono: the row made current not underlined: $(tm capture-pane -e -p -t mono | cat -v | head -8)"
for _ in $(seq 1 100); do
	case " $(row_sgr mono '^▶ +2 ') " in *" 4 "*) sleep 0.1 ;; *) flashed= ; break ;; esac
done
[ -z "$flashed" ] || fail "mono: the underline of a change did not end"

# bigger: the separator line spans the new width, footer on the new last line
tm resize-window -t chair -x 100 -y 30 || fail "resize-window"
check_clean chair 100 30
# and smaller again
tm resize-window -t chair -x 80 -y 24 || fail "resize-window"
check_clean chair 80 24

# A case with many persons and clocks (WZT, case 2026-0001, four action
# points): the action points are shown or counted ("+N meer"), also with
# the last one chosen (Tab); the persons give up rows, not the action points.
acts_shown() {	# SESSION: action point lines + the "+N meer" counts below "Afspraken"
	local text n more
	text=$(screen "$1" | sed -n '/^Afspraken/,$p')
	n=$(printf '%s\n' "$text" | grep -cE '^[! ] [0-9]{4}-[0-9]{2}-[0-9]{2} ')
	for more in $(printf '%s\n' "$text" | sed -n 's/^ *+\([0-9]*\) meer.*/\1/p'); do
		n=$((n + more))
	done
	echo "$n"
}
WZT=$(meeting_id "WZT Enschede-Noord") || fail "no WZT meeting in the demo data"
case1=$(printf 'cases\nquit\n' | batch politie |
	pick '[c["id"] for c in m["case_list"]["cases"] if c["number"] == "2026-0001"][0]')
[ -n "$case1" ] || fail "case 2026-0001 not found"
printf '%s\n' "add-person $case1 other - Piet Een" "add-person $case1 other - Piet Twee" \
	"add-person $case1 other - Piet Drie" "add-person $case1 other - Piet Vier" \
	"clock $case1 huisverbod $(date +%F)" \
	"clock $case1 police_custody $(date +%F) ends=$(date -d +3days +%F)" quit |
	batch politie | grep -q '"error"' && fail "persons and clocks for case 2026-0001"
start_client wzt politie --meeting "$WZT"
wait_re wzt '^ +1  2026-0001 ' || fail "wzt: meeting not shown"
wait_for wzt "Afspraken" || fail "wzt: no action points"
for tab in 0 1 2 3; do
	[ "$tab" = 0 ] || keys wzt Tab
	sleep 0.5
	n=$(acts_shown wzt)
	[ "$n" = 4 ] || fail "wzt after $tab Tab: $n of 4 action points shown or counted: $(screen wzt | sed -n '/^Casus/,$p')"
done
screen wzt | grep -qE '^ +\+[0-9]+ meer' || fail "wzt: persons or action points not counted"
screen wzt | grep -q '^huisverbod dag' || fail "wzt: the huisverbod clock gave up its row"
ok
