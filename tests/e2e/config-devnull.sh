#!/bin/bash
# A settings file that is not a regular file (--config /dev/null) is left alone, and the status line says so in Dutch throughout (no English after the Dutch start).
. "$(dirname "$0")/lib.sh"

start_server
start_client pol politie --config /dev/null
wait_for pol "Tafel · Overleggen" || fail "no meetings list: $(screen pol)"
wait_for pol "Instellingen niet opgeslagen: /dev/null is geen gewoon bestand." ||
	fail "the message is not Dutch throughout: $(screen pol)"
screen pol | grep -qiE "regular file|settings not saved" && fail "English in the message: $(screen pol)"
[ -c /dev/null ] || fail "/dev/null was replaced"
ok
