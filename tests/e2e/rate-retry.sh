#!/bin/bash
# A client held back by the rate limit (docs/protocol.md 5.7) waits the retry_after_ms the server names and sends the
# request again: with one request a second and a burst of three, the start, the meetings list, and a meeting (twice)
# all arrive, slower, and the user never reads "Te veel pogingen".
. "$(dirname "$0")/lib.sh"

tafeld_start 0 --set rate_session=1 --set rate_burst=3
demo_data
start_client chair voorzitter
seen=""
check_screen() {
	screen chair | grep -q "Te veel pogingen" && seen=$(screen chair)
	[ -z "$seen" ] || fail "the rate limit reached the user: $seen"
}
# open_meeting_watched WHAT: Enter on the meetings list; the meeting opens
# (within 30 s), and the user never reads a refusal meanwhile
open_meeting_watched() {
	keys chair Enter
	for _ in $(seq 1 60); do
		check_screen
		screen chair | grep -qE "^ +# +Casus" && break
		sleep 0.5
	done
	wait_re chair "^ +# +Casus" 5 || fail "meeting did not open $1: $(screen chair)"
}
wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' 30 || fail "meetings not loaded: $(screen chair)"
check_screen
open_meeting_watched ""
# back and in again: more requests while the bucket is still empty
keys chair q
wait_re chair '^ +[0-9]+  20[0-9-]+ [0-9:]+  ' 30 || fail "meetings list not back: $(screen chair)"
open_meeting_watched "again"
check_screen
ok
