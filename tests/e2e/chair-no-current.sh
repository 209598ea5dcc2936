#!/bin/bash
# The chair's status line offers "f: huidig punt" only when the meeting has a current item: not in a planned meeting after moving with j, but once n made one current and the chair moved away.
. "$(dirname "$0")/lib.sh"

start_meeting
start_client chair voorzitter --meeting "$MEETING"
wait_re chair "^ +# +Casus" || fail "chair: meeting not shown"
wait_for chair "· gepland ·" || fail "the meeting is not planned: $(screen chair)"
wait_for chair "u leidt dit overleg" || fail "no chair status: $(screen chair | tail -n 2)"
keys chair j j
sleep 1
screen chair | grep -qF "f: huidig punt" &&
	fail "f offered without a current item: $(screen chair | tail -n 2)"
screen chair | grep -qF "u leidt dit overleg" || fail "chair status gone: $(screen chair | tail -n 2)"
chair_start chair
keys chair j
wait_for chair "u leidt dit overleg — f: huidig punt" ||
	fail "f not offered away from the current item: $(screen chair | tail -n 2)"
ok
