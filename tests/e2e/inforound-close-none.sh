#!/bin/bash
# Z in a case without an open info round says so ("Deze casus heeft geen open inforonde (I start er een).") instead of "Geen inforonde gekozen.", which speaks of a choice the case view does not offer.
. "$(dirname "$0")/lib.sh"

start_server
ctl pm add voorzitter Enschede-Noord >/dev/null || fail "pm add"
start_client chair voorzitter
wait_for chair "verbonden" || fail "chair not connected: $(screen chair)"
open_case chair 2026-0012
wait_for chair "Personen" || fail "case not shown: $(screen chair)"
screen chair | grep -qF "Inforonde open" && fail "the demo case has an open round: $(screen chair)"
keys chair Z
wait_for chair "Deze casus heeft geen open inforonde (I start er een)." ||
	fail "Z without a round: $(screen chair | tail -n 3)"
ok
