#!/bin/bash
# The chair's status line offers "f: huidig punt" only when the meeting has a current item: not in a planned meeting after moving with j, but once n made one current and the chair moved away.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for chair "· gepland ·" || fail "the meeting is not planned: $(screen chair)"
wait_for chair "u leidt dit overleg" || fail "no chair status: $(screen chair | tail -n 2)"
c3=$(screen chair | grep -E "^. +3 +20" | grep -oE '20[0-9]{2}-[0-9]{4}' | head -n 1)
[ -n "$c3" ] || fail "fewer than 3 items on the agenda: $(screen chair)"
keys chair j j
# checked once the move is drawn (its case below), not after a fixed pause
wait_re chair "^Casus $c3 " || fail "j j did not select item 3 ($c3): $(screen chair)"
screen chair | grep -qF "f: huidig punt" &&
	fail "f offered without a current item: $(screen chair | tail -n 2)"
screen chair | grep -qF "u leidt dit overleg" || fail "chair status gone: $(screen chair | tail -n 2)"
chair_start chair
keys chair j
wait_for chair "u leidt dit overleg — f: huidig punt" ||
	fail "f not offered away from the current item: $(screen chair | tail -n 2)"
ok
